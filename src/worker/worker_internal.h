/* What the NATS side of cordon shares inside the library: the connection
 * (nats.c), the key files it reads, and the metrics the worker serves. */
#ifndef CORDON_WORKER_INTERNAL_H
#define CORDON_WORKER_INTERNAL_H

#include <nats/nats.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <stdarg.h>
#include "cordon/worker.h"

struct cordon_nats {
	natsConnection *conn;
	natsOptions *opts;
	cordon_nats_log_fn log;
	void *log_ctx;
	volatile int closing; /* no "lost the server" when we close it */
	/* libnats calls back on its own thread, the last call being "closed":
	 * nc is freed only after it */
	pthread_mutex_t lock;
	pthread_cond_t closed_cond;
	int closed;
	/* subscriptions and JetStream contexts whose destruction waits for the
	 * connection's close (nats_defer_destroy), in the order handed over */
	struct nats_deferred {
		natsSubscription *sub;
		jsCtx *js;
	} *deferred;
	size_t ndeferred, capdeferred;
	char err[512];
};

/* Hands sub and js (either may be NULL) to nc, to be destroyed by
 * cordon_nats_close once the connection is closed. Until then libnats's
 * reader thread may be delivering to them (a fetch's messages, a late
 * publish ack): destroyed under it, the lock it takes is freed memory, and
 * a worker stopped mid-fetch hung in natsConnection_Close. Destroyed at
 * once if the list cannot grow. */
void nats_defer_destroy(cordon_nats *nc, natsSubscription *sub, jsCtx *js);

/* Sets nc->err (printf-like) and returns rc. */
cordon_code nats_fail(cordon_nats *nc, cordon_code rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* What s (and, when set, the JetStream error code) means, with the
 * library's last error text: "no responders: no stream takes 'out.x'". */
void nats_describe(char *out, size_t cap, natsStatus s, jsErrCode jerr);
/* A JetStream context on nc; opts: NULL or with its publish handlers set. */
cordon_code nats_jetstream(cordon_nats *nc, jsCtx **js, jsOptions *opts);
/* A message of data[0, len) to subject with headers (name, value pairs,
 * ended by NULL); NULL when out of memory. */
natsMsg *nats_msg_new(const char *subject, const char *data, size_t len, const char *const *headers);
/* The server's largest message, in bytes (1 MiB when it does not say). */
int64_t nats_max_payload(cordon_nats *nc);
void nats_log(cordon_nats *nc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Seconds since t (CLOCK_MONOTONIC); sleeping ms, a signal not cutting it short. */
static inline double nats_seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}
static inline void nats_sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* worker.c: does the subject pattern ("in.>", "a.*.c") take subject? */
int nats_subject_matches(const char *pattern, const char *subject);

/* nkey.c: the public key (U...) of an nkey user seed file, checked (its
 * prefix and CRC) and refused when others can read it. 0, or -1 with err. */
int nkey_public_of_seed_file(const char *path, char *pub, size_t cap, char *err, size_t err_len);
/* The same from text[0, len) already read. */
int nkey_public_of_seed(const char *text, size_t len, char *pub, size_t cap, char *err, size_t err_len);
/* The CRC-16 (XMODEM) nkeys end with. */
uint16_t nkey_crc16(const unsigned char *p, size_t n);
/* RFC 4648 base32 without padding, as nkeys are written. Bytes written (0
 * when cap is short), or for decode -1 on a bad character. */
size_t nkey_base32_encode(const unsigned char *in, size_t n, char *out, size_t cap);
long nkey_base32_decode(const char *in, size_t n, unsigned char *out, size_t cap);

/* metrics.c: /metrics and /healthz for a worker, on its own thread. */
struct worker_metrics;
struct worker_metrics *worker_metrics_start(const char *listen, char *err, size_t err_len);
/* A new snapshot: the stats, and whether the worker is connected. */
void worker_metrics_update(struct worker_metrics *m, const struct cordon_worker_stats *s, const char *stream,
			   const char *group, int connected);
void worker_metrics_stop(struct worker_metrics *m);

#endif
