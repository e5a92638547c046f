/*
 * import.h — loading the CSV files of spec/FORMATS.md into the store.
 *
 * import_csv() reads one file's bytes as one of the five lists, checks
 * the header against the kind, then every row (columns by header name,
 * required values, dates, booleans, codes, references to units and people,
 * NFC text, the length limits of docs/formats.md) and writes the records
 * through the store API; steps go through ledger_step(), so the rules are
 * enforced exactly as on the command line. Every problem is reported, not
 * just the first, as lines "FILE:LINE: column: message" in line order.
 *
 * Audit: a file that added or updated anything is one audit entry
 * (action "import", entity "unit", key opts->actor_unit or "", its text
 * "kind=…; file=…; sha256=…; rows=…; added=…; updated=…; unchanged=…"),
 * and each updated record one more with its before and after; an added
 * record has none of its own (docs/formats.md).
 *
 * Transactions: import_csv() works inside one store transaction of its
 * own (nested in the caller's, if any: store_begin nests). When anything
 * is refused, or with opts->dry_run, it rolls back, so a refused or
 * dry-run import leaves the database as it was. Wrap several files in an
 * outer store_begin()/store_commit() to make them one all-or-nothing unit.
 */
#ifndef KN_IMPORT_H
#define KN_IMPORT_H

#include <stddef.h>

#include "core/calendar.h"
#include "io/export.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

struct import_opts {
	int dry_run;		/* validate and report, write nothing */
	const char *override;	/* --override: the reason for step rows without one */
	const char *actor;	/* user name for the audit log */
	struct calendar *cal;	/* working-day calendar (steps), borrowed */
	/* May the actor record a step that breaks a rule for a person
	 * considered by unit_code (RULES.md §3: an approver or admin of a
	 * unit above it)? Asked for every step row that carries an override,
	 * its own or opts->override. NULL: yes (a database without accounts). */
	int (*may_override)(void *arg, const char *unit_code);
	/* The acting user's unit: a person outside its subtree, named in any
	 * column of a steps file, is an unknown ref (ledger_person_get()).
	 * NULL: every person (a database without accounts). */
	const char *actor_unit;
	void *may_override_arg;
	/* Called as rows are written (may be NULL). */
	void (*progress)(const char *what, size_t done, size_t total);
	/* The data is a read-only private map of a file (cmd_import.c): the
	 * importer may give its pages back to the kernel once read
	 * (MADV_DONTNEED; they would be read from the file again), so that
	 * the file's size does not add to the peak memory. Never set it for
	 * heap memory, whose dropped pages would read as zeros. */
	int data_mapped;
	/* issue 15: identity — where the importer writes its warnings, lines
	 * "FILE:LINE: warning: message\n" that refuse nothing (a row that
	 * makes a possible duplicate, RULES.md §10); NULL: none kept. */
	struct buf *warnings;
};

struct import_stats {
	size_t rows;		/* data rows read */
	size_t added, updated, unchanged;
	size_t problems;	/* lines appended to err */
};

/*
 * Import data[0..len) as list k. `file` names the file in messages.
 * Returns KN_OK (written, or validated with dry_run); KN_EINVAL when a row
 * is refused (every problem in err, nothing written); KN_EIO for a storage
 * failure (message in err). The stats are filled in either case.
 */
enum kn_err import_csv(struct store *s, enum io_kind k, const char *file, const char *data,
		       size_t len, const struct import_opts *opts, struct import_stats *stats,
		       struct buf *err);

/*
 * Check only the header of data[0..len) as list k, as import_csv() does
 * before it reads any row: KN_EINVAL, with its problems appended to err
 * ("FILE:1: missing column "ref" (this looks like a units file: did you
 * mean import units?)"), when no row can be read as list k (an empty or
 * unreadable file, a required column missing, the header of another
 * kind); KN_OK otherwise (misspelt extra columns are left to import_csv(),
 * which reports them with the rows' problems). For the web front ends,
 * which look at the rows themselves before the importer runs.
 */
enum kn_err import_check_header(enum io_kind k, const char *file, const char *data, size_t len,
				struct buf *err);

/* Parse a CSV boolean: 1/0, yes/no, có/không (any case). Returns 0 and
 * sets *out, or -1. */
int import_parse_bool(const char *s, int *out);

/* Parse a sex: M/F, Nam/Nữ (any case). Returns 0 and sets *out to 'M' or
 * 'F', or -1. */
int import_parse_sex(const char *s, char *out);

/* 1 when s is a structure category code of RULES.md §6. */
int import_category_valid(const char *s);

#endif
