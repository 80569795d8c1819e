/* cordon: the command table and its dispatcher. Adding a command is one
 * cmd_*.c file and one row here. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const struct cli_command commands[] = {
	{ "redact", cmd_redact, "replace personal data in records" },
	{ "scan", cmd_scan, "report where personal data is (never what it is)" },
	{ "restore", cmd_restore, "turn encrypt tokens back into values (needs the key)" },
	{ "keygen", cmd_keygen, "write a new key file (mode 0600)" },
	{ "audit", cmd_audit, "who on the Internet can reach which data store (network rules, configs)" },
};

static void usage(FILE *f)
{
	fputs("usage: cordon <command> [options] [FILE...]\n\n"
	      "Keeps customer-support data from leaking.\n\nCommands:\n", f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'cordon <command> --help' tells more; --version prints the version.\n", f);
}

int main(int argc, char **argv)
{
	/* a closed pipe is a write error to report (exit 2), not a silent death */
	signal(SIGPIPE, SIG_IGN);
#ifdef __GLIBC__
	/* buffers of 4 MiB and more (a long record's) are mapped and given
	 * back when freed: glibc's moving threshold otherwise keeps them in
	 * each --jobs thread's arena, and memory grows with the jobs */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
#endif
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		usage(stdout);
		return cli_close_stdout();
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("cordon %s\n", cordon_version());
		return cli_close_stdout();
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	cli_error("unknown command '%s' (see 'cordon --help')", name);
	return EXIT_ERROR;
}
