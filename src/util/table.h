/*
 * table.h — aligned plain-text tables for human output on a terminal.
 *
 * Columns are separated by two spaces; the header (if any) is underlined
 * with a line of '-' as wide as each column; widths are measured with
 * text_width() so that Vietnamese (and East Asian) text lines up; no line
 * ends in spaces. Cells are copied, so callers may free or reuse their
 * strings after table_header()/table_row(). A NULL cell is an empty one.
 * Tabs, newlines and other control characters in cells would break the
 * alignment or drive the terminal (ESC sequences, C1 controls, bidi
 * overrides), so they are shown as single spaces (text_printable()).
 *
 * The table owns everything it holds; table_free() releases it. Nothing
 * here fails (allocation aborts, see xalloc.h).
 */
#ifndef KN_TABLE_H
#define KN_TABLE_H

#include <stddef.h>

#include "util/buf.h"

struct table;

/* A table of ncols columns (at least 1), no header, no rows. */
struct table *table_new(size_t ncols);

/* Set (or replace) the header: names[0..ncols). */
void table_header(struct table *t, const char *const *names);

/* Append a row: cells[0..ncols). */
void table_row(struct table *t, const char *const *cells);

/* Right-align column col (numbers). Columns are left-aligned otherwise. */
void table_align_right(struct table *t, size_t col);

/* Number of rows added so far (the header not counted). */
size_t table_nrows(const struct table *t);

/* Append the rendered table to out, each line ending in '\n'. An empty
 * table with no header renders nothing. */
void table_render(const struct table *t, struct buf *out);

/* A table too long to hold (issue 13: a nation's deadlines), streamed:
 * table_widen() each row (measured, not kept), then table_render_head()
 * (which fixes the columns' widths) and table_render_row() each row
 * again, rendered as table_render() would have. */
void table_widen(struct table *t, const char *const *cells);
void table_render_head(struct table *t, struct buf *out);
void table_render_row(const struct table *t, const char *const *cells, struct buf *out);

void table_free(struct table *t);

#endif
