/*
 * unitree.h — the unit tree in memory.
 *
 * Loaded once per command from the store (whole, or lazily: only the
 * units a command asks about), or shared by every request of a web
 * server (core/treecache.h; a city has hundreds of units, a nation
 * about 330 thousand), it answers the structural questions
 * of RULES.md §1 without a query each: the considering cell's grassroots
 * unit, whether it is a chi bộ cơ sở, the special-area flag up the tree,
 * the competent committee, and subtree membership. The tree owns its
 * units; pointers into it (nodes, their units' strings) stay valid until
 * unitree_free(). A unit's strings live in the tree's arena: never free
 * or replace them one by one.
 */
#ifndef KN_UNITREE_H
#define KN_UNITREE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "util/err.h"

struct store;
struct unitree_block;

struct unode {
	struct unit u;
	struct unode *parent;
	struct unode **children;	/* sorted by code */
	size_t nchildren;
	int depth;			/* 0 for a root */
	/* A node of a lazy tree (unitree_lazy) whose children have not been
	 * read yet: children and nchildren are not to be trusted, but
	 * unitree_is_basic_cell() reads them first. Never set in a whole
	 * tree. */
	int partial;
};

struct unitree {
	struct unode *nodes;		/* in the order read (find them by code or id) */
	size_t n;
	struct unode **roots;		/* sorted by code */
	size_t nroots;
	/* Owned storage: every unit's strings, in a list of blocks that
	 * never move, and the children lists, each a slice of kids. */
	struct unitree_block *arena;
	struct unode **kids;
	/* Lookup by code and by id (unitree_build): open addressing, each
	 * slot a node index + 1 (0: empty), nslots a power of two at least
	 * twice n. */
	uint32_t *by_code, *by_id;
	size_t nslots;
	/* A lazy tree (unitree_lazy): everything above is empty, and the
	 * units are read on demand into this, which a shallow copy of the
	 * struct (ledger_open_tree) shares. NULL for a whole tree. */
	struct unitree_lazy *lazy;
};

/* Takes ownership of units (an array as store_unit_all returns, in any
 * order) and links parents and children. */
void unitree_build(struct unitree *t, struct unit *units, size_t n);
/* Every unit of the store (store_unit_each: in table order, the strings
 * copied straight into the tree's arena), linked as unitree_build links
 * them: the same tree as unitree_build of store_unit_all, but for the
 * order of t->nodes, at a fraction of the cost. On failure t is left
 * empty (unitree_free is still safe) and the store's message says why. */
enum kn_err unitree_load(struct unitree *t, struct store *s);
void unitree_free(struct unitree *t);

/* A lazy tree over s (borrowed; it must outlive t): a unit is read from
 * the store the first time unitree_find or unitree_find_id asks for it,
 * with every unit above it and its children, so that what the functions
 * below answer of a node found, and of the nodes above it, is what they
 * answer of the whole tree; a command that looks at a handful of units
 * (a step, a check, a person, a report's scope) then reads a handful of
 * rows instead of the nation's 325 thousand. What it does not have:
 * t->nodes, t->n and the roots (empty), and the children of a node that
 * was not itself found (the nodes above one found): a caller that walks
 * the tree downwards or lists it needs unitree_load. A failure of the
 * store reads as "no such unit" (unitree_lazy_failed says it was one).
 * unitree_free releases it. */
void unitree_lazy(struct unitree *t, struct store *s);
/* 1 when a read of the lazy tree t failed (the store's message says
 * why); 0 for a whole tree. */
int unitree_lazy_failed(const struct unitree *t);

struct unode *unitree_find(const struct unitree *t, const char *code);
/* The node of the unit with database id `id`; NULL when not in the tree. */
struct unode *unitree_find_id(const struct unitree *t, int64_t id);

/* The grassroots unit of a considering unit: itself when it is a
 * grassroots unit, else its nearest grassroots ancestor; NULL if none. */
struct unode *unitree_grassroots(struct unode *n);
/* 1 when n is a grassroots unit without child cells (chi bộ cơ sở). */
int unitree_is_basic_cell(const struct unode *n);
/* 1 when n or an ancestor is flagged special_area. */
int unitree_special_area(const struct unode *n);
/* The competent committee: the nearest unit at or above n's grassroots
 * unit whose may_admit is set; NULL when there is none. */
struct unode *unitree_competent(struct unode *n);
/* 1 when n is `top` or below it. */
int unitree_within(const struct unode *n, const struct unode *top);

#endif
