/*
 * chart.c — see chart.h. The charts of the reports (percent of quota per
 * unit against the 100% line, the funnel of steps) for both the printable
 * report page (io/html.c) and the web pages, and the small bars of the
 * dashboard, drawn with SVG
 * presentation attributes only, because the pages' Content-Security-Policy
 * forbids inline styles. Columns are found by their FORMATS.md key, so
 * nothing here knows how a report is built; numbers are formatted for the
 * language in force (text_int, text_tenths) and report text is escaped by
 * html_printf's %s.
 */
#include <stdlib.h>
#include <string.h>

#include "io/chart.h"
#include "io/html.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define C_MET "#2e7d32"
#define C_UNMET "#e08a1e"
#define C_STEP "#1f5f9e"
#define C_TRACK "#eceff2"
#define C_INK "#1d1d1f"
#define C_GRID "#e0e0e0"
#define C_AXIS "#666666"

/* A number or a percent for the language in force, as a short string. */
static void fmt_int(struct buf *out, long long v)
{
	buf_reset(out);
	text_int(out, v);
}

static void fmt_percent(struct buf *out, long long tenths)
{
	buf_reset(out);
	text_tenths(out, tenths);
	buf_addc(out, '%');
}

void chart_quota_bar(struct buf *out, long long tenths, int met)
{
	struct buf label = BUF_INIT;
	/* One scale for every bar, 0 to 150%, so that bars side by side
	 * compare; beyond it the bar is full and the figure says how far. */
	const long long scale = 1500;
	long long v = tenths < scale ? tenths : scale;

	if (tenths < 0)
		return;
	fmt_percent(&label, tenths);
	html_printf(out, "<svg class=\"qbar\" viewBox=\"0 0 1500 20\" preserveAspectRatio=\"none\" "
		    "role=\"img\" aria-label=\"%s\" focusable=\"false\">"
		    "<rect y=\"3\" width=\"1500\" height=\"14\" fill=\"" C_TRACK "\"/>", label.s);
	if (v > 0)
		html_printf(out, "<rect y=\"3\" width=\"%lld\" height=\"14\" fill=\"%S\"/>", v,
			    met ? C_MET : C_UNMET);
	/* The 100% mark, over the bar's whole height. */
	html_printf(out, "<line x1=\"1000\" x2=\"1000\" y1=\"0\" y2=\"20\" stroke=\"" C_INK "\" "
		    "stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/></svg>");
	buf_release(&label);
}

void chart_count_bar(struct buf *out, long long v, long long max)
{
	long long w = max > 0 && v > 0 ? v * 1000 / max : 0;
	html_printf(out, "<svg class=\"cbar\" viewBox=\"0 0 1000 12\" preserveAspectRatio=\"none\" "
		    "aria-hidden=\"true\" focusable=\"false\">");
	if (w > 0)
		html_printf(out, "<rect width=\"%lld\" height=\"12\" fill=\"" C_STEP "\"/>",
			    w < 4 ? 4 : w);
	html_printf(out, "</svg>");
}

/* ---- the report charts ---- */

struct bar {
	const char *label;	/* report text, escaped when written */
	long long v;
	int met;
	int lead;		/* the report's own unit: label in bold */
};

/* Geometry in SVG user units on a viewBox CHART_W wide, as io/html.c. */
enum {
	CHART_W = 720,
	LABEL_X = 262,		/* right edge of the labels */
	PLOT_X = 270,		/* left edge of the plot */
	PLOT_W = 370,
	ROW_H = 24,
	BAR_H = 16,
	TOP = 24,		/* room for the 100% label */
	BOTTOM = 22,		/* room for the axis */
	LEGEND = 22,
	LABEL_COLS = 36,
};

static int col_find(const struct report *r, const char *key)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (r->cols[c].key && strcmp(r->cols[c].key, key) == 0)
			return (int)c;
	return -1;
}

/* The byte length of the UTF-8 sequence led by c (1 for a stray byte). */
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

/* s cut to at most maxcols display columns, with an ellipsis: SVG text
 * does not wrap. */
static void cut_label(struct buf *out, const char *s, int maxcols)
{
	char one[5];
	int w = 0;

	buf_reset(out);
	if (text_width(s) <= maxcols) {
		buf_adds(out, s);
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
		buf_add(out, s, k);
		s += k;
	}
	buf_adds(out, "\xe2\x80\xa6");
}

static void svg_open(struct buf *out, int height, const char *title)
{
	html_printf(out, "<figure class=\"chart\"><figcaption>%s</figcaption>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" role=\"img\" "
		    "aria-label=\"%s\" font-family=\"DejaVu Sans, Noto Sans, Arial, sans-serif\" "
		    "font-size=\"13\" fill=\"#222222\">\n", title, (int)CHART_W, height, title);
}

static void bar_label(struct buf *out, const struct bar *b, int y, struct buf *tmp)
{
	cut_label(tmp, b->label, LABEL_COLS);
	html_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%S><title>%s</title>%s</text>\n",
		    (int)LABEL_X, y + BAR_H - 4, b->lead ? " font-weight=\"bold\"" : "", b->label,
		    tmp->s);
}

static int scale_x(long long v, long long scale)
{
	if (v < 0)
		v = 0;
	return PLOT_X + (int)(v * PLOT_W / scale);
}

static void chart_percent(struct buf *out, const struct bar *bars, size_t n, const char *title)
{
	long long maxv = 1000, tick, scale;
	int bottom = TOP + (int)n * ROW_H, height = bottom + BOTTOM + LEGEND, x100;
	struct buf num = BUF_INIT, tmp = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (bars[i].v > maxv)
			maxv = bars[i].v;
	tick = maxv <= 1500 ? 250 : maxv <= 3000 ? 500 : maxv <= 6000 ? 1000 : 2500;
	scale = (maxv + tick - 1) / tick * tick;

	svg_open(out, height, title);
	for (long long t = 0; t <= scale; t += tick) {
		int x = scale_x(t, scale);
		fmt_int(&num, t / 10);
		html_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" C_GRID "\"/>"
			    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" "
			    "fill=\"" C_AXIS "\">%s%%</text>\n",
			    x, TOP - 4, x, bottom, x, bottom + 14, num.s);
	}
	for (size_t i = 0; i < n; i++) {
		int y = TOP + (int)i * ROW_H + (ROW_H - BAR_H) / 2;
		int x = scale_x(bars[i].v, scale), w = x - PLOT_X;
		bar_label(out, &bars[i], y, &tmp);
		fmt_percent(&num, bars[i].v);
		html_printf(out, "<rect class=\"%S\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%S\"/>"
			    "<text x=\"%d\" y=\"%d\" paint-order=\"stroke\" stroke=\"#ffffff\" "
			    "stroke-width=\"3\" stroke-linejoin=\"round\">%s</text>\n",
			    bars[i].met ? "met" : "unmet", (int)PLOT_X, y, w > 1 ? w : 1, (int)BAR_H,
			    bars[i].met ? C_MET : C_UNMET,
			    x + 5, y + BAR_H - 4, num.s);
	}
	x100 = scale_x(1000, scale);
	html_printf(out, "<line class=\"target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" C_INK "\" "
		    "stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>"
		    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" "
		    "font-weight=\"bold\">100%%</text>\n",
		    x100, TOP - 8, x100, bottom + 2, x100, TOP - 11);
	/* The legend. */
	int ly = bottom + BOTTOM + 4;
	html_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"" C_MET "\"/>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>"
		    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"" C_UNMET "\"/>"
		    "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
		    (int)PLOT_X, ly, (int)PLOT_X + 17, ly + 11, _("quota met"),
		    (int)PLOT_X + 150, ly, (int)PLOT_X + 167, ly + 11, _("quota not met"));
	html_printf(out, "</svg></figure>\n");
	buf_release(&num);
	buf_release(&tmp);
}

static void chart_funnel(struct buf *out, const struct bar *bars, size_t n, const char *title)
{
	long long maxv = 0;
	int height = 8 + (int)n * ROW_H + 8, cx = PLOT_X + PLOT_W / 2;
	struct buf num = BUF_INIT, tmp = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (bars[i].v > maxv)
			maxv = bars[i].v;
	svg_open(out, height, title);
	for (size_t i = 0; i < n; i++) {
		int y = 8 + (int)i * ROW_H + (ROW_H - BAR_H) / 2;
		int w = maxv > 0 ? (int)(bars[i].v * PLOT_W / maxv) : 0;
		if (w < 2)
			w = 2;
		bar_label(out, &bars[i], y, &tmp);
		fmt_int(&num, bars[i].v);
		html_printf(out, "<rect class=\"step\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" C_STEP "\"/>",
			    cx - w / 2, y, w, (int)BAR_H);
		/* The count inside the bar when it fits, else just after it. */
		if (w >= 48)
			html_printf(out, "<text class=\"inbar\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#ffffff\" "
				    "font-weight=\"bold\">%s</text>\n", cx, y + BAR_H - 4, num.s);
		else
			html_printf(out, "<text x=\"%d\" y=\"%d\">%s</text>\n", cx + w / 2 + 5,
				    y + BAR_H - 4, num.s);
	}
	html_printf(out, "</svg></figure>\n");
	buf_release(&num);
	buf_release(&tmp);
}

void chart_report(struct buf *out, const struct report *r)
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
			/* The unit and the level below it: deeper rows are in
			 * the table. */
			if (p->null || (r->depth && r->depth[i] > 1))
				continue;
			if (cname >= 0 && !report_cell(r, i, (size_t)cname)->null)
				lab = report_cell(r, i, (size_t)cname);
			else if (cunit >= 0 && !report_cell(r, i, (size_t)cunit)->null)
				lab = report_cell(r, i, (size_t)cunit);
			bars[n].label = lab && lab->text ? lab->text : "";
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
			bars[n].label = s->label ? s->label : s->text ? s->text : "";
			bars[n].v = v->num;
			n++;
		}
		if (n > 0)
			chart_funnel(out, bars, n, _("Candidacies that reached each step in the period"));
	}
	free(bars);
}
