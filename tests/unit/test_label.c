/*
 * test_label.c — the code tables of core/label.h: a known code in
 * English words, an unknown code as itself, NULL as "", every table
 * ended, and the unit kinds; in Vietnamese through the catalogue.
 */
#include <stddef.h>

#include "core/label.h"
#include "util/i18n.h"
#include "t.h"
#include "util/banned.h"

static size_t count(const struct code_label *t)
{
	size_t n = 0;
	while (t[n].code)
		n++;
	return n;
}

int main(void)
{
	i18n_init("en");
	CHECK_STR(label_occupation("worker"), "Worker in direct production");
	CHECK_STR(label_qualification("postgraduate"), "Postgraduate");
	CHECK_STR(label_org("youth_union"), "Youth Union");
	CHECK_STR(label_org("CT.BT"), "CT.BT");
	CHECK_STR(label_sector("hamlet"), "Hamlet or neighbourhood");
	CHECK_STR(label_sector("nowhere"), "nowhere");
	CHECK_STR(label_sector(NULL), "");
	CHECK_STR(label_unit_kind(UNIT_UPPER), "Upper level (district, bloc)");
	CHECK_STR(label_unit_kind(UNIT_CELL), "Cell");
	CHECK_EQ(count(label_occupations), 9);
	CHECK_EQ(count(label_qualifications), 5);
	CHECK_EQ(count(label_orgs), 7);
	CHECK_EQ(count(label_sectors), 9);
	CHECK_STR(label_sectors[0].code, "agency");
	CHECK_STR(label_sectors[8].code, "other");
	i18n_init("vi");
	CHECK_STR(label_sector("ward"), "Phường");
	CHECK_STR(label_unit_kind(UNIT_CELL), "Chi bộ trực thuộc");
	return T_DONE();
}
