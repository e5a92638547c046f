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
	int extended;		/* DL-DECISION moved by the extension */
};

/* Sets *out to a new heap array (NULL when none; caller frees) and returns the count.
 * `policy` is resolved for as_of. */
size_t deadlines_for(const struct step *steps, size_t nsteps, kn_date as_of,
		     const struct policy *policy, struct calendar *cal,
		     struct deadline **out);

/* The same, with the DL-DECISION extension (issue 15) the competent
 * committee recorded on `extended` (KN_DATE_NONE: none): from that date
 * on, DL-DECISION is deadline.decision_extension_workdays later. An
 * extension dated after as_of did not exist yet. deadlines_for() is this
 * without an extension. */
size_t deadlines_for_ext(const struct step *steps, size_t nsteps, kn_date extended,
			 kn_date as_of, const struct policy *policy, struct calendar *cal,
			 struct deadline **out);

/* A deadline named in words, in the user's language, for people: "The
 * awareness class certificate expires"; the code itself when unknown. */
const char *deadline_words(const char *code);
/* The words with the code beside, "Deadline for the admission decision
 * (DL-DECISION)", appended to out. */
void deadline_label(const char *code, struct buf *out);

#endif
