/* Reports of cordon scan's findings, written as they come (the findings of
 * a large input can outnumber what memory would hold): text lines in the
 * compiler's file:line:column form, so editors jump to them; JSON lines
 * (docs/schemas/scan-finding.json); SARIF, whose head (one rule per
 * entity) is written first, its results as they come and its tail at
 * finish. No value is written: text and JSON carry the masked preview,
 * SARIF not even that. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/detect.h"
#include "cordon/records.h"
#include "findings/report.h"
#include "findings/sarif.h"

struct cordon_scan_report {
	FILE *f;
	struct cordon_scan_report_options o;
	uint64_t count;
	/* SARIF: each entity's rule index, -1: none */
	int rule_of[CORDON_ENTITY_MAX];
	char *base_uri;
	char *uri_base; /* a copy of o.uri_base */
	int failed;
};

static const char *entity_name(const cordon_scan_report *r, cordon_entity e)
{
	const char *n = r->o.engine ? cordon_engine_entity_name(r->o.engine, e) : cordon_entity_name(e);
	return n ? n : "?";
}

static cordon_code sarif_head(cordon_scan_report *r)
{
	json_t *rules = json_array();
	unsigned n = r->o.engine ? cordon_engine_entity_count(r->o.engine) : CORDON_ENTITY_COUNT;
	int next = 0;
	for (unsigned e = 0; rules && e < n && e < CORDON_ENTITY_MAX; e++) {
		const char *name = r->o.engine ? cordon_engine_entity_name(r->o.engine, (cordon_entity)e)
					       : cordon_entity_name((cordon_entity)e);
		if (!name)
			continue;
		char shortd[160], full[320];
		snprintf(shortd, sizeof(shortd), "Personal data: %s", name);
		snprintf(full, sizeof(full),
			 "A value cordon reads as %s. Redact the records with cordon redact before they are stored "
			 "or shared.",
			 name);
		json_t *rule = json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:[s, s], s:s}}", "id", name,
					 "shortDescription", "text", shortd, "fullDescription", "text", full,
					 "defaultConfiguration", "level", "warning", "properties", "tags", "privacy",
					 "personal-data", "security-severity", "7.0");
		if (!rule || json_array_append_new(rules, rule)) {
			json_decref(rules);
			return CORDON_ERR_NOMEM;
		}
		r->rule_of[e] = next++;
	}
	if (!rules)
		return CORDON_ERR_NOMEM;
	json_t *driver = json_pack("{s:s, s:s, s:o}", "name", "cordon", "version", cordon_version(), "rules", rules);
	char *text = driver ? json_dumps(driver, JSON_COMPACT) : NULL;
	json_decref(driver);
	if (!text)
		return CORDON_ERR_NOMEM;
	fprintf(r->f, "{\"$schema\":\"%s\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":%s},", SARIF_SCHEMA,
		text);
	free(text);
	if (r->base_uri) {
		json_t *b = json_pack("{s:{s:s}}", "SRCROOT", "uri", r->base_uri);
		char *bt = b ? json_dumps(b, JSON_COMPACT) : NULL;
		json_decref(b);
		if (!bt)
			return CORDON_ERR_NOMEM;
		fprintf(r->f, "\"originalUriBaseIds\":%s,", bt);
		free(bt);
	}
	fputs("\"columnKind\":\"unicodeCodePoints\",\"results\":[\n", r->f);
	return ferror(r->f) ? CORDON_ERR_IO : CORDON_OK;
}

cordon_code cordon_scan_report_new(cordon_scan_report **out, FILE *f, const struct cordon_scan_report_options *o)
{
	if (!out || !f || !o || (unsigned)o->format > CORDON_REPORT_SARIF)
		return CORDON_ERR_ARG;
	cordon_scan_report *r = calloc(1, sizeof(*r));
	if (!r)
		return CORDON_ERR_NOMEM;
	r->f = f;
	r->o = *o;
	if (o->uri_base && !(r->uri_base = strdup(o->uri_base))) {
		free(r);
		return CORDON_ERR_NOMEM;
	}
	r->o.uri_base = r->uri_base; /* the caller's may go after this call */
	for (unsigned e = 0; e < CORDON_ENTITY_MAX; e++)
		r->rule_of[e] = -1;
	cordon_code rc = CORDON_OK;
	if (o->format == CORDON_REPORT_SARIF) {
		if (o->uri_base && !(r->base_uri = sarif_dir_uri(o->uri_base)))
			rc = CORDON_ERR_NOMEM;
		if (rc == CORDON_OK)
			rc = sarif_head(r);
	}
	if (rc != CORDON_OK) {
		cordon_scan_report_free(r);
		return rc;
	}
	*out = r;
	return CORDON_OK;
}

static void text_finding(cordon_scan_report *r, const char *file, const struct cordon_record_finding *x)
{
	FILE *f = r->f;
	report_put_safe(f, file);
	fprintf(f, ":%llu:%zu: %s %.2f ", (unsigned long long)x->line, x->column, entity_name(r, x->entity), x->score);
	report_put_safe(f, x->preview);
	if (x->record)
		fprintf(f, " (record %llu", (unsigned long long)x->record);
	else
		fputs(" (header row", f);
	if (x->record_id) {
		fputs(", id ", f);
		report_put_safe(f, x->record_id);
	}
	if (x->field) {
		fputs(", field ", f);
		report_put_safe(f, x->field);
	}
	fprintf(f, ", bytes %zu-%zu)", x->start, x->end);
	if (r->o.explain)
		fprintf(f, "  [%s%s%s]", x->rule ? x->rule : "", x->context && *x->context ? "; word: " : "",
			x->context ? x->context : "");
	putc('\n', f);
}

static cordon_code json_finding(cordon_scan_report *r, const char *file, const struct cordon_record_finding *x)
{
	json_t *o = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I}", "schema_version", 1, "file", file, "record",
			      (json_int_t)x->record, "line", (json_int_t)x->line, "column", (json_int_t)x->column,
			      "end_line", (json_int_t)x->end_line, "end_column", (json_int_t)x->end_column);
	if (!o)
		return CORDON_ERR_NOMEM;
	int bad = (x->record_id && json_object_set_new(o, "id", json_string(x->record_id))) ||
		  json_object_set_new(o, "field", x->field ? json_string(x->field) : json_null()) ||
		  json_object_set_new(o, "entity", json_string(entity_name(r, x->entity))) ||
		  json_object_set_new(o, "start", json_integer((json_int_t)x->start)) ||
		  json_object_set_new(o, "end", json_integer((json_int_t)x->end)) ||
		  json_object_set_new(o, "score", json_real((double)(long)(x->score * 100 + 0.5) / 100)) ||
		  json_object_set_new(o, "preview", json_string(x->preview ? x->preview : "")) ||
		  (r->o.explain && (json_object_set_new(o, "rule", json_string(x->rule ? x->rule : "")) ||
				    json_object_set_new(o, "context", json_string(x->context ? x->context : ""))));
	if (!bad)
		bad = json_dumpf(o, r->f, JSON_COMPACT | JSON_REAL_PRECISION(4)) || putc('\n', r->f) == EOF;
	json_decref(o);
	return bad ? (ferror(r->f) ? CORDON_ERR_IO : CORDON_ERR_NOMEM) : CORDON_OK;
}

/* Stable across runs of the same input, made of where and what, never of
 * the value: a hash of a value is the value to whoever can guess it. */
static void fingerprint(const char *file, const struct cordon_record_finding *x, const char *entity, char out[17])
{
	char where[128];
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	snprintf(where, sizeof(where), "%llu:%zu", (unsigned long long)x->line, x->column);
	const char *parts[] = { "cordon-scan-v1", file, where, x->field ? x->field : "", entity };
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 17, h, 8);
}

static cordon_code sarif_finding(cordon_scan_report *r, const char *file, const struct cordon_record_finding *x)
{
	const char *entity = entity_name(r, x->entity);
	int rel = 0;
	char *uri = sarif_file_uri(file, r->o.uri_base, &rel), fp[17];
	if (!uri)
		return CORDON_ERR_NOMEM;
	fingerprint(file, x, entity, fp);
	char msg[512], rec[48];
	if (x->record)
		snprintf(rec, sizeof(rec), "record %llu", (unsigned long long)x->record);
	else
		snprintf(rec, sizeof(rec), "the header row");
	if (x->field) /* "EMAIL_ADDRESS in field 'note' of record 2" */
		snprintf(msg, sizeof(msg), "%s in field '%.300s' of %s (score %.2f).", entity, x->field, rec, x->score);
	else
		snprintf(msg, sizeof(msg), "%s in %s (score %.2f).", entity, rec, x->score);
	json_t *region = json_pack("{s:I, s:I, s:I, s:I}", "startLine", (json_int_t)x->line, "startColumn",
				   (json_int_t)x->column, "endLine", (json_int_t)x->end_line, "endColumn",
				   (json_int_t)x->end_column);
	json_t *artifact = json_pack("{s:s}", "uri", uri);
	free(uri);
	if (artifact && rel && r->base_uri)
		json_object_set_new(artifact, "uriBaseId", json_string("SRCROOT"));
	json_t *props = json_pack("{s:I, s:f}", "record", (json_int_t)x->record, "score", x->score);
	if (props && x->field)
		json_object_set_new(props, "field", json_string(x->field));
	if (props && x->record_id)
		json_object_set_new(props, "id", json_string(x->record_id));
	json_t *res = json_pack("{s:s, s:i, s:s, s:{s:s}, s:[{s:{s:o, s:o}}], s:{s:s}, s:o}", "ruleId", entity,
				"ruleIndex", (json_int_t)(r->rule_of[x->entity] >= 0 ? r->rule_of[x->entity] : 0), "level",
				"warning", "message", "text", msg, "locations", "physicalLocation", "artifactLocation",
				artifact, "region", region, "partialFingerprints", "cordonFinding/v1", fp, "properties",
				props);
	if (!res)
		return CORDON_ERR_NOMEM;
	if (r->count)
		fputs(",\n", r->f);
	int bad = json_dumpf(res, r->f, JSON_COMPACT | JSON_REAL_PRECISION(4));
	json_decref(res);
	return bad ? (ferror(r->f) ? CORDON_ERR_IO : CORDON_ERR_NOMEM) : CORDON_OK;
}

cordon_code cordon_scan_report_add(cordon_scan_report *r, const char *file, const struct cordon_record_finding *x)
{
	if (!r || !file || !x || (unsigned)x->entity >= CORDON_ENTITY_MAX)
		return CORDON_ERR_ARG;
	cordon_code rc = CORDON_OK;
	switch (r->o.format) {
	case CORDON_REPORT_TEXT:
		text_finding(r, file, x);
		break;
	case CORDON_REPORT_JSON:
		rc = json_finding(r, file, x);
		break;
	case CORDON_REPORT_SARIF:
		rc = sarif_finding(r, file, x);
		break;
	}
	if (rc == CORDON_OK && ferror(r->f))
		rc = CORDON_ERR_IO;
	if (rc == CORDON_OK)
		r->count++;
	return rc;
}

cordon_code cordon_scan_report_finish(cordon_scan_report *r)
{
	if (!r)
		return CORDON_ERR_ARG;
	if (r->o.format == CORDON_REPORT_SARIF)
		fputs("\n]}]}\n", r->f);
	return fflush(r->f) || ferror(r->f) ? CORDON_ERR_IO : CORDON_OK;
}

uint64_t cordon_scan_report_count(const cordon_scan_report *r)
{
	return r ? r->count : 0;
}

void cordon_scan_report_free(cordon_scan_report *r)
{
	if (!r)
		return;
	free(r->base_uri);
	free(r->uri_base);
	free(r);
}
