/*
 * store_transfers.c — transfers between units (RULES.md §8, migration
 * 009; store.h), written once for both backends with the statement
 * table.
 *
 * people.unit_id stays the person's current unit and moves at the `in`
 * (store_transfer_arrive), in the caller's transaction with the
 * transfer's in_date, the open candidacy's move and the stamping of its
 * earlier steps: a step counts for the unit its candidacy was in on its
 * date (steps.unit_id, NULL for the candidacy's), so that moving a
 * person never moves the figures already reported.
 */
#include <stdlib.h>
#include <string.h>

#include "core/transfer.h"
#include "store/store_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The columns of TRANSFER_COLS (statements.c). */
void store_transfer_row(const struct srows *r, void *item)
{
	struct transfer *t = item;
	transfer_init(t);
	t->id = row_int(r, 0);
	t->person = row_dup(r, 1);
	t->out_date = row_date(r, 2);
	t->from = row_dup(r, 3);
	t->to = row_dup(r, 4);
	t->in_date = row_date(r, 5);
	t->doc_no = row_dup(r, 6);
	t->note = row_dup(r, 7);
	t->override = row_dup(r, 8);
	t->override_by = row_dup(r, 9);
	t->recorded_by = row_dup(r, 10);
	t->recorded_at = row_dup(r, 11);
}

enum kn_err store_transfers_of(struct store *s, int64_t person_id, struct transfer **out,
			       size_t *n)
{
	struct sargs a = SARGS_INIT;
	enum kn_err e;
	arg_int(&a, person_id);
	e = q_all(s, S_TRANSFERS_OF, &a, (void **)out, n, sizeof(**out), store_transfer_row);
	Q_ALL_OR_NONE(e, out, n, transfers_free);
	return e;
}

enum kn_err store_transfer_each(struct store *s, store_transfer_fn fn, void *arg)
{
	struct srows r;
	enum kn_err e = q_open(s, S_TRANSFER_EACH, NULL, &r);
	int rc;
	if (e != KN_OK)
		return e;
	while ((rc = q_next(&r)) > 0) {
		struct transfer t;
		store_transfer_row(&r, &t);
		int stop = fn(arg, &t);
		transfer_release(&t);
		if (stop)
			break;
	}
	return q_close(&r);
}

enum kn_err store_transfer_add(struct store *s, int64_t person_id, const struct transfer *t,
			       int64_t *id)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	char at[32];
	enum kn_err e;

	store_now_iso(at);
	arg_int(&a, person_id);
	arg_date(&a, t->out_date);
	arg_text(&a, t->from);
	arg_text(&a, t->to);
	arg_date(&a, t->in_date);
	arg_text(&a, t->doc_no);
	arg_text(&a, t->note);
	arg_text(&a, t->override);
	arg_text(&a, t->override_by);
	arg_text(&a, t->recorded_by ? t->recorded_by : "");
	arg_text(&a, at);
	e = q_first(s, S_TRANSFER_INSERT, &a, &r);
	if (e == KN_ENOTFOUND)
		return store_fail(s, KN_EIO, "transfer_insert: no id returned");
	if (e != KN_OK)
		return e;
	if (id)
		*id = row_int(&r, 0);
	while (q_next(&r) > 0)
		;
	return q_close(&r);
}

/* Statement id with (an integer, a text): the shape of most writes here. */
static enum kn_err exec_it(struct store *s, enum stmt_id id, int64_t i, const char *t,
			   long long *changes)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, i);
	arg_text(&a, t);
	return q_exec(s, id, &a, changes);
}

enum kn_err store_transfer_arrive(struct store *s, const struct transfer *t, kn_date in_date,
				  int64_t person_id, int64_t open_cand)
{
	struct sargs a = SARGS_INIT;
	long long changes = 0;
	enum kn_err e;
	char iso[11];

	date_format_iso(in_date, iso);
	arg_int(&a, t->id);
	arg_text(&a, iso);
	if ((e = q_exec(s, S_TRANSFER_ARRIVE, &a, &changes)) != KN_OK)
		return e;
	if (changes != 1)
		return store_fail(s, KN_ECONFLICT, "%s",
				  _("the transfer was accepted by someone else meanwhile"));
	if ((e = exec_it(s, S_PERSON_MOVE, person_id, t->to, NULL)) != KN_OK)
		return e;
	if (open_cand > 0) {
		/* The steps dated before the arrival: the sending unit's. */
		struct sargs b = SARGS_INIT;
		arg_int(&b, open_cand);
		arg_text(&b, iso);
		arg_text(&b, t->from);
		if ((e = q_exec(s, S_STEPS_STAMP, &b, NULL)) != KN_OK ||
		    (e = exec_it(s, S_CAND_MOVE, open_cand, t->to, NULL)) != KN_OK)
			return e;
	}
	return KN_OK;
}

enum kn_err store_transfer_update(struct store *s, int64_t id, const struct transfer *t)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, id);
	arg_text(&a, t->doc_no);
	arg_text(&a, t->note);
	arg_text(&a, t->override);
	arg_text(&a, t->override_by);
	return q_exec(s, S_TRANSFER_UPDATE, &a, NULL);
}

enum kn_err store_step_set_unit(struct store *s, int64_t step_id, const char *unit_code)
{
	return exec_it(s, S_STEP_SET_UNIT, step_id, unit_code, NULL);
}

/* Each row of a transit statement (ref, name, from, to, out_date,
 * from-in-subtree) to fn, after the subtree range $lo, $hi was added to
 * a; the statement's other parameters are a's already. */
static enum kn_err transit_each(struct store *s, enum stmt_id id, const char *top,
				struct sargs *a, long long limit, store_transit_fn fn, void *arg)
{
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e;

	if ((e = store_unit_range(s, top, &lo, &hi)) != KN_OK)
		goto out;
	arg_text(a, lo.s);
	arg_text(a, hi.s);
	if (limit >= 0)
		arg_int(a, limit);
	if ((e = q_open(s, id, a, &r)) != KN_OK)
		goto out;
	while (q_next(&r) > 0) {
		struct transit t = { row_str(&r, 0), row_str(&r, 1), row_str(&r, 2),
				     row_str(&r, 3), row_date(&r, 4), (int)row_int(&r, 5) };
		if (fn(arg, &t))
			break;
	}
	e = q_close(&r);
out:
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_transfers_transit(struct store *s, const char *top, kn_date as_of,
				    store_transit_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;

	arg_date(&a, as_of);
	if (top)
		return transit_each(s, S_TRANSFER_TRANSIT, top, &a, -1, fn, arg);
	/* Every unit (issue 13): no subtree to test. */
	if ((e = q_open(s, S_TRANSFER_TRANSIT_ALL, &a, &r)) != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		struct transit t = { row_str(&r, 0), row_str(&r, 1), row_str(&r, 2),
				     row_str(&r, 3), row_date(&r, 4), (int)row_int(&r, 5) };
		if (fn(arg, &t))
			break;
	}
	return q_close(&r);
}

enum kn_err store_transfers_arriving(struct store *s, const char *top, long long limit,
				     store_transit_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;

	/* The statement's last column is 0: the sending side is not asked. */
	return transit_each(s, S_TRANSFERS_ARRIVING, top, &a, limit, fn, arg);
}
