/*
 * cmd_import.c — `ketnap import units|people|quotas|steps|holidays FILE…
 * [--dry-run] [--override REASON]`: load CSV files (spec/FORMATS.md)
 * through io/import.c. Every file is read into memory before anything is
 * written, and all the files of one command are one transaction: one bad
 * row anywhere and nothing is written. Problems go to stderr as
 * FILE:LINE: column: message, a one-line summary per file to stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "io/import.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Read a whole file into a heap buffer; -1 with errno set on failure. */
static int read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int saved;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		saved = errno ? errno : EIO;
		fclose(f);
		buf_release(&b);
		errno = saved;
		return -1;
	}
	fclose(f);
	*len = b.len;
	*data = buf_detach(&b);
	return 0;
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "override", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts io = { 0 };
	struct import_stats st;
	enum io_kind kind;
	struct store *s;
	char **data = NULL;
	size_t *len = NULL, nfiles, problems = 0;
	struct buf out = BUF_INIT, err = BUF_INIT, ovr = BUF_INIT;
	int c, status = EXIT_DONE, refused = 0, io_fail = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			io.dry_run = 1;
			break;
		case 'o':
			if (text_nfc(optarg, &ovr) != 0 || !*optarg) {
				cmd_error("%s", _("--override needs a reason in UTF-8 text"));
				buf_release(&ovr);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("%s ketnap %s\n", _("usage:"), cmd_import.usage);
			return EXIT_DONE;
		default:
			return cmd_usage(&cmd_import);
		}
	}
	if (argc - optind < 2) {
		buf_release(&ovr);
		return cmd_usage(&cmd_import);
	}
	if (io_kind_parse(argv[optind], &kind) != 0) {
		cmd_error(_("cannot import '%s'; name one of units, people, quotas, steps, holidays"),
			  argv[optind]);
		buf_release(&ovr);
		return cmd_usage(&cmd_import);
	}
	if (ovr.len)
		io.override = ovr.s;
	optind++;
	nfiles = (size_t)(argc - optind);

	/* Read everything first: an unreadable file is an I/O failure before
	 * anything is touched. */
	data = xcalloc(nfiles, sizeof(*data));
	len = xcalloc(nfiles, sizeof(*len));
	for (size_t i = 0; i < nfiles; i++)
		if (read_file(argv[optind + i], &data[i], &len[i]) != 0) {
			cmd_error(_("cannot read %s: %s"), argv[optind + i], strerror(errno));
			status = EXIT_IO;
			goto out;
		}
	if (!(s = ctx_store(ctx, 0))) {
		status = ctx->open_status;
		goto out;
	}
	io.actor = ctx->user;
	io.cal = ctx_calendar(ctx);
	io.progress = progress;

	if (store_begin(s) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		status = EXIT_IO;
		goto out;
	}
	for (size_t i = 0; i < nfiles; i++) {
		const char *name = argv[optind + i];
		enum kn_err e;

		buf_reset(&err);
		e = import_csv(s, kind, name, data[i], len[i], &io, &st, &err);
		progress_done();
		fputs(err.s, stderr);
		problems += st.problems;
		if (e == KN_EIO || e == KN_ENOMEM || e == KN_ECONFLICT)
			io_fail = 1;
		else if (e != KN_OK)
			refused = 1;
		buf_addf(&out, _("%s: %zu rows, %zu added, %zu updated, %zu unchanged"), name,
			 st.rows, st.added, st.updated, st.unchanged);
		buf_addc(&out, '\n');
		free(data[i]);
		data[i] = NULL;
	}
	if (refused || io_fail || io.dry_run) {
		store_rollback(s);
	} else if (store_commit(s) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		io_fail = 1;
	}
	if (io_fail) {
		cmd_error("%s", _("import failed; nothing was written"));
		status = EXIT_IO;
	} else if (refused) {
		cmd_error(_("import refused: %zu problems; nothing was written"), problems);
		status = EXIT_REFUSED;
	} else {
		fputs(out.s, stdout);
		if (io.dry_run)
			printf("%s\n", _("dry run: the files are valid; nothing was written"));
	}
out:
	for (size_t i = 0; data && i < nfiles; i++)
		free(data[i]);
	free(data);
	free(len);
	buf_release(&out);
	buf_release(&err);
	buf_release(&ovr);
	return status;
}

const struct command cmd_import = {
	"import",
	"import units|people|quotas|steps|holidays FILE... [--dry-run] [--override REASON]",
	run,
};
