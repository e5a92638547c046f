/*
 * store_accounts.c — the accounts of `ketnap serve` (store.h): users,
 * sessions and the login throttle. Written once for both backends: each
 * function runs its statements of the table (statements.c) by id.
 *
 * Touching a session is the one write that never waits for a lock
 * (S_SESSION_TOUCH is ST_NOWAIT): made by every request, reads included,
 * it is skipped when the database is busy rather than stall a read behind
 * a long import. PostgreSQL waits for row locks and is never busy.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- users ---- */

/* q_first() of statement id with the one text argument t. */
static enum kn_err first_by_text(struct store *s, enum stmt_id id, const char *t,
				 struct srows *r)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, t);
	return q_first(s, id, &a, r);
}

/* The user of statement id with the one text argument v. */
static enum kn_err user_one(struct store *s, enum stmt_id id, const char *v, struct user *out)
{
	struct srows r;
	enum kn_err e;
	memset(out, 0, sizeof(*out));	/* releasable whatever happens */
	if ((e = first_by_text(s, id, v, &r)) != KN_OK)
		return e;
	row_user(&r, 0, out);
	return q_close(&r);
}

enum kn_err store_user_get(struct store *s, const char *name, struct user *out)
{
	return user_one(s, S_USER_GET, name, out);
}

enum kn_err store_user_by_token(struct store *s, const char *token_hash, struct user *out)
{
	return user_one(s, S_USER_BY_TOKEN, token_hash, out);
}

enum kn_err store_user_put(struct store *s, const struct user *u, int *changed)
{
	struct sargs a = SARGS_INIT;
	struct user old;
	char at[32];
	enum kn_err e = store_user_get(s, u->name, &old);

	if (e == KN_OK) {
		int same = store_streq(old.unit, u->unit) && store_streq(old.role, u->role) &&
			   store_streq(old.pw_hash, u->pw_hash) && !old.disabled == !u->disabled;
		user_release(&old);
		if (same) {
			*changed = 0;
			return KN_OK;
		}
		*changed = 1;
	} else if (e == KN_ENOTFOUND) {
		*changed = 2;
	} else {
		return e;
	}
	arg_text(&a, u->name);
	arg_text(&a, u->unit);
	arg_text(&a, u->role);
	arg_text(&a, u->pw_hash);
	arg_int(&a, !!u->disabled);
	if (*changed == 1)
		return q_exec(s, S_USER_UPDATE, &a, NULL);
	store_now_iso(at);	/* created_at: set once, by the insert */
	arg_text(&a, at);
	return q_exec(s, S_USER_INSERT, &a, NULL);
}

static void user_row(const struct srows *r, void *item)
{
	row_user(r, 0, item);
}

enum kn_err store_user_all(struct store *s, struct user **out, size_t *n)
{
	enum kn_err e = q_all(s, S_USER_ALL, NULL, (void **)out, n, sizeof(**out), user_row);
	if (e != KN_OK) {
		store_users_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}

enum kn_err store_user_set_token(struct store *s, const char *name, const char *token_hash)
{
	struct sargs a = SARGS_INIT;
	long long changes = 0;
	enum kn_err e;
	arg_text(&a, name);
	arg_text(&a, token_hash);
	if ((e = q_exec(s, S_USER_TOKEN, &a, &changes)) != KN_OK)
		return e;
	return changes == 1 ? KN_OK : KN_ENOTFOUND;
}

/* ---- sessions ---- */

enum kn_err store_session_new(struct store *s, const struct session *x)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, x->token_hash);
	arg_text(&a, x->user);
	arg_text(&a, x->csrf);
	arg_int(&a, x->created);
	arg_int(&a, x->last_seen);
	return q_exec(s, S_SESSION_NEW, &a, NULL);
}

enum kn_err store_session_get(struct store *s, const char *token_hash, struct session *out)
{
	struct srows r;
	enum kn_err e = first_by_text(s, S_SESSION_GET, token_hash, &r);
	if (e != KN_OK)
		return e;
	out->token_hash = row_dup(&r, 0);
	out->user = row_dup(&r, 1);
	out->csrf = row_dup(&r, 2);
	out->created = row_int(&r, 3);
	out->last_seen = row_int(&r, 4);
	return q_close(&r);
}

/* A courtesy write (ST_NOWAIT): skipped, and no failure, when the
 * database is busy. Asking store_busy() forgets the busy failure. */
enum kn_err store_session_touch(struct store *s, const char *token_hash, long long last_seen)
{
	struct sargs a = SARGS_INIT;
	enum kn_err e;
	arg_text(&a, token_hash);
	arg_int(&a, last_seen);
	e = q_exec(s, S_SESSION_TOUCH, &a, NULL);
	if (e != KN_OK && store_busy(s))
		return KN_OK;
	return e;
}

/* Statement id with one text argument t, its rows unread. */
static enum kn_err exec_by_text(struct store *s, enum stmt_id id, const char *t)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, t);
	return q_exec(s, id, &a, NULL);
}

enum kn_err store_session_delete(struct store *s, const char *token_hash)
{
	return exec_by_text(s, S_SESSION_DELETE, token_hash);
}

enum kn_err store_session_purge(struct store *s, long long idle_before)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, idle_before);
	return q_exec(s, S_SESSION_PURGE, &a, NULL);
}

enum kn_err store_session_end_user(struct store *s, const char *user, const char *keep)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, user);
	arg_text(&a, keep);
	return q_exec(s, S_SESSION_END_USER, &a, NULL);
}

/* ---- the login throttle ---- */

/* The stored count of key and the time of its first failure; 0 and 0
 * when there is none. */
static enum kn_err login_get(struct store *s, const char *key, long long *count,
			     long long *first)
{
	struct srows r;
	enum kn_err e = first_by_text(s, S_LOGIN_GET, key, &r);
	*count = 0;
	*first = 0;
	if (e != KN_OK)
		return e == KN_ENOTFOUND ? KN_OK : e;
	*count = row_int(&r, 0);
	*first = row_int(&r, 1);
	return q_close(&r);
}

enum kn_err store_login_failures(struct store *s, const char *key, long long now,
				 long long window, long long *count)
{
	long long first;
	enum kn_err e = login_get(s, key, count, &first);
	if (e == KN_OK && *count && first < now - window)
		*count = 0;
	return e;
}

enum kn_err store_login_failed(struct store *s, const char *key, long long now,
			       long long window, long long *count)
{
	struct sargs a = SARGS_INIT;
	long long first;
	enum kn_err e = login_get(s, key, count, &first);
	if (e != KN_OK)
		return e;
	if (*count == 0 || first < now - window) {
		*count = 0;
		first = now;
	}
	(*count)++;
	arg_text(&a, key);
	arg_int(&a, *count);
	arg_int(&a, first);
	return q_exec(s, S_LOGIN_PUT, &a, NULL);
}

enum kn_err store_login_reset(struct store *s, const char *key)
{
	return exec_by_text(s, S_LOGIN_RESET, key);
}

/* One statement (statements.c says why), read to its end: on SQLite the
 * write is done, and any failure told, only when the statement is. */
enum kn_err store_login_count(struct store *s, const char *key, long long now,
			      long long window, int delta, long long *count)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;
	*count = 0;
	arg_text(&a, key);
	arg_int(&a, now);
	arg_int(&a, window);
	arg_int(&a, delta);
	if ((e = q_open(s, S_LOGIN_COUNT, &a, &r)) != KN_OK)
		return e;
	while (q_next(&r) > 0)
		*count = row_int(&r, 0);
	return q_close(&r);
}
