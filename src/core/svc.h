/*
 * svc.h — the service layer: what every front end does around the rules.
 *
 * The web pages, the JSON API and the command line all find a person the
 * acting user may see, open the ledger, and check or record a step with
 * the version the user saw. They used to do it each their own way; this
 * module is the one way. A front end translates its input (a form, a JSON
 * body, options) into a struct step and a struct svc_step_req, calls
 * svc_step(), and renders what comes back: svc_step() decides scope,
 * permission and freshness and calls ledger_step(), and never calls back
 * into the front end. So the authorisation matrix is this module's.
 *
 * Scope: an actor (core/actor.h) sees their unit's subtree; a person or
 * unit outside it is KN_ENOTFOUND, exactly like an unknown ref, so that
 * nothing tells apart what the actor may not see. The command line
 * without an account (`all`) acts as an administrator of every root.
 *
 * Nothing here knows HTTP or the terminal: permission refusals come back
 * as KN_EPERM with the reason in svc_step_res.deny, and each front end
 * words them as it always has. Messages built here (err lines) are the
 * ledger's "column: message" lines.
 */
#ifndef KN_SVC_H
#define KN_SVC_H

#include <stdint.h>

#include "core/actor.h"
#include "core/ledger.h"
#include "util/buf.h"
#include "util/err.h"

struct store;

/* The acting user and what they act on, for one request or command. The
 * store, the calendar, the actor's strings and a given tree are borrowed;
 * a tree the service loads itself is its own (svc_release). */
struct svc {
	struct store *store;
	struct calendar *cal;
	struct actor actor;
	int all;			/* no scope: every unit (local admin) */
	struct unitree *tree;		/* the caller's, or &own once loaded */
	struct unitree own;
	int own_loaded;
};

/* Nothing is allocated; tree may be NULL (loaded on first use). */
void svc_init(struct svc *sv, struct store *s, struct calendar *cal, const struct actor *a,
	      int all, struct unitree *tree);
void svc_release(struct svc *sv);

/* The unit tree; NULL on a storage error. */
struct unitree *svc_tree(struct svc *sv);

/* The scope and the permissions of core/actor.h, with `all` honoured:
 * the one place where a front end asks them. unit_code may be NULL. */
int svc_may_see(struct svc *sv, const char *unit_code);
int svc_may_record(struct svc *sv, const char *unit_code, int step_code);
int svc_may_override(struct svc *sv, const char *unit_code);

/* The person of ref when the actor may see them: KN_OK (out is the
 * caller's to person_release), KN_ENOTFOUND for an unknown or empty ref
 * and for a person outside the scope alike (out zeroed), or a storage
 * error (store_errmsg). */
enum kn_err svc_person_find(struct svc *sv, const char *ref, struct person *out);

/* ledger_open() as the actor: audit name, scope for referenced people.
 * The ledger borrows the tree given to svc_init() (which must outlive
 * it); without one it reads its own. */
enum kn_err svc_ledger_open(struct svc *sv, struct ledger *l, struct buf *err);

/* "ID:VERSION" of the latest of the candidacies cs[0..nc) ("-" without
 * one), appended to token: the state a step form is drawn for.
 * *open_version gets its version when it is open, else -1. */
enum kn_err svc_version_token(struct svc *sv, const struct candidacy *cs, size_t nc,
			      struct buf *token, int64_t *open_version);
/* The version of the latest candidacy (the API's number); 0 without one. */
enum kn_err svc_latest_version(struct svc *sv, const struct candidacy *cs, size_t nc,
			       int64_t *version);

/* The step that comes next for the person: as ledger_next_step() on
 * their latest candidacy and their considering unit's kind. */
enum kn_err svc_next_step(struct svc *sv, const struct person *p, enum step_code *next);

/* Why svc_step() answered KN_EPERM (or, for SVC_HIDDEN_ORG, KN_EINVAL). */
enum svc_deny {
	SVC_ALLOWED = 0,
	SVC_DENY_RECORD,	/* the role or unit may not record this step */
	SVC_DENY_OVERRIDE,	/* an override reason from someone who may not override */
	SVC_HIDDEN_ORG,		/* the deciding committee named is outside the scope */
};

/* A step to check or record. */
struct svc_step_req {
	const char *ref;		/* the candidate */
	struct step *st;		/* code set; a date of KN_DATE_NONE becomes
					   the ledger's today (written back) */
	int check;			/* judge only (LEDGER_CHECK): no permission
					   needed, nothing written */
	/* Freshness (writes only): the token a form was drawn for
	 * (svc_version_token; with use_token, NULL counts as stale), or the
	 * latest version a client saw (svc_latest_version; -1: none). */
	int use_token;
	const char *token;
	int64_t expect_version;
	/* The front end found the input wrong: answer scope, permission and
	 * freshness, then stop with KN_EINVAL before the ledger. */
	int invalid;
	/* decision / official: recorded for the actor's own committee (an
	 * administrator's: the candidate's competent committee), as a form
	 * that does not ask for it. */
	int committee_org;
	/* Report every referenced person and unit outside the scope as an
	 * unknown one, all at once, before the ledger runs (the command
	 * line); otherwise the ledger reports the first one. */
	int hidden_refs;
	/* After a write, read the person's candidacies and the version
	 * into the result, in the write's transaction. */
	int result;
};

/* What svc_step() found and did; svc_step_res_release() frees it. */
struct svc_step_res {
	struct person person;		/* the candidate (zeroed when not found) */
	enum svc_deny deny;
	int may_record;			/* the actor's permissions for this step */
	int may_override;
	struct violations v;		/* broken rules (overridden ones on success) */
	struct buf err;			/* "column: message" lines */
	enum ledger_outcome outcome;
	int stale;			/* KN_ECONFLICT: the token or version was
					   already stale before the ledger ran */
	int64_t version;		/* latest version: after a write (with
					   req->result), or the current one when stale */
	struct candidacy *cs;		/* after a write (req->result): the
					   person's candidacies */
	size_t nc;
};

/*
 * Check or record req->st for req->ref as the actor, in this order:
 *  - KN_ENOTFOUND: no such person in the scope;
 *  - KN_EPERM (writes): deny says whether recording or overriding;
 *  - KN_EINVAL with deny = SVC_HIDDEN_ORG (writes), or with err lines for
 *    hidden refs (req->hidden_refs);
 *  - KN_ECONFLICT with stale set: the token or version is not current;
 *  - KN_EINVAL with req->invalid;
 *  - then ledger_step()'s own answers (KN_ERULE, KN_EINVAL, KN_ECONFLICT …).
 * A write with a token, a version or req->result runs in one
 * transaction: the version read, the step, its audit entry and the
 * version after it. Storage errors: store_errmsg().
 */
enum kn_err svc_step(struct svc *sv, const struct svc_step_req *req, struct svc_step_res *res);
void svc_step_res_release(struct svc_step_res *res);

#endif
