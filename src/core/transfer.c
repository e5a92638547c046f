/*
 * transfer.c — see transfer.h. The unit a person belonged to on a date,
 * read off their transfers, and the rules of a transfer's `out`
 * (RULES.md §8). Pure: the caller (cmd_transfer.c, the importer, the
 * ledger) reads the transfers and the candidacy through the store.
 */
#include <stdlib.h>
#include <string.h>

#include "core/transfer.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "util/banned.h"

void transfer_init(struct transfer *t)
{
	memset(t, 0, sizeof(*t));
	t->out_date = t->in_date = KN_DATE_NONE;
}

void transfer_release(struct transfer *t)
{
	if (!t)
		return;
	free(t->person);
	free(t->from);
	free(t->to);
	free(t->doc_no);
	free(t->note);
	free(t->override);
	free(t->override_by);
	free(t->recorded_by);
	free(t->recorded_at);
	transfer_init(t);
}

void transfers_free(struct transfer *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		transfer_release(&t[i]);
	free(t);
}

/* Transfers follow one another (an `out` needs the previous `in`), so
 * the first one not accepted by d is where the person was on d: they
 * had left its sending unit neither for good nor yet. */
const char *transfer_unit_on(const struct transfer *t, size_t n, kn_date d,
			     const char *current)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].in_date == KN_DATE_NONE || t[i].in_date > d)
			return t[i].from;
	return current;
}

const struct transfer *transfer_pending(const struct transfer *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].in_date == KN_DATE_NONE)
			return &t[i];
	return NULL;
}

static const char *who(const struct transfer_facts *f)
{
	if (f->person && f->person->full_name && *f->person->full_name)
		return f->person->full_name;
	return f->person && f->person->ref ? f->person->ref : "?";
}

/* The latest step of code c of the candidacy dated on or before d. */
static const struct step *step_by(const struct candidacy *c, enum step_code code, kn_date d)
{
	const struct step *found = NULL;
	for (size_t i = 0; c && i < c->nsteps; i++)
		if (c->steps[i].code == code && c->steps[i].date <= d)
			found = &c->steps[i];
	return found;
}

static void add(struct violations *v, const char *code, struct buf *msg)
{
	violations_add(v, code, msg->s);
	buf_reset(msg);
}

size_t transfer_check(const struct transfer_facts *f, struct violations *v)
{
	struct buf msg = BUF_INIT;
	size_t before = v->n;
	char d1[11], d2[11];
	const struct transfer *pending = transfer_pending(f->prior, f->nprior);

	/* KN-TRANSFER-OPEN: one transfer at a time. */
	if (pending) {
		date_format_user(pending->out_date, d1);
		buf_addf(&msg, _("%s left %s for %s on %s and has not been accepted there yet; "
				 "record the arrival there (transfer REF --arrived) before a new "
				 "transfer."), who(f), pending->from, pending->to, d1);
		add(v, "KN-TRANSFER-OPEN", &msg);
	}
	/* KN-TRANSFER-OPEN: a dossier before a committee does not move, from
	 * the cell's vote until the admission decision (or the candidacy's
	 * end) on the letter's date. */
	if (f->open) {
		const struct step *vote = step_by(f->open, STEP_CELL_VOTE, f->date);
		int decided = step_by(f->open, STEP_DECISION, f->date) != NULL;
		for (enum step_code e = STEP_WITHDRAWN; e <= STEP_STRUCK_OFF; e++)
			decided |= step_by(f->open, e, f->date) != NULL;
		if (vote && !decided) {
			date_format_user(vote->date, d1);
			date_format_user(f->date, d2);
			buf_addf(&msg, _("the dossier of %s is before a committee on %s: the cell voted "
					 "on %s and the admission decision is not recorded; record the "
					 "decision first, or transfer after it."), who(f), d2, d1);
			add(v, "KN-TRANSFER-OPEN", &msg);
		}
	}
	/* KN-TRANSFER-DEST: a considering cell, and another one. */
	if (f->dest) {
		const struct unode *n = f->dest;
		if (!(n->u.kind == UNIT_CELL || unitree_is_basic_cell(n))) {
			buf_addf(&msg, _("%s (%s) is not a considering cell: a person is transferred "
					 "to a cell, or to a grassroots unit without cells; name one of "
					 "its cells."), n->u.code, n->u.name ? n->u.name : "");
			add(v, "KN-TRANSFER-DEST", &msg);
		}
		if (f->current && strcmp(f->current, n->u.code) == 0) {
			buf_addf(&msg, _("%s already belongs to %s; name the unit they move to."),
				 who(f), n->u.code);
			add(v, "KN-TRANSFER-DEST", &msg);
		}
	}
	buf_release(&msg);
	return v->n - before;
}

kn_date transfer_due(const struct transfer *t, int workdays, struct calendar *cal)
{
	return calendar_add_workdays(cal, t->out_date, workdays);
}

static void describe_text(struct buf *out, const char *key, const char *v)
{
	if (v)
		buf_addf(out, " %s=%s", key, v);
}

void transfer_describe(const struct transfer *t, struct buf *out)
{
	char d[11];
	date_format_iso(t->out_date, d);
	buf_addf(out, "out=%s", d);
	describe_text(out, "from", t->from);
	describe_text(out, "to", t->to);
	if (t->in_date != KN_DATE_NONE) {
		date_format_iso(t->in_date, d);
		buf_addf(out, " in=%s", d);
	}
	describe_text(out, "doc_no", t->doc_no);
	describe_text(out, "override", t->override);
	describe_text(out, "note", t->note);
}
