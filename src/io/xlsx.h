/*
 * xlsx.h — the reports as an Excel workbook (libxlsxwriter), the file a
 * commission forwards.
 *
 * One worksheet per report, named by the report's kind in the language in
 * force ("Kết quả kết nạp", "Xếp hạng" …; at most 31 characters, made
 * unique with " (2)", " (3)" … when two reports share a kind). Each sheet
 * has the report's title in A1 (bold), the unit and the period in A2, the
 * column labels in row 3 (bold, bottom border, frozen with the rows above)
 * and the rows from row 4. Cells keep their type: whole numbers are
 * numbers shown as #,##0, percentages are the percent value (127.1, not
 * 1.271) shown as 0.0, dates are real dates shown as dd/mm/yyyy, yes/no
 * are the translated words, codes show their label when they have one,
 * empty cells stay empty. Every column is written, human_only ones too. The spreadsheet shows
 * the numbers with the viewer's separators (2.669 and 127,1 in Vietnamese).
 * Tree rows (r->depth) are indented in their first text column. A report
 * with a summary has the paragraph in A3, wrapped in a wide merged range;
 * its table, if any, follows after a blank row.
 */
#ifndef KN_XLSX_H
#define KN_XLSX_H

#include <stddef.h>

#include "core/report.h"
#include "util/buf.h"
#include "util/err.h"

/* Write reports[0..n) to a new workbook at path (replaced if it exists).
 * KN_EINVAL when n is 0; KN_EIO, with the reason appended to err, when
 * the file cannot be written or libxlsxwriter refuses a cell. */
enum kn_err report_write_xlsx(struct report *const *reports, size_t n, const char *path,
			      struct buf *err);

/* Issue 13: the workbook of one report whose rows come one at a time
 * (core/report.h, struct report_rows; head without its rows), each filled
 * twice (the columns' widths first). The same errors. */
enum kn_err report_stream_xlsx(struct report *head, const struct report_rows *rows,
			       const char *path, struct buf *err);

#endif
