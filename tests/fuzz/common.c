/*
 * common.c — see common.h. The example city comes from the repository's
 * examples/ directory (KN_SRC_DIR, set by CMakeLists.txt), through the
 * real importer: the data every fuzz target starts from is the data a new
 * user starts from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "io/export.h"
#include "io/import.h"
#include "common.h"
#include "util/banned.h"

void fuzz_read_file(const char *path, struct buf *out)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		abort();
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	fclose(f);
}

struct calendar *fuzz_calendar(struct store *s)
{
	struct calendar *cal = calendar_new();
	struct holiday *h;
	size_t n;
	if (store_holiday_all(s, &h, &n) == KN_OK) {
		for (size_t i = 0; i < n; i++)
			calendar_override(cal, h[i].date, h[i].workday, h[i].name);
		holidays_free(h, n);
	}
	return cal;
}

struct store *fuzz_city_open(const char *url)
{
	static const enum io_kind order[] = { IO_UNITS, IO_PEOPLE, IO_QUOTAS, IO_HOLIDAYS,
					      IO_STEPS };
	struct cmd_ctx ctx = { 0 };
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int from, to;

	setenv("KETNAP_TODAY", FUZZ_TODAY, 1);
	if (store_open(url, 1, &s, &err) != KN_OK) {
		fprintf(stderr, "fuzz: %s\n", err.s);
		abort();
	}
	ctx.store = s;
	ctx.user = "fuzz";
	if (ctx_init_db(&ctx, &from, &to) != KN_OK) {
		fprintf(stderr, "fuzz: init: %s\n", store_errmsg(s));
		abort();
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++) {
		struct buf path = BUF_INIT, data = BUF_INIT;
		struct import_stats st;
		struct calendar *cal = fuzz_calendar(s);
		struct import_opts o = { .actor = "fuzz", .cal = cal };
		buf_addf(&path, "%s/examples/%s.csv", KN_SRC_DIR, io_kind_name(order[i]));
		fuzz_read_file(path.s, &data);
		if (import_csv(s, order[i], path.s, data.s, data.len, &o, &st, &err) != KN_OK) {
			fprintf(stderr, "fuzz: %s", err.s);
			abort();
		}
		calendar_free(cal);
		buf_release(&path);
		buf_release(&data);
	}
	buf_release(&err);
	return s;
}
