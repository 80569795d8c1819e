/* The parts of cordon watch: the object and its loop (watch.c), the
 * evaluation of a source into the state and the outbox (eval.c), the
 * delivery of the outbox (deliver.c), one file per sink type
 * (sink_webhook.c), and the timeline (timeline.c). */
#ifndef CORDON_WATCH_WATCH_H
#define CORDON_WATCH_WATCH_H

#include <curl/curl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include "cordon/cordon.h"
#include "watch/state.h"

struct sink_run {
	const struct cordon_watch_sink *sink;
	const struct sink_type *type;
	char *payload;           /* what the type sends, when not the alert itself */
	size_t payload_at;       /* email: how much of it libcurl has read */
	CURL *easy;              /* the delivery in flight, or NULL */
	struct curl_slist *headers;
	char *body;
	int64_t row;             /* its outbox row */
	/* a syslog or exec delivery, on a thread of its own (so a hanging one
	 * holds up no other sink): its outcome, taken by the loop */
	pthread_t thread;
	int thread_running;
	pthread_mutex_t lock;
	int thread_done, thread_ok;
	char dedup[200], event[32];
	char thread_why[300];
	cordon_watch *w;
	time_t next_try;         /* nothing before (a failure's backoff) */
	char curl_err[CURL_ERROR_SIZE];
};

struct cordon_watch {
	const cordon_policy *policy;
	struct cordon_watch_config c;
	struct cordon_watch_options o;
	struct state st;
	CURLM *multi;
	struct sink_run *sinks;
	size_t nsinks;
	struct cordon_watch_stats stats;
	uint64_t unrouted; /* alerts with no sink to go to */
	struct metrics *metrics; /* /metrics and /healthz, when listen: is set */
	struct command_run *commands; /* one per watch: commands: entry */
	struct probe_job *probes;     /* one per watch: probes: entry */
	pthread_mutex_t events_lock;  /* the clouds whose events came (events.c -> commands.c) */
	unsigned events;              /* bits: 1 azure, 2 aws, 4 gcp */
	time_t state_failing;         /* since when the state takes no writes (a full disk), or 0 */
	char err[512];
};

/* How long the watch waits before it writes to a state that failed a
 * write again (an evaluation, a delivery's record). */
enum { STATE_RETRY_S = 5 };

void watch_log(cordon_watch *w, enum cordon_watch_log level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* eval.c: evaluates one file (an export or a config) into the state; a
 * file whose content did not change since its last evaluation is skipped
 * unless force. A file that cannot be read or parsed changes nothing
 * (its findings stay open) and is said. */
cordon_code watch_evaluate(cordon_watch *w, const char *path, int force);
/* The same for data read elsewhere (a command's output; freed here), of an
 * audit type (NULL: told from the content), under the source name path. */
cordon_code watch_evaluate_data(cordon_watch *w, const char *path, char *data, size_t len, const char *type,
				int force);
/* The core of an evaluation: a source's findings now (an audit's or a
 * probe's) against what it showed before, windows opened and closed,
 * alerts queued, the source's digest recorded; one transaction. */
cordon_code watch_evaluate_findings(cordon_watch *w, const char *path, const struct cordon_exposure *ev, size_t n,
				    const char *digest);
/* Records that a source failed (its exposures stay as they were). */
void source_error(cordon_watch *w, const char *path, const char *why);
/* Queues a source's alert (source_failing, source_recovered) to the
 * default route. */
cordon_code watch_source_alert(cordon_watch *w, const char *event, const char *source, const char *why, time_t since);

/* jwt.c: whether token (a JWT) is signed by a key of t->jwks with RS256
 * and says what t asks (aud, iss, email, not expired); why when not. */
int watch_jwt_verify(const char *token, const struct cordon_watch_token *t, time_t now, char *why, size_t cap);

/* commands.c: the commands of watch: commands:, run when due, their output
 * audited; *wait_ms is how long until the next is due. */
cordon_code watch_commands(cordon_watch *w, long *wait_ms);
void watch_commands_stop(cordon_watch *w);
/* Whether a command is running. */
int watch_commands_busy(const cordon_watch *w);

/* probes.c: the probe sources, each run on its own thread when due, its
 * findings evaluated in the loop. */
cordon_code watch_probes(cordon_watch *w, long *wait_ms);
int watch_probes_busy(const cordon_watch *w);
void watch_probes_stop(cordon_watch *w);

/* Queues a reminder for each window open longer than repeat_s, once per
 * round of it (a dedup key per round). */
cordon_code watch_remind(cordon_watch *w);

/* metrics.c: /metrics and /healthz on listen: (its own thread, from a
 * snapshot the loop refreshes). */
cordon_code watch_metrics_start(cordon_watch *w);
void watch_metrics_stop(cordon_watch *w);
void watch_metrics_update(cordon_watch *w);
/* A time to alert (seconds; < 0: none) and an evaluation's duration. */
void watch_metrics_observe(cordon_watch *w, double time_to_alert_s, double evaluation_s);

/* events.c: POST /events/{azure,aws,gcp} on the listen: server. */
enum MHD_Result watch_events_answer(cordon_watch *w, struct MHD_Connection *conn, const char *url, const char *method,
				    const char *upload, size_t *upload_size, void **con_cls);
/* MHD's "request completed": frees what a request gathered. */
void watch_events_done(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode code);
/* A cloud's change: its commands run at once (thread-safe: the loop takes
 * it). */
void watch_events_trigger(cordon_watch *w, const char *cloud);

/* deliver.c: starts what is due on each idle sink, takes what finished;
 * *wait_ms is how long until the next retry is due (for the loop's poll). */
cordon_code watch_deliver(cordon_watch *w, long *wait_ms);
/* Runs deliveries until none is due and none in flight (--once), at most
 * deadline_ms. */
cordon_code watch_deliver_all(cordon_watch *w, long deadline_ms);
/* Waits for the deliveries on threads (syslog, exec), each bounded by its
 * sink's timeout. */
void watch_sinks_stop(cordon_watch *w);

/* A sink type, one file each (sink_webhook.c, sink_slack.c, ...),
 * registered in sinks.c: the HTTP request that delivers an alert (its
 * canonical JSON in s->body; the type may send another payload, kept in
 * s->payload). */
struct sink_type {
	const char *name;
	CURL *(*request)(struct sink_run *s, const char *dedup, const char *event);
	/* Or a delivery done at once, bounded by the sink's timeout (syslog,
	 * exec): 0 delivered, else -1 with why. */
	int (*deliver)(struct sink_run *s, const char *dedup, const char *event, char *why, size_t cap);
	/* Alertmanager forgets an alert not sent again: open windows are
	 * re-sent every this many seconds; 0: never */
	unsigned refresh_s;
};
const struct sink_type *sink_type_find(const char *name);
/* A POST of payload (JSON) to the sink's url with common settings; the
 * headers given are added to Content-Type. */
CURL *sink_post(struct sink_run *s, const char *payload, struct curl_slist *headers);
/* A string member of an alert's JSON, or "" (never NULL). */
const char *sink_str(json_t *alert, const char *key);

#endif
