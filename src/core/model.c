/*
 * model.c — the step table and the name tables of the codes that CSV files
 * carry, and the release functions of the model structs.
 */
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const struct step_info steps[STEP__COUNT] = {
	[STEP_SOURCE] = { STEP_SOURCE, "source", "đưa vào danh sách cảm tình Đảng (tạo nguồn)", 0, 1, 0, 0, 0 },
	[STEP_MENTOR] = { STEP_MENTOR, "mentor", "phân công đảng viên giúp đỡ", 1, 0, 0, 0, 0 },
	[STEP_TRAINED] = { STEP_TRAINED, "trained", "học lớp bồi dưỡng nhận thức về Đảng", 1, 1, 0, 1, 0 },
	[STEP_APPLIED] = { STEP_APPLIED, "applied", "đơn xin vào Đảng và lý lịch", 0, 1, 0, 0, 0 },
	[STEP_VERIFIED] = { STEP_VERIFIED, "verified", "thẩm tra lý lịch", 0, 1, 0, 0, 0 },
	[STEP_INTRODUCED] = { STEP_INTRODUCED, "introduced", "giới thiệu người vào Đảng", 1, 1, 0, 0, 0 },
	[STEP_CELL_VOTE] = { STEP_CELL_VOTE, "cell_vote", "chi bộ xét, đề nghị kết nạp", 0, 1, 0, 0, 1 },
	[STEP_COMMITTEE_VOTE] = { STEP_COMMITTEE_VOTE, "committee_vote", "đảng ủy cơ sở xét, đề nghị", 0, 1, 0, 0, 1 },
	[STEP_DECISION] = { STEP_DECISION, "decision", "quyết định kết nạp", 0, 1, 0, 1, 0 },
	[STEP_CEREMONY] = { STEP_CEREMONY, "ceremony", "lễ kết nạp", 0, 1, 0, 0, 0 },
	[STEP_PROBATION_VOTE] = { STEP_PROBATION_VOTE, "probation_vote", "chi bộ xét công nhận đảng viên chính thức", 0, 1, 0, 0, 1 },
	[STEP_OFFICIAL] = { STEP_OFFICIAL, "official", "quyết định công nhận đảng viên chính thức", 0, 1, 0, 1, 0 },
	[STEP_WITHDRAWN] = { STEP_WITHDRAWN, "withdrawn", "rút khỏi danh sách", 0, 0, 1, 0, 0 },
	[STEP_REJECTED] = { STEP_REJECTED, "rejected", "không được kết nạp", 0, 0, 1, 0, 0 },
	[STEP_STRUCK_OFF] = { STEP_STRUCK_OFF, "struck_off", "xóa tên trong danh sách đảng viên dự bị", 0, 0, 1, 0, 0 },
};

const struct step_info *step_info(enum step_code c)
{
	if (c <= STEP_NONE || c >= STEP__COUNT)
		return NULL;
	return &steps[c];
}

enum step_code step_from_name(const char *name)
{
	if (!name)
		return STEP_NONE;
	for (int i = STEP_SOURCE; i < STEP__COUNT; i++)
		if (strcmp(steps[i].name, name) == 0)
			return (enum step_code)i;
	return STEP_NONE;
}

const char *step_name(enum step_code c)
{
	const struct step_info *si = step_info(c);
	return si ? si->name : "";
}

static const char *const kinds[] = { "province", "upper", "grassroots", "cell" };

const char *unit_kind_name(enum unit_kind k)
{
	return (unsigned)k < 4 ? kinds[k] : "";
}

int unit_kind_parse(const char *s, enum unit_kind *out)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, kinds[i]) == 0) {
			*out = (enum unit_kind)i;
			return 0;
		}
	return -1;
}

static int in_list(const char *s, const char *const *list)
{
	if (!s)
		return 0;
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

int sector_valid(const char *s)
{
	static const char *const v[] = { "agency", "state_enterprise", "nonstate_enterprise",
		"ward", "commune", "hamlet", "school", "armed_forces", "other", NULL };
	return in_list(s, v);
}

int org_valid(const char *s)
{
	static const char *const v[] = { "youth_union", "trade_union", "women_union",
		"farmers_union", "veterans_union", "cell", "other", NULL };
	return in_list(s, v);
}

int occupation_valid(const char *s)
{
	static const char *const v[] = { "worker", "farmer", "civil_servant", "public_employee",
		"enterprise_manager", "business_owner", "armed_forces", "student", "other", NULL };
	return in_list(s, v);
}

int qualification_valid(const char *s)
{
	static const char *const v[] = { "none", "vocational", "college", "university",
		"postgraduate", NULL };
	return in_list(s, v);
}

int education_level(const char *s)
{
	int v = 0, n = 0;
	if (!s)
		return -1;
	while (*s >= '0' && *s <= '9' && n < 3) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	if (n == 0 || strcmp(s, "/12") != 0 || v < 1 || v > 12)
		return -1;
	return v;
}

int education_valid(const char *s)
{
	return education_level(s) > 0;
}

void unit_release(struct unit *u)
{
	free(u->code);
	free(u->parent);
	free(u->name);
	free(u->sector);
	memset(u, 0, sizeof(*u));
}

void person_release(struct person *p)
{
	free(p->ref);
	free(p->full_name);
	free(p->unit);
	free(p->ethnicity);
	free(p->religion);
	free(p->education);
	free(p->qualification);
	free(p->occupation);
	free(p->phone);
	free(p->note);
	free(p->left_reason);
	person_init(p);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Beside person_release(): the same list of strings. */
void person_copy(struct person *d, const struct person *s)
{
	*d = *s;
	d->ref = dup_or_null(s->ref);
	d->full_name = dup_or_null(s->full_name);
	d->unit = dup_or_null(s->unit);
	d->ethnicity = dup_or_null(s->ethnicity);
	d->religion = dup_or_null(s->religion);
	d->education = dup_or_null(s->education);
	d->qualification = dup_or_null(s->qualification);
	d->occupation = dup_or_null(s->occupation);
	d->phone = dup_or_null(s->phone);
	d->note = dup_or_null(s->note);
	d->left_reason = dup_or_null(s->left_reason);
}

void person_init(struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->birth_date = p->member_since = p->official_since = KN_DATE_NONE;
	p->left_on = p->record_cleared_on = KN_DATE_NONE;
}

int left_reason_valid(const char *s)
{
	static const char *const v[] = { "struck_off", "expelled", "resigned", "resigned_family",
		"abandoned", "disunity", "corruption", "serious_crime", "minor_crime",
		"population_policy", "other", NULL };
	return in_list(s, v);
}

void step_init(struct step *s)
{
	memset(s, 0, sizeof(*s));
	s->date = s->intro1_since = s->intro2_since = KN_DATE_NONE;
	s->votes_for = s->votes_total = -1;
}

void step_release(struct step *s)
{
	free(s->doc_no);
	free(s->org);
	free(s->member);
	free(s->intro1);
	free(s->intro2);
	free(s->consent);
	free(s->override);
	free(s->override_by);
	free(s->note);
	free(s->recorded_by);
	free(s->recorded_at);
	step_init(s);
}

void step_copy(struct step *dst, const struct step *src)
{
	*dst = *src;
	dst->doc_no = dup_or_null(src->doc_no);
	dst->org = dup_or_null(src->org);
	dst->member = dup_or_null(src->member);
	dst->intro1 = dup_or_null(src->intro1);
	dst->intro2 = dup_or_null(src->intro2);
	dst->consent = dup_or_null(src->consent);
	dst->override = dup_or_null(src->override);
	dst->override_by = dup_or_null(src->override_by);
	dst->note = dup_or_null(src->note);
	dst->recorded_by = dup_or_null(src->recorded_by);
	dst->recorded_at = dup_or_null(src->recorded_at);
}

void candidacy_release(struct candidacy *c)
{
	for (size_t i = 0; i < c->nsteps; i++)
		step_release(&c->steps[i]);
	free(c->steps);
	memset(c, 0, sizeof(*c));
}
