/*
 * fuzz_date.c — libFuzzer target over date_parse(). Parses a NUL-terminated
 * copy of the input; when it is accepted, the date must be a real day in the
 * accepted years, and formatting it (ISO and Vietnamese) and parsing that
 * again must give the same day number. A refusal must leave *out alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size);
	kn_date d = KN_DATE_NONE, again = KN_DATE_NONE;
	char iso[11], vn[11];
	int y, m, day;

	if (date_parse(s, &d) != 0) {
		if (d != KN_DATE_NONE)
			abort();
		free(s);
		return 0;
	}
	date_to_ymd(d, &y, &m, &day);
	if (!date_valid_ymd(y, m, day) || date_from_ymd(y, m, day) != d)
		abort();
	date_format_iso(d, iso);
	if (date_parse(iso, &again) != 0 || again != d)
		abort();
	date_format_vn(d, vn);
	again = KN_DATE_NONE;
	if (date_parse(vn, &again) != 0 || again != d)
		abort();
	free(s);
	return 0;
}
