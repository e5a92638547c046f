/*
 * cmd.h — the command table and what every command gets.
 *
 * Each src/cmd/cmd_NAME.c exports one `const struct command cmd_NAME`
 * listed in the table of ketnap.c. run() gets argv with argv[0] the
 * command's name (so getopt_long works as usual) and returns the exit
 * status of CLI.md: 0 done; 1 refused (every reason already printed on
 * stderr); 2 usage error; 3 storage or I/O failure.
 */
#ifndef KN_CMD_H
#define KN_CMD_H

#include <stdio.h>

#include "core/actor.h"
#include "core/calendar.h"
#include "core/unitree.h"
#include "util/buf.h"
#include "util/err.h"

struct store;
struct ledger;

enum { EXIT_DONE = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

struct cmd_ctx {
	const char *db_url;	/* --db, $KETNAP_DB, else "ketnap.db" */
	const char *user;	/* --user, $KETNAP_USER, else the OS user */
	const char *user_from;	/* where user came from, for messages */
	struct store *store;	/* opened by ctx_store() */
	struct calendar *cal;	/* loaded by ctx_calendar() */
	int open_status;	/* exit status when ctx_store() failed */
	/* Set by a command that needs no account (calendar, serve) before
	 * it opens the store: no actor is resolved. */
	int no_actor;
	/* Who the command acts as, resolved by ctx_store() on an existing
	 * database: the account named by user (its role and unit), or, on a
	 * database without accounts, an administrator of every root
	 * (actor_all). */
	struct actor actor;
	int actor_all;
	int actor_known;	/* actor resolved */
	char *actor_unit;	/* owns actor.unit */
	struct unitree tree;	/* loaded by ctx_tree() */
	int have_tree;
	/* Set by a command that looks at a few units only (step, check,
	 * person show, report) before the tree is first asked for: ctx_tree()
	 * is then a lazy tree (unitree_lazy), which reads the units it is
	 * asked about instead of the whole nation's. */
	int lazy_tree;
};

/* One option of a command, for `ketnap help` and for main(), which pulls
 * the global options (--db, --lang, --user) out of a command's arguments
 * unless the command has an option of that name. The list mirrors the
 * command's getopt table (tests/cli/help.sh checks that each option there
 * appears in the help); it ends with an entry whose name is NULL. */
struct cmd_option {
	const char *name;	/* the long name, without "--" */
	char shortname;		/* its one-letter form, 0 if none */
	const char *arg;	/* the value's placeholder, NULL for a flag */
	const char *help;	/* one line, N_() (translated when shown) */
};

struct command {
	const char *name;
	const char *usage;	/* one line, after "ketnap " */
	int (*run)(int argc, char **argv, struct cmd_ctx *ctx);
	const struct cmd_option *options;	/* NULL: none */
	const char *about;	/* what it does, one line, N_() */
};

/* The commands, one per src/cmd/cmd_NAME.c. */
extern const struct command cmd_init, cmd_import, cmd_export, cmd_unit, cmd_person,
	cmd_step, cmd_check, cmd_calendar, cmd_backup, cmd_report, cmd_quota, cmd_policy, cmd_extend, cmd_demo, cmd_serve, cmd_user,
	cmd_migrate;
extern const struct command cmd_verify;
extern const struct command cmd_transfer;	/* issue 15 */
/* issue 15: `person show`'s units over time (cmd_transfer.c). */
struct person;
struct policy;
void transfer_show(struct store *s, struct calendar *cal, const struct person *p,
		   const struct policy *pol);

/* Open (once) the database of ctx->db_url, which must already be
 * initialised unless `create` is set. On failure prints the reason and
 * returns NULL; the command then exits with ctx->open_status (1 when
 * there is no database, 3 when it cannot be opened). Without `create`
 * (and unless ctx->no_actor) it also resolves the actor (ctx_actor()),
 * and fails with status 1 when ctx->user names no enabled account of a
 * database that has accounts. */
struct store *ctx_store(struct cmd_ctx *ctx, int create);

/* Resolve ctx->actor on the opened store (once): EXIT_DONE, or the exit
 * status after printing why not (1: no such account, disabled; 3: the
 * store failed). */
int ctx_actor(struct cmd_ctx *ctx);

/* The unit tree (loaded once; lazy when ctx->lazy_tree is set); NULL
 * (reported) when the store fails. */
struct unitree *ctx_tree(struct cmd_ctx *ctx);
/* status, or EXIT_IO after printing the store's message when a read of
 * a lazy tree failed (its units then read as unknown): for the return of
 * a command that set ctx->lazy_tree. */
int ctx_tree_status(struct cmd_ctx *ctx, int status);

/* The actor's permissions (core/actor.h) for the unit with code `unit`;
 * everything is allowed on a database without accounts. An unknown
 * unit is outside every scope. */
int ctx_may_see(struct cmd_ctx *ctx, const char *unit);
int ctx_may_record(struct cmd_ctx *ctx, const char *unit, int step_code);
int ctx_may_override(struct cmd_ctx *ctx, const char *unit);
/* 1 for an administrator of a root unit (or no accounts). */
int ctx_root_admin(struct cmd_ctx *ctx);
/* EXIT_DONE when the actor is an administrator of a root unit, else
 * EXIT_REFUSED after saying that `what` (a command) needs one. */
int ctx_need_root_admin(struct cmd_ctx *ctx, const char *what);
/* The actor's unit (the top of its scope), NULL without accounts. */
const char *ctx_scope(struct cmd_ctx *ctx);
/* ledger_open() acting as ctx's actor (its unit set for the rules). */
enum kn_err ctx_ledger_open(struct cmd_ctx *ctx, struct ledger *l, struct buf *err);

/* s made safe for a terminal (text_printable()) in b, which is reset
 * first; returns b->s. For human output only, never CSV or JSON. */
const char *cmd_safe(struct buf *b, const char *s);

/* Create or migrate the schema of the opened ctx->store and, in a new
 * database, write the default policy rows of RULES.md §7 (`init`,
 * `demo`). from and to get the schema versions before and after. */
enum kn_err ctx_init_db(struct cmd_ctx *ctx, int *from, int *to);

/* The working-day calendar with the database's imported holidays when a
 * database exists at ctx->db_url, else the computed calendar alone.
 * Never NULL; owned by ctx. */
struct calendar *ctx_calendar(struct cmd_ctx *ctx);

void ctx_release(struct cmd_ctx *ctx);

/* Print "ketnap: MESSAGE" on stderr (printf-style). */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "usage: ketnap USAGE" on stderr and return EXIT_USAGE. */
int cmd_usage(const struct command *c);

/* Write data to the file at path (-o FILE): a regular file (or a new one)
 * through a temporary file beside it and a rename, so nobody sees half of
 * it; a device, pipe or link is written through and left what it is.
 * 0, or -1 with the reason printed. */
int cmd_write_file(const char *path, const char *data, size_t len);

/* The same for a writer that writes as it goes (issue 13: a report too
 * long to hold): cmd_file_open() opens o->f for path, as cmd_write_file()
 * would write it; cmd_file_close() with ok makes the file whole (flushed,
 * synced, renamed over path), without ok leaves path as it was (the
 * writer has said why). Each returns 0, or -1 with the reason printed;
 * after a failed open there is nothing to close. */
struct cmd_file {
	FILE *f;
	const char *path;
	char *tmp;		/* the temporary file; NULL: path written through */
};
int cmd_file_open(struct cmd_file *o, const char *path);
int cmd_file_close(struct cmd_file *o, int ok);

/* How many bytes a streamed writer (a report's rows, an export's) holds
 * before it writes them out: 64 KB, or KETNAP_REPORT_FLUSH_BYTES (a
 * test's: a few rows a flush). */
size_t cmd_flush_bytes(void);

/* Progress bar on stderr, only when stderr is a terminal. */
void progress(const char *what, size_t done, size_t total);
void progress_done(void);

#endif
