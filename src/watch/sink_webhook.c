/* A generic webhook: the alert's JSON POSTed to a URL, with headers a
 * receiver can check and deduplicate by:
 *   X-Cordon-Event: opened | resolved
 *   X-Cordon-Dedup-Key: the same for every delivery of one alert
 *   X-Cordon-Signature: sha256=HEX, HMAC-SHA-256 of the body with the
 *     sink's secret (when it has one), as GitHub's webhooks sign. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include "watch/watch.h"

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n; /* the receiver's answer is not kept */
}

CURL *sink_webhook_request(struct sink_run *s, const char *dedup, const char *event)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	char h[256];
	struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(h, sizeof(h), "X-Cordon-Event: %s", event);
	list = list ? curl_slist_append(list, h) : NULL;
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
	list = list ? curl_slist_append(list, "Expect:") : NULL; /* no 100-continue wait */
	if (!list) {
		curl_easy_cleanup(e);
		return NULL;
	}
	s->headers = list;
	curl_easy_setopt(e, CURLOPT_URL, s->sink->url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, s->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)strlen(s->body));
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)s->sink->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(s->sink->timeout_ms < 5000 ? s->sink->timeout_ms : 5000));
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "cordon-watch/" CORDON_VERSION_STRING);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(e, CURLOPT_PRIVATE, s);
	return e;
}
