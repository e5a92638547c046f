/*
 * test_readmit.c — core/readmit.c without a database: which candidacy is
 * a re-admission (the person's left_on, or an earlier candidacy admitted
 * and struck off), whether an earlier re-admission happened, the unit that
 * decides re-admissions, and the five checks on both sides of each
 * boundary. Expected values are written by hand.
 */
#include <string.h>

#include "core/ledger.h"
#include "core/policy.h"
#include "core/readmit.h"
#include "core/rules.h"
#include "core/unitree.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "t.h"
#include "util/banned.h"

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static struct person former(kn_date left_on, const char *reason)
{
	struct person p;
	person_init(&p);
	p.ref = "W1";
	p.full_name = "Nguyễn Văn Bình";
	p.left_on = left_on;
	p.left_reason = (char *)reason;
	return p;
}

/* A candidacy of steps (code, date) pairs, ended by STEP_NONE. */
static struct candidacy cand(struct step *buf, int readmission, const int *codes,
			     const kn_date *dates)
{
	struct candidacy c;
	memset(&c, 0, sizeof(c));
	c.readmission = readmission;
	c.steps = buf;
	for (size_t i = 0; codes[i]; i++) {
		step_init(&buf[i]);
		buf[i].code = (enum step_code)codes[i];
		buf[i].date = dates[i];
		c.nsteps++;
	}
	return c;
}

static void test_leaving(void)
{
	struct person p = former(D(2009, 5, 15), "expelled");
	struct person never = former(KN_DATE_NONE, NULL);
	kn_date on;
	const char *why;

	/* left_on on or before the source: a re-admission */
	CHECK_EQ(readmit_leaving(&p, NULL, 0, D(2009, 5, 14), &on, &why), 0);
	CHECK_EQ(on, KN_DATE_NONE);
	CHECK_EQ(readmit_leaving(&p, NULL, 0, D(2009, 5, 15), &on, &why), 1);
	CHECK_EQ(on, D(2009, 5, 15));
	CHECK_STR(why, "expelled");
	CHECK_EQ(readmit_leaving(&never, NULL, 0, D(2011, 6, 1), &on, &why), 0);

	/* the steps: admitted 2009-07-01, struck off 2010-01-05, and a
	 * later leaving (2013-12-02) on the person */
	static const int codes[] = { STEP_SOURCE, STEP_DECISION, STEP_CEREMONY, STEP_STRUCK_OFF, 0 };
	const kn_date dates[] = { D(2009, 1, 10), D(2009, 7, 1), D(2009, 7, 20), D(2010, 1, 5) };
	struct step st[4];
	struct candidacy c = cand(st, 0, codes, dates);
	struct person again = former(D(2013, 12, 2), "struck_off");
	CHECK_EQ(readmit_leaving(&again, &c, 1, D(2010, 1, 4), &on, &why), 0);
	CHECK_EQ(readmit_leaving(&again, &c, 1, D(2013, 2, 1), &on, &why), 1);
	CHECK_EQ(on, D(2010, 1, 5));
	CHECK_STR(why, "struck_off");
	/* withdrawn without a decision is no leaving of the Party */
	static const int wcodes[] = { STEP_SOURCE, STEP_WITHDRAWN, 0 };
	const kn_date wdates[] = { D(2009, 1, 10), D(2009, 2, 1) };
	struct step wst[2];
	struct candidacy w = cand(wst, 0, wcodes, wdates);
	CHECK_EQ(readmit_leaving(&never, &w, 1, D(2013, 2, 1), &on, &why), 0);
	for (size_t i = 0; i < 4; i++)
		step_release(&st[i]);
	for (size_t i = 0; i < 2; i++)
		step_release(&wst[i]);
}

static void test_already(void)
{
	struct person p = former(D(2005, 1, 1), "expelled");
	/* the flag set, the leaving before the source: an earlier one */
	p.readmitted = 1;
	CHECK_EQ(readmit_already(&p, NULL, 0, D(2011, 6, 1)), 1);
	/* the flag with a leaving after the source (left again since):
	 * this candidacy's own, as a later people list shows it */
	p.left_on = D(2013, 12, 2);
	CHECK_EQ(readmit_already(&p, NULL, 0, D(2013, 2, 1)), 0);
	/* the flag with member_since after the source and the leaving */
	p.left_on = D(2009, 5, 15);
	p.member_since = D(2012, 5, 25);
	CHECK_EQ(readmit_already(&p, NULL, 0, D(2011, 6, 1)), 0);
	CHECK_EQ(readmit_already(&p, NULL, 0, D(2012, 5, 26)), 1);
	/* a recorded re-admission with a decision, whatever the flag says */
	static const int codes[] = { STEP_SOURCE, STEP_DECISION, 0 };
	const kn_date dates[] = { D(2013, 2, 1), D(2013, 6, 3) };
	struct step st[2];
	struct candidacy c = cand(st, 1, codes, dates);
	struct person q = former(D(2013, 12, 2), "struck_off");
	CHECK_EQ(readmit_already(&q, &c, 1, D(2016, 12, 30)), 1);
	c.readmission = 0;
	CHECK_EQ(readmit_already(&q, &c, 1, D(2016, 12, 30)), 0);
	for (size_t i = 0; i < 2; i++)
		step_release(&st[i]);
}

/* KN-OPEN's membership ends with a leaving recorded on the person. */
static void test_member_on(void)
{
	static const int codes[] = { STEP_SOURCE, STEP_DECISION, STEP_CEREMONY, STEP_OFFICIAL, 0 };
	const kn_date dates[] = { D(1994, 1, 10), D(1995, 3, 1), D(1995, 3, 20), D(1996, 4, 1) };
	struct step st[4];
	struct candidacy c = cand(st, 0, codes, dates);
	struct person p = former(D(2009, 5, 15), "expelled");
	kn_date since;

	/* admitted through steps in 1995, expelled 2009-05-15 */
	CHECK_EQ(ledger_member_on(&p, &c, 1, D(2009, 5, 14), &since), 1);
	CHECK_EQ(since, D(1995, 3, 1));
	CHECK_EQ(ledger_member_on(&p, &c, 1, D(2009, 5, 15), &since), 0);
	CHECK_EQ(since, KN_DATE_NONE);
	/* stored dates only: member since 2000, left 2009-05-15 */
	p.member_since = D(2000, 1, 1);
	p.official_since = D(2001, 1, 1);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2009, 5, 14), &since), 1);
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2011, 6, 1), &since), 0);
	/* re-admitted since (member_since after the leaving): a member */
	p.member_since = D(2012, 5, 25);
	p.official_since = KN_DATE_NONE;
	CHECK_EQ(ledger_member_on(&p, NULL, 0, D(2012, 5, 25), &since), 1);
	CHECK_EQ(since, D(2012, 5, 25));
	for (size_t i = 0; i < 4; i++)
		step_release(&st[i]);
}

static void test_authority(void)
{
	struct unit *u = xcalloc(5, sizeof(*u));
	struct unitree t;
	static const struct {
		const char *code, *parent;
		enum unit_kind kind;
		int may_admit;
	} rows[] = {
		{ "CT", NULL, UNIT_PROVINCE, 1 },
		{ "CT.BT", "CT", UNIT_UPPER, 0 },
		{ "CT.BT.P1", "CT.BT", UNIT_GRASSROOTS, 1 },
		{ "CT.BT.P1.KV1", "CT.BT.P1", UNIT_CELL, 0 },
		{ "CT.BT.P2", "CT.BT", UNIT_GRASSROOTS, 1 },
	};
	for (size_t i = 0; i < 5; i++) {
		u[i].id = (int64_t)i + 1;
		u[i].code = xstrdup(rows[i].code);
		u[i].parent = rows[i].parent ? xstrdup(rows[i].parent) : NULL;
		u[i].name = xstrdup(rows[i].code);
		u[i].kind = rows[i].kind;
		u[i].may_admit = rows[i].may_admit;
	}
	unitree_build(&t, u, 5);
	/* the district does not admit here: the province does, above it,
	 * even where the grassroots unit may admit */
	struct unode *a = readmit_authority(unitree_find(&t, "CT.BT.P1.KV1"));
	CHECK(a != NULL);
	CHECK_STR(a ? a->u.code : NULL, "CT");
	/* a chi bộ cơ sở: above itself, never itself */
	a = readmit_authority(unitree_find(&t, "CT.BT.P2"));
	CHECK_STR(a ? a->u.code : NULL, "CT");
	CHECK(readmit_authority(unitree_find(&t, "CT")) == NULL);
	unitree_free(&t);
}

struct fx {
	struct person p;
	struct step s;
	struct rule_facts f;
	struct policy pol;
};

static struct buf msg = BUF_INIT;

static void fx_init(struct fx *x, enum step_code code, kn_date d)
{
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);
	memset(x, 0, sizeof(*x));
	x->p = former(D(2009, 5, 15), "expelled");
	step_init(&x->s);
	x->s.code = code;
	x->s.date = d;
	policy_resolve(rows, n, d, &x->pol, NULL);
	x->f.person = &x->p;
	x->f.step = &x->s;
	x->f.policy = &x->pol;
	x->f.readmission = 1;
	x->f.readmit_left_on = x->p.left_on;
	x->f.readmit_left_reason = x->p.left_reason;
	x->f.readmit_authority = "CT.BT";
}

static int run(struct fx *x, int (*check)(const struct rule_facts *, struct buf *))
{
	buf_reset(&msg);
	return check(&x->f, &msg);
}

static void test_checks(void)
{
	struct fx x;
	static const char *const never[] = { "abandoned", "resigned", "disunity", "corruption",
		"serious_crime" };
	static const char *const allowed[] = { "struck_off", "expelled", "resigned_family",
		"minor_crime", "population_policy", "other" };

	/* KN-READMIT-NEVER */
	fx_init(&x, STEP_SOURCE, D(2011, 6, 1));
	for (size_t i = 0; i < 5; i++) {
		x.f.readmit_left_reason = never[i];
		CHECK_EQ(run(&x, readmit_check_never), 1);
	}
	for (size_t i = 0; i < 6; i++) {
		x.f.readmit_left_reason = allowed[i];
		CHECK_EQ(run(&x, readmit_check_never), 0);
	}
	x.f.readmit_left_reason = NULL;
	CHECK_EQ(run(&x, readmit_check_never), 1);
	CHECK(strstr(msg.s, "left_reason") != NULL);
	x.f.readmission = 0;
	x.f.readmit_left_reason = "abandoned";
	CHECK_EQ(run(&x, readmit_check_never), 0);

	/* KN-READMIT-ONCE */
	fx_init(&x, STEP_SOURCE, D(2011, 6, 1));
	CHECK_EQ(run(&x, readmit_check_once), 0);
	x.f.readmit_already = 1;
	CHECK_EQ(run(&x, readmit_check_once), 1);

	/* KN-READMIT-WAIT: 2009-05-15 + 36 months = 2012-05-15 */
	fx_init(&x, STEP_CELL_VOTE, D(2012, 5, 14));
	CHECK_EQ(run(&x, readmit_check_wait), 1);
	CHECK(strstr(msg.s, "only 35 months") != NULL);
	x.s.date = D(2012, 5, 15);
	CHECK_EQ(run(&x, readmit_check_wait), 0);
	/* end of month: 2009-01-31 + 36 months = 2012-01-31 */
	x.f.readmit_left_on = D(2009, 1, 31);
	x.s.date = D(2012, 1, 30);
	CHECK_EQ(run(&x, readmit_check_wait), 1);
	x.s.date = D(2012, 1, 31);
	CHECK_EQ(run(&x, readmit_check_wait), 0);
	/* minor_crime: 2007-02-10 + 60 months = 2012-02-10 */
	fx_init(&x, STEP_CELL_VOTE, D(2012, 2, 9));
	x.f.readmit_left_on = D(2005, 3, 1);
	x.f.readmit_left_reason = "minor_crime";
	x.p.record_cleared_on = D(2007, 2, 10);
	CHECK_EQ(run(&x, readmit_check_wait), 1);
	CHECK(strstr(msg.s, "only 59 months") != NULL);
	x.s.date = D(2012, 2, 10);
	CHECK_EQ(run(&x, readmit_check_wait), 0);
	x.p.record_cleared_on = KN_DATE_NONE;
	CHECK_EQ(run(&x, readmit_check_wait), 1);
	CHECK(strstr(msg.s, "record_cleared_on") != NULL);
	/* a policy of 24 months */
	fx_init(&x, STEP_CELL_VOTE, D(2011, 5, 15));
	x.pol.readmit_wait_months = 24;
	CHECK_EQ(run(&x, readmit_check_wait), 0);
	x.s.date = D(2011, 5, 14);
	CHECK_EQ(run(&x, readmit_check_wait), 1);

	/* KN-READMIT-CONSENT */
	fx_init(&x, STEP_CELL_VOTE, D(2012, 5, 15));
	CHECK_EQ(run(&x, readmit_check_consent), 1);
	x.s.consent = "15-CV/TU";
	CHECK_EQ(run(&x, readmit_check_consent), 0);
	x.s.consent = NULL;
	x.f.readmission = 0;
	CHECK_EQ(run(&x, readmit_check_consent), 0);

	/* KN-READMIT-AUTHORITY */
	fx_init(&x, STEP_DECISION, D(2012, 5, 25));
	x.f.acting_unit = "CT.BT.P1";
	CHECK_EQ(run(&x, readmit_check_authority), 1);
	CHECK(strstr(msg.s, "CT.BT") != NULL);
	x.f.acting_unit = "CT.BT";
	CHECK_EQ(run(&x, readmit_check_authority), 0);
	x.f.acting_unit = NULL;	/* an administrator acting for it */
	CHECK_EQ(run(&x, readmit_check_authority), 0);
	x.f.readmit_authority = NULL;
	CHECK_EQ(run(&x, readmit_check_authority), 1);
	buf_release(&msg);
}

int main(void)
{
	i18n_init("en");
	test_leaving();
	test_already();
	test_member_on();
	test_authority();
	test_checks();
	return T_DONE();
}
