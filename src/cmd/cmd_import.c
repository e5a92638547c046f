/*
 * cmd_import.c — `ketnap import units|people|quotas|steps|holidays FILE…
 * [--dry-run] [--override REASON]`: load CSV files (spec/FORMATS.md)
 * through io/import.c. Every file is read into memory before anything is
 * written, and all the files of one command are one transaction: one bad
 * row anywhere and nothing is written. Problems go to stderr as
 * FILE:LINE: column: message, a one-line summary per file to stdout.
 *
 * An account imports into its own subtree only (cmd/ctx.c), as on the
 * web's import page: before the importer runs, every file is read with
 * io/csv.h and each unit and person a row touches is looked up; a row
 * reaching outside the subtree refuses the whole command, named by its
 * line. People referred to from outside the subtree are "not found", as
 * unknown refs are. Units need an administrator, people an editor, quotas
 * an approver, step rows the role `ketnap step` needs for them, holidays
 * (everyone's calendar) an administrator of a top unit; an override needs
 * an approver or administrator above the candidate's unit (RULES.md §3).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd/cmd.h"
#include "io/csv.h"
#include "io/import.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/sort.h"
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

/* ---- the subtree check ---- */

struct scope_check {
	struct cmd_ctx *ctx;
	struct unitree *t;
	struct unode *scope;	/* the actor's unit */
	const char *file;
	struct buf out;		/* "FILE:LINE: column: message" lines */
	size_t n;
};

static void problem(struct scope_check *c, size_t line, const char *col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct scope_check *c, size_t line, const char *col, const char *fmt, ...)
{
	va_list ap;
	struct buf msg = BUF_INIT;
	buf_addf(&c->out, "%s:%zu: %s: ", c->file, line, col);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	text_printable(msg.s, &c->out);
	buf_addc(&c->out, '\n');
	buf_release(&msg);
	c->n++;
}

static int blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Field i of row, trimmed, NFC, into out; 0 when empty or absent or not
 * UTF-8 (the importer reports those). */
static int field(const struct csv_row *row, int i, struct buf *out)
{
	buf_reset(out);
	if (i < 0 || (size_t)i >= row->n)
		return 0;
	const char *f = row->fields[i];
	size_t n = strlen(f);
	while (n && blank(*f))
		f++, n--;
	while (n && blank(f[n - 1]))
		n--;
	if (!n)
		return 0;
	char *tmp = xstrndup(f, n);
	int rc = text_nfc(tmp, out);
	free(tmp);
	return rc == 0 && out->len;
}

/* The index of column `name` in the header (as the importer matches it:
 * any case, spaces around ignored); -1 when absent. */
static int column(char **h, size_t nh, const char *name)
{
	size_t want = strlen(name);
	for (size_t i = 0; i < nh; i++) {
		const char *f = h[i];
		size_t n = strlen(f);
		while (n && blank(*f))
			f++, n--;
		while (n && blank(f[n - 1]))
			n--;
		if (n == want && strncasecmp(f, name, n) == 0)
			return (int)i;
	}
	return -1;
}

/* A unit row of the file: its code and parent (NULL for none). */
struct frow {
	char *code, *parent;
	size_t line;
};

static int frow_cmp(const void *a, const void *b)
{
	return strcmp(((const struct frow *)a)->code, ((const struct frow *)b)->code);
}

/* Where the parent chain of a file row, followed through units the file
 * creates, reaches the database's tree: that unit, or NULL (unknown code
 * or a cycle: the importer reports those). */
static struct unode *chain_top(struct unitree *t, struct frow *sorted, size_t n, const char *parent)
{
	for (size_t hops = 0; parent && hops <= n; hops++) {
		struct unode *u = unitree_find(t, parent);
		if (u)
			return u;
		struct frow key = { .code = (char *)parent };
		struct frow *r = bsearch(&key, sorted, n, sizeof(*sorted), frow_cmp);
		if (!r)
			return NULL;
		parent = r->parent;
	}
	return NULL;
}

static void check_units(struct scope_check *c, struct csv_reader *r, char **h, size_t nh)
{
	int ccode = column(h, nh, "code"), cparent = column(h, nh, "parent");
	struct frow *rows = NULL, *sorted;
	size_t n = 0;
	struct buf a = BUF_INIT, b = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0 || !field(&row, ccode, &a))
			continue;
		rows = xreallocarray(rows, n + 1, sizeof(*rows));
		rows[n].code = xstrdup(a.s);
		rows[n].parent = field(&row, cparent, &b) ? xstrdup(b.s) : NULL;
		rows[n].line = row.line;
		n++;
	}
	sorted = xreallocarray(NULL, n + 1, sizeof(*sorted));
	if (n)
		memcpy(sorted, rows, n * sizeof(*rows));
	xqsort(sorted, n, sizeof(*sorted), frow_cmp);
	for (size_t i = 0; i < n; i++) {
		struct frow *f = &rows[i];
		struct unode *u = unitree_find(c->t, f->code);
		if (u && !unitree_within(u, c->scope)) {
			problem(c, f->line, "code",
				_("unit %s belongs to another part of the organisation; you "
				  "administer %s and the units below it"), f->code, c->scope->u.code);
			continue;
		}
		if (u == c->scope) {
			/* One's own unit stays where the level above put it. */
			const char *now = c->scope->parent ? c->scope->parent->u.code : NULL;
			if ((now == NULL) != (f->parent == NULL) || (now && strcmp(now, f->parent) != 0))
				problem(c, f->line, "parent",
					_("your own unit %s cannot be moved; its parent is set "
					  "by the level above"), f->code);
			continue;
		}
		if (!f->parent) {
			problem(c, f->line, "parent", _("a unit must be placed under %s or a unit below it"),
				c->scope->u.code);
			continue;
		}
		struct unode *top = chain_top(c->t, sorted, n, f->parent);
		if (top && !unitree_within(top, c->scope))
			problem(c, f->line, "parent", _("%s is not %s or a unit below it"), f->parent,
				c->scope->u.code);
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].code);
		free(rows[i].parent);
	}
	free(rows);
	free(sorted);
	buf_release(&a);
	buf_release(&b);
	buf_release(&msg);
}

/* The unit of the person with this ref: a copy the caller frees, or NULL
 * when there is no such person. */
static char *person_unit(struct cmd_ctx *ctx, const char *ref)
{
	struct person p;
	char *unit = NULL;
	if (store_person_get(ctx->store, ref, &p) == KN_OK) {
		unit = xstrdup(p.unit ? p.unit : "");
		person_release(&p);
	}
	return unit;
}

/* people.csv: the unit named must be in the subtree, and so must the
 * person a row changes. */
static void check_people(struct scope_check *c, struct csv_reader *r, char **h, size_t nh)
{
	int cref = column(h, nh, "ref"), cunit = column(h, nh, "unit");
	struct buf ref = BUF_INIT, unit = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0)
			continue;
		if (field(&row, cunit, &unit)) {
			struct unode *u = unitree_find(c->t, unit.s);
			if (u && !unitree_within(u, c->scope))
				problem(c, row.line, "unit", _("%s is not %s or a unit below it"), unit.s,
					c->scope->u.code);
		}
		if (field(&row, cref, &ref)) {
			char *pu = person_unit(c->ctx, ref.s);
			if (pu && !ctx_may_see(c->ctx, pu))
				problem(c, row.line, "ref",
					_("%s is a person of another part of the organisation, "
					  "outside %s"), ref.s, c->scope->u.code);
			free(pu);
		}
	}
	buf_release(&ref);
	buf_release(&unit);
	buf_release(&msg);
}

/* steps.csv: the step must be one the actor's role may record for the
 * person, and the deciding committee named must be in the subtree. The
 * people named (person, member, introducers) are judged by the importer,
 * whose ledger answers one out of scope exactly as an unknown ref. */
static void check_steps(struct scope_check *c, struct csv_reader *r, char **h, size_t nh)
{
	int cperson = column(h, nh, "person"), cstep = column(h, nh, "step");
	int corg = column(h, nh, "org");
	struct buf ref = BUF_INIT, code = BUF_INIT, v = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;
	const char *role = role_name(c->ctx->actor.role);

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0)
			continue;
		enum step_code sc = field(&row, cstep, &code) ? step_from_name(code.s) : STEP_NONE;
		/* A person out of scope is the importer's to report, as an
		 * unknown ref (its ledger acts with the actor's unit); so are
		 * the member and the introducers. */
		if (field(&row, cperson, &ref)) {
			char *pu = person_unit(c->ctx, ref.s);
			if (pu && ctx_may_see(c->ctx, pu) && sc != STEP_NONE &&
			    !ctx_may_record(c->ctx, pu, sc))
				problem(c, row.line, "step", _("%s, %s of %s, may not record %s for %s"),
					c->ctx->user, role, c->scope->u.code, step_name(sc), ref.s);
			free(pu);
		}
		if ((sc == STEP_DECISION || sc == STEP_OFFICIAL) && field(&row, corg, &v) &&
		    unitree_find(c->t, v.s) && !ctx_may_see(c->ctx, v.s))
			problem(c, row.line, "org",
				_("no unit with code %s; name the deciding committee by its unit code"),
				v.s);
	}
	buf_release(&ref);
	buf_release(&code);
	buf_release(&v);
	buf_release(&msg);
}

static void check_quotas(struct scope_check *c, struct csv_reader *r, char **h, size_t nh)
{
	int cunit = column(h, nh, "unit");
	struct buf unit = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0 || !field(&row, cunit, &unit))
			continue;
		struct unode *u = unitree_find(c->t, unit.s);
		if (u && !unitree_within(u, c->scope))
			problem(c, row.line, "unit", _("%s is not %s or a unit below it"), unit.s,
				c->scope->u.code);
	}
	buf_release(&unit);
	buf_release(&msg);
}

/* Every row of the file that reaches outside the actor's subtree, into
 * c->out. A file whose header cannot be read is left to the importer. */
static void check_scope(struct scope_check *c, enum io_kind k, const char *data, size_t len)
{
	struct csv_reader *r = csv_reader_new(data, len);
	struct csv_row hdr;
	struct buf msg = BUF_INIT;

	if (csv_read_row(r, &hdr, &msg) == 1) {
		/* The header's fields live until the next read: keep a copy. */
		size_t nh = hdr.n;
		char **h = xcalloc(nh + 1, sizeof(char *));
		for (size_t i = 0; i < nh; i++)
			h[i] = xstrdup(hdr.fields[i]);
		switch (k) {
		case IO_UNITS: check_units(c, r, h, nh); break;
		case IO_PEOPLE: check_people(c, r, h, nh); break;
		case IO_STEPS: check_steps(c, r, h, nh); break;
		case IO_QUOTAS: check_quotas(c, r, h, nh); break;
		default: break;
		}
		for (size_t i = 0; i < nh; i++)
			free(h[i]);
		free(h);
	}
	csv_reader_free(r);
	buf_release(&msg);
}

/* The role an import of kind k needs (steps: checked row by row). */
static enum role kind_role(enum io_kind k)
{
	switch (k) {
	case IO_UNITS: return ROLE_ADMIN;
	case IO_PEOPLE: return ROLE_EDITOR;
	case IO_QUOTAS: return ROLE_APPROVER;
	default: return ROLE_EDITOR;
	}
}

/* import_opts.may_override: RULES.md §3, as on the web. */
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
	if (kind == IO_HOLIDAYS && (status = ctx_need_root_admin(ctx, "import holidays")) != EXIT_DONE)
		goto out;
	if (ctx_scope(ctx)) {
		struct scope_check sc = { ctx, ctx_tree(ctx), NULL, NULL, BUF_INIT, 0 };
		if (!sc.t) {
			status = EXIT_IO;
			goto out;
		}
		sc.scope = unitree_find(sc.t, ctx_scope(ctx));
		if (!sc.scope || ctx->actor.role < kind_role(kind)) {
			cmd_error(_("%s, %s of %s, may not import %s; that needs the role %s or above"),
				  ctx->user, role_name(ctx->actor.role), ctx_scope(ctx),
				  io_kind_name(kind), role_name(kind_role(kind)));
			buf_release(&sc.out);
			status = EXIT_REFUSED;
			goto out;
		}
		for (size_t i = 0; i < nfiles; i++) {
			sc.file = argv[optind + i];
			check_scope(&sc, kind, data[i], len[i]);
		}
		if (sc.n) {
			fputs(sc.out.s, stderr);
			cmd_error(ngettext("import refused: %zu problem reaches outside %s and the "
					   "units below it; nothing was written",
					   "import refused: %zu problems reach outside %s and the "
					   "units below it; nothing was written", sc.n),
				  sc.n, sc.scope->u.code);
			buf_release(&sc.out);
			status = EXIT_REFUSED;
			goto out;
		}
		buf_release(&sc.out);
		io.may_override = may_override;
		io.may_override_arg = ctx;
		io.actor_unit = ctx_scope(ctx);
	}

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
		/* The importer quotes cells: no terminal controls. */
		for (const char *p = err.s; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			struct buf line = BUF_INIT, safe = BUF_INIT;
			buf_add(&line, p, n);
			fprintf(stderr, "%s\n", cmd_safe(&safe, line.s));
			buf_release(&line);
			buf_release(&safe);
			p += n + (nl ? 1 : 0);
		}
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
		cmd_error(ngettext("import refused: %zu problem; nothing was written",
				   "import refused: %zu problems; nothing was written", problems),
			  problems);
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

static const struct cmd_option import_options[] = {
	{ "dry-run", 0, NULL, N_("check every row and report, but write nothing") },
	{ "override", 0, "REASON", N_("record steps that break a rule, with this reason (approvers only)") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_import = {
	"import",
	"import units|people|quotas|steps|holidays FILE... [--dry-run] [--override REASON]",
	run, import_options,
	N_("load CSV files; all or nothing, every bad row is named"),
};
