/*
 * test_xlsx.c — unit tests for io/xlsx: reports built by hand (no
 * database) are written to a workbook, which a real spreadsheet reader —
 * LibreOffice, headless — opens and exports sheet by sheet as CSV; the CSV
 * text of each sheet is compared with the expected text written out by
 * hand. The export writes values, not their formatting, so numbers come
 * back as 2669 and 127.1 and dates as LibreOffice prints a dd/mm/yyyy date.
 * Without soffice (scripts/deps.sh installs libreoffice-calc-nogui) the test
 * fails: a workbook no reader has opened is not tested.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"
#include "core/report.h"
#include "io/xlsx.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const struct rcol ach_cols[] = {
	{ "unit", "Mã đơn vị", RC_CODE, 0 },
	{ "name", "Tên đơn vị", RC_TEXT, 0 },
	{ "quota", "Chỉ tiêu", RC_INT, 0 },
	{ "admitted", "Đã kết nạp", RC_INT, 0 },
	{ "percent", "Tỷ lệ (%)", RC_PERCENT, 0 },
	{ "met", "Đạt chỉ tiêu", RC_YESNO, 0 },
	{ "last", "Ngày kết nạp gần nhất", RC_DATE, 1 },
};

static const struct rcol dl_cols[] = {
	{ "person", "Mã hồ sơ", RC_CODE, 0 },
	{ "full_name", "Họ và tên", RC_TEXT, 0 },
	{ "due", "Thời hạn", RC_CODE, 0 },
	{ "due_date", "Ngày đến hạn", RC_DATE, 0 },
	{ "workdays_left", "Số ngày làm việc còn lại", RC_INT, 0 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct report *new_report(enum report_kind kind, const char *name, const char *title,
				 const struct rcol *cols, size_t ncols, size_t nrows)
{
	struct report *r = xcalloc(1, sizeof(*r));

	r->kind = kind;
	r->name = name;
	r->title = xstrdup(title);
	r->unit = xstrdup("CT.BT");
	r->unit_name = xstrdup("Đảng bộ quận Bình Thủy");
	r->from = date_from_ymd(2011, 1, 1);
	r->to = date_from_ymd(2011, 12, 31);
	r->as_of = KN_DATE_NONE;
	r->ncols = ncols;
	r->cols = cols;
	r->nrows = nrows;
	r->rows = xcalloc(nrows * ncols + 1, sizeof(*r->rows));
	return r;
}

/* The test's own release: report_free() belongs to core/report.c. */
static void free_report(struct report *r)
{
	for (size_t i = 0; i < r->nrows * r->ncols; i++) {
		free(r->rows[i].text);
		free(r->rows[i].label);
	}
	free(r->rows);
	free(r->depth);
	free(r->title);
	free(r->unit);
	free(r->unit_name);
	free(r->summary);
	free(r);
}

static void set_text(struct report *r, size_t row, size_t col, const char *s)
{
	report_cell(r, row, col)->text = xstrdup(s);
}

static void set_num(struct report *r, size_t row, size_t col, long long v)
{
	report_cell(r, row, col)->num = v;
}

static void set_null(struct report *r, size_t row, size_t col)
{
	report_cell(r, row, col)->null = 1;
}

static void set_date(struct report *r, size_t row, size_t col, int y, int m, int d)
{
	report_cell(r, row, col)->date = date_from_ymd(y, m, d);
}

static void ach_row(struct report *r, size_t i, int depth, const char *code, const char *name,
		    long long quota, long long admitted, long long pct, int met)
{
	r->depth[i] = depth;
	set_text(r, i, 0, code);
	set_text(r, i, 1, name);
	if (quota < 0)
		set_null(r, i, 2);
	else
		set_num(r, i, 2, quota);
	set_num(r, i, 3, admitted);
	if (pct < 0)
		set_null(r, i, 4);
	else
		set_num(r, i, 4, pct);
	if (met < 0)
		set_null(r, i, 5);
	else
		set_num(r, i, 5, met);
}

/* The achievement of a district with its tree: 2669 of 2100 is 127.1 %;
 * a ward without a quota has no percentage and no "met"; a name with a
 * comma and quotes tests the reader's CSV quoting; a date before 1900
 * cannot be an Excel date and stays text. */
static struct report *achievement(void)
{
	struct report *r = new_report(REPORT_ACHIEVEMENT, "achievement",
				      "Kết quả kết nạp đảng viên năm 2011",
				      ach_cols, NELEM(ach_cols), 5);

	r->depth = xcalloc(5, sizeof(int));
	ach_row(r, 0, 0, "CT.BT", "Đảng bộ quận Bình Thủy", 2100, 2669, 1271, 1);
	set_date(r, 0, 6, 2011, 12, 30);
	ach_row(r, 1, 1, "CT.BT.01", "Đảng bộ phường An Thới", 40, 31, 775, 0);
	set_date(r, 1, 6, 2012, 1, 15);
	ach_row(r, 2, 1, "CT.BT.02", "Đảng bộ phường Bùi Hữu Nghĩa", -1, 12, -1, -1);
	set_null(r, 2, 6);
	ach_row(r, 3, 2, "CT.BT.02.01", "Chi bộ khu vực 3, \"Long Tuyền\"", 5, 5, 1000, 1);
	set_date(r, 3, 6, 1899, 2, 1);
	ach_row(r, 4, 1, "CT.BT.03", "Chi bộ Trường Đại học Cần Thơ", 1234567, 0, 0, 0);
	set_date(r, 4, 6, 1900, 3, 1);
	return r;
}

static struct report *deadlines(void)
{
	struct report *r = new_report(REPORT_DEADLINES, "deadlines", "Hồ sơ sắp đến hạn",
				      dl_cols, NELEM(dl_cols), 2);

	r->as_of = date_from_ymd(2011, 11, 20);
	set_text(r, 0, 0, "P-0042");
	set_text(r, 0, 1, "Nguyễn Thị Ánh");
	set_text(r, 0, 2, "DL-DECISION");
	report_cell(r, 0, 2)->label = xstrdup("Quyết định kết nạp");
	set_date(r, 0, 3, 2011, 11, 2);
	set_num(r, 0, 4, -12);
	set_text(r, 1, 0, "P-0007");
	set_text(r, 1, 1, "Trần Văn Đức");
	set_text(r, 1, 2, "DL-OFFICIAL");
	set_date(r, 1, 3, 2012, 2, 29);
	set_num(r, 1, 4, 68);
	return r;
}

static struct report *summary(void)
{
	struct report *r = new_report(REPORT_SUMMARY, "summary", "Tóm tắt kết quả năm 2011",
				      NULL, 0, 0);

	r->summary = xstrdup("Năm 2011, Đảng bộ quận Bình Thủy kết nạp 2.669 đảng viên, "
			     "đạt 127,1% chỉ tiêu. Cả 2 đảng bộ phường có chỉ tiêu đều đạt, "
			     "riêng phường An Thới đạt 77,5%.");
	return r;
}

/* A second achievement: its sheet must get a name of its own. */
static struct report *achievement2(void)
{
	struct report *r = new_report(REPORT_ACHIEVEMENT, "achievement",
				      "Kết quả kết nạp đảng viên năm 2011",
				      ach_cols, 4, 1);

	free(r->unit);
	free(r->unit_name);
	r->unit = xstrdup("CT.NK");
	r->unit_name = xstrdup("Đảng bộ quận Ninh Kiều");
	r->depth = xcalloc(1, sizeof(int));
	set_text(r, 0, 0, "CT.NK");
	set_text(r, 0, 1, "Đảng bộ quận Ninh Kiều");
	set_num(r, 0, 2, 3000);
	set_num(r, 0, 3, 2999);
	return r;
}

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static void check_sheet(const char *dir, const char *out, const char *sheet,
			const char *expected)
{
	struct buf path = BUF_INIT;
	char *got;

	buf_addf(&path, "%s/%s/report-%s.csv", dir, out, sheet);
	got = slurp(path.s);
	if (!got)
		fprintf(stderr, "test_xlsx: LibreOffice wrote no sheet \"%s\" (%s)\n", sheet,
			path.s);
	CHECK_STR(got, expected);
	free(got);
	buf_release(&path);
}

/* Convert DIR/report.xlsx with soffice to the format `to`, into DIR/out.
 * HOME points into the temporary directory so that LibreOffice creates its
 * profile there, and the locale is pinned (C: LibreOffice's en-US) so that
 * what it prints does not depend on who runs the test. Returns 0 or -1. */
static int convert(const char *dir, const char *to, const char *out)
{
	struct buf cmd = BUF_INIT;
	int rc;

	buf_addf(&cmd, "cd '%s' && env HOME='%s' LC_ALL=C.UTF-8 LANG=C.UTF-8 LANGUAGE= "
		 "timeout 120 soffice --headless --norestore --convert-to '%s' "
		 "--outdir '%s/%s' '%s/report.xlsx' >'%s/soffice.log' 2>&1",
		 dir, dir, to, dir, out, dir, dir);
	rc = system(cmd.s);
	buf_release(&cmd);
	if (rc != 0) {
		struct buf log = BUF_INIT;
		char *text;

		buf_addf(&log, "%s/soffice.log", dir);
		text = slurp(log.s);
		fprintf(stderr, "test_xlsx: FAIL: soffice exited with %d:\n%s\n", rc,
			text ? text : "");
		free(text);
		buf_release(&log);
		return -1;
	}
	return 0;
}

/* The left margin LibreOffice gives the cell whose text is `text` in the
 * flat ODF file fods: the fo:margin-left of the cell's style ("0in" when
 * the style has none, "" when the cell has no style), or NULL when the
 * cell is not there. The result is static. */
static const char *fods_margin(const char *fods, const char *text)
{
	static char margin[32];
	struct buf needle = BUF_INIT;
	const char *p, *cell, *name, *end, *style, *style_end;
	size_t len;

	buf_addf(&needle, "<text:p>%s</text:p>", text);
	p = strstr(fods, needle.s);
	buf_release(&needle);
	if (!p)
		return NULL;
	/* The last "<table:table-cell" before the text opens its cell. */
	for (cell = p; cell > fods && strncmp(cell, "<table:table-cell", 17) != 0; cell--)
		;
	end = strchr(cell, '>');
	name = strstr(cell, "table:style-name=\"");
	if (!name || !end || name > end)
		return "";
	name += 18;
	len = (size_t)(strchr(name, '"') - name);

	buf_adds(&needle, "<style:style style:name=\"");
	buf_add(&needle, name, len);
	buf_adds(&needle, "\"");
	style = strstr(fods, needle.s);
	buf_release(&needle);
	if (!style)
		return "(no style)";
	style_end = strstr(style, "</style:style>");
	p = strstr(style, "fo:margin-left=\"");
	if (!p || (style_end && p > style_end))
		return "0in";
	p += 16;
	len = (size_t)(strchr(p, '"') - p);
	if (len >= sizeof(margin))
		len = sizeof(margin) - 1;
	memcpy(margin, p, len);
	margin[len] = '\0';
	return margin;
}

static void check_values(const char *dir)
{
	/* The values, as LibreOffice exports them when not "as shown": numbers
	 * are numbers (2669, 127.1 — the percent, not a fraction), a real
	 * date comes out in the en-US date order (12/30/2011) while the date
	 * before 1900, which Excel cannot hold, stays the text 01/02/1899. */
	check_sheet(dir, "raw", "Kết quả kết nạp",
		"Kết quả kết nạp đảng viên năm 2011,,,,,,\n"
		"\"Đảng bộ quận Bình Thủy (CT.BT), 01/01/2011–31/12/2011\",,,,,,\n"
		"Mã đơn vị,Tên đơn vị,Chỉ tiêu,Đã kết nạp,Tỷ lệ (%),Đạt chỉ tiêu,"
		"Ngày kết nạp gần nhất\n"
		"CT.BT,Đảng bộ quận Bình Thủy,2100,2669,127.1,có,12/30/2011\n"
		"CT.BT.01,Đảng bộ phường An Thới,40,31,77.5,không,01/15/2012\n"
		"CT.BT.02,Đảng bộ phường Bùi Hữu Nghĩa,,12,,,\n"
		"CT.BT.02.01,\"Chi bộ khu vực 3, \"\"Long Tuyền\"\"\",5,5,100,có,01/02/1899\n"
		"CT.BT.03,Chi bộ Trường Đại học Cần Thơ,1234567,0,0,không,03/01/1900\n");
	check_sheet(dir, "raw", "Thời hạn",
		"Hồ sơ sắp đến hạn,,,,\n"
		"\"Đảng bộ quận Bình Thủy (CT.BT), 01/01/2011–31/12/2011, "
		"tính đến ngày 20/11/2011\",,,,\n"
		"Mã hồ sơ,Họ và tên,Thời hạn,Ngày đến hạn,Số ngày làm việc còn lại\n"
		"P-0042,Nguyễn Thị Ánh,Quyết định kết nạp,11/02/2011,-12\n"
		"P-0007,Trần Văn Đức,DL-OFFICIAL,02/29/2012,68\n");
	/* The paragraph is one merged cell: LibreOffice exports only A. */
	check_sheet(dir, "raw", "Tóm tắt",
		"Tóm tắt kết quả năm 2011\n"
		"\"Đảng bộ quận Bình Thủy (CT.BT), 01/01/2011–31/12/2011\"\n"
		"\"Năm 2011, Đảng bộ quận Bình Thủy kết nạp 2.669 đảng viên, đạt 127,1% "
		"chỉ tiêu. Cả 2 đảng bộ phường có chỉ tiêu đều đạt, riêng phường An Thới "
		"đạt 77,5%.\"\n");
	check_sheet(dir, "raw", "Kết quả kết nạp (2)",
		"Kết quả kết nạp đảng viên năm 2011,,,\n"
		"\"Đảng bộ quận Ninh Kiều (CT.NK), 01/01/2011–31/12/2011\",,,\n"
		"Mã đơn vị,Tên đơn vị,Chỉ tiêu,Đã kết nạp\n"
		"CT.NK,Đảng bộ quận Ninh Kiều,3000,2999\n");
}

static void check_shown(const char *dir)
{
	/* "As shown": the number formats at work — #,##0 (with the en-US
	 * separator of the pinned locale; a Vietnamese Excel shows 2.669),
	 * 0.0 and dd/mm/yyyy. */
	check_sheet(dir, "shown", "Kết quả kết nạp",
		"Kết quả kết nạp đảng viên năm 2011,,,,,,\n"
		"\"Đảng bộ quận Bình Thủy (CT.BT), 01/01/2011–31/12/2011\",,,,,,\n"
		"Mã đơn vị,Tên đơn vị,Chỉ tiêu,Đã kết nạp,Tỷ lệ (%),Đạt chỉ tiêu,"
		"Ngày kết nạp gần nhất\n"
		"CT.BT,Đảng bộ quận Bình Thủy,\"2,100\",\"2,669\",127.1,có,30/12/2011\n"
		"CT.BT.01,Đảng bộ phường An Thới,40,31,77.5,không,15/01/2012\n"
		"CT.BT.02,Đảng bộ phường Bùi Hữu Nghĩa,,12,,,\n"
		"CT.BT.02.01,\"Chi bộ khu vực 3, \"\"Long Tuyền\"\"\",5,5,100.0,có,01/02/1899\n"
		"CT.BT.03,Chi bộ Trường Đại học Cần Thơ,\"1,234,567\",0,0.0,không,01/03/1900\n");
	check_sheet(dir, "shown", "Thời hạn",
		"Hồ sơ sắp đến hạn,,,,\n"
		"\"Đảng bộ quận Bình Thủy (CT.BT), 01/01/2011–31/12/2011, "
		"tính đến ngày 20/11/2011\",,,,\n"
		"Mã hồ sơ,Họ và tên,Thời hạn,Ngày đến hạn,Số ngày làm việc còn lại\n"
		"P-0042,Nguyễn Thị Ánh,Quyết định kết nạp,02/11/2011,-12\n"
		"P-0007,Trần Văn Đức,DL-OFFICIAL,29/02/2012,68\n");
}

/* The tree by indentation: LibreOffice turns the Excel indent level into
 * a left margin, one step per level. */
static void check_indent(const char *dir)
{
	struct buf path = BUF_INIT;
	char *fods;

	buf_addf(&path, "%s/flat/report.fods", dir);
	fods = slurp(path.s);
	CHECK(fods != NULL);
	if (fods) {
		CHECK_STR(fods_margin(fods, "CT.BT"), "");
		CHECK_STR(fods_margin(fods, "CT.BT.01"), "0.1457in");
		CHECK_STR(fods_margin(fods, "CT.BT.02"), "0.1457in");
		CHECK_STR(fods_margin(fods, "CT.BT.02.01"), "0.2917in");
		CHECK_STR(fods_margin(fods, "CT.BT.03"), "0.1457in");
		/* Only the first text column is indented. */
		CHECK_STR(fods_margin(fods, "Đảng bộ phường An Thới"), "");
	}
	free(fods);
	buf_release(&path);
}

static void test_workbook(const char *dir)
{
	struct report *reports[4] = { achievement(), deadlines(), summary(), achievement2() };
	struct buf path = BUF_INIT, err = BUF_INIT;
	static const char csv[] = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,";

	buf_addf(&path, "%s/report.xlsx", dir);
	CHECK_EQ(report_write_xlsx(reports, 4, path.s, &err), KN_OK);
	CHECK_STR(err.s, "");

	/* Every sheet to FILE-SheetName.csv (the last option, -1). */
	buf_reset(&path);
	buf_addf(&path, "%sfalse,false,false,-1", csv);
	if (system("command -v soffice >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_xlsx: FAIL: soffice not found; a spreadsheet reader is "
			"needed to read the workbook back (install libreoffice-calc-nogui: "
			"scripts/deps.sh)\n");
		CHECK(!"soffice is installed");
	} else {
		if (convert(dir, path.s, "raw") == 0)
			check_values(dir);
		else
			CHECK(!"LibreOffice read the workbook (values)");
		buf_reset(&path);
		buf_addf(&path, "%strue,false,false,-1", csv);
		if (convert(dir, path.s, "shown") == 0)
			check_shown(dir);
		else
			CHECK(!"LibreOffice read the workbook (as shown)");
		if (convert(dir, "fods", "flat") == 0)
			check_indent(dir);
		else
			CHECK(!"LibreOffice read the workbook (fods)");
	}

	for (size_t i = 0; i < 4; i++)
		free_report(reports[i]);
	buf_release(&err);
	buf_release(&path);
}

static void test_errors(const char *dir)
{
	struct report *r = deadlines();
	struct buf path = BUF_INIT, err = BUF_INIT;

	buf_addf(&path, "%s/no/such/dir/report.xlsx", dir);
	CHECK_EQ(report_write_xlsx(&r, 1, path.s, &err), KN_EIO);
	CHECK(strstr(err.s, "không ghi được") != NULL);
	CHECK(strstr(err.s, "no/such/dir/report.xlsx") != NULL);

	buf_reset(&err);
	CHECK_EQ(report_write_xlsx(&r, 0, path.s, &err), KN_EINVAL);
	CHECK(err.len > 0);

	free_report(r);
	buf_release(&err);
	buf_release(&path);
}

int main(void)
{
	char dir[] = "/tmp/kn-xlsx-XXXXXX";
	struct buf cmd = BUF_INIT;

	i18n_init("vi");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_workbook(dir);
	test_errors(dir);

	if (!getenv("KN_KEEP_TMP")) {
		buf_addf(&cmd, "rm -rf '%s'", dir);
		if (system(cmd.s) != 0)
			fprintf(stderr, "test_xlsx: could not remove %s\n", dir);
	} else {
		fprintf(stderr, "test_xlsx: kept %s\n", dir);
	}
	buf_release(&cmd);
	return T_DONE();
}
