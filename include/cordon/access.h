/* cordon access: who reached a data store while it was exposed, from the
 * network's flow logs (and, later, the store's own logs). Given the window
 * and the store's addresses and ports, every source outside the private
 * ranges that reached it is summed (first and last seen, flows, denied,
 * bytes to and from the store) and judged: no_access, probe_only, read or
 * unknown. A part of the window the logs do not cover is part of the
 * answer: it makes the window's verdict unknown, never no_access.
 *
 * Logs are read as streams (gzip and zstd by their first bytes), their
 * format told by their content; memory grows with the distinct sources and
 * the window's length, not with the lines. */
#ifndef CORDON_ACCESS_H
#define CORDON_ACCESS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "cordon/common.h"
#include "cordon/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cordon_access cordon_access;

/* Ordered: a window's verdict is the worst of its sources', raised to
 * unknown by a coverage gap or a line that could not be read. */
typedef enum cordon_access_verdict {
	CORDON_ACCESS_NO_ACCESS = 0, /* denied, or never seen */
	CORDON_ACCESS_PROBE_ONLY,    /* connections, no more than read_bytes back */
	CORDON_ACCESS_UNKNOWN,       /* allowed, but the logs do not say how much came back */
	CORDON_ACCESS_READ           /* more than read_bytes came back */
} cordon_access_verdict;

/* What a store's own log says a source did. A successful read makes the
 * source's verdict read; a login or a write without a read, unknown (the
 * log may not show every statement); a connection, a failed login or a
 * listing of what the store holds, probe_only. */
typedef enum cordon_access_action {
	CORDON_ACCESS_ACT_CONNECT = 0,   /* a connection, nothing more said */
	CORDON_ACCESS_ACT_LOGIN,         /* authenticated */
	CORDON_ACCESS_ACT_REFUSED,       /* a login failed, or a request was refused (401, 403, access_denied) */
	CORDON_ACCESS_ACT_LIST,          /* listed what the store holds: indices, databases, collections */
	CORDON_ACCESS_ACT_READ,          /* read records: searches, scrolls, gets, queries */
	CORDON_ACCESS_ACT_WRITE,         /* wrote, changed or deleted */
	CORDON_ACCESS_ACT_OTHER,         /* anything else that succeeded */
	CORDON_ACCESS_ACTIONS
} cordon_access_action;
/* "connect", "login", "refused", "list", "read", "write", "other". */
CORDON_API const char *cordon_access_action_name(cordon_access_action a);

/* "no_access", "probe_only", "unknown", "read". */
CORDON_API const char *cordon_access_verdict_name(cordon_access_verdict v);
CORDON_API cordon_code cordon_access_verdict_from_name(const char *name, cordon_access_verdict *out);

struct cordon_access_options {
	time_t from, to;          /* the window, from < to (required) */
	/* The store: "10.0.0.4", "10.0.0.4:9200", "10.0.0.0/24:9200",
	 * "[2001:db8::7]:9200", "2001:db8::/64"; no port: any (required) */
	const char *const *dests;
	size_t ndests;
	uint64_t read_bytes;      /* more than this back from the store is a read; 0: 8192 */
	unsigned skew_s;          /* flows this far outside the window count (clocks); default 300 */
	unsigned gap_s;           /* no log record for longer than this is a gap; 0: 900 */
	int include_private;      /* list private, loopback and link-local sources too */
	char *error;              /* optional: why _new refused the options */
	size_t error_len;
	/* The UTC offset of logs that write local times with no zone
	 * (MariaDB's general log), in seconds east; such logs are refused
	 * unless local_offset_set. */
	int local_offset_set;
	long local_offset_s;
};
#define CORDON_ACCESS_OPTIONS_INIT { 0, 0, NULL, 0, 0, 300, 0, 0, NULL, 0, 0, 0 }

CORDON_API cordon_code cordon_access_new(cordon_access **out, const struct cordon_access_options *options);
CORDON_API void cordon_access_free(cordon_access *a);

/* Reads one log from fd to its end, its format told by its first line or
 * object (cordon_access_formats lists them). name is for messages
 * ("vpc.log.gz"). A line or tuple that cannot be read stops the log with
 * CORDON_ERR_PARSE and says where (cordon_access_error), unless quarantine
 * is given: then it is written there whole, one line each, counted, and
 * the window's verdict is at least unknown. */
CORDON_API cordon_code cordon_access_read_fd(cordon_access *a, int fd, const char *name, FILE *quarantine);
/* Adds what from has read into into (the same window: two made with the
 * same options): logs read on several threads, one object each, summed
 * at the end. The answer does not depend on the order. from is left as
 * it was. */
CORDON_API cordon_code cordon_access_merge(cordon_access *into, cordon_access *from);
/* Why the last call failed ("vpc.log line 12: 13 fields, the header has 14"). */
CORDON_API const char *cordon_access_error(const cordon_access *a);
/* Was it one line or tuple that could not be read (one a quarantine would
 * have taken), rather than the log as a whole? */
CORDON_API int cordon_access_error_is_line(const cordon_access *a);
/* The formats read, one per line, for --help: "name: what it is". */
CORDON_API const char *const *cordon_access_formats(void);

/* One source that reached the store (or tried to). */
struct cordon_access_source {
	char address[46];          /* as text */
	cordon_access_verdict verdict;
	time_t first_seen, last_seen;
	uint64_t flows;            /* flow records toward the store, allowed */
	uint64_t denied;           /* flow records toward the store, denied */
	uint64_t bytes_to_store;   /* what the logs say; see the _known flags */
	uint64_t bytes_from_store;
	int bytes_known;           /* 0: some allowed flow had no byte counts (NSG v1) */
	unsigned ports[8];         /* the store's ports reached, the eight lowest */
	unsigned nports;
	const char *rule;          /* the rule that allowed its earliest flow (NSG), or NULL */
	int internal;              /* a private, loopback or link-local address */
	uint64_t actions[CORDON_ACCESS_ACTIONS]; /* from the store's logs */
};

/* A part of the window no log covers. */
struct cordon_access_gap {
	time_t from, to;
	const char *why;           /* "no log record", "VPC log SKIPDATA" */
};

struct cordon_access_result {
	cordon_access_verdict verdict;
	time_t from, to;
	const struct cordon_access_source *sources; /* worst verdict first, then by bytes back */
	size_t nsources;
	size_t internal;           /* internal sources seen (listed with include_private) */
	const struct cordon_access_gap *gaps;
	size_t ngaps;
	uint64_t logs, records, records_in_window, malformed;
	const char *const *formats_seen; /* the formats read, NULL-terminated */
	int sampled;               /* a log samples flows (GCP): no_access cannot be shown, unknown at best */
};

/* The answer so far; valid until the next call on a. */
CORDON_API cordon_code cordon_access_result(cordon_access *a, struct cordon_access_result *out);

/* Writes the result: text for an incident channel, JSON lines (the window
 * first, then one source a line) or CSV (one source a row). */
typedef enum cordon_access_format {
	CORDON_ACCESS_TEXT = 0,
	CORDON_ACCESS_JSON,
	CORDON_ACCESS_CSV
} cordon_access_format;
CORDON_API cordon_code cordon_access_report(FILE *out, cordon_access_format format,
					    const struct cordon_access_result *r);

#ifdef __cplusplus
}
#endif
#endif
