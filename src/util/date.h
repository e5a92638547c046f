/*
 * date.h — civil dates as day numbers.
 *
 * A kn_date is the number of days since 1970-01-01 in the proleptic
 * Gregorian calendar (negative before 1970); KN_DATE_NONE means "no date".
 * Day numbers make "N days after" and comparisons plain integer arithmetic;
 * months and years go through date_add_months(), which clamps the day to the
 * end of a shorter month (31/01 + 1 month = 28/02 or 29/02).
 */
#ifndef KN_DATE_H
#define KN_DATE_H

#include <stdint.h>

typedef int32_t kn_date;
#define KN_DATE_NONE INT32_MIN

/* Accepted years: dates outside are refused by date_parse. */
#define KN_YEAR_MIN 1800
#define KN_YEAR_MAX 2200

kn_date date_from_ymd(int y, int m, int d);
void date_to_ymd(kn_date d, int *y, int *m, int *day);
int date_year(kn_date d);
int date_is_leap(int y);
int date_days_in_month(int y, int m);
/* 1 if (y, m, d) is a real calendar day in the accepted year range. */
int date_valid_ymd(int y, int m, int d);

/* Parse YYYY-MM-DD or DD/MM/YYYY (one- or two-digit day and month).
 * Returns 0 and sets *out, or -1 for a malformed or impossible date
 * (31/02/2011). Leading and trailing spaces are not accepted. */
int date_parse(const char *s, kn_date *out);

/* "2012-01-15" into out[11]. */
void date_format_iso(kn_date d, char out[11]);
/* "15/01/2012" into out[11]. */
void date_format_vn(kn_date d, char out[11]);
/* The date as the user's language writes it: vi "15/01/2012", en "2012-01-15". */
void date_format_user(kn_date d, char out[11]);
/* The same as a value, for messages: date_user(d).s is "?" for
 * KN_DATE_NONE (a rule that names a date its facts lack). */
struct date_text {
	char s[11];
};
struct date_text date_user(kn_date d);

/* ISO weekday: 1 = Monday … 7 = Sunday. */
int date_weekday(kn_date d);

/* d plus n months (n may be negative), the day clamped to the month's end. */
kn_date date_add_months(kn_date d, int n);

/* Whole months from a to b (b >= a): the largest n with
 * date_add_months(a, n) <= b. Negative if b < a. */
int date_months_between(kn_date a, kn_date b);

/* Today in Vietnam (UTC+7), or $KETNAP_TODAY (YYYY-MM-DD) when set, which
 * tests use to pin "today". */
kn_date date_today(void);

#endif
