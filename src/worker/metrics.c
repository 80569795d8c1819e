/* A worker's /metrics (Prometheus text format) and /healthz, served by
 * libmicrohttpd on its own thread from a snapshot the worker's loop
 * refreshes at each turn (the same endpoints, and the same cordon_ prefix,
 * as the watch's). /healthz answers 503 when the loop has not turned for
 * 10 seconds or the servers are out of reach. */
#include <inttypes.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util/listen.h"
#include "worker/worker_internal.h"

struct worker_metrics {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	struct cordon_worker_stats s;
	char stream[128], group[128];
	int connected;
	time_t turned_at;
};

static size_t render(const struct worker_metrics *m, char *t, size_t cap)
{
	const struct cordon_worker_stats *s = &m->s;
	char labels[300];
	snprintf(labels, sizeof(labels), "{stream=\"%s\",group=\"%s\"}", m->stream, m->group);
	int n = snprintf(
		t, cap,
		"# HELP cordon_worker_messages_total Input messages acknowledged.\n"
		"# TYPE cordon_worker_messages_total counter\ncordon_worker_messages_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_records_in_total Records of acknowledged messages.\n"
		"# TYPE cordon_worker_records_in_total counter\ncordon_worker_records_in_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_records_out_total Records published redacted.\n"
		"# TYPE cordon_worker_records_out_total counter\ncordon_worker_records_out_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_records_quarantined_total Records published to the quarantine subject.\n"
		"# TYPE cordon_worker_records_quarantined_total counter\n"
		"cordon_worker_records_quarantined_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_redelivered_total Messages delivered a second time or more.\n"
		"# TYPE cordon_worker_redelivered_total counter\ncordon_worker_redelivered_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_held_total Messages left in the stream: a bad record and no quarantine subject.\n"
		"# TYPE cordon_worker_held_total counter\ncordon_worker_held_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_publish_failures_total Messages naked because a publish was not acknowledged.\n"
		"# TYPE cordon_worker_publish_failures_total counter\ncordon_worker_publish_failures_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_bytes_in_total Bytes of acknowledged messages.\n"
		"# TYPE cordon_worker_bytes_in_total counter\ncordon_worker_bytes_in_total%s %" PRIu64 "\n"
		"# HELP cordon_worker_lag_messages Messages of the stream not yet delivered to the group (-1: unknown).\n"
		"# TYPE cordon_worker_lag_messages gauge\ncordon_worker_lag_messages%s %" PRId64 "\n"
		"# HELP cordon_worker_in_flight_messages Messages delivered to the group and not yet acknowledged (-1: unknown).\n"
		"# TYPE cordon_worker_in_flight_messages gauge\ncordon_worker_in_flight_messages%s %" PRId64 "\n"
		"# HELP cordon_worker_connected Whether a NATS server is connected.\n"
		"# TYPE cordon_worker_connected gauge\ncordon_worker_connected%s %d\n",
		labels, s->messages, labels, s->records_in, labels, s->records_out, labels, s->quarantined, labels,
		s->redelivered, labels, s->held, labels, s->publish_failures, labels, s->bytes_in, labels, s->lag,
		labels, s->in_flight, labels, m->connected);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static enum MHD_Result answer(void *arg, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct worker_metrics *m = arg;
	(void)version, (void)upload, (void)upload_size, (void)con_cls;
	char text[4096];
	const char *body = "not found\n";
	unsigned status = MHD_HTTP_NOT_FOUND;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		body = "GET only\n";
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (!strcmp(url, "/metrics")) {
		pthread_mutex_lock(&m->lock);
		size_t n = render(m, text, sizeof(text));
		pthread_mutex_unlock(&m->lock);
		body = n ? text : "";
		status = n ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR;
	} else if (!strcmp(url, "/healthz")) {
		pthread_mutex_lock(&m->lock);
		int alive = time(NULL) - m->turned_at < 10, up = m->connected;
		pthread_mutex_unlock(&m->lock);
		body = !alive ? "the worker's loop has not turned for 10 s\n"
		       : !up  ? "no NATS server connected\n"
			      : "ok\n";
		status = alive && up ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE;
	}
	return listen_answer(conn, url, status, body);
}

struct worker_metrics *worker_metrics_start(const char *listen, char *err, size_t err_len)
{
	struct sockaddr_in sa;
	if (listen_parse(listen, &sa)) {
		snprintf(err, err_len, "--listen: '%s' is not ADDRESS:PORT (127.0.0.1:9466)", listen);
		return NULL;
	}
	struct worker_metrics *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&m->lock, NULL);
	m->turned_at = time(NULL);
	m->s.lag = m->s.in_flight = -1;
	m->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, ntohs(sa.sin_port), NULL, NULL, answer, m,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, 16U,
				MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
	if (!m->d) {
		snprintf(err, err_len, "cannot listen on %s for /metrics", listen);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return NULL;
	}
	return m;
}

/* Label values: the names as they are, a quote or backslash left out. */
static void label(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	for (; s && *s && o + 1 < cap; s++)
		if (*s != '"' && *s != '\\' && *s != '\n')
			out[o++] = *s;
	out[o] = '\0';
}

void worker_metrics_update(struct worker_metrics *m, const struct cordon_worker_stats *s, const char *stream,
			   const char *group, int connected)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->s = *s;
	label(m->stream, sizeof(m->stream), stream);
	label(m->group, sizeof(m->group), group);
	m->connected = connected;
	m->turned_at = time(NULL);
	pthread_mutex_unlock(&m->lock);
}

void worker_metrics_stop(struct worker_metrics *m)
{
	if (!m)
		return;
	MHD_stop_daemon(m->d);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
