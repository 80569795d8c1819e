/* The connection to NATS (libnats): the ways users authenticate, TLS, a
 * reconnect that never gives up, and streams made only when asked. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include "util/alloc.h"
#include "util/private_file.h"
#include "worker/worker_internal.h"

cordon_code nats_fail(cordon_nats *nc, cordon_code rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(nc->err, sizeof(nc->err), fmt, ap);
	va_end(ap);
	return rc;
}

void nats_log(cordon_nats *nc, const char *fmt, ...)
{
	if (!nc->log)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	nc->log(nc->log_ctx, line);
}

/* libnats's last error, without its source positions ("(jsm.c:2867): ")
 * and its "Error: " prefix. */
static void tidy(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	if (!strncmp(s, "Error: ", 7))
		s += 7;
	while (*s && o + 1 < cap) {
		const char *close = *s == '(' ? strchr(s, ')') : NULL;
		if (close && close - s < 40 && memchr(s, ':', (size_t)(close - s)) && strstr(s, ".c:") &&
		    strstr(s, ".c:") < close) {
			s = close + 1;
			while (*s == ':' || *s == ' ')
				s++;
			continue;
		}
		out[o++] = *s++;
	}
	out[o] = '\0';
}

void nats_describe(char *out, size_t cap, natsStatus s, jsErrCode jerr)
{
	const char *last = nats_GetLastError(NULL);
	const char *text = natsStatus_GetText(s);
	char clean[400] = "";
	if (last)
		tidy(clean, sizeof(clean), last);
	if (s == NATS_NO_RESPONDERS)
		snprintf(out, cap, "no server answered (no stream takes the subject, or JetStream is off)");
	else if (*clean && s == NATS_ERR) /* "Error": the detail says it all */
		snprintf(out, cap, "%.300s", clean);
	else if (*clean && strcmp(clean, text))
		snprintf(out, cap, "%s: %.300s", text, clean);
	else
		snprintf(out, cap, "%s", text);
	if (jerr)
		snprintf(out + strlen(out), cap - strlen(out), " (JetStream error %d)", (int)jerr);
}

static void on_disconnected(natsConnection *conn, void *closure)
{
	cordon_nats *nc = closure;
	(void)conn;
	if (!nc->closing)
		nats_log(nc, "lost the NATS server; reconnecting");
}

static void on_reconnected(natsConnection *conn, void *closure)
{
	char url[256] = "";
	natsConnection_GetConnectedUrl(conn, url, sizeof(url));
	nats_log(closure, "reconnected to %s", url);
}

static void on_connected(natsConnection *conn, void *closure)
{
	char url[256] = "";
	natsConnection_GetConnectedUrl(conn, url, sizeof(url));
	nats_log(closure, "connected to %s", url);
}

static void on_closed(natsConnection *conn, void *closure)
{
	cordon_nats *nc = closure;
	(void)conn;
	pthread_mutex_lock(&nc->lock);
	nc->closed = 1;
	pthread_cond_signal(&nc->closed_cond);
	pthread_mutex_unlock(&nc->lock);
}

static void on_async_error(natsConnection *conn, natsSubscription *sub, natsStatus s, void *closure)
{
	(void)conn, (void)sub;
	nats_log(closure, "NATS: %s", natsStatus_GetText(s));
}

/* The first line of a password file, its end taken off; the lines after
 * it wiped. */
static char *read_password(cordon_nats *nc, const char *path)
{
	size_t len = 0;
	char *text = private_file_read(path, "password file", 4096, &len, nc->err, sizeof(nc->err));
	if (text) {
		size_t n = strcspn(text, "\r\n");
		sodium_memzero(text + n, len - n);
	}
	return text;
}

#define TRY(call, what)                                                                                              \
	do {                                                                                                         \
		natsStatus s_ = (call);                                                                              \
		if (s_ != NATS_OK) {                                                                                 \
			char why_[384];                                                                              \
			nats_describe(why_, sizeof(why_), s_, 0);                                                   \
			rc = nats_fail(nc, CORDON_ERR_ARG, "%s: %s", what, why_);                                   \
			goto out;                                                                                    \
		}                                                                                                    \
	} while (0)

static cordon_code set_options(cordon_nats *nc, const struct cordon_nats_options *o)
{
	cordon_code rc = CORDON_OK;
	char *password = NULL;
	natsOptions *opts = nc->opts;
	{ /* "nats://a:4222,nats://b:4222": each a server of the list */
		char *copy = strdup(o->url);
		const char *list[64];
		int n = 0;
		for (char *p = copy; p && *p && n < 64;) {
			p += strspn(p, ", ");
			size_t len = strcspn(p, ", ");
			if (!len)
				break;
			list[n++] = p;
			p += len;
			if (*p)
				*p++ = '\0';
		}
		natsStatus st = !copy ? NATS_NO_MEMORY : n ? natsOptions_SetServers(opts, list, n) : NATS_INVALID_ARG;
		free(copy);
		TRY(st, "--nats");
	}
	TRY(natsOptions_SetName(opts, o->name ? o->name : "cordon"), "the connection's name");
	TRY(natsOptions_SetTimeout(opts, o->timeout_ms ? o->timeout_ms : 5000), "the connect timeout");
	TRY(natsOptions_SetMaxReconnect(opts, -1), "reconnecting");
	TRY(natsOptions_SetReconnectWait(opts, 250), "reconnecting");
	TRY(natsOptions_SetReconnectJitter(opts, 100, 1000), "reconnecting");
	/* 8 MiB of publishes are kept while the server is away, sent on reconnect */
	TRY(natsOptions_SetReconnectBufSize(opts, 8 << 20), "reconnecting");
	TRY(natsOptions_SetDisconnectedCB(opts, on_disconnected, nc), "callbacks");
	TRY(natsOptions_SetReconnectedCB(opts, on_reconnected, nc), "callbacks");
	TRY(natsOptions_SetErrorHandler(opts, on_async_error, nc), "callbacks");
	TRY(natsOptions_SetClosedCB(opts, on_closed, nc), "callbacks");
	if (o->retry_connect)
		TRY(natsOptions_SetRetryOnFailedConnect(opts, true, on_connected, nc), "retrying to connect");
	if (o->creds_file) {
		if (private_file_check(o->creds_file, "credentials file", nc->err, sizeof(nc->err)))
			return CORDON_ERR_KEY;
		TRY(natsOptions_SetUserCredentialsFromFiles(opts, o->creds_file, NULL), "--creds");
	}
	if (o->nkey_file) {
		char pub[96];
		if (nkey_public_of_seed_file(o->nkey_file, pub, sizeof(pub), nc->err, sizeof(nc->err)))
			return CORDON_ERR_KEY;
		TRY(natsOptions_SetNKeyFromSeed(opts, pub, o->nkey_file), "--nkey");
	}
	if (o->password_file && !(password = read_password(nc, o->password_file)))
		return CORDON_ERR_KEY;
	if (o->user || password || o->password)
		TRY(natsOptions_SetUserInfo(opts, o->user, password ? password : o->password), "--user");
	if (o->tls_ca || o->tls_cert) {
		TRY(natsOptions_SetSecure(opts, true), "TLS");
		if (o->tls_ca)
			TRY(natsOptions_LoadCATrustedCertificates(opts, o->tls_ca), "--tls-ca");
	}
	if (!o->tls_cert != !o->tls_key) {
		rc = nats_fail(nc, CORDON_ERR_ARG, "--tls-cert and --tls-key go together");
		goto out;
	}
	if (o->tls_cert) {
		if (private_file_check(o->tls_key, "TLS key", nc->err, sizeof(nc->err))) {
			rc = CORDON_ERR_KEY;
			goto out;
		}
		TRY(natsOptions_LoadCertificatesChain(opts, o->tls_cert, o->tls_key), "--tls-cert");
	}
out:
	if (password) {
		sodium_memzero(password, strlen(password)); /* memset before free may be dropped */
		free(password);
	}
	return rc;
}

cordon_code cordon_nats_connect(cordon_nats **out, const struct cordon_nats_options *o, char *err, size_t err_len)
{
	if (!out || !o || !o->url || !*o->url)
		return CORDON_ERR_ARG;
	*out = NULL;
	cordon_nats *nc = calloc(1, sizeof(*nc));
	if (!nc)
		return CORDON_ERR_NOMEM;
	nc->log = o->log;
	nc->log_ctx = o->log_ctx;
	pthread_mutex_init(&nc->lock, NULL);
	pthread_cond_init(&nc->closed_cond, NULL);
	cordon_code rc = natsOptions_Create(&nc->opts) == NATS_OK ? set_options(nc, o) : CORDON_ERR_NOMEM;
	if (rc == CORDON_OK) {
		natsStatus s = natsConnection_Connect(&nc->conn, nc->opts);
		if (s == NATS_NOT_YET_CONNECTED) {
			nats_log(nc, "no NATS server at %s yet; trying on", o->url);
		} else if (s != NATS_OK) {
			char why[384];
			nats_describe(why, sizeof(why), s, 0);
			rc = nats_fail(nc, CORDON_ERR_IO, "cannot connect to %s: %s", o->url, why);
		}
	}
	if (rc != CORDON_OK) {
		if (err && err_len)
			snprintf(err, err_len, "%s", *nc->err ? nc->err : cordon_strerror(rc));
		cordon_nats_close(nc);
		return rc;
	}
	*out = nc;
	return CORDON_OK;
}

void cordon_nats_close(cordon_nats *nc)
{
	if (!nc)
		return;
	nc->closing = 1;
	if (nc->conn) {
		natsConnection_Close(nc->conn);
		/* its callbacks hold nc: wait for the last one (5 s at most) */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 5;
		pthread_mutex_lock(&nc->lock);
		while (!nc->closed && pthread_cond_timedwait(&nc->closed_cond, &nc->lock, &until) == 0)
			;
		int closed = nc->closed;
		pthread_mutex_unlock(&nc->lock);
		if (closed) /* no reader thread delivers to them any more */
			for (size_t i = 0; i < nc->ndeferred; i++) {
				natsSubscription_Destroy(nc->deferred[i].sub); /* a context after its subscription */
				jsCtx_Destroy(nc->deferred[i].js);
			}
		natsConnection_Destroy(nc->conn);
		if (!closed) /* never told: leaked rather than freed under a callback */
			return;
	}
	free(nc->deferred);
	natsOptions_Destroy(nc->opts);
	pthread_cond_destroy(&nc->closed_cond);
	pthread_mutex_destroy(&nc->lock);
	free(nc);
}

void nats_defer_destroy(cordon_nats *nc, natsSubscription *sub, jsCtx *js)
{
	if (!sub && !js)
		return;
	if (ALLOC_GROW(nc->deferred, nc->ndeferred + 1, nc->capdeferred)) {
		natsSubscription_Destroy(sub);
		jsCtx_Destroy(js);
		return;
	}
	nc->deferred[nc->ndeferred++] = (struct nats_deferred){ sub, js };
}

void cordon_nats_shutdown(void)
{
	nats_CloseAndWait(2000);
}

const char *cordon_nats_error(const cordon_nats *nc)
{
	return nc ? nc->err : "";
}

cordon_code nats_jetstream(cordon_nats *nc, jsCtx **js, jsOptions *opts)
{
	jsOptions def;
	if (!opts) {
		jsOptions_Init(&def);
		opts = &def;
	}
	if (!opts->Wait)
		opts->Wait = 10000;
	natsStatus s = natsConnection_JetStream(js, nc->conn, opts);
	if (s != NATS_OK) {
		char why[384];
		nats_describe(why, sizeof(why), s, 0);
		return nats_fail(nc, CORDON_ERR_IO, "JetStream: %s", why);
	}
	return CORDON_OK;
}

natsMsg *nats_msg_new(const char *subject, const char *data, size_t len, const char *const *headers)
{
	natsMsg *m = NULL;
	if (len > INT_MAX || natsMsg_Create(&m, subject, NULL, data, (int)len) != NATS_OK)
		return NULL;
	for (size_t i = 0; headers && headers[i]; i += 2)
		if (natsMsgHeader_Set(m, headers[i], headers[i + 1]) != NATS_OK) {
			natsMsg_Destroy(m);
			return NULL;
		}
	return m;
}

int64_t nats_max_payload(cordon_nats *nc)
{
	int64_t n = natsConnection_GetMaxPayload(nc->conn);
	return n > 0 ? n : 1 << 20;
}

cordon_code cordon_nats_retention_from_name(const char *name, cordon_nats_retention *out)
{
	static const char *const names[] = { "limits", "workqueue", "interest" };
	for (int i = 0; name && i < 3; i++)
		if (!strcmp(name, names[i])) {
			*out = (cordon_nats_retention)i;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

/* The stream named name exists, or is made with subjects. */
static cordon_code ensure(cordon_nats *nc, const char *name, const char **subjects, int nsubjects,
			  const struct cordon_nats_stream_options *o, int *created)
{
	if (created)
		*created = 0;
	jsCtx *js = NULL;
	cordon_code rc = nats_jetstream(nc, &js, NULL);
	if (rc != CORDON_OK)
		return rc;
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, js, name, NULL, &jerr);
	if (s == NATS_OK) {
		jsStreamInfo_Destroy(si);
	} else if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
		jsStreamConfig cfg;
		jsStreamConfig_Init(&cfg);
		cfg.Name = name;
		cfg.Subjects = subjects;
		cfg.SubjectsLen = nsubjects;
		cfg.Storage = js_FileStorage;
		cfg.Replicas = o && o->replicas > 0 ? o->replicas : 1;
		cfg.Retention = !o                                 ? js_LimitsPolicy
				: o->retention == CORDON_NATS_WORKQUEUE ? js_WorkQueuePolicy
				: o->retention == CORDON_NATS_INTEREST  ? js_InterestPolicy
									: js_LimitsPolicy;
		if (o && o->dedup_window > 0)
			cfg.Duplicates = (int64_t)(o->dedup_window * 1e9);
		jerr = 0;
		s = js_AddStream(&si, js, &cfg, NULL, &jerr);
		if (s == NATS_OK) {
			jsStreamInfo_Destroy(si);
			if (created)
				*created = 1;
		} else if (jerr != JSStreamNameExistErr) { /* another made it first: fine */
			char why[384];
			nats_describe(why, sizeof(why), s, jerr);
			rc = nats_fail(nc, CORDON_ERR_IO, "cannot create stream '%s': %s", name, why);
		}
	} else {
		char why[384];
		nats_describe(why, sizeof(why), s, jerr);
		rc = nats_fail(nc, CORDON_ERR_IO, "cannot look up stream '%s': %s", name, why);
	}
	jsCtx_Destroy(js);
	return rc;
}

static int valid_token(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] == '.' || s[i] == '*' || s[i] == '>' || s[i] == '/' || s[i] == '\\' ||
		    (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

cordon_code cordon_nats_ensure_stream(cordon_nats *nc, const char *subject,
				      const struct cordon_nats_stream_options *o, int *created)
{
	if (!nc || !subject)
		return CORDON_ERR_ARG;
	size_t n = strcspn(subject, ".");
	char name[256], wild[260];
	if (!valid_token(subject, n) || n >= sizeof(name))
		return nats_fail(nc, CORDON_ERR_ARG,
				 "cannot name a stream after subject '%.200s': its first token must be letters, "
				 "digits, '-' or '_'",
				 subject);
	memcpy(name, subject, n);
	name[n] = '\0';
	snprintf(wild, sizeof(wild), "%s.>", name);
	const char *subjects[2] = { subject[n] ? wild : subject, wild };
	return ensure(nc, name, subjects, subject[n] ? 1 : 2, o, created);
}

cordon_code cordon_nats_ensure_stream_named(cordon_nats *nc, const char *stream,
					    const struct cordon_nats_stream_options *o, int *created)
{
	if (!nc || !stream)
		return CORDON_ERR_ARG;
	if (!valid_token(stream, strlen(stream)) || strlen(stream) > 200)
		return nats_fail(nc, CORDON_ERR_ARG, "'%.200s' is not a stream name (letters, digits, '-', '_')",
				 stream);
	char wild[260];
	snprintf(wild, sizeof(wild), "%s.>", stream);
	const char *subjects[2] = { stream, wild };
	return ensure(nc, stream, subjects, 2, o, created);
}
