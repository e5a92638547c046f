/*
 * auth.c — see auth.h.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/ledger.h"
#include "core/unitree.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

long long auth_idle_seconds = 30 * 60;
int auth_max_failures = 5;
long long auth_failure_window = 15 * 60;
long long auth_session_lifetime = 12 * 60 * 60;

/* A real hash to verify against when the user does not exist, so that the
 * time a failed login takes does not tell whether the name exists. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (crypto_pwhash_str(dummy_hash, "-", 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';	/* out of memory: verification just fails */
}

int auth_hash_password(const char *password, struct buf *out)
{
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return -1;
	buf_adds(out, hash);
	return 0;
}

int auth_check_password(const char *hash, const char *password)
{
	if (!hash || !password)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static void hex(struct buf *out, const unsigned char *b, size_t n)
{
	char h[3];
	for (size_t i = 0; i < n; i++) {
		snprintf(h, sizeof(h), "%02x", b[i]);
		buf_add(out, h, 2);
	}
}

void auth_random_token(struct buf *out)
{
	unsigned char r[32];
	randombytes_buf(r, sizeof(r));
	hex(out, r, sizeof(r));
}

void auth_token_hash(const char *token, struct buf *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	hex(out, h, sizeof(h));
}

static int token_shape_ok(const char *t)
{
	size_t n = 0;
	if (!t)
		return 0;
	for (; t[n]; n++)
		if (!((t[n] >= '0' && t[n] <= '9') || (t[n] >= 'a' && t[n] <= 'f')))
			return 0;
	return n == 64;
}

void auth_request(struct request *rq, const char *cookie_token, const char *bearer)
{
	struct buf h = BUF_INIT;
	long long now = (long long)time(NULL);

	rq->authed = 0;
	rq->role = ROLE_NONE;
	if (bearer && token_shape_ok(bearer)) {
		auth_token_hash(bearer, &h);
		if (store_user_by_token(rq->store, h.s, &rq->user) == KN_OK && !rq->user.disabled) {
			rq->authed = 1;
			rq->bearer = 1;
		}
	} else if (cookie_token && token_shape_ok(cookie_token)) {
		auth_token_hash(cookie_token, &h);
		if (store_session_get(rq->store, h.s, &rq->sess) == KN_OK) {
			if (rq->sess.last_seen < now - auth_idle_seconds ||
			    rq->sess.created < now - auth_session_lifetime ||
			    rq->sess.created > now + 300) {
				store_session_delete(rq->store, h.s);	/* expired */
				session_release(&rq->sess);
			} else if (store_user_get(rq->store, rq->sess.user, &rq->user) == KN_OK &&
				   !rq->user.disabled) {
				rq->authed = 1;
				/* Touch at most once a minute: fewer writes. */
				if (rq->sess.last_seen < now - 60)
					store_session_touch(rq->store, h.s, now);
			}
		}
	}
	if (rq->authed)
		rq->role = role_parse(rq->user.role);
	else
		user_release(&rq->user);
	buf_release(&h);
}

static void set_cookie(struct request *rq, struct response *rs, const char *name,
		       const char *value, long long max_age)
{
	struct buf c = BUF_INIT;
	buf_addf(&c, "%s=%s; Path=/; HttpOnly; SameSite=Strict", name, value);
	if (max_age >= 0)
		buf_addf(&c, "; Max-Age=%lld", max_age);
	if (rq->secure)
		buf_adds(&c, "; Secure");
	resp_header(rs, "Set-Cookie", c.s);
	buf_release(&c);
}

enum kn_err auth_login(struct request *rq, struct response *rs, const char *name,
		       const char *password)
{
	struct buf kname = BUF_INIT, kaddr = BUF_INIT, tok = BUF_INIT, th = BUF_INIT, csrf = BUF_INIT;
	long long now = (long long)time(NULL), n1 = 0, n2 = 0, dummy;
	struct user u;
	enum kn_err e;
	int ok;

	buf_addf(&kname, "user:%s", name ? name : "");
	buf_addf(&kaddr, "addr:%s", rq->remote ? rq->remote : "");
	/* Count this attempt before checking anything, in one atomic
	 * statement per key: of N parallel attempts exactly the first
	 * auth_max_failures get a password check. An attempt refused for the
	 * name does not count against the address (no password was tried). */
	if ((e = store_login_count(rq->store, kname.s, now, auth_failure_window, 1, &n1)) != KN_OK)
		goto out;
	if (n1 > auth_max_failures) {
		e = KN_ECONFLICT;
		goto out;
	}
	if ((e = store_login_count(rq->store, kaddr.s, now, auth_failure_window, 1, &n2)) != KN_OK)
		goto out;
	if (n2 > auth_max_failures * 4) {
		e = KN_ECONFLICT;
		goto out;
	}
	memset(&u, 0, sizeof(u));
	e = store_user_get(rq->store, name ? name : "", &u);
	/* Verify even for an unknown user, so timing does not tell. */
	ok = e == KN_OK && !u.disabled &&
	     auth_check_password(u.pw_hash, password ? password : "");
	if (e != KN_OK) {
		pthread_once(&dummy_once, make_dummy);
		auth_check_password(dummy_hash, password ? password : "");
	}
	user_release(&u);
	if (!ok) {
		store_audit(rq->store, name ? name : "", "login-failed", "user", name ? name : "",
			    NULL, rq->remote);
		e = KN_EPERM;
		goto out;
	}
	auth_random_token(&tok);
	auth_token_hash(tok.s, &th);
	auth_random_token(&csrf);
	struct session x = { th.s, (char *)name, csrf.s, now, now };
	if ((e = store_begin(rq->store)) == KN_OK &&
	    (e = store_session_new(rq->store, &x)) == KN_OK &&
	    (e = store_login_reset(rq->store, kname.s)) == KN_OK &&
	    (e = store_login_count(rq->store, kaddr.s, now, auth_failure_window, -1,
				   &dummy)) == KN_OK &&
	    (e = store_audit(rq->store, name, "login", "user", name, NULL, rq->remote)) == KN_OK)
		e = store_commit(rq->store);
	else
		store_rollback(rq->store);
	/* Now and then, clear sessions idle for long. */
	if (e == KN_OK && randombytes_uniform(20) == 0)
		store_session_purge(rq->store, now - auth_idle_seconds);
	if (e == KN_OK)
		set_cookie(rq, rs, SESSION_COOKIE, tok.s, -1);
out:
	sodium_memzero(tok.s, tok.len);
	buf_release(&kname);
	buf_release(&kaddr);
	buf_release(&tok);
	buf_release(&th);
	buf_release(&csrf);
	return e;
}

void auth_logout(struct request *rq, struct response *rs)
{
	if (rq->authed && rq->sess.token_hash) {
		store_session_delete(rq->store, rq->sess.token_hash);
		store_audit(rq->store, rq->user.name, "logout", "user", rq->user.name, NULL, NULL);
	}
	set_cookie(rq, rs, SESSION_COOKIE, "", 0);
}

enum kn_err auth_end_other_sessions(struct request *rq, const char *user)
{
	int self = rq->authed && rq->sess.token_hash && rq->user.name &&
		   strcmp(rq->user.name, user) == 0;
	return store_session_end_user(rq->store, user, self ? rq->sess.token_hash : NULL);
}

int auth_csrf_ok(struct request *rq, const char *token)
{
	size_t n;
	if (!rq->authed || !rq->sess.csrf || !token)
		return 0;
	n = strlen(rq->sess.csrf);
	return strlen(token) == n && sodium_memcmp(token, rq->sess.csrf, n) == 0;
}

int auth_may_record(struct request *rq, const char *unit_code, int step_code)
{
	struct unitree *t = req_tree(rq);
	struct actor a = { rq->user.name, rq->user.unit, rq->role };
	if (!rq->authed || !t)
		return 0;
	return actor_may_record(&a, t, unitree_find(t, unit_code), step_code);
}

/* ---- the audit log's scope ---- */

static int memo_get(struct audit_memo *m, const char *key, int user, int *ok)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].user == user && strcmp(m->v[i].key, key) == 0) {
			*ok = m->v[i].ok;
			return 1;
		}
	return 0;
}

static int memo_put(struct audit_memo *m, const char *key, int user, int ok)
{
	size_t i;
	if (m->n < 64) {
		i = m->n++;
	} else {	/* full: replace the oldest */
		i = m->next++ % 64;
		free(m->v[i].key);
	}
	m->v[i].key = xstrdup(key);
	m->v[i].user = user;
	m->v[i].ok = ok;
	return ok;
}

void auth_audit_memo_release(struct audit_memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
	m->n = m->next = 0;
}

int auth_audit_visible(struct request *rq, const struct audit_entry *a, struct audit_memo *memo)
{
	const char *ent = a->entity ? a->entity : "", *key = a->key ? a->key : "";
	if (strcmp(ent, "unit") == 0)
		return req_can_see(rq, key);
	if (strcmp(ent, "quota") == 0) {
		const char *slash = strchr(key, '/');
		char *unit = xstrndup(key, slash ? (size_t)(slash - key) : strlen(key));
		int ok = req_can_see(rq, unit);
		free(unit);
		return ok;
	}
	if (strcmp(ent, "person") == 0 || strcmp(ent, "candidacy") == 0 ||
	    strcmp(ent, "step") == 0) {
		struct person p;
		int ok = 0;
		if (memo_get(memo, key, 0, &ok))
			return ok;
		if (store_person_get(rq->store, key, &p) == KN_OK) {
			ok = req_can_see(rq, p.unit);
			person_release(&p);
		}
		return memo_put(memo, key, 0, ok);
	}
	if (strcmp(ent, "user") == 0) {
		struct user u;
		int ok = 0;
		if (memo_get(memo, key, 1, &ok))
			return ok;
		if (store_user_get(rq->store, key, &u) == KN_OK) {
			ok = req_can_see(rq, u.unit);
			user_release(&u);
		}
		return memo_put(memo, key, 1, ok);
	}
	return 0;
}
