/*
 * cache.c — a small process-wide cache of rendered answers (the JSON
 * dashboard, the dashboard page's figures, the decisions queue, the
 * lists' counts), shared by every worker thread.
 *
 * The dashboard and the decisions queue walk every open candidacy, which
 * costs tens to hundreds of milliseconds on a city and more on a nation,
 * and many people open the same dashboard at once. An entry is valid while
 * the database's change counter (store_changes(): one row, bumped by every
 * write transaction right before its COMMIT, whichever process or server
 * made it) is the value it was built at, and for at most CACHE_TTL seconds
 * — a safety net for writes the counter cannot see (a hand edit in psql,
 * a program older than migration 005 during an upgrade); the keys carry
 * the date, so a new day is a new entry anyway.
 *
 * A rebuild never holds up every worker: while one request rebuilds an
 * entry, the others are given the previous text (stale by at most that
 * rebuild); only when there is no previous text at all (the first build
 * of a key) do they wait for the builder. A rebuild that fails keeps the
 * previous text, marked failed, so that the next request retries the
 * build while the others are still served, rather than all waiting again.
 *
 * Under a steady stream of writes (issue 13: a clerk's script recording
 * steps several times a second while 64 clients read) every entry would
 * be stale at every request, and a province's root dashboard, 0.6 s of a
 * core, would be rebuilt without pause. So an entry is "hot" once two
 * rebuilds in a row were caused by writes, the second begun less than the
 * lag after the first was done (begun, not done: a national root
 * dashboard's build, 3.5–12 s, is longer than the longest lag, and was
 * never hot); a hot entry whose counter moved is served as it is
 * until it is the lag old: the lag is 8 times its last build's time,
 * from 1 s to 30 s (KETNAP_CACHE_LAG=S sets it to S seconds, for tests),
 * so that rebuilding a hot entry costs at most an eighth of a core up to
 * builds of 3.75 s (a city's 0.1 s build lags 1 s, a province's 0.6 s
 * 4.8 s, the national root dashboard's 3.5 s 28 s; with a cap of 5 s
 * that last one was rebuilt 40% of the time under a writer).
 * Past its lag, a hot entry is still served to the request that finds
 * it so, and `ketnap serve` rebuilds it on a thread of its own
 * (cache_bg_take(), server.c), as it does an entry that is only older
 * than CACHE_TTL: nobody waits for those rebuilds, which at national
 * size took longer than a client's patience. So is an entry that is not
 * hot but whose last build took SLOW_MS or more, once its counter moved:
 * before it got hot (two rebuilds for writes), the national root
 * dashboard's first rebuilds after a writer started took 7–17 s each
 * under load, and one or two requests a run timed out waiting for them.
 * Three exceptions keep the promise that a clerk sees their own step: a
 * user who wrote through this process (cache_wrote(), called by the
 * server after every write request) is never given a text built before
 * that write; a lagging text is not served to a user whom the audit
 * shows writing since it was built, through another server or a command
 * (store_audit_wrote_since(): a few seconds of audit_at, asked only then;
 * the servers' clocks in step, as docs/deploy.md asks); and an entry that
 * was not rebuilt for a write just before (a quiet database, one clerk's
 * write now and then) is rebuilt at the first request after the write,
 * on this server and on every other one (tests/cli/servers.sh) — and
 * that request waits for it, unless the build is slow (above); then the
 * requests that come while it runs in the background, the first one
 * among them, get the previous text, but not the user who wrote. What may
 * lag, then: under a stream of writes, for the users who did not write
 * since, by at most the lag (30 s) and the time of one rebuild; and, as
 * before, while one request rebuilds an entry, the others get the
 * previous text (a user who wrote through another server while that
 * rebuild was starting among them).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/cache.h"
#include "util/xalloc.h"
#include "util/banned.h"


#define CACHE_SLOTS 256
#define CACHE_TTL_MS 10000LL
#define LAG_MIN_MS 1000LL
#define LAG_MAX_MS 30000LL
#define LAG_PER_BUILD 8
#define SLOW_MS 1000LL		/* a build nobody waits for after a write */
#define WRITERS 256

struct cache_slot {
	char *key;
	int64_t head;		/* the change counter it was built at */
	long long built;	/* monotonic ms */
	long long built_wall;	/* Unix seconds, for the audit's times */
	long long cost;		/* ms the last build took */
	long long start;	/* monotonic ms the running build began */
	char *json;		/* NULL while the first build runs */
	int building;
	int failed;		/* the last rebuild failed: the next request retries */
	int for_write;		/* this text replaced one whose counter had moved */
	int hot;		/* rebuilt for writes twice in a row within the lag */
	int bg;			/* being rebuilt by a background build (cache_bg_*) */
	unsigned long long used;
};

/* Who wrote through this process lately, and the counter after it. */
struct cache_writer {
	char *user;
	int64_t head;
	long long at;		/* monotonic ms */
};

static struct cache_slot cache[CACHE_SLOTS];
static struct cache_writer writers[WRITERS];
static unsigned long long cache_clock;
static long long fixed_lag = -1;	/* KETNAP_CACHE_LAG, ms; -1: none */
static pthread_once_t lag_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_cond = PTHREAD_COND_INITIALIZER;
static int bg_on;			/* cache_background(1): ketnap serve */
static __thread char *bg_want;		/* the key this thread is to have rebuilt */
static __thread char *bg_key;		/* the key this (background) thread builds */

static long long real_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long (*clock_ms)(void) = real_mono_ms;

static long long mono_ms(void)
{
	return clock_ms();
}

void cache_set_clock(long long (*now_ms)(void))
{
	clock_ms = now_ms ? now_ms : real_mono_ms;
}

void cache_background(int on)
{
	bg_on = on;
}

static void read_lag(void)
{
	const char *v = getenv("KETNAP_CACHE_LAG");
	char *end;
	long n;
	if (!v || !*v)
		return;
	n = strtol(v, &end, 10);
	if (!*end && n >= 0 && n <= 3600)
		fixed_lag = (long long)n * 1000;
}

/* How long a hot entry may lag behind the writes: LAG_PER_BUILD of its
 * builds, so that rebuilding it takes at most an eighth of a core. */
static long long slot_lag(const struct cache_slot *c)
{
	long long lag = c->cost * LAG_PER_BUILD;
	if (fixed_lag >= 0)
		return fixed_lag;
	return lag < LAG_MIN_MS ? LAG_MIN_MS : lag > LAG_MAX_MS ? LAG_MAX_MS : lag;
}

static long long slot_ttl(void)
{
	return fixed_lag > CACHE_TTL_MS ? fixed_lag : CACHE_TTL_MS;
}

/* The change counter: moves with every committed write. */
enum kn_err cache_head(struct store *s, int64_t *head)
{
	long long n = 0;
	enum kn_err e = store_changes(s, &n);
	*head = e == KN_OK ? (int64_t)n : 0;
	return e;
}

void cache_key_add(struct buf *key, const char *v)
{
	buf_addf(key, "|%zu:%s", v ? strlen(v) : (size_t)0, v ? v : "");
}

enum kn_err cache_text(struct store *s, int64_t head, const char *key, const char *user,
		       enum kn_err (*build)(void *arg, struct buf *text), void *arg,
		       char **text)
{
	struct buf b = BUF_INIT;
	enum kn_err e;

	*text = NULL;
	if ((*text = cache_get(key, head, user, s)))
		return KN_OK;
	if ((e = build(arg, &b)) != KN_OK) {
		cache_put(key, head, NULL);
		buf_release(&b);
		return e;
	}
	cache_put(key, head, b.s);
	*text = buf_detach(&b);
	return KN_OK;
}

static struct cache_slot *cache_find(const char *key)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].key && strcmp(cache[i].key, key) == 0)
			return &cache[i];
	return NULL;
}

/* user's row of writers[]; NULL when none. Under cache_lock. */
static struct cache_writer *writer_find(const char *user)
{
	for (size_t i = 0; user && i < WRITERS; i++)
		if (writers[i].user && strcmp(writers[i].user, user) == 0)
			return &writers[i];
	return NULL;
}

/* The counter after user's last write through this process; 0: none
 * known. Under cache_lock. */
static int64_t writer_head(const char *user)
{
	const struct cache_writer *w = writer_find(user);
	return w ? w->head : 0;
}

void cache_wrote(const char *user, int64_t head)
{
	struct cache_writer *w;
	if (!user)
		return;
	pthread_mutex_lock(&cache_lock);
	if (!(w = writer_find(user))) {
		/* A free row, else the oldest: a write older than the longest
		 * lag needs no row, as no text that old is served for writes. */
		for (size_t i = 0; i < WRITERS; i++) {
			if (!writers[i].user) {
				w = &writers[i];
				break;
			}
			if (!w || writers[i].at < w->at)
				w = &writers[i];
		}
		free(w->user);
		w->user = xstrdup(user);
		w->head = 0;
	}
	if (head > w->head)
		w->head = head;
	w->at = mono_ms();
	pthread_mutex_unlock(&cache_lock);
}

/* A fresh copy of key's text (caller frees): current, or a stale one
 * that may be served (see above); or NULL when the caller is to build it
 * and then call cache_put(). */
char *cache_get(const char *key, int64_t head, const char *user, struct store *s)
{
	char *out = NULL;
	int checked = 0, no_hot = 0;
	pthread_once(&lag_once, read_lag);
	pthread_mutex_lock(&cache_lock);
	int64_t need = writer_head(user);
	for (;;) {
		struct cache_slot *c = cache_find(key);
		long long now = mono_ms();
		if (bg_key && strcmp(bg_key, key) == 0) {
			/* The background build handed this thread (cache_bg_begin):
			 * the entry is already marked as being built. */
			free(bg_key);
			bg_key = NULL;
			if (c && c->building && c->bg) {
				c->start = now;
				break;
			}
			continue;	/* released meanwhile: as any request */
		}
		if (c && c->json && !c->failed && c->head >= need) {
			long long age = now - c->built;
			int hot = c->hot && !no_hot;
			int lagging = hot && age < slot_lag(c);
			/* Hot, or too slow to make anyone wait for (SLOW_MS):
			 * past the audit check, served and rebuilt behind. */
			int behind = (c->hot || c->cost >= SLOW_MS) && !no_hot;
			/* Current; or being rebuilt by another request; or hot
			 * and younger than its lag. */
			if ((c->head >= head && age < slot_ttl()) || c->building ||
			    (lagging && (checked || !user || !s))) {
				c->used = ++cache_clock;
				out = xstrdup(c->json);
				break;
			}
			if (behind && !checked && user && s) {
				/* Hot: not for someone who wrote since it was built
				 * through another server or a command (the audit's
				 * times are seconds: two spare). Asked without the
				 * lock; then everything is looked at again. */
				long long since = c->built_wall - 2;
				int wrote = 0;
				pthread_mutex_unlock(&cache_lock);
				if (store_audit_wrote_since(s, user, since, &wrote) != KN_OK)
					wrote = 1;
				pthread_mutex_lock(&cache_lock);
				checked = 1;
				no_hot = wrote;
				continue;
			}
			if (bg_on && !bg_want && (behind || c->head >= head)) {
				/* Hot and past its lag, slow, or only past its age:
				 * this request too gets the text it may be given, and
				 * the server rebuilds it on a thread of its own
				 * (cache_bg_take()); the others meanwhile as above. */
				c->building = 1;
				c->bg = 1;
				c->start = now;
				c->used = ++cache_clock;
				bg_want = xstrdup(key);
				out = xstrdup(c->json);
				break;
			}
		}
		if (c && c->building) {
			if (c->json && c->failed && c->head >= need) {	/* retried */
				out = xstrdup(c->json);
				break;
			}
			/* The first build, or a rebuild begun before this
			 * user's own write: wait for it, then look again. */
			pthread_cond_wait(&cache_cond, &cache_lock);
			continue;
		}
		if (!c) {
			/* A free slot, else the least recently used idle one. */
			for (size_t i = 0; i < CACHE_SLOTS; i++) {
				if (!cache[i].key) {
					c = &cache[i];
					break;
				}
				if (!cache[i].building && (!c || cache[i].used < c->used))
					c = &cache[i];
			}
			if (!c)		/* every slot is being built: build uncached */
				break;
			free(c->key);
			free(c->json);
			memset(c, 0, sizeof(*c));
			c->key = xstrdup(key);
		}
		c->building = 1;
		c->start = now;
		c->used = ++cache_clock;
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return out;
}

char *cache_bg_take(void)
{
	char *k = bg_want;
	bg_want = NULL;
	return k;
}

void cache_bg_begin(const char *key)
{
	free(bg_key);
	bg_key = key ? xstrdup(key) : NULL;
}

void cache_bg_end(const char *key)
{
	free(bg_key);
	bg_key = NULL;
	pthread_mutex_lock(&cache_lock);
	struct cache_slot *c = cache_find(key);
	if (c && c->building && c->bg) {
		/* Not put: the build failed before it began (no worker, the
		 * server stopping) or asked under another key (a new day).
		 * Kept, marked failed: the next request builds it. */
		c->building = 0;
		c->bg = 0;
		c->failed = 1;
		pthread_cond_broadcast(&cache_cond);
	}
	pthread_mutex_unlock(&cache_lock);
}

void cache_put(const char *key, int64_t head, const char *json)
{
	pthread_mutex_lock(&cache_lock);
	struct cache_slot *c = cache_find(key);
	long long now = mono_ms();
	if (c && json) {
		/* Rebuilt because writes moved the counter (not for its age,
		 * a failure or a first build): twice in a row, the second
		 * within the lag of the first, makes it hot; it stays hot
		 * while its rebuilds are for writes. */
		int for_write = c->json && !c->failed && c->head != head;
		c->hot = for_write && (c->hot || (c->for_write && c->start - c->built < slot_lag(c)));
		c->for_write = for_write;
		free(c->json);
		c->json = xstrdup(json);
		c->head = head;
		c->built = now;
		c->built_wall = (long long)time(NULL);
		c->cost = now - c->start;
		c->building = 0;
		c->bg = 0;
		c->failed = 0;
	} else if (c && c->json) {
		/* The rebuild failed: the previous text stays, for the others,
		 * and the next request to come tries again. */
		c->failed = 1;
		c->building = 0;
		c->bg = 0;
	} else if (c) {
		/* The first build failed: the waiters start over (one of them
		 * builds). */
		free(c->key);
		c->key = NULL;
		c->building = 0;
	}
	pthread_cond_broadcast(&cache_cond);
	pthread_mutex_unlock(&cache_lock);
}
