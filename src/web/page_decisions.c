/*
 * page_decisions.c — the decisions queue of `ketnap serve`: the dossiers
 * waiting for the admission decision of the user's committee ("3 complete
 * dossiers are waiting for the bloc committee's decision"), each with a
 * small form that records the decision on the spot.
 *
 * A dossier is in the queue when it waits for the decision as
 * core/queue.h defines it (the definition the summary paragraph and the
 * dashboard read) and counts for the user's unit: its competent committee
 * is that unit or one below it. Where the committee is one below, the row
 * names it instead of offering the form (an administrator may record for
 * any). The oldest vote comes first, with the working days left against
 * DL-DECISION (deadlines_for, as `ketnap person show` and the deadlines
 * report count them). The decision itself goes through ledger_step() like
 * every other step, recorded for the user's committee.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/queue.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/page.h"
#include "util/sort.h"
#include "util/banned.h"

struct dossier {
	char *ref;
	char *full_name;
	char *unit;
	char *key;		/* Vietnamese name order */
	kn_date vote;		/* the latest cell or committee vote */
	kn_date due;		/* DL-DECISION, KN_DATE_NONE if none */
	int left;		/* working days left (< 0 overdue) */
	int has_due;
	const struct unode *decider;	/* the competent committee, when it is
					   not the user's own (no form then) */
};

struct queue {
	struct request *rq;
	struct ledger *l;
	struct unode *scope;
	struct policy pol;
	struct dossier *d;
	size_t n, cap;
};

static int dossier_cmp(const void *a, const void *b)
{
	const struct dossier *x = a, *y = b;
	if (x->vote != y->vote)
		return x->vote < y->vote ? -1 : 1;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->ref, y->ref);
}

static int queue_each(void *arg, const struct pipeline *p)
{
	struct queue *q = arg;
	struct unode *un = unitree_find(&q->l->tree, p->unit);
	struct queue_dossier qd;
	struct buf key = BUF_INIT;

	if (!un || !unitree_within(un, q->scope))
		return 0;
	/* The one definition of core/queue.h, counted for the user's unit. */
	if (!queue_waiting(un, p->steps, p->nsteps, q->l->today, &q->pol, q->l->cal, &qd) ||
	    !queue_counts_for(&qd, q->scope))
		return 0;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 32;
		q->d = xreallocarray(q->d, q->cap, sizeof(*q->d));
	}
	struct dossier *d = &q->d[q->n++];
	memset(d, 0, sizeof(*d));
	d->ref = xstrdup(p->person_ref);
	d->full_name = xstrdup(p->full_name);
	d->unit = xstrdup(p->unit);
	text_name_key(p->full_name, &key);
	d->key = buf_detach(&key);
	d->vote = qd.arrived;
	d->due = qd.has_due ? qd.due : KN_DATE_NONE;
	d->left = qd.workdays_left;
	d->has_due = qd.has_due;
	/* A committee below the user's decides it: shown, not decided here. */
	d->decider = q->rq->role == ROLE_ADMIN || !qd.competent ||
		     strcmp(qd.competent->u.code, q->rq->user.unit) == 0 ? NULL : qd.competent;
	return 0;
}

static void queue_release(struct queue *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->d[i].ref);
		free(q->d[i].full_name);
		free(q->d[i].unit);
		free(q->d[i].key);
	}
	free(q->d);
}

static const char *unit_name(struct ledger *l, const char *code)
{
	struct unode *n = code ? unitree_find(&l->tree, code) : NULL;
	return n ? n->u.name : (code ? code : "");
}

/* What a refused POST brings back: the row, its typed values, why. */
struct refusal {
	const char *ref;
	const char *doc_no;
	const char *date;
	const struct violations *v;
	const char *lines;		/* "column: message" lines */
};

static void row_form(struct request *rq, struct response *rs, const struct dossier *d,
		     const struct refusal *r, kn_date today)
{
	struct buf *b = &rs->body, action = BUF_INIT;
	char iso[11];
	int mine = r && strcmp(r->ref, d->ref) == 0;
	kn_date typed;
	date_format_iso(today, iso);
	if (mine && r->date && date_parse(r->date, &typed) == 0)
		date_format_iso(typed, iso);
	buf_adds(&action, "/decisions/");
	url_encode(&action, d->ref);
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"decide\">", action.s);
	page_csrf(rq, rs);
	html_printf(b, "<label>%s <input name=\"doc_no\" required maxlength=\"64\" value=\"%s\" "
		    "placeholder=\"%s\"></label><label>%s <input type=\"date\" name=\"date\" "
		    "required value=\"%s\"></label><button type=\"submit\">%s</button></form>",
		    _("Decision no."), mine && r->doc_no ? r->doc_no : "", _("e.g. 123-QĐ/QU"),
		    _("Date"), iso, _("Record the decision"));
	buf_release(&action);
}

static void queue_page(struct request *rq, struct response *rs, const struct refusal *r,
		       int status)
{
	struct ledger l;
	struct queue q;
	struct buf err = BUF_INIT, num = BUF_INIT;
	struct buf *b = &rs->body;
	const char *done = kv_get(&rq->query, "done");

	memset(&q, 0, sizeof(q));
	if (ledger_open(&l, rq->store, rq->cal, rq->user.name, &err) != KN_OK) {
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
		buf_release(&err);
		return;
	}
	q.rq = rq;
	q.l = &l;
	q.scope = unitree_find(&l.tree, rq->user.unit);
	ledger_policy(&l, l.today, &q.pol);
	if (!q.scope || store_pipeline_each(rq->store, l.today, queue_each, &q) != KN_OK) {
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
		goto out;
	}
	xqsort(q.d, q.n, sizeof(*q.d), dossier_cmp);

	rs->status = status;
	page_begin(rq, rs, "decisions", _("Decisions"));
	if (done && !r) {
		struct person p;
		if (store_person_get(rq->store, done, &p) == KN_OK) {
			if (req_can_see(rq, p.unit)) {
				html_printf(b, "<p class=\"notice\" role=\"status\">");
				html_printf(b, _("The admission decision for %s was recorded."),
					    p.full_name);
				html_printf(b, "</p>\n");
			}
			person_release(&p);
		}
	}
	if (r) {
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p><strong>");
		html_printf(b, _("The decision for %s was refused; nothing was recorded."), r->ref);
		html_printf(b, "</strong></p><ul>");
		for (size_t i = 0; r->v && i < r->v->n; i++)
			html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>", r->v->v[i].code,
				    r->v->v[i].message);
		for (const char *line = r->lines; line && *line;) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			char *one = xstrndup(line, len);
			html_printf(b, "<li>%s</li>", one);
			free(one);
			line += len + (nl ? 1 : 0);
		}
		html_printf(b, "</ul></div>\n");
	}
	text_int(&num, (long long)q.n);
	html_printf(b, "<div class=\"cards\"><div class=\"card\"><div class=\"big\">%s</div>", num.s);
	html_printf(b, ngettext("dossier waiting for the admission decision in %s",
				"dossiers waiting for the admission decision in %s", q.n),
		    q.scope->u.name);
	html_printf(b, "</div></div>\n");
	if (q.n) {
		html_printf(b, "<table class=\"list decisions\">\n<thead><tr><th>%s</th><th>%s</th>"
			    "<th>%s</th><th>%s</th><th class=\"num\">%s</th><th class=\"no-print\">"
			    "%s</th></tr></thead>\n<tbody>\n", _("Full name"), _("Unit"),
			    _("Voted on"), _("Decide by"), _("Working days"), _("Decision"));
		for (size_t i = 0; i < q.n; i++) {
			const struct dossier *d = &q.d[i];
			struct buf href = BUF_INIT;
			buf_adds(&href, "/people/");
			url_encode(&href, d->ref);
			html_printf(b, "<tr%S><td><a href=\"%s\">%s</a> <span class=\"muted code\">%s"
				    "</span></td><td>%s <span class=\"muted code\">%s</span></td>"
				    "<td data-label=\"%s\">", d->has_due && d->left < 0
				    ? " class=\"overdue\"" : "", href.s, d->full_name, d->ref,
				    unit_name(&l, d->unit), d->unit, _("Voted on"));
			page_date(rs, d->vote);
			html_printf(b, "</td><td data-label=\"%s\">", _("Decide by"));
			if (d->has_due)
				page_date(rs, d->due);
			html_printf(b, "</td><td class=\"num\">");
			if (d->has_due) {
				struct buf n = BUF_INIT;
				text_int(&n, d->left < 0 ? -d->left : d->left);
				html_printf(b, d->left < 0 ? _("overdue by %s working days")
					    : _("%s working days left"), n.s);
				buf_release(&n);
			}
			html_printf(b, "</td><td class=\"no-print\">");
			if (d->decider)
				html_printf(b, "<span class=\"muted\">%s</span>", d->decider->u.name);
			else
				row_form(rq, rs, d, r, l.today);
			html_printf(b, "</td></tr>\n");
			buf_release(&href);
		}
		html_printf(b, "</tbody></table>\n");
	} else {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No dossier is waiting."));
	}
	page_end(rq, rs);
out:
	queue_release(&q);
	ledger_release(&l);
	buf_release(&err);
	buf_release(&num);
}

int h_decisions(struct request *rq, struct response *rs)
{
	queue_page(rq, rs, NULL, 200);
	return 0;
}

int h_decision_record(struct request *rq, struct response *rs)
{
	const char *doc = kv_get(&rq->form, "doc_no");
	const char *date = kv_get(&rq->form, "date");
	struct person p;
	struct ledger l;
	struct step st;
	struct violations v = { 0 };
	struct buf err = BUF_INIT, to = BUF_INIT, docn = BUF_INIT;
	struct refusal r;
	enum ledger_outcome oc;
	enum kn_err e;

	memset(&p, 0, sizeof(p));
	if (!*rq->arg || store_person_get(rq->store, rq->arg, &p) != KN_OK ||
	    !req_can_see(rq, p.unit)) {
		person_release(&p);
		return resp_error(rq, rs, 404, _("No such person."));
	}
	if (!auth_may_record(rq, p.unit, STEP_DECISION)) {
		person_release(&p);
		return resp_error(rq, rs, 403, _("Your role or unit may not record this step."));
	}
	if (ledger_open(&l, rq->store, rq->cal, rq->user.name, &err) != KN_OK) {
		person_release(&p);
		buf_release(&err);
		return resp_error(rq, rs, 500,
				  _("The database could not be read or written; try again."));
	}
	l.actor_unit = rq->user.unit;
	step_init(&st);
	st.code = STEP_DECISION;
	memset(&r, 0, sizeof(r));
	r.ref = p.ref;
	r.doc_no = doc;
	r.date = date;
	if (date && *date && date_parse(date, &st.date) != 0) {
		buf_addf(&err, "date: %s\n", _("not a date; write DD/MM/YYYY"));
		r.lines = err.s;
		queue_page(rq, rs, &r, 422);
		goto out;
	}
	if (st.date == KN_DATE_NONE)
		st.date = l.today;
	if (doc && *doc) {
		if (text_nfc(doc, &docn) != 0 || docn.len > 64) {
			buf_addf(&err, "doc_no: %s\n", _("this is not valid text"));
			r.lines = err.s;
			queue_page(rq, rs, &r, 422);
			goto out;
		}
		st.doc_no = xstrdup(docn.s);
	}
	{
		/* For the user's committee; an administrator acts for the
		 * candidate's own competent committee. */
		struct unode *un = unitree_find(&l.tree, p.unit);
		struct unode *c = un ? unitree_competent(un) : NULL;
		st.org = xstrdup(rq->role == ROLE_ADMIN && c ? c->u.code : rq->user.unit);
	}
	e = ledger_step(&l, p.ref, &st, LEDGER_WRITE, 0, &v, &err, &oc);
	switch (e) {
	case KN_OK:
		buf_adds(&to, "/decisions?done=");
		url_encode(&to, p.ref);
		resp_redirect(rs, to.s);
		break;
	case KN_ERULE:
	case KN_EINVAL:
		r.v = &v;
		r.lines = err.s;
		queue_page(rq, rs, &r, 422);
		break;
	case KN_ECONFLICT:
		resp_error(rq, rs, 409, _("Someone recorded a step for this candidate meanwhile; "
					  "nothing was recorded. Reload the page, check the "
					  "timeline and try again."));
		break;
	default:
		fprintf(stderr, "ketnap serve: %s: %s\n", rq->path, err.s);
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
		break;
	}
out:
	step_release(&st);
	violations_release(&v);
	ledger_release(&l);
	person_release(&p);
	buf_release(&err);
	buf_release(&to);
	buf_release(&docn);
	return 0;
}
