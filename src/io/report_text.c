/* report_text.c — see report_text.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/csv.h"
#include "io/report_text.h"
#include "util/i18n.h"
#include "util/table.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Tenths as "127.1", "-0.5": the machine form, whatever the language. */
static void tenths_plain(struct buf *out, long long v)
{
	const char *sign = v < 0 ? "-" : "";
	unsigned long long a = v < 0 ? (unsigned long long)-(v + 1) + 1 : (unsigned long long)v;
	buf_addf(out, "%s%llu.%llu", sign, a / 10, a % 10);
}

/* The cell as CSV/JSON text (not for numbers in JSON). */
static void cell_machine(const struct report *r, size_t row, size_t col, struct buf *out)
{
	const struct rcell *x = report_cell(r, row, col);
	char d[11];
	if (x->null)
		return;
	switch (r->cols[col].type) {
	case RC_TEXT:
	case RC_CODE: buf_adds(out, x->text ? x->text : ""); break;
	case RC_INT: buf_addf(out, "%lld", x->num); break;
	case RC_PERCENT: tenths_plain(out, x->num); break;
	case RC_DATE: date_format_iso(x->date, d); buf_adds(out, d); break;
	case RC_YESNO: buf_adds(out, x->num ? "yes" : "no"); break;
	}
}

void report_cell_human(const struct report *r, size_t row, size_t col, struct buf *out)
{
	const struct rcell *x = report_cell(r, row, col);
	char d[11];
	if (x->null)
		return;
	switch (r->cols[col].type) {
	case RC_TEXT: buf_adds(out, x->text ? x->text : ""); break;
	case RC_CODE: buf_adds(out, x->label ? x->label : x->text ? x->text : ""); break;
	case RC_INT: text_int(out, x->num); break;
	case RC_PERCENT: text_tenths(out, x->num); buf_addc(out, '%'); break;
	case RC_DATE: date_format_user(x->date, d); buf_adds(out, d); break;
	case RC_YESNO: buf_adds(out, x->num ? _("yes") : _("no")); break;
	}
}

void report_write_csv(const struct report *r, struct buf *out)
{
	const char **fields = xcalloc(r->ncols ? r->ncols : 1, sizeof(*fields));
	struct buf *cells = xcalloc(r->ncols ? r->ncols : 1, sizeof(*cells));
	size_t n = 0;

	if (r->summary) {
		const char *h = "summary";
		csv_write_row(out, &h, 1);
		csv_write_row_guarded(out, (const char *const *)&r->summary, 1, 1u);
		free(fields);
		free(cells);
		return;
	}
	for (size_t c = 0; c < r->ncols; c++)
		if (!r->cols[c].human_only)
			fields[n++] = r->cols[c].key;
	csv_write_row(out, fields, n);
	/* Names are guarded against spreadsheet formulas, as in exports
	 * (io/csv.h); codes, numbers and dates need not be. */
	unsigned text_cols = 0;
	n = 0;
	for (size_t c = 0; c < r->ncols; c++) {
		if (r->cols[c].human_only)
			continue;
		if (r->cols[c].type == RC_TEXT && n < 32)
			text_cols |= 1u << n;
		n++;
	}
	for (size_t row = 0; row < r->nrows; row++) {
		n = 0;
		for (size_t c = 0; c < r->ncols; c++) {
			if (r->cols[c].human_only)
				continue;
			buf_reset(&cells[c]);
			cell_machine(r, row, c, &cells[c]);
			fields[n++] = cells[c].s;
		}
		csv_write_row_guarded(out, fields, n, text_cols);
	}
	for (size_t c = 0; c < r->ncols; c++)
		buf_release(&cells[c]);
	free(cells);
	free(fields);
}

static json_t *cell_json(const struct report *r, size_t row, size_t col)
{
	const struct rcell *x = report_cell(r, row, col);
	struct buf b = BUF_INIT;
	json_t *v;
	if (x->null)
		return json_null();
	switch (r->cols[col].type) {
	case RC_INT: return json_integer(x->num);
	case RC_PERCENT: return json_real((double)x->num / 10.0);
	default:
		cell_machine(r, row, col, &b);
		v = json_string(b.s);
		buf_release(&b);
		return v;
	}
}

void report_write_json(const struct report *r, struct buf *out)
{
	json_t *root = json_object(), *rows = json_array();
	char d[11];

	json_object_set_new(root, "report", json_string(r->name));
	json_object_set_new(root, "unit", json_string(r->unit));
	json_object_set_new(root, "unit_name", json_string(r->unit_name));
	date_format_iso(r->from, d);
	json_object_set_new(root, "from", json_string(d));
	date_format_iso(r->to, d);
	json_object_set_new(root, "to", json_string(d));
	date_format_iso(r->as_of, d);
	json_object_set_new(root, "as_of", json_string(d));
	if (r->summary) {
		json_object_set_new(root, "summary", json_string(r->summary));
	} else {
		for (size_t row = 0; row < r->nrows; row++) {
			json_t *o = json_object();
			for (size_t c = 0; c < r->ncols; c++)
				if (!r->cols[c].human_only)
					json_object_set_new(o, r->cols[c].key, cell_json(r, row, c));
			json_array_append_new(rows, o);
		}
		json_object_set_new(root, "rows", rows);
		rows = NULL;
	}
	json_decref(rows);
	/* 15 significant digits print 127.1 as 127.1, not 127.09999999999999. */
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	buf_adds(out, s);
	buf_addc(out, '\n');
	free(s);
	json_decref(root);
}

/* Wrap a paragraph at `width` columns of screen width. */
static void wrap(struct buf *out, const char *text, int width)
{
	int col = 0;
	const char *p = text;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t len = sp ? (size_t)(sp - p) : strlen(p);
		char *word = xstrndup(p, len);
		int w = text_width(word);
		if (col > 0 && col + 1 + w > width) {
			buf_addc(out, '\n');
			col = 0;
		} else if (col > 0) {
			buf_addc(out, ' ');
			col++;
		}
		buf_adds(out, word);
		col += w;
		free(word);
		p += len;
		while (*p == ' ')
			p++;
	}
	buf_addc(out, '\n');
}

void report_write_table(const struct report *r, struct buf *out)
{
	buf_addf(out, "%s\n\n", r->title);
	if (r->summary) {
		wrap(out, r->summary, 78);
		return;
	}
	if (r->nrows == 0) {
		buf_addf(out, "%s\n", _("(nothing to report)"));
		return;
	}
	struct table *t = table_new(r->ncols);
	const char **cells = xcalloc(r->ncols, sizeof(*cells));
	struct buf *b = xcalloc(r->ncols, sizeof(*b));
	for (size_t c = 0; c < r->ncols; c++) {
		cells[c] = _(r->cols[c].label);
		if (r->cols[c].type == RC_INT || r->cols[c].type == RC_PERCENT)
			table_align_right(t, c);
	}
	table_header(t, cells);
	for (size_t row = 0; row < r->nrows; row++) {
		for (size_t c = 0; c < r->ncols; c++) {
			buf_reset(&b[c]);
			/* The tree: names indented by depth. */
			if (r->depth && strcmp(r->cols[c].key, "name") == 0)
				for (int i = 0; i < r->depth[row]; i++)
					buf_adds(&b[c], "  ");
			report_cell_human(r, row, c, &b[c]);
			cells[c] = b[c].s;
		}
		table_row(t, cells);
	}
	table_render(t, out);
	for (size_t c = 0; c < r->ncols; c++)
		buf_release(&b[c]);
	free(b);
	free(cells);
	table_free(t);
}
