/*
 * store_report.c — see store_report.h. Written once for both backends,
 * as store_reads.c: each function runs its statement of the table
 * (statements.c, "the root reports read what they print") and reads the
 * rows with store_impl.h's typed readers.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "store/store_report.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum kn_err store_report_units(struct store *s, const char *top, int depth, int year,
			       struct unit **out, long long **quota, size_t *n)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	size_t cap = 0;
	enum kn_err e;

	*out = NULL;
	*quota = NULL;
	*n = 0;
	arg_text(&a, top);
	arg_int(&a, depth < 0 ? 0 : depth);
	arg_int(&a, year);
	if ((e = q_open(s, S_REPORT_UNITS, &a, &r)) != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			*out = xreallocarray(*out, cap, sizeof(**out));
			*quota = xreallocarray(*quota, cap, sizeof(**quota));
		}
		row_unit(&r, 0, &(*out)[*n]);
		(*quota)[*n] = row_str(&r, 8) ? (long long)row_int(&r, 8) : -1;
		(*n)++;
	}
	if ((e = q_close(&r)) != KN_OK) {
		store_units_free(*out, *n);
		free(*quota);
		*out = NULL;
		*quota = NULL;
		*n = 0;
	}
	return e;
}

enum kn_err store_report_quota_top(struct store *s, const char *top, int year,
				   store_report_quota_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;

	arg_text(&a, top);
	arg_int(&a, year);
	if ((e = q_open(s, S_REPORT_QUOTA_TOP, &a, &r)) != KN_OK)
		return e;
	while (q_next(&r) > 0)
		if (fn(arg, row_str(&r, 0), row_int(&r, 1)))
			break;
	return q_close(&r);
}

/* q_open() of `all` (top NULL) or of `sub` with top's subtree as a range
 * of paths; a, lo and hi hold the arguments until q_close(). */
static enum kn_err open_period(struct store *s, const char *top, kn_date from, kn_date to,
			       enum stmt_id all, enum stmt_id sub, struct sargs *a,
			       struct buf *lo, struct buf *hi, struct srows *r)
{
	enum kn_err e;
	arg_date(a, from);
	arg_date(a, to);
	if (!top)
		return q_open(s, all, a, r);
	if ((e = store_unit_range(s, top, lo, hi)) != KN_OK)
		return e;
	arg_text(a, lo->s);
	arg_text(a, hi->s);
	return q_open(s, sub, a, r);
}

enum kn_err store_report_admission_units(struct store *s, const char *top, kn_date from,
					 kn_date to, store_report_units_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e = open_period(s, top, from, to, S_REPORT_ADM_UNITS_ALL, S_REPORT_ADM_UNITS,
				    &a, &lo, &hi, &r);

	if (e == KN_OK) {
		while (q_next(&r) > 0)
			if (fn(arg, row_int(&r, 0), row_str(&r, 1), row_int(&r, 2)))
				break;
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_report_admissions(struct store *s, const char *top, kn_date from, kn_date to,
				    int org, store_report_adm_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e = open_period(s, top, from, to,
				    org ? S_REPORT_ADM_CATS_ORG_ALL : S_REPORT_ADM_CATS_ALL,
				    org ? S_REPORT_ADM_CATS_ORG : S_REPORT_ADM_CATS, &a, &lo, &hi,
				    &r);

	if (e == KN_OK) {
		while (q_next(&r) > 0) {
			/* The row's own strings, const again in fn. */
			struct admission x = {
				.unit = NULL,
				.decision = row_date(&r, 0),
				.sex = row_sex(&r, 1),
				.birth_date = row_date(&r, 2),
				.ethnicity = (char *)row_str(&r, 3),
				.religion = (char *)row_str(&r, 4),
				.youth_union = (int)row_int(&r, 5),
				.occupation = (char *)row_str(&r, 6),
				.qualification = (char *)row_str(&r, 7),
				.readmission = (int)row_int(&r, 8),
				.unit_id = row_int(&r, 9),
			};
			if (fn(arg, &x, row_str(&r, 10), row_str(&r, 11),
			       org ? row_str(&r, 12) : NULL))
				break;
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_report_waiting_root(struct store *s, kn_date as_of, store_report_wait_fn fn,
				      void *arg)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	struct step *steps = NULL;
	size_t n = 0, cap = 0;
	int64_t cur = -1;
	kn_date ext = KN_DATE_NONE;
	int basic = 0, rc, stop = 0;
	enum kn_err e;

	arg_date(&a, as_of);
	if ((e = q_open(s, S_QUEUE_WAIT_ROOT, &a, &r)) != KN_OK)
		return e;
	do {
		rc = q_next(&r);
		int64_t at = rc > 0 ? row_int(&r, 0) : -2;
		if (cur >= 0 && at != cur) {
			if (rc >= 0)
				stop = fn(arg, steps, n, ext, basic);
			n = 0;
		}
		if (rc <= 0 || stop)
			break;
		if (at != cur) {
			cur = at;
			basic = (int)row_int(&r, 1);
			ext = row_date(&r, 4);
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			steps = xreallocarray(steps, cap, sizeof(*steps));
		}
		step_init(&steps[n]);
		steps[n].code = step_from_name(row_str(&r, 2));
		steps[n++].date = row_date(&r, 3);
	} while (rc > 0);
	free(steps);
	return q_close(&r);
}
