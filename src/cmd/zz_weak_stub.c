/* TEMPORARY: a weak placeholder until cmd_demo.c lands. */
#include <stdio.h>
#include "cmd/cmd.h"
#include "util/banned.h"
static int nope(int argc, char **argv, struct cmd_ctx *ctx) { fprintf(stderr, "not yet\n"); return 3; }
__attribute__((weak)) const struct command cmd_demo = { "demo", "demo", nope };
