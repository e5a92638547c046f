/*
 * test_unitree_load.c — unitree_load(), the whole tree read straight from
 * the store in table order, against unitree_build() of store_unit_all(),
 * the tree every command built before, on a real database: fixture.h's
 * fresh store (SQLite in a scratch directory, or PostgreSQL with
 * $KN_TEST_DB_URL: pg/unit/test_unitree_load).
 *
 * The units: the province P with an upper unit P-H (may_admit,
 * special_area, sector "edu") above the đảng bộ cơ sở P-G1 and its cells
 * P-G1-C1 and P-G1-C0, and the chi bộ cơ sở P-G2; a second province Q
 * with Q-G3. Then P-G1-C1 is moved under Q-G3 and P-G2 under Q: units
 * whose parent comes after them in id order, which a reader in table
 * order must still link. Both trees must agree on every unit (id, code,
 * parent code, name, kind, flags, sector, depth, children in code order)
 * and on the roots; the expected shape is also written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/unitree.h"
#include "store/store.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct fx fx;

static void put(const char *code, const char *parent, enum unit_kind kind, int may_admit,
		int special, const char *sector)
{
	struct unit u = fx_unit_of(code, parent, kind, may_admit);
	int changed;
	u.special_area = special;
	u.sector = (char *)sector;
	CHECK_EQ(store_unit_put(fx.s, &u, &changed), KN_OK);
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Every node of a has its twin in b, the same in every field; and the
 * roots agree. */
static void same_tree(const struct unitree *a, const struct unitree *b)
{
	CHECK_EQ(a->n, b->n);
	CHECK_EQ(a->nroots, b->nroots);
	for (size_t i = 0; i < a->nroots && i < b->nroots; i++)
		CHECK_STR(a->roots[i]->u.code, b->roots[i]->u.code);
	for (size_t i = 0; i < a->n; i++) {
		const struct unode *x = &a->nodes[i];
		const struct unode *y = unitree_find(b, x->u.code);
		CHECK(y != NULL);
		if (!y)
			continue;
		CHECK(unitree_find_id(b, x->u.id) == y);
		CHECK_EQ(x->u.id, y->u.id);
		CHECK(same_str(x->u.parent, y->u.parent));
		CHECK(same_str(x->u.name, y->u.name));
		CHECK(same_str(x->u.sector, y->u.sector));
		CHECK_EQ(x->u.kind, y->u.kind);
		CHECK_EQ(x->u.may_admit, y->u.may_admit);
		CHECK_EQ(x->u.special_area, y->u.special_area);
		CHECK_EQ(x->depth, y->depth);
		CHECK(same_str(x->parent ? x->parent->u.code : NULL,
			       y->parent ? y->parent->u.code : NULL));
		CHECK_EQ(x->nchildren, y->nchildren);
		for (size_t k = 0; k < x->nchildren && k < y->nchildren; k++)
			CHECK_STR(x->children[k]->u.code, y->children[k]->u.code);
	}
}

static void test_empty(void)
{
	struct unitree t;
	CHECK_EQ(unitree_load(&t, fx.s), KN_OK);
	CHECK_EQ(t.n, 0);
	CHECK_EQ(t.nroots, 0);
	CHECK(unitree_find(&t, "P") == NULL);
	CHECK(unitree_find_id(&t, 1) == NULL);
	unitree_free(&t);
}

static void test_same_as_build(void)
{
	struct unitree a, b;
	struct unit *u;
	size_t n;

	CHECK_EQ(store_begin(fx.s), KN_OK);
	put("P", NULL, UNIT_PROVINCE, 0, 0, NULL);
	put("P-H", "P", UNIT_UPPER, 1, 1, "edu");
	put("P-G1", "P-H", UNIT_GRASSROOTS, 0, 0, NULL);
	put("P-G1-C1", "P-G1", UNIT_CELL, 0, 0, NULL);
	put("P-G1-C0", "P-G1", UNIT_CELL, 0, 0, NULL);
	put("P-G2", "P-H", UNIT_GRASSROOTS, 0, 0, NULL);
	put("Q", NULL, UNIT_PROVINCE, 1, 0, NULL);
	put("Q-G3", "Q", UNIT_GRASSROOTS, 0, 0, NULL);
	/* Parents after their children in id order. */
	put("P-G1-C1", "Q-G3", UNIT_CELL, 0, 0, NULL);
	put("P-G2", "Q", UNIT_GRASSROOTS, 0, 0, NULL);
	CHECK_EQ(store_commit(fx.s), KN_OK);

	CHECK_EQ(unitree_load(&a, fx.s), KN_OK);
	CHECK_EQ(store_unit_all(fx.s, &u, &n), KN_OK);
	unitree_build(&b, u, n);
	same_tree(&a, &b);
	same_tree(&b, &a);

	/* By hand. */
	CHECK_EQ(a.n, 8);
	CHECK_EQ(a.nroots, 2);
	if (a.nroots == 2) {
		CHECK_STR(a.roots[0]->u.code, "P");
		CHECK_STR(a.roots[1]->u.code, "Q");
		CHECK(a.roots[0]->u.parent == NULL);
	}
	struct unode *c1 = unitree_find(&a, "P-G1-C1"), *g2 = unitree_find(&a, "P-G2");
	struct unode *q = unitree_find(&a, "Q"), *g1 = unitree_find(&a, "P-G1");
	struct unode *h = unitree_find(&a, "P-H");
	CHECK(c1 && g2 && q && g1 && h);
	if (c1 && g2 && q && g1 && h) {
		CHECK_STR(c1->u.parent, "Q-G3");
		CHECK_STR(c1->parent->u.code, "Q-G3");
		CHECK_EQ(c1->depth, 2);
		CHECK_STR(g2->u.parent, "Q");
		CHECK_EQ(g2->depth, 1);
		CHECK_EQ(q->nchildren, 2);
		if (q->nchildren == 2) {
			CHECK_STR(q->children[0]->u.code, "P-G2");
			CHECK_STR(q->children[1]->u.code, "Q-G3");
		}
		CHECK_EQ(g1->nchildren, 1);
		CHECK_STR(g1->children[0]->u.code, "P-G1-C0");
		CHECK_STR(h->u.sector, "edu");
		CHECK_EQ(h->u.special_area, 1);
		CHECK_EQ(h->u.may_admit, 1);
		CHECK_EQ(h->u.kind, UNIT_UPPER);
		CHECK_STR(h->u.name, "P-H");
		CHECK(unitree_special_area(unitree_find(&a, "P-G1-C0")));
		CHECK(!unitree_special_area(c1));
		CHECK(unitree_competent(c1) == q);
		CHECK(unitree_is_basic_cell(g2));
		CHECK(!unitree_is_basic_cell(g1));
		CHECK(unitree_within(c1, q));
		CHECK(!unitree_within(c1, unitree_find(&a, "P")));
	}
	unitree_free(&a);
	unitree_free(&b);
}

int main(void)
{
	if (fx_open(&fx, "unitree-load") != 0)
		return T_DONE();
	test_empty();
	test_same_as_build();
	fx_close(&fx);
	return T_DONE();
}
