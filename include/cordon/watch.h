/* cordon watch: notice an exposure within seconds of the change that opens
 * it, tell the team that owns it, keep the timeline. A watch evaluates its
 * sources (exports and configs, watched with inotify) with the audit,
 * keeps the findings, the exposure windows and an alert outbox in one
 * SQLite database (WAL; every evaluation one transaction), and delivers
 * the outbox to sinks (a webhook with an HMAC-SHA-256 signature), at least
 * once, each alert with a stable dedup key, one sink's outage never
 * delaying another. It survives kill -9: after a restart nothing is lost
 * and nothing is announced twice. */
#ifndef CORDON_WATCH_H
#define CORDON_WATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "cordon/common.h"
#include "cordon/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cordon_policy cordon_policy;

/* A sink, as cordon.yaml's watch: sinks: names it. */
struct cordon_watch_sink {
	const char *name;
	const char *type;     /* "webhook", "slack", "teams", "alertmanager", "syslog", "exec", "email" */
	const char *url;      /* http(s):// for the HTTP sinks */
	const char *secret;   /* webhook: HMAC-SHA-256 key (from secret_file), or NULL: no signature */
	unsigned timeout_ms;
	int min_severity;     /* cordon_severity: alerts below it are not sent here; default info (all) */
	const char *address;  /* syslog: "udp:HOST:PORT", "tcp:HOST:PORT" or "unix:/dev/log" */
	const char *const *command; /* exec: the program and its arguments (no shell), NULL-terminated */
	size_t ncommand;
	const char *from;     /* email: the sender, or NULL: cordon@HOST */
	const char *const *to; /* email: the recipients */
	size_t nto;
};

/* An owner (or "default") and the sinks its alerts go to. */
struct cordon_watch_route {
	const char *owner;
	const char *const *sinks;
	size_t nsinks;
};

/* A command whose output is audited (az network nsg list -o json), run
 * every every_s; one that keeps failing is itself an alert. */
struct cordon_watch_command {
	const char *name;
	const char *const *argv; /* the program and its arguments (no shell), NULL-terminated */
	size_t argc;
	unsigned every_s;        /* default 300 */
	unsigned timeout_ms;     /* default 120000 */
	const char *type;        /* the audit type of its output, or NULL: told from it */
	unsigned on;             /* run at once on events of: 1 azure, 2 aws, 4 gcp */
};

/* Live checks (cordon probe) at an interval: an endpoint that starts to
 * answer without authentication opens a window; one that asks again
 * closes it. */
struct cordon_watch_probe {
	const char *name;
	const char *const *targets; /* as cordon probe takes them */
	size_t ntargets;
	int inventory;              /* and the inventory's endpoints */
	unsigned every_s;           /* default 300 */
	unsigned sample;            /* records per store; 0: no sample */
};

/* A cloud's own signed token on its change events (an OpenID Connect ID
 * token, RS256): Pub/Sub push's and Event Grid's Entra ID token. */
struct cordon_watch_token {
	unsigned cloud;          /* 1 azure, 2 aws, 4 gcp */
	const char *jwks;        /* the signing keys (a JWKS file), read at each request */
	const char *audience;    /* the aud the token must carry */
	const char *issuer;      /* the iss; NULL (gcp only): Google's */
	const char *email;       /* gcp: the push subscription's service account, or NULL */
};

struct cordon_watch_config {
	const char *state;                 /* the SQLite file */
	const char *const *files;          /* exports and configs, files or directories */
	size_t nfiles;
	const struct cordon_watch_sink *sinks;
	size_t nsinks;
	const struct cordon_watch_route *routes;
	size_t nroutes;
	unsigned debounce_ms;              /* a burst of writes is one evaluation; default 300 */
	unsigned repeat_s;                 /* open exposures announced again after this; 0: never */
	const char *listen;                /* "127.0.0.1:9464": /metrics and /healthz; NULL: none */
	const struct cordon_watch_command *commands;
	size_t ncommands;
	unsigned fail_after;               /* a command failing this many times in a row alerts; default 3 */
	const char *events_secret;         /* POST /events/... needs it (events: secret_file:), or a token */
	const struct cordon_watch_token *tokens; /* events: tokens: a cloud's signed token stands for the secret */
	size_t ntokens;
	const struct cordon_watch_probe *probes;
	size_t nprobes;
};

/* The watch: section of a loaded policy; CORDON_ERR_ARG when it has none.
 * Pointers stay valid while the policy does. */
CORDON_API cordon_code cordon_policy_watch(const cordon_policy *policy, struct cordon_watch_config *out);

typedef struct cordon_watch cordon_watch;

enum cordon_watch_log { CORDON_WATCH_INFO = 0, CORDON_WATCH_WARN, CORDON_WATCH_ERROR };

struct cordon_watch_options {
	const char *state;   /* overrides the config's; NULL: the config's */
	/* Where the watch says what it does (the library never prints): an
	 * event (its name) and a message; may be NULL. Called from the
	 * watch's thread and from the events server's (event_refused): it
	 * must be safe to call from both. */
	void (*log)(void *arg, enum cordon_watch_log level, const char *event, const char *message);
	void *log_arg;
};

/* Opens the state (creating it), reads the policy's watch: section and
 * inventory. CORDON_ERR_IO / CORDON_ERR_PARSE with cordon_watch_error
 * saying why (a corrupt state file is named, never rewritten). */
CORDON_API cordon_code cordon_watch_new(cordon_watch **out, const cordon_policy *policy,
					const struct cordon_watch_options *options);
CORDON_API void cordon_watch_free(cordon_watch *w);
CORDON_API const char *cordon_watch_error(const cordon_watch *w);

/* Evaluates every source once and delivers what is due (one cycle: for
 * cron and CI); then returns. Undelivered alerts stay in the outbox. */
CORDON_API cordon_code cordon_watch_once(cordon_watch *w);

/* Watches until *stop is set (a signal handler's flag): evaluates what
 * changes, within debounce_ms of the last write, and delivers the outbox
 * with retries and backoff. */
CORDON_API cordon_code cordon_watch_run(cordon_watch *w, volatile sig_atomic_t *stop);

struct cordon_watch_stats {
	uint64_t evaluations, opened, closed, alerts_queued, alerts_delivered, delivery_failures;
	uint64_t outbox_depth; /* not yet delivered */
};
CORDON_API void cordon_watch_stats(const cordon_watch *w, struct cordon_watch_stats *out);

/* ---- the timeline (cordon exposures) ----------------------------------- */

struct cordon_window {
	int64_t id;
	const char *fingerprint;
	const char *asset;       /* or NULL */
	const char *owner;       /* or NULL */
	const char *datastore;
	unsigned port;
	const char *resource;    /* NSG, security group, ... */
	const char *severity;
	time_t opened_at;
	time_t closed_at;        /* 0: still open */
	const char *opened_by;   /* "nsg.json: rule AllowAll (line 12)" */
	const char *closed_by;   /* or NULL */
	const char *sources_text;
	/* A live check's latest sample while the window was open, as JSON:
	 * {"entities":{"EMAIL_ADDRESS":12,...},"stores":3,"records":1200,
	 * "sampled_at":"..."}; counts only, never a value. NULL: not a probe's. */
	const char *holds;
};

/* The exposure windows in a state file: opened at or after since (0: all),
 * of asset (NULL: every one), oldest first. Read-only: a watch may run. */
CORDON_API cordon_code cordon_exposures_read(const char *state, time_t since, const char *asset,
					     struct cordon_window **out, size_t *n, char *err, size_t errlen);
CORDON_API void cordon_windows_free(struct cordon_window *v, size_t n);
/* Writes the windows as text (a table with durations), JSON lines or CSV. */
CORDON_API cordon_code cordon_windows_report(FILE *out, cordon_report_format format, const struct cordon_window *v,
					     size_t n, time_t now);

/* cordon report: one self-contained HTML page from a state (read-only):
 * the exposures open now by severity and owner, the timeline as an SVG
 * chart, recent changes, delivery per sink, the sources. No script, no
 * external resource; every text escaped. */
CORDON_API cordon_code cordon_watch_report_html(FILE *out, const char *state, time_t now, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
