/* A Microsoft Teams workflow webhook ("When a Teams webhook request is
 * received"): a message with one Adaptive Card: the summary, the facts
 * (severity, asset, owner, opened, rule), what to do. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "watch/watch.h"

static CURL *request(struct sink_run *s, const char *dedup, const char *event)
{
	json_t *a = json_loads(s->body, 0, NULL);
	if (!a)
		return NULL;
	char title[256];
	snprintf(title, sizeof(title), "%s exposure %s: %s %lld", sink_str(a, "severity"), event, sink_str(a, "datastore"),
		 (long long)json_integer_value(json_object_get(a, "port")));
	json_t *facts = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}, {s:s, s:s}]", "title",
				  "Severity", "value", sink_str(a, "severity"), "title", "Asset", "value", sink_str(a, "asset"),
				  "title", "Owner", "value", sink_str(a, "owner"), "title", "Opened", "value",
				  sink_str(a, "opened_at"), "title", "Through", "value", sink_str(a, "opened_by"), "title", "Dedup key",
				  "value", dedup);
	json_t *card = json_pack("{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:o}, {s:s, s:s, s:b}]}",
				 "$schema", "http://adaptivecards.io/schemas/adaptive-card.json", "type", "AdaptiveCard",
				 "version", "1.4", "body", "type", "TextBlock", "text", title, "weight", "Bolder", "wrap", 1,
				 "type", "TextBlock", "text", sink_str(a, "summary"), "wrap", 1, "type", "FactSet", "facts",
				 facts ? facts : json_array(), "type", "TextBlock", "text", sink_str(a, "what_to_do"), "wrap", 1);
	json_t *msg = card ? json_pack("{s:s, s:[{s:s, s:n, s:o}]}", "type", "message", "attachments", "contentType",
				       "application/vnd.microsoft.card.adaptive", "contentUrl", "content", card)
			   : NULL;
	json_decref(a);
	free(s->payload);
	s->payload = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	return s->payload ? sink_post(s, s->payload, NULL) : NULL;
}

const struct sink_type sink_teams = { "teams", request, NULL, 0 };
