/*
 * cmd_serve.c — `ketnap serve [--listen ADDR:PORT]`: the web application
 * (src/web/) over the same database as the command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/banned.h"

static void ready(const struct server_opts *o)
{
	int v6 = strchr(o->addr, ':') != NULL;
	printf(ngettext("ketnap: serving %s on http://%s%s%s:%d/ with %d thread (Ctrl-C or SIGTERM "
			"stops)\n",
			"ketnap: serving %s on http://%s%s%s:%d/ with %d threads (Ctrl-C or SIGTERM "
			"stops)\n", (unsigned long)o->threads),
	       o->db_url, v6 ? "[" : "", o->addr, v6 ? "]" : "", o->port, o->threads);
	fflush(stdout);
}

/* "ADDR:PORT", "[V6]:PORT" or ":PORT". */
static int parse_listen(const char *s, char *addr, size_t n, int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p;
	if (!colon)
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end || p < 1 || p > 65535)
		return -1;
	*port = (int)p;
	size_t alen = (size_t)(colon - s);
	if (alen >= 2 && s[0] == '[' && s[alen - 1] == ']') {
		s++;
		alen -= 2;
	}
	if (alen == 0) {
		snprintf(addr, n, "127.0.0.1");
		return 0;
	}
	if (alen >= n)
		return -1;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	return 0;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "access-log", required_argument, NULL, 'a' },
		{ "trust-proxy", no_argument, NULL, 'p' },
		{ "idle-timeout", required_argument, NULL, 'i' },
		{ "session-lifetime", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_opts o = { 0 };
	char addr[128] = "127.0.0.1";
	const char *log_path = "-";
	struct buf err = BUF_INIT;
	int c;
	long n;
	char *end;

	o.port = 8080;
	/* Four workers a core (4 to 32): each connection has a thread of its
	 * own and borrows one of --threads workers (a database connection)
	 * per request (web/server.c), so a slow answer (a province root
	 * dashboard's cache rebuild, 0.6 s) holds up one worker, not the
	 * connections of a thread; more workers than cores keep the cores
	 * busy while some wait on the disk, and not so many that a rebuild
	 * gets a sliver of a core (issue 13: wrk's p99 with a writer). */
	o.threads = (int)sysconf(_SC_NPROCESSORS_ONLN) * 4;
	if (o.threads < 4)
		o.threads = 4;
	if (o.threads > 32)
		o.threads = 32;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (parse_listen(optarg, addr, sizeof(addr), &o.port) != 0) {
				cmd_error(_("--listen takes ADDR:PORT, e.g. 127.0.0.1:8080, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			break;
		case 't':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256) {
				cmd_error(_("--threads must be from 1 to 256, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			o.threads = (int)n;
			break;
		case 'a': log_path = optarg; break;
		case 'p': o.trust_proxy = 1; break;
		case 'i':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 24 * 60) {
				cmd_error(_("--idle-timeout is in minutes, from 1 to 1440, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			auth_idle_seconds = n * 60;
			break;
		case 's':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 24 * 30) {
				cmd_error(_("--session-lifetime is in hours, from 1 to 720, not '%s'"),
					  optarg);
				return EXIT_USAGE;
			}
			auth_session_lifetime = n * 3600;
			break;
		default:
			return cmd_usage(&cmd_serve);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_serve);
	/* The database must exist and be current; workers open their own. */
	/* The web application has its own sign-in: whoever can open the
	 * database may serve it. */
	ctx->no_actor = 1;
	if (!ctx_store(ctx, 0))
		return ctx->open_status;
	if (strcmp(log_path, "-") == 0) {
		o.access_log = stderr;
	} else if (strcmp(log_path, "off") != 0) {
		o.access_log = fopen(log_path, "a");
		if (!o.access_log) {
			cmd_error(_("cannot open the access log %s"), log_path);
			return EXIT_IO;
		}
	}
	o.db_url = ctx->db_url;
	o.addr = addr;
	o.ready = ready;
	if (server_run(&o, &err) != 0) {
		cmd_error("%s", err.s);
		buf_release(&err);
		return EXIT_IO;
	}
	if (o.access_log && o.access_log != stderr)
		fclose(o.access_log);
	printf("%s\n", _("ketnap: stopped"));
	return EXIT_DONE;
}

static const struct cmd_option serve_options[] = {
	{ "listen", 0, "ADDR:PORT", N_("the address to serve on (default: 127.0.0.1:8080)") },
	{ "threads", 0, "N", N_("how many requests to answer at once") },
	{ "access-log", 0, "FILE|-|off", N_("where to log each request (- is standard error)") },
	{ "trust-proxy", 0, NULL, N_("take the client address from the reverse proxy's X-Forwarded-For") },
	{ "idle-timeout", 0, "MINUTES", N_("sign a user out after this long without a request") },
	{ "session-lifetime", 0, "HOURS", N_("sign a user out after this long in any case") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_serve = {
	"serve", "serve [--listen ADDR:PORT] [--threads N] [--access-log FILE|-|off] "
	"[--trust-proxy] [--idle-timeout MINUTES] [--session-lifetime HOURS]", run, serve_options,
	N_("the web application"),
};
