/*
 * cmd_unit.c — `ketnap unit tree [CODE] [--depth N]`: the unit tree,
 * indented, each unit with its name, kind and flags. It starts at the
 * actor's own unit (cmd/ctx.c; every root on a database without
 * accounts) and a CODE outside the actor's subtree is not found.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/label.h"
#include "core/unitree.h"
#include "store/store.h"
#include "util/i18n.h"
#include "util/text.h"
#include "util/banned.h"

static void print_node(const struct unode *n, int level, int depth)
{
	struct buf code = BUF_INIT, name = BUF_INIT;
	/* The kind, sector and flags in words (label.h); CSV keeps codes. */
	printf("%*s%s  %s  [%s", level * 2, "", cmd_safe(&code, n->u.code),
	       cmd_safe(&name, n->u.name), label_unit_kind(n->u.kind));
	if (n->u.sector)
		printf("; %s", cmd_safe(&name, label_sector(n->u.sector)));
	buf_release(&code);
	buf_release(&name);
	if (n->u.may_admit)
		printf("; %s", _("decides admissions"));
	if (n->u.special_area)
		printf("; %s", _("special area"));
	printf("]\n");
	if (level >= depth)
		return;
	for (size_t i = 0; i < n->nchildren; i++)
		print_node(n->children[i], level + 1, depth);
}

static int run(int argc, char **argv, struct cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "depth", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	int depth = INT_MAX, c;
	struct store *s;
	struct unitree *t;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'd':
			depth = (int)strtol(optarg, &end, 10);
			if (*end || depth < 0) {
				cmd_error(_("--depth must be a whole number >= 0, not '%s'"), optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return cmd_usage(&cmd_unit);
		}
	}
	if (optind >= argc || strcmp(argv[optind], "tree") != 0 || argc - optind > 2)
		return cmd_usage(&cmd_unit);
	if (!(s = ctx_store(ctx, 0)))
		return ctx->open_status;
	if (!(t = ctx_tree(ctx)))
		return EXIT_IO;
	const char *code = argc - optind == 2 ? argv[optind + 1] : ctx_scope(ctx);
	if (code) {
		const struct unode *top = unitree_find(t, code);
		if (!top || !ctx_may_see(ctx, code)) {
			struct buf safe = BUF_INIT;
			cmd_error(_("no unit with code %s; `ketnap unit tree` lists them"),
				  cmd_safe(&safe, code));
			buf_release(&safe);
			return EXIT_REFUSED;
		}
		print_node(top, 0, depth);
	} else {
		if (t->nroots == 0)
			printf("%s\n", _("no units yet; load them with `ketnap import units FILE`"));
		for (size_t i = 0; i < t->nroots; i++)
			print_node(t->roots[i], 0, depth);
	}
	return EXIT_DONE;
}

static const struct cmd_option unit_options[] = {
	{ "depth", 0, "N", N_("how many levels below the unit to show") },
	{ NULL, 0, NULL, NULL },
};

const struct command cmd_unit = {
	"unit", "unit tree [CODE] [--depth N]", run, unit_options,
	N_("show the unit tree"),
};
