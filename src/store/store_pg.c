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
 * unique violations are KN_ECONFLICT too. Inside a bulk load
 * (store_bulk_begin) the steps import's writes are sent ahead without
 * waiting for each answer (libpq's pipeline mode): see "bulk loads".
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

#define MAX_TABLES 32

struct pg {
	struct store base;	/* first: a struct pg is a struct store */
	PGconn *conn;
	char *url;		/* as given, for pg_dump */
	char *safe_url;		/* password blanked, for messages */
	unsigned char raw_prepared[MAX_TABLES][2];	/* [table][0 get, 1 put] */
	long long written;	/* rows inserted, updated or deleted on this connection */
	long long next_analyze;	/* ANALYZE once `written` reaches this */
	unsigned wrote;		/* bit i: analyze_tables[i] written since the last ANALYZE */
	unsigned char tprep[S__COUNT];	/* the statement table's, prepared */
	unsigned char putprep[S__COUNT];	/* each one's insert with the id (put_text) */
	/* A bulk load (store_bulk_begin; see "bulk loads" below). */
	int bulk;
	int pipe;		/* in libpq's pipeline mode, writes sent ahead */
	struct ahead *ahead;	/* what was sent since the pipeline began */
	size_t nahead, capahead;
	struct idpool {		/* ids drawn ahead, per table of pool_table[] */
		char *seq;	/* its id sequence */
		int64_t *ids;	/* drawn; ids[at..n) not yet used */
		size_t n, at;
		int64_t first;	/* the first id drawn by this load (0: none) */
		int64_t last;	/* the last id used by this load (0: none) */
	} pool[2];
	struct {		/* a candidacy's stage moves, held back */
		int on;
		long long n;	/* how many moves, one after another */
		char v[4][48];	/* cand_stage's $1..$4 of the first (the last's stage) */
	} held;
	char **idx;		/* dropped indexes: name, definition, … */
	size_t nidx;
	long long bulk_step_max;	/* the largest step id before the load */
	char idtext[24];	/* a pipelined insert's id, as its one-row result */
	/* New rows by COPY (see there). */
	struct {
		int on;		/* a COPY into copy_kinds[kind]'s table in progress */
		int kind;
		unsigned made;	/* bit k: copy_kinds[k]'s table made in this transaction */
		struct buf data;	/* rows not yet handed to libpq */
		long long n;	/* rows in the COPY */
		long long seq;	/* rows copied in this transaction: their order */
		char **idx;	/* indexes dropped till the commit: name, definition, … */
		size_t nidx;
	} cp;
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

/* PostgreSQL's detail of failure r, which names the row's key ("Key
 * (code)=(…) already exists"), after the message fail_res() set: for a
 * statement that writes many rows (S_UNITS_ADD), where the message alone
 * does not say which. */
static void detail_add(struct pg *s, const PGresult *r)
{
	const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	char line[200];
	size_t at = strlen(s->base.errmsg);

	one_line(line, sizeof(line), detail);
	if (*line && at + 4 < sizeof(s->base.errmsg))
		snprintf(s->base.errmsg + at, sizeof(s->base.errmsg) - at, " (%s)", line);
}

/* ---- connection ---- */

static enum kn_err pipe_end(struct pg *s, PGresult **keep);
static enum kn_err copy_end(struct pg *s);
static void copy_abort(struct pg *s);
static void copy_forget(struct pg *s);
static enum kn_err copy_rebuild(struct pg *s);
static enum kn_err held_flush(struct pg *s);
static enum kn_err pg_bulk_end(struct store *base);
static void bulk_forget(struct pg *s);

/* Make sure the connection is up; outside a transaction a dropped one
 * is reset (and every statement must be prepared again). Writes a bulk
 * load sent ahead are waited for first: whatever runs next sees them. */
static enum kn_err ensure_conn(struct pg *s)
{
	char line[400];
	enum kn_err e;
	if (s->cp.on && (e = copy_end(s)) != KN_OK)
		return e;
	if (s->pipe && (e = pipe_end(s, NULL)) != KN_OK)
		return e;
	if (PQstatus(s->conn) == CONNECTION_OK)
		return KN_OK;
	if (s->base.depth > 0) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg),
			 "the connection to %.300s was lost inside a transaction", s->safe_url);
		s->base.txerr = 1;
		return KN_EIO;
	}
	PQreset(s->conn);
	memset(s->raw_prepared, 0, sizeof(s->raw_prepared));
	memset(s->tprep, 0, sizeof(s->tprep));
	memset(s->putprep, 0, sizeof(s->putprep));
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
 * another writer's ANALYZE wait. Only the tables written since are
 * analyzed (issue 13: a quotas import after a province's people spent a
 * third of its time analyzing people and steps again). */
static const char *const analyze_tables[] = { "units", "people", "candidacies", "steps" };
#define ANALYZE_ALL ((1u << (sizeof(analyze_tables) / sizeof(analyze_tables[0]))) - 1)

/* The tables of analyze_tables that statement text sql may write: none
 * for a SELECT, the table of a plain INSERT, UPDATE or DELETE, all of
 * them for anything else. */
static unsigned sql_tables(const char *sql)
{
	static const char *const verbs[] = { "INSERT INTO ", "UPDATE ", "DELETE FROM " };
	if (strncmp(sql, "SELECT ", 7) == 0)
		return 0;
	for (size_t v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
		size_t nv = strlen(verbs[v]);
		if (strncmp(sql, verbs[v], nv) != 0)
			continue;
		for (size_t i = 0; i < sizeof(analyze_tables) / sizeof(analyze_tables[0]); i++) {
			size_t n = strlen(analyze_tables[i]);
			if (strncmp(sql + nv, analyze_tables[i], n) == 0 &&
			    (sql[nv + n] == ' ' || sql[nv + n] == '(' || sql[nv + n] == 0))
				return 1u << i;
		}
		return 0;	/* another table */
	}
	return ANALYZE_ALL;
}

static void analyze_if_due(struct pg *s)
{
	const char *const *tables = analyze_tables;
	if (s->base.depth > 0 || s->written < s->next_analyze)
		return;
	s->next_analyze = s->written + 1000;
	for (size_t i = 0; i < sizeof(analyze_tables) / sizeof(analyze_tables[0]); i++) {
		if (!(s->wrote & (1u << i)))
			continue;
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
	s->wrote = 0;
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
	s->wrote |= sql_tables(text);
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
	buf_init(&s->cp.data);
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
	PQfinish(s->conn);	/* a COPY in progress is rolled back with the rest */
	bulk_forget(s);
	copy_forget(s);
	buf_release(&s->cp.data);
	free(s->ahead);
	free(s->pool[0].ids);
	free(s->pool[1].ids);
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
			store_now_iso(at);
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
	/* New rows copied, moved to their tables; a bulk load's writes
	 * sent ahead, read; its dropped indexes built again, before anything
	 * commits. */
	if (s->cp.on && s->base.txerr)
		copy_abort(s);
	else if (s->cp.on && copy_end(s) != KN_OK)
		s->base.txerr = 1;
	if (!s->base.txerr && copy_rebuild(s) != KN_OK)
		s->base.txerr = 1;
	copy_forget(s);
	if (s->bulk && !s->base.txerr && pg_bulk_end(base) != KN_OK)
		s->base.txerr = 1;
	if (s->pipe)
		pipe_end(s, NULL);
	if (s->base.txerr) {
		char msg[sizeof(s->base.errmsg)];
		snprintf(msg, sizeof(msg), "%s", s->base.errmsg);
		PQclear(PQexec(s->conn, "ROLLBACK"));
		s->base.txerr = 0;
		bulk_forget(s);
		snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s", msg);
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
	char msg[sizeof(s->base.errmsg)];
	/* The writes sent ahead are read (and dropped) first: libpq takes no
	 * other command while they are due. The message stays the caller's. */
	snprintf(msg, sizeof(msg), "%s", s->base.errmsg);
	copy_abort(s);
	if (s->pipe)
		pipe_end(s, NULL);
	snprintf(s->base.errmsg, sizeof(s->base.errmsg), "%s", msg);
	PQclear(PQexec(s->conn, "ROLLBACK"));
	s->base.txerr = 0;
	/* The rollback brought the dropped indexes back by itself. */
	bulk_forget(s);
	copy_forget(s);
}

/* ---- the driver of the statement table ---- */

/* The parameters' types, from the table's letters, so that PostgreSQL
 * needs no cast ("$1 IS NULL" of a text). */
#define PG_INT8 20
#define PG_TEXT 25

/* Prepare statement id once per connection, with its parameters' types. */
static enum kn_err table_prepare(struct pg *s, enum stmt_id id)
{
	const struct stmt *t = &store_stmts[id];
	Oid types[STORE_MAX_ARGS];
	int n = 0;
	enum kn_err e;
	if (s->tprep[id])
		return KN_OK;
	for (; t->params[n]; n++)
		types[n] = t->params[n] == 'i' ? PG_INT8 : PG_TEXT;
	PGresult *p = PQprepare(s->conn, t->name, t->sql_pg ? t->sql_pg : t->sql, n, types);
	if (!ok_status(p)) {
		e = fail_res(s, t->name, p);
		PQclear(p);
		return e;
	}
	PQclear(p);
	s->tprep[id] = 1;
	return KN_OK;
}

static enum kn_err pg_q_describe(struct store *base, enum stmt_id id, int *nparams, int *ncols)
{
	struct pg *s = (struct pg *)base;
	enum kn_err e;
	PGresult *r;
	if ((e = ensure_conn(s)) != KN_OK || (e = table_prepare(s, id)) != KN_OK)
		return e;
	r = PQdescribePrepared(s->conn, store_stmts[id].name);
	if (!ok_status(r)) {
		e = fail_res(s, store_stmts[id].name, r);
		PQclear(r);
		return e;
	}
	*nparams = PQnparams(r);
	*ncols = PQnfields(r);
	PQclear(r);
	return KN_OK;
}

/* ---- bulk loads (store.h: store_bulk_begin) ----
 *
 * Measured on the steps import of a generated city (issue 13, ×1: 30 k
 * steps): PostgreSQL took 12× SQLite's time, nine tenths of it waiting,
 * since every statement was a round trip to the server (90 k of them,
 * 3.4 s of execution in 15 s), and a custom plan was made again for
 * each execution of the step insert (its MAX(seq) sublink). A bulk load
 * therefore:
 *
 * - sends the writes whose answer is known in advance ahead, in libpq's
 *   pipeline mode, without waiting: the step and candidacy inserts, the
 *   candidacy's stage and the step's unit (the table ahead_stmts). Their
 *   results are read when anything else runs (ensure_conn, or a read
 *   sent in the same pipeline: one round trip for the writes and the
 *   read), and at store_bulk_end() or the commit at the latest; a
 *   candidacy's stage moves, one per step, are held back and sent as one
 *   (held_flush) before anything but the same person's step inserts;
 * - gives each of those inserts its id from a block of ids drawn from
 *   the table's sequence in one statement (RETURNING id would be a round
 *   trip per row): the insert with the id is the table's statement with an
 *   id column put in front (put_text); ids left over are given back to
 *   the sequence at the end;
 * - holds steps and candidacies in SHARE ROW EXCLUSIVE mode from
 *   store_bulk_begin() to the commit: readers go on, other writers wait,
 *   as on SQLite, where the import holds the only write lock. Nobody else
 *   draws their ids meanwhile, which makes giving the left-over ids back
 *   safe;
 * - sets synchronous_commit off for its transaction (it is all or
 *   nothing anyway), generic plans for its prepared statements, a bigger
 *   maintenance_work_mem for the index builds, and, when steps holds
 *   fewer rows than are coming, drops the secondary indexes of steps the
 *   writer never reads (as store_sqlite.c
 *   does: not unique, not led by candidacy_id — the date indexes and
 *   steps_unit), and, when candidacies is empty, those of candidacies not
 *   led by person_id (its unit and open-stage indexes: the stage write
 *   of a new candidacy then updates two indexes, not five, or none when
 *   PostgreSQL can make it a HOT update), and builds them again at the
 *   end. DROP INDEX locks steps
 *   against readers too until the commit: the price of building an index
 *   once from the finished table instead of row by row; only a load into
 *   a (nearly) empty table pays it. PostgreSQL's DDL is transactional: a
 *   rollback, an error or a kill -9 brings the indexes back;
 * - says `SET LOCAL ketnap.bulk TO 'on'`, which the insert trigger of
 *   migration 016 (steps_dates_insert: an UPDATE of the candidacy per
 *   step) checks in its WHEN condition (migration 017), and at
 *   store_bulk_end() sets the dates of the candidacies given steps in one
 *   statement (S_CAND_DATES_SINCE) — none when the ledger wrote every
 *   candidacy's dates with its stage (store_candidacy_stage_n) — then the
 *   setting off again.
 *
 * What can still fail once a write was sent ahead: the rules judged every
 * row before the ledger wrote it, and the transaction holds the candidacy's
 * row lock since it read its version, so only what would be a bug here
 * (a constraint violation, a candidacy that is not there, a lost
 * connection) — not a fault of the file. Such a failure is reported by
 * whatever statement runs next, naming the write that failed; it has
 * marked the transaction failed (fail_res), so the import's commit rolls
 * everything back. It cannot be pinned to a line of the file.
 *
 * The people and quotas imports (issue 13) insert the rows they know are
 * new (store_person_add, store_quota_add) through COPY instead: see
 * "new rows by COPY" below. */

/* The statements a bulk load sends ahead, and how many rows each must
 * write (anything else is a failure found when the results are read). */
static const struct {
	enum stmt_id id;
	long long changes;
	int pool;		/* an insert given its id from pool[…], or -1 */
	int always;		/* sent ahead in any transaction, not only a bulk load */
} ahead_stmts[] = {
	{ S_STEP_INSERT, 1, 0, 0 },
	{ S_CAND_NEW, 1, 1, 0 },
	{ S_CAND_STAGE, 1, -1, 0 },	/* store_step_add checks "1" at once: see above */
	{ S_STEP_SET_UNIT, 1, -1, 0 },
	/* The ledger's deferred path (struct ledger's defer): a step appended
	 * with its number, and a candidacy's stage once for its steps. */
	{ S_STEP_APPEND_RET, 1, 0, 0 },
	{ S_CAND_STAGE_N, 1, -1, 0 },
	/* issue 13: a unit known to be new and its path (store_unit_add),
	 * in any transaction; what can fail is a fault of the program,
	 * reported with the unit's code by whatever runs next. The units
	 * import writes its new units a batch a statement instead
	 * (store_units_add, S_UNITS_ADD), and these only for a batch with a
	 * text that is not valid UTF-8. */
	{ S_UNIT_ADD, 1, -1, 1 },
	{ S_UNIT_ADD_PATH, 1, -1, 1 },
};

/* Writes sent ahead before their results are read (one round trip): a
 * bound on the client's memory for them, and on how far past a failed
 * row the stream goes before the failure is seen. */
#define AHEAD_MAX 8192

/* The tables of the id pools (struct pg's pool[]), locked by a bulk load. */
static const char *const pool_table[2] = { "steps", "candidacies" };

/* One statement sent in the pipeline: a write (changes: the rows it must
 * write) or the read that ends the pipeline (changes < 0). */
struct ahead {
	const char *name;
	long long changes;
	char key[64];		/* an "always" write's first parameter (its key), or "" */
};

#define IDS_BLOCK 1024

static void ahead_push(struct pg *s, const char *name, long long changes)
{
	if (s->nahead == s->capahead) {
		s->capahead = s->capahead ? s->capahead * 2 : 256;
		s->ahead = xreallocarray(s->ahead, s->capahead, sizeof(*s->ahead));
	}
	s->ahead[s->nahead].name = name;
	s->ahead[s->nahead].changes = changes;
	s->ahead[s->nahead].key[0] = 0;
	s->nahead++;
}

/* The first failure among the results read, in the store's message. */
static enum kn_err ahead_fail(struct pg *s, enum kn_err e, const struct ahead *a,
			      const PGresult *r)
{
	char msg[400];
	if (e != KN_OK)
		return e;	/* the first one is the cause; the rest were aborted */
	if (a->changes < 0)
		return fail_res(s, a->name, r);
	if (r && !ok_status(r)) {
		e = fail_res(s, a->name, r);
		snprintf(msg, sizeof(msg), "%.399s", s->base.errmsg);
	} else {
		e = KN_EIO;
		snprintf(msg, sizeof(msg), "%.100s: wrote %s rows instead of %lld", a->name,
			 r ? PQcmdTuples((PGresult *)r) : "no", a->changes);
	}
	if (a->key[0])
		snprintf(s->base.errmsg, sizeof(s->base.errmsg),
			 "the write of %.63s, sent ahead, failed on the server, a fault of the "
			 "program rather than of the file; nothing was kept: %.300s", a->key, msg);
	else
		snprintf(s->base.errmsg, sizeof(s->base.errmsg),
			 "a write sent ahead by the bulk load (for this row or an earlier one) "
			 "failed on the server, a fault of the program rather than of the file; "
			 "nothing was kept: %.300s", msg);
	s->base.txerr = 1;
	return e;
}

/* Read the results of everything sent ahead and leave pipeline mode.
 * keep: the last statement sent was a read whose result the caller
 * wants (*keep, to clear; NULL on failure). The first failure is the
 * one reported; the transaction is then marked failed. */
static enum kn_err pipe_end(struct pg *s, PGresult **keep)
{
	enum kn_err e = KN_OK;
	PGresult *r;

	if (keep)
		*keep = NULL;
	if (!s->pipe)
		return KN_OK;
	e = held_flush(s);	/* a failure stops the reading below at once */
	s->pipe = 0;	/* ensure_conn() below must not come back here */
	int synced = PQpipelineSync(s->conn), nulls = 0;
	if (!synced) {
		e = fail_res(s, "pipeline", NULL);
		s->base.txerr = 1;
	}
	for (size_t i = 0; i < s->nahead && e == KN_OK; i++) {
		const struct ahead *a = &s->ahead[i];
		int got = 0;
		while ((r = PQgetResult(s->conn))) {
			got = 1;
			if (a->changes < 0 && keep && !*keep && ok_status(r)) {
				*keep = r;	/* the read's rows */
				continue;
			}
			if (!ok_status(r) ||
			    (a->changes >= 0 && strtoll(PQcmdTuples(r), NULL, 10) != a->changes))
				e = ahead_fail(s, e, a, r);
			else
				count_written(s, r);
			PQclear(r);
		}
		if (!got)
			e = ahead_fail(s, e, a, NULL);
	}
	/* After a failure the server skipped the rest (PIPELINE_ABORTED)
	 * up to the sync; read on to it, or to the end of a dead connection. */
	while (synced && PQstatus(s->conn) == CONNECTION_OK) {
		ExecStatusType st;
		if (!(r = PQgetResult(s->conn))) {
			if (++nulls == 2)	/* nothing more is coming */
				break;
			continue;
		}
		nulls = 0;
		st = PQresultStatus(r);
		PQclear(r);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	s->nahead = 0;
	if (!PQexitPipelineMode(s->conn) && e == KN_OK) {
		e = fail_res(s, "pipeline", NULL);
		s->base.txerr = 1;
	}
	if (e != KN_OK && keep) {
		PQclear(*keep);
		*keep = NULL;
	}
	return e;
}

/* Enter pipeline mode (when not in it): 0 when libpq cannot (a result
 * still being read), and the statement then runs the ordinary way. */
static int pipe_start(struct pg *s)
{
	if (s->pipe)
		return 1;
	if (PQstatus(s->conn) != CONNECTION_OK || !PQenterPipelineMode(s->conn))
		return 0;
	s->pipe = 1;
	return 1;
}

/* Insert statement id with an id in front: "INSERT INTO table (id, …)
 * VALUES ($n, …)" without RETURNING id. NULL when its text is not of that
 * shape (the ordinary insert is then used). Caller frees. */
static char *put_text(enum stmt_id id, const char *table, int *nparams)
{
	const struct stmt *t = &store_stmts[id];
	const char *q = t->sql_pg ? t->sql_pg : t->sql;
	static const char ret[] = " RETURNING id", mid[] = ") VALUES (";
	const char *values = strstr(q, mid);
	size_t n = strlen(q), nret = sizeof(ret) - 1, nhead;
	struct buf head = BUF_INIT, b = BUF_INIT;

	*nparams = (int)strlen(t->params);
	buf_addf(&head, "INSERT INTO %s (", table);
	nhead = head.len;
	if (strncmp(q, head.s, nhead) != 0 || !values || n < nret ||
	    strcmp(q + n - nret, ret) != 0) {
		buf_release(&head);
		return NULL;
	}
	values += sizeof(mid) - 1;
	buf_addf(&b, "%sid, %.*s$%d, %.*s", head.s, (int)(values - q - nhead), q + nhead,
		 *nparams + 1, (int)(q + n - nret - values), values);
	buf_release(&head);
	return buf_detach(&b);
}

/* Draw the next block of ids of pool[k] (a read: it ends the pipeline). */
static enum kn_err ids_draw(struct pg *s, int k)
{
	struct idpool *pl = &s->pool[k];
	static const char text[] = "SELECT nextval($1::regclass) FROM generate_series(1, $2::int)";
	char num[24];
	const char *v[2] = { pl->seq, num };
	PGresult *r = NULL;
	enum kn_err e;

	snprintf(num, sizeof(num), "%d", IDS_BLOCK);
	if (s->pipe && (e = held_flush(s)) != KN_OK)
		return e;
	if (s->pipe && PQsendQueryParams(s->conn, text, 2, NULL, v, NULL, NULL, 0)) {
		ahead_push(s, "ids", -1);
		e = pipe_end(s, &r);
	} else {
		if ((e = ensure_conn(s)) != KN_OK)
			return e;
		r = PQexecParams(s->conn, text, 2, NULL, v, NULL, NULL, 0);
		if (!ok_status(r)) {
			e = fail_res(s, "ids", r);
			PQclear(r);
			return e;
		}
	}
	if (e != KN_OK)
		return e;
	pl->ids = xreallocarray(pl->ids, (size_t)PQntuples(r) + 1, sizeof(*pl->ids));
	pl->n = (size_t)PQntuples(r);
	pl->at = 0;
	for (size_t i = 0; i < pl->n; i++)
		pl->ids[i] = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
	PQclear(r);
	if (pl->n && !pl->first)
		pl->first = pl->ids[0];
	return KN_OK;
}

/* Send the stage moves held back, if any, as one S_CAND_STAGE_MOVES
 * (before anything that could read the candidacy, or end the pipeline). */
static enum kn_err held_flush(struct pg *s)
{
	char num[24];
	const char *v[5];
	if (!s->held.on)
		return KN_OK;
	s->held.on = 0;
	for (int i = 0; i < 4; i++)
		v[i] = s->held.v[i];
	snprintf(num, sizeof(num), "%lld", s->held.n);
	v[4] = num;
	if (!PQsendQueryPrepared(s->conn, store_stmts[S_CAND_STAGE_MOVES].name, 5, v, NULL, NULL,
				 0)) {
		enum kn_err e = fail_res(s, "cand_stage", NULL);
		s->base.txerr = 1;
		return e;
	}
	ahead_push(s, "cand_stage", 1);
	return KN_OK;
}

/* Whether cand_stage with parameters v moves on the candidacy whose move
 * is held (its next version), so that the two are one move. */
static int held_chains(const struct pg *s, const char **v)
{
	long long hv, nv;
	if (!s->held.on || strcmp(s->held.v[0], v[0]) != 0)
		return 0;
	hv = strtoll(s->held.v[3], NULL, 10);
	nv = strtoll(v[3], NULL, 10);
	return hv < 0 ? nv < 0 : nv == hv + s->held.n;
}

/* Send statement id ahead (a write of ahead_stmts, in a bulk load) and
 * give r the answer it will have: nothing, or for the step insert its id.
 * *sent 0: not sent (not such a write, or libpq cannot): run it as ever. */
static enum kn_err ahead_send(struct pg *s, enum stmt_id id, int n, const char **v,
			      struct srows *r, int *sent)
{
	const struct stmt *t = &store_stmts[id];
	long long changes = -1;
	int k = -1, always = 0;
	const char *vv[STORE_MAX_ARGS + 1];
	struct idpool *pl = NULL;
	char put[64];
	enum kn_err e;

	*sent = 0;
	for (size_t i = 0; i < sizeof(ahead_stmts) / sizeof(ahead_stmts[0]); i++)
		if (ahead_stmts[i].id == id) {
			changes = ahead_stmts[i].changes;
			k = ahead_stmts[i].pool;
			always = ahead_stmts[i].always;
		}
	if (changes < 0 || !(s->bulk || always) || s->base.depth == 0 || s->base.txerr)
		return KN_OK;
	if (always && s->pipe && s->nahead >= AHEAD_MAX && (e = pipe_end(s, NULL)) != KN_OK)
		return e;
	snprintf(put, sizeof(put), "%.50s_put", t->name);
	if (k >= 0) {
		pl = &s->pool[k];
		if (!pl->seq || n >= STORE_MAX_ARGS)
			return KN_OK;
		if (!s->putprep[id]) {
			int np;
			Oid types[STORE_MAX_ARGS + 1];
			char *text = put_text(id, pool_table[k], &np);
			PGresult *p;
			if (!text)
				return KN_OK;
			if ((e = ensure_conn(s)) != KN_OK) {
				free(text);
				return e;
			}
			for (int i = 0; i < np; i++)
				types[i] = t->params[i] == 'i' ? PG_INT8 : PG_TEXT;
			types[np] = PG_INT8;
			p = PQprepare(s->conn, put, text, np + 1, types);
			free(text);
			if (!ok_status(p)) {
				e = fail_res(s, put, p);
				PQclear(p);
				return e;
			}
			PQclear(p);
			s->putprep[id] = 1;
		}
		if (pl->at == pl->n && (e = ids_draw(s, k)) != KN_OK)
			return e;
		if (pl->at == pl->n)
			return KN_OK;
	} else if (!s->tprep[id]) {
		if ((e = ensure_conn(s)) != KN_OK || (e = table_prepare(s, id)) != KN_OK)
			return e;
	}
	if (id == S_CAND_STAGE && !s->tprep[S_CAND_STAGE_MOVES] &&
	    ((e = ensure_conn(s)) != KN_OK || (e = table_prepare(s, S_CAND_STAGE_MOVES)) != KN_OK))
		return e;
	if (!pipe_start(s))
		return KN_OK;
	/* A stage move is held back while the same person's steps follow
	 * (only step inserts and their units may pass it: they do not read
	 * the candidacy's row); anything else sends it first. */
	if (id == S_CAND_STAGE && n == 4 && v[0] && v[1] && v[2] &&
	    v[3] && strlen(v[1]) < sizeof(s->held.v[1])) {
		if (held_chains(s, v)) {
			snprintf(s->held.v[1], sizeof(s->held.v[1]), "%s", v[1]);
			snprintf(s->held.v[2], sizeof(s->held.v[2]), "%s", v[2]);
			s->held.n++;
		} else {
			if ((e = held_flush(s)) != KN_OK)
				return e;
			for (int i = 0; i < 4; i++)
				snprintf(s->held.v[i], sizeof(s->held.v[i]), "%s", v[i]);
			s->held.n = 1;
			s->held.on = 1;
		}
		r->h = NULL;
		r->nrows = 0;
		r->live = 1;
		r->row = -1;
		r->changes = changes;
		*sent = 1;
		return KN_OK;
	}
	if (id != S_STEP_INSERT && id != S_STEP_SET_UNIT && (e = held_flush(s)) != KN_OK)
		return e;
	memcpy(vv, v, (size_t)n * sizeof(*v));
	if (pl) {
		snprintf(s->idtext, sizeof(s->idtext), "%lld", (long long)pl->ids[pl->at]);
		vv[n] = s->idtext;
		if (!PQsendQueryPrepared(s->conn, put, n + 1, vv, NULL, NULL, 0))
			return fail_res(s, t->name, NULL);
		pl->last = pl->ids[pl->at++];
		ahead_push(s, t->name, changes);
		r->nrows = 1;	/* its id, from s->idtext */
		r->live = 3;
	} else {
		if (!PQsendQueryPrepared(s->conn, t->name, n, vv, NULL, NULL, 0))
			return fail_res(s, t->name, NULL);
		ahead_push(s, t->name, changes);
		if (always && n > 0 && v[0])
			snprintf(s->ahead[s->nahead - 1].key, sizeof(s->ahead[0].key), "%s", v[0]);
		r->nrows = 0;
		r->live = 1;
	}
	r->h = NULL;
	r->row = -1;
	r->changes = changes;
	*sent = 1;
	return KN_OK;
}

/* A plain command of the bulk load's own (SET, LOCK, DROP, CREATE INDEX). */
static enum kn_err bulk_exec(struct pg *s, const char *text)
{
	return exec_text(s, text, "bulk load");
}

/* Forget the bulk load's state (after the rollback, or once done). */
static void bulk_forget(struct pg *s)
{
	for (size_t i = 0; i < s->nidx; i++)
		free(s->idx[i]);
	free(s->idx);
	s->idx = NULL;
	s->nidx = 0;
	for (int k = 0; k < 2; k++) {
		free(s->pool[k].seq);
		s->pool[k].seq = NULL;
		s->pool[k].n = s->pool[k].at = 0;
		s->pool[k].first = s->pool[k].last = 0;
	}
	s->held.on = 0;
	s->bulk = 0;
}

/* The secondary indexes of steps and candidacies that a bulk writer never
 * reads (see above and store_sqlite.c's bulk_tables): name, definition.
 * $1: steps holds fewer rows than are coming; $2: rows are coming (the
 * candidacies' only when that table is empty). */
static const char bulk_index_sql[] =
	"SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
	"JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisunique AND NOT i.indisprimary "
	"AND ((i.indrelid = 'steps'::regclass AND $1::boolean AND (SELECT a.attname "
	"FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0]) "
	"IS DISTINCT FROM 'candidacy_id') OR (i.indrelid = 'candidacies'::regclass "
	"AND $2::boolean AND NOT EXISTS (SELECT 1 FROM candidacies) AND (SELECT a.attname "
	"FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0]) "
	"IS DISTINCT FROM 'person_id')) ORDER BY c.relname";

static enum kn_err pg_bulk_begin(struct store *base, size_t rows)
{
	struct pg *s = (struct pg *)base;
	PGresult *r;
	enum kn_err e;
	long long have;

	if (s->bulk)
		return KN_OK;
	s->bulk = 1;
	s->base.bulk_dated = 0;
	if ((e = bulk_exec(s, "SET LOCAL synchronous_commit TO off")) != KN_OK ||
	    (e = bulk_exec(s, "SET LOCAL maintenance_work_mem TO '256MB'")) != KN_OK ||
	    (e = bulk_exec(s, "SET LOCAL plan_cache_mode TO force_generic_plan")) != KN_OK ||
	    (e = bulk_exec(s, "LOCK TABLE steps, candidacies IN SHARE ROW EXCLUSIVE MODE")) !=
	    KN_OK ||
	    (e = bulk_exec(s, "SET LOCAL ketnap.bulk TO 'on'")) != KN_OK)
		return e;
	r = PQexec(s->conn, "SELECT pg_get_serial_sequence('steps', 'id'), "
		   "pg_get_serial_sequence('candidacies', 'id'), "
		   "(SELECT COALESCE(MAX(id), 0) FROM steps)");
	if (!ok_status(r) || PQntuples(r) != 1) {
		e = fail_res(s, "bulk load", r);
		PQclear(r);
		return e;
	}
	for (int k = 0; k < 2; k++)
		if (!PQgetisnull(r, 0, k))
			s->pool[k].seq = xstrdup(PQgetvalue(r, 0, k));
	have = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	PQclear(r);
	s->bulk_step_max = have;
	/* steps' indexes unless it is a big table (inserting into its
	 * indexes is then cheaper); candidacies' when it is empty and rows
	 * are coming (not the people import's 0). */
	{
		const char *v[2] = { have >= 0 && (size_t)have >= rows ? "f" : "t",
				     rows > 0 ? "t" : "f" };
		r = PQexecParams(s->conn, bulk_index_sql, 2, NULL, v, NULL, NULL, 0);
	}
	if (!ok_status(r)) {
		e = fail_res(s, "bulk indexes", r);
		PQclear(r);
		return e;
	}
	s->idx = xreallocarray(NULL, (size_t)PQntuples(r) * 2 + 1, sizeof(*s->idx));
	for (int i = 0; i < PQntuples(r); i++) {
		s->idx[s->nidx++] = xstrdup(PQgetvalue(r, i, 0));
		s->idx[s->nidx++] = xstrdup(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	for (size_t i = 0; i < s->nidx; i += 2) {
		struct buf q = BUF_INIT;
		char *name = PQescapeIdentifier(s->conn, s->idx[i], strlen(s->idx[i]));
		buf_addf(&q, "DROP INDEX %s", name ? name : s->idx[i]);
		PQfreemem(name);
		e = bulk_exec(s, q.s);
		buf_release(&q);
		if (e != KN_OK)
			return e;
	}
	return KN_OK;
}

static enum kn_err pg_bulk_end(struct store *base)
{
	struct pg *s = (struct pg *)base;
	enum kn_err e;

	if (!s->bulk)
		return KN_OK;
	if ((e = ensure_conn(s)) != KN_OK)	/* the writes sent ahead, read */
		return e;
	/* The dates of the candidacies given steps, which the insert trigger
	 * skipped (migration 017), before the indexes: they read steps by
	 * candidacy only. The steps' ids come from their sequence, and no
	 * other writer of steps since store_bulk_begin() (the lock): the
	 * load's are those above the largest before it. */
	if ((e = store_bulk_redate(base, s->bulk_step_max)) != KN_OK ||
	    (e = bulk_exec(s, "SET LOCAL ketnap.bulk TO 'off'")) != KN_OK)
		return e;
	for (size_t i = 0; i < s->nidx; i += 2)
		if ((e = bulk_exec(s, s->idx[i + 1])) != KN_OK)
			return e;	/* the caller rolls back: the indexes come back */
	/* The ids drawn and not used go back to the sequences: their tables
	 * are locked against other writers since store_bulk_begin(), so every
	 * id drawn since was this load's. */
	for (int k = 0; k < 2; k++) {
		struct idpool *pl = &s->pool[k];
		char num[24];
		const char *v[3] = { pl->seq, num, NULL };
		int64_t last = pl->last ? pl->last : pl->first - 1;
		PGresult *r;
		if (!pl->first || pl->at == pl->n)
			continue;
		snprintf(num, sizeof(num), "%lld", (long long)(last > 0 ? last : 1));
		v[2] = last > 0 ? "t" : "f";
		r = PQexecParams(s->conn, "SELECT setval($1::regclass, $2::bigint, $3::boolean)", 3,
				 NULL, v, NULL, NULL, 0);
		if (!ok_status(r)) {
			e = fail_res(s, "ids", r);
			PQclear(r);
			return e;
		}
		PQclear(r);
	}
	bulk_forget(s);
	return KN_OK;
}

/* ---- new rows by COPY (issue 13) ----
 *
 * The people and quotas imports read every stored row of their kind in
 * their transaction, and insert the rows that are not there with
 * store_person_add()/store_quota_add(), with no read in between. Sent one
 * statement each, even in a pipeline, a province's 300 k people cost the
 * server some 60 µs apiece (parse-free, but a bind, an executor start,
 * the unit's lookup and five index inserts per row), more than SQLite's
 * whole import. So those rows go by COPY FROM STDIN into a temporary
 * table of the transaction (ON COMMIT DROP), each with its order, and
 * when anything else runs (ensure_conn(), a different statement) or at
 * the commit, one INSERT … SELECT moves them into the real table in that
 * order, the unit's code resolved by the same subquery as the statement's
 * (BY_CODE): the same rows, ids, defaults, constraints and triggers as
 * the statements one by one. Nothing is in the real table before the
 * move, the move is one statement of the import's transaction, and a
 * rollback, an error or a kill -9 leaves nothing (the temporary table
 * goes with the session).
 *
 * What can fail is a fault of the program rather than of the file (the
 * importer checked each row's unit, sex, dates and uniqueness, and read
 * every stored row in the same transaction) or a concurrent writer's row
 * (a unique violation: KN_ECONFLICT, as before). Such a failure is
 * reported by whatever runs next, with PostgreSQL's detail, which names
 * the row's key ("Key (ref)=(…) already exists"), and the transaction
 * rolls back.
 *
 * When the table is empty at the first COPY of a transaction (a first
 * import), its secondary indexes that are not unique are dropped then and
 * built again from the finished table before the commit (copy_rebuild):
 * at a province's 300 k people, inserting into people's three such
 * indexes row by row was some 8 s of the move, building them 2.5 s. The
 * importer reads none of them meanwhile (it looks people up by ref, the
 * unique index, and the possible duplicates of a first import in its own
 * memory). As with the steps bulk load, DROP INDEX locks the table
 * against readers too until the commit, and a rollback, an error or a
 * kill -9 brings the indexes back. */
static const struct copy_kind {
	enum stmt_id id;
	const char *make;	/* the temporary table, for the transaction */
	const char *copy;	/* COPY into it: n, then the statement's parameters */
	const char *move;	/* its rows into the real table, in order */
	const char *empty;
	const char *defer;	/* the indexes to defer, when the table is empty */
} copy_kinds[] = {
	{ S_PERSON_ADD,
	  "CREATE TEMP TABLE kn_add_people ON COMMIT DROP AS SELECT 0::bigint AS n, "
	  "''::text AS unit_code, ref, full_name, search_name, sex, birth_date, ethnicity, "
	  "religion, education, qualification, occupation, youth_union, trade_union, "
	  "member_since, official_since, phone, note, name_key, left_on, left_reason, "
	  "record_cleared_on, readmitted FROM people WHERE false",
	  "COPY kn_add_people (n, ref, full_name, search_name, sex, birth_date, unit_code, "
	  "ethnicity, religion, education, qualification, occupation, youth_union, trade_union, "
	  "member_since, official_since, phone, note, name_key, left_on, left_reason, "
	  "record_cleared_on, readmitted) FROM STDIN",
	  "INSERT INTO people (ref, full_name, search_name, sex, birth_date, unit_id, ethnicity, "
	  "religion, education, qualification, occupation, youth_union, trade_union, "
	  "member_since, official_since, phone, note, name_key, left_on, left_reason, "
	  "record_cleared_on, readmitted) SELECT ref, full_name, search_name, sex, birth_date, "
	  "(SELECT id FROM units WHERE code = a.unit_code), ethnicity, religion, education, "
	  "qualification, occupation, youth_union, trade_union, member_since, official_since, "
	  "phone, note, name_key, left_on, left_reason, record_cleared_on, readmitted "
	  "FROM kn_add_people a ORDER BY n",
	  "TRUNCATE kn_add_people",
	  "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
	  "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'people'::regclass "
	  "AND NOT i.indisunique AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM people) "
	  "ORDER BY c.relname" },
	{ S_QUOTA_ADD,
	  "CREATE TEMP TABLE kn_add_quotas ON COMMIT DROP AS SELECT 0::bigint AS n, "
	  "''::text AS unit_code, year, category, target FROM quotas WHERE false",
	  "COPY kn_add_quotas (n, unit_code, year, category, target) FROM STDIN",
	  "INSERT INTO quotas (unit_id, year, category, target) "
	  "SELECT (SELECT id FROM units WHERE code = a.unit_code), year, category, target "
	  "FROM kn_add_quotas a ORDER BY n",
	  "TRUNCATE kn_add_quotas", NULL },
};

/* Rows are handed to libpq in pieces of about this size. */
#define COPY_CHUNK (256 * 1024)

/* A failure of the copy's kind k, with PostgreSQL's detail (the key). */
static enum kn_err copy_fail(struct pg *s, int k, const PGresult *r)
{
	const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
	char msg[sizeof(s->base.errmsg)], line[160];
	enum kn_err e = fail_res(s, store_stmts[copy_kinds[k].id].name, r);
	one_line(line, sizeof(line), detail);
	snprintf(msg, sizeof(msg), "%s", s->base.errmsg);
	snprintf(s->base.errmsg, sizeof(s->base.errmsg),
		 "new rows sent ahead failed on the server, a fault of the program rather than of "
		 "the file; nothing was kept: %.230s%s%.150s%s", msg, *line ? " (" : "", line,
		 *line ? ")" : "");
	s->base.txerr = 1;
	return e;
}

static int copy_put(struct pg *s)
{
	int ok = 1;
	if (s->cp.data.len)
		ok = PQputCopyData(s->conn, s->cp.data.s, (int)s->cp.data.len) == 1;
	buf_reset(&s->cp.data);
	return ok;
}

/* The rows copied, moved into their table (the COPY ended first). */
static enum kn_err copy_end(struct pg *s)
{
	const struct copy_kind *c = &copy_kinds[s->cp.kind];
	enum kn_err e = KN_OK;
	PGresult *r;
	int ok;

	if (!s->cp.on)
		return KN_OK;
	s->cp.on = 0;
	ok = copy_put(s);
	ok = PQputCopyEnd(s->conn, ok ? NULL : "the rows could not be sent") == 1 && ok;
	while ((r = PQgetResult(s->conn))) {
		if (e == KN_OK && !ok_status(r))
			e = copy_fail(s, s->cp.kind, r);
		PQclear(r);
	}
	if (e == KN_OK && !ok)
		e = copy_fail(s, s->cp.kind, NULL);
	if (e != KN_OK)
		return e;
	r = PQexec(s->conn, c->move);
	if (!ok_status(r)) {
		e = copy_fail(s, s->cp.kind, r);
	} else if (strtoll(PQcmdTuples(r), NULL, 10) != s->cp.n) {
		snprintf(s->base.errmsg, sizeof(s->base.errmsg),
			 "%s: wrote %s rows instead of %lld", store_stmts[c->id].name,
			 PQcmdTuples(r), s->cp.n);
		s->base.txerr = 1;
		e = KN_EIO;
	} else {
		s->written += s->cp.n;	/* for analyze_if_due(), after the commit */
	}
	PQclear(r);
	if (e != KN_OK)
		return e;
	r = PQexec(s->conn, c->empty);
	if (!ok_status(r))
		e = copy_fail(s, s->cp.kind, r);
	PQclear(r);
	s->cp.n = 0;
	return e;
}

/* Drop the indexes of copy_kinds[k].defer (none when its table holds rows). */
static enum kn_err copy_defer(struct pg *s, int k)
{
	PGresult *r;
	enum kn_err e = KN_OK;
	size_t from = s->cp.nidx;

	if (!copy_kinds[k].defer)
		return KN_OK;
	r = PQexec(s->conn, copy_kinds[k].defer);
	if (!ok_status(r)) {
		e = copy_fail(s, k, r);
		PQclear(r);
		return e;
	}
	if (PQntuples(r) > 0 &&
	    (e = exec_text(s, "SET LOCAL maintenance_work_mem TO '256MB'", "copy")) != KN_OK) {
		PQclear(r);
		return e;
	}
	s->cp.idx = xreallocarray(s->cp.idx, s->cp.nidx + (size_t)PQntuples(r) * 2 + 1,
				  sizeof(*s->cp.idx));
	for (int i = 0; i < PQntuples(r); i++) {
		s->cp.idx[s->cp.nidx++] = xstrdup(PQgetvalue(r, i, 0));
		s->cp.idx[s->cp.nidx++] = xstrdup(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	for (size_t i = from; i < s->cp.nidx && e == KN_OK; i += 2) {
		struct buf q = BUF_INIT;
		char *name = PQescapeIdentifier(s->conn, s->cp.idx[i], strlen(s->cp.idx[i]));
		buf_addf(&q, "DROP INDEX %s", name ? name : s->cp.idx[i]);
		PQfreemem(name);
		e = exec_text(s, q.s, "copy");
		buf_release(&q);
	}
	return e;
}

/* Forget the indexes dropped (the rollback brought them back, or they
 * were built again). */
static void copy_forget(struct pg *s)
{
	for (size_t i = 0; i < s->cp.nidx; i++)
		free(s->cp.idx[i]);
	free(s->cp.idx);
	s->cp.idx = NULL;
	s->cp.nidx = 0;
	s->cp.made = 0;	/* ON COMMIT DROP, and dropped by a rollback */
	s->cp.seq = 0;
}

/* Build the indexes copy_defer() dropped again, before the commit. */
static enum kn_err copy_rebuild(struct pg *s)
{
	enum kn_err e = KN_OK;
	for (size_t i = 0; i < s->cp.nidx && e == KN_OK; i += 2)
		e = exec_text(s, s->cp.idx[i + 1], "copy");
	return e;
}

/* A COPY in progress given up (the transaction rolls back). */
static void copy_abort(struct pg *s)
{
	PGresult *r;
	if (!s->cp.on)
		return;
	s->cp.on = 0;
	buf_reset(&s->cp.data);
	if (PQputCopyEnd(s->conn, "rolled back") == 1)
		while ((r = PQgetResult(s->conn)))
			PQclear(r);
	s->cp.n = 0;
}

/* Text v as a field of COPY's text format. */
static void copy_field(struct buf *b, const char *v)
{
	if (!v) {
		buf_adds(b, "\\N");
		return;
	}
	for (const char *p = v; *p; p++) {
		switch (*p) {
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default: buf_addc(b, *p); break;
		}
	}
}

/* Send statement id's row by COPY (a statement of copy_kinds, inside a
 * transaction) and give r the answer it will have: one row written.
 * *sent 0: not such a statement here; run it as ever. */
static enum kn_err copy_send(struct pg *s, enum stmt_id id, int n, const char **v,
			     struct srows *r, int *sent)
{
	enum kn_err e;
	int k = -1;
	PGresult *res;

	*sent = 0;
	for (size_t i = 0; i < sizeof(copy_kinds) / sizeof(copy_kinds[0]); i++)
		if (copy_kinds[i].id == id)
			k = (int)i;
	if (k < 0 || s->base.depth == 0 || s->base.txerr)
		return KN_OK;
	if (s->cp.on && s->cp.kind != k && (e = copy_end(s)) != KN_OK)
		return e;
	if (!s->cp.on) {
		if ((e = ensure_conn(s)) != KN_OK)
			return e;
		if (!(s->cp.made & (1u << k))) {
			if ((e = copy_defer(s, k)) != KN_OK ||
			    (e = exec_text(s, copy_kinds[k].make, "copy")) != KN_OK)
				return e;
			s->cp.made |= 1u << k;
		}
		res = PQexec(s->conn, copy_kinds[k].copy);
		if (PQresultStatus(res) != PGRES_COPY_IN) {
			e = copy_fail(s, k, res);
			PQclear(res);
			return e;
		}
		PQclear(res);
		s->cp.on = 1;
		s->cp.kind = k;
		s->cp.n = 0;
	}
	buf_addf(&s->cp.data, "%lld", ++s->cp.seq);
	for (int i = 0; i < n; i++) {
		buf_addc(&s->cp.data, '\t');
		copy_field(&s->cp.data, v[i]);
	}
	buf_addc(&s->cp.data, '\n');
	s->cp.n++;
	if (s->cp.data.len >= COPY_CHUNK && !copy_put(s))
		return copy_end(s);	/* the failure, reported */
	r->h = NULL;
	r->nrows = 0;
	r->live = 1;
	r->row = -1;
	r->changes = 1;
	*sent = 1;
	return KN_OK;
}

/* r reads the whole result res of a statement that succeeded. */
static void rows_take(struct pg *s, struct srows *r, PGresult *res)
{
	count_written(s, res);
	r->h = res;
	r->nrows = PQntuples(res);
	r->row = -1;
	r->changes = strtoll(PQcmdTuples(res), NULL, 10);
	r->live = 1;
}

static enum kn_err pg_q_open(struct store *base, enum stmt_id id, const struct sargs *a,
			     struct srows *r)
{
	struct pg *s = (struct pg *)base;
	const struct stmt *t = &store_stmts[id];
	const char *v[STORE_MAX_ARGS];
	char num[STORE_MAX_ARGS][24];
	Oid types[STORE_MAX_ARGS];
	enum kn_err e;
	int sent = 0;

	s->wrote |= sql_tables(t->sql_pg ? t->sql_pg : t->sql);
	for (int i = 0; i < a->n; i++) {
		types[i] = t->params[i] == 'i' ? PG_INT8 : PG_TEXT;	/* for ST_REPLAN */
		if (a->v[i].kind == 'i') {
			snprintf(num[i], sizeof(num[i]), "%lld", (long long)a->v[i].i);
			v[i] = num[i];
		} else {
			v[i] = a->v[i].kind == 't' ? a->v[i].t : NULL;
		}
	}
	/* A new row by COPY; anything else ends the COPY first. */
	if ((e = copy_send(s, id, a->n, v, r, &sent)) != KN_OK || sent)
		return e;
	if (s->cp.on && (e = copy_end(s)) != KN_OK)
		return e;
	/* A bulk load's write (or an "always" one) sent ahead; or a read
	 * that ends the pipeline in the same round trip as the writes before
	 * it. */
	if ((e = ahead_send(s, id, a->n, v, r, &sent)) != KN_OK || sent)
		return e;
	if (s->pipe && (e = held_flush(s)) != KN_OK)
		return e;
	if (s->pipe && !(t->flags & (ST_STREAM | ST_REPLAN)) && s->tprep[id] &&
	    PQsendQueryPrepared(s->conn, t->name, a->n, v, NULL, NULL, 0)) {
		PGresult *res;
		ahead_push(s, t->name, -1);
		if ((e = pipe_end(s, &res)) != KN_OK)
			return e;
		rows_take(s, r, res);
		return KN_OK;
	}
	for (int attempt = 0; attempt < 2 && !sent; attempt++) {
		if ((e = ensure_conn(s)) != KN_OK)
			return e;
		if ((e = table_prepare(s, id)) != KN_OK) {
			if (attempt == 0 && conn_lost(s))
				continue;
			return e;
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
		PGresult *res = t->flags & ST_REPLAN
			? PQexecParams(s->conn, t->sql_pg ? t->sql_pg : t->sql, a->n, types, v, NULL,
				       NULL, 0)
			: PQexecPrepared(s->conn, t->name, a->n, v, NULL, NULL, 0);
		if (ok_status(res)) {
			rows_take(s, r, res);
			sent = 1;
			continue;
		}
		if (attempt == 0 && conn_lost(s)) {
			PQclear(res);
			continue;
		}
		e = fail_res(s, t->name, res);
		if (id == S_UNITS_ADD)
			detail_add(s, res);
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
	if (r->live == 3) {	/* a step insert sent ahead: its id */
		if (++r->row < r->nrows) {
			r->col[0] = s->idtext;
			return 1;
		}
		return 0;
	}
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
	.q_describe = pg_q_describe,
	.backup = pg_backup,
	/* .pipeline_dates: store.c falls back to pipeline_each */
	.rows_each = pg_rows_each,
	.raw_begin = pg_raw_begin,
	.row_put = pg_row_put,
	.raw_commit = pg_raw_commit,
	/* .busy: PostgreSQL waits for row locks; never "busy" */
	.bulk_begin = pg_bulk_begin,
	.bulk_end = pg_bulk_end,
};
