/* Cloud change events, on the watch's listen: server: a change reported
 * by the cloud re-runs, at once, the commands that read that cloud (their
 * on: list), instead of at their next interval.
 *   POST /events/azure   Azure Event Grid (a webhook subscription): its
 *                        SubscriptionValidation handshake is answered
 *                        with the validationCode; a notification runs
 *                        the commands on: [azure]
 *   POST /events/aws     EventBridge API destinations (CloudTrail
 *                        security-group changes): on: [aws]
 *   POST /events/gcp     Pub/Sub push (audit-log firewall changes): on: [gcp]
 * Every request carries the shared secret (events: secret_file:): as
 * Authorization: Bearer, an x-api-key header (EventBridge's API key
 * connection) or ?key= in the URL (Event Grid's and Pub/Sub's push URL).
 * Or, for a cloud with events: tokens:, the cloud's own signed token as
 * Authorization: Bearer (Pub/Sub push's OIDC token, Event Grid's Entra
 * ID token; jwt.c). Without either: 401, and the reason is logged. A body
 * past 1 MiB: 413. The secret is compared in constant time. */
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "watch/watch.h"

enum { BODY_MAX = 1 << 20 };

struct upload {
	char *data;
	size_t len;
	int too_big;
};

static int secret_ok(struct MHD_Connection *conn, const char *secret)
{
	const char *given = NULL;
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	if (auth && !strncmp(auth, "Bearer ", 7))
		given = auth + 7;
	if (!given)
		given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "x-api-key");
	if (!given)
		given = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "key");
	if (!given || !secret)
		return 0;
	size_t n = strlen(secret);
	return strlen(given) == n && sodium_memcmp(given, secret, n) == 0;
}

/* The shared secret, or else the cloud's signed token. */
static int allowed(cordon_watch *w, struct MHD_Connection *conn, unsigned cloud)
{
	if (secret_ok(conn, w->c.events_secret))
		return 1;
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	for (size_t i = 0; i < w->c.ntokens; i++) {
		if (w->c.tokens[i].cloud != cloud)
			continue;
		char why[300] = "no bearer token";
		if (auth && !strncmp(auth, "Bearer ", 7) &&
		    watch_jwt_verify(auth + 7, &w->c.tokens[i], time(NULL), why, sizeof(why)))
			return 1;
		watch_log(w, CORDON_WATCH_WARN, "event_refused", "an event refused: %s", why);
		return 0;
	}
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

void watch_events_done(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode code)
{
	(void)cls;
	(void)conn;
	(void)code;
	struct upload *u = *con_cls;
	if (u) {
		free(u->data);
		free(u);
		*con_cls = NULL;
	}
}

enum MHD_Result watch_events_answer(cordon_watch *w, struct MHD_Connection *conn, const char *url, const char *method,
				    const char *upload, size_t *upload_size, void **con_cls)
{
	if (strcmp(method, "POST"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "POST only\n", "text/plain");
	struct upload *u = *con_cls;
	if (!u) { /* the first call: headers only */
		if (!(u = calloc(1, sizeof(*u))))
			return MHD_NO;
		*con_cls = u;
		return MHD_YES;
	}
	if (*upload_size) { /* a part of the body */
		if (u->len + *upload_size > BODY_MAX) {
			u->too_big = 1;
		} else if (!u->too_big) {
			char *g = realloc(u->data, u->len + *upload_size + 1);
			if (!g)
				return MHD_NO;
			u->data = g;
			memcpy(u->data + u->len, upload, *upload_size);
			u->len += *upload_size;
			u->data[u->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	/* the whole request */
	const char *cloud = !strcmp(url, "/events/azure") ? "azure" : !strcmp(url, "/events/aws") ? "aws"
			    : !strcmp(url, "/events/gcp") ? "gcp" : NULL;
	if (!cloud)
		return reply(conn, MHD_HTTP_NOT_FOUND, "not found: /events/azure, /events/aws, /events/gcp\n", "text/plain");
	if (!allowed(w, conn, !strcmp(cloud, "azure") ? 1 : !strcmp(cloud, "aws") ? 2 : 4))
		return reply(conn, MHD_HTTP_UNAUTHORIZED, "the shared secret or the signed token is missing or wrong\n",
			     "text/plain");
	if (u->too_big)
		return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE, "over 1 MiB\n", "text/plain");
	json_t *j = u->data ? json_loads(u->data, 0, NULL) : NULL;
	if (!j)
		return reply(conn, MHD_HTTP_BAD_REQUEST, "not JSON\n", "text/plain");
	/* Event Grid's handshake: answer with the validation code */
	const char *aeg = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "aeg-event-type");
	if (!strcmp(cloud, "azure") && aeg && !strcmp(aeg, "SubscriptionValidation")) {
		const char *code = json_string_value(json_object_get(json_object_get(json_array_get(j, 0), "data"),
								     "validationCode"));
		json_t *out = code ? json_pack("{s:s}", "validationResponse", code) : NULL;
		char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
		enum MHD_Result r = text ? reply(conn, MHD_HTTP_OK, text, "application/json")
					 : reply(conn, MHD_HTTP_BAD_REQUEST, "no validationCode\n", "text/plain");
		free(text);
		json_decref(out);
		json_decref(j);
		return r;
	}
	json_decref(j);
	watch_events_trigger(w, cloud);
	return reply(conn, MHD_HTTP_ACCEPTED, "accepted\n", "text/plain");
}

void watch_events_trigger(cordon_watch *w, const char *cloud)
{
	unsigned bit = !strcmp(cloud, "azure") ? 1 : !strcmp(cloud, "aws") ? 2 : 4;
	pthread_mutex_lock(&w->events_lock);
	w->events |= bit;
	pthread_mutex_unlock(&w->events_lock);
	curl_multi_wakeup(w->multi); /* the loop turns now, not at its next second */
}
