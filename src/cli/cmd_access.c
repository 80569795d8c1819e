/* cordon access: who reached a data store during an exposure window, from
 * flow logs (the library's cordon_access_*): each source outside the
 * private ranges with first and last seen, flows, bytes both ways and a
 * verdict, and the parts of the window no log covers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "cordon/access.h"
#include "output.h"

static const char usage[] =
	"Usage: cordon access --window FROM..TO --dest ADDR[:PORT] [options] LOG...\n"
	"       cordon access --from-watch ASSET [options] LOG...\n"
	"\n"
	"Reads flow logs and the store's own logs (gzip and zstd too; '-' is\n"
	"stdin) and says who reached the store at ADDR during the window: every\n"
	"source outside the private ranges, first and last seen, flows, bytes to\n"
	"and from the store, the rule that let it in, what it did (the store's\n"
	"logs), and a verdict:\n"
	"  no_access   only denied, or never seen\n"
	"  probe_only  connections, no more than --read-bytes back from the store\n"
	"              (or only connected, was refused or listed, in the store's log)\n"
	"  unknown     let in, but the logs do not say how much came back (NSG\n"
	"              version 1, a flow begun and not ended in the logs; a login,\n"
	"              a write or a request with no read in the store's log)\n"
	"  read        more than --read-bytes came back, or a read in the store's log\n"
	"The window's verdict is the worst of its sources'. A part of the window\n"
	"no log covers (no record for longer than --gap, or records the log says it\n"
	"skipped) makes it at least unknown, never no_access; so does a line\n"
	"quarantined, and a sampled log (GCP).\n"
	"\n"
	"Options:\n"
	"      --window FROM..TO  the exposure window: times (2026-11-01T08:00:00Z)\n"
	"                         or dates (2026-11-01, midnight UTC)\n"
	"      --from-watch ASSET each exposure window the watch's state holds for\n"
	"                         ASSET, one answer each; the store is the\n"
	"                         asset's addresses: in the config (and port:),\n"
	"                         unless --dest is given\n"
	"      --state FILE       the watch's state (default: the config's)\n"
	"      --config FILE      the config (default: $CORDON_CONFIG, else\n"
	"                         ./cordon.yaml)\n"
	"      --dest SPEC        the store: 10.0.0.4, 10.0.0.4:9200, 10.0.0.0/24:9200,\n"
	"                         [2001:db8::7]:9200 (no port: any); repeatable\n"
	"      --read-bytes SIZE  more than this back from the store is a read\n"
	"                         (default 8K: a TLS handshake stays under it)\n"
	"      --gap DURATION     no log record for longer than this is a gap\n"
	"                         (default 15m)\n"
	"      --skew DURATION    flows this far outside the window count, for\n"
	"                         clocks that disagree (default 5m)\n"
	"      --include-private  list private, loopback and link-local sources too\n"
	"      --report-format FMT  text (default), json (the window, then a source\n"
	"                         a line) or csv (a source a row)\n"
	"      --local-offset OFF the UTC offset (+01:00, -05:00, +00:00) of logs that\n"
	"                         write local times with no zone (MariaDB's general\n"
	"                         log); without it they are refused\n"
	"      --quarantine FILE  lines that cannot be read go here (mode 0600)\n"
	"                         instead of stopping the run\n"
	"      --fail-on VERDICT  exit 1 when the window's verdict is this or worse\n"
	"                         (probe_only < unknown < read)\n"
	"  -j, --jobs N           logs read at once, one a thread (default: one per\n"
	"                         core); the answer is the same whatever N\n"
	"  -h, --help             this help\n"
	"\n"
	"Exit status: 0 done (below --fail-on), 1 --fail-on reached, 2 an error.\n"
	"\n"
	"Log formats (told by content):\n";

void help_access(FILE *f)
{
	fputs(usage, f);
	for (const char *const *p = cordon_access_formats(); *p; p++)
		fprintf(f, "  %s\n", *p);
}

/* Logs shared out to threads, each summing into its own object; summed
 * into the first at the end (cordon_access_merge: the order does not
 * matter). The error kept is the one of the first log in the command's
 * order that failed, so a run says the same whatever the threads did. */
struct pool {
	char **files;
	int nfiles;
	FILE *quarantine;
	atomic_int next;
	atomic_int stop;
	int failed_at;            /* the index of the first log that failed, or nfiles */
	int line;                 /* its failure was a line --quarantine would take */
	char why[600];
	cordon_code rc;
	pthread_mutex_t lock;
};

struct worker {
	struct pool *pool;
	cordon_access *a;
	pthread_t thread;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	int k;
	while (!atomic_load(&p->stop) && (k = atomic_fetch_add(&p->next, 1)) < p->nfiles) {
		const char *path = p->files[k];
		int std = !strcmp(path, "-");
		int fd = std ? 0 : open(path, O_RDONLY | O_CLOEXEC);
		cordon_code rc;
		char why[600];
		int line = 0;
		if (fd < 0) {
			snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
			rc = CORDON_ERR_IO;
		} else {
			rc = cordon_access_read_fd(w->a, fd, std ? "stdin" : path, p->quarantine);
			if (!std)
				close(fd);
			snprintf(why, sizeof(why), "%s", cordon_access_error(w->a));
			line = cordon_access_error_is_line(w->a);
		}
		if (rc != CORDON_OK) {
			pthread_mutex_lock(&p->lock);
			if (k < p->failed_at) {
				p->failed_at = k;
				p->rc = rc;
				p->line = line;
				snprintf(p->why, sizeof(p->why), "%s", why[0] ? why : cordon_strerror(rc));
			}
			pthread_mutex_unlock(&p->lock);
			atomic_store(&p->stop, 1);
		}
	}
	return NULL;
}

enum { OPT_WINDOW = 256, OPT_DEST, OPT_READ_BYTES, OPT_GAP, OPT_SKEW, OPT_PRIVATE, OPT_FORMAT, OPT_QUARANTINE,
       OPT_FAIL_ON, OPT_FROM_WATCH, OPT_STATE, OPT_CONFIG, OPT_LOCAL_OFFSET };

/* "30s", "15m", "2h", "1d". */
static int parse_duration(const char *s, unsigned *out)
{
	char *e;
	errno = 0;
	unsigned long v = strtoul(s, &e, 10);
	unsigned long mul = !strcmp(e, "s") || !*e ? 1 : !strcmp(e, "m") ? 60 : !strcmp(e, "h") ? 3600 : !strcmp(e, "d") ? 86400 : 0;
	if (errno || e == s || !mul || s[0] == '-' || v > 100000000ul / mul)
		return -1;
	*out = (unsigned)(v * mul);
	return 0;
}

/* One window over the logs: threads, merge, report. header: the CSV
 * header too. EXIT_CLEAN with *verdict, or EXIT_ERROR having said why. */
static int analyse(const struct cordon_access_options *o, char **files, int nfiles, long jobs, FILE *quarantine,
		   cordon_access_format format, int header, cordon_access_verdict *verdict)
{
	struct worker *workers = calloc((size_t)jobs, sizeof(*workers));
	if (!workers) {
		cli_error("access: out of memory");
		return EXIT_ERROR;
	}
	cordon_code rc = CORDON_OK;
	for (long k = 0; k < jobs && rc == CORDON_OK; k++)
		rc = cordon_access_new(&workers[k].a, o);
	int status = EXIT_CLEAN;
	if (rc != CORDON_OK) {
		cli_error("access: %s", o->error && o->error[0] ? o->error : cordon_strerror(rc));
		status = EXIT_ERROR;
	}
	struct pool pool = { .files = files, .nfiles = nfiles, .quarantine = quarantine, .failed_at = nfiles,
			     .rc = CORDON_OK };
	atomic_init(&pool.next, 0);
	atomic_init(&pool.stop, 0);
	pthread_mutex_init(&pool.lock, NULL);
	long started = 1;
	if (status == EXIT_CLEAN) {
		workers[0].pool = &pool;
		for (long k = 1; k < jobs; k++, started++) {
			workers[k].pool = &pool;
			if (pthread_create(&workers[k].thread, NULL, work, &workers[k]))
				break; /* fewer threads: the ones there take the logs */
		}
		work(&workers[0]);
		for (long k = 1; k < started; k++)
			pthread_join(workers[k].thread, NULL);
	}
	pthread_mutex_destroy(&pool.lock);
	if (status == EXIT_CLEAN && pool.failed_at < nfiles) {
		cli_error("%s%s", pool.why, pool.line ? " (--quarantine sets such lines aside)" : "");
		status = EXIT_ERROR;
	}
	cordon_access *a = workers[0].a;
	for (long k = 1; k < started && status == EXIT_CLEAN; k++)
		if ((rc = cordon_access_merge(a, workers[k].a)) != CORDON_OK) {
			cli_error("access: %s", cordon_strerror(rc));
			status = EXIT_ERROR;
		}
	struct cordon_access_result r;
	if (status == EXIT_CLEAN && (rc = cordon_access_result(a, &r)) != CORDON_OK) {
		cli_error("access: %s", cordon_strerror(rc));
		status = EXIT_ERROR;
	}
	if (status == EXIT_CLEAN) {
		/* CSV: the header once, over several windows */
		char *buf = NULL;
		size_t len = 0;
		FILE *out = format == CORDON_ACCESS_CSV && !header ? open_memstream(&buf, &len) : stdout;
		if (!out || cordon_access_report(out, format, &r) != CORDON_OK)
			status = EXIT_ERROR;
		if (out && out != stdout) {
			fclose(out);
			const char *nl = buf ? strchr(buf, '\n') : NULL;
			if (nl)
				fputs(nl + 1, stdout);
			free(buf);
		}
		*verdict = r.verdict;
	}
	for (long k = 0; k < jobs; k++)
		cordon_access_free(workers[k].a);
	free(workers);
	return status;
}

int cmd_access(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "dest", required_argument, NULL, OPT_DEST },
		{ "read-bytes", required_argument, NULL, OPT_READ_BYTES },
		{ "gap", required_argument, NULL, OPT_GAP },
		{ "skew", required_argument, NULL, OPT_SKEW },
		{ "include-private", no_argument, NULL, OPT_PRIVATE },
		{ "report-format", required_argument, NULL, OPT_FORMAT },
		{ "quarantine", required_argument, NULL, OPT_QUARANTINE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "jobs", required_argument, NULL, 'j' },
		{ "from-watch", required_argument, NULL, OPT_FROM_WATCH },
		{ "local-offset", required_argument, NULL, OPT_LOCAL_OFFSET },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cordon_access_options o = CORDON_ACCESS_OPTIONS_INIT;
	const char *dests[256];
	size_t ndests = 0;
	const char *quarantine = NULL;
	cordon_access_format format = CORDON_ACCESS_TEXT;
	cordon_access_verdict fail_on = CORDON_ACCESS_NO_ACCESS;
	int fail_set = 0, window_set = 0;
	long jobs = 0;
	const char *from_watch = NULL, *state = NULL, *config = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hj:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_WINDOW: {
			const char *dots = strstr(optarg, "..");
			if (!dots || cli_parse_time(optarg, (size_t)(dots - optarg), &o.from) ||
			    cli_parse_time(dots + 2, strlen(dots + 2), &o.to)) {
				cli_error("--window: FROM..TO, each a time (2026-11-01T08:00:00Z) or a date (2026-11-01), "
					  "not '%s'",
					  optarg);
				return EXIT_ERROR;
			}
			window_set = 1;
			break;
		}
		case OPT_DEST:
			if (ndests == sizeof(dests) / sizeof(*dests)) {
				cli_error("--dest: at most 256");
				return EXIT_ERROR;
			}
			dests[ndests++] = optarg;
			break;
		case OPT_READ_BYTES: {
			size_t size;
			if (cli_parse_size(optarg, &size)) {
				cli_error("--read-bytes: a size (8192, 8K, 1M), not '%s'", optarg);
				return EXIT_ERROR;
			}
			o.read_bytes = size;
			break;
		}
		case OPT_GAP:
		case OPT_SKEW: {
			unsigned v;
			if (parse_duration(optarg, &v) || (c == OPT_GAP && v < 60)) {
				cli_error("%s: a duration (90s, 15m, 2h%s), not '%s'", c == OPT_GAP ? "--gap" : "--skew",
					  c == OPT_GAP ? "; a minute at least" : "", optarg);
				return EXIT_ERROR;
			}
			if (c == OPT_GAP)
				o.gap_s = v;
			else
				o.skew_s = v;
			break;
		}
		case OPT_PRIVATE:
			o.include_private = 1;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				format = CORDON_ACCESS_TEXT;
			else if (!strcmp(optarg, "json"))
				format = CORDON_ACCESS_JSON;
			else if (!strcmp(optarg, "csv"))
				format = CORDON_ACCESS_CSV;
			else {
				cli_error("--report-format: text, json or csv, not '%s'", optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_QUARANTINE:
			quarantine = optarg;
			break;
		case OPT_FAIL_ON:
			if (cordon_access_verdict_from_name(optarg, &fail_on) != CORDON_OK ||
			    fail_on == CORDON_ACCESS_NO_ACCESS) {
				cli_error("--fail-on: probe_only, unknown or read, not '%s'", optarg);
				return EXIT_ERROR;
			}
			fail_set = 1;
			break;
		case OPT_FROM_WATCH:
			from_watch = optarg;
			break;
		case OPT_LOCAL_OFFSET: {
			/* "+01:00", "-0500", "+00:00", "Z" */
			const char *s = optarg;
			int hh = 0, mm = 0, ok = 0;
			size_t sl = strlen(s);
#define D(c) ((c) >= '0' && (c) <= '9')
			if (!strcmp(s, "Z") || !strcmp(s, "UTC")) {
				ok = 1;
			} else if ((s[0] == '+' || s[0] == '-') && (sl == 6 || sl == 5) && D(s[1]) && D(s[2]) &&
				   (sl == 6 ? s[3] == ':' : D(s[3])) && D(s[sl - 2]) && D(s[sl - 1])) {
				ok = 1;
				hh = (s[1] - '0') * 10 + (s[2] - '0');
				mm = (s[sl - 2] - '0') * 10 + (s[sl - 1] - '0');
			}
#undef D
			if (!ok || hh > 14 || mm > 59) {
				cli_error("--local-offset: a UTC offset (+01:00, -05:00, +00:00), not '%s'", optarg);
				return EXIT_ERROR;
			}
			o.local_offset_set = 1;
			o.local_offset_s = (hh * 3600L + mm * 60L) * (s[0] == '-' ? -1 : 1);
			break;
		}
		case OPT_STATE:
			state = optarg;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case 'j': {
			unsigned j;
			if (cli_parse_jobs(optarg, &j)) {
				cli_error("invalid --jobs '%s': give a number from 1 to 256", optarg);
				return EXIT_ERROR;
			}
			jobs = j;
			break;
		}
		case 'h':
			help_access(stdout);
			return cli_close_stdout();
		default:
			return cli_option_error("access", c, argv);
		}
	}
	if (window_set == !!from_watch) {
		cli_error(from_watch ? "access: --window and --from-watch exclude each other"
				     : "access: --window FROM..TO or --from-watch ASSET is needed (cordon exposures lists the "
				       "windows)");
		return EXIT_ERROR;
	}
	if (optind >= argc) {
		cli_error("access: no log given (a file, or '-' for stdin)");
		return EXIT_ERROR;
	}
	int nfiles = argc - optind, nstdin = 0;
	for (int k = optind; k < argc; k++)
		nstdin += !strcmp(argv[k], "-");
	if (nstdin > 1) {
		cli_error("access: '-' (stdin) given %d times", nstdin);
		return EXIT_ERROR;
	}
	/* the windows: given, or the asset's from the watch's state */
	struct span { time_t from, to; } one = { o.from, o.to }, *spans = &one;
	size_t nspans = 1;
	struct cordon_window *wins = NULL;
	size_t nwins = 0;
	cordon_policy *policy = NULL;
	char addr_buf[64][80];
	int status = EXIT_CLEAN;
	if (from_watch) {
		if (cli_watch_state(&state, config, &policy))
			return EXIT_ERROR;
		if (!policy) { /* --state given: the inventory is still the config's */
			const char *path = cli_config_path(config, 0);
			if (path && cli_policy_load(path, &policy))
				return EXIT_ERROR;
		}
		char werr[512] = "";
		cordon_code wrc = cordon_exposures_read(state, 0, from_watch, &wins, &nwins, werr, sizeof(werr));
		if (wrc != CORDON_OK) {
			cli_error("access: %s", werr[0] ? werr : cordon_strerror(wrc));
			status = EXIT_ERROR;
		} else if (!nwins) {
			cli_error("access: the watch's state has no exposure window of '%s' (cordon exposures lists them)",
				  from_watch);
			status = EXIT_ERROR;
		} else if (nwins > 1 && nstdin) {
			cli_error("access: '-' (stdin) cannot be read once for each of %zu windows: give the logs as files",
				  nwins);
			status = EXIT_ERROR;
		} else if (!(spans = calloc(nwins, sizeof(*spans)))) {
			cli_error("access: out of memory");
			status = EXIT_ERROR;
		} else {
			time_t now = time(NULL);
			for (size_t k = 0; k < nwins; k++)
				spans[k] = (struct span){ wins[k].opened_at, wins[k].closed_at ? wins[k].closed_at : now };
			nspans = nwins;
		}
		if (status == EXIT_CLEAN && !ndests) {
			const char *const *addrs;
			size_t naddrs = 0;
			unsigned port = 0;
			if (!policy || cordon_policy_asset_addresses(policy, from_watch, &addrs, &naddrs, &port) != CORDON_OK ||
			    !naddrs) {
				cli_error("access: asset '%s' has no addresses: in the config: give --dest", from_watch);
				status = EXIT_ERROR;
			} else if (naddrs > sizeof(addr_buf) / sizeof(*addr_buf)) {
				cli_error("access: asset '%s' has %zu addresses: at most 64 (give blocks, 10.20.0.0/24, or --dest)",
					  from_watch, naddrs);
				status = EXIT_ERROR;
			}
			for (size_t k = 0; k < naddrs && k < 64 && status == EXIT_CLEAN; k++) {
				if (!port)
					snprintf(addr_buf[k], sizeof(addr_buf[k]), "%s", addrs[k]);
				else if (strchr(addrs[k], ':'))
					snprintf(addr_buf[k], sizeof(addr_buf[k]), "[%s]:%u", addrs[k], port);
				else
					snprintf(addr_buf[k], sizeof(addr_buf[k]), "%s:%u", addrs[k], port);
				dests[ndests++] = addr_buf[k];
			}
		}
	}
	if (status == EXIT_CLEAN && !ndests) {
		cli_error("access: --dest is needed: the store's address (and port)");
		status = EXIT_ERROR;
	}
	struct output q;
	int nq = 0;
	if (status == EXIT_CLEAN && quarantine) {
		struct place places[257];
		size_t np = 0;
		for (int k = optind; k < argc && np < 256; k++)
			places[np++] = (struct place){ argv[k], "input", 0 };
		places[np++] = (struct place){ quarantine, "--quarantine", 1 };
		if (places_check(places, np) || output_open(&q, quarantine, "quarantine", 0600, NULL))
			status = EXIT_ERROR;
		else
			nq = 1;
	}
	if (!jobs) {
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
		if (jobs < 1)
			jobs = 1;
	}
	if (jobs > nfiles)
		jobs = nfiles;
	char err[256] = "";
	o.dests = dests;
	o.ndests = ndests;
	o.error = err;
	o.error_len = sizeof(err);
	cordon_access_verdict worst = CORDON_ACCESS_NO_ACCESS;
	/* the lines set aside go to the quarantine once: the windows after the
	 * first read the same logs again */
	FILE *again = nq && nspans > 1 ? fopen("/dev/null", "w") : NULL;
	for (size_t k = 0; k < nspans && status == EXIT_CLEAN; k++) {
		o.from = spans[k].from;
		o.to = spans[k].to;
		if (k && format == CORDON_ACCESS_TEXT)
			fputc('\n', stdout);
		if (from_watch && format == CORDON_ACCESS_TEXT)
			printf("asset %s, exposure window %zu of %zu\n", from_watch, k + 1, nspans);
		cordon_access_verdict v;
		status = analyse(&o, argv + optind, nfiles, jobs, nq ? (k ? again : q.f) : NULL, format, k == 0, &v);
		if (status == EXIT_CLEAN && v > worst)
			worst = v;
	}
	if (again)
		fclose(again);
	if (status == EXIT_CLEAN)
		status = cli_close_stdout();
	if (status == EXIT_CLEAN && fail_set && worst >= fail_on)
		status = EXIT_FOUND;
	if (nq)
		status = output_finish(&q, status);
	if (spans != &one)
		free(spans);
	cordon_windows_free(wins, nwins);
	cordon_policy_free(policy);
	return status;
}
