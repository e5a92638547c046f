/*
 * ketnap.c — main(): the global options of CLI.md, the command table, and
 * dispatch. Everything else lives in src/cmd/ (one file per command) over
 * the library in core/, store/, io/ and util/.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/i18n.h"
#include "util/banned.h"

static const struct command *const commands[] = {
	&cmd_init, &cmd_import, &cmd_export, &cmd_unit, &cmd_person, &cmd_step,
	&cmd_check, &cmd_calendar, &cmd_report, &cmd_quota, &cmd_demo, &cmd_user, &cmd_serve, &cmd_backup, &cmd_migrate,
	&cmd_verify,
};

static void usage(FILE *f)
{
	fprintf(f, "%s\n", _("usage: ketnap [--db URL] [--lang vi|en] [--user NAME] COMMAND [ARGS]"));
	fprintf(f, "\n%s\n", _("commands:"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %s\n", commands[i]->usage);
	fprintf(f, "\n%s\n", _("Exit status: 0 done; 1 refused; 2 usage error; 3 storage or I/O failure."));
}

static const char *os_user(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "local";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_ctx ctx = { 0 };
	const char *lang = NULL;
	int c, status;

	/* Language first, so that option errors are translated too. */
	for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			lang = argv[i] + 7;
		else if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--user") == 0) &&
			 i + 1 < argc)
			i++;	/* skip the option's value */
	}
	if (i18n_init(lang) != 0) {
		i18n_init(NULL);
		fprintf(stderr, "ketnap: %s\n", _("--lang must be vi or en"));
		return EXIT_USAGE;
	}

	ctx.db_url = getenv("KETNAP_DB");
	ctx.user = getenv("KETNAP_USER");
	ctx.user_from = "$KETNAP_USER";
	/* '+': stop at the command name; the command parses the rest. */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': ctx.db_url = optarg; break;
		case 'l': break;
		case 'u': ctx.user = optarg; ctx.user_from = "--user"; break;
		case 'h': usage(stdout); return EXIT_DONE;
		case 'V': printf("ketnap %s\n", KN_VERSION); return EXIT_DONE;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (!ctx.db_url || !*ctx.db_url)
		ctx.db_url = "ketnap.db";
	if (!ctx.user || !*ctx.user) {
		/* The operating-system user name is looked up as an account
		 * name (CLI.md: "which an admin may map to an account"). */
		ctx.user = os_user();
		ctx.user_from = _("the operating-system user");
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		if (strcmp(argv[optind], commands[i]->name) != 0)
			continue;
		int cargc = argc - optind;
		char **cargv = argv + optind;
		optind = 0;	/* restart getopt for the command */
		status = commands[i]->run(cargc, cargv, &ctx);
		ctx_release(&ctx);
		return status;
	}
	fprintf(stderr, "ketnap: ");
	fprintf(stderr, _("unknown command '%s'"), argv[optind]);
	fprintf(stderr, "\n");
	usage(stderr);
	return EXIT_USAGE;
}
