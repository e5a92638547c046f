/*
 * report_deadlines.c — the deadlines report (FORMATS.md): the open
 * deadlines of the candidacies open on the as-of date in the unit's
 * subtree, from deadlines_for() under the policy in force then (as the
 * dashboard's), with the dossiers waiting for the decision as core/queue.h
 * counts them and the table of overdue deadlines per unit and kind. The
 * summary (report_summary.c) reuses the same walk.
 */
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/queue.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/transfer.h"
#include "core/unitree.h"
#include "core/verify.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "core/report_impl.h"
#include "util/banned.h"


static const struct rcol deadline_cols[] = {
	{ "person", N_("ref"), RC_CODE, 0 },
	{ "full_name", N_("full name"), RC_TEXT, 0 },
	{ "unit", N_("unit"), RC_CODE, 0 },
	{ "due", N_("deadline"), RC_CODE, 0 },
	{ "due_date", N_("due on"), RC_DATE, 0 },
	{ "workdays_left", N_("working days left"), RC_INT, 0 },
	{ "status", N_("status"), RC_CODE, 0 },
};

/* Waiting for the decision: the one definition of core/queue.h, counted
 * for the report's unit. */
static void dl_count_waiting(struct dl_acc *a, struct unode *un, const struct pipeline *p)
{
	struct queue_dossier qd;
	if (queue_waiting_ext(un, p->steps, p->nsteps, p->decision_extended, a->c->as_of, &a->pol,
			      a->c->cal, &qd) &&
	    queue_counts_for(&qd, a->c->top)) {
		a->waiting++;
		a->waiting_overdue += queue_overdue(&qd);
	}
}

/* One open deadline: kept as a row, or only counted. Returns the row, or
 * NULL when counted. */
static struct dl_row *dl_add(struct dl_acc *a, const char *code, kn_date due, int left)
{
	struct dl_row *r;
	if (a->counts) {
		a->counts->open++;
		a->counts->overdue += left < 0;
		a->counts->soon += left >= 0 && left <= a->soon;
		return NULL;
	}
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->rows = xreallocarray(a->rows, a->cap, sizeof(*a->rows));
	}
	r = &a->rows[a->n++];
	r->text = r->name = 0;
	r->un = NULL;
	r->code = code;
	r->due = due;
	r->left = left;
	return r;
}

/* The person's ref and name into a's text; their offset there. */
static size_t dl_text(struct dl_acc *a, const char *ref, const char *name)
{
	size_t at = a->text.len;
	buf_add(&a->text, ref, strlen(ref) + 1);
	buf_add(&a->text, name, strlen(name) + 1);
	a->name_at = at + strlen(ref) + 1;
	return at;
}

/* The candidacy's considering unit: by code, or by id when the store
 * gave that (store_pipeline_latest of every unit). */
static struct unode *dl_unit(const struct dl_acc *a, const struct pipeline *p)
{
	return p->unit ? unitree_find(a->c->tree, p->unit) : unitree_find_id(a->c->tree, p->unit_id);
}

/* dl_unit() if within the report's subtree, else NULL. A unit's
 * candidacies come in a run (a scan of the candidacies in the order
 * they were recorded, a unit's at a time): the last unit's answer is
 * kept. */
static struct unode *dl_unit_within(struct dl_acc *a, const struct pipeline *p)
{
	struct unode *un;
	if (!p->unit && p->unit_id && p->unit_id == a->last_id)
		return a->last_un;
	un = dl_unit(a, p);
	if (un && !unitree_within(un, a->c->top))
		un = NULL;
	if (!p->unit) {
		a->last_id = p->unit_id;
		a->last_un = un;
	}
	return un;
}

static int dl_wait(void *arg, const struct pipeline *p)
{
	struct dl_acc *a = arg;
	struct unode *un = dl_unit(a, p);
	if (un && unitree_within(un, a->c->top))
		dl_count_waiting(a, un, p);
	return 0;
}

static int dl_collect(void *arg, const struct pipeline *p)
{
	struct dl_acc *a = arg;
	struct unode *un = dl_unit_within(a, p);
	struct deadline *dl = NULL;
	if (!un)
		return 0;
	dl_count_waiting(a, un, p);
	size_t n = deadlines_for_ext(p->steps, p->nsteps, p->decision_extended, a->c->as_of,
				     &a->pol, a->c->cal, &dl);
	size_t text = SIZE_MAX;	/* one copy for the candidacy's deadlines */
	for (size_t i = 0; i < n; i++) {
		struct dl_row *r = dl_add(a, dl[i].code, dl[i].due, dl[i].workdays_left);
		if (r) {
			if (text == SIZE_MAX)
				text = dl_text(a, p->person_ref, p->full_name);
			r->text = text;
			r->name = a->name_at;
			r->un = un;
		}
	}
	free(dl);
	return 0;
}

/* issue 15: DL-TRANSFER, for a person in transit on as_of, in the
 * deadlines of both sides: the row names the side inside the report's
 * subtree (the sending unit when both are). */
static int dl_transit(void *arg, const struct transit *t)
{
	struct dl_acc *a = arg;
	const char *unit = t->from_inside ? t->from : t->to;
	struct unode *un = unitree_find(a->c->tree, unit);
	kn_date due;
	if (!un || !unitree_within(un, a->c->top))
		return 0;
	due = calendar_add_workdays(a->c->cal, t->out_date, a->pol.deadline_transfer_workdays);
	struct dl_row *r = dl_add(a, "DL-TRANSFER", due,
				  calendar_count_workdays(a->c->cal, a->c->as_of, due));
	if (r) {
		r->text = dl_text(a, t->person_ref, t->full_name);
		r->name = a->name_at;
		r->un = un;
	}
	return 0;
}

static int dl_cmp(const void *x, const void *y, void *arg)
{
	const struct dl_row *a = x, *b = y;
	const struct dl_acc *acc = arg;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	int c = strcmp(dl_person(acc, a), dl_person(acc, b));
	return c ? c : strcmp(a->code, b->code);
}

enum kn_err report_policy_at(const struct ctx *c, struct policy *pol, struct buf *err)
{
	struct policy_row *rows;
	size_t n;
	enum kn_err e;
	if ((e = store_policy_all(c->s, &rows, &n)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	if (policy_resolve(rows, n, c->as_of, pol, NULL) != 0) {
		const struct policy_row *def = policy_default_rows(&n);
		policy_resolve(def, n, c->as_of, pol, NULL);
	}
	store_policy_free(rows, n);
	return KN_OK;
}

/* a emptied, with the policy in force on c->as_of. */
static enum kn_err dl_begin(const struct ctx *c, struct dl_acc *a, struct buf *err)
{
	memset(a, 0, sizeof(*a));
	buf_init(&a->text);
	a->c = c;
	return report_policy_at(c, &a->pol, err);
}

enum kn_err report_collect_waiting(const struct ctx *c, struct dl_acc *a, struct buf *err)
{
	enum kn_err e;
	if ((e = dl_begin(c, a, err)) != KN_OK)
		return e;
	if ((e = store_queue_wait(c->s, c->scope, c->as_of, dl_wait, a)) != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	return e;
}

/* Every open deadline of the subtree on as_of into a (kept or counted)
 * and the dossiers waiting. Codes and dates are all deadlines_for() and
 * queue_waiting() read. A candidacy closed on as_of but with a later
 * step, which store_pipeline_each() would also hand over, has no
 * deadline and waits for nothing, so the figures are the same. */
static enum kn_err dl_walk(const struct ctx *c, struct dl_acc *a, struct buf *err)
{
	enum kn_err e;
	/* Counting only (the dashboard's API): no names read at all. The
	 * latest date of each kind is all dl_collect reads of the steps
	 * (store_pipeline_latest). The only root (c->scope NULL) is every
	 * unit: a scan, without the units' paths. */
	if ((e = store_pipeline_latest(c->s, c->scope, c->as_of, a->counts != NULL,
				       dl_collect, a)) != KN_OK ||
	    (e = store_transfers_transit(c->s, c->scope, c->as_of, dl_transit, a)) != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	return e;
}

enum kn_err report_collect_deadlines(const struct ctx *c, struct dl_acc *a, struct buf *err)
{
	enum kn_err e;
	if ((e = dl_begin(c, a, err)) != KN_OK || (e = dl_walk(c, a, err)) != KN_OK)
		return e;
	xqsort_r(a->rows, a->n, sizeof(*a->rows), dl_cmp, a);
	return KN_OK;
}

enum kn_err report_count_deadlines(const struct ctx *c, int soon, struct deadline_counts *out,
				   struct buf *err)
{
	struct dl_acc a;
	enum kn_err e;
	if ((e = dl_begin(c, &a, err)) != KN_OK)
		return e;
	a.counts = out;
	a.soon = soon;
	e = dl_walk(c, &a, err);
	out->waiting = a.waiting;
	out->waiting_overdue = a.waiting_overdue;
	return e;
}

void report_dl_release(struct dl_acc *a)
{
	free(a->rows);
	buf_release(&a->text);
}

/* The overdue deadlines per unit, for the year-end review: a commission
 * prints a few pages, so the full list stays in the deadlines report. The
 * kinds are those of core/deadline.c, with short labels (a printed A4
 * column is narrow). Units with nothing overdue are left out; the last row
 * is the total for the report's unit. */
static const struct rcol overdue_cols[] = {
	{ "unit", N_("unit"), RC_CODE, 0 },
	{ "name", N_("name"), RC_TEXT, 0 },
	{ "DL-DECISION", N_("admission decision"), RC_INT, 0 },
	{ "DL-CEREMONY", N_("ceremony"), RC_INT, 0 },
	{ "DL-PROBATION-VOTE", N_("vote on full membership"), RC_INT, 0 },
	{ "DL-OFFICIAL", N_("full membership"), RC_INT, 0 },
	{ "DL-CERT-EXPIRY", N_("certificate"), RC_INT, 0 },
	{ "DL-DOSSIER", N_("introductions"), RC_INT, 0 },
	{ "overdue", N_("overdue, in all"), RC_INT, 0 },
};
#define NOVERDUE (sizeof(overdue_cols) / sizeof(*overdue_cols))
#define OVERDUE_KIND0 2		/* the first kind's column */
#define OVERDUE_TOTAL (NOVERDUE - 1)

static int dl_unit_cmp(const void *x, const void *y)
{
	const struct dl_row *const *a = x, *const *b = y;
	return strcmp((*a)->un->u.code, (*b)->un->u.code);
}

/* Add one overdue deadline of kind code to row (its column and the total). */
static void overdue_count(struct report *r, size_t row, const char *code)
{
	for (size_t k = OVERDUE_KIND0; k < OVERDUE_TOTAL; k++)
		if (strcmp(overdue_cols[k].key, code) == 0) {
			report_cell(r, row, k)->num++;
			break;
		}
	report_cell(r, row, OVERDUE_TOTAL)->num++;
}

static struct report *build_overdue(const struct ctx *c, const struct dl_acc *a)
{
	struct report *r = report_new(REPORT_DEADLINES, overdue_cols, NOVERDUE, c);
	struct dl_row **late = xcalloc(a->n ? a->n : 1, sizeof(*late));
	struct buf t = BUF_INIT;
	size_t nlate = 0, total;
	char d[11];

	date_format_user(c->as_of, d);
	buf_addf(&t, _("Overdue deadlines by unit — %s, as of %s"), c->top->u.name, d);
	r->title = buf_detach(&t);
	/* DL-TRANSFER (issue 15) has no column of this printed table yet:
	 * it stays in the full list, and the table's total adds up. */
	for (size_t i = 0; i < a->n; i++)
		if (a->rows[i].left < 0 && strcmp(a->rows[i].code, "DL-TRANSFER") != 0)
			late[nlate++] = &a->rows[i];
	xqsort(late, nlate, sizeof(*late), dl_unit_cmp);
	for (size_t i = 0; i < nlate; i++) {
		if (i == 0 || strcmp(late[i]->un->u.code, late[i - 1]->un->u.code) != 0) {
			const struct unode *un = late[i]->un;
			size_t row = report_add_row(r);
			report_set_text(r, row, 0, un->u.code);
			report_set_text(r, row, 1, un->u.name);
		}
		overdue_count(r, r->nrows - 1, late[i]->code);
	}
	total = report_add_row(r);
	report_set_text(r, total, 0, c->top->u.code);
	report_set_text(r, total, 1, _("Total"));
	for (size_t i = 0; i < nlate; i++)
		overdue_count(r, total, late[i]->code);
	free(late);
	return r;
}

/* The deadlines report without its rows: title, unit, dates. */
static struct report *dl_head(const struct ctx *c)
{
	struct report *r = report_new(REPORT_DEADLINES, deadline_cols, 7, c);
	struct buf t = BUF_INIT;
	char d[11];
	date_format_user(c->as_of, d);
	buf_addf(&t, _("Open deadlines — %s, as of %s"), c->top->u.name, d);
	r->title = buf_detach(&t);
	return r;
}

/* A deadline's words (deadline_label), made once per code: a few kinds. */
struct dl_labels {
	const char **code;
	char **label;
	size_t n;
};

static const char *dl_label(struct dl_labels *l, const char *code)
{
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < l->n; i++)
		if (l->code[i] == code || strcmp(l->code[i], code) == 0)
			return l->label[i];
	deadline_label(code, &t);
	l->code = xreallocarray(l->code, l->n + 1, sizeof(*l->code));
	l->label = xreallocarray(l->label, l->n + 1, sizeof(*l->label));
	l->code[l->n] = code;
	l->label[l->n] = buf_detach(&t);
	return l->label[l->n++];
}

static void dl_labels_release(struct dl_labels *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->label[i]);
	free(l->code);
	free(l->label);
}

enum kn_err report_build_deadlines(const struct ctx *c, struct report **out, struct buf *err)
{
	struct dl_acc a;
	struct dl_labels l = { 0 };
	enum kn_err e = report_collect_deadlines(c, &a, err);
	if (e != KN_OK) {
		report_dl_release(&a);
		return e;
	}
	struct report *r = dl_head(c);
	/* The overdue table is counted first; the few codes and words every
	 * row repeats come from the report's pool. */
	r->overdue = build_overdue(c, &a);
	for (size_t i = 0; i < a.n; i++) {
		const struct dl_row *d = &a.rows[i];
		size_t row = report_add_row(r);
		report_set_text(r, row, 0, dl_person(&a, d));
		report_set_text(r, row, 1, dl_name(&a, d));
		report_set_text(r, row, 2, d->un->u.code);
		report_set_text_pooled(r, row, 3, d->code);
		report_set_label_pooled(r, row, 3, dl_label(&l, d->code));
		report_set_date(r, row, 4, d->due);
		report_set_num(r, row, 5, d->left, 0);
		report_set_text_pooled(r, row, 6, d->left < 0 ? "overdue" : "due");
		report_set_label_pooled(r, row, 6, d->left < 0 ? _("overdue") : _("due"));
	}
	dl_labels_release(&l);
	r->waiting = a.waiting;
	r->waiting_overdue = a.waiting_overdue;
	report_dl_release(&a);
	*out = r;
	return KN_OK;
}

/* The rows of report_write_deadlines: a's, in its order. */
struct dl_window {
	const struct dl_acc *a;
	struct dl_labels l;
};

static void dl_fill(const struct report_rows *rows, size_t i, struct report *r)
{
	struct dl_window *w = rows->arg;
	const struct dl_row *d = &w->a->rows[i];
	struct rcell *x = r->rows;	/* row 0 */
	/* The strings are the walk's, the labels' and the catalogue's. */
	memset(x, 0, 7 * sizeof(*x));
	for (size_t c = 0; c < 7; c++) {
		x[c].date = KN_DATE_NONE;
		x[c].pooled = 3;
	}
	x[0].text = (char *)dl_person(w->a, d);
	x[1].text = (char *)dl_name(w->a, d);
	x[2].text = (char *)d->un->u.code;
	x[3].text = (char *)d->code;
	x[3].label = (char *)dl_label(&w->l, d->code);
	x[4].date = d->due;
	x[4].null = d->due == KN_DATE_NONE;
	x[5].num = d->left;
	x[6].text = (char *)(d->left < 0 ? "overdue" : "due");
	x[6].label = (char *)(d->left < 0 ? _("overdue") : _("due"));
}

enum kn_err report_write_deadlines(const struct ctx *c, report_write_fn write, void *arg,
				   struct buf *err)
{
	struct dl_acc a;
	enum kn_err e = report_collect_deadlines(c, &a, err);
	if (e != KN_OK) {
		report_dl_release(&a);
		return e;
	}
	struct report *r = dl_head(c);
	struct dl_window w = { .a = &a };
	struct report_rows rows = { a.n, dl_fill, &w };
	r->waiting = a.waiting;
	r->waiting_overdue = a.waiting_overdue;
	report_add_row(r);	/* the window fill() writes into */
	if (write(arg, r, &rows) != 0)
		e = KN_EIO;
	memset(r->rows, 0, r->ncols * sizeof(*r->rows));	/* none of its strings */
	report_free(r);
	dl_labels_release(&w.l);
	report_dl_release(&a);
	return e;
}
