/* The Elasticsearch (and OpenSearch security plugin's) audit log: one JSON
 * object a line,
 *   {"type":"audit", "timestamp":"2026-11-01T01:00:00,123+0000",
 *    "event.type":"rest", "event.action":"access_granted",
 *    "origin.type":"rest", "origin.address":"203.0.113.5:53412",
 *    "action":"indices:data/read/search", "indices":["cases"],
 *    "url.path":"/cases/_search", "request.method":"GET", ...}
 * (OpenSearch: "audit_category", "audit_request_remote_address",
 * "audit_transport_request_type" / "audit_rest_request_path"). What a
 * source did comes from the action: indices:data/read/... is a read,
 * indices:data/write/... and index deletion a write, cluster:monitor/...
 * and indices:admin/get or mappings a listing; access_denied, authentication_failed
 * and anonymous_access_denied are refusals. */
#include <string.h>
#include <jansson.h>
#include "access/access_internal.h"

static int es_sniff(const char *head, size_t n)
{
	return n && head[0] == '{' &&
	       ((memmem(head, n, "\"event.action\"", 14) && memmem(head, n, "\"origin.address\"", 16)) ||
		memmem(head, n, "\"audit_category\"", 16));
}

static int starts(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

static cordon_access_action classify(const char *event, const char *action, const char *path)
{
	if (starts(event, "access_denied") || starts(event, "authentication_failed") ||
	    starts(event, "anonymous_access_denied") || starts(event, "FAILED_LOGIN") ||
	    starts(event, "MISSING_PRIVILEGES") || starts(event, "realm_authentication_failed"))
		return CORDON_ACCESS_ACT_REFUSED;
	if (starts(event, "authentication_success") || starts(event, "AUTHENTICATED"))
		return CORDON_ACCESS_ACT_LOGIN;
	if (starts(event, "connection_granted") || starts(event, "connection_denied"))
		return starts(event, "connection_denied") ? CORDON_ACCESS_ACT_REFUSED : CORDON_ACCESS_ACT_CONNECT;
	if (starts(action, "indices:data/read/") || (path && (strstr(path, "_search") || strstr(path, "_scroll") ||
							    strstr(path, "_doc") || strstr(path, "_source") ||
							    strstr(path, "_mget") || strstr(path, "_sql"))))
		return CORDON_ACCESS_ACT_READ;
	if (starts(action, "indices:data/write/") || starts(action, "indices:admin/delete") ||
	    starts(action, "indices:admin/create"))
		return CORDON_ACCESS_ACT_WRITE;
	if (starts(action, "cluster:monitor/") || starts(action, "indices:admin/get") ||
	    starts(action, "indices:admin/mappings") || starts(action, "indices:monitor/") ||
	    (path && (strstr(path, "_cat") || strstr(path, "_mapping") || strstr(path, "_aliases"))))
		return CORDON_ACCESS_ACT_LIST;
	return CORDON_ACCESS_ACT_OTHER;
}

static int es_read(cordon_access *a, struct access_stream *st)
{
	const char *line;
	size_t n;
	int r;
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (!n)
			continue;
		json_error_t e;
		json_t *j = json_loadb(line, n, 0, &e);
		const char *t = access_json_str(j, "timestamp") ? access_json_str(j, "timestamp") : access_json_str(j, "@timestamp");
		const char *origin = access_json_str(j, "origin.address") ? access_json_str(j, "origin.address") : access_json_str(j, "audit_request_remote_address");
		const char *event = access_json_str(j, "event.action") ? access_json_str(j, "event.action") : access_json_str(j, "audit_category");
		const char *action = access_json_str(j, "action") ? access_json_str(j, "action") : access_json_str(j, "audit_transport_request_type");
		const char *path = access_json_str(j, "url.path") ? access_json_str(j, "url.path") : access_json_str(j, "audit_rest_request_path");
		time_t when;
		u128 from;
		int ok = j && t && event && !access_time_iso(t, strlen(t), &when);
		if (ok && !origin) { /* a node's own event (no remote): coverage only */
			access_covered(a, when, when);
			json_decref(j);
			continue;
		}
		ok = ok && !access_addr_port(origin, &from);
		cordon_access_action act = ok ? classify(event, action, path) : CORDON_ACCESS_ACT_OTHER;
		json_decref(j);
		if (!ok) {
			if (access_malformed(a, st, line, n, "not an audit event (timestamp, event.action, origin.address)"))
				return -1;
			continue;
		}
		access_action(a, when, from, act, -1);
	}
	return r;
}

const struct access_format access_format_es_audit = {
	.name = "es-audit",
	.what = "Elasticsearch audit log (JSON lines: event.action, origin.address, action, indices, url.path), "
		"and OpenSearch's (audit_category)",
	.sniff = es_sniff,
	.read = es_read,
};
