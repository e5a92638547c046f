/*
 * api_people.c — the people of the JSON API: the list of candidates
 * (search, filters, pages read one at a time from the database), one person with their candidacies, deadlines
 * and next step, and creating and editing a person.
 *
 * Everything is confined to the user's unit subtree: a person outside it
 * is answered 404, exactly like one that does not exist (the service's
 * svc_person_find, core/svc.h). A person's creation, its optional source
 * step and their audit entries are one transaction. Recording and
 * checking a step of an existing person is api_steps.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "core/extension.h"
#include "core/identity.h"
#include "core/ledger.h"
#include "core/svc_identity.h"
#include "io/export.h"
#include "io/import.h"
#include "web/api_common.h"
#include "web/cache.h"
#include "web/auth.h"
#include "web/cand.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

/* ---- the list ---- */

/* `total` is counted by the database with the page's filters, up to this
 * many (then `total_exact` is false): an exact count of a national list
 * walks all of it. */
#define TOTAL_CAP 1000

static int status_valid(const char *s)
{
	return step_from_name(s) != STEP_NONE || strcmp(s, "member") == 0 ||
	       strcmp(s, "official") == 0;
}

/* What one page of the list is made of (api_people). */
struct people_page {
	struct request *rq;
	struct unode *top;
	struct cand_filter f;
	const char *after;
	long long page, per_page;
};

/* The page's JSON text, as api_json() writes it. */
static enum kn_err people_build(void *arg, struct buf *text)
{
	struct people_page *pp = arg;
	struct request *rq = pp->rq;
	struct unitree *t = req_tree(rq);
	struct cand_summary *cs = NULL;
	size_t ncs = 0, shown;
	long long total = 0;
	enum kn_err e;

	if ((e = cand_count(rq, &pp->f, TOTAL_CAP, &total)) == KN_OK) {
		pp->f.plan = cand_plan(rq, pp->top, total, TOTAL_CAP);
		e = store_cand_page(rq->store, &pp->f, pp->after,
				    pp->after ? 0 : (pp->page - 1) * pp->per_page,
				    (size_t)pp->per_page + 1, &cs, &ncs);
	}
	if (e != KN_OK)
		return e;
	shown = ncs > (size_t)pp->per_page ? (size_t)pp->per_page : ncs;

	json_t *items = json_array();
	for (size_t i = 0; i < shown; i++) {
		const struct cand_summary *c = &cs[i];
		struct unode *un = unitree_find(t, c->unit);
		int has = c->candidacy_id != 0;
		/* "official" once full; without a candidacy, the member's own */
		const char *st = has ? step_name(c->stage)
			: api_person_status(c->member_since, c->official_since, pp->f.today, NULL);
		json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:b, s:b, s:o, s:o}",
			"ref", c->ref, "full_name", c->full_name, "birth_date", api_date(c->birth_date),
			"unit", c->unit, "unit_name", api_str(un ? un->u.name : NULL),
			"step", st, "candidate", has, "open", c->open,
			"last_date", api_date(c->last_date), "decision", api_date(c->decision)));
	}
	json_t *doc = json_pack("{s:s, s:I, s:b, s:I, s:I, s:o, s:o}", "unit", pp->top->u.code,
				"total", (json_int_t)total, "total_exact", total < TOTAL_CAP,
				"page", (json_int_t)pp->page, "per_page", (json_int_t)pp->per_page,
				"next", ncs > shown ? json_string(cs[shown - 1].ref) : json_null(),
				"people", items);
	char *dump = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	json_decref(doc);
	store_cand_summaries_free(cs, ncs);
	if (!dump)
		return KN_ENOMEM;
	buf_adds(text, dump);
	buf_addc(text, '\n');
	free(dump);
	return KN_OK;
}

/* One page read from the store (store_cand_page): the subtree, the
 * search (a name, or a ref), the stage and `open` are in the query, the
 * order is the people's stored name keys. `page` skips rows in the query;
 * `after` (the `next` of the previous page: its last ref) starts after
 * that person, at the same cost at any depth. The page's text is kept in
 * the answer cache (cache.c) under the unit it lists and the query, once
 * the user may see that unit: between two writes, the 64 clients of issue
 * 13's benchmark asked for the same few pages again and again, and each
 * read cost 4 ms of a core at national size. */
HANDLER(api_people)
{
	const char *q = api_query(rq, "q"), *step = api_query(rq, "step");
	const char *open_s = api_query(rq, "open"), *after = api_query(rq, "after");
	struct unode *top;
	struct buf folded = BUF_INIT, key = BUF_INIT;
	long long page, per_page;
	enum kn_err e;
	kn_date today = date_today();
	struct unitree *t;
	char *text = NULL;

	if (api_query_int(rq, rs, "page", 1, 1000000, 1, &page) < 0 ||
	    api_query_int(rq, rs, "per_page", 1, 500, API_PAGE_SIZE, &per_page) < 0)
		return 0;
	if (step && !status_valid(step))
		return api_error(rq, rs, 400, _("The parameter step must be a step code, member "
						"or official."), json_pack("{s:s}", "parameter", "step"));
	if (open_s && strcmp(open_s, "0") && strcmp(open_s, "1"))
		return api_error(rq, rs, 400, _("The parameter open must be 0 or 1."),
				 json_pack("{s:s}", "parameter", "open"));
	if (!(top = api_query_unit(rq, rs, "unit")))
		return 0;
	t = req_tree(rq);
	if (q) {
		if (!text_is_valid_utf8(q))
			return api_error(rq, rs, 400, _("The search text is not valid UTF-8."), NULL);
		text_fold(q, &folded);
	}
	if (after && !*after)
		after = NULL;
	/* People without a candidacy (members) are found by name or ref
	 * only: the list without a search is the list of candidates. */
	struct people_page pp = {
		.rq = rq, .top = top, .after = after, .page = page, .per_page = per_page,
		.f = {
			.folded = q ? folded.s : NULL,
			.ref = q,
			.unit = top->parent || (t && t->nroots > 1) ? top->u.code : NULL,
			.stage = step,
			.whom = !open_s ? CAND_ALL : open_s[0] == '1' ? CAND_OPEN : CAND_NOT_OPEN,
			.people = q != NULL,
			.today = today,
			.plan = cand_plan(rq, top, -1, TOTAL_CAP),
		},
	};
	/* A long list that is not keyed: a typed page far down is refused
	 * (cand.h, CAND_TYPED_SKIP_MAX); `after` reaches any page. */
	if (!after && (page - 1) * per_page > CAND_TYPED_SKIP_MAX && !store_cand_keyed(&pp.f)) {
		long long total = 0;
		if ((e = cand_count(rq, &pp.f, TOTAL_CAP, &total)) != KN_OK) {
			api_store_error(rq, rs, e);
			goto out;
		}
		if (total >= TOTAL_CAP) {
			api_error(rq, rs, 400, _("With these filters a page this far is reached "
						 "through `next` (after=), or narrow the list."),
				  json_pack("{s:s, s:I}", "parameter", "page", "max_skip",
					    (json_int_t)CAND_TYPED_SKIP_MAX));
			goto out;
		}
	}
	buf_addf(&key, "people|%ld|%lld|%lld", (long)today, page, per_page);
	cache_key_add(&key, top->u.code);
	cache_key_add(&key, q);
	cache_key_add(&key, step);
	cache_key_add(&key, open_s);
	cache_key_add(&key, after);
	e = req_cache_text(rq, key.s, people_build, &pp, &text);
	if (e != KN_OK) {
		api_store_error(rq, rs, e);
	} else {
		rs->status = 200;
		rs->ctype = "application/json";
		buf_reset(&rs->body);
		buf_adds(&rs->body, text);
	}
out:
	free(text);
	buf_release(&key);
	buf_release(&folded);
	return 0;
}

/* ---- one person ---- */


/* The version of a person's latest candidacy; 0 when there is none. */
static enum kn_err latest_version(struct request *rq, const struct candidacy *c, size_t n,
				  int64_t *version)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_latest_version(&sv, c, n, version);
	svc_release(&sv);
	return e;
}

/* What the next step needs and which rules would refuse it today. */
static json_t *next_step_json(struct request *rq, struct ledger *l, const struct person *p,
			      const struct candidacy *open)
{
	struct unode *un = unitree_find(&l->tree, p->unit);
	enum step_code next = ledger_next_step(open, unitree_is_basic_cell(un));
	struct step st;
	struct violations v = { 0 };
	struct buf need = BUF_INIT;
	enum ledger_outcome oc;
	json_t *o, *needs = json_array();

	if (next == STEP_NONE) {
		json_decref(needs);
		return json_null();
	}
	step_init(&st);
	st.code = next;
	st.date = l->today;
	ledger_step(l, p->ref, &st, LEDGER_CHECK, 0, &v, &need, &oc);
	api_lines_errors(needs, need.s);
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "step", step_name(next), "label",
		      step_label(next), "label_vi", step_info(next)->label_vi, "needs", needs,
		      "violations", api_violations(&v), "may_record",
		      auth_may_record(rq, p->unit, next));
	violations_release(&v);
	buf_release(&need);
	step_release(&st);
	return o;
}

HANDLER(api_person)
{
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct ledger l;
	struct buf err = BUF_INIT;
	kn_date ms, os;
	int64_t version;
	enum kn_err e;

	if (api_person_load(rq, rs, &p) != KN_OK)
		return 0;
	if ((e = api_ledger_open(rq, &l, &err)) != KN_OK) {
		api_store_error(rq, rs, e);
		person_release(&p);
		buf_release(&err);
		return 0;
	}
	if ((e = store_candidacies_of(rq->store, p.id, &cs, &nc)) != KN_OK ||
	    (e = latest_version(rq, cs, nc, &version)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	ledger_membership(&l, &p, cs, nc, &ms, &os);
	struct candidacy *open = nc && cs[nc - 1].open ? &cs[nc - 1] : NULL;

	json_t *cands = json_array();
	for (size_t i = 0; i < nc; i++) {
		json_t *steps = json_array();
		for (size_t j = 0; j < cs[i].nsteps; j++)
			json_array_append_new(steps, api_step_json(&cs[i].steps[j]));
		json_array_append_new(cands, json_pack("{s:I, s:b, s:s, s:o}", "number",
						       (json_int_t)(i + 1), "open", cs[i].open,
						       "stage", step_name(cs[i].stage), "steps", steps));
	}
	json_t *dls = json_array();
	if (open) {
		struct deadline *dl = NULL;
		size_t ndl = extension_deadlines(&l, open, NULL, &dl);
		json_decref(dls);
		dls = api_deadlines(dl, ndl);
		free(dl);
	}
	json_t *next = open || ms == KN_DATE_NONE ? next_step_json(rq, &l, &p, open) : json_null();
	api_json(rs, 200, json_pack("{s:o, s:s, s:{s:o, s:o}, s:I, s:o, s:o, s:o}",
		"person", api_person_json(rq, &p),
		"status", api_person_status(ms, os, l.today, nc ? &cs[nc - 1] : NULL),
		"membership", "member_since", api_date(ms), "official_since", api_date(os),
		"version", (json_int_t)version, "candidacies", cands, "deadlines", dls,
		"next", next));
out:
	store_candidacies_free(cs, nc);
	person_release(&p);
	ledger_release(&l);
	buf_release(&err);
	return 0;
}

/* ---- creating and editing ---- */

static const char *const person_fields[] = {
	"ref", "full_name", "sex", "birth_date", "unit", "ethnicity", "religion", "education",
	"qualification", "occupation", "youth_union", "trade_union", "member_since",
	"official_since", "phone", "note", "source", NULL,
};

/* An optional text member onto *field (null or "" clears it). */
static void opt_text(json_t *obj, const char *key, char **field, json_t *errors)
{
	char *v;
	if (api_get_text(obj, key, &v, errors)) {
		free(*field);
		*field = v;
	}
}

/* A coded member (education, occupation …) checked by valid(). */
static void opt_code(json_t *obj, const char *key, char **field, int (*valid)(const char *),
		     const char *msg, json_t *errors)
{
	char *v;
	if (!api_get_text(obj, key, &v, errors))
		return;
	if (v && !valid(v)) {
		api_field_error(errors, key, msg, v);
		free(v);
		return;
	}
	free(*field);
	*field = v;
}

/* 1 when member key of obj is null or "" (a required field emptied). */
static int is_blank(json_t *obj, const char *key)
{
	json_t *x = json_object_get(obj, key);
	return json_is_null(x) || (json_is_string(x) && json_string_length(x) == 0);
}

static int ref_valid(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return n >= 1 && n <= 64;
}

/* Apply the members of obj to p (creating: ref and the required fields
 * must be there). Field errors go to errors. */
static void person_apply(struct request *rq, json_t *obj, struct person *p, int creating,
			 json_t *errors)
{
	char *v;
	kn_date d;
	int present;

	present = api_get_text(obj, "ref", &v, errors);
	if (creating) {
		if (!v)
			api_field_error(errors, "ref", "%s", _("a value is required"));
		else if (!ref_valid(v))
			api_field_error(errors, "ref", "%s", _("a ref is 1 to 64 characters, "
							       "without control characters"));
		free(p->ref);
		p->ref = v;
	} else {
		if (present && (!v || strcmp(v, p->ref) != 0))
			api_field_error(errors, "ref", "%s", _("the ref of a person cannot change"));
		free(v);
	}

	present = api_get_text(obj, "full_name", &v, errors);
	if (v) {
		free(p->full_name);
		p->full_name = v;
	} else if (present ? is_blank(obj, "full_name") : creating) {
		api_field_error(errors, "full_name", "%s", _("a value is required"));
	}

	present = api_get_text(obj, "sex", &v, errors);
	if (v) {
		if (import_parse_sex(v, &p->sex) != 0)
			api_field_error(errors, "sex", _("%s is not a sex; write M or F (Nam or Nữ)"), v);
		free(v);
	} else if (present ? is_blank(obj, "sex") : creating) {
		api_field_error(errors, "sex", "%s", _("a value is required"));
	}

	present = api_get_date(obj, "birth_date", &d, errors);
	if (d != KN_DATE_NONE)
		p->birth_date = d;
	else if (present ? json_is_null(json_object_get(obj, "birth_date")) : creating)
		api_field_error(errors, "birth_date", "%s", _("a value is required"));

	present = api_get_text(obj, "unit", &v, errors);
	if (v) {
		if (!req_can_see(rq, v)) {
			api_field_error(errors, "unit", _("no unit %s in your part of the organisation"), v);
			free(v);
		} else {
			free(p->unit);
			p->unit = v;
		}
	} else if (present ? is_blank(obj, "unit") : creating) {
		api_field_error(errors, "unit", "%s", _("a value is required"));
	}

	opt_text(obj, "ethnicity", &p->ethnicity, errors);
	opt_text(obj, "religion", &p->religion, errors);
	opt_code(obj, "education", &p->education, education_valid,
		 _("%s is not an education level; write 5/12, 9/12 or 12/12"), errors);
	opt_code(obj, "qualification", &p->qualification, qualification_valid,
		 _("%s is not a qualification; use none, vocational, college, university or "
		   "postgraduate"), errors);
	opt_code(obj, "occupation", &p->occupation, occupation_valid,
		 _("%s is not an occupation; use worker, farmer, civil_servant, public_employee, "
		   "enterprise_manager, business_owner, armed_forces, student or other"), errors);
	api_get_flag(obj, "youth_union", &p->youth_union, errors);
	api_get_flag(obj, "trade_union", &p->trade_union, errors);
	if (api_get_date(obj, "member_since", &d, errors))
		p->member_since = d;
	if (api_get_date(obj, "official_since", &d, errors))
		p->official_since = d;
	if (p->member_since != KN_DATE_NONE && p->official_since != KN_DATE_NONE &&
	    p->official_since < p->member_since)
		api_field_error(errors, "official_since", "%s",
				_("a member cannot become a full member before being admitted; "
				  "check official_since and member_since"));
	opt_text(obj, "phone", &p->phone, errors);
	opt_text(obj, "note", &p->note, errors);
}

/* The person's CSV line (people.csv), the audit's before/after text. */
static char *person_line(const struct person *p)
{
	struct buf b = BUF_INIT;
	export_person_row(&b, p);
	if (b.len && b.s[b.len - 1] == '\n')
		buf_truncate(&b, b.len - 1);
	return buf_detach(&b);
}


/* issue 15: identity (RULES.md §10). KN-CCCD: each disagreement of a
 * 12-digit ref with the sex or birth date an error of the field "ref";
 * for a new person (`fresh`), a ref merged away is refused too, with the
 * ref it went into when the user may see that person. */
static void identity_errors(struct request *rq, const struct person *p, int fresh,
			    json_t *errors)
{
	struct buf b = BUF_INIT;
	if (!p->ref)
		return;
	if (identity_cccd_check(p, &b)) {
		for (const char *l = b.s; *l;) {
			const char *nl = strchr(l, '\n');
			size_t n = nl ? (size_t)(nl - l) : strlen(l);
			api_field_error(errors, "ref", "%.*s", (int)n, l);
			l += n + (nl != NULL);
		}
	}
	buf_reset(&b);
	if (fresh) {
		char *into = NULL;
		if (store_merged_into(rq->store, p->ref, &into) == KN_OK) {
			struct svc sv;
			req_svc(rq, &sv);
			if (svc_merged_note(&sv, p->ref, &b))
				api_field_error(errors, "ref", "%s", b.s);
			else
				api_field_error(errors, "ref", _("%s was merged into another record and "
								 "cannot be used again"), p->ref);
			svc_release(&sv);
			free(into);
		}
	}
	buf_release(&b);
}

HANDLER(api_person_create)
{
	json_t *body, *errors = json_array(), *src;
	struct person p;
	struct step st;
	struct ledger l;
	struct violations v = { 0 };
	struct buf err = BUF_INIT, fold = BUF_INIT;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	int64_t ev, version = 0;
	int changed, have_ledger = 0;
	enum ledger_outcome oc;
	enum kn_err e;
	char *after = NULL;

	person_init(&p);
	step_init(&st);
	if (!(body = api_body(rq, rs)))
		goto out;
	api_unknown_fields(body, person_fields, errors);
	person_apply(rq, body, &p, 1, errors);
	identity_errors(rq, &p, 1, errors);	/* issue 15 */
	src = json_object_get(body, "source");
	if (src && !json_is_null(src)) {
		if (!json_is_object(src)) {
			api_field_error(errors, "source", "%s", _("must be an object with the facts "
								  "of the source step"));
			src = NULL;
		} else {
			json_t *serr = json_array();
			size_t i;
			json_t *x;
			api_step_from_json(src, &st, 1, &ev, serr);
			if (st.code != STEP_NONE && st.code != STEP_SOURCE)
				api_field_error(serr, "step", "%s", _("only a source step can be "
								      "recorded with a new person"));
			st.code = STEP_SOURCE;
			if (st.date == KN_DATE_NONE && !json_object_get(src, "date"))
				st.date = date_today();
			if (json_array_size(serr) == 0) {
				struct buf facts = BUF_INIT;
				step_validate(&st, &facts);
				api_lines_errors(serr, facts.s);
				buf_release(&facts);
			}
			json_array_foreach(serr, i, x) {
				const char *f = json_string_value(json_object_get(x, "field"));
				struct buf b = BUF_INIT;
				buf_addf(&b, "source%s%s", f ? "." : "", f ? f : "");
				api_field_error(errors, b.s, "%s",
						json_string_value(json_object_get(x, "message")));
				buf_release(&b);
			}
			json_decref(serr);
		}
	} else {
		src = NULL;
	}
	if (json_array_size(errors) == 0 && src && p.unit &&
	    api_step_allowed(rq, rs, p.unit, &st, errors) < 0)
		goto out;
	if (json_array_size(errors)) {
		api_error(rq, rs, 422, _("Some fields are missing or wrong; nothing was saved."),
			  json_pack("{s:O}", "errors", errors));
		goto out;
	}
	if (src) {
		if ((e = api_ledger_open(rq, &l, &err)) != KN_OK) {
			api_store_error(rq, rs, e);
			goto out;
		}
		have_ledger = 1;
	}
	text_fold(p.full_name, &fold);
	if ((e = store_begin(rq->store)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	{
		struct person old;
		memset(&old, 0, sizeof(old));
		e = store_person_get(rq->store, p.ref, &old);
		person_release(&old);
		if (e == KN_OK) {
			store_rollback(rq->store);
			json_t *ce = json_array();
			api_field_error(ce, "ref", "%s", _("a person with this ref already exists"));
			api_error(rq, rs, 409, _("A person with this ref already exists."),
				  json_pack("{s:o}", "errors", ce));
			goto out;
		}
		if (e != KN_ENOTFOUND)
			goto fail;
	}
	after = person_line(&p);
	if ((e = store_person_put(rq->store, &p, fold.s, &changed)) != KN_OK ||
	    (e = store_audit(rq->store, rq->user.name, "insert", "person", p.ref, NULL,
			     after)) != KN_OK)
		goto fail;
	if (src) {
		e = ledger_step(&l, p.ref, &st, LEDGER_WRITE, 0, &v, &err, &oc);
		if (e != KN_OK) {
			store_rollback(rq->store);
			api_step_failed(rq, rs, e, &v, err.s, "source");
			goto out;
		}
	}
	{
		/* Read back: the id, and the fields as stored. */
		struct person np;
		memset(&np, 0, sizeof(np));
		if ((e = store_person_get(rq->store, p.ref, &np)) != KN_OK)
			goto fail;
		person_release(&p);
		p = np;
	}
	if ((e = store_candidacies_of(rq->store, p.id, &cs, &nc)) != KN_OK ||
	    (e = latest_version(rq, cs, nc, &version)) != KN_OK)
		goto fail;
	if ((e = store_commit(rq->store)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	{
		json_t *o = json_pack("{s:o, s:I}", "person", api_person_json(rq, &p), "version",
				      (json_int_t)version);
		if (nc && cs[nc - 1].nsteps) {
			json_object_set_new(o, "step", api_step_json(&cs[nc - 1].steps[0]));
			json_object_set_new(o, "violations", api_violations(&v));
		}
		struct buf loc = BUF_INIT;
		buf_adds(&loc, "/api/v1/people/");
		url_encode(&loc, p.ref);
		resp_header(rs, "Location", loc.s);
		buf_release(&loc);
		api_json(rs, 201, o);
	}
	goto out;
fail:
	store_rollback(rq->store);
	api_store_error(rq, rs, e);
out:
	json_decref(body);
	json_decref(errors);
	free(after);
	store_candidacies_free(cs, nc);
	person_release(&p);
	step_release(&st);
	violations_release(&v);
	if (have_ledger)
		ledger_release(&l);
	buf_release(&err);
	buf_release(&fold);
	return 0;
}

HANDLER(api_person_update)
{
	json_t *body = NULL, *errors = json_array();
	struct person p;
	struct candidacy *cs = NULL;
	size_t nc = 0;
	struct buf fold = BUF_INIT;
	char *before = NULL, *after = NULL;
	int changed = 0;
	int64_t version = 0;
	enum kn_err e;
	static const char *const fields[] = {
		"ref", "full_name", "sex", "birth_date", "unit", "ethnicity", "religion",
		"education", "qualification", "occupation", "youth_union", "trade_union",
		"member_since", "official_since", "phone", "note", NULL,
	};

	if (api_person_load(rq, rs, &p) != KN_OK) {
		json_decref(errors);
		return 0;
	}
	if (!(body = api_body(rq, rs)))
		goto out;
	before = person_line(&p);
	api_unknown_fields(body, fields, errors);
	person_apply(rq, body, &p, 0, errors);
	identity_errors(rq, &p, 0, errors);	/* issue 15 */
	if (json_array_size(errors)) {
		api_error(rq, rs, 422, _("Some fields are missing or wrong; nothing was saved."),
			  json_pack("{s:O}", "errors", errors));
		goto out;
	}
	text_fold(p.full_name, &fold);
	after = person_line(&p);
	if ((e = store_begin(rq->store)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	if ((e = store_person_put(rq->store, &p, fold.s, &changed)) != KN_OK ||
	    (changed && (e = store_audit(rq->store, rq->user.name, "update", "person", p.ref,
					 before, after)) != KN_OK) ||
	    (e = store_candidacies_of(rq->store, p.id, &cs, &nc)) != KN_OK ||
	    (e = latest_version(rq, cs, nc, &version)) != KN_OK) {
		store_rollback(rq->store);
		api_store_error(rq, rs, e);
		goto out;
	}
	if ((e = store_commit(rq->store)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	api_json(rs, 200, json_pack("{s:o, s:I, s:b}", "person", api_person_json(rq, &p),
				    "version", (json_int_t)version, "changed", changed != 0));
out:
	json_decref(body);
	json_decref(errors);
	free(before);
	free(after);
	store_candidacies_free(cs, nc);
	person_release(&p);
	buf_release(&fold);
	return 0;
}
