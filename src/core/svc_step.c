/*
 * svc_step.c — checking and recording a step as the acting user: the one
 * walk from a front end's request to ledger_step() (see svc.h for the
 * order of the answers). The page, the JSON API and `ketnap step|check`
 * each used to find the person, judge the actor's permissions, compare
 * the version the user saw and open the ledger in their own way; they
 * now hand the step here and render what comes back.
 */
#include <stdlib.h>
#include <string.h>

#include "core/svc.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* 1 when a person ref exists but lies outside the scope. */
static int hidden_person(struct svc *sv, const char *ref)
{
	struct person p;
	int hidden;
	if (!ref || store_person_get(sv->store, ref, &p) != KN_OK)
		return 0;	/* unknown refs are the ledger's to report */
	hidden = !svc_may_see(sv, p.unit);
	person_release(&p);
	return hidden;
}

/* The references of st to people and units outside the scope, reported
 * in err as the ledger reports unknown ones; returns how many. */
static int hidden_refs(struct svc *sv, const struct step *st, struct buf *err)
{
	const char *cols[3] = { "member", "introducer1", "introducer2" };
	const char *refs[3] = { st->member, st->intro1, st->intro2 };
	struct unitree *t = svc_tree(sv);
	int n = 0;
	for (int i = 0; i < 3; i++)
		if (hidden_person(sv, refs[i])) {
			buf_addf(err, "%s: ", cols[i]);
			buf_addf(err, _("no person with ref %s; import the member first"), refs[i]);
			buf_addc(err, '\n');
			n++;
		}
	if (st->org && t && unitree_find(t, st->org) && !svc_may_see(sv, st->org)) {
		buf_addf(err, "org: ");
		buf_addf(err, _("no unit with code %s; name the deciding committee by its unit code"),
			 st->org);
		buf_addc(err, '\n');
		n++;
	}
	return n;
}

/* A decision is recorded for the competent committee: the actor's own
 * unit; an administrator acts for the candidate's committee. */
static void committee_org(struct svc *sv, const struct ledger *l, const struct person *p,
			  struct step *st)
{
	struct unode *un = unitree_find(&l->tree, p->unit);
	struct unode *c = un ? unitree_competent(un) : NULL;
	const char *org = sv->actor.role == ROLE_ADMIN && c ? c->u.code : sv->actor.unit;
	free(st->org);
	st->org = org ? xstrdup(org) : NULL;
}

/* The write's freshness check, inside its transaction: KN_ECONFLICT
 * (res->stale, res->version) when the person moved since the user saw
 * them. Sets l->expect_version for the ledger's own check. */
static enum kn_err fresh(struct svc *sv, const struct svc_step_req *req, struct ledger *l,
			 struct svc_step_res *res)
{
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct buf token = BUF_INIT;
	int64_t open_version = -1, version = 0;
	enum kn_err e;

	if (!req->use_token && req->expect_version < 0)
		return KN_OK;
	if ((e = store_candidacies_of(sv->store, res->person.id, &cs, &nc)) != KN_OK)
		goto out;
	if (req->use_token) {
		if ((e = svc_version_token(sv, cs, nc, &token, &open_version)) != KN_OK)
			goto out;
		l->expect_version = open_version;
		if (!req->token || strcmp(req->token, token.s) != 0) {
			res->stale = 1;
			e = KN_ECONFLICT;
		}
	} else {
		if ((e = svc_latest_version(sv, cs, nc, &version)) != KN_OK)
			goto out;
		if (version != req->expect_version) {
			res->stale = 1;
			res->version = version;
			e = KN_ECONFLICT;
		}
	}
out:
	store_candidacies_free(cs, nc);
	buf_release(&token);
	return e;
}

enum kn_err svc_step(struct svc *sv, const struct svc_step_req *req, struct svc_step_res *res)
{
	struct step *st = req->st;
	struct ledger l;
	int have_ledger = 0, in_tx = 0;
	enum kn_err e;

	memset(res, 0, sizeof(*res));
	res->err = (struct buf)BUF_INIT;
	if ((e = svc_person_find(sv, req->ref, &res->person)) != KN_OK)
		return e;
	res->may_record = svc_may_record(sv, res->person.unit, st->code);
	res->may_override = svc_may_override(sv, res->person.unit);
	if (!req->check) {
		if (!res->may_record) {
			res->deny = SVC_DENY_RECORD;
			return KN_EPERM;
		}
		if (st->override && !res->may_override) {
			res->deny = SVC_DENY_OVERRIDE;
			return KN_EPERM;
		}
		/* The committee a decision is recorded for must be one the
		 * actor may act for. */
		if (!req->committee_org && !req->hidden_refs &&
		    (st->code == STEP_DECISION || st->code == STEP_OFFICIAL) && st->org &&
		    !svc_may_see(sv, st->org)) {
			res->deny = SVC_HIDDEN_ORG;
			return KN_EINVAL;
		}
	}
	if (req->hidden_refs && hidden_refs(sv, st, &res->err))
		return KN_EINVAL;
	if ((e = svc_ledger_open(sv, &l, &res->err)) != KN_OK)
		return e;
	have_ledger = 1;
	/* The version read, the step and the version after it in one
	 * transaction; without either, the ledger's own is enough. */
	if (!req->check && (req->use_token || req->expect_version >= 0 || req->result)) {
		if ((e = store_begin(sv->store)) != KN_OK)
			goto failed;
		in_tx = 1;
		if ((e = fresh(sv, req, &l, res)) != KN_OK) {
			if (e == KN_ECONFLICT)
				goto out;
			goto failed;
		}
	}
	if (req->invalid) {
		e = KN_EINVAL;
		goto out;
	}
	if (st->date == KN_DATE_NONE)
		st->date = l.today;	/* as `ketnap step`: today unless said */
	if (req->committee_org && (st->code == STEP_DECISION || st->code == STEP_OFFICIAL))
		committee_org(sv, &l, &res->person, st);
	e = ledger_step(&l, res->person.ref, st, req->check ? LEDGER_CHECK : LEDGER_WRITE, 0,
			&res->v, &res->err, &res->outcome);
	if (e != KN_OK || req->check || !in_tx)
		goto out;
	/* The version after it, read in the same transaction. */
	if ((e = store_candidacies_of(sv->store, res->person.id, &res->cs, &res->nc)) != KN_OK ||
	    (e = svc_latest_version(sv, res->cs, res->nc, &res->version)) != KN_OK)
		goto failed;
	if (!res->nc || !res->cs[res->nc - 1].nsteps) {
		e = KN_EIO;
		goto out;
	}
	e = store_commit(sv->store);
	in_tx = 0;
	if (e == KN_OK)
		goto out;
failed:
	/* A storage error (the database busy, say), said as the ledger
	 * says its own. */
	buf_addf(&res->err, "%s\n", store_errmsg(sv->store));
out:
	if (in_tx)
		store_rollback(sv->store);
	if (have_ledger)
		ledger_release(&l);
	return e;
}

void svc_step_res_release(struct svc_step_res *res)
{
	person_release(&res->person);
	memset(&res->person, 0, sizeof(res->person));
	violations_release(&res->v);
	buf_release(&res->err);
	store_candidacies_free(res->cs, res->nc);
	res->cs = NULL;
	res->nc = 0;
}
