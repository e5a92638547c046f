/*
 * page_extend.c — POST /extend/REF: the competent committee extends the
 * decision deadline of a dossier (RULES.md §4, issue 15) from the form
 * under the person page's deadlines. Who and when are core/extension.c's
 * (svc_extend, the same as `ketnap extend`); a person outside the user's
 * subtree is not found, as an unknown ref.
 */
#include <stdio.h>
#include <string.h>

#include "core/extension.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/text.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/server.h"
#include "util/banned.h"

int h_extend(struct request *rq, struct response *rs)
{
	const char *doc = kv_get(&rq->form, "doc_no");
	const char *date = kv_get(&rq->form, "date");
	struct extend_req req = { rq->arg, KN_DATE_NONE, NULL };
	struct extend_res res;
	struct buf docn = BUF_INIT, to = BUF_INIT;
	struct svc sv;
	enum kn_err e;

	if (date && *date && date_parse(date, &req.date) != 0)
		return resp_error(rq, rs, 422, _("The date is not a date; write DD/MM/YYYY."));
	if (doc && *doc) {
		if (text_nfc(doc, &docn) != 0 || docn.len > 64) {
			buf_release(&docn);
			return resp_error(rq, rs, 422, _("The document number is not valid text."));
		}
		req.doc_no = docn.s;
	}
	req_svc(rq, &sv);
	e = svc_extend(&sv, &req, &res);
	if (e == KN_OK) {
		buf_adds(&to, "/people/");
		url_encode(&to, res.person.ref);
		buf_adds(&to, "?done=extended");
		resp_redirect(rs, to.s);
	} else if (e == KN_ENOTFOUND) {
		resp_error(rq, rs, 404, _("No such person."));
	} else if (e == KN_EPERM) {
		resp_error(rq, rs, 403, res.msg.s);
	} else if (e == KN_ERULE || e == KN_EINVAL || e == KN_ECONFLICT) {
		/* Extended already is a refusal of what was asked (it is given
		 * once), not a lost update: 422 as for the other refusals. */
		resp_error(rq, rs, 422, res.msg.s);
	} else {
		fprintf(stderr, "ketnap serve: %s: %s\n", rq->path, res.msg.s);
		resp_error(rq, rs, 500, _("The database could not be read or written; try again."));
	}
	extend_res_release(&res);
	svc_release(&sv);
	buf_release(&docn);
	buf_release(&to);
	return 0;
}
