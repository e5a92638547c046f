/*
 * report.c — builds the six reports of FORMATS.md from the recorded steps.
 *
 * Every figure comes from three store queries — the decisions of the
 * period (admissions, RULES.md §2), the steps of the period counted per
 * unit and step (the funnel), and the candidacies open on the as-of date
 * (deadlines; the dossiers waiting for the decision as core/queue.h defines
 * them) — rolled up the unit tree in memory, so a
 * report over a unit covers its whole subtree and only it. Nothing here
 * formats numbers for people: that is the writers' job (io/).
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
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

static const char *const kind_names[REPORT__COUNT] = {
	"achievement", "structure", "funnel", "deadlines", "ranking", "summary",
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

enum category {
	CAT_TOTAL, CAT_FEMALE, CAT_ETHNIC, CAT_RELIGIOUS, CAT_YOUTH, CAT_YOUTH_UNION,
	CAT_WORKER, CAT_FARMER, CAT_STUDENT, CAT_CIVIL_SERVANT, CAT_NONSTATE, CAT_HAMLET,
	CAT_HIGHER_EDU, CAT__COUNT
};

static const char *const cat_codes[CAT__COUNT] = {
	"total", "female", "ethnic_minority", "religious", "youth", "youth_union", "worker",
	"farmer", "student", "civil_servant", "nonstate_enterprise", "hamlet", "higher_education",
};

/* Row labels of the structure report. */
static const char *const cat_labels[CAT__COUNT] = {
	N_("Total"), N_("Women"), N_("Ethnic minorities"), N_("Religious followers"),
	N_("Youth (30 or under)"), N_("Youth Union members"), N_("Workers in direct production"),
	N_("Farmers"), N_("Students"), N_("Civil servants"), N_("In non-state enterprises"),
	N_("In hamlets and residential areas"), N_("Higher education"),
};

/* Plural nouns for the summary: "admissions in non-state enterprises". */
static const char *const cat_phrases[CAT__COUNT] = {
	N_("everyone"), N_("women"), N_("ethnic minority people"), N_("religious followers"),
	N_("young people aged 30 or under"), N_("members of the Youth Union"),
	N_("workers in direct production"), N_("farmers"), N_("students"), N_("civil servants"),
	N_("workers of non-state enterprises"), N_("people in hamlets and residential areas"),
	N_("people with higher education"),
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

static void categorise(const struct admission *a, const struct unode *un, int in[CAT__COUNT])
{
	const char *sector = unit_sector(un);
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
}

size_t report_category_count(void)
{
	return CAT__COUNT;
}

const char *report_category_code(size_t i)
{
	return i < CAT__COUNT ? cat_codes[i] : NULL;
}

const char *report_category_label(size_t i)
{
	return i < CAT__COUNT ? _(cat_labels[i]) : NULL;
}

int report_in_category(const struct admission *a, const struct unode *un, const char *code)
{
	int in[CAT__COUNT];
	for (int k = 0; k < CAT__COUNT; k++) {
		if (!code || strcmp(code, cat_codes[k]) != 0)
			continue;
		categorise(a, un, in);
		return in[k];
	}
	return -1;
}

/* ---- what a build needs ---- */

struct ctx {
	struct store *s;
	struct calendar *cal;
	const struct report_opts *o;
	struct unitree tree;
	struct unode *top;
	kn_date to;		/* min(period end, as_of) */
	kn_date as_of;
	int quota_year;		/* 0 when the period spans years */
	struct quota *quotas;
	size_t nquotas;
	/* per node index: admissions of the subtree, per category */
	long long (*adm)[CAT__COUNT];
};

static size_t node_index(const struct ctx *c, const struct unode *n)
{
	return (size_t)(n - c->tree.nodes);
}

/* The quota of unit for the period's year and category; -1 when none. */
static long long quota_of(const struct ctx *c, const char *unit, const char *category)
{
	if (!c->quota_year)
		return -1;
	for (size_t i = 0; i < c->nquotas; i++)
		if (c->quotas[i].year == c->quota_year && strcmp(c->quotas[i].unit, unit) == 0 &&
		    strcmp(c->quotas[i].category, category) == 0)
			return c->quotas[i].target;
	return -1;
}

static enum kn_err load_admissions(struct ctx *c, struct buf *err)
{
	struct admission *a;
	size_t n;
	enum kn_err e = store_admissions(c->s, c->o->from, c->to, &a, &n);
	if (e != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	c->adm = xcalloc(c->tree.n ? c->tree.n : 1, sizeof(*c->adm));
	for (size_t i = 0; i < n; i++) {
		struct unode *un = unitree_find(&c->tree, a[i].unit);
		int in[CAT__COUNT];
		if (!un)
			continue;
		categorise(&a[i], un, in);
		/* Count it for the unit and every unit above. */
		for (struct unode *p = un; p; p = p->parent)
			for (int k = 0; k < CAT__COUNT; k++)
				c->adm[node_index(c, p)][k] += in[k];
	}
	store_admissions_free(a, n);
	return KN_OK;
}

/* ---- building the table ---- */

static struct report *report_new(enum report_kind kind, const struct rcol *cols, size_t ncols,
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
static size_t add_row(struct report *r)
{
	r->rows = xreallocarray(r->rows, (r->nrows + 1) * r->ncols, sizeof(*r->rows));
	memset(&r->rows[r->nrows * r->ncols], 0, r->ncols * sizeof(*r->rows));
	for (size_t i = 0; i < r->ncols; i++)
		r->rows[r->nrows * r->ncols + i].date = KN_DATE_NONE;
	return r->nrows++;
}

static void set_text(struct report *r, size_t row, size_t col, const char *s)
{
	struct rcell *x = report_cell(r, row, col);
	if (s) {
		x->text = xstrdup(s);
	} else {
		x->null = 1;
	}
}

static void set_label(struct report *r, size_t row, size_t col, const char *label)
{
	report_cell(r, row, col)->label = xstrdup(label);
}

static void set_num(struct report *r, size_t row, size_t col, long long v, int null)
{
	struct rcell *x = report_cell(r, row, col);
	x->num = v;
	x->null = null;
}

static void set_date(struct report *r, size_t row, size_t col, kn_date d)
{
	struct rcell *x = report_cell(r, row, col);
	x->date = d;
	x->null = d == KN_DATE_NONE;
}

/* The period as words: "in 2011" (a calendar year) or "from D to D", the dates
 * written as the language in force writes them. */
static void period_words(const struct report_opts *o, struct buf *out)
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

static void set_title(struct report *r, const char *what, const struct ctx *c)
{
	struct buf t = BUF_INIT;
	buf_addf(&t, "%s — %s ", what, c->top->u.name);
	period_words(c->o, &t);
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
	size_t row = add_row(r);
	long long q = quota_of(c, n->u.code, "total");
	long long adm = c->adm[node_index(c, n)][CAT_TOTAL];
	long long pct = q > 0 ? text_percent_tenths(adm, q) : -1;
	r->depth = xreallocarray(r->depth, r->nrows, sizeof(*r->depth));
	r->depth[row] = depth;
	set_text(r, row, 0, n->u.code);
	set_text(r, row, 1, n->u.name);
	set_num(r, row, 2, depth, 0);
	set_num(r, row, 3, q, q < 0);
	set_num(r, row, 4, adm, 0);
	set_num(r, row, 5, pct, pct < 0);
	set_num(r, row, 6, adm >= q, q < 0);
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
	set_title(r, _("Admissions against quota"), c);
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
	const long long *adm = c->adm[node_index(c, c->top)];
	set_title(r, _("Admissions by structure category"), c);
	for (int k = 0; k < CAT__COUNT; k++) {
		size_t row = add_row(r);
		long long q = quota_of(c, c->top->u.code, cat_codes[k]);
		long long share = adm[CAT_TOTAL] > 0 ? text_percent_tenths(adm[k], adm[CAT_TOTAL]) : -1;
		long long pct = q > 0 ? text_percent_tenths(adm[k], q) : -1;
		set_text(r, row, 0, cat_codes[k]);
		set_label(r, row, 0, _(cat_labels[k]));
		set_num(r, row, 1, adm[k], 0);
		set_num(r, row, 2, share, share < 0);
		set_num(r, row, 3, q, q < 0);
		set_num(r, row, 4, pct, pct < 0);
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
	struct step_count *sc;
	size_t n;
	long long reached[STEP__COUNT] = { 0 };
	enum kn_err e = store_step_counts(c->s, c->o->from, c->to, &sc, &n);
	if (e != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	for (size_t i = 0; i < n; i++) {
		struct unode *un = unitree_find(&c->tree, sc[i].unit);
		if (un && unitree_within(un, c->top) && sc[i].step > STEP_NONE)
			reached[sc[i].step] += sc[i].n;
	}
	store_step_counts_free(sc, n);
	struct report *r = report_new(REPORT_FUNNEL, funnel_cols, 2, c);
	set_title(r, _("Steps recorded"), c);
	r->note = xstrdup(_("Each step counts the candidacies that reached it on a date in the "
			    "period, whatever year they entered the source; they are not one "
			    "group followed from the source, so a step can count more than the "
			    "step before it."));
	for (size_t i = 0; i < NFUNNEL; i++) {
		size_t row = add_row(r);
		set_text(r, row, 0, step_name(funnel_steps[i]));
		set_label(r, row, 0, step_label(funnel_steps[i]));
		set_num(r, row, 1, reached[funnel_steps[i]], 0);
	}
	*out = r;
	return KN_OK;
}

static const struct rcol deadline_cols[] = {
	{ "person", N_("ref"), RC_CODE, 0 },
	{ "full_name", N_("full name"), RC_TEXT, 0 },
	{ "unit", N_("unit"), RC_CODE, 0 },
	{ "due", N_("deadline"), RC_CODE, 0 },
	{ "due_date", N_("due on"), RC_DATE, 0 },
	{ "workdays_left", N_("working days left"), RC_INT, 0 },
	{ "status", N_("status"), RC_CODE, 0 },
};

struct dl_row {
	char *person, *name, *unit;
	const char *code;
	kn_date due;
	int left;
};

struct dl_acc {
	const struct ctx *c;
	struct policy pol;
	struct dl_row *rows;
	size_t n;
	long long waiting;	/* dossiers waiting for the decision (core/queue.h) */
	long long waiting_overdue;
};

static int dl_collect(void *arg, const struct pipeline *p)
{
	struct dl_acc *a = arg;
	struct unode *un = unitree_find(&a->c->tree, p->unit);
	struct deadline *dl = NULL;
	struct queue_dossier qd;
	if (!un || !unitree_within(un, a->c->top))
		return 0;
	/* Waiting for the decision: the one definition of core/queue.h,
	 * counted for the report's unit. */
	if (queue_waiting(un, p->steps, p->nsteps, a->c->as_of, &a->pol, a->c->cal, &qd) &&
	    queue_counts_for(&qd, a->c->top)) {
		a->waiting++;
		a->waiting_overdue += queue_overdue(&qd);
	}
	size_t n = deadlines_for(p->steps, p->nsteps, a->c->as_of, &a->pol, a->c->cal, &dl);
	for (size_t i = 0; i < n; i++) {
		a->rows = xreallocarray(a->rows, a->n + 1, sizeof(*a->rows));
		struct dl_row *r = &a->rows[a->n++];
		r->person = xstrdup(p->person_ref);
		r->name = xstrdup(p->full_name);
		r->unit = xstrdup(p->unit);
		r->code = dl[i].code;
		r->due = dl[i].due;
		r->left = dl[i].workdays_left;
	}
	free(dl);
	return 0;
}

static int dl_cmp(const void *x, const void *y)
{
	const struct dl_row *a = x, *b = y;
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	int c = strcmp(a->person, b->person);
	return c ? c : strcmp(a->code, b->code);
}

static enum kn_err collect_deadlines(const struct ctx *c, struct dl_acc *a, struct buf *err)
{
	struct policy_row *rows;
	size_t n;
	enum kn_err e;
	memset(a, 0, sizeof(*a));
	a->c = c;
	if ((e = store_policy_all(c->s, &rows, &n)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	if (policy_resolve(rows, n, c->as_of, &a->pol, NULL) != 0) {
		const struct policy_row *def = policy_default_rows(&n);
		policy_resolve(def, n, c->as_of, &a->pol, NULL);
	}
	store_policy_free(rows, n);
	if ((e = store_pipeline_each(c->s, c->as_of, dl_collect, a)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(c->s));
		return e;
	}
	xqsort(a->rows, a->n, sizeof(*a->rows), dl_cmp);
	return KN_OK;
}

static void dl_release(struct dl_acc *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->rows[i].person);
		free(a->rows[i].name);
		free(a->rows[i].unit);
	}
	free(a->rows);
}

/* The overdue deadlines per unit, for the year-end review: a commission
 * prints a few pages, so the full list stays in the deadlines report. The
 * kinds are those of core/deadline.c, with short labels (a printed A4
 * column is narrow). Units with nothing overdue are left out; the last row
 * is the total for the report's unit. */
static const struct rcol overdue_cols[] = {
	{ "unit", N_("unit"), RC_CODE, 0 },
	{ "name", N_("name"), RC_TEXT, 0 },
	{ "DL-DECISION", N_("admission decision"), RC_INT, 0 },
	{ "DL-CEREMONY", N_("ceremony"), RC_INT, 0 },
	{ "DL-PROBATION-VOTE", N_("vote on full membership"), RC_INT, 0 },
	{ "DL-OFFICIAL", N_("full membership"), RC_INT, 0 },
	{ "DL-CERT-EXPIRY", N_("certificate"), RC_INT, 0 },
	{ "DL-DOSSIER", N_("introductions"), RC_INT, 0 },
	{ "overdue", N_("overdue, in all"), RC_INT, 0 },
};
#define NOVERDUE (sizeof(overdue_cols) / sizeof(*overdue_cols))
#define OVERDUE_KIND0 2		/* the first kind's column */
#define OVERDUE_TOTAL (NOVERDUE - 1)

static int dl_unit_cmp(const void *x, const void *y)
{
	const struct dl_row *const *a = x, *const *b = y;
	return strcmp((*a)->unit, (*b)->unit);
}

/* Add one overdue deadline of kind code to row (its column and the total). */
static void overdue_count(struct report *r, size_t row, const char *code)
{
	for (size_t k = OVERDUE_KIND0; k < OVERDUE_TOTAL; k++)
		if (strcmp(overdue_cols[k].key, code) == 0) {
			report_cell(r, row, k)->num++;
			break;
		}
	report_cell(r, row, OVERDUE_TOTAL)->num++;
}

static struct report *build_overdue(const struct ctx *c, const struct dl_acc *a)
{
	struct report *r = report_new(REPORT_DEADLINES, overdue_cols, NOVERDUE, c);
	struct dl_row **late = xcalloc(a->n ? a->n : 1, sizeof(*late));
	struct buf t = BUF_INIT;
	size_t nlate = 0, total;
	char d[11];

	date_format_user(c->as_of, d);
	buf_addf(&t, _("Overdue deadlines by unit — %s, as of %s"), c->top->u.name, d);
	r->title = buf_detach(&t);
	for (size_t i = 0; i < a->n; i++)
		if (a->rows[i].left < 0)
			late[nlate++] = &a->rows[i];
	xqsort(late, nlate, sizeof(*late), dl_unit_cmp);
	for (size_t i = 0; i < nlate; i++) {
		if (i == 0 || strcmp(late[i]->unit, late[i - 1]->unit) != 0) {
			const struct unode *un = unitree_find(&c->tree, late[i]->unit);
			size_t row = add_row(r);
			set_text(r, row, 0, late[i]->unit);
			set_text(r, row, 1, un ? un->u.name : NULL);
		}
		overdue_count(r, r->nrows - 1, late[i]->code);
	}
	total = add_row(r);
	set_text(r, total, 0, c->top->u.code);
	set_text(r, total, 1, _("Total"));
	for (size_t i = 0; i < nlate; i++)
		overdue_count(r, total, late[i]->code);
	free(late);
	return r;
}

static enum kn_err build_deadlines(const struct ctx *c, struct report **out, struct buf *err)
{
	struct dl_acc a;
	enum kn_err e = collect_deadlines(c, &a, err);
	if (e != KN_OK) {
		dl_release(&a);
		return e;
	}
	struct report *r = report_new(REPORT_DEADLINES, deadline_cols, 7, c);
	struct buf t = BUF_INIT;
	char d[11];
	date_format_user(c->as_of, d);
	buf_addf(&t, _("Open deadlines — %s, as of %s"), c->top->u.name, d);
	r->title = buf_detach(&t);
	for (size_t i = 0; i < a.n; i++) {
		size_t row = add_row(r);
		set_text(r, row, 0, a.rows[i].person);
		set_text(r, row, 1, a.rows[i].name);
		set_text(r, row, 2, a.rows[i].unit);
		set_text(r, row, 3, a.rows[i].code);
		buf_reset(&t);
		deadline_label(a.rows[i].code, &t);
		set_label(r, row, 3, t.s);
		set_date(r, row, 4, a.rows[i].due);
		set_num(r, row, 5, a.rows[i].left, 0);
		set_text(r, row, 6, a.rows[i].left < 0 ? "overdue" : "due");
		set_label(r, row, 6, a.rows[i].left < 0 ? _("overdue") : _("due"));
	}
	buf_release(&t);
	r->waiting = a.waiting;
	r->waiting_overdue = a.waiting_overdue;
	r->overdue = build_overdue(c, &a);
	dl_release(&a);
	*out = r;
	return KN_OK;
}

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
	for (size_t i = 0; i < c->tree.n; i++) {
		const struct unode *u = &c->tree.nodes[i];
		if (u->depth - c->top->depth != level || !unitree_within(u, c->top))
			continue;
		long long q = quota_of(c, u->u.code, "total");
		if (q < 0)
			continue;
		*out = xreallocarray(*out, n + 1, sizeof(**out));
		struct rank_row *r = &(*out)[n++];
		r->n = u;
		r->quota = q;
		r->admitted = c->adm[node_index(c, u)][CAT_TOTAL];
		r->pct = q > 0 ? text_percent_tenths(r->admitted, q) : -1;
	}
	xqsort(*out, n, sizeof(**out), rank_cmp);
	return n;
}

static struct report *build_ranking(const struct ctx *c)
{
	struct report *r = report_new(REPORT_RANKING, ranking_cols, 6, c);
	struct rank_row *rr;
	size_t n = ranked(c, c->o->level, &rr);
	set_title(r, _("Ranking of units by percent of quota"), c);
	for (size_t i = 0; i < n; i++) {
		size_t row = add_row(r);
		/* Equal percent and admitted share a rank (1, 2, 2, 4). */
		long long rank = (long long)i + 1;
		if (i > 0 && rr[i].pct == rr[i - 1].pct && rr[i].admitted == rr[i - 1].admitted)
			rank = report_cell(r, row - 1, 0)->num;
		set_num(r, row, 0, rank, 0);
		set_text(r, row, 1, rr[i].n->u.code);
		set_text(r, row, 2, rr[i].n->u.name);
		set_num(r, row, 3, rr[i].quota, 0);
		set_num(r, row, 4, rr[i].admitted, 0);
		set_num(r, row, 5, rr[i].pct, rr[i].pct < 0);
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

static enum kn_err build_summary(const struct ctx *c, struct report **out, struct buf *err)
{
	struct report *r = report_new(REPORT_SUMMARY, NULL, 0, c);
	struct buf p = BUF_INIT, num = BUF_INIT;
	const long long *adm = c->adm[node_index(c, c->top)];
	long long q = quota_of(c, c->top->u.code, "total");
	struct dl_acc dl;
	enum kn_err e;

	set_title(r, _("Summary of the admission of new members"), c);

	/* "In 2011, Đảng bộ thành phố Cần Thơ admitted 2.669 new members,
	 * 127,1% of the quota of 2.100." */
	struct buf period = BUF_INIT;
	period_words(c->o, &period);
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
			long long cq = quota_of(c, ch->u.code, "total");
			if ((int)ch->u.kind != k || cq < 0)
				continue;
			with++;
			met += c->adm[node_index(c, ch)][CAT_TOTAL] >= cq;
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
		long long cq = quota_of(c, c->top->u.code, cat_codes[k]);
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

	/* Dossiers waiting for the competent committee. */
	if ((e = collect_deadlines(c, &dl, err)) != KN_OK) {
		dl_release(&dl);
		buf_release(&p);
		buf_release(&num);
		report_free(r);
		return e;
	}
	if (dl.waiting) {
		struct buf w = BUF_INIT;
		text_int(&w, dl.waiting);
		buf_addf(&p, ngettext(" %s complete dossier is waiting for the competent committee's decision",
				      " %s complete dossiers are waiting for the competent committee's decision",
				      (unsigned long)dl.waiting), w.s);
		if (dl.waiting_overdue) {
			buf_reset(&w);
			text_int(&w, dl.waiting_overdue);
			buf_addf(&p, _(", %s of them past the deadline"), w.s);
		}
		buf_adds(&p, ".");
		buf_release(&w);
	} else {
		buf_adds(&p, _(" No dossier is waiting for a decision."));
	}
	r->waiting = dl.waiting;
	r->waiting_overdue = dl.waiting_overdue;
	dl_release(&dl);
	buf_release(&num);
	r->summary = buf_detach(&p);
	*out = r;
	return KN_OK;
}

/* ---- entry points ---- */

enum kn_err report_build(struct store *s, struct calendar *cal, enum report_kind kind,
			 const struct report_opts *o, struct report **out, struct buf *err)
{
	struct ctx c;
	struct unit *units;
	size_t n;
	enum kn_err e;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.cal = cal;
	c.o = o;
	if ((e = store_unit_all(s, &units, &n)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		return e;
	}
	unitree_build(&c.tree, units, n);
	if (o->unit) {
		c.top = unitree_find(&c.tree, o->unit);
		if (!c.top) {
			buf_addf(err, _("no unit with code %s; `ketnap unit tree` lists them"), o->unit);
			e = KN_ENOTFOUND;
			goto out;
		}
	} else if (c.tree.nroots) {
		c.top = c.tree.roots[0];
	} else {
		buf_addf(err, "%s", _("no units yet; load them with `ketnap import units FILE`"));
		e = KN_ENOTFOUND;
		goto out;
	}
	c.as_of = o->as_of != KN_DATE_NONE ? o->as_of : date_today();
	c.to = o->to < c.as_of ? o->to : c.as_of;
	c.quota_year = date_year(o->from) == date_year(o->to) ? date_year(o->from) : 0;
	if ((e = store_quota_all(s, &c.quotas, &c.nquotas)) != KN_OK) {
		buf_addf(err, "%s", store_errmsg(s));
		goto out;
	}
	if ((e = load_admissions(&c, err)) != KN_OK)
		goto out;
	switch (kind) {
	case REPORT_ACHIEVEMENT: *out = build_achievement(&c); break;
	case REPORT_STRUCTURE: *out = build_structure(&c); break;
	case REPORT_FUNNEL: e = build_funnel(&c, out, err); break;
	case REPORT_DEADLINES: e = build_deadlines(&c, out, err); break;
	case REPORT_RANKING: *out = build_ranking(&c); break;
	case REPORT_SUMMARY: e = build_summary(&c, out, err); break;
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
	free(c.adm);
	store_quotas_free(c.quotas, c.nquotas);
	unitree_free(&c.tree);
	return e;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows * r->ncols; i++) {
		free(r->rows[i].text);
		free(r->rows[i].label);
	}
	free(r->rows);
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
