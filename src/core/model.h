/*
 * model.h — the nouns of the domain: units, people, steps, candidacies.
 *
 * These are plain structs that core/, store/ and io/ pass between them.
 * Strings in them are heap copies owned by the struct, freed by the
 * matching *_release(); NULL means "no value" (an empty CSV cell). Dates
 * are kn_date (KN_DATE_NONE when absent); counts are -1 when absent.
 */
#ifndef KN_MODEL_H
#define KN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "util/date.h"

enum unit_kind { UNIT_PROVINCE, UNIT_UPPER, UNIT_GRASSROOTS, UNIT_CELL };

struct unit {
	int64_t id;
	char *code;
	char *parent;		/* parent's code; NULL for the root */
	char *name;
	enum unit_kind kind;
	int may_admit;
	char *sector;		/* NULL or a sector code */
	int special_area;
};

struct person {
	int64_t id;
	char *ref;
	char *full_name;
	char sex;		/* 'M' or 'F' */
	kn_date birth_date;
	char *unit;		/* unit code */
	char *ethnicity;	/* NULL means Kinh */
	char *religion;
	char *education;	/* "5/12", "9/12", "12/12" */
	char *qualification;
	char *occupation;
	int youth_union;
	int trade_union;
	kn_date member_since;
	kn_date official_since;
	char *phone;
	char *note;
	/* RULES.md §9 (issue 15: re-admission): when and why the person
	 * last left the Party (NULL reason: never left, or not recorded),
	 * when a criminal record was cleared (minor_crime), and 1 once they
	 * have been re-admitted. */
	kn_date left_on;
	char *left_reason;	/* a left_reason_valid() code */
	kn_date record_cleared_on;
	int readmitted;
};

/* Steps in pipeline order; the numeric values are the order. */
enum step_code {
	STEP_NONE = 0,
	STEP_SOURCE,
	STEP_MENTOR,
	STEP_TRAINED,
	STEP_APPLIED,
	STEP_VERIFIED,
	STEP_INTRODUCED,
	STEP_CELL_VOTE,
	STEP_COMMITTEE_VOTE,
	STEP_DECISION,
	STEP_CEREMONY,
	STEP_PROBATION_VOTE,
	STEP_OFFICIAL,
	STEP_WITHDRAWN,		/* ending steps */
	STEP_REJECTED,
	STEP_STRUCK_OFF,
	STEP__COUNT
};

struct step {
	int64_t id;
	enum step_code code;
	kn_date date;
	char *doc_no;
	char *org;		/* nominating/introducing org, or deciding unit */
	char *member;		/* mentor: member ref */
	char *intro1;		/* introducer refs and since-dates */
	kn_date intro1_since;
	char *intro2;
	kn_date intro2_since;
	int votes_for;		/* -1 when absent */
	int votes_total;
	char *consent;
	char *override;		/* reason, when recorded despite a rule */
	char *override_by;
	char *note;
	char *recorded_by;
	char *recorded_at;	/* ISO timestamp, set by the store */
};

struct candidacy {
	int64_t id;
	int64_t person_id;
	enum step_code stage;	/* the last pipeline or ending step recorded */
	int open;		/* 0 after official, withdrawn, rejected, struck_off */
	int readmission;	/* a re-admission (RULES.md §9), fixed at source */
	struct step *steps;	/* in recorded order */
	size_t nsteps;
};

/* One row of the step table: the pipeline as data. */
struct step_info {
	enum step_code code;
	const char *name;	/* "cell_vote" */
	const char *label_vi;	/* "chi bộ xét, đề nghị kết nạp" */
	unsigned repeatable:1;	/* mentor; trained and introduced until cell_vote */
	unsigned ordered:1;	/* takes part in the order (not mentor, not ending) */
	unsigned ending:1;
	unsigned needs_doc:1;
	unsigned needs_votes:1;
};

const struct step_info *step_info(enum step_code c);
/* STEP_NONE for an unknown name. */
enum step_code step_from_name(const char *name);
const char *step_name(enum step_code c);

/* Name tables for codes that CSV files carry. Each returns the canonical
 * spelling, or NULL for an unknown value. */
const char *unit_kind_name(enum unit_kind k);
int unit_kind_parse(const char *s, enum unit_kind *out);
int sector_valid(const char *s);
int org_valid(const char *s);
int occupation_valid(const char *s);
int qualification_valid(const char *s);
int education_valid(const char *s);
int left_reason_valid(const char *s);	/* RULES.md §9's left_reason codes */
/* Education "9/12" -> 9; -1 when absent or unparsable. */
int education_level(const char *s);

void unit_release(struct unit *u);
/* Empty: no strings, every date KN_DATE_NONE (a zeroed struct would hold
 * 1970-01-01 in its dates). */
void person_init(struct person *p);
void person_release(struct person *p);
/* *d becomes a deep copy of *s (every string duplicated), the caller's to
 * person_release(). */
void person_copy(struct person *d, const struct person *s);
void step_init(struct step *s);
void step_release(struct step *s);
void step_copy(struct step *dst, const struct step *src);
void candidacy_release(struct candidacy *c);

#endif
