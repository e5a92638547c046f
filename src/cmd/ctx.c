/*
 * ctx.c — what commands share: opening the database once, the calendar
 * with the database's imported holidays, error messages, progress bars.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/banned.h"

void cmd_error(const char *fmt, ...)
{
	va_list ap;
	fputs("ketnap: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cmd_usage(const struct command *c)
{
	fprintf(stderr, "%s ketnap %s\n", _("usage:"), c->usage);
	return EXIT_USAGE;
}

static int is_pg(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

struct store *ctx_store(struct cmd_ctx *ctx, int create)
{
	struct buf err = BUF_INIT;
	enum kn_err e;

	if (ctx->store)
		return ctx->store;
	e = store_open(ctx->db_url, create, &ctx->store, &err);
	ctx->open_status = e == KN_ENOTFOUND ? EXIT_REFUSED : EXIT_IO;
	if (e == KN_ENOTFOUND) {
		cmd_error(_("no database at %s; create it with `ketnap init` (or name another with --db)"),
			  ctx->db_url);
	} else if (e != KN_OK) {
		cmd_error("%s", err.s);
	} else if (!create && store_schema_version(ctx->store) < store_latest_version()) {
		cmd_error(_("the database %s is not initialised or is older than this program; "
			    "run `ketnap init` to create or upgrade it"), ctx->db_url);
		store_close(ctx->store);
		ctx->store = NULL;
		ctx->open_status = EXIT_REFUSED;
	}
	buf_release(&err);
	return ctx->store;
}

enum kn_err ctx_init_db(struct cmd_ctx *ctx, int *from, int *to)
{
	struct store *s = ctx->store;
	struct policy_row *rows;
	size_t n;
	enum kn_err e;

	if ((e = store_migrate(s, from, to)) != KN_OK)
		return e;
	if ((e = store_policy_all(s, &rows, &n)) != KN_OK)
		return e;
	store_policy_free(rows, n);
	if (n > 0)
		return KN_OK;	/* the organisation's own rows are kept */
	const struct policy_row *def = policy_default_rows(&n);
	if ((e = store_begin(s)) != KN_OK)
		return e;
	for (size_t i = 0; i < n && e == KN_OK; i++)
		e = store_policy_put(s, &def[i]);
	if (e == KN_OK)
		e = store_audit(s, ctx->user, "init", "policy", "defaults", NULL,
				"RULES.md §7 defaults");
	if (e == KN_OK)
		e = store_commit(s);
	else
		store_rollback(s);
	return e;
}

struct calendar *ctx_calendar(struct cmd_ctx *ctx)
{
	struct stat st;

	if (ctx->cal)
		return ctx->cal;
	ctx->cal = calendar_new();
	/* Imported holidays override the computed calendar, when there is a
	 * database to read them from. */
	if (ctx->store || is_pg(ctx->db_url) || stat(ctx->db_url, &st) == 0) {
		struct store *s = ctx_store(ctx, 0);
		struct holiday *h;
		size_t n;
		if (s && store_holiday_all(s, &h, &n) == KN_OK) {
			for (size_t i = 0; i < n; i++)
				calendar_override(ctx->cal, h[i].date, h[i].workday, h[i].name);
			holidays_free(h, n);
		}
	}
	return ctx->cal;
}

void ctx_release(struct cmd_ctx *ctx)
{
	if (ctx->cal)
		calendar_free(ctx->cal);
	ctx->cal = NULL;
	store_close(ctx->store);
	ctx->store = NULL;
}

static int progress_shown;

void progress(const char *what, size_t done, size_t total)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty || total == 0)
		return;
	/* Redraw at most every 1% to keep the terminal cheap. */
	size_t pct = done * 100 / total;
	static size_t last = (size_t)-1;
	if (pct == last && done != total)
		return;
	last = pct;
	int width = 30, fill = (int)(pct * (size_t)width / 100);
	fprintf(stderr, "\r%-20.20s [", what);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : ' ', stderr);
	fprintf(stderr, "] %3zu%% %zu/%zu", pct, done, total);
	progress_shown = 1;
}

void progress_done(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}
