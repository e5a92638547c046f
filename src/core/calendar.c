/*
 * calendar.c — the working-day calendar of RULES.md §5 (see calendar.h).
 *
 * A year is computed once and cached as a table of its days: a working-day
 * flag per day and the running count of working days, so that
 * calendar_add_workdays() and calendar_count_workdays() over long spans
 * walk whole years by their totals and only scan inside the first and last
 * year (an import calls them up to 100 000 times).
 *
 * Computing a year: the holidays of the law (Tết Dương lịch 1/1, Tết
 * Nguyên đán, Giỗ Tổ Hùng Vương 10/3 lunar from 2007, 30/4, 1/5, 2/9 and
 * from 2021 3/9), then one compensation day ("Nghỉ bù …") for each of them
 * that falls on a Saturday or Sunday: the first day after it that is a
 * Monday–Friday and neither a holiday, an imported day off nor an earlier
 * compensation day. Two holidays on the same date count once. Lunar
 * holidays come from lunar.c, which covers 1900–2100: for years outside
 * that range only the solar holidays are computed (an import can add the
 * rest). Last, the imported overrides of the year apply: a day off makes
 * the date a non-working day, a working day (a swapped Saturday) makes it
 * a working day whatever the computed calendar says.
 */
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/lunar.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

/* Years cached in a table; others (far-off dates reached by adding many
 * working days) share one spare slot. */
#define CACHE_MIN KN_YEAR_MIN
#define CACHE_MAX KN_YEAR_MAX

/* The name printed for an imported day off that came without one. */
#define UNNAMED_DAY_OFF "Ngày nghỉ"

struct override {
	kn_date date;
	int workday;
	char *name;	/* owned, may be NULL */
};

struct year_info {
	int year;
	kn_date jan1;
	int ndays;			/* 365 or 366 */
	unsigned char work[366];	/* 1: a working day */
	int cum[367];			/* working days among days [0, i) */
	struct holiday *hol;		/* weekday days off, sorted; names owned */
	size_t nhol;
};

struct calendar {
	struct override *ov;
	size_t nov, cap;
	struct year_info *years[CACHE_MAX - CACHE_MIN + 1];
	struct year_info *spare;
};

/* A computed day off before overrides. name points to a literal or, for
 * compensation days, to memory owned by the building code. */
struct day_off {
	kn_date date;
	const char *name;
	int comp;
};

static int is_weekend(kn_date d)
{
	return date_weekday(d) >= 6;
}

static const struct override *override_find(const struct calendar *cal, kn_date d)
{
	size_t i;

	for (i = 0; i < cal->nov; i++)
		if (cal->ov[i].date == d)
			return &cal->ov[i];
	return NULL;
}

static const struct day_off *day_off_find(const struct day_off *v, size_t n, kn_date d)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].date == d)
			return &v[i];
	return NULL;
}

static void add_day(struct day_off *v, size_t *n, kn_date d, const char *name)
{
	if (day_off_find(v, *n, d))
		return;		/* two holidays on one date: one day off */
	v[*n].date = d;
	v[*n].name = name;
	v[*n].comp = 0;
	(*n)++;
}

static int day_off_cmp(const void *a, const void *b)
{
	const struct day_off *x = a, *y = b;

	return (x->date > y->date) - (x->date < y->date);
}

/* The holidays of the law for year y, sorted, without compensation days.
 * v must hold 16 entries. */
static size_t law_holidays(int y, struct day_off *v)
{
	size_t n = 0;

	add_day(v, &n, date_from_ymd(y, 1, 1), "Tết Dương lịch");
	if (y >= 1900 && y <= 2100) {
		/* Tết: the last day of the old lunar year and the first three
		 * (until 2012) or four (from 2013, Labour Code 2012) of the new. */
		kn_date tet = lunar_to_solar(1, 1, y, 0);
		int last = y <= 2012 ? 2 : 3;
		int i;

		if (tet != KN_DATE_NONE)
			for (i = -1; i <= last; i++)
				add_day(v, &n, tet + i, "Tết Nguyên đán");
		if (y >= 2007) {
			kn_date gio_to = lunar_to_solar(10, 3, y, 0);

			if (gio_to != KN_DATE_NONE)
				add_day(v, &n, gio_to, "Giỗ Tổ Hùng Vương");
		}
	}
	add_day(v, &n, date_from_ymd(y, 4, 30), "Ngày Chiến thắng");
	add_day(v, &n, date_from_ymd(y, 5, 1), "Ngày Quốc tế Lao động");
	add_day(v, &n, date_from_ymd(y, 9, 2), "Quốc khánh");
	if (y >= 2021)
		add_day(v, &n, date_from_ymd(y, 9, 3), "Quốc khánh");
	xqsort(v, n, sizeof(*v), day_off_cmp);
	return n;
}

static void year_free(struct year_info *yi)
{
	if (!yi)
		return;
	holidays_free(yi->hol, yi->nhol);
	free(yi);
}

static struct year_info *year_build(const struct calendar *cal, int y)
{
	struct year_info *yi = xcalloc(1, sizeof(*yi));
	struct day_off v[32];
	char *comp_names[16];
	size_t n, nlaw, ncomp = 0, i;
	int k;

	yi->year = y;
	yi->jan1 = date_from_ymd(y, 1, 1);
	yi->ndays = date_is_leap(y) ? 366 : 365;

	nlaw = n = law_holidays(y, v);
	for (i = 0; i < nlaw; i++) {
		struct buf b = BUF_INIT;
		const struct override *o;
		kn_date c;

		if (!is_weekend(v[i].date))
			continue;
		for (c = v[i].date + 1;; c++) {
			if (is_weekend(c) || day_off_find(v, n, c))
				continue;
			o = override_find(cal, c);
			if (o && !o->workday)
				continue;
			break;
		}
		buf_addf(&b, "Nghỉ bù %s", v[i].name);
		comp_names[ncomp] = buf_detach(&b);
		v[n].date = c;
		v[n].name = comp_names[ncomp++];
		v[n].comp = 1;
		n++;
	}

	for (k = 0; k < yi->ndays; k++)
		yi->work[k] = !is_weekend(yi->jan1 + k);
	for (i = 0; i < n; i++) {
		k = v[i].date - yi->jan1;
		if (k >= 0 && k < yi->ndays)
			yi->work[k] = 0;
	}
	for (i = 0; i < cal->nov; i++) {
		k = cal->ov[i].date - yi->jan1;
		if (k >= 0 && k < yi->ndays)
			yi->work[k] = cal->ov[i].workday ? 1 : 0;
	}
	yi->cum[0] = 0;
	for (k = 0; k < yi->ndays; k++)
		yi->cum[k + 1] = yi->cum[k] + yi->work[k];

	/* The listing: every weekday that is not a working day. */
	yi->hol = xcalloc((size_t)yi->ndays, sizeof(*yi->hol));
	for (k = 0; k < yi->ndays; k++) {
		kn_date d = yi->jan1 + k;
		const struct override *o;
		const struct day_off *h;
		const char *name = NULL;

		if (yi->work[k] || is_weekend(d))
			continue;
		o = override_find(cal, d);
		h = day_off_find(v, n, d);
		if (o && o->name && *o->name)
			name = o->name;
		else if (h)
			name = h->name;
		yi->hol[yi->nhol].date = d;
		yi->hol[yi->nhol].workday = 0;
		yi->hol[yi->nhol].name = xstrdup(name ? name : UNNAMED_DAY_OFF);
		yi->nhol++;
	}
	for (i = 0; i < ncomp; i++)
		free(comp_names[i]);
	return yi;
}

static struct year_info *year_get(struct calendar *cal, int y)
{
	struct year_info **slot;

	if (y >= CACHE_MIN && y <= CACHE_MAX)
		slot = &cal->years[y - CACHE_MIN];
	else
		slot = &cal->spare;
	if (*slot && (*slot)->year != y) {
		year_free(*slot);
		*slot = NULL;
	}
	if (!*slot)
		*slot = year_build(cal, y);
	return *slot;
}

static void year_forget(struct calendar *cal, int y)
{
	struct year_info **slot;

	if (y >= CACHE_MIN && y <= CACHE_MAX)
		slot = &cal->years[y - CACHE_MIN];
	else
		slot = &cal->spare;
	year_free(*slot);
	*slot = NULL;
}

struct calendar *calendar_new(void)
{
	return xcalloc(1, sizeof(struct calendar));
}

void calendar_free(struct calendar *cal)
{
	size_t i;

	if (!cal)
		return;
	for (i = 0; i < cal->nov; i++)
		free(cal->ov[i].name);
	free(cal->ov);
	for (i = 0; i < sizeof(cal->years) / sizeof(cal->years[0]); i++)
		year_free(cal->years[i]);
	year_free(cal->spare);
	free(cal);
}

void calendar_override(struct calendar *cal, kn_date d, int workday, const char *name)
{
	struct override *o = (struct override *)override_find(cal, d);
	int y = date_year(d);

	if (!o) {
		if (cal->nov == cal->cap) {
			cal->cap = cal->cap ? cal->cap * 2 : 16;
			cal->ov = xreallocarray(cal->ov, cal->cap, sizeof(*cal->ov));
		}
		o = &cal->ov[cal->nov++];
		o->date = d;
		o->name = NULL;
	}
	free(o->name);
	o->workday = workday ? 1 : 0;
	o->name = name ? xstrdup(name) : NULL;
	/* A day off can move a compensation day of this year or, at the
	 * turn of the year, of the one before. */
	year_forget(cal, y);
	year_forget(cal, y - 1);
}

int calendar_is_workday(struct calendar *cal, kn_date d)
{
	struct year_info *yi = year_get(cal, date_year(d));

	return yi->work[d - yi->jan1];
}

void calendar_holidays(struct calendar *cal, int year, struct holiday **out, size_t *n)
{
	struct year_info *yi = year_get(cal, year);
	size_t i;

	*n = yi->nhol;
	*out = xcalloc(yi->nhol ? yi->nhol : 1, sizeof(**out));
	for (i = 0; i < yi->nhol; i++) {
		(*out)[i] = yi->hol[i];
		(*out)[i].name = yi->hol[i].name ? xstrdup(yi->hol[i].name) : NULL;
	}
}

void holidays_free(struct holiday *h, size_t n)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < n; i++)
		free(h[i].name);
	free(h);
}

kn_date calendar_add_workdays(struct calendar *cal, kn_date d, int n)
{
	int y = date_year(d);
	struct year_info *yi = year_get(cal, y);
	int idx = d - yi->jan1, avail, target, i;

	if (n == 0)
		return d;
	if (n > 0) {
		/* Skip whole years while the rest of the year is too short. */
		avail = yi->cum[yi->ndays] - yi->cum[idx + 1];
		while (n > avail) {
			n -= avail;
			yi = year_get(cal, ++y);
			idx = -1;
			avail = yi->cum[yi->ndays];
		}
		target = yi->cum[idx + 1] + n;
		for (i = idx + 1; yi->cum[i + 1] < target; i++)
			;
		return yi->jan1 + i;
	}
	/* n < 0: the same, backwards. */
	n = -n;
	avail = yi->cum[idx];
	while (n > avail) {
		n -= avail;
		yi = year_get(cal, --y);
		idx = yi->ndays;
		avail = yi->cum[idx];
	}
	target = yi->cum[idx] - n;
	for (i = idx - 1; !(yi->work[i] && yi->cum[i] == target); i--)
		;
	return yi->jan1 + i;
}

/* Working days in (from, to], to >= from. */
static int count_after(struct calendar *cal, kn_date from, kn_date to)
{
	int yf = date_year(from), yt = date_year(to), y, count;
	struct year_info *yi = year_get(cal, yf);

	if (yf == yt)
		return yi->cum[to - yi->jan1 + 1] - yi->cum[from - yi->jan1 + 1];
	count = yi->cum[yi->ndays] - yi->cum[from - yi->jan1 + 1];
	for (y = yf + 1; y < yt; y++) {
		yi = year_get(cal, y);
		count += yi->cum[yi->ndays];
	}
	yi = year_get(cal, yt);
	return count + yi->cum[to - yi->jan1 + 1];
}

int calendar_count_workdays(struct calendar *cal, kn_date from, kn_date to)
{
	if (to >= from)
		return count_after(cal, from, to);
	/* Backwards: the working days before from, down to and including
	 * to, i.e. in [to, from) = (to - 1, from - 1]. */
	return -count_after(cal, to - 1, from - 1);
}
