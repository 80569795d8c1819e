/* Kibana: GET /api/status. It answers without credentials when security
 * is off, and then whoever reaches Kibana reads the cluster behind it with
 * Kibana's own credentials. */
#include <string.h>
#include "probe/probe.h"

static const char *const allow[] = { "GET /", "GET /api/status", NULL };

static int identify(const struct probe_ctx *c)
{
	char v[200];
	return probe_header(c, "kbn-name", v, sizeof(v)) || probe_header(c, "kbn-license-sig", v, sizeof(v));
}

static int step(struct probe_ctx *c)
{
	if (c->state == 0) {
		c->state = 1;
		return probe_get(c, "/api/status") ? PROBE_DONE : PROBE_WAIT;
	}
	json_t *j = probe_json(c);
	const char *number = json_string_value(json_object_get(json_object_get(j, "version"), "number"));
	char v[200];
	if (c->status == 200 && number) {
		probe_set_version(c, number, strlen(number));
		probe_found(c, "unauthenticated_access", "GET /api/status answers 200 without credentials (version %.40s)",
			    number);
		probe_note(c, "Kibana reads its cluster with its own credentials: an open Kibana opens the cluster");
	} else if ((c->status == 401 || c->status == 403) && probe_header(c, "www-authenticate", v, sizeof(v))) {
		probe_found(c, "authenticated", "GET /api/status answers %ld with WWW-Authenticate: %s", c->status, v);
	} else if (c->status == 401 || c->status == 403 || c->status == 302) {
		probe_found(c, "authenticated", "GET /api/status answers %ld", c->status);
	} else {
		json_decref(j);
		return probe_other_http(c);
	}
	json_decref(j);
	return PROBE_DONE;
}

const struct probe_def probe_kibana = {
	.name = "kibana",
	.service = "Kibana",
	.datastore = "Kibana",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
};
