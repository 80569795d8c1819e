/* The NATS options worker, publish and consume share (nats.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "nats.h"

void nats_cli_init(struct nats_cli *n, const char *command)
{
	memset(n, 0, sizeof(*n));
	n->command = command;
	n->conn.log = nats_cli_log;
	n->conn.log_ctx = n;
}

int nats_cli_seconds(const char *s, double min, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

void nats_cli_log(void *ctx, const char *line)
{
	const struct nats_cli *n = ctx;
	if (n && n->quiet)
		return;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(stderr, "%s cordon %s: %s\n", when, n && n->command ? n->command : "nats", line);
}

int nats_cli_option(struct nats_cli *n, int code, const char *arg)
{
	char *end;
	switch (code) {
	case NATS_OPT_URL:
		n->conn.url = arg;
		return 1;
	case NATS_OPT_CREDS:
		n->conn.creds_file = arg;
		return 1;
	case NATS_OPT_NKEY:
		n->conn.nkey_file = arg;
		return 1;
	case NATS_OPT_USER:
		n->conn.user = arg;
		return 1;
	case NATS_OPT_PASSWORD_FILE:
		n->conn.password_file = arg;
		return 1;
	case NATS_OPT_TLS_CA:
		n->conn.tls_ca = arg;
		return 1;
	case NATS_OPT_TLS_CERT:
		n->conn.tls_cert = arg;
		return 1;
	case NATS_OPT_TLS_KEY:
		n->conn.tls_key = arg;
		return 1;
	case NATS_OPT_CREATE_STREAMS:
		n->create_streams = 1;
		return 1;
	case NATS_OPT_REPLICAS: {
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < 1 || v > 5) {
			cli_error("invalid --replicas '%s': give 1 to 5", arg);
			return -1;
		}
		n->streams.replicas = (int)v;
		return 1;
	}
	case NATS_OPT_RETENTION:
		if (cordon_nats_retention_from_name(arg, &n->streams.retention) != CORDON_OK) {
			cli_error("unknown --retention '%s': use limits, workqueue or interest", arg);
			return -1;
		}
		return 1;
	case NATS_OPT_DEDUP_WINDOW:
		if (nats_cli_seconds(arg, 0.001, 86400 * 30, &n->streams.dedup_window)) {
			cli_error("invalid --dedup-window '%s': give seconds (up to 30 days)", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

int nats_cli_connect(struct nats_cli *n, cordon_nats **nc, int retry)
{
	if (!n->conn.url) {
		cli_error("--nats URL is needed (nats://HOST:PORT; see 'cordon %s --help')", n->command);
		return EXIT_ERROR;
	}
	if ((n->streams.replicas || n->streams.dedup_window > 0 || n->streams.retention) && !n->create_streams) {
		cli_error("--replicas, --retention and --dedup-window are for --create-streams");
		return EXIT_ERROR;
	}
	const char *env = getenv("NATS_PASSWORD");
	if (n->conn.user && !n->conn.password_file && env && *env)
		n->conn.password = env;
	if (n->conn.password_file && !n->conn.user) {
		cli_error("--password-file needs --user");
		return EXIT_ERROR;
	}
	n->conn.retry_connect = retry;
	char err[512] = "";
	if (cordon_nats_connect(nc, &n->conn, err, sizeof(err)) != CORDON_OK) {
		cordon_nats_shutdown();
		cli_error("%s", *err ? err : "cannot connect to NATS");
		return EXIT_ERROR;
	}
	return EXIT_CLEAN;
}

int nats_cli_stream_for(struct nats_cli *n, cordon_nats *nc, const char *subject, int named)
{
	if (!n->create_streams)
		return EXIT_CLEAN;
	int created = 0;
	/* a server away or a leader being elected (a timeout) is waited for,
	 * for a minute; a name refused is not */
	cordon_code rc;
	for (unsigned wait_ms = 100, waited = 0;; waited += wait_ms, wait_ms = wait_ms < 3200 ? wait_ms * 2 : 3200) {
		rc = named ? cordon_nats_ensure_stream_named(nc, subject, &n->streams, &created)
			   : cordon_nats_ensure_stream(nc, subject, &n->streams, &created);
		if (rc != CORDON_ERR_IO || waited >= 60000)
			break;
		if (waited == 0)
			nats_cli_log(n, cordon_nats_error(nc));
		struct timespec ts = { wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (rc != CORDON_OK) {
		cli_error("%s", cordon_nats_error(nc));
		return EXIT_ERROR;
	}
	if (created) {
		char line[600];
		int len = named ? (int)strlen(subject) : (int)strcspn(subject, ".");
		snprintf(line, sizeof(line), "created stream '%.*s' (subjects %.*s.>)", len, subject, len, subject);
		nats_cli_log(n, line);
	}
	return EXIT_CLEAN;
}
