/* Prometheus Alertmanager: POST /api/v2/alerts with one alert per
 * exposure window (labels: alertname CordonDataStoreExposed, severity,
 * datastore, port, resource, asset, owner, fingerprint, window), sent
 * again every minute while the window is open (Alertmanager resolves an
 * alert that is not), and with endsAt when it closes. The sink's url is
 * Alertmanager's base (http://am:9093) or the full API path. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "watch/watch.h"

static CURL *request(struct sink_run *s, const char *dedup, const char *event)
{
	(void)dedup;
	json_t *a = json_loads(s->body, 0, NULL);
	if (!a)
		return NULL;
	char port[16], window[32];
	snprintf(port, sizeof(port), "%lld", (long long)json_integer_value(json_object_get(a, "port")));
	snprintf(window, sizeof(window), "w%lld", (long long)json_integer_value(json_object_get(a, "window_id")));
	json_t *labels = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "alertname", "CordonDataStoreExposed",
				   "severity", json_string_value(json_object_get(a, "severity")), "datastore",
				   json_string_value(json_object_get(a, "datastore")), "port", port, "resource",
				   json_string_value(json_object_get(a, "resource")), "fingerprint",
				   json_string_value(json_object_get(a, "fingerprint")), "window", window);
	if (labels) {
		if (json_object_get(a, "asset"))
			json_object_set(labels, "asset", json_object_get(a, "asset"));
		if (json_object_get(a, "owner"))
			json_object_set(labels, "owner", json_object_get(a, "owner"));
	}
	json_t *ann = json_pack("{s:O, s:O, s:O}", "summary", json_object_get(a, "summary"), "description",
				json_object_get(a, "what_to_do"), "opened_by", json_object_get(a, "opened_by"));
	json_t *alert = labels && ann ? json_pack("{s:o, s:o, s:O}", "labels", labels, "annotations", ann, "startsAt",
						  json_object_get(a, "opened_at"))
				      : NULL;
	if (alert && !strcmp(event, "resolved") && json_object_get(a, "closed_at"))
		json_object_set(alert, "endsAt", json_object_get(a, "closed_at"));
	json_t *list = alert ? json_pack("[o]", alert) : NULL;
	json_decref(a);
	free(s->payload);
	s->payload = list ? json_dumps(list, JSON_COMPACT) : NULL;
	json_decref(list);
	if (!s->payload)
		return NULL;
	CURL *e = sink_post(s, s->payload, NULL);
	if (e && !strstr(s->sink->url, "/api/v2/alerts")) {
		char url[1024];
		size_t n = strlen(s->sink->url);
		snprintf(url, sizeof(url), "%.*s/api/v2/alerts", (int)(n && s->sink->url[n - 1] == '/' ? n - 1 : n), s->sink->url);
		curl_easy_setopt(e, CURLOPT_URL, url); /* libcurl copies it */
	}
	return e;
}

const struct sink_type sink_alertmanager = { "alertmanager", request, NULL, 60 };
