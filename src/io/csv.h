/*
 * csv.h — the CSV reader and writer behind import and export.
 *
 * Our own small reader rather than libcsv, as DESIGN.md allows: the importer
 * must report every bad row as FILE:LINE, and libcsv cannot say on which
 * line a record started. The reader is fuzzed (tests/fuzz/fuzz_csv.c).
 *
 * Reading follows spec/FORMATS.md "CSV rules": an optional UTF-8 byte-order
 * mark is skipped; the separator is ',' or ';', whichever occurs first
 * outside quotes in the first record (',' if neither); RFC 4180 quoting
 * with "" for a quote, quoted fields may span lines; CRLF or LF line ends
 * and a last line without one. A line that is entirely empty is skipped,
 * it is not a row. Fields are returned as they are (no trimming, no UTF-8
 * check: the importer does that). A bare '"' inside an unquoted field is
 * taken literally. A lone CR that is not followed by LF is data.
 *
 * Ownership: the reader does not copy its input, so the caller keeps the
 * data alive until csv_reader_free(). The fields of a row belong to the
 * reader and stay valid until the next csv_read_row() or csv_reader_free().
 */
#ifndef KN_CSV_H
#define KN_CSV_H

#include <stddef.h>

#include "util/buf.h"

struct csv_reader;

/* A reader over data[0..len). Never NULL; data may contain NUL bytes. */
struct csv_reader *csv_reader_new(const char *data, size_t len);
void csv_reader_free(struct csv_reader *r);
/* The separator detected from the first record: ',' or ';'. */
char csv_reader_sep(const struct csv_reader *r);
/* How many bytes of the data the rows read so far took: the reader never
 * looks before this offset again (the importer lets go of a mapped
 * file's pages behind it). */
size_t csv_reader_pos(const struct csv_reader *r);

struct csv_row {
	char **fields;	/* n NUL-terminated strings, owned by the reader */
	size_t n;	/* at least 1 for a row that was read */
	size_t line;	/* 1-based line where the row starts */
};

/*
 * Read the next row.
 *   1  a row is in *row;
 *   0  end of input (*row untouched);
 *  -1  malformed row: an English message without a line prefix is appended
 *      to err ("unterminated quoted field", "unexpected character after
 *      closing quote", "NUL byte in field"), row->line is the line where the
 *      bad row starts, row->n is 0, and the reader has moved on to the next
 *      line, so the caller can keep calling to report every bad row.
 *      An unterminated quote swallows the rest of the file, so the reader
 *      starts again on the line after the one where that row started.
 */
int csv_read_row(struct csv_reader *r, struct csv_row *row, struct buf *err);

/*
 * Append one RFC 4180 row to out, separator ',', ending in "\n". A field is
 * quoted when it contains , ; " CR or LF, has a leading or trailing space
 * or tab, or starts with a UTF-8 byte-order mark; ';' and the BOM are quoted
 * so that csv_reader reads the output back exactly (it would otherwise take
 * ';' for the separator, or skip the BOM). A NULL field is written empty. A
 * row made of one empty field is written as "" so that it is not read back
 * as a blank line.
 */
void csv_write_row(struct buf *out, const char *const *fields, size_t n);

/*
 * Formula guard (OWASP's advice against CSV injection). A spreadsheet runs
 * a cell whose text begins with '=', '+', '-', '@', a tab or a carriage
 * return as a formula. csv_write_row_guarded() writes like csv_write_row()
 * but puts a single quote before the text of every field i whose bit
 * (1u << i) is set in `text_cols` and for which csv_formula_guard() says
 * so; csv_unguard() removes exactly that quote again on import, so that
 * export -> import -> export gives the same bytes.
 *
 * The guarded set is the text matching ^'*[=+\-@\t\r] (any number of
 * single quotes, then one of those characters): one quote is added on
 * export, and one removed on import from text matching ^'+[=+\-@\t\r].
 * The mapping is one-to-one, so even a text that really begins with
 * "'=" survives the round trip.
 */
int csv_formula_guard(const char *s);
void csv_write_row_guarded(struct buf *out, const char *const *fields, size_t n,
			   unsigned text_cols);
/* Remove the guard's quote from s in place, when s matches ^'+[=+\-@\t\r]
 * (returns 1), else leave s as it is (returns 0). */
int csv_unguard(char *s);

#endif
