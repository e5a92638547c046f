/*
 * test_svc.c — the service layer's decisions (core/svc.h) on a real
 * database: SQLite in a fresh mkdtemp directory, or the fresh database
 * of $KN_TEST_DB_URL (PostgreSQL, `make test-pg`).
 *
 * Two subtrees: P (province) > P-H (upper, may admit) > P-G1 (đảng bộ
 * cơ sở) > P-G1-C1 (cell), and Q (province) > Q-G > Q-G-C. The candidate
 * X001 and the members M001, M002 are in P-G1-C1; the candidate Q001 and
 * the member QM01 in Q-G-C. What is checked is the authorisation matrix
 * of one function instead of every handler: a person outside the actor's
 * subtree is "not found" exactly like an unknown ref, and nothing is
 * written for them; an editor may not record a decision nor give an
 * override, and an approver may override only from a unit strictly above
 * the candidate's; a stale version token or version number is a conflict
 * and writes nothing; a referenced person outside the scope is reported
 * as an unknown one; the command line without an account sees everything.
 * "Today" is pinned to 2024-06-30. Expected values are written by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "t.h"
#include "util/banned.h"

static char dir[64];
static struct store *s;
static struct calendar *cal;

static const struct actor editor_g1 = { "ed.g1", "P-G1", ROLE_EDITOR };
static const struct actor approver_c1 = { "ap.c1", "P-G1-C1", ROLE_APPROVER };
static const struct actor approver_g1 = { "ap.g1", "P-G1", ROLE_APPROVER };
static const struct actor approver_h = { "ap.h", "P-H", ROLE_APPROVER };
static const struct actor admin_q = { "ad.q", "Q", ROLE_ADMIN };

static kn_date D(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void put_unit(const char *code, const char *parent, enum unit_kind kind, int may_admit)
{
	struct unit u;
	int ch;
	memset(&u, 0, sizeof(u));
	u.code = (char *)code;
	u.parent = (char *)parent;
	u.name = (char *)code;
	u.kind = kind;
	u.may_admit = may_admit;
	CHECK_EQ(store_unit_put(s, &u, &ch), KN_OK);
}

static void put_person(const char *ref, const char *unit, kn_date birth, kn_date member)
{
	struct person p;
	int ch;
	person_init(&p);
	p.ref = (char *)ref;
	p.full_name = (char *)ref;
	p.sex = 'F';
	p.birth_date = birth;
	p.unit = (char *)unit;
	p.education = "12/12";
	p.member_since = member;
	p.official_since = member != KN_DATE_NONE ? member + 365 : KN_DATE_NONE;
	CHECK_EQ(store_person_put(s, &p, ref, &ch), KN_OK);
}

static int setup(void)
{
	struct buf err = BUF_INIT;
	char path[128];
	int from, to;
	size_t n;
	const struct policy_row *rows = policy_default_rows(&n);

	snprintf(dir, sizeof(dir), "/tmp/kn-test-svc-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/ketnap.db", dir);
	const char *url = getenv("KN_TEST_DB_URL");
	if (!url || !*url)
		url = path;
	if (store_open(url, 1, &s, &err) != KN_OK || store_migrate(s, &from, &to) != KN_OK) {
		fprintf(stderr, "cannot create %s: %s\n", url, err.s);
		buf_release(&err);
		return -1;
	}
	buf_release(&err);
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(store_policy_put(s, &rows[i]), KN_OK);
	put_unit("P", NULL, UNIT_PROVINCE, 0);
	put_unit("P-H", "P", UNIT_UPPER, 1);
	put_unit("P-G1", "P-H", UNIT_GRASSROOTS, 0);
	put_unit("P-G1-C1", "P-G1", UNIT_CELL, 0);
	put_unit("Q", NULL, UNIT_PROVINCE, 1);
	put_unit("Q-G", "Q", UNIT_GRASSROOTS, 0);
	put_unit("Q-G-C", "Q-G", UNIT_CELL, 0);
	put_person("X001", "P-G1-C1", D(2000, 2, 2), KN_DATE_NONE);
	put_person("M001", "P-G1-C1", D(1980, 1, 1), D(2009, 1, 1));
	put_person("M002", "P-G1-C1", D(1981, 1, 1), D(2008, 1, 1));
	put_person("Q001", "Q-G-C", D(1999, 3, 3), KN_DATE_NONE);
	put_person("QM01", "Q-G-C", D(1979, 4, 4), D(2005, 1, 1));
	cal = calendar_new();
	setenv("KETNAP_TODAY", "2024-06-30", 1);
	return 0;
}

static void teardown(void)
{
	char path[160];
	static const char *const files[] = { "ketnap.db", "ketnap.db-wal", "ketnap.db-shm" };
	store_close(s);
	calendar_free(cal);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static long long audit_count(void)
{
	long long n = -1;
	CHECK_EQ(store_audit_count(s, &n), KN_OK);
	return n;
}

static long long step_count(const char *ref)
{
	struct person p;
	struct candidacy *c;
	size_t nc;
	long long n = 0;
	if (store_person_get(s, ref, &p) != KN_OK)
		return -1;
	if (store_candidacies_of(s, p.id, &c, &nc) == KN_OK) {
		for (size_t i = 0; i < nc; i++)
			n += (long long)c[i].nsteps;
		store_candidacies_free(c, nc);
	}
	person_release(&p);
	return n;
}

static int has_code(const struct violations *v, const char *code)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].code, code) == 0)
			return 1;
	return 0;
}

/* svc_step() as actor a (NULL: the command line without an account). */
static enum kn_err step_as(const struct actor *a, struct svc_step_req *req,
			   struct svc_step_res *res)
{
	static const struct actor local = { "local", NULL, ROLE_ADMIN };
	struct svc sv;
	enum kn_err e;
	svc_init(&sv, s, cal, a ? a : &local, a == NULL, NULL);
	e = svc_step(&sv, req, res);
	svc_release(&sv);
	return e;
}

static struct svc_step_req req_for(const char *ref, struct step *st)
{
	struct svc_step_req r;
	memset(&r, 0, sizeof(r));
	r.ref = ref;
	r.st = st;
	r.expect_version = -1;
	return r;
}

static void test_find(void)
{
	struct svc sv;
	struct person p;

	svc_init(&sv, s, cal, &editor_g1, 0, NULL);
	CHECK_EQ(svc_person_find(&sv, "X001", &p), KN_OK);
	CHECK_STR(p.unit, "P-G1-C1");
	person_release(&p);
	/* Outside the subtree: not found, as an unknown ref is. */
	CHECK_EQ(svc_person_find(&sv, "Q001", &p), KN_ENOTFOUND);
	CHECK(p.ref == NULL && p.unit == NULL);
	CHECK_EQ(svc_person_find(&sv, "NOBODY", &p), KN_ENOTFOUND);
	CHECK_EQ(svc_person_find(&sv, "", &p), KN_ENOTFOUND);
	CHECK_EQ(svc_may_see(&sv, "P-G1-C1"), 1);
	CHECK_EQ(svc_may_see(&sv, "P-H"), 0);
	CHECK_EQ(svc_may_see(&sv, "Q-G-C"), 0);
	CHECK_EQ(svc_may_see(&sv, "NO-UNIT"), 0);
	svc_release(&sv);

	svc_init(&sv, s, cal, &admin_q, 0, NULL);
	CHECK_EQ(svc_person_find(&sv, "Q001", &p), KN_OK);
	person_release(&p);
	CHECK_EQ(svc_person_find(&sv, "X001", &p), KN_ENOTFOUND);
	svc_release(&sv);

	/* The command line without an account: every unit. */
	struct actor local = { "local", NULL, ROLE_ADMIN };
	svc_init(&sv, s, cal, &local, 1, NULL);
	CHECK_EQ(svc_person_find(&sv, "Q001", &p), KN_OK);
	person_release(&p);
	CHECK_EQ(svc_person_find(&sv, "X001", &p), KN_OK);
	person_release(&p);
	CHECK_EQ(svc_may_override(&sv, "P-G1-C1"), 1);
	svc_release(&sv);
}

static void test_scope(void)
{
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	long long a = audit_count();

	/* The administrator of Q may not record for a person of P: not found,
	 * and nothing written. */
	step_init(&st);
	st.code = STEP_SOURCE;
	st.date = D(2023, 1, 10);
	st.org = xstrdup("youth_union");
	req = req_for("X001", &st);
	CHECK_EQ(step_as(&admin_q, &req, &res), KN_ENOTFOUND);
	CHECK(res.person.ref == NULL);
	svc_step_res_release(&res);
	/* A check neither. */
	req.check = 1;
	CHECK_EQ(step_as(&admin_q, &req, &res), KN_ENOTFOUND);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 0);
	CHECK_EQ(audit_count(), a);

	/* The editor of P-G1 may. */
	req = req_for("X001", &st);
	req.result = 1;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_OK);
	CHECK_EQ(res.outcome, LEDGER_RECORDED);
	CHECK_EQ(res.v.n, 0);
	CHECK_EQ(res.nc, 1);
	CHECK(res.version > 0);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 1);
	CHECK_EQ(audit_count(), a + 1);
	step_release(&st);
}

static void test_roles(void)
{
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	long long a = audit_count();

	/* An editor may not record a decision. */
	step_init(&st);
	st.code = STEP_DECISION;
	st.date = D(2024, 6, 1);
	st.doc_no = xstrdup("1-QĐ/ĐU");
	req = req_for("X001", &st);
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_EPERM);
	CHECK_EQ(res.deny, SVC_DENY_RECORD);
	CHECK_EQ(res.may_record, 0);
	svc_step_res_release(&res);
	/* It may check it, and learn that it may not record it. */
	req.check = 1;
	CHECK(step_as(&editor_g1, &req, &res) != KN_EPERM);
	CHECK_EQ(res.may_record, 0);
	svc_step_res_release(&res);
	/* The approver of the committee names a deciding committee outside
	 * its subtree: refused as a fact. */
	free(st.org);
	st.org = xstrdup("Q-G");
	req = req_for("X001", &st);
	CHECK_EQ(step_as(&approver_h, &req, &res), KN_EINVAL);
	CHECK_EQ(res.deny, SVC_HIDDEN_ORG);
	svc_step_res_release(&res);
	step_release(&st);

	/* An editor may not give an override reason at all. */
	step_init(&st);
	st.code = STEP_APPLIED;
	st.date = D(2023, 2, 1);
	st.override = xstrdup("hồ sơ nộp trước khi học lớp");
	req = req_for("X001", &st);
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_EPERM);
	CHECK_EQ(res.deny, SVC_DENY_OVERRIDE);
	CHECK_EQ(res.may_record, 1);
	CHECK_EQ(res.may_override, 0);
	svc_step_res_release(&res);
	/* Nor the approver of the candidate's own cell: not above it. */
	CHECK_EQ(step_as(&approver_c1, &req, &res), KN_EPERM);
	CHECK_EQ(res.deny, SVC_DENY_OVERRIDE);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 1);
	CHECK_EQ(audit_count(), a);
	/* The approver of P-G1, above the cell, may: recorded with the rule
	 * it broke. */
	CHECK_EQ(step_as(&approver_g1, &req, &res), KN_OK);
	CHECK_EQ(res.v.n, 1);
	CHECK(has_code(&res.v, "KN-ORDER"));
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 2);
	CHECK_EQ(audit_count(), a + 1);
	step_release(&st);
}

static void test_versions(void)
{
	struct svc sv;
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct buf token = BUF_INIT;
	int64_t open_version, version;
	long long a = audit_count();

	svc_init(&sv, s, cal, &editor_g1, 0, NULL);
	CHECK_EQ(svc_person_find(&sv, "X001", &p), KN_OK);
	CHECK_EQ(store_candidacies_of(s, p.id, &cs, &nc), KN_OK);
	CHECK_EQ(nc, 1);
	CHECK_EQ(svc_version_token(&sv, cs, nc, &token, &open_version), KN_OK);
	CHECK_EQ(svc_latest_version(&sv, cs, nc, &version), KN_OK);
	CHECK_EQ(open_version, version);
	svc_release(&sv);

	step_init(&st);
	st.code = STEP_TRAINED;
	st.date = D(2023, 3, 1);
	st.doc_no = xstrdup("CN-0001");
	/* A form drawn for another state of the candidacy. */
	req = req_for("X001", &st);
	req.use_token = 1;
	req.token = "1:0";
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_ECONFLICT);
	CHECK_EQ(res.stale, 1);
	svc_step_res_release(&res);
	/* No token at all is stale too. */
	req.token = NULL;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_ECONFLICT);
	svc_step_res_release(&res);
	/* A client that saw another version: told the current one. */
	req = req_for("X001", &st);
	req.expect_version = version + 5;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_ECONFLICT);
	CHECK_EQ(res.stale, 1);
	CHECK_EQ(res.version, version);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 2);
	CHECK_EQ(audit_count(), a);

	/* The current token: recorded, and the version moved on. */
	req = req_for("X001", &st);
	req.use_token = 1;
	req.token = token.s;
	req.result = 1;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_OK);
	CHECK(res.version != version);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 3);
	/* The same token again is now stale. */
	st.date = D(2023, 3, 2);
	req.result = 0;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_ECONFLICT);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 3);
	/* Input the front end found wrong: answered after the version, and
	 * nothing written. */
	req = req_for("X001", &st);
	req.invalid = 1;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_EINVAL);
	CHECK_EQ(res.deny, SVC_ALLOWED);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 3);
	step_release(&st);
	store_candidacies_free(cs, nc);
	person_release(&p);
	buf_release(&token);
}

static void test_hidden_refs(void)
{
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;

	/* A mentor from the other subtree is an unknown person, whether the
	 * service says so (the command line) or the ledger does. */
	step_init(&st);
	st.code = STEP_MENTOR;
	st.date = D(2023, 3, 5);
	st.member = xstrdup("QM01");
	req = req_for("X001", &st);
	req.hidden_refs = 1;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_EINVAL);
	CHECK_STR(res.err.s, "member: no person with ref QM01; import the member first\n");
	svc_step_res_release(&res);
	req.hidden_refs = 0;
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_EINVAL);
	CHECK_STR(res.err.s, "member: no person with ref QM01; import the member first\n");
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 3);
	/* One of the actor's own members is fine. */
	free(st.member);
	st.member = xstrdup("M001");
	CHECK_EQ(step_as(&editor_g1, &req, &res), KN_OK);
	svc_step_res_release(&res);
	CHECK_EQ(step_count("X001"), 4);
	/* The command line without an account sees QM01. */
	free(st.member);
	st.member = xstrdup("QM01");
	st.date = D(2023, 3, 6);
	req.hidden_refs = 1;
	req.check = 1;
	CHECK(step_as(NULL, &req, &res) != KN_EINVAL);
	CHECK_STR(res.err.s, "");
	svc_step_res_release(&res);
	step_release(&st);
}

int main(void)
{
	i18n_init("en");
	if (setup() != 0)
		return 1;
	test_find();
	test_scope();
	test_roles();
	test_versions();
	test_hidden_refs();
	teardown();
	return T_DONE();
}
