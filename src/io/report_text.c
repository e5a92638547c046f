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

int report_sink_row(struct report_sink *k)
{
	return k->buf.len >= k->flush_at ? report_sink_flush(k) : 0;
}

int report_sink_flush(struct report_sink *k)
{
	if (k->failed)
		return -1;
	if (k->buf.len && k->flush(k) != 0)
		k->failed = 1;
	buf_reset(&k->buf);
	return k->failed ? -1 : 0;
}

/* CSV: the header, then each row (csv_row). */
struct csv_w {
	const char **fields;
	struct buf *cells;
	unsigned text_cols;
};

static void csv_begin(const struct report *r, struct csv_w *w, struct buf *out)
{
	size_t n = 0;
	w->fields = xcalloc(r->ncols ? r->ncols : 1, sizeof(*w->fields));
	w->cells = xcalloc(r->ncols ? r->ncols : 1, sizeof(*w->cells));
	for (size_t c = 0; c < r->ncols; c++)
		buf_init(&w->cells[c]);
	for (size_t c = 0; c < r->ncols; c++)
		if (!r->cols[c].human_only)
			w->fields[n++] = r->cols[c].key;
	csv_write_row(out, w->fields, n);
	/* Names are guarded against spreadsheet formulas, as in exports
	 * (io/csv.h); codes, numbers and dates need not be. */
	w->text_cols = 0;
	n = 0;
	for (size_t c = 0; c < r->ncols; c++) {
		if (r->cols[c].human_only)
			continue;
		if (r->cols[c].type == RC_TEXT && n < 32)
			w->text_cols |= 1u << n;
		n++;
	}
}

static void csv_row(const struct report *r, size_t row, struct csv_w *w, struct buf *out)
{
	size_t n = 0;
	for (size_t c = 0; c < r->ncols; c++) {
		if (r->cols[c].human_only)
			continue;
		buf_reset(&w->cells[c]);
		cell_machine(r, row, c, &w->cells[c]);
		w->fields[n++] = w->cells[c].s;
	}
	csv_write_row_guarded(out, w->fields, n, w->text_cols);
}

static void csv_end(const struct report *r, struct csv_w *w)
{
	for (size_t c = 0; c < r->ncols; c++)
		buf_release(&w->cells[c]);
	free(w->cells);
	free(w->fields);
}

void report_write_csv(const struct report *r, struct buf *out)
{
	struct csv_w w;

	if (r->summary) {
		const char *h = "summary";
		csv_write_row(out, &h, 1);
		csv_write_row_guarded(out, (const char *const *)&r->summary, 1, 1u);
		return;
	}
	csv_begin(r, &w, out);
	for (size_t row = 0; row < r->nrows; row++)
		csv_row(r, row, &w, out);
	csv_end(r, &w);
}

int report_stream_csv(struct report *head, const struct report_rows *rows, struct report_sink *k)
{
	struct csv_w w;
	int rc = 0;

	csv_begin(head, &w, &k->buf);
	for (size_t i = 0; i < rows->n && rc == 0; i++) {
		rows->fill(rows, i, head);
		csv_row(head, 0, &w, &k->buf);
		rc = report_sink_row(k);
	}
	csv_end(head, &w);
	return rc ? rc : report_sink_flush(k);
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

/* 15 significant digits print 127.1 as 127.1, not 127.09999999999999. */
#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* The report's object without its rows or summary. */
static json_t *json_head(const struct report *r)
{
	json_t *root = json_object();
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
	return root;
}

static json_t *json_row(const struct report *r, size_t row)
{
	json_t *o = json_object();
	for (size_t c = 0; c < r->ncols; c++)
		if (!r->cols[c].human_only)
			json_object_set_new(o, r->cols[c].key, cell_json(r, row, c));
	return o;
}

void report_write_json(const struct report *r, struct buf *out)
{
	json_t *root = json_head(r), *rows = json_array();

	if (r->summary) {
		json_object_set_new(root, "summary", json_string(r->summary));
	} else {
		for (size_t row = 0; row < r->nrows; row++)
			json_array_append_new(rows, json_row(r, row));
		json_object_set_new(root, "rows", rows);
		rows = NULL;
	}
	json_decref(rows);
	char *s = json_dumps(root, JSON_FLAGS);
	buf_adds(out, s);
	buf_addc(out, '\n');
	free(s);
	json_decref(root);
}

/* The text json_dumps() gives the whole document, a row at a time: the
 * head's members, then "rows" with each row dumped alone and indented
 * two levels (a string holds no raw newline: each is a line break of the
 * layout). */
int report_stream_json(struct report *head, const struct report_rows *rows,
		       struct report_sink *k)
{
	json_t *root = json_head(head);
	char *s = json_dumps(root, JSON_FLAGS);
	size_t len = strlen(s);
	int rc = 0;

	json_decref(root);
	/* "{\n  …\n}" without its closing "\n}" */
	buf_add(&k->buf, s, len >= 2 ? len - 2 : len);
	free(s);
	buf_adds(&k->buf, rows->n ? ",\n  \"rows\": [" : ",\n  \"rows\": []");
	for (size_t i = 0; i < rows->n && rc == 0; i++) {
		rows->fill(rows, i, head);
		json_t *o = json_row(head, 0);
		s = json_dumps(o, JSON_FLAGS);
		json_decref(o);
		buf_adds(&k->buf, i ? ",\n    " : "\n    ");
		for (const char *p = s; *p; p++) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			buf_add(&k->buf, p, n);
			if (!nl)
				break;
			buf_adds(&k->buf, "\n    ");
			p = nl;
		}
		free(s);
		rc = report_sink_row(k);
	}
	if (rc == 0)
		buf_adds(&k->buf, rows->n ? "\n  ]\n}\n" : "\n}\n");
	return rc ? rc : report_sink_flush(k);
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

/* The table of r's columns: their labels as the header, numbers on the
 * right. cells (r->ncols) is the caller's, used for the header. */
static struct table *table_of(const struct report *r, const char **cells)
{
	struct table *t = table_new(r->ncols);
	for (size_t c = 0; c < r->ncols; c++) {
		cells[c] = _(r->cols[c].label);
		if (r->cols[c].type == RC_INT || r->cols[c].type == RC_PERCENT)
			table_align_right(t, c);
	}
	table_header(t, cells);
	return t;
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
	const char **cells = xcalloc(r->ncols, sizeof(*cells));
	struct buf *b = xcalloc(r->ncols, sizeof(*b));
	struct table *t = table_of(r, cells);
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

/* The table streamed: its columns measured over every row first (the
 * rows filled twice), then written a row at a time. */
int report_stream_table(struct report *head, const struct report_rows *rows,
			struct report_sink *k)
{
	const struct report *r = head;
	int rc = 0;

	buf_addf(&k->buf, "%s\n\n", r->title);
	if (rows->n == 0) {
		buf_addf(&k->buf, "%s\n", _("(nothing to report)"));
		return report_sink_flush(k);
	}
	const char **cells = xcalloc(r->ncols, sizeof(*cells));
	struct buf *b = xcalloc(r->ncols, sizeof(*b));
	struct table *t = table_of(r, cells);
	for (size_t c = 0; c < r->ncols; c++)
		buf_init(&b[c]);
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass == 1)
			table_render_head(t, &k->buf);
		for (size_t i = 0; i < rows->n && rc == 0; i++) {
			rows->fill(rows, i, head);
			for (size_t c = 0; c < r->ncols; c++) {
				buf_reset(&b[c]);
				report_cell_human(r, 0, c, &b[c]);
				cells[c] = b[c].s;
			}
			if (pass == 0) {
				table_widen(t, cells);
			} else {
				table_render_row(t, cells, &k->buf);
				rc = report_sink_row(k);
			}
		}
	}
	for (size_t c = 0; c < r->ncols; c++)
		buf_release(&b[c]);
	free(b);
	free(cells);
	table_free(t);
	return rc ? rc : report_sink_flush(k);
}
