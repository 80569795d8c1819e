/* cordon access inside the library: the flow every log format is read into,
 * the stream the formats read from, and the format table (one file per log
 * format, one line in formats.c). */
#ifndef CORDON_ACCESS_INTERNAL_H
#define CORDON_ACCESS_INTERNAL_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "cordon/access.h"
#include "audit/ipset.h"

/* What a flow record is: AWS's records are one direction each (the
 * store's answer is another record); Azure's tuples say both directions,
 * version 1 without counts, version 2 and VNet logs by the flow's begin,
 * its updates (counts since the last) and its end. */
enum flow_kind {
	FLOW_RECORD,   /* one direction's bytes over a capture window (AWS) */
	FLOW_NOCOUNT,  /* a flow whose bytes the log never gives (NSG version 1) */
	FLOW_BEGIN,    /* a flow begins; counts, if any, since it began */
	FLOW_UPDATE,   /* a flow goes on: counts since the last tuple */
	FLOW_END       /* a flow ends: counts since the last tuple */
};

/* One flow record, as a log says it: src sent to dst. */
struct flow {
	enum flow_kind kind;
	time_t start, end;          /* seconds, start <= end */
	u128 src, dst;
	unsigned sport, dport;      /* 0: not said */
	int allowed;                /* 1 accepted, 0 denied */
	int64_t bytes_fwd;          /* src to dst; -1: not said */
	int64_t bytes_back;         /* dst to src, in the same record (NSG v2); -1: not said */
	const char *rule;           /* the rule that decided (NSG), or NULL; valid during the call */
};

/* The log being read: a decompressed stream, read by lines or by bytes. */
enum { ACCESS_LINE_MAX = 1 << 20 }; /* a longer line is refused, never cut */
struct access_stream {
	struct input *in;
	char *buf;
	size_t len, pos, cap;
	int eof;
	uint64_t line;              /* the current line's number (lines read, by lines) */
	int bytewise;               /* read by bytes: line counts from 1 */
	const char *name;
};
/* The next line, without its end: 1, 0 at the end, -1 on an error (said
 * with access_fail). */
int stream_line(cordon_access *a, struct access_stream *st, const char **line, size_t *n);
/* The next byte, or -1 at the end or on an error (access_failed tells). */
int stream_byte(cordon_access *a, struct access_stream *st);

/* What a format reports back to the summing. */
void access_flow(cordon_access *a, const struct flow *f);
/* A store's own log: client did act at t (bytes_back: what the store sent
 * back, -1 when not said). */
void access_action(cordon_access *a, time_t t, u128 client, cordon_access_action act, int64_t bytes_back);
/* The log samples flows (GCP): no record of a source is no proof it did not come. */
void access_sampled(cordon_access *a);
/* The offset of local times with no zone (local_offset_set), or -1 when
 * none was given. */
int access_local_offset(const cordon_access *a, long *offset_s);
/* "2026-11-01T08:00:00Z", "2026-11-01 08:00:00.123 UTC", "...,000+0000",
 * "...+01:00": the time, or -1. */
int access_time_iso(const char *s, size_t n, time_t *out);

/* The log was written for [from, to] (no traffic: AWS's NODATA). */
void access_covered(cordon_access *a, time_t from, time_t to);
/* The log says it left out [from, to] (AWS's SKIPDATA). */
void access_skipped(cordon_access *a, time_t from, time_t to, const char *why);
/* A line or tuple that could not be read: quarantined and counted when a
 * quarantine is open (returns 0), else the log stops (returns -1). */
int access_malformed(cordon_access *a, struct access_stream *st, const char *text, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Stops the log with CORDON_ERR_PARSE (or code) and the message. Returns -1. */
int access_fail(cordon_access *a, cordon_code code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int access_failed(const cordon_access *a);

/* A log format. sniff: could a log starting with head[0, n) be one (1),
 * certainly not (0)? read: reads the rest of the log from st (which still
 * holds the head) and returns 0, or -1 having said why. */
struct access_format {
	const char *name;
	const char *what;           /* for --help */
	int (*sniff)(const char *head, size_t n);
	int (*read)(cordon_access *a, struct access_stream *st);
};
extern const struct access_format access_format_vpc;
extern const struct access_format access_format_nsg;
extern const struct access_format access_format_gcp;
extern const struct access_format access_format_es_audit;
extern const struct access_format access_format_http;
extern const struct access_format access_format_postgres;
extern const struct access_format access_format_mongodb;
extern const struct access_format access_format_mysql;
extern const struct access_format *const access_formats[];

/* The open sessions of a store's log by their id (a backend's pid, a
 * connection's or a thread's number), each with its client: the stores'
 * logs name the client once, when it connects, and the session's id after.
 * Fixed size, open addressing; a lookup reads its whole run of
 * SESSION_PROBE slots, so an ended session's slot is simply freed, and a
 * full run (sessions that never logged their end) gives its first slot to
 * the newcomer. */
enum { SESSIONS = 1 << 16, SESSION_PROBE = 64 };
struct session {
	uint64_t key;  /* id + 1; 0: free */
	u128 host;
	time_t at;     /* when it connected */
	int pending;   /* a connect whose outcome the log has not said yet (MySQL) */
};
struct session *access_sessions_new(void); /* free() it; NULL when out of memory */
/* The session id, made when make is set (its other fields cleared), or NULL. */
struct session *access_session(struct session *t, uint64_t id, int make);

/* Small readers the formats share. */
int access_u64(const char *s, size_t n, uint64_t *out);     /* decimal digits only */
int access_addr(const char *s, size_t n, u128 *out);       /* an IPv4 or IPv6 address */
/* "203.0.113.5:53412", "[2001:db8::5]:53412", or an address alone */
int access_addr_port(const char *s, u128 *out);
/* A member's string value, or NULL (json_t of jansson) */
struct json_t;
const char *access_json_str(struct json_t *object, const char *key);

#endif
