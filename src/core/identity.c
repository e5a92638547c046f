/*
 * identity.c — KN-CCCD and the duplicate key (identity.h).
 *
 * A citizen identity number (CCCD, Thông tư 07/2016/TT-BCA, later
 * 59/2021/TT-BCA) is province (3 digits), century and sex (1), year of
 * birth (2), then a serial (6). Almost every disagreement with the person
 * is a typo in one of the three, so the message names the digits, what
 * they say and what the person is recorded as, and leaves the choice of
 * which to correct to the clerk who holds the card.
 */
#include <string.h>

#include "core/identity.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/banned.h"

/* RULES.md §10's range of province codes. */
#define PROVINCE_MIN 1
#define PROVINCE_MAX 96

int identity_is_cccd(const char *ref)
{
	size_t n = 0;
	if (!ref)
		return 0;
	for (; ref[n]; n++)
		if (ref[n] < '0' || ref[n] > '9')
			return 0;
	return n == 12;
}

static const char *who(const struct person *p)
{
	return p->full_name && *p->full_name ? p->full_name : _("the person");
}

size_t identity_cccd_check(const struct person *p, struct buf *out)
{
	const char *r = p->ref;
	size_t n = 0;
	int prov, d4, year = -1;

	if (!identity_is_cccd(r))
		return 0;
	if (p->birth_date != KN_DATE_NONE)
		year = date_year(p->birth_date);
	prov = (r[0] - '0') * 100 + (r[1] - '0') * 10 + (r[2] - '0');
	if (prov < PROVINCE_MIN || prov > PROVINCE_MAX) {
		buf_addf(out, "%s: ", IDENTITY_CCCD_CODE);
		buf_addf(out, _("Digits 1–3 of the citizen ID %s are %.3s, which is no province code "
				"(001 to 096); correct the number."), r, r);
		buf_addc(out, '\n');
		n++;
	}
	d4 = r[3] - '0';
	if (d4 > 5) {
		buf_addf(out, "%s: ", IDENTITY_CCCD_CODE);
		buf_addf(out, _("Digit 4 of the citizen ID %s is %c, which names no century and sex "
				"(0 to 5); correct the number."), r, r[3]);
		buf_addc(out, '\n');
		n++;
	} else {
		int first = 1900 + 100 * (d4 / 2);
		char says = d4 % 2 ? 'F' : 'M';
		if ((p->sex == 'M' || p->sex == 'F') && p->sex != says) {
			buf_addf(out, "%s: ", IDENTITY_CCCD_CODE);
			if (says == 'F')
				buf_addf(out, _("Digit 4 of the citizen ID %s says female, but %s is "
						"recorded as male; correct the sex or the number."), r,
					 who(p));
			else
				buf_addf(out, _("Digit 4 of the citizen ID %s says male, but %s is "
						"recorded as female; correct the sex or the number."), r,
					 who(p));
			buf_addc(out, '\n');
			n++;
		}
		if (year >= 0 && (year < first || year > first + 99)) {
			buf_addf(out, "%s: ", IDENTITY_CCCD_CODE);
			buf_addf(out, _("Digit 4 of the citizen ID %s says born in %d–%d, but %s is "
					"recorded as born in %d; correct the date of birth or the "
					"number."), r, first, first + 99, who(p), year);
			buf_addc(out, '\n');
			n++;
		}
	}
	if (year >= 0 && ((r[4] - '0') * 10 + (r[5] - '0')) != year % 100) {
		buf_addf(out, "%s: ", IDENTITY_CCCD_CODE);
		buf_addf(out, _("Digits 5–6 of the citizen ID %s say born in a year ending in %.2s, "
				"but %s is recorded as born in %d; correct the date of birth or the "
				"number."), r, r + 4, who(p), year);
		buf_addc(out, '\n');
		n++;
	}
	return n;
}

void identity_dup_key(const char *full_name, struct buf *out)
{
	text_fold(full_name ? full_name : "", out);
}
