/*
 * demo.c — see demo.h. The city is built in four passes: units from the
 * tables below (real district, ward and commune names of Cần Thơ, the
 * city's blocs and some of their agencies and enterprises); full members
 * for every considering cell; a plan of every candidacy (its unit, its
 * person, the dates of its steps and how it ends) drawn from one seeded
 * generator; then the planned steps of all candidacies are recorded in
 * date order through ledger_step(), as a city's registers would have been
 * kept, so decision and certificate numbers grow with the dates. Quotas
 * are set last, from the admissions the plan produced, so that most units
 * meet them and a chosen few do not. The unit tables and their pass are
 * in demo_units.c, the people and the plan in demo_people.c; what they
 * share in demo_impl.h.
 *
 * The whole life of a record (issue 15, demo_life.c), small and city
 * sizes: a few re-admitted former members planned after the others;
 * transfers of candidates and members recorded through svc_transfer()
 * among the steps, in the same date order; a few planted duplicates
 * written last. Their draws come from a second generator (r2), so that
 * a seed's other people and plans are what they were before issue 15.
 *
 * The province and national sizes (demo_nation.c's tree) cannot be
 * planned whole: 800,000 candidacies of 700 bytes each, and 5.6 million
 * member refs, would be gigabytes. They run the same passes one province
 * at a time (generate_nation()): a province's members, its plan, its
 * steps in date order, its admissions counted for the quotas, then freed.
 * The quotas come last, from those counts. Steps go through
 * ledger_step() with l->bulk set (no audit entry per step); the demo's
 * own audit entry says what it wrote.
 *
 * Dates keep well inside every bound of RULES.md: ages 18 years 2 months
 * to 55 at the cell meeting, certificates and introductions months old,
 * introducers full members for years who have known the candidate for
 * more than a year, cells of four or more voting at least 2/3, committees
 * at least 2/3, ceremonies 10–20 days after the decision, probation votes
 * a few days after the year is up. Introducers and mentors are always the
 * seeded members (never people the demo itself admits), so a steps file
 * re-imports in any order of people.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/demo.h"
#include "core/ledger.h"
#include "core/readmit.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "core/demo_impl.h"
#include "util/banned.h"

kn_date demo_today(void)
{
	return date_from_ymd(2025, 12, 20);
}

enum kn_err demo_store_failed(struct gen *g, enum kn_err e)
{
	buf_addf(g->err, "%s", store_errmsg(g->s));
	return e;
}

/* ---- recording ---- */

struct counters {
	int (*cert)[NCOUNT];	/* per unit (upper), per year */
	int (*dec)[NCOUNT];	/* per unit (competent), per year */
	int (*gt)[NCOUNT];	/* transfer letters, per unit (competent), per year */
	int consent[NCOUNT];	/* the city's consents to re-admissions */
};

static int year_slot(kn_date d)
{
	int y = date_year(d) - YEAR_BASE;
	return y < 0 ? 0 : y >= NCOUNT ? NCOUNT - 1 : y;
}

/* The index of the unit that decides d's re-admissions (RULES.md §9). */
static int demo_readmit_authority(struct gen *g, const struct dunit *d)
{
	struct unode *n = unitree_find(&g->l->tree, d->u.code);
	struct unode *a = n ? readmit_authority(n) : NULL;
	for (size_t i = 0; a && i < g->nu; i++)
		if (strcmp(g->u[i].u.code, a->u.code) == 0)
			return (int)i;
	return d->competent;	/* the ledger then says why */
}

/* The committee whose decision series step p of c (decision or
 * official) takes its number from and names: d's competent committee, or
 * for a re-admission's decision the authority demo_readmit_authority()
 * picks. */
static int deciding_unit(struct gen *g, const struct cand *c, const struct pstep *p,
			 const struct dunit *d)
{
	return p->code == STEP_DECISION && c->readmit ? demo_readmit_authority(g, d)
						      : d->competent;
}

/* The number step p of c takes from its unit's series (certificates of
 * the upper unit, decisions of the competent committee, the city's
 * consents to re-admissions), the series moved on; 0 for a step that
 * takes none. Taken in date order, so that numbers grow with the dates,
 * whatever order the steps are then written in (record_grouped()). */
static int take_number(struct gen *g, const struct cand *c, const struct pstep *p,
		       struct counters *k)
{
	const struct dunit *d = &g->u[demo_unit_on(g, c, p->date)];

	switch ((enum step_code)p->code) {
	case STEP_TRAINED:
		return ++k->cert[d->upper][year_slot(p->date)];
	case STEP_CELL_VOTE:
		return c->readmit ? ++k->consent[year_slot(p->date)] : 0;
	case STEP_DECISION:
	case STEP_OFFICIAL:
		return ++k->dec[deciding_unit(g, c, p, d)][year_slot(p->date)];
	default:
		return 0;
	}
}

/* Record step p of c, with the number take_number() gave it. */
static enum kn_err record(struct gen *g, const struct cand *c, const struct pstep *p, int num)
{
	/* A step after a transfer is the destination's (demo_life.c). */
	const struct dunit *d = &g->u[demo_unit_on(g, c, p->date)];
	int comp;
	struct step st;
	struct violations v = { 0 };
	struct buf b = BUF_INIT, lerr = BUF_INIT;
	enum ledger_outcome out;
	enum kn_err e;

	step_init(&st);
	st.code = (enum step_code)p->code;
	st.date = p->date;
	if (p->org)
		st.org = xstrdup(p->org);
	if (p->note)
		st.note = xstrdup(p->note);
	switch (st.code) {
	case STEP_MENTOR:
		st.member = xstrdup(g->members[p->m1]);
		break;
	case STEP_TRAINED:
		buf_addf(&b, "%d-GCN/TTCT", num);
		st.doc_no = buf_detach(&b);
		break;
	case STEP_INTRODUCED:
		st.intro1 = xstrdup(g->members[p->m1]);
		st.intro1_since = p->s1;
		if (p->m2 >= 0) {
			st.intro2 = xstrdup(g->members[p->m2]);
			st.intro2_since = p->s2;
		}
		break;
	case STEP_CELL_VOTE:
	case STEP_COMMITTEE_VOTE:
	case STEP_PROBATION_VOTE:
		st.votes_for = p->vf;
		st.votes_total = p->vt;
		if (d != &g->u[c->unit]) {
			/* The destination's cell or committee voted. */
			int n = st.code == STEP_COMMITTEE_VOTE ? g->u[d->parent].committee
							       : d->nmembers;
			st.votes_for = st.votes_total = n;
		}
		if (st.code == STEP_CELL_VOTE && c->readmit) {
			/* The city standing committee's written consent. */
			buf_addf(&b, "%d-CV/TU", num);
			st.consent = buf_detach(&b);
		}
		break;
	case STEP_DECISION:
	case STEP_OFFICIAL:
		comp = deciding_unit(g, c, p, d);
		buf_addf(&b, "%d-QĐ/%s", num,
			 g->u[comp].suffix ? g->u[comp].suffix : "ĐU");
		st.doc_no = buf_detach(&b);
		st.org = xstrdup(g->u[comp].u.code);
		break;
	default:
		break;
	}
	e = ledger_step(g->l, c->ref, &st, LEDGER_WRITE, 0, &v, &lerr, &out);
	if (e != KN_OK) {
		char iso[11];
		date_format_iso(p->date, iso);
		buf_addf(g->err, _("demo: the %s step of %s on %s was refused (a bug in the generator):"),
			 step_name(st.code), c->ref, iso);
		for (size_t i = 0; i < v.n; i++)
			buf_addf(g->err, "\n  %s: %s", v.v[i].code, v.v[i].message);
		if (lerr.len)
			buf_addf(g->err, "\n  %s", lerr.s);
	} else {
		g->nsteps++;
	}
	violations_release(&v);
	buf_release(&lerr);
	step_release(&st);
	return e;
}

/*
 * The province and national sizes (issue 13): the events ev[0..n) of
 * g->c, sorted by date and without transfers, written one candidacy at a
 * time rather than in date order. Every number is taken first, in date
 * order (take_number()), so the decision and certificate numbers are
 * those of the date order; the candidacies are then taken in the order
 * of their first step, so that each is opened (its `source` written) in
 * the same order as in date order and gets the same id. A step's rules
 * read only its own person's record and the seeded members who introduce
 * and mentor (never a person the demo admits), so the same steps pass.
 * What changes is the order of the steps' rows: a step's id is no longer
 * in date order across candidacies (within one, by seq, as before).
 *
 * Why: in date order every step is another person's, so ledger_step()
 * read the person, their candidacies with every step and their
 * transfers again each time, a third of the demo. One person after
 * another, the ledger's memo keeps them, and on SQLite its deferred
 * writes (struct ledger's defer, set by demo_generate()) append each step
 * with its number and ids known and write the candidacy's stage once.
 */
static enum kn_err record_grouped(struct gen *g, const struct event *ev, size_t n,
				  struct counters *cnt)
{
	int *num = xreallocarray(NULL, n + 1, sizeof(*num));
	/* Each candidacy's events as a list through next[], in date order;
	 * order[] the candidacies by their first event. */
	size_t *next = xreallocarray(NULL, n + 1, sizeof(*next));
	size_t *head = xreallocarray(NULL, g->nc + 1, sizeof(*head));
	size_t *tail = xreallocarray(NULL, g->nc + 1, sizeof(*tail));
	int *order = xreallocarray(NULL, g->nc + 1, sizeof(*order));
	size_t norder = 0;
	enum kn_err e = KN_OK;

	for (size_t i = 0; i < g->nc; i++)
		head[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct cand *c = &g->c[ev[i].cand];
		size_t ci = (size_t)ev[i].cand;
		num[i] = take_number(g, c, &c->st[ev[i].idx], cnt);
		next[i] = SIZE_MAX;
		if (head[ci] == SIZE_MAX) {
			head[ci] = i;
			order[norder++] = ev[i].cand;
		} else {
			next[tail[ci]] = i;
		}
		tail[ci] = i;
	}
	for (size_t k = 0; k < norder && e == KN_OK; k++) {
		const struct cand *c = &g->c[order[k]];
		for (size_t i = head[order[k]]; i != SIZE_MAX && e == KN_OK; i = next[i])
			e = record(g, c, &c->st[ev[i].idx], num[i]);
	}
	/* The last candidacy's deferred stage, before the demo writes the
	 * next province's people or commits (ledger.h: ledger_flush()); the
	 * memo and the cache of this province's members are of no use to
	 * the next. On failure the caller rolls back (and forgets). */
	if (e == KN_OK && (e = ledger_flush(g->l)) != KN_OK)
		demo_store_failed(g, e);
	if (e == KN_OK)
		ledger_forget(g->l);
	free(num);
	free(next);
	free(head);
	free(tail);
	free(order);
	return e;
}

/* Record the planned steps of g->c in date order (the province and
 * national sizes: their numbers in date order, their rows one candidacy
 * at a time, record_grouped()); cnt carries the number series over from
 * earlier calls (the national demo records province by province, and
 * every series belongs to a unit inside one province). */
static enum kn_err record_all(struct gen *g, struct counters *cnt)
{
	struct event *ev;
	size_t n = 0, k = 0, transfers = 0;
	enum kn_err e = KN_OK;

	for (size_t i = 0; i < g->nc; i++)
		n += (size_t)g->c[i].n + 2;
	n += 2 * g->nmx;
	ev = xreallocarray(NULL, n + 1, sizeof(*ev));
	for (size_t i = 0; i < g->nc; i++) {
		for (int j = 0; j < g->c[i].n; j++) {
			ev[k].date = g->c[i].st[j].date;
			ev[k].cand = (int)i;
			ev[k].idx = j;
			k++;
		}
		/* issue 15: the candidate's transfer, its letter and arrival. */
		for (int j = 0; j < 2 && g->c[i].dest >= 0; j++) {
			ev[k].date = j ? g->c[i].t_in : g->c[i].t_out;
			ev[k].cand = (int)i;
			ev[k].idx = j ? EV_IN : EV_OUT;
			k += ev[k].date != KN_DATE_NONE;
		}
	}
	for (size_t i = 0; i < g->nmx; i++)
		for (int j = 0; j < 2; j++) {
			ev[k].date = j ? g->mx[i].t_in : g->mx[i].t_out;
			ev[k].cand = -(int)i - 1;
			ev[k].idx = j ? EV_IN : EV_OUT;
			k += ev[k].date != KN_DATE_NONE;
		}
	n = k;
	xqsort(ev, n, sizeof(*ev), demo_event_cmp);
	for (size_t i = 0; i < n; i++)
		transfers += ev[i].idx < 0;
	if (g->nation && !transfers && !g->date_order) {
		e = record_grouped(g, ev, n, cnt);
		free(ev);
		return e;
	}
	for (size_t i = 0; i < n && e == KN_OK; i++) {
		const struct cand *c;
		const struct pstep *p;
		if (ev[i].idx < 0) {
			e = demo_record_transfer(g, &ev[i], cnt->gt);
			continue;
		}
		c = &g->c[ev[i].cand];
		p = &c->st[ev[i].idx];
		e = record(g, c, p, take_number(g, c, p, cnt));
		if (g->progress && !g->nation)
			g->progress(_("steps"), i + 1, n);
	}
	free(ev);
	return e;
}

/* ---- quotas ---- */

enum { C_TOTAL, C_FEMALE, C_MINORITY, C_YOUTH, C_WORKER, C_NONSTATE, C_HAMLET, C__COUNT };
static const char *const cat_name[C__COUNT] = { "total", "female", "ethnic_minority", "youth",
	"worker", "nonstate_enterprise", "hamlet" };

static enum kn_err put_quota(struct gen *g, const char *unit, int year, const char *cat,
			     long long target)
{
	struct quota q;
	int changed;
	enum kn_err e;

	q.unit = (char *)unit;
	q.year = year;
	q.category = (char *)cat;
	q.target = target;
	if ((e = store_quota_put(g->s, &q, &changed)) != KN_OK)
		return demo_store_failed(g, e);
	return KN_OK;
}

/* A target the unit met: 70–100 % of what it admitted (at least 1). */
static long long met_target(struct gen *g, int admitted, int lo_pct)
{
	long long t = (long long)admitted * rng_int(&g->r, lo_pct, 100) / 100;
	return t < 1 ? 1 : t;
}

/* A target the unit missed: 10–30 % more than it admitted (at least 1). */
static long long short_target(struct gen *g, int admitted)
{
	long long t = (long long)admitted + (long long)admitted * rng_int(&g->r, 10, 30) / 100;
	return t <= admitted ? admitted + 1 : t;
}

/* Admissions by unit (each ancestor too), year and category: what the
 * quotas are set from. The national demo counts province by province,
 * before it frees each province's candidacies. */
struct admitted {
	int (*cnt)[NYEARS][C__COUNT];
	int *has;	/* the unit or one below it considered someone */
};

static void count_admissions(struct gen *g, struct admitted *a)
{
	int (*cnt)[NYEARS][C__COUNT] = a->cnt;
	int *has = a->has;

	for (size_t i = 0; i < g->nc; i++) {
		const struct cand *c = &g->c[i];
		const struct dunit *d = &g->u[c->unit];
		int y, cats[C__COUNT] = { 0 };
		for (int k = c->unit; k >= 0; k = g->u[k].parent)
			has[k] = 1;
		if (c->decision == KN_DATE_NONE)
			continue;
		y = date_year(c->decision);
		if (y < Y_FIRST || y > Y_LAST)
			continue;
		cats[C_TOTAL] = 1;
		cats[C_FEMALE] = c->sex == 'F';
		cats[C_MINORITY] = c->minority;
		cats[C_YOUTH] = date_months_between(c->birth, c->decision) < 31 * 12;
		cats[C_WORKER] = c->occ == O_WORKER;
		cats[C_NONSTATE] = d->u.sector && strcmp(d->u.sector, "nonstate_enterprise") == 0;
		cats[C_HAMLET] = d->u.sector && strcmp(d->u.sector, "hamlet") == 0;
		for (int k = c->unit; k >= 0; k = g->u[k].parent)
			for (int j = 0; j < C__COUNT; j++)
				cnt[k][y - Y_FIRST][j] += cats[j];
	}
}

static enum kn_err add_quotas(struct gen *g, struct admitted *ad)
{
	int (*cnt)[NYEARS][C__COUNT] = ad->cnt;
	int *has = ad->has;
	enum kn_err e = KN_OK;

	for (size_t i = 0; i < g->nu && e == KN_OK; i++) {
		const struct dunit *d = &g->u[i];
		int upper = d->u.kind == UNIT_UPPER, root = d->u.kind == UNIT_PROVINCE;
		int district = upper && d->suffix && (strcmp(d->suffix, "QU") == 0 ||
						      strcmp(d->suffix, "HU") == 0);
		int enterprises = upper && strcmp(d->u.code, "CT.DN") == 0;
		if (!has[i] && !upper && !root)
			continue;
		for (int y = 0; y < NYEARS && e == KN_OK; y++) {
			int *a = cnt[i][y];
			long long t;
			/* total: the city well over its plan (the seed report's
			 * 127,1 %), most units met, some not. */
			if (root)
				t = (long long)a[C_TOTAL] * 1000 / rng_int(&g->r, 1080, 1300);
			else if (rng_chance(&g->r, upper ? 150 : 220))
				t = short_target(g, a[C_TOTAL]);
			else
				t = met_target(g, a[C_TOTAL], upper ? 72 : 65);
			if (t < 1)
				t = 1;
			e = put_quota(g, d->u.code, Y_FIRST + y, "total", t);
			if (!root && !upper)
				continue;
			for (int j = C_FEMALE; j < C__COUNT && e == KN_OK; j++) {
				int shortfall;
				if (j == C_HAMLET && !root && !district)
					continue;
				if (j == C_MINORITY && !root && !(district && d->khmer >= 30))
					continue;
				if ((j == C_WORKER || j == C_NONSTATE) && !root && !enterprises &&
				    !district)
					continue;
				/* The groups the report says fell short. */
				if (root)
					shortfall = j == C_WORKER || j == C_NONSTATE ||
						    j == C_MINORITY ||
						    (j == C_HAMLET && Y_FIRST + y < Y_LAST);
				else if (j == C_FEMALE || j == C_YOUTH)
					shortfall = rng_chance(&g->r, 150);
				else
					shortfall = rng_chance(&g->r, 500);
				if (!shortfall && a[j] == 0)
					continue;
				t = shortfall ? short_target(g, a[j]) : met_target(g, a[j], 75);
				e = put_quota(g, d->u.code, Y_FIRST + y, cat_name[j], t);
			}
		}
		if (g->progress)
			g->progress(_("quotas"), i + 1, g->nu);
	}
	return e;
}

/* ---- entry ---- */

static void gen_release(struct gen *g)
{
	for (size_t i = 0; i < g->nu; i++)
		unit_release(&g->u[i].u);
	free(g->u);
	free(g->members);
	free(g->c);
	free(g->mx);
	free(g->seen);
	buf_release(&g->nb);
	buf_release(&g->fb);
}

/* Write the units of g->u, reload the ledger's tree and check that it
 * sees the same competent committees and chi bộ cơ sở as the plan. */
static enum kn_err put_units(struct gen *g)
{
	enum kn_err e;

	for (size_t i = 0; i < g->nu; i++) {
		int changed;
		if ((e = store_unit_put(g->s, &g->u[i].u, &changed)) != KN_OK)
			return demo_store_failed(g, e);
		if (g->progress)
			g->progress(_("units"), i + 1, g->nu);
	}
	if ((e = ledger_reload_units(g->l)) != KN_OK)
		return demo_store_failed(g, e);
	for (size_t i = 0; i < g->nu; i++) {
		struct unode *n, *comp;
		if (!g->u[i].considering)
			continue;
		n = unitree_find(&g->l->tree, g->u[i].u.code);
		comp = n ? unitree_competent(n) : NULL;
		if (!comp || g->u[i].competent < 0 ||
		    strcmp(comp->u.code, g->u[g->u[i].competent].u.code) != 0 ||
		    unitree_is_basic_cell(n) != g->u[i].basic) {
			buf_addf(g->err, "demo: unit %s: the plan and the unit tree disagree",
				 g->u[i].u.code);
			return KN_EINVAL;
		}
	}
	return KN_OK;
}

/* Plan and write ncand candidacies into g->c (which it allocates; g->nc
 * counts them) among the considering units of g->u[from .. to-1], drawn
 * by weight, their sources spread evenly over first .. last. */
static enum kn_err plan_candidacies(struct gen *g, size_t from, size_t to, size_t ncand,
				    kn_date first, kn_date last)
{
	int *pick = NULL;
	size_t npick = 0, cap = 0;
	enum kn_err e = KN_OK;

	for (size_t i = from; i < to; i++) {
		/* The small demo spreads its few candidacies evenly. */
		int w = !g->u[i].considering ? 0 : g->small ? 1 : demo_profiles[g->u[i].prof].weight;
		for (int k = 0; k < w; k++) {
			if (npick == cap) {
				cap = cap ? cap * 2 : 4096;
				pick = xreallocarray(pick, cap, sizeof(*pick));
			}
			pick[npick++] = (int)i;
		}
	}
	/* Room for the re-admissions too (below). */
	g->c = xcalloc(ncand + DEMO_READMIT_MAX + 1, sizeof(*g->c));
	g->nc = 0;
	for (size_t i = 0; i < ncand && npick > 0; i++) {
		int unit = pick[rng_int(&g->r, 0, (int)npick - 1)];
		kn_date source = demo_next_workday(g, first + rng_int(&g->r, 0, (int)(last - first)));
		demo_plan_candidacy(g, &g->c[i], unit, source);
		g->nc++;
		if ((e = demo_put_candidate(g, &g->c[i])) != KN_OK)
			break;
		if (g->progress && !g->nation)
			g->progress(_("candidates"), i + 1, ncand);
	}
	/* issue 15: a handful of former members considered again, sourced
	 * in 2023–2024 so that their decisions fall in the report years,
	 * drawn from the second generator and planned after the others, so
	 * that a seed's other candidacies and refs stay what they were. The
	 * national sizes have none. */
	for (int k = 0; e == KN_OK && !g->nation && npick > 0 && k < (g->small ? 2 : DEMO_READMIT_MAX);
	     k++) {
		struct rng keep = g->r;
		int unit = pick[rng_int(&g->r2, 0, (int)npick - 1)];
		kn_date source = demo_next_workday(
			g, date_from_ymd(2023, 1, 2) + rng_int(&g->r2, 0, 660));
		g->r = g->r2;
		g->readmit_next = 1;
		demo_plan_candidacy(g, &g->c[g->nc], unit, source);
		g->readmit_next = 0;
		g->r2 = g->r;
		demo_plan_readmission(g, &g->c[g->nc], source);
		g->r = g->r2;
		e = demo_put_candidate(g, &g->c[g->nc]);
		g->nc++;
		g->r2 = g->r;
		g->r = keep;
	}
	free(pick);
	return e;
}

/* The small and city sizes: one city, planned whole, then recorded. */
static enum kn_err generate(struct gen *g, size_t ncand, kn_date first, kn_date last,
			    size_t *ncands)
{
	struct counters cnt;
	struct admitted ad;
	enum kn_err e;

	demo_build_units(g);
	if ((e = put_units(g)) != KN_OK)
		return e;
	if ((e = demo_add_members(g, 0, g->nu)) != KN_OK)
		return e;
	if ((e = plan_candidacies(g, 0, g->nu, ncand, first, last)) != KN_OK)
		return e;
	*ncands = g->nc;
	demo_plan_transfers(g);
	memset(&cnt, 0, sizeof(cnt));
	cnt.cert = xcalloc(g->nu, sizeof(*cnt.cert));
	cnt.dec = xcalloc(g->nu, sizeof(*cnt.dec));
	cnt.gt = xcalloc(g->nu, sizeof(*cnt.gt));
	e = record_all(g, &cnt);
	free(cnt.cert);
	free(cnt.dec);
	free(cnt.gt);
	if (e == KN_OK)
		e = demo_plant_duplicates(g);
	if (e != KN_OK)
		return e;
	ad.cnt = xcalloc(g->nu, sizeof(*ad.cnt));
	ad.has = xcalloc(g->nu, sizeof(*ad.has));
	count_admissions(g, &ad);
	e = add_quotas(g, &ad);
	free(ad.cnt);
	free(ad.has);
	return e;
}

/*
 * The national and province sizes: the whole unit tree first (the ledger
 * needs it, and it is small beside the people: 330,000 units for 6.5
 * million people), then one province at a time — its members, the plan
 * of its candidacies, their steps recorded in date order, its admissions
 * counted for the quotas — and the province's people and plan freed
 * before the next. Memory is one province's plan, whatever the nation's
 * size. Introducers and mentors are members of the candidate's own cell
 * and every number series belongs to a unit of one province, so the
 * provinces need not interleave their dates. About 2.9 candidacies per
 * considering unit over the five years (some 780,000 nationally, 200,000
 * admissions a year as PRODUCT.md says).
 */
static enum kn_err generate_nation(struct gen *g, int nprov, kn_date first, kn_date last,
				   size_t *ncands)
{
	int prov[DEMO_MAXPROV + 1], np = 0;
	struct counters cnt;
	struct admitted ad;
	enum kn_err e;

	demo_build_nation(g, nprov, prov, &np);
	if ((e = put_units(g)) != KN_OK)
		return e;
	memset(&cnt, 0, sizeof(cnt));
	cnt.cert = xcalloc(g->nu, sizeof(*cnt.cert));
	cnt.dec = xcalloc(g->nu, sizeof(*cnt.dec));
	ad.cnt = xcalloc(g->nu, sizeof(*ad.cnt));
	ad.has = xcalloc(g->nu, sizeof(*ad.has));
	*ncands = 0;
	for (int k = 0; k < np && e == KN_OK; k++) {
		size_t from = (size_t)prov[k], to = (size_t)prov[k + 1], nconsider = 0;
		/* Refs start with the province's own number; the serial, with
		 * the members, restarts in each province. */
		g->ref_prov = nprov ? k + 1 : 79;
		g->serial = 0;
		/* Namesakes are kept apart within a province (issue 15): the
		 * set of one province at a time, as the rest of its plan. */
		if (g->seen)
			memset(g->seen, 0, g->capseen * sizeof(*g->seen));
		g->nseen = 0;
		g->nm = 0;
		for (size_t i = from; i < to; i++)
			nconsider += g->u[i].considering;
		if ((e = demo_add_members(g, from, to)) == KN_OK &&
		    (e = plan_candidacies(g, from, to, nconsider * 29 / 10, first, last)) == KN_OK)
			e = record_all(g, &cnt);
		if (e == KN_OK)
			count_admissions(g, &ad);
		*ncands += g->nc;
		free(g->c);
		g->c = NULL;
		g->nc = 0;
		if (g->progress)
			g->progress(_("provinces"), (size_t)k + 1, (size_t)np);
	}
	free(cnt.cert);
	free(cnt.dec);
	if (e == KN_OK)
		e = add_quotas(g, &ad);
	free(ad.cnt);
	free(ad.has);
	return e;
}

int demo_size_known(const char *size)
{
	return size && (strcmp(size, "small") == 0 || strcmp(size, "city") == 0 ||
			strcmp(size, "province") == 0 || strcmp(size, "national") == 0);
}

enum kn_err demo_generate(struct store *s, struct ledger *l, const char *size,
			  unsigned long seed, void (*progress)(const char *, size_t, size_t),
			  struct demo_stats *stats, struct buf *err)
{
	struct gen g;
	struct unit *have;
	size_t nhave, ncand, ncands = 0;
	kn_date saved_today = l->today;
	int saved_bulk = l->bulk, saved_defer = l->defer;
	enum kn_err e;
	struct buf what = BUF_INIT;

	if (!demo_size_known(size)) {
		buf_addf(err, _("unknown demo size '%s'; use small, city, province or national"),
			 size ? size : "");
		return KN_EINVAL;
	}
	if ((e = store_unit_all(s, &have, &nhave)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	}
	store_units_free(have, nhave);
	if (nhave > 0) {
		buf_addf(err, _("the database already has %zu units; the demo needs an empty database "
				"(name a new file with --db)"), nhave);
		return KN_EINVAL;
	}

	memset(&g, 0, sizeof(g));
	g.r.s = (uint64_t)seed * 0x2545f4914f6cdd1dULL + 0x6b43a9b5u;
	g.r2.s = (uint64_t)seed * 0x9e3779b97f4a7c15ULL + 0x15a1b2c3u;
	g.s = s;
	g.l = l;
	g.err = err;
	g.progress = progress;
	g.today = demo_today();
	g.small = strcmp(size, "small") == 0;
	g.nation = strcmp(size, "national") == 0 || strcmp(size, "province") == 0;
	g.date_order = getenv("KETNAP_DEMO_DATE_ORDER") != NULL;
	buf_init(&g.nb);
	buf_init(&g.fb);
	/* About 2,500 candidacies a year in the city from late 2020 (those
	 * still in probation in 2022) to a month before the demo's today. */
	ncand = g.small ? 60 : 12800;
	l->today = g.today;
	/* The demo audits itself in one entry below, not step by step. */
	l->bulk = 1;
	/* The province and national sizes write one candidacy's steps after
	 * another (record_grouped()): on SQLite, through the ledger's
	 * deferred writes, as the steps import does (PostgreSQL's bulk load
	 * holds a person's stage moves back by itself, store_pg.c). */
	l->defer = g.nation && !g.date_order && strcmp(store_backend(s), "SQLite") == 0;

	if ((e = store_begin(s)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	/* Millions of rows into indexes far bigger than a default page
	 * cache: the store's bulk settings keep what the ledger reads in
	 * memory (the whole demo then stays well under its 1 GB), and the
	 * indexes it does not read (the steps' dates, the people's names,
	 * the candidacies' units) are built once, from the finished tables,
	 * before the commit: inserted row by row they were random writes
	 * into b-trees of millions of entries. Inside the transaction, so
	 * that a kill -9 leaves the empty database with every index. The
	 * date-order baseline (KETNAP_DEMO_DATE_ORDER) keeps them as before. */
	if (g.nation && (e = store_bulk_begin(s, g.date_order ? 0 : STORE_BULK_FILL)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		store_rollback(s);
		goto out;
	}
	if (g.nation)
		e = generate_nation(&g, strcmp(size, "national") == 0 ? 63 : 0,
				    date_from_ymd(2020, 10, 1), date_from_ymd(2025, 11, 20), &ncands);
	else
		e = generate(&g, ncand, date_from_ymd(2020, 10, 1), date_from_ymd(2025, 11, 20),
			     &ncands);
	if (e == KN_OK) {
		buf_addf(&what, "size=%s seed=%lu units=%zu people=%zu candidacies=%zu steps=%zu",
			 size, seed, g.nu, g.npeople, ncands, g.nsteps);
		if (!g.nation)
			buf_addf(&what, " transfers=%zu readmissions=%zu duplicates=%zu",
				 g.ntransfers, g.nreadmit, g.ndup);
		if ((e = store_audit(s, l->actor, "demo", "database", size, NULL, what.s)) != KN_OK)
			buf_addf(err, "%s", store_errmsg(s));
	}
	if (e == KN_OK && g.nation && (e = store_bulk_end(s)) != KN_OK)
		buf_addf(err, "%s", store_errmsg(s));
	if (e == KN_OK) {
		if ((e = store_commit(s)) != KN_OK)
			buf_addf(err, "%s", store_errmsg(s));
	} else {
		store_rollback(s);
	}
	/* Nothing deferred may outlive the transaction (rolled back, or
	 * flushed by record_grouped() before the commit). */
	ledger_forget(l);
	if (e == KN_OK && stats) {
		stats->units = g.nu;
		stats->people = g.npeople;
		stats->candidacies = ncands;
		stats->steps = g.nsteps;
	}
out:
	l->today = saved_today;
	l->bulk = saved_bulk;
	l->defer = saved_defer;
	if (e != KN_OK)
		ledger_reload_units(l);
	buf_release(&what);
	gen_release(&g);
	return e;
}
