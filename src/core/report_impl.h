/*
 * report_impl.h — what the report builders share (private to report.c,
 * report_deadlines.c and report_summary.c): the categories of RULES.md §6,
 * the context a build loads once (struct ctx: the report unit's subtree
 * and its ancestors, the subtree's quotas, the admissions rolled up per
 * unit and category), the functions that fill a
 * report's table, and the deadlines the summary reuses.
 */
#ifndef KN_REPORT_IMPL_H
#define KN_REPORT_IMPL_H

#include <stdint.h>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/report.h"
#include "core/unitree.h"
#include "store/store.h"
#include "util/buf.h"

/* The categories of RULES.md §6, in report_cat_codes[] order. */
enum category {
	CAT_TOTAL, CAT_FEMALE, CAT_ETHNIC, CAT_RELIGIOUS, CAT_YOUTH, CAT_YOUTH_UNION,
	CAT_WORKER, CAT_FARMER, CAT_STUDENT, CAT_CIVIL_SERVANT, CAT_NONSTATE, CAT_HAMLET,
	CAT_HIGHER_EDU, CAT_READMITTED, CAT__COUNT
};

extern const char *const report_cat_codes[CAT__COUNT];

/* What a build needs (report.c loads it). */
struct ctx {
	struct store *s;
	struct calendar *cal;
	const struct report_opts *o;
	/* o->tree when the caller has one (a server's, of every unit), else
	 * own: the subtree and its ancestors, read for this build */
	const struct unitree *tree;
	struct unitree own;
	struct unode *top;
	/* What the store's subtree reads are given: top's code, or NULL when
	 * top is the only root (the whole organisation: statements without
	 * a subtree, store.h) */
	const char *scope;
	kn_date to;		/* min(period end, as_of) */
	kn_date as_of;
	int quota_year;		/* 0 when the period spans years */
	/* The subtree of top in preorder (top first), and per node of tree
	 * (by its index in tree->nodes) 1 + its place there, 0 outside. */
	const struct unode **sub;
	size_t nsub;
	uint32_t *slot;
	/* The top's quota of the period's year and its admissions, per
	 * category (-1: no quota); for every unit of the subtree, by its
	 * place in sub, the total only: no report shows a unit below the top
	 * by category, and 14 figures for each of a nation's 325 k units
	 * would be 36 MB a table. */
	long long quota_top[CAT__COUNT], adm_top[CAT__COUNT];
	long long *quota, *adm;
	/* The tree read only down to the levels the report shows (own,
	 * read by report.c's load_shown): the total's quota of each of its
	 * nodes, by index in own.nodes (-1: none); NULL for a whole tree. */
	long long *own_quota;
	/* The summary's admissions per nominating organisation of their
	 * source (store_source_counts' admitted, in label_orgs order), read
	 * with the categories; adm_org_read 0 when they were not. */
	long long adm_org[STORE_NORGS];
	int adm_org_read;
};

/* The quota of unit n for the period's year and category; -1 when none,
 * and for a category other than the total of a unit below the top. */
long long report_quota_of(const struct ctx *c, const struct unode *n, enum category cat);
/* The admissions of the period in n's subtree (n in the top's). */
long long report_admitted(const struct ctx *c, const struct unode *n);

/* For what needs every unit of c's subtree when c has read only the
 * levels its report shows (the summary's dossiers waiting: each one's
 * unit and the units above it): *w a copy of c whose tree is the whole
 * subtree, read into own (unitree_free it, whatever this returns) or
 * the caller's (o->tree), and top its node there; without c's figures.
 * When c's tree is whole already, *w is c. */
enum kn_err report_whole_tree(const struct ctx *c, struct unitree *own, struct ctx *w,
			      struct buf *err);

/* ---- building the table (report.c) ---- */

/* A new report of kind with these columns, for c's unit and period (no
 * title, no rows). */
struct report *report_new(enum report_kind kind, const struct rcol *cols, size_t ncols,
			  const struct ctx *c);
/* Append an empty row; returns its index. */
size_t report_add_row(struct report *r);
/* Set a cell: text (copied; NULL for none), a label beside it, a number
 * (null: none), a date. */
void report_set_text(struct report *r, size_t row, size_t col, const char *s);
void report_set_label(struct report *r, size_t row, size_t col, const char *label);
/* The same with a text the caller gives up (NULL for none: a null cell),
 * and with a text or label of the report's pool: one copy of each
 * distinct text for every cell that shows it (a few codes and words over
 * a nation's 240 thousand deadline rows). */
void report_take_text(struct report *r, size_t row, size_t col, char *s);
void report_set_text_pooled(struct report *r, size_t row, size_t col, const char *s);
void report_set_label_pooled(struct report *r, size_t row, size_t col, const char *label);
void report_set_num(struct report *r, size_t row, size_t col, long long v, int null);
void report_set_date(struct report *r, size_t row, size_t col, kn_date d);
/* The period as words: "in 2011" (a calendar year) or "from D to D", the
 * dates written as the language in force writes them. */
void report_period_words(const struct report_opts *o, struct buf *out);
/* The report's title: what, the unit and the period. */
void report_set_title(struct report *r, const char *what, const struct ctx *c);

/* ---- deadlines (report_deadlines.c) ---- */

/* One open deadline, compact (issue 13: a nation's root has 240
 * thousand): the person's ref and name are one entry of the walk's text
 * ("REF\0NAME\0" at offsets text and name), the unit a node of the
 * ctx's tree, the code one of core/deadline.c's (static). */
struct dl_row {
	size_t text, name;
	const struct unode *un;
	const char *code;
	kn_date due;
	int left;
};

struct dl_acc {
	const struct ctx *c;
	struct policy pol;
	struct dl_row *rows;
	size_t n, cap;
	struct buf text;	/* the rows' refs and names */
	size_t name_at;		/* the last name's offset there */
	/* the last unit by id dl_collect looked up: its node, or NULL
	 * outside the subtree */
	int64_t last_id;
	struct unode *last_un;
	long long waiting;	/* dossiers waiting for the decision (core/queue.h) */
	long long waiting_overdue;
	/* report_count_deadlines(): counted, no rows kept */
	struct deadline_counts *counts;
	int soon;
};

/* The person's ref and full name of row r of a. */
static inline const char *dl_person(const struct dl_acc *a, const struct dl_row *r)
{
	return a->text.s + r->text;
}
static inline const char *dl_name(const struct dl_acc *a, const struct dl_row *r)
{
	return a->text.s + r->name;
}

/* The policy in force on c->as_of (the defaults when none is recorded
 * for it), as the deadlines and the waiting count judge by. */
enum kn_err report_policy_at(const struct ctx *c, struct policy *pol, struct buf *err);

/* Every deadline of the candidacies open on c->as_of in the subtree, and
 * the dossiers waiting for the decision, into a (sorted by person and
 * deadline); report_dl_release() frees them. */
enum kn_err report_collect_deadlines(const struct ctx *c, struct dl_acc *a, struct buf *err);
/* Only a->waiting and a->waiting_overdue, the same figures, from the
 * candidacies that may be waiting (store_queue_wait): the summary's
 * sentence, without every open candidacy's deadlines. */
enum kn_err report_collect_waiting(const struct ctx *c, struct dl_acc *a, struct buf *err);
/* The same deadlines counted into *out (report.h), none kept. */
enum kn_err report_count_deadlines(const struct ctx *c, int soon, struct deadline_counts *out,
				   struct buf *err);
void report_dl_release(struct dl_acc *a);
enum kn_err report_build_deadlines(const struct ctx *c, struct report **out, struct buf *err);
/* The same report streamed (report_stream_deadlines, report.h): the
 * header (no rows) and the rows given to write one at a time. */
enum kn_err report_write_deadlines(const struct ctx *c, report_write_fn write, void *arg,
				   struct buf *err);

/* ---- issue 15: the sources report (report_sources.c) ---- */

/* Per nominating organisation, in label_orgs' order: sourced and
 * admitted in c's period and subtree (store_source_counts). */
enum kn_err report_source_counts(const struct ctx *c, long long sourced[STORE_NORGS],
				 long long admitted[STORE_NORGS], struct buf *err);
enum kn_err report_build_sources(const struct ctx *c, struct report **out, struct buf *err);

/* ---- the ranking and the summary (report_summary.c) ---- */

struct report *report_build_ranking(const struct ctx *c);
enum kn_err report_build_summary(const struct ctx *c, struct report **out, struct buf *err);

#endif
