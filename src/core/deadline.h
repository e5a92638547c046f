/*
 * deadline.h — the open deadlines of a candidacy (RULES.md §4).
 *
 * Deadlines are alerts, not blocks. deadlines_for() looks at one
 * candidacy's steps as they stood on `as_of` (steps dated later do not
 * count) and lists each deadline that is still open: its code, the due
 * date, working days left (negative when overdue).
 */
#ifndef KN_DEADLINE_H
#define KN_DEADLINE_H

#include "util/buf.h"

#include <stddef.h>

#include "core/calendar.h"
#include "core/model.h"
#include "core/policy.h"

struct deadline {
	const char *code;	/* "DL-DECISION" (static) */
	kn_date due;
	int workdays_left;	/* < 0: overdue */
};

/* Sets *out to a new heap array (NULL when none; caller frees) and returns the count.
 * `policy` is resolved for as_of. */
size_t deadlines_for(const struct step *steps, size_t nsteps, kn_date as_of,
		     const struct policy *policy, struct calendar *cal,
		     struct deadline **out);

/* A deadline named in words, in the user's language, for people: "The
 * awareness class certificate expires"; the code itself when unknown. */
const char *deadline_words(const char *code);
/* The words with the code beside, "Deadline for the admission decision
 * (DL-DECISION)", appended to out. */
void deadline_label(const char *code, struct buf *out);

#endif
