/*
 * verify.h — `ketnap verify`: does the database still hold what ketnap
 * wrote? It checks the invariants that every write keeps (RULES.md §1–2)
 * and walks the audit log's hash chain (store.h, "verify"), so that a
 * change made behind the program's back — with the sqlite3 shell, psql,
 * a restored half-backup — is found and named.
 *
 * Invariants: every unit's parent exists and the unit tree has no cycle;
 * every candidacy has its person, its unit and steps, its stored stage and
 * open flag are the ones its steps give (ledger_stage), its steps keep the
 * order of RULES.md §2 (the KN-ORDER rule itself, run on each step against
 * the steps before it; a step recorded with an override is not judged);
 * a person has at most one open candidacy; a person's recorded
 * member_since and official_since agree with the steps when both are known.
 *
 * The candidacies are streamed from the store one at a time, and the audit
 * log row by row: memory does not grow with the database.
 */
#ifndef KN_VERIFY_H
#define KN_VERIFY_H

#include "core/calendar.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

struct verify_counts {
	long long units, candidacies, steps;
	long long audit;		/* entries walked */
	char head[STORE_HASH_HEX];	/* the last entry's stored hash (genesis: none) */
	long long findings;
};

/* One finding: a line naming the record (person ref and candidacy id,
 * unit code, audit entry id), what is wrong and what to do, translated.
 * Valid during the call only. */
typedef void (*verify_finding_fn)(void *arg, const char *line);

/* Check everything, calling fn for each finding in the order found.
 * KN_OK when the checks ran (findings or not: see out->findings); else
 * the store's error, with the reason in err. */
enum kn_err verify_run(struct store *s, struct calendar *cal, verify_finding_fn fn, void *arg,
		       struct verify_counts *out, struct buf *err);

/* The line that anchors a printed report to the data it was made from:
 * "Audit log: 1,234 entries; chain head 3f9a…" (translated, the whole
 * hash). Appended to out; KN_OK, or the store's error. */
enum kn_err verify_anchor(struct store *s, struct buf *out);

#endif
