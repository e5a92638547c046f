/*
 * svc_identity.c — duplicates and merges as the acting user
 * (svc_identity.h; RULES.md §10).
 *
 * A merge is judged here and written by store_person_merge(): the two
 * people must be in the actor's subtree, and their candidacies must not
 * overlap in time, since one person cannot have stood in two dossiers at
 * once — two records that did are two people, or one of the dossiers is
 * wrong, and either way a clerk must look before anything moves. A
 * candidacy spans from its first step to its last (an open one to no
 * end); one that ends on the day the other starts does not overlap it
 * (withdrawn, then put on the list again the same day, as KN-OPEN allows).
 */
#include <stdlib.h>
#include <string.h>

#include "core/svc_identity.h"
#include "core/transfer.h"
#include "io/export.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

const char *svc_dup_top(struct svc *sv)
{
	return sv->all ? NULL : sv->actor.unit;
}

int svc_merged_note(struct svc *sv, const char *ref, struct buf *msg)
{
	char *into = NULL;
	struct person p;
	int said = 0;

	if (!ref || !*ref || store_merged_into(sv->store, ref, &into) != KN_OK)
		return 0;
	if (svc_person_find(sv, into, &p) == KN_OK) {
		buf_addf(msg, _("%s was merged into %s; use %s"), ref, into, into);
		person_release(&p);
		said = 1;
	}
	free(into);
	return said;
}

enum kn_err svc_dup_pairs(struct svc *sv, const char *top, long long offset, long long limit,
			  struct dup_pair **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (top && !svc_may_see(sv, top))
		return KN_ENOTFOUND;
	return store_dup_pairs(sv->store, top ? top : svc_dup_top(sv), offset, limit, out, n);
}

/* One candidacy's span and whose it is. */
struct span {
	int64_t id;
	kn_date from, to;	/* to: KN_DATE_NONE while open */
	const char *ref;
	int open;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void add_spans(struct span *sp, size_t *n, const struct candidacy *c, size_t nc,
		      const char *ref)
{
	for (size_t i = 0; i < nc; i++) {
		struct span s = { c[i].id, KN_DATE_NONE, KN_DATE_NONE, ref, c[i].open };
		for (size_t j = 0; j < c[i].nsteps; j++) {
			kn_date d = c[i].steps[j].date;
			if (s.from == KN_DATE_NONE || d < s.from)
				s.from = d;
			if (s.to == KN_DATE_NONE || d > s.to)
				s.to = d;
		}
		if (s.open)
			s.to = KN_DATE_NONE;
		sp[(*n)++] = s;
	}
}

/* "from 03/02/2011 to 15/06/2012" or "from 03/02/2011, still open". */
static void span_words(const struct span *s, struct buf *out)
{
	char a[11], b[11];
	date_format_user(s->from, a);
	if (s->open) {
		buf_addf(out, _("from %s, still open"), a);
	} else {
		date_format_user(s->to, b);
		buf_addf(out, _("from %s to %s"), a, b);
	}
}

/* Two spans overlap when each starts before the other ends (a
 * candidacy without steps, which no writer makes, spans nothing). */
static int overlap(const struct span *x, const struct span *y)
{
	if (x->from == KN_DATE_NONE || y->from == KN_DATE_NONE)
		return 0;
	int x_before_y_ends = y->open || x->from < y->to;
	int y_before_x_ends = x->open || y->from < x->to;
	return x_before_y_ends && y_before_x_ends;
}

enum kn_err svc_person_merge(struct svc *sv, const char *keep_ref, const char *drop_ref,
			     size_t *moved, struct buf *err)
{
	struct person keep, drop;
	struct candidacy *ck = NULL, *cd = NULL;
	size_t nk = 0, nd = 0, ns = 0;
	struct span *sp = NULL;
	int64_t *order = NULL;
	struct buf before = BUF_INIT, after = BUF_INIT;
	int have_keep = 0, have_drop = 0;
	enum kn_err e;

	if (moved)
		*moved = 0;
	if ((e = svc_person_find(sv, keep_ref, &keep)) != KN_OK) {
		if (e == KN_ENOTFOUND && !svc_merged_note(sv, keep_ref, err))
			buf_addf(err, _("no person with ref %s; `ketnap person find NAME` finds refs"),
				 keep_ref);
		goto out;
	}
	have_keep = 1;
	if ((e = svc_person_find(sv, drop_ref, &drop)) != KN_OK) {
		if (e == KN_ENOTFOUND && !svc_merged_note(sv, drop_ref, err))
			buf_addf(err, _("no person with ref %s; `ketnap person find NAME` finds refs"),
				 drop_ref);
		goto out;
	}
	have_drop = 1;
	if (!sv->all && sv->actor.role < ROLE_EDITOR) {
		buf_addf(err, "%s", _("merging two records needs an administrator, or an editor "
				      "whose units hold both people"));
		e = KN_EPERM;
		goto out;
	}
	if (keep.id == drop.id) {
		buf_addf(err, _("%s and %s are the same record; name two people"), keep_ref,
			 drop_ref);
		e = KN_EINVAL;
		goto out;
	}
	/* The membership a people list recorded (a member admitted before
	 * the program) is the person's, not a candidacy's: it would be lost
	 * with DROP's record. */
	if ((drop.member_since != KN_DATE_NONE && keep.member_since == KN_DATE_NONE) ||
	    (drop.official_since != KN_DATE_NONE && keep.official_since == KN_DATE_NONE)) {
		char d[11];
		date_format_user(drop.member_since != KN_DATE_NONE ? drop.member_since
				 : drop.official_since, d);
		buf_addf(err, _("%s is recorded as a member (since %s) and %s is not; keep %s "
				"instead (person merge %s %s), or record the membership on %s first"),
			 drop.ref, d, keep.ref, drop.ref, drop.ref, keep.ref, keep.ref);
		e = KN_ECONFLICT;
		goto out;
	}
	/* A transfer (RULES.md §8) is a move of the person's own record
	 * between units: DROP's would give KEEP a second history of units
	 * that contradicts KEEP's current unit. Keeping the record that
	 * moved is always possible unless both moved. */
	{
		struct transfer *tk = NULL, *td = NULL;
		size_t ntk = 0, ntd = 0;
		if ((e = store_transfers_of(sv->store, keep.id, &tk, &ntk)) != KN_OK ||
		    (e = store_transfers_of(sv->store, drop.id, &td, &ntd)) != KN_OK) {
			buf_addf(err, "%s", store_errmsg(sv->store));
			transfers_free(tk, ntk);
			goto out;
		}
		transfers_free(tk, ntk);
		transfers_free(td, ntd);
		if (ntd > 0) {
			if (ntk == 0)
				buf_addf(err, _("%s has transfers between units recorded and %s has "
						"none; keep %s instead (person merge %s %s)"),
					 drop.ref, keep.ref, drop.ref, drop.ref, keep.ref);
			else
				buf_addf(err, _("%s and %s both have transfers between units "
						"recorded; two histories of units cannot be merged: "
						"these may be two people"), keep.ref, drop.ref);
			e = KN_ECONFLICT;
			goto out;
		}
	}
	if ((e = store_candidacies_of(sv->store, keep.id, &ck, &nk)) != KN_OK ||
	    (e = store_candidacies_of(sv->store, drop.id, &cd, &nd)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(sv->store));
		goto out;
	}
	sp = xcalloc(nk + nd + 1, sizeof(*sp));
	add_spans(sp, &ns, ck, nk, keep.ref);
	add_spans(sp, &ns, cd, nd, drop.ref);
	for (size_t i = 0; i < nk; i++)
		for (size_t j = nk; j < ns; j++) {
			struct buf x = BUF_INIT, y = BUF_INIT;
			if (!overlap(&sp[i], &sp[j]))
				continue;
			span_words(&sp[i], &x);
			span_words(&sp[j], &y);
			if (sp[i].open && sp[j].open)
				buf_addf(err, _("%s and %s both have an open candidacy (%s; %s); two "
						"open candidacies cannot be merged: end one of them "
						"first (withdrawn), then merge"), keep.ref, drop.ref,
					 x.s, y.s);
			else
				buf_addf(err, _("the candidacy of %s %s overlaps the candidacy of %s "
						"%s; one person cannot be in two dossiers at once: "
						"correct the dates, or these are two people"),
					 keep.ref, x.s, drop.ref, y.s);
			buf_release(&x);
			buf_release(&y);
			e = KN_ECONFLICT;
			goto out;
		}
	xqsort(sp, ns, sizeof(*sp), span_cmp);
	order = xcalloc(ns + 1, sizeof(*order));
	for (size_t i = 0; i < ns; i++)
		order[i] = sp[i].id;

	export_person_row(&before, &keep);
	export_person_row(&before, &drop);
	export_person_row(&after, &keep);
	buf_addf(&after, "merged: %s into %s; candidacies moved: %zu\n", drop.ref, keep.ref, nd);
	if ((e = store_begin(sv->store)) != KN_OK)
		goto fail;
	if ((e = store_person_merge(sv->store, keep.id, drop.id, drop.ref, sv->actor.name, order,
				    ns)) != KN_OK ||
	    (e = store_audit(sv->store, sv->actor.name, "merge", "person", keep.ref, before.s,
			     after.s)) != KN_OK) {
		store_rollback(sv->store);
		goto fail;
	}
	if ((e = store_commit(sv->store)) != KN_OK)
		goto fail;
	if (moved)
		*moved = nd;
	goto out;
fail:
	buf_addf(err, "%s", store_errmsg(sv->store));
out:
	if (have_keep)
		person_release(&keep);
	if (have_drop)
		person_release(&drop);
	store_candidacies_free(ck, nk);
	store_candidacies_free(cd, nd);
	free(sp);
	free(order);
	buf_release(&before);
	buf_release(&after);
	return e;
}
