/*
 * csv.c — a small RFC 4180 reader that knows its line numbers, and the
 * matching writer. We use our own reader instead of libcsv (as DESIGN.md
 * allows) because libcsv cannot report the line on which a record starts,
 * and the importer must report every bad row as FILE:LINE. The reader is a
 * single pass over memory: the fields of a row are copied, NUL-terminated,
 * one after another into one buffer, and the field pointers are fixed up
 * once the row is complete (the buffer may move while it grows). It is
 * fuzzed by tests/fuzz/fuzz_csv.c, which also checks that what the writer
 * produces reads back to the same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct csv_reader {
	const char *data;
	size_t len;
	size_t pos;		/* next byte to read */
	size_t line;		/* line of data[pos], 1-based */
	char sep;
	struct buf text;	/* the row's fields, each NUL-terminated */
	size_t *offs;		/* where each field starts in text */
	char **fields;
	size_t cap;		/* room in offs and fields */
};

/* Does a line end at p: LF, CRLF, or a CR that is the last byte? */
static int at_eol(const struct csv_reader *r, size_t p)
{
	char c = r->data[p];
	if (c == '\n')
		return 1;
	return c == '\r' && (p + 1 >= r->len || r->data[p + 1] == '\n');
}

/* Step over the line end at r->pos (at_eol() must hold there). */
static void skip_eol(struct csv_reader *r)
{
	if (r->data[r->pos] == '\r')
		r->pos++;
	if (r->pos < r->len && r->data[r->pos] == '\n') {
		r->pos++;
		r->line++;
	}
}

/* Move r->pos past the next LF at or after p (or to the end). */
static void skip_line_from(struct csv_reader *r, size_t p)
{
	const char *nl = p < r->len ? memchr(r->data + p, '\n', r->len - p) : NULL;
	r->pos = nl ? (size_t)(nl - r->data) + 1 : r->len;
	if (nl)
		r->line++;
}

static void skip_blank_lines(struct csv_reader *r)
{
	while (r->pos < r->len && at_eol(r, r->pos))
		skip_eol(r);
}

/* The first ',' or ';' outside quotes in the record starting at p. */
static char detect_sep(const struct csv_reader *r, size_t p)
{
	int quoted = 0;
	for (; p < r->len; p++) {
		char c = r->data[p];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == ',' || c == ';'))
			return c;
		else if (!quoted && c == '\n')
			break;
	}
	return ',';
}

struct csv_reader *csv_reader_new(const char *data, size_t len)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));
	r->data = data;
	r->len = data ? len : 0;
	r->line = 1;
	buf_init(&r->text);
	if (r->len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	/* The header is the first record; blank lines before it are skipped
	 * by csv_read_row too, so look past them (without moving). */
	size_t p = r->pos;
	while (p < r->len && at_eol(r, p))
		p += r->data[p] == '\r' && p + 1 < r->len ? 2 : 1;
	r->sep = detect_sep(r, p);
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	buf_release(&r->text);
	free(r->offs);
	free(r->fields);
	free(r);
}

char csv_reader_sep(const struct csv_reader *r)
{
	return r->sep;
}

size_t csv_reader_pos(const struct csv_reader *r)
{
	return r->pos;
}

static void field_begin(struct csv_reader *r, size_t *n)
{
	if (*n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->offs = xreallocarray(r->offs, r->cap, sizeof(*r->offs));
		r->fields = xreallocarray(r->fields, r->cap, sizeof(*r->fields));
	}
	r->offs[(*n)++] = r->text.len;
}

/* The terminator is counted in text.len, so the next field starts after it. */
static void field_end(struct csv_reader *r)
{
	buf_addc(&r->text, '\0');
}

/* Copy data[from..to) into the current field, noting NUL bytes. */
static void field_add(struct csv_reader *r, size_t from, size_t to, int *nul)
{
	if (to > from && memchr(r->data + from, '\0', to - from))
		*nul = 1;
	buf_add(&r->text, r->data + from, to - from);
}

static int fail(struct csv_row *row, struct buf *err, const char *msg)
{
	row->fields = NULL;
	row->n = 0;
	buf_adds(err, msg);
	return -1;
}

int csv_read_row(struct csv_reader *r, struct csv_row *row, struct buf *err)
{
	size_t n = 0, start, start_line;
	int nul = 0;

	skip_blank_lines(r);
	if (r->pos >= r->len)
		return 0;
	buf_reset(&r->text);
	start = r->pos;
	start_line = r->line;
	row->line = start_line;

	for (;;) {
		field_begin(r, &n);
		if (r->pos < r->len && r->data[r->pos] == '"') {
			r->pos++;
			for (;;) {
				size_t run = r->pos;
				while (r->pos < r->len && r->data[r->pos] != '"') {
					if (r->data[r->pos] == '\n')
						r->line++;
					r->pos++;
				}
				field_add(r, run, r->pos, &nul);
				if (r->pos >= r->len) {
					/* Everything to the end was swallowed: start
					 * again on the line after the row's first. */
					r->line = start_line;
					skip_line_from(r, start);
					return fail(row, err, "unterminated quoted field");
				}
				if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
					buf_addc(&r->text, '"');
					r->pos += 2;
					continue;
				}
				r->pos++;	/* the closing quote */
				break;
			}
			if (r->pos < r->len && r->data[r->pos] != r->sep &&
			    !at_eol(r, r->pos)) {
				skip_line_from(r, r->pos);
				return fail(row, err,
					    "unexpected character after closing quote");
			}
		} else {
			size_t run = r->pos;
			while (r->pos < r->len && r->data[r->pos] != r->sep &&
			       !at_eol(r, r->pos))
				r->pos++;
			field_add(r, run, r->pos, &nul);
		}
		field_end(r);
		if (r->pos >= r->len)
			break;
		if (r->data[r->pos] == r->sep) {
			r->pos++;
			continue;
		}
		skip_eol(r);
		break;
	}

	if (nul)
		return fail(row, err, "NUL byte in field");
	for (size_t i = 0; i < n; i++)
		r->fields[i] = r->text.s + r->offs[i];
	row->fields = r->fields;
	row->n = n;
	return 1;
}

/* Does the writer have to quote s? */
static int needs_quotes(const char *s)
{
	size_t len = strlen(s);
	if (!len)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
		return 1;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return 1;
	return strpbrk(s, ",;\"\r\n") != NULL;
}

static int formula_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int csv_formula_guard(const char *s)
{
	if (!s)
		return 0;
	while (*s == '\'')
		s++;
	return formula_char(*s);
}

int csv_unguard(char *s)
{
	if (!s || s[0] != '\'' || !csv_formula_guard(s + 1))
		return 0;
	memmove(s, s + 1, strlen(s));	/* the terminator too */
	return 1;
}

void csv_write_row_guarded(struct buf *out, const char *const *fields, size_t n,
			   unsigned text_cols)
{
	if (n == 1 && (!fields[0] || !fields[0][0])) {
		buf_adds(out, "\"\"\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = fields[i] ? fields[i] : "";
		int guard = i < 32 && (text_cols & (1u << i)) && csv_formula_guard(s);
		if (i)
			buf_addc(out, ',');
		if (!needs_quotes(s)) {
			if (guard)
				buf_addc(out, '\'');
			buf_adds(out, s);
			continue;
		}
		buf_addc(out, '"');
		if (guard)
			buf_addc(out, '\'');
		for (const char *q; (q = strchr(s, '"')); s = q + 1) {
			buf_add(out, s, (size_t)(q - s) + 1);
			buf_addc(out, '"');	/* "" for each quote */
		}
		buf_adds(out, s);
		buf_addc(out, '"');
	}
	buf_addc(out, '\n');
}

void csv_write_row(struct buf *out, const char *const *fields, size_t n)
{
	csv_write_row_guarded(out, fields, n, 0);
}
