/*
 * test_rules.c — every rule code of RULES.md §3 on both sides of its
 * boundary: the day before, the day of and the day after; two thirds
 * exactly and one vote short; the committee fraction on 2021-07-29 and
 * 2021-07-30; 60 years 0 months and 60 years 1 month; a certificate of
 * exactly 60 months; a ceremony on the 30th and the 31st working day.
 *
 * Each case starts from a fixture that passes every rule (a complete,
 * well-ordered candidacy, checked to give zero violations at every step)
 * and changes one fact, so that a failing case names exactly one rule:
 * removing any rule's check makes its cases fail. Expected values are
 * written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/ledger.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/rules.h"
#include "util/date.h"
#include "util/i18n.h"
#include "t.h"
#include "util/banned.h"

static struct calendar *cal;

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

/* The base candidacy: every step valid on its own date. */
static const struct {
	enum step_code code;
	int y, m, d;
} base[] = {
	{ STEP_SOURCE, 2022, 1, 10 },
	{ STEP_MENTOR, 2022, 1, 15 },
	{ STEP_TRAINED, 2022, 3, 1 },
	{ STEP_APPLIED, 2022, 4, 1 },
	{ STEP_VERIFIED, 2022, 5, 2 },
	{ STEP_INTRODUCED, 2023, 6, 1 },
	{ STEP_CELL_VOTE, 2023, 7, 3 },
	{ STEP_COMMITTEE_VOTE, 2023, 7, 17 },
	{ STEP_DECISION, 2023, 8, 1 },
	{ STEP_CEREMONY, 2023, 8, 15 },
	{ STEP_PROBATION_VOTE, 2024, 8, 20 },
	{ STEP_OFFICIAL, 2024, 9, 3 },
};
#define NBASE (sizeof(base) / sizeof(base[0]))

struct fx {
	struct person p;
	struct step prior[32];
	size_t nprior;
	struct step s;
	struct rule_facts f;
	struct policy pol;
	struct violations v;
};

/* The required facts of a step of code c. */
static void fill_step(struct step *s, enum step_code c, kn_date d)
{
	step_init(s);
	s->code = c;
	s->date = d;
	switch (c) {
	case STEP_SOURCE:
		s->org = "youth_union";
		break;
	case STEP_MENTOR:
		s->member = "M001";
		break;
	case STEP_TRAINED:
		s->doc_no = "CN-0001";
		break;
	case STEP_INTRODUCED:
		s->intro1 = "M001";
		s->intro1_since = D(2020, 1, 1);
		s->intro2 = "M002";
		s->intro2_since = D(2020, 1, 1);
		break;
	case STEP_CELL_VOTE:
	case STEP_PROBATION_VOTE:
		s->votes_for = 9;
		s->votes_total = 12;
		break;
	case STEP_COMMITTEE_VOTE:
		s->votes_for = 5;
		s->votes_total = 7;
		break;
	case STEP_DECISION:
	case STEP_OFFICIAL:
		s->doc_no = "123-QĐ/ĐU";
		break;
	case STEP_WITHDRAWN:
	case STEP_REJECTED:
	case STEP_STRUCK_OFF:
		s->note = "reason";
		break;
	default:
		break;
	}
}

/* Prior = the base steps before `upto` in pipeline order. */
static void fx_prior(struct fx *x, enum step_code upto)
{
	x->nprior = 0;
	for (size_t i = 0; i < NBASE; i++)
		if (base[i].code < upto)
			fill_step(&x->prior[x->nprior++], base[i].code,
				  D(base[i].y, base[i].m, base[i].d));
	x->f.prior = x->prior;
	x->f.nprior = x->nprior;
}

static struct step *fx_find(struct fx *x, enum step_code c)
{
	for (size_t i = 0; i < x->nprior; i++)
		if (x->prior[i].code == c)
			return &x->prior[i];
	return NULL;
}

/* Drop the prior step of code c. */
static void fx_drop(struct fx *x, enum step_code c)
{
	size_t j = 0;
	for (size_t i = 0; i < x->nprior; i++)
		if (x->prior[i].code != c)
			x->prior[j++] = x->prior[i];
	x->nprior = j;
	x->f.nprior = j;
}

static void fx_append(struct fx *x, enum step_code c, kn_date d)
{
	fill_step(&x->prior[x->nprior++], c, d);
	x->f.nprior = x->nprior;
}

/* Move every prior step by `days`. */
static void fx_shift(struct fx *x, int days)
{
	for (size_t i = 0; i < x->nprior; i++)
		x->prior[i].date += days;
}

/* A fixture for recording step c on date d, after the base steps before
 * it. Ending steps get the prior of an admitted probationary member
 * (everything up to the ceremony). */
static void fx_init(struct fx *x, enum step_code c, kn_date d)
{
	violations_release(&x->v);
	memset(x, 0, sizeof(*x));
	x->p.id = 1;
	x->p.ref = "P001";
	x->p.full_name = "Nguyễn Văn A";
	x->p.sex = 'M';
	x->p.birth_date = D(1990, 5, 20);
	x->p.education = "12/12";
	x->p.youth_union = 1;
	x->p.member_since = x->p.official_since = KN_DATE_NONE;
	fill_step(&x->s, c, d);

	x->f.person = &x->p;
	x->f.step = &x->s;
	fx_prior(x, step_info(c)->ending ? STEP_PROBATION_VOTE : c);
	x->f.competent = "DU-A";
	x->f.acting_unit = NULL;
	x->f.youth_union_member = 1;
	x->f.trade_union_member = 0;
	x->f.intro[0] = (struct introducer_facts){ "M001", 1, "Trần Thị B", D(2009, 1, 1),
		D(2010, 1, 1), D(2020, 1, 1) };
	x->f.intro[1] = (struct introducer_facts){ "M002", 1, "Lê Văn C", D(2012, 1, 1),
		D(2013, 1, 1), D(2020, 1, 1) };
	x->f.nintro = 2;
	x->f.today = D(2025, 6, 30);
	x->f.cal = cal;
}

/* Run the rules with the policy in force on the step's date. */
static size_t fx_run(struct fx *x)
{
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);
	policy_resolve(rows, n, x->s.date, &x->pol, NULL);
	x->f.policy = &x->pol;
	violations_release(&x->v);
	return rules_check(&x->f, &x->v);
}

static void dump(const struct fx *x, const char *file, int line)
{
	for (size_t i = 0; i < x->v.n; i++)
		fprintf(stderr, "%s:%d:   %s: %s\n", file, line, x->v.v[i].code,
			x->v.v[i].message);
}

static const char *message_of(const struct fx *x, const char *code)
{
	for (size_t i = 0; i < x->v.n; i++)
		if (strcmp(x->v.v[i].code, code) == 0)
			return x->v.v[i].message;
	return NULL;
}

/* The first violation's message, or "" when there is none. */
static const char *msg0(const struct fx *x)
{
	return x->v.n ? x->v.v[0].message : "";
}

/* The step passes every rule. */
#define PASS(x) do { size_t n_ = fx_run(x); CHECK_EQ(n_, 0); \
	if (n_) dump(x, __FILE__, __LINE__); } while (0)
/* The step breaks exactly the rule rc, with a message. */
#define FAIL(x, rc) do { size_t n_ = fx_run(x); CHECK_EQ(n_, 1); \
	CHECK_STR(n_ ? (x)->v.v[0].code : "(none)", rc); \
	CHECK(n_ == 0 || strlen((x)->v.v[0].message) > 20); \
	if (n_ != 1) dump(x, __FILE__, __LINE__); } while (0)
/* The step breaks rc, among others. */
#define BREAKS(x, rc) do { fx_run(x); CHECK(message_of(x, rc) != NULL); } while (0)

static void test_table(void)
{
	static const char *const codes[] = { "KN-ORDER", "KN-OPEN", "KN-AGE", "KN-AGE-MAX",
		"KN-EDU", "KN-CERT", "KN-INTRO-FULL", "KN-INTRO-TIME", "KN-INTRO-COUNT",
		"KN-DOSSIER-AGE", "KN-CELL-VOTE", "KN-COMMITTEE-VOTE", "KN-AUTHORITY",
		"KN-CEREMONY-LATE", "KN-PROBATION", "KN-STRIKE", "KN-READMIT-NEVER",
		"KN-READMIT-ONCE", "KN-READMIT-WAIT", "KN-READMIT-CONSENT", "KN-READMIT-AUTHORITY" };
	size_t n;
	const struct rule_info *t = rules_table(&n);

	CHECK_EQ(n, 21);
	for (size_t i = 0; i < n && i < 21; i++) {
		CHECK_STR(t[i].code, codes[i]);
		CHECK(t[i].check != NULL);
	}
	CHECK_EQ(t[0].steps & (1u << STEP_STRUCK_OFF), 1u << STEP_STRUCK_OFF);
	CHECK_EQ(t[0].steps & (1u << STEP_MENTOR), 1u << STEP_MENTOR);
	CHECK_EQ(t[1].steps, 1u << STEP_SOURCE);
	CHECK_EQ(t[10].steps, (1u << STEP_CELL_VOTE) | (1u << STEP_PROBATION_VOTE));
	CHECK_EQ(t[12].steps, (1u << STEP_DECISION) | (1u << STEP_OFFICIAL));
}

/* The fixture itself: every step of the base candidacy passes, and so do
 * the ending steps while it is open. */
static void test_base_passes(void)
{
	struct fx x = { 0 };
	for (size_t i = 0; i < NBASE; i++) {
		fx_init(&x, base[i].code, D(base[i].y, base[i].m, base[i].d));
		PASS(&x);
		violations_release(&x.v);
	}
	fx_init(&x, STEP_WITHDRAWN, D(2023, 9, 1));
	PASS(&x);
	fx_init(&x, STEP_REJECTED, D(2023, 9, 1));
	PASS(&x);
	fx_init(&x, STEP_STRUCK_OFF, D(2023, 9, 1));
	PASS(&x);
	violations_release(&x.v);
}

static void test_order(void)
{
	struct fx x = { 0 };

	/* An earlier step missing: cell_vote without verified. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_drop(&x, STEP_VERIFIED);
	FAIL(&x, "KN-ORDER");
	CHECK(strstr(msg0(&x), "background check") != NULL);

	/* The mentor is optional. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_drop(&x, STEP_MENTOR);
	PASS(&x);

	/* committee_vote is skipped for a chi bộ cơ sở, required otherwise,
	 * and recording it for a chi bộ cơ sở does not apply. */
	fx_init(&x, STEP_DECISION, D(2023, 8, 1));
	fx_drop(&x, STEP_COMMITTEE_VOTE);
	FAIL(&x, "KN-ORDER");
	x.f.basic_cell = 1;
	PASS(&x);
	fx_init(&x, STEP_COMMITTEE_VOTE, D(2023, 7, 17));
	x.f.basic_cell = 1;
	FAIL(&x, "KN-ORDER");
	CHECK(strstr(msg0(&x), "does not apply") != NULL);

	/* A non-repeatable step twice. */
	fx_init(&x, STEP_APPLIED, D(2022, 6, 1));
	fx_prior(&x, STEP_INTRODUCED);
	FAIL(&x, "KN-ORDER");
	fx_init(&x, STEP_DECISION, D(2023, 8, 2));
	fx_prior(&x, STEP_CEREMONY);
	x.f.basic_cell = 0;
	FAIL(&x, "KN-ORDER");

	/* trained and introduced again before cell_vote: allowed. */
	fx_init(&x, STEP_TRAINED, D(2023, 6, 5));
	fx_prior(&x, STEP_CELL_VOTE);
	PASS(&x);
	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 5));
	fx_prior(&x, STEP_CELL_VOTE);
	PASS(&x);
	/* … not after it. */
	fx_init(&x, STEP_TRAINED, D(2023, 7, 4));
	fx_prior(&x, STEP_COMMITTEE_VOTE);
	FAIL(&x, "KN-ORDER");
	fx_init(&x, STEP_INTRODUCED, D(2023, 7, 4));
	fx_prior(&x, STEP_COMMITTEE_VOTE);
	FAIL(&x, "KN-ORDER");

	/* Dates non-decreasing: the latest prior step is committee_vote on
	 * 2023-07-17; decision the day before fails, the day of and the day
	 * after pass. */
	fx_init(&x, STEP_DECISION, D(2023, 7, 16));
	FAIL(&x, "KN-ORDER");
	CHECK(strstr(msg0(&x), "2023-07-17") != NULL);
	fx_init(&x, STEP_DECISION, D(2023, 7, 17));
	PASS(&x);
	fx_init(&x, STEP_DECISION, D(2023, 7, 18));
	PASS(&x);

	/* No date after today (2025-06-30): today passes, tomorrow fails. */
	fx_init(&x, STEP_WITHDRAWN, D(2025, 6, 29));
	PASS(&x);
	fx_init(&x, STEP_WITHDRAWN, D(2025, 6, 30));
	PASS(&x);
	fx_init(&x, STEP_WITHDRAWN, D(2025, 7, 1));
	FAIL(&x, "KN-ORDER");

	/* No date at all. */
	fx_init(&x, STEP_APPLIED, KN_DATE_NONE);
	FAIL(&x, "KN-ORDER");

	/* mentor: on or after source (2022-01-10), whatever came since. */
	fx_init(&x, STEP_MENTOR, D(2022, 1, 9));
	fx_prior(&x, STEP_CELL_VOTE);
	FAIL(&x, "KN-ORDER");
	fx_init(&x, STEP_MENTOR, D(2022, 1, 10));
	fx_prior(&x, STEP_CELL_VOTE);
	PASS(&x);
	fx_init(&x, STEP_MENTOR, D(2022, 1, 11));
	fx_prior(&x, STEP_CELL_VOTE);
	PASS(&x);
	/* A mentor dated after the introduction does not hold back the
	 * cell meeting. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_append(&x, STEP_MENTOR, D(2023, 7, 10));
	PASS(&x);
	/* A second mentor is fine. */
	fx_init(&x, STEP_MENTOR, D(2023, 7, 10));
	PASS(&x);

	/* mentor and ending steps need an open candidacy. */
	fx_init(&x, STEP_MENTOR, D(2022, 1, 15));
	fx_prior(&x, STEP_SOURCE);
	FAIL(&x, "KN-ORDER");
	fx_init(&x, STEP_WITHDRAWN, D(2022, 1, 15));
	fx_prior(&x, STEP_SOURCE);
	FAIL(&x, "KN-ORDER");
	fx_init(&x, STEP_REJECTED, D(2022, 1, 15));
	fx_prior(&x, STEP_SOURCE);
	FAIL(&x, "KN-ORDER");
	/* withdrawn and rejected any time while open. */
	fx_init(&x, STEP_WITHDRAWN, D(2022, 1, 10));
	fx_prior(&x, STEP_MENTOR);
	PASS(&x);
	fx_init(&x, STEP_REJECTED, D(2023, 7, 3));
	fx_prior(&x, STEP_COMMITTEE_VOTE);
	PASS(&x);
	/* An ending step dated before the latest step fails. */
	fx_init(&x, STEP_REJECTED, D(2023, 7, 2));
	fx_prior(&x, STEP_COMMITTEE_VOTE);
	FAIL(&x, "KN-ORDER");

	/* A step after the candidacy closed. */
	fx_init(&x, STEP_WITHDRAWN, D(2024, 9, 4));
	fx_prior(&x, STEP_WITHDRAWN);
	FAIL(&x, "KN-ORDER");

	/* source starts a candidacy: none before it. */
	fx_init(&x, STEP_SOURCE, D(2022, 1, 10));
	PASS(&x);
	fx_init(&x, STEP_SOURCE, D(2023, 1, 10));
	fx_prior(&x, STEP_APPLIED);
	FAIL(&x, "KN-ORDER");

	/* No source at all: a later step fails. */
	fx_init(&x, STEP_APPLIED, D(2022, 4, 1));
	fx_prior(&x, STEP_SOURCE);
	FAIL(&x, "KN-ORDER");
	violations_release(&x.v);
}

static void test_open(void)
{
	struct fx x = { 0 };

	fx_init(&x, STEP_SOURCE, D(2022, 1, 10));
	PASS(&x);
	x.f.has_open_candidacy = 1;
	FAIL(&x, "KN-OPEN");
	x.f.has_open_candidacy = 0;
	x.f.is_member = 1;
	x.f.member_since = KN_DATE_NONE;
	FAIL(&x, "KN-OPEN");
	/* A member since a date: the message names it and the step's date. */
	x.f.member_since = D(2015, 3, 2);
	FAIL(&x, "KN-OPEN");
	CHECK(strstr(msg0(&x), "2015-03-02") != NULL);
	CHECK(strstr(msg0(&x), "2022-01-10") != NULL);
	violations_release(&x.v);
}

/* KN-OPEN's fact, membership on the source step's date, as the ledger
 * gathers it (ledger_member_on()). */
static void test_open_member_on(void)
{
	struct person p;
	struct step s1[3], s2[1];
	struct candidacy c[2];
	kn_date since;

	memset(&p, 0, sizeof(p));
	memset(c, 0, sizeof(c));
	memset(s1, 0, sizeof(s1));
	memset(s2, 0, sizeof(s2));
	p.member_since = p.official_since = KN_DATE_NONE;

	/* No steps, nothing stored: never a member. */
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2022, 1, 10), &since), 0);
	CHECK_EQ(since, KN_DATE_NONE);
	/* Stored member_since 2023-05-01 (an exported list imported before
	 * the steps): not yet a member on a source dated before it. */
	p.member_since = D(2023, 5, 1);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2022, 1, 10), &since), 0);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2023, 4, 30), &since), 0);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2023, 5, 1), &since), 1);
	CHECK_EQ(since, D(2023, 5, 1));
	/* Only official_since stored: a member from that date. */
	p.member_since = KN_DATE_NONE;
	p.official_since = D(2000, 1, 1);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(1999, 12, 31), &since), 0);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2001, 1, 1), &since), 1);
	CHECK_EQ(since, D(2000, 1, 1));

	/* Recorded steps: admitted 2020-03-01, struck off 2021-01-05. Once
	 * the steps record a decision they are the truth: the stored date
	 * (1999) no longer makes a member. */
	p.member_since = D(1999, 1, 1);
	p.official_since = KN_DATE_NONE;
	s1[0].code = STEP_SOURCE;
	s1[0].date = D(2019, 1, 10);
	s1[1].code = STEP_DECISION;
	s1[1].date = D(2020, 3, 1);
	s1[2].code = STEP_STRUCK_OFF;
	s1[2].date = D(2021, 1, 5);
	c[0].steps = s1;
	c[0].nsteps = 3;
	CHECK_EQ(ledger_member_on(&p, c, 1, D(2015, 1, 1), &since), 0);
	CHECK_EQ(ledger_member_on(&p, c, 1, D(2020, 2, 29), &since), 0);
	CHECK_EQ(ledger_member_on(&p, c, 1, D(2020, 3, 1), &since), 1);
	CHECK_EQ(since, D(2020, 3, 1));
	CHECK_EQ(ledger_member_on(&p, c, 1, D(2021, 1, 4), &since), 1);
	/* struck off that day: no longer a member */
	CHECK_EQ(ledger_member_on(&p, c, 1, D(2021, 1, 5), &since), 0);
	CHECK_EQ(since, KN_DATE_NONE);
	/* Admitted again on 2024-02-01 by a second candidacy. */
	s2[0].code = STEP_DECISION;
	s2[0].date = D(2024, 2, 1);
	c[1].steps = s2;
	c[1].nsteps = 1;
	CHECK_EQ(ledger_member_on(&p, c, 2, D(2023, 6, 1), &since), 0);
	CHECK_EQ(ledger_member_on(&p, c, 2, D(2024, 2, 1), &since), 1);
	CHECK_EQ(since, D(2024, 2, 1));
}

static void test_age(void)
{
	struct fx x = { 0 };

	/* Cell meeting 2023-07-03: the 18th birthday is the boundary. The
	 * day before it (born 2005-07-04): 17 years 11 months. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	x.p.birth_date = D(2005, 7, 4);
	FAIL(&x, "KN-AGE");
	CHECK_STR(msg0(&x),
		  "Nguyễn Văn A is 17 years 11 months old on 2023-07-03 (cell meeting); the minimum is 18 years.");
	x.p.birth_date = D(2005, 7, 3);		/* the birthday itself */
	PASS(&x);
	x.p.birth_date = D(2005, 7, 2);		/* the day after it */
	PASS(&x);

	/* Unknown birth date: refused (KN-AGE and KN-AGE-MAX both). */
	x.p.birth_date = KN_DATE_NONE;
	BREAKS(&x, "KN-AGE");

	/* RULES.md's example, word for word (the English date format). */
	fx_init(&x, STEP_CELL_VOTE, D(2011, 3, 12));
	x.p.birth_date = D(1993, 3, 13);
	BREAKS(&x, "KN-AGE");
	CHECK_STR(message_of(&x, "KN-AGE"),
		  "Nguyễn Văn A is 17 years 11 months old on 2011-03-12 (cell meeting); the minimum is 18 years.");
	violations_release(&x.v);
}

static void test_age_max(void)
{
	struct fx x = { 0 };

	/* Cell meeting 2023-07-03. Born 1963-07-03: exactly 60y0m, passes.
	 * Born 1963-06-04: 60y0m and 29 days (a month after 1963-06-04 is
	 * 2023-07-04), passes. Born 1963-06-03: 60y1m, fails; 1963-06-02
	 * too. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	x.p.birth_date = D(1963, 7, 3);
	PASS(&x);
	x.p.birth_date = D(1963, 6, 4);
	PASS(&x);
	x.p.birth_date = D(1963, 6, 3);
	FAIL(&x, "KN-AGE-MAX");
	CHECK(strstr(msg0(&x), "60 years 1 month old") != NULL);
	x.p.birth_date = D(1963, 6, 2);
	FAIL(&x, "KN-AGE-MAX");
	/* With the province's consent. */
	x.s.consent = "45-CV/TU";
	PASS(&x);
	violations_release(&x.v);
}

static void test_edu(void)
{
	struct fx x = { 0 };

	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	x.p.education = "9/12";
	PASS(&x);
	x.p.education = "10/12";
	PASS(&x);
	x.p.education = "8/12";
	FAIL(&x, "KN-EDU");
	x.p.education = "5/12";
	FAIL(&x, "KN-EDU");
	x.p.education = NULL;
	FAIL(&x, "KN-EDU");
	CHECK(strstr(msg0(&x), "not recorded") != NULL);
	x.p.education = "lớp 9";
	FAIL(&x, "KN-EDU");

	/* A special area: 5/12 suffices, 4/12 does not. */
	x.f.special_area = 1;
	x.p.education = "5/12";
	PASS(&x);
	x.p.education = "6/12";
	PASS(&x);
	x.p.education = "4/12";
	FAIL(&x, "KN-EDU");
	violations_release(&x.v);
}

static void test_cert(void)
{
	struct fx x = { 0 };

	/* Cell meeting 2023-07-03; 60 months earlier is 2018-07-03. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_find(&x, STEP_SOURCE)->date = D(2018, 6, 1);
	fx_find(&x, STEP_MENTOR)->date = D(2018, 6, 2);
	fx_find(&x, STEP_TRAINED)->date = D(2018, 7, 3);	/* exactly 60 months */
	PASS(&x);
	fx_find(&x, STEP_TRAINED)->date = D(2018, 7, 4);	/* a day less */
	PASS(&x);
	fx_find(&x, STEP_TRAINED)->date = D(2018, 7, 2);	/* a day more */
	FAIL(&x, "KN-CERT");
	CHECK(strstr(msg0(&x), "2018-07-02") != NULL);

	/* A new certificate recorded since: the latest counts. */
	fx_append(&x, STEP_TRAINED, D(2023, 6, 20));
	PASS(&x);

	/* Month ends: a vote on 2024-02-29 goes back to 2019-02-28. */
	fx_init(&x, STEP_CELL_VOTE, D(2024, 2, 29));
	fx_find(&x, STEP_SOURCE)->date = D(2019, 1, 2);
	fx_find(&x, STEP_MENTOR)->date = D(2019, 1, 2);
	fx_find(&x, STEP_TRAINED)->date = D(2019, 2, 28);
	fx_find(&x, STEP_INTRODUCED)->date = D(2024, 1, 2);
	PASS(&x);
	fx_find(&x, STEP_TRAINED)->date = D(2019, 2, 27);
	FAIL(&x, "KN-CERT");

	/* No certificate at all (KN-ORDER says so too). */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_drop(&x, STEP_TRAINED);
	BREAKS(&x, "KN-CERT");
	violations_release(&x.v);
}

static void test_intro_full(void)
{
	struct fx x = { 0 };

	/* Introduction on 2023-06-01: an introducer full since that day
	 * passes, since the day before passes, since the day after fails. */
	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 1));
	x.f.intro[1].official_since = D(2023, 6, 1);
	PASS(&x);
	x.f.intro[1].official_since = D(2023, 5, 31);
	PASS(&x);
	x.f.intro[1].official_since = D(2023, 6, 2);
	FAIL(&x, "KN-INTRO-FULL");
	CHECK(strstr(msg0(&x), "Lê Văn C") != NULL);
	/* A probationary member. */
	x.f.intro[1].official_since = KN_DATE_NONE;
	FAIL(&x, "KN-INTRO-FULL");
	/* Not in the database. */
	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 1));
	x.f.intro[0].found = 0;
	x.f.intro[0].full_name = NULL;
	x.f.intro[0].official_since = KN_DATE_NONE;
	x.f.intro[0].member_since = KN_DATE_NONE;
	FAIL(&x, "KN-INTRO-FULL");
	CHECK(strstr(msg0(&x), "M001") != NULL);
	violations_release(&x.v);
}

static void test_intro_time(void)
{
	struct fx x = { 0 };

	/* Introduction on 2023-06-01: known since 2022-06-01 is exactly 12
	 * months; since 2022-05-31 more; since 2022-06-02 only 11 months. */
	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 1));
	x.f.intro[0].since = D(2022, 6, 1);
	PASS(&x);
	x.f.intro[0].since = D(2022, 5, 31);
	PASS(&x);
	x.f.intro[0].since = D(2022, 6, 2);
	FAIL(&x, "KN-INTRO-TIME");
	CHECK(strstr(msg0(&x), "only 11 months") != NULL);
	/* The second introducer is checked as well. */
	x.f.intro[0].since = D(2020, 1, 1);
	x.f.intro[1].since = D(2023, 1, 1);
	FAIL(&x, "KN-INTRO-TIME");
	x.f.intro[1].since = KN_DATE_NONE;
	FAIL(&x, "KN-INTRO-TIME");
	violations_release(&x.v);
}

static void test_intro_count(void)
{
	struct fx x = { 0 };

	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 1));
	PASS(&x);
	/* The same member twice. */
	x.f.intro[1] = x.f.intro[0];
	FAIL(&x, "KN-INTRO-COUNT");
	/* The candidate introducing themself. */
	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 1));
	x.f.intro[1].ref = "P001";
	FAIL(&x, "KN-INTRO-COUNT");

	/* One member alone. */
	fx_init(&x, STEP_INTRODUCED, D(2023, 6, 1));
	x.f.nintro = 1;
	x.s.org = NULL;
	FAIL(&x, "KN-INTRO-COUNT");
	x.s.org = "women_union";
	FAIL(&x, "KN-INTRO-COUNT");
	/* Youth Union + one member, for a Youth Union member. */
	x.s.org = "youth_union";
	PASS(&x);
	x.f.youth_union_member = 0;
	FAIL(&x, "KN-INTRO-COUNT");
	/* Trade Union + one member, for a Trade Union member. */
	x.s.org = "trade_union";
	FAIL(&x, "KN-INTRO-COUNT");
	x.f.trade_union_member = 1;
	PASS(&x);
	/* Nobody. */
	x.f.nintro = 0;
	FAIL(&x, "KN-INTRO-COUNT");
	violations_release(&x.v);
}

static void test_dossier_age(void)
{
	struct fx x = { 0 };

	/* Cell meeting 2023-07-03; 12 months earlier is 2022-07-03. */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_find(&x, STEP_INTRODUCED)->date = D(2022, 7, 3);
	PASS(&x);
	fx_find(&x, STEP_INTRODUCED)->date = D(2022, 7, 4);
	PASS(&x);
	fx_find(&x, STEP_INTRODUCED)->date = D(2022, 7, 2);
	FAIL(&x, "KN-DOSSIER-AGE");
	/* Fresh introductions recorded since: the latest counts. */
	fx_append(&x, STEP_INTRODUCED, D(2023, 6, 25));
	PASS(&x);

	/* None at all (KN-ORDER says so too). */
	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	fx_drop(&x, STEP_INTRODUCED);
	BREAKS(&x, "KN-DOSSIER-AGE");
	violations_release(&x.v);
}

static void test_cell_vote(void)
{
	struct fx x = { 0 };

	fx_init(&x, STEP_CELL_VOTE, D(2023, 7, 3));
	x.s.votes_total = 12;
	x.s.votes_for = 8;		/* exactly 2/3 */
	PASS(&x);
	x.s.votes_for = 7;		/* one short */
	FAIL(&x, "KN-CELL-VOTE");
	CHECK(strstr(msg0(&x), "(8 votes)") != NULL);
	x.s.votes_total = 9;
	x.s.votes_for = 6;
	PASS(&x);
	x.s.votes_for = 5;
	FAIL(&x, "KN-CELL-VOTE");
	x.s.votes_for = 9;
	PASS(&x);
	/* Three full members at least: 3 passes, 2 fails even unanimous. */
	x.s.votes_total = 3;
	x.s.votes_for = 2;
	PASS(&x);
	x.s.votes_for = 1;
	FAIL(&x, "KN-CELL-VOTE");
	x.s.votes_total = 2;
	x.s.votes_for = 2;
	FAIL(&x, "KN-CELL-VOTE");
	/* Impossible or absent figures. */
	x.s.votes_total = 12;
	x.s.votes_for = 13;
	FAIL(&x, "KN-CELL-VOTE");
	CHECK(strstr(msg0(&x), "more votes than members") != NULL);
	x.s.votes_for = -2;
	FAIL(&x, "KN-CELL-VOTE");
	x.s.votes_for = -1;
	FAIL(&x, "KN-CELL-VOTE");

	/* The same rule at the probation vote. */
	fx_init(&x, STEP_PROBATION_VOTE, D(2024, 8, 20));
	x.s.votes_total = 12;
	x.s.votes_for = 8;
	PASS(&x);
	x.s.votes_for = 7;
	FAIL(&x, "KN-CELL-VOTE");
	violations_release(&x.v);
}

static void test_committee_vote(void)
{
	struct fx x = { 0 };
	/* Move the candidacy so that the cell met on 2021-07-15 (the base
	 * cell meeting is 2023-07-03, 718 days later). */
	int shift = D(2021, 7, 15) - D(2023, 7, 3);

	CHECK_EQ(shift, -718);
	/* 2021-07-29: more than half. 4 of 7 passes, 3 of 6 (exactly half)
	 * fails, 4 of 6 passes. */
	fx_init(&x, STEP_COMMITTEE_VOTE, D(2021, 7, 29));
	fx_shift(&x, shift);
	x.s.votes_total = 7;
	x.s.votes_for = 4;
	PASS(&x);
	x.s.votes_for = 3;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	x.s.votes_total = 6;
	x.s.votes_for = 3;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	CHECK(strstr(msg0(&x), "more than 1/2") != NULL);
	x.s.votes_for = 4;
	PASS(&x);

	/* 2021-07-30: at least two thirds. 4 of 7 fails now, 5 of 7 passes;
	 * 4 of 6 (exactly 2/3) passes, 3 of 6 fails. */
	x.s.date = D(2021, 7, 30);
	x.s.votes_total = 7;
	x.s.votes_for = 4;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	CHECK(strstr(msg0(&x), "at least 2/3 (5 votes)") != NULL);
	x.s.votes_for = 5;
	PASS(&x);
	x.s.votes_total = 6;
	x.s.votes_for = 4;
	PASS(&x);
	x.s.votes_for = 3;
	FAIL(&x, "KN-COMMITTEE-VOTE");

	/* 2021-07-31: still two thirds. */
	x.s.date = D(2021, 7, 31);
	x.s.votes_total = 7;
	x.s.votes_for = 4;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	x.s.votes_for = 5;
	PASS(&x);

	/* Impossible figures. */
	x.s.votes_for = 8;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	x.s.votes_for = -1;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	violations_release(&x.v);
}

static void test_authority(void)
{
	static const enum step_code codes[] = { STEP_DECISION, STEP_OFFICIAL };
	static const int dates[][3] = { { 2023, 8, 1 }, { 2024, 9, 3 } };
	struct fx x = { 0 };

	for (int i = 0; i < 2; i++) {
		fx_init(&x, codes[i], D(dates[i][0], dates[i][1], dates[i][2]));
		PASS(&x);
		x.f.acting_unit = "DU-A";
		PASS(&x);
		x.f.acting_unit = "CB-1";
		FAIL(&x, "KN-AUTHORITY");
		CHECK(strstr(msg0(&x), "DU-A") != NULL);
		x.f.acting_unit = NULL;
		x.f.competent = NULL;
		FAIL(&x, "KN-AUTHORITY");
		CHECK(strstr(msg0(&x), "may_admit") != NULL);
	}
	violations_release(&x.v);
}

static void test_ceremony_late(void)
{
	struct fx x = { 0 };
	/* Decision on Monday 2024-04-01. Working days after it, with the
	 * computed holidays Giỗ Tổ (10/3 lunar = Thursday 2024-04-18), 30/4
	 * (Tuesday) and 1/5 (Wednesday):
	 *   2–5 April (Tue–Fri)               4   ->  4
	 *   8–12 April                        5   ->  9
	 *   15–19 April, less Thu 18          4   -> 13
	 *   22–26 April                       5   -> 18
	 *   29 April – 3 May, less 30/4, 1/5  3   -> 21
	 *   6–10 May                          5   -> 26
	 *   13, 14, 15, 16 May               27, 28, 29, 30
	 *   Friday 17 May                    31
	 * So a ceremony on 2024-05-15 is the 29th working day, 2024-05-16
	 * the 30th (passes), 2024-05-17 the 31st (fails), and Saturday
	 * 2024-05-18 still the 31st. */
	int shift = D(2024, 4, 1) - D(2023, 8, 1);

	fx_init(&x, STEP_CEREMONY, D(2024, 5, 15));
	fx_shift(&x, shift);
	CHECK_EQ(fx_find(&x, STEP_DECISION)->date, D(2024, 4, 1));
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 4, 1), D(2024, 5, 16)), 30);
	PASS(&x);
	x.s.date = D(2024, 5, 16);
	PASS(&x);
	x.s.date = D(2024, 5, 17);
	FAIL(&x, "KN-CEREMONY-LATE");
	CHECK(strstr(msg0(&x), " 31 working days") != NULL);
	x.s.date = D(2024, 5, 18);
	FAIL(&x, "KN-CEREMONY-LATE");
	/* With the higher committee's consent. */
	x.s.consent = "12-CV/HU";
	PASS(&x);
	violations_release(&x.v);
}

static void test_probation(void)
{
	struct fx x = { 0 };

	/* Ceremony 2023-08-15: the probation ends 2024-08-15. */
	fx_init(&x, STEP_PROBATION_VOTE, D(2024, 8, 14));
	FAIL(&x, "KN-PROBATION");
	CHECK(strstr(msg0(&x), "2024-08-15") != NULL);
	x.s.date = D(2024, 8, 15);
	PASS(&x);
	x.s.date = D(2024, 8, 16);
	PASS(&x);
	/* Without a ceremony (KN-ORDER says so too). */
	fx_drop(&x, STEP_CEREMONY);
	BREAKS(&x, "KN-PROBATION");
	violations_release(&x.v);
}

static void test_strike(void)
{
	struct fx x = { 0 };

	/* After the ceremony: allowed; after the probation vote, still. */
	fx_init(&x, STEP_STRUCK_OFF, D(2023, 9, 1));
	PASS(&x);
	fx_init(&x, STEP_STRUCK_OFF, D(2024, 8, 21));
	fx_prior(&x, STEP_OFFICIAL);
	PASS(&x);
	/* Before the ceremony: not yet a probationary member. */
	fx_init(&x, STEP_STRUCK_OFF, D(2023, 8, 2));
	fx_prior(&x, STEP_CEREMONY);
	FAIL(&x, "KN-STRIKE");
	fx_init(&x, STEP_STRUCK_OFF, D(2022, 6, 1));
	fx_prior(&x, STEP_INTRODUCED);
	FAIL(&x, "KN-STRIKE");
	violations_release(&x.v);
}

/* Messages come out in Vietnamese when the catalogue is there (ctest
 * sets KETNAP_LOCALEDIR to the built one). */
static void test_vietnamese(void)
{
	struct fx x = { 0 };
	const char *dir = getenv("KETNAP_LOCALEDIR");

	if (!dir || !*dir)
		return;
	i18n_init("vi");
	fx_init(&x, STEP_CELL_VOTE, D(2011, 3, 12));
	x.p.birth_date = D(1993, 3, 13);
	BREAKS(&x, "KN-AGE");
	CHECK_STR(message_of(&x, "KN-AGE"),
		  "Nguyễn Văn A mới 17 tuổi 11 tháng vào ngày 12/03/2011 (chi bộ xét kết nạp); tuổi tối thiểu là 18.");
	fx_init(&x, STEP_COMMITTEE_VOTE, D(2023, 7, 17));
	x.s.votes_for = 4;
	FAIL(&x, "KN-COMMITTEE-VOTE");
	CHECK(strstr(msg0(&x), "Chỉ có 4 trên 7 ủy viên") != NULL);
	violations_release(&x.v);
	i18n_init("en");
}

int main(void)
{
	i18n_init("en");
	cal = calendar_new();
	test_table();
	test_base_passes();
	test_order();
	test_open();
	test_open_member_on();
	test_age();
	test_age_max();
	test_edu();
	test_cert();
	test_intro_full();
	test_intro_time();
	test_intro_count();
	test_dossier_age();
	test_cell_vote();
	test_committee_vote();
	test_authority();
	test_ceremony_late();
	test_probation();
	test_strike();
	test_vietnamese();
	calendar_free(cal);
	return T_DONE();
}
