/*
 * cmd_migrate.c — `ketnap migrate-to URL`: copy the opened database
 * (usually SQLite) into a fresh, empty one at URL (usually PostgreSQL),
 * every table as it is: units, people, candidacies with their ids and
 * versions, steps, quotas, holidays, policy, users, sessions, login
 * throttling and the audit log (same times, actors, before and after).
 * The target gets its schema from its own migrations and the rows in one
 * transaction (store_copy): it either has everything or nothing. No
 * audit entry is added, so that the target's log is the source's.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct store *src, *dst = NULL, *failed = NULL;
	struct buf err = BUF_INIT, from_url = BUF_INIT, to_url = BUF_INIT;
	long long rows = 0;
	int from, to, status = EXIT_DONE;
	enum kn_err e;

	if (argc != 2)
		return cmd_usage(&cmd_migrate);
	if (!(src = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((status = ctx_need_root_admin(ctx, "migrate-to")) != EXIT_DONE)
		return status;
	store_url_redact(ctx->db_url, &from_url);
	store_url_redact(argv[1], &to_url);
	if ((e = store_open(argv[1], 1, &dst, &err)) != KN_OK) {
		cmd_error("%s", err.s);
		status = kn_exit_status(e);
		goto out;
	}
	if ((e = store_migrate(dst, &from, &to)) != KN_OK) {
		cmd_error("%s: %s", to_url.s, store_errmsg(dst));
		status = kn_exit_status(e);
		goto out;
	}
	e = store_copy(src, dst, &rows, &failed);
	if (e == KN_ECONFLICT && !rows && failed == dst) {
		cmd_error(_("%s already has data; migrate-to copies into an empty database only"),
			  to_url.s);
		status = EXIT_REFUSED;
	} else if (e != KN_OK) {
		cmd_error("%s: %s", failed == src ? from_url.s : to_url.s, store_errmsg(failed));
		status = kn_exit_status(e);
	} else {
		printf(ngettext("%s: copied %lld row into %s (%s, schema version %d)\n",
				"%s: copied %lld rows into %s (%s, schema version %d)\n",
				(unsigned long)rows), from_url.s, rows, to_url.s, store_backend(dst), to);
	}
out:
	store_close(dst);
	buf_release(&err);
	buf_release(&from_url);
	buf_release(&to_url);
	return status;
}

const struct command cmd_migrate = {
	"migrate-to", "migrate-to URL", run, NULL,
	N_("copy this SQLite database, audit log included, into the PostgreSQL database at URL"),
};
