/*
 * report_summary.c — the ranking report (units of one level by percent of
 * their quota, FORMATS.md) and the summary: the paragraph a commission
 * reads out, built from the same figures as the other reports (the
 * achievement, the structure categories, the ranking and the deadlines),
 * so that it never says what a table does not show.
 */
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/queue.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/unitree.h"
#include "core/verify.h"
#include "store/store.h"
#include "store/store_report.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "core/report_impl.h"
#include "util/banned.h"


/* Plural nouns for the summary: "admissions in non-state enterprises". */
static const char *const cat_phrases[CAT__COUNT] = {
	N_("everyone"), N_("women"), N_("ethnic minority people"), N_("religious followers"),
	N_("young people aged 30 or under"), N_("members of the Youth Union"),
	N_("workers in direct production"), N_("farmers"), N_("students"), N_("civil servants"),
	N_("workers of non-state enterprises"), N_("people in hamlets and residential areas"),
	N_("people with higher education"), N_("re-admitted former members"),
};

static const struct rcol ranking_cols[] = {
	{ "rank", N_("rank"), RC_INT, 0 },
	{ "unit", N_("unit"), RC_CODE, 0 },
	{ "name", N_("name"), RC_TEXT, 0 },
	{ "quota", N_("quota"), RC_INT, 0 },
	{ "admitted", N_("admitted"), RC_INT, 0 },
	{ "percent", N_("% of quota"), RC_PERCENT, 0 },
};

struct rank_row {
	const struct unode *n;
	long long quota, admitted, pct;
};

static int rank_cmp(const void *x, const void *y)
{
	const struct rank_row *a = x, *b = y;
	if (a->pct != b->pct)
		return a->pct > b->pct ? -1 : 1;
	if (a->admitted != b->admitted)
		return a->admitted > b->admitted ? -1 : 1;
	return strcmp(a->n->u.code, b->n->u.code);
}

/* The descendants of c->top exactly `level` levels down that have a
 * quota, ranked. *out is a heap array. */
static size_t ranked(const struct ctx *c, int level, struct rank_row **out)
{
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < c->nsub; i++) {
		const struct unode *u = c->sub[i];
		if (u->depth - c->top->depth != level)
			continue;
		long long q = report_quota_of(c, u, CAT_TOTAL);
		if (q < 0)
			continue;
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		struct rank_row *r = &(*out)[n++];
		r->n = u;
		r->quota = q;
		r->admitted = report_admitted(c, u);
		r->pct = q > 0 ? text_percent_tenths(r->admitted, q) : -1;
	}
	xqsort(*out, n, sizeof(**out), rank_cmp);
	return n;
}

struct report *report_build_ranking(const struct ctx *c)
{
	struct report *r = report_new(REPORT_RANKING, ranking_cols, 6, c);
	struct rank_row *rr;
	size_t n = ranked(c, c->o->level, &rr);
	report_set_title(r, _("Ranking of units by percent of quota"), c);
	for (size_t i = 0; i < n; i++) {
		size_t row = report_add_row(r);
		/* Equal percent and admitted share a rank (1, 2, 2, 4). */
		long long rank = (long long)i + 1;
		if (i > 0 && rr[i].pct == rr[i - 1].pct && rr[i].admitted == rr[i - 1].admitted)
			rank = report_cell(r, row - 1, 0)->num;
		report_set_num(r, row, 0, rank, 0);
		report_set_text(r, row, 1, rr[i].n->u.code);
		report_set_text(r, row, 2, rr[i].n->u.name);
		report_set_num(r, row, 3, rr[i].quota, 0);
		report_set_num(r, row, 4, rr[i].admitted, 0);
		report_set_num(r, row, 5, rr[i].pct, rr[i].pct < 0);
	}
	free(rr);
	return r;
}

/* ---- the summary paragraph ---- */

static const char *kind_plural(enum unit_kind k)
{
	switch (k) {
	case UNIT_UPPER: return _("party organisations directly under it");
	case UNIT_GRASSROOTS: return _("grassroots party organisations");
	case UNIT_CELL: return _("cells");
	default: return _("units");
	}
}

/* issue 15: the mass organisations (the first five of label_orgs: not
 * the party cell, not "other") as a sentence names them. */
static const char *const mass_org_phrases[] = {
	N_("the Youth Union"), N_("the Trade Union"), N_("the Women's Union"),
	N_("the Farmers' Union"), N_("the Veterans' Association"),
};
#define NMASS (sizeof(mass_org_phrases) / sizeof(*mass_org_phrases))

/* " The Youth Union and the Trade Union nominated 47 of the 120 members
 * admitted.": the one or two mass organisations that nominated the most
 * of the period's admissions (ties: in the order of the sources report),
 * appended to p; nothing when no admission came from one. */
static enum kn_err sources_sentence(const struct ctx *c, long long admitted_total, struct buf *p,
				    struct buf *err)
{
	long long sourced[STORE_NORGS], admitted[STORE_NORGS];
	size_t top[2] = { NMASS, NMASS };
	enum kn_err e;

	if (admitted_total <= 0)
		return KN_OK;
	/* Read with the categories (report.c), else now. */
	if (c->adm_org_read)
		memcpy(admitted, c->adm_org, sizeof(admitted));
	else if ((e = report_source_counts(c, sourced, admitted, err)) != KN_OK)
		return e;
	for (size_t i = 0; i < NMASS; i++) {
		if (admitted[i] <= 0)
			continue;
		if (top[0] == NMASS || admitted[i] > admitted[top[0]]) {
			top[1] = top[0];
			top[0] = i;
		} else if (top[1] == NMASS || admitted[i] > admitted[top[1]]) {
			top[1] = i;
		}
	}
	if (top[0] == NMASS)
		return KN_OK;
	struct buf n = BUF_INIT, m = BUF_INIT, s = BUF_INIT;
	long long by = admitted[top[0]] + (top[1] < NMASS ? admitted[top[1]] : 0);
	text_int(&n, by);
	text_int(&m, admitted_total);
	if (top[1] < NMASS)
		buf_addf(&s, _(" %s and %s nominated %s of the %s members admitted."),
			 _(mass_org_phrases[top[0]]), _(mass_org_phrases[top[1]]), n.s, m.s);
	else
		buf_addf(&s, _(" %s nominated %s of the %s members admitted."),
			 _(mass_org_phrases[top[0]]), n.s, m.s);
	/* The sentence starts with the organisation's name: capitalise it
	 * ("the" in English; Vietnamese names are capitalised already). */
	if (s.len > 1 && s.s[1] >= 'a' && s.s[1] <= 'z')
		s.s[1] = (char)(s.s[1] - 'a' + 'A');
	buf_adds(p, s.s);
	buf_release(&n);
	buf_release(&m);
	buf_release(&s);
	return KN_OK;
}

/* ---- the dossiers waiting, at the only root (issue 13) ---- */

struct wait_acc {
	const struct ctx *c;
	struct policy pol;
	long long waiting, overdue;
};

static int wait_one(void *arg, const struct step *steps, size_t nsteps, kn_date extended,
		    int basic)
{
	struct wait_acc *w = arg;
	struct queue_dossier qd;
	if (queue_waiting_basic(basic, steps, nsteps, extended, w->c->as_of, &w->pol, w->c->cal,
				&qd)) {
		w->waiting++;
		w->overdue += queue_overdue(&qd);
	}
	return 0;
}

/* report_collect_waiting's figures for the only root (c->scope NULL):
 * every dossier's owner is inside it, so of a dossier's unit only
 * whether it is a chi bộ cơ sở counts, which the store says beside the
 * steps; no tree of every unit. */
static enum kn_err waiting_root(const struct ctx *c, long long *waiting, long long *overdue,
				struct buf *err)
{
	struct wait_acc w;
	enum kn_err e;

	memset(&w, 0, sizeof(w));
	w.c = c;
	if ((e = report_policy_at(c, &w.pol, err)) != KN_OK)
		return e;
	if ((e = store_report_waiting_root(c->s, c->as_of, wait_one, &w)) != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	*waiting = w.waiting;
	*overdue = w.overdue;
	return e;
}

/* The dossiers waiting for the competent committee in the subtree. */
static enum kn_err summary_waiting(const struct ctx *c, long long *waiting, long long *overdue,
				   struct buf *err)
{
	struct unitree whole;
	struct ctx wc;
	struct dl_acc dl;
	enum kn_err e;

	if (!c->scope)
		return waiting_root(c, waiting, overdue, err);
	/* Their units are anywhere in the subtree. */
	memset(&dl, 0, sizeof(dl));	/* released below whatever fails */
	if ((e = report_whole_tree(c, &whole, &wc, err)) == KN_OK)
		e = report_collect_waiting(&wc, &dl, err);
	*waiting = dl.waiting;
	*overdue = dl.waiting_overdue;
	report_dl_release(&dl);
	unitree_free(&whole);
	return e;
}

enum kn_err report_build_summary(const struct ctx *c, struct report **out, struct buf *err)
{
	struct report *r = report_new(REPORT_SUMMARY, NULL, 0, c);
	struct buf p = BUF_INIT, num = BUF_INIT;
	const long long *adm = c->adm_top;
	long long q = report_quota_of(c, c->top, CAT_TOTAL);
	enum kn_err e;

	report_set_title(r, _("Summary of the admission of new members"), c);

	/* "In 2011, Đảng bộ thành phố Cần Thơ admitted 2.669 new members,
	 * 127,1% of the quota of 2.100." */
	struct buf period = BUF_INIT;
	report_period_words(c->o, &period);
	text_int(&num, adm[CAT_TOTAL]);
	/* Capitalise the period's first letter at the start of the sentence. */
	if (period.len && period.s[0] >= 'a' && period.s[0] <= 'z')
		period.s[0] = (char)(period.s[0] - 'a' + 'A');
	buf_addf(&p, _("%s, %s admitted %s new members"), period.s, c->top->u.name, num.s);
	buf_release(&period);
	if (q > 0) {
		struct buf pct = BUF_INIT, qs = BUF_INIT;
		text_tenths(&pct, text_percent_tenths(adm[CAT_TOTAL], q));
		text_int(&qs, q);
		buf_addf(&p, _(", %s%% of the quota of %s"), pct.s, qs.s);
		buf_release(&pct);
		buf_release(&qs);
	}
	buf_adds(&p, ".");

	/* "9/9 party organisations directly under it met their quota." Units
	 * one level down with a quota, grouped by kind. */
	for (int k = UNIT_PROVINCE; k <= UNIT_CELL; k++) {
		long long with = 0, met = 0;
		for (size_t i = 0; i < c->top->nchildren; i++) {
			const struct unode *ch = c->top->children[i];
			long long cq = report_quota_of(c, ch, CAT_TOTAL);
			if ((int)ch->u.kind != k || cq < 0)
				continue;
			with++;
			met += report_admitted(c, ch) >= cq;
		}
		if (with)
			buf_addf(&p, _(" %lld/%lld %s met their quota."), met, with,
				 kind_plural((enum unit_kind)k));
	}

	/* The best units, for the awards. */
	struct rank_row *rr;
	size_t nr = ranked(c, 1, &rr);
	size_t best = 0;
	for (size_t i = 0; i < nr && best < 3; i++)
		if (rr[i].pct >= 1000)
			best++;
	if (best) {
		buf_adds(&p, " ");
		buf_adds(&p, best == 1 ? _("The best result:") : _("The best results:"));
		for (size_t i = 0; i < best; i++) {
			struct buf a = BUF_INIT, pc = BUF_INIT;
			text_int(&a, rr[i].admitted);
			text_tenths(&pc, rr[i].pct);
			buf_addf(&p, _("%s %s (%s, %s%%)"), i ? ";" : "", rr[i].n->u.name, a.s, pc.s);
			buf_release(&a);
			buf_release(&pc);
		}
		buf_adds(&p, ".");
	}
	free(rr);

	/* The structure targets that fell short. */
	int nshort = 0;
	struct buf sh = BUF_INIT;
	for (int k = 1; k < CAT__COUNT; k++) {
		long long cq = report_quota_of(c, c->top, (enum category)k);
		if (cq <= 0 || adm[k] >= cq)
			continue;
		struct buf a = BUF_INIT, b = BUF_INIT;
		text_int(&a, adm[k]);
		text_int(&b, cq);
		buf_addf(&sh, "%s%s (%s/%s)", nshort ? ", " : "", _(cat_phrases[k]), a.s, b.s);
		buf_release(&a);
		buf_release(&b);
		nshort++;
	}
	if (nshort)
		buf_addf(&p, _(" The admission of %s fell short of the target."), sh.s);
	else if (c->quota_year)
		buf_adds(&p, _(" Every structure target that was set has been met."));
	buf_release(&sh);

	/* Who nominated the members admitted (issue 15). */
	if ((e = sources_sentence(c, adm[CAT_TOTAL], &p, err)) != KN_OK) {
		buf_release(&p);
		buf_release(&num);
		report_free(r);
		return e;
	}

	/* Dossiers waiting for the competent committee. */
	long long waiting, overdue;
	if ((e = summary_waiting(c, &waiting, &overdue, err)) != KN_OK) {
		buf_release(&p);
		buf_release(&num);
		report_free(r);
		return e;
	}
	if (waiting) {
		struct buf w = BUF_INIT;
		text_int(&w, waiting);
		buf_addf(&p, ngettext(" %s complete dossier is waiting for the competent committee's decision",
				      " %s complete dossiers are waiting for the competent committee's decision",
				      (unsigned long)waiting), w.s);
		if (overdue) {
			buf_reset(&w);
			text_int(&w, overdue);
			buf_addf(&p, _(", %s of them past the deadline"), w.s);
		}
		buf_adds(&p, ".");
		buf_release(&w);
	} else {
		buf_adds(&p, _(" No dossier is waiting for a decision."));
	}
	r->waiting = waiting;
	r->waiting_overdue = overdue;
	buf_release(&num);
	r->summary = buf_detach(&p);
	*out = r;
	return KN_OK;
}
