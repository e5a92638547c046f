/*
 * test_changes.c — the change counter (store_changes(), migration 005)
 * against a real database: fixture.h's fresh store (SQLite in a scratch
 * directory, or PostgreSQL with $KN_TEST_DB_URL: pg/unit/test_changes).
 *
 * The counter is what the web server's caches and /healthz ask instead
 * of counting the audit table, so what is checked is its contract: it
 * moves by exactly one with every committed transaction that wrote
 * anything (nested begin/commit pairs being one transaction), and not for
 * a transaction that only read, nor for one rolled back (wholly, or by an
 * inner rollback); a lone store_audit() is its own write transaction;
 * the accounts' bookkeeping outside any transaction is not counted; a
 * second connection — another process, as far as the database knows —
 * sees each bump at once, and its own bumps count with the first's. The
 * expected figures are written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "store/store.h"
#include "util/buf.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct fx fx;

static long long changes(struct store *s)
{
	long long n = -1;
	CHECK_EQ(store_changes(s, &n), KN_OK);
	return n;
}

/* A unit under P (a write of one row). */
static enum kn_err put_unit(struct store *s, const char *code)
{
	struct unit u = fx_unit_of(code, "P", UNIT_UPPER, 0);
	int changed;
	return store_unit_put(s, &u, &changed);
}

static int unit_exists(struct store *s, const char *code)
{
	struct unit u;
	enum kn_err e = store_unit_get(s, code, &u);
	if (e == KN_OK)
		unit_release(&u);
	return e == KN_OK;
}

static void test_fresh(struct store *s)
{
	/* A new database has written nothing through a transaction. */
	CHECK_EQ(changes(s), 0);
}

static void test_one_per_transaction(struct store *s)
{
	struct unit u;

	/* The province P: one write transaction of two statements. */
	CHECK_EQ(store_begin(s), KN_OK);
	{
		struct unit p = fx_unit_of("P", NULL, UNIT_PROVINCE, 1);
		int changed;
		CHECK_EQ(store_unit_put(s, &p, &changed), KN_OK);
	}
	CHECK_EQ(store_audit(s, "tester", "insert", "unit", "P", NULL, "P"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 1);

	/* Reading in a transaction moves nothing. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_unit_get(s, "P", &u), KN_OK);
	unit_release(&u);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 1);

	/* An empty transaction neither. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 1);

	/* A write without an audit entry counts: 2. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "A"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 2);

	/* An audit entry outside a transaction is one of its own: 3. */
	CHECK_EQ(store_audit(s, "tester", "note", "unit", "A", NULL, "lone"), KN_OK);
	CHECK_EQ(changes(s), 3);

	/* The accounts' bookkeeping outside a transaction (a login attempt
	 * counted, as every sign-in does) is no change of the data any page
	 * shows: the counter stays. */
	{
		long long count = -1;
		CHECK_EQ(store_login_count(s, "tester@127.0.0.1", 1000, 900, 1, &count), KN_OK);
		CHECK_EQ(count, 1);
	}
	CHECK_EQ(changes(s), 3);
}

static void test_rolled_back(struct store *s)
{
	/* Wholly rolled back: nothing written, nothing counted. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "RB1"), KN_OK);
	CHECK_EQ(store_audit(s, "tester", "insert", "unit", "RB1", NULL, "RB1"), KN_OK);
	store_rollback(s);
	CHECK_EQ(unit_exists(s, "RB1"), 0);
	CHECK_EQ(changes(s), 3);

	/* An inner rollback fails the outer commit: the same. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "RB2"), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "RB3"), KN_OK);
	store_rollback(s);
	CHECK(store_commit(s) != KN_OK);
	CHECK_EQ(unit_exists(s, "RB2"), 0);
	CHECK_EQ(changes(s), 3);

	/* A write that failed (a unit under an unknown parent) and was
	 * rolled back by its caller: the same. */
	CHECK_EQ(store_begin(s), KN_OK);
	{
		struct unit u = fx_unit_of("ORPHAN", "NO-SUCH-PARENT", UNIT_UPPER, 0);
		int changed;
		CHECK(store_unit_put(s, &u, &changed) != KN_OK);
	}
	store_rollback(s);
	CHECK_EQ(changes(s), 3);

	/* The next transaction after a rolled-back one starts clean: a
	 * read-only one still moves nothing. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(unit_exists(s, "P"), 1);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 3);
}

static void test_nested(struct store *s)
{
	/* Three writes in nested pairs, one outermost commit: one bump. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "N1"), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "N2"), KN_OK);
	CHECK_EQ(store_audit(s, "tester", "insert", "unit", "N2", NULL, "N2"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "N3"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(unit_exists(s, "N3"), 1);
	CHECK_EQ(changes(s), 4);

	/* Only the inner pair wrote: still one bump, at the outer commit. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(unit_exists(s, "N1"), 1);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "N4"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 4);	/* not yet committed: not yet counted */
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(s), 5);
}

/* Another connection to the same database (another process, as far as
 * the database can tell) sees every bump, and its own add to the same
 * counter. */
static void test_second_connection(struct store *s)
{
	struct store *t = NULL;
	struct buf err = BUF_INIT;

	CHECK_EQ(store_open(fx.url, 0, &t, &err), KN_OK);
	buf_release(&err);
	if (!t)
		return;
	CHECK_EQ(changes(t), 5);
	CHECK_EQ(store_begin(t), KN_OK);
	CHECK_EQ(put_unit(t, "SECOND"), KN_OK);
	CHECK_EQ(store_commit(t), KN_OK);
	CHECK_EQ(changes(t), 6);
	CHECK_EQ(changes(s), 6);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(put_unit(s, "FIRST"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(changes(t), 7);
	store_close(t);
}

int main(void)
{
	if (fx_open(&fx, "changes") != 0)
		return 1;
	test_fresh(fx.s);
	test_one_per_transaction(fx.s);
	test_rolled_back(fx.s);
	test_nested(fx.s);
	test_second_connection(fx.s);
	fx_close(&fx);
	return T_DONE();
}
