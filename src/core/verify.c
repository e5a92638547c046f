/*
 * verify.c — see verify.h. Three passes over the database: the unit tree
 * (in memory: units are few), the candidacies (streamed, grouped by
 * person), the audit chain (streamed). Each finding is one translated line
 * handed to the caller at once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/rules.h"
#include "core/unitree.h"
#include "core/verify.h"
#include "util/i18n.h"
#include "util/sort.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct vctx {
	struct store *s;
	struct ledger l;
	verify_finding_fn fn;
	void *arg;
	struct verify_counts *c;
	const struct rule_info *order;	/* KN-ORDER */
	/* The person whose candidacies are being read. */
	int64_t person_id;
	char *person;			/* ref, for messages */
	kn_date member_since, official_since;	/* recorded */
	kn_date member, official;	/* derived from the steps so far */
	long long open;			/* open candidacies */
	int have_person;
	/* The audit walk. */
	char prev[STORE_HASH_HEX];
	int64_t prev_id;
	int64_t first_break;		/* 0 while the chain holds */
	long long more_breaks;
};

static void finding(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void finding(struct vctx *v, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	/* Text read from the database may hold anything (a stage or a code
	 * written by hand): no control character reaches the terminal. */
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.s[i] < 0x20 || b.s[i] == 0x7f)
			b.s[i] = '?';
	v->c->findings++;
	v->fn(v->arg, b.s);
	buf_release(&b);
}

static const char *iso(kn_date d, char out[11])
{
	if (d == KN_DATE_NONE)
		return "?";
	date_format_iso(d, out);
	return out;
}

/* ---- units ---- */

static int link_by_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const struct unit_link *)elem)->id;
	return id < other ? -1 : id > other;
}

static long find_link(const struct unit_link *u, size_t n, int64_t id)
{
	const struct unit_link *x = bsearch(&id, u, n, sizeof(*u), link_by_id);
	return x ? (long)(x - u) : -1;
}

static int link_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct unit_link *)a)->id, y = ((const struct unit_link *)b)->id;
	return x < y ? -1 : x > y;
}

/* The tree paths (migration 006) the reports read subtrees by: each unit
 * that reaches a root through existing parents must hold its root's id,
 * then each id down to its own, as "/1/7/42/". A unit off the tree (a
 * missing parent, a cycle) was reported already and has no right path.
 * The first few wrong paths are named; the rest are counted, since one
 * wrong unit high up makes its whole subtree wrong. `ketnap init`
 * rebuilds them (store_unit_paths_rebuild). */
#define WRONG_PATHS_NAMED 10

static void check_paths(struct vctx *v, const struct unit_link *u, size_t n, const long *parent)
{
	char **want = xcalloc(n ? n : 1, sizeof(*want));
	unsigned char *st = xcalloc(n ? n : 1, 1);	/* 0 new, 1 on the tree, 2 off, 3 climbing */
	long *climb = xcalloc(n ? n : 1, sizeof(*climb));
	long long wrong = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		long j = (long)i;
		int on;
		while (j >= 0 && st[j] == 0) {
			st[j] = 3;
			climb[len++] = j;
			j = parent[j];
		}
		/* j < 0: the last unit climbed is a root, or its parent is missing. */
		on = j < 0 ? len && u[climb[len - 1]].parent_id == 0 : st[j] == 1;
		while (len > 0) {
			long k = climb[--len];
			st[k] = on ? 1 : 2;
			if (on) {
				struct buf b = BUF_INIT;
				buf_addf(&b, "%s%lld/", parent[k] >= 0 ? want[parent[k]] : "/",
					 (long long)u[k].id);
				want[k] = buf_detach(&b);
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (st[i] != 1 || (u[i].path && strcmp(u[i].path, want[i]) == 0))
			continue;
		if (++wrong <= WRONG_PATHS_NAMED)
			finding(v, _("unit %s: its tree path is %s, but its parents make it %s, so "
				     "reports of its subtree may miss it; run `ketnap init`, which "
				     "rebuilds the paths"),
				u[i].code, u[i].path ? u[i].path : _("(none)"), want[i]);
	}
	if (wrong > WRONG_PATHS_NAMED) {
		struct buf more = BUF_INIT;
		text_int(&more, wrong - WRONG_PATHS_NAMED);
		finding(v, _("%s more units have a wrong tree path; run `ketnap init`, which "
			     "rebuilds the paths"), more.s);
		buf_release(&more);
	}
	for (size_t i = 0; i < n; i++)
		free(want[i]);
	free(want);
	free(st);
	free(climb);
}

/* Missing parents, then cycles: follow each unit's parents, marking the
 * path; meeting the path again is a cycle, reported once, from its unit
 * with the smallest code, as "A → B → C → A". */
static void check_units(struct vctx *v, struct unit_link *u, size_t n)
{
	long *parent = xcalloc(n ? n : 1, sizeof(*parent));
	unsigned char *state = xcalloc(n ? n : 1, 1);	/* 0 new, 1 on path, 2 done */
	long *path = xcalloc(n ? n : 1, sizeof(*path));

	xqsort(u, n, sizeof(*u), link_cmp);
	for (size_t i = 0; i < n; i++) {
		parent[i] = u[i].parent_id ? find_link(u, n, u[i].parent_id) : -1;
		if (u[i].parent_id && parent[i] < 0)
			finding(v, _("unit %s: its parent (unit id %lld) does not exist; import the "
				     "units again with its right parent"),
				u[i].code, (long long)u[i].parent_id);
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		long j = (long)i;
		while (j >= 0 && state[j] == 0) {
			state[j] = 1;
			path[len++] = j;
			j = parent[j];
		}
		if (j >= 0 && state[j] == 1) {
			/* The cycle is the path from j on. */
			size_t from = 0, min;
			struct buf b = BUF_INIT;
			while (path[from] != j)
				from++;
			min = from;
			for (size_t k = from; k < len; k++)
				if (strcmp(u[path[k]].code, u[path[min]].code) < 0)
					min = k;
			for (size_t k = 0; k <= len - from; k++) {
				size_t at = from + (min - from + k) % (len - from);
				buf_addf(&b, "%s%s", k ? " → " : "", u[path[at]].code);
			}
			finding(v, _("units %s: each is the parent of the one before it, a cycle in "
				     "the unit tree; give one of them its real parent (import units)"),
				b.s);
			buf_release(&b);
		}
		for (size_t k = 0; k < len; k++)
			state[path[k]] = 2;
	}
	check_paths(v, u, n, parent);
	v->c->units = (long long)n;
	free(parent);
	free(state);
	free(path);
}

/* ---- candidacies ---- */

/* What is known of the person once all their candidacies were read. */
static void person_done(struct vctx *v)
{
	char a[11], b[11];

	if (!v->have_person)
		return;
	if (v->open > 1)
		finding(v, _("%s: %lld candidacies are open at once; a person has at most one open "
			     "candidacy, so end all but one (withdrawn)"),
			v->person, v->open);
	if (v->member_since != KN_DATE_NONE && v->member != KN_DATE_NONE &&
	    v->member_since != v->member)
		finding(v, _("%s: member_since is %s, but the admission decision is dated %s; "
			     "correct the person's date or the step"),
			v->person, iso(v->member_since, a), iso(v->member, b));
	if (v->official_since != KN_DATE_NONE && v->official != KN_DATE_NONE &&
	    v->official_since != v->official)
		finding(v, _("%s: official_since is %s, but the steps make the person a full member "
			     "on %s; correct the person's date or the steps"),
			v->person, iso(v->official_since, a), iso(v->official, b));
	free(v->person);
	v->person = NULL;
	v->have_person = 0;
}

static int check_candidacy(void *arg, const struct cand_facts *f)
{
	struct vctx *v = arg;
	const char *who = f->person_ref ? f->person_ref : "?";
	struct unode *unit = f->unit ? unitree_find(&v->l.tree, f->unit) : NULL;
	enum step_code stage;
	int open;

	v->c->candidacies++;
	v->c->steps += (long long)f->nsteps;
	if (!v->have_person || v->person_id != f->person_id) {
		person_done(v);
		v->have_person = 1;
		v->person_id = f->person_id;
		v->person = xstrdup(who);
		v->member_since = f->member_since;
		v->official_since = f->official_since;
		v->member = v->official = KN_DATE_NONE;
		v->open = 0;
	}
	if (f->open)
		v->open++;
	if (!f->person_ref)
		finding(v, _("candidacy %lld: its person (id %lld) does not exist; restore the "
			     "person from a backup"),
			(long long)f->id, (long long)f->person_id);
	if (!unit)
		finding(v, _("%s (candidacy %lld): its considering unit does not exist; restore "
			     "it from a backup"),
			who, (long long)f->id);
	if (f->nsteps == 0) {
		finding(v, _("%s (candidacy %lld): it has no steps, though a candidacy begins with "
			     "its source step; restore the steps from a backup"),
			who, (long long)f->id);
		return 0;
	}

	stage = ledger_stage(f->steps, f->nsteps, &open);
	if (!f->stage || strcmp(f->stage, step_name(stage)) != 0)
		finding(v, _("%s (candidacy %lld): the stored stage is %s, but its steps make it "
			     "%s; the stage was changed outside ketnap: set it back to %s or "
			     "restore a backup"),
			who, (long long)f->id, f->stage ? f->stage : "NULL", step_name(stage),
			step_name(stage));
	if (!f->open != !open)
		finding(v, _("%s (candidacy %lld): it is stored as %s, but its steps make it %s; "
			     "it was changed outside ketnap: set it back or restore a backup"),
			who, (long long)f->id, f->open ? _("open") : _("closed"),
			open ? _("open") : _("closed"));

	/* The order, step by step, as KN-ORDER judged it when each was
	 * recorded; the first broken step only (the rest follow from it). */
	if (v->order) {
		struct person p;
		struct rule_facts rf;
		person_init(&p);
		p.ref = (char *)who;
		p.full_name = (char *)who;
		memset(&rf, 0, sizeof(rf));
		rf.person = &p;
		rf.prior = f->steps;
		rf.basic_cell = unit ? unitree_is_basic_cell(unit) : 0;
		rf.today = KN_DATE_NONE;	/* dates after today are not this check's */
		for (size_t i = 0; i < f->nsteps; i++) {
			struct buf msg = BUF_INIT;
			const struct step *st = &f->steps[i];
			if (st->override)
				continue;	/* recorded despite a rule, by someone allowed to */
			rf.step = st;
			rf.nprior = i;
			if (v->order->check(&rf, &msg)) {
				finding(v, _("%s (candidacy %lld), step %lld (%s): %s: %s"), who,
					(long long)f->id, (long long)st->id,
					st->code ? step_name(st->code) : "?", v->order->code, msg.s);
				buf_release(&msg);
				break;
			}
			buf_release(&msg);
		}
	}

	/* Membership as the steps give it: the latest candidacy that has it. */
	{
		struct person none;
		struct candidacy c;
		kn_date m, o;
		memset(&none, 0, sizeof(none));
		none.member_since = none.official_since = KN_DATE_NONE;
		memset(&c, 0, sizeof(c));
		c.steps = (struct step *)f->steps;
		c.nsteps = f->nsteps;
		ledger_membership(&v->l, &none, &c, 1, &m, &o);
		if (m != KN_DATE_NONE) {	/* as ledger_membership over them all */
			v->member = m;
			if (o != KN_DATE_NONE)
				v->official = o;
		}
	}
	return 0;
}

/* Migration 016: the dates a candidacy carries for the deadlines and the
 * dashboard (store_pipeline_latest), which the database keeps from the
 * steps on every write, must be theirs: one changed behind the program's
 * back would move deadlines without a step saying so. */
static int check_dates(void *arg, int64_t id, const char *ref)
{
	struct vctx *v = arg;
	finding(v, _("%s (candidacy %lld): the step dates stored with the candidacy are not "
		     "those of its steps; they were changed outside ketnap: restore a backup"),
		ref ? ref : "?", (long long)id);
	return 0;
}

static int check_latest(void *arg, int64_t id, const char *ref)
{
	struct vctx *v = arg;
	(void)id;
	finding(v, _("%s: the unit and state of the latest candidacy stored with the person are "
		     "not those of their candidacies; they were changed outside ketnap: restore a "
		     "backup"), ref ? ref : "?");
	return 0;
}

/* ---- the audit chain ---- */

static int check_audit(void *arg, const struct audit_entry *a, const char *hash)
{
	struct vctx *v = arg;
	char want[STORE_HASH_HEX];

	v->c->audit++;
	store_audit_hash(v->prev, a, want);
	if (!hash || strcmp(hash, want) != 0) {
		if (v->first_break) {
			v->more_breaks++;
		} else {
			v->first_break = a->id;
			if (!hash)
				finding(v, _("audit %lld: the entry has no hash: it was added outside "
					     "ketnap; restore the database from a backup"),
					(long long)a->id);
			else if (a->id > v->prev_id + 1 && v->prev_id > 0)
				finding(v, _("audit %lld: it does not follow entry %lld in the hash "
					     "chain, and the entries between are missing: deleted "
					     "outside ketnap; restore the database from a backup"),
					(long long)a->id, (long long)v->prev_id);
			else
				finding(v, _("audit %lld: the entry does not match the hash chain: it, "
					     "or the entry before it, was edited, deleted or moved "
					     "outside ketnap; restore the database from a backup"),
					(long long)a->id);
		}
	}
	/* Go on from the stored hash: a later break is a change of its own. */
	snprintf(v->prev, sizeof(v->prev), "%s", hash ? hash : want);
	v->prev_id = a->id;
	return 0;
}

static void audit_done(struct vctx *v, const struct audit_head *h, int have_head)
{
	if (v->more_breaks)
		finding(v, _("audit: %lld more entries after entry %lld do not match the hash "
			     "chain either"),
			v->more_breaks, (long long)v->first_break);
	if (!have_head) {
		if (v->c->audit > 0)
			finding(v, "%s", _("audit: the chain's head record (table audit_head) is "
					   "missing: it was deleted outside ketnap; restore the "
					   "database from a backup"));
		return;
	}
	if (h->id != v->prev_id || h->n != v->c->audit || strcmp(h->hash, v->prev) != 0)
		finding(v, _("audit: the chain ends at entry %lld (%lld entries), but its head "
			     "record says entry %lld (%lld entries): entries were deleted from its "
			     "end, or added, outside ketnap; restore the database from a backup"),
			(long long)v->prev_id, v->c->audit, (long long)h->id, h->n);
}

/* ---- entry points ---- */

enum kn_err verify_run(struct store *s, struct calendar *cal, verify_finding_fn fn, void *arg,
		       struct verify_counts *out, struct buf *err)
{
	struct vctx v;
	struct unit_link *links = NULL;
	struct audit_head head;
	size_t nlinks = 0, nrules;
	const struct rule_info *rules = rules_table(&nrules);
	enum kn_err e;
	int have_head;

	memset(out, 0, sizeof(*out));
	memset(&v, 0, sizeof(v));
	v.s = s;
	v.fn = fn;
	v.arg = arg;
	v.c = out;
	for (size_t i = 0; i < nrules; i++)
		if (strcmp(rules[i].code, "KN-ORDER") == 0)
			v.order = &rules[i];

	if ((e = store_unit_links(s, &links, &nlinks)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	}
	check_units(&v, links, nlinks);
	store_unit_links_free(links, nlinks);

	if ((e = ledger_open(&v.l, s, cal, NULL, err)) != KN_OK)
		goto out;
	if ((e = store_candidacy_each(s, check_candidacy, &v)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	person_done(&v);
	if ((e = store_cand_dates_wrong(s, check_dates, &v)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	if ((e = store_people_latest_wrong(s, check_latest, &v)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}

	memcpy(v.prev, store_audit_genesis, STORE_HASH_HEX);
	if ((e = store_audit_each(s, check_audit, &v)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	e = store_audit_head(s, &head);
	if (e != KN_OK && e != KN_ENOTFOUND) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	have_head = e == KN_OK;
	e = KN_OK;
	audit_done(&v, &head, have_head);
	memcpy(out->head, v.prev, STORE_HASH_HEX);
out:
	person_done(&v);
	ledger_release(&v.l);
	return e;
}

enum kn_err verify_anchor(struct store *s, struct buf *out)
{
	struct audit_head h;
	struct buf n = BUF_INIT;
	enum kn_err e = store_audit_head(s, &h);

	if (e == KN_ENOTFOUND) {
		h.n = 0;
		memcpy(h.hash, store_audit_genesis, STORE_HASH_HEX);
	} else if (e != KN_OK) {
		return e;
	}
	text_int(&n, h.n);
	buf_addf(out, _("Audit log: %s entries; chain head %s"), n.s, h.hash);
	buf_release(&n);
	return KN_OK;
}
