/*
 * page_decisions.c — the decisions queue of `ketnap serve`: the dossiers
 * waiting for the admission decision of the user's committee ("3 complete
 * dossiers are waiting for the bloc committee's decision"), each with a
 * small form that records the decision on the spot.
 *
 * A dossier is in the queue when it waits for the decision as
 * core/queue.h defines it (the definition the summary paragraph and the
 * dashboard read) and counts for the user's unit: its competent committee
 * is that unit or one below it. Where the committee is one below, the row
 * names it instead of offering the form (an administrator may record for
 * any). The oldest vote comes first, with the working days left against
 * DL-DECISION (deadlines_for, as `ketnap person show` and the deadlines
 * report count them). The decision itself goes through ledger_step() like
 * every other step, recorded for the user's committee.
 *
 * A district's queue runs to a few hundred dossiers, so the page shows 20
 * at a time, filtered by unit (the subtree of a unit that has dossiers) and
 * by how long a dossier has waited since its vote (over 30 or 60 working
 * days, or past DL-DECISION). Queue membership is judged by the domain
 * functions above, so the filters and the paging run over that computed
 * list, not in SQL; the store hands over only the candidacies that may be
 * in the queue (store_queue_dates: at a vote, or with a later-dated step),
 * so that a page costs the queue's size, not the subtree's.
 *
 * An approver may also decide several dossiers at once (POST /decisions,
 * page_decision_batch.c; page_decisions_impl.h is what the two share):
 * the ticked rows, one decision date and a number series — a first number
 * and the commission's suffix, 45 and "QĐ/HU" giving 45-QĐ/HU, 46-QĐ/HU …
 * Each dossier goes through the same checks and the same ledger_step() as a
 * single decision, one by one in the order of the list; a refused dossier
 * takes no number, so the register has no gaps. The answer lists what was
 * recorded under which number and what was refused, and why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/deadline.h"
#include "core/ledger.h"
#include "core/queue.h"
#include "core/svc.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "web/auth.h"
#include "web/cache.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/sort.h"
#include "web/page_decisions_impl.h"
#include "util/banned.h"

struct dossier {
	char *ref;
	char *full_name;
	char *unit;
	char *key;		/* Vietnamese name order */
	kn_date vote;		/* the latest cell or committee vote */
	kn_date due;		/* DL-DECISION, KN_DATE_NONE if none */
	int left;		/* working days left (< 0 overdue) */
	int has_due;
	const struct unode *decider;	/* the competent committee, when it is
					   not the user's own (no form then) */
	int waited;		/* working days since the vote */
};

#define PAGE_SIZE 20

/* The `waited` filter. */
enum waited { WAITED_ANY, WAITED_30, WAITED_60, WAITED_OVERDUE };

struct queue {
	struct request *rq;
	struct ledger *l;
	struct unode *scope;
	struct policy pol;
	struct dossier *d;
	size_t n, cap;
	/* The unit filter's units (queue_units()): every unit with a
	 * dossier and those between it and the scope, in code order, only
	 * the levels that fit when there are too many (full = 0 then). */
	struct unode **units;
	size_t nunits;
	int full;
	/* Loaded from the cache's text (queue_load()): the dossiers' strings
	 * point into it, and it is freed instead of them. */
	char *text;
};

static int dossier_cmp(const void *a, const void *b)
{
	const struct dossier *x = a, *y = b;
	if (x->vote != y->vote)
		return x->vote < y->vote ? -1 : 1;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->ref, y->ref);
}

static int queue_each(void *arg, const struct pipeline *p)
{
	struct queue *q = arg;
	struct unode *un = unitree_find(&q->l->tree, p->unit);
	struct queue_dossier qd;
	struct buf key = BUF_INIT;

	if (!un || !unitree_within(un, q->scope))
		return 0;
	/* The one definition of core/queue.h, counted for the user's unit. */
	if (!queue_waiting_ext(un, p->steps, p->nsteps, p->decision_extended, q->l->today,
			       &q->pol, q->l->cal, &qd) ||
	    !queue_counts_for(&qd, q->scope))
		return 0;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 32;
		q->d = xreallocarray(q->d, q->cap, sizeof(*q->d));
	}
	struct dossier *d = &q->d[q->n++];
	memset(d, 0, sizeof(*d));
	d->ref = xstrdup(p->person_ref);
	d->full_name = xstrdup(p->full_name);
	d->unit = xstrdup(p->unit);
	text_name_key(p->full_name, &key);
	d->key = buf_detach(&key);
	d->vote = qd.arrived;
	d->due = qd.has_due ? qd.due : KN_DATE_NONE;
	d->left = qd.workdays_left;
	d->has_due = qd.has_due;
	/* A committee below the user's decides it: shown, not decided here. */
	d->decider = q->rq->role == ROLE_ADMIN || !qd.competent ||
		     strcmp(qd.competent->u.code, q->rq->user.unit) == 0 ? NULL : qd.competent;
	return 0;
}

static void queue_release(struct queue *q)
{
	for (size_t i = 0; !q->text && i < q->n; i++) {
		free(q->d[i].ref);
		free(q->d[i].full_name);
		free(q->d[i].unit);
		free(q->d[i].key);
	}
	free(q->d);
	free(q->units);
	free(q->text);
}

/* The queue, sorted, as the text the answer cache keeps (web/cache.h):
 * each dossier's fields as LEN:TEXT or numbers, one dossier a line. The
 * queue is the same for everyone of the same unit and role until the next
 * write, and reading it is most of the page's time (a province root's
 * 1,000 dossiers: 18 ms of 20). */
static void field_str(struct buf *out, const char *v)
{
	buf_addf(out, "%zu:%s ", strlen(v), v);
}

static void queue_save(const struct queue *q, struct buf *out)
{
	buf_addf(out, "%zu\n", q->n);
	for (size_t i = 0; i < q->n; i++) {
		const struct dossier *d = &q->d[i];
		field_str(out, d->ref);
		field_str(out, d->full_name);
		field_str(out, d->unit);
		field_str(out, d->decider ? d->decider->u.code : "");
		buf_addf(out, "%ld %ld %d %d %d\n", (long)d->vote, (long)d->due, d->left, d->has_due,
			 d->waited);
	}
	buf_addf(out, "%zu %d\n", q->nunits, q->full);
	for (size_t i = 0; i < q->nunits; i++)
		field_str(out, q->units[i]->u.code);
	buf_addc(out, '\n');
}

/* One LEN:TEXT field at *p, ended in place (the space after it becomes
 * its NUL); NULL when the text is not one. Not copied: a national root's
 * queue holds 11,000 dossiers, and copying each of their strings at every
 * request for the page was a third of the server's time under issue 13's
 * benchmark. */
static char *field_load(char **p)
{
	char *end;
	unsigned long long n = strtoull(*p, &end, 10);
	if (end == *p || *end != ':' || strnlen(end + 1, n + 1) < n + 1 || end[1 + n] != ' ')
		return NULL;
	end[1 + n] = '\0';
	*p = end + 2 + n;
	return end + 1;
}

static long num_load(char **p, int *bad)
{
	char *end;
	long v = strtol(*p, &end, 10);
	if (end == *p)
		*bad = 1;
	*p = end;
	return v;
}

/* The queue from queue_save()'s text, which q takes (its dossiers'
 * strings are in it); -1 when the text is not one, or names a deciding
 * unit the tree no longer has (queue_release() then frees it all). */
static int queue_load(struct queue *q, char *text)
{
	char *p = text;
	int bad = 0;
	q->text = text;
	long n = num_load(&p, &bad);
	if (bad || n < 0 || *p++ != '\n')
		return -1;
	q->cap = (size_t)n ? (size_t)n : 1;
	q->d = xcalloc(q->cap, sizeof(*q->d));
	for (long i = 0; i < n && !bad; i++) {
		struct dossier *d = &q->d[q->n++];
		char *decider;
		d->ref = field_load(&p);
		d->full_name = d->ref ? field_load(&p) : NULL;
		d->unit = d->full_name ? field_load(&p) : NULL;
		decider = d->unit ? field_load(&p) : NULL;
		if (!decider) {
			bad = 1;
			break;
		}
		if (*decider && !(d->decider = unitree_find(&q->l->tree, decider)))
			bad = 1;
		d->vote = (kn_date)num_load(&p, &bad);
		d->due = (kn_date)num_load(&p, &bad);
		d->left = (int)num_load(&p, &bad);
		d->has_due = (int)num_load(&p, &bad);
		d->waited = (int)num_load(&p, &bad);
		if (*p++ != '\n')
			bad = 1;
	}
	long nu = bad ? 0 : num_load(&p, &bad);
	q->full = bad ? 0 : (int)num_load(&p, &bad);
	if (bad || nu < 0 || *p++ != '\n')
		return -1;
	q->units = xcalloc((size_t)nu ? (size_t)nu : 1, sizeof(*q->units));
	for (long i = 0; i < nu && !bad; i++) {
		char *code = field_load(&p);
		if (!code || !(q->units[q->nunits++] = unitree_find(&q->l->tree, code)))
			bad = 1;
	}
	if (bad || *p++ != '\n')
		return -1;
	return 0;
}

static const char *unit_name(struct ledger *l, const char *code)
{
	struct unode *n = code ? unitree_find(&l->tree, code) : NULL;
	return n ? n->u.name : (code ? code : "");
}

/* What a refused POST brings back: the row, its typed values, why. */
struct refusal {
	const char *ref;
	const char *doc_no;
	const char *date;
	const struct violations *v;
	const char *lines;		/* "column: message" lines */
};

/* The queue's filters, as read from the query string. */
struct filters {
	const char *unit;		/* a unit code, or NULL */
	struct unode *top;		/* its node, or the scope */
	enum waited waited;
	long page;
};

/* The query string of the filters (without page), "?unit=…&waited=…" or "". */
static void filters_query(const struct filters *f, struct buf *q);

/* A row's own form; its action carries the filters and the page, so that
 * the answer comes back to the same view. */
static void row_form(struct request *rq, struct response *rs, const struct dossier *d,
		     const struct refusal *r, const struct filters *f, kn_date today)
{
	struct buf *b = &rs->body, action = BUF_INIT;
	char iso[11];
	int mine = r && strcmp(r->ref, d->ref) == 0;
	date_format_iso(today, iso);
	buf_adds(&action, "/decisions/");
	url_encode(&action, d->ref);
	filters_query(f, &action);
	if (f->page > 1)
		buf_addf(&action, "%cpage=%ld", strchr(action.s, '?') ? '&' : '?', f->page);
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"decide\">", action.s);
	page_csrf(rq, rs);
	html_printf(b, "<label>%s <input name=\"doc_no\" required maxlength=\"64\" value=\"%s\" "
		    "placeholder=\"%s\"></label><label>%s ", _("Decision no."),
		    mine && r->doc_no ? r->doc_no : "", _("e.g. 123-QĐ/QU"), _("Date"));
	page_date_input(b, "date", mine && r->date ? r->date : iso, " required");
	html_printf(b, "</label><button type=\"submit\">%s</button></form>",
		    _("Record the decision"));
	buf_release(&action);
}

static const char *waited_name(enum waited w)
{
	static const char *const names[] = { "", "30", "60", "overdue" };
	return names[w];
}

static void filters_query(const struct filters *f, struct buf *q)
{
	size_t start = q->len;
	if (f->unit) {
		buf_adds(q, "?unit=");
		url_encode(q, f->unit);
	}
	if (f->waited != WAITED_ANY) {
		buf_adds(q, q->len > start ? "&waited=" : "?waited=");
		buf_adds(q, waited_name(f->waited));
	}
}

static int filters_read(struct request *rq, struct ledger *l, struct unode *scope,
			const struct kvlist *kv, struct filters *f)
{
	const char *unit = kv_get(kv, "unit");
	const char *w = kv_get(kv, "waited");
	const char *pg = kv_get(kv, "page");
	(void)rq;
	memset(f, 0, sizeof(*f));
	f->top = scope;
	f->page = 1;
	if (unit && *unit) {
		struct unode *n = unitree_find(&l->tree, unit);
		if (!n || !unitree_within(n, scope))
			return 404;
		f->unit = n->u.code;
		f->top = n;
	}
	if (w && *w) {
		for (int i = WAITED_30; i <= WAITED_OVERDUE; i++)
			if (strcmp(w, waited_name((enum waited)i)) == 0)
				f->waited = (enum waited)i;
		if (f->waited == WAITED_ANY && strcmp(w, "any") != 0)
			return 400;
	}
	if (pg && *pg) {
		char *end;
		long v = strtol(pg, &end, 10);
		if (!*end && v >= 1 && v <= 1000000)
			f->page = v;
	}
	return 0;
}

/* Every dossier of the queue is within the scope (queue_each() kept no
 * other): the unit is looked up only when the filter names a unit below. */
static int dossier_passes(struct ledger *l, const struct dossier *d, const struct filters *f,
			  const struct unode *scope)
{
	struct unode *un = f->top == scope ? NULL : unitree_find(&l->tree, d->unit);
	if (f->top != scope && (!un || !unitree_within(un, f->top)))
		return 0;
	switch (f->waited) {
	case WAITED_30:
		return d->waited > 30;
	case WAITED_60:
		return d->waited > 60;
	case WAITED_OVERDUE:
		return d->has_due && d->left < 0;
	default:
		return 1;
	}
}

struct pick {
	struct unode **n;
	size_t len, cap;
};

static int node_cmp(const void *a, const void *b)
{
	return strcmp((*(struct unode *const *)a)->u.code, (*(struct unode *const *)b)->u.code);
}

/* The unit filter's units of the queue (q->units): the units with a
 * dossier and the units between them and the scope, in tree order (codes
 * sort parents first). Made once with the queue and cached with it. */
static void queue_units(struct queue *q)
{
	struct pick pk = { NULL, 0, 0 };
	/* Every unit on the way up from each dossier, then sorted and each
	 * kept once (issue 13: a nation's queue has thousands of dossiers in
	 * thousands of units, and a search of the units picked so far for
	 * each one grew with their product). */
	for (size_t i = 0; i < q->n; i++) {
		for (struct unode *n = unitree_find(&q->l->tree, q->d[i].unit);
		     n && unitree_within(n, q->scope); n = n->parent) {
			if (pk.len == pk.cap) {
				pk.cap = pk.cap ? pk.cap * 2 : 16;
				pk.n = xreallocarray(pk.n, pk.cap, sizeof(*pk.n));
			}
			pk.n[pk.len++] = n;
			if (n == q->scope)
				break;
		}
	}
	xqsort(pk.n, pk.len, sizeof(*pk.n), node_cmp);
	size_t kept = 0;
	for (size_t i = 0; i < pk.len; i++)	/* codes are unique: equal ones adjoin */
		if (kept == 0 || pk.n[kept - 1] != pk.n[i])
			pk.n[kept++] = pk.n[i];
	pk.len = kept;
	/* Issue 13: a nation's queue passes through some 10,000 units, a
	 * 2 MB list on every page; beyond page_units_max() (2,000, as the
	 * candidates' unit picker) it stops at the deepest level that keeps
	 * it within that many (unit_select() adds the unit filtered on,
	 * whatever its depth). A city's or a province's queue is shown whole,
	 * as before. */
	size_t max = page_units_max();
	q->full = 1;
	if (pk.len > max) {
		int deepest = q->scope->depth;
		for (;;) {
			size_t within = 0;
			for (size_t i = 0; i < pk.len; i++)
				within += pk.n[i]->depth <= deepest + 1;
			if (within > max)
				break;
			deepest++;
		}
		kept = 0;
		for (size_t i = 0; i < pk.len; i++)
			if (pk.n[i]->depth <= deepest)
				pk.n[kept++] = pk.n[i];
		pk.len = kept;
		q->full = 0;
	}
	q->units = pk.n;
	q->nunits = pk.len;
}

/* One <option> of the unit filter, indented by its depth below the scope. */
static void unit_option(struct buf *b, const struct queue *q, const struct filters *f,
			const struct unode *u)
{
	struct buf label = BUF_INIT;
	for (int d = q->scope->depth; d < u->depth && d < q->scope->depth + 12; d++)
		buf_adds(&label, "\xc2\xa0\xc2\xa0");
	buf_addf(&label, "%s (%s)", u->u.name, u->u.code);
	html_printf(b, "<option value=\"%s\"%S>%s</option>", u->u.code,
		    f->unit && strcmp(f->unit, u->u.code) == 0 ? " selected" : "", label.s);
	buf_release(&label);
}

static void unit_select(struct response *rs, struct ledger *l, const struct queue *q,
			const struct filters *f)
{
	struct buf *b = &rs->body;
	struct unode **units = q->units, *extra = NULL;
	size_t n = q->nunits, at = n;

	/* Under the limit the unit filtered on is listed too, when the queue
	 * would list it: a dossier of its subtree is in the queue. */
	if (!q->full && f->unit && f->top != q->scope) {
		size_t i;
		for (i = 0; i < n && strcmp(units[i]->u.code, f->top->u.code) != 0; i++)
			;
		for (size_t k = 0; i == n && k < q->n && !extra; k++) {
			struct unode *un = unitree_find(&l->tree, q->d[k].unit);
			if (un && unitree_within(un, f->top))
				extra = f->top;
		}
		for (at = 0; extra && at < n && strcmp(units[at]->u.code, extra->u.code) < 0; at++)
			;
	}
	html_printf(b, "<label>%s <select name=\"unit\"><option value=\"\">%s</option>", _("Unit"),
		    _("all"));
	for (size_t i = 0; i <= n; i++) {
		if (i == at && extra)
			unit_option(b, q, f, extra);
		if (i < n)
			unit_option(b, q, f, units[i]);
	}
	html_printf(b, "</select></label>\n");
}

static void filter_form(struct response *rs, struct ledger *l, const struct queue *q,
			const struct filters *f)
{
	struct buf *b = &rs->body;
	const char *labels[] = { _("any"), _("over 30 working days"), _("over 60 working days"),
				 _("past the deadline") };
	html_printf(b, "<form method=\"get\" action=\"/decisions\" class=\"grid filters\" "
		    "role=\"search\">\n");
	unit_select(rs, l, q, f);
	html_printf(b, "<label>%s <select name=\"waited\">", _("Waiting since the vote"));
	for (int i = WAITED_ANY; i <= WAITED_OVERDUE; i++)
		html_printf(b, "<option value=\"%s\"%S>%s</option>",
			    i == WAITED_ANY ? "any" : waited_name((enum waited)i),
			    (int)f->waited == i ? " selected" : "", labels[i]);
	html_printf(b, "</select></label>\n<div class=\"actions\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"/decisions\">%s</a></div>\n</form>\n",
		    _("Filter"), _("Clear"));
}

static void batch_form(struct request *rq, struct response *rs, const struct filters *f,
		       const struct batch *bt, kn_date today)
{
	struct buf *b = &rs->body, nx = BUF_INIT;
	char iso[11];
	const char *d = bt ? kv_get(&rq->form, "date") : NULL;
	const char *first = bt ? kv_get(&rq->form, "first") : NULL;
	const char *suffix = bt ? kv_get(&rq->form, "suffix") : NULL;
	if (bt && !bt->error) {
		/* Recorded: the series goes on from the next number. */
		buf_addf(&nx, "%ld", bt->next);
		first = nx.s;
	}
	date_format_iso(today, iso);
	html_printf(b, "<form id=\"batch\" method=\"post\" action=\"/decisions\" class=\"batch "
		    "no-print\">");
	page_csrf(rq, rs);
	if (f->unit)
		html_printf(b, "<input type=\"hidden\" name=\"unit\" value=\"%s\">", f->unit);
	if (f->waited != WAITED_ANY)
		html_printf(b, "<input type=\"hidden\" name=\"waited\" value=\"%s\">",
			    waited_name(f->waited));
	html_printf(b, "<fieldset><legend>%s</legend>\n<p class=\"muted\">%s</p>\n",
		    _("Decide the ticked dossiers together"),
		    _("Tick the dossiers below, then give the date of the decisions and the number "
		      "of the first one. The ticked dossiers are numbered one after another in the "
		      "order of the list: first number 45 with the suffix QĐ/HU gives 45-QĐ/HU, "
		      "46-QĐ/HU, 47-QĐ/HU… Each dossier is still checked against the rules on its "
		      "own: one that breaks a rule is refused and takes no number, so the numbers "
		      "recorded have no gaps."));
	html_printf(b, "<label>%s ", _("Date of the decisions"));
	page_date_input(b, "date", d && *d ? d : iso, " required");
	html_printf(b, "</label>\n<label>%s <input name=\"first\" required inputmode=\"numeric\" "
		    "pattern=\"[0-9]{1,7}\" maxlength=\"7\" value=\"%s\" placeholder=\"45\" "
		    "class=\"series\"></label>\n<label>%s <input name=\"suffix\" maxlength=\"40\" "
		    "value=\"%s\" placeholder=\"QĐ/HU\"></label>\n<div class=\"actions\">"
		    "<button type=\"submit\">%s</button></div></fieldset></form>\n",
		    _("First number"), first ? first : "", _("Number suffix"),
		    suffix ? suffix : "", _("Record the ticked decisions"));
	buf_release(&nx);
}

static void batch_result(struct response *rs, const struct batch *bt)
{
	struct buf *b = &rs->body, n1 = BUF_INIT, n2 = BUF_INIT;
	size_t refused = bt->n - bt->recorded;
	if (bt->error) {
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p><strong>%s</strong></p>"
			    "</div>\n", bt->error);
		return;
	}
	text_int(&n1, (long long)bt->recorded);
	text_int(&n2, (long long)refused);
	html_printf(b, "<div class=\"batch-result%S\" role=\"status\"><p><strong>",
		    bt->recorded ? " notice" : " violations");
	html_printf(b, ngettext("%s decision was recorded", "%s decisions were recorded",
				bt->recorded), n1.s);
	html_printf(b, ", ");
	html_printf(b, ngettext("%s dossier was refused.", "%s dossiers were refused.", refused),
		    n2.s);
	html_printf(b, "</strong></p>\n<table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
		    "<th>%s</th></tr></thead><tbody>\n", _("Full name"), _("Decision no."),
		    _("Result"));
	for (size_t i = 0; i < bt->n; i++) {
		const struct batch_item *it = &bt->it[i];
		html_printf(b, "<tr class=\"%S\"><td>%s <span class=\"muted code\">%s</span></td>"
			    "<td class=\"code\">%s</td><td>", it->doc_no ? "recorded" : "refused",
			    it->full_name ? it->full_name : _("unknown person"),
			    /* A ref outside the user's subtree is not echoed:
			     * the page says nothing of who is there. */
			    it->full_name ? it->ref : "",
			    it->doc_no ? it->doc_no : "—");
		if (it->doc_no) {
			html_printf(b, "%s", _("recorded"));
		} else {
			html_printf(b, "%s<ul>", _("refused:"));
			for (const char *line = it->why.s; line && *line;) {
				const char *nl = strchr(line, '\n');
				size_t len = nl ? (size_t)(nl - line) : strlen(line);
				char *one = xstrndup(line, len);
				html_printf(b, "<li>%s</li>", one);
				free(one);
				line += len + (nl ? 1 : 0);
			}
			html_printf(b, "</ul>");
		}
		html_printf(b, "</td></tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
	buf_release(&n1);
	buf_release(&n2);
}

static void pager(struct response *rs, const struct filters *f, long page, size_t pages)
{
	struct buf qs = BUF_INIT;
	filters_query(f, &qs);
	page_pager(rs, "/decisions", &qs, page, pages);
	buf_release(&qs);
}

void decisions_queue_page(struct request *rq, struct response *rs, const struct refusal *r,
			  const struct batch *bt, int status)
{
	struct ledger l;
	struct queue q;
	struct filters f;
	struct buf err = BUF_INIT, num = BUF_INIT;
	struct buf *b = &rs->body;
	const char *done = kv_get(&rq->query, "done");
	size_t *shown = NULL, nshown = 0;
	int bad;

	memset(&q, 0, sizeof(q));
	if (ledger_open_tree(&l, rq->store, rq->cal, rq->user.name, req_tree(rq), &err) != KN_OK) {
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
		buf_release(&err);
		return;
	}
	q.rq = rq;
	q.l = &l;
	q.scope = unitree_find(&l.tree, rq->user.unit);
	ledger_policy(&l, l.today, &q.pol);
	/* Only the user's subtree: queue_each() keeps nothing else, and the
	 * queue needs only each step's code and date (core/queue.h), of the
	 * candidacies that may be in it (issue 13: not every open one). */
	if (!q.scope) {
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
		goto out;
	}
	{
		/* The queue of the user's unit, as deciders see it (an admin
		 * decides every dossier, others only their unit's). */
		struct buf key = BUF_INIT, text = BUF_INIT;
		int64_t head = 0;
		char *hit = NULL;
		int building = 0;
		buf_addf(&key, "queue|%zu:%s|%d|%ld", strlen(rq->user.unit), rq->user.unit,
			 rq->role == ROLE_ADMIN, (long)l.today);
		if (cache_head(rq->store, &head) == KN_OK) {
			hit = cache_get(key.s, head, rq->user.name, rq->store);
			building = !hit;
		}
		if (hit && queue_load(&q, hit) != 0) {
			queue_release(&q);	/* not ours (hit freed): read it again */
			memset(&q, 0, sizeof(q));
			q.rq = rq;
			q.l = &l;
			q.scope = unitree_find(&l.tree, rq->user.unit);
			ledger_policy(&l, l.today, &q.pol);
			hit = NULL;
		}
		if (hit) {
			hit = NULL;	/* q's now */
		} else {
			enum kn_err e = store_queue_dates(rq->store, rq->user.unit, l.today,
							  queue_each, &q);
			if (e == KN_OK)
				xqsort(q.d, q.n, sizeof(*q.d), dossier_cmp);
			/* The working days waited, as of the day in the key,
			 * and the unit filter's units. */
			for (size_t i = 0; e == KN_OK && i < q.n; i++)
				q.d[i].waited = q.d[i].vote == KN_DATE_NONE ? 0
					: calendar_count_workdays(l.cal, q.d[i].vote, l.today);
			if (e == KN_OK)
				queue_units(&q);
			if (e == KN_OK && building)
				queue_save(&q, &text);
			if (building)
				cache_put(key.s, head, e == KN_OK ? text.s : NULL);
			if (e != KN_OK) {
				buf_release(&key);
				buf_release(&text);
				resp_error(rq, rs, 500, _("The database could not be read or "
							  "written; try again."));
				goto out;
			}
		}
		free(hit);
		buf_release(&key);
		buf_release(&text);
	}
	/* A batch answer keeps the filters it was sent from. */
	bad = filters_read(rq, &l, q.scope, bt ? &rq->form : &rq->query, &f);
	if (bad) {
		resp_error(rq, rs, bad, bad == 404 ? _("No such unit.")
			   : _("Unknown value of the waiting filter."));
		goto out;
	}
	shown = xcalloc(q.n ? q.n : 1, sizeof(*shown));
	for (size_t i = 0; i < q.n; i++) {
		struct dossier *d = &q.d[i];
		if (dossier_passes(&l, d, &f, q.scope))
			shown[nshown++] = i;
	}
	size_t pages = nshown ? (nshown + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	if ((size_t)f.page > pages)
		f.page = (long)pages;
	size_t first = (size_t)(f.page - 1) * PAGE_SIZE;
	size_t last = first + PAGE_SIZE < nshown ? first + PAGE_SIZE : nshown;

	rs->status = status;
	page_begin(rq, rs, "decisions", _("Decisions"));
	if (done && !r && !bt) {
		struct person p;
		if (store_person_get(rq->store, done, &p) == KN_OK) {
			if (req_can_see(rq, p.unit)) {
				html_printf(b, "<p class=\"notice\" role=\"status\">");
				html_printf(b, _("The admission decision for %s was recorded."),
					    p.full_name);
				html_printf(b, "</p>\n");
			}
			person_release(&p);
		}
	}
	if (bt)
		batch_result(rs, bt);
	if (r) {
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p><strong>");
		html_printf(b, _("The decision for %s was refused; nothing was recorded."), r->ref);
		html_printf(b, "</strong></p><ul>");
		for (size_t i = 0; r->v && i < r->v->n; i++)
			html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>", r->v->v[i].code,
				    r->v->v[i].message);
		for (const char *line = r->lines; line && *line;) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			char *one = xstrndup(line, len);
			html_printf(b, "<li>%s</li>", one);
			free(one);
			line += len + (nl ? 1 : 0);
		}
		html_printf(b, "</ul></div>\n");
	}
	text_int(&num, (long long)q.n);
	html_printf(b, "<div class=\"cards\"><div class=\"card\"><div class=\"big\">%s</div>", num.s);
	html_printf(b, ngettext("dossier waiting for the admission decision in %s",
				"dossiers waiting for the admission decision in %s", q.n),
		    q.scope->u.name);
	html_printf(b, "</div></div>\n");
	if (q.n)
		filter_form(rs, &l, &q, &f);
	if (nshown) {
		struct buf a = BUF_INIT, z = BUF_INIT, cnt = BUF_INIT;
		text_int(&cnt, (long long)nshown);
		text_int(&a, (long long)first + 1);
		text_int(&z, (long long)last);
		html_printf(b, "<p class=\"count\">");
		html_printf(b, ngettext("%s dossier matches", "%s dossiers match", nshown), cnt.s);
		html_printf(b, " · ");
		html_printf(b, _("showing %s–%s"), a.s, z.s);
		html_printf(b, "</p>\n");
		buf_release(&a);
		buf_release(&z);
		buf_release(&cnt);
		batch_form(rq, rs, &f, bt, l.today);
		html_printf(b, "<table class=\"list decisions\">\n<thead><tr><th class=\"no-print "
			    "tick\"><input type=\"checkbox\" form=\"batch\" class=\"tick-all\" "
			    "aria-label=\"%s\" hidden></th><th>%s</th><th>%s</th>"
			    "<th>%s</th><th>%s</th><th class=\"num\">%s</th><th class=\"no-print\">"
			    "%s</th></tr></thead>\n<tbody>\n", _("Tick every dossier of this page"),
			    _("Full name"), _("Unit"), _("Voted on"), _("Decide by"),
			    _("Working days"), _("Decision"));
		for (size_t k = first; k < last; k++) {
			const struct dossier *d = &q.d[shown[k]];
			struct buf href = BUF_INIT, lbl = BUF_INIT;
			buf_adds(&href, "/people/");
			url_encode(&href, d->ref);
			buf_addf(&lbl, _("Decide %s together"), d->full_name);
			html_printf(b, "<tr%S><td class=\"no-print tick\"><input type=\"checkbox\" "
				    "name=\"ref\" value=\"%s\" form=\"batch\" aria-label=\"%s\"></td>"
				    "<td><a href=\"%s\">%s</a> <span class=\"muted code\">%s"
				    "</span></td><td>%s <span class=\"muted code\">%s</span></td>"
				    "<td data-label=\"%s\">", d->has_due && d->left < 0
				    ? " class=\"overdue\"" : "", d->ref, lbl.s, href.s, d->full_name,
				    d->ref, unit_name(&l, d->unit), d->unit, _("Voted on"));
			page_date(rs, d->vote);
			html_printf(b, "</td><td data-label=\"%s\">", _("Decide by"));
			if (d->has_due)
				page_date(rs, d->due);
			html_printf(b, "</td><td class=\"num\">");
			if (d->has_due) {
				struct buf n = BUF_INIT;
				text_int(&n, d->left < 0 ? -d->left : d->left);
				html_printf(b, d->left < 0 ? _("overdue by %s working days")
					    : _("%s working days left"), n.s);
				buf_release(&n);
			}
			html_printf(b, "</td><td class=\"no-print\">");
			if (d->decider)
				html_printf(b, "<span class=\"muted\">%s</span>", d->decider->u.name);
			else
				row_form(rq, rs, d, r, &f, l.today);
			html_printf(b, "</td></tr>\n");
			buf_release(&href);
			buf_release(&lbl);
		}
		html_printf(b, "</tbody></table>\n");
		if (pages > 1)
			pager(rs, &f, f.page, pages);
	} else if (q.n) {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No dossier matches these filters."));
	} else {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No dossier is waiting."));
	}
	page_end(rq, rs);
out:
	free(shown);
	queue_release(&q);
	ledger_release(&l);
	buf_release(&err);
	buf_release(&num);
}

int h_decisions(struct request *rq, struct response *rs)
{
	decisions_queue_page(rq, rs, NULL, NULL, 200);
	return 0;
}

int h_decision_record(struct request *rq, struct response *rs)
{
	const char *doc = kv_get(&rq->form, "doc_no");
	const char *date = kv_get(&rq->form, "date");
	struct svc sv;
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	struct buf err = BUF_INIT, to = BUF_INIT, docn = BUF_INIT;
	struct refusal r;
	enum kn_err e;

	step_init(&st);
	st.code = STEP_DECISION;
	memset(&req, 0, sizeof(req));
	req.ref = rq->arg;
	req.st = &st;
	req.expect_version = -1;
	req.committee_org = 1;	/* the user's committee; an admin's: the candidate's */
	/* A wrong date or number is answered after the scope and the role
	 * (req.invalid: svc_step stops before the ledger). */
	if (date && *date && date_parse(date, &st.date) != 0) {
		buf_addf(&err, "date: %s\n", _("not a date; write DD/MM/YYYY"));
		req.invalid = 1;
	} else if (doc && *doc) {
		if (text_nfc(doc, &docn) != 0 || docn.len > 64) {
			buf_addf(&err, "doc_no: %s\n", _("this is not valid text"));
			req.invalid = 1;
		} else {
			st.doc_no = xstrdup(docn.s);
		}
	}
	req_svc(rq, &sv);
	e = svc_step(&sv, &req, &res);
	memset(&r, 0, sizeof(r));
	r.ref = res.person.ref;
	r.doc_no = doc;
	r.date = date;
	if (e == KN_ENOTFOUND) {
		resp_error(rq, rs, 404, _("No such person."));
	} else if (e == KN_EPERM) {
		resp_error(rq, rs, 403, _("Your role or unit may not record this step."));
	} else if (e == KN_EINVAL && req.invalid) {
		r.lines = err.s;
		decisions_queue_page(rq, rs, &r, NULL, 422);
	} else if (e == KN_OK) {
		buf_adds(&to, "/decisions?done=");
		url_encode(&to, res.person.ref);
		for (size_t i = 0; i < 3; i++) {
			static const char *const keep[] = { "unit", "waited", "page" };
			const char *val = kv_get(&rq->query, keep[i]);
			if (val && *val) {
				buf_addf(&to, "&%s=", keep[i]);
				url_encode(&to, val);
			}
		}
		resp_redirect(rs, to.s);
	} else if (e == KN_ERULE || e == KN_EINVAL) {
		r.v = &res.v;
		r.lines = res.err.s;
		decisions_queue_page(rq, rs, &r, NULL, 422);
	} else if (e == KN_ECONFLICT) {
		resp_error(rq, rs, 409, _("Someone recorded a step for this candidate meanwhile; "
					  "nothing was recorded. Reload the page, check the "
					  "timeline and try again."));
	} else {
		fprintf(stderr, "ketnap serve: %s: %s\n", rq->path, res.err.s);
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
	}
	step_release(&st);
	svc_step_res_release(&res);
	svc_release(&sv);
	buf_release(&err);
	buf_release(&to);
	buf_release(&docn);
	return 0;
}
