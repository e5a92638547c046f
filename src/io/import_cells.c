/*
 * import_cells.c — reading one cell of the current row as a value, for the
 * lists of the importer (import_impl.h): text held to its column's limit
 * (struct fspec: a length in characters, no control characters, valid
 * UTF-8, NFC; free text loses the formula guard that export puts on it),
 * dates, yes/no values, whole numbers, unit codes and the codes of the
 * closed lists (sector, education …). A bad cell is reported as a problem
 * of the row's line, naming the column and what to write instead, and
 * reads as empty. The value parsers of import.h (booleans, sex, structure
 * categories) are here too, shared with the web forms.
 */
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/import.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A cell longer than this many times its limit (in raw code points) is
 * refused before it is normalised: the whole-field cap. */
#define CAP_FACTOR 4

/* The raw cell of known column c in the current row; NULL when the column
 * is absent or the cell empty. */
const char *imp_cell(struct imp *im, int c)
{
	int i = im->col[c];
	if (i < 0 || (size_t)i >= im->row.n)
		return NULL;
	const char *f = im->row.fields[i];
	return *f ? f : NULL;
}

/* The number of code points of s[0..n) (continuation bytes not counted;
 * an invalid byte counts as one). */
size_t imp_utf8_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* The first control character of valid UTF-8 s (C0, DEL, or C1 U+0080 to
 * U+009F; tab, LF and CR allowed when `lines`), or 0 when there is none. */
unsigned imp_control_char(const char *s, int lines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F) {
			if (lines && (*p == '\t' || *p == '\n' || *p == '\r'))
				continue;
			return *p;
		}
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return p[1];
	}
	return 0;
}

static void too_long(struct imp *im, int c, size_t chars)
{
	imp_problem(im, im->row.line, im->cols[c],
		_("%zu characters, longer than the %u allowed in this column; shorten it"), chars,
		(unsigned)im->spec[c].max);
}

/* The cell of column c as a heap string in NFC (NULL when empty), with
 * surrounding spaces dropped when `trim` (codes, dates, numbers). A free
 * text loses the formula guard of csv.h. Invalid UTF-8, a control
 * character or a cell longer than its column's limit is reported and
 * gives NULL. */
char *imp_get(struct imp *im, int c, int trim)
{
	const char *f = imp_cell(im, c);
	const struct fspec *sp = &im->spec[c];
	size_t n, chars;
	int ascii = 1;
	char *v;
	unsigned cc;

	if (!f)
		return NULL;
	n = strlen(f);
	if (trim) {
		while (n && imp_is_blank(*f))
			f++, n--;
		while (n && imp_is_blank(f[n - 1]))
			n--;
		if (!n)
			return NULL;
	}
	/* The whole-field cap: a 50 MB cell is not normalised, only counted. */
	chars = imp_utf8_chars(f, n);
	if (chars > (size_t)sp->max * CAP_FACTOR) {
		too_long(im, c, chars);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)f[i] >= 0x80) {
			ascii = 0;
			break;
		}
	if (ascii) {	/* ASCII is already NFC: skip ICU for most cells */
		v = xstrndup(f, n);
	} else {
		char *tmp = xstrndup(f, n);
		buf_reset(&im->scratch);
		if (text_nfc(tmp, &im->scratch) != 0) {
			imp_problem(im, im->row.line, im->cols[c], "%s",
				_("not valid UTF-8 text; save the file as UTF-8"));
			free(tmp);
			return NULL;
		}
		free(tmp);
		v = xstrdup(im->scratch.s);
	}
	if (im->text_cols & (1u << c))
		csv_unguard(v);
	chars = imp_utf8_chars(v, strlen(v));
	if (chars > sp->max) {
		too_long(im, c, chars);
		free(v);
		return NULL;
	}
	if ((cc = imp_control_char(v, sp->cls == F_LONG)) != 0) {
		imp_problem(im, im->row.line, im->cols[c],
			_("contains a control character (U+%04X); remove it"), cc);
		free(v);
		return NULL;
	}
	return v;
}

/* Like imp_get(), and report an empty cell of a column the header has (a
 * missing column was reported once, on the header). */
char *imp_get_req(struct imp *im, int c, int trim)
{
	int before = im->rowbad;
	char *v = imp_get(im, c, trim);
	if (!v && im->col[c] >= 0 && im->rowbad == before)
		imp_problem(im, im->row.line, im->cols[c], "%s", _("a value is required"));
	return v;
}

kn_date imp_get_date(struct imp *im, int c, int required)
{
	char *v = required ? imp_get_req(im, c, 1) : imp_get(im, c, 1);
	kn_date d = KN_DATE_NONE;
	if (v && date_parse(v, &d) != 0) {
		imp_problem(im, im->row.line, im->cols[c],
			_("%s is not a date; write YYYY-MM-DD or DD/MM/YYYY"), v);
		d = KN_DATE_NONE;
	}
	free(v);
	return d;
}

int import_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "yes", "co", NULL };
	static const char *const no[] = { "0", "no", "khong", NULL };
	struct buf f = BUF_INIT;
	int r = -1;

	if (!s)
		return -1;
	text_fold(s, &f);
	for (int i = 0; yes[i]; i++)
		if (strcmp(f.s, yes[i]) == 0) {
			*out = 1;
			r = 0;
		}
	for (int i = 0; no[i]; i++)
		if (strcmp(f.s, no[i]) == 0) {
			*out = 0;
			r = 0;
		}
	buf_release(&f);
	return r;
}

int import_parse_sex(const char *s, char *out)
{
	struct buf f = BUF_INIT;
	int r = 0;

	if (!s)
		return -1;
	text_fold(s, &f);
	if (strcmp(f.s, "m") == 0 || strcmp(f.s, "nam") == 0)
		*out = 'M';
	else if (strcmp(f.s, "f") == 0 || strcmp(f.s, "nu") == 0)
		*out = 'F';
	else
		r = -1;
	buf_release(&f);
	return r;
}

int import_category_valid(const char *s)
{
	static const char *const v[] = { "total", "female", "ethnic_minority", "religious",
		"youth", "youth_union", "worker", "farmer", "student", "civil_servant",
		"nonstate_enterprise", "hamlet", "higher_education", "readmitted", NULL };
	for (int i = 0; s && v[i]; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

int imp_get_bool(struct imp *im, int c, int def)
{
	char *v = imp_get(im, c, 1);
	int b = def;
	if (v && import_parse_bool(v, &b) != 0) {
		imp_problem(im, im->row.line, im->cols[c],
			_("%s is not a yes/no value; write 1 or 0 (yes/no, có/không)"), v);
		b = def;
	}
	free(v);
	return b;
}

/* A whole number 0..max; -1 when the cell is empty or bad (reported). */
long long imp_get_count(struct imp *im, int c, int required, long long max)
{
	char *v = required ? imp_get_req(im, c, 1) : imp_get(im, c, 1);
	long long n = 0;
	const char *p = v;

	if (!v)
		return -1;
	for (; *p >= '0' && *p <= '9' && n <= max; p++)
		n = n * 10 + (*p - '0');
	if (*p || n > max) {
		imp_problem(im, im->row.line, im->cols[c],
			_("%s is not a whole number from 0 to %lld"), v, max);
		n = -1;
	}
	free(v);
	return n;
}

static int unit_code_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n >= 1 && n <= 64;
}

/* A unit code cell: checked against the code pattern; NULL when bad. */
char *imp_get_unit_code(struct imp *im, int c, int required)
{
	char *v = required ? imp_get_req(im, c, 1) : imp_get(im, c, 1);
	if (v && !unit_code_valid(v)) {
		imp_problem(im, im->row.line, im->cols[c],
			_("%s is not a unit code; use 1 to 64 letters, digits, '.', '_' or '-'"), v);
		free(v);
		v = NULL;
	}
	return v;
}

/* A code cell checked by valid(); msg has one %s for the value. */
char *imp_get_code(struct imp *im, int c, int (*valid)(const char *), const char *msg)
{
	char *v = imp_get(im, c, 1);
	if (v && !valid(v)) {
		imp_problem(im, im->row.line, im->cols[c], msg, v);
		free(v);
		v = NULL;
	}
	return v;
}
