/*
 * ledger.h — recording steps: the one place where facts are gathered,
 * the rules run, and a step is written with its audit entry.
 *
 * Every front end (the `step` and `check` commands, the importer, later
 * the web server) goes through ledger_step(), so a rule is enforced the
 * same way everywhere. A struct ledger holds what a command needs for
 * many steps: the store, the unit tree, the calendar, the policy rows,
 * the acting user and "today".
 */
#ifndef KN_LEDGER_H
#define KN_LEDGER_H

#include "core/calendar.h"
#include "core/model.h"
#include "core/policy.h"
#include "core/rules.h"
#include "core/unitree.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

struct store;

struct ledger {
	struct store *store;
	/* The ledger's own, or a shallow copy of a borrowed tree
	 * (ledger_open_tree: tree_borrowed set, not freed here). */
	struct unitree tree;
	int tree_borrowed;
	struct calendar *cal;		/* borrowed */
	struct policy_row *policy;
	size_t npolicy;
	const char *actor;		/* user name for audit and recorded_by */
	const char *actor_unit;		/* the user's unit code; NULL: local admin */
	kn_date today;
	/* The version of the open candidacy the caller showed the user
	 * (store_candidacy_version), or -1 (ledger_open's default) for no
	 * check. When set, ledger_step() refuses with KN_ECONFLICT if the
	 * candidacy moved since, checked in the writing transaction. */
	int64_t expect_version;
	/* Set by a bulk writer (an import, the demo) that audits the whole
	 * batch in one entry of its own: a new step is then not audited one
	 * by one (the step row carries recorded_by and recorded_at), except
	 * an overridden one, whose reason is worth its own entry. An edit
	 * of an existing step is audited whatever this says, with its before
	 * and after. 0 by default (ledger_open). */
	int bulk;
	/* Set to keep no memo even in bulk (below): the importer's
	 * KETNAP_IMPORT_NOMEMO, so that a test can compare the two. */
	int no_memo;
	/* In bulk, the last person ledger_step() judged with their
	 * candidacies and steps, kept as a re-read would give them after
	 * the steps it wrote, so that the next step of the same person
	 * need not read them again (an importer hands a person's steps one
	 * after another). Dropped on anything it cannot mirror exactly: an
	 * edit of a recorded step, an override, a failure, another person.
	 * Private to ledger.c; ledger_forget() drops it. */
	struct ledger_memo *memo;
	/* ledger_policy()'s last answer, in force on every date of
	 * [pol_lo, pol_hi): no policy row (the database's or a default)
	 * starts inside, so policy_resolve() would pick the same rows.
	 * pol_ok: set. Private to ledger.c. */
	int pol_ok;
	int64_t pol_lo, pol_hi;
	struct policy pol;
	/* issue 13: set by a bulk writer that holds one write transaction
	 * around all its ledger_step() calls and calls ledger_flush() before
	 * it reads or writes anything itself and before it commits (the
	 * steps importer). A step of a candidacy this ledger opened or moved
	 * is then inserted with the number it knows (store_step_append), and
	 * the candidacy's stage is written once for the run of its steps
	 * (store_candidacy_stage_n) instead of once a step: pend_n steps of
	 * candidacy pend_cid are not yet in its stage (pend_stage,
	 * pend_open), and its next step is number pend_seq. pend_cid 0:
	 * none. Private to ledger.c but for defer. */
	int defer;
	int64_t pend_cid, pend_seq, pend_n;
	enum step_code pend_stage;
	int pend_open;
	/* The dates of candidacy pend_cid, folded from all its steps (each
	 * appended since its source), written with its stage. */
	kn_date pend_dates[CDATE_NDATES];
	/* With defer: the people steps named (introducers, mentors) as
	 * ledger_person_get() read them, an introducer's membership dates
	 * with them, each dropped when a step is written for that person.
	 * Private to ledger.c; ledger_forget() empties it. */
	struct ledger_pcache *pcache;
	/* With defer: the people ledger_read_ahead() read for the caller's
	 * next steps, each taken by the first ledger_step() of that person
	 * (instead of three reads or more), lent to the people cache above
	 * for an introducer or mentor, and dropped when a step is written
	 * for that person. Private to ledger.c; ledger_forget() empties it. */
	struct ledger_ahead *ahead;
};

/* Load the unit tree and policy rows. err gets the reason on failure. */
enum kn_err ledger_open(struct ledger *l, struct store *s, struct calendar *cal,
			const char *actor, struct buf *err);
void ledger_release(struct ledger *l);
/* The same, borrowing the unit tree instead of reading it: the tree must
 * stay unchanged until ledger_release() (the web server's shared
 * snapshot, core/treecache.h). l->tree then shares its nodes, so a node
 * found in either is the same pointer. */
enum kn_err ledger_open_tree(struct ledger *l, struct store *s, struct calendar *cal,
			     const char *actor, const struct unitree *tree, struct buf *err);

/* Drop the bulk memo (struct ledger's memo), the people cache and a
 * deferred stage write (struct ledger's defer) unwritten: to be called by a bulk writer
 * that rolls back, or (after ledger_flush()) writes a person's
 * candidacies or steps other than through ledger_step(). */
void ledger_forget(struct ledger *l);

/* The bulk memo's record of the person of ref (struct ledger's memo):
 * the person, their candidacies and steps as a re-read would give them
 * (recorded_at aside), borrowed until the next ledger call. 0 when the
 * memo holds nobody or someone else: read them from the store. */
int ledger_memo_peek(struct ledger *l, const char *ref, const struct person **p,
		     const struct candidacy **c, size_t *nc);

/* issue 13 (struct ledger's ahead): with defer and bulk set (and the memo
 * on), read the people of own[0..nown), whose steps the caller records
 * next, and of named[0..nnamed), the introducers and mentors those steps
 * name, in a few statements (store_person_records()) instead of some
 * three each as ledger_step() reaches them. Whatever was read ahead
 * before is dropped, and a deferred stage written first (ledger_flush()).
 * What ledger_step() then reads, refuses, writes and says is the same as
 * without. A store error's message is store_errmsg()'s; nothing read. */
enum kn_err ledger_read_ahead(struct ledger *l, const char *const *own, size_t nown,
			      const char *const *named, size_t nnamed);

/* Write the stage of the candidacy whose steps struct ledger's defer
 * left pending (nothing when none), in the caller's transaction. A store
 * error's message is store_errmsg()'s. */
enum kn_err ledger_flush(struct ledger *l);

/* Reload the unit tree (after units were imported); a borrowed tree is
 * left to its owner and replaced by the ledger's own. */
enum kn_err ledger_reload_units(struct ledger *l);

/* The policy in force on date d. */
void ledger_policy(struct ledger *l, kn_date d, struct policy *out);

/* Check the facts a step must carry (RULES.md §2, "required facts"), one
 * "column: message" line per problem appended to err. Returns the count. */
int step_validate(const struct step *st, struct buf *err);

/* dry_run values of ledger_step. */
enum { LEDGER_WRITE = 0, LEDGER_DRY_RUN = 1, LEDGER_CHECK = 2 };

/* What ledger_step did. */
enum ledger_outcome {
	LEDGER_RECORDED,	/* written (or would be, with dry_run) */
	LEDGER_UNCHANGED,	/* the same step was already recorded */
	LEDGER_UPDATED,		/* an existing step's facts were replaced */
};

/*
 * Record step st for the person with ref person_ref.
 *  - KN_ENOTFOUND / KN_EINVAL: message in err (unknown person, missing or
 *    malformed facts, unknown introducer or unit);
 *  - KN_ERULE: every broken rule in *v, nothing written (unless st has an
 *    override reason, in which case the step is written with it and the
 *    rules it broke are still listed in *v);
 *  - KN_ECONFLICT: someone else moved the candidacy meanwhile (or since
 *    l->expect_version, when set; a message in err).
 * With `dry_run` nothing is written; dry_run == LEDGER_CHECK (the `check`
 * command) also lets facts that the step would need be missing: they are
 * listed in err as "column: message" lines and the rules that need them
 * are left out of *v. With `upsert`
 * (the importer), a step that matches an already recorded one (same code
 * and date; same member for mentor) is left alone when identical and its
 * facts replaced when not, instead of being recorded twice.
 */
enum kn_err ledger_step(struct ledger *l, const char *person_ref, const struct step *st,
			int dry_run, int upsert, struct violations *v, struct buf *err,
			enum ledger_outcome *outcome);

/* The effective membership dates of a person: the recorded ones, or
 * those derived from a candidacy (decision date; probation end once
 * `official` is recorded). KN_DATE_NONE when not (yet) a member. */
void ledger_membership(struct ledger *l, const struct person *p,
		       const struct candidacy *c, size_t nc,
		       kn_date *member_since, kn_date *official_since);

/* The stage and open flag that steps[0..n), in recorded order, give a
 * candidacy: what ledger_step() stores step by step (`ketnap verify`
 * compares them with what is stored). Unknown codes are skipped. */
enum step_code ledger_stage(const struct step *steps, size_t n, int *open);

/* The membership dates the record shows, as `export people` writes them
 * (spec/FORMATS.md, people.csv): when a candidacy records a `decision`,
 * the steps are the truth (the decision date, the probation end once
 * `official` is recorded, none after `struck_off`) and the result is 1;
 * otherwise the person's stored dates, and 0. */
int ledger_membership_recorded(struct ledger *l, const struct person *p,
			       const struct candidacy *c, size_t nc,
			       kn_date *member_since, kn_date *official_since);

/* 1 when the record shows the person a member on date d (KN-OPEN), with
 * *since the date of that admission: a candidacy's decision dated on or
 * before d and not struck off by then; or, when no candidacy records a
 * decision, the stored member_since (else official_since) on or before d;
 * either of them not ended by the person's left_on (RULES.md §9) on or
 * before d. 0 with *since = KN_DATE_NONE otherwise. */
int ledger_member_on(const struct person *p, const struct candidacy *c, size_t nc,
		     kn_date d, kn_date *since);

/* The person of ref as the acting user may know them (a person outside
 * the subtree of l->actor_unit is KN_ENOTFOUND, exactly like an unknown
 * ref, so that no message names or tells apart people the user may not
 * see); out is the caller's to person_release(). */
enum kn_err ledger_person_get(struct ledger *l, const char *ref, struct person *out);

/* The next pipeline step of an open candidacy (STEP_NONE when closed or
 * complete); with no candidacy at all, STEP_SOURCE. */
enum step_code ledger_next_step(const struct candidacy *c, int basic_cell);

/* "date=2011-03-12 votes_for=5 …": a step's facts for the audit log. */
void step_describe(const struct step *st, struct buf *out);
/* The same without the step's name and date, each fact led by a space. */
void step_describe_facts(const struct step *st, struct buf *out);

#endif
