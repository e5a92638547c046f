/*
 * cmd_policy.c — `ketnap policy list [--at D] [--format table|csv|json]`
 * and `ketnap policy set KEY VALUE --from D`: the effective-dated
 * parameters of RULES.md §7 (core/policy.c) from the command line, so that
 * a new regulation is a row and not a release.
 *
 * `list` shows, for each key, the one row in force on D (today by
 * default): the database's row with the latest `from` on or before D, or
 * the built-in default — exactly the row the rules use for a step dated D.
 * `set` adds (or replaces, for the same key and date) one row. The policy
 * applies to every unit, so like the holiday calendar only an
 * administrator of a top unit may change it; the row is checked by the
 * policy parser before anything is written, and written with its audit
 * entry in one transaction (the change counter moves with the commit, so
 * a running web server judges by the new row on its next request).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd/cmd.h"
#include "core/policy.h"
#include "io/csv.h"
#include "store/store.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/table.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* "key,from,value" of a row, as the audit keeps it ('' from: since always). */
static void row_text(struct buf *out, const char *key, kn_date from, const char *value)
{
	char d[11] = "";
	if (from != KN_DATE_NONE)
		date_format_iso(from, d);
	const char *f[] = { key, d, value };
	csv_write_row(out, f, 3);
	buf_truncate(out, out->len - 1);	/* the row's newline */
}

static int policy_list(struct cmd_ctx *ctx, kn_date at, const char *format)
{
	struct policy_row *rows = NULL;
	size_t n = 0, nk = policy_nkeys();
	const struct policy_row **in = xcalloc(nk, sizeof(*in));
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct store *s;
	enum kn_err e;
	int status = EXIT_DONE;

	if (!(s = ctx_store(ctx, 0))) {
		free(in);
		return ctx->open_status;
	}
	if ((e = store_policy_all(s, &rows, &n)) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		status = kn_exit_status(e);
		goto out;
	}
	if (policy_in_force(rows, n, at, in, &err) != 0) {
		cmd_error(_("the policy table holds a bad row: %s"), err.s);
		status = EXIT_REFUSED;
		goto out;
	}
	if (strcmp(format, "csv") == 0) {
		const char *hdr[] = { "key", "from", "value" };
		csv_write_row(&out, hdr, 3);
		for (size_t k = 0; k < nk; k++) {
			char d[11] = "";
			if (in[k]->from != KN_DATE_NONE)
				date_format_iso(in[k]->from, d);
			const char *f[] = { in[k]->key, d, in[k]->value };
			csv_write_row(&out, f, 3);
		}
	} else if (strcmp(format, "json") == 0) {
		json_t *arr = json_array();
		for (size_t k = 0; k < nk; k++) {
			char d[11];
			json_t *from = json_null();
			if (in[k]->from != KN_DATE_NONE) {
				date_format_iso(in[k]->from, d);
				json_decref(from);
				from = json_string(d);
			}
			json_array_append_new(arr, json_pack("{s:s, s:o, s:s}", "key", in[k]->key,
							     "from", from, "value", in[k]->value));
		}
		char *js = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		buf_adds(&out, js);
		buf_addc(&out, '\n');
		free(js);
		json_decref(arr);
	} else {
		char d[11];
		const char *hdr[] = { _("key"), _("from"), _("value") };
		struct table *t = table_new(3);
		table_header(t, hdr);
		for (size_t k = 0; k < nk; k++) {
			if (in[k]->from != KN_DATE_NONE)
				date_format_user(in[k]->from, d);
			const char *f[] = { in[k]->key, in[k]->from != KN_DATE_NONE ? d : "—",
					    in[k]->value };
			table_row(t, f);
		}
		date_format_user(at, d);
		buf_addf(&out, _("The policy in force on %s:\n"), d);
		table_render(t, &out);
		table_free(t);
	}
	fputs(out.s, stdout);
out:
	store_policy_free(rows, n);
	free(in);
	buf_release(&out);
	buf_release(&err);
	return status;
}

static int policy_set(struct cmd_ctx *ctx, const char *key, const char *value, kn_date from)
{
	struct policy_row *rows = NULL, row;
	size_t n = 0;
	struct buf err = BUF_INIT, before = BUF_INIT, after = BUF_INIT, akey = BUF_INIT;
	struct store *s;
	enum kn_err e;
	int status = EXIT_DONE, existed = 0;
	char d[11];

	if (policy_check(key, value, &err) != 0) {
		cmd_error("%s", err.s);
		buf_release(&err);
		return EXIT_USAGE;
	}
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((status = ctx_need_root_admin(ctx, "policy set")) != EXIT_DONE)
		return status;

	row.key = key;
	row.from = from;
	row.value = value;
	if ((e = store_begin(s)) != KN_OK)
		goto fail;
	if ((e = store_policy_all(s, &rows, &n)) != KN_OK) {
		store_rollback(s);
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].key, key) == 0 && rows[i].from == from) {
			existed = 1;
			if (strcmp(rows[i].value, value) == 0) {
				/* Nothing to write: no audit entry for a no-op. */
				store_rollback(s);
				date_format_user(from, d);
				printf(_("policy unchanged: %s = %s from %s\n"), key, value, d);
				goto out;
			}
			row_text(&before, key, from, rows[i].value);
		}
	row_text(&after, key, from, value);
	date_format_iso(from, d);
	buf_addf(&akey, "%s/%s", key, d);
	if ((e = store_policy_put(s, &row)) != KN_OK ||
	    (e = store_audit(s, ctx->user, existed ? "update" : "insert", "policy", akey.s,
			     existed ? before.s : NULL, after.s)) != KN_OK ||
	    (e = store_commit(s)) != KN_OK) {
		store_rollback(s);
		goto fail;
	}
	date_format_user(from, d);
	printf(_("policy set: %s = %s from %s\n"), key, value, d);
	goto out;
fail:
	cmd_error("%s", store_errmsg(s));
	status = kn_exit_status(e);
out:
	store_policy_free(rows, n);
	buf_release(&err);
	buf_release(&before);
	buf_release(&after);
	buf_release(&akey);
	return status;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "from", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "table", *at_s = NULL, *from_s = NULL;
	kn_date at = date_today(), from = KN_DATE_NONE;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': at_s = optarg; break;
		case 'F': from_s = optarg; break;
		case 'f': format = optarg; break;
		default: return cmd_usage(&cmd_policy);
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 2)
		return cmd_usage(&cmd_policy);
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		cmd_error(_("--format must be table, csv or json, not '%s'"), format);
		return EXIT_USAGE;
	}
	if (at_s && date_parse(at_s, &at) != 0) {
		cmd_error(_("--at: '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"), at_s);
		return EXIT_USAGE;
	}
	if (from_s && date_parse(from_s, &from) != 0) {
		cmd_error(_("--from: '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"), from_s);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "list") == 0) {
		if (argc != 2 || from_s) {
			if (from_s)
				cmd_error(_("--from belongs to `policy set`; `policy list` takes --at D"));
			return cmd_usage(&cmd_policy);
		}
		return policy_list(ctx, at, format);
	}
	if (strcmp(argv[1], "set") == 0) {
		if (argc != 4 || at_s)
			return cmd_usage(&cmd_policy);
		if (!from_s) {
			cmd_error(_("policy set needs --from D, the date the new value applies from "
				    "(steps dated before it keep the old value)"));
			return EXIT_USAGE;
		}
		return policy_set(ctx, argv[2], argv[3], from);
	}
	return cmd_usage(&cmd_policy);
}

static const struct cmd_option policy_options[] = {
	{ "at", 0, "D", N_("list: the rows in force on D (default: today)") },
	{ "format", 0, "table|csv|json", N_("list: output format (default: table)") },
	{ "from", 0, "D", N_("set: the date the value applies from") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_policy = {
	"policy",
	"policy list [--at D] [--format table|csv|json] · policy set KEY VALUE --from D",
	run, policy_options,
	N_("the effective-dated parameters of the rules (RULES.md §7)"),
};
