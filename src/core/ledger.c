/*
 * ledger.c — see ledger.h. Gathers the facts of RULES.md for one step,
 * runs the rule table, and writes the step, the candidacy's derived stage
 * and the audit entry in one transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/transfer.h"
#include "core/readmit.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum kn_err ledger_open(struct ledger *l, struct store *s, struct calendar *cal,
			const char *actor, struct buf *err)
{
	return ledger_open_tree(l, s, cal, actor, NULL, err);
}

enum kn_err ledger_open_tree(struct ledger *l, struct store *s, struct calendar *cal,
			     const char *actor, const struct unitree *tree, struct buf *err)
{
	enum kn_err e;

	memset(l, 0, sizeof(*l));
	l->store = s;
	l->cal = cal;
	l->actor = actor;
	l->today = date_today();
	l->expect_version = -1;
	if (tree) {
		l->tree = *tree;
		l->tree_borrowed = 1;
	} else if ((e = ledger_reload_units(l)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	}
	if ((e = store_policy_all(s, &l->policy, &l->npolicy)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	}
	return KN_OK;
}

/* struct ledger's memo: the person of ref as read within actor_unit's
 * scope, with their candidacies and steps as a re-read would return them
 * (but recorded_at, which the store stamps and nothing judges, is NULL on
 * a step the memo appended). */
struct ledger_memo {
	char *ref;
	const char *actor_unit;
	struct person p;
	struct candidacy *c;
	size_t nc;
	/* issue 15: the person's transfers (steps are judged by the unit of
	 * their date), which no step changes. */
	struct transfer *tr;
	size_t ntr;
	/* The version of candidacy vid as this transaction left it (a
	 * step written with the version read, then one more), or -1:
	 * read it (after a source step, whose new row's version is the
	 * database's default). */
	int64_t vid, version;
};

static void memo_drop(struct ledger *l)
{
	struct ledger_memo *m = l->memo;
	if (!m)
		return;
	free(m->ref);
	person_release(&m->p);
	store_candidacies_free(m->c, m->nc);
	transfers_free(m->tr, m->ntr);
	free(m);
	l->memo = NULL;
}

/* Forget the deferred candidacy (struct ledger's pend_*), written or not. */
static void pend_drop(struct ledger *l)
{
	l->pend_cid = l->pend_seq = l->pend_n = 0;
	l->pend_stage = STEP_NONE;
	l->pend_open = 0;
	for (int i = 0; i < CDATE_NDATES; i++)
		l->pend_dates[i] = KN_DATE_NONE;
}

/*
 * struct ledger's pcache (issue 13): a national steps file names an
 * introducer or mentor some five times over (46,539 introducer refs of
 * 10,115 people in the city ×10), each a read of the person and, for an
 * introducer, of their candidacies and steps. Kept by ref, chained, and
 * emptied whole past PCACHE_MAX people (some 300 bytes each). An entry
 * is exactly what ledger_person_get() and ledger_membership() would give
 * again as long as no step is written for that person (ledger_step()
 * drops the entry before it writes one: the steps, the candidacy and
 * what readmit_write() changes are that person's), since in defer mode
 * every write of the transaction goes through ledger_step(); a miss
 * (unknown, merged away, out of scope) is not kept.
 */
#define PCACHE_BUCKETS 16384
#define PCACHE_MAX 65536

struct pcache_ent {
	struct pcache_ent *next;
	struct person p;
	int has_m;		/* ms, os: ledger_membership()'s dates, known */
	kn_date ms, os;
};

struct ledger_pcache {
	struct pcache_ent *b[PCACHE_BUCKETS];
	size_t n;
	const char *actor_unit;	/* the scope the entries were read in */
};

static size_t pc_hash(const char *ref)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (const unsigned char *c = (const unsigned char *)ref; *c; c++)
		h = (h ^ *c) * 16777619u;
	return h % PCACHE_BUCKETS;
}

static void pcache_clear(struct ledger *l)
{
	struct ledger_pcache *c = l->pcache;
	if (!c)
		return;
	for (size_t i = 0; i < PCACHE_BUCKETS; i++)
		while (c->b[i]) {
			struct pcache_ent *e = c->b[i];
			c->b[i] = e->next;
			person_release(&e->p);
			free(e);
		}
	free(c);
	l->pcache = NULL;
}

static void pcache_drop(struct ledger *l, const char *ref)
{
	struct ledger_pcache *c = l->pcache;
	if (!c || !ref)
		return;
	for (struct pcache_ent **at = &c->b[pc_hash(ref)]; *at; at = &(*at)->next)
		if (strcmp((*at)->p.ref, ref) == 0) {
			struct pcache_ent *e = *at;
			*at = e->next;
			person_release(&e->p);
			free(e);
			c->n--;
			return;
		}
}

/*
 * struct ledger's ahead (issue 13): on PostgreSQL each read is a round
 * trip, and a steps import read some three for each person (the person,
 * their candidacies with steps, their transfers) besides those of the
 * people their steps name, while its writes went ahead without waiting.
 * ledger_read_ahead() reads them for a batch of people in four statements;
 * a record is what those reads would give as long as no step is written
 * for that person, which holds for a bulk writer in defer mode (every
 * write of its transaction goes through ledger_step(), which takes a
 * person's record before it writes for them and drops it, as the people
 * cache's entry, before it writes). Records sorted by ref; one taken or
 * dropped keeps only its ref (gone set).
 */
struct ledger_ahead {
	struct person_record *r;
	size_t n;
	unsigned char *gone;
};

static void ahead_clear(struct ledger *l)
{
	if (!l->ahead)
		return;
	person_records_free(l->ahead->r, l->ahead->n);
	free(l->ahead->gone);
	free(l->ahead);
	l->ahead = NULL;
}

static int ahead_cmp(const void *key, const void *item)
{
	const struct person_record *x = item;
	return strcmp(key, x->p.ref ? x->p.ref : "");
}

/* The record of ref read ahead and still good, or NULL. */
static struct person_record *ahead_find(struct ledger *l, const char *ref)
{
	struct person_record *x;
	if (!l->ahead || !l->ahead->n || !ref || !l->defer || !l->bulk)
		return NULL;
	x = bsearch(ref, l->ahead->r, l->ahead->n, sizeof(*x), ahead_cmp);
	return x && !l->ahead->gone[x - l->ahead->r] ? x : NULL;
}

/* Record x no longer stands for its person: emptied but for its ref
 * (the caller took what it wanted first). */
static void ahead_gone(struct ledger *l, struct person_record *x)
{
	char *ref = x->p.ref;
	x->p.ref = NULL;
	person_release(&x->p);
	memset(&x->p, 0, sizeof(x->p));
	x->p.ref = ref;
	store_candidacies_free(x->c, x->nc);
	transfers_free(x->tr, x->ntr);
	x->c = NULL;
	x->tr = NULL;
	x->nc = x->ntr = 0;
	l->ahead->gone[x - l->ahead->r] = 1;
}

/* A step is about to be written for ref: its record is stale from now. */
static void ahead_drop(struct ledger *l, const char *ref)
{
	struct person_record *x = ahead_find(l, ref);
	if (x)
		ahead_gone(l, x);
}

/* Whether the acting user may know person p (ledger_person_get()). */
static int person_in_scope(struct ledger *l, const struct person *p)
{
	struct unode *scope, *n;
	if (!l->actor_unit)
		return 1;
	scope = unitree_find(&l->tree, l->actor_unit);
	n = p->unit ? unitree_find(&l->tree, p->unit) : NULL;
	return scope && n && unitree_within(n, scope);
}

/* ledger_person_get() through the cache when l->defer is set: out is the
 * caller's to person_release() either way; *ent the entry (NULL when not
 * kept), whose membership dates the caller may fill in. */
static enum kn_err person_cached(struct ledger *l, const char *ref, struct person *out,
				 struct pcache_ent **ent)
{
	struct ledger_pcache *c;
	struct pcache_ent *e;
	struct person_record *x;
	enum kn_err err;
	size_t h;

	*ent = NULL;
	if (!l->defer || !l->bulk)
		return ledger_person_get(l, ref, out);
	if (l->pcache && l->pcache->actor_unit != l->actor_unit)
		pcache_clear(l);
	h = pc_hash(ref);
	if (l->pcache)
		for (e = l->pcache->b[h]; e; e = e->next)
			if (strcmp(e->p.ref, ref) == 0) {
				person_copy(out, &e->p);
				*ent = e;
				return KN_OK;
			}
	if ((x = ahead_find(l, ref)) != NULL) {
		/* Read ahead: as ledger_person_get() would give it. */
		person_copy(out, &x->p);
		if (!person_in_scope(l, out)) {
			person_release(out);
			memset(out, 0, sizeof(*out));
			return KN_ENOTFOUND;
		}
	} else if ((err = ledger_person_get(l, ref, out)) != KN_OK || !out->ref ||
		   strcmp(out->ref, ref) != 0) {
		return err;
	}
	if (l->pcache && l->pcache->n >= PCACHE_MAX)
		pcache_clear(l);
	if (!l->pcache) {
		l->pcache = xcalloc(1, sizeof(*l->pcache));
		l->pcache->actor_unit = l->actor_unit;
	}
	c = l->pcache;
	e = xcalloc(1, sizeof(*e));
	person_copy(&e->p, out);
	e->next = c->b[h];
	c->b[h] = e;
	c->n++;
	*ent = e;
	return KN_OK;
}

void ledger_forget(struct ledger *l)
{
	memo_drop(l);
	pend_drop(l);
	pcache_clear(l);
	ahead_clear(l);
}

/* Whether the people cache holds ref. */
static int pcache_known(struct ledger *l, const char *ref)
{
	if (!l->pcache || l->pcache->actor_unit != l->actor_unit)
		return 0;
	for (const struct pcache_ent *e = l->pcache->b[pc_hash(ref)]; e; e = e->next)
		if (strcmp(e->p.ref, ref) == 0)
			return 1;
	return 0;
}

enum kn_err ledger_read_ahead(struct ledger *l, const char *const *own, size_t nown,
			      const char *const *named, size_t nnamed)
{
	const char **refs;
	size_t n = 0;
	struct person_record *r = NULL;
	size_t nr = 0;
	enum kn_err e;

	ahead_clear(l);
	if (!l->defer || !l->bulk || l->no_memo || l->expect_version >= 0)
		return KN_OK;
	if ((e = ledger_flush(l)) != KN_OK)
		return e;
	refs = xreallocarray(NULL, nown + nnamed + 1, sizeof(*refs));
	for (size_t i = 0; i < nown; i++)
		refs[n++] = own[i];
	/* A person named whom the cache knows is read no more: a mentor is
	 * the person alone, and an introducer's dates are read once
	 * (intro_facts() keeps them in the cache's entry). */
	for (size_t i = 0; i < nnamed; i++)
		if (named[i] && !pcache_known(l, named[i]))
			refs[n++] = named[i];
	e = store_person_records(l->store, refs, n, &r, &nr);
	free(refs);
	if (e != KN_OK)
		return e;
	l->ahead = xcalloc(1, sizeof(*l->ahead));
	l->ahead->r = r;
	l->ahead->n = nr;
	l->ahead->gone = xcalloc(nr + 1, 1);
	return KN_OK;
}

int ledger_memo_peek(struct ledger *l, const char *ref, const struct person **p,
		     const struct candidacy **c, size_t *nc)
{
	struct ledger_memo *m = l->memo;
	if (!m || l->no_memo || m->actor_unit != l->actor_unit || strcmp(m->ref, ref) != 0)
		return 0;
	*p = &m->p;
	*c = m->c;
	*nc = m->nc;
	return 1;
}

enum kn_err ledger_flush(struct ledger *l)
{
	enum kn_err e;
	if (!l->pend_cid || !l->pend_n)
		return KN_OK;
	e = store_candidacy_stage_n(l->store, l->pend_cid, l->pend_stage, l->pend_open, l->pend_n,
				    l->pend_dates);
	if (e != KN_OK) {
		pend_drop(l);
		return e;
	}
	/* The candidacy stays this writer's: its next number is known. */
	l->pend_n = 0;
	return KN_OK;
}

void ledger_release(struct ledger *l)
{
	ledger_forget(l);
	if (!l->tree_borrowed)
		unitree_free(&l->tree);
	memset(&l->tree, 0, sizeof(l->tree));
	l->tree_borrowed = 0;
	store_policy_free(l->policy, l->npolicy);
	l->policy = NULL;
	l->npolicy = 0;
	l->pol_ok = 0;
}

enum kn_err ledger_reload_units(struct ledger *l)
{
	struct unitree t;
	enum kn_err e = unitree_load(&t, l->store);
	if (e != KN_OK)
		return e;
	if (!l->tree_borrowed)
		unitree_free(&l->tree);
	l->tree_borrowed = 0;
	l->tree = t;
	return KN_OK;
}

/* The span of dates around d that no row of rows[0..n) starts inside:
 * narrows [*lo, *hi) to the latest `from` on or before d and the earliest
 * after it. */
static void policy_span(const struct policy_row *rows, size_t n, kn_date d, int64_t *lo,
			int64_t *hi)
{
	for (size_t i = 0; i < n; i++) {
		kn_date from = rows[i].from;
		if (from == KN_DATE_NONE)
			continue;
		if (from <= d && from > *lo)
			*lo = from;
		else if (from > d && from < *hi)
			*hi = from;
	}
}

/* Resolving the rows is some 7% of a bulk steps import (a string compare
 * per row and key), and a person's steps, like the days of a file, mostly
 * fall in one span between two policy changes: the last answer is kept
 * with its span. */
void ledger_policy(struct ledger *l, kn_date d, struct policy *out)
{
	struct buf err = BUF_INIT;
	if (l->pol_ok && d != KN_DATE_NONE && d >= l->pol_lo && d < l->pol_hi) {
		*out = l->pol;
		return;
	}
	if (policy_resolve(l->policy, l->npolicy, d, out, &err) == 0) {
		if (d != KN_DATE_NONE) {
			size_t nd;
			const struct policy_row *def = policy_default_rows(&nd);
			l->pol_lo = INT64_MIN;
			l->pol_hi = INT64_MAX;
			policy_span(l->policy, l->npolicy, d, &l->pol_lo, &l->pol_hi);
			policy_span(def, nd, d, &l->pol_lo, &l->pol_hi);
			l->pol = *out;
			l->pol_ok = 1;
		}
	} else {
		/* A bad row in the database: fall back to the defaults, which
		 * policy_resolve always fills in for the keys it understood. */
		size_t n;
		const struct policy_row *def = policy_default_rows(&n);
		buf_reset(&err);
		policy_resolve(def, n, d, out, &err);
	}
	buf_release(&err);
}

int step_validate(const struct step *st, struct buf *err)
{
	int bad = 0;
	const struct step_info *si = step_info(st->code);

	if (!si) {
		buf_addf(err, "step: %s\n", _("unknown step; use one of source, mentor, trained, "
			"applied, verified, introduced, cell_vote, committee_vote, decision, ceremony, "
			"probation_vote, official, withdrawn, rejected, struck_off"));
		return 1;
	}
	if (st->date == KN_DATE_NONE) {
		buf_addf(err, "date: %s\n", _("the date of the step is required"));
		bad++;
	}
	if (si->needs_doc && !st->doc_no) {
		buf_addf(err, "doc_no: %s\n", st->code == STEP_TRAINED
			 ? _("the certificate number is required")
			 : _("the decision number is required"));
		bad++;
	}
	if (si->needs_votes) {
		if (st->votes_for < 0) {
			buf_addf(err, "votes_for: %s\n", _("the number of votes for is required"));
			bad++;
		}
		if (st->votes_total < 0) {
			buf_addf(err, "votes_total: %s\n",
				 _("the number of members entitled to vote is required"));
			bad++;
		}
	}
	if (st->code == STEP_SOURCE && !st->org) {
		buf_addf(err, "org: %s\n", _("the nominating organisation is required (youth_union, "
			"trade_union, women_union, farmers_union, veterans_union, cell, other)"));
		bad++;
	}
	if ((st->code == STEP_SOURCE || st->code == STEP_INTRODUCED) && st->org &&
	    !org_valid(st->org)) {
		buf_addf(err, "org: %s\n", _("unknown organisation; use youth_union, trade_union, "
			"women_union, farmers_union, veterans_union, cell or other"));
		bad++;
	}
	if (st->code == STEP_MENTOR && !st->member) {
		buf_addf(err, "member: %s\n", _("the mentoring member's ref is required"));
		bad++;
	}
	if (st->code == STEP_INTRODUCED) {
		if (!st->intro1) {
			buf_addf(err, "introducer1: %s\n", _("at least one introducer is required"));
			bad++;
		} else if (st->intro1_since == KN_DATE_NONE) {
			buf_addf(err, "introducer1_since: %s\n",
				 _("the date since the introducer has known the candidate is required"));
			bad++;
		}
		if (st->intro2 && st->intro2_since == KN_DATE_NONE) {
			buf_addf(err, "introducer2_since: %s\n",
				 _("the date since the introducer has known the candidate is required"));
			bad++;
		}
	}
	if (si->ending && !st->note) {
		buf_addf(err, "note: %s\n", _("the reason is required for an ending step"));
		bad++;
	}
	if (st->override && !*st->override) {
		buf_addf(err, "override: %s\n", _("an override needs a reason"));
		bad++;
	}
	return bad;
}

static void derive_membership(struct ledger *l, const struct candidacy *c, size_t nc,
			      kn_date *member, kn_date *official)
{
	for (size_t i = 0; i < nc; i++) {
		kn_date dec = KN_DATE_NONE, cer = KN_DATE_NONE;
		int off = 0, struck = 0;
		for (size_t j = 0; j < c[i].nsteps; j++) {
			const struct step *s = &c[i].steps[j];
			if (s->code == STEP_DECISION)
				dec = s->date;
			else if (s->code == STEP_CEREMONY)
				cer = s->date;
			else if (s->code == STEP_OFFICIAL)
				off = 1;
			else if (s->code == STEP_STRUCK_OFF)
				struck = 1;
		}
		if (dec == KN_DATE_NONE || struck)
			continue;
		*member = dec;
		if (off && cer != KN_DATE_NONE) {
			struct policy p;
			ledger_policy(l, cer, &p);
			*official = date_add_months(cer, p.probation_months);
		}
	}
}

void ledger_membership(struct ledger *l, const struct person *p, const struct candidacy *c,
		       size_t nc, kn_date *member_since, kn_date *official_since)
{
	*member_since = p->member_since;
	*official_since = p->official_since;
	if (*member_since == KN_DATE_NONE || *official_since == KN_DATE_NONE) {
		kn_date m = KN_DATE_NONE, o = KN_DATE_NONE;
		derive_membership(l, c, nc, &m, &o);
		if (*member_since == KN_DATE_NONE)
			*member_since = m;
		if (*official_since == KN_DATE_NONE)
			*official_since = o;
	}
	if (*member_since == KN_DATE_NONE && *official_since != KN_DATE_NONE)
		*member_since = *official_since;
}

/* What one candidacy records of an admission: the decision date and the
 * struck_off date (the probation end is derive_membership()'s). */
struct admission_facts {
	kn_date decision, struck_off;
};

static void admission_of(const struct candidacy *c, struct admission_facts *a)
{
	a->decision = a->struck_off = KN_DATE_NONE;
	for (size_t j = 0; j < c->nsteps; j++) {
		const struct step *s = &c->steps[j];
		if (s->code == STEP_DECISION)
			a->decision = s->date;
		else if (s->code == STEP_STRUCK_OFF)
			a->struck_off = s->date;
	}
}

int ledger_membership_recorded(struct ledger *l, const struct person *p,
			       const struct candidacy *c, size_t nc,
			       kn_date *member_since, kn_date *official_since)
{
	int admitted = 0;

	for (size_t i = 0; i < nc && !admitted; i++) {
		struct admission_facts a;
		admission_of(&c[i], &a);
		admitted = a.decision != KN_DATE_NONE;
	}
	if (!admitted) {
		*member_since = p->member_since;
		*official_since = p->official_since;
		return 0;
	}
	*member_since = *official_since = KN_DATE_NONE;
	derive_membership(l, c, nc, member_since, official_since);
	return 1;
}

int ledger_member_on(const struct person *p, const struct candidacy *c, size_t nc,
		     kn_date d, kn_date *since)
{
	int admitted = 0;

	*since = KN_DATE_NONE;
	for (size_t i = 0; i < nc; i++) {
		struct admission_facts a;
		admission_of(&c[i], &a);
		if (a.decision == KN_DATE_NONE)
			continue;
		admitted = 1;
		/* ... and not ended by then: struck off, or a leaving recorded
		 * on the person (RULES.md §9: expelled, resigned …) */
		if (a.decision <= d && (a.struck_off == KN_DATE_NONE || a.struck_off > d) &&
		    !(p->left_on != KN_DATE_NONE && p->left_on >= a.decision && p->left_on <= d))
			*since = a.decision;
	}
	if (!admitted) {
		kn_date ms = p->member_since != KN_DATE_NONE ? p->member_since : p->official_since;
		/* A former member (RULES.md §9): the leaving on or after that
		 * admission and by d ended it. */
		if (ms != KN_DATE_NONE && ms <= d &&
		    !(p->left_on != KN_DATE_NONE && p->left_on >= ms && p->left_on <= d))
			*since = ms;
	}
	return *since != KN_DATE_NONE;
}

enum step_code ledger_next_step(const struct candidacy *c, int basic_cell)
{
	enum step_code last = STEP_NONE;

	if (!c || !c->open)
		return c ? STEP_NONE : STEP_SOURCE;
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct step_info *si = step_info(c->steps[i].code);
		if (si && si->ordered && c->steps[i].code > last)
			last = c->steps[i].code;
	}
	for (int s = last + 1; s <= STEP_OFFICIAL; s++) {
		const struct step_info *si = step_info((enum step_code)s);
		if (!si->ordered || (s == STEP_COMMITTEE_VOTE && basic_cell))
			continue;
		return (enum step_code)s;
	}
	return STEP_NONE;
}

static void describe_date(struct buf *out, const char *key, kn_date d)
{
	char iso[11];
	if (d == KN_DATE_NONE)
		return;
	date_format_iso(d, iso);
	buf_addf(out, " %s=%s", key, iso);
}

static void describe_text(struct buf *out, const char *key, const char *v)
{
	if (v)
		buf_addf(out, " %s=%s", key, v);
}

void step_describe(const struct step *st, struct buf *out)
{
	buf_adds(out, step_name(st->code));
	describe_date(out, "date", st->date);
	step_describe_facts(st, out);
}

void step_describe_facts(const struct step *st, struct buf *out)
{
	describe_text(out, "doc_no", st->doc_no);
	describe_text(out, "org", st->org);
	describe_text(out, "member", st->member);
	describe_text(out, "introducer1", st->intro1);
	describe_date(out, "introducer1_since", st->intro1_since);
	describe_text(out, "introducer2", st->intro2);
	describe_date(out, "introducer2_since", st->intro2_since);
	if (st->votes_for >= 0)
		buf_addf(out, " votes_for=%d", st->votes_for);
	if (st->votes_total >= 0)
		buf_addf(out, " votes_total=%d", st->votes_total);
	describe_text(out, "consent", st->consent);
	describe_text(out, "override", st->override);
	describe_text(out, "note", st->note);
}

static int streq0(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int same_facts(const struct step *a, const struct step *b)
{
	return a->date == b->date && streq0(a->doc_no, b->doc_no) && streq0(a->org, b->org) &&
	       streq0(a->member, b->member) && streq0(a->intro1, b->intro1) &&
	       a->intro1_since == b->intro1_since && streq0(a->intro2, b->intro2) &&
	       a->intro2_since == b->intro2_since && a->votes_for == b->votes_for &&
	       a->votes_total == b->votes_total && streq0(a->consent, b->consent) &&
	       streq0(a->override, b->override) && streq0(a->note, b->note);
}

/* The stage a candidacy is in after `st`, and whether it stays open. */
static enum step_code next_stage(enum step_code cur, const struct step *st, int *open)
{
	const struct step_info *si = step_info(st->code);
	*open = 1;
	if (si->ending) {
		*open = 0;
		return st->code;
	}
	if (st->code == STEP_OFFICIAL)
		*open = 0;
	if (!si->ordered)
		return cur == STEP_NONE ? STEP_SOURCE : cur;
	return st->code > cur ? st->code : cur;
}

enum step_code ledger_stage(const struct step *steps, size_t n, int *open)
{
	enum step_code stage = STEP_NONE;
	*open = 1;
	for (size_t i = 0; i < n; i++)
		if (step_info(steps[i].code))
			stage = next_stage(stage, &steps[i], open);
	return stage;
}

/* In check mode, drop the violations of rules whose facts were not given:
 * a vote rule without the votes, an introduction rule without introducers.
 * The missing facts themselves are already listed by step_validate(). */
static void drop_unjudged(const struct step *st, struct violations *v, size_t added)
{
	size_t keep = v->n - added;
	for (size_t i = v->n - added; i < v->n; i++) {
		const char *c = v->v[i].code;
		int unjudged = ((strcmp(c, "KN-CELL-VOTE") == 0 ||
				 strcmp(c, "KN-COMMITTEE-VOTE") == 0) &&
				(st->votes_for < 0 || st->votes_total < 0)) ||
			       (strncmp(c, "KN-INTRO-", 9) == 0 && !st->intro1);
		if (unjudged) {
			free(v->v[i].message);
			continue;
		}
		v->v[keep++] = v->v[i];
	}
	v->n = keep;
}

/* A person referenced by a step (introducer, mentor), as the acting user
 * may know them: one outside the user's subtree (l->actor_unit set) is
 * KN_ENOTFOUND, exactly like an unknown ref, so that no message names,
 * or tells apart, people the user may not see. */
enum kn_err ledger_person_get(struct ledger *l, const char *ref, struct person *out)
{
	enum kn_err e = store_person_get(l->store, ref, out);
	if (e != KN_OK || !l->actor_unit)
		return e;
	struct unode *scope = unitree_find(&l->tree, l->actor_unit);
	struct unode *n = out->unit ? unitree_find(&l->tree, out->unit) : NULL;
	if (scope && n && unitree_within(n, scope))
		return KN_OK;
	person_release(out);
	memset(out, 0, sizeof(*out));
	return KN_ENOTFOUND;
}

/* issue 15: identity — a ref merged away (`person merge`) is answered
 * with the ref it went into, when that person is one the user may see;
 * 1 when said (appended to err without a newline). */
static int merged_note(struct ledger *l, const char *ref, struct buf *err)
{
	char *into = NULL;
	struct person p;
	int said = 0;

	if (store_merged_into(l->store, ref, &into) != KN_OK)
		return 0;
	if (ledger_person_get(l, into, &p) == KN_OK) {
		buf_addf(err, _("%s was merged into %s; use %s"), ref, into, into);
		person_release(&p);
		said = 1;
	}
	free(into);
	return said;
}

/* Look up a referenced person; fills the introducer facts. */
static enum kn_err intro_facts(struct ledger *l, const char *ref, kn_date since, kn_date on,
			       struct introducer_facts *f, struct person *hold,
			       struct buf *err, const char *column)
{
	struct candidacy *c = NULL;
	struct pcache_ent *ent;
	size_t nc = 0;
	enum kn_err e;

	memset(f, 0, sizeof(*f));
	f->ref = ref;
	f->since = since;
	f->member_since = f->official_since = KN_DATE_NONE;
	e = person_cached(l, ref, hold, &ent);
	if (e == KN_ENOTFOUND) {
		buf_addf(err, "%s: ", column);
		if (!merged_note(l, ref, err))
			buf_addf(err, _("no person with ref %s; import the member first"), ref);
		buf_addc(err, '\n');
		return KN_EINVAL;
	}
	if (e != KN_OK)
		return e;
	f->found = 1;
	f->full_name = hold->full_name;
	if (ent && ent->has_m) {
		f->member_since = ent->ms;
		f->official_since = ent->os;
	} else {
		struct person_record *x = ahead_find(l, ref);
		if (x) {	/* read ahead */
			ledger_membership(l, hold, x->c, x->nc, &f->member_since,
					  &f->official_since);
		} else {
			if ((e = store_candidacies_of(l->store, hold->id, &c, &nc)) != KN_OK)
				return e;
			ledger_membership(l, hold, c, nc, &f->member_since, &f->official_since);
			store_candidacies_free(c, nc);
		}
		if (ent) {
			ent->has_m = 1;
			ent->ms = f->member_since;
			ent->os = f->official_since;
		}
	}
	/* A member who has left by `on` (RULES.md §1, §9) is no full member
	 * then, whatever their dates of admission. */
	if (hold->left_on != KN_DATE_NONE && on != KN_DATE_NONE && hold->left_on <= on &&
	    f->member_since != KN_DATE_NONE && hold->left_on >= f->member_since)
		f->member_since = f->official_since = KN_DATE_NONE;
	return KN_OK;
}

/*
 * The memo's side of a step just written (ledger_step, bulk): append it to
 * the candidacy it went to, as S_CAND_OF and S_STEPS_OF would read them
 * back — a new candidacy after the others for a source step (ids grow),
 * the step last (seq grows), the stage and open flag S_CAND_STAGE wrote.
 * open_at: the index of the open candidacy, SIZE_MAX for none. A step that
 * names people is read back with their refs as found (BY_REF), so it is
 * mirrored only when each ref it carries was found by this step under
 * that very ref (mentor_ref, intro1_ref, intro2_ref: the people the step
 * looked up, NULL when none); an override is not mirrored either. Returns
 * 1 when mirrored, 0 when the memo must be dropped.
 */
static int memo_append(struct candidacy **cands, size_t *ncands, size_t open_at, int64_t cid,
		       int64_t person_id, const struct step *st, int64_t step_id,
		       enum step_code stage, int still_open, int readmission,
		       const char *mentor_ref, const char *intro1_ref, const char *intro2_ref)
{
	struct candidacy *c;
	struct step *x;

	if (st->override || st->override_by || step_id <= 0)
		return 0;
	if ((st->member && !streq0(st->member, mentor_ref)) ||
	    (st->intro1 && !streq0(st->intro1, intro1_ref)) ||
	    (st->intro2 && !streq0(st->intro2, intro2_ref)))
		return 0;
	if (st->code == STEP_SOURCE) {
		*cands = xreallocarray(*cands, *ncands + 1, sizeof(**cands));
		c = &(*cands)[(*ncands)++];
		memset(c, 0, sizeof(*c));
		c->id = cid;
		c->person_id = person_id;
		c->readmission = !!readmission;
	} else {
		if (open_at == SIZE_MAX || open_at >= *ncands || (*cands)[open_at].id != cid)
			return 0;
		c = &(*cands)[open_at];
	}
	c->stage = stage;
	c->open = !!still_open;
	c->steps = xreallocarray(c->steps, c->nsteps + 1, sizeof(*c->steps));
	x = &c->steps[c->nsteps++];
	step_copy(x, st);
	x->id = step_id;
	free(x->recorded_at);
	x->recorded_at = NULL;
	return 1;
}

/* RULES.md §9 (issue 15: re-admission): what a step written for p changes
 * on the person, in the step's transaction: a struck_off sets left_on and
 * left_reason (the latest leaving replaces an earlier one; an earlier
 * struck_off imported after a later leaving leaves it), and a
 * re-admission's decision sets readmitted (and makes stored membership
 * dates, the earlier membership's, the new decision's). Audited as a
 * change of the person, but in bulk, where the batch's own entry stands
 * for its writes as it does for the steps; an import of steps goes
 * through here like any step, so it writes the same. p is updated to
 * match (the memo keeps it). */
static enum kn_err readmit_write(struct ledger *l, struct person *p, const struct step *st,
				 int readmission, const char *person_ref)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	enum kn_err e = KN_OK;
	char iso[11];

	if (st->code == STEP_STRUCK_OFF &&
	    (p->left_on == KN_DATE_NONE || st->date > p->left_on ||
	     (st->date == p->left_on && !streq0(p->left_reason, "struck_off")))) {
		if (p->left_on != KN_DATE_NONE) {
			date_format_iso(p->left_on, iso);
			buf_addf(&before, "left_on=%s left_reason=%s", iso,
				 p->left_reason ? p->left_reason : "");
		}
		date_format_iso(st->date, iso);
		buf_addf(&after, "left_on=%s left_reason=struck_off", iso);
		e = store_person_leave(l->store, p->id, st->date, "struck_off");
		if (e == KN_OK) {
			p->left_on = st->date;
			free(p->left_reason);
			p->left_reason = xstrdup("struck_off");
		}
	} else if (st->code == STEP_DECISION && readmission) {
		/* Seniority restarts from the new decision (§9): stored dates
		 * of the earlier membership (before it) give way to it; dates
		 * of this one (a people list exported since) stay. */
		kn_date was = p->member_since != KN_DATE_NONE ? p->member_since : p->official_since;
		int dates = was != KN_DATE_NONE && was < st->date;
		if (!p->readmitted || dates) {
			buf_addf(&before, "readmitted=%d", p->readmitted);
			buf_adds(&after, "readmitted=1");
			if (dates) {
				date_format_iso(p->member_since != KN_DATE_NONE ? p->member_since
					: p->official_since, iso);
				buf_addf(&before, " member_since=%s", iso);
				if (p->official_since != KN_DATE_NONE) {
					date_format_iso(p->official_since, iso);
					buf_addf(&before, " official_since=%s", iso);
				}
				date_format_iso(st->date, iso);
				buf_addf(&after, " member_since=%s", iso);
			}
			e = store_person_set_readmitted(l->store, p->id, st->date);
			if (e == KN_OK) {
				p->readmitted = 1;
				if (dates) {
					p->member_since = st->date;
					p->official_since = KN_DATE_NONE;
				}
			}
		}
	}
	if (e == KN_OK && after.len && !l->bulk)
		e = store_audit(l->store, l->actor, "update", "person", person_ref,
				before.len ? before.s : NULL, after.s);
	buf_release(&before);
	buf_release(&after);
	return e;
}

/* Whether the memo's version (of candidacy vid) stands for candidacy cid:
 * the bulk writer's own transaction moved it last (on PostgreSQL it holds
 * the row's lock since, so nobody else can have). */
static int keep_version(int64_t vid, int64_t version, int64_t cid)
{
	return version >= 0 && vid == cid;
}

enum kn_err ledger_step(struct ledger *l, const char *person_ref, const struct step *in,
			int dry_run, int upsert, struct violations *v, struct buf *err,
			enum ledger_outcome *outcome)
{
	struct person p, intro_p[2], mentor;
	struct candidacy *cands = NULL;
	size_t ncands = 0;
	struct transfer *trs = NULL;	/* issue 15: the person's transfers */
	size_t ntrs = 0;
	const char *unit_on = NULL;	/* the unit on the step's date */
	struct candidacy *open = NULL;
	struct rule_facts f;
	struct policy pol;
	struct step st;
	enum kn_err e;
	struct buf desc = BUF_INIT;
	struct unode *un, *competent, *acting = NULL;
	struct step *updating = NULL;	/* the recorded step a changed row replaces */
	struct candidacy *upd_cand = NULL;
	size_t upd_index = 0;
	/* The bulk memo (struct ledger): used when memo_on; keep says that
	 * p and cands are, at out:, what a re-read would give, and go back
	 * to the memo instead of being freed. */
	int memo_on = l->bulk && !l->no_memo && l->expect_version < 0;
	int keep = 0;
	int64_t memo_vid = 0, memo_version = -1;
	struct person_record *ahead = NULL;	/* the person's, read ahead */

	*outcome = LEDGER_RECORDED;
	memset(&p, 0, sizeof(p));
	memset(intro_p, 0, sizeof(intro_p));
	memset(&mentor, 0, sizeof(mentor));
	step_copy(&st, in);
	free(st.recorded_by);
	st.recorded_by = xstrdup(l->actor ? l->actor : "");
	free(st.override_by);
	st.override_by = NULL;

	/* A memo left from a bulk run may be stale once writes go through
	 * other paths: only bulk calls, one after another, may use it. */
	if (!memo_on) {
		if ((e = ledger_flush(l)) != KN_OK) {
			buf_addf(err, "%s\n", store_errmsg(l->store));
			goto out;
		}
		ledger_forget(l);
	}
	if (step_validate(&st, err) > 0 && dry_run != LEDGER_CHECK) {
		e = KN_EINVAL;
		goto out;
	}
	if (memo_on && l->memo && strcmp(l->memo->ref, person_ref) == 0 &&
	    l->memo->actor_unit == l->actor_unit) {
		struct ledger_memo *m = l->memo;
		p = m->p;
		cands = m->c;
		ncands = m->nc;
		trs = m->tr;
		ntrs = m->ntr;
		memo_vid = m->vid;
		memo_version = m->version;
		free(m->ref);
		free(m);
		l->memo = NULL;
		keep = 1;
		e = KN_OK;	/* as after the reads this replaces */
		goto have_cands;
	}
	/* Another person (or this one read again): the candidacy left
	 * pending is written before anything is read. */
	if ((e = ledger_flush(l)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(l->store));
		goto out;
	}
	memo_drop(l);
	pend_drop(l);
	if ((ahead = ahead_find(l, person_ref)) != NULL) {
		/* Read ahead (struct ledger's ahead): the person, their
		 * candidacies and transfers, as the reads below give them. */
		p = ahead->p;
		cands = ahead->c;
		ncands = ahead->nc;
		trs = ahead->tr;
		ntrs = ahead->ntr;
		memset(&ahead->p, 0, sizeof(ahead->p));
		ahead->p.ref = xstrdup(p.ref);	/* its key, for the search */
		ahead->c = NULL;
		ahead->tr = NULL;
		ahead->nc = ahead->ntr = 0;
		l->ahead->gone[ahead - l->ahead->r] = 1;
		e = KN_OK;
		if (!person_in_scope(l, &p)) {
			person_release(&p);
			memset(&p, 0, sizeof(p));
			e = KN_ENOTFOUND;
		}
	} else {
		e = ledger_person_get(l, person_ref, &p);
	}
	if (e == KN_ENOTFOUND) {
		buf_addf(err, "person: ");
		if (!merged_note(l, person_ref, err))
			buf_addf(err, _("no person with ref %s; check the ref or import the person "
					"first"), person_ref);
		buf_addc(err, '\n');
		goto out;
	}
	if (e != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(l->store));
		goto out;
	}
	if (!ahead && ((e = store_candidacies_of(l->store, p.id, &cands, &ncands)) != KN_OK ||
		       (e = store_transfers_of(l->store, p.id, &trs, &ntrs)) != KN_OK)) {
		buf_addf(err, "%s\n", store_errmsg(l->store));
		goto out;
	}
	keep = memo_on;
have_cands:
	if (ncands && cands[ncands - 1].open)
		open = &cands[ncands - 1];

	/* The importer's re-run: the same step already recorded. A changed
	 * row replaces that step's facts, judged by the rules against the
	 * steps recorded before it. */
	if (upsert) {
		for (size_t i = 0; i < ncands && !updating; i++)
			for (size_t j = 0; j < cands[i].nsteps; j++) {
				struct step *old = &cands[i].steps[j];
				if (old->code != st.code || old->date != st.date ||
				    (st.code == STEP_MENTOR && !streq0(old->member, st.member)))
					continue;
				if (same_facts(old, &st)) {
					*outcome = LEDGER_UNCHANGED;
					goto out;
				}
				*outcome = LEDGER_UPDATED;
				updating = old;
				upd_cand = &cands[i];
				upd_index = j;
				break;
			}
	}

	/* RULES.md §8: a step is judged by the unit the person belonged to
	 * on its date (the considering cell, its competent committee, its
	 * special area), the destination from a transfer's arrival on. */
	unit_on = transfer_unit_on(trs, ntrs, st.date, p.unit);
	un = unitree_find(&l->tree, unit_on);
	competent = un ? unitree_competent(un) : NULL;
	if ((st.code == STEP_DECISION || st.code == STEP_OFFICIAL) && st.org) {
		acting = unitree_find(&l->tree, st.org);
		if (!acting) {
			buf_addf(err, "org: ");
			buf_addf(err, _("no unit with code %s; name the deciding committee by its unit code"),
				 st.org);
			buf_addc(err, '\n');
			e = KN_EINVAL;
			goto out;
		}
	}
	memset(&f, 0, sizeof(f));
	f.person = &p;
	f.step = &st;
	/* A source step starts a new candidacy: an open one is KN-OPEN's
	 * business, not an ordering question. */
	if (updating) {
		f.prior = upd_cand->steps;
		f.nprior = upd_index;
	} else if (open && st.code != STEP_SOURCE) {
		f.prior = open->steps;
		f.nprior = open->nsteps;
	}
	f.has_open_candidacy = open != NULL && !updating;
	{
		/* Membership from earlier candidacies only, when a step of an
		 * existing one is being corrected. */
		size_t upto = updating ? (size_t)(upd_cand - cands) : ncands;
		/* KN-OPEN judges membership on the step's date: a person
		 * whose member_since (say, from an exported people list
		 * imported before the steps) is after it was not yet a
		 * member then. */
		f.is_member = ledger_member_on(&p, cands, upto, st.date, &f.member_since);
	}
	f.basic_cell = unitree_is_basic_cell(un);
	f.special_area = unitree_special_area(un);
	f.competent = competent ? competent->u.code : NULL;
	f.acting_unit = acting ? acting->u.code : l->actor_unit;
	f.youth_union_member = p.youth_union;
	f.trade_union_member = p.trade_union;
	/* RULES.md §9: a re-admission is decided at source, from the
	 * person's leaving; later steps judge what the candidacy remembered,
	 * against the leaving before it (readmit_leaving()). */
	{
		const struct candidacy *cc = updating ? upd_cand
			: st.code == STEP_SOURCE ? NULL : open;
		kn_date src = cc && cc->nsteps ? cc->steps[0].date : st.date;
		size_t before_c = cc ? (size_t)(cc - cands) : ncands;
		int left = readmit_leaving(&p, cands, before_c, src, &f.readmit_left_on,
					   &f.readmit_left_reason);
		f.readmission = cc ? cc->readmission : left;
		f.readmit_already = readmit_already(&p, cands, before_c, src);
	}
	{
		struct unode *ra = readmit_authority(un);
		f.readmit_authority = ra ? ra->u.code : NULL;
	}
	f.today = l->today;
	ledger_policy(l, st.date, &pol);
	f.policy = &pol;
	f.cal = l->cal;

	/* An introducer or mentor who is the person themselves (the rules
	 * refuse it) is read with the candidacy's stage written. */
	if (((st.code == STEP_INTRODUCED && (streq0(st.intro1, person_ref) ||
					    streq0(st.intro2, person_ref))) ||
	     (st.code == STEP_MENTOR && streq0(st.member, person_ref))) &&
	    (e = ledger_flush(l)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(l->store));
		goto out;
	}
	if (st.code == STEP_INTRODUCED) {
		const char *refs[2] = { st.intro1, st.intro2 };
		kn_date since[2] = { st.intro1_since, st.intro2_since };
		const char *cols[2] = { "introducer1", "introducer2" };
		for (int i = 0; i < 2; i++) {
			if (!refs[i])
				continue;
			e = intro_facts(l, refs[i], since[i], st.date, &f.intro[f.nintro], &intro_p[i], err,
					cols[i]);
			if (e != KN_OK)
				goto out;
			f.nintro++;
		}
	}
	if (st.code == STEP_MENTOR) {
		struct pcache_ent *ent;
		e = person_cached(l, st.member, &mentor, &ent);
		if (e == KN_ENOTFOUND) {
			buf_addf(err, "member: ");
			if (!merged_note(l, st.member, err))
				buf_addf(err, _("no person with ref %s; import the member first"),
					 st.member);
			buf_addc(err, '\n');
			e = KN_EINVAL;
			goto out;
		}
		if (e != KN_OK)
			goto out;
	}

	size_t before = v->n;
	if (dry_run == LEDGER_CHECK)
		drop_unjudged(&st, v, rules_check(&f, v));
	else
		rules_check(&f, v);
	if (v->n > before) {
		if (!st.override) {
			e = KN_ERULE;
			goto out;
		}
		st.override_by = xstrdup(l->actor ? l->actor : "");
		/* RULES.md §2: a person has at most one open candidacy. That is
		 * the shape of the record (one open dossier to carry on), not a
		 * rule an override can lift: a second `source` would have no
		 * candidacy to belong to. */
		if (st.code == STEP_SOURCE && open && !updating) {
			buf_addf(err, "override: ");
			buf_addf(err, _("%s already has an open candidacy, and even an override cannot "
					"open a second one; end it (withdrawn or rejected) first"), p.full_name);
			buf_addc(err, '\n');
			e = KN_EINVAL;
			goto out;
		}
	} else if (st.override) {
		/* Nothing to override: keep no reason for a rule not broken. */
		free(st.override);
		st.override = NULL;
	}
	if (updating && same_facts(updating, &st)) {
		/* Only an unneeded override reason differed. */
		*outcome = LEDGER_UNCHANGED;
		e = KN_OK;
		goto out;
	}
	if (dry_run) {
		e = KN_OK;
		goto out;
	}
	if (updating) {
		struct buf after = BUF_INIT;
		keep = 0;	/* an edited step: not mirrored */
		step_describe(updating, &desc);
		step_describe(&st, &after);
		pcache_drop(l, person_ref);
		ahead_drop(l, person_ref);
		if ((e = store_begin(l->store)) == KN_OK &&
		    (e = store_step_update(l->store, updating->id, &st)) == KN_OK &&
		    (e = store_audit(l->store, l->actor, "update", "step", person_ref,
				     desc.s, after.s)) == KN_OK)
			e = store_commit(l->store);
		else
			store_rollback(l->store);
		buf_release(&after);
		if (e != KN_OK)
			buf_addf(err, "%s\n", store_errmsg(l->store));
		goto out;
	}

	/* Write: candidacy (for source), step, stage, audit — one transaction.
	 * The memo is kept only when the step is appended to it below. */
	keep = 0;
	pcache_drop(l, person_ref);
	ahead_drop(l, person_ref);
	if ((e = store_begin(l->store)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(l->store));
		goto out;
	}
	{
		int64_t cid, version = -1, step_id = 0, seq = 0;
		int64_t ids[3] = { 0, 0, 0 };	/* member, introducers */
		enum step_code cur = STEP_NONE, stage = STEP_NONE;
		int still_open = 1, told = 0;
		/* issue 13 (struct ledger's defer): the step appended with its
		 * number and people's ids known (seq > 0), the candidacy's stage
		 * left pending. Each ref the step names must be one it looked up,
		 * as the store's lookup by ref would find it. */
		int defer = memo_on && l->defer &&
			    (!st.member || streq0(st.member, mentor.ref)) &&
			    (!st.intro1 || streq0(st.intro1, intro_p[0].ref)) &&
			    (!st.intro2 || streq0(st.intro2, intro_p[1].ref));
		if (defer) {
			ids[0] = st.member ? mentor.id : 0;
			ids[1] = st.intro1 ? intro_p[0].id : 0;
			ids[2] = st.intro2 ? intro_p[1].id : 0;
		}
		if (st.code == STEP_SOURCE) {
			/* The candidacy before it ended (is_open 0) first: one
			 * person has one open candidacy. */
			if ((e = ledger_flush(l)) == KN_OK)
				e = defer ? store_candidacy_open_bulk(l->store, p.id, p.unit,
								      f.readmission, &cid)
					  : store_candidacy_open(l->store, p.id, p.unit,
								 f.readmission, &cid);
			if (e == KN_OK && defer) {
				pend_drop(l);
				l->pend_cid = cid;
				l->pend_seq = 1;
				seq = 1;
			}
		} else if (open && defer && l->pend_cid == open->id) {
			cid = open->id;
			cur = open->stage;
			seq = l->pend_seq;
		} else if (open) {
			if ((e = ledger_flush(l)) != KN_OK)
				goto written;
			pend_drop(l);
			cid = open->id;
			cur = open->stage;
			if (keep_version(memo_vid, memo_version, cid))
				version = memo_version;
			else
				e = store_candidacy_version(l->store, cid, &version);
			/* The caller's version: what the user saw (web forms). */
			if (e == KN_OK && l->expect_version >= 0 && version != l->expect_version) {
				buf_addf(err, "%s\n", _("someone recorded a step for this candidate "
					 "meanwhile; reload the page and try again"));
				e = KN_ECONFLICT;
				told = 1;
			}
		} else {
			/* Only reachable with an override of KN-ORDER. */
			buf_addf(err, "step: ");
			buf_addf(err, _("%s has no open candidacy; record `source` first"), p.full_name);
			buf_addc(err, '\n');
			e = KN_EINVAL;
		}
		if (e == KN_OK) {
			stage = next_stage(cur, &st, &still_open);
			if (seq > 0) {
				e = store_step_append(l->store, cid, seq, &st, ids[0], ids[1], ids[2],
						      &step_id);
				if (e == KN_OK) {
					l->pend_seq = seq + 1;
					l->pend_n++;
					l->pend_stage = stage;
					l->pend_open = still_open;
					cand_dates_fold(l->pend_dates, st.code, st.date);
				}
			} else {
				e = store_step_add(l->store, cid, &st, stage, still_open, version,
						   &step_id);
			}
		}
		/* A step dated before the person's move (recorded late): it
		 * counts for the unit of its date, not the candidacy's. */
		if (e == KN_OK && unit_on && p.unit && strcmp(unit_on, p.unit) != 0)
			e = store_step_set_unit(l->store, step_id, unit_on);
		if (e == KN_OK)
			e = readmit_write(l, &p, &st, f.readmission, person_ref);
		if (e == KN_OK && (!l->bulk || st.override)) {
			step_describe(&st, &desc);
			e = store_audit(l->store, l->actor, st.override ? "step-override" : "step",
					"candidacy", person_ref, NULL, desc.s);
		}
written:
		if (e == KN_OK)
			e = store_commit(l->store);
		else
			store_rollback(l->store);
		if (e != KN_OK)
			pend_drop(l);	/* rolled back with the rest */
		if (e != KN_OK && e != KN_EINVAL && !told)
			buf_addf(err, "%s\n", store_errmsg(l->store));
		if (e == KN_OK && memo_on) {
			keep = memo_append(&cands, &ncands, open ? (size_t)(open - cands) : SIZE_MAX,
					   cid, p.id, &st, step_id, stage, still_open,
					   f.readmission, mentor.ref, intro_p[0].ref, intro_p[1].ref);
			/* S_CAND_STAGE moved the version on by one; a deferred
			 * step's version is read again (after ledger_flush()) by
			 * a step that is not deferred. */
			memo_vid = cid;
			memo_version = seq == 0 && version >= 0 ? version + 1 : -1;
		}
	}
out:
	buf_release(&desc);
	if (keep && (e == KN_OK || e == KN_ERULE || e == KN_EINVAL)) {
		/* Nothing written, or the step written mirrored: the facts as
		 * a re-read would give them, for the person's next step. */
		struct ledger_memo *m = xcalloc(1, sizeof(*m));
		m->ref = xstrdup(person_ref);
		m->actor_unit = l->actor_unit;
		m->p = p;
		m->c = cands;
		m->nc = ncands;
		m->tr = trs;
		m->ntr = ntrs;
		trs = NULL;
		ntrs = 0;
		m->vid = memo_vid;
		m->version = memo_version;
		l->memo = m;
		memset(&p, 0, sizeof(p));
		cands = NULL;
		ncands = 0;
	}
	person_release(&p);
	person_release(&intro_p[0]);
	person_release(&intro_p[1]);
	person_release(&mentor);
	store_candidacies_free(cands, ncands);
	transfers_free(trs, ntrs);
	step_release(&st);
	return e;
}
