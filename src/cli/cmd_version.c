/* cordon version [--json]: the version; with --json, what results depend
 * on beyond it (the Public Suffix List in use, the name lists and port
 * tables, library versions), so two machines' findings can be compared. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: cordon version [--json]\n"
	"       cordon -V | --version\n"
	"\n"
	"Prints cordon's version. With --json, also the git revision it was built\n"
	"from, the Public Suffix List in use (its file, date and digest: the newer\n"
	"of Debian's publicsuffix package and libpsl's built-in copy), digests of\n"
	"the name lists and port tables compiled in, and the versions of libpsl,\n"
	"PCRE2 and utf8proc: what detection and audit results depend on.\n"
	"\n"
	"      --json            one JSON object\n"
	"  -h, --help            this help\n";

void help_version(FILE *f)
{
	fputs(usage, f);
}

int cmd_version(int argc, char **argv)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_version(stdout);
			return cli_close_stdout();
		} else {
			cli_error("unknown option '%s' (see 'cordon version --help')", argv[i]);
			return EXIT_ERROR;
		}
	}
	const struct cordon_build_info *b = cordon_build_info();
	if (!json) {
		printf("cordon %s\n", b->version);
		return cli_close_stdout();
	}
	fputs("{\"version\":", stdout);
	cli_put_json(stdout, b->version);
	fputs(",\"revision\":", stdout);
	cli_put_json(stdout, b->revision);
	fputs(",\"public_suffix_list\":{\"source\":", stdout);
	cli_put_json(stdout, b->psl_source);
	fputs(",\"date\":", stdout);
	cli_put_json(stdout, b->psl_date);
	fputs(",\"digest\":", stdout);
	cli_put_json(stdout, b->psl_digest);
	fputs("},\"name_lists\":", stdout);
	cli_put_json(stdout, b->names_digest);
	fputs(",\"port_tables\":", stdout);
	cli_put_json(stdout, b->ports_digest);
	fputs(",\"libraries\":{\"libpsl\":", stdout);
	cli_put_json(stdout, b->libpsl);
	fputs(",\"pcre2\":", stdout);
	cli_put_json(stdout, b->pcre2);
	fputs(",\"utf8proc\":", stdout);
	cli_put_json(stdout, b->utf8proc);
	fputs("}}\n", stdout);
	return cli_close_stdout();
}
