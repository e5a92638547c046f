/*
 * lunar.h — the Vietnamese lunar calendar (âm lịch), computed for UTC+7.
 *
 * Hồ Ngọc Đức's method: new moons and the sun's longitude from Jean Meeus's
 * formulas, month 11 holds the winter solstice, the leap month is the first
 * month without a major solar term. Valid for 1900–2100. Not a Chinese
 * calendar (UTC+8), which differs in some years (Tết 1985).
 */
#ifndef KN_LUNAR_H
#define KN_LUNAR_H

#include "util/date.h"

struct lunar_date {
	int day;	/* 1..30 */
	int month;	/* 1..12 */
	int year;	/* the lunar year, e.g. 2011 for Tân Mão */
	int leap;	/* 1 in a leap month */
};

/* Solar to lunar. Returns 0, or -1 outside 1900..2100. */
int lunar_from_solar(kn_date d, struct lunar_date *out);

/* Lunar to solar; KN_DATE_NONE when no such lunar date exists. */
kn_date lunar_to_solar(int day, int month, int year, int leap);

/* The can-chi name of a lunar year, e.g. 2011 -> "Tân Mão" (static). */
const char *lunar_year_name(int year);

#endif
