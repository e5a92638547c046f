/*
 * svc_transfer.h — recording a transfer's `out` or `in` as the acting
 * user (RULES.md §8, issue 15): the one path of `ketnap transfer` and the
 * web pages, as svc.h is for steps. It finds the person in the actor's
 * scope (for an `in`: also the one person in transit to it), judges the
 * permission, the dates and the rules of transfer.h, and writes the
 * transfer with its audit entry in one transaction.
 */
#ifndef KN_SVC_TRANSFER_H
#define KN_SVC_TRANSFER_H

#include "core/svc.h"
#include "core/transfer.h"

/* Why svc_transfer() answered KN_EPERM. */
enum transfer_deny {
	TRANSFER_ALLOWED = 0,
	TRANSFER_DENY_OUT,		/* not an editor of the sending unit's subtree */
	TRANSFER_DENY_OVERRIDE,		/* an override from someone who may not */
	TRANSFER_DENY_IN,		/* not an editor of the destination's subtree */
};

struct transfer_req {
	const char *ref;
	int arrived;			/* 0: the letter (`out`) to `to`; 1: the `in` */
	const char *to;			/* unit code (out) */
	kn_date date;			/* the letter's or the arrival's date */
	kn_date today;
	const char *doc_no, *note, *override;	/* out; NULL: none */
};

/* What svc_transfer() found and did; svc_transfer_res_release(). */
struct transfer_res {
	struct person person;		/* zeroed when not found */
	struct transfer t;		/* the transfer recorded (or refused) */
	struct violations v;		/* broken rules (overridden ones on success) */
	enum transfer_deny deny;
	struct buf err;			/* a refusal that is no rule, one sentence */
};

/*
 * Record the out or the in of req as the actor of sv:
 *  - KN_ENOTFOUND: no such person in the scope (for an in: nor in transit
 *    to it);
 *  - KN_EPERM: res->deny says why;
 *  - KN_EINVAL: res->err says why (an unknown unit, a date, not in transit);
 *  - KN_ERULE: res->v, nothing written (without an override reason);
 *  - KN_OK: written (res->v lists the rules overridden), or a storage
 *    error (store_errmsg()).
 */
enum kn_err svc_transfer(struct svc *sv, const struct transfer_req *req, struct transfer_res *res);
void svc_transfer_res_release(struct transfer_res *res);

#endif
