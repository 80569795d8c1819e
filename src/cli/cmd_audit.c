/* cordon audit: who on the Internet can reach which data store, through
 * which rule; and, with --baseline, what a change opens, widens, narrows
 * and closes. The findings, their diff and their reports are the
 * library's (cordon/findings.h); this file reads the command line and the
 * files, and decides the exit code. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "output.h"

static const char usage_head[] =
	"Usage: cordon audit [options] FILE|DIR...\n"
	"       cordon audit [options] --baseline OLD... -- NEW...\n"
	"\n"
	"Reads exported network rules and reports, for each rule set and each\n"
	"data-store port, the Internet addresses that can reach it and the rule that\n"
	"lets them in. Rules are walked as the platform does: priority order, a deny\n"
	"above an allow hiding it. Reads data-store configurations too, and reports\n"
	"stores that answer without authentication. A DIR is read whole: its .json\n"
	"files and the configuration files it knows by name, in name order.\n"
	"\n"
	"Inputs (network rules told apart by content, configs by file name, or --type):\n";

static const char usage_tail[] =
	"\n"
	"Options:\n"
	"  -t, --type TYPE        read every FILE as TYPE\n"
	"      --report-format FMT  text (default, grouped by resource), json (one\n"
	"                         finding per line) or sarif (SARIF 2.1.0)\n"
	"  -f, --format FMT       the same as --report-format\n"
	"  -o, --output FILE      write the report here (whole or not at all; '-':\n"
	"                         stdout, the default)\n"
	"      --fail-on LEVEL    exit 1 when a finding is at or above LEVEL (medium,\n"
	"                         high, critical); with --baseline, only one the\n"
	"                         change opens or widens, never one it narrows or\n"
	"                         closes; never one the config's ignore: list accepts\n"
	"      --datastore NAME:PORT[-PORT][/udp]\n"
	"                         check this port too (repeatable); the built-in\n"
	"                         table has Elasticsearch 9200/9300, Kibana 5601,\n"
	"                         Redis 6379, PostgreSQL 5432, MySQL 3306, MongoDB\n"
	"                         27017-27019, memcached 11211 tcp+udp, Cassandra,\n"
	"                         CouchDB, etcd, RabbitMQ, Kafka, SQL Server, Oracle,\n"
	"                         ClickHouse, Docker API\n"
	"      --baseline         the files up to \"--\" are the old state, the rest\n"
	"                         the new: report what the change opens, widens,\n"
	"                         narrows and closes, with what each was before\n"
	"      --config FILE      the inventory (assets:) joining network and config\n"
	"                         facts, and accepted findings (ignore:) (default:\n"
	"                         $CORDON_CONFIG, else ./cordon.yaml when present,\n"
	"                         named on stderr)\n"
	"      --no-config        read no config file\n"
	"  -h, --help             this help\n"
	"\n"
	"Severity: critical when reachable from the Internet and the inventory, or\n"
	"the asset's config, says it has no authentication; high when reachable\n"
	"from the Internet (or a config without authentication listens beyond\n"
	"loopback); medium when an explicit rule lets in a broad private range\n"
	"(65,536 addresses or more), or a config without authentication listens on\n"
	"loopback only; info for a port the platform reaches for its own\n"
	"management (Azure SQL Managed Instance) from its service tags only.\n"
	"Each finding has a fingerprint, stable across runs; to accept one, list\n"
	"it in the config:\n"
	"  ignore:\n"
	"    - fingerprint: 0123456789abcdef\n"
	"      reason: reviewed, vendor range (TICKET-123)\n"
	"      expires: 2027-03-31\n"
	"Exit: 0 done (or nothing at or above --fail-on), 1 a finding at or above\n"
	"--fail-on, 2 error.\n";

void help_audit(FILE *f)
{
	fputs(usage_head, f);
	const char *what;
	for (size_t i = 0; cordon_audit_type(i, &what); i++)
		fprintf(f, "  %-13s %s\n", cordon_audit_type(i, NULL), what);
	fputs(usage_tail, f);
}

enum { OPT_FAIL_ON = 256, OPT_DATASTORE, OPT_BASELINE, OPT_CONFIG, OPT_NO_CONFIG, OPT_REPORT_FORMAT };

struct datastore_opt {
	char *name;
	unsigned lo, hi;
	cordon_protocol proto;
};

static int parse_datastore(const char *arg, struct datastore_opt *d)
{
	const char *colon = strrchr(arg, ':');
	if (!colon || colon == arg)
		return -1;
	char *end;
	errno = 0;
	unsigned long lo = strtoul(colon + 1, &end, 10), hi = lo;
	if (end == colon + 1 || colon[1] == '-' || colon[1] == '+')
		return -1;
	if (*end == '-') {
		const char *h = end + 1;
		if (*h == '-' || *h == '+')
			return -1;
		hi = strtoul(h, &end, 10);
		if (end == h)
			return -1;
	}
	d->proto = CORDON_PROTO_TCP;
	if (!strcmp(end, "/udp"))
		d->proto = CORDON_PROTO_UDP;
	else if (*end && strcmp(end, "/tcp"))
		return -1;
	if (errno || lo > hi || hi > 65535)
		return -1;
	d->lo = (unsigned)lo;
	d->hi = (unsigned)hi;
	d->name = strndup(arg, (size_t)(colon - arg));
	return d->name ? 0 : -1;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (CLI_GROW(buf, n + 65536, cap)) {
			free(buf);
			buf = NULL;
			errno = ENOMEM;
			break;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad || !buf) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* The file names to read: FILE as it is, DIR's files (recursively, in name
 * order) that are .json exports or configuration files known by name. */
struct file_list {
	char **v;
	size_t n, cap;
	size_t skipped; /* DIR files of no type audit knows by name */
};

static int add_file(struct file_list *l, const char *path)
{
	char *copy = strdup(path);
	if (!copy || CLI_GROW(l->v, l->n + 1, l->cap)) {
		free(copy);
		cli_error("out of memory");
		return -1;
	}
	l->v[l->n++] = copy;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static int add_dir(struct file_list *l, const char *dir, int depth)
{
	if (depth > 32) {
		cli_error("cannot read '%s': directories nested more than 32 deep", dir);
		return -1;
	}
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name);
	if (n < 0) {
		cli_error("cannot read directory '%s': %s", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path = NULL;
		struct stat st;
		if (rc || name[0] == '.') /* ., .., and hidden files: .git, editors' swap files */
			goto next;
		if (asprintf(&path, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", name) < 0) {
			path = NULL;
			cli_error("out of memory");
			rc = -1;
			goto next;
		}
		if (lstat(path, &st) < 0) {
			cli_error("cannot read '%s': %s", path, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = add_dir(l, path, depth + 1);
		} else if (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			l->skipped++; /* a link to a directory: not followed (loops) */
		} else if (ends_with(name, ".json") || cordon_audit_config_type(name)) {
			rc = add_file(l, path);
		} else {
			l->skipped++;
		}
next:
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

static int expand(struct file_list *l, char **args, int n)
{
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(args[i], "-") && stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = l->n, skipped = l->skipped;
			if (add_dir(l, args[i], 0))
				return -1;
			if (l->n == before) {
				cli_error("'%s' holds no .json export and no configuration file audit knows by name", args[i]);
				return -1;
			}
			if (l->skipped > skipped)
				cli_note("'%s': %zu files skipped, neither .json nor a configuration file known by name "
					 "(give them as FILE with --type to read them)",
					 args[i], l->skipped - skipped);
		} else if (add_file(l, args[i])) {
			return -1;
		}
	}
	return 0;
}

static void files_free(struct file_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		free(l->v[k]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* An audit of the files with the extra data stores and the inventory. */
static cordon_audit *audit_files(const struct file_list *files, const char *type, const struct datastore_opt *ds,
				 size_t nds, const cordon_policy *policy)
{
	cordon_audit *a;
	if (cordon_audit_new(&a) != CORDON_OK) {
		cli_error("cannot set up the audit: out of memory");
		return NULL;
	}
	if (cordon_policy_apply_audit(policy, a) != CORDON_OK) {
		cli_error("out of memory");
		cordon_audit_free(a);
		return NULL;
	}
	for (size_t k = 0; k < nds; k++)
		if (cordon_audit_add_datastore(a, ds[k].name, ds[k].lo, ds[k].hi, ds[k].proto) != CORDON_OK) {
			cli_error("out of memory");
			cordon_audit_free(a);
			return NULL;
		}
	for (size_t i = 0; i < files->n; i++) {
		size_t len = 0;
		errno = 0;
		char *data = read_all(files->v[i], &len);
		if (!data) {
			cli_error("cannot read '%s': %s", files->v[i], strerror(errno ? errno : EIO));
			cordon_audit_free(a);
			return NULL;
		}
		cordon_code rc = cordon_audit_load(a, files->v[i], data, len, type);
		free(data);
		if (rc != CORDON_OK) {
			if (rc == CORDON_ERR_PARSE)
				cli_error("%s%s", cordon_audit_error(a),
					  strstr(cordon_audit_error(a), "name its type") ? " with --type" : "");
			else
				cli_error("cannot audit '%s': %s", files->v[i], cordon_strerror(rc));
			cordon_audit_free(a);
			return NULL;
		}
	}
	return a;
}

/* Says which ignore: entries expired or matched nothing. */
static void check_ignores(const cordon_policy *policy, const char *config, const size_t *matched, time_t now)
{
	const struct cordon_ignore *ig;
	size_t n;
	cordon_policy_ignores(policy, &ig, &n);
	for (size_t k = 0; k < n; k++) {
		if (ig[k].expires && ig[k].expires <= now && matched[k]) {
			char day[16];
			time_t last = ig[k].expires - 86400;
			struct tm tm;
			strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&last, &tm));
			cli_note("config '%s' line %u: the ignore of %s expired after %s: the finding is reported again",
				 config, ig[k].line, ig[k].fingerprint, day);
		} else if (!matched[k]) {
			cli_note("config '%s' line %u: ignore %s matched no finding (fixed, or a stale entry)", config,
				 ig[k].line, ig[k].fingerprint);
		}
	}
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "datastore", required_argument, NULL, OPT_DATASTORE },
		{ "baseline", no_argument, NULL, OPT_BASELINE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL, *config = NULL, *output = "-";
	int baseline = 0, have_fail = 0, no_config = 0, status = EXIT_CLEAN;
	cordon_report_format format = CORDON_REPORT_TEXT;
	cordon_severity fail_on = CORDON_SEV_CRITICAL;
	struct datastore_opt ds[64];
	size_t nds = 0;
	struct file_list old_files = { 0 }, new_files = { 0 };
	cordon_policy *policy = NULL;
	cordon_audit *now = NULL, *old = NULL;
	struct cordon_report_item *items = NULL;
	size_t *matched = NULL;
	/* "--" splits old files from new ones: options are read before it only */
	int dash = argc;
	for (int i = 1; i < argc && dash == argc; i++)
		if (!strcmp(argv[i], "--"))
			dash = i;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(dash, argv, ":t:f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			type = optarg;
			break;
		case 'f':
		case OPT_REPORT_FORMAT:
			if (cordon_report_format_from_name(optarg, &format) != CORDON_OK) {
				cli_error("unknown report format '%s': use text, json or sarif", optarg);
				status = EXIT_ERROR;
				goto out;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_FAIL_ON:
			if (cordon_severity_from_name(optarg, &fail_on) != CORDON_OK || fail_on == CORDON_SEV_INFO) {
				cli_error("unknown --fail-on level '%s': use medium, high or critical", optarg);
				status = EXIT_ERROR;
				goto out;
			}
			have_fail = 1;
			break;
		case OPT_DATASTORE:
			if (nds == sizeof(ds) / sizeof(*ds)) {
				cli_error("too many --datastore options: at most %zu", sizeof(ds) / sizeof(*ds));
				status = EXIT_ERROR;
				goto out;
			}
			if (parse_datastore(optarg, &ds[nds])) {
				cli_error("invalid --datastore '%s': give NAME:PORT[-PORT][/udp], e.g. Solr:8983", optarg);
				status = EXIT_ERROR;
				goto out;
			}
			nds++;
			break;
		case OPT_BASELINE:
			baseline = 1;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_NO_CONFIG:
			no_config = 1;
			break;
		case 'h':
			help_audit(stdout);
			status = cli_close_stdout();
			goto out;
		default:
			status = cli_option_error("audit", c, argv);
			goto out;
		}
	}
	int nold = baseline ? dash - optind : 0;
	char **new_args = baseline ? argv + dash + 1 : argv + optind;
	int nnew = baseline ? (dash < argc ? argc - dash - 1 : 0) : dash - optind + (dash < argc ? argc - dash - 1 : 0);
	if (!baseline && dash < argc) { /* "--" without --baseline: files on both sides */
		char **all = calloc((size_t)argc, sizeof(*all));
		int k = 0;
		if (!all) {
			cli_error("out of memory");
			status = EXIT_ERROR;
			goto out;
		}
		for (int i = optind; i < argc; i++)
			if (i != dash)
				all[k++] = argv[i];
		status = expand(&new_files, all, k) ? EXIT_ERROR : EXIT_CLEAN;
		free(all);
		if (status)
			goto out;
	} else if (expand(&new_files, new_args, nnew) || (baseline && expand(&old_files, argv + optind, nold))) {
		status = EXIT_ERROR;
		goto out;
	}
	if (!new_files.n || (baseline && (dash == argc || !old_files.n))) {
		cli_error(baseline ? "give old files, \"--\", then new files" : "give the exported files to audit");
		status = EXIT_ERROR;
		goto out;
	}
	struct place places[2] = { { output, "--output", 1 } };
	size_t nplaces = 1;
	for (size_t i = 0; i < new_files.n + old_files.n; i++) { /* the report never replaces an input */
		places[1] = (struct place){ i < new_files.n ? new_files.v[i] : old_files.v[i - new_files.n], "input", 0 };
		nplaces = 2;
		if (places_check(places, nplaces)) {
			status = EXIT_ERROR;
			goto out;
		}
	}
	config = cli_config_path(config, no_config);
	if (cli_policy_load(config, &policy)) {
		status = EXIT_ERROR;
		goto out;
	}
	const struct cordon_exposure *ev = NULL, *ov = NULL;
	size_t en = 0, on = 0, ni = 0;
	if (!(now = audit_files(&new_files, type, ds, nds, policy)) ||
	    (baseline && !(old = audit_files(&old_files, type, ds, nds, policy)))) {
		status = EXIT_ERROR;
		goto out;
	}
	cordon_code rc = cordon_audit_run(now, &ev, &en);
	if (rc == CORDON_OK && old)
		rc = cordon_audit_run(old, &ov, &on);
	if (rc == CORDON_OK)
		rc = baseline ? cordon_exposure_diff(ov, on, ev, en, 0, &items, &ni) : cordon_exposure_items(ev, en, &items, &ni);
	const struct cordon_ignore *ig;
	size_t nig;
	cordon_policy_ignores(policy, &ig, &nig);
	if (rc == CORDON_OK && nig && !(matched = calloc(nig, sizeof(*matched))))
		rc = CORDON_ERR_NOMEM;
	if (rc != CORDON_OK) {
		cli_error("audit failed: %s", cordon_strerror(rc));
		status = EXIT_ERROR;
		goto out;
	}
	time_t t = time(NULL);
	cordon_policy_apply_ignores(policy, items, ni, t, matched);
	if (nig)
		check_ignores(policy, config, matched, t);
	struct output out;
	if (output_open(&out, output, "report", (mode_t)-1, NULL)) {
		status = EXIT_ERROR;
		goto out;
	}
	char *cwd = getcwd(NULL, 0);
	struct cordon_report_options ro = { .format = format, .baseline = baseline, .uri_base = cwd };
	rc = cordon_report_exposures(out.f, &ro, items, ni);
	free(cwd);
	if (rc != CORDON_OK) {
		cli_error("cannot write the report to '%s': %s", output, rc == CORDON_ERR_IO ? strerror(errno ? errno : EIO)
										   : cordon_strerror(rc));
		output_abort(&out);
		status = EXIT_ERROR;
		goto out;
	}
	if (output_commit(&out) || cli_close_stdout()) {
		status = EXIT_ERROR;
		goto out;
	}
	for (size_t k = 0; have_fail && k < ni; k++)
		if (cordon_report_item_fails(&items[k], fail_on, baseline))
			status = EXIT_FOUND;
out:
	free(items);
	free(matched);
	cordon_audit_free(now);
	cordon_audit_free(old);
	cordon_policy_free(policy);
	files_free(&old_files);
	files_free(&new_files);
	for (size_t k = 0; k < nds; k++)
		free(ds[k].name);
	return status;
}
