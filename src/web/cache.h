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
#include "util/buf.h"

enum kn_err cache_head(struct store *s, int64_t *head);
char *cache_get(const char *key, int64_t head, const char *user, struct store *s);
void cache_put(const char *key, int64_t head, const char *text);
void cache_wrote(const char *user, int64_t head);

/* One text field of a key ("|LEN:TEXT"; NULL as empty): its length first,
 * so that no text can pass for two fields. */
void cache_key_add(struct buf *key, const char *v);

/*
 * The text of key as of `head` (the counter read first: req_cache_head()),
 * for `user` (as cache_get()): the cached one, or the one build(arg, text)
 * makes, then kept for the next requests — cache_get() and cache_put()
 * around the build. On
 * KN_OK *text is the caller's to free; a failed build puts nothing and
 * returns its error (the store's message is in s).
 */
enum kn_err cache_text(struct store *s, int64_t head, const char *key, const char *user,
		       enum kn_err (*build)(void *arg, struct buf *text), void *arg,
		       char **text);

/*
 * Background rebuilds (`ketnap serve` turns them on with
 * cache_background(1); off, as in the fuzzer's embedded server, nothing
 * below happens). A request that would rebuild an entry which may still
 * be served (hot and past its lag, slow to build, or only older than its
 * age limit: see cache.c) is given that text at once instead, and the entry is marked as
 * being rebuilt for it. cache_bg_take(), called by the server after the
 * handler, then returns that key (the caller frees it), or NULL: the
 * server answers the request and runs the same handler again on a thread
 * of its own, between cache_bg_begin(key), which makes that thread's
 * cache_get(key, …) return NULL at once (it is the builder; it must
 * cache_put() as any builder), and cache_bg_end(key), which releases the
 * entry if the build never put it. A server that cannot start the thread
 * calls cache_bg_end(key) alone: the next request then rebuilds.
 */
void cache_background(int on);
char *cache_bg_take(void);
void cache_bg_begin(const char *key);
void cache_bg_end(const char *key);

/* Tests: the monotonic clock in ms the cache reads (NULL: the real one). */
void cache_set_clock(long long (*now_ms)(void));

#endif
