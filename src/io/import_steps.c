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
 *
 * For a national file (8 million rows) the rows are packed and sorted in
 * runs of bounded size, spilled to temporary files and merged back (struct
 * steps_ctx below), so that only one person's rows are ever unpacked; the
 * ledger writes in bulk (ledger.bulk: no audit entry per new step;
 * ledger.defer: a candidacy's stage written once for its run of steps,
 * each step numbered without a subquery) inside
 * store_bulk_begin()/store_bulk_end() (a big page cache; on SQLite the
 * date indexes of an empty steps table, and the unit and stage indexes of
 * an empty candidacies table, built once at the end with a small one).
 */
#include <stdint.h>
#include <stdio.h>
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

/*
 * The rows between reading and writing (issue 13: a national steps file
 * is 8 million rows, and a struct srow with its strings is some 400
 * bytes). Each row read is packed into one record of a run (struct rec
 * and its strings, about 60 bytes for a typical row); a run that reaches
 * RUN_BYTES is sorted by person, date, pipeline order and line and written to a temporary file,
 * and the writer reads the runs back merged, one person's rows at a time.
 * A file of fewer than RUN_BYTES of records never leaves memory. So the
 * memory the rows take is bounded by RUN_BYTES whatever the file's size
 * and order (FORMATS.md: steps rows come in any order).
 */
#define RUN_BYTES ((size_t)64 << 20)

/* A packed row: this header, then its strings, each a uint32_t length
 * plus one (0: NULL) and its bytes, in the order of rec_strings(). */
struct rec {
	uint32_t size;		/* the whole record, header and strings */
	uint32_t nperson;	/* strlen(person); person comes first */
	uint64_t line;
	int32_t date, intro1_since, intro2_since;
	int32_t votes_for, votes_total;
	int32_t code;
	int32_t bad;
};

#define REC_NSTR 9

/* The strings of a row, person first (the sort key). */
static void rec_strings(struct srow *r, char ***v)
{
	v[0] = &r->person;
	v[1] = &r->st.doc_no;
	v[2] = &r->st.org;
	v[3] = &r->st.member;
	v[4] = &r->st.intro1;
	v[5] = &r->st.intro2;
	v[6] = &r->st.consent;
	v[7] = &r->st.override;
	v[8] = &r->st.note;
}

struct steps_ctx {
	struct buf arena;	/* the current run's records */
	size_t *off;		/* each record's offset in arena */
	size_t n, cap;		/* records in the current run */
	size_t total;		/* records in all runs */
	FILE **runs;		/* the runs written out, each sorted */
	size_t nruns;
	size_t run_bytes;	/* RUN_BYTES, or KETNAP_IMPORT_RUN_BYTES (tests) */
	int failed;		/* a temporary file could not be written */
};

/* Pack r (whose strings it then frees) onto the current run. */
static void rec_put(struct steps_ctx *sc, struct srow *r)
{
	struct rec h;
	char **v[REC_NSTR];
	size_t at = sc->arena.len;

	memset(&h, 0, sizeof(h));
	h.nperson = (uint32_t)strlen(r->person);
	h.line = r->line;
	h.date = r->st.date;
	h.intro1_since = r->st.intro1_since;
	h.intro2_since = r->st.intro2_since;
	h.votes_for = r->st.votes_for;
	h.votes_total = r->st.votes_total;
	h.code = (int32_t)r->st.code;
	h.bad = r->bad;
	buf_add(&sc->arena, &h, sizeof(h));
	rec_strings(r, v);
	for (int i = 0; i < REC_NSTR; i++) {
		const char *t = *v[i];
		uint32_t n = t ? (uint32_t)strlen(t) + 1 : 0;
		buf_add(&sc->arena, &n, sizeof(n));
		if (n > 1)
			buf_add(&sc->arena, t, n - 1);
	}
	h.size = (uint32_t)(sc->arena.len - at);
	memcpy(sc->arena.s + at, &h.size, sizeof(h.size));
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 1024;
		sc->off = xreallocarray(sc->off, sc->cap, sizeof(*sc->off));
	}
	sc->off[sc->n++] = at;
	sc->total++;
	free(r->person);
	step_release(&r->st);
}

/* A packed record back as a row, its strings new copies. */
static void rec_get(const char *p, struct srow *r)
{
	struct rec h;
	char **v[REC_NSTR];

	memcpy(&h, p, sizeof(h));
	memset(r, 0, sizeof(*r));
	step_init(&r->st);
	r->line = (size_t)h.line;
	r->st.date = h.date;
	r->st.intro1_since = h.intro1_since;
	r->st.intro2_since = h.intro2_since;
	r->st.votes_for = h.votes_for;
	r->st.votes_total = h.votes_total;
	r->st.code = (enum step_code)h.code;
	r->bad = h.bad;
	p += sizeof(h);
	rec_strings(r, v);
	for (int i = 0; i < REC_NSTR; i++) {
		uint32_t n;
		memcpy(&n, p, sizeof(n));
		p += sizeof(n);
		*v[i] = n ? xstrndup(p, n - 1) : NULL;
		p += n ? n - 1 : 0;
	}
}

/* The writing order of packed records: person, date, pipeline order, line. */
static int rec_cmp_raw(const char *a, const char *b)
{
	struct rec x, y;
	int c;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	/* The person's bytes follow the header and its length word. */
	const char *px = a + sizeof(x) + sizeof(uint32_t), *py = b + sizeof(y) + sizeof(uint32_t);
	size_t n = x.nperson < y.nperson ? x.nperson : y.nperson;
	c = memcmp(px, py, n);
	if (c)
		return c;
	if (x.nperson != y.nperson)
		return x.nperson < y.nperson ? -1 : 1;
	if (x.date != y.date)
		return x.date < y.date ? -1 : 1;
	if (x.code != y.code)
		return x.code < y.code ? -1 : 1;
	return x.line < y.line ? -1 : x.line > y.line;
}

static int rec_cmp(const void *a, const void *b)
{
	return rec_cmp_raw(*(const char *const *)a, *(const char *const *)b);
}

/* The current run's records in order: pointers into the arena, which
 * must not grow while they are used. The caller frees the array. */
static const char **run_sorted(struct steps_ctx *sc)
{
	const char **by = xreallocarray(NULL, sc->n + 1, sizeof(*by));
	for (size_t i = 0; i < sc->n; i++)
		by[i] = sc->arena.s + sc->off[i];
	xqsort(by, sc->n, sizeof(*by), rec_cmp);
	return by;
}

/* Write the current run, sorted, to a temporary file and empty it. */
static void run_spill(struct steps_ctx *sc)
{
	const char **by;
	FILE *f;

	if (!sc->n || sc->failed)
		return;
	if (!(f = tmpfile())) {
		sc->failed = 1;
		return;
	}
	by = run_sorted(sc);
	for (size_t i = 0; i < sc->n; i++) {
		uint32_t size;
		memcpy(&size, by[i], sizeof(size));
		if (fwrite(by[i], 1, size, f) != size)
			sc->failed = 1;
	}
	free(by);
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
		sc->failed = 1;
	sc->runs = xreallocarray(sc->runs, sc->nruns + 1, sizeof(*sc->runs));
	sc->runs[sc->nruns++] = f;
	buf_reset(&sc->arena);
	sc->n = 0;
}

/* Reading the rows back in order: the one run in memory, or the runs'
 * files merged (the smallest head first; a few dozen runs at most). */
struct merge {
	struct steps_ctx *sc;
	const char **by;	/* in memory: the sorted run */
	size_t at;
	struct buf *head;	/* from files: each run's next record */
	int *live;
	int failed;
};

/* Read run i's next record into m->head[i]; live[i] 0 at its end. */
static void merge_fill(struct merge *m, size_t i)
{
	FILE *f = m->sc->runs[i];
	struct rec h;

	buf_reset(&m->head[i]);
	if (fread(&h, 1, sizeof(h), f) != sizeof(h)) {
		if (ferror(f))
			m->failed = 1;
		m->live[i] = 0;
		return;
	}
	buf_add(&m->head[i], &h, sizeof(h));
	for (size_t left = h.size > sizeof(h) ? h.size - sizeof(h) : 0; left;) {
		char chunk[4096];
		size_t want = left < sizeof(chunk) ? left : sizeof(chunk);
		if (fread(chunk, 1, want, f) != want) {
			m->failed = 1;
			m->live[i] = 0;
			return;
		}
		buf_add(&m->head[i], chunk, want);
		left -= want;
	}
}

static void merge_start(struct merge *m, struct steps_ctx *sc)
{
	memset(m, 0, sizeof(*m));
	m->sc = sc;
	if (!sc->nruns) {
		m->by = run_sorted(sc);
		return;
	}
	run_spill(sc);	/* the last run joins the others on disk */
	/* The run's memory is not needed while the rows are written. */
	buf_release(&sc->arena);
	free(sc->off);
	sc->off = NULL;
	sc->cap = 0;
	m->failed = sc->failed;
	m->head = xcalloc(sc->nruns, sizeof(*m->head));
	m->live = xcalloc(sc->nruns, sizeof(*m->live));
	for (size_t i = 0; i < sc->nruns; i++) {
		buf_init(&m->head[i]);
		m->live[i] = 1;
		merge_fill(m, i);
	}
}

/* The next record in order (valid until the next call), or NULL. */
static const char *merge_next(struct merge *m, size_t *which)
{
	size_t best = SIZE_MAX;

	if (!m->sc->nruns)
		return m->at < m->sc->n ? m->by[m->at++] : NULL;
	/* The record handed out last is replaced only now, when the caller
	 * is done with it. */
	if (*which != SIZE_MAX)
		merge_fill(m, *which);
	for (size_t i = 0; i < m->sc->nruns; i++)
		if (m->live[i] && (best == SIZE_MAX || rec_cmp_raw(m->head[i].s, m->head[best].s) < 0))
			best = i;
	*which = best;
	return best == SIZE_MAX ? NULL : m->head[best].s;
}

static void merge_end(struct merge *m)
{
	free(m->by);
	for (size_t i = 0; m->head && i < m->sc->nruns; i++)
		buf_release(&m->head[i]);
	free(m->head);
	free(m->live);
}

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
	rec_put(sc, &r);
	if (sc->arena.len >= sc->run_bytes)
		run_spill(sc);
}

/* A candidacy that ends on the day the next one starts: sorted by
 * pipeline order, the new `source` would come before the step that ends
 * the old one (`withdrawn`, `rejected`, `struck_off`, `official`) and be
 * refused by KN-OPEN. Where a day's rows of one person hold a source and
 * such an ending step listed before it in the file (as the export lists
 * the older candidacy first), the rows listed before the source are
 * recorded first, each part in pipeline order. by[0..n) is sorted by
 * rec_cmp_raw()'s order: person, date, pipeline order, line. */
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
	struct person rp;
	struct candidacy *rc = NULL;
	size_t nc = 0;
	const struct person *p = &rp;
	const struct candidacy *c;
	kn_date ms, os;
	char a[11], b[11];
	enum kn_err e = KN_OK;

	if (!dec_line && !off_line)
		return KN_OK;
	person_init(&rp);
	/* The ledger's memo holds the person as just written (issue 13: an
	 * exported people list gives most admitted people their dates, and
	 * reading them again was a tenth of a province's import). */
	if (ledger_memo_peek(l, ref, &p, &c, &nc))
		goto judge;
	if ((e = store_person_get(im->s, ref, &rp)) != KN_OK) {
		buf_addf(err, "%s: %s\n", im->file, store_errmsg(im->s));
		return e;
	}
	if (rp.member_since == KN_DATE_NONE && rp.official_since == KN_DATE_NONE)
		goto out;
	if ((e = store_candidacies_of(im->s, rp.id, &rc, &nc)) != KN_OK) {
		buf_addf(err, "%s: %s\n", im->file, store_errmsg(im->s));
		goto out;
	}
	c = rc;
judge:
	if (p->member_since == KN_DATE_NONE && p->official_since == KN_DATE_NONE)
		goto out;
	if (!ledger_membership_recorded(l, p, c, nc, &ms, &os) || ms == KN_DATE_NONE)
		goto out;
	if (dec_line && p->member_since != KN_DATE_NONE && p->member_since != ms) {
		date_format_user(ms, a);
		date_format_user(p->member_since, b);
		imp_problem(im, dec_line, "date",
			_("the admission decision of %s is dated %s, but the people list gives "
			  "member_since %s; correct the decision's date or member_since"),
			p->full_name, a, b);
	}
	if (off_line && os != KN_DATE_NONE && p->official_since != KN_DATE_NONE &&
	    p->official_since != os) {
		date_format_user(os, a);
		date_format_user(p->official_since, b);
		imp_problem(im, off_line, "date",
			_("by the recorded steps %s is a full member from %s (the end of "
			  "probation), but the people list gives official_since %s; correct the "
			  "ceremony's date or official_since"), p->full_name, a, b);
	}
out:
	store_candidacies_free(rc, rc ? nc : 0);
	person_release(&rp);
	return e;
}

/* The rows of one person, by[0..n) in rec_cmp_raw()'s order: each through
 * the ledger (a refused row refuses the person's later rows), then the
 * membership dates check. done counts the rows of the file handed over
 * so far (progress). Returns KN_OK or a storage failure (message in err). */
static enum kn_err steps_person(struct imp *im, struct ledger *l, struct srow **by, size_t n,
				size_t *done, size_t total, struct buf *lerr, struct buf *err)
{
	char *denied = NULL;	/* the person's unit, when the actor may not override there */
	int asked = 0;		/* denied is known */
	size_t refused = 0;
	size_t dec_line = 0, off_line = 0;	/* the decision / official written */
	size_t written;
	enum kn_err e = KN_OK;

	srow_candidacy_days(by, n);
	for (size_t i = 0; i < n; i++) {
		struct srow *r = by[i];
		++*done;
		if (im->o->progress)
			im->o->progress(im->file, *done, total);
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
			if (ledger_person_get(l, r->person, &p) == KN_OK) {
				if (!im->o->may_override(im->o->may_override_arg, p.unit))
					denied = xstrdup(p.unit ? p.unit : "");
				person_release(&p);
			}
		}
		written = im->stats->added + im->stats->updated;
		e = step_one(im, l, r, lerr, denied);
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
				 lerr->len ? lerr->s : store_errmsg(im->s));
			goto out;
		}
	}
	/* The person's last candidacy's stage (struct ledger's defer),
	 * before the check reads the record and the next person's steps. */
	if ((e = ledger_flush(l)) != KN_OK) {
		buf_addf(err, "%s: %s\n", im->file, store_errmsg(im->s));
		goto out;
	}
	if (n)
		e = steps_dates_check(im, l, by[0]->person, dec_line, off_line, err);
out:
	free(denied);
	return e;
}

/*
 * The people whose rows are written next (issue 13): on PostgreSQL every
 * read is a round trip, and the ledger's reads of each person (the person,
 * their candidacies, their transfers; an introducer's candidacies) were
 * most of a steps import's time. So the rows are handed over in batches
 * of BATCH_PEOPLE people, whose records, and those of the people their
 * rows name, ledger_read_ahead() reads in a few statements first; each
 * person's rows then go through steps_person() as before, in the same
 * order, with the same messages and lines.
 */
#define BATCH_PEOPLE 1024

struct group {
	struct srow *rows;	/* one person's, in rec_cmp_raw()'s order */
	size_t n, cap;
};

struct batch {
	struct group *g;
	size_t n, cap;		/* g[0..n) in use; g[n..cap) empty, kept for reuse */
	size_t max;		/* BATCH_PEOPLE, or KETNAP_IMPORT_BATCH (tests) */
};

static void group_empty(struct group *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->rows[i].person);
		step_release(&g->rows[i].st);
	}
	g->n = 0;
}

static void batch_empty(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		group_empty(&b->g[i]);
	b->n = 0;
}

static void batch_release(struct batch *b)
{
	batch_empty(b);
	for (size_t i = 0; i < b->cap; i++)
		free(b->g[i].rows);
	free(b->g);
}

/* A new group for the next person, at the end of the batch. */
static struct group *batch_new_group(struct batch *b)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		b->g = xreallocarray(b->g, cap, sizeof(*b->g));
		memset(b->g + b->cap, 0, (cap - b->cap) * sizeof(*b->g));
		b->cap = cap;
	}
	return &b->g[b->n++];
}

/* Write the batch's people: their records read ahead, then each one's
 * rows through steps_person(). The batch is emptied whatever happens. */
static enum kn_err batch_write(struct imp *im, struct ledger *l, struct batch *b,
			       struct srow ***by, size_t *capby, size_t *done, size_t total,
			       struct buf *lerr, struct buf *err)
{
	const char **own = xreallocarray(NULL, b->n + 1, sizeof(*own));
	const char **named = NULL;
	size_t nnamed = 0, capnamed = 0;
	enum kn_err e = KN_OK;

	for (size_t i = 0; i < b->n; i++) {
		own[i] = b->g[i].rows[0].person;
		for (size_t j = 0; j < b->g[i].n; j++) {
			const struct step *st = &b->g[i].rows[j].st;
			const char *v[3] = { NULL, NULL, NULL };
			if (st->code == STEP_INTRODUCED) {
				v[0] = st->intro1;
				v[1] = st->intro2;
			} else if (st->code == STEP_MENTOR) {
				v[0] = st->member;
			}
			for (int k = 0; k < 3; k++) {
				if (!v[k])
					continue;
				if (nnamed == capnamed) {
					capnamed = capnamed ? capnamed * 2 : 256;
					named = xreallocarray(named, capnamed, sizeof(*named));
				}
				named[nnamed++] = v[k];
			}
		}
	}
	e = ledger_read_ahead(l, own, b->n, named, nnamed);
	free(own);
	free(named);
	if (e != KN_OK) {
		buf_addf(err, "%s: %s\n", im->file, store_errmsg(im->s));
		goto out;
	}
	for (size_t i = 0; i < b->n && e == KN_OK; i++) {
		struct group *g = &b->g[i];
		if (g->n > *capby) {
			*capby = g->n;
			*by = xreallocarray(*by, *capby, sizeof(**by));
		}
		for (size_t j = 0; j < g->n; j++)
			(*by)[j] = &g->rows[j];
		e = steps_person(im, l, *by, g->n, done, total, lerr, err);
	}
out:
	batch_empty(b);
	return e;
}

enum kn_err import_steps(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct steps_ctx sc;
	struct merge m;
	struct batch b;		/* the people whose rows are written next */
	struct group *grp = NULL;	/* the current person's rows, b's last */
	struct srow **by = NULL;
	size_t capby = 0, done = 0, which = SIZE_MAX;
	struct ledger l;
	struct buf lerr = BUF_INIT;
	const char *rec;
	const char *env;
	int have_ledger = 0, merging = 0;
	enum kn_err e = KN_OK;

	memset(&sc, 0, sizeof(sc));
	memset(&b, 0, sizeof(b));
	buf_init(&sc.arena);
	/* A smaller batch, for the tests that cross its boundaries. */
	env = getenv("KETNAP_IMPORT_BATCH");
	b.max = env && *env ? strtoull(env, NULL, 10) : 0;
	if (!b.max)
		b.max = BATCH_PEOPLE;
	env = getenv("KETNAP_IMPORT_RUN_BYTES");
	/* A smaller run, for the tests that make a small file spill. */
	sc.run_bytes = env && *env ? strtoull(env, NULL, 10) : 0;
	if (!sc.run_bytes)
		sc.run_bytes = RUN_BYTES;
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
	/* The ledger's per-person memo off: the test comparing an import
	 * with and without it (tests/cli/import_memo.sh). */
	env = getenv("KETNAP_IMPORT_NOMEMO");
	l.no_memo = env && *env && strcmp(env, "0") != 0;
	/* The whole import is one transaction (import_csv()), and
	 * steps_person() flushes each person's candidacy before it reads
	 * anything: a candidacy's stage is written once for its steps. Both
	 * backends: PostgreSQL's bulk load (store_pg.c) sends the appended
	 * steps (their ids drawn in blocks) and the stage writes ahead in
	 * pipeline mode, and the candidacy's version is then never read. */
	l.defer = 1;
	have_ledger = 1;
	/* A big load's settings, and for a (nearly) empty steps table its
	 * date indexes built once at the end (store_bulk_begin()). */
	if ((e = store_bulk_begin(im->s, sc.total)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		goto out;
	}
	merge_start(&m, &sc);
	merging = 1;
	for (;;) {
		rec = m.failed ? NULL : merge_next(&m, &which);
		if (rec && grp) {
			struct rec h;
			memcpy(&h, rec, sizeof(h));
			const char *p = rec + sizeof(h) + sizeof(uint32_t);
			if (strlen(grp->rows[0].person) == h.nperson &&
			    memcmp(grp->rows[0].person, p, h.nperson) == 0)
				goto add;	/* the same person */
		}
		/* A person's rows are complete; a full batch (or the last) is
		 * written. */
		grp = NULL;
		if (b.n && (!rec || b.n >= b.max) &&
		    (e = batch_write(im, &l, &b, &by, &capby, &done, sc.total, &lerr, err)) != KN_OK)
			goto out;
		if (!rec)
			break;
		grp = batch_new_group(&b);
add:
		if (grp->n == grp->cap) {
			grp->cap = grp->cap ? grp->cap * 2 : 16;
			grp->rows = xreallocarray(grp->rows, grp->cap, sizeof(*grp->rows));
		}
		rec_get(rec, &grp->rows[grp->n++]);
	}
	if (m.failed || sc.failed) {
		buf_addf(err, "%s: %s\n", im->file,
			 _("cannot write the rows to a temporary file (is the disk full?)"));
		e = KN_EIO;
		goto out;
	}
	if ((e = store_bulk_end(im->s)) != KN_OK)
		buf_addf(err, "%s\n", store_errmsg(im->s));
out:
	if (merging)
		merge_end(&m);
	if (have_ledger)
		ledger_release(&l);
	batch_release(&b);
	free(by);
	buf_release(&sc.arena);
	free(sc.off);
	for (size_t i = 0; i < sc.nruns; i++)
		fclose(sc.runs[i]);
	free(sc.runs);
	buf_release(&lerr);
	return e;
}
