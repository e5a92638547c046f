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
 *
 * The lazy tree (unitree_lazy) must answer as the whole one for every
 * unit it is asked about, in any order: the unit, the units above it,
 * its children, its grassroots unit, competent committee, chi bộ cơ sở
 * and special area, subtree membership, and every actor's permissions
 * (core/actor.h) for every role and unit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actor.h"
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

static const char *code_of(const struct unode *n)
{
	return n ? n->u.code : NULL;
}

/* What the rules and permissions ask of node x of a lazy tree and of its
 * twin y of the whole tree: the same unit, the same units above it, the
 * same children, the same answers. */
static void same_node(const struct unode *x, const struct unode *y)
{
	CHECK(x != NULL && y != NULL);
	if (!x || !y)
		return;
	CHECK_EQ(x->u.id, y->u.id);
	CHECK_STR(x->u.code, y->u.code);
	CHECK(same_str(x->u.parent, y->u.parent));
	CHECK(same_str(x->u.name, y->u.name));
	CHECK(same_str(x->u.sector, y->u.sector));
	CHECK_EQ(x->u.kind, y->u.kind);
	CHECK_EQ(x->u.may_admit, y->u.may_admit);
	CHECK_EQ(x->u.special_area, y->u.special_area);
	CHECK_EQ(x->depth, y->depth);
	CHECK_EQ(x->partial, 0);
	CHECK_EQ(x->nchildren, y->nchildren);
	for (size_t k = 0; k < x->nchildren && k < y->nchildren; k++)
		CHECK_STR(x->children[k]->u.code, y->children[k]->u.code);
	const struct unode *a = x, *b = y;
	for (; a && b; a = a->parent, b = b->parent) {
		CHECK_STR(a->u.code, b->u.code);
		CHECK_EQ(a->depth, b->depth);
		/* a unit above, reached by its parent link (children unread):
		 * a chi bộ cơ sở or not all the same */
		CHECK_EQ(unitree_is_basic_cell(a), unitree_is_basic_cell(b));
	}
	CHECK(a == NULL && b == NULL);
	CHECK(same_str(code_of(unitree_grassroots((struct unode *)x)),
		       code_of(unitree_grassroots((struct unode *)y))));
	CHECK(same_str(code_of(unitree_competent((struct unode *)x)),
		       code_of(unitree_competent((struct unode *)y))));
	CHECK_EQ(unitree_is_basic_cell(x), unitree_is_basic_cell(y));
	CHECK_EQ(unitree_special_area(x), unitree_special_area(y));
}

/* Every unit, asked for in the order of codes[], from a fresh lazy tree,
 * against the whole tree w; then every pair for unitree_within and the
 * actors' permissions, with the nodes found first still the ones found. */
static void lazy_walk(const struct unitree *w, const char *const *codes, size_t n)
{
	struct unitree t;
	struct unode *got[16];
	enum role roles[] = { ROLE_VIEWER, ROLE_EDITOR, ROLE_APPROVER, ROLE_ADMIN };

	unitree_lazy(&t, fx.s);
	for (size_t i = 0; i < n; i++) {
		got[i] = unitree_find(&t, codes[i]);
		same_node(got[i], unitree_find(w, codes[i]));
	}
	CHECK(unitree_find(&t, "NOPE") == NULL);
	CHECK(unitree_find(&t, "") == NULL);
	CHECK(unitree_find(&t, NULL) == NULL);
	CHECK(unitree_find_id(&t, 9999) == NULL);
	for (size_t i = 0; i < n; i++) {
		struct unode *x = unitree_find(&t, codes[i]);
		CHECK(x == got[i]);
		if (x) {
			CHECK(unitree_find_id(&t, x->u.id) == x);
			CHECK(x->parent == NULL || x->parent == unitree_find(&t, x->parent->u.code));
		}
		for (size_t j = 0; j < n; j++) {
			const struct unode *a = unitree_find(w, codes[i]);
			const struct unode *b = unitree_find(w, codes[j]);
			CHECK_EQ(unitree_within(got[i], got[j]), unitree_within(a, b));
			for (size_t r = 0; r < sizeof(roles) / sizeof(*roles); r++) {
				struct actor ac = { "someone", codes[j], roles[r] };
				CHECK_EQ(actor_may_see(&ac, &t, got[i]), actor_may_see(&ac, w, a));
				CHECK_EQ(actor_may_override(&ac, &t, got[i]),
					 actor_may_override(&ac, w, a));
				for (int sc = STEP_SOURCE; sc < STEP__COUNT; sc++)
					CHECK_EQ(actor_may_record(&ac, &t, got[i], sc),
						 actor_may_record(&ac, w, a, sc));
			}
		}
	}
	CHECK_EQ(t.n, 0);
	CHECK_EQ(unitree_lazy_failed(&t), 0);
	unitree_free(&t);
}

/* The lazy tree answers as the whole one, whatever the order it is
 * asked in: top down, bottom up, a unit above before and after one
 * below it (so that its children are read when it is itself found),
 * and by id. */
static void test_lazy(void)
{
	static const char *const codes[] = { "P", "P-H", "P-G1", "P-G1-C0", "P-G2", "Q", "Q-G3",
					     "P-G1-C1" };
	const size_t n = sizeof(codes) / sizeof(*codes);
	const char *rev[sizeof(codes) / sizeof(*codes)];
	const char *mixed[] = { "P-G1-C0", "P-G1", "P-G1-C1", "P", "Q-G3", "P-H", "Q", "P-G2" };
	struct unitree w, t;

	CHECK_EQ(unitree_load(&w, fx.s), KN_OK);
	lazy_walk(&w, codes, n);
	for (size_t i = 0; i < n; i++)
		rev[i] = codes[n - 1 - i];
	lazy_walk(&w, rev, n);
	lazy_walk(&w, mixed, n);

	/* By id first, then by code: the same node. */
	unitree_lazy(&t, fx.s);
	const struct unode *c0 = unitree_find(&w, "P-G1-C0");
	struct unode *x = c0 ? unitree_find_id(&t, c0->u.id) : NULL;
	/* P-G1 was read as a unit above P-G1-C0: its children come when it
	 * is asked for, or asked whether it is a chi bộ cơ sở. */
	struct unode *g1 = x ? x->parent : NULL;
	CHECK(g1 != NULL && g1->partial && g1->nchildren == 0);
	CHECK_EQ(unitree_is_basic_cell(g1), 0);
	CHECK(g1 != NULL && !g1->partial && g1->nchildren == 1);
	same_node(x, c0);
	CHECK(x != NULL && unitree_find(&t, "P-G1-C0") == x);
	CHECK(unitree_find(&t, "P-G1") == g1);
	same_node(g1, unitree_find(&w, "P-G1"));
	unitree_free(&t);

	/* A lazy tree copied by value (the ledger borrows the command's)
	 * shares what either reads. */
	unitree_lazy(&t, fx.s);
	struct unitree copy = t;
	struct unode *q = unitree_find(&copy, "Q");
	CHECK(q != NULL && unitree_find(&t, "Q") == q);
	unitree_free(&t);
	unitree_free(&w);
}

int main(void)
{
	if (fx_open(&fx, "unitree-load") != 0)
		return T_DONE();
	test_empty();
	test_same_as_build();
	test_lazy();
	fx_close(&fx);
	return T_DONE();
}
