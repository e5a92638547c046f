/*
 * readmit.c — see readmit.h. Re-admission (RULES.md §9): a person who
 * once was a member and left may be admitted again, once in a lifetime,
 * never after certain reasons, after a wait, with the province-level
 * consent, and by the district-level committee. The rules judge the
 * person's §9 facts as they stand when the step is recorded; whether the
 * candidacy is a re-admission at all was fixed when its source was
 * recorded (candidacies.readmission, migration 010), so that leaving
 * again later changes neither the rules nor last year's figures.
 */
#include <string.h>

#include "core/readmit.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/banned.h"

/* The reasons a person can never be re-admitted for (§9,
 * KN-READMIT-NEVER); population_policy is treated as other. */
static const char *const never[] = {
	"abandoned", "resigned", "disunity", "corruption", "serious_crime", NULL,
};

/* Each left_reason as messages name it. */
static const struct {
	const char *code;
	const char *label;
} reasons[] = {
	{ "struck_off", N_("struck off") },
	{ "expelled", N_("expelled") },
	{ "resigned", N_("resigned from the Party") },
	{ "resigned_family", N_("resigned for family hardship") },
	{ "abandoned", N_("abandoned Party activity") },
	{ "disunity", N_("caused serious disunity") },
	{ "corruption", N_("convicted of corruption") },
	{ "serious_crime", N_("convicted of a serious crime") },
	{ "minor_crime", N_("convicted of a less serious crime") },
	{ "population_policy", N_("breached the population policy") },
	{ "other", N_("other reason") },
};

const char *readmit_reason_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reasons[i].code, code) == 0)
			return _(reasons[i].label);
	return code ? code : "?";
}

static const char *who(const struct rule_facts *f)
{
	if (f->person && f->person->full_name && *f->person->full_name)
		return f->person->full_name;
	if (f->person && f->person->ref && *f->person->ref)
		return f->person->ref;
	return _("the candidate");
}

int readmit_leaving(const struct person *p, const struct candidacy *c, size_t nc,
		    kn_date source, kn_date *on, const char **reason)
{
	*on = KN_DATE_NONE;
	*reason = NULL;
	if (source == KN_DATE_NONE)
		return 0;
	if (p && p->left_on != KN_DATE_NONE && p->left_on <= source) {
		*on = p->left_on;
		*reason = p->left_reason;
		return 1;
	}
	for (size_t i = 0; i < nc; i++) {
		kn_date dec = KN_DATE_NONE, off = KN_DATE_NONE;
		for (size_t j = 0; j < c[i].nsteps; j++)
			if (c[i].steps[j].code == STEP_DECISION)
				dec = c[i].steps[j].date;
			else if (c[i].steps[j].code == STEP_STRUCK_OFF)
				off = c[i].steps[j].date;
		if (dec != KN_DATE_NONE && off != KN_DATE_NONE && off <= source &&
		    (*on == KN_DATE_NONE || off > *on)) {
			*on = off;
			*reason = "struck_off";
		}
	}
	return *on != KN_DATE_NONE;
}

struct unode *readmit_authority(struct unode *n)
{
	for (n = n ? n->parent : NULL; n; n = n->parent)
		if ((n->u.kind == UNIT_UPPER || n->u.kind == UNIT_PROVINCE) && n->u.may_admit)
			return n;
	return NULL;
}

int readmit_already(const struct person *p, const struct candidacy *c, size_t nc,
		    kn_date source)
{
	for (size_t i = 0; i < nc; i++)
		if (c[i].readmission)
			for (size_t j = 0; j < c[i].nsteps; j++)
				if (c[i].steps[j].code == STEP_DECISION)
					return 1;
	if (!p || !p->readmitted)
		return 0;
	if (p->left_on != KN_DATE_NONE && source != KN_DATE_NONE && p->left_on > source)
		return 0;
	/* The flag's admission is this candidacy's when the row shows an
	 * admission after both the leaving and this source (the export of
	 * a re-admitted member: member_since is the new decision). */
	if (p->member_since != KN_DATE_NONE && source != KN_DATE_NONE &&
	    p->member_since >= source &&
	    (p->left_on == KN_DATE_NONE || p->member_since > p->left_on))
		return 0;
	return 1;
}

/* KN-READMIT-NEVER: never after abandoned, resigned, disunity, corruption
 * or serious_crime; a reason must be recorded to judge it. */
int readmit_check_never(const struct rule_facts *f, struct buf *msg)
{
	const char *reason = f->readmit_left_reason;

	if (!f->readmission)
		return 0;
	if (!reason) {
		buf_addf(msg, _("%s left the Party on %s, but why is not recorded; record the reason (left_reason) before a re-admission is considered."),
			 who(f), date_user(f->readmit_left_on).s);
		return 1;
	}
	for (size_t i = 0; never[i]; i++)
		if (strcmp(reason, never[i]) == 0) {
			buf_addf(msg, _("%s left the Party on %s (%s); a person who left for that reason can never be re-admitted, so end the candidacy (or correct left_reason if it is wrong)."),
				 who(f), date_user(f->readmit_left_on).s, readmit_reason_label(reason));
			return 1;
		}
	return 0;
}

/* KN-READMIT-ONCE: re-admitted at most once in a lifetime. */
int readmit_check_once(const struct rule_facts *f, struct buf *msg)
{
	if (!f->readmission || !f->readmit_already)
		return 0;
	buf_addf(msg, _("%s was already re-admitted once and left the Party again on %s; nobody is re-admitted twice, so end the candidacy (or correct readmitted if it is wrong)."),
		 who(f), date_user(f->readmit_left_on).s);
	return 1;
}

/* KN-READMIT-WAIT: the cell meets at least readmit.wait_months after
 * left_on, and after a minor_crime at least readmit.crime_wait_months
 * after the criminal record was cleared. */
int readmit_check_wait(const struct rule_facts *f, struct buf *msg)
{
	const struct person *p = f->person;
	kn_date left = f->readmit_left_on;
	const char *reason = f->readmit_left_reason;
	kn_date d = f->step->date, due;
	int wait = f->policy->readmit_wait_months;
	int crime_wait = f->policy->readmit_crime_wait_months;
	int m;

	if (!f->readmission)
		return 0;
	if (left == KN_DATE_NONE) {
		buf_addf(msg, _("%s is being re-admitted, but the date they left the Party is not recorded; record left_on."),
			 who(f));
		return 1;
	}
	due = date_add_months(left, wait);
	if (d == KN_DATE_NONE || d < due) {
		m = d == KN_DATE_NONE ? 0 : date_months_between(left, d);
		buf_addf(msg, _("%s left the Party on %s, only %d months before the cell meeting on %s; a re-admission needs at least %d months, so hold the cell meeting on or after %s."),
			 who(f), date_user(left).s, m < 0 ? 0 : m, date_user(d).s, wait, date_user(due).s);
		return 1;
	}
	if (!reason || strcmp(reason, "minor_crime") != 0)
		return 0;
	if (p->record_cleared_on == KN_DATE_NONE) {
		buf_addf(msg, _("%s left the Party after a conviction for a less serious crime, and the date their criminal record was cleared is not recorded; record record_cleared_on, then hold the cell meeting at least %d months after it."),
			 who(f), crime_wait);
		return 1;
	}
	due = date_add_months(p->record_cleared_on, crime_wait);
	if (d >= due)
		return 0;
	m = date_months_between(p->record_cleared_on, d);
	buf_addf(msg, _("The criminal record of %s was cleared on %s, only %d months before the cell meeting on %s; after a less serious crime at least %d months are needed, so hold the cell meeting on or after %s."),
		 who(f), date_user(p->record_cleared_on).s, m < 0 ? 0 : m, date_user(d).s, crime_wait, date_user(due).s);
	return 1;
}

/* KN-READMIT-CONSENT: the province-level standing committee's written
 * consent, recorded with the cell meeting. */
int readmit_check_consent(const struct rule_facts *f, struct buf *msg)
{
	if (!f->readmission || (f->step->consent && *f->step->consent))
		return 0;
	buf_addf(msg, _("%s is being re-admitted, which needs the written consent of the province-level standing committee; record its document number (consent) with the cell meeting."),
		 who(f));
	return 1;
}

/* KN-READMIT-AUTHORITY: decided by the district-level committee. */
int readmit_check_authority(const struct rule_facts *f, struct buf *msg)
{
	if (!f->readmission)
		return 0;
	if (!f->readmit_authority) {
		buf_addf(msg, _("No unit of kind upper or province above the cell of %s may admit members, so nobody can decide the re-admission; set may_admit on the district-level committee."),
			 who(f));
		return 1;
	}
	if (f->acting_unit && strcmp(f->acting_unit, f->readmit_authority) != 0) {
		buf_addf(msg, _("The re-admission of %s must be decided by %s (the district-level committee), not %s; record the decision for that committee or as one of its users."),
			 who(f), f->readmit_authority, f->acting_unit);
		return 1;
	}
	return 0;
}
