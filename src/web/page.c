/*
 * page.c — see page.h. The layout is plain server-rendered HTML: a header
 * with the user's unit and the menu, the page, a footer. The style sheet
 * and the little JavaScript are static assets (web/app.css, web/app.js)
 * served from the binary, so the strict Content-Security-Policy holds.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/unitree.h"
#include "io/html.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "web/page.h"
#include "util/banned.h"

void url_encode(struct buf *out, const char *s)
{
	static const char hexd[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
		    *p == '/') {
			buf_addc(out, (char)*p);
		} else {
			buf_addc(out, '%');
			buf_addc(out, hexd[*p >> 4]);
			buf_addc(out, hexd[*p & 15]);
		}
	}
}

void page_int(struct response *rs, long long v)
{
	text_int(&rs->body, v);
}

void page_percent(struct response *rs, long long tenths)
{
	text_tenths(&rs->body, tenths);
	buf_addc(&rs->body, '%');
}

void page_date(struct response *rs, long long d)
{
	char s[11];
	if (d == KN_DATE_NONE)
		return;
	date_format_user((kn_date)d, s);
	buf_adds(&rs->body, s);
}

size_t page_units_max(void)
{
	const char *env = getenv("KETNAP_DATALIST_MAX");
	return env && atol(env) > 0 ? (size_t)atol(env) : PAGE_UNITS_MAX;
}

/* Units of n's subtree down to `below` levels under n, counted up to stop. */
static size_t units_within(const struct unode *n, int below, size_t stop)
{
	size_t k = 1;
	for (size_t i = 0; below > 0 && i < n->nchildren && k < stop; i++)
		k += units_within(n->children[i], below - 1, stop - k);
	return k;
}

int page_units_depth(const struct unode *scope)
{
	size_t max = page_units_max();
	size_t have = 1;
	for (int below = 0;; below++) {
		size_t more = units_within(scope, below + 1, max + 1);
		if (more == have)
			return INT_MAX;	/* the bottom: every unit fits */
		if (more > max)
			return below;
		have = more;
	}
}

void page_date_input(struct buf *b, const char *name, const char *value, const char *extra)
{
	char vn[11];
	kn_date d;
	if (value && date_parse(value, &d) == 0) {
		date_format_vn(d, vn);
		value = vn;
	}
	html_printf(b, "<input type=\"text\" inputmode=\"numeric\" class=\"date\" name=\"%s\" "
		    "value=\"%s\" placeholder=\"%s\" maxlength=\"10\" autocomplete=\"off\" "
		    "pattern=\"%S\" title=\"%s\"%S>", name, value ? value : "", _("dd/mm/yyyy"),
		    "\\d{1,2}/\\d{1,2}/\\d{4}|\\d{4}-\\d{2}-\\d{2}",
		    _("a date written dd/mm/yyyy, e.g. 15/01/2025"), extra ? extra : "");
}

void page_csrf(struct request *rq, struct response *rs)
{
	html_printf(&rs->body, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
		    rq->sess.csrf ? rq->sess.csrf : "");
}

struct nav_item {
	const char *key, *href, *label;
	enum role min;
};

static const struct nav_item nav[] = {
	{ "dashboard", "/", N_("Dashboard"), ROLE_VIEWER },
	{ "candidates", "/candidates", N_("Candidates"), ROLE_VIEWER },
	{ "decisions", "/decisions", N_("Decisions"), ROLE_APPROVER },
	{ "reports", "/reports", N_("Reports"), ROLE_VIEWER },
	{ "import", "/import", N_("Import"), ROLE_ADMIN },
	{ "admin", "/admin", N_("Administration"), ROLE_ADMIN },
};

void page_begin(struct request *rq, struct response *rs, const char *active, const char *title)
{
	struct buf *b = &rs->body;
	rs->ctype = "text/html; charset=utf-8";
	html_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>%s — ketnap</title>\n"
		    "<link rel=\"stylesheet\" href=\"/static/app.css\">\n"
		    "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n",
		    rq->lang ? rq->lang : "vi", title);
	html_printf(b, "<header class=\"top\"><a class=\"brand\" href=\"/\">ketnap</a>");
	if (rq->authed) {
		html_printf(b, "<nav>");
		for (size_t i = 0; i < sizeof(nav) / sizeof(*nav); i++) {
			if (rq->role < nav[i].min)
				continue;
			html_printf(b, "<a href=\"%s\"%S>%s</a>", nav[i].href,
				    active && strcmp(active, nav[i].key) == 0 ? " class=\"active\"" : "",
				    _(nav[i].label));
		}
		html_printf(b, "</nav><div class=\"who\">%s · %s · %s "
			    "<form method=\"post\" action=\"/logout\" class=\"inline\">",
			    rq->user.name, rq->user.unit, _(role_name(rq->role)));
		page_csrf(rq, rs);
		html_printf(b, "<button type=\"submit\" class=\"link\">%s</button></form></div>",
			    _("Sign out"));
	}
	html_printf(b, "<div class=\"lang\"><a href=\"/lang/vi\">VI</a> · <a href=\"/lang/en\">EN</a>"
		    "</div></header>\n<main>\n<h1>%s</h1>\n", title);
}

void page_end(struct request *rq, struct response *rs)
{
	(void)rq;
	html_printf(&rs->body, "</main>\n<footer>ketnap · %s</footer>\n</body>\n</html>\n",
		    _("admission of new party members"));
}

void page_pager(struct response *rs, const char *path, const struct buf *qs, long page,
		size_t pages)
{
	struct buf *b = &rs->body, p1 = BUF_INIT, p2 = BUF_INIT;
	text_int(&p1, page);
	text_int(&p2, (long long)pages);
	html_printf(b, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
	if (page > 1)
		html_printf(b, "<a href=\"%S%s%Spage=%ld\" rel=\"prev\">‹ %s</a>", path, qs->s,
			    qs->len ? "&amp;" : "?", page - 1, _("Previous"));
	html_printf(b, "<span>");
	html_printf(b, _("page %s of %s"), p1.s, p2.s);
	html_printf(b, "</span>");
	if ((size_t)page < pages)
		html_printf(b, "<a href=\"%S%s%Spage=%ld\" rel=\"next\">%s ›</a>", path, qs->s,
			    qs->len ? "&amp;" : "?", page + 1, _("Next"));
	html_printf(b, "</nav>\n");
	buf_release(&p1);
	buf_release(&p2);
}
