/*
 * import_people.c — importing a people list (import_impl.h): each row read
 * into a person (a ref once per file, its unit one of the database's), and
 * a person already recorded is held to the steps recorded for them: the
 * member_since and official_since a row gives must be the dates those
 * steps make (member_dates_check()). Each row is checked and, while
 * nothing has been refused, written as it is read, with the folded name
 * the search looks people up by; after a problem the rows are still read
 * and checked, so that every problem is reported, and import.c rolls the
 * file's transaction back: all or nothing, as when the rows were kept.
 *
 * The file is streamed (issue 13: keeping the national file's 6.5 M rows,
 * and every stored person, took 3 GB): what is kept per row is its ref
 * and line (struct refset, about 30 bytes), for the duplicate refs; a
 * stored person is read by ref as the row comes. The possible duplicates
 * of a first import are asked of the people table once all are written
 * (file_dups()).
 */
#include <stdint.h>
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

/* ---- the refs of the file ---- */

/* Each ref the file gave and the line it was last on, for "also on line":
 * an open-addressing table of 8-byte slots into an arena of entries "ref,
 * NUL, the line in REF_LINE_BYTES little-endian bytes". A slot is 0 when
 * empty, else the entry's offset + 1 (low 40 bits) under the top 24 bits
 * of the ref's hash, which most probes are told apart by without reading
 * the arena. A national file (6.5 M refs of 12 digits): 125 MB of entries
 * and 64 MB of slots. */
#define REF_LINE_BYTES 6	/* lines below 2^48: a file of that many is 256 TB */
#define REF_OFF_BITS 40
#define REF_OFF_MASK ((UINT64_C(1) << REF_OFF_BITS) - 1)

struct refset {
	uint64_t *slot;
	size_t cap, n;		/* cap a power of 2, at most 4/5 full */
	char *arena;
	size_t alen, acap;
};

static uint64_t ref_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);	/* FNV-1a, then mixed */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

static uint64_t slot_tag(uint64_t h)
{
	return h & ~REF_OFF_MASK;
}

/* The index of ref's slot, or of the empty slot where it would go. */
static size_t refset_find(const struct refset *rs, const char *ref, uint64_t h)
{
	size_t i = (size_t)h & (rs->cap - 1);
	for (;; i = (i + 1) & (rs->cap - 1)) {
		uint64_t v = rs->slot[i];
		if (!v || (slot_tag(v) == slot_tag(h) &&
			   strcmp(rs->arena + (v & REF_OFF_MASK) - 1, ref) == 0))
			return i;
	}
}

static size_t entry_line(const struct refset *rs, uint64_t v)
{
	const unsigned char *p = (const unsigned char *)rs->arena + (v & REF_OFF_MASK) - 1;
	size_t line = 0;
	p += strlen((const char *)p) + 1;
	for (int k = REF_LINE_BYTES - 1; k >= 0; k--)
		line = line << 8 | p[k];
	return line;
}

static void entry_set_line(struct refset *rs, uint64_t v, size_t line)
{
	unsigned char *p = (unsigned char *)rs->arena + (v & REF_OFF_MASK) - 1;
	p += strlen((const char *)p) + 1;
	for (int k = 0; k < REF_LINE_BYTES; k++, line >>= 8)
		p[k] = (unsigned char)line;
}

static void refset_grow(struct refset *rs)
{
	struct refset bigger = *rs;
	bigger.cap = rs->cap ? 2 * rs->cap : 1024;
	bigger.slot = xcalloc(bigger.cap, sizeof(*bigger.slot));
	for (size_t i = 0; i < rs->cap; i++)
		if (rs->slot[i]) {
			const char *ref = rs->arena + (rs->slot[i] & REF_OFF_MASK) - 1;
			bigger.slot[refset_find(&bigger, ref, ref_hash(ref))] = rs->slot[i];
		}
	free(rs->slot);
	*rs = bigger;
}

/* The line ref was last on (0: none), after which it is on `line`. */
static size_t refset_put(struct refset *rs, const char *ref, size_t line)
{
	uint64_t h = ref_hash(ref);
	size_t i, len = strlen(ref) + 1, was;

	if (5 * (rs->n + 1) > 4 * rs->cap)
		refset_grow(rs);
	i = refset_find(rs, ref, h);
	if (rs->slot[i]) {
		was = entry_line(rs, rs->slot[i]);
		entry_set_line(rs, rs->slot[i], line);
		return was;
	}
	if (rs->alen + len + REF_LINE_BYTES > rs->acap) {
		rs->acap = rs->acap ? 2 * rs->acap : 1 << 16;
		while (rs->alen + len + REF_LINE_BYTES > rs->acap)
			rs->acap *= 2;
		rs->arena = xrealloc(rs->arena, rs->acap);
	}
	memcpy(rs->arena + rs->alen, ref, len);
	rs->slot[i] = slot_tag(h) | (uint64_t)(rs->alen + 1);
	entry_set_line(rs, rs->slot[i], line);
	rs->alen += len + REF_LINE_BYTES;
	rs->n++;
	return 0;
}

/* The line ref was last on, 0 when the file did not give it. */
static size_t refset_line(const struct refset *rs, const char *ref)
{
	size_t i;
	if (!rs->cap)
		return 0;
	i = refset_find(rs, ref, ref_hash(ref));
	return rs->slot[i] ? entry_line(rs, rs->slot[i]) : 0;
}

static void refset_release(struct refset *rs)
{
	free(rs->slot);
	free(rs->arena);
	memset(rs, 0, sizeof(*rs));
}

/* ---- rows ---- */

struct people_ctx {
	struct codeset units;
	struct unit *unit_all;	/* by code, for the merged refs' subtrees (or none) */
	size_t nunits;
	struct merged_ref *merged;	/* by ref (a handful) */
	size_t nmerged;
	struct refset refs;
	int had_people;		/* the people table held someone before the file */
	struct ledger l;
	int have_ledger;
	struct buf fold;
	size_t written;		/* rows written so far (progress) */
	size_t total;		/* the file's rows, estimated (progress) */
	enum kn_err e;		/* a storage failure: nothing more is done */
	struct buf *err;	/* its message */
};

static void person_take(struct imp *im, struct people_ctx *pc, struct person *p);

static void person_row(struct imp *im, void *arg)
{
	struct people_ctx *pc = arg;
	struct person p;
	char *v;

	if (pc->e != KN_OK)
		return;
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
	if (!im->rowbad)
		person_take(im, pc, &p);
	person_release(&p);
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
static void merged_check(struct imp *im, const struct people_ctx *pc, const char *ref,
			 size_t line)
{
	const struct merged_ref *x = bsearch(ref, pc->merged, pc->nmerged, sizeof(*pc->merged),
					     merged_ref_cmp);
	if (!x)
		return;
	if (!im->o->actor_unit ||
	    unit_within(pc->unit_all, pc->nunits, x->into_unit, im->o->actor_unit))
		imp_problem(im, line, "ref", _("%s was merged into %s; use %s"),
			    x->ref, x->into, x->into);
	else
		imp_problem(im, line, "ref",
			    _("%s was merged into another record and cannot be used again"),
			    x->ref);
}

static void dup_warning(struct imp *im, size_t line, const char *ref, const char *name,
			kn_date birth, const char *other_ref, const char *other_name,
			const char *other_unit)
{
	char bd[11];
	if (!im->o->warnings)
		return;
	date_format_user(birth, bd);
	buf_addf(im->o->warnings, "%s:%zu: %s: ", im->file, line, _("warning"));
	buf_addf(im->o->warnings, _("%s (%s) may be the same person as %s (%s, %s): the same "
				    "name and date of birth %s; if so, `ketnap person merge` the two "
				    "records"), ref, name, other_ref, other_name, other_unit, bd);
	buf_addc(im->o->warnings, '\n');
}

/* A person of a first import who shares a folded name and birth date with
 * another: "folded name TAB birth date" and the file's line. */
struct dup_row {
	char *key;
	size_t line;
	char *ref, *name, *unit;
	kn_date birth;
};

struct dup_rows {
	const struct refset *refs;
	struct dup_row *v;
	size_t n, cap;
};

static int dup_row_cmp(const void *a, const void *b)
{
	const struct dup_row *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

static void dup_row_add(void *arg, const char *search_name, kn_date birth, const char *ref,
			const char *full_name, const char *unit)
{
	struct dup_rows *d = arg;
	struct buf k = BUF_INIT;
	char bd[11];
	size_t line = d->refs ? refset_line(d->refs, ref) : 0;

	if (!line)
		return;	/* not this file's (cannot be: the table was empty) */
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	buf_adds(&k, search_name ? search_name : "");
	date_format_iso(birth, bd);
	buf_addc(&k, '\t');
	buf_adds(&k, bd);
	d->v[d->n++] = (struct dup_row){ buf_detach(&k), line, xstrdup(ref),
					 xstrdup(full_name ? full_name : ""),
					 xstrdup(unit ? unit : ""), birth };
}

/* Into an empty people table: the possible duplicates are the file's own
 * rows with equal folded names and birth dates (identity_dup_key(), which
 * is what the search_name written with each is). Once every row is
 * written, the table itself is asked for them (people_dup: a grouping of
 * index entries, no query per row), and each is put back on its line
 * through the refs kept; a run is in key order (bytes), its rows by line,
 * and each row is warned of against the rows before it in its run, at
 * most 50, as store_dups_of() would answer. Only those people are held:
 * 89 k of the national demo's 6.5 M. */
static enum kn_err file_dups(struct imp *im, const struct people_ctx *pc, struct buf *err)
{
	struct dup_rows d = { &pc->refs, NULL, 0, 0 };
	enum kn_err e;

	if (!im->o->warnings || pc->refs.n < 2)
		return KN_OK;
	if ((e = store_people_dup_rows(im->s, dup_row_add, &d)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	xqsort(d.v, d.n, sizeof(*d.v), dup_row_cmp);
	for (size_t i = 1, first = 0; i < d.n; i++) {
		if (strcmp(d.v[i].key, d.v[first].key) != 0) {
			first = i;
			continue;
		}
		for (size_t j = i > first + 50 ? i - 50 : first; j < i; j++)
			dup_warning(im, d.v[i].line, d.v[i].ref, d.v[i].name, d.v[i].birth,
				    d.v[j].ref, d.v[j].name, d.v[j].unit);
	}
out:
	for (size_t i = 0; i < d.n; i++) {
		free(d.v[i].key);
		free(d.v[i].ref);
		free(d.v[i].name);
		free(d.v[i].unit);
	}
	free(d.v);
	return e;
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
		dup_warning(im, line, p->ref, p->full_name, p->birth_date, o[i].ref,
			    o[i].full_name, o[i].unit);
	store_people_free(o, n);
	return KN_OK;
}

/* A row whose cells are good (p): the checks against the file's other
 * rows and the stored records, then, while nothing has been refused, its
 * write. The checks of a row come in the order its problems were listed
 * in when the rows were kept (duplicate ref, merged ref, membership
 * dates), so that a line's problems read the same. */
static void person_take(struct imp *im, struct people_ctx *pc, struct person *p)
{
	size_t line = im->row.line, prev;
	struct person was;
	int have_was = 0, changed;
	struct buf before = BUF_INIT, after = BUF_INIT;
	enum kn_err e;

	person_init(&was);
	if ((prev = refset_put(&pc->refs, p->ref, line)) != 0)
		imp_problem(im, line, "ref",
			_("%s is also on line %zu; a person appears once per file"), p->ref, prev);
	if (pc->nmerged)
		merged_check(im, pc, p->ref, line);
	/* Into an empty table nobody is stored (a ref twice is refused
	 * above, before its second row is written). */
	if (pc->had_people) {
		e = store_person_get(im->s, p->ref, &was);
		if (e == KN_OK)
			have_was = 1;
		else if (e != KN_ENOTFOUND)
			goto fail;
	}
	if (have_was && (p->member_since != KN_DATE_NONE || p->official_since != KN_DATE_NONE)) {
		if (!pc->have_ledger) {
			if ((e = ledger_open(&pc->l, im->s, im->o->cal, im->o->actor, pc->err)) !=
			    KN_OK) {
				buf_addc(pc->err, '\n');
				pc->e = e;
				goto out;
			}
			pc->l.actor_unit = im->o->actor_unit;
			pc->have_ledger = 1;
		}
		if ((e = member_dates_check(im, &pc->l, p, &was, line, pc->err)) != KN_OK) {
			pc->e = e;
			goto out;
		}
	}
	if (im->nprobs)
		goto out;	/* refused: the rest is only read and checked */

	/* RULES.md §9's facts, which the program itself writes (a struck_off
	 * step's leaving, a re-admission's `readmitted`), are kept when a
	 * file from before issue 15 has no column for them: an old list
	 * must not forget that someone left or was re-admitted. */
	if (have_was) {
		if (im->col[P_LEFT_ON] < 0)
			p->left_on = was.left_on;
		if (im->col[P_LEFT_REASON] < 0 && was.left_reason) {
			free(p->left_reason);
			p->left_reason = xstrdup(was.left_reason);
		}
		if (im->col[P_CLEARED] < 0)
			p->record_cleared_on = was.record_cleared_on;
		if (im->col[P_READMITTED] < 0)
			p->readmitted = was.readmitted;
	}
	buf_reset(&pc->fold);
	text_fold(p->full_name, &pc->fold);
	/* Into an empty table nobody is read (above), and a new person goes
	 * by store_person_add(), which PostgreSQL sends by COPY (issue 13);
	 * after a read it would have to end the COPY at every row, so an
	 * update's new person is a plain insert. */
	changed = 2;
	e = pc->had_people ? store_person_put_known(im->s, p, have_was ? &was : NULL, pc->fold.s,
						    &changed)
			   : store_person_add(im->s, p, pc->fold.s);
	if (e != KN_OK)
		goto fail;
	if (changed == 1) {
		if (have_was)
			export_person_row(&before, &was);
		export_person_row(&after, p);
	}
	pc->written++;
	if ((e = imp_after_put(im, changed, "person", p->ref, have_was ? &before : NULL, &after,
			       pc->written, pc->total > pc->written ? pc->total : pc->written,
			       pc->err)) != KN_OK) {
		pc->e = e;
		goto out;
	}
	/* issue 15: a possible duplicate made by this row, warned of. */
	if (pc->had_people && im->o->warnings &&
	    (changed == 2 || (changed == 1 && have_was &&
			      (was.birth_date != p->birth_date ||
			       strcmp(was.full_name, p->full_name) != 0))) &&
	    (e = stored_dups(im, line, p, pc->err)) != KN_OK)
		pc->e = e;
	goto out;
fail:
	buf_addf(pc->err, "%s:%zu: %s\n", im->file, line, store_errmsg(im->s));
	pc->e = e;
out:
	buf_release(&before);
	buf_release(&after);
	person_release(&was);
}

/* How many rows the file has, for progress: its lines but the header's
 * (a quoted cell's line breaks and blank rows make it an estimate). Read
 * only when someone shows progress; the pages read are given back. */
static size_t rows_estimate(struct imp *im, const char *data, size_t len)
{
	const size_t step = (size_t)8 << 20;
	size_t n = 0;

	if (!im->o->progress)
		return 0;
	for (size_t at = 0; at < len; at += step) {
		const char *p = data + at, *end = data + (len - at < step ? len : at + step);
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			n++;
			p++;
		}
		imp_data_drop(im, data, (size_t)(end - data));
	}
	if (len && data[len - 1] != '\n')
		n++;
	return n ? n - 1 : 0;
}

enum kn_err import_people(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct people_ctx pc;
	enum kn_err e;

	memset(&pc, 0, sizeof(pc));
	pc.err = err;
	/* The units' codes only, without the names and links of the whole
	 * units (325 k of them nationally), which only the subtree of a
	 * merged ref's person needs, under a scoped import. */
	if ((e = store_unit_codes_sorted(im->s, &pc.units.v, &pc.units.n)) != KN_OK ||
	    (e = store_people_any(im->s, &pc.had_people)) != KN_OK ||
	    (e = store_merged_all(im->s, &pc.merged, &pc.nmerged)) != KN_OK ||
	    (pc.nmerged && im->o->actor_unit &&
	     (e = store_unit_all(im->s, &pc.unit_all, &pc.nunits)) != KN_OK)) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	/* A first import into SQLite fills an empty table, as the demo
	 * does (STORE_BULK_FILL): the load's bigger page cache, and the
	 * people indexes nothing reads during it (people_unit,
	 * people_name_key, people_dup: a first import reads nobody) built
	 * once at the end, from the finished table, instead of row by row
	 * in the random order of names. Without the cache the pages of the
	 * table, written row by row, were read again and again through the
	 * kernel: two fifths of a national first import's time was the
	 * system's. With the indexes kept, a province's import spent a
	 * third of its CPU in their b-trees (7.6 -> 6.3 s without them, the
	 * build included). An update reads people by name and birth date
	 * for its duplicates, and holds the ledger besides: the default
	 * cache, every index kept. (The bulk mode of PostgreSQL is the steps
	 * import's, its tables locked and its writes sent ahead: not for
	 * people.) */
	if (!pc.had_people && strcmp(store_backend(im->s), "SQLite") == 0 &&
	    (e = store_bulk_begin(im->s, STORE_BULK_FILL)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	pc.total = rows_estimate(im, data, len);
	imp_read_rows(im, data, len, person_row, &pc);
	if ((e = pc.e) != KN_OK)
		goto out;
	if (im->nprobs) {
		/* As when nothing was written before the file was checked. */
		im->stats->added = im->stats->updated = im->stats->unchanged = 0;
		goto out;
	}
	/* The indexes back first: file_dups() reads people_dup. */
	if ((e = store_bulk_end(im->s)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	if (!pc.had_people)
		e = file_dups(im, &pc, err);
out:
	for (size_t i = 0; i < pc.units.n; i++)
		free(pc.units.v[i]);
	free(pc.units.v);
	refset_release(&pc.refs);
	buf_release(&pc.fold);
	if (pc.have_ledger)
		ledger_release(&pc.l);
	store_units_free(pc.unit_all, pc.nunits);
	store_merged_free(pc.merged, pc.nmerged);
	return e;
}
