/*
 * test_lunar.c — the Vietnamese lunar calendar against published facts.
 *
 * The expected dates are what Vietnamese calendars print (lịch vạn niên),
 * written here by hand: Tết of well-known years, including those where the
 * Vietnamese calendar (UTC+7) differs from the Chinese one (UTC+8), leap
 * months, and month ends ("Tết without a 30th"). Then a sweep over every
 * day of 1900–2100 checks that the conversions invert each other and that
 * the calendar is well-formed.
 */
#include <stdio.h>

#include "core/lunar.h"
#include "t.h"
#include "util/banned.h"

#define D(y, m, d) date_from_ymd(y, m, d)

static void check_tet(void)
{
	CHECK_EQ(lunar_to_solar(1, 1, 1900, 0), D(1900, 1, 31));
	CHECK_EQ(lunar_to_solar(1, 1, 1901, 0), D(1901, 2, 19));
	CHECK_EQ(lunar_to_solar(1, 1, 1945, 0), D(1945, 2, 13));
	CHECK_EQ(lunar_to_solar(1, 1, 1954, 0), D(1954, 2, 3));
	/* 1968: North Vietnam's calendar, on UTC+7, put Tết Mậu Thân on
	 * 29 January, a day before the South's (and China's) 30 January. */
	CHECK_EQ(lunar_to_solar(1, 1, 1968, 0), D(1968, 1, 29));
	CHECK_EQ(lunar_to_solar(1, 1, 1975, 0), D(1975, 2, 11));
	/* 1985: 21 January in Vietnam, 20 February in China (a month apart:
	 * the leap month and month 11 are placed differently). */
	CHECK_EQ(lunar_to_solar(1, 1, 1985, 0), D(1985, 1, 21));
	CHECK_EQ(lunar_to_solar(1, 1, 2000, 0), D(2000, 2, 5));
	/* 2007: 17 February in Vietnam, 18 February in China. */
	CHECK_EQ(lunar_to_solar(1, 1, 2007, 0), D(2007, 2, 17));
	CHECK_EQ(lunar_to_solar(1, 1, 2008, 0), D(2008, 2, 7));
	CHECK_EQ(lunar_to_solar(1, 1, 2011, 0), D(2011, 2, 3));
	CHECK_EQ(lunar_to_solar(1, 1, 2012, 0), D(2012, 1, 23));
	CHECK_EQ(lunar_to_solar(1, 1, 2013, 0), D(2013, 2, 10));
	CHECK_EQ(lunar_to_solar(1, 1, 2019, 0), D(2019, 2, 5));
	CHECK_EQ(lunar_to_solar(1, 1, 2020, 0), D(2020, 1, 25));
	CHECK_EQ(lunar_to_solar(1, 1, 2021, 0), D(2021, 2, 12));
	CHECK_EQ(lunar_to_solar(1, 1, 2022, 0), D(2022, 2, 1));
	CHECK_EQ(lunar_to_solar(1, 1, 2023, 0), D(2023, 1, 22));
	CHECK_EQ(lunar_to_solar(1, 1, 2024, 0), D(2024, 2, 10));
	CHECK_EQ(lunar_to_solar(1, 1, 2025, 0), D(2025, 1, 29));
	CHECK_EQ(lunar_to_solar(1, 1, 2026, 0), D(2026, 2, 17));
}

static void check_other_days(void)
{
	/* Giỗ Tổ Hùng Vương, 10/3 lunar, as the holiday was given. */
	CHECK_EQ(lunar_to_solar(10, 3, 2007, 0), D(2007, 4, 26));
	CHECK_EQ(lunar_to_solar(10, 3, 2012, 0), D(2012, 3, 31));
	CHECK_EQ(lunar_to_solar(10, 3, 2019, 0), D(2019, 4, 14));
	CHECK_EQ(lunar_to_solar(10, 3, 2023, 0), D(2023, 4, 29));
	CHECK_EQ(lunar_to_solar(10, 3, 2024, 0), D(2024, 4, 18));
	CHECK_EQ(lunar_to_solar(10, 3, 2025, 0), D(2025, 4, 7));
	/* Trung thu, 15/8. */
	CHECK_EQ(lunar_to_solar(15, 8, 2023, 0), D(2023, 9, 29));
	CHECK_EQ(lunar_to_solar(15, 8, 2024, 0), D(2024, 9, 17));
	/* The last month of Giáp Thìn (2024) had 29 days (new moons on
	 * 31 December 2024 and 29 January 2025, UTC+7): Tết Ất Tỵ came
	 * without a "30 Tết". */
	CHECK_EQ(lunar_to_solar(29, 12, 2024, 0), D(2025, 1, 28));
	CHECK_EQ(lunar_to_solar(30, 12, 2024, 0), KN_DATE_NONE);
	/* Nhâm Dần (2022), Quý Mão (2023) and Canh Dần (2010) ended on a 30th. */
	CHECK_EQ(lunar_to_solar(30, 12, 2022, 0), D(2023, 1, 21));
	CHECK_EQ(lunar_to_solar(30, 12, 2023, 0), D(2024, 2, 9));
	CHECK_EQ(lunar_to_solar(30, 12, 2010, 0), D(2011, 2, 2));
}

static void check_leap(void)
{
	/* 2020 Canh Tý: leap month 4, from 23 May 2020. */
	CHECK_EQ(lunar_to_solar(1, 4, 2020, 1), D(2020, 5, 23));
	CHECK_EQ(lunar_to_solar(1, 5, 2020, 1), KN_DATE_NONE);
	CHECK_EQ(lunar_to_solar(1, 3, 2020, 1), KN_DATE_NONE);
	/* 2023 Quý Mão: leap month 2, from 22 March 2023. */
	CHECK_EQ(lunar_to_solar(1, 2, 2023, 1), D(2023, 3, 22));
	/* No leap month in 2024 or 2011. */
	CHECK_EQ(lunar_to_solar(1, 4, 2024, 1), KN_DATE_NONE);
	CHECK_EQ(lunar_to_solar(1, 1, 2011, 1), KN_DATE_NONE);
	/* Other leap months of Vietnamese calendars: 2012 month 4, 2014
	 * month 9, 2017 month 6, 2025 month 6, 1985 month 2 (China: 1984
	 * month 10, hence the month between the two Tết). */
	CHECK(lunar_to_solar(1, 4, 2012, 1) != KN_DATE_NONE);
	CHECK(lunar_to_solar(1, 9, 2014, 1) != KN_DATE_NONE);
	CHECK(lunar_to_solar(1, 6, 2017, 1) != KN_DATE_NONE);
	CHECK(lunar_to_solar(1, 6, 2025, 1) != KN_DATE_NONE);
	CHECK(lunar_to_solar(1, 2, 1985, 1) != KN_DATE_NONE);
	CHECK_EQ(lunar_to_solar(1, 10, 1984, 1), KN_DATE_NONE);
	/* 2033: Hồ Ngọc Đức's rule gives a leap month 11, the one case in
	 * the range where the leap month opens the sui; it belongs to the
	 * lunar year 2033. */
	{
		kn_date d = lunar_to_solar(1, 11, 2033, 1);
		struct lunar_date l = { 0, 0, 0, 0 };

		CHECK(d != KN_DATE_NONE);
		CHECK(d > lunar_to_solar(1, 11, 2033, 0));
		CHECK(d < lunar_to_solar(1, 12, 2033, 0));
		CHECK_EQ(lunar_from_solar(d, &l), 0);
		CHECK_EQ(l.day, 1);
		CHECK_EQ(l.month, 11);
		CHECK_EQ(l.leap, 1);
		CHECK_EQ(l.year, 2033);
	}
}

static void check_from_solar(void)
{
	struct lunar_date l;

	CHECK_EQ(lunar_from_solar(D(2011, 2, 3), &l), 0);
	CHECK(l.day == 1 && l.month == 1 && l.year == 2011 && !l.leap);
	CHECK_EQ(lunar_from_solar(D(2024, 2, 9), &l), 0);
	CHECK(l.day == 30 && l.month == 12 && l.year == 2023 && !l.leap);
	CHECK_EQ(lunar_from_solar(D(2020, 5, 23), &l), 0);
	CHECK(l.day == 1 && l.month == 4 && l.year == 2020 && l.leap);
	CHECK_EQ(lunar_from_solar(D(2020, 6, 21), &l), 0);	/* next month */
	CHECK(l.day == 1 && l.month == 5 && l.year == 2020 && !l.leap);
	CHECK_EQ(lunar_from_solar(D(2023, 3, 22), &l), 0);
	CHECK(l.day == 1 && l.month == 2 && l.year == 2023 && l.leap);
	CHECK_EQ(lunar_from_solar(D(2023, 9, 29), &l), 0);
	CHECK(l.day == 15 && l.month == 8 && l.year == 2023 && !l.leap);
	/* 1 January 1900 was the new moon opening month 12 of Kỷ Hợi (1899). */
	CHECK_EQ(lunar_from_solar(D(1900, 1, 1), &l), 0);
	CHECK(l.day == 1 && l.month == 12 && l.year == 1899 && !l.leap);
	/* Outside 1900–2100. */
	CHECK_EQ(lunar_from_solar(D(1899, 12, 31), &l), -1);
	CHECK_EQ(lunar_from_solar(D(2101, 1, 1), &l), -1);
	CHECK_EQ(lunar_to_solar(1, 1, 2150, 0), KN_DATE_NONE);
	CHECK_EQ(lunar_to_solar(0, 1, 2011, 0), KN_DATE_NONE);
	CHECK_EQ(lunar_to_solar(31, 1, 2011, 0), KN_DATE_NONE);
	CHECK_EQ(lunar_to_solar(1, 13, 2011, 0), KN_DATE_NONE);
}

static void check_names(void)
{
	CHECK_STR(lunar_year_name(1899), "Kỷ Hợi");
	CHECK_STR(lunar_year_name(1900), "Canh Tý");
	CHECK_STR(lunar_year_name(1968), "Mậu Thân");
	CHECK_STR(lunar_year_name(1975), "Ất Mão");
	CHECK_STR(lunar_year_name(1983), "Quý Hợi");
	CHECK_STR(lunar_year_name(1984), "Giáp Tý");
	CHECK_STR(lunar_year_name(1985), "Ất Sửu");
	CHECK_STR(lunar_year_name(2011), "Tân Mão");
	CHECK_STR(lunar_year_name(2013), "Quý Tỵ");
	CHECK_STR(lunar_year_name(2020), "Canh Tý");
	CHECK_STR(lunar_year_name(2024), "Giáp Thìn");
	CHECK_STR(lunar_year_name(2025), "Ất Tỵ");
	CHECK_STR(lunar_year_name(2100), "Canh Thân");
}

/* Every day of 1900–2100: the conversion inverts, days count up by one
 * inside a month, months have 29 or 30 days, a year has 12 or 13 months,
 * at most one of them leap, and Tết falls between 21 January and
 * 20 February. One failure is reported per kind, not per day. */
static void check_sweep(void)
{
	kn_date d, first = D(1900, 1, 1), last = D(2100, 12, 31);
	struct lunar_date prev = { 0, 0, 0, 0 }, l;
	int bad_round = 0, bad_seq = 0, bad_len = 0, bad_tet = 0, bad_leap = 0;
	int months_in_year = 0, leaps_in_year = 0, years = 0;

	for (d = first; d <= last; d++) {
		if (lunar_from_solar(d, &l) != 0) {
			bad_round++;
			continue;
		}
		if (lunar_to_solar(l.day, l.month, l.year, l.leap) != d)
			bad_round++;
		if (d == first) {
			prev = l;
			continue;
		}
		if (l.day == 1) {
			if (prev.day != 29 && prev.day != 30)
				bad_len++;
			if (l.month == 1 && !l.leap) {
				int y, m, dd;

				if (l.year != prev.year + 1 || prev.month != 12)
					bad_seq++;
				date_to_ymd(d, &y, &m, &dd);
				if (y != l.year || d < D(y, 1, 21) || d > D(y, 2, 20))
					bad_tet++;
				if (years++ > 0 && (months_in_year < 12 || months_in_year > 13 ||
						    leaps_in_year != months_in_year - 12))
					bad_leap++;
				months_in_year = 0;
				leaps_in_year = 0;
			} else if (l.leap) {
				if (l.month != prev.month || prev.leap || l.year != prev.year)
					bad_seq++;
			} else if (l.month != prev.month + 1 || l.year != prev.year) {
				bad_seq++;
			}
			months_in_year++;
			leaps_in_year += l.leap;
		} else if (l.day != prev.day + 1 || l.month != prev.month ||
			   l.leap != prev.leap || l.year != prev.year) {
			bad_seq++;
		}
		prev = l;
	}
	CHECK_EQ(bad_round, 0);
	CHECK_EQ(bad_seq, 0);
	CHECK_EQ(bad_len, 0);
	CHECK_EQ(bad_tet, 0);
	CHECK_EQ(bad_leap, 0);
	CHECK_EQ(years, 201);	/* Tết 1900 … Tết 2100 */
}

int main(void)
{
	check_tet();
	check_other_days();
	check_leap();
	check_from_solar();
	check_names();
	check_sweep();
	return T_DONE();
}
