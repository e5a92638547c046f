/*
 * test_html.c — the HTML writer: html_escape() of every special character,
 * and the report page for a hand-built achievement and funnel report under
 * Vietnamese and English: numbers and dates in the reader's format, report
 * text escaped (a <b> injection in a unit name never reaches the page raw),
 * the bar chart with its 100% line and a scale past 100%, the funnel chart,
 * and nothing loaded from outside the page. The Vietnamese page is also
 * written to report-test.html in the build directory (or $KN_BUILD) for a
 * look in a browser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/report.h"
#include "io/html.h"
#include "util/date.h"
#include "util/i18n.h"
#include "t.h"
#include "util/banned.h"

static const struct rcol ach_cols[] = {
	{ "unit", "Đơn vị", RC_CODE, 0 },
	{ "name", "Tên", RC_TEXT, 0 },
	{ "depth", "Cấp", RC_INT, 0 },
	{ "quota", "Chỉ tiêu", RC_INT, 0 },
	{ "admitted", "Kết nạp", RC_INT, 0 },
	{ "percent", "Tỷ lệ", RC_PERCENT, 0 },
	{ "met", "Đạt", RC_YESNO, 0 },
};

static const struct rcol fun_cols[] = {
	{ "step", "Bước", RC_CODE, 0 },
	{ "reached", "Số hồ sơ", RC_INT, 0 },
	{ "conversion", "% bước trước", RC_PERCENT, 1 },
};

#define NULLC { 1, 0, 0, NULL, NULL, 0 }
#define TXT(s) { 0, 0, 0, (char *)(s), NULL, 0 }
#define NUM(n) { 0, (n), 0, NULL, NULL, 0 }
/* A code with the words people read instead (report.c sets them). */
#define LAB(s, l) { 0, 0, 0, (char *)(s), (char *)(l), 0 }

static struct rcell ach_cells[] = {
	TXT("CT"), TXT("Thành ủy Cần Thơ"), NUM(0), NUM(2100), NUM(2669), NUM(1271), NUM(1),
	TXT("CT.BT"), TXT("Quận ủy Bình Thủy <b>x</b>"), NUM(1), NUM(300), NUM(250), NUM(833), NUM(0),
	TXT("CT.BT.BTH"), TXT("Đảng ủy phường Bình Thủy"), NUM(2), NUM(50), NUM(60), NUM(1200), NUM(1),
	TXT("CT.CR"), TXT("Huyện ủy Cờ Đỏ & 'Thới Lai'"), NUM(1), NUM(400), NUM(417), NUM(1043), NUM(1),
	TXT("CT.NK"), TXT("Quận ủy Ninh Kiều"), NUM(1), NULLC, NUM(40), NULLC, NULLC,
};
static int ach_depth[] = { 0, 1, 2, 1, 1 };

static struct rcell fun_cells[] = {
	LAB("source", "tạo nguồn"), NUM(3120), NULLC,
	LAB("trained", "học lớp nhận thức về Đảng"), NUM(2950), NUM(946),
	LAB("applied", "nộp đơn"), NUM(2801), NUM(949),
	LAB("verified", "thẩm tra lý lịch"), NUM(2764), NUM(987),
	LAB("introduced", "giới thiệu"), NUM(2740), NUM(991),
	LAB("cell_vote", "chi bộ xét, đề nghị kết nạp"), NUM(2702), NUM(986),
	LAB("committee_vote", "đảng ủy cơ sở xét, đề nghị"), NUM(2688), NUM(995),
	LAB("decision", "quyết định kết nạp"), NUM(2669), NUM(993),
	LAB("ceremony", "lễ kết nạp"), NUM(2650), NUM(993),
	TXT("official"), NUM(12), NUM(5),
};


static void fill(struct report *a, struct report *f)
{
	memset(a, 0, sizeof(*a));
	a->kind = REPORT_ACHIEVEMENT;
	a->name = "achievement";
	a->title = (char *)"Kết quả kết nạp đảng viên năm 2011";
	a->unit = (char *)"CT";
	a->unit_name = (char *)"Thành ủy Cần Thơ";
	a->from = date_from_ymd(2011, 1, 1);
	a->to = date_from_ymd(2011, 12, 31);
	a->as_of = date_from_ymd(2012, 1, 15);
	a->ncols = sizeof(ach_cols) / sizeof(ach_cols[0]);
	a->cols = ach_cols;
	a->nrows = sizeof(ach_depth) / sizeof(ach_depth[0]);
	a->rows = ach_cells;
	a->depth = ach_depth;
	a->summary = (char *)"Năm 2011 toàn Đảng bộ kết nạp 2.669 đảng viên, đạt 127,1% chỉ tiêu.\n\n"
		"Đơn vị <i>chưa đạt</i>: 1.";

	memset(f, 0, sizeof(*f));
	f->kind = REPORT_FUNNEL;
	f->name = "funnel";
	f->title = (char *)"Các bước kết nạp năm 2011";
	f->unit = a->unit;
	f->unit_name = a->unit_name;
	f->from = a->from;
	f->to = a->to;
	f->as_of = a->as_of;
	f->ncols = 3;
	f->cols = fun_cols;
	f->nrows = sizeof(fun_cells) / sizeof(fun_cells[0]) / 3;
	f->rows = fun_cells;
}

static int has(const char *page, const char *s)
{
	return strstr(page, s) != NULL;
}

static int count(const char *page, const char *s)
{
	int n = 0;

	for (const char *p = strstr(page, s); p; p = strstr(p + 1, s))
		n++;
	return n;
}

static void test_escape(void)
{
	struct buf b = BUF_INIT;

	html_escape(&b, "<script>alert(\"x\")</script> & 'q'");
	CHECK_STR(b.s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
	buf_reset(&b);
	html_escape(&b, "Nguyễn Văn Đức");
	CHECK_STR(b.s, "Nguyễn Văn Đức");
	buf_reset(&b);
	html_escape(&b, NULL);
	html_escape(&b, "");
	CHECK_STR(b.s, "");
	html_escape(&b, "&&");
	CHECK_STR(b.s, "&amp;&amp;");
	buf_release(&b);
}

/* What both languages share: structure, escaping, charts, no outside
 * resources. */
static void check_common(const char *page)
{
	CHECK(strncmp(page, "<!DOCTYPE html>\n", 16) == 0);
	CHECK(has(page, "<meta charset=\"utf-8\">"));
	CHECK(has(page, "@page { size: A4; margin: 15mm }"));
	CHECK(has(page, "break-inside: avoid"));
	/* The injection attempt is escaped; no raw <b> anywhere. */
	CHECK(has(page, "Quận ủy Bình Thủy &lt;b&gt;x&lt;/b&gt;"));
	CHECK(!has(page, "<b>"));
	CHECK(has(page, "Cờ Đỏ &amp; &#39;Thới Lai&#39;"));
	CHECK(!has(page, "<i>"));
	CHECK(has(page, "Đơn vị &lt;i&gt;"));
	CHECK(count(page, "<p class=\"summary\">") == 2);
	/* One chart per report. */
	CHECK_EQ(count(page, "<svg"), 2);
	CHECK_EQ(count(page, "</svg>"), 2);
	/* The 100% line, dashed, labelled. */
	CHECK(has(page, "<line class=\"target\""));
	CHECK(has(page, ">100%</text>"));
	CHECK(has(page, "stroke-dasharray"));
	/* The bars: the unit and its children with a percent (not CT.BT.BTH
	 * at depth 2, not CT.NK without a quota): two met, one not. */
	CHECK_EQ(count(page, "<rect class=\"met\""), 2);
	CHECK_EQ(count(page, "<rect class=\"unmet\""), 1);
	/* 127,1% reaches past 100%: the scale goes to 150%. */
	CHECK(has(page, ">150%</text>"));
	CHECK(!has(page, ">175%</text>"));
	/* Funnel: one bar per step. */
	CHECK_EQ(count(page, "<rect class=\"step\""), 10);
	/* Depth shows as indentation, not as a column. */
	CHECK(!has(page, "<th class=\"num\">Cấp</th>"));
	CHECK(has(page, "<tr class=\"d0\">"));
	CHECK(has(page, "padding-left:1.7em"));
	CHECK(has(page, "padding-left:2.9em"));
	/* A null cell is empty. */
	CHECK(has(page, "<td class=\"num\"></td><td></td></tr>"));
	/* Self-contained. */
	CHECK(!has(page, "<script"));
	CHECK(!has(page, "src="));
	CHECK(!has(page, "href="));
	CHECK(!has(page, "@import"));
	CHECK(has(page, "</html>\n"));
}

static void write_page(const char *page)
{
	const char *dir = getenv("KN_BUILD");
	struct buf path = BUF_INIT;
	FILE *f;

	buf_addf(&path, "%s/report-test.html", dir && *dir ? dir : ".");
	f = fopen(path.s, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(page, f);
		CHECK(fclose(f) == 0);
	}
	buf_release(&path);
}

static void test_page(void)
{
	struct report a, f;
	struct report *both[2] = { &a, &f };
	struct buf b = BUF_INIT;

	fill(&a, &f);

	CHECK_EQ(i18n_init("vi"), 0);
	report_write_html(both, 2, &b);
	check_common(b.s);
	CHECK(has(b.s, "<html lang=\"vi\">"));
	CHECK(has(b.s, "<title>Kết quả kết nạp đảng viên năm 2011</title>"));
	CHECK(has(b.s, "<h1>Kết quả kết nạp đảng viên năm 2011</h1>"));
	CHECK(has(b.s, "<h2>Các bước kết nạp năm 2011</h2>"));
	CHECK(has(b.s, "01/01/2011&ndash;31/12/2011"));
	CHECK(has(b.s, "15/01/2012"));
	CHECK(has(b.s, "<td class=\"num\">127,1%</td>"));
	CHECK(has(b.s, ">127,1%</text>"));
	CHECK(has(b.s, ">83,3%</text>"));
	CHECK(has(b.s, "<td class=\"num\">2.669</td>"));
	CHECK(has(b.s, "<td class=\"num\">2.100</td>"));
	CHECK(!has(b.s, "127.1"));
	CHECK(!has(b.s, "2,669"));
	/* Codes show as their labels, in the table and the chart; a code
	 * without a label as itself. Columns for people only are shown. */
	CHECK(has(b.s, "<td>lễ kết nạp</td>"));
	CHECK(has(b.s, "lễ kết nạp</text>"));
	CHECK(!has(b.s, ">ceremony<"));
	CHECK(has(b.s, "<td>official</td>"));
	CHECK(has(b.s, "<th class=\"num\">% bước trước</th>"));
	CHECK(has(b.s, "<td class=\"num\">94,6%</td>"));
	CHECK(has(b.s, ">3.120</text>"));
	/* The count of a narrow bar sits beside it, of a wide one inside. */
	CHECK(has(b.s, "<text class=\"inbar\""));
	CHECK(has(b.s, ">12</text>"));
	CHECK_EQ(count(b.s, "<text class=\"inbar\""), 9);
	write_page(b.s);

	buf_reset(&b);
	CHECK_EQ(i18n_init("en"), 0);
	report_write_html(both, 2, &b);
	check_common(b.s);
	CHECK(has(b.s, "<html lang=\"en\">"));
	CHECK(has(b.s, "<td class=\"num\">127.1%</td>"));
	CHECK(has(b.s, ">127.1%</text>"));
	CHECK(has(b.s, "<td class=\"num\">2,669</td>"));
	CHECK(!has(b.s, "127,1%</td>"));
	CHECK(has(b.s, "<td class=\"num\">94.6%</td>"));
	CHECK(has(b.s, ">quota met"));
	CHECK(has(b.s, ">no</td>"));

	/* One report: no second heading; no report at all: still a page. */
	CHECK_EQ(count(b.s, "<h2>"), 1);
	buf_reset(&b);
	report_write_html(both, 1, &b);
	CHECK(!has(b.s, "<h2>"));
	CHECK_EQ(count(b.s, "<svg"), 1);
	buf_reset(&b);
	report_write_html(NULL, 0, &b);
	CHECK(has(b.s, "<h1>Report</h1>"));
	CHECK(has(b.s, "</html>\n"));
	buf_release(&b);
}

int main(void)
{
	test_escape();
	test_page();
	return T_DONE();
}
