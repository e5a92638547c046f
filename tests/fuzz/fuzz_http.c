/*
 * fuzz_http.c — libFuzzer target over the web server's whole request path:
 * libmicrohttpd's request and header parsing, cookies, the URL-encoded and
 * multipart post processor, sessions, bearer tokens and CSRF checks, and
 * every page and /api/v1 handler with its form fields or JSON body.
 *
 * The real server (server.c) runs in-process without a listening socket
 * (server_start_embedded): each input becomes one raw HTTP request written
 * into a socketpair whose other end is handed to the daemon with
 * MHD_add_connection(), and the daemon is driven with MHD_run() until it
 * has answered and closed, or waits for bytes that will never come.
 *
 * An input is: a route byte (an entry of the real route table, its '*'
 * filled from the input; or, past the table, a raw request line), a flags
 * byte (who is signed in: nobody, an admin of the city, an editor of one
 * cell, or the admin's bearer token; where the CSRF token goes; the
 * Content-Type: none, JSON, urlencoded or multipart; language and gzip),
 * then NUL-separated pieces: the path's rest and query, extra header
 * lines, and the body. So mutations start from requests that pass
 * authentication and reach the handlers.
 *
 * The database is a temporary SQLite file holding the example city and
 * the two accounts with their sessions, built once. Each input runs inside
 * a transaction of the worker's connection, rolled back afterwards, so
 * every request meets the same data. (POST /login is left out of the
 * route choices: every try runs argon2id, 64 MiB and a tenth of a
 * second, which would stall the fuzzer.)
 *
 * $KN_FUZZ_TRACE=1 prints each request line with its answer's status
 * (to see what a corpus reaches); $KN_FUZZ_VERBOSE=1 prints the requests
 * answered 5xx.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>

#include <microhttpd.h>

#include "web/auth.h"
#include "web/server.h"
#include "common.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tokens of the two sessions and of the bearer (64 hex digits each). */
#define ADMIN_TOKEN "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf00112233445566778899aabbccddeeff"
#define EDITOR_TOKEN "e0e1e2e3e4e5e6e7e8e9eaebecedeeef00112233445566778899aabbccddeeff"
#define BEARER_TOKEN "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf00112233445566778899aabbccddeeff"
#define CSRF_TOKEN "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf00112233445566778899aabbccddeeff"
#define BOUNDARY "KNB"

static struct MHD_Daemon *daemon_;
static struct server_opts sopts;
static char db_path[64];

static void remove_db(void)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		struct buf p = BUF_INIT;
		buf_addf(&p, "%s%s", db_path, ext[i]);
		unlink(p.s);
		buf_release(&p);
	}
}

static void add_account(struct store *s, const char *name, const char *unit, const char *role,
			const char *token)
{
	struct buf pw = BUF_INIT, th = BUF_INIT;
	struct user u = { 0 };
	int changed;

	if (auth_hash_password("mật khẩu dài và khó đoán", &pw) != 0)
		abort();
	u.name = (char *)name;
	u.unit = (char *)unit;
	u.role = (char *)role;
	u.pw_hash = pw.s;
	auth_token_hash(token, &th);
	struct session x = { th.s, (char *)name, CSRF_TOKEN, (long long)time(NULL),
			     (long long)time(NULL) };
	if (store_user_put(s, &u, &changed) != KN_OK || store_session_new(s, &x) != KN_OK)
		abort();
	buf_release(&pw);
	buf_release(&th);
}

static void setup(void)
{
	int fd;
	struct buf th = BUF_INIT;

	signal(SIGPIPE, SIG_IGN);
	snprintf(db_path, sizeof(db_path), "/tmp/kn-fuzz-http-XXXXXX");
	if ((fd = mkstemp(db_path)) < 0)
		abort();
	close(fd);
	unlink(db_path);
	atexit(remove_db);
	struct store *s = fuzz_city_open(db_path);
	add_account(s, "fuzzadmin", "CT", "admin", ADMIN_TOKEN);
	add_account(s, "fuzzeditor", "CT.BT.BTH.KV1", "editor", EDITOR_TOKEN);
	auth_token_hash(BEARER_TOKEN, &th);
	if (store_user_set_token(s, "fuzzadmin", th.s) != KN_OK)
		abort();
	buf_release(&th);
	store_close(s);

	/* The sessions never expire while the fuzzer runs. */
	auth_idle_seconds = 1LL << 40;
	sopts.db_url = db_path;
	sopts.addr = "127.0.0.1";
	sopts.port = 0;
	sopts.threads = 1;
	if (!(daemon_ = server_start_embedded(&sopts)))
		abort();
}

/* The next NUL-separated piece of the input. */
static const char *piece(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *start = *p, *nul = memchr(start, '\0', (size_t)(end - start));
	const uint8_t *stop = nul ? nul : end;
	*len = (size_t)(stop - start);
	*p = nul ? nul + 1 : end;
	return (const char *)start;
}

static void build_request(const uint8_t *data, size_t size, struct buf *rq)
{
	const uint8_t *p = data + 2, *end = data + size;
	size_t route = data[0], flags = data[1];
	size_t nrest, nhdr, nbody;
	const char *rest = piece(&p, end, &nrest);
	const char *hdr = piece(&p, end, &nhdr);
	const char *body = (const char *)p;
	struct buf b = BUF_INIT;

	nbody = (size_t)(end - p);
	if (route < kn_nroutes) {
		const struct route *r = &kn_routes[route];
		size_t n = strlen(r->pattern);
		const char *method = r->method;
		if (strcmp(r->pattern, "/login") == 0)
			method = "GET";
		if (n && r->pattern[n - 1] == '*')
			n--;
		buf_addf(rq, "%s ", method);
		buf_add(rq, r->pattern, n);
	}
	/* Past the table: the piece is the whole "METHOD /path?query". */
	buf_add(rq, rest, nrest);
	buf_adds(rq, " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
	switch (flags & 3) {
	case 1: buf_adds(rq, "Cookie: " SESSION_COOKIE "=" ADMIN_TOKEN); break;
	case 2: buf_adds(rq, "Cookie: " SESSION_COOKIE "=" EDITOR_TOKEN); break;
	case 3: buf_adds(rq, "Authorization: Bearer " BEARER_TOKEN "\r\nCookie: x=y"); break;
	default: buf_adds(rq, "Cookie: " PRELOGIN_COOKIE "=0"); break;
	}
	if (flags & 0x40)
		buf_adds(rq, "; " LANG_COOKIE "=en");
	buf_adds(rq, "\r\n");
	if (flags & 4)
		buf_adds(rq, "X-CSRF-Token: " CSRF_TOKEN "\r\n");
	if (flags & 0x80)
		buf_adds(rq, "Accept-Encoding: gzip, deflate\r\n");
	switch ((flags >> 4) & 3) {
	case 1:
		buf_adds(rq, "Content-Type: application/json\r\n");
		break;
	case 2:
		buf_adds(rq, "Content-Type: application/x-www-form-urlencoded\r\n");
		if (flags & 8)
			buf_adds(&b, "csrf=" CSRF_TOKEN "&");
		break;
	case 3:
		buf_adds(rq, "Content-Type: multipart/form-data; boundary=" BOUNDARY "\r\n");
		if (flags & 8)
			buf_adds(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; "
				 "name=\"csrf\"\r\n\r\n" CSRF_TOKEN "\r\n");
		break;
	}
	buf_add(&b, body, nbody);
	buf_add(rq, hdr, nhdr);
	if (nhdr && hdr[nhdr - 1] != '\n')
		buf_adds(rq, "\r\n");
	buf_addf(rq, "Content-Length: %zu\r\n\r\n", b.len);
	buf_add(rq, b.s, b.len);
	buf_release(&b);
}

static unsigned connections(void)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return i ? i->num_connections : 0;
}

/* Send the request, drive the daemon, read the answer. Returns the bytes
 * of the answer (into out). */
static void exchange(const struct buf *rq, struct buf *out)
{
	int sv[2];
	struct sockaddr_in peer;
	size_t sent = 0;
	int idle = 0, last_pending = -1;
	char chunk[16384];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_port = htons(40000);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(daemon_, sv[1], (struct sockaddr *)&peer, sizeof(peer)) != MHD_YES)
		abort();
	/* Stop when the daemon closes the connection, or when it has had
	 * every byte and makes no progress (an incomplete request). */
	for (int round = 0; round < 100000 && idle < 8; round++) {
		int progress = 0, pending = 0;
		if (sent < rq->len) {
			ssize_t n = send(sv[0], rq->s + sent, rq->len - sent, MSG_NOSIGNAL);
			if (n > 0) {
				sent += (size_t)n;
				progress = 1;
			} else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
				sent = rq->len;	/* the daemon closed early */
			}
		}
		MHD_run(daemon_);
		ssize_t n = recv(sv[0], chunk, sizeof(chunk), 0);
		if (n == 0)
			break;
		if (n > 0) {
			buf_add(out, chunk, (size_t)n);
			progress = 1;
		}
		/* Bytes sent that the daemon has not read yet (asked on our own
		 * end: the daemon may have closed and reused its descriptor). */
		if (ioctl(sv[0], SIOCOUTQ, &pending) == 0 && pending != last_pending) {
			last_pending = pending;
			progress = 1;
		}
		idle = progress ? 0 : idle + 1;
	}
	close(sv[0]);
	for (int round = 0; round < 1000 && connections() > 0; round++)
		MHD_run(daemon_);
	if (connections() > 0)
		abort();	/* the daemon keeps a connection its client closed */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf rq = BUF_INIT, out = BUF_INIT;
	struct store *s;

	if (!daemon_)
		setup();
	if (size < 2)
		return 0;
	if (!(s = server_thread_store()) || store_begin(s) != KN_OK)
		abort();
	build_request(data, size, &rq);
	exchange(&rq, &out);
	store_rollback(s);

	/* An answer, when there is one, is HTTP. */
	if (out.len && strncmp(out.s, "HTTP/1.", 7) != 0)
		abort();
	if (getenv("KN_FUZZ_TRACE")) {
		const char *eol = strstr(rq.s, "\r\n");
		fprintf(stderr, "fuzz_http: %.*s -> %.12s (%zu bytes)\n", eol ? (int)(eol - rq.s) : 40,
			rq.s, out.len ? out.s : "no answer", out.len);
	} else if (getenv("KN_FUZZ_VERBOSE") && out.len > 12 && out.s[9] == '5') {
		fprintf(stderr, "fuzz_http: %.12s for:\n%.*s\n", out.s, (int)(rq.len > 2000 ? 2000 : rq.len),
			rq.s);
	}
	buf_release(&rq);
	buf_release(&out);
	return 0;
}
