/* The parts of cordon probe: targets (targets.c) make endpoints; the loop
 * (loop.c) talks to many at once, raw sockets and libcurl's multi
 * interface on one poll; each probe (one file per service, registered in
 * registry.c) is a step function that sends a request, reads its reply
 * and decides the next; what it learns goes into the endpoint's result
 * (result.c), which becomes a struct cordon_exposure.
 *
 * A probe never writes to a socket itself: probe_send and probe_get check
 * each request against the probe's allow list first, and refuse (ending
 * the conversation) what is not on it. */
#ifndef CORDON_PROBE_PROBE_H
#define CORDON_PROBE_PROBE_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <curl/curl.h>
#include <jansson.h>
#include "cordon/probe.h"
#include "util/buf.h"
#include "util/strbuf.h"

struct probe_ctx;

enum { CHAIN_MAX = 12 };

enum probe_transport {
	PROBE_TCP,  /* a raw byte stream */
	PROBE_HTTP, /* HTTP or HTTPS, through libcurl */
	PROBE_UDP   /* one datagram each way */
};

/* What a step returns. */
enum { PROBE_WAIT = 0, PROBE_DONE = 1 };

struct probe_def {
	const char *name;      /* "redis" */
	const char *service;   /* "Redis" */
	/* The data/datastores.txt name whose ports this probe speaks on, or
	 * NULL (identified by what answers only). */
	const char *datastore;
	enum probe_transport transport;
	/* The requests it may send, as text ("GET /_cat/indices?format=json",
	 * "SCAN 0 COUNT 100"): '*' stands for any text, '#' for a number,
	 * anything else for itself; NULL-terminated. */
	const char *const *allow;
	/* HTTP: does the reply to GET / say it is this service? */
	int (*identify)(const struct probe_ctx *c);
	/* Called to start (c->replies == 0, nothing read yet; HTTP probes
	 * start with the reply to GET / in hand, c->replies == 1) and each time
	 * something was read: a whole HTTP reply; for TCP, whatever has come
	 * (c->in, c->in_len; c->eof when the peer closed). Returns PROBE_WAIT
	 * for more, PROBE_DONE when it knows enough. */
	int (*step)(struct probe_ctx *c);
	/* The server speaks first (MySQL's handshake): silence until the read
	 * timeout means another service, and the chain goes on. */
	int server_first;
	size_t priv_size; /* zeroed state of its own, at c->priv */
	/* Frees what c->priv points to (not c->priv), or NULL. Called however
	 * the conversation ends. */
	void (*release)(struct probe_ctx *c);
};

/* One address, port and protocol to talk to. */
struct endpoint {
	struct sockaddr_storage sa;
	socklen_t salen;
	char addr[48];     /* "127.0.0.1", "::1" */
	char *host;        /* the name given (Host:, SNI), or NULL: the address */
	unsigned port;
	cordon_protocol proto;
	int scheme;        /* URL targets: 1 http, 2 https; 0: try http, then https */
	const char *datastore; /* what the table says listens on this port, or NULL */
};

struct probe_result {
	const char *kind;   /* static: "unauthenticated_access", ...; NULL: nothing said */
	char *service;      /* as identified ("OpenSearch"); NULL: the def's */
	char *version;
	struct strbuf evidence;
	struct cordon_store *stores;
	size_t nstores, capstores;
	uint64_t more_stores; /* not listed: past the cap */
	uint64_t counts[CORDON_ENTITY_MAX];
	char *previews[CORDON_ENTITY_MAX];
	uint64_t sampled;   /* values read into the detector */
	size_t sample_bytes;
	struct strbuf note;
};

struct probe_run; /* the loop's: cordon_probe */

struct probe_ctx {
	struct cordon_probe *run;
	struct loop *loop;
	const struct probe_def *def;
	struct endpoint ep;
	char *name;        /* "127.0.0.1:6379", "https://es.internal:9200" */
	unsigned replies;  /* replies handed to step so far */
	/* the probes to try in turn until one recognises what answers */
	const struct probe_def *chain[CHAIN_MAX];
	unsigned nchain, chain_pos;
	int mismatch;      /* what answered is not this probe's service */
	int https_last;    /* HTTPS is the chain's last probe, not a retry of HTTP's */
	int state;         /* the probe's own */
	void *priv;
	int done;

	/* TCP and UDP */
	int fd;
	int connected;
	struct cordon_buf out;
	size_t out_off;
	struct cordon_buf in; /* capped at reply_max */
	int eof;
	int capped;        /* a reply came bigger than reply_max */

	/* a client library's connection (libpq, Connector/C): the loop polls
	 * ext_fd for ext_want and calls step with what came in ext_revents;
	 * the probe's release closes it */
	int ext;
	int ext_fd;
	short ext_want, ext_revents;

	/* HTTP */
	void *easy;        /* CURL * */
	int tls;           /* this try is HTTPS */
	int tried_tls;
	long status;
	struct cordon_buf head; /* the reply's header lines */
	char *url;         /* the path asked for */
	struct curl_slist *resolve, *headers;
	char curl_err[CURL_ERROR_SIZE];

	/* time, in ms of CLOCK_MONOTONIC */
	uint64_t start_at, read_by, end_by;
	uint64_t bytes_in;

	struct probe_result res;
};

/* ---- for the probes ---------------------------------------------------- */

/* Sends a request: its text (checked against def->allow; the text
 * --dry-run shows) and its bytes. 0, or -1 when refused or out of memory
 * (the conversation then ends with a note saying why). */
int probe_send(struct probe_ctx *c, const char *request, const void *bytes, size_t len);
/* HTTP GET of path ("/_cat/indices?format=json"), checked as "GET path". */
int probe_get(struct probe_ctx *c, const char *path);
/* A GET, or a POST of body (JSON) when body is not NULL, as user
 * ("name:password", HTTP basic) when not NULL; checked as "GET path",
 * "POST path BODY", "... as USER". */
int probe_http(struct probe_ctx *c, const char *path, const char *body, const char *user);
/* s percent-encoded for a URL path (an index or database name); -1 when
 * it does not fit in cap (never cut: a cut name is another store's). */
int probe_escape(char *out, size_t cap, const char *s, size_t len);
/* Drops the first n bytes read (a TCP reply taken whole). */
void probe_consume(struct probe_ctx *c, size_t n);
/* The HTTP reply's body: c->in. A header's value, trimmed, into out
 * (cut to cap); 1 when present. */
int probe_header(const struct probe_ctx *c, const char *name, char *out, size_t cap);
/* The reply's body as JSON, or NULL when it is not (or was cut). */
json_t *probe_json(const struct probe_ctx *c);

/* What the endpoint is: kind ("unauthenticated_access", "authenticated",
 * "other_service"); evidence, formatted, is appended (never a data value). */
void probe_found(struct probe_ctx *c, const char *kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void probe_set_service(struct probe_ctx *c, const char *service);
void probe_set_version(struct probe_ctx *c, const char *version, size_t len);
void probe_note(struct probe_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A store it holds: records and bytes, -1 when not known. Past a cap they
 * are counted, not listed. */
void probe_store(struct probe_ctx *c, const char *name, size_t namelen, int64_t records, int64_t bytes);
/* How many records, keys or documents to read per store; 0: none
 * (--no-sample). */
unsigned probe_sample_size(const struct probe_ctx *c);
/* The owner's credentials for this endpoint and service ("postgres"), or
 * NULL. */
const struct probe_credential *probe_credential(const struct probe_ctx *c, const char *service);
/* 1 when the run should log in where a probe can (MySQL root/anonymous). */
int probe_may_login(const struct probe_ctx *c);
/* Runs sampled text through the detector: entities are counted, the first
 * of each masked; the text is not kept. Bounded per endpoint: past the
 * byte budget it is left unread (and noted). */
void probe_sample(struct probe_ctx *c, const char *text, size_t len);
/* Ends the conversation as "HTTP server" or "unknown service": what
 * answered is not the probe's service. */
int probe_other_http(struct probe_ctx *c);
/* Hands the connection to a client library: the raw socket is closed,
 * and the loop now polls fd for events (POLLIN, POLLOUT) and calls step
 * when they come (c->ext_revents), or when the read timeout passes with
 * nothing (the conversation then ends). Called again to change them. */
void probe_external(struct probe_ctx *c, int fd, short events);
/* What answered is not this probe's service: the next probe of the chain
 * tries, on a new connection. Returns PROBE_DONE. */
int probe_mismatch(struct probe_ctx *c);
/* Hands the conversation to def (the reply in hand stays); returns what
 * its step returns. */
int probe_hand_over(struct probe_ctx *c, const struct probe_def *def);

/* ---- for the loop ------------------------------------------------------ */

extern const struct probe_def *const probe_defs[];
extern const struct probe_def probe_http_any; /* GET /, then hand over (http.c) */
extern const struct probe_def probe_https_any; /* the same, over TLS only */

/* The probe for a TCP/UDP endpoint by its port's table name, or NULL. */
const struct probe_def *probe_for_datastore(const char *datastore, cordon_protocol proto);
/* An HTTP probe that claims the reply to GET /, or NULL. */
const struct probe_def *probe_identify_http(const struct probe_ctx *c);
int probe_allowed(const struct probe_def *def, const char *request);

void result_release(struct probe_result *r);

/* ---- the run (cordon_probe) ------------------------------------------- */

struct target {
	int family;            /* AF_INET: addresses lo..hi; AF_INET6: sa */
	uint32_t lo, hi;       /* host order */
	struct sockaddr_storage sa;
	char *host;            /* a name given, or NULL */
	unsigned port;         /* 0: every port of the list */
	cordon_protocol proto;
	int scheme;
};

struct port_item {
	unsigned port;
	cordon_protocol proto;
};

struct exclusion {
	int family;
	unsigned char addr[16];
	unsigned prefix;
};

struct probe_asset {
	char *endpoint, *name, *owner, *sensitivity;
	struct target t; /* the endpoint, parsed */
};

struct probe_credential {
	char *service, *user, *password;
	int any;         /* endpoint "*" */
	struct target t; /* else the endpoint, parsed */
};

struct host_slot {
	char addr[48];
	uint64_t next_at; /* no new connection before (ms) */
};

struct cordon_probe {
	struct cordon_probe_options o;
	struct target *targets;
	size_t ntargets, captargets;
	struct port_item *ports;
	size_t nports, capports;
	int ports_set;
	struct exclusion *excl;
	size_t nexcl, capexcl;
	struct probe_asset *assets;
	size_t nassets, capassets;
	struct probe_credential *creds;
	size_t ncreds, capcreds;

	/* the endpoint iterator: target, then index (port-major) */
	size_t it_target;
	uint64_t it_index;

	/* rate limit: the last hosts connected to (a small hash table) */
	struct host_slot *hosts;
	size_t nhostslots;

	struct cordon_exposure *found;
	size_t nfound, capfound;
	struct cordon_probe_stats stats;
	char err[512];
};

/* ---- targets.c --------------------------------------------------------- */

/* Parses a target and adds it (the caller may take it back off the end:
 * assets and credentials keep a parsed one of their own). */
cordon_code target_parse(struct cordon_probe *p, const char *target);
/* The next endpoint of the targets, skipping exclusions: 1, or 0 at the
 * end. */
int targets_next(struct cordon_probe *p, struct endpoint *ep);
void targets_rewind(struct cordon_probe *p);
/* "127.0.0.1:6379", "[::1]:6379", "es.internal:9200", "https://h:9200":
 * malloc'd, NULL when out of memory. */
char *endpoint_name(const struct endpoint *ep);
/* The asset joined to an endpoint (its own, or one whose endpoint names
 * the same address or name and port), or NULL. */
const struct probe_asset *endpoint_asset(const struct cordon_probe *p, const struct endpoint *ep);
/* Whether an endpoint is in a target's addresses (and port, when it has one). */
int target_holds(const struct target *t, const struct endpoint *ep);
cordon_code probe_fail_run(struct cordon_probe *p, cordon_code rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- result.c ---------------------------------------------------------- */

/* Turns a finished conversation into a finding (or nothing: an
 * unreachable endpoint outside verbose runs). */
cordon_code result_finish(struct cordon_probe *p, struct probe_ctx *c, const char *unreachable_why);
void exposures_free(struct cordon_exposure *v, size_t n);
/* Sorts the run's findings: worst first, then by endpoint. */
void result_sort(struct cordon_probe *p);

uint64_t probe_now_ms(void);

#endif
