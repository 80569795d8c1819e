/* cordon exposures: the timeline of a watch's state (the library's
 * cordon_exposures_read), open and closed windows with their durations
 * and the changes that opened and closed them. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

static const char usage[] =
	"Usage: cordon exposures [options]\n"
	"\n"
	"The exposure timeline cordon watch keeps: each window a data store was\n"
	"open, when it opened and closed (or that it still is), how long, and the\n"
	"change (file and rule) that opened and closed it. Read-only: the watch\n"
	"may be running.\n"
	"\n"
	"Options:\n"
	"      --state FILE       the watch's state (default: the config's\n"
	"                         watch: state:)\n"
	"      --config FILE      the config naming it (default: $CORDON_CONFIG,\n"
	"                         else ./cordon.yaml)\n"
	"      --since T          windows opened at or after T: a date\n"
	"                         (2026-11-01), a time (2026-11-01T08:00:00Z) or a\n"
	"                         duration back from now (24h, 7d)\n"
	"      --asset NAME       one asset's windows\n"
	"      --report-format FMT  text (default) or json (one window a line)\n"
	"  -h, --help             this help\n";

void help_exposures(FILE *f) { fputs(usage, f); }

enum { OPT_STATE = 256, OPT_CONFIG, OPT_SINCE, OPT_ASSET, OPT_REPORT_FORMAT };

/* "2026-11-01", "2026-11-01T08:00:00Z", "24h", "7d", "30m". */
static int parse_since(const char *s, time_t *out)
{
	if (!cli_parse_time(s, strlen(s), out))
		return 0;
	char *e;
	errno = 0;
	double v = strtod(s, &e);
	long mul = !strcmp(e, "d") ? 86400 : !strcmp(e, "h") ? 3600 : !strcmp(e, "m") ? 60 : !strcmp(e, "s") ? 1 : 0;
	if (errno || e == s || v < 0 || !mul)
		return -1;
	*out = time(NULL) - (time_t)(v * (double)mul);
	return 0;
}

int cmd_exposures(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, OPT_STATE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "asset", required_argument, NULL, OPT_ASSET },
		{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state = NULL, *config = NULL, *asset = NULL;
	time_t since = 0;
	cordon_report_format format = CORDON_REPORT_TEXT;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_STATE:
			state = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_SINCE:
			if (parse_since(optarg, &since)) {
				cli_error("--since: a date (2026-11-01), a time (2026-11-01T08:00:00Z) or a duration (24h), "
					  "not '%s'",
					  optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_ASSET:
			asset = optarg;
			break;
		case OPT_REPORT_FORMAT:
			if (cordon_report_format_from_name(optarg, &format) != CORDON_OK || format == CORDON_REPORT_SARIF) {
				cli_error("--report-format: text or json, not '%s'", optarg);
				return EXIT_ERROR;
			}
			break;
		case 'h':
			help_exposures(stdout);
			return cli_close_stdout();
		default:
			return cli_option_error("exposures", c, argv);
		}
	}
	cordon_policy *policy;
	if (cli_watch_state(&state, config, &policy))
		return EXIT_ERROR;
	struct cordon_window *v = NULL;
	size_t n = 0;
	char err[512] = "";
	cordon_code rc = cordon_exposures_read(state, since, asset, &v, &n, err, sizeof(err));
	int status = EXIT_CLEAN;
	if (rc != CORDON_OK) {
		cli_error("%s", err[0] ? err : cordon_strerror(rc));
		status = EXIT_ERROR;
	} else if (cordon_windows_report(stdout, format, v, n, time(NULL)) != CORDON_OK) {
		status = EXIT_ERROR;
	}
	if (status == EXIT_CLEAN)
		status = cli_close_stdout();
	cordon_windows_free(v, n);
	cordon_policy_free(policy);
	return status;
}
