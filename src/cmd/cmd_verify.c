/*
 * cmd_verify.c — `ketnap verify`: check the database's invariants and the
 * audit log's hash chain (core/verify.h). Every finding goes to stderr,
 * one per line, naming the record; exit 1 when there is any. When all
 * holds, one line on stdout with the chain's head hash and what was
 * checked, exit 0 — the hash a printed year-end review carries too.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/verify.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/banned.h"

static void print_finding(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "%s\n", line);
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct verify_counts c;
	struct buf err = BUF_INIT, n = BUF_INIT;
	struct store *s;
	enum kn_err e;

	if (argc != 1)
		return cmd_usage(&cmd_verify);
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	/* Its findings name records of the whole organisation. */
	int st = ctx_need_root_admin(ctx, "verify");
	if (st != EXIT_DONE)
		return st;
	e = verify_run(s, ctx_calendar(ctx), print_finding, NULL, &c, &err);
	if (e != KN_OK) {
		cmd_error("%s", err.s);
		buf_release(&err);
		return EXIT_IO;
	}
	buf_release(&err);
	if (c.findings) {
		text_int(&n, c.findings);
		cmd_error(ngettext("verify: %s problem found; the database was changed outside "
				   "ketnap or is damaged",
				   "verify: %s problems found; the database was changed outside "
				   "ketnap or is damaged", (unsigned long)c.findings), n.s);
		buf_release(&n);
		return EXIT_REFUSED;
	}
	printf(_("ok: %lld audit entries, head %s (%lld units, %lld candidacies, %lld steps "
		 "checked)\n"), c.audit, c.head, c.units, c.candidacies, c.steps);
	return EXIT_DONE;
}

const struct command cmd_verify = {
	"verify", "verify", run, NULL,
	N_("check the database: invariants and the audit log's hash chain"),
};
