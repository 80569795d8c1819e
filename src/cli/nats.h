/* The options worker, publish and consume share: how to reach NATS and
 * authenticate, and making streams when asked (--create-streams). */
#ifndef CORDON_CLI_NATS_H
#define CORDON_CLI_NATS_H

#include <getopt.h>
#include "cli.h"

enum {
	NATS_OPT_URL = 600, NATS_OPT_CREDS, NATS_OPT_NKEY, NATS_OPT_USER, NATS_OPT_PASSWORD_FILE, NATS_OPT_TLS_CA,
	NATS_OPT_TLS_CERT, NATS_OPT_TLS_KEY, NATS_OPT_CREATE_STREAMS, NATS_OPT_REPLICAS, NATS_OPT_RETENTION,
	NATS_OPT_DEDUP_WINDOW, NATS_OPT_LAST
};

#define NATS_LONGOPTS                                                                                                \
	{ "nats", required_argument, NULL, NATS_OPT_URL }, { "creds", required_argument, NULL, NATS_OPT_CREDS },     \
		{ "nkey", required_argument, NULL, NATS_OPT_NKEY }, { "user", required_argument, NULL, NATS_OPT_USER }, \
		{ "password-file", required_argument, NULL, NATS_OPT_PASSWORD_FILE },                                \
		{ "tls-ca", required_argument, NULL, NATS_OPT_TLS_CA },                                              \
		{ "tls-cert", required_argument, NULL, NATS_OPT_TLS_CERT },                                          \
		{ "tls-key", required_argument, NULL, NATS_OPT_TLS_KEY },                                            \
		{ "create-streams", no_argument, NULL, NATS_OPT_CREATE_STREAMS },                                    \
		{ "replicas", required_argument, NULL, NATS_OPT_REPLICAS },                                          \
		{ "retention", required_argument, NULL, NATS_OPT_RETENTION },                                        \
		{ "dedup-window", required_argument, NULL, NATS_OPT_DEDUP_WINDOW }

#define NATS_CONNECT_HELP \
	"      --nats URL        the NATS servers: nats://HOST:PORT, several joined by\n" \
	"                        ',' (a user and password may be in the URL)\n" \
	"      --creds FILE      a credentials file (user JWT and nkey seed)\n" \
	"      --nkey FILE       an nkey user seed file (SU...)\n" \
	"      --user USER       a user; its password from --password-file or\n" \
	"                        $NATS_PASSWORD\n" \
	"      --password-file FILE  the password, on the file's first line\n" \
	"      --tls-ca FILE     TLS to the servers, trusting these CA certificates\n" \
	"      --tls-cert FILE   a client certificate (with --tls-key FILE)\n" \
	"      --tls-key FILE    its private key\n" \
	"                        Key files (--creds, --nkey, --password-file,\n" \
	"                        --tls-key) that group or others can read are refused\n"

#define NATS_STREAMS_HELP \
	"      --create-streams  create a missing stream, named after the subject's\n" \
	"                        first token (in.records: stream 'in', subjects in.>)\n" \
	"      --replicas N      of a stream created (1-5; default 1)\n" \
	"      --retention POLICY  of a stream created: limits (default), workqueue\n" \
	"                        or interest\n" \
	"      --dedup-window SECONDS  of a stream created: how long a Nats-Msg-Id\n" \
	"                        is remembered (default: the server's, 120)\n"

struct nats_cli {
	struct cordon_nats_options conn;
	struct cordon_nats_stream_options streams;
	int create_streams;
	int quiet; /* -q: no log lines */
	const char *command;
};

void nats_cli_init(struct nats_cli *n, const char *command);
/* Takes one of the options above: 1 when it was one (and good), 0 when it
 * is not one of them, -1 after saying why it is bad. */
int nats_cli_option(struct nats_cli *n, int code, const char *arg);
/* Connects (--nats is needed); EXIT_CLEAN, or EXIT_ERROR after saying why. */
int nats_cli_connect(struct nats_cli *n, cordon_nats **nc, int retry);
/* Makes the stream of subject when --create-streams was given. */
int nats_cli_stream_for(struct nats_cli *n, cordon_nats *nc, const char *subject, int named);
/* A number of seconds from min to max; 0, or -1. */
int nats_cli_seconds(const char *s, double min, double max, double *out);
/* The log callback: "cordon <command>: <line>" on stderr. */
void nats_cli_log(void *ctx, const char *line);

#endif
