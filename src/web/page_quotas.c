/*
 * page_quotas.c — the yearly admission quotas of the administration
 * (GET/POST /admin/quotas, admins): for a year, the total quota and the
 * structure targets (women, ethnic minorities, youth …) of every unit of
 * the subtree shown, a few levels at a time, as one form.
 *
 * Each field carries the value it had when shown, so that a save writes
 * only what this admin changed and notices a change made meanwhile by
 * someone else; each is validated as the importer validates a row of
 * quotas.csv and written with its audit entry, all in one transaction; a
 * unit outside the subtree is 404. The helpers shared with the other
 * administration pages are in page_admin.c (page_admin_impl.h).
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


#define MAX_TARGET 100000000LL

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
	{ "readmitted", N_("Re-admitted") },	/* issue 15: re-admission */
};
#define NCATS (sizeof(categories) / sizeof(*categories))

static int category_index(const char *code)
{
	for (size_t i = 0; i < NCATS; i++)
		if (strcmp(categories[i].code, code) == 0)
			return (int)i;
	return -1;
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
		admin_below_link(rs, "/admin/quotas", n, "year", y.s);
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
	admin_link_to(&href, "/admin/quotas", "unit", v->focus, "edit", n->u.code);
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
	admin_subnav(rq, rs, "quotas");
	{
		char ys[8];
		snprintf(ys, sizeof(ys), "%d", year);
		admin_crumbs(rq, rs, focus, "/admin/quotas", "year", ys);
	}
	const char *saved = kv_get(&rq->query, "saved");
	if (saved && !errs) {
		long long k = 0;
		struct buf m = BUF_INIT, num = BUF_INIT;
		admin_whole(saved, 0, 1000000000, &k);
		text_int(&num, k);
		if (k)
			buf_addf(&m, ngettext("%s quota saved.", "%s quotas saved.", (unsigned long)k),
				 num.s);
		else
			buf_adds(&m, _("Nothing changed."));
		admin_notice(rs, m.s);
		buf_release(&m);
		buf_release(&num);
	}
	admin_show_errors(rs, errs);

	/* The year. */
	html_printf(&rs->body, "<form method=\"get\" action=\"/admin/quotas\" class=\"pager\">"
		    "<input type=\"hidden\" name=\"unit\" value=\"%s\">", focus->u.code);
	admin_link_to(&href, "/admin/quotas", "unit", focus->u.code, NULL, NULL);
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
	admin_tree_walk(rq, rs, focus, 0, quota_row, &v);
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
	if (!admin_scope_or_fail(rq, rs) || !(focus = admin_focus_or_404(rq, rs, admin_query(rq, "unit"))))
		return 0;
	if (*admin_query(rq, "edit") && !(edit = admin_visible(rq, admin_query(rq, "edit"))))
		return resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
	quotas_page(rq, rs, focus, edit, admin_year_param(admin_query(rq, "year")), NULL, NULL);
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
	struct unode *scope = admin_scope_or_fail(rq, rs), *focus;
	struct buf errs = BUF_INIT, val = BUF_INIT, to = BUF_INIT;
	struct qchange *ch = NULL;
	size_t nch = 0, saved = 0;
	struct quota *q = NULL;
	size_t nq = 0;
	long long year;
	enum kn_err e;

	if (!scope)
		return 0;
	if (admin_whole(admin_form(rq, "year"), 1900, 2100, &year) != 0)
		return resp_error(rq, rs, 400, _("year: not a year from 1900 to 2100"));
	focus = admin_visible(rq, admin_form(rq, "focus"));
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
		if (!admin_visible(rq, unit)) {
			free(c);
			resp_error(rq, rs, 404, _("No such unit in your part of the organisation."));
			goto out;
		}
		if (category_index(c) < 0) {
			admin_error_addf(&errs, _("%s: %s is not a structure category"), unit, c);
			free(c);
			continue;
		}
		struct buf okey = BUF_INIT;
		buf_addf(&okey, "o:%s", cat);
		const char *was = kv_get(&rq->form, okey.s);
		buf_release(&okey);
		admin_trimmed(k->val, &val);
		if (was && strcmp(was, val.s) == 0) {	/* untouched */
			free(c);
			continue;
		}
		const char *label = _(categories[category_index(c)].label);
		const struct quota *cur = quota_find(q, nq, unit, (int)year, c);
		long long target = -1;
		if (!val.len) {
			if (cur)
				admin_error_addf(&errs, _("%s, %s: a quota cannot be removed; set it to 0"), unit,
						 label);
		} else if (admin_whole(val.s, 0, MAX_TARGET, &target) != 0) {
			admin_error_addf(&errs, _("%s, %s: %s is not a whole number from 0 to %lld"), unit,
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
				edit = admin_visible(rq, rq->form.v[i].key + 9);
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
			admin_error_addf(&errs, _("%s, %s: someone else changed this quota meanwhile (now %s); "
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
	admin_link_to(&to, "/admin/quotas", "unit", focus->u.code, NULL, NULL);
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
