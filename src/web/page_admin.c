/*
 * page_admin.c — the administration pages of `ketnap serve` (admins):
 * GET /admin, the page that leads to the others, and what they share
 * (page_admin_impl.h). The pages themselves are one file a noun: units
 * (page_units.c), quotas (page_quotas.c), accounts (page_users.c), the
 * holiday calendar (page_holidays.c) and the audit log (page_audit.c).
 *
 * Everything is confined to the admin's subtree: an admin of a district
 * sees and changes that district's units, their quotas, the accounts
 * bound to them and the audit entries about them, and gets 404 for
 * anything else (req_can_see() on every unit shown or changed). The
 * admin's own unit stays under the parent the level above gave it, and an
 * admin cannot lock themselves out (change their own role or unit, or
 * disable their own account). The holiday calendar applies to everyone,
 * so only an admin of a top unit (one without a parent) changes it.
 *
 * Every change is validated as the importer validates the same record,
 * written through the store API with its audit entry (who, what, before,
 * after) in one transaction, and followed by a redirect (POST, then GET),
 * so a reload never repeats it. Large trees are shown a few levels at a
 * time, with links to go down.
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


#define TREE_LEVELS 3		/* levels shown below the unit in focus */
#define PICKER_MAX 1000		/* a <select> of units up to this many */

/* ---- small helpers ---- */

int admin_is_root(struct request *rq)
{
	struct unode *s = req_scope(rq);
	return s && !s->parent;
}

/* The admin's unit, or an error page (NULL) when it is gone. */
struct unode *admin_scope_or_fail(struct request *rq, struct response *rs)
{
	struct unode *s = req_scope(rq);
	if (!s)
		resp_error(rq, rs, 403, _("Your account's unit no longer exists."));
	return s;
}

/* A visible unit by code, or NULL. */
struct unode *admin_visible(struct request *rq, const char *code)
{
	struct unitree *t = req_tree(rq);
	if (!t || !code || !req_can_see(rq, code))
		return NULL;
	return unitree_find(t, code);
}

const char *admin_form(struct request *rq, const char *key)
{
	const char *v = kv_get(&rq->form, key);
	return v ? v : "";
}

const char *admin_query(struct request *rq, const char *key)
{
	const char *v = kv_get(&rq->query, key);
	return v ? v : "";
}

/* s without surrounding spaces, into out. */
void admin_trimmed(const char *s, struct buf *out)
{
	size_t n = strlen(s);
	buf_reset(out);
	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	buf_add(out, s, n);
}

/* A whole number min..max; -1 when s is not one. */
int admin_whole(const char *s, long long min, long long max, long long *out)
{
	long long n = 0;
	const char *p = s;
	if (!*p)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > max)
			return -1;
	}
	if (*p || n < min)
		return -1;
	*out = n;
	return 0;
}

int admin_year_param(const char *s)
{
	long long y;
	if (admin_whole(s, 1900, 2100, &y) == 0)
		return (int)y;
	return date_year(date_today());
}

/* The line of an error list. */
void admin_error_add(struct buf *errs, const char *msg)
{
	html_printf(errs, "<li>%s</li>\n", msg);
}

__attribute__((format(printf, 2, 3)))
void admin_error_addf(struct buf *errs, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	admin_error_add(errs, m.s);
	buf_release(&m);
}

void admin_show_errors(struct response *rs, const struct buf *errs)
{
	if (!errs || !errs->len)
		return;
	html_printf(&rs->body, "<div class=\"violations\" role=\"alert\"><p class=\"error\">%s</p>"
		    "<ul>\n%S</ul></div>\n", _("Nothing was saved:"), errs->s);
}

void admin_notice(struct response *rs, const char *msg)
{
	html_printf(&rs->body, "<p class=\"notice\" role=\"status\">%s</p>\n", msg);
}

/* The links between the administration pages. */
void admin_subnav(struct request *rq, struct response *rs, const char *active)
{
	static const struct {
		const char *key, *href, *label;
	} items[] = {
		{ "units", "/admin/units", N_("Units") },
		{ "quotas", "/admin/quotas", N_("Quotas") },
		{ "users", "/admin/users", N_("Accounts") },
		{ "holidays", "/admin/holidays", N_("Holidays") },
		{ "policy", "/admin/policy", N_("Policy") },
		{ "audit", "/admin/audit", N_("Audit log") },
		{ "duplicates", "/admin/duplicates", N_("Possible duplicates") },	/* issue 15 */
		{ "import", "/import", N_("Import") },
	};
	(void)rq;
	html_printf(&rs->body, "<nav class=\"admin-nav\"><a href=\"/admin\">%s</a>",
		    _("Administration"));
	for (size_t i = 0; i < sizeof(items) / sizeof(*items); i++)
		html_printf(&rs->body, " · <a href=\"%s\"%S>%s</a>", items[i].href,
			    strcmp(items[i].key, active) == 0 ? " class=\"active\"" : "",
			    _(items[i].label));
	html_printf(&rs->body, "</nav>\n");
}

/* A link path?key=code (plus a second key=value when k2). */
void admin_link_to(struct buf *out, const char *path, const char *k1, const char *v1,
		   const char *k2, const char *v2)
{
	buf_reset(out);
	buf_adds(out, path);
	if (k1) {
		buf_addf(out, "?%s=", k1);
		url_encode(out, v1);
	}
	if (k2) {
		buf_addf(out, "%c%s=", k1 ? '&' : '?', k2);
		url_encode(out, v2);
	}
}

/* "Scope › … › focus", each a link to path?unit=CODE (plus extra). */
void admin_crumbs(struct request *rq, struct response *rs, struct unode *focus, const char *path,
		  const char *k2, const char *v2)
{
	struct unode *scope = req_scope(rq);
	struct unode *chain[256];
	size_t n = 0;
	struct buf href = BUF_INIT;
	for (struct unode *u = focus; u && n < 256; u = u->parent) {
		chain[n++] = u;
		if (u == scope)
			break;
	}
	html_printf(&rs->body, "<p class=\"crumbs\">");
	while (n--) {
		admin_link_to(&href, path, "unit", chain[n]->u.code, k2, v2);
		if (n)
			html_printf(&rs->body, "<a href=\"%s\">%s</a> › ", href.s, chain[n]->u.name);
		else
			html_printf(&rs->body, "<strong>%s</strong>", chain[n]->u.name);
	}
	html_printf(&rs->body, "</p>\n");
	buf_release(&href);
}

static size_t subtree_count(const struct unode *n)
{
	size_t c = 1;
	for (size_t i = 0; i < n->nchildren; i++)
		c += subtree_count(n->children[i]);
	return c;
}

static void picker_options(struct response *rs, const struct unode *n, const char *selected,
			   int depth)
{
	html_printf(&rs->body, "<option value=\"%s\"%S>", n->u.code,
		    selected && strcmp(selected, n->u.code) == 0 ? " selected" : "");
	for (int i = 0; i < depth; i++)
		html_printf(&rs->body, "&nbsp;&nbsp;");
	html_printf(&rs->body, "%s — %s</option>\n", n->u.code, n->u.name);
	for (size_t i = 0; i < n->nchildren; i++)
		picker_options(rs, n->children[i], selected, depth + 1);
}

/* A choice of a unit of the subtree: a <select> for a city, a code field
 * for a tree too large to list. */
void admin_unit_picker(struct request *rq, struct response *rs, const char *name,
		       const char *label, const char *selected, int required)
{
	struct unode *scope = req_scope(rq);
	html_printf(&rs->body, "<label>%s ", label);
	if (subtree_count(scope) <= PICKER_MAX) {
		html_printf(&rs->body, "<select name=\"%s\"%S>\n", name, required ? " required" : "");
		if (!required)
			html_printf(&rs->body, "<option value=\"\"></option>\n");
		picker_options(rs, scope, selected, 0);
		html_printf(&rs->body, "</select>");
	} else {
		html_printf(&rs->body, "<input name=\"%s\" value=\"%s\" class=\"code\" "
			    "pattern=\"[A-Za-z0-9._\\-]{1,64}\"%S>", name, selected ? selected : "",
			    required ? " required" : "");
	}
	html_printf(&rs->body, "</label>\n");
}

/* Visit focus and its descendants down to TREE_LEVELS below it. */
void admin_tree_walk(struct request *rq, struct response *rs, struct unode *n, int rel,
		     admin_tree_fn fn, void *arg)
{
	int cut = rel == TREE_LEVELS && n->nchildren;
	fn(rq, rs, n, rel, cut, arg);
	if (rel < TREE_LEVELS)
		for (size_t i = 0; i < n->nchildren; i++)
			admin_tree_walk(rq, rs, n->children[i], rel + 1, fn, arg);
}

/* The unit in focus (?unit=), the admin's own by default; NULL (and a
 * 404 page) when it is not in the subtree. */
struct unode *admin_focus_or_404(struct request *rq, struct response *rs, const char *code)
{
	struct unode *f = *code ? admin_visible(rq, code) : req_scope(rq);
	if (!f)
		resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
	return f;
}

/* "N units below" link for a node whose children are not shown. */
void admin_below_link(struct response *rs, const char *path, const struct unode *n,
		      const char *k2, const char *v2)
{
	struct buf href = BUF_INIT;
	struct buf num = BUF_INIT;
	admin_link_to(&href, path, "unit", n->u.code, k2, v2);
	text_int(&num, (long long)subtree_count(n) - 1);
	html_printf(&rs->body, " <a class=\"muted\" href=\"%s\">", href.s);
	html_printf(&rs->body, ngettext("%s unit below ›", "%s units below ›", subtree_count(n) - 1),
		    num.s);
	html_printf(&rs->body, "</a>");
	buf_release(&href);
	buf_release(&num);
}

/* ---- GET /admin ---- */

int h_admin(struct request *rq, struct response *rs)
{
	static const struct {
		const char *href, *title, *text;
	} cards[] = {
		{ "/admin/units", N_("Units"),
		  N_("The tree of party organisations: add a unit, rename it, move it, set its kind, "
		     "sector and flags.") },
		{ "/admin/quotas", N_("Quotas"),
		  N_("The yearly admission quota of every unit and its structure targets.") },
		{ "/admin/users", N_("Accounts"),
		  N_("Who may sign in: add an account, change its role or unit, reset a password, "
		     "disable it.") },
		{ "/admin/holidays", N_("Holidays"),
		  N_("The working-day calendar: the computed public holidays and the days the "
		     "government moved.") },
		{ "/admin/policy", N_("Policy"),
		  N_("The parameters of the rules (ages, votes, deadlines) and the date each "
		     "applies from.") },
		{ "/admin/audit", N_("Audit log"),
		  N_("Every change: who made it, when, and the record before and after.") },
		{ "/import", N_("Import"),
		  N_("Load units, people, quotas, steps or holidays from CSV files.") },
		/* issue 15: identity (page_dups.c) */
		{ "/admin/duplicates", N_("Possible duplicates"),
		  N_("People recorded twice: the same name and date of birth; merge two records "
		     "into one.") },
	};
	struct unode *scope = admin_scope_or_fail(rq, rs);
	if (!scope)
		return 0;
	page_begin(rq, rs, "admin", _("Administration"));
	html_printf(&rs->body, "<p>%s <strong>%s</strong> (%s).</p>\n",
		    _("You administer"), scope->u.name, scope->u.code);
	html_printf(&rs->body, "<div class=\"cards\">\n");
	for (size_t i = 0; i < sizeof(cards) / sizeof(*cards); i++)
		html_printf(&rs->body, "<div class=\"card\"><h2><a href=\"%s\">%s</a></h2><p>%s</p></div>\n",
			    cards[i].href, _(cards[i].title), _(cards[i].text));
	html_printf(&rs->body, "</div>\n");
	page_end(rq, rs);
	return 0;
}
