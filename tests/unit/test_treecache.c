/*
 * test_treecache.c — the shared unit tree of a server process
 * (core/treecache.h) and the units version it keys on (migration 008,
 * store_units_version()), against a real database: fixture.h's fresh
 * store (SQLite in a scratch directory, or PostgreSQL with
 * $KN_TEST_DB_URL: pg/unit/test_treecache).
 *
 * What is checked is the contract the web server relies on: a snapshot
 * is read again after units were written (by another connection, as
 * another process would), and not after a step or any other write; a
 * snapshot still held stays whole and unchanged while a newer one is
 * made and handed out; while one caller rebuilds, the others get the
 * previous snapshot at once; and many threads getting, reading and
 * giving back snapshots while units are written end with every snapshot
 * freed (AddressSanitizer's leak check, and ThreadSanitizer on a
 * -fsanitize=thread build, watch that part). Expected figures are
 * written by hand.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/treecache.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/date.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct fx fx;

static long long units_version(struct store *s)
{
	long long v = -2;
	CHECK_EQ(store_units_version(s, &v), KN_OK);
	return v;
}

/* A unit under parent, in a write transaction of its own, as every writer
 * of units does (an import, the admin page). */
static void put_unit(struct store *s, const char *code, const char *parent, const char *name)
{
	struct unit u = fx_unit_of(code, parent, UNIT_UPPER, 0);
	int changed;
	if (name)
		u.name = (char *)name;
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_unit_put(s, &u, &changed), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
}

static struct store *second_connection(void)
{
	struct store *t = NULL;
	struct buf err = BUF_INIT;
	CHECK_EQ(store_open(fx.url, 0, &t, &err), KN_OK);
	if (err.len)
		fprintf(stderr, "%s\n", err.s);
	buf_release(&err);
	return t;
}

static void test_versions(struct store *s, struct treecache *c)
{
	struct treesnap *a = NULL, *b = NULL, *b2 = NULL;

	/* A fresh database: no row yet, an empty tree. */
	CHECK_EQ(units_version(s), -1);
	CHECK_EQ(treecache_get(c, s, &a), KN_OK);
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ(a->version, -1);
	CHECK_EQ(a->t.n, 0);
	CHECK_EQ(c->builds, 1);

	/* The five units of FX_TREE in the database's first write
	 * transaction: the row is made then, with units = 0, which is not
	 * -1: the next get reads the units. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(fx_units(s, FX_TREE), 5);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK(units_version(s) != -1);
	CHECK_EQ(treecache_get(c, s, &b), KN_OK);
	CHECK(b != NULL && b != a);
	if (!b)
		return;
	CHECK_EQ(b->t.n, 5);
	CHECK(unitree_find(&b->t, "P-G1-C1") != NULL);
	CHECK_EQ(c->builds, 2);
	/* The old one, still held, is as it was. */
	CHECK_EQ(a->t.n, 0);
	CHECK(unitree_find(&a->t, "P") == NULL);
	treesnap_put(a);	/* its last reference: freed */

	/* Asked again with nothing written: the same snapshot. */
	CHECK_EQ(treecache_get(c, s, &b2), KN_OK);
	CHECK(b2 == b);
	CHECK_EQ(c->builds, 2);
	treesnap_put(b2);
	treesnap_put(b);
}

/* A person, a candidacy and two steps: the change counter moves, the
 * units version does not, and the tree is not read again. */
static void test_step_keeps_tree(struct store *s, struct treecache *c)
{
	struct treesnap *a = NULL, *b = NULL;
	long long n0, n1, v0 = units_version(s);
	struct step st[2];

	CHECK_EQ(store_changes(s, &n0), KN_OK);
	CHECK_EQ(treecache_get(c, s, &a), KN_OK);
	long long builds = c->builds;

	CHECK_EQ(store_begin(s), KN_OK);
	int64_t pid = fx_person(s, "X001", "Nguyễn Văn An", "P-G2", date_from_ymd(1995, 5, 5),
				KN_DATE_NONE, KN_DATE_NONE);
	st[0] = fx_step_of(STEP_SOURCE, date_from_ymd(2025, 1, 6));
	st[1] = fx_step_of(STEP_TRAINED, date_from_ymd(2025, 2, 3));
	CHECK(fx_candidacy(s, pid, "P-G2", st, 2) > 0);
	CHECK_EQ(store_commit(s), KN_OK);

	CHECK_EQ(store_changes(s, &n1), KN_OK);
	CHECK_EQ(n1, n0 + 1);
	CHECK_EQ(units_version(s), v0);
	CHECK_EQ(treecache_get(c, s, &b), KN_OK);
	CHECK(a != NULL && b == a);
	CHECK_EQ(c->builds, builds);
	treesnap_put(b);
	treesnap_put(a);
}

/* Five units written in one transaction, then one in another: each
 * transaction moves the version (on PostgreSQL by one, however many units
 * it wrote: migration 015), and a rolled-back one does not. */
static void test_version_per_transaction(struct store *s)
{
	int pg = strcmp(store_backend(s), "PostgreSQL") == 0;
	long long v0 = units_version(s), v1, v2;

	CHECK_EQ(store_begin(s), KN_OK);
	for (int i = 0; i < 5; i++) {
		char code[16];
		snprintf(code, sizeof(code), "P-V%d", i);
		put_unit(s, code, "P", NULL);
	}
	CHECK_EQ(store_commit(s), KN_OK);
	v1 = units_version(s);
	CHECK(v1 > v0);
	if (pg)
		CHECK_EQ(v1, v0 + 1);
	CHECK_EQ(store_begin(s), KN_OK);
	put_unit(s, "P-V9", "P", NULL);
	store_rollback(s);
	CHECK_EQ(units_version(s), v1);
	CHECK_EQ(store_begin(s), KN_OK);
	put_unit(s, "P-V9", "P", NULL);
	CHECK_EQ(store_commit(s), KN_OK);
	v2 = units_version(s);
	CHECK(v2 > v1);
	if (pg)
		CHECK_EQ(v2, v1 + 1);
}

/* Units written by another connection — another process, as far as the
 * database can tell: added, renamed, moved. Each is seen on the next get
 * through the first connection, while a snapshot held from before stays
 * as it was. */
static void test_other_connection(struct store *s, struct treecache *c)
{
	struct store *t = second_connection();
	struct treesnap *old = NULL, *cur = NULL, *moved = NULL;
	long long v0, builds;

	if (!t)
		return;
	CHECK_EQ(treecache_get(c, s, &old), KN_OK);
	if (!old) {
		store_close(t);
		return;
	}
	v0 = old->version;
	builds = c->builds;

	/* Added. */
	put_unit(t, "P-NEW", "P", NULL);
	CHECK(units_version(s) != v0);
	CHECK_EQ(treecache_get(c, s, &cur), KN_OK);
	CHECK(cur != NULL && cur != old);
	if (!cur)
		goto out;
	CHECK_EQ(c->builds, builds + 1);
	CHECK_EQ(cur->t.n, 6);
	struct unode *nu = unitree_find(&cur->t, "P-NEW");
	CHECK(nu != NULL && nu->parent && strcmp(nu->parent->u.code, "P") == 0);
	/* The held one: five units, whole, its links intact. */
	CHECK_EQ(old->t.n, 5);
	CHECK(unitree_find(&old->t, "P-NEW") == NULL);
	struct unode *c1 = unitree_find(&old->t, "P-G1-C1");
	CHECK(c1 && unitree_grassroots(c1) && strcmp(unitree_grassroots(c1)->u.code, "P-G1") == 0);
	CHECK(c1 && unitree_competent(c1) &&
	      strcmp(unitree_competent(c1)->u.code, "P-H") == 0);
	treesnap_put(old);
	old = NULL;

	/* Renamed (an update of a row): read again, the new name. */
	put_unit(t, "P-NEW", "P", "Đảng bộ mới");
	CHECK_EQ(treecache_get(c, s, &moved), KN_OK);
	CHECK(moved != NULL && moved != cur);
	if (moved) {
		struct unode *m = unitree_find(&moved->t, "P-NEW");
		CHECK(m && strcmp(m->u.name, "Đảng bộ mới") == 0);
	}
	CHECK_EQ(c->builds, builds + 2);
	/* The one before keeps its name. */
	CHECK(strcmp(unitree_find(&cur->t, "P-NEW")->u.name, "P-NEW") == 0);
out:
	treesnap_put(moved);
	treesnap_put(cur);
	treesnap_put(old);
	store_close(t);
}

/* While one caller reads the units (the building flag, set here as that
 * caller would have it), another whose version moved gets the previous
 * snapshot at once instead of waiting or reading them too. */
static void test_stale_while_building(struct store *s, struct treecache *c)
{
	struct treesnap *a = NULL, *b = NULL, *d = NULL;
	CHECK_EQ(treecache_get(c, s, &a), KN_OK);
	put_unit(s, "P-LATE", "P", NULL);
	long long builds = c->builds;

	pthread_mutex_lock(&c->lock);
	c->building = 1;
	pthread_mutex_unlock(&c->lock);
	CHECK_EQ(treecache_get(c, s, &b), KN_OK);
	CHECK(b == a);
	CHECK(b && unitree_find(&b->t, "P-LATE") == NULL);
	CHECK_EQ(c->builds, builds);
	pthread_mutex_lock(&c->lock);
	c->building = 0;
	pthread_mutex_unlock(&c->lock);

	/* That caller done (here: never), the next get reads them. */
	CHECK_EQ(treecache_get(c, s, &d), KN_OK);
	CHECK(d && d != a && unitree_find(&d->t, "P-LATE") != NULL);
	CHECK_EQ(c->builds, builds + 1);
	treesnap_put(d);
	treesnap_put(b);
	treesnap_put(a);
}

/* ---- many threads ---- */

#define READERS 4
#define ROUNDS 150
#define WRITES 12

static int writes_done;	/* atomic: the writer's last unit committed */

struct reader {
	struct treecache *c;
	int failures;		/* counted here: t.h's counters are not atomic */
	int saw_all;		/* the last snapshot had every unit written */
};

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	struct store *s = NULL;
	struct buf err = BUF_INIT;

	if (store_open(fx.url, 0, &s, &err) != KN_OK) {
		r->failures++;
		buf_release(&err);
		return NULL;
	}
	buf_release(&err);
	for (int i = 0; i < ROUNDS; i++) {
		struct treesnap *a = NULL;
		if (treecache_get(r->c, s, &a) != KN_OK || !a) {
			r->failures++;
			continue;
		}
		/* Read it all: every node's chain reaches the root P. */
		for (size_t k = 0; k < a->t.n; k++) {
			struct unode *n = &a->t.nodes[k];
			while (n->parent)
				n = n->parent;
			if (strcmp(n->u.code, "P") != 0)
				r->failures++;
		}
		if (!unitree_find(&a->t, "P-G1-C1"))
			r->failures++;
		treesnap_put(a);
	}
	/* A last get after the writer's last commit. */
	while (!__atomic_load_n(&writes_done, __ATOMIC_ACQUIRE))
		sched_yield();
	{
		struct treesnap *a = NULL;
		if (treecache_get(r->c, s, &a) == KN_OK && a)
			r->saw_all = unitree_find(&a->t, "P-T11") != NULL;
		treesnap_put(a);
	}
	store_close(s);
	return NULL;
}

static void test_threads(struct treecache *c)
{
	pthread_t th[READERS];
	struct reader r[READERS];
	struct store *w = second_connection();
	char code[16];

	if (!w)
		return;
	memset(r, 0, sizeof(r));
	for (int i = 0; i < READERS; i++) {
		r[i].c = c;
		CHECK_EQ(pthread_create(&th[i], NULL, reader_run, &r[i]), 0);
	}
	/* The writer: one unit at a time, as an administrator's edits. */
	for (int i = 0; i < WRITES; i++) {
		snprintf(code, sizeof(code), "P-T%d", i);
		put_unit(w, code, "P", NULL);
	}
	__atomic_store_n(&writes_done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < READERS; i++) {
		CHECK_EQ(pthread_join(th[i], NULL), 0);
		CHECK_EQ(r[i].failures, 0);
	}
	/* A reader's last get came after the writes, but while another
	 * reader was reading them it got the previous snapshot, by design:
	 * at least the one that read them saw the last unit. Once they are
	 * all done, the next get has every unit: the five of FX_TREE, P-NEW,
	 * P-LATE and the twelve written here. */
	int saw = 0;
	for (int i = 0; i < READERS; i++)
		saw += r[i].saw_all;
	CHECK(saw >= 1);
	{
		struct treesnap *a = NULL;
		CHECK_EQ(treecache_get(c, w, &a), KN_OK);
		CHECK(a && a->t.n == 19 && unitree_find(&a->t, "P-T11") != NULL);
		treesnap_put(a);
	}
	store_close(w);
}

int main(void)
{
	struct treecache c;

	if (fx_open(&fx, "treecache") != 0)
		return 1;
	treecache_init(&c);
	test_versions(fx.s, &c);
	test_step_keeps_tree(fx.s, &c);
	test_other_connection(fx.s, &c);
	test_stale_while_building(fx.s, &c);
	test_threads(&c);
	test_version_per_transaction(fx.s);	/* last: it adds six units */
	treecache_release(&c);
	fx_close(&fx);
	return T_DONE();
}
