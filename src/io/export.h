/*
 * export.h — writing the lists of the database as the CSV files of
 * spec/FORMATS.md, and the CSV row of one record (which the importer also
 * uses as the before/after text of its audit entries).
 *
 * Output is deterministic so that export → import into an empty database →
 * export gives identical bytes: columns in the order FORMATS.md lists them,
 * ',' separator, LF line ends, no byte-order mark, dates YYYY-MM-DD,
 * booleans 1/0 (optional booleans always written), empty cells for no
 * value; a free-text cell that a spreadsheet would run as a formula
 * (leading '=', '+', '-', '@', tab or CR) gets a leading "'" (csv.h,
 * "Formula guard"), which the importer removes. Rows: units depth-first from the roots with children sorted by
 * code (parents precede children); people by ref; quotas by unit, year,
 * category; steps by person ref,
 * candidacy, date, pipeline order, recorded id (store_step_each()); holidays by date;
 * transfers by person ref, then date (store_transfer_each()).
 */
#ifndef KN_EXPORT_H
#define KN_EXPORT_H

#include "core/calendar.h"
#include "core/model.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/err.h"

/* The lists a CSV file can carry (issue 15: transfers). */
enum io_kind { IO_UNITS, IO_PEOPLE, IO_QUOTAS, IO_STEPS, IO_HOLIDAYS, IO_TRANSFERS, IO__COUNT };

/* "units" -> IO_UNITS; returns 0, or -1 for an unknown name. */
int io_kind_parse(const char *name, enum io_kind *out);
const char *io_kind_name(enum io_kind k);

/* The header of kind k: its column names in FORMATS.md order. */
const char *const *io_columns(enum io_kind k, size_t *n);
/* The free-text columns of kind k (names, notes, doc numbers, phone, org
 * text…), as bits (1u << index into io_columns()): the cells that carry
 * the formula guard of csv.h on export and lose it on import. */
unsigned io_text_columns(enum io_kind k);

/* Append the header line / one record's CSV line (with its "\n") to out. */
void export_header(struct buf *out, enum io_kind k);
void export_unit_row(struct buf *out, const struct unit *u);
void export_person_row(struct buf *out, const struct person *p);
void export_quota_row(struct buf *out, const struct quota *q);
void export_step_row(struct buf *out, const char *person_ref, const struct step *st);
void export_holiday_row(struct buf *out, const struct holiday *h);
/* issue 15: one transfer (core/transfer.h), its person ref in t->person. */
struct transfer;
void export_transfer_row(struct buf *out, const struct transfer *t);

/* Issue 13: the whole CSV file of kind k (header and rows), each line put
 * in k->buf and handed to report_sink_row(), then report_sink_flush(): the
 * rows are read one at a time and never all held. top: the subtree of the
 * unit of that code only (an account's export: its units from top down,
 * the people whose unit is in it with their steps and transfers, the
 * quotas of its units; holidays are everyone's), NULL: everything; the
 * rows are those of the whole export, in the same order. KN_OK; KN_EIO
 * with k->failed when the sink failed (its flush said why); else the
 * store's error (store_errmsg() says it: KN_ENOTFOUND for an unknown
 * top, KN_EIO for a storage failure). */
struct report_sink;
enum kn_err export_stream(struct store *s, enum io_kind kind, const char *top,
			  struct report_sink *k);

/* The same for everything, appended to out (tests, small databases). */
enum kn_err export_csv(struct store *s, enum io_kind k, struct buf *out);

#endif
