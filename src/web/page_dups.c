/*
 * page_dups.c — the possible duplicates of the administration (GET/POST
 * /admin/duplicates, admins; RULES.md §10, issue 15): every pair of people
 * of the admin's subtree with the same name (after folding) and date of
 * birth, a page at a time (paged in SQL: the store reads one page of
 * pairs), each with a link to merge it; the merge is confirmed on a page
 * of its own that shows both records and which one is kept, then POSTed
 * with the session's CSRF token.
 *
 * Scope, permission and the merge itself are svc_person_merge()'s, as for
 * `ketnap person merge`: this file only draws the pages and words the
 * answer. Every text from the database goes through html_printf()'s %s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/svc_identity.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/cand.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "web/page_admin_impl.h"
#include "util/banned.h"

#define DUPS_PAGE 50

static void person_cell(struct request *rq, struct response *rs, const char *ref,
			const char *name, const char *unit)
{
	struct buf href = BUF_INIT;
	cand_href(&href, ref);
	html_printf(&rs->body, "<td><a href=\"%s\">%s</a> <span class=\"muted code\">%s</span></td>"
		    "<td>%s <span class=\"muted code\">%s</span></td>", href.s, name, ref,
		    cand_unit_name(rq, unit), unit);
	buf_release(&href);
}

static void merge_link(struct buf *out, const char *keep, const char *drop)
{
	buf_adds(out, "/admin/duplicates?keep=");
	url_encode(out, keep);
	buf_adds(out, "&drop=");
	url_encode(out, drop);
}

/* The list: one page of pairs, `error` (may be NULL) above it. */
static int list_page(struct request *rq, struct response *rs, int status, const char *error)
{
	struct dup_pair *d = NULL;
	size_t n = 0;
	long long page = 1;
	const char *ps = admin_query(rq, "page");
	struct svc sv;
	enum kn_err e;

	if (*ps && admin_whole(ps, 1, 1000000, &page) != 0)
		page = 1;
	req_svc(rq, &sv);
	/* One more than a page: whether there is a next one. */
	e = svc_dup_pairs(&sv, NULL, (page - 1) * DUPS_PAGE, DUPS_PAGE + 1, &d, &n);
	svc_release(&sv);
	if (e != KN_OK)
		return cand_store_failed(rq, rs);
	rs->status = status;
	page_begin(rq, rs, "admin", _("Possible duplicates"));
	admin_subnav(rq, rs, "duplicates");
	if (*admin_query(rq, "merged") && !error) {
		struct buf m = BUF_INIT;
		buf_addf(&m, _("%s was merged into %s; use %s"), admin_query(rq, "merged"),
			 admin_query(rq, "into"), admin_query(rq, "into"));
		admin_notice(rs, m.s);
		buf_release(&m);
	}
	if (error)
		html_printf(&rs->body, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
	html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
		    _("People of your units whose names are the same once accents, case and spaces "
		      "are set aside, and who were born on the same day. Namesakes born the same "
		      "day exist: look at both records before merging them."));
	if (n == 0 && page == 1) {
		html_printf(&rs->body, "<p>%s</p>\n", _("No possible duplicates."));
		page_end(rq, rs);
		store_dup_pairs_free(d, n);
		return 0;
	}
	html_printf(&rs->body, "<table class=\"admin duplicates\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n",
		    _("Person"), _("Unit"), _("Possibly the same as"), _("Unit"), _("Date of birth"));
	for (size_t i = 0; i < n && i < DUPS_PAGE; i++) {
		struct buf href = BUF_INIT;
		html_printf(&rs->body, "<tr>");
		person_cell(rq, rs, d[i].ref1, d[i].name1, d[i].unit1);
		person_cell(rq, rs, d[i].ref2, d[i].name2, d[i].unit2);
		html_printf(&rs->body, "<td>");
		page_date(rs, d[i].birth_date);
		merge_link(&href, d[i].ref1, d[i].ref2);
		html_printf(&rs->body, "</td><td><a class=\"button secondary\" href=\"%s\">%s</a></td>"
			    "</tr>\n", href.s, _("Merge…"));
		buf_release(&href);
	}
	html_printf(&rs->body, "</tbody></table>\n<p class=\"pager\">");
	if (page > 1)
		html_printf(&rs->body, "<a href=\"/admin/duplicates?page=%lld\">‹ %s</a> ", page - 1,
			    _("Previous"));
	if (n > DUPS_PAGE)
		html_printf(&rs->body, "<a href=\"/admin/duplicates?page=%lld\">%s ›</a>", page + 1,
			    _("Next"));
	html_printf(&rs->body, "</p>\n");
	page_end(rq, rs);
	store_dup_pairs_free(d, n);
	return 0;
}

/* One record as the confirmation shows it. */
static void record_box(struct request *rq, struct response *rs, const char *legend,
		       const struct person *p)
{
	struct buf href = BUF_INIT;
	cand_href(&href, p->ref);
	html_printf(&rs->body, "<div class=\"card\"><h2>%s</h2><p><a href=\"%s\">%s</a> "
		    "<span class=\"code\">%s</span></p><p>%s: ", legend, href.s, p->full_name, p->ref,
		    _("Date of birth"));
	page_date(rs, p->birth_date);
	html_printf(&rs->body, "</p><p>%s: %s <span class=\"muted code\">%s</span></p></div>\n",
		    _("Unit"), cand_unit_name(rq, p->unit), p->unit);
	buf_release(&href);
}

/* The confirmation of merging drop into keep. */
static int confirm_page(struct request *rq, struct response *rs, const char *keep_ref,
			const char *drop_ref)
{
	struct person keep, drop;
	struct svc sv;
	struct buf swap = BUF_INIT;
	enum kn_err e1, e2;

	req_svc(rq, &sv);
	e1 = svc_person_find(&sv, keep_ref, &keep);
	e2 = svc_person_find(&sv, drop_ref, &drop);
	svc_release(&sv);
	if (e1 != KN_OK || e2 != KN_OK) {
		if (e1 == KN_OK)
			person_release(&keep);
		if (e2 == KN_OK)
			person_release(&drop);
		if ((e1 != KN_OK && e1 != KN_ENOTFOUND) || (e2 != KN_OK && e2 != KN_ENOTFOUND))
			return cand_store_failed(rq, rs);
		return cand_not_found(rq, rs);
	}
	page_begin(rq, rs, "admin", _("Merge two records"));
	admin_subnav(rq, rs, "duplicates");
	html_printf(&rs->body, "<p>%s</p>\n",
		    _("The candidacies and steps of the second record move onto the first; the "
		      "second record is deleted and its ref can no longer be used (an import "
		      "naming it is refused with the ref kept). This is written in the audit log."));
	html_printf(&rs->body, "<div class=\"cards\">\n");
	record_box(rq, rs, _("Kept"), &keep);
	record_box(rq, rs, _("Merged into it, then deleted"), &drop);
	html_printf(&rs->body, "</div>\n<form method=\"post\" action=\"/admin/duplicates\">\n");
	page_csrf(rq, rs);
	merge_link(&swap, drop.ref, keep.ref);
	html_printf(&rs->body, "<input type=\"hidden\" name=\"keep\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"drop\" value=\"%s\">\n"
		    "<div class=\"actions\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"%s\">%s</a> "
		    "<a class=\"button secondary\" href=\"/admin/duplicates\">%s</a></div>\n</form>\n",
		    keep.ref, drop.ref, _("Merge the two records"), swap.s, _("Keep the other one"),
		    _("Cancel"));
	page_end(rq, rs);
	person_release(&keep);
	person_release(&drop);
	buf_release(&swap);
	return 0;
}

int h_admin_duplicates(struct request *rq, struct response *rs)
{
	const char *keep = admin_query(rq, "keep"), *drop = admin_query(rq, "drop");
	if (*keep && *drop)
		return confirm_page(rq, rs, keep, drop);
	return list_page(rq, rs, 200, NULL);
}

int h_admin_duplicate_merge(struct request *rq, struct response *rs)
{
	const char *keep = admin_form(rq, "keep"), *drop = admin_form(rq, "drop");
	struct buf err = BUF_INIT, to = BUF_INIT;
	struct svc sv;
	enum kn_err e;

	if (!*keep || !*drop)
		return list_page(rq, rs, 422, _("Choose the two records to merge."));
	req_svc(rq, &sv);
	e = svc_person_merge(&sv, keep, drop, NULL, &err);
	svc_release(&sv);
	if (e == KN_OK) {
		buf_adds(&to, "/admin/duplicates?merged=");
		url_encode(&to, drop);
		buf_adds(&to, "&into=");
		url_encode(&to, keep);
		resp_redirect(rs, to.s);
	} else if (e == KN_ENOTFOUND) {
		/* As any page naming a person outside the subtree: nothing
		 * tells an unknown ref from one the admin may not see. */
		cand_not_found(rq, rs);
	} else if (e == KN_EIO || e == KN_ENOMEM) {
		cand_store_failed(rq, rs);
	} else {
		list_page(rq, rs, e == KN_EPERM ? 403 : e == KN_ECONFLICT ? 409 : 422, err.s);
	}
	buf_release(&err);
	buf_release(&to);
	return 0;
}
