/*
 * test_svc_import.c — the subtree check of an import (core/svc_import.h)
 * on a small organisation: X (province) with the districts X.A and X.B,
 * a ward X.A.W under X.A, a person in X.A.W and one in X.B. An admin of
 * X.A imports; every row reaching outside X.A is named by its line and
 * column, the rest is left to the importer. The front ends' words are
 * tested end to end (tests/cli/cli_user.sh, web_admin.sh, web_api.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/svc_import.h"
#include "io/import.h"
#include "store/store.h"
#include "util/i18n.h"
#include "t.h"
#include "util/banned.h"

static const char units_csv[] =
	"code,parent,name,kind\n"
	"X,,Tỉnh X,province\n"
	"X.A,X,Quận A,upper\n"
	"X.B,X,Quận B,upper\n"
	"X.A.W,X.A,Phường W,grassroots\n";

static const char people_csv[] =
	"ref,full_name,sex,birth_date,unit\n"
	"P1,Nguyễn Văn Một,M,2000-01-01,X.A.W\n"
	"P2,Trần Thị Hai,F,2001-02-02,X.B\n";

static struct svc_import_problems check(const struct svc_import_scope *sc, enum io_kind k,
					const char *csv, enum kn_err want)
{
	struct svc_import_problems p = { 0 };
	CHECK_EQ(svc_import_check(sc, k, csv, strlen(csv), &p), want);
	return p;
}

#define PROBLEM(p, i, ln, col, w, val) do { \
	CHECK((p).n > (i)); \
	if ((p).n > (i)) { \
		CHECK_EQ((p).v[i].line, ln); \
		CHECK_STR((p).v[i].column, col); \
		CHECK_EQ((p).v[i].why, w); \
		CHECK_STR((p).v[i].value, val); \
	} } while (0)

static void test_check(struct store *s)
{
	struct unit *u;
	size_t n;
	struct unitree t;
	struct actor admin = { "a", "X.A", ROLE_ADMIN };
	struct actor editor = { "e", "X.A", ROLE_EDITOR };
	struct actor top = { "r", "X", ROLE_ADMIN };
	struct actor gone = { "g", "X.Z", ROLE_ADMIN };
	struct svc_import_scope sc = { s, &t, &admin, 0 };
	struct svc_import_problems p;
	struct buf msg = BUF_INIT;

	CHECK_EQ(store_unit_all(s, &u, &n), KN_OK);
	CHECK_EQ(n, 4);
	unitree_build(&t, u, n);

	/* units.csv: line 2 new under X.A (fine); 3 X.B itself; 4 X.A
	 * moved; 5 no parent; 6 under X.B; 7 under 8, which is under X.B;
	 * 9 under a code nobody knows (the importer's). Header in another
	 * case, as the importer reads it. */
	p = check(&sc, IO_UNITS,
		  " Code ,PARENT,name,kind\n"
		  "X.A.N,X.A,Mới,cell\n"
		  "X.B,X,Quận B,upper\n"
		  "X.A,X.B,Quận A,upper\n"
		  "X.A.R,,Gốc,cell\n"
		  "X.A.S,X.B,Sai,cell\n"
		  "X.A.T,X.A.U,Qua,cell\n"
		  "X.A.U,X.B,Cầu,cell\n"
		  "X.A.V,NO.SUCH,Lạ,cell\n", KN_OK);
	CHECK_EQ(p.n, 6);
	PROBLEM(p, 0, 3, "code", SVC_IMPORT_UNIT_ELSEWHERE, "X.B");
	PROBLEM(p, 1, 4, "parent", SVC_IMPORT_OWN_UNIT_MOVED, "X.A");
	PROBLEM(p, 2, 5, "parent", SVC_IMPORT_NO_PARENT, "X.A.R");
	PROBLEM(p, 3, 6, "parent", SVC_IMPORT_PARENT_ELSEWHERE, "X.B");
	PROBLEM(p, 4, 7, "parent", SVC_IMPORT_PARENT_ELSEWHERE, "X.A.U");
	PROBLEM(p, 5, 8, "parent", SVC_IMPORT_PARENT_ELSEWHERE, "X.B");
	svc_import_describe(&sc, &p.v[0], &msg);
	CHECK_STR(msg.s, "unit X.B belongs to another part of the organisation; you administer "
		  "X.A and the units below it");
	buf_reset(&msg);
	svc_import_describe(&sc, &p.v[3], &msg);
	CHECK_STR(msg.s, "X.B is not X.A or a unit below it");
	svc_import_problems_release(&p);
	CHECK_EQ(p.n, 0);

	/* An unknown parent, answered as one outside (the JSON API). */
	sc.unknown_as_outside = 1;
	p = check(&sc, IO_UNITS, "code,parent\nX.A.V,NO.SUCH\nX.A.T,X.A.U\nX.A.U,X.A\n", KN_OK);
	CHECK_EQ(p.n, 1);
	PROBLEM(p, 0, 2, "parent", SVC_IMPORT_PARENT_ELSEWHERE, "NO.SUCH");
	svc_import_problems_release(&p);
	sc.unknown_as_outside = 0;

	/* people.csv: P1 (X.A.W) moved within; P2 (X.B) named; a new
	 * person put in X.B; an unknown unit (the importer's). */
	p = check(&sc, IO_PEOPLE,
		  "ref,unit\nP1,X.A\nP2,X.A.W\nP3,X.B\nP4,NO.SUCH\n", KN_OK);
	CHECK_EQ(p.n, 2);
	PROBLEM(p, 0, 3, "ref", SVC_IMPORT_PERSON_ELSEWHERE, "P2");
	PROBLEM(p, 1, 4, "unit", SVC_IMPORT_UNIT_OUTSIDE, "X.B");
	buf_reset(&msg);
	svc_import_describe(&sc, &p.v[0], &msg);
	CHECK_STR(msg.s, "P2 is a person of another part of the organisation, outside X.A");
	svc_import_problems_release(&p);
	sc.unknown_as_outside = 1;
	p = check(&sc, IO_PEOPLE, "ref,unit\nP4,NO.SUCH\n", KN_OK);
	PROBLEM(p, 0, 2, "unit", SVC_IMPORT_UNIT_OUTSIDE, "NO.SUCH");
	svc_import_problems_release(&p);
	sc.unknown_as_outside = 0;

	/* quotas.csv */
	p = check(&sc, IO_QUOTAS, "unit,year,target\nX.A.W,2026,3\nX,2026,9\n", KN_OK);
	CHECK_EQ(p.n, 1);
	PROBLEM(p, 0, 3, "unit", SVC_IMPORT_UNIT_OUTSIDE, "X");
	svc_import_problems_release(&p);

	/* steps.csv: a decision by a committee outside; an editor may not
	 * record a decision; a person outside is the importer's (as an
	 * unknown ref). */
	static const char steps[] =
		"person,step,date,org\n"
		"P1,decision,2026-01-05,X.B\n"
		"P1,decision,2026-01-05,X.A\n"
		"P2,trained,2026-01-05,\n"
		"P1,trained,2026-01-05,\n";
	p = check(&sc, IO_STEPS, steps, KN_OK);
	CHECK_EQ(p.n, 1);
	PROBLEM(p, 0, 2, "org", SVC_IMPORT_ORG_ELSEWHERE, "X.B");
	svc_import_problems_release(&p);
	sc.actor = &editor;
	p = check(&sc, IO_STEPS, steps, KN_OK);
	CHECK_EQ(p.n, 3);
	PROBLEM(p, 0, 2, "step", SVC_IMPORT_STEP_REFUSED, "P1");
	PROBLEM(p, 1, 2, "org", SVC_IMPORT_ORG_ELSEWHERE, "X.B");
	PROBLEM(p, 2, 3, "step", SVC_IMPORT_STEP_REFUSED, "P1");
	buf_reset(&msg);
	svc_import_describe(&sc, &p.v[0], &msg);
	CHECK_STR(msg.s, "e, editor of X.A, may not record decision for P1");
	svc_import_problems_release(&p);

	/* holidays: a top unit's; the roles an import needs. */
	p = check(&sc, IO_HOLIDAYS, "date,workday,name\n2026-01-02,0,Nghỉ\n", KN_OK);
	CHECK_EQ(p.n, 1);
	PROBLEM(p, 0, 1, "header", SVC_IMPORT_HOLIDAYS, "");
	svc_import_problems_release(&p);
	CHECK(!svc_import_holidays_ok(&sc));
	sc.actor = &top;
	CHECK(svc_import_holidays_ok(&sc));
	p = check(&sc, IO_HOLIDAYS, "date,workday,name\n2026-01-02,0,Nghỉ\n", KN_OK);
	CHECK_EQ(p.n, 0);
	CHECK_EQ(svc_import_role(IO_UNITS), ROLE_ADMIN);
	CHECK_EQ(svc_import_role(IO_QUOTAS), ROLE_APPROVER);
	CHECK_EQ(svc_import_role(IO_PEOPLE), ROLE_EDITOR);
	CHECK_EQ(svc_import_role(IO_STEPS), ROLE_EDITOR);

	/* An account whose unit is gone; a file without a header. */
	sc.actor = &gone;
	p = check(&sc, IO_PEOPLE, "ref,unit\nP2,X.B\n", KN_EPERM);
	CHECK_EQ(p.n, 0);
	sc.actor = &admin;
	p = check(&sc, IO_PEOPLE, "", KN_OK);
	CHECK_EQ(p.n, 0);

	buf_release(&msg);
	unitree_free(&t);
}

int main(void)
{
	char path[] = "/tmp/test_svc_import_XXXXXX";
	int fd = mkstemp(path);
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	struct import_opts o = { .actor = "test" };
	struct import_stats st;
	int from, to;

	i18n_init("en");
	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	const char *url = getenv("KN_TEST_DB_URL");
	CHECK_EQ(store_open(url && *url ? url : path, 1, &s, &err), KN_OK);
	if (!s)
		return T_DONE();
	CHECK_EQ(store_migrate(s, &from, &to), KN_OK);
	CHECK_EQ(import_csv(s, IO_UNITS, "u.csv", units_csv, strlen(units_csv), &o, &st, &err),
		 KN_OK);
	CHECK_EQ(import_csv(s, IO_PEOPLE, "p.csv", people_csv, strlen(people_csv), &o, &st, &err),
		 KN_OK);
	CHECK_STR(err.s, "");
	test_check(s);
	store_close(s);
	unlink(path);
	buf_release(&err);
	return T_DONE();
}
