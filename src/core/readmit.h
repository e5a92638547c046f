/*
 * readmit.h — re-admission (kết nạp lại, RULES.md §9, issue 15): who is
 * re-admitted, which unit decides it, and the five rules as checks of the
 * rule table (rules.c lists them beside the others, so that the ledger,
 * the importer, `check` and the web judge them exactly as the rest).
 *
 * Like every rule, the checks are pure functions of struct rule_facts:
 * the person's §9 facts (left_on, left_reason, record_cleared_on,
 * readmitted) come with f->person; the ledger says whether the candidacy
 * is a re-admission (f->readmission: at `source`, what
 * readmit_is_readmission() answers for its date; later, what the
 * candidacy remembered when its source was recorded) and which unit
 * decides re-admissions (f->readmit_authority). Each check passes
 * (returns 0) for a candidacy that is not a re-admission.
 */
#ifndef KN_READMIT_H
#define KN_READMIT_H

#include "core/model.h"
#include "core/rules.h"
#include "core/unitree.h"
#include "util/buf.h"

/* A left_reason code as people read it, translated ("struck off");
 * the code itself when unknown. Static. */
const char *readmit_reason_label(const char *code);

/* The leaving that came before a candidacy of p sourced on `source`: p's
 * left_on and left_reason when on or before that day; else the latest
 * struck_off, by then, of one of p's candidacies c[0..nc) that had been
 * admitted (left_on holds only the latest leaving: once p left again
 * after this candidacy, as a people list exported later shows them, the
 * steps still show the leaving before it, so that export → import of
 * people, then of steps, judges the same). Returns 1 with *on and
 * *reason (static or p's; NULL when not recorded) set, or 0 when p had
 * not left by then: the candidacy is a re-admission exactly when 1. */
int readmit_leaving(const struct person *p, const struct candidacy *c, size_t nc,
		    kn_date source, kn_date *on, const char **reason);

/* The unit that decides re-admissions for the considering unit n: the
 * nearest unit above it of kind `upper` or `province` whose may_admit is
 * set (even where a grassroots unit between them may admit); NULL when
 * there is none. */
struct unode *readmit_authority(struct unode *n);

/* 1 when p was re-admitted before a candidacy sourced on `source`
 * (KN-READMIT-ONCE): one of their recorded candidacies c[0..nc) is a
 * re-admission with a decision, or their flag `readmitted` stands for an
 * earlier re-admission. A people list exported after the re-admission
 * and re-imported with its steps shows readmitted = 1 with a leaving
 * after this source (left again) or a member_since after it (the
 * re-admission's decision): that flag is this candidacy's own. */
int readmit_already(const struct person *p, const struct candidacy *c, size_t nc,
		    kn_date source);

/* The checks of the rule table (rules.c): 1 and one sentence in msg when
 * broken, as struct rule_info's check. */
int readmit_check_never(const struct rule_facts *f, struct buf *msg);
int readmit_check_once(const struct rule_facts *f, struct buf *msg);
int readmit_check_wait(const struct rule_facts *f, struct buf *msg);
int readmit_check_consent(const struct rule_facts *f, struct buf *msg);
int readmit_check_authority(const struct rule_facts *f, struct buf *msg);

#endif
