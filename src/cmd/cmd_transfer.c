/*
 * cmd_transfer.c — `ketnap transfer REF --to UNIT …` records the sending
 * unit's letter of introduction (`out`), and `ketnap transfer REF
 * --arrived` the destination's acceptance (`in`), RULES.md §8, through
 * svc_transfer() (core/svc_transfer.h: the scope, the permissions, the
 * rules, one transaction with its audit entry), as the web pages do; and
 * `person show`'s lines on the person's units over time.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctx.h"
#include "core/svc_transfer.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct transfer_opts {
	char *to, *doc, *note, *override;
	kn_date date;
	int arrived;
};

static char *opt_nfc(const char *name, const char *v, int *bad)
{
	struct buf b = BUF_INIT;
	if (text_nfc(v, &b) != 0 || !*b.s) {
		cmd_error(_("--%s needs a value of valid UTF-8 text"), name);
		(*bad)++;
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* 0, the count of bad values (said), or -1 for a usage error. */
static int parse_opts(int argc, char **argv, struct transfer_opts *o)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "date", required_argument, NULL, 'd' },
		{ "doc", required_argument, NULL, 'D' },
		{ "note", required_argument, NULL, 'n' },
		{ "override", required_argument, NULL, 'O' },
		{ "arrived", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int c, bad = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': free(o->to); o->to = opt_nfc("to", optarg, &bad); break;
		case 'D': free(o->doc); o->doc = opt_nfc("doc", optarg, &bad); break;
		case 'n': free(o->note); o->note = opt_nfc("note", optarg, &bad); break;
		case 'O': free(o->override); o->override = opt_nfc("override", optarg, &bad); break;
		case 'a': o->arrived = 1; break;
		case 'd':
			if (date_parse(optarg, &o->date) != 0) {
				cmd_error(_("--date: '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"),
					  optarg);
				bad++;
			}
			break;
		default:
			return -1;
		}
	}
	return bad;
}

static void opts_release(struct transfer_opts *o)
{
	free(o->to);
	free(o->doc);
	free(o->note);
	free(o->override);
}

/* Say what svc_transfer() answered; the exit status. */
static int report(struct cmd_ctx *ctx, const struct transfer_req *req, struct transfer_res *res,
		  enum kn_err e)
{
	struct buf safe = BUF_INIT;
	const char *role = role_name(ctx->actor.role);
	const char *unit = ctx->actor.unit ? ctx->actor.unit : "";
	char d[11], od[11];

	date_format_user(req->date, d);
	for (size_t i = 0; i < res->v.n; i++)
		fprintf(stderr, "%s: %s\n", res->v.v[i].code, cmd_safe(&safe, res->v.v[i].message));
	buf_release(&safe);
	switch (e) {
	case KN_OK:
		break;
	case KN_ENOTFOUND:
		cmd_error(_("no person with ref %s; `ketnap person find NAME` finds refs"), req->ref);
		return EXIT_REFUSED;
	case KN_EPERM:
		if (res->deny == TRANSFER_DENY_OUT)
			cmd_error(_("%s, %s of %s, may not transfer %s: only an editor of the sending "
				    "unit may; nothing was recorded"), ctx->user, role, unit, req->ref);
		else if (res->deny == TRANSFER_DENY_OVERRIDE)
			cmd_error(_("%s, %s of %s, may not override the rules for %s: only an approver "
				    "or administrator of a unit above the sending unit may; nothing was "
				    "recorded"), ctx->user, role, unit, req->ref);
		else
			cmd_error(_("%s, %s of %s, may not record the arrival of %s at %s: only an "
				    "editor of the destination may; nothing was recorded"), ctx->user,
				  role, unit, req->ref, res->t.to ? res->t.to : "");
		return EXIT_REFUSED;
	case KN_EINVAL:
		cmd_error("%s", res->err.s);
		return EXIT_REFUSED;
	case KN_ERULE:
		fprintf(stderr, _("the transfer of %s on %s was refused; nothing was recorded. An "
				  "approver may record it anyway with --override REASON.\n"), req->ref, d);
		return EXIT_REFUSED;
	default:
		cmd_error("%s", store_errmsg(ctx->store));
		return kn_exit_status(e);
	}
	if (req->arrived) {
		date_format_user(res->t.out_date, od);
		printf(_("recorded: %s arrived at %s on %s (letter of %s from %s)\n"), req->ref,
		       res->t.to, d, od, res->t.from);
	} else if (res->v.n) {
		printf(_("recorded with an override by %s: %s leaves %s for %s on %s (reason: %s)\n"),
		       ctx->user, req->ref, res->t.from, res->t.to, d, res->t.override);
	} else {
		printf(_("recorded: %s leaves %s for %s on %s; in transit until %s records the "
			 "arrival\n"), req->ref, res->t.from, res->t.to, d, res->t.to);
	}
	return EXIT_DONE;
}

static int run_transfer(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct transfer_opts o;
	struct svc sv;
	int bad, status;

	memset(&o, 0, sizeof(o));
	o.date = KN_DATE_NONE;
	bad = parse_opts(argc, argv, &o);
	if (bad < 0 || argc - optind != 1 || (o.arrived == !!o.to) ||
	    (o.arrived && (o.doc || o.note || o.override))) {
		opts_release(&o);
		return cmd_usage(&cmd_transfer);
	}
	if (bad > 0) {
		opts_release(&o);
		return EXIT_USAGE;
	}
	if (!ctx_store(ctx, 0)) {
		opts_release(&o);
		return ctx->open_status;
	}
	struct transfer_req req = { argv[optind], o.arrived, o.to, o.date, date_today(), o.doc,
				    o.note, o.override };
	struct transfer_res res;
	if (req.date == KN_DATE_NONE)
		req.date = req.today;
	ctx_svc(ctx, &sv);
	status = report(ctx, &req, &res, svc_transfer(&sv, &req, &res));
	svc_transfer_res_release(&res);
	svc_release(&sv);
	opts_release(&o);
	return status;
}

static const struct cmd_option transfer_options[] = {
	{ "to", 0, "UNIT", N_("the letter of introduction to this unit (a considering cell)") },
	{ "arrived", 0, NULL, N_("the destination accepts the person in transit to it") },
	{ "date", 0, "D", N_("the date of the letter, or of the arrival (default: today)") },
	{ "doc", 0, "NO", N_("the number of the letter of introduction") },
	{ "note", 0, "TEXT", N_("a note kept with the transfer") },
	{ "override", 0, "REASON", N_("record although a rule refuses it, with this reason (approvers only)") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_transfer = {
	"transfer", "transfer REF --to UNIT [--date D] [--doc NO] [--note TEXT] "
	"[--override REASON] | transfer REF --arrived [--date D]", run_transfer, transfer_options,
	N_("move a person to another unit: the letter of introduction, then the arrival there"),
};

/* `person show`'s lines on the person's units over time: nothing when
 * they never moved. */
void transfer_show(struct store *s, struct calendar *cal, const struct person *p,
		   const struct policy *pol)
{
	struct transfer *t = NULL;
	size_t n = 0;
	struct buf safe = BUF_INIT;
	char d[11], due[11];

	if (store_transfers_of(s, p->id, &t, &n) != KN_OK || !n) {
		transfers_free(t, n);
		return;
	}
	printf("\n%s\n", _("Units over time:"));
	for (size_t i = 0; i < n; i++) {
		date_format_user(t[i].out_date, d);
		printf(_("  %s  letter of introduction from %s to %s"), d, t[i].from, t[i].to);
		if (t[i].doc_no)
			printf(" (%s)", cmd_safe(&safe, t[i].doc_no));
		if (t[i].override)
			printf(_(" [override by %s: %s]"), t[i].override_by ? t[i].override_by : "",
			       cmd_safe(&safe, t[i].override));
		printf("\n");
		if (t[i].in_date != KN_DATE_NONE) {
			date_format_user(t[i].in_date, d);
			printf(_("  %s  arrived at %s\n"), d, t[i].to);
		} else {
			date_format_user(transfer_due(&t[i], pol->deadline_transfer_workdays, cal), due);
			printf(_("  in transit: still counted by %s; the letter is to be presented at %s "
				 "by %s (DL-TRANSFER)\n"), t[i].from, t[i].to, due);
		}
	}
	buf_release(&safe);
	transfers_free(t, n);
}
