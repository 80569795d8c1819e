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
 *
 * Command-line options win over the file. Every error names the file, the
 * line and the key. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "cli/config.h"

struct loader {
	const char *path;
	yaml_document_t doc;
	struct record_options *o;
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

static int load_entities(struct loader *l, yaml_node_t *v)
{
	uint32_t mask = 0;
	if (scalar(v) && !strcmp(scalar(v), "all")) {
		l->o->engine.entities = 0;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return bad(l, v, "%s", "entities: give a list of entity names, or all");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(&l->doc, *it);
		cordon_entity e;
		if (!scalar(item) || cordon_entity_from_name(scalar(item), &e) != CORDON_OK)
			return bad(l, item, "entities: unknown entity '%s'", scalar(item) ? scalar(item) : "?");
		mask |= 1u << e;
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
		char err[256] = "";
		const char *one[] = { scalar(item) };
		struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
		eo.allow = one;
		eo.nallow = 1;
		eo.error = err;
		eo.error_len = sizeof(err);
		cordon_engine *probe = NULL;
		if (cordon_engine_new(&probe, &eo) != CORDON_OK)
			return bad(l, item, "%s", *err ? err : "allow: bad entry");
		cordon_engine_free(probe);
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
		if (!scalar(k) || cordon_entity_from_name(scalar(k), &e) != CORDON_OK)
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

static int load(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->doc);
	if (!root) /* an empty file configures nothing */
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return bad(l, root, "%s", "the file must be a mapping of keys to values");
	struct record_options *o = l->o;
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
			uint32_t keep = o->engine.entities;
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
		} else {
			return bad(l, k, "unknown key '%s' (operator, entities, min_score, fields, allow, per_entity)",
				   key);
		}
	}
	return 0;
}

int config_load(struct record_options *o, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_error("cannot open config '%s': %s", path, strerror(errno));
		return EXIT_ERROR;
	}
	struct loader l = { .path = path, .o = o };
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	int status = EXIT_CLEAN;
	if (!yaml_parser_load(&parser, &l.doc)) {
		cli_error("invalid config '%s' line %zu: %s", path, parser.problem_mark.line + 1,
			  parser.problem ? parser.problem : "cannot parse");
		status = EXIT_ERROR;
	} else {
		status = load(&l) ? EXIT_ERROR : EXIT_CLEAN;
		yaml_document_delete(&l.doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return status;
}

void config_release(struct record_options *o)
{
	for (size_t i = 0; i < o->npolicies; i++)
		free((char *)o->policies[i].path);
	free(o->policies);
	o->policies = NULL;
	o->npolicies = 0;
	for (size_t i = 0; i < o->nallow; i++)
		free(o->allow[i]);
	free(o->allow);
	o->allow = NULL;
	o->nallow = 0;
}
