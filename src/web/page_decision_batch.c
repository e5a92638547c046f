/*
 * page_decision_batch.c — deciding several dossiers of the decisions
 * queue at once (POST /decisions, approvers): the ticked rows, one
 * decision date and a number series — a first number and the commission's
 * suffix, 45 and "QĐ/HU" giving 45-QĐ/HU, 46-QĐ/HU … Each dossier goes
 * through the same checks and the same ledger_step() as a single decision
 * (page_decisions.c), one by one in the order of the list; a refused
 * dossier takes no number, so the register has no gaps. The answer is the
 * queue page with the list of what was recorded under which number and
 * what was refused, and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/deadline.h"
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
#include "web/page_decisions_impl.h"
#include "util/banned.h"

/* The most dossiers one batch may carry (a page shows PAGE_SIZE). */
#define BATCH_MAX 100

/* One dossier of a batch: the checks of a single decision, then
 * ledger_step(); recorded under `doc`, or the reasons in it->why. */
static enum kn_err batch_one(struct request *rq, struct ledger *l, struct batch_item *it,
			     kn_date date, const char *doc)
{
	struct person p;
	struct step st;
	struct violations v = { 0 };
	struct buf err = BUF_INIT;
	enum ledger_outcome oc;
	enum kn_err e;

	memset(&p, 0, sizeof(p));
	if (store_person_get(rq->store, it->ref, &p) != KN_OK || !req_can_see(rq, p.unit)) {
		person_release(&p);
		buf_adds(&it->why, _("No such person."));
		return KN_ENOTFOUND;
	}
	it->full_name = xstrdup(p.full_name);
	if (!auth_may_record(rq, p.unit, STEP_DECISION)) {
		person_release(&p);
		buf_adds(&it->why, _("Your role or unit may not record this step."));
		return KN_EPERM;
	}
	step_init(&st);
	st.code = STEP_DECISION;
	st.date = date;
	st.doc_no = xstrdup(doc);
	{
		/* As for a single decision: the user's committee, or for an
		 * administrator the candidate's own competent committee. */
		struct unode *un = unitree_find(&l->tree, p.unit);
		struct unode *c = un ? unitree_competent(un) : NULL;
		st.org = xstrdup(rq->role == ROLE_ADMIN && c ? c->u.code : rq->user.unit);
	}
	e = ledger_step(l, p.ref, &st, LEDGER_WRITE, 0, &v, &err, &oc);
	if (e == KN_OK) {
		it->doc_no = xstrdup(doc);
	} else {
		for (size_t i = 0; i < v.n; i++)
			buf_addf(&it->why, "%s: %s\n", v.v[i].code, v.v[i].message);
		if (e == KN_ERULE || e == KN_EINVAL)
			buf_adds(&it->why, err.s);
		else if (e == KN_ECONFLICT)
			buf_adds(&it->why, _("Someone recorded a step for this candidate meanwhile; "
					     "nothing was recorded."));
		else {
			fprintf(stderr, "ketnap serve: %s: %s: %s\n", rq->path, it->ref, err.s);
			buf_adds(&it->why, _("The database could not be read or written; try again."));
		}
	}
	step_release(&st);
	violations_release(&v);
	person_release(&p);
	buf_release(&err);
	return e;
}

/* POST /decisions: the ticked dossiers (ref, repeated), date, first,
 * suffix. Answers the queue with the list of what was recorded: 200 when
 * at least one was, 422 when none was (a bad date or series, nothing
 * ticked, or every dossier refused). */
int h_decisions_batch(struct request *rq, struct response *rs)
{
	const char *date = kv_get(&rq->form, "date");
	const char *first = kv_get(&rq->form, "first");
	const char *suffix = kv_get(&rq->form, "suffix");
	struct batch bt;
	struct ledger l;
	struct buf err = BUF_INIT, sfx = BUF_INIT;
	kn_date d = KN_DATE_NONE;
	long next = 0;
	int status = 200;

	memset(&bt, 0, sizeof(bt));
	bt.it = xcalloc(BATCH_MAX, sizeof(*bt.it));
	for (size_t i = 0; i < rq->form.n; i++) {
		const char *ref = rq->form.v[i].val;
		size_t j;
		if (strcmp(rq->form.v[i].key, "ref") != 0 || !*ref)
			continue;
		for (j = 0; j < bt.n && strcmp(bt.it[j].ref, ref) != 0; j++)
			;
		if (j < bt.n)
			continue;	/* ticked twice: once is enough */
		if (bt.n == BATCH_MAX) {
			bt.error = _("Too many dossiers at once; decide at most 100 together.");
			break;
		}
		bt.it[bt.n].ref = xstrdup(ref);
		buf_init(&bt.it[bt.n].why);
		bt.n++;
	}
	if (!bt.error) {
		char *end = NULL;
		if (bt.n == 0)
			bt.error = _("Tick at least one dossier to decide.");
		else if (!date || date_parse(date, &d) != 0)
			bt.error = _("The date of the decisions is not a date; write DD/MM/YYYY.");
		else if (!first || !*first || (next = strtol(first, &end, 10), *end) || next < 1 ||
			 next > SERIES_MAX || first[0] < '0' || first[0] > '9')
			bt.error = _("The first number must be a whole number from 1 to 9999999.");
		else if (suffix && *suffix && (text_nfc(suffix, &sfx) != 0 || sfx.len > 40 ||
					       strpbrk(sfx.s, "\r\n\t")))
			bt.error = _("The number suffix is not valid text (at most 40 characters).");
	}
	if (bt.error) {
		status = 422;
		goto answer;
	}
	if (ledger_open(&l, rq->store, rq->cal, rq->user.name, &err) != KN_OK) {
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
		goto out;
	}
	l.actor_unit = rq->user.unit;
	for (size_t i = 0; i < bt.n; i++) {
		struct buf doc = BUF_INIT;
		buf_addf(&doc, "%ld", next);
		if (sfx.len)
			buf_addf(&doc, "-%s", sfx.s);
		if (batch_one(rq, &l, &bt.it[i], d, doc.s) == KN_OK) {
			bt.recorded++;
			next++;		/* a refused dossier takes no number */
		}
		buf_release(&doc);
	}
	ledger_release(&l);
	bt.next = next;
	if (bt.recorded == 0)
		status = 422;	/* every one refused: nothing was done */
answer:
	decisions_queue_page(rq, rs, NULL, &bt, status);
out:
	for (size_t i = 0; i < bt.n; i++) {
		free(bt.it[i].ref);
		free(bt.it[i].full_name);
		free(bt.it[i].doc_no);
		buf_release(&bt.it[i].why);
	}
	free(bt.it);
	buf_release(&err);
	buf_release(&sfx);
	return 0;
}
