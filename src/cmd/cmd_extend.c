/*
 * cmd_extend.c — `ketnap extend REF --doc NO [--date D]`: the competent
 * committee's extension of the decision deadline (RULES.md §4: DL-DECISION
 * is 60 working days after the cell vote, "+30 with extension"), once per
 * dossier, while the decision is pending. Not (yet) in CLI.md: proposed
 * with issue 15. The rules of who and when are core/extension.c's, shared
 * with the person page; this file parses and words the answer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctx.h"
#include "core/extension.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/banned.h"

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "doc", required_argument, NULL, 'd' },
		{ "date", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct extend_req req = { NULL, KN_DATE_NONE, NULL };
	struct extend_res res;
	struct svc svc;
	enum kn_err e;
	int c, status;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': req.doc_no = optarg; break;
		case 'D':
			if (date_parse(optarg, &req.date) != 0) {
				cmd_error(_("--date: '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"),
					  optarg);
				return EXIT_USAGE;
			}
			break;
		default: return cmd_usage(&cmd_extend);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_extend);
	if (!req.doc_no || !*req.doc_no) {
		cmd_error(_("--doc: the number of the committee's document that grants the "
			    "extension is required, e.g. --doc 15-QĐ/ĐU"));
		return EXIT_USAGE;
	}
	req.ref = argv[optind];
	if (!ctx_store(ctx, 0))
		return ctx->open_status;
	ctx_svc(ctx, &svc);
	e = svc_extend(&svc, &req, &res);
	if (e == KN_OK) {
		char d0[11], d1[11], d2[11];
		date_format_user(res.x.date, d0);
		date_format_user(res.due_before, d1);
		date_format_user(res.due_after, d2);
		printf(_("extended: the decision deadline (DL-DECISION) of %s, %s on %s by %s (%s): "
			 "due %s instead of %s\n"), res.person.ref, res.person.full_name, d0, res.x.unit,
		       res.x.doc_no, d2, d1);
		status = EXIT_DONE;
	} else if (e == KN_ENOTFOUND) {
		cmd_error(_("no person with ref %s; `ketnap person find NAME` finds refs"), req.ref);
		status = EXIT_REFUSED;
	} else if (e == KN_EPERM || e == KN_ERULE || e == KN_ECONFLICT || e == KN_EINVAL) {
		cmd_error("DL-DECISION: %s", res.msg.s);
		status = EXIT_REFUSED;
	} else {
		cmd_error("%s", res.msg.len ? res.msg.s : store_errmsg(ctx->store));
		status = kn_exit_status(e);
	}
	extend_res_release(&res);
	svc_release(&svc);
	return status;
}

static const struct cmd_option extend_options[] = {
	{ "doc", 0, "NO", N_("the number of the committee's document granting it (required)") },
	{ "date", 0, "D", N_("the day it was granted (default: today)") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_extend = {
	"extend", "extend REF --doc NO [--date D]", run, extend_options,
	N_("extend the decision deadline of a dossier by the competent committee (RULES.md §4)"),
};
