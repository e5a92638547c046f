/*
 * step_opts.h — the options of `ketnap step` and `ketnap check` (--date,
 * --doc, --org, --member, --introducer REF:SINCE, --for N --of N,
 * --consent, --override, --note), parsed in cmd_step.c. Declared here so
 * that the fuzz target tests/fuzz/fuzz_cliargs.c runs the very parser the
 * command line runs.
 */
#ifndef KN_STEP_OPTS_H
#define KN_STEP_OPTS_H

#include "core/model.h"

/* Parse the step options of argv (getopt_long from optind; set optind to
 * 0 first to start over) into st, step_init'ed by the caller. Returns the
 * number of bad values (each already reported on stderr), or -1 for a
 * usage error (an unknown option, a missing value). */
int parse_step_opts(int argc, char **argv, struct step *st);

#endif
