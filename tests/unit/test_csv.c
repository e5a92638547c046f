/*
 * test_csv.c — unit tests for io/csv: the reader (BOM, separator detection,
 * quoting, fields spanning lines and the line numbers after them, CRLF,
 * blank lines, broken rows and the recovery after them, NUL bytes) and the
 * writer (quoting, and a writer → reader round trip).
 *
 * Most checks read a whole input with dump(), which renders every row as
 * "LINE:[f1|f2]" and every bad row as "LINE!message", one after another,
 * so that one expected string shows fields, line numbers and recovery.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "util/buf.h"
#include "t.h"
#include "util/banned.h"

/* Render all rows of data[0..len); *sep gets the detected separator. */
static char *dump_n(const char *data, size_t len, char *sep)
{
	struct csv_reader *r = csv_reader_new(data, len);
	struct buf out = BUF_INIT, err = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &err)) != 0) {
		if (rc < 0) {
			buf_addf(&out, "%zu!%s ", row.line, err.s);
			buf_reset(&err);
			continue;
		}
		buf_addf(&out, "%zu:[", row.line);
		for (size_t i = 0; i < row.n; i++)
			buf_addf(&out, "%s%s", i ? "|" : "", row.fields[i]);
		buf_adds(&out, "] ");
	}
	if (sep)
		*sep = csv_reader_sep(r);
	csv_reader_free(r);
	buf_release(&err);
	buf_truncate(&out, out.len ? out.len - 1 : 0);
	return buf_detach(&out);
}

static char *dump(const char *data, char *sep)
{
	return dump_n(data, strlen(data), sep);
}

#define CHECK_DUMP(input, expected) do { char *t_d = dump((input), NULL); \
	CHECK_STR(t_d, (expected)); free(t_d); } while (0)

static void test_basic(void)
{
	char sep;
	char *d = dump("code,name\nA,Bình Thủy\nB,Ninh Kiều\n", &sep);
	CHECK_STR(d, "1:[code|name] 2:[A|Bình Thủy] 3:[B|Ninh Kiều]");
	CHECK_EQ(sep, ',');
	free(d);

	/* No newline at the end; empty fields kept; no trimming. */
	CHECK_DUMP("a,b\n,x, y \nlast,", "1:[a|b] 2:[|x| y ] 3:[last|]");
	/* Empty input, only blank lines. */
	CHECK_DUMP("", "");
	CHECK_DUMP("\n\r\n\n", "");
	/* A blank line is not a row, but it is counted. */
	CHECK_DUMP("a\n\nb\r\n\r\nc", "1:[a] 3:[b] 5:[c]");
	/* A line of spaces is a row with one field. */
	CHECK_DUMP("a\n  \n", "1:[a] 2:[  ]");
	/* NULL data is an empty input. */
	struct csv_reader *r = csv_reader_new(NULL, 5);
	struct csv_row row;
	struct buf err = BUF_INIT;
	CHECK_EQ(csv_read_row(r, &row, &err), 0);
	CHECK_EQ(csv_reader_sep(r), ',');
	csv_reader_free(r);
	csv_reader_free(NULL);
}

static void test_bom_and_sep(void)
{
	char sep;
	char *d = dump("\xEF\xBB\xBFho_ten;ngay_sinh\nAn;01/02/1990\n", &sep);
	CHECK_STR(d, "1:[ho_ten|ngay_sinh] 2:[An|01/02/1990]");
	CHECK_EQ(sep, ';');
	free(d);

	/* The first of ',' and ';' on the header line wins. */
	d = dump("a;b,c\n1;2,3\n", &sep);
	CHECK_EQ(sep, ';');
	CHECK_STR(d, "1:[a|b,c] 2:[1|2,3]");
	free(d);
	d = dump("a,b;c\n1,2;3\n", &sep);
	CHECK_EQ(sep, ',');
	CHECK_STR(d, "1:[a|b;c] 2:[1|2;3]");
	free(d);
	/* ... outside quotes. */
	d = dump("\"x,y\";z\n", &sep);
	CHECK_EQ(sep, ';');
	CHECK_STR(d, "1:[x,y|z]");
	free(d);
	/* Neither: ','. Only the header line counts. */
	d = dump("single\na;b\n", &sep);
	CHECK_EQ(sep, ',');
	CHECK_STR(d, "1:[single] 2:[a;b]");
	free(d);
	/* Blank lines before the header are skipped for detection too. */
	d = dump("\n\r\na;b\n", &sep);
	CHECK_EQ(sep, ';');
	CHECK_STR(d, "3:[a|b]");
	free(d);
	/* A BOM alone, and a BOM only at the very start is skipped. */
	CHECK_DUMP("\xEF\xBB\xBF", "");
	CHECK_DUMP("\xEF\xBB\xBF\xEF\xBB\xBFx", "1:[\xEF\xBB\xBFx]");
	CHECK_DUMP("a\n\xEF\xBB\xBF" "b", "1:[a] 2:[\xEF\xBB\xBF" "b]");
}

static void test_quotes(void)
{
	CHECK_DUMP("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", "1:[a,b|say \"hi\"|]");
	/* A field spanning lines; the line numbers after it stay right. */
	CHECK_DUMP("name,note\n\"An\",\"line one\nline two\nline three\"\nBình,x\n",
		   "1:[name|note] 2:[An|line one\nline two\nline three] 5:[Bình|x]");
	/* CRLF inside a quoted field is kept as it is. */
	CHECK_DUMP("\"a\r\nb\",c\r\nd,e\r\n", "1:[a\r\nb|c] 3:[d|e]");
	/* A row that is only "" is one empty field, not a blank line. */
	CHECK_DUMP("\"\"\n\n", "1:[]");
	/* Quoted field at the end of input without a newline. */
	CHECK_DUMP("a,\"b\"", "1:[a|b]");
	CHECK_DUMP("a,\"b\"\r", "1:[a|b]");
	/* A bare quote inside an unquoted field is taken literally. */
	CHECK_DUMP("5\" pipe,x\"y\"\n", "1:[5\" pipe|x\"y\"]");
	/* A lone CR not followed by LF is data. */
	CHECK_DUMP("a\rb,c\n", "1:[a\rb|c]");
	/* A field with a separator of the other kind. */
	CHECK_DUMP("a;b\n\"1,5\";\"x;y\"\n", "1:[a|b] 2:[1,5|x;y]");
}

static void test_crlf(void)
{
	CHECK_DUMP("a,b\r\n1,2\r\n3,4", "1:[a|b] 2:[1|2] 3:[3|4]");
	CHECK_DUMP("a,b\r\n1,\r\n", "1:[a|b] 2:[1|]");
	/* Mixed line ends. */
	CHECK_DUMP("a\r\nb\nc\r\n", "1:[a] 2:[b] 3:[c]");
}

static void test_broken(void)
{
	struct buf err = BUF_INIT;
	struct csv_row row;

	/* Junk after a closing quote: reported on its line, the next line is
	 * read again. */
	CHECK_DUMP("a,b\n\"x\"y,z\nc,d\n",
		   "1:[a|b] 2!unexpected character after closing quote 3:[c|d]");
	/* Junk after a quoted field that spans lines: the row's first line is
	 * reported, reading goes on after the line of the junk. */
	CHECK_DUMP("a\n\"x\ny\" z\nc\n",
		   "1:[a] 2!unexpected character after closing quote 4:[c]");
	/* Every bad row is reported, not just the first. */
	CHECK_DUMP("h\n\"1\"x\nok\n\"2\" \n\"3\"\"\"!\nend",
		   "1:[h] 2!unexpected character after closing quote 3:[ok] "
		   "4!unexpected character after closing quote "
		   "5!unexpected character after closing quote 6:[end]");
	/* An unterminated quote: reported on the line where it opened, and
	 * reading starts again on the line after it. */
	CHECK_DUMP("h\n\"open,x\nnext,1\nlast,2\n",
		   "1:[h] 2!unterminated quoted field 3:[next|1] 4:[last|2]");
	CHECK_DUMP("a,\"b", "1!unterminated quoted field");
	CHECK_DUMP("a,\"b\"\"", "1!unterminated quoted field");
	/* An escaped quote is not a closing one. */
	CHECK_DUMP("\"a\"\"\nb", "1!unterminated quoted field 2:[b]");

	/* The message has no line prefix and is appended to err. */
	struct csv_reader *r = csv_reader_new("\"x\"y\n", 5);
	CHECK_EQ(csv_read_row(r, &row, &err), -1);
	CHECK_STR(err.s, "unexpected character after closing quote");
	CHECK_EQ(row.line, 1);
	CHECK_EQ(row.n, 0);
	CHECK_EQ(csv_read_row(r, &row, &err), 0);
	csv_reader_free(r);
	buf_release(&err);
}

static void test_nul(void)
{
	/* NUL bytes are refused (a UTF-16 file, say), without crashing, and
	 * the next row is read. */
	static const char data[] = "a,b\nx\0y,z\n\"p\0\nq\",r\nc,d\n";
	char *d = dump_n(data, sizeof(data) - 1, NULL);
	CHECK_STR(d, "1:[a|b] 2!NUL byte in field 3!NUL byte in field 5:[c|d]");
	free(d);
	static const char only[] = "\0";
	d = dump_n(only, 1, NULL);
	CHECK_STR(d, "1!NUL byte in field");
	free(d);
}

static void test_many_fields(void)
{
	struct buf in = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_addf(&in, "%s%d", i ? "," : "", i);
	buf_adds(&in, "\nx\n");
	struct csv_reader *r = csv_reader_new(in.s, in.len);
	struct csv_row row;
	struct buf err = BUF_INIT;
	CHECK_EQ(csv_read_row(r, &row, &err), 1);
	CHECK_EQ(row.n, 100);
	CHECK_STR(row.fields[0], "0");
	CHECK_STR(row.fields[57], "57");
	CHECK_STR(row.fields[99], "99");
	CHECK_EQ(csv_read_row(r, &row, &err), 1);
	CHECK_EQ(row.n, 1);
	CHECK_EQ(row.line, 2);
	CHECK_EQ(csv_read_row(r, &row, &err), 0);
	csv_reader_free(r);
	buf_release(&in);
}

static char *write1(const char *const *f, size_t n)
{
	struct buf out = BUF_INIT;
	csv_write_row(&out, f, n);
	return buf_detach(&out);
}

#define CHECK_WRITE(expected, ...) do { const char *t_f[] = { __VA_ARGS__ }; \
	char *t_w = write1(t_f, sizeof(t_f) / sizeof(t_f[0])); \
	CHECK_STR(t_w, (expected)); free(t_w); } while (0)

static void test_writer(void)
{
	CHECK_WRITE("a,b,c\n", "a", "b", "c");
	CHECK_WRITE("Nguyễn Thị Kim Thảo,,x\n", "Nguyễn Thị Kim Thảo", NULL, "x");
	CHECK_WRITE("\"a,b\",\"say \"\"hi\"\"\",\"x;y\"\n", "a,b", "say \"hi\"", "x;y");
	CHECK_WRITE("\"l1\nl2\",\"cr\r\",\"\"\"\"\n", "l1\nl2", "cr\r", "\"");
	CHECK_WRITE("\" lead\",\"trail \",\"\ttab\",in side\n",
		    " lead", "trail ", "\ttab", "in side");
	CHECK_WRITE("\"\xEF\xBB\xBFx\",y\n", "\xEF\xBB\xBFx", "y");
	/* One empty field must not read back as a blank line. */
	CHECK_WRITE("\"\"\n", "");
	CHECK_WRITE("\"\"\n", NULL);
	CHECK_WRITE(",\n", "", "");
	struct buf out = BUF_INIT;
	csv_write_row(&out, NULL, 0);
	CHECK_STR(out.s, "\n");
	/* Rows are appended. */
	const char *f[] = { "1" };
	csv_write_row(&out, f, 1);
	CHECK_STR(out.s, "\n1\n");
	buf_release(&out);
}

static void test_round_trip(void)
{
	static const char *rows[][4] = {
		{ "ma", "ho_ten", "ghi_chu", "x" },
		{ "CT.BT.P1", "Nguyễn Văn \"Tý\"", "dòng 1\r\ndòng 2\n", "" },
		{ " space", "a;b", "a,b", "trail\t" },
		{ "", "", "", "" },
		{ "\"", "\"\"", "\xEF\xBB\xBF", "\r" },
	};
	struct buf out = BUF_INIT, err = BUF_INIT;
	for (size_t i = 0; i < 5; i++)
		csv_write_row(&out, rows[i], 4);
	const char *single[] = { "" };
	csv_write_row(&out, single, 1);

	struct csv_reader *r = csv_reader_new(out.s, out.len);
	struct csv_row row;
	CHECK_EQ(csv_reader_sep(r), ',');
	for (size_t i = 0; i < 5; i++) {
		CHECK_EQ(csv_read_row(r, &row, &err), 1);
		CHECK_EQ(row.n, 4);
		for (size_t j = 0; j < 4 && j < row.n; j++)
			CHECK_STR(row.fields[j], rows[i][j]);
	}
	CHECK_EQ(row.line, 7);	/* row 2 spans three lines */
	CHECK_EQ(csv_read_row(r, &row, &err), 1);
	CHECK_EQ(row.n, 1);
	CHECK_STR(row.fields[0], "");
	CHECK_EQ(row.line, 8);
	CHECK_EQ(csv_read_row(r, &row, &err), 0);
	CHECK_EQ(err.len, 0);
	csv_reader_free(r);
	buf_release(&out);
	buf_release(&err);
}

/* The formula guard: which text gets a quote, that only the marked
 * columns do, and that reading and unguarding gives the text back. */
static void test_formula_guard(void)
{
	static const char *const risky[] = { "=1+1", "+84", "-", "@SUM(1)", "\tx", "\rx", "'=x",
		"''@", NULL };
	static const char *const safe[] = { "", "a=1", " =1", "'", "'a", "''", "1-2", "Nguyễn",
		"x@y", NULL };
	for (int i = 0; risky[i]; i++)
		CHECK(csv_formula_guard(risky[i]));
	for (int i = 0; safe[i]; i++)
		CHECK(!csv_formula_guard(safe[i]));
	CHECK(!csv_formula_guard(NULL));

	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *f[] = { "=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "-5", "'=1", "'plain",
		"\tt", "=code" };
	/* Columns 0 to 5 are text; column 6 is a code and keeps its '='. */
	csv_write_row_guarded(&out, f, 7, 0x3Fu);
	CHECK_STR(out.s, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(1),'-5,''=1,'plain,"
		  "\"'\tt\",=code\n");
	/* No column marked: csv_write_row(). */
	buf_reset(&out);
	csv_write_row_guarded(&out, f, 2, 0);
	CHECK_STR(out.s, "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",@SUM(1)\n");

	/* Read back and unguarded: the original text. */
	buf_reset(&out);
	csv_write_row_guarded(&out, f, 7, 0x3Fu);
	struct csv_reader *r = csv_reader_new(out.s, out.len);
	struct csv_row row;
	CHECK_EQ(csv_read_row(r, &row, &err), 1);
	CHECK_EQ(row.n, 7);
	for (size_t i = 0; i < 6 && i < row.n; i++) {
		CHECK_EQ(csv_unguard(row.fields[i]), csv_formula_guard(f[i]));
		CHECK_STR(row.fields[i], f[i]);
	}
	csv_reader_free(r);

	char a[] = "'plain", b[] = "''", c[] = "'", d[] = "=x", e[] = "'''-";
	CHECK_EQ(csv_unguard(a), 0);
	CHECK_STR(a, "'plain");
	CHECK_EQ(csv_unguard(b), 0);
	CHECK_STR(b, "''");
	CHECK_EQ(csv_unguard(c), 0);
	CHECK_STR(c, "'");
	CHECK_EQ(csv_unguard(d), 0);
	CHECK_STR(d, "=x");
	CHECK_EQ(csv_unguard(e), 1);
	CHECK_STR(e, "''-");
	CHECK_EQ(csv_unguard(NULL), 0);
	buf_release(&out);
	buf_release(&err);
}

int main(void)
{
	test_basic();
	test_bom_and_sep();
	test_quotes();
	test_crlf();
	test_broken();
	test_nul();
	test_many_fields();
	test_writer();
	test_round_trip();
	test_formula_guard();
	return T_DONE();
}
