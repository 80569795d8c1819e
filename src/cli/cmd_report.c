/* cordon report: the watch's state as one self-contained HTML page (the
 * library's cordon_watch_report_html), written whole or not at all. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "output.h"

static const char usage[] =
	"Usage: cordon report [options]\n"
	"\n"
	"Writes one self-contained HTML page from cordon watch's state, to view\n"
	"offline: the exposures open now by severity and owner, the timeline of\n"
	"exposure windows drawn as a chart, the recent changes, how each sink's\n"
	"alerts stand (delivered, waiting, the last error) and each source. No\n"
	"script and no external resource; never a personal-data value.\n"
	"\n"
	"Options:\n"
	"      --state FILE       the watch's state (default: the config's\n"
	"                         watch: state:)\n"
	"      --config FILE      the config naming it (default: $CORDON_CONFIG,\n"
	"                         else ./cordon.yaml)\n"
	"  -o, --output FILE      write the page here (whole or not at all; default\n"
	"                         stdout)\n"
	"  -h, --help             this help\n";

void help_report(FILE *f) { fputs(usage, f); }

enum { OPT_STATE = 256, OPT_CONFIG };

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, OPT_STATE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *config = NULL, *output = "-";
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_STATE:
			state = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			help_report(stdout);
			return cli_close_stdout();
		default:
			return cli_option_error("report", c, argv);
		}
	}
	cordon_policy *policy;
	if (cli_watch_state(&state, config, &policy))
		return EXIT_ERROR;
	struct place places[2] = { { output, "--output", 1 }, { state, "state", 0 } };
	struct output out;
	int status = EXIT_CLEAN;
	if (places_check(places, 2) || output_open(&out, output, "report", (mode_t)-1, NULL)) {
		cordon_policy_free(policy);
		return EXIT_ERROR;
	}
	char err[512] = "";
	cordon_code rc = cordon_watch_report_html(out.f, state, time(NULL), err, sizeof(err));
	if (rc != CORDON_OK) {
		cli_error("%s", err[0] ? err : cordon_strerror(rc));
		output_abort(&out);
		status = EXIT_ERROR;
	} else if (output_commit(&out) || cli_close_stdout()) {
		status = EXIT_ERROR;
	}
	cordon_policy_free(policy);
	return status;
}
