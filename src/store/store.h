/*
 * store.h — the backend-neutral storage API. All SQL lives behind it.
 *
 * A struct store is one connection to one database: a SQLite file
 * (store_sqlite.c) or a PostgreSQL server (store_pg.c), both running the
 * one statement table of statements.c (store_impl.h). Nothing here exposes
 * the backend: callers see model structs (core/model.h), enum kn_err and
 * a message. Ownership: every struct filled by a store_* function is the
 * caller's, released with the model's *_release(); arrays returned
 * through `**out` are heap arrays the caller frees after releasing each
 * element (the store_..._free helpers do both).
 *
 * Errors: KN_ENOTFOUND for a missing row, KN_ECONFLICT for a uniqueness
 * or concurrency conflict, KN_EIO for anything the backend reports
 * (store_errmsg() says what). Writes happen inside store_begin() /
 * store_commit(); begin/commit nest (only the outermost pair reaches the
 * database) and store_rollback() at any depth rolls everything back.
 */
#ifndef KN_STORE_H
#define KN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/model.h"
#include "core/policy.h"
#include "util/buf.h"
#include "util/err.h"

struct store;

/* Open the database named by url: a file path (SQLite) or a
 * postgresql URL. Without `create`, a file that does not exist is
 * KN_ENOTFOUND. On error *out is NULL and err holds the reason. */
enum kn_err store_open(const char *url, int create, struct store **out, struct buf *err);

void store_close(struct store *s);

/* "SQLite" or "PostgreSQL". */
const char *store_backend(struct store *s);

/* The last backend error message (static until the next call). */
const char *store_errmsg(struct store *s);

/* Schema: apply every pending numbered migration, each in its own
 * transaction. from and to get the versions before and after. */
enum kn_err store_migrate(struct store *s, int *from, int *to);
/* The schema version (0 for an empty database). */
int store_schema_version(struct store *s);
/* The newest version this program knows. */
int store_latest_version(void);

enum kn_err store_begin(struct store *s);
enum kn_err store_commit(struct store *s);
void store_rollback(struct store *s);

/* A consistent copy of the database into a new file. */
enum kn_err store_backup(struct store *s, const char *path);

/* ---- units ---- */
/* The single-record getters (unit, person, user) leave *out empty and
 * safe to release when they return an error, KN_ENOTFOUND included. */
enum kn_err store_unit_get(struct store *s, const char *code, struct unit *out);
/* Every unit, ordered by code. */
enum kn_err store_unit_all(struct store *s, struct unit **out, size_t *n);
/* fn for every unit, in table order (by id), with u's strings borrowed
 * for the call and u->parent NULL: parent_id points to the parent's id,
 * or is NULL for a unit without a parent. fn runs no statement; a
 * nonzero return stops the walk. What unitree_load reads. */
typedef int (*store_unit_fn)(void *arg, const struct unit *u, const int64_t *parent_id);
enum kn_err store_unit_each(struct store *s, store_unit_fn fn, void *arg);
/* The same for the unit of code (or, code NULL, of id), every unit above
 * it and its children, in no set order: none when there is no such unit.
 * What a lazy unit tree (unitree_lazy) reads. */
enum kn_err store_unit_near(struct store *s, const char *code, int64_t id, store_unit_fn fn,
			    void *arg);
/* The units of the subtree of `top` (NULL: of the first root in code
 * order) and the ancestors of top, in no set order: what a report over
 * top needs of the tree (unitree_build sorts them). KN_ENOTFOUND for an
 * unknown top; none (n 0) when there are no units. */
enum kn_err store_unit_subtree(struct store *s, const char *top, struct unit **out, size_t *n);
/* The first root in code order (KN_ENOTFOUND when there are no units);
 * *out as store_unit_get() leaves it. */
enum kn_err store_unit_first_root(struct store *s, struct unit *out);
/* How many units have no parent: with one, its subtree is every unit. */
enum kn_err store_unit_nroots(struct store *s, long long *n);
/* Insert or update by code (the parent must exist). *changed: 0 same,
 * 1 updated, 2 inserted. The unit's path in the tree (and, when its
 * parent changes, its descendants') is written with it; a parent within
 * the unit's own subtree is refused (KN_EINVAL). */
enum kn_err store_unit_put(struct store *s, const struct unit *u, int *changed);
/* issue 13: store_unit_put() of a unit the caller knows is not stored
 * and whose parent it wrote first or knows is stored (the units
 * importer, which read every unit in its own open transaction and
 * checked each parent), without reading first, as store_person_add(). */
enum kn_err store_unit_add(struct store *s, const struct unit *u);
/* issue 13: store_unit_add() of u[0..n) in that order, in one statement
 * (S_UNITS_ADD) for the lot: each gets the id and the path that n calls
 * would have given it. No unit of u[] may be the parent of another (a
 * caller writes a tree a depth at a time); each parent must be stored.
 * A unit whose parent is not stored fails the whole batch (KN_EINVAL,
 * said), as does anything the database refuses; nothing is written then
 * (the caller's transaction is failed on PostgreSQL). */
enum kn_err store_units_add(struct store *s, const struct unit *const *u, size_t n);
/* Write every unit's path in the tree again from the parent links (one
 * statement; *changed, may be NULL, gets how many paths it changed): for
 * a bulk writer of units that does not go through store_unit_put. */
enum kn_err store_unit_paths_rebuild(struct store *s, long long *changed);
void store_units_free(struct unit *u, size_t n);

/* ---- people ---- */
enum kn_err store_person_get(struct store *s, const char *ref, struct person *out);
enum kn_err store_person_get_id(struct store *s, int64_t id, struct person *out);
/* Insert or update by ref; search_name is the folded full name. The
 * person's name-order key (people.name_key) is written with it. */
enum kn_err store_person_put(struct store *s, const struct person *p,
			     const char *search_name, int *changed);
/* issue 13: store_person_put() of a person the caller knows is not
 * stored (it read every person in its own open transaction: the people
 * importer), without reading first. PostgreSQL may send the insert ahead
 * (store_pg.c): a failure of it, which would be a fault of the program
 * (a ref stored after all), is then reported by a later call or the
 * commit, naming the ref, and the transaction rolls back. */
enum kn_err store_person_add(struct store *s, const struct person *p,
			     const char *search_name);
/* People whose folded name contains `folded` (already folded by the
 * caller). Unordered: the caller sorts in Vietnamese order. */
enum kn_err store_person_find(struct store *s, const char *folded,
			      struct person **out, size_t *n);
/* Every person, ordered by ref. */
enum kn_err store_person_all(struct store *s, struct person **out, size_t *n);
void store_people_free(struct person *p, size_t n);
/* issue 13: what a people import streaming its rows asks. */
/* *any: 1 when the people table holds anyone, else 0. */
enum kn_err store_people_any(struct store *s, int *any);
/* store_person_put() for a caller that read the stored person already:
 * old is what store_person_get() gave for p->ref, NULL when it gave
 * KN_ENOTFOUND (p is then inserted). */
enum kn_err store_person_put_known(struct store *s, const struct person *p,
				   const struct person *old, const char *search_name,
				   int *changed);
/* Every unit's code, sorted as strcmp() sorts (*out and each code the
 * caller's to free): what a list's unit cells are checked against. */
enum kn_err store_unit_codes_sorted(struct store *s, char ***out, size_t *n);
/* fn for every person who shares a folded name (search_name) and birth
 * date with someone else, unordered, with the texts borrowed for the
 * call; fn runs no statement. */
enum kn_err store_people_dup_rows(struct store *s,
				  void (*fn)(void *arg, const char *search_name, kn_date birth,
					     const char *ref, const char *full_name,
					     const char *unit),
				  void *arg);

/* ---- candidacies and steps ---- */
/* Every candidacy of a person, oldest first, each with its steps in
 * recorded order (person refs filled in for member/introducers). */
enum kn_err store_candidacies_of(struct store *s, int64_t person_id,
				 struct candidacy **out, size_t *n);
void store_candidacies_free(struct candidacy *c, size_t n);
/* A new open candidacy considered by unit_code. */
enum kn_err store_candidacy_new(struct store *s, int64_t person_id,
				const char *unit_code, int64_t *id);
/* The same, saying whether it is a re-admission (RULES.md §9): fixed
 * for good here, in the source step's transaction (migration 010). */
enum kn_err store_candidacy_open(struct store *s, int64_t person_id, const char *unit_code,
				 int readmission, int64_t *id);
/* Issue 15, re-admission: the person left on `on` for `reason` (a
 * struck_off step; the latest leaving replaces an earlier one), and the
 * person was re-admitted by a decision dated `decision` (stored
 * membership dates, the earlier membership's, become that decision's:
 * member_since the decision, official_since none). In the caller's
 * transaction. */
enum kn_err store_person_leave(struct store *s, int64_t person_id, kn_date on,
			       const char *reason);
enum kn_err store_person_set_readmitted(struct store *s, int64_t person_id, kn_date decision);
/* Append a step to a candidacy and set its derived stage and open flag,
 * in the caller's transaction. Refs in st (member, introducers) must
 * name people. expect_version: the candidacy's version the caller read
 * (-1 to skip the check); KN_ECONFLICT when it moved meanwhile. */
enum kn_err store_step_add(struct store *s, int64_t candidacy_id, const struct step *st,
			   enum step_code stage, int open, int64_t expect_version,
			   int64_t *step_id);
/* Replace the facts of a recorded step (a re-import of a changed row). */
enum kn_err store_step_update(struct store *s, int64_t step_id, const struct step *st);
/* The candidacy's version, for optimistic locking. Read inside a write
 * transaction it stays locked until commit (no other writer can move it
 * meanwhile), on both backends. */
enum kn_err store_candidacy_version(struct store *s, int64_t candidacy_id, int64_t *version);
/* issue 13: a bulk writer's two halves of store_step_add(), for a
 * candidacy it opened or moved in its own open transaction (no other
 * writer can touch it meanwhile): store_step_append() inserts step st as
 * number seq of the candidacy, the people it names already looked up
 * (member_id, intro1_id, intro2_id: 0 for none; each must be the id of
 * st's ref), without moving the candidacy; store_candidacy_stage_n() then
 * writes the stage and open flag after n such steps (the version moves
 * on by n, as n store_step_add() calls would have moved it), and with
 * them the candidacy's dates of migration 016 (dates[], in the order of
 * enum cand_date_col: the latest date of its steps, of each kind), which
 * the caller folds from every step of the candidacy (cand_dates_fold()).
 * Issue 13: a bulk load (store_bulk_begin) drops or skips the insert
 * trigger that keeps those dates; when every step it inserted was counted
 * by a dated store_candidacy_stage_n() (n of them, its candidacy's
 * steps all appended in the load), store_bulk_end() recomputes none, and
 * the candidacy is written twice (insert, stage with dates), not three
 * times. */
enum cand_date_col {
	CDATE_LAST, CDATE_TRAINED, CDATE_INTRODUCED, CDATE_CELL_VOTE, CDATE_COMMITTEE_VOTE,
	CDATE_DECISION, CDATE_CEREMONY, CDATE_PROBATION_VOTE, CDATE_CLOSED, CDATE_NDATES
};
/* Fold a step of code on date into dates[CDATE_NDATES] (KN_DATE_NONE: none
 * yet), as S_CAND_DATES_SINCE's MAX() terms would count it. */
void cand_dates_fold(kn_date *dates, enum step_code code, kn_date date);
enum kn_err store_step_append(struct store *s, int64_t candidacy_id, int64_t seq,
			      const struct step *st, int64_t member_id, int64_t intro1_id,
			      int64_t intro2_id, int64_t *step_id);
enum kn_err store_candidacy_stage_n(struct store *s, int64_t candidacy_id,
				    enum step_code stage, int open, int64_t n,
				    const kn_date dates[CDATE_NDATES]);
/* store_candidacy_open() for the same bulk writer, holding the store
 * alone (on SQLite the new id is the connection's last inserted row). */
enum kn_err store_candidacy_open_bulk(struct store *s, int64_t person_id,
				      const char *unit_code, int readmission, int64_t *id);

/* Every step of every candidacy for export, in the canonical order of
 * the steps list: by person ref, then candidacy (oldest first), then step
 * date, then the pipeline order of the step code (enum step_code), then
 * the recorded id. The importer sorts a file by person, date and pipeline
 * order, so an exported file is recorded again in the same order and a
 * second export is identical (a `mentor` recorded out of date order comes
 * back in its date's place). fn returns nonzero to stop. */
typedef int (*store_step_fn)(void *arg, const char *person_ref, const struct step *st);
enum kn_err store_step_each(struct store *s, store_step_fn fn, void *arg);

/* issue 13: the reads of `ketnap export` (io/export.c), each one
 * statement whose rows come to fn as they are read (fn runs no statement;
 * texts are borrowed for the call; a nonzero return stops), in the order
 * of the whole export's; top: only what belongs to the subtree of that
 * unit (an account's export: the people whose unit is in it, their steps
 * and transfers, the quotas of its units, the units from top down), NULL:
 * everything. An unknown top is KN_ENOTFOUND (said), except for the
 * units, which are then none. */
enum kn_err store_step_each_in(struct store *s, const char *top, store_step_fn fn, void *arg);
/* Every person by ref, with the steps that show their membership dates
 * (decision, ceremony, official and struck_off, code and date only) in
 * their candidacies (by id, steps in recorded order; candidacies without
 * such steps have none): what ledger_membership_recorded() reads. */
typedef int (*store_person_export_fn)(void *arg, const struct person *p,
				      const struct candidacy *c, size_t nc);
enum kn_err store_person_export_each(struct store *s, const char *top,
				     store_person_export_fn fn, void *arg);
/* Units depth-first, children sorted by code (strcmp), from the roots in
 * code order or from top. */
typedef int (*store_unit_row_fn)(void *arg, const struct unit *u);
enum kn_err store_unit_export_each(struct store *s, const char *top, store_unit_row_fn fn,
				   void *arg);

/* ---- quotas ---- */
struct quota {
	char *unit;
	int year;
	char *category;
	long long target;
};
enum kn_err store_quota_put(struct store *s, const struct quota *q, int *changed);
/* issue 13: store_quota_put() of a quota the caller knows is not stored
 * (the quotas importer), as store_person_add() is store_person_put(). */
enum kn_err store_quota_add(struct store *s, const struct quota *q);
/* Ordered by unit code, year, category. */
enum kn_err store_quota_all(struct store *s, struct quota **out, size_t *n);
/* The quotas of `year` of the units of the subtree of `top`, in no set
 * order. KN_ENOTFOUND for an unknown top. */
enum kn_err store_quota_subtree(struct store *s, const char *top, int year, struct quota **out,
				size_t *n);
/* The same quotas of `year` (top NULL: of every unit) one at a time, for
 * the reports: fn(arg, unit id, category, target), the category borrowed
 * for the call only; a nonzero return stops. KN_ENOTFOUND for an
 * unknown top. */
typedef int (*store_quota_fn)(void *arg, int64_t unit_id, const char *category,
			      long long target);
enum kn_err store_quota_year_each(struct store *s, const char *top, int year, store_quota_fn fn,
				  void *arg);
/* issue 13: the quotas as store_quota_all() orders them, one at a time
 * (store_step_each_in() says how). */
typedef int (*store_quota_row_fn)(void *arg, const struct quota *q);
enum kn_err store_quota_each(struct store *s, const char *top, store_quota_row_fn fn, void *arg);
void store_quotas_free(struct quota *q, size_t n);

/* ---- holidays ---- */
enum kn_err store_holiday_put(struct store *s, const struct holiday *h, int *changed);
/* Ordered by date. Free with holidays_free(). */
enum kn_err store_holiday_all(struct store *s, struct holiday **out, size_t *n);

/* ---- issue 15: the DL-DECISION extension (migration 012) ---- */
/* The extension the competent committee gave a candidacy: its date,
 * document number, the committee's unit code and the account that
 * recorded it (strings owned, extension_release()). */
struct extension {
	kn_date date;
	char *doc_no;
	char *unit;
	char *actor;
};
/* KN_ENOTFOUND (out zeroed, date KN_DATE_NONE) when it has none. */
enum kn_err store_extension_get(struct store *s, int64_t candidacy_id, struct extension *out);
/* Write one (x->unit a unit code); KN_ECONFLICT when the candidacy has
 * one already. */
enum kn_err store_extension_put(struct store *s, int64_t candidacy_id, const struct extension *x);
void extension_release(struct extension *x);

/* issue 15: the sources report. For the candidacies considered by `top`
 * or a unit below it (NULL: every unit), per nominating organisation in
 * the order of label_orgs (youth_union … cell, other; an org outside the
 * list counts as other): how many have their source step dated from..to
 * (sourced[i]) and their decision dated from..to (admitted[i], by the org
 * of their source). KN_ENOTFOUND for an unknown top. */
#define STORE_NORGS 7
enum kn_err store_source_counts(struct store *s, const char *top, kn_date from, kn_date to,
				long long sourced[STORE_NORGS], long long admitted[STORE_NORGS]);

/* ---- policy ---- */
/* Rows as stored (strings owned by the array, freed by store_policy_free). */
enum kn_err store_policy_all(struct store *s, struct policy_row **out, size_t *n);
enum kn_err store_policy_put(struct store *s, const struct policy_row *r);
void store_policy_free(struct policy_row *r, size_t n);

/* ---- reports ---- */
/* One admission: a decision step and what the structure categories of
 * RULES.md §6 need to know of the person. */
struct admission {
	char *unit;		/* the candidacy's considering unit; NULL when the
				 * read was of every unit (top NULL): then unit_id */
	int64_t unit_id;	/* the same unit's id */
	kn_date decision;
	char sex;
	kn_date birth_date;
	char *ethnicity;
	char *religion;
	int youth_union;
	char *occupation;
	char *qualification;
	int readmission;	/* the candidacy is a re-admission (§9) */
};
/* Every decision step dated from..to (inclusive) of a candidacy
 * considered by unit `top` or a unit below it (NULL: every unit), in no
 * set order. KN_ENOTFOUND for an unknown top. */
enum kn_err store_admissions(struct store *s, const char *top, kn_date from, kn_date to,
			     struct admission **out, size_t *n);
/* The same admissions one at a time: fn(arg, a), the strings of *a
 * borrowed for the call only; a nonzero return stops. A nation's 150 k
 * admissions a year are not held at once, nor their strings copied. */
typedef int (*store_admission_fn)(void *arg, const struct admission *a);
enum kn_err store_admissions_each(struct store *s, const char *top, kn_date from, kn_date to,
				  store_admission_fn fn, void *arg);
/* Of the same admissions only their units' ids: fn(arg, unit id). Nothing
 * of the people is read. */
typedef int (*store_admission_unit_fn)(void *arg, int64_t unit_id);
enum kn_err store_admission_units_each(struct store *s, const char *top, kn_date from,
				       kn_date to, store_admission_unit_fn fn, void *arg);
void store_admissions_free(struct admission *a, size_t n);

/* How many candidacies considered by `top` or a unit below it (NULL:
 * every unit) have a step of each code dated from..to: reached[code], the
 * others 0. KN_ENOTFOUND for an unknown top. */
enum kn_err store_step_counts(struct store *s, const char *top, kn_date from, kn_date to,
			      long long reached[STEP__COUNT]);

/* Every candidacy with a source step dated on or before as_of that was
 * still open then (is_open now, or has a step dated after as_of), with
 * its person and steps in recorded order. fn returns nonzero to stop. */
struct pipeline {
	const char *person_ref;
	const char *full_name;
	const char *unit;	/* considering unit */
	const struct step *steps;
	size_t nsteps;
	/* issue 15: the date of the DL-DECISION extension, KN_DATE_NONE
	 * without one (store_pipeline_dates only; store_pipeline_each
	 * leaves it KN_DATE_NONE). */
	kn_date decision_extended;
	/* The person's id (store_pipeline_dates_bare only; else 0). */
	int64_t person_id;
	/* Issue 13: store_pipeline_latest of every unit (top NULL) hands
	 * most candidacies over with unit NULL and the unit's id here (0
	 * when unit is set): the caller's tree has it (unitree_find_id). */
	int64_t unit_id;
};
typedef int (*store_pipeline_fn)(void *arg, const struct pipeline *p);
enum kn_err store_pipeline_each(struct store *s, kn_date as_of, store_pipeline_fn fn, void *arg);
/* The candidacies considered by the unit `top` or a unit below it (NULL:
 * every unit) that were open on as_of: source dated on or before it, and
 * open now or closed (official or an ending step) by a step dated after
 * it. Each comes with its person and its steps in recorded order, as from
 * store_pipeline_each, except that a step carries only its id, code and
 * date (the rest as step_init() leaves it): what deadlines_for() and
 * ledger_next_step() need, read at a fraction of the cost of every fact
 * (the dashboard of `ketnap serve`, the deadlines report and the summary).
 * The subtree is a range of the units' paths. KN_ENOTFOUND for an unknown
 * top. fn returns nonzero to stop. */
enum kn_err store_pipeline_dates(struct store *s, const char *top, kn_date as_of,
				 store_pipeline_fn fn, void *arg);
/* Issue 13: the same, for the decisions queue (core/queue.h): only the
 * candidacies that may wait for the decision on as_of (at cell_vote or
 * committee_vote, or with a step dated after as_of, or in transit); each
 * candidacy that store_pipeline_dates hands over and queue_waiting()
 * keeps comes, with the same steps. */
enum kn_err store_queue_dates(struct store *s, const char *top, kn_date as_of,
			      store_pipeline_fn fn, void *arg);
/* Issue 13: store_pipeline_dates without the people: person_ref and
 * full_name NULL, person_id set, for a caller that needs the names of a
 * few of them (store_people_names) or none. */
enum kn_err store_pipeline_dates_bare(struct store *s, const char *top, kn_date as_of,
				      store_pipeline_fn fn, void *arg);
/* Issue 13 (migration 016): the candidacies of store_pipeline_dates (or,
 * bare, of store_pipeline_dates_bare), for a caller that reads of the
 * steps only what deadlines_for_ext() and queue_waiting_ext() read: one
 * whose steps are all dated on or before as_of and that is not closed
 * comes with one step (code and date, id 0) for each of trained,
 * introduced, cell_vote, committee_vote, decision, ceremony and
 * probation_vote it has, dated the latest of that kind (candidacies'
 * stored dates), instead of all its steps; those two functions answer
 * the same from either. Not in the order of ids: those settled first (in
 * no order), then the others by id. top NULL: every unit, and the
 * settled ones come with unit NULL and unit_id set. */
enum kn_err store_pipeline_latest(struct store *s, const char *top, kn_date as_of, int bare,
				  store_pipeline_fn fn, void *arg);
/* `ketnap verify`: each candidacy whose stored dates (store_pipeline_latest)
 * are not those of its steps, by id, with its person's ref (NULL when the
 * person is missing). fn returns nonzero to stop. */
typedef int (*store_wrong_fn)(void *arg, int64_t candidacy_id, const char *person_ref);
enum kn_err store_cand_dates_wrong(struct store *s, store_wrong_fn fn, void *arg);
/* `ketnap verify`: each person whose stored latest candidacy's unit and
 * openness (migration 018, the list's indexes) are not those of their
 * candidacies, by id, with the ref; fn as above, the id a person's. */
enum kn_err store_people_latest_wrong(struct store *s, store_wrong_fn fn, void *arg);
/* The ref and full name of each person of ids[0..n) (any order, repeats
 * allowed; an unknown id is skipped), handed to fn in no given order;
 * read in batches, one statement each. fn returns nonzero to stop. */
typedef int (*store_name_fn)(void *arg, int64_t id, const char *ref, const char *full_name);
enum kn_err store_people_names(struct store *s, const int64_t *ids, size_t n, store_name_fn fn,
			       void *arg);
/* The same candidacies and steps for a count of the dossiers waiting
 * (the summary's): the person's ref and full name NULL; top NULL: every
 * unit (top the only root), without comparing the units' paths. */
enum kn_err store_queue_wait(struct store *s, const char *top, kn_date as_of,
			     store_pipeline_fn fn, void *arg);

/* A person's latest candidacy (or the person alone: candidacy_id 0,
 * stage STEP_NONE, open 0), with what a list of candidates shows and
 * filters on (the structure categories need the person's facts and the
 * unit: the candidacy's, or the person's when there is none). */
struct cand_summary {
	int64_t candidacy_id;
	char *ref;
	char *full_name;
	char *unit;		/* considering unit */
	enum step_code stage;
	int open;
	kn_date last_date;	/* date of the latest step */
	kn_date decision;	/* KN_DATE_NONE before the decision */
	char sex;
	kn_date birth_date;
	char *ethnicity;
	char *religion;
	int youth_union;
	char *occupation;
	char *qualification;
	kn_date member_since, official_since;
	int readmission;	/* the candidacy is a re-admission (§9) */
};

/* Whom a list keeps, by their latest candidacy. */
enum cand_whom {
	CAND_ALL, CAND_OPEN,
	CAND_NOT_OPEN,		/* closed, or no candidacy */
	CAND_DECIDED,		/* a decision step recorded (admitted) */
	CAND_CLOSED,		/* closed without a decision */
};
/* How the database reads a list's page: the same rows, at a cost that
 * depends on how many pass the filters (the caller knows best). */
enum cand_plan {
	CAND_WALK,	/* everyone in name order, keeping who passes: cheap when
			 * many pass (the page fills after a few rows) */
	CAND_BY_UNIT,	/* the candidacies of the subtree of `unit`, sorted:
			 * cheap when it is small; ignored without a unit or
			 * with people = 1 (they would not come) */
	CAND_SCAN,	/* everyone in any order, the few who pass sorted:
			 * cheap when few pass (store_cand_count said so) */
};
/* The filters of a list, all judged by the database. */
struct cand_filter {
	const char *folded;	/* the folded name contains it; NULL or "": any */
	const char *ref;	/* this ref is found whatever its name; NULL: none */
	const char *unit;	/* the subtree of this unit code; NULL: everyone */
	const char *stage;	/* a step name the candidacy is at, or for people
				 * without one "member" or "official" (as of
				 * today); NULL: any */
	enum cand_whom whom;
	int people;		/* 1: people without a candidacy come too */
	kn_date today;
	enum cand_plan plan;
};
/* One page of the list in Vietnamese name order (text_name_key(), then
 * the ref as bytes): up to `limit` rows after the person whose ref is
 * `after` (NULL: from the first), `offset` rows skipped first. Reads only
 * what it returns (people_name_key's order; the filters in the query),
 * so that a page costs the same at any depth when walked by `after`.
 * *out is the caller's (store_cand_summaries_free). */
/* Whether store_cand_page reads this list from the indexes of migration
 * 018 (the person's latest candidacy any, open or not open; no stage, no
 * people without one, no ref searched), or reads a small subtree by
 * unit (f->plan, whole and sorted): a page number then skips index
 * entries or sorted rows only, at a few ms per 10,000 rows. The other
 * lists skip rows that each cost reads. */
int store_cand_keyed(const struct cand_filter *f);
enum kn_err store_cand_page(struct store *s, const struct cand_filter *f, const char *after,
			    long long offset, size_t limit, struct cand_summary **out, size_t *n);
/* The same list's `limit` rows just before the person whose ref is
 * `before`, in the same order (the pager's "previous": as cheap as
 * "next" at any depth); fewer at the start of the list, none when
 * `before` is no longer in it. */
enum kn_err store_cand_page_before(struct store *s, const struct cand_filter *f,
				   const char *before, size_t limit, struct cand_summary **out,
				   size_t *n);
/* How many rows the filters let through, counted up to `cap` (*n = cap
 * means "cap or more"): the cost grows with the rows counted. */
enum kn_err store_cand_count(struct store *s, const struct cand_filter *f, long long cap,
			     long long *n);
void store_cand_summaries_free(struct cand_summary *c, size_t n);
/* Issue 13: a candidacy's steps in recorded order with only their id,
 * code and date (step_init() leaves the rest): what deadlines_for()
 * reads, for the list's overdue mark, one index read per row. */
enum kn_err store_cand_step_dates(struct store *s, int64_t candidacy_id, struct step **out,
				  size_t *n);
void store_step_dates_free(struct step *st, size_t n);

/* The people's name-order keys (people.name_key, migration 007): made
 * for every person when the running ICU collator differs from the one
 * they were made with, else for those who have none ('': written by a
 * path that does not make keys, or before 007). Batches of 5,000 people,
 * each one transaction; *made (may be NULL) gets how many were written.
 * store_open() and store_migrate() call it; a bulk writer of people that
 * does not fill name_key calls it when done. */
enum kn_err store_name_keys_refresh(struct store *s, long long *made);

/* ---- issue 15: identity and duplicates (store_dups.c, migration 011) ---- */
/* A pair of possible duplicates (RULES.md §10): equal folded names
 * (people.search_name) and equal birth dates. Strings owned by the pair. */
struct dup_pair {
	char *ref1, *name1, *unit1;
	char *ref2, *name2, *unit2;
	kn_date birth_date;
};
/* The pairs whose two people both belong to the subtree of unit `top`
 * (NULL: the whole organisation), each pair once, its first person the
 * earlier in Vietnamese name order, pairs in that order; `offset` pairs
 * skipped, at most `limit` (< 0: all). KN_ENOTFOUND for an unknown top.
 * *out is the caller's (store_dup_pairs_free). */
enum kn_err store_dup_pairs(struct store *s, const char *top, long long offset, long long limit,
			    struct dup_pair **out, size_t *n);
void store_dup_pairs_free(struct dup_pair *d, size_t n);
/* The possible duplicates of the person `ref` (other people), within the
 * subtree of `top` (NULL: everyone), by ref, at most 50. */
enum kn_err store_dups_of(struct store *s, const char *ref, const char *top,
			  struct person **out, size_t *n);
/* A ref merged away by store_person_merge(): KN_OK and *into (the
 * caller's to free) the ref of the person it went into; KN_ENOTFOUND for
 * a ref never merged away. */
enum kn_err store_merged_into(struct store *s, const char *ref, char **into);
/* Every merged-away ref, ordered by ref (bytes: strcmp()), with the ref
 * and unit code of the person it went into. store_merged_free(). */
struct merged_ref {
	char *ref, *into, *into_unit;
};
enum kn_err store_merged_all(struct store *s, struct merged_ref **out, size_t *n);
void store_merged_free(struct merged_ref *m, size_t n);
/* Merge person `drop` into `keep`, in the caller's transaction: drop's
 * candidacies (with their steps) and the steps naming drop as mentor or
 * introducer become keep's, the refs merged into drop before go into
 * keep, drop's ref is remembered (merged_refs: when, by `actor`) and drop
 * is deleted. `order`: every candidacy id of the two, in date order
 * (oldest first); when their ids are not in that order they are made
 * again in it (a person's candidacies are read oldest first by id).
 * Nothing is judged here (core/svc_identity.c does). */
enum kn_err store_person_merge(struct store *s, int64_t keep, int64_t drop, const char *drop_ref,
			       const char *actor, const int64_t *order, size_t norder);

/* ---- accounts (ketnap serve) ---- */
struct user {
	int64_t id;
	char *name;
	char *unit;		/* unit code: the user sees its subtree only */
	char *role;		/* viewer, editor, approver, admin */
	char *pw_hash;		/* argon2id string (crypto_pwhash_str) */
	int disabled;
	char *created_at;
};
void user_release(struct user *u);
enum kn_err store_user_get(struct store *s, const char *name, struct user *out);
/* Insert or update by name (pw_hash, unit, role, disabled). *changed as
 * for units. */
enum kn_err store_user_put(struct store *s, const struct user *u, int *changed);
/* Every user, ordered by name. */
enum kn_err store_user_all(struct store *s, struct user **out, size_t *n);
void store_users_free(struct user *u, size_t n);
/* The bearer token (hashed) of a user for scripts; NULL clears it. */
enum kn_err store_user_set_token(struct store *s, const char *name, const char *token_hash);
enum kn_err store_user_by_token(struct store *s, const char *token_hash, struct user *out);

struct session {
	char *token_hash;	/* hash of the cookie's token */
	char *user;		/* user name */
	char *csrf;		/* the session's CSRF token */
	long long created;	/* unix seconds */
	long long last_seen;
};
void session_release(struct session *x);
enum kn_err store_session_new(struct store *s, const struct session *x);
/* KN_ENOTFOUND when there is no such session. */
enum kn_err store_session_get(struct store *s, const char *token_hash, struct session *out);
enum kn_err store_session_touch(struct store *s, const char *token_hash, long long last_seen);
enum kn_err store_session_delete(struct store *s, const char *token_hash);
/* Delete sessions last seen before `idle_before`. */
enum kn_err store_session_purge(struct store *s, long long idle_before);

/* Login throttling: record a failed login for key (a user name or an
 * address) at `now`; *count gets the failures since the first one that
 * is at most `window` seconds old (older ones restart the count). */
enum kn_err store_login_failed(struct store *s, const char *key, long long now,
			       long long window, long long *count);
/* The failures counted for key within window (0 when none). */
enum kn_err store_login_failures(struct store *s, const char *key, long long now,
				 long long window, long long *count);
enum kn_err store_login_reset(struct store *s, const char *key);

/* ---- sessions and the login throttle, hardened ---- */
/* End every session of user `user` except the one whose token hash is
 * `keep` (NULL: all of them): a changed password signs the user out
 * everywhere else. */
enum kn_err store_session_end_user(struct store *s, const char *user, const char *keep);
/* Count a login attempt for key in one atomic statement: delta 1 counts
 * one more (restarting the count when its first attempt is older than
 * `window` seconds), -1 takes one back (never below 0); *count gets the
 * count after the change. Two racing attempts never read the same count. */
enum kn_err store_login_count(struct store *s, const char *key, long long now,
			      long long window, int delta, long long *count);
/* 1 when the last failure on this store was the database being busy
 * (another process held its lock past the busy timeout): try again
 * later, not an error of the caller's data. Asking forgets it. */
int store_busy(struct store *s);

/* ---- audit ---- */
/* One audit entry in the caller's transaction: who, what (action:
 * "insert", "update", "step" …), which record (entity "unit", key its
 * code), and the record before and after (text, NULL when absent). */
enum kn_err store_audit(struct store *s, const char *actor, const char *action,
			const char *entity, const char *key,
			const char *before, const char *after);
/* Count of audit entries (tests, verify). */
enum kn_err store_audit_count(struct store *s, long long *n);
/* The change counter: a number that grows by one with every write
 * transaction committed on this database, by any process (store_commit()
 * bumps it right before COMMIT when the transaction ran a write
 * statement; a read-only or rolled-back one, and a write outside
 * store_begin() — the sessions' courtesy writes — leave it alone). 0
 * before the first write. One indexed row: cheap enough for every
 * request's "did anything change?" (web/cache.c, /healthz). */
enum kn_err store_changes(struct store *s, long long *n);
/* *wrote = 1 when `actor` made an audited write at or after `since`
 * (Unix seconds, by the writer's clock), else 0. */
enum kn_err store_audit_wrote_since(struct store *s, const char *actor, long long since,
				    int *wrote);
/* The units version: a number that moves whenever a row of units is
 * inserted, updated or deleted, by any process (triggers of migration
 * 008), and not for other writes. -1 while the database has never been
 * written (no row yet); the first write transaction makes it 0 or more.
 * One indexed row: what the web server's shared unit tree asks on every
 * request (core/treecache.h). */
enum kn_err store_units_version(struct store *s, long long *v);

struct audit_entry {
	int64_t id;
	char *at, *actor, *action, *entity, *key, *before, *after;
};
/* Audit entries newest first, filtered (NULL/empty: any) by actor,
 * entity and key prefix, skipping `offset`, at most `limit`. */
enum kn_err store_audit_list(struct store *s, const char *actor, const char *entity,
			     const char *key_prefix, long long offset, long long limit,
			     struct audit_entry **out, size_t *n);
void store_audit_free(struct audit_entry *a, size_t n);

/* ---- the database URL in messages ---- */
/* Append url to out with any password (postgresql://user:PASSWORD@…,
 * ?password=…) replaced by "***"; a file path is copied as it is. */
void store_url_redact(const char *url, struct buf *out);

/* ---- raw copy between databases (ketnap migrate-to) ---- */
/* A whole-database copy moves every table row by row, ids, versions and
 * audit entries included, as text (NULL for SQL NULL), without going
 * through the model: what it reads from one backend the other writes
 * back unchanged. store_tables() lists the tables (all but
 * schema_migrations, which each database keeps for itself), parents
 * before children; cols is NULL-terminated, at most STORE_MAX_COLS. */
#define STORE_MAX_COLS 24
struct store_table {
	const char *name;
	const char *const *cols;
	const char *order;	/* the primary key: rows are read in its order */
	const char *serial;	/* the column an id sequence feeds, or NULL */
};
const struct store_table *store_tables(size_t *n);
/* Every row of t, in primary-key order; vals[i] is cols[i] as text, valid
 * only during the call. fn returns nonzero to stop. */
typedef int (*store_row_fn)(void *arg, const char *const *vals, size_t n);
enum kn_err store_rows_each(struct store *s, const struct store_table *t,
			    store_row_fn fn, void *arg);
/* Open the copy's transaction on the target (foreign keys then checked
 * at commit only, so rows may come in id order whatever they point to);
 * store_row_put() inserts one row as store_rows_each() gave it;
 * store_raw_commit() moves the id generators past the copied ids and
 * commits (store_rollback() abandons the copy). */
enum kn_err store_raw_begin(struct store *s);
enum kn_err store_row_put(struct store *s, const struct store_table *t,
			  const char *const *vals);
enum kn_err store_raw_commit(struct store *s);
/* Copy every row of every table of `from` into `to`, a database already
 * migrated to the same schema version and holding no rows yet (else
 * KN_ECONFLICT), in one transaction on `to`. *rows gets the number of
 * rows copied. On error nothing stays in `to`; store_errmsg() of the
 * store that failed says why (*failed points at it). */
enum kn_err store_copy(struct store *from, struct store *to, long long *rows,
		       struct store **failed);


/* ---- verify: the audit chain and what `ketnap verify` reads ---- */
/* Every audit entry carries hash = BLAKE2b-256 (libsodium's
 * crypto_generichash, 32 bytes, as 64 lowercase hex digits) of the
 * previous entry's hash and of its own content, in id order; the first
 * entry's predecessor is store_audit_genesis (64 zeros). store_audit()
 * computes it under the write lock (SQLite's BEGIN IMMEDIATE; on
 * PostgreSQL the audit_head row, locked at commit), so two writers never
 * chain onto the same head. */
#define STORE_HASH_HEX 65	/* 64 hex digits and the NUL */
extern const char store_audit_genesis[STORE_HASH_HEX];
/* hash of entry a (its id, at, actor, action, entity, key, before, after)
 * chained onto prev: the input is the domain tag "ketnap audit v1", prev
 * and those eight fields, each field a 0x00 byte when NULL, else a 0x01
 * byte, its length in bytes as 8 bytes big-endian and its bytes — so no
 * two different entries have the same input. id is in decimal. */
void store_audit_hash(const char *prev, const struct audit_entry *a,
		      char out[STORE_HASH_HEX]);

/* The chain's head: the last entry's id and hash, and how many entries
 * the chain has. KN_ENOTFOUND when the database holds no head (no audit
 * entry was ever written; or the head row was deleted). */
struct audit_head {
	int64_t id;
	long long n;
	char hash[STORE_HASH_HEX];
};
enum kn_err store_audit_head(struct store *s, struct audit_head *out);

/* Every audit entry in id order with its stored hash (NULL when it has
 * none), streamed: a and hash are valid during the call only. fn returns
 * nonzero to stop. */
typedef int (*store_audit_fn)(void *arg, const struct audit_entry *a, const char *hash);
enum kn_err store_audit_each(struct store *s, store_audit_fn fn, void *arg);

/* Every unit as stored: its id, code, parent's id (0 for none, even
 * when that parent does not exist) and tree path (NULL for none).
 * Ordered by id. */
struct unit_link {
	int64_t id;
	char *code;
	int64_t parent_id;
	char *path;
};
enum kn_err store_unit_links(struct store *s, struct unit_link **out, size_t *n);
void store_unit_links_free(struct unit_link *u, size_t n);

/* Every candidacy as stored, ordered by person id then candidacy id, with
 * its steps in recorded order (each with only id, code, date and override
 * filled; an unknown step name is STEP_NONE), streamed: one candidacy in
 * memory at a time. Strings and steps are valid during the call only.
 * person_ref, full_name and unit are NULL when the row they name is
 * missing; stage is the stored text. fn returns nonzero to stop. */
struct cand_facts {
	int64_t id;
	int64_t person_id;
	const char *person_ref;
	const char *full_name;
	kn_date member_since;	/* the person's recorded dates */
	kn_date official_since;
	const char *unit;	/* the considering unit's code */
	const char *stage;
	int open;
	const struct step *steps;
	size_t nsteps;
};
typedef int (*store_cand_fn)(void *arg, const struct cand_facts *c);
enum kn_err store_candidacy_each(struct store *s, store_cand_fn fn, void *arg);

/* ---- bulk loads (issue 13) ---- */
/* Around a big write inside the caller's transaction (an import of
 * `rows` steps): store_bulk_begin() lets the backend take settings for a
 * big load, and store_bulk_end() puts them back, before the transaction
 * commits. On SQLite: a page cache of STORE_BULK_CACHE_MB for the load,
 * statement journals in memory, and when the steps table holds fewer rows
 * than are coming, its secondary indexes that the writer does not read
 * (the date indexes; with an empty candidacies table, its unit and stage
 * indexes too) dropped, to be built again by store_bulk_end() with a
 * smaller cache that also bounds SQLite's sorter (or, should the caller
 * forget, by the commit); and migration 016's insert trigger on steps
 * dropped, the dates of the candidacies given steps set once by
 * store_bulk_end() and the trigger created again. SQLite's DDL is
 * transactional: a rollback, an error or a kill -9 brings the indexes
 * and the trigger back with the data as it was. On PostgreSQL (store_pg.c, "bulk loads"):
 * the writes of the steps import sent ahead in pipeline mode, step and
 * candidacy ids drawn in blocks, steps and candidacies locked against
 * other writers until the commit, and the same indexes deferred. Calls do
 * not nest: a store_bulk_begin() while one is active does nothing.
 * Errors: KN_EIO (message in store_errmsg()). */
#define STORE_BULK_CACHE_MB 128
/* rows for a writer that fills an empty database with units, people,
 * candidacies and steps (the province and national demo), or an empty
 * people table (a first people import): the steps' indexes deferred as
 * above whatever their count, and on SQLite those of people and
 * candidacies that the ledger does not read (it reads people by ref and
 * id, candidacies by person), when those tables are empty. */
#define STORE_BULK_FILL SIZE_MAX
enum kn_err store_bulk_begin(struct store *s, size_t rows);
enum kn_err store_bulk_end(struct store *s);

/* ---- issue 15: transfers (RULES.md §8, migration 009; store_transfers.c) ---- */
struct transfer;
/* A person's transfers in out_date order (transfers_free). */
enum kn_err store_transfers_of(struct store *s, int64_t person_id, struct transfer **out,
			       size_t *n);
/* Every transfer for export, by person ref (as bytes), then date. fn
 * returns nonzero to stop. */
typedef int (*store_transfer_fn)(void *arg, const struct transfer *t);
enum kn_err store_transfer_each(struct store *s, store_transfer_fn fn, void *arg);
/* issue 13: the same for the subtree of top (store_step_each_in()). */
enum kn_err store_transfer_each_in(struct store *s, const char *top, store_transfer_fn fn,
				   void *arg);
/* Insert t (out_date, from, to, in_date, doc_no, note, override,
 * override_by, recorded_by; recorded_at is stamped) for the person, in
 * the caller's transaction. The person's unit is not moved: see
 * store_transfer_arrive(). */
enum kn_err store_transfer_add(struct store *s, int64_t person_id, const struct transfer *t,
			       int64_t *id);
/* The acceptance of transfer t (id, to) on in_date, in the caller's
 * transaction: the transfer's in_date, the person's unit, and the open
 * candidacy open_cand (0: none) moved to t->to, its steps dated before
 * in_date (and not stamped yet) stamped with t->from, the sending unit.
 * KN_ECONFLICT when t was accepted meanwhile. */
enum kn_err store_transfer_arrive(struct store *s, const struct transfer *t, kn_date in_date,
				  int64_t person_id, int64_t open_cand);
/* A re-imported transfer's doc_no, note, override and override_by. */
enum kn_err store_transfer_update(struct store *s, int64_t id, const struct transfer *t);
/* A step's own unit (steps.unit_id), for a step dated before the move of
 * its candidacy. */
enum kn_err store_step_set_unit(struct store *s, int64_t step_id, const char *unit_code);
/* The transfers in transit on as_of (out on or before it, not accepted
 * by then) that leave or reach the subtree of top (NULL: every unit).
 * Texts borrowed for the call. from_inside: the sending unit is in the
 * subtree. KN_ENOTFOUND for an unknown top. */
struct transit {
	const char *person_ref, *full_name, *from, *to;
	kn_date out_date;
	int from_inside;
};
typedef int (*store_transit_fn)(void *arg, const struct transit *t);
enum kn_err store_transfers_transit(struct store *s, const char *top, kn_date as_of,
				    store_transit_fn fn, void *arg);
/* The people in transit to the subtree of top now (the arriving list of
 * the destination's dashboard), oldest letter first, at most limit. */
enum kn_err store_transfers_arriving(struct store *s, const char *top, long long limit,
				     store_transit_fn fn, void *arg);

/* ---- issue 13: the steps import reads its people ahead (store_ahead.c) ---- */
/* A person with what ledger_step() reads of them: their candidacies, each
 * with its steps, as store_candidacies_of() gives them, and their
 * transfers as store_transfers_of() does. */
struct person_record {
	struct person p;
	struct candidacy *c;
	size_t nc;
	struct transfer *tr;
	size_t ntr;
};
/* The records of the people of refs[0..n) (duplicates allowed), in a few
 * statements whatever n: one each for the people, their candidacies,
 * their steps and their transfers. *out (person_records_free()) holds one
 * record per ref found, sorted by ref as bytes (strcmp); a ref not found
 * (unknown, merged away) or not valid UTF-8 has none. Nothing on failure. */
enum kn_err store_person_records(struct store *s, const char *const *refs, size_t n,
				 struct person_record **out, size_t *nout);
void person_records_free(struct person_record *r, size_t n);

#endif
