/*
 * test_cache.c — the web server's cache of rendered answers
 * (src/web/cache.c), without a server: what a request gets from
 * cache_get() in each state of an entry.
 *
 * The promise under test is that a rebuild never holds up every worker:
 * while one request rebuilds an entry, every other request for it gets
 * the previous text at once — these checks call cache_get() again on the
 * same thread while the build is open, so a cache that waited there would
 * hang the test (ctest's timeout) instead of passing it; a failed rebuild
 * keeps the previous text; only a key's first build makes others wait,
 * and they then get what the builder put (or, when it failed, one of them
 * builds). The head is the database's change counter (cache_head()),
 * here plain numbers.
 *
 * Issue 13's rate limit: an entry rebuilt for writes twice in a row is
 * "hot" and is then served as it is until it is its lag old (here
 * KETNAP_CACHE_LAG=3600: an hour, so that no check depends on the clock),
 * except to a user who wrote through this process since it was built
 * (cache_wrote()), who gets a text built after their write — and a
 * rebuild begun before that write is waited for and then built again.
 *
 * Background rebuilds (`ketnap serve`: cache_background(1)): once a hot
 * entry is past its lag, the request that would rebuild it gets the text
 * too, and cache_bg_take() hands the server the key to rebuild on a
 * thread of its own (here: this one, between cache_bg_begin() and
 * cache_bg_end(), as server.c does); so does an entry whose last build
 * took a second or more, hot or not, once its counter moved. The clock is the test's own
 * (cache_set_clock()), moved by hand past the hour's lag.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/cache.h"
#include "t.h"
#include "util/banned.h"

/* cache_get()'s answer as a string the test can compare ("(build)" for
 * NULL: the caller is to build), freed here. */
static char got[256];
static const char *get_as(const char *key, int64_t head, const char *user)
{
	char *t = cache_get(key, head, user, NULL);
	snprintf(got, sizeof(got), "%s", t ? t : "(build)");
	free(t);
	return got;
}

static const char *get(const char *key, int64_t head)
{
	char *t = cache_get(key, head, NULL, NULL);
	snprintf(got, sizeof(got), "%s", t ? t : "(build)");
	free(t);
	return got;
}

static void test_current_and_stale(void)
{
	CHECK_STR(get("k", 1), "(build)");
	cache_put("k", 1, "one");
	CHECK_STR(get("k", 1), "one");
	CHECK_STR(get("k", 1), "one");

	/* The counter moved: this request rebuilds; meanwhile the others
	 * get the previous text at once, whatever head they read. */
	CHECK_STR(get("k", 2), "(build)");
	CHECK_STR(get("k", 2), "one");
	CHECK_STR(get("k", 3), "one");
	cache_put("k", 2, "two");
	CHECK_STR(get("k", 2), "two");

	/* A failed rebuild keeps the previous text for the others; the next
	 * request tries again, the others still served meanwhile. */
	CHECK_STR(get("k", 3), "(build)");
	cache_put("k", 3, NULL);
	CHECK_STR(get("k", 3), "(build)");
	CHECK_STR(get("k", 3), "two");
	cache_put("k", 3, "three");
	CHECK_STR(get("k", 3), "three");

	/* Other keys are other entries. */
	CHECK_STR(get("other", 3), "(build)");
	CHECK_STR(get("k", 3), "three");
	cache_put("other", 3, "o");
	CHECK_STR(get("other", 3), "o");
}

struct waiter {
	const char *key;
	int64_t head;
	const char *user;
	char answer[64];
	const char *text;	/* when it is to build: put this (NULL: nothing) */
};

static void *wait_for(void *arg)
{
	struct waiter *w = arg;
	char *t = cache_get(w->key, w->head, w->user, NULL);
	snprintf(w->answer, sizeof(w->answer), "%s", t ? t : "(build)");
	if (!t && w->text)
		cache_put(w->key, w->head, w->text);
	free(t);
	return NULL;
}

/* A first build: there is nothing to serve, so another request for the
 * key waits and then gets the builder's text (whether it got there
 * before or after the put, the answer is the same). */
static void test_first_build(void)
{
	pthread_t th;
	struct waiter w = { "first", 1, NULL, "", NULL };

	CHECK_STR(get("first", 1), "(build)");
	CHECK_EQ(pthread_create(&th, NULL, wait_for, &w), 0);
	cache_put("first", 1, "built");
	pthread_join(th, NULL);
	CHECK_STR(w.answer, "built");

	/* The first build fails: a waiter (or a later request) builds it. */
	struct waiter v = { "fails", 1, NULL, "", "second try" };
	CHECK_STR(get("fails", 1), "(build)");
	CHECK_EQ(pthread_create(&th, NULL, wait_for, &v), 0);
	cache_put("fails", 1, NULL);
	pthread_join(th, NULL);
	CHECK_STR(v.answer, "(build)");
	CHECK_STR(get("fails", 1), "second try");
}

static void test_hot_and_own_writes(void)
{
	pthread_t th;

	CHECK_STR(get("h", 1), "(build)");
	cache_put("h", 1, "v1");
	/* One write: the next request rebuilds (a quiet database, one
	 * clerk's step: seen at once by everyone, on every server). */
	CHECK_STR(get("h", 2), "(build)");
	cache_put("h", 2, "v2");
	/* A second rebuild for a write, within the lag: now hot. */
	CHECK_STR(get("h", 3), "(build)");
	cache_put("h", 3, "v3");
	/* Hot: the next write is not rebuilt for, until the lag is up. */
	CHECK_STR(get("h", 4), "v3");
	CHECK_STR(get_as("h", 4, "reader"), "v3");

	/* A clerk who wrote through this server (counter now 4) is not
	 * given v3; while the clerk's request rebuilds, the others get v3. */
	cache_wrote("clerk", 4);
	CHECK_STR(get_as("h", 4, "clerk"), "(build)");
	CHECK_STR(get("h", 4), "v3");
	cache_put("h", 4, "v4");
	CHECK_STR(get_as("h", 5, "clerk"), "v4");	/* holds the write at 4 */
	CHECK_STR(get("h", 5), "v4");

	/* The clerk writes again: the readers keep v4, the clerk rebuilds. */
	cache_wrote("clerk", 6);
	CHECK_STR(get_as("h", 6, "reader"), "v4");
	CHECK_STR(get_as("h", 6, "clerk"), "(build)");
	/* Meanwhile another clerk writes (7) and asks: the rebuild running
	 * began before that write, so the second clerk waits for it and
	 * then builds again rather than being given it. */
	cache_wrote("clerk2", 7);
	struct waiter w = { "h", 7, "clerk2", "", "v7" };
	CHECK_EQ(pthread_create(&th, NULL, wait_for, &w), 0);
	cache_put("h", 6, "v6");
	pthread_join(th, NULL);
	CHECK_STR(w.answer, "(build)");
	CHECK_STR(get_as("h", 7, "clerk2"), "v7");
	CHECK_STR(get_as("h", 7, "clerk"), "v7");
	CHECK_STR(get("h", 8), "v7");

	/* A key's rebuild that is not for a write (here: the same counter
	 * after a failure) cools it: the next write is rebuilt for again. */
	CHECK_STR(get("cool", 1), "(build)");
	cache_put("cool", 1, "c1");
	CHECK_STR(get("cool", 2), "(build)");
	cache_put("cool", 2, "c2");
	CHECK_STR(get("cool", 3), "(build)");
	cache_put("cool", 3, "c3");
	CHECK_STR(get("cool", 4), "c3");	/* hot */
	cache_wrote("fixer", 4);
	CHECK_STR(get_as("cool", 4, "fixer"), "(build)");
	cache_put("cool", 4, NULL);			/* that rebuild fails */
	CHECK_STR(get_as("cool", 4, "fixer"), "(build)");
	cache_put("cool", 4, "c4");			/* after a failure: cool */
	CHECK_STR(get("cool", 5), "(build)");
	cache_put("cool", 5, "c5");
	CHECK_STR(get("cool", 5), "c5");
}

static long long fake_now;
static long long fake_clock(void)
{
	return fake_now;
}

/* The key the last cache_get() of this thread left to rebuild in the
 * background, or "-" for none. */
static char taken[64];
static const char *take(void)
{
	char *k = cache_bg_take();
	snprintf(taken, sizeof(taken), "%s", k ? k : "-");
	free(k);
	return taken;
}

static void test_background(void)
{
	const long long lag = 3600LL * 1000;
	pthread_t th;

	cache_set_clock(fake_clock);
	cache_background(1);
	fake_now = 1000000;
	CHECK_STR(get("b", 1), "(build)");
	cache_put("b", 1, "b1");
	CHECK_STR(get("b", 2), "(build)");
	cache_put("b", 2, "b2");
	CHECK_STR(get("b", 3), "(build)");
	cache_put("b", 3, "b3");	/* hot */
	CHECK_STR(get("b", 4), "b3");
	CHECK_STR(take(), "-");		/* within its lag: nothing to rebuild */

	/* Past its lag: served as it is, and handed over for a rebuild;
	 * while that runs the others are served it as well. */
	fake_now += lag + 1;
	CHECK_STR(get("b", 4), "b3");
	CHECK_STR(take(), "b");
	CHECK_STR(get_as("b", 5, "reader"), "b3");
	CHECK_STR(take(), "-");
	/* A clerk who wrote (counter 4) since is not given b3: they wait
	 * for the rebuild, which they may be given, as it began after their
	 * write. */
	cache_wrote("clerk3", 4);
	struct waiter w = { "b", 4, "clerk3", "", NULL };
	CHECK_EQ(pthread_create(&th, NULL, wait_for, &w), 0);
	/* The background build: its cache_get() is the builder's. */
	cache_bg_begin("b");
	CHECK_STR(get("b", 4), "(build)");
	cache_put("b", 4, "b4");
	cache_bg_end("b");
	pthread_join(th, NULL);
	CHECK_STR(w.answer, "b4");
	CHECK_STR(get("b", 4), "b4");
	CHECK_STR(take(), "-");

	/* A background build that never put (a failure, a new day's key):
	 * released by cache_bg_end(); the next request rebuilds, the others
	 * are still served meanwhile. */
	fake_now += lag + 1;
	CHECK_STR(get("b", 5), "b4");
	CHECK_STR(take(), "b");
	cache_bg_begin("b");
	cache_bg_end("b");
	CHECK_STR(get("b", 5), "(build)");
	CHECK_STR(take(), "-");
	CHECK_STR(get("b", 5), "b4");
	cache_put("b", 5, "b5");
	CHECK_STR(get("b", 5), "b5");

	/* Not hot (the last rebuild followed a failure), counter moved: the
	 * request rebuilds itself, as on a quiet database. */
	CHECK_STR(get("b", 6), "(build)");
	CHECK_STR(take(), "-");
	cache_put("b", 6, "b6");

	/* Current but past its age limit (the hour, with this lag): served,
	 * and rebuilt in the background. */
	fake_now += lag + 1;
	CHECK_STR(get("b", 6), "b6");
	CHECK_STR(take(), "b");
	cache_bg_begin("b");
	CHECK_STR(get("b", 6), "(build)");
	cache_put("b", 6, "b6'");
	cache_bg_end("b");
	CHECK_STR(get("b", 6), "b6'");

	/* Not hot, but its last build took a second or more (the national
	 * root dashboard's takes several): after a write, the request that
	 * finds it stale is served it too, and it is rebuilt in the
	 * background — but not for a user who wrote since it was built. */
	CHECK_STR(get("s", 1), "(build)");
	fake_now += 1000;
	cache_put("s", 1, "s1");
	CHECK_STR(get("s", 2), "s1");
	CHECK_STR(take(), "s");
	CHECK_STR(get("s", 2), "s1");	/* while it is rebuilt */
	CHECK_STR(take(), "-");
	cache_bg_begin("s");
	CHECK_STR(get("s", 2), "(build)");
	fake_now += 1000;
	cache_put("s", 2, "s2");
	cache_bg_end("s");
	CHECK_STR(get("s", 2), "s2");
	cache_wrote("clerk4", 3);
	CHECK_STR(get_as("s", 3, "clerk4"), "(build)");
	CHECK_STR(take(), "-");
	fake_now += 1000;
	cache_put("s", 3, "s3");
	CHECK_STR(get_as("s", 3, "clerk4"), "s3");
	/* One ms quicker: after a write, the request rebuilds and waits, as
	 * on a quiet database. */
	CHECK_STR(get("q", 1), "(build)");
	fake_now += 999;
	cache_put("q", 1, "q1");
	CHECK_STR(get("q", 2), "(build)");
	CHECK_STR(take(), "-");
	cache_put("q", 2, "q2");

	/* Off (the fuzzer's embedded server): the request rebuilds. */
	cache_background(0);
	fake_now += lag + 1;
	CHECK_STR(get("b", 6), "(build)");
	CHECK_STR(take(), "-");
	cache_put("b", 6, "b6''");
	cache_set_clock(NULL);
}

int main(void)
{
	/* An hour's lag: the checks above do not depend on how fast they run. */
	setenv("KETNAP_CACHE_LAG", "3600", 1);
	test_current_and_stale();
	test_first_build();
	test_hot_and_own_writes();
	test_background();
	return T_DONE();
}
