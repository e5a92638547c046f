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
#include "util/sort.h"
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

static const char *const vsql[V__COUNT] = {
	[V_HEAD_GET] = "SELECT id, hash, n FROM audit_head WHERE one = 1",
	/* The head row, made on the first entry: from the last entry there
	 * is, if any (a head row deleted by hand), else the empty chain. */
	[V_HEAD_INIT] = "INSERT INTO audit_head (one, id, hash, n) SELECT 1, COALESCE(MAX(id), 0), "
		"COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), ?1), COUNT(*) "
		"FROM audit WHERE true ON CONFLICT (one) DO NOTHING",
	[V_HEAD_SET] = "UPDATE audit_head SET id = ?1, hash = ?2, n = ?3 WHERE one = 1",
	[V_AUDIT_MAX] = "SELECT COALESCE(MAX(id), 0) FROM audit",
	[V_AUDIT_INSERT] = "INSERT INTO audit (id, at, actor, action, entity, key, before, after, "
		"hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[V_AUDIT_EACH] = "SELECT id, at, actor, action, entity, key, before, after, hash "
		"FROM audit ORDER BY id",
	[V_AUDIT_BATCH] = "SELECT id, at, actor, action, entity, key, before, after "
		"FROM audit WHERE id > ?1 ORDER BY id LIMIT 4096",
	[V_AUDIT_SET_HASH] = "UPDATE audit SET hash = ?2 WHERE id = ?1",
	[V_UNIT_LINKS] = "SELECT id, code, parent_id FROM units ORDER BY id",
	/* LEFT JOINs: a candidacy whose person, unit or steps are gone still
	 * comes, for verify to report. */
	[V_CAND_EACH] = "SELECT c.id, c.person_id, p.ref, p.full_name, p.member_since, "
		"p.official_since, u.code, c.stage, c.is_open, s.id, s.step, s.date, s.override "
		"FROM candidacies c LEFT JOIN people p ON p.id = c.person_id "
		"LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN steps s ON s.candidacy_id = c.id "
		"ORDER BY c.person_id, c.id, s.seq",
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

static enum kn_err sq_q_describe(struct store *base, enum stmt_id id, int *nparams, int *ncols)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = prepared(s, id);
	if (!st)
		return KN_EIO;
	*nparams = sqlite3_bind_parameter_count(st);
	for (int i = 0; store_stmts[id].params[i]; i++)
		if (!s->pmap[id][i])
			*nparams = -1;	/* a $n the text lacks */
	*ncols = sqlite3_column_count(st);
	return KN_OK;
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

static enum kn_err sq_step_each(struct store *base, store_step_fn fn, void *arg)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_STEP_EACH);
	struct step x;
	int rc;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_step(st, 1, &x);
		int stop = fn(arg, (const char *)sqlite3_column_text(st, 0), &x);
		step_release(&x);
		if (stop) {
			sqlite3_reset(st);
			return KN_OK;
		}
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "steps");
}

/* ---- reports ---- */

static enum kn_err sq_admissions(struct store *base, kn_date from, kn_date to,
			     struct admission **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_ADMISSIONS);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	bind_date(st, 1, from);
	bind_date(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct admission *a = &(*out)[(*n)++];
		a->unit = col_text(st, 0);
		a->decision = col_date(st, 1);
		const unsigned char *sex = sqlite3_column_text(st, 2);
		a->sex = sex ? (char)sex[0] : 'M';
		a->birth_date = col_date(st, 3);
		a->ethnicity = col_text(st, 4);
		a->religion = col_text(st, 5);
		a->youth_union = sqlite3_column_int(st, 6);
		a->occupation = col_text(st, 7);
		a->qualification = col_text(st, 8);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "admissions");
}

/* One step of the period: sq_step_counts sorts them by unit, step and
 * candidacy, and counts the distinct candidacies of each unit and step. */
struct sc_row {
	int64_t unit_id, candidacy_id;
	enum step_code step;
};

static int sc_cmp(const void *a, const void *b)
{
	const struct sc_row *x = a, *y = b;
	if (x->unit_id != y->unit_id)
		return x->unit_id < y->unit_id ? -1 : 1;
	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	return x->candidacy_id < y->candidacy_id ? -1 : x->candidacy_id > y->candidacy_id;
}

static enum kn_err sq_step_counts(struct store *base, kn_date from, kn_date to,
			      struct step_count **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_STEP_COUNTS);
	struct sc_row *rows = NULL;
	size_t nrows = 0, cap = 0, ncap = 0, nunits = 0, ucap = 0, u = 0;
	int64_t *ids = NULL;
	char **codes = NULL;
	enum kn_err e = KN_OK;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	bind_date(st, 1, from);
	bind_date(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nrows == cap) {
			cap = cap ? cap * 2 : 1024;
			rows = xreallocarray(rows, cap, sizeof(*rows));
		}
		rows[nrows].unit_id = sqlite3_column_int64(st, 0);
		rows[nrows].step = step_from_name((const char *)sqlite3_column_text(st, 1));
		rows[nrows].candidacy_id = sqlite3_column_int64(st, 2);
		nrows++;
	}
	if (rc != SQLITE_DONE) {
		e = fail(s, "step counts");
		goto out;
	}
	/* The units' codes, by id. */
	if (!(st = q(s, Q_UNIT_CODES))) {
		e = KN_EIO;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (nunits == ucap) {
			ucap = ucap ? ucap * 2 : 256;
			ids = xreallocarray(ids, ucap, sizeof(*ids));
			codes = xreallocarray(codes, ucap, sizeof(*codes));
		}
		ids[nunits] = sqlite3_column_int64(st, 0);
		codes[nunits++] = col_text(st, 1);
	}
	if (rc != SQLITE_DONE) {
		e = fail(s, "step counts");
		goto out;
	}
	xqsort(rows, nrows, sizeof(*rows), sc_cmp);
	for (size_t i = 0; i < nrows;) {
		size_t j = i;
		long long distinct = 0;
		for (; j < nrows && rows[j].unit_id == rows[i].unit_id && rows[j].step == rows[i].step; j++)
			distinct += j == i || rows[j].candidacy_id != rows[j - 1].candidacy_id;
		while (u < nunits && ids[u] < rows[i].unit_id)	/* both in unit id order */
			u++;
		if (u < nunits && ids[u] == rows[i].unit_id) {
			if (*n == ncap) {
				ncap = ncap ? ncap * 2 : 256;
				*out = xreallocarray(*out, ncap, sizeof(**out));
			}
			struct step_count *c = &(*out)[(*n)++];
			c->unit = xstrdup(codes[u]);
			c->step = rows[i].step;
			c->n = distinct;
		}
		i = j;
	}
out:
	if (e != KN_OK) {
		store_step_counts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	free(rows);
	for (size_t i = 0; i < nunits; i++)
		free(codes[i]);
	free(ids);
	free(codes);
	return e;
}

static enum kn_err sq_pipeline_each(struct store *base, kn_date as_of, store_pipeline_fn fn, void *arg)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_PIPELINE);
	struct step *steps = NULL;
	size_t nsteps = 0, cap = 0;
	int64_t cur = -1;
	char *ref = NULL, *name = NULL, *unit = NULL;
	int rc, stop = 0;

	if (!st)
		return KN_EIO;
	bind_date(st, 1, as_of);
	for (;;) {
		rc = sqlite3_step(st);
		int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
		if (cur >= 0 && id != cur) {
			struct pipeline p = { ref, name, unit, steps, nsteps };
			stop = fn(arg, &p);
			for (size_t i = 0; i < nsteps; i++)
				step_release(&steps[i]);
			nsteps = 0;
			free(ref);
			free(name);
			free(unit);
			ref = name = unit = NULL;
		}
		if (rc != SQLITE_ROW || stop)
			break;
		if (id != cur) {
			cur = id;
			ref = col_text(st, 1);
			name = col_text(st, 2);
			unit = col_text(st, 3);
		}
		if (nsteps == cap) {
			cap = cap ? cap * 2 : 16;
			steps = xreallocarray(steps, cap, sizeof(*steps));
		}
		read_step(st, 4, &steps[nsteps++]);
	}
	for (size_t i = 0; i < nsteps; i++)
		step_release(&steps[i]);
	free(steps);
	free(ref);
	free(name);
	free(unit);
	if (stop) {
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "pipeline");
}

static enum kn_err sq_pipeline_dates(struct store *base, const char *top, kn_date as_of,
				     store_pipeline_fn fn, void *arg)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_PIPELINE_DATES);
	struct step *steps = NULL;
	size_t nsteps = 0, cap = 0;
	int64_t cur = -1;
	char *ref = NULL, *name = NULL, *unit = NULL;
	int rc, stop = 0;

	if (!st)
		return KN_EIO;
	bind_date(st, 1, as_of);
	bind_text(st, 2, top);
	for (;;) {
		rc = sqlite3_step(st);
		int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
		if (cur >= 0 && id != cur) {
			struct pipeline p = { ref, name, unit, steps, nsteps };
			stop = fn(arg, &p);
			nsteps = 0;
			free(ref);
			free(name);
			free(unit);
			ref = name = unit = NULL;
		}
		if (rc != SQLITE_ROW || stop)
			break;
		if (id != cur) {
			cur = id;
			ref = col_text(st, 1);
			name = col_text(st, 2);
			unit = col_text(st, 3);
		}
		if (nsteps == cap) {
			cap = cap ? cap * 2 : 16;
			steps = xreallocarray(steps, cap, sizeof(*steps));
		}
		struct step *x = &steps[nsteps++];
		step_init(x);
		x->id = sqlite3_column_int64(st, 4);
		x->code = step_from_name((const char *)sqlite3_column_text(st, 5));
		x->date = col_date(st, 6);
	}
	free(steps);
	free(ref);
	free(name);
	free(unit);
	if (stop) {
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "pipeline");
}

/* ---- audit ---- */

/* ---- verify: the audit chain, and the iterators of `ketnap verify` ---- */

/* The verify statement id, prepared once, reset and unbound. */
static sqlite3_stmt *vq(struct sq *s, enum vstmt_id id)
{
	if (!s->vstmt[id]) {
		if (sqlite3_prepare_v3(s->db, vsql[id], -1, SQLITE_PREPARE_PERSISTENT,
				       &s->vstmt[id], NULL) != SQLITE_OK) {
			fail(s, "prepare");
			return NULL;
		}
	} else {
		sqlite3_reset(s->vstmt[id]);
		sqlite3_clear_bindings(s->vstmt[id]);
	}
	return s->vstmt[id];
}

/* What a migration needs done in C, in its transaction, after its SQL. */
static enum kn_err sq_migrate_after(struct sq *s, int version)
{
	return version == 4 ? audit_chain_build(&s->base) : KN_OK;
}

static enum kn_err sq_unit_links(struct store *base, struct unit_link **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = vq(s, V_UNIT_LINKS);
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
		struct unit_link *u = &(*out)[(*n)++];
		u->id = sqlite3_column_int64(st, 0);
		u->code = col_text(st, 1);
		u->parent_id = sqlite3_column_int64(st, 2);	/* NULL reads 0 */
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KN_OK : fail(s, "units");
}

static enum kn_err sq_candidacy_each(struct store *base, store_cand_fn fn, void *arg)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = vq(s, V_CAND_EACH);
	struct cand_acc acc = CAND_ACC_INIT(fn, arg);
	int rc;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cand_row r;
		r.id = sqlite3_column_int64(st, 0);
		r.person_id = sqlite3_column_int64(st, 1);
		r.ref = (const char *)sqlite3_column_text(st, 2);
		r.name = (const char *)sqlite3_column_text(st, 3);
		r.member_since = (const char *)sqlite3_column_text(st, 4);
		r.official_since = (const char *)sqlite3_column_text(st, 5);
		r.unit = (const char *)sqlite3_column_text(st, 6);
		r.stage = (const char *)sqlite3_column_text(st, 7);
		r.open = sqlite3_column_int(st, 8);
		r.step_id = sqlite3_column_int64(st, 9);
		r.step = (const char *)sqlite3_column_text(st, 10);
		r.date = (const char *)sqlite3_column_text(st, 11);
		r.override = (const char *)sqlite3_column_text(st, 12);
		if (cand_acc_add(&acc, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	cand_acc_finish(&acc, rc == SQLITE_DONE);
	enum kn_err e = rc == SQLITE_DONE ? KN_OK : fail(s, "candidacies");
	sqlite3_reset(st);
	return e;
}

/* ---- accounts ---- */

static void read_user(sqlite3_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	u->name = col_text(st, 1);
	u->unit = col_text(st, 2);
	u->role = col_text(st, 3);
	u->pw_hash = col_text(st, 4);
	u->disabled = sqlite3_column_int(st, 5);
	u->created_at = col_text(st, 6);
}

static enum kn_err user_one(struct sq *s, sqlite3_stmt *st, struct user *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_user(st, out);
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_ENOTFOUND : fail(s, "user");
}

static enum kn_err sq_user_get(struct store *base, const char *name, struct user *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_USER_GET);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, name);
	return user_one(s, st, out);
}

static enum kn_err sq_user_by_token(struct store *base, const char *token_hash, struct user *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_USER_BY_TOKEN);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, token_hash);
	return user_one(s, st, out);
}

static enum kn_err sq_user_put(struct store *base, const struct user *u, int *changed)
{
	struct sq *s = (struct sq *)base;
	struct user old;
	sqlite3_stmt *st;
	char at[32];
	enum kn_err e = sq_user_get(base, u->name, &old);

	if (e == KN_OK) {
		int same = streq(old.unit, u->unit) && streq(old.role, u->role) &&
			   streq(old.pw_hash, u->pw_hash) && !old.disabled == !u->disabled;
		user_release(&old);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		st = q(s, Q_USER_UPDATE);
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		st = q(s, Q_USER_INSERT);
		*changed = 2;
	} else {
		return e;
	}
	if (!st)
		return KN_EIO;
	bind_text(st, 1, u->name);
	bind_text(st, 2, u->unit);
	bind_text(st, 3, u->role);
	bind_text(st, 4, u->pw_hash);
	sqlite3_bind_int(st, 5, !!u->disabled);
	if (*changed == 2) {
		now_iso(at);
		bind_text(st, 6, at);
	}
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "user");
}

static enum kn_err sq_user_all(struct store *base, struct user **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_USER_ALL);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		read_user(st, &(*out)[(*n)++]);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "users");
}

static enum kn_err sq_user_set_token(struct store *base, const char *name, const char *token_hash)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_USER_TOKEN);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, name);
	bind_text(st, 2, token_hash);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail(s, "user");
	return sqlite3_changes(s->db) == 1 ? KN_OK : KN_ENOTFOUND;
}

static enum kn_err sq_session_new(struct store *base, const struct session *x)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_SESSION_NEW);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, x->token_hash);
	bind_text(st, 2, x->user);
	bind_text(st, 3, x->csrf);
	sqlite3_bind_int64(st, 4, x->created);
	sqlite3_bind_int64(st, 5, x->last_seen);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "session");
}

static enum kn_err sq_session_get(struct store *base, const char *token_hash, struct session *out)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_SESSION_GET);
	int rc;
	if (!st)
		return KN_EIO;
	bind_text(st, 1, token_hash);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->token_hash = col_text(st, 0);
		out->user = col_text(st, 1);
		out->csrf = col_text(st, 2);
		out->created = sqlite3_column_int64(st, 3);
		out->last_seen = sqlite3_column_int64(st, 4);
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_ENOTFOUND : fail(s, "session");
}

/* Run a one-statement write bound to (text, int64). */
static enum kn_err write_text_int(struct sq *s, enum qid id, const char *t, long long v,
				  int nbind)
{
	sqlite3_stmt *st = q(s, id);
	if (!st)
		return KN_EIO;
	if (t)
		bind_text(st, 1, t);
	if (nbind == 2)
		sqlite3_bind_int64(st, 2, v);
	else if (!t)
		sqlite3_bind_int64(st, 1, v);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "session");
}

/* Touching a session is a courtesy write made by every kind of request,
 * reads included: it never waits for the lock (a read must not stall
 * behind a long import), it is just skipped when the database is busy. */
static enum kn_err sq_session_touch(struct store *base, const char *token_hash, long long last_seen)
{
	struct sq *s = (struct sq *)base;
	enum kn_err e;
	if (s->base.depth == 0)
		sqlite3_busy_timeout(s->db, 0);
	e = write_text_int(s, Q_SESSION_TOUCH, token_hash, last_seen, 2);
	if (s->base.depth == 0)
		sqlite3_busy_timeout(s->db, 10000);
	if (e != KN_OK && s->busy) {
		s->busy = 0;
		return KN_OK;
	}
	return e;
}

static enum kn_err sq_session_delete(struct store *base, const char *token_hash)
{
	return write_text_int((struct sq *)base, Q_SESSION_DELETE, token_hash, 0, 1);
}

static enum kn_err sq_session_purge(struct store *base, long long idle_before)
{
	return write_text_int((struct sq *)base, Q_SESSION_PURGE, NULL, idle_before, 1);
}

static enum kn_err login_get(struct sq *s, const char *key, long long *count, long long *first)
{
	sqlite3_stmt *st = q(s, Q_LOGIN_GET);
	int rc;
	*count = 0;
	*first = 0;
	if (!st)
		return KN_EIO;
	bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		*first = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		return KN_OK;
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "login");
}

static enum kn_err sq_login_failures(struct store *base, const char *key, long long now,
				     long long window, long long *count)
{
	long long first;
	enum kn_err e = login_get((struct sq *)base, key, count, &first);
	if (e == KN_OK && *count && first < now - window)
		*count = 0;
	return e;
}

static enum kn_err sq_login_failed(struct store *base, const char *key, long long now,
				   long long window, long long *count)
{
	struct sq *s = (struct sq *)base;
	long long first;
	enum kn_err e = login_get(s, key, count, &first);
	if (e != KN_OK)
		return e;
	if (*count == 0 || first < now - window) {
		*count = 0;
		first = now;
	}
	(*count)++;
	sqlite3_stmt *st = q(s, Q_LOGIN_PUT);
	if (!st)
		return KN_EIO;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, *count);
	sqlite3_bind_int64(st, 3, first);
	return sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "login");
}

static enum kn_err sq_login_reset(struct store *base, const char *key)
{
	return write_text_int((struct sq *)base, Q_LOGIN_RESET, key, 0, 1);
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

static enum kn_err sq_candidacy_list(struct store *base, const char *folded,
				     struct cand_summary **out, size_t *n)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = q(s, Q_CAND_LIST);
	struct buf pat = BUF_INIT;
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return KN_EIO;
	if (folded && *folded) {
		for (const char *p = folded; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				buf_addc(&pat, '\\');
			buf_addc(&pat, *p);
		}
		bind_text(st, 1, pat.s);
	}
	buf_release(&pat);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		struct cand_summary *c = &(*out)[(*n)++];
		c->candidacy_id = sqlite3_column_int64(st, 0);
		c->ref = col_text(st, 1);
		c->full_name = col_text(st, 2);
		c->unit = col_text(st, 3);
		c->stage = step_from_name((const char *)sqlite3_column_text(st, 4));
		c->open = sqlite3_column_int(st, 5);
		c->last_date = col_date(st, 6);
		c->decision = col_date(st, 7);
		const unsigned char *sex = sqlite3_column_text(st, 8);
		c->sex = sex ? (char)sex[0] : 'M';
		c->birth_date = col_date(st, 9);
		c->ethnicity = col_text(st, 10);
		c->religion = col_text(st, 11);
		c->youth_union = sqlite3_column_int(st, 12);
		c->occupation = col_text(st, 13);
		c->qualification = col_text(st, 14);
	}
	return rc == SQLITE_DONE ? KN_OK : fail(s, "candidacies");
}

/* ---- sessions and the login throttle, hardened ---- */

/* A one-off statement (these run seldom: a login, a password change). */
static sqlite3_stmt *prep_once(struct sq *s, const char *text)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, text, -1, &st, NULL) != SQLITE_OK) {
		fail(s, "prepare");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

static enum kn_err sq_session_end_user(struct store *base, const char *user, const char *keep)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = prep_once(s, "DELETE FROM sessions WHERE user_id = "
				     "(SELECT id FROM users WHERE name = ?1) "
				     "AND (?2 IS NULL OR token_hash <> ?2)");
	enum kn_err e;
	if (!st)
		return KN_EIO;
	bind_text(st, 1, user);
	bind_text(st, 2, keep);
	e = sqlite3_step(st) == SQLITE_DONE ? KN_OK : fail(s, "session");
	sqlite3_finalize(st);
	return e;
}

/* One statement: SQLite runs it under the database's write lock, so two
 * connections never both read the same count. */
static enum kn_err sq_login_count(struct store *base, const char *key, long long now,
				  long long window, int delta, long long *count)
{
	struct sq *s = (struct sq *)base;
	sqlite3_stmt *st = prep_once(s,
		"INSERT INTO login_failures (key, count, first_at) VALUES (?1, max(?4, 0), ?2) "
		"ON CONFLICT (key) DO UPDATE SET "
		"count = max(CASE WHEN first_at < ?2 - ?3 THEN 0 ELSE count END + ?4, 0), "
		"first_at = CASE WHEN first_at < ?2 - ?3 THEN ?2 ELSE first_at END "
		"RETURNING count");
	enum kn_err e;
	int rc;
	*count = 0;
	if (!st)
		return KN_EIO;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, window);
	sqlite3_bind_int(st, 4, delta);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	e = rc == SQLITE_DONE ? KN_OK : fail(s, "login");
	sqlite3_finalize(st);
	return e;
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
	.q_describe = sq_q_describe,
	.backup = sq_backup,
	.step_each = sq_step_each,
	.admissions = sq_admissions,
	.step_counts = sq_step_counts,
	.pipeline_each = sq_pipeline_each,
	.pipeline_dates = sq_pipeline_dates,
	.unit_links = sq_unit_links,
	.candidacy_each = sq_candidacy_each,
	.candidacy_list = sq_candidacy_list,
	.user_get = sq_user_get,
	.user_put = sq_user_put,
	.user_all = sq_user_all,
	.user_set_token = sq_user_set_token,
	.user_by_token = sq_user_by_token,
	.session_new = sq_session_new,
	.session_get = sq_session_get,
	.session_touch = sq_session_touch,
	.session_delete = sq_session_delete,
	.session_purge = sq_session_purge,
	.login_failed = sq_login_failed,
	.login_failures = sq_login_failures,
	.login_reset = sq_login_reset,
	.rows_each = sq_rows_each,
	.raw_begin = sq_raw_begin,
	.row_put = sq_row_put,
	.raw_commit = sq_raw_commit,
	.session_end_user = sq_session_end_user,
	.login_count = sq_login_count,
	.busy = sq_busy,
};
