/*
 * page_auth.c — signing in and out, the language switch, the health check
 * and the static assets compiled into the binary.
 *
 * The sign-in form is protected against login CSRF by a pre-login token:
 * a random value in a SameSite=Strict cookie that the form must echo.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "web/assets.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/page.h"
#include "util/i18n.h"
#include "util/banned.h"

/* Only a same-origin path is followed after signing in (no open
 * redirect): one leading '/', not "//" or "/\" (both read as another
 * host by browsers), and nothing but printable ASCII without spaces,
 * backslashes or quotes, so that no control character, tab or CR/LF can
 * bend the Location header or the browser's parsing. Anything else: "/". */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\' || *p == '"' || *p == '\'' ||
		    *p == '<' || *p == '>')
			return "/";
	if (strlen(next) > 2048)
		return "/";
	return next;
}

static void login_page(struct request *rq, struct response *rs, const char *error,
		       const char *name, int status)
{
	struct buf pre = BUF_INIT, cookie = BUF_INIT;
	auth_random_token(&pre);
	buf_addf(&cookie, PRELOGIN_COOKIE "=%s; Path=/login; HttpOnly; SameSite=Strict%s", pre.s,
		 rq->secure ? "; Secure" : "");
	resp_header(rs, "Set-Cookie", cookie.s);
	rs->status = status;
	page_begin(rq, rs, "", _("Sign in"));
	if (error)
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
	html_printf(&rs->body,
		    "<form method=\"post\" action=\"/login\" class=\"login\">\n"
		    "<input type=\"hidden\" name=\"pre\" value=\"%s\">\n"
		    "<input type=\"hidden\" name=\"next\" value=\"%s\">\n"
		    "<label>%s <input name=\"name\" autocomplete=\"username\" required value=\"%s\"></label>\n"
		    "<label>%s <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>\n"
		    "<button type=\"submit\">%s</button>\n</form>\n",
		    pre.s, safe_next(kv_get(&rq->query, "next") ? kv_get(&rq->query, "next")
							       : kv_get(&rq->form, "next")),
		    _("User name"), name ? name : "", _("Password"), _("Sign in"));
	page_end(rq, rs);
	buf_release(&pre);
	buf_release(&cookie);
}

int h_login_form(struct request *rq, struct response *rs)
{
	if (rq->authed) {
		resp_redirect(rs, "/");
		return 0;
	}
	login_page(rq, rs, NULL, NULL, 200);
	return 0;
}

int h_login(struct request *rq, struct response *rs)
{
	const char *name = kv_get(&rq->form, "name");
	const char *password = kv_get(&rq->form, "password");
	const char *pre = kv_get(&rq->form, "pre");
	const char *cookie = rq->prelogin;

	/* The pre-login token must match its cookie (login CSRF). */
	if (!pre || !cookie || strlen(pre) != strlen(cookie) ||
	    sodium_memcmp(pre, cookie, strlen(pre)) != 0) {
		login_page(rq, rs, _("The sign-in form has expired; please try again."), name, 403);
		return 0;
	}
	switch (auth_login(rq, rs, name, password)) {
	case KN_OK:
		resp_redirect(rs, safe_next(kv_get(&rq->form, "next")));
		return 0;
	case KN_ECONFLICT:
		login_page(rq, rs, _("Too many failed sign-ins; wait 15 minutes and try again."),
			   name, 429);
		return 0;
	case KN_EIO:
		resp_header(rs, "Retry-After", "5");
		login_page(rq, rs, _("The database is busy; try again in a moment."), name, 503);
		return 0;
	default:
		login_page(rq, rs, _("Wrong user name or password."), name, 401);
		return 0;
	}
}

int h_logout(struct request *rq, struct response *rs)
{
	auth_logout(rq, rs);
	resp_redirect(rs, "/login");
	return 0;
}

int h_lang(struct request *rq, struct response *rs)
{
	const char *lang = strcmp(rq->arg, "en") == 0 ? "en" : "vi";
	struct buf c = BUF_INIT;
	buf_addf(&c, LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Strict%s", lang,
		 rq->secure ? "; Secure" : "");
	resp_header(rs, "Set-Cookie", c.s);
	buf_release(&c);
	resp_redirect(rs, "/");
	return 0;
}

/* The database answers: one indexed row (the change counter), never a
 * count of a big table, since load balancers ask every few seconds. */
int h_healthz(struct request *rq, struct response *rs)
{
	long long n;
	rs->ctype = "text/plain; charset=utf-8";
	if (store_changes(rq->store, &n) != KN_OK) {
		rs->status = 503;
		buf_adds(&rs->body, "database unavailable\n");
		return 0;
	}
	buf_addf(&rs->body, "ok %s\n", store_backend(rq->store));
	return 0;
}

int h_static(struct request *rq, struct response *rs)
{
	const struct asset *a = asset_find(rq->arg);
	if (!a)
		return resp_error(rq, rs, 404, _("No such page."));
	rs->ctype = a->ctype;
	rs->cacheable = 1;
	resp_header(rs, "Cache-Control", "public, max-age=86400");
	resp_header(rs, "ETag", a->etag);
	buf_add(&rs->body, a->data, a->len);
	return 0;
}
