/*
 * query.c — running the statement table's statements through the
 * backend's driver, and reading their rows into the model's records
 * (store_impl.h). Written once for both backends: the driver hands every
 * column over as text (NULL for SQL NULL), and the readers here parse it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_impl.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* ---- arguments ---- */

static struct sarg *arg_next(struct sargs *a)
{
	if (a->n >= STORE_MAX_ARGS)
		abort();	/* a statement with more parameters than the table allows */
	struct sarg *v = &a->v[a->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

void arg_text(struct sargs *a, const char *t)
{
	struct sarg *v = arg_next(a);
	if (t) {
		v->kind = 't';
		v->t = t;
	}
}

void arg_int(struct sargs *a, int64_t x)
{
	struct sarg *v = arg_next(a);
	v->kind = 'i';
	v->i = x;
}

void arg_date(struct sargs *a, kn_date d)
{
	int at = a->n;
	struct sarg *v = arg_next(a);
	if (d == KN_DATE_NONE)
		return;
	date_format_iso(d, a->iso[at]);
	v->kind = 't';
	v->t = a->iso[at];
}

void arg_count(struct sargs *a, int x)
{
	if (x < 0)
		arg_null(a);
	else
		arg_int(a, x);
}

void arg_null(struct sargs *a)
{
	arg_next(a);
}

/* ---- running ---- */

/* INSERT, UPDATE or DELETE: every other statement of the table reads. */
static int stmt_writes(enum stmt_id id)
{
	const char *q = store_stmts[id].sql;
	return strncmp(q, "INSERT", 6) == 0 || strncmp(q, "UPDATE", 6) == 0 ||
	       strncmp(q, "DELETE", 6) == 0;
}

enum kn_err q_open(struct store *s, enum stmt_id id, const struct sargs *a, struct srows *r)
{
	static const struct sargs none = SARGS_INIT;
	if (s->depth > 0 && stmt_writes(id))
		s->wrote = 1;	/* store_commit() bumps the change counter */
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->id = id;
	r->ncols = (int)strlen(store_stmts[id].cols);
	return s->ops->q_open(s, id, a ? a : &none, r);
}

int q_next(struct srows *r)
{
	return r->s->ops->q_next(r);
}

enum kn_err q_close(struct srows *r)
{
	r->s->ops->q_close(r);
	return r->err;
}

enum kn_err q_exec(struct store *s, enum stmt_id id, const struct sargs *a, long long *changes)
{
	struct srows r;
	enum kn_err e = q_open(s, id, a, &r);
	int rc;
	if (e != KN_OK)
		return e;
	while ((rc = q_next(&r)) > 0)
		;
	if (changes)
		*changes = r.changes;
	return q_close(&r);
}

enum kn_err q_first(struct store *s, enum stmt_id id, const struct sargs *a, struct srows *r)
{
	enum kn_err e = q_open(s, id, a, r);
	int rc;
	if (e != KN_OK)
		return e;
	rc = q_next(r);
	if (rc > 0)
		return KN_OK;
	e = q_close(r);
	return rc == 0 ? KN_ENOTFOUND : e;
}

enum kn_err q_describe(struct store *s, enum stmt_id id, int *nparams, int *ncols)
{
	return s->ops->q_describe(s, id, nparams, ncols);
}

enum kn_err q_all(struct store *s, enum stmt_id id, const struct sargs *a, void **out,
		  size_t *n, size_t size, void (*fn)(const struct srows *r, void *item))
{
	struct srows r;
	size_t cap = 0;
	enum kn_err e;
	int rc;

	*out = NULL;
	*n = 0;
	if ((e = q_open(s, id, a, &r)) != KN_OK)
		return e;
	while ((rc = q_next(&r)) > 0) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xreallocarray(*out, cap, size);
		}
		void *item = (char *)*out + *n * size;
		memset(item, 0, size);
		fn(&r, item);
		(*n)++;
	}
	return q_close(&r);
}

/* ---- columns ---- */

const char *row_str(const struct srows *r, int i)
{
	return i < r->ncols ? r->col[i] : NULL;
}

char *row_dup(const struct srows *r, int i)
{
	const char *t = row_str(r, i);
	return t ? xstrdup(t) : NULL;
}

int64_t row_int(const struct srows *r, int i)
{
	const char *t = row_str(r, i);
	return t ? strtoll(t, NULL, 10) : 0;
}

int row_count(const struct srows *r, int i)
{
	const char *t = row_str(r, i);
	return t ? (int)strtol(t, NULL, 10) : -1;
}

kn_date row_date(const struct srows *r, int i)
{
	const char *t = row_str(r, i);
	kn_date d;
	if (!t || !*t || date_parse(t, &d) != 0)
		return KN_DATE_NONE;
	return d;
}

char row_sex(const struct srows *r, int i)
{
	const char *t = row_str(r, i);
	return t && *t ? t[0] : 'M';
}

/* ---- records ---- */

void row_unit(const struct srows *r, int at, struct unit *u)
{
	memset(u, 0, sizeof(*u));
	u->id = row_int(r, at + 0);
	u->code = row_dup(r, at + 1);
	u->parent = row_dup(r, at + 2);
	u->name = row_dup(r, at + 3);
	unit_kind_parse(row_str(r, at + 4), &u->kind);
	u->may_admit = (int)row_int(r, at + 5);
	u->sector = row_dup(r, at + 6);
	u->special_area = (int)row_int(r, at + 7);
}

void row_person(const struct srows *r, int at, struct person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = row_int(r, at + 0);
	p->ref = row_dup(r, at + 1);
	p->full_name = row_dup(r, at + 2);
	p->sex = row_sex(r, at + 3);
	p->birth_date = row_date(r, at + 4);
	p->unit = row_dup(r, at + 5);
	p->ethnicity = row_dup(r, at + 6);
	p->religion = row_dup(r, at + 7);
	p->education = row_dup(r, at + 8);
	p->qualification = row_dup(r, at + 9);
	p->occupation = row_dup(r, at + 10);
	p->youth_union = (int)row_int(r, at + 11);
	p->trade_union = (int)row_int(r, at + 12);
	p->member_since = row_date(r, at + 13);
	p->official_since = row_date(r, at + 14);
	p->phone = row_dup(r, at + 15);
	p->note = row_dup(r, at + 16);
	p->left_on = row_date(r, at + 17);
	p->left_reason = row_dup(r, at + 18);
	p->record_cleared_on = row_date(r, at + 19);
	p->readmitted = (int)row_int(r, at + 20);
}

void row_step(const struct srows *r, int at, struct step *x)
{
	step_init(x);
	x->id = row_int(r, at + 0);
	x->code = step_from_name(row_str(r, at + 1));
	x->date = row_date(r, at + 2);
	x->doc_no = row_dup(r, at + 3);
	x->org = row_dup(r, at + 4);
	x->member = row_dup(r, at + 5);
	x->intro1 = row_dup(r, at + 6);
	x->intro1_since = row_date(r, at + 7);
	x->intro2 = row_dup(r, at + 8);
	x->intro2_since = row_date(r, at + 9);
	x->votes_for = row_count(r, at + 10);
	x->votes_total = row_count(r, at + 11);
	x->consent = row_dup(r, at + 12);
	x->override = row_dup(r, at + 13);
	x->override_by = row_dup(r, at + 14);
	x->note = row_dup(r, at + 15);
	x->recorded_by = row_dup(r, at + 16);
	x->recorded_at = row_dup(r, at + 17);
}

void row_user(const struct srows *r, int at, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = row_int(r, at + 0);
	u->name = row_dup(r, at + 1);
	u->unit = row_dup(r, at + 2);
	u->role = row_dup(r, at + 3);
	u->pw_hash = row_dup(r, at + 4);
	u->disabled = (int)row_int(r, at + 5);
	u->created_at = row_dup(r, at + 6);
}

void row_audit(const struct srows *r, int at, struct audit_entry *a)
{
	a->id = row_int(r, at + 0);
	a->at = (char *)row_str(r, at + 1);
	a->actor = (char *)row_str(r, at + 2);
	a->action = (char *)row_str(r, at + 3);
	a->entity = (char *)row_str(r, at + 4);
	a->key = (char *)row_str(r, at + 5);
	a->before = (char *)row_str(r, at + 6);
	a->after = (char *)row_str(r, at + 7);
}

/* ---- small helpers ---- */

int store_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void store_time_iso(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store_now_iso(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	store_time_iso(ts.tv_sec, out);
}

void store_like_escape(const char *folded, struct buf *out)
{
	for (const char *p = folded; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addc(out, '\\');
		buf_addc(out, *p);
	}
}

enum kn_err store_fail(struct store *s, enum kn_err e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	return e;
}
