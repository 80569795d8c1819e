/* What the configuration readers share: key-value lines, YAML flattened to
 * dotted keys (libyaml), and a few judgements about values. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "audit/conf.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/str.h"

void conf_kvs_free(struct conf_kvs *kv)
{
	for (size_t k = 0; k < kv->n; k++) {
		free(kv->v[k].key);
		free(kv->v[k].value);
	}
	free(kv->v);
	kv->v = NULL;
	kv->n = kv->cap = 0;
}

static int push(struct conf_kvs *kv, const char *key, size_t klen, const char *value, size_t vlen, unsigned line)
{
	if (ALLOC_GROW(kv->v, kv->n + 1, kv->cap))
		return -1;
	char *k = strndup(key ? key : "", klen), *v = strndup(value ? value : "", vlen);
	if (!k || !v) {
		free(k);
		free(v);
		return -1;
	}
	kv->v[kv->n++] = (struct conf_kv){ k, v, line };
	return 0;
}

const char *conf_get(const struct conf_kvs *kv, const char *key, unsigned *line)
{
	for (size_t k = kv->n; k-- > 0;)
		if (!strcasecmp(kv->v[k].key, key)) {
			if (line)
				*line = kv->v[k].line;
			return kv->v[k].value;
		}
	return NULL;
}

int conf_parse_lines(const char *data, size_t len, struct conf_kvs *out)
{
	struct cordon_buf section = CORDON_BUF_INIT, key = CORDON_BUF_INIT;
	unsigned line = 0;
	int rc = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		line++;
		size_t b = i, t = e;
		i = e + 1;
		while (b < t && isspace((unsigned char)data[b]))
			b++;
		while (t > b && isspace((unsigned char)data[t - 1]))
			t--;
		if (b == t || data[b] == '#' || data[b] == ';')
			continue;
		if (data[b] == '[' && data[t - 1] == ']') {
			cordon_buf_reset(&section);
			if (cordon_buf_append(&section, data + b + 1, t - b - 2)) {
				rc = -1;
				break;
			}
			continue;
		}
		size_t k = b;
		while (k < t && !isspace((unsigned char)data[k]) && data[k] != '=' && data[k] != ':')
			k++;
		size_t v = k;
		while (v < t && (isspace((unsigned char)data[v]) || data[v] == '=' || data[v] == ':'))
			v++;
		/* a trailing comment after the value */
		size_t ve = t;
		for (size_t c = v; c < t; c++)
			if (data[c] == '#' && c > v && isspace((unsigned char)data[c - 1])) {
				ve = c;
				break;
			}
		while (ve > v && isspace((unsigned char)data[ve - 1]))
			ve--;
		if (ve - v >= 2 && (data[v] == '"' || data[v] == '\'') && data[ve - 1] == data[v])
			v++, ve--;
		cordon_buf_reset(&key);
		if (cordon_buf_append(&key, section.data, section.len) ||
		    (section.len && cordon_buf_putc(&key, '.')) || cordon_buf_append(&key, data + b, k - b) ||
		    push(out, key.data, key.len, data + v, ve - v, line)) {
			rc = -1;
			break;
		}
	}
	cordon_buf_release(&section);
	cordon_buf_release(&key);
	return rc;
}

/* ---- YAML ---- */

struct walker {
	yaml_document_t *doc;
	struct conf_kvs *out;
	int failed;
};

static void walk(struct walker *w, yaml_node_t *n, const char *prefix, unsigned depth)
{
	if (!n || depth > 32 || w->failed)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		if (push(w->out, prefix, strlen(prefix), (const char *)n->data.scalar.value, n->data.scalar.length,
			 (unsigned)n->start_mark.line + 1))
			w->failed = 1;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		/* a list of scalars becomes "a,b,c" */
		struct cordon_buf joined = CORDON_BUF_INIT;
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *item = yaml_document_get_node(w->doc, *it);
			if (item && item->type == YAML_SCALAR_NODE &&
			    ((joined.len && cordon_buf_putc(&joined, ',')) ||
			     cordon_buf_append(&joined, item->data.scalar.value, item->data.scalar.length)))
				w->failed = 1;
		}
		if (push(w->out, prefix, strlen(prefix), joined.data ? joined.data : "", joined.len,
			 (unsigned)n->start_mark.line + 1))
			w->failed = 1;
		cordon_buf_release(&joined);
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			struct cordon_buf key = CORDON_BUF_INIT;
			if (cordon_buf_puts(&key, prefix) || (*prefix && cordon_buf_putc(&key, '.')) ||
			    cordon_buf_append(&key, k->data.scalar.value, k->data.scalar.length) ||
			    cordon_buf_putc(&key, '\0')) {
				w->failed = 1;
				cordon_buf_release(&key);
				return;
			}
			walk(w, yaml_document_get_node(w->doc, p->value), key.data, depth + 1);
			cordon_buf_release(&key);
		}
	}
}

int conf_parse_yaml(const char *data, size_t len, struct conf_kvs *out, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	int rc = 0;
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "not YAML: %s at line %zu", parser.problem ? parser.problem : "cannot parse",
			 parser.problem_mark.line + 1);
		rc = -1;
	} else {
		struct walker w = { &doc, out, 0 };
		walk(&w, yaml_document_get_root_node(&doc), "", 0);
		if (w.failed) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return rc;
}

static int loopback_span(struct span a)
{
	while (a.n && (*a.p == ' ' || *a.p == '"' || *a.p == '\'' || *a.p == '-'))
		a.p++, a.n--;
	while (a.n && (a.p[a.n - 1] == '"' || a.p[a.n - 1] == '\''))
		a.n--;
	return (a.n > 4 && !memcmp(a.p, "127.", 4)) || span_is(a, "::1") || span_is(a, "[::1]") ||
	       (a.n == 9 && !strncasecmp(a.p, "localhost", 9)) || span_is(a, "_local_");
}

int conf_is_loopback(const char *a)
{
	return loopback_span((struct span){ a, strlen(a) });
}

int conf_any_beyond_loopback(const char *list, const char *delims)
{
	struct span t;
	size_t pos = 0, len = strlen(list);
	int any = 0;
	while (span_token(list, len, &pos, delims, &t))
		if (!loopback_span(t))
			any = 1;
	return any;
}

int conf_true(const char *v)
{
	return v && (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1") ||
		     !strcasecmp(v, "enabled"));
}
