/*
 * unitree.c — see unitree.h.
 *
 * Lookups by code and by id go through two small open-addressing tables
 * built with the tree (FNV-1a of the code, a mix of the id; linear
 * probing). A report finds a unit for every admission, quota and unit
 * of its subtree — a million lookups at the national root — and the
 * binary search by code it replaces (19 strcmp of codes that share their
 * first ten bytes) was a tenth of such a report. No library of
 * DESIGN.md's list has a hash table, and these are forty lines.
 */
#include <stdlib.h>
#include <string.h>

#include "core/unitree.h"
#include "store/store.h"
#include "util/xalloc.h"
#include "util/sort.h"
#include "util/banned.h"

struct unitree_block {
	struct unitree_block *next;
	size_t size, used;
	char data[];
};

static int node_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(struct unode *const *)a)->u.code, (*(struct unode *const *)b)->u.code);
}

/* Bytes of s with its NUL; 0 for NULL. */
static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* n bytes of t's arena, in a new block (of at least `least` bytes) when
 * the newest one is full; blocks never move. */
static char *arena_alloc(struct unitree *t, size_t n, size_t least)
{
	struct unitree_block *b = t->arena;
	if (!b || b->size - b->used < n) {
		size_t size = n > least ? n : least;
		b = xmalloc(sizeof(*b) + (size ? size : 1));
		b->next = t->arena;
		b->size = size;
		b->used = 0;
		t->arena = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

/* A copy of s in t's arena; NULL stays NULL. */
static char *arena_dup(struct unitree *t, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	return memcpy(arena_alloc(t, n, 256 * 1024), s, n);
}

/* Moves s into the arena (reserved by the caller) and frees it. */
static char *arena_take(struct unitree *t, char *s)
{
	char *d = arena_dup(t, s);
	free(s);
	return d;
}

static uint64_t code_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t id_hash(int64_t id)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ULL;
	return x ^ (x >> 29);
}

/* The two lookup tables of t (unitree.h); nodes must be final. */
static void index_build(struct unitree *t)
{
	size_t m = 16;
	while (m < 2 * t->n)
		m *= 2;
	t->nslots = m;
	t->by_code = xcalloc(m, sizeof(*t->by_code));
	t->by_id = xcalloc(m, sizeof(*t->by_id));
	for (size_t i = 0; i < t->n; i++) {
		size_t j = (size_t)code_hash(t->nodes[i].u.code) & (m - 1);
		while (t->by_code[j])
			j = (j + 1) & (m - 1);
		t->by_code[j] = (uint32_t)(i + 1);
		j = (size_t)id_hash(t->nodes[i].u.id) & (m - 1);
		while (t->by_id[j])
			j = (j + 1) & (m - 1);
		t->by_id[j] = (uint32_t)(i + 1);
	}
}

/* Links the nodes of t (each node's parent set, or NULL for a root):
 * the children lists, the roots, the depths. */
static void link(struct unitree *t)
{
	size_t n = t->n, *at;

	for (size_t i = 0; i < n; i++) {
		struct unode *nd = &t->nodes[i];
		if (nd->parent)
			nd->parent->nchildren++;
		else
			t->nroots++;
	}
	/* Children, each list a slice (sorted by code below). */
	t->kids = xcalloc(n ? n : 1, sizeof(*t->kids));
	t->roots = xcalloc(t->nroots ? t->nroots : 1, sizeof(*t->roots));
	at = xcalloc(n ? n : 1, sizeof(*at));
	for (size_t i = 0, off = 0; i < n; i++) {
		t->nodes[i].children = t->nodes[i].nchildren ? t->kids + off : NULL;
		off += t->nodes[i].nchildren;
	}
	for (size_t i = 0, r = 0; i < n; i++) {
		struct unode *nd = &t->nodes[i];
		if (nd->parent) {
			size_t p = (size_t)(nd->parent - t->nodes);
			nd->parent->children[at[p]++] = nd;
		} else {
			t->roots[r++] = nd;
		}
	}
	free(at);
	for (size_t i = 0; i < n; i++)
		if (t->nodes[i].nchildren > 1)
			xqsort(t->nodes[i].children, t->nodes[i].nchildren,
			       sizeof(*t->nodes[i].children), node_ptr_cmp);
	xqsort(t->roots, t->nroots, sizeof(*t->roots), node_ptr_cmp);
	for (size_t i = 0; i < n; i++) {
		int d = 0;
		for (struct unode *p = t->nodes[i].parent; p && d <= (int)n; p = p->parent)
			d++;
		t->nodes[i].depth = d;
	}
}

/* A nation has about 330 thousand units, and the web server keeps one
 * tree of them for as long as they do not change: so the tree is built
 * compact. Every node's strings move into one arena (a unit's parent
 * code is its parent node's code), and every child list is a slice of
 * one array of n pointers, counted before it is filled — a few large
 * allocations instead of five or six small ones per unit. */
void unitree_build(struct unitree *t, struct unit *units, size_t n)
{
	size_t bytes = 0;

	memset(t, 0, sizeof(*t));
	t->nodes = xcalloc(n ? n : 1, sizeof(*t->nodes));
	t->n = n;
	for (size_t i = 0; i < n; i++)
		t->nodes[i].u = units[i];
	free(units);
	/* The nodes stay in the order read; only each list of children and
	 * the roots are sorted by code, which is what the tree's readers
	 * walk. Sorting all 325 k nodes of a nation by code (codes that share
	 * their first ten bytes) was half of building the tree. */
	index_build(t);
	for (size_t i = 0; i < n; i++) {
		struct unode *nd = &t->nodes[i];
		nd->parent = nd->u.parent ? unitree_find(t, nd->u.parent) : NULL;
	}
	link(t);

	/* The strings, into the arena (one block): codes first, since a
	 * parent's code is shared by its children; a parent code not in the
	 * tree keeps its own copy. */
	for (size_t i = 0; i < n; i++) {
		const struct unit *u = &t->nodes[i].u;
		bytes += str_size(u->code) + str_size(u->name) + str_size(u->sector);
		if (!t->nodes[i].parent)
			bytes += str_size(u->parent);
	}
	arena_alloc(t, 0, bytes);
	for (size_t i = 0; i < n; i++) {
		struct unit *u = &t->nodes[i].u;
		u->code = arena_take(t, u->code);
		u->name = arena_take(t, u->name);
		u->sector = arena_take(t, u->sector);
	}
	for (size_t i = 0; i < n; i++) {
		struct unode *nd = &t->nodes[i];
		if (nd->parent) {
			free(nd->u.parent);
			nd->u.parent = nd->parent->u.code;
		} else {
			nd->u.parent = arena_take(t, nd->u.parent);
		}
	}
}

/* unitree_load's reading: the nodes as read, and each one's parent id
 * (0 and has[i] unset for a root). */
struct loading {
	struct unitree *t;
	size_t cap;
	int64_t *pid;
	unsigned char *has;
};

static int load_row(void *arg, const struct unit *u, const int64_t *parent_id)
{
	struct loading *ld = arg;
	struct unitree *t = ld->t;
	if (t->n == ld->cap) {
		ld->cap = ld->cap ? 2 * ld->cap : 1024;
		t->nodes = xreallocarray(t->nodes, ld->cap, sizeof(*t->nodes));
		ld->pid = xreallocarray(ld->pid, ld->cap, sizeof(*ld->pid));
		ld->has = xreallocarray(ld->has, ld->cap, sizeof(*ld->has));
	}
	struct unode *nd = &t->nodes[t->n];
	memset(nd, 0, sizeof(*nd));
	nd->u.id = u->id;
	nd->u.code = arena_dup(t, u->code);
	nd->u.name = arena_dup(t, u->name);
	nd->u.kind = u->kind;
	nd->u.may_admit = u->may_admit;
	nd->u.sector = arena_dup(t, u->sector);
	nd->u.special_area = u->special_area;
	ld->pid[t->n] = parent_id ? *parent_id : 0;
	ld->has[t->n] = parent_id != NULL;
	t->n++;
	return 0;
}

/* The whole tree straight from the table: one sequential read of the
 * units (a read by code, as store_unit_all's, costs a random page per
 * unit), no join for the parent's code (the parent is found by id
 * here), no string allocated one by one. */
enum kn_err unitree_load(struct unitree *t, struct store *s)
{
	struct loading ld = { t, 0, NULL, NULL };
	enum kn_err e;

	memset(t, 0, sizeof(*t));
	e = store_unit_each(s, load_row, &ld);
	if (e != KN_OK) {
		free(ld.pid);
		free(ld.has);
		unitree_free(t);
		return e;
	}
	if (!t->nodes)
		t->nodes = xcalloc(1, sizeof(*t->nodes));
	index_build(t);
	for (size_t i = 0; i < t->n; i++) {
		struct unode *nd = &t->nodes[i];
		nd->parent = ld.has[i] ? unitree_find_id(t, ld.pid[i]) : NULL;
		nd->u.parent = nd->parent ? nd->parent->u.code : NULL;
	}
	free(ld.pid);
	free(ld.has);
	link(t);
	return KN_OK;
}

/* ---- the lazy tree ---- */

/* A node of a lazy tree: the node, and the tree it belongs to (for
 * unitree_is_basic_cell on a partial node). */
struct lnode {
	struct unode n;
	struct unitree_lazy *lz;
	struct lnode *next;	/* every node, for unitree_free */
};

struct unitree_lazy {
	struct store *s;
	struct unitree arena;		/* only its arena is used */
	struct lnode *all;
	size_t n;
	/* Open addressing by code and by id, node pointers, nslots a power
	 * of two at least twice n. */
	struct lnode **by_code, **by_id;
	size_t nslots;
	int failed;
	/* The rows of one read (lazy_read), before they are linked. */
	struct lnode **got;
	int64_t *pid;
	unsigned char *has;
	size_t ngot, capgot;
};

static void lazy_slot_put(struct unitree_lazy *lz, struct lnode *x)
{
	size_t m = lz->nslots - 1, j = (size_t)code_hash(x->n.u.code) & m;
	while (lz->by_code[j])
		j = (j + 1) & m;
	lz->by_code[j] = x;
	j = (size_t)id_hash(x->n.u.id) & m;
	while (lz->by_id[j])
		j = (j + 1) & m;
	lz->by_id[j] = x;
}

static void lazy_add(struct unitree_lazy *lz, struct lnode *x)
{
	if (2 * (lz->n + 1) > lz->nslots) {
		free(lz->by_code);
		free(lz->by_id);
		lz->nslots = lz->nslots ? 2 * lz->nslots : 64;
		lz->by_code = xcalloc(lz->nslots, sizeof(*lz->by_code));
		lz->by_id = xcalloc(lz->nslots, sizeof(*lz->by_id));
		for (struct lnode *y = lz->all; y; y = y->next)
			lazy_slot_put(lz, y);
	}
	x->next = lz->all;
	lz->all = x;
	lz->n++;
	lazy_slot_put(lz, x);
}

static struct lnode *lazy_get(const struct unitree_lazy *lz, const char *code, int64_t id)
{
	if (!lz->nslots)
		return NULL;
	size_t m = lz->nslots - 1;
	if (code) {
		for (size_t j = (size_t)code_hash(code) & m; lz->by_code[j]; j = (j + 1) & m)
			if (strcmp(lz->by_code[j]->n.u.code, code) == 0)
				return lz->by_code[j];
	} else {
		for (size_t j = (size_t)id_hash(id) & m; lz->by_id[j]; j = (j + 1) & m)
			if (lz->by_id[j]->n.u.id == id)
				return lz->by_id[j];
	}
	return NULL;
}

/* A row of store_unit_near: a node known already, or a new one. */
static int lazy_row(void *arg, const struct unit *u, const int64_t *parent_id)
{
	struct unitree_lazy *lz = arg;
	struct lnode *x = lazy_get(lz, NULL, u->id);

	if (lz->ngot == lz->capgot) {
		lz->capgot = lz->capgot ? 2 * lz->capgot : 64;
		lz->got = xreallocarray(lz->got, lz->capgot, sizeof(*lz->got));
		lz->pid = xreallocarray(lz->pid, lz->capgot, sizeof(*lz->pid));
		lz->has = xreallocarray(lz->has, lz->capgot, sizeof(*lz->has));
	}
	if (!x) {
		x = xcalloc(1, sizeof(*x));
		x->lz = lz;
		x->n.partial = 1;
		x->n.depth = -1;	/* not linked yet */
		x->n.u.id = u->id;
		x->n.u.code = arena_dup(&lz->arena, u->code);
		x->n.u.name = arena_dup(&lz->arena, u->name);
		x->n.u.kind = u->kind;
		x->n.u.may_admit = u->may_admit;
		x->n.u.sector = arena_dup(&lz->arena, u->sector);
		x->n.u.special_area = u->special_area;
	}
	lz->got[lz->ngot] = x;
	lz->pid[lz->ngot] = parent_id ? *parent_id : 0;
	lz->has[lz->ngot] = parent_id != NULL;
	lz->ngot++;
	return 0;
}

static int lnode_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(struct unode *const *)a)->u.code, (*(struct unode *const *)b)->u.code);
}

/* The depth of x, its parents linked (every node above it is). */
static int lazy_depth(struct unode *x)
{
	if (x->depth < 0)
		x->depth = x->parent ? lazy_depth(x->parent) + 1 : 0;
	return x->depth;
}

/* Reads the unit of code (or of id when code is NULL), every unit above
 * it and its children into lz; the node, NULL when there is none. */
static struct lnode *lazy_read(struct unitree_lazy *lz, const char *code, int64_t id)
{
	struct lnode *x = NULL;
	size_t nkids = 0;

	lz->ngot = 0;
	if (store_unit_near(lz->s, code, id, lazy_row, lz) != KN_OK) {
		lz->failed = 1;
		/* The new nodes of a failed read are dropped. */
		for (size_t i = 0; i < lz->ngot; i++)
			if (!lazy_get(lz, NULL, lz->got[i]->n.u.id))
				free(lz->got[i]);
		return NULL;
	}
	for (size_t i = 0; i < lz->ngot; i++) {
		struct lnode *y = lz->got[i], *had = lazy_get(lz, NULL, y->n.u.id);
		if (had && had != y) {	/* a unit read twice (a cycle) */
			free(y);
			lz->got[i] = y = had;
		} else if (!had) {
			lazy_add(lz, y);
		}
		if (code ? strcmp(y->n.u.code, code) == 0 : y->n.u.id == id)
			x = y;
	}
	if (!x)
		return NULL;
	/* The new nodes' parents (every one is read with its ancestors). */
	for (size_t i = 0; i < lz->ngot; i++) {
		struct lnode *y = lz->got[i];
		if (y->n.depth >= 0)
			continue;
		struct lnode *p = lz->has[i] ? lazy_get(lz, NULL, lz->pid[i]) : NULL;
		y->n.parent = p ? &p->n : NULL;
		y->n.u.parent = p ? p->n.u.code : NULL;
	}
	for (size_t i = 0; i < lz->ngot; i++)
		lazy_depth(&lz->got[i]->n);
	/* x's children, sorted by code as a whole tree's. */
	if (x->n.partial) {
		for (size_t i = 0; i < lz->ngot; i++)
			if (lz->got[i]->n.parent == &x->n)
				nkids++;
		x->n.children = nkids ? xcalloc(nkids, sizeof(*x->n.children)) : NULL;
		x->n.nchildren = 0;
		for (size_t i = 0; i < lz->ngot; i++)
			if (lz->got[i]->n.parent == &x->n)
				x->n.children[x->n.nchildren++] = &lz->got[i]->n;
		if (x->n.nchildren > 1)
			xqsort(x->n.children, x->n.nchildren, sizeof(*x->n.children), lnode_ptr_cmp);
		x->n.partial = 0;
	}
	return x;
}

static struct unode *lazy_find(struct unitree_lazy *lz, const char *code, int64_t id)
{
	struct lnode *x = lazy_get(lz, code, id);
	if (!x || x->n.partial)
		x = lazy_read(lz, code, id);
	return x ? &x->n : NULL;
}

static void lazy_kids(struct unode *n)
{
	struct lnode *x = (struct lnode *)n;	/* n is the first member */
	lazy_read(x->lz, NULL, n->u.id);
}

static void lazy_free(struct unitree_lazy *lz)
{
	for (struct lnode *x = lz->all, *next; x; x = next) {
		next = x->next;
		free(x->n.children);
		free(x);
	}
	free(lz->by_code);
	free(lz->by_id);
	free(lz->got);
	free(lz->pid);
	free(lz->has);
	lz->arena.lazy = NULL;
	unitree_free(&lz->arena);
	free(lz);
}

void unitree_lazy(struct unitree *t, struct store *s)
{
	memset(t, 0, sizeof(*t));
	t->lazy = xcalloc(1, sizeof(*t->lazy));
	t->lazy->s = s;
}

int unitree_lazy_failed(const struct unitree *t)
{
	return t->lazy && t->lazy->failed;
}

void unitree_free(struct unitree *t)
{
	if (t->lazy)
		lazy_free(t->lazy);
	/* The units' strings are in the arena. */
	for (struct unitree_block *b = t->arena, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->kids);
	free(t->nodes);
	free(t->roots);
	free(t->by_code);
	free(t->by_id);
	memset(t, 0, sizeof(*t));
}

struct unode *unitree_find(const struct unitree *t, const char *code)
{
	if (code && t->lazy)
		return lazy_find(t->lazy, code, 0);
	if (!code || !t->nslots)
		return NULL;
	for (size_t j = (size_t)code_hash(code) & (t->nslots - 1); t->by_code[j];
	     j = (j + 1) & (t->nslots - 1)) {
		struct unode *nd = &t->nodes[t->by_code[j] - 1];
		if (strcmp(nd->u.code, code) == 0)
			return nd;
	}
	return NULL;
}

struct unode *unitree_find_id(const struct unitree *t, int64_t id)
{
	if (t->lazy)
		return lazy_find(t->lazy, NULL, id);
	if (!t->nslots)
		return NULL;
	for (size_t j = (size_t)id_hash(id) & (t->nslots - 1); t->by_id[j];
	     j = (j + 1) & (t->nslots - 1)) {
		struct unode *nd = &t->nodes[t->by_id[j] - 1];
		if (nd->u.id == id)
			return nd;
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
	if (n->partial)
		lazy_kids((struct unode *)n);
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
