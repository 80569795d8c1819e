/* SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps, Defect
 * Dojo): one rule per check (a kind of finding on a data store) with a
 * stable id and security-severity; one result per finding, located in its
 * export (relative URI under SRCROOT, the rule's line when known) and at
 * its resource, with the fingerprint as partialFingerprints, baselineState
 * on baseline runs, and ignored findings as suppressed. Every value is
 * checked against the SARIF schema by the tests. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "findings/report.h"
#include "findings/sarif.h"
#include "util/strbuf.h"

static const char *level(cordon_severity s)
{
	return s >= CORDON_SEV_HIGH ? "error" : s == CORDON_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub reads security-severity as a CVSS-like score: 9.0 and up
 * critical, 7.0 high, 4.0 medium, below low. */
static const char *security_severity(cordon_severity s)
{
	static const char *const v[] = { "2.0", "5.0", "8.0", "9.5" };
	return (unsigned)s <= CORDON_SEV_CRITICAL ? v[s] : "5.0";
}

static void describe(const struct cordon_exposure *e, struct strbuf *shortd, struct strbuf *full, struct strbuf *help)
{
	if (!strcmp(e->kind, "unauthenticated_access")) {
		sb_printf(shortd, "%s answers without authentication", e->datastore);
		sb_printf(full, "A live, read-only check found a %s that answers anyone who reaches it without a "
				"password or other authentication.", e->datastore);
		sb_printf(help, "Turn on %s's authentication and close the port to those who do not need it; then "
				"check the store's logs for who came in (cordon access).", e->datastore);
	} else if (e->endpoint) {
		sb_printf(shortd, "%s: %s", e->datastore,
			  !strcmp(e->kind, "authenticated")	? "authentication is on"
			  : !strcmp(e->kind, "unreachable") ? "did not answer"
			  : !strcmp(e->kind, "unverified")  ? "answers; authentication not checked"
							    : "not a data store cordon knows");
		sb_printf(full, "A live, read-only check of the endpoint; listed so the result is known, not as an "
				"exposure.");
		sb_printf(help, "Nothing to fix unless the endpoint should not answer at all.");
	} else if (!strcmp(e->kind, "unauthenticated_config")) {
		sb_printf(shortd, "%s configured without authentication", e->datastore);
		sb_printf(full, "A %s configuration lets clients in without a password or other authentication.",
			  e->datastore);
		sb_printf(help, "Turn on %s's authentication, and listen on the interfaces that need it only.",
			  e->datastore);
	} else if (!strcmp(e->kind, "platform_management")) {
		sb_printf(shortd, "A %s port the platform uses for management", e->datastore);
		sb_printf(full, "The platform's own service tags reach this port for management; it is listed "
				"so the rule is known, not as an exposure.");
		sb_printf(help, "Nothing to fix while only the platform's service tags reach it.");
	} else {
		sb_printf(shortd, "%s reachable from the Internet or a broad range", e->datastore);
		sb_printf(full, "Network rules, walked in priority order as the platform does, let addresses reach "
				"a %s port.", e->datastore);
		sb_printf(help, "Narrow the rule's sources to the addresses that need %s, or deny the port "
				"above it; then check the store's logs for who came in.", e->datastore);
	}
}

static const char *baseline_state(cordon_change c)
{
	switch (c) {
	case CORDON_CHANGE_OPENED: return "new";
	case CORDON_CHANGE_CLOSED: return "absent";
	case CORDON_CHANGE_NONE: return "unchanged";
	default: return "updated";
	}
}

static json_t *message(const struct cordon_report_item *it)
{
	const struct cordon_exposure *e = item_exposure(it);
	struct strbuf sb = STRBUF_INIT;
	if (it->change != CORDON_CHANGE_NONE)
		sb_printf(&sb, "%s: ", cordon_change_name(it->change));
	if (e->endpoint)
		sb_printf(&sb, "%s (%s%s%s): %s.", e->endpoint, e->datastore, e->version ? " " : "",
			  e->version ? e->version : "", e->evidence);
	else if (!strcmp(e->kind, "unauthenticated_config"))
		sb_printf(&sb, "%s (%s) %s (%s): %s.", e->resource, e->datastore, e->sources_text, e->width, e->rule);
	else
		sb_printf(&sb, "%s %s port %u/%s (%s) is reachable from %s (%s), let in by %s.", e->platform,
			  e->resource, e->port, protocol_name(e->protocol), e->datastore, e->sources_text, e->width,
			  e->rule);
	if (it->now && it->before && it->before->endpoint)
		sb_printf(&sb, " It was %s: %s.", cordon_severity_name(it->before->severity), it->before->evidence);
	else if (it->now && it->before && it->change != CORDON_CHANGE_CHANGED)
		sb_printf(&sb, " It was %s: %s (%s).", cordon_severity_name(it->before->severity),
			  it->before->sources_text, it->before->width);
	if (e->note)
		sb_printf(&sb, " %s", e->note);
	char *text = sb_detach(&sb);
	json_t *m = text ? json_pack("{s:s}", "text", text) : NULL;
	free(text);
	return m;
}

/* A live check is located at its endpoint: "https://es:9200",
 * "tcp://127.0.0.1:6379", "udp://10.0.0.5:11211". */
static char *endpoint_uri(const struct cordon_exposure *e)
{
	struct strbuf b = STRBUF_INIT;
	if (strstr(e->endpoint, "://")) {
		sb_puts(&b, e->endpoint);
	} else {
		size_t n = strlen(e->endpoint);
		int udp = n > 4 && !strcmp(e->endpoint + n - 4, "/udp");
		sb_printf(&b, "%s://%.*s", udp ? "udp" : "tcp", (int)(udp ? n - 4 : n), e->endpoint);
	}
	return sb_detach(&b);
}

struct rule_row {
	const char *check;
	const struct cordon_exposure *first;
	cordon_severity worst;
};

static cordon_code write_sarif(FILE *out, const struct cordon_report_options *o, const struct cordon_report_item *items,
			       size_t n)
{
	cordon_code rc = CORDON_ERR_NOMEM;
	struct rule_row *rows = calloc(n ? n : 1, sizeof(*rows));
	size_t nrows = 0;
	json_t *results = json_array(), *rules = json_array(), *doc = NULL;
	char *base_uri = o->uri_base ? sarif_dir_uri(o->uri_base) : NULL;
	if (!rows || !results || !rules)
		goto out;
	/* the rules, in order of first use */
	for (size_t k = 0; k < n; k++) {
		const struct cordon_exposure *e = item_exposure(&items[k]);
		size_t r = 0;
		while (r < nrows && strcmp(rows[r].check, e->check))
			r++;
		if (r == nrows)
			rows[nrows++] = (struct rule_row){ e->check, e, e->severity };
		else if (e->severity > rows[r].worst)
			rows[r].worst = e->severity;
	}
	for (size_t r = 0; r < nrows; r++) {
		struct strbuf s = STRBUF_INIT, f = STRBUF_INIT, h = STRBUF_INIT;
		describe(rows[r].first, &s, &f, &h);
		char *st = sb_detach(&s), *ft = sb_detach(&f), *ht = sb_detach(&h);
		json_t *rule = st && ft && ht
				       ? json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s, s:[s, s], s:s}}",
						   "id", rows[r].check, "shortDescription", "text", st, "fullDescription",
						   "text", ft, "help", "text", ht, "defaultConfiguration", "level",
						   level(rows[r].worst), "properties", "security-severity",
						   security_severity(rows[r].worst), "tags", "security",
						   rows[r].first->kind, "precision", "high")
				       : NULL;
		free(st);
		free(ft);
		free(ht);
		if (!rule || json_array_append_new(rules, rule))
			goto out;
	}
	for (size_t k = 0; k < n; k++) {
		const struct cordon_report_item *it = &items[k];
		const struct cordon_exposure *e = item_exposure(it);
		size_t r = 0;
		while (r < nrows && strcmp(rows[r].check, e->check))
			r++;
		int rel = 0;
		char *uri = e->endpoint ? endpoint_uri(e) : sarif_file_uri(e->file, o->uri_base, &rel);
		if (!uri)
			goto out;
		json_t *artifact = json_pack("{s:s}", "uri", uri);
		free(uri);
		if (!artifact || (rel && base_uri && json_object_set_new(artifact, "uriBaseId", json_string("SRCROOT"))))
			goto out;
		json_t *physical = json_pack("{s:o}", "artifactLocation", artifact);
		if (!physical || (e->line && json_object_set_new(physical, "region", json_pack("{s:i}", "startLine",
											 (json_int_t)e->line))))
			goto out;
		json_t *res = json_pack("{s:s, s:i, s:s, s:o, s:[{s:o, s:[{s:s, s:s}]}], s:{s:s}, s:o}", "ruleId",
					e->check, "ruleIndex", (json_int_t)r, "level", level(e->severity), "message",
					message(it), "locations", "physicalLocation", physical, "logicalLocations",
					"name", e->resource, "kind", "resource", "partialFingerprints",
					"cordonExposure/v1", e->fingerprint, "properties", item_json(it, o->baseline));
		if (!res || json_array_append_new(results, res))
			goto out;
		if (o->baseline && json_object_set_new(res, "baselineState", json_string(baseline_state(it->change))))
			goto out;
		if (it->ignored && json_object_set_new(res, "suppressions",
						       json_pack("[{s:s, s:s, s:s}]", "kind", "external", "status",
								 "accepted", "justification", it->ignored)))
			goto out;
	}
	doc = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o, s:s}]}", "$schema",
			SARIF_SCHEMA, "version", "2.1.0", "runs", "tool", "driver",
			"name", o->tool_name ? o->tool_name : "cordon", "version", cordon_version(), "rules", rules,
			"results", results, "columnKind", "unicodeCodePoints");
	rules = results = NULL; /* the document holds them */
	if (!doc)
		goto out;
	if (base_uri && json_object_set_new(json_array_get(json_object_get(doc, "runs"), 0), "originalUriBaseIds",
					    json_pack("{s:{s:s}}", "SRCROOT", "uri", base_uri)))
		goto out;
	rc = json_dumpf(doc, out, JSON_INDENT(2)) || fputc('\n', out) == EOF || ferror(out) ? CORDON_ERR_IO : CORDON_OK;
out:
	json_decref(doc);
	json_decref(rules);
	json_decref(results);
	free(rows);
	free(base_uri);
	return rc;
}

const struct reporter report_sarif = { "sarif", CORDON_REPORT_SARIF, write_sarif };
