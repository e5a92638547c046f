/*
 * identity.h — who a person is (RULES.md §10): the citizen identity
 * number's agreement with the person (KN-CCCD), and the key that makes two
 * records possible duplicates of one person.
 *
 * Pure functions over a struct person: nothing here reads the database
 * (store_dups.c finds the duplicates by the key, merges, and remembers the
 * refs merged away). Every path that creates or edits a person (the people
 * import, the web's new-candidate and edit forms, the JSON API) calls
 * identity_cccd_check() before writing, so that a typo in the number, the
 * sex or the birth date is caught where it is typed.
 */
#ifndef KN_IDENTITY_H
#define KN_IDENTITY_H

#include <stddef.h>

#include "core/model.h"
#include "util/buf.h"

#define IDENTITY_CCCD_CODE "KN-CCCD"

/* 1 when ref is exactly 12 ASCII digits: a citizen identity number (căn
 * cước công dân), which must agree with the person. Other refs (the old
 * 9-digit identity card, a local number) are not checked. */
int identity_is_cccd(const char *ref);

/*
 * KN-CCCD: for a 12-digit ref, the digits against the person —
 *  - digits 1–3: a province code, 001 to 096 (the range RULES.md §10
 *    gives: the 63 provinces' codes lie in it, with gaps);
 *  - digit 4: century and sex, 0/1 born 1900–1999 male/female, 2/3
 *    2000–2099, 4/5 2100–2199;
 *  - digits 5–6: the birth year's last two digits.
 * Appends one line "KN-CCCD: message\n" per disagreement (translated; the
 * message names the digits, what they say, what the person is recorded as,
 * the ref and the fix) and returns how many. A sex of 0 or an absent birth
 * date skips what needs them. 0 for any other ref.
 */
size_t identity_cccd_check(const struct person *p, struct buf *out);

/* The key under which two people are possible duplicates, appended to out:
 * the folded full name (text_fold(): accents, đ → d, case and runs of
 * spaces), which people.search_name stores; equal keys and equal birth
 * dates make a pair. */
void identity_dup_key(const char *full_name, struct buf *out);

#endif
