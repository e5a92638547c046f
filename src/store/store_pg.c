/*
 * store_pg.c — the PostgreSQL backend of store.h, through libpq.
 *
 * One PGconn per struct store (the web server opens one store per worker
 * thread; nothing here is shared between threads). The URL is handed to
 * libpq as it is (postgresql://…); messages name it with its password
 * blanked out. The schema is the PostgreSQL flavour of the migrations
 * (sql/pg/NNN-name.sql, embedded as kn_pg_migrations): the same tables
 * and columns, dates as ISO text, byte-order ("C") collation on what the
 * API orders, so that every export is byte-identical to SQLite's.
 *
 * Every statement is named in the table below (the same names as the
 * SQLite backend's), prepared once per connection on first use and run
 * with PQexecPrepared; parameters are always bound, as text. Transactions
 * run at READ COMMITTED: the one place where two writers can race on the
 * same row, store_step_add, moves the candidacy first with
 * `UPDATE … WHERE id = $1 AND version = $4`; the UPDATE takes the row
 * lock, a second writer waits for it and then re-checks its WHERE against
 * the committed row, finds the version moved and updates nothing —
 * KN_ECONFLICT, never a lost step. Serialization failures, deadlocks and
 * unique violations are KN_ECONFLICT too.
 *
 * Unlike SQLite, a failed statement aborts the PostgreSQL transaction it
 * is in: the store remembers it and the outermost commit then rolls back
 * and reports the failure. When the connection has dropped between
 * transactions (a server restart, an idle timeout), the next statement
 * resets it once and runs again; inside a transaction it never does,
 * since the transaction's work is gone with the connection.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/migrations.h"
#include "store/store_impl.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum qid {
	Q_UNIT_GET, Q_UNIT_ALL, Q_UNIT_INSERT, Q_UNIT_UPDATE, Q_UNIT_ID,
	Q_PERSON_GET, Q_PERSON_GET_ID, Q_PERSON_INSERT, Q_PERSON_UPDATE, Q_PERSON_FIND,
	Q_PERSON_ALL, Q_PERSON_ID,
	Q_CAND_OF, Q_STEPS_OF, Q_CAND_NEW, Q_STEP_INSERT, Q_CAND_STAGE,
	Q_STEP_UPDATE, Q_CAND_VERSION, Q_STEP_EACH,
	Q_QUOTA_GET, Q_QUOTA_PUT, Q_QUOTA_ALL,
	Q_HOLIDAY_GET, Q_HOLIDAY_PUT, Q_HOLIDAY_ALL,
	Q_POLICY_ALL, Q_POLICY_PUT,
	Q_AUDIT, Q_AUDIT_COUNT,
	Q_ADMISSIONS, Q_STEP_COUNTS, Q_PIPELINE,
	Q_USER_GET, Q_USER_INSERT, Q_USER_UPDATE, Q_USER_ALL, Q_USER_TOKEN, Q_USER_BY_TOKEN,
	Q_SESSION_NEW, Q_SESSION_GET, Q_SESSION_TOUCH, Q_SESSION_DELETE, Q_SESSION_PURGE,
	Q_LOGIN_GET, Q_LOGIN_PUT, Q_LOGIN_RESET, Q_AUDIT_LIST, Q_CAND_LIST,
	Q__COUNT
};

static const char *const names[Q__COUNT] = {
	[Q_UNIT_GET] = "unit_get", [Q_UNIT_ALL] = "unit_all", [Q_UNIT_INSERT] = "unit_insert",
	[Q_UNIT_UPDATE] = "unit_update", [Q_UNIT_ID] = "unit_id",
	[Q_PERSON_GET] = "person_get", [Q_PERSON_GET_ID] = "person_get_id",
	[Q_PERSON_INSERT] = "person_insert", [Q_PERSON_UPDATE] = "person_update",
	[Q_PERSON_FIND] = "person_find", [Q_PERSON_ALL] = "person_all", [Q_PERSON_ID] = "person_id",
	[Q_CAND_OF] = "cand_of", [Q_STEPS_OF] = "steps_of", [Q_CAND_NEW] = "cand_new",
	[Q_STEP_INSERT] = "step_insert",
	[Q_CAND_STAGE] = "cand_stage", [Q_STEP_UPDATE] = "step_update",
	[Q_CAND_VERSION] = "cand_version", [Q_STEP_EACH] = "step_each",
	[Q_QUOTA_GET] = "quota_get", [Q_QUOTA_PUT] = "quota_put", [Q_QUOTA_ALL] = "quota_all",
	[Q_HOLIDAY_GET] = "holiday_get", [Q_HOLIDAY_PUT] = "holiday_put",
	[Q_HOLIDAY_ALL] = "holiday_all", [Q_POLICY_ALL] = "policy_all",
	[Q_POLICY_PUT] = "policy_put", [Q_AUDIT] = "audit", [Q_AUDIT_COUNT] = "audit_count",
	[Q_ADMISSIONS] = "admissions", [Q_STEP_COUNTS] = "step_counts", [Q_PIPELINE] = "pipeline",
	[Q_USER_GET] = "user_get", [Q_USER_INSERT] = "user_insert", [Q_USER_UPDATE] = "user_update",
	[Q_USER_ALL] = "user_all", [Q_USER_TOKEN] = "user_token",
	[Q_USER_BY_TOKEN] = "user_by_token", [Q_SESSION_NEW] = "session_new",
	[Q_SESSION_GET] = "session_get", [Q_SESSION_TOUCH] = "session_touch",
	[Q_SESSION_DELETE] = "session_delete", [Q_SESSION_PURGE] = "session_purge",
	[Q_LOGIN_GET] = "login_get", [Q_LOGIN_PUT] = "login_put", [Q_LOGIN_RESET] = "login_reset",
	[Q_AUDIT_LIST] = "audit_list", [Q_CAND_LIST] = "cand_list",
};

#define PERSON_COLS "p.id, p.ref, p.full_name, p.sex, p.birth_date, u.code, p.ethnicity, " \
	"p.religion, p.education, p.qualification, p.occupation, p.youth_union, " \
	"p.trade_union, p.member_since, p.official_since, p.phone, p.note"
#define STEP_COLS "s.id, s.step, s.date, s.doc_no, s.org, m.ref, i1.ref, s.intro1_since, " \
	"i2.ref, s.intro2_since, s.votes_for, s.votes_total, s.consent, s.override, " \
	"s.override_by, s.note, s.recorded_by, s.recorded_at"
#define STEP_JOINS " LEFT JOIN people m ON m.id = s.member_id" \
	" LEFT JOIN people i1 ON i1.id = s.intro1_id LEFT JOIN people i2 ON i2.id = s.intro2_id"
#define USER_COLS "x.id, x.name, u.code, x.role, x.pw_hash, x.disabled, x.created_at"

/* The statements of store_sqlite.c, in PostgreSQL's dialect ($n for ?n;
 * casts where a parameter's type cannot be inferred). */
static const char *const sql[Q__COUNT] = {
	[Q_UNIT_GET] = "SELECT u.id, u.code, p.code, u.name, u.kind, u.may_admit, u.sector, "
		"u.special_area FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = $1",
	[Q_UNIT_ALL] = "SELECT u.id, u.code, p.code, u.name, u.kind, u.may_admit, u.sector, "
		"u.special_area FROM units u LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code",
	[Q_UNIT_INSERT] = "INSERT INTO units (code, parent_id, name, kind, may_admit, sector, "
		"special_area) VALUES ($1, (SELECT id FROM units WHERE code = $2), $3, $4, $5, $6, $7)",
	[Q_UNIT_UPDATE] = "UPDATE units SET parent_id = (SELECT id FROM units WHERE code = $2), "
		"name = $3, kind = $4, may_admit = $5, sector = $6, special_area = $7 WHERE code = $1",
	[Q_UNIT_ID] = "SELECT id FROM units WHERE code = $1",
	[Q_PERSON_GET] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"WHERE p.ref = $1",
	[Q_PERSON_GET_ID] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"WHERE p.id = $1",
	[Q_PERSON_INSERT] = "INSERT INTO people (ref, full_name, search_name, sex, birth_date, "
		"unit_id, ethnicity, religion, education, qualification, occupation, youth_union, "
		"trade_union, member_since, official_since, phone, note) VALUES ($1, $2, $3, $4, $5, "
		"(SELECT id FROM units WHERE code = $6), $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
	[Q_PERSON_UPDATE] = "UPDATE people SET full_name = $2, search_name = $3, sex = $4, "
		"birth_date = $5, unit_id = (SELECT id FROM units WHERE code = $6), ethnicity = $7, "
		"religion = $8, education = $9, qualification = $10, occupation = $11, "
		"youth_union = $12, trade_union = $13, member_since = $14, official_since = $15, "
		"phone = $16, note = $17 WHERE ref = $1",
	[Q_PERSON_FIND] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"WHERE p.search_name LIKE '%' || $1::text || '%' ESCAPE '\\'",
	[Q_PERSON_ALL] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"ORDER BY p.ref",
	[Q_PERSON_ID] = "SELECT id FROM people WHERE ref = $1",
	/* Two simple statements rather than one join: a database filled in
	 * one long transaction (an import, the demo) has no statistics yet,
	 * and the planner then hash-joins a sequential scan of all steps. */
	[Q_CAND_OF] = "SELECT id, person_id, stage, is_open FROM candidacies WHERE person_id = $1 "
		"ORDER BY id",
	[Q_STEPS_OF] = "SELECT " STEP_COLS " FROM steps s" STEP_JOINS
		" WHERE s.candidacy_id = $1 ORDER BY s.seq",
	[Q_CAND_NEW] = "INSERT INTO candidacies (person_id, unit_id, stage, is_open) VALUES "
		"($1, (SELECT id FROM units WHERE code = $2), 'source', 1) RETURNING id",
	[Q_STEP_INSERT] = "INSERT INTO steps (candidacy_id, seq, step, date, doc_no, org, member_id, "
		"intro1_id, intro1_since, intro2_id, intro2_since, votes_for, votes_total, consent, "
		"override, override_by, note, recorded_by, recorded_at) VALUES ($1, "
		/* the next number, read by this statement's own snapshot: taken
		 * after the candidacy's row lock was granted, so it sees the step
		 * of a writer that committed meanwhile */
		"(SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE candidacy_id = $1), $2, $3, $4, $5, "
		"(SELECT id FROM people WHERE ref = $6), (SELECT id FROM people WHERE ref = $7), $8, "
		"(SELECT id FROM people WHERE ref = $9), $10, $11, $12, $13, $14, $15, $16, $17, $18) "
		"RETURNING id",
	[Q_CAND_STAGE] = "UPDATE candidacies SET stage = $2, is_open = $3, version = version + 1 "
		"WHERE id = $1 AND ($4::bigint < 0 OR version = $4::bigint)",
	[Q_STEP_UPDATE] = "UPDATE steps SET date = $2, doc_no = $3, org = $4, "
		"member_id = (SELECT id FROM people WHERE ref = $5), "
		"intro1_id = (SELECT id FROM people WHERE ref = $6), intro1_since = $7, "
		"intro2_id = (SELECT id FROM people WHERE ref = $8), intro2_since = $9, "
		"votes_for = $10, votes_total = $11, consent = $12, override = $13, "
		"override_by = $14, note = $15 WHERE id = $1",
	/* FOR UPDATE: read inside a write transaction, the version is locked
	 * until commit, so a second writer that read the same version waits
	 * and then sees it moved (SQLite's BEGIN IMMEDIATE gives the same). */
	[Q_CAND_VERSION] = "SELECT version FROM candidacies WHERE id = $1 FOR UPDATE",
	[Q_STEP_EACH] = "SELECT p.ref, " STEP_COLS " FROM steps s JOIN candidacies c ON "
		"c.id = s.candidacy_id JOIN people p ON p.id = c.person_id" STEP_JOINS
		" ORDER BY p.ref, c.id, s.date, "
		/* the canonical order of the export (store.h): the
		 * pipeline order of model.h, then the recorded id */
		"CASE s.step WHEN 'source' THEN 1 WHEN 'mentor' THEN 2 WHEN 'trained' THEN 3 "
		"WHEN 'applied' THEN 4 WHEN 'verified' THEN 5 WHEN 'introduced' THEN 6 "
		"WHEN 'cell_vote' THEN 7 WHEN 'committee_vote' THEN 8 WHEN 'decision' THEN 9 "
		"WHEN 'ceremony' THEN 10 WHEN 'probation_vote' THEN 11 WHEN 'official' THEN 12 "
		"WHEN 'withdrawn' THEN 13 WHEN 'rejected' THEN 14 WHEN 'struck_off' THEN 15 END, s.id",
	[Q_QUOTA_GET] = "SELECT q.target FROM quotas q JOIN units u ON u.id = q.unit_id "
		"WHERE u.code = $1 AND q.year = $2 AND q.category = $3",
	[Q_QUOTA_PUT] = "INSERT INTO quotas (unit_id, year, category, target) VALUES "
		"((SELECT id FROM units WHERE code = $1), $2, $3, $4) ON CONFLICT (unit_id, year, "
		"category) DO UPDATE SET target = excluded.target",
	[Q_QUOTA_ALL] = "SELECT u.code, q.year, q.category, q.target FROM quotas q JOIN units u "
		"ON u.id = q.unit_id ORDER BY u.code, q.year, q.category",
	[Q_HOLIDAY_GET] = "SELECT workday, name FROM holidays WHERE date = $1",
	[Q_HOLIDAY_PUT] = "INSERT INTO holidays (date, workday, name) VALUES ($1, $2, $3) "
		"ON CONFLICT (date) DO UPDATE SET workday = excluded.workday, name = excluded.name",
	[Q_HOLIDAY_ALL] = "SELECT date, workday, name FROM holidays ORDER BY date",
	[Q_POLICY_ALL] = "SELECT key, from_date, value FROM policy ORDER BY key, from_date",
	[Q_POLICY_PUT] = "INSERT INTO policy (key, from_date, value) VALUES ($1, $2, $3) "
		"ON CONFLICT (key, from_date) DO UPDATE SET value = excluded.value",
	[Q_AUDIT] = "INSERT INTO audit (at, actor, action, entity, key, before, after) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7)",
	[Q_AUDIT_COUNT] = "SELECT COUNT(*) FROM audit",
	[Q_USER_GET] = "SELECT " USER_COLS " FROM users x JOIN units u ON u.id = x.unit_id "
		"WHERE x.name = $1",
	[Q_USER_INSERT] = "INSERT INTO users (name, unit_id, role, pw_hash, disabled, created_at) "
		"VALUES ($1, (SELECT id FROM units WHERE code = $2), $3, $4, $5, $6)",
	[Q_USER_UPDATE] = "UPDATE users SET unit_id = (SELECT id FROM units WHERE code = $2), "
		"role = $3, pw_hash = $4, disabled = $5 WHERE name = $1",
	[Q_USER_ALL] = "SELECT " USER_COLS " FROM users x JOIN units u ON u.id = x.unit_id "
		"ORDER BY x.name",
	[Q_USER_TOKEN] = "UPDATE users SET token_hash = $2 WHERE name = $1",
	[Q_USER_BY_TOKEN] = "SELECT " USER_COLS " FROM users x JOIN units u ON u.id = x.unit_id "
		"WHERE x.token_hash = $1",
	[Q_SESSION_NEW] = "INSERT INTO sessions (token_hash, user_id, csrf, created, last_seen) "
		"VALUES ($1, (SELECT id FROM users WHERE name = $2), $3, $4, $5)",
	[Q_SESSION_GET] = "SELECT x.token_hash, u.name, x.csrf, x.created, x.last_seen FROM sessions x "
		"JOIN users u ON u.id = x.user_id WHERE x.token_hash = $1",
	[Q_SESSION_TOUCH] = "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
	[Q_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
	[Q_SESSION_PURGE] = "DELETE FROM sessions WHERE last_seen < $1",
	[Q_LOGIN_GET] = "SELECT count, first_at FROM login_failures WHERE key = $1",
	[Q_LOGIN_PUT] = "INSERT INTO login_failures (key, count, first_at) VALUES ($1, $2, $3) "
		"ON CONFLICT (key) DO UPDATE SET count = excluded.count, first_at = excluded.first_at",
	[Q_LOGIN_RESET] = "DELETE FROM login_failures WHERE key = $1",
	[Q_AUDIT_LIST] = "SELECT id, at, actor, action, entity, key, before, after FROM audit "
		"WHERE ($1::text IS NULL OR actor = $1::text) AND ($2::text IS NULL OR entity = $2::text) "
		"AND ($3::text IS NULL OR starts_with(key, $3::text)) "
		"ORDER BY id DESC LIMIT $5::bigint OFFSET $4::bigint",
	/* Each person's latest candidacy with what the candidates page shows
	 * (store_candidacy_list). */
	[Q_CAND_LIST] = "SELECT c.id, p.ref, p.full_name, u.code, c.stage, c.is_open, "
		"(SELECT MAX(date) FROM steps x WHERE x.candidacy_id = c.id), "
		"(SELECT MIN(date) FROM steps d WHERE d.candidacy_id = c.id AND d.step = 'decision'), "
		"p.sex, p.birth_date, p.ethnicity, p.religion, p.youth_union, p.occupation, "
		"p.qualification FROM candidacies c JOIN people p ON p.id = c.person_id "
		"JOIN units u ON u.id = c.unit_id WHERE NOT EXISTS (SELECT 1 FROM candidacies l "
		"WHERE l.person_id = c.person_id AND l.id > c.id) "
		"AND ($1::text IS NULL OR p.search_name LIKE '%' || $1::text || '%' ESCAPE '\\')",
	[Q_ADMISSIONS] = "SELECT u.code, s.date, p.sex, p.birth_date, p.ethnicity, p.religion, "
		"p.youth_union, p.occupation, p.qualification FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id "
		"JOIN units u ON u.id = c.unit_id "
		"WHERE s.step = 'decision' AND s.date BETWEEN $1 AND $2",
	[Q_STEP_COUNTS] = "SELECT u.code, s.step, COUNT(DISTINCT s.candidacy_id) FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id JOIN units u ON u.id = c.unit_id "
		"WHERE s.date BETWEEN $1 AND $2 GROUP BY u.code, s.step",
	/* Candidacies open on as_of: source on or before it, and either still
	 * open or closed by a step dated after it. */
	[Q_PIPELINE] = "SELECT c.id, p.ref, p.full_name, u.code, " STEP_COLS " FROM candidacies c "
		"JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id "
		"JOIN steps s ON s.candidacy_id = c.id" STEP_JOINS
		" WHERE EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 "
		"AND x.date <= $1) AND (c.is_open = 1 OR EXISTS (SELECT 1 FROM steps y "
		"WHERE y.candidacy_id = c.id AND y.date > $1)) ORDER BY c.id, s.seq",
};

#define MAX_TABLES 32

/* The verify section's statements (the audit chain, the iterators of
 * `ketnap verify`), kept apart from the table above. */
enum vstmt_id {
	V_HEAD_GET, V_HEAD_LOCK, V_HEAD_INIT, V_HEAD_SET, V_AUDIT_INSERT, V_AUDIT_EACH,
	V_AUDIT_BATCH, V_AUDIT_SET_HASH, V_UNIT_LINKS, V_CAND_EACH,
	V__COUNT
};

struct pg {
	struct store base;	/* first: a struct pg is a struct store */
	PGconn *conn;
	char *url;		/* as given, for pg_dump */
	char *safe_url;		/* password blanked, for messages */
	unsigned char prepared[Q__COUNT];
	unsigned char raw_prepared[MAX_TABLES][2];	/* [table][0 get, 1 put] */
	long long written;	/* rows inserted, updated or deleted on this connection */
	long long next_analyze;	/* ANALYZE once `written` reaches this */
	unsigned char vprepared[V__COUNT];	/* the verify section's statements */
	unsigned char tprep[S__COUNT];	/* the statement table's, prepared */
};

/* Parameters of one statement, as text (NULL for SQL NULL). */
struct params {
	int n;
	const char *v[24];
	char num[24][24];
};

static void p_text(struct params *p, const char *t)
{
	p->v[p->n++] = t;
}

static void p_int(struct params *p, long long x)
{
	snprintf(p->num[p->n], sizeof(p->num[p->n]), "%lld", x);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

static void p_date(struct params *p, kn_date d)
{
	if (d == KN_DATE_NONE) {
		p->v[p->n++] = NULL;
		return;
	}
	date_format_iso(d, p->num[p->n]);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

static void p_count(struct params *p, int v)
{
	if (v < 0)
		p->v[p->n++] = NULL;
	else
		p_int(p, v);
}

static char *col_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : xstrdup(PQgetvalue(r, row, col));
}

static long long col_int(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static int col_count(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? -1 : (int)strtol(PQgetvalue(r, row, col), NULL, 10);
}

static kn_date col_date(const PGresult *r, int row, int col)
{
	kn_date d;
	if (PQgetisnull(r, row, col) || date_parse(PQgetvalue(r, row, col), &d) != 0)
		return KN_DATE_NONE;
	return d;
}

static int streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void now_iso(char out[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* libpq's messages end with a newline and may span lines: one line. */
static void one_line(char *dst, size_t n, const char *src)
{
	size_t j = 0;
	int space = 0;
	for (const char *p = src ? src : ""; *p && j + 1 < n; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r') {
			space = j > 0;
			continue;
		}
		if (space) {
			dst[j++] = ' ';
			space = 0;
			if (j + 1 >= n)
				break;
		}
		dst[j++] = *p;
	}
	dst[j] = 0;
}

/* ---- errors ---- */

/* SQLSTATEs that mean "someone else got there first". */
static int is_conflict(const char *state)
{
	return state && (strcmp(state, "40001") == 0 ||	/* serialization_failure */
			 strcmp(state, "40P01") == 0 ||	/* deadlock_detected */
			 strcmp(state, "23505") == 0);	/* unique_violation */
}

static enum kn_err fail_res(struct pg *s, const char *what, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char line[400];
	if (!msg || !*msg)
		msg = PQerrorMessage(s->conn);
	one_line(line, sizeof(line), msg);
	snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%.100s: %.399s", what, line);
	if (s->base.depth > 0)
		s->base.txerr = 1;
	return is_conflict(state) ? KN_ECONFLICT : KN_EIO;
}

/* ---- connection ---- */

/* Make sure the connection is up; outside a transaction a dropped one
 * is reset (and every statement must be prepared again). */
static enum kn_err ensure_conn(struct pg *s)
{
	char line[400];
	if (PQstatus(s->conn) == CONNECTION_OK)
		return KN_OK;
	if (s->base.depth > 0) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg),
			 "the connection to %.300s was lost inside a transaction", s->safe_url);
		s->base.txerr = 1;
		return KN_EIO;
	}
	PQreset(s->conn);
	memset(s->prepared, 0, sizeof(s->prepared));
	memset(s->raw_prepared, 0, sizeof(s->raw_prepared));
	memset(s->vprepared, 0, sizeof(s->vprepared));
	memset(s->tprep, 0, sizeof(s->tprep));
	if (PQstatus(s->conn) != CONNECTION_OK) {
		one_line(line, sizeof(line), PQerrorMessage(s->conn));
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "cannot reconnect to %.200s: %.280s",
			 s->safe_url, line);
		return KN_EIO;
	}
	return KN_OK;
}

/* Did this failure come from the connection dropping (retry after a
 * reset), rather than from the statement? */
static int conn_lost(struct pg *s)
{
	return PQstatus(s->conn) == CONNECTION_BAD && s->base.depth == 0;
}

static int ok_status(const PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Run a text command (BEGIN, COMMIT, a migration script). */
static enum kn_err exec_text(struct pg *s, const char *text, const char *what)
{
	PGresult *r;
	enum kn_err e;
	for (int attempt = 0;; attempt++) {
		if ((e = ensure_conn(s)) != KN_OK)
			return e;
		r = PQexec(s->conn, text);
		if (ok_status(r)) {
			PQclear(r);
			return KN_OK;
		}
		if (attempt == 0 && conn_lost(s)) {
			PQclear(r);
			continue;
		}
		e = fail_res(s, what, r);
		PQclear(r);
		return e;
	}
}

/* Prepare (once per connection) statement `name` with text `text`. */
static enum kn_err prepare(struct pg *s, unsigned char *flag, const char *name,
			   const char *text)
{
	PGresult *r;
	enum kn_err e;
	if (*flag)
		return KN_OK;
	r = PQprepare(s->conn, name, text, 0, NULL);
	if (!ok_status(r)) {
		e = fail_res(s, "prepare", r);
		PQclear(r);
		return e;
	}
	PQclear(r);
	*flag = 1;
	return KN_OK;
}

/* A database just filled (an import, the demo, a copy) has no planner
 * statistics until autovacuum comes round, and plans made for empty
 * tables scan them whole: the next import of the same file, or the first
 * report, is then a hundred times slower. So once a thousand rows or more
 * were written since the last time, the store runs ANALYZE itself after
 * the commit (or after the write, outside a transaction). Not inside a
 * transaction: there it would hold its lock until the commit and make
 * another writer's ANALYZE wait. */
static void analyze_if_due(struct pg *s)
{
	static const char *const tables[] = { "units", "people", "candidacies", "steps" };
	if (s->base.depth > 0 || s->written < s->next_analyze)
		return;
	s->next_analyze = s->written + 1000;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		/* Never an empty table: "0 rows" is believed, and the plans made
		 * from it stay bad while the next import fills the table. */
		struct buf q = BUF_INIT;
		PGresult *r;
		buf_addf(&q, "SELECT 1 FROM %s LIMIT 1", tables[i]);
		r = PQexec(s->conn, q.s);
		if (ok_status(r) && PQntuples(r) == 1) {
			buf_reset(&q);
			buf_addf(&q, "ANALYZE %s", tables[i]);
			PQclear(PQexec(s->conn, q.s));
		}
		PQclear(r);
		buf_release(&q);
	}
}

static void count_written(struct pg *s, const PGresult *r)
{
	const char *cmd = PQcmdStatus((PGresult *)r);
	if (strncmp(cmd, "INSERT", 6) != 0 && strncmp(cmd, "UPDATE", 6) != 0 &&
	    strncmp(cmd, "DELETE", 6) != 0)
		return;
	s->written += strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
	analyze_if_due(s);
}

/* Run a prepared statement with parameters; the result (caller clears)
 * or NULL with *e set. Resets a connection dropped between transactions
 * once and tries again. */
static PGresult *run_named(struct pg *s, unsigned char *flag, const char *name,
			   const char *text, const struct params *p, const char *what,
			   enum kn_err *e)
{
	PGresult *r;
	for (int attempt = 0;; attempt++) {
		if ((*e = ensure_conn(s)) != KN_OK)
			return NULL;
		if ((*e = prepare(s, flag, name, text)) != KN_OK) {
			if (attempt == 0 && conn_lost(s))
				continue;
			return NULL;
		}
		r = PQexecPrepared(s->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
		if (ok_status(r)) {
			*e = KN_OK;
			count_written(s, r);
			return r;
		}
		if (attempt == 0 && conn_lost(s)) {
			PQclear(r);
			continue;
		}
		*e = fail_res(s, what, r);
		PQclear(r);
		return NULL;
	}
}

static PGresult *run(struct pg *s, enum qid id, const struct params *p, const char *what,
		     enum kn_err *e)
{
	return run_named(s, &s->prepared[id], names[id], sql[id], p, what, e);
}

/* A statement that returns no rows the caller needs. */
static enum kn_err run_write(struct pg *s, enum qid id, const struct params *p,
			     const char *what, long *changes)
{
	enum kn_err e;
	PGresult *r = run(s, id, p, what, &e);
	if (!r)
		return e;
	if (changes)
		*changes = strtol(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return KN_OK;
}

/* Row-by-row reading of a large result (single-row mode): fn gets each
 * row's PGresult (one row) and returns nonzero to stop; the rest of the
 * result is then read and dropped. */
typedef int (*row_fn)(void *arg, const PGresult *row);

static enum kn_err each_row(struct pg *s, unsigned char *flag, const char *name,
			    const char *text, const struct params *p, const char *what,
			    row_fn fn, void *arg)
{
	PGresult *r;
	enum kn_err e = KN_OK;
	int stop = 0, sent = 0;

	for (int attempt = 0; attempt < 2 && !sent; attempt++) {
		if ((e = ensure_conn(s)) != KN_OK)
			return e;
		if ((e = prepare(s, flag, name, text)) != KN_OK) {
			if (attempt == 0 && conn_lost(s))
				continue;
			return e;
		}
		if (PQsendQueryPrepared(s->conn, name, p ? p->n : 0, p ? p->v : NULL, NULL,
					NULL, 0)) {
			sent = 1;
		} else if (!(attempt == 0 && conn_lost(s))) {
			return fail_res(s, what, NULL);
		}
	}
	if (!sent)
		return fail_res(s, what, NULL);
	PQsetSingleRowMode(s->conn);
	while ((r = PQgetResult(s->conn))) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE) {
			if (!stop && e == KN_OK)
				stop = fn(arg, r);
		} else if (st != PGRES_TUPLES_OK && e == KN_OK) {
			e = fail_res(s, what, r);
		}
		PQclear(r);
	}
	return e;
}

/* ---- open, close ---- */

/* NOTICEs ("relation … already exists, skipping") are not for the user. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static const struct store_ops pg_ops;
static enum kn_err pg_migrate_after(struct pg *s, int version);

enum kn_err pg_open(const char *url, int create, struct store **out, struct buf *err)
{
	static const char *const keys[] = { "dbname", "client_encoding", "application_name", NULL };
	const char *vals[] = { url, "UTF8", "ketnap", NULL };
	struct buf safe = BUF_INIT;
	struct pg *s;
	char line[400];
	PGresult *r;

	*out = NULL;
	store_url_redact(url, &safe);
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &pg_ops;
	s->conn = PQconnectdbParams(keys, vals, 1);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		const char *m = s->conn ? PQerrorMessage(s->conn) : "out of memory";
		enum kn_err e = KN_EIO;
		one_line(line, sizeof(line), m);
		/* A server that answers but has no such database: like a
		 * missing SQLite file (`ketnap init` cannot create it, though:
		 * createdb does). */
		if (strstr(m, "does not exist") && strstr(m, "database \"")) {
			buf_addf(err, "cannot connect to %s: %s (create the database with createdb "
				 "first)", safe.s, line);
			if (!create)
				e = KN_ENOTFOUND;
		} else {
			buf_addf(err, "cannot connect to %s: %s", safe.s, line);
		}
		PQfinish(s->conn);
		free(s);
		buf_release(&safe);
		return e;
	}
	s->url = xstrdup(url);
	s->safe_url = buf_detach(&safe);
	s->next_analyze = 1000;
	PQsetNoticeProcessor(s->conn, quiet, NULL);
	/* The store's text is UTF-8 and its dates ISO text: nothing else of
	 * the session's settings matters. Make errors come in English so that
	 * messages are the same whatever the server's locale. */
	r = PQexec(s->conn, "SET lc_messages TO 'C'");
	PQclear(r);	/* needs superuser: harmless when refused */
	*out = &s->base;
	return KN_OK;
}

static void pg_close(struct store *base)
{
	struct pg *s = (struct pg *)base;
	if (!s)
		return;
	PQfinish(s->conn);
	free(s->url);
	free(s->safe_url);
	free(s);
}

/* ---- schema ---- */

static int pg_schema_version(struct store *base)
{
	struct pg *s = (struct pg *)base;
	PGresult *r;
	int v = 0;

	if (ensure_conn(s) != KN_OK)
		return 0;
	/* Ask first whether the table exists: an error would abort an open
	 * transaction. */
	r = PQexec(s->conn, "SELECT to_regclass('schema_migrations') IS NOT NULL");
	if (!ok_status(r) || PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		PQclear(r);
		return 0;
	}
	PQclear(r);
	r = PQexec(s->conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	if (ok_status(r) && PQntuples(r) == 1)
		v = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

static enum kn_err pg_migrate(struct store *base, int *from, int *to)
{
	struct pg *s = (struct pg *)base;
	const struct migration *m;
	enum kn_err e;
	char at[32];

	*from = pg_schema_version(base);
	*to = *from;
	for (m = kn_pg_migrations; m->version; m++) {
		if (m->version <= *to)
			continue;
		/* One migration per transaction; an advisory lock makes a second
		 * program that migrates at the same time wait, then skip. */
		if ((e = exec_text(s, "BEGIN", "migration")))
			return e;
		s->base.depth = 1;
		if ((e = exec_text(s, "SELECT pg_advisory_xact_lock(7037039375); "
				   "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
				   "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
				   "migration")))
			goto fail;
		if (pg_schema_version(base) >= m->version) {
			s->base.depth = 0;
			if ((e = exec_text(s, "COMMIT", "migration")))
				return e;
			*to = m->version;
			continue;
		}
		if ((e = exec_text(s, m->sql, m->name)) || (e = pg_migrate_after(s, m->version)))
			goto fail;
		{
			struct params p = { 0 };
			PGresult *r;
			now_iso(at);
			p_int(&p, m->version);
			p_text(&p, m->name);
			p_text(&p, at);
			r = PQexecParams(s->conn, "INSERT INTO schema_migrations VALUES ($1, $2, $3)",
					 p.n, NULL, p.v, NULL, NULL, 0);
			if (!ok_status(r)) {
				e = fail_res(s, "migration", r);
				PQclear(r);
				goto fail;
			}
			PQclear(r);
		}
		s->base.depth = 0;
		s->base.txerr = 0;
		if ((e = exec_text(s, "COMMIT", "migration")))
			return e;
		*to = m->version;
	}
	return KN_OK;
fail:
	{
		char msg[400];
		snprintf(msg, sizeof(msg), "%.399s", s->base.errmsg);
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->base.depth = 0;
		s->base.txerr = 0;
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "migration %.64s: %s", m->name, msg);
	}
	return e;
}

/* ---- transactions ---- */

static enum kn_err pg_tx_begin(struct store *base)
{
	struct pg *s = (struct pg *)base;
	s->base.txerr = 0;
	/* READ COMMITTED: see the head of the file for why it suffices. */
	return exec_text(s, "BEGIN ISOLATION LEVEL READ COMMITTED", "begin");
}

static enum kn_err pg_tx_commit(struct store *base)
{
	struct pg *s = (struct pg *)base;
	PGresult *r;
	enum kn_err e;
	if (s->base.txerr) {
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->base.txerr = 0;
		return KN_EIO;
	}
	r = PQexec(s->conn, "COMMIT");
	if (!ok_status(r)) {
		e = fail_res(s, "commit", r);
		PQclear(r);
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->base.txerr = 0;
		return e;
	}
	/* A COMMIT of an aborted transaction answers ROLLBACK. */
	if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
		PQclear(r);
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "transaction was rolled back");
		return KN_EIO;
	}
	PQclear(r);
	analyze_if_due(s);
	return KN_OK;
}

static void pg_tx_rollback(struct store *base)
{
	struct pg *s = (struct pg *)base;
	PQclear(PQexec(s->conn, "ROLLBACK"));
	s->base.txerr = 0;
}

/* ---- the driver of the statement table ---- */

/* The parameters' types, from the table's letters, so that PostgreSQL
 * needs no cast ("$1 IS NULL" of a text). */
#define PG_INT8 20
#define PG_TEXT 25

static enum kn_err pg_q_open(struct store *base, enum stmt_id id, const struct sargs *a,
			     struct srows *r)
{
	struct pg *s = (struct pg *)base;
	const struct stmt *t = &store_stmts[id];
	const char *text = t->sql_pg ? t->sql_pg : t->sql;
	const char *v[STORE_MAX_ARGS];
	char num[STORE_MAX_ARGS][24];
	enum kn_err e;
	int sent = 0;

	for (int i = 0; i < a->n; i++) {
		if (a->v[i].kind == 'i') {
			snprintf(num[i], sizeof(num[i]), "%lld", (long long)a->v[i].i);
			v[i] = num[i];
		} else {
			v[i] = a->v[i].kind == 't' ? a->v[i].t : NULL;
		}
	}
	for (int attempt = 0; attempt < 2 && !sent; attempt++) {
		if ((e = ensure_conn(s)) != KN_OK)
			return e;
		if (!s->tprep[id]) {
			Oid types[STORE_MAX_ARGS];
			int n = 0;
			for (; t->params[n]; n++)
				types[n] = t->params[n] == 'i' ? PG_INT8 : PG_TEXT;
			PGresult *p = PQprepare(s->conn, t->name, text, n, types);
			if (!ok_status(p)) {
				if (attempt == 0 && conn_lost(s)) {
					PQclear(p);
					continue;
				}
				e = fail_res(s, t->name, p);
				PQclear(p);
				return e;
			}
			PQclear(p);
			s->tprep[id] = 1;
		}
		if (t->flags & ST_STREAM) {
			if (PQsendQueryPrepared(s->conn, t->name, a->n, v, NULL, NULL, 0)) {
				PQsetSingleRowMode(s->conn);
				sent = 1;
				r->live = 2;	/* results still coming */
			} else if (!(attempt == 0 && conn_lost(s))) {
				return fail_res(s, t->name, NULL);
			}
			continue;
		}
		PGresult *res = PQexecPrepared(s->conn, t->name, a->n, v, NULL, NULL, 0);
		if (ok_status(res)) {
			count_written(s, res);
			r->h = res;
			r->nrows = PQntuples(res);
			r->row = -1;
			r->changes = strtoll(PQcmdTuples(res), NULL, 10);
			r->live = 1;
			sent = 1;
			continue;
		}
		if (attempt == 0 && conn_lost(s)) {
			PQclear(res);
			continue;
		}
		e = fail_res(s, t->name, res);
		PQclear(res);
		return e;
	}
	return sent ? KN_OK : fail_res(s, t->name, NULL);
}

static void fill_row(struct srows *r, const PGresult *res, int row)
{
	for (int i = 0; i < r->ncols; i++)
		r->col[i] = PQgetisnull(res, row, i) ? NULL : PQgetvalue(res, row, i);
}

/* Read and drop what is left of a streamed result. */
static void drain(struct pg *s, struct srows *r)
{
	PGresult *res;
	while ((res = PQgetResult(s->conn))) {
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK &&
		    r->err == KN_OK)
			r->err = fail_res(s, store_stmts[r->id].name, res);
		PQclear(res);
	}
	r->live = 0;
}

static int pg_q_next(struct srows *r)
{
	struct pg *s = (struct pg *)r->s;
	PGresult *res;
	if (r->live == 1) {
		if (++r->row < r->nrows) {
			fill_row(r, r->h, r->row);
			return 1;
		}
		return 0;
	}
	if (r->live != 2)
		return r->err ? -1 : 0;
	PQclear(r->h);
	r->h = NULL;
	res = PQgetResult(s->conn);
	if (res && PQresultStatus(res) == PGRES_SINGLE_TUPLE) {
		r->h = res;
		fill_row(r, res, 0);
		return 1;
	}
	if (res && PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
		r->err = fail_res(s, store_stmts[r->id].name, res);
	else if (res)
		count_written(s, res);
	PQclear(res);
	drain(s, r);
	return r->err ? -1 : 0;
}

static void pg_q_close(struct srows *r)
{
	struct pg *s = (struct pg *)r->s;
	PQclear(r->h);
	r->h = NULL;
	if (r->live == 2)
		drain(s, r);
	r->live = 0;
}

/* pg_dump -Fc of the database into path (restore with pg_restore). */
static enum kn_err pg_backup(struct store *base, const char *path)
{
	struct pg *s = (struct pg *)base;
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "fork: %s", strerror(errno));
		return KN_EIO;
	}
	if (pid == 0) {
		char *argv[] = { "pg_dump", "--format=custom", "--no-password", "--file",
				 (char *)path, "--dbname", s->url, NULL };
		execvp("pg_dump", argv);
		fprintf(stderr, "ketnap: cannot run pg_dump: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(s->base.errmsg, sizeof(s->base.errmsg), "waitpid: %s", strerror(errno));
			return KN_EIO;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "pg_dump of %.300s into %.150s failed (%s %d)",
			 s->safe_url, path, WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return KN_EIO;
	}
	return KN_OK;
}

/* ---- units ---- */

static void read_unit(const PGresult *r, int i, struct unit *u)
{
	memset(u, 0, sizeof(*u));
	u->id = col_int(r, i, 0);
	u->code = col_text(r, i, 1);
	u->parent = col_text(r, i, 2);
	u->name = col_text(r, i, 3);
	unit_kind_parse(PQgetvalue(r, i, 4), &u->kind);
	u->may_admit = (int)col_int(r, i, 5);
	u->sector = col_text(r, i, 6);
	u->special_area = (int)col_int(r, i, 7);
}

/* Run a statement expected to return at most one row: KN_OK with the
 * result (caller clears), KN_ENOTFOUND without, or the error. */
static enum kn_err one(struct pg *s, enum qid id, const struct params *p, const char *what,
		       PGresult **out)
{
	enum kn_err e;
	PGresult *r = run(s, id, p, what, &e);
	*out = NULL;
	if (!r)
		return e;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return KN_ENOTFOUND;
	}
	*out = r;
	return KN_OK;
}

static enum kn_err pg_unit_get(struct store *base, const char *code, struct unit *out)
{
	struct pg *s = (struct pg *)base;
	struct params p = { 0 };
	PGresult *r;
	enum kn_err e;
	p_text(&p, code);
	if ((e = one(s, Q_UNIT_GET, &p, "unit", &r)) != KN_OK)
		return e;
	read_unit(r, 0, out);
	PQclear(r);
	return KN_OK;
}

static enum kn_err pg_unit_all(struct store *base, struct unit **out, size_t *n)
{
	struct pg *s = (struct pg *)base;
	enum kn_err e;
	PGresult *r = run(s, Q_UNIT_ALL, NULL, "units", &e);
	*out = NULL;
	*n = 0;
	if (!r)
		return e;
	*n = (size_t)PQntuples(r);
	*out = xreallocarray(NULL, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		read_unit(r, (int)i, &(*out)[i]);
	PQclear(r);
	return KN_OK;
}

static int unit_same(const struct unit *a, const struct unit *b)
{
	return streq(a->parent, b->parent) && streq(a->name, b->name) && a->kind == b->kind &&
	       !a->may_admit == !b->may_admit && streq(a->sector, b->sector) &&
	       !a->special_area == !b->special_area;
}

static enum kn_err pg_unit_put(struct store *base, const struct unit *u, int *changed)
{
	struct pg *s = (struct pg *)base;
	struct unit old;
	struct params p = { 0 };
	enum kn_err e = pg_unit_get(base, u->code, &old);
	enum qid id;

	if (e != KN_OK && e != KN_ENOTFOUND)
		return e;
	if (u->parent) {
		/* An unknown parent must not silently make a new root. */
		struct params pp = { 0 };
		PGresult *r;
		enum kn_err pe;
		p_text(&pp, u->parent);
		pe = one(s, Q_UNIT_ID, &pp, "unit", &r);
		PQclear(r);
		if (pe != KN_OK) {
			if (pe == KN_ENOTFOUND)
				snprintf(s->base.errmsg, sizeof(s->base.errmsg), "no unit with code %.200s",
					 u->parent);
			if (e == KN_OK)
				unit_release(&old);
			return pe;
		}
	}
	if (e == KN_OK) {
		int same = unit_same(&old, u);
		unit_release(&old);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		id = Q_UNIT_UPDATE;
		*changed = 1;
	} else {
		id = Q_UNIT_INSERT;
		*changed = 2;
	}
	p_text(&p, u->code);
	p_text(&p, u->parent);
	p_text(&p, u->name);
	p_text(&p, unit_kind_name(u->kind));
	p_int(&p, !!u->may_admit);
	p_text(&p, u->sector);
	p_int(&p, !!u->special_area);
	return run_write(s, id, &p, "unit", NULL);
}

/* ---- people ---- */

static void read_person(const PGresult *r, int i, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = col_int(r, i, 0);
	p->ref = col_text(r, i, 1);
	p->full_name = col_text(r, i, 2);
	p->sex = PQgetisnull(r, i, 3) ? 'M' : PQgetvalue(r, i, 3)[0];
	p->birth_date = col_date(r, i, 4);
	p->unit = col_text(r, i, 5);
	p->ethnicity = col_text(r, i, 6);
	p->religion = col_text(r, i, 7);
	p->education = col_text(r, i, 8);
	p->qualification = col_text(r, i, 9);
	p->occupation = col_text(r, i, 10);
	p->youth_union = (int)col_int(r, i, 11);
	p->trade_union = (int)col_int(r, i, 12);
	p->member_since = col_date(r, i, 13);
	p->official_since = col_date(r, i, 14);
	p->phone = col_text(r, i, 15);
	p->note = col_text(r, i, 16);
}

static enum kn_err person_one(struct pg *s, enum qid id, const struct params *p,
			      struct person *out)
{
	PGresult *r;
	enum kn_err e = one(s, id, p, "person", &r);
	if (e != KN_OK)
		return e;
	read_person(r, 0, out);
	PQclear(r);
	return KN_OK;
}

static enum kn_err pg_person_get(struct store *base, const char *ref, struct person *out)
{
	struct params p = { 0 };
	p_text(&p, ref);
	return person_one((struct pg *)base, Q_PERSON_GET, &p, out);
}

static enum kn_err pg_person_get_id(struct store *base, int64_t id, struct person *out)
{
	struct params p = { 0 };
	p_int(&p, id);
	return person_one((struct pg *)base, Q_PERSON_GET_ID, &p, out);
}

static int person_same(const struct person *a, const struct person *b)
{
	return streq(a->full_name, b->full_name) && a->sex == b->sex &&
	       a->birth_date == b->birth_date && streq(a->unit, b->unit) &&
	       streq(a->ethnicity, b->ethnicity) && streq(a->religion, b->religion) &&
	       streq(a->education, b->education) && streq(a->qualification, b->qualification) &&
	       streq(a->occupation, b->occupation) && !a->youth_union == !b->youth_union &&
	       !a->trade_union == !b->trade_union && a->member_since == b->member_since &&
	       a->official_since == b->official_since && streq(a->phone, b->phone) &&
	       streq(a->note, b->note);
}

static enum kn_err pg_person_put(struct store *base, const struct person *x,
				 const char *search_name, int *changed)
{
	struct pg *s = (struct pg *)base;
	struct person old;
	struct params p = { 0 };
	enum kn_err e = pg_person_get(base, x->ref, &old);
	enum qid id;
	char sex[2] = { x->sex, 0 };

	if (e == KN_OK) {
		int same = person_same(&old, x);
		person_release(&old);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		id = Q_PERSON_UPDATE;
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		id = Q_PERSON_INSERT;
		*changed = 2;
	} else {
		return e;
	}
	p_text(&p, x->ref);
	p_text(&p, x->full_name);
	p_text(&p, search_name);
	p_text(&p, sex);
	p_date(&p, x->birth_date);
	p_text(&p, x->unit);
	p_text(&p, x->ethnicity);
	p_text(&p, x->religion);
	p_text(&p, x->education);
	p_text(&p, x->qualification);
	p_text(&p, x->occupation);
	p_int(&p, !!x->youth_union);
	p_int(&p, !!x->trade_union);
	p_date(&p, x->member_since);
	p_date(&p, x->official_since);
	p_text(&p, x->phone);
	p_text(&p, x->note);
	return run_write(s, id, &p, "person", NULL);
}

static enum kn_err person_list(struct pg *s, enum qid id, const struct params *p,
			       struct person **out, size_t *n)
{
	enum kn_err e;
	PGresult *r = run(s, id, p, "people", &e);
	*out = NULL;
	*n = 0;
	if (!r)
		return e;
	*n = (size_t)PQntuples(r);
	*out = xreallocarray(NULL, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		read_person(r, (int)i, &(*out)[i]);
	PQclear(r);
	return KN_OK;
}

static enum kn_err pg_person_find(struct store *base, const char *folded, struct person **out,
				  size_t *n)
{
	struct buf pat = BUF_INIT;
	struct params p = { 0 };
	enum kn_err e;
	/* LIKE metacharacters in the search text match themselves. */
	for (const char *c = folded; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_addc(&pat, '\\');
		buf_addc(&pat, *c);
	}
	p_text(&p, pat.s);
	e = person_list((struct pg *)base, Q_PERSON_FIND, &p, out, n);
	buf_release(&pat);
	return e;
}

static enum kn_err pg_person_all(struct store *base, struct person **out, size_t *n)
{
	return person_list((struct pg *)base, Q_PERSON_ALL, NULL, out, n);
}

/* ---- candidacies and steps ---- */

/* Columns of STEP_COLS starting at column `at`. */
static void read_step(const PGresult *r, int i, int at, struct step *x)
{
	step_init(x);
	x->id = col_int(r, i, at + 0);
	x->code = step_from_name(PQgetvalue(r, i, at + 1));
	x->date = col_date(r, i, at + 2);
	x->doc_no = col_text(r, i, at + 3);
	x->org = col_text(r, i, at + 4);
	x->member = col_text(r, i, at + 5);
	x->intro1 = col_text(r, i, at + 6);
	x->intro1_since = col_date(r, i, at + 7);
	x->intro2 = col_text(r, i, at + 8);
	x->intro2_since = col_date(r, i, at + 9);
	x->votes_for = col_count(r, i, at + 10);
	x->votes_total = col_count(r, i, at + 11);
	x->consent = col_text(r, i, at + 12);
	x->override = col_text(r, i, at + 13);
	x->override_by = col_text(r, i, at + 14);
	x->note = col_text(r, i, at + 15);
	x->recorded_by = col_text(r, i, at + 16);
	x->recorded_at = col_text(r, i, at + 17);
}

static enum kn_err pg_candidacies_of(struct store *base, int64_t person_id,
				     struct candidacy **out, size_t *n)
{
	struct pg *s = (struct pg *)base;
	struct params p = { 0 };
	enum kn_err e;
	PGresult *r;

	*out = NULL;
	*n = 0;
	p_int(&p, person_id);
	if (!(r = run(s, Q_CAND_OF, &p, "candidacies", &e)))
		return e;
	*n = (size_t)PQntuples(r);
	*out = xreallocarray(NULL, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct candidacy *c = &(*out)[i];
		memset(c, 0, sizeof(*c));
		c->id = col_int(r, (int)i, 0);
		c->person_id = col_int(r, (int)i, 1);
		c->stage = step_from_name(PQgetvalue(r, (int)i, 2));
		c->open = (int)col_int(r, (int)i, 3);
	}
	PQclear(r);
	for (size_t i = 0; i < *n; i++) {
		struct candidacy *c = &(*out)[i];
		struct params q = { 0 };
		p_int(&q, c->id);
		if (!(r = run(s, Q_STEPS_OF, &q, "steps", &e)))
			return e;
		c->nsteps = (size_t)PQntuples(r);
		c->steps = xreallocarray(NULL, c->nsteps + 1, sizeof(*c->steps));
		for (size_t j = 0; j < c->nsteps; j++)
			read_step(r, (int)j, 0, &c->steps[j]);
		PQclear(r);
	}
	return KN_OK;
}

static enum kn_err pg_candidacy_new(struct store *base, int64_t person_id, const char *unit_code,
				    int64_t *id)
{
	struct pg *s = (struct pg *)base;
	struct params p = { 0 };
	PGresult *r;
	enum kn_err e;
	p_int(&p, person_id);
	p_text(&p, unit_code);
	if ((e = one(s, Q_CAND_NEW, &p, "candidacy", &r)) != KN_OK)
		return e == KN_ENOTFOUND ? KN_EIO : e;
	*id = col_int(r, 0, 0);
	PQclear(r);
	return KN_OK;
}

static void p_step_facts(struct params *p, const struct step *x)
{
	/* date, doc_no, org, member, intro1, intro1_since, intro2, intro2_since,
	 * votes_for, votes_total, consent, override, override_by, note */
	p_date(p, x->date);
	p_text(p, x->doc_no);
	p_text(p, x->org);
	p_text(p, x->member);
	p_text(p, x->intro1);
	p_date(p, x->intro1_since);
	p_text(p, x->intro2);
	p_date(p, x->intro2_since);
	p_count(p, x->votes_for);
	p_count(p, x->votes_total);
	p_text(p, x->consent);
	p_text(p, x->override);
	p_text(p, x->override_by);
	p_text(p, x->note);
}

static enum kn_err pg_step_add(struct store *base, int64_t candidacy_id, const struct step *x,
			       enum step_code stage, int open, int64_t expect_version,
			       int64_t *step_id)
{
	struct pg *s = (struct pg *)base;
	struct params p = { 0 };
	PGresult *r;
	enum kn_err e;
	long changes = 0;
	char at[32];

	/* Move the candidacy first: the UPDATE takes the row lock, so a
	 * concurrent writer that read the same version waits here, then
	 * finds it changed and gets KN_ECONFLICT. */
	p_int(&p, candidacy_id);
	p_text(&p, step_name(stage));
	p_int(&p, !!open);
	p_int(&p, expect_version);
	if ((e = run_write(s, Q_CAND_STAGE, &p, "candidacy", &changes)) != KN_OK)
		return e;
	if (changes != 1) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg),
			 "the candidacy was changed by someone else meanwhile");
		return KN_ECONFLICT;
	}
	now_iso(at);
	p.n = 0;
	p_int(&p, candidacy_id);
	p_text(&p, step_name(x->code));
	p_date(&p, x->date);
	p_text(&p, x->doc_no);
	p_text(&p, x->org);
	p_text(&p, x->member);
	p_text(&p, x->intro1);
	p_date(&p, x->intro1_since);
	p_text(&p, x->intro2);
	p_date(&p, x->intro2_since);
	p_count(&p, x->votes_for);
	p_count(&p, x->votes_total);
	p_text(&p, x->consent);
	p_text(&p, x->override);
	p_text(&p, x->override_by);
	p_text(&p, x->note);
	p_text(&p, x->recorded_by ? x->recorded_by : "");
	p_text(&p, at);
	if ((e = one(s, Q_STEP_INSERT, &p, "step", &r)) != KN_OK)
		return e == KN_ENOTFOUND ? KN_EIO : e;
	if (step_id)
		*step_id = col_int(r, 0, 0);
	PQclear(r);
	return KN_OK;
}

static enum kn_err pg_step_update(struct store *base, int64_t step_id, const struct step *x)
{
	struct params p = { 0 };
	p_int(&p, step_id);
	p_step_facts(&p, x);
	return run_write((struct pg *)base, Q_STEP_UPDATE, &p, "step", NULL);
}

static enum kn_err pg_candidacy_version(struct store *base, int64_t candidacy_id,
					int64_t *version)
{
	struct params p = { 0 };
	PGresult *r;
	enum kn_err e;
	p_int(&p, candidacy_id);
	if ((e = one((struct pg *)base, Q_CAND_VERSION, &p, "candidacy", &r)) != KN_OK)
		return e;
	*version = col_int(r, 0, 0);
	PQclear(r);
	return KN_OK;
}

/* ---- quotas ---- */

static enum kn_err pg_quota_put(struct store *base, const struct quota *qt, int *changed)
{
	struct pg *s = (struct pg *)base;
	struct params p = { 0 };
	PGresult *r;
	enum kn_err e;

	p_text(&p, qt->unit);
	p_int(&p, qt->year);
	p_text(&p, qt->category);
	e = one(s, Q_QUOTA_GET, &p, "quota", &r);
	if (e == KN_OK) {
		long long old = col_int(r, 0, 0);
		PQclear(r);
		if (old == qt->target) {
			*changed = 0;
			return KN_OK;
		}
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		*changed = 2;
	} else {
		return e;
	}
	p_int(&p, qt->target);
	return run_write(s, Q_QUOTA_PUT, &p, "quota", NULL);
}

static enum kn_err pg_quota_all(struct store *base, struct quota **out, size_t *n)
{
	enum kn_err e;
	PGresult *r = run((struct pg *)base, Q_QUOTA_ALL, NULL, "quotas", &e);
	*out = NULL;
	*n = 0;
	if (!r)
		return e;
	*n = (size_t)PQntuples(r);
	*out = xreallocarray(NULL, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct quota *qt = &(*out)[i];
		qt->unit = col_text(r, (int)i, 0);
		qt->year = (int)col_int(r, (int)i, 1);
		qt->category = col_text(r, (int)i, 2);
		qt->target = col_int(r, (int)i, 3);
	}
	PQclear(r);
	return KN_OK;
}

/* ---- holidays ---- */

static enum kn_err pg_holiday_put(struct store *base, const struct holiday *h, int *changed)
{
	struct pg *s = (struct pg *)base;
	struct params p = { 0 };
	PGresult *r;
	enum kn_err e;

	p_date(&p, h->date);
	e = one(s, Q_HOLIDAY_GET, &p, "holiday", &r);
	if (e == KN_OK) {
		int same = col_int(r, 0, 0) == !!h->workday &&
			   streq(PQgetisnull(r, 0, 1) ? NULL : PQgetvalue(r, 0, 1), h->name);
		PQclear(r);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		*changed = 2;
	} else {
		return e;
	}
	p_int(&p, !!h->workday);
	p_text(&p, h->name);
	return run_write(s, Q_HOLIDAY_PUT, &p, "holiday", NULL);
}

static enum kn_err pg_holiday_all(struct store *base, struct holiday **out, size_t *n)
{
	enum kn_err e;
	PGresult *r = run((struct pg *)base, Q_HOLIDAY_ALL, NULL, "holidays", &e);
	*out = NULL;
	*n = 0;
	if (!r)
		return e;
	*n = (size_t)PQntuples(r);
	*out = xreallocarray(NULL, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct holiday *h = &(*out)[i];
		h->date = col_date(r, (int)i, 0);
		h->workday = (int)col_int(r, (int)i, 1);
		h->name = col_text(r, (int)i, 2);
	}
	PQclear(r);
	return KN_OK;
}

/* ---- policy ---- */

static enum kn_err pg_policy_all(struct store *base, struct policy_row **out, size_t *n)
{
	enum kn_err e;
	PGresult *r = run((struct pg *)base, Q_POLICY_ALL, NULL, "policy", &e);
	*out = NULL;
	*n = 0;
	if (!r)
		return e;
	*n = (size_t)PQntuples(r);
	*out = xreallocarray(NULL, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct policy_row *row = &(*out)[i];
		const char *from = PQgetvalue(r, (int)i, 1);
		row->key = col_text(r, (int)i, 0);
		if (!*from || date_parse(from, &row->from) != 0)
			row->from = KN_DATE_NONE;
		row->value = col_text(r, (int)i, 2);
	}
	PQclear(r);
	return KN_OK;
}

static enum kn_err pg_policy_put(struct store *base, const struct policy_row *row)
{
	struct params p = { 0 };
	p_text(&p, row->key);
	if (row->from == KN_DATE_NONE)
		p_text(&p, "");
	else
		p_date(&p, row->from);
	p_text(&p, row->value);
	return run_write((struct pg *)base, Q_POLICY_PUT, &p, "policy", NULL);
}

/* ---- reports ---- */

/* ---- audit ---- */

/* ---- verify: the audit chain, and the iterators of `ketnap verify` ---- */

/* What a migration needs done in C, in its transaction, after its SQL. */
static enum kn_err pg_migrate_after(struct pg *s, int version)
{
	return version == 4 ? audit_chain_build(&s->base) : KN_OK;
}

/* ---- raw copy (ketnap migrate-to) ---- */

static size_t table_index(const struct store_table *t)
{
	size_t n;
	const struct store_table *all = store_tables(&n);
	return (size_t)(t - all);
}

struct raw_arg {
	store_row_fn fn;
	void *arg;
	const char *vals[STORE_MAX_COLS];
};

static int raw_row(void *arg, const PGresult *r)
{
	struct raw_arg *a = arg;
	int nc = PQnfields(r);
	for (int i = 0; i < nc && i < STORE_MAX_COLS; i++)
		a->vals[i] = PQgetisnull(r, 0, i) ? NULL : PQgetvalue(r, 0, i);
	return a->fn(a->arg, a->vals, (size_t)nc);
}

static enum kn_err pg_rows_each(struct store *base, const struct store_table *t,
				store_row_fn fn, void *arg)
{
	struct pg *s = (struct pg *)base;
	struct raw_arg a = { fn, arg, { 0 } };
	struct buf text = BUF_INIT, name = BUF_INIT;
	size_t ti = table_index(t);
	enum kn_err e;

	store_table_select(t, &text);
	buf_addf(&name, "raw_get_%s", t->name);
	e = each_row(s, &s->raw_prepared[ti][0], name.s, text.s, NULL, t->name, raw_row, &a);
	buf_release(&text);
	buf_release(&name);
	return e;
}

static enum kn_err pg_raw_begin(struct store *base)
{
	struct pg *s = (struct pg *)base;
	enum kn_err e = store_begin(base);
	if (e == KN_OK && s->base.depth == 1)
		e = exec_text(s, "SET CONSTRAINTS ALL DEFERRED", "copy");
	return e;
}

static enum kn_err pg_row_put(struct store *base, const struct store_table *t,
			      const char *const *vals)
{
	struct pg *s = (struct pg *)base;
	struct buf text = BUF_INIT, name = BUF_INIT;
	struct params p = { 0 };
	size_t ti = table_index(t);
	enum kn_err e;
	PGresult *r;

	for (size_t i = 0; t->cols[i]; i++)
		p_text(&p, vals[i]);
	store_table_insert(t, 1, &text);
	buf_addf(&name, "raw_put_%s", t->name);
	r = run_named(s, &s->raw_prepared[ti][1], name.s, text.s, &p, t->name, &e);
	PQclear(r);
	buf_release(&text);
	buf_release(&name);
	return e;
}

/* Move every id sequence past the ids copied in, then commit. */
static enum kn_err pg_raw_commit(struct store *base)
{
	struct pg *s = (struct pg *)base;
	const struct store_table *all;
	size_t n;
	enum kn_err e = KN_OK;

	all = store_tables(&n);
	for (size_t i = 0; i < n && e == KN_OK; i++) {
		struct buf q = BUF_INIT;
		if (!all[i].serial)
			continue;
		buf_addf(&q, "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
			 "COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)",
			 all[i].name, all[i].serial, all[i].serial, all[i].name);
		e = exec_text(s, q.s, "copy");
		buf_release(&q);
	}
	if (e != KN_OK) {
		store_rollback(base);
		return e;
	}
	return store_commit(base);
}

static const struct store_ops pg_ops = {
	.name = "PostgreSQL",
	.close = pg_close,
	.schema_version = pg_schema_version,
	.migrate = pg_migrate,
	.tx_begin = pg_tx_begin,
	.tx_commit = pg_tx_commit,
	.tx_rollback = pg_tx_rollback,
	.q_open = pg_q_open,
	.q_next = pg_q_next,
	.q_close = pg_q_close,
	.backup = pg_backup,
	.unit_get = pg_unit_get,
	.unit_all = pg_unit_all,
	.unit_put = pg_unit_put,
	.person_get = pg_person_get,
	.person_get_id = pg_person_get_id,
	.person_put = pg_person_put,
	.person_find = pg_person_find,
	.person_all = pg_person_all,
	.candidacies_of = pg_candidacies_of,
	.candidacy_new = pg_candidacy_new,
	.step_add = pg_step_add,
	.step_update = pg_step_update,
	.candidacy_version = pg_candidacy_version,
	.quota_put = pg_quota_put,
	.quota_all = pg_quota_all,
	.holiday_put = pg_holiday_put,
	.holiday_all = pg_holiday_all,
	.policy_all = pg_policy_all,
	.policy_put = pg_policy_put,
	/* .pipeline_dates: store.c falls back to pipeline_each */
	.rows_each = pg_rows_each,
	.raw_begin = pg_raw_begin,
	.row_put = pg_row_put,
	.raw_commit = pg_raw_commit,
	/* .busy: PostgreSQL waits for row locks; never "busy" */
};
