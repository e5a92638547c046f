/*
 * queue.c — the one definition of "a dossier waiting for the decision"
 * (see queue.h for the definition itself and who counts a dossier).
 *
 * Pure: it reads the steps the caller loaded (store_pipeline_each or
 * store_pipeline_dates) and the unit tree, and asks deadlines_for() for
 * DL-DECISION, so the due date and days left are those of the deadlines
 * report and `ketnap person show`.
 */
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "core/queue.h"
#include "util/banned.h"

int queue_waiting(struct unode *un, const struct step *steps, size_t nsteps, kn_date as_of,
		  const struct policy *policy, struct calendar *cal, struct queue_dossier *d)
{
	return queue_waiting_ext(un, steps, nsteps, KN_DATE_NONE, as_of, policy, cal, d);
}

/* What queue_waiting_ext reads of the steps dated on or before as_of:
 * the latest ordered step and the latest cell and committee votes. 0 when
 * the candidacy was closed on as_of. */
static int waiting_steps(const struct step *steps, size_t nsteps, kn_date as_of,
			 enum step_code *last, kn_date *cell, kn_date *committee)
{
	*last = STEP_NONE;
	*cell = *committee = KN_DATE_NONE;
	for (size_t i = 0; i < nsteps; i++) {
		const struct step *s = &steps[i];
		const struct step_info *si = step_info(s->code);
		if (!si || s->date == KN_DATE_NONE || s->date > as_of)
			continue;
		/* Closed on as_of: nothing waits. */
		if (si->ending || s->code == STEP_OFFICIAL)
			return 0;
		if (si->ordered && s->code > *last)
			*last = s->code;
		if (s->code == STEP_CELL_VOTE && (*cell == KN_DATE_NONE || s->date > *cell))
			*cell = s->date;
		if (s->code == STEP_COMMITTEE_VOTE &&
		    (*committee == KN_DATE_NONE || s->date > *committee))
			*committee = s->date;
	}
	return 1;
}

/* d's dates and DL-DECISION, its units left as they are. */
static void waiting_fill(const struct step *steps, size_t nsteps, kn_date extended,
			 kn_date as_of, const struct policy *policy, struct calendar *cal,
			 enum step_code last, kn_date cell, kn_date committee,
			 struct queue_dossier *d)
{
	d->after = last;
	d->cell_vote = cell;
	d->committee_vote = last == STEP_COMMITTEE_VOTE ? committee : KN_DATE_NONE;
	d->arrived = last == STEP_COMMITTEE_VOTE ? committee : cell;
	d->due = KN_DATE_NONE;
	if (policy && cal) {
		struct deadline *dl = NULL;
		size_t n = deadlines_for_ext(steps, nsteps, extended, as_of, policy, cal, &dl);
		for (size_t i = 0; i < n; i++)
			if (strcmp(dl[i].code, "DL-DECISION") == 0) {
				d->has_due = 1;
				d->due = dl[i].due;
				d->workdays_left = dl[i].workdays_left;
			}
		free(dl);
	}
}

int queue_waiting_ext(struct unode *un, const struct step *steps, size_t nsteps,
		      kn_date extended, kn_date as_of, const struct policy *policy,
		      struct calendar *cal, struct queue_dossier *d)
{
	enum step_code last;
	kn_date cell, committee;
	int basic;

	if (!un || !waiting_steps(steps, nsteps, as_of, &last, &cell, &committee))
		return 0;
	basic = unitree_is_basic_cell(un);
	if (!(last == STEP_COMMITTEE_VOTE || (last == STEP_CELL_VOTE && basic)))
		return 0;
	if (!d)
		return 1;
	memset(d, 0, sizeof(*d));
	d->unit = un;
	d->competent = unitree_competent(un);
	d->owner = d->competent;
	if (!d->owner) {
		d->owner = unitree_grassroots(un);
		if (!d->owner)
			d->owner = un;
	}
	waiting_fill(steps, nsteps, extended, as_of, policy, cal, last, cell, committee, d);
	return 1;
}

int queue_waiting_basic(int basic, const struct step *steps, size_t nsteps, kn_date extended,
			kn_date as_of, const struct policy *policy, struct calendar *cal,
			struct queue_dossier *d)
{
	enum step_code last;
	kn_date cell, committee;

	if (!waiting_steps(steps, nsteps, as_of, &last, &cell, &committee) ||
	    !(last == STEP_COMMITTEE_VOTE || (last == STEP_CELL_VOTE && basic)))
		return 0;
	if (d) {
		memset(d, 0, sizeof(*d));
		waiting_fill(steps, nsteps, extended, as_of, policy, cal, last, cell, committee,
			     d);
	}
	return 1;
}

int queue_counts_for(const struct queue_dossier *d, const struct unode *at)
{
	return d && at && unitree_within(d->owner, at);
}

int queue_overdue(const struct queue_dossier *d)
{
	return d && d->has_due && d->workdays_left < 0;
}
