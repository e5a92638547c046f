/*
 * label.c — the code tables of label.h. The message ids are the web
 * pages' own where the web shows the same thing, so that both say it in
 * the same words.
 */
#include <string.h>

#include "core/label.h"
#include "util/i18n.h"
#include "util/banned.h"

const struct code_label label_occupations[] = {
	{ "worker", N_("Worker in direct production") },
	{ "farmer", N_("Farmer") },
	{ "civil_servant", N_("Civil servant") },
	{ "public_employee", N_("Public employee") },
	{ "enterprise_manager", N_("Enterprise manager") },
	{ "business_owner", N_("Business owner") },
	{ "armed_forces", N_("Armed forces") },
	{ "student", N_("Student") },
	{ "other", N_("Other occupation") },
	{ NULL, NULL },
};

const struct code_label label_qualifications[] = {
	{ "none", N_("No vocational training") },
	{ "vocational", N_("Vocational") },
	{ "college", N_("College") },
	{ "university", N_("University") },
	{ "postgraduate", N_("Postgraduate") },
	{ NULL, NULL },
};

const struct code_label label_orgs[] = {
	{ "youth_union", N_("Youth Union") },
	{ "trade_union", N_("Trade Union") },
	{ "women_union", N_("Women's Union") },
	{ "farmers_union", N_("Farmers' Union") },
	{ "veterans_union", N_("Veterans' Association") },
	{ "cell", N_("Party cell") },
	{ "other", N_("Other organisation") },
	{ NULL, NULL },
};

const struct code_label label_sectors[] = {
	{ "agency", N_("Agency") },
	{ "state_enterprise", N_("State enterprise") },
	{ "nonstate_enterprise", N_("Non-state enterprise") },
	{ "ward", N_("Ward") },
	{ "commune", N_("Commune") },
	{ "hamlet", N_("Hamlet or neighbourhood") },
	{ "school", N_("School") },
	{ "armed_forces", N_("Armed forces") },
	{ "other", N_("Other") },
	{ NULL, NULL },
};

const char *label_lookup(const struct code_label *t, const char *code)
{
	if (!code)
		return "";
	for (; t->code; t++)
		if (strcmp(t->code, code) == 0)
			return _(t->label);
	return code;
}

const char *label_occupation(const char *code) { return label_lookup(label_occupations, code); }
const char *label_qualification(const char *code)
{
	return label_lookup(label_qualifications, code);
}
const char *label_org(const char *code) { return label_lookup(label_orgs, code); }
const char *label_sector(const char *code) { return label_lookup(label_sectors, code); }

const char *label_unit_kind(enum unit_kind k)
{
	switch (k) {
	case UNIT_PROVINCE: return _("Province or city committee");
	case UNIT_UPPER: return _("Upper level (district, bloc)");
	case UNIT_GRASSROOTS: return _("Grassroots organisation");
	case UNIT_CELL: return _("Cell");
	}
	return unit_kind_name(k);
}
