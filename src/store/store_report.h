/*
 * store_report.h — the reads of the year-end reports that count in the
 * database and hand over only what a report prints (issue 13): the units
 * of a subtree down to a depth, the top's quotas, the decisions of a
 * period counted per unit with the unit's path, and the decisions with
 * what the structure categories need of the person and of the unit.
 * core/report.c rolls the counts up the units it shows: each count goes
 * to the nearest unit on its path that the report read (a path is the
 * ids of the unit's ancestors and its own, migration 006), so that a
 * report of a nation reads 64 units, or 50 thousand, and not 325
 * thousand.
 *
 * The streamed reads hand their rows to fn one at a time: fn must not use
 * the store (store_reads.c says why); the strings it gets are borrowed
 * for the call. fn returning non-zero stops the read (KN_OK).
 */
#ifndef KN_STORE_REPORT_H
#define KN_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* The units of the subtree of the unit coded `top` down to `depth`
 * levels below it, then that unit's ancestors, as store_unit_subtree
 * returns them (*out for unitree_build, store_units_free on its own); in
 * *quota (a heap array beside *out, free() it) the quota of the total of
 * year `year` of each unit of the subtree, -1 when none (and for the
 * ancestors). No rows, KN_OK, for an unknown top. */
enum kn_err store_report_units(struct store *s, const char *top, int depth, int year,
			       struct unit **out, long long **quota, size_t *n);

/* The quotas of year `year` of the unit coded `top`, each category, to fn. */
typedef int (*store_report_quota_fn)(void *arg, const char *category, long long target);
enum kn_err store_report_quota_top(struct store *s, const char *top, int year,
				   store_report_quota_fn fn, void *arg);

/* The decisions dated from..to (inclusive) of the subtree of `top`
 * (NULL: of every unit), counted per unit: the unit's id, its path
 * (NULL when it has none) and the count, in no set order. */
typedef int (*store_report_units_fn)(void *arg, int64_t unit_id, const char *path, long long n);
enum kn_err store_report_admission_units(struct store *s, const char *top, kn_date from,
					 kn_date to, store_report_units_fn fn, void *arg);

/* The same decisions one by one as store_admissions_each hands them
 * (a->unit NULL: the unit by a->unit_id), with the unit's path and its
 * own sector (NULL: none of its own, its ancestors' holds); with `org`
 * set, also the nominating organisation of the candidacy's source step
 * as store_source_counts reads it (NULL: none), else org NULL. */
typedef int (*store_report_adm_fn)(void *arg, const struct admission *a, const char *path,
				   const char *sector, const char *org);
enum kn_err store_report_admissions(struct store *s, const char *top, kn_date from, kn_date to,
				    int org, store_report_adm_fn fn, void *arg);

/* What store_queue_wait hands over of every unit (top the only root),
 * one candidacy at a time: its steps (code and date only), the
 * DL-DECISION extension's date, and whether its unit is a chi bộ cơ sở
 * (unitree_is_basic_cell) instead of the unit. */
typedef int (*store_report_wait_fn)(void *arg, const struct step *steps, size_t nsteps,
				    kn_date extended, int basic);
enum kn_err store_report_waiting_root(struct store *s, kn_date as_of, store_report_wait_fn fn,
				      void *arg);

#endif
