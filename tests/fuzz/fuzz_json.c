/*
 * fuzz_json.c — libFuzzer target over the JSON request bodies of the API
 * (web/api_common.c), without the server around them: api_body() reads
 * the input as a request body; when it refuses, its 400 answer must itself
 * be valid JSON with the error's message; when it accepts, the object goes
 * through api_step_from_json() (the body of POST /api/v1/steps and
 * /check), the typed getters of every other write (text, date, count,
 * flag), the unknown-field check, and api_lines_errors() with the input's
 * own text as the lines. Whatever comes back must hold together: field
 * errors are {field, message} objects with a string message, texts are
 * valid NFC UTF-8 without NUL, counts are in range, dates are real days.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/api_common.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A text from a getter: NFC already (normalising it changes nothing). */
static void check_text(const char *s)
{
	struct buf b = BUF_INIT;
	if (!s)
		return;
	if (!*s || text_nfc(s, &b) != 0 || strcmp(b.s, s) != 0)
		abort();
	buf_release(&b);
}

static void check_date(kn_date d)
{
	int y, m, day;
	if (d == KN_DATE_NONE)
		return;
	date_to_ymd(d, &y, &m, &day);
	if (!date_valid_ymd(y, m, day))
		abort();
}

static void check_errors(json_t *errors)
{
	size_t i;
	json_t *e;
	if (!json_is_array(errors))
		abort();
	json_array_foreach(errors, i, e) {
		json_t *f = json_object_get(e, "field");
		if (!json_is_string(json_object_get(e, "message")) ||
		    !(json_is_string(f) || json_is_null(f)))
			abort();
	}
}

/* api_body's own refusals: a JSON error object a client can read. */
static void check_answer(const struct response *rs)
{
	json_error_t je;
	json_t *v = json_loadb(rs->body.s, rs->body.len, 0, &je);
	json_t *err = json_object_get(v, "error");
	if (rs->status != 400 || !json_is_string(json_object_get(err, "message")) ||
	    json_integer_value(json_object_get(err, "status")) != 400)
		abort();
	json_decref(v);
}

static void getters(json_t *obj, json_t *errors)
{
	static const char *const known[] = { "ref", "full_name", "sex", "birth_date", "unit",
					     "youth_union", "expect_version", NULL };
	const char *key;
	json_t *val;
	char *text;
	kn_date d;
	long long n;
	int flag;

	api_unknown_fields(obj, known, errors);
	/* Every member through every getter: the wrong type must be a field
	 * error, never a crash. */
	json_object_foreach(obj, key, val) {
		api_get_text(obj, key, &text, errors);
		check_text(text);
		free(text);
		api_get_date(obj, key, &d, errors);
		check_date(d);
		if (api_get_count(obj, key, -5, 100000, &n, errors) && n != -1 &&
		    (n < -5 || n > 100000))
			abort();
		flag = -1;
		if (api_get_flag(obj, key, &flag, errors) && flag != -1 && flag != 0 && flag != 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request rq;
	struct response rs;
	json_t *obj, *errors = json_array();

	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	buf_init(&rs.body);
	rq.method = "POST";
	rq.path = "/api/v1/steps/fuzz";
	rq.is_api = 1;
	rq.body = (const char *)data;
	rq.body_len = size;

	obj = api_body(&rq, &rs);
	if (!obj) {
		check_answer(&rs);
	} else {
		struct step st;
		int64_t version;
		step_init(&st);
		api_step_from_json(obj, &st, size & 1, &version, errors);
		check_text(st.doc_no);
		check_text(st.org);
		check_text(st.member);
		check_text(st.intro1);
		check_text(st.intro2);
		check_text(st.consent);
		check_text(st.note);
		if (st.override && *st.override)
			check_text(st.override);
		check_date(st.date);
		check_date(st.intro1_since);
		check_date(st.intro2_since);
		if (st.votes_for < -1 || st.votes_for > 100000 || st.votes_total < -1 ||
		    st.votes_total > 100000 || version < -1)
			abort();
		step_release(&st);
		getters(obj, errors);
		json_decref(obj);
	}
	/* The body's text as lines of messages ("column: message"). */
	char *lines = xstrndup((const char *)data, size);
	api_lines_errors(errors, lines);
	free(lines);
	check_errors(errors);
	json_decref(errors);
	buf_release(&rs.body);
	return 0;
}
