/*
 * todo.c — weak placeholders for the handlers still being written: each
 * answers 501 "not built yet", visibly. A handler's real definition (a
 * strong symbol in its page or API file) replaces its placeholder here;
 * the line goes when the handler lands. Nothing here is called done.
 */
#include "util/i18n.h"
#include "web/handlers.h"
#include "util/banned.h"

static int todo(struct request *rq, struct response *rs)
{
	return resp_error(rq, rs, 501, _("This page is not built yet."));
}

__attribute__((weak)) HANDLER(h_dashboard) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_unit_dashboard) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_candidates) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_candidate_new_form) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_candidate_new) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_person) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_person_step) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_person_edit_form) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_person_edit) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_decisions) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_decision_record) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_reports) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_report_download) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_import_form) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_import) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_units) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_unit_save) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_quotas) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_quota_save) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_users) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_user_save) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_holidays) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_holiday_save) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(h_admin_audit) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_me) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_units) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_unit) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_people) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_person) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_person_create) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_person_update) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_step) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_check) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_report) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_dashboard) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_decisions) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_import) { return todo(rq, rs); }
__attribute__((weak)) HANDLER(api_audit) { return todo(rq, rs); }
