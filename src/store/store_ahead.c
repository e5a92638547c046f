/*
 * store_ahead.c — what the ledger reads of a person, for many people at
 * once (store.h: store_person_records).
 *
 * Issue 13: on PostgreSQL the steps import was mostly round trips, some
 * two and a half reads a person (the person by ref, their candidacies,
 * their transfers), each a wait for the server while its writes are sent
 * ahead without one. The importer therefore reads the people of its next
 * batch of rows (and the introducers and mentors those rows name) with
 * four statements whatever the batch's size: the people by the JSON
 * array of their refs, then their candidacies, the candidacies' steps and
 * their transfers by the array of the ids found (S_AHEAD_*). The rows come ordered by person id, so
 * that one walk hands each person theirs, in the order of the statements
 * a person's own reads run (S_CAND_OF by id, S_STEPS_OF by seq,
 * S_TRANSFERS_OF by date and id): a record is what those reads would
 * give. Written once for both backends; on SQLite the same four
 * statements replace lookups that were local calls anyway.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/transfer.h"
#include "store/store_impl.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include "util/banned.h"

void person_records_free(struct person_record *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++) {
		person_release(&r[i].p);
		store_candidacies_free(r[i].c, r[i].nc);
		transfers_free(r[i].tr, r[i].ntr);
	}
	free(r);
}

static void rec_row(const struct srows *r, void *item)
{
	struct person_record *x = item;
	row_person(r, 0, &x->p);
}

static int rec_by_ref(const void *a, const void *b)
{
	const struct person_record *x = a, *y = b;
	return strcmp(x->p.ref ? x->p.ref : "", y->p.ref ? y->p.ref : "");
}

/* The steps of S_AHEAD_STEPS onto cands[0..nc) (both in person id, then
 * candidacy id order; each candidacy's steps by seq). */
static enum kn_err steps_onto(struct store *s, const struct sargs *a, struct candidacy *cands,
			      size_t nc)
{
	struct srows r;
	size_t at = 0;
	int rc;
	enum kn_err e = q_open(s, S_AHEAD_STEPS, a, &r);

	if (e != KN_OK)
		return e;
	while ((rc = q_next(&r)) > 0) {
		int64_t cid = row_int(&r, 0);
		struct candidacy *c;
		while (at < nc && cands[at].id != cid)
			at++;
		if (at == nc) {
			q_close(&r);
			return store_fail(s, KN_EIO, "%s: a step of candidacy %lld out of order",
					  store_stmts[S_AHEAD_STEPS].name, (long long)cid);
		}
		c = &cands[at];
		c->steps = xreallocarray(c->steps, c->nsteps + 1, sizeof(*c->steps));
		row_step(&r, 1, &c->steps[c->nsteps++]);
	}
	return q_close(&r);
}

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

enum kn_err store_person_records(struct store *s, const char *const *refs, size_t n,
				 struct person_record **out, size_t *nout)
{
	struct person_record *recs = NULL;
	size_t nrecs = 0, ncands = 0, ntrs = 0;
	struct candidacy *cands = NULL;
	struct transfer *trs = NULL;
	struct sargs a = SARGS_INIT, b = SARGS_INIT;
	const char **uniq = xreallocarray(NULL, n + 1, sizeof(*uniq));
	json_t *arr = json_array(), *ids = json_array();
	char *js = NULL, *jids = NULL;
	size_t nu = 0, nj = 0;
	enum kn_err e = KN_OK;

	*out = NULL;
	*nout = 0;
	/* Each ref once (a batch names its introducers many times over). */
	for (size_t i = 0; i < n; i++)
		if (refs[i])
			uniq[nu++] = refs[i];
	xqsort(uniq, nu, sizeof(*uniq), ref_cmp);
	for (size_t i = 0; i < nu; i++)
		if ((i == 0 || strcmp(uniq[i], uniq[i - 1]) != 0) &&
		    json_array_append_new(arr, json_string(uniq[i])) == 0)
			nj++;	/* json_string(): NULL for text not valid UTF-8 */
	if (!nj)
		goto out;
	js = json_dumps(arr, JSON_COMPACT);
	arg_text(&a, js);
	if ((e = q_all(s, S_AHEAD_PEOPLE, &a, (void **)&recs, &nrecs, sizeof(*recs), rec_row)) !=
	    KN_OK)
		goto out;
	if (!nrecs)
		goto out;
	for (size_t i = 0; i < nrecs; i++)
		json_array_append_new(ids, json_integer((json_int_t)recs[i].p.id));
	jids = json_dumps(ids, JSON_COMPACT);
	arg_text(&b, jids);
	if ((e = q_all(s, S_AHEAD_CANDS, &b, (void **)&cands, &ncands, sizeof(*cands),
		       store_cand_row)) != KN_OK ||
	    (ncands && (e = steps_onto(s, &b, cands, ncands)) != KN_OK) ||
	    (e = q_all(s, S_AHEAD_TRANSFERS, &b, (void **)&trs, &ntrs, sizeof(*trs),
		       store_transfer_row)) != KN_OK)
		goto out;
	/* Each person's candidacies, a run of cands (both by person id). */
	for (size_t i = 0, at = 0; i < nrecs; i++) {
		size_t from;
		while (at < ncands && cands[at].person_id < recs[i].p.id)
			at++;	/* not expected: a person read in between */
		for (from = at; at < ncands && cands[at].person_id == recs[i].p.id; at++)
			;
		if (at > from) {
			recs[i].c = xreallocarray(NULL, at - from, sizeof(*recs[i].c));
			memcpy(recs[i].c, cands + from, (at - from) * sizeof(*cands));
			memset(cands + from, 0, (at - from) * sizeof(*cands));
			recs[i].nc = at - from;
		}
	}
	xqsort(recs, nrecs, sizeof(*recs), rec_by_ref);
	/* Each transfer to its person, by ref (the transfers by person id,
	 * each person's by date and id). */
	for (size_t i = 0; i < ntrs; i++) {
		struct person_record key, *x;
		memset(&key, 0, sizeof(key));
		key.p.ref = trs[i].person;
		x = trs[i].person ? bsearch(&key, recs, nrecs, sizeof(*recs), rec_by_ref) : NULL;
		if (!x)
			continue;	/* not expected: freed below */
		x->tr = xreallocarray(x->tr, x->ntr + 1, sizeof(*x->tr));
		x->tr[x->ntr++] = trs[i];
		transfer_init(&trs[i]);
	}
out:
	store_candidacies_free(cands, ncands);
	transfers_free(trs, ntrs);
	json_decref(arr);
	json_decref(ids);
	free(js);
	free(jids);
	free(uniq);
	if (e != KN_OK) {
		person_records_free(recs, nrecs);
		return e;
	}
	*out = recs;
	*nout = nrecs;
	return KN_OK;
}
