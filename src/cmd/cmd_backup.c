/*
 * cmd_backup.c — `ketnap backup FILE`: a consistent copy of the database
 * while others keep working, with the backend's own tool: SQLite's online
 * backup API (FILE is a database), or pg_dump's custom format for
 * PostgreSQL (FILE is restored with pg_restore). The message says which.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct store *s;
	struct buf url = BUF_INIT;
	enum kn_err e;

	if (argc != 2)
		return cmd_usage(&cmd_backup);
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	int st = ctx_need_root_admin(ctx, "backup");
	if (st != EXIT_DONE)
		return st;
	if ((e = store_backup(s, argv[1])) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	store_url_redact(ctx->db_url, &url);
	if (strcmp(store_backend(s), "PostgreSQL") == 0)
		printf(_("%s: backed up to %s with pg_dump (custom format; restore it with "
			 "pg_restore)\n"), url.s, argv[1]);
	else
		printf(_("%s: backed up to %s with SQLite's online backup\n"), url.s, argv[1]);
	buf_release(&url);
	return EXIT_DONE;
}

const struct command cmd_backup = {
	"backup", "backup FILE", run, NULL,
	N_("a consistent copy of the database in FILE, even while the server runs"),
};
