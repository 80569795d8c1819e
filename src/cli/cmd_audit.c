/* cordon audit: who on the Internet can reach which data store, through
 * which rule; and, with --baseline, what a change opens and closes. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <unistd.h>
#include "cli.h"

static const char usage[] =
	"Usage: cordon audit [options] FILE...\n"
	"       cordon audit [options] --baseline OLD_FILE... -- NEW_FILE...\n"
	"\n"
	"Reads exported network rules and reports, for each rule set and each\n"
	"data-store port, the Internet addresses that can reach it and the rule that\n"
	"lets them in. Rules are walked as the platform does: priority order, a deny\n"
	"above an allow hiding it. Reads data-store configurations too, and reports\n"
	"stores that answer without authentication.\n"
	"\n"
	"Inputs (network rules told apart by content, configs by file name, or --type):\n"
	"  azure-nsg     az network nsg show / list, ARM or REST JSON\n"
	"  azure-nic     az network nic show / list: pairs NIC and subnet NSGs\n"
	"  aws-sg        aws ec2 describe-security-groups\n"
	"  aws-nacl      aws ec2 describe-network-acls\n"
	"  gcp-firewall  gcloud compute firewall-rules list --format=json\n"
	"  elasticsearch elasticsearch.yml, opensearch.yml\n"
	"  redis         redis.conf\n"
	"  pg_hba        pg_hba.conf (with postgresql.conf of the same directory)\n"
	"  postgresql    postgresql.conf\n"
	"  mongod        mongod.conf\n"
	"  mysql         my.cnf, mysqld.cnf, mariadb.cnf, 50-server.cnf\n"
	"  memcached     memcached.conf (Debian style), memcached (OPTIONS=)\n"
	"\n"
	"Options:\n"
	"  -t, --type TYPE        read every FILE as TYPE\n"
	"  -f, --format FMT       text (default, grouped by resource), json (one\n"
	"                         finding per line) or sarif (SARIF 2.1.0)\n"
	"      --fail-on LEVEL    exit 1 when a finding is at or above LEVEL (medium,\n"
	"                         high, critical); with --baseline, an opened one\n"
	"      --datastore NAME:PORT[-PORT][/udp]\n"
	"                         check this port too (repeatable); the built-in\n"
	"                         table has Elasticsearch 9200/9300, Kibana 5601,\n"
	"                         Redis 6379, PostgreSQL 5432, MySQL 3306, MongoDB\n"
	"                         27017-27019, memcached 11211 tcp+udp, Cassandra,\n"
	"                         CouchDB, etcd, RabbitMQ, Kafka, SQL Server, Oracle,\n"
	"                         ClickHouse, Docker API\n"
	"      --baseline         the files up to \"--\" are the old state, the rest\n"
	"                         the new: report what the change opens and closes\n"
	"      --config FILE      the inventory (assets:) joining network and config\n"
	"                         facts (default: $CORDON_CONFIG, else ./cordon.yaml\n"
	"                         when present, named on stderr)\n"
	"      --no-config        read no config file\n"
	"  -h, --help             this help\n"
	"\n"
	"Severity: critical when reachable from the Internet and the inventory, or\n"
	"the asset's config, says it has no authentication; high when reachable\n"
	"from the Internet (or a config without authentication listens beyond\n"
	"loopback); medium when an explicit rule lets in a broad private range\n"
	"(65,536 addresses or more), or a config without authentication listens on\n"
	"loopback only.\n"
	"Exit: 0 done (or nothing at or above --fail-on), 1 a finding at or above\n"
	"--fail-on, 2 error.\n";

enum { OPT_FAIL_ON = 256, OPT_DATASTORE, OPT_BASELINE, OPT_CONFIG, OPT_NO_CONFIG };

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
	unsigned long lo = strtoul(colon + 1, &end, 10), hi = lo;
	if (end == colon + 1)
		return -1;
	if (*end == '-') {
		const char *h = end + 1;
		hi = strtoul(h, &end, 10);
		if (end == h)
			return -1;
	}
	d->proto = CORDON_PROTO_TCP;
	if (!strcmp(end, "/udp"))
		d->proto = CORDON_PROTO_UDP;
	else if (*end && strcmp(end, "/tcp"))
		return -1;
	if (lo > hi || hi > 65535)
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
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* An audit of files[0..n) with the extra data stores and the inventory. */
static cordon_audit *audit_files(char **files, int n, const char *type, const struct datastore_opt *ds, size_t nds,
				 const cordon_policy *policy)
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
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		char *data = read_all(files[i], &len);
		if (!data) {
			cli_error("cannot read '%s': %s", files[i], strerror(errno ? errno : EIO));
			cordon_audit_free(a);
			return NULL;
		}
		cordon_code rc = cordon_audit_load(a, files[i], data, len, type);
		free(data);
		if (rc != CORDON_OK) {
			cli_error("%s", rc == CORDON_ERR_PARSE ? cordon_audit_error(a) : cordon_strerror(rc));
			cordon_audit_free(a);
			return NULL;
		}
	}
	return a;
}

static const char *proto_name(cordon_protocol p)
{
	return p == CORDON_PROTO_UDP ? "udp" : "tcp";
}

/* A finding and, with --baseline, what the change did to it. */
struct item {
	const struct cordon_exposure *e;
	const char *change; /* NULL, "opened", "closed", "changed" */
};

static int by_key(const void *pa, const void *pb)
{
	const struct cordon_exposure *a = *(const struct cordon_exposure *const *)pa,
				     *b = *(const struct cordon_exposure *const *)pb;
	int c = strcmp(a->platform, b->platform);
	if (!c)
		c = strcmp(a->resource, b->resource);
	if (!c)
		c = (int)a->port - (int)b->port;
	if (!c)
		c = (int)a->protocol - (int)b->protocol;
	if (!c)
		c = strcmp(a->kind, b->kind);
	return c;
}

/* The change from old (ov) to new (ev): both sorted by key and merged, so a
 * baseline of thousands of findings costs n log n, not n². */
static int compare(const struct cordon_exposure *ev, size_t en, const struct cordon_exposure *ov, size_t on,
		   struct item *items, size_t *ni)
{
	const struct cordon_exposure **e = calloc(en + 1, sizeof(*e)), **o = calloc(on + 1, sizeof(*o));
	if (!e || !o) {
		free(e);
		free(o);
		return -1;
	}
	for (size_t k = 0; k < en; k++)
		e[k] = &ev[k];
	for (size_t k = 0; k < on; k++)
		o[k] = &ov[k];
	qsort(e, en, sizeof(*e), by_key);
	qsort(o, on, sizeof(*o), by_key);
	size_t i = 0, j = 0;
	while (i < en || j < on) {
		int c = i == en ? 1 : j == on ? -1 : by_key(&e[i], &o[j]);
		if (c < 0) {
			items[(*ni)++] = (struct item){ e[i++], "opened" };
		} else if (c > 0) {
			items[(*ni)++] = (struct item){ o[j++], "closed" };
		} else {
			if (strcmp(e[i]->sources, o[j]->sources) || e[i]->severity != o[j]->severity)
				items[(*ni)++] = (struct item){ e[i], "changed" };
			i++, j++;
		}
	}
	free(e);
	free(o);
	return 0;
}

static json_t *to_json(const struct item *it)
{
	const struct cordon_exposure *e = it->e;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", e->kind, "severity",
			      cordon_severity_name(e->severity), "platform", e->platform, "resource", e->resource,
			      "port", (json_int_t)e->port, "protocol", proto_name(e->protocol), "datastore",
			      e->datastore, "sources", e->sources, "rule", e->rule, "rules", e->rules, "file", e->file);
	if (o && it->change)
		json_object_set_new(o, "change", json_string(it->change));
	if (o && e->asset)
		json_object_set_new(o, "asset", json_string(e->asset));
	if (o && e->sensitivity)
		json_object_set_new(o, "sensitivity", json_string(e->sensitivity));
	return o;
}

/* Text groups by file and resource, worst first within each. */
static int by_resource(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c = strcmp(a->e->file, b->e->file);
	if (!c)
		c = strcmp(a->e->resource, b->e->resource);
	if (!c && a->e->severity != b->e->severity)
		c = a->e->severity > b->e->severity ? -1 : 1;
	if (!c)
		c = (int)a->e->port - (int)b->e->port;
	if (!c)
		c = (int)a->e->protocol - (int)b->e->protocol;
	return c;
}

static int print_text(struct item *v, size_t n, int baseline)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), by_resource);
	const char *last = NULL, *last_file = NULL;
	if (!n)
		printf(baseline ? "No exposure opened or closed.\n" : "No data-store port is reachable.\n");
	for (size_t k = 0; k < n; k++) {
		const struct cordon_exposure *e = v[k].e;
		if (!last || strcmp(last, e->resource) || strcmp(last_file, e->file))
			printf("%s%s %s (%s)\n", k ? "\n" : "", e->platform, e->resource, e->file);
		last = e->resource;
		last_file = e->file;
		char sev[16];
		size_t i = 0;
		for (const char *s = cordon_severity_name(e->severity); *s && i + 1 < sizeof(sev); s++)
			sev[i++] = (char)(*s - 'a' + 'A');
		sev[i] = '\0';
		int net = !strcmp(e->kind, "network_exposure");
		printf("  %s%s%-8s %5u/%s  %-26s %s%s\n           %s %s\n", v[k].change ? v[k].change : "",
		       v[k].change ? " " : "", sev, e->port, proto_name(e->protocol), e->datastore, net ? "from " : "",
		       e->sources, net ? "via" : "because", e->rules);
		if (e->asset)
			printf("           asset %s%s%s\n", e->asset, e->sensitivity ? ": " : "",
			       e->sensitivity ? e->sensitivity : "");
	}
	return 0;
}

static int print_json(const struct item *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		json_t *o = to_json(&v[k]);
		if (!o || json_dumpf(o, stdout, JSON_COMPACT) || putchar('\n') == EOF) {
			json_decref(o);
			return -1;
		}
		json_decref(o);
	}
	return 0;
}

static int print_sarif(const struct item *v, size_t n)
{
	json_t *results = json_array();
	for (size_t k = 0; k < n; k++) {
		const struct cordon_exposure *e = v[k].e;
		char msg[2048];
		snprintf(msg, sizeof(msg), "%s%s%s %s port %u/%s (%s) is reachable from %s, let in by %s.",
			 v[k].change ? v[k].change : "", v[k].change ? ": " : "", e->platform, e->resource, e->port,
			 proto_name(e->protocol), e->datastore, e->sources, e->rules);
		const char *level = e->severity >= CORDON_SEV_HIGH ? "error" : e->severity == CORDON_SEV_MEDIUM ? "warning" : "note";
		json_t *r = json_pack("{s:s, s:s, s:{s:s}, s:[{s:{s:{s:s}}, s:[{s:s, s:s}]}], s:o}", "ruleId", e->kind,
				      "level", level, "message", "text", msg, "locations", "physicalLocation",
				      "artifactLocation", "uri", e->file, "logicalLocations", "name", e->resource,
				      "kind", "resource", "properties", to_json(&v[k]));
		if (!r || json_array_append_new(results, r)) {
			json_decref(results);
			return -1;
		}
	}
	json_t *doc = json_pack(
		"{s:s, s:s, s:[{s:{s:{s:s, s:s, s:[{s:s, s:{s:s}, s:{s:s}}]}}, s:o}]}", "$schema",
		"https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool", "driver", "name",
		"cordon", "version", cordon_version(), "rules", "id",
		"network_exposure", "shortDescription", "text", "A data-store port reachable from the Internet or a broad range",
		"fullDescription", "text",
		"Network rules, walked in priority order, let addresses reach a data-store port.", "results", results);
	if (!doc)
		return -1;
	int rc = json_dumpf(doc, stdout, JSON_INDENT(2)) || putchar('\n') == EOF ? -1 : 0;
	json_decref(doc);
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "datastore", required_argument, NULL, OPT_DATASTORE },
		{ "baseline", no_argument, NULL, OPT_BASELINE },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *type = NULL, *format = "text", *config = NULL;
	int baseline = 0, have_fail = 0, no_config = 0, status = EXIT_CLEAN;
	cordon_severity fail_on = CORDON_SEV_CRITICAL;
	struct datastore_opt ds[64];
	size_t nds = 0;
	/* "--" splits old files from new ones: options are read before it only */
	int dash = argc;
	for (int i = 1; i < argc && dash == argc; i++)
		if (!strcmp(argv[i], "--"))
			dash = i;
	char **files = calloc((size_t)argc + 1, sizeof(*files));
	if (!files) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(dash, argv, ":t:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			type = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "sarif")) {
				cli_error("unknown format '%s': use text, json or sarif", optarg);
				status = EXIT_ERROR;
				goto out;
			}
			format = optarg;
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
			fputs(usage, stdout);
			status = cli_close_stdout();
			goto out;
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			status = EXIT_ERROR;
			goto out;
		default:
			if (optopt && optopt != '?')
				cli_error("unknown option '-%c' (see 'cordon audit --help')", optopt);
			else
				cli_error("unknown option '%s' (see 'cordon audit --help')", argv[optind - 1]);
			status = EXIT_ERROR;
			goto out;
		}
	}
	int nfiles = 0, nold = 0;
	for (int i = optind; i < dash; i++)
		files[nfiles++] = argv[i];
	nold = baseline ? nfiles : 0;
	for (int i = dash + 1; i < argc; i++)
		files[nfiles++] = argv[i];
	if (nfiles < 1 || (baseline && (dash == argc || nold < 1 || nfiles - nold < 1))) {
		cli_error(baseline ? "give old files, \"--\", then new files" : "give the exported files to audit");
		status = EXIT_ERROR;
		goto out;
	}
	config = cli_config_path(config, no_config);
	cordon_policy *policy = NULL;
	if (cli_policy_load(config, &policy)) {
		status = EXIT_ERROR;
		goto out;
	}
	cordon_audit *now = audit_files(files + nold, nfiles - nold, type, ds, nds, policy);
	cordon_audit *old = now && baseline ? audit_files(files, nold, type, ds, nds, policy) : NULL;
	const struct cordon_exposure *ev = NULL, *ov = NULL;
	size_t en = 0, on = 0;
	struct item *items = NULL;
	size_t ni = 0;
	if (!now || (baseline && !old) || cordon_audit_run(now, &ev, &en) != CORDON_OK ||
	    (old && cordon_audit_run(old, &ov, &on) != CORDON_OK) || !(items = calloc(en + on + 1, sizeof(*items)))) {
		if (now && (!baseline || old))
			cli_error("audit failed: out of memory");
		status = EXIT_ERROR;
	} else {
		if (!baseline) {
			for (size_t k = 0; k < en; k++)
				items[ni++] = (struct item){ &ev[k], NULL };
		} else if (compare(ev, en, ov, on, items, &ni)) {
			cli_error("audit failed: out of memory");
			status = EXIT_ERROR;
		}
		int w = !strcmp(format, "json") ? print_json(items, ni)
			: !strcmp(format, "sarif") ? print_sarif(items, ni)
						   : print_text(items, ni, baseline);
		if (w || cli_close_stdout())
			status = EXIT_ERROR;
		for (size_t k = 0; status == EXIT_CLEAN && have_fail && k < ni; k++)
			if (items[k].e->severity >= fail_on && (!items[k].change || strcmp(items[k].change, "closed")))
				status = EXIT_FOUND;
	}
	free(items);
	cordon_audit_free(now);
	cordon_audit_free(old);
	cordon_policy_free(policy);
out:
	for (size_t k = 0; k < nds; k++)
		free(ds[k].name);
	free(files);
	return status;
}
