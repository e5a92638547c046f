/*
 * cmd_backup.c — `ketnap backup FILE`: a consistent copy of the database
 * while others keep working (SQLite's online backup API).
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct store *s;
	enum kn_err e;

	if (argc != 2)
		return cmd_usage(&cmd_backup);
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((e = store_backup(s, argv[1])) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	printf(_("%s: backed up to %s with SQLite's online backup\n"), ctx->db_url, argv[1]);
	return EXIT_DONE;
}

const struct command cmd_backup = {
	"backup", "backup FILE", run,
};
