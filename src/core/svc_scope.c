/*
 * svc_scope.c — the service's acting user: the unit tree it judges by,
 * the scope and permissions of core/actor.h with the command line's
 * "every unit" honoured, finding a person the actor may see, opening
 * the ledger as the actor, and the version tokens a step form or an API
 * client carries (see svc.h).
 */
#include <string.h>

#include "core/svc.h"
#include "store/store.h"
#include "util/banned.h"

void svc_init(struct svc *sv, struct store *s, struct calendar *cal, const struct actor *a,
	      int all, struct unitree *tree)
{
	memset(sv, 0, sizeof(*sv));
	sv->store = s;
	sv->cal = cal;
	if (a)
		sv->actor = *a;
	sv->all = all;
	sv->tree = tree;
}

void svc_release(struct svc *sv)
{
	if (sv->own_loaded)
		unitree_free(&sv->own);
	sv->own_loaded = 0;
	sv->tree = NULL;
}

struct unitree *svc_tree(struct svc *sv)
{
	if (sv->tree)
		return sv->tree;
	if (unitree_load(&sv->own, sv->store) != KN_OK)
		return NULL;
	sv->own_loaded = 1;
	sv->tree = &sv->own;
	return sv->tree;
}

static struct unode *find_unit(struct svc *sv, const char *code)
{
	struct unitree *t = svc_tree(sv);
	return t && code ? unitree_find(t, code) : NULL;
}

int svc_may_see(struct svc *sv, const char *unit_code)
{
	if (sv->all)
		return 1;
	return actor_may_see(&sv->actor, svc_tree(sv), find_unit(sv, unit_code));
}

int svc_may_record(struct svc *sv, const char *unit_code, int step_code)
{
	if (sv->all)
		return 1;
	return actor_may_record(&sv->actor, svc_tree(sv), find_unit(sv, unit_code), step_code);
}

int svc_may_override(struct svc *sv, const char *unit_code)
{
	if (sv->all)
		return 1;
	return actor_may_override(&sv->actor, svc_tree(sv), find_unit(sv, unit_code));
}

enum kn_err svc_person_find(struct svc *sv, const char *ref, struct person *out)
{
	enum kn_err e;
	memset(out, 0, sizeof(*out));
	if (!ref || !*ref)
		return KN_ENOTFOUND;
	e = store_person_get(sv->store, ref, out);
	if (e == KN_OK && !svc_may_see(sv, out->unit)) {
		person_release(out);
		memset(out, 0, sizeof(*out));
		return KN_ENOTFOUND;
	}
	return e;
}

/* A tree the caller gave (the web server's shared snapshot, the
 * command's own) outlives the ledger: the ledger borrows it instead of
 * reading every unit again. The service's own tree does not (sv may be
 * released first), so without one the ledger reads its own as always. */
enum kn_err svc_ledger_open(struct svc *sv, struct ledger *l, struct buf *err)
{
	const struct unitree *t = sv->tree && !sv->own_loaded ? sv->tree : NULL;
	enum kn_err e = ledger_open_tree(l, sv->store, sv->cal, sv->actor.name, t, err);
	if (e == KN_OK)
		l->actor_unit = sv->all ? NULL : sv->actor.unit;
	return e;
}

enum kn_err svc_version_token(struct svc *sv, const struct candidacy *cs, size_t nc,
			      struct buf *token, int64_t *open_version)
{
	int64_t v = -1;
	enum kn_err e;
	*open_version = -1;
	if (!nc) {
		buf_adds(token, "-");
		return KN_OK;
	}
	if ((e = store_candidacy_version(sv->store, cs[nc - 1].id, &v)) != KN_OK)
		return e;
	buf_addf(token, "%lld:%lld", (long long)cs[nc - 1].id, (long long)v);
	if (cs[nc - 1].open)
		*open_version = v;
	return KN_OK;
}

enum kn_err svc_latest_version(struct svc *sv, const struct candidacy *cs, size_t nc,
			       int64_t *version)
{
	*version = 0;
	if (!nc)
		return KN_OK;
	return store_candidacy_version(sv->store, cs[nc - 1].id, version);
}

enum kn_err svc_next_step(struct svc *sv, const struct person *p, enum step_code *next)
{
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct unode *un = find_unit(sv, p->unit);
	enum kn_err e = store_candidacies_of(sv->store, p->id, &cs, &nc);
	*next = ledger_next_step(e == KN_OK && nc ? &cs[nc - 1] : NULL, unitree_is_basic_cell(un));
	store_candidacies_free(cs, nc);
	return e;
}
