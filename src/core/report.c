/*
 * report.c — builds the six reports of FORMATS.md from the recorded steps.
 *
 * Every figure comes from three store queries over the report unit's
 * subtree only (a range of the units' paths, migration 006) — the
 * decisions of the period (admissions, RULES.md §2), the steps of the
 * period counted per step in SQL (the funnel), and the candidacies open
 * on the as-of date (deadlines; the dossiers waiting for the decision as
 * core/queue.h defines them) — rolled up the unit tree in memory, so a
 * report over a unit covers its whole subtree and only it. The reports
 * that show a few levels (the achievement, the ranking, the structure,
 * the summary's own figures) read the tree only down to those levels,
 * with the top's ancestors and the quotas, and the decisions counted per
 * unit in SQL with the unit's path: each count goes to the nearest unit
 * read on its path and is rolled up from there (issue 13: at a nation's
 * root 64 units instead of 325 thousand); the deadlines read the whole
 * subtree. Nothing here formats numbers for people: that is the
 * writers' job (io/).
 *
 * Here: the categories, the loading, the table helpers, the achievement,
 * structure and funnel reports and report_build(); the deadlines report
 * is in report_deadlines.c, the ranking and the summary in
 * report_summary.c, what they share in report_impl.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "core/label.h"
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

static const char *const kind_names[REPORT__COUNT] = {
	"achievement", "structure", "funnel", "sources", "deadlines", "ranking", "summary",
};

const char *report_kind_name(enum report_kind k)
{
	return (unsigned)k < REPORT__COUNT ? kind_names[k] : "";
}

int report_kind_parse(const char *name)
{
	for (int i = 0; i < REPORT__COUNT; i++)
		if (name && strcmp(name, kind_names[i]) == 0)
			return i;
	return -1;
}

/* ---- categories of RULES.md §6 ---- */

const char *const report_cat_codes[CAT__COUNT] = {
	"total", "female", "ethnic_minority", "religious", "youth", "youth_union", "worker",
	"farmer", "student", "civil_servant", "nonstate_enterprise", "hamlet", "higher_education",
	"readmitted",	/* issue 15: re-admission */
};

/* Row labels of the structure report. */
static const char *const cat_labels[CAT__COUNT] = {
	N_("Total"), N_("Women"), N_("Ethnic minorities"), N_("Religious followers"),
	N_("Youth (30 or under)"), N_("Youth Union members"), N_("Workers in direct production"),
	N_("Farmers"), N_("Students"), N_("Civil servants"), N_("In non-state enterprises"),
	N_("In hamlets and residential areas"), N_("Higher education"),
	N_("Re-admitted"),
};

static int is_none(const char *s)
{
	if (!s || !*s)
		return 1;
	struct buf f = BUF_INIT;
	text_fold(s, &f);
	int none = strcmp(f.s, "khong") == 0 || strcmp(f.s, "none") == 0 ||
		   strcmp(f.s, "khong co") == 0;
	buf_release(&f);
	return none;
}

/* The sector of a considering unit: its own, or its nearest ancestor's. */
static const char *unit_sector(const struct unode *n)
{
	for (; n; n = n->parent)
		if (n->u.sector)
			return n->u.sector;
	return NULL;
}

/* The categories of a's person, the admitting unit's sector (its own or
 * its nearest ancestor's) being `sector`. */
static void categorise(const struct admission *a, const char *sector, int in[CAT__COUNT])
{
	memset(in, 0, sizeof(int) * CAT__COUNT);
	in[CAT_TOTAL] = 1;
	in[CAT_FEMALE] = a->sex == 'F';
	in[CAT_ETHNIC] = a->ethnicity && *a->ethnicity && strcmp(a->ethnicity, "Kinh") != 0;
	in[CAT_RELIGIOUS] = !is_none(a->religion);
	/* 30 or younger: the 31st birthday not yet reached on the decision. */
	in[CAT_YOUTH] = a->birth_date != KN_DATE_NONE &&
			date_months_between(a->birth_date, a->decision) < 31 * 12;
	in[CAT_YOUTH_UNION] = a->youth_union;
	in[CAT_WORKER] = a->occupation && strcmp(a->occupation, "worker") == 0;
	in[CAT_FARMER] = a->occupation && strcmp(a->occupation, "farmer") == 0;
	in[CAT_STUDENT] = a->occupation && strcmp(a->occupation, "student") == 0;
	in[CAT_CIVIL_SERVANT] = a->occupation && strcmp(a->occupation, "civil_servant") == 0;
	in[CAT_NONSTATE] = sector && strcmp(sector, "nonstate_enterprise") == 0;
	in[CAT_HAMLET] = sector && strcmp(sector, "hamlet") == 0;
	in[CAT_HIGHER_EDU] = a->qualification && (strcmp(a->qualification, "college") == 0 ||
		strcmp(a->qualification, "university") == 0 ||
		strcmp(a->qualification, "postgraduate") == 0);
	/* RULES.md §9: fixed when the candidacy's source was recorded. */
	in[CAT_READMITTED] = a->readmission;
}

size_t report_category_count(void)
{
	return CAT__COUNT;
}

const char *report_category_code(size_t i)
{
	return i < CAT__COUNT ? report_cat_codes[i] : NULL;
}

const char *report_category_label(size_t i)
{
	return i < CAT__COUNT ? _(cat_labels[i]) : NULL;
}

int report_in_category(const struct admission *a, const struct unode *un, const char *code)
{
	int in[CAT__COUNT];
	for (int k = 0; k < CAT__COUNT; k++) {
		if (!code || strcmp(code, report_cat_codes[k]) != 0)
			continue;
		categorise(a, unit_sector(un), in);
		return in[k];
	}
	return -1;
}

/* ---- what a build needs ---- */

/* The place of n (a node of c->tree) in c->sub; -1 outside the top's
 * subtree. */
static long sub_place(const struct ctx *c, const struct unode *n)
{
	uint32_t k = c->slot[n - c->tree->nodes];
	return k ? (long)k - 1 : -1;
}

long long report_quota_of(const struct ctx *c, const struct unode *n, enum category cat)
{
	long p;
	if (n == c->top)
		return c->quota_top[cat];
	if (cat != CAT_TOTAL || !c->quota || (p = sub_place(c, n)) < 0)
		return -1;
	return c->quota[p];
}

long long report_admitted(const struct ctx *c, const struct unode *n)
{
	long p = c->adm ? sub_place(c, n) : -1;
	return p < 0 ? 0 : c->adm[p];
}

/* c->sub, c->nsub and c->slot: the top's subtree, in preorder, so that
 * a unit's parent always comes before it. Over the subtree only: a
 * server's tree holds every unit of a nation, and a district's report
 * must not walk them. */
static void subtree_list(struct ctx *c)
{
	const struct unode **stack;
	size_t nstack = 0, cap = 256;

	c->slot = xcalloc(c->tree->n ? c->tree->n : 1, sizeof(*c->slot));
	c->sub = xreallocarray(NULL, cap, sizeof(*c->sub));
	stack = xreallocarray(NULL, cap, sizeof(*stack));
	stack[nstack++] = c->top;
	while (nstack) {
		const struct unode *n = stack[--nstack];
		if (c->nsub == cap) {
			cap *= 2;
			c->sub = xreallocarray(c->sub, cap, sizeof(*c->sub));
			stack = xreallocarray(stack, cap, sizeof(*stack));
		}
		c->slot[n - c->tree->nodes] = (uint32_t)(c->nsub + 1);
		c->sub[c->nsub++] = n;
		/* The stack never holds more than the units not yet listed. */
		for (size_t i = n->nchildren; i-- > 0;)
			stack[nstack++] = n->children[i];
	}
	free(stack);
}

static int quota_one(void *arg, int64_t unit_id, const char *category, long long target)
{
	struct ctx *c = arg;
	const struct unode *un = unitree_find_id(c->tree, unit_id);
	long p = un ? sub_place(c, un) : -1;
	int k = 0;
	if (p < 0 || !category)
		return 0;
	while (k < CAT__COUNT && strcmp(category, report_cat_codes[k]) != 0)
		k++;
	if (k == CAT__COUNT)
		return 0;
	if (un == c->top)
		c->quota_top[k] = target;
	if (k == CAT_TOTAL)
		c->quota[p] = target;
	return 0;
}

/* The quotas of the period's year for the subtree: the top's of every
 * category, the others' total, by place in c->sub (a report asks for one
 * per output row; a search of every quota for each, the old quota_of,
 * was 40% of `achievement --depth 3`). None when the period spans years. */
static enum kn_err load_quotas(struct ctx *c, struct buf *err)
{
	enum kn_err e;

	if (!c->quota_year)
		return KN_OK;
	c->quota = xreallocarray(NULL, c->nsub, sizeof(*c->quota));
	for (size_t i = 0; i < c->nsub; i++)
		c->quota[i] = -1;
	if ((e = store_quota_year_each(c->s, c->scope, c->quota_year, quota_one, c)) != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	return e;
}

static int admission_one(void *arg, const struct admission *a)
{
	struct ctx *c = arg;
	const struct unode *un = unitree_find_id(c->tree, a->unit_id);
	long p = un ? sub_place(c, un) : -1;
	int in[CAT__COUNT];
	if (p < 0)
		return 0;
	categorise(a, unit_sector(un), in);
	for (int k = 0; k < CAT__COUNT; k++)
		c->adm_top[k] += in[k];
	c->adm[p] += in[CAT_TOTAL];
	return 0;
}

static int admission_unit_one(void *arg, int64_t unit_id)
{
	struct ctx *c = arg;
	const struct unode *un = unitree_find_id(c->tree, unit_id);
	long p = un ? sub_place(c, un) : -1;
	if (p >= 0) {
		c->adm_top[CAT_TOTAL]++;
		c->adm[p]++;
	}
	return 0;
}

/* The admissions of the period in the subtree, counted for their own
 * unit (and by category for the top, when the report shows them), then
 * rolled up the subtree once, last listed first: each unit adds its
 * subtree's count to its parent's (a pass over the units, not over the
 * admissions). */
static enum kn_err load_admissions(struct ctx *c, int categories, struct buf *err)
{
	enum kn_err e;

	c->adm = xcalloc(c->nsub, sizeof(*c->adm));
	e = categories
		? store_admissions_each(c->s, c->scope, c->o->from, c->to, admission_one, c)
		: store_admission_units_each(c->s, c->scope, c->o->from, c->to,
					     admission_unit_one, c);
	if (e != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	for (size_t i = c->nsub; i-- > 1;)
		c->adm[sub_place(c, c->sub[i]->parent)] += c->adm[i];
	return KN_OK;
}

/* ---- a tree of the levels shown (issue 13) ---- */

/* The place in c->sub of the unit `id` whose path is `path`, or else of
 * its nearest ancestor in c->tree: a tree read down to the levels a
 * report shows (load_shown) has no units below them, and their counts
 * go to their ancestor at the last level read, which the roll-up then
 * carries up as before. -1 outside the top's subtree. */
static long place_on_path(const struct ctx *c, int64_t id, const char *path)
{
	const struct unode *un = unitree_find_id(c->tree, id);
	size_t end;

	if (un)
		return sub_place(c, un);
	if (!path)
		return -1;
	/* "/1/5/77/": the ids from the last, which is the unit's own. */
	end = strlen(path);
	while (end > 1 && path[end - 1] == '/') {
		size_t b = end - 1;
		int64_t v = 0;
		while (b > 0 && path[b - 1] != '/')
			b--;
		for (size_t i = b; i < end - 1; i++) {
			if (path[i] < '0' || path[i] > '9')
				return -1;
			v = v * 10 + (path[i] - '0');
		}
		if ((un = unitree_find_id(c->tree, v)))
			return sub_place(c, un);
		end = b;
	}
	return -1;
}

/* How many levels below the top a report of kind shows (the units it
 * reads); -1 when it needs the whole subtree: the summary and the
 * deadlines look up the unit of every open candidacy. */
static int shown_depth(enum report_kind kind, const struct report_opts *o)
{
	switch (kind) {
	case REPORT_ACHIEVEMENT: return o->depth > 0 ? o->depth : 0;
	case REPORT_RANKING: return o->level > 0 ? o->level : 0;
	case REPORT_STRUCTURE: return 0;
	/* Its own figures: the top's and its children's. The dossiers
	 * waiting, which need every unit, get a tree of their own
	 * (report_whole_tree). */
	case REPORT_SUMMARY: return 1;
	default: return -1;
	}
}

/* c->own: the top (o->unit, or the first root), the units down to
 * `depth` levels below it and its ancestors, with the quotas of the
 * total of the period's year (c->own_quota). At a nation's root an
 * achievement to depth 1 reads 64 units instead of 325 thousand. */
static enum kn_err load_shown(struct ctx *c, int depth, struct buf *err)
{
	struct unit root, *units;
	long long *quota;
	size_t n;
	const char *code = c->o->unit;
	enum kn_err e = KN_OK;

	memset(&root, 0, sizeof(root));
	if (!code) {
		e = store_unit_first_root(c->s, &root);
		if (e == KN_ENOTFOUND) {	/* no units: an empty tree */
			unit_release(&root);
			unitree_build(&c->own, NULL, 0);
			c->tree = &c->own;
			return KN_OK;
		}
		code = root.code;
	}
	if (e == KN_OK)
		e = store_report_units(c->s, code, depth,
				       c->quota_year ? c->quota_year : 0, &units, &quota, &n);
	unit_release(&root);
	if (e != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	unitree_build(&c->own, units, n);	/* nodes in the order read */
	c->tree = &c->own;
	c->own_quota = quota;
	return KN_OK;
}

/* load_quotas() from what load_shown read: the total's of each unit, and
 * the top's of every category. */
static int quota_top_one(void *arg, const char *category, long long target)
{
	struct ctx *c = arg;
	for (int k = 0; k < CAT__COUNT; k++)
		if (category && strcmp(category, report_cat_codes[k]) == 0)
			c->quota_top[k] = target;
	return 0;
}

static enum kn_err load_shown_quotas(struct ctx *c, struct buf *err)
{
	enum kn_err e;

	if (!c->quota_year)
		return KN_OK;
	c->quota = xreallocarray(NULL, c->nsub, sizeof(*c->quota));
	for (size_t i = 0; i < c->nsub; i++)
		c->quota[i] = c->own_quota[c->sub[i] - c->tree->nodes];
	e = store_report_quota_top(c->s, c->top->u.code, c->quota_year, quota_top_one, c);
	if (e != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	return e;
}

static int shown_units_one(void *arg, int64_t unit_id, const char *path, long long n)
{
	struct ctx *c = arg;
	long p = place_on_path(c, unit_id, path);
	if (p >= 0) {
		c->adm_top[CAT_TOTAL] += n;
		c->adm[p] += n;
	}
	return 0;
}

/* The admissions by category over a tree of the levels shown: the units
 * below them are not in it, so a unit without a sector of its own whose
 * node is not there either has its sector's categories counted after
 * the read (pending: its id once per admission). */
struct shown_cats {
	struct ctx *c;
	int64_t *pending;
	size_t npending, cap;
};

static int shown_cats_one(void *arg, const struct admission *a, const char *path,
			  const char *sector, const char *org)
{
	struct shown_cats *sc = arg;
	struct ctx *c = sc->c;
	long p = place_on_path(c, a->unit_id, path);
	int in[CAT__COUNT];

	/* Every decision the store hands counts for its source's
	 * organisation (an unknown one as "other", the last). */
	if (c->adm_org_read) {
		size_t i = 0;
		while (i < STORE_NORGS - 1 && (!org || strcmp(org, label_orgs[i].code) != 0))
			i++;
		c->adm_org[i]++;
	}
	if (p < 0)
		return 0;
	if (!sector) {
		const struct unode *un = unitree_find_id(c->tree, a->unit_id);
		if (un) {
			sector = unit_sector(un);
		} else {
			if (sc->npending == sc->cap) {
				sc->cap = sc->cap ? 2 * sc->cap : 64;
				sc->pending = xreallocarray(sc->pending, sc->cap,
							    sizeof(*sc->pending));
			}
			sc->pending[sc->npending++] = a->unit_id;
		}
	}
	categorise(a, sector, in);
	for (int k = 0; k < CAT__COUNT; k++)
		c->adm_top[k] += in[k];
	c->adm[p] += 1;
	return 0;
}

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* The sector categories of the pending admissions: each unit's sector
 * up its ancestors, read now that the stream is closed (a lazy tree:
 * each unit once, with the units above it). */
static enum kn_err shown_cats_pending(struct shown_cats *sc, struct buf *err)
{
	struct ctx *c = sc->c;
	struct unitree lazy;
	enum kn_err e = KN_OK;

	if (!sc->npending)
		return KN_OK;
	xqsort(sc->pending, sc->npending, sizeof(*sc->pending), id_cmp);
	unitree_lazy(&lazy, c->s);
	for (size_t i = 0, j; i < sc->npending; i = j) {
		for (j = i + 1; j < sc->npending && sc->pending[j] == sc->pending[i]; j++)
			;
		const struct unode *un = unitree_find_id(&lazy, sc->pending[i]);
		if (!un) {
			if (unitree_lazy_failed(&lazy)) {
				buf_addf(err, "%s", store_errmsg(c->s));
				e = KN_EIO;
				break;
			}
			continue;
		}
		const char *sector = unit_sector(un);
		if (sector && strcmp(sector, "nonstate_enterprise") == 0)
			c->adm_top[CAT_NONSTATE] += (long long)(j - i);
		if (sector && strcmp(sector, "hamlet") == 0)
			c->adm_top[CAT_HAMLET] += (long long)(j - i);
	}
	unitree_free(&lazy);
	return e;
}

/* load_admissions() over a tree of the levels shown: the decisions
 * counted per unit in the database (or read one by one for the
 * categories), each count put on the nearest unit read, then rolled up
 * the same way. */
static enum kn_err load_shown_admissions(struct ctx *c, int categories, struct buf *err)
{
	struct shown_cats sc = { c, NULL, 0, 0 };
	enum kn_err e;

	c->adm = xcalloc(c->nsub ? c->nsub : 1, sizeof(*c->adm));
	e = categories
		? store_report_admissions(c->s, c->scope, c->o->from, c->to, c->adm_org_read,
					  shown_cats_one, &sc)
		: store_report_admission_units(c->s, c->scope, c->o->from, c->to,
					       shown_units_one, c);
	if (e != KN_OK)
		buf_addf(err, "%s", store_errmsg(c->s));
	else
		e = shown_cats_pending(&sc, err);
	free(sc.pending);
	if (e != KN_OK)
		return e;
	for (size_t i = c->nsub; i-- > 1;)
		c->adm[sub_place(c, c->sub[i]->parent)] += c->adm[i];
	return KN_OK;
}

enum kn_err report_whole_tree(const struct ctx *c, struct unitree *own, struct ctx *w,
			      struct buf *err)
{
	struct unit *units;
	size_t n;
	enum kn_err e;

	memset(own, 0, sizeof(*own));
	*w = *c;
	if (!c->own_quota)	/* c's tree is the whole subtree already */
		return KN_OK;
	if (c->o->tree) {
		w->tree = c->o->tree;
	} else {
		/* The whole organisation in table order (unitree_load), or
		 * the top's subtree and the units above it. */
		e = !c->scope ? unitree_load(own, c->s)
			      : store_unit_subtree(c->s, c->scope, &units, &n);
		if (e != KN_OK) {
			buf_addf(err, "%s", store_errmsg(c->s));
			return e;
		}
		if (c->scope)
			unitree_build(own, units, n);
		w->tree = own;
	}
	w->top = unitree_find(w->tree, c->top->u.code);
	if (!w->top) {	/* removed meanwhile: as ctx_open says it */
		buf_addf(err, _("no unit with code %s; `ketnap unit tree` lists them"),
			 c->top->u.code);
		return KN_ENOTFOUND;
	}
	/* Nothing of c's figures is w's: they belong to c's tree. */
	w->sub = NULL;
	w->nsub = 0;
	w->slot = NULL;
	w->quota = w->adm = w->own_quota = NULL;
	return KN_OK;
}

/* ---- building the table ---- */

struct report *report_new(enum report_kind kind, const struct rcol *cols, size_t ncols,
			  const struct ctx *c)
{
	struct report *r = xcalloc(1, sizeof(*r));
	r->kind = kind;
	r->name = kind_names[kind];
	r->cols = cols;
	r->ncols = ncols;
	r->unit = xstrdup(c->top->u.code);
	r->unit_name = xstrdup(c->top->u.name);
	r->from = c->o->from;
	r->to = c->o->to;
	r->as_of = c->as_of;
	r->waiting = r->waiting_overdue = -1;
	return r;
}

/* Append an empty row; returns its index. */
size_t report_add_row(struct report *r)
{
	if (r->nrows == r->rowcap) {	/* doubling: a nation's 240 k rows */
		r->rowcap = r->rowcap ? 2 * r->rowcap : 16;
		r->rows = xreallocarray(r->rows, r->rowcap * (r->ncols ? r->ncols : 1),
					sizeof(*r->rows));
	}
	memset(&r->rows[r->nrows * r->ncols], 0, r->ncols * sizeof(*r->rows));
	for (size_t i = 0; i < r->ncols; i++)
		r->rows[r->nrows * r->ncols + i].date = KN_DATE_NONE;
	return r->nrows++;
}

void report_set_text(struct report *r, size_t row, size_t col, const char *s)
{
	struct rcell *x = report_cell(r, row, col);
	if (s) {
		x->text = xstrdup(s);
	} else {
		x->null = 1;
	}
}

void report_set_label(struct report *r, size_t row, size_t col, const char *label)
{
	report_cell(r, row, col)->label = xstrdup(label);
}

void report_take_text(struct report *r, size_t row, size_t col, char *s)
{
	struct rcell *x = report_cell(r, row, col);
	x->text = s;
	x->null = s == NULL;
}

/* s's copy in r's pool, made on first use. A pool holds a few texts. */
static char *pool_get(struct report *r, const char *s)
{
	for (size_t i = 0; i < r->npool; i++)
		if (strcmp(r->pool[i], s) == 0)
			return r->pool[i];
	r->pool = xreallocarray(r->pool, r->npool + 1, sizeof(*r->pool));
	return r->pool[r->npool++] = xstrdup(s);
}

void report_set_text_pooled(struct report *r, size_t row, size_t col, const char *s)
{
	struct rcell *x = report_cell(r, row, col);
	if (!s) {
		x->null = 1;
		return;
	}
	x->text = pool_get(r, s);
	x->pooled |= 1;
}

void report_set_label_pooled(struct report *r, size_t row, size_t col, const char *label)
{
	struct rcell *x = report_cell(r, row, col);
	x->label = pool_get(r, label);
	x->pooled |= 2;
}

void report_set_num(struct report *r, size_t row, size_t col, long long v, int null)
{
	struct rcell *x = report_cell(r, row, col);
	x->num = v;
	x->null = null;
}

void report_set_date(struct report *r, size_t row, size_t col, kn_date d)
{
	struct rcell *x = report_cell(r, row, col);
	x->date = d;
	x->null = d == KN_DATE_NONE;
}

/* The period as words: "in 2011" (a calendar year) or "from D to D", the dates
 * written as the language in force writes them. */
void report_period_words(const struct report_opts *o, struct buf *out)
{
	int y1, m1, d1, y2, m2, d2;
	date_to_ymd(o->from, &y1, &m1, &d1);
	date_to_ymd(o->to, &y2, &m2, &d2);
	if (y1 == y2 && m1 == 1 && d1 == 1 && m2 == 12 && d2 == 31) {
		buf_addf(out, _("in %d"), y1);
	} else {
		char a[11], b[11];
		date_format_user(o->from, a);
		date_format_user(o->to, b);
		buf_addf(out, _("from %s to %s"), a, b);
	}
}

void report_set_title(struct report *r, const char *what, const struct ctx *c)
{
	struct buf t = BUF_INIT;
	buf_addf(&t, "%s — %s ", what, c->top->u.name);
	report_period_words(c->o, &t);
	r->title = buf_detach(&t);
}

static const struct rcol achievement_cols[] = {
	{ "unit", N_("unit"), RC_CODE, 0 },
	{ "name", N_("name"), RC_TEXT, 0 },
	{ "depth", N_("level"), RC_INT, 0 },
	{ "quota", N_("quota"), RC_INT, 0 },
	{ "admitted", N_("admitted"), RC_INT, 0 },
	{ "percent", N_("% of quota"), RC_PERCENT, 0 },
	{ "met", N_("met"), RC_YESNO, 0 },
};

static void achievement_row(struct report *r, const struct ctx *c, const struct unode *n,
			    int depth)
{
	size_t row = report_add_row(r);
	long long q = report_quota_of(c, n, CAT_TOTAL);
	long long adm = report_admitted(c, n);
	long long pct = q > 0 ? text_percent_tenths(adm, q) : -1;
	r->depth = xreallocarray(r->depth, r->nrows, sizeof(*r->depth));
	r->depth[row] = depth;
	report_set_text(r, row, 0, n->u.code);
	report_set_text(r, row, 1, n->u.name);
	report_set_num(r, row, 2, depth, 0);
	report_set_num(r, row, 3, q, q < 0);
	report_set_num(r, row, 4, adm, 0);
	report_set_num(r, row, 5, pct, pct < 0);
	report_set_num(r, row, 6, adm >= q, q < 0);
}

static void achievement_walk(struct report *r, const struct ctx *c, const struct unode *n,
			     int depth, int max)
{
	achievement_row(r, c, n, depth);
	if (depth >= max)
		return;
	for (size_t i = 0; i < n->nchildren; i++)
		achievement_walk(r, c, n->children[i], depth + 1, max);
}

static struct report *build_achievement(const struct ctx *c)
{
	struct report *r = report_new(REPORT_ACHIEVEMENT, achievement_cols, 7, c);
	report_set_title(r, _("Admissions against quota"), c);
	achievement_walk(r, c, c->top, 0, c->o->depth);
	return r;
}

static const struct rcol structure_cols[] = {
	{ "category", N_("category"), RC_CODE, 0 },
	{ "admitted", N_("admitted"), RC_INT, 0 },
	{ "share", N_("% of admissions"), RC_PERCENT, 0 },
	{ "quota", N_("quota"), RC_INT, 0 },
	{ "percent", N_("% of quota"), RC_PERCENT, 0 },
};

static struct report *build_structure(const struct ctx *c)
{
	struct report *r = report_new(REPORT_STRUCTURE, structure_cols, 5, c);
	const long long *adm = c->adm_top;
	report_set_title(r, _("Admissions by structure category"), c);
	for (int k = 0; k < CAT__COUNT; k++) {
		size_t row = report_add_row(r);
		long long q = report_quota_of(c, c->top, (enum category)k);
		long long share = adm[CAT_TOTAL] > 0 ? text_percent_tenths(adm[k], adm[CAT_TOTAL]) : -1;
		long long pct = q > 0 ? text_percent_tenths(adm[k], q) : -1;
		report_set_text(r, row, 0, report_cat_codes[k]);
		report_set_label(r, row, 0, _(cat_labels[k]));
		report_set_num(r, row, 1, adm[k], 0);
		report_set_num(r, row, 2, share, share < 0);
		report_set_num(r, row, 3, q, q < 0);
		report_set_num(r, row, 4, pct, pct < 0);
	}
	return r;
}

/* The steps a funnel shows, in pipeline order (mentor is optional and
 * repeatable, so it is not a stage of the funnel). */
static const enum step_code funnel_steps[] = {
	STEP_SOURCE, STEP_TRAINED, STEP_APPLIED, STEP_VERIFIED, STEP_INTRODUCED,
	STEP_CELL_VOTE, STEP_COMMITTEE_VOTE, STEP_DECISION, STEP_CEREMONY,
	STEP_PROBATION_VOTE, STEP_OFFICIAL,
};
#define NFUNNEL (sizeof(funnel_steps) / sizeof(*funnel_steps))

/* No "% of the previous step": a step dated in the period is reached by
 * candidacies that started in earlier years too, so one step can count
 * more than the step before it (250%), and the share would mean nothing.
 * The note under the title says what the figures are. */
static const struct rcol funnel_cols[] = {
	{ "step", N_("step"), RC_CODE, 0 },
	{ "reached", N_("reached"), RC_INT, 0 },
};

static enum kn_err build_funnel(const struct ctx *c, struct report **out, struct buf *err)
{
	long long reached[STEP__COUNT];
	enum kn_err e = store_step_counts(c->s, c->scope, c->o->from, c->to, reached);
	if (e != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	struct report *r = report_new(REPORT_FUNNEL, funnel_cols, 2, c);
	report_set_title(r, _("Steps recorded"), c);
	r->note = xstrdup(_("Each step counts the candidacies that reached it on a date in the "
			    "period, whatever year they entered the source; they are not one "
			    "group followed from the source, so a step can count more than the "
			    "step before it."));
	for (size_t i = 0; i < NFUNNEL; i++) {
		size_t row = report_add_row(r);
		report_set_text(r, row, 0, step_name(funnel_steps[i]));
		report_set_label(r, row, 0, step_label(funnel_steps[i]));
		report_set_num(r, row, 1, reached[funnel_steps[i]], 0);
	}
	*out = r;
	return KN_OK;
}

/* ---- entry points ---- */

static void ctx_close(struct ctx *c)
{
	free(c->adm);
	free(c->quota);
	free(c->sub);
	free(c->slot);
	free(c->own_quota);
	unitree_free(&c->own);
}

/* 1 when the report unit `unit` (NULL: the first root) is the only
 * root, whose subtree is every unit; 0 when not, or when the store
 * failed (*e says so). */
static int only_root(struct store *s, const char *unit, enum kn_err *e)
{
	long long roots;
	struct unit u;

	if ((*e = store_unit_nroots(s, &roots)) != KN_OK || roots != 1)
		return 0;
	if (!unit)
		return 1;
	*e = store_unit_get(s, unit, &u);
	int root = *e == KN_OK && !u.parent;
	if (*e == KN_ENOTFOUND)	/* said below, as store_unit_subtree's */
		*e = KN_OK;
	unit_release(&u);
	return root;
}

/* What a report of kind needs, into c (ctx_close() it, whatever this
 * returns): the tree, the top, the period and, for the reports that show
 * them, the quotas and the admissions. */
static enum kn_err ctx_open(struct ctx *c, struct store *s, struct calendar *cal,
			    enum report_kind kind, const struct report_opts *o, struct buf *err)
{
	struct unit *units;
	size_t n;
	enum kn_err e = KN_OK;

	memset(c, 0, sizeof(*c));
	c->s = s;
	c->cal = cal;
	c->o = o;
	/* The tree: the caller's (a server's, of every unit), or else the
	 * report unit's subtree and the units above it, no more; the funnel
	 * and the sources, which count in SQL, only the unit itself, the
	 * first root when none is given (at the national root the subtree is
	 * 325 k units: 0.45 s and some 100 MB). */
	/* Before the tree: load_shown reads the year's quotas with it. */
	c->quota_year = date_year(o->from) == date_year(o->to) ? date_year(o->from) : 0;
	int shown = shown_depth(kind, o);
	if (o->tree && shown < 0) {
		c->tree = o->tree;
	} else if (shown >= 0) {
		if ((e = load_shown(c, shown, err)) != KN_OK)
			return e;
	} else if (kind != REPORT_FUNNEL && kind != REPORT_SOURCES && only_root(s, o->unit, &e)) {
		/* The whole organisation (the deadlines of the only root): one
		 * sequential read into the tree's arena (unitree_load), not
		 * the subtree by path, a random row, a join and four strings
		 * allocated per unit (at the national root 1 s and 117 MB). */
		if ((e = unitree_load(&c->own, s)) != KN_OK) {
			buf_addf(err, "%s", store_errmsg(s));
			return e;
		}
		c->tree = &c->own;
	} else if (e != KN_OK) {	/* only_root's read */
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	} else {
		if (kind == REPORT_FUNNEL || kind == REPORT_SOURCES) {
			units = xcalloc(1, sizeof(*units));
			n = 1;
			e = o->unit ? store_unit_get(s, o->unit, &units[0])
				    : store_unit_first_root(s, &units[0]);
			if (e == KN_ENOTFOUND && !o->unit) {	/* no units: as below */
				e = KN_OK;
				n = 0;
			}
			if (e != KN_OK || n == 0) {
				unit_release(&units[0]);	/* left empty (store.h) */
				free(units);
				units = NULL;
			}
		} else {
			e = store_unit_subtree(s, o->unit, &units, &n);
		}
		if (e != KN_OK) {
			if (e == KN_ENOTFOUND && o->unit)
				buf_addf(err, _("no unit with code %s; `ketnap unit tree` lists them"),
					 o->unit);
			else
				buf_addf(err, "%s", store_errmsg(s));
			return e;
		}
		unitree_build(&c->own, units, n);
		c->tree = &c->own;
	}
	if (o->unit) {
		c->top = unitree_find(c->tree, o->unit);
		if (!c->top) {
			buf_addf(err, _("no unit with code %s; `ketnap unit tree` lists them"), o->unit);
			return KN_ENOTFOUND;
		}
	} else if (c->tree->nroots) {
		c->top = c->tree->roots[0];
	} else {
		buf_addf(err, "%s", _("no units yet; load them with `ketnap import units FILE`"));
		return KN_ENOTFOUND;
	}
	c->scope = c->top->u.code;
	if (!c->top->u.parent) {	/* a root (a lone top has no parent node) */
		long long roots;
		if ((e = store_unit_nroots(s, &roots)) != KN_OK) {
			buf_addf(err, "%s", store_errmsg(s));
			return e;
		}
		if (roots == 1)
			c->scope = NULL;
	}
	c->as_of = o->as_of != KN_DATE_NONE ? o->as_of : date_today();
	c->to = o->to < c->as_of ? o->to : c->as_of;
	/* The quotas and the admissions only for the reports that show
	 * them: at the national root they are most of a report's time, and
	 * the funnel, the sources and the deadlines never read them. */
	for (int k = 0; k < CAT__COUNT; k++)
		c->quota_top[k] = -1;
	if (kind != REPORT_FUNNEL && kind != REPORT_SOURCES && kind != REPORT_DEADLINES) {
		/* By category: the structure report, and the summary's
		 * targets that fell short; the others count totals. */
		int categories = kind == REPORT_STRUCTURE || kind == REPORT_SUMMARY;
		subtree_list(c);
		if (c->own_quota) {
			/* The summary's organisations with its categories. */
			c->adm_org_read = kind == REPORT_SUMMARY;
			if ((e = load_shown_quotas(c, err)) != KN_OK ||
			    (e = load_shown_admissions(c, categories, err)) != KN_OK)
				return e;
		} else if ((e = load_quotas(c, err)) != KN_OK ||
			   (e = load_admissions(c, categories, err)) != KN_OK) {
			return e;
		}
	}
	return KN_OK;
}

enum kn_err report_build(struct store *s, struct calendar *cal, enum report_kind kind,
			 const struct report_opts *o, struct report **out, struct buf *err)
{
	struct ctx c;
	enum kn_err e;

	*out = NULL;
	if ((e = ctx_open(&c, s, cal, kind, o, err)) != KN_OK)
		goto out;
	switch (kind) {
	case REPORT_ACHIEVEMENT: *out = build_achievement(&c); break;
	case REPORT_STRUCTURE: *out = build_structure(&c); break;
	case REPORT_FUNNEL: e = build_funnel(&c, out, err); break;
	case REPORT_SOURCES: e = report_build_sources(&c, out, err); break;
	case REPORT_DEADLINES: e = report_build_deadlines(&c, out, err); break;
	case REPORT_RANKING: *out = report_build_ranking(&c); break;
	case REPORT_SUMMARY: e = report_build_summary(&c, out, err); break;
	default: e = KN_EINVAL; break;
	}
	/* The year-end review names the data it was made from. */
	if (e == KN_OK && kind == REPORT_SUMMARY && *out) {
		struct buf a = BUF_INIT;
		if ((e = verify_anchor(s, &a)) == KN_OK) {
			(*out)->anchor = buf_detach(&a);
		} else {
			buf_addf(err, "%s", store_errmsg(s));
			report_free(*out);
			*out = NULL;
		}
		buf_release(&a);
	}
out:
	ctx_close(&c);
	return e;
}

enum kn_err report_deadline_counts(struct store *s, struct calendar *cal,
				   const struct report_opts *o, int soon,
				   struct deadline_counts *out, struct buf *err)
{
	struct ctx c;
	enum kn_err e;

	memset(out, 0, sizeof(*out));
	if ((e = ctx_open(&c, s, cal, REPORT_DEADLINES, o, err)) == KN_OK)
		e = report_count_deadlines(&c, soon, out, err);
	ctx_close(&c);
	return e;
}

enum kn_err report_stream_deadlines(struct store *s, struct calendar *cal,
				    const struct report_opts *o, report_write_fn write, void *arg,
				    struct buf *err)
{
	struct ctx c;
	enum kn_err e;

	if ((e = ctx_open(&c, s, cal, REPORT_DEADLINES, o, err)) == KN_OK)
		e = report_write_deadlines(&c, write, arg, err);
	ctx_close(&c);
	return e;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows * r->ncols; i++) {
		if (!(r->rows[i].pooled & 1))
			free(r->rows[i].text);
		if (!(r->rows[i].pooled & 2))
			free(r->rows[i].label);
	}
	free(r->rows);
	for (size_t i = 0; i < r->npool; i++)
		free(r->pool[i]);
	free(r->pool);
	free(r->depth);
	report_free(r->overdue);
	free(r->title);
	free(r->unit);
	free(r->unit_name);
	free(r->summary);
	free(r->anchor);
	free(r->note);
	free(r);
}
