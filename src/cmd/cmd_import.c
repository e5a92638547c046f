/*
 * cmd_import.c — `ketnap import units|people|quotas|steps|holidays|transfers FILE…
 * [--dry-run] [--override REASON]`: load CSV files (spec/FORMATS.md)
 * through io/import.c. Every file is read into memory before anything is
 * written, and all the files of one command are one transaction: one bad
 * row anywhere and nothing is written. Problems go to stderr as
 * FILE:LINE: column: message, a one-line summary per file to stdout.
 *
 * An account imports into its own subtree only (cmd/ctx.c), as on the
 * web's import page: before the importer runs, every file goes through
 * the subtree check of core/svc_import.h (the web's too); a row
 * reaching outside the subtree refuses the whole command, named by its
 * line. People referred to from outside the subtree are "not found", as
 * unknown refs are. Units need an administrator, people an editor, quotas
 * an approver, step rows the role `ketnap step` needs for them, holidays
 * (everyone's calendar) an administrator of a top unit; an override needs
 * an approver or administrator above the candidate's unit (RULES.md §3).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/svc_import.h"
#include "io/import.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Map a regular file read-only (*mapped set), or read any other (a pipe,
 * /dev/stdin) into a heap buffer; -1 with errno set on failure. A map
 * rather than a copy: a national steps file is hundreds of megabytes, and
 * its pages, read once in order, are the kernel's to drop again, where a
 * heap copy (grown by doubling) would hold up to twice the file. A file
 * cut short by another program during the import ends the process
 * (SIGBUS) before its commit: nothing is written, as for kill -9. */
static int read_file(const char *path, char **data, size_t *len, int *mapped)
{
	FILE *f;
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	int saved, fd;
	struct stat st;

	*mapped = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
			void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (p != MAP_FAILED) {
				madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
				close(fd);
				*data = p;
				*len = (size_t)st.st_size;
				*mapped = 1;
				return 0;
			}
		}
		close(fd);
	}
	if (!(f = fopen(path, "rb")))
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

/* Give back what read_file() returned (NULL: nothing). */
static void file_release(char *data, size_t len, int mapped)
{
	if (data && mapped)
		munmap(data, len);
	else
		free(data);
}

/* The problems of the subtree check (core/svc_import.h), as
 * "FILE:LINE: column: message" lines into out. */
static void scope_lines(const struct svc_import_scope *sc, const char *file,
			const struct svc_import_problems *p, struct buf *out)
{
	struct buf msg = BUF_INIT;
	for (size_t i = 0; i < p->n; i++) {
		buf_addf(out, "%s:%zu: %s: ", file, p->v[i].line, p->v[i].column);
		buf_reset(&msg);
		svc_import_describe(sc, &p->v[i], &msg);
		text_printable(msg.s, out);
		buf_addc(out, '\n');
	}
	buf_release(&msg);
}

/* import_opts.may_override: RULES.md §3, as on the web. */
/* Print text's lines on stderr, each made safe for a terminal (the
 * importer quotes cells, but a file name or a warning may hold controls). */
static void put_safe_lines(const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct buf line = BUF_INIT, safe = BUF_INIT;
		buf_add(&line, p, n);
		fprintf(stderr, "%s\n", cmd_safe(&safe, line.s));
		buf_release(&line);
		buf_release(&safe);
		p += n + (nl ? 1 : 0);
	}
}

static int may_override(void *arg, const char *unit_code)
{
	return ctx_may_override(arg, unit_code);
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
	int *mapped = NULL;
	struct buf out = BUF_INIT, err = BUF_INIT, ovr = BUF_INIT;
	struct buf warn = BUF_INIT;	/* issue 15: possible duplicates */
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
		cmd_error(_("cannot import '%s'; name one of units, people, quotas, steps, holidays, transfers"),
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
	mapped = xcalloc(nfiles, sizeof(*mapped));
	for (size_t i = 0; i < nfiles; i++)
		if (read_file(argv[optind + i], &data[i], &len[i], &mapped[i]) != 0) {
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
	if (kind == IO_HOLIDAYS && (status = ctx_need_root_admin(ctx, "import holidays")) != EXIT_DONE)
		goto out;
	if (ctx_scope(ctx)) {
		struct svc_import_scope sc = { s, ctx_tree(ctx), &ctx->actor, 0 };
		struct buf lines = BUF_INIT;
		size_t n = 0;
		if (!sc.tree) {
			status = EXIT_IO;
			goto out;
		}
		if (!unitree_find(sc.tree, ctx_scope(ctx)) || ctx->actor.role < svc_import_role(kind)) {
			cmd_error(_("%s, %s of %s, may not import %s; that needs the role %s or above"),
				  ctx->user, role_name(ctx->actor.role), ctx_scope(ctx),
				  io_kind_name(kind), role_name(svc_import_role(kind)));
			status = EXIT_REFUSED;
			goto out;
		}
		for (size_t i = 0; i < nfiles; i++) {
			struct svc_import_problems p = { 0 };
			svc_import_check(&sc, kind, data[i], len[i], &p);
			scope_lines(&sc, argv[optind + i], &p, &lines);
			n += p.n;
			svc_import_problems_release(&p);
		}
		if (n) {
			fputs(lines.s, stderr);
			cmd_error(ngettext("import refused: %zu problem reaches outside %s and the "
					   "units below it; nothing was written",
					   "import refused: %zu problems reach outside %s and the "
					   "units below it; nothing was written", n),
				  n, ctx_scope(ctx));
			buf_release(&lines);
			status = EXIT_REFUSED;
			goto out;
		}
		buf_release(&lines);
		io.may_override = may_override;
		io.may_override_arg = ctx;
		io.actor_unit = ctx_scope(ctx);
	}

	if (store_begin(s) != KN_OK) {
		cmd_error("%s", store_errmsg(s));
		status = EXIT_IO;
		goto out;
	}
	io.warnings = &warn;
	for (size_t i = 0; i < nfiles; i++) {
		const char *name = argv[optind + i];
		enum kn_err e;

		buf_reset(&err);
		io.data_mapped = mapped[i];
		e = import_csv(s, kind, name, data[i], len[i], &io, &st, &err);
		progress_done();
		/* The importer quotes cells: no terminal controls. */
		put_safe_lines(err.s);
		problems += st.problems;
		if (e == KN_EIO || e == KN_ENOMEM || e == KN_ECONFLICT)
			io_fail = 1;
		else if (e != KN_OK)
			refused = 1;
		{
			/* Vietnamese digit grouping (2.669), one row or many. */
			struct buf r = BUF_INIT, a = BUF_INIT, u = BUF_INIT, k = BUF_INIT;
			text_int(&r, (long long)st.rows);
			text_int(&a, (long long)st.added);
			text_int(&u, (long long)st.updated);
			text_int(&k, (long long)st.unchanged);
			buf_addf(&out, ngettext("%s: %s row, %s added, %s updated, %s unchanged",
						"%s: %s rows, %s added, %s updated, %s unchanged",
						st.rows), name, r.s, a.s, u.s, k.s);
			buf_release(&r);
			buf_release(&a);
			buf_release(&u);
			buf_release(&k);
		}
		buf_addc(&out, '\n');
		file_release(data[i], len[i], mapped[i]);
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
		cmd_error(ngettext("import refused: %zu problem; nothing was written",
				   "import refused: %zu problems; nothing was written", problems),
			  problems);
		status = EXIT_REFUSED;
	} else {
		/* Warnings refuse nothing (exit 0): stderr, made safe. */
		put_safe_lines(warn.s);
		fputs(out.s, stdout);
		if (io.dry_run)
			printf("%s\n", _("dry run: the files are valid; nothing was written"));
	}
out:
	buf_release(&warn);
	for (size_t i = 0; data && i < nfiles; i++)
		file_release(data[i], len[i], mapped[i]);
	free(data);
	free(len);
	free(mapped);
	buf_release(&out);
	buf_release(&err);
	buf_release(&ovr);
	return status;
}

static const struct cmd_option import_options[] = {
	{ "dry-run", 0, NULL, N_("check every row and report, but write nothing") },
	{ "override", 0, "REASON", N_("record steps that break a rule, with this reason (approvers only)") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_import = {
	"import",
	"import units|people|quotas|steps|holidays|transfers FILE... [--dry-run] [--override REASON]",
	run, import_options,
	N_("load CSV files; all or nothing, every bad row is named"),
};
