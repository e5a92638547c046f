/*
 * api_import.c — CSV imports through the JSON API (POST
 * /api/v1/imports/KIND, admins): the file as the request body (text/csv)
 * or as a multipart field, ?dry_run=1 to check only, ?override=REASON for
 * steps that break a rule (RULES.md §3, as on the step form). The same
 * importer as `ketnap import` (io/import.c): the header checked first, one
 * transaction, every problem as {line, column, message}; 200 with the
 * counts, 422 with the problems, and nothing written unless every row is
 * good.
 *
 * An import touching a unit or person outside the user's subtree is
 * refused (422) before anything is read into the database, by the subtree
 * check of core/svc_import.h that `ketnap import` and the import page run
 * too; this API answers a unit that does not exist like one outside, so
 * that it does not tell which codes exist elsewhere. The holiday calendar
 * is the whole organisation's: only an administrator of a top unit
 * imports it (403 otherwise).
 */
#include <stdlib.h>
#include <string.h>

#include "core/svc_import.h"
#include "io/export.h"
#include "io/import.h"
#include "web/api_common.h"
#include "web/handlers.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- imports ---- */

/* The subtree check (core/svc_import.h) of the file, as problems
 * {line, column, message} appended to out; the count. A unit outside and
 * one that does not exist are answered alike, so that the answer does not
 * tell which codes exist elsewhere. */
static size_t import_scope(const struct svc_import_scope *sc, enum io_kind kind, const char *data,
			   size_t len, json_t *out)
{
	static const char *const nowhere = N_("no unit %s in your part of the organisation");
	static const char *const nobody = N_("no person with ref %s in your part of the organisation");
	struct svc_import_problems p = { 0 };
	struct buf m = BUF_INIT;
	size_t n;

	if (!sc->tree || svc_import_check(sc, kind, data, len, &p) != KN_OK)
		return 1;
	for (size_t i = 0; i < p.n; i++) {
		const struct svc_import_problem *q = &p.v[i];
		buf_reset(&m);
		switch (q->why) {
		case SVC_IMPORT_OWN_UNIT_MOVED:
			buf_addf(&m, "%s", _("your own unit cannot be moved"));
			break;
		case SVC_IMPORT_NO_PARENT:
			buf_addf(&m, "%s", _("a unit needs a parent in your part of the organisation"));
			break;
		case SVC_IMPORT_PERSON_ELSEWHERE:
			buf_addf(&m, _(nobody), q->value);
			break;
		case SVC_IMPORT_UNIT_ELSEWHERE:
		case SVC_IMPORT_PARENT_ELSEWHERE:
		case SVC_IMPORT_UNIT_OUTSIDE:
		case SVC_IMPORT_ORG_ELSEWHERE:
			buf_addf(&m, _(nowhere), q->value);
			break;
		default:	/* the step form's words (an admin may record any step) */
			svc_import_describe(sc, q, &m);
			break;
		}
		json_array_append_new(out, json_pack("{s:I, s:s, s:s}", "line", (json_int_t)q->line,
						     "column", q->column, "message", m.s));
	}
	n = p.n;
	svc_import_problems_release(&p);
	buf_release(&m);
	return n;
}

/* "FILE:LINE: column: message" lines into [{line, column, message}]. */
static void import_problems(json_t *out, const char *file, const char *lines)
{
	size_t flen = strlen(file);
	while (lines && *lines) {
		const char *nl = strchr(lines, '\n');
		size_t n = nl ? (size_t)(nl - lines) : strlen(lines);
		char *line = xstrndup(lines, n);
		char *p = line, *end;
		json_t *lineno = json_null(), *column = json_null();
		if (strncmp(p, file, flen) == 0 && p[flen] == ':') {
			long long ln = strtoll(p + flen + 1, &end, 10);
			if (end > p + flen + 1 && end[0] == ':' && end[1] == ' ') {
				json_decref(lineno);
				lineno = json_integer(ln);
				p = end + 2;
				char *sep = strstr(p, ": ");
				if (sep && !memchr(p, ' ', (size_t)(sep - p))) {
					*sep = '\0';
					json_decref(column);
					column = json_string(p);
					p = sep + 2;
				}
			}
		}
		if (n)
			json_array_append_new(out, json_pack("{s:o, s:o, s:s}", "line", lineno,
							     "column", column, "message", p));
		else {
			json_decref(lineno);
			json_decref(column);
		}
		free(line);
		lines += n + (nl != NULL);
	}
}

/* import_opts.may_override: may this user override the rules for a
 * person considered by unit_code (RULES.md §3)? */
static int import_may_override(void *arg, const char *unit_code)
{
	return api_may_override(arg, unit_code);
}

HANDLER(api_import)
{
	enum io_kind kind;
	const char *data = rq->body ? rq->body : "";
	size_t len = rq->body_len;
	const char *dry = api_query(rq, "dry_run"), *override = api_query(rq, "override");
	struct import_opts io;
	struct import_stats st;
	struct buf err = BUF_INIT, file = BUF_INIT, ovr = BUF_INIT;
	struct actor a = { rq->user.name, rq->user.unit, rq->role };
	struct svc_import_scope sc = { rq->store, req_tree(rq), &a, 1 };
	json_t *problems;
	enum kn_err e;

	if (io_kind_parse(rq->arg, &kind) != 0)
		return api_error(rq, rs, 404, _("No such list: import units, people, quotas, "
						"steps or holidays."), NULL);
	if (dry && strcmp(dry, "0") && strcmp(dry, "1"))
		return api_error(rq, rs, 400, _("The parameter dry_run must be 0 or 1."),
				 json_pack("{s:s}", "parameter", "dry_run"));
	if (override && (text_nfc(override, &ovr) != 0 || !ovr.len)) {
		buf_release(&ovr);
		return api_error(rq, rs, 400, _("The override reason must be UTF-8 text."),
				 json_pack("{s:s}", "parameter", "override"));
	}
	/* A file sent as a form field (multipart) rather than as the body. */
	for (size_t i = 0; i < rq->form.n; i++)
		if (rq->form.v[i].filename || strcmp(rq->form.v[i].key, "file") == 0) {
			data = rq->form.v[i].val;
			len = rq->form.v[i].len;
			break;
		}
	buf_addf(&file, "%s.csv", io_kind_name(kind));
	memset(&io, 0, sizeof(io));
	memset(&st, 0, sizeof(st));
	io.dry_run = dry && dry[0] == '1';
	io.override = ovr.len ? ovr.s : NULL;
	io.actor = rq->user.name;
	io.cal = rq->cal;
	io.may_override = import_may_override;
	io.may_override_arg = rq;
	io.actor_unit = rq->user.unit;

	problems = json_array();
	/* The calendar is the whole organisation's. */
	if (kind == IO_HOLIDAYS && !svc_import_holidays_ok(&sc)) {
		api_error(rq, rs, 403, _("Only an administrator of the whole organisation may "
					 "import holidays."), NULL);
		goto out;
	}
	/* A file of another kind, or no CSV at all, is refused on its header
	 * before its rows are looked at. */
	if (import_check_header(kind, file.s, data, len, &err) != KN_OK) {
		import_problems(problems, file.s, err.s);
		api_error(rq, rs, 422, _("The file has problems; nothing was written."),
			  json_pack("{s:O, s:s, s:I}", "problems", problems, "kind",
				    io_kind_name(kind), "rows", (json_int_t)0));
		goto out;
	}
	if (import_scope(&sc, kind, data, len, problems) > 0) {
		api_error(rq, rs, 422, _("The file touches units or people outside your part of "
					 "the organisation; nothing was written."),
			  json_pack("{s:O, s:s}", "problems", problems, "kind", io_kind_name(kind)));
		goto out;
	}
	if ((e = store_begin(rq->store)) != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	e = import_csv(rq->store, kind, file.s, data, len, &io, &st, &err);
	if (e != KN_OK || io.dry_run)
		store_rollback(rq->store);
	else
		e = store_commit(rq->store);
	if (e == KN_EINVAL) {
		import_problems(problems, file.s, err.s);
		api_error(rq, rs, 422, _("The file has problems; nothing was written."),
			  json_pack("{s:O, s:s, s:I}", "problems", problems, "kind",
				    io_kind_name(kind), "rows", (json_int_t)st.rows));
		goto out;
	}
	if (e != KN_OK) {
		api_store_error(rq, rs, e);
		goto out;
	}
	if (kind == IO_HOLIDAYS && !io.dry_run)
		server_reload_calendar(rq);
	api_json(rs, 200, json_pack("{s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:[]}",
		"kind", io_kind_name(kind), "dry_run", io.dry_run, "ok", 1,
		"rows", (json_int_t)st.rows, "added", (json_int_t)st.added,
		"updated", (json_int_t)st.updated, "unchanged", (json_int_t)st.unchanged,
		"problems"));
out:
	json_decref(problems);
	buf_release(&err);
	buf_release(&file);
	buf_release(&ovr);
	return 0;
}
