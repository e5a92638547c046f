/*
 * page_admin.c — the administration pages of `ketnap serve` (admins):
 * units, quotas, accounts, the holiday calendar and the audit log.
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
#include "util/banned.h"

#define TREE_LEVELS 3		/* levels shown below the unit in focus */
#define PICKER_MAX 1000		/* a <select> of units up to this many */
#define MIN_PASSWORD 8
#define MAX_TARGET 100000000LL
#define AUDIT_PAGE 50
#define AUDIT_BATCH 500
#define AUDIT_SCAN_MAX 20000	/* entries looked at for one page */

/* ---- labels ---- */

static const char *const kind_labels[] = {
	[UNIT_PROVINCE] = N_("Province or city committee"),
	[UNIT_UPPER] = N_("Upper level (district, bloc)"),
	[UNIT_GRASSROOTS] = N_("Grassroots organisation"),
	[UNIT_CELL] = N_("Cell"),
};

static const struct {
	const char *code, *label;
} sectors[] = {
	{ "agency", N_("Agency") },
	{ "state_enterprise", N_("State enterprise") },
	{ "nonstate_enterprise", N_("Non-state enterprise") },
	{ "ward", N_("Ward") },
	{ "commune", N_("Commune") },
	{ "hamlet", N_("Hamlet or neighbourhood") },
	{ "school", N_("School") },
	{ "armed_forces", N_("Armed forces") },
	{ "other", N_("Other") },
};
#define NSECTORS (sizeof(sectors) / sizeof(*sectors))

static const struct {
	const char *code, *label;
} categories[] = {
	{ "total", N_("Total") },
	{ "female", N_("Women") },
	{ "ethnic_minority", N_("Ethnic minorities") },
	{ "religious", N_("Religious") },
	{ "youth", N_("Aged 30 or under") },
	{ "youth_union", N_("Youth Union members") },
	{ "worker", N_("Workers") },
	{ "farmer", N_("Farmers") },
	{ "student", N_("Students") },
	{ "civil_servant", N_("Civil servants") },
	{ "nonstate_enterprise", N_("In non-state enterprises") },
	{ "hamlet", N_("In hamlets and neighbourhoods") },
	{ "higher_education", N_("Higher education") },
};
#define NCATS (sizeof(categories) / sizeof(*categories))

static const char *sector_label(const char *code)
{
	for (size_t i = 0; code && i < NSECTORS; i++)
		if (strcmp(sectors[i].code, code) == 0)
			return _(sectors[i].label);
	return code ? code : "";
}

static int category_index(const char *code)
{
	for (size_t i = 0; i < NCATS; i++)
		if (strcmp(categories[i].code, code) == 0)
			return (int)i;
	return -1;
}

/* ---- small helpers ---- */

static int is_root_admin(struct request *rq)
{
	struct unode *s = req_scope(rq);
	return s && !s->parent;
}

/* The admin's unit, or an error page (NULL) when it is gone. */
static struct unode *scope_or_fail(struct request *rq, struct response *rs)
{
	struct unode *s = req_scope(rq);
	if (!s)
		resp_error(rq, rs, 403, _("Your account's unit no longer exists."));
	return s;
}

/* A visible unit by code, or NULL. */
static struct unode *visible(struct request *rq, const char *code)
{
	struct unitree *t = req_tree(rq);
	if (!t || !code || !req_can_see(rq, code))
		return NULL;
	return unitree_find(t, code);
}

static const char *form(struct request *rq, const char *key)
{
	const char *v = kv_get(&rq->form, key);
	return v ? v : "";
}

static const char *query(struct request *rq, const char *key)
{
	const char *v = kv_get(&rq->query, key);
	return v ? v : "";
}

/* s without surrounding spaces, into out. */
static void trimmed(const char *s, struct buf *out)
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
static int whole(const char *s, long long min, long long max, long long *out)
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

static int year_param(const char *s)
{
	long long y;
	if (whole(s, 1900, 2100, &y) == 0)
		return (int)y;
	return date_year(date_today());
}

/* The unit-code pattern of FORMATS.md (the importer's). */
static int unit_code_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n >= 1 && n <= 64;
}

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

/* The line of an error list. */
static void error_add(struct buf *errs, const char *msg)
{
	html_printf(errs, "<li>%s</li>\n", msg);
}

__attribute__((format(printf, 2, 3)))
static void error_addf(struct buf *errs, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	error_add(errs, m.s);
	buf_release(&m);
}

static void show_errors(struct response *rs, const struct buf *errs)
{
	if (!errs || !errs->len)
		return;
	html_printf(&rs->body, "<div class=\"violations\" role=\"alert\"><p class=\"error\">%s</p>"
		    "<ul>\n%S</ul></div>\n", _("Nothing was saved:"), errs->s);
}

static void notice(struct response *rs, const char *msg)
{
	html_printf(&rs->body, "<p class=\"notice\" role=\"status\">%s</p>\n", msg);
}

/* The links between the administration pages. */
static void subnav(struct request *rq, struct response *rs, const char *active)
{
	static const struct {
		const char *key, *href, *label;
	} items[] = {
		{ "units", "/admin/units", N_("Units") },
		{ "quotas", "/admin/quotas", N_("Quotas") },
		{ "users", "/admin/users", N_("Accounts") },
		{ "holidays", "/admin/holidays", N_("Holidays") },
		{ "audit", "/admin/audit", N_("Audit log") },
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
static void link_to(struct buf *out, const char *path, const char *k1, const char *v1,
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
static void crumbs(struct request *rq, struct response *rs, struct unode *focus, const char *path,
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
		link_to(&href, path, "unit", chain[n]->u.code, k2, v2);
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
static void unit_picker(struct request *rq, struct response *rs, const char *name,
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
typedef void (*tree_fn)(struct request *rq, struct response *rs, struct unode *n, int rel,
			int cut, void *arg);

static void tree_walk(struct request *rq, struct response *rs, struct unode *n, int rel,
		      tree_fn fn, void *arg)
{
	int cut = rel == TREE_LEVELS && n->nchildren;
	fn(rq, rs, n, rel, cut, arg);
	if (rel < TREE_LEVELS)
		for (size_t i = 0; i < n->nchildren; i++)
			tree_walk(rq, rs, n->children[i], rel + 1, fn, arg);
}

/* The unit in focus (?unit=), the admin's own by default; NULL (and a
 * 404 page) when it is not in the subtree. */
static struct unode *focus_or_404(struct request *rq, struct response *rs, const char *code)
{
	struct unode *f = *code ? visible(rq, code) : req_scope(rq);
	if (!f)
		resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
	return f;
}

/* "N units below" link for a node whose children are not shown. */
static void below_link(struct response *rs, const char *path, const struct unode *n,
		       const char *k2, const char *v2)
{
	struct buf href = BUF_INIT;
	struct buf num = BUF_INIT;
	link_to(&href, path, "unit", n->u.code, k2, v2);
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
		{ "/admin/audit", N_("Audit log"),
		  N_("Every change: who made it, when, and the record before and after.") },
		{ "/import", N_("Import"),
		  N_("Load units, people, quotas, steps or holidays from CSV files.") },
	};
	struct unode *scope = scope_or_fail(rq, rs);
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

/* ---- units ---- */

/* What the unit form shows: a unit being edited or added, or what was
 * posted (after an error). */
struct unit_form {
	int edit;		/* editing an existing unit (code fixed) */
	const char *code, *parent, *name, *kind, *sector;
	int may_admit, special_area;
};

static void unit_row(struct request *rq, struct response *rs, struct unode *n, int rel, int cut,
		     void *arg)
{
	struct buf href = BUF_INIT;
	const char *focus = arg;
	(void)rq;
	html_printf(&rs->body, "<tr><td class=\"code\">%s</td><td class=\"utree d%d\">%s", n->u.code,
		    rel, n->u.name);
	if (cut)
		below_link(rs, "/admin/units", n, NULL, NULL);
	html_printf(&rs->body, "</td><td>%s</td><td>%s</td><td>", _(kind_labels[n->u.kind]),
		    sector_label(n->u.sector));
	if (n->u.may_admit)
		html_printf(&rs->body, "<span class=\"unit-flag\">%s</span> ", _("decides admissions"));
	if (n->u.special_area)
		html_printf(&rs->body, "<span class=\"unit-flag\">%s</span>", _("special area"));
	link_to(&href, "/admin/units", "unit", focus, "edit", n->u.code);
	html_printf(&rs->body, "</td><td class=\"actions\"><a href=\"%s#unit-form\">%s</a>", href.s,
		    _("Edit"));
	if (n->u.kind != UNIT_CELL) {	/* a cell has no units below it */
		link_to(&href, "/admin/units", "unit", focus, "parent", n->u.code);
		html_printf(&rs->body, " · <a href=\"%s#unit-form\">%s</a>", href.s, _("Add below"));
	}
	html_printf(&rs->body, "</td></tr>\n");
	buf_release(&href);
}

static void unit_form_html(struct request *rq, struct response *rs, const struct unit_form *f,
			   const char *focus)
{
	struct unode *scope = req_scope(rq);
	int own = f->edit && strcmp(f->code, scope->u.code) == 0;
	if (f->edit)
		html_printf(&rs->body, "<h2 id=\"unit-form\">%s %s</h2>\n", _("Edit unit"), f->code);
	else
		html_printf(&rs->body, "<h2 id=\"unit-form\">%s</h2>\n", _("Add a unit"));
	html_printf(&rs->body, "<form method=\"post\" action=\"/admin/units\" class=\"grid admin\">\n");
	page_csrf(rq, rs);
	html_printf(&rs->body, "<input type=\"hidden\" name=\"mode\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"focus\" value=\"%s\">\n",
		    f->edit ? "edit" : "add", focus);
	if (f->edit)
		html_printf(&rs->body, "<input type=\"hidden\" name=\"code\" value=\"%s\">"
			    "<label>%s <input value=\"%s\" class=\"code\" disabled></label>\n",
			    f->code, _("Code"), f->code);
	else
		html_printf(&rs->body, "<label>%s <input name=\"code\" value=\"%s\" class=\"code\" "
			    "required maxlength=\"64\" pattern=\"[A-Za-z0-9._\\-]{1,64}\" "
			    "placeholder=\"CT.BT.P01\"></label>\n", _("Code"), f->code ? f->code : "");
	if (own)
		html_printf(&rs->body, "<label>%s <input value=\"%s\" class=\"code\" disabled></label>\n",
			    _("Parent"), scope->parent ? scope->parent->u.code : "—");
	else
		unit_picker(rq, rs, "parent", _("Parent"), f->parent, 1);
	html_printf(&rs->body, "<label>%s <input name=\"name\" value=\"%s\" required "
		    "maxlength=\"300\"></label>\n", _("Name"), f->name ? f->name : "");
	html_printf(&rs->body, "<label>%s <select name=\"kind\" required>", _("Kind"));
	for (int k = UNIT_PROVINCE; k <= UNIT_CELL; k++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", unit_kind_name(k),
			    f->kind && strcmp(f->kind, unit_kind_name(k)) == 0 ? " selected" : "",
			    _(kind_labels[k]));
	html_printf(&rs->body, "</select></label>\n<label>%s <select name=\"sector\">"
		    "<option value=\"\">—</option>", _("Sector"));
	for (size_t i = 0; i < NSECTORS; i++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", sectors[i].code,
			    f->sector && strcmp(f->sector, sectors[i].code) == 0 ? " selected" : "",
			    _(sectors[i].label));
	html_printf(&rs->body, "</select></label>\n"
		    "<label class=\"check\"><input type=\"checkbox\" name=\"may_admit\" value=\"1\"%S> %s</label>\n"
		    "<label class=\"check\"><input type=\"checkbox\" name=\"special_area\" value=\"1\"%S> %s</label>\n"
		    "<div><button type=\"submit\">%s</button></div>\n</form>\n",
		    f->may_admit ? " checked" : "", _("Its committee decides admissions"),
		    f->special_area ? " checked" : "",
		    _("Mountain, border, island or ethnic-minority area"), _("Save"));
	if (f->edit) {
		struct buf href = BUF_INIT;
		link_to(&href, "/admin/units", "unit", focus, NULL, NULL);
		html_printf(&rs->body, "<p><a href=\"%s#unit-form\">%s</a></p>\n", href.s,
			    _("Add a new unit instead"));
		buf_release(&href);
	}
}

static void units_page(struct request *rq, struct response *rs, struct unode *focus,
		       const struct unit_form *f, const struct buf *errs)
{
	page_begin(rq, rs, "admin", _("Units"));
	subnav(rq, rs, "units");
	crumbs(rq, rs, focus, "/admin/units", NULL, NULL);
	const char *saved = kv_get(&rq->query, "saved");
	if (saved && !errs) {
		struct buf m = BUF_INIT;
		buf_addf(&m, strcmp(query(rq, "changed"), "0") == 0 ? _("Unit %s: nothing changed.")
								    : _("Unit %s saved."), saved);
		notice(rs, m.s);
		buf_release(&m);
	}
	show_errors(rs, errs);
	html_printf(&rs->body, "<table class=\"admin units\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n", _("Code"), _("Name"),
		    _("Kind"), _("Sector"), _("Flags"));
	tree_walk(rq, rs, focus, 0, unit_row, focus->u.code);
	html_printf(&rs->body, "</tbody></table>\n");
	unit_form_html(rq, rs, f, focus->u.code);
	page_end(rq, rs);
}

int h_admin_units(struct request *rq, struct response *rs)
{
	struct unit_form f = { 0 };
	struct unode *focus, *u;
	if (!scope_or_fail(rq, rs) || !(focus = focus_or_404(rq, rs, query(rq, "unit"))))
		return 0;
	const char *edit = query(rq, "edit");
	if (*edit) {
		if (!(u = visible(rq, edit)))
			return resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
		f.edit = 1;
		f.code = u->u.code;
		f.parent = u->u.parent;
		f.name = u->u.name;
		f.kind = unit_kind_name(u->u.kind);
		f.sector = u->u.sector;
		f.may_admit = u->u.may_admit;
		f.special_area = u->u.special_area;
	} else {
		const char *parent = query(rq, "parent");
		u = *parent ? visible(rq, parent) : focus;
		f.parent = u ? u->u.code : focus->u.code;
		/* The usual kind below a unit. */
		f.kind = unit_kind_name(u && u->u.kind < UNIT_CELL ? u->u.kind + 1 : UNIT_CELL);
	}
	units_page(rq, rs, focus, &f, NULL);
	return 0;
}

int h_admin_unit_save(struct request *rq, struct response *rs)
{
	struct unode *scope = scope_or_fail(rq, rs);
	struct unitree *t = req_tree(rq);
	struct buf errs = BUF_INIT, code = BUF_INIT, name = BUF_INIT, parent = BUF_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT, to = BUF_INIT;
	struct unit u, old;
	struct unode *existing, *focus;
	int edit = strcmp(form(rq, "mode"), "edit") == 0, changed = 0, have_old = 0;
	enum kn_err e;

	if (!scope || !t)
		return scope ? resp_error(rq, rs, 500, store_errmsg(rq->store)) : 0;
	memset(&u, 0, sizeof(u));
	trimmed(form(rq, "code"), &code);
	trimmed(form(rq, "parent"), &parent);
	focus = visible(rq, form(rq, "focus"));
	if (!focus)
		focus = scope;

	existing = code.len ? unitree_find(t, code.s) : NULL;
	if (edit) {
		if (!existing || !unitree_within(existing, scope)) {
			resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
			goto out;
		}
	} else if (!unit_code_valid(code.s)) {
		error_addf(&errs, _("code: %s is not a unit code; use 1 to 64 letters, digits, '.', '_' "
				    "or '-'"), code.s);
	} else if (existing) {
		error_addf(&errs, _("code: the code %s is already used by another unit; edit that "
				    "unit or choose another code"), code.s);
	}

	/* Name: required, stored NFC. */
	{
		struct buf tn = BUF_INIT;
		trimmed(form(rq, "name"), &tn);
		if (!tn.len)
			error_add(&errs, _("name: a value is required"));
		else if (text_nfc(tn.s, &name) != 0)
			error_add(&errs, _("name: not valid UTF-8 text"));
		buf_release(&tn);
	}
	if (unit_kind_parse(form(rq, "kind"), &u.kind) != 0)
		error_addf(&errs, _("kind: %s is not a unit kind; use province, upper, grassroots or cell"),
			   form(rq, "kind"));
	const char *sector = form(rq, "sector");
	if (*sector && !sector_valid(sector))
		error_addf(&errs, _("sector: %s is not a sector"), sector);

	/* Parent: one's own unit stays where it is; any other unit goes
	 * under a unit of the subtree, never under itself. */
	if (edit && existing == scope) {
		u.parent = scope->parent ? scope->parent->u.code : NULL;
		if (!u.parent && u.kind != UNIT_PROVINCE && !errs.len)
			error_add(&errs, _("kind: only a province may be a root"));
	} else if (!parent.len) {
		error_addf(&errs, _("parent: a unit must be placed under %s or a unit below it"),
			   scope->u.code);
	} else {
		struct unode *p = visible(rq, parent.s);
		if (!p)
			error_addf(&errs, _("parent: %s is not %s or a unit below it"), parent.s,
				   scope->u.code);
		else if (edit && unitree_within(p, existing))
			error_addf(&errs, _("parent: %s is %s itself or a unit below it; a unit cannot "
					    "be placed under itself"), parent.s, code.s);
		else
			u.parent = p->u.code;
	}

	if (errs.len) {
		struct unit_form f = {
			.edit = edit, .code = code.s, .parent = parent.s, .name = form(rq, "name"),
			.kind = form(rq, "kind"), .sector = sector,
			.may_admit = *form(rq, "may_admit") != 0,
			.special_area = *form(rq, "special_area") != 0,
		};
		if (edit)
			f.code = existing->u.code;
		rs->status = 422;
		units_page(rq, rs, focus, &f, &errs);
		goto out;
	}

	u.code = code.s;
	u.name = name.s;
	u.sector = *sector ? (char *)sector : NULL;
	u.may_admit = *form(rq, "may_admit") != 0;
	u.special_area = *form(rq, "special_area") != 0;

	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	if ((e = store_unit_get(rq->store, u.code, &old)) == KN_OK) {
		have_old = 1;
		export_unit_row(&before, &old);
		buf_truncate(&before, before.len ? before.len - 1 : 0);
	} else if (e != KN_ENOTFOUND) {
		store_rollback(rq->store);
		goto fail;
	}
	if (have_old != edit) {
		/* Added or removed by someone else since the page was shown. */
		store_rollback(rq->store);
		resp_error(rq, rs, 409, _("Someone else changed this unit meanwhile; reload the page "
					  "and try again."));
		goto out;
	}
	export_unit_row(&after, &u);
	buf_truncate(&after, after.len - 1);
	if ((e = store_unit_put(rq->store, &u, &changed)) != KN_OK ||
	    (changed && (e = store_audit(rq->store, rq->user.name,
					 changed == 2 ? "insert" : "update", "unit", u.code,
					 have_old ? before.s : NULL, after.s)) != KN_OK)) {
		store_rollback(rq->store);
		goto fail;
	}
	if ((e = store_commit(rq->store)) != KN_OK)
		goto fail;
	link_to(&to, "/admin/units", "unit", focus->u.code, "saved", u.code);
	buf_addf(&to, "&changed=%d", changed != 0);
	resp_redirect(rs, to.s);
	goto out;
fail:
	resp_error(rq, rs, e == KN_ECONFLICT ? 409 : 500, store_errmsg(rq->store));
out:
	if (have_old)
		unit_release(&old);
	buf_release(&errs);
	buf_release(&code);
	buf_release(&name);
	buf_release(&parent);
	buf_release(&before);
	buf_release(&after);
	buf_release(&to);
	return 0;
}

/* ---- quotas ---- */

static int quota_cmp_key(const struct quota *q, const char *unit, int year, const char *cat)
{
	int c = strcmp(q->unit, unit);
	if (c)
		return c;
	if (q->year != year)
		return q->year < year ? -1 : 1;
	return strcmp(q->category, cat);
}

/* The quota of unit/year/category, or NULL. q is sorted by unit, year,
 * category. */
static const struct quota *quota_find(const struct quota *q, size_t n, const char *unit, int year,
				      const char *cat)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = quota_cmp_key(&q[mid], unit, year, cat);
		if (c == 0)
			return &q[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct quota_view {
	const struct quota *q;
	size_t n;
	int year;
	const char *focus;
	struct kvlist *posted;	/* values to show again after an error */
};

static const char *posted_value(struct quota_view *v, const char *field)
{
	return v->posted ? kv_get(v->posted, field) : NULL;
}

/* The input of one quota, with the value it had when shown (so that a
 * save writes only what this admin changed, and notices a change made
 * meanwhile by someone else). */
static void quota_input(struct response *rs, struct quota_view *v, const char *unit,
			const char *cat, const char *label)
{
	const struct quota *q = quota_find(v->q, v->n, unit, v->year, cat);
	struct buf field = BUF_INIT, was = BUF_INIT;
	buf_addf(&field, "q:%s:%s", cat, unit);
	if (q)
		buf_addf(&was, "%lld", q->target);
	const char *shown = posted_value(v, field.s);
	html_printf(&rs->body, "<input name=\"%s\" value=\"%s\" inputmode=\"numeric\" "
		    "pattern=\"[0-9]*\" size=\"6\" aria-label=\"%s %s\" class=\"num\">", field.s,
		    shown ? shown : was.s, unit, label);
	buf_reset(&field);
	buf_addf(&field, "o:%s:%s", cat, unit);
	shown = posted_value(v, field.s);
	html_printf(&rs->body, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", field.s,
		    shown ? shown : was.s);
	buf_release(&field);
	buf_release(&was);
}

static void quota_row(struct request *rq, struct response *rs, struct unode *n, int rel, int cut,
		      void *arg)
{
	struct quota_view *v = arg;
	struct buf href = BUF_INIT, y = BUF_INIT;
	int first = 1;
	(void)rq;
	html_printf(&rs->body, "<tr><td class=\"code\">%s</td><td class=\"utree d%d\">%s", n->u.code,
		    rel, n->u.name);
	buf_addf(&y, "%d", v->year);
	if (cut)
		below_link(rs, "/admin/quotas", n, "year", y.s);
	html_printf(&rs->body, "</td><td class=\"num\">");
	quota_input(rs, v, n->u.code, "total", _(categories[0].label));
	html_printf(&rs->body, "</td><td>");
	for (size_t i = 1; i < NCATS; i++) {
		const struct quota *q = quota_find(v->q, v->n, n->u.code, v->year, categories[i].code);
		if (!q)
			continue;
		html_printf(&rs->body, "%S%s ", first ? "" : " · ", _(categories[i].label));
		page_int(rs, q->target);
		first = 0;
	}
	link_to(&href, "/admin/quotas", "unit", v->focus, "edit", n->u.code);
	buf_addf(&href, "&year=%d", v->year);
	html_printf(&rs->body, "</td><td class=\"actions\"><a href=\"%s#quota-form\">%s</a></td></tr>\n",
		    href.s, _("Structure targets"));
	buf_release(&href);
	buf_release(&y);
}

static void quotas_page(struct request *rq, struct response *rs, struct unode *focus,
			struct unode *edit, int year, struct kvlist *posted, const struct buf *errs)
{
	struct quota *q = NULL;
	size_t n = 0;
	struct buf href = BUF_INIT, title = BUF_INIT;
	struct quota_view v;
	enum kn_err e;

	if ((e = store_quota_all(rq->store, &q, &n)) != KN_OK) {
		resp_error(rq, rs, 500, store_errmsg(rq->store));
		return;
	}
	v = (struct quota_view){ q, n, year, focus->u.code, posted };
	buf_addf(&title, "%s %d", _("Quotas"), year);
	page_begin(rq, rs, "admin", title.s);
	subnav(rq, rs, "quotas");
	{
		char ys[8];
		snprintf(ys, sizeof(ys), "%d", year);
		crumbs(rq, rs, focus, "/admin/quotas", "year", ys);
	}
	const char *saved = kv_get(&rq->query, "saved");
	if (saved && !errs) {
		long long k = 0;
		struct buf m = BUF_INIT, num = BUF_INIT;
		whole(saved, 0, 1000000000, &k);
		text_int(&num, k);
		if (k)
			buf_addf(&m, ngettext("%s quota saved.", "%s quotas saved.", (unsigned long)k),
				 num.s);
		else
			buf_adds(&m, _("Nothing changed."));
		notice(rs, m.s);
		buf_release(&m);
		buf_release(&num);
	}
	show_errors(rs, errs);

	/* The year. */
	html_printf(&rs->body, "<form method=\"get\" action=\"/admin/quotas\" class=\"pager\">"
		    "<input type=\"hidden\" name=\"unit\" value=\"%s\">", focus->u.code);
	link_to(&href, "/admin/quotas", "unit", focus->u.code, NULL, NULL);
	html_printf(&rs->body, "<a href=\"%s&amp;year=%d\">‹ %d</a>", href.s, year - 1, year - 1);
	html_printf(&rs->body, "<label>%s <input name=\"year\" value=\"%d\" size=\"5\" "
		    "inputmode=\"numeric\"></label><button type=\"submit\" class=\"secondary\">%s</button>",
		    _("Year"), year, _("Show"));
	html_printf(&rs->body, "<a href=\"%s&amp;year=%d\">%d ›</a></form>\n", href.s, year + 1,
		    year + 1);
	html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
		    _("A unit's quota is its own target, not the sum of its units' quotas. An empty "
		      "field is a unit without a quota."));

	/* One unit's structure targets. */
	if (edit) {
		html_printf(&rs->body, "<h2 id=\"quota-form\">%s: %s (%s) — %d</h2>\n",
			    _("Structure targets"), edit->u.name, edit->u.code, year);
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/quotas\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<input type=\"hidden\" name=\"year\" value=\"%d\">"
			    "<input type=\"hidden\" name=\"focus\" value=\"%s\">\n", year,
			    focus->u.code);
		for (size_t i = 0; i < NCATS; i++) {
			html_printf(&rs->body, "<label>%s ", _(categories[i].label));
			quota_input(rs, &v, edit->u.code, categories[i].code, _(categories[i].label));
			html_printf(&rs->body, "</label>\n");
		}
		html_printf(&rs->body, "<div><button type=\"submit\">%s</button></div>\n</form>\n",
			    _("Save"));
		v.posted = NULL;	/* the table below shows the stored values */
	}

	html_printf(&rs->body, "<h2>%s</h2>\n", _("Total quotas"));
	html_printf(&rs->body, "<form method=\"post\" action=\"/admin/quotas\">\n");
	page_csrf(rq, rs);
	html_printf(&rs->body, "<input type=\"hidden\" name=\"year\" value=\"%d\">"
		    "<input type=\"hidden\" name=\"focus\" value=\"%s\">\n", year, focus->u.code);
	html_printf(&rs->body, "<table class=\"admin quotas\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th class=\"num\">%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n",
		    _("Code"), _("Name"), _("Total"), _("Structure targets"));
	if (!edit)
		v.posted = posted;
	tree_walk(rq, rs, focus, 0, quota_row, &v);
	html_printf(&rs->body, "</tbody></table>\n<button type=\"submit\">%s</button>\n</form>\n",
		    _("Save the quotas"));
	page_end(rq, rs);
	store_quotas_free(q, n);
	buf_release(&href);
	buf_release(&title);
}

int h_admin_quotas(struct request *rq, struct response *rs)
{
	struct unode *focus, *edit = NULL;
	if (!scope_or_fail(rq, rs) || !(focus = focus_or_404(rq, rs, query(rq, "unit"))))
		return 0;
	if (*query(rq, "edit") && !(edit = visible(rq, query(rq, "edit"))))
		return resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
	quotas_page(rq, rs, focus, edit, year_param(query(rq, "year")), NULL, NULL);
	return 0;
}

/* One posted quota field "q:CATEGORY:UNIT". */
struct qchange {
	char *unit, *cat;
	long long target;
	const char *was;	/* the value shown ("" for none) */
};

int h_admin_quota_save(struct request *rq, struct response *rs)
{
	struct unode *scope = scope_or_fail(rq, rs), *focus;
	struct buf errs = BUF_INIT, val = BUF_INIT, to = BUF_INIT;
	struct qchange *ch = NULL;
	size_t nch = 0, saved = 0;
	struct quota *q = NULL;
	size_t nq = 0;
	long long year;
	enum kn_err e;

	if (!scope)
		return 0;
	if (whole(form(rq, "year"), 1900, 2100, &year) != 0)
		return resp_error(rq, rs, 400, _("year: not a year from 1900 to 2100"));
	focus = visible(rq, form(rq, "focus"));
	if (!focus)
		focus = scope;
	if ((e = store_quota_all(rq->store, &q, &nq)) != KN_OK)
		return resp_error(rq, rs, 500, store_errmsg(rq->store));

	for (size_t i = 0; i < rq->form.n; i++) {
		const struct kv *k = &rq->form.v[i];
		if (strncmp(k->key, "q:", 2) != 0)
			continue;
		const char *cat = k->key + 2, *colon = strchr(cat, ':');
		if (!colon)
			continue;
		char *c = xstrndup(cat, (size_t)(colon - cat));
		const char *unit = colon + 1;
		if (!visible(rq, unit)) {
			free(c);
			resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
			goto out;
		}
		if (category_index(c) < 0) {
			error_addf(&errs, _("%s: %s is not a structure category"), unit, c);
			free(c);
			continue;
		}
		struct buf okey = BUF_INIT;
		buf_addf(&okey, "o:%s", cat);
		const char *was = kv_get(&rq->form, okey.s);
		buf_release(&okey);
		trimmed(k->val, &val);
		if (was && strcmp(was, val.s) == 0) {	/* untouched */
			free(c);
			continue;
		}
		const char *label = _(categories[category_index(c)].label);
		const struct quota *cur = quota_find(q, nq, unit, (int)year, c);
		long long target = -1;
		if (!val.len) {
			if (cur)
				error_addf(&errs, _("%s, %s: a quota cannot be removed; set it to 0"), unit,
					   label);
		} else if (whole(val.s, 0, MAX_TARGET, &target) != 0) {
			error_addf(&errs, _("%s, %s: %s is not a whole number from 0 to %lld"), unit,
				   label, val.s, MAX_TARGET);
			target = -1;
		}
		if (target < 0) {
			free(c);
			continue;
		}
		ch = xreallocarray(ch, nch + 1, sizeof(*ch));
		ch[nch++] = (struct qchange){ xstrdup(unit), c, target, was ? was : NULL };
	}
	if (errs.len) {
		rs->status = 422;
		store_quotas_free(q, nq);
		q = NULL;
		nq = 0;
		struct unode *edit = NULL;
		/* Show the per-unit form again when the post came from it. */
		for (size_t i = 0; i < rq->form.n && !edit; i++)
			if (strncmp(rq->form.v[i].key, "q:female:", 9) == 0)
				edit = visible(rq, rq->form.v[i].key + 9);
		quotas_page(rq, rs, focus, edit, (int)year, &rq->form, &errs);
		goto out;
	}

	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	for (size_t i = 0; i < nch; i++) {
		const struct quota *cur = quota_find(q, nq, ch[i].unit, (int)year, ch[i].cat);
		struct buf before = BUF_INIT, after = BUF_INIT, key = BUF_INIT, now = BUF_INIT;
		struct quota nq1 = { ch[i].unit, (int)year, ch[i].cat, ch[i].target };
		int changed = 0;
		if (cur)
			buf_addf(&now, "%lld", cur->target);
		if (ch[i].was && strcmp(ch[i].was, now.s) != 0) {
			/* Changed by someone else since the page was shown. */
			buf_release(&now);
			store_rollback(rq->store);
			rs->status = 409;
			error_addf(&errs, _("%s, %s: someone else changed this quota meanwhile (now %s); "
					    "check it and save again"), ch[i].unit,
				   _(categories[category_index(ch[i].cat)].label),
				   *now.s ? now.s : "—");
			store_quotas_free(q, nq);
			q = NULL;
			nq = 0;
			quotas_page(rq, rs, focus, NULL, (int)year, NULL, &errs);
			goto out;
		}
		buf_release(&now);
		if (cur) {
			export_quota_row(&before, cur);
			buf_truncate(&before, before.len - 1);
		}
		export_quota_row(&after, &nq1);
		buf_truncate(&after, after.len - 1);
		buf_addf(&key, "%s/%d/%s", ch[i].unit, (int)year, ch[i].cat);
		e = store_quota_put(rq->store, &nq1, &changed);
		if (e == KN_OK && changed)
			e = store_audit(rq->store, rq->user.name, changed == 2 ? "insert" : "update",
					"quota", key.s, cur ? before.s : NULL, after.s);
		saved += changed != 0;
		buf_release(&before);
		buf_release(&after);
		buf_release(&key);
		if (e != KN_OK) {
			store_rollback(rq->store);
			goto fail;
		}
	}
	if ((e = store_commit(rq->store)) != KN_OK)
		goto fail;
	link_to(&to, "/admin/quotas", "unit", focus->u.code, NULL, NULL);
	buf_addf(&to, "&year=%lld&saved=%zu", year, saved);
	resp_redirect(rs, to.s);
	goto out;
fail:
	resp_error(rq, rs, e == KN_ECONFLICT ? 409 : 500, store_errmsg(rq->store));
out:
	for (size_t i = 0; i < nch; i++) {
		free(ch[i].unit);
		free(ch[i].cat);
	}
	free(ch);
	store_quotas_free(q, nq);
	buf_release(&errs);
	buf_release(&val);
	buf_release(&to);
	return 0;
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
	subnav(rq, rs, "users");
	const char *ok = query(rq, "ok");
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
				buf_addf(&m, _(oks[i].msg), query(rq, "name"));
				notice(rs, m.s);
				buf_release(&m);
			}
	}
	show_errors(rs, errs);

	if (have_ed) {
		html_printf(&rs->body, "<h2 id=\"user-form\">%s %s</h2>\n", _("Account"), ed.name);
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/users\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<input type=\"hidden\" name=\"action\" value=\"update\">"
			    "<input type=\"hidden\" name=\"name\" value=\"%s\">\n", ed.name);
		unit_picker(rq, rs, "unit", _("Unit"), ed.unit, 1);
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
		link_to(&href, "/admin/users", "edit", u[i].name, NULL, NULL);
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
		const char *posted = errs ? form(rq, "action") : "";
		int again = strcmp(posted, "add") == 0;
		html_printf(&rs->body, "<h2 id=\"user-form\">%s</h2>\n", _("Add an account"));
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/users\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<input type=\"hidden\" name=\"action\" value=\"add\">\n"
			    "<label>%s <input name=\"name\" required maxlength=\"64\" "
			    "pattern=\"[A-Za-z0-9._@\\-]{1,64}\" autocomplete=\"off\" value=\"%s\"></label>\n",
			    _("User name"), again ? form(rq, "name") : "");
		unit_picker(rq, rs, "unit", _("Unit"), again ? form(rq, "unit") : rq->user.unit, 1);
		role_select(rs, again ? form(rq, "role") : "editor");
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
	if (!scope_or_fail(rq, rs))
		return 0;
	users_page(rq, rs, query(rq, "edit"), NULL);
	return 0;
}

static int password_ok(const char *pw, struct buf *errs)
{
	if (utf8_chars(pw) < MIN_PASSWORD || !text_is_valid_utf8(pw)) {
		error_addf(errs, _("password: the password must have at least %d characters"),
			   MIN_PASSWORD);
		return 0;
	}
	return 1;
}

int h_admin_user_save(struct request *rq, struct response *rs)
{
	const char *action = form(rq, "action"), *name = form(rq, "name");
	struct buf errs = BUF_INIT, hash = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
	struct buf to = BUF_INIT;
	struct user u, old;
	int have_old = 0, changed;
	const char *audit_action = action;
	enum kn_err e;

	if (!scope_or_fail(rq, rs))
		return 0;
	memset(&u, 0, sizeof(u));
	if (strcmp(action, "add") == 0) {
		const char *unit = form(rq, "unit"), *role = form(rq, "role");
		if (!user_name_valid(name))
			error_addf(&errs, _("name: '%s' is not a user name; use 1 to 64 letters, digits, "
					    "'.', '_', '@' or '-'"), name);
		else if (store_user_get(rq->store, name, &old) == KN_OK) {
			user_release(&old);
			error_addf(&errs, _("name: the user %s exists already"), name);
		}
		if (!visible(rq, unit)) {
			resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
			goto out;
		}
		if (role_parse(role) == ROLE_NONE)
			error_addf(&errs, _("role: '%s' is not a role; use viewer, editor, approver or "
					    "admin"), role);
		password_ok(form(rq, "password"), &errs);
		if (errs.len)
			goto refused;
		if (auth_hash_password(form(rq, "password"), &hash) != 0) {
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
			const char *unit = form(rq, "unit"), *role = form(rq, "role");
			if (!visible(rq, unit)) {
				resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
				goto out;
			}
			if (role_parse(role) == ROLE_NONE)
				error_addf(&errs, _("role: '%s' is not a role; use viewer, editor, approver "
						    "or admin"), role);
			if (self && (strcmp(unit, old.unit) != 0 || strcmp(role, old.role) != 0))
				error_add(&errs, _("You cannot change your own unit or role; ask another "
						   "administrator."));
			u.unit = (char *)unit;
			u.role = (char *)role;
			audit_action = "update";
		} else if (strcmp(action, "passwd") == 0) {
			password_ok(form(rq, "password"), &errs);
			if (!errs.len && auth_hash_password(form(rq, "password"), &hash) != 0) {
				resp_error(rq, rs, 500, _("Out of memory while hashing the password."));
				goto out;
			}
			u.pw_hash = hash.s;
		} else {
			if (self)
				error_add(&errs, _("You cannot disable your own account."));
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
		link_to(&to, "/admin/users", "ok", action, "name", u.name);
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

/* ---- holidays ---- */

static const char *weekday_name(kn_date d)
{
	static const char *const names[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"),
		N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday") };
	return _(names[date_weekday(d) - 1]);
}

static void holidays_page(struct request *rq, struct response *rs, int year, const struct buf *errs)
{
	struct holiday *h = NULL, *ov = NULL;
	size_t n = 0, nov = 0;
	struct buf title = BUF_INIT;
	int root = is_root_admin(rq);

	if (store_holiday_all(rq->store, &ov, &nov) != KN_OK) {
		resp_error(rq, rs, 500, store_errmsg(rq->store));
		return;
	}
	calendar_holidays(rq->cal, year, &h, &n);
	buf_addf(&title, "%s %d", _("Holidays"), year);
	page_begin(rq, rs, "admin", title.s);
	subnav(rq, rs, "holidays");
	if (*query(rq, "saved") && !errs)
		notice(rs, _("Saved: the calendar now counts working days with this change."));
	show_errors(rs, errs);
	html_printf(&rs->body, "<form method=\"get\" action=\"/admin/holidays\" class=\"pager\">"
		    "<a href=\"/admin/holidays?year=%d\">‹ %d</a>"
		    "<label>%s <input name=\"year\" value=\"%d\" size=\"5\" inputmode=\"numeric\"></label>"
		    "<button type=\"submit\" class=\"secondary\">%s</button>"
		    "<a href=\"/admin/holidays?year=%d\">%d ›</a></form>\n",
		    year - 1, year - 1, _("Year"), year, _("Show"), year + 1, year + 1);

	html_printf(&rs->body, "<h2>%s</h2>\n<p class=\"muted\">%s</p>\n", _("Days off on weekdays"),
		    _("Computed from the Labour Code (Tết and Giỗ Tổ from the lunar calendar, a "
		      "holiday on a weekend compensated on the next working day), with the changes "
		      "below."));
	html_printf(&rs->body, "<table class=\"admin holidays\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "</tr></thead>\n<tbody>\n", _("Date"), _("Day"), _("Holiday"));
	for (size_t i = 0; i < n; i++) {
		html_printf(&rs->body, "<tr><td>");
		page_date(rs, h[i].date);
		html_printf(&rs->body, "</td><td>%s</td><td>%s</td></tr>\n", weekday_name(h[i].date),
			    h[i].name ? h[i].name : "");
	}
	html_printf(&rs->body, "</tbody></table>\n");

	html_printf(&rs->body, "<h2>%s</h2>\n", _("Changes to the computed calendar"));
	size_t shown = 0;
	for (size_t i = 0; i < nov; i++) {
		if (date_year(ov[i].date) != year)
			continue;
		if (!shown++)
			html_printf(&rs->body, "<table class=\"admin holidays\"><thead><tr><th>%s</th><th>%s</th>"
				    "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n", _("Date"),
				    _("Day"), _("Change"), _("Name"));
		html_printf(&rs->body, "<tr><td>");
		page_date(rs, ov[i].date);
		html_printf(&rs->body, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			    weekday_name(ov[i].date),
			    ov[i].workday ? _("working day (swapped)") : _("day off"),
			    ov[i].name ? ov[i].name : "");
	}
	if (shown)
		html_printf(&rs->body, "</tbody></table>\n");
	else
		html_printf(&rs->body, "<p class=\"muted\">%s</p>\n", _("None for this year."));

	if (root) {
		const char *again_date = errs ? form(rq, "date") : "";
		html_printf(&rs->body, "<h2>%s</h2>\n", _("Add a change"));
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/holidays\" class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<label>%s ", _("Date"));
		page_date_input(&rs->body, "date", again_date, " required");
		html_printf(&rs->body, "</label>\n"
			    "<label>%s <select name=\"workday\"><option value=\"0\">%s</option>"
			    "<option value=\"1\"%S>%s</option></select></label>\n"
			    "<label>%s <input name=\"name\" maxlength=\"200\" value=\"%s\" "
			    "placeholder=\"Nghỉ bù Tết\"></label>\n"
			    "<div><button type=\"submit\">%s</button></div>\n</form>\n",
			    _("Change"), _("day off"),
			    errs && strcmp(form(rq, "workday"), "1") == 0 ? " selected" : "",
			    _("working day (swapped)"), _("Name"), errs ? form(rq, "name") : "",
			    _("Add"));
		html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
			    _("A day off adds to the computed holidays; a working day makes a date a "
			      "working day (a Saturday swapped for a day off). Adding the same date again "
			      "replaces its change. The change applies to every unit."));
	} else {
		html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
			    _("The calendar applies to everyone: only an administrator of the top unit "
			      "may change it."));
	}
	page_end(rq, rs);
	holidays_free(h, n);
	holidays_free(ov, nov);
	buf_release(&title);
}

int h_admin_holidays(struct request *rq, struct response *rs)
{
	if (!scope_or_fail(rq, rs))
		return 0;
	holidays_page(rq, rs, year_param(query(rq, "year")), NULL);
	return 0;
}

int h_admin_holiday_save(struct request *rq, struct response *rs)
{
	struct buf errs = BUF_INIT, name = BUF_INIT, tn = BUF_INIT, before = BUF_INIT;
	struct buf after = BUF_INIT, to = BUF_INIT;
	struct holiday hd = { KN_DATE_NONE, 0, NULL }, *all = NULL;
	size_t nall = 0;
	const char *workday = form(rq, "workday");
	char key[11];
	int changed = 0;
	enum kn_err e;

	if (!scope_or_fail(rq, rs))
		return 0;
	if (!is_root_admin(rq))
		return resp_error(rq, rs, 403, _("The calendar applies to everyone: only an "
						 "administrator of the top unit may change it."));
	trimmed(form(rq, "date"), &tn);
	if (date_parse(tn.s, &hd.date) != 0)
		error_addf(&errs, _("date: %s is not a date; write YYYY-MM-DD or DD/MM/YYYY"), tn.s);
	if (strcmp(workday, "0") != 0 && strcmp(workday, "1") != 0)
		error_add(&errs, _("workday: choose a day off or a working day"));
	hd.workday = strcmp(workday, "1") == 0;
	trimmed(form(rq, "name"), &tn);
	if (tn.len && text_nfc(tn.s, &name) != 0)
		error_add(&errs, _("name: not valid UTF-8 text"));
	hd.name = name.len ? name.s : NULL;
	if (errs.len) {
		rs->status = 422;
		holidays_page(rq, rs, hd.date != KN_DATE_NONE ? date_year(hd.date)
							   : date_year(date_today()), &errs);
		goto out;
	}

	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	if ((e = store_holiday_all(rq->store, &all, &nall)) != KN_OK) {
		store_rollback(rq->store);
		goto fail;
	}
	for (size_t i = 0; i < nall; i++)
		if (all[i].date == hd.date) {
			export_holiday_row(&before, &all[i]);
			buf_truncate(&before, before.len - 1);
		}
	export_holiday_row(&after, &hd);
	buf_truncate(&after, after.len - 1);
	date_format_iso(hd.date, key);
	if ((e = store_holiday_put(rq->store, &hd, &changed)) != KN_OK ||
	    (changed && (e = store_audit(rq->store, rq->user.name,
					 changed == 2 ? "insert" : "update", "holiday", key,
					 before.len ? before.s : NULL, after.s)) != KN_OK) ||
	    (e = store_commit(rq->store)) != KN_OK) {
		store_rollback(rq->store);
		goto fail;
	}
	server_reload_calendar(rq);
	buf_addf(&to, "/admin/holidays?year=%d&saved=1", date_year(hd.date));
	resp_redirect(rs, to.s);
	goto out;
fail:
	resp_error(rq, rs, e == KN_ECONFLICT ? 409 : 500, store_errmsg(rq->store));
out:
	holidays_free(all, nall);
	buf_release(&errs);
	buf_release(&name);
	buf_release(&tn);
	buf_release(&before);
	buf_release(&after);
	buf_release(&to);
	return 0;
}

/* ---- the audit log ---- */

/* Whether an audit entry concerns the admin's subtree: a unit, a quota
 * of a unit, a person (and their candidacy and steps) or an account bound
 * to a unit of it. Entries about the whole database (holidays, policy,
 * the demo) are the top unit's admins'. */
/* People and accounts already looked up for this page: a person's steps
 * come in runs, so a small cache saves most lookups. */
struct audit_memo {
	struct {
		char *key;
		int user;	/* 1: an account, 0: a person */
		int ok;
	} v[64];
	size_t n, next;
};

static int memo_get(struct audit_memo *m, const char *key, int user, int *ok)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].user == user && strcmp(m->v[i].key, key) == 0) {
			*ok = m->v[i].ok;
			return 1;
		}
	return 0;
}

static int memo_put(struct audit_memo *m, const char *key, int user, int ok)
{
	size_t i;
	if (m->n < 64) {
		i = m->n++;
	} else {	/* full: replace the oldest */
		i = m->next++ % 64;
		free(m->v[i].key);
	}
	m->v[i].key = xstrdup(key);
	m->v[i].user = user;
	m->v[i].ok = ok;
	return ok;
}

static void memo_free(struct audit_memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i].key);
}

static int audit_visible(struct request *rq, const struct audit_entry *a, int root,
			 struct audit_memo *memo)
{
	if (root)
		return 1;
	const char *ent = a->entity ? a->entity : "", *key = a->key ? a->key : "";
	if (strcmp(ent, "unit") == 0)
		return req_can_see(rq, key);
	if (strcmp(ent, "quota") == 0) {
		const char *slash = strchr(key, '/');
		char *unit = xstrndup(key, slash ? (size_t)(slash - key) : strlen(key));
		int ok = req_can_see(rq, unit);
		free(unit);
		return ok;
	}
	if (strcmp(ent, "person") == 0 || strcmp(ent, "candidacy") == 0 ||
	    strcmp(ent, "step") == 0) {
		struct person p;
		int ok = 0;
		if (memo_get(memo, key, 0, &ok))
			return ok;
		if (store_person_get(rq->store, key, &p) == KN_OK) {
			ok = req_can_see(rq, p.unit);
			person_release(&p);
		}
		return memo_put(memo, key, 0, ok);
	}
	if (strcmp(ent, "user") == 0) {
		struct user u;
		int ok = 0;
		if (memo_get(memo, key, 1, &ok))
			return ok;
		if (store_user_get(rq->store, key, &u) == KN_OK) {
			ok = req_can_see(rq, u.unit);
			user_release(&u);
		}
		return memo_put(memo, key, 1, ok);
	}
	return 0;
}

/* An audit timestamp "2025-12-20T10:00:00Z" (UTC, as stored) as the local
 * time of the organisation, Asia/Ho_Chi_Minh: UTC+7 all year (no summer
 * time since 1975), so a fixed offset is exact; "20/12/2025 17:00" in
 * Vietnamese, "2025-12-20 17:00" in English. */
static void audit_when(struct response *rs, const char *at)
{
	int y, mo, d, h, mi;
	char rest;
	if (at && sscanf(at, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &rest) == 6 &&
	    date_valid_ymd(y, mo, d) && h >= 0 && h < 24 && mi >= 0 && mi < 60) {
		kn_date day = date_from_ymd(y, mo, d);
		int minutes = h * 60 + mi + 7 * 60;
		if (minutes >= 24 * 60) {
			minutes -= 24 * 60;
			day++;
		}
		char hm[24];
		snprintf(hm, sizeof(hm), "%02d:%02d", minutes / 60, minutes % 60);
		page_date(rs, day);
		html_printf(&rs->body, " %s", hm);
		return;
	}
	html_printf(&rs->body, "%s", at ? at : "");
}

/* The audit log's action and record codes in words (the codes stay in the
 * database and in the filter's query). */
struct audit_word {
	const char *code, *label;
};

static const struct audit_word audit_actions[] = {
	{ "insert", N_("added") },
	{ "update", N_("changed") },
	{ "step", N_("step recorded") },
	{ "step-override", N_("step recorded with an override") },
	{ "login", N_("signed in") },
	{ "login-failed", N_("failed sign-in") },
	{ "logout", N_("signed out") },
	{ "passwd", N_("password changed") },
	{ "disable", N_("account disabled") },
	{ "enable", N_("account enabled") },
	{ "token", N_("API token issued") },
	{ "init", N_("database created") },
	{ "demo", N_("demo created") },
	{ NULL, NULL },
};

static const struct audit_word audit_entities[] = {
	{ "person", N_("person") },
	{ "user", N_("account") },
	{ "unit", N_("unit") },
	{ "quota", N_("quota") },
	{ "policy", N_("policy") },
	{ "holiday", N_("holiday") },
	{ "candidacy", N_("candidacy") },
	{ "step", N_("step") },
	{ "database", N_("database") },
	{ NULL, NULL },
};

static const char *audit_word(const struct audit_word *t, const char *code)
{
	for (; code && t->code; t++)
		if (strcmp(t->code, code) == 0)
			return _(t->label);
	return code ? code : "";
}

int h_admin_audit(struct request *rq, struct response *rs)
{
	static const char *const entities[] = { "unit", "person", "candidacy", "step", "quota",
		"holiday", "user", "policy", "database" };
	const char *actor = query(rq, "actor"), *entity = query(rq, "entity");
	const char *key = query(rq, "key");
	struct audit_entry *shown = NULL;
	size_t nshown = 0;
	long long from = 0, next = -1, scanned = 0;
	int root = is_root_admin(rq);
	struct buf href = BUF_INIT, q = BUF_INIT;
	struct audit_memo memo = { 0 };

	if (!scope_or_fail(rq, rs))
		return 0;
	whole(query(rq, "from"), 0, (long long)1 << 62, &from);

	/* Newest first, in batches, keeping what the admin may see, until a
	 * page is full; "from" counts entries of the whole log, so the next
	 * page starts where this one stopped. */
	shown = xcalloc(AUDIT_PAGE, sizeof(*shown));
	for (long long off = from; nshown < AUDIT_PAGE;) {
		struct audit_entry *a;
		size_t n;
		if (store_audit_list(rq->store, *actor ? actor : NULL, *entity ? entity : NULL,
				     *key ? key : NULL, off, AUDIT_BATCH, &a, &n) != KN_OK) {
			store_audit_free(shown, nshown);
			memo_free(&memo);
			return resp_error(rq, rs, 500, store_errmsg(rq->store));
		}
		size_t i;
		for (i = 0; i < n && nshown < AUDIT_PAGE; i++) {
			if (audit_visible(rq, &a[i], root, &memo)) {
				shown[nshown++] = a[i];
				memset(&a[i], 0, sizeof(a[i]));
			}
		}
		off += (long long)i;
		scanned += (long long)i;
		if (nshown == AUDIT_PAGE && (i < n || n == AUDIT_BATCH))
			next = off;
		store_audit_free(a, n);
		if (n < AUDIT_BATCH)
			break;
		if (scanned >= AUDIT_SCAN_MAX && nshown < AUDIT_PAGE) {
			/* Few entries of this subtree so far back: let the admin
			 * go on rather than scan the whole log in one request. */
			next = off;
			break;
		}
	}

	page_begin(rq, rs, "admin", _("Audit log"));
	subnav(rq, rs, "audit");
	html_printf(&rs->body, "<form method=\"get\" action=\"/admin/audit\" class=\"grid admin\">\n"
		    "<label>%s <input name=\"actor\" value=\"%s\"></label>\n"
		    "<label>%s <select name=\"entity\"><option value=\"\">%s</option>",
		    _("Who"), actor, _("Record"), _("any"));
	for (size_t i = 0; i < sizeof(entities) / sizeof(*entities); i++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", entities[i],
			    strcmp(entity, entities[i]) == 0 ? " selected" : "", entities[i]);
	html_printf(&rs->body, "</select></label>\n"
		    "<label>%s <input name=\"key\" value=\"%s\" class=\"code\"></label>\n"
		    "<div><button type=\"submit\" class=\"secondary\">%s</button></div>\n</form>\n",
		    _("Key begins with"), key, _("Filter"));
	if (!root)
		html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
			    _("Only the changes to units, quotas, people and accounts of your part of "
			      "the organisation are shown."));

	html_printf(&rs->body, "<table class=\"admin audit\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		    _("When"), _("Who"), _("Action"), _("Record"), _("Key"), _("Before"), _("After"));
	for (size_t i = 0; i < nshown; i++) {
		const struct audit_entry *a = &shown[i];
		html_printf(&rs->body, "<tr><td class=\"nowrap\">");
		audit_when(rs, a->at);
		html_printf(&rs->body, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"code\">%s</td>"
			    "<td class=\"code wrap\">%s</td><td class=\"code wrap\">%s</td></tr>\n",
			    a->actor, audit_word(audit_actions, a->action),
			    audit_word(audit_entities, a->entity), a->key,
			    a->before ? a->before : "",
			    a->after ? a->after : "");
	}
	if (!nshown)
		html_printf(&rs->body, "<tr><td colspan=\"7\" class=\"muted\">%s</td></tr>\n",
			    _("No entries."));
	html_printf(&rs->body, "</tbody></table>\n");

	buf_adds(&q, "/admin/audit?actor=");
	url_encode(&q, actor);
	buf_adds(&q, "&entity=");
	url_encode(&q, entity);
	buf_adds(&q, "&key=");
	url_encode(&q, key);
	html_printf(&rs->body, "<p class=\"pager\">");
	if (from > 0)
		html_printf(&rs->body, "<a href=\"%s\">« %s</a>", q.s, _("Newest"));
	if (next >= 0) {
		buf_reset(&href);
		buf_addf(&href, "%s&from=%lld", q.s, next);
		html_printf(&rs->body, " <a href=\"%s\">%s ›</a>", href.s, _("Older"));
	}
	html_printf(&rs->body, "</p>\n");
	page_end(rq, rs);
	store_audit_free(shown, nshown);
	memo_free(&memo);
	buf_release(&href);
	buf_release(&q);
	return 0;
}
