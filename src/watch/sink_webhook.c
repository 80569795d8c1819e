/* A generic webhook: the alert's JSON POSTed to a URL, with headers a
 * receiver can check and deduplicate by:
 *   X-Cordon-Event: opened | resolved | reminder
 *   X-Cordon-Dedup-Key: the same for every delivery of one alert
 *   X-Cordon-Signature: sha256=HEX, HMAC-SHA-256 of the body with the
 *     sink's secret (when it has one), as GitHub's webhooks sign. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "watch/watch.h"

static CURL *request(struct sink_run *s, const char *dedup, const char *event)
{
	char h[256];
	snprintf(h, sizeof(h), "X-Cordon-Event: %s", event);
	struct curl_slist *list = curl_slist_append(NULL, h);
	snprintf(h, sizeof(h), "X-Cordon-Dedup-Key: %s", dedup);
	list = list ? curl_slist_append(list, h) : NULL;
	if (list && s->sink->secret) {
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)s->sink->secret, strlen(s->sink->secret));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)s->body, strlen(s->body));
		crypto_auth_hmacsha256_final(&st, mac);
		char hex[2 * sizeof(mac) + 1];
		sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
		snprintf(h, sizeof(h), "X-Cordon-Signature: sha256=%s", hex);
		list = curl_slist_append(list, h);
	}
	return list ? sink_post(s, s->body, list) : NULL;
}

const struct sink_type sink_webhook = { "webhook", request, NULL, 0 };
