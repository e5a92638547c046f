/*
 * t.h — the few macros the unit test programs share.
 *
 * Each tests/unit/test_NAME.c is a plain program run by ctest: it calls
 * CHECK/CHECK_EQ/CHECK_STR for each expectation, prints every failure with
 * its file and line, and returns T_DONE() (0 when all passed). Expected
 * values are written by hand in the tests, never computed by the code
 * under test. The counters are defined once, in t.c (linked into every
 * test program), so that the checks made by the shared set-up of
 * fixture.c count with the test's own.
 */
#ifndef KN_T_H
#define KN_T_H

#include <stdio.h>
#include <string.h>

extern int t_fail, t_count;

#define CHECK(cond) do { t_count++; if (!(cond)) { t_fail++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)

#define CHECK_EQ(a, b) do { long long t_a = (long long)(a), t_b = (long long)(b); t_count++; \
	if (t_a != t_b) { t_fail++; fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", \
	__FILE__, __LINE__, #a, t_a, #b, t_b); } } while (0)

#define CHECK_STR(a, b) do { const char *t_a = (a), *t_b = (b); t_count++; \
	if (!t_a || !t_b || strcmp(t_a, t_b) != 0) { t_fail++; \
	fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
	#a, t_a ? t_a : "(null)", t_b ? t_b : "(null)"); } } while (0)

#define T_DONE() (printf("%d checks, %d failed\n", t_count, t_fail), t_fail ? 1 : 0)

#endif
