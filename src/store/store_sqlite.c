/*
 * store_sqlite.c — the SQLite backend of store.h.
 *
 * One connection per struct store, in WAL mode with foreign keys on and a
 * busy timeout, so that a reader never blocks the writer and two writers
 * queue instead of failing. Every statement is named in the table below,
 * prepared once on first use and kept; parameters are always bound.
 * Dates cross this boundary as kn_date and are stored as ISO text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "store/migrations.h"
#include "store/store_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum qid {
	Q_UNIT_GET, Q_UNIT_ALL, Q_UNIT_INSERT, Q_UNIT_UPDATE, Q_UNIT_ID,
	Q_PERSON_GET, Q_PERSON_GET_ID, Q_PERSON_INSERT, Q_PERSON_UPDATE, Q_PERSON_FIND,
	Q_PERSON_ALL, Q_PERSON_ID,
	Q_CAND_OF, Q_STEPS_OF, Q_CAND_NEW, Q_STEP_NEXT_SEQ, Q_STEP_INSERT, Q_CAND_STAGE,
	Q_STEP_UPDATE, Q_CAND_VERSION, Q_STEP_EACH,
	Q_QUOTA_GET, Q_QUOTA_PUT, Q_QUOTA_ALL,
	Q_HOLIDAY_GET, Q_HOLIDAY_PUT, Q_HOLIDAY_ALL,
	Q_POLICY_ALL, Q_POLICY_PUT,
	Q_AUDIT, Q_AUDIT_COUNT,
	Q_ADMISSIONS, Q_STEP_COUNTS, Q_UNIT_CODES, Q_PIPELINE, Q_PIPELINE_DATES,
	Q_USER_GET, Q_USER_INSERT, Q_USER_UPDATE, Q_USER_ALL, Q_USER_TOKEN, Q_USER_BY_TOKEN,
	Q_SESSION_NEW, Q_SESSION_GET, Q_SESSION_TOUCH, Q_SESSION_DELETE, Q_SESSION_PURGE,
	Q_LOGIN_GET, Q_LOGIN_PUT, Q_LOGIN_RESET, Q_AUDIT_LIST, Q_CAND_LIST,
	Q__COUNT
};

#define PERSON_COLS "p.id, p.ref, p.full_name, p.sex, p.birth_date, u.code, p.ethnicity, " \
	"p.religion, p.education, p.qualification, p.occupation, p.youth_union, " \
	"p.trade_union, p.member_since, p.official_since, p.phone, p.note"
#define STEP_COLS "s.id, s.step, s.date, s.doc_no, s.org, m.ref, i1.ref, s.intro1_since, " \
	"i2.ref, s.intro2_since, s.votes_for, s.votes_total, s.consent, s.override, " \
	"s.override_by, s.note, s.recorded_by, s.recorded_at"
#define STEP_JOINS " LEFT JOIN people m ON m.id = s.member_id" \
	" LEFT JOIN people i1 ON i1.id = s.intro1_id LEFT JOIN people i2 ON i2.id = s.intro2_id"

static const char *const sql[Q__COUNT] = {
	[Q_UNIT_GET] = "SELECT u.id, u.code, p.code, u.name, u.kind, u.may_admit, u.sector, "
		"u.special_area FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.code = ?1",
	[Q_UNIT_ALL] = "SELECT u.id, u.code, p.code, u.name, u.kind, u.may_admit, u.sector, "
		"u.special_area FROM units u LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.code",
	[Q_UNIT_INSERT] = "INSERT INTO units (code, parent_id, name, kind, may_admit, sector, "
		"special_area) VALUES (?1, (SELECT id FROM units WHERE code = ?2), ?3, ?4, ?5, ?6, ?7)",
	[Q_UNIT_UPDATE] = "UPDATE units SET parent_id = (SELECT id FROM units WHERE code = ?2), "
		"name = ?3, kind = ?4, may_admit = ?5, sector = ?6, special_area = ?7 WHERE code = ?1",
	[Q_UNIT_ID] = "SELECT id FROM units WHERE code = ?1",
	[Q_PERSON_GET] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"WHERE p.ref = ?1",
	[Q_PERSON_GET_ID] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"WHERE p.id = ?1",
	[Q_PERSON_INSERT] = "INSERT INTO people (ref, full_name, search_name, sex, birth_date, "
		"unit_id, ethnicity, religion, education, qualification, occupation, youth_union, "
		"trade_union, member_since, official_since, phone, note) VALUES (?1, ?2, ?3, ?4, ?5, "
		"(SELECT id FROM units WHERE code = ?6), ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[Q_PERSON_UPDATE] = "UPDATE people SET full_name = ?2, search_name = ?3, sex = ?4, "
		"birth_date = ?5, unit_id = (SELECT id FROM units WHERE code = ?6), ethnicity = ?7, "
		"religion = ?8, education = ?9, qualification = ?10, occupation = ?11, "
		"youth_union = ?12, trade_union = ?13, member_since = ?14, official_since = ?15, "
		"phone = ?16, note = ?17 WHERE ref = ?1",
	[Q_PERSON_FIND] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"WHERE p.search_name LIKE '%' || ?1 || '%' ESCAPE '\\'",
	[Q_PERSON_ALL] = "SELECT " PERSON_COLS " FROM people p JOIN units u ON u.id = p.unit_id "
		"ORDER BY p.ref",
	[Q_PERSON_ID] = "SELECT id FROM people WHERE ref = ?1",
	[Q_CAND_OF] = "SELECT id, person_id, stage, is_open FROM candidacies WHERE person_id = ?1 "
		"ORDER BY id",
	[Q_STEPS_OF] = "SELECT " STEP_COLS " FROM steps s" STEP_JOINS
		" WHERE s.candidacy_id = ?1 ORDER BY s.seq",
	[Q_CAND_NEW] = "INSERT INTO candidacies (person_id, unit_id, stage, is_open) VALUES "
		"(?1, (SELECT id FROM units WHERE code = ?2), 'source', 1) RETURNING id",
	[Q_STEP_NEXT_SEQ] = "SELECT COALESCE(MAX(seq), 0) + 1 FROM steps WHERE candidacy_id = ?1",
	[Q_STEP_INSERT] = "INSERT INTO steps (candidacy_id, seq, step, date, doc_no, org, member_id, "
		"intro1_id, intro1_since, intro2_id, intro2_since, votes_for, votes_total, consent, "
		"override, override_by, note, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
		"(SELECT id FROM people WHERE ref = ?7), (SELECT id FROM people WHERE ref = ?8), ?9, "
		"(SELECT id FROM people WHERE ref = ?10), ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
		"RETURNING id",
	[Q_CAND_STAGE] = "UPDATE candidacies SET stage = ?2, is_open = ?3, version = version + 1 "
		"WHERE id = ?1 AND (?4 < 0 OR version = ?4)",
	[Q_STEP_UPDATE] = "UPDATE steps SET date = ?2, doc_no = ?3, org = ?4, "
		"member_id = (SELECT id FROM people WHERE ref = ?5), "
		"intro1_id = (SELECT id FROM people WHERE ref = ?6), intro1_since = ?7, "
		"intro2_id = (SELECT id FROM people WHERE ref = ?8), intro2_since = ?9, "
		"votes_for = ?10, votes_total = ?11, consent = ?12, override = ?13, "
		"override_by = ?14, note = ?15 WHERE id = ?1",
	[Q_CAND_VERSION] = "SELECT version FROM candidacies WHERE id = ?1",
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
		"WHERE u.code = ?1 AND q.year = ?2 AND q.category = ?3",
	[Q_QUOTA_PUT] = "INSERT INTO quotas (unit_id, year, category, target) VALUES "
		"((SELECT id FROM units WHERE code = ?1), ?2, ?3, ?4) ON CONFLICT (unit_id, year, "
		"category) DO UPDATE SET target = excluded.target",
	[Q_QUOTA_ALL] = "SELECT u.code, q.year, q.category, q.target FROM quotas q JOIN units u "
		"ON u.id = q.unit_id ORDER BY u.code, q.year, q.category",
	[Q_HOLIDAY_GET] = "SELECT workday, name FROM holidays WHERE date = ?1",
	[Q_HOLIDAY_PUT] = "INSERT INTO holidays (date, workday, name) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (date) DO UPDATE SET workday = excluded.workday, name = excluded.name",
	[Q_HOLIDAY_ALL] = "SELECT date, workday, name FROM holidays ORDER BY date",
	[Q_POLICY_ALL] = "SELECT key, from_date, value FROM policy ORDER BY key, from_date",
	[Q_POLICY_PUT] = "INSERT INTO policy (key, from_date, value) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (key, from_date) DO UPDATE SET value = excluded.value",
	[Q_AUDIT] = "INSERT INTO audit (at, actor, action, entity, key, before, after) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_AUDIT_COUNT] = "SELECT COUNT(*) FROM audit",
#define USER_COLS "x.id, x.name, u.code, x.role, x.pw_hash, x.disabled, x.created_at"
	[Q_USER_GET] = "SELECT " USER_COLS " FROM users x JOIN units u ON u.id = x.unit_id "
		"WHERE x.name = ?1",
	[Q_USER_INSERT] = "INSERT INTO users (name, unit_id, role, pw_hash, disabled, created_at) "
		"VALUES (?1, (SELECT id FROM units WHERE code = ?2), ?3, ?4, ?5, ?6)",
	[Q_USER_UPDATE] = "UPDATE users SET unit_id = (SELECT id FROM units WHERE code = ?2), "
		"role = ?3, pw_hash = ?4, disabled = ?5 WHERE name = ?1",
	[Q_USER_ALL] = "SELECT " USER_COLS " FROM users x JOIN units u ON u.id = x.unit_id "
		"ORDER BY x.name",
	[Q_USER_TOKEN] = "UPDATE users SET token_hash = ?2 WHERE name = ?1",
	[Q_USER_BY_TOKEN] = "SELECT " USER_COLS " FROM users x JOIN units u ON u.id = x.unit_id "
		"WHERE x.token_hash = ?1",
	[Q_SESSION_NEW] = "INSERT INTO sessions (token_hash, user_id, csrf, created, last_seen) "
		"VALUES (?1, (SELECT id FROM users WHERE name = ?2), ?3, ?4, ?5)",
	[Q_SESSION_GET] = "SELECT x.token_hash, u.name, x.csrf, x.created, x.last_seen FROM sessions x "
		"JOIN users u ON u.id = x.user_id WHERE x.token_hash = ?1",
	[Q_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
	[Q_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[Q_SESSION_PURGE] = "DELETE FROM sessions WHERE last_seen < ?1",
	[Q_LOGIN_GET] = "SELECT count, first_at FROM login_failures WHERE key = ?1",
	[Q_LOGIN_PUT] = "INSERT INTO login_failures (key, count, first_at) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (key) DO UPDATE SET count = excluded.count, first_at = excluded.first_at",
	[Q_LOGIN_RESET] = "DELETE FROM login_failures WHERE key = ?1",
	[Q_AUDIT_LIST] = "SELECT id, at, actor, action, entity, key, before, after FROM audit "
		"WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR entity = ?2) "
		"AND (?3 IS NULL OR substr(key, 1, length(?3)) = ?3) "
		"ORDER BY id DESC LIMIT ?5 OFFSET ?4",
	/* The latest candidacy per person: no later candidacy of the same person.
	 * "+d.step" keeps SQLite on the candidacy's own steps (the UNIQUE
	 * (candidacy_id, seq) index) instead of steps_step_date, which made it
	 * scan every decision of the database for each row (seconds on a city). */
	[Q_CAND_LIST] = "SELECT c.id, p.ref, p.full_name, u.code, c.stage, c.is_open, "
		"(SELECT MAX(date) FROM steps x WHERE x.candidacy_id = c.id), "
		"(SELECT MIN(date) FROM steps d WHERE d.candidacy_id = c.id AND +d.step = 'decision'), "
		"p.sex, p.birth_date, p.ethnicity, p.religion, p.youth_union, p.occupation, "
		"p.qualification FROM candidacies c JOIN people p ON p.id = c.person_id "
		"JOIN units u ON u.id = c.unit_id WHERE NOT EXISTS (SELECT 1 FROM candidacies l "
		"WHERE l.person_id = c.person_id AND l.id > c.id) "
		"AND (?1 IS NULL OR p.search_name LIKE '%' || ?1 || '%' ESCAPE '\\')",
	[Q_ADMISSIONS] = "SELECT u.code, s.date, p.sex, p.birth_date, p.ethnicity, p.religion, "
		"p.youth_union, p.occupation, p.qualification FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id JOIN people p ON p.id = c.person_id "
		"JOIN units u ON u.id = c.unit_id "
		"WHERE s.step = 'decision' AND s.date BETWEEN ?1 AND ?2",
	/* The steps of the period with their candidacy's unit, counted in C
	 * (sq_step_counts): a GROUP BY with COUNT(DISTINCT) over the join spent
	 * most of its time in temporary b-trees. */
	[Q_STEP_COUNTS] = "SELECT c.unit_id, s.step, s.candidacy_id FROM steps s "
		"JOIN candidacies c ON c.id = s.candidacy_id WHERE s.date BETWEEN ?1 AND ?2",
	[Q_UNIT_CODES] = "SELECT id, code FROM units ORDER BY id",
	/* Candidacies open on as_of: source on or before it, and either still
	 * open or closed by a step dated after it. */
	[Q_PIPELINE] = "SELECT c.id, p.ref, p.full_name, u.code, " STEP_COLS " FROM candidacies c "
		"JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id "
		"JOIN steps s ON s.candidacy_id = c.id" STEP_JOINS
		" WHERE EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 "
		"AND x.date <= ?1) AND (c.is_open = 1 OR EXISTS (SELECT 1 FROM steps y "
		"WHERE y.candidacy_id = c.id AND y.date > ?1)) ORDER BY c.id, s.seq",
	/* The same for the subtree of unit ?2 (NULL: every root), steps' code
	 * and date only. A candidacy closed after as_of is found through the
	 * step that closed it (official or an ending step: RULES.md §2), which
	 * the (step, date) index reaches directly, rather than by reading
	 * every step of every closed candidacy. */
	[Q_PIPELINE_DATES] = "WITH RECURSIVE sub(id) AS (SELECT id FROM units "
		"WHERE code = ?2 OR (?2 IS NULL AND parent_id IS NULL) "
		"UNION ALL SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id), "
		"live(id) AS (SELECT id FROM candidacies WHERE is_open = 1 "
		"UNION SELECT candidacy_id FROM steps "
		"WHERE step IN ('official', 'withdrawn', 'rejected', 'struck_off') AND date > ?1) "
		"SELECT c.id, p.ref, p.full_name, u.code, s.id, s.step, s.date FROM candidacies c "
		"JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id "
		"JOIN steps s ON s.candidacy_id = c.id "
		"WHERE c.id IN (SELECT id FROM live) AND c.unit_id IN (SELECT id FROM sub) "
		"AND EXISTS (SELECT 1 FROM steps x WHERE x.candidacy_id = c.id AND x.seq = 1 "
		"AND x.date <= ?1) ORDER BY c.id, s.seq",
};

/* The verify section's statements (the audit chain, the iterators of
 * `ketnap verify`), kept apart from the table above. */
enum vstmt_id {
	V_HEAD_GET, V_HEAD_INIT, V_HEAD_SET, V_AUDIT_MAX, V_AUDIT_INSERT, V_AUDIT_EACH,
	V_AUDIT_BATCH, V_AUDIT_SET_HASH, V_UNIT_LINKS, V_CAND_EACH,
	V__COUNT
};

struct sq {
	struct store base;	/* first: a struct sq is a struct store */
	sqlite3 *db;
	sqlite3_stmt *stmt[Q__COUNT];
	sqlite3_stmt *raw_put[32];	/* store_row_put's, by store_tables() index */
	sqlite3_stmt *vstmt[V__COUNT];	/* the verify section's */
	sqlite3_stmt *tab[S__COUNT];	/* the statement table's, prepared on first use */
	unsigned char pmap[S__COUNT][STORE_MAX_ARGS];	/* $n's bind index */
	int busy;		/* the last failure was SQLITE_BUSY/LOCKED (store_busy) */
};

/* ---- plumbing ---- */

static enum kn_err fail(struct sq *s, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	/* Busy past the busy timeout is not a conflict with the caller's
	 * data: a storage failure, to be tried again later. */
	s->busy = (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
	if (s->busy) {
		/* No statement name: the user can do nothing with it. */
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s",
			 _("database busy (another program is writing to it), try again"));
		return KN_EIO;
	}
	snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s: %s", what, sqlite3_errmsg(s->db));
	if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
		return KN_ECONFLICT;
	return KN_EIO;
}

/* The prepared statement for id, reset and with its bindings cleared. */
static sqlite3_stmt *q(struct sq *s, enum qid id)
{
	if (!s->stmt[id]) {
		if (sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
				       &s->stmt[id], NULL) != SQLITE_OK) {
			fail(s, "prepare");
			return NULL;
		}
	} else {
		sqlite3_reset(s->stmt[id]);
		sqlite3_clear_bindings(s->stmt[id]);
	}
	return s->stmt[id];
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_date(sqlite3_stmt *st, int i, kn_date d)
{
	char iso[11];
	if (d == KN_DATE_NONE) {
		sqlite3_bind_null(st, i);
		return;
	}
	date_format_iso(d, iso);
	sqlite3_bind_text(st, i, iso, -1, SQLITE_TRANSIENT);
}

static void bind_count(sqlite3_stmt *st, int i, int v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int(st, i, v);
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static kn_date col_date(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	kn_date d;
	if (!t || date_parse((const char *)t, &d) != 0)
		return KN_DATE_NONE;
	return d;
}

static int col_count(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
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

static enum kn_err exec(struct sq *s, const char *text)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, text, NULL, NULL, &msg) != SQLITE_OK) {
		int code = sqlite3_errcode(s->db);
		/* The failures a user meets, in the user's language. */
		if (code == SQLITE_NOTADB)
			snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s",
				 _("not a ketnap database (the file is not an SQLite database)"));
		else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
			snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s",
				 _("database busy (another program is writing to it), try again"));
		else
			snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s", msg ? msg : "error");
		sqlite3_free(msg);
		return KN_EIO;
	}
	return KN_OK;
}

/* ---- open, close, migrate ---- */

static const struct store_ops sqlite_ops;
static void sq_close(struct store *base);

enum kn_err sqlite_open(const char *path, int create, struct store **out, struct buf *err)
{
	struct sq *s;
	struct stat stt;

	*out = NULL;
	if (!create && stat(path, &stt) != 0) {
		buf_addf(err, "%s: %s", path, strerror(errno));
		return KN_ENOTFOUND;
	}
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		buf_addf(err, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
		sqlite3_close(s->db);
		free(s);
		return KN_EIO;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	if (exec(s, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
		    "PRAGMA synchronous = NORMAL;") != KN_OK) {
		buf_addf(err, "%s: %s", path, s->base.errmsg);
		sq_close(&s->base);
		return KN_EIO;
	}
	*out = &s->base;
	return KN_OK;
}

static void sq_close(struct store *base)
{
	struct sq *s = (struct sq *)base;
	if (!s)
		return;
	for (int i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	for (size_t i = 0; i < sizeof(s->raw_put) / sizeof(s->raw_put[0]); i++)
		sqlite3_finalize(s->raw_put[i]);
	for (int i = 0; i < V__COUNT; i++)
		sqlite3_finalize(s->vstmt[i]);
	for (int i = 0; i < S__COUNT; i++)
		sqlite3_finalize(s->tab[i]);
	sqlite3_close(s->db);
	free(s);
}

static int sq_schema_version(struct store *base)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st;
	int v = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT MAX(version) FROM schema_migrations", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;	/* no table yet: an empty database */
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static enum kn_err sq_migrate_after(struct sq *s, int version);

static enum kn_err sq_migrate(struct store *base, int *from, int *to)
{
	struct sq *s = (struct sq *)base;
	enum kn_err e;
	char at[32];

	if ((e = exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
		      "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT")))
		return e;
	*from = sq_schema_version(&s->base);
	*to = *from;
	for (const struct migration *m = kn_migrations; m->version; m++) {
		if (m->version <= *to)
			continue;
		if ((e = exec(s, "BEGIN IMMEDIATE")))
			return e;
		/* Someone else may have migrated while we waited for the lock. */
		if (sq_schema_version(&s->base) >= m->version) {
			exec(s, "COMMIT");
			*to = m->version;
			continue;
		}
		if ((e = exec(s, m->sql)) || (e = sq_migrate_after(s, m->version))) {
			char msg[400];
			snprintf(msg, sizeof(msg), "%.399s", s->base.errmsg);
			exec(s, "ROLLBACK");
			snprintf(s->base.errmsg, sizeof(s->base.errmsg), "migration %.64s: %s", m->name, msg);
			return e;
		}
		sqlite3_stmt *st;
		now_iso(at);
		sqlite3_prepare_v2(s->db, "INSERT INTO schema_migrations VALUES (?1, ?2, ?3)", -1,
				   &st, NULL);
		sqlite3_bind_int(st, 1, m->version);
		sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, at, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			e = fail(s, "migration");
			exec(s, "ROLLBACK");
			return e;
		}
		if ((e = exec(s, "COMMIT")))
			return e;
		*to = m->version;
	}
	return KN_OK;
}

/* ---- transactions ---- */

static enum kn_err sq_tx_begin(struct store *base)
{
	struct sq *s = (struct sq *)base;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, "begin");
	return KN_OK;
}

static enum kn_err sq_tx_commit(struct store *base)
{
	struct sq *s = (struct sq *)base;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		enum kn_err e = fail(s, "commit");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return e;
	}
	return KN_OK;
}

static void sq_tx_rollback(struct store *base)
{
	struct sq *s = (struct sq *)base;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- the driver of the statement table ---- */

/* Statement id, prepared once and kept, with the index of each $n (SQLite
 * numbers named parameters in the order they first appear). */
static sqlite3_stmt *prepared(struct sq *s, enum stmt_id id)
{
	const struct stmt *t = &store_stmts[id];
	if (s->tab[id])
		return s->tab[id];
	if (sqlite3_prepare_v3(s->db, t->sql, -1, SQLITE_PREPARE_PERSISTENT, &s->tab[id],
			       NULL) != SQLITE_OK) {
		fail(s, t->name);
		sqlite3_finalize(s->tab[id]);
		s->tab[id] = NULL;
		return NULL;
	}
	for (int i = 0; t->params[i]; i++) {
		char name[8];
		snprintf(name, sizeof(name), "$%d", i + 1);
		s->pmap[id][i] = (unsigned char)sqlite3_bind_parameter_index(s->tab[id], name);
	}
	return s->tab[id];
}

static enum kn_err sq_q_open(struct store *base, enum stmt_id id, const struct sargs *a,
			     struct srows *r)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = prepared(s, id);
	if (!st)
		return KN_EIO;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (int i = 0; i < a->n; i++) {
		int at = s->pmap[id][i];
		if (!at)
			continue;	/* a parameter the text does not use */
		if (a->v[i].kind == 't')
			sqlite3_bind_text(st, at, a->v[i].t, -1, SQLITE_TRANSIENT);
		else if (a->v[i].kind == 'i')
			sqlite3_bind_int64(st, at, a->v[i].i);
	}
	/* A courtesy write never waits for the lock (stmt.h ST_NOWAIT). */
	if ((store_stmts[id].flags & ST_NOWAIT) && base->depth == 0)
		sqlite3_busy_timeout(s->db, 0);
	r->h = st;
	r->live = 1;
	return KN_OK;
}

static int sq_q_next(struct srows *r)
{
	struct sq *s = (struct sq *)r->s;
	sqlite3_stmt *st = r->h;
	int rc;
	if (!r->live)
		return r->err ? -1 : 0;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		for (int i = 0; i < r->ncols; i++)
			r->col[i] = (const char *)sqlite3_column_text(st, i);
		return 1;
	}
	r->live = 0;
	if (rc == SQLITE_DONE) {
		r->changes = sqlite3_changes(s->db);
		return 0;
	}
	r->err = fail(s, store_stmts[r->id].name);
	return -1;
}

static void sq_q_close(struct srows *r)
{
	struct sq *s = (struct sq *)r->s;
	if (r->h)
		sqlite3_reset(r->h);	/* end the read: no transaction left open */
	if ((store_stmts[r->id].flags & ST_NOWAIT) && r->s->depth == 0)
		sqlite3_busy_timeout(s->db, 10000);
	r->h = NULL;
	r->live = 0;
}

static enum kn_err sq_backup(struct store *base, const char *path)
{
	struct sq *s = (struct sq *)base;
	sqlite3 *dst;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open(path, &dst) != SQLITE_OK) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return KN_EIO;
	}
	b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return KN_EIO;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return KN_EIO;
	}
	sqlite3_close(dst);
	return KN_OK;
}

/* ---- units ---- */

static void read_unit(sqlite3_stmt *st, struct unit *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	u->code = col_text(st, 1);
	u->parent = col_text(st, 2);
	u->name = col_text(st, 3);
	unit_kind_parse((const char *)sqlite3_column_text(st, 4), &u->kind);
	u->may_admit = sqlite3_column_int(st, 5);
	u->sector = col_text(st, 6);
	u->special_area = sqlite3_column_int(st, 7);
}

static enum kn_err sq_unit_get(struct store *base, const char *code, struct unit *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_UNIT_GET);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_unit(st, out);
		sqlite3_reset(st);	/* end the read: no transaction left open */
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_ENOTFOUND : fail(s, "unit");
}

static enum kn_err sq_unit_all(struct store *base, struct unit **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_UNIT_ALL);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		read_unit(st, &(*out)[(*n)++]);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "units");
}

static int unit_same(const struct unit *a, const struct unit *b)
{
	return streq(a->parent, b->parent) && streq(a->name, b->name) && a->kind == b->kind &&
	       !a->may_admit == !b->may_admit && streq(a->sector, b->sector) &&
	       !a->special_area == !b->special_area;
}

static enum kn_err sq_unit_put(struct store *base, const struct unit *u, int *changed)
{
	struct sq *s = (struct sq *)base;
	struct unit old;
	enum kn_err e = sq_unit_get(&s->base, u->code, &old);
	sqlite3_stmt *st;

	if (u->parent) {
		/* An unknown parent must not silently make a new root. */
		sqlite3_stmt *pst = q(s, Q_UNIT_ID);
		if (!pst)
			return KN_EIO;
		bind_text(pst, 1, u->parent);
		int rc = sqlite3_step(pst);
		sqlite3_reset(pst);
		if (rc == SQLITE_DONE) {
			snprintf(s->base.errmsg, sizeof(s->base.errmsg), "no unit with code %.200s", u->parent);
			if (e == KN_OK)
				unit_release(&old);
			return KN_ENOTFOUND;
		}
		if (rc != SQLITE_ROW) {
			if (e == KN_OK)
				unit_release(&old);
			return fail(s, "unit");
		}
	}
	if (e == KN_OK) {
		int same = unit_same(&old, u);
		unit_release(&old);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		st = q(s, Q_UNIT_UPDATE);
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		st = q(s, Q_UNIT_INSERT);
		*changed = 2;
	} else {
		return e;
	}
	if (!st)
		return KN_EIO;
	bind_text(st, 1, u->code);
	bind_text(st, 2, u->parent);
	bind_text(st, 3, u->name);
	bind_text(st, 4, unit_kind_name(u->kind));
	sqlite3_bind_int(st, 5, !!u->may_admit);
	bind_text(st, 6, u->sector);
	sqlite3_bind_int(st, 7, !!u->special_area);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "unit");
}

/* ---- people ---- */

static void read_person(sqlite3_stmt *st, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->ref = col_text(st, 1);
	p->full_name = col_text(st, 2);
	const unsigned char *sex = sqlite3_column_text(st, 3);
	p->sex = sex ? (char)sex[0] : 'M';
	p->birth_date = col_date(st, 4);
	p->unit = col_text(st, 5);
	p->ethnicity = col_text(st, 6);
	p->religion = col_text(st, 7);
	p->education = col_text(st, 8);
	p->qualification = col_text(st, 9);
	p->occupation = col_text(st, 10);
	p->youth_union = sqlite3_column_int(st, 11);
	p->trade_union = sqlite3_column_int(st, 12);
	p->member_since = col_date(st, 13);
	p->official_since = col_date(st, 14);
	p->phone = col_text(st, 15);
	p->note = col_text(st, 16);
}

static enum kn_err person_one(struct sq *s, sqlite3_stmt *st, struct person *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_person(st, out);
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_ENOTFOUND : fail(s, "person");
}

static enum kn_err sq_person_get(struct store *base, const char *ref, struct person *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_PERSON_GET);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, ref);
	return person_one(s, st, out);
}

static enum kn_err sq_person_get_id(struct store *base, int64_t id, struct person *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_PERSON_GET_ID);
	if (!st)
		return KN_EIO;
	sqlite3_bind_int64(st, 1, id);
	return person_one(s, st, out);
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

static enum kn_err sq_person_put(struct store *base, const struct person *p, const char *search_name,
			     int *changed)
{
	struct sq *s = (struct sq *)base;
	struct person old;
	enum kn_err e = sq_person_get(&s->base, p->ref, &old);
	sqlite3_stmt *st;
	char sex[2] = { p->sex, 0 };

	if (e == KN_OK) {
		int same = person_same(&old, p);
		person_release(&old);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		st = q(s, Q_PERSON_UPDATE);
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		st = q(s, Q_PERSON_INSERT);
		*changed = 2;
	} else {
		return e;
	}
	if (!st)
		return KN_EIO;
	bind_text(st, 1, p->ref);
	bind_text(st, 2, p->full_name);
	bind_text(st, 3, search_name);
	bind_text(st, 4, sex);
	bind_date(st, 5, p->birth_date);
	bind_text(st, 6, p->unit);
	bind_text(st, 7, p->ethnicity);
	bind_text(st, 8, p->religion);
	bind_text(st, 9, p->education);
	bind_text(st, 10, p->qualification);
	bind_text(st, 11, p->occupation);
	sqlite3_bind_int(st, 12, !!p->youth_union);
	sqlite3_bind_int(st, 13, !!p->trade_union);
	bind_date(st, 14, p->member_since);
	bind_date(st, 15, p->official_since);
	bind_text(st, 16, p->phone);
	bind_text(st, 17, p->note);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "person");
}

static enum kn_err person_list(struct sq *s, sqlite3_stmt *st, struct person **out, size_t *n)
{
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		read_person(st, &(*out)[(*n)++]);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "people");
}

static enum kn_err sq_person_find(struct store *base, const char *folded, struct person **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_PERSON_FIND);
	struct buf pat = BUF_INIT;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	/* LIKE metacharacters in the search text match themselves. */
	for (const char *p = folded; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addc(&pat, '\\');
		buf_addc(&pat, *p);
	}
	bind_text(st, 1, pat.s);
	buf_release(&pat);
	return person_list(s, st, out, n);
}

static enum kn_err sq_person_all(struct store *base, struct person **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_PERSON_ALL);
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	return person_list(s, st, out, n);
}

/* ---- candidacies and steps ---- */

/* Columns of STEP_COLS starting at column `at`. */
static void read_step(sqlite3_stmt *st, int at, struct step *s)
{
	step_init(s);
	s->id = sqlite3_column_int64(st, at + 0);
	s->code = step_from_name((const char *)sqlite3_column_text(st, at + 1));
	s->date = col_date(st, at + 2);
	s->doc_no = col_text(st, at + 3);
	s->org = col_text(st, at + 4);
	s->member = col_text(st, at + 5);
	s->intro1 = col_text(st, at + 6);
	s->intro1_since = col_date(st, at + 7);
	s->intro2 = col_text(st, at + 8);
	s->intro2_since = col_date(st, at + 9);
	s->votes_for = col_count(st, at + 10);
	s->votes_total = col_count(st, at + 11);
	s->consent = col_text(st, at + 12);
	s->override = col_text(st, at + 13);
	s->override_by = col_text(st, at + 14);
	s->note = col_text(st, at + 15);
	s->recorded_by = col_text(st, at + 16);
	s->recorded_at = col_text(st, at + 17);
}

static enum kn_err sq_candidacies_of(struct store *base, int64_t person_id, struct candidacy **out,
				 size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_CAND_OF);
	size_t cap = 0;
	int rc;
	enum kn_err e = KN_OK;

	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	sqlite3_bind_int64(st, 1, person_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct candidacy *c = &(*out)[(*n)++];
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(st, 0);
		c->person_id = sqlite3_column_int64(st, 1);
		c->stage = step_from_name((const char *)sqlite3_column_text(st, 2));
		c->open = sqlite3_column_int(st, 3);
	}
	if (rc != SQLITE_DONE)
		return fail(s, "candidacies");
	for (size_t i = 0; i < *n && e == KN_OK; i++) {
		struct candidacy *c = &(*out)[i];
		size_t scap = 0;
		st = q(s, Q_STEPS_OF);
		if (!st)
			return KN_EIO;
		sqlite3_bind_int64(st, 1, c->id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (c->nsteps == scap) {
				scap = scap ? scap * 2 : 16;
				c->steps = xreallocarray(c->steps, scap, sizeof(*c->steps));
			}
			read_step(st, 0, &c->steps[c->nsteps++]);
		}
		if (rc != SQLITE_DONE)
			e = fail(s, "steps");
	}
	return e;
}

static enum kn_err sq_candidacy_new(struct store *base, int64_t person_id, const char *unit_code,
				int64_t *id)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_CAND_NEW);
	if (!st)
		return KN_EIO;
	sqlite3_bind_int64(st, 1, person_id);
	bind_text(st, 2, unit_code);
	if (sqlite3_step(st) != SQLITE_ROW)
		return fail(s, "candidacy");
	*id = sqlite3_column_int64(st, 0);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "candidacy");
}

static void bind_step_facts(sqlite3_stmt *st, const struct step *x, int first)
{
	/* date, doc_no, org, member, intro1, intro1_since, intro2, intro2_since,
	 * votes_for, votes_total, consent, override, override_by, note */
	bind_date(st, first + 0, x->date);
	bind_text(st, first + 1, x->doc_no);
	bind_text(st, first + 2, x->org);
	bind_text(st, first + 3, x->member);
	bind_text(st, first + 4, x->intro1);
	bind_date(st, first + 5, x->intro1_since);
	bind_text(st, first + 6, x->intro2);
	bind_date(st, first + 7, x->intro2_since);
	bind_count(st, first + 8, x->votes_for);
	bind_count(st, first + 9, x->votes_total);
	bind_text(st, first + 10, x->consent);
	bind_text(st, first + 11, x->override);
	bind_text(st, first + 12, x->override_by);
	bind_text(st, first + 13, x->note);
}

static enum kn_err sq_step_add(struct store *base, int64_t candidacy_id, const struct step *x,
			   enum step_code stage, int open, int64_t expect_version,
			   int64_t *step_id)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_CAND_STAGE);
	char at[32];
	int seq;

	if (!st)
		return KN_EIO;
	/* Move the candidacy first: a concurrent writer that read the same
	 * version finds it changed and gets KN_ECONFLICT. */
	sqlite3_bind_int64(st, 1, candidacy_id);
	bind_text(st, 2, step_name(stage));
	sqlite3_bind_int(st, 3, !!open);
	sqlite3_bind_int64(st, 4, expect_version);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(s, "candidacy");
	if (sqlite3_changes(s->db) != 1) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s",
			 _("the candidacy was changed by someone else meanwhile"));
		return KN_ECONFLICT;
	}
	st = q(s, Q_STEP_NEXT_SEQ);
	if (!st)
		return KN_EIO;
	sqlite3_bind_int64(st, 1, candidacy_id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return fail(s, "step");
	seq = sqlite3_column_int(st, 0);
	sqlite3_reset(st);

	st = q(s, Q_STEP_INSERT);
	if (!st)
		return KN_EIO;
	now_iso(at);
	sqlite3_bind_int64(st, 1, candidacy_id);
	sqlite3_bind_int(st, 2, seq);
	bind_text(st, 3, step_name(x->code));
	bind_date(st, 4, x->date);
	bind_text(st, 5, x->doc_no);
	bind_text(st, 6, x->org);
	bind_text(st, 7, x->member);
	bind_text(st, 8, x->intro1);
	bind_date(st, 9, x->intro1_since);
	bind_text(st, 10, x->intro2);
	bind_date(st, 11, x->intro2_since);
	bind_count(st, 12, x->votes_for);
	bind_count(st, 13, x->votes_total);
	bind_text(st, 14, x->consent);
	bind_text(st, 15, x->override);
	bind_text(st, 16, x->override_by);
	bind_text(st, 17, x->note);
	bind_text(st, 18, x->recorded_by ? x->recorded_by : "");
	bind_text(st, 19, at);
	if (sqlite3_step(st) != SQLITE_ROW)
		return fail(s, "step");
	if (step_id)
		*step_id = sqlite3_column_int64(st, 0);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "step");
}

static enum kn_err sq_step_update(struct store *base, int64_t step_id, const struct step *x)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_STEP_UPDATE);
	if (!st)
		return KN_EIO;
	sqlite3_bind_int64(st, 1, step_id);
	bind_step_facts(st, x, 2);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "step");
}

static enum kn_err sq_candidacy_version(struct store *base, int64_t candidacy_id, int64_t *version)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_CAND_VERSION);
	if (!st)
		return KN_EIO;
	sqlite3_bind_int64(st, 1, candidacy_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_ENOTFOUND : fail(s, "candidacy");
}

/* ---- quotas ---- */

static enum kn_err sq_quota_put(struct store *base, const struct quota *qt, int *changed)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_QUOTA_GET);
	int rc;
	if (!st)
		return KN_EIO;
	bind_text(st, 1, qt->unit);
	sqlite3_bind_int(st, 2, qt->year);
	bind_text(st, 3, qt->category);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		long long old = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (old == qt->target) {
			*changed = 0;
			return KN_OK;
		}
		*changed = 1;
	} else if (rc == SQLITE_DONE) {
		*changed = 2;
	} else {
		return fail(s, "quota");
	}
	st = q(s, Q_QUOTA_PUT);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, qt->unit);
	sqlite3_bind_int(st, 2, qt->year);
	bind_text(st, 3, qt->category);
	sqlite3_bind_int64(st, 4, qt->target);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "quota");
}

static enum kn_err sq_quota_all(struct store *base, struct quota **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_QUOTA_ALL);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct quota *qt = &(*out)[(*n)++];
		qt->unit = col_text(st, 0);
		qt->year = sqlite3_column_int(st, 1);
		qt->category = col_text(st, 2);
		qt->target = sqlite3_column_int64(st, 3);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "quotas");
}

/* ---- holidays ---- */

static enum kn_err sq_holiday_put(struct store *base, const struct holiday *h, int *changed)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_HOLIDAY_GET);
	int rc;
	if (!st)
		return KN_EIO;
	bind_date(st, 1, h->date);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int same = sqlite3_column_int(st, 0) == !!h->workday &&
			   streq((const char *)sqlite3_column_text(st, 1), h->name);
		sqlite3_reset(st);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		*changed = 1;
	} else if (rc == SQLITE_DONE) {
		*changed = 2;
	} else {
		return fail(s, "holiday");
	}
	st = q(s, Q_HOLIDAY_PUT);
	if (!st)
		return KN_EIO;
	bind_date(st, 1, h->date);
	sqlite3_bind_int(st, 2, !!h->workday);
	bind_text(st, 3, h->name);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "holiday");
}

static enum kn_err sq_holiday_all(struct store *base, struct holiday **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_HOLIDAY_ALL);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct holiday *h = &(*out)[(*n)++];
		h->date = col_date(st, 0);
		h->workday = sqlite3_column_int(st, 1);
		h->name = col_text(st, 2);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "holidays");
}

/* ---- policy ---- */

static enum kn_err sq_policy_all(struct store *base, struct policy_row **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_POLICY_ALL);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct policy_row *r = &(*out)[(*n)++];
		r->key = col_text(st, 0);
		const unsigned char *from = sqlite3_column_text(st, 1);
		if (!from || !*from || date_parse((const char *)from, &r->from) != 0)
			r->from = KN_DATE_NONE;
		r->value = col_text(st, 2);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "policy");
}

static enum kn_err sq_policy_put(struct store *base, const struct policy_row *r)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_POLICY_PUT);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, r->key);
	if (r->from == KN_DATE_NONE)
		sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
	else
		bind_date(st, 2, r->from);
	bind_text(st, 3, r->value);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "policy");
}

/* ---- reports ---- */

/* ---- audit ---- */

/* ---- verify: the audit chain, and the iterators of `ketnap verify` ---- */

/* What a migration needs done in C, in its transaction, after its SQL. */
static enum kn_err sq_migrate_after(struct sq *s, int version)
{
	return version == 4 ? audit_chain_build(&s->base) : KN_OK;
}

/* ---- raw copy (ketnap migrate-to) ---- */

static enum kn_err sq_rows_each(struct store *base, const struct store_table *t,
				store_row_fn fn, void *arg)
{
	struct sq *s = (struct sq *)base;
	struct buf text = BUF_INIT;
	const char *vals[STORE_MAX_COLS];
	sqlite3_stmt *st;
	int rc, nc;

	store_table_select(t, &text);
	rc = sqlite3_prepare_v2(s->db, text.s, -1, &st, NULL);
	buf_release(&text);
	if (rc != SQLITE_OK)
		return fail(s, t->name);
	nc = sqlite3_column_count(st);
	if (nc > STORE_MAX_COLS)
		nc = STORE_MAX_COLS;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < nc; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (fn(arg, vals, (size_t)nc)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	enum kn_err e = rc == SQLITE_DONE ? KN_OK : fail(s, t->name);
	sqlite3_finalize(st);
	return e;
}

static enum kn_err sq_raw_begin(struct store *base)
{
	struct sq *s = (struct sq *)base;
	enum kn_err e = store_begin(base);
	/* Foreign keys checked at commit (reset by SQLite when it ends). */
	if (e == KN_OK && s->base.depth == 1 && (e = exec(s, "PRAGMA defer_foreign_keys = ON")))
		store_rollback(base);
	return e;
}

static enum kn_err sq_row_put(struct store *base, const struct store_table *t,
			      const char *const *vals)
{
	struct sq *s = (struct sq *)base;
	size_t n, ti;
	const struct store_table *all = store_tables(&n);
	sqlite3_stmt *st;

	ti = (size_t)(t - all);
	if (ti >= sizeof(s->raw_put) / sizeof(s->raw_put[0]))
		return KN_EINVAL;
	if (!s->raw_put[ti]) {
		struct buf text = BUF_INIT;
		store_table_insert(t, 0, &text);
		int rc = sqlite3_prepare_v2(s->db, text.s, -1, &s->raw_put[ti], NULL);
		buf_release(&text);
		if (rc != SQLITE_OK)
			return fail(s, t->name);
	} else {
		sqlite3_reset(s->raw_put[ti]);
	}
	st = s->raw_put[ti];
	for (int i = 0; t->cols[i]; i++)
		bind_text(st, i + 1, vals[i]);
	enum kn_err e = sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, t->name);
	sqlite3_reset(st);
	return e;
}

/* SQLite's rowids need no moving: the next is always MAX + 1. */
static enum kn_err sq_raw_commit(struct store *base)
{
	return store_commit(base);
}

static int sq_busy(struct store *base)
{
	struct sq *s = (struct sq *)base;
	int b = s->busy;
	s->busy = 0;
	return b;
}

static const struct store_ops sqlite_ops = {
	.name = "SQLite",
	.close = sq_close,
	.schema_version = sq_schema_version,
	.migrate = sq_migrate,
	.tx_begin = sq_tx_begin,
	.tx_commit = sq_tx_commit,
	.tx_rollback = sq_tx_rollback,
	.q_open = sq_q_open,
	.q_next = sq_q_next,
	.q_close = sq_q_close,
	.backup = sq_backup,
	.unit_get = sq_unit_get,
	.unit_all = sq_unit_all,
	.unit_put = sq_unit_put,
	.person_get = sq_person_get,
	.person_get_id = sq_person_get_id,
	.person_put = sq_person_put,
	.person_find = sq_person_find,
	.person_all = sq_person_all,
	.candidacies_of = sq_candidacies_of,
	.candidacy_new = sq_candidacy_new,
	.step_add = sq_step_add,
	.step_update = sq_step_update,
	.candidacy_version = sq_candidacy_version,
	.quota_put = sq_quota_put,
	.quota_all = sq_quota_all,
	.holiday_put = sq_holiday_put,
	.holiday_all = sq_holiday_all,
	.policy_all = sq_policy_all,
	.policy_put = sq_policy_put,
	.rows_each = sq_rows_each,
	.raw_begin = sq_raw_begin,
	.row_put = sq_row_put,
	.raw_commit = sq_raw_commit,
	.busy = sq_busy,
};
