/*
 * store_steps.c — candidacies and their steps (store.h), written once for
 * both backends with the statement table (stmt.h) and its readers.
 *
 * A step is appended in two statements: S_CAND_STAGE moves the candidacy
 * (stage, open flag, version + 1) only when its version is still the one
 * the caller read, so that of two writers that read the same version the
 * second finds no row to move and gets KN_ECONFLICT (on PostgreSQL it
 * waits for the first's row lock, then sees the new version); then
 * S_STEP_INSERT numbers the step itself, after the candidacy's row was
 * moved. A candidacy's steps are read with a statement of their own, in
 * recorded order.
 *
 * A bulk writer (issue 13: the steps import) holding the write
 * transaction splits that in two: store_step_append() with the number and
 * the people's ids it knows, and one store_candidacy_stage_n() per candidacy
 * once its steps are in, instead of a stage write and four subqueries per
 * step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- candidacies and steps ---- */

void store_cand_row(const struct srows *r, void *item)
{
	struct candidacy *c = item;
	c->id = row_int(r, 0);
	c->person_id = row_int(r, 1);
	c->stage = step_from_name(row_str(r, 2));
	c->open = (int)row_int(r, 3);
	c->readmission = (int)row_int(r, 4);
}

static void step_row(const struct srows *r, void *item)
{
	row_step(r, 0, item);
}

enum kn_err store_candidacies_of(struct store *s, int64_t person_id, struct candidacy **out,
				 size_t *n)
{
	struct sargs a = SARGS_INIT;
	enum kn_err e;

	arg_int(&a, person_id);
	e = q_all(s, S_CAND_OF, &a, (void **)out, n, sizeof(**out), store_cand_row);
	for (size_t i = 0; i < *n && e == KN_OK; i++) {
		struct candidacy *c = &(*out)[i];
		struct sargs b = SARGS_INIT;
		arg_int(&b, c->id);
		e = q_all(s, S_STEPS_OF, &b, (void **)&c->steps, &c->nsteps, sizeof(*c->steps),
			  step_row);
	}
	Q_ALL_OR_NONE(e, out, n, store_candidacies_free);
	return e;
}

/* The integer of a statement's one row, read to the statement's end (an
 * INSERT … RETURNING id is complete only then); KN_ENOTFOUND without. */
static enum kn_err first_int(struct store *s, enum stmt_id id, const struct sargs *a,
			     int64_t *out)
{
	struct srows r;
	enum kn_err e = q_first(s, id, a, &r);
	if (e != KN_OK)
		return e;
	*out = row_int(&r, 0);
	while (q_next(&r) > 0)
		;
	return q_close(&r);
}

static enum kn_err insert_id(struct store *s, enum stmt_id id, const struct sargs *a,
			     int64_t *out)
{
	int64_t got = 0;
	enum kn_err e = first_int(s, id, a, &got);
	if (e == KN_ENOTFOUND)
		return store_fail(s, KN_EIO, "%s: no id returned", store_stmts[id].name);
	if (out && e == KN_OK)
		*out = got;
	return e;
}

enum kn_err store_candidacy_new(struct store *s, int64_t person_id, const char *unit_code,
				int64_t *id)
{
	return store_candidacy_open(s, person_id, unit_code, 0, id);
}

enum kn_err store_candidacy_open(struct store *s, int64_t person_id, const char *unit_code,
				 int readmission, int64_t *id)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, person_id);
	arg_text(&a, unit_code);
	arg_int(&a, !!readmission);
	return insert_id(s, S_CAND_NEW, &a, id);
}

enum kn_err store_candidacy_open_bulk(struct store *s, int64_t person_id,
				      const char *unit_code, int readmission, int64_t *id)
{
	struct sargs a = SARGS_INIT, a0 = SARGS_INIT;
	enum kn_err e;

	if (strcmp(store_backend(s), "SQLite") != 0)
		return store_candidacy_open(s, person_id, unit_code, readmission, id);
	arg_int(&a, person_id);
	arg_text(&a, unit_code);
	arg_int(&a, !!readmission);
	if ((e = q_exec(s, S_CAND_NEW_BULK, &a, NULL)) != KN_OK)
		return e;
	return insert_id(s, S_LAST_ROWID, &a0, id);
}

/* ---- issue 15: re-admission (RULES.md §9) ---- */

enum kn_err store_person_leave(struct store *s, int64_t person_id, kn_date on,
			       const char *reason)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, person_id);
	arg_date(&a, on);
	arg_text(&a, reason);
	return q_exec(s, S_PERSON_LEAVE, &a, NULL);
}

enum kn_err store_person_set_readmitted(struct store *s, int64_t person_id, kn_date decision)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, person_id);
	arg_date(&a, decision);
	return q_exec(s, S_PERSON_READMITTED, &a, NULL);
}

/* The facts of a step, in the order both S_STEP_INSERT ($3 …) and
 * S_STEP_UPDATE ($2 …) take them. */
static void step_facts(struct sargs *a, const struct step *x)
{
	arg_date(a, x->date);
	arg_text(a, x->doc_no);
	arg_text(a, x->org);
	arg_text(a, x->member);
	arg_text(a, x->intro1);
	arg_date(a, x->intro1_since);
	arg_text(a, x->intro2);
	arg_date(a, x->intro2_since);
	arg_count(a, x->votes_for);
	arg_count(a, x->votes_total);
	arg_text(a, x->consent);
	arg_text(a, x->override);
	arg_text(a, x->override_by);
	arg_text(a, x->note);
}

enum kn_err store_step_add(struct store *s, int64_t candidacy_id, const struct step *x,
			   enum step_code stage, int open, int64_t expect_version,
			   int64_t *step_id)
{
	struct sargs a = SARGS_INIT, b = SARGS_INIT;
	long long changes = 0;
	enum kn_err e;
	char at[32];

	arg_int(&a, candidacy_id);
	arg_text(&a, step_name(stage));
	arg_int(&a, !!open);
	arg_int(&a, expect_version);
	if ((e = q_exec(s, S_CAND_STAGE, &a, &changes)) != KN_OK)
		return e;
	if (changes != 1)
		return store_fail(s, KN_ECONFLICT, "%s",
				  _("the candidacy was changed by someone else meanwhile"));
	store_now_iso(at);
	arg_int(&b, candidacy_id);
	arg_text(&b, step_name(x->code));
	step_facts(&b, x);
	arg_text(&b, x->recorded_by ? x->recorded_by : "");
	arg_text(&b, at);
	return insert_id(s, S_STEP_INSERT, &b, step_id);
}

/* An id, or SQL NULL for 0. */
static void arg_id(struct sargs *a, int64_t id)
{
	if (id > 0)
		arg_int(a, id);
	else
		arg_null(a);
}

enum kn_err store_step_append(struct store *s, int64_t candidacy_id, int64_t seq,
			      const struct step *x, int64_t member_id, int64_t intro1_id,
			      int64_t intro2_id, int64_t *step_id)
{
	struct sargs a = SARGS_INIT, a0 = SARGS_INIT;
	enum kn_err e;
	char at[32];

	store_now_iso(at);
	arg_int(&a, candidacy_id);
	arg_int(&a, seq);
	arg_text(&a, step_name(x->code));
	arg_date(&a, x->date);
	arg_text(&a, x->doc_no);
	arg_text(&a, x->org);
	arg_id(&a, member_id);
	arg_id(&a, intro1_id);
	arg_date(&a, x->intro1_since);
	arg_id(&a, intro2_id);
	arg_date(&a, x->intro2_since);
	arg_count(&a, x->votes_for);
	arg_count(&a, x->votes_total);
	arg_text(&a, x->consent);
	arg_text(&a, x->override);
	arg_text(&a, x->override_by);
	arg_text(&a, x->note);
	arg_text(&a, x->recorded_by ? x->recorded_by : "");
	arg_text(&a, at);
	if (strcmp(store_backend(s), "SQLite") != 0)
		return insert_id(s, S_STEP_APPEND_RET, &a, step_id);
	if ((e = q_exec(s, S_STEP_APPEND, &a, NULL)) != KN_OK)
		return e;
	return insert_id(s, S_LAST_ROWID, &a0, step_id);
}

void cand_dates_fold(kn_date *dates, enum step_code code, kn_date date)
{
	int col;

	if (date == KN_DATE_NONE)
		return;
	switch (code) {
	case STEP_TRAINED: col = CDATE_TRAINED; break;
	case STEP_INTRODUCED: col = CDATE_INTRODUCED; break;
	case STEP_CELL_VOTE: col = CDATE_CELL_VOTE; break;
	case STEP_COMMITTEE_VOTE: col = CDATE_COMMITTEE_VOTE; break;
	case STEP_DECISION: col = CDATE_DECISION; break;
	case STEP_CEREMONY: col = CDATE_CEREMONY; break;
	case STEP_PROBATION_VOTE: col = CDATE_PROBATION_VOTE; break;
	case STEP_OFFICIAL: case STEP_WITHDRAWN: case STEP_REJECTED: case STEP_STRUCK_OFF:
		col = CDATE_CLOSED; break;
	default: col = -1; break;
	}
	if (dates[CDATE_LAST] == KN_DATE_NONE || date > dates[CDATE_LAST])
		dates[CDATE_LAST] = date;
	if (col >= 0 && (dates[col] == KN_DATE_NONE || date > dates[col]))
		dates[col] = date;
}

enum kn_err store_candidacy_stage_n(struct store *s, int64_t candidacy_id,
				    enum step_code stage, int open, int64_t n,
				    const kn_date dates[CDATE_NDATES])
{
	struct sargs a = SARGS_INIT;
	long long changes = 0;
	enum kn_err e;

	arg_int(&a, candidacy_id);
	arg_text(&a, step_name(stage));
	arg_int(&a, !!open);
	arg_int(&a, n);
	for (int i = 0; i < CDATE_NDATES; i++)
		arg_date(&a, dates[i]);
	if ((e = q_exec(s, S_CAND_STAGE_N, &a, &changes)) != KN_OK)
		return e;
	if (changes != 1)
		return store_fail(s, KN_ENOTFOUND, "%s: no candidacy %lld",
				  store_stmts[S_CAND_STAGE_N].name, (long long)candidacy_id);
	s->bulk_dated += n;
	return KN_OK;
}

enum kn_err store_bulk_redate(struct store *s, int64_t step_max)
{
	struct sargs a = SARGS_INIT;
	int64_t n = 0;
	enum kn_err e;

	arg_int(&a, step_max);
	if ((e = first_int(s, S_STEPS_SINCE, &a, &n)) != KN_OK || n == s->bulk_dated)
		return e;
	return q_exec(s, S_CAND_DATES_SINCE, &a, NULL);
}

enum kn_err store_step_update(struct store *s, int64_t step_id, const struct step *x)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, step_id);
	step_facts(&a, x);
	return q_exec(s, S_STEP_UPDATE, &a, NULL);
}

enum kn_err store_candidacy_version(struct store *s, int64_t candidacy_id, int64_t *version)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, candidacy_id);
	return first_int(s, S_CAND_VERSION, &a, version);
}
