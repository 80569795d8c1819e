/* Prometheus Alertmanager: POST /api/v2/alerts with one alert per
 * exposure window (labels: alertname CordonDataStoreExposed, severity,
 * datastore, port, resource, asset, owner, fingerprint, window), sent
 * again every minute while the window is open (Alertmanager resolves an
 * alert that is not), and with endsAt when it closes. The sink's url is
 * Alertmanager's base (http://am:9093) or the full API path. */
#include <stdio.h>
#include <time.h>
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
	int source = json_object_get(a, "source") != NULL; /* a source's alert, not an exposure's */
	json_t *labels = source ? json_pack("{s:s, s:s, s:s}", "alertname", "CordonSourceFailing", "severity", sink_str(a, "severity"),
					    "source", sink_str(a, "source"))
				: json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "alertname", "CordonDataStoreExposed",
					    "severity", sink_str(a, "severity"), "datastore", sink_str(a, "datastore"), "port", port,
					    "resource", sink_str(a, "resource"), "fingerprint", sink_str(a, "fingerprint"), "window",
					    window);
	if (labels) {
		if (json_object_get(a, "asset"))
			json_object_set(labels, "asset", json_object_get(a, "asset"));
		if (json_object_get(a, "owner"))
			json_object_set(labels, "owner", json_object_get(a, "owner"));
	}
	json_t *ann = json_pack("{s:s, s:s, s:s}", "summary", sink_str(a, "summary"), "description", sink_str(a, "what_to_do"),
				"opened_by", sink_str(a, "opened_by"));
	json_t *alert = labels && ann ? json_pack("{s:o, s:o, s:s}", "labels", labels, "annotations", ann, "startsAt",
						  source ? sink_str(a, "since") : sink_str(a, "opened_at"))
				      : NULL;
	if (alert && !strcmp(event, "resolved") && json_object_get(a, "closed_at"))
		json_object_set(alert, "endsAt", json_object_get(a, "closed_at"));
	if (alert && !strcmp(event, "source_recovered")) {
		char now[32];
		time_t t = time(NULL);
		struct tm tm;
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
		json_object_set_new(alert, "endsAt", json_string(now));
	}
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
