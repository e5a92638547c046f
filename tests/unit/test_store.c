/*
 * test_store.c — the SQLite backend of store.h against a real database
 * file in a fresh mkdtemp directory (fixture.h's fx_init: the test opens
 * and migrates it itself).
 *
 * It covers what the rest of the program takes on trust from the store:
 * that a missing file is not silently created, that migrations run once,
 * that the schema's STRICT types, CHECKs and foreign keys really refuse
 * bad rows, that the *_put functions report insert/update/no-change
 * honestly (the importer's counts depend on it), that a person search
 * treats LIKE metacharacters as plain text, that one person has at most
 * one open candidacy, that store_step_add's optimistic lock refuses a
 * stale writer without writing anything, that nested transactions
 * roll back as a whole, and that a backup is a faithful copy. Expected
 * values are written by hand.
 *
 * With $KN_TEST_DB_URL (a PostgreSQL database: ctest's pg/ tests make one,
 * fx_init a fresh one next to it) the same checks run against that backend; the few
 * that look under the store (the raw schema, the backup file, a missing
 * database) check the PostgreSQL equivalent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "core/calendar.h"
#include "core/model.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/date.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static struct fx fx;	/* fx.url: the database; fx.pg: PostgreSQL */

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int unit_exists(struct store *s, const char *code)
{
	struct unit u;
	if (store_unit_get(s, code, &u) != KN_OK)
		return 0;
	unit_release(&u);
	return 1;
}

/* A database that does not exist: KN_ENOTFOUND, as a missing file. A
 * server that cannot be reached: KN_EIO, and the message names the URL
 * without its password. */
static void test_open_missing_pg(void)
{
	char p[600];
	struct store *s = (struct store *)1;
	struct buf err = BUF_INIT;

	fx_url_with_db(fx.url, "kn_no_such_database", p, sizeof(p));
	CHECK_EQ(store_open(p, 0, &s, &err), KN_ENOTFOUND);
	CHECK(s == NULL);
	CHECK(strstr(err.s, "kn_no_such_database") != NULL);
	buf_reset(&err);
	s = (struct store *)1;
	CHECK_EQ(store_open("postgresql://clerk:s3cret@/ketnap?host=/nonexistent-kn-dir", 1, &s,
			    &err), KN_EIO);
	CHECK(s == NULL);
	CHECK(strstr(err.s, "postgresql://clerk:***@/ketnap?host=/nonexistent-kn-dir") != NULL);
	CHECK(strstr(err.s, "s3cret") == NULL);
	buf_reset(&err);
	store_url_redact("postgresql://u:pw@h/db?sslmode=off&password=pw2&x=1", &err);
	CHECK_STR(err.s, "postgresql://u:***@h/db?sslmode=off&password=***&x=1");
	buf_release(&err);
}

static void test_open_missing(void)
{
	char p[160];
	struct store *s = (struct store *)1;
	struct buf err = BUF_INIT;
	struct stat st;

	if (fx.pg) {
		test_open_missing_pg();
		return;
	}
	fx_path(&fx, "missing.db", p, sizeof(p));
	CHECK_EQ(store_open(p, 0, &s, &err), KN_ENOTFOUND);
	CHECK(s == NULL);
	CHECK(err.len > 0);
	CHECK(stat(p, &st) != 0);	/* not created as a side effect */
	buf_release(&err);
}

static struct store *test_create_migrate(void)
{
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int from = -1, to = -1;

	CHECK_EQ(store_open(fx.url, 1, &s, &err), KN_OK);
	buf_release(&err);
	if (!s)
		return NULL;
	CHECK(store_latest_version() >= 1);
	CHECK_EQ(store_schema_version(s), 0);
	CHECK_EQ(store_migrate(s, &from, &to), KN_OK);
	CHECK_EQ(from, 0);
	CHECK_EQ(to, store_latest_version());
	CHECK_EQ(store_schema_version(s), store_latest_version());
	/* A second run has nothing to do. */
	from = to = -1;
	CHECK_EQ(store_migrate(s, &from, &to), KN_OK);
	CHECK_EQ(from, store_latest_version());
	CHECK_EQ(to, store_latest_version());
	return s;
}

static void test_reopen_existing(void)
{
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int from = -1, to = -1;

	/* Without create, an existing file opens and is already migrated. */
	CHECK_EQ(store_open(fx.url, 0, &s, &err), KN_OK);
	if (s) {
		CHECK_EQ(store_schema_version(s), store_latest_version());
		CHECK_EQ(store_migrate(s, &from, &to), KN_OK);
		CHECK_EQ(from, to);
		store_close(s);
	}
	buf_release(&err);
}

static void test_units(struct store *s)
{
	struct unit u;
	struct unit *all;
	size_t n;
	int ch = -1;

	u = fx_unit_of("P", NULL, UNIT_PROVINCE, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	ch = -1;
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 0);
	u.name = "Đảng bộ tỉnh P";
	ch = -1;
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 1);
	ch = -1;
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 0);

	u = fx_unit_of("P-H", "P", UNIT_UPPER, 1);
	u.special_area = 1;
	u.sector = "hamlet";
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	u.may_admit = 0;
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 1);
	u.may_admit = 1;
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 1);
	u = fx_unit_of("P-G1", "P-H", UNIT_GRASSROOTS, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	u = fx_unit_of("P-G1-C1", "P-G1", UNIT_CELL, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);

	memset(&u, 0, sizeof(u));
	CHECK_EQ(store_unit_get(s, "P-H", &u), KN_OK);
	CHECK_STR(u.code, "P-H");
	CHECK_STR(u.parent, "P");
	CHECK_EQ(u.kind, UNIT_UPPER);
	CHECK_EQ(u.may_admit, 1);
	CHECK_EQ(u.special_area, 1);
	CHECK_STR(u.sector, "hamlet");
	unit_release(&u);
	CHECK_EQ(store_unit_get(s, "P", &u), KN_OK);
	CHECK(u.parent == NULL);
	CHECK_STR(u.name, "Đảng bộ tỉnh P");
	CHECK(u.sector == NULL);
	unit_release(&u);
	/* Not found leaves the struct empty, safe to release: the transfers
	 * import released a stack person after a miss (a fuzz crash). */
	memset(&u, 0xA5, sizeof(u));
	CHECK_EQ(store_unit_get(s, "NOPE", &u), KN_ENOTFOUND);
	CHECK(u.code == NULL && u.parent == NULL && u.name == NULL);
	unit_release(&u);

	CHECK_EQ(store_unit_all(s, &all, &n), KN_OK);
	CHECK_EQ(n, 4);
	if (n == 4) {
		CHECK_STR(all[0].code, "P");
		CHECK_STR(all[1].code, "P-G1");
		CHECK_STR(all[2].code, "P-G1-C1");
		CHECK_STR(all[3].code, "P-H");
		CHECK_STR(all[2].parent, "P-G1");
	}
	store_units_free(all, n);
}

/* store.h: "Insert or update by code (the parent must exist)". A unit
 * naming a parent that is not there must be refused, not stored as a
 * root of its own (the subquery for parent_id yields NULL). */
static void test_unit_unknown_parent_refused(struct store *s)
{
	struct unit u = fx_unit_of("ORPHAN", "NO-SUCH-PARENT", UNIT_CELL, 0);
	int ch = -1;
	CHECK(store_unit_put(s, &u, &ch) != KN_OK);
	CHECK_EQ(unit_exists(s, "ORPHAN"), 0);
}

static void test_people(struct store *s)
{
	struct person p = fx_person_of("X001", "Nguyễn Văn An", "P-G1-C1"), got;
	int ch = -1;

	p.sex = 'M';
	p.youth_union = 1;
	p.ethnicity = "Tày";
	p.member_since = KN_DATE_NONE;
	CHECK_EQ(store_person_put(s, &p, "nguyen van an", &ch), KN_OK);
	CHECK_EQ(ch, 2);
	ch = -1;
	CHECK_EQ(store_person_put(s, &p, "nguyen van an", &ch), KN_OK);
	CHECK_EQ(ch, 0);
	p.phone = "0912345678";
	ch = -1;
	CHECK_EQ(store_person_put(s, &p, "nguyen van an", &ch), KN_OK);
	CHECK_EQ(ch, 1);
	p.birth_date = D(1995, 5, 6);
	CHECK_EQ(store_person_put(s, &p, "nguyen van an", &ch), KN_OK);
	CHECK_EQ(ch, 1);
	ch = -1;
	CHECK_EQ(store_person_put(s, &p, "nguyen van an", &ch), KN_OK);
	CHECK_EQ(ch, 0);

	memset(&got, 0, sizeof(got));
	CHECK_EQ(store_person_get(s, "X001", &got), KN_OK);
	CHECK(got.id > 0);
	CHECK_STR(got.ref, "X001");
	CHECK_STR(got.full_name, "Nguyễn Văn An");
	CHECK_EQ(got.sex, 'M');
	CHECK_EQ(got.birth_date, D(1995, 5, 6));
	CHECK_STR(got.unit, "P-G1-C1");
	CHECK_STR(got.ethnicity, "Tày");
	CHECK(got.religion == NULL);
	CHECK_STR(got.education, "12/12");
	CHECK_EQ(got.youth_union, 1);
	CHECK_EQ(got.trade_union, 0);
	CHECK_EQ(got.member_since, KN_DATE_NONE);
	CHECK_EQ(got.official_since, KN_DATE_NONE);
	CHECK_STR(got.phone, "0912345678");
	{
		struct person byid;
		memset(&byid, 0, sizeof(byid));
		CHECK_EQ(store_person_get_id(s, got.id, &byid), KN_OK);
		CHECK_STR(byid.ref, "X001");
		person_release(&byid);
	}
	person_release(&got);
	memset(&got, 0xA5, sizeof(got));
	CHECK_EQ(store_person_get(s, "X999", &got), KN_ENOTFOUND);
	CHECK(got.ref == NULL && got.unit == NULL && got.note == NULL);
	CHECK_EQ(got.left_on, KN_DATE_NONE);
	person_release(&got);
	memset(&got, 0xA5, sizeof(got));
	CHECK_EQ(store_person_get_id(s, 999999, &got), KN_ENOTFOUND);
	CHECK(got.ref == NULL && got.full_name == NULL);
	person_release(&got);

	/* Members for later steps. */
	p = fx_person_of("M001", "Trần Thị Bình", "P-G1-C1");
	p.member_since = D(2009, 1, 1);
	p.official_since = D(2010, 1, 1);
	CHECK_EQ(store_person_put(s, &p, "tran thi binh", &ch), KN_OK);
	CHECK_EQ(ch, 2);
	CHECK_EQ(store_person_get(s, "M001", &got), KN_OK);
	CHECK_EQ(got.member_since, D(2009, 1, 1));
	CHECK_EQ(got.official_since, D(2010, 1, 1));
	person_release(&got);
}

/* The schema refuses what it should, through the store's own connection. */
static void test_constraints(struct store *s)
{
	struct person p = fx_person_of("BAD1", "Lê Văn C", "NO-SUCH-UNIT");
	struct quota qt = { "NO-SUCH-UNIT", 2024, "total", 5 };
	struct quota neg = { "P", 2024, "total", -1 };
	struct candidacy *c;
	size_t nc;
	int64_t cid = -1;
	int ch = -1;

	/* A person in an unknown unit: refused, not stored. */
	CHECK(store_person_put(s, &p, "le van c", &ch) != KN_OK);
	CHECK_EQ(store_person_get(s, "BAD1", &p), KN_ENOTFOUND);
	/* sex outside ('M', 'F'): the CHECK refuses it. */
	p = fx_person_of("BAD2", "Lê Văn D", "P");
	p.sex = 'X';
	CHECK(store_person_put(s, &p, "le van d", &ch) != KN_OK);
	CHECK_EQ(fx_person_id(s, "BAD2"), -1);
	/* Quotas: an unknown unit, a negative target. */
	CHECK(store_quota_put(s, &qt, &ch) != KN_OK);
	CHECK(store_quota_put(s, &neg, &ch) != KN_OK);
	/* A candidacy for a person id that does not exist: the foreign key
	 * on candidacies.person_id refuses it. */
	CHECK(store_candidacy_new(s, 999999, "P-G1-C1", &cid) != KN_OK);
	CHECK_EQ(store_candidacies_of(s, 999999, &c, &nc), KN_OK);
	CHECK_EQ(nc, 0);
	store_candidacies_free(c, nc);
}

/* The schema itself, through a second raw connection with foreign keys
 * on: STRICT types and foreign keys are part of the tables. */
static void test_schema_raw_pg(void)
{
	PGconn *c = PQconnectdb(fx.url);
	PGresult *r;
	CHECK_EQ(PQstatus(c), CONNECTION_OK);
	/* Types: text in an INTEGER column. */
	r = PQexec(c, "INSERT INTO quotas (unit_id, year, category, target) "
		   "VALUES (1, 'twenty', 'total', 1)");
	CHECK_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
	PQclear(r);
	/* Foreign key: a person in unit 999999. */
	r = PQexec(c, "INSERT INTO people (ref, full_name, search_name, sex, birth_date, unit_id) "
		   "VALUES ('RAW1', 'x', 'x', 'M', '2000-01-01', 999999)");
	CHECK_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
	CHECK_STR(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23503");
	PQclear(r);
	PQfinish(c);
}

static void test_schema_raw(void)
{
	sqlite3 *db = NULL;
	if (fx.pg) {
		test_schema_raw_pg();
		return;
	}
	CHECK_EQ(sqlite3_open_v2(fx.url, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	if (!db)
		return;
	sqlite3_busy_timeout(db, 5000);
	CHECK_EQ(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), SQLITE_OK);
	/* STRICT: text in an INTEGER column. */
	CHECK(sqlite3_exec(db, "INSERT INTO quotas (unit_id, year, category, target) "
			   "VALUES (1, 'twenty', 'total', 1)", NULL, NULL, NULL) != SQLITE_OK);
	/* Foreign key: a person in unit 999999. */
	CHECK(sqlite3_exec(db, "INSERT INTO people (ref, full_name, search_name, sex, "
			   "birth_date, unit_id) VALUES ('RAW1', 'x', 'x', 'M', '2000-01-01', "
			   "999999)", NULL, NULL, NULL) != SQLITE_OK);
	CHECK_EQ(sqlite3_extended_errcode(db), SQLITE_CONSTRAINT_FOREIGNKEY);
	sqlite3_close(db);
}

static void test_quota_holiday(struct store *s)
{
	struct quota qt = { "P-H", 2024, "female", 10 };
	struct quota q2 = { "P", 2024, "total", 100 };
	struct quota *all;
	struct holiday h = { 0, 0, NULL }, *hs;
	size_t n;
	int ch = -1;

	CHECK_EQ(store_quota_put(s, &qt, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	CHECK_EQ(store_quota_put(s, &qt, &ch), KN_OK);
	CHECK_EQ(ch, 0);
	qt.target = 12;
	CHECK_EQ(store_quota_put(s, &qt, &ch), KN_OK);
	CHECK_EQ(ch, 1);
	CHECK_EQ(store_quota_put(s, &q2, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	CHECK_EQ(store_quota_all(s, &all, &n), KN_OK);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_STR(all[0].unit, "P");
		CHECK_EQ(all[0].target, 100);
		CHECK_STR(all[1].unit, "P-H");
		CHECK_STR(all[1].category, "female");
		CHECK_EQ(all[1].year, 2024);
		CHECK_EQ(all[1].target, 12);
	}
	store_quotas_free(all, n);

	h.date = D(2024, 4, 29);
	h.name = "Nghỉ bù";
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 0);
	h.name = "Nghỉ bù 30/4";
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 1);
	h.workday = 1;
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 1);
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 0);
	h.date = D(2024, 1, 1);
	h.workday = 0;
	h.name = NULL;
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	CHECK_EQ(store_holiday_put(s, &h, &ch), KN_OK);
	CHECK_EQ(ch, 0);
	CHECK_EQ(store_holiday_all(s, &hs, &n), KN_OK);
	CHECK_EQ(n, 2);
	if (n == 2) {
		CHECK_EQ(hs[0].date, D(2024, 1, 1));
		CHECK(hs[0].name == NULL);
		CHECK_EQ(hs[0].workday, 0);
		CHECK_EQ(hs[1].date, D(2024, 4, 29));
		CHECK_EQ(hs[1].workday, 1);
		CHECK_STR(hs[1].name, "Nghỉ bù 30/4");
	}
	holidays_free(hs, n);
}

static int found_ref(const struct person *p, size_t n, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].ref, ref) == 0)
			return 1;
	return 0;
}

static void test_person_find(struct store *s)
{
	static const struct {
		const char *ref, *search;
	} people[] = {
		{ "F1", "tran 100% dat" },
		{ "F2", "tran 1000 dat" },	/* would match "100%" if % were a wildcard */
		{ "F3", "le_thi hoa" },
		{ "F4", "lexthi hoa" },		/* would match "le_thi" if _ were a wildcard */
		{ "F5", "dang a\\b" },
		{ "F6", "dang ab" },
	};
	struct person *r;
	size_t n;
	int ch;

	for (size_t i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		struct person p = fx_person_of(people[i].ref, people[i].search, "P-G1-C1");
		CHECK_EQ(store_person_put(s, &p, people[i].search, &ch), KN_OK);
	}
	CHECK_EQ(store_person_find(s, "100%", &r, &n), KN_OK);
	CHECK_EQ(n, 1);
	CHECK(found_ref(r, n, "F1"));
	store_people_free(r, n);

	CHECK_EQ(store_person_find(s, "%", &r, &n), KN_OK);
	CHECK_EQ(n, 1);
	CHECK(found_ref(r, n, "F1"));
	store_people_free(r, n);

	CHECK_EQ(store_person_find(s, "le_thi", &r, &n), KN_OK);
	CHECK_EQ(n, 1);
	CHECK(found_ref(r, n, "F3"));
	store_people_free(r, n);

	CHECK_EQ(store_person_find(s, "_", &r, &n), KN_OK);
	CHECK_EQ(n, 1);
	CHECK(found_ref(r, n, "F3"));
	store_people_free(r, n);

	CHECK_EQ(store_person_find(s, "a\\b", &r, &n), KN_OK);
	CHECK_EQ(n, 1);
	CHECK(found_ref(r, n, "F5"));
	store_people_free(r, n);

	/* Plain text still matches as a substring. */
	CHECK_EQ(store_person_find(s, "tran 10", &r, &n), KN_OK);
	CHECK_EQ(n, 2);
	CHECK(found_ref(r, n, "F1"));
	CHECK(found_ref(r, n, "F2"));
	store_people_free(r, n);

	CHECK_EQ(store_person_find(s, "van an", &r, &n), KN_OK);
	CHECK_EQ(n, 1);
	CHECK(found_ref(r, n, "X001"));
	store_people_free(r, n);

	CHECK_EQ(store_person_find(s, "nobody", &r, &n), KN_OK);
	CHECK_EQ(n, 0);
	store_people_free(r, n);
}

static void test_candidacy(struct store *s)
{
	int64_t pid = fx_person_id(s, "X001"), cid = -1, cid2 = -1, sid = -1, ver = -1;
	struct candidacy *c;
	size_t nc;
	struct step st;

	CHECK(pid > 0);
	CHECK_EQ(store_candidacy_new(s, pid, "P-G1-C1", &cid), KN_OK);
	CHECK(cid > 0);
	CHECK_EQ(store_candidacy_version(s, cid, &ver), KN_OK);
	CHECK_EQ(ver, 0);
	CHECK_EQ(store_candidacy_version(s, 999999, &ver), KN_ENOTFOUND);

	st = fx_step_of(STEP_SOURCE, D(2023, 1, 10));
	st.org = "youth_union";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_SOURCE, 1, 0, &sid), KN_OK);
	CHECK(sid > 0);
	CHECK_EQ(store_candidacy_version(s, cid, &ver), KN_OK);
	CHECK_EQ(ver, 1);

	st = fx_step_of(STEP_MENTOR, D(2023, 1, 15));
	st.member = "M001";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_SOURCE, 1, 1, NULL), KN_OK);

	st = fx_step_of(STEP_TRAINED, D(2023, 3, 1));
	st.doc_no = "CN-0001";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_TRAINED, 1, -1, NULL), KN_OK);
	CHECK_EQ(store_candidacy_version(s, cid, &ver), KN_OK);
	CHECK_EQ(ver, 3);

	/* A stale version: refused, nothing written, nothing moved. */
	st = fx_step_of(STEP_APPLIED, D(2023, 4, 1));
	CHECK_EQ(store_step_add(s, cid, &st, STEP_APPLIED, 1, 1, NULL), KN_ECONFLICT);
	CHECK_EQ(store_candidacy_version(s, cid, &ver), KN_OK);
	CHECK_EQ(ver, 3);
	CHECK_EQ(fx_step_count(s, pid), 3);

	/* A step for a candidacy that does not exist. */
	CHECK(store_step_add(s, 999999, &st, STEP_APPLIED, 1, -1, NULL) != KN_OK);

	/* One open candidacy per person. */
	CHECK_EQ(store_candidacy_new(s, pid, "P-G1-C1", &cid2), KN_ECONFLICT);

	CHECK_EQ(store_candidacies_of(s, pid, &c, &nc), KN_OK);
	CHECK_EQ(nc, 1);
	if (nc == 1) {
		CHECK_EQ(c[0].id, cid);
		CHECK_EQ(c[0].person_id, pid);
		CHECK_EQ(c[0].stage, STEP_TRAINED);
		CHECK_EQ(c[0].open, 1);
		CHECK_EQ(c[0].nsteps, 3);
	}
	if (nc == 1 && c[0].nsteps == 3) {
		struct step *x = c[0].steps;
		CHECK_EQ(x[0].id, sid);
		CHECK_EQ(x[0].code, STEP_SOURCE);
		CHECK_EQ(x[0].date, D(2023, 1, 10));
		CHECK_STR(x[0].org, "youth_union");
		CHECK_EQ(x[0].votes_for, -1);
		CHECK_EQ(x[0].votes_total, -1);
		CHECK_EQ(x[0].intro1_since, KN_DATE_NONE);
		CHECK(x[0].doc_no == NULL);
		CHECK_STR(x[0].recorded_by, "tester");
		CHECK(x[0].recorded_at != NULL && strlen(x[0].recorded_at) == 20);
		CHECK_EQ(x[1].code, STEP_MENTOR);
		CHECK_STR(x[1].member, "M001");
		CHECK_EQ(x[2].code, STEP_TRAINED);
		CHECK_STR(x[2].doc_no, "CN-0001");
	}
	store_candidacies_free(c, nc);

	/* A step's facts replaced (the importer's re-run). */
	st = fx_step_of(STEP_SOURCE, D(2023, 1, 11));
	st.org = "cell";
	st.note = "sửa ngày";
	CHECK_EQ(store_step_update(s, sid, &st), KN_OK);
	CHECK_EQ(store_candidacies_of(s, pid, &c, &nc), KN_OK);
	if (nc == 1 && c[0].nsteps == 3) {
		CHECK_EQ(c[0].steps[0].date, D(2023, 1, 11));
		CHECK_STR(c[0].steps[0].org, "cell");
		CHECK_STR(c[0].steps[0].note, "sửa ngày");
		CHECK_EQ(c[0].steps[0].code, STEP_SOURCE);
	}
	store_candidacies_free(c, nc);

	/* Once closed, a new candidacy may open. */
	st = fx_step_of(STEP_WITHDRAWN, D(2023, 5, 1));
	st.note = "chuyển công tác";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_WITHDRAWN, 0, 3, NULL), KN_OK);
	CHECK_EQ(store_candidacy_new(s, pid, "P-G1-C1", &cid2), KN_OK);
	CHECK(cid2 > cid);
	st = fx_step_of(STEP_SOURCE, D(2024, 1, 8));
	st.org = "trade_union";
	CHECK_EQ(store_step_add(s, cid2, &st, STEP_SOURCE, 1, 0, NULL), KN_OK);
	CHECK_EQ(store_candidacies_of(s, pid, &c, &nc), KN_OK);
	CHECK_EQ(nc, 2);
	if (nc == 2) {
		CHECK_EQ(c[0].id, cid);
		CHECK_EQ(c[0].open, 0);
		CHECK_EQ(c[0].stage, STEP_WITHDRAWN);
		CHECK_EQ(c[0].nsteps, 4);
		CHECK_EQ(c[1].id, cid2);
		CHECK_EQ(c[1].open, 1);
		CHECK_EQ(c[1].nsteps, 1);
	}
	store_candidacies_free(c, nc);
	/* Still only one open. */
	CHECK_EQ(store_candidacy_new(s, pid, "P-G1-C1", &cid), KN_ECONFLICT);
}

static void test_transactions(struct store *s)
{
	struct unit u;
	int ch;

	/* Nested begin/commit: only the outer commit writes, both rows stay. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("T1", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	u = fx_unit_of("T2", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(unit_exists(s, "T1"), 1);
	CHECK_EQ(unit_exists(s, "T2"), 1);

	/* An inner rollback takes the whole transaction with it, including
	 * the writes before the inner begin and after the inner rollback. */
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("T3", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("T4", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	store_rollback(s);
	u = fx_unit_of("T5", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK(store_commit(s) != KN_OK);
	CHECK_EQ(unit_exists(s, "T3"), 0);
	CHECK_EQ(unit_exists(s, "T4"), 0);
	CHECK_EQ(unit_exists(s, "T5"), 0);

	/* An outer rollback. */
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("T6", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	store_rollback(s);
	CHECK_EQ(unit_exists(s, "T6"), 0);

	/* And the store is usable again afterwards. */
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("T7", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(unit_exists(s, "T7"), 1);
	/* Unbalanced commit/rollback outside a transaction are harmless. */
	CHECK_EQ(store_commit(s), KN_OK);
	store_rollback(s);
	CHECK_EQ(unit_exists(s, "T7"), 1);
}

static int collect(void *arg, const char *ref, const struct step *st)
{
	struct buf *b = arg;
	char iso[11];
	date_format_iso(st->date, iso);
	buf_addf(b, "%s:%s:%s", ref, step_name(st->code), iso);
	if (st->code == STEP_MENTOR && st->date == D(2022, 3, 10))
		buf_addf(b, ":%s", st->member);	/* the two of one day */
	buf_addc(b, '\n');
	return 0;
}

static int stop_after_two(void *arg, const char *ref, const struct step *st)
{
	int *n = arg;
	return ++*n >= 2;
}

static void test_step_each(struct store *s)
{
	struct person p = fx_person_of("A000", "Phạm Văn A", "P-G1-C1");
	struct buf b = BUF_INIT;
	struct step st;
	int64_t cid = -1;
	int ch, n = 0;

	/* A000 sorts before X001 although it is added later. */
	CHECK_EQ(store_person_put(s, &p, "pham van a", &ch), KN_OK);
	CHECK_EQ(store_candidacy_new(s, fx_person_id(s, "A000"), "P-G1-C1", &cid), KN_OK);
	st = fx_step_of(STEP_SOURCE, D(2022, 2, 1));
	st.org = "cell";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_SOURCE, 1, -1, NULL), KN_OK);
	/* The canonical order within a candidacy: date, then pipeline
	 * order, then recorded id; not the recorded order. */
	st = fx_step_of(STEP_MENTOR, D(2022, 3, 1));
	st.member = "M001";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_SOURCE, 1, -1, NULL), KN_OK);
	st = fx_step_of(STEP_MENTOR, D(2022, 2, 15));
	st.member = "M001";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_SOURCE, 1, -1, NULL), KN_OK);
	st = fx_step_of(STEP_TRAINED, D(2022, 3, 10));
	st.doc_no = "CN-1";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_TRAINED, 1, -1, NULL), KN_OK);
	st = fx_step_of(STEP_MENTOR, D(2022, 3, 10));	/* same day, recorded after */
	st.member = "X001";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_TRAINED, 1, -1, NULL), KN_OK);
	st = fx_step_of(STEP_MENTOR, D(2022, 3, 10));	/* a second one: by id */
	st.member = "M001";
	CHECK_EQ(store_step_add(s, cid, &st, STEP_TRAINED, 1, -1, NULL), KN_OK);

	CHECK_EQ(store_step_each(s, collect, &b), KN_OK);
	CHECK_STR(b.s,
		  "A000:source:2022-02-01\n"
		  "A000:mentor:2022-02-15\n"
		  "A000:mentor:2022-03-01\n"
		  "A000:mentor:2022-03-10:X001\n"
		  "A000:mentor:2022-03-10:M001\n"
		  "A000:trained:2022-03-10\n"
		  "X001:source:2023-01-11\n"
		  "X001:mentor:2023-01-15\n"
		  "X001:trained:2023-03-01\n"
		  "X001:withdrawn:2023-05-01\n"
		  "X001:source:2024-01-08\n");
	buf_release(&b);

	CHECK_EQ(store_step_each(s, stop_after_two, &n), KN_OK);
	CHECK_EQ(n, 2);
}

static void test_policy(struct store *s)
{
	size_t ndef, n;
	const struct policy_row *def = policy_default_rows(&ndef);
	struct policy_row *rows, extra = { "age.max_years", 0, "65" };

	CHECK_EQ(store_policy_all(s, &rows, &n), KN_OK);
	CHECK_EQ(n, 0);
	store_policy_free(rows, n);
	for (size_t i = 0; i < ndef; i++)
		CHECK_EQ(store_policy_put(s, &def[i]), KN_OK);
	/* Putting them again replaces, not duplicates. */
	for (size_t i = 0; i < ndef; i++)
		CHECK_EQ(store_policy_put(s, &def[i]), KN_OK);
	extra.from = D(2030, 1, 1);
	CHECK_EQ(store_policy_put(s, &extra), KN_OK);

	CHECK_EQ(store_policy_all(s, &rows, &n), KN_OK);
	CHECK_EQ(n, ndef + 1);
	/* Ordered by key, then from ('' first). */
	if (n == ndef + 1) {
		CHECK_STR(rows[0].key, "age.max_years");
		CHECK_EQ(rows[0].from, KN_DATE_NONE);
		CHECK_STR(rows[0].value, "60");
		CHECK_STR(rows[1].key, "age.max_years");
		CHECK_EQ(rows[1].from, D(2030, 1, 1));
		CHECK_STR(rows[1].value, "65");
		CHECK_STR(rows[2].key, "age.min_years");
		CHECK_STR(rows[2].value, "18");
	}
	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(rows[i].key, "committee.vote_fraction") == 0) {
			CHECK_EQ(rows[i].from, KN_DATE_NONE);
			CHECK_STR(rows[i].value, ">1/2");
			CHECK_STR(rows[i + 1].key, "committee.vote_fraction");
			CHECK_EQ(rows[i + 1].from, D(2021, 7, 30));
			CHECK_STR(rows[i + 1].value, ">=2/3");
			break;
		}
	/* Every default row comes back as it went in. */
	for (size_t i = 0; i < ndef; i++) {
		int found = 0;
		for (size_t j = 0; j < n; j++)
			if (strcmp(rows[j].key, def[i].key) == 0 && rows[j].from == def[i].from &&
			    strcmp(rows[j].value, def[i].value) == 0)
				found = 1;
		CHECK(found);
	}
	store_policy_free(rows, n);

	extra.value = "62";
	CHECK_EQ(store_policy_put(s, &extra), KN_OK);
	CHECK_EQ(store_policy_all(s, &rows, &n), KN_OK);
	CHECK_EQ(n, ndef + 1);
	if (n > 1)
		CHECK_STR(rows[1].value, "62");
	store_policy_free(rows, n);
}

static void test_audit(struct store *s)
{
	long long n = -1;
	CHECK_EQ(store_audit_count(s, &n), KN_OK);
	CHECK_EQ(n, 0);
	CHECK_EQ(store_audit(s, "admin", "insert", "unit", "P", NULL, "code=P"), KN_OK);
	CHECK_EQ(store_audit(s, NULL, "update", "unit", "P", "name=a", "name=b"), KN_OK);
	CHECK_EQ(store_audit_count(s, &n), KN_OK);
	CHECK_EQ(n, 2);
	/* Inside a rolled-back transaction, nothing stays. */
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_audit(s, "admin", "step", "candidacy", "X001", NULL, "x"), KN_OK);
	store_rollback(s);
	CHECK_EQ(store_audit_count(s, &n), KN_OK);
	CHECK_EQ(n, 2);
}

/* ---- verify: the audit hash chain ---- */

/* The format of store.h, against hashes computed by Python's hashlib
 * (blake2b, digest_size=32) from the same bytes. */
static void test_audit_hash_known(void)
{
	struct audit_entry a = { 1, "2026-01-15T08:00:00Z", "admin", "insert", "unit", "CT", NULL,
				 "code=CT name=Cần Thơ" };
	struct audit_entry b = { 2, "2026-01-15T08:00:01Z", "", "update", "unit", "CT", "", NULL };
	char h1[STORE_HASH_HEX], h2[STORE_HASH_HEX];
	store_audit_hash(store_audit_genesis, &a, h1);
	CHECK_STR(h1, "03f4e3fbff29bb0d8a94800d00a1af88a3715c03b90e72bc8e738cc5c9e2af69");
	store_audit_hash(h1, &b, h2);
	CHECK_STR(h2, "db99d068f63e8d66a2e5ff391bc4cad035a3eb8036365d41b8d09cb3a399eef0");
	/* NULL and "" differ. */
	b.after = "";
	store_audit_hash(h1, &b, h2);
	CHECK(strcmp(h2, "db99d068f63e8d66a2e5ff391bc4cad035a3eb8036365d41b8d09cb3a399eef0") != 0);
}

struct chain_walk {
	char prev[STORE_HASH_HEX];
	int64_t last;
	long long n, bad;
};

static int chain_row(void *arg, const struct audit_entry *a, const char *hash)
{
	struct chain_walk *w = arg;
	char want[STORE_HASH_HEX];
	store_audit_hash(w->prev, a, want);
	if (!hash || strcmp(hash, want) != 0)
		w->bad++;
	snprintf(w->prev, sizeof(w->prev), "%s", hash ? hash : "");
	w->last = a->id;
	w->n++;
	return 0;
}

/* Every entry chains onto the one before it and the head is the last;
 * entries of a transaction rolled back, at the top or inside, leave the
 * head where it was; entries of nested transactions chain in order. */
static void test_audit_chain(struct store *s)
{
	struct chain_walk w;
	struct audit_head h0, h;

	test_audit_hash_known();
	CHECK_EQ(store_audit_head(s, &h0), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_audit(s, "admin", "step", "candidacy", "X001", NULL, "gone"), KN_OK);
	store_rollback(s);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_audit(s, "admin", "step", "candidacy", "X001", NULL, "gone too"), KN_OK);
	store_rollback(s);
	CHECK(store_commit(s) != KN_OK);	/* an inner rollback fails the whole */
	CHECK_EQ(store_audit_head(s, &h), KN_OK);
	CHECK_EQ(h.id, h0.id);
	CHECK_EQ(h.n, h0.n);
	CHECK_STR(h.hash, h0.hash);

	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_audit(s, "a", "x", "unit", "P", NULL, "one"), KN_OK);
	CHECK_EQ(store_begin(s), KN_OK);
	CHECK_EQ(store_audit(s, "a", "x", "unit", "P", "one", "two"), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(store_audit(s, "a", "x", "unit", "P", "two", NULL), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);

	memset(&w, 0, sizeof(w));
	snprintf(w.prev, sizeof(w.prev), "%s", store_audit_genesis);
	CHECK_EQ(store_audit_each(s, chain_row, &w), KN_OK);
	CHECK_EQ(w.bad, 0);
	CHECK_EQ(w.n, h0.n + 3);
	CHECK_EQ(store_audit_head(s, &h), KN_OK);
	CHECK_EQ(h.n, h0.n + 3);
	CHECK_EQ(h.id, w.last);
	CHECK_STR(h.hash, w.prev);
}

/* Two connections to one file, as the web server and a command have: a
 * write by one must be visible to the other's next read, and the other
 * must be able to write after it. A statement left stepped after a
 * single-row read (store_audit_count, store_person_get, store_unit_get
 * …) keeps a read transaction open: the connection then reads a stale
 * snapshot and its BEGIN IMMEDIATE fails at once with SQLITE_BUSY_SNAPSHOT
 * ("database is locked") instead of queueing. */
static void test_second_connection_sees_writes(struct store *a)
{
	struct store *b = NULL;
	struct buf err = BUF_INIT;
	struct unit u, got;
	long long n;
	int ch;

	CHECK_EQ(store_open(fx.url, 0, &b, &err), KN_OK);
	buf_release(&err);
	if (!b)
		return;
	CHECK_EQ(store_audit_count(a, &n), KN_OK);	/* a single-row read on a */
	u = fx_unit_of("CONC1", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(b, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	memset(&got, 0, sizeof(got));
	CHECK_EQ(store_unit_get(a, "CONC1", &got), KN_OK);	/* sees b's write */
	unit_release(&got);
	CHECK_EQ(store_begin(a), KN_OK);
	u = fx_unit_of("CONC2", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(a, &u, &ch), KN_OK);
	CHECK_EQ(store_commit(a), KN_OK);
	CHECK_EQ(unit_exists(b, "CONC2"), 1);
	store_close(b);
}

static void test_backup(struct store *s)
{
	char p[160];
	struct store *b = NULL;
	struct buf err = BUF_INIT;
	struct unit *u1, *u2;
	struct person *p1, *p2;
	size_t nu1, nu2, np1, np2;
	long long a1 = -1, a2 = -2;
	struct buf s1 = BUF_INIT, s2 = BUF_INIT;

	fx_path(&fx, "backup.db", p, sizeof(p));
	CHECK_EQ(store_backup(s, p), KN_OK);
	if (fx.pg) {
		/* pg_dump's custom format: restored with pg_restore, not opened. */
		char magic[6] = { 0 };
		FILE *f = fopen(p, "rb");
		CHECK(f != NULL);
		if (f) {
			CHECK_EQ(fread(magic, 1, 5, f), 5);
			fclose(f);
		}
		CHECK_STR(magic, "PGDMP");
		return;
	}
	CHECK_EQ(store_open(p, 0, &b, &err), KN_OK);
	buf_release(&err);
	if (!b)
		return;
	CHECK_EQ(store_schema_version(b), store_latest_version());
	CHECK_EQ(store_unit_all(s, &u1, &nu1), KN_OK);
	CHECK_EQ(store_unit_all(b, &u2, &nu2), KN_OK);
	CHECK_EQ(nu2, nu1);
	CHECK(nu1 >= 5);
	for (size_t i = 0; i < nu1 && i < nu2; i++)
		CHECK_STR(u2[i].code, u1[i].code);
	store_units_free(u1, nu1);
	store_units_free(u2, nu2);
	CHECK_EQ(store_person_all(s, &p1, &np1), KN_OK);
	CHECK_EQ(store_person_all(b, &p2, &np2), KN_OK);
	CHECK_EQ(np2, np1);
	CHECK(np1 >= 8);
	for (size_t i = 0; i < np1 && i < np2; i++) {
		CHECK_STR(p2[i].ref, p1[i].ref);
		CHECK_STR(p2[i].full_name, p1[i].full_name);
	}
	store_people_free(p1, np1);
	store_people_free(p2, np2);
	CHECK_EQ(store_audit_count(s, &a1), KN_OK);
	CHECK_EQ(store_audit_count(b, &a2), KN_OK);
	CHECK_EQ(a2, a1);
	CHECK_EQ(store_step_each(s, collect, &s1), KN_OK);
	CHECK_EQ(store_step_each(b, collect, &s2), KN_OK);
	CHECK(s1.len > 0);
	CHECK_STR(s2.s, s1.s);
	buf_release(&s1);
	buf_release(&s2);
	store_close(b);
}

/* PostgreSQL: a connection dropped between transactions (a server
 * restart, an idle timeout) is reset once and the statement runs again;
 * dropped inside a transaction, the transaction fails as a whole and the
 * store works again afterwards. */
static void drop_other_connections(void)
{
	PGconn *c = PQconnectdb(fx.url);
	PGresult *r = PQexec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
			     "WHERE datname = current_database() AND pid <> pg_backend_pid()");
	CHECK_EQ(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	PQfinish(c);
	usleep(100 * 1000);	/* let the backends go */
}

static void test_reconnect_pg(struct store *s)
{
	struct unit u;
	int ch;

	if (!fx.pg)
		return;
	drop_other_connections();
	CHECK_EQ(unit_exists(s, "P"), 1);	/* reset, then run again */
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("RECONN1", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	drop_other_connections();
	u = fx_unit_of("RECONN2", "P", UNIT_UPPER, 0);
	CHECK(store_unit_put(s, &u, &ch) != KN_OK);	/* never retried inside */
	CHECK(store_commit(s) != KN_OK);
	CHECK_EQ(unit_exists(s, "RECONN1"), 0);
	CHECK_EQ(unit_exists(s, "RECONN2"), 0);
	CHECK_EQ(store_begin(s), KN_OK);
	u = fx_unit_of("RECONN3", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
	CHECK_EQ(store_commit(s), KN_OK);
	CHECK_EQ(unit_exists(s, "RECONN3"), 1);
}

/* store_copy: every table into a fresh SQLite file (from SQLite or from
 * PostgreSQL), then the copy reads back the same; copying again into a
 * database that has rows is refused. */
static int collect_audit(struct store *s, struct buf *b)
{
	struct audit_entry *a;
	size_t n;
	if (store_audit_list(s, NULL, NULL, NULL, 0, -1, &a, &n) != KN_OK)
		return -1;
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%lld|%s|%s|%s|%s|%s|%s|%s\n", (long long)a[i].id, a[i].at, a[i].actor,
			 a[i].action, a[i].entity, a[i].key, a[i].before ? a[i].before : "-",
			 a[i].after ? a[i].after : "-");
	store_audit_free(a, n);
	return (int)n;
}

static void test_copy(struct store *s)
{
	char p[160];
	struct store *c = NULL, *failed = NULL;
	struct buf err = BUF_INIT, s1 = BUF_INIT, s2 = BUF_INIT;
	long long rows = -1;
	int from, to;
	int64_t v1 = -1, v2 = -2, cid = -1;
	struct unit u;
	int ch;

	fx_path(&fx, "copy.db", p, sizeof(p));
	CHECK_EQ(store_open(p, 1, &c, &err), KN_OK);
	buf_release(&err);
	if (!c)
		return;
	CHECK_EQ(store_migrate(c, &from, &to), KN_OK);
	CHECK_EQ(store_copy(s, c, &rows, &failed), KN_OK);
	CHECK(rows > 50);
	CHECK_EQ(store_step_each(s, collect, &s1), KN_OK);
	CHECK_EQ(store_step_each(c, collect, &s2), KN_OK);
	CHECK(s1.len > 0);
	CHECK_STR(s2.s, s1.s);
	buf_reset(&s1);
	buf_reset(&s2);
	CHECK(collect_audit(s, &s1) > 0);
	CHECK(collect_audit(c, &s2) > 0);
	CHECK_STR(s2.s, s1.s);
	/* Ids and versions come along; new rows get new ids. */
	{
		struct candidacy *cs;
		size_t nc;
		CHECK_EQ(store_candidacies_of(s, fx_person_id(s, "X001"), &cs, &nc), KN_OK);
		if (nc > 0) {
			cid = cs[nc - 1].id;
			CHECK_EQ(store_candidacy_version(s, cid, &v1), KN_OK);
			CHECK_EQ(store_candidacy_version(c, cid, &v2), KN_OK);
			CHECK_EQ(v2, v1);
		}
		store_candidacies_free(cs, nc);
	}
	u = fx_unit_of("AFTER-COPY", "P", UNIT_UPPER, 0);
	CHECK_EQ(store_unit_put(c, &u, &ch), KN_OK);
	CHECK_EQ(ch, 2);
	/* The target must be empty. */
	CHECK_EQ(store_copy(s, c, &rows, &failed), KN_ECONFLICT);
	buf_release(&s1);
	buf_release(&s2);
	store_close(c);
}

int main(void)
{
	if (fx_init(&fx, "store") != 0)
		return 1;
	test_open_missing();
	fx.s = test_create_migrate();
	if (fx.s) {
		struct store *s = fx.s;
		test_reopen_existing();
		test_units(s);
		test_unit_unknown_parent_refused(s);
		test_people(s);
		test_constraints(s);
		test_schema_raw();
		test_quota_holiday(s);
		test_person_find(s);
		test_candidacy(s);
		test_transactions(s);
		test_step_each(s);
		test_policy(s);
		test_audit(s);
		test_audit_chain(s);
		test_second_connection_sees_writes(s);
		test_backup(s);
		test_copy(s);
		test_reconnect_pg(s);
	}
	fx_close(&fx);	/* the store, and ketnap.db, backup.db, copy.db */
	return T_DONE();
}
