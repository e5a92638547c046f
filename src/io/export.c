/*
 * export.c — see export.h. Each list is read whole through the store API
 * (a city-year is a few MB), turned into rows by the export_*_row writers
 * and appended to one buffer; the caller decides where the bytes go. The
 * row writers are shared with the importer, whose audit entries record a
 * record's before and after as its CSV line. People's member_since and
 * official_since are written as the record shows them: from the recorded
 * steps for anyone admitted through them (export_people_dates()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/unitree.h"
#include "io/csv.h"
#include "io/export.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include "core/transfer.h"
#include "util/banned.h"

static const char *const kind_names[IO__COUNT] = {
	"units", "people", "quotas", "steps", "holidays", "transfers",
};

static const char *const unit_cols[] = {
	"code", "parent", "name", "kind", "may_admit", "sector", "special_area",
};
static const char *const person_cols[] = {
	"ref", "full_name", "sex", "birth_date", "unit", "ethnicity", "religion", "education",
	"qualification", "occupation", "youth_union", "trade_union", "member_since",
	"official_since", "phone", "note",
	/* issue 15: re-admission (RULES.md §9) */
	"left_on", "left_reason", "record_cleared_on", "readmitted",
};
static const char *const quota_cols[] = { "unit", "year", "category", "target" };
static const char *const step_cols[] = {
	"person", "step", "date", "doc_no", "org", "member", "introducer1", "introducer1_since",
	"introducer2", "introducer2_since", "votes_for", "votes_total", "consent", "override",
	"note",
};
static const char *const holiday_cols[] = { "date", "workday", "name" };
/* issue 15: FORMATS.md transfers.csv */
static const char *const transfer_cols[] = {
	"person", "date", "from", "to", "arrived", "doc_no", "note", "override",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The free-text columns of each list, as bit sets over the column order
 * above: their cells get the formula guard of csv.h (a leading "'" before
 * text a spreadsheet would run as a formula). Codes, refs, dates and
 * numbers never do. The importer removes the guard from the same columns
 * (export_text_cols()). */
#define COL(i) (1u << (i))
enum {
	UNIT_TEXT = COL(2),					/* name */
	PERSON_TEXT = COL(1) | COL(5) | COL(6) | COL(14) | COL(15),	/* full_name, ethnicity,
								   religion, phone, note */
	STEP_TEXT = COL(3) | COL(4) | COL(12) | COL(13) | COL(14),	/* doc_no, org, consent,
								   override, note */
	HOLIDAY_TEXT = COL(2),					/* name */
	TRANSFER_TEXT = COL(5) | COL(6) | COL(7),		/* doc_no, note, override */
};

unsigned io_text_columns(enum io_kind k)
{
	switch (k) {
	case IO_UNITS: return UNIT_TEXT;
	case IO_PEOPLE: return PERSON_TEXT;
	case IO_STEPS: return STEP_TEXT;
	case IO_HOLIDAYS: return HOLIDAY_TEXT;
	case IO_TRANSFERS: return TRANSFER_TEXT;
	default: return 0;
	}
}

int io_kind_parse(const char *name, enum io_kind *out)
{
	for (int i = 0; i < IO__COUNT; i++)
		if (name && strcmp(name, kind_names[i]) == 0) {
			*out = (enum io_kind)i;
			return 0;
		}
	return -1;
}

const char *io_kind_name(enum io_kind k)
{
	return (unsigned)k < IO__COUNT ? kind_names[k] : "";
}

const char *const *io_columns(enum io_kind k, size_t *n)
{
	switch (k) {
	case IO_UNITS: *n = NELEM(unit_cols); return unit_cols;
	case IO_PEOPLE: *n = NELEM(person_cols); return person_cols;
	case IO_QUOTAS: *n = NELEM(quota_cols); return quota_cols;
	case IO_STEPS: *n = NELEM(step_cols); return step_cols;
	case IO_HOLIDAYS: *n = NELEM(holiday_cols); return holiday_cols;
	case IO_TRANSFERS: *n = NELEM(transfer_cols); return transfer_cols;
	default: *n = 0; return NULL;
	}
}

void export_header(struct buf *out, enum io_kind k)
{
	size_t n;
	const char *const *cols = io_columns(k, &n);
	csv_write_row(out, cols, n);
}

/* Scratch cells for one row: dates and numbers are formatted into small
 * fixed arrays so that a row costs no allocation. */
struct cells {
	char date[4][11];
	char num[4][24];
	int ndate, nnum;
};

static const char *cell_date(struct cells *c, kn_date d)
{
	if (d == KN_DATE_NONE)
		return NULL;
	char *s = c->date[c->ndate++];
	date_format_iso(d, s);
	return s;
}

static const char *cell_int(struct cells *c, long long v)
{
	if (v < 0)
		return NULL;
	char *s = c->num[c->nnum++];
	snprintf(s, sizeof(c->num[0]), "%lld", v);
	return s;
}

static const char *cell_bool(int v)
{
	return v ? "1" : "0";
}

void export_unit_row(struct buf *out, const struct unit *u)
{
	const char *f[] = {
		u->code, u->parent, u->name, unit_kind_name(u->kind), cell_bool(u->may_admit),
		u->sector, cell_bool(u->special_area),
	};
	csv_write_row_guarded(out, f, NELEM(f), UNIT_TEXT);
}

void export_person_row(struct buf *out, const struct person *p)
{
	struct cells c = { .ndate = 0 };
	char sex[2] = { p->sex, 0 };
	const char *f[] = {
		p->ref, p->full_name, sex, cell_date(&c, p->birth_date), p->unit, p->ethnicity,
		p->religion, p->education, p->qualification, p->occupation,
		cell_bool(p->youth_union), cell_bool(p->trade_union),
		cell_date(&c, p->member_since), cell_date(&c, p->official_since), p->phone, p->note,
		cell_date(&c, p->left_on), p->left_reason, cell_date(&c, p->record_cleared_on),
		cell_bool(p->readmitted),
	};
	csv_write_row_guarded(out, f, NELEM(f), PERSON_TEXT);
}

void export_quota_row(struct buf *out, const struct quota *q)
{
	struct cells c = { .ndate = 0 };
	const char *f[] = {
		q->unit, cell_int(&c, q->year), q->category ? q->category : "total",
		cell_int(&c, q->target),
	};
	csv_write_row(out, f, NELEM(f));
}

void export_step_row(struct buf *out, const char *person_ref, const struct step *st)
{
	struct cells c = { .ndate = 0 };
	const char *f[] = {
		person_ref, step_name(st->code), cell_date(&c, st->date), st->doc_no, st->org,
		st->member, st->intro1, cell_date(&c, st->intro1_since), st->intro2,
		cell_date(&c, st->intro2_since), cell_int(&c, st->votes_for),
		cell_int(&c, st->votes_total), st->consent, st->override, st->note,
	};
	csv_write_row_guarded(out, f, NELEM(f), STEP_TEXT);
}

void export_holiday_row(struct buf *out, const struct holiday *h)
{
	struct cells c = { .ndate = 0 };
	const char *f[] = { cell_date(&c, h->date), cell_bool(h->workday), h->name };
	csv_write_row_guarded(out, f, NELEM(f), HOLIDAY_TEXT);
}

void export_transfer_row(struct buf *out, const struct transfer *t)
{
	struct cells c = { .ndate = 0 };
	const char *f[] = {
		t->person, cell_date(&c, t->out_date), t->from, t->to, cell_date(&c, t->in_date),
		t->doc_no, t->note, t->override,
	};
	csv_write_row_guarded(out, f, NELEM(f), TRANSFER_TEXT);
}

/* Depth-first from n, children already sorted by code in the tree. */
static void units_walk(struct buf *out, const struct unode *n)
{
	export_unit_row(out, &n->u);
	for (size_t i = 0; i < n->nchildren; i++)
		units_walk(out, n->children[i]);
}

static enum kn_err export_units(struct store *s, struct buf *out)
{
	struct unit *u;
	size_t n;
	struct unitree t;
	enum kn_err e = store_unit_all(s, &u, &n);

	if (e != KN_OK)
		return e;
	memset(&t, 0, sizeof(t));
	unitree_build(&t, u, n);
	for (size_t i = 0; i < t.nroots; i++)
		units_walk(out, t.roots[i]);
	unitree_free(&t);
	return KN_OK;
}

struct admitted_refs {
	char **v;
	size_t n, cap;
};

/* Collect the refs of people with a recorded decision step (the steps
 * come grouped by person ref, so a ref is added once). */
static int admitted_cb(void *arg, const char *person_ref, const struct step *st)
{
	struct admitted_refs *a = arg;

	if (st->code != STEP_DECISION || (a->n && strcmp(a->v[a->n - 1], person_ref) == 0))
		return 0;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 256;
		a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n++] = xstrdup(person_ref);
	return 0;
}

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum kn_err export_people_dates(struct store *s, struct person *p, size_t n)
{
	struct admitted_refs a = { NULL, 0, 0 };
	struct ledger l;
	struct buf err = BUF_INIT;
	int have_ledger = 0;
	enum kn_err e;

	if ((e = store_step_each(s, admitted_cb, &a)) != KN_OK || a.n == 0)
		goto out;
	xqsort(a.v, a.n, sizeof(*a.v), ref_cmp);
	if ((e = ledger_open(&l, s, NULL, NULL, &err)) != KN_OK)
		goto out;
	have_ledger = 1;
	for (size_t i = 0; i < n; i++) {
		struct candidacy *c = NULL;
		size_t nc = 0;
		const char *ref = p[i].ref;

		if (!ref || !bsearch(&ref, a.v, a.n, sizeof(*a.v), ref_cmp))
			continue;
		if ((e = store_candidacies_of(s, p[i].id, &c, &nc)) != KN_OK)
			goto out;
		ledger_membership_recorded(&l, &p[i], c, nc, &p[i].member_since,
					   &p[i].official_since);
		store_candidacies_free(c, nc);
	}
out:
	if (have_ledger)
		ledger_release(&l);
	for (size_t i = 0; i < a.n; i++)
		free(a.v[i]);
	free(a.v);
	buf_release(&err);
	return e;
}

static enum kn_err export_people(struct store *s, struct buf *out)
{
	struct person *p;
	size_t n;
	enum kn_err e = store_person_all(s, &p, &n);

	if (e == KN_OK)
		e = export_people_dates(s, p, n);
	if (e == KN_OK)
		for (size_t i = 0; i < n; i++)
			export_person_row(out, &p[i]);
	store_people_free(p, n);
	return e;
}

static enum kn_err export_quotas(struct store *s, struct buf *out)
{
	struct quota *q;
	size_t n;
	enum kn_err e = store_quota_all(s, &q, &n);

	if (e == KN_OK)
		for (size_t i = 0; i < n; i++)
			export_quota_row(out, &q[i]);
	store_quotas_free(q, n);
	return e;
}

static int step_cb(void *arg, const char *person_ref, const struct step *st)
{
	export_step_row(arg, person_ref, st);
	return 0;
}

static int transfer_cb(void *arg, const struct transfer *t)
{
	export_transfer_row(arg, t);
	return 0;
}

static enum kn_err export_holidays(struct store *s, struct buf *out)
{
	struct holiday *h;
	size_t n;
	enum kn_err e = store_holiday_all(s, &h, &n);

	if (e == KN_OK)
		for (size_t i = 0; i < n; i++)
			export_holiday_row(out, &h[i]);
	holidays_free(h, n);
	return e;
}

enum kn_err export_csv(struct store *s, enum io_kind k, struct buf *out)
{
	export_header(out, k);
	switch (k) {
	case IO_UNITS: return export_units(s, out);
	case IO_PEOPLE: return export_people(s, out);
	case IO_QUOTAS: return export_quotas(s, out);
	case IO_STEPS: return store_step_each(s, step_cb, out);
	case IO_HOLIDAYS: return export_holidays(s, out);
	case IO_TRANSFERS: return store_transfer_each(s, transfer_cb, out);
	default: return KN_EINVAL;
	}
}
