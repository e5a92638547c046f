/*
 * cmd_dups.h — `ketnap person duplicates` and `ketnap person merge`
 * (RULES.md §10), run by cmd_person.c's dispatch.
 */
#ifndef KN_CMD_DUPS_H
#define KN_CMD_DUPS_H

#include "cmd/cmd.h"

/* argv[0] is the subcommand ("duplicates", "merge"). Exit statuses as
 * every command's. */
int cmd_person_duplicates(int argc, char **argv, struct cmd_ctx *ctx);
int cmd_person_merge(int argc, char **argv, struct cmd_ctx *ctx);

/* When ref was merged away into a person the actor may see, print "REF
 * was merged into KEEP; use KEEP" as the command's error and return 1;
 * else 0 (the caller says its own not-found). */
int cmd_merged_error(struct cmd_ctx *ctx, const char *ref);

/* `person show`: the person's possible duplicates in the actor's scope,
 * one line each after a heading; nothing when there are none (or the
 * store fails: the rest of the page stands). */
struct person;
void cmd_show_dups(struct cmd_ctx *ctx, const struct person *p);

#endif
