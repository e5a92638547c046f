/*
 * cmd_export.c — `ketnap export units|people|quotas|steps|holidays [-o FILE]`:
 * write one list as CSV (spec/FORMATS.md) through io/export.c, to standard
 * output or to FILE. A file is written as FILE.tmp and renamed over FILE
 * once complete, so a reader never sees half an export.
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
#include "util/banned.h"

/* Write data to path through path.tmp and a rename; 0 or -1 (reported). */
static int write_atomic(const char *path, const char *data, size_t len)
{
	struct buf tmp = BUF_INIT;
	FILE *f;
	int ok;

	buf_addf(&tmp, "%s.tmp", path);
	f = fopen(tmp.s, "wb");
	if (!f) {
		cmd_error(_("cannot write %s: %s"), tmp.s, strerror(errno));
		buf_release(&tmp);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = fflush(f) == 0 && ok;
	ok = fsync(fileno(f)) == 0 && ok;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp.s, path) != 0) {
		cmd_error(_("cannot write %s: %s"), path, strerror(errno));
		unlink(tmp.s);
		buf_release(&tmp);
		return -1;
	}
	buf_release(&tmp);
	return 0;
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
		cmd_error(_("cannot export '%s'; name one of units, people, quotas, steps, holidays"),
			  argv[optind]);
		return cmd_usage(&cmd_export);
	}
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if ((e = export_csv(s, kind, &out)) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		status = kn_exit_status(e);
	} else if (path) {
		if (write_atomic(path, out.s, out.len) != 0)
			status = EXIT_IO;
	} else if (fwrite(out.s, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		cmd_error(_("cannot write the export: %s"), strerror(errno));
		status = EXIT_IO;
	}
	buf_release(&out);
	return status;
}

const struct command cmd_export = {
	"export",
	"export units|people|quotas|steps|holidays [-o FILE]",
	run,
};
