/* The outbox, delivered: per sink, its oldest undelivered alert, one at a
 * time (so a sink gets its alerts in order), on libcurl's multi interface
 * (so a slow or dead sink never holds up another). A failure waits
 * 1, 2, 4 ... seconds (at most 5 minutes) and is tried again; an alert is
 * marked delivered only on a 2xx answer, so one killed mid-delivery is
 * sent again (at least once; its dedup key makes that safe). */
#include <stdlib.h>
#include <string.h>
#include "watch/watch.h"

enum { BACKOFF_MAX_S = 300 };

static void end_transfer(cordon_watch *w, struct sink_run *s)
{
	if (s->easy) {
		curl_multi_remove_handle(w->multi, s->easy);
		curl_easy_cleanup(s->easy);
	}
	s->easy = NULL;
	curl_slist_free_all(s->headers);
	s->headers = NULL;
	free(s->body);
	s->body = NULL;
	free(s->payload);
	s->payload = NULL;
}

/* A delivery's end: ok, or why not. */
static void settle(cordon_watch *w, struct sink_run *s, int ok, const char *why, long status);

static void *sync_delivery(void *arg)
{
	struct sink_run *s = arg;
	char why[300] = "";
	int ok = s->type->deliver(s, s->dedup, s->event, why, sizeof(why)) == 0;
	pthread_mutex_lock(&s->lock);
	s->thread_ok = ok;
	memcpy(s->thread_why, why, sizeof(why));
	s->thread_done = 1;
	pthread_mutex_unlock(&s->lock);
	curl_multi_wakeup(s->w->multi); /* the loop takes the outcome now */
	return NULL;
}

/* A thread's delivery that finished: its outcome settled in the loop. */
static int take_sync(cordon_watch *w, struct sink_run *s)
{
	pthread_mutex_lock(&s->lock);
	int done = s->thread_done;
	pthread_mutex_unlock(&s->lock);
	if (!done)
		return 0;
	pthread_join(s->thread, NULL);
	s->thread_running = 0;
	settle(w, s, s->thread_ok, s->thread_why, 0);
	return 1;
}

void watch_sinks_stop(cordon_watch *w)
{
	for (size_t i = 0; i < w->nsinks; i++)
		if (w->sinks[i].thread_running) { /* bounded by the sink's timeout */
			pthread_join(w->sinks[i].thread, NULL);
			w->sinks[i].thread_running = 0;
		}
}

static void start(cordon_watch *w, struct sink_run *s)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w->st.db,
			       "SELECT id, dedup, event, body FROM outbox WHERE sink = ?1 AND delivered_at IS NULL "
			       "ORDER BY id LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, s->sink->name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->row = sqlite3_column_int64(st, 0);
		s->body = strdup((const char *)sqlite3_column_text(st, 3));
		const char *dedup = (const char *)sqlite3_column_text(st, 1), *event = (const char *)sqlite3_column_text(st, 2);
		if (s->body && s->type->deliver) { /* on its own thread, bounded by the sink's timeout */
			snprintf(s->dedup, sizeof(s->dedup), "%s", dedup);
			snprintf(s->event, sizeof(s->event), "%s", event);
			s->thread_done = 0;
			s->thread_why[0] = '\0';
			s->w = w;
			if (pthread_create(&s->thread, NULL, sync_delivery, s) == 0)
				s->thread_running = 1;
			else
				settle(w, s, 0, "cannot start the delivery's thread", 0);
		} else if (s->body && (s->easy = s->type->request(s, dedup, event))) {
			if (curl_multi_add_handle(w->multi, s->easy) != CURLM_OK)
				end_transfer(w, s);
		} else { /* a request that cannot be made: a failure, with its backoff */
			settle(w, s, 0, "the request could not be made", 0);
		}
	}
	sqlite3_finalize(st);
}


static void finished(cordon_watch *w, struct sink_run *s, CURLcode code)
{
	long status = 0;
	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
	char why[300];
	if (code != CURLE_OK)
		snprintf(why, sizeof(why), "%s", s->curl_err[0] ? s->curl_err : curl_easy_strerror(code));
	else
		snprintf(why, sizeof(why), "HTTP %ld", status);
	settle(w, s, code == CURLE_OK && status >= 200 && status < 300, why, status);
}

static void settle(cordon_watch *w, struct sink_run *s, int ok, const char *why_given, long status)
{
	time_t now = time(NULL);
	char id[32], at[32];
	snprintf(id, sizeof(id), "%lld", (long long)s->row);
	snprintf(at, sizeof(at), "%lld", (long long)now);
	if (ok) {
		const char *p[] = { at, id };
		if (state_exec(&w->st, "UPDATE outbox SET delivered_at = ?1, attempts = attempts + 1, last_error = NULL "
				       "WHERE id = ?2",
			       2, p) != CORDON_OK) {
			/* delivered, not recorded: it goes again, with its dedup key, once the state takes writes;
			 * not at once (a full disk would make every turn send it) */
			s->next_try = now + STATE_RETRY_S;
			watch_log(w, CORDON_WATCH_WARN, "state_failed",
				  "alert %s delivered to sink '%s' but not recorded (%s): it is sent again, with the same "
				  "dedup key, once the state can be written",
				  id, s->sink->name, w->st.err);
			end_transfer(w, s);
			return;
		}
		w->stats.alerts_delivered++;
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(w->st.db, "SELECT created_ms, event FROM outbox WHERE id = ?1", -1, &q, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(q, 1, s->row);
			if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL &&
			    !strcmp((const char *)sqlite3_column_text(q, 1), "opened")) {
				struct timespec ts;
				clock_gettime(CLOCK_REALTIME, &ts);
				double ms = (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
				watch_metrics_observe(w, (ms - (double)sqlite3_column_int64(q, 0)) / 1000, -1);
			}
			sqlite3_finalize(q);
		}
		if (status)
			watch_log(w, CORDON_WATCH_INFO, "delivered", "alert %s delivered to sink '%s' (%ld)", id, s->sink->name,
				  status);
		else
			watch_log(w, CORDON_WATCH_INFO, "delivered", "alert %s delivered to sink '%s'", id, s->sink->name);
		s->next_try = 0;
	} else {
		const char *why = why_given;
		const char *p[] = { why, id };
		state_exec(&w->st, "UPDATE outbox SET attempts = attempts + 1, last_error = ?1 WHERE id = ?2", 2, p);
		sqlite3_stmt *st;
		long attempts = 1;
		if (sqlite3_prepare_v2(w->st.db, "SELECT attempts FROM outbox WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, s->row);
			if (sqlite3_step(st) == SQLITE_ROW)
				attempts = sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
		}
		long wait = attempts >= 9 ? BACKOFF_MAX_S : 1L << (attempts - 1);
		if (wait > BACKOFF_MAX_S)
			wait = BACKOFF_MAX_S;
		s->next_try = now + wait;
		w->stats.delivery_failures++;
		watch_log(w, CORDON_WATCH_WARN, "delivery_failed", "sink '%s': %s; attempt %ld, again in %ld s", s->sink->name,
			  why, attempts, wait);
	}
	end_transfer(w, s);
}

cordon_code watch_deliver(cordon_watch *w, long *wait_ms)
{
	time_t now = time(NULL);
	long wait = wait_ms && *wait_ms < 1000 ? *wait_ms : 1000; /* what others need sooner stands */
	for (size_t i = 0; i < w->nsinks; i++) {
		struct sink_run *s = &w->sinks[i];
		if (s->easy)
			continue;
		if (s->thread_running && !take_sync(w, s))
			continue;
		if (now < s->next_try) {
			long ms = (long)(s->next_try - now) * 1000;
			if (ms < wait)
				wait = ms;
			continue;
		}
		start(w, s);
	}
	int running = 0;
	curl_multi_perform(w->multi, &running);
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(w->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		struct sink_run *s = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
		if (s)
			finished(w, s, m->data.result);
	}
	/* something finished: what is next may start at once */
	for (size_t i = 0; i < w->nsinks; i++)
		if (!w->sinks[i].easy && !w->sinks[i].thread_running && w->sinks[i].next_try <= time(NULL)) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(w->st.db, "SELECT 1 FROM outbox WHERE sink = ?1 AND delivered_at IS NULL LIMIT 1",
					       -1, &st, NULL) == SQLITE_OK) {
				sqlite3_bind_text(st, 1, w->sinks[i].sink->name, -1, SQLITE_STATIC);
				if (sqlite3_step(st) == SQLITE_ROW)
					wait = 0;
				sqlite3_finalize(st);
			}
		}
	if (wait_ms)
		*wait_ms = wait;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w->st.db, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			w->stats.outbox_depth = (uint64_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return CORDON_OK;
}

cordon_code watch_deliver_all(cordon_watch *w, long deadline_ms)
{
	long waited = 0;
	for (;;) {
		long wait = 1000;
		cordon_code rc = watch_deliver(w, &wait);
		if (rc != CORDON_OK)
			return rc;
		int busy = 0;
		for (size_t i = 0; i < w->nsinks; i++)
			busy |= w->sinks[i].easy != NULL || w->sinks[i].thread_running;
		/* done when nothing is in flight and nothing is due now (a failed
		 * sink waits for the next run: --once does not sleep out backoffs) */
		if (!busy && wait > 0)
			return CORDON_OK;
		if (waited >= deadline_ms)
			return CORDON_OK;
		int n = 0;
		curl_multi_poll(w->multi, NULL, 0, 50, &n);
		waited += 50;
	}
}
