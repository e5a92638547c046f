/*
 * import_plan.c — importing the two lists that plan the year rather than
 * record a person (import_impl.h): quotas (a unit's admission target for a
 * year and structure category, once per file) and holidays (the days off
 * and the make-up working days of the calendar that deadlines are counted
 * in, a date once per file). Each is read whole, checked for duplicate
 * keys and, when nothing is refused, written with an audit entry for each
 * real change.
 */
#include <stdlib.h>
#include <string.h>

#include "io/export.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

struct quotas_ctx {
	struct codeset units;
	struct quota *rows;
	size_t *lines;
	size_t n, cap;
};

static void quota_row(struct imp *im, void *arg)
{
	struct quotas_ctx *qc = arg;
	struct quota q;
	long long y;

	memset(&q, 0, sizeof(q));
	q.unit = imp_get_unit_code(im, Q_UNIT, 1);
	if (q.unit && !codeset_has(&qc->units, q.unit))
		imp_problem(im, im->row.line, "unit",
			_("no unit %s in the database; import the units first"), q.unit);
	y = imp_get_count(im, Q_YEAR, 1, KN_YEAR_MAX);
	if (y >= 0 && y < KN_YEAR_MIN) {
		imp_problem(im, im->row.line, "year", _("%lld is not a year from %d to %d"), y,
			KN_YEAR_MIN, KN_YEAR_MAX);
	}
	q.year = (int)y;
	q.category = imp_get_code(im, Q_CATEGORY, import_category_valid,
			      _("%s is not a structure category; use total, female, "
				"ethnic_minority, religious, youth, youth_union, worker, farmer, "
				"student, civil_servant, nonstate_enterprise, hamlet, "
				"higher_education or readmitted"));
	if (!q.category && !imp_cell(im, Q_CATEGORY))
		q.category = xstrdup("total");
	q.target = imp_get_count(im, Q_TARGET, 1, 1000000000LL);
	if (im->rowbad) {
		free(q.unit);
		free(q.category);
		return;
	}
	if (qc->n == qc->cap) {
		qc->cap = qc->cap ? qc->cap * 2 : 64;
		qc->rows = xreallocarray(qc->rows, qc->cap, sizeof(*qc->rows));
		qc->lines = xreallocarray(qc->lines, qc->cap, sizeof(*qc->lines));
	}
	qc->rows[qc->n] = q;
	qc->lines[qc->n] = im->row.line;
	qc->n++;
}

static int quota_key_cmp(const struct quota *x, const struct quota *y)
{
	int c = strcmp(x->unit, y->unit);
	if (c)
		return c;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return strcmp(x->category, y->category);
}

static int quota_cmp(const void *a, const void *b)
{
	return quota_key_cmp(a, b);
}

static int quota_idx_cmp(const void *a, const void *b, void *arg)
{
	const struct quotas_ctx *qc = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = quota_key_cmp(&qc->rows[x], &qc->rows[y]);
	return c ? c : (x < y ? -1 : x > y);
}

enum kn_err import_quotas(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct quotas_ctx qc;
	struct unit *units = NULL;
	struct quota *old = NULL;
	size_t nunits = 0, nold = 0;
	size_t *idx = NULL;
	enum kn_err e;

	memset(&qc, 0, sizeof(qc));
	if ((e = store_unit_all(im->s, &units, &nunits)) != KN_OK ||
	    (e = store_quota_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	qc.units.v = xreallocarray(NULL, nunits + 1, sizeof(char *));
	for (size_t i = 0; i < nunits; i++)
		qc.units.v[i] = units[i].code;
	qc.units.n = nunits;
	imp_read_rows(im, data, len, quota_row, &qc);

	idx = xreallocarray(NULL, qc.n + 1, sizeof(*idx));
	for (size_t i = 0; i < qc.n; i++)
		idx[i] = i;
	xqsort_r(idx, qc.n, sizeof(*idx), quota_idx_cmp, &qc);
	for (size_t i = 1; i < qc.n; i++)
		if (quota_key_cmp(&qc.rows[idx[i]], &qc.rows[idx[i - 1]]) == 0)
			imp_problem(im, qc.lines[idx[i]], "unit",
				_("the quota of %s for %d (%s) is also on line %zu"),
				qc.rows[idx[i]].unit, qc.rows[idx[i]].year,
				qc.rows[idx[i]].category, qc.lines[idx[i - 1]]);
	if (im->nprobs || im->header_bad)
		goto out;

	for (size_t i = 0; i < qc.n; i++) {
		const struct quota *q = &qc.rows[i];
		const struct quota *was = nold ? bsearch(q, old, nold, sizeof(*old), quota_cmp)
					       : NULL;
		struct buf before = BUF_INIT, after = BUF_INIT, key = BUF_INIT;
		int changed;

		/* A quota not read at the start is new (issue 13: as in
		 * import_people()). */
		changed = 2;
		e = was ? store_quota_put(im->s, q, &changed) : store_quota_add(im->s, q);
		if (e != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, qc.lines[i], store_errmsg(im->s));
			goto out;
		}
		if (changed == 1) {
			if (was)
				export_quota_row(&before, was);
			export_quota_row(&after, q);
			buf_addf(&key, "%s/%d/%s", q->unit, q->year, q->category);
		}
		e = imp_after_put(im, changed, "quota", key.s, was ? &before : NULL, &after, i + 1,
				  qc.n, err);
		buf_release(&key);
		if (e != KN_OK)
			goto out;
	}
out:
	for (size_t i = 0; i < qc.n; i++) {
		free(qc.rows[i].unit);
		free(qc.rows[i].category);
	}
	free(qc.rows);
	free(qc.lines);
	free(qc.units.v);
	free(idx);
	store_units_free(units, nunits);
	store_quotas_free(old, nold);
	return e;
}

/* ---- holidays ---- */

struct holidays_ctx {
	struct holiday *rows;
	size_t *lines;
	size_t n, cap;
};

static void holiday_row(struct imp *im, void *arg)
{
	struct holidays_ctx *hc = arg;
	struct holiday h;

	memset(&h, 0, sizeof(h));
	h.date = imp_get_date(im, H_DATE, 1);
	h.workday = imp_get_bool(im, H_WORKDAY, 0);
	h.name = imp_get(im, H_NAME, 0);
	if (im->rowbad || h.date == KN_DATE_NONE) {
		/* No date is no row: KN_DATE_NONE is no day to compare or
		 * print (formatted, it gave ")*,/-06-23"). */
		free(h.name);
		return;
	}
	if (hc->n == hc->cap) {
		hc->cap = hc->cap ? hc->cap * 2 : 32;
		hc->rows = xreallocarray(hc->rows, hc->cap, sizeof(*hc->rows));
		hc->lines = xreallocarray(hc->lines, hc->cap, sizeof(*hc->lines));
	}
	hc->rows[hc->n] = h;
	hc->lines[hc->n] = im->row.line;
	hc->n++;
}

static int holiday_cmp(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;
	return x->date < y->date ? -1 : x->date > y->date;
}

static int holiday_idx_cmp(const void *a, const void *b, void *arg)
{
	const struct holidays_ctx *hc = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = holiday_cmp(&hc->rows[x], &hc->rows[y]);
	return c ? c : (x < y ? -1 : x > y);
}

enum kn_err import_holidays(struct imp *im, const char *data, size_t len,
				   struct buf *err)
{
	struct holidays_ctx hc;
	struct holiday *old = NULL;
	size_t nold = 0, *idx = NULL;
	enum kn_err e;

	memset(&hc, 0, sizeof(hc));
	if ((e = store_holiday_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		return e;
	}
	imp_read_rows(im, data, len, holiday_row, &hc);
	idx = xreallocarray(NULL, hc.n + 1, sizeof(*idx));
	for (size_t i = 0; i < hc.n; i++)
		idx[i] = i;
	xqsort_r(idx, hc.n, sizeof(*idx), holiday_idx_cmp, &hc);
	for (size_t i = 1; i < hc.n; i++)
		if (hc.rows[idx[i]].date == hc.rows[idx[i - 1]].date) {
			char d[11];
			date_format_iso(hc.rows[idx[i]].date, d);
			imp_problem(im, hc.lines[idx[i]], "date", _("%s is also on line %zu"), d,
				hc.lines[idx[i - 1]]);
		}
	if (im->nprobs || im->header_bad)
		goto out;

	for (size_t i = 0; i < hc.n; i++) {
		const struct holiday *h = &hc.rows[i];
		const struct holiday *was = nold ? bsearch(h, old, nold, sizeof(*old),
							    holiday_cmp) : NULL;
		struct buf before = BUF_INIT, after = BUF_INIT;
		char key[11];
		int changed;

		if ((e = store_holiday_put(im->s, h, &changed)) != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, hc.lines[i], store_errmsg(im->s));
			goto out;
		}
		date_format_iso(h->date, key);
		if (changed == 1) {
			if (was)
				export_holiday_row(&before, was);
			export_holiday_row(&after, h);
		}
		if ((e = imp_after_put(im, changed, "holiday", key, was ? &before : NULL, &after,
				       i + 1, hc.n, err)) != KN_OK)
			goto out;
	}
out:
	for (size_t i = 0; i < hc.n; i++)
		free(hc.rows[i].name);
	free(hc.rows);
	free(hc.lines);
	free(idx);
	holidays_free(old, nold);
	return e;
}
