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

struct sq {
	struct store base;	/* first: a struct sq is a struct store */
	sqlite3 *db;
	sqlite3_stmt *raw_put[32];	/* store_row_put's, by store_tables() index */
	sqlite3_stmt *tab[S__COUNT];	/* the statement table's, prepared on first use */
	unsigned char pmap[S__COUNT][STORE_MAX_ARGS];	/* $n's bind index */
	int busy;		/* the last failure was SQLITE_BUSY/LOCKED (store_busy) */
	/* A bulk load (store_bulk_begin) in the open transaction: the
	 * settings to put back, and the CREATE INDEX texts of the indexes it
	 * dropped, to be run again before the commit. */
	int bulk;
	long long bulk_cache;	/* PRAGMA cache_size before */
	char **bulk_idx;
	size_t bulk_nidx;
	/* The insert trigger of migration 016 dropped by the load (its
	 * CREATE text; NULL: none), and the largest step id before it. */
	char *bulk_trigger;
	long long bulk_step_max;
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

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
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
static enum kn_err bulk_end(struct store *base);
static long long pragma_int(struct sq *s, const char *text, long long def);
static void bulk_forget(struct sq *s);

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
	for (size_t i = 0; i < sizeof(s->raw_put) / sizeof(s->raw_put[0]); i++)
		sqlite3_finalize(s->raw_put[i]);
	for (int i = 0; i < S__COUNT; i++)
		sqlite3_finalize(s->tab[i]);
	bulk_forget(s);
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
		store_now_iso(at);
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

/* A write transaction keeps its statement journals (the pages one
 * statement changed, to undo that statement alone) in memory: SQLite
 * decides where they go from PRAGMA temp_store when the write transaction
 * starts, here, so the pragma is MEMORY for the BEGIN and put back right
 * after (temp tables and ephemeral tables keep the connection's setting).
 * Otherwise, once one statement's journal passed 64 KiB, a temporary file
 * served every later statement of the transaction: in a bulk load (the
 * demo, an import: millions of inserts in one transaction) each insert
 * wrote its pages there, a quarter of a province demo's time in
 * pwrite(). store_bulk_begin()'s own PRAGMA came too late for that. (A
 * bigger spill threshold, SQLITE_CONFIG_STMTJRNL_SPILL, made SQLite 3.40's
 * CREATE INDEX inside the demo's transaction fail with SQLITE_FULL.) A
 * journal holds one statement's pages: the big ones are in migrations,
 * which begin their own transactions (sq_migrate). */
static enum kn_err sq_tx_begin(struct store *base)
{
	struct sq *s = (struct sq *)base;
	long long temp = pragma_int(s, "PRAGMA temp_store", 0);
	char text[48];
	enum kn_err e = KN_OK;

	sqlite3_exec(s->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		e = fail(s, "begin");	/* its message, before the PRAGMA below */
	/* Refused only with a temporary table open, which ketnap never
	 * makes; then MEMORY stays, which costs memory, not results. */
	snprintf(text, sizeof(text), "PRAGMA temp_store = %lld", temp);
	sqlite3_exec(s->db, text, NULL, NULL, NULL);
	return e;
}

static enum kn_err sq_tx_commit(struct store *base)
{
	struct sq *s = (struct sq *)base;
	/* A bulk load's dropped indexes are built before anything commits. */
	if (s->bulk && bulk_end(base) != KN_OK) {
		char msg[sizeof(s->base.errmsg)];
		snprintf(msg, sizeof(msg), "%s", s->base.errmsg);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		bulk_forget(s);
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s", msg);
		return KN_EIO;
	}
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
	/* The rollback brought the dropped indexes back by itself. */
	bulk_forget(s);
}

/* ---- bulk loads (store.h: store_bulk_begin) ----
 *
 * Measured on the steps import of a city ×10 (issue 13): rows inserted
 * one by one into four steps indexes through the default 2 MB page cache
 * spent 56% of the time in b-tree inserts and 19% spilling the cache, and
 * each insert's statement journal (SQLite keeps one for a statement that
 * may fail half-way inside a transaction: foreign keys, upserts) went to
 * a temporary file. A bulk load therefore gets a big page cache, its
 * statement journals in memory (sq_tx_begin()), and, when the table is
 * (nearly) empty, builds the date indexes once at the end instead of row
 * by row: an index built from the finished table is one sort.
 *
 * The insert trigger of migration 016 (steps_dates_insert: each new step
 * raises its candidacy's stored dates) cost the national steps import
 * 133 → 171 s of CPU, an UPDATE of the candidacy per step. A bulk load
 * drops it (its text read from sqlite_master) and notes the largest step
 * id; bulk_end() recomputes, in one statement (store_bulk_redate), the
 * dates of the candidacies of the steps above that id (none when the
 * ledger wrote every one's dates with its stage: store.h,
 * store_candidacy_stage_n), and creates the trigger again from its
 * text. Nothing reads those dates inside the load: the ledger reads a
 * candidacy's steps, never its stored dates.
 * The update and delete triggers stay (they recompute from the steps,
 * whatever came before). The new steps are those above the largest id
 * of before: SQLite gives a new row the largest rowid + 1, and the bulk
 * writers (the steps import, the demo) only append steps. Like the
 * indexes, the DROP TRIGGER is inside the one transaction: a rollback, an
 * error or a kill -9 brings the trigger back with the dates as they were
 * (tests/cli/bulk_dates.sh). */

/* One integer that a PRAGMA returns; def when it returns none. */
static long long pragma_int(struct sq *s, const char *text, long long def)
{
	sqlite3_stmt *st;
	long long v = def;
	if (sqlite3_prepare_v2(s->db, text, -1, &st, NULL) != SQLITE_OK)
		return def;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Put the page cache back and forget the dropped indexes
 * (after a rollback, or once they are built again). */
static void bulk_forget(struct sq *s)
{
	char text[96];
	if (!s->bulk)
		return;
	for (size_t i = 0; i < s->bulk_nidx; i++)
		free(s->bulk_idx[i]);
	free(s->bulk_idx);
	s->bulk_idx = NULL;
	s->bulk_nidx = 0;
	free(s->bulk_trigger);
	s->bulk_trigger = NULL;
	snprintf(text, sizeof(text), "PRAGMA cache_size = %lld", s->bulk_cache);
	sqlite3_exec(s->db, text, NULL, NULL, NULL);
	s->bulk = 0;
}

/* The secondary indexes of a table that a bulk writer never reads: not
 * unique (a unique index is a rule the inserts must meet), and not led by
 * the column ?2 the writer reads the table by (NULL: none). */
static const char bulk_index_sql[] =
	"SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(?1) l "
	"ON l.name = m.name WHERE m.type = 'index' AND m.sql IS NOT NULL AND l.\"unique\" = 0 "
	"AND (SELECT i.name FROM pragma_index_info(m.name) i WHERE i.seqno = 0) "
	"IS NOT ?2 ORDER BY m.name";

/* The tables whose indexes a bulk load defers. steps: the ledger reads a
 * candidacy's steps through candidacy_id, so the migrations' date and
 * unit indexes (steps_step_date, steps_unit; steps_date before 014
 * dropped it) go, when fewer steps are there than are coming. people only
 * for STORE_BULK_FILL (the demo, a first people import) and when empty: the ledger reads people
 * by ref and id (unique), so the search and report indexes (people_unit,
 * people_name_key, people_dup) go. candidacies when empty, for any bulk
 * load: the ledger reads them by person_id, so candidacies_unit,
 * candidacies_unit_open and candidacies_open_stage go; a steps import
 * into a database without candidacies (a national export's: 811,966 of
 * them, each inserted and its stage written once) would otherwise keep
 * three indexes up to date row by row, the open-stage pair twice a
 * candidacy. */
enum bulk_when {
	BULK_FEWER,	/* fewer rows there than are coming */
	BULK_FILL_EMPTY,	/* STORE_BULK_FILL, and the table empty */
	BULK_EMPTY,	/* the table empty, rows coming (not the demo's 0) */
};

static const struct bulk_table {
	const char *table, *read_by;
	enum bulk_when when;
} bulk_tables[] = {
	{ "steps", "candidacy_id", BULK_FEWER },
	{ "people", NULL, BULK_FILL_EMPTY },
	{ "candidacies", "person_id", BULK_EMPTY },
};

/* Add the indexes bulk_index_sql finds on t to s->bulk_idx. */
static enum kn_err bulk_collect(struct sq *s, const struct bulk_table *t)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, bulk_index_sql, -1, &st, NULL) != SQLITE_OK)
		return fail(s, "bulk indexes");
	sqlite3_bind_text(st, 1, t->table, -1, SQLITE_STATIC);
	if (t->read_by)
		sqlite3_bind_text(st, 2, t->read_by, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s->bulk_idx = xreallocarray(s->bulk_idx, s->bulk_nidx + 2, sizeof(*s->bulk_idx));
		/* The name first (the DROP), then the text (the CREATE). */
		s->bulk_idx[s->bulk_nidx++] = xstrdup((const char *)sqlite3_column_text(st, 0));
		s->bulk_idx[s->bulk_nidx++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(s, "bulk indexes");
	return KN_OK;
}

/* Drop migration 016's insert trigger for the load (see above), keeping
 * its text and the largest step id. A database before 016 has none. */
static enum kn_err bulk_trigger_drop(struct sq *s)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
			       "AND name = 'steps_dates_insert' AND tbl_name = 'steps'", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(s, "bulk trigger");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		s->bulk_trigger = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fail(s, "bulk trigger");
	if (!s->bulk_trigger)
		return KN_OK;
	s->bulk_step_max = pragma_int(s, "SELECT COALESCE(MAX(id), 0) FROM steps", 0);
	return exec(s, "DROP TRIGGER steps_dates_insert");
}

/* The dates of the candidacies the load gave steps to, then the trigger
 * back (see above). */
static enum kn_err bulk_trigger_restore(struct sq *s)
{
	enum kn_err e;

	if (!s->bulk_trigger)
		return KN_OK;
	if ((e = store_bulk_redate(&s->base, s->bulk_step_max)) != KN_OK)
		return e;
	if ((e = exec(s, s->bulk_trigger)) != KN_OK)
		return e;
	free(s->bulk_trigger);
	s->bulk_trigger = NULL;
	return KN_OK;
}

/* The page cache while bulk_end() builds the deferred indexes (MB). */
#define BULK_SORT_CACHE_MB 32

static enum kn_err bulk_begin(struct store *base, size_t rows)
{
	struct sq *s = (struct sq *)base;
	char text[96];
	enum kn_err e;

	if (s->bulk)
		return KN_OK;
	s->bulk_cache = pragma_int(s, "PRAGMA cache_size", -2000);
	s->bulk = 1;
	s->base.bulk_dated = 0;
	snprintf(text, sizeof(text), "PRAGMA cache_size = %lld",
		 -(long long)STORE_BULK_CACHE_MB * 1024);
	if ((e = exec(s, text)) != KN_OK)
		return e;
	/* The statement journals are in memory already (sq_tx_begin()).
	 * temp_store stays as it is: under MEMORY, the sort of an index built
	 * by store_bulk_end() keeps every run in memory — 1.3 GB for
	 * people_name_key of the national demo, against 270 MB and half the
	 * time with its runs in temporary files. */

	for (size_t k = 0; k < sizeof(bulk_tables) / sizeof(bulk_tables[0]); k++) {
		const struct bulk_table *t = &bulk_tables[k];
		/* The ids only grow: the largest is the most rows there can
		 * be, read from the end of the b-tree rather than counted. */
		char *q = sqlite3_mprintf("SELECT COALESCE(MAX(id), 0) FROM \"%w\"", t->table);
		long long have = pragma_int(s, q, 0);
		sqlite3_free(q);
		int defer = t->when == BULK_FEWER ? (size_t)have < rows
			    : t->when == BULK_EMPTY ? have == 0 && rows > 0
			    : rows == STORE_BULK_FILL && have == 0;
		if (!defer)
			continue;	/* a big table: inserting into its indexes is cheaper */
		if ((e = bulk_collect(s, t)) != KN_OK)
			return e;
	}
	for (size_t i = 0; i < s->bulk_nidx; i += 2) {
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", s->bulk_idx[i]);
		e = exec(s, drop);
		sqlite3_free(drop);
		if (e != KN_OK)
			return e;
	}
	return bulk_trigger_drop(s);
}

static enum kn_err bulk_end(struct store *base)
{
	struct sq *s = (struct sq *)base;
	enum kn_err e;

	if (!s->bulk)
		return KN_OK;
	/* The dates first, with the load's big cache: the candidacies' rows
	 * are written once more, and no deferred index holds a date. */
	if ((e = bulk_trigger_restore(s)) != KN_OK)
		return e;	/* the caller rolls back: the trigger comes back */
	/* SQLite's sorter keeps a run of up to cache_size bytes in memory
	 * before it writes it out, on top of the page cache: with the load's
	 * 128 MB cache, rebuilding steps_step_date after a national import
	 * added 128 MB to a peak that must stay <= 500 MB (issue 13). A
	 * smaller cache for the index builds bounds both; an index built from
	 * the finished table is a sequential scan and one merge of the runs,
	 * which need little cache. bulk_forget() puts the caller's size back. */
	if (s->bulk_nidx) {
		/* KETNAP_BULK_SORT_KB: a smaller one, so that a test's small
		 * file makes the sorter write its runs out and merge them
		 * (SQLite keeps at least 250 pages in memory whatever this). */
		const char *env = getenv("KETNAP_BULK_SORT_KB");
		long long kb = env && *env ? strtoll(env, NULL, 10) : 0;
		char text[64];
		if (kb <= 0)
			kb = (long long)BULK_SORT_CACHE_MB * 1024;
		snprintf(text, sizeof(text), "PRAGMA cache_size = %lld", -kb);
		if ((e = exec(s, text)) != KN_OK)
			return e;
	}
	for (size_t i = 0; i < s->bulk_nidx; i += 2)
		if ((e = exec(s, s->bulk_idx[i + 1])) != KN_OK)
			return e;	/* the caller rolls back: the indexes come back */
	bulk_forget(s);
	return KN_OK;
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
		char name[16];
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
	.audit_eager = 1,
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
	.rows_each = sq_rows_each,
	.raw_begin = sq_raw_begin,
	.row_put = sq_row_put,
	.raw_commit = sq_raw_commit,
	.busy = sq_busy,
	.bulk_begin = bulk_begin,
	.bulk_end = bulk_end,
};
