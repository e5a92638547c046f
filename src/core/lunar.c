/*
 * lunar.c — the Vietnamese lunar calendar, after the method Hồ Ngọc Đức
 * published for 1900–2100 (see lunar.h).
 *
 * The lunar calendar is built from two astronomical facts computed with
 * Jean Meeus's formulas: the instants of new moons (a month starts on the
 * local day, UTC+7, of its new moon) and the sun's longitude (its 30°
 * sectors are the major solar terms, "trung khí"). Months are grouped in
 * "sui" (tuế): from the month holding the winter solstice (month 11) to the
 * next one. A sui of 13 months has a leap month, the first one after month
 * 11 that holds no major term; it takes the number of the month before it.
 * Months 11 and 12 of a sui belong to the lunar year in which the sui
 * starts, months 1–10 to the next one.
 *
 * Nothing is cached: one conversion costs a few dozen new-moon evaluations,
 * which is cheap enough for calendar.c (which caches per year) and keeps
 * the module free of shared state, so it is safe from any thread.
 */
#include <math.h>

#include "core/lunar.h"
#include "util/banned.h"

/* UTC+7 as a fraction of a day. */
#define KN_TZ (7.0 / 24.0)
/* The Julian day number of 1970-01-01, day 0 of a kn_date. */
#define JDN_1970 2440588
/* The mean synodic month, in days. */
#define SYNODIC 29.530588853
/* Reference for numbering lunations: the new moon of 1900-01-01. */
#define LUNATION_0 2415021.0

#define DEG (3.14159265358979323846 / 180.0)

/*
 * The instant (Julian date, UT) of new moon number k, k = 0 being the one
 * of 1900-01-01 (Meeus, "Astronomical Algorithms", the mean lunation plus
 * the main periodic terms, and ΔT as a polynomial).
 */
static double new_moon_jd(int k)
{
	double t = k / 1236.85;		/* Julian centuries from 1900 Jan 0.5 */
	double t2 = t * t, t3 = t2 * t;
	double mean, m, mp, f, corr, dt;

	mean = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
	mean += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG);
	m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;	/* sun's anomaly */
	mp = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;	/* moon's anomaly */
	f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;	/* moon's latitude argument */

	corr = (0.1734 - 0.000393 * t) * sin(m * DEG) + 0.0021 * sin(2 * m * DEG)
	     - 0.4068 * sin(mp * DEG) + 0.0161 * sin(2 * mp * DEG)
	     - 0.0004 * sin(3 * mp * DEG) + 0.0104 * sin(2 * f * DEG)
	     - 0.0051 * sin((m + mp) * DEG) - 0.0074 * sin((m - mp) * DEG)
	     + 0.0004 * sin((2 * f + m) * DEG) - 0.0004 * sin((2 * f - m) * DEG)
	     - 0.0006 * sin((2 * f + mp) * DEG) + 0.0010 * sin((2 * f - mp) * DEG)
	     + 0.0005 * sin((2 * mp + m) * DEG);

	if (t < -11)
		dt = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3
		   - 0.000000081 * t * t3;
	else
		dt = -0.000278 + 0.000265 * t + 0.000262 * t2;
	return mean + corr - dt;
}

/* The local (UTC+7) day on which new moon k falls: the first day of its month. */
static kn_date new_moon_day(int k)
{
	return (kn_date)((long)floor(new_moon_jd(k) + 0.5 + KN_TZ) - JDN_1970);
}

/* The sun's apparent longitude in degrees [0, 360) at Julian date jd
 * (Meeus, low-precision: mean longitude plus the equation of centre). */
static double sun_longitude(double jd)
{
	double t = (jd - 2451545.0) / 36525;	/* centuries from J2000 */
	double t2 = t * t;
	double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
	double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	double c = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(m * DEG)
		 + (0.019993 - 0.000101 * t) * sin(2 * m * DEG)
		 + 0.000290 * sin(3 * m * DEG);
	double l = l0 + c;

	l -= 360.0 * floor(l / 360.0);
	return l;
}

/* The index 0..11 of the 30° sector the sun is in at the local midnight
 * that starts day d (9 = from the winter solstice, 270°, on). */
static int sun_sector(kn_date d)
{
	double jd = (double)d + JDN_1970 - 0.5 - KN_TZ;
	int s = (int)floor(sun_longitude(jd) / 30.0);

	return s > 11 ? 11 : s;
}

/* The number of the new moon that starts month 11 of solar year y: the
 * month holding the winter solstice. The last new moon before the end of
 * the year is it, unless the solstice was already past when it began. */
static int month11(int y)
{
	double off = (double)date_from_ymd(y, 12, 31) + JDN_1970 - LUNATION_0;
	int k = (int)floor(off / SYNODIC);

	if (sun_sector(new_moon_day(k)) >= 9)
		k--;
	return k;
}

/* One sui: the months from month 11 of solar year y to the next month 11. */
struct sui {
	int k11;	/* new moon number of its first month */
	int n;		/* 12 or 13 months */
	int leap;	/* offset (1..12) of the leap month from k11, 0 if none */
};

static void sui_of(int y, struct sui *s)
{
	int j;

	s->k11 = month11(y);
	s->n = month11(y + 1) - s->k11;
	s->leap = 0;
	if (s->n < 13)
		return;
	/* The first month without a major term: the sun's sector does not
	 * change between its first day and the next month's first day. */
	for (j = 1; j < 13; j++) {
		if (sun_sector(new_moon_day(s->k11 + j)) ==
		    sun_sector(new_moon_day(s->k11 + j + 1))) {
			s->leap = j;
			return;
		}
	}
	s->leap = 12;	/* cannot happen for 1900–2100; keeps the sui well-formed */
}

/* Month number (1..12) and leap flag of the month at offset j in s. */
static void sui_month(const struct sui *s, int j, int *month, int *leap)
{
	if (s->leap && j >= s->leap) {
		*month = (j + 9) % 12 + 1;
		*leap = j == s->leap;
	} else {
		*month = (j + 10) % 12 + 1;
		*leap = 0;
	}
}

int lunar_from_solar(kn_date d, struct lunar_date *out)
{
	int y = date_year(d);
	struct sui s;
	kn_date start;
	int j;

	if (y < 1900 || y > 2100)
		return -1;
	sui_of(y, &s);
	start = new_moon_day(s.k11);
	if (d < start) {
		y--;
		sui_of(y, &s);
		start = new_moon_day(s.k11);
	}
	/* Guess the month from the mean lunation, then settle on the new
	 * moons around it. */
	j = (int)((d - start) / SYNODIC);
	while (j > 0 && new_moon_day(s.k11 + j) > d)
		j--;
	while (j + 1 < s.n && new_moon_day(s.k11 + j + 1) <= d)
		j++;

	out->day = (int)(d - new_moon_day(s.k11 + j)) + 1;
	sui_month(&s, j, &out->month, &out->leap);
	/* Months 11 and 12 (and a leap 11 or 12) open the sui and belong to
	 * the lunar year of its solar year; the rest to the next one. */
	out->year = out->month >= 11 && j < 4 ? y : y + 1;
	return 0;
}

kn_date lunar_to_solar(int day, int month, int year, int leap)
{
	struct sui s;
	kn_date start, next, d;
	int j, y;

	if (day < 1 || day > 30 || month < 1 || month > 12 ||
	    year < 1899 || year > 2100)
		return KN_DATE_NONE;
	sui_of(month >= 11 ? year : year - 1, &s);
	j = (month + 1) % 12;	/* 11 -> 0, 12 -> 1, 1 -> 2, ..., 10 -> 11 */
	if (leap) {
		int m, l;

		if (!s.leap)
			return KN_DATE_NONE;
		sui_month(&s, s.leap, &m, &l);
		if (m != month)
			return KN_DATE_NONE;
		j = s.leap;
	} else if (s.leap && j >= s.leap) {
		j++;
	}
	start = new_moon_day(s.k11 + j);
	next = new_moon_day(s.k11 + j + 1);
	if (day > next - start)
		return KN_DATE_NONE;
	d = start + day - 1;
	y = date_year(d);
	if (y < 1900 || y > 2100)
		return KN_DATE_NONE;
	return d;
}

const char *lunar_year_name(int year)
{
	/* Can (10 stems) and chi (12 branches) advance together; 1984 was
	 * Giáp Tý, the first of the 60. */
	static const char *const names[60] = {
		"Giáp Tý", "Ất Sửu", "Bính Dần", "Đinh Mão", "Mậu Thìn",
		"Kỷ Tỵ", "Canh Ngọ", "Tân Mùi", "Nhâm Thân", "Quý Dậu",
		"Giáp Tuất", "Ất Hợi", "Bính Tý", "Đinh Sửu", "Mậu Dần",
		"Kỷ Mão", "Canh Thìn", "Tân Tỵ", "Nhâm Ngọ", "Quý Mùi",
		"Giáp Thân", "Ất Dậu", "Bính Tuất", "Đinh Hợi", "Mậu Tý",
		"Kỷ Sửu", "Canh Dần", "Tân Mão", "Nhâm Thìn", "Quý Tỵ",
		"Giáp Ngọ", "Ất Mùi", "Bính Thân", "Đinh Dậu", "Mậu Tuất",
		"Kỷ Hợi", "Canh Tý", "Tân Sửu", "Nhâm Dần", "Quý Mão",
		"Giáp Thìn", "Ất Tỵ", "Bính Ngọ", "Đinh Mùi", "Mậu Thân",
		"Kỷ Dậu", "Canh Tuất", "Tân Hợi", "Nhâm Tý", "Quý Sửu",
		"Giáp Dần", "Ất Mão", "Bính Thìn", "Đinh Tỵ", "Mậu Ngọ",
		"Kỷ Mùi", "Canh Thân", "Tân Dậu", "Nhâm Tuất", "Quý Hợi",
	};
	int i = (year - 1984) % 60;

	return names[i < 0 ? i + 60 : i];
}
