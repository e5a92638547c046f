/*
 * import_impl.h — what the files of the importer share (for src/io/import*.c
 * only; the public interface is import.h).
 *
 * import.c holds the shared machinery: the state of one file's import
 * (struct imp), the problems list, the header check, the row reader and
 * the one transaction around it all; import_cells.c reads a cell of the
 * current row as a checked value; import_units.c, import_people.c,
 * import_plan.c (quotas and holidays) and import_steps.c each read and
 * write one kind of list. The imp_* functions report what is wrong with a
 * cell themselves, as problems of the current row's line, and return NULL
 * (or -1, KN_DATE_NONE) for an empty or refused cell; a returned string is
 * the caller's to free.
 */
#ifndef KN_IMPORT_IMPL_H
#define KN_IMPORT_IMPL_H

#include <stddef.h>

#include "io/csv.h"
#include "io/import.h"
#include "util/date.h"

/* The most columns a kind of list has (io_columns()). */
#define MAXCOLS 24

/* One reported problem (import.c). */
struct problem;

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
	char sha256[65];	/* of the file's bytes, hex (the audit entry) */
};

/* With opts->data_mapped: let go of the pages of data[0..len) that lie
 * wholly before data + upto (import.c). */
void imp_data_drop(struct imp *im, const char *data, size_t upto);

/* The columns of each kind, in io_columns() order; BIT() makes bit sets
 * of them (the required columns, import.c). */
#define BIT(i) (1u << (i))
enum { U_CODE, U_PARENT, U_NAME, U_KIND, U_MAY_ADMIT, U_SECTOR, U_SPECIAL };
enum { P_REF, P_NAME, P_SEX, P_BIRTH, P_UNIT, P_ETHNICITY, P_RELIGION, P_EDUCATION,
       P_QUALIFICATION, P_OCCUPATION, P_YOUTH, P_TRADE, P_MEMBER, P_OFFICIAL, P_PHONE,
       P_NOTE, P_LEFT_ON, P_LEFT_REASON, P_CLEARED, P_READMITTED };
enum { Q_UNIT, Q_YEAR, Q_CATEGORY, Q_TARGET };
enum { S_PERSON, S_STEP, S_DATE, S_DOC, S_ORG, S_MEMBER, S_INTRO1, S_INTRO1_SINCE, S_INTRO2,
       S_INTRO2_SINCE, S_VOTES_FOR, S_VOTES_TOTAL, S_CONSENT, S_OVERRIDE, S_NOTE };
enum { H_DATE, H_WORKDAY, H_NAME };
enum { T_PERSON, T_DATE, T_FROM, T_TO, T_ARRIVED, T_DOC, T_NOTE, T_OVERRIDE };	/* issue 15 */

/* ---- problems (import.c) ---- */

/* "FILE:LINE: column: message". */
__attribute__((format(printf, 4, 5)))
void imp_problem(struct imp *im, size_t line, const char *column, const char *fmt, ...);

/* Lines "column: message\n" (as ledger_step reports) as problems of line. */
void imp_problem_lines(struct imp *im, size_t line, const char *text);

/* ---- cells (import_cells.c) ---- */

/* A space or a tab: what a cell's or a name's ends are trimmed of. */
static inline int imp_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The number of code points of s[0..n); an invalid byte counts as one. */
size_t imp_utf8_chars(const char *s, size_t n);

/* The first control character of valid UTF-8 s (tab, LF and CR allowed
 * when `lines`), or 0 when there is none. */
unsigned imp_control_char(const char *s, int lines);

/* The raw cell of known column c in the current row; NULL when the column
 * is absent or the cell empty. */
const char *imp_cell(struct imp *im, int c);

/* The cell of column c, checked against its column's limits, in NFC; NULL
 * when empty or refused (reported). `trim`: drop surrounding spaces. */
char *imp_get(struct imp *im, int c, int trim);

/* Like imp_get(), and an empty cell of a column the header has is reported. */
char *imp_get_req(struct imp *im, int c, int trim);

/* A date cell (YYYY-MM-DD or DD/MM/YYYY); KN_DATE_NONE when empty or bad. */
kn_date imp_get_date(struct imp *im, int c, int required);

/* A yes/no cell; def when empty or bad. */
int imp_get_bool(struct imp *im, int c, int def);

/* A whole number 0..max; -1 when the cell is empty or bad. */
long long imp_get_count(struct imp *im, int c, int required, long long max);

/* A unit code cell; NULL when empty or not a unit code. */
char *imp_get_unit_code(struct imp *im, int c, int required);

/* A code cell checked by valid(); msg has one %s for the value. */
char *imp_get_code(struct imp *im, int c, int (*valid)(const char *), const char *msg);

/* ---- reading and writing (import.c) ---- */

/* Check the header, then call fn for every data row that is not blank,
 * with im->row and im->rowbad set for it. */
void imp_read_rows(struct imp *im, const char *data, size_t len,
		   void (*fn)(struct imp *im, void *arg), void *arg);

/* A sorted array of codes for membership tests. */
struct codeset {
	char **v;
	size_t n;
};

int codeset_has(const struct codeset *cs, const char *code);

/* After a record's store *_put(): count it (changed: 2 added, 1 updated, 0
 * unchanged), give an update its audit entry under entity and key, its
 * text the record's CSV line as export writes it, in before and after
 * (filled only for an update, and then emptied here), and report progress
 * (done of total). A new record gets no entry of its own: the import's
 * entry (import_csv()) counts it. Returns KN_OK, or the store's error
 * with its message in err. */
enum kn_err imp_after_put(struct imp *im, int changed, const char *entity, const char *key,
			  struct buf *before, struct buf *after, size_t done, size_t total,
			  struct buf *err);

/* ---- the lists ---- */

/* Read, check and (when nothing is refused) write one list: units
 * (import_units.c), people (import_people.c), quotas and holidays
 * (import_plan.c), steps (import_steps.c). Problems of the file go to
 * im's list; err gets a storage failure's message. */
enum kn_err import_units(struct imp *im, const char *data, size_t len, struct buf *err);
enum kn_err import_people(struct imp *im, const char *data, size_t len, struct buf *err);
enum kn_err import_quotas(struct imp *im, const char *data, size_t len, struct buf *err);
enum kn_err import_holidays(struct imp *im, const char *data, size_t len, struct buf *err);
enum kn_err import_steps(struct imp *im, const char *data, size_t len, struct buf *err);
/* issue 15: transfers.csv (import_transfers.c). */
enum kn_err import_transfers(struct imp *im, const char *data, size_t len, struct buf *err);

#endif
