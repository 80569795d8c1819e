/* cordon watch: evaluates the config's watch: sources as they change and
 * delivers alerts (the library's cordon_watch); this file reads the
 * options, turns signals into a stop, and writes the watch's log lines. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "cli.h"

static const char usage[] =
	"Usage: cordon watch [options]\n"
	"\n"
	"Watches the exports and configs the config's watch: section names (and\n"
	"runs its commands: every so often), and re-audits a file within moments\n"
	"of its change: what it opens gets an exposure window and an alert to the\n"
	"owner's sinks, what it closes a resolve. Findings, windows and the alert outbox live in one SQLite state\n"
	"file (WAL): after kill -9 and a restart nothing is lost and nothing is\n"
	"announced twice; alerts are delivered at least once, each with a stable\n"
	"dedup key (X-Cordon-Dedup-Key), in order per sink, retried with backoff, a\n"
	"dead sink never holding up another.\n"
	"\n"
	"Options:\n"
	"      --config FILE      the config with watch: (state, files, sinks,\n"
	"                         routes) and the inventory (assets: with owner:)\n"
	"                         (default: $CORDON_CONFIG, else ./cordon.yaml)\n"
	"      --state FILE       the state file instead of the config's\n"
	"      --once             one cycle: evaluate every source, deliver what is\n"
	"                         due, exit (for cron and CI)\n"
	"      --log-format FMT   text (default) or json: one object a line on stderr\n"
	"  -h, --help             this help\n"
	"\n"
	"SIGTERM and SIGINT stop it cleanly (an alert in flight is sent again on\n"
	"the next start); SIGHUP reads the config again (a bad one is said, and the\n"
	"old one kept). cordon exposures shows the timeline; cordon help config\n"
	"lists the watch: keys; contrib/cordon-watch.service runs it under systemd.\n"
	"\n"
	"Exit: 0 stopped (--once: every alert delivered), 2 error, 3 (--once)\n"
	"alerts left undelivered in the outbox (a sink down).\n";

void help_watch(FILE *f) { fputs(usage, f); }

enum { OPT_CONFIG = 256, OPT_STATE, OPT_ONCE, OPT_LOG_FORMAT };

static volatile sig_atomic_t stop, reload;
static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	stop = 1; /* the loop returns; reload decides what comes next */
}

static int json_log;

static void log_line(void *arg, enum cordon_watch_log level, const char *event, const char *message)
{
	(void)arg;
	static const char *const names[] = { "info", "warn", "error" };
	if (json_log) {
		char when[32];
		time_t t = time(NULL);
		struct tm tm;
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "time", when, "level", names[level], "event", event, "message",
				      message);
		if (o) { /* a line whole: events and probes log from threads of their own */
			flockfile(stderr);
			json_dumpf(o, stderr, JSON_COMPACT);
			fputc('\n', stderr);
			funlockfile(stderr);
			json_decref(o);
		}
		return;
	}
	flockfile(stderr);
	fprintf(stderr, "cordon: watch: %s: ", event);
	cli_put_safe(stderr, message);
	fputc('\n', stderr);
	funlockfile(stderr);
}

int cmd_watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *state = NULL;
	int once = 0, c;
	optind = 1;
	opterr = 0;
	json_log = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_STATE:
			state = optarg;
			break;
		case OPT_ONCE:
			once = 1;
			break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
				cli_error("--log-format: text or json, not '%s'", optarg);
				return EXIT_ERROR;
			}
			json_log = !strcmp(optarg, "json");
			break;
		case 'h':
			help_watch(stdout);
			return cli_close_stdout();
		default:
			return cli_option_error("watch", c, argv);
		}
	}
	if (optind < argc) {
		cli_error("cordon watch takes no files: the config's watch: files: names them");
		return EXIT_ERROR;
	}
	cordon_policy *policy = NULL;
	config = cli_config_path(config, 0);
	if (!config) {
		cli_error("cordon watch needs a config with a watch: section (--config FILE)");
		return EXIT_ERROR;
	}
	if (cli_policy_load(config, &policy))
		return EXIT_ERROR;
	struct cordon_watch_options o = { state, log_line, NULL };
	cordon_watch *w = NULL;
	cordon_code rc = cordon_watch_new(&w, policy, &o);
	int status = EXIT_CLEAN;
	if (rc != CORDON_OK) {
		cli_error("%s", w ? cordon_watch_error(w) : cordon_strerror(rc));
		status = EXIT_ERROR;
		goto out;
	}
	if (once) {
		rc = cordon_watch_once(w);
	} else {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		for (;;) {
			rc = cordon_watch_run(w, &stop);
			if (rc != CORDON_OK || !reload)
				break;
			/* SIGHUP: the config read again; a bad one keeps the old */
			reload = stop = 0;
			cordon_policy *np = NULL;
			cordon_watch *nw = NULL;
			if (cli_policy_load(config, &np)) {
				log_line(NULL, CORDON_WATCH_ERROR, "reload_failed", "the config was not reloaded: it keeps the old one");
				continue;
			}
			if (cordon_watch_new(&nw, np, &o) != CORDON_OK) {
				log_line(NULL, CORDON_WATCH_ERROR, "reload_failed", nw ? cordon_watch_error(nw) : "out of memory");
				cordon_watch_free(nw);
				cordon_policy_free(np);
				continue;
			}
			cordon_watch_free(w);
			cordon_policy_free(policy);
			w = nw;
			policy = np;
			log_line(NULL, CORDON_WATCH_INFO, "reloaded", config);
		}
	}
	if (rc != CORDON_OK) {
		cli_error("watch stopped: %s", cordon_watch_error(w)[0] ? cordon_watch_error(w) : cordon_strerror(rc));
		status = EXIT_ERROR;
		goto out;
	}
	struct cordon_watch_stats st;
	cordon_watch_stats(w, &st);
	if (once && st.outbox_depth) {
		cli_error("%llu alerts not delivered yet (kept in the outbox, sent on the next run)",
			  (unsigned long long)st.outbox_depth);
		status = 3;
	}
out:
	cordon_watch_free(w);
	cordon_policy_free(policy);
	return status;
}
