/*
 * test_unit_path.c — each unit's place in the tree as the store keeps it
 * (migration 006's paths, store_unit_put) and the reports' subtree reads
 * over it, on a real database: SQLite in a scratch directory, or the
 * fresh database of $KN_TEST_DB_URL (PostgreSQL, pg/unit/test_unit_path).
 *
 * The tree: P (province) > P-H (upper) > P-G1 (grassroots) > P-G1-C1
 * (cell), P-H > P-G2 > P-G2-C1, and a second province Q > Q-G. A
 * candidate of P-G1-C1 was decided on 2024-05-02 and one of P-G2-C1 on
 * 2024-06-03; P-G1 has a quota for 2024. Then P-G1 moves under Q: the
 * subtree answers (units, quotas, admissions, step counts) follow it,
 * a cell added under it afterwards lands in Q's subtree, and putting Q
 * under one of its own descendants is refused with nothing changed.
 * Expected values are written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "store/store.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/sort.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct fx fx;

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The codes of store_unit_subtree(top), sorted and joined by spaces
 * ("!notfound" for an unknown top, "!failed" for another error). */
static void subtree_codes(const char *top, char *out, size_t n)
{
	struct unit *u;
	size_t nu;
	enum kn_err e = store_unit_subtree(fx.s, top, &u, &nu);
	out[0] = 0;
	if (e != KN_OK) {
		snprintf(out, n, "%s", e == KN_ENOTFOUND ? "!notfound" : "!failed");
		return;
	}
	char **codes = calloc(nu ? nu : 1, sizeof(*codes));
	for (size_t i = 0; i < nu; i++)
		codes[i] = u[i].code;
	xqsort(codes, nu, sizeof(*codes), str_cmp);
	for (size_t i = 0, len = 0; i < nu; i++) {
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s", i ? " " : "",
					codes[i]);
	}
	free(codes);
	store_units_free(u, nu);
}

#define CHECK_SUBTREE(top, want) do { char got_[512]; subtree_codes(top, got_, sizeof(got_)); \
		CHECK_STR(got_, want); } while (0)

static int count_admission(void *arg, const struct admission *a)
{
	*(long long *)arg += a->unit_id > 0;
	return 0;
}

static int count_unit(void *arg, int64_t unit_id)
{
	*(long long *)arg += unit_id > 0;
	return 0;
}

/* How many admissions of 2024 the subtree of top has (-1: failed), read
 * three ways: as an array, one at a time as the reports read them, and
 * by unit only (-2 when they disagree). */
static long long admissions_in(const char *top)
{
	struct admission *a;
	size_t n;
	long long each = 0, units = 0;
	if (store_admissions(fx.s, top, D(2024, 1, 1), D(2024, 12, 31), &a, &n) != KN_OK)
		return -1;
	store_admissions_free(a, n);
	if (store_admissions_each(fx.s, top, D(2024, 1, 1), D(2024, 12, 31), count_admission,
				  &each) != KN_OK ||
	    store_admission_units_each(fx.s, top, D(2024, 1, 1), D(2024, 12, 31), count_unit,
				       &units) != KN_OK)
		return -1;
	return each == (long long)n && units == (long long)n ? (long long)n : -2;
}

/* The candidacies of the subtree of top with a decision step in 2024
 * (-1: failed). */
static long long decided_in(const char *top)
{
	long long reached[STEP__COUNT];
	if (store_step_counts(fx.s, top, D(2024, 1, 1), D(2024, 12, 31), reached) != KN_OK)
		return -1;
	return reached[STEP_DECISION];
}

/* The units with a 2024 quota in the subtree of top, joined (or "!"). */
static void quota_units(const char *top, char *out, size_t size)
{
	struct quota *q;
	size_t n;
	out[0] = 0;
	if (store_quota_subtree(fx.s, top, 2024, &q, &n) != KN_OK) {
		snprintf(out, size, "!");
		return;
	}
	for (size_t i = 0, len = 0; i < n; i++)
		len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s",
					i ? " " : "", q[i].unit);
	store_quotas_free(q, n);
}

static int add_quota(void *arg, int64_t unit_id, const char *category, long long target)
{
	int64_t *want = arg;
	if (unit_id == want[0] && strcmp(category, "total") == 0)
		want[1] += target;
	else
		want[2]++;
	return 0;
}

/* The 2024 quota of P-G1 as the reports read it (store_quota_year_each)
 * in the subtree of top; -1 when failed, -2 when another quota came. */
static long long pg1_quota_in(const char *top)
{
	int64_t want[3] = { 0, 0, 0 };
	struct unit u;
	if (store_unit_get(fx.s, "P-G1", &u) != KN_OK)
		return -1;
	want[0] = u.id;
	unit_release(&u);
	if (store_quota_year_each(fx.s, top, 2024, add_quota, want) != KN_OK)
		return -1;
	return want[2] ? -2 : want[1];
}

static int pipelines;

static int count_pipeline(void *arg, const struct pipeline *p)
{
	(void)arg;
	(void)p;
	pipelines++;
	return 0;
}

/* The candidacies of the subtree of top open on 2024-12-31, as the
 * deadlines report and the dashboard read them (-1: failed). */
static int open_in(const char *top)
{
	pipelines = 0;
	if (store_pipeline_dates(fx.s, top, D(2024, 12, 31), count_pipeline, NULL) != KN_OK)
		return -1;
	return pipelines;
}

static void candidate(const char *ref, const char *unit, kn_date decided)
{
	struct step st[3] = {
		fx_step_of(STEP_SOURCE, D(2023, 1, 10)),
		fx_step_of(STEP_APPLIED, D(2023, 9, 10)),
		fx_step_of(STEP_DECISION, decided),
	};
	int64_t id = fx_person(fx.s, ref, ref, unit, D(1998, 3, 3), KN_DATE_NONE, KN_DATE_NONE);
	CHECK(fx_candidacy(fx.s, id, unit, st, 3) > 0);
}

static void test_before_the_move(void)
{
	char q[256];
	CHECK_SUBTREE("P-H", "P P-G1 P-G1-C1 P-G2 P-G2-C1 P-H");	/* with its ancestor P */
	CHECK_SUBTREE("P-G1", "P P-G1 P-G1-C1 P-H");
	CHECK_SUBTREE("Q", "Q Q-G");
	CHECK_SUBTREE(NULL, "P P-G1 P-G1-C1 P-G2 P-G2-C1 P-H");	/* the first root */
	CHECK_SUBTREE("NOPE", "!notfound");
	CHECK_EQ(admissions_in("P"), 2);
	CHECK_EQ(admissions_in("P-G1"), 1);
	CHECK_EQ(admissions_in("Q"), 0);
	CHECK_EQ(admissions_in(NULL), 2);
	CHECK_EQ(admissions_in("NOPE"), -1);
	CHECK_EQ(decided_in("P-H"), 2);
	CHECK_EQ(decided_in("P-G2-C1"), 1);
	CHECK_EQ(decided_in("Q"), 0);
	CHECK_EQ(open_in("P"), 2);
	CHECK_EQ(open_in("P-G2"), 1);
	CHECK_EQ(open_in("Q"), 0);
	CHECK_EQ(open_in(NULL), 2);
	CHECK_EQ(open_in("NOPE"), -1);
	quota_units("P", q, sizeof(q));
	CHECK_STR(q, "P-G1");
	quota_units("Q", q, sizeof(q));
	CHECK_STR(q, "");
	CHECK_EQ(pg1_quota_in("P"), 3);
	CHECK_EQ(pg1_quota_in("P-G1"), 3);
	CHECK_EQ(pg1_quota_in("Q"), 0);
	CHECK_EQ(pg1_quota_in(NULL), 3);	/* every unit */
	CHECK_EQ(pg1_quota_in("NOPE"), -1);
}

static void test_move(void)
{
	struct unit g1 = fx_unit_of("P-G1", "Q", UNIT_GRASSROOTS, 0);
	struct unit c2 = fx_unit_of("P-G1-C2", "P-G1", UNIT_CELL, 0);
	char q[256];
	int changed = -1;

	CHECK_EQ(store_unit_put(fx.s, &g1, &changed), KN_OK);
	CHECK_EQ(changed, 1);
	CHECK_SUBTREE("P-H", "P P-G2 P-G2-C1 P-H");
	CHECK_SUBTREE("Q", "P-G1 P-G1-C1 Q Q-G");
	CHECK_SUBTREE("P-G1", "P-G1 P-G1-C1 Q");
	CHECK_SUBTREE("P-G1-C1", "P-G1 P-G1-C1 Q");
	/* A unit added below the moved one is in its new subtree. */
	CHECK_EQ(store_unit_put(fx.s, &c2, &changed), KN_OK);
	CHECK_EQ(changed, 2);
	CHECK_SUBTREE("Q", "P-G1 P-G1-C1 P-G1-C2 Q Q-G");
	CHECK_SUBTREE("P", "P P-G2 P-G2-C1 P-H");
	/* The reads follow the tree. */
	CHECK_EQ(admissions_in("P"), 1);
	CHECK_EQ(admissions_in("Q"), 1);
	CHECK_EQ(decided_in("Q"), 1);
	CHECK_EQ(decided_in("P-H"), 1);
	CHECK_EQ(open_in("Q"), 1);
	CHECK_EQ(open_in("P"), 1);
	quota_units("P", q, sizeof(q));
	CHECK_STR(q, "");
	quota_units("Q", q, sizeof(q));
	CHECK_STR(q, "P-G1");
	CHECK_EQ(pg1_quota_in("Q"), 3);
	CHECK_EQ(pg1_quota_in("P"), 0);
	/* Putting it back again is the first tree again. */
	g1.parent = (char *)"P-H";
	CHECK_EQ(store_unit_put(fx.s, &g1, &changed), KN_OK);
	CHECK_SUBTREE("P-H", "P P-G1 P-G1-C1 P-G1-C2 P-G2 P-G2-C1 P-H");
	CHECK_SUBTREE("Q", "Q Q-G");
	CHECK_EQ(admissions_in("Q"), 0);
	CHECK_EQ(admissions_in("P-H"), 2);
}

static void test_no_cycle(void)
{
	struct unit p = fx_unit_of("P", "P-G1-C2", UNIT_PROVINCE, 0);
	struct unit self = fx_unit_of("P-G2", "P-G2", UNIT_GRASSROOTS, 0);
	int changed = -1;

	CHECK_EQ(store_unit_put(fx.s, &p, &changed), KN_EINVAL);
	CHECK(strstr(store_errmsg(fx.s), "within it") != NULL);
	CHECK_EQ(store_unit_put(fx.s, &self, &changed), KN_EINVAL);
	CHECK_SUBTREE(NULL, "P P-G1 P-G1-C1 P-G1-C2 P-G2 P-G2-C1 P-H");
	CHECK_SUBTREE("P-G2", "P P-G2 P-G2-C1 P-H");
}

/* The paths a bulk writer gets from store_unit_paths_rebuild are those
 * store_unit_put kept: nothing to change, the same answers. */
static void test_rebuild(void)
{
	long long changed = -1;
	CHECK_EQ(store_unit_paths_rebuild(fx.s, &changed), KN_OK);
	CHECK_EQ(changed, 0);
	CHECK_SUBTREE("P-G1", "P P-G1 P-G1-C1 P-G1-C2 P-H");
	CHECK_SUBTREE("Q", "Q Q-G");
}

int main(void)
{
	struct quota qt = { (char *)"P-G1", 2024, (char *)"total", 3 };
	int changed;

	i18n_init("en");
	if (fx_open(&fx, "unit_path") != 0)
		return 1;
	CHECK_EQ(fx_units(fx.s, "P province > P-H upper may_admit > P-G1 grassroots > P-G1-C1 cell; "
			  "P-H > P-G2 grassroots > P-G2-C1 cell; Q province > Q-G grassroots"),
		 8);	/* P-H is named twice: put twice */
	CHECK_EQ(store_quota_put(fx.s, &qt, &changed), KN_OK);
	candidate("A001", "P-G1-C1", D(2024, 5, 2));
	candidate("B001", "P-G2-C1", D(2024, 6, 3));
	test_before_the_move();
	test_move();
	test_no_cycle();
	test_rebuild();
	fx_close(&fx);
	return T_DONE();
}
