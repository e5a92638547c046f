/*
 * cmd_person.c — `ketnap person find TEXT` and `ketnap person show REF`.
 *
 * find: accent- and case-insensitive search (the folded name is stored
 * beside the name), sorted in Vietnamese order by given name, then middle
 * and family names, with ICU's vi collation; table, csv or json.
 * show: the person, each candidacy with its steps (overrides flagged),
 * the open deadlines, and what the next step needs — including the rules
 * that would refuse it if it were recorded today.
 * Both show only people of the actor's subtree (core/svc.h); someone
 * outside it is not found, as an unknown ref is. Human output goes
 * through text_printable(), so that a name cannot drive the terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "core/extension.h"
#include "cmd/cmd_dups.h"
#include "cmd/ctx.h"
#include "cmd/label.h"
#include "core/deadline.h"
#include "core/ledger.h"
#include "core/readmit.h"
#include "core/svc.h"
#include "io/csv.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/table.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

struct found {
	struct person *p;
	char *key;		/* Vietnamese name-order sort key */
	const char *step;	/* last step, "member", "official" or "" */
};

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->p->ref, y->p->ref);
}

/* What `step` shows for a person: the last step of the latest candidacy,
 * or member/official for members without an open candidacy. */
static const char *person_step(struct ledger *l, const struct person *p, const struct candidacy *c,
			       size_t nc)
{
	kn_date ms, os;
	if (nc && c[nc - 1].open)
		return step_name(c[nc - 1].stage);
	ledger_membership(l, p, c, nc, &ms, &os);
	if (os != KN_DATE_NONE && os <= l->today)
		return "official";
	if (ms != KN_DATE_NONE)
		return "member";
	return nc ? step_name(c[nc - 1].stage) : "";
}

/* The longest search text: longer ones match no name anyway, and make
 * the database's pattern matcher give up. */
#define MAX_FIND_CHARS 200

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int cmd_find(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "table";
	struct store *s;
	struct svc sv;
	struct ledger l;
	struct person *people;
	struct found *f;
	size_t n;
	struct buf folded = BUF_INIT, err = BUF_INIT, out = BUF_INIT;
	enum kn_err e;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f')
			return cmd_usage(&cmd_person);
		format = optarg;
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		cmd_error(_("--format must be table, csv or json, not '%s'"), format);
		return EXIT_USAGE;
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_person);
	if (utf8_chars(argv[optind]) > MAX_FIND_CHARS) {
		cmd_error(_("the search text has %zu characters; give at most %d, e.g. a family and "
			    "a given name"), utf8_chars(argv[optind]), MAX_FIND_CHARS);
		return EXIT_REFUSED;
	}
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	ctx_svc(ctx, &sv);
	if ((e = svc_ledger_open(&sv, &l, &err)) != KN_OK) {
		cmd_error("%s", err.s);
		buf_release(&err);
		svc_release(&sv);
		return kn_exit_status(e);
	}
	text_fold(argv[optind], &folded);
	e = store_person_find(s, folded.s, &people, &n);
	buf_release(&folded);
	if (e != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		ledger_release(&l);
		svc_release(&sv);
		return kn_exit_status(e);
	}
	/* Only the actor's subtree: the others are moved past n. */
	size_t seen = 0;
	for (size_t i = 0; i < n; i++)
		if (svc_may_see(&sv, people[i].unit)) {
			struct person tmp = people[seen];
			people[seen++] = people[i];
			people[i] = tmp;
		}
	size_t total = n;
	n = seen;
	f = xcalloc(n ? n : 1, sizeof(*f));
	for (size_t i = 0; i < n; i++) {
		struct buf key = BUF_INIT;
		struct candidacy *cs;
		size_t nc;
		f[i].p = &people[i];
		text_name_key(people[i].full_name, &key);
		f[i].key = buf_detach(&key);
		if (store_candidacies_of(s, people[i].id, &cs, &nc) == KN_OK) {
			f[i].step = person_step(&l, &people[i], cs, nc);
			store_candidacies_free(cs, nc);
		} else {
			f[i].step = "";
		}
	}
	xqsort(f, n, sizeof(*f), found_cmp);

	if (strcmp(format, "csv") == 0) {
		const char *hdr[] = { "ref", "full_name", "birth_date", "unit", "step" };
		csv_write_row(&out, hdr, 5);
		for (size_t i = 0; i < n; i++) {
			char bd[11];
			date_format_iso(f[i].p->birth_date, bd);
			const char *row[] = { f[i].p->ref, f[i].p->full_name, bd, f[i].p->unit,
					      f[i].step };
			csv_write_row_guarded(&out, row, 5, 1u << 1);	/* full_name */
		}
	} else if (strcmp(format, "json") == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			char bd[11];
			date_format_iso(f[i].p->birth_date, bd);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}",
				"ref", f[i].p->ref, "full_name", f[i].p->full_name,
				"birth_date", bd, "unit", f[i].p->unit, "step", f[i].step));
		}
		char *js = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		buf_adds(&out, js);
		buf_addc(&out, '\n');
		free(js);
		json_decref(arr);
	} else if (n == 0) {
		struct buf safe = BUF_INIT;
		buf_addf(&out, _("nobody matches '%s'\n"), cmd_safe(&safe, argv[optind]));
		buf_release(&safe);
	} else {
		const char *hdr[] = { _("ref"), _("full name"), _("born"), _("unit"), _("step") };
		struct table *t = table_new(5);
		table_header(t, hdr);
		for (size_t i = 0; i < n; i++) {
			char bd[11];
			date_format_user(f[i].p->birth_date, bd);
			const char *row[] = { f[i].p->ref, f[i].p->full_name, bd, f[i].p->unit,
					      label_stage(f[i].step) };
			table_row(t, row);
		}
		table_render(t, &out);
		table_free(t);
	}
	fputs(out.s, stdout);
	buf_release(&out);
	for (size_t i = 0; i < n; i++)
		free(f[i].key);
	free(f);
	store_people_free(people, total);
	ledger_release(&l);
	svc_release(&sv);
	return EXIT_DONE;
}

static const char *yes_no(int v)
{
	return v ? _("yes") : _("no");
}

/* "  label:   value", the label padded to 16 columns of screen width. */
static void field(const char *label, const char *value)
{
	struct buf safe = BUF_INIT;
	int pad = 16 - text_width(label);
	printf("  %s%*s %s\n", label, pad > 0 ? pad : 0, "", cmd_safe(&safe, value));
	buf_release(&safe);
}

static void show_person(const struct person *p, kn_date ms, kn_date os)
{
	char d[11];
	struct buf name = BUF_INIT, ref = BUF_INIT;
	date_format_user(p->birth_date, d);
	printf("%s (%s)\n", cmd_safe(&name, p->full_name), cmd_safe(&ref, p->ref));
	buf_release(&name);
	buf_release(&ref);
	field(_("sex:"), p->sex == 'F' ? _("female") : _("male"));
	field(_("born:"), d);
	field(_("unit:"), p->unit);
	field(_("ethnicity:"), p->ethnicity ? p->ethnicity : "Kinh");
	if (p->religion)
		field(_("religion:"), p->religion);
	if (p->education)
		field(_("education:"), p->education);
	if (p->qualification)
		field(_("qualification:"), label_qualification(p->qualification));
	if (p->occupation)
		field(_("occupation:"), label_occupation(p->occupation));
	field(_("Youth Union:"), yes_no(p->youth_union));
	field(_("Trade Union:"), yes_no(p->trade_union));
	if (ms != KN_DATE_NONE) {
		date_format_user(ms, d);
		field(_("member since:"), d);
	}
	if (os != KN_DATE_NONE) {
		date_format_user(os, d);
		field(_("full member:"), d);
	}
	/* RULES.md §9 (issue 15: re-admission). */
	if (p->left_on != KN_DATE_NONE || p->left_reason) {
		struct buf v = BUF_INIT;
		if (p->left_on != KN_DATE_NONE) {
			date_format_user(p->left_on, d);
			buf_adds(&v, d);
		}
		if (p->left_reason)
			buf_addf(&v, "%s(%s)", v.len ? " " : "", readmit_reason_label(p->left_reason));
		field(_("left the Party:"), v.s);
		buf_release(&v);
	}
	if (p->record_cleared_on != KN_DATE_NONE) {
		date_format_user(p->record_cleared_on, d);
		field(_("record cleared:"), d);
	}
	if (p->readmitted)
		field(_("re-admitted:"), yes_no(1));
	if (p->phone)
		field(_("phone:"), p->phone);
	if (p->note)
		field(_("note:"), p->note);
}

static void show_steps(const struct candidacy *c, size_t i)
{
	struct table *t = table_new(4);
	const char *hdr[] = { _("date"), _("step"), _("details"), _("recorded by") };
	struct buf out = BUF_INIT;

	printf("\n");
	printf(_("Candidacy %zu (%s), stage: %s\n"), i + 1, c->open ? _("open") : _("closed"),
	       label_step(c->stage));
	if (c->readmission)
		printf("%s\n", _("A re-admission (RULES.md §9)."));
	table_header(t, hdr);
	for (size_t j = 0; j < c->nsteps; j++) {
		const struct step *s = &c->steps[j];
		struct buf det = BUF_INIT;
		char d[11];
		label_step_facts(s, &det);
		const char *facts = det.len ? det.s : "";
		date_format_user(s->date, d);
		struct buf who = BUF_INIT;
		buf_adds(&who, s->recorded_by ? s->recorded_by : "");
		if (s->override)
			buf_addf(&who, " (%s: %s)", _("OVERRIDE"), s->override_by ? s->override_by : "");
		const char *row[] = { d, label_step(s->code), facts, who.s };
		table_row(t, row);
		buf_release(&det);
		buf_release(&who);
	}
	table_render(t, &out);
	fputs(out.s, stdout);
	buf_release(&out);
	table_free(t);
}

static int show(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct store *s;
	struct svc sv;
	struct ledger l;
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct buf err = BUF_INIT;
	enum kn_err e;
	int status = EXIT_DONE;
	kn_date ms, os;

	if (argc != 3)
		return cmd_usage(&cmd_person);
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	ctx_svc(ctx, &sv);
	e = svc_ledger_open(&sv, &l, &err);
	if (e != KN_OK) {
		cmd_error("%s", err.s);
		buf_release(&err);
		svc_release(&sv);
		return kn_exit_status(e);
	}
	/* A person outside the actor's subtree is not found, as an unknown
	 * ref is. */
	e = svc_person_find(&sv, argv[2], &p);
	svc_release(&sv);
	if (e != KN_OK) {
		if (e == KN_ENOTFOUND) {
			if (!cmd_merged_error(ctx, argv[2]))	/* issue 15 */
				cmd_error(_("no person with ref %s; `ketnap person find NAME` finds "
					    "refs"), argv[2]);
		} else
			cmd_error("%s", store_errmsg(s));
		ledger_release(&l);
		return kn_exit_status(e);
	}
	if ((e = store_candidacies_of(s, p.id, &cs, &nc)) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		status = kn_exit_status(e);
		goto out;
	}
	ledger_membership(&l, &p, cs, nc, &ms, &os);
	show_person(&p, ms, os);
	{	/* issue 15: the units over time */
		struct policy tp;
		ledger_policy(&l, l.today, &tp);
		transfer_show(s, l.cal, &p, &tp);
	}
	cmd_show_dups(ctx, &p);	/* issue 15: as the person's web page */
	for (size_t i = 0; i < nc; i++)
		show_steps(&cs[i], i);

	struct candidacy *open = nc && cs[nc - 1].open ? &cs[nc - 1] : NULL;
	if (open) {
		struct extension x;
		struct deadline *dl = NULL;
		size_t ndl = extension_deadlines(&l, open, &x, &dl);
		printf("\n%s\n", ndl ? _("Open deadlines:") : _("No open deadlines."));
		for (size_t i = 0; i < ndl; i++) {
			char d[11];
			struct buf name = BUF_INIT;
			int left = dl[i].workdays_left;
			date_format_user(dl[i].due, d);
			label_deadline(dl[i].code, &name);
			if (left < 0)
				printf(ngettext("  %s, due %s: overdue by %d working day\n",
						"  %s, due %s: overdue by %d working days\n",
						(unsigned long)-left), name.s, d, -left);
			else
				printf(ngettext("  %s, due %s: %d working day left\n",
						"  %s, due %s: %d working days left\n",
						(unsigned long)left), name.s, d, left);
			buf_release(&name);
		}
		free(dl);
		if (x.date != KN_DATE_NONE) {
			char d[11];
			date_format_user(x.date, d);
			printf(_("  The decision deadline was extended on %s by %s (%s).\n"), d,
			       x.unit ? x.unit : "", x.doc_no ? x.doc_no : "");
		}
		extension_release(&x);
	}
	if (open || ms == KN_DATE_NONE) {
		struct unode *un = unitree_find(&l.tree, p.unit);
		enum step_code next = ledger_next_step(open, unitree_is_basic_cell(un));
		if (next != STEP_NONE) {
			struct step st;
			struct violations v = { 0 };
			struct buf need = BUF_INIT;
			enum ledger_outcome oc;
			step_init(&st);
			st.code = next;
			st.date = l.today;
			printf("\n");
			printf(_("Next step: %s (%s)\n"), step_name(next), step_info(next)->label_vi);
			ledger_step(&l, p.ref, &st, LEDGER_CHECK, 0, &v, &need, &oc);
			if (need.len) {
				struct buf opts = BUF_INIT;
				/* Each missing fact named by the option that gives it. */
				label_need_lines(need.s, &opts);
				struct buf tmp = need;
				need = opts;
				buf_release(&tmp);
				printf("  %s\n", _("it needs:"));
				for (char *line = need.s; *line;) {
					char *nl = strchr(line, '\n');
					struct buf one = BUF_INIT, safe = BUF_INIT;
					buf_add(&one, line, nl ? (size_t)(nl - line) : strlen(line));
					printf("    %s\n", cmd_safe(&safe, one.s));
					buf_release(&one);
					buf_release(&safe);
					line = nl ? nl + 1 : line + strlen(line);
				}
			}
			if (v.n) {
				printf("  %s\n", _("recorded today, it would be refused by:"));
				struct buf safe = BUF_INIT;
				for (size_t i = 0; i < v.n; i++)
					printf("    %s: %s\n", v.v[i].code, cmd_safe(&safe, v.v[i].message));
				buf_release(&safe);
			} else {
				printf("  %s\n", _("no rule would refuse it today."));
			}
			violations_release(&v);
			buf_release(&need);
			step_release(&st);
		}
	}
out:
	store_candidacies_free(cs, nc);
	person_release(&p);
	ledger_release(&l);
	return status;
}

/* One person: a few units (theirs, the actor's, those of their steps),
 * read as asked for. */
static int cmd_show(int argc, char **argv, struct cmd_ctx *ctx)
{
	ctx->lazy_tree = 1;
	return ctx_tree_status(ctx, show(argc, argv, ctx));
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (argc >= 2 && strcmp(argv[1], "find") == 0)
		return cmd_find(argc - 1, argv + 1, ctx);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cmd_show(argc, argv, ctx);
	/* issue 15: identity (cmd_dups.c) */
	if (argc >= 2 && strcmp(argv[1], "duplicates") == 0)
		return cmd_person_duplicates(argc - 1, argv + 1, ctx);
	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return cmd_person_merge(argc - 1, argv + 1, ctx);
	return cmd_usage(&cmd_person);
}

static const struct cmd_option person_options[] = {
	{ "format", 0, "table|csv|json", N_("output format of find (default: table)") },
	{ "unit", 0, "CODE", N_("duplicates: only pairs within this unit's subtree") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_person = {
	"person", "person find TEXT [--format table|csv|json] · person show REF · "
	"person duplicates [--unit CODE] [--format table|csv|json] · person merge KEEP DROP", run,
	person_options,
	N_("find people by name; show a person, their candidacy and what comes next; list "
	   "possible duplicates and merge two records"),
};
