/*
 * page_dashboard.c — the dashboard: what a commission looks at first. For
 * the user's own unit (GET /) or a unit below it (GET /units/CODE): the
 * year's quota bar and percent, the funnel of the year, the units directly
 * below with their percents (a click goes down one level), the deadlines
 * overdue or due within five working days in the subtree, and the
 * dossiers waiting for a decision that count for this unit (core/queue.h:
 * its own committee's and those of the committees below it).
 *
 * No figure is computed here: quota, admitted and percent come from the
 * achievement report (depth 1) and the funnel from the funnel report,
 * built by report_build() exactly as `ketnap report` builds them; the
 * deadlines come from deadlines_for(), the function the deadlines report
 * runs, over the candidacies open today. That walk is the dearest part of
 * the page, so it is done once for both lists, and only over the unit's
 * subtree (store_pipeline_under) rather than the whole organisation.
 *
 * A unit outside the user's subtree answers 404, as if it did not exist.
 */
#include <stdlib.h>
#include <string.h>

#include "core/deadline.h"
#include "core/ledger.h"
#include "core/policy.h"
#include "core/queue.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/unitree.h"
#include "io/report_text.h"
#include "store/store.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/cache.h"
#include "web/handlers.h"
#include "web/page.h"
#include "io/chart.h"
#include "util/sort.h"
#include "util/banned.h"

/* Deadlines due within this many working days are shown with the overdue
 * ones ("due this week"). */
#define SOON_WORKDAYS 5
/* Rows shown in a list before "… more in the deadlines report". */
#define MAX_ROWS 50

/* ---- the deadlines and the decision queue, from one walk ---- */

struct dl_item {
	char *ref, *name, *unit;	/* ref and name: NULL until names() */
	int64_t pid;			/* the person's id */
	const char *code;	/* "DL-DECISION" (static) */
	kn_date due;
	int left;
};

struct wait_item {
	char *ref, *name, *unit;	/* ref and name: NULL until names() */
	int64_t pid;			/* the person's id */
	kn_date cell_vote, committee_vote;
	kn_date arrived;	/* the latest of the two votes */
	kn_date due;		/* DL-DECISION, or KN_DATE_NONE */
	int left;
	char *key;		/* Vietnamese name order, for ties; NULL until names() */
};

struct walk {
	struct unitree *tree;
	struct unode *top;
	struct calendar *cal;
	struct policy pol;
	kn_date today;
	struct dl_item *dl;
	size_t ndl, dlcap;
	size_t overdue;		/* deadlines past due in the subtree */
	struct wait_item *wait;
	size_t nwait, waitcap;
};

static int walk_one(void *arg, const struct pipeline *p)
{
	struct walk *w = arg;
	/* by id when the store gave that (store_pipeline_latest of every unit) */
	struct unode *un = p->unit ? unitree_find(w->tree, p->unit)
				   : unitree_find_id(w->tree, p->unit_id);
	struct deadline *dl = NULL;
	size_t n;

	if (!un || !unitree_within(un, w->top))
		return 0;
	n = deadlines_for_ext(p->steps, p->nsteps, p->decision_extended, w->today, &w->pol, w->cal, &dl);
	for (size_t i = 0; i < n; i++) {
		if (dl[i].workdays_left < 0)
			w->overdue++;
		if (dl[i].workdays_left > SOON_WORKDAYS)
			continue;
		if (w->ndl == w->dlcap) {
			w->dlcap = w->dlcap ? 2 * w->dlcap : 64;
			w->dl = xreallocarray(w->dl, w->dlcap, sizeof(*w->dl));
		}
		struct dl_item *d = &w->dl[w->ndl++];
		d->ref = d->name = NULL;
		d->pid = p->person_id;
		d->unit = xstrdup(un->u.code);
		d->code = dl[i].code;
		d->due = dl[i].due;
		d->left = dl[i].workdays_left;
	}

	/* Waiting for the decision, counted for this unit: the one
	 * definition of core/queue.h (the summary and the decisions page
	 * read it too). */
	struct queue_dossier qd;
	if (queue_waiting_ext(un, p->steps, p->nsteps, p->decision_extended, w->today, &w->pol,
			      w->cal, &qd) &&
	    queue_counts_for(&qd, w->top)) {
		struct wait_item *x;
		if (w->nwait == w->waitcap) {
			w->waitcap = w->waitcap ? 2 * w->waitcap : 64;
			w->wait = xreallocarray(w->wait, w->waitcap, sizeof(*w->wait));
		}
		x = &w->wait[w->nwait++];
		memset(x, 0, sizeof(*x));
		x->cell_vote = qd.cell_vote;
		x->committee_vote = qd.committee_vote;
		x->arrived = qd.arrived;
		x->pid = p->person_id;
		x->unit = xstrdup(un->u.code);
		x->due = qd.has_due ? qd.due : KN_DATE_NONE;
		x->left = qd.has_due ? qd.workdays_left : 0;
	}
	free(dl);
	return 0;
}

/* The order of the deadlines report: due date, person, code. */
static int dl_cmp(const void *a, const void *b)
{
	const struct dl_item *x = a, *y = b;
	int c;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if ((c = strcmp(x->ref, y->ref)) != 0)
		return c;
	return strcmp(x->code, y->code);
}

/* Oldest vote first, then Vietnamese name order. */
static int wait_cmp(const void *a, const void *b)
{
	const struct wait_item *x = a, *y = b;
	int c;
	if (x->arrived != y->arrived)
		return x->arrived < y->arrived ? -1 : 1;
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->ref, y->ref);
}

static void walk_release(struct walk *w)
{
	for (size_t i = 0; i < w->ndl; i++) {
		free(w->dl[i].ref);
		free(w->dl[i].name);
		free(w->dl[i].unit);
	}
	free(w->dl);
	for (size_t i = 0; i < w->nwait; i++) {
		free(w->wait[i].ref);
		free(w->wait[i].name);
		free(w->wait[i].unit);
		free(w->wait[i].key);
	}
	free(w->wait);
}

/* The policy in force on `on`, as the deadlines report resolves it. */
static enum kn_err policy_on(struct store *s, kn_date on, struct policy *out)
{
	struct policy_row *rows;
	size_t n;
	enum kn_err e = store_policy_all(s, &rows, &n);
	if (e != KN_OK)
		return e;
	if (policy_resolve(rows, n, on, out, NULL) != 0) {
		const struct policy_row *def = policy_default_rows(&n);
		policy_resolve(def, n, on, out, NULL);
	}
	store_policy_free(rows, n);
	return KN_OK;
}

/* A person's ref and name, as store_people_names() hands them over. */
struct pname {
	int64_t id;
	char *ref, *name;
};

struct pnames {
	struct pname *v;
	size_t n, cap;
};

static int pname_add(void *arg, int64_t id, const char *ref, const char *name)
{
	struct pnames *pn = arg;
	if (pn->n == pn->cap) {
		pn->cap = pn->cap ? 2 * pn->cap : 64;
		pn->v = xreallocarray(pn->v, pn->cap, sizeof(*pn->v));
	}
	pn->v[pn->n].id = id;
	pn->v[pn->n].ref = xstrdup(ref ? ref : "");
	pn->v[pn->n].name = xstrdup(name ? name : "");
	pn->n++;
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static const struct pname *pname_find(const struct pnames *pn, int64_t id)
{
	/* struct pname begins with its id: id_cmp compares both. */
	return pn->n ? bsearch(&id, pn->v, pn->n, sizeof(*pn->v), id_cmp) : NULL;
}

/* The refs and names of the people of the rows listed, read after the
 * walk for them only (the walk reads none: at the national root 251,000
 * open candidacies), in the order of their ids: dl[0..dl_end) and
 * wait[0..wait_end), but the rows already named. A row whose person is
 * no longer there (merged meanwhile) is dropped; *dl_end and *wait_end
 * move down with the rows dropped below them. */
static enum kn_err walk_names(struct store *s, struct walk *w, size_t *dl_end, size_t *wait_end)
{
	size_t n = *dl_end + *wait_end, m = 0, k, end;
	int64_t *ids = xcalloc(n ? n : 1, sizeof(*ids));
	struct pnames pn = { NULL, 0, 0 };
	enum kn_err e;

	for (size_t i = 0; i < *dl_end; i++)
		if (!w->dl[i].ref)
			ids[m++] = w->dl[i].pid;
	for (size_t i = 0; i < *wait_end; i++)
		if (!w->wait[i].ref)
			ids[m++] = w->wait[i].pid;
	xqsort(ids, m, sizeof(*ids), id_cmp);
	for (size_t i = k = 0; i < m; i++)
		if (!k || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	e = m ? store_people_names(s, ids, k, pname_add, &pn) : KN_OK;
	free(ids);
	if (e == KN_OK && m) {
		xqsort(pn.v, pn.n, sizeof(*pn.v), id_cmp);
		end = *dl_end;
		for (size_t i = k = 0; i < w->ndl; i++) {
			struct dl_item d = w->dl[i];
			if (i < end && !d.ref) {
				const struct pname *x = pname_find(&pn, d.pid);
				if (!x) {
					free(d.unit);
					(*dl_end)--;
					continue;
				}
				d.ref = xstrdup(x->ref);
				d.name = xstrdup(x->name);
			}
			w->dl[k++] = d;
		}
		w->ndl = k;
		end = *wait_end;
		for (size_t i = k = 0; i < w->nwait; i++) {
			struct wait_item it = w->wait[i];
			if (i < end && !it.ref) {
				const struct pname *x = pname_find(&pn, it.pid);
				struct buf key = BUF_INIT;
				if (!x) {
					free(it.unit);
					(*wait_end)--;
					continue;
				}
				it.ref = xstrdup(x->ref);
				it.name = xstrdup(x->name);
				text_name_key(it.name, &key);
				it.key = buf_detach(&key);
			}
			w->wait[k++] = it;
		}
		w->nwait = k;
	}
	for (size_t i = 0; i < pn.n; i++) {
		free(pn.v[i].ref);
		free(pn.v[i].name);
	}
	free(pn.v);
	return e;
}

/* Before the names: by due date (then person id and code, so that the
 * order is the same every time), and by the date the dossier arrived. */
static int dl_due_cmp(const void *a, const void *b)
{
	const struct dl_item *x = a, *y = b;
	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return strcmp(x->code, y->code);
}

static int wait_arrived_cmp(const void *a, const void *b)
{
	const struct wait_item *x = a, *y = b;
	if (x->arrived != y->arrived)
		return x->arrived < y->arrived ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Of n rows sorted by a date (date(i)), the first ones that may be among
 * the MAX_ROWS listed once the ties are broken by names: those dated no
 * later than the MAX_ROWS-th. */
static size_t listed_end(size_t n, kn_date (*date)(const struct walk *, size_t),
			 const struct walk *w)
{
	size_t end = MAX_ROWS;
	if (n <= MAX_ROWS)
		return n;
	while (end < n && date(w, end) == date(w, MAX_ROWS - 1))
		end++;
	return end;
}

static kn_date dl_due(const struct walk *w, size_t i) { return w->dl[i].due; }
static kn_date wait_arrived(const struct walk *w, size_t i) { return w->wait[i].arrived; }

static enum kn_err walk_run(struct request *rq, struct unode *top, kn_date today, struct walk *w)
{
	struct unitree *t = req_tree(rq);
	size_t dl_end, wait_end;
	enum kn_err e;
	memset(w, 0, sizeof(*w));
	w->tree = t;
	w->top = top;
	w->cal = rq->cal;
	w->today = today;
	if ((e = policy_on(rq->store, today, &w->pol)) != KN_OK)
		return e;
	/* walk_one reads of the steps only the latest date of each kind
	 * (store_pipeline_latest); the only root is every unit (NULL: no
	 * subtree to test). */
	if ((e = store_pipeline_latest(rq->store, !top->u.parent && t->nroots == 1 ? NULL
				       : top->u.code, today, 1, walk_one, w)) != KN_OK)
		return e;
	/* Only the rows that may be listed are named and sorted in full:
	 * the cards count the others (at the national root some thousands
	 * of deadlines a week, each a person's name read at random). */
	xqsort(w->dl, w->ndl, sizeof(*w->dl), dl_due_cmp);
	xqsort(w->wait, w->nwait, sizeof(*w->wait), wait_arrived_cmp);
	dl_end = listed_end(w->ndl, dl_due, w);
	wait_end = listed_end(w->nwait, wait_arrived, w);
	if ((e = walk_names(rq->store, w, &dl_end, &wait_end)) != KN_OK)
		return e;
	/* A person gone meanwhile left fewer named than listed: name all. */
	if ((dl_end < MAX_ROWS && dl_end < w->ndl) || (wait_end < MAX_ROWS && wait_end < w->nwait)) {
		dl_end = w->ndl;
		wait_end = w->nwait;
		if ((e = walk_names(rq->store, w, &dl_end, &wait_end)) != KN_OK)
			return e;
	}
	xqsort(w->dl, dl_end, sizeof(*w->dl), dl_cmp);
	xqsort(w->wait, wait_end, sizeof(*w->wait), wait_cmp);
	return KN_OK;
}

/* ---- the page ---- */

static const struct {
	const char *code, *label;
} dl_labels[] = {
	{ "DL-DECISION", N_("admission decision") },
	{ "DL-CEREMONY", N_("admission ceremony") },
	{ "DL-PROBATION-VOTE", N_("cell vote on full membership") },
	{ "DL-OFFICIAL", N_("full membership decision") },
	{ "DL-CERT-EXPIRY", N_("awareness class certificate expires") },
	{ "DL-DOSSIER", N_("introductions expire") },
};

static const char *dl_label(const char *code)
{
	for (size_t i = 0; i < sizeof(dl_labels) / sizeof(*dl_labels); i++)
		if (strcmp(dl_labels[i].code, code) == 0)
			return _(dl_labels[i].label);
	return code;
}

static const char *unit_name(struct request *rq, const char *code)
{
	struct unode *n = unitree_find(req_tree(rq), code);
	return n ? n->u.name : code;
}

/* href of a unit's dashboard (the user's own unit is "/"), keeping the
 * year when it is not the current one. */
static void unit_href(struct request *rq, struct buf *out, const struct unode *n, int year,
		      int this_year)
{
	buf_reset(out);
	if (strcmp(n->u.code, rq->user.unit) == 0) {
		buf_adds(out, "/");
	} else {
		buf_adds(out, "/units/");
		url_encode(out, n->u.code);
	}
	if (year != this_year)
		buf_addf(out, "?year=%d", year);
}

static void crumbs(struct request *rq, struct response *rs, struct unode *scope,
		   struct unode *n, int year, int this_year)
{
	struct unode *path[64];
	size_t np = 0;
	struct buf href = BUF_INIT;

	for (struct unode *p = n; p && np < sizeof(path) / sizeof(*path); p = p->parent) {
		path[np++] = p;
		if (p == scope)
			break;
	}
	html_printf(&rs->body, "<nav class=\"crumbs\" aria-label=\"%s\">", _("Units"));
	for (size_t i = np; i-- > 0;) {
		if (i > 0) {
			unit_href(rq, &href, path[i], year, this_year);
			html_printf(&rs->body, "<a href=\"%s\">%s</a> › ", href.s, path[i]->u.name);
		} else {
			html_printf(&rs->body, "<span aria-current=\"page\">%s</span>", path[i]->u.name);
		}
	}
	html_printf(&rs->body, "</nav>\n");
	buf_release(&href);
}

static void person_link(struct response *rs, const char *ref, const char *name)
{
	struct buf href = BUF_INIT;
	buf_adds(&href, "/people/");
	url_encode(&href, ref);
	html_printf(&rs->body, "<a href=\"%s\">%s</a> <span class=\"muted code\">%s</span>", href.s,
		    name, ref);
	buf_release(&href);
}

/* "3 working days left", "overdue by 2 working days", "due today". */
static void workdays_left(struct response *rs, int left)
{
	struct buf n = BUF_INIT;
	text_int(&n, left < 0 ? -left : left);
	if (left < 0)
		html_printf(&rs->body, ngettext("overdue by %s working day", "overdue by %s working days",
						(unsigned long)-left), n.s);
	else if (left == 0)
		html_printf(&rs->body, "%s", _("due today"));
	else
		html_printf(&rs->body, ngettext("%s working day left", "%s working days left",
						(unsigned long)left), n.s);
	buf_release(&n);
}

/* The cards: admitted, quota, percent with its bar, from row 0 of the
 * achievement report. */
static void cards(struct response *rs, const struct report *ach, int year,
		  const struct walk *w, int competent)
{
	struct buf *b = &rs->body;
	const struct rcell *quota = report_cell(ach, 0, 3), *adm = report_cell(ach, 0, 4);
	const struct rcell *pct = report_cell(ach, 0, 5), *met = report_cell(ach, 0, 6);
	struct buf t = BUF_INIT;

	html_printf(b, "<div class=\"cards dash\">\n<div class=\"card\"><div class=\"muted\">");
	buf_addf(&t, _("Admitted in %d"), year);
	html_printf(b, "%s</div><div class=\"big\" id=\"admitted\">", t.s);
	page_int(rs, adm->num);
	html_printf(b, "</div></div>\n<div class=\"card\"><div class=\"muted\">");
	buf_reset(&t);
	buf_addf(&t, _("Quota for %d"), year);
	html_printf(b, "%s</div><div class=\"big\" id=\"quota\">", t.s);
	if (quota->null)
		html_printf(b, "—</div><div class=\"muted\">%s", _("no quota set"));
	else
		page_int(rs, quota->num);
	html_printf(b, "</div></div>\n<div class=\"card\"><div class=\"muted\">%s</div>"
		    "<div class=\"big\" id=\"percent\">", _("Percent of the quota"));
	if (pct->null) {
		html_printf(b, "—</div>");
	} else {
		page_percent(rs, pct->num);
		html_printf(b, "</div>");
		chart_quota_bar(b, pct->num, !met->null && met->num);
	}
	html_printf(b, "</div>\n<div class=\"card\"><div class=\"muted\">%s</div>"
		    "<div class=\"big\" id=\"overdue\">", _("Overdue deadlines"));
	page_int(rs, (long long)w->overdue);
	html_printf(b, "</div><a href=\"#deadlines\">%s</a></div>\n", _("see below"));
	if (competent) {
		html_printf(b, "<div class=\"card\"><div class=\"muted\">%s</div>"
			    "<div class=\"big\" id=\"waiting\">", _("Dossiers waiting for a decision"));
		page_int(rs, (long long)w->nwait);
		html_printf(b, "</div><a href=\"#waiting-list\">%s</a></div>\n", _("see below"));
	}
	html_printf(b, "</div>\n");
	buf_release(&t);
}

/* The order of the units below: by name in Vietnamese order (ICU "vi"),
 * or by percent of the quota, highest first, those with no quota last. */
enum child_order { ORDER_NAME, ORDER_PERCENT };

struct child_row {
	size_t i;		/* row of the achievement report */
	char *key;		/* text_sort_key() of the name */
	int has_pct;
	long long pct;
};

static int child_name_cmp(const void *a, const void *b)
{
	const struct child_row *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static int child_pct_cmp(const void *a, const void *b)
{
	const struct child_row *x = a, *y = b;
	if (x->has_pct != y->has_pct)
		return x->has_pct ? -1 : 1;
	if (x->has_pct && x->pct != y->pct)
		return x->pct > y->pct ? -1 : 1;
	return child_name_cmp(a, b);
}

static enum child_order order_param(struct request *rq)
{
	const char *o = kv_get(&rq->query, "sort");
	return o && strcmp(o, "percent") == 0 ? ORDER_PERCENT : ORDER_NAME;
}

/* What the quota bar shows, in words beside small copies of its parts. */
static void quota_legend(struct buf *b)
{
	html_printf(b, "<p class=\"legend qlegend\"><span class=\"sr-only\">%s</span>",
		    _("How to read the quota bars:"));
	html_printf(b, "<span><svg class=\"swatch\" viewBox=\"0 0 20 14\" aria-hidden=\"true\">"
		    "<rect width=\"20\" height=\"14\" fill=\"#2e7d32\"/></svg> %s</span> ",
		    _("admitted, quota reached"));
	html_printf(b, "<span><svg class=\"swatch\" viewBox=\"0 0 20 14\" aria-hidden=\"true\">"
		    "<rect width=\"20\" height=\"14\" fill=\"#e08a1e\"/></svg> %s</span> ",
		    _("admitted, quota not yet reached"));
	html_printf(b, "<span><svg class=\"swatch\" viewBox=\"0 0 20 14\" aria-hidden=\"true\">"
		    "<rect width=\"20\" height=\"14\" fill=\"#eceff2\"/><line x1=\"10\" x2=\"10\" "
		    "y1=\"0\" y2=\"14\" stroke=\"#1d1d1f\" stroke-width=\"2\"/></svg> %s</span> ",
		    _("the mark: 100% of the quota"));
	html_printf(b, "<span class=\"muted\">%s</span></p>\n",
		    _("The bar runs from 0 to 150% of the quota; beyond, it stays full and the "
		      "figure says how far."));
}

/* The units below, in the order the user chose; 0 if there are none. */
static int children_table(struct request *rq, struct response *rs, const struct report *ach,
			  struct unode *unit, int year, int this_year)
{
	struct buf *b = &rs->body;
	struct buf href = BUF_INIT;
	size_t nchild = 0;
	enum child_order order = order_param(rq);
	struct child_row *rows;

	for (size_t i = 0; i < ach->nrows; i++)
		nchild += ach->depth && ach->depth[i] == 1;
	if (!nchild)
		return 0;
	rows = xcalloc(nchild, sizeof(*rows));
	nchild = 0;
	for (size_t i = 0; i < ach->nrows; i++) {
		if (!ach->depth || ach->depth[i] != 1)
			continue;
		struct buf k = BUF_INIT;
		const struct rcell *pct = report_cell(ach, i, 5);
		text_sort_key(report_cell(ach, i, 1)->text, &k);
		rows[nchild].i = i;
		rows[nchild].key = buf_detach(&k);
		rows[nchild].has_pct = !pct->null;
		rows[nchild].pct = pct->null ? 0 : pct->num;
		nchild++;
	}
	xqsort(rows, nchild, sizeof(*rows), order == ORDER_PERCENT ? child_pct_cmp : child_name_cmp);

	html_printf(b, "<h2>%s</h2>\n<p class=\"sortby no-print\">%s ", _("Units directly below"),
		    _("Order:"));
	unit_href(rq, &href, unit, year, this_year);
	buf_adds(&href, strchr(href.s, '?') ? "&sort=" : "?sort=");
	if (order == ORDER_NAME)
		html_printf(b, "<strong aria-current=\"true\">%s</strong> · <a href=\"%spercent\" "
			    "rel=\"nofollow\">%s</a>", _("by name"), href.s, _("by percent of the quota"));
	else
		html_printf(b, "<a href=\"%sname\" rel=\"nofollow\">%s</a> · <strong "
			    "aria-current=\"true\">%s</strong>", href.s, _("by name"),
			    _("by percent of the quota"));
	html_printf(b, "</p>\n");
	html_printf(b, "<div class=\"scroll\"><table class=\"units\">\n<thead><tr><th>%s</th>"
		    "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
		    "<th class=\"barcell hide-narrow\"><span class=\"sr-only\">%s</span></th></tr></thead>\n<tbody>\n",
		    _("Unit"), _("Quota"), _("Admitted"), _("% of quota"), _("Bar"));
	for (size_t r = 0; r < nchild; r++) {
		size_t i = rows[r].i;
		const struct rcell *code = report_cell(ach, i, 0), *name = report_cell(ach, i, 1);
		const struct rcell *quota = report_cell(ach, i, 3), *adm = report_cell(ach, i, 4);
		const struct rcell *pct = report_cell(ach, i, 5), *met = report_cell(ach, i, 6);
		struct unode *n = unitree_find(req_tree(rq), code->text);
		if (!n)
			continue;
		unit_href(rq, &href, n, year, this_year);
		if (order == ORDER_PERCENT)
			buf_adds(&href, strchr(href.s, '?') ? "&sort=percent" : "?sort=percent");
		html_printf(b, "<tr><td><a href=\"%s\">%s</a></td><td class=\"num\">", href.s,
			    name->text);
		if (!quota->null)
			page_int(rs, quota->num);
		html_printf(b, "</td><td class=\"num\">");
		page_int(rs, adm->num);
		html_printf(b, "</td><td class=\"num\">");
		if (!pct->null)
			page_percent(rs, pct->num);
		html_printf(b, "</td><td class=\"barcell hide-narrow\">");
		if (!pct->null)
			chart_quota_bar(b, pct->num, !met->null && met->num);
		else
			html_printf(b, "<span class=\"muted\">%s</span>", _("no quota"));
		html_printf(b, "</td></tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
	quota_legend(b);
	for (size_t r = 0; r < nchild; r++)
		free(rows[r].key);
	free(rows);
	buf_release(&href);
	return 1;
}

static void funnel_table(struct response *rs, const struct report *fun, int year)
{
	struct buf *b = &rs->body;
	struct buf t = BUF_INIT;
	long long max = 0;

	for (size_t i = 0; i < fun->nrows; i++)
		if (report_cell(fun, i, 1)->num > max)
			max = report_cell(fun, i, 1)->num;
	buf_addf(&t, _("Steps recorded in %d"), year);
	html_printf(b, "<h2>%s</h2>\n", t.s);
	if (fun->note)
		html_printf(b, "<p class=\"muted note\">%s</p>\n", fun->note);
	html_printf(b, "<table class=\"funnel\">\n<thead><tr><th>%s</th>"
		    "<th class=\"num\">%s</th><th class=\"barcell\"><span class=\"sr-only\">%s</span>"
		    "</th></tr></thead>\n<tbody>\n", _("Step"), _("Reached"), _("Bar"));
	for (size_t i = 0; i < fun->nrows; i++) {
		struct buf label = BUF_INIT;
		report_cell_human(fun, i, 0, &label);
		html_printf(b, "<tr><td>%s</td><td class=\"num\">", label.s);
		page_int(rs, report_cell(fun, i, 1)->num);
		html_printf(b, "</td><td class=\"barcell\">");
		chart_count_bar(b, report_cell(fun, i, 1)->num, max);
		html_printf(b, "</td></tr>\n");
		buf_release(&label);
	}
	html_printf(b, "</tbody></table>\n");
	buf_release(&t);
}

static void deadlines_table(struct request *rq, struct response *rs, const struct walk *w,
			    const struct unode *n)
{
	struct buf *b = &rs->body;
	struct buf href = BUF_INIT;

	buf_adds(&href, "/reports?kind=deadlines&unit=");
	url_encode(&href, n->u.code);
	html_printf(b, "<h2 id=\"deadlines\">%s</h2>\n",
		    _("Deadlines overdue or due within 5 working days"));
	if (!w->ndl) {
		html_printf(b, "<p class=\"notice\">%s</p>\n",
			    _("Nothing is overdue or due within 5 working days."));
	} else {
		html_printf(b, "<div class=\"scroll\"><table class=\"deadlines\">\n<thead><tr><th>%s</th><th>%s</th>"
			    "<th class=\"hide-narrow\">%s</th><th>%s</th><th>%s</th></tr></thead>\n"
			    "<tbody>\n", _("Person"), _("Deadline"), _("Unit"), _("Due on"),
			    _("Working days"));
		for (size_t i = 0; i < w->ndl && i < MAX_ROWS; i++) {
			const struct dl_item *d = &w->dl[i];
			html_printf(b, "<tr%S><td>", d->left < 0 ? " class=\"overdue\"" : "");
			person_link(rs, d->ref, d->name);
			html_printf(b, "</td><td>%s <span class=\"muted code hide-narrow\">%s</span></td>"
				    "<td class=\"hide-narrow\">%s</td><td class=\"nowrap\">", dl_label(d->code),
				    d->code, unit_name(rq, d->unit));
			page_date(rs, d->due);
			html_printf(b, "</td><td>");
			workdays_left(rs, d->left);
			html_printf(b, "</td></tr>\n");
		}
		html_printf(b, "</tbody></table></div>\n");
		if (w->ndl > MAX_ROWS) {
			struct buf more = BUF_INIT;
			text_int(&more, (long long)(w->ndl - MAX_ROWS));
			html_printf(b, "<p class=\"muted\">");
			html_printf(b, ngettext("%s more row is not shown.", "%s more rows are not shown.",
						(unsigned long)(w->ndl - MAX_ROWS)), more.s);
			html_printf(b, "</p>\n");
			buf_release(&more);
		}
	}
	html_printf(b, "<p><a href=\"%s\">%s</a></p>\n", href.s, _("Every open deadline"));
	buf_release(&href);
}

static void waiting_table(struct request *rq, struct response *rs, const struct walk *w)
{
	struct buf *b = &rs->body;

	html_printf(b, "<h2 id=\"waiting-list\">%s</h2>\n", _("Dossiers waiting for a decision"));
	if (!w->nwait) {
		html_printf(b, "<p class=\"notice\">%s</p>\n", _("No dossier is waiting for a decision."));
		return;
	}
	html_printf(b, "<div class=\"scroll\"><table class=\"waiting\">\n<thead><tr><th>%s</th>"
		    "<th class=\"hide-narrow\">%s</th><th class=\"hide-narrow\">%s</th>"
		    "<th class=\"hide-narrow\">%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
		    _("Person"), _("Considered by"), _("Cell vote"), _("Committee vote"),
		    _("Decision due"), _("Working days"));
	for (size_t i = 0; i < w->nwait && i < MAX_ROWS; i++) {
		const struct wait_item *x = &w->wait[i];
		html_printf(b, "<tr%S><td>", x->due != KN_DATE_NONE && x->left < 0 ? " class=\"overdue\"" : "");
		person_link(rs, x->ref, x->name);
		html_printf(b, "</td><td class=\"hide-narrow\">%s</td><td class=\"hide-narrow nowrap\">",
			    unit_name(rq, x->unit));
		page_date(rs, x->cell_vote);
		html_printf(b, "</td><td class=\"hide-narrow nowrap\">");
		if (x->committee_vote != KN_DATE_NONE)
			page_date(rs, x->committee_vote);
		else
			html_printf(b, "<span class=\"muted\">—</span>");
		html_printf(b, "</td><td class=\"nowrap\">");
		page_date(rs, x->due);
		html_printf(b, "</td><td>");
		if (x->due != KN_DATE_NONE)
			workdays_left(rs, x->left);
		html_printf(b, "</td></tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
	if (w->nwait > MAX_ROWS) {
		struct buf more = BUF_INIT;
		text_int(&more, (long long)(w->nwait - MAX_ROWS));
		html_printf(b, "<p class=\"muted\">");
		html_printf(b, ngettext("%s more row is not shown.", "%s more rows are not shown.",
					(unsigned long)(w->nwait - MAX_ROWS)), more.s);
		html_printf(b, "</p>\n");
		buf_release(&more);
	}
}

/* 1 when n or a unit below it may admit: a dossier can then count as
 * waiting for n (core/queue.h), and the card and list are shown. */
static int subtree_decides(const struct unode *n)
{
	if (n->u.may_admit)
		return 1;
	for (size_t i = 0; i < n->nchildren; i++)
		if (subtree_decides(n->children[i]))
			return 1;
	return 0;
}

/* ?year=: a year from 1900 to 2100, else the current one; -1 when given
 * but not a year. */
static int year_param(struct request *rq, int this_year)
{
	const char *y = kv_get(&rq->query, "year");
	char *end;
	long v;
	if (!y || !*y)
		return this_year;
	v = strtol(y, &end, 10);
	if (*end || v < 1900 || v > 2100)
		return -1;
	return (int)v;
}

static int dashboard(struct request *rq, struct response *rs, struct unode *n)
{
	struct unode *scope = req_scope(rq);
	kn_date today = date_today();
	int this_year = date_year(today);
	int year = year_param(rq, this_year);
	struct report_opts o;
	struct report *ach = NULL, *fun = NULL;
	struct buf err = BUF_INIT, href = BUF_INIT, t = BUF_INIT;
	struct walk w;
	enum kn_err e;

	memset(&w, 0, sizeof(w));
	if (year < 0)
		return resp_error(rq, rs, 400, _("The year must be a number from 1900 to 2100."));

	/* The figures below the header are the same for everyone with the same
	 * scope, unit, year, language and day, until the next write: serve them
	 * from the cache (web/cache.h). The header carries the user's own name
	 * and CSRF token, so it is never cached. */
	struct buf key = BUF_INIT;
	int64_t head = 0;
	int building = 0;
	size_t start = 0;
	buf_addf(&key, "dashboard|%s|%s|%d|%s|%ld|%d", scope ? scope->u.code : "", n->u.code, year,
		 rq->lang, (long)today, (int)order_param(rq));
	if (req_cache_head(rq, &head) == KN_OK) {
		char *hit = cache_get(key.s, head, rq->authed ? rq->user.name : NULL, rq->store);
		if (hit) {
			page_begin(rq, rs, "dashboard", n->u.name);
			buf_adds(&rs->body, hit);
			page_transfer_arriving(rq, rs, n->u.code);	/* issue 15: not cached */
			page_end(rq, rs);
			free(hit);
			buf_release(&key);
			return 0;
		}
		building = 1;
	}
	memset(&o, 0, sizeof(o));
	o.unit = n->u.code;
	o.tree = req_tree(rq);	/* the server's: no units read per report */
	o.from = date_from_ymd(year, 1, 1);
	o.to = date_from_ymd(year, 12, 31);
	/* As `ketnap report --year Y`: figures up to today, or to the end of
	 * a past year. */
	o.as_of = o.to < today ? o.to : today;
	o.depth = 1;
	o.level = 1;
	o.lang = rq->lang;
	if ((e = report_build(rq->store, rq->cal, REPORT_ACHIEVEMENT, &o, &ach, &err)) != KN_OK ||
	    (e = report_build(rq->store, rq->cal, REPORT_FUNNEL, &o, &fun, &err)) != KN_OK ||
	    (e = walk_run(rq, n, today, &w)) != KN_OK) {
		resp_error(rq, rs, e == KN_ENOTFOUND ? 404 : 500,
			   e == KN_ENOTFOUND ? _("No such page.")
					     : _("The figures cannot be read from the database."));
		goto out;
	}

	page_begin(rq, rs, "dashboard", n->u.name);
	start = rs->body.len;
	if (n != scope)
		crumbs(rq, rs, scope, n, year, this_year);

	/* The year, and the years either side. */
	html_printf(&rs->body, "<p class=\"yearnav\">");
	if (year > 1900) {
		unit_href(rq, &href, n, year - 1, this_year);
		html_printf(&rs->body, "<a href=\"%s\" rel=\"prev\">‹ %d</a> ", href.s, year - 1);
	}
	buf_addf(&t, _("Year %d"), year);
	html_printf(&rs->body, "<strong>%s</strong>", t.s);
	if (year < 2100) {
		unit_href(rq, &href, n, year + 1, this_year);
		html_printf(&rs->body, " <a href=\"%s\" rel=\"next\">%d ›</a>", href.s, year + 1);
	}
	html_printf(&rs->body, " <span class=\"muted\">· %s ", _("figures as of"));
	page_date(rs, today < o.as_of ? today : o.as_of);
	html_printf(&rs->body, "</span></p>\n");

	int decides = subtree_decides(n) || w.nwait;
	cards(rs, ach, year, &w, decides);
	if (!children_table(rq, rs, ach, n, year, this_year) && !report_cell(ach, 0, 5)->null)
		quota_legend(&rs->body);
	funnel_table(rs, fun, year);
	deadlines_table(rq, rs, &w, n);
	if (decides)
		waiting_table(rq, rs, &w);

	buf_reset(&href);
	buf_adds(&href, "/reports?unit=");
	url_encode(&href, n->u.code);
	buf_addf(&href, "&year=%d", year);
	html_printf(&rs->body, "<p class=\"no-print\"><a class=\"button secondary\" href=\"%s\">%s</a></p>\n",
		    href.s, _("Reports for this unit"));
	if (building) {
		cache_put(key.s, head, rs->body.s + start);
		building = 0;
	}
	page_transfer_arriving(rq, rs, n->u.code);	/* issue 15: not cached (forms) */
	page_end(rq, rs);
out:
	/* A failed build still releases the entry, or others would wait. */
	if (building)
		cache_put(key.s, head, NULL);
	buf_release(&key);
	report_free(ach);
	report_free(fun);
	walk_release(&w);
	buf_release(&err);
	buf_release(&href);
	buf_release(&t);
	return 0;
}

int h_dashboard(struct request *rq, struct response *rs)
{
	struct unode *scope = req_scope(rq);
	if (!scope)
		return resp_error(rq, rs, 404, _("No such page."));
	return dashboard(rq, rs, scope);
}

int h_unit_dashboard(struct request *rq, struct response *rs)
{
	struct unitree *t = req_tree(rq);
	struct unode *n = t ? unitree_find(t, rq->arg) : NULL;
	/* Outside the subtree is the same answer as no such unit. */
	if (!n || !req_can_see(rq, n->u.code))
		return resp_error(rq, rs, 404, _("No such page."));
	return dashboard(rq, rs, n);
}
