/* A Slack incoming webhook: {"text": ...} in Slack's mrkdwn, the alert's
 * summary, severity, owner and what to do. */
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
	char text[2048];
	snprintf(text, sizeof(text), "%s *%s* %s: %s\n%s%s%s%s\n_%s_", !strcmp(event, "resolved") ? ":white_check_mark:" : ":rotating_light:",
		 sink_str(a, "severity"), event, sink_str(a, "summary"), *sink_str(a, "asset") ? "Asset " : "", sink_str(a, "asset"),
		 *sink_str(a, "owner") ? ", owner " : "", sink_str(a, "owner"), sink_str(a, "what_to_do"));
	json_t *p = json_pack("{s:s}", "text", text);
	json_decref(a);
	free(s->payload);
	s->payload = p ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	return s->payload ? sink_post(s, s->payload, NULL) : NULL;
}

const struct sink_type sink_slack = { "slack", request, NULL, 0 };
