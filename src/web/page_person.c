/*
 * page_person.c — the person forms of `ketnap serve`: the form that
 * enters a new candidate with their source step (/candidates/new), and
 * the form that edits a person (/edit/REF).
 *
 * The source step goes through ledger_step(), as `ketnap import` and
 * `ketnap step` record it; the considering cell is one of the user's
 * subtree, and a person outside it answers 404 (cand_person). The edit
 * form carries a fingerprint of the person as shown, so that a change
 * made meanwhile by someone else is not overwritten.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "core/ledger.h"
#include "core/svc_identity.h"
#include "io/export.h"
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


/* ---- units ---- */

static int considering(const struct unode *n)
{
	return n->u.kind == UNIT_CELL || unitree_is_basic_cell(n);
}


struct unit_walk {
	struct buf *b;
	const char *selected;
	const struct unode *group;	/* the open <optgroup>'s parent */
	int found;
	int top_depth;
};

/* Options of the person form: considering units, grouped by parent. */
static void walk_considering(struct unode *n, struct unit_walk *w)
{
	if (considering(n)) {
		const struct unode *g = n->parent ? n->parent : n;
		int sel = w->selected && strcmp(w->selected, n->u.code) == 0;
		if (g != w->group) {
			if (w->group)
				html_printf(w->b, "</optgroup>");
			html_printf(w->b, "<optgroup label=\"%s\">", g->u.name);
			w->group = g;
		}
		w->found |= sel;
		html_printf(w->b, "<option value=\"%s\"%S>%s (%s)</option>", n->u.code,
			    sel ? " selected" : "", n->u.name, n->u.code);
	}
	for (size_t i = 0; i < n->nchildren; i++)
		walk_considering(n->children[i], w);
}

static void select_unit(struct request *rq, struct buf *b, const struct form *f)
{
	struct unode *scope = req_scope(rq);
	const char *v = form_get(f, "unit");
	struct unit_walk w = { b, v, NULL, 0, 0 };
	html_printf(b, "<label>%s <select name=\"unit\" required", _("Considering cell"));
	form_field_attrs(b, f, "unit");
	html_printf(b, "><option value=\"\">%s</option>", _("— choose —"));
	if (scope)
		walk_considering(scope, &w);
	if (w.group)
		html_printf(b, "</optgroup>");
	/* A person kept in a unit that considers nobody (imported data). */
	if (v && *v && !w.found && req_can_see(rq, v))
		html_printf(b, "<option value=\"%s\" selected>%s (%s)</option>", v,
			    cand_unit_name(rq, v), v);
	html_printf(b, "</select>");
	form_field_error(b, f, "unit");
	html_printf(b, "</label>\n");
}

/* ================================================================ */
/* The person form (new candidate, edit)                              */
/* ================================================================ */

/* The person's fields from a form into p (the strings p's own); errors
 * on the form. `old`: the person being edited (NULL for a new one). */
static void person_from_form(struct request *rq, struct form *f, struct person *p,
			     const struct person *old)
{
	struct unitree *t = req_tree(rq);
	kn_date today = date_today();
	const char *sex = form_get(f, "sex");

	person_init(p);
	if (old) {
		p->ref = xstrdup(old->ref);
		p->member_since = old->member_since;
		p->official_since = old->official_since;
		/* Nor does the form edit the §9 facts (issue 15: re-admission). */
		p->left_on = old->left_on;
		p->left_reason = old->left_reason ? xstrdup(old->left_reason) : NULL;
		p->record_cleared_on = old->record_cleared_on;
		p->readmitted = old->readmitted;
	} else {
		p->ref = form_text_required(f, "ref", 1, 64);
		for (const char *c = p->ref; c && *c; c++)
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-')) {
				form_err(f, "ref", "%s", _("use letters, digits, '.', '_' or '-' only "
							  "(the citizen ID number, for example)"));
				break;
			}
	}
	p->full_name = form_text_required(f, "full_name", 1, 200);
	if (!sex || !*sex)
		form_err(f, "sex", "%s", _("this is required"));
	else if (strcmp(sex, "M") == 0 || strcmp(sex, "F") == 0)
		p->sex = sex[0];
	else
		form_err(f, "sex", "%s", _("choose one of the list"));
	p->birth_date = form_date(f, "birth_date", 1);
	if (p->birth_date != KN_DATE_NONE &&
	    (p->birth_date > today || date_year(p->birth_date) < 1900)) {
		form_err(f, "birth_date", "%s", _("not a possible date of birth"));
		p->birth_date = KN_DATE_NONE;
	}
	p->unit = form_text_required(f, "unit", 1, 64);
	if (p->unit) {
		struct unode *n = t ? unitree_find(t, p->unit) : NULL;
		int unchanged = old && old->unit && strcmp(old->unit, p->unit) == 0;
		if (!n || !req_can_see(rq, p->unit))
			form_err(f, "unit", "%s", _("choose one of the list"));
		else if (!unchanged && !considering(n))
			form_err(f, "unit", "%s", _("choose the cell that considers the candidate"));
	}
	p->ethnicity = form_text(f, "ethnicity", 1, 60);
	p->religion = form_text(f, "religion", 1, 60);
	p->education = form_text(f, "education", 1, 8);
	if (p->education && !education_valid(p->education))
		form_err(f, "education", "%s", _("write 5/12, 9/12 or 12/12"));
	p->qualification = form_code(f, "qualification", label_qualifications);
	p->occupation = form_code(f, "occupation", label_occupations);
	p->youth_union = form_flag(f, "youth_union");
	p->trade_union = form_flag(f, "trade_union");
	p->phone = form_text(f, "phone", 1, 40);
	p->note = form_text(f, "note", 0, 2000);
}

static void person_to_form(struct form *f, const struct person *p)
{
	char sex[2] = { p->sex, 0 };
	form_set(f, "ref", p->ref);
	form_set(f, "full_name", p->full_name);
	form_set(f, "sex", p->sex ? sex : "");
	form_set_date(f, "birth_date", p->birth_date);
	form_set(f, "unit", p->unit);
	form_set(f, "ethnicity", p->ethnicity);
	form_set(f, "religion", p->religion);
	form_set(f, "education", p->education);
	form_set(f, "qualification", p->qualification);
	form_set(f, "occupation", p->occupation);
	form_set(f, "youth_union", p->youth_union ? "1" : "");
	form_set(f, "trade_union", p->trade_union ? "1" : "");
	form_set(f, "phone", p->phone);
	form_set(f, "note", p->note);
}

static void person_fields(struct request *rq, struct response *rs, const struct form *f,
			  const char *fixed_ref)
{
	struct buf *b = &rs->body;
	if (fixed_ref)
		html_printf(b, "<label>%s <input value=\"%s\" readonly class=\"code\"></label>\n",
			    _("Ref (citizen ID)"), fixed_ref);
	else
		form_input(b, f, "ref", _("Ref (citizen ID)"), "text",
		      " required maxlength=\"64\" autocomplete=\"off\" class=\"code\"");
	form_input(b, f, "full_name", _("Full name"), "text",
	      " required maxlength=\"200\" autocomplete=\"off\"");
	form_select(b, f, "sex", _("Sex"), form_sexes, _("— choose —"), " required");
	form_input(b, f, "birth_date", _("Date of birth"), "date", " required");
	select_unit(rq, b, f);
	form_input(b, f, "ethnicity", _("Ethnicity"), "text",
	      " list=\"ethnicities\" placeholder=\"Kinh\" maxlength=\"60\"");
	form_input(b, f, "religion", _("Religion"), "text",
	      " list=\"religions\" maxlength=\"60\"");
	form_select(b, f, "education", _("General education"), form_educations, "—", NULL);
	form_select(b, f, "qualification", _("Qualification"), label_qualifications, "—", NULL);
	form_select(b, f, "occupation", _("Occupation"), label_occupations, "—", NULL);
	form_checkbox(b, f, "youth_union", _("Youth Union member"));
	form_checkbox(b, f, "trade_union", _("Trade Union member"));
	form_input(b, f, "phone", _("Phone"), "tel", " maxlength=\"40\"");
	form_textarea(b, f, "note", _("Note"), " maxlength=\"2000\"");
	form_datalist(b, "ethnicities", form_ethnicities);
	form_datalist(b, "religions", form_religions);
}

/* ---- issue 15: identity (RULES.md §10) ---- */

/* KN-CCCD's sentences for p, one after the other ("" when the ref agrees
 * or is no citizen ID). */
static void cccd_sentences(const struct person *p, struct buf *out)
{
	struct buf b = BUF_INIT;
	identity_cccd_check(p, &b);
	for (char *c = b.s; *c; c++)
		if (*c == '\n')
			*c = c[1] ? ' ' : '\0';
	buf_adds(out, b.s);
	buf_release(&b);
}

/* ---- new candidate ---- */

static void new_page(struct request *rq, struct response *rs, struct form *f, int status,
		     const struct violations *v, const char *other)
{
	struct buf *b = &rs->body;
	rs->status = status;
	page_begin(rq, rs, "candidates", _("New candidate"));
	html_printf(b, "<p class=\"crumbs\"><a href=\"/candidates\">%s</a> › %s</p>\n",
		    _("Candidates"), _("New candidate"));
	form_errors_banner(b, f);
	if (other)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", other);
	if (v && v->n) {
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p>%s</p><ul>",
			    _("The source step was refused; nothing was recorded:"));
		for (size_t i = 0; i < v->n; i++)
			html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>", v->v[i].code,
				    v->v[i].message);
		html_printf(b, "</ul></div>\n");
	}
	html_printf(b, "<form method=\"post\" action=\"/candidates/new\" class=\"grid person\">\n");
	page_csrf(rq, rs);
	html_printf(b, "<fieldset class=\"wide grid\"><legend>%s</legend>\n", _("The person"));
	person_fields(rq, rs, f, NULL);
	html_printf(b, "</fieldset>\n<fieldset class=\"wide grid\"><legend>%s</legend>\n",
		    step_label(STEP_SOURCE));
	form_input(b, f, "source_date", _("Date of the cell's resolution"), "date", " required");
	form_select(b, f, "org", _("Nominating organisation"), label_orgs, _("— choose —"),
		     " required");
	form_textarea(b, f, "source_note", _("Movement, remarks"), " maxlength=\"2000\"");
	html_printf(b, "</fieldset>\n<div class=\"actions wide\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"/candidates\">%s</a></div>\n</form>\n",
		    _("Save the candidate"), _("Cancel"));
	page_end(rq, rs);
}

int h_candidate_new_form(struct request *rq, struct response *rs)
{
	struct form f = { 0 };
	struct unode *scope = req_scope(rq);
	if (scope && considering(scope))
		form_set(&f, "unit", scope->u.code);
	form_set_date(&f, "source_date", date_today());
	new_page(rq, rs, &f, 200, NULL, NULL);
	form_release(&f);
	return 0;
}



int h_candidate_new(struct request *rq, struct response *rs)
{
	static const char *const map[] = { "date", "source_date", "org", "org", "note",
					   "source_note", NULL };
	struct form f = { 0 };
	struct person p, dup;
	struct step st;
	struct violations v = { 0 };
	struct buf err = BUF_INIT, fold = BUF_INIT, row = BUF_INIT, other = BUF_INIT;
	struct ledger l;
	enum ledger_outcome oc;
	enum kn_err e;
	int changed, have_ledger = 0;

	form_copy(&f, &rq->form);
	person_from_form(rq, &f, &p, NULL);
	step_init(&st);
	st.code = STEP_SOURCE;
	st.date = form_date(&f, "source_date", 1);
	st.org = form_code(&f, "org", label_orgs);
	if (!st.org && !form_errmsg(&f, "org"))
		form_err(&f, "org", "%s", _("this is required"));
	st.note = form_text(&f, "source_note", 0, 2000);
	if (p.ref && !form_errmsg(&f, "ref")) {
		/* issue 15: KN-CCCD, and a ref merged away is not used again. */
		struct buf why = BUF_INIT;
		char *into = NULL;
		cccd_sentences(&p, &why);
		if (why.len)
			form_err(&f, "ref", "%s", why.s);
		buf_reset(&why);
		if (!form_errmsg(&f, "ref") && store_merged_into(rq->store, p.ref, &into) == KN_OK) {
			struct svc sv;
			req_svc(rq, &sv);
			if (svc_merged_note(&sv, p.ref, &why))
				form_err(&f, "ref", "%s", why.s);
			else
				form_err(&f, "ref", _("%s was merged into another record and cannot be "
						      "used again"), p.ref);
			svc_release(&sv);
			free(into);
		}
		buf_release(&why);
	}
	if (p.ref && !form_errmsg(&f, "ref")) {
		e = store_person_get(rq->store, p.ref, &dup);
		if (e == KN_OK) {
			form_err(&f, "ref", "%s", _("a person with this ref is already recorded"));
			person_release(&dup);
		} else if (e != KN_ENOTFOUND) {
			goto fail;
		}
	}
	if (f.nerr) {
		new_page(rq, rs, &f, 422, NULL, NULL);
		goto out;
	}
	if ((e = cand_ledger_open(rq, &l, &err)) != KN_OK)
		goto fail;
	have_ledger = 1;

	/* The person and their source step: one transaction (ledger_step's
	 * own nests in it), so a refused step leaves no person behind. */
	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	text_fold(p.full_name, &fold);
	export_person_row(&row, &p);
	if (row.len && row.s[row.len - 1] == '\n')
		buf_truncate(&row, row.len - 1);
	if ((e = store_person_put(rq->store, &p, fold.s, &changed)) != KN_OK ||
	    (e = store_audit(rq->store, rq->user.name, "insert", "person", p.ref, NULL,
			     row.s)) != KN_OK) {
		store_rollback(rq->store);
		if (e == KN_ECONFLICT) {
			form_err(&f, "ref", "%s", _("a person with this ref is already recorded"));
			new_page(rq, rs, &f, 409, NULL, NULL);
			goto out;
		}
		goto fail;
	}
	e = ledger_step(&l, p.ref, &st, LEDGER_WRITE, 0, &v, &err, &oc);
	if (e != KN_OK) {
		store_rollback(rq->store);
		if (e == KN_ERULE || e == KN_EINVAL) {
			form_lines(&f, err.s, map, &other);
			new_page(rq, rs, &f, 422, &v, other.len ? other.s : NULL);
			goto out;
		}
		goto fail;
	}
	if ((e = store_commit(rq->store)) != KN_OK)
		goto fail;
	{
		struct buf to = BUF_INIT;
		cand_href(&to, p.ref);
		buf_adds(&to, "?done=created");
		resp_redirect(rs, to.s);
		buf_release(&to);
	}
	goto out;
fail:
	cand_store_failed(rq, rs);
out:
	if (have_ledger)
		ledger_release(&l);
	violations_release(&v);
	step_release(&st);
	person_release(&p);
	form_release(&f);
	buf_release(&err);
	buf_release(&fold);
	buf_release(&row);
	buf_release(&other);
	return 0;
}

/* ---- edit ---- */

/* A fingerprint of the person as stored: the form carries it, and a
 * save finds out whether someone changed the person meanwhile. */
static void person_stamp(const struct person *p, struct buf *row, struct buf *stamp)
{
	export_person_row(row, p);
	if (row->len && row->s[row->len - 1] == '\n')
		buf_truncate(row, row->len - 1);
	auth_token_hash(row->s, stamp);
}

static void edit_page(struct request *rq, struct response *rs, const struct person *p,
		      struct form *f, const char *stamp, int status, const char *error)
{
	struct buf *b = &rs->body, href = BUF_INIT, action = BUF_INIT;
	cand_href(&href, p->ref);
	buf_adds(&action, "/edit/");
	url_encode(&action, p->ref);
	rs->status = status;
	page_begin(rq, rs, "candidates", _("Edit person"));
	html_printf(b, "<p class=\"crumbs\"><a href=\"/candidates\">%s</a> › <a href=\"%s\">%s</a> › "
		    "%s</p>\n", _("Candidates"), href.s, p->full_name, _("Edit"));
	if (error)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
	form_errors_banner(b, f);
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"grid person\">\n", action.s);
	page_csrf(rq, rs);
	html_printf(b, "<input type=\"hidden\" name=\"stamp\" value=\"%s\">\n", stamp);
	person_fields(rq, rs, f, p->ref);
	html_printf(b, "<div class=\"actions wide\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"%s\">%s</a></div>\n</form>\n",
		    _("Save"), href.s, _("Cancel"));
	page_end(rq, rs);
	buf_release(&href);
	buf_release(&action);
}

int h_person_edit_form(struct request *rq, struct response *rs)
{
	struct person p;
	struct form f = { 0 };
	struct buf row = BUF_INIT, stamp = BUF_INIT;
	enum kn_err e = cand_person(rq, rq->arg, &p);
	if (e == KN_ENOTFOUND)
		return cand_not_found(rq, rs);
	if (e != KN_OK)
		return cand_store_failed(rq, rs);
	person_to_form(&f, &p);
	person_stamp(&p, &row, &stamp);
	edit_page(rq, rs, &p, &f, stamp.s, 200, NULL);
	form_release(&f);
	person_release(&p);
	buf_release(&row);
	buf_release(&stamp);
	return 0;
}

int h_person_edit(struct request *rq, struct response *rs)
{
	struct person old, p;
	struct form f = { 0 };
	struct buf before = BUF_INIT, stamp = BUF_INIT, after = BUF_INIT, fold = BUF_INIT;
	struct buf to = BUF_INIT;
	const char *sent = kv_get(&rq->form, "stamp");
	enum kn_err e = cand_person(rq, rq->arg, &old);
	int changed;

	if (e == KN_ENOTFOUND)
		return cand_not_found(rq, rs);
	if (e != KN_OK)
		return cand_store_failed(rq, rs);
	person_stamp(&old, &before, &stamp);
	form_copy(&f, &rq->form);
	person_from_form(rq, &f, &p, &old);
	if (!sent || strcmp(sent, stamp.s) != 0) {
		/* Show what is stored now: saving the typed values would undo
		 * the other change unseen. */
		struct form now = { 0 };
		person_to_form(&now, &old);
		edit_page(rq, rs, &old, &now, stamp.s, 409,
			  _("Someone changed this person meanwhile; nothing was saved. The form now "
			    "shows the current values: make your change again."));
		form_release(&now);
		goto out;
	}
	if (f.nerr) {
		edit_page(rq, rs, &old, &f, stamp.s, 422, NULL);
		goto out;
	}
	{
		/* issue 15: KN-CCCD (the ref is fixed here: the sex or the
		 * birth date is what the clerk can correct). */
		struct buf why = BUF_INIT;
		cccd_sentences(&p, &why);
		if (why.len) {
			edit_page(rq, rs, &old, &f, stamp.s, 422, why.s);
			buf_release(&why);
			goto out;
		}
		buf_release(&why);
	}
	export_person_row(&after, &p);
	if (after.len && after.s[after.len - 1] == '\n')
		buf_truncate(&after, after.len - 1);
	cand_href(&to, p.ref);
	if (strcmp(after.s, before.s) == 0) {
		buf_adds(&to, "?done=unchanged");
		resp_redirect(rs, to.s);
		goto out;
	}
	text_fold(p.full_name, &fold);
	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	if ((e = store_person_put(rq->store, &p, fold.s, &changed)) != KN_OK ||
	    (e = store_audit(rq->store, rq->user.name, "update", "person", p.ref, before.s,
			     after.s)) != KN_OK) {
		store_rollback(rq->store);
		goto fail;
	}
	if ((e = store_commit(rq->store)) != KN_OK)
		goto fail;
	buf_adds(&to, "?done=saved");
	resp_redirect(rs, to.s);
	goto out;
fail:
	cand_store_failed(rq, rs);
out:
	person_release(&old);
	person_release(&p);
	form_release(&f);
	buf_release(&before);
	buf_release(&stamp);
	buf_release(&after);
	buf_release(&fold);
	buf_release(&to);
	return 0;
}
