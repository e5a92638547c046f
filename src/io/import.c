/*
 * import.c — see import.h. An import runs in two phases over a file read
 * whole into memory, after its header was checked against the kind of
 * list (a required column missing, or the header of another kind, refuses
 * the file in one line before any row is read):
 *
 *  1. read every row, map its cells by the header's column names, check
 *     each value (required, date, boolean, code, NFC text) and the
 *     cross-row facts (duplicate keys, units' parents and cycles, units and
 *     people referred to), collecting every problem with its line;
 *  2. only when phase 1 found nothing (steps: for every row not already
 *     refused), write the records in one transaction: units parents
 *     first, steps sorted by person, date and pipeline order through
 *     ledger_step(), so the rule book judges each step as it would on the
 *     command line, seeing the steps recorded before it (a candidacy that
 *     ends on the day the next starts keeps the file's order that day:
 *     srow_candidacy_days()).
 *
 * Every cell is held to its column's limit (struct fspec: a length in
 * characters, no control characters, valid UTF-8), and free text loses the
 * formula guard that export puts on it (csv.h). A step row carrying an
 * override is refused when opts->may_override says the actor may not
 * override for that person's unit.
 *
 * Problems are kept with their line and printed sorted by line at the end,
 * so that a file's report reads top to bottom whichever phase found them.
 * Existing records are loaded once (sorted arrays, binary search) so that
 * no row costs a scan; the store's *_put functions say whether a row
 * changed anything, and only real changes get an audit entry, whose
 * before/after text is the record's CSV line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/ledger.h"
#include "io/csv.h"
#include "io/import.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

#define MAXCOLS 16

/* One reported problem, kept to be sorted by line at the end. */
struct problem {
	size_t line;
	size_t seq;
	char *text;
};

/* What a cell of a column may hold (docs/formats.md, "Limits"): at most
 * `max` characters (code points, after NFC); no control characters
 * (C0, DEL, C1), except tab and line breaks in long free text. The same
 * limits as the API where it has them (a ref is 1 to 64 characters
 * without control characters, a unit code 1 to 64). */
enum fclass { F_CODE, F_REF, F_TEXT, F_LONG };
struct fspec {
	unsigned short max;
	unsigned char cls;
};

#define LIM_CODE 64		/* codes, dates, numbers, yes/no */
#define LIM_REF 64		/* people's refs */
#define LIM_NAME 200		/* full names, holiday names */
#define LIM_UNIT_NAME 300	/* units' names (the web form's limit) */
#define LIM_SHORT 100		/* ethnicity, religion, phone */
#define LIM_DOC 200		/* doc_no, org, consent */
#define LIM_LONG 2000		/* notes, override reasons */
/* A cell longer than this many times its limit (in raw code points) is
 * refused before it is normalised: the whole-field cap. */
#define CAP_FACTOR 4
/* How much of a name the file gives (an unknown column) is echoed. */
#define SHOW_MAX 40

#define CODE { LIM_CODE, F_CODE }
static const struct fspec unit_spec[] = {
	CODE, CODE, { LIM_UNIT_NAME, F_TEXT }, CODE, CODE, CODE, CODE,
};
static const struct fspec person_spec[] = {
	{ LIM_REF, F_REF }, { LIM_NAME, F_TEXT }, CODE, CODE, CODE, { LIM_SHORT, F_TEXT },
	{ LIM_SHORT, F_TEXT }, CODE, CODE, CODE, CODE, CODE, CODE, CODE, { LIM_SHORT, F_TEXT },
	{ LIM_LONG, F_LONG },
};
static const struct fspec quota_spec[] = { CODE, CODE, CODE, CODE };
static const struct fspec step_spec[] = {
	{ LIM_REF, F_REF }, CODE, CODE, { LIM_DOC, F_TEXT }, { LIM_DOC, F_TEXT }, { LIM_REF, F_REF },
	{ LIM_REF, F_REF }, CODE, { LIM_REF, F_REF }, CODE, CODE, CODE, { LIM_DOC, F_TEXT },
	{ LIM_LONG, F_LONG }, { LIM_LONG, F_LONG },
};
static const struct fspec holiday_spec[] = { CODE, CODE, { LIM_NAME, F_TEXT } };
#undef CODE

static const struct fspec *const specs[IO__COUNT] = {
	[IO_UNITS] = unit_spec, [IO_PEOPLE] = person_spec, [IO_QUOTAS] = quota_spec,
	[IO_STEPS] = step_spec, [IO_HOLIDAYS] = holiday_spec,
};
static const size_t nspecs[IO__COUNT] = {
	[IO_UNITS] = sizeof(unit_spec) / sizeof(unit_spec[0]),
	[IO_PEOPLE] = sizeof(person_spec) / sizeof(person_spec[0]),
	[IO_QUOTAS] = sizeof(quota_spec) / sizeof(quota_spec[0]),
	[IO_STEPS] = sizeof(step_spec) / sizeof(step_spec[0]),
	[IO_HOLIDAYS] = sizeof(holiday_spec) / sizeof(holiday_spec[0]),
};

/* The state of one file's import. */
struct imp {
	struct store *s;
	const struct import_opts *o;
	const char *file;
	enum io_kind kind;
	const char *const *cols;
	size_t ncols;
	const struct fspec *spec;	/* limits of each known column */
	unsigned text_cols;	/* free-text columns: formula guard removed */
	int col[MAXCOLS];	/* field index of each known column; -1 absent */
	int header_bad;		/* the header refuses the file: no row is read */
	struct csv_row row;	/* the row being read */
	int rowbad;		/* problems found in the current row */
	struct problem *probs;
	size_t nprobs, capprobs;
	struct buf scratch;
	struct import_stats *stats;
};

/* Required columns, as bit sets over io_columns() order. */
#define BIT(i) (1u << (i))
enum { U_CODE, U_PARENT, U_NAME, U_KIND, U_MAY_ADMIT, U_SECTOR, U_SPECIAL };
enum { P_REF, P_NAME, P_SEX, P_BIRTH, P_UNIT, P_ETHNICITY, P_RELIGION, P_EDUCATION,
       P_QUALIFICATION, P_OCCUPATION, P_YOUTH, P_TRADE, P_MEMBER, P_OFFICIAL, P_PHONE,
       P_NOTE };
enum { Q_UNIT, Q_YEAR, Q_CATEGORY, Q_TARGET };
enum { S_PERSON, S_STEP, S_DATE, S_DOC, S_ORG, S_MEMBER, S_INTRO1, S_INTRO1_SINCE, S_INTRO2,
       S_INTRO2_SINCE, S_VOTES_FOR, S_VOTES_TOTAL, S_CONSENT, S_OVERRIDE, S_NOTE };
enum { H_DATE, H_WORKDAY, H_NAME };

static const unsigned required_cols[IO__COUNT] = {
	[IO_UNITS] = BIT(U_CODE) | BIT(U_NAME) | BIT(U_KIND),
	[IO_PEOPLE] = BIT(P_REF) | BIT(P_NAME) | BIT(P_SEX) | BIT(P_BIRTH) | BIT(P_UNIT),
	[IO_QUOTAS] = BIT(Q_UNIT) | BIT(Q_YEAR) | BIT(Q_TARGET),
	[IO_STEPS] = BIT(S_PERSON) | BIT(S_STEP) | BIT(S_DATE),
	[IO_HOLIDAYS] = BIT(H_DATE),
};

/* ---- problems ---- */

static void problem_add(struct imp *im, size_t line, char *text)
{
	if (im->nprobs == im->capprobs) {
		im->capprobs = im->capprobs ? im->capprobs * 2 : 16;
		im->probs = xreallocarray(im->probs, im->capprobs, sizeof(*im->probs));
	}
	im->probs[im->nprobs].line = line;
	im->probs[im->nprobs].seq = im->nprobs;
	im->probs[im->nprobs].text = text;
	im->nprobs++;
	im->rowbad++;
}

/* "FILE:LINE: column: message". */
__attribute__((format(printf, 4, 5)))
static void problem(struct imp *im, size_t line, const char *column, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	buf_addf(&b, "%s:%zu: %s: ", im->file, line, column);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	problem_add(im, line, buf_detach(&b));
}

/* "FILE:LINE: message", for a problem of the whole header. */
__attribute__((format(printf, 3, 4)))
static void problem_text(struct imp *im, size_t line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	buf_addf(&b, "%s:%zu: ", im->file, line);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	problem_add(im, line, buf_detach(&b));
}

/* Lines "column: message\n" (as ledger_step reports) as problems of line. */
static void problem_lines(struct imp *im, size_t line, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		if (n) {
			struct buf b = BUF_INIT;
			buf_addf(&b, "%s:%zu: ", im->file, line);
			buf_add(&b, text, n);
			problem_add(im, line, buf_detach(&b));
		}
		text += n + (nl != NULL);
	}
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- cells ---- */

/* The raw cell of known column c in the current row; NULL when the column
 * is absent or the cell empty. */
static const char *cell(struct imp *im, int c)
{
	int i = im->col[c];
	if (i < 0 || (size_t)i >= im->row.n)
		return NULL;
	const char *f = im->row.fields[i];
	return *f ? f : NULL;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The number of code points of s[0..n) (continuation bytes not counted;
 * an invalid byte counts as one). */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* The first control character of valid UTF-8 s (C0, DEL, or C1 U+0080 to
 * U+009F; tab, LF and CR allowed when `lines`), or 0 when there is none. */
static unsigned control_char(const char *s, int lines)
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
	problem(im, im->row.line, im->cols[c],
		_("%zu characters, longer than the %u allowed in this column; shorten it"), chars,
		(unsigned)im->spec[c].max);
}

/* The cell of column c as a heap string in NFC (NULL when empty), with
 * surrounding spaces dropped when `trim` (codes, dates, numbers). A free
 * text loses the formula guard of csv.h. Invalid UTF-8, a control
 * character or a cell longer than its column's limit is reported and
 * gives NULL. */
static char *get(struct imp *im, int c, int trim)
{
	const char *f = cell(im, c);
	const struct fspec *sp = &im->spec[c];
	size_t n, chars;
	int ascii = 1;
	char *v;
	unsigned cc;

	if (!f)
		return NULL;
	n = strlen(f);
	if (trim) {
		while (n && is_blank(*f))
			f++, n--;
		while (n && is_blank(f[n - 1]))
			n--;
		if (!n)
			return NULL;
	}
	/* The whole-field cap: a 50 MB cell is not normalised, only counted. */
	chars = utf8_chars(f, n);
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
			problem(im, im->row.line, im->cols[c], "%s",
				_("not valid UTF-8 text; save the file as UTF-8"));
			free(tmp);
			return NULL;
		}
		free(tmp);
		v = xstrdup(im->scratch.s);
	}
	if (im->text_cols & (1u << c))
		csv_unguard(v);
	chars = utf8_chars(v, strlen(v));
	if (chars > sp->max) {
		too_long(im, c, chars);
		free(v);
		return NULL;
	}
	if ((cc = control_char(v, sp->cls == F_LONG)) != 0) {
		problem(im, im->row.line, im->cols[c],
			_("contains a control character (U+%04X); remove it"), cc);
		free(v);
		return NULL;
	}
	return v;
}

/* Like get(), and report an empty cell of a column the header has (a
 * missing column was reported once, on the header). */
static char *get_req(struct imp *im, int c, int trim)
{
	int before = im->rowbad;
	char *v = get(im, c, trim);
	if (!v && im->col[c] >= 0 && im->rowbad == before)
		problem(im, im->row.line, im->cols[c], "%s", _("a value is required"));
	return v;
}

static kn_date get_date(struct imp *im, int c, int required)
{
	char *v = required ? get_req(im, c, 1) : get(im, c, 1);
	kn_date d = KN_DATE_NONE;
	if (v && date_parse(v, &d) != 0) {
		problem(im, im->row.line, im->cols[c],
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
		"nonstate_enterprise", "hamlet", "higher_education", NULL };
	for (int i = 0; s && v[i]; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

static int get_bool(struct imp *im, int c, int def)
{
	char *v = get(im, c, 1);
	int b = def;
	if (v && import_parse_bool(v, &b) != 0) {
		problem(im, im->row.line, im->cols[c],
			_("%s is not a yes/no value; write 1 or 0 (yes/no, có/không)"), v);
		b = def;
	}
	free(v);
	return b;
}

/* A whole number 0..max; -1 when the cell is empty or bad (reported). */
static long long get_count(struct imp *im, int c, int required, long long max)
{
	char *v = required ? get_req(im, c, 1) : get(im, c, 1);
	long long n = 0;
	const char *p = v;

	if (!v)
		return -1;
	for (; *p >= '0' && *p <= '9' && n <= max; p++)
		n = n * 10 + (*p - '0');
	if (*p || n > max) {
		problem(im, im->row.line, im->cols[c],
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
static char *get_unit_code(struct imp *im, int c, int required)
{
	char *v = required ? get_req(im, c, 1) : get(im, c, 1);
	if (v && !unit_code_valid(v)) {
		problem(im, im->row.line, im->cols[c],
			_("%s is not a unit code; use 1 to 64 letters, digits, '.', '_' or '-'"), v);
		free(v);
		v = NULL;
	}
	return v;
}

/* A code cell checked by valid(); msg has one %s for the value. */
static char *get_code(struct imp *im, int c, int (*valid)(const char *), const char *msg)
{
	char *v = get(im, c, 1);
	if (v && !valid(v)) {
		problem(im, im->row.line, im->cols[c], msg, v);
		free(v);
		v = NULL;
	}
	return v;
}

/* ---- reading ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A name from the file as it may be echoed in a message: at most
 * SHOW_MAX characters and "…", invalid bytes and control characters as
 * U+FFFD, so that a 50 MB header cell is not printed whole. */
static void shown(const char *s, struct buf *out)
{
	size_t k = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
			     (*p & 0xF8) == 0xF0 ? 4 : 0;
		char one[5];
		size_t i;
		if (k == SHOW_MAX) {
			buf_adds(out, "…");
			return;
		}
		for (i = 1; len && i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				len = 0;
		if (len) {
			memcpy(one, p, len);
			one[len] = '\0';
		}
		if (!len || !text_is_valid_utf8(one) || control_char(one, 0)) {
			buf_adds(out, "\xEF\xBF\xBD");	/* U+FFFD */
			p += len ? len : 1;
		} else {
			buf_add(out, p, len);
			p += len;
		}
		k++;
	}
}

/* The header's names, trimmed, in new strings. */
static char **header_names(const struct csv_row *row)
{
	char **v = xcalloc(row->n + 1, sizeof(*v));
	for (size_t i = 0; i < row->n; i++) {
		const char *f = row->fields[i];
		size_t n = strlen(f);
		while (n && is_blank(*f))
			f++, n--;
		while (n && is_blank(f[n - 1]))
			n--;
		v[i] = xstrndup(f, n);
	}
	return v;
}

static void names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The index of name among the columns of kind k, or -1. */
static int column_of(enum io_kind k, const char *name)
{
	size_t n;
	const char *const *cols = io_columns(k, &n);
	for (size_t i = 0; i < n && i < MAXCOLS; i++)
		if (strcasecmp(name, cols[i]) == 0)
			return (int)i;
	return -1;
}

/* How many of the header's names are columns of kind k; *all_required set
 * when every required column of k is among them. */
static size_t header_fit(enum io_kind k, char **names, size_t n, int *all_required)
{
	unsigned have = 0;
	size_t fit = 0;
	for (size_t i = 0; i < n; i++) {
		int c = column_of(k, names[i]);
		if (c >= 0) {
			fit++;
			have |= BIT(c);
		}
	}
	*all_required = (have & required_cols[k]) == required_cols[k];
	return fit;
}

/* The other kind of file this header belongs to: one whose required
 * columns are all there and which names more of the header's columns
 * than kind k does. -1 when there is none. */
static int guess_kind(enum io_kind k, char **names, size_t n)
{
	int all, best = -1;
	size_t own = header_fit(k, names, n, &all), best_fit = own;
	for (int g = 0; g < IO__COUNT; g++) {
		if (g == (int)k)
			continue;
		size_t fit = header_fit((enum io_kind)g, names, n, &all);
		if (all && fit > best_fit) {
			best = g;
			best_fit = fit;
		}
	}
	return best;
}

/* `"a", "b", "c"` for a list of names (at most 5, then "…"). */
static void quoted_list(struct buf *out, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i == 5) {
			buf_adds(out, ", …");
			return;
		}
		buf_adds(out, i ? ", \"" : "\"");
		shown(names[i], out);
		buf_addc(out, '"');
	}
}

/* The hint that ends a header problem: the kind the file looks like, or
 * the columns a file of this kind needs. */
static void header_hint(struct buf *out, enum io_kind k, int guess)
{
	if (guess >= 0) {
		buf_addf(out, _("this looks like a %s file: did you mean import %s?"),
			 io_kind_name((enum io_kind)guess), io_kind_name((enum io_kind)guess));
		return;
	}
	size_t n;
	const char *const *cols = io_columns(k, &n);
	struct buf req = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (required_cols[k] & BIT(i))
			buf_addf(&req, "%s%s", req.len ? ", " : "", cols[i]);
	buf_addf(out, _("a %s file needs the columns %s"), io_kind_name(k), req.s);
	buf_release(&req);
}

/* Map the header row; 0 when rows can be read, -1 when they cannot (an
 * empty or unreadable header, a required column missing, a file of
 * another kind): the header's problem is then reported as one line. */
static int read_header(struct imp *im, struct csv_reader *r)
{
	struct buf msg = BUF_INIT;
	unsigned req = required_cols[im->kind];
	const char **missing = NULL, **unknown = NULL;
	size_t nmissing = 0, nunknown = 0, ncells;
	char **names;
	int rc, guess, ret = 0;

	for (size_t i = 0; i < MAXCOLS; i++)
		im->col[i] = -1;
	rc = csv_read_row(r, &im->row, &msg);
	if (rc == 0) {
		problem(im, 1, "header", "%s",
			_("the file is empty; the first line must name the columns"));
		im->header_bad = 1;
		buf_release(&msg);
		return -1;
	}
	if (rc < 0) {
		while (msg.len && msg.s[msg.len - 1] == '\n')
			buf_truncate(&msg, msg.len - 1);
		problem(im, im->row.line, "header", "%s", _(msg.s));
		im->header_bad = 1;
		buf_release(&msg);
		return -1;
	}
	buf_release(&msg);
	ncells = im->row.n;
	for (size_t i = 0; i < ncells; i++)
		if (!text_is_valid_utf8(im->row.fields[i])) {
			problem(im, im->row.line, "header", "%s",
				_("the column names are not UTF-8 text; is this a CSV file? Save "
				  "the spreadsheet as \"CSV UTF-8\""));
			im->header_bad = 1;
			return -1;
		}
	names = header_names(&im->row);
	missing = xcalloc(im->ncols + 1, sizeof(*missing));
	unknown = xcalloc(ncells + 1, sizeof(*unknown));
	for (size_t i = 0; i < ncells; i++) {
		int k = column_of(im->kind, names[i]);
		if (k < 0)
			unknown[nunknown++] = names[i];
		else if (im->col[k] >= 0)
			problem(im, im->row.line, im->cols[k], "%s",
				_("the column appears twice in the header"));
		else
			im->col[k] = (int)i;
	}
	for (size_t k = 0; k < im->ncols; k++)
		if ((req & BIT(k)) && im->col[k] < 0)
			missing[nmissing++] = im->cols[k];
	guess = nmissing || nunknown ? guess_kind(im->kind, names, ncells) : -1;

	if (nmissing || (nunknown && guess >= 0)) {
		/* One line: the rows cannot be read as this kind. */
		struct buf b = BUF_INIT, list = BUF_INIT;
		if (nmissing) {
			quoted_list(&list, missing, nmissing);
			buf_addf(&b, ngettext("missing column %s", "missing columns %s", nmissing),
				 list.s);
		} else {
			quoted_list(&list, unknown, nunknown);
			buf_addf(&b, ngettext("unknown column %s", "unknown columns %s", nunknown),
				 list.s);
		}
		buf_adds(&b, " (");
		header_hint(&b, im->kind, guess);
		buf_addc(&b, ')');
		problem_text(im, im->row.line, "%s", b.s);
		buf_release(&b);
		buf_release(&list);
		im->header_bad = 1;
		ret = -1;
	}
	if (guess < 0) {
		/* Misspelt or extra columns, each named. */
		struct buf all = BUF_INIT, nm = BUF_INIT;
		for (size_t j = 0; j < im->ncols; j++)
			buf_addf(&all, "%s%s", j ? ", " : "", im->cols[j]);
		for (size_t i = 0; i < ncells; i++) {
			if (column_of(im->kind, names[i]) >= 0)
				continue;
			buf_reset(&nm);
			shown(names[i], &nm);
			if (*names[i])
				problem(im, im->row.line, nm.s,
					_("unknown column; the columns of %s files are %s"),
					io_kind_name(im->kind), all.s);
			else
				problem(im, im->row.line, "header",
					_("column %zu has no name; name it (one of %s) or delete it"),
					i + 1, all.s);
		}
		buf_release(&all);
		buf_release(&nm);
	}
	free(missing);
	free(unknown);
	names_free(names, ncells);
	return ret;
}

/* Read every data row, calling fn for each one that is not blank. */
static void read_rows(struct imp *im, const char *data, size_t len,
		      void (*fn)(struct imp *im, void *arg), void *arg)
{
	struct csv_reader *r = csv_reader_new(data, len);
	struct buf msg = BUF_INIT;
	size_t width;
	int rc;

	if (read_header(im, r) != 0)
		goto out;
	width = im->row.n;
	for (;;) {
		buf_reset(&msg);
		rc = csv_read_row(r, &im->row, &msg);
		if (rc == 0)
			break;
		im->stats->rows++;
		if (rc < 0) {
			while (msg.len && msg.s[msg.len - 1] == '\n')
				buf_truncate(&msg, msg.len - 1);
			problem(im, im->row.line, "row", "%s", _(msg.s));
			continue;
		}
		int blank = 1;
		for (size_t i = 0; i < im->row.n && blank; i++)
			for (const char *p = im->row.fields[i]; *p && blank; p++)
				if (!is_blank(*p))
					blank = 0;
		if (blank) {	/* ",,,," rows that spreadsheets leave behind */
			im->stats->rows--;
			continue;
		}
		im->rowbad = 0;
		if (im->row.n > width) {
			int extra = 0;
			for (size_t i = width; i < im->row.n; i++)
				if (*im->row.fields[i])
					extra = 1;
			if (extra)
				problem(im, im->row.line, "row",
					_("%zu cells, but the header names %zu columns"),
					im->row.n, width);
		}
		fn(im, arg);
	}
out:
	buf_release(&msg);
	csv_reader_free(r);
}

/* A sorted array of codes for membership tests. */
struct codeset {
	char **v;
	size_t n;
};

static int codeset_has(const struct codeset *cs, const char *code)
{
	return cs->n && bsearch(&code, cs->v, cs->n, sizeof(*cs->v), cmp_str) != NULL;
}

/* ---- units ---- */

struct urow {
	struct unit u;
	size_t line;
	int depth;
};

struct units_ctx {
	struct urow *rows;
	size_t n, cap;
};

static void unit_row(struct imp *im, void *arg)
{
	struct units_ctx *uc = arg;
	struct unit u;

	memset(&u, 0, sizeof(u));
	u.code = get_unit_code(im, U_CODE, 1);
	u.parent = get_unit_code(im, U_PARENT, 0);
	u.name = get_req(im, U_NAME, 0);
	char *kind = get_req(im, U_KIND, 1);
	int kind_ok = 0;
	if (kind) {
		if (unit_kind_parse(kind, &u.kind) == 0)
			kind_ok = 1;
		else
			problem(im, im->row.line, "kind",
				_("%s is not a unit kind; use province, upper, grassroots or cell"),
				kind);
	}
	free(kind);
	u.may_admit = get_bool(im, U_MAY_ADMIT, 0);
	u.sector = get_code(im, U_SECTOR, sector_valid,
			    _("%s is not a sector; use agency, state_enterprise, nonstate_enterprise, "
			      "ward, commune, hamlet, school, armed_forces or other"));
	u.special_area = get_bool(im, U_SPECIAL, 0);
	if (kind_ok && !u.parent && !cell(im, U_PARENT) && u.kind != UNIT_PROVINCE)
		problem(im, im->row.line, "parent", "%s",
			_("a value is required (only a province may be a root)"));
	if (im->rowbad) {
		unit_release(&u);
		return;
	}
	if (uc->n == uc->cap) {
		uc->cap = uc->cap ? uc->cap * 2 : 64;
		uc->rows = xreallocarray(uc->rows, uc->cap, sizeof(*uc->rows));
	}
	uc->rows[uc->n].u = u;
	uc->rows[uc->n].line = im->row.line;
	uc->rows[uc->n].depth = -1;
	uc->n++;
}

/* A unit of the file or the database, for parent and cycle checks. */
struct unode_x {
	const char *code;
	const char *parent;
	struct urow *row;	/* NULL: in the database only */
	long pidx;		/* index of the parent; -1 none or unknown */
	int state;		/* 0 unseen, 1 on the current path, 2 done */
	int depth;
};

static int unode_x_cmp(const void *a, const void *b)
{
	const struct unode_x *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	/* The file's entry sorts first, so it wins over the database's. */
	return (y->row != NULL) - (x->row != NULL);
}

static int urow_cmp_code(const void *a, const void *b)
{
	const struct urow *const *x = a, *const *y = b;
	int c = strcmp((*x)->u.code, (*y)->u.code);
	if (c)
		return c;
	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

static int urow_cmp_depth(const void *a, const void *b)
{
	const struct urow *const *x = a, *const *y = b;
	if ((*x)->depth != (*y)->depth)
		return (*x)->depth < (*y)->depth ? -1 : 1;
	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

static long unode_x_find(struct unode_x *v, size_t n, const char *code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid].code, code);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int unit_code_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct unit *)elem)->code);
}

/* The CSV line of a record without its "\n" (audit text). */
static char *line_text(struct buf *b)
{
	if (b->len && b->s[b->len - 1] == '\n')
		buf_truncate(b, b->len - 1);
	return buf_detach(b);
}

static enum kn_err audit_change(struct imp *im, int changed, const char *entity,
				const char *key, const char *before, const char *after)
{
	if (changed == 2)
		im->stats->added++;
	else if (changed == 1)
		im->stats->updated++;
	else
		im->stats->unchanged++;
	if (!changed)
		return KN_OK;
	return store_audit(im->s, im->o->actor, changed == 2 ? "insert" : "update", entity, key,
			   changed == 2 ? NULL : before, after);
}

static enum kn_err import_units(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct units_ctx uc = { 0 };
	struct unit *old = NULL;
	size_t nold = 0;
	struct urow **by = NULL;
	struct unode_x *nodes = NULL;
	size_t nn = 0;
	long *path = NULL;
	enum kn_err e;

	if ((e = store_unit_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		return e;
	}
	read_rows(im, data, len, unit_row, &uc);

	/* Duplicate codes: the later line is the problem. */
	by = xreallocarray(NULL, uc.n + 1, sizeof(*by));
	for (size_t i = 0; i < uc.n; i++)
		by[i] = &uc.rows[i];
	xqsort(by, uc.n, sizeof(*by), urow_cmp_code);
	for (size_t i = 1; i < uc.n; i++)
		if (strcmp(by[i]->u.code, by[i - 1]->u.code) == 0) {
			problem(im, by[i]->line, "code",
				_("%s is also on line %zu; a unit appears once per file"),
				by[i]->u.code, by[i - 1]->line);
			by[i]->depth = -2;	/* left out of the checks below */
		}

	/* Every unit of the file and the database, the file's version winning. */
	nodes = xreallocarray(NULL, uc.n + nold + 1, sizeof(*nodes));
	for (size_t i = 0; i < uc.n; i++)
		if (uc.rows[i].depth != -2)
			nodes[nn++] = (struct unode_x){ uc.rows[i].u.code, uc.rows[i].u.parent,
							&uc.rows[i], -1, 0, -1 };
	for (size_t i = 0; i < nold; i++)
		nodes[nn++] = (struct unode_x){ old[i].code, old[i].parent, NULL, -1, 0, -1 };
	xqsort(nodes, nn, sizeof(*nodes), unode_x_cmp);
	{
		size_t w = 0;
		for (size_t i = 0; i < nn; i++)
			if (!w || strcmp(nodes[w - 1].code, nodes[i].code) != 0)
				nodes[w++] = nodes[i];
		nn = w;
	}
	for (size_t i = 0; i < nn; i++) {
		if (!nodes[i].parent)
			continue;
		nodes[i].pidx = unode_x_find(nodes, nn, nodes[i].parent);
		if (nodes[i].pidx < 0 && nodes[i].row)
			problem(im, nodes[i].row->line, "parent",
				_("no unit %s in this file or the database"), nodes[i].parent);
	}
	/* Cycles: walk up from each unit, marking the path. */
	path = xreallocarray(NULL, nn + 1, sizeof(*path));
	for (size_t i = 0; i < nn; i++) {
		size_t np = 0;
		long cur = (long)i;
		while (cur >= 0 && nodes[cur].state == 0) {
			nodes[cur].state = 1;
			path[np++] = cur;
			cur = nodes[cur].pidx;
		}
		if (cur >= 0 && nodes[cur].state == 1) {
			size_t k = 0;
			while (path[k] != cur)
				k++;
			for (; k < np; k++) {
				struct unode_x *x = &nodes[path[k]];
				if (x->row)
					problem(im, x->row->line, "parent",
						_("%s would be below itself (a cycle through its parent %s); correct the parent"),
						x->code, x->parent);
				x->depth = -3;	/* in a cycle */
			}
		}
		/* Depths down the path, from the first node whose depth is known. */
		int d = cur >= 0 ? nodes[cur].depth : -1;
		for (size_t k = np; k-- > 0;) {
			struct unode_x *x = &nodes[path[k]];
			x->state = 2;
			if (x->depth == -3 || d == -3) {
				x->depth = -3;
				d = -3;
				continue;
			}
			x->depth = d + 1;
			d = x->depth;
		}
	}
	if (im->nprobs || im->header_bad)
		goto out;

	/* Write, parents before children. */
	for (size_t i = 0; i < nn; i++)
		if (nodes[i].row)
			nodes[i].row->depth = nodes[i].depth;
	for (size_t i = 0; i < uc.n; i++)
		by[i] = &uc.rows[i];
	xqsort(by, uc.n, sizeof(*by), urow_cmp_depth);
	for (size_t i = 0; i < uc.n; i++) {
		const struct unit *u = &by[i]->u;
		const struct unit *was = nold ? bsearch(u->code, old, nold, sizeof(*old),
							 unit_code_cmp) : NULL;
		struct buf b = BUF_INIT;
		char *before = NULL, *after;
		int changed;

		if ((e = store_unit_put(im->s, u, &changed)) != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, by[i]->line, store_errmsg(im->s));
			goto out;
		}
		if (changed) {
			if (was) {
				export_unit_row(&b, was);
				before = line_text(&b);
			}
			export_unit_row(&b, u);
			after = line_text(&b);
			e = audit_change(im, changed, "unit", u->code, before, after);
			free(before);
			free(after);
			if (e != KN_OK) {
				buf_addf(err, "%s\n", store_errmsg(im->s));
				goto out;
			}
		} else {
			im->stats->unchanged++;
		}
		if (im->o->progress)
			im->o->progress(im->file, i + 1, uc.n);
	}
out:
	for (size_t i = 0; i < uc.n; i++)
		unit_release(&uc.rows[i].u);
	free(uc.rows);
	free(by);
	free(nodes);
	free(path);
	store_units_free(old, nold);
	return e;
}

/* ---- people ---- */

struct people_ctx {
	struct codeset units;
	struct person *rows;
	size_t *lines;
	size_t n, cap;
};

static void person_row(struct imp *im, void *arg)
{
	struct people_ctx *pc = arg;
	struct person p;
	char *v;

	memset(&p, 0, sizeof(p));
	p.ref = get_req(im, P_REF, 1);
	p.full_name = get_req(im, P_NAME, 0);
	v = get_req(im, P_SEX, 1);
	if (v && import_parse_sex(v, &p.sex) != 0)
		problem(im, im->row.line, "sex", _("%s is not a sex; write M or F (Nam or Nữ)"), v);
	free(v);
	p.birth_date = get_date(im, P_BIRTH, 1);
	p.unit = get_unit_code(im, P_UNIT, 1);
	if (p.unit && !codeset_has(&pc->units, p.unit))
		problem(im, im->row.line, "unit",
			_("no unit %s in the database; import the units first"), p.unit);
	p.ethnicity = get(im, P_ETHNICITY, 1);
	p.religion = get(im, P_RELIGION, 1);
	p.education = get_code(im, P_EDUCATION, education_valid,
			       _("%s is not an education level; write 5/12, 9/12 or 12/12"));
	p.qualification = get_code(im, P_QUALIFICATION, qualification_valid,
				   _("%s is not a qualification; use none, vocational, college, "
				     "university or postgraduate"));
	p.occupation = get_code(im, P_OCCUPATION, occupation_valid,
				_("%s is not an occupation; use worker, farmer, civil_servant, "
				  "public_employee, enterprise_manager, business_owner, armed_forces, "
				  "student or other"));
	p.youth_union = get_bool(im, P_YOUTH, 0);
	p.trade_union = get_bool(im, P_TRADE, 0);
	p.member_since = get_date(im, P_MEMBER, 0);
	p.official_since = get_date(im, P_OFFICIAL, 0);
	if (p.member_since != KN_DATE_NONE && p.official_since != KN_DATE_NONE &&
	    p.official_since < p.member_since)
		problem(im, im->row.line, "official_since", "%s",
			_("a member cannot become a full member before being admitted; "
			  "check official_since and member_since"));
	p.phone = get(im, P_PHONE, 1);
	p.note = get(im, P_NOTE, 0);
	if (im->rowbad) {
		person_release(&p);
		return;
	}
	if (pc->n == pc->cap) {
		pc->cap = pc->cap ? pc->cap * 2 : 256;
		pc->rows = xreallocarray(pc->rows, pc->cap, sizeof(*pc->rows));
		pc->lines = xreallocarray(pc->lines, pc->cap, sizeof(*pc->lines));
	}
	pc->rows[pc->n] = p;
	pc->lines[pc->n] = im->row.line;
	pc->n++;
}

struct keyed {
	const char *key;
	size_t i;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int person_ref_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct person *)elem)->ref);
}

/* The membership dates of a people row must agree with the person's
 * recorded steps (spec/FORMATS.md, people.csv): where a candidacy records
 * a decision, a member_since or official_since given in the file must be
 * the one `export people` writes (ledger_membership_recorded()); an empty
 * cell always agrees. A person without such steps (a member admitted
 * before the program, or a file imported before its steps) is not
 * checked. Returns 0, or an error of the store (message in err). */
static enum kn_err member_dates_check(struct imp *im, struct ledger *l, const struct person *p,
				      const struct person *was, size_t line, struct buf *err)
{
	struct candidacy *c = NULL;
	size_t nc = 0;
	kn_date ms, os, decision = KN_DATE_NONE, struck = KN_DATE_NONE;
	char a[11], b[11], d[11];
	enum kn_err e;

	if (p->member_since == KN_DATE_NONE && p->official_since == KN_DATE_NONE)
		return KN_OK;
	if ((e = store_candidacies_of(im->s, was->id, &c, &nc)) != KN_OK) {
		buf_addf(err, "%s:%zu: %s\n", im->file, line, store_errmsg(im->s));
		return e;
	}
	if (!ledger_membership_recorded(l, was, c, nc, &ms, &os))
		goto out;
	for (size_t i = 0; i < nc; i++)
		for (size_t j = 0; j < c[i].nsteps; j++) {
			if (c[i].steps[j].code == STEP_DECISION)
				decision = c[i].steps[j].date;
			else if (c[i].steps[j].code == STEP_STRUCK_OFF)
				struck = c[i].steps[j].date;
		}
	if (ms == KN_DATE_NONE) {
		/* Admitted, then struck off: not a member now. */
		int col_ms = p->member_since != KN_DATE_NONE;
		date_format_user(col_ms ? p->member_since : p->official_since, a);
		date_format_user(decision, b);
		date_format_user(struck, d);
		problem(im, line, col_ms ? "member_since" : "official_since",
			_("%s is %s, but the recorded steps show %s struck off on %s after the admission "
			  "decision of %s, so no longer a member; leave it empty, or correct the steps"),
			col_ms ? "member_since" : "official_since", a, p->full_name, d, b);
		goto out;
	}
	if (p->member_since != KN_DATE_NONE && p->member_since != ms) {
		date_format_user(p->member_since, a);
		date_format_user(ms, b);
		problem(im, line, "member_since",
			_("member_since is %s, but the recorded steps admit %s on %s (the admission "
			  "decision); write %s, leave it empty, or correct the decision's date"),
			a, p->full_name, b, b);
	}
	if (p->official_since != KN_DATE_NONE && p->official_since != os) {
		date_format_user(p->official_since, a);
		date_format_user(ms, b);
		if (os == KN_DATE_NONE) {
			problem(im, line, "official_since",
				_("official_since is %s, but the recorded steps admit %s on %s and record "
				  "no full-membership decision yet; leave official_since empty until the "
				  "official step is recorded"), a, p->full_name, b);
		} else {
			date_format_user(os, d);
			problem(im, line, "official_since",
				_("official_since is %s, but by the recorded steps %s is a full member from "
				  "%s (the end of probation); write %s, leave it empty, or correct the steps"),
				a, p->full_name, d, d);
		}
	}
out:
	store_candidacies_free(c, nc);
	return KN_OK;
}

static enum kn_err import_people(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct people_ctx pc;
	struct unit *units = NULL;
	struct person *old = NULL;
	size_t nunits = 0, nold = 0;
	struct keyed *keys = NULL;
	struct buf fold = BUF_INIT;
	struct ledger l;
	int have_ledger = 0;
	enum kn_err e;

	memset(&pc, 0, sizeof(pc));
	if ((e = store_unit_all(im->s, &units, &nunits)) != KN_OK ||
	    (e = store_person_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	pc.units.v = xreallocarray(NULL, nunits + 1, sizeof(char *));
	for (size_t i = 0; i < nunits; i++)
		pc.units.v[i] = units[i].code;	/* already sorted by code */
	pc.units.n = nunits;
	read_rows(im, data, len, person_row, &pc);

	keys = xreallocarray(NULL, pc.n + 1, sizeof(*keys));
	for (size_t i = 0; i < pc.n; i++)
		keys[i] = (struct keyed){ pc.rows[i].ref, i };
	xqsort(keys, pc.n, sizeof(*keys), keyed_cmp);
	for (size_t i = 1; i < pc.n; i++)
		if (strcmp(keys[i].key, keys[i - 1].key) == 0)
			problem(im, pc.lines[keys[i].i], "ref",
				_("%s is also on line %zu; a person appears once per file"),
				keys[i].key, pc.lines[keys[i - 1].i]);
	if (im->header_bad)
		goto out;
	for (size_t i = 0; i < pc.n; i++) {
		const struct person *p = &pc.rows[i];
		const struct person *was;

		if (p->member_since == KN_DATE_NONE && p->official_since == KN_DATE_NONE)
			continue;
		was = nold ? bsearch(p->ref, old, nold, sizeof(*old), person_ref_cmp) : NULL;
		if (!was)
			continue;
		if (!have_ledger) {
			if ((e = ledger_open(&l, im->s, im->o->cal, im->o->actor, err)) != KN_OK) {
				buf_addc(err, '\n');
				goto out;
			}
			l.actor_unit = im->o->actor_unit;
			have_ledger = 1;
		}
		if ((e = member_dates_check(im, &l, p, was, pc.lines[i], err)) != KN_OK)
			goto out;
	}
	if (im->nprobs)
		goto out;

	for (size_t i = 0; i < pc.n; i++) {
		const struct person *p = &pc.rows[i];
		const struct person *was = nold ? bsearch(p->ref, old, nold, sizeof(*old),
							   person_ref_cmp) : NULL;
		struct buf b = BUF_INIT;
		char *before = NULL, *after;
		int changed;

		buf_reset(&fold);
		text_fold(p->full_name, &fold);
		if ((e = store_person_put(im->s, p, fold.s, &changed)) != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, pc.lines[i], store_errmsg(im->s));
			goto out;
		}
		if (changed) {
			if (was) {
				export_person_row(&b, was);
				before = line_text(&b);
			}
			export_person_row(&b, p);
			after = line_text(&b);
			e = audit_change(im, changed, "person", p->ref, before, after);
			free(before);
			free(after);
			if (e != KN_OK) {
				buf_addf(err, "%s\n", store_errmsg(im->s));
				goto out;
			}
		} else {
			im->stats->unchanged++;
		}
		if (im->o->progress)
			im->o->progress(im->file, i + 1, pc.n);
	}
out:
	for (size_t i = 0; i < pc.n; i++)
		person_release(&pc.rows[i]);
	free(pc.rows);
	free(pc.lines);
	free(pc.units.v);
	free(keys);
	buf_release(&fold);
	if (have_ledger)
		ledger_release(&l);
	store_units_free(units, nunits);
	store_people_free(old, nold);
	return e;
}

/* ---- quotas ---- */

struct quotas_ctx {
	struct codeset units;
	struct quota *rows;
	size_t *lines;
	size_t n, cap;
};

static void quota_row(struct imp *im, void *arg)
{
	struct quotas_ctx *qc = arg;
	struct quota q;
	long long y;

	memset(&q, 0, sizeof(q));
	q.unit = get_unit_code(im, Q_UNIT, 1);
	if (q.unit && !codeset_has(&qc->units, q.unit))
		problem(im, im->row.line, "unit",
			_("no unit %s in the database; import the units first"), q.unit);
	y = get_count(im, Q_YEAR, 1, KN_YEAR_MAX);
	if (y >= 0 && y < KN_YEAR_MIN) {
		problem(im, im->row.line, "year", _("%lld is not a year from %d to %d"), y,
			KN_YEAR_MIN, KN_YEAR_MAX);
	}
	q.year = (int)y;
	q.category = get_code(im, Q_CATEGORY, import_category_valid,
			      _("%s is not a structure category; use total, female, "
				"ethnic_minority, religious, youth, youth_union, worker, farmer, "
				"student, civil_servant, nonstate_enterprise, hamlet or "
				"higher_education"));
	if (!q.category && !cell(im, Q_CATEGORY))
		q.category = xstrdup("total");
	q.target = get_count(im, Q_TARGET, 1, 1000000000LL);
	if (im->rowbad) {
		free(q.unit);
		free(q.category);
		return;
	}
	if (qc->n == qc->cap) {
		qc->cap = qc->cap ? qc->cap * 2 : 64;
		qc->rows = xreallocarray(qc->rows, qc->cap, sizeof(*qc->rows));
		qc->lines = xreallocarray(qc->lines, qc->cap, sizeof(*qc->lines));
	}
	qc->rows[qc->n] = q;
	qc->lines[qc->n] = im->row.line;
	qc->n++;
}

static int quota_key_cmp(const struct quota *x, const struct quota *y)
{
	int c = strcmp(x->unit, y->unit);
	if (c)
		return c;
	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return strcmp(x->category, y->category);
}

static int quota_cmp(const void *a, const void *b)
{
	return quota_key_cmp(a, b);
}

static int quota_idx_cmp(const void *a, const void *b, void *arg)
{
	const struct quotas_ctx *qc = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = quota_key_cmp(&qc->rows[x], &qc->rows[y]);
	return c ? c : (x < y ? -1 : x > y);
}

static enum kn_err import_quotas(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct quotas_ctx qc;
	struct unit *units = NULL;
	struct quota *old = NULL;
	size_t nunits = 0, nold = 0;
	size_t *idx = NULL;
	enum kn_err e;

	memset(&qc, 0, sizeof(qc));
	if ((e = store_unit_all(im->s, &units, &nunits)) != KN_OK ||
	    (e = store_quota_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	qc.units.v = xreallocarray(NULL, nunits + 1, sizeof(char *));
	for (size_t i = 0; i < nunits; i++)
		qc.units.v[i] = units[i].code;
	qc.units.n = nunits;
	read_rows(im, data, len, quota_row, &qc);

	idx = xreallocarray(NULL, qc.n + 1, sizeof(*idx));
	for (size_t i = 0; i < qc.n; i++)
		idx[i] = i;
	xqsort_r(idx, qc.n, sizeof(*idx), quota_idx_cmp, &qc);
	for (size_t i = 1; i < qc.n; i++)
		if (quota_key_cmp(&qc.rows[idx[i]], &qc.rows[idx[i - 1]]) == 0)
			problem(im, qc.lines[idx[i]], "unit",
				_("the quota of %s for %d (%s) is also on line %zu"),
				qc.rows[idx[i]].unit, qc.rows[idx[i]].year,
				qc.rows[idx[i]].category, qc.lines[idx[i - 1]]);
	if (im->nprobs || im->header_bad)
		goto out;

	for (size_t i = 0; i < qc.n; i++) {
		const struct quota *q = &qc.rows[i];
		const struct quota *was = nold ? bsearch(q, old, nold, sizeof(*old), quota_cmp)
					       : NULL;
		struct buf b = BUF_INIT, key = BUF_INIT;
		char *before = NULL, *after;
		int changed;

		if ((e = store_quota_put(im->s, q, &changed)) != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, qc.lines[i], store_errmsg(im->s));
			goto out;
		}
		if (changed) {
			if (was) {
				export_quota_row(&b, was);
				before = line_text(&b);
			}
			export_quota_row(&b, q);
			after = line_text(&b);
			buf_addf(&key, "%s/%d/%s", q->unit, q->year, q->category);
			e = audit_change(im, changed, "quota", key.s, before, after);
			free(before);
			free(after);
			buf_release(&key);
			if (e != KN_OK) {
				buf_addf(err, "%s\n", store_errmsg(im->s));
				goto out;
			}
		} else {
			im->stats->unchanged++;
		}
		if (im->o->progress)
			im->o->progress(im->file, i + 1, qc.n);
	}
out:
	for (size_t i = 0; i < qc.n; i++) {
		free(qc.rows[i].unit);
		free(qc.rows[i].category);
	}
	free(qc.rows);
	free(qc.lines);
	free(qc.units.v);
	free(idx);
	store_units_free(units, nunits);
	store_quotas_free(old, nold);
	return e;
}

/* ---- holidays ---- */

struct holidays_ctx {
	struct holiday *rows;
	size_t *lines;
	size_t n, cap;
};

static void holiday_row(struct imp *im, void *arg)
{
	struct holidays_ctx *hc = arg;
	struct holiday h;

	memset(&h, 0, sizeof(h));
	h.date = get_date(im, H_DATE, 1);
	h.workday = get_bool(im, H_WORKDAY, 0);
	h.name = get(im, H_NAME, 0);
	if (im->rowbad || h.date == KN_DATE_NONE) {
		/* No date is no row: KN_DATE_NONE is no day to compare or
		 * print (formatted, it gave ")*,/-06-23"). */
		free(h.name);
		return;
	}
	if (hc->n == hc->cap) {
		hc->cap = hc->cap ? hc->cap * 2 : 32;
		hc->rows = xreallocarray(hc->rows, hc->cap, sizeof(*hc->rows));
		hc->lines = xreallocarray(hc->lines, hc->cap, sizeof(*hc->lines));
	}
	hc->rows[hc->n] = h;
	hc->lines[hc->n] = im->row.line;
	hc->n++;
}

static int holiday_cmp(const void *a, const void *b)
{
	const struct holiday *x = a, *y = b;
	return x->date < y->date ? -1 : x->date > y->date;
}

static int holiday_idx_cmp(const void *a, const void *b, void *arg)
{
	const struct holidays_ctx *hc = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = holiday_cmp(&hc->rows[x], &hc->rows[y]);
	return c ? c : (x < y ? -1 : x > y);
}

static enum kn_err import_holidays(struct imp *im, const char *data, size_t len,
				   struct buf *err)
{
	struct holidays_ctx hc;
	struct holiday *old = NULL;
	size_t nold = 0, *idx = NULL;
	enum kn_err e;

	memset(&hc, 0, sizeof(hc));
	if ((e = store_holiday_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		return e;
	}
	read_rows(im, data, len, holiday_row, &hc);
	idx = xreallocarray(NULL, hc.n + 1, sizeof(*idx));
	for (size_t i = 0; i < hc.n; i++)
		idx[i] = i;
	xqsort_r(idx, hc.n, sizeof(*idx), holiday_idx_cmp, &hc);
	for (size_t i = 1; i < hc.n; i++)
		if (hc.rows[idx[i]].date == hc.rows[idx[i - 1]].date) {
			char d[11];
			date_format_iso(hc.rows[idx[i]].date, d);
			problem(im, hc.lines[idx[i]], "date", _("%s is also on line %zu"), d,
				hc.lines[idx[i - 1]]);
		}
	if (im->nprobs || im->header_bad)
		goto out;

	for (size_t i = 0; i < hc.n; i++) {
		const struct holiday *h = &hc.rows[i];
		const struct holiday *was = nold ? bsearch(h, old, nold, sizeof(*old),
							    holiday_cmp) : NULL;
		struct buf b = BUF_INIT;
		char *before = NULL, *after, key[11];
		int changed;

		if ((e = store_holiday_put(im->s, h, &changed)) != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, hc.lines[i], store_errmsg(im->s));
			goto out;
		}
		if (changed) {
			if (was) {
				export_holiday_row(&b, was);
				before = line_text(&b);
			}
			export_holiday_row(&b, h);
			after = line_text(&b);
			date_format_iso(h->date, key);
			e = audit_change(im, changed, "holiday", key, before, after);
			free(before);
			free(after);
			if (e != KN_OK) {
				buf_addf(err, "%s\n", store_errmsg(im->s));
				goto out;
			}
		} else {
			im->stats->unchanged++;
		}
		if (im->o->progress)
			im->o->progress(im->file, i + 1, hc.n);
	}
out:
	for (size_t i = 0; i < hc.n; i++)
		free(hc.rows[i].name);
	free(hc.rows);
	free(hc.lines);
	free(idx);
	holidays_free(old, nold);
	return e;
}

/* ---- steps ---- */

struct srow {
	char *person;
	struct step st;
	size_t line;
	int bad;		/* refused while reading */
};

struct steps_ctx {
	struct srow *rows;
	size_t n, cap;
};

static void step_row(struct imp *im, void *arg)
{
	struct steps_ctx *sc = arg;
	struct srow r;
	char *v;

	memset(&r, 0, sizeof(r));
	step_init(&r.st);
	r.line = im->row.line;
	r.person = get_req(im, S_PERSON, 1);
	v = get_req(im, S_STEP, 1);
	if (v) {
		r.st.code = step_from_name(v);
		if (r.st.code == STEP_NONE)
			problem(im, im->row.line, "step",
				_("%s is not a step; use source, mentor, trained, applied, verified, "
				  "introduced, cell_vote, committee_vote, decision, ceremony, "
				  "probation_vote, official, withdrawn, rejected or struck_off"), v);
		free(v);
	}
	r.st.date = get_date(im, S_DATE, 1);
	r.st.doc_no = get(im, S_DOC, 1);
	r.st.org = get(im, S_ORG, 1);
	r.st.member = get(im, S_MEMBER, 1);
	r.st.intro1 = get(im, S_INTRO1, 1);
	r.st.intro1_since = get_date(im, S_INTRO1_SINCE, 0);
	r.st.intro2 = get(im, S_INTRO2, 1);
	r.st.intro2_since = get_date(im, S_INTRO2_SINCE, 0);
	r.st.votes_for = (int)get_count(im, S_VOTES_FOR, 0, 100000);
	r.st.votes_total = (int)get_count(im, S_VOTES_TOTAL, 0, 100000);
	r.st.consent = get(im, S_CONSENT, 1);
	r.st.override = get(im, S_OVERRIDE, 1);
	r.st.note = get(im, S_NOTE, 0);
	r.bad = im->rowbad;
	if (!r.person) {	/* nothing to group it by: reported, dropped */
		step_release(&r.st);
		return;
	}
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 1024;
		sc->rows = xreallocarray(sc->rows, sc->cap, sizeof(*sc->rows));
	}
	sc->rows[sc->n++] = r;
}

/* By person, then date, then pipeline order, then line. */
static int srow_cmp(const void *a, const void *b)
{
	const struct srow *x = *(const struct srow *const *)a, *y = *(const struct srow *const *)b;
	int c = strcmp(x->person, y->person);
	if (c)
		return c;
	if (x->st.date != y->st.date)
		return x->st.date < y->st.date ? -1 : 1;
	if (x->st.code != y->st.code)
		return x->st.code < y->st.code ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* A candidacy that ends on the day the next one starts: sorted by
 * pipeline order, the new `source` would come before the step that ends
 * the old one (`withdrawn`, `rejected`, `struck_off`, `official`) and be
 * refused by KN-OPEN. Where a day's rows of one person hold a source and
 * such an ending step listed before it in the file (as the export lists
 * the older candidacy first), the rows listed before the source are
 * recorded first, each part in pipeline order. by[0..n) is sorted by
 * srow_cmp. */
static void srow_candidacy_days(struct srow **by, size_t n)
{
	struct srow **tmp = NULL;

	for (size_t i = 0, j; i < n; i = j) {
		const struct srow *src = NULL;
		int ends_before = 0;

		for (j = i; j < n && strcmp(by[j]->person, by[i]->person) == 0 &&
			    by[j]->st.date == by[i]->st.date; j++)
			if (by[j]->st.code == STEP_SOURCE && (!src || by[j]->line < src->line))
				src = by[j];
		if (!src)
			continue;
		for (size_t k = i; k < j; k++) {
			const struct step_info *si = step_info(by[k]->st.code);
			if (si && (si->ending || si->code == STEP_OFFICIAL) && by[k]->line < src->line)
				ends_before = 1;
		}
		if (!ends_before)
			continue;
		size_t m = 0;
		tmp = xreallocarray(tmp, j - i, sizeof(*tmp));
		for (size_t k = i; k < j; k++)
			if (by[k]->line < src->line)
				tmp[m++] = by[k];
		for (size_t k = i; k < j; k++)
			if (by[k]->line >= src->line)
				tmp[m++] = by[k];
		memcpy(by + i, tmp, (j - i) * sizeof(*tmp));
	}
	free(tmp);
}

/* Run one row through the ledger. Returns the ledger's result; problems
 * of the row are already reported. */
static enum kn_err step_one(struct imp *im, struct ledger *l, struct srow *r,
			    struct buf *lerr, const char *denied_unit)
{
	struct violations v = { 0 };
	enum ledger_outcome out = LEDGER_RECORDED;
	enum kn_err e;
	struct step with = r->st;

	buf_reset(lerr);
	if (!r->st.override && im->o->override)
		with.override = (char *)im->o->override;
	if (with.override && denied_unit) {
		/* The actor may not override the rules for this person
		 * (RULES.md §3): the row is refused, unless it is recorded
		 * already exactly so (a re-import writes nothing). */
		e = ledger_step(l, r->person, &with, 1, 1, &v, lerr, &out);
		violations_release(&v);
		if (!(e == KN_OK && out == LEDGER_UNCHANGED) && !r->st.override) {
			buf_reset(lerr);
			e = ledger_step(l, r->person, &r->st, 1, 1, &v, lerr, &out);
			violations_release(&v);
		}
		buf_reset(lerr);
		if (e == KN_OK && out == LEDGER_UNCHANGED)
			goto done;
		problem(im, r->line, "override",
			_("only an approver or administrator of a unit above %s (the unit of %s) may "
			  "record a step with an override; take the override reason out, or ask one "
			  "of them to import the file"), denied_unit, r->person);
		return KN_EPERM;
	}
	if (!r->st.override && im->o->override) {
		/* --override applies only where a rule is broken, so that a
		 * re-import finds the step as it was recorded: try the row as
		 * it was (and as overridden) without writing first. */
		e = ledger_step(l, r->person, &with, 1, 1, &v, lerr, &out);
		violations_release(&v);
		buf_reset(lerr);
		if (e == KN_OK && out == LEDGER_UNCHANGED)
			goto done;
		e = ledger_step(l, r->person, &r->st, 1, 1, &v, lerr, &out);
		violations_release(&v);
		if (e == KN_OK && out == LEDGER_UNCHANGED)
			goto done;
		if (e == KN_OK || e == KN_ERULE) {
			buf_reset(lerr);
			e = ledger_step(l, r->person, e == KN_OK ? &r->st : &with, 0, 1, &v, lerr,
					&out);
		}
	} else {
		e = ledger_step(l, r->person, &r->st, 0, 1, &v, lerr, &out);
	}
	if (e == KN_ERULE) {
		for (size_t i = 0; i < v.n; i++)
			problem(im, r->line, "step", "%s: %s", v.v[i].code, v.v[i].message);
	} else if (e == KN_EINVAL || e == KN_ENOTFOUND) {
		if (lerr->len)
			problem_lines(im, r->line, lerr->s);
		else
			problem(im, r->line, "step", "%s", kn_strerror(e));
	}
	violations_release(&v);
	if (e != KN_OK)
		return e;
done:
	if (out == LEDGER_UNCHANGED)
		im->stats->unchanged++;
	else if (out == LEDGER_UPDATED)
		im->stats->updated++;
	else
		im->stats->added++;
	return KN_OK;
}

/* After a person's steps were recorded: a `decision` or `official` this
 * import wrote must agree with the member_since / official_since stored
 * for the person (an exported people list imported before its steps),
 * as a people row must agree with recorded steps (member_dates_check()).
 * dec_line / off_line: the line of the decision / official row written
 * (0: none). Returns a store error (message in err), else KN_OK. */
static enum kn_err steps_dates_check(struct imp *im, struct ledger *l, const char *ref,
				     size_t dec_line, size_t off_line, struct buf *err)
{
	struct person p;
	struct candidacy *c = NULL;
	size_t nc = 0;
	kn_date ms, os;
	char a[11], b[11];
	enum kn_err e;

	if (!dec_line && !off_line)
		return KN_OK;
	if ((e = store_person_get(im->s, ref, &p)) != KN_OK) {
		buf_addf(err, "%s: %s\n", im->file, store_errmsg(im->s));
		return e;
	}
	if (p.member_since == KN_DATE_NONE && p.official_since == KN_DATE_NONE)
		goto out;
	if ((e = store_candidacies_of(im->s, p.id, &c, &nc)) != KN_OK) {
		buf_addf(err, "%s: %s\n", im->file, store_errmsg(im->s));
		goto out;
	}
	if (!ledger_membership_recorded(l, &p, c, nc, &ms, &os) || ms == KN_DATE_NONE)
		goto out;
	if (dec_line && p.member_since != KN_DATE_NONE && p.member_since != ms) {
		date_format_user(ms, a);
		date_format_user(p.member_since, b);
		problem(im, dec_line, "date",
			_("the admission decision of %s is dated %s, but the people list gives "
			  "member_since %s; correct the decision's date or member_since"),
			p.full_name, a, b);
	}
	if (off_line && os != KN_DATE_NONE && p.official_since != KN_DATE_NONE &&
	    p.official_since != os) {
		date_format_user(os, a);
		date_format_user(p.official_since, b);
		problem(im, off_line, "date",
			_("by the recorded steps %s is a full member from %s (the end of "
			  "probation), but the people list gives official_since %s; correct the "
			  "ceremony's date or official_since"), p.full_name, a, b);
	}
out:
	store_candidacies_free(c, nc);
	person_release(&p);
	return e;
}

static enum kn_err import_steps(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct steps_ctx sc = { 0 };
	struct srow **by = NULL;
	struct ledger l;
	struct buf lerr = BUF_INIT;
	const char *cur = NULL;
	char *denied = NULL;	/* cur's unit, when the actor may not override there */
	int asked = 0;		/* denied is known for cur */
	size_t refused = 0;
	size_t dec_line = 0, off_line = 0;	/* cur's decision / official written */
	size_t written;
	int have_ledger = 0;
	enum kn_err e = KN_OK;

	if (im->o->override) {
		/* --override, or the web form's field: the same limits as the
		 * override column. */
		const char *o = im->o->override;
		size_t n = utf8_chars(o, strlen(o));
		unsigned cc;
		if (!text_is_valid_utf8(o))
			problem(im, 1, "override", "%s",
				_("not valid UTF-8 text; save the file as UTF-8"));
		else if (n > LIM_LONG)
			problem(im, 1, "override",
				_("the override reason is %zu characters, longer than the %u allowed; "
				  "shorten it"), n, (unsigned)LIM_LONG);
		else if ((cc = control_char(o, 1)) != 0)
			problem(im, 1, "override",
				_("contains a control character (U+%04X); remove it"), cc);
		if (im->nprobs) {
			im->header_bad = 1;
			goto out;
		}
	}
	read_rows(im, data, len, step_row, &sc);
	if (im->header_bad)
		goto out;
	if ((e = ledger_open(&l, im->s, im->o->cal, im->o->actor, err)) != KN_OK) {
		buf_addc(err, '\n');
		goto out;
	}
	l.actor_unit = im->o->actor_unit;
	have_ledger = 1;
	by = xreallocarray(NULL, sc.n + 1, sizeof(*by));
	for (size_t i = 0; i < sc.n; i++)
		by[i] = &sc.rows[i];
	xqsort(by, sc.n, sizeof(*by), srow_cmp);
	srow_candidacy_days(by, sc.n);
	for (size_t i = 0; i < sc.n; i++) {
		struct srow *r = by[i];
		if (!cur || strcmp(cur, r->person) != 0) {
			if (cur && (e = steps_dates_check(im, &l, cur, dec_line, off_line, err)) != KN_OK)
				goto out;
			dec_line = off_line = 0;
			cur = r->person;
			refused = 0;
			asked = 0;
			free(denied);
			denied = NULL;
		}
		if (im->o->progress)
			im->o->progress(im->file, i + 1, sc.n);
		if (refused) {
			problem(im, r->line, "person",
				_("skipped: line %zu, an earlier step of %s, was refused, so this step cannot be judged"),
				refused, r->person);
			continue;
		}
		if (r->bad) {
			refused = r->line;
			continue;
		}
		if (!asked && im->o->may_override && (r->st.override || im->o->override)) {
			struct person p;
			asked = 1;
			/* An unknown person (or one the actor may not see) is
			 * the ledger's to report. */
			if (ledger_person_get(&l, r->person, &p) == KN_OK) {
				if (!im->o->may_override(im->o->may_override_arg, p.unit))
					denied = xstrdup(p.unit ? p.unit : "");
				person_release(&p);
			}
		}
		written = im->stats->added + im->stats->updated;
		e = step_one(im, &l, r, &lerr, denied);
		if (e == KN_OK && im->stats->added + im->stats->updated > written) {
			if (r->st.code == STEP_DECISION)
				dec_line = r->line;
			else if (r->st.code == STEP_OFFICIAL)
				off_line = r->line;
		}
		if (e == KN_ERULE || e == KN_EINVAL || e == KN_ENOTFOUND || e == KN_EPERM) {
			refused = r->line;
			e = KN_OK;
		} else if (e != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, r->line,
				 lerr.len ? lerr.s : store_errmsg(im->s));
			goto out;
		}
	}
	if (cur)
		e = steps_dates_check(im, &l, cur, dec_line, off_line, err);
out:
	if (have_ledger)
		ledger_release(&l);
	for (size_t i = 0; i < sc.n; i++) {
		free(sc.rows[i].person);
		step_release(&sc.rows[i].st);
	}
	free(sc.rows);
	free(by);
	free(denied);
	buf_release(&lerr);
	return e;
}

/* ---- entry ---- */

enum kn_err import_check_header(enum io_kind k, const char *file, const char *data, size_t len,
				struct buf *err)
{
	struct imp im;
	struct import_stats stats;
	struct csv_reader *r;
	int rc;

	memset(&im, 0, sizeof(im));
	memset(&stats, 0, sizeof(stats));
	im.file = file;
	im.kind = k;
	im.cols = io_columns(k, &im.ncols);
	im.stats = &stats;
	if (!im.cols || im.ncols > MAXCOLS || im.ncols != nspecs[k])
		return KN_EINVAL;
	im.spec = specs[k];
	r = csv_reader_new(data, len);
	rc = read_header(&im, r);
	csv_reader_free(r);
	if (im.nprobs > 1)
		xqsort(im.probs, im.nprobs, sizeof(*im.probs), problem_cmp);
	for (size_t i = 0; i < im.nprobs; i++) {
		if (rc != 0)
			buf_addf(err, "%s\n", im.probs[i].text);
		free(im.probs[i].text);
	}
	free(im.probs);
	return rc != 0 ? KN_EINVAL : KN_OK;
}

enum kn_err import_csv(struct store *s, enum io_kind k, const char *file, const char *data,
		       size_t len, const struct import_opts *opts, struct import_stats *stats,
		       struct buf *err)
{
	struct imp im;
	enum kn_err e;

	memset(&im, 0, sizeof(im));
	memset(stats, 0, sizeof(*stats));
	im.s = s;
	im.o = opts;
	im.file = file;
	im.kind = k;
	im.cols = io_columns(k, &im.ncols);
	im.stats = stats;
	buf_init(&im.scratch);
	if (!im.cols || im.ncols > MAXCOLS || im.ncols != nspecs[k])
		return KN_EINVAL;
	im.spec = specs[k];
	im.text_cols = io_text_columns(k);

	if ((e = store_begin(s)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(s));
		return e;
	}
	switch (k) {
	case IO_UNITS: e = import_units(&im, data, len, err); break;
	case IO_PEOPLE: e = import_people(&im, data, len, err); break;
	case IO_QUOTAS: e = import_quotas(&im, data, len, err); break;
	case IO_STEPS: e = import_steps(&im, data, len, err); break;
	case IO_HOLIDAYS: e = import_holidays(&im, data, len, err); break;
	default: e = KN_EINVAL; break;
	}
	if (e == KN_OK && im.nprobs)
		e = KN_EINVAL;
	if (e != KN_OK || opts->dry_run) {
		store_rollback(s);
	} else if ((e = store_commit(s)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(s));
	}

	if (im.nprobs > 1)
		xqsort(im.probs, im.nprobs, sizeof(*im.probs), problem_cmp);
	for (size_t i = 0; i < im.nprobs; i++) {
		buf_addf(err, "%s\n", im.probs[i].text);
		free(im.probs[i].text);
	}
	free(im.probs);
	stats->problems = im.nprobs;
	buf_release(&im.scratch);
	return e;
}
