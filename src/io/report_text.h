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

/* One cell as people read it in the language in force (tables, pages,
 * spreadsheets that want text): appended to out. */
void report_cell_human(const struct report *r, size_t row, size_t col, struct buf *out);

#endif
