/* E-mail over SMTP (libcurl): a plain-text message to the sink's
 * recipients, its subject the severity, event and what is exposed, its
 * Message-ID the dedup key (a mail system that keeps one copy per ID drops
 * a second delivery). smtps:// or a server offering STARTTLS: TLS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "watch/watch.h"

/* The message goes out from s->payload: libcurl reads it through this. */
static size_t feed(char *buf, size_t size, size_t n, void *arg)
{
	struct sink_run *s = arg;
	size_t want = size * n, at = s->payload_at, len = strlen(s->payload);
	size_t k = len - at < want ? len - at : want;
	memcpy(buf, s->payload + at, k);
	s->payload_at += k;
	return k;
}

/* Header text: no line breaks (a value from an export must not add headers). */
static void one_line(char *out, size_t cap, const char *v)
{
	size_t o = 0;
	for (; *v && o + 1 < cap; v++)
		out[o++] = *v == '\r' || *v == '\n' ? ' ' : *v;
	out[o] = '\0';
}

static CURL *request(struct sink_run *s, const char *dedup, const char *event)
{
	json_t *a = json_loads(s->body, 0, NULL);
	if (!a)
		return NULL;
	char host[256] = "localhost", from[320], subject[400], date[64], sev[32], id[300];
	gethostname(host, sizeof(host) - 1);
	snprintf(from, sizeof(from), "%s", s->sink->from ? s->sink->from : "");
	if (!from[0])
		snprintf(from, sizeof(from), "cordon@%s", host);
	one_line(sev, sizeof(sev), sink_str(a, "severity"));
	for (char *p = sev; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	char what[300];
	one_line(what, sizeof(what), sink_str(a, "summary"));
	snprintf(subject, sizeof(subject), "[cordon] %s %s: %.240s", sev, event, what);
	time_t t = time(NULL);
	struct tm tm;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", gmtime_r(&t, &tm));
	one_line(id, sizeof(id), dedup);
	char to[1024] = "";
	for (size_t i = 0; i < s->sink->nto; i++)
		snprintf(to + strlen(to), sizeof(to) - strlen(to), "%s%s", i ? ", " : "", s->sink->to[i]);
	size_t cap = 8192;
	char *msg = malloc(cap);
	if (!msg) {
		json_decref(a);
		return NULL;
	}
	snprintf(msg, cap,
		 "Date: %s\r\nFrom: cordon <%s>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@cordon>\r\n"
		 "X-Cordon-Dedup-Key: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
		 "%s\r\n\r\nSeverity: %s\r\nAsset: %s\r\nOwner: %s\r\nOpened: %s\r\nThrough: %s\r\n%s%s%s\r\nWhat to do: %s\r\n",
		 date, from, to, subject, id, id, sink_str(a, "summary"), sink_str(a, "severity"), sink_str(a, "asset"), sink_str(a, "owner"),
		 sink_str(a, "opened_at"), sink_str(a, "opened_by"), *sink_str(a, "closed_at") ? "Closed: " : "", sink_str(a, "closed_at"),
		 *sink_str(a, "closed_at") ? "\r\n" : "", sink_str(a, "what_to_do"));
	json_decref(a);
	free(s->payload);
	s->payload = msg;
	s->payload_at = 0;
	CURL *e = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	for (size_t i = 0; i < s->sink->nto; i++)
		rcpt = curl_slist_append(rcpt, s->sink->to[i]);
	if (!e || !rcpt) {
		curl_easy_cleanup(e);
		curl_slist_free_all(rcpt);
		return NULL;
	}
	char mfrom[340];
	snprintf(mfrom, sizeof(mfrom), "<%s>", from);
	s->headers = rcpt; /* freed with the transfer */
	curl_easy_setopt(e, CURLOPT_URL, s->sink->url);
	curl_easy_setopt(e, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(e, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(e, CURLOPT_READDATA, s);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)s->sink->timeout_ms);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(e, CURLOPT_PRIVATE, s);
	return e;
}

const struct sink_type sink_email = { "email", request, NULL, 0 };
