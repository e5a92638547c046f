/*
 * store.c — store.h's entry points that are not queries: choose the
 * backend from the URL, open, migrate, keep the nesting of transactions
 * (only the outermost pair reaches the backend; its commit writes the
 * audit entries first, store_audit.c, then bumps the change counter),
 * back up, copy between databases,
 * hash audit entries, redact URLs, and free what the store returned. The
 * queries are in store_records.c, store_steps.c, store_reads.c,
 * store_accounts.c and store_audit.c.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/migrations.h"
#include "store/store_impl.h"
#include "util/xalloc.h"
#include "util/banned.h"

static int is_pg(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

/* Migration 007 gave people their name-order keys, which only C makes. */
#define NAME_KEYS_SINCE 7

enum kn_err store_open(const char *url, int create, struct store **out, struct buf *err)
{
	enum kn_err e;
	if (is_pg(url)) {
		e = pg_open(url, create, out, err);
	} else {
		if (strncmp(url, "sqlite:", 7) == 0)
			url += 7;
		e = sqlite_open(url, create, out, err);
	}
	/* Keys missing (people written by a bulk path) or made by another
	 * ICU (the system was upgraded) are made now, so that the lists keep
	 * their order: two indexed reads when there is nothing to do. A
	 * failure (a busy or read-only database) leaves them to the next
	 * opening; meanwhile the people without a key come first. */
	if (e == KN_OK && store_schema_version(*out) >= NAME_KEYS_SINCE &&
	    store_name_keys_refresh(*out, NULL) != KN_OK)
		(*out)->errmsg[0] = '\0';
	return e;
}

const char *store_backend(struct store *s)
{
	return s->ops->name;
}

int store_latest_version(void)
{
	int v = 0;
	for (const struct migration *m = kn_migrations; m->version; m++)
		v = m->version;
	return v;
}

void store_units_free(struct unit *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		unit_release(&u[i]);
	free(u);
}

void store_people_free(struct person *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		person_release(&p[i]);
	free(p);
}

void store_candidacies_free(struct candidacy *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		candidacy_release(&c[i]);
	free(c);
}

void store_quotas_free(struct quota *q, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(q[i].unit);
		free(q[i].category);
	}
	free(q);
}

void store_policy_free(struct policy_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)r[i].key);
		free((char *)r[i].value);
	}
	free(r);
}

void store_admissions_free(struct admission *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].unit);
		free(a[i].ethnicity);
		free(a[i].religion);
		free(a[i].occupation);
		free(a[i].qualification);
	}
	free(a);
}

void user_release(struct user *u)
{
	free(u->name);
	free(u->unit);
	free(u->role);
	free(u->pw_hash);
	free(u->created_at);
	memset(u, 0, sizeof(*u));
}

void store_users_free(struct user *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		user_release(&u[i]);
	free(u);
}

void session_release(struct session *x)
{
	free(x->token_hash);
	free(x->user);
	free(x->csrf);
	memset(x, 0, sizeof(*x));
}

void store_audit_free(struct audit_entry *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].at);
		free(a[i].actor);
		free(a[i].action);
		free(a[i].entity);
		free(a[i].key);
		free(a[i].before);
		free(a[i].after);
	}
	free(a);
}

void store_cand_summaries_free(struct cand_summary *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].ref);
		free(c[i].full_name);
		free(c[i].unit);
		free(c[i].ethnicity);
		free(c[i].religion);
		free(c[i].occupation);
		free(c[i].qualification);
	}
	free(c);
}

/* ---- open, transactions, backup ---- */

void store_close(struct store *s)
{
	if (!s)
		return;
	audit_pend_drop(s);
	free(s->pend);
	s->ops->close(s);
}

const char *store_errmsg(struct store *s)
{
	return s->errmsg;
}

enum kn_err store_migrate(struct store *s, int *from, int *to)
{
	enum kn_err e = s->ops->migrate(s, from, to);
	/* 007's work in C: the keys of the people already there. */
	if (e == KN_OK && *to >= NAME_KEYS_SINCE)
		e = store_name_keys_refresh(s, NULL);
	return e;
}

int store_schema_version(struct store *s)
{
	return s->ops->schema_version(s);
}

/* Nesting: only the outermost pair reaches the backend. An inner
 * rollback marks the transaction failed; the outermost commit then rolls
 * it back. The audit entries of the transaction are written by the
 * outermost commit, before the backend's COMMIT (store_audit.c); then,
 * when the transaction wrote anything (s->wrote, set by query.c), the
 * change counter moves by one. */
enum kn_err store_begin(struct store *s)
{
	enum kn_err e;
	if (s->depth > 0) {
		s->depth++;
		return KN_OK;
	}
	s->failed = 0;
	s->wrote = 0;
	if ((e = s->ops->tx_begin(s)) != KN_OK)
		return e;
	s->depth = 1;
	return KN_OK;
}

enum kn_err store_commit(struct store *s)
{
	enum kn_err e = KN_OK;
	if (s->depth == 0)
		return KN_OK;
	if (s->depth > 1) {
		s->depth--;
		return KN_OK;
	}
	if (!s->failed && !s->txerr && s->npend)
		e = audit_flush(s);
	audit_pend_drop(s);
	/* Last, so that on PostgreSQL the counter's row lock, which every
	 * writer takes, is held only while this transaction commits (and
	 * after audit_head's, the order every writer takes them in). */
	if (e == KN_OK && !s->failed && !s->txerr && s->wrote)
		e = q_exec(s, S_CHANGES_BUMP, NULL, NULL);
	s->wrote = 0;
	s->depth = 0;
	if (s->failed || e != KN_OK) {
		s->ops->tx_rollback(s);
		if (s->failed)
			snprintf(s->errmsg, sizeof(s->errmsg), "transaction was rolled back");
		s->failed = 0;
		return e != KN_OK ? e : KN_EIO;
	}
	return s->ops->tx_commit(s);
}

void store_rollback(struct store *s)
{
	if (s->depth == 0)
		return;
	if (--s->depth > 0) {
		s->failed = 1;
		return;
	}
	audit_pend_drop(s);
	s->failed = 0;
	s->wrote = 0;
	s->ops->tx_rollback(s);
}

/* One column of the one-row `changes` table through statement id; `none`
 * while the row does not exist (nothing was ever written). */
static enum kn_err changes_read(struct store *s, enum stmt_id id, long long none,
				long long *out)
{
	struct srows r;
	enum kn_err e = q_first(s, id, NULL, &r);
	*out = none;
	if (e == KN_ENOTFOUND)
		return KN_OK;
	if (e != KN_OK)
		return e;
	*out = row_int(&r, 0);
	return q_close(&r);
}

enum kn_err store_changes(struct store *s, long long *n)
{
	return changes_read(s, S_CHANGES_GET, 0, n);
}

enum kn_err store_audit_wrote_since(struct store *s, const char *actor, long long since,
				    int *wrote)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	char at[32];
	enum kn_err e;

	*wrote = 0;
	store_time_iso((time_t)since, at);
	arg_text(&a, at);
	arg_text(&a, actor);
	e = q_first(s, S_AUDIT_ACTOR_SINCE, &a, &r);
	if (e == KN_ENOTFOUND)
		return KN_OK;
	if (e != KN_OK)
		return e;
	*wrote = 1;
	return q_close(&r);
}

enum kn_err store_units_version(struct store *s, long long *v)
{
	return changes_read(s, S_UNITS_VERSION, -1, v);
}

enum kn_err store_backup(struct store *s, const char *path)
{
	return s->ops->backup(s, path);
}


int store_busy(struct store *s)
{
	return s->ops->busy ? s->ops->busy(s) : 0;
}

/* ---- URLs in messages ---- */

void store_url_redact(const char *url, struct buf *out)
{
	const char *p = url, *auth = strstr(url, "://"), *qm;
	if (auth) {
		const char *end, *at = NULL, *colon = NULL;
		auth += 3;
		end = auth + strcspn(auth, "/?");
		for (const char *c = auth; c < end; c++)
			if (*c == '@')
				at = c;
		for (const char *c = auth; at && c < at; c++)
			if (*c == ':') {
				colon = c;
				break;
			}
		if (colon) {
			buf_add(out, url, (size_t)(colon - url) + 1);
			buf_adds(out, "***");
			p = at;
		}
	}
	if (!auth || !(qm = strchr(p, '?'))) {
		buf_adds(out, p);
		return;
	}
	buf_add(out, p, (size_t)(qm - p) + 1);
	p = qm + 1;
	while (*p) {
		size_t len = strcspn(p, "&");
		if (strncmp(p, "password=", 9) == 0)
			buf_adds(out, "password=***");
		else
			buf_add(out, p, len);
		p += len;
		if (*p == '&')
			buf_addc(out, *p++);
	}
}

/* ---- raw copy ---- */

static const char *const units_cols[] = { "id", "code", "parent_id", "name", "kind", "may_admit",
	"sector", "special_area", "path", NULL };
static const char *const people_cols[] = { "id", "ref", "full_name", "search_name", "sex",
	"birth_date", "unit_id", "ethnicity", "religion", "education", "qualification",
	"occupation", "youth_union", "trade_union", "member_since", "official_since", "phone",
	"note", "name_key", "left_on", "left_reason", "record_cleared_on", "readmitted", NULL };
static const char *const candidacies_cols[] = { "id", "person_id", "unit_id", "stage", "is_open",
	"version", "readmission", NULL };
static const char *const steps_cols[] = { "id", "candidacy_id", "seq", "step", "date", "doc_no",
	"org", "member_id", "intro1_id", "intro1_since", "intro2_id", "intro2_since", "votes_for",
	"votes_total", "consent", "override", "override_by", "note", "recorded_by", "recorded_at",
	"unit_id", NULL };
/* issue 15: transfers (migration 009) */
static const char *const transfers_cols[] = { "id", "person_id", "out_date", "from_unit_id",
	"to_unit_id", "in_date", "doc_no", "note", "override", "override_by", "recorded_by",
	"recorded_at", NULL };
static const char *const quotas_cols[] = { "unit_id", "year", "category", "target", NULL };
static const char *const holidays_cols[] = { "date", "workday", "name", NULL };
static const char *const policy_cols[] = { "key", "from_date", "value", NULL };
static const char *const audit_cols[] = { "id", "at", "actor", "action", "entity", "key",
	"before", "after", "hash", NULL };
static const char *const audit_head_cols[] = { "one", "id", "hash", "n", NULL };
static const char *const users_cols[] = { "id", "name", "unit_id", "role", "pw_hash",
	"token_hash", "disabled", "created_at", NULL };
static const char *const sessions_cols[] = { "token_hash", "user_id", "csrf", "created",
	"last_seen", NULL };
static const char *const login_failures_cols[] = { "key", "count", "first_at", NULL };
static const char *const changes_cols[] = { "one", "n", "units", NULL };
static const char *const decision_extensions_cols[] = { "candidacy_id", "date", "doc_no",
	"unit_id", "actor", NULL };
/* issue 15: identity (migration 011) */
static const char *const merged_refs_cols[] = { "ref", "into_id", "merged_at", "merged_by",
	NULL };

/* Every table of migrations 001 to 009; a new migration that adds a
 * table or a column adds it here too (test_store's copy test notices).
 * 007's name_key_version is not copied: the target's migration wrote its
 * own row (the same program, the same collator as the keys copied). */
static const struct store_table tables[] = {
	{ "units", units_cols, "id", "id" },
	{ "people", people_cols, "id", "id" },
	{ "candidacies", candidacies_cols, "id", "id" },
	{ "steps", steps_cols, "id", "id" },
	{ "transfers", transfers_cols, "id", "id" },
	{ "quotas", quotas_cols, "unit_id, year, category", NULL },
	{ "holidays", holidays_cols, "date", NULL },
	{ "policy", policy_cols, "key, from_date", NULL },
	{ "audit", audit_cols, "id", "id" },
	{ "audit_head", audit_head_cols, "one", NULL },
	{ "users", users_cols, "id", "id" },
	{ "sessions", sessions_cols, "token_hash", NULL },
	{ "login_failures", login_failures_cols, "key", NULL },
	{ "changes", changes_cols, "one", NULL },
	{ "decision_extensions", decision_extensions_cols, "candidacy_id", NULL },	/* 012 */
	/* issue 15: identity (migration 011) */
	{ "merged_refs", merged_refs_cols, "ref", NULL },
};

const struct store_table *store_tables(size_t *n)
{
	*n = sizeof(tables) / sizeof(tables[0]);
	return tables;
}

void store_table_select(const struct store_table *t, struct buf *out)
{
	buf_adds(out, "SELECT ");
	for (size_t i = 0; t->cols[i]; i++)
		buf_addf(out, "%s%s", i ? ", " : "", t->cols[i]);
	buf_addf(out, " FROM %s ORDER BY %s", t->name, t->order);
}

void store_table_insert(const struct store_table *t, int dollar, struct buf *out)
{
	size_t i;
	buf_addf(out, "INSERT INTO %s (", t->name);
	for (i = 0; t->cols[i]; i++)
		buf_addf(out, "%s%s", i ? ", " : "", t->cols[i]);
	buf_adds(out, ") VALUES (");
	for (i = 0; t->cols[i]; i++)
		buf_addf(out, "%s%c%zu", i ? ", " : "", dollar ? '$' : '?', i + 1);
	buf_addc(out, ')');
}

enum kn_err store_rows_each(struct store *s, const struct store_table *t, store_row_fn fn,
			    void *arg)
{
	return s->ops->rows_each(s, t, fn, arg);
}

enum kn_err store_raw_begin(struct store *s)
{
	return s->ops->raw_begin(s);
}

enum kn_err store_row_put(struct store *s, const struct store_table *t, const char *const *vals)
{
	return s->ops->row_put(s, t, vals);
}

enum kn_err store_raw_commit(struct store *s)
{
	return s->ops->raw_commit(s);
}

static int count_one(void *arg, const char *const *vals, size_t n)
{
	++*(long long *)arg;
	return 1;	/* one row is enough to know */
}

struct copy_arg {
	struct store *to;
	const struct store_table *t;
	enum kn_err e;
	long long rows;
};

static int copy_row(void *arg, const char *const *vals, size_t n)
{
	struct copy_arg *a = arg;
	a->e = store_row_put(a->to, a->t, vals);
	a->rows++;
	return a->e != KN_OK;
}

enum kn_err store_copy(struct store *from, struct store *to, long long *rows,
		       struct store **failed)
{
	size_t n;
	const struct store_table *t = store_tables(&n);
	struct copy_arg a = { to, NULL, KN_OK, 0 };
	enum kn_err e;

	*rows = 0;
	*failed = to;
	for (size_t i = 0; i < n; i++) {
		long long any = 0;
		if ((e = store_rows_each(to, &t[i], count_one, &any)) != KN_OK)
			return e;
		if (any)
			return KN_ECONFLICT;
	}
	if ((e = store_raw_begin(to)) != KN_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		a.t = &t[i];
		if ((e = store_rows_each(from, &t[i], copy_row, &a)) != KN_OK || a.e != KN_OK) {
			if (e != KN_OK)
				*failed = from;
			else
				e = a.e;
			store_rollback(to);
			return e;
		}
	}
	if ((e = store_raw_commit(to)) != KN_OK)
		return e;
	*rows = a.rows;
	return KN_OK;
}

/* ---- verify ---- */

const char store_audit_genesis[STORE_HASH_HEX] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void hash_field(crypto_generichash_state *st, const char *v)
{
	unsigned char head[9];
	size_t len;

	if (!v) {
		head[0] = 0;
		crypto_generichash_update(st, head, 1);
		return;
	}
	len = strlen(v);
	head[0] = 1;
	for (int i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	crypto_generichash_update(st, head, sizeof(head));
	crypto_generichash_update(st, (const unsigned char *)v, len);
}

static void sodium_ready(void)
{
	if (sodium_init() < 0)
		abort();
}

void store_audit_hash(const char *prev, const struct audit_entry *a, char out[STORE_HASH_HEX])
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	crypto_generichash_state st;
	unsigned char h[32];
	char id[24];

	pthread_once(&once, sodium_ready);
	snprintf(id, sizeof(id), "%lld", (long long)a->id);
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	hash_field(&st, "ketnap audit v1");
	hash_field(&st, prev);
	hash_field(&st, id);
	hash_field(&st, a->at);
	hash_field(&st, a->actor);
	hash_field(&st, a->action);
	hash_field(&st, a->entity);
	hash_field(&st, a->key);
	hash_field(&st, a->before);
	hash_field(&st, a->after);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, STORE_HASH_HEX, h, sizeof(h));
}

void store_unit_links_free(struct unit_link *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(u[i].code);
		free(u[i].path);
	}
	free(u);
}

static kn_date text_date(const char *t)
{
	kn_date d;
	return t && date_parse(t, &d) == 0 ? d : KN_DATE_NONE;
}

static void cand_acc_clear(struct cand_acc *a)
{
	for (size_t i = 0; i < a->n; i++)
		step_release(&a->steps[i]);
	a->n = 0;
	free(a->ref);
	free(a->name);
	free(a->unit);
	free(a->stage);
	a->ref = a->name = a->unit = a->stage = NULL;
	a->have = 0;
}

static void cand_acc_deliver(struct cand_acc *a)
{
	if (!a->have || a->stop)
		return;
	a->f.person_ref = a->ref;
	a->f.full_name = a->name;
	a->f.unit = a->unit;
	a->f.stage = a->stage;
	a->f.steps = a->steps;
	a->f.nsteps = a->n;
	a->stop = a->fn(a->arg, &a->f);
}

int cand_acc_add(struct cand_acc *a, const struct cand_row *r)
{
	if (a->stop)
		return 1;
	if (!a->have || a->f.id != r->id) {
		cand_acc_deliver(a);
		cand_acc_clear(a);
		if (a->stop)
			return 1;
		memset(&a->f, 0, sizeof(a->f));
		a->have = 1;
		a->f.id = r->id;
		a->f.person_id = r->person_id;
		a->ref = r->ref ? xstrdup(r->ref) : NULL;
		a->name = r->name ? xstrdup(r->name) : NULL;
		a->unit = r->unit ? xstrdup(r->unit) : NULL;
		a->stage = r->stage ? xstrdup(r->stage) : NULL;
		a->f.member_since = text_date(r->member_since);
		a->f.official_since = text_date(r->official_since);
		a->f.open = r->open;
	}
	if (r->step_id) {
		struct step *st;
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 16;
			a->steps = xreallocarray(a->steps, a->cap, sizeof(*a->steps));
		}
		st = &a->steps[a->n++];
		step_init(st);
		st->id = r->step_id;
		st->code = r->step ? step_from_name(r->step) : STEP_NONE;
		st->date = text_date(r->date);
		st->override = r->override ? xstrdup(r->override) : NULL;
	}
	return 0;
}

void cand_acc_finish(struct cand_acc *a, int deliver)
{
	if (deliver)
		cand_acc_deliver(a);
	cand_acc_clear(a);
	free(a->steps);
	a->steps = NULL;
	a->cap = 0;
}

/* ---- bulk loads ---- */

enum kn_err store_bulk_begin(struct store *s, size_t rows)
{
	if (s->depth == 0)
		return store_fail(s, KN_EINVAL, "store_bulk_begin outside a transaction");
	return s->ops->bulk_begin ? s->ops->bulk_begin(s, rows) : KN_OK;
}

enum kn_err store_bulk_end(struct store *s)
{
	return s->ops->bulk_end ? s->ops->bulk_end(s) : KN_OK;
}
