/*
 * text.c — Vietnamese text handling on top of ICU's C API.
 *
 * Names arrive from spreadsheets typed on different keyboards: the same
 * "Nguyễn" may come precomposed or decomposed, with tone marks on different
 * letters, with odd spacing. This file gives the rest of ketnap one place
 * for the answers: NFC for storage (so equal names are equal bytes),
 * folding for search (so "nguyen van duc" finds "Nguyễn Văn Đức"), the
 * Vietnamese name order for lists (given name first, with ICU's "vi"
 * collator, since byte order puts "Đ" after "Z" and "Á" after everything),
 * numbers written the Vietnamese way ("2.669", "127,1") and terminal widths
 * so tables of Vietnamese text line up. UTF-8 is decoded by hand for the
 * cheap per-code-point work; ICU works in UTF-16, so text is converted only
 * where ICU is needed.
 */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/uvernum.h>
#include <unicode/uversion.h>

#include "util/text.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- UTF-8 ---------------------------------------------------------- */

/*
 * Decode one code point at s (which is NUL-terminated). Returns the number
 * of bytes used; *cp is the code point, or -1 for an ill-formed sequence, of
 * which one byte is consumed. Overlong forms, surrogates and values above
 * U+10FFFF are ill-formed. A continuation byte is never the NUL, so this
 * never reads past the terminator.
 */
static size_t utf8_next(const unsigned char *s, UChar32 *cp)
{
	unsigned c = s[0];
	size_t n, i;
	UChar32 v, min;

	if (c < 0x80) {
		*cp = (UChar32)c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3; v = c & 0x07; min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return n + 1;
}

int text_is_valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	UChar32 c;

	if (!s)
		return 0;
	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		p += utf8_next(p, &c);
		if (c < 0)
			return 0;
	}
	return 1;
}

static int is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* ---- UTF-16 conversions for ICU ------------------------------------- */

/* ICU counts in int32_t; a longer string is not text this program can
 * have been given for a reason, and there is no useful partial answer. */
static int32_t icu_len(size_t n)
{
	if (n >= INT32_MAX / 2) {
		fputs("ketnap: text too long for ICU\n", stderr);
		abort();
	}
	return (int32_t)n;
}

/*
 * UTF-8 s[0..n) to a new UTF-16 string (caller frees), ill-formed
 * sequences replaced by U+FFFD. A UTF-8 byte never yields more than one
 * UTF-16 unit, so n + 1 units are always enough.
 */
static UChar *u16_from_utf8(const char *s, size_t n, int32_t *ulen)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t cap = icu_len(n) + 1;
	UChar *u = xmalloc((size_t)cap * sizeof(UChar));

	u_strFromUTF8WithSub(u, cap, ulen, s, (int32_t)n, 0xFFFD, NULL, &err);
	if (U_FAILURE(err))
		*ulen = 0;
	return u;
}

/* Append UTF-16 u[0..len) to out as UTF-8 (3 bytes per unit at most). */
static void u16_to_buf(const UChar *u, int32_t len, struct buf *out)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t written = 0;
	size_t room = (size_t)len * 3;

	if (len <= 0)
		return;
	buf_grow(out, room);
	u_strToUTF8WithSub(out->s + out->len, icu_len(room) + 1, &written, u, len,
			   0xFFFD, NULL, &err);
	if (U_FAILURE(err) || written < 0)
		return;
	out->len += (size_t)written;
	out->s[out->len] = '\0';
}

/* Normalise u[0..len) with n2 into a new string (caller frees). Returns
 * NULL if ICU fails. */
static UChar *u16_normalize(const UNormalizer2 *n2, const UChar *u, int32_t len,
			    int32_t *outlen)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need;
	UChar *r;

	need = unorm2_normalize(n2, u, len, NULL, 0, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	err = U_ZERO_ERROR;
	r = xmalloc(((size_t)need + 1) * sizeof(UChar));
	*outlen = unorm2_normalize(n2, u, len, r, need + 1, &err);
	if (U_FAILURE(err)) {
		free(r);
		return NULL;
	}
	return r;
}

/* ---- NFC ------------------------------------------------------------ */

int text_nfc(const char *s, struct buf *out)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	size_t n;
	int32_t ulen, nlen;
	UChar *u, *r;

	if (!text_is_valid_utf8(s))
		return -1;
	n = strlen(s);
	if (is_ascii(s, n)) {
		buf_add(out, s, n);
		return 0;
	}
	nfc = unorm2_getNFCInstance(&err);
	u = u16_from_utf8(s, n, &ulen);
	/* Most text is already NFC: then the input bytes are the answer. If
	 * ICU's data were missing there is nothing better to give either. */
	if (U_FAILURE(err) || unorm2_spanQuickCheckYes(nfc, u, ulen, &err) == ulen ||
	    U_FAILURE(err)) {
		free(u);
		buf_add(out, s, n);
		return 0;
	}
	r = u16_normalize(nfc, u, ulen, &nlen);
	if (r)
		u16_to_buf(r, nlen, out);
	else
		buf_add(out, s, n);
	free(r);
	free(u);
	return 0;
}

/* ---- Folding -------------------------------------------------------- */

/*
 * Compatibility decomposition (NFKD) rather than NFD, so that full-width
 * letters and ligatures pasted from elsewhere fold to plain letters too;
 * then every nonspacing mark (Vietnamese vowel marks and tones are all
 * nonspacing once decomposed) and format character (zero-width spaces,
 * BOMs) goes, đ becomes d, letters become lower case, and the result is
 * recomposed so that scripts that decompose without marks (Hangul) come
 * back whole.
 */
void text_fold(const char *s, struct buf *out)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfkd, *nfc;
	int32_t ulen, dlen = 0, i, o = 0, flen = 0;
	UChar *u, *d, *f, *res;
	int pending_space = 0;

	if (!s || !*s)
		return;
	nfkd = unorm2_getNFKDInstance(&err);
	nfc = unorm2_getNFCInstance(&err);
	u = u16_from_utf8(s, strlen(s), &ulen);
	d = U_SUCCESS(err) ? u16_normalize(nfkd, u, ulen, &dlen) : NULL;
	if (!d) {
		d = u;
		dlen = ulen;
		u = NULL;
	}
	/* Simple lower-casing maps one code point to one and a space is only
	 * written in place of dropped whitespace, so twice the decomposed
	 * length is ample even if a lower case letter needed a surrogate
	 * pair where its capital did not. */
	f = xmalloc(((size_t)dlen * 2 + 2) * sizeof(UChar));
	for (i = 0; i < dlen;) {
		UChar32 c;
		int8_t type;

		U16_NEXT(d, i, dlen, c);
		type = (int8_t)u_charType(c);
		if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
		    type == U_FORMAT_CHAR)
			continue;
		if (u_isUWhiteSpace(c) || type == U_CONTROL_CHAR) {
			pending_space = o > 0;
			continue;
		}
		if (c == 0x0110 || c == 0x0111)
			c = 'd';
		else
			c = u_tolower(c);
		if (pending_space) {
			f[o++] = ' ';
			pending_space = 0;
		}
		U16_APPEND_UNSAFE(f, o, c);
	}
	flen = o;
	res = U_SUCCESS(err) ? u16_normalize(nfc, f, flen, &o) : NULL;
	if (res)
		u16_to_buf(res, o, out);
	else
		u16_to_buf(f, flen, out);
	free(res);
	free(f);
	free(d);
	free(u);
}

/* ---- Collation and name order --------------------------------------- */

static pthread_once_t coll_once = PTHREAD_ONCE_INIT;
static UCollator *coll;		/* NULL if ICU could not open one */

static void coll_open(void)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollator *c = ucol_open("vi", &err);

	if (U_FAILURE(err)) {
		if (c)
			ucol_close(c);
		return;
	}
	/* Decomposed input must sort like its composed form; spaces inside
	 * middle names must count (they separate words). */
	ucol_setAttribute(c, UCOL_NORMALIZATION_MODE, UCOL_ON, &err);
	ucol_setAttribute(c, UCOL_ALTERNATE_HANDLING, UCOL_NON_IGNORABLE, &err);
	if (U_FAILURE(err)) {
		ucol_close(c);
		return;
	}
	coll = c;
}

static const UCollator *collator(void)
{
	pthread_once(&coll_once, coll_open);
	return coll;
}

/* A piece of a name: a span of the original string, or (for middle names
 * separated by anything but one space) a normalised copy held in own. */
struct span {
	const char *s;
	size_t n;
};

struct name_parts {
	struct span given, middle, family;
	struct buf own;
};

/* Length of the whitespace (Unicode White_Space) at p, 0 if none. */
static size_t space_at(const unsigned char *p)
{
	UChar32 c;
	size_t n;

	if (*p < 0x80)
		return (*p == ' ' || (*p >= '\t' && *p <= '\r')) ? 1 : 0;
	n = utf8_next(p, &c);
	return (c >= 0 && u_isUWhiteSpace(c)) ? n : 0;
}

/* Split a full name into family (first word), middle (the words between,
 * joined by single spaces) and given (last word). */
static void name_split(const char *name, struct name_parts *np)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	const unsigned char *w, *prev_end = NULL, *mid_end = NULL;
	size_t nwords = 0, sp;
	/* dirty: some separator between middle words seen so far is not one
	 * plain space; dirty_before: the same, excluding the latest word. */
	int dirty = 0, dirty_before = 0;
	UChar32 c;

	memset(np, 0, sizeof(*np));
	buf_init(&np->own);
	np->given.s = np->middle.s = np->family.s = "";
	for (;;) {
		while ((sp = space_at(p)) > 0)
			p += sp;
		if (!*p)
			break;
		w = p;
		while (*p && !space_at(p))
			p += utf8_next(p, &c);
		if (nwords == 0) {
			np->family.s = (const char *)w;
			np->family.n = (size_t)(p - w);
		} else if (nwords == 1) {
			np->middle.s = (const char *)w;
		}
		dirty_before = dirty;
		if (nwords >= 2 && !(w - prev_end == 1 && *prev_end == ' '))
			dirty = 1;
		mid_end = prev_end;
		prev_end = p;
		np->given.s = (const char *)w;
		np->given.n = (size_t)(p - w);
		nwords++;
	}
	if (nwords <= 1) {
		np->family.s = "";
		np->family.n = 0;
	}
	if (nwords <= 2) {
		np->middle.s = "";
		np->middle.n = 0;
		return;
	}
	np->middle.n = (size_t)(mid_end - (const unsigned char *)np->middle.s);
	if (!dirty_before)
		return;
	/* Rebuild the middle with single spaces. */
	p = (const unsigned char *)np->middle.s;
	while (p < mid_end) {
		if ((sp = space_at(p)) > 0) {
			while ((sp = space_at(p)) > 0)
				p += sp;
			buf_addc(&np->own, ' ');
			continue;
		}
		sp = utf8_next(p, &c);
		buf_add(&np->own, p, sp);
		p += sp;
	}
	np->middle.s = np->own.s;
	np->middle.n = np->own.len;
}

static int span_coll(const UCollator *c, struct span a, struct span b)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollationResult r;

	if (!c) {
		size_t n = a.n < b.n ? a.n : b.n;
		int d = memcmp(a.s, b.s, n);
		if (d)
			return d < 0 ? -1 : 1;
		return a.n < b.n ? -1 : a.n > b.n;
	}
	r = ucol_strcollUTF8(c, a.s, icu_len(a.n), b.s, icu_len(b.n), &err);
	if (U_FAILURE(err))
		return 0;
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

int text_name_cmp(const char *a, const char *b)
{
	const UCollator *c = collator();
	struct name_parts pa, pb;
	int r;

	name_split(a, &pa);
	name_split(b, &pb);
	r = span_coll(c, pa.given, pb.given);
	if (!r)
		r = span_coll(c, pa.middle, pb.middle);
	if (!r)
		r = span_coll(c, pa.family, pb.family);
	buf_release(&pa.own);
	buf_release(&pb.own);
	return r;
}

/*
 * Append the sort key of one field without its NUL. ICU sort keys contain
 * no 0x00 but the terminator and use 0x01 only between levels, so the
 * fields are joined with 0x01: when one field's key is a proper prefix of
 * another's, the next byte of the longer is a weight (> 0x01), so the
 * shorter sorts first, as ucol_strcoll says it should.
 */
static void span_key(const UCollator *c, struct span sp, struct buf *out)
{
	int32_t ulen, need;
	UChar *u;

	if (!c) {
		buf_add(out, sp.s, sp.n);
		return;
	}
	u = u16_from_utf8(sp.s, sp.n, &ulen);
	need = ucol_getSortKey(c, u, ulen, NULL, 0);
	if (need > 1) {
		buf_grow(out, (size_t)need);
		ucol_getSortKey(c, u, ulen, (uint8_t *)out->s + out->len, need);
		out->len += (size_t)need - 1;
		out->s[out->len] = '\0';
	}
	free(u);
}

void text_sort_key(const char *s, struct buf *out)
{
	struct span sp;
	sp.s = s;
	sp.n = strlen(s);
	span_key(collator(), sp, out);
}

void text_name_key(const char *full_name, struct buf *out)
{
	const UCollator *c = collator();
	struct name_parts np;

	name_split(full_name, &np);
	span_key(c, np.given, out);
	buf_addc(out, '\x01');
	span_key(c, np.middle, out);
	buf_addc(out, '\x01');
	span_key(c, np.family, out);
	buf_release(&np.own);
}

void text_name_key_version(struct buf *out)
{
	const UCollator *c = collator();
	UVersionInfo v;
	char vs[U_MAX_VERSION_STRING_LENGTH];

	if (!c) {
		buf_adds(out, "bytes");
		return;
	}
	ucol_getVersion(c, v);
	u_versionToString(v, vs);
	buf_adds(out, "icu-");
	buf_adds(out, U_ICU_VERSION);
	buf_adds(out, " vi-");
	buf_adds(out, vs);
}

/* ---- Numbers -------------------------------------------------------- */

static int lang_vi(const char *lang)
{
	return lang && lang[0] == 'v' && lang[1] == 'i';
}

/* Append magnitude m with a separator every three digits. */
static void add_grouped(struct buf *out, unsigned long long m, char sep)
{
	char tmp[40];
	size_t i = sizeof(tmp), digits = 0;

	do {
		if (digits && digits % 3 == 0)
			tmp[--i] = sep;
		tmp[--i] = (char)('0' + m % 10);
		m /= 10;
		digits++;
	} while (m);
	buf_add(out, tmp + i, sizeof(tmp) - i);
}

/* |v| without overflow for LLONG_MIN. */
static unsigned long long magnitude(long long v)
{
	return v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
}

void text_int_lang(struct buf *out, long long v, const char *lang)
{
	if (v < 0)
		buf_addc(out, '-');
	add_grouped(out, magnitude(v), lang_vi(lang) ? '.' : ',');
}

void text_int(struct buf *out, long long v)
{
	text_int_lang(out, v, i18n_lang());
}

void text_tenths_lang(struct buf *out, long long tenths, const char *lang)
{
	int vi = lang_vi(lang);
	unsigned long long m = magnitude(tenths);

	if (tenths < 0)
		buf_addc(out, '-');
	add_grouped(out, m / 10, vi ? '.' : ',');
	buf_addc(out, vi ? ',' : '.');
	buf_addc(out, (char)('0' + m % 10));
}

void text_tenths(struct buf *out, long long tenths)
{
	text_tenths_lang(out, tenths, i18n_lang());
}

long long text_percent_tenths(long long part, long long total)
{
	__int128 n, d, q, r;

	if (total == 0)
		return -1;
	n = (__int128)part * 1000;
	d = total;
	if (d < 0) {
		n = -n;
		d = -d;
	}
	q = n / d;		/* truncates toward zero */
	r = n % d;		/* same sign as n */
	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	if (q > LLONG_MAX)
		return LLONG_MAX;
	if (q < LLONG_MIN)
		return LLONG_MIN;
	return (long long)q;
}

/* ---- Width ---------------------------------------------------------- */

static int cp_width(UChar32 c)
{
	int type, ea;

	if (c < 0)
		return 1;	/* an invalid byte shows as one replacement */
	if (c >= 0x20 && c < 0x7F)
		return 1;
	if (c == 0x00AD)
		return 1;	/* soft hyphen: terminals draw it */
	type = u_charType(c);
	if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
	    type == U_FORMAT_CHAR || type == U_CONTROL_CHAR)
		return 0;
	if (c >= 0x1160 && c <= 0x11FF)
		return 0;	/* Hangul medial vowels and final consonants */
	ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
	if (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH)
		return 2;
	return 1;
}

int text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	long long w = 0;
	UChar32 c;

	while (*p) {
		p += utf8_next(p, &c);
		w += cp_width(c);
	}
	return w > INT_MAX ? INT_MAX : (int)w;
}

/* The characters a terminal would act on rather than show: C0 controls,
 * DEL, C1 controls (U+0080..U+009F, ESC's 8-bit twins), and the bidi
 * embeddings, overrides and isolates that reorder what follows. */
static int is_terminal_control(UChar32 c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

void text_printable(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	UChar32 c;

	while (*p) {
		size_t n = utf8_next(p, &c);
		if (c < 0 || is_terminal_control(c))
			buf_addc(out, c < 0 ? '?' : ' ');
		else
			buf_add(out, (const char *)p, n);
		p += n;
	}
}
