/* unitree.c — see unitree.h. */
#include <stdlib.h>
#include <string.h>

#include "core/unitree.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

static int node_cmp(const void *a, const void *b)
{
	return strcmp(((const struct unode *)a)->u.code, ((const struct unode *)b)->u.code);
}

void unitree_build(struct unitree *t, struct unit *units, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->nodes = xcalloc(n ? n : 1, sizeof(*t->nodes));
	t->n = n;
	for (size_t i = 0; i < n; i++)
		t->nodes[i].u = units[i];
	free(units);
	xqsort(t->nodes, n, sizeof(*t->nodes), node_cmp);

	/* Parents first; then children in code order (nodes are sorted). */
	for (size_t i = 0; i < n; i++) {
		struct unode *nd = &t->nodes[i];
		nd->parent = nd->u.parent ? unitree_find(t, nd->u.parent) : NULL;
		if (nd->parent) {
			struct unode *p = nd->parent;
			p->children = xreallocarray(p->children, p->nchildren + 1,
						    sizeof(*p->children));
			p->children[p->nchildren++] = nd;
		} else {
			t->roots = xreallocarray(t->roots, t->nroots + 1, sizeof(*t->roots));
			t->roots[t->nroots++] = nd;
		}
	}
	for (size_t i = 0; i < n; i++) {
		int d = 0;
		for (struct unode *p = t->nodes[i].parent; p && d <= (int)n; p = p->parent)
			d++;
		t->nodes[i].depth = d;
	}
}

void unitree_free(struct unitree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		unit_release(&t->nodes[i].u);
		free(t->nodes[i].children);
	}
	free(t->nodes);
	free(t->roots);
	memset(t, 0, sizeof(*t));
}

struct unode *unitree_find(const struct unitree *t, const char *code)
{
	size_t lo = 0, hi = t->n;
	if (!code)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, t->nodes[mid].u.code);
		if (c == 0)
			return &t->nodes[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

struct unode *unitree_grassroots(struct unode *n)
{
	for (; n; n = n->parent)
		if (n->u.kind == UNIT_GRASSROOTS)
			return n;
	return NULL;
}

int unitree_is_basic_cell(const struct unode *n)
{
	if (!n || n->u.kind != UNIT_GRASSROOTS)
		return 0;
	for (size_t i = 0; i < n->nchildren; i++)
		if (n->children[i]->u.kind == UNIT_CELL)
			return 0;
	return 1;
}

int unitree_special_area(const struct unode *n)
{
	for (; n; n = n->parent)
		if (n->u.special_area)
			return 1;
	return 0;
}

struct unode *unitree_competent(struct unode *n)
{
	struct unode *g = unitree_grassroots(n);
	if (!g)
		g = n;	/* a unit outside any grassroots unit decides for itself */
	for (; g; g = g->parent)
		if (g->u.may_admit)
			return g;
	return NULL;
}

int unitree_within(const struct unode *n, const struct unode *top)
{
	for (; n; n = n->parent)
		if (n == top)
			return 1;
	return 0;
}
