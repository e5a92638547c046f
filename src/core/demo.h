/*
 * demo.h — a realistic synthetic city for exploring and benchmarking.
 *
 * demo_generate() fills an initialised, empty database with the party
 * organisation of a city modelled on Cần Thơ (the seed report): the city
 * root, its districts and blocs, wards, communes with their hamlet cells,
 * agencies, schools, state and non-state enterprises, the armed forces;
 * full members in every considering cell; candidacies at every stage over
 * 2021–2025 with a few withdrawn, rejected and struck off; and yearly
 * quotas for 2022–2025, most met and some not, with structure targets
 * (workers, non-state enterprises, hamlets, ethnic minorities) that fall
 * short as the report says they did.
 *
 * Every step goes through ledger_step(), so every rule is obeyed: the
 * exported steps re-import into an empty database without a refusal.
 *
 * The demo is seen from a fixed date, demo_today() (2025-12-20): no step
 * is dated after it, and some deadlines are overdue or due on it. While
 * demo_generate() runs, l->today is that date (it is restored before
 * returning), so the result does not depend on the real date. Pass that
 * date as --as-of to see the deadlines as the demo meant them.
 *
 * Deterministic: the same size and seed give the same database, byte for
 * byte in every export (a private splitmix64 generator; no clock).
 */
#ifndef KN_DEMO_H
#define KN_DEMO_H

#include <stddef.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

struct store;
struct ledger;

/* The date the demo city is seen from: 2025-12-20. */
kn_date demo_today(void);

/* What demo_generate() wrote. */
struct demo_stats {
	size_t units, people, candidacies, steps;
};

/* 1 if size names a demo size demo_generate() knows. */
int demo_size_known(const char *size);

/*
 * Generate the demo into s, recording steps through l (opened on s; its
 * unit tree is reloaded here; l->bulk is set while it runs, the demo
 * auditing itself in one entry). size: "small" (a district and a bloc,
 * about 30 units and 60 candidacies), "city" (about 650 units and 12,000
 * candidacies), "province" (one big province: about 14,000 units and
 * 300,000 people) or "national" (63 provinces: about 330,000 units, 6.5
 * million people, 8 million steps; generated a province at a time, so
 * memory does not grow with the nation). progress, when not NULL, is
 * called with a phase name and done/total counts; stats, when not NULL,
 * gets the counts written. Everything is one transaction.
 *  - KN_EINVAL: unknown size, or the database already has units (message
 *    in err, nothing written);
 *  - KN_ERULE and others: a step was refused or the store failed (a bug
 *    in the generator or the store; message in err, everything rolled
 *    back).
 */
enum kn_err demo_generate(struct store *s, struct ledger *l, const char *size,
			  unsigned long seed, void (*progress)(const char *, size_t, size_t),
			  struct demo_stats *stats, struct buf *err);

#endif
