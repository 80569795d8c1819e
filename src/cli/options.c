/* Options shared by the record commands (redact, scan), their checks and the
 * run summary, so both commands take and explain them the same way. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

enum {
	OPT_FIELD = 256, OPT_MIN_SCORE, OPT_OPERATOR, OPT_KEY_FILE, OPT_QUARANTINE,
	OPT_MAX_RECORD, OPT_JSON, OPT_SUMMARY_JSON, OPT_IN_PLACE, OPT_CONFIG, OPT_SUBJECTS,
	OPT_ID_FIELD, OPT_EXPLAIN, OPT_NO_CONFIG, OPT_ENCODING, OPT_MEMORY, OPT_REPORT_FORMAT, OPT_REGION,
	OPT_PROGRESS
};

int cli_parse_jobs(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 || v > 256)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int cli_parse_time(const char *s, size_t n, time_t *out)
{
	char buf[40];
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = strptime(buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(buf, "%Y-%m-%d", &tm);
	}
	if (!end || *end)
		return -1;
	*out = timegm(&tm);
	return 0;
}

int cli_parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	unsigned long long mul = 1;
	switch (*end) {
	case 'k': case 'K': mul = 1ull << 10; end++; break;
	case 'm': case 'M': mul = 1ull << 20; end++; break;
	case 'g': case 'G': mul = 1ull << 30; end++; break;
	}
	if (*end == 'i' || *end == 'B')
		end += *end == 'i' ? 1 : 0;
	if (*end == 'B')
		end++;
	if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

static int parse_entities(const struct record_options *o, const char *list, uint64_t *mask)
{
	*mask = 0;
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char name[64];
		cordon_entity e;
		if (n >= sizeof(name) || (memcpy(name, p, n), name[n] = '\0',
					  cordon_policy_entity(o->policy, name, &e) != CORDON_OK)) {
			cli_error("unknown entity '%.*s' (see --help for the list)", (int)n, p);
			return -1;
		}
		*mask |= CORDON_ENTITY_BIT(e);
		p += n + (comma ? 1 : 0);
	}
	if (!*mask) {
		cli_error("no entity named in '%s'", list);
		return -1;
	}
	return 0;
}

/* Which commands take an option: bits of 1 << enum record_command. */
#define R (1u << RECORDS_REDACT)
#define S (1u << RECORDS_SCAN)
#define T (1u << RECORDS_RESTORE)
#define W (1u << RECORDS_WORKER)

struct option_use {
	int code;
	unsigned commands;
};

static const struct option_use uses[] = {
	{ 'f', R | S | T | W }, { OPT_FIELD, R | S | W }, { 'e', R | S | W }, { OPT_MIN_SCORE, R | S | W },
	{ OPT_OPERATOR, R | W }, { OPT_KEY_FILE, R | S | T | W }, { 'o', R | S | T }, { OPT_QUARANTINE, R | S | T | W },
	{ OPT_MAX_RECORD, R | S | T | W }, { OPT_JSON, S }, { OPT_SUMMARY_JSON, R | S | T }, { OPT_IN_PLACE, R },
	{ 'j', R | S | T }, { OPT_CONFIG, R | S | W }, { OPT_NO_CONFIG, R | S | W }, { OPT_SUBJECTS, S },
	{ OPT_EXPLAIN, S }, { OPT_ID_FIELD, S }, { OPT_ENCODING, R | S | T }, { OPT_MEMORY, R | S | T },
	{ 'q', R | S | T | W }, { 'h', R | S | T | W }, { OPT_REPORT_FORMAT, S }, { OPT_REGION, R | S | W },
	{ OPT_PROGRESS, R | S | T },
};

static const char *const command_names[] = { "redact", "scan", "restore", "worker" };

static int takes(enum record_command cmd, int code)
{
	for (size_t i = 0; i < sizeof(uses) / sizeof(*uses); i++)
		if (uses[i].code == code)
			return (uses[i].commands >> cmd) & 1;
	return 0;
}

/* The option as typed: "-o" or "--operator". */
static void option_name(const struct option *longopts, int c, int longindex, char *out, size_t cap)
{
	if (longindex >= 0)
		snprintf(out, cap, "--%s", longopts[longindex].name);
	else
		snprintf(out, cap, "-%c", c);
}

int record_options_parse(struct record_options *o, enum record_command cmd, int argc, char **argv,
			 const char *usage)
{
	return record_options_parse_extra(o, cmd, argc, argv, usage, NULL);
}

int record_options_parse_extra(struct record_options *o, enum record_command cmd, int argc, char **argv,
			       const char *usage, const struct record_extra *extra)
{
	static const struct option base[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "field", required_argument, NULL, OPT_FIELD },
		{ "entities", required_argument, NULL, 'e' },
		{ "min-score", required_argument, NULL, OPT_MIN_SCORE },
		{ "operator", required_argument, NULL, OPT_OPERATOR },
		{ "key-file", required_argument, NULL, OPT_KEY_FILE },
		{ "output", required_argument, NULL, 'o' },
		{ "quarantine", required_argument, NULL, OPT_QUARANTINE },
		{ "max-record", required_argument, NULL, OPT_MAX_RECORD },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "summary-json", required_argument, NULL, OPT_SUMMARY_JSON },
		{ "in-place", no_argument, NULL, OPT_IN_PLACE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "subjects", no_argument, NULL, OPT_SUBJECTS },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "id-field", required_argument, NULL, OPT_ID_FIELD },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "progress", optional_argument, NULL, OPT_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
	};
	enum { NBASE = sizeof(base) / sizeof(*base) };
	/* the command's own options after the shared ones */
	struct option longopts[NBASE + 64];
	size_t nlong = NBASE;
	memcpy(longopts, base, sizeof(base));
	for (size_t i = 0; extra && extra->longopts[i].name && nlong + 1 < sizeof(longopts) / sizeof(*longopts); i++)
		longopts[nlong++] = extra->longopts[i];
	memset(&longopts[nlong], 0, sizeof(*longopts));
	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	memset(o, 0, sizeof(*o));
	o->engine = eo;
	o->op = cmd == RECORDS_RESTORE ? CORDON_OP_ENCRYPT : CORDON_OP_TAG;
	o->progress_every = -1;
	o->max_record = CORDON_STREAM_MAX_RECORD_DEFAULT;
	o->fields = calloc((size_t)argc + 1, sizeof(*o->fields));
	if (!o->fields) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	const char *config = NULL;
	optind = 1;
	opterr = 0;
	int c, longindex = -1;
	while ((c = getopt_long(argc, argv, ":f:e:o:j:qh", longopts, &longindex)) != -1) {
		char name[40], *end;
		if (extra && c >= 600) {
			longindex = -1;
			if (extra->take(extra->ctx, c, optarg))
				return EXIT_ERROR;
			continue;
		}
		if (c != '?' && c != ':' && !takes(cmd, c)) {
			option_name(longopts, c, longindex, name, sizeof(name));
			cli_error("option '%s' is not one of %s's (see 'cordon %s --help')", name, command_names[cmd],
				  command_names[cmd]);
			return EXIT_ERROR;
		}
		longindex = -1;
		switch (c) {
		case 'f':
			if (cordon_format_from_name(optarg, &o->format) != CORDON_OK) {
				char names[128] = "";
				for (cordon_format f = 0; cordon_format_name(f, NULL); f++)
					snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
						 f ? ", " : "", cordon_format_name(f, NULL));
				cli_error("unknown format '%s': use one of %s", optarg, names);
				return EXIT_ERROR;
			}
			o->format_set = 1;
			break;
		case OPT_FIELD:
			o->fields[o->nfields++] = optarg;
			break;
		case 'e':
			o->entities_arg = optarg; /* resolved after the config's rules */
			o->set.entities = 1;
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case OPT_NO_CONFIG:
			o->no_config = 1;
			break;
		case OPT_MIN_SCORE:
			errno = 0;
			o->engine.min_score = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->engine.min_score < 0 || o->engine.min_score > 1) {
				cli_error("invalid --min-score '%s': give a number from 0 to 1", optarg);
				return EXIT_ERROR;
			}
			o->set.min_score = 1;
			break;
		case OPT_OPERATOR:
			if (cordon_operator_from_name(optarg, &o->op) != CORDON_OK) {
				cli_error("unknown operator '%s': use tag, mask, pseudonym or encrypt", optarg);
				return EXIT_ERROR;
			}
			o->set.op = 1;
			break;
		case OPT_KEY_FILE:
			o->key_file = optarg;
			break;
		case OPT_SUBJECTS:
			o->subjects = 1;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_ID_FIELD:
			o->id_field = optarg;
			break;
		case OPT_ENCODING:
			o->encoding = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_QUARANTINE:
			o->quarantine = optarg;
			break;
		case OPT_MAX_RECORD:
			if (cli_parse_size(optarg, &o->max_record)) {
				cli_error("invalid --max-record '%s': give bytes, or a number with K, M or G", optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_MEMORY:
			if (cli_parse_size(optarg, &o->memory)) {
				cli_error("invalid --memory '%s': give bytes, or a number with K, M or G", optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_JSON:
			o->report_format = CORDON_REPORT_JSON;
			o->report_format_set = 1;
			break;
		case OPT_REGION:
			o->region = optarg; /* checked by the engine, with the config's */
			break;
		case OPT_PROGRESS:
			o->progress_every = 10;
			if (optarg) {
				errno = 0;
				o->progress_every = strtod(optarg, &end);
				if (errno || end == optarg || *end || !(o->progress_every >= 0 && o->progress_every <= 86400)) {
					cli_error("invalid --progress '%s': give seconds, from 0 to 86400", optarg);
					return EXIT_ERROR;
				}
			}
			break;
		case OPT_REPORT_FORMAT:
			if (cordon_report_format_from_name(optarg, &o->report_format) != CORDON_OK) {
				cli_error("unknown report format '%s': use text, json or sarif", optarg);
				return EXIT_ERROR;
			}
			o->report_format_set = 1;
			break;
		case OPT_SUMMARY_JSON:
			o->summary_json = optarg;
			break;
		case OPT_IN_PLACE:
			o->in_place = 1;
			break;
		case 'j':
			if (cli_parse_jobs(optarg, &o->jobs)) {
				cli_error("invalid --jobs '%s': give a number from 1 to 256", optarg);
				return EXIT_ERROR;
			}
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return cli_close_stdout() ? EXIT_ERROR : -1;
		default:
			return cli_option_error(command_names[cmd], c, argv);
		}
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (cmd != RECORDS_RESTORE) {
		o->config = cli_config_path(config, o->no_config);
		if (cli_policy_load(o->config, &o->policy))
			return EXIT_ERROR;
	}
	/* the defaults, then the config, then the command line */
	double min_score = o->engine.min_score;
	cordon_policy_engine_options(o->policy, &o->engine);
	if (o->set.min_score)
		o->engine.min_score = min_score;
	if (o->region)
		o->engine.region = o->region;
	if (!o->set.op)
		cordon_policy_operator(o->policy, &o->op);
	cordon_policy_fields(o->policy, &o->policies, &o->npolicies);
	if (o->entities_arg && parse_entities(o, o->entities_arg, &o->engine.entities))
		return EXIT_ERROR;
	if (o->in_place && (o->output || !o->nfiles)) {
		cli_error(o->output ? "--in-place and --output exclude each other" : "--in-place needs FILE arguments");
		return EXIT_ERROR;
	}
	for (int i = 0; o->in_place && i < o->nfiles; i++)
		if (!strcmp(o->files[i], "-")) {
			cli_error("--in-place cannot rewrite stdin");
			return EXIT_ERROR;
		}
	return 0;
}

void record_options_release(struct record_options *o)
{
	free(o->fields);
	o->fields = NULL;
	cordon_policy_free(o->policy);
	o->policy = NULL;
}

int cli_load_key(cordon_redactor *r, const char *key_file, const char *needed_by)
{
	const char *env = getenv("CORDON_KEY");
	cordon_code rc;
	if (key_file) {
		if ((rc = cordon_redactor_set_key_file(r, key_file)) != CORDON_OK) {
			cli_error("%s", cordon_redactor_error(r));
			return -1;
		}
		return 1;
	}
	if (env && *env) {
		if ((rc = cordon_redactor_set_key(r, env, strlen(env))) != CORDON_OK) {
			cli_error("cannot use key 'CORDON_KEY': %s", cordon_redactor_error(r));
			return -1;
		}
		return 1;
	}
	if (needed_by) {
		cli_error("%s needs a key: --key-file FILE or CORDON_KEY", needed_by);
		return -1;
	}
	return 0;
}

int cli_redactor_setup(cordon_redactor *r, const struct record_options *o)
{
	if (cordon_policy_apply_redactor(o->policy, r) != CORDON_OK) {
		cli_error("cannot set up the redactor: out of memory");
		return -1;
	}
	int needed = cordon_redactor_needs_key(r);
	for (size_t i = 0; i < o->npolicies; i++)
		needed |= o->policies[i].action == CORDON_FIELD_PSEUDONYM;
	/* CORDON_KEY is read only when a key is needed: a run that needs none
	 * does not fail on it */
	if (!needed && !o->key_file)
		return 0;
	return cli_load_key(r, o->key_file,
			    o->op == CORDON_OP_ENCRYPT ? "the encrypt operator" : "the pseudonym operator") < 0;
}

void print_summary(const char *verb, const struct cordon_stream_stats *s, int redacting,
		   const cordon_engine *engine)
{
	uint64_t total = 0;
	for (unsigned e = 0; e < cordon_engine_entity_count(engine); e++)
		total += s->findings[e];
	fprintf(stderr, "cordon: %s %llu records: %llu out, %llu quarantined; ", verb,
		(unsigned long long)s->records_in, (unsigned long long)s->records_out,
		(unsigned long long)s->quarantined);
	if (s->restored || !strcmp(verb, "restored")) {
		fprintf(stderr, "%llu tokens turned back\n", (unsigned long long)s->restored);
		return;
	}
	fprintf(stderr, "%llu %s", (unsigned long long)total, redacting ? "replaced" : "found");
	const char *sep = ": ";
	for (unsigned e = 0; e < cordon_engine_entity_count(engine); e++) {
		if (!s->findings[e] || !cordon_engine_entity_name(engine, (cordon_entity)e))
			continue;
		fprintf(stderr, "%s%s %llu", sep, cordon_engine_entity_name(engine, (cordon_entity)e),
			(unsigned long long)s->findings[e]);
		sep = ", ";
	}
	fputc('\n', stderr);
}

void cli_put_json(FILE *f, const char *s)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			putc(*p, f);
	}
	putc('"', f);
}

void cli_put_safe(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			putc(*p, f);
	}
}
