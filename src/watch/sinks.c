/* The sink types: a new one is its file and a line here. */
#include <string.h>
#include "policy/loader.h"
#include "watch/watch.h"

extern const struct sink_type sink_webhook, sink_slack, sink_teams, sink_alertmanager, sink_syslog, sink_exec, sink_email;

static const struct sink_type *const types[] = {
	&sink_webhook,
	&sink_slack,
	&sink_teams,
	&sink_alertmanager,
	&sink_syslog,
	&sink_exec,
	&sink_email,
	NULL,
};

const struct sink_type *sink_type_find(const char *name)
{
	for (size_t i = 0; name && types[i]; i++)
		if (!strcmp(types[i]->name, name))
			return types[i];
	return NULL;
}

const char *watch_sink_type(size_t i) { return i < sizeof(types) / sizeof(*types) - 1 ? types[i]->name : NULL; }

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n; /* the receiver's answer is not kept */
}

CURL *sink_post(struct sink_run *s, const char *payload, struct curl_slist *headers)
{
	CURL *e = curl_easy_init();
	struct curl_slist *list = curl_slist_append(headers, "Content-Type: application/json");
	list = list ? curl_slist_append(list, "Expect:") : NULL; /* no 100-continue wait */
	if (!e || !list) {
		curl_easy_cleanup(e);
		curl_slist_free_all(list ? list : headers);
		return NULL;
	}
	s->headers = list;
	curl_easy_setopt(e, CURLOPT_URL, s->sink->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)s->sink->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(s->sink->timeout_ms < 5000 ? s->sink->timeout_ms : 5000));
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROXY, ""); /* the sink's URL as configured, not an environment's proxy */
	curl_easy_setopt(e, CURLOPT_USERAGENT, "cordon-watch/" CORDON_VERSION_STRING);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(e, CURLOPT_PRIVATE, s);
	return e;
}

const char *sink_str(json_t *alert, const char *key)
{
	const char *v = json_string_value(json_object_get(alert, key));
	return v ? v : "";
}
