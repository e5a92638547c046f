/*
 * page_decision_batch.c — deciding several dossiers of the decisions
 * queue at once (POST /decisions, approvers): the ticked rows, one
 * decision date and a number series — a first number and the commission's
 * suffix, 45 and "QĐ/HU" giving 45-QĐ/HU, 46-QĐ/HU … Each dossier goes
 * through svc_step() as a single decision does (page_decisions.c), one
 * by one in the order of the list; a refused
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
#include "core/svc.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/sort.h"
#include "web/page_decisions_impl.h"
#include "util/banned.h"

/* The most dossiers one batch may carry (a page shows PAGE_SIZE). */
#define BATCH_MAX 100

/* One dossier of a batch: svc_step() as for a single decision (scope,
 * role, the committee, the rules); recorded under `doc`, or the reasons
 * in it->why. */
static enum kn_err batch_one(struct request *rq, struct svc *sv, struct batch_item *it,
			     kn_date date, const char *doc)
{
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	enum kn_err e;

	step_init(&st);
	st.code = STEP_DECISION;
	st.date = date;
	st.doc_no = xstrdup(doc);
	memset(&req, 0, sizeof(req));
	req.ref = it->ref;
	req.st = &st;
	req.expect_version = -1;
	req.committee_org = 1;	/* the user's committee; an admin's: the candidate's */
	e = svc_step(sv, &req, &res);
	if (res.person.full_name)
		it->full_name = xstrdup(res.person.full_name);
	if (e == KN_OK) {
		it->doc_no = xstrdup(doc);
	} else if (e == KN_ENOTFOUND) {
		buf_adds(&it->why, _("No such person."));
	} else if (e == KN_EPERM) {
		buf_adds(&it->why, _("Your role or unit may not record this step."));
	} else {
		for (size_t i = 0; i < res.v.n; i++)
			buf_addf(&it->why, "%s: %s\n", res.v.v[i].code, res.v.v[i].message);
		if (e == KN_ERULE || e == KN_EINVAL)
			buf_adds(&it->why, res.err.s);
		else if (e == KN_ECONFLICT)
			buf_adds(&it->why, _("Someone recorded a step for this candidate meanwhile; "
					     "nothing was recorded."));
		else {
			fprintf(stderr, "ketnap serve: %s: %s: %s\n", rq->path, it->ref, res.err.s);
			buf_adds(&it->why, _("The database could not be read or written; try again."));
		}
	}
	step_release(&st);
	svc_step_res_release(&res);
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
	struct svc sv;
	struct buf sfx = BUF_INIT;
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
	req_svc(rq, &sv);
	for (size_t i = 0; i < bt.n; i++) {
		struct buf doc = BUF_INIT;
		buf_addf(&doc, "%ld", next);
		if (sfx.len)
			buf_addf(&doc, "-%s", sfx.s);
		if (batch_one(rq, &sv, &bt.it[i], d, doc.s) == KN_OK) {
			bt.recorded++;
			next++;		/* a refused dossier takes no number */
		}
		buf_release(&doc);
	}
	svc_release(&sv);
	bt.next = next;
	if (bt.recorded == 0)
		status = 422;	/* every one refused: nothing was done */
answer:
	decisions_queue_page(rq, rs, NULL, &bt, status);
	for (size_t i = 0; i < bt.n; i++) {
		free(bt.it[i].ref);
		free(bt.it[i].full_name);
		free(bt.it[i].doc_no);
		buf_release(&bt.it[i].why);
	}
	free(bt.it);
	buf_release(&sfx);
	return 0;
}
