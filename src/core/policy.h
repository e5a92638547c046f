/*
 * policy.h — the effective-dated parameters of RULES.md §7.
 *
 * The numbers in the rules are data: rows of (key, from, value) kept in the
 * database, so that a step is judged by the rules in force on its date.
 * policy_resolve() folds the rows into a struct policy for one date: for
 * each key, the row with the latest `from` on or before that date wins
 * (a row without `from` applies since always). Values are integers, or
 * fractions written ">=2/3" (at least) and ">1/2" (more than), or an
 * education level "9/12".
 */
#ifndef KN_POLICY_H
#define KN_POLICY_H

#include <stddef.h>

#include "util/buf.h"
#include "util/date.h"

struct fraction {
	int num, den;
	int strict;		/* 1: more than num/den; 0: at least */
};

struct policy {
	int age_min_years;
	int age_max_years;
	int edu_min;			/* 9 for "9/12" */
	int edu_min_special_area;	/* 5 for "5/12" */
	int certificate_valid_months;
	int introducer_min_months;
	int dossier_max_age_months;
	int cell_min_full_members;
	struct fraction cell_vote;
	struct fraction committee_vote;
	int probation_months;
	int deadline_decision_workdays;
	int deadline_decision_extension_workdays;
	int deadline_ceremony_workdays;
	int deadline_probation_vote_workdays;
	int deadline_official_workdays;
	int deadline_transfer_workdays;	/* issue 15: DL-TRANSFER */
	int readmit_wait_months;	/* RULES.md §9, KN-READMIT-WAIT */
	int readmit_crime_wait_months;
};

struct policy_row {
	const char *key;
	kn_date from;		/* KN_DATE_NONE: since always */
	const char *value;
};

/* The defaults of RULES.md §7, which `init` writes into a new database. */
const struct policy_row *policy_default_rows(size_t *n);

/* Resolve rows for date `on`. Keys missing from rows take the defaults.
 * Returns 0, or -1 with a message in err for an unknown key or a bad value. */
int policy_resolve(const struct policy_row *rows, size_t n, kn_date on,
		   struct policy *out, struct buf *err);

/* Check one row as policy_resolve() would read it: 0, or -1 with a
 * message in err naming the key and the form its value takes (an unknown
 * key lists the known ones). For `policy set` and the policy page. */
int policy_check(const char *key, const char *value, struct buf *err);

/* For each key of RULES.md §7, in the key table's order, the row in force
 * on `on`: one of rows (the database's), or else the default row for
 * that date. out must hold policy_nkeys() pointers; they are borrowed
 * from rows or the defaults. Returns 0, or -1 with a message in err when a
 * row has an unknown key or a bad value. */
int policy_in_force(const struct policy_row *rows, size_t n, kn_date on,
		    const struct policy_row **out, struct buf *err);
size_t policy_nkeys(void);

/* 1 if votes_for out of total satisfies the fraction. */
int fraction_met(const struct fraction *f, int votes_for, int total);

#endif
