/*
 * page_units.c — the unit tree of the administration (GET/POST
 * /admin/units, admins): the admin's subtree a few levels at a time, with
 * links to go down, and the form that adds a unit, renames it, moves it or
 * sets its kind, sector and flags.
 *
 * A unit is added or moved only within the admin's subtree, and the
 * admin's own unit stays under the parent the level above gave it. Every
 * change is validated as the importer validates a row of units.csv,
 * written through the store with its audit entry in one transaction, and
 * followed by a redirect. The helpers shared with the other
 * administration pages are in page_admin.c (page_admin_impl.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/label.h"
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
		admin_below_link(rs, "/admin/units", n, NULL, NULL);
	html_printf(&rs->body, "</td><td>%s</td><td>%s</td><td>", label_unit_kind(n->u.kind),
		    label_sector(n->u.sector));
	if (n->u.may_admit)
		html_printf(&rs->body, "<span class=\"unit-flag\">%s</span> ", _("decides admissions"));
	if (n->u.special_area)
		html_printf(&rs->body, "<span class=\"unit-flag\">%s</span>", _("special area"));
	admin_link_to(&href, "/admin/units", "unit", focus, "edit", n->u.code);
	html_printf(&rs->body, "</td><td class=\"actions\"><a href=\"%s#unit-form\">%s</a>", href.s,
		    _("Edit"));
	if (n->u.kind != UNIT_CELL) {	/* a cell has no units below it */
		admin_link_to(&href, "/admin/units", "unit", focus, "parent", n->u.code);
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
		admin_unit_picker(rq, rs, "parent", _("Parent"), f->parent, 1);
	html_printf(&rs->body, "<label>%s <input name=\"name\" value=\"%s\" required "
		    "maxlength=\"300\"></label>\n", _("Name"), f->name ? f->name : "");
	html_printf(&rs->body, "<label>%s <select name=\"kind\" required>", _("Kind"));
	for (int k = UNIT_PROVINCE; k <= UNIT_CELL; k++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", unit_kind_name(k),
			    f->kind && strcmp(f->kind, unit_kind_name(k)) == 0 ? " selected" : "",
			    label_unit_kind(k));
	html_printf(&rs->body, "</select></label>\n<label>%s <select name=\"sector\">"
		    "<option value=\"\">—</option>", _("Sector"));
	for (const struct code_label *sec = label_sectors; sec->code; sec++)
		html_printf(&rs->body, "<option value=\"%s\"%S>%s</option>", sec->code,
			    f->sector && strcmp(f->sector, sec->code) == 0 ? " selected" : "",
			    _(sec->label));
	html_printf(&rs->body, "</select></label>\n"
		    "<label class=\"check\"><input type=\"checkbox\" name=\"may_admit\" value=\"1\"%S> %s</label>\n"
		    "<label class=\"check\"><input type=\"checkbox\" name=\"special_area\" value=\"1\"%S> %s</label>\n"
		    "<div><button type=\"submit\">%s</button></div>\n</form>\n",
		    f->may_admit ? " checked" : "", _("Its committee decides admissions"),
		    f->special_area ? " checked" : "",
		    _("Mountain, border, island or ethnic-minority area"), _("Save"));
	if (f->edit) {
		struct buf href = BUF_INIT;
		admin_link_to(&href, "/admin/units", "unit", focus, NULL, NULL);
		html_printf(&rs->body, "<p><a href=\"%s#unit-form\">%s</a></p>\n", href.s,
			    _("Add a new unit instead"));
		buf_release(&href);
	}
}

static void units_page(struct request *rq, struct response *rs, struct unode *focus,
		       const struct unit_form *f, const struct buf *errs)
{
	page_begin(rq, rs, "admin", _("Units"));
	admin_subnav(rq, rs, "units");
	admin_crumbs(rq, rs, focus, "/admin/units", NULL, NULL);
	const char *saved = kv_get(&rq->query, "saved");
	if (saved && !errs) {
		struct buf m = BUF_INIT;
		buf_addf(&m, strcmp(admin_query(rq, "changed"), "0") == 0 ? _("Unit %s: nothing changed.")
								    : _("Unit %s saved."), saved);
		admin_notice(rs, m.s);
		buf_release(&m);
	}
	admin_show_errors(rs, errs);
	html_printf(&rs->body, "<table class=\"admin units\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n", _("Code"), _("Name"),
		    _("Kind"), _("Sector"), _("Flags"));
	admin_tree_walk(rq, rs, focus, 0, unit_row, focus->u.code);
	html_printf(&rs->body, "</tbody></table>\n");
	unit_form_html(rq, rs, f, focus->u.code);
	page_end(rq, rs);
}

int h_admin_units(struct request *rq, struct response *rs)
{
	struct unit_form f = { 0 };
	struct unode *focus, *u;
	if (!admin_scope_or_fail(rq, rs) || !(focus = admin_focus_or_404(rq, rs, admin_query(rq, "unit"))))
		return 0;
	const char *edit = admin_query(rq, "edit");
	if (*edit) {
		if (!(u = admin_visible(rq, edit)))
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
		const char *parent = admin_query(rq, "parent");
		u = *parent ? admin_visible(rq, parent) : focus;
		f.parent = u ? u->u.code : focus->u.code;
		/* The usual kind below a unit. */
		f.kind = unit_kind_name(u && u->u.kind < UNIT_CELL ? u->u.kind + 1 : UNIT_CELL);
	}
	units_page(rq, rs, focus, &f, NULL);
	return 0;
}

int h_admin_unit_save(struct request *rq, struct response *rs)
{
	struct unode *scope = admin_scope_or_fail(rq, rs);
	struct unitree *t = req_tree(rq);
	struct buf errs = BUF_INIT, code = BUF_INIT, name = BUF_INIT, parent = BUF_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT, to = BUF_INIT;
	struct unit u, old;
	struct unode *existing, *focus;
	int edit = strcmp(admin_form(rq, "mode"), "edit") == 0, changed = 0, have_old = 0;
	enum kn_err e;

	if (!scope || !t)
		return scope ? resp_error(rq, rs, 500, store_errmsg(rq->store)) : 0;
	memset(&u, 0, sizeof(u));
	admin_trimmed(admin_form(rq, "code"), &code);
	admin_trimmed(admin_form(rq, "parent"), &parent);
	focus = admin_visible(rq, admin_form(rq, "focus"));
	if (!focus)
		focus = scope;

	existing = code.len ? unitree_find(t, code.s) : NULL;
	if (edit) {
		if (!existing || !unitree_within(existing, scope)) {
			resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
			goto out;
		}
	} else if (!unit_code_valid(code.s)) {
		admin_error_addf(&errs, _("code: %s is not a unit code; use 1 to 64 letters, digits, '.', '_' "
					  "or '-'"), code.s);
	} else if (existing) {
		admin_error_addf(&errs, _("code: the code %s is already used by another unit; edit that "
					  "unit or choose another code"), code.s);
	}

	/* Name: required, stored NFC. */
	{
		struct buf tn = BUF_INIT;
		admin_trimmed(admin_form(rq, "name"), &tn);
		if (!tn.len)
			admin_error_add(&errs, _("name: a value is required"));
		else if (text_nfc(tn.s, &name) != 0)
			admin_error_add(&errs, _("name: not valid UTF-8 text"));
		buf_release(&tn);
	}
	if (unit_kind_parse(admin_form(rq, "kind"), &u.kind) != 0)
		admin_error_addf(&errs, _("kind: %s is not a unit kind; use province, upper, grassroots or cell"),
				 admin_form(rq, "kind"));
	const char *sector = admin_form(rq, "sector");
	if (*sector && !sector_valid(sector))
		admin_error_addf(&errs, _("sector: %s is not a sector"), sector);

	/* Parent: one's own unit stays where it is; any other unit goes
	 * under a unit of the subtree, never under itself. */
	if (edit && existing == scope) {
		u.parent = scope->parent ? scope->parent->u.code : NULL;
		if (!u.parent && u.kind != UNIT_PROVINCE && !errs.len)
			admin_error_add(&errs, _("kind: only a province may be a root"));
	} else if (!parent.len) {
		admin_error_addf(&errs, _("parent: a unit must be placed under %s or a unit below it"),
				 scope->u.code);
	} else {
		struct unode *p = admin_visible(rq, parent.s);
		if (!p)
			admin_error_addf(&errs, _("parent: %s is not %s or a unit below it"), parent.s,
					 scope->u.code);
		else if (edit && unitree_within(p, existing))
			admin_error_addf(&errs, _("parent: %s is %s itself or a unit below it; a unit cannot "
						  "be placed under itself"), parent.s, code.s);
		else
			u.parent = p->u.code;
	}

	if (errs.len) {
		struct unit_form f = {
			.edit = edit, .code = code.s, .parent = parent.s, .name = admin_form(rq, "name"),
			.kind = admin_form(rq, "kind"), .sector = sector,
			.may_admit = *admin_form(rq, "may_admit") != 0,
			.special_area = *admin_form(rq, "special_area") != 0,
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
	u.may_admit = *admin_form(rq, "may_admit") != 0;
	u.special_area = *admin_form(rq, "special_area") != 0;

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
	admin_link_to(&to, "/admin/units", "unit", focus->u.code, "saved", u.code);
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
