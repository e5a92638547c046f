/*
 * page_cand.c — the candidate's own page of `ketnap serve` (GET
 * /people/REF): the person, the timeline of every candidacy, the open
 * deadlines, and the forms of the next step and of the ending steps
 * (page_step.c draws them, and answers their POST with this page again).
 *
 * Nothing here judges a step or computes a figure of its own: the rules
 * that would refuse the next step today come from ledger_step()
 * (LEDGER_CHECK), deadlines from deadlines_for(), membership from
 * ledger_membership() — the calls `ketnap person show` makes, so the page
 * and the command line say the same thing in the same words. The person
 * is found through the service as the signed-in user (core/svc.h): one
 * outside the user's subtree answers 404, exactly as if it did not exist.
 * Forms carry the version token of the candidacy they were drawn for.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/extension.h"
#include "core/deadline.h"
#include "core/ledger.h"
#include "core/svc.h"
#include "core/svc_identity.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/cand.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/banned.h"


const char *cand_unit_name(struct request *rq, const char *code)
{
	struct unitree *t = req_tree(rq);
	struct unode *n = t && code ? unitree_find(t, code) : NULL;
	return n ? n->u.name : nz(code);
}

/* ---- the service, as the signed-in user (core/svc.h) ---- */

enum kn_err cand_ledger_open(struct request *rq, struct ledger *l, struct buf *err)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_ledger_open(&sv, l, err);
	svc_release(&sv);
	return e;
}

/* The person of ref when the user may see them: KN_OK, or KN_ENOTFOUND
 * (also for a person outside the subtree), or a storage error. */
enum kn_err cand_person(struct request *rq, const char *ref, struct person *p)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_person_find(&sv, ref, p);
	svc_release(&sv);
	return e;
}

int cand_not_found(struct request *rq, struct response *rs)
{
	return resp_error(rq, rs, 404, _("No such person."));
}

int cand_store_failed(struct request *rq, struct response *rs)
{
	fprintf(stderr, "ketnap serve: %s: %s\n", rq->path, store_errmsg(rq->store));
	return resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
}

/* A link to the person's page: /people/REF (REF URL-encoded). */
void cand_href(struct buf *out, const char *ref)
{
	buf_adds(out, "/people/");
	url_encode(out, ref);
}

/* "12 working days left" / "overdue by 3 working days", as `person show`. */
static void workdays_phrase(struct response *rs, int left)
{
	struct buf n = BUF_INIT;
	text_int(&n, left < 0 ? -left : left);
	if (left < 0)
		html_printf(&rs->body, _("overdue by %s working days"), n.s);
	else
		html_printf(&rs->body, _("%s working days left"), n.s);
	buf_release(&n);
}

/* "ID:VERSION" of the person's latest candidacy: svc_version_token(). */
static enum kn_err version_token(struct request *rq, const struct candidacy *cs, size_t nc,
				 struct buf *out, int64_t *open_version)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_version_token(&sv, cs, nc, out, open_version);
	svc_release(&sv);
	return e;
}

/* A person's name linked to their page when the user may see them. */
static void person_link(struct request *rq, struct response *rs, const char *ref)
{
	struct person p;
	struct buf href = BUF_INIT;
	if (!ref)
		return;
	if (cand_person(rq, ref, &p) != KN_OK) {
		html_printf(&rs->body, "<span class=\"code\">%s</span>", ref);
		return;
	}
	cand_href(&href, ref);
	html_printf(&rs->body, "<a href=\"%s\">%s</a> <span class=\"muted code\">%s</span>", href.s,
		    p.full_name, ref);
	person_release(&p);
	buf_release(&href);
}

/* The facts of a recorded step, labelled. */
static void step_facts(struct request *rq, struct response *rs, const struct step *s)
{
	struct buf *b = &rs->body;
	const char *sep = "";
#define NEXT() (html_printf(b, "%S", sep), sep = "<br>")
	if (s->doc_no) {
		NEXT();
		html_printf(b, "%s: %s", s->code == STEP_TRAINED ? _("Certificate no.")
			    : s->code == STEP_DECISION || s->code == STEP_OFFICIAL
			    ? _("Decision no.") : _("Document no."), s->doc_no);
	}
	if (s->org) {
		NEXT();
		if (s->code == STEP_DECISION || s->code == STEP_OFFICIAL)
			html_printf(b, "%s: %s <span class=\"muted code\">%s</span>",
				    _("Deciding committee"), cand_unit_name(rq, s->org), s->org);
		else
			html_printf(b, "%s: %s", s->code == STEP_SOURCE ? _("Nominated by")
				    : _("Introduced by"), label_lookup(label_orgs, s->org));
	}
	if (s->member) {
		NEXT();
		html_printf(b, "%s: ", _("Mentor"));
		person_link(rq, rs, s->member);
	}
	const char *in[2] = { s->intro1, s->intro2 };
	kn_date since[2] = { s->intro1_since, s->intro2_since };
	for (int i = 0; i < 2; i++) {
		if (!in[i])
			continue;
		NEXT();
		html_printf(b, "%s: ", _("Introducer"));
		person_link(rq, rs, in[i]);
		if (since[i] != KN_DATE_NONE) {
			html_printf(b, ", %s ", _("known since"));
			page_date(rs, since[i]);
		}
	}
	if (s->votes_for >= 0 || s->votes_total >= 0) {
		struct buf x = BUF_INIT, y = BUF_INIT;
		NEXT();
		if (s->votes_for >= 0)
			text_int(&x, s->votes_for);
		if (s->votes_total >= 0)
			text_int(&y, s->votes_total);
		html_printf(b, _("Votes: %s for, of %s"), x.len ? x.s : "?", y.len ? y.s : "?");
		buf_release(&x);
		buf_release(&y);
	}
	if (s->consent) {
		NEXT();
		html_printf(b, "%s: %s", _("Consent"), s->consent);
	}
	if (s->note) {
		NEXT();
		html_printf(b, "%s: %s", step_info(s->code) && step_info(s->code)->ending
			    ? _("Reason") : _("Note"), s->note);
	}
	if (s->override) {
		NEXT();
		html_printf(b, "<span class=\"override\">%s: %s (%s)</span>", _("OVERRIDE"),
			    s->override, nz(s->override_by));
	}
#undef NEXT
}

/* An ISO UTC timestamp ("2025-12-20T03:04:05Z") in Vietnam's time. */
static void recorded_at(struct response *rs, const char *iso)
{
	int y, mo, d, h, mi;
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 ||
	    !date_valid_ymd(y, mo, d)) {
		html_printf(&rs->body, "%s", nz(iso));
		return;
	}
	int mins = h * 60 + mi + 7 * 60;
	kn_date day = date_from_ymd(y, mo, d) + mins / (24 * 60);
	mins %= 24 * 60;
	page_date(rs, day);
	html_printf(&rs->body, " %d%d:%d%d", mins / 600, mins / 60 % 10, mins % 60 / 10, mins % 10);
}

static void person_card(struct request *rq, struct response *rs, const struct person *p,
			kn_date ms, kn_date os)
{
	struct buf *b = &rs->body;
	html_printf(b, "<table class=\"facts\">\n<tr><th>%s</th><td class=\"code\">%s</td></tr>\n",
		    _("Ref (citizen ID)"), p->ref);
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n<tr><th>%s</th><td>", _("Sex"),
		    p->sex == 'F' ? _("Female") : _("Male"), _("Date of birth"));
	page_date(rs, p->birth_date);
	html_printf(b, "</td></tr>\n<tr><th>%s</th><td>%s <span class=\"muted code\">%s</span>"
		    "</td></tr>\n", _("Unit"), cand_unit_name(rq, p->unit), p->unit);
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Ethnicity"),
		    p->ethnicity ? p->ethnicity : "Kinh");
	if (p->religion)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Religion"), p->religion);
	if (p->education)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("General education"),
			    p->education);
	if (p->qualification)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Qualification"),
			    label_lookup(label_qualifications, p->qualification));
	if (p->occupation)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Occupation"),
			    label_lookup(label_occupations, p->occupation));
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n<tr><th>%s</th><td>%s</td></tr>\n",
		    _("Youth Union member"), p->youth_union ? _("yes") : _("no"),
		    _("Trade Union member"), p->trade_union ? _("yes") : _("no"));
	if (ms != KN_DATE_NONE) {
		html_printf(b, "<tr><th>%s</th><td>", _("Member since"));
		page_date(rs, ms);
		html_printf(b, "</td></tr>\n");
	}
	if (os != KN_DATE_NONE) {
		html_printf(b, "<tr><th>%s</th><td>", _("Full member since"));
		page_date(rs, os);
		html_printf(b, "</td></tr>\n");
	}
	if (p->phone)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Phone"), p->phone);
	if (p->note)
		html_printf(b, "<tr><th>%s</th><td class=\"pre\">%s</td></tr>\n", _("Note"), p->note);
	html_printf(b, "</table>\n");
}

static void timeline(struct request *rq, struct response *rs, const struct candidacy *c,
		     size_t i, size_t nc)
{
	struct buf *b = &rs->body;
	struct buf n = BUF_INIT;
	text_int(&n, (long long)i + 1);
	html_printf(b, "<h2>");
	if (nc > 1)
		html_printf(b, _("Candidacy %s"), n.s);
	else
		html_printf(b, "%s", _("Candidacy"));
	html_printf(b, " <span class=\"muted\">(%s · %s: %s)</span></h2>\n",
		    c->open ? _("open") : _("closed"), _("stage"), step_label(c->stage));
	html_printf(b, "<table class=\"timeline\">\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th class=\"hide-narrow\">%s</th></tr></thead>\n<tbody>\n", _("Date"), _("Step"),
		    _("Details"), _("Recorded by"));
	for (size_t j = 0; j < c->nsteps; j++) {
		const struct step *s = &c->steps[j];
		html_printf(b, "<tr%S><td>", s->override ? " class=\"overridden\"" : "");
		page_date(rs, s->date);
		html_printf(b, "</td><td>%s <span class=\"muted code hide-narrow\">%s</span></td><td>",
			    step_label(s->code), step_name(s->code));
		step_facts(rq, rs, s);
		html_printf(b, "</td><td class=\"hide-narrow\">%s<br><span class=\"muted\">",
			    nz(s->recorded_by));
		recorded_at(rs, s->recorded_at);
		html_printf(b, "</span></td></tr>\n");
	}
	html_printf(b, "</tbody></table>\n");
	buf_release(&n);
}

/* The extension form (issue 15) under an open DL-DECISION that was not
 * extended, for whoever may record the decision itself (an approver of
 * the competent committee, an admin above it): core/extension.c judges
 * the rest when it is posted to /extend/REF (page_extend.c). */
static void extend_form(struct request *rq, struct response *rs, const struct person *p)
{
	struct buf href = BUF_INIT;
	char today[11];
	buf_adds(&href, "/extend/");
	url_encode(&href, p->ref);
	date_format_user(date_today(), today);
	html_printf(&rs->body, "<details class=\"no-print extend\"><summary>%s</summary>\n"
		    "<form method=\"post\" action=\"%s\" class=\"grid\">\n",
		    _("Extend the decision deadline"), href.s);
	page_csrf(rq, rs);
	html_printf(&rs->body, "<label>%s <input name=\"doc_no\" required maxlength=\"64\" "
		    "placeholder=\"15-QĐ/ĐU\"></label>\n<label>%s ", _("Document number"),
		    _("Date"));
	page_date_input(&rs->body, "date", today, " required");
	html_printf(&rs->body, "</label>\n<div><button type=\"submit\">%s</button></div>\n"
		    "</form>\n<p class=\"muted\">%s</p></details>\n", _("Extend"),
		    _("The competent committee may give the dossier more working days to decide, "
		      "once, by a document of its own (RULES.md §4)."));
	buf_release(&href);
}

static void deadlines_section(struct request *rq, struct response *rs, struct ledger *l,
			      const struct person *p, const struct candidacy *open)
{
	struct buf *b = &rs->body;
	struct extension x;
	struct deadline *dl = NULL;
	size_t n = extension_deadlines(l, open, &x, &dl);
	int may_extend = 0;
	if (!n) {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No open deadlines."));
		extension_release(&x);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(dl[i].code, "DL-DECISION") == 0 && x.date == KN_DATE_NONE)
			may_extend = auth_may_record(rq, p->unit, STEP_DECISION);
	html_printf(b, "<h2>%s</h2>\n<table class=\"deadlines\">\n<thead><tr><th>%s</th><th>%s</th>"
		    "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n", _("Open deadlines"),
		    _("Deadline"), _("Due"), _("Working days"));
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<tr%S><td>%s <span class=\"muted code\">%s</span></td><td>",
			    dl[i].workdays_left < 0 ? " class=\"overdue\"" : "",
			    deadline_words(dl[i].code), dl[i].code);
		page_date(rs, dl[i].due);
		html_printf(b, "</td><td class=\"num\">");
		workdays_phrase(rs, dl[i].workdays_left);
		html_printf(b, "</td></tr>\n");
	}
	html_printf(b, "</tbody></table>\n");
	if (x.date != KN_DATE_NONE) {
		html_printf(b, "<p class=\"extension\">%s ", _("The decision deadline was extended on"));
		page_date(rs, x.date);
		html_printf(b, " %s %s (%s).</p>\n", _("by"), x.unit ? x.unit : "",
			    x.doc_no ? x.doc_no : "");
	}
	if (may_extend)
		extend_form(rq, rs, p);
	extension_release(&x);
	free(dl);
}


static const char *done_notice(struct request *rq, struct buf *tmp)
{
	const char *done = kv_get(&rq->query, "done");
	const char *step = kv_get(&rq->query, "step");
	enum step_code c = step ? step_from_name(step) : STEP_NONE;
	if (!done)
		return NULL;
	if (strcmp(done, "created") == 0)
		return _("The candidate and their source step were recorded.");
	if (strcmp(done, "saved") == 0)
		return _("The changes were saved.");
	if (strcmp(done, "extended") == 0)
		return _("The decision deadline was extended.");
	if (strcmp(done, "unchanged") == 0)
		return _("Nothing was changed.");
	if ((strcmp(done, "recorded") == 0 || strcmp(done, "override") == 0) && c != STEP_NONE) {
		buf_addf(tmp, strcmp(done, "override") == 0 ? _("Recorded with an override: %s.")
			 : _("Recorded: %s."), step_label(c));
		return tmp->s;
	}
	return NULL;
}

/* issue 15: identity (RULES.md §10) — the person's possible duplicates
 * in the user's subtree (the same folded name and date of birth), shown
 * on their page, so that a new candidate already recorded under another
 * ref is seen as soon as they are entered. One indexed read. */
static void dup_notice(struct request *rq, struct response *rs, const struct person *p)
{
	struct svc sv;
	struct person *o = NULL;
	size_t n = 0;

	req_svc(rq, &sv);
	if (store_dups_of(rq->store, p->ref, svc_dup_top(&sv), &o, &n) == KN_OK && n) {
		html_printf(&rs->body, "<div class=\"notice dup-warning\" role=\"status\" "
			    "id=\"duplicates\"><p>%s</p><ul>",
			    _("Possibly the same person (the same name and date of birth) is also "
			      "recorded as:"));
		for (size_t i = 0; i < n; i++) {
			struct buf href = BUF_INIT;
			cand_href(&href, o[i].ref);
			html_printf(&rs->body, "<li><a href=\"%s\">%s</a> <span class=\"muted code\">"
				    "%s</span> — %s</li>", href.s, o[i].full_name, o[i].ref,
				    cand_unit_name(rq, o[i].unit));
			buf_release(&href);
		}
		html_printf(&rs->body, "</ul><p>%s</p></div>\n",
			    _("If they are one person, an administrator merges the two records "
			      "(Administration › Possible duplicates)."));
	}
	store_people_free(o, n);
	svc_release(&sv);
}

/* The candidate's page; sv (may be NULL) brings a POST's outcome back. */
int cand_page(struct request *rq, struct response *rs, const char *ref,
		       const struct step_view *sv, int status)
{
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct ledger l;
	struct buf err = BUF_INIT, version = BUF_INIT, tmp = BUF_INIT, href = BUF_INIT;
	kn_date ms, os;
	int64_t open_version;
	enum kn_err e = cand_person(rq, ref, &p);
	struct buf *b = &rs->body;

	if (e == KN_ENOTFOUND) {
		/* issue 15: a ref merged away names the record it went into. */
		struct svc isv;
		struct buf note = BUF_INIT;
		int said;
		req_svc(rq, &isv);
		said = svc_merged_note(&isv, ref, &note);
		svc_release(&isv);
		if (said)
			resp_error(rq, rs, 404, note.s);
		buf_release(&note);
		return said ? 0 : cand_not_found(rq, rs);
	}
	if (e != KN_OK)
		return cand_store_failed(rq, rs);
	if (cand_ledger_open(rq, &l, &err) != KN_OK) {
		person_release(&p);
		buf_release(&err);
		return cand_store_failed(rq, rs);
	}
	if (store_candidacies_of(rq->store, p.id, &cs, &nc) != KN_OK ||
	    version_token(rq, cs, nc, &version, &open_version) != KN_OK) {
		cand_store_failed(rq, rs);
		goto out;
	}
	ledger_membership(&l, &p, cs, nc, &ms, &os);
	struct candidacy *open = nc && cs[nc - 1].open ? &cs[nc - 1] : NULL;
	struct unode *un = unitree_find(&l.tree, p.unit);
	enum step_code next = open || ms == KN_DATE_NONE
			      ? ledger_next_step(open, unitree_is_basic_cell(un)) : STEP_NONE;

	rs->status = status;
	page_begin(rq, rs, "candidates", p.full_name);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/candidates\">%s</a> › %s</p>\n",
		    _("Candidates"), p.full_name);
	{
		const char *notice = done_notice(rq, &tmp);
		if (notice && !sv)
			html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>\n", notice);
	}
	if (sv && sv->error)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", sv->error);
	dup_notice(rq, rs, &p);	/* issue 15 */

	html_printf(b, "<section class=\"person\">\n");
	person_card(rq, rs, &p, ms, os);
	if (rq->role >= ROLE_EDITOR) {
		buf_adds(&href, "/edit/");
		url_encode(&href, p.ref);
		html_printf(b, "<p class=\"no-print\"><a class=\"button secondary\" href=\"%s\">%s</a>"
			    "</p>\n", href.s, _("Edit the person"));
	}
	html_printf(b, "</section>\n");
	page_transfer_section(rq, rs, &p, NULL, l.today);	/* issue 15 */

	for (size_t i = nc; i-- > 0;)
		timeline(rq, rs, &cs[i], i, nc);
	if (!nc)
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No candidacy is recorded."));
	if (open)
		deadlines_section(rq, rs, &l, &p, open);

	/* The next step (or the one chosen with ?step=, or the one posted). */
	enum step_code code = next;
	const char *want = kv_get(&rq->query, "step");
	if (sv && sv->form && sv->code != STEP_NONE && !step_info(sv->code)->ending)
		code = sv->code;
	else if (!sv && want && !kv_get(&rq->query, "done") &&
		 cand_alternative_ok(open, next, step_from_name(want)))
		code = step_from_name(want);
	if (code != STEP_NONE) {
		html_printf(b, "<section id=\"next\" class=\"next\">\n<h2>");
		html_printf(b, code == next ? _("Next step: %s") : _("Record: %s"), step_label(code));
		html_printf(b, " <span class=\"muted code\">%s</span></h2>\n", step_name(code));
		if (sv && (sv->checked || sv->refused) && !step_info(sv->code)->ending) {
			cand_judged(rs, sv, code);
		} else {
			/* As `person show`: the rules that refuse it today already. */
			struct step st;
			struct violations v = { 0 };
			struct buf need = BUF_INIT;
			enum ledger_outcome oc;
			step_init(&st);
			st.code = code;
			st.date = l.today;
			ledger_step(&l, p.ref, &st, LEDGER_CHECK, 0, &v, &need, &oc);
			if (v.n) {
				html_printf(b, "<div class=\"violations\"><p>%s</p><ul>",
					    _("Recorded today, it would be refused by:"));
				for (size_t i = 0; i < v.n; i++)
					html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>",
						    v.v[i].code, v.v[i].message);
				html_printf(b, "</ul></div>\n");
			}
			violations_release(&v);
			buf_release(&need);
			step_release(&st);
		}
		if (rq->role >= ROLE_EDITOR) {
			struct form fresh = { 0 };
			struct form *f = sv && sv->form && !step_info(sv->code)->ending ? sv->form
				: &fresh;
			if (f == &fresh)
				form_set_date(&fresh, "date", l.today);
			cand_step_form(rq, rs, &p, open, next, code, f, version.s);
			form_release(&fresh);
		}
		html_printf(b, "</section>\n");
	}
	if (open && rq->role >= ROLE_EDITOR) {
		int ending = sv && sv->form && step_info(sv->code)->ending;
		if (ending && (sv->refused || sv->checked))
			cand_judged(rs, sv, sv->code);
		cand_ending_form(rq, rs, &p, open, ending ? sv->form : NULL, version.s);
	}
	page_end(rq, rs);
out:
	store_candidacies_free(cs, nc);
	person_release(&p);
	ledger_release(&l);
	buf_release(&err);
	buf_release(&version);
	buf_release(&tmp);
	buf_release(&href);
	return 0;
}

int h_person(struct request *rq, struct response *rs)
{
	return cand_page(rq, rs, rq->arg, NULL, 200);
}
