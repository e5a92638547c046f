/*
 * test_deadline.c — the deadlines of RULES.md §4 on a real calendar:
 * which are open at each stage, their due dates (counted by hand in the
 * comments, holidays included), working days left on both sides of the
 * due date, steps dated after as_of ignored, and none for a closed
 * candidacy.
 */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/deadline.h"
#include "core/model.h"
#include "core/policy.h"
#include "util/date.h"
#include "t.h"
#include "util/banned.h"

static struct calendar *cal;
static struct policy pol;

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

struct case_ {
	struct step s[16];
	size_t n;
	struct deadline *dl;
	size_t ndl;
};

static void add(struct case_ *c, enum step_code code, kn_date d)
{
	step_init(&c->s[c->n]);
	c->s[c->n].code = code;
	c->s[c->n].date = d;
	c->n++;
}

static size_t run(struct case_ *c, kn_date as_of)
{
	free(c->dl);
	c->dl = NULL;
	c->ndl = deadlines_for(c->s, c->n, as_of, &pol, cal, &c->dl);
	return c->ndl;
}

static const struct deadline *find(const struct case_ *c, const char *code)
{
	for (size_t i = 0; i < c->ndl; i++)
		if (strcmp(c->dl[i].code, code) == 0)
			return &c->dl[i];
	return NULL;
}

/* Working days after 2024-04-01 (a Monday), with the computed holidays
 * Giỗ Tổ (10/3 lunar = Thursday 2024-04-18), 30/4 (Tuesday) and 1/5
 * (Wednesday):
 *   2–5 April                          4   ->  4
 *   8–12 April                         5   ->  9
 *   15–19 April, less Thursday 18      4   -> 13
 *   22–26 April                        5   -> 18
 *   29 April – 3 May, less 30/4, 1/5   3   -> 21
 *   6–10 May                           5   -> 26
 *   13–16 May                          4   -> 30  (Thursday 2024-05-16)
 *   17 May                             1   -> 31
 *   20–24 May                          5   -> 36
 *   27–31 May                          5   -> 41
 *   3–7 June                           5   -> 46
 *   10–14 June                         5   -> 51
 *   17–21 June                         5   -> 56
 *   24–27 June                         4   -> 60  (Thursday 2024-06-27)
 * So 30 working days after 2024-04-01 is 2024-05-16 and 60 is 2024-06-27. */

static void test_before_cell_vote(void)
{
	struct case_ c = { 0 };
	const struct deadline *d;

	add(&c, STEP_SOURCE, D(2023, 1, 10));
	add(&c, STEP_TRAINED, D(2023, 3, 1));
	add(&c, STEP_APPLIED, D(2023, 4, 3));
	add(&c, STEP_VERIFIED, D(2023, 5, 2));
	add(&c, STEP_INTRODUCED, D(2023, 6, 1));

	/* Nothing recorded yet on 2023-01-09. */
	CHECK_EQ(run(&c, D(2023, 1, 9)), 0);
	/* Source only: no deadline. */
	CHECK_EQ(run(&c, D(2023, 2, 1)), 0);
	/* Trained: the certificate runs 60 months, to 2028-03-01. */
	CHECK_EQ(run(&c, D(2023, 3, 1)), 1);
	CHECK_STR(c.dl[0].code, "DL-CERT-EXPIRY");
	CHECK_EQ(c.dl[0].due, D(2028, 3, 1));

	/* Introduced: the dossier runs 12 months, to 2024-06-01 (a
	 * Saturday); the certificate deadline is listed first. */
	CHECK_EQ(run(&c, D(2023, 6, 15)), 2);
	CHECK_STR(c.dl[0].code, "DL-CERT-EXPIRY");
	CHECK_STR(c.dl[1].code, "DL-DOSSIER");
	CHECK_EQ(c.dl[1].due, D(2024, 6, 1));

	/* Working days left before 2024-06-01: on Monday 2024-05-27 they are
	 * 28, 29, 30, 31 May = 4; on Friday 31 May, 0 (Saturday is no working
	 * day); on the due date itself 0; on Tuesday 2024-06-04, -1: the
	 * calendar counts backwards the working days in [due, as_of), which
	 * are Saturday 1 (no), Sunday 2 (no) and Monday 3 June (yes). */
	run(&c, D(2024, 5, 27));
	d = find(&c, "DL-DOSSIER");
	CHECK(d != NULL);
	CHECK_EQ(d ? d->workdays_left : 99, 4);
	run(&c, D(2024, 5, 31));
	d = find(&c, "DL-DOSSIER");
	CHECK_EQ(d ? d->workdays_left : 99, 0);
	run(&c, D(2024, 6, 1));
	d = find(&c, "DL-DOSSIER");
	CHECK_EQ(d ? d->workdays_left : 99, 0);
	run(&c, D(2024, 6, 4));
	d = find(&c, "DL-DOSSIER");
	CHECK_EQ(d ? d->workdays_left : 99, -1);

	/* A new certificate and fresh introductions: the latest count. */
	add(&c, STEP_TRAINED, D(2024, 1, 10));
	add(&c, STEP_INTRODUCED, D(2024, 5, 20));
	CHECK_EQ(run(&c, D(2024, 6, 4)), 2);
	d = find(&c, "DL-CERT-EXPIRY");
	CHECK_EQ(d ? d->due : 0, D(2029, 1, 10));
	d = find(&c, "DL-DOSSIER");
	CHECK_EQ(d ? d->due : 0, D(2025, 5, 20));
	/* … but not before they are dated. */
	CHECK_EQ(run(&c, D(2024, 5, 19)), 2);
	d = find(&c, "DL-DOSSIER");
	CHECK_EQ(d ? d->due : 0, D(2024, 6, 1));
	free(c.dl);
}

static void test_admission(void)
{
	struct case_ c = { 0 };

	add(&c, STEP_SOURCE, D(2023, 1, 10));
	add(&c, STEP_TRAINED, D(2023, 3, 1));
	add(&c, STEP_APPLIED, D(2023, 4, 3));
	add(&c, STEP_VERIFIED, D(2023, 5, 2));
	add(&c, STEP_INTRODUCED, D(2023, 6, 1));
	add(&c, STEP_CELL_VOTE, D(2024, 4, 1));

	/* Cell meeting on 2024-04-01: the decision is due 60 working days
	 * later, 2024-06-27; the certificate and dossier deadlines close. */
	CHECK_EQ(run(&c, D(2024, 4, 1)), 1);
	CHECK_STR(c.dl[0].code, "DL-DECISION");
	CHECK_EQ(c.dl[0].due, D(2024, 6, 27));
	/* The day before the cell meeting, it is not yet recorded. */
	CHECK_EQ(run(&c, D(2024, 3, 31)), 2);
	CHECK(find(&c, "DL-DECISION") == NULL);
	/* Working days left: Monday 2024-06-24 -> 25, 26, 27 = 3; the due
	 * date 0; Friday 28 June -1. */
	run(&c, D(2024, 6, 24));
	CHECK_EQ(c.dl[0].workdays_left, 3);
	run(&c, D(2024, 6, 27));
	CHECK_EQ(c.dl[0].workdays_left, 0);
	run(&c, D(2024, 6, 28));
	CHECK_EQ(c.dl[0].workdays_left, -1);

	/* The committee's vote does not close it. */
	add(&c, STEP_COMMITTEE_VOTE, D(2024, 4, 1));
	CHECK_EQ(run(&c, D(2024, 4, 2)), 1);
	CHECK_STR(c.dl[0].code, "DL-DECISION");

	/* Decision on 2024-04-01 (a step dated after as_of does not count). */
	add(&c, STEP_DECISION, D(2024, 4, 1));
	CHECK_EQ(run(&c, D(2024, 4, 1)), 1);
	CHECK_STR(c.dl[0].code, "DL-CEREMONY");
	/* 30 working days: 2024-05-16. On Monday 13 May: 14, 15, 16 = 3
	 * left; on Friday 17 May, -1. */
	CHECK_EQ(c.dl[0].due, D(2024, 5, 16));
	run(&c, D(2024, 5, 13));
	CHECK_EQ(c.dl[0].workdays_left, 3);
	run(&c, D(2024, 5, 17));
	CHECK_EQ(c.dl[0].workdays_left, -1);

	/* The ceremony closes it. */
	add(&c, STEP_CEREMONY, D(2024, 5, 17));
	CHECK_EQ(run(&c, D(2024, 5, 17)), 1);
	CHECK_STR(c.dl[0].code, "DL-PROBATION-VOTE");
	/* Probation ends 2025-05-17 (a Saturday); 30 working days after: not
	 * counted here, only that it is after the probation end. */
	CHECK(c.dl[0].due > D(2025, 5, 17));
	free(c.dl);
}

static void test_probation(void)
{
	struct case_ c = { 0 };

	add(&c, STEP_SOURCE, D(2021, 1, 4));
	add(&c, STEP_TRAINED, D(2021, 2, 1));
	add(&c, STEP_APPLIED, D(2021, 3, 1));
	add(&c, STEP_VERIFIED, D(2021, 4, 1));
	add(&c, STEP_INTRODUCED, D(2021, 5, 4));
	add(&c, STEP_CELL_VOTE, D(2021, 6, 1));
	add(&c, STEP_DECISION, D(2021, 7, 1));
	/* Ceremony on 2023-04-01: probation ends 2024-04-01, and the cell's
	 * consideration is due 30 working days after, 2024-05-16. */
	add(&c, STEP_CEREMONY, D(2023, 4, 1));
	CHECK_EQ(run(&c, D(2023, 5, 1)), 1);
	CHECK_STR(c.dl[0].code, "DL-PROBATION-VOTE");
	CHECK_EQ(c.dl[0].due, D(2024, 5, 16));

	/* Probation vote on 2024-04-01: the full-membership decision is
	 * due 30 working days after, 2024-05-16. */
	add(&c, STEP_PROBATION_VOTE, D(2024, 4, 1));
	CHECK_EQ(run(&c, D(2024, 4, 1)), 1);
	CHECK_STR(c.dl[0].code, "DL-OFFICIAL");
	CHECK_EQ(c.dl[0].due, D(2024, 5, 16));
	run(&c, D(2024, 5, 15));
	CHECK_EQ(c.dl[0].workdays_left, 1);

	/* official closes the candidacy: nothing open; still open the day
	 * before it is dated. */
	add(&c, STEP_OFFICIAL, D(2024, 5, 10));
	CHECK_EQ(run(&c, D(2024, 5, 10)), 0);
	CHECK_EQ(run(&c, D(2024, 5, 9)), 1);
	free(c.dl);
}

static void test_closed(void)
{
	static const enum step_code endings[] = { STEP_WITHDRAWN, STEP_REJECTED,
		STEP_STRUCK_OFF };
	for (int i = 0; i < 3; i++) {
		struct case_ c = { 0 };
		add(&c, STEP_SOURCE, D(2023, 1, 10));
		add(&c, STEP_TRAINED, D(2023, 3, 1));
		add(&c, endings[i], D(2023, 4, 1));
		CHECK_EQ(run(&c, D(2023, 3, 31)), 1);
		CHECK_EQ(run(&c, D(2023, 4, 1)), 0);
		CHECK(c.dl == NULL);
		free(c.dl);
	}
	/* No steps at all. */
	struct deadline *dl = (struct deadline *)1;
	CHECK_EQ(deadlines_for(NULL, 0, D(2024, 1, 1), &pol, cal, &dl), 0);
	CHECK(dl == NULL);
}

/* issue 15: the DL-DECISION extension. Cell vote Mon 2024-04-01: 60
 * working days to Thu 2024-06-27 (main checks it); 30 more, no holiday in
 * July and August: Jun 28 (1), Jul 1-5 (6), 8-12 (11), 15-19 (16), 22-26
 * (21), Jul 29-Aug 2 (26), Aug 5-8 (30): Thu 2024-08-08. */
static const struct deadline *decision_with(struct case_ *c, kn_date ext, kn_date as_of)
{
	free(c->dl);
	c->dl = NULL;
	c->ndl = deadlines_for_ext(c->s, c->n, ext, as_of, &pol, cal, &c->dl);
	return find(c, "DL-DECISION");
}

static void test_extension(void)
{
	struct case_ c = { 0 };
	const struct deadline *d;
	add(&c, STEP_SOURCE, D(2023, 9, 1));
	add(&c, STEP_INTRODUCED, D(2024, 2, 1));
	add(&c, STEP_CELL_VOTE, D(2024, 4, 1));

	CHECK_EQ(pol.deadline_decision_extension_workdays, 30);
	d = decision_with(&c, KN_DATE_NONE, D(2024, 6, 27));
	CHECK(d && d->due == D(2024, 6, 27) && d->workdays_left == 0 && !d->extended);
	/* Extended on 2024-06-20: from then on due 2024-08-08. */
	d = decision_with(&c, D(2024, 6, 20), D(2024, 6, 19));
	CHECK(d && d->due == D(2024, 6, 27) && !d->extended);	/* not yet */
	d = decision_with(&c, D(2024, 6, 20), D(2024, 6, 20));
	CHECK(d && d->due == D(2024, 8, 8) && d->extended);
	d = decision_with(&c, D(2024, 6, 20), D(2024, 6, 28));	/* the 61st: due */
	CHECK(d && d->due == D(2024, 8, 8) && d->workdays_left == 29);
	d = decision_with(&c, D(2024, 6, 20), D(2024, 8, 8));	/* the 90th */
	CHECK(d && d->workdays_left == 0);
	d = decision_with(&c, D(2024, 6, 20), D(2024, 8, 9));	/* the 91st */
	CHECK(d && d->workdays_left == -1);
	/* An extension dated before the cell vote was not for this dossier. */
	d = decision_with(&c, D(2024, 3, 29), D(2024, 6, 28));
	CHECK(d && d->due == D(2024, 6, 27) && !d->extended);
	/* The other deadlines do not move; after the decision none is left. */
	add(&c, STEP_DECISION, D(2024, 7, 1));
	CHECK(decision_with(&c, D(2024, 6, 20), D(2024, 7, 1)) == NULL);
	free(c.dl);
}

int main(void)
{
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);

	cal = calendar_new();
	policy_resolve(rows, n, D(2024, 1, 1), &pol, NULL);
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 1), 30), D(2024, 5, 16));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 1), 60), D(2024, 6, 27));
	test_before_cell_vote();
	test_admission();
	test_probation();
	test_closed();
	test_extension();
	calendar_free(cal);
	return T_DONE();
}
