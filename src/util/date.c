/*
 * date.c — see date.h. Day-number conversions use Howard Hinnant's
 * days_from_civil / civil_from_days algorithms (public domain).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/i18n.h"
#include "util/banned.h"

kn_date date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (kn_date)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(kn_date z0, int *y, int *m, int *d)
{
	long z = (long)z0 + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	if (mm <= 2)
		yy++;
	*y = (int)yy;
	*m = (int)mm;
	*d = (int)dd;
}

int date_year(kn_date d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return y;
}

int date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : dim[m - 1];
}

int date_valid_ymd(int y, int m, int d)
{
	return y >= KN_YEAR_MIN && y <= KN_YEAR_MAX && m >= 1 && m <= 12 &&
	       d >= 1 && d <= date_days_in_month(y, m);
}

/* Read 1..max digits at *p; returns -1 when there is none. */
static int digits(const char **p, int min, int max)
{
	int v = 0, n = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min ? v : -1;
}

int date_parse(const char *s, kn_date *out)
{
	const char *p = s;
	int y, m, d;

	if (!s)
		return -1;
	if (strlen(s) >= 10 && s[4] == '-') {
		y = digits(&p, 4, 4);
		if (y < 0 || *p++ != '-')
			return -1;
		m = digits(&p, 2, 2);
		if (m < 0 || *p++ != '-')
			return -1;
		d = digits(&p, 2, 2);
	} else {
		d = digits(&p, 1, 2);
		if (d < 0 || *p++ != '/')
			return -1;
		m = digits(&p, 1, 2);
		if (m < 0 || *p++ != '/')
			return -1;
		y = digits(&p, 4, 4);
	}
	if (y < 0 || m < 0 || d < 0 || *p != '\0' || !date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

static void put4(char *p, int v)
{
	put2(p, v / 100);
	put2(p + 2, v % 100);
}

void date_format_iso(kn_date d, char out[11])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	put4(out, y);
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, dd);
	out[10] = '\0';
}

void date_format_vn(kn_date d, char out[11])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	put2(out, dd);
	out[2] = '/';
	put2(out + 3, m);
	out[5] = '/';
	put4(out + 6, y);
	out[10] = '\0';
}

void date_format_user(kn_date d, char out[11])
{
	if (i18n_is_vi())
		date_format_vn(d, out);
	else
		date_format_iso(d, out);
}

struct date_text date_user(kn_date d)
{
	struct date_text r;
	if (d == KN_DATE_NONE) {
		r.s[0] = '?';
		r.s[1] = '\0';
	} else {
		date_format_user(d, r.s);
	}
	return r;
}

int date_weekday(kn_date d)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = ((long)d + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

kn_date date_add_months(kn_date d, int n)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	long idx = (long)y * 12 + (m - 1) + n;
	long ny = idx >= 0 ? idx / 12 : (idx - 11) / 12;
	int nm = (int)(idx - ny * 12) + 1;
	int dim = date_days_in_month((int)ny, nm);
	if (dd > dim)
		dd = dim;
	return date_from_ymd((int)ny, nm, dd);
}

int date_months_between(kn_date a, kn_date b)
{
	int ya, ma, da, yb, mb, db;
	date_to_ymd(a, &ya, &ma, &da);
	date_to_ymd(b, &yb, &mb, &db);
	int n = (yb - ya) * 12 + (mb - ma);
	/* Step back until a + n months fits; forward cannot overshoot by more
	 * than one because of clamping. */
	while (n > 0 && date_add_months(a, n) > b)
		n--;
	while (n <= 0 && date_add_months(a, n) > b)
		n--;
	return n;
}

kn_date date_today(void)
{
	const char *env = getenv("KETNAP_TODAY");
	kn_date d;
	if (env && *env && date_parse(env, &d) == 0)
		return d;
	time_t now = time(NULL) + 7 * 3600;
	return (kn_date)(now >= 0 ? now / 86400 : (now - 86399) / 86400);
}
