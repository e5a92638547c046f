/*
 * api_other.c — the rest of the JSON API: who am I, the unit tree and one
 * unit with its figures, the reports (the very JSON `ketnap report …
 * --format json` prints), the dashboard, the decisions queue and the
 * audit log (CSV imports are in api_import.c).
 *
 * Everything is confined to the user's unit subtree: a unit outside it is
 * answered 404 like one that does not exist, and the audit log shows only
 * entries about records inside it.
 *
 * The dashboard and the decisions queue walk every open candidacy (the
 * deadlines), which costs a few hundred milliseconds on a city; many
 * people open the same dashboard at once, so the JSON of each (unit,
 * period, language, day) is kept in a small process-wide cache
 * (web/cache.h), valid while the database's change counter — bumped by
 * every write transaction, whichever process made it — is the value it
 * was built at. While one request rebuilds an entry, the others get the
 * previous one rather than waiting.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/queue.h"
#include "core/report.h"
#include "io/export.h"
#include "io/import.h"
#include "io/report_text.h"
#include "web/api_common.h"
#include "web/cache.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

/* Answer a cached body (takes json). */
static int answer_cached(struct response *rs, char *json)
{
	rs->status = 200;
	rs->ctype = "application/json";
	buf_reset(&rs->body);
	buf_adds(&rs->body, json);
	free(json);
	return 0;
}

/* Build key's JSON with build() unless the cache has it; answer it. */
static int cached(struct request *rq, struct response *rs, const char *key,
		  int (*build)(struct request *rq, struct response *rs, void *arg), void *arg)
{
	int64_t head;
	char *hit;
	enum kn_err e = req_cache_head(rq, &head);
	if (e != KN_OK)
		return api_store_error(rq, rs, e);
	if ((hit = cache_get(key, head, rq->authed ? rq->user.name : NULL, rq->store)))
		return answer_cached(rs, hit);
	build(rq, rs, arg);
	cache_put(key, head, rs->status == 200 ? rs->body.s : NULL);
	return 0;
}

/* ---- me ---- */

HANDLER(api_me)
{
	struct unode *scope = req_scope(rq);
	json_t *unit = scope ? api_unit_json(&scope->u) : json_null();
	return api_json(rs, 200, json_pack("{s:s, s:s, s:o, s:s, s:s, s:o}",
		"user", rq->user.name, "role", role_name(rq->role), "unit", unit,
		"lang", rq->lang, "auth", rq->bearer ? "bearer" : "cookie",
		"csrf", api_str(!rq->bearer ? rq->sess.csrf : NULL)));
}

/* ---- units ---- */

static json_t *unit_node_json(const struct unode *n, const struct unode *top)
{
	json_t *o = api_unit_json(&n->u);
	json_object_set_new(o, "depth", json_integer(n->depth - top->depth));
	json_object_set_new(o, "basic_cell", json_boolean(unitree_is_basic_cell(n)));
	json_object_set_new(o, "child_count", json_integer((json_int_t)n->nchildren));
	return o;
}

static void units_flat(json_t *out, const struct unode *n, const struct unode *top, int max)
{
	json_array_append_new(out, unit_node_json(n, top));
	if (n->depth - top->depth >= max)
		return;
	for (size_t i = 0; i < n->nchildren; i++)
		units_flat(out, n->children[i], top, max);
}

static json_t *units_tree(const struct unode *n, const struct unode *top, int max)
{
	json_t *o = unit_node_json(n, top), *ch = json_array();
	if (n->depth - top->depth < max)
		for (size_t i = 0; i < n->nchildren; i++)
			json_array_append_new(ch, units_tree(n->children[i], top, max));
	json_object_set_new(o, "children", ch);
	return o;
}

HANDLER(api_units)
{
	const char *format = api_query(rq, "format");
	struct unode *top;
	long long depth;

	if (format && strcmp(format, "flat") && strcmp(format, "tree"))
		return api_error(rq, rs, 400, _("The parameter format must be flat or tree."),
				 json_pack("{s:s}", "parameter", "format"));
	if (api_query_int(rq, rs, "depth", 0, 1000, 1000, &depth) < 0)
		return 0;
	if (!(top = api_query_unit(rq, rs, "unit")))
		return 0;
	if (format && strcmp(format, "tree") == 0)
		return api_json(rs, 200, json_pack("{s:s, s:o}", "root", top->u.code, "tree",
						   units_tree(top, top, (int)depth)));
	json_t *list = json_array();
	units_flat(list, top, top, (int)depth);
	return api_json(rs, 200, json_pack("{s:s, s:o}", "root", top->u.code, "units", list));
}

/* {quota, admitted, percent, met} of an achievement report row. */
static json_t *figures(const struct report *r, size_t row)
{
	const struct rcell *q = report_cell(r, row, 3), *a = report_cell(r, row, 4),
			   *p = report_cell(r, row, 5), *m = report_cell(r, row, 6);
	return json_pack("{s:o, s:I, s:o, s:o}", "quota", q->null ? json_null() :
			 json_integer(q->num), "admitted", (json_int_t)a->num, "percent",
			 p->null ? json_null() : api_tenths(p->num), "met",
			 m->null ? json_null() : json_boolean(m->num));
}

/* The report options of the request: the period, the unit. */
static int report_opts_of(struct request *rq, struct response *rs, struct unode *unit,
			  struct report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->as_of = KN_DATE_NONE;
	o->depth = 1;
	o->level = 1;
	o->unit = unit->u.code;
	o->tree = req_tree(rq);	/* the server's: no units read per report */
	return api_query_period(rq, rs, &o->from, &o->to, &o->as_of);
}

HANDLER(api_unit)
{
	struct unitree *t = req_tree(rq);
	struct unode *n, *scope = req_scope(rq);
	struct report_opts o;
	struct report *r = NULL;
	struct buf err = BUF_INIT;
	enum kn_err e;

	if (!t)
		return api_store_error(rq, rs, KN_EIO);
	if (!req_can_see(rq, rq->arg) || !(n = unitree_find(t, rq->arg)))
		return api_not_found(rq, rs);
	if (report_opts_of(rq, rs, n, &o) < 0)
		return 0;
	if ((e = report_build(rq->store, rq->cal, REPORT_ACHIEVEMENT, &o, &r, &err)) != KN_OK) {
		buf_release(&err);
		return api_store_error(rq, rs, e);
	}
	json_t *unit = unit_node_json(n, n), *children = json_array(), *path = json_array();
	struct unode *comp = unitree_competent(n);
	json_object_set_new(unit, "figures", figures(r, 0));
	/* The rows after the first are the children, in code order. */
	for (size_t i = 0; i < n->nchildren; i++) {
		json_t *c = unit_node_json(n->children[i], n);
		if (i + 1 < r->nrows)
			json_object_set_new(c, "figures", figures(r, i + 1));
		json_array_append_new(children, c);
	}
	/* Ancestors the user may see, from their own unit down. */
	for (struct unode *a = n->parent; a && scope && unitree_within(a, scope); a = a->parent)
		json_array_insert_new(path, 0, json_pack("{s:s, s:s}", "code", a->u.code, "name",
							 a->u.name));
	api_json(rs, 200, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "unit", unit,
		"path", path, "competent", api_str(comp ? comp->u.code : NULL),
		"from", api_date(o.from), "to", api_date(o.to), "as_of", api_date(r->as_of),
		"children", children));
	report_free(r);
	buf_release(&err);
	return 0;
}

/* ---- reports ---- */

HANDLER(api_report)
{
	int kind = report_kind_parse(rq->arg);
	struct report_opts o;
	struct report *r = NULL;
	struct unode *unit;
	struct buf err = BUF_INIT;
	long long depth, level;
	enum kn_err e;

	if (kind < 0)
		return api_error(rq, rs, 404, _("No such report: the reports are achievement, "
						"structure, funnel, sources, deadlines, ranking and "
						"summary."),
				 NULL);
	if (api_query_int(rq, rs, "depth", 0, 100, 1, &depth) < 0 ||
	    api_query_int(rq, rs, "level", 1, 100, 1, &level) < 0)
		return 0;
	if (!(unit = api_query_unit(rq, rs, "unit")))
		return 0;
	if (report_opts_of(rq, rs, unit, &o) < 0)
		return 0;
	o.depth = (int)depth;
	o.level = (int)level;
	if ((e = report_build(rq->store, rq->cal, (enum report_kind)kind, &o, &r, &err)) != KN_OK) {
		if (e == KN_ENOTFOUND)
			api_not_found(rq, rs);
		else
			api_store_error(rq, rs, e);
		buf_release(&err);
		return 0;
	}
	rs->status = 200;
	rs->ctype = "application/json";
	buf_reset(&rs->body);
	report_write_json(r, &rs->body);
	report_free(r);
	buf_release(&err);
	return 0;
}

/* ---- dashboard ---- */

struct dash_arg {
	struct unit unit;
	struct report_opts o;
};

static int dashboard_build(struct request *rq, struct response *rs, void *arg)
{
	struct dash_arg *d = arg;
	struct report *ach = NULL, *fun = NULL;
	struct deadline_counts dl;
	struct buf err = BUF_INIT;
	struct unitree *t = req_tree(rq);
	enum kn_err e;

	if (!t) {
		api_store_error(rq, rs, KN_EIO);
		goto out;
	}
	d->o.tree = t;	/* the server's: no units read per report */
	if ((e = report_build(rq->store, rq->cal, REPORT_ACHIEVEMENT, &d->o, &ach, &err)) ||
	    (e = report_build(rq->store, rq->cal, REPORT_FUNNEL, &d->o, &fun, &err)) ||
	    (e = report_deadline_counts(rq->store, rq->cal, &d->o, 5, &dl, &err))) {
		api_store_error(rq, rs, e);
		goto out;
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "unit", d->unit.code,
			      "name", d->unit.name, "kind", unit_kind_name(d->unit.kind),
			      "from", api_date(d->o.from), "to", api_date(d->o.to),
			      "as_of", api_date(ach->as_of));
	json_object_update_new(o, figures(ach, 0));

	/* The achievement rows after the first: the children, by code. */
	json_t *children = json_array();
	for (size_t i = 1; i < ach->nrows; i++) {
		const char *code = report_cell(ach, i, 0)->text;
		struct unode *c = unitree_find(t, code);
		json_t *x = json_pack("{s:s, s:s, s:o}", "code", code, "name",
				      report_cell(ach, i, 1)->text, "kind",
				      api_str(c ? unit_kind_name(c->u.kind) : NULL));
		json_object_update_new(x, figures(ach, i));
		json_array_append_new(children, x);
	}
	json_object_set_new(o, "children", children);

	json_t *funnel = json_array();
	for (size_t i = 0; i < fun->nrows; i++) {
		const struct rcell *s = report_cell(fun, i, 0), *n = report_cell(fun, i, 1);
		json_array_append_new(funnel, json_pack("{s:s, s:s, s:I}", "step", s->text,
			"label", s->label ? s->label : s->text, "reached", (json_int_t)n->num));
	}
	json_object_set_new(o, "funnel", funnel);

	/* Deadlines: the deadlines report's figures, counted without its
	 * rows (240 thousand at the national root). The
	 * dossiers waiting for a decision are counted by the deadlines report
	 * with the one definition of core/queue.h, as the year-end summary,
	 * the dashboard page and the decisions queue count them. */
	long long open = dl.open, overdue = dl.overdue, week = dl.soon;
	long long waiting = dl.waiting, waiting_overdue = dl.waiting_overdue;
	json_object_set_new(o, "deadlines", json_pack("{s:I, s:I, s:I}", "open",
		(json_int_t)open, "overdue", (json_int_t)overdue, "due_within_5_workdays",
		(json_int_t)week));
	json_object_set_new(o, "waiting_decision", json_integer(waiting));
	json_object_set_new(o, "waiting_decision_overdue", json_integer(waiting_overdue));
	api_json(rs, 200, o);
out:
	report_free(ach);
	report_free(fun);
	buf_release(&err);
	return 0;
}

/* The hot path: no unit tree unless the cache misses. */
HANDLER(api_dashboard)
{
	struct dash_arg d;
	struct buf key = BUF_INIT;
	char f[11], t[11], a[11];
	enum kn_err e;

	memset(&d.o, 0, sizeof(d.o));
	d.o.as_of = KN_DATE_NONE;
	d.o.depth = 1;
	d.o.level = 1;
	if (api_query_period(rq, rs, &d.o.from, &d.o.to, &d.o.as_of) < 0)
		return 0;
	if ((e = api_unit_lookup(rq, api_query(rq, "unit"), &d.unit)) != KN_OK)
		return e == KN_ENOTFOUND ? api_not_found(rq, rs) : api_store_error(rq, rs, e);
	d.o.unit = d.unit.code;
	date_format_iso(d.o.from, f);
	date_format_iso(d.o.to, t);
	date_format_iso(d.o.as_of != KN_DATE_NONE ? d.o.as_of : date_today(), a);
	buf_addf(&key, "dashboard|%s|%s|%s|%s|%s", d.unit.code, f, t, a, rq->lang);
	cached(rq, rs, key.s, dashboard_build, &d);
	buf_release(&key);
	unit_release(&d.unit);
	return 0;
}

/* ---- decisions ---- */

struct queue_item {
	char *ref, *name, *unit;
	const char *competent;
	enum step_code awaiting, after;
	kn_date since, due;
	int left, has_due;
};

struct queue {
	struct request *rq;
	struct ledger *l;
	struct unode *scope;	/* only dossiers considered within it */
	enum step_code awaiting;	/* decision or official */
	struct policy pol;
	struct queue_item *items;
	size_t n;
};

static int queue_collect(void *arg, const struct pipeline *p)
{
	struct queue *q = arg;
	struct unode *un = unitree_find(&q->l->tree, p->unit);
	struct unode *comp, *scope_here;
	struct candidacy c;
	struct deadline *dl = NULL;
	enum step_code next;

	if (!un || !(scope_here = unitree_find(&q->l->tree, q->scope->u.code)) ||
	    !unitree_within(un, scope_here))
		return 0;
	comp = unitree_competent(un);
	if (q->awaiting == STEP_DECISION) {
		/* The one definition of core/queue.h, counted for the user's
		 * unit (an administrator's is the top of their subtree). */
		struct queue_dossier qd;
		struct unode *mine = unitree_find(&q->l->tree, q->rq->user.unit);
		if (!queue_waiting(un, p->steps, p->nsteps, q->l->today, NULL, NULL, &qd) ||
		    !queue_counts_for(&qd, mine))
			return 0;
		next = STEP_DECISION;
	} else {
		/* The user's committee's dossiers; an administrator's: every one. */
		if (q->rq->role != ROLE_ADMIN &&
		    (!comp || strcmp(comp->u.code, q->rq->user.unit) != 0))
			return 0;
		memset(&c, 0, sizeof(c));
		c.open = 1;
		c.steps = (struct step *)p->steps;
		c.nsteps = p->nsteps;
		next = ledger_next_step(&c, unitree_is_basic_cell(un));
		if (next != q->awaiting)
			return 0;
	}
	q->items = xreallocarray(q->items, q->n + 1, sizeof(*q->items));
	struct queue_item *it = &q->items[q->n++];
	memset(it, 0, sizeof(*it));
	it->ref = xstrdup(p->person_ref);
	it->name = xstrdup(p->full_name);
	it->unit = xstrdup(p->unit);
	it->competent = comp ? comp->u.code : NULL;
	it->awaiting = next;
	it->since = KN_DATE_NONE;
	for (size_t i = 0; i < p->nsteps; i++) {
		const struct step_info *si = step_info(p->steps[i].code);
		if (si && si->ordered && p->steps[i].code < next) {
			it->after = p->steps[i].code;
			it->since = p->steps[i].date;
		}
	}
	size_t n = deadlines_for_ext(p->steps, p->nsteps, p->decision_extended, q->l->today,
				     &q->pol, q->l->cal, &dl);
	for (size_t i = 0; i < n; i++)
		if ((next == STEP_DECISION && strcmp(dl[i].code, "DL-DECISION") == 0) ||
		    (next == STEP_OFFICIAL && strcmp(dl[i].code, "DL-OFFICIAL") == 0)) {
			it->due = dl[i].due;
			it->left = dl[i].workdays_left;
			it->has_due = 1;
		}
	free(dl);
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct queue_item *x = a, *y = b;
	kn_date dx = x->has_due ? x->due : INT32_MAX, dy = y->has_due ? y->due : INT32_MAX;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

static int decisions_build(struct request *rq, struct response *rs, void *arg)
{
	struct queue *q = arg;
	struct ledger l;
	struct buf err = BUF_INIT;
	enum kn_err e;

	if ((e = api_ledger_open(rq, &l, &err)) != KN_OK) {
		buf_release(&err);
		return api_store_error(rq, rs, e);
	}
	q->l = &l;
	ledger_policy(&l, l.today, &q->pol);
	/* The scope's subtree only (queue_collect keeps nothing else); each
	 * step's code and date are all deadlines_for() and
	 * ledger_next_step() read. The decisions queue reads only the
	 * candidacies that may wait for a decision (store_queue_dates), as
	 * its page does; the others every open one. */
	if ((e = (q->awaiting == STEP_DECISION ? store_queue_dates : store_pipeline_dates)(
		     rq->store, q->scope->u.code, l.today, queue_collect, q)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	xqsort(q->items, q->n, sizeof(*q->items), item_cmp);
	json_t *list = json_array();
	for (size_t i = 0; i < q->n; i++) {
		const struct queue_item *it = &q->items[i];
		struct unode *un = unitree_find(&l.tree, it->unit);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b}",
			"ref", it->ref, "full_name", it->name, "unit", it->unit,
			"unit_name", api_str(un ? un->u.name : NULL),
			"competent", api_str(it->competent),
			"awaiting", step_name(it->awaiting), "label", step_label(it->awaiting),
			"after", it->after ? step_name(it->after) : "",
			"since", api_date(it->since),
			"due", it->has_due ? api_date(it->due) : json_null(),
			"workdays_left", it->has_due ? json_integer(it->left) : json_null(),
			"status", it->has_due ? json_string(it->left < 0 ? "overdue" : "due") :
						json_null(),
			"may_record", auth_may_record(rq, it->unit, it->awaiting)));
	}
	api_json(rs, 200, json_pack("{s:s, s:o, s:s, s:o, s:I, s:o}", "unit", q->scope->u.code,
		"committee", api_str(rq->role == ROLE_ADMIN ? NULL : rq->user.unit),
		"awaiting", step_name(q->awaiting), "as_of", api_date(l.today),
		"total", (json_int_t)q->n, "queue", list));
out:
	for (size_t i = 0; i < q->n; i++) {
		free(q->items[i].ref);
		free(q->items[i].name);
		free(q->items[i].unit);
	}
	free(q->items);
	q->items = NULL;
	q->n = 0;
	ledger_release(&l);
	buf_release(&err);
	return 0;
}

HANDLER(api_decisions)
{
	struct queue q;
	const char *step = api_query(rq, "step");
	struct buf key = BUF_INIT;
	char today[11];

	memset(&q, 0, sizeof(q));
	q.rq = rq;
	q.awaiting = step ? step_from_name(step) : STEP_DECISION;
	if (q.awaiting != STEP_DECISION && q.awaiting != STEP_OFFICIAL)
		return api_error(rq, rs, 400, _("The parameter step must be decision or official."),
				 json_pack("{s:s}", "parameter", "step"));
	/* ?unit=: dossiers of a part of the subtree (default: all of it). */
	if (!(q.scope = api_query_unit(rq, rs, "unit")))
		return 0;
	date_format_iso(date_today(), today);
	buf_addf(&key, "decisions|%s|%s|%s|%s|%s|%s", q.scope->u.code, step_name(q.awaiting),
		 today, rq->lang, rq->user.unit, role_name(rq->role));
	cached(rq, rs, key.s, decisions_build, &q);
	buf_release(&key);
	return 0;
}

/* ---- audit ---- */

static json_t *audit_json(const struct audit_entry *a)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)a->id,
			 "at", api_str(a->at), "actor", api_str(a->actor), "action",
			 api_str(a->action), "entity", api_str(a->entity), "key", api_str(a->key),
			 "before", api_str(a->before), "after", api_str(a->after));
}

HANDLER(api_audit)
{
	const char *actor = api_query(rq, "actor"), *entity = api_query(rq, "entity"),
		   *key = api_query(rq, "key");
	long long page, per_page, skip, offset = 0;
	struct audit_memo memo = { 0 };
	int everything;
	struct unode *scope = req_scope(rq);
	json_t *list;
	int more = 0;
	enum kn_err e = KN_OK;

	if (api_query_int(rq, rs, "page", 1, 1000000, 1, &page) < 0 ||
	    api_query_int(rq, rs, "per_page", 1, 500, API_PAGE_SIZE, &per_page) < 0)
		return 0;
	if (!scope)
		return api_not_found(rq, rs);
	everything = scope->parent == NULL;	/* a root's user: no filter */
	list = json_array();
	skip = (page - 1) * per_page;
	if (everything) {
		/* No filter: let the store page. */
		struct audit_entry *a;
		size_t n;
		if ((e = store_audit_list(rq->store, actor, entity, key, skip, per_page + 1, &a,
					  &n)) == KN_OK) {
			for (size_t i = 0; i < n && (long long)i < per_page; i++)
				json_array_append_new(list, audit_json(&a[i]));
			more = (long long)n > per_page;
			store_audit_free(a, n);
		}
	} else {
		/* Filtered: read in batches, skipping the earlier pages' entries. */
		for (;;) {
			struct audit_entry *a;
			size_t n;
			const long long batch = 500;
			if ((e = store_audit_list(rq->store, actor, entity, key, offset, batch, &a,
						  &n)) != KN_OK)
				break;
			offset += (long long)n;
			for (size_t i = 0; i < n && !more; i++) {
				if (!auth_audit_visible(rq, &a[i], &memo))
					continue;
				if (skip > 0) {
					skip--;
					continue;
				}
				if ((long long)json_array_size(list) == per_page)
					more = 1;
				else
					json_array_append_new(list, audit_json(&a[i]));
			}
			store_audit_free(a, n);
			if (more || (long long)n < batch)
				break;
		}
	}
	auth_audit_memo_release(&memo);
	if (e != KN_OK) {
		json_decref(list);
		return api_store_error(rq, rs, e);
	}
	return api_json(rs, 200, json_pack("{s:I, s:I, s:b, s:o}", "page", (json_int_t)page,
					   "per_page", (json_int_t)per_page, "more", more,
					   "entries", list));
}
