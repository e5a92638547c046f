/*
 * test_policy.c — the defaults of RULES.md §7, effective dating (the
 * committee fraction changes on 2021-07-30), overrides by rows, bad rows,
 * and fraction_met's integer arithmetic on both sides of each boundary.
 * Expected values are written by hand.
 */
#include <string.h>

#include "core/policy.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/i18n.h"
#include "t.h"
#include "util/banned.h"

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static const char *value_of(const struct policy_row *rows, size_t n, const char *key,
			    kn_date from)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].key, key) == 0 && rows[i].from == from)
			return rows[i].value;
	return NULL;
}

static void test_default_rows(void)
{
	size_t n = 0;
	const struct policy_row *rows = policy_default_rows(&n);

	CHECK_EQ(n, 20);	/* 17 + deadline.transfer_workdays, readmit.wait_months, readmit.crime_wait_months (issue 15) */
	CHECK_STR(value_of(rows, n, "readmit.wait_months", KN_DATE_NONE), "36");
	CHECK_STR(value_of(rows, n, "readmit.crime_wait_months", KN_DATE_NONE), "60");
	CHECK_STR(value_of(rows, n, "age.min_years", KN_DATE_NONE), "18");
	CHECK_STR(value_of(rows, n, "age.max_years", KN_DATE_NONE), "60");
	CHECK_STR(value_of(rows, n, "education.min", KN_DATE_NONE), "9/12");
	CHECK_STR(value_of(rows, n, "education.min_special_area", KN_DATE_NONE), "5/12");
	CHECK_STR(value_of(rows, n, "certificate.valid_months", KN_DATE_NONE), "60");
	CHECK_STR(value_of(rows, n, "introducer.min_months", KN_DATE_NONE), "12");
	CHECK_STR(value_of(rows, n, "dossier.max_age_months", KN_DATE_NONE), "12");
	CHECK_STR(value_of(rows, n, "cell.min_full_members", KN_DATE_NONE), "3");
	CHECK_STR(value_of(rows, n, "cell.vote_fraction", KN_DATE_NONE), ">=2/3");
	CHECK_STR(value_of(rows, n, "committee.vote_fraction", KN_DATE_NONE), ">1/2");
	CHECK_STR(value_of(rows, n, "committee.vote_fraction", D(2021, 7, 30)), ">=2/3");
	CHECK_STR(value_of(rows, n, "probation.months", KN_DATE_NONE), "12");
	CHECK_STR(value_of(rows, n, "deadline.decision_workdays", KN_DATE_NONE), "60");
	CHECK_STR(value_of(rows, n, "deadline.decision_extension_workdays", KN_DATE_NONE), "30");
	CHECK_STR(value_of(rows, n, "deadline.ceremony_workdays", KN_DATE_NONE), "30");
	CHECK_STR(value_of(rows, n, "deadline.probation_vote_workdays", KN_DATE_NONE), "30");
	CHECK_STR(value_of(rows, n, "deadline.official_workdays", KN_DATE_NONE), "30");
	CHECK_STR(value_of(rows, n, "deadline.transfer_workdays", KN_DATE_NONE), "30");
}

static void check_defaults(const struct policy *p)
{
	CHECK_EQ(p->age_min_years, 18);
	CHECK_EQ(p->age_max_years, 60);
	CHECK_EQ(p->edu_min, 9);
	CHECK_EQ(p->edu_min_special_area, 5);
	CHECK_EQ(p->certificate_valid_months, 60);
	CHECK_EQ(p->introducer_min_months, 12);
	CHECK_EQ(p->dossier_max_age_months, 12);
	CHECK_EQ(p->cell_min_full_members, 3);
	CHECK_EQ(p->cell_vote.num, 2);
	CHECK_EQ(p->cell_vote.den, 3);
	CHECK_EQ(p->cell_vote.strict, 0);
	CHECK_EQ(p->probation_months, 12);
	CHECK_EQ(p->deadline_decision_workdays, 60);
	CHECK_EQ(p->deadline_decision_extension_workdays, 30);
	CHECK_EQ(p->deadline_ceremony_workdays, 30);
	CHECK_EQ(p->deadline_probation_vote_workdays, 30);
	CHECK_EQ(p->deadline_official_workdays, 30);
	CHECK_EQ(p->deadline_transfer_workdays, 30);
}

static void test_resolve_defaults(void)
{
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);
	struct policy p;
	struct buf err = BUF_INIT;

	/* The day before 24-QĐ/TW's rule: more than half. */
	CHECK_EQ(policy_resolve(rows, n, D(2021, 7, 29), &p, &err), 0);
	check_defaults(&p);
	CHECK_EQ(p.committee_vote.num, 1);
	CHECK_EQ(p.committee_vote.den, 2);
	CHECK_EQ(p.committee_vote.strict, 1);

	/* The day of: at least two thirds. */
	CHECK_EQ(policy_resolve(rows, n, D(2021, 7, 30), &p, &err), 0);
	check_defaults(&p);
	CHECK_EQ(p.committee_vote.num, 2);
	CHECK_EQ(p.committee_vote.den, 3);
	CHECK_EQ(p.committee_vote.strict, 0);

	/* The day after, and long after. */
	CHECK_EQ(policy_resolve(rows, n, D(2021, 7, 31), &p, &err), 0);
	CHECK_EQ(p.committee_vote.num, 2);
	CHECK_EQ(p.committee_vote.strict, 0);
	CHECK_EQ(policy_resolve(rows, n, D(2030, 1, 1), &p, &err), 0);
	CHECK_EQ(p.committee_vote.den, 3);

	/* Long before. */
	CHECK_EQ(policy_resolve(rows, n, D(1990, 1, 1), &p, &err), 0);
	CHECK_EQ(p.committee_vote.den, 2);

	/* No rows at all: the defaults. */
	CHECK_EQ(policy_resolve(NULL, 0, D(2021, 7, 30), &p, &err), 0);
	check_defaults(&p);
	CHECK_EQ(p.committee_vote.den, 3);
	CHECK_EQ(err.len, 0);
	buf_release(&err);
}

static void test_resolve_rows(void)
{
	struct policy p;
	struct buf err = BUF_INIT;
	const struct policy_row rows[] = {
		{ "age.min_years", KN_DATE_NONE, "16" },
		{ "probation.months", D(2030, 1, 1), "18" },
		{ "education.min", KN_DATE_NONE, "12/12" },
		{ "cell.vote_fraction", KN_DATE_NONE, ">1/2" },
	};

	CHECK_EQ(policy_resolve(rows, 4, D(2029, 12, 31), &p, &err), 0);
	CHECK_EQ(p.age_min_years, 16);
	CHECK_EQ(p.probation_months, 12);	/* not yet: the default */
	CHECK_EQ(p.edu_min, 12);
	CHECK_EQ(p.cell_vote.num, 1);
	CHECK_EQ(p.cell_vote.den, 2);
	CHECK_EQ(p.cell_vote.strict, 1);
	CHECK_EQ(p.age_max_years, 60);		/* not mentioned: the default */
	CHECK_EQ(p.committee_vote.den, 3);	/* default for 2029 */

	CHECK_EQ(policy_resolve(rows, 4, D(2030, 1, 1), &p, &err), 0);
	CHECK_EQ(p.probation_months, 18);

	/* A database that keeps only one committee row: it wins on every
	 * date, the default 2021 row does not leak in. */
	const struct policy_row one[] = {
		{ "committee.vote_fraction", KN_DATE_NONE, ">1/2" },
	};
	CHECK_EQ(policy_resolve(one, 1, D(2024, 1, 1), &p, &err), 0);
	CHECK_EQ(p.committee_vote.den, 2);
	CHECK_EQ(p.committee_vote.strict, 1);

	/* Three dated rows: the latest in force wins, whatever the order. */
	const struct policy_row dated[] = {
		{ "age.max_years", D(2025, 7, 1), "65" },
		{ "age.max_years", KN_DATE_NONE, "60" },
		{ "age.max_years", D(2020, 1, 1), "62" },
	};
	CHECK_EQ(policy_resolve(dated, 3, D(2019, 12, 31), &p, &err), 0);
	CHECK_EQ(p.age_max_years, 60);
	CHECK_EQ(policy_resolve(dated, 3, D(2020, 1, 1), &p, &err), 0);
	CHECK_EQ(p.age_max_years, 62);
	CHECK_EQ(policy_resolve(dated, 3, D(2025, 6, 30), &p, &err), 0);
	CHECK_EQ(p.age_max_years, 62);
	CHECK_EQ(policy_resolve(dated, 3, D(2025, 7, 1), &p, &err), 0);
	CHECK_EQ(p.age_max_years, 65);

	/* The same key and date twice: the later row replaces. */
	const struct policy_row twice[] = {
		{ "introducer.min_months", KN_DATE_NONE, "12" },
		{ "introducer.min_months", KN_DATE_NONE, "6" },
	};
	CHECK_EQ(policy_resolve(twice, 2, D(2024, 1, 1), &p, &err), 0);
	CHECK_EQ(p.introducer_min_months, 6);
	CHECK_EQ(err.len, 0);
	buf_release(&err);
}

static void bad(const char *key, const char *value)
{
	struct policy p;
	struct buf err = BUF_INIT;
	const struct policy_row row = { key, KN_DATE_NONE, value };
	CHECK_EQ(policy_resolve(&row, 1, D(2024, 1, 1), &p, &err), -1);
	CHECK(err.len > 0);
	CHECK(key == NULL || strstr(err.s, key) != NULL);
	buf_release(&err);
}

static void test_bad_rows(void)
{
	bad("age.min_yeras", "18");
	bad("age.min_years", "");
	bad("age.min_years", "18x");
	bad("age.min_years", "-1");
	bad("age.min_years", " 18");
	bad("age.min_years", "1234567890");
	bad("age.min_years", NULL);
	bad("education.min", "9");
	bad("education.min", "13/12");
	bad("cell.vote_fraction", "2/3");
	bad("cell.vote_fraction", ">=3/2");
	bad("cell.vote_fraction", ">=2/0");
	bad("cell.vote_fraction", ">=2/3 ");
	bad("committee.vote_fraction", "=>1/2");
	bad("cell.min_full_members", ">=2/3");

	/* A bad row not yet in force is still refused. */
	struct policy p;
	const struct policy_row later = { "age.min_years", D(2100, 1, 1), "x" };
	CHECK_EQ(policy_resolve(&later, 1, D(2024, 1, 1), &p, NULL), -1);
}

/* issue 15: policy_check() for `policy set` and the policy page, and
 * policy_in_force() for `policy list`. */
static void test_check_and_in_force(void)
{
	struct buf err = BUF_INIT;
	CHECK_EQ(policy_check("cell.min_full_members", "4", &err), 0);
	CHECK_EQ(policy_check("cell.vote_fraction", ">1/2", &err), 0);
	CHECK_EQ(policy_check("education.min", "7/12", &err), 0);
	CHECK_EQ(err.len, 0);
	CHECK_EQ(policy_check("cell.min_members", "4", &err), -1);
	CHECK(strstr(err.s, "cell.min_members") && strstr(err.s, "cell.min_full_members"));
	buf_reset(&err);
	CHECK_EQ(policy_check("cell.vote_fraction", "2/3", &err), -1);
	CHECK(strstr(err.s, "cell.vote_fraction") && strstr(err.s, ">=2/3"));
	buf_reset(&err);
	CHECK_EQ(policy_check("probation.months", "twelve", &err), -1);
	CHECK(strstr(err.s, "whole number"));
	buf_reset(&err);
	CHECK_EQ(policy_check("education.min", "9", &err), -1);
	CHECK(strstr(err.s, "9/12"));
	buf_release(&err);

	const struct policy_row rows[] = {
		{ "cell.min_full_members", KN_DATE_NONE, "3" },
		{ "cell.min_full_members", D(2027, 1, 1), "4" },
	};
	size_t nk = policy_nkeys(), k;
	const struct policy_row *in[64];
	CHECK(nk <= 64);
	CHECK_EQ(policy_in_force(rows, 2, D(2026, 12, 31), in, NULL), 0);
	for (k = 0; k < nk && strcmp(in[k]->key, "cell.min_full_members") != 0; k++)
		;
	CHECK(k < nk && in[k] == &rows[0]);
	CHECK_EQ(policy_in_force(rows, 2, D(2027, 1, 1), in, NULL), 0);
	CHECK(in[k] == &rows[1]);
	/* A key the rows do not name: the default row in force that day. */
	for (k = 0; k < nk && strcmp(in[k]->key, "committee.vote_fraction") != 0; k++)
		;
	CHECK(k < nk && strcmp(in[k]->value, ">=2/3") == 0);
	CHECK_EQ(policy_in_force(rows, 2, D(2021, 7, 29), in, NULL), 0);
	CHECK(strcmp(in[k]->value, ">1/2") == 0);
}

static void test_fraction(void)
{
	const struct fraction two_thirds = { 2, 3, 0 };
	const struct fraction half_strict = { 1, 2, 1 };

	/* At least 2/3: exactly two thirds passes, one vote short fails. */
	CHECK_EQ(fraction_met(&two_thirds, 2, 3), 1);
	CHECK_EQ(fraction_met(&two_thirds, 1, 3), 0);
	CHECK_EQ(fraction_met(&two_thirds, 6, 9), 1);
	CHECK_EQ(fraction_met(&two_thirds, 5, 9), 0);
	CHECK_EQ(fraction_met(&two_thirds, 8, 12), 1);
	CHECK_EQ(fraction_met(&two_thirds, 7, 12), 0);
	CHECK_EQ(fraction_met(&two_thirds, 9, 12), 1);
	CHECK_EQ(fraction_met(&two_thirds, 7, 10), 1);	/* 21 >= 20 */
	CHECK_EQ(fraction_met(&two_thirds, 6, 10), 0);	/* 18 < 20 */
	CHECK_EQ(fraction_met(&two_thirds, 5, 7), 1);	/* 15 >= 14 */
	CHECK_EQ(fraction_met(&two_thirds, 4, 7), 0);	/* 12 < 14 */
	CHECK_EQ(fraction_met(&two_thirds, 4, 6), 1);
	CHECK_EQ(fraction_met(&two_thirds, 3, 6), 0);

	/* More than 1/2: exactly half fails, one more passes. */
	CHECK_EQ(fraction_met(&half_strict, 5, 10), 0);
	CHECK_EQ(fraction_met(&half_strict, 6, 10), 1);
	CHECK_EQ(fraction_met(&half_strict, 4, 10), 0);
	CHECK_EQ(fraction_met(&half_strict, 4, 7), 1);
	CHECK_EQ(fraction_met(&half_strict, 3, 7), 0);
	CHECK_EQ(fraction_met(&half_strict, 3, 6), 0);
	CHECK_EQ(fraction_met(&half_strict, 4, 6), 1);

	/* Impossible figures never pass. */
	CHECK_EQ(fraction_met(&two_thirds, 0, 0), 0);
	CHECK_EQ(fraction_met(&two_thirds, 4, 3), 0);
	CHECK_EQ(fraction_met(&two_thirds, -1, 3), 0);
	CHECK_EQ(fraction_met(&half_strict, 1, -1), 0);
	CHECK_EQ(fraction_met(NULL, 3, 3), 0);

	/* No overflow with large counts. */
	CHECK_EQ(fraction_met(&two_thirds, 2000000000, 2100000000), 1);
	CHECK_EQ(fraction_met(&two_thirds, 1400000000, 2100000000), 1);
	CHECK_EQ(fraction_met(&two_thirds, 1399999999, 2100000000), 0);
}

int main(void)
{
	i18n_init("en");
	CHECK_EQ(D(2021, 7, 30), 18838);
	test_default_rows();
	test_resolve_defaults();
	test_resolve_rows();
	test_bad_rows();
	test_check_and_in_force();
	test_fraction();
	return T_DONE();
}
