/*
 * test_queue.c — the one definition of a dossier waiting for the
 * admission decision (core/queue.h), on a hand-built tree.
 *
 * P (province, may_admit) > H (upper, may_admit) > G1 (đảng bộ cơ sở) >
 * C1 (cell), and H > G2 (chi bộ cơ sở, no cells); Q (province, no
 * may_admit) > G3 (grassroots) > C3 (cell): nobody may decide there.
 * Dates are in 2025; no public holiday falls between 13/5 and 25/8, so 60
 * working days after Mon 12/5 is Mon 4/8 (12 weeks). Expected values are
 * written by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/queue.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct step st[16];
static size_t nst;

static void reset(void)
{
	nst = 0;
}

static void add(enum step_code code, int m, int d)
{
	if (nst == sizeof(st) / sizeof(*st))
		abort();
	step_init(&st[nst]);
	st[nst].code = code;
	st[nst].date = date_from_ymd(2025, m, d);
	nst++;
}

/* Everything up to the cell vote, in the spring. */
static void before_vote(void)
{
	reset();
	add(STEP_SOURCE, 1, 6);
	add(STEP_TRAINED, 2, 10);
	add(STEP_APPLIED, 3, 3);
	add(STEP_VERIFIED, 3, 17);
	add(STEP_INTRODUCED, 4, 1);
}

int main(void)
{
	struct unitree t;
	size_t nu;
	struct unit *u = fx_unit_array("P province may_admit > P-H upper may_admit > "
					"P-H-G1 grassroots > P-H-G1-C1 cell; P-H > P-H-G2 grassroots; "
					"Q province > Q-G3 grassroots > Q-G3-C3 cell", &nu);
	struct queue_dossier d;
	struct calendar *cal = calendar_new();
	struct policy pol;
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);
	kn_date today = date_from_ymd(2025, 8, 15);

	policy_resolve(rows, n, today, &pol, NULL);
	unitree_build(&t, u, nu);
	struct unode *p = unitree_find(&t, "P"), *h = unitree_find(&t, "P-H");
	struct unode *g1 = unitree_find(&t, "P-H-G1"), *c1 = unitree_find(&t, "P-H-G1-C1");
	struct unode *g2 = unitree_find(&t, "P-H-G2"), *q = unitree_find(&t, "Q");
	struct unode *g3 = unitree_find(&t, "Q-G3"), *c3 = unitree_find(&t, "Q-G3-C3");

	/* A cell of a đảng bộ after its cell vote: waits for the grassroots
	 * committee's vote, not for the decision. */
	before_vote();
	add(STEP_CELL_VOTE, 5, 12);
	CHECK_EQ(queue_waiting(c1, st, nst, today, &pol, cal, &d), 0);

	/* After the committee vote: waiting for H, overdue since 4/8. */
	add(STEP_COMMITTEE_VOTE, 5, 26);
	CHECK_EQ(queue_waiting(c1, st, nst, today, &pol, cal, &d), 1);
	CHECK(d.competent == h);
	CHECK(d.owner == h);
	CHECK(d.unit == c1);
	CHECK_EQ(d.after, STEP_COMMITTEE_VOTE);
	CHECK_EQ(d.cell_vote, date_from_ymd(2025, 5, 12));
	CHECK_EQ(d.committee_vote, date_from_ymd(2025, 5, 26));
	CHECK_EQ(d.arrived, date_from_ymd(2025, 5, 26));
	CHECK_EQ(d.has_due, 1);
	CHECK_EQ(d.due, date_from_ymd(2025, 8, 4));
	CHECK_EQ(d.workdays_left, -9);
	CHECK_EQ(queue_overdue(&d), 1);
	/* Counted for H and every unit above; not below H. */
	CHECK_EQ(queue_counts_for(&d, h), 1);
	CHECK_EQ(queue_counts_for(&d, p), 1);
	CHECK_EQ(queue_counts_for(&d, g1), 0);
	CHECK_EQ(queue_counts_for(&d, c1), 0);
	CHECK_EQ(queue_counts_for(&d, g2), 0);
	CHECK_EQ(queue_counts_for(&d, q), 0);
	/* Without policy or calendar there is no due date. */
	CHECK_EQ(queue_waiting(c1, st, nst, today, NULL, NULL, &d), 1);
	CHECK_EQ(d.has_due, 0);
	CHECK_EQ(queue_overdue(&d), 0);
	/* On 1/8 it was waiting too, one working day before its due date. */
	CHECK_EQ(queue_waiting(c1, st, nst, date_from_ymd(2025, 8, 1), &pol, cal, &d), 1);
	CHECK_EQ(d.workdays_left, 1);
	CHECK_EQ(queue_overdue(&d), 0);
	/* On 20/5 only the cell vote had happened: not waiting yet. */
	CHECK_EQ(queue_waiting(c1, st, nst, date_from_ymd(2025, 5, 20), &pol, cal, &d), 0);

	/* A mentor step after the committee vote changes nothing. */
	add(STEP_MENTOR, 7, 1);
	CHECK_EQ(queue_waiting(c1, st, nst, today, &pol, cal, NULL), 1);

	/* Decided: no longer waiting, but it was before the decision. */
	add(STEP_DECISION, 8, 11);
	CHECK_EQ(queue_waiting(c1, st, nst, today, &pol, cal, &d), 0);
	CHECK_EQ(queue_waiting(c1, st, nst, date_from_ymd(2025, 8, 8), &pol, cal, &d), 1);

	/* Withdrawn after the committee vote: not waiting from that day. */
	before_vote();
	add(STEP_CELL_VOTE, 5, 12);
	add(STEP_COMMITTEE_VOTE, 5, 26);
	add(STEP_WITHDRAWN, 7, 1);
	CHECK_EQ(queue_waiting(c1, st, nst, today, &pol, cal, &d), 0);
	CHECK_EQ(queue_waiting(c1, st, nst, date_from_ymd(2025, 6, 30), &pol, cal, &d), 1);

	/* A chi bộ cơ sở: the cell vote sends it to H directly. */
	before_vote();
	add(STEP_CELL_VOTE, 6, 2);
	CHECK_EQ(queue_waiting(g2, st, nst, today, &pol, cal, &d), 1);
	CHECK(d.competent == h);
	CHECK_EQ(d.after, STEP_CELL_VOTE);
	CHECK_EQ(d.committee_vote, KN_DATE_NONE);
	CHECK_EQ(d.arrived, date_from_ymd(2025, 6, 2));
	CHECK_EQ(d.due, date_from_ymd(2025, 8, 25));
	CHECK_EQ(d.workdays_left, 6);
	CHECK_EQ(queue_counts_for(&d, h), 1);
	CHECK_EQ(queue_counts_for(&d, g2), 0);
	/* Before the cell vote: not waiting. */
	before_vote();
	CHECK_EQ(queue_waiting(g2, st, nst, today, &pol, cal, &d), 0);

	/* No competent committee above: counted for its grassroots unit and
	 * above, so that somebody sees it. */
	before_vote();
	add(STEP_CELL_VOTE, 5, 12);
	add(STEP_COMMITTEE_VOTE, 5, 26);
	CHECK_EQ(queue_waiting(c3, st, nst, today, &pol, cal, &d), 1);
	CHECK(d.competent == NULL);
	CHECK(d.owner == g3);
	CHECK_EQ(queue_counts_for(&d, g3), 1);
	CHECK_EQ(queue_counts_for(&d, q), 1);
	CHECK_EQ(queue_counts_for(&d, c3), 0);
	CHECK_EQ(queue_counts_for(&d, p), 0);

	CHECK_EQ(queue_waiting(NULL, st, nst, today, &pol, cal, &d), 0);
	unitree_free(&t);
	calendar_free(cal);
	return T_DONE();
}
