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
#include "cmd/step_opts.h"
#include "core/ledger.h"
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

/* A person ref the actor may not see: it exists outside the scope. */
static int hidden_ref(struct cmd_ctx *ctx, const char *ref)
{
	struct person p;
	int hidden;
	if (!ref || store_person_get(ctx->store, ref, &p) != KN_OK)
		return 0;	/* unknown refs are the ledger's to report */
	hidden = !ctx_may_see(ctx, p.unit);
	person_release(&p);
	return hidden;
}

/* The references of st to people and units outside the actor's scope,
 * reported in err as the ledger reports unknown ones; returns how many. */
static int hidden_refs(struct cmd_ctx *ctx, const struct step *st, struct buf *err)
{
	const char *cols[3] = { "member", "introducer1", "introducer2" };
	const char *refs[3] = { st->member, st->intro1, st->intro2 };
	int n = 0;
	for (int i = 0; i < 3; i++)
		if (hidden_ref(ctx, refs[i])) {
			buf_addf(err, "%s: ", cols[i]);
			buf_addf(err, _("no person with ref %s; import the member first"), refs[i]);
			buf_addc(err, '\n');
			n++;
		}
	if (st->org && ctx_tree(ctx) && unitree_find(ctx_tree(ctx), st->org) &&
	    !ctx_may_see(ctx, st->org)) {
		buf_addf(err, "org: ");
		buf_addf(err, _("no unit with code %s; name the deciding committee by its unit code"),
			 st->org);
		buf_addc(err, '\n');
		n++;
	}
	return n;
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
	struct store *s;
	struct ledger l;
	struct step st;
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	struct person p;
	enum ledger_outcome oc;
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
	if (!(s = ctx_store(ctx, 0))) {
		step_release(&st);
		return ctx->open_status;
	}
	if ((e = ctx_ledger_open(ctx, &l, &err)) != KN_OK) {
		cmd_error("%s", err.s);
		step_release(&st);
		buf_release(&err);
		return kn_exit_status(e);
	}
	if (st.date == KN_DATE_NONE)
		st.date = l.today;
	memset(&p, 0, sizeof(p));
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
	e = store_person_get(s, ref, &p);
	if (e == KN_OK && !ctx_may_see(ctx, p.unit))
		e = KN_ENOTFOUND;
	if (e != KN_OK) {
		if (e == KN_ENOTFOUND)
			cmd_error(_("no person with ref %s; `ketnap person find NAME` finds refs"), ref);
		else
			cmd_error("%s", store_errmsg(s));
		status = kn_exit_status(e);
		goto out;
	}
	if (!code) {
		/* check without STEP: the next step of the open candidacy. */
		struct candidacy *cs = NULL;
		size_t nc = 0;
		store_candidacies_of(s, p.id, &cs, &nc);
		struct unode *un = unitree_find(&l.tree, p.unit);
		st.code = ledger_next_step(nc ? &cs[nc - 1] : NULL, unitree_is_basic_cell(un));
		store_candidacies_free(cs, nc);
		if (st.code == STEP_NONE) {
			printf(_("%s: no next step; the candidacy is closed\n"), ref);
			status = EXIT_DONE;
			goto out;
		}
	}

	/* What the actor's role allows (core/actor.h, as on the web). */
	const char *role = role_name(ctx->actor.role), *unit = ctx->actor.unit ? ctx->actor.unit : "";
	int may_record = ctx_may_record(ctx, p.unit, st.code);
	int may_override = !st.override || ctx_may_override(ctx, p.unit);
	if (!check && !may_record) {
		cmd_error(_("%s, %s of %s, may not record %s for %s; nothing was recorded. Ask "
			    "someone whose role allows it, or name that account with --user NAME"),
			  ctx->user, role, unit, step_name(st.code), ref);
		status = EXIT_REFUSED;
		goto out;
	}
	if (!check && !may_override) {
		cmd_error(_("%s, %s of %s, may not override the rules for %s: only an approver or "
			    "administrator of a unit above the candidate's may; nothing was recorded"),
			  ctx->user, role, unit, ref);
		status = EXIT_REFUSED;
		goto out;
	}
	if (hidden_refs(ctx, &st, &err))
		e = KN_EINVAL;
	else
		e = ledger_step(&l, ref, &st, check ? LEDGER_CHECK : LEDGER_WRITE, 0, &v, &err, &oc);
	if (check && !may_record)
		fprintf(stderr, _("note: %s, %s of %s, may not record %s for %s.\n"), ctx->user, role,
			unit, step_name(st.code), ref);
	else if (check && !may_override)
		fprintf(stderr, _("note: %s, %s of %s, may not override the rules for %s.\n"),
			ctx->user, role, unit, ref);
	struct buf safe = BUF_INIT;
	for (size_t i = 0; i < v.n; i++)
		fprintf(stderr, "%s: %s\n", v.v[i].code, cmd_safe(&safe, v.v[i].message));
	buf_release(&safe);
	char d[11];
	date_format_user(st.date, d);
	if (check) {
		if (err.len) {
			printf(_("%s %s on %s still needs:\n"), ref, step_name(st.code), d);
			print_lines(stdout, "  ", err.s);
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
		print_lines(stderr, "", err.s);
		if (e == KN_ERULE)
			fprintf(stderr, _("%s %s on %s was refused; nothing was recorded. An approver "
					  "may record it anyway with --override REASON.\n"),
				ref, step_name(st.code), d);
		status = kn_exit_status(e);
		goto out;
	}
	if (v.n)
		printf(_("recorded with an override by %s: %s %s on %s (reason: %s)\n"), ctx->user,
		       ref, step_name(st.code), d, st.override);
	else
		printf(_("recorded: %s %s on %s\n"), ref, step_name(st.code), d);
	status = EXIT_DONE;
out:
	person_release(&p);
	violations_release(&v);
	buf_release(&err);
	step_release(&st);
	ledger_release(&l);
	return status;
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
