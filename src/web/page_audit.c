/*
 * page_audit.c — the audit log of the administration (GET /admin/audit,
 * admins): every change, newest first, with who made it, when (local
 * time), what record, and the record before and after, filtered by actor,
 * kind of record or key.
 *
 * An admin sees only the entries about records of the subtree: a unit, a
 * quota of a unit, a person (and their candidacies and steps) or an
 * account bound to a unit of it; entries about the whole database
 * (holidays, policy, the demo) only an admin of a top unit. The log is
 * read in batches until a page of visible entries is full. The helpers
 * shared with the other administration pages are in page_admin.c
 * (page_admin_impl.h).
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


#define AUDIT_PAGE 50
#define AUDIT_BATCH 500
#define AUDIT_SCAN_MAX 20000	/* entries looked at for one page */

/* ---- the audit log ---- */

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
	{ "import", N_("file imported") },
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
	const char *actor = admin_query(rq, "actor"), *entity = admin_query(rq, "entity");
	const char *key = admin_query(rq, "key");
	struct audit_entry *shown = NULL;
	size_t nshown = 0;
	long long from = 0, next = -1, scanned = 0;
	int root = admin_is_root(rq);
	struct buf href = BUF_INIT, q = BUF_INIT;
	struct audit_memo memo = { 0 };

	if (!admin_scope_or_fail(rq, rs))
		return 0;
	admin_whole(admin_query(rq, "from"), 0, (long long)1 << 62, &from);

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
			auth_audit_memo_release(&memo);
			return resp_error(rq, rs, 500, store_errmsg(rq->store));
		}
		size_t i;
		for (i = 0; i < n && nshown < AUDIT_PAGE; i++) {
			if (root || auth_audit_visible(rq, &a[i], &memo)) {
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
	admin_subnav(rq, rs, "audit");
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
	auth_audit_memo_release(&memo);
	buf_release(&href);
	buf_release(&q);
	return 0;
}
