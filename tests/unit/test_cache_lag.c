/*
 * test_cache_lag.c — the web server's answer cache (src/web/cache.c) with
 * its own lag, as `ketnap serve` runs without KETNAP_CACHE_LAG: 8 times the
 * last build's time, from 1 s to 30 s. test_cache.c fixes the lag at an
 * hour; this program cannot, so it has a program of its own.
 *
 * The bug it would have caught (issue 13, national size): an entry became
 * hot only when a rebuild ENDED within the lag of the one before, so a
 * rebuild longer than the longest lag (the national root dashboard: 3.5 s
 * alone, 7–12 s under load, against the 5 s the lag was capped at then)
 * never made it hot, and every
 * write under a writer's stream made the next request rebuild and wait.
 * Now the rebuild's START is what counts: requests asking for it at once
 * after the last one ended. The clock is the test's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/cache.h"
#include "t.h"
#include "util/banned.h"

static long long fake_now;
static long long fake_clock(void)
{
	return fake_now;
}

static char got[256];
static const char *get(const char *key, int64_t head)
{
	char *t = cache_get(key, head, NULL, NULL);
	snprintf(got, sizeof(got), "%s", t ? t : "(build)");
	free(t);
	return got;
}

/* Three builds of key (its text: the key), each cost_ms long, at
 * counters 1, 2 and 3, the next asked for gap_ms after the one before
 * ended. Ends gap_ms after the third. */
static void rebuilds(const char *key, long long cost_ms, long long gap_ms)
{
	for (int64_t head = 1; head <= 3; head++) {
		CHECK_STR(get(key, head), "(build)");
		fake_now += cost_ms;
		cache_put(key, head, key);
		fake_now += gap_ms;
	}
}

int main(void)
{
	unsetenv("KETNAP_CACHE_LAG");
	cache_set_clock(fake_clock);
	fake_now = 1000000;

	/* Builds of 40 s each (lag: 30 s, the most), each asked for at once
	 * after the one before: writes keep coming, so hot after two. */
	rebuilds("slow", 40000, 100);
	CHECK_STR(get("slow", 4), "slow");	/* hot: within its 30 s lag */
	fake_now += 29000;
	CHECK_STR(get("slow", 4), "slow");
	fake_now += 1000;
	CHECK_STR(get("slow", 4), "(build)");	/* past it: rebuilt */
	fake_now += 40000;
	cache_put("slow", 4, "s4");

	/* A national root dashboard's 3.5 s: a lag of 28 s (8 builds), not
	 * the 5 s the cap once made it, when it was rebuilt 40% of the time
	 * under a writer. */
	rebuilds("nat", 3500, 10);
	fake_now += 27900 - 10;
	CHECK_STR(get("nat", 4), "nat");	/* 27.9 s: within */
	fake_now += 200;
	CHECK_STR(get("nat", 4), "(build)");	/* 28.1 s: past */
	cache_put("nat", 4, "n4");

	/* Fast builds (10 ms: lag 1 s, the least), writes 2 s apart: each
	 * rebuild asked for after the lag, so never hot — every request
	 * after a write sees it. */
	CHECK_STR(get("quiet", 1), "(build)");
	fake_now += 10;
	cache_put("quiet", 1, "q1");
	for (int i = 2; i <= 5; i++) {
		fake_now += 2000;
		CHECK_STR(get("quiet", i), "(build)");
		fake_now += 10;
		cache_put("quiet", i, i == 5 ? "q5" : "q");
	}
	fake_now += 2000;
	CHECK_STR(get("quiet", 5), "q5");
	cache_set_clock(NULL);
	return T_DONE();
}
