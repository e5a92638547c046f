/*
 * svc_identity.h — the service layer's part of RULES.md §10 (issue 15):
 * possible duplicates in the actor's scope, merging two records, and the
 * answer to a ref that was merged away. Every front end (`ketnap person
 * duplicates|merge`, the duplicates page, the not-found answers of the
 * command line and the ledger) calls these, so that scope and permission
 * are decided once, as in svc.h.
 *
 * Scope: a pair is listed, and a merged-away ref answered with the ref it
 * went into, only when the people named are in the actor's subtree (both
 * of a pair); otherwise nothing is said, as for an unknown ref.
 */
#ifndef KN_SVC_IDENTITY_H
#define KN_SVC_IDENTITY_H

#include "core/svc.h"
#include "store/store.h"

/* The unit whose subtree the actor sees (NULL: everyone), for the store's
 * duplicate reads. */
const char *svc_dup_top(struct svc *sv);

/* When ref was merged into a person the actor may see: 1, with "REF was
 * merged into KEEP; use KEEP" (translated, no newline) appended to msg;
 * else 0 (also on a storage error, which the caller's own not-found answer
 * then stands for). */
int svc_merged_note(struct svc *sv, const char *ref, struct buf *msg);

/* The possible duplicates of the actor's scope, top (NULL: the actor's
 * whole scope) narrowing it to a unit's subtree (KN_ENOTFOUND when that
 * unit is unknown or outside the scope); as store_dup_pairs(). */
enum kn_err svc_dup_pairs(struct svc *sv, const char *top, long long offset, long long limit,
			  struct dup_pair **out, size_t *n);

/*
 * `person merge KEEP DROP` as the actor (RULES.md §10): DROP's
 * candidacies and steps become KEEP's, DROP is deleted and its ref
 * remembered, one transaction and one audit entry (action "merge", entity
 * "person", key KEEP; before: both records as people.csv rows; after:
 * KEEP's and the ref dropped). Answers, with a sentence in err (no
 * newline):
 *  - KN_ENOTFOUND: a ref unknown or outside the scope (a merged-away
 *    one says what it went into);
 *  - KN_EPERM: the actor is neither an administrator nor an editor (or
 *    approver) whose subtree holds both;
 *  - KN_EINVAL: KEEP and DROP are the same person;
 *  - KN_ECONFLICT: both have an open candidacy, or candidacies of the
 *    two overlap in time (the message names both, with their dates);
 *  - KN_EIO: storage (store_errmsg()).
 * *moved (may be NULL) gets how many candidacies moved.
 */
enum kn_err svc_person_merge(struct svc *sv, const char *keep_ref, const char *drop_ref,
			     size_t *moved, struct buf *err);

#endif
