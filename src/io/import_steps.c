/*
 * import_steps.c — importing a steps list (import_impl.h): the rows are
 * grouped by person and recorded through ledger_step() in date and
 * pipeline order, so that the rule book judges each step as it would on
 * the command line, seeing the steps recorded before it (a candidacy that
 * ends on the day the next starts keeps the file's order that day:
 * srow_candidacy_days()). Unlike the other lists, a steps file is written
 * row by row: a refused row refuses the later rows of the same person,
 * which cannot be judged without it, and the whole file is rolled back at
 * the end by import_csv(). A row with an override (its own, or --override)
 * is refused when opts->may_override says the actor may not override for
 * that person's unit; and a decision or official step written must agree
 * with the membership dates of the people list (steps_dates_check()).
 */
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

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
	r.person = imp_get_req(im, S_PERSON, 1);
	v = imp_get_req(im, S_STEP, 1);
	if (v) {
		r.st.code = step_from_name(v);
		if (r.st.code == STEP_NONE)
			imp_problem(im, im->row.line, "step",
				_("%s is not a step; use source, mentor, trained, applied, verified, "
				  "introduced, cell_vote, committee_vote, decision, ceremony, "
				  "probation_vote, official, withdrawn, rejected or struck_off"), v);
		free(v);
	}
	r.st.date = imp_get_date(im, S_DATE, 1);
	r.st.doc_no = imp_get(im, S_DOC, 1);
	r.st.org = imp_get(im, S_ORG, 1);
	r.st.member = imp_get(im, S_MEMBER, 1);
	r.st.intro1 = imp_get(im, S_INTRO1, 1);
	r.st.intro1_since = imp_get_date(im, S_INTRO1_SINCE, 0);
	r.st.intro2 = imp_get(im, S_INTRO2, 1);
	r.st.intro2_since = imp_get_date(im, S_INTRO2_SINCE, 0);
	r.st.votes_for = (int)imp_get_count(im, S_VOTES_FOR, 0, 100000);
	r.st.votes_total = (int)imp_get_count(im, S_VOTES_TOTAL, 0, 100000);
	r.st.consent = imp_get(im, S_CONSENT, 1);
	r.st.override = imp_get(im, S_OVERRIDE, 1);
	r.st.note = imp_get(im, S_NOTE, 0);
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
		imp_problem(im, r->line, "override",
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
			imp_problem(im, r->line, "step", "%s: %s", v.v[i].code, v.v[i].message);
	} else if (e == KN_EINVAL || e == KN_ENOTFOUND) {
		if (lerr->len)
			imp_problem_lines(im, r->line, lerr->s);
		else
			imp_problem(im, r->line, "step", "%s", kn_strerror(e));
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
		imp_problem(im, dec_line, "date",
			_("the admission decision of %s is dated %s, but the people list gives "
			  "member_since %s; correct the decision's date or member_since"),
			p.full_name, a, b);
	}
	if (off_line && os != KN_DATE_NONE && p.official_since != KN_DATE_NONE &&
	    p.official_since != os) {
		date_format_user(os, a);
		date_format_user(p.official_since, b);
		imp_problem(im, off_line, "date",
			_("by the recorded steps %s is a full member from %s (the end of "
			  "probation), but the people list gives official_since %s; correct the "
			  "ceremony's date or official_since"), p.full_name, a, b);
	}
out:
	store_candidacies_free(c, nc);
	person_release(&p);
	return e;
}

enum kn_err import_steps(struct imp *im, const char *data, size_t len, struct buf *err)
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
		size_t n = imp_utf8_chars(o, strlen(o));
		unsigned cc;
		if (!text_is_valid_utf8(o))
			imp_problem(im, 1, "override", "%s",
				_("not valid UTF-8 text; save the file as UTF-8"));
		else if (n > LIM_LONG)
			imp_problem(im, 1, "override",
				_("the override reason is %zu characters, longer than the %u allowed; "
				  "shorten it"), n, (unsigned)LIM_LONG);
		else if ((cc = imp_control_char(o, 1)) != 0)
			imp_problem(im, 1, "override",
				_("contains a control character (U+%04X); remove it"), cc);
		if (im->nprobs) {
			im->header_bad = 1;
			goto out;
		}
	}
	imp_read_rows(im, data, len, step_row, &sc);
	if (im->header_bad)
		goto out;
	if ((e = ledger_open(&l, im->s, im->o->cal, im->o->actor, err)) != KN_OK) {
		buf_addc(err, '\n');
		goto out;
	}
	l.actor_unit = im->o->actor_unit;
	/* The import is audited as one entry (import_csv()); a new step
	 * carries recorded_by and recorded_at itself. */
	l.bulk = 1;
	have_ledger = 1;
	/* A big load's settings, and for a (nearly) empty steps table its
	 * date indexes built once at the end (store_bulk_begin()). */
	if ((e = store_bulk_begin(im->s, sc.n)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
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
			imp_problem(im, r->line, "person",
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
	if (e == KN_OK && (e = store_bulk_end(im->s)) != KN_OK)
		buf_addf(err, "%s\n", store_errmsg(im->s));
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
