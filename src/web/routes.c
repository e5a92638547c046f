/*
 * routes.c — the route table: METHOD, path pattern, flags, the least role,
 * handler. The server checks the session, the role and the CSRF token
 * before any handler runs; handlers then confine everything to the
 * user's subtree.
 */
#include <stddef.h>

#include "web/handlers.h"
#include "util/banned.h"

const struct route kn_routes[] = {
	{ "GET", "/login", R_PUBLIC, ROLE_NONE, h_login_form },
	{ "POST", "/login", R_PUBLIC, ROLE_NONE, h_login },
	{ "POST", "/logout", 0, ROLE_VIEWER, h_logout },
	{ "GET", "/lang/*", R_PUBLIC, ROLE_NONE, h_lang },
	{ "GET", "/healthz", R_PUBLIC, ROLE_NONE, h_healthz },
	{ "GET", "/static/*", R_PUBLIC, ROLE_NONE, h_static },

	{ "GET", "/", 0, ROLE_VIEWER, h_dashboard },
	{ "GET", "/units/*", 0, ROLE_VIEWER, h_unit_dashboard },

	{ "GET", "/candidates", 0, ROLE_VIEWER, h_candidates },
	{ "GET", "/candidates/new", 0, ROLE_EDITOR, h_candidate_new_form },
	{ "POST", "/candidates/new", 0, ROLE_EDITOR, h_candidate_new },
	{ "GET", "/people/*", 0, ROLE_VIEWER, h_person },
	{ "POST", "/step/*", 0, ROLE_EDITOR, h_person_step },
	{ "GET", "/edit/*", 0, ROLE_EDITOR, h_person_edit_form },
	{ "POST", "/edit/*", 0, ROLE_EDITOR, h_person_edit },
	/* issue 15: transfers */
	{ "POST", "/transfer/*", 0, ROLE_EDITOR, h_transfer },
	{ "POST", "/arrive/*", 0, ROLE_EDITOR, h_arrive },

	{ "GET", "/decisions", 0, ROLE_APPROVER, h_decisions },
	{ "POST", "/decisions", 0, ROLE_APPROVER, h_decisions_batch },
	{ "POST", "/decisions/*", 0, ROLE_APPROVER, h_decision_record },
	{ "POST", "/extend/*", 0, ROLE_APPROVER, h_extend },

	{ "GET", "/reports", 0, ROLE_VIEWER, h_reports },
	{ "GET", "/reports/*", 0, ROLE_VIEWER, h_report_download },

	{ "GET", "/import", 0, ROLE_ADMIN, h_import_form },
	{ "POST", "/import", 0, ROLE_ADMIN, h_import },
	{ "GET", "/admin", 0, ROLE_ADMIN, h_admin },
	{ "GET", "/admin/units", 0, ROLE_ADMIN, h_admin_units },
	{ "POST", "/admin/units", 0, ROLE_ADMIN, h_admin_unit_save },
	{ "GET", "/admin/quotas", 0, ROLE_ADMIN, h_admin_quotas },
	{ "POST", "/admin/quotas", 0, ROLE_ADMIN, h_admin_quota_save },
	{ "GET", "/admin/users", 0, ROLE_ADMIN, h_admin_users },
	{ "POST", "/admin/users", 0, ROLE_ADMIN, h_admin_user_save },
	{ "GET", "/admin/holidays", 0, ROLE_ADMIN, h_admin_holidays },
	{ "POST", "/admin/holidays", 0, ROLE_ADMIN, h_admin_holiday_save },
	{ "GET", "/admin/policy", 0, ROLE_ADMIN, h_admin_policy },
	{ "POST", "/admin/policy", 0, ROLE_ADMIN, h_admin_policy_save },
	{ "GET", "/admin/audit", 0, ROLE_ADMIN, h_admin_audit },
	/* issue 15: identity (page_dups.c) */
	{ "GET", "/admin/duplicates", 0, ROLE_ADMIN, h_admin_duplicates },
	{ "POST", "/admin/duplicates", 0, ROLE_ADMIN, h_admin_duplicate_merge },

	{ "GET", "/api/v1/me", 0, ROLE_VIEWER, api_me },
	{ "GET", "/api/v1/units", 0, ROLE_VIEWER, api_units },
	{ "GET", "/api/v1/units/*", 0, ROLE_VIEWER, api_unit },
	{ "GET", "/api/v1/people", 0, ROLE_VIEWER, api_people },
	{ "POST", "/api/v1/people", 0, ROLE_EDITOR, api_person_create },
	{ "GET", "/api/v1/people/*", 0, ROLE_VIEWER, api_person },
	{ "POST", "/api/v1/people/*", 0, ROLE_EDITOR, api_person_update },
	{ "POST", "/api/v1/steps/*", 0, ROLE_EDITOR, api_step },
	{ "POST", "/api/v1/check/*", 0, ROLE_VIEWER, api_check },
	{ "GET", "/api/v1/reports/*", 0, ROLE_VIEWER, api_report },
	{ "GET", "/api/v1/dashboard", 0, ROLE_VIEWER, api_dashboard },
	{ "GET", "/api/v1/decisions", 0, ROLE_APPROVER, api_decisions },
	{ "POST", "/api/v1/imports/*", 0, ROLE_ADMIN, api_import },
	{ "GET", "/api/v1/audit", 0, ROLE_ADMIN, api_audit },
};

const size_t kn_nroutes = sizeof(kn_routes) / sizeof(*kn_routes);
