/*
 * server.c — the HTTP server of `ketnap serve`, on GNU libmicrohttpd.
 *
 * libmicrohttpd gives each connection a thread of its own; a request
 * borrows one of at most --threads workers (struct worker: a database
 * connection and a calendar, made on first need and kept) for its answer
 * and gives it back (see "the pool of workers" below), so handlers never
 * share a connection and a slow answer holds up no other connection. A
 * request's body is collected whole, up to a limit that depends on who
 * asks (authenticated from the headers before the body is read: see
 * SMALL_BODY below), its form fields parsed by libmicrohttpd's post
 * processor (urlencoded and multipart), the session or bearer token
 * checked, the route's role and CSRF rules enforced, and only then the
 * handler called. Every response
 * carries a strict Content-Security-Policy and the other security
 * headers; large text responses are gzip-compressed when the client
 * accepts it. A database that stays busy (locked by another process past
 * the busy timeout) is answered 503 with Retry-After, not as a conflict.
 * SIGTERM stops accepting connections, lets in-flight
 * requests finish, then exits.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <sodium.h>
#include <zlib.h>

#include "web/auth.h"
#include "web/cache.h"
#include "web/handlers.h"
#include "web/http.h"
#include "web/page.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Request bodies are limited by who asks, decided from the headers before
 * a byte of the body is kept: an unauthenticated request (the sign-in
 * form) gets SMALL_BODY; a signed-in one AUTHED_BODY; an upload route
 * (R_UPLOAD: the imports) MAX_BODY, and then only MAX_LARGE of those
 * large uploads at once (the next get 503 with Retry-After). Over the
 * limit the rest of the body is read and dropped, and the answer is 413.
 * The upload routes are those of the import handlers. */
#define SMALL_BODY (16u * 1024)
#define AUTHED_BODY (1024u * 1024)
#define MAX_BODY (32u * 1024 * 1024)	/* an import file of a whole city */
#define MAX_LARGE 2

static const struct server_opts *opts;
static pthread_key_t worker_key;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t stopping;
static int inflight;
static int large_uploads;	/* bodies over AUTHED_BODY being received */
static pthread_mutex_t inflight_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- key/value lists ---- */

const struct kv *kv_find(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return &l->v[i];
	return NULL;
}

const char *kv_get(const struct kvlist *l, const char *key)
{
	const struct kv *k = kv_find(l, key);
	return k ? k->val : NULL;
}

static struct kv *kv_add(struct kvlist *l, const char *key, const char *val, size_t len)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	struct kv *k = &l->v[l->n++];
	k->key = xstrdup(key);
	/* Uploaded files may hold NUL bytes: copy len bytes, not a string. */
	k->val = xmalloc(len + 1);
	if (len)
		memcpy(k->val, val, len);
	k->val[len] = '\0';
	k->len = len;
	k->filename = NULL;
	return k;
}

static void kv_free(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
		free(l->v[i].filename);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- roles ---- */

/* ---- responses ---- */

void resp_header(struct response *rs, const char *name, const char *value)
{
	rs->h = xreallocarray(rs->h, rs->nh + 1, sizeof(*rs->h));
	rs->h[rs->nh].name = xstrdup(name);
	rs->h[rs->nh].value = xstrdup(value);
	rs->nh++;
}

void resp_redirect(struct response *rs, const char *url)
{
	rs->status = 303;
	resp_header(rs, "Location", url);
}

static void json_escape(struct buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_addf(out, "\\%c", c);
		else if (c < 0x20)
			buf_addf(out, "\\u%04x", c);
		else
			buf_addc(out, (char)c);
	}
}

int resp_error(struct request *rq, struct response *rs, int status, const char *message)
{
	rs->status = status;
	buf_reset(&rs->body);
	if (rq->is_api) {
		rs->ctype = "application/json";
		buf_addf(&rs->body, "{\"error\":{\"status\":%d,\"message\":\"", status);
		json_escape(&rs->body, message);
		buf_adds(&rs->body, "\"}}\n");
		return 0;
	}
	rs->ctype = "text/html; charset=utf-8";
	page_begin(rq, rs, "", _("Error"));
	html_printf(&rs->body, "<p class=\"error\">%s</p>\n", message);
	html_printf(&rs->body, "<p><a href=\"/\">%s</a></p>\n", _("Back to the dashboard"));
	page_end(rq, rs);
	return 0;
}

/* ---- per-thread state ---- */

static void worker_free(void *p)
{
	struct worker *w = p;
	if (!w)
		return;
	store_close(w->store);
	if (w->cal)
		calendar_free(w->cal);
	free(w);
}

/* Bumped when the holidays change through this process, so that every
 * worker reloads its calendar (each thread has its own). Holidays changed
 * by another process (a second server on the same PostgreSQL, `ketnap
 * import holidays`) are seen through the change counter instead: a worker
 * whose calendar is older than the database's last write reloads it (the
 * holidays are a few hundred rows; the counter is one). */
static volatile int holiday_generation;

static void load_calendar(struct worker *w)
{
	struct holiday *h;
	size_t n;
	if (w->cal)
		calendar_free(w->cal);
	w->cal = calendar_new();
	w->generation = __atomic_load_n(&holiday_generation, __ATOMIC_ACQUIRE);
	if (store_changes(w->store, &w->changes) != KN_OK)
		w->changes = -1;
	if (store_holiday_all(w->store, &h, &n) == KN_OK) {
		for (size_t i = 0; i < n; i++)
			calendar_override(w->cal, h[i].date, h[i].workday, h[i].name);
		holidays_free(h, n);
	}
}

/* A new worker: its store opened, its calendar loaded. NULL when the
 * database cannot be opened (err says why). */
static struct worker *worker_new(struct buf *err)
{
	struct worker *w = xcalloc(1, sizeof(*w));
	if (store_open(opts->db_url, 0, &w->store, err) != KN_OK) {
		free(w);
		return NULL;
	}
	load_calendar(w);
	return w;
}

/* w again for a new request: its calendar reloaded when the holidays
 * may have changed since it was loaded. */
static struct worker *worker_fresh(struct worker *w)
{
	long long now;
	if (w->generation != __atomic_load_n(&holiday_generation, __ATOMIC_ACQUIRE) ||
	    (store_changes(w->store, &now) == KN_OK && now != w->changes))
		load_calendar(w);
	return w;
}

/* The calling thread's worker, made on first use. NULL when the database
 * cannot be opened (err says why). */
static struct worker *worker_get(struct buf *err)
{
	struct worker *w = pthread_getspecific(worker_key);
	if (w)
		return worker_fresh(w);
	if ((w = worker_new(err)))
		pthread_setspecific(worker_key, w);
	return w;
}

/* ---- the pool of workers (issue 13) ----
 *
 * `ketnap serve` answers each connection on a thread of its own
 * (libmicrohttpd's thread per connection), and a request borrows one of
 * at most --threads workers (a database connection and a calendar) for
 * its answer. A thread of a pool answering its connections one after the
 * other made every connection of a thread wait behind its slowest
 * answer: under wrk's 64 connections, a province root dashboard's cache
 * rebuild (0.6 s alone, seconds among 16 busy threads) held up the
 * connections that shared its thread, and that was the p99. Now it holds
 * up one connection and one worker; the others go on with the rest. A
 * request waits for a worker only when all are answering. The embedded
 * server of the fuzzer keeps one worker per thread (worker_get), as its
 * harness opens a transaction on the thread's store around a request. */
static int pooled;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static struct worker **pool_idle;
static size_t pool_nidle;
static int pool_made;		/* workers that exist, idle or lent */

static struct worker *worker_take(struct buf *err)
{
	struct worker *w = NULL;
	if (!pooled)
		return worker_get(err);
	pthread_mutex_lock(&pool_lock);
	while (!pool_nidle && pool_made >= opts->threads)
		pthread_cond_wait(&pool_cond, &pool_lock);
	if (pool_nidle)
		w = pool_idle[--pool_nidle];
	else
		pool_made++;
	pthread_mutex_unlock(&pool_lock);
	if (w)
		return worker_fresh(w);
	if (!(w = worker_new(err))) {
		pthread_mutex_lock(&pool_lock);
		pool_made--;
		pthread_cond_signal(&pool_cond);
		pthread_mutex_unlock(&pool_lock);
	}
	return w;
}

static void worker_give(struct worker *w)
{
	if (!pooled || !w)
		return;
	pthread_mutex_lock(&pool_lock);
	pool_idle[pool_nidle++] = w;
	pthread_cond_signal(&pool_cond);
	pthread_mutex_unlock(&pool_lock);
}

static void pool_release(void)
{
	for (size_t i = 0; i < pool_nidle; i++)
		worker_free(pool_idle[i]);
	free(pool_idle);
	pool_idle = NULL;
	pool_nidle = 0;
}

void server_reload_calendar(struct request *rq)
{
	__atomic_add_fetch(&holiday_generation, 1, __ATOMIC_RELEASE);
	load_calendar(rq->w);
	rq->cal = rq->w->cal;
}

/* The unit tree of every request of this process: one snapshot, read
 * again only when the units version moved (core/treecache.h). A request
 * takes its reference on first use and gives it back in
 * request_release(), so all its answers agree on one tree. */
static struct treecache trees = TREECACHE_INIT;

/* For tests only (tests/cli/web_list_cache.sh): with
 * KETNAP_TEST_TREE_GATE=PATH, a request that takes its tree while PATH
 * exists renames PATH to PATH.held and waits, 10 s at most, until
 * PATH.held is gone — so that a test can commit a write between a
 * request's tree and the rest of its reads. Unset, nothing happens. */
static void tree_gate(void)
{
	const char *gate = getenv("KETNAP_TEST_TREE_GATE");
	char held[4096];
	if (!gate || !*gate || (size_t)snprintf(held, sizeof(held), "%s.held", gate) >= sizeof(held))
		return;
	if (rename(gate, held) != 0)
		return;
	for (int i = 0; i < 1000 && access(held, F_OK) == 0; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

struct unitree *req_tree(struct request *rq)
{
	if (!rq->snap) {
		/* The counter first: a write committed after it may or may
		 * not be in the tree, and req_cache_head() then answers the
		 * older figure (cache.h: read it BEFORE what a text is built
		 * from). */
		rq->tree_head_ok = cache_head(rq->store, &rq->tree_head) == KN_OK;
		if (treecache_get(&trees, rq->store, &rq->snap) != KN_OK)
			return NULL;
		tree_gate();
	}
	return &rq->snap->t;
}

enum kn_err req_cache_head(struct request *rq, int64_t *head)
{
	enum kn_err e = cache_head(rq->store, head);
	int reads = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	if (e == KN_OK && reads && rq->snap && rq->tree_head_ok && rq->tree_head < *head)
		*head = rq->tree_head;
	return e;
}

enum kn_err req_cache_text(struct request *rq, const char *key,
			   enum kn_err (*build)(void *arg, struct buf *text), void *arg,
			   char **text)
{
	int64_t head = 0;
	enum kn_err e = req_cache_head(rq, &head);
	*text = NULL;
	if (e != KN_OK)
		return e;
	return cache_text(rq->store, head, key, rq->authed ? rq->user.name : NULL, build, arg,
			  text);
}

struct unode *req_scope(struct request *rq)
{
	struct unitree *t = req_tree(rq);
	return t && rq->authed ? unitree_find(t, rq->user.unit) : NULL;
}

/* The service decides (svc_may_see), as for every other front end. */
int req_can_see(struct request *rq, const char *unit_code)
{
	struct svc sv;
	int may;
	req_svc(rq, &sv);
	may = svc_may_see(&sv, unit_code);
	svc_release(&sv);
	return may;
}

void req_svc(struct request *rq, struct svc *sv)
{
	struct actor a = { rq->user.name, rq->user.unit, rq->authed ? rq->role : ROLE_NONE };
	svc_init(sv, rq->store, rq->cal, &a, 0, req_tree(rq));
}

/* ---- one connection's request ---- */

struct conn {
	struct buf body;
	size_t limit;		/* SMALL_BODY, AUTHED_BODY or MAX_BODY */
	int too_big;
	int large;		/* holds one of the MAX_LARGE upload slots */
	int no_slot;		/* a large upload refused: all slots taken */
	struct MHD_PostProcessor *pp;
	struct kvlist form;
	struct timespec start;
};

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	(void)kind;
	if (key)
		kv_add(cls, key, value, value ? strlen(value) : 0);
	return MHD_YES;
}

/* Post processor callback: values arrive in pieces (off) per field. */
static enum MHD_Result post_field(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *filename, const char *content_type,
				  const char *transfer_encoding, const char *data, uint64_t off,
				  size_t size)
{
	struct kvlist *l = cls;
	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (!key)
		return MHD_YES;	/* a multipart part without a name: no field */
	struct kv *k = l->n ? &l->v[l->n - 1] : NULL;
	if (off == 0 || !k || strcmp(k->key, key) != 0) {
		k = kv_add(l, key, data, size);
		if (filename)
			k->filename = xstrdup(filename);
		return MHD_YES;
	}
	k->val = xrealloc(k->val, k->len + size + 1);
	memcpy(k->val + k->len, data, size);
	k->len += size;
	k->val[k->len] = '\0';
	return MHD_YES;
}

static int route_match_path(const struct route *r, const char *path, const char **arg)
{
	size_t n = strlen(r->pattern);
	if (n && r->pattern[n - 1] == '*') {
		if (strncmp(path, r->pattern, n - 1) != 0 || !path[n - 1])
			return 0;
		*arg = path + n - 1;
		return 1;
	}
	*arg = "";
	return strcmp(r->pattern, path) == 0;
}

/* The route for method and url (rq->arg into *arg); NULL when none, with
 * *path_known telling whether another method would have matched. */
static const struct route *route_find(const char *url, const char *method, const char **arg,
				      int *path_known)
{
	*path_known = 0;
	*arg = "";
	for (size_t i = 0; i < kn_nroutes; i++) {
		const char *a;
		if (!route_match_path(&kn_routes[i], url, &a))
			continue;
		*path_known = 1;
		if (strcmp(kn_routes[i].method, method) == 0) {
			*arg = a;
			return &kn_routes[i];
		}
	}
	return NULL;
}

static int route_takes_uploads(const struct route *r)
{
	return r && (r->fn == h_import || r->fn == api_import);
}

static void access_log(struct request *rq, int status, size_t bytes, const struct conn *c)
{
	struct timespec end;
	char when[32];
	struct tm tm;
	time_t now = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ms = (double)(end.tv_sec - c->start.tv_sec) * 1e3 +
		    (double)(end.tv_nsec - c->start.tv_nsec) / 1e6;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pthread_mutex_lock(&log_lock);
	if (opts->access_log) {
		fprintf(opts->access_log, "%s %s %s %s %d %zu %.1fms %s\n", when,
			rq->remote ? rq->remote : "-", rq->method, rq->path, status, bytes, ms,
			rq->authed ? rq->user.name : "-");
		fflush(opts->access_log);
	}
	pthread_mutex_unlock(&log_lock);
}

static int accepts_gzip(struct MHD_Connection *conn)
{
	const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* gzip body into out; -1 on failure (then send it plain). */
static int gzip_body(const struct buf *in, struct buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong bound = deflateBound(&z, in->len);
	buf_grow(out, bound);
	z.next_in = (Bytef *)in->s;
	z.avail_in = (uInt)in->len;
	z.next_out = (Bytef *)out->s;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return -1;
	out->len = z.total_out;
	return 0;
}

static const char *csp =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

static enum MHD_Result send_response(struct MHD_Connection *conn, struct request *rq,
			    struct response *rs, struct conn *c)
{
	struct MHD_Response *r;
	struct buf gz = BUF_INIT;
	const struct buf *body = &rs->body;
	int zipped = 0;
	int is_text = !rs->ctype || strncmp(rs->ctype, "text/", 5) == 0 ||
		      strncmp(rs->ctype, "application/json", 16) == 0 ||
		      strncmp(rs->ctype, "application/javascript", 22) == 0;

	if (is_text && rs->body.len > 1024 && accepts_gzip(conn) && gzip_body(&rs->body, &gz) == 0) {
		body = &gz;
		zipped = 1;
	}
	size_t len = body->len;
	r = MHD_create_response_from_buffer(len, len ? body->s : (void *)"",
					    MHD_RESPMEM_MUST_COPY);
	buf_release(&gz);
	MHD_add_response_header(r, "Content-Type",
				rs->ctype ? rs->ctype : "text/html; charset=utf-8");
	if (zipped)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	int has_csp = 0;
	for (size_t i = 0; i < rs->nh; i++) {
		MHD_add_response_header(r, rs->h[i].name, rs->h[i].value);
		has_csp |= strcasecmp(rs->h[i].name, "Content-Security-Policy") == 0;
	}
	if (!has_csp)
		MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	if (!rs->cacheable)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (rq->secure)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	int status = rs->status ? rs->status : 200;
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	access_log(rq, status, len, c);
	return ret;
}

static void request_release(struct request *rq)
{
	kv_free(&rq->query);
	user_release(&rq->user);
	session_release(&rq->sess);
	treesnap_put(rq->snap);
	rq->snap = NULL;
}

static void response_release(struct response *rs)
{
	buf_release(&rs->body);
	for (size_t i = 0; i < rs->nh; i++) {
		free(rs->h[i].name);
		free(rs->h[i].value);
	}
	free(rs->h);
}

static const char *client_address(struct MHD_Connection *conn, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	buf[0] = '\0';
	if (!ci || !ci->client_addr)
		return buf;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
			  (socklen_t)n);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf,
			  (socklen_t)n);
	return buf;
}

/* ---- background rebuilds (issue 13) ----
 *
 * A request the cache gave a text it is allowed to serve while that text
 * is rebuilt (web/cache.h: hot and past its lag, or older than its age
 * limit) is answered at once; the same route is then run again, with a
 * copy of what the answer depends on (the path and query, the user and
 * their role, the language), on a thread of its own with a worker of its
 * own, and its answer is thrown away: only what it puts in the cache is
 * kept. At national size the root dashboard's rebuild is 3–12 s, and the
 * request that started it waited for it: past wrk's 10 s, a timeout. The
 * threads are counted among the requests in flight, so that a stopping
 * server waits for them as for the others. */
struct bg_job {
	const struct route *route;
	char *path;
	char *key;
	struct kvlist query;
	const char *lang;	/* "vi" or "en": static */
	int authed, bearer, secure, is_api;
	enum role role;
	struct user user;
	struct session sess;
	char remote[64];
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void bg_job_free(struct bg_job *j)
{
	free(j->path);
	free(j->key);
	kv_free(&j->query);
	user_release(&j->user);
	session_release(&j->sess);
	free(j);
}

static void *bg_main(void *arg)
{
	struct bg_job *j = arg;
	struct request rq;
	struct response rs;
	struct buf err = BUF_INIT;
	int known;

	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body);
	i18n_set_thread_lang(j->lang);
	if (!stopping && route_find(j->path, "GET", &rq.arg, &known) == j->route &&
	    (rq.w = worker_take(&err))) {
		rq.method = "GET";
		rq.path = j->path;
		rq.query = j->query;
		rq.remote = j->remote;
		rq.lang = j->lang;
		rq.authed = j->authed;
		rq.bearer = j->bearer;
		rq.secure = j->secure;
		rq.is_api = j->is_api;
		rq.role = j->role;
		rq.user = j->user;
		rq.sess = j->sess;
		rq.store = rq.w->store;
		rq.cal = rq.w->cal;
		rs.status = 200;
		store_busy(rq.store);
		cache_bg_begin(j->key);
		j->route->fn(&rq, &rs);
		/* Another stale entry it met: not rebuilt from here. */
		char *other = cache_bg_take();
		if (other) {
			cache_bg_end(other);
			free(other);
		}
		/* The request owns these now: freed by request_release(). */
		memset(&j->query, 0, sizeof(j->query));
		memset(&j->user, 0, sizeof(j->user));
		memset(&j->sess, 0, sizeof(j->sess));
		request_release(&rq);
		worker_give(rq.w);
	}
	cache_bg_end(j->key);
	response_release(&rs);
	buf_release(&err);
	i18n_set_thread_lang(NULL);
	bg_job_free(j);
	pthread_mutex_lock(&inflight_lock);
	inflight--;
	pthread_mutex_unlock(&inflight_lock);
	return NULL;
}

/* Run route again for key on a thread of its own (see above); when it
 * cannot, the entry is released and the next request rebuilds it. */
static void bg_rebuild(const struct route *route, const struct request *rq, char *key)
{
	struct bg_job *j;
	pthread_attr_t attr;
	pthread_t th;
	int ok;

	if (strcmp(rq->method, "GET") != 0) {
		cache_bg_end(key);
		free(key);
		return;
	}
	j = xcalloc(1, sizeof(*j));
	j->route = route;
	j->path = xstrdup(rq->path);
	j->key = key;
	for (size_t i = 0; i < rq->query.n; i++)
		kv_add(&j->query, rq->query.v[i].key, rq->query.v[i].val, rq->query.v[i].len);
	j->lang = rq->lang;
	j->authed = rq->authed;
	j->bearer = rq->bearer;
	j->secure = rq->secure;
	j->is_api = rq->is_api;
	j->role = rq->role;
	j->user.id = rq->user.id;
	j->user.name = dup_or_null(rq->user.name);
	j->user.unit = dup_or_null(rq->user.unit);
	j->user.role = dup_or_null(rq->user.role);
	j->user.disabled = rq->user.disabled;
	j->sess.user = dup_or_null(rq->sess.user);
	j->sess.csrf = dup_or_null(rq->sess.csrf);
	snprintf(j->remote, sizeof(j->remote), "%s", rq->remote ? rq->remote : "");

	pthread_mutex_lock(&inflight_lock);
	inflight++;
	pthread_mutex_unlock(&inflight_lock);
	ok = pthread_attr_init(&attr) == 0;
	if (ok) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		ok = pthread_create(&th, &attr, bg_main, j) == 0;
		pthread_attr_destroy(&attr);
	}
	if (!ok) {
		cache_bg_end(j->key);
		bg_job_free(j);
		pthread_mutex_lock(&inflight_lock);
		inflight--;
		pthread_mutex_unlock(&inflight_lock);
	}
}

static enum MHD_Result dispatch(struct MHD_Connection *conn, const char *url, const char *method,
				struct conn *c)
{
	struct request rq;
	struct response rs;
	struct buf err = BUF_INIT;
	char addr[64];
	enum MHD_Result ret;

	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body);
	rq.method = method;
	rq.path = url;
	rq.arg = "";
	rq.remote = client_address(conn, addr, sizeof(addr));
	rq.is_api = strncmp(url, "/api/", 5) == 0;
	rq.body = c->body.s;
	rq.body_len = c->body.len;
	rq.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	rq.secure = opts->tls || (opts->trust_proxy && proto && strcmp(proto, "https") == 0);
	if (opts->trust_proxy) {
		const char *fwd = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Real-IP");
		if (fwd)
			rq.remote = fwd;
	}
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_kv, &rq.query);
	rq.prelogin = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, PRELOGIN_COOKIE);
	rq.form = c->form;

	/* Language: ?lang=, then the cookie, then Vietnamese. */
	const char *lang = kv_get(&rq.query, "lang");
	if (!lang || (strcmp(lang, "vi") && strcmp(lang, "en")))
		lang = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, LANG_COOKIE);
	rq.lang = lang && strcmp(lang, "en") == 0 ? "en" : "vi";
	i18n_set_thread_lang(rq.lang);

	if (c->no_slot) {
		resp_header(&rs, "Retry-After", "30");
		resp_error(&rq, &rs, 503, _("Other large uploads are being received; try again in "
					    "a minute."));
		goto send;
	}
	if (c->too_big) {
		struct buf m = BUF_INIT;
		if (c->limit == SMALL_BODY)
			buf_addf(&m, _("The request is too large: at most %u KiB before signing "
				       "in."), SMALL_BODY / 1024);
		else if (c->limit == AUTHED_BODY)
			buf_addf(&m, _("The request is too large: at most %u MiB here."),
				 AUTHED_BODY / 1024 / 1024);
		else
			buf_addf(&m, _("The upload is too large: at most %u MiB."),
				 MAX_BODY / 1024 / 1024);
		resp_error(&rq, &rs, 413, m.s);
		buf_release(&m);
		goto send;
	}
	rq.w = worker_take(&err);
	if (!rq.w) {
		resp_error(&rq, &rs, 503, _("The database cannot be opened."));
		goto send;
	}
	rq.store = rq.w->store;
	rq.cal = rq.w->cal;

	int path_known;
	const struct route *route = route_find(url, method, &rq.arg, &path_known);
	if (!route) {
		resp_error(&rq, &rs, path_known ? 405 : 404,
			   path_known ? _("This method is not allowed here.") : _("No such page."));
		goto send;
	}

	/* Who is asking. */
	{
		const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE);
		const char *authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
		const char *bearer = authz && strncasecmp(authz, "Bearer ", 7) == 0 ? authz + 7 : NULL;
		auth_request(&rq, cookie, bearer);
	}
	if (!(route->flags & R_PUBLIC)) {
		if (!rq.authed) {
			if (rq.is_api) {
				resp_error(&rq, &rs, 401, _("Sign in first."));
			} else {
				struct buf to = BUF_INIT;
				buf_adds(&to, "/login?next=");
				url_encode(&to, url);
				resp_redirect(&rs, to.s);
				buf_release(&to);
			}
			goto send;
		}
		if (rq.role < route->min_role) {
			resp_error(&rq, &rs, 403, _("Your role does not allow this."));
			goto send;
		}
		/* CSRF: every state-changing request made with the cookie. */
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && !rq.bearer &&
		    !(route->flags & R_NO_CSRF)) {
			const char *tok = kv_get(&rq.form, "csrf");
			if (!tok)
				tok = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
			if (!auth_csrf_ok(&rq, tok)) {
				resp_error(&rq, &rs, 403, _("The form has expired or did not come from "
							    "this site; reload the page and try again."));
				goto send;
			}
		}
	}
	rs.status = 200;
	store_busy(rq.store);	/* forget an earlier request's */
	route->fn(&rq, &rs);
	{
		char *bgkey = cache_bg_take();
		if (bgkey)
			bg_rebuild(route, &rq, bgkey);
	}
	/* A request that may have written: this user's next cached answers
	 * are built after it (web/cache.h), however fast others write. */
	if (rq.authed && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		int64_t head;
		if (cache_head(rq.store, &head) == KN_OK)
			cache_wrote(rq.user.name, head);
	}
	/* The database was busy (another process held its lock too long):
	 * not the request's fault, and worth trying again. */
	if (rs.status >= 500 && store_busy(rq.store)) {
		response_release(&rs);	/* none of the handler's headers */
		rs.h = NULL;
		rs.nh = 0;
		buf_init(&rs.body);
		resp_header(&rs, "Retry-After", "5");
		resp_error(&rq, &rs, 503, _("The database is busy; try again in a moment."));
	}
send:
	ret = send_response(conn, &rq, &rs, c);
	response_release(&rs);
	rq.form.v = NULL;	/* owned by the connection */
	rq.form.n = 0;
	request_release(&rq);
	worker_give(rq.w);
	buf_release(&err);
	i18n_set_thread_lang(NULL);
	return ret;
}

/* The body limit of a request, from its headers alone: a signed-in user
 * (session cookie or bearer token, as dispatch() will check them) of the
 * route's role gets more, the import routes most. */
static size_t body_limit(struct MHD_Connection *conn, const char *url, const char *method)
{
	struct request rq;
	struct buf err = BUF_INIT;
	const char *arg;
	int known;
	size_t limit = SMALL_BODY;

	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return SMALL_BODY;
	const struct route *route = route_find(url, method, &arg, &known);
	if (!route || (route->flags & R_PUBLIC))
		return SMALL_BODY;
	const char *cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	const char *authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	const char *bearer = authz && strncasecmp(authz, "Bearer ", 7) == 0 ? authz + 7 : NULL;
	if (!cookie && !bearer)
		return SMALL_BODY;
	memset(&rq, 0, sizeof(rq));
	rq.w = worker_take(&err);
	buf_release(&err);
	if (!rq.w)
		return SMALL_BODY;
	rq.store = rq.w->store;
	auth_request(&rq, cookie, bearer);
	if (rq.authed && rq.role >= route->min_role)
		limit = route_takes_uploads(route) ? MAX_BODY : AUTHED_BODY;
	request_release(&rq);
	worker_give(rq.w);
	return limit;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct conn *c = *con_cls;
	(void)cls;
	(void)version;

	if (!c) {
		c = xcalloc(1, sizeof(*c));
		buf_init(&c->body);
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		*con_cls = c;
		pthread_mutex_lock(&inflight_lock);
		inflight++;
		pthread_mutex_unlock(&inflight_lock);
		c->limit = body_limit(conn, url, method);
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (c->too_big || c->no_slot)
			return MHD_YES;	/* read and dropped */
		if (c->body.len + n > c->limit) {
			c->too_big = 1;
			buf_release(&c->body);
			return MHD_YES;
		}
		if (c->body.len + n > AUTHED_BODY && !c->large) {
			pthread_mutex_lock(&inflight_lock);
			if (large_uploads < MAX_LARGE) {
				large_uploads++;
				c->large = 1;
			}
			pthread_mutex_unlock(&inflight_lock);
			if (!c->large) {
				c->no_slot = 1;
				buf_release(&c->body);
				return MHD_YES;
			}
		}
		buf_add(&c->body, upload, n);
		return MHD_YES;
	}
	/* The whole body is in: parse form fields, then answer. */
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	if (c->body.len && ct && (strncasecmp(ct, MHD_HTTP_POST_ENCODING_FORM_URLENCODED, 33) == 0 ||
				  strncasecmp(ct, MHD_HTTP_POST_ENCODING_MULTIPART_FORMDATA, 19) == 0)) {
		c->pp = MHD_create_post_processor(conn, 64 * 1024, post_field, &c->form);
		if (c->pp) {
			MHD_post_process(c->pp, c->body.s, c->body.len);
			MHD_destroy_post_processor(c->pp);
			c->pp = NULL;
		}
	}
	return dispatch(conn, url, method, c);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct conn *c = *con_cls;
	(void)cls;
	(void)conn;
	(void)toe;
	if (!c)
		return;
	pthread_mutex_lock(&inflight_lock);
	inflight--;
	if (c->large)
		large_uploads--;
	pthread_mutex_unlock(&inflight_lock);
	buf_release(&c->body);
	kv_free(&c->form);
	free(c);
	*con_cls = NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	pthread_mutex_lock(&log_lock);
	fputs("ketnap serve: ", stderr);
	vfprintf(stderr, fmt, ap);
	pthread_mutex_unlock(&log_lock);
}

/* The unit tree read once before the first request is taken: at national
 * scale 0.3-0.5 s of CPU (325 thousand units) that the first request of
 * every start paid (issue 13: the first dashboard of the root). A failed
 * read is left for the first request to meet and answer. */
static void warm_tree(void)
{
	struct buf err = BUF_INIT;
	struct worker *w = worker_take(&err);
	struct treesnap *snap;

	if (w && treecache_get(&trees, w->store, &snap) == KN_OK)
		treesnap_put(snap);
	worker_give(w);
	buf_release(&err);
}

int server_run(const struct server_opts *o, struct buf *err)
{
	struct sockaddr_in6 a6;
	struct sockaddr_in a4;
	struct sockaddr *sa;
	struct MHD_Daemon *d;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_POLL | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC;	/* needed by MHD_quiesce_daemon */

	opts = o;
#ifdef M_ARENA_MAX
	/* A thread per connection would otherwise get glibc's 8 arenas a
	 * core, each keeping what its threads freed: 54 MB instead of 65 MB
	 * at the top of a province's wrk run, the same speed. */
	mallopt(M_ARENA_MAX, 2);
#endif
	pooled = 1;
	cache_background(1);
	pool_idle = xcalloc((size_t)(o->threads > 0 ? o->threads : 1), sizeof(*pool_idle));
	if (sodium_init() < 0) {
		buf_adds(err, "libsodium cannot start");
		return -1;
	}
	i18n_thread_langs();
	pthread_key_create(&worker_key, worker_free);
	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, o->addr, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, o->addr, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)o->port);
		sa = (struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		buf_addf(err, _("cannot listen on %s: not an IP address"), o->addr);
		return -1;
	}
	warm_tree();
	d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handler, NULL,
			     MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
			     MHD_OPTION_SOCK_ADDR, sa,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_END);
	if (!d) {
		buf_addf(err, _("cannot listen on %s:%d: %s"), o->addr, o->port, strerror(errno));
		return -1;
	}
	struct sigaction sact;
	memset(&sact, 0, sizeof(sact));
	sact.sa_handler = on_signal;
	sigaction(SIGTERM, &sact, NULL);
	sigaction(SIGINT, &sact, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (o->ready)
		o->ready(o);
	while (!stopping)
		pause();

	/* Graceful shutdown: no new connections; in-flight requests finish
	 * (up to 10 s), then the workers stop. */
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&inflight_lock);
		int n = inflight;
		pthread_mutex_unlock(&inflight_lock);
		if (n <= 0)
			break;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	pool_release();
	treecache_release(&trees);
	return 0;
}

/* ---- without a socket or threads (tests/fuzz/fuzz_http.c) ---- */

struct MHD_Daemon *server_start_embedded(const struct server_opts *o)
{
	opts = o;
	if (sodium_init() < 0)
		return NULL;
	i18n_thread_langs();
	pthread_key_create(&worker_key, worker_free);
	return MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL, handler, NULL,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
}

struct store *server_thread_store(void)
{
	struct buf err = BUF_INIT;
	struct worker *w = worker_get(&err);
	buf_release(&err);
	return w ? w->store : NULL;
}
