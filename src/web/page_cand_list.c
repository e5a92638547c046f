/*
 * page_cand_list.c — the list of candidates of `ketnap serve` (GET
 * /candidates): accent-insensitive search, filters by unit, step,
 * status, structure category and overdue deadlines, and pages.
 *
 * Search goes through text_fold() against the folded names the store
 * keeps, order through text_name_key(), overdue through deadlines_for()
 * and categories through report_in_category() — what `ketnap person
 * find` and the reports use. Only the user's subtree is listed; a unit
 * outside it answers 404. Each request reads only its page from the
 * database; the page's rows, as HTML, are kept in the answer cache until
 * the next write (h_candidates).
 */
#include <limits.h>
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
#include "web/cache.h"
#include "web/cand.h"
#include "web/handlers.h"
#include "web/page.h"
#include "util/sort.h"
#include "util/banned.h"


#define PAGE_SIZE 50


/* The list's unit picker: the units of the subtree in a <datalist>, the
 * code as the value and the name as the label, so the browser suggests
 * units as one types a part of either — with or without JavaScript.
 * Issue 13: a nation's subtree has some 300,000 units, 20 MB of options
 * on every page of the list; beyond page_units_max() units the list
 * stops at the deepest level that keeps it within that many (at a
 * nation's root: the provinces and the units under them, not the 320,000
 * below), and any
 * other unit is still found by its code or name typed in full
 * (unit_pick). A city or a district has a few hundred units and gets them
 * all, as before. */
static void walk_datalist(struct buf *b, const struct unode *n, int below)
{
	html_printf(b, "<option value=\"%s\">%s</option>", n->u.code, n->u.name);
	for (size_t i = 0; below > 0 && i < n->nchildren; i++)
		walk_datalist(b, n->children[i], below - 1);
}

static enum kn_err datalist_build(void *arg, struct buf *text)
{
	const struct unode *scope = arg;
	walk_datalist(text, scope, page_units_depth(scope));
	return KN_OK;
}

/* The picker's options, kept in the answer cache under the user's unit
 * (and KETNAP_DATALIST_MAX, read by page_units_depth): up to 2,000 units
 * written out and escaped for every page of the list was a tenth of its
 * time once the rows were kept. */
static void scope_datalist(struct request *rq, struct buf *b, const struct unode *scope)
{
	struct buf key = BUF_INIT;
	char *text = NULL;
	buf_addf(&key, "datalist|%zu|%zu:%s", page_units_max(), strlen(scope->u.code),
		 scope->u.code);
	if (req_cache_text(rq, key.s, datalist_build, (void *)scope, &text) == KN_OK)
		buf_adds(b, text);
	else
		walk_datalist(b, scope, page_units_depth(scope));	/* unkept */
	free(text);
	buf_release(&key);
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
 * The list reads one page from the store (store_cand_page): the subtree,
 * the stage, whom it shows and the search are in the query, the order is
 * the people's stored name keys, and the next page starts after the last
 * row's ref (`after=REF` in the pager's link), so that a page costs the
 * same at any depth and nothing of the list is kept between requests;
 * the previous page ends before the first row's ref (`before=REF`), read
 * the same way backwards. `page=N` alone (old or typed links, and
 * "previous" on the short lists read whole and on those judged here)
 * skips rows in the query instead.
 * The structure category and the overdue filter are judged here, by
 * report_in_category() and deadlines_for() over each row's facts and
 * steps: the list is then read in batches until the page is full.
 */
#define BATCH 200
/* The "N candidates" line counts in the database, up to this many. */
#define COUNT_CAP 1000

static size_t subtree_size(const struct unode *n, size_t stop)
{
	size_t k = 1;
	for (size_t i = 0; i < n->nchildren && k < stop; i++)
		k += subtree_size(n->children[i], stop - k);
	return k;
}


struct count_args {
	struct request *rq;
	const struct cand_filter *f;
	long long cap;
};

static enum kn_err count_build(void *arg, struct buf *text)
{
	struct count_args *ca = arg;
	long long n = 0;
	enum kn_err e = store_cand_count(ca->rq->store, ca->f, ca->cap, &n);
	if (e == KN_OK)
		buf_addf(text, "%lld", n);
	return e;
}

enum kn_err cand_count(struct request *rq, const struct cand_filter *f, long long cap,
		       long long *n)
{
	struct buf key = BUF_INIT;
	struct count_args ca = { rq, f, cap };
	char *text = NULL;
	enum kn_err e;

	*n = 0;
	buf_addf(&key, "count|%d|%d|%ld|%lld", (int)f->whom, f->people, (long)f->today, cap);
	cache_key_add(&key, f->folded);
	cache_key_add(&key, f->ref);
	cache_key_add(&key, f->unit);
	cache_key_add(&key, f->stage);
	e = req_cache_text(rq, key.s, count_build, &ca, &text);
	if (e == KN_OK)
		*n = strtoll(text, NULL, 10);
	free(text);
	buf_release(&key);
	return e;
}

/*
 * Walking everyone in name order reads about rows/f people for a page
 * when the subtree holds a share f of them; reading the subtree's
 * candidacies and sorting them reads f·N. With people in proportion to
 * units (N ≈ 10 per unit, a quarter of them kept by the usual filters),
 * the subtree is worth reading by unit while its units S satisfy
 * S² < 25·T, T the units of the whole tree: a district of a nation, a
 * ward or a district of a city.
 */
enum cand_plan cand_plan(struct request *rq, const struct unode *top, long long total,
			 long long cap)
{
	struct unitree *t = req_tree(rq);
	const char *force = getenv("KETNAP_LIST_PLAN");
	size_t limit = 1;

	if (force && strcmp(force, "walk") == 0)
		return CAND_WALK;
	if (force && strcmp(force, "unit") == 0)
		return CAND_BY_UNIT;
	if (force && strcmp(force, "scan") == 0)
		return CAND_SCAN;
	if (t && top && top->parent) {
		while (limit * limit < 25 * t->n)
			limit++;
		if (subtree_size(top, limit + 1) <= limit)
			return CAND_BY_UNIT;
	}
	/* Few pass (counted): sorting them beats walking everyone. */
	return total >= 0 && total < cap ? CAND_SCAN : CAND_WALK;
}

/* Whether a candidacy's steps have a deadline overdue on `today`. */
static int steps_overdue(struct ledger *l, const struct step *st, size_t n, kn_date extended)
{
	struct policy pol;
	struct deadline *dl = NULL;
	int over = 0;
	ledger_policy(l, l->today, &pol);
	size_t nd = deadlines_for_ext(st, n, extended, l->today, &pol, l->cal, &dl);
	for (size_t i = 0; i < nd; i++)
		over |= dl[i].workdays_left < 0;
	free(dl);
	return over;
}

/* Overdue for one open candidate: the steps of the row's candidacy (the
 * person's latest), their codes and dates only — one index read, not the
 * person, every candidacy and every fact of each step (issue 13). */
static int one_overdue(struct request *rq, struct ledger *l, const struct cand_summary *c)
{
	struct step *st = NULL;
	size_t n = 0;
	int over = 0;
	if (!c->open || !c->candidacy_id ||
	    store_cand_step_dates(rq->store, c->candidacy_id, &st, &n) != KN_OK)
		return 0;
	over = steps_overdue(l, st, n, KN_DATE_NONE);
	/* Overdue without it: a DL-DECISION extension may move it
	 * (issue 15), read only then. */
	struct extension x = { KN_DATE_NONE, NULL, NULL, NULL };
	if (over && store_extension_get(rq->store, c->candidacy_id, &x) == KN_OK)
		over = steps_overdue(l, st, n, x.date);
	extension_release(&x);
	store_step_dates_free(st, n);
	return over;
}

/* The filters the store cannot judge: the structure category (NULL:
 * any) and the overdue deadlines. */
struct late_filter {
	struct request *rq;
	struct ledger *l;
	const char *category;
	int overdue;
};

static int late_keeps(const struct late_filter *lf, const struct cand_summary *c)
{
	if (lf->category) {
		struct unode *un = unitree_find(req_tree(lf->rq), c->unit);
		struct admission a = {
			.unit = c->unit, .sex = c->sex, .birth_date = c->birth_date,
			.ethnicity = c->ethnicity, .religion = c->religion,
			.youth_union = c->youth_union, .occupation = c->occupation,
			.qualification = c->qualification, .readmission = c->readmission,
			/* Not yet decided: judged as if decided today. */
			.decision = c->decision != KN_DATE_NONE ? c->decision : lf->l->today,
		};
		if (!un || report_in_category(&a, un, lf->category) != 1)
			return 0;
	}
	return !lf->overdue || one_overdue(lf->rq, lf->l, c);
}

/* Up to `want` rows that pass f and lf, `skip` of them dropped first,
 * after the person `after` (NULL: from the start). Without late filters
 * one query; with them, batches until enough pass. *out: the caller's. */
static enum kn_err page_read(struct request *rq, const struct cand_filter *f,
			     const struct late_filter *lf, const char *after, size_t skip,
			     size_t want, struct cand_summary **out, size_t *n)
{
	struct cand_summary *batch = NULL;
	char *cur = after ? xstrdup(after) : NULL;
	size_t nb = 0;
	enum kn_err e = KN_OK;

	*out = NULL;
	*n = 0;
	if (!lf->category && !lf->overdue) {
		free(cur);
		return store_cand_page(rq->store, f, after, (long long)skip, want, out, n);
	}
	*out = xcalloc(want, sizeof(**out));
	while (*n < want) {
		if ((e = store_cand_page(rq->store, f, cur, 0, BATCH, &batch, &nb)) != KN_OK)
			break;
		free(cur);	/* the next batch starts after this one's last row */
		cur = nb ? xstrdup(batch[nb - 1].ref) : NULL;
		for (size_t i = 0; i < nb && *n < want; i++) {
			if (!late_keeps(lf, &batch[i]))
				continue;
			if (skip) {
				skip--;
				continue;
			}
			(*out)[(*n)++] = batch[i];	/* moved: its strings are now *out's */
			memset(&batch[i], 0, sizeof(batch[i]));
		}
		store_cand_summaries_free(batch, nb);
		batch = NULL;
		if (nb < BATCH || !cur)
			break;
	}
	free(cur);
	if (e != KN_OK) {
		store_cand_summaries_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
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

/* Each choice as the store's filter. */
static const enum cand_whom list_status_whom[LIST__COUNT] = {
	CAND_OPEN, CAND_DECIDED, CAND_CLOSED, CAND_ALL,
};

/* The query string of the list without `page` and `after` (for the pager). */
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
	scope_datalist(rq, b, scope);
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

static void list_table(struct request *rq, struct response *rs, const struct cand_summary *rows,
		       const int *overdue, size_t n)
{
	struct buf *b = &rs->body;
	html_printf(b, "<table class=\"list candidates\">\n<thead><tr><th>%s</th>"
		    "<th class=\"hide-narrow\">%s</th><th class=\"hide-narrow\">%s</th>"
		    "<th>%s</th><th>%s</th><th class=\"hide-narrow\">%s</th></tr></thead>\n"
		    "<tbody>\n", _("Full name"), _("Ref"), _("Born"), _("Unit"), _("Stage"),
		    _("Latest step"));
	for (size_t i = 0; i < n; i++) {
		const struct cand_summary *c = &rows[i];
		struct buf href = BUF_INIT;
		cand_href(&href, c->ref);
		html_printf(b, "<tr%S><td><a href=\"%s\">%s</a>", overdue[i]
			    ? " class=\"overdue\"" : "", href.s, c->full_name);
		if (overdue[i])
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

/* The pager: "next" starts after the last row shown (`after`, the
 * keyset: no row is skipped or shown twice when people are added
 * meanwhile); "previous" ends before the first row shown (`before`), or,
 * with first_ref NULL, goes back by page number (the query skips the rows
 * before it). pages: the count of pages when known, else 0. */
static void list_pager(struct request *rq, struct response *rs, long page, size_t pages,
		       const char *last_ref, const char *first_ref)
{
	struct buf qs = BUF_INIT, p1 = BUF_INIT, p2 = BUF_INIT, *b = &rs->body;
	list_query(rq, &qs);
	html_printf(b, "<nav class=\"pager\" aria-label=\"%s\">", _("Pages"));
	if (page > 1 && first_ref) {
		struct buf before = BUF_INIT;
		url_encode(&before, first_ref);
		html_printf(b, "<a href=\"/candidates%s%Sbefore=%s&amp;page=%ld\" rel=\"prev\">‹ "
			    "%s</a>", qs.s, qs.len ? "&amp;" : "?", before.s, page - 1,
			    _("Previous"));
		buf_release(&before);
	} else if (page > 1) {
		html_printf(b, "<a href=\"/candidates%s%Spage=%ld\" rel=\"prev\">‹ %s</a>", qs.s,
			    qs.len ? "&amp;" : "?", page - 1, _("Previous"));
	}
	if (pages) {
		text_int(&p1, page);
		text_int(&p2, (long long)pages);
		html_printf(b, "<span>");
		html_printf(b, _("page %s of %s"), p1.s, p2.s);
		html_printf(b, "</span>");
	}
	if (last_ref) {
		struct buf after = BUF_INIT;
		url_encode(&after, last_ref);
		html_printf(b, "<a href=\"/candidates%s%Safter=%s&amp;page=%ld\" rel=\"next\">"
			    "%s ›</a>", qs.s, qs.len ? "&amp;" : "?", after.s, page + 1, _("Next"));
		buf_release(&after);
	}
	html_printf(b, "</nav>\n");
	buf_release(&qs);
	buf_release(&p1);
	buf_release(&p2);
}

/* What the list below the filters is made of (list_build). */
struct list_args {
	struct request *rq;
	struct cand_filter f;
	struct late_filter lf;
	struct unode *top;
	long page;
	const char *after, *before;
};

/* The list below the filters: the count line, the rows and the pager. */
static enum kn_err list_build(void *arg, struct buf *text)
{
	struct list_args *la = arg;
	struct request *rq = la->rq;
	struct cand_filter *f = &la->f;
	const char *after = la->after, *before = la->before;
	long page = la->page;
	struct cand_summary *rows = NULL;
	int *late = NULL;
	size_t nrows = 0, shown, pages = 0;
	int has_next;
	long long total = -1;
	int exact = !la->lf.category && !la->lf.overdue;
	size_t skip = after ? 0 : (size_t)(page - 1) * PAGE_SIZE;
	struct response frag;
	enum kn_err e;

	memset(&frag, 0, sizeof(frag));
	frag.body = *text;
	/* How many, counted by the database with the same filters (when
	 * nothing is left to judge here); a page beyond the end shows the
	 * last one, as the pager's links may be old. */
	if (exact) {
		if ((e = cand_count(rq, f, COUNT_CAP, &total)) != KN_OK)
			goto out;
		f->plan = cand_plan(rq, la->top, total, COUNT_CAP);
		if (total < COUNT_CAP) {
			pages = total ? ((size_t)total + PAGE_SIZE - 1) / PAGE_SIZE : 1;
			if (!after && (size_t)page > pages) {
				page = (long)pages;
				skip = (size_t)(page - 1) * PAGE_SIZE;
			}
		}
	}
	/* Backwards by keyset on the long lists read in name order; the short
	 * ones (read whole) and those judged here go by page number. */
	int keyset_back = exact && f->plan != CAND_SCAN;
	if (before && !keyset_back)
		before = NULL;
	if (before) {
		/* The page before `before`, and one row more to know whether
		 * there is another before it; at the start of the list (or
		 * `before` gone), the first page instead. */
		if ((e = store_cand_page_before(rq->store, f, before, PAGE_SIZE + 1, &rows,
						&nrows)) != KN_OK)
			goto out;
		if (nrows > PAGE_SIZE) {
			struct cand_summary *first = xcalloc(1, sizeof(*first));
			*first = rows[0];	/* its strings, freed with it */
			store_cand_summaries_free(first, 1);
			memmove(rows, rows + 1, (nrows - 1) * sizeof(*rows));
			nrows--;
		} else {
			store_cand_summaries_free(rows, nrows);
			rows = NULL;
			nrows = 0;
			before = NULL;
			page = 1;
			skip = 0;
		}
	}
	if (!before &&
	    (e = page_read(rq, f, &la->lf, after, skip, PAGE_SIZE + 1, &rows, &nrows)) != KN_OK)
		goto out;
	/* Read backwards, the page is followed at least by `before`. */
	has_next = before ? 1 : nrows > PAGE_SIZE;
	shown = nrows > PAGE_SIZE ? PAGE_SIZE : nrows;
	/* The overdue mark of the rows shown. */
	late = xcalloc(shown ? shown : 1, sizeof(*late));
	for (size_t i = 0; i < shown; i++)
		late[i] = la->lf.overdue || one_overdue(rq, la->lf.l, &rows[i]);

	struct buf *b = &frag.body;
	if (shown == 0 && page == 1) {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("Nobody matches these filters."));
	} else {
		struct buf n = BUF_INIT, a = BUF_INIT, z = BUF_INIT;
		size_t first = (size_t)(page - 1) * PAGE_SIZE;
		text_int(&n, total);
		text_int(&a, shown ? (long long)first + 1 : (long long)first);
		text_int(&z, (long long)(first + shown));
		html_printf(b, "<p class=\"count\">");
		if (total >= COUNT_CAP) {
			html_printf(b, _("more than %s candidates"), n.s);
			html_printf(b, " · ");
		} else if (total >= 0) {
			html_printf(b, ngettext("%s candidate", "%s candidates", (unsigned long)total),
				    n.s);
			html_printf(b, " · ");
		}
		html_printf(b, _("showing %s–%s"), a.s, z.s);
		html_printf(b, "</p>\n");
		buf_release(&n);
		buf_release(&a);
		buf_release(&z);
		list_table(rq, &frag, rows, late, shown);
		if (page > 1 || has_next)
			list_pager(rq, &frag, page, pages, has_next && shown ? rows[shown - 1].ref : NULL,
				   keyset_back && shown ? rows[0].ref : NULL);
	}
	e = KN_OK;
out:
	*text = frag.body;
	store_cand_summaries_free(rows, nrows);
	free(late);
	return e;
}

/*
 * The list below the filters is kept in the answer cache (cache.c) under
 * everything it is made of: the language, the day, the unit listed (the
 * user's own or one within it, checked first), the filters as typed (the
 * pager's links repeat them) and the place in the list. Between two
 * writes, issue 13's 64 clients asked for the same pages again and again,
 * at 5–8 ms of a core each at national size (the name index walked past
 * the people without an open candidacy). The filters' form and the
 * "new candidate" button depend on the user's unit and role: made for
 * each request.
 */
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
	const char *after = kv_get(&rq->query, "after");
	const char *before = kv_get(&rq->query, "before");
	const char *stname = kv_get(&rq->query, "status");
	enum list_status lstatus = LIST_OPEN;
	int overdue = ov && *ov && strcmp(ov, "0") != 0;
	enum step_code step = STEP_NONE;
	struct buf folded = BUF_INIT, err = BUF_INIT, key = BUF_INIT;
	struct ledger l;
	long page = 1;
	char *list = NULL;

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
	if (after && !*after)
		after = NULL;
	if (before && (!*before || after))
		before = NULL;
	if (cand_ledger_open(rq, &l, &err) != KN_OK) {
		buf_release(&err);
		return cand_store_failed(rq, rs);
	}
	if (q && *q)
		text_fold(q, &folded);

	/* The whole organisation needs no subtree walk. */
	struct list_args la = {
		.rq = rq, .top = top, .page = page, .after = after, .before = before,
		.f = {
			.folded = folded.len ? folded.s : NULL,
			.unit = top->parent || t->nroots > 1 ? top->u.code : NULL,
			.stage = step != STEP_NONE ? step_name(step) : NULL,
			.whom = overdue ? CAND_OPEN : list_status_whom[lstatus],
			.today = l.today,
			.plan = cand_plan(rq, top, -1, COUNT_CAP),
		},
		.lf = { rq, &l, category, overdue },
	};
	if (overdue && lstatus != LIST_OPEN && lstatus != LIST_ALL)
		la.f.whom = list_status_whom[lstatus];	/* and open: nobody, as before */

	/* A long list that is not keyed: a typed page number far down is
	 * refused (cand.h, CAND_TYPED_SKIP_MAX) rather than walked; the short
	 * ones (counted under the cap) and those with late filters go by
	 * page number in their own pager, and are not. */
	if (!after && !before && !category && !overdue &&
	    (page - 1) * PAGE_SIZE > CAND_TYPED_SKIP_MAX && !store_cand_keyed(&la.f)) {
		long long total = 0;
		if (cand_count(rq, &la.f, COUNT_CAP, &total) != KN_OK) {
			cand_store_failed(rq, rs);
			goto out;
		}
		if (total >= COUNT_CAP) {
			struct buf msg = BUF_INIT, n = BUF_INIT;
			text_int(&n, CAND_TYPED_SKIP_MAX / PAGE_SIZE + 1);
			buf_addf(&msg, _("With these filters a page after page %s is reached with the "
					 "Next links, or narrow the list (a unit, a name)."), n.s);
			resp_error(rq, rs, 400, msg.s);
			buf_release(&msg);
			buf_release(&n);
			goto out;
		}
	}
	buf_addf(&key, "cands|%s|%ld|%ld", rq->lang ? rq->lang : "", (long)l.today, page);
	cache_key_add(&key, top->u.code);
	cache_key_add(&key, after);
	cache_key_add(&key, before);
	{
		static const char *const keys[] = { "q", "unit", "status", "step", "category",
						    "overdue" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
			cache_key_add(&key, kv_get(&rq->query, keys[i]));
	}
	if (req_cache_text(rq, key.s, list_build, &la, &list) != KN_OK) {
		cand_store_failed(rq, rs);
		goto out;
	}

	page_begin(rq, rs, "candidates", _("Candidates"));
	struct buf *b = &rs->body;
	if (rq->role >= ROLE_EDITOR)
		html_printf(b, "<p class=\"no-print\"><a class=\"button\" href=\"/candidates/new\">%s"
			    "</a></p>\n", _("New candidate"));
	list_filters(rq, rs, scope, unit, lstatus, step, category, overdue);
	buf_adds(b, list);
	page_end(rq, rs);
out:
	free(list);
	ledger_release(&l);
	buf_release(&folded);
	buf_release(&err);
	buf_release(&key);
	return 0;
}
