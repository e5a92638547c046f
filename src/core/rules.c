/*
 * rules.c — the rule book of RULES.md §3: one static function per rule
 * code and the rule table that says which steps each one checks.
 *
 * Every check is a pure function of struct rule_facts: the caller has
 * gathered the candidate, the step to record, the open candidacy's earlier
 * steps, the introducers and the policy in force on the step's date. A
 * check returns 1 and appends one sentence to msg when its rule is broken:
 * translated through gettext, naming the person or fact, the value that
 * failed and the fix. The caller validates that a step carries its
 * required facts before the rules run; a check that finds one absent all
 * the same treats it as a failure of its own rule (a missing certificate
 * fails KN-CERT) rather than crashing, except where the missing fact is
 * only the order of steps, which KN-ORDER reports.
 */
#include <stdlib.h>
#include <string.h>

#include "core/readmit.h"
#include "core/rules.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Steps as messages name them: "(cell meeting)". */
static const char *const labels[STEP__COUNT] = {
	[STEP_SOURCE] = N_("nomination as a Party sympathiser"),
	[STEP_MENTOR] = N_("mentor assignment"),
	[STEP_TRAINED] = N_("Party awareness course"),
	[STEP_APPLIED] = N_("application"),
	[STEP_VERIFIED] = N_("background check"),
	[STEP_INTRODUCED] = N_("introduction"),
	[STEP_CELL_VOTE] = N_("cell meeting"),
	[STEP_COMMITTEE_VOTE] = N_("grassroots committee meeting"),
	[STEP_DECISION] = N_("admission decision"),
	[STEP_CEREMONY] = N_("admission ceremony"),
	[STEP_PROBATION_VOTE] = N_("cell meeting on full membership"),
	[STEP_OFFICIAL] = N_("full-membership decision"),
	[STEP_WITHDRAWN] = N_("withdrawal"),
	[STEP_REJECTED] = N_("rejection"),
	[STEP_STRUCK_OFF] = N_("striking off"),
};

const char *step_label(enum step_code c)
{
	if (c <= STEP_NONE || c >= STEP__COUNT)
		return "?";
	return _(labels[c]);
}

static const char *label(enum step_code c)
{
	return step_label(c);
}

/* The candidate as messages name them. */
static const char *who(const struct rule_facts *f)
{
	if (f->person && f->person->full_name && *f->person->full_name)
		return f->person->full_name;
	if (f->person && f->person->ref && *f->person->ref)
		return f->person->ref;
	return _("the candidate");
}

static const char *intro_name(const struct introducer_facts *in)
{
	if (in->full_name && *in->full_name)
		return in->full_name;
	return in->ref ? in->ref : "?";
}

/* The latest (last recorded) prior step with code c, or NULL. */
static const struct step *last_of(const struct rule_facts *f, enum step_code c)
{
	for (size_t i = f->nprior; f->prior && i > 0; i--)
		if (f->prior[i - 1].code == c)
			return &f->prior[i - 1];
	return NULL;
}

/* The smallest number of votes out of total that meets fr. */
static int votes_needed(const struct fraction *fr, int total)
{
	long long p = (long long)fr->num * total;
	if (fr->den <= 0)
		return total;
	if (fr->strict)
		return (int)(p / fr->den + 1);
	return (int)((p + fr->den - 1) / fr->den);
}

/* KN-ORDER: earlier steps present, dates non-decreasing, nothing in the
 * future, and the exceptions of RULES.md §2 (mentor, repeated trained and
 * introduced, committee_vote skipped for a chi bộ cơ sở). */
static int check_order(const struct rule_facts *f, struct buf *msg)
{
	const struct step *s = f->step;
	enum step_code c = s->code;
	const struct step_info *si = step_info(c);
	const struct step *latest = NULL;

	if (!si) {
		buf_addf(msg, _("Unknown step; use one of the step codes of RULES.md §2."));
		return 1;
	}
	if (s->date == KN_DATE_NONE) {
		buf_addf(msg, _("The %s of %s has no date; record the date."), label(c), who(f));
		return 1;
	}
	if (f->today != KN_DATE_NONE && s->date > f->today) {
		buf_addf(msg, _("The %s of %s is dated %s, after today (%s); record a step only once it has happened."),
			 label(c), who(f), date_user(s->date).s, date_user(f->today).s);
		return 1;
	}
	if (c == STEP_SOURCE) {
		if (f->nprior > 0 && f->prior) {
			buf_addf(msg, _("%s already has a candidacy open since %s; a source step starts a new candidacy, so end the open one first (withdrawn or rejected)."),
				 who(f), date_user(f->prior[0].date).s);
			return 1;
		}
		return 0;
	}
	if (f->nprior == 0 || !f->prior) {
		buf_addf(msg, _("%s has no open candidacy, so the %s cannot be recorded; record source first."),
			 who(f), label(c));
		return 1;
	}
	for (size_t i = 0; i < f->nprior; i++) {
		const struct step_info *pi = step_info(f->prior[i].code);
		if (pi && (pi->ending || pi->code == STEP_OFFICIAL)) {
			buf_addf(msg, _("The candidacy of %s is closed (%s on %s); record source to start a new one."),
				 who(f), label(pi->code), date_user(f->prior[i].date).s);
			return 1;
		}
	}
	if (c == STEP_MENTOR) {
		const struct step *src = last_of(f, STEP_SOURCE);
		if (src && src->date != KN_DATE_NONE && s->date < src->date) {
			buf_addf(msg, _("The mentor assignment of %s is dated %s, before the source step of %s; date it on or after that day."),
				 who(f), date_user(s->date).s, date_user(src->date).s);
			return 1;
		}
		return 0;
	}
	if (c == STEP_COMMITTEE_VOTE && f->basic_cell) {
		buf_addf(msg, _("The grassroots committee meeting does not apply to %s, who is considered by a chi bộ cơ sở; record the decision next."),
			 who(f));
		return 1;
	}
	if (si->ordered) {
		for (int e = STEP_SOURCE; e < (int)c; e++) {
			const struct step_info *ei = step_info((enum step_code)e);
			if (!ei->ordered || (e == STEP_COMMITTEE_VOTE && f->basic_cell))
				continue;
			if (!last_of(f, (enum step_code)e)) {
				buf_addf(msg, _("The %s of %s cannot be recorded before the %s; record that step first."),
					 label(c), who(f), label((enum step_code)e));
				return 1;
			}
		}
		if (c == STEP_TRAINED || c == STEP_INTRODUCED) {
			const struct step *cv = last_of(f, STEP_CELL_VOTE);
			if (cv) {
				buf_addf(msg, _("The %s of %s cannot be recorded again after the cell meeting of %s; it may be repeated only before the cell meeting."),
					 label(c), who(f), date_user(cv->date).s);
				return 1;
			}
		} else {
			const struct step *again = last_of(f, c);
			if (again) {
				buf_addf(msg, _("The %s of %s was already recorded on %s and cannot be recorded twice; correct the recorded step instead of adding another."),
					 label(c), who(f), date_user(again->date).s);
				return 1;
			}
		}
	}
	/* Withdrawn, rejected and struck_off need only an open candidacy here
	 * (struck_off's window is KN-STRIKE's) and the date order below. */
	for (size_t i = 0; i < f->nprior; i++) {
		const struct step *p = &f->prior[i];
		if (p->code == STEP_MENTOR || p->date == KN_DATE_NONE)
			continue;
		if (!latest || p->date >= latest->date)
			latest = p;
	}
	if (latest && s->date < latest->date) {
		buf_addf(msg, _("The %s of %s is dated %s, earlier than the %s already recorded on %s; steps must be dated in order, so correct the date."),
			 label(c), who(f), date_user(s->date).s, label(latest->code), date_user(latest->date).s);
		return 1;
	}
	return 0;
}

/* KN-OPEN: one open candidacy at a time, and none for a member. The
 * ledger judges membership on the step's date (a person admitted later
 * was not yet a member then). */
static int check_open(const struct rule_facts *f, struct buf *msg)
{
	if (f->is_member && f->member_since != KN_DATE_NONE) {
		buf_addf(msg, _("%s has been a Party member since %s and cannot start a candidacy on %s; check that this is the right person and the dates."),
			 who(f), date_user(f->member_since).s, date_user(f->step->date).s);
		return 1;
	}
	if (f->is_member) {
		buf_addf(msg, _("%s is already a Party member and cannot start a candidacy; check that this is the right person."),
			 who(f));
		return 1;
	}
	if (f->has_open_candidacy) {
		buf_addf(msg, _("%s already has an open candidacy; end it (withdrawn or rejected) before starting a new one."),
			 who(f));
		return 1;
	}
	return 0;
}

/* Age in whole months on the step's date, or -1 with a message in msg
 * when the birth date is unknown or after the step. */
static int age_months(const struct rule_facts *f, struct buf *msg)
{
	const struct step *s = f->step;
	kn_date birth = f->person ? f->person->birth_date : KN_DATE_NONE;

	if (birth == KN_DATE_NONE) {
		buf_addf(msg, _("The birth date of %s is not recorded, so their age on %s (%s) is unknown; record the birth date."),
			 who(f), date_user(s->date).s, label(s->code));
		return -1;
	}
	if (s->date == KN_DATE_NONE || s->date < birth) {
		buf_addf(msg, _("The birth date of %s (%s) is after the %s of %s; correct the birth date."),
			 who(f), date_user(birth).s, label(s->code), date_user(s->date).s);
		return -1;
	}
	return date_months_between(birth, s->date);
}

/* KN-AGE: at least age.min_years on the cell meeting's date. */
static int check_age(const struct rule_facts *f, struct buf *msg)
{
	int m = age_months(f, msg);
	if (m < 0)
		return 1;
	if (m >= f->policy->age_min_years * 12)
		return 0;
	buf_addf(msg, ngettext("%s is %d years %d month old on %s (%s); the minimum is %d years.",
			       "%s is %d years %d months old on %s (%s); the minimum is %d years.",
			       (unsigned long)(m % 12)),
		 who(f), m / 12, m % 12, date_user(f->step->date).s, label(f->step->code),
		 f->policy->age_min_years);
	return 1;
}

/* KN-AGE-MAX: at most age.max_years (60y0m passes, 60y1m fails), unless
 * the province-level consent is recorded. */
static int check_age_max(const struct rule_facts *f, struct buf *msg)
{
	int m;
	if (f->step->consent && *f->step->consent)
		return 0;
	m = age_months(f, msg);
	if (m < 0)
		return 1;
	if (m <= f->policy->age_max_years * 12)
		return 0;
	buf_addf(msg, ngettext("%s is %d years %d month old on %s (%s), above the maximum of %d years; record the consent of the province-level standing committee (its document number) to admit them.",
			       "%s is %d years %d months old on %s (%s), above the maximum of %d years; record the consent of the province-level standing committee (its document number) to admit them.",
			       (unsigned long)(m % 12)),
		 who(f), m / 12, m % 12, date_user(f->step->date).s, label(f->step->code),
		 f->policy->age_max_years);
	return 1;
}

/* KN-EDU: education level against education.min, or the lower
 * education.min_special_area in a special area. */
static int check_edu(const struct rule_facts *f, struct buf *msg)
{
	int lvl = education_level(f->person ? f->person->education : NULL);
	int min = f->special_area ? f->policy->edu_min_special_area : f->policy->edu_min;

	if (lvl < 0) {
		buf_addf(msg, _("The education level of %s is not recorded; record it (e.g. 9/12) before the cell meeting."),
			 who(f));
		return 1;
	}
	if (lvl >= min)
		return 0;
	if (f->special_area)
		buf_addf(msg, _("The education of %s is %d/12; even in a special area the minimum is %d/12, so record a higher level if they have completed one."),
			 who(f), lvl, min);
	else
		buf_addf(msg, _("The education of %s is %d/12; the minimum is %d/12 (%d/12 only where the unit is flagged special_area), so record a higher level if they have completed one."),
			 who(f), lvl, min, f->policy->edu_min_special_area);
	return 1;
}

/* KN-CERT: the latest certificate no older than certificate.valid_months
 * on the cell meeting's date. */
static int check_cert(const struct rule_facts *f, struct buf *msg)
{
	const struct step *t = last_of(f, STEP_TRAINED);
	kn_date d = f->step->date;

	if (!t || t->date == KN_DATE_NONE) {
		buf_addf(msg, _("No Party awareness course is recorded for %s; record the certificate (trained) before the cell meeting."),
			 who(f));
		return 1;
	}
	if (d != KN_DATE_NONE &&
	    t->date >= date_add_months(d, -f->policy->certificate_valid_months))
		return 0;
	buf_addf(msg, _("The Party awareness certificate of %s is dated %s, more than %d months before the cell meeting on %s; record a new certificate (trained) first."),
		 who(f), date_user(t->date).s, f->policy->certificate_valid_months, date_user(d).s);
	return 1;
}

/* KN-INTRO-FULL: each introducer a full member on the introduction date. */
static int check_intro_full(const struct rule_facts *f, struct buf *msg)
{
	kn_date d = f->step->date;

	for (int i = 0; i < f->nintro && i < 2; i++) {
		const struct introducer_facts *in = &f->intro[i];
		if (!in->found) {
			buf_addf(msg, _("Introducer %s is not in the database; import them as a member, or correct the reference."),
				 in->ref ? in->ref : "?");
			return 1;
		}
		if (in->official_since == KN_DATE_NONE || d == KN_DATE_NONE ||
		    in->official_since > d) {
			buf_addf(msg, _("Introducer %s is not a full member on %s (the introduction of %s); only a full member may introduce, so choose another introducer."),
				 intro_name(in), date_user(d).s, who(f));
			return 1;
		}
	}
	return 0;
}

/* KN-INTRO-TIME: each introducer has known the candidate for
 * introducer.min_months on the introduction date. */
static int check_intro_time(const struct rule_facts *f, struct buf *msg)
{
	kn_date d = f->step->date;

	for (int i = 0; i < f->nintro && i < 2; i++) {
		const struct introducer_facts *in = &f->intro[i];
		int m;
		if (in->since == KN_DATE_NONE) {
			buf_addf(msg, _("The date from which introducer %s has worked, studied or lived with %s is not recorded; record that date."),
				 intro_name(in), who(f));
			return 1;
		}
		m = d == KN_DATE_NONE ? -1 : date_months_between(in->since, d);
		if (m >= f->policy->introducer_min_months)
			continue;
		buf_addf(msg, _("Introducer %s has known %s since %s, only %d months before the introduction on %s; at least %d months are needed, so choose another introducer or introduce later."),
			 intro_name(in), who(f), date_user(in->since).s, m < 0 ? 0 : m, date_user(d).s,
			 f->policy->introducer_min_months);
		return 1;
	}
	return 0;
}

static int same_ref(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

/* KN-INTRO-COUNT: two distinct members other than the candidate, or one
 * member with the Youth Union or the Trade Union for a candidate who is
 * a member of it. */
static int check_intro_count(const struct rule_facts *f, struct buf *msg)
{
	const char *org = f->step->org;
	const char *self = f->person ? f->person->ref : NULL;

	for (int i = 0; i < f->nintro && i < 2; i++)
		if (same_ref(f->intro[i].ref, self)) {
			buf_addf(msg, _("%s cannot introduce themself; choose another full member as introducer."),
				 who(f));
			return 1;
		}
	if (f->nintro >= 2) {
		if (!f->intro[0].ref || !f->intro[1].ref ||
		    strcmp(f->intro[0].ref, f->intro[1].ref) == 0) {
			buf_addf(msg, _("Both introducers of %s are the same person (%s); a second, different full member must introduce them."),
				 who(f), intro_name(&f->intro[0]));
			return 1;
		}
		return 0;
	}
	if (f->nintro == 1) {
		if (org && strcmp(org, "youth_union") == 0) {
			if (f->youth_union_member)
				return 0;
			buf_addf(msg, _("%s is not a Youth Union member, so the Youth Union cannot introduce them; two full members must introduce them instead."),
				 who(f));
			return 1;
		}
		if (org && strcmp(org, "trade_union") == 0) {
			if (f->trade_union_member)
				return 0;
			buf_addf(msg, _("%s is not a Trade Union member, so the Trade Union cannot introduce them; two full members must introduce them instead."),
				 who(f));
			return 1;
		}
		buf_addf(msg, _("%s has only one introducer (%s); a second full member must introduce them, or record the Youth Union or the Trade Union as the introducing organisation."),
			 who(f), intro_name(&f->intro[0]));
		return 1;
	}
	buf_addf(msg, _("%s has no introducer; two full members must introduce them (or one together with the Youth Union or the Trade Union)."),
		 who(f));
	return 1;
}

/* KN-DOSSIER-AGE: the latest introduction no older than
 * dossier.max_age_months on the cell meeting's date. */
static int check_dossier_age(const struct rule_facts *f, struct buf *msg)
{
	const struct step *in = last_of(f, STEP_INTRODUCED);
	kn_date d = f->step->date;

	if (!in || in->date == KN_DATE_NONE) {
		buf_addf(msg, _("No introduction is recorded for %s; record it (introduced) before the cell meeting."),
			 who(f));
		return 1;
	}
	if (d != KN_DATE_NONE &&
	    in->date >= date_add_months(d, -f->policy->dossier_max_age_months))
		return 0;
	buf_addf(msg, _("The introduction of %s is dated %s, more than %d months before the cell meeting on %s; record fresh introductions (introduced) first."),
		 who(f), date_user(in->date).s, f->policy->dossier_max_age_months, date_user(d).s);
	return 1;
}

/* KN-CELL-VOTE: enough full members, and the fraction of them for. */
static int check_cell_vote(const struct rule_facts *f, struct buf *msg)
{
	const struct step *s = f->step;
	const struct fraction *fr = &f->policy->cell_vote;

	if (s->votes_for == -1 || s->votes_total == -1) {
		buf_addf(msg, _("The votes of the %s on %s are not recorded; record the votes for and the number of full members."),
			 label(s->code), date_user(s->date).s);
		return 1;
	}
	if (s->votes_for < 0 || s->votes_total < 0 || s->votes_for > s->votes_total) {
		buf_addf(msg, _("The %s on %s records %d votes for out of %d full members, which is impossible (more votes than members); correct the figures."),
			 label(s->code), date_user(s->date).s, s->votes_for, s->votes_total);
		return 1;
	}
	if (s->votes_total < f->policy->cell_min_full_members) {
		buf_addf(msg, _("The cell had only %d full members at the %s on %s; at least %d are needed, so correct the number or have the case considered where enough full members sit."),
			 s->votes_total, label(s->code), date_user(s->date).s, f->policy->cell_min_full_members);
		return 1;
	}
	if (fraction_met(fr, s->votes_for, s->votes_total))
		return 0;
	if (fr->strict)
		buf_addf(msg, _("Only %d of %d full members voted for %s at the %s on %s; more than %d/%d (%d votes) are needed, so the proposal did not pass: record it as rejected (or struck_off during probation) instead."),
			 s->votes_for, s->votes_total, who(f), label(s->code), date_user(s->date).s,
			 fr->num, fr->den, votes_needed(fr, s->votes_total));
	else
		buf_addf(msg, _("Only %d of %d full members voted for %s at the %s on %s; at least %d/%d (%d votes) are needed, so the proposal did not pass: record it as rejected (or struck_off during probation) instead."),
			 s->votes_for, s->votes_total, who(f), label(s->code), date_user(s->date).s,
			 fr->num, fr->den, votes_needed(fr, s->votes_total));
	return 1;
}

/* KN-COMMITTEE-VOTE: committee.vote_fraction in force on the step's date
 * (the caller resolved f->policy for it). */
static int check_committee_vote(const struct rule_facts *f, struct buf *msg)
{
	const struct step *s = f->step;
	const struct fraction *fr = &f->policy->committee_vote;

	if (s->votes_for == -1 || s->votes_total == -1) {
		buf_addf(msg, _("The votes of the %s on %s are not recorded; record the votes for and the number of committee members."),
			 label(s->code), date_user(s->date).s);
		return 1;
	}
	if (s->votes_for < 0 || s->votes_total <= 0 || s->votes_for > s->votes_total) {
		buf_addf(msg, _("The %s on %s records %d votes for out of %d committee members, which is impossible (more votes than members); correct the figures."),
			 label(s->code), date_user(s->date).s, s->votes_for, s->votes_total);
		return 1;
	}
	if (fraction_met(fr, s->votes_for, s->votes_total))
		return 0;
	if (fr->strict)
		buf_addf(msg, _("Only %d of %d committee members voted for %s at the %s on %s; more than %d/%d (%d votes) are needed, so the proposal did not pass: record it as rejected instead."),
			 s->votes_for, s->votes_total, who(f), label(s->code), date_user(s->date).s,
			 fr->num, fr->den, votes_needed(fr, s->votes_total));
	else
		buf_addf(msg, _("Only %d of %d committee members voted for %s at the %s on %s; at least %d/%d (%d votes) are needed, so the proposal did not pass: record it as rejected instead."),
			 s->votes_for, s->votes_total, who(f), label(s->code), date_user(s->date).s,
			 fr->num, fr->den, votes_needed(fr, s->votes_total));
	return 1;
}

/* KN-AUTHORITY: decision and official only by the competent committee. */
static int check_authority(const struct rule_facts *f, struct buf *msg)
{
	/* A re-admission is decided higher up: KN-READMIT-AUTHORITY's. */
	if (f->readmission && f->step->code == STEP_DECISION)
		return 0;
	if (!f->competent) {
		buf_addf(msg, _("No unit at or above the grassroots unit of %s may admit members, so nobody can record the %s; set may_admit on the competent committee."),
			 who(f), label(f->step->code));
		return 1;
	}
	if (f->acting_unit && strcmp(f->acting_unit, f->competent) != 0) {
		buf_addf(msg, _("The %s of %s must be recorded for the competent committee %s, not %s; record it for that committee or as one of its users."),
			 label(f->step->code), who(f), f->competent, f->acting_unit);
		return 1;
	}
	return 0;
}

/* KN-CEREMONY-LATE: within deadline.ceremony_workdays working days of the
 * decision, unless the higher committee's consent is recorded. Without a
 * decision there is nothing to be late after: KN-ORDER reports it. */
static int check_ceremony_late(const struct rule_facts *f, struct buf *msg)
{
	const struct step *dec = last_of(f, STEP_DECISION);
	struct calendar *cal = f->cal;
	kn_date d = f->step->date;
	int n;

	if (f->step->consent && *f->step->consent)
		return 0;
	if (!dec || dec->date == KN_DATE_NONE || d == KN_DATE_NONE)
		return 0;
	if (!cal)
		cal = calendar_new();
	n = calendar_count_workdays(cal, dec->date, d);
	if (cal != f->cal)
		calendar_free(cal);
	if (n <= f->policy->deadline_ceremony_workdays)
		return 0;
	buf_addf(msg, _("The admission ceremony of %s on %s is %d working days after the decision of %s; the limit is %d working days, so record the higher committee's consent to hold it later."),
		 who(f), date_user(d).s, n, date_user(dec->date).s, f->policy->deadline_ceremony_workdays);
	return 1;
}

/* KN-PROBATION: the cell considers full membership only once the
 * probation (ceremony + probation.months) has ended. */
static int check_probation(const struct rule_facts *f, struct buf *msg)
{
	const struct step *cer = last_of(f, STEP_CEREMONY);
	kn_date end;

	if (!cer || cer->date == KN_DATE_NONE) {
		buf_addf(msg, _("%s has no admission ceremony recorded, so their probation has not started; record the ceremony first."),
			 who(f));
		return 1;
	}
	end = date_add_months(cer->date, f->policy->probation_months);
	if (f->step->date != KN_DATE_NONE && f->step->date >= end)
		return 0;
	buf_addf(msg, _("The probation of %s runs until %s (%d months after the ceremony of %s); the cell may consider full membership from that date, not on %s."),
		 who(f), date_user(end).s, f->policy->probation_months, date_user(cer->date).s,
		 date_user(f->step->date).s);
	return 1;
}

/* KN-STRIKE: struck_off only during probation. */
static int check_strike(const struct rule_facts *f, struct buf *msg)
{
	const struct step *off = last_of(f, STEP_OFFICIAL);

	if (off) {
		buf_addf(msg, _("%s is already a full member (decision of %s); striking off applies only during probation, so handle it under the rules for full members."),
			 who(f), date_user(off->date).s);
		return 1;
	}
	if (!last_of(f, STEP_CEREMONY)) {
		buf_addf(msg, _("%s is not a probationary member (no admission ceremony recorded); before the ceremony record withdrawn or rejected instead of struck_off."),
			 who(f));
		return 1;
	}
	return 0;
}

#define B(s) (1u << (s))
#define ALL_STEPS (((1u << STEP__COUNT) - 1) & ~1u)

static const struct rule_info table[] = {
	{ "KN-ORDER", ALL_STEPS, check_order },
	{ "KN-OPEN", B(STEP_SOURCE), check_open },
	{ "KN-AGE", B(STEP_CELL_VOTE), check_age },
	{ "KN-AGE-MAX", B(STEP_CELL_VOTE), check_age_max },
	{ "KN-EDU", B(STEP_CELL_VOTE), check_edu },
	{ "KN-CERT", B(STEP_CELL_VOTE), check_cert },
	{ "KN-INTRO-FULL", B(STEP_INTRODUCED), check_intro_full },
	{ "KN-INTRO-TIME", B(STEP_INTRODUCED), check_intro_time },
	{ "KN-INTRO-COUNT", B(STEP_INTRODUCED), check_intro_count },
	{ "KN-DOSSIER-AGE", B(STEP_CELL_VOTE), check_dossier_age },
	{ "KN-CELL-VOTE", B(STEP_CELL_VOTE) | B(STEP_PROBATION_VOTE), check_cell_vote },
	{ "KN-COMMITTEE-VOTE", B(STEP_COMMITTEE_VOTE), check_committee_vote },
	{ "KN-AUTHORITY", B(STEP_DECISION) | B(STEP_OFFICIAL), check_authority },
	{ "KN-CEREMONY-LATE", B(STEP_CEREMONY), check_ceremony_late },
	{ "KN-PROBATION", B(STEP_PROBATION_VOTE), check_probation },
	{ "KN-STRIKE", B(STEP_STRUCK_OFF), check_strike },
	/* issue 15: re-admission (core/readmit.c) */
	{ "KN-READMIT-NEVER", B(STEP_SOURCE), readmit_check_never },
	{ "KN-READMIT-ONCE", B(STEP_SOURCE), readmit_check_once },
	{ "KN-READMIT-WAIT", B(STEP_CELL_VOTE), readmit_check_wait },
	{ "KN-READMIT-CONSENT", B(STEP_CELL_VOTE), readmit_check_consent },
	{ "KN-READMIT-AUTHORITY", B(STEP_DECISION), readmit_check_authority },
};

const struct rule_info *rules_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

size_t rules_check(const struct rule_facts *f, struct violations *out)
{
	struct buf msg = BUF_INIT;
	struct policy defaults;
	struct rule_facts ff;
	size_t added = 0;

	if (!f || !f->step || f->step->code <= STEP_NONE || f->step->code >= STEP__COUNT)
		return 0;
	ff = *f;
	if (!ff.policy) {
		/* A caller that resolved no policy gets the defaults for the
		 * step's date rather than a crash. */
		size_t n;
		const struct policy_row *rows = policy_default_rows(&n);
		policy_resolve(rows, n, ff.step->date, &defaults, NULL);
		ff.policy = &defaults;
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (!(table[i].steps & B(ff.step->code)))
			continue;
		buf_reset(&msg);
		if (table[i].check(&ff, &msg)) {
			violations_add(out, table[i].code, msg.s);
			added++;
		}
	}
	buf_release(&msg);
	return added;
}

void violations_add(struct violations *vs, const char *code, const char *msg)
{
	vs->v = xreallocarray(vs->v, vs->n + 1, sizeof(vs->v[0]));
	vs->v[vs->n].code = code;
	vs->v[vs->n].message = xstrdup(msg ? msg : "");
	vs->n++;
}

void violations_release(struct violations *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		free(vs->v[i].message);
	free(vs->v);
	vs->v = NULL;
	vs->n = 0;
}
