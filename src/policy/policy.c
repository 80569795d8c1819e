/* cordon.yaml (libyaml) as a cordon_policy, for example:
 *
 *   operator: pseudonym          # tag | mask | pseudonym | encrypt
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
 *   region: DE                   # national phone numbers read as Germany's
 *   assets: ...                  # the audit's inventory
 *   ignore: ...                  # accepted audit findings
 *
 * Each key is a row of a table (name, what it takes, help, reader): the
 * error for an unknown key lists the table, and cordon_policy_keys hands it
 * to the docs. Rules are read before the other keys, so entities and
 * per_entity can name them wherever they are written. Every error names the
 * file, the line and the key. Nothing is built to check a value: a rule's
 * pattern is compiled alone, an allow pattern alone. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>
#include "cordon/policy.h"
#include "audit/ipset.h"
#include "detect/engine_internal.h"
#include "detect/phone_e164.h"
#include "detect/rules.h"
#include "util/alloc.h"
#include "policy/loader.h"
#include "cordon/watch.h"

struct asset {
	char *name;
	char **guarded_by;
	size_t nguarded;
	unsigned port;
	char *config;
	int no_auth;
	char *sensitivity;
	char *endpoint; /* where cordon probe reaches it, or NULL */
	char *owner;    /* the owning team, or NULL */
	char **addresses; /* its addresses and blocks in flow logs (cordon access) */
	size_t naddresses;
};

struct cordon_policy {
	char *path;   /* the file, for messages and relative paths */
	int loaded;
	unsigned set; /* bits of the top-level keys the file holds */
	cordon_operator op;
	uint64_t entities; /* 0: all */
	double min_score;
	char region[3];
	double entity_min[CORDON_ENTITY_MAX];
	int entity_op[CORDON_ENTITY_MAX]; /* -1: none */
	struct cordon_field_policy *fields;
	size_t nfields, capfields;
	char **allow;
	size_t nallow, capallow;
	struct cordon_rule *rules;
	size_t nrules, caprules;
	struct asset *assets;
	size_t nassets, capassets;
	struct cordon_ignore *ignores;
	size_t nignores, capignores;
	struct watch_section *watch;
	char err[512];
};

typedef int (*key_reader)(struct loader *l, yaml_node_t *v);

/* ---- messages ---------------------------------------------------------- */

int pol_bad(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(l->p->err, sizeof(l->p->err), "invalid config '%s' line %zu: %s", l->p->path,
		 n ? n->start_mark.line + 1 : 1, msg);
	return -1;
}

int pol_oom(struct loader *l)
{
	l->nomem = 1;
	snprintf(l->p->err, sizeof(l->p->err), "reading config '%s': out of memory", l->p->path);
	return -1;
}

/* "a, b, c" of a key table, for "unknown key" messages. */
const char *pol_key_list(const struct cordon_policy_key *keys, size_t n, char *buf, size_t cap)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && at < cap; i++) {
		int w = snprintf(buf + at, cap - at, "%s%s", i ? ", " : "", keys[i].name);
		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}

const char *pol_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

const char *pol_shown(const yaml_node_t *n)
{
	return pol_scalar(n) ? pol_scalar(n) : "?";
}

yaml_node_t *pol_node(struct loader *l, int id)
{
	return yaml_document_get_node(&l->doc, id);
}

/* ---- value readers ----------------------------------------------------- */

static int read_score(struct loader *l, yaml_node_t *v, const char *what, double *out)
{
	char *end;
	errno = 0;
	double d = pol_scalar(v) ? strtod(pol_scalar(v), &end) : -1;
	if (!pol_scalar(v) || errno || end == pol_scalar(v) || *end || !(d >= 0 && d <= 1))
		return pol_bad(l, v, "%s: '%s' is not a number from 0 to 1", what, pol_shown(v));
	*out = d;
	return 0;
}

int pol_read_string(struct loader *l, yaml_node_t *v, const char *what, const char **out)
{
	if (!pol_scalar(v) || !*pol_scalar(v))
		return pol_bad(l, v, "%s: give a string", what);
	char *copy = strdup(pol_scalar(v));
	if (!copy)
		return pol_oom(l);
	free((char *)*out);
	*out = copy;
	return 0;
}

static int read_operator(struct loader *l, yaml_node_t *v, const char *what, cordon_operator *out)
{
	if (!pol_scalar(v) || cordon_operator_from_name(pol_scalar(v), out) != CORDON_OK)
		return pol_bad(l, v, "%s: '%s' is not tag, mask, pseudonym or encrypt", what, pol_shown(v));
	return 0;
}

void pol_free_strings(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i]);
	free((char **)v);
}

/* A list of non-empty strings, copied. */
int pol_read_strings(struct loader *l, yaml_node_t *v, const char *what, const char *const **out, size_t *n)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return pol_bad(l, v, "%s: give a list of words", what);
	pol_free_strings(*out, *n); /* a key given twice: the last one counts */
	*out = NULL;
	*n = 0;
	size_t cap = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	char **list = calloc(cap ? cap : 1, sizeof(*list));
	if (!list)
		return pol_oom(l);
	*out = (const char *const *)list;
	*n = 0;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = pol_node(l, *it);
		if (!pol_scalar(item) || !*pol_scalar(item))
			return pol_bad(l, item ? item : v, "%s: each entry must be a non-empty string", what);
		if (!(list[(*n)++] = strdup(pol_scalar(item))))
			return pol_oom(l);
	}
	return 0;
}

/* ---- the sections ------------------------------------------------------ */

static const struct cordon_policy_key rule_keys[] = {
	{ "pattern", "PCRE2 pattern", "what the value looks like (or give words)" },
	{ "words", "[word, ...]", "words and phrases always found, whole words, any case" },
	{ "validator", "luhn | mod97 | aba | verhoeff", "a check the value must pass" },
	{ "context", "[word, ...]", "words near a value that raise its score by 0.25" },
	{ "window", "1-4096", "bytes before and after a value searched for context (default 48)" },
	{ "score", "0-1", "the value's base score (default 0.6)" },
	{ "caseless", "true | false", "match the pattern in any case" },
	{ "operator", "tag | mask | pseudonym | encrypt", "what replaces this rule's values" },
	{ "min_score", "0-1", "drop this rule's findings scoring below it" },
};

static const struct cordon_policy_key per_entity_keys[] = {
	{ "operator", "tag | mask | pseudonym | encrypt", "what replaces this entity's values" },
	{ "min_score", "0-1", "drop this entity's findings scoring below it" },
};

static const struct cordon_policy_key asset_keys[] = {
	{ "guarded_by", "name or [name, ...]", "the NSGs, security groups or \"network (target)\" in front of it" },
	{ "port", "1-65535", "its data-store port (default: every one)" },
	{ "config", "file", "its configuration file, relative to cordon.yaml" },
	{ "auth", "none | required", "whether it answers without authentication" },
	{ "sensitivity", "text", "what it holds (\"customer chats (PII)\")" },
	{ "endpoint", "host:port or URL", "where it answers, for cordon probe (\"https://es.internal:9200\")" },
	{ "owner", "text", "the team that owns it (\"team-db\")" },
	{ "addresses", "address or [address, ...]", "its addresses (and blocks) as flow logs show them, for cordon access" },
};

static const struct cordon_policy_key ignore_keys[] = {
	{ "fingerprint", "16 hex digits", "the finding's fingerprint, as audit prints it" },
	{ "reason", "text", "why it is accepted (required)" },
	{ "expires", "YYYY-MM-DD", "the last day it is ignored (default: for good)" },
};

#define NKEYS(t) (sizeof(t) / sizeof(*(t)))

static int entity_of(struct loader *l, const char *name, cordon_entity *e)
{
	return cordon_policy_entity(l->p, name, e) == CORDON_OK ? 0 : -1;
}

static int read_entities(struct loader *l, yaml_node_t *v)
{
	uint64_t mask = 0;
	if (pol_scalar(v) && !strcmp(pol_scalar(v), "all")) {
		l->p->entities = 0;
		return 0;
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return pol_bad(l, v, "%s", "entities: give a list of entity names, or all");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = pol_node(l, *it);
		cordon_entity e;
		if (!pol_scalar(item) || entity_of(l, pol_scalar(item), &e))
			return pol_bad(l, item, "entities: unknown entity '%s'", pol_shown(item));
		mask |= CORDON_ENTITY_BIT(e);
	}
	if (!mask)
		return pol_bad(l, v, "%s", "entities: the list is empty");
	l->p->entities = mask;
	return 0;
}

static int read_fields(struct loader *l, yaml_node_t *v)
{
	static const struct { const char *name; cordon_field_action a; } actions[] = {
		{ "scan", CORDON_FIELD_SCAN }, { "keep", CORDON_FIELD_KEEP }, { "tag", CORDON_FIELD_TAG },
		{ "pseudonym", CORDON_FIELD_PSEUDONYM }, { "drop", CORDON_FIELD_DROP },
	};
	cordon_policy *p = l->p;
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "%s", "fields: give a mapping of field path to action");
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = pol_node(l, pr->key), *a = pol_node(l, pr->value);
		if (!pol_scalar(k) || !*pol_scalar(k))
			return pol_bad(l, k, "%s", "fields: a field path must be a string");
		size_t i = 0;
		while (i < NKEYS(actions) && !(pol_scalar(a) && !strcmp(pol_scalar(a), actions[i].name)))
			i++;
		if (i == NKEYS(actions))
			return pol_bad(l, a ? a : k, "fields: '%s' must be scan, keep, tag, pseudonym or drop", pol_scalar(k));
		if (ALLOC_GROW(p->fields, p->nfields + 1, p->capfields))
			return pol_oom(l);
		if (!(p->fields[p->nfields].path = strdup(pol_scalar(k))))
			return pol_oom(l);
		p->fields[p->nfields++].action = actions[i].a;
	}
	return 0;
}

static int read_allow(struct loader *l, yaml_node_t *v)
{
	cordon_policy *p = l->p;
	if (v->type != YAML_SEQUENCE_NODE)
		return pol_bad(l, v, "%s", "allow: give a list of values or /patterns/");
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = pol_node(l, *it);
		if (!pol_scalar(item) || !*pol_scalar(item))
			return pol_bad(l, item ? item : v, "%s", "allow: each entry must be a string");
		char why[256] = "";
		cordon_code rc = engine_allow_check(pol_scalar(item), why, sizeof(why));
		if (rc == CORDON_ERR_NOMEM)
			return pol_oom(l);
		if (rc != CORDON_OK)
			return pol_bad(l, item, "%s", *why ? why : "allow: bad entry");
		if (ALLOC_GROW(p->allow, p->nallow + 1, p->capallow))
			return pol_oom(l);
		if (!(p->allow[p->nallow] = strdup(pol_scalar(item))))
			return pol_oom(l);
		p->nallow++;
	}
	return 0;
}

static int read_min_score(struct loader *l, yaml_node_t *v)
{
	return read_score(l, v, "min_score", &l->p->min_score);
}

static int read_region(struct loader *l, yaml_node_t *v)
{
	if (!pol_scalar(v) || !phone_region_ok(pol_scalar(v)))
		return pol_bad(l, v, "region: '%s' is not a country code (US, DE, GB, ...)", pol_shown(v));
	l->p->region[0] = (char)(pol_scalar(v)[0] & ~0x20);
	l->p->region[1] = (char)(pol_scalar(v)[1] & ~0x20);
	return 0;
}

static int read_operator_key(struct loader *l, yaml_node_t *v)
{
	return read_operator(l, v, "operator", &l->p->op);
}

/* operator and min_score of one entity, under per_entity or a rule. */
static int read_entity_settings(struct loader *l, yaml_node_t *set, cordon_entity e, const char *what,
				int rule)
{
	char keys[256];
	for (yaml_node_pair_t *q = set->data.mapping.pairs.start; q < set->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
		char at[128];
		snprintf(at, sizeof(at), "%s: %s", what, pol_shown(sk));
		if (pol_scalar(sk) && !strcmp(pol_scalar(sk), "operator")) {
			cordon_operator op;
			if (read_operator(l, sv, at, &op))
				return -1;
			l->p->entity_op[e] = (int)op;
		} else if (pol_scalar(sk) && !strcmp(pol_scalar(sk), "min_score")) {
			if (read_score(l, sv, at, &l->p->entity_min[e]))
				return -1;
		} else if (!rule) {
			return pol_bad(l, sk, "%s: unknown key '%s' (%s)", what, pol_shown(sk),
				   pol_key_list(per_entity_keys, NKEYS(per_entity_keys), keys, sizeof(keys)));
		}
	}
	return 0;
}

static int read_per_entity(struct loader *l, yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "%s", "per_entity: give a mapping of entity to settings");
	for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = pol_node(l, pr->key), *set = pol_node(l, pr->value);
		cordon_entity e;
		if (!pol_scalar(k) || entity_of(l, pol_scalar(k), &e))
			return pol_bad(l, k, "per_entity: unknown entity '%s'", pol_shown(k));
		if (set->type != YAML_MAPPING_NODE)
			return pol_bad(l, set, "per_entity: %s: give operator and/or min_score", pol_scalar(k));
		char what[96];
		snprintf(what, sizeof(what), "per_entity: %s", pol_scalar(k));
		if (read_entity_settings(l, set, e, what, 0))
			return -1;
	}
	return 0;
}

/* Checks a rule by compiling it alone, so the error can name its line. */
static int check_rule(struct loader *l, yaml_node_t *at, const struct cordon_rule *r)
{
	char why[256] = "";
	struct rule_set *set = NULL;
	cordon_code rc = rules_new(&set, r, 1, why, sizeof(why));
	rules_free(set);
	if (rc == CORDON_ERR_NOMEM)
		return pol_oom(l);
	return rc == CORDON_OK ? 0 : pol_bad(l, at, "%s", *why ? why : "bad rule");
}

static int read_rule(struct loader *l, yaml_node_t *k, yaml_node_t *v, struct cordon_rule *r)
{
	const char *name = pol_scalar(k);
	char keys[256];
	r->score = 0.6;
	if (pol_read_string(l, k, "rules", &r->name))
		return -1;
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "rule '%s': give pattern or words, and optionally %s", name,
			   pol_key_list(rule_keys + 2, NKEYS(rule_keys) - 2, keys, sizeof(keys)));
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
		const char *key = pol_shown(sk);
		char what[128];
		snprintf(what, sizeof(what), "rule '%s': %s", name, key);
		int rc = 0;
		if (!strcmp(key, "pattern")) {
			rc = pol_read_string(l, sv, what, &r->pattern);
		} else if (!strcmp(key, "words")) {
			rc = pol_read_strings(l, sv, what, &r->words, &r->nwords);
		} else if (!strcmp(key, "validator")) {
			rc = pol_read_string(l, sv, what, &r->validator);
		} else if (!strcmp(key, "context")) {
			rc = pol_read_strings(l, sv, what, &r->context, &r->ncontext);
		} else if (!strcmp(key, "caseless")) {
			if (!pol_scalar(sv) || (strcmp(pol_scalar(sv), "true") && strcmp(pol_scalar(sv), "false")))
				return pol_bad(l, sv, "%s: true or false", what);
			r->caseless = !strcmp(pol_scalar(sv), "true");
		} else if (!strcmp(key, "window")) {
			char *end;
			errno = 0;
			unsigned long w = pol_scalar(sv) ? strtoul(pol_scalar(sv), &end, 10) : 0;
			if (!pol_scalar(sv) || errno || end == pol_scalar(sv) || *end || w == 0 || w > 4096)
				return pol_bad(l, sv, "%s: a number of bytes from 1 to 4096", what);
			r->window = w;
		} else if (!strcmp(key, "score")) {
			rc = read_score(l, sv, what, &r->score);
		} else if (!strcmp(key, "operator") || !strcmp(key, "min_score")) {
			continue; /* read once the rule has its entity number */
		} else {
			return pol_bad(l, sk, "rule '%s': unknown key '%s' (%s)", name, key,
				   pol_key_list(rule_keys, NKEYS(rule_keys), keys, sizeof(keys)));
		}
		if (rc)
			return -1;
	}
	if (!r->pattern && !r->nwords)
		return pol_bad(l, v, "rule '%s': give a pattern or words", name);
	return check_rule(l, v, r);
}

static struct cordon_rule *new_rule(struct loader *l, yaml_node_t *at)
{
	cordon_policy *p = l->p;
	if (p->nrules == CORDON_RULE_MAX) {
		pol_bad(l, at, "too many rules: at most %d", CORDON_RULE_MAX);
		return NULL;
	}
	if (ALLOC_GROW(p->rules, p->nrules + 1, p->caprules)) {
		pol_oom(l);
		return NULL;
	}
	memset(&p->rules[p->nrules], 0, sizeof(*p->rules));
	return &p->rules[p->nrules++];
}

static int read_deny(struct loader *l, yaml_node_t *v)
{
	struct cordon_rule *r = new_rule(l, v);
	if (!r)
		return -1;
	r->score = 1.0;
	if (!(r->name = strdup("DENY_LIST")))
		return pol_oom(l);
	if (pol_read_strings(l, v, "deny", &r->words, &r->nwords))
		return -1;
	if (!r->nwords)
		return pol_bad(l, v, "%s", "deny: the list is empty");
	return check_rule(l, v, r);
}

static int read_rules(struct loader *l, yaml_node_t *v)
{
	cordon_policy *p = l->p;
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "%s", "rules: give a mapping of entity name to rule");
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *rk = pol_node(l, q->key), *rv = pol_node(l, q->value);
		if (!pol_scalar(rk))
			return pol_bad(l, rk, "%s", "rules: a rule's name must be a string");
		for (size_t i = 0; i < p->nrules; i++)
			if (!strcasecmp(p->rules[i].name, pol_scalar(rk)))
				return pol_bad(l, rk, "rule '%s': defined twice", pol_scalar(rk));
		struct cordon_rule *r = new_rule(l, rk);
		if (!r || read_rule(l, rk, rv, r))
			return -1;
		char what[96];
		snprintf(what, sizeof(what), "rule '%s'", pol_scalar(rk));
		cordon_entity e = (cordon_entity)(CORDON_ENTITY_RULE_FIRST + p->nrules - 1);
		if (read_entity_settings(l, rv, e, what, 1))
			return -1;
	}
	return 0;
}

/* A path relative to the policy file's directory. */
static char *relative_to_file(const char *file, const char *path)
{
	const char *slash = strrchr(file, '/');
	char *joined = NULL;
	if (path[0] == '/' || !slash)
		joined = strdup(path);
	else if (asprintf(&joined, "%.*s/%s", (int)(slash - file), file, path) < 0)
		joined = NULL;
	if (!joined)
		return NULL;
	char *real = realpath(joined, NULL);
	if (real) {
		free(joined);
		return real;
	}
	return joined;
}

/* The items of a value that is one scalar or a list of them, as [*from,
 * *to); one holds the value's own id. -1 when it is neither. */
static int one_or_list(yaml_node_t *v, yaml_node_item_t *one, yaml_node_item_t **from, yaml_node_item_t **to)
{
	if (v->type == YAML_SEQUENCE_NODE) {
		*from = v->data.sequence.items.start;
		*to = v->data.sequence.items.top;
		return 0;
	}
	*from = one;
	*to = one + 1;
	return pol_scalar(v) ? 0 : -1;
}

/* Appends a copy of s to (*v)[*n]; -1 after saying out of memory. */
static int append_string(struct loader *l, char ***v, size_t *n, size_t *cap, const char *s)
{
	if (ALLOC_GROW(*v, *n + 1, *cap) || !((*v)[*n] = strdup(s)))
		return pol_oom(l);
	(*n)++;
	return 0;
}

static int read_asset(struct loader *l, yaml_node_t *k, yaml_node_t *v)
{
	cordon_policy *p = l->p;
	const char *name = pol_scalar(k);
	char keys[256];
	if (!name || v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "assets: give a mapping of asset name to %s",
			   pol_key_list(asset_keys, NKEYS(asset_keys), keys, sizeof(keys)));
	if (ALLOC_GROW(p->assets, p->nassets + 1, p->capassets))
		return pol_oom(l);
	struct asset *as = &p->assets[p->nassets++];
	memset(as, 0, sizeof(*as));
	if (!(as->name = strdup(name)))
		return pol_oom(l);
	size_t capg = 0;
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
		const char *key = pol_shown(sk);
		yaml_node_item_t one = q->value, *from, *to;
		if (!strcmp(key, "guarded_by")) {
			if (one_or_list(sv, &one, &from, &to))
				return pol_bad(l, sv, "asset '%s': guarded_by: a name or a list of names", name);
			for (yaml_node_item_t *it = from; it < to; it++) {
				const char *text = pol_scalar(pol_node(l, *it));
				if (!text || !*text)
					return pol_bad(l, sv, "asset '%s': guarded_by: a list of names", name);
				if (append_string(l, &as->guarded_by, &as->nguarded, &capg, text))
					return -1;
			}
		} else if (!strcmp(key, "addresses")) {
			if (one_or_list(sv, &one, &from, &to))
				return pol_bad(l, sv, "asset '%s': addresses: an address or a list of them", name);
			size_t capa = 0;
			for (yaml_node_item_t *it = from; it < to; it++) {
				yaml_node_t *item = pol_node(l, *it);
				const char *text = pol_scalar(item);
				u128 lo, hi;
				if (!text || ipset_range(text, &lo, &hi))
					return pol_bad(l, item, "asset '%s': addresses: '%s' is no address or block (10.20.0.4, "
						   "10.20.0.0/24, 2001:db8::7)", name, text ? text : "");
				if (append_string(l, &as->addresses, &as->naddresses, &capa, text))
					return -1;
			}
		} else if (!strcmp(key, "port")) {
			char *end;
			errno = 0;
			unsigned long port = pol_scalar(sv) ? strtoul(pol_scalar(sv), &end, 10) : 0;
			if (!pol_scalar(sv) || errno || end == pol_scalar(sv) || *end || port == 0 || port > 65535)
				return pol_bad(l, sv, "asset '%s': port: a number from 1 to 65535", name);
			as->port = (unsigned)port;
		} else if (!strcmp(key, "config")) {
			if (!pol_scalar(sv) || !*pol_scalar(sv))
				return pol_bad(l, sv, "asset '%s': config: a file name", name);
			free(as->config);
			if (!(as->config = relative_to_file(p->path, pol_scalar(sv))))
				return pol_oom(l);
		} else if (!strcmp(key, "auth")) {
			if (!pol_scalar(sv) || (strcmp(pol_scalar(sv), "none") && strcmp(pol_scalar(sv), "required")))
				return pol_bad(l, sv, "asset '%s': auth: none or required", name);
			as->no_auth = !strcmp(pol_scalar(sv), "none");
		} else if (!strcmp(key, "sensitivity")) {
			if (!pol_scalar(sv))
				return pol_bad(l, sv, "asset '%s': sensitivity: give a text", name);
			free(as->sensitivity);
			if (!(as->sensitivity = strdup(pol_scalar(sv))))
				return pol_oom(l);
		} else if (!strcmp(key, "endpoint") || !strcmp(key, "owner")) {
			char **slot = key[0] == 'e' ? &as->endpoint : &as->owner;
			if (!pol_scalar(sv) || !*pol_scalar(sv))
				return pol_bad(l, sv, "asset '%s': %s: give a text", name, key);
			free(*slot);
			if (!(*slot = strdup(pol_scalar(sv))))
				return pol_oom(l);
		} else {
			return pol_bad(l, sk, "asset '%s': unknown key '%s' (%s)", name, key,
				   pol_key_list(asset_keys, NKEYS(asset_keys), keys, sizeof(keys)));
		}
	}
	if (!as->nguarded && !as->endpoint && !as->naddresses)
		return pol_bad(l, v, "asset '%s': guarded_by: which NSG, security group or network guards it (or "
			   "endpoint: where it answers, or addresses:)", name);
	return 0;
}

static int read_assets(struct loader *l, yaml_node_t *v)
{
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "%s", "assets: give a mapping of asset name to its facts");
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++)
		if (read_asset(l, pol_node(l, q->key), pol_node(l, q->value)))
			return -1;
	return 0;
}

static int is_lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return !s[n];
}

/* YYYY-MM-DD: the end of that day, UTC (the first second after it). */
static int read_date(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || tm.tm_year < 70 || tm.tm_year > 1100)
		return -1;
	int mday = tm.tm_mday, mon = tm.tm_mon;
	tm.tm_isdst = 0;
	time_t t = timegm(&tm);
	struct tm back;
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != mday || back.tm_mon != mon)
		return -1; /* 2027-02-30 */
	*out = t + 86400;
	return 0;
}

static int read_ignore(struct loader *l, yaml_node_t *v)
{
	cordon_policy *p = l->p;
	char keys[128];
	if (v->type != YAML_SEQUENCE_NODE)
		return pol_bad(l, v, "ignore: give a list of entries with %s",
			   pol_key_list(ignore_keys, NKEYS(ignore_keys), keys, sizeof(keys)));
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = pol_node(l, *it);
		if (e->type != YAML_MAPPING_NODE)
			return pol_bad(l, e, "ignore: each entry is a mapping of %s",
				   pol_key_list(ignore_keys, NKEYS(ignore_keys), keys, sizeof(keys)));
		if (ALLOC_GROW(p->ignores, p->nignores + 1, p->capignores))
			return pol_oom(l);
		struct cordon_ignore *ig = &p->ignores[p->nignores++];
		memset(ig, 0, sizeof(*ig));
		ig->line = (unsigned)e->start_mark.line + 1;
		for (yaml_node_pair_t *q = e->data.mapping.pairs.start; q < e->data.mapping.pairs.top; q++) {
			yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
			const char *key = pol_shown(sk);
			if (!strcmp(key, "fingerprint")) {
				if (!pol_scalar(sv) || !is_lower_hex(pol_scalar(sv), 16))
					return pol_bad(l, sv, "ignore: fingerprint: '%s' is not 16 lowercase hex digits",
						   pol_shown(sv));
				if (pol_read_string(l, sv, "ignore: fingerprint", &ig->fingerprint))
					return -1;
			} else if (!strcmp(key, "reason")) {
				if (pol_read_string(l, sv, "ignore: reason", &ig->reason))
					return -1;
			} else if (!strcmp(key, "expires")) {
				if (!pol_scalar(sv) || read_date(pol_scalar(sv), &ig->expires))
					return pol_bad(l, sv, "ignore: expires: '%s' is not a date (YYYY-MM-DD)", pol_shown(sv));
			} else {
				return pol_bad(l, sk, "ignore: unknown key '%s' (%s)", key,
					   pol_key_list(ignore_keys, NKEYS(ignore_keys), keys, sizeof(keys)));
			}
		}
		if (!ig->fingerprint)
			return pol_bad(l, e, "%s", "ignore: an entry needs a fingerprint");
		if (!ig->reason)
			return pol_bad(l, e, "%s", "ignore: an entry needs a reason (why the finding is accepted)");
	}
	return 0;
}

/* The top level. Bits of cordon_policy.set follow this order; readers[i]
 * reads top_keys[i] (NULL: rules and deny, read first). */
static int read_watch(struct loader *l, yaml_node_t *v) { return watch_section_read(l, v, &l->p->watch); }

static const struct cordon_policy_key top_keys[] = {
	{ "operator", "tag | mask | pseudonym | encrypt", "what replaces a finding (default tag)" },
	{ "entities", "[ENTITY, ...] | all", "the entities to find (default all)" },
	{ "min_score", "0-1", "drop findings scoring below it (default 0.5)" },
	{ "fields", "{path: scan | keep | tag | pseudonym | drop}", "what to do with a JSON field or CSV column" },
	{ "allow", "[value | /pattern/, ...]", "values never redacted (canonical form, or a whole-value pattern)" },
	{ "per_entity", "{ENTITY: {operator, min_score}}", "operator and min_score for one entity" },
	{ "rules", "{NAME: {pattern | words, ...}}", "new entities, found by a pattern or a word list" },
	{ "deny", "[word, ...]", "words and phrases always redacted, as DENY_LIST" },
	{ "assets", "{NAME: {guarded_by, port, config, auth, sensitivity, endpoint, owner}}", "the inventory: audit joins network and configuration facts with it, probe checks its endpoints" },
	{ "ignore", "[{fingerprint, reason, expires}, ...]", "accepted audit findings, by fingerprint" },
	{ "region", "US | DE | GB | ...", "the country national phone numbers are read in (default US)" },
	{ "watch", "{state, files, sinks, routes, ...}", "cordon watch: what to watch, where alerts go" },
};
static const key_reader readers[] = {
	read_operator_key,
	read_entities,
	read_min_score,
	read_fields,
	read_allow,
	read_per_entity,
	NULL,
	NULL,
	read_assets,
	read_ignore,
	read_region,
	read_watch,
};
_Static_assert(NKEYS(top_keys) == NKEYS(readers), "a reader per top-level key");
_Static_assert(NKEYS(top_keys) <= 32, "cordon_policy.set has a bit per key");

static int top_index(const char *key)
{
	for (size_t i = 0; i < NKEYS(top_keys); i++)
		if (!strcmp(top_keys[i].name, key))
			return (int)i;
	return -1;
}

static int load(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->doc);
	if (!root) /* an empty file configures nothing */
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return pol_bad(l, root, "%s", "the file must be a mapping of keys to values");
	/* rules and deny first, so the other keys may name the new entities */
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = pol_node(l, pr->key), *v = pol_node(l, pr->value);
		if (pol_scalar(k) && !strcmp(pol_scalar(k), "deny") && read_deny(l, v))
			return -1;
		if (pol_scalar(k) && !strcmp(pol_scalar(k), "rules") && read_rules(l, v))
			return -1;
	}
	char keys[256];
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = pol_node(l, pr->key), *v = pol_node(l, pr->value);
		if (!pol_scalar(k))
			return pol_bad(l, k, "%s", "keys must be strings");
		int i = top_index(pol_scalar(k));
		if (i < 0)
			return pol_bad(l, k, "unknown key '%s' (%s)", pol_scalar(k),
				   pol_key_list(top_keys, NKEYS(top_keys), keys, sizeof(keys)));
		if (l->p->set & (1u << i))
			return pol_bad(l, k, "'%s' is given twice", pol_scalar(k));
		l->p->set |= 1u << i;
		if (readers[i] && readers[i](l, v))
			return -1;
	}
	return 0;
}

/* ---- the object -------------------------------------------------------- */

cordon_code cordon_policy_new(cordon_policy **out)
{
	if (!out)
		return CORDON_ERR_ARG;
	cordon_policy *p = calloc(1, sizeof(*p));
	if (!p)
		return CORDON_ERR_NOMEM;
	p->min_score = 0.5;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		p->entity_op[i] = -1;
	*out = p;
	return CORDON_OK;
}

void cordon_policy_free(cordon_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nfields; i++)
		free((char *)p->fields[i].path);
	free(p->fields);
	pol_free_strings((const char *const *)p->allow, p->nallow);
	for (size_t k = 0; k < p->nrules; k++) {
		struct cordon_rule *r = &p->rules[k];
		free((char *)r->name);
		free((char *)r->pattern);
		free((char *)r->validator);
		pol_free_strings(r->words, r->nwords);
		pol_free_strings(r->context, r->ncontext);
	}
	free(p->rules);
	for (size_t k = 0; k < p->nassets; k++) {
		free(p->assets[k].name);
		pol_free_strings((const char *const *)p->assets[k].guarded_by, p->assets[k].nguarded);
		free(p->assets[k].config);
		free(p->assets[k].sensitivity);
		free(p->assets[k].endpoint);
		free(p->assets[k].owner);
		pol_free_strings((const char *const *)p->assets[k].addresses, p->assets[k].naddresses);
	}
	free(p->assets);
	watch_section_free(p->watch);
	for (size_t k = 0; k < p->nignores; k++) {
		free((char *)p->ignores[k].fingerprint);
		free((char *)p->ignores[k].reason);
	}
	free(p->ignores);
	free(p->path);
	free(p);
}

cordon_code cordon_policy_load(cordon_policy *p, const char *name, const char *data, size_t len)
{
	if (!p || !name || (!data && len))
		return CORDON_ERR_ARG;
	if (p->loaded) {
		snprintf(p->err, sizeof(p->err), "a policy reads one file");
		return CORDON_ERR_ARG;
	}
	p->loaded = 1;
	if (!(p->path = strdup(name)))
		return CORDON_ERR_NOMEM;
	if (memchr(data, '\0', len)) {
		snprintf(p->err, sizeof(p->err), "invalid config '%s': it is not text (a NUL byte)", name);
		return CORDON_ERR_PARSE;
	}
	struct loader l = { .p = p };
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return CORDON_ERR_NOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)(data ? data : ""), len);
	cordon_code rc = CORDON_OK;
	if (!yaml_parser_load(&parser, &l.doc)) {
		snprintf(p->err, sizeof(p->err), "invalid config '%s' line %zu: %s", name,
			 parser.problem_mark.line + 1, parser.problem ? parser.problem : "cannot parse");
		rc = parser.error == YAML_MEMORY_ERROR ? CORDON_ERR_NOMEM : CORDON_ERR_PARSE;
	} else {
		if (load(&l))
			rc = l.nomem ? CORDON_ERR_NOMEM : CORDON_ERR_PARSE;
		yaml_document_delete(&l.doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}

cordon_code cordon_policy_load_file(cordon_policy *p, const char *path)
{
	if (!p || !path)
		return CORDON_ERR_ARG;
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) < 0) {
		snprintf(p->err, sizeof(p->err), "cannot open config '%s': %s", path, strerror(errno));
		if (f)
			fclose(f);
		return CORDON_ERR_IO;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(p->err, sizeof(p->err), "cannot read config '%s': %s", path,
			 S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
		fclose(f);
		return CORDON_ERR_IO;
	}
	enum { LIMIT = 64 << 20 };
	char *buf = NULL;
	size_t n = 0, cap = 0;
	cordon_code rc = CORDON_OK;
	for (;;) {
		if (n == LIMIT) {
			snprintf(p->err, sizeof(p->err), "cannot read config '%s': it is over 64 MiB", path);
			rc = CORDON_ERR_PARSE;
			break;
		}
		if (ALLOC_GROW(buf, n + 65536 > LIMIT ? LIMIT : n + 65536, cap)) {
			rc = CORDON_ERR_NOMEM;
			break;
		}
		size_t r = fread(buf + n, 1, (cap > LIMIT ? LIMIT : cap) - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (rc == CORDON_OK && ferror(f)) {
		snprintf(p->err, sizeof(p->err), "cannot read config '%s': %s", path, strerror(errno ? errno : EIO));
		rc = CORDON_ERR_IO;
	}
	fclose(f);
	if (rc == CORDON_OK)
		rc = cordon_policy_load(p, path, buf, n);
	free(buf);
	return rc;
}

const char *cordon_policy_error(const cordon_policy *p)
{
	return p ? p->err : "";
}

int cordon_policy_has(const cordon_policy *p, const char *key)
{
	int i = p && key ? top_index(key) : -1;
	return i >= 0 && (p->set & (1u << i));
}

void cordon_policy_engine_options(const cordon_policy *p, struct cordon_engine_options *eo)
{
	if (!p || !eo)
		return;
	if (cordon_policy_has(p, "entities"))
		eo->entities = p->entities;
	if (cordon_policy_has(p, "min_score"))
		eo->min_score = p->min_score;
	if (cordon_policy_has(p, "region"))
		eo->region = p->region;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		if (p->entity_min[i] > 0)
			eo->entity_min_score[i] = p->entity_min[i];
	if (p->nallow) {
		eo->allow = (const char *const *)p->allow;
		eo->nallow = p->nallow;
	}
	if (p->nrules) {
		eo->rules = p->rules;
		eo->nrules = p->nrules;
	}
}

cordon_code cordon_policy_operator(const cordon_policy *p, cordon_operator *out)
{
	if (!out || !cordon_policy_has(p, "operator"))
		return CORDON_ERR_ARG;
	*out = p->op;
	return CORDON_OK;
}

cordon_code cordon_policy_apply_redactor(const cordon_policy *p, cordon_redactor *r)
{
	if (!r)
		return CORDON_ERR_ARG;
	for (unsigned e = 0; p && e < CORDON_ENTITY_MAX; e++)
		if (p->entity_op[e] >= 0) {
			cordon_code rc = cordon_redactor_set_entity_operator(r, (cordon_entity)e,
									   (cordon_operator)p->entity_op[e]);
			if (rc != CORDON_OK)
				return rc;
		}
	return CORDON_OK;
}

void cordon_policy_fields(const cordon_policy *p, const struct cordon_field_policy **out, size_t *n)
{
	*out = p ? p->fields : NULL;
	*n = p ? p->nfields : 0;
}

cordon_code cordon_policy_entity(const cordon_policy *p, const char *name, cordon_entity *out)
{
	if (!name || !out)
		return CORDON_ERR_ARG;
	if (cordon_entity_from_name(name, out) == CORDON_OK)
		return CORDON_OK;
	for (size_t k = 0; p && k < p->nrules; k++)
		if (!strcasecmp(p->rules[k].name, name)) {
			*out = (cordon_entity)(CORDON_ENTITY_RULE_FIRST + k);
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

cordon_code cordon_policy_apply_audit(const cordon_policy *p, cordon_audit *a)
{
	if (!a)
		return CORDON_ERR_ARG;
	for (size_t k = 0; p && k < p->nassets; k++) {
		const struct asset *s = &p->assets[k];
		if (!s->nguarded)
			continue; /* known by its endpoint only: for probe */
		struct cordon_asset as = { .name = s->name,
					   .guarded_by = (const char *const *)s->guarded_by,
					   .nguarded = s->nguarded,
					   .port = s->port,
					   .config = s->config,
					   .no_auth = s->no_auth,
					   .sensitivity = s->sensitivity };
		cordon_code rc = cordon_audit_add_asset(a, &as);
		if (rc != CORDON_OK)
			return rc;
	}
	return CORDON_OK;
}

cordon_code cordon_policy_apply_probe(const cordon_policy *p, cordon_probe *probe, int as_targets,
				      const char *const *only, size_t nonly, const char **failed)
{
	if (failed)
		*failed = NULL;
	if (!probe)
		return CORDON_ERR_ARG;
	for (size_t i = 0; i < nonly; i++) {
		size_t k = 0;
		while (p && k < p->nassets && strcmp(p->assets[k].name, only[i]))
			k++;
		if (!p || k == p->nassets || !p->assets[k].endpoint) {
			if (failed)
				*failed = only[i];
			return CORDON_ERR_ARG;
		}
	}
	for (size_t k = 0; p && k < p->nassets; k++) {
		const struct asset *s = &p->assets[k];
		if (!s->endpoint)
			continue;
		cordon_code rc = cordon_probe_add_asset(probe, s->endpoint, s->name, s->owner, s->sensitivity);
		int wanted = as_targets && !nonly;
		for (size_t i = 0; i < nonly; i++)
			wanted |= !strcmp(only[i], s->name);
		if (rc == CORDON_OK && wanted) {
			char source[300];
			snprintf(source, sizeof(source), "asset '%s'", s->name);
			rc = cordon_probe_add_target(probe, s->endpoint, source);
		}
		if (rc != CORDON_OK) {
			if (failed)
				*failed = s->name;
			return rc;
		}
	}
	return CORDON_OK;
}

int cordon_policy_asset_count(const cordon_policy *p, int with_endpoint)
{
	int n = 0;
	for (size_t k = 0; p && k < p->nassets; k++)
		n += !with_endpoint || p->assets[k].endpoint != NULL;
	return n;
}

void cordon_policy_ignores(const cordon_policy *p, const struct cordon_ignore **out, size_t *n)
{
	*out = p ? p->ignores : NULL;
	*n = p ? p->nignores : 0;
}

void cordon_policy_apply_ignores(const cordon_policy *p, struct cordon_report_item *items, size_t n, time_t now,
				 size_t *matched)
{
	for (size_t k = 0; p && k < p->nignores; k++) {
		const struct cordon_ignore *ig = &p->ignores[k];
		if (matched)
			matched[k] = 0;
		for (size_t i = 0; i < n; i++) {
			const struct cordon_exposure *e = items[i].now ? items[i].now : items[i].before;
			if (!e || !e->fingerprint || strcmp(e->fingerprint, ig->fingerprint))
				continue;
			if (matched)
				matched[k]++;
			if (!ig->expires || now < ig->expires)
				items[i].ignored = ig->reason;
		}
	}
}

const struct cordon_policy_key *cordon_policy_keys(const char *section, size_t *n)
{
	static const struct {
		const char *name;
		const struct cordon_policy_key *keys;
		size_t n;
	} sections[] = {
		{ NULL, top_keys, NKEYS(top_keys) },
		{ "rules", rule_keys, NKEYS(rule_keys) },
		{ "per_entity", per_entity_keys, NKEYS(per_entity_keys) },
		{ "assets", asset_keys, NKEYS(asset_keys) },
		{ "ignore", ignore_keys, NKEYS(ignore_keys) },
	};
	if (section && watch_policy_keys(section, n))
		return watch_policy_keys(section, n);
	for (size_t s = 0; s < NKEYS(sections); s++) {
		if (section ? !sections[s].name || strcmp(sections[s].name, section) : sections[s].name != NULL)
			continue;
		if (n)
			*n = sections[s].n;
		return sections[s].keys;
	}
	if (n)
		*n = 0;
	return NULL;
}

const char *pol_path(const struct loader *l) { return l->p->path; }

char *pol_relative(const struct loader *l, const char *path) { return relative_to_file(l->p->path, path); }

cordon_code cordon_policy_watch(const cordon_policy *p, struct cordon_watch_config *out)
{
	const struct cordon_watch_config *c = p ? watch_section_config(p->watch) : NULL;
	if (!c || !out)
		return CORDON_ERR_ARG;
	*out = *c;
	return CORDON_OK;
}

cordon_code cordon_policy_asset_addresses(const cordon_policy *p, const char *asset, const char *const **addresses,
					  size_t *n, unsigned *port)
{
	for (size_t k = 0; p && asset && k < p->nassets; k++)
		if (!strcmp(p->assets[k].name, asset)) {
			*addresses = (const char *const *)p->assets[k].addresses;
			*n = p->assets[k].naddresses;
			*port = p->assets[k].port;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

const char *cordon_policy_asset_owner(const cordon_policy *p, const char *asset)
{
	for (size_t k = 0; p && asset && k < p->nassets; k++)
		if (!strcmp(p->assets[k].name, asset))
			return p->assets[k].owner;
	return NULL;
}
