/*
 * cache.c — a small process-wide cache of rendered answers (the JSON
 * dashboard, the dashboard page's figures, the decisions queue), shared by
 * every worker thread.
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
 * previous text, marked stale, so that the next request retries the
 * build while the others are still served, rather than all waiting again.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/cache.h"
#include "util/xalloc.h"
#include "util/banned.h"


#define CACHE_SLOTS 128
#define CACHE_TTL 10

struct cache_slot {
	char *key;
	int64_t head;		/* the change counter it was built at; -1: stale */
	long long built;	/* monotonic seconds */
	char *json;		/* NULL while the first build runs */
	int building;
	unsigned long long used;
};

static struct cache_slot cache[CACHE_SLOTS];
static unsigned long long cache_clock;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cache_cond = PTHREAD_COND_INITIALIZER;

static long long mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* The change counter: moves with every committed write. */
enum kn_err cache_head(struct store *s, int64_t *head)
{
	long long n = 0;
	enum kn_err e = store_changes(s, &n);
	*head = e == KN_OK ? (int64_t)n : 0;
	return e;
}

static struct cache_slot *cache_find(const char *key)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].key && strcmp(cache[i].key, key) == 0)
			return &cache[i];
	return NULL;
}

/* A fresh copy of key's text (caller frees): current, or the previous
 * one while another request rebuilds it; or NULL when the caller is to
 * build it and then call cache_put(). Waits only while a key's first
 * build runs. */
char *cache_get(const char *key, int64_t head)
{
	char *out = NULL;
	pthread_mutex_lock(&cache_lock);
	for (;;) {
		struct cache_slot *c = cache_find(key);
		if (c && c->json && c->head == head && mono_seconds() - c->built < CACHE_TTL) {
			c->used = ++cache_clock;
			out = xstrdup(c->json);
			break;
		}
		if (c && c->building) {
			if (c->json) {	/* stale, being rebuilt: serve the old one */
				out = xstrdup(c->json);
				break;
			}
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
			c->key = xstrdup(key);
			c->json = NULL;
		}
		c->building = 1;
		c->used = ++cache_clock;
		break;
	}
	pthread_mutex_unlock(&cache_lock);
	return out;
}

void cache_put(const char *key, int64_t head, const char *json)
{
	pthread_mutex_lock(&cache_lock);
	struct cache_slot *c = cache_find(key);
	if (c && json) {
		free(c->json);
		c->json = xstrdup(json);
		c->head = head;
		c->built = mono_seconds();
		c->building = 0;
	} else if (c && c->json) {
		/* The rebuild failed: the previous text stays, for the others,
		 * and the next request to come tries again. */
		c->head = -1;
		c->building = 0;
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

