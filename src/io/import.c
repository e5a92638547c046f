/*
 * import.c — see import.h. An import runs in two phases over a file
 * mapped into memory (cmd_import.c), after its header was checked against
 * the kind of list (a required column missing, or the header of another
 * kind, refuses the file in one line before any row is read); the people
 * list streams instead (import_people.c: each row checked and written as
 * it comes, nothing more written after a problem, the transaction rolled
 * back), and the steps list is written row by row (import_steps.c):
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
 * Existing units and quotas are loaded once (sorted arrays, binary
 * search) so that no row costs a scan; people are looked up by ref as
 * each row comes (a nation's 6.5 million would not fit in memory twice);
 * the store's *_put functions say whether a row
 * changed anything, and only an update gets an audit entry of its own,
 * whose before/after text is the record's CSV line. The file itself gets
 * one entry when it added or updated anything (import_audit(): who, the
 * file's name, its SHA-256, the counts), so that a big import is one
 * event in the log rather than one entry per new row (issue 13).
 *
 * This file is the machinery the lists share (import_impl.h): the problems
 * list, the header check, the row reader, the audit of a written record
 * and the transaction around one file. Reading a cell as a value is
 * import_cells.c's; each kind of list is read and written by its own
 * file (import_units.c, import_people.c, import_plan.c for quotas and
 * holidays, import_steps.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sodium.h>

#include "io/csv.h"
#include "io/import.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

/* One reported problem, kept to be sorted by line at the end. */
struct problem {
	size_t line;
	size_t seq;
	char *text;
};

/* How much of a name the file gives (an unknown column) is echoed. */
#define SHOW_MAX 40

#define CODE { LIM_CODE, F_CODE }
static const struct fspec unit_spec[] = {
	CODE, CODE, { LIM_UNIT_NAME, F_TEXT }, CODE, CODE, CODE, CODE,
};
static const struct fspec person_spec[] = {
	{ LIM_REF, F_REF }, { LIM_NAME, F_TEXT }, CODE, CODE, CODE, { LIM_SHORT, F_TEXT },
	{ LIM_SHORT, F_TEXT }, CODE, CODE, CODE, CODE, CODE, CODE, CODE, { LIM_SHORT, F_TEXT },
	{ LIM_LONG, F_LONG }, CODE, CODE, CODE, CODE,
};
static const struct fspec quota_spec[] = { CODE, CODE, CODE, CODE };
static const struct fspec step_spec[] = {
	{ LIM_REF, F_REF }, CODE, CODE, { LIM_DOC, F_TEXT }, { LIM_DOC, F_TEXT }, { LIM_REF, F_REF },
	{ LIM_REF, F_REF }, CODE, { LIM_REF, F_REF }, CODE, CODE, CODE, { LIM_DOC, F_TEXT },
	{ LIM_LONG, F_LONG }, { LIM_LONG, F_LONG },
};
static const struct fspec holiday_spec[] = { CODE, CODE, { LIM_NAME, F_TEXT } };
/* issue 15: transfers.csv */
static const struct fspec transfer_spec[] = {
	{ LIM_REF, F_REF }, CODE, CODE, CODE, CODE, { LIM_DOC, F_TEXT }, { LIM_LONG, F_LONG },
	{ LIM_LONG, F_LONG },
};
#undef CODE

static const struct fspec *const specs[IO__COUNT] = {
	[IO_UNITS] = unit_spec, [IO_PEOPLE] = person_spec, [IO_QUOTAS] = quota_spec,
	[IO_STEPS] = step_spec, [IO_HOLIDAYS] = holiday_spec, [IO_TRANSFERS] = transfer_spec,
};
static const size_t nspecs[IO__COUNT] = {
	[IO_UNITS] = sizeof(unit_spec) / sizeof(unit_spec[0]),
	[IO_PEOPLE] = sizeof(person_spec) / sizeof(person_spec[0]),
	[IO_QUOTAS] = sizeof(quota_spec) / sizeof(quota_spec[0]),
	[IO_STEPS] = sizeof(step_spec) / sizeof(step_spec[0]),
	[IO_HOLIDAYS] = sizeof(holiday_spec) / sizeof(holiday_spec[0]),
	[IO_TRANSFERS] = sizeof(transfer_spec) / sizeof(transfer_spec[0]),
};

/* The columns a file of each kind must have (BIT() of its column enum). */
static const unsigned required_cols[IO__COUNT] = {
	[IO_UNITS] = BIT(U_CODE) | BIT(U_NAME) | BIT(U_KIND),
	[IO_PEOPLE] = BIT(P_REF) | BIT(P_NAME) | BIT(P_SEX) | BIT(P_BIRTH) | BIT(P_UNIT),
	[IO_QUOTAS] = BIT(Q_UNIT) | BIT(Q_YEAR) | BIT(Q_TARGET),
	[IO_STEPS] = BIT(S_PERSON) | BIT(S_STEP) | BIT(S_DATE),
	[IO_HOLIDAYS] = BIT(H_DATE),
	[IO_TRANSFERS] = BIT(T_PERSON) | BIT(T_DATE) | BIT(T_FROM) | BIT(T_TO),
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
void imp_problem(struct imp *im, size_t line, const char *column, const char *fmt, ...)
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
void imp_problem_lines(struct imp *im, size_t line, const char *text)
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
		if (!len || !text_is_valid_utf8(one) || imp_control_char(one, 0)) {
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
		while (n && imp_is_blank(*f))
			f++, n--;
		while (n && imp_is_blank(f[n - 1]))
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
		imp_problem(im, 1, "header", "%s",
			_("the file is empty; the first line must name the columns"));
		im->header_bad = 1;
		buf_release(&msg);
		return -1;
	}
	if (rc < 0) {
		while (msg.len && msg.s[msg.len - 1] == '\n')
			buf_truncate(&msg, msg.len - 1);
		imp_problem(im, im->row.line, "header", "%s", _(msg.s));
		im->header_bad = 1;
		buf_release(&msg);
		return -1;
	}
	buf_release(&msg);
	ncells = im->row.n;
	for (size_t i = 0; i < ncells; i++)
		if (!text_is_valid_utf8(im->row.fields[i])) {
			imp_problem(im, im->row.line, "header", "%s",
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
			imp_problem(im, im->row.line, im->cols[k], "%s",
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
				imp_problem(im, im->row.line, nm.s,
					_("unknown column; the columns of %s files are %s"),
					io_kind_name(im->kind), all.s);
			else
				imp_problem(im, im->row.line, "header",
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

/* How often (in bytes read) a mapped file's pages behind the reader are
 * given back. */
#define DROP_EVERY ((size_t)8 << 20)

void imp_data_drop(struct imp *im, const char *data, size_t upto)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t from = (uintptr_t)data, to = (uintptr_t)data + upto;

	if (!im->o->data_mapped || page <= 0)
		return;
	/* The map starts on a page; stop at the last whole page before upto. */
	to -= to % (uintptr_t)page;
	if (to > from && from % (uintptr_t)page == 0)
		madvise((void *)from, to - from, MADV_DONTNEED);
}

/* Read every data row, calling fn for each one that is not blank. */
void imp_read_rows(struct imp *im, const char *data, size_t len,
		      void (*fn)(struct imp *im, void *arg), void *arg)
{
	struct csv_reader *r = csv_reader_new(data, len);
	struct buf msg = BUF_INIT;
	size_t width;
	int rc;

	if (read_header(im, r) != 0)
		goto out;
	width = im->row.n;
	for (size_t dropped = 0;;) {
		buf_reset(&msg);
		rc = csv_read_row(r, &im->row, &msg);
		if (rc == 0)
			break;
		if (csv_reader_pos(r) - dropped >= DROP_EVERY) {
			dropped = csv_reader_pos(r);
			imp_data_drop(im, data, dropped);
		}
		im->stats->rows++;
		if (rc < 0) {
			while (msg.len && msg.s[msg.len - 1] == '\n')
				buf_truncate(&msg, msg.len - 1);
			imp_problem(im, im->row.line, "row", "%s", _(msg.s));
			continue;
		}
		int blank = 1;
		for (size_t i = 0; i < im->row.n && blank; i++)
			for (const char *p = im->row.fields[i]; *p && blank; p++)
				if (!imp_is_blank(*p))
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
				imp_problem(im, im->row.line, "row",
					_("%zu cells, but the header names %zu columns"),
					im->row.n, width);
		}
		fn(im, arg);
	}
out:
	buf_release(&msg);
	csv_reader_free(r);
}

int codeset_has(const struct codeset *cs, const char *code)
{
	return cs->n && bsearch(&code, cs->v, cs->n, sizeof(*cs->v), cmp_str) != NULL;
}

/* ---- writing ---- */

/* The CSV line of a record without its "\n" (audit text). */
static char *line_text(struct buf *b)
{
	if (b->len && b->s[b->len - 1] == '\n')
		buf_truncate(b, b->len - 1);
	return buf_detach(b);
}

enum kn_err imp_after_put(struct imp *im, int changed, const char *entity, const char *key,
			  struct buf *before, struct buf *after, size_t done, size_t total,
			  struct buf *err)
{
	enum kn_err e;

	if (changed == 2) {
		/* A new record is counted in the import's own entry. */
		im->stats->added++;
		buf_release(after);
		if (before)
			buf_release(before);
	} else if (changed) {
		char *b = before ? line_text(before) : NULL, *a = line_text(after);
		im->stats->updated++;
		e = store_audit(im->s, im->o->actor, "update", entity, key, b, a);
		free(b);
		free(a);
		if (e != KN_OK) {
			buf_addf(err, "%s\n", store_errmsg(im->s));
			return e;
		}
	} else {
		im->stats->unchanged++;
	}
	if (im->o->progress)
		im->o->progress(im->file, done, total);
	return KN_OK;
}

/* The import's own audit entry (docs/formats.md, "The audit log"): one
 * per file that added or updated a record, after its rows, in its
 * transaction. Who and when are
 * the entry's; the file's name, kind, SHA-256 and counts are its text;
 * entity "unit" and key the actor's unit (none without accounts), so that
 * the entry is shown to those who see that unit. */
static enum kn_err import_audit(struct imp *im, struct buf *err)
{
	const struct import_stats *st = im->stats;
	struct buf text = BUF_INIT;
	enum kn_err e;

	buf_addf(&text, "kind=%s; file=%s; sha256=%s; rows=%zu; added=%zu; updated=%zu; "
		 "unchanged=%zu", io_kind_name(im->kind), im->file, im->sha256, st->rows,
		 st->added, st->updated, st->unchanged);
	e = store_audit(im->s, im->o->actor, "import", "unit",
			im->o->actor_unit ? im->o->actor_unit : "", NULL, text.s);
	if (e != KN_OK)
		buf_addf(err, "%s\n", store_errmsg(im->s));
	buf_release(&text);
	return e;
}

/* The SHA-256 of data[0..len) into im->sha256, read in pieces that a
 * mapped file gives back as it goes (the rows are read after it). */
static void import_sha256(struct imp *im, const char *data, size_t len)
{
	crypto_hash_sha256_state st;
	unsigned char sum[crypto_hash_sha256_BYTES];
	size_t step = DROP_EVERY;

	crypto_hash_sha256_init(&st);
	for (size_t at = 0; at < len; at += step) {
		size_t n = len - at < step ? len - at : step;
		crypto_hash_sha256_update(&st, (const unsigned char *)data + at, n);
		imp_data_drop(im, data, at + n);
	}
	crypto_hash_sha256_final(&st, sum);
	sodium_bin2hex(im->sha256, sizeof(im->sha256), sum, sizeof(sum));
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

	if (!opts->dry_run)
		import_sha256(&im, data, len);
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
	case IO_TRANSFERS: e = import_transfers(&im, data, len, err); break;
	default: e = KN_EINVAL; break;
	}
	if (e == KN_OK && im.nprobs)
		e = KN_EINVAL;
	/* A file that changed nothing (a re-import) leaves no trace: the
	 * database stays byte for byte as it was. */
	if (e == KN_OK && !opts->dry_run && stats->added + stats->updated)
		e = import_audit(&im, err);
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
