/*
 * fixture.c — the unit tests' shared set-up: a fresh store on either
 * backend, a unit tree from a spec, people, a candidacy with its steps.
 * What each function gives is in fixture.h.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "core/model.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

void fx_url_with_db(const char *url, const char *db, char *out, size_t n)
{
	const char *auth = strstr(url, "://");
	const char *slash, *query;

	auth = auth ? auth + 3 : url;
	slash = strchr(auth, '/');
	query = strchr(auth, '?');
	if (!slash || (query && slash > query))
		slash = query ? query : auth + strlen(auth);
	snprintf(out, n, "%.*s/%s%s", (int)(slash - url), url, db, query ? query : "");
}

void fx_path(const struct fx *fx, const char *file, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", fx->dir, file);
}

/* Run sql on the database of url; 0 when it went through. */
static int pg_exec(const char *url, const char *sql, char *db, size_t ndb)
{
	PGconn *c = PQconnectdb(url);
	PGresult *r;
	int ok;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "fixture: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	if (db)
		snprintf(db, ndb, "%s", PQdb(c));
	r = PQexec(c, "SET client_min_messages = warning");
	PQclear(r);
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "fixture: %s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

/* A new, empty database next to the one of $KN_TEST_DB_URL. */
static int pg_fresh(struct fx *fx)
{
	static int seq;
	char base[64], sql[256];

	if (pg_exec(fx->pgbase, "SELECT 1", base, sizeof(base)) != 0)
		return -1;
	if (strlen(base) > 50) {
		fprintf(stderr, "fixture: database name %s too long to add to\n", base);
		return -1;
	}
	snprintf(fx->pgdb, sizeof(fx->pgdb), "%s_fx%d", base, ++seq);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", fx->pgdb);
	if (pg_exec(fx->pgbase, sql, NULL, 0) != 0)
		return -1;
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", fx->pgdb);
	if (pg_exec(fx->pgbase, sql, NULL, 0) != 0)
		return -1;
	fx_url_with_db(fx->pgbase, fx->pgdb, fx->pgurl, sizeof(fx->pgurl));
	return 0;
}

int fx_init(struct fx *fx, const char *name)
{
	const char *env = getenv("KN_TEST_DB_URL");

	memset(fx, 0, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/kn-test-%s-XXXXXX", name);
	CHECK(mkdtemp(fx->dir) != NULL);
	if (access(fx->dir, W_OK) != 0) {
		perror(fx->dir);
		fx->dir[0] = '\0';
		return -1;
	}
	fx_path(fx, "ketnap.db", fx->file, sizeof(fx->file));
	fx->url = fx->file;
	if (env && *env && strncmp(env, "postgres", 8) == 0) {
		fx->pg = 1;
		snprintf(fx->pgbase, sizeof(fx->pgbase), "%s", env);
		fx->url = fx->pgurl;
		int made = pg_fresh(fx) == 0;
		CHECK(made);
		if (!made) {
			fx->pgdb[0] = '\0';
			fx_close(fx);
			return -1;
		}
		return 0;
	}
	if (env && *env)
		snprintf(fx->file, sizeof(fx->file), "%s", env);	/* an SQLite file named */
	return 0;
}

int fx_open(struct fx *fx, const char *name)
{
	struct buf err = BUF_INIT;
	int from = -1, to = -1;

	if (fx_init(fx, name) != 0)
		return -1;
	CHECK_EQ(store_open(fx->url, 1, &fx->s, &err), KN_OK);
	if (!fx->s) {
		fprintf(stderr, "fixture: cannot open %s: %s\n", fx->url, err.s);
		buf_release(&err);
		fx_close(fx);
		return -1;
	}
	buf_release(&err);
	CHECK_EQ(store_migrate(fx->s, &from, &to), KN_OK);
	if (to != store_latest_version()) {
		fprintf(stderr, "fixture: cannot migrate %s: %s\n", fx->url,
			store_errmsg(fx->s));
		fx_close(fx);
		return -1;
	}
	return 0;
}

void fx_close(struct fx *fx)
{
	DIR *d;
	struct dirent *e;
	char p[600];

	if (fx->s)
		store_close(fx->s);
	fx->s = NULL;
	if (fx->pg && fx->pgdb[0]) {
		snprintf(p, sizeof(p), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", fx->pgdb);
		pg_exec(fx->pgbase, p, NULL, 0);
		fx->pgdb[0] = '\0';
	}
	if (!fx->dir[0])
		return;
	if ((d = opendir(fx->dir))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
				fx_path(fx, e->d_name, p, sizeof(p));
				unlink(p);
			}
		closedir(d);
	}
	rmdir(fx->dir);
	fx->dir[0] = '\0';
}

/* ---- units ---- */

struct unit fx_unit_of(const char *code, const char *parent, enum unit_kind kind,
		       int may_admit)
{
	struct unit u;
	memset(&u, 0, sizeof(u));
	u.code = (char *)code;
	u.parent = (char *)parent;
	u.name = (char *)code;
	u.kind = kind;
	u.may_admit = may_admit;
	return u;
}

/* Die on a spec that is not one (a mistake in the test). */
static void bad_spec(const char *what, const char *word, const char *spec)
{
	fprintf(stderr, "fixture: %s%s in \"%s\"\n", what, word, spec);
	abort();
}

struct unit *fx_unit_array(const char *spec, size_t *n)
{
	char *copy = xstrdup(spec), *chain, *next_chain, *node, *next_node;
	struct unit *u = xcalloc(1, sizeof(*u));

	*n = 0;
	for (chain = copy; chain; chain = next_chain) {
		const char *parent = NULL;
		if ((next_chain = strchr(chain, ';')))
			*next_chain++ = '\0';
		for (node = chain; node; node = next_node) {
			char *w[6];
			int nw = 0;
			if ((next_node = strchr(node, '>')))
				*next_node++ = '\0';
			for (char *t = node; *t && nw < 6;) {	/* the words */
				while (*t == ' ')
					*t++ = '\0';
				if (*t)
					w[nw++] = t;
				while (*t && *t != ' ')
					t++;
			}
			if (nw == 0)
				bad_spec("an empty unit", "", spec);
			if (nw > 1) {	/* a unit, not only a parent's code */
				struct unit *x;
				u = xreallocarray(u, *n + 1, sizeof(*u));
				x = &u[(*n)++];
				*x = fx_unit_of(xstrdup(w[0]), parent ? xstrdup(parent) : NULL,
						UNIT_PROVINCE, 0);
				x->name = xstrdup(w[0]);
				if (unit_kind_parse(w[1], &x->kind) != 0)
					bad_spec("no kind ", w[1], spec);
				for (int i = 2; i < nw; i++)
					if (strcmp(w[i], "may_admit") == 0)
						x->may_admit = 1;
					else if (strcmp(w[i], "special_area") == 0)
						x->special_area = 1;
					else
						bad_spec("no flag ", w[i], spec);
			}
			parent = w[0];
		}
	}
	free(copy);
	return u;
}

size_t fx_units(struct store *s, const char *spec)
{
	size_t n;
	struct unit *u = fx_unit_array(spec, &n);
	for (size_t i = 0; i < n; i++) {
		int ch = -1;
		CHECK_EQ(store_unit_put(s, &u[i], &ch), KN_OK);
	}
	store_units_free(u, n);
	return n;
}

/* ---- people ---- */

struct person fx_person_of(const char *ref, const char *name, const char *unit)
{
	struct person p;
	person_init(&p);
	p.ref = (char *)ref;
	p.full_name = (char *)name;
	p.sex = 'F';
	p.birth_date = date_from_ymd(1995, 5, 5);
	p.unit = (char *)unit;
	p.education = "12/12";
	p.member_since = KN_DATE_NONE;
	p.official_since = KN_DATE_NONE;
	return p;
}

int64_t fx_person_id(struct store *s, const char *ref)
{
	struct person p;
	int64_t id;
	if (store_person_get(s, ref, &p) != KN_OK)
		return -1;
	id = p.id;
	person_release(&p);
	return id;
}

int64_t fx_person(struct store *s, const char *ref, const char *name, const char *unit,
		  kn_date birth, kn_date member, kn_date official)
{
	struct person p = fx_person_of(ref, name, unit);
	struct buf folded = BUF_INIT;
	int ch = -1;

	p.birth_date = birth;
	p.member_since = member;
	p.official_since = official;
	text_fold(name, &folded);
	CHECK_EQ(store_person_put(s, &p, folded.s, &ch), KN_OK);
	buf_release(&folded);
	return fx_person_id(s, ref);
}

/* ---- candidacies and steps ---- */

struct step fx_step_of(enum step_code code, kn_date date)
{
	struct step st;
	step_init(&st);
	st.code = code;
	st.date = date;
	st.recorded_by = "tester";
	return st;
}

int64_t fx_candidacy(struct store *s, int64_t person_id, const char *unit,
		     const struct step *steps, size_t n)
{
	enum step_code stage = STEP_SOURCE;
	int64_t cid = -1;

	CHECK_EQ(store_candidacy_new(s, person_id, unit, &cid), KN_OK);
	for (size_t i = 0; i < n; i++) {
		if (steps[i].code != STEP_MENTOR)
			stage = steps[i].code;
		CHECK_EQ(store_step_add(s, cid, &steps[i], stage, 1, -1, NULL), KN_OK);
	}
	return cid;
}

long long fx_step_count(struct store *s, int64_t person_id)
{
	struct candidacy *c;
	size_t nc;
	long long n = 0;
	if (store_candidacies_of(s, person_id, &c, &nc) != KN_OK)
		return -1;
	for (size_t i = 0; i < nc; i++)
		n += (long long)c[i].nsteps;
	store_candidacies_free(c, nc);
	return n;
}
