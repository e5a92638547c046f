/*
 * page_users.c — the accounts of the administration (GET/POST
 * /admin/users, admins): the accounts bound to units of the admin's
 * subtree, and the forms that add one, change its role or unit, reset its
 * password or disable it.
 *
 * An admin sees and changes only the accounts of the subtree and cannot
 * lock themselves out (change their own role or unit, or disable their
 * own account). Passwords are hashed as `ketnap user` hashes them; every
 * change is written with its audit entry (never the password) in one
 * transaction. The helpers shared with the other administration pages
 * are in page_admin.c (page_admin_impl.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/unitree.h"
#include "io/export.h"
#include "io/import.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "web/page_admin_impl.h"
#include "util/banned.h"


#define MIN_PASSWORD 8

/* The user-name pattern of `ketnap user add`. */
static int user_name_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || strchr("._@-", s[n])))
			return 0;
	return n >= 1 && n <= 64;
}

/* Characters (code points) of UTF-8 s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* ---- accounts ---- */

static const char *const roles[] = { "viewer", "editor", "approver", "admin" };

static void role_select(struct response *rs, const char *selected)
{
	html_printf(&rs->body, "<label>%s <select name=\"role\" required>", _("Role"));
	for (size_t i = 0; i < 4; i++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", roles[i],
			    selected && strcmp(selected, roles[i]) == 0 ? " selected" : "",
			    _(roles[i]));
	html_printf(&rs->body, "</select></label>\n");
}

/* The user, if bound to a unit of the subtree. */
static int user_visible(struct request *rq, const char *name, struct user *out)
{
	if (!*name || store_user_get(rq->store, name, out) != KN_OK)
		return 0;
	if (!req_can_see(rq, out->unit)) {
		user_release(out);
		return 0;
	}
	return 1;
}

static void user_audit_text(struct buf *b, const struct user *u)
{
	buf_addf(b, "name=%s unit=%s role=%s disabled=%d", u->name, u->unit, u->role, u->disabled);
}

static void users_page(struct request *rq, struct response *rs, const char *edit_name,
		       const struct buf *errs)
{
	struct user *u = NULL, ed;
	size_t n = 0;
	int have_ed = 0;
	struct buf href = BUF_INIT;
	struct unitree *t = req_tree(rq);

	if (store_user_all(rq->store, &u, &n) != KN_OK) {
		resp_error(rq, rs, 500, store_errmsg(rq->store));
		return;
	}
	if (edit_name && *edit_name) {
		if (!(have_ed = user_visible(rq, edit_name, &ed))) {
			store_users_free(u, n);
			resp_error(rq, rs, 404, _("No such account in your part of the organisation."));
			return;
		}
	}
	page_begin(rq, rs, "admin", _("Accounts"));
	admin_subnav(rq, rs, "users");
	const char *ok = admin_query(rq, "ok");
	if (*ok && !errs) {
		static const struct {
			const char *action, *msg;
		} oks[] = {
			{ "add", N_("Account %s added.") },
			{ "update", N_("Account %s saved.") },
			{ "passwd", N_("The password of %s was reset.") },
			{ "disable", N_("Account %s disabled.") },
			{ "enable", N_("Account %s enabled.") },
		};
		for (size_t i = 0; i < sizeof(oks) / sizeof(*oks); i++)
			if (strcmp(ok, oks[i].action) == 0) {
				struct buf m = BUF_INIT;
				buf_addf(&m, _(oks[i].msg), admin_query(rq, "name"));
				admin_notice(rs, m.s);
				buf_release(&m);
			}
	}
	admin_show_errors(rs, errs);

	if (have_ed) {
		html_printf(&rs->body, "<h2 id=\"user-form\">%s %s</h2>\n", _("Account"), ed.name);
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/users\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<input type=\"hidden\" name=\"action\" value=\"update\">"
			    "<input type=\"hidden\" name=\"name\" value=\"%s\">\n", ed.name);
		admin_unit_picker(rq, rs, "unit", _("Unit"), ed.unit, 1);
		role_select(rs, ed.role);
		html_printf(&rs->body, "<div><button type=\"submit\">%s</button></div>\n</form>\n",
			    _("Save"));

		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/users\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<input type=\"hidden\" name=\"action\" value=\"passwd\">"
			    "<input type=\"hidden\" name=\"name\" value=\"%s\" autocomplete=\"username\">\n"
			    "<label>%s <input type=\"password\" name=\"password\" minlength=\"%d\" "
			    "autocomplete=\"new-password\" required></label>\n"
			    "<div><button type=\"submit\" class=\"secondary\">%s</button></div>\n</form>\n",
			    ed.name, _("New password (at least 8 characters)"), MIN_PASSWORD,
			    _("Reset the password"));

		if (strcmp(ed.name, rq->user.name) != 0) {
			html_printf(&rs->body, "<form method=\"post\" action=\"/admin/users\">\n");
			page_csrf(rq, rs);
			html_printf(&rs->body, "<input type=\"hidden\" name=\"action\" value=\"%s\">"
				    "<input type=\"hidden\" name=\"name\" value=\"%s\">\n"
				    "<p>%s <button type=\"submit\" class=\"secondary\">%s</button></p>\n</form>\n",
				    ed.disabled ? "enable" : "disable", ed.name,
				    ed.disabled ? _("This account is disabled: it cannot sign in.")
						: _("This account is active."),
				    ed.disabled ? _("Enable the account") : _("Disable the account"));
		}
		html_printf(&rs->body, "<p><a href=\"/admin/users\">%s</a></p>\n", _("Back to the accounts"));
	}

	html_printf(&rs->body, "<table class=\"admin users\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n", _("User name"),
		    _("Unit"), _("Role"), _("Status"), _("Since"));
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (!req_can_see(rq, u[i].unit))
			continue;
		struct unode *un = t ? unitree_find(t, u[i].unit) : NULL;
		admin_link_to(&href, "/admin/users", "edit", u[i].name, NULL, NULL);
		html_printf(&rs->body, "<tr%S><td class=\"code\">%s</td><td><span class=\"code\">%s</span> "
			    "%s</td><td>%s</td><td>%s</td><td>", u[i].disabled ? " class=\"muted\"" : "",
			    u[i].name, u[i].unit, un ? un->u.name : "", _(u[i].role),
			    u[i].disabled ? _("disabled") : _("active"));
		kn_date d;
		char day[11];
		if (u[i].created_at && strlen(u[i].created_at) >= 10) {
			memcpy(day, u[i].created_at, 10);
			day[10] = '\0';
			if (date_parse(day, &d) == 0)
				page_date(rs, d);
		}
		html_printf(&rs->body, "</td><td class=\"actions\"><a href=\"%s#user-form\">%s</a></td></tr>\n",
			    href.s, _("Edit"));
		shown++;
	}
	if (!shown)
		html_printf(&rs->body, "<tr><td colspan=\"6\" class=\"muted\">%s</td></tr>\n",
			    _("No accounts yet."));
	html_printf(&rs->body, "</tbody></table>\n");

	if (!have_ed) {
		const char *posted = errs ? admin_form(rq, "action") : "";
		int again = strcmp(posted, "add") == 0;
		html_printf(&rs->body, "<h2 id=\"user-form\">%s</h2>\n", _("Add an account"));
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/users\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<input type=\"hidden\" name=\"action\" value=\"add\">\n"
			    "<label>%s <input name=\"name\" required maxlength=\"64\" "
			    "pattern=\"[A-Za-z0-9._@\\-]{1,64}\" autocomplete=\"off\" value=\"%s\"></label>\n",
			    _("User name"), again ? admin_form(rq, "name") : "");
		admin_unit_picker(rq, rs, "unit", _("Unit"), again ? admin_form(rq, "unit") : rq->user.unit, 1);
		role_select(rs, again ? admin_form(rq, "role") : "editor");
		html_printf(&rs->body, "<label>%s <input type=\"password\" name=\"password\" "
			    "minlength=\"%d\" autocomplete=\"new-password\" required></label>\n"
			    "<div><button type=\"submit\">%s</button></div>\n</form>\n",
			    _("Initial password (at least 8 characters)"), MIN_PASSWORD, _("Add"));
	}
	page_end(rq, rs);
	if (have_ed)
		user_release(&ed);
	store_users_free(u, n);
	buf_release(&href);
}

int h_admin_users(struct request *rq, struct response *rs)
{
	if (!admin_scope_or_fail(rq, rs))
		return 0;
	users_page(rq, rs, admin_query(rq, "edit"), NULL);
	return 0;
}

static int password_ok(const char *pw, struct buf *errs)
{
	if (utf8_chars(pw) < MIN_PASSWORD || !text_is_valid_utf8(pw)) {
		admin_error_addf(errs, _("password: the password must have at least %d characters"),
				 MIN_PASSWORD);
		return 0;
	}
	return 1;
}

int h_admin_user_save(struct request *rq, struct response *rs)
{
	const char *action = admin_form(rq, "action"), *name = admin_form(rq, "name");
	struct buf errs = BUF_INIT, hash = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
	struct buf to = BUF_INIT;
	struct user u, old;
	int have_old = 0, changed;
	const char *audit_action = action;
	enum kn_err e;

	if (!admin_scope_or_fail(rq, rs))
		return 0;
	memset(&u, 0, sizeof(u));
	if (strcmp(action, "add") == 0) {
		const char *unit = admin_form(rq, "unit"), *role = admin_form(rq, "role");
		if (!user_name_valid(name))
			admin_error_addf(&errs, _("name: '%s' is not a user name; use 1 to 64 letters, digits, "
						  "'.', '_', '@' or '-'"), name);
		else if (store_user_get(rq->store, name, &old) == KN_OK) {
			user_release(&old);
			admin_error_addf(&errs, _("name: the user %s exists already"), name);
		}
		if (!admin_visible(rq, unit)) {
			resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
			goto out;
		}
		if (role_parse(role) == ROLE_NONE)
			admin_error_addf(&errs, _("role: '%s' is not a role; use viewer, editor, approver or "
						  "admin"), role);
		password_ok(admin_form(rq, "password"), &errs);
		if (errs.len)
			goto refused;
		if (auth_hash_password(admin_form(rq, "password"), &hash) != 0) {
			resp_error(rq, rs, 500, _("Out of memory while hashing the password."));
			goto out;
		}
		u.name = (char *)name;
		u.unit = (char *)unit;
		u.role = (char *)role;
		u.pw_hash = hash.s;
		audit_action = "insert";
	} else if (strcmp(action, "update") == 0 || strcmp(action, "passwd") == 0 ||
		   strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
		if (!(have_old = user_visible(rq, name, &old))) {
			resp_error(rq, rs, 404, _("No such account in your part of the organisation."));
			goto out;
		}
		u = old;
		int self = strcmp(old.name, rq->user.name) == 0;
		if (strcmp(action, "update") == 0) {
			const char *unit = admin_form(rq, "unit"), *role = admin_form(rq, "role");
			if (!admin_visible(rq, unit)) {
				resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
				goto out;
			}
			if (role_parse(role) == ROLE_NONE)
				admin_error_addf(&errs, _("role: '%s' is not a role; use viewer, editor, approver "
							  "or admin"), role);
			if (self && (strcmp(unit, old.unit) != 0 || strcmp(role, old.role) != 0))
				admin_error_add(&errs, _("You cannot change your own unit or role; ask another "
							 "administrator."));
			u.unit = (char *)unit;
			u.role = (char *)role;
			audit_action = "update";
		} else if (strcmp(action, "passwd") == 0) {
			password_ok(admin_form(rq, "password"), &errs);
			if (!errs.len && auth_hash_password(admin_form(rq, "password"), &hash) != 0) {
				resp_error(rq, rs, 500, _("Out of memory while hashing the password."));
				goto out;
			}
			u.pw_hash = hash.s;
		} else {
			if (self)
				admin_error_add(&errs, _("You cannot disable your own account."));
			u.disabled = strcmp(action, "disable") == 0;
		}
		if (errs.len)
			goto refused;
		user_audit_text(&before, &old);
	} else {
		resp_error(rq, rs, 400, _("Unknown action."));
		goto out;
	}

	user_audit_text(&after, &u);
	if (strcmp(action, "passwd") == 0)
		buf_adds(&after, " password=reset");
	if ((e = store_begin(rq->store)) == KN_OK &&
	    (e = store_user_put(rq->store, &u, &changed)) == KN_OK &&
	    /* A new password ends the account's other sessions. */
	    (strcmp(action, "passwd") != 0 ||
	     (e = auth_end_other_sessions(rq, u.name)) == KN_OK) &&
	    (e = store_audit(rq->store, rq->user.name, audit_action, "user", u.name,
			     before.len ? before.s : NULL, after.s)) == KN_OK &&
	    (e = store_commit(rq->store)) == KN_OK) {
		admin_link_to(&to, "/admin/users", "ok", action, "name", u.name);
		if (strcmp(action, "add") != 0) {
			buf_adds(&to, "&edit=");
			url_encode(&to, u.name);
		}
		resp_redirect(rs, to.s);
	} else {
		store_rollback(rq->store);
		resp_error(rq, rs, e == KN_ECONFLICT ? 409 : 500, store_errmsg(rq->store));
	}
	goto out;
refused:
	rs->status = 422;
	users_page(rq, rs, strcmp(action, "add") == 0 ? NULL : name, &errs);
out:
	if (hash.len)
		sodium_memzero(hash.s, hash.len);
	if (have_old)
		user_release(&old);	/* u borrowed its strings */
	buf_release(&errs);
	buf_release(&hash);
	buf_release(&before);
	buf_release(&after);
	buf_release(&to);
	return 0;
}
