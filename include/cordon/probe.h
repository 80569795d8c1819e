/* cordon probe: does a live data store answer without authentication, what
 * is it, and what does it hold. A probe run takes targets (hosts, host:port,
 * [v6]:port, CIDR blocks, URLs) and ports, talks to every endpoint on one
 * event loop with bounded time and memory, identifies the service by what
 * answers, proves "no authentication" with the least it can send, samples a
 * few records of an open store through the detection engine, and reports one
 * finding per endpoint in the findings model (cordon/findings.h).
 *
 * Read-only is a contract: each probe declares every request it may send
 * (cordon_probe_type), and the library refuses to send anything else.
 * Sampled values are counted and dropped; only masked previews leave. */
#ifndef CORDON_PROBE_H
#define CORDON_PROBE_H

#include <stddef.h>
#include <stdio.h>
#include "cordon/common.h"
#include "cordon/detect.h"
#include "cordon/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cordon_probe_options {
	unsigned concurrency;        /* endpoints in flight at once; 0: 256 */
	unsigned connect_timeout_ms; /* TCP connect, and TLS handshake; 0: 3000 */
	unsigned read_timeout_ms;    /* a reply that stops for this long is cut; 0: 5000 */
	unsigned endpoint_timeout_ms; /* one endpoint's whole conversation; 0: 20000 */
	unsigned deadline_ms;        /* the whole run; endpoints not done by then are
					reported as not probed; 0: none */
	size_t reply_max;            /* bytes kept of one reply; more is cut; 0: 256 KiB.
					Memory stays under concurrency x reply_max */
	unsigned sample;             /* records, keys or documents read per store; 0: 5 */
	int no_sample;               /* check authentication only: read no data */
	int no_login;                /* MySQL: do not try root and the anonymous user */
	double rate;                 /* new connections per second to one host; 0: 100 */
	int verbose;                 /* report unreachable endpoints too */
	/* Finds personal data in samples; NULL: sampled data is not scanned
	 * (stores are still listed). Used from the run's thread only. */
	cordon_engine *engine;
};
#define CORDON_PROBE_OPTIONS_INIT { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL }

typedef struct cordon_probe cordon_probe;

CORDON_API cordon_code cordon_probe_new(cordon_probe **out, const struct cordon_probe_options *options);
CORDON_API void cordon_probe_free(cordon_probe *probe);

/* Adds a target: "host", "host:port", "[v6addr]:port", "10.0.0.0/24",
 * "10.0.0.5-20" (a range of the last octet, as nmap), or a URL
 * ("https://es.internal:9200": that scheme, host and port only). Names are
 * resolved now. A target without a port gets every port of the port list.
 * source says where it came from (a file name and line, "inventory"), for
 * messages; NULL: the command line. CORDON_ERR_ARG with cordon_probe_error
 * saying why. */
CORDON_API cordon_code cordon_probe_add_target(cordon_probe *probe, const char *target, const char *source);

/* Leaves out addresses ("10.0.0.1", "10.0.0.0/24", "::1"), whatever target
 * names them. */
CORDON_API cordon_code cordon_probe_exclude(cordon_probe *probe, const char *spec);

/* The ports of targets without one: "9200,6379,8000-8010", or "-" for every
 * port of the data-store table (data/datastores.txt), the default. A UDP
 * port is written "U:11211" (nmap's syntax). */
CORDON_API cordon_code cordon_probe_set_ports(cordon_probe *probe, const char *list);

/* Names the inventory asset behind an endpoint ("es.internal:9200",
 * "10.0.0.5:6379", "10.0.0.0/24", a URL): findings of any target there
 * carry asset, owner and sensitivity. It is not probed unless it is a
 * target too (cordon_probe_add_target). */
CORDON_API cordon_code cordon_probe_add_asset(cordon_probe *probe, const char *endpoint, const char *asset,
					      const char *owner, const char *sensitivity);

/* Credentials the owner gives, to sample a store that asks for them:
 * service "postgres" or "mysql"; endpoint "host:port", "addr:port", a
 * block, or "*" for every endpoint of the service. They are used only once
 * the store has asked (an open store is sampled as a stranger would be),
 * and its finding stays "authenticated". Copied; the password is wiped when
 * the probe is freed and never written anywhere. */
CORDON_API cordon_code cordon_probe_add_credential(cordon_probe *probe, const char *service, const char *endpoint,
						   const char *user, const char *password);

/* Reads credentials from a file only its owner may read (as a key file):
 * one "SERVICE ENDPOINT USER PASSWORD" a line, the password the rest of
 * it; # comments. CORDON_ERR_KEY for a file others can read, with
 * cordon_probe_error saying so; CORDON_ERR_PARSE naming the line (never
 * its password). */
CORDON_API cordon_code cordon_probe_load_credentials(cordon_probe *probe, const char *path);

/* How many endpoints the targets make (before exclusions: at most this
 * many are probed), or CORDON_ERR_TOO_LARGE when over max (0: no limit). */
CORDON_API cordon_code cordon_probe_count(cordon_probe *probe, uint64_t max, uint64_t *out);

/* Writes, for each endpoint, the probe that would talk to it and the
 * requests it may send, and sends nothing. */
CORDON_API cordon_code cordon_probe_dry_run(cordon_probe *probe, FILE *out);

/* Probes every endpoint. The findings are sorted worst first, then by
 * endpoint; they stay valid until cordon_probe_free. */
CORDON_API cordon_code cordon_probe_run(cordon_probe *probe, const struct cordon_exposure **out, size_t *n);

struct cordon_probe_stats {
	uint64_t endpoints;   /* the targets made this many (after exclusions) */
	uint64_t probed;      /* talked to to the end (answered, refused or timed out) */
	uint64_t answered;    /* a service answered */
	uint64_t unreachable; /* refused, timed out, reset */
	uint64_t not_probed;  /* left, or in flight with nothing known, when the deadline came */
	uint64_t bytes_sent, bytes_received;
};
CORDON_API void cordon_probe_stats(const cordon_probe *probe, struct cordon_probe_stats *out);

/* The i-th probe: its name ("redis"), in *service what it checks
 * ("Redis"), and in *allow the requests it may send, NULL-terminated:
 * patterns over a request written as text, where '*' stands for any text,
 * '#' for a number and anything else for itself ("SCAN 0 COUNT 100",
 * "LRANGE KEY 0 #"). NULL past the last. */
CORDON_API const char *cordon_probe_type(size_t i, const char **service, const char *const **allow);

CORDON_API const char *cordon_probe_error(const cordon_probe *probe);

#ifdef __cplusplus
}
#endif
#endif
