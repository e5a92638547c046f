/*
 * export.c — see export.h. Issue 13: each list is one read of the store
 * whose rows come one at a time (store_*_each), in the export's order,
 * each turned into its CSV line by the export_*_row writers and put in the
 * caller's sink (report_text.h), which writes it out every so many bytes:
 * the memory an export takes does not grow with the rows, whether the
 * nation's 6.5 million people or a district's. The row writers are shared
 * with the importer, whose audit entries record a record's before and
 * after as its CSV line. People's member_since and official_since are
 * written as the record shows them: from the recorded steps for anyone
 * admitted through them (ledger_membership_recorded(), over the steps the
 * people's read brings with each person).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/unitree.h"
#include "io/csv.h"
#include "io/export.h"
#include "io/report_text.h"
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

/* A row has been put in k->buf: nonzero (stop the read) once the sink
 * failed. */
static int sink_row(struct report_sink *k)
{
	return report_sink_row(k) != 0;
}

static int unit_cb(void *arg, const struct unit *u)
{
	struct report_sink *k = arg;
	export_unit_row(&k->buf, u);
	return sink_row(k);
}

struct people_w {
	struct report_sink *k;
	struct ledger *l;
};

static int person_cb(void *arg, const struct person *p, const struct candidacy *c, size_t nc)
{
	struct people_w *w = arg;
	struct person x = *p;

	ledger_membership_recorded(w->l, p, c, nc, &x.member_since, &x.official_since);
	export_person_row(&w->k->buf, &x);
	return sink_row(w->k);
}

/* The ledger reads the policy in force on a ceremony date (the probation
 * months); it needs no unit tree, so it borrows an empty one. Opened
 * before the read: no other statement may run during a streamed one. */
static enum kn_err export_people(struct store *s, const char *top, struct report_sink *k)
{
	struct unitree none;
	struct ledger l;
	struct buf err = BUF_INIT;
	struct people_w w = { k, &l };
	enum kn_err e;

	memset(&none, 0, sizeof(none));
	if ((e = ledger_open_tree(&l, s, NULL, NULL, &none, &err)) != KN_OK) {
		buf_release(&err);
		return e;
	}
	e = store_person_export_each(s, top, person_cb, &w);
	ledger_release(&l);
	buf_release(&err);
	return e;
}

static int quota_cb(void *arg, const struct quota *q)
{
	struct report_sink *k = arg;
	export_quota_row(&k->buf, q);
	return sink_row(k);
}

static int step_cb(void *arg, const char *person_ref, const struct step *st)
{
	struct report_sink *k = arg;
	export_step_row(&k->buf, person_ref, st);
	return sink_row(k);
}

static int transfer_cb(void *arg, const struct transfer *t)
{
	struct report_sink *k = arg;
	export_transfer_row(&k->buf, t);
	return sink_row(k);
}

/* A few hundred days: read whole. */
static enum kn_err export_holidays(struct store *s, struct report_sink *k)
{
	struct holiday *h;
	size_t n;
	enum kn_err e = store_holiday_all(s, &h, &n);

	for (size_t i = 0; e == KN_OK && i < n; i++) {
		export_holiday_row(&k->buf, &h[i]);
		if (sink_row(k))
			e = KN_EIO;
	}
	holidays_free(h, n);
	return e;
}

static enum kn_err export_rows(struct store *s, enum io_kind kind, const char *top,
			       struct report_sink *k)
{
	switch (kind) {
	case IO_UNITS: return store_unit_export_each(s, top, unit_cb, k);
	case IO_PEOPLE: return export_people(s, top, k);
	case IO_QUOTAS: return store_quota_each(s, top, quota_cb, k);
	case IO_STEPS: return store_step_each_in(s, top, step_cb, k);
	case IO_HOLIDAYS: return export_holidays(s, k);
	case IO_TRANSFERS: return store_transfer_each_in(s, top, transfer_cb, k);
	default: return KN_EINVAL;
	}
}

/* The scope to read: NULL for an account at the only root, whose subtree
 * is everything (read as the whole export, in its order, rather than
 * gathered from the units down and sorted); else top. */
static enum kn_err scope_of(struct store *s, const char *top, const char **out)
{
	struct unit u;
	long long nroots = 0;
	enum kn_err e;

	*out = top;
	if (!top)
		return KN_OK;
	e = store_unit_get(s, top, &u);
	if (e == KN_OK && !u.parent && (e = store_unit_nroots(s, &nroots)) == KN_OK &&
	    nroots == 1)
		*out = NULL;
	unit_release(&u);
	return e == KN_ENOTFOUND ? KN_OK : e;	/* the read says it */
}

enum kn_err export_stream(struct store *s, enum io_kind kind, const char *top,
			  struct report_sink *k)
{
	enum kn_err e;

	if ((e = scope_of(s, top, &top)) != KN_OK)
		return e;
	export_header(&k->buf, kind);
	if (sink_row(k))
		return KN_EIO;
	e = export_rows(s, kind, top, k);
	if (k->failed)
		return KN_EIO;
	if (e != KN_OK)
		return e;
	return report_sink_flush(k) == 0 ? KN_OK : KN_EIO;
}

static int append_flush(struct report_sink *k)
{
	buf_add(k->arg, k->buf.s, k->buf.len);
	return 0;
}

enum kn_err export_csv(struct store *s, enum io_kind k, struct buf *out)
{
	struct report_sink sink = { BUF_INIT, 64 * 1024, append_flush, out, 0 };
	enum kn_err e = export_stream(s, k, NULL, &sink);

	buf_release(&sink.buf);
	return e;
}
