/*
 * html.c — see html.h. The report page is written in one pass into the
 * caller's buffer: a fixed head with the inline stylesheet (screen and A4
 * print), a heading from the first report, the summary paragraphs, then a
 * section per report with its chart as inline SVG and its table. Columns
 * are found by their FORMATS.md key, so the writer knows nothing of how a
 * report is built; every piece of report text goes through html_escape()
 * here, at the last moment. Chart geometry is in whole SVG user units on a
 * fixed viewBox that the stylesheet scales to the page width. The whole
 * review shows the deadlines as the overdue ones counted per unit (the
 * report's `overdue`), so that it prints on a few A4 pages; the print
 * rules keep codes and figures on one line and let names wrap between
 * words only, in a column of a readable width.
 */
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "io/chart.h"
#include "io/html.h"
#include "io/report_text.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

void html_escape(struct buf *out, const char *s)
{
	const char *run, *rep;

	if (!s)
		return;
	for (run = s; *s; s++) {
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(out, run, (size_t)(s - run));
		buf_adds(out, rep);
		run = s + 1;
	}
	buf_add(out, run, (size_t)(s - run));
}

void html_printf(struct buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			buf_addc(out, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			html_escape(out, s ? s : "");
			break;
		}
		case 'S': {
			const char *s = va_arg(ap, const char *);
			buf_adds(out, s ? s : "");
			break;
		}
		case 'd': buf_addf(out, "%d", va_arg(ap, int)); break;
		case 'u': buf_addf(out, "%u", va_arg(ap, unsigned)); break;
		case 'l':
			if (p[1] == 'l' && p[2] == 'd') {
				buf_addf(out, "%lld", va_arg(ap, long long));
				p += 2;
			} else if (p[1] == 'd') {
				buf_addf(out, "%ld", va_arg(ap, long));
				p += 1;
			}
			break;
		case 'z':
			if (p[1] == 'u') {
				buf_addf(out, "%zu", va_arg(ap, size_t));
				p++;
			}
			break;
		case '%': buf_addc(out, '%'); break;
		default:
			/* An unknown conversion is a programming error: show it. */
			buf_addc(out, '%');
			if (*p)
				buf_addc(out, *p);
			else
				p--;
			break;
		}
	}
	va_end(ap);
}

static const char style[] =
	"@page { size: A4; margin: 15mm }\n"
	"* { box-sizing: border-box }\n"
	"html { -webkit-print-color-adjust: exact; print-color-adjust: exact }\n"
	"body { font-family: \"Noto Sans\", \"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif;"
	" font-size: 10.5pt; line-height: 1.4; color: #1a1a1a; background: #fff;"
	" max-width: 180mm; margin: 0 auto; padding: 10mm 6mm }\n"
	"header { border-bottom: 2px solid #a61b1b; margin-bottom: 1em }\n"
	"h1 { font-size: 17pt; color: #a61b1b; margin: 0 0 .25em }\n"
	"h2 { font-size: 13pt; margin: 1.4em 0 .5em; break-after: avoid; page-break-after: avoid }\n"
	".meta { margin: 0 0 .7em; color: #444 }\n"
	".meta strong { color: #1a1a1a }\n"
	".summary { text-align: justify; margin: 0 0 .7em }\n"
	"figure { margin: 0 0 1.2em; break-inside: avoid; page-break-inside: avoid }\n"
	"figcaption { font-weight: bold; margin-bottom: .3em }\n"
	"svg { display: block; width: 100%; height: auto }\n"
	"table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 0 0 1em }\n"
	"thead { display: table-header-group }\n"
	"tr { break-inside: avoid; page-break-inside: avoid }\n"
	"th, td { border: 1px solid #c4c4c4; padding: .22em .5em; vertical-align: top }\n"
	"th { background: #eeeeee; text-align: left }\n"
	".num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums }\n"
	"td, th { overflow-wrap: normal; word-break: normal; hyphens: manual }\n"
	"th.num { white-space: normal; min-width: 4.2em }\n"
	"th.text { min-width: 14em }\n"
	"th.code { white-space: nowrap }\n"
	"tr.d0 td { font-weight: bold; background: #f6f6f6 }\n"
	"td.yes { color: #1b5e20 }\n"
	"td.no { color: #a61b1b }\n"
	".empty { color: #666; font-style: italic }\n"
	"footer.anchor { margin-top: 2em; border-top: 1px solid #c4c4c4; padding-top: .4em;"
	" font-size: 8pt; color: #444; overflow-wrap: anywhere }\n"
	"@media print { body { max-width: none; padding: 0 } }\n";

/* The index of the column keyed key, or -1. */
static int col_find(const struct report *r, const char *key)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (r->cols[c].key && strcmp(r->cols[c].key, key) == 0)
			return (int)c;
	return -1;
}

static int is_numeric(enum rcol_type t)
{
	return t == RC_INT || t == RC_PERCENT;
}

static void add_percent(struct buf *out, long long tenths)
{
	text_tenths(out, tenths);
	buf_addc(out, '%');
}

static void add_date(struct buf *out, kn_date d)
{
	char s[11];

	date_format_user(d, s);
	buf_adds(out, s);
}

/* The cell as a reader sees it, escaped; nothing for a null cell. */
static void add_cell(struct buf *out, const struct report *r, size_t row, size_t col)
{
	const struct rcell *cell = report_cell(r, row, col);

	if (cell->null)
		return;
	switch (r->cols[col].type) {
	case RC_TEXT:
		html_escape(out, cell->text);
		break;
	case RC_CODE:
		html_escape(out, cell->label ? cell->label : cell->text);
		break;
	case RC_INT:
		text_int(out, cell->num);
		break;
	case RC_PERCENT:
		add_percent(out, cell->num);
		break;
	case RC_DATE:
		if (cell->date != KN_DATE_NONE)
			add_date(out, cell->date);
		break;
	case RC_YESNO:
		html_escape(out, cell->num ? _("yes") : _("no"));
		break;
	}
}

/* The table's head: <table> and its header row. */
static void table_begin(struct buf *out, const struct report *r)
{
	int cdepth = r->depth ? col_find(r, "depth") : -1;

	buf_adds(out, "<table>\n<thead><tr>");
	for (size_t c = 0; c < r->ncols; c++) {
		const struct rcol *col = &r->cols[c];

		/* The tree depth shows as indentation, not as a number. */
		if ((int)c == cdepth)
			continue;
		/* The header cell sets its column's print width: codes and
		 * dates do not wrap, names wrap between words only. */
		buf_adds(out, is_numeric(col->type) ? "<th class=\"num\">"
			 : col->type == RC_TEXT ? "<th class=\"text\">" : "<th class=\"code\">");
		/* Labels are msgids (N_), translated here; _("") would be
		 * the catalogue's header. */
		html_escape(out, col->label && *col->label ? _(col->label) : col->key);
		buf_adds(out, "</th>");
	}
	buf_adds(out, "</tr></thead>\n<tbody>\n");
}

static void table_row(struct buf *out, const struct report *r, size_t i)
{
	int cdepth = r->depth ? col_find(r, "depth") : -1;
	int cindent = col_find(r, "name");
	int d = r->depth ? r->depth[i] : -1;

	if (cindent < 0)
		cindent = 0;
	if (d >= 0)
		buf_addf(out, "<tr class=\"d%d\">", d < 9 ? d : 9);
	else
		buf_adds(out, "<tr>");
	for (size_t c = 0; c < r->ncols; c++) {
		const struct rcol *col = &r->cols[c];
		const struct rcell *cell = report_cell(r, i, c);

		if ((int)c == cdepth)
			continue;
		buf_adds(out, "<td");
		if (is_numeric(col->type))
			buf_adds(out, " class=\"num\"");
		else if (col->type == RC_YESNO && !cell->null)
			buf_adds(out, cell->num ? " class=\"yes\"" : " class=\"no\"");
		if ((int)c == cindent && d > 0)
			buf_addf(out, " style=\"padding-left:%d.%dem\"",
				 (5 + d * 12) / 10, (5 + d * 12) % 10);
		buf_addc(out, '>');
		add_cell(out, r, i, c);
		buf_adds(out, "</td>");
	}
	buf_adds(out, "</tr>\n");
}

static void no_rows(struct buf *out)
{
	buf_adds(out, "<p class=\"empty\">");
	html_escape(out, _("No rows."));
	buf_adds(out, "</p>\n");
}

static void report_table(struct buf *out, const struct report *r)
{
	if (r->ncols == 0)
		return;
	if (r->nrows == 0) {
		no_rows(out);
		return;
	}
	table_begin(out, r);
	for (size_t i = 0; i < r->nrows; i++)
		table_row(out, r, i);
	buf_adds(out, "</tbody>\n</table>\n");
}

/* A summary as paragraphs: a blank line separates two. */
static void add_summary(struct buf *out, const char *s)
{
	struct buf para = BUF_INIT;

	while (*s) {
		const char *end = strstr(s, "\n\n");
		size_t len = end ? (size_t)(end - s) : strlen(s);

		buf_reset(&para);
		buf_add(&para, s, len);
		if (para.len > 0) {
			buf_adds(out, "<p class=\"summary\">");
			html_escape(out, para.s);
			buf_adds(out, "</p>\n");
		}
		s += len;
		while (*s == '\n')
			s++;
	}
	buf_release(&para);
}

static void page_header(struct buf *out, const struct report *r)
{
	buf_adds(out, "<header>\n<h1>");
	html_escape(out, r->title);
	buf_adds(out, "</h1>\n<p class=\"meta\">");
	if (r->unit_name || r->unit) {
		html_escape(out, _("Unit"));
		buf_adds(out, ": <strong>");
		html_escape(out, r->unit_name ? r->unit_name : r->unit);
		buf_adds(out, "</strong>");
		if (r->unit_name && r->unit) {
			buf_adds(out, " (");
			html_escape(out, r->unit);
			buf_addc(out, ')');
		}
	}
	if (r->from != KN_DATE_NONE && r->to != KN_DATE_NONE) {
		buf_adds(out, " &middot; ");
		html_escape(out, _("Period"));
		buf_adds(out, ": <strong>");
		add_date(out, r->from);
		buf_adds(out, "&ndash;");
		add_date(out, r->to);
		buf_adds(out, "</strong>");
	}
	if (r->as_of != KN_DATE_NONE) {
		buf_adds(out, " &middot; ");
		html_escape(out, _("Figures as of"));
		buf_addc(out, ' ');
		add_date(out, r->as_of);
	}
	buf_adds(out, "</p>\n</header>\n");
}

/* The i-th report as the page shows it. In the whole review (a summary
 * first, then the others) the deadlines show as the overdue ones counted
 * per unit: a commission prints a few pages, and the full list of open
 * deadlines (thousands in a city) stays in the deadlines report. */
static const struct report *review_report(struct report *const *reports, size_t n, size_t i)
{
	const struct report *r = reports[i];

	if (n > 1 && reports[0]->kind == REPORT_SUMMARY && r->kind == REPORT_DEADLINES &&
	    r->overdue)
		return r->overdue;
	return r;
}

/* The page up to the sections. */
static void page_begin(struct report *const *reports, size_t n, struct buf *out)
{
	const char *title = n > 0 && reports[0]->title ? reports[0]->title : _("Report");

	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
	buf_adds(out, i18n_is_vi() ? "vi" : "en");
	buf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<title>");
	html_escape(out, title);
	buf_adds(out, "</title>\n<style>\n");
	buf_adds(out, style);
	buf_adds(out, "</style>\n</head>\n<body>\n");
	if (n > 0)
		page_header(out, reports[0]);
	else {
		buf_adds(out, "<header>\n<h1>");
		html_escape(out, title);
		buf_adds(out, "</h1>\n</header>\n");
	}
	for (size_t i = 0; i < n; i++)
		if (reports[i]->summary)
			add_summary(out, reports[i]->summary);
}

/* The i-th section up to its table. */
static void section_begin(struct buf *out, const struct report *r, size_t i)
{
	buf_adds(out, "<section class=\"report report-");
	html_escape(out, r->name);
	buf_adds(out, "\">\n");
	/* The page heading is the first report's title already. */
	if (i > 0 && r->title) {
		buf_adds(out, "<h2>");
		html_escape(out, r->title);
		buf_adds(out, "</h2>\n");
	}
	if (r->note) {
		buf_adds(out, "<p class=\"note\">");
		html_escape(out, r->note);
		buf_adds(out, "</p>\n");
	}
	chart_report(out, r);
}

/* The page after the sections. */
static void page_end(struct report *const *reports, size_t n, struct buf *out)
{
	/* The audit chain's head: a printed, signed review names the data it
	 * was made from (`ketnap verify` prints the same hash). */
	for (size_t i = 0; i < n; i++)
		if (reports[i]->anchor) {
			buf_adds(out, "<footer class=\"anchor\">");
			html_escape(out, reports[i]->anchor);
			buf_adds(out, "</footer>\n");
			break;
		}
	buf_adds(out, "</body>\n</html>\n");
}

void report_write_html(struct report *const *reports, size_t n, struct buf *out)
{
	page_begin(reports, n, out);
	for (size_t i = 0; i < n; i++) {
		const struct report *r = review_report(reports, n, i);

		section_begin(out, r, i);
		report_table(out, r);
		buf_adds(out, "</section>\n");
	}
	page_end(reports, n, out);
}

int report_stream_html(struct report *head, const struct report_rows *rows,
		       struct report_sink *k)
{
	int rc = 0;

	page_begin(&head, 1, &k->buf);
	section_begin(&k->buf, head, 0);
	if (head->ncols && rows->n == 0)
		no_rows(&k->buf);
	else if (head->ncols) {
		table_begin(&k->buf, head);
		for (size_t i = 0; i < rows->n && rc == 0; i++) {
			rows->fill(rows, i, head);
			table_row(&k->buf, head, 0);
			rc = report_sink_row(k);
		}
		buf_adds(&k->buf, "</tbody>\n</table>\n");
	}
	if (rc)
		return rc;
	buf_adds(&k->buf, "</section>\n");
	page_end(&head, 1, &k->buf);
	return report_sink_flush(k);
}
