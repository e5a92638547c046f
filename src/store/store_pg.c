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

#define MAX_TABLES 32

struct pg {
	struct store base;	/* first: a struct pg is a struct store */
	PGconn *conn;
	char *url;		/* as given, for pg_dump */
	char *safe_url;		/* password blanked, for messages */
	unsigned char raw_prepared[MAX_TABLES][2];	/* [table][0 get, 1 put] */
	long long written;	/* rows inserted, updated or deleted on this connection */
	long long next_analyze;	/* ANALYZE once `written` reaches this */
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
	memset(s->raw_prepared, 0, sizeof(s->raw_prepared));
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

	for (int i = 0; i < a->n; i++) {
		types[i] = t->params[i] == 'i' ? PG_INT8 : PG_TEXT;	/* for ST_REPLAN */
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
};
