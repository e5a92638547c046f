/*
 * store_reads.c — the store's reads and reports (store.h): the export's
 * steps, the reports' admissions, step counts and pipelines (each over a
 * unit's subtree, a range of the units' paths: store_unit_range), the
 * list of candidates (a page at a time), and `ketnap verify`'s iterators.
 * Written once for both backends: each runs its statement of the table
 * (statements.c) and
 * reads the rows with store_impl.h's typed readers.
 *
 * The streamed statements (ST_STREAM) hand their rows to the caller's
 * function one at a time, or one candidacy at a time for the pipelines;
 * on PostgreSQL no other statement may run on the store meanwhile, so a
 * caller's function must not use the store (as before the port: these
 * were single-row reads there already).
 */
#include <stdlib.h>
#include <string.h>

#include "core/transfer.h"
#include "store/store_impl.h"
#include "util/buf.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* q_all(), and on a failure no rows: those read are freed with drop
 * (the array's free function of store.h). */
static enum kn_err all_rows(struct store *s, enum stmt_id id, const struct sargs *a,
			    void **out, size_t *n, size_t size,
			    void (*fn)(const struct srows *r, void *item),
			    void (*drop)(void *rows, size_t n))
{
	enum kn_err e = q_all(s, id, a, out, n, size, fn);
	if (e != KN_OK) {
		drop(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}

static void admissions_drop(void *rows, size_t n)
{
	store_admissions_free(rows, n);
}

static void cand_summaries_drop(void *rows, size_t n)
{
	store_cand_summaries_free(rows, n);
}

static void unit_links_drop(void *rows, size_t n)
{
	store_unit_links_free(rows, n);
}

enum kn_err store_step_each(struct store *s, store_step_fn fn, void *arg)
{
	struct srows r;
	enum kn_err e = q_open(s, S_STEP_EACH, NULL, &r);
	if (e != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		struct step x;
		int stop;
		row_step(&r, 1, &x);
		stop = fn(arg, row_str(&r, 0), &x);
		step_release(&x);
		if (stop)
			break;
	}
	return q_close(&r);
}

/* ---- reports ---- */

/* What the structure categories (RULES.md §6) need of a person, as
 * S_ADMISSIONS and S_CAND_PAGE have it from column at: sex, birth date,
 * ethnicity, religion, youth union, occupation, qualification. */
struct cats {
	char *sex;
	kn_date *birth_date;
	char **ethnicity, **religion;
	int *youth_union;
	char **occupation, **qualification;
};

static void row_cats(const struct srows *r, int at, const struct cats *c)
{
	*c->sex = row_sex(r, at);
	*c->birth_date = row_date(r, at + 1);
	*c->ethnicity = row_dup(r, at + 2);
	*c->religion = row_dup(r, at + 3);
	*c->youth_union = (int)row_int(r, at + 4);
	*c->occupation = row_dup(r, at + 5);
	*c->qualification = row_dup(r, at + 6);
}

static void admission_row(const struct srows *r, void *item)
{
	struct admission *a = item;
	a->unit = row_dup(r, 0);
	a->decision = row_date(r, 1);
	row_cats(r, 2, &(struct cats){ &a->sex, &a->birth_date, &a->ethnicity, &a->religion,
				       &a->youth_union, &a->occupation, &a->qualification });
	a->readmission = (int)row_int(r, 9);
	a->unit_id = row_int(r, 10);
}

/* Append to a the subtree of top (NULL: every unit) as a range of the
 * units' paths, lo <= path < hi (lo and hi must live as long as a). */
static enum kn_err arg_subtree(struct store *s, const char *top, struct sargs *a, struct buf *lo,
			       struct buf *hi)
{
	enum kn_err e = store_unit_range(s, top, lo, hi);
	if (e == KN_OK) {
		arg_text(a, lo->s);
		arg_text(a, hi->s);
	}
	return e;
}

enum kn_err store_admissions(struct store *s, const char *top, kn_date from, kn_date to,
			     struct admission **out, size_t *n)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	enum kn_err e;

	*out = NULL;
	*n = 0;
	arg_date(&a, from);
	arg_date(&a, to);
	if (!top)
		e = all_rows(s, S_ADMISSIONS_ALL, &a, (void **)out, n, sizeof(**out),
			     admission_row, admissions_drop);
	else if ((e = arg_subtree(s, top, &a, &lo, &hi)) == KN_OK)
		e = all_rows(s, S_ADMISSIONS, &a, (void **)out, n, sizeof(**out), admission_row,
			     admissions_drop);
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

/* q_open() of a statement of the period from..to: `all` over every unit
 * (top NULL), else `sub` over top's subtree; a, lo and hi hold its
 * arguments until q_close(). */
static enum kn_err open_period(struct store *s, const char *top, kn_date from, kn_date to,
			       enum stmt_id all, enum stmt_id sub, struct sargs *a,
			       struct buf *lo, struct buf *hi, struct srows *r)
{
	enum kn_err e;
	arg_date(a, from);
	arg_date(a, to);
	if (!top)
		return q_open(s, all, a, r);
	if ((e = arg_subtree(s, top, a, lo, hi)) != KN_OK)
		return e;
	return q_open(s, sub, a, r);
}

enum kn_err store_admissions_each(struct store *s, const char *top, kn_date from, kn_date to,
				  store_admission_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e = open_period(s, top, from, to, S_ADMISSIONS_ALL, S_ADMISSIONS, &a, &lo,
				    &hi, &r);

	if (e == KN_OK) {
		while (q_next(&r) > 0) {
			/* The row's own strings: the const goes only as far
			 * as fn, which sees them const again. */
			struct admission x = {
				.unit = (char *)row_str(&r, 0),
				.unit_id = row_int(&r, 10),
				.decision = row_date(&r, 1),
				.sex = row_sex(&r, 2),
				.birth_date = row_date(&r, 3),
				.ethnicity = (char *)row_str(&r, 4),
				.religion = (char *)row_str(&r, 5),
				.youth_union = (int)row_int(&r, 6),
				.occupation = (char *)row_str(&r, 7),
				.qualification = (char *)row_str(&r, 8),
				.readmission = (int)row_int(&r, 9),
			};
			if (fn(arg, &x))
				break;
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_admission_units_each(struct store *s, const char *top, kn_date from,
				       kn_date to, store_admission_unit_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e = open_period(s, top, from, to, S_ADMISSION_UNITS_ALL, S_ADMISSION_UNITS,
				    &a, &lo, &hi, &r);

	if (e == KN_OK) {
		while (q_next(&r) > 0)
			if (fn(arg, row_int(&r, 0)))
				break;
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* store_step_counts() of every unit: per step code, the candidacies of
 * its steps dated from..to, each counted once (S_STEP_CANDS_ALL). */
static enum kn_err step_counts_all(struct store *s, struct sargs *a,
				   long long reached[STEP__COUNT])
{
	int64_t *ids = NULL;
	size_t cap = 0;
	enum kn_err e = KN_OK;

	for (int c = STEP_NONE + 1; c < STEP__COUNT && e == KN_OK; c++) {
		struct sargs b = *a;
		struct srows r;
		size_t n = 0;
		arg_text(&b, step_name((enum step_code)c));
		if ((e = q_open(s, S_STEP_CANDS_ALL, &b, &r)) != KN_OK)
			break;
		while (q_next(&r) > 0) {
			if (n == cap) {
				cap = cap ? 2 * cap : 4096;
				ids = xreallocarray(ids, cap, sizeof(*ids));
			}
			ids[n++] = row_int(&r, 0);
		}
		if ((e = q_close(&r)) != KN_OK)
			break;
		xqsort(ids, n, sizeof(*ids), id_cmp);
		for (size_t i = 0; i < n; i++)
			reached[c] += i == 0 || ids[i] != ids[i - 1];
	}
	free(ids);
	return e;
}

enum kn_err store_step_counts(struct store *s, const char *top, kn_date from, kn_date to,
			      long long reached[STEP__COUNT])
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e;

	memset(reached, 0, sizeof(long long) * STEP__COUNT);
	arg_date(&a, from);
	arg_date(&a, to);
	if (!top)
		return step_counts_all(s, &a, reached);
	/* Issue 15: the unstamped steps, then the few stamped at a transfer. */
	static const enum stmt_id ids[] = { S_STEP_COUNTS, S_STEP_COUNTS_MOVED };
	e = arg_subtree(s, top, &a, &lo, &hi);
	for (size_t i = 0; i < 2 && e == KN_OK; i++) {
		if ((e = q_open(s, ids[i], &a, &r)) != KN_OK)
			break;
		while (q_next(&r) > 0) {
			enum step_code c = step_from_name(row_str(&r, 0));
			if (c > STEP_NONE && c < STEP__COUNT)
				reached[c] += row_int(&r, 1);
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

/* Rows of S_PIPELINE or S_PIPELINE_DATES (candidacy id, person's ref and
 * name, unit, then the step), gathered into one candidacy at a time for
 * fn. `facts`: the step has every fact (STEP_COLS), else only its id,
 * code and date; PIPE_BARE: S_PIPELINE_DATES_BARE's rows, the person's
 * id instead of the ref (and no name). A candidacy is handed over once
 * its last row was read: after a failure, the one being gathered is
 * dropped. */
#define PIPE_BARE 2
/* S_PIPELINE_LATEST's rows (| PIPE_BARE: S_PIPELINE_LATEST_BARE's): a
 * candidacy with column 8 set comes as one row whose columns 9–15 hold
 * the latest date of each of latest_kinds (NULL: none), made into one
 * step each. */
#define PIPE_LATEST 4
static const enum step_code latest_kinds[] = {
	STEP_TRAINED, STEP_INTRODUCED, STEP_CELL_VOTE, STEP_COMMITTEE_VOTE, STEP_DECISION,
	STEP_CEREMONY, STEP_PROBATION_VOTE,
};
#define NLATEST (sizeof(latest_kinds) / sizeof(*latest_kinds))
static enum kn_err pipeline_run(struct store *s, enum stmt_id id, const struct sargs *a,
				int facts, store_pipeline_fn fn, void *arg)
{
	struct srows r;
	struct step *steps = NULL;
	size_t nsteps = 0, cap = 0;
	int64_t cur = -1, pid = 0;
	char *ref = NULL, *name = NULL, *unit = NULL;
	kn_date ext = KN_DATE_NONE;
	int rc, stop = 0;
	enum kn_err e = q_open(s, id, a, &r);

	if (e != KN_OK)
		return e;
	do {
		rc = q_next(&r);
		int64_t at = rc > 0 ? row_int(&r, 0) : -2;
		if (cur >= 0 && at != cur) {
			if (rc >= 0) {
				struct pipeline p = { ref, name, unit, steps, nsteps, ext, pid, 0 };
				stop = fn(arg, &p);
			}
			for (size_t i = 0; i < nsteps; i++)
				step_release(&steps[i]);
			nsteps = 0;
			free(ref);
			free(name);
			free(unit);
			ref = name = unit = NULL;
		}
		if (rc <= 0 || stop)
			break;
		if (at != cur) {
			cur = at;
			if (facts & PIPE_BARE) {
				pid = row_int(&r, 1);
			} else {
				ref = row_dup(&r, 1);
				name = row_dup(&r, 2);
			}
			unit = row_dup(&r, 3);
			/* S_PIPELINE_DATES's last column (issue 15) */
			ext = facts == 1 ? KN_DATE_NONE : row_date(&r, 7);
		}
		if ((facts & PIPE_LATEST) && row_int(&r, 8)) {
			if (cap < NLATEST) {
				cap = 16;
				steps = xreallocarray(steps, cap, sizeof(*steps));
			}
			for (size_t k = 0; k < NLATEST; k++) {
				kn_date d = row_date(&r, 9 + (int)k);
				if (d == KN_DATE_NONE)
					continue;
				step_init(&steps[nsteps]);
				steps[nsteps].code = latest_kinds[k];
				steps[nsteps++].date = d;
			}
			continue;
		}
		if (nsteps == cap) {
			cap = cap ? cap * 2 : 16;
			steps = xreallocarray(steps, cap, sizeof(*steps));
		}
		struct step *x = &steps[nsteps++];
		if (facts == 1) {
			row_step(&r, 4, x);
		} else {
			step_init(x);
			x->id = row_int(&r, 4);
			x->code = step_from_name(row_str(&r, 5));
			x->date = row_date(&r, 6);
		}
	} while (rc > 0);
	free(steps);
	return q_close(&r);
}

enum kn_err store_pipeline_each(struct store *s, kn_date as_of, store_pipeline_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	arg_date(&a, as_of);
	return pipeline_run(s, S_PIPELINE, &a, 1, fn, arg);
}

/* The pipelines of a subtree: statement id with as_of and the range. */
static enum kn_err pipeline_sub(struct store *s, enum stmt_id id, const char *top, kn_date as_of,
				store_pipeline_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	enum kn_err e;
	arg_date(&a, as_of);
	if ((e = arg_subtree(s, top, &a, &lo, &hi)) == KN_OK)
		e = pipeline_run(s, id, &a, (id == S_PIPELINE_DATES_BARE ||
					     id == S_PIPELINE_LATEST_BARE ||
					     id == S_PIPELINE_LATER_BARE ? PIPE_BARE : 0) |
					    (id == S_PIPELINE_LATEST || id == S_PIPELINE_LATEST_BARE ||
					     id == S_PIPELINE_LATER || id == S_PIPELINE_LATER_BARE ?
					     PIPE_LATEST : 0), fn, arg);
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_pipeline_dates(struct store *s, const char *top, kn_date as_of,
				 store_pipeline_fn fn, void *arg)
{
	return pipeline_sub(s, S_PIPELINE_DATES, top, as_of, fn, arg);
}

enum kn_err store_queue_dates(struct store *s, const char *top, kn_date as_of,
			      store_pipeline_fn fn, void *arg)
{
	return pipeline_sub(s, S_QUEUE_DATES, top, as_of, fn, arg);
}

enum kn_err store_pipeline_dates_bare(struct store *s, const char *top, kn_date as_of,
				      store_pipeline_fn fn, void *arg)
{
	return pipeline_sub(s, S_PIPELINE_DATES_BARE, top, as_of, fn, arg);
}

/* The rows of an S_PIPELINE_SETTLED statement, one candidacy each, to fn;
 * *stop set when fn asked to stop. The strings are the row's, valid
 * during the call. */
static enum kn_err settled_run(struct store *s, enum stmt_id id, const struct sargs *a, int bare,
			       store_pipeline_fn fn, void *arg, int *stop)
{
	struct srows r;
	struct step steps[NLATEST];
	/* the statements of every unit give the unit's id */
	int by_id = id == S_PIPELINE_SETTLED_ALL || id == S_PIPELINE_SETTLED_ALL_BARE;
	enum kn_err e = q_open(s, id, a, &r);

	if (e != KN_OK)
		return e;
	while (!*stop && q_next(&r) > 0) {
		size_t n = 0;
		for (size_t k = 0; k < NLATEST; k++) {
			kn_date d = row_date(&r, 5 + (int)k);
			if (d == KN_DATE_NONE)
				continue;
			step_init(&steps[n]);
			steps[n].code = latest_kinds[k];
			steps[n++].date = d;
		}
		struct pipeline p = { bare ? NULL : row_str(&r, 1), bare ? NULL : row_str(&r, 2),
				      by_id ? NULL : row_str(&r, 3), steps, n, row_date(&r, 4),
				      bare ? row_int(&r, 1) : 0, by_id ? row_int(&r, 3) : 0 };
		*stop = fn(arg, &p);
		for (size_t k = 0; k < n; k++)
			step_release(&steps[k]);
	}
	return q_close(&r);
}

/* Fewer steps than this dated after as_of are read rather than the
 * subtree's open candidacies (S_PIPELINE_LATER): 10,000 of them cost
 * some 30 ms wherever the subtree is. */
#define LATER_FEW 10000

enum kn_err store_pipeline_latest(struct store *s, const char *top, kn_date as_of, int bare,
				  store_pipeline_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	enum kn_err e = KN_OK;
	int stop = 0;

	/* The settled candidacies first, one row each, then the others. */
	arg_date(&a, as_of);
	if (!top)
		e = settled_run(s, bare ? S_PIPELINE_SETTLED_ALL_BARE : S_PIPELINE_SETTLED_ALL, &a,
				bare, fn, arg, &stop);
	else if ((e = arg_subtree(s, top, &a, &lo, &hi)) == KN_OK)
		e = settled_run(s, bare ? S_PIPELINE_SETTLED_BARE : S_PIPELINE_SETTLED, &a, bare, fn,
				arg, &stop);
	buf_release(&lo);
	buf_release(&hi);
	if (e != KN_OK || stop)
		return e;
	/* The others: those with a step after as_of found through those
	 * steps when they are few (as of today, none), else through the
	 * subtree's units. */
	struct sargs b = SARGS_INIT;
	struct srows r;
	long long later = LATER_FEW;
	arg_date(&b, as_of);
	arg_int(&b, LATER_FEW);
	if ((e = q_first(s, S_STEPS_LATER, &b, &r)) != KN_OK)
		return e;
	later = row_int(&r, 0);
	if ((e = q_close(&r)) != KN_OK)
		return e;
	if (later < LATER_FEW)
		return pipeline_sub(s, bare ? S_PIPELINE_LATER_BARE : S_PIPELINE_LATER, top, as_of,
				    fn, arg);
	return pipeline_sub(s, bare ? S_PIPELINE_LATEST_BARE : S_PIPELINE_LATEST, top, as_of, fn,
			    arg);
}

static enum kn_err wrong_run(struct store *s, enum stmt_id id, store_wrong_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	int stop = 0;
	enum kn_err e = q_open(s, id, &a, &r);
	if (e != KN_OK)
		return e;
	while (!stop && q_next(&r) > 0)
		stop = fn(arg, row_int(&r, 0), row_str(&r, 1));
	return q_close(&r);
}

enum kn_err store_cand_dates_wrong(struct store *s, store_wrong_fn fn, void *arg)
{
	return wrong_run(s, S_CAND_DATES_WRONG, fn, arg);
}

enum kn_err store_people_latest_wrong(struct store *s, store_wrong_fn fn, void *arg)
{
	return wrong_run(s, S_PEOPLE_LATEST_WRONG, fn, arg);
}

#define NAMES_BATCH 500

enum kn_err store_people_names(struct store *s, const int64_t *ids, size_t n, store_name_fn fn,
			       void *arg)
{
	struct buf json = BUF_INIT;
	enum kn_err e = KN_OK;
	int stop = 0;

	for (size_t i = 0; i < n && e == KN_OK && !stop; i += NAMES_BATCH) {
		struct sargs a = SARGS_INIT;
		struct srows r;
		int rc;
		buf_reset(&json);
		buf_addc(&json, '[');
		for (size_t k = i; k < n && k < i + NAMES_BATCH; k++)
			buf_addf(&json, "%s%lld", k > i ? "," : "", (long long)ids[k]);
		buf_addc(&json, ']');
		arg_text(&a, json.s);
		if ((e = q_open(s, S_PEOPLE_NAMES, &a, &r)) != KN_OK)
			break;
		while (!stop && (rc = q_next(&r)) > 0)
			stop = fn(arg, row_int(&r, 0), row_str(&r, 1), row_str(&r, 2));
		e = q_close(&r);
	}
	buf_release(&json);
	return e;
}

enum kn_err store_queue_wait(struct store *s, const char *top, kn_date as_of,
			     store_pipeline_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	if (top)
		return pipeline_sub(s, S_QUEUE_WAIT, top, as_of, fn, arg);
	arg_date(&a, as_of);
	return pipeline_run(s, S_QUEUE_WAIT_ALL, &a, 0, fn, arg);
}

/* ---- the list of candidates ---- */

static void cand_summary_row(const struct srows *r, void *item)
{
	struct cand_summary *c = item;
	c->candidacy_id = row_int(r, 0);	/* NULL (no candidacy) reads 0 */
	c->ref = row_dup(r, 1);
	c->full_name = row_dup(r, 2);
	c->unit = row_dup(r, 3);
	c->stage = row_str(r, 4) ? step_from_name(row_str(r, 4)) : STEP_NONE;
	c->open = (int)row_int(r, 5);
	c->last_date = row_date(r, 6);
	c->decision = row_date(r, 7);
	row_cats(r, 8, &(struct cats){ &c->sex, &c->birth_date, &c->ethnicity, &c->religion,
				       &c->youth_union, &c->occupation, &c->qualification });
	c->member_since = row_date(r, 15);
	c->official_since = row_date(r, 16);
	c->readmission = (int)row_int(r, 17);	/* NULL (no candidacy) reads 0 */
}

/* $1 … $7 of S_CAND_PAGE and S_CAND_COUNT; pat holds $1's text. */
static void cand_filter_args(const struct cand_filter *f, struct buf *pat, struct sargs *a)
{
	/* LIKE metacharacters in the search text match themselves. */
	if (f->folded && *f->folded) {
		store_like_escape(f->folded, pat);
		arg_text(a, pat->s);
	} else {
		arg_null(a);
	}
	arg_text(a, f->ref && *f->ref ? f->ref : NULL);
	arg_text(a, f->unit);
	arg_text(a, f->stage);
	arg_int(a, (int64_t)f->whom);
	arg_int(a, f->people ? 1 : 0);
	arg_date(a, f->today);
}

/* The by-unit plan needs a unit and cannot bring people without a
 * candidacy. */
static int by_unit(const struct cand_filter *f)
{
	return f->plan == CAND_BY_UNIT && f->unit && !f->people;
}

/* Issue 13: only people with a candidacy pass (no `people`, no ref
 * searched), so the count and a SCAN read the candidacies' side (the open
 * ones alone when only those pass) rather than everyone. */
static enum stmt_id cand_side(const struct cand_filter *f, enum stmt_id all, enum stmt_id open,
			      enum stmt_id people)
{
	if (f->people || (f->ref && *f->ref))
		return people;
	return f->whom == CAND_OPEN ? open : all;
}

/* Migration 018: a list whose rows are judged by the person's latest
 * candidacy alone (any, open or not open; no stage, no people without
 * one, no ref searched) is read from people_latest_open or people_latest
 * (S_CAND_PAGE_LOPEN …) unless the plan reads a small subtree by unit:
 * the subtree and the search are judged in the index. open, any: the statements of each index;
 * S__COUNT: the list's own statements. */
static enum stmt_id cand_latest(const struct cand_filter *f, enum stmt_id open, enum stmt_id any)
{
	/* A small subtree (by_unit) is cheaper read whole and sorted: a
	 * district's few hundred candidacies, against a walk of the whole
	 * index when a search leaves few rows. */
	if (f->people || (f->ref && *f->ref) || f->stage || by_unit(f))
		return S__COUNT;
	if (f->whom == CAND_OPEN)
		return open;
	if (f->whom == CAND_ALL || f->whom == CAND_NOT_OPEN)
		return any;
	return S__COUNT;
}

int store_cand_keyed(const struct cand_filter *f)
{
	return by_unit(f) || cand_latest(f, S_CAND_PAGE_LOPEN, S_CAND_PAGE_LANY) != S__COUNT;
}

enum kn_err store_cand_page(struct store *s, const struct cand_filter *f, const char *after,
			    long long offset, size_t limit, struct cand_summary **out, size_t *n)
{
	struct sargs a = SARGS_INIT;
	struct buf pat = BUF_INIT;
	enum kn_err e;

	cand_filter_args(f, &pat, &a);
	arg_text(&a, after && *after ? after : NULL);
	arg_int(&a, (int64_t)limit);
	arg_int(&a, offset > 0 ? offset : 0);
	enum stmt_id id = cand_latest(f, S_CAND_PAGE_LOPEN, S_CAND_PAGE_LANY);
	if (id == S__COUNT)
		id = by_unit(f) ? S_CAND_PAGE_UNIT : f->plan == CAND_SCAN
		     ? cand_side(f, S_CAND_PAGE_CSCAN, S_CAND_PAGE_OSCAN, S_CAND_PAGE_SCAN)
		     : S_CAND_PAGE;
	e = all_rows(s, id, &a, (void **)out, n,
		     sizeof(**out), cand_summary_row, cand_summaries_drop);
	buf_release(&pat);
	return e;
}

enum kn_err store_cand_page_before(struct store *s, const struct cand_filter *f,
				   const char *before, size_t limit, struct cand_summary **out,
				   size_t *n)
{
	struct sargs a = SARGS_INIT;
	struct buf pat = BUF_INIT;
	enum kn_err e;

	cand_filter_args(f, &pat, &a);
	arg_text(&a, before);
	arg_int(&a, (int64_t)limit);
	arg_int(&a, 0);
	enum stmt_id id = cand_latest(f, S_CAND_PAGE_LOPEN_BEFORE, S_CAND_PAGE_LANY_BEFORE);
	if (id == S__COUNT)
		id = by_unit(f) ? S_CAND_PAGE_UNIT_BEFORE : S_CAND_PAGE_BEFORE;
	e = all_rows(s, id, &a,
		     (void **)out, n, sizeof(**out), cand_summary_row, cand_summaries_drop);
	buf_release(&pat);
	return e;
}

enum kn_err store_cand_count(struct store *s, const struct cand_filter *f, long long cap,
			     long long *n)
{
	struct sargs a = SARGS_INIT;
	struct buf pat = BUF_INIT;
	struct srows r;
	enum kn_err e;

	cand_filter_args(f, &pat, &a);
	arg_int(&a, cap);
	*n = 0;
	enum stmt_id id = cand_latest(f, S_CAND_COUNT_LOPEN, S_CAND_COUNT_LANY);
	if (id == S__COUNT)
		id = by_unit(f) ? S_CAND_COUNT_UNIT
		     : cand_side(f, S_CAND_COUNT_CAND, S_CAND_COUNT_OPEN, S_CAND_COUNT);
	if ((e = q_first(s, id, &a, &r)) == KN_OK) {
		*n = row_int(&r, 0);
		e = q_close(&r);
	}
	buf_release(&pat);
	return e;
}

/* A step of S_CAND_STEP_DATES: its id, code and date. */
static void step_date_row(const struct srows *r, void *item)
{
	struct step *x = item;
	step_init(x);
	x->id = row_int(r, 0);
	x->code = step_from_name(row_str(r, 1));
	x->date = row_date(r, 2);
}

static void step_dates_drop(void *rows, size_t n)
{
	store_step_dates_free(rows, n);
}

enum kn_err store_cand_step_dates(struct store *s, int64_t candidacy_id, struct step **out,
				  size_t *n)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, candidacy_id);
	return all_rows(s, S_CAND_STEP_DATES, &a, (void **)out, n, sizeof(**out), step_date_row,
			step_dates_drop);
}

void store_step_dates_free(struct step *st, size_t n)
{
	for (size_t i = 0; st && i < n; i++)
		step_release(&st[i]);
	free(st);
}

/* ---- verify ---- */

static void unit_link_row(const struct srows *r, void *item)
{
	struct unit_link *u = item;
	u->id = row_int(r, 0);
	u->code = row_dup(r, 1);
	u->parent_id = row_int(r, 2);	/* NULL reads 0 */
	u->path = row_dup(r, 3);
}

enum kn_err store_unit_links(struct store *s, struct unit_link **out, size_t *n)
{
	return all_rows(s, S_UNIT_LINKS, NULL, (void **)out, n, sizeof(**out), unit_link_row,
			unit_links_drop);
}

enum kn_err store_candidacy_each(struct store *s, store_cand_fn fn, void *arg)
{
	struct cand_acc acc = CAND_ACC_INIT(fn, arg);
	struct srows r;
	int rc;
	enum kn_err e = q_open(s, S_CAND_EACH, NULL, &r);

	if (e != KN_OK)
		return e;
	while ((rc = q_next(&r)) > 0) {
		struct cand_row x = {
			.id = row_int(&r, 0),
			.person_id = row_int(&r, 1),
			.ref = row_str(&r, 2),
			.name = row_str(&r, 3),
			.member_since = row_str(&r, 4),
			.official_since = row_str(&r, 5),
			.unit = row_str(&r, 6),
			.stage = row_str(&r, 7),
			.open = (int)row_int(&r, 8),
			.step_id = row_int(&r, 9),
			.step = row_str(&r, 10),
			.date = row_str(&r, 11),
			.override = row_str(&r, 12),
		};
		if (cand_acc_add(&acc, &x)) {
			rc = 0;	/* fn asked to stop */
			break;
		}
	}
	cand_acc_finish(&acc, rc == 0);
	e = q_close(&r);
	return e;
}

/* ---- issue 15: the sources report ---- */

/* The orgs of the source step, in the report's order (label_orgs'). */
static const char *const source_orgs[STORE_NORGS] = {
	"youth_union", "trade_union", "women_union", "farmers_union", "veterans_union", "cell",
	"other",
};

static size_t source_org_index(const char *org)
{
	for (size_t i = 0; org && i < STORE_NORGS; i++)
		if (strcmp(org, source_orgs[i]) == 0)
			return i;
	return STORE_NORGS - 1;	/* other */
}

enum kn_err store_source_counts(struct store *s, const char *top, kn_date from, kn_date to,
				long long sourced[STORE_NORGS], long long admitted[STORE_NORGS])
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e;

	memset(sourced, 0, sizeof(long long) * STORE_NORGS);
	memset(admitted, 0, sizeof(long long) * STORE_NORGS);
	arg_date(&a, from);
	arg_date(&a, to);
	if ((!top || (e = arg_subtree(s, top, &a, &lo, &hi)) == KN_OK) &&
	    (e = q_open(s, top ? S_SOURCE_COUNTS : S_SOURCE_COUNTS_ALL, &a, &r)) == KN_OK) {
		while (q_next(&r) > 0) {
			const char *what = row_str(&r, 0);
			long long *into = what && strcmp(what, "sourced") == 0 ? sourced : admitted;
			into[source_org_index(row_str(&r, 1))] += row_int(&r, 2);
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

/* ---- issue 13: the export's reads, streamed ---- */

/* The subtree of top as S_..._SUB's $1, $2 (lo and hi must live as long
 * as a); nothing for top NULL. */
static enum kn_err arg_scope(struct store *s, const char *top, struct sargs *a, struct buf *lo,
			     struct buf *hi)
{
	return top ? arg_subtree(s, top, a, lo, hi) : KN_OK;
}

enum kn_err store_step_each_in(struct store *s, const char *top, store_step_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e;

	if (!top)
		return store_step_each(s, fn, arg);
	if ((e = arg_scope(s, top, &a, &lo, &hi)) == KN_OK &&
	    (e = q_open(s, S_STEP_EACH_SUB, &a, &r)) == KN_OK) {
		while (q_next(&r) > 0) {
			struct step x;
			int stop;
			row_step(&r, 1, &x);
			stop = fn(arg, row_str(&r, 0), &x);
			step_release(&x);
			if (stop)
				break;
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_transfer_each_in(struct store *s, const char *top, store_transfer_fn fn,
				   void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e;

	if (!top)
		return store_transfer_each(s, fn, arg);
	if ((e = arg_scope(s, top, &a, &lo, &hi)) == KN_OK &&
	    (e = q_open(s, S_TRANSFER_EACH_SUB, &a, &r)) == KN_OK) {
		while (q_next(&r) > 0) {
			struct transfer t;
			int stop;
			store_transfer_row(&r, &t);
			stop = fn(arg, &t);
			transfer_release(&t);
			if (stop)
				break;
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_quota_each(struct store *s, const char *top, store_quota_row_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct srows r;
	enum kn_err e;

	if ((e = arg_scope(s, top, &a, &lo, &hi)) == KN_OK &&
	    (e = q_open(s, top ? S_QUOTA_EACH_SUB : S_QUOTA_EACH, &a, &r)) == KN_OK) {
		while (q_next(&r) > 0) {
			struct quota q = {
				(char *)row_str(&r, 0), (int)row_int(&r, 1), (char *)row_str(&r, 2),
				row_int(&r, 3),
			};
			if (fn(arg, &q))
				break;
		}
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_unit_export_each(struct store *s, const char *top, store_unit_row_fn fn,
				   void *arg)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;

	arg_text(&a, top);
	if ((e = q_open(s, S_UNIT_EXPORT, &a, &r)) != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		struct unit u;
		int stop;
		row_unit(&r, 0, &u);
		stop = fn(arg, &u);
		unit_release(&u);
		if (stop)
			break;
	}
	return q_close(&r);
}

/* One person of S_PERSON_EXPORT being gathered: their texts copied into
 * one arena (no allocation per row once it has grown), their candidacies
 * and the steps of those (code and date only) in arrays reused from one
 * person to the next. */
struct person_acc {
	int have;
	struct person p;
	struct buf arena;
	size_t off[11];		/* each text's offset in arena, (size_t)-1 for NULL */
	struct candidacy *c;
	size_t nc, ccap;
	size_t *cfirst;		/* index in st of each candidacy's first step */
	struct step *st;
	size_t nst, stcap;
};

/* PERSON_COLS' texts in the order of off[]: column, and the field. */
static char **acc_field(struct person *p, int i)
{
	char **f[] = {
		&p->ref, &p->full_name, &p->unit, &p->ethnicity, &p->religion, &p->education,
		&p->qualification, &p->occupation, &p->phone, &p->note, &p->left_reason,
	};
	return f[i];
}
static const int acc_col[11] = { 1, 2, 5, 6, 7, 8, 9, 10, 15, 16, 18 };

static void acc_person(struct person_acc *x, const struct srows *r)
{
	struct person *p = &x->p;

	memset(p, 0, sizeof(*p));
	buf_reset(&x->arena);
	for (int i = 0; i < 11; i++) {
		const char *t = row_str(r, acc_col[i]);
		x->off[i] = (size_t)-1;
		if (t) {
			x->off[i] = x->arena.len;
			buf_add(&x->arena, t, strlen(t) + 1);
		}
	}
	p->id = row_int(r, 0);
	p->sex = row_sex(r, 3);
	p->birth_date = row_date(r, 4);
	p->youth_union = (int)row_int(r, 11);
	p->trade_union = (int)row_int(r, 12);
	p->member_since = row_date(r, 13);
	p->official_since = row_date(r, 14);
	p->left_on = row_date(r, 17);
	p->record_cleared_on = row_date(r, 19);
	p->readmitted = (int)row_int(r, 20);
	x->nc = x->nst = 0;
	x->have = 1;
}

static void acc_step(struct person_acc *x, const struct srows *r)
{
	int64_t cid = row_int(r, 21);

	if (!row_str(r, 21))
		return;
	if (!x->nc || x->c[x->nc - 1].id != cid) {
		if (x->nc == x->ccap) {
			x->ccap = x->ccap ? x->ccap * 2 : 8;
			x->c = xreallocarray(x->c, x->ccap, sizeof(*x->c));
			x->cfirst = xreallocarray(x->cfirst, x->ccap, sizeof(*x->cfirst));
		}
		memset(&x->c[x->nc], 0, sizeof(x->c[0]));
		x->c[x->nc].id = cid;
		x->c[x->nc].person_id = x->p.id;
		x->cfirst[x->nc++] = x->nst;
	}
	if (!row_str(r, 22))
		return;
	if (x->nst == x->stcap) {
		x->stcap = x->stcap ? x->stcap * 2 : 16;
		x->st = xreallocarray(x->st, x->stcap, sizeof(*x->st));
	}
	step_init(&x->st[x->nst]);
	x->st[x->nst].code = step_from_name(row_str(r, 22));
	x->st[x->nst].date = row_date(r, 23);
	x->nst++;
	x->c[x->nc - 1].nsteps++;
}

/* Hand the gathered person to fn: the texts and the steps pointed at
 * where they now are. */
static int acc_emit(struct person_acc *x, store_person_export_fn fn, void *arg)
{
	for (int i = 0; i < 11; i++)
		*acc_field(&x->p, i) = x->off[i] == (size_t)-1 ? NULL : x->arena.s + x->off[i];
	for (size_t i = 0; i < x->nc; i++)
		x->c[i].steps = x->c[i].nsteps ? x->st + x->cfirst[i] : NULL;
	x->have = 0;
	return fn(arg, &x->p, x->c, x->nc);
}

enum kn_err store_person_export_each(struct store *s, const char *top,
				     store_person_export_fn fn, void *arg)
{
	struct sargs a = SARGS_INIT;
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct person_acc x;
	struct srows r;
	enum kn_err e;
	int stop = 0;

	memset(&x, 0, sizeof(x));
	buf_init(&x.arena);
	if ((e = arg_scope(s, top, &a, &lo, &hi)) == KN_OK &&
	    (e = q_open(s, top ? S_PERSON_EXPORT_SUB : S_PERSON_EXPORT, &a, &r)) == KN_OK) {
		while (!stop && q_next(&r) > 0) {
			if (x.have && row_int(&r, 0) != x.p.id)
				stop = acc_emit(&x, fn, arg);
			if (stop)
				break;
			if (!x.have)
				acc_person(&x, &r);
			acc_step(&x, &r);
		}
		e = q_close(&r);
		/* The last person, once the read has ended well. */
		if (e == KN_OK && !stop && x.have)
			acc_emit(&x, fn, arg);
	}
	buf_release(&x.arena);
	free(x.c);
	free(x.cfirst);
	free(x.st);
	buf_release(&lo);
	buf_release(&hi);
	return e;
}
