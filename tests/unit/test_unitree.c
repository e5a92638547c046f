/*
 * test_unitree.c — the unit tree of RULES.md §1 on a hand-built array.
 *
 * The tree is a province (P) with an upper unit (H, may_admit, flagged
 * special_area) above two grassroots units: G1, a đảng bộ cơ sở with the
 * cells C1 and C2 (given out of code order, to check that children come
 * out sorted), and G2, a chi bộ cơ sở without cells. A second province
 * (Q) has a grassroots unit G3 whose chain has no may_admit at all, so
 * its competent committee is NULL. The array is given unsorted, as a
 * careless caller might, and unitree_build() must cope. Expected values
 * are written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/unitree.h"
#include "util/xalloc.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static void build(struct unitree *t)
{
	size_t n;
	struct unit *u = fx_unit_array("P-G1 > P-C2 cell; "	/* out of order on purpose */
				       "P province may_admit > P-H upper may_admit special_area > "
				       "P-G1 grassroots; P-H > P-G2 grassroots; P-G1 > P-G1-C1 cell; "
				       "Q province > Q-G3 grassroots > Q-G3-C1 cell", &n);
	unitree_build(t, u, n);
}

static void test_find_and_shape(struct unitree *t)
{
	struct unode *p = unitree_find(t, "P");
	struct unode *h = unitree_find(t, "P-H");
	struct unode *g1 = unitree_find(t, "P-G1");

	CHECK_EQ(t->n, 9);
	CHECK(p != NULL);
	CHECK(h != NULL);
	CHECK(g1 != NULL);
	CHECK(unitree_find(t, "P-X") == NULL);
	CHECK(unitree_find(t, "") == NULL);
	CHECK(unitree_find(t, NULL) == NULL);
	if (!p || !h || !g1)
		return;
	CHECK_STR(p->u.code, "P");
	CHECK_STR(g1->u.code, "P-G1");

	/* Roots: the two provinces. */
	CHECK_EQ(t->nroots, 2);
	if (t->nroots == 2) {
		CHECK_STR(t->roots[0]->u.code, "P");
		CHECK_STR(t->roots[1]->u.code, "Q");
	}
	CHECK(p->parent == NULL);
	CHECK(h->parent == p);
	CHECK(g1->parent == h);

	/* Children sorted by code, whatever the input order. */
	CHECK_EQ(g1->nchildren, 2);
	if (g1->nchildren == 2) {
		CHECK_STR(g1->children[0]->u.code, "P-C2");
		CHECK_STR(g1->children[1]->u.code, "P-G1-C1");
		CHECK(g1->children[0]->parent == g1);
	}
	CHECK_EQ(h->nchildren, 2);
	if (h->nchildren == 2) {
		CHECK_STR(h->children[0]->u.code, "P-G1");
		CHECK_STR(h->children[1]->u.code, "P-G2");
	}
	CHECK_EQ(p->nchildren, 1);
	CHECK_EQ(unitree_find(t, "P-G2")->nchildren, 0);

	/* Depth: 0 for a root. */
	CHECK_EQ(p->depth, 0);
	CHECK_EQ(h->depth, 1);
	CHECK_EQ(g1->depth, 2);
	CHECK_EQ(unitree_find(t, "P-G1-C1")->depth, 3);
	CHECK_EQ(unitree_find(t, "P-C2")->depth, 3);
	CHECK_EQ(unitree_find(t, "Q")->depth, 0);
	CHECK_EQ(unitree_find(t, "Q-G3-C1")->depth, 2);
}

static void test_grassroots(struct unitree *t)
{
	struct unode *g1 = unitree_find(t, "P-G1");
	struct unode *g2 = unitree_find(t, "P-G2");

	CHECK(unitree_grassroots(unitree_find(t, "P-G1-C1")) == g1);
	CHECK(unitree_grassroots(unitree_find(t, "P-C2")) == g1);
	CHECK(unitree_grassroots(g1) == g1);
	CHECK(unitree_grassroots(g2) == g2);
	CHECK(unitree_grassroots(unitree_find(t, "P-H")) == NULL);
	CHECK(unitree_grassroots(unitree_find(t, "P")) == NULL);
	CHECK(unitree_grassroots(NULL) == NULL);

	/* A chi bộ cơ sở is a grassroots unit without cells. */
	CHECK_EQ(unitree_is_basic_cell(g2), 1);
	CHECK_EQ(unitree_is_basic_cell(g1), 0);
	CHECK_EQ(unitree_is_basic_cell(unitree_find(t, "P-G1-C1")), 0);
	CHECK_EQ(unitree_is_basic_cell(unitree_find(t, "P-H")), 0);
	CHECK_EQ(unitree_is_basic_cell(unitree_find(t, "Q-G3")), 0);
	CHECK_EQ(unitree_is_basic_cell(NULL), 0);
}

static void test_special_area(struct unitree *t)
{
	/* Flagged on P-H: inherited by everything below it, not above. */
	CHECK_EQ(unitree_special_area(unitree_find(t, "P-H")), 1);
	CHECK_EQ(unitree_special_area(unitree_find(t, "P-G1")), 1);
	CHECK_EQ(unitree_special_area(unitree_find(t, "P-G1-C1")), 1);
	CHECK_EQ(unitree_special_area(unitree_find(t, "P-G2")), 1);
	CHECK_EQ(unitree_special_area(unitree_find(t, "P")), 0);
	CHECK_EQ(unitree_special_area(unitree_find(t, "Q-G3-C1")), 0);
	CHECK_EQ(unitree_special_area(NULL), 0);
}

static void test_competent(struct unitree *t)
{
	struct unode *h = unitree_find(t, "P-H");

	/* The nearest may_admit at or above the grassroots unit: P-H, not P. */
	CHECK(unitree_competent(unitree_find(t, "P-G1-C1")) == h);
	CHECK(unitree_competent(unitree_find(t, "P-C2")) == h);
	CHECK(unitree_competent(unitree_find(t, "P-G1")) == h);
	CHECK(unitree_competent(unitree_find(t, "P-G2")) == h);
	/* No may_admit anywhere up the chain. */
	CHECK(unitree_competent(unitree_find(t, "Q-G3-C1")) == NULL);
	CHECK(unitree_competent(unitree_find(t, "Q-G3")) == NULL);
}

static void test_competent_on_grassroots(void)
{
	/* A grassroots unit that may admit itself (a đảng ủy cơ sở given the
	 * power) is its own cells' competent committee; a may_admit on a
	 * cell below the grassroots unit does not count. */
	struct unitree t;
	size_t n;
	struct unit *u = fx_unit_array("A province may_admit > A-G grassroots may_admit > "
				       "A-G-C cell may_admit; A-G > A-G-D cell", &n);
	unitree_build(&t, u, n);
	CHECK(unitree_competent(unitree_find(&t, "A-G-C")) == unitree_find(&t, "A-G"));
	CHECK(unitree_competent(unitree_find(&t, "A-G-D")) == unitree_find(&t, "A-G"));
	CHECK(unitree_competent(unitree_find(&t, "A-G")) == unitree_find(&t, "A-G"));
	unitree_free(&t);
}

static void test_within(struct unitree *t)
{
	struct unode *p = unitree_find(t, "P");
	struct unode *h = unitree_find(t, "P-H");
	struct unode *g1 = unitree_find(t, "P-G1");
	struct unode *c1 = unitree_find(t, "P-G1-C1");
	struct unode *g2 = unitree_find(t, "P-G2");
	struct unode *q = unitree_find(t, "Q");

	CHECK_EQ(unitree_within(c1, c1), 1);
	CHECK_EQ(unitree_within(c1, g1), 1);
	CHECK_EQ(unitree_within(c1, h), 1);
	CHECK_EQ(unitree_within(c1, p), 1);
	CHECK_EQ(unitree_within(c1, g2), 0);
	CHECK_EQ(unitree_within(c1, q), 0);
	CHECK_EQ(unitree_within(g1, c1), 0);	/* above is not within */
	CHECK_EQ(unitree_within(p, h), 0);
	CHECK_EQ(unitree_within(NULL, p), 0);
}

static void test_empty(void)
{
	struct unitree t;
	unitree_build(&t, xcalloc(1, sizeof(struct unit)), 0);
	CHECK_EQ(t.n, 0);
	CHECK_EQ(t.nroots, 0);
	CHECK(unitree_find(&t, "P") == NULL);
	unitree_free(&t);
}

/* Lookups by code and id through the hash tables, on a tree big enough
 * for collisions: 5,000 units P-00000…P-04999 under P, with ids given
 * in reverse order (7 * (5000 - i)), so that neither follows the array. */
static void test_lookup_many(void)
{
	enum { N = 5000 };
	struct unit *u = xcalloc(N + 1, sizeof(*u));
	struct unitree t;
	char code[32];
	int bad_code = 0, bad_id = 0, found_absent = 0;

	u[0].code = xstrdup("P");
	u[0].id = 1;
	for (int i = 0; i < N; i++) {
		snprintf(code, sizeof(code), "P-%05d", i);
		u[i + 1].code = xstrdup(code);
		u[i + 1].parent = xstrdup("P");
		u[i + 1].id = 7 * (int64_t)(N - i);
	}
	unitree_build(&t, u, N + 1);
	for (int i = 0; i < N; i++) {
		snprintf(code, sizeof(code), "P-%05d", i);
		struct unode *a = unitree_find(&t, code);
		struct unode *b = unitree_find_id(&t, 7 * (int64_t)(N - i));
		bad_code += !a || strcmp(a->u.code, code) != 0;
		bad_id += !b || strcmp(b->u.code, code) != 0;
		snprintf(code, sizeof(code), "P-%05d", N + i);
		found_absent += unitree_find(&t, code) != NULL;
		found_absent += unitree_find_id(&t, 7 * (int64_t)(N - i) + 3) != NULL;
	}
	CHECK_EQ(bad_code, 0);
	CHECK_EQ(bad_id, 0);
	CHECK_EQ(found_absent, 0);
	CHECK(unitree_find_id(&t, 1) == unitree_find(&t, "P"));
	CHECK_EQ(unitree_find(&t, "P")->nchildren, N);
	CHECK(unitree_find_id(&t, 0) == NULL);
	unitree_free(&t);
}

int main(void)
{
	struct unitree t;

	build(&t);
	test_find_and_shape(&t);
	test_grassroots(&t);
	test_special_area(&t);
	test_competent(&t);
	test_within(&t);
	unitree_free(&t);
	test_competent_on_grassroots();
	test_empty();
	test_lookup_many();
	return T_DONE();
}
