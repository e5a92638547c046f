/*
 * cache.c — a small process-wide cache of rendered answers (the JSON
 * dashboard, the dashboard page's figures), shared by every worker thread.
 *
 * The dashboard and the decisions queue walk every open candidacy, which
 * costs tens to hundreds of milliseconds on a city, and many people open
 * the same dashboard at once. An entry is valid while the newest audit
 * entry is the one it was built after — every change to the database
 * writes one in the same transaction, whichever process made it — and for
 * at most CACHE_TTL seconds (a PostgreSQL sequence may commit its ids out
 * of order). While one request rebuilds an entry, the others get the
 * previous one rather than waiting.
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
	int64_t head;		/* the newest audit id when it was built */
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

/* The id of the newest audit entry: changes with every write. */
enum kn_err cache_head(struct store *s, int64_t *head)
{
	struct audit_entry *a;
	size_t n;
	enum kn_err e = store_audit_list(s, NULL, NULL, NULL, 0, 1, &a, &n);
	*head = e == KN_OK && n ? a[0].id : 0;
	if (e == KN_OK)
		store_audit_free(a, n);
	return e;
}

static struct cache_slot *cache_find(const char *key)
{
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].key && strcmp(cache[i].key, key) == 0)
			return &cache[i];
	return NULL;
}

/* A fresh copy of key's JSON (caller frees), or NULL when the caller is
 * to build it and then call cache_put() (or cache_abandon()). */
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
	if (c) {
		free(c->json);
		c->json = json ? xstrdup(json) : NULL;
		c->head = head;
		c->built = mono_seconds();
		c->building = 0;
		if (!c->json) {
			free(c->key);
			c->key = NULL;
		}
	}
	pthread_cond_broadcast(&cache_cond);
	pthread_mutex_unlock(&cache_lock);
}

