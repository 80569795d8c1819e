/* The watch's /metrics (Prometheus text format), /healthz and the cloud
 * events (events.c), served by
 * libmicrohttpd on its own thread from a snapshot the loop refreshes every
 * second (the thread never touches the state): open exposures by
 * severity, the outbox's depth, time to alert (a histogram, from the
 * evaluation that queued an alert to its delivery), evaluation durations,
 * and each source's age since its last good evaluation. /healthz answers
 * 503 when the loop has not turned for 10 seconds, or while the state
 * takes no writes. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "util/listen.h"
#include "watch/watch.h"

static const double buckets[] = { 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 };
enum { NBUCKETS = sizeof(buckets) / sizeof(*buckets) };

struct metrics {
	struct MHD_Daemon *d;
	cordon_watch *w;
	pthread_mutex_t lock;
	char *text;       /* the last snapshot */
	time_t turned_at; /* the loop's last turn */
	time_t state_failing; /* since when the state takes no writes, or 0 */
	uint64_t tta[NBUCKETS + 1];
	double tta_sum;
	uint64_t tta_count;
	double eval_sum;
	uint64_t eval_count;
};

static enum MHD_Result answer(void *arg, struct MHD_Connection *conn, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct metrics *m = arg;
	(void)version;
	if (!strncmp(url, "/events/", 8) && (m->w->c.events_secret || m->w->c.ntokens))
		return watch_events_answer(m->w, conn, url, method, upload, upload_size, con_cls);
	const char *body = "not found\n";
	unsigned status = MHD_HTTP_NOT_FOUND;
	char *copy = NULL;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		body = "GET only\n";
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
	} else if (!strcmp(url, "/metrics")) {
		pthread_mutex_lock(&m->lock);
		copy = strdup(m->text ? m->text : "");
		pthread_mutex_unlock(&m->lock);
		body = copy ? copy : "";
		status = copy ? MHD_HTTP_OK : MHD_HTTP_INTERNAL_SERVER_ERROR;
	} else if (!strcmp(url, "/healthz")) {
		pthread_mutex_lock(&m->lock);
		int alive = time(NULL) - m->turned_at < 10, writable = !m->state_failing;
		pthread_mutex_unlock(&m->lock);
		body = !alive ? "the watch loop has not turned for 10 s\n"
		       : !writable ? "the state cannot be written (a full disk?): changes are not recorded\n"
				   : "ok\n";
		status = alive && writable ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE;
	}
	enum MHD_Result ret = listen_answer(conn, url, status, body);
	free(copy);
	return ret;
}

cordon_code watch_metrics_start(cordon_watch *w)
{
	if (!w->c.listen)
		return CORDON_OK;
	struct sockaddr_in sa;
	if (listen_parse(w->c.listen, &sa)) {
		snprintf(w->err, sizeof(w->err), "watch: listen: '%s' is not ADDRESS:PORT (127.0.0.1:9464)", w->c.listen);
		return CORDON_ERR_ARG;
	}
	uint16_t port = ntohs(sa.sin_port);
	struct metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return CORDON_ERR_NOMEM;
	pthread_mutex_init(&m->lock, NULL);
	m->turned_at = time(NULL);
	m->w = w;
	m->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, port, NULL, NULL, answer, m,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, 16U,
				MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_NOTIFY_COMPLETED, watch_events_done,
				NULL, MHD_OPTION_END);
	if (!m->d) {
		snprintf(w->err, sizeof(w->err), "watch: cannot listen on %s for /metrics", w->c.listen);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return CORDON_ERR_IO;
	}
	w->metrics = m;
	return CORDON_OK;
}

void watch_metrics_stop(cordon_watch *w)
{
	struct metrics *m = w->metrics;
	if (!m)
		return;
	MHD_stop_daemon(m->d);
	pthread_mutex_destroy(&m->lock);
	free(m->text);
	free(m);
	w->metrics = NULL;
}

void watch_metrics_observe(cordon_watch *w, double time_to_alert_s, double evaluation_s)
{
	struct metrics *m = w->metrics;
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	if (time_to_alert_s >= 0) {
		size_t b = 0;
		while (b < NBUCKETS && time_to_alert_s > buckets[b])
			b++;
		m->tta[b]++;
		m->tta_sum += time_to_alert_s;
		m->tta_count++;
	}
	if (evaluation_s >= 0) {
		m->eval_sum += evaluation_s;
		m->eval_count++;
	}
	pthread_mutex_unlock(&m->lock);
}

/* The snapshot, from the state (in the loop's thread). */
void watch_metrics_update(cordon_watch *w)
{
	struct metrics *m = w->metrics;
	if (!m)
		return;
	size_t cap = 8192, len = 0;
	char *t = malloc(cap);
	if (!t)
		return;
#define OUT(...)                                                                                                     \
	do {                                                                                                         \
		int n_ = snprintf(t + len, cap - len, __VA_ARGS__);                                                   \
		if (n_ > 0 && (size_t)n_ < cap - len)                                                                 \
			len += (size_t)n_;                                                                           \
	} while (0)
	OUT("# HELP cordon_watch_open_exposures Exposure windows open now.\n# TYPE cordon_watch_open_exposures gauge\n");
	static const char *const sev[] = { "info", "medium", "high", "critical" };
	for (int i = 0; i < 4; i++) {
		sqlite3_stmt *st;
		long long n = 0;
		if (sqlite3_prepare_v2(w->st.db, "SELECT count(*) FROM findings WHERE severity = ?1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, sev[i], -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				n = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		OUT("cordon_watch_open_exposures{severity=\"%s\"} %lld\n", sev[i], n);
	}
	OUT("# HELP cordon_watch_outbox_depth Alerts queued and not yet delivered.\n# TYPE cordon_watch_outbox_depth gauge\n"
	    "cordon_watch_outbox_depth %llu\n", (unsigned long long)w->stats.outbox_depth);
	OUT("# TYPE cordon_watch_evaluations_total counter\ncordon_watch_evaluations_total %llu\n"
	    "# TYPE cordon_watch_opened_total counter\ncordon_watch_opened_total %llu\n"
	    "# TYPE cordon_watch_closed_total counter\ncordon_watch_closed_total %llu\n"
	    "# TYPE cordon_watch_alerts_delivered_total counter\ncordon_watch_alerts_delivered_total %llu\n"
	    "# TYPE cordon_watch_delivery_failures_total counter\ncordon_watch_delivery_failures_total %llu\n",
	    (unsigned long long)w->stats.evaluations, (unsigned long long)w->stats.opened,
	    (unsigned long long)w->stats.closed, (unsigned long long)w->stats.alerts_delivered,
	    (unsigned long long)w->stats.delivery_failures);
	OUT("# HELP cordon_watch_state_writable 0 while the state takes no writes (a full disk).\n"
	    "# TYPE cordon_watch_state_writable gauge\ncordon_watch_state_writable %d\n", !w->state_failing);
	OUT("# HELP cordon_watch_source_age_seconds Seconds since a source's last good evaluation.\n"
	    "# TYPE cordon_watch_source_age_seconds gauge\n");
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w->st.db, "SELECT path, strftime('%s','now') - evaluated_at, error IS NOT NULL FROM sources "
					 "ORDER BY path LIMIT 1000",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW && cap - len > 600) {
			char label[400];
			size_t o = 0;
			for (const unsigned char *p = sqlite3_column_text(st, 0); p && *p && o + 3 < sizeof(label); p++) {
				if (*p == '"' || *p == '\\')
					label[o++] = '\\';
				label[o++] = *p == '\n' ? ' ' : (char)*p;
			}
			label[o] = '\0';
			OUT("cordon_watch_source_age_seconds{source=\"%s\",failing=\"%s\"} %lld\n", label,
			    sqlite3_column_int(st, 2) ? "true" : "false", (long long)sqlite3_column_int64(st, 1));
		}
		sqlite3_finalize(st);
	}
	pthread_mutex_lock(&m->lock);
	if (cap - len > 1200) {
		OUT("# HELP cordon_watch_time_to_alert_seconds From the evaluation that queued an alert to its delivery.\n"
		    "# TYPE cordon_watch_time_to_alert_seconds histogram\n");
		uint64_t cum = 0;
		for (size_t b = 0; b < NBUCKETS; b++) {
			cum += m->tta[b];
			OUT("cordon_watch_time_to_alert_seconds_bucket{le=\"%g\"} %llu\n", buckets[b], (unsigned long long)cum);
		}
		OUT("cordon_watch_time_to_alert_seconds_bucket{le=\"+Inf\"} %llu\n"
		    "cordon_watch_time_to_alert_seconds_sum %.6f\ncordon_watch_time_to_alert_seconds_count %llu\n",
		    (unsigned long long)m->tta_count, m->tta_sum, (unsigned long long)m->tta_count);
		OUT("# TYPE cordon_watch_evaluation_seconds summary\ncordon_watch_evaluation_seconds_sum %.6f\n"
		    "cordon_watch_evaluation_seconds_count %llu\n",
		    m->eval_sum, (unsigned long long)m->eval_count);
	}
#undef OUT
	free(m->text);
	m->text = t;
	m->turned_at = time(NULL);
	m->state_failing = w->state_failing;
	pthread_mutex_unlock(&m->lock);
}
