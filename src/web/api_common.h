/*
 * api_common.h — what the JSON API handlers (api_people.c, api_other.c)
 * share: JSON responses and errors, request bodies parsed with the
 * position of a syntax error, query parameters, and the domain's nouns
 * (units, people, steps, violations) as JSON.
 *
 * Every response under /api/v1 is JSON built with jansson. Errors have one
 * shape: {"error": {"status": 422, "message": "…", …}} where the "…" may
 * add "violations" ([{code, message}], a refused step), "errors"
 * ([{field, message}], bad fields) or "problems" ([{line, column,
 * message}], a refused import). Messages are in the request's language.
 *
 * Ownership: functions taking a json_t * named `steal` take over the
 * caller's reference; every other json_t * returned is a new reference the
 * caller owns (json_decref). Functions that answer the request themselves
 * (api_error, api_bad_query …) return 0 so a handler can `return` them.
 */
#ifndef KN_API_COMMON_H
#define KN_API_COMMON_H

#include <stdint.h>

#include <jansson.h>

#include "core/deadline.h"
#include "core/ledger.h"
#include "core/rules.h"
#include "store/store.h"
#include "web/http.h"

/* Lines of a list, and how long a page is. */
#define API_PAGE_SIZE 50

/* ---- responses ---- */

/* Answer `status` with the JSON value (stolen). Returns 0. */
int api_json(struct response *rs, int status, json_t *steal);

/* Answer an error: {"error": {"status", "message", …extra's members}}.
 * extra (stolen, may be NULL) is an object whose members join "error".
 * Returns 0. */
int api_error(struct request *rq, struct response *rs, int status, const char *message,
	      json_t *extra);

/* 404 "no such …", the same answer whether the thing does not exist or
 * lies outside the user's subtree. */
int api_not_found(struct request *rq, struct response *rs);

/* 500/503 for a storage failure (the store's message goes to the log,
 * the user reads a plain sentence). */
int api_store_error(struct request *rq, struct response *rs, enum kn_err e);

/* ---- request bodies ---- */

/* The request body as a JSON object (an empty body is {}). On a syntax
 * error answers 400 with the line, column and byte position and returns
 * NULL; likewise when the body is not an object. */
json_t *api_body(struct request *rq, struct response *rs);

/* Field errors: [{field, message}] collected while reading a body. */
void api_field_error(json_t *errors, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "column: message\n" lines (ledger_step's err, step_validate) appended
 * to errors as {field, message}. A line without a column gets field null. */
void api_lines_errors(json_t *errors, const char *lines);
/* Report every key of obj not in the NULL-terminated list as an unknown
 * field (a typo must not silently drop data). */
void api_unknown_fields(json_t *obj, const char *const *known, json_t *errors);

/* Members of a body. Each returns 1 when the key is present (null counts
 * as present, with the "no value" result), 0 when absent, and appends a
 * field error for a value of the wrong type or shape.
 * text: a string, NFC-normalised into *out (heap; NULL for null or "").
 * date: "YYYY-MM-DD" or "DD/MM/YYYY" (KN_DATE_NONE for null).
 * count: a whole number min..max (-1 for null).
 * flag: true/false (or 0/1). */
int api_get_text(json_t *obj, const char *key, char **out, json_t *errors);
int api_get_date(json_t *obj, const char *key, kn_date *out, json_t *errors);
int api_get_count(json_t *obj, const char *key, long long min, long long max, long long *out,
		  json_t *errors);
int api_get_flag(json_t *obj, const char *key, int *out, json_t *errors);

/* ---- query parameters ---- */

/* A whole-number parameter min..max (def when absent); on a bad value
 * answers 400 and returns -1. */
int api_query_int(struct request *rq, struct response *rs, const char *key, long long min,
		  long long max, long long def, long long *out);
/* A date parameter (KN_DATE_NONE when absent); 400 and -1 when bad. */
int api_query_date(struct request *rq, struct response *rs, const char *key, kn_date *out);
/* A parameter's value, NULL when absent or empty. */
const char *api_query(struct request *rq, const char *key);

/* The period of ?year= | ?from=&to= (and ?as_of=) the way `ketnap
 * report` reads its options, so the same parameters give the same
 * report. Answers 400 and returns -1 when they are bad. */
int api_query_period(struct request *rq, struct response *rs, kn_date *from, kn_date *to,
		     kn_date *as_of);

/* The unit of ?key= (default: the user's own unit), which must be in the
 * user's subtree: otherwise answers 404 and returns NULL. */
struct unode *api_query_unit(struct request *rq, struct response *rs, const char *key);

/* The unit `code` (the user's own unit when NULL) if it is in the
 * user's subtree, found by walking up its parents rather than loading the
 * whole tree (for the hot paths): KN_OK with *out filled (release it with
 * unit_release), KN_ENOTFOUND when absent or outside, KN_EIO. */
enum kn_err api_unit_lookup(struct request *rq, const char *code, struct unit *out);

/* ---- values ---- */

json_t *api_str(const char *s);		/* string or null */
json_t *api_date(kn_date d);		/* "YYYY-MM-DD" or null */
json_t *api_tenths(long long tenths);	/* 127.1, or null when < 0 */
json_t *api_count(long long n);		/* number, or null when < 0 */

/* ---- the domain as JSON ---- */

/* {code, parent, name, kind, may_admit, sector, special_area}. */
json_t *api_unit_json(const struct unit *u);
/* A recorded step: {step, label, date, …its facts, recorded_by, …}. */
json_t *api_step_json(const struct step *st);
/* The person's own fields (as people.csv has them) and unit_name. */
json_t *api_person_json(struct request *rq, const struct person *p);
/* [{code, message}] of a refused (or overridden) step. */
json_t *api_violations(const struct violations *v);
/* [{code, due, workdays_left, status}]. */
json_t *api_deadlines(const struct deadline *dl, size_t n);

/* What a list shows of a person: the latest candidacy's step while it is
 * open, else "official" / "member" / the ending step / "" (static). */
const char *api_person_status(kn_date member_since, kn_date official_since, kn_date today,
			      const struct candidacy *latest);

/* ---- steps ---- */

/* The step of a body (steps.csv's columns as members, plus "step"),
 * into st (step_init'ed by the caller). The step may be absent only when
 * step_optional (check: the next step). *expect_version gets
 * "expect_version" or -1. Field errors go to errors. */
void api_step_from_json(json_t *obj, struct step *st, int step_optional,
			int64_t *expect_version, json_t *errors);

/* A ledger for this request: the user as actor and acting unit. err gets
 * the reason on failure. */
enum kn_err api_ledger_open(struct request *rq, struct ledger *l, struct buf *err);

/* May this user record `code` for a person considered by unit_code, and,
 * with an override, override the rules? An override needs an approver or
 * admin of a unit above the candidate's (RULES.md §3). */
int api_may_override(struct request *rq, const char *unit_code);

/* ---- people and steps ---- */

/* The person of rq->arg as the user may see them (svc_person_find): KN_OK,
 * or answered (404 also for a person outside the subtree, 500) and
 * something else returned. p is the caller's to person_release(). */
enum kn_err api_person_load(struct request *rq, struct response *rs, struct person *p);
/* Answer a failed ledger_step: 422 with the violations or the field
 * errors (their fields led by prefix, when given), 404, 409 or 500.
 * Returns 0. (api_steps.c) */
int api_step_failed(struct request *rq, struct response *rs, enum kn_err e,
		    const struct violations *v, const char *err, const char *prefix);
/* A new person's source step's permissions before recording it: 403
 * answered and -1; or 0, with a field error when the committee named is
 * outside the subtree. (api_steps.c) */
int api_step_allowed(struct request *rq, struct response *rs, const char *unit,
		     const struct step *st, json_t *errors);

#endif
