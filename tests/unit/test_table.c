/*
 * test_table.c — unit tests for util/table: column widths by display width
 * (Vietnamese text, decomposed marks, wide characters), right alignment of
 * numbers, the underlined header, no trailing spaces, copies of cells,
 * a table streamed (measured, then rendered a row at a time).
 * Expected output is written out by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "util/buf.h"
#include "util/table.h"
#include "util/banned.h"

static void test_vietnamese(void)
{
	static const char *const head[] = { "STT", "Họ và tên", "Điểm" };
	struct table *t = table_new(3);
	struct buf out = BUF_INIT;
	char cell[16];

	table_header(t, head);
	table_align_right(t, 0);
	table_align_right(t, 2);
	table_row(t, (const char *const[]){ "1", "Nguyễn Văn Đức", "2.669" });
	/* "Ánh" decomposed: A + combining acute. */
	table_row(t, (const char *const[]){ "2", "Lê Thị A\xcc\x81nh", "127,1" });
	/* Cells are copied: reusing the caller's storage changes nothing. */
	memcpy(cell, "10", 3);
	table_row(t, (const char *const[]){ cell, "Võ Thị Hà", "5" });
	memcpy(cell, "99", 3);
	CHECK_EQ(table_nrows(t), 3);
	table_render(t, &out);
	CHECK_STR(out.s,
		  "STT  Họ và tên        Điểm\n"
		  "---  --------------  -----\n"
		  "  1  Nguyễn Văn Đức  2.669\n"
		  "  2  Lê Thị A\xcc\x81nh      127,1\n"
		  " 10  Võ Thị Hà           5\n");
	table_free(t);
	buf_release(&out);
}

static void test_trailing(void)
{
	static const char *const head[] = { "Mã", "Tên", "Ghi chú" };
	struct table *t = table_new(3);
	struct buf out = BUF_INIT;

	table_header(t, head);
	table_row(t, (const char *const[]){ "A1", "Đảng bộ xã", "" });
	table_row(t, (const char *const[]){ "B22", NULL, NULL });
	table_row(t, (const char *const[]){ "C", "Chi bộ\tthôn 3", "mới\nlập" });
	table_render(t, &out);
	CHECK_STR(out.s,
		  "Mã   Tên            Ghi chú\n"
		  "---  -------------  -------\n"
		  "A1   Đảng bộ xã\n"
		  "B22\n"
		  "C    Chi bộ thôn 3  mới lập\n");
	table_free(t);
	buf_release(&out);
}

static void test_wide_and_plain(void)
{
	struct table *t = table_new(2);
	struct buf out = BUF_INIT;

	/* No header: no underline. Wide characters count two columns. */
	table_row(t, (const char *const[]){ "漢字", "x" });
	table_row(t, (const char *const[]){ "abcde", "y" });
	table_render(t, &out);
	CHECK_STR(out.s,
		  "漢字   x\n"
		  "abcde  y\n");
	table_free(t);
	buf_release(&out);

	/* Nothing at all renders nothing; a header alone renders itself. */
	t = table_new(1);
	table_render(t, &out);
	CHECK_STR(out.s, "");
	table_header(t, (const char *const[]){ "Số" });
	table_header(t, (const char *const[]){ "Tổng" });	/* replaces */
	table_render(t, &out);
	CHECK_STR(out.s, "Tổng\n----\n");
	table_free(t);
	table_free(NULL);
	buf_release(&out);
}

/* Streamed (issue 13): every row measured, none kept, then rendered a
 * row at a time as table_render() would have; a control character in a
 * cell is a space there too. */
static void test_streamed(void)
{
	static const char *const head[] = { "STT", "Họ và tên", "Điểm" };
	static const char *const rows[][3] = {
		{ "1", "Nguyễn Văn Đức", "2.669" },
		{ "2", "Lê\tThị Ánh", "127,1" },
		{ "10", "Võ Thị Hà", "5" },
	};
	struct table *t = table_new(3);
	struct buf out = BUF_INIT;

	table_header(t, head);
	table_align_right(t, 0);
	table_align_right(t, 2);
	for (size_t i = 0; i < 3; i++)
		table_widen(t, rows[i]);
	CHECK_EQ(table_nrows(t), 0);
	table_render_head(t, &out);
	for (size_t i = 0; i < 3; i++)
		table_render_row(t, rows[i], &out);
	CHECK_STR(out.s,
		  "STT  Họ và tên        Điểm\n"
		  "---  --------------  -----\n"
		  "  1  Nguyễn Văn Đức  2.669\n"
		  "  2  Lê Thị Ánh      127,1\n"
		  " 10  Võ Thị Hà           5\n");
	table_free(t);
	buf_release(&out);
}

int main(void)
{
	test_vietnamese();
	test_trailing();
	test_wide_and_plain();
	test_streamed();
	return T_DONE();
}
