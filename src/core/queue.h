/*
 * queue.h — the one definition of "a dossier waiting for the decision".
 *
 * The summary paragraph, the dashboard card and list, the decisions page
 * and the JSON API all ask the same question — how many complete dossiers
 * wait for the competent committee's admission decision — and used to
 * answer it three ways. This module is the answer, and nothing else counts
 * it on its own:
 *
 *   a candidacy, open on the day asked about, whose last ordered step
 *   dated on or before that day (mentor does not count) is the one that
 *   sends the dossier to the competent committee: `committee_vote`, or
 *   `cell_vote` for a chi bộ cơ sở (unitree_is_basic_cell), which has no
 *   committee step (RULES.md §2).
 *
 * A dossier still at `cell_vote` in a cell of a đảng bộ cơ sở is not
 * waiting for the decision: it waits for the grassroots committee's vote
 * (its DL-DECISION clock runs all the same, from the cell vote, RULES.md
 * §4). A waiting dossier counts for its competent committee
 * (unitree_competent) and for every unit above it, never for a unit below
 * it; one whose considering unit has no competent committee at all counts
 * for its grassroots unit and the units above (somebody there must set
 * may_admit). Its overdue part is the part whose DL-DECISION is past.
 */
#ifndef KN_QUEUE_H
#define KN_QUEUE_H

#include <stddef.h>

#include "core/calendar.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/unitree.h"

struct queue_dossier {
	struct unode *unit;		/* the considering unit */
	struct unode *competent;	/* who must decide; NULL when nobody may */
	struct unode *owner;		/* the lowest unit it counts for: the
					   competent committee, or the grassroots
					   unit when there is none */
	enum step_code after;		/* STEP_CELL_VOTE or STEP_COMMITTEE_VOTE */
	kn_date cell_vote;		/* the latest on as_of */
	kn_date committee_vote;		/* KN_DATE_NONE for a chi bộ cơ sở */
	kn_date arrived;		/* the date of `after` */
	int has_due;			/* DL-DECISION is open */
	kn_date due;
	int workdays_left;		/* < 0: overdue */
};

/* 1 when the candidacy considered at `un` with these steps (every step,
 * any order; those dated after as_of are ignored) was waiting for the
 * admission decision on as_of, and fills *d when d is not NULL; 0
 * otherwise. policy and cal (resolved for as_of) give the DL-DECISION due
 * date; with either NULL, has_due is 0. */
int queue_waiting(struct unode *un, const struct step *steps, size_t nsteps, kn_date as_of,
		  const struct policy *policy, struct calendar *cal, struct queue_dossier *d);

/* The same with the DL-DECISION extension recorded on `extended`
 * (KN_DATE_NONE: none; see deadlines_for_ext), as store_pipeline_dates
 * hands it over (struct pipeline's decision_extended). */
int queue_waiting_ext(struct unode *un, const struct step *steps, size_t nsteps,
		      kn_date extended, kn_date as_of, const struct policy *policy,
		      struct calendar *cal, struct queue_dossier *d);

/* queue_waiting_ext without the unit's node, for a caller that knows
 * only whether the unit is a chi bộ cơ sở (unitree_is_basic_cell):
 * d->unit, competent and owner are left NULL (issue 13: the summary of the
 * only root, where every owner counts, without a tree of every unit). */
int queue_waiting_basic(int basic, const struct step *steps, size_t nsteps, kn_date extended,
			kn_date as_of, const struct policy *policy, struct calendar *cal,
			struct queue_dossier *d);

/* 1 when the waiting dossier d counts for unit `at`: at is d's competent
 * committee (its owner) or a unit above it. */
int queue_counts_for(const struct queue_dossier *d, const struct unode *at);

/* 1 when d is past its DL-DECISION due date. */
int queue_overdue(const struct queue_dossier *d);

#endif
