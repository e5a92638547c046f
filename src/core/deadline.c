/*
 * deadline.c — the open deadlines of a candidacy (RULES.md §4).
 *
 * A deadline opens with the step it counts from and stays open until the
 * step it waits for is recorded; a closed candidacy (an ending step or
 * `official`) has none. Only steps dated on or before as_of count, so the
 * same function answers "what was open on that date". Where a step was
 * recorded more than once (trained, introduced) the latest one counts.
 * Working-day deadlines go through the calendar; the certificate and
 * dossier deadlines are calendar months, the same arithmetic as KN-CERT
 * and KN-DOSSIER-AGE (the due date is the last day a cell meeting passes).
 * Deadlines come out in the order of the table of RULES.md §4. The
 * decision's extension (RULES.md §4's "+30 with extension") is not a
 * step: the caller hands its date in (deadlines_for_ext).
 */
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

static void add(struct deadline **out, size_t *n, const char *code, kn_date due,
		kn_date as_of, struct calendar *cal)
{
	*out = xreallocarray(*out, *n + 1, sizeof(**out));
	(*out)[*n].code = code;
	(*out)[*n].due = due;
	(*out)[*n].workdays_left = calendar_count_workdays(cal, as_of, due);
	(*out)[*n].extended = 0;
	(*n)++;
}

size_t deadlines_for(const struct step *steps, size_t nsteps, kn_date as_of,
		     const struct policy *policy, struct calendar *cal,
		     struct deadline **out)
{
	return deadlines_for_ext(steps, nsteps, KN_DATE_NONE, as_of, policy, cal, out);
}

size_t deadlines_for_ext(const struct step *steps, size_t nsteps, kn_date extended,
			 kn_date as_of, const struct policy *policy, struct calendar *cal,
			 struct deadline **out)
{
	const struct step *last[STEP__COUNT] = { 0 };
	size_t n = 0;

	*out = NULL;
	if (!policy || !cal)
		return 0;
	for (size_t i = 0; i < nsteps; i++) {
		const struct step *s = &steps[i];
		const struct step_info *si = step_info(s->code);
		if (!si || s->date == KN_DATE_NONE || s->date > as_of)
			continue;
		if (si->ending || s->code == STEP_OFFICIAL)
			return 0;
		if (!last[s->code] || s->date >= last[s->code]->date)
			last[s->code] = s;
	}

	if (last[STEP_CELL_VOTE] && !last[STEP_DECISION]) {
		/* The extension counts once it is recorded (on or before
		 * as_of), and only for the dossier it was given to: one dated
		 * before the latest cell vote was for an earlier vote. */
		int ext = extended != KN_DATE_NONE && extended <= as_of &&
			  extended >= last[STEP_CELL_VOTE]->date;
		add(out, &n, "DL-DECISION",
		    calendar_add_workdays(cal, last[STEP_CELL_VOTE]->date,
					  policy->deadline_decision_workdays +
					  (ext ? policy->deadline_decision_extension_workdays : 0)),
		    as_of, cal);
		(*out)[n - 1].extended = ext;
	}
	if (last[STEP_DECISION] && !last[STEP_CEREMONY])
		add(out, &n, "DL-CEREMONY",
		    calendar_add_workdays(cal, last[STEP_DECISION]->date,
					  policy->deadline_ceremony_workdays),
		    as_of, cal);
	if (last[STEP_CEREMONY] && !last[STEP_PROBATION_VOTE])
		add(out, &n, "DL-PROBATION-VOTE",
		    calendar_add_workdays(cal,
					  date_add_months(last[STEP_CEREMONY]->date,
							  policy->probation_months),
					  policy->deadline_probation_vote_workdays),
		    as_of, cal);
	if (last[STEP_PROBATION_VOTE] && !last[STEP_OFFICIAL])
		add(out, &n, "DL-OFFICIAL",
		    calendar_add_workdays(cal, last[STEP_PROBATION_VOTE]->date,
					  policy->deadline_official_workdays),
		    as_of, cal);
	if (last[STEP_TRAINED] && !last[STEP_CELL_VOTE])
		add(out, &n, "DL-CERT-EXPIRY",
		    date_add_months(last[STEP_TRAINED]->date, policy->certificate_valid_months),
		    as_of, cal);
	if (last[STEP_INTRODUCED] && !last[STEP_CELL_VOTE])
		add(out, &n, "DL-DOSSIER",
		    date_add_months(last[STEP_INTRODUCED]->date, policy->dossier_max_age_months),
		    as_of, cal);
	return n;
}

static const struct {
	const char *code, *words;
} words_of[] = {
	{ "DL-DECISION", N_("Deadline for the admission decision") },
	{ "DL-CEREMONY", N_("Deadline for the admission ceremony") },
	{ "DL-PROBATION-VOTE", N_("Deadline for the cell's vote on full membership") },
	{ "DL-OFFICIAL", N_("Deadline for the full membership decision") },
	{ "DL-CERT-EXPIRY", N_("The awareness class certificate expires") },
	{ "DL-DOSSIER", N_("The introductions expire") },
	/* issue 15: transfers */
	{ "DL-TRANSFER", N_("The transfer letter is to be presented at the destination") },
};

const char *deadline_words(const char *code)
{
	for (size_t i = 0; code && i < sizeof(words_of) / sizeof(*words_of); i++)
		if (strcmp(words_of[i].code, code) == 0)
			return _(words_of[i].words);
	return code;
}

void deadline_label(const char *code, struct buf *out)
{
	const char *words = deadline_words(code);
	if (words == code)
		buf_adds(out, code ? code : "");
	else
		buf_addf(out, "%s (%s)", words, code);
}
