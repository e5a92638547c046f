/*
 * svc_import.h — what an import may touch: the subtree check every front
 * end runs before the importer (io/import.c) writes a row. `ketnap
 * import`, the import page (POST /import) and the JSON API (POST
 * /api/v1/imports/KIND) call this one function and only word its
 * findings in their own way (a terminal line, an HTML list item, a JSON
 * object) and choose their exit code or HTTP status.
 *
 * An account imports into its own unit's subtree only (PRODUCT.md): a
 * row that would change a unit or person outside it, move a unit out of
 * it, move the account's own unit, or record a step the account's role
 * may not record refuses the whole import, named by its line and column.
 * Rows the importer refuses anyway (unknown codes, bad cells) are left to
 * it, unless the caller asks for unknown codes to be answered as ones
 * outside the subtree (the JSON API does, so that its answers do not tell
 * which codes exist elsewhere). The holiday calendar is everyone's: only
 * an account of a top unit may import it.
 *
 * Nothing here knows HTTP or the terminal; the problems carry the codes
 * and values, and svc_import_describe() words them for the command line
 * and the import page alike.
 */
#ifndef KN_SVC_IMPORT_H
#define KN_SVC_IMPORT_H

#include <stddef.h>

#include "core/actor.h"
#include "core/model.h"
#include "core/unitree.h"
#include "io/export.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

/* Why a row is refused. The column each is reported under is in
 * struct svc_import_problem. */
enum svc_import_why {
	SVC_IMPORT_UNIT_ELSEWHERE,	/* units.csv code: an existing unit outside the subtree */
	SVC_IMPORT_OWN_UNIT_MOVED,	/* units.csv parent: the actor's own unit given another parent */
	SVC_IMPORT_NO_PARENT,		/* units.csv parent: empty (a new root, or a unit taken out) */
	SVC_IMPORT_PARENT_ELSEWHERE,	/* units.csv parent: leads outside the subtree */
	SVC_IMPORT_UNIT_OUTSIDE,	/* people.csv, quotas.csv unit: outside the subtree */
	SVC_IMPORT_PERSON_ELSEWHERE,	/* people.csv ref: an existing person outside the subtree */
	SVC_IMPORT_STEP_REFUSED,	/* steps.csv step: the actor's role may not record it for the person */
	SVC_IMPORT_ORG_ELSEWHERE,	/* steps.csv org: a deciding committee outside the subtree */
	SVC_IMPORT_HOLIDAYS,		/* holidays.csv header: the actor's unit is not a top unit */
};

struct svc_import_problem {
	size_t line;		/* the row's line in the file (1: the header) */
	const char *column;	/* static: "code", "parent", "unit", "ref", "step", "org", "header" */
	enum svc_import_why why;
	char *value;		/* the cell named (the code, ref or parent); "" when none */
	enum step_code step;	/* SVC_IMPORT_STEP_REFUSED: the step refused */
};

/* The problems of one or more files, in the order found (by row within
 * a file). Owns its values; svc_import_problems_release() frees them. */
struct svc_import_problems {
	struct svc_import_problem *v;
	size_t n;
};

/* Who imports, and where the facts come from; all borrowed. */
struct svc_import_scope {
	struct store *store;		/* people are looked up here */
	const struct unitree *tree;	/* the organisation */
	const struct actor *actor;	/* name, unit, role */
	/* Answer a unit code that does not exist (a people or quotas unit,
	 * a parent the file does not create, a deciding committee) as one
	 * outside the subtree, instead of leaving it to the importer. */
	int unknown_as_outside;
};

/* The least role an import of kind k needs: units and holidays an
 * administrator, quotas an approver, people and steps an editor (each
 * step row is then judged as `ketnap step` judges it). */
enum role svc_import_role(enum io_kind k);

/* Append to out every row of the CSV file data[0..len) (list k) that
 * reaches outside the actor's subtree. A file whose header cannot be
 * read is left to the importer (import_check_header()). KN_EPERM, with
 * nothing appended, when the actor's unit is not in the tree; KN_OK
 * otherwise, problems or none. */
enum kn_err svc_import_check(const struct svc_import_scope *sc, enum io_kind k, const char *data,
			     size_t len, struct svc_import_problems *out);

/* 1 when the actor may import the holiday calendar as far as the subtree
 * goes: its unit is a top unit of the tree (the role is the caller's). */
int svc_import_holidays_ok(const struct svc_import_scope *sc);

/* Append the problem's message (without "FILE:LINE: column: ") to out,
 * in the words of `ketnap import` and the import page, which name the
 * actor's unit (sc->actor). The JSON API words its own. */
void svc_import_describe(const struct svc_import_scope *sc, const struct svc_import_problem *p,
			 struct buf *out);

void svc_import_problems_release(struct svc_import_problems *p);

#endif
