/*
 * import_transfers.c — importing transfers.csv (spec/FORMATS.md, RULES.md
 * §8; import_impl.h). A row is a transfer's letter (`date`, `from`, `to`)
 * and, once the destination accepted the person, its `arrived` date.
 *
 * The file is read whole and checked first: cells, units, the dates of a
 * row, then each person's rows in date order after the transfers already
 * recorded for them — a row that matches a recorded one (same date, from
 * and to) is unchanged, completes it (its arrival), or replaces its letter
 * number, note and override; a new row continues the person's chain (from
 * where the previous transfer took them, after its arrival) and is judged
 * by KN-TRANSFER-OPEN and KN-TRANSFER-DEST as `ketnap transfer` judges it,
 * unless the row (or --override) gives a reason and the actor may
 * override. Nothing is written unless every row passes (all or nothing),
 * and a re-import of the same file changes nothing.
 *
 * Steps and transfers of the same person are judged together in date
 * order when transfers are imported BEFORE the steps (units, people,
 * transfers, steps): the ledger then judges each step by the unit of its
 * date (core/transfer.h), so that a step dated on or after `arrived` is
 * judged by the destination. Imported after the steps, the transfers
 * still count each step for the unit of its date (the open candidacy's
 * earlier steps are stamped with the sending unit at the arrival), but
 * the steps were judged by the unit the person had when they were
 * imported, and KN-TRANSFER-OPEN's committee window sees the steps then
 * recorded. docs/formats.md says so.
 */
#include <stdlib.h>
#include <string.h>

#include "core/transfer.h"
#include "core/unitree.h"
#include "io/export.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

struct trow {
	struct transfer t;	/* person ref in t.person */
	size_t line;
	/* set by the check: what to write */
	enum { T_SKIP, T_ADD, T_ARRIVE, T_UPDATE } act;
	int64_t existing;	/* the recorded transfer's id (T_ARRIVE, T_UPDATE) */
	struct transfer was;	/* its record as it was (the audit's before) */
};

struct tctx {
	struct unitree tree;
	struct trow *rows;
	size_t n, cap;
	kn_date today;
};

static void transfer_row_read(struct imp *im, void *arg)
{
	struct tctx *tc = arg;
	struct transfer t;

	transfer_init(&t);
	t.person = imp_get_req(im, T_PERSON, 1);
	t.out_date = imp_get_date(im, T_DATE, 1);
	t.from = imp_get_unit_code(im, T_FROM, 1);
	t.to = imp_get_unit_code(im, T_TO, 1);
	t.in_date = imp_get_date(im, T_ARRIVED, 0);
	t.doc_no = imp_get(im, T_DOC, 1);
	t.note = imp_get(im, T_NOTE, 0);
	t.override = imp_get(im, T_OVERRIDE, 0);
	if (t.from && !unitree_find(&tc->tree, t.from))
		imp_problem(im, im->row.line, "from",
			    _("no unit %s in the database; import the units first"), t.from);
	if (t.to && !unitree_find(&tc->tree, t.to))
		imp_problem(im, im->row.line, "to",
			    _("no unit %s in the database; import the units first"), t.to);
	if (t.out_date != KN_DATE_NONE && t.out_date > tc->today) {
		char d[11], td[11];
		date_format_user(t.out_date, d);
		date_format_user(tc->today, td);
		imp_problem(im, im->row.line, "date",
			    _("the letter is dated %s, after today (%s); record a transfer only once "
			      "the letter is written"), d, td);
	}
	if (t.in_date != KN_DATE_NONE && t.out_date != KN_DATE_NONE &&
	    (t.in_date < t.out_date || t.in_date > tc->today)) {
		char d[11], od[11], td[11];
		date_format_user(t.in_date, d);
		date_format_user(t.out_date, od);
		date_format_user(tc->today, td);
		imp_problem(im, im->row.line, "arrived",
			    _("the arrival is dated %s; it must be on or after the letter (%s) and not "
			      "after today (%s)"), d, od, td);
	}
	if (im->rowbad) {
		transfer_release(&t);
		return;
	}
	if (tc->n == tc->cap) {
		tc->cap = tc->cap ? tc->cap * 2 : 64;
		tc->rows = xreallocarray(tc->rows, tc->cap, sizeof(*tc->rows));
	}
	memset(&tc->rows[tc->n], 0, sizeof(tc->rows[tc->n]));
	tc->rows[tc->n].t = t;
	transfer_init(&tc->rows[tc->n].was);
	tc->rows[tc->n].line = im->row.line;
	tc->n++;
}

/* By person, then letter date, then line. */
static int trow_cmp(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;
	int c = strcmp(x->t.person, y->t.person);
	if (c)
		return c;
	if (x->t.out_date != y->t.out_date)
		return x->t.out_date < y->t.out_date ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int streq0(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* 1 when unit code is within the actor's subtree (no actor unit: all). */
static int in_scope(struct imp *im, struct tctx *tc, const char *code)
{
	struct unode *scope, *n;
	if (!im->o->actor_unit)
		return 1;
	scope = unitree_find(&tc->tree, im->o->actor_unit);
	n = code ? unitree_find(&tc->tree, code) : NULL;
	return scope && n && unitree_within(n, scope);
}

/* A shallow copy of a row's transfer into the chain being judged. */
static void chain_push(struct transfer **chain, size_t *n, const struct transfer *t)
{
	*chain = xreallocarray(*chain, *n + 1, sizeof(**chain));
	(*chain)[(*n)++] = *t;
}

/*
 * Judge the rows r[0..n) of one person (sorted by date) against what is
 * recorded: set each row's act, report each problem. Nothing is written.
 */
static enum kn_err check_person(struct imp *im, struct tctx *tc, struct trow *r, size_t n,
				struct buf *err)
{
	struct person p;
	struct transfer *old = NULL, *chain = NULL;
	struct candidacy *cs = NULL;
	size_t nold = 0, nchain = 0, nc = 0;
	enum kn_err e;
	const char *ref = r[0].t.person;
	const struct transfer *first_new = NULL;

	e = store_person_get(im->s, ref, &p);
	if (e == KN_OK && (e = store_transfers_of(im->s, p.id, &old, &nold)) == KN_OK)
		e = store_candidacies_of(im->s, p.id, &cs, &nc);
	if (e != KN_OK && e != KN_ENOTFOUND) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	/* Outside the actor's subtree is unknown, unless in transit to it. */
	if (e == KN_OK && !in_scope(im, tc, p.unit)) {
		const struct transfer *pend = transfer_pending(old, nold);
		if (!pend || !in_scope(im, tc, pend->to))
			e = KN_ENOTFOUND;
	}
	if (e == KN_ENOTFOUND) {
		for (size_t i = 0; i < n; i++)
			imp_problem(im, r[i].line, "person",
				    _("no person with ref %s; import the people first"), ref);
		e = KN_OK;
		goto out;
	}
	for (size_t i = 0; i < nold; i++)
		chain_push(&chain, &nchain, &old[i]);
	for (size_t i = 0; i < n; i++) {
		struct trow *x = &r[i];
		const struct transfer *match = NULL;
		for (size_t j = 0; j < nold && !match; j++)
			if (old[j].out_date == x->t.out_date && streq0(old[j].from, x->t.from) &&
			    streq0(old[j].to, x->t.to))
				match = &old[j];
		if (match) {
			x->existing = match->id;
			if (match->in_date != KN_DATE_NONE && match->in_date != x->t.in_date) {
				char d[11];
				date_format_user(match->in_date, d);
				imp_problem(im, x->line, "arrived",
					    _("the transfer was accepted on %s; an import does not change "
					      "a recorded arrival"), d);
				continue;
			}
			if (match->in_date == KN_DATE_NONE && x->t.in_date != KN_DATE_NONE) {
				if (!in_scope(im, tc, x->t.to)) {
					imp_problem(im, x->line, "arrived",
						    _("only an editor of %s or a unit above it may record "
						      "the arrival there"), x->t.to);
					continue;
				}
				x->act = T_ARRIVE;
			}
			if (!streq0(match->doc_no, x->t.doc_no) || !streq0(match->note, x->t.note) ||
			    !streq0(match->override, x->t.override)) {
				x->act = x->act == T_ARRIVE ? T_ARRIVE : T_UPDATE;
				x->t.override_by = match->override_by ? xstrdup(match->override_by) : NULL;
			}
			if (x->act != T_SKIP) {
				x->was = *match;	/* borrowed until `old` is freed */
				x->was.person = NULL;
			}
			continue;
		}
		/* A new transfer: after everything recorded, continuing the chain. */
		const struct transfer *prev = nchain ? &chain[nchain - 1] : NULL;
		if (nold && old[nold - 1].out_date > x->t.out_date) {
			char d[11];
			date_format_user(old[nold - 1].out_date, d);
			imp_problem(im, x->line, "date",
				    _("a transfer of %s is already recorded, later than this one; "
				      "transfers are recorded in date order"), d);
			continue;
		}
		if (prev && prev->in_date != KN_DATE_NONE && x->t.out_date < prev->in_date) {
			char d[11];
			date_format_user(prev->in_date, d);
			imp_problem(im, x->line, "date",
				    _("%s arrived at %s on %s; a new letter cannot be dated before that"),
				    ref, prev->to, d);
			continue;
		}
		if (prev && !streq0(prev->to, x->t.from)) {
			imp_problem(im, x->line, "from",
				    _("%s was transferred to %s before this letter; a transfer from %s "
				      "does not follow it"), ref, prev->to, x->t.from);
			continue;
		}
		if (!in_scope(im, tc, x->t.from)) {
			imp_problem(im, x->line, "from", _("%s is not %s or a unit below it"),
				    x->t.from, im->o->actor_unit);
			continue;
		}
		if (x->t.in_date != KN_DATE_NONE && !in_scope(im, tc, x->t.to)) {
			imp_problem(im, x->line, "arrived",
				    _("only an editor of %s or a unit above it may record the arrival "
				      "there"), x->t.to);
			continue;
		}
		struct violations v = { 0 };
		struct transfer_facts f = {
			&p, chain, nchain, nc && cs[nc - 1].open ? &cs[nc - 1] : NULL,
			unitree_find(&tc->tree, x->t.to), x->t.from, x->t.out_date,
		};
		transfer_check(&f, &v);
		const char *why = x->t.override ? x->t.override : im->o->override;
		if (v.n && !why) {
			for (size_t k = 0; k < v.n; k++)
				imp_problem(im, x->line, strcmp(v.v[k].code, "KN-TRANSFER-DEST") == 0
					    ? "to" : "date", "%s: %s", v.v[k].code, v.v[k].message);
		} else if (v.n && im->o->may_override &&
			   !im->o->may_override(im->o->may_override_arg, x->t.from)) {
			imp_problem(im, x->line, "override",
				    _("only an approver or administrator of a unit above %s may record "
				      "a transfer that breaks a rule"), x->t.from);
		} else {
			/* The row's own reason is the record of a decision taken
			 * (an exported file): kept even when no rule is broken
			 * now — the committee window cannot be judged before the
			 * steps are imported. --override is only for a rule
			 * broken here. */
			char *own = x->t.override;
			x->t.override = v.n ? xstrdup(why) : own ? xstrdup(own) : NULL;
			free(own);
			x->t.override_by = x->t.override ? xstrdup(im->o->actor ? im->o->actor : "")
							 : NULL;
			x->act = T_ADD;
			if (!first_new)
				first_new = &x->t;
		}
		violations_release(&v);
		chain_push(&chain, &nchain, &x->t);
	}
	/* The person's unit must be where the chain starts or where it ends
	 * (people.csv written before the transfers, or exported after). */
	if (first_new && nchain) {
		const struct transfer *last = &chain[nchain - 1];
		const char *end = last->in_date != KN_DATE_NONE ? last->to : last->from;
		const char *start = nold ? (old[nold - 1].in_date != KN_DATE_NONE
					    ? old[nold - 1].to : old[nold - 1].from)
					 : first_new->from;
		if (!streq0(p.unit, end) && !streq0(p.unit, start))
			imp_problem(im, r[0].line, "from",
				    _("%s belongs to %s, which is neither where these transfers start "
				      "(%s) nor where they end (%s)"), ref, p.unit, start, end);
	}
	/* The rows keep `was` pointing into old: keep old alive with them. */
	for (size_t i = 0; i < n; i++)
		if (r[i].act == T_ARRIVE || r[i].act == T_UPDATE) {
			struct transfer w = r[i].was;
			transfer_init(&r[i].was);
			r[i].was.id = w.id;
			r[i].was.person = xstrdup(ref);
			r[i].was.out_date = w.out_date;
			r[i].was.from = xstrdup(w.from);
			r[i].was.to = xstrdup(w.to);
			r[i].was.in_date = w.in_date;
			r[i].was.doc_no = w.doc_no ? xstrdup(w.doc_no) : NULL;
			r[i].was.note = w.note ? xstrdup(w.note) : NULL;
			r[i].was.override = w.override ? xstrdup(w.override) : NULL;
		}
	e = KN_OK;
out:
	free(chain);
	transfers_free(old, nold);
	store_candidacies_free(cs, nc);
	person_release(&p);
	return e;
}

/* Write one row's act in the import's transaction. */
static enum kn_err write_row(struct imp *im, struct trow *x, size_t done, size_t total,
			     struct buf *err)
{
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct buf before = BUF_INIT, after = BUF_INIT;
	enum kn_err e;
	int changed = x->act == T_ADD ? 2 : 1;

	if (x->act == T_SKIP)
		return imp_after_put(im, 0, "transfer", x->t.person, NULL, &after, done, total, err);
	if ((e = store_person_get(im->s, x->t.person, &p)) != KN_OK) {
		buf_addf(err, "%s:%zu: %s\n", im->file, x->line, store_errmsg(im->s));
		return e;
	}
	x->t.recorded_by = xstrdup(im->o->actor ? im->o->actor : "");
	if (x->act == T_ADD) {
		kn_date in = x->t.in_date;
		x->t.in_date = KN_DATE_NONE;
		e = store_transfer_add(im->s, p.id, &x->t, &x->existing);
		x->t.in_date = in;
	} else if (x->act == T_UPDATE || x->act == T_ARRIVE) {
		e = store_transfer_update(im->s, x->existing, &x->t);
		export_transfer_row(&before, &x->was);
	}
	if (e == KN_OK && x->t.in_date != KN_DATE_NONE && (x->act == T_ADD || x->act == T_ARRIVE) &&
	    (e = store_candidacies_of(im->s, p.id, &cs, &nc)) == KN_OK) {
		struct transfer at = x->t;
		at.id = x->existing;
		e = store_transfer_arrive(im->s, &at, x->t.in_date, p.id,
					  nc && cs[nc - 1].open ? cs[nc - 1].id : 0);
	}
	if (e != KN_OK) {
		buf_addf(err, "%s:%zu: %s\n", im->file, x->line, store_errmsg(im->s));
		goto out;
	}
	if (changed == 1)
		export_transfer_row(&after, &x->t);
	e = imp_after_put(im, changed, "transfer", x->t.person, &before, &after, done, total, err);
out:
	buf_release(&before);
	buf_release(&after);
	store_candidacies_free(cs, nc);
	person_release(&p);
	return e;
}

enum kn_err import_transfers(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct tctx tc;
	struct unit *units = NULL;
	size_t nunits = 0;
	enum kn_err e = KN_OK;

	memset(&tc, 0, sizeof(tc));
	tc.today = date_today();
	if ((e = store_unit_all(im->s, &units, &nunits)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		return e;
	}
	unitree_build(&tc.tree, units, nunits);
	imp_read_rows(im, data, len, transfer_row_read, &tc);
	if (im->header_bad)
		goto out;
	xqsort(tc.rows, tc.n, sizeof(*tc.rows), trow_cmp);
	/* The same transfer twice in the file. */
	for (size_t i = 1; i < tc.n; i++)
		if (strcmp(tc.rows[i].t.person, tc.rows[i - 1].t.person) == 0 &&
		    tc.rows[i].t.out_date == tc.rows[i - 1].t.out_date)
			imp_problem(im, tc.rows[i].line, "date",
				    _("%s has another transfer dated the same day on line %zu"),
				    tc.rows[i].t.person, tc.rows[i - 1].line);
	for (size_t i = 0, j; i < tc.n && e == KN_OK; i = j) {
		for (j = i + 1; j < tc.n && strcmp(tc.rows[j].t.person, tc.rows[i].t.person) == 0; j++)
			;
		e = check_person(im, &tc, &tc.rows[i], j - i, err);
	}
	if (e != KN_OK || im->nprobs)
		goto out;
	for (size_t i = 0; i < tc.n && e == KN_OK; i++)
		e = write_row(im, &tc.rows[i], i + 1, tc.n, err);
out:
	for (size_t i = 0; i < tc.n; i++) {
		transfer_release(&tc.rows[i].t);
		transfer_release(&tc.rows[i].was);
	}
	free(tc.rows);
	unitree_free(&tc.tree);
	return e;
}
