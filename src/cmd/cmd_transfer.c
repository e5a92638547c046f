/*
 * cmd_transfer.c — `ketnap transfer REF --to UNIT …` records the sending
 * unit's letter of introduction (`out`), and `ketnap transfer REF
 * --arrived` the destination's acceptance (`in`), RULES.md §8. Each is
 * one transaction with its audit entry.
 *
 * Scope: the `out` is an editor's (or higher) of the sending unit's
 * subtree, who finds the person as any command does; the destination
 * may lie outside that subtree (it is named by code). The `in` is an
 * editor's of the destination's subtree, who may see the one person in
 * transit to them and nobody else of the sending side: a person not in
 * transit to their subtree is "not found", exactly like an unknown ref.
 * KN-TRANSFER-OPEN and KN-TRANSFER-DEST are overridable as step rules
 * are, by an approver or administrator above the sending unit, and the
 * reason is kept with the transfer.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/ctx.h"
#include "core/svc.h"
#include "core/transfer.h"
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

/* The open candidacy of cs[0..n), or NULL. */
static const struct candidacy *open_of(const struct candidacy *cs, size_t n)
{
	return n && cs[n - 1].open ? &cs[n - 1] : NULL;
}

static int audit_commit(struct cmd_ctx *ctx, const char *action, const char *ref,
			const struct transfer *t)
{
	struct buf desc = BUF_INIT;
	enum kn_err e;
	transfer_describe(t, &desc);
	e = store_audit(ctx->store, ctx->user, action, "transfer", ref, NULL, desc.s);
	buf_release(&desc);
	if (e == KN_OK)
		e = store_commit(ctx->store);
	else
		store_rollback(ctx->store);
	return e;
}

static int do_out(struct cmd_ctx *ctx, struct svc *sv, const char *ref, struct transfer_opts *o,
		  kn_date today)
{
	struct person p;
	struct transfer *prior = NULL, t;
	struct candidacy *cs = NULL;
	size_t nprior = 0, nc = 0;
	struct violations v = { 0 };
	struct unitree *tree = svc_tree(sv);
	struct unode *dest;
	struct buf safe = BUF_INIT;
	enum kn_err e;
	int status = EXIT_REFUSED;
	char d[11];

	transfer_init(&t);
	if ((e = svc_person_find(sv, ref, &p)) != KN_OK) {
		if (e == KN_ENOTFOUND)
			cmd_error(_("no person with ref %s; `ketnap person find NAME` finds refs"), ref);
		else
			cmd_error("%s", store_errmsg(ctx->store));
		return kn_exit_status(e);
	}
	if (!tree) {
		cmd_error("%s", store_errmsg(ctx->store));
		status = EXIT_IO;
		goto out;
	}
	if (!svc_may_record(sv, p.unit, STEP_SOURCE)) {
		cmd_error(_("%s, %s of %s, may not transfer %s: only an editor of the sending unit "
			    "may; nothing was recorded"), ctx->user, role_name(ctx->actor.role),
			  ctx->actor.unit ? ctx->actor.unit : "", ref);
		goto out;
	}
	if (!(dest = unitree_find(tree, o->to))) {
		cmd_error(_("no unit with code %s; `ketnap unit tree` lists the codes"), o->to);
		goto out;
	}
	date_format_user(o->date, d);
	if (o->date > today) {
		char t2[11];
		date_format_user(today, t2);
		cmd_error(_("the letter is dated %s, after today (%s); record a transfer only once "
			    "the letter is written"), d, t2);
		goto out;
	}
	if ((e = store_transfers_of(ctx->store, p.id, &prior, &nprior)) != KN_OK ||
	    (e = store_candidacies_of(ctx->store, p.id, &cs, &nc)) != KN_OK) {
		cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	if (nprior && prior[nprior - 1].in_date != KN_DATE_NONE &&
	    o->date < prior[nprior - 1].in_date) {
		char a[11];
		date_format_user(prior[nprior - 1].in_date, a);
		cmd_error(_("%s arrived at %s on %s; a new letter cannot be dated before that (%s)"),
			  ref, prior[nprior - 1].to, a, d);
		goto out;
	}
	struct transfer_facts f = { &p, prior, nprior, open_of(cs, nc), dest, p.unit, o->date };
	transfer_check(&f, &v);
	for (size_t i = 0; i < v.n; i++)
		fprintf(stderr, "%s: %s\n", v.v[i].code, cmd_safe(&safe, v.v[i].message));
	if (v.n && !o->override) {
		fprintf(stderr, _("the transfer of %s on %s was refused; nothing was recorded. An "
				  "approver may record it anyway with --override REASON.\n"), ref, d);
		goto out;
	}
	if (v.n && !svc_may_override(sv, p.unit)) {
		cmd_error(_("%s, %s of %s, may not override the rules for %s: only an approver or "
			    "administrator of a unit above the sending unit may; nothing was recorded"),
			  ctx->user, role_name(ctx->actor.role),
			  ctx->actor.unit ? ctx->actor.unit : "", ref);
		goto out;
	}
	t.out_date = o->date;
	t.from = xstrdup(p.unit);
	t.to = xstrdup(dest->u.code);
	t.doc_no = o->doc ? xstrdup(o->doc) : NULL;
	t.note = o->note ? xstrdup(o->note) : NULL;
	if (v.n) {	/* no reason kept for a rule not broken */
		t.override = xstrdup(o->override);
		t.override_by = xstrdup(ctx->user ? ctx->user : "");
	}
	t.recorded_by = xstrdup(ctx->user ? ctx->user : "");
	if ((e = store_begin(ctx->store)) != KN_OK ||
	    (e = store_transfer_add(ctx->store, p.id, &t, &t.id)) != KN_OK) {
		if (e != KN_OK)
			store_rollback(ctx->store);
		cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	if ((e = audit_commit(ctx, v.n ? "transfer-override" : "transfer-out", ref, &t)) != KN_OK) {
		cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	if (v.n)
		printf(_("recorded with an override by %s: %s leaves %s for %s on %s (reason: %s)\n"),
		       ctx->user, ref, t.from, t.to, d, t.override);
	else
		printf(_("recorded: %s leaves %s for %s on %s; in transit until %s records the "
			 "arrival\n"), ref, t.from, t.to, d, t.to);
	status = EXIT_DONE;
out:
	buf_release(&safe);
	violations_release(&v);
	transfer_release(&t);
	transfers_free(prior, nprior);
	store_candidacies_free(cs, nc);
	person_release(&p);
	return status;
}

static int do_in(struct cmd_ctx *ctx, struct svc *sv, const char *ref, struct transfer_opts *o,
		 kn_date today)
{
	struct person p;
	struct transfer *prior = NULL;
	struct candidacy *cs = NULL;
	size_t nprior = 0, nc = 0;
	const struct transfer *t = NULL;
	const struct candidacy *open;
	enum kn_err e;
	int status = EXIT_REFUSED;
	char d[11], od[11];

	memset(&p, 0, sizeof(p));
	e = ref && *ref ? store_person_get(ctx->store, ref, &p) : KN_ENOTFOUND;
	if (e == KN_OK && (e = store_transfers_of(ctx->store, p.id, &prior, &nprior)) == KN_OK)
		t = transfer_pending(prior, nprior);
	if (e != KN_OK && e != KN_ENOTFOUND) {
		cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	/* Only the destination's side meets the person in transit; the
	 * sending side still sees them as its own. */
	if (e == KN_ENOTFOUND || (!svc_may_see(sv, p.unit) && !(t && svc_may_see(sv, t->to)))) {
		cmd_error(_("no person with ref %s; `ketnap person find NAME` finds refs"), ref);
		goto out;
	}
	if (!t) {
		cmd_error(_("%s is not in transit; the sending unit records the letter first "
			    "(transfer REF --to UNIT)"), ref);
		goto out;
	}
	if (!svc_may_record(sv, t->to, STEP_SOURCE)) {
		cmd_error(_("%s, %s of %s, may not record the arrival of %s at %s: only an editor of "
			    "the destination may; nothing was recorded"), ctx->user,
			  role_name(ctx->actor.role), ctx->actor.unit ? ctx->actor.unit : "", ref,
			  t->to);
		goto out;
	}
	date_format_user(o->date, d);
	date_format_user(t->out_date, od);
	if (o->date > today || o->date < t->out_date) {
		char t2[11];
		date_format_user(today, t2);
		cmd_error(_("the arrival of %s is dated %s; it must be on or after the letter (%s) and "
			    "not after today (%s)"), ref, d, od, t2);
		goto out;
	}
	if ((e = store_candidacies_of(ctx->store, p.id, &cs, &nc)) != KN_OK) {
		cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	open = open_of(cs, nc);
	if ((e = store_begin(ctx->store)) != KN_OK ||
	    (e = store_transfer_arrive(ctx->store, t, o->date, p.id, open ? open->id : 0)) != KN_OK) {
		if (e != KN_OK)
			store_rollback(ctx->store);
		cmd_error("%s", store_errmsg(ctx->store));
		status = kn_exit_status(e);
		goto out;
	}
	{
		struct transfer done = *t;
		done.in_date = o->date;
		if ((e = audit_commit(ctx, "transfer-in", ref, &done)) != KN_OK) {
			cmd_error("%s", store_errmsg(ctx->store));
			status = kn_exit_status(e);
			goto out;
		}
	}
	printf(_("recorded: %s arrived at %s on %s (letter of %s from %s)\n"), ref, t->to, d, od,
	       t->from);
	status = EXIT_DONE;
out:
	transfers_free(prior, nprior);
	store_candidacies_free(cs, nc);
	person_release(&p);
	return status;
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
	kn_date today = date_today();
	if (o.date == KN_DATE_NONE)
		o.date = today;
	ctx_svc(ctx, &sv);
	if (o.arrived)
		status = do_in(ctx, &sv, argv[optind], &o, today);
	else
		status = do_out(ctx, &sv, argv[optind], &o, today);
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
