/*
 * report.h — the year-end reports of FORMATS.md as data.
 *
 * A report is built once from the recorded steps (report_build) as a
 * table of typed cells, and rendered by format-specific writers that know
 * nothing of the domain: io/report_text.c (table, csv, json), io/xlsx.c
 * and io/html.c. So the same figures come out of every format.
 *
 * Ownership: a struct report owns every string in it; report_free()
 * releases it. Cells are stored row-major (rows[r * ncols + c]).
 */
#ifndef KN_REPORT_H
#define KN_REPORT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

struct store;
struct calendar;
struct unitree;

enum report_kind {
	REPORT_ACHIEVEMENT,
	REPORT_STRUCTURE,
	REPORT_FUNNEL,
	REPORT_SOURCES,		/* issue 15 (report_sources.c) */
	REPORT_DEADLINES,
	REPORT_RANKING,
	REPORT_SUMMARY,
	REPORT__COUNT
};

enum rcol_type {
	RC_TEXT,	/* free text (names): shown as is */
	RC_CODE,	/* a machine code (unit code, step, category): shown as is */
	RC_INT,		/* whole number: CSV "2669", vi table "2.669", JSON 2669 */
	RC_PERCENT,	/* tenths of a percent: CSV "127.1", vi "127,1%", JSON 127.1 */
	RC_DATE,	/* CSV/JSON "2012-01-15", vi table "15/01/2012" */
	RC_YESNO,	/* num 1/0: CSV/JSON "yes"/"no", tables translated */
};

struct rcol {
	const char *key;	/* CSV/JSON column name (FORMATS.md), static */
	const char *label;	/* header for people, translated, static */
	enum rcol_type type;
	int human_only;		/* shown to people only: not in CSV or JSON, whose
				   columns are the contract of FORMATS.md */
};

struct rcell {
	int null;		/* no value: empty in CSV, null in JSON */
	long long num;		/* RC_INT, RC_PERCENT (tenths), RC_YESNO */
	kn_date date;		/* RC_DATE */
	char *text;		/* RC_TEXT, RC_CODE (owned) */
	char *label;		/* RC_CODE: what people read instead of the code
				   (translated, owned), or NULL */
	unsigned char pooled;	/* 1: text, 2: label is one of the report's
				   pool (report_free frees it once there) */
};

struct report {
	enum report_kind kind;
	const char *name;	/* "achievement" (static) */
	char *title;		/* translated, e.g. "Kết quả kết nạp đảng viên năm 2011" */
	char *unit;		/* code of the report's unit */
	char *unit_name;
	kn_date from, to;	/* the period */
	kn_date as_of;		/* the pipeline as it stood that day */
	size_t ncols;
	const struct rcol *cols;
	size_t nrows;
	struct rcell *rows;	/* nrows * ncols */
	size_t rowcap;		/* rows allocated (report_add_row) */
	int *depth;		/* per row: tree depth (achievement), else NULL */
	char *summary;		/* the prose paragraph (summary), else NULL */
	char *anchor;		/* summary: the audit chain's head and count
				   (verify_anchor), for a printed review's
				   footer; else NULL */
	char *note;		/* a sentence under the title saying what the
				   figures count (funnel), else NULL; translated */
	long long waiting;	/* deadlines, summary: the dossiers waiting for the
				   decision that count for the unit on as_of
				   (core/queue.h); -1 for the other reports */
	long long waiting_overdue;	/* of them, past DL-DECISION; -1 likewise */
	struct report *overdue;	/* deadlines: the overdue ones counted per unit
				   where the dossier sits, one column per kind
				   and a total row (the printed review and its
				   workbook show this instead of every open
				   deadline); owned; else NULL */
	char **pool;		/* the texts that many cells share (a
				   deadline's code and its words, a status):
				   one copy each, not one a row */
	size_t npool;
};

struct report_opts {
	const char *unit;	/* NULL: the root */
	kn_date from, to;	/* the period (a year: 1/1 .. 31/12) */
	kn_date as_of;		/* KN_DATE_NONE: today */
	int depth;		/* achievement: levels below the unit (default 1) */
	int level;		/* ranking: levels below the unit (default 1) */
	const char *lang;	/* "vi" or "en": the summary's language */
	/* The tree of every unit, when the caller holds one (a server's,
	 * core/treecache.h): then the deadlines and the summary's waiting
	 * dossiers read no units; NULL: the build reads the subtree they
	 * need. The achievement, the ranking, the structure and the
	 * summary's own figures read the levels they show whatever this is
	 * (report.c, load_shown): 64 units at a nation's root for depth 1,
	 * where the whole tree's quotas and lookups cost more. */
	const struct unitree *tree;
};

const char *report_kind_name(enum report_kind k);
/* -1 for an unknown name. */
int report_kind_parse(const char *name);

/* Build one report. KN_ENOTFOUND (with a message in err) for an unknown
 * unit. *out is the caller's, freed with report_free(). */
enum kn_err report_build(struct store *s, struct calendar *cal, enum report_kind kind,
			 const struct report_opts *o, struct report **out, struct buf *err);
void report_free(struct report *r);

/* The deadlines report's figures without its rows, for a dashboard: of
 * the open deadlines it would list, how many there are, how many are
 * overdue and how many are due within `soon` working days (0 to soon
 * left); and its waiting and waiting_overdue. At the national root the
 * report's rows are 240 thousand, and a dashboard shows four numbers. */
struct deadline_counts {
	long long open, overdue, soon;
	long long waiting, waiting_overdue;
};
enum kn_err report_deadline_counts(struct store *s, struct calendar *cal,
				   const struct report_opts *o, int soon,
				   struct deadline_counts *out, struct buf *err);

/* Issue 13: a report whose rows are too many to hold as cells (the
 * deadlines of a nation's root, 240 thousand), written as they come. The
 * rows are n; fill() puts the i-th (0 <= i < n, any order, as often as
 * the writer needs: a table measures its columns first) into row 0 of r,
 * a report of the same columns with exactly one row (nrows 1) whose
 * cells' strings belong to the rows (pooled 3: report_free frees none). */
struct report_rows {
	size_t n;
	void (*fill)(const struct report_rows *rows, size_t i, struct report *r);
	void *arg;
};
/* Write the report: head (title, unit, dates, waiting; its one row the
 * window fill() writes into) and its rows. Returns 0, or -1 on a write
 * error the writer has reported. */
typedef int (*report_write_fn)(void *arg, struct report *head, const struct report_rows *rows);
/* The deadlines report of report_build(), given to write instead of
 * built: each row kept as a few ids, its strings read as write asks.
 * KN_EIO when write returns -1 (nothing added to err). */
enum kn_err report_stream_deadlines(struct store *s, struct calendar *cal,
				    const struct report_opts *o, report_write_fn write, void *arg,
				    struct buf *err);

/* ---- structure categories (RULES.md §6) ---- */
struct admission;
struct unode;

/* How many categories there are; the code ("female") and the translated
 * label ("Women") of the i-th, in the structure report's order (NULL past
 * the end). */
size_t report_category_count(void);
const char *report_category_code(size_t i);
const char *report_category_label(size_t i);

/* Whether the person of `a` (their facts, and the decision date: for a
 * candidate not yet decided, the day to judge their age on), considered
 * by unit un, counts in the category `code`, as the reports count it:
 * 1 yes, 0 no, -1 for an unknown code. */
int report_in_category(const struct admission *a, const struct unode *un, const char *code);

/* The cell at row r, column c. */
static inline struct rcell *report_cell(const struct report *rp, size_t r, size_t c)
{
	return &rp->rows[r * rp->ncols + c];
}

#endif
