/*
 * page_holidays.c — the holiday calendar of the administration (GET/POST
 * /admin/holidays, admins): a year's public holidays as computed (solar
 * and lunar) and the days the government moved, with the form that adds,
 * changes or removes such a day.
 *
 * The calendar applies to everyone, so every admin may read it but only
 * an admin of a top unit (one without a parent) changes it; a change is
 * written with its audit entry, and the server's calendar reloaded. The
 * helpers shared with the other administration pages are in page_admin.c
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
	int root = admin_is_root(rq);

	if (store_holiday_all(rq->store, &ov, &nov) != KN_OK) {
		resp_error(rq, rs, 500, store_errmsg(rq->store));
		return;
	}
	calendar_holidays(rq->cal, year, &h, &n);
	buf_addf(&title, "%s %d", _("Holidays"), year);
	page_begin(rq, rs, "admin", title.s);
	admin_subnav(rq, rs, "holidays");
	if (*admin_query(rq, "saved") && !errs)
		admin_notice(rs, _("Saved: the calendar now counts working days with this change."));
	admin_show_errors(rs, errs);
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
		const char *again_date = errs ? admin_form(rq, "date") : "";
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
			    errs && strcmp(admin_form(rq, "workday"), "1") == 0 ? " selected" : "",
			    _("working day (swapped)"), _("Name"), errs ? admin_form(rq, "name") : "",
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
	if (!admin_scope_or_fail(rq, rs))
		return 0;
	holidays_page(rq, rs, admin_year_param(admin_query(rq, "year")), NULL);
	return 0;
}

int h_admin_holiday_save(struct request *rq, struct response *rs)
{
	struct buf errs = BUF_INIT, name = BUF_INIT, tn = BUF_INIT, before = BUF_INIT;
	struct buf after = BUF_INIT, to = BUF_INIT;
	struct holiday hd = { KN_DATE_NONE, 0, NULL }, *all = NULL;
	size_t nall = 0;
	const char *workday = admin_form(rq, "workday");
	char key[11];
	int changed = 0;
	enum kn_err e;

	if (!admin_scope_or_fail(rq, rs))
		return 0;
	if (!admin_is_root(rq))
		return resp_error(rq, rs, 403, _("The calendar applies to everyone: only an "
						 "administrator of the top unit may change it."));
	admin_trimmed(admin_form(rq, "date"), &tn);
	if (date_parse(tn.s, &hd.date) != 0)
		admin_error_addf(&errs, _("date: %s is not a date; write YYYY-MM-DD or DD/MM/YYYY"), tn.s);
	if (strcmp(workday, "0") != 0 && strcmp(workday, "1") != 0)
		admin_error_add(&errs, _("workday: choose a day off or a working day"));
	hd.workday = strcmp(workday, "1") == 0;
	admin_trimmed(admin_form(rq, "name"), &tn);
	if (tn.len && text_nfc(tn.s, &name) != 0)
		admin_error_add(&errs, _("name: not valid UTF-8 text"));
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
