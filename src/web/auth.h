/*
 * auth.h — accounts, sessions, CSRF and permissions for `ketnap serve`.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str). A
 * session is a random 256-bit token in an HttpOnly, SameSite=Strict
 * cookie (Secure behind TLS); the database keeps only its hash, so a
 * stolen database holds no usable session. Each session has its own CSRF
 * token, required on every state-changing form and API call made with
 * the cookie. Scripts use a per-user bearer token instead (also stored
 * hashed). Sessions expire after an idle period and, however busy, after
 * an absolute lifetime; a changed password ends the user's other
 * sessions. Every login attempt is counted, atomically, before its
 * password is checked: past the limit for a name (or an address) the
 * attempt is refused without checking, so parallel guesses get no more
 * tries than sequential ones.
 */
#ifndef KN_AUTH_H
#define KN_AUTH_H

#include "util/buf.h"
#include "util/err.h"
#include "web/http.h"

#define SESSION_COOKIE "kn_session"
#define PRELOGIN_COOKIE "kn_pre"
#define LANG_COOKIE "kn_lang"

/* Settings, set once at start-up by cmd_serve. */
extern long long auth_idle_seconds;	/* default 30 minutes */
extern int auth_max_failures;		/* default 5 … */
extern long long auth_failure_window;	/* … within 15 minutes */
extern long long auth_session_lifetime;	/* default 12 hours, however active */

/* Hash a password (argon2id) into out; -1 when out of memory. */
int auth_hash_password(const char *password, struct buf *out);
/* 1 when the password matches the stored hash. */
int auth_check_password(const char *hash, const char *password);

/* 64 hex characters of fresh randomness (256 bits). */
void auth_random_token(struct buf *out);
/* The hex hash of a token, as stored. */
void auth_token_hash(const char *token, struct buf *out);

/* Authenticate the request from its session cookie or bearer token;
 * fills rq->authed, user, sess, role. An expired session is deleted. */
void auth_request(struct request *rq, const char *cookie_token, const char *bearer);

/* Log in: on success a new session and its cookie (Set-Cookie on rs);
 * KN_EPERM for bad credentials, KN_ECONFLICT when throttled (the
 * password then not even checked), KN_EIO when the attempt could not be
 * counted. */
enum kn_err auth_login(struct request *rq, struct response *rs, const char *name,
		       const char *password);
void auth_logout(struct request *rq, struct response *rs);

/* After user's password changed: end every session of the user but the
 * request's own when it is the user's (a self-change keeps you signed
 * in). Call it in the transaction that stores the new hash. */
enum kn_err auth_end_other_sessions(struct request *rq, const char *user);

/* 1 when token matches the session's CSRF token (constant time). */
int auth_csrf_ok(struct request *rq, const char *token);

/* Permission to record `step` for a person considered by unit_code:
 * editor up to the committee vote (and withdrawn/rejected; striking off
 * during probation is an approver's),
 * approver also decision and official where the user's unit is the
 * competent committee, admin anything in the subtree. */
int auth_may_record(struct request *rq, const char *unit_code, int step_code);

/* Whether an audit entry concerns the user's subtree: a unit, a quota of
 * a unit, a person (and their candidacy and steps) or an account bound to
 * a unit of it. Entries about the whole database (holidays, policy, the
 * demo) are the top unit's admins', whom the callers let see everything.
 * The audit page and GET /api/v1/audit both ask it. memo (zeroed before
 * the first call, auth_audit_memo_release() after the last) remembers the
 * people and accounts already looked up: a person's steps come in runs. */
struct audit_entry;
struct audit_memo {
	struct {
		char *key;
		int user;	/* 1: an account, 0: a person */
		int ok;
	} v[64];
	size_t n, next;
};
int auth_audit_visible(struct request *rq, const struct audit_entry *a, struct audit_memo *memo);
void auth_audit_memo_release(struct audit_memo *memo);

#endif
