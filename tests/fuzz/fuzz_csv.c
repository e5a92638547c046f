/*
 * fuzz_csv.c — libFuzzer target over io/csv. Reads every row of the input
 * (good and bad: the reader must never crash, must always move forward, and
 * must give strictly increasing line numbers), writes the good rows back
 * with csv_write_row(), reads that output again and checks that it holds
 * exactly the same rows, field by field, without a single error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rows {
	char ***fields;
	size_t *n;
	size_t count, cap;
};

static void rows_add(struct rows *rs, const struct csv_row *row)
{
	if (rs->count == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->fields = xreallocarray(rs->fields, rs->cap, sizeof(*rs->fields));
		rs->n = xreallocarray(rs->n, rs->cap, sizeof(*rs->n));
	}
	char **f = xreallocarray(NULL, row->n, sizeof(*f));
	for (size_t i = 0; i < row->n; i++)
		f[i] = xstrdup(row->fields[i]);
	rs->fields[rs->count] = f;
	rs->n[rs->count++] = row->n;
}

static void rows_free(struct rows *rs)
{
	for (size_t i = 0; i < rs->count; i++) {
		for (size_t j = 0; j < rs->n[i]; j++)
			free(rs->fields[i][j]);
		free(rs->fields[i]);
	}
	free(rs->fields);
	free(rs->n);
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct rows rs = { 0 };
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct csv_row row;
	size_t calls = 0, last_line = 0, max_line = count_lines(in, size);
	int rc;

	struct csv_reader *r = csv_reader_new(in, size);
	char sep = csv_reader_sep(r);
	if (sep != ',' && sep != ';')
		abort();
	while ((rc = csv_read_row(r, &row, &err)) != 0) {
		/* Every call consumes at least one line. */
		if (++calls > max_line)
			abort();
		if (row.line <= last_line || row.line > max_line)
			abort();
		last_line = row.line;
		if (rc < 0) {
			if (!err.len || row.n != 0)
				abort();
			buf_reset(&err);
			continue;
		}
		if (rc != 1 || row.n == 0)
			abort();
		rows_add(&rs, &row);
	}
	csv_reader_free(r);

	for (size_t i = 0; i < rs.count; i++)
		csv_write_row(&out, (const char *const *)rs.fields[i], rs.n[i]);

	r = csv_reader_new(out.s, out.len);
	if (csv_reader_sep(r) != ',')
		abort();
	size_t i = 0;
	while ((rc = csv_read_row(r, &row, &err)) != 0) {
		if (rc != 1 || i >= rs.count || row.n != rs.n[i])
			abort();
		for (size_t j = 0; j < row.n; j++)
			if (strcmp(row.fields[j], rs.fields[i][j]) != 0)
				abort();
		i++;
	}
	if (i != rs.count)
		abort();
	csv_reader_free(r);

	rows_free(&rs);
	buf_release(&out);
	buf_release(&err);
	return 0;
}
