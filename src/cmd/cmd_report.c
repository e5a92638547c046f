/*
 * cmd_report.c — `ketnap report KIND …`: the six reports of FORMATS.md in
 * table, csv, json, xlsx or html. For `summary`, xlsx and html carry the
 * whole year-end review: the paragraph and every report, one sheet or
 * section each. The unit defaults to the actor's own (cmd/ctx.c; the
 * root on a database without accounts), and a unit outside the actor's
 * subtree is not found. Tables on a terminal go through text_printable().
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/report.h"
#include "io/html.h"
#include "io/report_text.h"
#include "io/xlsx.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/banned.h"

enum format { F_TABLE, F_CSV, F_JSON, F_XLSX, F_HTML };

static int parse_int(const char *opt, const char *v, int min, int max, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > max) {
		cmd_error(_("--%s must be a whole number from %d to %d, not '%s'"), opt, min, max, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int parse_date_opt(const char *opt, const char *v, kn_date *out)
{
	if (date_parse(v, out) != 0) {
		cmd_error(_("--%s: '%s' is not a date; write YYYY-MM-DD or DD/MM/YYYY"), opt, v);
		return -1;
	}
	return 0;
}

/* Write text to path ("-" or NULL: standard output; else as
 * cmd_write_file() writes files). */
static int write_out(const char *path, const struct buf *b)
{
	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(b->s, 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
			cmd_error(_("cannot write the report: %s"), strerror(errno));
			return EXIT_IO;
		}
		return EXIT_DONE;
	}
	return cmd_write_file(path, b->s, b->len) == 0 ? EXIT_DONE : EXIT_IO;
}

/* in with every line made safe for a terminal (text_printable()). */
static void printable_lines(const struct buf *in, struct buf *out)
{
	struct buf line = BUF_INIT;
	for (const char *p = in->s; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		buf_reset(&line);
		buf_add(&line, p, n);
		text_printable(line.s, out);
		if (nl)
			buf_addc(out, '\n');
		p += n + (nl ? 1 : 0);
	}
	buf_release(&line);
}

/* Issue 13: the deadlines report written as its rows come, to standard
 * output or to a file made as cmd_write_file() makes one (cmd_file_open:
 * a temporary file beside it renamed over it once whole; a device, a
 * pipe or a link written through). */
struct stream_out {
	enum format fmt;
	const char *path;	/* NULL: standard output */
	FILE *f;		/* stdout or file.f */
	struct cmd_file file;	/* with path, unless xlsx */
	struct buf line;	/* table: the lines made printable */
	struct report_sink k;
};

static int stream_flush(struct report_sink *k)
{
	struct stream_out *so = k->arg;
	const struct buf *b = &k->buf;

	if (so->fmt == F_TABLE) {
		buf_reset(&so->line);
		printable_lines(&k->buf, &so->line);
		b = &so->line;
	}
	if (fwrite(b->s, 1, b->len, so->f) != b->len) {
		if (so->path)
			cmd_error(_("cannot write %s: %s"), so->path, strerror(errno));
		else
			cmd_error(_("cannot write the report: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

static int stream_open(struct stream_out *so, enum format fmt, const char *path)
{
	memset(so, 0, sizeof(*so));
	so->fmt = fmt;
	buf_init(&so->line);
	buf_init(&so->k.buf);
	so->k.flush = stream_flush;
	so->k.arg = so;
	so->k.flush_at = cmd_flush_bytes();
	if (!path || strcmp(path, "-") == 0 || fmt == F_XLSX) {
		so->f = stdout;
		so->path = fmt == F_XLSX ? path : NULL;
		return 0;
	}
	so->path = path;
	if (cmd_file_open(&so->file, path) != 0)
		return -1;
	so->f = so->file.f;
	return 0;
}

/* Close the output; ok: the report is whole (else a temporary file is
 * removed). EXIT_DONE or EXIT_IO. */
static int stream_close(struct stream_out *so, int ok)
{
	if (so->f == stdout || !so->f) {
		if (ok && so->f && fflush(stdout) != 0) {
			cmd_error(_("cannot write the report: %s"), strerror(errno));
			ok = 0;
		}
	} else {
		ok = cmd_file_close(&so->file, ok) == 0;
	}
	buf_release(&so->line);
	buf_release(&so->k.buf);
	return ok ? EXIT_DONE : EXIT_IO;
}

struct stream_arg {
	struct stream_out *so;
	enum format fmt;
	const char *path;
	int opened, failed;	/* the output opened; a write failed (and said so) */
	struct buf *err;
};

static int stream_body(struct stream_arg *sa, struct report *head,
		       const struct report_rows *rows)
{
	struct report_sink *k = &sa->so->k;

	switch (sa->so->fmt) {
	case F_TABLE: return report_stream_table(head, rows, k);
	case F_CSV: return report_stream_csv(head, rows, k);
	case F_JSON: return report_stream_json(head, rows, k);
	case F_HTML: return report_stream_html(head, rows, k);
	case F_XLSX:
		if (report_stream_xlsx(head, rows, sa->so->path, sa->err) != KN_OK) {
			cmd_error("%s", sa->err->s);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* The output is opened once the report is ready (as cmd_write_file()
 * after a build), so a report that fails leaves it alone. */
static int stream_write(void *arg, struct report *head, const struct report_rows *rows)
{
	struct stream_arg *sa = arg;

	if (stream_open(sa->so, sa->fmt, sa->path) != 0) {
		sa->failed = 1;
		return -1;
	}
	sa->opened = 1;
	if (stream_body(sa, head, rows) != 0) {
		sa->failed = 1;
		return -1;
	}
	return 0;
}

/* The deadlines report streamed: EXIT_DONE, or the failure's status. */
static int stream_deadlines(struct store *s, struct calendar *cal, const struct report_opts *o,
			    enum format fmt, const char *out_path)
{
	struct stream_out so;
	struct buf err = BUF_INIT;
	struct stream_arg sa = { &so, fmt, out_path, 0, 0, &err };
	enum kn_err e;
	int status = EXIT_IO;

	e = report_stream_deadlines(s, cal, o, stream_write, &sa, &err);
	if (e != KN_OK && !sa.failed)	/* else the writer said why */
		cmd_error("%s", err.s);
	if (sa.opened)
		status = stream_close(&so, e == KN_OK);
	if (!sa.failed && e != KN_OK)
		status = kn_exit_status(e);
	buf_release(&err);
	return status;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "year", required_argument, NULL, 'y' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "depth", required_argument, NULL, 'd' },
		{ "level", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const fmt_names[] = { "table", "csv", "json", "xlsx", "html" };
	struct report_opts o = { 0 };
	enum format fmt = F_TABLE;
	const char *out_path = NULL;
	int year = 0, c, kind;
	kn_date from = KN_DATE_NONE, to = KN_DATE_NONE;
	struct report *reports[REPORT__COUNT] = { 0 };
	size_t nrep = 0;
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct store *s;
	int status = EXIT_DONE;

	o.as_of = KN_DATE_NONE;
	o.depth = 1;
	o.level = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'u': o.unit = optarg; break;
		case 'y': if (parse_int("year", optarg, 1900, 2100, &year)) return EXIT_USAGE; break;
		case 'f': if (parse_date_opt("from", optarg, &from)) return EXIT_USAGE; break;
		case 't': if (parse_date_opt("to", optarg, &to)) return EXIT_USAGE; break;
		case 'a': if (parse_date_opt("as-of", optarg, &o.as_of)) return EXIT_USAGE; break;
		case 'd': if (parse_int("depth", optarg, 0, 100, &o.depth)) return EXIT_USAGE; break;
		case 'l': if (parse_int("level", optarg, 1, 100, &o.level)) return EXIT_USAGE; break;
		case 'o': out_path = optarg; break;
		case 'F': {
			size_t i;
			for (i = 0; i < 5 && strcmp(optarg, fmt_names[i]) != 0; i++)
				;
			if (i == 5) {
				cmd_error(_("--format must be table, csv, json, xlsx or html, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			fmt = (enum format)i;
			break;
		}
		default:
			return cmd_usage(&cmd_report);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_report);
	if ((kind = report_kind_parse(argv[optind])) < 0) {
		cmd_error(_("unknown report '%s'; the reports are achievement, structure, funnel, "
			    "sources, deadlines, ranking and summary"), argv[optind]);
		return EXIT_USAGE;
	}
	if (year && (from != KN_DATE_NONE || to != KN_DATE_NONE)) {
		cmd_error("%s", _("give either --year or --from and --to, not both"));
		return EXIT_USAGE;
	}
	if ((from == KN_DATE_NONE) != (to == KN_DATE_NONE)) {
		cmd_error("%s", _("--from and --to go together"));
		return EXIT_USAGE;
	}
	if (from != KN_DATE_NONE && to < from) {
		cmd_error("%s", _("--to is before --from"));
		return EXIT_USAGE;
	}
	if (fmt == F_XLSX && (!out_path || strcmp(out_path, "-") == 0)) {
		cmd_error("%s", _("an Excel workbook needs a file: add -o FILE.xlsx"));
		return EXIT_USAGE;
	}
	if (from == KN_DATE_NONE) {
		if (!year)
			year = date_year(o.as_of != KN_DATE_NONE ? o.as_of : date_today());
		from = date_from_ymd(year, 1, 1);
		to = date_from_ymd(year, 12, 31);
	}
	o.from = from;
	o.to = to;
	/* Deadlines of a past period: as they stood at its end. */
	if (o.as_of == KN_DATE_NONE && to < date_today())
		o.as_of = to;

	/* The scope is checked on the report unit and the units above it
	 * (report_build reads the subtree itself). */
	ctx->lazy_tree = 1;
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	/* The actor's subtree only: its own unit by default. */
	if (!o.unit)
		o.unit = ctx_scope(ctx);
	else if (!ctx_may_see(ctx, o.unit)) {
		struct buf safe = BUF_INIT;
		if (ctx_tree_status(ctx, EXIT_DONE) != EXIT_DONE)
			return EXIT_IO;
		cmd_error(_("no unit with code %s; `ketnap unit tree` lists them"),
			  cmd_safe(&safe, o.unit));
		buf_release(&safe);
		return EXIT_REFUSED;
	}

	/* A nation's deadlines are 240 thousand rows: written as they come. */
	if (kind == REPORT_DEADLINES)
		return stream_deadlines(s, ctx_calendar(ctx), &o, fmt, out_path);

	/* The whole review for summary as a page or a workbook. */
	int all = kind == REPORT_SUMMARY && (fmt == F_XLSX || fmt == F_HTML);
	for (int k = all ? 0 : kind; k <= (all ? REPORT__COUNT - 1 : kind); k++) {
		int kk = all ? (k == 0 ? REPORT_SUMMARY : k - 1) : k;
		enum kn_err e = report_build(s, ctx_calendar(ctx), (enum report_kind)kk, &o,
					     &reports[nrep], &err);
		if (e != KN_OK) {
			cmd_error("%s", err.s);
			status = kn_exit_status(e);
			goto done;
		}
		nrep++;
	}

	switch (fmt) {
	case F_TABLE: {
		struct buf raw = BUF_INIT;
		report_write_table(reports[0], &raw);
		printable_lines(&raw, &out);
		buf_release(&raw);
		break;
	}
	case F_CSV: report_write_csv(reports[0], &out); break;
	case F_JSON: report_write_json(reports[0], &out); break;
	case F_HTML: report_write_html(reports, nrep, &out); break;
	case F_XLSX:
		if (report_write_xlsx(reports, nrep, out_path, &err) != KN_OK) {
			cmd_error("%s", err.s);
			status = EXIT_IO;
		}
		goto done;
	}
	status = write_out(out_path, &out);
done:
	for (size_t i = 0; i < nrep; i++)
		report_free(reports[i]);
	buf_release(&err);
	buf_release(&out);
	return status;
}

static const struct cmd_option report_options[] = {
	{ "unit", 0, "CODE", N_("the unit the report is about (default: the top of your scope)") },
	{ "year", 0, "Y", N_("the period: a calendar year") },
	{ "from", 0, "D", N_("the period: from this date (with --to)") },
	{ "to", 0, "D", N_("the period: up to this date") },
	{ "as-of", 0, "D", N_("the state on this date (default: today)") },
	{ "depth", 0, "N", N_("how many levels below the unit to list") },
	{ "level", 0, "N", N_("ranking: compare the units of this level") },
	{ "format", 0, "table|csv|json|xlsx|html", N_("output format (default: table)") },
	{ "output", 'o', "FILE", N_("write to FILE instead of standard output") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_report = {
	"report", "report achievement|structure|funnel|sources|deadlines|ranking|summary [--unit CODE] "
	"[--year Y | --from D --to D] [--as-of D] [--depth N] [--level N] "
	"[--format table|csv|json|xlsx|html] [-o FILE]", run, report_options,
	N_("the reports: achievement, structure, funnel, sources, deadlines, ranking, the year-end "
	   "summary"),
};
