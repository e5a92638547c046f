/*
 * cmd_user.c — accounts of the web application: `ketnap user add NAME
 * --unit CODE --role viewer|editor|approver|admin`, `user passwd NAME`,
 * `user list`, `user token NAME` (a bearer token for scripts, shown once),
 * `user disable|enable NAME`. Passwords are read from standard input:
 * asked twice, unechoed, on a terminal; one line when piped.
 *
 * Accounts are an administrator's business, and only those of units in
 * the administrator's subtree (cmd/ctx.c); an account elsewhere is not
 * found. A database without accounts lets anyone create the first one,
 * which must be an administrator of a top unit, so that someone can
 * manage the others.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd/cmd.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/http.h"
#include "util/i18n.h"
#include "util/table.h"
#include "util/banned.h"

#define MIN_PASSWORD 8

static int name_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || strchr("._@-", s[n])))
			return 0;
	return n >= 1 && n <= 64;
}

static int read_line(const char *prompt, int echo_off, struct buf *out)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);
	int c;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (echo_off && tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		}
	}
	while ((c = getchar()) != EOF && c != '\n')
		buf_addc(out, (char)c);
	if (out->len && out->s[out->len - 1] == '\r')
		buf_truncate(out, out->len - 1);
	if (tty && echo_off) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return c == EOF && out->len == 0 ? -1 : 0;
}

/* The new password into hash (argon2id); prints the reason and returns
 * nonzero when it cannot be had. */
static int ask_password(struct buf *hash)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int rc = EXIT_REFUSED;
	if (read_line(_("New password: "), 1, &a) != 0) {
		cmd_error("%s", _("no password given on standard input"));
		goto out;
	}
	if (isatty(STDIN_FILENO)) {
		read_line(_("Repeat it: "), 1, &b);
		if (strcmp(a.s, b.s) != 0) {
			cmd_error("%s", _("the two passwords differ; nothing was changed"));
			goto out;
		}
	}
	if (a.len < MIN_PASSWORD) {
		cmd_error(_("the password must have at least %d characters"), MIN_PASSWORD);
		goto out;
	}
	if (auth_hash_password(a.s, hash) != 0) {
		cmd_error("%s", _("out of memory while hashing the password"));
		rc = EXIT_IO;
		goto out;
	}
	rc = EXIT_DONE;
out:
	sodium_memzero(a.s, a.len);
	sodium_memzero(b.s, b.len);
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/* EXIT_DONE when the actor administers accounts, else the refusal. */
static int need_admin(struct cmd_ctx *ctx)
{
	if (ctx->actor_all || ctx->actor.role == ROLE_ADMIN)
		return EXIT_DONE;
	cmd_error(_("%s, %s of %s, may not manage accounts; that needs an administrator"),
		  ctx->user, role_name(ctx->actor.role), ctx->actor.unit ? ctx->actor.unit : "");
	return EXIT_REFUSED;
}

static int save(struct cmd_ctx *ctx, struct store *s, const struct user *u, const char *action)
{
	int changed;
	enum kn_err e;
	struct buf after = BUF_INIT;
	buf_addf(&after, "name=%s unit=%s role=%s disabled=%d", u->name, u->unit, u->role,
		 u->disabled);
	if ((e = store_begin(s)) == KN_OK && (e = store_user_put(s, u, &changed)) == KN_OK &&
	    /* A new password signs the user out of every web session. */
	    (strcmp(action, "passwd") != 0 ||
	     (e = store_session_end_user(s, u->name, NULL)) == KN_OK) &&
	    (e = store_audit(s, ctx->user, action, "user", u->name, NULL, after.s)) == KN_OK)
		e = store_commit(s);
	else
		store_rollback(s);
	buf_release(&after);
	if (e != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return kn_exit_status(e);
	}
	return EXIT_DONE;
}

static int user_add(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *role = NULL;
	struct buf hash = BUF_INIT;
	struct store *s;
	struct user u, old;
	struct unit un;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'u')
			unit = optarg;
		else if (c == 'r')
			role = optarg;
		else
			return cmd_usage(&cmd_user);
	}
	if (argc - optind != 1 || !unit || !role)
		return cmd_usage(&cmd_user);
	const char *name = argv[optind];
	if (!name_valid(name)) {
		cmd_error(_("name: '%s' is not a user name; use 1 to 64 letters, digits, '.', '_', '@' or '-'"), name);
		return EXIT_REFUSED;
	}
	if (role_parse(role) == ROLE_NONE) {
		cmd_error(_("role: '%s' is not a role; use viewer, editor, approver or admin"), role);
		return EXIT_USAGE;
	}
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((rc = need_admin(ctx)) != EXIT_DONE)
		return rc;
	if (store_unit_get(s, unit, &un) != KN_OK || !ctx_may_see(ctx, unit)) {
		cmd_error(_("no unit with code %s; `ketnap unit tree` lists them"), unit);
		return EXIT_REFUSED;
	}
	unit_release(&un);
	if (ctx->actor_all) {
		/* The first account: an administrator of a top unit, or nobody
		 * could manage the accounts after it. */
		struct unitree *t = ctx_tree(ctx);
		struct unode *n = t ? unitree_find(t, unit) : NULL;
		if (!n || n->parent || role_parse(role) != ROLE_ADMIN) {
			cmd_error(_("the first account must be an administrator of a top unit, so "
				    "that someone can manage the others: `ketnap user add NAME --unit "
				    "%s --role admin`"),
				  t && t->nroots ? t->roots[0]->u.code : "CODE");
			return EXIT_REFUSED;
		}
	}
	if (store_user_get(s, name, &old) == KN_OK) {
		user_release(&old);
		cmd_error(_("the user %s exists already; `ketnap user passwd %s` changes the password"),
			  name, name);
		return EXIT_REFUSED;
	}
	if ((rc = ask_password(&hash)) != EXIT_DONE)
		return rc;
	memset(&u, 0, sizeof(u));
	u.name = (char *)name;
	u.unit = (char *)unit;
	u.role = (char *)role;
	u.pw_hash = hash.s;
	rc = save(ctx, s, &u, "insert");
	buf_release(&hash);
	if (rc == EXIT_DONE)
		printf(_("user %s added: %s of %s\n"), name, role, unit);
	return rc;
}

static int with_user(const char *name, struct cmd_ctx *ctx, struct store **s, struct user *u)
{
	int rc;
	if (!(*s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((rc = need_admin(ctx)) != EXIT_DONE)
		return rc;
	if (store_user_get(*s, name, u) != KN_OK) {
		cmd_error(_("no user %s; `ketnap user list` lists them"), name);
		return EXIT_REFUSED;
	}
	if (!ctx_may_see(ctx, u->unit)) {
		/* An account outside the subtree: as unknown. */
		user_release(u);
		cmd_error(_("no user %s; `ketnap user list` lists them"), name);
		return EXIT_REFUSED;
	}
	return EXIT_DONE;
}

static int user_passwd(const char *name, struct cmd_ctx *ctx)
{
	struct store *s;
	struct user u;
	struct buf hash = BUF_INIT;
	int rc = with_user(name, ctx, &s, &u);
	if (rc != EXIT_DONE)
		return rc;
	if ((rc = ask_password(&hash)) == EXIT_DONE) {
		free(u.pw_hash);
		u.pw_hash = buf_detach(&hash);
		rc = save(ctx, s, &u, "passwd");
		if (rc == EXIT_DONE)
			printf(_("password of %s changed\n"), name);
	}
	user_release(&u);
	buf_release(&hash);
	return rc;
}

static int user_disable(const char *name, int disabled, struct cmd_ctx *ctx)
{
	struct store *s;
	struct user u;
	int rc = with_user(name, ctx, &s, &u);
	if (rc != EXIT_DONE)
		return rc;
	u.disabled = disabled;
	rc = save(ctx, s, &u, disabled ? "disable" : "enable");
	user_release(&u);
	if (rc == EXIT_DONE)
		printf(disabled ? _("user %s disabled\n") : _("user %s enabled\n"), name);
	return rc;
}

static int user_token(const char *name, struct cmd_ctx *ctx)
{
	struct store *s;
	struct user u;
	struct buf tok = BUF_INIT, h = BUF_INIT;
	int rc = with_user(name, ctx, &s, &u);
	if (rc != EXIT_DONE)
		return rc;
	user_release(&u);
	auth_random_token(&tok);
	auth_token_hash(tok.s, &h);
	enum kn_err e;
	if ((e = store_begin(s)) == KN_OK && (e = store_user_set_token(s, name, h.s)) == KN_OK &&
	    (e = store_audit(s, ctx->user, "token", "user", name, NULL, "new API token")) == KN_OK)
		e = store_commit(s);
	else
		store_rollback(s);
	if (e == KN_OK)
		printf("%s\n", tok.s);
	else
		cmd_error("%s", store_errmsg(s));
	sodium_memzero(tok.s, tok.len);
	buf_release(&tok);
	buf_release(&h);
	return kn_exit_status(e);
}

static int user_list(struct cmd_ctx *ctx)
{
	struct store *s;
	struct user *u;
	size_t n, shown = 0;
	struct buf out = BUF_INIT;
	int rc;
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((rc = need_admin(ctx)) != EXIT_DONE)
		return rc;
	if (store_user_all(s, &u, &n) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		return EXIT_IO;
	}
	const char *hdr[] = { _("user"), _("unit"), _("role"), _("status"), _("since") };
	struct table *t = table_new(5);
	table_header(t, hdr);
	for (size_t i = 0; i < n; i++) {
		if (!ctx_may_see(ctx, u[i].unit))
			continue;
		const char *row[] = { u[i].name, u[i].unit, u[i].role,
				      u[i].disabled ? _("disabled") : _("active"), u[i].created_at };
		table_row(t, row);
		shown++;
	}
	if (shown)
		table_render(t, &out);
	else
		buf_addf(&out, "%s\n", _("no users yet; add one with `ketnap user add NAME --unit CODE --role admin`"));
	fputs(out.s, stdout);
	buf_release(&out);
	table_free(t);
	store_users_free(u, n);
	return EXIT_DONE;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	if (sodium_init() < 0) {
		cmd_error("%s", "libsodium cannot start");
		return EXIT_IO;
	}
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1, ctx);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return user_list(ctx);
	if (argc == 3 && strcmp(argv[1], "passwd") == 0)
		return user_passwd(argv[2], ctx);
	if (argc == 3 && strcmp(argv[1], "token") == 0)
		return user_token(argv[2], ctx);
	if (argc == 3 && (strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0))
		return user_disable(argv[2], strcmp(argv[1], "disable") == 0, ctx);
	return cmd_usage(&cmd_user);
}

static const struct cmd_option user_options[] = {
	{ "unit", 0, "CODE", N_("add: the unit whose subtree the account sees and changes") },
	{ "role", 0, "viewer|editor|approver|admin", N_("add: what the account may do") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_user = {
	"user", "user add NAME --unit CODE --role viewer|editor|approver|admin · user passwd NAME "
	"· user list · user token NAME · user disable|enable NAME", run, user_options,
	N_("accounts of the web application and the command line"),
};
