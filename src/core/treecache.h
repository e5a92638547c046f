/*
 * treecache.h — one unit tree shared by every thread of a process, read
 * from the database again only when the units changed.
 *
 * At national scale the tree is about 330 thousand units: reading and
 * linking it takes hundreds of milliseconds and tens of MB, too much for
 * every web request of every worker thread. A struct treecache keeps one
 * immutable snapshot (struct treesnap) of the tree with the units version
 * it was read at (store_units_version(), migration 008: it moves only
 * when units are written, by any process). treecache_get() asks that
 * version — one indexed row — and hands out the current snapshot when it
 * matches; when not, one caller reads the units again and installs the
 * new snapshot while every other caller keeps the previous one (only
 * before the very first snapshot exists do they wait for it). A snapshot
 * is reference-counted: each treecache_get() is one reference, given back
 * by treesnap_put(); the cache holds one more while the snapshot is
 * current; the last put frees it. So a request that took a snapshot at its
 * start keeps one consistent tree to its end, however many newer ones are
 * made meanwhile.
 *
 * Nothing in a snapshot's tree is ever written after it was built: any
 * number of threads may read it at once without a lock.
 */
#ifndef KN_TREECACHE_H
#define KN_TREECACHE_H

#include <pthread.h>

#include "core/unitree.h"
#include "util/err.h"

struct store;

struct treesnap {
	struct unitree t;	/* read only */
	long long version;	/* store_units_version() it was read at */
	int refs;		/* atomic */
};

struct treecache {
	pthread_mutex_t lock;
	pthread_cond_t built;	/* the first snapshot, or a failed attempt */
	struct treesnap *cur;	/* NULL before the first load */
	int building;		/* one caller is reading the units */
	long long builds;	/* snapshots read so far (for tests, stats) */
};

/* A static initialiser, or treecache_init(). */
#define TREECACHE_INIT { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0 }

void treecache_init(struct treecache *c);
/* Drops the cache's reference to its current snapshot; snapshots still
 * held are freed by their last treesnap_put(). */
void treecache_release(struct treecache *c);

/* A reference to a snapshot of the tree as of the units version that s
 * reads now (or, while another caller is reading a newer one, the
 * previous snapshot): KN_OK with *out the caller's to treesnap_put(), or
 * a storage error (store_errmsg(s)) with *out NULL. s is the caller's own
 * connection; it is used for reading only. */
enum kn_err treecache_get(struct treecache *c, struct store *s, struct treesnap **out);

/* Gives back a reference; NULL is ignored. */
void treesnap_put(struct treesnap *snap);

#endif
