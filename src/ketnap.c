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
#include "util/xalloc.h"
#include "util/banned.h"

static const struct command *const commands[] = {
	&cmd_init, &cmd_import, &cmd_export, &cmd_unit, &cmd_person, &cmd_step,
	&cmd_check, &cmd_calendar, &cmd_report, &cmd_quota, &cmd_policy, &cmd_extend, &cmd_demo, &cmd_user, &cmd_serve, &cmd_backup, &cmd_migrate,
	&cmd_verify,
	&cmd_transfer,	/* issue 15 */
};

#define NCOMMANDS (sizeof(commands) / sizeof(*commands))

static void usage(FILE *f)
{
	fprintf(f, "%s\n", _("usage: ketnap [--db URL] [--lang vi|en] [--user NAME] COMMAND [ARGS]"));
	fprintf(f, "\n%s\n", _("commands:"));
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s\n", commands[i]->usage);
	fprintf(f, "  %s\n", "help [COMMAND]");
	fprintf(f, "\n%s\n", _("`ketnap help COMMAND` (or `ketnap COMMAND --help`) explains a command and its options."));
	fprintf(f, "%s\n", _("Exit status: 0 done; 1 refused; 2 usage error; 3 storage or I/O failure."));
}

/* `ketnap help [COMMAND]`, answered by main() itself; here only so that
 * global options after it are taken as after any command. */
static const struct command help_command = {
	"help", "help [COMMAND]", NULL, NULL, NULL,
};

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i];
	return NULL;
}

/* One line of help: "  --name ARG" padded to a column, then the text. */
static void help_line(const char *left, const char *text)
{
	if (strlen(left) < 30)
		printf("  %-30s %s\n", left, text);
	else
		printf("  %s\n  %-30s %s\n", left, "", text);
}

/* `ketnap help COMMAND`, `ketnap COMMAND --help`: what the command does,
 * its usage, and one line on each of its options (cmd.h's table). */
static void command_help(const struct command *c)
{
	char left[128];

	if (c->about)
		printf("ketnap %s — %s\n\n", c->name, _(c->about));
	printf("%s ketnap %s\n", _("usage:"), c->usage);
	printf("\n%s\n", _("options:"));
	for (const struct cmd_option *o = c->options; o && o->name; o++) {
		if (o->shortname)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->shortname, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		help_line(left, _(o->help));
	}
	help_line("-h, --help", _("show this help"));
	printf("\n%s\n", _("global options (before or after the command):"));
	help_line("--db URL", _("the database: a SQLite file or a postgresql:// URL "
				"(default: $KETNAP_DB, else ./ketnap.db)"));
	help_line("--lang vi|en", _("the language of messages and reports (default: from $LANG)"));
	help_line("--user NAME", _("the account to act as (default: $KETNAP_USER, else your login name)"));
	printf("\n%s\n", _("Exit status: 0 done; 1 refused; 2 usage error; 3 storage or I/O failure."));
}

/* The option of c named by the argument a ("--name", "--name=value" or
 * "-x"); NULL when c has none. */
static const struct cmd_option *command_option(const struct command *c, const char *a)
{
	if (!c->options || a[0] != '-')
		return NULL;
	for (const struct cmd_option *o = c->options; o->name; o++) {
		if (a[1] == '-') {
			size_t n = strlen(o->name);
			if (strncmp(a + 2, o->name, n) == 0 && (a[2 + n] == '\0' || a[2 + n] == '='))
				return o;
		} else if (o->shortname && a[1] == o->shortname) {
			return o;
		}
	}
	return NULL;
}

static int is_global(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, "--", 2) == 0 && strncmp(a + 2, name, n) == 0 &&
	       (a[2 + n] == '\0' || a[2 + n] == '=');
}

/* CLI.md: global options may follow the command. Rewrites argv so that
 * the --db, --lang and --user found among the arguments of the command
 * at argv[cmdi] (and not options of that command: its own option of the
 * same name wins) come before the command, where main() parses them;
 * later ones win, as on any getopt line. Arguments after "--", and the
 * values of the command's options, are left alone. Sets *help when the
 * arguments ask for --help or -h. Returns the new argv (allocated). */
static char **hoist_globals(int argc, char **argv, int cmdi, const struct command *c, int *help)
{
	static const char *const globals[] = { "db", "lang", "user" };
	char **front = xcalloc((size_t)argc + 1, sizeof(*front));
	char **back = xcalloc((size_t)argc + 1, sizeof(*back));
	char **out = xcalloc((size_t)argc + 1, sizeof(*out));
	int nf = 0, nb = 0, n = 0, i;

	for (i = cmdi + 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cmd_option *o;
		size_t g;

		if (strcmp(a, "--") == 0) {
			for (; i < argc; i++)
				back[nb++] = argv[i];
			break;
		}
		if ((o = command_option(c, a))) {
			back[nb++] = argv[i];
			/* Its value is the next argument unless given inline. */
			if (o->arg && !strchr(a, '=') && !(a[1] != '-' && a[2]) && i + 1 < argc)
				back[nb++] = argv[++i];
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*help = 1;
			continue;
		}
		for (g = 0; g < sizeof(globals) / sizeof(*globals); g++)
			if (is_global(a, globals[g]))
				break;
		if (g == sizeof(globals) / sizeof(*globals)) {
			back[nb++] = argv[i];
			continue;
		}
		front[nf++] = argv[i];
		if (!strchr(a, '=') && i + 1 < argc)
			front[nf++] = argv[++i];
	}
	for (i = 0; i < cmdi; i++)
		out[n++] = argv[i];
	for (i = 0; i < nf; i++)
		out[n++] = front[i];
	out[n++] = argv[cmdi];
	for (i = 0; i < nb; i++)
		out[n++] = back[i];
	out[n] = NULL;
	free(front);
	free(back);
	return out;
}

/* The index of the command name in argv: the first argument that is not
 * a global option or its value; argc when there is none. */
static int command_index(int argc, char **argv)
{
	int i;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--lang") == 0 ||
		     strcmp(argv[i], "--user") == 0) && i + 1 < argc)
			i++;	/* skip the option's value */
	}
	return i;
}

static const char *os_user(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "local";
}

/* The program, after main() has made room for the argv with the global
 * options moved before the command: *hoisted holds that argv, which
 * getopt and the command keep pointers into, for main() to free once
 * the command has returned. */
static int run_cli(int argc, char **argv, char ***hoisted)
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
	const struct command *cmd = NULL;
	int c, status, cmdi, help = 0;

	/* Global options after the command are moved before it (CLI.md). */
	cmdi = command_index(argc, argv);
	if (cmdi < argc && !(cmd = command_find(argv[cmdi])) && strcmp(argv[cmdi], "help") == 0)
		cmd = &help_command;
	if (cmd) {
		argv = *hoisted = hoist_globals(argc, argv, cmdi, cmd, &help);
		for (argc = 0; argv[argc]; argc++)
			;
	}

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
	if (strcmp(argv[optind], "help") == 0) {
		const struct command *hc;
		if (optind + 1 >= argc) {
			usage(stdout);
			return EXIT_DONE;
		}
		if (!(hc = command_find(argv[optind + 1]))) {
			fprintf(stderr, "ketnap: ");
			fprintf(stderr, _("unknown command '%s'"), argv[optind + 1]);
			fprintf(stderr, "\n");
			usage(stderr);
			return EXIT_USAGE;
		}
		command_help(hc);
		return EXIT_DONE;
	}
	if (cmd && cmd->run && strcmp(argv[optind], cmd->name) == 0) {
		int cargc = argc - optind;
		char **cargv = argv + optind;
		if (help) {
			command_help(cmd);
			return EXIT_DONE;
		}
		optind = 0;	/* restart getopt for the command */
		status = cmd->run(cargc, cargv, &ctx);
		ctx_release(&ctx);
		return status;
	}
	fprintf(stderr, "ketnap: ");
	fprintf(stderr, _("unknown command '%s'"), argv[optind]);
	fprintf(stderr, "\n");
	usage(stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	char **hoisted = NULL;
	int status = run_cli(argc, argv, &hoisted);

	free(hoisted);
	return status;
}
