/*
 * store_impl.h — what a storage backend provides (for store/ only).
 *
 * Each backend (store_sqlite.c, store_pg.c) embeds `struct store` as the
 * first member of its own connection struct and fills a `struct store_ops`
 * with its implementation of every function of store.h that touches the
 * database; store.c dispatches to it. The functions that only free memory
 * live in store.c, shared.
 */
#ifndef KN_STORE_IMPL_H
#define KN_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
	const char *name;	/* "SQLite", "PostgreSQL" */
	void (*close)(struct store *s);
	const char *(*errmsg)(struct store *s);
	enum kn_err (*migrate)(struct store *s, int *from, int *to);
	int (*schema_version)(struct store *s);
	enum kn_err (*begin)(struct store *s);
	enum kn_err (*commit)(struct store *s);
	void (*rollback)(struct store *s);
	enum kn_err (*backup)(struct store *s, const char *path);
	enum kn_err (*unit_get)(struct store *s, const char *code, struct unit *out);
	enum kn_err (*unit_all)(struct store *s, struct unit **out, size_t *n);
	enum kn_err (*unit_put)(struct store *s, const struct unit *u, int *changed);
	enum kn_err (*person_get)(struct store *s, const char *ref, struct person *out);
	enum kn_err (*person_get_id)(struct store *s, int64_t id, struct person *out);
	enum kn_err (*person_put)(struct store *s, const struct person *p, const char *search_name, int *changed);
	enum kn_err (*person_find)(struct store *s, const char *folded, struct person **out, size_t *n);
	enum kn_err (*person_all)(struct store *s, struct person **out, size_t *n);
	enum kn_err (*candidacies_of)(struct store *s, int64_t person_id, struct candidacy **out, size_t *n);
	enum kn_err (*candidacy_new)(struct store *s, int64_t person_id, const char *unit_code, int64_t *id);
	enum kn_err (*step_add)(struct store *s, int64_t candidacy_id, const struct step *st, enum step_code stage, int open, int64_t expect_version, int64_t *step_id);
	enum kn_err (*step_update)(struct store *s, int64_t step_id, const struct step *st);
	enum kn_err (*candidacy_version)(struct store *s, int64_t candidacy_id, int64_t *version);
	enum kn_err (*step_each)(struct store *s, store_step_fn fn, void *arg);
	enum kn_err (*quota_put)(struct store *s, const struct quota *q, int *changed);
	enum kn_err (*quota_all)(struct store *s, struct quota **out, size_t *n);
	enum kn_err (*holiday_put)(struct store *s, const struct holiday *h, int *changed);
	enum kn_err (*holiday_all)(struct store *s, struct holiday **out, size_t *n);
	enum kn_err (*policy_all)(struct store *s, struct policy_row **out, size_t *n);
	enum kn_err (*policy_put)(struct store *s, const struct policy_row *r);
	enum kn_err (*admissions)(struct store *s, kn_date from, kn_date to, struct admission **out, size_t *n);
	enum kn_err (*step_counts)(struct store *s, kn_date from, kn_date to, struct step_count **out, size_t *n);
	enum kn_err (*pipeline_each)(struct store *s, kn_date as_of, store_pipeline_fn fn, void *arg);
	enum kn_err (*pipeline_dates)(struct store *s, const char *top, kn_date as_of, store_pipeline_fn fn, void *arg);
	enum kn_err (*audit)(struct store *s, const char *actor, const char *action, const char *entity, const char *key, const char *before, const char *after);
	enum kn_err (*audit_count)(struct store *s, long long *n);
	enum kn_err (*candidacy_list)(struct store *s, const char *folded, struct cand_summary **out, size_t *n);
	enum kn_err (*audit_list)(struct store *s, const char *actor, const char *entity, const char *key_prefix, long long offset, long long limit, struct audit_entry **out, size_t *n);
	/* ---- verify ---- */
	enum kn_err (*audit_head)(struct store *s, struct audit_head *out);
	enum kn_err (*audit_each)(struct store *s, store_audit_fn fn, void *arg);
	enum kn_err (*unit_links)(struct store *s, struct unit_link **out, size_t *n);
	enum kn_err (*candidacy_each)(struct store *s, store_cand_fn fn, void *arg);
	enum kn_err (*user_get)(struct store *s, const char *name, struct user *out);
	enum kn_err (*user_put)(struct store *s, const struct user *u, int *changed);
	enum kn_err (*user_all)(struct store *s, struct user **out, size_t *n);
	enum kn_err (*user_set_token)(struct store *s, const char *name, const char *token_hash);
	enum kn_err (*user_by_token)(struct store *s, const char *token_hash, struct user *out);
	enum kn_err (*session_new)(struct store *s, const struct session *x);
	enum kn_err (*session_get)(struct store *s, const char *token_hash, struct session *out);
	enum kn_err (*session_touch)(struct store *s, const char *token_hash, long long last_seen);
	enum kn_err (*session_delete)(struct store *s, const char *token_hash);
	enum kn_err (*session_purge)(struct store *s, long long idle_before);
	enum kn_err (*login_failed)(struct store *s, const char *key, long long now, long long window, long long *count);
	enum kn_err (*login_failures)(struct store *s, const char *key, long long now, long long window, long long *count);
	enum kn_err (*login_reset)(struct store *s, const char *key);
	enum kn_err (*rows_each)(struct store *s, const struct store_table *t, store_row_fn fn, void *arg);
	enum kn_err (*raw_begin)(struct store *s);
	enum kn_err (*row_put)(struct store *s, const struct store_table *t, const char *const *vals);
	enum kn_err (*raw_commit)(struct store *s);
	/* sessions and the login throttle, hardened */
	enum kn_err (*session_end_user)(struct store *s, const char *user, const char *keep);
	enum kn_err (*login_count)(struct store *s, const char *key, long long now, long long window, int delta, long long *count);
	int (*busy)(struct store *s);	/* may be NULL: never busy */
};

struct store {
	const struct store_ops *ops;
};

/* The raw copy's statements, built from a struct store_table (names
 * only, never values): "SELECT cols FROM name ORDER BY order" and
 * "INSERT INTO name (cols) VALUES (?1, …)" — with `dollar`, $1 for ?1. */
void store_table_select(const struct store_table *t, struct buf *out);
void store_table_insert(const struct store_table *t, int dollar, struct buf *out);

/* ---- verify: shared by the backends' store_candidacy_each ---- */
/* One row of the candidacies-with-steps query, as text (NULL for SQL
 * NULL). step_id 0: a candidacy without steps (a LEFT JOIN's row). */
struct cand_row {
	int64_t id, person_id;
	const char *ref, *name, *member_since, *official_since, *unit, *stage;
	int open;
	int64_t step_id;
	const char *step, *date, *override;
};
/* Gathers rows, ordered by candidacy, into one struct cand_facts at a
 * time and hands each to fn. Start with CAND_ACC_INIT(fn, arg); call
 * cand_acc_add() per row (nonzero once fn asked to stop: read no more)
 * and cand_acc_finish() once (deliver: hand over the last candidacy). */
struct cand_acc {
	store_cand_fn fn;
	void *arg;
	int have, stop;
	struct cand_facts f;
	char *ref, *name, *unit, *stage;
	struct step *steps;
	size_t n, cap;
};
#define CAND_ACC_INIT(fn, arg) { (fn), (arg), 0, 0, { 0 }, NULL, NULL, NULL, NULL, NULL, 0, 0 }
int cand_acc_add(struct cand_acc *a, const struct cand_row *r);
void cand_acc_finish(struct cand_acc *a, int deliver);

/* Backends' constructors, chosen by store_open() from the URL. */
enum kn_err sqlite_open(const char *path, int create, struct store **out, struct buf *err);
enum kn_err pg_open(const char *url, int create, struct store **out, struct buf *err);

#endif
