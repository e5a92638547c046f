/*
 * page_decisions_impl.h — what the decisions queue (page_decisions.c)
 * and the batch decision (page_decision_batch.c) share: the outcome of a
 * batch, which the queue page shows above the queue, and that page.
 */
#ifndef KN_PAGE_DECISIONS_IMPL_H
#define KN_PAGE_DECISIONS_IMPL_H

#include <stddef.h>

#include "util/buf.h"
#include "web/http.h"

/* Numbers of a series: a district numbers its decisions within the year. */
#define SERIES_MAX 9999999L

/* One dossier of a batch decision: recorded under doc_no, or refused. */
struct batch_item {
	char *ref;
	char *full_name;		/* NULL if not found */
	char *doc_no;			/* recorded under, or NULL */
	struct buf why;			/* the reasons of a refusal */
};

struct batch {
	struct batch_item *it;
	size_t n;
	size_t recorded;
	const char *error;		/* the whole batch refused (bad date, series) */
	long next;			/* the number the next decision would take */
};

struct refusal;

/* The queue page (GET /decisions), answered with status; r: a refused
 * single decision to show again, bt: a batch's outcome (either NULL). */
void decisions_queue_page(struct request *rq, struct response *rs, const struct refusal *r,
			  const struct batch *bt, int status);

#endif
