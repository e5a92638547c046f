/*
 * text.h — Vietnamese text: normalisation, search folding, name order,
 * number formatting and display width, all through ICU.
 *
 * Every string in and out is UTF-8. Nothing here allocates a result for the
 * caller: results are appended to a struct buf the caller owns (buf.h), so
 * nothing returned needs freeing. Functions taking text accept any bytes;
 * only text_nfc() refuses invalid UTF-8, the others treat each invalid byte
 * as U+FFFD (folding, collation) or as one column (width).
 *
 * The "vi" ICU collator is opened once per process, on first use, and shared
 * by all threads (ICU's const operations — compare, sort key — are
 * thread-safe). If ICU cannot open it (missing data), name order falls back
 * to comparing NFC bytes, so callers never see an error.
 */
#ifndef KN_TEXT_H
#define KN_TEXT_H

#include "util/buf.h"

/* Nonzero when s is well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing above U+10FFFF). NULL is not valid. */
int text_is_valid_utf8(const char *s);

/* NFC-normalise UTF-8 s and append it to out. Returns 0, or -1 when s is not
 * valid UTF-8 (out is then left untouched). Import and every stored name go
 * through this, so that equal names are equal bytes. */
int text_nfc(const char *s, struct buf *out);

/* Search folding, appended to out: lower case, accents and tone marks
 * removed, đ/Đ -> d, runs of whitespace -> one space, leading and trailing
 * whitespace dropped. "Nguyễn Văn Đức" -> "nguyen van duc". Two strings match
 * in a search when their foldings are equal (or one contains the other). */
void text_fold(const char *s, struct buf *out);

/* Vietnamese name order: by given name (the last word), then the middle
 * name(s), then the family name (the first word), each compared with ICU's
 * "vi" collator (Ánh < Bình < Dung < Đức < Hà; a < ă < â). Words are
 * separated by any run of whitespace. A one-word name is a given name with no
 * middle or family name. Returns <0, 0 or >0 like strcmp; 0 only for names
 * the collator cannot tell apart (e.g. the same name in NFC and NFD). */
int text_name_cmp(const char *a, const char *b);

/* A binary sort key for the order of text_name_cmp(), appended to out:
 * NUL-terminated, no embedded NULs, compare with strcmp()/memcmp() and the
 * sign agrees with text_name_cmp(). Not printable; only for sorting. Keys
 * are only comparable within one ICU version: store them only with
 * text_name_key_version(). */
void text_name_key(const char *full_name, struct buf *out);

/* What the keys of text_name_key() depend on, appended to out: the ICU
 * version and the "vi" collator's version ("icu-72.1 vi-153.120…"), or
 * "bytes" when no collator could be opened. A stored key is valid while
 * this text is the same (the store rebuilds its keys when it is not). */
void text_name_key_version(struct buf *out);

/* A binary sort key of the whole text in ICU's "vi" order (Ánh < Bình <
 * Dung < Đức < Hà; a < ă < â), appended to out: compare with strcmp().
 * For unit names and other text that is not a person's name. */
void text_sort_key(const char *s, struct buf *out);

/* Integers with thousands separators: vi "2.669", "1.234.567", "-5"; en
 * "2,669". text_int() uses i18n_is_vi(); text_int_lang() takes lang "vi" or
 * anything else for English. */
void text_int(struct buf *out, long long v);
void text_int_lang(struct buf *out, long long v, const char *lang);

/* A value in tenths, already rounded: 1271 -> vi "127,1", en "127.1";
 * 12345 -> vi "1.234,5"; -5 -> "-0,5". */
void text_tenths(struct buf *out, long long tenths);
void text_tenths_lang(struct buf *out, long long tenths, const char *lang);

/* part/total as a percentage in tenths, rounded half away from zero:
 * (417, 250) -> 1668 (166.8 %), (1, 8) -> 125, (1, 16) -> 63. Returns -1 when
 * total is 0 (no percentage can be given). Exact integer arithmetic; results
 * beyond the range of long long are clamped. */
long long text_percent_tenths(long long part, long long total);

/* Display width of UTF-8 s in terminal columns: combining marks, format and
 * control characters 0, East Asian wide/fullwidth 2, everything else 1; an
 * invalid byte counts 1. */
int text_width(const char *s);

/* s made safe to show on a terminal, appended to out: control characters
 * (C0, DEL, C1) and bidi embeddings, overrides and isolates become spaces,
 * an invalid UTF-8 byte '?'; everything else is copied. For human output
 * only (tables, `person show`): CSV and JSON keep the data as it is. */
void text_printable(const char *s, struct buf *out);

#endif
