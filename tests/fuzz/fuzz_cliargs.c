/*
 * fuzz_cliargs.c — libFuzzer target over the command line's value parsers,
 * through the parser `ketnap step` and `ketnap check` really run
 * (parse_step_opts in cmd_step.c, with getopt_long): the input, split at
 * NUL bytes, is the argument vector after "step" — dates (--date, the
 * SINCE of --introducer REF:SINCE), vote counts (--for N --of N), texts
 * (NFC, UTF-8 checked) and anything else getopt may meet.
 *
 * Besides "never crash": a parse without bad values leaves only what the
 * options allow — votes from 0 to 100000 (or none), real days, non-empty
 * introducer refs with their dates, texts in NFC — and a refusal is
 * counted (the count is what `step` exits on). The messages the parser
 * prints go to /dev/null while it runs (sanitizer reports still reach the
 * terminal: they write to the file descriptor, not to stderr's FILE).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/step_opts.h"
#include "util/date.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXARGS 24

static FILE *devnull;

static void check_text(const char *s)
{
	struct buf b = BUF_INIT;
	if (!s)
		return;
	if (text_nfc(s, &b) != 0 || strcmp(b.s, s) != 0)
		abort();
	buf_release(&b);
}

static void check_date(kn_date d)
{
	int y, m, day;
	char iso[11];
	kn_date again;
	if (d == KN_DATE_NONE)
		return;
	date_to_ymd(d, &y, &m, &day);
	date_format_iso(d, iso);
	if (!date_valid_ymd(y, m, day) || date_parse(iso, &again) != 0 || again != d)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = xmalloc(size + 1), *argv[MAXARGS + 2];
	int argc = 0, rc;
	struct step st;
	size_t i = 0;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = "step";
	while (i <= size && argc < MAXARGS + 1) {
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;

	step_init(&st);
	FILE *err = stderr;
	stderr = devnull;
	optind = 0;	/* GNU getopt: start over, state included */
	rc = parse_step_opts(argc, argv, &st);
	stderr = err;

	if (rc < -1)
		abort();
	if (rc == 0) {
		if (st.votes_for < -1 || st.votes_for > 100000 || st.votes_total < -1 ||
		    st.votes_total > 100000)
			abort();
		check_date(st.date);
		if ((st.intro1 && (!*st.intro1 || st.intro1_since == KN_DATE_NONE)) ||
		    (st.intro2 && (!*st.intro2 || st.intro2_since == KN_DATE_NONE)) ||
		    (st.intro2 && !st.intro1))
			abort();
		check_date(st.intro1_since);
		check_date(st.intro2_since);
		check_text(st.doc_no);
		check_text(st.org);
		check_text(st.member);
		check_text(st.consent);
		check_text(st.override);
		check_text(st.note);
	}
	/* optind stays within the arguments, for the positional ones. */
	if (rc >= 0 && (optind < 1 || optind > argc))
		abort();
	step_release(&st);
	free(copy);
	return 0;
}
