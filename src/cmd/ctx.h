/*
 * ctx.h — the command line's acting account as the service layer's actor
 * (core/svc.h). The rest of what a command gets is in cmd.h.
 */
#ifndef KN_CTX_H
#define KN_CTX_H

#include "cmd/cmd.h"
#include "core/svc.h"

/* The service as the command's account (--user), or, on a database
 * without accounts, as an administrator of every root; with the
 * command's store (ctx_store() must have opened it), calendar and unit
 * tree, borrowed. svc_release() when done. */
void ctx_svc(struct cmd_ctx *ctx, struct svc *sv);

#endif
