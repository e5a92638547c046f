/*
 * page_transfer.c — transfers on the web (RULES.md §8, issue 15): the
 * person page's "units over time" and its transfer form for an editor of
 * the sending unit (POST /transfer/REF), and the dashboard's list of the
 * people in transit to the unit, where its editor records their arrival
 * (POST /arrive/REF). Both go through svc_transfer() as the signed-in
 * user, as `ketnap transfer` does: the scope, the permissions and the
 * rules are the service's; a person not in the user's subtree, nor in
 * transit to it, is "no such person" (404).
 */
#include <stdlib.h>
#include <string.h>

#include "core/svc_transfer.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/cand.h"
#include "web/form.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/banned.h"

/* The arriving list shows at most this many (the oldest letters first). */
#define ARRIVING_MAX 100

static void href_of(struct buf *out, const char *prefix, const char *ref)
{
	buf_reset(out);
	buf_adds(out, prefix);
	url_encode(out, ref);
}

void page_transfer_section(struct request *rq, struct response *rs, const struct person *p,
			   struct form *f, kn_date today)
{
	struct buf *b = &rs->body;
	struct transfer *t = NULL;
	size_t n = 0;
	struct buf href = BUF_INIT;
	struct form fresh = { 0 };
	struct svc sv;

	if (store_transfers_of(rq->store, p->id, &t, &n) != KN_OK)
		n = 0;
	if (n) {
		html_printf(b, "<section class=\"transfers\">\n<h2>%s</h2>\n<ul>\n",
			    _("Units over time"));
		for (size_t i = 0; i < n; i++) {
			html_printf(b, "<li>");
			page_date(rs, t[i].out_date);
			html_printf(b, " — %s: %s → %s", _("letter of introduction"), t[i].from, t[i].to);
			if (t[i].doc_no)
				html_printf(b, " (%s)", t[i].doc_no);
			if (t[i].note)
				html_printf(b, " — <span class=\"note\">%s</span>", t[i].note);
			if (t[i].in_date != KN_DATE_NONE) {
				html_printf(b, "; %s ", _("arrived on"));
				page_date(rs, t[i].in_date);
			} else {
				html_printf(b, "; <strong>%s</strong>", _("in transit"));
			}
			if (t[i].override)
				html_printf(b, " <span class=\"muted\">[%s: %s]</span>", _("override"),
					    t[i].override);
			html_printf(b, "</li>\n");
		}
		html_printf(b, "</ul>\n</section>\n");
	}
	req_svc(rq, &sv);
	if (rq->role >= ROLE_EDITOR && svc_may_record(&sv, p->unit, STEP_SOURCE) &&
	    !transfer_pending(t, n)) {
		if (!f) {
			form_set_date(&fresh, "date", today);
			f = &fresh;
		}
		href_of(&href, "/transfer/", p->ref);
		html_printf(b, "<section id=\"transfer\" class=\"no-print\">\n<h2>%s</h2>\n",
			    _("Transfer to another unit"));
		html_printf(b, "<form method=\"post\" action=\"%s\" class=\"grid\">\n", href.s);
		page_csrf(rq, rs);
		form_input(b, f, "to", _("Destination (unit code)"), "text",
			   " required maxlength=\"64\" autocomplete=\"off\"");
		form_input(b, f, "date", _("Date of the letter"), "date", " required");
		form_input(b, f, "doc_no", _("Letter number"), "text", " maxlength=\"200\"");
		form_textarea(b, f, "note", _("Note"), " maxlength=\"2000\"");
		if (rq->role >= ROLE_APPROVER)
			form_input(b, f, "override", _("Override reason (only if a rule refuses it)"),
				   "text", " maxlength=\"2000\"");
		html_printf(b, "<p><button type=\"submit\">%s</button></p>\n</form>\n</section>\n",
			    _("Record the transfer"));
	}
	svc_release(&sv);
	form_release(&fresh);
	buf_release(&href);
	transfers_free(t, n);
}

/* One line of the refusal: the rules, or the service's sentence. */
static void refusal(const struct transfer_res *res, struct buf *out)
{
	if (res->err.len)
		buf_adds(out, res->err.s);
	for (size_t i = 0; i < res->v.n; i++)
		buf_addf(out, "%s%s: %s", out->len ? " " : "", res->v.v[i].code,
			 res->v.v[i].message);
}

static int deny(struct request *rq, struct response *rs, const struct transfer_res *res)
{
	const char *msg = res->deny == TRANSFER_DENY_OVERRIDE
		? _("Only an approver or administrator of a unit above the sending unit may record "
		    "a transfer that breaks a rule.")
		: res->deny == TRANSFER_DENY_IN
		? _("Only an editor of the destination may record the arrival.")
		: _("Only an editor of the sending unit may transfer this person.");
	return resp_error(rq, rs, 403, msg);
}

int h_transfer(struct request *rq, struct response *rs)
{
	struct form f = { 0 };
	struct svc sv;
	struct transfer_res res;
	struct buf msg = BUF_INIT, to = BUF_INIT;
	char *unit, *doc, *note, *why;
	enum kn_err e;

	form_copy(&f, &rq->form);
	unit = form_text_required(&f, "to", 1, 64);
	doc = form_text(&f, "doc_no", 1, 200);
	note = form_text(&f, "note", 0, 2000);
	why = form_text(&f, "override", 0, 2000);
	struct transfer_req req = { rq->arg, 0, unit, form_date(&f, "date", 1), date_today(), doc,
				    note, why };
	req_svc(rq, &sv);
	if (f.nerr) {
		/* Nothing to judge yet: the person must still be one the user sees. */
		struct person p;
		if ((e = svc_person_find(&sv, rq->arg, &p)) == KN_OK) {
			struct step_view view = { .error = _("Some fields need correcting.") };
			person_release(&p);
			cand_page(rq, rs, rq->arg, &view, 422);
		} else {
			e == KN_ENOTFOUND ? cand_not_found(rq, rs) : cand_store_failed(rq, rs);
		}
		goto out;
	}
	e = svc_transfer(&sv, &req, &res);
	if (e == KN_OK) {
		href_of(&to, "/people/", rq->arg);
		buf_adds(&to, "?done=saved");
		resp_redirect(rs, to.s);
	} else if (e == KN_ENOTFOUND) {
		cand_not_found(rq, rs);
	} else if (e == KN_EPERM) {
		deny(rq, rs, &res);
	} else if (e == KN_EINVAL || e == KN_ERULE) {
		struct step_view view = { 0 };
		buf_addf(&msg, "%s ", _("The transfer was refused; nothing was recorded."));
		refusal(&res, &msg);
		view.error = msg.s;
		cand_page(rq, rs, rq->arg, &view, 422);
	} else {
		cand_store_failed(rq, rs);
	}
	svc_transfer_res_release(&res);
out:
	svc_release(&sv);
	form_release(&f);
	free(unit);
	free(doc);
	free(note);
	free(why);
	buf_release(&msg);
	buf_release(&to);
	return 0;
}

int h_arrive(struct request *rq, struct response *rs)
{
	struct form f = { 0 };
	struct svc sv;
	struct transfer_res res;
	struct buf msg = BUF_INIT;
	enum kn_err e;

	form_copy(&f, &rq->form);
	kn_date d = form_date(&f, "date", 0);
	struct transfer_req req = { rq->arg, 1, NULL, d, date_today(), NULL, NULL, NULL };
	if (req.date == KN_DATE_NONE)
		req.date = req.today;
	req_svc(rq, &sv);
	e = f.nerr ? KN_EINVAL : svc_transfer(&sv, &req, &res);
	if (f.nerr) {
		memset(&res, 0, sizeof(res));
		res.err = (struct buf)BUF_INIT;
		buf_adds(&res.err, _("The date of the arrival is not a date; write dd/mm/yyyy."));
	}
	if (e == KN_OK) {
		resp_redirect(rs, "/?done=arrived#arriving");
	} else if (e == KN_ENOTFOUND) {
		resp_error(rq, rs, 404, _("No such person."));
	} else if (e == KN_EPERM) {
		deny(rq, rs, &res);
	} else if (e == KN_EINVAL) {
		buf_addf(&msg, "%s %s", _("The arrival was refused; nothing was recorded."),
			 res.err.s);
		resp_error(rq, rs, 422, msg.s);
	} else {
		resp_error(rq, rs, 500, _("The database could not be written; try again."));
	}
	svc_transfer_res_release(&res);
	svc_release(&sv);
	form_release(&f);
	buf_release(&msg);
	return 0;
}

struct arriving {
	struct request *rq;
	struct response *rs;
	int editor;
	size_t n;
};

static int arriving_row(void *arg, const struct transit *t)
{
	struct arriving *a = arg;
	struct buf *b = &a->rs->body;
	struct buf href = BUF_INIT;
	if (!a->n++)
		html_printf(b, "<div class=\"scroll\"><table class=\"arriving\">\n<thead><tr>"
			    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
			    "<tbody>\n", _("Person"), _("From"), _("To"), _("Letter of"),
			    a->editor ? _("Arrival") : "");
	html_printf(b, "<tr><td>%s <span class=\"muted code\">%s</span></td><td class=\"code\">%s"
		    "</td><td class=\"code\">%s</td><td class=\"nowrap\">", t->full_name,
		    t->person_ref, t->from, t->to);
	page_date(a->rs, t->out_date);
	html_printf(b, "</td><td>");
	if (a->editor) {
		href_of(&href, "/arrive/", t->person_ref);
		html_printf(b, "<form method=\"post\" action=\"%s\" class=\"inline\">", href.s);
		page_csrf(a->rq, a->rs);
		page_date_input(b, "date", NULL, " required aria-label=\"date\"");
		html_printf(b, " <button type=\"submit\">%s</button></form>", _("Accept"));
	}
	html_printf(b, "</td></tr>\n");
	buf_release(&href);
	return 0;
}

void page_transfer_arriving(struct request *rq, struct response *rs, const char *unit_code)
{
	struct arriving a = { rq, rs, rq->role >= ROLE_EDITOR, 0 };
	size_t start = rs->body.len;
	html_printf(&rs->body, "<h2 id=\"arriving\">%s</h2>\n", _("Arriving by transfer"));
	if (store_transfers_arriving(rq->store, unit_code, ARRIVING_MAX, arriving_row, &a) != KN_OK ||
	    !a.n) {
		/* Nothing in transit to the unit: no section at all. */
		buf_truncate(&rs->body, start);
		return;
	}
	html_printf(&rs->body, "</tbody></table></div>\n");
}
