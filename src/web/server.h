/*
 * server.h — starting and stopping the web server (server.c).
 */
#ifndef KN_SERVER_H
#define KN_SERVER_H

#include <stdio.h>

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

#endif
