/*
 * cmd_dups.c — `ketnap person duplicates [--unit CODE] [--format
 * table|csv|json]` and `ketnap person merge KEEP DROP` (RULES.md §10).
 *
 * duplicates: every pair of people in the actor's subtree (both of them)
 * whose names are equal after folding and whose birth dates are equal,
 * each pair once, in Vietnamese name order (the store reads them that way
 * through migration 011's index; a small subtree reads only its units).
 * merge: svc_person_merge() judges and writes; this file only words the
 * answer. Human output goes through text_printable() (cmd_safe()).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd_dups.h"
#include "cmd/ctx.h"
#include "core/svc_identity.h"
#include "io/csv.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/table.h"
#include "util/banned.h"

int cmd_merged_error(struct cmd_ctx *ctx, const char *ref)
{
	struct svc sv;
	struct buf msg = BUF_INIT;
	int said;

	if (!ctx->store)
		return 0;
	ctx_svc(ctx, &sv);
	said = svc_merged_note(&sv, ref, &msg);
	if (said) {
		struct buf safe = BUF_INIT;
		cmd_error("%s", cmd_safe(&safe, msg.s));
		buf_release(&safe);
	}
	buf_release(&msg);
	svc_release(&sv);
	return said;
}

void cmd_show_dups(struct cmd_ctx *ctx, const struct person *p)
{
	struct person *o = NULL;
	size_t n = 0;
	struct svc sv;

	ctx_svc(ctx, &sv);
	if (store_dups_of(ctx->store, p->ref, svc_dup_top(&sv), &o, &n) == KN_OK && n) {
		printf("\n%s\n", _("Possibly the same person (the same name and date of birth) is "
				   "also recorded as:"));
		for (size_t i = 0; i < n; i++) {
			struct buf name = BUF_INIT, ref = BUF_INIT, unit = BUF_INIT;
			printf("  %s (%s, %s)\n", cmd_safe(&ref, o[i].ref),
			       cmd_safe(&name, o[i].full_name), cmd_safe(&unit, o[i].unit));
			buf_release(&name);
			buf_release(&ref);
			buf_release(&unit);
		}
		printf("  %s\n", _("if they are one person: ketnap person merge KEEP DROP"));
	}
	store_people_free(o, n);
	svc_release(&sv);
}

static void pairs_csv(const struct dup_pair *d, size_t n, struct buf *out)
{
	static const char *const hdr[] = { "ref1", "full_name1", "unit1", "ref2", "full_name2",
					   "unit2", "birth_date" };
	csv_write_row(out, hdr, 7);
	for (size_t i = 0; i < n; i++) {
		char bd[11];
		date_format_iso(d[i].birth_date, bd);
		const char *row[] = { d[i].ref1, d[i].name1, d[i].unit1, d[i].ref2, d[i].name2,
				      d[i].unit2, bd };
		/* The names are free text: no formula may start them. */
		csv_write_row_guarded(out, row, 7, (1u << 1) | (1u << 4));
	}
}

static void pairs_json(const struct dup_pair *d, size_t n, struct buf *out)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char bd[11];
		date_format_iso(d[i].birth_date, bd);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
			"ref1", d[i].ref1, "full_name1", d[i].name1, "unit1", d[i].unit1,
			"ref2", d[i].ref2, "full_name2", d[i].name2, "unit2", d[i].unit2,
			"birth_date", bd));
	}
	char *js = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_adds(out, js);
	buf_addc(out, '\n');
	free(js);
	json_decref(arr);
}

static void pairs_table(const struct dup_pair *d, size_t n, struct buf *out)
{
	const char *hdr[] = { _("ref"), _("full name"), _("unit"), _("ref"), _("full name"),
			      _("unit"), _("born") };
	struct table *t;

	if (n == 0) {
		buf_adds(out, _("no possible duplicates\n"));
		return;
	}
	t = table_new(7);
	table_header(t, hdr);
	for (size_t i = 0; i < n; i++) {
		char bd[11];
		date_format_user(d[i].birth_date, bd);
		const char *row[] = { d[i].ref1, d[i].name1, d[i].unit1, d[i].ref2, d[i].name2,
				      d[i].unit2, bd };
		table_row(t, row);
	}
	table_render(t, out);
	table_free(t);
}

int cmd_person_duplicates(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "unit", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "table", *unit = NULL;
	struct dup_pair *d = NULL;
	struct buf out = BUF_INIT;
	struct svc sv;
	size_t n = 0;
	enum kn_err e;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'u')
			unit = optarg;
		else
			return cmd_usage(&cmd_person);
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		cmd_error(_("--format must be table, csv or json, not '%s'"), format);
		return EXIT_USAGE;
	}
	if (argc != optind)
		return cmd_usage(&cmd_person);
	if (!ctx_store(ctx, 0))
		return ctx->open_status;
	ctx_svc(ctx, &sv);
	e = svc_dup_pairs(&sv, unit, 0, -1, &d, &n);
	svc_release(&sv);
	if (e == KN_ENOTFOUND) {
		struct buf safe = BUF_INIT;
		cmd_error(_("no unit with code %s; `ketnap unit tree` lists them"),
			  cmd_safe(&safe, unit));
		buf_release(&safe);
		return EXIT_REFUSED;
	}
	if (e != KN_OK) {
		cmd_error("%s", store_errmsg(ctx->store));
		return kn_exit_status(e);
	}
	if (strcmp(format, "csv") == 0) {
		pairs_csv(d, n, &out);
	} else if (strcmp(format, "json") == 0) {
		pairs_json(d, n, &out);
	} else {
		/* A table for people: every cell made safe for the terminal. */
		for (size_t i = 0; i < n; i++) {
			char **cells[] = { &d[i].ref1, &d[i].name1, &d[i].unit1, &d[i].ref2,
					   &d[i].name2, &d[i].unit2 };
			for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++) {
				struct buf safe = BUF_INIT;
				cmd_safe(&safe, *cells[k]);
				free(*cells[k]);
				*cells[k] = buf_detach(&safe);
			}
		}
		pairs_table(d, n, &out);
	}
	fputs(out.s, stdout);
	buf_release(&out);
	store_dup_pairs_free(d, n);
	return EXIT_DONE;
}

int cmd_person_merge(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct buf err = BUF_INIT, safe = BUF_INIT, safe2 = BUF_INIT;
	struct svc sv;
	size_t moved = 0;
	enum kn_err e;

	if (argc != 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return cmd_usage(&cmd_person);
	if (!ctx_store(ctx, 0))
		return ctx->open_status;
	ctx_svc(ctx, &sv);
	e = svc_person_merge(&sv, argv[1], argv[2], &moved, &err);
	svc_release(&sv);
	if (e != KN_OK) {
		cmd_error("%s", cmd_safe(&safe, err.s));
		buf_release(&safe);
		buf_release(&err);
		return kn_exit_status(e);
	}
	printf(ngettext("%s merged into %s: %zu candidacy moved\n",
			"%s merged into %s: %zu candidacies moved\n", (unsigned long)moved),
	       cmd_safe(&safe, argv[2]), cmd_safe(&safe2, argv[1]), moved);
	buf_release(&safe);
	buf_release(&safe2);
	buf_release(&err);
	return EXIT_DONE;
}
