/*
 * store_audit.c — the audit log and its hash chain (store.h), for both
 * backends.
 *
 * store_audit() keeps the entry in memory (struct store's pend) until the
 * outermost store_commit() of its transaction (on SQLite, whose
 * transaction holds the only write lock from its BEGIN IMMEDIATE, it is
 * written at once: ops->audit_eager), which calls audit_flush()
 * with the transaction still open: the head is read (on PostgreSQL, row-
 * locked: S_HEAD_LOCK's FOR UPDATE; SQLite's BEGIN IMMEDIATE already holds
 * the only write lock), the entries are chained onto it, written, and the
 * head moved. The lock is taken this late so that a transaction that
 * holds it takes no other row lock afterwards: two writers cannot
 * deadlock over it, and they hold it only while they commit. An entry
 * made outside a transaction gets one of its own.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum kn_err store_audit(struct store *s, const char *actor, const char *action,
			const char *entity, const char *key, const char *before,
			const char *after)
{
	struct audit_pend *a;
	enum kn_err e;

	if ((e = store_begin(s)) != KN_OK)
		return e;
	if (s->npend == s->cappend) {
		s->cappend = s->cappend ? s->cappend * 2 : 16;
		s->pend = xreallocarray(s->pend, s->cappend, sizeof(*s->pend));
	}
	a = &s->pend[s->npend++];
	store_now_iso(a->at);
	a->actor = xstrdup(actor ? actor : "");
	a->action = xstrdup(action ? action : "");
	a->entity = xstrdup(entity ? entity : "");
	a->key = xstrdup(key ? key : "");
	a->before = before ? xstrdup(before) : NULL;
	a->after = after ? xstrdup(after) : NULL;
	if (s->ops->audit_eager) {
		e = audit_flush(s);
		audit_pend_drop(s);
		if (e != KN_OK) {
			store_rollback(s);
			return e;
		}
	}
	return store_commit(s);
}

void audit_pend_drop(struct store *s)
{
	for (size_t i = 0; i < s->npend; i++) {
		struct audit_pend *a = &s->pend[i];
		free(a->actor);
		free(a->action);
		free(a->entity);
		free(a->key);
		free(a->before);
		free(a->after);
	}
	s->npend = 0;
}

/* The head, locked, with the last id there is; made when missing. */
static enum kn_err head_lock(struct store *s, struct audit_head *h, int64_t *max)
{
	struct srows r;
	struct sargs a = SARGS_INIT;
	enum kn_err e = q_first(s, S_HEAD_LOCK, NULL, &r);
	if (e == KN_ENOTFOUND) {
		arg_text(&a, store_audit_genesis);
		if ((e = q_exec(s, S_HEAD_INIT, &a, NULL)) != KN_OK)
			return e;
		if ((e = q_first(s, S_HEAD_LOCK, NULL, &r)) == KN_ENOTFOUND)
			return store_fail(s, KN_EIO, "audit head: no row");
	}
	if (e != KN_OK)
		return e;
	h->id = row_int(&r, 0);
	snprintf(h->hash, STORE_HASH_HEX, "%s", row_str(&r, 1) ? row_str(&r, 1) : "");
	h->n = row_int(&r, 2);
	*max = row_int(&r, 3);
	return q_close(&r);
}

enum kn_err audit_flush(struct store *s)
{
	struct audit_head h;
	char prev[STORE_HASH_HEX], hash[STORE_HASH_HEX];
	int64_t max = 0;
	enum kn_err e;

	if ((e = head_lock(s, &h, &max)) != KN_OK)
		return e;
	if (max < h.id)
		max = h.id;
	memcpy(prev, h.hash, STORE_HASH_HEX);
	for (size_t i = 0; i < s->npend; i++) {
		struct audit_pend *x = &s->pend[i];
		struct audit_entry a = { ++max, x->at, x->actor, x->action, x->entity, x->key,
					 x->before, x->after };
		struct sargs q = SARGS_INIT;
		store_audit_hash(prev, &a, hash);
		memcpy(prev, hash, STORE_HASH_HEX);
		arg_int(&q, a.id);
		arg_text(&q, a.at);
		arg_text(&q, a.actor);
		arg_text(&q, a.action);
		arg_text(&q, a.entity);
		arg_text(&q, a.key);
		arg_text(&q, a.before);
		arg_text(&q, a.after);
		arg_text(&q, hash);
		if ((e = q_exec(s, S_AUDIT_INSERT, &q, NULL)) != KN_OK)
			return e;
	}
	struct sargs q = SARGS_INIT;
	arg_int(&q, max);
	arg_text(&q, prev);
	arg_int(&q, h.n + (long long)s->npend);
	return q_exec(s, S_HEAD_SET, &q, NULL);
}

/* Migration 004: the chain over the entries already there, in id order,
 * in the migration's transaction; then the head. Read in batches, so
 * that no row is updated under a running read. */
enum kn_err audit_chain_build(struct store *s)
{
	char prev[STORE_HASH_HEX], hash[STORE_HASH_HEX];
	int64_t last = 0, *ids = NULL;
	char (*hashes)[STORE_HASH_HEX] = NULL;
	long long n = 0;
	enum kn_err e = KN_OK;

	memcpy(prev, store_audit_genesis, STORE_HASH_HEX);
	ids = xreallocarray(NULL, 4096, sizeof(*ids));
	hashes = xreallocarray(NULL, 4096, sizeof(*hashes));
	for (;;) {
		struct sargs a = SARGS_INIT;
		struct srows r;
		size_t got = 0;
		int rc;
		arg_int(&a, last);
		if ((e = q_open(s, S_AUDIT_BATCH, &a, &r)) != KN_OK)
			break;
		while (got < 4096 && (rc = q_next(&r)) > 0) {
			struct audit_entry x;
			row_audit(&r, 0, &x);
			store_audit_hash(prev, &x, hash);
			memcpy(prev, hash, STORE_HASH_HEX);
			ids[got] = x.id;
			memcpy(hashes[got], hash, STORE_HASH_HEX);
			got++;
		}
		if ((e = q_close(&r)) != KN_OK)
			break;
		for (size_t i = 0; i < got && e == KN_OK; i++) {
			struct sargs u = SARGS_INIT;
			arg_int(&u, ids[i]);
			arg_text(&u, hashes[i]);
			e = q_exec(s, S_AUDIT_SET_HASH, &u, NULL);
		}
		if (e != KN_OK || got == 0)
			break;
		last = ids[got - 1];
		n += (long long)got;
	}
	free(ids);
	free(hashes);
	if (e != KN_OK || n == 0)
		return e;	/* no entry: the first store_audit makes the head */
	struct sargs h = SARGS_INIT;
	arg_int(&h, last);
	arg_text(&h, prev);
	arg_int(&h, n);
	return q_exec(s, S_HEAD_NEW, &h, NULL);
}

enum kn_err store_audit_head(struct store *s, struct audit_head *out)
{
	struct srows r;
	enum kn_err e = q_first(s, S_HEAD_GET, NULL, &r);
	if (e != KN_OK)
		return e;
	out->id = row_int(&r, 0);
	snprintf(out->hash, STORE_HASH_HEX, "%s", row_str(&r, 1) ? row_str(&r, 1) : "");
	out->n = row_int(&r, 2);
	return q_close(&r);
}

enum kn_err store_audit_each(struct store *s, store_audit_fn fn, void *arg)
{
	struct srows r;
	enum kn_err e = q_open(s, S_AUDIT_EACH, NULL, &r);
	if (e != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		struct audit_entry a;
		row_audit(&r, 0, &a);
		if (fn(arg, &a, row_str(&r, 8)))
			break;
	}
	return q_close(&r);
}

enum kn_err store_audit_count(struct store *s, long long *n)
{
	struct srows r;
	enum kn_err e = q_first(s, S_AUDIT_COUNT, NULL, &r);
	*n = 0;
	if (e != KN_OK)
		return e == KN_ENOTFOUND ? KN_EIO : e;
	*n = row_int(&r, 0);
	return q_close(&r);
}

static void audit_row(const struct srows *r, void *item)
{
	struct audit_entry *a = item, b;
	row_audit(r, 0, &b);
	a->id = b.id;
	a->at = b.at ? xstrdup(b.at) : NULL;
	a->actor = b.actor ? xstrdup(b.actor) : NULL;
	a->action = b.action ? xstrdup(b.action) : NULL;
	a->entity = b.entity ? xstrdup(b.entity) : NULL;
	a->key = b.key ? xstrdup(b.key) : NULL;
	a->before = b.before ? xstrdup(b.before) : NULL;
	a->after = b.after ? xstrdup(b.after) : NULL;
}

enum kn_err store_audit_list(struct store *s, const char *actor, const char *entity,
			     const char *key_prefix, long long offset, long long limit,
			     struct audit_entry **out, size_t *n)
{
	struct sargs a = SARGS_INIT;
	enum kn_err e;
	arg_text(&a, actor && *actor ? actor : NULL);
	arg_text(&a, entity && *entity ? entity : NULL);
	arg_text(&a, key_prefix && *key_prefix ? key_prefix : NULL);
	arg_int(&a, offset > 0 ? offset : 0);
	arg_int(&a, limit < 0 ? INT64_MAX : limit);	/* < 0: no limit, as SQLite's LIMIT -1 */
	e = q_all(s, S_AUDIT_LIST, &a, (void **)out, n, sizeof(**out), audit_row);
	if (e != KN_OK) {
		store_audit_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}
