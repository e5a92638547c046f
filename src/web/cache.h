/*
 * cache.h — rendered answers kept across requests and threads (cache.c).
 *
 * cache_head() reads the database's change counter (store_changes()):
 * read it BEFORE reading what the text is built from, so that a write
 * committed in between makes the entry stale rather than wrongly current.
 *
 * cache_get() returns a fresh copy of key's text (the caller frees it) when
 * it is current for `head`; or the previous text, stale, when another
 * request is rebuilding it, or when writes keep coming and the entry was
 * rebuilt less than its lag ago (cache.c says how long) — but never a
 * text older than the last write `user` made through this process
 * (cache_wrote()), nor a lagging one when the audit shows `user` writing
 * since it was built (asked through s, the caller's connection; NULL:
 * not asked). It waits only for the first build of a key, or for a
 * rebuild when `user` needs a newer text than the one being replaced. Or
 * it returns NULL, and then the caller builds the text and MUST call
 * cache_put() with it — or with NULL when the build failed — since other
 * requests for the same key may wait for it.
 *
 * cache_wrote() says that `user` has just written through this process
 * and that the change counter now reads `head`: that user's next
 * cache_get() of any key is answered from a text built at `head` or later.
 */
#ifndef KN_CACHE_H
#define KN_CACHE_H

#include <stdint.h>

#include "store/store.h"

enum kn_err cache_head(struct store *s, int64_t *head);
char *cache_get(const char *key, int64_t head, const char *user, struct store *s);
void cache_put(const char *key, int64_t head, const char *text);
void cache_wrote(const char *user, int64_t head);

#endif
