/*
 * rules.h — the rule book of RULES.md §3 as pure functions.
 *
 * A rule is a row of the rule table: its code, the steps it applies to,
 * and a function over the facts that appends a message when the rule is
 * broken. Nothing here reads the database: the caller (core/candidacy.c)
 * gathers the facts, so every rule is tested without one.
 *
 * Messages are in the user's language (gettext), one sentence each,
 * naming the fact that failed and what would fix it, without the code:
 * "Nguyễn Văn A is 17 years 11 months old on 12/03/2011 (cell meeting);
 * the minimum is 18 years."
 */
#ifndef KN_RULES_H
#define KN_RULES_H

#include <stddef.h>

#include "core/calendar.h"
#include "core/model.h"
#include "core/policy.h"
#include "util/buf.h"

struct introducer_facts {
	const char *ref;	/* as given on the step */
	int found;		/* the ref names a person in the database */
	const char *full_name;
	kn_date member_since;	/* KN_DATE_NONE when not a member */
	kn_date official_since;	/* KN_DATE_NONE when not a full member */
	kn_date since;		/* has known the candidate since */
};

struct rule_facts {
	const struct person *person;	/* the candidate */
	const struct step *step;	/* the step to record */
	const struct step *prior;	/* the open candidacy's steps, in order */
	size_t nprior;			/* 0 for a source step */
	int has_open_candidacy;		/* KN-OPEN: an open candidacy exists */
	int is_member;			/* KN-OPEN: a member on the step's date */
	kn_date member_since;		/* KN-OPEN: admitted on, when is_member */
	int basic_cell;			/* considering unit is a chi bộ cơ sở:
					   committee_vote does not apply */
	int special_area;		/* considering unit or an ancestor */
	const char *competent;		/* competent committee's code, or NULL */
	const char *acting_unit;	/* unit recording a decision/official
					   (the step's org or the user's unit);
					   NULL: an administrator acting for the
					   competent committee */
	int youth_union_member;		/* candidate is in the Youth Union */
	int trade_union_member;
	struct introducer_facts intro[2];
	int nintro;
	/* RULES.md §9 (issue 15: re-admission, core/readmit.h): the
	 * candidacy is a re-admission (at source: would be), and the code of
	 * the unit that decides re-admissions, or NULL. */
	int readmission;
	const char *readmit_authority;
	/* the leaving before the candidacy (readmit_leaving()), and, at
	 * source, whether an earlier re-admission happened (readmit_already) */
	kn_date readmit_left_on;
	const char *readmit_left_reason;
	int readmit_already;
	kn_date today;
	const struct policy *policy;	/* resolved for the step's date */
	struct calendar *cal;
};

struct violation {
	const char *code;	/* "KN-AGE" (static) */
	char *message;		/* owned */
};

struct violations {
	struct violation *v;
	size_t n;
};

struct rule_info {
	const char *code;
	unsigned steps;		/* bit (1u << step_code) for each step it checks */
	/* Returns 1 and appends one message to msg when broken, else 0. */
	int (*check)(const struct rule_facts *f, struct buf *msg);
};

const struct rule_info *rules_table(size_t *n);

/* A step as people name it, translated: "cell meeting" (static). */
const char *step_label(enum step_code c);

/* Run every rule that applies to f->step, in table order, appending each
 * broken one to out. Returns the number appended. */
size_t rules_check(const struct rule_facts *f, struct violations *out);

void violations_add(struct violations *vs, const char *code, const char *msg);
void violations_release(struct violations *vs);

#endif
