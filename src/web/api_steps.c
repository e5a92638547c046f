/*
 * api_steps.c — the steps of the JSON API: recording a step of a person
 * (POST /api/v1/steps/REF) and checking one without writing (POST
 * /api/v1/check/REF).
 *
 * A handler reads the body into a struct step and renders the outcome;
 * svc_step() (core/svc.h) does the rest: the person in the user's
 * subtree (else 404, as one that does not exist), the role and any
 * override (403), the committee a decision names, and — in one
 * transaction with the step and its audit entry — the client's
 * expect_version against the candidacy's version, so that two people
 * editing the same dossier never overwrite each other silently (409).
 */
#include <stdlib.h>
#include <string.h>

#include "core/ledger.h"
#include "core/svc.h"
#include "web/api_common.h"
#include "web/auth.h"
#include "web/handlers.h"
#include "web/server.h"
#include "util/i18n.h"
#include "util/banned.h"

int api_step_failed(struct request *rq, struct response *rs, enum kn_err e,
		    const struct violations *v, const char *err, const char *prefix)
{
	json_t *errors;
	switch (e) {
	case KN_ERULE:
		return api_error(rq, rs, 422, _("The step breaks the rules below; nothing was "
						"recorded. An approver or administrator above the "
						"candidate's unit may record it with an override "
						"reason."),
				 json_pack("{s:o}", "violations", api_violations(v)));
	case KN_EINVAL:
		errors = json_array();
		api_lines_errors(errors, err);
		if (prefix) {
			size_t i;
			json_t *x;
			json_array_foreach(errors, i, x) {
				const char *f = json_string_value(json_object_get(x, "field"));
				struct buf b = BUF_INIT;
				buf_addf(&b, "%s%s%s", prefix, f ? "." : "", f ? f : "");
				json_object_set_new(x, "field", json_string(b.s));
				buf_release(&b);
			}
		}
		return api_error(rq, rs, 422, _("Some facts of the step are missing or wrong; "
						"nothing was recorded."),
				 json_pack("{s:o}", "errors", errors));
	case KN_ENOTFOUND:
		return api_not_found(rq, rs);
	default:
		return api_store_error(rq, rs, e);
	}
}

/* The 403 answers of a step the user may not record (svc.h's deny). */
static int step_denied(struct request *rq, struct response *rs, enum svc_deny deny)
{
	if (deny == SVC_DENY_OVERRIDE)
		return api_error(rq, rs, 403, _("Only an approver or administrator of a unit above "
						"the candidate's may record a step with an "
						"override."), NULL);
	return api_error(rq, rs, 403, _("Your role does not allow recording this step for this "
					"person."), NULL);
}

/* The committee a decision is recorded for must be one the user may act
 * for: its field error. */
static void hidden_org(json_t *errors, const struct step *st)
{
	api_field_error(errors, "org", _("no unit %s in your part of the organisation"), st->org);
}

int api_step_allowed(struct request *rq, struct response *rs, const char *unit,
		     const struct step *st, json_t *errors)
{
	struct svc sv;
	int r = 0;
	req_svc(rq, &sv);
	if (!svc_may_record(&sv, unit, st->code)) {
		step_denied(rq, rs, SVC_DENY_RECORD);
		r = -1;
	} else if (st->override && *st->override && !svc_may_override(&sv, unit)) {
		step_denied(rq, rs, SVC_DENY_OVERRIDE);
		r = -1;
	} else if ((st->code == STEP_DECISION || st->code == STEP_OFFICIAL) && st->org &&
		   !svc_may_see(&sv, st->org)) {
		hidden_org(errors, st);
	}
	svc_release(&sv);
	return r;
}

/* What api_step and api_check start with: the service as the user, the
 * body, and the person of the URL; NULL when an answer was sent (the
 * rest is then still to release, as after a success). */
static json_t *step_request(struct request *rq, struct response *rs, struct svc *svc,
			    struct person *p, struct step *st, struct svc_step_res *res)
{
	json_t *body;
	req_svc(rq, svc);
	step_init(st);
	memset(p, 0, sizeof(*p));
	memset(res, 0, sizeof(*res));
	res->err = (struct buf)BUF_INIT;
	if (!(body = api_body(rq, rs)))
		return NULL;
	if (api_person_load(rq, rs, p) != KN_OK) {
		json_decref(body);
		return NULL;
	}
	return body;
}

HANDLER(api_step)
{
	json_t *body, *errors = json_array();
	struct svc svc;
	struct person p;
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	int64_t expect;
	enum kn_err e;

	if (!(body = step_request(rq, rs, &svc, &p, &st, &res)))
		goto out;
	api_step_from_json(body, &st, 0, &expect, errors);
	if (st.date == KN_DATE_NONE && !json_object_get(body, "date"))
		st.date = date_today();
	if (json_array_size(errors) == 0) {
		struct buf facts = BUF_INIT;
		step_validate(&st, &facts);
		api_lines_errors(errors, facts.s);
		buf_release(&facts);
	}
	if (json_array_size(errors)) {
		api_error(rq, rs, 422, _("Some facts of the step are missing or wrong; nothing was "
					 "recorded."), json_pack("{s:O}", "errors", errors));
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.ref = p.ref;
	req.st = &st;
	req.expect_version = expect;	/* the version the client saw, or -1 */
	req.result = 1;
	e = svc_step(&svc, &req, &res);
	if (e == KN_EPERM) {
		step_denied(rq, rs, res.deny);
	} else if (e == KN_EINVAL && res.deny == SVC_HIDDEN_ORG) {
		hidden_org(errors, &st);
		api_error(rq, rs, 422, _("Some facts of the step are missing or wrong; nothing was "
					 "recorded."), json_pack("{s:O}", "errors", errors));
	} else if (e == KN_ECONFLICT) {
		api_error(rq, rs, 409, _("Someone else recorded a step for this person meanwhile; "
					 "nothing was recorded. Reload the person and try again."),
			  res.stale ? json_pack("{s:I, s:I}", "version", (json_int_t)res.version,
						"expect_version", (json_int_t)expect) : NULL);
	} else if (e != KN_OK) {
		api_step_failed(rq, rs, e, &res.v, res.err.s, NULL);
	} else {
		const struct candidacy *c = &res.cs[res.nc - 1];
		api_json(rs, 201, json_pack("{s:s, s:o, s:I, s:s, s:b, s:o}", "person", p.ref,
					    "step", api_step_json(&c->steps[c->nsteps - 1]),
					    "version", (json_int_t)res.version, "stage",
					    step_name(c->stage), "open", c->open, "overridden",
					    api_violations(&res.v)));
	}
out:
	json_decref(body);
	json_decref(errors);
	person_release(&p);
	step_release(&st);
	svc_step_res_release(&res);
	svc_release(&svc);
	return 0;
}

HANDLER(api_check)
{
	json_t *body, *errors = json_array(), *needs = NULL;
	struct svc svc;
	struct person p;
	struct step st;
	struct svc_step_req req;
	struct svc_step_res res;
	int64_t expect;
	enum kn_err e;

	if (!(body = step_request(rq, rs, &svc, &p, &st, &res)))
		goto out;
	api_step_from_json(body, &st, 1, &expect, errors);
	if (json_array_size(errors)) {
		api_error(rq, rs, 422, _("Some facts of the step are wrong."),
			  json_pack("{s:O}", "errors", errors));
		goto out;
	}
	if (st.date == KN_DATE_NONE)
		st.date = date_today();		/* the ledger's today */
	if (st.code == STEP_NONE) {
		if ((e = svc_next_step(&svc, &p, &st.code)) != KN_OK) {
			api_store_error(rq, rs, e);
			goto out;
		}
		if (st.code == STEP_NONE) {
			api_json(rs, 200, json_pack("{s:s, s:n, s:o, s:b, s:s, s:[], s:[]}",
				"person", p.ref, "step", "date", api_date(st.date), "ok", 0,
				"message", _("There is no next step: the candidacy is closed."),
				"needs", "violations"));
			goto out;
		}
	}
	memset(&req, 0, sizeof(req));
	req.ref = p.ref;
	req.st = &st;
	req.check = 1;
	req.expect_version = -1;
	e = svc_step(&svc, &req, &res);
	if (e == KN_ENOTFOUND) {
		api_not_found(rq, rs);
		goto out;
	}
	if (e != KN_OK && e != KN_ERULE && e != KN_EINVAL) {
		api_store_error(rq, rs, e);
		goto out;
	}
	needs = json_array();
	api_lines_errors(needs, res.err.s);
	api_json(rs, 200, json_pack("{s:s, s:s, s:s, s:o, s:b, s:O, s:o, s:b}",
		"person", p.ref, "step", step_name(st.code), "label", step_label(st.code),
		"date", api_date(st.date), "ok", e == KN_OK && json_array_size(needs) == 0,
		"needs", needs, "violations", api_violations(&res.v),
		"may_record", res.may_record));
out:
	json_decref(body);
	json_decref(errors);
	json_decref(needs);
	person_release(&p);
	step_release(&st);
	svc_step_res_release(&res);
	svc_release(&svc);
	return 0;
}
