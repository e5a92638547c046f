/*
 * handlers.h — every page and API handler, one line each; the route table
 * in routes.c maps METHOD PATH to them. A handler fills the response and
 * returns 0. Permissions beyond the route's minimum role (the unit subtree,
 * the step a role may record) are the handler's to check, always with
 * req_can_see() / auth_may_record().
 */
#ifndef KN_HANDLERS_H
#define KN_HANDLERS_H

#include "web/http.h"

#define HANDLER(name) int name(struct request *rq, struct response *rs)

/* page_auth.c: sign-in, sign-out, language, health, static assets */
HANDLER(h_login_form);
HANDLER(h_login);
HANDLER(h_logout);
HANDLER(h_lang);
HANDLER(h_healthz);
HANDLER(h_static);

/* page_dashboard.c: the dashboard of the user's unit or a unit below it */
HANDLER(h_dashboard);
HANDLER(h_unit_dashboard);		/* /units/CODE */

/* page_cand_list.c, page_cand.c, page_step.c, page_person.c: the list, the
 * candidate page, its steps, new candidate and edit */
HANDLER(h_candidates);			/* GET /candidates?q=&unit=&step=&overdue=&category=&page= */
HANDLER(h_candidate_new_form);		/* GET /candidates/new */
HANDLER(h_candidate_new);		/* POST /candidates/new */
HANDLER(h_person);			/* GET /people/REF */
HANDLER(h_person_step);			/* POST /people/REF/step... see routes.c: /step/REF */
HANDLER(h_person_edit_form);		/* GET /edit/REF */
HANDLER(h_person_edit);			/* POST /edit/REF */

/* page_transfer.c (issue 15): transfers */
HANDLER(h_transfer);			/* POST /transfer/REF: the letter, sending side */
HANDLER(h_arrive);			/* POST /arrive/REF: the arrival, destination side */
/* The person page's units over time and transfer form (f: as posted, or
 * NULL), and the dashboard's list of the people arriving at unit_code. */
struct person;
struct form;
void page_transfer_section(struct request *rq, struct response *rs, const struct person *p,
			   struct form *f, kn_date today);
void page_transfer_arriving(struct request *rq, struct response *rs, const char *unit_code);

/* page_decisions.c: the decisions queue of an approver's committee */
HANDLER(h_decisions);
HANDLER(h_decision_record);		/* POST /decisions/REF */
HANDLER(h_decisions_batch);		/* POST /decisions: several at once */

/* page_reports.c: reports with period and unit pickers, downloads */
HANDLER(h_reports);			/* GET /reports?kind=&unit=&year=&from=&to=&as_of= */
HANDLER(h_report_download);		/* GET /reports/KIND.(csv|xlsx|html|json) */

/* page_import.c and page_admin.c */
HANDLER(h_import_form);
HANDLER(h_import);			/* POST: dry run, then commit */
HANDLER(h_admin);
HANDLER(h_admin_units);
HANDLER(h_admin_unit_save);
HANDLER(h_admin_quotas);
HANDLER(h_admin_quota_save);
HANDLER(h_admin_users);
HANDLER(h_admin_user_save);
HANDLER(h_admin_holidays);
HANDLER(h_admin_holiday_save);
HANDLER(h_admin_policy);
HANDLER(h_admin_policy_save);
HANDLER(h_extend);
HANDLER(h_admin_audit);
/* issue 15: identity (page_dups.c) */
HANDLER(h_admin_duplicates);
HANDLER(h_admin_duplicate_merge);

/* api_*.c: the JSON API under /api/v1 */
HANDLER(api_me);
HANDLER(api_units);			/* GET /api/v1/units (the user's subtree) */
HANDLER(api_unit);			/* GET /api/v1/units/CODE */
HANDLER(api_people);			/* GET /api/v1/people?q=&unit=&step=&page= */
HANDLER(api_person);			/* GET /api/v1/people/REF */
HANDLER(api_person_create);		/* POST /api/v1/people */
HANDLER(api_person_update);		/* POST /api/v1/people/REF */
HANDLER(api_step);			/* POST /api/v1/steps/REF */
HANDLER(api_check);			/* POST /api/v1/check/REF */
HANDLER(api_report);			/* GET /api/v1/reports/KIND */
HANDLER(api_dashboard);			/* GET /api/v1/dashboard?unit= */
HANDLER(api_decisions);			/* GET /api/v1/decisions */
HANDLER(api_import);			/* POST /api/v1/imports/KIND?dry_run=1 */
HANDLER(api_audit);			/* GET /api/v1/audit */

#endif
