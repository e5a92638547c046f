/*
 * label.h — what the command line shows people instead of internal codes:
 * occupations, qualifications, organisations, unit kinds, sectors and
 * flags, steps, the facts of a step, deadlines, and the option a user types
 * for a missing fact. For human output only: CSV and JSON keep the codes.
 * Every returned string is static (a catalogue entry or the code itself,
 * when the code is unknown); nothing to free.
 */
#ifndef KN_LABEL_H
#define KN_LABEL_H

#include "core/label.h"	/* occupations, qualifications, organisations, sectors, unit kinds */
#include "core/model.h"
#include "util/buf.h"

/* A step in words: the Vietnamese name of the step table in Vietnamese,
 * the code in English (the word a user types). */
const char *label_step(enum step_code c);

/* What `person find` shows in its step column: a step code, "member" or
 * "official", in words in Vietnamese (the code itself in English). */
const char *label_stage(const char *code);

/* The facts of st in words ("tổ chức: Đoàn Thanh niên; số phiếu: 5/7")
 * appended to out. */
void label_step_facts(const struct step *st, struct buf *out);

/* A deadline in words with its code beside: "Hạn quyết định kết nạp
 * (DL-DECISION)", appended to out. */
void label_deadline(const char *code, struct buf *out);

/* The command-line option that gives a fact of the ledger's messages
 * ("votes_for" -> "--for"); NULL for a fact no option gives. */
const char *label_fact_option(const char *fact);

/* The lines "FACT: message" of the ledger's missing facts, with each
 * FACT that an option gives replaced by that option, appended to out. */
void label_need_lines(const char *need, struct buf *out);

#endif
