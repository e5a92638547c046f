/*
 * policy.c — the effective-dated parameters of RULES.md §7.
 *
 * The defaults are rows like those the database holds, so that `init`
 * writes them as they are and a new regulation is one more row. Resolving
 * is per key: when the caller's rows mention a key, the row of that key
 * with the latest `from` on or before the date wins (a later row of the
 * same key and date replaces an earlier one); a key the rows do not
 * mention, or mention only with rows not yet in force, takes the default
 * rows' value for that date. Every row is validated, in force or not, so a
 * bad value is reported when it is loaded rather than on the day it
 * starts to apply.
 */
#include <stddef.h>
#include <string.h>

#include "core/model.h"
#include "core/policy.h"
#include "util/i18n.h"
#include "util/banned.h"

/* 2021-07-30 as a day number (days since 1970-01-01): the day 24-QĐ/TW
 * 2021 raised the committee vote to two thirds. test_policy checks it
 * against date_from_ymd(). */
#define DATE_2021_07_30 18838

static const struct policy_row default_rows[] = {
	{ "age.min_years", KN_DATE_NONE, "18" },
	{ "age.max_years", KN_DATE_NONE, "60" },
	{ "education.min", KN_DATE_NONE, "9/12" },
	{ "education.min_special_area", KN_DATE_NONE, "5/12" },
	{ "certificate.valid_months", KN_DATE_NONE, "60" },
	{ "introducer.min_months", KN_DATE_NONE, "12" },
	{ "dossier.max_age_months", KN_DATE_NONE, "12" },
	{ "cell.min_full_members", KN_DATE_NONE, "3" },
	{ "cell.vote_fraction", KN_DATE_NONE, ">=2/3" },
	{ "committee.vote_fraction", KN_DATE_NONE, ">1/2" },
	{ "committee.vote_fraction", DATE_2021_07_30, ">=2/3" },
	{ "probation.months", KN_DATE_NONE, "12" },
	{ "deadline.decision_workdays", KN_DATE_NONE, "60" },
	{ "deadline.decision_extension_workdays", KN_DATE_NONE, "30" },
	{ "deadline.ceremony_workdays", KN_DATE_NONE, "30" },
	{ "deadline.probation_vote_workdays", KN_DATE_NONE, "30" },
	{ "deadline.official_workdays", KN_DATE_NONE, "30" },
	/* issue 15: transfers (RULES.md §8, DL-TRANSFER) */
	{ "deadline.transfer_workdays", KN_DATE_NONE, "30" },
	{ "readmit.wait_months", KN_DATE_NONE, "36" },
	{ "readmit.crime_wait_months", KN_DATE_NONE, "60" },
};

#define NDEFAULT (sizeof(default_rows) / sizeof(default_rows[0]))

const struct policy_row *policy_default_rows(size_t *n)
{
	*n = NDEFAULT;
	return default_rows;
}

enum kind { K_INT, K_FRACTION, K_EDUCATION };

/* The key table: where each key's value goes in struct policy. */
static const struct key {
	const char *name;
	enum kind kind;
	size_t offset;
} keys[] = {
	{ "age.min_years", K_INT, offsetof(struct policy, age_min_years) },
	{ "age.max_years", K_INT, offsetof(struct policy, age_max_years) },
	{ "education.min", K_EDUCATION, offsetof(struct policy, edu_min) },
	{ "education.min_special_area", K_EDUCATION, offsetof(struct policy, edu_min_special_area) },
	{ "certificate.valid_months", K_INT, offsetof(struct policy, certificate_valid_months) },
	{ "introducer.min_months", K_INT, offsetof(struct policy, introducer_min_months) },
	{ "dossier.max_age_months", K_INT, offsetof(struct policy, dossier_max_age_months) },
	{ "cell.min_full_members", K_INT, offsetof(struct policy, cell_min_full_members) },
	{ "cell.vote_fraction", K_FRACTION, offsetof(struct policy, cell_vote) },
	{ "committee.vote_fraction", K_FRACTION, offsetof(struct policy, committee_vote) },
	{ "probation.months", K_INT, offsetof(struct policy, probation_months) },
	{ "deadline.decision_workdays", K_INT, offsetof(struct policy, deadline_decision_workdays) },
	{ "deadline.decision_extension_workdays", K_INT,
	  offsetof(struct policy, deadline_decision_extension_workdays) },
	{ "deadline.ceremony_workdays", K_INT, offsetof(struct policy, deadline_ceremony_workdays) },
	{ "deadline.probation_vote_workdays", K_INT,
	  offsetof(struct policy, deadline_probation_vote_workdays) },
	{ "deadline.official_workdays", K_INT, offsetof(struct policy, deadline_official_workdays) },
	/* issue 15: transfers */
	{ "deadline.transfer_workdays", K_INT, offsetof(struct policy, deadline_transfer_workdays) },
	{ "readmit.wait_months", K_INT, offsetof(struct policy, readmit_wait_months) },
	{ "readmit.crime_wait_months", K_INT, offsetof(struct policy, readmit_crime_wait_months) },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int key_index(const char *name)
{
	for (size_t i = 0; name && i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* A non-negative decimal integer of at most 9 digits, nothing else. */
static int parse_uint(const char *s, const char **end, int *out)
{
	long v = 0;
	int n = 0;
	while (*s >= '0' && *s <= '9') {
		if (++n > 9)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	if (n == 0)
		return -1;
	*end = s;
	*out = (int)v;
	return 0;
}

/* ">=2/3" or ">1/2": 0 <= num <= den, den > 0. */
static int parse_fraction(const char *s, struct fraction *f)
{
	const char *p;
	if (s[0] != '>')
		return -1;
	if (s[1] == '=') {
		f->strict = 0;
		s += 2;
	} else {
		f->strict = 1;
		s += 1;
	}
	if (parse_uint(s, &p, &f->num) < 0 || *p != '/')
		return -1;
	if (parse_uint(p + 1, &p, &f->den) < 0 || *p != '\0')
		return -1;
	if (f->den == 0 || f->num > f->den)
		return -1;
	return 0;
}

/* Parse one row's value into the place of key k in *pol. */
static int apply_value(const struct key *k, const char *value, struct policy *pol)
{
	char *field = (char *)pol + k->offset;
	const char *end;
	int v;

	if (!value)
		return -1;
	switch (k->kind) {
	case K_INT:
		if (parse_uint(value, &end, &v) < 0 || *end != '\0')
			return -1;
		memcpy(field, &v, sizeof(v));
		return 0;
	case K_EDUCATION:
		v = education_level(value);
		if (v < 0)
			return -1;
		memcpy(field, &v, sizeof(v));
		return 0;
	case K_FRACTION: {
		struct fraction f;
		if (parse_fraction(value, &f) < 0)
			return -1;
		memcpy(field, &f, sizeof(f));
		return 0;
	}
	}
	return -1;
}

/* A row dated `from` is in force on `on` and at least as recent as the best
 * seen so far for its key (a later row of the same date replaces). */
static int better(kn_date from, kn_date on, int have, kn_date best_from)
{
	if (from != KN_DATE_NONE && from > on)
		return 0;
	if (!have)
		return 1;
	if (from == KN_DATE_NONE)
		return best_from == KN_DATE_NONE;
	return best_from == KN_DATE_NONE || from >= best_from;
}

/* For each key, the index of the row in force on `on` (or -1). Returns -1
 * with a message in err for an unknown key or a bad value. */
static int pick_rows(const struct policy_row *rows, size_t n, kn_date on,
		     int pick[NKEYS], struct buf *err)
{
	struct policy scratch;
	kn_date best[NKEYS];

	for (size_t k = 0; k < NKEYS; k++) {
		pick[k] = -1;
		best[k] = KN_DATE_NONE;
	}
	for (size_t i = 0; i < n; i++) {
		int k = key_index(rows[i].key);
		if (k < 0) {
			if (err)
				buf_addf(err, _("Unknown policy key \"%s\"; the keys are those of RULES.md §7, e.g. age.min_years."),
					 rows[i].key ? rows[i].key : "");
			return -1;
		}
		if (apply_value(&keys[k], rows[i].value, &scratch) < 0) {
			if (err)
				buf_addf(err, _("Policy key %s has the bad value \"%s\"; write a whole number, a fraction such as >=2/3 or >1/2, or an education level such as 9/12."),
					 rows[i].key, rows[i].value ? rows[i].value : "");
			return -1;
		}
		if (better(rows[i].from, on, pick[k] >= 0, best[k])) {
			pick[k] = (int)i;
			best[k] = rows[i].from;
		}
	}
	return 0;
}

int policy_resolve(const struct policy_row *rows, size_t n, kn_date on,
		   struct policy *out, struct buf *err)
{
	int dpick[NKEYS], pick[NKEYS];
	struct policy pol;

	memset(&pol, 0, sizeof(pol));
	if (pick_rows(default_rows, NDEFAULT, on, dpick, err) < 0)
		return -1;
	if (pick_rows(rows, rows ? n : 0, on, pick, err) < 0)
		return -1;
	for (size_t k = 0; k < NKEYS; k++) {
		if (pick[k] >= 0)
			apply_value(&keys[k], rows[pick[k]].value, &pol);
		else if (dpick[k] >= 0)
			apply_value(&keys[k], default_rows[dpick[k]].value, &pol);
	}
	*out = pol;
	return 0;
}

size_t policy_nkeys(void)
{
	return NKEYS;
}

/* The form a value of each kind takes, for messages. */
static const char *kind_form(enum kind k)
{
	switch (k) {
	case K_INT: return _("a whole number such as 3");
	case K_FRACTION: return _("a fraction such as >=2/3 (at least) or >1/2 (more than)");
	case K_EDUCATION: return _("an education level such as 9/12");
	}
	return "";
}

int policy_check(const char *key, const char *value, struct buf *err)
{
	struct policy scratch;
	int k = key_index(key);

	if (k < 0) {
		if (err) {
			buf_addf(err, _("Unknown policy key \"%s\"; the keys of RULES.md §7 are:"),
				 key ? key : "");
			for (size_t i = 0; i < NKEYS; i++)
				buf_addf(err, "%s %s", i ? "," : "", keys[i].name);
			buf_adds(err, ".");
		}
		return -1;
	}
	if (apply_value(&keys[k], value, &scratch) < 0) {
		if (err)
			buf_addf(err, _("Policy key %s cannot take the value \"%s\"; write %s."),
				 keys[k].name, value ? value : "", kind_form(keys[k].kind));
		return -1;
	}
	return 0;
}

int policy_in_force(const struct policy_row *rows, size_t n, kn_date on,
		    const struct policy_row **out, struct buf *err)
{
	int dpick[NKEYS], pick[NKEYS];

	if (pick_rows(default_rows, NDEFAULT, on, dpick, err) < 0)
		return -1;
	if (pick_rows(rows, rows ? n : 0, on, pick, err) < 0)
		return -1;
	for (size_t k = 0; k < NKEYS; k++)
		out[k] = pick[k] >= 0 ? &rows[pick[k]] : dpick[k] >= 0 ? &default_rows[dpick[k]]
									: NULL;
	return 0;
}

int fraction_met(const struct fraction *f, int votes_for, int total)
{
	long long lhs, rhs;

	if (!f || total <= 0 || votes_for < 0 || votes_for > total || f->den <= 0)
		return 0;
	lhs = (long long)votes_for * f->den;
	rhs = (long long)f->num * total;
	return f->strict ? lhs > rhs : lhs >= rhs;
}
