/* A Slack incoming webhook: {"text": ...} in Slack's mrkdwn, the alert's
 * summary, severity, owner and what to do. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "watch/watch.h"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static CURL *request(struct sink_run *s, const char *dedup, const char *event)
{
	(void)dedup;
	json_t *a = json_loads(s->body, 0, NULL);
	if (!a)
		return NULL;
	char text[2048];
	snprintf(text, sizeof(text), "%s *%s* %s: %s\n%s%s%s%s\n_%s_", !strcmp(event, "resolved") ? ":white_check_mark:" : ":rotating_light:",
		 str(a, "severity"), event, str(a, "summary"), *str(a, "asset") ? "Asset " : "", str(a, "asset"),
		 *str(a, "owner") ? ", owner " : "", str(a, "owner"), str(a, "what_to_do"));
	json_t *p = json_pack("{s:s}", "text", text);
	json_decref(a);
	free(s->payload);
	s->payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	return s->payload ? sink_post(s, s->payload, NULL) : NULL;
}

const struct sink_type sink_slack = { "slack", request, NULL, 0 };
