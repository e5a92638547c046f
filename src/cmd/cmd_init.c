/*
 * cmd_init.c — `ketnap init`: create the database or migrate it to the
 * current schema. Safe to repeat: a database already at the current
 * version is left as it is. A new database gets the default policy rows
 * of RULES.md §7.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct store *s;
	int from, to;
	long long fixed = 0;
	enum kn_err e;

	if (argc != 1)
		return cmd_usage(&cmd_init);
	if (!(s = ctx_store(ctx, 1)))
		return ctx->open_status;
	/* An existing database with accounts (schema 2 has them) is an
	 * administrator's to upgrade; a new one is anyone's to create. */
	if (store_schema_version(s) >= 2) {
		int st = ctx_actor(ctx);
		if (st == EXIT_DONE)
			st = ctx_need_root_admin(ctx, "init");
		if (st != EXIT_DONE)
			return st;
	}
	if ((e = ctx_init_db(ctx, &from, &to)) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	/* The tree paths (migration 006) are derived from the parent links; a
	 * unit written around ketnap, or by a bulk writer that did not rebuild
	 * them, is put right here, where `ketnap verify` sends the reader. */
	if ((e = store_begin(s)) == KN_OK) {
		if ((e = store_unit_paths_rebuild(s, &fixed)) == KN_OK)
			e = store_commit(s);
		else
			store_rollback(s);
	}
	if (e != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	if (from == to)
		printf(_("%s: schema is up to date (version %d)\n"), ctx->db_url, to);
	else if (from == 0)
		printf(_("%s: created (schema version %d)\n"), ctx->db_url, to);
	else
		printf(_("%s: upgraded from schema version %d to %d\n"), ctx->db_url, from, to);
	if (fixed > 0) {
		struct buf n = BUF_INIT;
		text_int(&n, fixed);
		printf(ngettext("%s: rebuilt the tree path of %s unit\n",
				"%s: rebuilt the tree paths of %s units\n", (unsigned long)fixed),
		       ctx->db_url, n.s);
		buf_release(&n);
	}
	return EXIT_DONE;
}

const struct command cmd_init = {
	"init", "init", run, NULL,
	N_("create the database, or upgrade it to the current schema (safe to repeat)"),
};
