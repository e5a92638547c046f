/*
 * xlsx.c — see xlsx.h. The writer knows nothing of the domain: it walks
 * the typed cells of struct report and maps each type to an Excel cell
 * type and number format, so the figures are those of the CSV and the
 * table. Formats are created once per workbook (Excel keeps one style
 * table per file). Column widths are estimated from the display width of
 * the longest label or cell as a Vietnamese reader sees it, since a
 * writer cannot ask Excel to autofit. The first libxlsxwriter error is
 * kept and reported after the file is closed, so a failed cell never
 * leaves a half-written workbook open. The achievement and funnel sheets
 * carry a chart beside the table, drawn from the table's own cells (a
 * reader who corrects a figure sees the bar move). In the whole review the
 * deadlines sheet holds the overdue ones counted per unit, as the printed
 * review does (io/html.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xlsxwriter.h>

#include "io/xlsx.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define SHEET_NAME_MAX 31	/* Excel's limit, in characters */
#define MAX_INDENT 15		/* Excel's largest indent level */
#define WIDTH_MAX 60.0
#define WIDTH_MIN 4.0
#define SUMMARY_COLS 8		/* the merged range of a summary paragraph */
#define SUMMARY_WIDTH 14.0	/* per column when the report has no table */
#define ROW_HEIGHT 15.0		/* Excel's default, in points */
#define ROW_HEIGHT_MAX 409.0	/* Excel's largest */

/* Days from Excel's epoch (serial 0 = 1899-12-30, counting the phantom
 * 29/02/1900) to 1970-01-01; right for every date from 1900-03-01. */
#define EXCEL_1970 25569

static const char *const sheet_names[REPORT__COUNT] = {
	[REPORT_ACHIEVEMENT] = N_("Achievement"),
	[REPORT_STRUCTURE] = N_("Structure"),
	[REPORT_FUNNEL] = N_("Funnel"),
	[REPORT_SOURCES] = N_("Sources"),
	[REPORT_DEADLINES] = N_("Deadlines"),
	[REPORT_RANKING] = N_("Ranking"),
	[REPORT_SUMMARY] = N_("Summary"),
};

struct xlsx {
	lxw_workbook *wb;
	lxw_format *title, *sub, *head, *head_num, *num, *pct, *date, *yesno, *wrap;
	lxw_format *indent[MAX_INDENT + 1];	/* [0] unused: no indent */
	lxw_error first;			/* the first write error */
	const char *where;			/* the sheet it happened in */
	char **names;				/* sheet names used so far */
	size_t nnames;
	const char *anchor;			/* the review's audit anchor, or NULL */
};

static void note(struct xlsx *x, lxw_error e, const char *sheet)
{
	if (e != LXW_NO_ERROR && x->first == LXW_NO_ERROR) {
		x->first = e;
		x->where = sheet;
	}
}

static lxw_format *new_format(lxw_workbook *wb)
{
	return workbook_add_format(wb);
}

static void make_formats(struct xlsx *x)
{
	x->title = new_format(x->wb);
	format_set_bold(x->title);
	format_set_font_size(x->title, 13);
	x->sub = new_format(x->wb);
	format_set_italic(x->sub);
	x->head = new_format(x->wb);
	format_set_bold(x->head);
	format_set_bottom(x->head, LXW_BORDER_THIN);
	format_set_text_wrap(x->head);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_BOTTOM);
	x->head_num = new_format(x->wb);
	format_set_bold(x->head_num);
	format_set_bottom(x->head_num, LXW_BORDER_THIN);
	format_set_text_wrap(x->head_num);
	format_set_align(x->head_num, LXW_ALIGN_RIGHT);
	format_set_align(x->head_num, LXW_ALIGN_VERTICAL_BOTTOM);
	x->num = new_format(x->wb);
	format_set_num_format(x->num, "#,##0");
	x->pct = new_format(x->wb);
	format_set_num_format(x->pct, "0.0");
	x->date = new_format(x->wb);
	format_set_num_format(x->date, "dd/mm/yyyy");
	format_set_align(x->date, LXW_ALIGN_LEFT);
	x->yesno = new_format(x->wb);
	format_set_align(x->yesno, LXW_ALIGN_CENTER);
	x->wrap = new_format(x->wb);
	format_set_text_wrap(x->wrap);
	format_set_align(x->wrap, LXW_ALIGN_LEFT);
	format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
}

static lxw_format *indent_format(struct xlsx *x, int depth)
{
	if (depth <= 0)
		return NULL;
	if (depth > MAX_INDENT)
		depth = MAX_INDENT;
	if (!x->indent[depth]) {
		x->indent[depth] = new_format(x->wb);
		format_set_indent(x->indent[depth], (uint8_t)depth);
	}
	return x->indent[depth];
}

static int is_numeric(enum rcol_type t)
{
	return t == RC_INT || t == RC_PERCENT;
}

/* Append to out at most max characters of s, cut at a character
 * boundary, with the characters Excel refuses in sheet names ([]:*?/\)
 * replaced by '-' and an apostrophe at either end dropped. */
static void add_sheet_chars(struct buf *out, const char *s, size_t max)
{
	size_t start = out->len, n = 0;

	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c & 0xC0) != 0x80 && n++ == max)
			break;
		buf_addc(out, strchr("[]:*?/\\", c) ? '-' : (char)c);
	}
	while (out->len > start && out->s[out->len - 1] == '\'')
		buf_truncate(out, out->len - 1);
	if (out->len > start && out->s[start] == '\'')
		out->s[start] = '-';
	if (out->len == start)
		buf_adds(out, "-");
}

static int name_used(const struct xlsx *x, const char *name)
{
	for (size_t i = 0; i < x->nnames; i++)
		if (strcasecmp(x->names[i], name) == 0)
			return 1;
	return 0;
}

/* A unique sheet name for r: the translated kind, then " (2)", " (3)" …
 * The name is kept in x->names (libxlsxwriter keeps a pointer to it). */
static const char *sheet_name(struct xlsx *x, const struct report *r)
{
	const char *base = (unsigned)r->kind < REPORT__COUNT && sheet_names[r->kind]
		? _(sheet_names[r->kind]) : (r->name ? r->name : "Report");
	struct buf name = BUF_INIT;

	add_sheet_chars(&name, base, SHEET_NAME_MAX);
	for (int k = 2; name_used(x, name.s); k++) {
		char suffix[16];
		int len = snprintf(suffix, sizeof(suffix), " (%d)", k);

		buf_reset(&name);
		add_sheet_chars(&name, base, SHEET_NAME_MAX - (size_t)len);
		buf_adds(&name, suffix);
	}
	x->names[x->nnames++] = buf_detach(&name);
	return x->names[x->nnames - 1];
}

/* A text or code cell as people read it: a code's label when it has one
 * (the step's name rather than DL-DECISION), else the text; never NULL. */
static const char *cell_text(const struct rcol *col, const struct rcell *v)
{
	if (col->type == RC_CODE && v->label && *v->label)
		return v->label;
	return v->text ? v->text : "";
}

/* The cell as a Vietnamese reader sees it, appended to out: only its
 * display width matters (the column width). */
static void cell_display(struct buf *out, const struct rcol *col, const struct rcell *v)
{
	char d[11];

	if (v->null)
		return;
	switch (col->type) {
	case RC_INT:
		text_int_lang(out, v->num, "vi");
		break;
	case RC_PERCENT:
		text_tenths_lang(out, v->num, "vi");
		break;
	case RC_DATE:
		date_format_vn(v->date, d);
		buf_adds(out, d);
		break;
	case RC_YESNO:
		buf_adds(out, v->num ? _("yes") : _("no"));
		break;
	case RC_TEXT:
	case RC_CODE:
		buf_adds(out, cell_text(col, v));
		break;
	}
}

/* The sheet's rows: r's own, or (streamed) rows, each filled into r's
 * one row when asked for. */
struct sheet_rows {
	struct report *r;
	const struct report_rows *rows;
};

static size_t sheet_nrows(const struct sheet_rows *s)
{
	return s->rows ? s->rows->n : s->r->nrows;
}

/* The index in s->r of the sheet's i-th row. */
static size_t sheet_row(const struct sheet_rows *s, size_t i)
{
	if (!s->rows)
		return i;
	s->rows->fill(s->rows, i, s->r);
	return 0;
}

/* Column widths, in characters: the widest of the label and the cells
 * (tree rows counted with their indent) plus a margin, capped. Each is
 * also stored in widths[c]. */
static void set_widths(struct xlsx *x, lxw_worksheet *ws, const struct sheet_rows *sr,
		       size_t indent_col, double *widths, const char *sheet)
{
	const struct report *r = sr->r;
	struct buf b = BUF_INIT;
	int *w = xcalloc(r->ncols ? r->ncols : 1, sizeof(*w));

	for (size_t c = 0; c < r->ncols; c++)
		w[c] = text_width(r->cols[c].label ? _(r->cols[c].label) : "");
	/* Row by row, each filled once (streamed). */
	for (size_t k = 0; k < sheet_nrows(sr); k++) {
		size_t i = sheet_row(sr, k);

		for (size_t c = 0; c < r->ncols; c++) {
			int cw;

			buf_reset(&b);
			cell_display(&b, &r->cols[c], report_cell(r, i, c));
			cw = text_width(b.s);
			if (c == indent_col && r->depth && r->depth[i] > 0)
				cw += 2 * (r->depth[i] > MAX_INDENT ? MAX_INDENT : r->depth[i]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (size_t c = 0; c < r->ncols; c++) {
		double width = w[c] + 2.0;
		if (width > WIDTH_MAX)
			width = WIDTH_MAX;
		if (width < WIDTH_MIN)
			width = WIDTH_MIN;
		widths[c] = width;
		note(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL), sheet);
	}
	free(w);
	buf_release(&b);
}

static void write_cell(struct xlsx *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t c,
		       const struct rcol *col, const struct rcell *v, lxw_format *indent,
		       const char *sheet)
{
	lxw_error e = LXW_NO_ERROR;
	char d[11];

	if (v->null)
		return;
	switch (col->type) {
	case RC_INT:
		e = worksheet_write_number(ws, row, c, (double)v->num, x->num);
		break;
	case RC_PERCENT:
		e = worksheet_write_number(ws, row, c, (double)v->num / 10.0, x->pct);
		break;
	case RC_DATE:
		if (v->date == KN_DATE_NONE)
			break;
		if (v->date >= date_from_ymd(1900, 3, 1)) {
			e = worksheet_write_number(ws, row, c, (double)v->date + EXCEL_1970,
						   x->date);
		} else {
			/* Before Excel's calendar: keep it readable as text. */
			date_format_vn(v->date, d);
			e = worksheet_write_string(ws, row, c, d, NULL);
		}
		break;
	case RC_YESNO:
		e = worksheet_write_string(ws, row, c, v->num ? _("yes") : _("no"),
					   x->yesno);
		break;
	case RC_TEXT:
	case RC_CODE:
		if (*cell_text(col, v))
			e = worksheet_write_string(ws, row, c, cell_text(col, v), indent);
		break;
	}
	note(x, e, sheet);
}

/* A2: "unit name (CODE), 01/01/2011–31/12/2011", and for the deadlines
 * the day the pipeline is seen as of. */
static void subtitle(struct buf *out, const struct report *r)
{
	char from[11], to[11];

	if (r->unit_name && *r->unit_name) {
		buf_adds(out, r->unit_name);
		if (r->unit && *r->unit)
			buf_addf(out, " (%s)", r->unit);
	} else if (r->unit && *r->unit) {
		buf_adds(out, r->unit);
	}
	if (r->from != KN_DATE_NONE && r->to != KN_DATE_NONE) {
		date_format_vn(r->from, from);
		date_format_vn(r->to, to);
		buf_addf(out, "%s%s\xe2\x80\x93%s", out->len ? ", " : "", from, to);
	}
	if (r->kind == REPORT_DEADLINES && r->as_of != KN_DATE_NONE) {
		date_format_vn(r->as_of, from);
		if (out->len)
			buf_adds(out, ", ");
		buf_addf(out, _("as of %s"), from);
	}
}

/* The summary paragraph in A3 across SUMMARY_COLS columns. A merged
 * cell never grows to fit, so the row height is estimated from the text
 * width over the merged width (plus one line for the ragged right edge
 * of wrapped text and one per explicit line break). */
static void write_summary(struct xlsx *x, lxw_worksheet *ws, const struct report *r,
			  const double *widths, const char *sheet)
{
	double total = 0.0, lines, height;
	size_t breaks = 0;

	for (size_t c = 0; c < SUMMARY_COLS; c++) {
		double w = SUMMARY_WIDTH;

		if (c < r->ncols)
			w = widths[c];	/* the table's own column */
		else
			note(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL),
			     sheet);
		total += w;
	}
	for (const char *p = r->summary; *p; p++)
		breaks += *p == '\n';
	lines = (double)text_width(r->summary) * 1.1 / total + 1.0 + (double)breaks;
	height = ROW_HEIGHT * (double)(long)lines;
	if (height > ROW_HEIGHT_MAX)
		height = ROW_HEIGHT_MAX;
	note(x, worksheet_merge_range(ws, 2, 0, 2, SUMMARY_COLS - 1, r->summary, x->wrap),
	     sheet);
	note(x, worksheet_set_row(ws, 2, height, NULL), sheet);
}

/* The index of the column keyed key, or -1. */
static int col_find(const struct report *r, const char *key)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (r->cols[c].key && strcmp(r->cols[c].key, key) == 0)
			return (int)c;
	return -1;
}

/* A chart beside the table of sheet: one series, the cells of column vcol
 * against the categories in column ccol, over the table's rows (the
 * header in row head, the rows below it). Its title is the sheet's title
 * cell and its series is named by the column's header cell, so it says
 * what the table says in the workbook's language. Achievement: a bar per
 * unit row of its percent of the quota (percents, since the report's own
 * unit dwarfs its parts in numbers); funnel: a column per step. */
static void write_chart(struct xlsx *x, lxw_worksheet *ws, const struct report *r,
			const char *sheet, lxw_row_t head)
{
	int ccol, vcol, bar = r->kind == REPORT_ACHIEVEMENT;
	lxw_row_t first = head + 1, last = head + (lxw_row_t)r->nrows;
	lxw_chart_options opt;
	lxw_chart_series *series;
	lxw_chart *chart;

	if (r->kind == REPORT_ACHIEVEMENT) {
		ccol = col_find(r, "name");
		vcol = col_find(r, "percent");
	} else if (r->kind == REPORT_FUNNEL) {
		ccol = col_find(r, "step");
		vcol = col_find(r, "reached");
	} else {
		return;
	}
	if (ccol < 0 || vcol < 0 || r->nrows == 0)
		return;
	chart = workbook_add_chart(x->wb, bar ? LXW_CHART_BAR : LXW_CHART_COLUMN);
	if (!chart) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sheet);
		return;
	}
	series = chart_add_series(chart, NULL, NULL);
	if (!series) {
		note(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sheet);
		return;
	}
	chart_series_set_categories(series, sheet, first, (lxw_col_t)ccol, last, (lxw_col_t)ccol);
	chart_series_set_values(series, sheet, first, (lxw_col_t)vcol, last, (lxw_col_t)vcol);
	chart_series_set_name_range(series, sheet, head, (lxw_col_t)vcol);
	chart_title_set_name_range(chart, sheet, 0, 0);
	chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	if (bar) {
		/* The first row on top, as in the table. */
		chart_axis_set_reverse(chart->y_axis);
		chart_axis_set_min(chart->x_axis, 0);
	}
	memset(&opt, 0, sizeof(opt));
	opt.x_scale = 1.25;
	/* A bar chart grows with its rows: some 20 px a bar. */
	opt.y_scale = bar && r->nrows > 10 ? (double)r->nrows * 20.0 / 288.0 : 1.0;
	if (opt.y_scale > 12.0)
		opt.y_scale = 12.0;
	note(x, worksheet_insert_chart_opt(ws, head, (lxw_col_t)(r->ncols + 1), chart, &opt),
	     sheet);
}

static void write_sheet(struct xlsx *x, struct report *r, const struct report_rows *rows)
{
	struct sheet_rows sr = { r, rows };
	const char *sheet = sheet_name(x, r);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet);
	struct buf b = BUF_INIT;
	size_t indent_col = (size_t)-1;
	lxw_row_t head = 2;
	double *widths;

	if (!ws) {
		note(x, LXW_ERROR_SHEETNAME_ALREADY_USED, sheet);
		return;
	}
	worksheet_set_paper(ws, 9);	/* A4 */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	/* The audit chain's head in every printed page's footer, so that a
	 * signed printout names the data it was made from ("&&": a literal &
	 * in Excel's header and footer codes; 255 bytes at most). */
	if (x->anchor) {
		struct buf f = BUF_INIT;
		buf_adds(&f, "&L&8");
		for (const char *p = x->anchor; *p && f.len < 250; p++)
			buf_adds(&f, *p == '&' ? "&&" : (char[]){ *p, 0 });
		note(x, worksheet_set_footer(ws, f.s), sheet);
		buf_release(&f);
	}

	note(x, worksheet_write_string(ws, 0, 0, r->title ? r->title : "", x->title), sheet);
	subtitle(&b, r);
	if (b.len)
		note(x, worksheet_write_string(ws, 1, 0, b.s, x->sub), sheet);
	buf_release(&b);

	for (size_t c = 0; c < r->ncols && r->depth; c++)
		if (r->cols[c].type == RC_TEXT || r->cols[c].type == RC_CODE) {
			indent_col = c;
			break;
		}
	widths = xcalloc(r->ncols ? r->ncols : 1, sizeof(*widths));
	set_widths(x, ws, &sr, indent_col, widths, sheet);
	if (r->summary) {
		write_summary(x, ws, r, widths, sheet);
		head = 4;
	}
	free(widths);
	if (r->ncols == 0)
		return;

	for (size_t c = 0; c < r->ncols; c++)
		note(x, worksheet_write_string(ws, head, (lxw_col_t)c,
					       r->cols[c].label ? _(r->cols[c].label) : "",
					       is_numeric(r->cols[c].type) ? x->head_num : x->head),
		     sheet);
	/* A tall paragraph above the table would not fit a frozen pane. */
	if (!r->summary)
		worksheet_freeze_panes(ws, head + 1, 0);
	note(x, worksheet_repeat_rows(ws, head, head), sheet);

	for (size_t k = 0; k < sheet_nrows(&sr); k++) {
		size_t i = sheet_row(&sr, k);
		lxw_format *indent = r->depth ? indent_format(x, r->depth[i]) : NULL;

		for (size_t c = 0; c < r->ncols; c++)
			write_cell(x, ws, head + 1 + (lxw_row_t)k, (lxw_col_t)c, &r->cols[c],
				   report_cell(r, i, c), c == indent_col ? indent : NULL, sheet);
	}
	write_chart(x, ws, r, sheet, head);
}

/* report_write_xlsx(), or with rows (streamed) the one report of reports. */
static enum kn_err write_xlsx(struct report *const *reports, size_t n,
			      const struct report_rows *rows, const char *path, struct buf *err)
{
	struct xlsx x;
	lxw_doc_properties props;
	lxw_error e;
	enum kn_err rc = KN_OK;
	FILE *f;

	if (n == 0) {
		buf_addf(err, _("cannot write %s: %s"), path, _("no report to write"));
		return KN_EINVAL;
	}
	/* Try the path first: libxlsxwriter only opens it in workbook_close(),
	 * and then reports a failure on stderr in its own words. */
	f = fopen(path, "wb");
	if (!f) {
		buf_addf(err, _("cannot write %s: %s"), path, strerror(errno));
		return KN_EIO;
	}
	fclose(f);
	memset(&x, 0, sizeof(x));
	x.wb = workbook_new(path);
	if (!x.wb) {
		buf_addf(err, _("cannot write %s: %s"), path, strerror(errno ? errno : ENOMEM));
		remove(path);
		return KN_EIO;
	}
	x.names = xcalloc(n, sizeof(*x.names));
	make_formats(&x);
	for (size_t i = 0; i < n && !x.anchor; i++)
		x.anchor = reports[i]->anchor;

	memset(&props, 0, sizeof(props));
	props.title = reports[0]->title;
	props.subject = reports[0]->unit_name;
	props.author = "ketnap";
	props.comments = (char *)x.anchor;
	note(&x, workbook_set_properties(x.wb, &props), "");

	/* The whole review (a summary first): its deadlines sheet counts the
	 * overdue ones per unit, as the printed review does. */
	for (size_t i = 0; i < n; i++)
		write_sheet(&x, n > 1 && reports[0]->kind == REPORT_SUMMARY &&
			    reports[i]->kind == REPORT_DEADLINES && reports[i]->overdue
			    ? reports[i]->overdue : reports[i], rows);

	e = workbook_close(x.wb);	/* frees the workbook in every case */
	if (x.first != LXW_NO_ERROR) {
		buf_addf(err, _("cannot write %s: %s"), path, lxw_strerror(x.first));
		if (x.where && *x.where)
			buf_addf(err, " (%s)", x.where);
		rc = KN_EIO;
	} else if (e != LXW_NO_ERROR) {
		buf_addf(err, _("cannot write %s: %s"), path, lxw_strerror(e));
		rc = KN_EIO;
	}
	if (rc != KN_OK)
		remove(path);	/* a workbook missing cells is not the report */
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	return rc;
}

enum kn_err report_write_xlsx(struct report *const *reports, size_t n, const char *path,
			      struct buf *err)
{
	return write_xlsx(reports, n, NULL, path, err);
}

enum kn_err report_stream_xlsx(struct report *head, const struct report_rows *rows,
			       const char *path, struct buf *err)
{
	return write_xlsx(&head, 1, rows, path, err);
}
