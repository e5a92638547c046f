/*
 * test_import.c — the importer's value parsers (booleans, sex, structure
 * categories) and import_csv() against an in-memory-sized SQLite file:
 * header mapping, every problem reported by line, all-or-nothing, and the
 * no-op re-import. The end-to-end behaviour is in tests/cli/import.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/export.h"
#include "io/import.h"
#include "store/store.h"
#include "util/i18n.h"
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
	char path[] = "/tmp/test_import_XXXXXX";
	int fd = mkstemp(path);
	struct store *s = NULL;
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct import_stats st;
	int from, to;

	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	/* $KN_TEST_DB_URL: a fresh, empty database (PostgreSQL) instead. */
	const char *url = getenv("KN_TEST_DB_URL");
	CHECK_EQ(store_open(url && *url ? url : path, 1, &s, &err), KN_OK);
	if (!s)
		return;
	CHECK_EQ(store_migrate(s, &from, &to), KN_OK);

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

	store_close(s);
	unlink(path);
	buf_release(&err);
	buf_release(&out);
}

int main(void)
{
	i18n_init("en");
	test_parsers();
	test_import();
	return T_DONE();
}
