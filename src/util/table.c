/*
 * table.c — aligned terminal tables (see table.h).
 *
 * Reports and listings print columns of Vietnamese names next to numbers;
 * padding by bytes would misalign every row with a diacritic (a "ễ" is three
 * bytes, or five when decomposed, but one column). So widths come from
 * text_width(), and padding is added by hand. Rows are kept as copies in one
 * flat array (row-major), rendered only once all widths are known.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/table.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct table {
	size_t ncols;
	char **header;		/* ncols strings, or NULL when no header */
	char **cells;		/* nrows * ncols strings */
	size_t nrows, alloc;	/* alloc counts rows */
	unsigned char *right;	/* per column: right-aligned? */
	size_t *wide;		/* per column: the widest cell table_widen() saw */
};

struct table *table_new(size_t ncols)
{
	struct table *t = xcalloc(1, sizeof(*t));

	assert(ncols > 0);
	t->ncols = ncols ? ncols : 1;
	t->right = xcalloc(t->ncols, 1);
	t->wide = xcalloc(t->ncols, sizeof(*t->wide));
	return t;
}

/* A copy of s with control characters (C0, DEL, C1, bidi overrides)
 * turned into spaces: text_printable(). */
static char *cell_dup(const char *s)
{
	struct buf b = BUF_INIT;

	text_printable(s, &b);
	return buf_detach(&b);
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
}

void table_header(struct table *t, const char *const *names)
{
	size_t i;

	if (t->header)
		free_strings(t->header, t->ncols);
	else
		t->header = xcalloc(t->ncols, sizeof(char *));
	for (i = 0; i < t->ncols; i++)
		t->header[i] = cell_dup(names ? names[i] : NULL);
}

void table_row(struct table *t, const char *const *cells)
{
	char **row;
	size_t i;

	if (t->nrows == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 16;
		t->cells = xreallocarray(t->cells, t->alloc * t->ncols, sizeof(char *));
	}
	row = t->cells + t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++)
		row[i] = cell_dup(cells ? cells[i] : NULL);
	t->nrows++;
}

void table_align_right(struct table *t, size_t col)
{
	assert(col < t->ncols);
	if (col < t->ncols)
		t->right[col] = 1;
}

size_t table_nrows(const struct table *t)
{
	return t->nrows;
}

static void add_spaces(struct buf *out, size_t n)
{
	while (n--)
		buf_addc(out, ' ');
}

/* Drop the spaces at the end of the line that started at start. */
static void trim_line(struct buf *out, size_t start)
{
	size_t len = out->len;

	while (len > start && out->s[len - 1] == ' ')
		len--;
	buf_truncate(out, len);
}

static void render_line(const struct table *t, char *const *row,
			const size_t *width, struct buf *out)
{
	size_t start = out->len, i;

	for (i = 0; i < t->ncols; i++) {
		size_t w = (size_t)text_width(row[i]);
		size_t pad = width[i] > w ? width[i] - w : 0;

		if (i)
			buf_adds(out, "  ");
		if (t->right[i])
			add_spaces(out, pad);
		buf_adds(out, row[i]);
		if (!t->right[i] && i + 1 < t->ncols)
			add_spaces(out, pad);
	}
	trim_line(out, start);
	buf_addc(out, '\n');
}

/* The columns' widths: the header's, the rows' and table_widen()'s. */
static size_t *widths(const struct table *t)
{
	size_t *width = xcalloc(t->ncols, sizeof(size_t));
	size_t i, j;

	for (j = 0; j < t->ncols; j++) {
		width[j] = t->wide[j];
		if (t->header && (size_t)text_width(t->header[j]) > width[j])
			width[j] = (size_t)text_width(t->header[j]);
		for (i = 0; i < t->nrows; i++) {
			size_t w = (size_t)text_width(t->cells[i * t->ncols + j]);
			if (w > width[j])
				width[j] = w;
		}
	}
	return width;
}

/* The header and its underline, when there is a header. */
static void render_head(const struct table *t, const size_t *width, struct buf *out)
{
	size_t i, j;

	if (t->header) {
		size_t start;

		render_line(t, t->header, width, out);
		start = out->len;
		for (j = 0; j < t->ncols; j++) {
			if (j)
				buf_adds(out, "  ");
			for (i = 0; i < width[j]; i++)
				buf_addc(out, '-');
		}
		trim_line(out, start);
		buf_addc(out, '\n');
	}
}

void table_render(const struct table *t, struct buf *out)
{
	size_t *width = widths(t);

	render_head(t, width, out);
	for (size_t i = 0; i < t->nrows; i++)
		render_line(t, t->cells + i * t->ncols, width, out);
	free(width);
}

void table_widen(struct table *t, const char *const *cells)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < t->ncols; i++) {
		buf_reset(&b);
		text_printable(cells && cells[i] ? cells[i] : "", &b);
		if ((size_t)text_width(b.s) > t->wide[i])
			t->wide[i] = (size_t)text_width(b.s);
	}
	buf_release(&b);
}

void table_render_head(struct table *t, struct buf *out)
{
	size_t *width = widths(t);

	/* The widths are final now: kept for table_render_row(). */
	memcpy(t->wide, width, t->ncols * sizeof(*width));
	render_head(t, width, out);
	free(width);
}

void table_render_row(const struct table *t, const char *const *cells, struct buf *out)
{
	char **row = xcalloc(t->ncols, sizeof(*row));

	for (size_t i = 0; i < t->ncols; i++)
		row[i] = cell_dup(cells ? cells[i] : NULL);
	render_line(t, row, t->wide, out);
	free_strings(row, t->ncols);
	free(row);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	if (t->header) {
		free_strings(t->header, t->ncols);
		free(t->header);
	}
	free_strings(t->cells, t->nrows * t->ncols);
	free(t->cells);
	free(t->right);
	free(t->wide);
	free(t);
}
