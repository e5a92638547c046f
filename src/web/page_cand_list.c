/*
 * page_cand_list.c — the list of candidates of `ketnap serve` (GET
 * /candidates): accent-insensitive search, filters by unit, step,
 * status, structure category and overdue deadlines, and pages.
 *
 * Search goes through text_fold() against the folded names the store
 * keeps, order through text_name_key(), overdue through deadlines_for()
 * and categories through report_in_category() — what `ketnap person
 * find` and the reports use. Only the user's subtree is listed; a unit
 * outside it answers 404. Each worker thread keeps its own copy of the
 * list, read again when the database changed.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "core/ledger.h"
#include "core/report.h"
#include "io/export.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/cand.h"
#include "web/handlers.h"
#include "web/page.h"
#include "util/sort.h"
#include "util/banned.h"


#define PAGE_SIZE 50
/* Up to this many open candidacies, the overdue filter loads each one's
 * steps; beyond it, one pass over every open candidacy is cheaper. */
#define OVERDUE_ONE_BY_ONE 150


/* The list's unit picker: every unit of the subtree in a <datalist>, the
 * code as the value and the name as the label, so the browser suggests
 * units as one types a part of either — with or without JavaScript. */
static void walk_datalist(struct buf *b, const struct unode *n)
{
	html_printf(b, "<option value=\"%s\">%s</option>", n->u.code, n->u.name);
	for (size_t i = 0; i < n->nchildren; i++)
		walk_datalist(b, n->children[i]);
}

struct unit_match {
	const char *nfc, *fold;		/* the typed name, NFC and folded */
	struct unode *hit;
	size_t exact, folded;		/* matches of each kind */
	struct unode *fold_hit;
};

static void walk_match(struct unode *n, struct unit_match *m)
{
	if (strcmp(n->u.name, m->nfc) == 0) {
		m->exact++;
		m->hit = n;
	} else {
		struct buf f = BUF_INIT;
		text_fold(n->u.name, &f);
		if (strcmp(f.s, m->fold) == 0) {
			m->folded++;
			m->fold_hit = n;
		}
		buf_release(&f);
	}
	for (size_t i = 0; i < n->nchildren; i++)
		walk_match(n->children[i], m);
}

/* The unit the picker names: a code, "Name (CODE)" as some browsers fill
 * it, or a unit's name (exact, else without accents and case) within the
 * scope. NULL when nothing or several units match (*several set). */
static struct unode *unit_pick(struct unitree *t, struct unode *scope, const char *typed,
			       int *several)
{
	struct buf nfc = BUF_INIT, fold = BUF_INIT;
	struct unode *n = unitree_find(t, typed);
	size_t len = strlen(typed);
	*several = 0;
	if (!n && len > 2 && typed[len - 1] == ')') {
		const char *open = strrchr(typed, '(');
		if (open) {
			char *code = xstrndup(open + 1, (size_t)(typed + len - 1 - open - 1));
			n = unitree_find(t, code);
			free(code);
		}
	}
	if (n)
		return unitree_within(n, scope) ? n : NULL;
	if (text_nfc(typed, &nfc) == 0) {
		struct unit_match m = { nfc.s, NULL, NULL, 0, 0, NULL };
		text_fold(nfc.s, &fold);
		m.fold = fold.s;
		walk_match(scope, &m);
		if (m.exact == 1)
			n = m.hit;
		else if (m.exact == 0 && m.folded == 1)
			n = m.fold_hit;
		else if (m.exact || m.folded)
			*several = 1;
	}
	buf_release(&nfc);
	buf_release(&fold);
	return n;
}

/* ================================================================ */
/* The list of candidates                                            */
/* ================================================================ */

/*
 * The list reads the latest candidacy of every person at once
 * (store_candidacy_list), then filters, sorts and pages in memory: the
 * subtree, the search and the categories are all judged here with the
 * domain's own functions. That read, and the ICU sort keys of every name,
 * cost a few hundred milliseconds on a city, so each worker thread keeps
 * them until the database changes. Every write of a person or a step
 * leaves an audit entry in its transaction, so the count of audit entries
 * (read before the list) tells whether the copy is still current. The
 * candidacies with an overdue deadline are kept the same way, for one day.
 */
struct cand_cache {
	long long stamp;		/* store_audit_count() when read */
	struct cand_summary *c;
	size_t n;
	char **fold;			/* text_fold() of each full name */
	char **key;			/* text_name_key() of each full name */
	size_t *order;			/* indices in Vietnamese name order */
	kn_date overdue_day;		/* the day `overdue` holds for, or NONE */
	char **overdue;			/* refs with an overdue deadline, sorted */
	size_t noverdue;
};

/* This thread's cache (freed when the worker thread ends). */
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *arg)
{
	struct cand_cache *k = arg;
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		free(k->fold[i]);
		free(k->key[i]);
	}
	for (size_t i = 0; i < k->noverdue; i++)
		free(k->overdue[i]);
	free(k->fold);
	free(k->key);
	free(k->order);
	free(k->overdue);
	store_cand_summaries_free(k->c, k->n);
	free(k);
}

/* Vietnamese name order (given, middle, family name), then ref. */
static int order_cmp(const void *a, const void *b, void *arg)
{
	const struct cand_cache *k = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(k->key[x], k->key[y]);
	return c ? c : strcmp(k->c[x].ref, k->c[y].ref);
}

static void cache_key_make(void)
{
	pthread_key_create(&cache_key, cache_free);
}

/* This thread's copy of the list, read again when the database changed;
 * NULL on a storage error. */
static struct cand_cache *cache_get(struct request *rq)
{
	struct cand_cache *k, *cache;
	long long stamp;

	pthread_once(&cache_once, cache_key_make);
	cache = pthread_getspecific(cache_key);
	if (store_audit_count(rq->store, &stamp) != KN_OK)
		return NULL;
	if (cache && cache->stamp == stamp)
		return cache;
	k = xcalloc(1, sizeof(*k));
	k->stamp = stamp;
	k->overdue_day = KN_DATE_NONE;
	if (store_candidacy_list(rq->store, NULL, &k->c, &k->n) != KN_OK) {
		free(k);
		return NULL;
	}
	k->fold = xcalloc(k->n ? k->n : 1, sizeof(*k->fold));
	k->key = xcalloc(k->n ? k->n : 1, sizeof(*k->key));
	k->order = xcalloc(k->n ? k->n : 1, sizeof(*k->order));
	for (size_t i = 0; i < k->n; i++) {
		struct buf f = BUF_INIT, s = BUF_INIT;
		text_fold(k->c[i].full_name, &f);
		text_name_key(k->c[i].full_name, &s);
		k->fold[i] = buf_detach(&f);
		k->key[i] = buf_detach(&s);
		k->order[i] = i;
	}
	xqsort_r(k->order, k->n, sizeof(*k->order), order_cmp, k);
	cache_free(cache);
	pthread_setspecific(cache_key, k);
	return k;
}

struct row {
	size_t i;		/* index into the cache */
	int overdue;		/* 1, 0, or -1 not known yet */
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether a candidacy's steps have a deadline overdue on `today`. */
static int steps_overdue(struct ledger *l, const struct step *st, size_t n)
{
	struct policy pol;
	struct deadline *dl = NULL;
	int over = 0;
	ledger_policy(l, l->today, &pol);
	size_t nd = deadlines_for(st, n, l->today, &pol, l->cal, &dl);
	for (size_t i = 0; i < nd; i++)
		over |= dl[i].workdays_left < 0;
	free(dl);
	return over;
}

/* Overdue for one open candidate: their steps loaded on their own. */
static int one_overdue(struct request *rq, struct ledger *l, const struct cand_summary *c)
{
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	int over = 0;
	if (!c->open || store_person_get(rq->store, c->ref, &p) != KN_OK)
		return 0;
	if (store_candidacies_of(rq->store, p.id, &cs, &nc) == KN_OK && nc &&
	    cs[nc - 1].id == c->candidacy_id)
		over = steps_overdue(l, cs[nc - 1].steps, cs[nc - 1].nsteps);
	store_candidacies_free(cs, nc);
	person_release(&p);
	return over;
}

struct overdue_pass {
	struct ledger *l;
	char **refs;
	size_t n, cap;
};

static int overdue_each(void *arg, const struct pipeline *p)
{
	struct overdue_pass *o = arg;
	if (!steps_overdue(o->l, p->steps, p->nsteps))
		return 0;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->refs = xreallocarray(o->refs, o->cap, sizeof(*o->refs));
	}
	o->refs[o->n++] = xstrdup(p->person_ref);
	return 0;
}

/* Every open candidacy with an overdue deadline today, in one pass over
 * the open candidacies, kept with the cache for the day. */
static enum kn_err cache_overdue(struct request *rq, struct cand_cache *k, struct ledger *l)
{
	struct overdue_pass o = { l, NULL, 0, 0 };
	if (k->overdue_day == l->today)
		return KN_OK;
	if (store_pipeline_each(rq->store, l->today, overdue_each, &o) != KN_OK) {
		for (size_t i = 0; i < o.n; i++)
			free(o.refs[i]);
		free(o.refs);
		return KN_EIO;
	}
	xqsort(o.refs, o.n, sizeof(*o.refs), str_cmp);
	for (size_t i = 0; i < k->noverdue; i++)
		free(k->overdue[i]);
	free(k->overdue);
	k->overdue = o.refs;
	k->noverdue = o.n;
	k->overdue_day = l->today;
	return KN_OK;
}

static int cached_overdue(const struct cand_cache *k, const struct cand_summary *c)
{
	const char *ref = c->ref;
	return c->open && k->noverdue &&
	       bsearch(&ref, k->overdue, k->noverdue, sizeof(*k->overdue), str_cmp) != NULL;
}

/* Whom the list shows: it opens on the open candidacies; party members
 * (admitted: a decision recorded), the candidacies closed without
 * admission, or everyone are a filter away. */
enum list_status { LIST_OPEN, LIST_MEMBERS, LIST_CLOSED, LIST_ALL, LIST__COUNT };
static const char *const list_status_names[LIST__COUNT] = { "open", "members", "closed", "all" };
static const char *const list_status_labels[LIST__COUNT] = {
	N_("open candidacies"), N_("party members (admitted)"),
	N_("closed without admission"), N_("everyone"),
};

static int list_status_keeps(enum list_status st, const struct cand_summary *c)
{
	switch (st) {
	case LIST_OPEN:
		return c->open;
	case LIST_MEMBERS:
		return c->decision != KN_DATE_NONE;
	case LIST_CLOSED:
		return !c->open && c->decision == KN_DATE_NONE;
	default:
		return 1;
	}
}

/* The query string of the list without `page` (for the pager). */
static void list_query(struct request *rq, struct buf *q)
{
	static const char *const keys[] = { "q", "unit", "status", "step", "category", "overdue" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const char *v = kv_get(&rq->query, keys[i]);
		if (!v || !*v)
			continue;
		buf_addc(q, q->len ? '&' : '?');
		buf_adds(q, keys[i]);
		buf_addc(q, '=');
		url_encode(q, v);
	}
}

static void list_filters(struct request *rq, struct response *rs, struct unode *scope,
			 const char *unit, enum list_status status, enum step_code step,
			 const char *category, int overdue)
{
	struct buf *b = &rs->body;

	html_printf(b, "<form method=\"get\" action=\"/candidates\" class=\"grid filters\" "
		    "role=\"search\">\n<label>%s <input type=\"search\" name=\"q\" value=\"%s\" "
		    "placeholder=\"%s\"></label>\n", _("Name"), nz(kv_get(&rq->query, "q")),
		    _("e.g. nguyen van dung"));
	html_printf(b, "<label>%s <input type=\"search\" name=\"unit\" list=\"units-in-scope\" "
		    "value=\"%s\" placeholder=\"%s\" autocomplete=\"off\" class=\"unit-pick\">"
		    "</label>\n<datalist id=\"units-in-scope\">", _("Unit (name or code)"), nz(unit),
		    _("e.g. Bình Thủy or CT.BT"));
	walk_datalist(b, scope);
	html_printf(b, "</datalist>\n<label>%s <select name=\"status\">", _("Show"));
	for (int i = 0; i < LIST__COUNT; i++)
		html_printf(b, "<option value=\"%s\"%S>%s</option>", list_status_names[i],
			    i == (int)status ? " selected" : "", _(list_status_labels[i]));
	html_printf(b, "</select></label>\n<label>%s <select name=\"step\"><option value=\"\">%s"
		    "</option>", _("Stage"), _("any"));
	for (int s = STEP_SOURCE; s < STEP__COUNT; s++)
		html_printf(b, "<option value=\"%s\"%S>%s</option>", step_name((enum step_code)s),
			    s == (int)step ? " selected" : "", step_label((enum step_code)s));
	html_printf(b, "</select></label>\n<label>%s <select name=\"category\"><option value=\"\">"
		    "%s</option>", _("Structure category"), _("any"));
	for (size_t i = 1; i < report_category_count(); i++)
		html_printf(b, "<option value=\"%s\"%S>%s</option>", report_category_code(i),
			    category && strcmp(category, report_category_code(i)) == 0
			    ? " selected" : "", report_category_label(i));
	html_printf(b, "</select></label>\n<label class=\"check\"><input type=\"checkbox\" "
		    "name=\"overdue\" value=\"1\"%S> %s</label>\n"
		    "<div class=\"actions\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"/candidates\">%s</a></div>\n</form>\n",
		    overdue ? " checked" : "", _("Overdue only"), _("Filter"), _("Clear"));
}

static void list_table(struct request *rq, struct response *rs, const struct cand_cache *k,
		       const struct row *rows, size_t first, size_t last)
{
	struct buf *b = &rs->body;
	html_printf(b, "<table class=\"list candidates\">\n<thead><tr><th>%s</th>"
		    "<th class=\"hide-narrow\">%s</th><th class=\"hide-narrow\">%s</th>"
		    "<th>%s</th><th>%s</th><th class=\"hide-narrow\">%s</th></tr></thead>\n"
		    "<tbody>\n", _("Full name"), _("Ref"), _("Born"), _("Unit"), _("Stage"),
		    _("Latest step"));
	for (size_t i = first; i < last; i++) {
		const struct cand_summary *c = &k->c[rows[i].i];
		struct buf href = BUF_INIT;
		cand_href(&href, c->ref);
		html_printf(b, "<tr%S><td><a href=\"%s\">%s</a>", rows[i].overdue > 0
			    ? " class=\"overdue\"" : "", href.s, c->full_name);
		if (rows[i].overdue > 0)
			html_printf(b, " <span class=\"cand-badge\">%s</span>", _("overdue"));
		html_printf(b, "</td><td class=\"code hide-narrow\">%s</td>"
			    "<td class=\"hide-narrow\">", c->ref);
		page_date(rs, c->birth_date);
		html_printf(b, "</td><td>%s <span class=\"muted code\">%s</span></td><td>%s",
			    cand_unit_name(rq, c->unit), c->unit, step_label(c->stage));
		if (!c->open)
			html_printf(b, " <span class=\"muted\">(%s)</span>", _("closed"));
		html_printf(b, "</td><td class=\"hide-narrow\">");
		page_date(rs, c->last_date);
		html_printf(b, "</td></tr>\n");
		buf_release(&href);
	}
	html_printf(b, "</tbody></table>\n");
}

static void list_pager(struct request *rq, struct response *rs, long page, size_t pages)
{
	struct buf qs = BUF_INIT;
	list_query(rq, &qs);
	page_pager(rs, "/candidates", &qs, page, pages);
	buf_release(&qs);
}

int h_candidates(struct request *rq, struct response *rs)
{
	struct unitree *t = req_tree(rq);
	struct unode *scope = req_scope(rq), *top;
	const char *q = kv_get(&rq->query, "q");
	const char *unit = kv_get(&rq->query, "unit");
	const char *stepname = kv_get(&rq->query, "step");
	const char *category = kv_get(&rq->query, "category");
	const char *ov = kv_get(&rq->query, "overdue");
	const char *pg = kv_get(&rq->query, "page");
	const char *stname = kv_get(&rq->query, "status");
	enum list_status lstatus = LIST_OPEN;
	int overdue = ov && *ov && strcmp(ov, "0") != 0;
	enum step_code step = STEP_NONE;
	struct cand_cache *k;
	struct row *rows = NULL;
	size_t nrows = 0, nopen = 0;
	struct buf folded = BUF_INIT, err = BUF_INIT;
	struct ledger l;
	long page = 1;
	int status = 0;

	if (!t || !scope)
		return cand_store_failed(rq, rs);
	top = scope;
	if (unit && *unit) {
		int several;
		top = unit_pick(t, scope, unit, &several);
		if (several)
			return resp_error(rq, rs, 400, _("Several units bear this name; choose one "
							 "from the list or type its code."));
		if (!top)
			return resp_error(rq, rs, 404, _("No such unit."));
	}
	if (stname && *stname) {
		int i;
		for (i = 0; i < LIST__COUNT && strcmp(stname, list_status_names[i]) != 0; i++)
			;
		if (i == LIST__COUNT)
			return resp_error(rq, rs, 400, _("No such choice of whom to show."));
		lstatus = (enum list_status)i;
	}
	if (stepname && *stepname && (step = step_from_name(stepname)) == STEP_NONE)
		return resp_error(rq, rs, 400, _("No such step."));
	if (category && *category) {
		int known = 0;
		for (size_t i = 1; i < report_category_count(); i++)
			known |= strcmp(category, report_category_code(i)) == 0;
		if (!known)
			return resp_error(rq, rs, 400, _("No such structure category."));
	} else {
		category = NULL;
	}
	if (pg && *pg) {
		char *end;
		page = strtol(pg, &end, 10);
		if (*end || page < 1 || page > 1000000)
			page = 1;
	}
	if (!(k = cache_get(rq)))
		return cand_store_failed(rq, rs);
	if (cand_ledger_open(rq, &l, &err) != KN_OK) {
		buf_release(&err);
		return cand_store_failed(rq, rs);
	}
	if (q && *q)
		text_fold(q, &folded);

	/* The filters, each as the rest of the program judges it, over the
	 * list in name order. */
	rows = xcalloc(k->n ? k->n : 1, sizeof(*rows));
	for (size_t j = 0; j < k->n; j++) {
		size_t i = k->order[j];
		const struct cand_summary *c = &k->c[i];
		struct unode *un;
		if (folded.len && !strstr(k->fold[i], folded.s))
			continue;	/* the store's search: the folded name contains it */
		if (step != STEP_NONE && c->stage != step)
			continue;
		if (overdue && !c->open)
			continue;
		if (!list_status_keeps(lstatus, c))
			continue;
		un = unitree_find(t, c->unit);
		if (!un || !unitree_within(un, top))
			continue;
		if (category) {
			struct admission a = {
				.unit = c->unit, .sex = c->sex, .birth_date = c->birth_date,
				.ethnicity = c->ethnicity, .religion = c->religion,
				.youth_union = c->youth_union, .occupation = c->occupation,
				.qualification = c->qualification,
				/* Not yet decided: judged as if decided today. */
				.decision = c->decision != KN_DATE_NONE ? c->decision : l.today,
			};
			if (report_in_category(&a, un, category) != 1)
				continue;
		}
		nopen += c->open;
		rows[nrows].i = i;
		rows[nrows].overdue = -1;
		nrows++;
	}
	if (overdue) {
		/* Few open candidacies: their own steps; else one pass over all. */
		int each = k->overdue_day != l.today && nopen <= OVERDUE_ONE_BY_ONE;
		size_t keep = 0;
		if (!each && cache_overdue(rq, k, &l) != KN_OK) {
			status = 500;
			goto out;
		}
		for (size_t i = 0; i < nrows; i++) {
			const struct cand_summary *c = &k->c[rows[i].i];
			if (each ? one_overdue(rq, &l, c) : cached_overdue(k, c)) {
				rows[i].overdue = 1;
				rows[keep++] = rows[i];
			}
		}
		nrows = keep;
	}

	size_t pages = nrows ? (nrows + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	if ((size_t)page > pages)
		page = (long)pages;
	size_t first = (size_t)(page - 1) * PAGE_SIZE;
	size_t last = first + PAGE_SIZE < nrows ? first + PAGE_SIZE : nrows;
	/* The overdue mark of the rows shown. */
	for (size_t i = first; i < last; i++) {
		const struct cand_summary *c = &k->c[rows[i].i];
		if (rows[i].overdue < 0)
			rows[i].overdue = k->overdue_day == l.today ? cached_overdue(k, c)
				: one_overdue(rq, &l, c);
	}

	page_begin(rq, rs, "candidates", _("Candidates"));
	struct buf *b = &rs->body;
	if (rq->role >= ROLE_EDITOR)
		html_printf(b, "<p class=\"no-print\"><a class=\"button\" href=\"/candidates/new\">%s"
			    "</a></p>\n", _("New candidate"));
	list_filters(rq, rs, scope, unit, lstatus, step, category, overdue);
	if (nrows == 0) {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("Nobody matches these filters."));
	} else {
		struct buf n = BUF_INIT, a = BUF_INIT, z = BUF_INIT;
		text_int(&n, (long long)nrows);
		text_int(&a, (long long)first + 1);
		text_int(&z, (long long)last);
		html_printf(b, "<p class=\"count\">");
		html_printf(b, ngettext("%s candidate", "%s candidates", nrows), n.s);
		html_printf(b, " · ");
		html_printf(b, _("showing %s–%s"), a.s, z.s);
		html_printf(b, "</p>\n");
		buf_release(&n);
		buf_release(&a);
		buf_release(&z);
		list_table(rq, rs, k, rows, first, last);
		if (pages > 1)
			list_pager(rq, rs, page, pages);
	}
	page_end(rq, rs);
out:
	if (status)
		cand_store_failed(rq, rs);
	free(rows);
	ledger_release(&l);
	buf_release(&folded);
	buf_release(&err);
	return 0;
}
