/*
 * label.h — the words shown to people instead of the codes of a person's
 * record and of a unit: occupations, qualifications, organisations,
 * sectors and unit kinds, each code with its English words (the gettext
 * message id, translated when shown). One table for every front end, so
 * that the command line and the web pages say the same thing in the same
 * words. For human output only: CSV and JSON keep the codes.
 *
 * Every returned string is static (a catalogue entry, or the code itself
 * when it is unknown; "" for NULL); nothing to free.
 */
#ifndef KN_CORE_LABEL_H
#define KN_CORE_LABEL_H

#include "core/model.h"

/* A code and its words, N_() (translate with _() when shown). The tables
 * end with { NULL, NULL }, in the order a form lists them. */
struct code_label {
	const char *code;
	const char *label;
};

extern const struct code_label label_occupations[];
extern const struct code_label label_qualifications[];
extern const struct code_label label_orgs[];
extern const struct code_label label_sectors[];

/* The words of code in table t, translated. */
const char *label_lookup(const struct code_label *t, const char *code);

const char *label_occupation(const char *code);
const char *label_qualification(const char *code);
const char *label_org(const char *code);		/* youth_union, …, or a unit code */
const char *label_sector(const char *code);
const char *label_unit_kind(enum unit_kind k);

#endif
