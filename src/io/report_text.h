/*
 * report_text.h — reports as text: an aligned table for a terminal, CSV
 * and JSON for programs (FORMATS.md, "Report outputs").
 *
 * CSV and JSON carry the columns of FORMATS.md and nothing else (columns
 * marked human_only are left out), with '.' as the decimal mark and no
 * thousands separator; JSON numbers are numbers and missing values null.
 * The table is for people: Vietnamese formatting under vi ("2.669",
 * "127,1%", "15/01/2012"), labels instead of codes where a report gives
 * them, the tree indented.
 */
#ifndef KN_REPORT_TEXT_H
#define KN_REPORT_TEXT_H

#include "core/report.h"
#include "util/buf.h"

void report_write_csv(const struct report *r, struct buf *out);
void report_write_json(const struct report *r, struct buf *out);
void report_write_table(const struct report *r, struct buf *out);

/* Where a streamed report goes: into buf, which flush() writes out and
 * empties once it holds flush_at bytes or more after a whole row (so a
 * table's lines stay whole), and at the end. flush() returns 0, or -1
 * once it has said why it could not write; then nothing more is. */
struct report_sink {
	struct buf buf;
	size_t flush_at;
	int (*flush)(struct report_sink *k);
	void *arg;
	int failed;
};
/* After a row: flush when full. 0, or -1 once a flush failed. */
int report_sink_row(struct report_sink *k);
/* Flush what buf holds. 0, or -1 once a flush failed. */
int report_sink_flush(struct report_sink *k);

/* Issue 13: report_write_csv(), _json(), _table() of head and its rows,
 * written as the rows come (core/report.h, struct report_rows: head is
 * the report without its rows), streamed into k and flushed at the end:
 * 0, or -1 when a flush failed. */
int report_stream_csv(struct report *head, const struct report_rows *rows, struct report_sink *k);
int report_stream_json(struct report *head, const struct report_rows *rows,
		       struct report_sink *k);
int report_stream_table(struct report *head, const struct report_rows *rows,
			struct report_sink *k);

/* One cell as people read it in the language in force (tables, pages,
 * spreadsheets that want text): appended to out. */
void report_cell_human(const struct report *r, size_t row, size_t col, struct buf *out);

#endif
