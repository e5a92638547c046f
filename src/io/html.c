/*
 * html.c — see html.h. The report page is written in one pass into the
 * caller's buffer: a fixed head with the inline stylesheet (screen and A4
 * print), a heading from the first report, the summary paragraphs, then a
 * section per report with its chart as inline SVG and its table. Columns
 * are found by their FORMATS.md key, so the writer knows nothing of how a
 * report is built; every piece of report text goes through html_escape()
 * here, at the last moment. Chart geometry is in whole SVG user units on a
 * fixed viewBox that the stylesheet scales to the page width.
 */
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "io/html.h"
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
	"svg text { font-size: 13px; fill: #222 }\n"
	"svg .value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round }\n"
	"svg .lead { font-weight: bold }\n"
	"svg .grid { stroke: #e0e0e0; stroke-width: 1 }\n"
	"svg .axis { font-size: 11px; fill: #666 }\n"
	"svg .target { stroke: #222; stroke-width: 1.5; stroke-dasharray: 5 4 }\n"
	"svg .target-label { font-size: 12px; font-weight: bold }\n"
	"svg .met { fill: #2e7d32 }\n"
	"svg .unmet { fill: #e08a1e }\n"
	"svg .step { fill: #1f5f9e }\n"
	"svg .inbar { fill: #fff; font-weight: bold }\n"
	".legend { font-size: 9.5pt; color: #444; margin-top: .3em }\n"
	".legend span { display: inline-block; width: .9em; height: .9em;"
	" vertical-align: -.1em; margin: 0 .3em 0 1em }\n"
	".legend span:first-child { margin-left: 0 }\n"
	".legend .met { background: #2e7d32 }\n"
	".legend .unmet { background: #e08a1e }\n"
	"table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 0 0 1em }\n"
	"thead { display: table-header-group }\n"
	"tr { break-inside: avoid; page-break-inside: avoid }\n"
	"th, td { border: 1px solid #c4c4c4; padding: .22em .5em; vertical-align: top }\n"
	"th { background: #eeeeee; text-align: left }\n"
	".num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums }\n"
	"tr.d0 td { font-weight: bold; background: #f6f6f6 }\n"
	"td.yes { color: #1b5e20 }\n"
	"td.no { color: #a61b1b }\n"
	".empty { color: #666; font-style: italic }\n"
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

/* The byte length of the UTF-8 sequence starting with lead byte c (1 for
 * an invalid byte, so that the walk always advances). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* s escaped, cut to at most maxcols display columns with an ellipsis:
 * SVG text does not wrap, so a long unit name would run into the bars. */
static void add_label(struct buf *out, const char *s, int maxcols)
{
	struct buf cut = BUF_INIT;
	char one[5];
	int w = 0;

	if (!s)
		return;
	if (text_width(s) <= maxcols) {
		html_escape(out, s);
		return;
	}
	while (*s) {
		size_t n = utf8_len((unsigned char)*s), k;

		for (k = 0; k < n && s[k]; k++)
			one[k] = s[k];
		one[k] = '\0';
		w += text_width(one);
		if (w > maxcols - 1)
			break;
		buf_add(&cut, s, k);
		s += k;
	}
	html_escape(out, cut.s);
	buf_adds(out, "\xe2\x80\xa6");
	buf_release(&cut);
}

/* One bar of a chart: label (report text, not yet escaped), value, and
 * for percent charts whether the quota was met. */
struct bar {
	const char *label;
	long long v;
	int met;
	int lead;	/* the report's own unit: label in bold */
};

/* Chart geometry, in SVG user units (the viewBox is CHART_W wide). */
enum {
	CHART_W = 720,
	LABEL_X = 262,		/* right edge of the labels */
	PLOT_X = 270,		/* left edge of the plot */
	PLOT_W = 370,
	ROW_H = 24,
	BAR_H = 16,
	TOP = 24,		/* room for the 100% label */
	BOTTOM = 22,		/* room for the axis */
	LABEL_COLS = 36,
};

static int scale_x(long long v, long long scale)
{
	if (v < 0)
		v = 0;
	return PLOT_X + (int)(v * PLOT_W / scale);
}

static void svg_open(struct buf *out, int height, const char *title)
{
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
		 " width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		 CHART_W, height, CHART_W, height);
	html_escape(out, title);
	buf_adds(out, "\">\n");
}

static void bar_label(struct buf *out, const struct bar *b, int y)
{
	buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s><title>",
		 LABEL_X, y + BAR_H - 4, b->lead ? " class=\"lead\"" : "");
	html_escape(out, b->label);
	buf_adds(out, "</title>");
	add_label(out, b->label, LABEL_COLS);
	buf_adds(out, "</text>\n");
}

/* Percent per unit as horizontal bars against a dashed 100% line; the
 * scale reaches past 100% when some unit does. */
static void chart_percent(struct buf *out, const struct bar *bars, size_t n,
			  const char *title)
{
	long long maxv = 1000, tick, scale;
	int height = TOP + (int)n * ROW_H + BOTTOM, bottom = TOP + (int)n * ROW_H;
	int x100;

	for (size_t i = 0; i < n; i++)
		if (bars[i].v > maxv)
			maxv = bars[i].v;
	tick = maxv <= 1500 ? 250 : maxv <= 3000 ? 500 : maxv <= 6000 ? 1000 : 2500;
	scale = (maxv + tick - 1) / tick * tick;

	buf_adds(out, "<figure>\n<figcaption>");
	html_escape(out, title);
	buf_adds(out, "</figcaption>\n");
	svg_open(out, height, title);
	for (long long t = 0; t <= scale; t += tick) {
		int x = scale_x(t, scale);

		buf_addf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
			 "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
			 x, TOP - 4, x, bottom, x, bottom + 14);
		text_int(out, t / 10);
		buf_adds(out, "%</text>\n");
	}
	for (size_t i = 0; i < n; i++) {
		int y = TOP + (int)i * ROW_H + (ROW_H - BAR_H) / 2;
		int x = scale_x(bars[i].v, scale), w = x - PLOT_X;

		bar_label(out, &bars[i], y);
		buf_addf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
			 "<text class=\"value\" x=\"%d\" y=\"%d\">",
			 bars[i].met ? "met" : "unmet", PLOT_X, y, w > 1 ? w : 1, BAR_H,
			 x + 5, y + BAR_H - 4);
		add_percent(out, bars[i].v);
		buf_adds(out, "</text>\n");
	}
	x100 = scale_x(1000, scale);
	buf_addf(out, "<line class=\"target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		 "<text class=\"target-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">100%%</text>\n",
		 x100, TOP - 8, x100, bottom + 2, x100, TOP - 11);
	buf_adds(out, "</svg>\n<div class=\"legend\"><span class=\"met\"></span>");
	html_escape(out, _("quota met"));
	buf_adds(out, "<span class=\"unmet\"></span>");
	html_escape(out, _("quota not met"));
	buf_adds(out, "</div>\n</figure>\n");
}

/* The funnel: a centred bar per step, as wide as the number of
 * candidacies that reached it, labelled with the step and the count. */
static void chart_funnel(struct buf *out, const struct bar *bars, size_t n, const char *title)
{
	long long maxv = 0;
	int height = 8 + (int)n * ROW_H + 8, cx = PLOT_X + PLOT_W / 2;

	for (size_t i = 0; i < n; i++)
		if (bars[i].v > maxv)
			maxv = bars[i].v;
	buf_adds(out, "<figure>\n<figcaption>");
	html_escape(out, title);
	buf_adds(out, "</figcaption>\n");
	svg_open(out, height, title);
	for (size_t i = 0; i < n; i++) {
		int y = 8 + (int)i * ROW_H + (ROW_H - BAR_H) / 2;
		int w = maxv > 0 ? (int)(bars[i].v * PLOT_W / maxv) : 0;

		if (w < 2)
			w = 2;
		bar_label(out, &bars[i], y);
		buf_addf(out, "<rect class=\"step\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
			 cx - w / 2, y, w, BAR_H);
		/* The count inside the bar when it fits, else just after it. */
		if (w >= 48)
			buf_addf(out, "<text class=\"inbar\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
				 cx, y + BAR_H - 4);
		else
			buf_addf(out, "<text class=\"value\" x=\"%d\" y=\"%d\">",
				 cx + w / 2 + 5, y + BAR_H - 4);
		text_int(out, bars[i].v);
		buf_adds(out, "</text>\n");
	}
	buf_adds(out, "</svg>\n</figure>\n");
}

static void report_charts(struct buf *out, const struct report *r)
{
	int cname = col_find(r, "name"), cunit = col_find(r, "unit");
	int cpct = col_find(r, "percent"), cmet = col_find(r, "met");
	int cstep = col_find(r, "step"), creached = col_find(r, "reached");
	struct bar *bars;
	size_t n = 0;

	if (r->nrows == 0)
		return;
	bars = xcalloc(r->nrows, sizeof(*bars));
	if ((r->kind == REPORT_ACHIEVEMENT || r->kind == REPORT_RANKING) && cpct >= 0) {
		for (size_t i = 0; i < r->nrows; i++) {
			const struct rcell *p = report_cell(r, i, (size_t)cpct);
			const struct rcell *lab = NULL;

			if (p->null || (r->depth && r->depth[i] > 1))
				continue;
			if (cname >= 0 && !report_cell(r, i, (size_t)cname)->null)
				lab = report_cell(r, i, (size_t)cname);
			else if (cunit >= 0 && !report_cell(r, i, (size_t)cunit)->null)
				lab = report_cell(r, i, (size_t)cunit);
			bars[n].label = lab ? lab->text : "";
			bars[n].v = p->num;
			if (cmet >= 0 && !report_cell(r, i, (size_t)cmet)->null)
				bars[n].met = report_cell(r, i, (size_t)cmet)->num != 0;
			else
				bars[n].met = p->num >= 1000;
			bars[n].lead = r->depth && r->depth[i] == 0;
			n++;
		}
		if (n > 0)
			chart_percent(out, bars, n, r->kind == REPORT_RANKING
				      ? _("Ranking: admissions as a percentage of the quota")
				      : _("Admissions as a percentage of the quota, by unit"));
	} else if (r->kind == REPORT_FUNNEL && cstep >= 0 && creached >= 0) {
		for (size_t i = 0; i < r->nrows; i++) {
			const struct rcell *s = report_cell(r, i, (size_t)cstep);
			const struct rcell *v = report_cell(r, i, (size_t)creached);

			if (s->null || v->null)
				continue;
			bars[n].label = s->label ? s->label : s->text;
			bars[n].v = v->num;
			n++;
		}
		if (n > 0)
			chart_funnel(out, bars, n, _("Candidacies that reached each step in the period"));
	}
	free(bars);
}

static void report_table(struct buf *out, const struct report *r)
{
	int cdepth = r->depth ? col_find(r, "depth") : -1;
	int cindent = col_find(r, "name");

	if (r->ncols == 0)
		return;
	if (r->nrows == 0) {
		buf_adds(out, "<p class=\"empty\">");
		html_escape(out, _("No rows."));
		buf_adds(out, "</p>\n");
		return;
	}
	if (cindent < 0)
		cindent = 0;
	buf_adds(out, "<table>\n<thead><tr>");
	for (size_t c = 0; c < r->ncols; c++) {
		const struct rcol *col = &r->cols[c];

		/* The tree depth shows as indentation, not as a number. */
		if ((int)c == cdepth)
			continue;
		buf_adds(out, is_numeric(col->type) ? "<th class=\"num\">" : "<th>");
		/* Labels are msgids (N_), translated here; _("") would be
		 * the catalogue's header. */
		html_escape(out, col->label && *col->label ? _(col->label) : col->key);
		buf_adds(out, "</th>");
	}
	buf_adds(out, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nrows; i++) {
		int d = r->depth ? r->depth[i] : -1;

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

void report_write_html(struct report *const *reports, size_t n, struct buf *out)
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
	for (size_t i = 0; i < n; i++) {
		const struct report *r = reports[i];

		buf_adds(out, "<section class=\"report report-");
		html_escape(out, r->name);
		buf_adds(out, "\">\n");
		/* The page heading is the first report's title already. */
		if (i > 0 && r->title) {
			buf_adds(out, "<h2>");
			html_escape(out, r->title);
			buf_adds(out, "</h2>\n");
		}
		report_charts(out, r);
		report_table(out, r);
		buf_adds(out, "</section>\n");
	}
	buf_adds(out, "</body>\n</html>\n");
}
