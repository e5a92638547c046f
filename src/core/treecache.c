/*
 * treecache.c — see treecache.h. The lock guards only the pointer to the
 * current snapshot and the building flag, never a database read: reading
 * the units happens outside it, so a slow rebuild holds up nobody but the
 * request that does it. Reference counts are atomics so that giving one
 * back needs no lock (a snapshot outlives its cache's interest in it).
 *
 * The order of the reads matters: the version first, then the units. A
 * unit written between the two makes a snapshot newer than its version
 * says, which only costs one more rebuild on the next call; the other
 * order could label old units with a new version and keep them forever.
 */
#include <stdlib.h>

#include "core/treecache.h"
#include "store/store.h"
#include "util/xalloc.h"
#include "util/banned.h"

void treecache_init(struct treecache *c)
{
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->built, NULL);
	c->cur = NULL;
	c->building = 0;
	c->builds = 0;
}

void treecache_release(struct treecache *c)
{
	pthread_mutex_lock(&c->lock);
	struct treesnap *old = c->cur;
	c->cur = NULL;
	pthread_mutex_unlock(&c->lock);
	treesnap_put(old);
	pthread_cond_destroy(&c->built);
	pthread_mutex_destroy(&c->lock);
}

void treesnap_put(struct treesnap *snap)
{
	if (snap && __atomic_sub_fetch(&snap->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		unitree_free(&snap->t);
		free(snap);
	}
}

static struct treesnap *snap_ref(struct treesnap *snap)
{
	__atomic_add_fetch(&snap->refs, 1, __ATOMIC_RELAXED);
	return snap;
}

/* Reads the units into a new snapshot labelled v: one reference for the
 * cache, one for the caller. */
static enum kn_err snap_load(struct store *s, long long v, struct treesnap **out)
{
	struct treesnap *snap = xcalloc(1, sizeof(*snap));
	enum kn_err e = unitree_load(&snap->t, s);
	*out = NULL;
	if (e != KN_OK) {
		free(snap);
		return e;
	}
	snap->version = v;
	snap->refs = 2;
	*out = snap;
	return KN_OK;
}

enum kn_err treecache_get(struct treecache *c, struct store *s, struct treesnap **out)
{
	long long v;
	enum kn_err e;
	struct treesnap *snap, *old;

	*out = NULL;
	if ((e = store_units_version(s, &v)) != KN_OK)
		return e;
	pthread_mutex_lock(&c->lock);
	/* Before the first snapshot there is nothing to hand out meanwhile. */
	while (!c->cur && c->building)
		pthread_cond_wait(&c->built, &c->lock);
	if (c->cur && (c->cur->version == v || c->building)) {
		*out = snap_ref(c->cur);
		pthread_mutex_unlock(&c->lock);
		return KN_OK;
	}
	c->building = 1;
	pthread_mutex_unlock(&c->lock);

	e = snap_load(s, v, &snap);

	pthread_mutex_lock(&c->lock);
	c->building = 0;
	old = NULL;
	if (e == KN_OK) {
		old = c->cur;
		c->cur = snap;
		c->builds++;
	}
	pthread_cond_broadcast(&c->built);
	pthread_mutex_unlock(&c->lock);
	treesnap_put(old);	/* outside the lock: freeing a nation takes a while */
	*out = snap;
	return e;
}
