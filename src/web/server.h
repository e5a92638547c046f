/*
 * server.h — starting and stopping the web server (server.c).
 */
#ifndef KN_SERVER_H
#define KN_SERVER_H

#include <stdio.h>

#include "core/svc.h"
#include "util/buf.h"
#include "web/http.h"

struct server_opts {
	const char *db_url;
	const char *addr;	/* "127.0.0.1" or an IPv6 address */
	int port;
	int threads;		/* worker threads (default: the cores) */
	int tls;		/* served over TLS directly (never, for now) */
	int trust_proxy;	/* trust X-Forwarded-Proto / X-Real-IP from nginx */
	FILE *access_log;	/* one line per request, or NULL */
	/* Called once listening (prints the address). */
	void (*ready)(const struct server_opts *o);
};

/* Serve until SIGTERM or SIGINT. -1 with err when it cannot start. */
int server_run(const struct server_opts *o, struct buf *err);

/* After holidays changed: reload this worker's calendar now and every
 * other worker's before its next request. */
void server_reload_calendar(struct request *rq);

/* The service layer (core/svc.h) as the request's signed-in user, with
 * the request's store, calendar and unit tree (all borrowed: sv must not
 * outlive rq). Without a signed-in user the actor has no role and sees
 * nothing. svc_release() when done. */
void req_svc(struct request *rq, struct svc *sv);

/* The same request handling as server_run(), for the fuzz target
 * (tests/fuzz/fuzz_http.c): no listening socket and no threads of its
 * own; the caller hands connections in with MHD_add_connection() and
 * drives the daemon with MHD_run() from one thread. NULL when it cannot
 * start. */
struct MHD_Daemon;
struct MHD_Daemon *server_start_embedded(const struct server_opts *o);
/* The database connection of the calling thread's worker (opened on
 * first use; NULL when it cannot be). */
struct store *server_thread_store(void);

#endif
