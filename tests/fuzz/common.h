/*
 * common.h — what the fuzz targets that need a database share (common.c):
 * a migrated SQLite database holding the example city of the examples directory
 * (units, people, quotas, holidays and the steps of its candidacies),
 * imported once per process with "today" pinned, so that every input of
 * a target runs against the same, realistic data.
 *
 * A target wraps each input in store_begin()/store_rollback() on the
 * connection that does the work, so that what one input writes is gone
 * before the next one runs.
 */
#ifndef KN_FUZZ_COMMON_H
#define KN_FUZZ_COMMON_H

#include <stddef.h>

#include "core/calendar.h"
#include "store/store.h"
#include "util/buf.h"

/* The day every fuzz target runs on ($KETNAP_TODAY). */
#define FUZZ_TODAY "2025-12-20"

/* Read a whole file into out; aborts when it cannot. */
void fuzz_read_file(const char *path, struct buf *out);

/* Open url (":memory:" or a file path, created), migrate it, write the
 * default policy and import the example city. Aborts on any failure: a
 * target without its data would fuzz nothing. */
struct store *fuzz_city_open(const char *url);

/* The working-day calendar with the database's holidays. */
struct calendar *fuzz_calendar(struct store *s);

#endif
