/* JSON lines: one object per finding (docs/schemas/audit-finding.json).
 * Lists are arrays; schema_version says which shape this is. */
#include <string.h>
#include "findings/report.h"

enum { SCHEMA_VERSION = 1 };

static json_t *strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Sets key to v when v is not NULL; 0, or -1 when out of memory. */
static int set_str(json_t *o, const char *key, const char *v)
{
	return !v ? 0 : json_object_set_new(o, key, json_string(v));
}

static json_t *stores_json(const struct cordon_exposure *e)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < e->nstores; i++) {
		const struct cordon_store *s = &e->stores[i];
		json_t *o = json_pack("{s:s}", "name", s->name);
		if (!o || (s->records >= 0 && json_object_set_new(o, "records", json_integer(s->records))) ||
		    (s->bytes >= 0 && json_object_set_new(o, "bytes", json_integer(s->bytes))) ||
		    json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *holds_json(const struct cordon_exposure *e)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < e->nholds; i++) {
		const struct cordon_held *h = &e->holds[i];
		json_t *o = json_pack("{s:s, s:I, s:s}", "entity", h->entity, "count",
				      (json_int_t)(h->count > (uint64_t)INT64_MAX ? INT64_MAX : h->count), "preview",
				      h->preview);
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* A live check's finding (cordon probe; docs/schemas/probe-finding.json). */
static json_t *probe_json(const struct cordon_exposure *e)
{
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:o, s:o}", "schema_version",
			      SCHEMA_VERSION, "kind", e->kind, "check", e->check, "fingerprint", e->fingerprint,
			      "severity", cordon_severity_name(e->severity), "platform", e->platform, "endpoint",
			      e->endpoint, "port", (json_int_t)e->port, "protocol", protocol_name(e->protocol), "service",
			      e->service, "evidence", e->evidence, "stores", stores_json(e), "holds", holds_json(e));
	if (o && (set_str(o, "version", e->version) || set_str(o, "asset", e->asset) || set_str(o, "owner", e->owner) ||
		  set_str(o, "sensitivity", e->sensitivity) || set_str(o, "note", e->note))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *exposure_json(const struct cordon_exposure *e)
{
	if (e->endpoint)
		return probe_json(e);
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s, s:I, s:s, s:o}",
			      "schema_version", SCHEMA_VERSION, "kind", e->kind, "check", e->check, "fingerprint",
			      e->fingerprint, "severity", cordon_severity_name(e->severity), "platform", e->platform,
			      "resource", e->resource, "file", e->file, "port", (json_int_t)e->port, "protocol",
			      protocol_name(e->protocol), "datastore", e->datastore, "sources",
			      strings(e->sources, e->nsources), "except", strings(e->except, e->nexcept),
			      "sources_text", e->sources_text, "width", e->width, "addresses",
			      (json_int_t)(e->addresses > (uint64_t)INT64_MAX ? INT64_MAX : e->addresses), "rule",
			      e->rule, "rules", strings(e->rules, e->nrules));
	if (o && ((e->line && json_object_set_new(o, "line", json_integer(e->line))) || set_str(o, "asset", e->asset) ||
		  set_str(o, "sensitivity", e->sensitivity) || set_str(o, "note", e->note))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *item_json(const struct cordon_report_item *it, int baseline)
{
	json_t *o = exposure_json(item_exposure(it));
	if (!o || !baseline)
		return o;
	const char *change = it->change == CORDON_CHANGE_NONE ? "same" : cordon_change_name(it->change);
	if (json_object_set_new(o, "change", json_string(change))) {
		json_decref(o);
		return NULL;
	}
	if (it->now && it->before && it->before->endpoint) {
		const struct cordon_exposure *b = it->before;
		json_t *was = json_pack("{s:s, s:s, s:s}", "kind", b->kind, "severity", cordon_severity_name(b->severity),
					"evidence", b->evidence);
		if (!was || json_object_set_new(o, "before", was)) {
			json_decref(o);
			return NULL;
		}
	} else if (it->now && it->before) {
		const struct cordon_exposure *b = it->before;
		json_t *was = json_pack("{s:s, s:o, s:o, s:s, s:s, s:o}", "severity", cordon_severity_name(b->severity),
					"sources", strings(b->sources, b->nsources), "except",
					strings(b->except, b->nexcept), "sources_text", b->sources_text, "width",
					b->width, "rules", strings(b->rules, b->nrules));
		if (!was || json_object_set_new(o, "before", was)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static cordon_code write_json(FILE *out, const struct cordon_report_options *o, const struct cordon_report_item *items,
			      size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (items[k].ignored)
			continue;
		json_t *j = item_json(&items[k], o->baseline);
		if (!j)
			return CORDON_ERR_NOMEM;
		int bad = json_dumpf(j, out, JSON_COMPACT) || fputc('\n', out) == EOF;
		json_decref(j);
		if (bad)
			return CORDON_ERR_IO;
	}
	return ferror(out) ? CORDON_ERR_IO : CORDON_OK;
}

const struct reporter report_json = { "json", CORDON_REPORT_JSON, write_json };
