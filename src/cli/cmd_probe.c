/* cordon probe: live, read-only checks of data stores. The library does
 * the talking (cordon/probe.h); this file reads targets from the command
 * line, a list file, the inventory or an audit's JSON report, writes the
 * report, and decides the exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "cli.h"
#include "output.h"

static const char usage[] =
	"Usage: cordon probe [options] TARGET...\n"
	"       cordon probe [options] -l FILE\n"
	"       cordon probe [options] --inventory [ASSET...]\n"
	"       cordon audit --report-format json ... | cordon probe --from-audit -\n"
	"\n"
	"Talks to live data stores, read-only, and reports for each endpoint whether\n"
	"it answers without authentication, what it is (by what answers, not by the\n"
	"port), what it holds (indices, databases, keyspaces and their sizes), and\n"
	"which personal data a small sample holds: counted and masked, never shown.\n"
	"\n"
	"Targets (as nmap and nuclei take them):\n"
	"  host, host:port, [v6addr]:port, 10.0.0.0/24, 10.0.0.5-20 (last octet),\n"
	"  http://host:port, https://host:port (that scheme only). A target without a\n"
	"  port gets every port of --ports.\n"
	"\n"
	"Services: Elasticsearch, OpenSearch, Kibana, Redis, memcached (TCP, and UDP\n"
	"as an amplifier), CouchDB, etcd, Docker API, ClickHouse (HTTP), RabbitMQ\n"
	"management; on any other port, whatever answers HTTP is named.\n"
	"\n"
	"Options:\n"
	"  -l, --list FILE        targets, one a line ('#' comments; '-': stdin)\n"
	"  -p, --ports LIST       ports of targets without one: 9200,6379,8000-8010,\n"
	"                         U:11211 for UDP (default: the data-store table of\n"
	"                         cordon audit --help)\n"
	"      --exclude LIST     addresses and blocks to leave out (comma-separated,\n"
	"                         repeatable)\n"
	"      --inventory        probe the endpoints of the config's assets\n"
	"                         (endpoint:), or of the ASSETs named\n"
	"      --from-audit FILE  probe the endpoints of the assets an audit's JSON\n"
	"                         report ('-': stdin) found exposed\n"
	"      --max-endpoints N  refuse targets making more endpoints (default 65536)\n"
	"      --sample N         records, keys or documents read per store (default 5)\n"
	"      --no-sample        check authentication only: read no data\n"
	"      --no-login         MySQL/MariaDB: do not try root and the anonymous user\n"
	"      --credentials FILE the owner's credentials, to sample PostgreSQL and\n"
	"                         MySQL stores that ask for them: lines of SERVICE\n"
	"                         (postgres, mysql) ENDPOINT (host:port, a block, *)\n"
	"                         USER PASSWORD; refused unless only its owner can\n"
	"                         read it (chmod 600)\n"
	"  -c, --concurrency N    endpoints in flight at once (default 256)\n"
	"      --connect-timeout T  TCP connect and TLS handshake (default 3s)\n"
	"      --timeout T        a reply that stops for this long is cut (default 5s)\n"
	"      --endpoint-timeout T  one endpoint's whole conversation (default 20s)\n"
	"      --deadline T       the whole run; endpoints not done by then are counted\n"
	"                         as not probed, and the exit is 3 (default: none)\n"
	"      --rate N           new connections per second to one host (default 100)\n"
	"      --reply-max SIZE   bytes kept of one reply; more is cut (default 256k)\n"
	"      --dry-run          print each endpoint and the requests its probe may\n"
	"                         send; send nothing\n"
	"  -v, --verbose          report endpoints that did not answer too\n"
	"      --report-format FMT  text (default), json (one finding per line) or\n"
	"                         sarif\n"
	"  -o, --output FILE      write the report here (whole or not at all)\n"
	"      --fail-on LEVEL    exit 1 when a finding is at or above LEVEL (high,\n"
	"                         critical)\n"
	"      --config FILE      the inventory (assets: with endpoint:, owner:,\n"
	"                         sensitivity:) findings join, the entities and rules\n"
	"                         the sample is scanned for, ignore: (default:\n"
	"                         $CORDON_CONFIG, else ./cordon.yaml when present)\n"
	"      --no-config        read no config file\n"
	"  -h, --help             this help\n"
	"\n"
	"T is a duration: 500ms, 3s, 2m, or seconds.\n"
	"\n"
	"Read-only: each probe sends only the requests on its list (cordon help\n"
	"probes, and --dry-run, show them; the library refuses any other), all\n"
	"reads. The one login tried is\n"
	"MySQL's root and anonymous user with an empty password (what an attacker\n"
	"tries first), which --no-login turns off.\n"
	"\n"
	"Severity: critical when it answers without authentication and the sample\n"
	"holds personal data; high when it answers without authentication; info\n"
	"when authentication is on, or what answers is not a data store.\n"
	"Exit: 0 done (or nothing at or above --fail-on), 1 a finding at or above\n"
	"--fail-on, 2 error, 3 the deadline came before every endpoint was probed.\n";

void help_probe(FILE *f) { fputs(usage, f); }

enum {
	OPT_EXCLUDE = 256,
	OPT_INVENTORY,
	OPT_FROM_AUDIT,
	OPT_MAX_ENDPOINTS,
	OPT_SAMPLE,
	OPT_NO_SAMPLE,
	OPT_NO_LOGIN,
	OPT_CREDENTIALS,
	OPT_CONNECT_TIMEOUT,
	OPT_TIMEOUT,
	OPT_ENDPOINT_TIMEOUT,
	OPT_DEADLINE,
	OPT_RATE,
	OPT_REPLY_MAX,
	OPT_DRY_RUN,
	OPT_REPORT_FORMAT,
	OPT_FAIL_ON,
	OPT_CONFIG,
	OPT_NO_CONFIG
};

enum { EXIT_INCOMPLETE = 3 };

/* "500ms", "3s", "2m", "1.5": milliseconds, > 0. */
static int parse_duration(const char *s, unsigned *ms)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v <= 0)
		return -1;
	double mul = 1000;
	if (!strcmp(end, "ms"))
		mul = 1;
	else if (!strcmp(end, "m"))
		mul = 60000;
	else if (!strcmp(end, "h"))
		mul = 3600000;
	else if (*end && strcmp(end, "s"))
		return -1;
	double r = v * mul;
	if (r < 1 || r > 86400000.0)
		return -1;
	*ms = (unsigned)r;
	return 0;
}

static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Calls fn(arg, line, length, name, number) for each line of path ('-':
 * stdin) until it returns non-zero; name is what messages call the file.
 * 0, or -1 after saying why. */
static int each_line(const char *path, int (*fn)(void *, char *, size_t, const char *, unsigned), void *arg)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	const char *name = strcmp(path, "-") ? path : "stdin";
	if (!f) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int rc = 0;
	while (!rc && (n = getline(&line, &cap, f)) >= 0)
		rc = fn(arg, line, (size_t)n, name, ++lineno);
	if (!rc && ferror(f)) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* -l FILE: one target a line; blanks and '#' comments skipped. */
static int list_line(void *arg, char *line, size_t n, const char *name, unsigned lineno)
{
	cordon_probe *p = arg;
	(void)n;
	char *s = line, *hash = strchr(s, '#');
	if (hash)
		*hash = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	if (!len)
		return 0;
	char where[300];
	snprintf(where, sizeof(where), "%s line %u", name, lineno);
	if (cordon_probe_add_target(p, s, where) != CORDON_OK) {
		cli_error("%s", cordon_probe_error(p));
		return -1;
	}
	return 0;
}

struct names {
	char **v;
	size_t n, cap;
	size_t without; /* exposed findings naming no asset */
};

static int names_add(struct names *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 0;
	char *copy = strdup(s);
	if (!copy || CLI_GROW(l->v, l->n + 1, l->cap)) {
		free(copy);
		cli_error("out of memory");
		return -1;
	}
	l->v[l->n++] = copy;
	return 0;
}

/* --from-audit: the assets of the audit's findings (JSON lines) that are
 * exposed (anything but platform_management and info). */
static int audit_line(void *arg, char *line, size_t n, const char *name, unsigned lineno)
{
	struct names *assets = arg;
	if (strspn(line, " \t\r\n") == n)
		return 0;
	json_t *j = json_loadb(line, n, 0, NULL);
	const char *kind = json_string_value(json_object_get(j, "kind"));
	const char *sev = json_string_value(json_object_get(j, "severity"));
	int rc = 0;
	if (!json_is_object(j) || !kind || !sev) {
		cli_error("%s line %u: not a finding of 'cordon audit --report-format json'", name, lineno);
		rc = -1;
	} else if (strcmp(kind, "platform_management") && strcmp(sev, "info")) {
		const char *asset = json_string_value(json_object_get(j, "asset"));
		if (asset)
			rc = names_add(assets, asset);
		else
			assets->without++;
	}
	json_decref(j);
	return rc;
}

/* Enough descriptors for the endpoints in flight (each one socket). */
static int room_for(unsigned concurrency)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)concurrency + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		cli_error("--concurrency %u needs %llu open files; the limit is %llu (ulimit -n)", concurrency,
			  (unsigned long long)need, (unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		cli_error("--concurrency %u needs %llu open files: %s", concurrency, (unsigned long long)need,
			  strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_probe(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "ports", required_argument, NULL, 'p' },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "inventory", no_argument, NULL, OPT_INVENTORY },
		{ "from-audit", required_argument, NULL, OPT_FROM_AUDIT },
		{ "max-endpoints", required_argument, NULL, OPT_MAX_ENDPOINTS },
		{ "sample", required_argument, NULL, OPT_SAMPLE },
		{ "no-sample", no_argument, NULL, OPT_NO_SAMPLE },
		{ "no-login", no_argument, NULL, OPT_NO_LOGIN },
		{ "credentials", required_argument, NULL, OPT_CREDENTIALS },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "endpoint-timeout", required_argument, NULL, OPT_ENDPOINT_TIMEOUT },
		{ "deadline", required_argument, NULL, OPT_DEADLINE },
		{ "rate", required_argument, NULL, OPT_RATE },
		{ "reply-max", required_argument, NULL, OPT_REPLY_MAX },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cordon_probe_options po = CORDON_PROBE_OPTIONS_INIT;
	const char *lists[16], *excludes[16], *ports = NULL, *from_audit = NULL, *config = NULL, *output = "-";
	const char *credentials = NULL;
	size_t nlists = 0, nexcludes = 0;
	unsigned long max_endpoints = 65536, v;
	int inventory = 0, dry_run = 0, no_config = 0, have_fail = 0, status = EXIT_CLEAN;
	cordon_report_format format = CORDON_REPORT_TEXT;
	cordon_severity fail_on = CORDON_SEV_CRITICAL;
	cordon_policy *policy = NULL;
	cordon_probe *probe = NULL;
	cordon_engine *engine = NULL;
	struct cordon_report_item *items = NULL;
	struct names only = { 0 };
	const char *failed = NULL;
	uint64_t count = 0;
	cordon_code rc;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":l:p:c:o:vh", longopts, NULL)) != -1) {
		const char *bad = NULL;
		switch (c) {
		case 'l':
			if (nlists == sizeof(lists) / sizeof(*lists))
				bad = "at most 16 -l files";
			else
				lists[nlists++] = optarg;
			break;
		case 'p':
			ports = optarg;
			break;
		case OPT_EXCLUDE:
			if (nexcludes == sizeof(excludes) / sizeof(*excludes))
				bad = "at most 16 --exclude options (each takes a comma-separated list)";
			else
				excludes[nexcludes++] = optarg;
			break;
		case OPT_INVENTORY:
			inventory = 1;
			break;
		case OPT_FROM_AUDIT:
			from_audit = optarg;
			break;
		case OPT_MAX_ENDPOINTS:
			if (parse_count(optarg, 100000000, &max_endpoints))
				bad = "--max-endpoints: give a number of endpoints";
			break;
		case OPT_SAMPLE:
			if (parse_count(optarg, 1000, &v))
				bad = "--sample: give a number from 1 to 1000 (or --no-sample)";
			else
				po.sample = (unsigned)v;
			break;
		case OPT_NO_SAMPLE:
			po.no_sample = 1;
			break;
		case OPT_NO_LOGIN:
			po.no_login = 1;
			break;
		case OPT_CREDENTIALS:
			credentials = optarg;
			break;
		case 'c':
			if (parse_count(optarg, 65536, &v))
				bad = "--concurrency: give a number from 1 to 65536";
			else
				po.concurrency = (unsigned)v;
			break;
		case OPT_CONNECT_TIMEOUT:
			if (parse_duration(optarg, &po.connect_timeout_ms))
				bad = "--connect-timeout: give a duration (500ms, 3s)";
			break;
		case OPT_TIMEOUT:
			if (parse_duration(optarg, &po.read_timeout_ms))
				bad = "--timeout: give a duration (500ms, 5s)";
			break;
		case OPT_ENDPOINT_TIMEOUT:
			if (parse_duration(optarg, &po.endpoint_timeout_ms))
				bad = "--endpoint-timeout: give a duration (20s)";
			break;
		case OPT_DEADLINE:
			if (parse_duration(optarg, &po.deadline_ms))
				bad = "--deadline: give a duration (10m)";
			break;
		case OPT_RATE:
			if (parse_count(optarg, 1000000, &v))
				bad = "--rate: give connections per second to one host";
			else
				po.rate = (double)v;
			break;
		case OPT_REPLY_MAX:
			if (cli_parse_size(optarg, &po.reply_max) || po.reply_max < 1024)
				bad = "--reply-max: give a size of at least 1k (64k, 1M)";
			break;
		case OPT_DRY_RUN:
			dry_run = 1;
			break;
		case 'v':
			po.verbose = 1;
			break;
		case OPT_REPORT_FORMAT:
			if (cordon_report_format_from_name(optarg, &format) != CORDON_OK)
				bad = "unknown report format: use text, json or sarif";
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_FAIL_ON:
			if (cordon_severity_from_name(optarg, &fail_on) != CORDON_OK || fail_on < CORDON_SEV_HIGH)
				bad = "unknown --fail-on level: use high or critical";
			have_fail = 1;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_NO_CONFIG:
			no_config = 1;
			break;
		case 'h':
			help_probe(stdout);
			return cli_close_stdout();
		default:
			return cli_option_error("probe", c, argv);
		}
		if (bad) {
			cli_error("%s ('%s')", bad, optarg ? optarg : "");
			return EXIT_ERROR;
		}
	}
	char **args = argv + optind;
	int nargs = argc - optind;
	if (!nargs && !nlists && !inventory && !from_audit) {
		cli_error("give targets, -l FILE, --inventory or --from-audit FILE (see 'cordon probe --help')");
		return EXIT_ERROR;
	}
	/* the report never replaces a list of targets or the audit read */
	struct place places[18] = { { output, "--output", 1 } };
	size_t nplaces = 1;
	for (size_t i = 0; i < nlists; i++)
		places[nplaces++] = (struct place){ lists[i], "-l", 0 };
	if (from_audit)
		places[nplaces++] = (struct place){ from_audit, "--from-audit", 0 };
	if (places_check(places, nplaces))
		return EXIT_ERROR;
	if (room_for(po.concurrency ? po.concurrency : 256))
		return EXIT_ERROR;
	config = cli_config_path(config, no_config);
	if (cli_policy_load(config, &policy))
		return EXIT_ERROR;
	if (!po.no_sample) {
		struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
		cordon_policy_engine_options(policy, &eo);
		char err[256] = "";
		eo.error = err;
		eo.error_len = sizeof(err);
		if (cordon_engine_new(&engine, &eo) != CORDON_OK) {
			cli_error("cannot set up detection: %s", err[0] ? err : "out of memory");
			status = EXIT_ERROR;
			goto out;
		}
		po.engine = engine;
	}
	if (cordon_probe_new(&probe, &po) != CORDON_OK) {
		cli_error("cannot set up the probe: out of memory");
		status = EXIT_ERROR;
		goto out;
	}
	if (credentials && cordon_probe_load_credentials(probe, credentials) != CORDON_OK) {
		cli_error("%s", cordon_probe_error(probe));
		status = EXIT_ERROR;
		goto out;
	}
	if (ports && cordon_probe_set_ports(probe, ports) != CORDON_OK) {
		cli_error("%s", cordon_probe_error(probe));
		status = EXIT_ERROR;
		goto out;
	}
	for (size_t i = 0; i < nexcludes; i++)
		if (cordon_probe_exclude(probe, excludes[i]) != CORDON_OK) {
			cli_error("%s", cordon_probe_error(probe));
			status = EXIT_ERROR;
			goto out;
		}
	for (int i = 0; i < nargs; i++)
		if (cordon_probe_add_target(probe, args[i], NULL) != CORDON_OK) {
			cli_error("%s", cordon_probe_error(probe));
			status = EXIT_ERROR;
			goto out;
		}
	for (size_t i = 0; i < nlists; i++)
		if (each_line(lists[i], list_line, probe)) {
			status = EXIT_ERROR;
			goto out;
		}
	if (from_audit) {
		if (each_line(from_audit, audit_line, &only)) {
			status = EXIT_ERROR;
			goto out;
		}
		if (only.without)
			cli_note("%zu exposed findings of the audit name no asset: give their stores an asset "
				 "with endpoint: in the config to probe them",
				 only.without);
		if (!only.n && !nargs && !nlists && !inventory) {
			cli_note("the audit found no exposed asset: nothing to probe");
			goto report;
		}
	}
	/* the inventory: always joined; probed with --inventory or --from-audit */
	if (inventory && !cordon_policy_asset_count(policy, 1) && !only.n) {
		cli_error(policy ? "--inventory: no asset of config '%s' has an endpoint:"
				 : "--inventory: no config file (%s) to read assets from",
			  config ? config : "give --config");
		status = EXIT_ERROR;
		goto out;
	}
	rc = cordon_policy_apply_probe(policy, probe, inventory || only.n, (const char *const *)only.v,
						   only.n, &failed);
	if (rc != CORDON_OK) {
		if (rc == CORDON_ERR_ARG && failed)
			cli_error("asset '%s' is not in the inventory%s, or has no endpoint: to probe", failed,
				  config ? "" : " (no config file)");
		else
			cli_error("asset '%s': %s", failed ? failed : "?",
				  rc == CORDON_ERR_NOMEM ? "out of memory" : cordon_probe_error(probe));
		status = EXIT_ERROR;
		goto out;
	}
	if (cordon_probe_count(probe, max_endpoints, &count) != CORDON_OK) {
		cli_error("%s (--max-endpoints)", cordon_probe_error(probe));
		status = EXIT_ERROR;
		goto out;
	}
	if (dry_run) {
		if (cordon_probe_dry_run(probe, stdout) != CORDON_OK) {
			cli_error("cannot write: %s", strerror(errno ? errno : EIO));
			status = EXIT_ERROR;
			goto out;
		}
		status = cli_close_stdout();
		goto out;
	}
report:;
	const struct cordon_exposure *ev = NULL;
	size_t en = 0, ni = 0;
	if (probe && count && (rc = cordon_probe_run(probe, &ev, &en)) != CORDON_OK) {
		cli_error("probe failed: %s", rc == CORDON_ERR_NOMEM ? "out of memory" : cordon_strerror(rc));
		status = EXIT_ERROR;
		goto out;
	}
	if (cordon_exposure_items(ev, en, &items, &ni) != CORDON_OK) {
		cli_error("out of memory");
		status = EXIT_ERROR;
		goto out;
	}
	cordon_policy_apply_ignores(policy, items, ni, time(NULL), NULL);
	struct output out;
	if (output_open(&out, output, "report", (mode_t)-1, NULL)) {
		status = EXIT_ERROR;
		goto out;
	}
	char *cwd = getcwd(NULL, 0);
	struct cordon_report_options ro = { .format = format, .uri_base = cwd,
					    .nothing = "No endpoint answered as a service.\n" };
	rc = cordon_report_exposures(out.f, &ro, items, ni);
	free(cwd);
	if (rc != CORDON_OK) {
		cli_error("cannot write the report to '%s': %s", output,
			  rc == CORDON_ERR_IO ? strerror(errno ? errno : EIO) : cordon_strerror(rc));
		output_abort(&out);
		status = EXIT_ERROR;
		goto out;
	}
	if (output_commit(&out) || cli_close_stdout()) {
		status = EXIT_ERROR;
		goto out;
	}
	struct cordon_probe_stats st;
	cordon_probe_stats(probe, &st);
	cli_note("%llu endpoints: %llu answered, %llu did not%s", (unsigned long long)st.endpoints,
		 (unsigned long long)st.answered, (unsigned long long)st.unreachable,
		 po.verbose || !st.unreachable ? "" : " (-v lists them)");
	/* in = out: every endpoint is answered, unreachable or not probed */
	if (st.answered + st.unreachable + st.not_probed != st.endpoints) {
		cli_error("internal error: %llu endpoints, but %llu answered, %llu unreachable and %llu not probed",
			  (unsigned long long)st.endpoints, (unsigned long long)st.answered,
			  (unsigned long long)st.unreachable, (unsigned long long)st.not_probed);
		status = EXIT_ERROR;
		goto out;
	}
	for (size_t k = 0; have_fail && k < ni; k++)
		if (cordon_report_item_fails(&items[k], fail_on, 0))
			status = EXIT_FOUND;
	if (st.not_probed) {
		cli_error("the deadline came first: %llu endpoints not probed", (unsigned long long)st.not_probed);
		if (status == EXIT_CLEAN)
			status = EXIT_INCOMPLETE;
	}
out:
	free(items);
	for (size_t i = 0; i < only.n; i++)
		free(only.v[i]);
	free(only.v);
	cordon_probe_free(probe);
	cordon_engine_free(engine);
	cordon_policy_free(policy);
	return status;
}
