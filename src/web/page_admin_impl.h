/*
 * page_admin_impl.h — what the administration pages share (private to
 * page_admin.c, page_units.c, page_quotas.c, page_users.c,
 * page_holidays.c, page_policy.c and page_audit.c; defined in page_admin.c): the
 * admin's scope, form and query values, error lists, the links between
 * the pages, the breadcrumbs, the unit picker and the walk of the tree a
 * few levels at a time. Returned strings are borrowed from the request.
 */
#ifndef KN_PAGE_ADMIN_IMPL_H
#define KN_PAGE_ADMIN_IMPL_H

#include "core/unitree.h"
#include "util/buf.h"
#include "web/http.h"

/* 1 when the admin's unit is a top unit (one without a parent). */
int admin_is_root(struct request *rq);
/* The admin's unit, or an error page (NULL) when it is gone. */
struct unode *admin_scope_or_fail(struct request *rq, struct response *rs);
/* A visible unit by code, or NULL. */
struct unode *admin_visible(struct request *rq, const char *code);
/* A form or query value; "" when absent. */
const char *admin_form(struct request *rq, const char *key);
const char *admin_query(struct request *rq, const char *key);
/* s without surrounding spaces, into out. */
void admin_trimmed(const char *s, struct buf *out);
/* A whole number min..max into *out; -1 when s is not one. */
int admin_whole(const char *s, long long min, long long max, long long *out);
/* The year s names (1900..2100), this year otherwise. */
int admin_year_param(const char *s);

/* The lines of an error list, and the list shown ("Nothing was saved:"). */
void admin_error_add(struct buf *errs, const char *msg);
void admin_error_addf(struct buf *errs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void admin_show_errors(struct response *rs, const struct buf *errs);
void admin_notice(struct response *rs, const char *msg);

/* The links between the administration pages, `active` marked. */
void admin_subnav(struct request *rq, struct response *rs, const char *active);
/* A link path?k1=v1 (plus &k2=v2 when k2) into out. */
void admin_link_to(struct buf *out, const char *path, const char *k1, const char *v1,
		   const char *k2, const char *v2);
/* "Scope › … › focus", each a link to path?unit=CODE (plus k2=v2). */
void admin_crumbs(struct request *rq, struct response *rs, struct unode *focus, const char *path,
		  const char *k2, const char *v2);
/* A choice of a unit of the subtree: a <select> for a city, a code field
 * for a tree too large to list. */
void admin_unit_picker(struct request *rq, struct response *rs, const char *name,
		       const char *label, const char *selected, int required);

/* Called for each unit of a walk: rel levels below the focus, cut when
 * its children are not shown. */
typedef void (*admin_tree_fn)(struct request *rq, struct response *rs, struct unode *n, int rel,
			      int cut, void *arg);
/* Visit n and its descendants down to a few levels below it. */
void admin_tree_walk(struct request *rq, struct response *rs, struct unode *n, int rel,
		     admin_tree_fn fn, void *arg);
/* The unit in focus (?unit=), the admin's own by default; NULL (and a
 * 404 page) when it is not in the subtree. */
struct unode *admin_focus_or_404(struct request *rq, struct response *rs, const char *code);
/* "N units below" link for a node whose children are not shown. */
void admin_below_link(struct response *rs, const char *path, const struct unode *n,
		      const char *k2, const char *v2);

#endif
