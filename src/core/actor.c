/* actor.c — see actor.h. */
#include <string.h>

#include "core/actor.h"
#include "core/model.h"
#include "util/banned.h"

static const char *const role_names[] = { "", "viewer", "editor", "approver", "admin" };

enum role role_parse(const char *s)
{
	for (int i = 1; i <= ROLE_ADMIN; i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	return (unsigned)r <= ROLE_ADMIN ? role_names[r] : "";
}

struct unode *actor_scope(const struct actor *a, const struct unitree *t)
{
	return a && a->unit && t ? unitree_find(t, a->unit) : NULL;
}

int actor_may_see(const struct actor *a, const struct unitree *t, const struct unode *n)
{
	struct unode *scope = actor_scope(a, t);
	return n && scope && a->role != ROLE_NONE && unitree_within(n, scope);
}

int actor_may_record(const struct actor *a, const struct unitree *t, const struct unode *n,
		     int step_code)
{
	if (!actor_may_see(a, t, n))
		return 0;
	switch (a->role) {
	case ROLE_ADMIN:
		return 1;
	case ROLE_APPROVER:
		if (step_code == STEP_DECISION || step_code == STEP_OFFICIAL) {
			struct unode *c = unitree_competent((struct unode *)n);
			return c && strcmp(c->u.code, a->unit) == 0;
		}
		return 1;
	case ROLE_EDITOR:
		return step_code != STEP_DECISION && step_code != STEP_OFFICIAL &&
		       step_code != STEP_CEREMONY && step_code != STEP_PROBATION_VOTE &&
		       step_code != STEP_STRUCK_OFF;
	default:
		return 0;
	}
}

int actor_may_override(const struct actor *a, const struct unitree *t, const struct unode *n)
{
	struct unode *scope = actor_scope(a, t);
	return a && a->role >= ROLE_APPROVER && n && scope && n != scope &&
	       unitree_within(n, scope);
}
