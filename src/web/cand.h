/*
 * cand.h — what the candidates' pages share: the candidate's page
 * (page_cand.c) shows the step and ending forms of page_step.c, and
 * page_step.c answers a POST with the candidate's page again. Every
 * person and unit goes through the service as the signed-in user
 * (req_svc, core/svc.h): one outside the user's subtree is "no such
 * person", 404, exactly as one that does not exist.
 */
#ifndef KN_CAND_H
#define KN_CAND_H

#include "core/ledger.h"
#include "store/store.h"
#include "web/form.h"
#include "web/http.h"

/* What a POST to /step/REF brings back to the page. */
struct step_view {
	struct form *form;		/* the step form as typed (or NULL) */
	enum step_code code;		/* the step that form is for */
	const char *error;		/* a banner */
	const struct violations *v;	/* rules that refuse (or refused) it */
	const char *need;		/* "column: message" lines: what it still needs */
	int checked;			/* the check button: say so when nothing refuses */
	int refused;			/* the record button, refused */
	kn_date date;			/* the date the step was judged for */
};

/* page_cand.c */
/* The unit's name in the request's tree (the code when unknown). */
const char *cand_unit_name(struct request *rq, const char *code);
/* /people/REF (REF URL-encoded) appended to out. */
void cand_href(struct buf *out, const char *ref);
/* 404 "No such person." / 500 with the store's message in the log. */
int cand_not_found(struct request *rq, struct response *rs);
int cand_store_failed(struct request *rq, struct response *rs);
/* svc_person_find() / svc_ledger_open() as the signed-in user. */
enum kn_err cand_person(struct request *rq, const char *ref, struct person *p);
enum kn_err cand_ledger_open(struct request *rq, struct ledger *l, struct buf *err);
/* The candidate's page with this status; sv (may be NULL) brings a
 * POST's outcome back. Returns 0. */
int cand_page(struct request *rq, struct response *rs, const char *ref,
	      const struct step_view *sv, int status);

/* page_cand_list.c */
/* How a list of top's subtree is read (store.h's enum cand_plan): by unit
 * when the subtree is small beside the whole tree, else walking everyone
 * in name order, or, once the count (total; -1: not counted) said fewer
 * than cap pass, sorting those. KETNAP_LIST_PLAN=walk, unit or scan in
 * the server's environment forces one (the tests run each). */
enum cand_plan cand_plan(struct request *rq, const struct unode *top, long long total,
			 long long cap);
/* store_cand_count() through the answer cache (web/cache.h): a list's
 * count is the same for everyone with the same filters until the next
 * write, and counting a province's people is most of a page's time. Under
 * a stream of writes it may lag as the cache says; never behind the
 * user's own writes through this server. */
enum kn_err cand_count(struct request *rq, const struct cand_filter *f, long long cap,
		       long long *n);

/* Issue 13: the rows a typed page number (`page=N` without a cursor) may
 * skip on a long list (its count reached the cap) that is not read from
 * the indexes of migration 018 (store_cand_keyed): a status judged by the
 * steps or a stage skips rows at some 0.5 ms each at a nation's root, so
 * page 1000 took 10–20 s of a core. Beyond, the request is refused with
 * a message; the pager's links (`after`, `before`) reach any page. */
#define CAND_TYPED_SKIP_MAX 100

/* page_step.c */
/* The outcome of a check or a refusal: what is missing, which rules refuse. */
void cand_judged(struct response *rs, const struct step_view *sv, enum step_code code);
/* Steps that may be recorded instead of the next one. */
int cand_alternative_ok(const struct candidacy *open, enum step_code next, enum step_code s);
/* The form of step `code` (next: the pipeline's next step), drawn for
 * the version token `version`. */
void cand_step_form(struct request *rq, struct response *rs, const struct person *p,
		    const struct candidacy *open, enum step_code next, enum step_code code,
		    struct form *f, const char *version);
/* The form that ends the open candidacy; f: as posted, or NULL. */
void cand_ending_form(struct request *rq, struct response *rs, const struct person *p,
		      const struct candidacy *open, struct form *f, const char *version);

#endif
