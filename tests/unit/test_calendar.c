/*
 * test_calendar.c — the working-day calendar of RULES.md §5.
 *
 * The holiday lists below are worked out by hand from the rule (not from
 * the government's yearly decisions, which move days around and come in
 * by import): the law's holidays, Tết of 4 days until 2012 and 5 from
 * 2013, and a compensation day, the next Monday–Friday that is not
 * already a day off, for each holiday on a Saturday or Sunday. Then
 * working-day counts and additions around holidays, year ends, long spans,
 * and imported overrides.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/calendar.h"
#include "t.h"
#include "util/banned.h"

#define D(y, m, d) date_from_ymd(y, m, d)

struct want {
	const char *date;
	const char *name;
};

/* Compare calendar_holidays(year) with a hand-written list. */
static void check_year(struct calendar *cal, int year, const struct want *w, size_t nw)
{
	struct holiday *h;
	size_t n, i;

	calendar_holidays(cal, year, &h, &n);
	CHECK_EQ(n, nw);
	for (i = 0; i < n && i < nw; i++) {
		char iso[11];

		date_format_iso(h[i].date, iso);
		CHECK_STR(iso, w[i].date);
		CHECK_STR(h[i].name, w[i].name);
		CHECK_EQ(h[i].workday, 0);
	}
	holidays_free(h, n);
}

#define CHECK_YEAR(cal, y, w) check_year(cal, y, w, sizeof(w) / sizeof(w[0]))

static void check_holidays(void)
{
	struct calendar *cal = calendar_new();

	/* 2011 (Labour Code 1994: Tết 4 days). 1/1 is a Saturday: Nghỉ bù
	 * on Monday 3/1. Tết Tân Mão is Thursday 3/2: 2/2 (30 Tết, Wed),
	 * 3/2, 4/2 (Fri), 5/2 (Sat) -> Nghỉ bù Monday 7/2. Giỗ Tổ 10/3 lunar
	 * = Tuesday 12/4. 30/4 is a Saturday and 1/5 a Sunday: the first is
	 * compensated on Monday 2/5, the second on the next free day, Tuesday
	 * 3/5. 2/9 is a Friday. */
	static const struct want y2011[] = {
		{ "2011-01-03", "Nghỉ bù Tết Dương lịch" },
		{ "2011-02-02", "Tết Nguyên đán" },
		{ "2011-02-03", "Tết Nguyên đán" },
		{ "2011-02-04", "Tết Nguyên đán" },
		{ "2011-02-07", "Nghỉ bù Tết Nguyên đán" },
		{ "2011-04-12", "Giỗ Tổ Hùng Vương" },
		{ "2011-05-02", "Nghỉ bù Ngày Chiến thắng" },
		{ "2011-05-03", "Nghỉ bù Ngày Quốc tế Lao động" },
		{ "2011-09-02", "Quốc khánh" },
	};
	/* 2012 (still 4 days of Tết). 1/1 is a Sunday: Monday 2/1. Tết Nhâm
	 * Thìn is Monday 23/1: 22/1 (Sun), 23, 24, 25/1 -> the Sunday is
	 * compensated on Thursday 26/1. Giỗ Tổ is Saturday 31/3: Monday 2/4.
	 * 30/4 Monday, 1/5 Tuesday. 2/9 is a Sunday: Monday 3/9. */
	static const struct want y2012[] = {
		{ "2012-01-02", "Nghỉ bù Tết Dương lịch" },
		{ "2012-01-23", "Tết Nguyên đán" },
		{ "2012-01-24", "Tết Nguyên đán" },
		{ "2012-01-25", "Tết Nguyên đán" },
		{ "2012-01-26", "Nghỉ bù Tết Nguyên đán" },
		{ "2012-04-02", "Nghỉ bù Giỗ Tổ Hùng Vương" },
		{ "2012-04-30", "Ngày Chiến thắng" },
		{ "2012-05-01", "Ngày Quốc tế Lao động" },
		{ "2012-09-03", "Nghỉ bù Quốc khánh" },
	};
	/* 2013 (Labour Code 2012: Tết 5 days). Tết Quý Tỵ is Sunday 10/2:
	 * 9/2 (Sat), 10/2 (Sun), 11, 12, 13/2 -> two Nghỉ bù, Thursday 14/2
	 * and Friday 15/2. Giỗ Tổ Friday 19/4; 30/4 Tue; 1/5 Wed; 2/9 Mon. */
	static const struct want y2013[] = {
		{ "2013-01-01", "Tết Dương lịch" },
		{ "2013-02-11", "Tết Nguyên đán" },
		{ "2013-02-12", "Tết Nguyên đán" },
		{ "2013-02-13", "Tết Nguyên đán" },
		{ "2013-02-14", "Nghỉ bù Tết Nguyên đán" },
		{ "2013-02-15", "Nghỉ bù Tết Nguyên đán" },
		{ "2013-04-19", "Giỗ Tổ Hùng Vương" },
		{ "2013-04-30", "Ngày Chiến thắng" },
		{ "2013-05-01", "Ngày Quốc tế Lao động" },
		{ "2013-09-02", "Quốc khánh" },
	};
	/* 2019. Tết Kỷ Hợi is Tuesday 5/2: 4/2 (Mon) … 8/2 (Fri), no
	 * weekend. Giỗ Tổ is Sunday 14/4: Monday 15/4. 2/9 Monday; no 3/9
	 * before 2021. */
	static const struct want y2019[] = {
		{ "2019-01-01", "Tết Dương lịch" },
		{ "2019-02-04", "Tết Nguyên đán" },
		{ "2019-02-05", "Tết Nguyên đán" },
		{ "2019-02-06", "Tết Nguyên đán" },
		{ "2019-02-07", "Tết Nguyên đán" },
		{ "2019-02-08", "Tết Nguyên đán" },
		{ "2019-04-15", "Nghỉ bù Giỗ Tổ Hùng Vương" },
		{ "2019-04-30", "Ngày Chiến thắng" },
		{ "2019-05-01", "Ngày Quốc tế Lao động" },
		{ "2019-09-02", "Quốc khánh" },
	};
	/* 2021 (Labour Code 2019: 3/9 too). Tết Tân Sửu is Friday 12/2:
	 * 11/2 (Thu), 12/2, 13/2 (Sat), 14/2 (Sun), 15/2 (Mon) -> Nghỉ bù
	 * Tuesday 16/2 and Wednesday 17/2. Giỗ Tổ Wednesday 21/4. 30/4 is a
	 * Friday; 1/5 a Saturday -> Monday 3/5. 2/9 Thu, 3/9 Fri. */
	static const struct want y2021[] = {
		{ "2021-01-01", "Tết Dương lịch" },
		{ "2021-02-11", "Tết Nguyên đán" },
		{ "2021-02-12", "Tết Nguyên đán" },
		{ "2021-02-15", "Tết Nguyên đán" },
		{ "2021-02-16", "Nghỉ bù Tết Nguyên đán" },
		{ "2021-02-17", "Nghỉ bù Tết Nguyên đán" },
		{ "2021-04-21", "Giỗ Tổ Hùng Vương" },
		{ "2021-04-30", "Ngày Chiến thắng" },
		{ "2021-05-03", "Nghỉ bù Ngày Quốc tế Lao động" },
		{ "2021-09-02", "Quốc khánh" },
		{ "2021-09-03", "Quốc khánh" },
	};
	/* 2024. Tết Giáp Thìn is Saturday 10/2: 9/2 (Fri, 30 Tết), 10/2
	 * (Sat), 11/2 (Sun), 12/2 (Mon), 13/2 (Tue) -> the Saturday and the
	 * Sunday are compensated on Wednesday 14/2 and Thursday 15/2.
	 * Giỗ Tổ Thursday 18/4; 30/4 Tue; 1/5 Wed; 2/9 Mon, 3/9 Tue. */
	static const struct want y2024[] = {
		{ "2024-01-01", "Tết Dương lịch" },
		{ "2024-02-09", "Tết Nguyên đán" },
		{ "2024-02-12", "Tết Nguyên đán" },
		{ "2024-02-13", "Tết Nguyên đán" },
		{ "2024-02-14", "Nghỉ bù Tết Nguyên đán" },
		{ "2024-02-15", "Nghỉ bù Tết Nguyên đán" },
		{ "2024-04-18", "Giỗ Tổ Hùng Vương" },
		{ "2024-04-30", "Ngày Chiến thắng" },
		{ "2024-05-01", "Ngày Quốc tế Lao động" },
		{ "2024-09-02", "Quốc khánh" },
		{ "2024-09-03", "Quốc khánh" },
	};
	/* 2006: before Giỗ Tổ became a holiday (2007). Tết Bính Tuất is
	 * Sunday 29/1: 28/1 (Sat), 29/1 (Sun), 30, 31/1 -> Nghỉ bù Wednesday
	 * 1/2 and Thursday 2/2. 1/1 is a Sunday: Monday 2/1. 30/4 is a
	 * Sunday: Tuesday 2/5 (Monday 1/5 is a holiday). 2/9 is a Saturday:
	 * Monday 4/9. */
	static const struct want y2006[] = {
		{ "2006-01-02", "Nghỉ bù Tết Dương lịch" },
		{ "2006-01-30", "Tết Nguyên đán" },
		{ "2006-01-31", "Tết Nguyên đán" },
		{ "2006-02-01", "Nghỉ bù Tết Nguyên đán" },
		{ "2006-02-02", "Nghỉ bù Tết Nguyên đán" },
		{ "2006-05-01", "Ngày Quốc tế Lao động" },
		{ "2006-05-02", "Nghỉ bù Ngày Chiến thắng" },
		{ "2006-09-04", "Nghỉ bù Quốc khánh" },
	};
	/* 1800, outside the lunar range: the solar holidays only. 1/1/1800
	 * was a Wednesday; 30/4 (119 days later) a Wednesday too, 1/5 a
	 * Thursday, 2/9 (244 days after 1/1) a Tuesday. */
	static const struct want y1800[] = {
		{ "1800-01-01", "Tết Dương lịch" },
		{ "1800-04-30", "Ngày Chiến thắng" },
		{ "1800-05-01", "Ngày Quốc tế Lao động" },
		{ "1800-09-02", "Quốc khánh" },
	};

	CHECK_YEAR(cal, 2011, y2011);
	CHECK_YEAR(cal, 2012, y2012);
	CHECK_YEAR(cal, 2013, y2013);
	CHECK_YEAR(cal, 2019, y2019);
	CHECK_YEAR(cal, 2021, y2021);
	CHECK_YEAR(cal, 2024, y2024);
	CHECK_YEAR(cal, 2006, y2006);
	CHECK_YEAR(cal, 1800, y1800);
	/* Asking again comes from the cache and gives the same list. */
	CHECK_YEAR(cal, 2024, y2024);
	calendar_free(cal);
}

static void check_days(void)
{
	struct calendar *cal = calendar_new();

	/* Around Giỗ Tổ 2024 (Thursday 18/4). */
	CHECK_EQ(calendar_is_workday(cal, D(2024, 4, 17)), 1);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 4, 18)), 0);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 4, 19)), 1);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 4, 20)), 0);	/* Saturday */
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 4, 17), D(2024, 4, 17)), 0);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 4, 17), D(2024, 4, 18)), 0);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 4, 17), D(2024, 4, 19)), 1);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 4, 18), D(2024, 4, 19)), 1);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 4, 16), D(2024, 4, 22)), 3);
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 17), 0), D(2024, 4, 17));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 17), 1), D(2024, 4, 19));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 18), 1), D(2024, 4, 19));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 19), 1), D(2024, 4, 22));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 20), 1), D(2024, 4, 22));

	/* Tết 2024: Thursday 8/2 is the last working day before it; 9/2 to
	 * 18/2 are all off (holidays, weekends, Nghỉ bù); Friday 16/2 works. */
	CHECK_EQ(calendar_is_workday(cal, D(2024, 2, 8)), 1);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 2, 15)), 0);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 2, 16)), 1);
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 2, 8), 1), D(2024, 2, 16));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 2, 8), 2), D(2024, 2, 19));
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 2, 8), D(2024, 2, 16)), 1);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 2, 8), D(2024, 2, 15)), 0);
	/* 30/4 and 1/5 2024 (Tue, Wed). */
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 4, 29), 1), D(2024, 5, 2));

	/* Across the year end: 1/1/2025 is a Wednesday holiday. */
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 12, 30), 1), D(2024, 12, 31));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 12, 31), 1), D(2025, 1, 2));
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 12, 31), D(2025, 1, 2)), 1);

	/* Whole years. 2024 starts on a Monday and has 366 days: 52 weeks
	 * and Mon 30/12, Tue 31/12 -> 262 weekdays, less the 11 weekday days
	 * off above = 251. 2011 starts on a Saturday, 365 days: 52 weeks and
	 * Sat 31/12 -> 260 weekdays - 9 = 251. 2012 starts on a Sunday, 366
	 * days: 52 weeks and Sun 30/12, Mon 31/12 -> 261 - 9 = 252. 2013
	 * starts on a Tuesday: 52 weeks and Tue 31/12 -> 261 - 10 = 251. */
	CHECK_EQ(calendar_count_workdays(cal, D(2023, 12, 31), D(2024, 12, 31)), 251);
	CHECK_EQ(calendar_count_workdays(cal, D(2010, 12, 31), D(2011, 12, 31)), 251);
	CHECK_EQ(calendar_count_workdays(cal, D(2011, 12, 31), D(2012, 12, 31)), 252);
	CHECK_EQ(calendar_count_workdays(cal, D(2010, 12, 31), D(2013, 12, 31)), 251 + 252 + 251);
	/* The 251st working day after 1/1/2011 is the last one of 2011,
	 * Friday 30/12; the 252nd is Tuesday 3/1/2012 (Monday 2/1 is the
	 * Nghỉ bù of 1/1/2012). */
	CHECK_EQ(calendar_add_workdays(cal, D(2011, 1, 1), 251), D(2011, 12, 30));
	CHECK_EQ(calendar_add_workdays(cal, D(2011, 1, 1), 252), D(2012, 1, 3));
	CHECK_EQ(calendar_add_workdays(cal, D(2010, 12, 31), 251 + 252 + 251), D(2013, 12, 31));

	/* Backwards: -(working days in [to, from)); the whole of 2024 but
	 * its last day, Tuesday 31/12, a working day: -(251 - 1). */
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 2, 19), D(2024, 2, 16)), -1);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 2, 16), D(2024, 2, 8)), -1);
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 12, 31), D(2023, 12, 31)), -250);
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 2, 16), -1), D(2024, 2, 8));
	CHECK_EQ(calendar_add_workdays(cal, D(2025, 1, 2), -1), D(2024, 12, 31));
	CHECK_EQ(calendar_add_workdays(cal, D(2013, 12, 31), -(251 + 252 + 251)), D(2010, 12, 31));

	/* Long spans stay consistent both ways (from 2000 to about 2400,
	 * past the cached years). */
	{
		/* Tuesday 4/1/2000, a working day (Monday 3/1 is the Nghỉ bù
		 * of Saturday 1/1/2000). */
		kn_date from = D(2000, 1, 4);
		kn_date to = calendar_add_workdays(cal, from, 100000);

		CHECK(to > D(2380, 1, 1));
		CHECK_EQ(calendar_count_workdays(cal, from, to), 100000);
		CHECK_EQ(calendar_add_workdays(cal, to, -100000), from);
		CHECK_EQ(calendar_is_workday(cal, to), 1);
		CHECK_EQ(calendar_is_workday(cal, D(2000, 1, 3)), 0);
		CHECK_EQ(calendar_add_workdays(cal, D(2000, 1, 4), -1), D(1999, 12, 31));
	}
	calendar_free(cal);
}

static void check_overrides(void)
{
	struct calendar *cal = calendar_new();
	struct holiday *h;
	size_t n;

	/* Fill the cache first: overrides must invalidate it. */
	CHECK_EQ(calendar_count_workdays(cal, D(2023, 12, 31), D(2024, 12, 31)), 251);

	/* A swapped Saturday becomes a working day. */
	calendar_override(cal, D(2024, 2, 17), 1, "Làm bù");
	CHECK_EQ(calendar_is_workday(cal, D(2024, 2, 17)), 1);
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 2, 8), 1), D(2024, 2, 16));
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 2, 16), 1), D(2024, 2, 17));
	CHECK_EQ(calendar_count_workdays(cal, D(2024, 2, 8), D(2024, 2, 19)), 3);
	/* A computed day off (a Nghỉ bù) made a working day. */
	calendar_override(cal, D(2024, 2, 15), 1, NULL);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 2, 15)), 1);
	/* An extra day off on a weekday, named and unnamed. */
	calendar_override(cal, D(2024, 9, 4), 0, "Nghỉ thêm Quốc khánh");
	calendar_override(cal, D(2024, 12, 31), 0, NULL);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 9, 4)), 0);
	CHECK_EQ(calendar_add_workdays(cal, D(2024, 12, 30), 1), D(2025, 1, 2));
	/* 251 + 1 (17/2) + 1 (15/2) - 1 (4/9) - 1 (31/12). */
	CHECK_EQ(calendar_count_workdays(cal, D(2023, 12, 31), D(2024, 12, 31)), 251);
	/* A day off on a Sunday changes nothing visible. */
	calendar_override(cal, D(2024, 6, 2), 0, "Chủ nhật");
	CHECK_EQ(calendar_count_workdays(cal, D(2023, 12, 31), D(2024, 12, 31)), 251);

	calendar_holidays(cal, 2024, &h, &n);
	CHECK_EQ(n, 12);	/* 11 - 15/2 + 4/9 + 31/12 */
	if (n == 12) {
		CHECK_EQ(h[4].date, D(2024, 2, 14));
		CHECK_EQ(h[5].date, D(2024, 4, 18));
		CHECK_EQ(h[10].date, D(2024, 9, 4));
		CHECK_STR(h[10].name, "Nghỉ thêm Quốc khánh");
		CHECK_EQ(h[11].date, D(2024, 12, 31));
		CHECK_STR(h[11].name, "Ngày nghỉ");
	}
	holidays_free(h, n);

	/* A later override of the same date replaces the earlier one. */
	calendar_override(cal, D(2024, 9, 4), 1, NULL);
	CHECK_EQ(calendar_is_workday(cal, D(2024, 9, 4)), 1);
	/* A named import of a computed holiday keeps it off, with its name. */
	calendar_override(cal, D(2024, 4, 18), 0, "Giỗ Tổ (QĐ)");
	calendar_holidays(cal, 2024, &h, &n);
	CHECK_EQ(n, 11);
	if (n == 11)
		CHECK_STR(h[5].name, "Giỗ Tổ (QĐ)");
	holidays_free(h, n);
	calendar_free(cal);

	/* An imported day off moves a compensation day: in 2021 1/5 is a
	 * Saturday compensated on Monday 3/5; with 3/5 imported as a day off,
	 * the Nghỉ bù goes to Tuesday 4/5. */
	cal = calendar_new();
	calendar_override(cal, D(2021, 5, 3), 0, "Nghỉ theo quyết định");
	CHECK_EQ(calendar_is_workday(cal, D(2021, 5, 3)), 0);
	CHECK_EQ(calendar_is_workday(cal, D(2021, 5, 4)), 0);
	CHECK_EQ(calendar_is_workday(cal, D(2021, 5, 5)), 1);
	calendar_holidays(cal, 2021, &h, &n);
	CHECK_EQ(n, 12);
	if (n == 12) {
		CHECK_STR(h[8].name, "Nghỉ theo quyết định");
		CHECK_EQ(h[9].date, D(2021, 5, 4));
		CHECK_STR(h[9].name, "Nghỉ bù Ngày Quốc tế Lao động");
	}
	holidays_free(h, n);
	calendar_free(cal);
}

int main(void)
{
	check_holidays();
	check_days();
	check_overrides();
	return T_DONE();
}
