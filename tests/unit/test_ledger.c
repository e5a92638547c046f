/*
 * test_ledger.c — recording steps through ledger_step() against a real
 * database: fixture.h's fresh store (SQLite in a mkdtemp directory, or
 * PostgreSQL with $KN_TEST_DB_URL).
 *
 * The database is built the way `init` and the importer build it: the
 * migrations, the default policy rows, then units (fixture.h's FX_TREE)
 * and people through the store. "Today" is pinned with KETNAP_TODAY to 2024-06-30. The tree is a
 * province P, an upper unit P-H that may admit, a đảng bộ cơ sở P-G1 with
 * the cell P-G1-C1, and a chi bộ cơ sở P-G2. What is checked is the
 * contract of ledger.h: a step and its audit entry are written together
 * or not at all; a refused step writes nothing; an override is kept with
 * its reason and author and still lists what it overrode; dry runs and
 * checks write nothing; the importer's upsert recognises a step already
 * recorded; required facts are reported as "column: message" lines; the
 * pipeline skips committee_vote for a chi bộ cơ sở; and membership dates
 * follow from a candidacy. Expected values are written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/ledger.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/i18n.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct fx fx;
static struct store *s;	/* fx.s */
static struct ledger l;
static struct calendar *cal;

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int setup(void)
{
	struct buf err = BUF_INIT;
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);

	if (fx_open(&fx, "ledger") != 0)
		return -1;
	s = fx.s;
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(store_policy_put(s, &rows[i]), KN_OK);
	fx_units(s, FX_TREE);
	fx_person(s, "M001", "Trần Văn Một", "P-G1-C1", D(1980, 1, 1), D(2009, 1, 1), D(2010, 1, 1));
	fx_person(s, "M002", "Lê Thị Hai", "P-G1-C1", D(1981, 1, 1), D(2008, 1, 1), D(2009, 1, 1));
	fx_person(s, "X001", "Nguyễn Văn An", "P-G1-C1", D(2000, 2, 2), KN_DATE_NONE, KN_DATE_NONE);
	fx_person(s, "Y001", "Phạm Thị Bình", "P-G2", D(1995, 5, 5), KN_DATE_NONE, KN_DATE_NONE);
	fx_person(s, "Z001", "Hoàng Văn Cường", "P-G1-C1", D(1990, 3, 3), KN_DATE_NONE, KN_DATE_NONE);

	cal = calendar_new();
	setenv("KETNAP_TODAY", "2024-06-30", 1);
	if (ledger_open(&l, s, cal, "tester", &err) != KN_OK) {
		fprintf(stderr, "ledger_open: %s\n", err.s);
		buf_release(&err);
		return -1;
	}
	buf_release(&err);
	return 0;
}

static void teardown(void)
{
	ledger_release(&l);
	calendar_free(cal);
	fx_close(&fx);
}

/* A step of code c on date d with the facts it requires. */
static struct step mk(enum step_code c, kn_date d)
{
	struct step st;
	step_init(&st);
	st.code = c;
	st.date = d;
	switch (c) {
	case STEP_SOURCE:
		st.org = "youth_union";
		break;
	case STEP_TRAINED:
		st.doc_no = "CN-0001";
		break;
	case STEP_INTRODUCED:
		st.intro1 = "M001";
		st.intro1_since = D(2019, 1, 1);
		st.intro2 = "M002";
		st.intro2_since = D(2019, 1, 1);
		break;
	case STEP_CELL_VOTE:
	case STEP_PROBATION_VOTE:
		st.votes_for = 5;
		st.votes_total = 6;
		break;
	case STEP_COMMITTEE_VOTE:
		st.votes_for = 7;
		st.votes_total = 9;
		break;
	case STEP_DECISION:
		st.doc_no = "123-QĐ/ĐU";
		break;
	case STEP_OFFICIAL:
		st.doc_no = "456-QĐ/ĐU";
		break;
	default:
		break;
	}
	return st;
}

static long long audit_count(void)
{
	long long n = -1;
	CHECK_EQ(store_audit_count(s, &n), KN_OK);
	return n;
}

static long long step_count(const char *ref)
{
	return fx_step_count(s, fx_person_id(s, ref));
}

/* The last step recorded for ref, copied into out; 0 when there is one. */
static int last_step(const char *ref, struct step *out)
{
	struct candidacy *c;
	size_t nc;
	int r = -1;
	step_init(out);
	if (store_candidacies_of(s, fx_person_id(s, ref), &c, &nc) != KN_OK)
		return -1;
	if (nc && c[nc - 1].nsteps) {
		step_copy(out, &c[nc - 1].steps[c[nc - 1].nsteps - 1]);
		r = 0;
	}
	store_candidacies_free(c, nc);
	return r;
}

static int has_code(const struct violations *v, const char *code)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].code, code) == 0)
			return 1;
	return 0;
}

/* Record st for ref; returns the error, fills *out and the violations. */
static enum kn_err rec(const char *ref, const struct step *st, int dry, int upsert,
		       struct violations *v, struct buf *err, enum ledger_outcome *out)
{
	enum ledger_outcome dummy;
	return ledger_step(&l, ref, st, dry, upsert, v, err, out ? out : &dummy);
}

/* Record st for ref and expect it to pass every rule and be written. */
static void rec_ok(const char *ref, const struct step *st, int line)
{
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	enum ledger_outcome o = LEDGER_UNCHANGED;
	long long a = audit_count(), n = step_count(ref);
	enum kn_err e = rec(ref, st, LEDGER_WRITE, 0, &v, &err, &o);

	if (e != KN_OK || v.n) {
		fprintf(stderr, "line %d: %s %s: %s\n%s", line, ref, step_name(st->code),
			kn_strerror(e), err.s);
		for (size_t i = 0; i < v.n; i++)
			fprintf(stderr, "  %s: %s\n", v.v[i].code, v.v[i].message);
	}
	CHECK_EQ(e, KN_OK);
	CHECK_EQ(v.n, 0);
	CHECK_EQ(o, LEDGER_RECORDED);
	CHECK_EQ(audit_count(), a + 1);
	CHECK_EQ(step_count(ref), n + 1);
	violations_release(&v);
	buf_release(&err);
}

static void test_open(void)
{
	CHECK_EQ(l.today, D(2024, 6, 30));
	CHECK_STR(l.actor, "tester");
	CHECK(l.npolicy > 0);
	CHECK(unitree_find(&l.tree, "P-G2") != NULL);
}

static void test_record_and_refuse(void)
{
	struct step st = mk(STEP_SOURCE, D(2023, 1, 10)), got;
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	struct candidacy *c;
	size_t nc;
	long long a;

	/* A step and its audit entry, in one go. */
	rec_ok("X001", &st, __LINE__);
	CHECK_EQ(store_candidacies_of(s, fx_person_id(s, "X001"), &c, &nc), KN_OK);
	CHECK_EQ(nc, 1);
	if (nc == 1) {
		CHECK_EQ(c[0].open, 1);
		CHECK_EQ(c[0].stage, STEP_SOURCE);
		CHECK_EQ(c[0].nsteps, 1);
	}
	store_candidacies_free(c, nc);
	CHECK_EQ(last_step("X001", &got), 0);
	CHECK_EQ(got.code, STEP_SOURCE);
	CHECK_EQ(got.date, D(2023, 1, 10));
	CHECK_STR(got.org, "youth_union");
	CHECK_STR(got.recorded_by, "tester");
	CHECK(got.override == NULL);
	CHECK(got.override_by == NULL);
	step_release(&got);

	/* Refused: applied before trained. Nothing written. */
	a = audit_count();
	st = mk(STEP_APPLIED, D(2023, 2, 1));
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK_EQ(v.n, 1);
	CHECK(has_code(&v, "KN-ORDER"));
	CHECK(v.n && v.v[0].message && *v.v[0].message);
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), 1);
	violations_release(&v);

	/* Refused: dated after today. */
	st = mk(STEP_TRAINED, D(2024, 7, 1));
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK(has_code(&v, "KN-ORDER"));
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), 1);
	violations_release(&v);

	/* Refused: a second source while one is open (KN-OPEN). */
	st = mk(STEP_SOURCE, D(2023, 2, 1));
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK(has_code(&v, "KN-OPEN"));
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), 1);
	violations_release(&v);

	/* Today itself is allowed. */
	st = mk(STEP_MENTOR, D(2024, 6, 30));
	st.member = "M001";
	rec_ok("X001", &st, __LINE__);
	CHECK_EQ(last_step("X001", &got), 0);
	CHECK_STR(got.member, "M001");
	step_release(&got);

	/* An override reason on a step that breaks nothing is not kept. */
	st = mk(STEP_TRAINED, D(2023, 3, 1));
	st.override = "không cần";
	rec_ok("X001", &st, __LINE__);
	CHECK_EQ(last_step("X001", &got), 0);
	CHECK_EQ(got.code, STEP_TRAINED);
	CHECK(got.override == NULL);
	CHECK(got.override_by == NULL);
	step_release(&got);
	buf_release(&err);
}

static void test_override(void)
{
	struct step st = mk(STEP_SOURCE, D(2023, 1, 10)), got;
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	enum ledger_outcome o = LEDGER_UNCHANGED;
	struct candidacy *c;
	size_t nc;
	long long a;

	rec_ok("Z001", &st, __LINE__);
	a = audit_count();
	st = mk(STEP_APPLIED, D(2023, 2, 1));
	st.override = "hồ sơ nộp trước khi học lớp";
	st.override_by = "someone-else";	/* ignored: the author is the actor */
	CHECK_EQ(rec("Z001", &st, LEDGER_WRITE, 0, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_RECORDED);
	CHECK_EQ(v.n, 1);
	CHECK(has_code(&v, "KN-ORDER"));
	CHECK_EQ(audit_count(), a + 1);
	CHECK_EQ(step_count("Z001"), 2);
	CHECK_EQ(last_step("Z001", &got), 0);
	CHECK_EQ(got.code, STEP_APPLIED);
	CHECK_STR(got.override, "hồ sơ nộp trước khi học lớp");
	CHECK_STR(got.override_by, "tester");
	step_release(&got);
	CHECK_EQ(store_candidacies_of(s, fx_person_id(s, "Z001"), &c, &nc), KN_OK);
	CHECK(nc == 1 && c[0].stage == STEP_APPLIED && c[0].open == 1);
	store_candidacies_free(c, nc);
	violations_release(&v);

	/* An empty override reason is a missing fact. */
	st = mk(STEP_VERIFIED, D(2023, 1, 1));
	st.override = "";
	CHECK_EQ(rec("Z001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_EINVAL);
	CHECK(strstr(err.s, "override: ") != NULL);
	CHECK_EQ(step_count("Z001"), 2);
	violations_release(&v);
	buf_release(&err);
}

static void test_dry_run_and_check(void)
{
	struct step st = mk(STEP_APPLIED, D(2023, 4, 1));
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	enum ledger_outcome o = LEDGER_UNCHANGED;
	long long a = audit_count(), n = step_count("X001");

	/* A valid step, dry run: KN_OK, nothing written. */
	CHECK_EQ(rec("X001", &st, LEDGER_DRY_RUN, 0, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_RECORDED);
	CHECK_EQ(v.n, 0);
	CHECK_EQ(rec("X001", &st, LEDGER_CHECK, 0, &v, &err, &o), KN_OK);
	CHECK_EQ(v.n, 0);
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), n);

	/* A broken step, dry run: the violations, nothing written. */
	st = mk(STEP_DECISION, D(2023, 4, 1));
	CHECK_EQ(rec("X001", &st, LEDGER_DRY_RUN, 0, &v, &err, &o), KN_ERULE);
	CHECK(has_code(&v, "KN-ORDER"));
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), n);
	violations_release(&v);
	/* Even with an override, a dry run writes nothing. */
	st.override = "thử";
	CHECK_EQ(rec("X001", &st, LEDGER_DRY_RUN, 0, &v, &err, &o), KN_OK);
	CHECK(has_code(&v, "KN-ORDER"));
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), n);
	violations_release(&v);

	/* Check mode: missing votes are listed as facts, the vote rule
	 * that needs them is left out, the other rules still run. */
	st = mk(STEP_CELL_VOTE, D(2023, 5, 2));
	st.votes_for = st.votes_total = -1;
	buf_reset(&err);
	CHECK_EQ(rec("X001", &st, LEDGER_CHECK, 0, &v, &err, &o), KN_ERULE);
	CHECK(strstr(err.s, "votes_for: ") != NULL);
	CHECK(strstr(err.s, "votes_total: ") != NULL);
	CHECK(!has_code(&v, "KN-CELL-VOTE"));
	CHECK(has_code(&v, "KN-ORDER"));
	CHECK(has_code(&v, "KN-DOSSIER-AGE"));
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), n);
	violations_release(&v);

	/* Without check mode the same step is refused for its facts. */
	buf_reset(&err);
	CHECK_EQ(rec("X001", &st, LEDGER_DRY_RUN, 0, &v, &err, &o), KN_EINVAL);
	CHECK_EQ(v.n, 0);
	violations_release(&v);
	buf_release(&err);
}

static void test_upsert(void)
{
	struct step st = mk(STEP_SOURCE, D(2023, 1, 10)), got;
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	enum ledger_outcome o = LEDGER_RECORDED;
	long long a = audit_count(), n = step_count("X001");
	struct candidacy *c;
	size_t nc;

	/* The same step again: left alone. */
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 1, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_UNCHANGED);
	CHECK_EQ(v.n, 0);
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), n);

	/* Changed facts, dry run: would update, writes nothing. */
	st.org = "cell";
	st.note = "đoàn viên ưu tú";
	o = LEDGER_RECORDED;
	CHECK_EQ(rec("X001", &st, LEDGER_DRY_RUN, 1, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_UPDATED);
	CHECK_EQ(audit_count(), a);

	/* Changed facts: the recorded step's facts replaced, one audit entry,
	 * no new step. */
	o = LEDGER_RECORDED;
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 1, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_UPDATED);
	CHECK_EQ(audit_count(), a + 1);
	CHECK_EQ(step_count("X001"), n);
	CHECK_EQ(store_candidacies_of(s, fx_person_id(s, "X001"), &c, &nc), KN_OK);
	if (nc == 1 && c[0].nsteps > 0) {
		CHECK_EQ(c[0].steps[0].code, STEP_SOURCE);
		CHECK_STR(c[0].steps[0].org, "cell");
		CHECK_STR(c[0].steps[0].note, "đoàn viên ưu tú");
		CHECK_EQ(c[0].stage, STEP_TRAINED);	/* the stage did not move */
	}
	store_candidacies_free(c, nc);
	/* And now it is the same again. */
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 1, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_UNCHANGED);
	CHECK_EQ(audit_count(), a + 1);

	/* A step not recorded yet is recorded as usual under upsert. */
	st = mk(STEP_APPLIED, D(2023, 4, 1));
	o = LEDGER_UNCHANGED;
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 1, &v, &err, &o), KN_OK);
	CHECK_EQ(o, LEDGER_RECORDED);
	CHECK_EQ(step_count("X001"), n + 1);
	CHECK_EQ(audit_count(), a + 2);
	CHECK_EQ(last_step("X001", &got), 0);
	CHECK_EQ(got.code, STEP_APPLIED);
	step_release(&got);
	CHECK_EQ(v.n, 0);
	violations_release(&v);
	buf_release(&err);
}

static void test_bad_input(void)
{
	struct step st = mk(STEP_VERIFIED, D(2023, 5, 2));
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	long long a = audit_count(), n = step_count("X001");

	/* Unknown person. */
	CHECK_EQ(rec("NOPE", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ENOTFOUND);
	CHECK(strncmp(err.s, "person: ", 8) == 0);
	CHECK(strstr(err.s, "NOPE") != NULL);
	CHECK_EQ(v.n, 0);

	/* Missing required facts: one "column: message" line each. */
	buf_reset(&err);
	step_init(&st);
	st.code = STEP_TRAINED;
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_EINVAL);
	CHECK_STR(err.s, "date: the date of the step is required\n"
		  "doc_no: the certificate number is required\n");
	CHECK_EQ(v.n, 0);

	buf_reset(&err);
	st = mk(STEP_INTRODUCED, D(2023, 5, 2));
	st.intro2_since = KN_DATE_NONE;
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_EINVAL);
	CHECK_STR(err.s, "introducer2_since: the date since the introducer has known the "
		  "candidate is required\n");

	buf_reset(&err);
	st = mk(STEP_WITHDRAWN, D(2023, 5, 2));
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_EINVAL);
	CHECK_STR(err.s, "note: the reason is required for an ending step\n");

	/* An introducer who is not in the database. */
	buf_reset(&err);
	st = mk(STEP_INTRODUCED, D(2023, 5, 2));
	st.intro2 = "M999";
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_EINVAL);
	CHECK(strncmp(err.s, "introducer2: ", 13) == 0);
	CHECK(strstr(err.s, "M999") != NULL);

	/* A deciding unit that does not exist. */
	buf_reset(&err);
	st = mk(STEP_DECISION, D(2023, 5, 2));
	st.org = "P-NOPE";
	CHECK_EQ(rec("X001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_EINVAL);
	CHECK(strncmp(err.s, "org: ", 5) == 0);

	CHECK_EQ(v.n, 0);
	CHECK_EQ(audit_count(), a);
	CHECK_EQ(step_count("X001"), n);
	violations_release(&v);
	buf_release(&err);
}

static void membership_of(const char *ref, kn_date *m, kn_date *o)
{
	struct person p;
	struct candidacy *c = NULL;
	size_t nc = 0;
	*m = *o = -1;
	if (store_person_get(s, ref, &p) != KN_OK)
		return;
	CHECK_EQ(store_candidacies_of(s, p.id, &c, &nc), KN_OK);
	ledger_membership(&l, &p, c, nc, m, o);
	store_candidacies_free(c, nc);
	person_release(&p);
}

static enum step_code next_of(const char *ref, int basic_cell)
{
	struct candidacy *c = NULL;
	size_t nc = 0;
	enum step_code r;
	CHECK_EQ(store_candidacies_of(s, fx_person_id(s, ref), &c, &nc), KN_OK);
	r = ledger_next_step(nc ? &c[nc - 1] : NULL, basic_cell);
	store_candidacies_free(c, nc);
	return r;
}

/* Y001 is considered by P-G2, a chi bộ cơ sở: the whole pipeline without
 * a committee vote, and the membership dates that follow. */
static void test_basic_cell_pipeline(void)
{
	struct step st;
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	kn_date m, o;

	CHECK_EQ(next_of("Y001", 1), STEP_SOURCE);
	st = mk(STEP_SOURCE, D(2021, 1, 4));
	rec_ok("Y001", &st, __LINE__);
	CHECK_EQ(next_of("Y001", 1), STEP_TRAINED);
	st = mk(STEP_TRAINED, D(2021, 3, 1));
	rec_ok("Y001", &st, __LINE__);
	st = mk(STEP_APPLIED, D(2021, 4, 1));
	rec_ok("Y001", &st, __LINE__);
	st = mk(STEP_VERIFIED, D(2021, 5, 3));
	rec_ok("Y001", &st, __LINE__);
	st = mk(STEP_INTRODUCED, D(2021, 6, 1));
	rec_ok("Y001", &st, __LINE__);
	CHECK_EQ(next_of("Y001", 1), STEP_CELL_VOTE);
	st = mk(STEP_CELL_VOTE, D(2021, 7, 1));
	rec_ok("Y001", &st, __LINE__);

	/* Next: the decision for a chi bộ cơ sở, the committee otherwise. */
	CHECK_EQ(next_of("Y001", 1), STEP_DECISION);
	CHECK_EQ(next_of("Y001", 0), STEP_COMMITTEE_VOTE);
	/* And the ledger knows P-G2 is one: committee_vote is refused. */
	st = mk(STEP_COMMITTEE_VOTE, D(2021, 7, 15));
	CHECK_EQ(rec("Y001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK(has_code(&v, "KN-ORDER"));
	violations_release(&v);
	/* A decision recorded for a unit that is not the competent one. */
	st = mk(STEP_DECISION, D(2021, 8, 2));
	st.org = "P-G2";
	CHECK_EQ(rec("Y001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK(has_code(&v, "KN-AUTHORITY"));
	violations_release(&v);

	membership_of("Y001", &m, &o);
	CHECK_EQ(m, KN_DATE_NONE);
	CHECK_EQ(o, KN_DATE_NONE);

	st = mk(STEP_DECISION, D(2021, 8, 2));
	st.org = "P-H";
	rec_ok("Y001", &st, __LINE__);
	membership_of("Y001", &m, &o);
	CHECK_EQ(m, D(2021, 8, 2));
	CHECK_EQ(o, KN_DATE_NONE);

	st = mk(STEP_CEREMONY, D(2021, 8, 16));
	rec_ok("Y001", &st, __LINE__);
	CHECK_EQ(next_of("Y001", 1), STEP_PROBATION_VOTE);
	/* Probation ends 2022-08-16: the day before is refused. */
	st = mk(STEP_PROBATION_VOTE, D(2022, 8, 15));
	CHECK_EQ(rec("Y001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK(has_code(&v, "KN-PROBATION"));
	violations_release(&v);
	st = mk(STEP_PROBATION_VOTE, D(2022, 8, 16));
	rec_ok("Y001", &st, __LINE__);
	membership_of("Y001", &m, &o);
	CHECK_EQ(m, D(2021, 8, 2));
	CHECK_EQ(o, KN_DATE_NONE);	/* not before `official` is recorded */

	/* Official as of the probation end, however late the decision. */
	st = mk(STEP_OFFICIAL, D(2022, 9, 30));
	rec_ok("Y001", &st, __LINE__);
	membership_of("Y001", &m, &o);
	CHECK_EQ(m, D(2021, 8, 2));
	CHECK_EQ(o, D(2022, 8, 16));
	CHECK_EQ(next_of("Y001", 1), STEP_NONE);

	/* A member cannot start a candidacy again. */
	st = mk(STEP_SOURCE, D(2023, 1, 2));
	CHECK_EQ(rec("Y001", &st, LEDGER_WRITE, 0, &v, &err, NULL), KN_ERULE);
	CHECK(has_code(&v, "KN-OPEN"));
	violations_release(&v);
	buf_release(&err);
}

static void test_membership_recorded(void)
{
	struct person p;
	kn_date m, o;

	/* Recorded dates win over (absent) candidacies. */
	membership_of("M001", &m, &o);
	CHECK_EQ(m, D(2009, 1, 1));
	CHECK_EQ(o, D(2010, 1, 1));
	/* Not a member. */
	membership_of("Z001", &m, &o);
	CHECK_EQ(m, KN_DATE_NONE);
	CHECK_EQ(o, KN_DATE_NONE);
	/* Only official_since recorded: a member since then too. */
	person_init(&p);
	p.member_since = KN_DATE_NONE;
	p.official_since = D(2015, 6, 1);
	ledger_membership(&l, &p, NULL, 0, &m, &o);
	CHECK_EQ(m, D(2015, 6, 1));
	CHECK_EQ(o, D(2015, 6, 1));
}

static void test_next_step_in_memory(void)
{
	struct step steps[4];
	struct candidacy c;

	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 4; i++)
		step_init(&steps[i]);
	steps[0].code = STEP_SOURCE;
	steps[1].code = STEP_MENTOR;
	c.steps = steps;
	c.nsteps = 2;
	c.open = 1;
	c.stage = STEP_SOURCE;

	CHECK_EQ(ledger_next_step(NULL, 0), STEP_SOURCE);
	CHECK_EQ(ledger_next_step(&c, 0), STEP_TRAINED);	/* mentor is not in the order */
	steps[2].code = STEP_COMMITTEE_VOTE;
	steps[3].code = STEP_CELL_VOTE;
	c.nsteps = 4;
	CHECK_EQ(ledger_next_step(&c, 0), STEP_DECISION);
	c.nsteps = 2;
	steps[2].code = STEP_CELL_VOTE;
	c.nsteps = 3;
	CHECK_EQ(ledger_next_step(&c, 0), STEP_COMMITTEE_VOTE);
	CHECK_EQ(ledger_next_step(&c, 1), STEP_DECISION);
	c.open = 0;
	CHECK_EQ(ledger_next_step(&c, 1), STEP_NONE);
}

/* ledger_policy() keeps its last answer for the dates around it that no
 * policy row starts inside (the database's rows and the defaults, whose
 * committee.vote_fraction changes on 2021-07-30): asked in an order that
 * crosses each change back and forth, every answer is policy_resolve()'s
 * for that very date. */
static void test_policy_spans(void)
{
	static const struct policy_row rows[] = {
		{ "probation.months", KN_DATE_NONE, "12" },
		{ "probation.months", 0, "18" },	/* from set below */
		{ "age.min_years", 0, "20" },
	};
	struct policy_row r[3];
	struct ledger pl;
	kn_date dates[] = {
		D(2024, 3, 1), D(2024, 2, 29), D(2024, 3, 1), D(2023, 12, 31), D(2024, 6, 1),
		D(2024, 6, 2), D(2024, 6, 1), D(2024, 5, 31), D(2021, 7, 29), D(2021, 7, 30),
		D(2021, 7, 29), D(2030, 1, 1), D(1990, 1, 1), KN_DATE_NONE, D(2024, 3, 1),
	};

	memcpy(r, rows, sizeof(r));
	r[1].from = D(2024, 3, 1);
	r[2].from = D(2024, 6, 2);
	memset(&pl, 0, sizeof(pl));
	pl.policy = r;
	pl.npolicy = 3;
	for (size_t i = 0; i < sizeof(dates) / sizeof(*dates); i++) {
		struct policy got, want;
		struct buf err = BUF_INIT;
		ledger_policy(&pl, dates[i], &got);
		CHECK_EQ(policy_resolve(r, 3, dates[i], &want, &err), 0);
		CHECK(memcmp(&got, &want, sizeof(got)) == 0);
		buf_release(&err);
	}
	/* The figures by hand, on either side of each change. */
	struct policy p;
	ledger_policy(&pl, D(2024, 2, 29), &p);
	CHECK_EQ(p.probation_months, 12);
	ledger_policy(&pl, D(2024, 3, 1), &p);
	CHECK_EQ(p.probation_months, 18);
	CHECK_EQ(p.age_min_years, 18);
	ledger_policy(&pl, D(2024, 6, 2), &p);
	CHECK_EQ(p.age_min_years, 20);
	ledger_policy(&pl, D(2024, 6, 1), &p);
	CHECK_EQ(p.age_min_years, 18);
	ledger_policy(&pl, D(2021, 7, 29), &p);
	CHECK_EQ(p.committee_vote.den, 2);
	ledger_policy(&pl, D(2021, 7, 30), &p);
	CHECK_EQ(p.committee_vote.den, 3);
}

int main(void)
{
	i18n_init("en");
	if (setup() != 0)
		return 1;
	test_open();
	test_record_and_refuse();
	test_override();
	test_dry_run_and_check();
	test_upsert();
	test_bad_input();
	test_basic_cell_pipeline();
	test_membership_recorded();
	test_next_step_in_memory();
	test_policy_spans();
	teardown();
	return T_DONE();
}
