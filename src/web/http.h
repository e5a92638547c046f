/*
 * http.h — what a page or API handler sees of an HTTP request, and the
 * response it fills in. server.c (GNU libmicrohttpd) builds the request,
 * authenticates it (auth.c), checks the route's role and CSRF rules, calls
 * the handler and sends the response; handlers never touch the library.
 *
 * Ownership: everything in a struct request belongs to the server and
 * lives until the handler returns. A handler writes rs->body (and may set
 * status, content type, headers); the server frees it.
 */
#ifndef KN_HTTP_H
#define KN_HTTP_H

#include <stddef.h>

#include "core/actor.h"
#include "core/calendar.h"
#include "core/treecache.h"
#include "core/unitree.h"
#include "store/store.h"
#include "util/buf.h"

struct kv {
	char *key;
	char *val;		/* NUL-terminated; may hold NULs for uploads: see len */
	size_t len;
	char *filename;		/* multipart file fields; else NULL */
};

struct kvlist {
	struct kv *v;
	size_t n;
};

/* The first value of key, or NULL. */
const char *kv_get(const struct kvlist *l, const char *key);
const struct kv *kv_find(const struct kvlist *l, const char *key);


/* Per worker thread: its own database connection and calendar. */
struct worker {
	struct store *store;
	struct calendar *cal;
	int generation;		/* of the holidays its calendar was built from */
	long long changes;	/* store_changes() when its calendar was built */
};

struct request {
	const char *method;	/* "GET", "POST" … */
	const char *path;	/* "/candidates/0791", no query */
	const char *arg;	/* what a route's trailing '*' matched, else "" */
	struct kvlist query;
	struct kvlist form;	/* urlencoded or multipart POST fields */
	const char *body;	/* raw body (JSON API) */
	size_t body_len;
	const char *content_type;
	const char *remote;	/* client address */
	const char *prelogin;	/* the pre-login cookie (sign-in form) */
	int secure;		/* served over TLS (directly or behind a proxy) */
	int is_api;		/* under /api/: errors as JSON */
	struct worker *w;
	struct store *store;	/* = w->store */
	struct calendar *cal;	/* = w->cal */

	/* Authentication (auth.c). */
	int authed;
	int bearer;		/* authenticated by an API token, not a cookie */
	struct user user;
	struct session sess;	/* cookie sessions */
	enum role role;
	const char *lang;	/* "vi" or "en" */

	/* The process's shared unit tree, one reference taken on first use
	 * by req_tree() and held to the request's end. */
	struct treesnap *snap;
	/* The change counter read just before snap was taken (tree_head_ok:
	 * it could be read): req_cache_head(). */
	int64_t tree_head;
	int tree_head_ok;
};

struct header {
	char *name;
	char *value;
};

struct response {
	int status;		/* 200 unless set */
	const char *ctype;	/* "text/html; charset=utf-8" unless set */
	struct buf body;
	struct header *h;
	size_t nh;
	int cacheable;		/* static assets: cache headers instead of no-store */
};

void resp_header(struct response *rs, const char *name, const char *value);
/* 303 See Other to url (relative to the site). */
void resp_redirect(struct response *rs, const char *url);

/* The request's unit tree: the process's shared snapshot, the same one
 * from the request's first call to its end (read only: never change
 * it); NULL on a storage error. The user's own unit: req_scope(). */
struct unitree *req_tree(struct request *rq);
struct unode *req_scope(struct request *rq);
/* The change counter a cached answer of this request is looked up and
 * kept under (web/cache.h): the counter now, or, when the request already
 * holds its unit tree, the counter read before that tree was — so that a
 * page built from an older tree than the counter says (a unit renamed in
 * between) is kept as stale, not as current. A request that may write
 * (not GET or HEAD) always reads it afresh. */
enum kn_err req_cache_head(struct request *rq, int64_t *head);
/* cache_text() (web/cache.h) for this request: under req_cache_head(), for
 * the signed-in user. */
enum kn_err req_cache_text(struct request *rq, const char *key,
			   enum kn_err (*build)(void *arg, struct buf *text), void *arg,
			   char **text);
/* 1 when the unit with this code is in the user's subtree. */
int req_can_see(struct request *rq, const char *unit_code);

/* A route: METHOD PATTERN (a trailing '*' matches the rest, into rq->arg). */
enum route_flags {
	R_PUBLIC = 1,		/* no login needed */
	R_NO_CSRF = 2,		/* state-changing but checked otherwise (login) */
};

struct route {
	const char *method;
	const char *pattern;
	unsigned flags;
	enum role min_role;	/* ignored with R_PUBLIC */
	int (*fn)(struct request *rq, struct response *rs);
};

/* The route table (routes.c). */
extern const struct route kn_routes[];
extern const size_t kn_nroutes;

/* Errors: an HTML page or, under /api/, JSON {"error": {"status", "message",
 * "violations": [{"code","message"}]}}. Returns 0 for the handler to
 * return. */
int resp_error(struct request *rq, struct response *rs, int status, const char *message);

#endif
