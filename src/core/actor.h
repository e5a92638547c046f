/*
 * actor.h — who is acting, and what they may do: one definition of the
 * permissions of PRODUCT.md ("a user sees and changes only their own
 * unit's subtree") and RULES.md §3 (an override needs an approver or
 * admin of a unit above the candidate's), shared by every front end: the
 * web pages, the JSON API, imports and the command line.
 *
 * An actor is an account's name, role and unit. The unit tree is the
 * caller's (core/unitree.h); nothing here touches the store. The
 * pointers in struct actor are borrowed.
 */
#ifndef KN_ACTOR_H
#define KN_ACTOR_H

#include "core/unitree.h"

enum role { ROLE_NONE = 0, ROLE_VIEWER, ROLE_EDITOR, ROLE_APPROVER, ROLE_ADMIN };

/* "viewer" … "admin"; ROLE_NONE for anything else (NULL included). */
enum role role_parse(const char *s);
/* The role's code ("" for ROLE_NONE). */
const char *role_name(enum role r);

struct actor {
	const char *name;	/* account name, for the audit log */
	const char *unit;	/* the unit whose subtree the account may see */
	enum role role;
};

/* The actor's own unit in t, or NULL when it is not there. */
struct unode *actor_scope(const struct actor *a, const struct unitree *t);
/* 1 when the unit n is the actor's unit or below it. */
int actor_may_see(const struct actor *a, const struct unitree *t, const struct unode *n);
/* Permission to record step `step_code` (enum step_code) for a person
 * considered by n: an editor up to the committee vote (and withdrawn /
 * rejected; striking off during probation is an approver's), an approver
 * also decision and official where the actor's unit is the competent
 * committee, an admin anything in the subtree. */
int actor_may_record(const struct actor *a, const struct unitree *t, const struct unode *n,
		     int step_code);
/* 1 when the actor may record a step for a person considered by n despite
 * a broken rule: an approver or admin of a unit strictly above n. */
int actor_may_override(const struct actor *a, const struct unitree *t, const struct unode *n);

#endif
