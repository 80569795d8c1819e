/* cordon help [COMMAND | config]: a command's --help, or the keys of
 * cordon.yaml as the library's table has them (cordon_policy_keys). */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: cordon help [COMMAND | config | entities | formats | probes]\n"
	"\n"
	"Prints the list of commands, COMMAND's help (as 'cordon COMMAND --help'),\n"
	"every key cordon.yaml may hold and what it takes (config), the entities\n"
	"cordon finds (entities), the record formats and audit inputs it reads\n"
	"(formats), or the probes of cordon probe and every request each may send\n"
	"(probes).\n"
	"\n"
	"  -h, --help            this help\n";

void help_help(FILE *f)
{
	fputs(usage, f);
}

static void print_section(FILE *f, const char *title, const char *section)
{
	size_t n;
	const struct cordon_policy_key *k = cordon_policy_keys(section, &n);
	fprintf(f, "%s\n", title);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-12s %s\n  %-12s %s\n", k[i].name, k[i].value, "", k[i].help);
}

static void help_config(FILE *f)
{
	fputs("cordon.yaml: read by redact, scan, audit, probe and watch from --config, else\n"
	      "$CORDON_CONFIG, else ./cordon.yaml (named on stderr); options given on\n"
	      "the command line win over it. Errors name the file, the line and the key.\n\n",
	      f);
	print_section(f, "Keys:", NULL);
	print_section(f, "\nA rule (rules: NAME:):", "rules");
	print_section(f, "\nper_entity: ENTITY:", "per_entity");
	print_section(f, "\nAn asset (assets: NAME:):", "assets");
	print_section(f, "\nAn ignore: entry:", "ignore");
	print_section(f, "\nwatch: (cordon watch):", "watch");
	print_section(f, "\nA sink (watch: sinks: NAME:):", "sinks");
	print_section(f, "\nA command (watch: commands: NAME:):", "commands");
	print_section(f, "\nA probe (watch: probes: NAME:):", "probes");
	print_section(f, "\nA cloud's signed tokens (watch: events: tokens: azure | aws | gcp:):", "tokens");
}

int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stdout);
		return cli_close_stdout();
	}
	if (argc > 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help_help(argc > 2 ? stderr : stdout);
		return argc > 2 ? EXIT_ERROR : cli_close_stdout();
	}
	if (!strcmp(argv[1], "config")) {
		help_config(stdout);
		return cli_close_stdout();
	}
	if (!strcmp(argv[1], "entities")) {
		for (unsigned e = 0; e < CORDON_ENTITY_COUNT; e++)
			printf("%s\n", cordon_entity_name((cordon_entity)e));
		puts("and a config's rules (deny: is DENY_LIST)");
		return cli_close_stdout();
	}
	if (!strcmp(argv[1], "formats")) {
		const char *what;
		puts("Record formats (redact, scan, restore -f):");
		for (cordon_format f = 0; cordon_format_name(f, &what); f++)
			printf("  %-13s %s\n", cordon_format_name(f, NULL), what);
		puts("\nAudit inputs (audit -t):");
		for (size_t i = 0; cordon_audit_type(i, &what); i++)
			printf("  %-13s %s\n", cordon_audit_type(i, NULL), what);
		return cli_close_stdout();
	}
	if (!strcmp(argv[1], "probes")) {
		puts("The probes of cordon probe, and every request each may send, written\n"
		     "as text: * stands for any text, # for a number, KEY for a key name.\n"
		     "The library refuses to send any other. The http probe asks GET / on\n"
		     "any HTTP port and hands over to the probe of what answered.\n");
		const char *service;
		const char *const *allow;
		for (size_t i = 0; cordon_probe_type(i, &service, &allow); i++) {
			printf("%s (%s) may send:\n", cordon_probe_type(i, NULL, NULL), service);
			for (; *allow; allow++)
				printf("  %s\n", *allow);
		}
		return cli_close_stdout();
	}
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(argv[1], c->name)) {
			c->help(stdout);
			return cli_close_stdout();
		}
	cli_error("no help on '%s': give a command (see 'cordon --help'), config, entities, formats or probes", argv[1]);
	return EXIT_ERROR;
}
