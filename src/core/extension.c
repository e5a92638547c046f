/*
 * extension.c — the DL-DECISION extension (see extension.h): who may
 * record it, when, and the deadlines of one candidacy with it.
 *
 * The extension is kept apart from the steps (migration 012) because it
 * is not a step of the pipeline: it does not move the stage, no rule of
 * §3 judges it, and recording it must not reorder or re-judge anything.
 * It is given once to the dossier before the committee, so it is refused
 * outside the span between the cell vote and the decision, and a second
 * time. Who may give it is who may record the decision itself.
 */
#include <stdlib.h>
#include <string.h>

#include "core/extension.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The latest step of code c dated on or before d (any date: KN_DATE_NONE). */
static const struct step *latest(const struct candidacy *c, enum step_code code, kn_date d)
{
	const struct step *best = NULL;
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct step *s = &c->steps[i];
		if (s->code != code || s->date == KN_DATE_NONE || (d != KN_DATE_NONE && s->date > d))
			continue;
		if (!best || s->date >= best->date)
			best = s;
	}
	return best;
}

/* "Nguyễn Văn A (C1)" of the person, into b. */
static const char *who(const struct person *p, struct buf *b)
{
	buf_addf(b, "%s (%s)", p->full_name ? p->full_name : "", p->ref ? p->ref : "");
	return b->s;
}

/* DL-DECISION of open on l->today without and with the extension x. */
static void dues(struct ledger *l, const struct candidacy *open, kn_date ext, kn_date *before,
		 kn_date *after)
{
	struct policy pol;
	struct deadline *dl = NULL;
	size_t n;
	kn_date on = l->today;	/* ext is not after it (svc_extend) */

	*before = *after = KN_DATE_NONE;
	ledger_policy(l, on, &pol);
	n = deadlines_for_ext(open->steps, open->nsteps, KN_DATE_NONE, on, &pol, l->cal, &dl);
	for (size_t i = 0; i < n; i++)
		if (strcmp(dl[i].code, "DL-DECISION") == 0)
			*before = dl[i].due;
	free(dl);
	dl = NULL;
	n = deadlines_for_ext(open->steps, open->nsteps, ext, on, &pol, l->cal, &dl);
	for (size_t i = 0; i < n; i++)
		if (strcmp(dl[i].code, "DL-DECISION") == 0)
			*after = dl[i].due;
	free(dl);
}

enum kn_err svc_extend(struct svc *sv, const struct extend_req *req, struct extend_res *res)
{
	struct ledger l;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct buf err = BUF_INIT, name = BUF_INIT, after = BUF_INIT;
	struct unode *un, *comp;
	const struct candidacy *open;
	const struct step *cell, *dec;
	char d1[11], d2[11];
	int have_ledger = 0, in_tx = 0;
	enum kn_err e;

	memset(res, 0, sizeof(*res));
	res->msg = (struct buf)BUF_INIT;
	res->x.date = KN_DATE_NONE;
	if ((e = svc_person_find(sv, req->ref, &res->person)) != KN_OK)
		return e;
	if ((e = svc_ledger_open(sv, &l, &err)) != KN_OK) {
		buf_adds(&res->msg, err.s);
		goto out;
	}
	have_ledger = 1;
	kn_date date = req->date != KN_DATE_NONE ? req->date : l.today;
	who(&res->person, &name);

	if (!req->doc_no || !*req->doc_no) {
		buf_addf(&res->msg, _("The extension needs the number of the committee's document "
				      "that grants it (--doc), e.g. 15-QĐ/ĐU."));
		e = KN_EINVAL;
		goto out;
	}
	if (date > l.today) {
		date_format_user(date, d1);
		date_format_user(l.today, d2);
		buf_addf(&res->msg, _("The extension is dated %s, after today (%s); record it on "
				      "the day the committee granted it."), d1, d2);
		e = KN_EINVAL;
		goto out;
	}
	un = unitree_find(&l.tree, res->person.unit);
	comp = un ? unitree_competent(un) : NULL;
	if (!comp) {
		buf_addf(&res->msg, _("No unit at or above the grassroots unit of %s may admit "
				      "members, so no committee can extend the decision deadline; "
				      "set may_admit on the competent committee."), name.s);
		e = KN_ERULE;
		goto out;
	}
	if (!svc_may_record(sv, res->person.unit, STEP_DECISION)) {
		buf_addf(&res->msg, _("%s, %s of %s, may not extend the decision deadline of %s: "
				      "that is for an approver of the competent committee %s, or an "
				      "administrator above it."),
			 sv->actor.name ? sv->actor.name : "", role_name(sv->actor.role),
			 sv->actor.unit ? sv->actor.unit : "", name.s, comp->u.code);
		e = KN_EPERM;
		goto out;
	}

	if ((e = store_begin(sv->store)) != KN_OK)
		goto out;
	in_tx = 1;
	if ((e = store_candidacies_of(sv->store, res->person.id, &cs, &nc)) != KN_OK)
		goto out;
	open = nc && cs[nc - 1].open ? &cs[nc - 1] : NULL;
	cell = open ? latest(open, STEP_CELL_VOTE, KN_DATE_NONE) : NULL;
	dec = open ? latest(open, STEP_DECISION, KN_DATE_NONE) : NULL;
	if (!open) {
		buf_addf(&res->msg, _("%s has no open candidacy: an extension is for a dossier "
				      "waiting for the admission decision."), name.s);
		e = KN_ERULE;
		goto out;
	}
	if (dec) {
		date_format_user(dec->date, d1);
		buf_addf(&res->msg, _("The admission decision of %s was recorded on %s: no decision "
				      "is pending, so there is nothing to extend."), name.s, d1);
		e = KN_ERULE;
		goto out;
	}
	if (!cell) {
		buf_addf(&res->msg, _("The cell has not voted on %s yet (cell_vote): the decision "
				      "deadline starts with the cell vote, and only then can it be "
				      "extended."), name.s);
		e = KN_ERULE;
		goto out;
	}
	if (cell->date > date) {
		date_format_user(date, d1);
		date_format_user(cell->date, d2);
		buf_addf(&res->msg, _("The extension is dated %s, before the cell vote of %s on %s; "
				      "date it on or after the cell vote."), d1, name.s, d2);
		e = KN_ERULE;
		goto out;
	}
	e = store_extension_get(sv->store, open->id, &res->x);
	if (e == KN_OK) {
		date_format_user(res->x.date, d1);
		buf_addf(&res->msg, _("The decision deadline of %s was already extended on %s by "
				      "%s (%s); it is extended once."), name.s, d1,
			 res->x.unit ? res->x.unit : "", res->x.doc_no ? res->x.doc_no : "");
		e = KN_ECONFLICT;
		goto out;
	}
	if (e != KN_ENOTFOUND)
		goto out;
	res->x.date = date;
	res->x.doc_no = xstrdup(req->doc_no);
	res->x.unit = xstrdup(comp->u.code);
	res->x.actor = xstrdup(l.actor ? l.actor : "");
	date_format_iso(date, d1);
	buf_addf(&after, "decision_extension,%s,%s,%s", d1, res->x.doc_no, res->x.unit);
	if ((e = store_extension_put(sv->store, open->id, &res->x)) != KN_OK ||
	    (e = store_audit(sv->store, res->x.actor, "decision-extension", "candidacy",
			     res->person.ref, NULL, after.s)) != KN_OK ||
	    (e = store_commit(sv->store)) != KN_OK)
		goto out;
	in_tx = 0;
	dues(&l, open, date, &res->due_before, &res->due_after);
out:
	if (in_tx)
		store_rollback(sv->store);
	if (e != KN_OK && e != KN_ECONFLICT)
		extension_release(&res->x);
	if (e != KN_OK && !res->msg.len && e != KN_ENOTFOUND)
		buf_adds(&res->msg, store_errmsg(sv->store));
	store_candidacies_free(cs, nc);
	if (have_ledger)
		ledger_release(&l);
	buf_release(&err);
	buf_release(&name);
	buf_release(&after);
	return e;
}

void extend_res_release(struct extend_res *res)
{
	person_release(&res->person);
	extension_release(&res->x);
	buf_release(&res->msg);
}

size_t extension_deadlines(struct ledger *l, const struct candidacy *open, struct extension *x,
			   struct deadline **out)
{
	struct policy pol;
	struct extension own;
	struct extension *px = x ? x : &own;

	if (store_extension_get(l->store, open->id, px) != KN_OK)
		px->date = KN_DATE_NONE;	/* none, or unreadable: as without */
	ledger_policy(l, l->today, &pol);
	size_t n = deadlines_for_ext(open->steps, open->nsteps, px->date, l->today, &pol, l->cal,
				     out);
	if (!x)
		extension_release(&own);
	return n;
}
