/*
 * store_extensions.c — the DL-DECISION extensions of migration 012 (issue
 * 15): at most one a candidacy, read with the candidacy and written once.
 * The deadlines of a subtree read them with their candidacies' steps
 * (S_PIPELINE_DATES), not here, so that no list asks once per row.
 */
#include <stdlib.h>

#include "store/store.h"
#include "store/store_impl.h"
#include "util/banned.h"

enum kn_err store_extension_get(struct store *s, int64_t candidacy_id, struct extension *out)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;

	out->date = KN_DATE_NONE;
	out->doc_no = out->unit = out->actor = NULL;
	arg_int(&a, candidacy_id);
	if ((e = q_first(s, S_EXT_GET, &a, &r)) != KN_OK)
		return e;
	out->date = row_date(&r, 0);
	out->doc_no = row_dup(&r, 1);
	out->unit = row_dup(&r, 2);
	out->actor = row_dup(&r, 3);
	return q_close(&r);
}

enum kn_err store_extension_put(struct store *s, int64_t candidacy_id, const struct extension *x)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, candidacy_id);
	arg_date(&a, x->date);
	arg_text(&a, x->doc_no);
	arg_text(&a, x->unit);
	arg_text(&a, x->actor);
	return q_exec(s, S_EXT_PUT, &a, NULL);
}

void extension_release(struct extension *x)
{
	free(x->doc_no);
	free(x->unit);
	free(x->actor);
	x->doc_no = x->unit = x->actor = NULL;
	x->date = KN_DATE_NONE;
}
