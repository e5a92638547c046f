/*
 * import_people.c — importing a people list (import_impl.h): each row read
 * into a person (a ref once per file, its unit one of the database's), and
 * a person already recorded is held to the steps recorded for them: the
 * member_since and official_since a row gives must be the dates those
 * steps make (member_dates_check()). When nothing is refused, every person
 * is written with the folded name the search looks people up by.
 */
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "core/ledger.h"
#include "io/export.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

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

	person_init(&p);
	p.ref = imp_get_req(im, P_REF, 1);
	p.full_name = imp_get_req(im, P_NAME, 0);
	v = imp_get_req(im, P_SEX, 1);
	if (v && import_parse_sex(v, &p.sex) != 0)
		imp_problem(im, im->row.line, "sex", _("%s is not a sex; write M or F (Nam or Nữ)"), v);
	free(v);
	p.birth_date = imp_get_date(im, P_BIRTH, 1);
	p.unit = imp_get_unit_code(im, P_UNIT, 1);
	if (p.unit && !codeset_has(&pc->units, p.unit))
		imp_problem(im, im->row.line, "unit",
			_("no unit %s in the database; import the units first"), p.unit);
	p.ethnicity = imp_get(im, P_ETHNICITY, 1);
	p.religion = imp_get(im, P_RELIGION, 1);
	p.education = imp_get_code(im, P_EDUCATION, education_valid,
			       _("%s is not an education level; write 5/12, 9/12 or 12/12"));
	p.qualification = imp_get_code(im, P_QUALIFICATION, qualification_valid,
				   _("%s is not a qualification; use none, vocational, college, "
				     "university or postgraduate"));
	p.occupation = imp_get_code(im, P_OCCUPATION, occupation_valid,
				_("%s is not an occupation; use worker, farmer, civil_servant, "
				  "public_employee, enterprise_manager, business_owner, armed_forces, "
				  "student or other"));
	p.youth_union = imp_get_bool(im, P_YOUTH, 0);
	p.trade_union = imp_get_bool(im, P_TRADE, 0);
	p.member_since = imp_get_date(im, P_MEMBER, 0);
	p.official_since = imp_get_date(im, P_OFFICIAL, 0);
	if (p.member_since != KN_DATE_NONE && p.official_since != KN_DATE_NONE &&
	    p.official_since < p.member_since)
		imp_problem(im, im->row.line, "official_since", "%s",
			_("a member cannot become a full member before being admitted; "
			  "check official_since and member_since"));
	p.phone = imp_get(im, P_PHONE, 1);
	p.note = imp_get(im, P_NOTE, 0);
	/* issue 15: KN-CCCD, a 12-digit ref against the sex and birth date
	 * read above (each disagreement its own problem). */
	if (p.ref) {
		struct buf cccd = BUF_INIT, lines = BUF_INIT;
		if (identity_cccd_check(&p, &cccd)) {
			for (const char *l = cccd.s; *l;) {
				const char *nl = strchr(l, '\n');
				size_t n = nl ? (size_t)(nl - l) : strlen(l);
				buf_adds(&lines, "ref: ");
				buf_add(&lines, l, n);
				buf_addc(&lines, '\n');
				l += n + (nl != NULL);
			}
			imp_problem_lines(im, im->row.line, lines.s);
			im->rowbad = 1;
		}
		buf_release(&cccd);
		buf_release(&lines);
	}
	/* RULES.md §9 (issue 15: re-admission). */
	p.left_on = imp_get_date(im, P_LEFT_ON, 0);
	p.left_reason = imp_get_code(im, P_LEFT_REASON, left_reason_valid,
				 _("%s is not a reason for leaving the Party; use struck_off, expelled, "
				   "resigned, resigned_family, abandoned, disunity, corruption, "
				   "serious_crime, minor_crime, population_policy or other"));
	p.record_cleared_on = imp_get_date(im, P_CLEARED, 0);
	p.readmitted = imp_get_bool(im, P_READMITTED, 0);
	if (p.left_reason && p.left_on == KN_DATE_NONE && !imp_cell(im, P_LEFT_ON))
		imp_problem(im, im->row.line, "left_on", "%s",
			_("a reason for leaving is given without the date; record left_on as well"));
	/* (A bad reason was reported already.) */
	if (p.record_cleared_on != KN_DATE_NONE &&
	    (p.left_reason ? strcmp(p.left_reason, "minor_crime") != 0
			   : !imp_cell(im, P_LEFT_REASON)))
		imp_problem(im, im->row.line, "record_cleared_on", "%s",
			_("a cleared criminal record is recorded only for left_reason minor_crime; "
			  "check left_reason or leave record_cleared_on empty"));
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
		imp_problem(im, line, col_ms ? "member_since" : "official_since",
			_("%s is %s, but the recorded steps show %s struck off on %s after the admission "
			  "decision of %s, so no longer a member; leave it empty, or correct the steps"),
			col_ms ? "member_since" : "official_since", a, p->full_name, d, b);
		goto out;
	}
	if (p->member_since != KN_DATE_NONE && p->member_since != ms) {
		date_format_user(p->member_since, a);
		date_format_user(ms, b);
		imp_problem(im, line, "member_since",
			_("member_since is %s, but the recorded steps admit %s on %s (the admission "
			  "decision); write %s, leave it empty, or correct the decision's date"),
			a, p->full_name, b, b);
	}
	if (p->official_since != KN_DATE_NONE && p->official_since != os) {
		date_format_user(p->official_since, a);
		date_format_user(ms, b);
		if (os == KN_DATE_NONE) {
			imp_problem(im, line, "official_since",
				_("official_since is %s, but the recorded steps admit %s on %s and record "
				  "no full-membership decision yet; leave official_since empty until the "
				  "official step is recorded"), a, p->full_name, b);
		} else {
			date_format_user(os, d);
			imp_problem(im, line, "official_since",
				_("official_since is %s, but by the recorded steps %s is a full member from "
				  "%s (the end of probation); write %s, leave it empty, or correct the steps"),
				a, p->full_name, d, d);
		}
	}
out:
	store_candidacies_free(c, nc);
	return KN_OK;
}

/* ---- issue 15: identity (RULES.md §10) ---- */

static int merged_ref_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct merged_ref *)elem)->ref);
}

static int unit_code_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct unit *)elem)->code);
}

/* 1 when unit `code` is `top` or below it (units sorted by code). */
static int unit_within(const struct unit *u, size_t n, const char *code, const char *top)
{
	for (int hops = 0; code && hops < 1000; hops++) {
		const struct unit *x;
		if (strcmp(code, top) == 0)
			return 1;
		x = bsearch(code, u, n, sizeof(*u), unit_code_cmp);
		code = x ? x->parent : NULL;
	}
	return 0;
}

/* A row may not bring back a ref merged away (`person merge`): refused
 * with the ref it went into — named when that person is in the actor's
 * subtree, as any other person would be. */
static void merged_check(struct imp *im, const struct people_ctx *pc, const struct merged_ref *m,
			 size_t nm, const struct unit *units, size_t nunits)
{
	for (size_t i = 0; nm && i < pc->n; i++) {
		const struct merged_ref *x = bsearch(pc->rows[i].ref, m, nm, sizeof(*m),
						     merged_ref_cmp);
		if (!x)
			continue;
		if (!im->o->actor_unit ||
		    unit_within(units, nunits, x->into_unit, im->o->actor_unit))
			imp_problem(im, pc->lines[i], "ref", _("%s was merged into %s; use %s"),
				    x->ref, x->into, x->into);
		else
			imp_problem(im, pc->lines[i], "ref",
				    _("%s was merged into another record and cannot be used again"),
				    x->ref);
	}
}

static void dup_warning(struct imp *im, size_t line, const struct person *p,
			const char *other_ref, const char *other_name, const char *other_unit)
{
	char bd[11];
	if (!im->o->warnings)
		return;
	date_format_user(p->birth_date, bd);
	buf_addf(im->o->warnings, "%s:%zu: %s: ", im->file, line, _("warning"));
	buf_addf(im->o->warnings, _("%s (%s) may be the same person as %s (%s, %s): the same "
				    "name and date of birth %s; if so, `ketnap person merge` the two "
				    "records"), p->ref, p->full_name, other_ref, other_name,
		 other_unit, bd);
	buf_addc(im->o->warnings, '\n');
}

/* Rows i and j of the file: equal folded names and birth dates. */
struct dup_row {
	char *key;
	size_t i;
};

static int dup_row_cmp(const void *a, const void *b)
{
	const struct dup_row *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* Into an empty people table: the possible duplicates are the file's own,
 * found by sorting its rows by folded name and birth date (no query per
 * row: a first import of a nation's people is millions of rows). Each
 * row is warned of against the rows before it in its run (by line). */
static void file_dups(struct imp *im, const struct people_ctx *pc)
{
	struct dup_row *d;
	if (!im->o->warnings || pc->n < 2)
		return;
	d = xreallocarray(NULL, pc->n, sizeof(*d));
	for (size_t i = 0; i < pc->n; i++) {
		struct buf k = BUF_INIT;
		char bd[11];
		identity_dup_key(pc->rows[i].full_name, &k);
		date_format_iso(pc->rows[i].birth_date, bd);
		buf_addc(&k, '\t');
		buf_adds(&k, bd);
		d[i] = (struct dup_row){ buf_detach(&k), i };
	}
	xqsort(d, pc->n, sizeof(*d), dup_row_cmp);
	for (size_t i = 1, first = 0; i < pc->n; i++) {
		if (strcmp(d[i].key, d[first].key) != 0) {
			first = i;
			continue;
		}
		/* As store_dups_of() would answer: every earlier row of the
		 * run, at most 50. */
		for (size_t j = i > first + 50 ? i - 50 : first; j < i; j++) {
			const struct person *a = &pc->rows[d[j].i], *b = &pc->rows[d[i].i];
			dup_warning(im, pc->lines[d[i].i], b, a->ref, a->full_name, a->unit);
		}
	}
	for (size_t i = 0; i < pc->n; i++)
		free(d[i].key);
	free(d);
}

/* A person just inserted, or whose name or birth date changed, against
 * the people stored (the file's earlier rows included: they are written
 * already), within the actor's subtree. */
static enum kn_err stored_dups(struct imp *im, size_t line, const struct person *p,
			       struct buf *err)
{
	struct person *o = NULL;
	size_t n = 0;
	enum kn_err e = store_dups_of(im->s, p->ref, im->o->actor_unit, &o, &n);
	if (e != KN_OK) {
		buf_addf(err, "%s:%zu: %s\n", im->file, line, store_errmsg(im->s));
		return e;
	}
	for (size_t i = 0; i < n; i++)
		dup_warning(im, line, p, o[i].ref, o[i].full_name, o[i].unit);
	store_people_free(o, n);
	return KN_OK;
}

enum kn_err import_people(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct merged_ref *merged = NULL;
	size_t nmerged = 0;
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
	    (e = store_person_all(im->s, &old, &nold)) != KN_OK ||
	    (e = store_merged_all(im->s, &merged, &nmerged)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	pc.units.v = xreallocarray(NULL, nunits + 1, sizeof(char *));
	for (size_t i = 0; i < nunits; i++)
		pc.units.v[i] = units[i].code;	/* already sorted by code */
	pc.units.n = nunits;
	imp_read_rows(im, data, len, person_row, &pc);

	keys = xreallocarray(NULL, pc.n + 1, sizeof(*keys));
	for (size_t i = 0; i < pc.n; i++)
		keys[i] = (struct keyed){ pc.rows[i].ref, i };
	xqsort(keys, pc.n, sizeof(*keys), keyed_cmp);
	for (size_t i = 1; i < pc.n; i++)
		if (strcmp(keys[i].key, keys[i - 1].key) == 0)
			imp_problem(im, pc.lines[keys[i].i], "ref",
				_("%s is also on line %zu; a person appears once per file"),
				keys[i].key, pc.lines[keys[i - 1].i]);
	if (im->header_bad)
		goto out;
	merged_check(im, &pc, merged, nmerged, units, nunits);
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

	if (nold == 0)
		file_dups(im, &pc);
	/* RULES.md §9's facts, which the program itself writes (a struck_off
	 * step's leaving, a re-admission's `readmitted`), are kept when a
	 * file from before issue 15 has no column for them: an old list
	 * must not forget that someone left or was re-admitted. */
	for (size_t i = 0; i < pc.n; i++) {
		struct person *p = &pc.rows[i];
		const struct person *was = nold ? bsearch(p->ref, old, nold, sizeof(*old),
							   person_ref_cmp) : NULL;
		if (!was)
			continue;
		if (im->col[P_LEFT_ON] < 0)
			p->left_on = was->left_on;
		if (im->col[P_LEFT_REASON] < 0 && was->left_reason) {
			free(p->left_reason);
			p->left_reason = xstrdup(was->left_reason);
		}
		if (im->col[P_CLEARED] < 0)
			p->record_cleared_on = was->record_cleared_on;
		if (im->col[P_READMITTED] < 0)
			p->readmitted = was->readmitted;
	}

	for (size_t i = 0; i < pc.n; i++) {
		const struct person *p = &pc.rows[i];
		const struct person *was = nold ? bsearch(p->ref, old, nold, sizeof(*old),
							   person_ref_cmp) : NULL;
		struct buf before = BUF_INIT, after = BUF_INIT;
		int changed;

		buf_reset(&fold);
		text_fold(p->full_name, &fold);
		/* A person not read at the start is new (issue 13: no read
		 * before the insert, which PostgreSQL then sends ahead). */
		changed = 2;
		e = was ? store_person_put(im->s, p, fold.s, &changed)
			: store_person_add(im->s, p, fold.s);
		if (e != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, pc.lines[i], store_errmsg(im->s));
			goto out;
		}
		if (changed == 1) {
			if (was)
				export_person_row(&before, was);
			export_person_row(&after, p);
		}
		if ((e = imp_after_put(im, changed, "person", p->ref, was ? &before : NULL, &after,
				       i + 1, pc.n, err)) != KN_OK)
			goto out;
		/* issue 15: a possible duplicate made by this row, warned of. */
		if (nold && im->o->warnings &&
		    (changed == 2 || (changed == 1 && was &&
				      (was->birth_date != p->birth_date ||
				       strcmp(was->full_name, p->full_name) != 0))) &&
		    (e = stored_dups(im, pc.lines[i], p, err)) != KN_OK)
			goto out;
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
	store_merged_free(merged, nmerged);
	return e;
}
