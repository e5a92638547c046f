/*
 * store_records.c — the records put by key (store.h): units by code,
 * people by ref, quotas by unit, year and category, holidays by date and
 * the policy by key and start date. Written once for both backends with
 * the statement table (stmt.h) and its readers.
 *
 * A put reads the record first and writes only what differs, so that
 * the caller can tell "unchanged" (0) from "updated" (1) and "inserted"
 * (2) without a second query, and an unchanged re-import writes nothing.
 * Records name their unit by code: the statements look the id up
 * themselves. A unit's parent must exist: an unknown one would make the
 * statement store NULL, a new root, so it is refused beforehand. A
 * policy row in force since always is stored with from_date ''.
 *
 * A person is written with the sort key of their name in Vietnamese
 * order (people.name_key, hex of text_name_key()), and
 * store_name_keys_refresh() makes the keys a database lacks or that
 * another ICU made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The write of a put, once the old record (got: KN_OK, KN_ENOTFOUND or
 * the error of reading it) was compared: nothing when same, else an
 * update or an insert (the same statement for an upsert) with the same
 * arguments. */
static enum kn_err put_write(struct store *s, enum kn_err got, int same, enum stmt_id update,
			     enum stmt_id insert, const struct sargs *a, int *changed)
{
	if (got != KN_OK && got != KN_ENOTFOUND)
		return got;
	if (got == KN_OK && same) {
		*changed = 0;
		return KN_OK;
	}
	*changed = got == KN_OK ? 1 : 2;
	return q_exec(s, got == KN_OK ? update : insert, a, NULL);
}

/* ---- units ---- */

static void path_hi(const char *path, struct buf *hi);

enum kn_err store_unit_get(struct store *s, const char *code, struct unit *out)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;
	memset(out, 0, sizeof(*out));	/* releasable whatever happens */
	arg_text(&a, code);
	if ((e = q_first(s, S_UNIT_GET, &a, &r)) != KN_OK)
		return e;
	row_unit(&r, 0, out);
	return q_close(&r);
}

static void unit_row(const struct srows *r, void *item)
{
	row_unit(r, 0, item);
}

enum kn_err store_unit_all(struct store *s, struct unit **out, size_t *n)
{
	enum kn_err e = q_all(s, S_UNIT_ALL, NULL, (void **)out, n, sizeof(**out), unit_row);
	Q_ALL_OR_NONE(e, out, n, store_units_free);
	return e;
}

/* The rows of S_UNIT_TREE's columns, each to fn. */
static enum kn_err unit_rows(struct store *s, enum stmt_id id, const struct sargs *a,
			     store_unit_fn fn, void *arg)
{
	struct srows r;
	enum kn_err e = q_open(s, id, a, &r);
	if (e != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		struct unit u = { 0 };
		int64_t pid = row_int(&r, 1);
		u.id = row_int(&r, 0);
		u.code = (char *)row_str(&r, 2);
		u.name = (char *)row_str(&r, 3);
		unit_kind_parse(row_str(&r, 4), &u.kind);
		u.may_admit = (int)row_int(&r, 5);
		u.sector = (char *)row_str(&r, 6);
		u.special_area = (int)row_int(&r, 7);
		if (fn(arg, &u, row_int(&r, 8) ? NULL : &pid))
			break;
	}
	return q_close(&r);
}

enum kn_err store_unit_each(struct store *s, store_unit_fn fn, void *arg)
{
	return unit_rows(s, S_UNIT_TREE, NULL, fn, arg);
}

enum kn_err store_unit_near(struct store *s, const char *code, int64_t id, store_unit_fn fn,
			    void *arg)
{
	struct sargs a = SARGS_INIT;
	if (code)
		arg_text(&a, code);
	else
		arg_int(&a, id);
	return unit_rows(s, code ? S_UNIT_NEAR : S_UNIT_NEAR_ID, &a, fn, arg);
}

/* The code and path of the first root as unitree_build orders codes
 * (strcmp), not as the database's collation would; both left empty when
 * there are no units. */
static enum kn_err first_root(struct store *s, struct buf *code, struct buf *path)
{
	struct srows r;
	enum kn_err e = q_open(s, S_UNIT_ROOTS, NULL, &r);
	if (e != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		const char *c = row_str(&r, 0), *p = row_str(&r, 1);
		if (c && p && (!code->len || strcmp(c, code->s) < 0)) {
			buf_reset(code);
			buf_adds(code, c);
			buf_reset(path);
			buf_adds(path, p);
		}
	}
	return q_close(&r);
}

enum kn_err store_unit_first_root(struct store *s, struct unit *out)
{
	struct buf code = BUF_INIT, path = BUF_INIT;
	enum kn_err e = first_root(s, &code, &path);
	memset(out, 0, sizeof(*out));
	if (e == KN_OK)
		e = code.len ? store_unit_get(s, code.s, out) : KN_ENOTFOUND;
	buf_release(&code);
	buf_release(&path);
	return e;
}

enum kn_err store_unit_subtree(struct store *s, const char *top, struct unit **out, size_t *n)
{
	struct buf lo = BUF_INIT, hi = BUF_INIT, first = BUF_INIT;
	struct sargs a = SARGS_INIT;
	enum kn_err e = KN_OK;

	*out = NULL;
	*n = 0;
	if (!top) {
		if ((e = first_root(s, &first, &lo)) != KN_OK || !first.len)
			goto out;
		path_hi(lo.s, &hi);
	} else if ((e = store_unit_range(s, top, &lo, &hi)) != KN_OK) {
		goto out;
	}
	arg_text(&a, lo.s);
	arg_text(&a, hi.s);
	e = q_all(s, S_UNIT_SUB, &a, (void **)out, n, sizeof(**out), unit_row);
	Q_ALL_OR_NONE(e, out, n, store_units_free);
out:
	buf_release(&lo);
	buf_release(&hi);
	buf_release(&first);
	return e;
}

static int unit_same(const struct unit *a, const struct unit *b)
{
	return store_streq(a->parent, b->parent) && store_streq(a->name, b->name) &&
	       a->kind == b->kind && !a->may_admit == !b->may_admit &&
	       store_streq(a->sector, b->sector) && !a->special_area == !b->special_area;
}

/* An unknown parent must not silently make a new root. */
static enum kn_err parent_known(struct store *s, const char *parent)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;
	if (!parent)
		return KN_OK;
	arg_text(&a, parent);
	e = q_first(s, S_UNIT_ID, &a, &r);
	if (e == KN_ENOTFOUND)
		return store_fail(s, KN_ENOTFOUND, "no unit with code %.200s", parent);
	return e == KN_OK ? q_close(&r) : e;
}

/* The subtree of a unit whose path is `path`: path <= p < hi, hi being
 * path with its last '/' made '0', the byte after '/'. */
static void path_hi(const char *path, struct buf *hi)
{
	buf_reset(hi);
	buf_adds(hi, path);
	if (hi->len && hi->s[hi->len - 1] == '/')
		hi->s[hi->len - 1] = '0';
}

enum kn_err store_unit_nroots(struct store *s, long long *n)
{
	struct srows r;
	enum kn_err e = q_first(s, S_UNIT_NROOTS, NULL, &r);

	*n = 0;
	if (e != KN_OK)
		return e;
	*n = row_int(&r, 0);
	return q_close(&r);
}

enum kn_err store_unit_range(struct store *s, const char *code, struct buf *lo, struct buf *hi)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;

	buf_reset(lo);
	if (!code) {
		buf_adds(lo, "/");
		path_hi(lo->s, hi);
		return KN_OK;
	}
	arg_text(&a, code);
	if ((e = q_first(s, S_UNIT_PATH, &a, &r)) != KN_OK)
		return e == KN_ENOTFOUND ? store_fail(s, e, "no unit with code %.200s", code) : e;
	if (!row_str(&r, 0)) {
		q_close(&r);
		return store_fail(s, KN_EIO, "unit %.200s has no path in the tree", code);
	}
	buf_adds(lo, row_str(&r, 0));
	path_hi(lo->s, hi);
	return q_close(&r);
}

/* Write the path of unit `code` from its parent's (just inserted, or
 * moved: then the old path `old` of its descendants becomes the new one). */
static enum kn_err unit_path_write(struct store *s, const char *code, const char *old)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	struct buf now = BUF_INIT, hi = BUF_INIT;
	enum kn_err e;

	arg_text(&a, code);
	if ((e = q_first(s, S_UNIT_SET_PATH, &a, &r)) != KN_OK)
		return e;
	buf_adds(&now, row_str(&r, 0) ? row_str(&r, 0) : "");
	if ((e = q_close(&r)) == KN_OK && old && strcmp(old, now.s) != 0) {
		struct sargs m = SARGS_INIT;
		path_hi(old, &hi);
		arg_text(&m, old);
		arg_text(&m, hi.s);
		arg_text(&m, now.s);
		e = q_exec(s, S_UNIT_MOVE_SUB, &m, NULL);
	}
	buf_release(&now);
	buf_release(&hi);
	return e;
}

/* The path of an existing unit, heap-allocated (NULL for none: a row a
 * bulk writer put without store_unit_paths_rebuild()). */
static enum kn_err unit_path_of(struct store *s, const char *code, char **out)
{
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e;
	*out = NULL;
	arg_text(&a, code);
	if ((e = q_first(s, S_UNIT_PATH, &a, &r)) != KN_OK)
		return e;
	*out = row_dup(&r, 0);
	return q_close(&r);
}

/* A unit put under itself or one of its descendants would make a cycle,
 * which no path can describe and no rule can walk: refused. */
static enum kn_err not_below_itself(struct store *s, const struct unit *u, const char *own)
{
	char *ppath = NULL;
	enum kn_err e;
	if (!u->parent || !own)
		return KN_OK;
	if ((e = unit_path_of(s, u->parent, &ppath)) != KN_OK)
		return e;
	if (ppath && strncmp(ppath, own, strlen(own)) == 0)
		e = store_fail(s, KN_EINVAL, "unit %.200s cannot be put under %.200s, which is "
			       "within it", u->code, u->parent);
	free(ppath);
	return e;
}

enum kn_err store_unit_paths_rebuild(struct store *s, long long *changed)
{
	return q_exec(s, S_UNIT_PATHS_ALL, NULL, changed);
}

/* S_UNIT_INSERT's, S_UNIT_UPDATE's and S_UNIT_ADD's parameters. */
static void unit_args(struct sargs *a, const struct unit *u)
{
	arg_text(a, u->code);
	arg_text(a, u->parent);
	arg_text(a, u->name);
	arg_text(a, unit_kind_name(u->kind));
	arg_int(a, !!u->may_admit);
	arg_text(a, u->sector);
	arg_int(a, !!u->special_area);
}

enum kn_err store_unit_put(struct store *s, const struct unit *u, int *changed)
{
	struct unit old;
	struct sargs a = SARGS_INIT;
	enum kn_err e = store_unit_get(s, u->code, &old), pe;
	int same = 0, moved = 0;
	char *own = NULL;

	if (e == KN_OK) {
		same = unit_same(&old, u);
		moved = !store_streq(old.parent, u->parent);
		unit_release(&old);
	}
	if ((e == KN_OK || e == KN_ENOTFOUND) && (pe = parent_known(s, u->parent)) != KN_OK)
		return pe;
	if (moved && ((pe = unit_path_of(s, u->code, &own)) != KN_OK ||
		      (pe = not_below_itself(s, u, own)) != KN_OK)) {
		free(own);
		return pe;
	}
	unit_args(&a, u);
	/* The row and the paths it changes, together. */
	if ((pe = store_begin(s)) != KN_OK) {
		free(own);
		return pe;
	}
	e = put_write(s, e, same, S_UNIT_UPDATE, S_UNIT_INSERT, &a, changed);
	if (e == KN_OK && (*changed == 2 || moved))
		e = unit_path_write(s, u->code, own);
	free(own);
	if (e != KN_OK) {
		store_rollback(s);
		return e;
	}
	return store_commit(s);
}

enum kn_err store_unit_add(struct store *s, const struct unit *u)
{
	struct sargs a = SARGS_INIT, b = SARGS_INIT;
	enum kn_err e;

	unit_args(&a, u);
	arg_text(&b, u->code);
	/* The row and its path, together. */
	if ((e = store_begin(s)) != KN_OK)
		return e;
	if ((e = q_exec(s, S_UNIT_ADD, &a, NULL)) != KN_OK ||
	    (e = q_exec(s, S_UNIT_ADD_PATH, &b, NULL)) != KN_OK) {
		store_rollback(s);
		return e;
	}
	return store_commit(s);
}

/* ---- people ---- */

static enum kn_err person_one(struct store *s, enum stmt_id id, const struct sargs *a,
			      struct person *out)
{
	struct srows r;
	enum kn_err e;
	person_init(out);	/* releasable whatever happens */
	if ((e = q_first(s, id, a, &r)) != KN_OK)
		return e;
	row_person(&r, 0, out);
	return q_close(&r);
}

enum kn_err store_person_get(struct store *s, const char *ref, struct person *out)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, ref);
	return person_one(s, S_PERSON_GET, &a, out);
}

enum kn_err store_person_get_id(struct store *s, int64_t id, struct person *out)
{
	struct sargs a = SARGS_INIT;
	arg_int(&a, id);
	return person_one(s, S_PERSON_GET_ID, &a, out);
}

static int person_same(const struct person *a, const struct person *b)
{
	return store_streq(a->full_name, b->full_name) && a->sex == b->sex &&
	       a->birth_date == b->birth_date && store_streq(a->unit, b->unit) &&
	       store_streq(a->ethnicity, b->ethnicity) && store_streq(a->religion, b->religion) &&
	       store_streq(a->education, b->education) &&
	       store_streq(a->qualification, b->qualification) &&
	       store_streq(a->occupation, b->occupation) && !a->youth_union == !b->youth_union &&
	       !a->trade_union == !b->trade_union && a->member_since == b->member_since &&
	       a->official_since == b->official_since && store_streq(a->phone, b->phone) &&
	       store_streq(a->note, b->note) && a->left_on == b->left_on &&
	       store_streq(a->left_reason, b->left_reason) &&
	       a->record_cleared_on == b->record_cleared_on && !a->readmitted == !b->readmitted;
}

/* The stored form of a name's sort key: text_name_key() in lower-case
 * hex, whose byte order (SQLite's BINARY, PostgreSQL's COLLATE "C") is
 * the key's, and which both backends keep as text. Never empty. */
static void name_key_hex(const char *full_name, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	struct buf k = BUF_INIT;
	text_name_key(full_name, &k);
	buf_grow(out, 2 * k.len);
	for (size_t i = 0; i < k.len; i++) {
		buf_addc(out, hex[(unsigned char)k.s[i] >> 4]);
		buf_addc(out, hex[(unsigned char)k.s[i] & 15]);
	}
	buf_release(&k);
}

/* S_PERSON_INSERT's, S_PERSON_UPDATE's and S_PERSON_ADD's parameters;
 * *key holds the name key's text, for the caller to release. */
static void person_args(struct sargs *a, const struct person *p, const char *search_name,
			char sex[2], struct buf *key)
{
	sex[0] = p->sex;
	sex[1] = 0;
	arg_text(a, p->ref);
	arg_text(a, p->full_name);
	arg_text(a, search_name);
	arg_text(a, sex);
	arg_date(a, p->birth_date);
	arg_text(a, p->unit);
	arg_text(a, p->ethnicity);
	arg_text(a, p->religion);
	arg_text(a, p->education);
	arg_text(a, p->qualification);
	arg_text(a, p->occupation);
	arg_int(a, !!p->youth_union);
	arg_int(a, !!p->trade_union);
	arg_date(a, p->member_since);
	arg_date(a, p->official_since);
	arg_text(a, p->phone);
	arg_text(a, p->note);
	name_key_hex(p->full_name, key);
	arg_text(a, key->s);
	arg_date(a, p->left_on);
	arg_text(a, p->left_reason);
	arg_date(a, p->record_cleared_on);
	arg_int(a, !!p->readmitted);
}

enum kn_err store_person_add(struct store *s, const struct person *p, const char *search_name)
{
	struct sargs a = SARGS_INIT;
	char sex[2];
	struct buf key = BUF_INIT;
	enum kn_err e;

	person_args(&a, p, search_name, sex, &key);
	e = q_exec(s, S_PERSON_ADD, &a, NULL);
	buf_release(&key);
	return e;
}

/* The write of store_person_put(): got is what the get of p->ref
 * answered (KN_OK: stored, and same says whether p would change it). */
static enum kn_err person_write(struct store *s, const struct person *p,
				const char *search_name, enum kn_err got, int same, int *changed)
{
	struct sargs a = SARGS_INIT;
	char sex[2];
	struct buf key = BUF_INIT;
	enum kn_err e;

	person_args(&a, p, search_name, sex, &key);
	e = put_write(s, got, same, S_PERSON_UPDATE, S_PERSON_INSERT, &a, changed);
	buf_release(&key);
	return e;
}

enum kn_err store_person_put(struct store *s, const struct person *p, const char *search_name,
			     int *changed)
{
	struct person old;
	enum kn_err e = store_person_get(s, p->ref, &old);
	int same = 0;

	if (e == KN_OK) {
		same = person_same(&old, p);
		person_release(&old);
	}
	return person_write(s, p, search_name, e, same, changed);
}

/* ---- issue 13: the people import streams ---- */

enum kn_err store_person_put_known(struct store *s, const struct person *p,
				   const struct person *old, const char *search_name,
				   int *changed)
{
	return person_write(s, p, search_name, old ? KN_OK : KN_ENOTFOUND,
			    old && person_same(old, p), changed);
}

enum kn_err store_people_any(struct store *s, int *any)
{
	struct srows r;
	enum kn_err e = q_first(s, S_PEOPLE_ANY, NULL, &r);
	*any = 0;
	if (e != KN_OK)
		return e;
	*any = row_int(&r, 0) > 0;
	return q_close(&r);
}

enum kn_err store_unit_codes_sorted(struct store *s, char ***out, size_t *n)
{
	struct srows r;
	size_t cap = 0;
	enum kn_err e = q_open(s, S_UNIT_CODES_SORTED, NULL, &r);

	*out = NULL;
	*n = 0;
	if (e != KN_OK)
		return e;
	while (q_next(&r) > 0) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		(*out)[(*n)++] = row_dup(&r, 0);
	}
	if ((e = q_close(&r)) != KN_OK) {
		for (size_t i = 0; i < *n; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}

enum kn_err store_people_dup_rows(struct store *s,
				  void (*fn)(void *arg, const char *search_name, kn_date birth,
					     const char *ref, const char *full_name,
					     const char *unit),
				  void *arg)
{
	struct srows r;
	enum kn_err e = q_open(s, S_PEOPLE_DUP_ROWS, NULL, &r);
	if (e != KN_OK)
		return e;
	while (q_next(&r) > 0)
		fn(arg, row_str(&r, 0), row_date(&r, 1), row_str(&r, 2), row_str(&r, 3),
		   row_str(&r, 4));
	return q_close(&r);
}

/* ---- the name-order keys (migration 007) ---- */

#define NAME_KEY_BATCH 5000

struct key_todo {
	int64_t id;
	char *name;
};

static void key_todo_row(const struct srows *r, void *item)
{
	struct key_todo *k = item;
	k->id = row_int(r, 0);
	k->name = row_dup(r, 1);
}

static void key_todo_free(struct key_todo *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(k[i].name);
	free(k);
}

/* One batch: the people read by `id` (S_NAMEKEY_MISSING or
 * S_NAMEKEY_FROM with a) get their keys, in one transaction. *last: the
 * greatest id done; *n: how many (0: no more). */
static enum kn_err key_batch(struct store *s, enum stmt_id id, const struct sargs *a,
			     int64_t *last, size_t *n)
{
	struct key_todo *k = NULL;
	struct sargs u = SARGS_INIT;
	json_t *pairs = NULL;
	char *text = NULL;
	enum kn_err e = q_all(s, id, a, (void **)&k, n, sizeof(*k), key_todo_row);

	if (e != KN_OK || *n == 0)
		goto out;
	if ((e = store_begin(s)) != KN_OK)
		goto out;
	pairs = json_array();
	for (size_t i = 0; i < *n; i++) {
		struct buf key = BUF_INIT;
		name_key_hex(k[i].name, &key);
		json_array_append_new(pairs, json_pack("[Is]", (json_int_t)k[i].id, key.s));
		buf_release(&key);
	}
	text = json_dumps(pairs, JSON_COMPACT);
	arg_text(&u, text);
	e = q_exec(s, S_NAMEKEY_SET, &u, NULL);
	*last = k[*n - 1].id;
	s->wrote = 0;	/* derived, not a change: see store_name_keys_refresh() */
	if (e == KN_OK)
		e = store_commit(s);
	else
		store_rollback(s);
out:
	key_todo_free(k, *n);
	json_decref(pairs);
	free(text);
	return e;
}

/* The keys are derived from the names, not facts of the organisation:
 * their writes leave the change counter alone (s->wrote cleared before
 * each commit), so that no cache is thrown away for them and a fresh
 * database starts at 0 — the lists that show their order are read from
 * the database on each request, never cached. */
enum kn_err store_name_keys_refresh(struct store *s, long long *made)
{
	struct buf want = BUF_INIT;
	struct srows r;
	char *have = NULL;
	int64_t last = 0;
	size_t n;
	enum kn_err e;

	if (made)
		*made = 0;
	text_name_key_version(&want);
	if ((e = q_first(s, S_NAMEKEY_VERSION, NULL, &r)) == KN_OK) {
		have = row_dup(&r, 0);
		e = q_close(&r);
	} else if (e == KN_ENOTFOUND) {
		e = KN_OK;	/* the row was deleted: make every key again */
	}
	if (e != KN_OK)
		goto out;
	if (have && strcmp(have, want.s) == 0) {
		/* Only those without a key; each batch leaves the list. */
		do {
			struct sargs a = SARGS_INIT;
			arg_int(&a, NAME_KEY_BATCH);
			if ((e = key_batch(s, S_NAMEKEY_MISSING, &a, &last, &n)) != KN_OK)
				goto out;
			if (made)
				*made += (long long)n;
		} while (n == NAME_KEY_BATCH);
		goto out;
	}
	/* Another collator (or none recorded): every key, in id order; the
	 * version is written last, so that an interrupted rebuild starts
	 * again rather than leave old keys beside new ones. */
	do {
		struct sargs a = SARGS_INIT;
		arg_int(&a, last);
		arg_int(&a, NAME_KEY_BATCH);
		if ((e = key_batch(s, S_NAMEKEY_FROM, &a, &last, &n)) != KN_OK)
			goto out;
		if (made)
			*made += (long long)n;
	} while (n == NAME_KEY_BATCH);
	{
		struct sargs a = SARGS_INIT;
		arg_text(&a, want.s);
		if ((e = store_begin(s)) != KN_OK)
			goto out;
		e = q_exec(s, S_NAMEKEY_VERSION_SET, &a, NULL);
		s->wrote = 0;
		if (e == KN_OK)
			e = store_commit(s);
		else
			store_rollback(s);
	}
out:
	free(have);
	buf_release(&want);
	return e;
}

static void person_row(const struct srows *r, void *item)
{
	row_person(r, 0, item);
}

static enum kn_err person_list(struct store *s, enum stmt_id id, const struct sargs *a,
			       struct person **out, size_t *n)
{
	enum kn_err e = q_all(s, id, a, (void **)out, n, sizeof(**out), person_row);
	Q_ALL_OR_NONE(e, out, n, store_people_free);
	return e;
}

enum kn_err store_person_find(struct store *s, const char *folded, struct person **out,
			      size_t *n)
{
	struct buf pat = BUF_INIT;
	struct sargs a = SARGS_INIT;
	enum kn_err e;
	/* LIKE metacharacters in the search text match themselves. */
	store_like_escape(folded, &pat);
	arg_text(&a, pat.s);
	e = person_list(s, S_PERSON_FIND, &a, out, n);
	buf_release(&pat);
	return e;
}

enum kn_err store_person_all(struct store *s, struct person **out, size_t *n)
{
	return person_list(s, S_PERSON_ALL, NULL, out, n);
}

/* An upsert by key: get, run with the first nkey arguments of a, reads
 * the record stored, which same() compares with the new one x; put
 * writes all of a unless it is the same. */
static enum kn_err upsert(struct store *s, enum stmt_id get, enum stmt_id put,
			  const struct sargs *a, int nkey,
			  int (*same)(const struct srows *r, const void *x), const void *x,
			  int *changed)
{
	struct sargs key = *a;	/* dates' texts still point into a */
	struct srows r;
	enum kn_err e;
	int is_same = 0;

	key.n = nkey;
	if ((e = q_first(s, get, &key, &r)) == KN_OK) {
		is_same = same(&r, x);
		e = q_close(&r);
	}
	return put_write(s, e, is_same, put, put, a, changed);
}

/* ---- quotas ---- */

static int quota_same(const struct srows *r, const void *x)
{
	const struct quota *qt = x;
	return row_int(r, 0) == qt->target;
}

enum kn_err store_quota_put(struct store *s, const struct quota *qt, int *changed)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, qt->unit);
	arg_int(&a, qt->year);
	arg_text(&a, qt->category);
	arg_int(&a, qt->target);
	return upsert(s, S_QUOTA_GET, S_QUOTA_PUT, &a, 3, quota_same, qt, changed);
}

enum kn_err store_quota_add(struct store *s, const struct quota *qt)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, qt->unit);
	arg_int(&a, qt->year);
	arg_text(&a, qt->category);
	arg_int(&a, qt->target);
	return q_exec(s, S_QUOTA_ADD, &a, NULL);
}

static void quota_row(const struct srows *r, void *item)
{
	struct quota *qt = item;
	qt->unit = row_dup(r, 0);
	qt->year = (int)row_int(r, 1);
	qt->category = row_dup(r, 2);
	qt->target = row_int(r, 3);
}

enum kn_err store_quota_all(struct store *s, struct quota **out, size_t *n)
{
	enum kn_err e = q_all(s, S_QUOTA_ALL, NULL, (void **)out, n, sizeof(**out), quota_row);
	Q_ALL_OR_NONE(e, out, n, store_quotas_free);
	return e;
}

enum kn_err store_quota_subtree(struct store *s, const char *top, int year, struct quota **out,
				size_t *n)
{
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct sargs a = SARGS_INIT;
	enum kn_err e;

	*out = NULL;
	*n = 0;
	if ((e = store_unit_range(s, top, &lo, &hi)) == KN_OK) {
		arg_text(&a, lo.s);
		arg_text(&a, hi.s);
		arg_int(&a, year);
		e = q_all(s, S_QUOTA_SUB, &a, (void **)out, n, sizeof(**out), quota_row);
		Q_ALL_OR_NONE(e, out, n, store_quotas_free);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

enum kn_err store_quota_year_each(struct store *s, const char *top, int year, store_quota_fn fn,
				  void *arg)
{
	struct buf lo = BUF_INIT, hi = BUF_INIT;
	struct sargs a = SARGS_INIT;
	struct srows r;
	enum kn_err e = KN_OK;

	if (top && (e = store_unit_range(s, top, &lo, &hi)) == KN_OK) {
		arg_text(&a, lo.s);
		arg_text(&a, hi.s);
	}
	arg_int(&a, year);
	if (e == KN_OK && (e = q_open(s, top ? S_QUOTA_YEAR : S_QUOTA_YEAR_ALL, &a, &r)) == KN_OK) {
		while (q_next(&r) > 0)
			if (fn(arg, row_int(&r, 0), row_str(&r, 1), row_int(&r, 2)))
				break;
		e = q_close(&r);
	}
	buf_release(&lo);
	buf_release(&hi);
	return e;
}

/* ---- holidays ---- */

static int holiday_same(const struct srows *r, const void *x)
{
	const struct holiday *h = x;
	return row_int(r, 0) == !!h->workday && store_streq(row_str(r, 1), h->name);
}

enum kn_err store_holiday_put(struct store *s, const struct holiday *h, int *changed)
{
	struct sargs a = SARGS_INIT;
	arg_date(&a, h->date);
	arg_int(&a, !!h->workday);
	arg_text(&a, h->name);
	return upsert(s, S_HOLIDAY_GET, S_HOLIDAY_PUT, &a, 1, holiday_same, h, changed);
}

static void holiday_row(const struct srows *r, void *item)
{
	struct holiday *h = item;
	h->date = row_date(r, 0);
	h->workday = (int)row_int(r, 1);
	h->name = row_dup(r, 2);
}

enum kn_err store_holiday_all(struct store *s, struct holiday **out, size_t *n)
{
	enum kn_err e = q_all(s, S_HOLIDAY_ALL, NULL, (void **)out, n, sizeof(**out),
			      holiday_row);
	Q_ALL_OR_NONE(e, out, n, holidays_free);
	return e;
}

/* ---- policy ---- */

enum kn_err store_policy_put(struct store *s, const struct policy_row *p)
{
	struct sargs a = SARGS_INIT;
	arg_text(&a, p->key);
	if (p->from == KN_DATE_NONE)
		arg_text(&a, "");	/* from_date is NOT NULL: '' for since always */
	else
		arg_date(&a, p->from);
	arg_text(&a, p->value);
	return q_exec(s, S_POLICY_PUT, &a, NULL);
}

static void policy_row(const struct srows *r, void *item)
{
	struct policy_row *p = item;
	p->key = row_dup(r, 0);
	p->from = row_date(r, 1);	/* '': since always */
	p->value = row_dup(r, 2);
}

enum kn_err store_policy_all(struct store *s, struct policy_row **out, size_t *n)
{
	enum kn_err e = q_all(s, S_POLICY_ALL, NULL, (void **)out, n, sizeof(**out),
			      policy_row);
	Q_ALL_OR_NONE(e, out, n, store_policy_free);
	return e;
}
