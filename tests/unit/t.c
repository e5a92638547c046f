/*
 * t.c — the check counters of t.h, one pair for the whole test program,
 * so that the checks of tests/unit/fixture.c count with the test's own.
 */
#include "t.h"
#include "util/banned.h"

int t_fail, t_count;
