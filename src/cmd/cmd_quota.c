/*
 * cmd_quota.c — `ketnap quota set UNIT YEAR TARGET [--category C]` and
 * `ketnap quota list [--unit CODE] [--year Y]`: yearly targets edited
 * from the command line (the same records as quotas.csv). A unit's quota
 * is its own, not the sum of its children's. `set` needs an approver or
 * administrator whose subtree holds the unit (cmd/ctx.c); `list` shows
 * the actor's subtree only.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctype.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/table.h"
#include "util/text.h"
#include "util/banned.h"

static const char *const categories[] = {
	"total", "female", "ethnic_minority", "religious", "youth", "youth_union", "worker",
	"farmer", "student", "civil_servant", "nonstate_enterprise", "hamlet", "higher_education",
	"readmitted", NULL,
};

static int category_valid(const char *c)
{
	for (const char *const *p = categories; *p; p++)
		if (strcmp(*p, c) == 0)
			return 1;
	return 0;
}

static int whole(const char *v, long long min, long long max, long long *out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int quota_set(int argc, char **argv, struct cmd_ctx *ctx, const char *category)
{
	struct quota qt;
	struct store *s;
	struct unit u;
	long long year, target;
	int changed;
	enum kn_err e;

	if (argc != 4)
		return cmd_usage(&cmd_quota);
	if (whole(argv[2], 1900, 2100, &year) != 0) {
		cmd_error(_("year: '%s' is not a year from 1900 to 2100"), argv[2]);
		return EXIT_USAGE;
	}
	if (whole(argv[3], 0, 100000000, &target) != 0) {
		cmd_error(_("target: '%s' is not a whole number >= 0"), argv[3]);
		return EXIT_USAGE;
	}
	if (!category_valid(category)) {
		cmd_error(_("category: unknown category '%s'; use total or a structure category of "
			    "RULES.md §6 (female, ethnic_minority, religious, youth, youth_union, worker, "
			    "farmer, student, civil_servant, nonstate_enterprise, hamlet, higher_education, "
			    "readmitted)"),
			  category);
		return EXIT_USAGE;
	}
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	e = store_unit_get(s, argv[1], &u);
	if (e == KN_OK && !ctx_may_see(ctx, argv[1])) {
		unit_release(&u);
		e = KN_ENOTFOUND;	/* outside the subtree: as unknown */
	}
	if (e == KN_OK && !ctx_root_admin(ctx) && ctx->actor.role < ROLE_APPROVER) {
		unit_release(&u);
		cmd_error(_("%s, %s of %s, may not set quotas; that needs an approver or an "
			    "administrator"), ctx->user, role_name(ctx->actor.role), ctx->actor.unit);
		return EXIT_REFUSED;
	}
	if (e != KN_OK) {
		if (e == KN_ENOTFOUND)
			cmd_error(_("no unit with code %s; `ketnap unit tree` lists them"), argv[1]);
		else
			cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	unit_release(&u);
	qt.unit = argv[1];
	qt.year = (int)year;
	qt.category = (char *)category;
	qt.target = target;
	struct buf after = BUF_INIT, key = BUF_INIT;
	buf_addf(&after, "%s,%d,%s,%lld", qt.unit, qt.year, qt.category, qt.target);
	buf_addf(&key, "%s/%d/%s", qt.unit, qt.year, qt.category);
	if ((e = store_begin(s)) == KN_OK && (e = store_quota_put(s, &qt, &changed)) == KN_OK &&
	    (!changed || (e = store_audit(s, ctx->user, changed == 2 ? "insert" : "update", "quota",
					  key.s, NULL, after.s)) == KN_OK))
		e = store_commit(s);
	else
		store_rollback(s);
	buf_release(&after);
	buf_release(&key);
	if (e != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	printf(changed ? _("quota set: %s %d %s = %lld\n") : _("quota unchanged: %s %d %s = %lld\n"),
	       qt.unit, qt.year, qt.category, qt.target);
	return EXIT_DONE;
}

static int quota_list(int argc, const char *unit, long long year, struct cmd_ctx *ctx)
{
	struct store *s;
	struct quota *q;
	size_t n;
	enum kn_err e;
	struct buf out = BUF_INIT;

	if (argc != 2)
		return cmd_usage(&cmd_quota);
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if (unit) {
		/* An unknown unit, or one outside the user's subtree, is an
		 * error rather than an empty list: a typo must not read as
		 * "this unit has no quota". */
		struct unit u;
		e = store_unit_get(s, unit, &u);
		if (e == KN_OK) {
			unit_release(&u);
			if (!ctx_may_see(ctx, unit))
				e = KN_ENOTFOUND;
		}
		if (e != KN_OK) {
			if (e == KN_ENOTFOUND)
				cmd_error(_("no unit with code %s; `ketnap unit tree` lists them"), unit);
			else
				cmd_error("%s", store_errmsg(s));
			return kn_exit_status(e);
		}
	}
	if ((e = store_quota_all(s, &q, &n)) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	const char *hdr[] = { _("unit"), _("year"), _("category"), _("target") };
	struct table *t = table_new(4);
	table_header(t, hdr);
	table_align_right(t, 3);
	for (size_t i = 0; i < n; i++) {
		if ((unit && strcmp(q[i].unit, unit) != 0) || (year && q[i].year != year) ||
		    !ctx_may_see(ctx, q[i].unit))
			continue;
		char y[8];
		struct buf tg = BUF_INIT;
		snprintf(y, sizeof(y), "%d", q[i].year);
		text_int(&tg, q[i].target);
		const char *row[] = { q[i].unit, y, q[i].category, tg.s };
		table_row(t, row);
		buf_release(&tg);
	}
	if (table_nrows(t))
		table_render(t, &out);
	else
		buf_addf(&out, "%s\n", _("no quotas; set one with `ketnap quota set UNIT YEAR TARGET`"));
	fputs(out.s, stdout);
	buf_release(&out);
	table_free(t);
	store_quotas_free(q, n);
	return EXIT_DONE;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "category", required_argument, NULL, 'c' },
		{ "unit", required_argument, NULL, 'u' },
		{ "year", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	const char *category = "total", *unit = NULL;
	long long year = 0;
	int c, pos = 0;

	/* A negative number is an argument, not an option: getopt would
	 * take `-5` for the options -5 ("invalid option -- '5'"). */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) == 0) {
			if (!strchr(a, '=') && (strcmp(a, "--category") == 0 ||
						strcmp(a, "--unit") == 0 || strcmp(a, "--year") == 0))
				i++;
			continue;
		}
		if (a[0] == '-' && isdigit((unsigned char)a[1])) {
			if (pos == 2)
				cmd_error(_("year: '%s' is not a year from 1900 to 2100"), a);
			else
				cmd_error(_("target: '%s' is not a whole number >= 0; a quota counts "
					    "admissions, so it is 0 or more"), a);
			return EXIT_USAGE;
		}
		pos++;
	}

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': category = optarg; break;
		case 'u': unit = optarg; break;
		case 'y':
			if (whole(optarg, 1900, 2100, &year) != 0) {
				cmd_error(_("year: '%s' is not a year from 1900 to 2100"), optarg);
				return EXIT_USAGE;
			}
			break;
		default: return cmd_usage(&cmd_quota);
		}
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return quota_set(argc - 1, argv + 1, ctx, category);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return quota_list(argc, unit, year, ctx);
	return cmd_usage(&cmd_quota);
}

static const struct cmd_option quota_options[] = {
	{ "category", 0, "C", N_("set: the structure category of the target (default: total)") },
	{ "unit", 0, "CODE", N_("list: only this unit") },
	{ "year", 0, "Y", N_("list: only this year") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_quota = {
	"quota", "quota set UNIT YEAR TARGET [--category C] · quota list [--unit CODE] [--year Y]",
	run, quota_options,
	N_("yearly admission targets of the units"),
};
