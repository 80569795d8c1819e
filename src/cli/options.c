/* Options shared by the record commands (redact, scan), their checks and the
 * run summary, so both commands take and explain them the same way. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/config.h"

enum {
	OPT_FIELD = 256, OPT_MIN_SCORE, OPT_OPERATOR, OPT_KEY_FILE, OPT_QUARANTINE,
	OPT_MAX_RECORD, OPT_JSON, OPT_SUMMARY_JSON, OPT_IN_PLACE, OPT_CONFIG, OPT_SUBJECTS,
	OPT_ID_FIELD, OPT_EXPLAIN
};

static int parse_jobs(const char *s, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 || v > 256)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_size(const char *s, size_t *out)
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

int cli_entity_from_name(const struct record_options *o, const char *name, cordon_entity *out)
{
	if (cordon_entity_from_name(name, out) == CORDON_OK)
		return 0;
	for (size_t k = 0; k < o->nrules; k++)
		if (!strcasecmp(o->rules[k].name, name)) {
			*out = (cordon_entity)(CORDON_ENTITY_COUNT + k);
			return 0;
		}
	return -1;
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
					  cli_entity_from_name(o, name, &e))) {
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

int record_options_parse(struct record_options *o, enum record_command cmd, int argc, char **argv,
			 const char *usage)
{
	static const struct option longopts[] = {
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
		{ "subjects", no_argument, NULL, OPT_SUBJECTS },
		{ "explain", no_argument, NULL, OPT_EXPLAIN },
		{ "id-field", required_argument, NULL, OPT_ID_FIELD },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	memset(o, 0, sizeof(*o));
	o->engine = eo;
	o->op = CORDON_OP_TAG;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		o->entity_op[i] = -1;
	o->max_record = CORDON_STREAM_MAX_RECORD_DEFAULT;
	o->fields = calloc((size_t)argc + 1, sizeof(*o->fields));
	if (!o->fields) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":f:e:o:j:qh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 'f':
			if (cordon_format_from_name(optarg, &o->format) != CORDON_OK) {
				cli_error("unknown format '%s': use text, jsonl, csv or es-bulk", optarg);
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
			o->config = optarg;
			break;
		case OPT_MIN_SCORE:
			errno = 0;
			o->engine.min_score = strtod(optarg, &end);
			if (errno || end == optarg || *end || o->engine.min_score < 0 ||
			    o->engine.min_score > 1) {
				cli_error("invalid --min-score '%s': give a number from 0 to 1", optarg);
				return EXIT_ERROR;
			}
			o->set.min_score = 1;
			break;
		case OPT_OPERATOR:
			if (cmd != RECORDS_REDACT)
				goto unknown;
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
			if (cmd != RECORDS_SCAN)
				goto unknown;
			o->subjects = 1;
			break;
		case OPT_EXPLAIN:
			if (cmd != RECORDS_SCAN)
				goto unknown;
			o->explain = 1;
			break;
		case OPT_ID_FIELD:
			o->id_field = optarg;
			break;
		case 'o':
			if (cmd != RECORDS_REDACT)
				goto unknown;
			o->output = optarg;
			break;
		case OPT_QUARANTINE:
			o->quarantine = optarg;
			break;
		case OPT_MAX_RECORD:
			if (parse_size(optarg, &o->max_record)) {
				cli_error("invalid --max-record '%s': give bytes, or a number with K, M or G",
					  optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_JSON:
			if (cmd != RECORDS_SCAN)
				goto unknown;
			o->json = 1;
			break;
		case OPT_SUMMARY_JSON:
			o->summary_json = optarg;
			break;
		case OPT_IN_PLACE:
			if (cmd != RECORDS_REDACT)
				goto unknown;
			o->in_place = 1;
			break;
		case 'j':
			if (parse_jobs(optarg, &o->jobs)) {
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
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			return EXIT_ERROR;
		default:
		unknown:
			cli_error("unknown option '%s' (see --help)", argv[optind - 1]);
			return EXIT_ERROR;
		}
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (!o->config && access("cordon.yaml", F_OK) == 0)
		o->config = "cordon.yaml";
	if (o->config && config_load(o, o->config))
		return EXIT_ERROR;
	if (o->entities_arg && parse_entities(o, o->entities_arg, &o->engine.entities))
		return EXIT_ERROR;
	o->engine.allow = (const char *const *)o->allow;
	o->engine.nallow = o->nallow;
	o->engine.rules = o->rules;
	o->engine.nrules = o->nrules;
	if (o->in_place && (o->output || !o->nfiles)) {
		cli_error(o->output ? "--in-place and --output exclude each other"
				    : "--in-place needs FILE arguments");
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
	config_release(o);
}

int cli_load_key(cordon_redactor *r, const char *key_file, const char *needed_by)
{
	cordon_code rc = CORDON_OK;
	const char *env = getenv("CORDON_KEY");
	if (key_file)
		rc = cordon_redactor_set_key_file(r, key_file);
	else if (env && *env)
		rc = cordon_redactor_set_key(r, env, strlen(env));
	else if (needed_by) {
		cli_error("%s needs a key: --key-file FILE or CORDON_KEY", needed_by);
		return -1;
	}
	if (rc == CORDON_OK)
		return 0;
	if (key_file)
		cli_error("cannot use %s", cordon_redactor_error(r));
	else
		cli_error("cannot use key 'CORDON_KEY': %s", cordon_redactor_error(r));
	return -1;
}

FILE *open_quarantine(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0) {
		cli_error("cannot open quarantine '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		cli_error("cannot open quarantine '%s': %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

void print_summary(const char *verb, const struct cordon_stream_stats *s, int redacting,
		   const cordon_engine *engine)
{
	char by[1024] = "";
	size_t n = 0;
	uint64_t total = 0;
	for (unsigned e = 0; e < cordon_engine_entity_count(engine); e++) {
		if (!s->findings[e])
			continue;
		total += s->findings[e];
		int w = snprintf(by + n, sizeof(by) - n, "%s%s %llu", n ? ", " : "",
				 cordon_engine_entity_name(engine, (cordon_entity)e),
				 (unsigned long long)s->findings[e]);
		if (w > 0 && (size_t)w < sizeof(by) - n)
			n += (size_t)w;
	}
	cli_note("%s %llu records: %llu out, %llu quarantined; %llu %s%s%s", verb,
		 (unsigned long long)s->records_in, (unsigned long long)s->records_out,
		 (unsigned long long)s->quarantined, (unsigned long long)total,
		 redacting ? "replaced" : "found", n ? ": " : "", by);
}
