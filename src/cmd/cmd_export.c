/*
 * cmd_export.c — `ketnap export units|people|quotas|steps|holidays|transfers [-o FILE]`:
 * write one list as CSV (spec/FORMATS.md) through io/export.c, to standard
 * output or to FILE. A file is written as FILE.tmp and renamed over FILE
 * once complete, so a reader never sees half an export.
 *
 * An account exports its own subtree only (cmd/ctx.c): the units from its
 * unit down, the people of those units and their steps, the quotas of
 * those units; holidays are everyone's. The rows are the same as the
 * whole export's (io/export.h), in the same order.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "io/export.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include "core/transfer.h"
#include "util/banned.h"

/* Depth-first from n, children sorted by code, as io/export.c does. */
static void units_walk(struct buf *out, const struct unode *n)
{
	export_unit_row(out, &n->u);
	for (size_t i = 0; i < n->nchildren; i++)
		units_walk(out, n->children[i]);
}

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct scoped_steps {
	char **refs;		/* the visible people's refs, sorted by strcmp */
	size_t n;
	struct buf *out;
};

static int step_cb(void *arg, const char *person_ref, const struct step *st)
{
	struct scoped_steps *x = arg;
	if (bsearch(&person_ref, x->refs, x->n, sizeof(*x->refs), ref_cmp))
		export_step_row(x->out, person_ref, st);
	return 0;
}

/* issue 15: the transfers of the people of the subtree (as their steps). */
static int transfer_cb(void *arg, const struct transfer *t)
{
	struct scoped_steps *x = arg;
	if (bsearch(&t->person, x->refs, x->n, sizeof(*x->refs), ref_cmp))
		export_transfer_row(x->out, t);
	return 0;
}

/* The export of kind for the actor's subtree only. */
static enum kn_err export_scoped(struct cmd_ctx *ctx, enum io_kind kind, struct buf *out)
{
	struct store *s = ctx->store;
	struct unitree *t = ctx_tree(ctx);
	enum kn_err e = KN_OK;

	if (!t)
		return KN_EIO;
	if (kind == IO_HOLIDAYS)
		return export_csv(s, kind, out);
	export_header(out, kind);
	if (kind == IO_UNITS) {
		struct unode *top = unitree_find(t, ctx_scope(ctx));
		if (top)
			units_walk(out, top);
	} else if (kind == IO_QUOTAS) {
		struct quota *q;
		size_t n;
		if ((e = store_quota_all(s, &q, &n)) != KN_OK)
			return e;
		for (size_t i = 0; i < n; i++)
			if (ctx_may_see(ctx, q[i].unit))
				export_quota_row(out, &q[i]);
		store_quotas_free(q, n);
	} else {
		struct person *p;
		size_t n;
		struct scoped_steps x = { NULL, 0, out };
		if ((e = store_person_all(s, &p, &n)) != KN_OK)
			return e;
		if (kind == IO_PEOPLE && (e = export_people_dates(s, p, n)) != KN_OK) {
			store_people_free(p, n);
			return e;
		}
		x.refs = xcalloc(n ? n : 1, sizeof(*x.refs));
		for (size_t i = 0; i < n; i++) {
			if (!ctx_may_see(ctx, p[i].unit))
				continue;
			if (kind == IO_PEOPLE)
				export_person_row(out, &p[i]);
			x.refs[x.n++] = p[i].ref;
		}
		if (kind == IO_STEPS) {
			xqsort(x.refs, x.n, sizeof(*x.refs), ref_cmp);
			e = store_step_each(s, step_cb, &x);
		} else if (kind == IO_TRANSFERS) {	/* issue 15 */
			xqsort(x.refs, x.n, sizeof(*x.refs), ref_cmp);
			e = store_transfer_each(s, transfer_cb, &x);
		}
		free(x.refs);
		store_people_free(p, n);
	}
	return e;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	enum io_kind kind;
	struct store *s;
	struct buf out = BUF_INIT;
	int c, status = EXIT_DONE;
	enum kn_err e;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			path = optarg;
			break;
		case 'h':
			printf("%s ketnap %s\n", _("usage:"), cmd_export.usage);
			return EXIT_DONE;
		default:
			return cmd_usage(&cmd_export);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_export);
	if (io_kind_parse(argv[optind], &kind) != 0) {
		cmd_error(_("cannot export '%s'; name one of units, people, quotas, steps, holidays, transfers"),
			  argv[optind]);
		return cmd_usage(&cmd_export);
	}
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	e = ctx_scope(ctx) ? export_scoped(ctx, kind, &out) : export_csv(s, kind, &out);
	if (e != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		status = kn_exit_status(e);
	} else if (path) {
		if (cmd_write_file(path, out.s, out.len) != 0)
			status = EXIT_IO;
	} else if (fwrite(out.s, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		cmd_error(_("cannot write the export: %s"), strerror(errno));
		status = EXIT_IO;
	}
	buf_release(&out);
	return status;
}

static const struct cmd_option export_options[] = {
	{ "output", 'o', "FILE", N_("write to FILE instead of standard output") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_export = {
	"export",
	"export units|people|quotas|steps|holidays|transfers [-o FILE]",
	run, export_options,
	N_("write one kind of record as CSV"),
};
