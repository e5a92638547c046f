/*
 * test_transfer.c — core/transfer.h on a hand-built tree (issue 15,
 * RULES.md §8): the unit a person belonged to on a date, read off their
 * transfers; KN-TRANSFER-OPEN and KN-TRANSFER-DEST on both sides of each
 * boundary; DL-TRANSFER's due date. Expected values by hand.
 *
 * P (province) > P-A (upper) > P-A-G (grassroots with cell P-A-G-C1) and
 * P-A-B (grassroots without cells: a chi bộ cơ sở).
 */
#include <stdlib.h>
#include <string.h>

#include "core/transfer.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static struct transfer tr(const char *from, const char *to, kn_date out, kn_date in)
{
	struct transfer t;
	transfer_init(&t);
	t.from = (char *)from;
	t.to = (char *)to;
	t.out_date = out;
	t.in_date = in;
	return t;
}

/* How many violations of code in v. */
static size_t count(const struct violations *v, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < v->n; i++)
		n += strcmp(v->v[i].code, code) == 0;
	return n;
}

int main(void)
{
	struct unitree t;
	size_t nu;
	struct unit *u = fx_unit_array("P province > P-A upper may_admit > P-A-G grassroots > "
				       "P-A-G-C1 cell; P-A > P-A-B grassroots", &nu);
	unitree_build(&t, u, nu);

	/* ---- the unit on a date ---- */
	/* A → B (letter 1/3/2024, arrival 10/3), B → C (letter 1/6, in transit) */
	struct transfer ts[2] = {
		tr("A", "B", D(2024, 3, 1), D(2024, 3, 10)),
		tr("B", "C", D(2024, 6, 1), KN_DATE_NONE),
	};
	CHECK_STR(transfer_unit_on(ts, 2, D(2024, 1, 1), "B"), "A");
	CHECK_STR(transfer_unit_on(ts, 2, D(2024, 3, 9), "B"), "A");	/* in transit: A's */
	CHECK_STR(transfer_unit_on(ts, 2, D(2024, 3, 10), "B"), "B");	/* from the arrival on */
	CHECK_STR(transfer_unit_on(ts, 2, D(2024, 12, 31), "B"), "B");	/* B → C not accepted */
	CHECK_STR(transfer_unit_on(ts, 1, D(2024, 12, 31), "B"), "B");	/* none pending: current */
	CHECK_STR(transfer_unit_on(NULL, 0, D(2024, 12, 31), "X"), "X");
	CHECK(transfer_pending(ts, 2) == &ts[1]);
	CHECK(transfer_pending(ts, 1) == NULL);

	/* ---- KN-TRANSFER-DEST ---- */
	struct person p;
	memset(&p, 0, sizeof(p));
	p.ref = "R1";
	p.full_name = "Nguyễn Văn A";
	struct violations v = { 0 };
	struct transfer_facts f = { &p, NULL, 0, NULL, unitree_find(&t, "P-A-G-C1"), "P-A-B",
				    D(2024, 5, 1) };
	CHECK_EQ(transfer_check(&f, &v), 0);			/* a cell */
	f.dest = unitree_find(&t, "P-A-B");
	f.current = "P-A-G-C1";
	CHECK_EQ(transfer_check(&f, &v), 0);			/* a grassroots without cells */
	f.dest = unitree_find(&t, "P-A-G");
	CHECK_EQ(transfer_check(&f, &v), 1);			/* a grassroots with cells */
	CHECK_EQ(count(&v, "KN-TRANSFER-DEST"), 1);
	f.dest = unitree_find(&t, "P-A");
	CHECK_EQ(transfer_check(&f, &v), 1);			/* an upper unit */
	f.dest = unitree_find(&t, "P-A-G-C1");
	CHECK_EQ(transfer_check(&f, &v), 1);			/* the current unit */
	CHECK_EQ(count(&v, "KN-TRANSFER-DEST"), 3);
	violations_release(&v);

	/* ---- KN-TRANSFER-OPEN: one at a time ---- */
	f.current = "P-A-B";
	f.prior = ts;
	f.nprior = 2;
	CHECK_EQ(transfer_check(&f, &v), 1);
	CHECK_EQ(count(&v, "KN-TRANSFER-OPEN"), 1);
	violations_release(&v);
	f.nprior = 1;						/* the last one arrived */
	CHECK_EQ(transfer_check(&f, &v), 0);

	/* ---- KN-TRANSFER-OPEN: from the cell vote to the decision ---- */
	struct step s[3];
	struct candidacy c;
	memset(&c, 0, sizeof(c));
	c.open = 1;
	c.steps = s;
	for (int i = 0; i < 3; i++)
		step_init(&s[i]);
	s[0].code = STEP_SOURCE;
	s[0].date = D(2024, 1, 5);
	s[1].code = STEP_CELL_VOTE;
	s[1].date = D(2024, 4, 1);
	s[2].code = STEP_DECISION;
	s[2].date = D(2024, 6, 3);
	c.nsteps = 3;
	f.open = &c;
	f.nprior = 0;
	f.date = D(2024, 3, 29);				/* before the cell vote */
	CHECK_EQ(transfer_check(&f, &v), 0);
	f.date = D(2024, 4, 1);					/* the cell vote's day */
	CHECK_EQ(transfer_check(&f, &v), 1);
	f.date = D(2024, 6, 2);					/* the day before the decision */
	CHECK_EQ(transfer_check(&f, &v), 1);
	f.date = D(2024, 6, 3);					/* the decision's day */
	CHECK_EQ(transfer_check(&f, &v), 0);
	c.nsteps = 2;						/* no decision yet */
	f.date = D(2024, 12, 31);
	CHECK_EQ(transfer_check(&f, &v), 1);
	s[2].code = STEP_WITHDRAWN;				/* the dossier ended */
	c.nsteps = 3;
	CHECK_EQ(transfer_check(&f, &v), 0);
	CHECK_EQ(count(&v, "KN-TRANSFER-OPEN"), 3);
	violations_release(&v);

	/* ---- DL-TRANSFER: 30 working days after Mon 3/6/2024 is Mon 15/7 ---- */
	struct calendar *cal = calendar_new();
	struct transfer x = tr("A", "B", D(2024, 6, 3), KN_DATE_NONE);
	CHECK_EQ(transfer_due(&x, 30, cal), D(2024, 7, 15));
	calendar_free(cal);

	unitree_free(&t);
	return T_DONE();
}
