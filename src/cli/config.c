/* cordon.yaml (libyaml), for example:
 *
 *   operator: pseudonym          # tag | mask | pseudonym
 *   entities: [EMAIL_ADDRESS, PHONE_NUMBER]   # or: all
 *   min_score: 0.6
 *   fields:                      # path (or CSV column): scan | keep | tag | pseudonym | drop
 *     customer.email: pseudonym
 *     internal_notes: drop
 *   allow:                       # never redacted: values, or /PCRE2 patterns/
 *     - support@contoso.com
 *     - /.*@noreply\.contoso\.com/
 *   per_entity:                  # operator and min_score for one entity
 *     SECRET: { operator: tag, min_score: 0.8 }
 *   rules:                       # new entities
 *     CUSTOMER_ID:
 *       pattern: 'CUST-[0-9]{8}'
 *       validator: luhn          # luhn | mod97 | aba | verhoeff
 *       context: [customer, account]
 *       window: 40
 *       score: 0.6
 *   deny: [Project Falcon]       # always redacted, as DENY_LIST
 *
 * Rules are read before the other keys, so entities and per_entity can name
 * them wherever they are written.
 * Command-line options win over the file. Every error names the file, the
 * line and the key. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>
#include "cli/config.h"

struct loader {
	const char *path;
	yaml_document_t doc;
	struct record_options *o; /* config_load */
	cordon_audit *audit;      /* config_load_assets */
};

__attribute__((format(printf, 3, 4))) static int bad(const struct loader *l, const yaml_node_t *n,
						     const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_error("invalid config '%s' line %zu: %s", l->path, n->start_mark.line + 1, msg);
	return EXIT_ERROR;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Builds an engine from eo and throws it away: its error, if any, is the
 * config's error at node at. */
static int check_engine(struct loader *l, yaml_node_t *at, struct cordon_engine_options *eo, const char *fallback)
{
	char err[256] = "";
	eo->error = err;
	eo->error_len = sizeof(err);
	cordon_engine *probe = NULL;
	if (cordon_engine_new(&probe, eo) != CORDON_OK)
		return bad(l, at, "%s", *err ? err : fallback);
	cordon_engine_free(probe);
	return 0;
}

static int load_entities(struct loader *l, yaml_node_t *v)
{
	uint64_t mask = 0;
	if (scalar(v) && !strcmp(scalar(v), "all")) {
		l->o->engine.entities = 0;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(l, v, "%s", "entities: give a list of entity names, or all");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(&l->doc, *it);
		cordon_entity e;
		if (!scalar(item) || cli_entity_from_name(l->o, scalar(item), &e))
			return bad(l, item, "entities: unknown entity '%s'", scalar(item) ? scalar(item) : "?");
		mask |= CORDON_ENTITY_BIT(e);
	}
	if (!mask)
		return bad(l, v, "%s", "entities: the list is empty");
	l->o->engine.entities = mask;
	return 0;
}

static int load_fields(struct loader *l, yaml_node_t *v)
{
	static const struct { const char *name; cordon_field_action a; } actions[] = {
		{ "scan", CORDON_FIELD_SCAN }, { "keep", CORDON_FIELD_KEEP }, { "tag", CORDON_FIELD_TAG },
		{ "pseudonym", CORDON_FIELD_PSEUDONYM }, { "drop", CORDON_FIELD_DROP },
	};
	if (v->type != YAML_MAPPING_NODE)
		return bad(l, v, "%s", "fields: give a mapping of field path to action");
	size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
	struct cordon_field_policy *p = calloc(n ? n : 1, sizeof(*p));
	if (!p) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	l->o->policies = p;
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, pr->key);
		yaml_node_t *a = yaml_document_get_node(&l->doc, pr->value);
		if (!scalar(k) || !*scalar(k))
			return bad(l, k, "%s", "fields: a field path must be a string");
		size_t i = 0;
		while (i < sizeof(actions) / sizeof(*actions) && !(scalar(a) && !strcmp(scalar(a), actions[i].name)))
			i++;
		if (i == sizeof(actions) / sizeof(*actions))
			return bad(l, a ? a : k, "fields: '%s' must be scan, keep, tag, pseudonym or drop",
				   scalar(k));
		if (!(p[l->o->npolicies].path = strdup(scalar(k)))) {
			cli_error("out of memory");
			return EXIT_ERROR;
		}
		p[l->o->npolicies++].action = actions[i].a;
	}
	return 0;
}

static int load_allow(struct loader *l, yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(l, v, "%s", "allow: give a list of values or /patterns/");
	size_t n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (!(l->o->allow = calloc(n ? n : 1, sizeof(char *)))) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(&l->doc, *it);
		if (!scalar(item) || !*scalar(item))
			return bad(l, item ? item : v, "%s", "allow: each entry must be a string");
		/* a pattern is checked now, so the error can name its line */
		const char *one[] = { scalar(item) };
		struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
		eo.allow = one;
		eo.nallow = 1;
		if (check_engine(l, item, &eo, "allow: bad entry"))
			return EXIT_ERROR;
		if (!(l->o->allow[l->o->nallow++] = strdup(scalar(item)))) {
			cli_error("out of memory");
			return EXIT_ERROR;
		}
	}
	return 0;
}

static int load_min_score(struct loader *l, yaml_node_t *v, double *out)
{
	char *end;
	errno = 0;
	double d = scalar(v) ? strtod(scalar(v), &end) : -1;
	if (!scalar(v) || errno || end == scalar(v) || *end || d < 0 || d > 1)
		return bad(l, v, "min_score: '%s' is not a number from 0 to 1", scalar(v) ? scalar(v) : "?");
	*out = d;
	return 0;
}

static int load_per_entity(struct loader *l, yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return bad(l, v, "%s", "per_entity: give a mapping of entity to settings");
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, pr->key);
		yaml_node_t *set = yaml_document_get_node(&l->doc, pr->value);
		cordon_entity e;
		if (!scalar(k) || cli_entity_from_name(l->o, scalar(k), &e))
			return bad(l, k, "per_entity: unknown entity '%s'", scalar(k) ? scalar(k) : "?");
		if (set->type != YAML_MAPPING_NODE)
			return bad(l, set, "per_entity: %s: give operator and/or min_score", scalar(k));
		for (yaml_node_pair_t *q = set->data.mapping.pairs.start; q < set->data.mapping.pairs.top; q++) {
			yaml_node_t *sk = yaml_document_get_node(&l->doc, q->key);
			yaml_node_t *sv = yaml_document_get_node(&l->doc, q->value);
			cordon_operator op;
			if (scalar(sk) && !strcmp(scalar(sk), "operator")) {
				if (!scalar(sv) || cordon_operator_from_name(scalar(sv), &op) != CORDON_OK)
					return bad(l, sv, "per_entity: '%s' is not tag, mask, pseudonym or encrypt",
						   scalar(sv) ? scalar(sv) : "?");
				l->o->entity_op[e] = (int)op;
			} else if (scalar(sk) && !strcmp(scalar(sk), "min_score")) {
				if (load_min_score(l, sv, &l->o->engine.entity_min_score[e]))
					return EXIT_ERROR;
			} else {
				return bad(l, sk, "per_entity: unknown key '%s' (operator, min_score)",
					   scalar(sk) ? scalar(sk) : "?");
			}
		}
	}
	return 0;
}

/* A list of strings, copied. */
static int string_list(struct loader *l, yaml_node_t *v, const char *what, const char *const **out,
		       size_t *n)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(l, v, "%s: give a list of words", what);
	size_t cap = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	char **list = calloc(cap ? cap : 1, sizeof(*list));
	if (!list) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	*out = (const char *const *)list;
	*n = 0;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(&l->doc, *it);
		if (!scalar(item) || !*scalar(item))
			return bad(l, item ? item : v, "%s: each entry must be a non-empty string", what);
		if (!(list[(*n)++] = strdup(scalar(item)))) {
			cli_error("out of memory");
			return EXIT_ERROR;
		}
	}
	return 0;
}

static int set_string(struct loader *l, yaml_node_t *v, const char *what, const char **out)
{
	if (!scalar(v) || !*scalar(v))
		return bad(l, v, "%s: give a string", what);
	free((char *)*out);
	if (!(*out = strdup(scalar(v)))) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	return 0;
}

/* Checks one rule by building an engine with it alone, so the error can
 * name the line. */
static int check_rule(struct loader *l, yaml_node_t *at, const struct cordon_rule *r)
{
	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	eo.rules = r;
	eo.nrules = 1;
	return check_engine(l, at, &eo, "bad rule");
}

static int load_rule(struct loader *l, yaml_node_t *k, yaml_node_t *v, struct cordon_rule *r)
{
	const char *name = scalar(k);
	r->score = 0.6;
	if (set_string(l, k, "rules", &r->name))
		return EXIT_ERROR;
	if (v->type != YAML_MAPPING_NODE)
		return bad(l, v, "rule '%s': give pattern or words, and optionally validator, context, window, "
				 "score, caseless, operator, min_score", name);
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = yaml_document_get_node(&l->doc, q->key);
		yaml_node_t *sv = yaml_document_get_node(&l->doc, q->value);
		const char *key = scalar(sk) ? scalar(sk) : "?";
		char what[96];
		snprintf(what, sizeof(what), "rule '%s': %s", name, key);
		int rc = 0;
		if (!strcmp(key, "pattern")) {
			rc = set_string(l, sv, what, &r->pattern);
		} else if (!strcmp(key, "words")) {
			rc = string_list(l, sv, what, &r->words, &r->nwords);
		} else if (!strcmp(key, "validator")) {
			rc = set_string(l, sv, what, &r->validator);
		} else if (!strcmp(key, "context")) {
			rc = string_list(l, sv, what, &r->context, &r->ncontext);
		} else if (!strcmp(key, "caseless")) {
			if (!scalar(sv) || (strcmp(scalar(sv), "true") && strcmp(scalar(sv), "false")))
				return bad(l, sv, "%s: true or false", what);
			r->caseless = !strcmp(scalar(sv), "true");
		} else if (!strcmp(key, "window")) {
			char *end;
			errno = 0;
			unsigned long w = scalar(sv) ? strtoul(scalar(sv), &end, 10) : 0;
			if (!scalar(sv) || errno || end == scalar(sv) || *end || w == 0 || w > 4096)
				return bad(l, sv, "%s: a number of bytes from 1 to 4096", what);
			r->window = w;
		} else if (!strcmp(key, "score")) {
			rc = load_min_score(l, sv, &r->score);
		} else if (!strcmp(key, "operator") || !strcmp(key, "min_score")) {
			continue; /* read with per_entity's reader, once the rule exists */
		} else {
			return bad(l, sk, "rule '%s': unknown key '%s' (pattern, words, validator, context, "
					  "window, score, caseless, operator, min_score)", name, key);
		}
		if (rc)
			return EXIT_ERROR;
	}
	if (!r->pattern && !r->nwords)
		return bad(l, v, "rule '%s': give a pattern or words", name);
	return check_rule(l, v, r);
}

static int grow_rules(struct record_options *o)
{
	if (CLI_GROW(o->rules, o->nrules + 1, o->caprules)) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	memset(&o->rules[o->nrules++], 0, sizeof(*o->rules));
	return 0;
}

/* rules: and deny: first, so the other keys may name the new entities. */
static int load_rules(struct loader *l, yaml_node_t *root)
{
	struct record_options *o = l->o;
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&l->doc, pr->value);
		if (scalar(k) && !strcmp(scalar(k), "deny")) {
			if (grow_rules(o))
				return EXIT_ERROR;
			struct cordon_rule *r = &o->rules[o->nrules - 1];
			r->score = 1.0;
			if (!(r->name = strdup("DENY_LIST"))) {
				cli_error("out of memory");
				return EXIT_ERROR;
			}
			if (string_list(l, v, "deny", &r->words, &r->nwords))
				return EXIT_ERROR;
			if (!r->nwords)
				return bad(l, v, "%s", "deny: the list is empty");
			if (check_rule(l, v, r))
				return EXIT_ERROR;
		}
		if (!scalar(k) || strcmp(scalar(k), "rules"))
			continue;
		if (v->type != YAML_MAPPING_NODE)
			return bad(l, v, "%s", "rules: give a mapping of entity name to rule");
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
			yaml_node_t *rk = yaml_document_get_node(&l->doc, q->key);
			yaml_node_t *rv = yaml_document_get_node(&l->doc, q->value);
			if (!scalar(rk))
				return bad(l, rk, "%s", "rules: a rule's name must be a string");
			for (size_t i = 0; i < o->nrules; i++)
				if (!strcasecmp(o->rules[i].name, scalar(rk)))
					return bad(l, rk, "rule '%s': defined twice", scalar(rk));
			if (grow_rules(o) || load_rule(l, rk, rv, &o->rules[o->nrules - 1]))
				return EXIT_ERROR;
			/* operator and min_score as if under per_entity */
			cordon_entity e = (cordon_entity)(CORDON_ENTITY_COUNT + o->nrules - 1);
			for (yaml_node_pair_t *s = rv->data.mapping.pairs.start; s < rv->data.mapping.pairs.top; s++) {
				yaml_node_t *sk = yaml_document_get_node(&l->doc, s->key);
				yaml_node_t *sv = yaml_document_get_node(&l->doc, s->value);
				cordon_operator op;
				if (scalar(sk) && !strcmp(scalar(sk), "operator")) {
					if (!scalar(sv) || cordon_operator_from_name(scalar(sv), &op) != CORDON_OK)
						return bad(l, sv, "rule '%s': '%s' is not tag, mask, pseudonym or encrypt",
							   scalar(rk), scalar(sv) ? scalar(sv) : "?");
					o->entity_op[e] = (int)op;
				} else if (scalar(sk) && !strcmp(scalar(sk), "min_score") &&
					   load_min_score(l, sv, &o->engine.entity_min_score[e])) {
					return EXIT_ERROR;
				}
			}
		}
	}
	if (o->nrules > CORDON_ENTITY_MAX - CORDON_ENTITY_COUNT)
		return bad(l, root, "too many rules: at most %d", CORDON_ENTITY_MAX - CORDON_ENTITY_COUNT);
	return 0;
}

static int load(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->doc);
	if (!root) /* an empty file configures nothing */
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return bad(l, root, "%s", "the file must be a mapping of keys to values");
	struct record_options *o = l->o;
	if (load_rules(l, root))
		return EXIT_ERROR;
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&l->doc, pr->value);
		const char *key = scalar(k);
		if (!key)
			return bad(l, k, "%s", "keys must be strings");
		if (!strcmp(key, "operator")) {
			cordon_operator op;
			if (!scalar(v) || cordon_operator_from_name(scalar(v), &op) != CORDON_OK)
				return bad(l, v, "operator: '%s' is not tag, mask or pseudonym",
					   scalar(v) ? scalar(v) : "?");
			if (!o->set.op)
				o->op = op;
		} else if (!strcmp(key, "min_score")) {
			double d;
			if (load_min_score(l, v, &d))
				return EXIT_ERROR;
			if (!o->set.min_score)
				o->engine.min_score = d;
		} else if (!strcmp(key, "entities")) {
			uint64_t keep = o->engine.entities;
			if (load_entities(l, v))
				return EXIT_ERROR;
			if (o->set.entities)
				o->engine.entities = keep;
		} else if (!strcmp(key, "fields")) {
			if (load_fields(l, v))
				return EXIT_ERROR;
		} else if (!strcmp(key, "allow")) {
			if (load_allow(l, v))
				return EXIT_ERROR;
		} else if (!strcmp(key, "per_entity")) {
			if (load_per_entity(l, v))
				return EXIT_ERROR;
		} else if (strcmp(key, "rules") && strcmp(key, "deny") && strcmp(key, "assets")) {
			return bad(l, k,
				   "unknown key '%s' (operator, entities, min_score, fields, allow, per_entity, rules, deny, "
				   "assets)",
				   key);
		}
	}
	return 0;
}

const char *cli_config_path(const char *given, int no_config)
{
	if (no_config)
		return NULL;
	if (given)
		return given;
	const char *env = getenv("CORDON_CONFIG");
	if (env && *env) {
		cli_note("using config '%s' (from CORDON_CONFIG; --no-config reads none)", env);
		return env;
	}
	if (access("cordon.yaml", F_OK) == 0) {
		cli_note("using config 'cordon.yaml' (found in the working directory; --no-config reads none)");
		return "cordon.yaml";
	}
	return NULL;
}

/* Reads path as one YAML document and hands it to fn. */
static int with_document(struct loader *l, int (*fn)(struct loader *))
{
	FILE *f = fopen(l->path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0) {
		cli_error("cannot open config '%s': %s", l->path, strerror(errno));
		if (f)
			fclose(f);
		return EXIT_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_error("cannot read config '%s': %s", l->path,
			  S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
		fclose(f);
		return EXIT_ERROR;
	}
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	int status = EXIT_CLEAN;
	if (!yaml_parser_load(&parser, &l->doc)) {
		cli_error("invalid config '%s' line %zu: %s", l->path, parser.problem_mark.line + 1,
			  parser.problem ? parser.problem : "cannot parse");
		status = EXIT_ERROR;
	} else {
		status = fn(l) ? EXIT_ERROR : EXIT_CLEAN;
		yaml_document_delete(&l->doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return status;
}

int config_load(struct record_options *o, const char *path)
{
	struct loader l = { .path = path, .o = o };
	return with_document(&l, load);
}

void config_release(struct record_options *o)
{
	for (size_t i = 0; i < o->npolicies; i++)
		free((char *)o->policies[i].path);
	free(o->policies);
	o->policies = NULL;
	o->npolicies = 0;
	for (size_t k = 0; k < o->nrules; k++) {
		struct cordon_rule *r = &o->rules[k];
		free((char *)r->name);
		free((char *)r->pattern);
		free((char *)r->validator);
		for (size_t i = 0; i < r->nwords; i++)
			free((char *)r->words[i]);
		free((char **)r->words);
		for (size_t i = 0; i < r->ncontext; i++)
			free((char *)r->context[i]);
		free((char **)r->context);
	}
	free(o->rules);
	o->rules = NULL;
	o->nrules = 0;
	for (size_t i = 0; i < o->nallow; i++)
		free(o->allow[i]);
	free(o->allow);
	o->allow = NULL;
	o->nallow = 0;
}

/* assets: the inventory cordon audit joins with (the other keys are the
 * record commands'):
 *
 *   assets:
 *     support-es:
 *       guarded_by: [nsg-support-analytics]   # NSG, security group, "net (target)"
 *       port: 9200                            # optional: every data-store port
 *       config: configs/elasticsearch.yml     # relative to this file
 *       auth: none                            # none | required
 *       sensitivity: customer chats (PII)
 */
static int load_asset(struct loader *l, yaml_node_t *k, yaml_node_t *v)
{
	const char *name = scalar(k);
	if (!name || v->type != YAML_MAPPING_NODE)
		return bad(l, v, "%s", "assets: give a mapping of asset name to guarded_by, port, config, auth, sensitivity");
	struct cordon_asset as = { .name = name };
	const char *guarded[64];
	char config[4096] = "";
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = yaml_document_get_node(&l->doc, q->key);
		yaml_node_t *sv = yaml_document_get_node(&l->doc, q->value);
		const char *key = scalar(sk) ? scalar(sk) : "?";
		if (!strcmp(key, "guarded_by")) {
			if (scalar(sv)) {
				guarded[as.nguarded++] = scalar(sv);
			} else if (sv->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = sv->data.sequence.items.start;
				     it < sv->data.sequence.items.top && as.nguarded < 64; it++) {
					yaml_node_t *item = yaml_document_get_node(&l->doc, *it);
					if (!scalar(item))
						return bad(l, sv, "asset '%s': guarded_by: a list of names", name);
					guarded[as.nguarded++] = scalar(item);
				}
			} else {
				return bad(l, sv, "asset '%s': guarded_by: a name or a list of names", name);
			}
		} else if (!strcmp(key, "port")) {
			char *end;
			unsigned long p = scalar(sv) ? strtoul(scalar(sv), &end, 10) : 0;
			if (!scalar(sv) || end == scalar(sv) || *end || p == 0 || p > 65535)
				return bad(l, sv, "asset '%s': port: a number from 1 to 65535", name);
			as.port = (unsigned)p;
		} else if (!strcmp(key, "config")) {
			if (!scalar(sv))
				return bad(l, sv, "asset '%s': config: a file name", name);
			const char *slash = strrchr(l->path, '/');
			char joined[4096];
			if (scalar(sv)[0] == '/' || !slash)
				snprintf(joined, sizeof(joined), "%s", scalar(sv));
			else
				snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - l->path), l->path, scalar(sv));
			if (!realpath(joined, config))
				snprintf(config, sizeof(config), "%s", joined);
			as.config = config;
		} else if (!strcmp(key, "auth")) {
			if (!scalar(sv) || (strcmp(scalar(sv), "none") && strcmp(scalar(sv), "required")))
				return bad(l, sv, "asset '%s': auth: none or required", name);
			as.no_auth = !strcmp(scalar(sv), "none");
		} else if (!strcmp(key, "sensitivity")) {
			as.sensitivity = scalar(sv);
		} else {
			return bad(l, sk, "asset '%s': unknown key '%s' (guarded_by, port, config, auth, sensitivity)", name, key);
		}
	}
	if (!as.nguarded)
		return bad(l, v, "asset '%s': guarded_by: which NSG, security group or network guards it", name);
	as.guarded_by = guarded;
	if (cordon_audit_add_asset(l->audit, &as) != CORDON_OK) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	return 0;
}

static int load_assets(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->doc);
	if (!root)
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return bad(l, root, "%s", "the file must be a mapping of keys to values");
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&l->doc, pr->value);
		if (!scalar(k) || strcmp(scalar(k), "assets"))
			continue;
		if (v->type != YAML_MAPPING_NODE)
			return bad(l, v, "%s", "assets: give a mapping of asset name to its facts");
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++)
			if (load_asset(l, yaml_document_get_node(&l->doc, q->key), yaml_document_get_node(&l->doc, q->value)))
				return EXIT_ERROR;
	}
	return 0;
}

int config_load_assets(cordon_audit *a, const char *path)
{
	struct loader l = { .path = path, .audit = a };
	return with_document(&l, load_assets);
}
