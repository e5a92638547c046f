/*
 * test_identity.c — unit tests for core/identity (issue 15, RULES.md §10):
 * KN-CCCD on both sides of each boundary (province 000/001 and 096/097;
 * digit 4 for births in 1999 and 2000, male and female, 2100; an
 * impossible digit 4; the year's two digits), refs that are not checked,
 * and the duplicate key. Expected values are written by hand.
 */
#include <string.h>

#include "t.h"
#include "core/identity.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/banned.h"

/* How many KN-CCCD lines ref gets for a person of sex born on iso. */
static size_t cccd(const char *ref, char sex, const char *iso, struct buf *msg)
{
	struct person p;
	memset(&p, 0, sizeof(p));
	p.ref = (char *)ref;
	p.full_name = (char *)"Lê Văn A";
	p.sex = sex;
	p.birth_date = KN_DATE_NONE;
	if (iso)
		date_parse(iso, &p.birth_date);
	buf_reset(msg);
	return identity_cccd_check(&p, msg);
}

int main(void)
{
	struct buf m = BUF_INIT;

	/* Which refs are citizen IDs. */
	CHECK(identity_is_cccd("092090000001"));
	CHECK(!identity_is_cccd("09209000000"));	/* 11 digits */
	CHECK(!identity_is_cccd("0920900000011"));	/* 13 */
	CHECK(!identity_is_cccd("123456789"));		/* the old card */
	CHECK(!identity_is_cccd("A92090000001"));
	CHECK(!identity_is_cccd(NULL));
	CHECK_EQ(cccd("123456789", 'F', "1990-01-01", &m), 0);
	CHECK_EQ(cccd("R092090000001", 'F', "1990-01-01", &m), 0);

	/* Province: 001 and 096 pass, 000 and 097 do not. */
	CHECK_EQ(cccd("001090000001", 'M', "1990-01-01", &m), 0);
	CHECK_EQ(cccd("096090000001", 'M', "1990-01-01", &m), 0);
	CHECK_EQ(cccd("000090000001", 'M', "1990-01-01", &m), 1);
	CHECK_STR(m.s, "KN-CCCD: Digits 1–3 of the citizen ID 000090000001 are 000, which is no "
		  "province code (001 to 096); correct the number.\n");
	CHECK_EQ(cccd("097090000001", 'M', "1990-01-01", &m), 1);

	/* Digit 4: 0/1 for 1900–1999, 2/3 for 2000–2099, 4/5 for 2100–2199. */
	CHECK_EQ(cccd("092099000001", 'M', "1999-12-31", &m), 0);
	CHECK_EQ(cccd("092199000001", 'F', "1999-12-31", &m), 0);
	CHECK_EQ(cccd("092200000001", 'M', "2000-01-01", &m), 0);
	CHECK_EQ(cccd("092300000001", 'F', "2000-01-01", &m), 0);
	CHECK_EQ(cccd("092400000001", 'M', "2100-01-01", &m), 0);
	CHECK_EQ(cccd("092500000001", 'F', "2100-01-01", &m), 0);
	CHECK_EQ(cccd("092299000001", 'M', "1999-12-31", &m), 1);
	CHECK_STR(m.s, "KN-CCCD: Digit 4 of the citizen ID 092299000001 says born in 2000–2099, "
		  "but Lê Văn A is recorded as born in 1999; correct the date of birth or the "
		  "number.\n");
	CHECK_EQ(cccd("092000000001", 'M', "2000-01-01", &m), 1);
	CHECK_EQ(cccd("092100000001", 'M', "2000-01-01", &m), 2);	/* sex and century */
	CHECK_EQ(cccd("092099000001", 'F', "1999-12-31", &m), 1);
	CHECK_STR(m.s, "KN-CCCD: Digit 4 of the citizen ID 092099000001 says male, but Lê Văn A is "
		  "recorded as female; correct the sex or the number.\n");
	CHECK_EQ(cccd("092199000001", 'M', "1999-12-31", &m), 1);
	CHECK_EQ(cccd("092699000001", 'M', "1999-12-31", &m), 1);
	CHECK_STR(m.s, "KN-CCCD: Digit 4 of the citizen ID 092699000001 is 6, which names no "
		  "century and sex (0 to 5); correct the number.\n");

	/* Digits 5–6: the birth year's last two digits. */
	CHECK_EQ(cccd("092091000001", 'M', "1991-06-01", &m), 0);
	CHECK_EQ(cccd("092090000001", 'M', "1991-06-01", &m), 1);
	CHECK_STR(m.s, "KN-CCCD: Digits 5–6 of the citizen ID 092090000001 say born in a year ending "
		  "in 90, but Lê Văn A is recorded as born in 1991; correct the date of birth or "
		  "the number.\n");

	/* Without a sex or a birth date, only what does not need them. */
	CHECK_EQ(cccd("092099000001", 0, NULL, &m), 0);
	CHECK_EQ(cccd("097699000001", 0, NULL, &m), 2);

	/* The duplicate key: accents, đ, case and runs of spaces folded. */
	buf_reset(&m);
	identity_dup_key("  Nguyễn  Văn   ĐỨC ", &m);
	CHECK_STR(m.s, "nguyen van duc");

	buf_release(&m);
	return T_DONE();
}
