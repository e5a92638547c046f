/*
 * svc_import.c — the subtree check of an import (see svc_import.h): the
 * file is read with io/csv.h, its columns found as the importer finds
 * them (any case, blanks around ignored), its cells trimmed and in NFC as
 * the importer reads them, and each unit and person a row touches looked
 * up in the tree and the store. Only what the actor's subtree forbids is
 * reported here; what the importer judges anyway is left to it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/svc_import.h"
#include "io/csv.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/sort.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct check {
	const struct svc_import_scope *sc;
	struct unode *scope;	/* the actor's unit */
	struct svc_import_problems *out;
};

static void problem(struct check *c, size_t line, const char *column, enum svc_import_why why,
		    const char *value, enum step_code step)
{
	struct svc_import_problems *p = c->out;
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n].line = line;
	p->v[p->n].column = column;
	p->v[p->n].why = why;
	p->v[p->n].value = xstrdup(value ? value : "");
	p->v[p->n].step = step;
	p->n++;
}

void svc_import_problems_release(struct svc_import_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].value);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

enum role svc_import_role(enum io_kind k)
{
	switch (k) {
	case IO_UNITS: return ROLE_ADMIN;
	case IO_PEOPLE: return ROLE_EDITOR;
	case IO_QUOTAS: return ROLE_APPROVER;
	case IO_HOLIDAYS: return ROLE_ADMIN;
	default: return ROLE_EDITOR;
	}
}

int svc_import_holidays_ok(const struct svc_import_scope *sc)
{
	struct unode *scope = actor_scope(sc->actor, sc->tree);
	return scope && !scope->parent;
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

/* 1 when the unit with this code is the actor's or below it. */
static int within(struct check *c, const char *code)
{
	struct unode *u = code ? unitree_find(c->sc->tree, code) : NULL;
	return u && unitree_within(u, c->scope);
}

/* 1 when the unit code must be refused: it exists outside the subtree,
 * or (unknown_as_outside) does not exist at all. */
static int outside(struct check *c, const char *code)
{
	struct unode *u = unitree_find(c->sc->tree, code);
	if (!u)
		return c->sc->unknown_as_outside;
	return !unitree_within(u, c->scope);
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
 * names, reaches the database's tree: that unit, or NULL (unknown code
 * or a cycle: the importer reports those). *unknown is set when the
 * parent itself is neither in the tree nor in the file. */
static struct unode *chain_top(const struct unitree *t, struct frow *sorted, size_t n,
			       const char *parent, int *unknown)
{
	*unknown = 0;
	for (size_t hops = 0; parent && hops <= n; hops++) {
		struct unode *u = unitree_find(t, parent);
		if (u)
			return u;
		struct frow key = { .code = (char *)parent };
		struct frow *r = bsearch(&key, sorted, n, sizeof(*sorted), frow_cmp);
		if (!r) {
			*unknown = hops == 0;
			return NULL;
		}
		parent = r->parent;
	}
	return NULL;
}

/* units.csv: a unit that exists must be in the subtree; the actor's own
 * unit keeps its parent; every other unit is placed under the subtree,
 * directly or through units the file creates. */
static void check_units(struct check *c, struct csv_reader *r, char **h, size_t nh)
{
	const struct unitree *t = c->sc->tree;
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
		struct unode *u = unitree_find(t, f->code);
		int unknown;
		if (u && !unitree_within(u, c->scope)) {
			problem(c, f->line, "code", SVC_IMPORT_UNIT_ELSEWHERE, f->code, STEP_NONE);
			continue;
		}
		if (u == c->scope) {
			/* One's own unit stays where the level above put it. */
			const char *now = c->scope->parent ? c->scope->parent->u.code : NULL;
			if ((now == NULL) != (f->parent == NULL) || (now && strcmp(now, f->parent) != 0))
				problem(c, f->line, "parent", SVC_IMPORT_OWN_UNIT_MOVED, f->code,
					STEP_NONE);
			continue;
		}
		if (!f->parent) {
			/* A new root, or a unit taken out of the tree. */
			problem(c, f->line, "parent", SVC_IMPORT_NO_PARENT, f->code, STEP_NONE);
			continue;
		}
		struct unode *top = chain_top(t, sorted, n, f->parent, &unknown);
		if ((top && !unitree_within(top, c->scope)) ||
		    (unknown && c->sc->unknown_as_outside))
			problem(c, f->line, "parent", SVC_IMPORT_PARENT_ELSEWHERE, f->parent, STEP_NONE);
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
static char *person_unit(struct check *c, const char *ref)
{
	struct person p;
	char *unit = NULL;
	if (store_person_get(c->sc->store, ref, &p) == KN_OK) {
		unit = xstrdup(p.unit ? p.unit : "");
		person_release(&p);
	}
	return unit;
}

/* people.csv: the unit named must be in the subtree, and so must the
 * person a row changes. */
static void check_people(struct check *c, struct csv_reader *r, char **h, size_t nh)
{
	int cref = column(h, nh, "ref"), cunit = column(h, nh, "unit");
	struct buf ref = BUF_INIT, unit = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0)
			continue;
		if (field(&row, cunit, &unit) && outside(c, unit.s))
			problem(c, row.line, "unit", SVC_IMPORT_UNIT_OUTSIDE, unit.s, STEP_NONE);
		if (field(&row, cref, &ref)) {
			char *pu = person_unit(c, ref.s);
			if (pu && !within(c, pu))
				problem(c, row.line, "ref", SVC_IMPORT_PERSON_ELSEWHERE, ref.s,
					STEP_NONE);
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
static void check_steps(struct check *c, struct csv_reader *r, char **h, size_t nh)
{
	const struct unitree *t = c->sc->tree;
	int cperson = column(h, nh, "person"), cstep = column(h, nh, "step");
	int corg = column(h, nh, "org");
	struct buf ref = BUF_INIT, code = BUF_INIT, v = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0)
			continue;
		enum step_code sc = field(&row, cstep, &code) ? step_from_name(code.s) : STEP_NONE;
		if (field(&row, cperson, &ref)) {
			char *pu = person_unit(c, ref.s);
			if (pu && within(c, pu) && sc != STEP_NONE &&
			    !actor_may_record(c->sc->actor, t, unitree_find(t, pu), sc))
				problem(c, row.line, "step", SVC_IMPORT_STEP_REFUSED, ref.s, sc);
			free(pu);
		}
		if ((sc == STEP_DECISION || sc == STEP_OFFICIAL) && field(&row, corg, &v) &&
		    outside(c, v.s))
			problem(c, row.line, "org", SVC_IMPORT_ORG_ELSEWHERE, v.s, STEP_NONE);
	}
	buf_release(&ref);
	buf_release(&code);
	buf_release(&v);
	buf_release(&msg);
}

/* quotas.csv: the unit of each quota must be in the subtree. */
static void check_quotas(struct check *c, struct csv_reader *r, char **h, size_t nh)
{
	int cunit = column(h, nh, "unit");
	struct buf unit = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0 || !field(&row, cunit, &unit))
			continue;
		if (outside(c, unit.s))
			problem(c, row.line, "unit", SVC_IMPORT_UNIT_OUTSIDE, unit.s, STEP_NONE);
	}
	buf_release(&unit);
	buf_release(&msg);
}

/* issue 15: transfers.csv: a letter is the sending unit's (`from` in the
 * subtree), an arrival the destination's (`to` in the subtree); the
 * importer judges the rest (the person, the chain, a new row's sides). */
static void check_transfers(struct check *c, struct csv_reader *r, char **h, size_t nh)
{
	int cfrom = column(h, nh, "from"), cto = column(h, nh, "to");
	int carrived = column(h, nh, "arrived");
	struct buf from = BUF_INIT, to = BUF_INIT, v = BUF_INIT, msg = BUF_INIT;
	struct csv_row row;
	int rc;

	while ((rc = csv_read_row(r, &row, &msg)) != 0) {
		if (rc < 0)
			continue;
		if (field(&row, carrived, &v)) {
			if (field(&row, cto, &to) && outside(c, to.s))
				problem(c, row.line, "to", SVC_IMPORT_UNIT_OUTSIDE, to.s, STEP_NONE);
		} else if (field(&row, cfrom, &from) && outside(c, from.s)) {
			problem(c, row.line, "from", SVC_IMPORT_UNIT_OUTSIDE, from.s, STEP_NONE);
		}
	}
	buf_release(&from);
	buf_release(&to);
	buf_release(&v);
	buf_release(&msg);
}

enum kn_err svc_import_check(const struct svc_import_scope *sc, enum io_kind k, const char *data,
			     size_t len, struct svc_import_problems *out)
{
	struct check c = { sc, actor_scope(sc->actor, sc->tree), out };
	struct csv_reader *r;
	struct csv_row hdr;
	struct buf msg = BUF_INIT;

	if (!c.scope)
		return KN_EPERM;
	if (k == IO_HOLIDAYS) {
		if (c.scope->parent)
			problem(&c, 1, "header", SVC_IMPORT_HOLIDAYS, "", STEP_NONE);
		return KN_OK;
	}
	r = csv_reader_new(data, len);
	if (csv_read_row(r, &hdr, &msg) == 1) {
		/* The header's fields live until the next read: keep a copy. */
		size_t nh = hdr.n;
		char **h = xcalloc(nh + 1, sizeof(char *));
		for (size_t i = 0; i < nh; i++)
			h[i] = xstrdup(hdr.fields[i]);
		switch (k) {
		case IO_UNITS: check_units(&c, r, h, nh); break;
		case IO_PEOPLE: check_people(&c, r, h, nh); break;
		case IO_STEPS: check_steps(&c, r, h, nh); break;
		case IO_QUOTAS: check_quotas(&c, r, h, nh); break;
		case IO_TRANSFERS: check_transfers(&c, r, h, nh); break;
		default: break;
		}
		for (size_t i = 0; i < nh; i++)
			free(h[i]);
		free(h);
	}
	csv_reader_free(r);
	buf_release(&msg);
	return KN_OK;
}

void svc_import_describe(const struct svc_import_scope *sc, const struct svc_import_problem *p,
			 struct buf *out)
{
	const struct actor *a = sc->actor;
	const char *scope = a->unit ? a->unit : "";

	switch (p->why) {
	case SVC_IMPORT_UNIT_ELSEWHERE:
		buf_addf(out, _("unit %s belongs to another part of the organisation; you "
				"administer %s and the units below it"), p->value, scope);
		break;
	case SVC_IMPORT_OWN_UNIT_MOVED:
		buf_addf(out, _("your own unit %s cannot be moved; its parent is set "
				"by the level above"), p->value);
		break;
	case SVC_IMPORT_NO_PARENT:
		buf_addf(out, _("a unit must be placed under %s or a unit below it"), scope);
		break;
	case SVC_IMPORT_PARENT_ELSEWHERE:
	case SVC_IMPORT_UNIT_OUTSIDE:
		buf_addf(out, _("%s is not %s or a unit below it"), p->value, scope);
		break;
	case SVC_IMPORT_PERSON_ELSEWHERE:
		buf_addf(out, _("%s is a person of another part of the organisation, "
				"outside %s"), p->value, scope);
		break;
	case SVC_IMPORT_STEP_REFUSED:
		buf_addf(out, _("%s, %s of %s, may not record %s for %s"), a->name ? a->name : "",
			 role_name(a->role), scope, step_name(p->step), p->value);
		break;
	case SVC_IMPORT_ORG_ELSEWHERE:
		buf_addf(out, _("no unit with code %s; name the deciding committee by its unit code"),
			 p->value);
		break;
	case SVC_IMPORT_HOLIDAYS:
		buf_addf(out, "%s", _("the holiday calendar applies to everyone; only an "
				      "administrator of the top unit may change it"));
		break;
	}
}
