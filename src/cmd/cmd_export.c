/*
 * cmd_export.c — `ketnap export units|people|quotas|steps|holidays|transfers [-o FILE]`:
 * write one list as CSV (spec/FORMATS.md) through io/export.c, to standard
 * output or to FILE. Issue 13: the rows are written as they are read,
 * flushed every 64 KB (KETNAP_REPORT_FLUSH_BYTES, as the streamed reports:
 * a test's few rows a flush), so that the nation's export takes the memory
 * of a district's. A file is written beside FILE and renamed over it once
 * complete (cmd_file_open), so a reader never sees half an export and a
 * failure midway leaves FILE as it was.
 *
 * An account exports its own subtree only (cmd/ctx.c): the units from its
 * unit down, the people of those units and their steps and transfers, the
 * quotas of those units; holidays are everyone's. The rows are the same
 * as the whole export's (io/export.h), in the same order.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "io/export.h"
#include "io/report_text.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/banned.h"

/* Where the rows go: standard output or a file opened by cmd_file_open. */
struct export_out {
	FILE *f;
	const char *path;	/* NULL: standard output */
	struct cmd_file file;
};

static int out_flush(struct report_sink *k)
{
	struct export_out *o = k->arg;

	if (fwrite(k->buf.s, 1, k->buf.len, o->f) == k->buf.len)
		return 0;
	if (o->path)
		cmd_error(_("cannot write %s: %s"), o->path, strerror(errno));
	else
		cmd_error(_("cannot write the export: %s"), strerror(errno));
	return -1;
}

/* The export of kind (the actor's subtree only, with an account) written
 * to path (NULL: standard output): EXIT_DONE, or the failure's status. */
static int export_write(struct cmd_ctx *ctx, enum io_kind kind, const char *path)
{
	struct store *s = ctx->store;
	struct export_out o = { stdout, path, { NULL, NULL, NULL } };
	struct report_sink k = { BUF_INIT, cmd_flush_bytes(), out_flush, &o, 0 };
	enum kn_err e;
	int ok;

	if (path) {
		if (cmd_file_open(&o.file, path) != 0)
			return EXIT_IO;
		o.f = o.file.f;
	}
	e = export_stream(s, kind, ctx_scope(ctx), &k);
	if (e != KN_OK && !k.failed)	/* else the flush said why */
		cmd_error("%s", store_errmsg(s));
	ok = e == KN_OK;
	if (path) {
		if (cmd_file_close(&o.file, ok) != 0 && ok) {
			ok = 0;
			e = KN_EIO;
		}
	} else if (ok && fflush(stdout) != 0) {
		cmd_error(_("cannot write the export: %s"), strerror(errno));
		e = KN_EIO;
	}
	buf_release(&k.buf);
	return e == KN_OK ? EXIT_DONE : kn_exit_status(e);
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
	int c;

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
	if (!ctx_store(ctx, 0))
		return ctx->open_status;
	/* "-": standard output, as for the reports (cmd_report.c). */
	return export_write(ctx, kind, path && strcmp(path, "-") != 0 ? path : NULL);
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
