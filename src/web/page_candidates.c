/*
 * page_candidates.c — the candidates' pages of `ketnap serve`: the list
 * with its accent-insensitive search, filters and pages; the form that
 * enters a new candidate with their source step; the candidate's own
 * page (the person, the timeline of every candidacy, the open deadlines,
 * the form of the next step with its "check" and "record" buttons, the
 * ending steps); and the form that edits a person.
 *
 * Nothing here judges a step or computes a figure of its own: steps go
 * through ledger_step() (LEDGER_CHECK for the check button), deadlines
 * through deadlines_for(), structure categories through
 * report_in_category(), search through text_fold() against the folded
 * names the store keeps, order through text_name_key() — the calls
 * `ketnap person find|show`, `ketnap check` and `ketnap step` make, so
 * the page and the command line say the same thing in the same words.
 *
 * Every person and unit shown or changed lies in the user's subtree
 * (req_can_see on the person's unit); anything else answers 404, exactly
 * as if it did not exist. Forms carry the session's CSRF token, and the
 * step form the version of the candidacy it was drawn for: a step
 * recorded meanwhile by someone else makes the next submission 409.
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
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/sort.h"
#include "util/banned.h"

#define PAGE_SIZE 50
/* Up to this many open candidacies, the overdue filter loads each one's
 * steps; beyond it, one pass over every open candidacy is cheaper. */
#define OVERDUE_ONE_BY_ONE 150

/* ---- code tables: what people read instead of the codes ---- */

struct code_label {
	const char *code;
	const char *label;	/* N_(): translated when shown */
};

static const struct code_label occupations[] = {
	{ "worker", N_("Worker in direct production") },
	{ "farmer", N_("Farmer") },
	{ "civil_servant", N_("Civil servant") },
	{ "public_employee", N_("Public employee") },
	{ "enterprise_manager", N_("Enterprise manager") },
	{ "business_owner", N_("Business owner") },
	{ "armed_forces", N_("Armed forces") },
	{ "student", N_("Student") },
	{ "other", N_("Other occupation") },
	{ NULL, NULL },
};

static const struct code_label qualifications[] = {
	{ "none", N_("No vocational training") },
	{ "vocational", N_("Vocational") },
	{ "college", N_("College") },
	{ "university", N_("University") },
	{ "postgraduate", N_("Postgraduate") },
	{ NULL, NULL },
};

static const struct code_label educations[] = {
	{ "5/12", "5/12" },
	{ "9/12", "9/12" },
	{ "12/12", "12/12" },
	{ NULL, NULL },
};

static const struct code_label sexes[] = {
	{ "M", N_("Male") },
	{ "F", N_("Female") },
	{ NULL, NULL },
};

/* Nominating / introducing organisations (steps.csv `org`). */
static const struct code_label orgs[] = {
	{ "youth_union", N_("Youth Union") },
	{ "trade_union", N_("Trade Union") },
	{ "women_union", N_("Women's Union") },
	{ "farmers_union", N_("Farmers' Union") },
	{ "veterans_union", N_("Veterans' Association") },
	{ "cell", N_("Party cell") },
	{ "other", N_("Other organisation") },
	{ NULL, NULL },
};

/* Introductions by an organisation (with one member). */
static const struct code_label intro_orgs[] = {
	{ "youth_union", N_("Youth Union") },
	{ "trade_union", N_("Trade Union") },
	{ NULL, NULL },
};

/* Suggestions for free-text fields (the 54 ethnic groups; common religions). */
static const char *const ethnicities[] = {
	"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
	"Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai",
	"Mnông", "Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ",
	"Giẻ - Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "Kháng", "La Chí",
	"Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Chứt", "Lự", "Lô Lô", "Mảng", "Cờ Lao", "Bố Y",
	"Cống", "Ngái", "Si La", "Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu", NULL,
};

static const char *const religions[] = {
	"Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Hòa Hảo", "Khmer Theravada", "Hồi giáo",
	NULL,
};

static const char *label_of(const struct code_label *t, const char *code)
{
	for (; code && t->code; t++)
		if (strcmp(t->code, code) == 0)
			return _(t->label);
	return code ? code : "";
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- form values and their errors ---- */

struct ferr {
	char *field;
	char *msg;
};

/* A form as shown: every value as typed (or the defaults), and an error
 * message per field that was refused. */
struct form {
	struct kvlist vals;
	struct ferr *err;
	size_t nerr;
};

static void form_set(struct form *f, const char *key, const char *val)
{
	for (size_t i = 0; i < f->vals.n; i++)
		if (strcmp(f->vals.v[i].key, key) == 0) {
			free(f->vals.v[i].val);
			f->vals.v[i].val = xstrdup(nz(val));
			f->vals.v[i].len = strlen(f->vals.v[i].val);
			return;
		}
	f->vals.v = xreallocarray(f->vals.v, f->vals.n + 1, sizeof(*f->vals.v));
	struct kv *k = &f->vals.v[f->vals.n++];
	k->key = xstrdup(key);
	k->val = xstrdup(nz(val));
	k->len = strlen(k->val);
	k->filename = NULL;
}

static void form_set_date(struct form *f, const char *key, kn_date d)
{
	char iso[11] = "";
	if (d != KN_DATE_NONE)
		date_format_iso(d, iso);
	form_set(f, key, iso);
}

static void form_copy(struct form *f, const struct kvlist *in)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].key, "csrf") != 0 && !kv_get(&f->vals, in->v[i].key))
			form_set(f, in->v[i].key, in->v[i].val);
}

static const char *form_get(const struct form *f, const char *key)
{
	return f ? kv_get(&f->vals, key) : NULL;
}

static void form_err(struct form *f, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void form_err(struct form *f, const char *field, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	f->err = xreallocarray(f->err, f->nerr + 1, sizeof(*f->err));
	f->err[f->nerr].field = xstrdup(field);
	f->err[f->nerr].msg = buf_detach(&m);
	f->nerr++;
}

static const char *form_errmsg(const struct form *f, const char *field)
{
	for (size_t i = 0; f && i < f->nerr; i++)
		if (strcmp(f->err[i].field, field) == 0)
			return f->err[i].msg;
	return NULL;
}

static void form_release(struct form *f)
{
	for (size_t i = 0; i < f->vals.n; i++) {
		free(f->vals.v[i].key);
		free(f->vals.v[i].val);
	}
	free(f->vals.v);
	for (size_t i = 0; i < f->nerr; i++) {
		free(f->err[i].field);
		free(f->err[i].msg);
	}
	free(f->err);
	memset(f, 0, sizeof(*f));
}

/* ---- reading typed values ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* The NFC text of a field, trimmed (and with `one_line`, every run of
 * white space made one space; else CR LF made LF) as a heap string; NULL
 * when empty. An invalid or overlong value is an error on the field. */
static char *text_field(struct form *f, const char *field, int one_line, size_t max)
{
	const char *s = form_get(f, field);
	struct buf t = BUF_INIT, n = BUF_INIT;
	size_t len;

	if (!s)
		return NULL;
	while (is_space(*s))
		s++;
	len = strlen(s);
	while (len && is_space(s[len - 1]))
		len--;
	for (size_t i = 0; i < len; i++) {
		if (one_line && is_space(s[i])) {
			if (t.len && t.s[t.len - 1] != ' ')
				buf_addc(&t, ' ');
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			continue;
		} else {
			buf_addc(&t, s[i]);
		}
	}
	if (!t.len) {
		buf_release(&t);
		return NULL;
	}
	if (text_nfc(t.s, &n) != 0) {
		form_err(f, field, "%s", _("this is not valid text"));
		buf_release(&t);
		return NULL;
	}
	buf_release(&t);
	if (n.len > max) {
		form_err(f, field, _("too long: at most %zu characters"), max);
		buf_release(&n);
		return NULL;
	}
	return buf_detach(&n);
}

static char *text_required(struct form *f, const char *field, int one_line, size_t max)
{
	size_t before = f->nerr;
	char *v = text_field(f, field, one_line, max);
	if (!v && f->nerr == before)
		form_err(f, field, "%s", _("this is required"));
	return v;
}

static kn_date date_field(struct form *f, const char *field, int required)
{
	const char *s = form_get(f, field);
	kn_date d;
	if (!s || !*s) {
		if (required)
			form_err(f, field, "%s", _("this is required"));
		return KN_DATE_NONE;
	}
	if (date_parse(s, &d) != 0) {
		form_err(f, field, "%s", _("not a date; write DD/MM/YYYY"));
		return KN_DATE_NONE;
	}
	return d;
}

static int count_field(struct form *f, const char *field)
{
	const char *s = form_get(f, field);
	long n = 0;
	const char *p = s;
	if (!s || !*s)
		return -1;
	for (; *p >= '0' && *p <= '9' && n <= 100000; p++)
		n = n * 10 + (*p - '0');
	if (*p || n > 100000) {
		form_err(f, field, "%s", _("write a whole number"));
		return -1;
	}
	return (int)n;
}

static int flag_field(const struct form *f, const char *field)
{
	const char *s = form_get(f, field);
	return s && (strcmp(s, "1") == 0 || strcmp(s, "on") == 0);
}

/* A code from table t (NULL when empty); anything else is an error. */
static char *code_field(struct form *f, const char *field, const struct code_label *t)
{
	const char *s = form_get(f, field);
	if (!s || !*s)
		return NULL;
	for (; t->code; t++)
		if (strcmp(t->code, s) == 0)
			return xstrdup(s);
	form_err(f, field, "%s", _("choose one of the list"));
	return NULL;
}

/* ---- writing form controls ---- */

static void field_error(struct buf *b, const struct form *f, const char *name)
{
	const char *m = form_errmsg(f, name);
	if (m)
		html_printf(b, "<span class=\"error\" id=\"err-%s\">%s</span>", name, m);
}

static void field_attrs(struct buf *b, const struct form *f, const char *name)
{
	if (form_errmsg(f, name))
		html_printf(b, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", name);
}

/* <label>Label <input …> error</label>; type is a literal ("text",
 * "date", "number", "tel"); extra is trusted markup (attributes). A "date"
 * is a text field typed and shown as dd/mm/yyyy (page_date_input), not the
 * browser's date control, which follows the browser's locale. */
static void input(struct buf *b, const struct form *f, const char *name, const char *label,
		  const char *type, const char *extra)
{
	const char *v = form_get(f, name);
	struct buf attrs = BUF_INIT;
	if (strcmp(type, "date") == 0) {
		html_printf(b, "<label>%s ", label);
		buf_adds(&attrs, extra ? extra : "");
		if (form_errmsg(f, name)) {
			html_printf(&attrs, " aria-invalid=\"true\" aria-describedby=\"err-%s\"", name);
		}
		page_date_input(b, name, v, attrs.s);
		buf_release(&attrs);
	} else {
		html_printf(b, "<label>%s <input type=\"%S\" name=\"%s\" value=\"%s\"%S", label,
			    type, name, nz(v), extra ? extra : "");
		field_attrs(b, f, name);
		html_printf(b, ">");
	}
	field_error(b, f, name);
	html_printf(b, "</label>\n");
}

static void textarea(struct buf *b, const struct form *f, const char *name, const char *label,
		     const char *extra)
{
	html_printf(b, "<label class=\"wide\">%s <textarea name=\"%s\" rows=\"2\"%S", label, name,
		    extra ? extra : "");
	field_attrs(b, f, name);
	html_printf(b, ">%s</textarea>", nz(form_get(f, name)));
	field_error(b, f, name);
	html_printf(b, "</label>\n");
}

/* A select of table t, with an empty first choice when `empty` is given;
 * a value that is not in the table (an imported one) is kept as a choice. */
static void select_codes(struct buf *b, const struct form *f, const char *name,
			 const char *label, const struct code_label *t, const char *empty,
			 const char *extra)
{
	const char *v = nz(form_get(f, name));
	int found = !*v;
	html_printf(b, "<label>%s <select name=\"%s\"%S", label, name, extra ? extra : "");
	field_attrs(b, f, name);
	html_printf(b, ">");
	if (empty)
		html_printf(b, "<option value=\"\">%s</option>", empty);
	for (; t->code; t++) {
		int sel = strcmp(v, t->code) == 0;
		found |= sel;
		html_printf(b, "<option value=\"%s\"%S>%s</option>", t->code,
			    sel ? " selected" : "", _(t->label));
	}
	if (!found)
		html_printf(b, "<option value=\"%s\" selected>%s</option>", v, v);
	html_printf(b, "</select>");
	field_error(b, f, name);
	html_printf(b, "</label>\n");
}

static void checkbox(struct buf *b, const struct form *f, const char *name, const char *label)
{
	html_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%S> %s"
		    "</label>\n", name, flag_field(f, name) ? " checked" : "", label);
}

static void datalist(struct buf *b, const char *id, const char *const *v)
{
	html_printf(b, "<datalist id=\"%s\">", id);
	for (; *v; v++)
		html_printf(b, "<option value=\"%s\">", *v);
	html_printf(b, "</datalist>\n");
}

/* ---- units ---- */

static int considering(const struct unode *n)
{
	return n->u.kind == UNIT_CELL || unitree_is_basic_cell(n);
}

static const char *unit_name(struct request *rq, const char *code)
{
	struct unitree *t = req_tree(rq);
	struct unode *n = t && code ? unitree_find(t, code) : NULL;
	return n ? n->u.name : nz(code);
}

struct unit_walk {
	struct buf *b;
	const char *selected;
	const struct unode *group;	/* the open <optgroup>'s parent */
	int found;
	int top_depth;
};

/* Options of the person form: considering units, grouped by parent. */
static void walk_considering(struct unode *n, struct unit_walk *w)
{
	if (considering(n)) {
		const struct unode *g = n->parent ? n->parent : n;
		int sel = w->selected && strcmp(w->selected, n->u.code) == 0;
		if (g != w->group) {
			if (w->group)
				html_printf(w->b, "</optgroup>");
			html_printf(w->b, "<optgroup label=\"%s\">", g->u.name);
			w->group = g;
		}
		w->found |= sel;
		html_printf(w->b, "<option value=\"%s\"%S>%s (%s)</option>", n->u.code,
			    sel ? " selected" : "", n->u.name, n->u.code);
	}
	for (size_t i = 0; i < n->nchildren; i++)
		walk_considering(n->children[i], w);
}

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

static void select_unit(struct request *rq, struct buf *b, const struct form *f)
{
	struct unode *scope = req_scope(rq);
	const char *v = form_get(f, "unit");
	struct unit_walk w = { b, v, NULL, 0, 0 };
	html_printf(b, "<label>%s <select name=\"unit\" required", _("Considering cell"));
	field_attrs(b, f, "unit");
	html_printf(b, "><option value=\"\">%s</option>", _("— choose —"));
	if (scope)
		walk_considering(scope, &w);
	if (w.group)
		html_printf(b, "</optgroup>");
	/* A person kept in a unit that considers nobody (imported data). */
	if (v && *v && !w.found && req_can_see(rq, v))
		html_printf(b, "<option value=\"%s\" selected>%s (%s)</option>", v,
			    unit_name(rq, v), v);
	html_printf(b, "</select>");
	field_error(b, f, "unit");
	html_printf(b, "</label>\n");
}

/* ---- the service, as the signed-in user (core/svc.h) ---- */

static enum kn_err open_ledger(struct request *rq, struct ledger *l, struct buf *err)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_ledger_open(&sv, l, err);
	svc_release(&sv);
	return e;
}

/* An override needs an approver or admin of a unit above the
 * candidate's (RULES.md §3). */
static int may_override(struct request *rq, const char *unit_code)
{
	struct svc sv;
	req_svc(rq, &sv);
	int may = svc_may_override(&sv, unit_code);
	svc_release(&sv);
	return may;
}

/* The person of ref when the user may see them: KN_OK, or KN_ENOTFOUND
 * (also for a person outside the subtree), or a storage error. */
static enum kn_err visible_person(struct request *rq, const char *ref, struct person *p)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_person_find(&sv, ref, p);
	svc_release(&sv);
	return e;
}

static int not_found(struct request *rq, struct response *rs)
{
	return resp_error(rq, rs, 404, _("No such person."));
}

static int store_failed(struct request *rq, struct response *rs)
{
	fprintf(stderr, "ketnap serve: %s: %s\n", rq->path, store_errmsg(rq->store));
	return resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
}

/* A link to the person's page: /people/REF (REF URL-encoded). */
static void person_href(struct buf *out, const char *ref)
{
	buf_adds(out, "/people/");
	url_encode(out, ref);
}

/* "12 working days left" / "overdue by 3 working days", as `person show`. */
static void workdays_phrase(struct response *rs, int left)
{
	struct buf n = BUF_INIT;
	text_int(&n, left < 0 ? -left : left);
	if (left < 0)
		html_printf(&rs->body, _("overdue by %s working days"), n.s);
	else
		html_printf(&rs->body, _("%s working days left"), n.s);
	buf_release(&n);
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
		person_href(&href, c->ref);
		html_printf(b, "<tr%S><td><a href=\"%s\">%s</a>", rows[i].overdue > 0
			    ? " class=\"overdue\"" : "", href.s, c->full_name);
		if (rows[i].overdue > 0)
			html_printf(b, " <span class=\"cand-badge\">%s</span>", _("overdue"));
		html_printf(b, "</td><td class=\"code hide-narrow\">%s</td>"
			    "<td class=\"hide-narrow\">", c->ref);
		page_date(rs, c->birth_date);
		html_printf(b, "</td><td>%s <span class=\"muted code\">%s</span></td><td>%s",
			    unit_name(rq, c->unit), c->unit, step_label(c->stage));
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
		return store_failed(rq, rs);
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
		return store_failed(rq, rs);
	if (open_ledger(rq, &l, &err) != KN_OK) {
		buf_release(&err);
		return store_failed(rq, rs);
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
		store_failed(rq, rs);
	free(rows);
	ledger_release(&l);
	buf_release(&folded);
	buf_release(&err);
	return 0;
}

/* ================================================================ */
/* The person form (new candidate, edit)                              */
/* ================================================================ */

/* The person's fields from a form into p (the strings p's own); errors
 * on the form. `old`: the person being edited (NULL for a new one). */
static void person_from_form(struct request *rq, struct form *f, struct person *p,
			     const struct person *old)
{
	struct unitree *t = req_tree(rq);
	kn_date today = date_today();
	const char *sex = form_get(f, "sex");

	memset(p, 0, sizeof(*p));
	p->member_since = p->official_since = KN_DATE_NONE;
	if (old) {
		p->ref = xstrdup(old->ref);
		p->member_since = old->member_since;
		p->official_since = old->official_since;
	} else {
		p->ref = text_required(f, "ref", 1, 64);
		for (const char *c = p->ref; c && *c; c++)
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-')) {
				form_err(f, "ref", "%s", _("use letters, digits, '.', '_' or '-' only "
							  "(the citizen ID number, for example)"));
				break;
			}
	}
	p->full_name = text_required(f, "full_name", 1, 200);
	if (!sex || !*sex)
		form_err(f, "sex", "%s", _("this is required"));
	else if (strcmp(sex, "M") == 0 || strcmp(sex, "F") == 0)
		p->sex = sex[0];
	else
		form_err(f, "sex", "%s", _("choose one of the list"));
	p->birth_date = date_field(f, "birth_date", 1);
	if (p->birth_date != KN_DATE_NONE &&
	    (p->birth_date > today || date_year(p->birth_date) < 1900)) {
		form_err(f, "birth_date", "%s", _("not a possible date of birth"));
		p->birth_date = KN_DATE_NONE;
	}
	p->unit = text_required(f, "unit", 1, 64);
	if (p->unit) {
		struct unode *n = t ? unitree_find(t, p->unit) : NULL;
		int unchanged = old && old->unit && strcmp(old->unit, p->unit) == 0;
		if (!n || !req_can_see(rq, p->unit))
			form_err(f, "unit", "%s", _("choose one of the list"));
		else if (!unchanged && !considering(n))
			form_err(f, "unit", "%s", _("choose the cell that considers the candidate"));
	}
	p->ethnicity = text_field(f, "ethnicity", 1, 60);
	p->religion = text_field(f, "religion", 1, 60);
	p->education = text_field(f, "education", 1, 8);
	if (p->education && !education_valid(p->education))
		form_err(f, "education", "%s", _("write 5/12, 9/12 or 12/12"));
	p->qualification = code_field(f, "qualification", qualifications);
	p->occupation = code_field(f, "occupation", occupations);
	p->youth_union = flag_field(f, "youth_union");
	p->trade_union = flag_field(f, "trade_union");
	p->phone = text_field(f, "phone", 1, 40);
	p->note = text_field(f, "note", 0, 2000);
}

static void person_to_form(struct form *f, const struct person *p)
{
	char sex[2] = { p->sex, 0 };
	form_set(f, "ref", p->ref);
	form_set(f, "full_name", p->full_name);
	form_set(f, "sex", p->sex ? sex : "");
	form_set_date(f, "birth_date", p->birth_date);
	form_set(f, "unit", p->unit);
	form_set(f, "ethnicity", p->ethnicity);
	form_set(f, "religion", p->religion);
	form_set(f, "education", p->education);
	form_set(f, "qualification", p->qualification);
	form_set(f, "occupation", p->occupation);
	form_set(f, "youth_union", p->youth_union ? "1" : "");
	form_set(f, "trade_union", p->trade_union ? "1" : "");
	form_set(f, "phone", p->phone);
	form_set(f, "note", p->note);
}

static void person_fields(struct request *rq, struct response *rs, const struct form *f,
			  const char *fixed_ref)
{
	struct buf *b = &rs->body;
	if (fixed_ref)
		html_printf(b, "<label>%s <input value=\"%s\" readonly class=\"code\"></label>\n",
			    _("Ref (citizen ID)"), fixed_ref);
	else
		input(b, f, "ref", _("Ref (citizen ID)"), "text",
		      " required maxlength=\"64\" autocomplete=\"off\" class=\"code\"");
	input(b, f, "full_name", _("Full name"), "text",
	      " required maxlength=\"200\" autocomplete=\"off\"");
	select_codes(b, f, "sex", _("Sex"), sexes, _("— choose —"), " required");
	input(b, f, "birth_date", _("Date of birth"), "date", " required");
	select_unit(rq, b, f);
	input(b, f, "ethnicity", _("Ethnicity"), "text",
	      " list=\"ethnicities\" placeholder=\"Kinh\" maxlength=\"60\"");
	input(b, f, "religion", _("Religion"), "text",
	      " list=\"religions\" maxlength=\"60\"");
	select_codes(b, f, "education", _("General education"), educations, "—", NULL);
	select_codes(b, f, "qualification", _("Qualification"), qualifications, "—", NULL);
	select_codes(b, f, "occupation", _("Occupation"), occupations, "—", NULL);
	checkbox(b, f, "youth_union", _("Youth Union member"));
	checkbox(b, f, "trade_union", _("Trade Union member"));
	input(b, f, "phone", _("Phone"), "tel", " maxlength=\"40\"");
	textarea(b, f, "note", _("Note"), " maxlength=\"2000\"");
	datalist(b, "ethnicities", ethnicities);
	datalist(b, "religions", religions);
}

static void form_errors_banner(struct buf *b, const struct form *f)
{
	if (f->nerr)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n",
			    _("Some fields need correcting; see the messages beside them."));
}

/* ---- new candidate ---- */

static void new_page(struct request *rq, struct response *rs, struct form *f, int status,
		     const struct violations *v, const char *other)
{
	struct buf *b = &rs->body;
	rs->status = status;
	page_begin(rq, rs, "candidates", _("New candidate"));
	html_printf(b, "<p class=\"crumbs\"><a href=\"/candidates\">%s</a> › %s</p>\n",
		    _("Candidates"), _("New candidate"));
	form_errors_banner(b, f);
	if (other)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", other);
	if (v && v->n) {
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p>%s</p><ul>",
			    _("The source step was refused; nothing was recorded:"));
		for (size_t i = 0; i < v->n; i++)
			html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>", v->v[i].code,
				    v->v[i].message);
		html_printf(b, "</ul></div>\n");
	}
	html_printf(b, "<form method=\"post\" action=\"/candidates/new\" class=\"grid person\">\n");
	page_csrf(rq, rs);
	html_printf(b, "<fieldset class=\"wide grid\"><legend>%s</legend>\n", _("The person"));
	person_fields(rq, rs, f, NULL);
	html_printf(b, "</fieldset>\n<fieldset class=\"wide grid\"><legend>%s</legend>\n",
		    step_label(STEP_SOURCE));
	input(b, f, "source_date", _("Date of the cell's resolution"), "date", " required");
	select_codes(b, f, "org", _("Nominating organisation"), orgs, _("— choose —"),
		     " required");
	textarea(b, f, "source_note", _("Movement, remarks"), " maxlength=\"2000\"");
	html_printf(b, "</fieldset>\n<div class=\"actions wide\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"/candidates\">%s</a></div>\n</form>\n",
		    _("Save the candidate"), _("Cancel"));
	page_end(rq, rs);
}

int h_candidate_new_form(struct request *rq, struct response *rs)
{
	struct form f = { 0 };
	struct unode *scope = req_scope(rq);
	if (scope && considering(scope))
		form_set(&f, "unit", scope->u.code);
	form_set_date(&f, "source_date", date_today());
	new_page(rq, rs, &f, 200, NULL, NULL);
	form_release(&f);
	return 0;
}

/* "column: message" lines of ledger_step onto the form's fields (map:
 * the column's name on this form), the rest into `other`. */
static void lines_to_form(struct form *f, const char *lines, const char *const *map,
			  struct buf *other)
{
	while (lines && *lines) {
		const char *nl = strchr(lines, '\n');
		size_t len = nl ? (size_t)(nl - lines) : strlen(lines);
		char *line = xstrndup(lines, len);
		char *colon = strstr(line, ": ");
		int placed = 0;
		if (colon) {
			*colon = '\0';
			for (size_t i = 0; map[i]; i += 2)
				if (strcmp(map[i], line) == 0) {
					form_err(f, map[i + 1], "%s", colon + 2);
					placed = 1;
					break;
				}
			if (!placed)
				*colon = ':';
		}
		if (!placed && *line) {
			if (other->len)
				buf_addc(other, ' ');
			buf_adds(other, colon && !placed ? colon + 2 : line);
		}
		free(line);
		lines += len + (nl ? 1 : 0);
	}
}

int h_candidate_new(struct request *rq, struct response *rs)
{
	static const char *const map[] = { "date", "source_date", "org", "org", "note",
					   "source_note", NULL };
	struct form f = { 0 };
	struct person p, dup;
	struct step st;
	struct violations v = { 0 };
	struct buf err = BUF_INIT, fold = BUF_INIT, row = BUF_INIT, other = BUF_INIT;
	struct ledger l;
	enum ledger_outcome oc;
	enum kn_err e;
	int changed, have_ledger = 0;

	form_copy(&f, &rq->form);
	person_from_form(rq, &f, &p, NULL);
	step_init(&st);
	st.code = STEP_SOURCE;
	st.date = date_field(&f, "source_date", 1);
	st.org = code_field(&f, "org", orgs);
	if (!st.org && !form_errmsg(&f, "org"))
		form_err(&f, "org", "%s", _("this is required"));
	st.note = text_field(&f, "source_note", 0, 2000);
	if (p.ref && !form_errmsg(&f, "ref")) {
		e = store_person_get(rq->store, p.ref, &dup);
		if (e == KN_OK) {
			form_err(&f, "ref", "%s", _("a person with this ref is already recorded"));
			person_release(&dup);
		} else if (e != KN_ENOTFOUND) {
			goto fail;
		}
	}
	if (f.nerr) {
		new_page(rq, rs, &f, 422, NULL, NULL);
		goto out;
	}
	if ((e = open_ledger(rq, &l, &err)) != KN_OK)
		goto fail;
	have_ledger = 1;

	/* The person and their source step: one transaction (ledger_step's
	 * own nests in it), so a refused step leaves no person behind. */
	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	text_fold(p.full_name, &fold);
	export_person_row(&row, &p);
	if (row.len && row.s[row.len - 1] == '\n')
		buf_truncate(&row, row.len - 1);
	if ((e = store_person_put(rq->store, &p, fold.s, &changed)) != KN_OK ||
	    (e = store_audit(rq->store, rq->user.name, "insert", "person", p.ref, NULL,
			     row.s)) != KN_OK) {
		store_rollback(rq->store);
		if (e == KN_ECONFLICT) {
			form_err(&f, "ref", "%s", _("a person with this ref is already recorded"));
			new_page(rq, rs, &f, 409, NULL, NULL);
			goto out;
		}
		goto fail;
	}
	e = ledger_step(&l, p.ref, &st, LEDGER_WRITE, 0, &v, &err, &oc);
	if (e != KN_OK) {
		store_rollback(rq->store);
		if (e == KN_ERULE || e == KN_EINVAL) {
			lines_to_form(&f, err.s, map, &other);
			new_page(rq, rs, &f, 422, &v, other.len ? other.s : NULL);
			goto out;
		}
		goto fail;
	}
	if ((e = store_commit(rq->store)) != KN_OK)
		goto fail;
	{
		struct buf to = BUF_INIT;
		person_href(&to, p.ref);
		buf_adds(&to, "?done=created");
		resp_redirect(rs, to.s);
		buf_release(&to);
	}
	goto out;
fail:
	store_failed(rq, rs);
out:
	if (have_ledger)
		ledger_release(&l);
	violations_release(&v);
	step_release(&st);
	person_release(&p);
	form_release(&f);
	buf_release(&err);
	buf_release(&fold);
	buf_release(&row);
	buf_release(&other);
	return 0;
}

/* ---- edit ---- */

/* A fingerprint of the person as stored: the form carries it, and a
 * save finds out whether someone changed the person meanwhile. */
static void person_stamp(const struct person *p, struct buf *row, struct buf *stamp)
{
	export_person_row(row, p);
	if (row->len && row->s[row->len - 1] == '\n')
		buf_truncate(row, row->len - 1);
	auth_token_hash(row->s, stamp);
}

static void edit_page(struct request *rq, struct response *rs, const struct person *p,
		      struct form *f, const char *stamp, int status, const char *error)
{
	struct buf *b = &rs->body, href = BUF_INIT, action = BUF_INIT;
	person_href(&href, p->ref);
	buf_adds(&action, "/edit/");
	url_encode(&action, p->ref);
	rs->status = status;
	page_begin(rq, rs, "candidates", _("Edit person"));
	html_printf(b, "<p class=\"crumbs\"><a href=\"/candidates\">%s</a> › <a href=\"%s\">%s</a> › "
		    "%s</p>\n", _("Candidates"), href.s, p->full_name, _("Edit"));
	if (error)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
	form_errors_banner(b, f);
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"grid person\">\n", action.s);
	page_csrf(rq, rs);
	html_printf(b, "<input type=\"hidden\" name=\"stamp\" value=\"%s\">\n", stamp);
	person_fields(rq, rs, f, p->ref);
	html_printf(b, "<div class=\"actions wide\"><button type=\"submit\">%s</button> "
		    "<a class=\"button secondary\" href=\"%s\">%s</a></div>\n</form>\n",
		    _("Save"), href.s, _("Cancel"));
	page_end(rq, rs);
	buf_release(&href);
	buf_release(&action);
}

int h_person_edit_form(struct request *rq, struct response *rs)
{
	struct person p;
	struct form f = { 0 };
	struct buf row = BUF_INIT, stamp = BUF_INIT;
	enum kn_err e = visible_person(rq, rq->arg, &p);
	if (e == KN_ENOTFOUND)
		return not_found(rq, rs);
	if (e != KN_OK)
		return store_failed(rq, rs);
	person_to_form(&f, &p);
	person_stamp(&p, &row, &stamp);
	edit_page(rq, rs, &p, &f, stamp.s, 200, NULL);
	form_release(&f);
	person_release(&p);
	buf_release(&row);
	buf_release(&stamp);
	return 0;
}

int h_person_edit(struct request *rq, struct response *rs)
{
	struct person old, p;
	struct form f = { 0 };
	struct buf before = BUF_INIT, stamp = BUF_INIT, after = BUF_INIT, fold = BUF_INIT;
	struct buf to = BUF_INIT;
	const char *sent = kv_get(&rq->form, "stamp");
	enum kn_err e = visible_person(rq, rq->arg, &old);
	int changed;

	if (e == KN_ENOTFOUND)
		return not_found(rq, rs);
	if (e != KN_OK)
		return store_failed(rq, rs);
	person_stamp(&old, &before, &stamp);
	form_copy(&f, &rq->form);
	person_from_form(rq, &f, &p, &old);
	if (!sent || strcmp(sent, stamp.s) != 0) {
		/* Show what is stored now: saving the typed values would undo
		 * the other change unseen. */
		struct form now = { 0 };
		person_to_form(&now, &old);
		edit_page(rq, rs, &old, &now, stamp.s, 409,
			  _("Someone changed this person meanwhile; nothing was saved. The form now "
			    "shows the current values: make your change again."));
		form_release(&now);
		goto out;
	}
	if (f.nerr) {
		edit_page(rq, rs, &old, &f, stamp.s, 422, NULL);
		goto out;
	}
	export_person_row(&after, &p);
	if (after.len && after.s[after.len - 1] == '\n')
		buf_truncate(&after, after.len - 1);
	person_href(&to, p.ref);
	if (strcmp(after.s, before.s) == 0) {
		buf_adds(&to, "?done=unchanged");
		resp_redirect(rs, to.s);
		goto out;
	}
	text_fold(p.full_name, &fold);
	if ((e = store_begin(rq->store)) != KN_OK)
		goto fail;
	if ((e = store_person_put(rq->store, &p, fold.s, &changed)) != KN_OK ||
	    (e = store_audit(rq->store, rq->user.name, "update", "person", p.ref, before.s,
			     after.s)) != KN_OK) {
		store_rollback(rq->store);
		goto fail;
	}
	if ((e = store_commit(rq->store)) != KN_OK)
		goto fail;
	buf_adds(&to, "?done=saved");
	resp_redirect(rs, to.s);
	goto out;
fail:
	store_failed(rq, rs);
out:
	person_release(&old);
	person_release(&p);
	form_release(&f);
	buf_release(&before);
	buf_release(&stamp);
	buf_release(&after);
	buf_release(&fold);
	buf_release(&to);
	return 0;
}

/* ================================================================ */
/* The candidate's page                                               */
/* ================================================================ */

/* What a POST to /step/REF brings back to the page. */
struct step_view {
	struct form *form;		/* the step form as typed (or NULL) */
	enum step_code code;		/* the step that form is for */
	const char *error;		/* a banner */
	const struct violations *v;	/* rules that refuse (or refused) it */
	const char *need;		/* "column: message" lines: what it still needs */
	int checked;			/* the check button: say so when nothing refuses */
	int refused;			/* the record button, refused */
	kn_date date;			/* the date the step was judged for */
};

/* "ID:VERSION" of the person's latest candidacy: svc_version_token(). */
static enum kn_err version_token(struct request *rq, const struct candidacy *cs, size_t nc,
				 struct buf *out, int64_t *open_version)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_version_token(&sv, cs, nc, out, open_version);
	svc_release(&sv);
	return e;
}

/* A person's name linked to their page when the user may see them. */
static void person_link(struct request *rq, struct response *rs, const char *ref)
{
	struct person p;
	struct buf href = BUF_INIT;
	if (!ref)
		return;
	if (visible_person(rq, ref, &p) != KN_OK) {
		html_printf(&rs->body, "<span class=\"code\">%s</span>", ref);
		return;
	}
	person_href(&href, ref);
	html_printf(&rs->body, "<a href=\"%s\">%s</a> <span class=\"muted code\">%s</span>", href.s,
		    p.full_name, ref);
	person_release(&p);
	buf_release(&href);
}

/* The facts of a recorded step, labelled. */
static void step_facts(struct request *rq, struct response *rs, const struct step *s)
{
	struct buf *b = &rs->body;
	const char *sep = "";
#define NEXT() (html_printf(b, "%S", sep), sep = "<br>")
	if (s->doc_no) {
		NEXT();
		html_printf(b, "%s: %s", s->code == STEP_TRAINED ? _("Certificate no.")
			    : s->code == STEP_DECISION || s->code == STEP_OFFICIAL
			    ? _("Decision no.") : _("Document no."), s->doc_no);
	}
	if (s->org) {
		NEXT();
		if (s->code == STEP_DECISION || s->code == STEP_OFFICIAL)
			html_printf(b, "%s: %s <span class=\"muted code\">%s</span>",
				    _("Deciding committee"), unit_name(rq, s->org), s->org);
		else
			html_printf(b, "%s: %s", s->code == STEP_SOURCE ? _("Nominated by")
				    : _("Introduced by"), label_of(orgs, s->org));
	}
	if (s->member) {
		NEXT();
		html_printf(b, "%s: ", _("Mentor"));
		person_link(rq, rs, s->member);
	}
	const char *in[2] = { s->intro1, s->intro2 };
	kn_date since[2] = { s->intro1_since, s->intro2_since };
	for (int i = 0; i < 2; i++) {
		if (!in[i])
			continue;
		NEXT();
		html_printf(b, "%s: ", _("Introducer"));
		person_link(rq, rs, in[i]);
		if (since[i] != KN_DATE_NONE) {
			html_printf(b, ", %s ", _("known since"));
			page_date(rs, since[i]);
		}
	}
	if (s->votes_for >= 0 || s->votes_total >= 0) {
		struct buf x = BUF_INIT, y = BUF_INIT;
		NEXT();
		if (s->votes_for >= 0)
			text_int(&x, s->votes_for);
		if (s->votes_total >= 0)
			text_int(&y, s->votes_total);
		html_printf(b, _("Votes: %s for, of %s"), x.len ? x.s : "?", y.len ? y.s : "?");
		buf_release(&x);
		buf_release(&y);
	}
	if (s->consent) {
		NEXT();
		html_printf(b, "%s: %s", _("Consent"), s->consent);
	}
	if (s->note) {
		NEXT();
		html_printf(b, "%s: %s", step_info(s->code) && step_info(s->code)->ending
			    ? _("Reason") : _("Note"), s->note);
	}
	if (s->override) {
		NEXT();
		html_printf(b, "<span class=\"override\">%s: %s (%s)</span>", _("OVERRIDE"),
			    s->override, nz(s->override_by));
	}
#undef NEXT
}

/* An ISO UTC timestamp ("2025-12-20T03:04:05Z") in Vietnam's time. */
static void recorded_at(struct response *rs, const char *iso)
{
	int y, mo, d, h, mi;
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5 ||
	    !date_valid_ymd(y, mo, d)) {
		html_printf(&rs->body, "%s", nz(iso));
		return;
	}
	int mins = h * 60 + mi + 7 * 60;
	kn_date day = date_from_ymd(y, mo, d) + mins / (24 * 60);
	mins %= 24 * 60;
	page_date(rs, day);
	html_printf(&rs->body, " %d%d:%d%d", mins / 600, mins / 60 % 10, mins % 60 / 10, mins % 10);
}

static void person_card(struct request *rq, struct response *rs, const struct person *p,
			kn_date ms, kn_date os)
{
	struct buf *b = &rs->body;
	html_printf(b, "<table class=\"facts\">\n<tr><th>%s</th><td class=\"code\">%s</td></tr>\n",
		    _("Ref (citizen ID)"), p->ref);
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n<tr><th>%s</th><td>", _("Sex"),
		    p->sex == 'F' ? _("Female") : _("Male"), _("Date of birth"));
	page_date(rs, p->birth_date);
	html_printf(b, "</td></tr>\n<tr><th>%s</th><td>%s <span class=\"muted code\">%s</span>"
		    "</td></tr>\n", _("Unit"), unit_name(rq, p->unit), p->unit);
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Ethnicity"),
		    p->ethnicity ? p->ethnicity : "Kinh");
	if (p->religion)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Religion"), p->religion);
	if (p->education)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("General education"),
			    p->education);
	if (p->qualification)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Qualification"),
			    label_of(qualifications, p->qualification));
	if (p->occupation)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Occupation"),
			    label_of(occupations, p->occupation));
	html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n<tr><th>%s</th><td>%s</td></tr>\n",
		    _("Youth Union member"), p->youth_union ? _("yes") : _("no"),
		    _("Trade Union member"), p->trade_union ? _("yes") : _("no"));
	if (ms != KN_DATE_NONE) {
		html_printf(b, "<tr><th>%s</th><td>", _("Member since"));
		page_date(rs, ms);
		html_printf(b, "</td></tr>\n");
	}
	if (os != KN_DATE_NONE) {
		html_printf(b, "<tr><th>%s</th><td>", _("Full member since"));
		page_date(rs, os);
		html_printf(b, "</td></tr>\n");
	}
	if (p->phone)
		html_printf(b, "<tr><th>%s</th><td>%s</td></tr>\n", _("Phone"), p->phone);
	if (p->note)
		html_printf(b, "<tr><th>%s</th><td class=\"pre\">%s</td></tr>\n", _("Note"), p->note);
	html_printf(b, "</table>\n");
}

static void timeline(struct request *rq, struct response *rs, const struct candidacy *c,
		     size_t i, size_t nc)
{
	struct buf *b = &rs->body;
	struct buf n = BUF_INIT;
	text_int(&n, (long long)i + 1);
	html_printf(b, "<h2>");
	if (nc > 1)
		html_printf(b, _("Candidacy %s"), n.s);
	else
		html_printf(b, "%s", _("Candidacy"));
	html_printf(b, " <span class=\"muted\">(%s · %s: %s)</span></h2>\n",
		    c->open ? _("open") : _("closed"), _("stage"), step_label(c->stage));
	html_printf(b, "<table class=\"timeline\">\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
		    "<th class=\"hide-narrow\">%s</th></tr></thead>\n<tbody>\n", _("Date"), _("Step"),
		    _("Details"), _("Recorded by"));
	for (size_t j = 0; j < c->nsteps; j++) {
		const struct step *s = &c->steps[j];
		html_printf(b, "<tr%S><td>", s->override ? " class=\"overridden\"" : "");
		page_date(rs, s->date);
		html_printf(b, "</td><td>%s <span class=\"muted code hide-narrow\">%s</span></td><td>",
			    step_label(s->code), step_name(s->code));
		step_facts(rq, rs, s);
		html_printf(b, "</td><td class=\"hide-narrow\">%s<br><span class=\"muted\">",
			    nz(s->recorded_by));
		recorded_at(rs, s->recorded_at);
		html_printf(b, "</span></td></tr>\n");
	}
	html_printf(b, "</tbody></table>\n");
	buf_release(&n);
}

static void deadlines_section(struct response *rs, struct ledger *l, const struct candidacy *open)
{
	struct buf *b = &rs->body;
	struct policy pol;
	struct deadline *dl = NULL;
	ledger_policy(l, l->today, &pol);
	size_t n = deadlines_for(open->steps, open->nsteps, l->today, &pol, l->cal, &dl);
	if (!n) {
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No open deadlines."));
		return;
	}
	html_printf(b, "<h2>%s</h2>\n<table class=\"deadlines\">\n<thead><tr><th>%s</th><th>%s</th>"
		    "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n", _("Open deadlines"),
		    _("Deadline"), _("Due"), _("Working days"));
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<tr%S><td>%s <span class=\"muted code\">%s</span></td><td>",
			    dl[i].workdays_left < 0 ? " class=\"overdue\"" : "",
			    deadline_words(dl[i].code), dl[i].code);
		page_date(rs, dl[i].due);
		html_printf(b, "</td><td class=\"num\">");
		workdays_phrase(rs, dl[i].workdays_left);
		html_printf(b, "</td></tr>\n");
	}
	html_printf(b, "</tbody></table>\n");
	free(dl);
}

/* The outcome of a check or a refusal: what is missing, which rules refuse. */
static void judged(struct response *rs, const struct step_view *sv, enum step_code code)
{
	struct buf *b = &rs->body;
	char d[11] = "";
	if (sv->date != KN_DATE_NONE)
		date_format_user(sv->date, d);
	if (sv->refused)
		html_printf(b, "<div class=\"violations\" role=\"alert\"><p><strong>%s</strong></p>",
			    _("Refused; nothing was recorded."));
	else
		html_printf(b, "<div class=\"%S\" role=\"status\">",
			    (sv->v && sv->v->n) || (sv->need && *sv->need) ? "violations" : "notice");
	if (sv->need && *sv->need) {
		html_printf(b, "<p>");
		html_printf(b, _("The %s on %s still needs:"), step_label(code), d);
		html_printf(b, "</p><ul>");
		for (const char *line = sv->need; *line;) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			char *one = xstrndup(line, len);
			html_printf(b, "<li>%s</li>", one);
			free(one);
			line += len + (nl ? 1 : 0);
		}
		html_printf(b, "</ul>");
	}
	if (sv->v && sv->v->n) {
		html_printf(b, "<p>");
		html_printf(b, _("The %s on %s would be refused by:"), step_label(code), d);
		html_printf(b, "</p><ul>");
		for (size_t i = 0; i < sv->v->n; i++)
			html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>", sv->v->v[i].code,
				    sv->v->v[i].message);
		html_printf(b, "</ul>");
	} else if (sv->checked) {
		html_printf(b, "<p>");
		html_printf(b, _("No rule refuses the %s on %s."), step_label(code), d);
		html_printf(b, "</p>");
	}
	html_printf(b, "</div>\n");
}

/* The fields a step needs (RULES.md §2), on the step form. */
static void step_fields(struct request *rq, struct response *rs, const struct form *f,
			enum step_code code, const struct person *p)
{
	struct buf *b = &rs->body;
	input(b, f, "date", _("Date"), "date", " required");
	switch (code) {
	case STEP_SOURCE:
		select_codes(b, f, "org", _("Nominating organisation"), orgs, _("— choose —"),
			     " required");
		break;
	case STEP_MENTOR:
		input(b, f, "member", _("Mentoring member (ref)"), "text",
		      " required class=\"code\" autocomplete=\"off\"");
		break;
	case STEP_TRAINED:
		input(b, f, "doc_no", _("Certificate no."), "text", " required maxlength=\"64\"");
		break;
	case STEP_INTRODUCED:
		input(b, f, "introducer1", _("First introducer (ref)"), "text",
		      " required class=\"code\" autocomplete=\"off\"");
		input(b, f, "introducer1_since", _("Known the candidate since"), "date", NULL);
		input(b, f, "introducer2", _("Second introducer (ref)"), "text",
		      " class=\"code\" autocomplete=\"off\"");
		input(b, f, "introducer2_since", _("Known the candidate since"), "date", NULL);
		select_codes(b, f, "org", _("Or introduced by the organisation"), intro_orgs, "—",
			     NULL);
		break;
	case STEP_CELL_VOTE:
	case STEP_COMMITTEE_VOTE:
	case STEP_PROBATION_VOTE:
		input(b, f, "votes_for", _("Votes for"), "number", " min=\"0\" required");
		input(b, f, "votes_total", code == STEP_COMMITTEE_VOTE ? _("Committee members")
		      : _("Full members of the cell"), "number", " min=\"0\" required");
		if (code == STEP_CELL_VOTE)
			input(b, f, "consent", _("Consent document (over 60)"), "text",
			      " maxlength=\"64\"");
		break;
	case STEP_DECISION:
	case STEP_OFFICIAL: {
		struct unitree *t = req_tree(rq);
		struct unode *n = t ? unitree_find(t, p->unit) : NULL;
		struct unode *c = n ? unitree_competent(n) : NULL;
		input(b, f, "doc_no", _("Decision no."), "text", " required maxlength=\"64\"");
		html_printf(b, "<p class=\"muted\">%s: %s</p>\n", _("Deciding committee"),
			    rq->role == ROLE_ADMIN ? (c ? c->u.name : "?")
			    : unit_name(rq, rq->user.unit));
		break;
	}
	case STEP_CEREMONY:
		input(b, f, "consent", _("Consent of the higher committee (if late)"), "text",
		      " maxlength=\"64\"");
		break;
	default:
		break;
	}
	textarea(b, f, "note", _("Note"), " maxlength=\"2000\"");
	if (may_override(rq, p->unit))
		textarea(b, f, "override", _("Override reason (only to record it despite a rule)"),
			 " maxlength=\"2000\"");
}

/* Steps that may be recorded instead of the next one: mentor while the
 * candidacy is open; trained and introduced again until the cell vote. */
static int alternative_ok(const struct candidacy *open, enum step_code next, enum step_code s)
{
	if (!open)
		return 0;
	if (s == STEP_MENTOR)
		return 1;
	if (s == STEP_TRAINED || s == STEP_INTRODUCED)
		return open->stage >= s && open->stage < STEP_CELL_VOTE && s != next;
	return 0;
}

static void step_form(struct request *rq, struct response *rs, const struct person *p,
		      const struct candidacy *open, enum step_code next, enum step_code code,
		      struct form *f, const char *version)
{
	struct buf *b = &rs->body, action = BUF_INIT, self = BUF_INIT;
	int may = auth_may_record(rq, p->unit, code);
	buf_adds(&action, "/step/");
	url_encode(&action, p->ref);
	person_href(&self, p->ref);
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"grid step\">\n", action.s);
	page_csrf(rq, rs);
	html_printf(b, "<input type=\"hidden\" name=\"step\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"version\" value=\"%s\">\n", step_name(code), version);
	step_fields(rq, rs, f, code, p);
	html_printf(b, "<div class=\"actions wide\"><button type=\"submit\" name=\"action\" "
		    "value=\"check\" class=\"secondary\" formnovalidate>%s</button>", _("Check"));
	if (may)
		html_printf(b, " <button type=\"submit\" name=\"action\" value=\"record\">%s</button>",
			    _("Record the step"));
	else
		html_printf(b, " <span class=\"muted\">%s</span>",
			    _("Your role or unit may not record this step; you can only check it."));
	html_printf(b, "</div>\n</form>\n");
	/* Other steps that may come now. */
	int any = 0;
	static const enum step_code alts[] = { STEP_MENTOR, STEP_TRAINED, STEP_INTRODUCED };
	for (size_t i = 0; i < sizeof(alts) / sizeof(*alts); i++) {
		if (alts[i] == code || !alternative_ok(open, next, alts[i]))
			continue;
		if (!any)
			html_printf(b, "<p class=\"muted no-print\">%s ", _("Or record instead:"));
		html_printf(b, "%S<a href=\"%s?step=%s#next\">%s</a>", any ? " · " : "", self.s,
			    step_name(alts[i]), step_label(alts[i]));
		if (!any)
			any = 1;
	}
	if (code != next && next != STEP_NONE) {
		if (!any)
			html_printf(b, "<p class=\"muted no-print\">%s ", _("Or record instead:"));
		html_printf(b, "%S<a href=\"%s#next\">%s</a>", any ? " · " : "", self.s,
			    step_label(next));
		any = 1;
	}
	if (any)
		html_printf(b, "</p>\n");
	buf_release(&action);
	buf_release(&self);
}

static void ending_form(struct request *rq, struct response *rs, const struct person *p,
			const struct candidacy *open, struct form *f, const char *version)
{
	static const enum step_code ends[] = { STEP_WITHDRAWN, STEP_REJECTED, STEP_STRUCK_OFF };
	struct buf *b = &rs->body, action = BUF_INIT;
	struct form empty = { 0 };
	const char *v;
	int n = 0;
	if (!f) {
		form_set_date(&empty, "date", date_today());
		f = &empty;
	}
	v = nz(form_get(f, "step"));
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++)
		n += auth_may_record(rq, p->unit, ends[i]) &&
		     (ends[i] != STEP_STRUCK_OFF || open->stage >= STEP_CEREMONY);
	if (!n)
		goto out;
	buf_adds(&action, "/step/");
	url_encode(&action, p->ref);
	html_printf(b, "<details id=\"end\" class=\"end\"%S><summary>%s</summary>\n"
		    "<form method=\"post\" action=\"%s\" class=\"grid step\" data-confirm=\"%s\">\n",
		    f != &empty ? " open" : "", _("End the candidacy"), action.s,
		    _("End this candidacy? It cannot be reopened."));
	page_csrf(rq, rs);
	html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"action\" value=\"record\">\n", version);
	html_printf(b, "<label>%s <select name=\"step\" required>", _("How it ends"));
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		if (!auth_may_record(rq, p->unit, ends[i]) ||
		    (ends[i] == STEP_STRUCK_OFF && open->stage < STEP_CEREMONY))
			continue;
		html_printf(b, "<option value=\"%s\"%S>%s</option>", step_name(ends[i]),
			    strcmp(v, step_name(ends[i])) == 0 ? " selected" : "",
			    step_label(ends[i]));
	}
	html_printf(b, "</select></label>\n");
	input(b, f, "date", _("Date"), "date", " required");
	textarea(b, f, "note", _("Reason"), " required maxlength=\"2000\"");
	if (may_override(rq, p->unit))
		textarea(b, f, "override", _("Override reason (only to record it despite a rule)"),
			 " maxlength=\"2000\"");
	html_printf(b, "<div class=\"actions wide\"><button type=\"submit\">%s</button></div>\n"
		    "</form>\n</details>\n", _("Record the step"));
out:
	form_release(&empty);
	buf_release(&action);
}

static const char *done_notice(struct request *rq, struct buf *tmp)
{
	const char *done = kv_get(&rq->query, "done");
	const char *step = kv_get(&rq->query, "step");
	enum step_code c = step ? step_from_name(step) : STEP_NONE;
	if (!done)
		return NULL;
	if (strcmp(done, "created") == 0)
		return _("The candidate and their source step were recorded.");
	if (strcmp(done, "saved") == 0)
		return _("The changes were saved.");
	if (strcmp(done, "unchanged") == 0)
		return _("Nothing was changed.");
	if ((strcmp(done, "recorded") == 0 || strcmp(done, "override") == 0) && c != STEP_NONE) {
		buf_addf(tmp, strcmp(done, "override") == 0 ? _("Recorded with an override: %s.")
			 : _("Recorded: %s."), step_label(c));
		return tmp->s;
	}
	return NULL;
}

/* The candidate's page; sv (may be NULL) brings a POST's outcome back. */
static int person_page(struct request *rq, struct response *rs, const char *ref,
		       const struct step_view *sv, int status)
{
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct ledger l;
	struct buf err = BUF_INIT, version = BUF_INIT, tmp = BUF_INIT, href = BUF_INIT;
	kn_date ms, os;
	int64_t open_version;
	enum kn_err e = visible_person(rq, ref, &p);
	struct buf *b = &rs->body;

	if (e == KN_ENOTFOUND)
		return not_found(rq, rs);
	if (e != KN_OK)
		return store_failed(rq, rs);
	if (open_ledger(rq, &l, &err) != KN_OK) {
		person_release(&p);
		buf_release(&err);
		return store_failed(rq, rs);
	}
	if (store_candidacies_of(rq->store, p.id, &cs, &nc) != KN_OK ||
	    version_token(rq, cs, nc, &version, &open_version) != KN_OK) {
		store_failed(rq, rs);
		goto out;
	}
	ledger_membership(&l, &p, cs, nc, &ms, &os);
	struct candidacy *open = nc && cs[nc - 1].open ? &cs[nc - 1] : NULL;
	struct unode *un = unitree_find(&l.tree, p.unit);
	enum step_code next = open || ms == KN_DATE_NONE
			      ? ledger_next_step(open, unitree_is_basic_cell(un)) : STEP_NONE;

	rs->status = status;
	page_begin(rq, rs, "candidates", p.full_name);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/candidates\">%s</a> › %s</p>\n",
		    _("Candidates"), p.full_name);
	{
		const char *notice = done_notice(rq, &tmp);
		if (notice && !sv)
			html_printf(b, "<p class=\"notice\" role=\"status\">%s</p>\n", notice);
	}
	if (sv && sv->error)
		html_printf(b, "<p class=\"error\" role=\"alert\">%s</p>\n", sv->error);

	html_printf(b, "<section class=\"person\">\n");
	person_card(rq, rs, &p, ms, os);
	if (rq->role >= ROLE_EDITOR) {
		buf_adds(&href, "/edit/");
		url_encode(&href, p.ref);
		html_printf(b, "<p class=\"no-print\"><a class=\"button secondary\" href=\"%s\">%s</a>"
			    "</p>\n", href.s, _("Edit the person"));
	}
	html_printf(b, "</section>\n");

	for (size_t i = nc; i-- > 0;)
		timeline(rq, rs, &cs[i], i, nc);
	if (!nc)
		html_printf(b, "<p class=\"muted\">%s</p>\n", _("No candidacy is recorded."));
	if (open)
		deadlines_section(rs, &l, open);

	/* The next step (or the one chosen with ?step=, or the one posted). */
	enum step_code code = next;
	const char *want = kv_get(&rq->query, "step");
	if (sv && sv->form && sv->code != STEP_NONE && !step_info(sv->code)->ending)
		code = sv->code;
	else if (!sv && want && !kv_get(&rq->query, "done") &&
		 alternative_ok(open, next, step_from_name(want)))
		code = step_from_name(want);
	if (code != STEP_NONE) {
		html_printf(b, "<section id=\"next\" class=\"next\">\n<h2>");
		html_printf(b, code == next ? _("Next step: %s") : _("Record: %s"), step_label(code));
		html_printf(b, " <span class=\"muted code\">%s</span></h2>\n", step_name(code));
		if (sv && (sv->checked || sv->refused) && !step_info(sv->code)->ending) {
			judged(rs, sv, code);
		} else {
			/* As `person show`: the rules that refuse it today already. */
			struct step st;
			struct violations v = { 0 };
			struct buf need = BUF_INIT;
			enum ledger_outcome oc;
			step_init(&st);
			st.code = code;
			st.date = l.today;
			ledger_step(&l, p.ref, &st, LEDGER_CHECK, 0, &v, &need, &oc);
			if (v.n) {
				html_printf(b, "<div class=\"violations\"><p>%s</p><ul>",
					    _("Recorded today, it would be refused by:"));
				for (size_t i = 0; i < v.n; i++)
					html_printf(b, "<li><span class=\"code\">%s</span>: %s</li>",
						    v.v[i].code, v.v[i].message);
				html_printf(b, "</ul></div>\n");
			}
			violations_release(&v);
			buf_release(&need);
			step_release(&st);
		}
		if (rq->role >= ROLE_EDITOR) {
			struct form fresh = { 0 };
			struct form *f = sv && sv->form && !step_info(sv->code)->ending ? sv->form
				: &fresh;
			if (f == &fresh)
				form_set_date(&fresh, "date", l.today);
			step_form(rq, rs, &p, open, next, code, f, version.s);
			form_release(&fresh);
		}
		html_printf(b, "</section>\n");
	}
	if (open && rq->role >= ROLE_EDITOR) {
		int ending = sv && sv->form && step_info(sv->code)->ending;
		if (ending && (sv->refused || sv->checked))
			judged(rs, sv, sv->code);
		ending_form(rq, rs, &p, open, ending ? sv->form : NULL, version.s);
	}
	page_end(rq, rs);
out:
	store_candidacies_free(cs, nc);
	person_release(&p);
	ledger_release(&l);
	buf_release(&err);
	buf_release(&version);
	buf_release(&tmp);
	buf_release(&href);
	return 0;
}

int h_person(struct request *rq, struct response *rs)
{
	return person_page(rq, rs, rq->arg, NULL, 200);
}

/* The step of a posted form into st; errors on the form's fields. */
static void step_from_form(struct form *f, struct step *st)
{
	st->date = date_field(f, "date", 0);
	st->doc_no = text_field(f, "doc_no", 1, 64);
	st->org = text_field(f, "org", 1, 64);
	st->member = text_field(f, "member", 1, 64);
	st->intro1 = text_field(f, "introducer1", 1, 64);
	st->intro1_since = date_field(f, "introducer1_since", 0);
	st->intro2 = text_field(f, "introducer2", 1, 64);
	st->intro2_since = date_field(f, "introducer2_since", 0);
	st->votes_for = count_field(f, "votes_for");
	st->votes_total = count_field(f, "votes_total");
	st->consent = text_field(f, "consent", 1, 64);
	st->note = text_field(f, "note", 0, 2000);
	st->override = text_field(f, "override", 0, 2000);
	/* The second introducer alone is the first. */
	if (!st->intro1 && st->intro2) {
		st->intro1 = st->intro2;
		st->intro1_since = st->intro2_since;
		st->intro2 = NULL;
		st->intro2_since = KN_DATE_NONE;
	}
}

int h_person_step(struct request *rq, struct response *rs)
{
	/* ledger_step's "column: message" lines land on these fields. */
	static const char *const map[] = { "date", "date", "doc_no", "doc_no", "org", "org",
		"member", "member", "introducer1", "introducer1", "introducer1_since",
		"introducer1_since", "introducer2", "introducer2", "introducer2_since",
		"introducer2_since", "votes_for", "votes_for", "votes_total", "votes_total",
		"consent", "consent", "note", "note", "override", "override", NULL };
	static const char *const override_refused = N_("Only an approver or administrator of a "
		"unit above the candidate's may override a rule.");
	const char *action = kv_get(&rq->form, "action");
	const char *stepname = kv_get(&rq->form, "step");
	struct svc svc;
	struct person p;
	struct form f = { 0 };
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	struct buf other = BUF_INIT, to = BUF_INIT;
	struct step_view sv;
	enum step_code code;
	int check;
	enum kn_err e;

	req_svc(rq, &svc);
	memset(&sv, 0, sizeof(sv));
	memset(&res, 0, sizeof(res));
	res.err = (struct buf)BUF_INIT;
	step_init(&st);
	e = svc_person_find(&svc, rq->arg, &p);
	if (e == KN_ENOTFOUND) {
		not_found(rq, rs);
		goto out;
	}
	if (e != KN_OK) {
		store_failed(rq, rs);
		goto out;
	}
	check = action && strcmp(action, "check") == 0;
	code = stepname ? step_from_name(stepname) : STEP_NONE;
	if (code == STEP_NONE || (!check && (!action || strcmp(action, "record") != 0))) {
		resp_error(rq, rs, 400, _("The form is incomplete; reload the page and try again."));
		goto out;
	}
	form_copy(&f, &rq->form);
	step_from_form(&f, &st);
	st.code = code;
	/* The check button too refuses an override the user may not give. */
	if (check && st.override && !svc_may_override(&svc, p.unit)) {
		resp_error(rq, rs, 403, _(override_refused));
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.ref = p.ref;
	req.st = &st;
	req.check = check;
	req.use_token = 1;	/* the version the form was drawn for */
	req.token = kv_get(&rq->form, "version");
	req.expect_version = -1;
	req.invalid = f.nerr > 0;
	req.committee_org = 1;
	e = svc_step(&svc, &req, &res);
	sv.form = &f;
	sv.code = code;
	sv.date = st.date;
	if (e == KN_EPERM) {
		resp_error(rq, rs, 403, res.deny == SVC_DENY_OVERRIDE ? _(override_refused)
			   : _("Your role or unit may not record this step."));
		goto out;
	}
	if (e == KN_ECONFLICT) {
		memset(&sv, 0, sizeof(sv));
		sv.error = _("Someone recorded a step for this candidate meanwhile; nothing was "
			     "recorded. Reload the page, check the timeline and try again.");
		person_page(rq, rs, p.ref, &sv, 409);
		goto out;
	}
	if (req.invalid && e == KN_EINVAL) {
		sv.refused = !check;
		sv.error = _("Some fields need correcting; see the messages beside them.");
		person_page(rq, rs, p.ref, &sv, 422);
		goto out;
	}
	if (check) {
		sv.checked = 1;
		sv.v = &res.v;
		sv.need = res.err.s;
		lines_to_form(&f, res.err.s, map, &other);
		person_page(rq, rs, p.ref, &sv, e == KN_OK || e == KN_ERULE || e == KN_EINVAL
			    ? 200 : e == KN_ENOTFOUND ? 404 : 500);
		goto out;
	}
	switch (e) {
	case KN_OK:
		person_href(&to, p.ref);
		buf_addf(&to, "?done=%s&step=%s", res.v.n ? "override" : "recorded",
			 step_name(code));
		resp_redirect(rs, to.s);
		break;
	case KN_ERULE:
	case KN_EINVAL:
		sv.refused = 1;
		sv.v = &res.v;
		sv.need = res.err.s;
		lines_to_form(&f, res.err.s, map, &other);
		if (e == KN_ERULE && res.may_override)
			sv.error = _("A rule refuses this step. You may record it anyway by giving an "
				     "override reason.");
		person_page(rq, rs, p.ref, &sv, 422);
		break;
	case KN_ENOTFOUND:
		not_found(rq, rs);
		break;
	default:
		store_failed(rq, rs);
		break;
	}
out:
	svc_step_res_release(&res);
	svc_release(&svc);
	person_release(&p);
	step_release(&st);
	form_release(&f);
	buf_release(&other);
	buf_release(&to);
	return 0;
}
