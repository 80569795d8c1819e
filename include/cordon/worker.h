/* cordon worker: redaction as a service on NATS JetStream.
 *
 * A worker is a durable pull consumer of an input stream: it fetches
 * messages (each one record, or a batch of records in the stream's record
 * format), redacts them with the same engine, policy and operator as
 * cordon_stream, publishes the redacted records to an output subject and
 * any record it cannot process to a quarantine subject (its reason in the
 * Cordon-Reason header), each with a Nats-Msg-Id made of the input stream's
 * name and the message's sequence, and acknowledges the input only when
 * every one of those publishes was acknowledged. So a record is never lost
 * (a message not acknowledged is delivered again, to this worker or to
 * another) and never published in clear; within the output stream's
 * duplicate window a record redelivered is stored once.
 *
 * publish and consume are the two ends for users and tests: records from
 * files into a subject as they are, and a stream drained into a file.
 *
 * Nothing here prints: what happens is said through the log callback, and
 * why a call failed through the error text. */
#ifndef CORDON_WORKER_H
#define CORDON_WORKER_H

#include <stdint.h>
#include <stdio.h>
#include "cordon/common.h"
#include "cordon/detect.h"
#include "cordon/records.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cordon_nats cordon_nats;

/* What happens, for a log: one line, with no record's content in it. */
typedef void (*cordon_nats_log_fn)(void *ctx, const char *line);

/* How to reach the servers, as NATS users expect. A key file (credentials,
 * nkey seed, TLS key, password file) that group or others can read is
 * refused. */
struct cordon_nats_options {
	const char *url;        /* "nats://host:4222", several joined by ',' */
	const char *name;       /* the connection's name, as servers list it */
	const char *creds_file; /* a .creds file: user JWT and nkey seed */
	const char *nkey_file;  /* an nkey seed file (SU...) */
	const char *user;       /* user and password (or in the URL) */
	const char *password;
	const char *password_file; /* the password, from its first line */
	const char *tls_ca;        /* CA certificates (PEM): TLS to the servers */
	const char *tls_cert;      /* a client certificate and its key (PEM) */
	const char *tls_key;
	unsigned timeout_ms;       /* to connect; 0: 5000 */
	/* keep trying to reach a server at start (a worker started before its
	 * servers); reconnecting after a loss is always on */
	int retry_connect;
	cordon_nats_log_fn log; /* told of lost and regained servers; NULL: none */
	void *log_ctx;
};

typedef enum cordon_nats_retention {
	CORDON_NATS_LIMITS = 0, /* kept until the stream's limits drop them */
	CORDON_NATS_WORKQUEUE,  /* each message removed once acknowledged */
	CORDON_NATS_INTEREST    /* removed once every consumer acknowledged it */
} cordon_nats_retention;

/* Creating a missing stream (--create-streams): named after the subject's
 * first token ("in.records" makes stream "in", subjects "in.>"). */
struct cordon_nats_stream_options {
	int replicas;                  /* 1 to 5; 0: 1 */
	cordon_nats_retention retention;
	double dedup_window;           /* seconds; 0: the server's (2 minutes) */
};

CORDON_API cordon_code cordon_nats_retention_from_name(const char *name, cordon_nats_retention *out);

/* Connects; on failure says why in err. */
CORDON_API cordon_code cordon_nats_connect(cordon_nats **out, const struct cordon_nats_options *options, char *err,
					   size_t err_len);
/* Closes and frees nc, once libnats has made its last callback. */
CORDON_API void cordon_nats_close(cordon_nats *nc);
/* At a program's end, after its last cordon_nats_close: stops libnats's
 * threads (waiting up to 2 s), so nothing of it runs during exit. */
CORDON_API void cordon_nats_shutdown(void);
/* Why the last call on nc failed. */
CORDON_API const char *cordon_nats_error(const cordon_nats *nc);
/* Makes sure a stream takes subject: if none does, creates one named after
 * its first token, with options. *created: 1 when it was made. */
CORDON_API cordon_code cordon_nats_ensure_stream(cordon_nats *nc, const char *subject,
						 const struct cordon_nats_stream_options *options, int *created);
/* The same for a stream given by name (subjects "NAME.>"). */
CORDON_API cordon_code cordon_nats_ensure_stream_named(cordon_nats *nc, const char *stream,
						       const struct cordon_nats_stream_options *options, int *created);

/* ---- publish: records into a subject, as they are ---- */
struct cordon_publish_options {
	const char *subject;
	size_t batch;     /* lines (records) per message; 0: 1 */
	size_t max_bytes; /* per message; 0: the server's maximum payload */
	/* messages awaiting the server's acknowledgement; 0: 4096 */
	unsigned max_pending;
};

struct cordon_publish_stats {
	uint64_t records, messages, bytes; /* acknowledged by the server */
};

/* Reads lines from fd (gzip and zstd by their first bytes) and publishes
 * them, batch lines to a message, each with a Nats-Msg-Id unique to this
 * run (a message sent again after a lost acknowledgement is stored once).
 * Returns when every message was acknowledged, or says how many were; a
 * line longer than a message may be is an error, never cut. name: for
 * messages ("stdin"). Its JetStream context is freed by cordon_nats_close,
 * when libnats can deliver nothing more to it. */
CORDON_API cordon_code cordon_nats_publish_fd(cordon_nats *nc, const struct cordon_publish_options *options, int fd,
					      const char *name, struct cordon_publish_stats *stats);

/* ---- consume: a stream drained into a file ---- */
struct cordon_consume_options {
	const char *stream;
	const char *subject; /* only messages on subjects matching it; NULL: all */
	double idle;         /* stop after this many seconds without a message; 0: 5 */
	int json;            /* one JSON object a message (subject, sequence,
				headers, data) instead of the data as it is */
	/* called after the last message is written, before any is
	 * acknowledged: non-zero (the output could not be kept) leaves every
	 * message unacknowledged (work-queue streams keep them) */
	int (*commit)(void *ctx);
	void *ctx;
};

struct cordon_consume_stats {
	uint64_t messages, bytes;
};

/* Writes each message's data to out (a newline added to data that does not
 * end in one), from the stream's first message, until idle. Its
 * subscription and JetStream context are freed by cordon_nats_close. */
CORDON_API cordon_code cordon_nats_consume(cordon_nats *nc, const struct cordon_consume_options *options, FILE *out,
					   struct cordon_consume_stats *stats);

/* ---- the worker ---- */
typedef struct cordon_worker cordon_worker;

struct cordon_worker_options {
	const char *stream;             /* the input stream */
	const char *out_subject;        /* where redacted records go */
	/* where records that cannot be processed go, whole, with the reason in
	 * the Cordon-Reason header; NULL: such a message stays in the input
	 * stream (it is delivered again after nak_delay) and is counted held */
	const char *quarantine_subject;
	const char *group;              /* the durable consumer; NULL: "cordon" */
	unsigned batch;                 /* messages fetched at once; 0: as many as 16 MiB of
					   messages the size of the last batch's, 8 to 256 */
	double ack_wait;                /* seconds before an unacknowledged message is
					   delivered again (new consumers); 0: 30 */
	double nak_delay;               /* seconds before a message that failed is
					   delivered again; 0: 5 */
	const char *listen;             /* "127.0.0.1:9466": /metrics and /healthz; NULL: none */
	/* the records: format, fields, policies, max_record, redactor (needed);
	 * its quarantine, callbacks, jobs and encoding are the worker's */
	struct cordon_stream_options records;
	int (*stop)(void *ctx);         /* non-zero: finish the batch in hand, return */
	cordon_nats_log_fn log;
	void *ctx;
};

struct cordon_worker_stats {
	uint64_t messages;         /* input messages acknowledged */
	uint64_t records_in, records_out, quarantined; /* of those: in = out + quarantined */
	uint64_t redelivered;      /* messages that came a second time or more */
	uint64_t held;             /* messages left in the stream (no quarantine subject) */
	uint64_t publish_failures; /* messages naked because a publish failed */
	uint64_t bytes_in;
	uint64_t findings[CORDON_ENTITY_MAX];
	int64_t lag;               /* the group's messages not yet delivered; -1: unknown */
	int64_t in_flight;         /* delivered to the group, not yet acknowledged; -1: unknown */
};

/* The worker borrows nc, engine and options->records.redactor. Creates the
 * durable consumer when missing. */
CORDON_API cordon_code cordon_worker_new(cordon_worker **out, cordon_nats *nc, cordon_engine *engine,
					 const struct cordon_worker_options *options);
/* Fetches, redacts, publishes, acknowledges until stop says so (or a fatal
 * error: the servers refuse the consumer). A lost server is waited for,
 * backing off; messages in flight go to other workers. */
CORDON_API cordon_code cordon_worker_run(cordon_worker *w);
CORDON_API void cordon_worker_get_stats(const cordon_worker *w, struct cordon_worker_stats *stats);
CORDON_API const char *cordon_worker_error(const cordon_worker *w);
/* Waits (1 s at most) for the answers to what w published, and frees w. Call
 * it before cordon_nats_close(nc): w's subscription and JetStream context are
 * destroyed by that close, once libnats delivers nothing more to them. */
CORDON_API void cordon_worker_free(cordon_worker *w);

/* The Nats-Msg-Id of the output of input message seq of stream ("in:42"),
 * and of its k-th quarantined record ("in:42:q1"); k 0: the output. */
CORDON_API int cordon_worker_msg_id(char *out, size_t cap, const char *stream, uint64_t seq, unsigned k);

#ifdef __cplusplus
}
#endif
#endif
