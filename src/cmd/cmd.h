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

#include "core/calendar.h"
#include "util/err.h"

struct store;

enum { EXIT_DONE = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

struct cmd_ctx {
	const char *db_url;	/* --db, $KETNAP_DB, else "ketnap.db" */
	const char *user;	/* --user, $KETNAP_USER, else the OS user */
	struct store *store;	/* opened by ctx_store() */
	struct calendar *cal;	/* loaded by ctx_calendar() */
	int open_status;	/* exit status when ctx_store() failed */
};

struct command {
	const char *name;
	const char *usage;	/* one line, after "ketnap " */
	int (*run)(int argc, char **argv, struct cmd_ctx *ctx);
};

/* The commands, one per src/cmd/cmd_NAME.c. */
extern const struct command cmd_init, cmd_import, cmd_export, cmd_unit, cmd_person,
	cmd_step, cmd_check, cmd_calendar, cmd_backup, cmd_report, cmd_quota, cmd_demo, cmd_serve, cmd_user,
	cmd_migrate;
extern const struct command cmd_verify;

/* Open (once) the database of ctx->db_url, which must already be
 * initialised unless `create` is set. On failure prints the reason and
 * returns NULL; the command then exits with ctx->open_status (1 when
 * there is no database, 3 when it cannot be opened). */
struct store *ctx_store(struct cmd_ctx *ctx, int create);

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

/* Progress bar on stderr, only when stderr is a terminal. */
void progress(const char *what, size_t done, size_t total);
void progress_done(void);

#endif
