/*
 * store_dups.c — possible duplicates, merges and merged-away refs (issue
 * 15, RULES.md §10; migration 011): the store's side of store.h's
 * "identity and duplicates" block.
 *
 * The pairs come from one statement over people_dup (folded name, birth
 * date): a subtree's from its own units only, the organisation's from one
 * walk of the people. A merge is the handful of statements that move one
 * person's rows onto another, run in the caller's transaction; deciding
 * whether two people may be merged is core/svc_identity.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "util/xalloc.h"
#include "util/banned.h"

static void dup_row(const struct srows *r, void *item)
{
	struct dup_pair *d = item;
	d->ref1 = row_dup(r, 0);
	d->name1 = row_dup(r, 1);
	d->unit1 = row_dup(r, 2);
	d->ref2 = row_dup(r, 3);
	d->name2 = row_dup(r, 4);
	d->unit2 = row_dup(r, 5);
	d->birth_date = row_date(r, 6);
}

void store_dup_pairs_free(struct dup_pair *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].ref1);
		free(d[i].name1);
		free(d[i].unit1);
		free(d[i].ref2);
		free(d[i].name2);
		free(d[i].unit2);
	}
	free(d);
}

enum kn_err store_dup_pairs(struct store *s, const char *top, long long offset, long long limit,
			    struct dup_pair **out, size_t *n)
{
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct sargs a = SARGS_INIT;
	enum kn_err e = KN_OK;

	*out = NULL;
	*n = 0;
	if (limit < 0)
		limit = INT64_MAX;
	if (offset < 0)
		offset = 0;
	if (top) {
		if ((e = store_unit_range(s, top, &lo, &hi)) != KN_OK)
			goto out;
		arg_text(&a, lo.s);
		arg_text(&a, hi.s);
	}
	arg_int(&a, limit);
	arg_int(&a, offset);
	e = q_all(s, top ? S_DUP_PAIRS_SUB : S_DUP_PAIRS, &a, (void **)out, n, sizeof(**out),
		  dup_row);
	Q_ALL_OR_NONE(e, out, n, store_dup_pairs_free);
out:
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

static void dup_person_row(const struct srows *r, void *item)
{
	row_person(r, 0, item);
}

enum kn_err store_dups_of(struct store *s, const char *ref, const char *top,
			  struct person **out, size_t *n)
{
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct sargs a = SARGS_INIT;
	enum kn_err e = KN_OK;

	*out = NULL;
	*n = 0;
	arg_text(&a, ref);
	if (top) {
		if ((e = store_unit_range(s, top, &lo, &hi)) != KN_OK)
			goto out;
		arg_text(&a, lo.s);
		arg_text(&a, hi.s);
	} else {
		arg_null(&a);
		arg_null(&a);
	}
	e = q_all(s, S_DUP_OF, &a, (void **)out, n, sizeof(**out), dup_person_row);
	Q_ALL_OR_NONE(e, out, n, store_people_free);
out:
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_merged_into(struct store *s, const char *ref, char **into)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;

	*into = NULL;
	if (!ref)
		return KN_ENOTFOUND;
	arg_text(&a, ref);
	if ((e = q_first(s, S_MERGED_GET, &a, &r)) != KN_OK)
		return e;
	*into = row_dup(&r, 0);
	return q_close(&r);
}

static void merged_row(const struct srows *r, void *item)
{
	struct merged_ref *m = item;
	m->ref = row_dup(r, 0);
	m->into = row_dup(r, 1);
	m->into_unit = row_dup(r, 2);
}

void store_merged_free(struct merged_ref *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].ref);
		free(m[i].into);
		free(m[i].into_unit);
	}
	free(m);
}

enum kn_err store_merged_all(struct store *s, struct merged_ref **out, size_t *n)
{
	enum kn_err e = q_all(s, S_MERGED_ALL, NULL, (void **)out, n, sizeof(**out), merged_row);
	Q_ALL_OR_NONE(e, out, n, store_merged_free);
	return e;
}

/* Statement id with the two ids keep, drop. */
static enum kn_err two_ids(struct store *s, enum stmt_id id, int64_t x, int64_t y)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, x);
	arg_int(&a, y);
	return q_exec(s, id, &a, NULL);
}

static enum kn_err one_id(struct store *s, enum stmt_id id, int64_t x)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, x);
	return q_exec(s, id, &a, NULL);
}

/* Candidacy `id` made again under a new (greater) id, its steps moved
 * onto it and its open flag kept. */
static enum kn_err cand_renew(struct store *s, int64_t id)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	int64_t fresh, open;
	enum kn_err e;

	arg_int(&a, id);
	if ((e = q_first(s, S_MERGE_CAND_IS_OPEN, &a, &r)) != KN_OK)
		return e;
	open = row_int(&r, 0);
	if ((e = q_close(&r)) != KN_OK)
		return e;
	/* The copy is closed until the old row is gone: one open
	 * candidacy per person (candidacies_one_open). */
	if ((e = q_first(s, S_MERGE_CAND_COPY, &a, &r)) != KN_OK)
		return e;
	fresh = row_int(&r, 0);
	if ((e = q_close(&r)) != KN_OK)
		return e;
	if ((e = two_ids(s, S_MERGE_STEPS_MOVE, fresh, id)) != KN_OK ||
	    (e = one_id(s, S_MERGE_CAND_DELETE, id)) != KN_OK)
		return e;
	return open ? two_ids(s, S_MERGE_CAND_OPEN, fresh, 1) : KN_OK;
}

enum kn_err store_person_merge(struct store *s, int64_t keep, int64_t drop, const char *drop_ref,
			       const char *actor, const int64_t *order, size_t norder)
{
	struct sargs a = SARGS_INIT;
	char now[32];
	int sorted = 1;
	enum kn_err e;

	if ((e = store_begin(s)) != KN_OK)
		return e;
	/* DROP has no transfers (RULES.md §8): svc_person_merge() refuses
	 * a merge that would have to move them. */
	if ((e = two_ids(s, S_MERGE_CANDS, keep, drop)) != KN_OK ||
	    (e = two_ids(s, S_MERGE_MEMBER, keep, drop)) != KN_OK ||
	    (e = two_ids(s, S_MERGE_INTRO1, keep, drop)) != KN_OK ||
	    (e = two_ids(s, S_MERGE_INTRO2, keep, drop)) != KN_OK ||
	    (e = two_ids(s, S_MERGED_REPOINT, keep, drop)) != KN_OK ||
	    (e = one_id(s, S_MERGE_PERSON_DELETE, drop)) != KN_OK)
		goto fail;
	store_now_iso(now);
	arg_text(&a, drop_ref);
	arg_int(&a, keep);
	arg_text(&a, now);
	arg_text(&a, actor ? actor : "");
	if ((e = q_exec(s, S_MERGED_PUT, &a, NULL)) != KN_OK)
		goto fail;
	for (size_t i = 1; i < norder; i++)
		if (order[i] < order[i - 1])
			sorted = 0;
	if (!sorted) {
		/* Made again oldest first, each with a greater id than any
		 * before it; the open one (at most one, the latest) reopened. */
		for (size_t i = 0; i < norder; i++)
			if ((e = cand_renew(s, order[i])) != KN_OK)
				goto fail;
	}
	return store_commit(s);
fail:
	store_rollback(s);
	return e;
}
