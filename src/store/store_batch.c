/*
 * store_batch.c — rows an importer knows are new, many in one statement
 * (store.h: store_units_add).
 *
 * Issue 13: on PostgreSQL the units import sent two statements a unit
 * (S_UNIT_ADD, S_UNIT_ADD_PATH), ahead in a pipeline; the round trips
 * were gone, but each statement still cost the server its own bind,
 * execute and statement trigger (units_version_bump): 1.0 s of server
 * CPU for a province's 15 k units against SQLite's 0.3 s in all. A
 * batch is now one statement whatever its size: its units as a JSON
 * array, taken apart by each backend's JSON functions, each row given in
 * the same statement the id and the path the two statements gave it.
 * Written once for both backends.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store_impl.h"
#include "util/banned.h"

/* u as S_UNITS_ADD's array element; NULL when a text is not valid UTF-8
 * (json_string() refuses it). */
static json_t *unit_json(const struct unit *u)
{
	json_t *a = json_array();
	const char *txt[] = { u->code, u->parent, u->name, unit_kind_name(u->kind) };

	for (size_t i = 0; i < sizeof(txt) / sizeof(*txt); i++) {
		json_t *v = txt[i] ? json_string(txt[i]) : json_null();
		if (!v || json_array_append_new(a, v) != 0) {
			json_decref(a);
			return NULL;
		}
	}
	if (json_array_append_new(a, json_integer(!!u->may_admit)) != 0 ||
	    json_array_append_new(a, u->sector ? json_string(u->sector) : json_null()) != 0 ||
	    json_array_append_new(a, json_integer(!!u->special_area)) != 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

enum kn_err store_units_add(struct store *s, const struct unit *const *u, size_t n)
{
	json_t *arr = json_array();
	struct sargs a = SARGS_INIT;
	char *js = NULL;
	long long wrote = 0;
	enum kn_err e = KN_OK;

	if (!n)
		goto out;
	for (size_t i = 0; i < n; i++) {
		json_t *x = unit_json(u[i]);
		if (!x || json_array_append_new(arr, x) != 0) {
			/* Not valid UTF-8: the database's own message, one at a time. */
			if ((e = store_begin(s)) != KN_OK)
				goto out;
			for (size_t k = 0; k < n && e == KN_OK; k++)
				e = store_unit_add(s, u[k]);
			if (e != KN_OK) {
				store_rollback(s);
				goto out;
			}
			e = store_commit(s);
			goto out;
		}
	}
	js = json_dumps(arr, JSON_COMPACT);
	arg_text(&a, js);
	if ((e = store_begin(s)) != KN_OK)
		goto out;
	e = q_exec(s, S_UNITS_ADD, &a, &wrote);
	if (e == KN_OK && wrote != (long long)n)
		e = store_fail(s, KN_EINVAL, "%lld of %zu new units written (from %.200s): a parent "
			       "not stored", wrote, n, u[0]->code);
	if (e != KN_OK) {
		store_rollback(s);
		goto out;
	}
	e = store_commit(s);
out:
	json_decref(arr);
	free(js);
	return e;
}
