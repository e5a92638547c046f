/*
 * cmd_demo.c — `ketnap demo [--size small|city|province|national]
 * [--seed N]`: create a realistic synthetic database (core/demo.c) to
 * explore or benchmark. The database is created and initialised as
 * `ketnap init` does (ctx_init_db); it must hold no units yet, or the
 * command refuses (exit 1). A progress bar shows on a terminal; one
 * summary line goes to stdout, with the counts the generator wrote (at
 * national size, reading 6.5 million people back to count them would
 * cost more memory than the generation itself).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/demo.h"
#include "core/ledger.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/banned.h"

/* The size's name in the summary line. */
static const char *size_label(const char *size)
{
	if (strcmp(size, "city") == 0)
		return _("city");
	if (strcmp(size, "province") == 0)
		return _("province-sized");
	if (strcmp(size, "national") == 0)
		return _("national");
	return _("small");
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *size = "small";
	unsigned long seed = 1;
	struct store *s;
	struct ledger l;
	struct buf err = BUF_INIT, line = BUF_INIT;
	struct demo_stats t = { 0, 0, 0, 0 };
	int c, status = EXIT_DONE;
	enum kn_err e;
	char *end;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			size = optarg;
			break;
		case 'S':
			errno = 0;
			seed = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-') {
				cmd_error(_("--seed needs a whole number, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("%s ketnap %s\n", _("usage:"), cmd_demo.usage);
			return EXIT_DONE;
		default:
			return cmd_usage(&cmd_demo);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_demo);
	if (!demo_size_known(size)) {
		cmd_error(_("unknown demo size '%s'; use small, city, province or national"), size);
		return EXIT_USAGE;
	}
	if (!(s = ctx_store(ctx, 1)))
		return ctx->open_status;
	int from, to;
	if ((e = ctx_init_db(ctx, &from, &to)) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	if ((e = ledger_open(&l, s, ctx_calendar(ctx), ctx->user, &err)) != KN_OK) {
		cmd_error("%s", err.s);
		buf_release(&err);
		return kn_exit_status(e);
	}
	e = demo_generate(s, &l, size, seed, progress, &t, &err);
	progress_done();
	ledger_release(&l);
	if (e != KN_OK) {
		cmd_error("%s", err.s);
		status = kn_exit_status(e);
		goto out;
	}

	{
		char today[11];
		struct buf a = BUF_INIT, b = BUF_INIT, cc = BUF_INIT, d = BUF_INIT;
		text_int(&a, (long long)t.units);
		text_int(&b, (long long)t.people);
		text_int(&cc, (long long)t.candidacies);
		text_int(&d, (long long)t.steps);
		date_format_user(demo_today(), today);
		buf_addf(&line, _("%s: demo %s (seed %lu): %s units, %s people, %s candidacies, "
				  "%s steps, as of %s"),
			 ctx->db_url, size_label(size), seed, a.s,
			 b.s, cc.s, d.s, today);
		buf_release(&a);
		buf_release(&b);
		buf_release(&cc);
		buf_release(&d);
	}
	printf("%s\n", line.s);
out:
	buf_release(&err);
	buf_release(&line);
	return status;
}

static const struct cmd_option demo_options[] = {
	{ "size", 0, "small|city|province|national",
	  N_("how big a synthetic organisation to create (default: small)") },
	{ "seed", 0, "N", N_("the random seed; the same seed makes the same city (default: 1)") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_demo = {
	"demo", "demo [--size small|city|province|national] [--seed N]", run, demo_options,
	N_("create a realistic synthetic database to explore or benchmark"),
};
