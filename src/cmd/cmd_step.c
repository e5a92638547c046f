/*
 * cmd_step.c — `ketnap step REF STEP …` records a step; `ketnap check REF
 * [STEP] …` says, without writing, whether it could be recorded and every
 * rule that would stop it. Both go through ledger_step(), the same path
 * as the importer and the web pages, and act as the account of --user
 * (cmd/ctx.c): a person outside its subtree is "not found", and so is a
 * member, introducer or committee named from outside it, so that nobody
 * learns of other units' people by trying refs; the role must allow the
 * step (core/actor.h), and an override needs an approver or administrator
 * of a unit above the candidate's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/cmd_dups.h"
#include "cmd/step_opts.h"
#include "cmd/ctx.h"
#include "core/ledger.h"
#include "core/svc.h"
#include "cmd/label.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* An option's text, NFC-normalised; NULL (with a message) if not UTF-8. */
static char *opt_text(const char *name, const char *v, int *bad)
{
	struct buf b = BUF_INIT;
	if (text_nfc(v, &b) != 0) {
		cmd_error(_("--%s is not valid UTF-8 text"), name);
		(*bad)++;
		return NULL;
	}
	return buf_detach(&b);
}

static int opt_count(const char *name, const char *v, int *bad)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > 100000) {
		cmd_error(_("--%s must be a whole number >= 0, not '%s'"), name, v);
		(*bad)++;
		return -1;
	}
	return (int)n;
}

static kn_date opt_date(const char *name, const char *v, int *bad)
{
	kn_date d;
	if (date_parse(v, &d) != 0) {
		cmd_error(_("--%s: '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"), name, v);
		(*bad)++;
		return KN_DATE_NONE;
	}
	return d;
}

/* Parse the step options into st; returns the number of bad options
 * (already reported), or -1 for a usage error. */
int parse_step_opts(int argc, char **argv, struct step *st)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "doc", required_argument, NULL, 'D' },
		{ "org", required_argument, NULL, 'o' },
		{ "member", required_argument, NULL, 'm' },
		{ "introducer", required_argument, NULL, 'i' },
		{ "for", required_argument, NULL, 'f' },
		{ "of", required_argument, NULL, 't' },
		{ "consent", required_argument, NULL, 'c' },
		{ "override", required_argument, NULL, 'O' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c, bad = 0, nintro = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': st->date = opt_date("date", optarg, &bad); break;
		case 'D': free(st->doc_no); st->doc_no = opt_text("doc", optarg, &bad); break;
		case 'o': free(st->org); st->org = opt_text("org", optarg, &bad); break;
		case 'm': free(st->member); st->member = opt_text("member", optarg, &bad); break;
		case 'f': st->votes_for = opt_count("for", optarg, &bad); break;
		case 't': st->votes_total = opt_count("of", optarg, &bad); break;
		case 'c': free(st->consent); st->consent = opt_text("consent", optarg, &bad); break;
		case 'O': free(st->override); st->override = opt_text("override", optarg, &bad); break;
		case 'n': free(st->note); st->note = opt_text("note", optarg, &bad); break;
		case 'i': {
			const char *colon = strrchr(optarg, ':');
			if (!colon || colon == optarg || nintro >= 2) {
				cmd_error(nintro >= 2 ? _("at most two --introducer options")
					  : _("--introducer takes REF:SINCE, e.g. 079123:2010-05-01"));
				bad++;
				break;
			}
			char *ref = xstrndup(optarg, (size_t)(colon - optarg));
			kn_date since = opt_date("introducer", colon + 1, &bad);
			if (nintro++ == 0) {
				st->intro1 = ref;
				st->intro1_since = since;
			} else {
				st->intro2 = ref;
				st->intro2_since = since;
			}
			break;
		}
		default:
			return -1;
		}
	}
	return bad;
}

/* Each line of text, made safe for a terminal (text_printable()), a
 * missing fact named by the option that gives it (label.h). */
static void print_lines(FILE *f, const char *prefix, const char *text)
{
	struct buf line = BUF_INIT, safe = BUF_INIT, named = BUF_INIT;
	label_need_lines(text, &named);
	text = named.len ? named.s : "";
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		buf_reset(&line);
		buf_add(&line, text, len);
		fprintf(f, "%s%s\n", prefix, cmd_safe(&safe, line.s));
		text += len + (nl ? 1 : 0);
	}
	buf_release(&line);
	buf_release(&safe);
	buf_release(&named);
}

static int record(int argc, char **argv, struct cmd_ctx *ctx, int check)
{
	const struct command *self = check ? &cmd_check : &cmd_step;
	struct svc svc;
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	struct person p;
	enum kn_err e;
	int bad, status;
	const char *ref, *code = NULL;

	step_init(&st);
	bad = parse_step_opts(argc, argv, &st);
	if (bad < 0 || argc - optind < (check ? 1 : 2) || argc - optind > 2) {
		step_release(&st);
		return cmd_usage(self);
	}
	if (bad > 0) {	/* a malformed value: a usage error (ketnap.1) */
		step_release(&st);
		return EXIT_USAGE;
	}
	ref = argv[optind];
	if (argc - optind == 2)
		code = argv[optind + 1];
	ctx->lazy_tree = 1;	/* the person's units, the actor's, the step's */
	if (!ctx_store(ctx, 0)) {
		step_release(&st);
		return ctx->open_status;
	}
	ctx_svc(ctx, &svc);
	memset(&p, 0, sizeof(p));
	memset(&res, 0, sizeof(res));
	res.err = (struct buf)BUF_INIT;
	{
		/* The database must be readable as the ledger reads it. */
		struct ledger l;
		if ((e = svc_ledger_open(&svc, &l, &res.err)) != KN_OK) {
			cmd_error("%s", res.err.s);
			status = kn_exit_status(e);
			goto out;
		}
		if (st.date == KN_DATE_NONE)
			st.date = l.today;
		ledger_release(&l);
	}
	if (code) {
		st.code = step_from_name(code);
		if (st.code == STEP_NONE) {
			cmd_error(_("unknown step '%s'; the steps are source, mentor, trained, applied, "
				    "verified, introduced, cell_vote, committee_vote, decision, ceremony, "
				    "probation_vote, official, withdrawn, rejected, struck_off"), code);
			status = EXIT_USAGE;
			goto out;
		}
	}
	/* A person outside the actor's subtree is not found, as an unknown
	 * ref is. */
	if ((e = svc_person_find(&svc, ref, &p)) != KN_OK) {
		if (e == KN_ENOTFOUND) {
			if (!cmd_merged_error(ctx, ref))	/* issue 15 */
				cmd_error(_("no person with ref %s; `ketnap person find NAME` finds "
					    "refs"), ref);
		} else
			cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	if (!code) {
		/* check without STEP: the next step of the open candidacy. */
		svc_next_step(&svc, &p, &st.code);
		if (st.code == STEP_NONE) {
			printf(_("%s: no next step; the candidacy is closed\n"), ref);
			status = EXIT_DONE;
			goto out;
		}
	}

	memset(&req, 0, sizeof(req));
	req.ref = ref;
	req.st = &st;
	req.check = check;
	req.expect_version = -1;
	req.hidden_refs = 1;
	e = svc_step(&svc, &req, &res);
	/* What the actor's role allows (core/actor.h, as on the web). */
	const char *role = role_name(ctx->actor.role), *unit = ctx->actor.unit ? ctx->actor.unit : "";
	if (e == KN_EPERM) {
		if (res.deny == SVC_DENY_RECORD)
			cmd_error(_("%s, %s of %s, may not record %s for %s; nothing was recorded. Ask "
				    "someone whose role allows it, or name that account with --user NAME"),
				  ctx->user, role, unit, step_name(st.code), ref);
		else
			cmd_error(_("%s, %s of %s, may not override the rules for %s: only an approver or "
				    "administrator of a unit above the candidate's may; nothing was recorded"),
				  ctx->user, role, unit, ref);
		status = EXIT_REFUSED;
		goto out;
	}
	if (check && !res.may_record)
		fprintf(stderr, _("note: %s, %s of %s, may not record %s for %s.\n"), ctx->user, role,
			unit, step_name(st.code), ref);
	else if (check && st.override && !res.may_override)
		fprintf(stderr, _("note: %s, %s of %s, may not override the rules for %s.\n"),
			ctx->user, role, unit, ref);
	struct buf safe = BUF_INIT;
	for (size_t i = 0; i < res.v.n; i++)
		fprintf(stderr, "%s: %s\n", res.v.v[i].code, cmd_safe(&safe, res.v.v[i].message));
	buf_release(&safe);
	char d[11];
	date_format_user(st.date, d);
	if (check) {
		if (res.err.len) {
			printf(_("%s %s on %s still needs:\n"), ref, step_name(st.code), d);
			print_lines(stdout, "  ", res.err.s);
		}
		if (e == KN_ERULE) {
			fprintf(stderr, _("%s %s on %s would be refused.\n"), ref, step_name(st.code), d);
			status = EXIT_REFUSED;
		} else if (e != KN_OK) {
			status = kn_exit_status(e);
		} else {
			printf(_("%s %s on %s: no rule refuses it.\n"), ref, step_name(st.code), d);
			status = EXIT_DONE;
		}
		goto out;
	}
	if (e != KN_OK) {
		print_lines(stderr, "", res.err.s);
		if (e == KN_ERULE)
			fprintf(stderr, _("%s %s on %s was refused; nothing was recorded. An approver "
					  "may record it anyway with --override REASON.\n"),
				ref, step_name(st.code), d);
		status = kn_exit_status(e);
		goto out;
	}
	if (res.v.n)
		printf(_("recorded with an override by %s: %s %s on %s (reason: %s)\n"), ctx->user,
		       ref, step_name(st.code), d, st.override);
	else
		printf(_("recorded: %s %s on %s\n"), ref, step_name(st.code), d);
	status = EXIT_DONE;
out:
	person_release(&p);
	svc_step_res_release(&res);
	svc_release(&svc);
	step_release(&st);
	return ctx_tree_status(ctx, status);
}

static int run_step(int argc, char **argv, struct cmd_ctx *ctx)
{
	return record(argc, argv, ctx, 0);
}

static int run_check(int argc, char **argv, struct cmd_ctx *ctx)
{
	return record(argc, argv, ctx, 1);
}

static const struct cmd_option step_options[] = {
	{ "date", 0, "D", N_("the date of the step, YYYY-MM-DD or DD/MM/YYYY (default: today)") },
	{ "doc", 0, "NO", N_("the number of the document (decision, minutes) that records it") },
	{ "org", 0, "ORG", N_("source: the organisation that nominates the person") },
	{ "member", 0, "REF", N_("mentor: the party member assigned to the candidate") },
	{ "introducer", 0, "REF:SINCE", N_("introduced: an introducer and the date they became official (twice)") },
	{ "for", 0, "N", N_("a vote: how many voted for") },
	{ "of", 0, "N", N_("a vote: how many had the right to vote") },
	{ "consent", 0, "NO", N_("the document of consent where a rule asks for one") },
	{ "override", 0, "REASON", N_("record although a rule refuses it, with this reason (approvers only)") },
	{ "note", 0, "TEXT", N_("a note kept with the step") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_step = {
	"step", "step REF STEP [--date D] [--doc NO] [--org ORG] [--member REF] "
	"[--introducer REF:SINCE]... [--for N --of N] [--consent NO] [--override REASON] "
	"[--note TEXT]", run_step, step_options,
	N_("record a step of a candidacy, checked against every rule"),
};

const struct command cmd_check = {
	"check", "check REF [STEP] [--date D] (and the options of step)", run_check, step_options,
	N_("say whether a step could be recorded, and every rule that would stop it"),
};
