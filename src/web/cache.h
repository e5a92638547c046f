/*
 * cache.h — rendered answers kept across requests and threads (cache.c).
 *
 * cache_head() reads the database's change counter (store_changes()):
 * read it BEFORE reading what the text is built from, so that a write
 * committed in between makes the entry stale rather than wrongly current.
 *
 * cache_get() returns a fresh copy of key's text (the caller frees it) when
 * it is current for `head`, or when another request is rebuilding it (the
 * previous text: stale by at most that rebuild); it waits only for the
 * first build of a key. Or it returns NULL, and then the caller builds the
 * text and MUST call cache_put() with it — or with NULL when the build
 * failed — since other requests for the same key may wait for it.
 */
#ifndef KN_CACHE_H
#define KN_CACHE_H

#include <stdint.h>

#include "store/store.h"

enum kn_err cache_head(struct store *s, int64_t *head);
char *cache_get(const char *key, int64_t head);
void cache_put(const char *key, int64_t head, const char *text);

#endif
