/*
 * ctx.c — what commands share: opening the database once, who the
 * command acts as (the account named by --user, with its role and unit,
 * and the permissions of core/actor.h), the calendar with the database's
 * imported holidays, error messages, progress bars.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/ctx.h"
#include "core/ledger.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
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
	} else if (!create && !ctx->no_actor) {
		int st = ctx_actor(ctx);
		if (st != EXIT_DONE) {
			store_close(ctx->store);
			ctx->store = NULL;
			ctx->open_status = st;
		}
	}
	buf_release(&err);
	return ctx->store;
}

int ctx_actor(struct cmd_ctx *ctx)
{
	struct user *u;
	size_t n, i;
	enum kn_err e;
	int status = EXIT_DONE;

	if (ctx->actor_known)
		return EXIT_DONE;
	if ((e = store_user_all(ctx->store, &u, &n)) != KN_OK) {
		cmd_error("%s", store_errmsg(ctx->store));
		return kn_exit_status(e) == EXIT_REFUSED ? EXIT_IO : kn_exit_status(e);
	}
	ctx->actor.name = ctx->user;
	if (n == 0) {
		/* A database without accounts: the local administrator. */
		ctx->actor_all = 1;
		ctx->actor.role = ROLE_ADMIN;
		ctx->actor.unit = NULL;
		ctx->actor_known = 1;
		store_users_free(u, n);
		return EXIT_DONE;
	}
	for (i = 0; i < n && strcmp(u[i].name, ctx->user) != 0; i++)
		;
	if (i == n) {
		cmd_error(_("this database has accounts, and none is named %s (%s); name yours with "
			    "--user NAME, or ask an administrator for one: `ketnap user add %s --unit "
			    "CODE --role viewer|editor|approver|admin`"),
			  ctx->user, ctx->user_from ? ctx->user_from : "--user", ctx->user);
		status = EXIT_REFUSED;
	} else if (u[i].disabled) {
		cmd_error(_("the account %s is disabled; an administrator may enable it with "
			    "`ketnap user enable %s`"), ctx->user, ctx->user);
		status = EXIT_REFUSED;
	} else if (role_parse(u[i].role) == ROLE_NONE) {
		cmd_error(_("the account %s has no valid role ('%s'); an administrator may set one "
			    "on the web page of accounts"), ctx->user, u[i].role ? u[i].role : "");
		status = EXIT_REFUSED;
	} else {
		ctx->actor.role = role_parse(u[i].role);
		ctx->actor_unit = xstrdup(u[i].unit ? u[i].unit : "");
		ctx->actor.unit = ctx->actor_unit;
		ctx->actor_known = 1;
	}
	store_users_free(u, n);
	return status;
}

struct unitree *ctx_tree(struct cmd_ctx *ctx)
{
	if (ctx->have_tree)
		return &ctx->tree;
	if (!ctx->store)
		return NULL;
	if (ctx->lazy_tree) {
		unitree_lazy(&ctx->tree, ctx->store);
	} else if (unitree_load(&ctx->tree, ctx->store) != KN_OK) {
		cmd_error("%s", store_errmsg(ctx->store));
		return NULL;
	}
	ctx->have_tree = 1;
	return &ctx->tree;
}

int ctx_tree_status(struct cmd_ctx *ctx, int status)
{
	if (!ctx->have_tree || !unitree_lazy_failed(&ctx->tree))
		return status;
	cmd_error("%s", store_errmsg(ctx->store));
	return EXIT_IO;
}

static struct unode *find_unit(struct cmd_ctx *ctx, const char *unit)
{
	struct unitree *t = ctx_tree(ctx);
	return t && unit ? unitree_find(t, unit) : NULL;
}

int ctx_may_see(struct cmd_ctx *ctx, const char *unit)
{
	if (ctx->actor_all)
		return 1;
	return ctx->actor_known && actor_may_see(&ctx->actor, ctx_tree(ctx), find_unit(ctx, unit));
}

int ctx_may_record(struct cmd_ctx *ctx, const char *unit, int step_code)
{
	if (ctx->actor_all)
		return 1;
	return ctx->actor_known &&
	       actor_may_record(&ctx->actor, ctx_tree(ctx), find_unit(ctx, unit), step_code);
}

int ctx_may_override(struct cmd_ctx *ctx, const char *unit)
{
	if (ctx->actor_all)
		return 1;
	return ctx->actor_known &&
	       actor_may_override(&ctx->actor, ctx_tree(ctx), find_unit(ctx, unit));
}

int ctx_root_admin(struct cmd_ctx *ctx)
{
	struct unode *n;
	if (ctx->actor_all)
		return 1;
	if (!ctx->actor_known || ctx->actor.role != ROLE_ADMIN)
		return 0;
	n = find_unit(ctx, ctx->actor.unit);
	return n && !n->parent;
}

int ctx_need_root_admin(struct cmd_ctx *ctx, const char *what)
{
	if (ctx_root_admin(ctx))
		return EXIT_DONE;
	cmd_error(_("`ketnap %s` needs an administrator of a top unit, and %s is %s of %s; run it "
		    "as such an account with --user NAME"), what, ctx->user,
		  role_name(ctx->actor.role), ctx->actor.unit ? ctx->actor.unit : "");
	return EXIT_REFUSED;
}

const char *ctx_scope(struct cmd_ctx *ctx)
{
	return ctx->actor_all || !ctx->actor_known ? NULL : ctx->actor.unit;
}

enum kn_err ctx_ledger_open(struct cmd_ctx *ctx, struct ledger *l, struct buf *err)
{
	enum kn_err e = ledger_open(l, ctx->store, ctx_calendar(ctx), ctx->user, err);
	if (e == KN_OK)
		l->actor_unit = ctx_scope(ctx);
	return e;
}

void ctx_svc(struct cmd_ctx *ctx, struct svc *sv)
{
	struct actor a = ctx->actor;
	a.name = ctx->user;
	if (!ctx->actor_known)
		a.role = ROLE_NONE;
	svc_init(sv, ctx->store, ctx_calendar(ctx), &a, ctx->actor_all, ctx_tree(ctx));
}

const char *cmd_safe(struct buf *b, const char *s)
{
	buf_reset(b);
	text_printable(s, b);
	return b->s;
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
	if (ctx->have_tree)
		unitree_free(&ctx->tree);
	ctx->have_tree = 0;
	free(ctx->actor_unit);
	ctx->actor_unit = NULL;
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

int cmd_file_open(struct cmd_file *o, const char *path)
{
	struct stat st;
	struct buf tmp = BUF_INIT;
	int fd;

	o->path = path;
	o->tmp = NULL;
	o->f = NULL;
	/* A device, a pipe or a link is written through, never replaced: a
	 * rename over /dev/null would make it a plain file for everyone. */
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(o->f = fopen(path, "wb"))) {
			cmd_error(_("cannot write %s: %s"), path, strerror(errno));
			return -1;
		}
		return 0;
	}
	/* A file: through a temporary file beside it and a rename, so that a
	 * reader (or a crash) never sees half of it. */
	buf_addf(&tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp.s);
	if (fd >= 0) {
		fchmod(fd, 0644);
		if (!(o->f = fdopen(fd, "wb"))) {
			int saved = errno;
			close(fd);
			unlink(tmp.s);
			errno = saved;
		}
	}
	if (!o->f) {
		cmd_error(_("cannot write %s: %s"), path, strerror(errno));
		buf_release(&tmp);
		return -1;
	}
	o->tmp = buf_detach(&tmp);
	return 0;
}

int cmd_file_close(struct cmd_file *o, int ok)
{
	int said = !ok;

	ok = ok && fflush(o->f) == 0;
	ok = ok && (!o->tmp || fsync(fileno(o->f)) == 0);
	if (fclose(o->f) != 0)
		ok = 0;
	if (ok && o->tmp && rename(o->tmp, o->path) != 0)
		ok = 0;
	if (!ok && !said)
		cmd_error(_("cannot write %s: %s"), o->path, strerror(errno));
	if (!ok && o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	o->f = NULL;
	return ok ? 0 : -1;
}

size_t cmd_flush_bytes(void)
{
	const char *v = getenv("KETNAP_REPORT_FLUSH_BYTES");
	unsigned long n = v ? strtoul(v, NULL, 10) : 0;

	return n > 0 ? (size_t)n : (size_t)64 * 1024;
}

int cmd_write_file(const char *path, const char *data, size_t len)
{
	struct cmd_file o;
	int wrote;

	if (cmd_file_open(&o, path) != 0)
		return -1;
	if (!(wrote = fwrite(data, 1, len, o.f) == len))
		cmd_error(_("cannot write %s: %s"), path, strerror(errno));
	return cmd_file_close(&o, wrote);
}
