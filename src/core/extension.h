/*
 * extension.h — the DL-DECISION extension (RULES.md §4, issue 15).
 *
 * The competent committee has 60 working days after the cell vote to
 * decide, "+30 with extension": it may give a dossier before it more time,
 * once, by a document of its own. svc_extend() records that as the acting
 * user, the one way for the command line (`ketnap extend`) and the web
 * (the person page's action); extension_deadlines() gives a single
 * candidacy's deadlines with its extension (the lists read the extension
 * with the steps, store_pipeline_dates).
 *
 * Who: whoever may record the candidate's decision (actor_may_record for
 * STEP_DECISION): an approver of the competent committee, or an admin
 * whose subtree holds the candidate. When: while the decision is pending,
 * i.e. the open candidacy has its cell vote dated on or before the
 * extension's date and no decision; the date is not after today.
 */
#ifndef KN_EXTENSION_H
#define KN_EXTENSION_H

#include "core/deadline.h"
#include "core/ledger.h"
#include "core/svc.h"
#include "store/store.h"

struct extend_req {
	const char *ref;	/* the candidate */
	kn_date date;		/* KN_DATE_NONE: today */
	const char *doc_no;	/* the committee's document, required */
};

struct extend_res {
	struct person person;		/* zeroed when not found */
	struct extension x;		/* written (or, on KN_ECONFLICT, the one there) */
	kn_date due_before, due_after;	/* DL-DECISION without and with it (on success) */
	struct buf msg;			/* why not, one sentence in the user's language */
};

/*
 * Record the extension req asks for, as sv's actor, in one transaction
 * with its audit entry. Answers, in this order:
 *  - KN_ENOTFOUND: no such person in the scope;
 *  - KN_EINVAL: no document number, or a date after today (msg);
 *  - KN_EPERM: the actor may not decide for this candidate (msg names the
 *    competent committee);
 *  - KN_ERULE: no decision is pending on that date (msg says what is);
 *  - KN_ECONFLICT: the dossier was extended already (msg, res->x);
 *  - storage errors (store_errmsg).
 */
enum kn_err svc_extend(struct svc *sv, const struct extend_req *req, struct extend_res *res);
void extend_res_release(struct extend_res *res);

/* The deadlines of the open candidacy `open` on l->today, under the
 * policy in force then, with its extension read from the store; *x (may
 * be NULL) gets the extension (date KN_DATE_NONE without: release it
 * either way). *out as deadlines_for(). For the pages of one person. */
size_t extension_deadlines(struct ledger *l, const struct candidacy *open, struct extension *x,
			   struct deadline **out);

#endif
