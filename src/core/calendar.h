/*
 * calendar.h — the working-day calendar of RULES.md §5.
 *
 * Working days are Monday–Friday minus public holidays. The holidays of a
 * year are computed (solar holidays, Tết Nguyên đán and Giỗ Tổ from the
 * Vietnamese lunar calendar in lunar.h, weekend holidays compensated on the
 * next working day) for any year 1900–2100, and an imported list overrides
 * them: an imported day off adds to the computed ones; an imported working
 * day (a swapped Saturday) makes that date a working day.
 *
 * A struct calendar owns its overrides and a per-year cache; it is not
 * thread-safe to share one between threads while it fills its cache.
 */
#ifndef KN_CALENDAR_H
#define KN_CALENDAR_H

#include <stddef.h>

#include "util/date.h"

struct holiday {
	kn_date date;
	int workday;		/* 1: a working day (swapped), 0: a day off */
	char *name;		/* owned; may be NULL for imported rows */
};

struct calendar;

struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal);

/* Add an imported override (copied). A later override of the same date
 * replaces the earlier one. */
void calendar_override(struct calendar *cal, kn_date d, int workday, const char *name);

/* 1 if d is a working day. */
int calendar_is_workday(struct calendar *cal, kn_date d);

/* The days off of YEAR that fall on weekdays (compensation days
 * included), after overrides, sorted by date: what `calendar holidays`
 * prints. *out is a heap array the caller frees with holidays_free(). */
void calendar_holidays(struct calendar *cal, int year, struct holiday **out, size_t *n);
void holidays_free(struct holiday *h, size_t n);

/* The Nth working day after d (n >= 0; n == 0 returns d). */
kn_date calendar_add_workdays(struct calendar *cal, kn_date d, int n);

/* Working days after from, up to and including to; 0 when to == from.
 * When to < from: minus the working days from `to` up to, but not
 * including, `from`. */
int calendar_count_workdays(struct calendar *cal, kn_date from, kn_date to);

#endif
