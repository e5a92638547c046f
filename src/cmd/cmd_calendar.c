/*
 * cmd_calendar.c — `ketnap calendar holidays YEAR | workdays FROM TO |
 * add DATE N | lunar DATE`: the working-day calendar of RULES.md §5 as the
 * rules see it (computed holidays plus the database's imported ones, when
 * there is a database), and the Vietnamese lunar date of a day.
 *
 * Output is for scripts as much as for people, so it is plain: one
 * `YYYY-MM-DD name` line per day off, a bare number, a bare ISO date, or
 * `D/M/YYYY Can Chi` (a leap month written `M+`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/calendar.h"
#include "core/lunar.h"
#include "util/i18n.h"
#include "util/banned.h"

extern const struct command cmd_calendar;

/* `calendar add` refuses more than this: 400 years of working days. */
#define MAX_WORKDAYS 100000

/* Parse a whole number in [min, max]; 0, or -1 when s is anything else. */
static int parse_int(const char *s, long min, long max, int *out)
{
	char *end;
	long v;

	if (!*s || *s == ' ' || *s == '\t')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_date(const char *s, kn_date *d)
{
	if (date_parse(s, d) == 0)
		return 0;
	cmd_error(_("invalid date: %s (expected YYYY-MM-DD or DD/MM/YYYY)"), s);
	return -1;
}

static int holidays(char **argv, struct cmd_ctx *ctx)
{
	struct holiday *h;
	size_t n, i;
	int year;

	if (parse_int(argv[2], KN_YEAR_MIN, KN_YEAR_MAX, &year) < 0) {
		cmd_error(_("invalid year: %s (expected a year from %d to %d)"),
			  argv[2], KN_YEAR_MIN, KN_YEAR_MAX);
		return EXIT_USAGE;
	}
	calendar_holidays(ctx_calendar(ctx), year, &h, &n);
	struct buf safe = BUF_INIT;
	for (i = 0; i < n; i++) {
		char iso[11];

		date_format_iso(h[i].date, iso);
		printf("%s %s\n", iso, cmd_safe(&safe, h[i].name));
	}
	buf_release(&safe);
	holidays_free(h, n);
	return EXIT_DONE;
}

static int workdays(char **argv, struct cmd_ctx *ctx)
{
	kn_date from, to;

	if (parse_date(argv[2], &from) < 0 || parse_date(argv[3], &to) < 0)
		return EXIT_USAGE;
	printf("%d\n", calendar_count_workdays(ctx_calendar(ctx), from, to));
	return EXIT_DONE;
}

static int add(char **argv, struct cmd_ctx *ctx)
{
	kn_date d;
	char iso[11];
	int n;

	if (parse_date(argv[2], &d) < 0)
		return EXIT_USAGE;
	/* A negative N counts backwards: the Nth working day before DATE. */
	if (parse_int(argv[3], -MAX_WORKDAYS, MAX_WORKDAYS, &n) < 0) {
		cmd_error(_("invalid number of working days: %s (expected a whole number from %d to %d)"),
			  argv[3], -MAX_WORKDAYS, MAX_WORKDAYS);
		return EXIT_USAGE;
	}
	date_format_iso(calendar_add_workdays(ctx_calendar(ctx), d, n), iso);
	printf("%s\n", iso);
	return EXIT_DONE;
}

static int lunar(char **argv)
{
	struct lunar_date l;
	kn_date d;

	if (parse_date(argv[2], &d) < 0)
		return EXIT_USAGE;
	if (lunar_from_solar(d, &l) < 0) {
		cmd_error(_("no lunar date for %s: the lunar calendar covers the years %d to %d"),
			  argv[2], 1900, 2100);
		return EXIT_REFUSED;
	}
	printf("%d/%d%s/%d %s\n", l.day, l.month, l.leap ? "+" : "", l.year,
	       lunar_year_name(l.year));
	return EXIT_DONE;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	const char *sub = argc > 1 ? argv[1] : "";

	/* The calendar is everyone's: no account needed to read it. */
	ctx->no_actor = 1;
	if (strcmp(sub, "holidays") == 0 && argc == 3)
		return holidays(argv, ctx);
	if (strcmp(sub, "workdays") == 0 && argc == 4)
		return workdays(argv, ctx);
	if (strcmp(sub, "add") == 0 && argc == 4)
		return add(argv, ctx);
	if (strcmp(sub, "lunar") == 0 && argc == 3)
		return lunar(argv);
	return cmd_usage(&cmd_calendar);
}

const struct command cmd_calendar = {
	"calendar",
	"calendar holidays YEAR | workdays FROM TO | add DATE N | lunar DATE",
	run, NULL,
	N_("the working-day calendar: days off, working days between dates, the lunar date"),
};
