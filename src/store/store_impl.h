/*
 * store_impl.h — what a storage backend provides, and the shared
 * machinery the store's functions are written with (for store/ only).
 *
 * The store's functions (store.c, store_*.c) are written once, for both
 * backends: they run the statements of the table (stmt.h) by id, with
 * arguments built by the arg_*() functions, and read each result row
 * with the typed readers row_*(). A backend (store_sqlite.c, store_pg.c)
 * is a driver: it opens and closes the connection, runs the migrations'
 * DDL, begins, commits and rolls back the outermost transaction, and
 * prepares, binds, steps and reads the columns of a statement (q_open,
 * q_next, q_close). It embeds `struct store` as the first member of its
 * own connection struct. Nesting of transactions and the audit chain's
 * pending entries are kept here, in struct store, the same for both.
 */
#ifndef KN_STORE_IMPL_H
#define KN_STORE_IMPL_H

#include <time.h>

#include "store/stmt.h"
#include "store/store.h"

/* ---- arguments of a statement ---- */
#define STORE_MAX_ARGS 24
struct sarg {
	char kind;		/* 't' text, 'i' integer, 0 SQL NULL */
	const char *t;		/* 't': the text (borrowed) */
	int64_t i;		/* 'i': the value */
};
struct sargs {
	int n;
	struct sarg v[STORE_MAX_ARGS];
	char iso[STORE_MAX_ARGS][11];	/* arg_date()'s text */
};
#define SARGS_INIT { 0 }
void arg_text(struct sargs *a, const char *t);	/* NULL: SQL NULL */
void arg_int(struct sargs *a, int64_t v);
void arg_date(struct sargs *a, kn_date d);	/* KN_DATE_NONE: SQL NULL */
void arg_count(struct sargs *a, int v);		/* < 0: SQL NULL */
void arg_null(struct sargs *a);

/* ---- reading a statement's rows ---- */
#define STORE_MAX_RESULT 32
struct srows {
	struct store *s;
	enum stmt_id id;
	int ncols;
	const char *col[STORE_MAX_RESULT];	/* the row, as text; NULL for SQL NULL */
	long long changes;	/* rows written, once q_next() said 0 */
	enum kn_err err;	/* why q_next() said -1 */
	/* the backend's */
	void *h;
	int row, nrows, live;
};

/* Run statement id with a (NULL: none). KN_OK: read the rows with
 * q_next() and call q_close() whatever happens. An error closes it. */
enum kn_err q_open(struct store *s, enum stmt_id id, const struct sargs *a, struct srows *r);
/* 1: the next row is in r->col; 0: no more; -1: failed (r->err). */
int q_next(struct srows *r);
/* End the reading (the rest unread); r->err, or KN_OK. */
enum kn_err q_close(struct srows *r);
/* A statement whose rows nobody reads; *changes (may be NULL) gets the
 * rows it wrote. */
enum kn_err q_exec(struct store *s, enum stmt_id id, const struct sargs *a, long long *changes);
/* At most one row: KN_OK with r on it (read it, then q_close()),
 * KN_ENOTFOUND without (closed), or the error (closed). */
enum kn_err q_first(struct store *s, enum stmt_id id, const struct sargs *a, struct srows *r);
/* The database's own count of statement id's parameters and columns. */
enum kn_err q_describe(struct store *s, enum stmt_id id, int *nparams, int *ncols);
/* A fetch of all rows into a growable array: *out grows by `size` bytes
 * per row (zeroed), fn reads the row into it. */
enum kn_err q_all(struct store *s, enum stmt_id id, const struct sargs *a, void **out,
		  size_t *n, size_t size, void (*fn)(const struct srows *r, void *item));
/* After q_all() into *out, *n: on failure (e not KN_OK) none, the rows
 * read so far freed with drop(*out, *n) — the type's store_*_free(). */
#define Q_ALL_OR_NONE(e, out, n, drop) do { \
		if ((e) != KN_OK) { \
			drop(*(out), *(n)); \
			*(out) = NULL; \
			*(n) = 0; \
		} \
	} while (0)

/* Typed readers of column i of the current row. */
const char *row_str(const struct srows *r, int i);	/* borrowed; NULL for NULL */
char *row_dup(const struct srows *r, int i);		/* heap copy; NULL for NULL */
int64_t row_int(const struct srows *r, int i);		/* NULL reads 0 */
int row_count(const struct srows *r, int i);		/* NULL reads -1 */
kn_date row_date(const struct srows *r, int i);		/* NULL, '' read KN_DATE_NONE */
char row_sex(const struct srows *r, int i);		/* first letter; NULL reads 'M' */
/* The records (columns as in statements.c's *_COLS, from column at). */
void row_unit(const struct srows *r, int at, struct unit *u);
void row_person(const struct srows *r, int at, struct person *p);
void row_step(const struct srows *r, int at, struct step *x);
void row_user(const struct srows *r, int at, struct user *u);
void row_audit(const struct srows *r, int at, struct audit_entry *a);	/* borrowed texts */
/* q_all() row readers: a candidacy of S_CAND_OF's columns (id, person_id,
 * stage, is_open, readmission; store_steps.c), a transfer of
 * TRANSFER_COLS (store_transfers.c). */
void store_cand_row(const struct srows *r, void *item);
void store_transfer_row(const struct srows *r, void *item);

/* Shared small helpers. */
int store_streq(const char *a, const char *b);	/* NULL equals only NULL */
void store_now_iso(char out[32]);		/* UTC, 2024-01-31T08:00:00Z */
void store_time_iso(time_t t, char out[32]);	/* the same text for time t */
void store_like_escape(const char *folded, struct buf *out);	/* %, _, \ escaped with \ */
/* Set the store's message (printf-like) and return e. */
enum kn_err store_fail(struct store *s, enum kn_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The subtree of unit `code` as a range of the units' paths (migration
 * 006): lo <= path < hi; NULL code: every unit. KN_ENOTFOUND (said) for
 * an unknown code. store_records.c. */
enum kn_err store_unit_range(struct store *s, const char *code, struct buf *lo, struct buf *hi);

/* ---- the audit chain (store_audit.c) ---- */
/* The pending entries of the open transaction, chained and written by
 * the outermost store_commit() before the backend commits. */
enum kn_err audit_flush(struct store *s);
void audit_pend_drop(struct store *s);
/* Migration 004's work in C: the chain over the entries already there. */
enum kn_err audit_chain_build(struct store *s);

struct store_ops {
	const char *name;	/* "SQLite", "PostgreSQL" */
	/* Write each audit entry at once rather than at the commit: the
	 * transaction already holds the only write lock (SQLite), so nothing
	 * is gained by waiting, and a big import keeps nothing in memory. */
	int audit_eager;
	void (*close)(struct store *s);
	enum kn_err (*migrate)(struct store *s, int *from, int *to);
	int (*schema_version)(struct store *s);
	/* The outermost transaction only (store.c keeps the nesting). */
	enum kn_err (*tx_begin)(struct store *s);
	enum kn_err (*tx_commit)(struct store *s);
	void (*tx_rollback)(struct store *s);
	/* The driver: see q_open() and friends above. */
	enum kn_err (*q_open)(struct store *s, enum stmt_id id, const struct sargs *a,
			      struct srows *r);
	int (*q_next)(struct srows *r);
	void (*q_close)(struct srows *r);
	/* Prepare statement id and say how many parameters and result
	 * columns the database found in its text (tests/unit/test_stmt.c). */
	enum kn_err (*q_describe)(struct store *s, enum stmt_id id, int *nparams, int *ncols);
	enum kn_err (*backup)(struct store *s, const char *path);
	enum kn_err (*audit)(struct store *s, const char *actor, const char *action, const char *entity, const char *key, const char *before, const char *after);
	enum kn_err (*audit_count)(struct store *s, long long *n);
	enum kn_err (*audit_list)(struct store *s, const char *actor, const char *entity, const char *key_prefix, long long offset, long long limit, struct audit_entry **out, size_t *n);
	/* ---- verify ---- */
	enum kn_err (*audit_head)(struct store *s, struct audit_head *out);
	enum kn_err (*audit_each)(struct store *s, store_audit_fn fn, void *arg);
	enum kn_err (*rows_each)(struct store *s, const struct store_table *t, store_row_fn fn, void *arg);
	enum kn_err (*raw_begin)(struct store *s);
	enum kn_err (*row_put)(struct store *s, const struct store_table *t, const char *const *vals);
	enum kn_err (*raw_commit)(struct store *s);
	/* store_busy(): the last failure was the database being busy */
	int (*busy)(struct store *s);	/* may be NULL: never busy */
	/* store_bulk_begin()/store_bulk_end() (store.h); may be NULL:
	 * nothing to do for a big load. */
	enum kn_err (*bulk_begin)(struct store *s, size_t rows);
	enum kn_err (*bulk_end)(struct store *s);
};

/* An audit entry waiting for its transaction's commit. */
struct audit_pend {
	char at[32];
	char *actor, *action, *entity, *key, *before, *after;
};

struct store {
	const struct store_ops *ops;
	int depth;		/* nesting of store_begin() */
	int failed;		/* an inner rollback happened */
	int txerr;		/* a statement failed: PostgreSQL aborted the transaction */
	int wrote;		/* a write statement ran in the open transaction (query.c):
				 * its outermost commit bumps the change counter */
	/* Steps counted by a dated store_candidacy_stage_n() in the open
	 * bulk load (store.h); the backends' bulk_begin zero it. */
	long long bulk_dated;
	struct audit_pend *pend;	/* audit entries of the open transaction */
	size_t npend, cappend;
	char errmsg[512];	/* store_errmsg() */
};

/* The end of a bulk load that skipped the insert trigger of migration
 * 016: the dates of the candidacies of its steps (those above id
 * step_max) recomputed in one statement (S_CAND_DATES_SINCE) — none when
 * every step it inserted was counted by a dated store_candidacy_stage_n()
 * (store.h), which wrote them already. */
enum kn_err store_bulk_redate(struct store *s, int64_t step_max);

/* The raw copy's statements, built from a struct store_table (names
 * only, never values): "SELECT cols FROM name ORDER BY order" and
 * "INSERT INTO name (cols) VALUES (?1, …)" — with `dollar`, $1 for ?1. */
void store_table_select(const struct store_table *t, struct buf *out);
void store_table_insert(const struct store_table *t, int dollar, struct buf *out);

/* ---- verify: shared by the backends' store_candidacy_each ---- */
/* One row of the candidacies-with-steps query, as text (NULL for SQL
 * NULL). step_id 0: a candidacy without steps (a LEFT JOIN's row). */
struct cand_row {
	int64_t id, person_id;
	const char *ref, *name, *member_since, *official_since, *unit, *stage;
	int open;
	int64_t step_id;
	const char *step, *date, *override;
};
/* Gathers rows, ordered by candidacy, into one struct cand_facts at a
 * time and hands each to fn. Start with CAND_ACC_INIT(fn, arg); call
 * cand_acc_add() per row (nonzero once fn asked to stop: read no more)
 * and cand_acc_finish() once (deliver: hand over the last candidacy). */
struct cand_acc {
	store_cand_fn fn;
	void *arg;
	int have, stop;
	struct cand_facts f;
	char *ref, *name, *unit, *stage;
	struct step *steps;
	size_t n, cap;
};
#define CAND_ACC_INIT(fn, arg) { (fn), (arg), 0, 0, { 0 }, NULL, NULL, NULL, NULL, NULL, 0, 0 }
int cand_acc_add(struct cand_acc *a, const struct cand_row *r);
void cand_acc_finish(struct cand_acc *a, int deliver);

/* Backends' constructors, chosen by store_open() from the URL. */
enum kn_err sqlite_open(const char *path, int create, struct store **out, struct buf *err);
enum kn_err pg_open(const char *url, int create, struct store **out, struct buf *err);

#endif
