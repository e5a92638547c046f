/*
 * test_stmt.c — the statement table (src/store/stmt.h) against the
 * database it runs on: every row prepares, has as many parameters and
 * result columns as its letters say, and the driver carries each kind of
 * value both ways. Run on SQLite by ctest (unit/test_stmt) and on
 * PostgreSQL as pg/unit/test_stmt (KN_TEST_DB_URL): the same test for
 * both backends, so a row added to the table is checked on both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store_impl.h"
#include "t.h"

static void test_every_row(struct store *s)
{
	for (int id = 0; id < S__COUNT; id++) {
		const struct stmt *t = &store_stmts[id];
		int np = -2, nc = -2;
		CHECK(t->name != NULL && t->sql != NULL && t->params != NULL && t->cols != NULL);
		if (!t->name || !t->sql || !t->params || !t->cols)
			continue;
		if (q_describe(s, id, &np, &nc) != KN_OK) {
			fprintf(stderr, "%s: %s\n", t->name, store_errmsg(s));
			CHECK(0);
			continue;
		}
		if (np != (int)strlen(t->params) || nc != (int)strlen(t->cols))
			fprintf(stderr, "%s: %d parameters, %d columns; the table says %zu, %zu\n",
				t->name, np, nc, strlen(t->params), strlen(t->cols));
		CHECK_EQ(np, (int)strlen(t->params));
		CHECK_EQ(nc, (int)strlen(t->cols));
		CHECK(nc <= STORE_MAX_RESULT);
		CHECK((int)strlen(t->params) <= STORE_MAX_ARGS);
		/* Names are unique: PostgreSQL prepares by name. */
		for (int j = 0; j < id; j++)
			if (strcmp(store_stmts[j].name, t->name) == 0)
				CHECK(!"two rows with one name");
	}
}

/* Text (Vietnamese, NFC), integers, a date and NULL, written by one
 * statement and read back by another; rows written counted. */
static void test_values(struct store *s)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	long long changes = -1;
	kn_date d;

	CHECK_EQ(date_parse("2025-09-02", &d), 0);
	arg_date(&a, d);
	arg_int(&a, 0);
	arg_text(&a, "Quốc khánh — Đường");
	CHECK_EQ(q_exec(s, S_HOLIDAY_PUT, &a, &changes), KN_OK);
	CHECK_EQ(changes, 1);

	memset(&a, 0, sizeof(a));
	arg_date(&a, d);
	CHECK_EQ(q_first(s, S_HOLIDAY_GET, &a, &r), KN_OK);
	CHECK_EQ(row_int(&r, 0), 0);
	CHECK_STR(row_str(&r, 1), "Quốc khánh — Đường");
	CHECK_EQ(q_close(&r), KN_OK);

	/* No row: KN_ENOTFOUND, the reading closed. */
	memset(&a, 0, sizeof(a));
	arg_text(&a, "1999-01-01");
	CHECK_EQ(q_first(s, S_HOLIDAY_GET, &a, &r), KN_ENOTFOUND);

	/* NULL arguments: the audit list's filters match everything. */
	memset(&a, 0, sizeof(a));
	arg_null(&a);
	arg_text(&a, NULL);
	arg_null(&a);
	arg_int(&a, 0);
	arg_int(&a, 10);
	CHECK_EQ(q_open(s, S_AUDIT_LIST, &a, &r), KN_OK);
	CHECK_EQ(q_next(&r), 0);
	CHECK_EQ(q_close(&r), KN_OK);

	/* A NULL column reads as NULL, -1 for a count, KN_DATE_NONE for a date. */
	memset(&a, 0, sizeof(a));
	arg_text(&a, "k.test");
	arg_text(&a, "");
	arg_text(&a, "7");
	CHECK_EQ(q_exec(s, S_POLICY_PUT, &a, NULL), KN_OK);
	CHECK_EQ(q_open(s, S_POLICY_ALL, NULL, &r), KN_OK);
	int seen = 0;
	while (q_next(&r) > 0) {
		if (strcmp(row_str(&r, 0), "k.test") != 0)
			continue;
		seen++;
		CHECK_EQ(row_date(&r, 1), KN_DATE_NONE);
		CHECK_EQ(row_int(&r, 2), 7);
		CHECK(row_str(&r, 5) == NULL);	/* past the row's columns */
		CHECK_EQ(row_count(&r, 5), -1);
	}
	CHECK_EQ(q_close(&r), KN_OK);
	CHECK_EQ(seen, 1);

	/* Nothing deleted: 0 rows written. */
	memset(&a, 0, sizeof(a));
	arg_int(&a, 0);
	CHECK_EQ(q_exec(s, S_SESSION_PURGE, &a, &changes), KN_OK);
	CHECK_EQ(changes, 0);
}

/* A streamed reading closed early leaves the connection ready for the
 * next statement (on PostgreSQL, the rest of the rows is drained). */
static void test_stream_closed_early(struct store *s)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	long long n = -1;

	CHECK_EQ(store_begin(s), KN_OK);
	for (int i = 0; i < 50; i++) {
		char who[16];
		snprintf(who, sizeof(who), "u%d", i);
		CHECK_EQ(store_audit(s, who, "test", "stmt", who, NULL, "x"), KN_OK);
	}
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(q_open(s, S_AUDIT_EACH, NULL, &r), KN_OK);
	CHECK_EQ(q_next(&r), 1);
	CHECK_STR(row_str(&r, 2), "u0");
	CHECK_EQ(q_next(&r), 1);
	CHECK_STR(row_str(&r, 2), "u1");
	CHECK_EQ(q_close(&r), KN_OK);
	CHECK_EQ(q_first(s, S_AUDIT_COUNT, &a, &r), KN_OK);
	n = row_int(&r, 0);
	CHECK_EQ(q_close(&r), KN_OK);
	CHECK_EQ(n, 50);
}

/* A failed statement: an error, a message naming the statement. */
static void test_failure(struct store *s)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, "no-such-unit");
	arg_int(&a, 2025);
	arg_text(&a, "total");
	arg_int(&a, 5);
	/* unit_id NULL: NOT NULL constraint. */
	CHECK(q_exec(s, S_QUOTA_PUT, &a, NULL) != KN_OK);
	CHECK(strstr(store_errmsg(s), "quota_put") != NULL);
}

/* SQLite only, on the migrated file at path: no statement looks steps
 * up through steps_step_date by its step alone. Since 014 that index
 * covers the candidacy and org, and SQLite, with no statistics, then
 * prefers it to the (candidacy_id, seq) lookup a join meant: a scan of
 * every source step of every year for each decision (the sources report
 * took minutes at national size before its join said seq = 1). The plans
 * of an empty file are the plans of a big one: ketnap runs no ANALYZE. */
static void test_plans(const char *path)
{
	sqlite3 *db = NULL;
	CHECK_EQ(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int id = 0; db && id < S__COUNT; id++) {
		sqlite3_stmt *st = NULL;
		char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", store_stmts[id].sql);
		if (sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *d = (const char *)sqlite3_column_text(st, 3);
				if (d && strstr(d, "steps_step_date (step=?)")) {
					fprintf(stderr, "%s: %s\n", store_stmts[id].name, d);
					CHECK(!"a lookup of steps_step_date by step alone");
				}
			}
		}
		sqlite3_finalize(st);
		sqlite3_free(q);
	}
	sqlite3_close(db);
}

int main(void)
{
	char dir[] = "/tmp/kn-test-stmt-XXXXXX", path[128];
	const char *url = getenv("KN_TEST_DB_URL");
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int from, to;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/ketnap.db", dir);
	if (!url || !*url)
		url = path;
	if (store_open(url, 1, &s, &err) != KN_OK) {
		fprintf(stderr, "%s\n", err.s);
		return 1;
	}
	CHECK_EQ(store_migrate(s, &from, &to), KN_OK);
	test_every_row(s);
	test_values(s);
	test_stream_closed_early(s);
	test_failure(s);
	store_close(s);
	if (url == path)
		test_plans(path);
	buf_release(&err);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ketnap.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/ketnap.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return T_DONE();
}
