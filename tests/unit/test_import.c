/*
 * test_import.c — the importer's value parsers (booleans, sex, structure
 * categories) and import_csv() against a small fresh store (fixture.h:
 * SQLite, or PostgreSQL with $KN_TEST_DB_URL): header mapping, every
 * problem reported by line, all-or-nothing, and the no-op re-import. The
 * end-to-end behaviour is in tests/cli/import.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/export.h"
#include "io/import.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

static void test_parsers(void)
{
	int b = -1;
	char sex = 0;

	CHECK_EQ(import_parse_bool("1", &b), 0);
	CHECK_EQ(b, 1);
	CHECK_EQ(import_parse_bool("không", &b), 0);
	CHECK_EQ(b, 0);
	CHECK_EQ(import_parse_bool("Có", &b), 0);
	CHECK_EQ(b, 1);
	CHECK_EQ(import_parse_bool("NO", &b), 0);
	CHECK_EQ(b, 0);
	CHECK_EQ(import_parse_bool("2", &b), -1);
	CHECK_EQ(import_parse_bool("", &b), -1);
	CHECK_EQ(import_parse_sex("Nữ", &sex), 0);
	CHECK_EQ(sex, 'F');
	CHECK_EQ(import_parse_sex("nam", &sex), 0);
	CHECK_EQ(sex, 'M');
	CHECK_EQ(import_parse_sex("f", &sex), 0);
	CHECK_EQ(sex, 'F');
	CHECK_EQ(import_parse_sex("X", &sex), -1);
	CHECK(import_category_valid("ethnic_minority"));
	CHECK(import_category_valid("total"));
	CHECK(!import_category_valid("Total"));
	CHECK(!import_category_valid(NULL));
}

static enum kn_err imp(struct store *s, enum io_kind k, const char *csv, int dry,
		       struct import_stats *st, struct buf *err)
{
	struct import_opts o = { .dry_run = dry, .actor = "test" };
	buf_reset(err);
	return import_csv(s, k, "f.csv", csv, strlen(csv), &o, st, err);
}

static void test_import(void)
{
	struct fx fx;
	struct store *s;
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct import_stats st;

	if (fx_open(&fx, "import") != 0)
		return;
	s = fx.s;

	/* Children before their parents; columns in any order. */
	CHECK_EQ(imp(s, IO_UNITS, "kind,name,parent,code\n"
		     "cell,Chi bộ 1,X.G,X.G.C1\n"
		     "grassroots,Đảng bộ G,X,X.G\n"
		     "province,Tỉnh X,,X\n", 0, &st, &err), KN_OK);
	CHECK_STR(err.s, "");
	CHECK_EQ(st.rows, 3);
	CHECK_EQ(st.added, 3);
	CHECK_EQ(export_csv(s, IO_UNITS, &out), KN_OK);
	CHECK_STR(out.s, "code,parent,name,kind,may_admit,sector,special_area\n"
		  "X,,Tỉnh X,province,0,,0\n"
		  "X.G,X,Đảng bộ G,grassroots,0,,0\n"
		  "X.G.C1,X.G,Chi bộ 1,cell,0,,0\n");

	/* The same file again changes nothing; a changed name updates. */
	CHECK_EQ(imp(s, IO_UNITS, "code,parent,name,kind\nX,,Tỉnh X,province\n", 0, &st, &err),
		 KN_OK);
	CHECK_EQ(st.unchanged, 1);
	CHECK_EQ(imp(s, IO_UNITS, "code,parent,name,kind\nX,,Tỉnh Y,province\n", 0, &st, &err),
		 KN_OK);
	CHECK_EQ(st.updated, 1);

	/* Every problem, by line; nothing written. */
	CHECK_EQ(imp(s, IO_QUOTAS, "unit,year,target,category\n"
		     "X,2024,10,\n"
		     "X,20x4,10,total\n"
		     "Y,2024,-1,female\n"
		     "X,2024,12,\n", 0, &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:3: year: 20x4 is not a whole number from 0 to 2200\n"
		  "f.csv:4: unit: no unit Y in the database; import the units first\n"
		  "f.csv:4: target: -1 is not a whole number from 0 to 1000000000\n"
		  "f.csv:5: unit: the quota of X for 2024 (total) is also on line 2\n");
	CHECK_EQ(st.problems, 4);
	buf_reset(&out);
	CHECK_EQ(export_csv(s, IO_QUOTAS, &out), KN_OK);
	CHECK_STR(out.s, "unit,year,category,target\n");

	/* A dry run validates and writes nothing. */
	CHECK_EQ(imp(s, IO_HOLIDAYS, "date,name\n01/09/2025,Quốc khánh\n", 1, &st, &err), KN_OK);
	CHECK_EQ(st.added, 1);
	buf_reset(&out);
	CHECK_EQ(export_csv(s, IO_HOLIDAYS, &out), KN_OK);
	CHECK_STR(out.s, "date,workday,name\n");
	CHECK_EQ(imp(s, IO_HOLIDAYS, "date,name\n01/09/2025,Quốc khánh\n", 0, &st, &err), KN_OK);
	buf_reset(&out);
	CHECK_EQ(export_csv(s, IO_HOLIDAYS, &out), KN_OK);
	CHECK_STR(out.s, "date,workday,name\n2025-09-01,0,Quốc khánh\n");

	/* An empty file names the problem. */
	CHECK_EQ(imp(s, IO_PEOPLE, "", 0, &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:1: header: the file is empty; the first line must name the columns\n");

	/* The header is checked against the kind before any row is read: a
	 * missing column is one line, naming the kind the file looks like. */
	CHECK_EQ(imp(s, IO_PEOPLE, "code,parent,name,kind\nA,,Tỉnh A,province\nB,A,B,cell\n", 0,
		     &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:1: missing columns \"ref\", \"full_name\", \"sex\", "
		  "\"birth_date\", \"unit\" (this looks like a units file: did you mean import "
		  "units?)\n");
	CHECK_EQ(st.rows, 0);
	CHECK_EQ(imp(s, IO_HOLIDAYS, "workday,name\n0,a\n0,b\n", 0, &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:1: missing column \"date\" (a holidays file needs the columns "
		  "date)\n");
	CHECK_EQ(imp(s, IO_HOLIDAYS, "person,step,date\nP,source,2025-01-01\n", 0, &st, &err),
		 KN_EINVAL);
	CHECK_STR(err.s, "f.csv:1: unknown columns \"person\", \"step\" (this looks like a steps "
		  "file: did you mean import steps?)\n");
	CHECK_EQ(imp(s, IO_UNITS, "\xff\xfe,x\n1,2\n", 0, &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:1: header: the column names are not UTF-8 text; is this a CSV "
		  "file? Save the spreadsheet as \"CSV UTF-8\"\n");
	/* A header of the right kind and no row: nothing to do. */
	CHECK_EQ(imp(s, IO_QUOTAS, "unit,year,target\n", 0, &st, &err), KN_OK);
	CHECK_EQ(st.rows, 0);
	/* import_check_header(): the same verdict, without a database. */
	buf_reset(&err);
	CHECK_EQ(import_check_header(IO_STEPS, "g.csv", "unit,year,target\n", 17, &err),
		 KN_EINVAL);
	CHECK_STR(err.s, "g.csv:1: missing columns \"person\", \"step\", \"date\" (this looks "
		  "like a quotas file: did you mean import quotas?)\n");
	buf_reset(&err);
	CHECK_EQ(import_check_header(IO_QUOTAS, "g.csv", "unit,year,target,typo\n", 21, &err),
		 KN_OK);
	CHECK_STR(err.s, "");

	fx_close(&fx);
	buf_release(&err);
	buf_release(&out);
}

/* Limits, control characters and the formula guard of free text. */
static void test_limits(void)
{
	struct fx fx;
	struct store *s;
	struct buf err = BUF_INIT, out = BUF_INIT, csv = BUF_INIT;
	struct import_stats st;

	if (fx_open(&fx, "import") != 0)
		return;
	s = fx.s;
	CHECK_EQ(imp(s, IO_UNITS, "code,parent,name,kind\nX,,Tỉnh X,province\n", 0, &st, &err),
		 KN_OK);

	/* A 65-character ref, a 201-character name, a 50,000-character note
	 * (over the whole-field cap: counted, not normalised), an escape
	 * sequence in a name; a 64-character ref and a 200-character name
	 * are accepted. */
	buf_adds(&csv, "ref,full_name,sex,birth_date,unit,note\n");
	for (int i = 0; i < 65; i++)
		buf_addc(&csv, 'R');
	buf_adds(&csv, ",A,M,2000-01-01,X,\n2,");
	for (int i = 0; i < 201; i++)
		buf_adds(&csv, "ễ");
	buf_adds(&csv, ",M,2000-01-01,X,\n3,B,M,2000-01-01,X,");
	for (int i = 0; i < 50000; i++)
		buf_addc(&csv, 'n');
	buf_adds(&csv, "\n4,Tên\x1b[31m đỏ,F,2000-01-01,X,\n5,C,F,2000-01-01,X,\xc2\x9b" "1m\n");
	CHECK_EQ(imp(s, IO_PEOPLE, csv.s, 0, &st, &err), KN_EINVAL);
	CHECK_STR(err.s,
		  "f.csv:2: ref: 65 characters, longer than the 64 allowed in this column; shorten it\n"
		  "f.csv:3: full_name: 201 characters, longer than the 200 allowed in this column; "
		  "shorten it\n"
		  "f.csv:4: note: 50000 characters, longer than the 2000 allowed in this column; "
		  "shorten it\n"
		  "f.csv:5: full_name: contains a control character (U+001B); remove it\n"
		  "f.csv:6: note: contains a control character (U+009B); remove it\n");
	buf_reset(&csv);
	buf_adds(&csv, "ref,full_name,sex,birth_date,unit,note\n0");
	for (int i = 0; i < 63; i++)
		buf_addc(&csv, 'R');
	buf_adds(&csv, ",");
	for (int i = 0; i < 200; i++)
		buf_adds(&csv, "ễ");
	buf_adds(&csv, ",M,2000-01-01,X,\"dòng 1\ndòng 2\tcột\"\n");
	CHECK_EQ(imp(s, IO_PEOPLE, csv.s, 0, &st, &err), KN_OK);
	CHECK_STR(err.s, "");
	CHECK_EQ(st.added, 1);

	/* Invalid UTF-8 in any column is named. */
	CHECK_EQ(imp(s, IO_PEOPLE, "ref,full_name,sex,birth_date,unit,phone\n"
		     "P\xff,A,M,2000-01-01,X,\n"
		     "P2,A,M,2000-01-01,X,09\xe1\x80\n", 0, &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:2: ref: not valid UTF-8 text; save the file as UTF-8\n"
		  "f.csv:3: phone: not valid UTF-8 text; save the file as UTF-8\n");

	/* The formula guard: a leading "'" before text that begins with
	 * = + - @ (or more quotes and one of those) is removed on import,
	 * nowhere else; export puts it back. */
	CHECK_EQ(imp(s, IO_PEOPLE, "ref,full_name,sex,birth_date,unit,note,phone\n"
		     "F1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",M,2000-01-01,X,'@SUM(1),'+84 90\n"
		     "F2,''=1,F,2000-01-01,X,'plain,'-\n"
		     "F3,=2,F,2000-01-01,X,it's,\n", 0, &st, &err), KN_OK);
	CHECK_STR(err.s, "");
	buf_reset(&out);
	CHECK_EQ(export_csv(s, IO_PEOPLE, &out), KN_OK);
	const char *f1 = strstr(out.s, "\nF1,");
	CHECK(f1 != NULL);
	if (f1)
		CHECK_STR(f1 + 1, "F1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",M,2000-01-01,X,,,,,,"
			  "0,0,,,'+84 90,'@SUM(1),,,,0\n"
			  "F2,''=1,F,2000-01-01,X,,,,,,0,0,,,'-,'plain,,,,0\n"
			  "F3,'=2,F,2000-01-01,X,,,,,,0,0,,,,it's,,,,0\n");
	/* Stored without the guard. */
	struct person p;
	if (store_person_get(s, "F1", &p) == KN_OK) {
		CHECK_STR(p.full_name, "=HYPERLINK(\"http://x\",\"y\")");
		CHECK_STR(p.note, "@SUM(1)");
		person_release(&p);
	} else {
		CHECK(0);
	}
	if (store_person_get(s, "F2", &p) == KN_OK) {
		CHECK_STR(p.full_name, "'=1");
		CHECK_STR(p.note, "'plain");
		person_release(&p);
	} else {
		CHECK(0);
	}
	/* Export -> import -> export: the same bytes, nothing changed. */
	char *first = xstrdup(out.s);
	CHECK_EQ(imp(s, IO_PEOPLE, first, 0, &st, &err), KN_OK);
	CHECK_EQ(st.added + st.updated, 0);
	buf_reset(&out);
	CHECK_EQ(export_csv(s, IO_PEOPLE, &out), KN_OK);
	CHECK_STR(out.s, first);
	free(first);

	fx_close(&fx);
	buf_release(&err);
	buf_release(&out);
	buf_release(&csv);
}

/* may_override: who is asked, and a refused row writes nothing. */
struct ovr_ask {
	int answer;
	int asked;
	char unit[32];
};

static int ask_override(void *arg, const char *unit_code)
{
	struct ovr_ask *a = arg;
	a->asked++;
	snprintf(a->unit, sizeof(a->unit), "%s", unit_code ? unit_code : "(null)");
	return a->answer;
}

static void test_override(void)
{
	struct fx fx;
	struct store *s;
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct import_stats st;
	struct ovr_ask ask = { 0, 0, "" };
	struct import_opts o = { .actor = "test", .may_override = ask_override,
				 .may_override_arg = &ask };
	static const char late[] = "person,step,date,doc_no,override\n"
				   "C1,trained,2025-01-05,CN-1,Đồng ý của Thường vụ\n";
	static const char late_plain[] = "person,step,date,doc_no\n"
					 "C1,trained,2025-01-05,CN-1\n";

	if (fx_open(&fx, "import") != 0)
		return;
	s = fx.s;
	CHECK_EQ(imp(s, IO_UNITS, "code,parent,name,kind,may_admit\nX,,Tỉnh X,province,1\n"
		     "X.G,X,Đảng bộ G,grassroots,0\nX.G.C1,X.G,Chi bộ 1,cell,0\n", 0, &st, &err),
		 KN_OK);
	CHECK_EQ(imp(s, IO_PEOPLE, "ref,full_name,sex,birth_date,unit\n"
		     "C1,Lê Văn Một,M,2000-01-01,X.G.C1\n", 0, &st, &err), KN_OK);
	CHECK_EQ(imp(s, IO_STEPS, "person,step,date,org\nC1,source,2025-01-10,cell\n", 0, &st,
		     &err), KN_OK);
	CHECK_STR(err.s, "");

	/* Not allowed: the row with its own override is refused. */
	buf_reset(&err);
	CHECK_EQ(import_csv(s, IO_STEPS, "f.csv", late, strlen(late), &o, &st, &err), KN_EINVAL);
	CHECK_STR(err.s, "f.csv:2: override: only an approver or administrator of a unit above "
		  "X.G.C1 (the unit of C1) may record a step with an override; take the override "
		  "reason out, or ask one of them to import the file\n");
	CHECK_EQ(ask.asked, 1);
	CHECK_STR(ask.unit, "X.G.C1");
	CHECK_EQ(export_csv(s, IO_STEPS, &out), KN_OK);
	CHECK_STR(out.s, "person,step,date,doc_no,org,member,introducer1,introducer1_since,"
		  "introducer2,introducer2_since,votes_for,votes_total,consent,override,note\n"
		  "C1,source,2025-01-10,,cell,,,,,,,,,,\n");
	/* The same with opts->override (the command line's --override). */
	o.override = "Đồng ý của Thường vụ";
	buf_reset(&err);
	CHECK_EQ(import_csv(s, IO_STEPS, "f.csv", late_plain, strlen(late_plain), &o, &st, &err),
		 KN_EINVAL);
	CHECK(strstr(err.s, "f.csv:2: override: only an approver") == err.s);
	o.override = NULL;
	/* Without an override the rule refuses it as usual. */
	buf_reset(&err);
	CHECK_EQ(import_csv(s, IO_STEPS, "f.csv", late_plain, strlen(late_plain), &o, &st, &err),
		 KN_EINVAL);
	CHECK(strstr(err.s, "f.csv:2: step: KN-") == err.s);

	/* Allowed: recorded with its reason; a re-import by someone not
	 * allowed finds it unchanged and is not refused. */
	ask.answer = 1;
	buf_reset(&err);
	CHECK_EQ(import_csv(s, IO_STEPS, "f.csv", late, strlen(late), &o, &st, &err), KN_OK);
	CHECK_STR(err.s, "");
	CHECK_EQ(st.added, 1);
	ask.answer = 0;
	buf_reset(&err);
	CHECK_EQ(import_csv(s, IO_STEPS, "f.csv", late, strlen(late), &o, &st, &err), KN_OK);
	CHECK_STR(err.s, "");
	CHECK_EQ(st.unchanged, 1);
	/* No hook (a database without accounts): allowed. */
	o.may_override = NULL;
	buf_reset(&err);
	CHECK_EQ(import_csv(s, IO_STEPS, "f.csv", late, strlen(late), &o, &st, &err), KN_OK);

	fx_close(&fx);
	buf_release(&err);
	buf_release(&out);
}

int main(void)
{
	i18n_init("en");
	test_parsers();
	test_import();
	test_limits();
	test_override();
	return T_DONE();
}
