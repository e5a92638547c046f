/*
 * test_conflict.c — two clerks record a step on the same candidacy at the
 * same moment, from two processes, and no step is lost.
 *
 * Each round forks two children. Each opens its own connection, reads the
 * candidacy's version, says it is ready on a pipe and waits for the go
 * (the parent closes a second pipe once both are ready, which wakes both
 * at once); then each calls store_step_add() with the version it read,
 * inside a transaction, and the one that got there first holds its
 * transaction open for a moment before committing, so that the other
 * really runs into it (SQLite: BEGIN IMMEDIATE waits on the write lock;
 * PostgreSQL: the UPDATE waits on the row lock, then re-checks the
 * version). Exactly one child must get KN_OK and the other KN_ECONFLICT,
 * and the candidacy must end up with exactly one more step and one more
 * version per round. A last round passes no version (-1): both must then
 * succeed, one after the other, with two distinct step numbers.
 *
 * Runs on the store of fixture.h's fx_open(): the SQLite file of a fresh
 * mkdtemp directory or of $KN_TEST_DB_URL (tests/cli/conflict.sh), or a
 * fresh database on the PostgreSQL server of $KN_TEST_DB_URL (ctest's
 * pg/unit/test_conflict and pg/cli/conflict).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/model.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/date.h"
#include "fixture.h"
#include "t.h"
#include "util/banned.h"

#define ROUNDS 4

static struct fx fx;

enum { CLERK_OK = 0, CLERK_CONFLICT = 1, CLERK_OTHER = 2 };

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A child: the clerk. Exits CLERK_OK, CLERK_CONFLICT or CLERK_OTHER. */
static void clerk(int id, int64_t cid, int use_version, int ready, int go)
{
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	struct step st;
	int64_t version = -1;
	enum kn_err e;
	char c = 'r';
	double t0;

	if (store_open(fx.url, 0, &s, &err) != KN_OK) {
		fprintf(stderr, "clerk %d: %s\n", id, err.s);
		_exit(CLERK_OTHER);
	}
	if (use_version && store_candidacy_version(s, cid, &version) != KN_OK)
		_exit(CLERK_OTHER);
	if (write(ready, &c, 1) != 1)
		_exit(CLERK_OTHER);
	/* Blocks until the parent closes the other end: both wake together. */
	if (read(go, &c, 1) != 0)
		_exit(CLERK_OTHER);
	t0 = now_ms();
	step_init(&st);
	st.code = STEP_MENTOR;
	st.date = date_from_ymd(2024, 3, 1 + id);
	st.member = "M001";
	st.recorded_by = id ? "clerk-b" : "clerk-a";
	if ((e = store_begin(s)) == KN_OK &&
	    (e = store_step_add(s, cid, &st, STEP_SOURCE, 1, version, NULL)) == KN_OK) {
		usleep(300 * 1000);	/* hold the lock: the other clerk runs into it */
		e = store_commit(s);
	} else {
		store_rollback(s);
	}
	fprintf(stderr, "clerk %d: %s after %.0f ms%s%s\n", id, kn_strerror(e), now_ms() - t0,
		e ? ": " : "", e ? store_errmsg(s) : "");
	store_close(s);
	buf_release(&err);
	_exit(e == KN_OK ? CLERK_OK : e == KN_ECONFLICT ? CLERK_CONFLICT : CLERK_OTHER);
}

/* One round: two clerks at once; the exit statuses in res[2]. */
static void round_of_two(int64_t cid, int use_version, int res[2])
{
	int ready[2], go[2];
	pid_t pid[2];
	char c;

	if (pipe(ready) != 0 || pipe(go) != 0) {
		perror("pipe");
		exit(1);
	}
	fflush(NULL);
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			close(ready[0]);
			close(go[1]);
			clerk(i, cid, use_version, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < 2; i++)
		if (read(ready[0], &c, 1) != 1)
			fprintf(stderr, "a clerk died before it was ready\n");
	close(go[1]);	/* go */
	close(ready[0]);
	for (int i = 0; i < 2; i++) {
		int status = 0;
		waitpid(pid[i], &status, 0);
		res[i] = WIFEXITED(status) ? WEXITSTATUS(status) : CLERK_OTHER;
	}
}

static struct store *open_store(int create)
{
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	if (store_open(fx.url, create, &s, &err) != KN_OK)
		fprintf(stderr, "%s: %s\n", fx.url, err.s);
	buf_release(&err);
	return s;
}

/* The candidacy's steps (count) and version. */
static void state(int64_t pid, int64_t cid, size_t *nsteps, int64_t *version, int *seq_ok)
{
	struct store *s = open_store(0);
	struct candidacy *c = NULL;
	size_t nc = 0;
	*nsteps = 0;
	*version = -1;
	*seq_ok = 1;
	if (!s)
		return;
	CHECK_EQ(store_candidacies_of(s, pid, &c, &nc), KN_OK);
	for (size_t i = 0; i < nc; i++)
		if (c[i].id == cid)
			*nsteps = c[i].nsteps;
	/* Recorded order has no holes and no repeats: ids strictly increase. */
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 1; j < c[i].nsteps; j++)
			if (c[i].steps[j].id <= c[i].steps[j - 1].id)
				*seq_ok = 0;
	store_candidacies_free(c, nc);
	CHECK_EQ(store_candidacy_version(s, cid, version), KN_OK);
	store_close(s);
}

int main(void)
{
	struct step st = fx_step_of(STEP_SOURCE, date_from_ymd(2024, 1, 10));
	int64_t pid = -1, cid = -1, version;
	size_t nsteps;
	int seq_ok, res[2];

	/* A unit, a member, a person with an open candidacy and its source. */
	if (fx_open(&fx, "conflict") != 0)
		return 1;
	fx_units(fx.s, "P province");
	fx_person(fx.s, "M001", "Trần Thị Bình", "P", date_from_ymd(1990, 1, 1), KN_DATE_NONE,
		  KN_DATE_NONE);
	pid = fx_person(fx.s, "X001", "Nguyễn Văn An", "P", date_from_ymd(1990, 1, 1),
			KN_DATE_NONE, KN_DATE_NONE);
	CHECK(pid > 0);
	st.org = "cell";
	cid = fx_candidacy(fx.s, pid, "P", &st, 1);
	store_close(fx.s);	/* no connection crosses fork() */
	fx.s = NULL;

	for (int r = 0; r < ROUNDS; r++) {
		round_of_two(cid, 1, res);
		/* One wins, the other is told someone else was first. */
		CHECK((res[0] == CLERK_OK && res[1] == CLERK_CONFLICT) ||
		      (res[0] == CLERK_CONFLICT && res[1] == CLERK_OK));
		state(pid, cid, &nsteps, &version, &seq_ok);
		CHECK_EQ(nsteps, 1 + (r + 1));	/* exactly one new step */
		CHECK_EQ(version, 1 + (r + 1));
		CHECK(seq_ok);
	}

	/* Without a version to check, both writes go in, one after the
	 * other, neither lost. */
	round_of_two(cid, 0, res);
	CHECK_EQ(res[0], CLERK_OK);
	CHECK_EQ(res[1], CLERK_OK);
	state(pid, cid, &nsteps, &version, &seq_ok);
	CHECK_EQ(nsteps, 1 + ROUNDS + 2);
	CHECK_EQ(version, 1 + ROUNDS + 2);
	CHECK(seq_ok);

	fx_close(&fx);
	return T_DONE();
}
