/* cordon: the command table and its dispatcher. Adding a command is one
 * cmd_*.c file and one row here. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

const struct cli_command cli_commands[] = {
	{ "redact", cmd_redact, "replace personal data in records", help_redact },
	{ "scan", cmd_scan, "report where personal data is (never what it is)", help_scan },
	{ "restore", cmd_restore, "turn encrypt tokens back into values (needs the key)", help_restore },
	{ "keygen", cmd_keygen, "write a new key file (mode 0600)", help_keygen },
	{ "audit", cmd_audit, "who on the Internet can reach which data store (network rules, configs)", help_audit },
	{ "probe", cmd_probe, "check live data stores, read-only: who answers without authentication, holding what", help_probe },
	{ "watch", cmd_watch, "notice exposures within seconds of a change, alert the owner, keep the timeline", help_watch },
	{ "exposures", cmd_exposures, "the exposure timeline watch keeps: open and closed windows", help_exposures },
	{ "report", cmd_report, "the watch's state as one self-contained HTML page", help_report },
	{ "access", cmd_access, "who reached a store during an exposure window, from flow logs", help_access },
	{ "worker", cmd_worker, "redaction as a service: a NATS JetStream consumer that publishes records redacted", help_worker },
	{ "publish", cmd_publish, "records from files into a NATS subject, as they are (the worker's input)", help_publish },
	{ "consume", cmd_consume, "a NATS JetStream stream drained into a file", help_consume },
	{ "help", cmd_help, "a command's help, or the config file's keys (help config)", help_help },
	{ "version", cmd_version, "the version, and with --json what detection depends on", help_version },
	{ "completion", cmd_completion, "shell completion for bash, zsh or fish", help_completion },
	{ NULL, NULL, NULL, NULL },
};

void cli_usage(FILE *f)
{
	fputs("usage: cordon <command> [options] [FILE...]\n\n"
	      "Keeps customer-support data from leaking.\n\nCommands:\n", f);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fputs("\n'cordon help <command>' or 'cordon <command> --help' tells more;\n"
	      "-V, --version prints the version. Manual: man cordon.\n",
	      f);
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
		cli_usage(stderr);
		return EXIT_ERROR;
	}
	const char *name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
		cli_usage(stdout);
		return cli_close_stdout();
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version"))
		return cmd_version(1, argv + 1);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(name, c->name))
			return c->run(argc - 1, argv + 1);
	cli_error("unknown command '%s' (see 'cordon --help')", name);
	return EXIT_ERROR;
}
