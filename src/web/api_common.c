/*
 * api_common.c — see api_common.h. The helpers every JSON handler uses:
 * answering with a jansson value, the one error shape, reading a body
 * with the position of a syntax error, typed members with field errors,
 * query parameters read like the command line's options, and the
 * domain's structs as JSON. Nothing here writes to the database.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/api_common.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- responses ---- */

int api_json(struct response *rs, int status, json_t *steal)
{
	char *s = json_dumps(steal, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	rs->status = status;
	rs->ctype = "application/json";
	buf_reset(&rs->body);
	if (s) {
		buf_adds(&rs->body, s);
		buf_addc(&rs->body, '\n');
		free(s);
	}
	json_decref(steal);
	return 0;
}

int api_error(struct request *rq, struct response *rs, int status, const char *message,
	      json_t *extra)
{
	json_t *err = json_object();
	(void)rq;
	json_object_set_new(err, "status", json_integer(status));
	json_object_set_new(err, "message", json_string(message ? message : ""));
	if (extra && json_is_object(extra))
		json_object_update(err, extra);
	json_decref(extra);
	return api_json(rs, status, json_pack("{s:o}", "error", err));
}

int api_not_found(struct request *rq, struct response *rs)
{
	return api_error(rq, rs, 404, _("Not found, or outside your part of the organisation."),
			 NULL);
}

int api_store_error(struct request *rq, struct response *rs, enum kn_err e)
{
	if (rq->store)
		fprintf(stderr, "ketnap serve: %s %s: %s: %s\n", rq->method, rq->path,
			kn_strerror(e), store_errmsg(rq->store));
	if (e == KN_ECONFLICT)
		return api_error(rq, rs, 409, _("Someone else changed this record meanwhile; "
						"reload it and try again."), NULL);
	return api_error(rq, rs, 500, _("The database could not complete the request; "
					"try again later."), NULL);
}

/* ---- request bodies ---- */

json_t *api_body(struct request *rq, struct response *rs)
{
	json_error_t je;
	json_t *v;
	size_t i = 0;

	while (rq->body && i < rq->body_len && (rq->body[i] == ' ' || rq->body[i] == '\t' ||
						rq->body[i] == '\r' || rq->body[i] == '\n'))
		i++;
	if (!rq->body || i == rq->body_len)
		return json_object();
	v = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		struct buf m = BUF_INIT;
		/* jansson quotes the bytes near the error, maybe half a UTF-8
		 * character: then the message would be no JSON string at all. */
		if (!text_is_valid_utf8(je.text))
			for (char *p = je.text; *p; p++)
				if ((unsigned char)*p >= 0x80)
					*p = '?';
		buf_addf(&m, _("The request body is not valid JSON: %s (line %d, column %d)."),
			 je.text, je.line, je.column);
		api_error(rq, rs, 400, m.s, json_pack("{s:i, s:i, s:i}", "line", je.line,
						      "column", je.column, "position",
						      je.position));
		buf_release(&m);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		api_error(rq, rs, 400, _("The request body must be a JSON object."), NULL);
		return NULL;
	}
	return v;
}

void api_field_error(json_t *errors, const char *field, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	json_array_append_new(errors, json_pack("{s:o, s:s}", "field", api_str(field),
						"message", m.s));
	buf_release(&m);
}

void api_lines_errors(json_t *errors, const char *lines)
{
	while (lines && *lines) {
		const char *nl = strchr(lines, '\n');
		size_t n = nl ? (size_t)(nl - lines) : strlen(lines);
		if (n) {
			char *line = xstrndup(lines, n);
			char *sep = strstr(line, ": ");
			int is_field = sep != NULL;
			/* A column name is one word of [a-z0-9_]. */
			for (char *p = line; is_field && p < sep; p++)
				is_field = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
					   *p == '_';
			if (is_field && sep > line) {
				*sep = '\0';
				api_field_error(errors, line, "%s", sep + 2);
			} else {
				api_field_error(errors, NULL, "%s", line);
			}
			free(line);
		}
		lines += n + (nl != NULL);
	}
}

void api_unknown_fields(json_t *obj, const char *const *known, json_t *errors)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val) {
		size_t i;
		for (i = 0; known[i] && strcmp(known[i], key) != 0; i++)
			;
		if (!known[i])
			api_field_error(errors, key, "%s", _("unknown field; check its spelling"));
	}
}

int api_get_text(json_t *obj, const char *key, char **out, json_t *errors)
{
	json_t *v = json_object_get(obj, key);
	struct buf b = BUF_INIT;

	*out = NULL;
	if (!v)
		return 0;
	if (json_is_null(v))
		return 1;
	if (!json_is_string(v)) {
		api_field_error(errors, key, "%s", _("must be a string"));
		return 1;
	}
	if (json_string_length(v) != strlen(json_string_value(v)) ||
	    text_nfc(json_string_value(v), &b) != 0) {
		api_field_error(errors, key, "%s", _("not valid UTF-8 text"));
		return 1;
	}
	if (b.len)
		*out = buf_detach(&b);
	buf_release(&b);
	return 1;
}

int api_get_date(json_t *obj, const char *key, kn_date *out, json_t *errors)
{
	json_t *v = json_object_get(obj, key);
	*out = KN_DATE_NONE;
	if (!v)
		return 0;
	if (json_is_null(v))
		return 1;
	if (!json_is_string(v) || date_parse(json_string_value(v), out) != 0) {
		*out = KN_DATE_NONE;
		api_field_error(errors, key, "%s", _("not a date; write YYYY-MM-DD or DD/MM/YYYY"));
	}
	return 1;
}

int api_get_count(json_t *obj, const char *key, long long min, long long max, long long *out,
		  json_t *errors)
{
	json_t *v = json_object_get(obj, key);
	*out = -1;
	if (!v)
		return 0;
	if (json_is_null(v))
		return 1;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		api_field_error(errors, key, _("must be a whole number from %lld to %lld"), min, max);
		return 1;
	}
	*out = (long long)json_integer_value(v);
	return 1;
}

int api_get_flag(json_t *obj, const char *key, int *out, json_t *errors)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
		*out = (int)json_integer_value(v);
	else
		api_field_error(errors, key, "%s", _("must be true or false"));
	return 1;
}

/* ---- query parameters ---- */

const char *api_query(struct request *rq, const char *key)
{
	const char *v = kv_get(&rq->query, key);
	return v && *v ? v : NULL;
}

int api_query_int(struct request *rq, struct response *rs, const char *key, long long min,
		  long long max, long long def, long long *out)
{
	const char *v = api_query(rq, key);
	char *end;
	long long n;

	*out = def;
	if (!v)
		return 0;
	n = strtoll(v, &end, 10);
	if (*end || n < min || n > max) {
		struct buf m = BUF_INIT;
		buf_addf(&m, _("The parameter %s must be a whole number from %lld to %lld."), key, min,
			 max);
		api_error(rq, rs, 400, m.s, json_pack("{s:s}", "parameter", key));
		buf_release(&m);
		return -1;
	}
	*out = n;
	return 0;
}

int api_query_date(struct request *rq, struct response *rs, const char *key, kn_date *out)
{
	const char *v = api_query(rq, key);
	*out = KN_DATE_NONE;
	if (!v)
		return 0;
	if (date_parse(v, out) != 0) {
		struct buf m = BUF_INIT;
		*out = KN_DATE_NONE;
		buf_addf(&m, _("The parameter %s is not a date; write YYYY-MM-DD or DD/MM/YYYY."),
			 key);
		api_error(rq, rs, 400, m.s, json_pack("{s:s}", "parameter", key));
		buf_release(&m);
		return -1;
	}
	return 0;
}

int api_query_period(struct request *rq, struct response *rs, kn_date *from, kn_date *to,
		     kn_date *as_of)
{
	long long year;
	kn_date today = date_today();

	if (api_query_int(rq, rs, "year", 1900, 2100, 0, &year) < 0 ||
	    api_query_date(rq, rs, "from", from) < 0 || api_query_date(rq, rs, "to", to) < 0 ||
	    api_query_date(rq, rs, "as_of", as_of) < 0)
		return -1;
	if (year && (*from != KN_DATE_NONE || *to != KN_DATE_NONE)) {
		api_error(rq, rs, 400, _("Give either year or from and to, not both."), NULL);
		return -1;
	}
	if ((*from == KN_DATE_NONE) != (*to == KN_DATE_NONE)) {
		api_error(rq, rs, 400, _("The parameters from and to go together."), NULL);
		return -1;
	}
	if (*from != KN_DATE_NONE && *to < *from) {
		api_error(rq, rs, 400, _("The date to is before from."), NULL);
		return -1;
	}
	if (*from == KN_DATE_NONE) {
		if (!year)
			year = date_year(*as_of != KN_DATE_NONE ? *as_of : today);
		*from = date_from_ymd((int)year, 1, 1);
		*to = date_from_ymd((int)year, 12, 31);
	}
	/* Deadlines of a past period: as they stood at its end (as the
	 * command line does). */
	if (*as_of == KN_DATE_NONE && *to < today)
		*as_of = *to;
	return 0;
}

struct unode *api_query_unit(struct request *rq, struct response *rs, const char *key)
{
	const char *code = api_query(rq, key);
	struct unitree *t = req_tree(rq);
	struct unode *n;

	if (!t) {
		api_store_error(rq, rs, KN_EIO);
		return NULL;
	}
	if (!code)
		n = req_scope(rq);
	else
		n = req_can_see(rq, code) ? unitree_find(t, code) : NULL;
	if (!n)
		api_not_found(rq, rs);
	return n;
}

enum kn_err api_unit_lookup(struct request *rq, const char *code, struct unit *out)
{
	const char *mine = rq->user.unit;
	char *up = NULL;
	int ok;
	enum kn_err e;

	memset(out, 0, sizeof(*out));
	if (!mine)
		return KN_ENOTFOUND;
	if ((e = store_unit_get(rq->store, code ? code : mine, out)) != KN_OK)
		return e;
	ok = strcmp(out->code, mine) == 0;
	up = out->parent ? xstrdup(out->parent) : NULL;
	/* A tree is a few levels deep; the bound only guards against a cycle. */
	for (int guard = 0; !ok && up && guard < 1000; guard++) {
		struct unit u;
		if (strcmp(up, mine) == 0) {
			ok = 1;
			break;
		}
		memset(&u, 0, sizeof(u));
		if ((e = store_unit_get(rq->store, up, &u)) != KN_OK)
			break;
		free(up);
		up = u.parent ? xstrdup(u.parent) : NULL;
		unit_release(&u);
	}
	free(up);
	if (!ok) {
		unit_release(out);
		return e == KN_OK || e == KN_ENOTFOUND ? KN_ENOTFOUND : e;
	}
	return KN_OK;
}

/* ---- values ---- */

json_t *api_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *api_date(kn_date d)
{
	char iso[11];
	if (d == KN_DATE_NONE)
		return json_null();
	date_format_iso(d, iso);
	return json_string(iso);
}

json_t *api_tenths(long long tenths)
{
	return tenths < 0 ? json_null() : json_real((double)tenths / 10.0);
}

json_t *api_count(long long n)
{
	return n < 0 ? json_null() : json_integer(n);
}

/* ---- the domain as JSON ---- */

json_t *api_unit_json(const struct unit *u)
{
	return json_pack("{s:s, s:o, s:s, s:s, s:b, s:o, s:b}", "code", u->code, "parent",
			 api_str(u->parent), "name", u->name, "kind", unit_kind_name(u->kind),
			 "may_admit", u->may_admit, "sector", api_str(u->sector), "special_area",
			 u->special_area);
}

static void set_text(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static void set_date(json_t *o, const char *key, kn_date d)
{
	if (d != KN_DATE_NONE)
		json_object_set_new(o, key, api_date(d));
}

json_t *api_step_json(const struct step *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "step", json_string(step_name(st->code)));
	json_object_set_new(o, "label", json_string(step_label(st->code)));
	json_object_set_new(o, "date", api_date(st->date));
	set_text(o, "doc_no", st->doc_no);
	set_text(o, "org", st->org);
	set_text(o, "member", st->member);
	set_text(o, "introducer1", st->intro1);
	set_date(o, "introducer1_since", st->intro1_since);
	set_text(o, "introducer2", st->intro2);
	set_date(o, "introducer2_since", st->intro2_since);
	if (st->votes_for >= 0)
		json_object_set_new(o, "votes_for", json_integer(st->votes_for));
	if (st->votes_total >= 0)
		json_object_set_new(o, "votes_total", json_integer(st->votes_total));
	set_text(o, "consent", st->consent);
	set_text(o, "override", st->override);
	set_text(o, "override_by", st->override_by);
	set_text(o, "note", st->note);
	set_text(o, "recorded_by", st->recorded_by);
	set_text(o, "recorded_at", st->recorded_at);
	return o;
}

json_t *api_person_json(struct request *rq, const struct person *p)
{
	struct unitree *t = req_tree(rq);
	struct unode *un = t ? unitree_find(t, p->unit) : NULL;
	char sex[2] = { p->sex, '\0' };
	json_t *o = json_object();

	json_object_set_new(o, "ref", json_string(p->ref));
	json_object_set_new(o, "full_name", json_string(p->full_name));
	json_object_set_new(o, "sex", json_string(sex));
	json_object_set_new(o, "birth_date", api_date(p->birth_date));
	json_object_set_new(o, "unit", json_string(p->unit));
	json_object_set_new(o, "unit_name", api_str(un ? un->u.name : NULL));
	json_object_set_new(o, "ethnicity", api_str(p->ethnicity));
	json_object_set_new(o, "religion", api_str(p->religion));
	json_object_set_new(o, "education", api_str(p->education));
	json_object_set_new(o, "qualification", api_str(p->qualification));
	json_object_set_new(o, "occupation", api_str(p->occupation));
	json_object_set_new(o, "youth_union", json_boolean(p->youth_union));
	json_object_set_new(o, "trade_union", json_boolean(p->trade_union));
	json_object_set_new(o, "member_since", api_date(p->member_since));
	json_object_set_new(o, "official_since", api_date(p->official_since));
	json_object_set_new(o, "phone", api_str(p->phone));
	json_object_set_new(o, "note", api_str(p->note));
	return o;
}

json_t *api_violations(const struct violations *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", v->v[i].code, "message",
						   v->v[i].message ? v->v[i].message : ""));
	return a;
}

json_t *api_deadlines(const struct deadline *dl, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:o, s:i, s:s}", "code", dl[i].code, "due",
				      api_date(dl[i].due), "workdays_left", dl[i].workdays_left,
				      "status", dl[i].workdays_left < 0 ? "overdue" : "due");
		/* issue 15: only where the extension moved it, so that
		 * every other answer stays as it was */
		if (dl[i].extended)
			json_object_set_new(o, "extended", json_true());
		json_array_append_new(a, o);
	}
	return a;
}

const char *api_person_status(kn_date member_since, kn_date official_since, kn_date today,
			      const struct candidacy *latest)
{
	if (latest && latest->open)
		return step_name(latest->stage);
	if (official_since != KN_DATE_NONE && official_since <= today)
		return "official";
	if (member_since != KN_DATE_NONE)
		return "member";
	return latest ? step_name(latest->stage) : "";
}

/* ---- steps ---- */

static const char *const step_fields[] = {
	"step", "date", "doc_no", "org", "member", "introducer1", "introducer1_since",
	"introducer2", "introducer2_since", "votes_for", "votes_total", "consent", "override",
	"note", "expect_version", NULL,
};

void api_step_from_json(json_t *obj, struct step *st, int step_optional,
			int64_t *expect_version, json_t *errors)
{
	char *code = NULL;
	long long n;

	*expect_version = -1;
	api_unknown_fields(obj, step_fields, errors);
	api_get_text(obj, "step", &code, errors);
	if (code) {
		st->code = step_from_name(code);
		if (st->code == STEP_NONE)
			api_field_error(errors, "step", _("unknown step '%s'; the steps are source, "
				"mentor, trained, applied, verified, introduced, cell_vote, "
				"committee_vote, decision, ceremony, probation_vote, official, "
				"withdrawn, rejected, struck_off"), code);
		free(code);
	} else if (!step_optional) {
		api_field_error(errors, "step", "%s", _("the step is required"));
	}
	api_get_date(obj, "date", &st->date, errors);
	api_get_text(obj, "doc_no", &st->doc_no, errors);
	api_get_text(obj, "org", &st->org, errors);
	api_get_text(obj, "member", &st->member, errors);
	api_get_text(obj, "introducer1", &st->intro1, errors);
	api_get_date(obj, "introducer1_since", &st->intro1_since, errors);
	api_get_text(obj, "introducer2", &st->intro2, errors);
	api_get_date(obj, "introducer2_since", &st->intro2_since, errors);
	if (api_get_count(obj, "votes_for", 0, 100000, &n, errors))
		st->votes_for = (int)n;
	if (api_get_count(obj, "votes_total", 0, 100000, &n, errors))
		st->votes_total = (int)n;
	api_get_text(obj, "consent", &st->consent, errors);
	{
		/* An override given as "" is a mistake to point out, not a
		 * missing value: keep it for step_validate to refuse. */
		json_t *ov = json_object_get(obj, "override");
		if (json_is_string(ov) && json_string_length(ov) == 0)
			st->override = xstrdup("");
		else
			api_get_text(obj, "override", &st->override, errors);
	}
	api_get_text(obj, "note", &st->note, errors);
	if (api_get_count(obj, "expect_version", 0, INT64_MAX, &n, errors) && n >= 0)
		*expect_version = n;
}

enum kn_err api_person_load(struct request *rq, struct response *rs, struct person *p)
{
	struct svc sv;
	enum kn_err e;
	req_svc(rq, &sv);
	e = svc_person_find(&sv, rq->arg, p);
	svc_release(&sv);
	if (e == KN_ENOTFOUND)
		api_not_found(rq, rs);
	else if (e != KN_OK)
		api_store_error(rq, rs, e);
	return e;
}

enum kn_err api_ledger_open(struct request *rq, struct ledger *l, struct buf *err)
{
	struct svc sv;
	req_svc(rq, &sv);
	enum kn_err e = svc_ledger_open(&sv, l, err);
	svc_release(&sv);
	return e;
}

int api_may_override(struct request *rq, const char *unit_code)
{
	struct svc sv;
	req_svc(rq, &sv);
	int may = svc_may_override(&sv, unit_code);
	svc_release(&sv);
	return may;
}
