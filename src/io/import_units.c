/*
 * import_units.c — importing a units list (import_impl.h): each row read
 * into a unit, then the checks across rows and the database: a code once
 * per file, every parent a unit of the file or the database, no unit below
 * itself. The units of the file and of the database are put in one sorted
 * array (the file's version winning) and walked up from each unit, which
 * finds the cycles and each unit's depth; when nothing is refused, the
 * units are written parents first, so that a file may list a child before
 * its parent: the new ones a depth at a time, many in one statement
 * (store_units_add; issue 13: on PostgreSQL two statements a unit cost
 * the server more than SQLite's whole import), a stored one that the file
 * changes by itself (store_unit_put), one it leaves as it is not at all.
 */
#include <stdlib.h>
#include <string.h>

#include "io/export.h"
#include "io/import_impl.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

struct urow {
	struct unit u;
	size_t line;
	int depth;
};

struct units_ctx {
	struct urow *rows;
	size_t n, cap;
};

static void unit_row(struct imp *im, void *arg)
{
	struct units_ctx *uc = arg;
	struct unit u;

	memset(&u, 0, sizeof(u));
	u.code = imp_get_unit_code(im, U_CODE, 1);
	u.parent = imp_get_unit_code(im, U_PARENT, 0);
	u.name = imp_get_req(im, U_NAME, 0);
	char *kind = imp_get_req(im, U_KIND, 1);
	int kind_ok = 0;
	if (kind) {
		if (unit_kind_parse(kind, &u.kind) == 0)
			kind_ok = 1;
		else
			imp_problem(im, im->row.line, "kind",
				_("%s is not a unit kind; use province, upper, grassroots or cell"),
				kind);
	}
	free(kind);
	u.may_admit = imp_get_bool(im, U_MAY_ADMIT, 0);
	u.sector = imp_get_code(im, U_SECTOR, sector_valid,
			    _("%s is not a sector; use agency, state_enterprise, nonstate_enterprise, "
			      "ward, commune, hamlet, school, armed_forces or other"));
	u.special_area = imp_get_bool(im, U_SPECIAL, 0);
	if (kind_ok && !u.parent && !imp_cell(im, U_PARENT) && u.kind != UNIT_PROVINCE)
		imp_problem(im, im->row.line, "parent", "%s",
			_("a value is required (only a province may be a root)"));
	if (im->rowbad) {
		unit_release(&u);
		return;
	}
	if (uc->n == uc->cap) {
		uc->cap = uc->cap ? uc->cap * 2 : 64;
		uc->rows = xreallocarray(uc->rows, uc->cap, sizeof(*uc->rows));
	}
	uc->rows[uc->n].u = u;
	uc->rows[uc->n].line = im->row.line;
	uc->rows[uc->n].depth = -1;
	uc->n++;
}

/* A unit of the file or the database, for parent and cycle checks. */
struct unode_x {
	const char *code;
	const char *parent;
	struct urow *row;	/* NULL: in the database only */
	long pidx;		/* index of the parent; -1 none or unknown */
	int state;		/* 0 unseen, 1 on the current path, 2 done */
	int depth;
};

static int unode_x_cmp(const void *a, const void *b)
{
	const struct unode_x *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	/* The file's entry sorts first, so it wins over the database's. */
	return (y->row != NULL) - (x->row != NULL);
}

static int urow_cmp_code(const void *a, const void *b)
{
	const struct urow *const *x = a, *const *y = b;
	int c = strcmp((*x)->u.code, (*y)->u.code);
	if (c)
		return c;
	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

static int urow_cmp_depth(const void *a, const void *b)
{
	const struct urow *const *x = a, *const *y = b;
	if ((*x)->depth != (*y)->depth)
		return (*x)->depth < (*y)->depth ? -1 : 1;
	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

static long unode_x_find(struct unode_x *v, size_t n, const char *code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid].code, code);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int unit_code_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct unit *)elem)->code);
}

/* New units written a batch at a time (store_units_add); fewer with
 * KETNAP_IMPORT_BATCH (tests). */
#define UNITS_BATCH 2048

/* Two texts equal, NULL equal only to NULL. */
static int str_eq(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* A stored unit that the file's row leaves as it is (store_unit_put's
 * "same": nothing to write). */
static int unit_unchanged(const struct unit *was, const struct unit *u)
{
	return str_eq(was->parent, u->parent) && str_eq(was->name, u->name) &&
	       was->kind == u->kind && !was->may_admit == !u->may_admit &&
	       str_eq(was->sector, u->sector) && !was->special_area == !u->special_area;
}

/* Write the new units news[0..*nnew), the rows by[first…] of the sorted
 * file, and count them added. */
static enum kn_err units_flush(struct imp *im, struct urow **by, size_t first,
			       const struct unit **news, size_t *nnew, size_t total,
			       struct buf *err)
{
	size_t n = *nnew;
	enum kn_err e;

	*nnew = 0;
	if ((e = store_units_add(im->s, news, n)) != KN_OK) {
		/* The batch's lines: one of them, the message's key says which. */
		size_t hi = by[first]->line;
		for (size_t k = 1; k < n; k++)
			if (by[first + k]->line > hi)
				hi = by[first + k]->line;
		if (n > 1)
			buf_addf(err, "%s:%zu-%zu: %s\n", im->file, by[first]->line, hi,
				 store_errmsg(im->s));
		else
			buf_addf(err, "%s:%zu: %s\n", im->file, by[first]->line, store_errmsg(im->s));
		return e;
	}
	for (size_t k = 0; k < n; k++) {
		struct buf after = BUF_INIT;
		if ((e = imp_after_put(im, 2, "unit", news[k]->code, NULL, &after, first + k + 1,
				       total, err)) != KN_OK)
			return e;
	}
	return KN_OK;
}

enum kn_err import_units(struct imp *im, const char *data, size_t len, struct buf *err)
{
	struct units_ctx uc = { 0 };
	struct unit *old = NULL;
	size_t nold = 0;
	struct urow **by = NULL;
	struct unode_x *nodes = NULL;
	size_t nn = 0;
	long *path = NULL;
	const struct unit **news = NULL;
	size_t nnew = 0, first = 0, batch;
	const char *env;
	enum kn_err e;

	if ((e = store_unit_all(im->s, &old, &nold)) != KN_OK) {
		buf_addf(err, "%s\n", store_errmsg(im->s));
		return e;
	}
	imp_read_rows(im, data, len, unit_row, &uc);

	/* Duplicate codes: the later line is the problem. */
	by = xreallocarray(NULL, uc.n + 1, sizeof(*by));
	for (size_t i = 0; i < uc.n; i++)
		by[i] = &uc.rows[i];
	xqsort(by, uc.n, sizeof(*by), urow_cmp_code);
	for (size_t i = 1; i < uc.n; i++)
		if (strcmp(by[i]->u.code, by[i - 1]->u.code) == 0) {
			imp_problem(im, by[i]->line, "code",
				_("%s is also on line %zu; a unit appears once per file"),
				by[i]->u.code, by[i - 1]->line);
			by[i]->depth = -2;	/* left out of the checks below */
		}

	/* Every unit of the file and the database, the file's version winning. */
	nodes = xreallocarray(NULL, uc.n + nold + 1, sizeof(*nodes));
	for (size_t i = 0; i < uc.n; i++)
		if (uc.rows[i].depth != -2)
			nodes[nn++] = (struct unode_x){ uc.rows[i].u.code, uc.rows[i].u.parent,
							&uc.rows[i], -1, 0, -1 };
	for (size_t i = 0; i < nold; i++)
		nodes[nn++] = (struct unode_x){ old[i].code, old[i].parent, NULL, -1, 0, -1 };
	xqsort(nodes, nn, sizeof(*nodes), unode_x_cmp);
	{
		size_t w = 0;
		for (size_t i = 0; i < nn; i++)
			if (!w || strcmp(nodes[w - 1].code, nodes[i].code) != 0)
				nodes[w++] = nodes[i];
		nn = w;
	}
	for (size_t i = 0; i < nn; i++) {
		if (!nodes[i].parent)
			continue;
		nodes[i].pidx = unode_x_find(nodes, nn, nodes[i].parent);
		if (nodes[i].pidx < 0 && nodes[i].row)
			imp_problem(im, nodes[i].row->line, "parent",
				_("no unit %s in this file or the database"), nodes[i].parent);
	}
	/* Cycles: walk up from each unit, marking the path. */
	path = xreallocarray(NULL, nn + 1, sizeof(*path));
	for (size_t i = 0; i < nn; i++) {
		size_t np = 0;
		long cur = (long)i;
		while (cur >= 0 && nodes[cur].state == 0) {
			nodes[cur].state = 1;
			path[np++] = cur;
			cur = nodes[cur].pidx;
		}
		if (cur >= 0 && nodes[cur].state == 1) {
			size_t k = 0;
			while (path[k] != cur)
				k++;
			for (; k < np; k++) {
				struct unode_x *x = &nodes[path[k]];
				if (x->row)
					imp_problem(im, x->row->line, "parent",
						_("%s would be below itself (a cycle through its parent %s); correct the parent"),
						x->code, x->parent);
				x->depth = -3;	/* in a cycle */
			}
		}
		/* Depths down the path, from the first node whose depth is known. */
		int d = cur >= 0 ? nodes[cur].depth : -1;
		for (size_t k = np; k-- > 0;) {
			struct unode_x *x = &nodes[path[k]];
			x->state = 2;
			if (x->depth == -3 || d == -3) {
				x->depth = -3;
				d = -3;
				continue;
			}
			x->depth = d + 1;
			d = x->depth;
		}
	}
	if (im->nprobs || im->header_bad)
		goto out;

	/* Write, parents before children: the new units a batch at a time
	 * (one depth of the tree in each: none the parent of another), each
	 * unit of the database that the file changes by itself between them.
	 * A unit the file leaves as it is, is not written. */
	for (size_t i = 0; i < nn; i++)
		if (nodes[i].row)
			nodes[i].row->depth = nodes[i].depth;
	for (size_t i = 0; i < uc.n; i++)
		by[i] = &uc.rows[i];
	xqsort(by, uc.n, sizeof(*by), urow_cmp_depth);
	/* A smaller batch, for the tests that cross its boundaries. */
	env = getenv("KETNAP_IMPORT_BATCH");
	batch = env && *env ? strtoull(env, NULL, 10) : 0;
	if (!batch || batch > UNITS_BATCH)
		batch = UNITS_BATCH;
	news = xreallocarray(NULL, batch, sizeof(*news));
	for (size_t i = 0; i < uc.n; i++) {
		const struct unit *u = &by[i]->u;
		const struct unit *was = nold ? bsearch(u->code, old, nold, sizeof(*old),
							 unit_code_cmp) : NULL;
		struct buf before = BUF_INIT, after = BUF_INIT;
		int changed;

		if (!was) {
			/* A unit not read at the start is new (issue 13: no
			 * read before the insert). */
			if (nnew && (nnew == batch || by[i]->depth != by[first]->depth) &&
			    (e = units_flush(im, by, first, news, &nnew, uc.n, err)) != KN_OK)
				goto out;
			if (!nnew)
				first = i;
			news[nnew++] = u;
			continue;
		}
		if (nnew && (e = units_flush(im, by, first, news, &nnew, uc.n, err)) != KN_OK)
			goto out;
		changed = 0;
		if (!unit_unchanged(was, u) && (e = store_unit_put(im->s, u, &changed)) != KN_OK) {
			buf_addf(err, "%s:%zu: %s\n", im->file, by[i]->line, store_errmsg(im->s));
			goto out;
		}
		if (changed == 1) {
			export_unit_row(&before, was);
			export_unit_row(&after, u);
		}
		if ((e = imp_after_put(im, changed, "unit", u->code, &before, &after, i + 1, uc.n,
				       err)) != KN_OK)
			goto out;
	}
	if (nnew)
		e = units_flush(im, by, first, news, &nnew, uc.n, err);
out:
	for (size_t i = 0; i < uc.n; i++)
		unit_release(&uc.rows[i].u);
	free(uc.rows);
	free(by);
	free(nodes);
	free(path);
	free(news);
	store_units_free(old, nold);
	return e;
}
