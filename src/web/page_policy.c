/*
 * page_policy.c — the policy table of the administration (GET/POST
 * /admin/policy, admins): the parameters of RULES.md §7 in force on a
 * date (today by default), every dated row the database holds, and the
 * form that adds a row from a date on.
 *
 * Like the holiday calendar, the policy applies to every unit: every
 * admin may read it, only an admin of a top unit adds a row. The row is
 * checked by the policy parser (policy_check(), the same as `ketnap policy
 * set`) and written with its audit entry in one transaction. Nothing is
 * cached here: each request's ledger reads the policy rows afresh, so a
 * row set from the command line is in force for the server's next request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "store/store.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_admin_impl.h"
#include "util/banned.h"

/* What each key means, for people; the key itself stays beside it. */
static const struct {
	const char *key, *words;
} key_words[] = {
	{ "age.min_years", N_("Youngest age at the cell vote, in years") },
	{ "age.max_years", N_("Oldest age at the cell vote, in years") },
	{ "education.min", N_("Least general education") },
	{ "education.min_special_area", N_("Least general education in a special area") },
	{ "certificate.valid_months", N_("Months the awareness class certificate is valid") },
	{ "introducer.min_months", N_("Months an introducer must have known the candidate") },
	{ "dossier.max_age_months", N_("Months the introductions stay valid") },
	{ "cell.min_full_members", N_("Least full members of a cell that votes") },
	{ "cell.vote_fraction", N_("Share of the cell's votes needed") },
	{ "committee.vote_fraction", N_("Share of the committee's votes needed") },
	{ "probation.months", N_("Months of probation") },
	{ "deadline.decision_workdays", N_("Working days for the admission decision") },
	{ "deadline.decision_extension_workdays", N_("Working days the decision may be extended by") },
	{ "deadline.ceremony_workdays", N_("Working days for the ceremony") },
	{ "deadline.probation_vote_workdays", N_("Working days for the vote after probation") },
	{ "deadline.official_workdays", N_("Working days for the full membership decision") },
};

static const char *words_of(const char *key)
{
	for (size_t i = 0; i < sizeof(key_words) / sizeof(*key_words); i++)
		if (strcmp(key_words[i].key, key) == 0)
			return _(key_words[i].words);
	return "";
}

static void from_cell(struct response *rs, kn_date from)
{
	if (from == KN_DATE_NONE)
		html_printf(&rs->body, "%s", _("always"));
	else
		page_date(rs, from);
}

static void policy_page(struct request *rq, struct response *rs, kn_date at,
			const struct buf *errs)
{
	struct policy_row *rows = NULL;
	size_t n = 0, nk = policy_nkeys();
	const struct policy_row **in = xcalloc(nk, sizeof(*in));
	struct buf err = BUF_INIT;
	char iso[11];

	if (store_policy_all(rq->store, &rows, &n) != KN_OK) {
		resp_error(rq, rs, 500, store_errmsg(rq->store));
		goto out;
	}
	if (policy_in_force(rows, n, at, in, &err) != 0) {
		resp_error(rq, rs, 500, err.s);
		goto out;
	}
	page_begin(rq, rs, "admin", _("Policy"));
	admin_subnav(rq, rs, "policy");
	if (*admin_query(rq, "saved") && !errs)
		admin_notice(rs, _("Saved: steps dated from that day on are judged by the new value."));
	admin_show_errors(rs, errs);

	date_format_iso(at, iso);
	html_printf(&rs->body, "<form method=\"get\" action=\"/admin/policy\" class=\"pager\">"
		    "<label>%s ", _("In force on"));
	page_date_input(&rs->body, "at", iso, "");
	html_printf(&rs->body, "</label><button type=\"submit\" class=\"secondary\">%s</button>"
		    "</form>\n", _("Show"));
	html_printf(&rs->body, "<h2>%s ", _("The rules' parameters in force on"));
	page_date(rs, at);
	html_printf(&rs->body, "</h2>\n<table class=\"admin policy\"><thead><tr><th>%s</th>"
		    "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n", _("Parameter"),
		    _("Key"), _("Value"), _("Since"));
	for (size_t k = 0; k < nk; k++) {
		html_printf(&rs->body, "<tr><td>%s</td><td><code>%s</code></td><td>%s</td><td>",
			    words_of(in[k]->key), in[k]->key, in[k]->value);
		from_cell(rs, in[k]->from);
		html_printf(&rs->body, "</td></tr>\n");
	}
	html_printf(&rs->body, "</tbody></table>\n");

	html_printf(&rs->body, "<h2>%s</h2>\n<p class=\"muted\">%s</p>\n", _("Every row"),
		    _("A step is judged by the row of each key with the latest date on or before "
		      "the step's date."));
	html_printf(&rs->body, "<table class=\"admin policy\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead>\n<tbody>\n", _("Key"), _("From"), _("Value"));
	for (size_t i = 0; i < n; i++) {
		html_printf(&rs->body, "<tr><td><code>%s</code></td><td>", rows[i].key);
		from_cell(rs, rows[i].from);
		html_printf(&rs->body, "</td><td>%s</td></tr>\n", rows[i].value);
	}
	html_printf(&rs->body, "</tbody></table>\n");

	if (admin_is_root(rq)) {
		const char *again_key = errs ? admin_form(rq, "key") : "";
		html_printf(&rs->body, "<h2>%s</h2>\n", _("Add a row"));
		html_printf(&rs->body, "<form method=\"post\" action=\"/admin/policy\" "
			    "class=\"grid admin\">\n");
		page_csrf(rq, rs);
		html_printf(&rs->body, "<label>%s <select name=\"key\" required>", _("Key"));
		for (size_t k = 0; k < nk; k++)
			html_printf(&rs->body, "<option value=\"%s\"%S>%s — %s</option>", in[k]->key,
				    strcmp(again_key, in[k]->key) == 0 ? " selected" : "",
				    in[k]->key, words_of(in[k]->key));
		html_printf(&rs->body, "</select></label>\n<label>%s <input name=\"value\" "
			    "maxlength=\"20\" required value=\"%s\" placeholder=\">=2/3\"></label>\n"
			    "<label>%s ", _("Value"), errs ? admin_form(rq, "value") : "", _("From"));
		page_date_input(&rs->body, "from", errs ? admin_form(rq, "from") : "", " required");
		html_printf(&rs->body, "</label>\n<div><button type=\"submit\">%s</button></div>\n"
			    "</form>\n", _("Add"));
		html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
			    _("A whole number, a fraction such as >=2/3 (at least) or >1/2 (more than), "
			      "or an education level such as 9/12, as the key takes. A row of the same "
			      "key and date replaces its value. The rows apply to every unit."));
	} else {
		html_printf(&rs->body, "<p class=\"muted\">%s</p>\n",
			    _("The policy applies to everyone: only an administrator of the top unit "
			      "may add a row."));
	}
	page_end(rq, rs);
out:
	store_policy_free(rows, n);
	free(in);
	buf_release(&err);
}

int h_admin_policy(struct request *rq, struct response *rs)
{
	kn_date at = date_today();
	const char *q = admin_query(rq, "at");

	if (!admin_scope_or_fail(rq, rs))
		return 0;
	if (*q && date_parse(q, &at) != 0)
		at = date_today();
	policy_page(rq, rs, at, NULL);
	return 0;
}

int h_admin_policy_save(struct request *rq, struct response *rs)
{
	struct buf errs = BUF_INIT, key = BUF_INIT, value = BUF_INIT, tf = BUF_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT, akey = BUF_INIT, msg = BUF_INIT;
	struct policy_row *rows = NULL, row;
	size_t n = 0;
	int existed = 0, same = 0;
	char d[11];
	enum kn_err e;

	if (!admin_scope_or_fail(rq, rs))
		return 0;
	if (!admin_is_root(rq))
		return resp_error(rq, rs, 403, _("The policy applies to everyone: only an "
						 "administrator of the top unit may add a row."));
	admin_trimmed(admin_form(rq, "key"), &key);
	admin_trimmed(admin_form(rq, "value"), &value);
	admin_trimmed(admin_form(rq, "from"), &tf);
	row.key = key.s;
	row.value = value.s;
	if (date_parse(tf.s, &row.from) != 0) {
		row.from = KN_DATE_NONE;
		admin_error_addf(&errs, _("from: %s is not a date; write YYYY-MM-DD or DD/MM/YYYY"),
				 tf.s);
	}
	if (policy_check(key.s, value.s, &msg) != 0)
		admin_error_add(&errs, msg.s);
	if (errs.len) {
		rs->status = 422;
		policy_page(rq, rs, date_today(), &errs);
		goto out;
	}

	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	if ((e = store_policy_all(rq->store, &rows, &n)) != KN_OK) {
		store_rollback(rq->store);
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].key, row.key) == 0 && rows[i].from == row.from) {
			existed = 1;
			same = strcmp(rows[i].value, row.value) == 0;
			buf_addf(&before, "%s,", row.key);
			date_format_iso(row.from, d);
			buf_addf(&before, "%s,%s", d, rows[i].value);
		}
	date_format_iso(row.from, d);
	buf_addf(&after, "%s,%s,%s", row.key, d, row.value);
	buf_addf(&akey, "%s/%s", row.key, d);
	if (same) {
		store_rollback(rq->store);	/* nothing to write, nothing to audit */
	} else if ((e = store_policy_put(rq->store, &row)) != KN_OK ||
		   (e = store_audit(rq->store, rq->user.name, existed ? "update" : "insert",
				    "policy", akey.s, existed ? before.s : NULL, after.s)) != KN_OK ||
		   (e = store_commit(rq->store)) != KN_OK) {
		store_rollback(rq->store);
		goto fail;
	}
	buf_reset(&msg);
	buf_addf(&msg, "/admin/policy?at=%s&saved=1", d);
	resp_redirect(rs, msg.s);
	goto out;
fail:
	resp_error(rq, rs, e == KN_ECONFLICT ? 409 : 500, store_errmsg(rq->store));
out:
	store_policy_free(rows, n);
	buf_release(&errs);
	buf_release(&key);
	buf_release(&value);
	buf_release(&tf);
	buf_release(&before);
	buf_release(&after);
	buf_release(&akey);
	buf_release(&msg);
	return 0;
}
