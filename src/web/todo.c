/*
 * todo.c — weak placeholders for the handlers still being written: each
 * answers 501 "not built yet", visibly. A handler's real definition (a
 * strong symbol in its page or API file) replaces its placeholder here;
 * the line goes when the handler lands. Nothing here is called done.
 */
#include "util/i18n.h"
#include "web/handlers.h"
#include "util/banned.h"

__attribute__((unused)) static int todo(struct request *rq, struct response *rs)
{
	return resp_error(rq, rs, 501, _("This page is not built yet."));
}

