/*
 * page_step.c — the step forms of the candidate's page and their POST
 * (/step/REF): the form of the next step (or of one chosen instead) with
 * its "check" and "record" buttons, the form that ends a candidacy, and
 * the handler that reads them.
 *
 * The handler only reads the form into a struct step and renders the
 * outcome: svc_step() (core/svc.h) finds the person as the signed-in
 * user, judges the role and any override, compares the version token the
 * form was drawn for and calls ledger_step(), in that order and without
 * coming back here. A step recorded meanwhile by someone else makes the
 * submission 409; a refusal shows the candidate's page (page_cand.c)
 * again with the form as typed and every reason beside its field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/svc.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/cand.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/banned.h"

/* An override needs an approver or admin of a unit above the
 * candidate's (RULES.md §3). */
static int may_override(struct request *rq, const char *unit_code)
{
	struct svc sv;
	req_svc(rq, &sv);
	int may = svc_may_override(&sv, unit_code);
	svc_release(&sv);
	return may;
}

/* The outcome of a check or a refusal: what is missing, which rules refuse. */
void cand_judged(struct response *rs, const struct step_view *sv, enum step_code code)
{
	struct buf *b = &rs->body;
	char d[11] = "";
	if (sv->date != KN_DATE_NONE)
		date_format_user(sv->date, d);
	if (sv->refused)
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p><strong>%s</strong></p>",
			    _("Refused; nothing was recorded."));
	else
		html_printf(b, "<div class=\"%S\" role=\"status\">",
			    (sv->v && sv->v->n) || (sv->need && *sv->need) ? "violations" : "notice");
	if (sv->need && *sv->need) {
		html_printf(b, "<p>");
		html_printf(b, _("The %s on %s still needs:"), step_label(code), d);
		html_printf(b, "</p><ul>");
		for (const char *line = sv->need; *line;) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			char *one = xstrndup(line, len);
			html_printf(b, "<li>%s</li>", one);
			free(one);
			line += len + (nl ? 1 : 0);
		}
		html_printf(b, "</ul>");
	}
	if (sv->v && sv->v->n) {
		html_printf(b, "<p>");
		html_printf(b, _("The %s on %s would be refused by:"), step_label(code), d);
		html_printf(b, "</p><ul>");
		for (size_t i = 0; i < sv->v->n; i++)
			html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>", sv->v->v[i].code,
				    sv->v->v[i].message);
		html_printf(b, "</ul>");
	} else if (sv->checked) {
		html_printf(b, "<p>");
		html_printf(b, _("No rule refuses the %s on %s."), step_label(code), d);
		html_printf(b, "</p>");
	}
	html_printf(b, "</div>\n");
}

/* The fields a step needs (RULES.md §2), on the step form. */
static void step_fields(struct request *rq, struct response *rs, const struct form *f,
			enum step_code code, const struct person *p)
{
	struct buf *b = &rs->body;
	form_input(b, f, "date", _("Date"), "date", " required");
	switch (code) {
	case STEP_SOURCE:
		form_select(b, f, "org", _("Nominating organisation"), label_orgs, _("— choose —"),
			     " required");
		break;
	case STEP_MENTOR:
		form_input(b, f, "member", _("Mentoring member (ref)"), "text",
		      " required class=\"code\" autocomplete=\"off\"");
		break;
	case STEP_TRAINED:
		form_input(b, f, "doc_no", _("Certificate no."), "text", " required maxlength=\"64\"");
		break;
	case STEP_INTRODUCED:
		form_input(b, f, "introducer1", _("First introducer (ref)"), "text",
		      " required class=\"code\" autocomplete=\"off\"");
		form_input(b, f, "introducer1_since", _("Known the candidate since"), "date", NULL);
		form_input(b, f, "introducer2", _("Second introducer (ref)"), "text",
		      " class=\"code\" autocomplete=\"off\"");
		form_input(b, f, "introducer2_since", _("Known the candidate since"), "date", NULL);
		form_select(b, f, "org", _("Or introduced by the organisation"), form_intro_orgs, "—",
			     NULL);
		break;
	case STEP_CELL_VOTE:
	case STEP_COMMITTEE_VOTE:
	case STEP_PROBATION_VOTE:
		form_input(b, f, "votes_for", _("Votes for"), "number", " min=\"0\" required");
		form_input(b, f, "votes_total", code == STEP_COMMITTEE_VOTE ? _("Committee members")
		      : _("Full members of the cell"), "number", " min=\"0\" required");
		if (code == STEP_CELL_VOTE)
			form_input(b, f, "consent", _("Consent document (over 60)"), "text",
			      " maxlength=\"64\"");
		break;
	case STEP_DECISION:
	case STEP_OFFICIAL: {
		struct unitree *t = req_tree(rq);
		struct unode *n = t ? unitree_find(t, p->unit) : NULL;
		struct unode *c = n ? unitree_competent(n) : NULL;
		form_input(b, f, "doc_no", _("Decision no."), "text", " required maxlength=\"64\"");
		html_printf(b, "<p class=\"muted\">%s: %s</p>\n", _("Deciding committee"),
			    rq->role == ROLE_ADMIN ? (c ? c->u.name : "?")
			    : cand_unit_name(rq, rq->user.unit));
		break;
	}
	case STEP_CEREMONY:
		form_input(b, f, "consent", _("Consent of the higher committee (if late)"), "text",
		      " maxlength=\"64\"");
		break;
	default:
		break;
	}
	form_textarea(b, f, "note", _("Note"), " maxlength=\"2000\"");
	if (may_override(rq, p->unit))
		form_textarea(b, f, "override", _("Override reason (only to record it despite a rule)"),
			 " maxlength=\"2000\"");
}

/* Steps that may be recorded instead of the next one: mentor while the
 * candidacy is open; trained and introduced again until the cell vote. */
int cand_alternative_ok(const struct candidacy *open, enum step_code next, enum step_code s)
{
	if (!open)
		return 0;
	if (s == STEP_MENTOR)
		return 1;
	if (s == STEP_TRAINED || s == STEP_INTRODUCED)
		return open->stage >= s && open->stage < STEP_CELL_VOTE && s != next;
	return 0;
}

void cand_step_form(struct request *rq, struct response *rs, const struct person *p,
		      const struct candidacy *open, enum step_code next, enum step_code code,
		      struct form *f, const char *version)
{
	struct buf *b = &rs->body, action = BUF_INIT, self = BUF_INIT;
	int may = auth_may_record(rq, p->unit, code);
	buf_adds(&action, "/step/");
	url_encode(&action, p->ref);
	cand_href(&self, p->ref);
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"grid step\">\n", action.s);
	page_csrf(rq, rs);
	html_printf(b, "<input type=\"hidden\" name=\"step\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"version\" value=\"%s\">\n", step_name(code), version);
	step_fields(rq, rs, f, code, p);
	html_printf(b, "<div class=\"actions wide\"><button type=\"submit\" name=\"action\" "
		    "value=\"check\" class=\"secondary\" formnovalidate>%s</button>", _("Check"));
	if (may)
		html_printf(b, " <button type=\"submit\" name=\"action\" value=\"record\">%s</button>",
			    _("Record the step"));
	else
		html_printf(b, " <span class=\"muted\">%s</span>",
			    _("Your role or unit may not record this step; you can only check it."));
	html_printf(b, "</div>\n</form>\n");
	/* Other steps that may come now. */
	int any = 0;
	static const enum step_code alts[] = { STEP_MENTOR, STEP_TRAINED, STEP_INTRODUCED };
	for (size_t i = 0; i < sizeof(alts) / sizeof(*alts); i++) {
		if (alts[i] == code || !cand_alternative_ok(open, next, alts[i]))
			continue;
		if (!any)
			html_printf(b, "<p class=\"muted no-print\">%s ", _("Or record instead:"));
		html_printf(b, "%S<a href=\"%s?step=%s#next\">%s</a>", any ? " · " : "", self.s,
			    step_name(alts[i]), step_label(alts[i]));
		if (!any)
			any = 1;
	}
	if (code != next && next != STEP_NONE) {
		if (!any)
			html_printf(b, "<p class=\"muted no-print\">%s ", _("Or record instead:"));
		html_printf(b, "%S<a href=\"%s#next\">%s</a>", any ? " · " : "", self.s,
			    step_label(next));
		any = 1;
	}
	if (any)
		html_printf(b, "</p>\n");
	buf_release(&action);
	buf_release(&self);
}

void cand_ending_form(struct request *rq, struct response *rs, const struct person *p,
			const struct candidacy *open, struct form *f, const char *version)
{
	static const enum step_code ends[] = { STEP_WITHDRAWN, STEP_REJECTED, STEP_STRUCK_OFF };
	struct buf *b = &rs->body, action = BUF_INIT;
	struct form empty = { 0 };
	const char *v;
	int n = 0;
	if (!f) {
		form_set_date(&empty, "date", date_today());
		f = &empty;
	}
	v = nz(form_get(f, "step"));
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++)
		n += auth_may_record(rq, p->unit, ends[i]) &&
		     (ends[i] != STEP_STRUCK_OFF || open->stage >= STEP_CEREMONY);
	if (!n)
		goto out;
	buf_adds(&action, "/step/");
	url_encode(&action, p->ref);
	html_printf(b, "<details id=\"end\" class=\"end\"%S><summary>%s</summary>\n"
		    "<form method=\"post\" action=\"%s\" class=\"grid step\" data-confirm=\"%s\">\n",
		    f != &empty ? " open" : "", _("End the candidacy"), action.s,
		    _("End this candidacy? It cannot be reopened."));
	page_csrf(rq, rs);
	html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"action\" value=\"record\">\n", version);
	html_printf(b, "<label>%s <select name=\"step\" required>", _("How it ends"));
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		if (!auth_may_record(rq, p->unit, ends[i]) ||
		    (ends[i] == STEP_STRUCK_OFF && open->stage < STEP_CEREMONY))
			continue;
		html_printf(b, "<option value=\"%s\"%S>%s</option>", step_name(ends[i]),
			    strcmp(v, step_name(ends[i])) == 0 ? " selected" : "",
			    step_label(ends[i]));
	}
	html_printf(b, "</select></label>\n");
	form_input(b, f, "date", _("Date"), "date", " required");
	form_textarea(b, f, "note", _("Reason"), " required maxlength=\"2000\"");
	if (may_override(rq, p->unit))
		form_textarea(b, f, "override", _("Override reason (only to record it despite a rule)"),
			 " maxlength=\"2000\"");
	html_printf(b, "<div class=\"actions wide\"><button type=\"submit\">%s</button></div>\n"
		    "</form>\n</details>\n", _("Record the step"));
out:
	form_release(&empty);
	buf_release(&action);
}

/* The step of a posted form into st; errors on the form's fields. */
static void step_from_form(struct form *f, struct step *st)
{
	st->date = form_date(f, "date", 0);
	st->doc_no = form_text(f, "doc_no", 1, 64);
	st->org = form_text(f, "org", 1, 64);
	st->member = form_text(f, "member", 1, 64);
	st->intro1 = form_text(f, "introducer1", 1, 64);
	st->intro1_since = form_date(f, "introducer1_since", 0);
	st->intro2 = form_text(f, "introducer2", 1, 64);
	st->intro2_since = form_date(f, "introducer2_since", 0);
	st->votes_for = form_count(f, "votes_for");
	st->votes_total = form_count(f, "votes_total");
	st->consent = form_text(f, "consent", 1, 64);
	st->note = form_text(f, "note", 0, 2000);
	st->override = form_text(f, "override", 0, 2000);
	/* The second introducer alone is the first. */
	if (!st->intro1 && st->intro2) {
		st->intro1 = st->intro2;
		st->intro1_since = st->intro2_since;
		st->intro2 = NULL;
		st->intro2_since = KN_DATE_NONE;
	}
}

int h_person_step(struct request *rq, struct response *rs)
{
	/* ledger_step's "column: message" lines land on these fields. */
	static const char *const map[] = { "date", "date", "doc_no", "doc_no", "org", "org",
		"member", "member", "introducer1", "introducer1", "introducer1_since",
		"introducer1_since", "introducer2", "introducer2", "introducer2_since",
		"introducer2_since", "votes_for", "votes_for", "votes_total", "votes_total",
		"consent", "consent", "note", "note", "override", "override", NULL };
	static const char *const override_refused = N_("Only an approver or administrator of a "
		"unit above the candidate's may override a rule.");
	const char *action = kv_get(&rq->form, "action");
	const char *stepname = kv_get(&rq->form, "step");
	struct svc svc;
	struct person p;
	struct form f = { 0 };
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	struct buf other = BUF_INIT, to = BUF_INIT;
	struct step_view sv;
	enum step_code code;
	int check;
	enum kn_err e;

	req_svc(rq, &svc);
	memset(&sv, 0, sizeof(sv));
	memset(&res, 0, sizeof(res));
	res.err = (struct buf)BUF_INIT;
	step_init(&st);
	e = svc_person_find(&svc, rq->arg, &p);
	if (e == KN_ENOTFOUND) {
		cand_not_found(rq, rs);
		goto out;
	}
	if (e != KN_OK) {
		cand_store_failed(rq, rs);
		goto out;
	}
	check = action && strcmp(action, "check") == 0;
	code = stepname ? step_from_name(stepname) : STEP_NONE;
	if (code == STEP_NONE || (!check && (!action || strcmp(action, "record") != 0))) {
		resp_error(rq, rs, 400, _("The form is incomplete; reload the page and try again."));
		goto out;
	}
	form_copy(&f, &rq->form);
	step_from_form(&f, &st);
	st.code = code;
	/* The check button too refuses an override the user may not give. */
	if (check && st.override && !svc_may_override(&svc, p.unit)) {
		resp_error(rq, rs, 403, _(override_refused));
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.ref = p.ref;
	req.st = &st;
	req.check = check;
	req.use_token = 1;	/* the version the form was drawn for */
	req.token = kv_get(&rq->form, "version");
	req.expect_version = -1;
	req.invalid = f.nerr > 0;
	req.committee_org = 1;
	e = svc_step(&svc, &req, &res);
	sv.form = &f;
	sv.code = code;
	sv.date = st.date;
	if (e == KN_EPERM) {
		resp_error(rq, rs, 403, res.deny == SVC_DENY_OVERRIDE ? _(override_refused)
			   : _("Your role or unit may not record this step."));
		goto out;
	}
	if (e == KN_ECONFLICT) {
		memset(&sv, 0, sizeof(sv));
		sv.error = _("Someone recorded a step for this candidate meanwhile; nothing was "
			     "recorded. Reload the page, check the timeline and try again.");
		cand_page(rq, rs, p.ref, &sv, 409);
		goto out;
	}
	if (req.invalid && e == KN_EINVAL) {
		sv.refused = !check;
		sv.error = _("Some fields need correcting; see the messages beside them.");
		cand_page(rq, rs, p.ref, &sv, 422);
		goto out;
	}
	if (check) {
		sv.checked = 1;
		sv.v = &res.v;
		sv.need = res.err.s;
		form_lines(&f, res.err.s, map, &other);
		cand_page(rq, rs, p.ref, &sv, e == KN_OK || e == KN_ERULE || e == KN_EINVAL
			    ? 200 : e == KN_ENOTFOUND ? 404 : 500);
		goto out;
	}
	switch (e) {
	case KN_OK:
		cand_href(&to, p.ref);
		buf_addf(&to, "?done=%s&step=%s", res.v.n ? "override" : "recorded",
			 step_name(code));
		resp_redirect(rs, to.s);
		break;
	case KN_ERULE:
	case KN_EINVAL:
		sv.refused = 1;
		sv.v = &res.v;
		sv.need = res.err.s;
		form_lines(&f, res.err.s, map, &other);
		if (e == KN_ERULE && res.may_override)
			sv.error = _("A rule refuses this step. You may record it anyway by giving an "
				     "override reason.");
		cand_page(rq, rs, p.ref, &sv, 422);
		break;
	case KN_ENOTFOUND:
		cand_not_found(rq, rs);
		break;
	default:
		cand_store_failed(rq, rs);
		break;
	}
out:
	svc_step_res_release(&res);
	svc_release(&svc);
	person_release(&p);
	step_release(&st);
	form_release(&f);
	buf_release(&other);
	buf_release(&to);
	return 0;
}

