/*
 * demo_life.c — the whole life of a record in the demo (issue 15, item 6):
 * transfers of candidates and members between cells, recorded through
 * svc_transfer() as a clerk's letter and the destination's acceptance
 * would be (so every rule of RULES.md §8 is judged, and each is audited);
 * a handful of re-admissions of former members (§9); a few planted
 * duplicates (§10), with every chance namesake born the same day nudged
 * away so that `person duplicates` finds exactly the planted pairs.
 *
 * A candidacy moves only in a gap of its plan of at least a few days and
 * never between the cell vote and the decision (KN-TRANSFER-OPEN), to a
 * considering unit with the same shape (a chi bộ cơ sở to a chi bộ cơ sở,
 * a cell under a grassroots committee to another), so that the plan's
 * later steps stay the same steps; they are the destination's: its
 * votes, its competent committee's decision numbers; and the same kind
 * of area (KN-EDU's special areas) (demo.c's record()
 * asks demo_unit_on()). Introducers and mentors stay the seeded members
 * of the first cell: the rules ask only that they be full members.
 *
 * A planted duplicate's second record has a ref whose serial (digits
 * 7–12) starts with 9 (DEMO_DUP_SERIAL): no other ref of the demo does,
 * which is how tests/cli/demo_life.sh counts them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo.h"
#include "core/ledger.h"
#include "core/readmit.h"
#include "core/svc_transfer.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "core/demo_impl.h"
#include "util/banned.h"

/* ---- no chance namesakes ---- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static uint64_t key_of(uint64_t name, kn_date birth)
{
	uint64_t z = name ^ ((uint64_t)(int64_t)birth * 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
	z ^= z >> 29;
	return z ? z : 1;
}

/* 1 when key is in the set; with add, put it there. */
static int seen(struct gen *g, uint64_t key, int add)
{
	size_t i;

	if (add && (g->nseen + 1) * 2 > g->capseen) {
		size_t cap = g->capseen ? g->capseen * 2 : 1 << 14;
		uint64_t *t = xcalloc(cap, sizeof(*t));
		for (size_t k = 0; k < g->capseen; k++) {
			if (!g->seen[k])
				continue;
			for (i = g->seen[k] & (cap - 1); t[i]; i = (i + 1) & (cap - 1))
				;
			t[i] = g->seen[k];
		}
		free(g->seen);
		g->seen = t;
		g->capseen = cap;
	}
	if (!g->capseen)
		return 0;
	for (i = key & (g->capseen - 1); g->seen[i]; i = (i + 1) & (g->capseen - 1))
		if (g->seen[i] == key)
			return 1;
	if (add) {
		g->seen[i] = key;
		g->nseen++;
	}
	return 0;
}

kn_date demo_unique_birth(struct gen *g, kn_date birth)
{
	uint64_t h;

	buf_reset(&g->fb);
	text_fold(g->nb.s, &g->fb);
	h = hash_str(g->fb.s);
	/* Earlier, never later: an earlier birth keeps every lower age
	 * bound, and the upper ones are years away. */
	while (seen(g, key_of(h, birth), 0))
		birth--;
	seen(g, key_of(h, birth), 1);
	return birth;
}

/* ---- re-admissions ---- */

static const char *const readmit_reasons[] = { "struck_off", "struck_off", "expelled",
	"resigned_family", "other" };

void demo_plan_readmission(struct gen *g, struct cand *c, kn_date source)
{
	kn_date at20 = date_add_months(c->birth, 20 * 12);

	c->readmit = 1;
	c->left_reason = PICK(&g->r2, readmit_reasons);
	/* Sourced three to seven years after leaving, so the cell meets
	 * well after KN-READMIT-WAIT's 36 months. */
	c->left_on = date_add_months(source, -rng_int(&g->r2, 37, 84));
	c->member_since = date_add_months(c->left_on, -rng_int(&g->r2, 30, 120));
	if (c->member_since < at20)
		c->member_since = at20;
	g->nreadmit++;
}

/* ---- transfers ---- */

/* A destination for a move from unit `from`: a considering unit of the
 * same shape, under the same competent committee six times in ten. */
static int pick_dest(struct gen *g, int from)
{
	const struct dunit *f = &g->u[from];
	int same = rng_chance(&g->r2, 600);

	for (int tries = 0; tries < 200; tries++) {
		int k = rng_int(&g->r2, 0, (int)g->nu - 1);
		const struct dunit *d = &g->u[k];
		if (k == from || !d->considering || d->basic != f->basic || d->nmembers < 4)
			continue;
		/* KN-EDU's special areas (5/12 suffices) are the same. */
		if (d->u.special_area != f->u.special_area ||
		    g->u[d->parent].u.special_area != g->u[f->parent].u.special_area)
			continue;
		if (same && tries < 150 && d->competent != f->competent)
			continue;
		return k;
	}
	return -1;
}

int demo_unit_on(const struct gen *g, const struct cand *c, kn_date d)
{
	if (c->dest >= 0 && c->t_in != KN_DATE_NONE && d >= c->t_in)
		return c->dest;
	return c->unit;
}

/* The next working day strictly after d. */
static kn_date workday_after(struct gen *g, kn_date d)
{
	return demo_next_workday(g, d + 1);
}

static void plan_candidate_transfer(struct gen *g, struct cand *c)
{
	int cell = -1, dec = -1, dest;

	if (c->readmit || c->n < 2)
		return;
	for (int i = 0; i < c->n; i++) {
		if (c->st[i].code == STEP_CELL_VOTE && cell < 0)
			cell = i;
		if (c->st[i].code == STEP_DECISION)
			dec = i;
	}
	/* A gap after step k: never from the cell vote to the decision. */
	for (int tries = 0; tries < 4; tries++) {
		int k = rng_int(&g->r2, 1, c->n - 1);
		kn_date out, in, next;
		if (cell >= 0 && k >= cell && (dec < 0 || k < dec))
			continue;
		out = workday_after(g, c->st[k].date);
		if (k == c->n - 1) {
			/* After the last step so far: the recent ones are still
			 * in transit at today, the others arrived. Not once the
			 * person withdrew, was rejected or struck off. */
			int code = c->st[k].code;
			if (out >= g->today || code == STEP_WITHDRAWN || code == STEP_REJECTED ||
			    code == STEP_STRUCK_OFF)
				continue;
			in = workday_after(g, out + rng_int(&g->r2, 2, 12));
			if (out >= g->today - 40 || in >= g->today)
				in = KN_DATE_NONE;
		} else {
			next = c->st[k + 1].date;
			if (out + 2 > next)
				continue;
			in = workday_after(g, out + rng_int(&g->r2, 1, 10));
			if (in >= next)
				in = out + 1;
			if (in >= next)
				continue;
		}
		if ((dest = pick_dest(g, c->unit)) < 0)
			return;
		c->dest = dest;
		c->t_out = out;
		c->t_in = in;
		return;
	}
}

void demo_plan_transfers(struct gen *g)
{
	/* Candidates: some four in a hundred move during their dossier
	 * (a year or two each: a few percent a year). */
	for (size_t i = 0; i < g->nc; i++)
		if (rng_chance(&g->r2, 45))
			plan_candidate_transfer(g, &g->c[i]);
	/* The seeded members: about two in a hundred a year from 2021. */
	{
		kn_date first = date_from_ymd(2021, 1, 4);
		size_t cap = 0;
		free(g->mx);
		g->mx = NULL;
		g->nmx = 0;
		for (size_t u = 0; u < g->nu; u++) {
			const struct dunit *d = &g->u[u];
			if (!d->considering)
				continue;
			for (int k = 0; k < d->nmembers; k++) {
				struct mxfer *m;
				int dest;
				if (!rng_chance(&g->r2, 100))
					continue;
				if ((dest = pick_dest(g, (int)u)) < 0)
					continue;
				if (g->nmx == cap) {
					cap = cap ? cap * 2 : 256;
					g->mx = xreallocarray(g->mx, cap, sizeof(*g->mx));
				}
				m = &g->mx[g->nmx++];
				m->member = d->member0 + k;
				m->from = (int)u;
				m->to = dest;
				m->t_out = demo_next_workday(
					g, first + rng_int(&g->r2, 0, (int)(g->today - 2 - first)));
				m->t_in = workday_after(g, m->t_out + rng_int(&g->r2, 2, 20));
				if (m->t_in > g->today)
					m->t_in = KN_DATE_NONE;
			}
		}
		/* A few letters of the last weeks not yet presented at today,
		 * spread over the city: the arriving lists of the dashboards,
		 * DL-TRANSFER due (under 30 working days) and overdue. */
		{
			size_t want = g->small ? 3 : 12;
			size_t every = g->nmx / (want + 1);
			for (size_t k = 1; every > 0 && k <= want; k++) {
				struct mxfer *m = &g->mx[k * every];
				/* Every other one past DL-TRANSFER's 30 working days. */
				m->t_out = demo_next_workday(g, g->today - (k % 2 ? rng_int(&g->r2, 50, 75)
										: rng_int(&g->r2, 5, 35)));
				if (m->t_out >= g->today)
					m->t_out = g->today - 1;
				m->t_in = KN_DATE_NONE;
			}
		}
	}
}

enum kn_err demo_record_transfer(struct gen *g, const struct event *ev, int (*gt)[NCOUNT])
{
	struct svc sv;
	struct actor a = { g->l->actor, NULL, ROLE_ADMIN };
	struct transfer_req req;
	struct transfer_res res;
	struct buf doc = BUF_INIT;
	const char *ref;
	int from, to;
	kn_date out, in;
	enum kn_err e;

	if (ev->cand >= 0) {
		const struct cand *c = &g->c[ev->cand];
		ref = c->ref;
		from = c->unit;
		to = c->dest;
		out = c->t_out;
		in = c->t_in;
	} else {
		const struct mxfer *m = &g->mx[-ev->cand - 1];
		ref = g->members[m->member];
		from = m->from;
		to = m->to;
		out = m->t_out;
		in = m->t_in;
	}
	memset(&req, 0, sizeof(req));
	req.ref = ref;
	req.today = g->today;
	if (ev->idx == EV_OUT) {
		/* The letter (giấy giới thiệu sinh hoạt đảng) of the sending
		 * unit's competent committee, numbered by year. */
		const struct dunit *c = &g->u[g->u[from].competent];
		int y = date_year(out) - YEAR_BASE;
		y = y < 0 ? 0 : y >= NCOUNT ? NCOUNT - 1 : y;
		buf_addf(&doc, "%d-GGT/%s", ++gt[g->u[from].competent][y],
			 c->suffix ? c->suffix : "ĐU");
		req.to = g->u[to].u.code;
		req.date = out;
		req.doc_no = doc.s;
	} else {
		req.arrived = 1;
		req.date = in;
	}
	svc_init(&sv, g->s, g->l->cal, &a, 1, &g->l->tree);
	e = svc_transfer(&sv, &req, &res);
	if (e != KN_OK) {
		char iso[11];
		date_format_iso(req.date, iso);
		buf_addf(g->err, _("demo: the transfer of %s on %s was refused (a bug in the "
				   "generator):"), ref, iso);
		for (size_t i = 0; i < res.v.n; i++)
			buf_addf(g->err, "\n  %s: %s", res.v.v[i].code, res.v.v[i].message);
		if (res.err.len)
			buf_addf(g->err, "\n  %s", res.err.s);
		else if (e != KN_ERULE)
			buf_addf(g->err, "\n  %s", store_errmsg(g->s));
	} else if (ev->idx == EV_OUT) {
		g->ntransfers++;
	}
	svc_transfer_res_release(&res);
	svc_release(&sv);
	buf_release(&doc);
	return e;
}

/* ---- planted duplicates ---- */

/* A clerk's mistyping of a name that folds to the same key (accents,
 * case: RULES.md §10): the name typed without its accents, or the given
 * name begun in lower case. Spacing is not used: an import would keep
 * the doubled space, but a clerk's form trims it. */
static void mistype(struct gen *g, const char *name, struct buf *out)
{
	const char *given = strrchr(name, ' ');

	buf_reset(out);
	given = given ? given + 1 : name;
	if (rng_chance(&g->r2, 500) && *given >= 'A' && *given <= 'Z') {
		buf_addf(out, "%.*s%c%s", (int)(given - name), name, *given - 'A' + 'a',
			 given + 1);
		return;
	}
	{
		/* text_fold lowers the case too: each word capitalised back. */
		struct buf f = BUF_INIT;
		text_fold(name, &f);
		for (size_t i = 0; i < f.len; i++) {
			char ch = f.s[i];
			if ((i == 0 || f.s[i - 1] == ' ') && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
			buf_addf(out, "%c", ch);
		}
		buf_release(&f);
	}
}

enum kn_err demo_plant_duplicates(struct gen *g)
{
	int want = g->small ? 2 : 6;
	size_t step = g->nc / (size_t)(want + 1);

	for (int k = 0; k < want && step > 0; k++) {
		const struct cand *c = &g->c[step * (size_t)(k + 1)];
		struct person p, dup;
		struct buf nm = BUF_INIT, fold = BUF_INIT, ref = BUF_INIT;
		int changed;
		enum kn_err e;

		if ((e = store_person_get(g->s, c->ref, &p)) != KN_OK)
			return demo_store_failed(g, e);
		mistype(g, p.full_name, &nm);
		/* The same birth province, century, sex and year: the ref a
		 * second registration of the same CCCD-like number would have
		 * were the last six digits mistyped. */
		buf_addf(&ref, "%.6s%06u", c->ref, DEMO_DUP_SERIAL + (unsigned)k);
		person_init(&dup);
		dup.ref = buf_detach(&ref);
		dup.full_name = buf_detach(&nm);
		dup.sex = p.sex;
		dup.birth_date = p.birth_date;
		dup.unit = xstrdup(p.unit);
		dup.ethnicity = p.ethnicity ? xstrdup(p.ethnicity) : NULL;
		dup.religion = p.religion ? xstrdup(p.religion) : NULL;
		dup.education = p.education ? xstrdup(p.education) : NULL;
		dup.qualification = p.qualification ? xstrdup(p.qualification) : NULL;
		dup.occupation = p.occupation ? xstrdup(p.occupation) : NULL;
		dup.youth_union = p.youth_union;
		dup.trade_union = p.trade_union;
		person_release(&p);
		text_fold(dup.full_name, &fold);
		e = store_person_put(g->s, &dup, fold.s, &changed);
		person_release(&dup);
		buf_release(&fold);
		if (e != KN_OK)
			return demo_store_failed(g, e);
		g->npeople++;
		g->ndup++;
	}
	return KN_OK;
}
