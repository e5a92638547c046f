/*
 * stmt.h — the statement table: every SQL statement of the store, once
 * (for store/ only).
 *
 * Each row names a statement, gives its text with $1 … $n parameters
 * (SQLite takes "$1" as a named parameter; PostgreSQL as positional),
 * the type of each parameter and of each result column, and flags. Where
 * the two dialects really differ (a row lock, an upsert's details, an
 * array parameter), the row holds PostgreSQL's own text beside the common
 * one, so that the difference is visible in one place. The backends only
 * prepare, bind, step and read columns (store_impl.h's driver functions);
 * the store's functions (store_*.c) run the statements by id and read
 * their rows with the typed readers of store_impl.h.
 *
 * Adding a query: one row here (and its id in the enum), then the
 * function of store.h that runs it. tests/unit/test_store.c prepares
 * every row on the backend it runs on and checks its parameter and column
 * counts against the row.
 */
#ifndef KN_STMT_H
#define KN_STMT_H

enum stmt_id {
	/* units */
	S_UNIT_GET, S_UNIT_ALL, S_UNIT_EXPORT, S_UNIT_TREE, S_UNIT_NEAR, S_UNIT_NEAR_ID, S_UNIT_INSERT, S_UNIT_UPDATE, S_UNIT_ID, S_UNIT_CODES,
	S_UNIT_LINKS,
	/* people */
	S_PERSON_GET, S_PERSON_GET_ID, S_PERSON_INSERT, S_PERSON_UPDATE, S_PERSON_FIND,
	S_PERSON_ALL, S_PERSON_EXPORT, S_PERSON_EXPORT_SUB,
	/* candidacies and steps */
	S_CAND_OF, S_STEPS_OF, S_CAND_NEW, S_STEP_INSERT, S_CAND_STAGE, S_CAND_STAGE_MOVES, S_STEP_UPDATE,
	S_CAND_VERSION, S_STEP_EACH, S_STEP_EACH_SUB, S_CAND_EACH,
	/* the candidates' list and /api/v1/people, paged; the people's name keys */
	S_CAND_PAGE, S_CAND_PAGE_UNIT, S_CAND_PAGE_SCAN, S_CAND_COUNT, S_CAND_COUNT_UNIT,
	S_CAND_PAGE_LOPEN, S_CAND_PAGE_LANY, S_CAND_PAGE_LOPEN_BEFORE, S_CAND_PAGE_LANY_BEFORE,
	S_CAND_COUNT_LOPEN, S_CAND_COUNT_LANY, S_NAMEKEY_MISSING, S_NAMEKEY_FROM, S_NAMEKEY_SET,
	S_NAMEKEY_VERSION, S_NAMEKEY_VERSION_SET,
	/* quotas, holidays, policy */
	S_QUOTA_GET, S_QUOTA_PUT, S_QUOTA_ALL, S_QUOTA_EACH, S_QUOTA_EACH_SUB, S_HOLIDAY_GET, S_HOLIDAY_PUT, S_HOLIDAY_ALL,
	S_POLICY_ALL, S_POLICY_PUT,
	/* reports */
	S_ADMISSIONS, S_STEP_COUNTS, S_PIPELINE, S_PIPELINE_DATES,
	/* the unit tree's paths (migration 006) and the reports' subtree reads */
	S_UNIT_PATH, S_UNIT_ROOTS, S_UNIT_SET_PATH, S_UNIT_MOVE_SUB, S_UNIT_SUB, S_QUOTA_SUB,
	S_UNIT_PATHS_ALL,
	/* audit */
	S_AUDIT_COUNT, S_AUDIT_LIST, S_HEAD_GET, S_HEAD_LOCK, S_HEAD_INIT, S_HEAD_SET,
	S_AUDIT_INSERT, S_AUDIT_EACH, S_AUDIT_BATCH, S_AUDIT_SET_HASH, S_HEAD_NEW,
	/* accounts */
	S_USER_GET, S_USER_INSERT, S_USER_UPDATE, S_USER_ALL, S_USER_TOKEN, S_USER_BY_TOKEN,
	S_SESSION_NEW, S_SESSION_GET, S_SESSION_TOUCH, S_SESSION_DELETE, S_SESSION_PURGE,
	S_SESSION_END_USER,
	S_LOGIN_GET, S_LOGIN_PUT, S_LOGIN_RESET, S_LOGIN_COUNT,
	/* the change counter */
	S_CHANGES_GET, S_CHANGES_BUMP, S_AUDIT_ACTOR_SINCE,
	/* the units version (migration 008) */
	S_UNITS_VERSION,
	/* issue 15: transfers (migration 009) */
	S_TRANSFERS_OF, S_TRANSFER_EACH, S_TRANSFER_EACH_SUB, S_TRANSFER_INSERT, S_TRANSFER_ARRIVE, S_TRANSFER_UPDATE,
	S_PERSON_MOVE, S_STEPS_STAMP, S_CAND_MOVE, S_STEP_SET_UNIT, S_TRANSFER_TRANSIT,
	S_TRANSFER_TRANSIT_ALL,
	S_STEP_COUNTS_MOVED, S_TRANSFERS_ARRIVING,
	/* issue 15: the DL-DECISION extension (migration 012) */
	S_EXT_GET, S_EXT_PUT,
	/* issue 15: the sources report */
	S_SOURCE_COUNTS,
	/* issue 15: identity and duplicates (migration 011, store_dups.c) */
	S_DUP_PAIRS, S_DUP_PAIRS_SUB, S_DUP_OF, S_MERGED_GET, S_MERGED_PUT, S_MERGED_REPOINT,
	S_MERGE_CANDS, S_MERGE_MEMBER, S_MERGE_INTRO1, S_MERGE_INTRO2, S_MERGE_PERSON_DELETE,
	S_MERGE_CAND_COPY, S_MERGE_STEPS_MOVE, S_MERGE_CAND_DELETE, S_MERGE_CAND_OPEN, S_MERGE_CAND_IS_OPEN, S_MERGED_ALL,
	/* issue 15: re-admission (migration 010) */
	S_PERSON_LEAVE, S_PERSON_READMITTED,
	/* issue 13: web lists */
	S_CAND_COUNT_CAND, S_CAND_COUNT_OPEN, S_CAND_PAGE_CSCAN, S_CAND_PAGE_OSCAN,
	S_CAND_PAGE_BEFORE, S_CAND_PAGE_UNIT_BEFORE, S_PIPELINE_DATES_BARE,
	S_PIPELINE_LATEST, S_PIPELINE_LATEST_BARE, S_PIPELINE_LATER, S_PIPELINE_LATER_BARE,
	S_STEPS_LATER, S_PIPELINE_SETTLED,
	S_PIPELINE_SETTLED_BARE, S_PIPELINE_SETTLED_ALL, S_PIPELINE_SETTLED_ALL_BARE,
	S_CAND_DATES_WRONG, S_PEOPLE_LATEST_WRONG, S_CAND_DATES_SINCE, S_PEOPLE_NAMES,
	S_QUEUE_DATES, S_CAND_STEP_DATES,
	/* issue 13: steps import (store_steps.c: store_step_append, store_candidacy_stage_n) */
	S_STEP_APPEND, S_STEP_APPEND_RET, S_LAST_ROWID, S_CAND_STAGE_N, S_STEPS_SINCE,
	S_CAND_NEW_BULK,
	/* issue 13: reports of the whole organisation (store_reads.c) */
	S_ADMISSIONS_ALL, S_STEP_CANDS_ALL, S_SOURCE_COUNTS_ALL, S_UNIT_NROOTS,
	/* the reports' quotas by unit id, and admissions by unit only */
	S_QUOTA_YEAR, S_QUOTA_YEAR_ALL, S_ADMISSION_UNITS, S_ADMISSION_UNITS_ALL,
	/* issue 13: the root reports read what they print (store_report.c) */
	S_REPORT_UNITS, S_REPORT_QUOTA_TOP, S_REPORT_ADM_UNITS, S_REPORT_ADM_UNITS_ALL,
	S_REPORT_ADM_CATS, S_REPORT_ADM_CATS_ALL, S_REPORT_ADM_CATS_ORG, S_REPORT_ADM_CATS_ORG_ALL,
	/* issue 13, PostgreSQL imports (i18-pgimp): rows an importer knows are new */
	S_PERSON_ADD, S_QUOTA_ADD, S_UNIT_ADD, S_UNIT_ADD_PATH,
	/* issue 13: the people import streams (store_records.c) */
	S_PEOPLE_ANY, S_PEOPLE_DUP_ROWS, S_UNIT_CODES_SORTED,
	/* issue 13: the summary's waiting dossiers (store_queue_wait) */
	S_QUEUE_WAIT, S_QUEUE_WAIT_ALL, S_QUEUE_WAIT_ROOT,
	/* issue 13: the steps import reads its people ahead (store_ahead.c) */
	S_AHEAD_PEOPLE, S_AHEAD_CANDS, S_AHEAD_STEPS, S_AHEAD_TRANSFERS,
	/* issue 13: the units import writes its new units in batches (store_units_add) */
	S_UNITS_ADD,
	S__COUNT
};

/* Many rows, read one at a time (PostgreSQL's single-row mode): no other
 * statement may run on the same store until every row was read or the
 * reading was closed. */
#define ST_STREAM 1u
/* A courtesy write that never waits for another writer's lock: when the
 * database is busy it fails at once, and store_busy() says so. */
#define ST_NOWAIT 2u
/* PostgreSQL plans it again for each run's parameters (an unnamed
 * statement) instead of once prepared: its filters are "$n IS NULL OR …",
 * which a generic plan cannot drop, and it then reads whole tables. */
#define ST_REPLAN 4u

struct stmt {
	const char *name;	/* PostgreSQL's prepared statement name; messages */
	const char *sql;	/* both backends' text, $1 … $n */
	const char *sql_pg;	/* NULL, or PostgreSQL's own text */
	const char *params;	/* one letter per $n: t text, i integer */
	const char *cols;	/* one letter per column: t text, i integer */
	unsigned flags;		/* ST_… */
};

extern const struct stmt store_stmts[S__COUNT];

#endif
