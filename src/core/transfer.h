/*
 * transfer.h — transfers between units (chuyển sinh hoạt đảng, RULES.md
 * §8): the record of a person's units over time, the unit a person
 * belonged to on a date, and the two rules of a transfer's `out`
 * (KN-TRANSFER-OPEN, KN-TRANSFER-DEST) as pure functions over facts the
 * caller gathered, like rules.h's.
 *
 * A transfer is the sending side's letter (`out`: out_date, from, to)
 * and the destination's acceptance (`in`: in_date, KN_DATE_NONE while
 * the person is in transit). Between the two the person still belongs
 * to the sending unit; from in_date on, to the destination. Strings are
 * heap copies owned by the struct (transfer_release).
 */
#ifndef KN_TRANSFER_H
#define KN_TRANSFER_H

#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/model.h"
#include "core/rules.h"
#include "core/unitree.h"

struct transfer {
	int64_t id;
	char *person;		/* person ref (store_transfer_each, the importer) */
	kn_date out_date;
	char *from;		/* unit codes */
	char *to;
	kn_date in_date;	/* KN_DATE_NONE: in transit */
	char *doc_no;
	char *note;
	char *override;		/* reason, when recorded despite a rule */
	char *override_by;
	char *recorded_by;
	char *recorded_at;
};

void transfer_init(struct transfer *t);
void transfer_release(struct transfer *t);
void transfers_free(struct transfer *t, size_t n);

/* The unit (code) the person belonged to on date d, from their transfers
 * t[0..n) in out_date order and their current unit: the sending unit of
 * the first transfer not yet accepted on d (in transit or arrived
 * later), else the current unit. Borrowed from t or current. */
const char *transfer_unit_on(const struct transfer *t, size_t n, kn_date d,
			     const char *current);

/* The transfer of t[0..n) still in transit (no in_date), or NULL. */
const struct transfer *transfer_pending(const struct transfer *t, size_t n);

/* What the rules of an `out` judge. */
struct transfer_facts {
	const struct person *person;
	const struct transfer *prior;	/* the person's transfers, out_date order */
	size_t nprior;
	const struct candidacy *open;	/* the open candidacy, or NULL */
	const struct unode *dest;	/* the destination (found) */
	const char *current;		/* the person's current unit code */
	kn_date date;			/* the letter's date */
};

/* Run KN-TRANSFER-OPEN and KN-TRANSFER-DEST, appending each broken one
 * (code and message, in the user's language) to v; returns how many. */
size_t transfer_check(const struct transfer_facts *f, struct violations *v);

/* DL-TRANSFER: the day the person must have presented the letter by
 * (`workdays` working days after the out date). */
kn_date transfer_due(const struct transfer *t, int workdays, struct calendar *cal);

/* "out=2024-03-01 from=A to=B in=… doc_no=… override=…": a transfer's
 * facts for the audit log. */
void transfer_describe(const struct transfer *t, struct buf *out);

#endif
