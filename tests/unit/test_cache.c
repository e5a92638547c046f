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
static const char *get(const char *key, int64_t head)
{
	char *t = cache_get(key, head);
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
	char answer[64];
	const char *text;	/* when it is to build: put this (NULL: nothing) */
};

static void *wait_for(void *arg)
{
	struct waiter *w = arg;
	char *t = cache_get(w->key, w->head);
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
	struct waiter w = { "first", 1, "", NULL };

	CHECK_STR(get("first", 1), "(build)");
	CHECK_EQ(pthread_create(&th, NULL, wait_for, &w), 0);
	cache_put("first", 1, "built");
	pthread_join(th, NULL);
	CHECK_STR(w.answer, "built");

	/* The first build fails: a waiter (or a later request) builds it. */
	struct waiter v = { "fails", 1, "", "second try" };
	CHECK_STR(get("fails", 1), "(build)");
	CHECK_EQ(pthread_create(&th, NULL, wait_for, &v), 0);
	cache_put("fails", 1, NULL);
	pthread_join(th, NULL);
	CHECK_STR(v.answer, "(build)");
	CHECK_STR(get("fails", 1), "second try");
}

int main(void)
{
	test_current_and_stale();
	test_first_build();
	return T_DONE();
}
