/*
 * svc_transfer.c — see svc_transfer.h. The `out` is an editor's (or
 * higher) of the sending unit's subtree, who finds the person as any
 * front end does; the destination may lie outside that subtree (named by
 * code). The `in` is an editor's of the destination's subtree, who may
 * see the one person in transit to them and nobody else of the sending
 * side: a person not in transit to their subtree is "not found", exactly
 * like an unknown ref. KN-TRANSFER-OPEN and KN-TRANSFER-DEST are
 * overridable as step rules are, by an approver or administrator above
 * the sending unit, and the reason is kept with the transfer.
 */
#include <stdlib.h>
#include <string.h>

#include "core/svc_transfer.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

void svc_transfer_res_release(struct transfer_res *res)
{
	person_release(&res->person);
	memset(&res->person, 0, sizeof(res->person));
	transfer_release(&res->t);
	violations_release(&res->v);
	buf_release(&res->err);
}

static const struct candidacy *open_of(const struct candidacy *cs, size_t n)
{
	return n && cs[n - 1].open ? &cs[n - 1] : NULL;
}

/* The transfer's audit entry, then the commit (or the rollback). */
static enum kn_err audit_commit(struct svc *sv, const char *action, const char *ref,
				const struct transfer *t)
{
	struct buf desc = BUF_INIT;
	enum kn_err e;
	transfer_describe(t, &desc);
	e = store_audit(sv->store, sv->actor.name ? sv->actor.name : "", action, "transfer", ref,
			NULL, desc.s);
	buf_release(&desc);
	if (e == KN_OK)
		e = store_commit(sv->store);
	else
		store_rollback(sv->store);
	return e;
}

static enum kn_err do_out(struct svc *sv, const struct transfer_req *req, struct transfer_res *res)
{
	struct transfer *prior = NULL;
	struct candidacy *cs = NULL;
	size_t nprior = 0, nc = 0;
	struct unitree *tree = svc_tree(sv);
	struct person *p = &res->person;
	struct unode *dest;
	enum kn_err e;
	char d[11];

	if ((e = svc_person_find(sv, req->ref, p)) != KN_OK)
		return e;
	if (!tree)
		return KN_EIO;
	if (!svc_may_record(sv, p->unit, STEP_SOURCE)) {
		res->deny = TRANSFER_DENY_OUT;
		return KN_EPERM;
	}
	if (!req->to || !(dest = unitree_find(tree, req->to))) {
		buf_addf(&res->err, _("no unit with code %s; `ketnap unit tree` lists the codes"),
			 req->to ? req->to : "");
		return KN_EINVAL;
	}
	date_format_user(req->date, d);
	if (req->date > req->today) {
		char t2[11];
		date_format_user(req->today, t2);
		buf_addf(&res->err, _("the letter is dated %s, after today (%s); record a transfer "
				      "only once the letter is written"), d, t2);
		return KN_EINVAL;
	}
	if ((e = store_transfers_of(sv->store, p->id, &prior, &nprior)) != KN_OK ||
	    (e = store_candidacies_of(sv->store, p->id, &cs, &nc)) != KN_OK)
		goto out;
	if (nprior && prior[nprior - 1].in_date != KN_DATE_NONE &&
	    req->date < prior[nprior - 1].in_date) {
		char a[11];
		date_format_user(prior[nprior - 1].in_date, a);
		buf_addf(&res->err, _("%s arrived at %s on %s; a new letter cannot be dated before "
				      "that (%s)"), p->ref, prior[nprior - 1].to, a, d);
		e = KN_EINVAL;
		goto out;
	}
	struct transfer_facts f = { p, prior, nprior, open_of(cs, nc), dest, p->unit, req->date };
	transfer_check(&f, &res->v);
	if (res->v.n && !req->override) {
		e = KN_ERULE;
		goto out;
	}
	if (res->v.n && !svc_may_override(sv, p->unit)) {
		res->deny = TRANSFER_DENY_OVERRIDE;
		e = KN_EPERM;
		goto out;
	}
	struct transfer *t = &res->t;
	t->person = xstrdup(p->ref);
	t->out_date = req->date;
	t->from = xstrdup(p->unit);
	t->to = xstrdup(dest->u.code);
	t->doc_no = req->doc_no ? xstrdup(req->doc_no) : NULL;
	t->note = req->note ? xstrdup(req->note) : NULL;
	if (res->v.n) {	/* no reason kept for a rule not broken */
		t->override = xstrdup(req->override);
		t->override_by = xstrdup(sv->actor.name ? sv->actor.name : "");
	}
	t->recorded_by = xstrdup(sv->actor.name ? sv->actor.name : "");
	if ((e = store_begin(sv->store)) != KN_OK)
		goto out;
	if ((e = store_transfer_add(sv->store, p->id, t, &t->id)) != KN_OK) {
		store_rollback(sv->store);
		goto out;
	}
	e = audit_commit(sv, res->v.n ? "transfer-override" : "transfer-out", p->ref, t);
out:
	transfers_free(prior, nprior);
	store_candidacies_free(cs, nc);
	return e;
}

static enum kn_err do_in(struct svc *sv, const struct transfer_req *req, struct transfer_res *res)
{
	struct transfer *prior = NULL;
	struct candidacy *cs = NULL;
	size_t nprior = 0, nc = 0;
	const struct transfer *t = NULL;
	struct person *p = &res->person;
	enum kn_err e;
	char d[11], od[11];

	e = req->ref && *req->ref ? store_person_get(sv->store, req->ref, p) : KN_ENOTFOUND;
	if (e == KN_OK && (e = store_transfers_of(sv->store, p->id, &prior, &nprior)) == KN_OK)
		t = transfer_pending(prior, nprior);
	if (e != KN_OK)
		goto hide;
	/* Only the destination's side meets the person in transit; the
	 * sending side still sees them as its own. */
	if (!svc_may_see(sv, p->unit) && !(t && svc_may_see(sv, t->to))) {
		e = KN_ENOTFOUND;
		goto hide;
	}
	if (!t) {
		buf_addf(&res->err, _("%s is not in transit; the sending unit records the letter "
				      "first (transfer REF --to UNIT)"), p->ref);
		e = KN_EINVAL;
		goto out;
	}
	if (!svc_may_record(sv, t->to, STEP_SOURCE)) {
		res->deny = TRANSFER_DENY_IN;
		transfer_release(&res->t);
		res->t = *t;	/* the caller names the destination */
		res->t.from = xstrdup(t->from);
		res->t.to = xstrdup(t->to);
		res->t.person = res->t.doc_no = res->t.note = res->t.override = NULL;
		res->t.override_by = res->t.recorded_by = res->t.recorded_at = NULL;
		e = KN_EPERM;
		goto out;
	}
	date_format_user(req->date, d);
	date_format_user(t->out_date, od);
	if (req->date > req->today || req->date < t->out_date) {
		char t2[11];
		date_format_user(req->today, t2);
		buf_addf(&res->err, _("the arrival of %s is dated %s; it must be on or after the "
				      "letter (%s) and not after today (%s)"), p->ref, d, od, t2);
		e = KN_EINVAL;
		goto out;
	}
	if ((e = store_candidacies_of(sv->store, p->id, &cs, &nc)) != KN_OK)
		goto out;
	const struct candidacy *open = open_of(cs, nc);
	if ((e = store_begin(sv->store)) != KN_OK)
		goto out;
	if ((e = store_transfer_arrive(sv->store, t, req->date, p->id, open ? open->id : 0))
	    != KN_OK) {
		store_rollback(sv->store);
		goto out;
	}
	{
		struct transfer *r = &res->t;
		transfer_release(r);
		r->id = t->id;
		r->person = xstrdup(p->ref);
		r->out_date = t->out_date;
		r->from = xstrdup(t->from);
		r->to = xstrdup(t->to);
		r->in_date = req->date;
		r->doc_no = t->doc_no ? xstrdup(t->doc_no) : NULL;
		r->note = t->note ? xstrdup(t->note) : NULL;
		r->override = t->override ? xstrdup(t->override) : NULL;
		e = audit_commit(sv, "transfer-in", p->ref, r);
	}
	goto out;
hide:
	if (e == KN_ENOTFOUND)
		person_release(p);	/* empty again, as person_init() leaves it */
out:
	transfers_free(prior, nprior);
	store_candidacies_free(cs, nc);
	return e;
}

enum kn_err svc_transfer(struct svc *sv, const struct transfer_req *req, struct transfer_res *res)
{
	memset(res, 0, sizeof(*res));
	res->err = (struct buf)BUF_INIT;
	transfer_init(&res->t);
	return req->arrived ? do_in(sv, req, res) : do_out(sv, req, res);
}
