/* cordon consume: a JetStream stream drained into a file. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "nats.h"
#include "output.h"

static const char usage[] =
	"usage: cordon consume --nats URL --stream STREAM [-o FILE] [options]\n"
	"\n"
	"Writes the messages of STREAM, from its first, to FILE (or stdout), until\n"
	"none has come for --idle seconds: each message's data as it is (a newline\n"
	"added when it has none), or with --json one object a message. FILE is\n"
	"written whole or not at all; the messages are acknowledged only once it is\n"
	"kept (a work-queue stream removes them then, and keeps them if it fails).\n"
	"\n"
	"      --stream STREAM   the stream to read\n"
	"      --subject FILTER  only messages on subjects matching FILTER (out.>)\n"
	"  -o, --output FILE     write here instead of stdout (.gz, .zst: compressed)\n"
	"      --idle SECONDS    stop after this long without a message (default 5)\n"
	"      --json            one JSON object a message: subject, sequence,\n"
	"                        headers (Cordon-Reason of a quarantined record...),\n"
	"                        data\n"
	NATS_CONNECT_HELP
	"  -q, --quiet           no summary on stderr\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit: 0 done, 2 error (nothing is written to -o then).\n";

void help_consume(FILE *f)
{
	fputs(usage, f);
}

enum { OPT_STREAM = NATS_OPT_LAST + 1, OPT_SUBJECT, OPT_IDLE, OPT_JSON };

struct committing {
	struct output *out;
	int committed;
};

static int commit(void *ctx)
{
	struct committing *c = ctx;
	if (output_commit(c->out))
		return -1;
	c->committed = 1;
	return 0;
}

int cmd_consume(int argc, char **argv)
{
	static const struct option longopts[] = {
		NATS_LONGOPTS,
		{ "stream", required_argument, NULL, OPT_STREAM },
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ "output", required_argument, NULL, 'o' },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nats_cli n;
	nats_cli_init(&n, "consume");
	struct cordon_consume_options co = { 0 };
	const char *path = "-";
	int quiet = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
		int r = c >= NATS_OPT_CREATE_STREAMS && c <= NATS_OPT_DEDUP_WINDOW ? 0 : nats_cli_option(&n, c, optarg);
		if (r < 0)
			return EXIT_ERROR;
		if (r)
			continue;
		switch (c) {
		case OPT_STREAM:
			co.stream = optarg;
			break;
		case OPT_SUBJECT:
			co.subject = optarg;
			break;
		case 'o':
			path = optarg;
			break;
		case OPT_IDLE:
			if (nats_cli_seconds(optarg, 0.01, 86400, &co.idle)) {
				cli_error("invalid --idle '%s': give seconds, up to 86400", optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_JSON:
			co.json = 1;
			break;
		case 'q':
			quiet = n.quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return cli_close_stdout();
		case NATS_OPT_CREATE_STREAMS:
		case NATS_OPT_REPLICAS:
		case NATS_OPT_RETENTION:
		case NATS_OPT_DEDUP_WINDOW:
			cli_error("consume reads a stream and creates none: '%s' is not one of its options",
				  argv[optind - 1]);
			return EXIT_ERROR;
		default:
			return cli_option_error("consume", c, argv);
		}
	}
	if (!co.stream) {
		cli_error("--stream STREAM is needed (see 'cordon consume --help')");
		return EXIT_ERROR;
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s' (the output is -o FILE)", argv[optind]);
		return EXIT_ERROR;
	}
	struct place places[] = { { path, "--output", 1 } };
	if (places_check(places, 1))
		return EXIT_ERROR;
	cordon_nats *nc = NULL;
	if (nats_cli_connect(&n, &nc, 0))
		return EXIT_ERROR;
	struct output out;
	if (output_open(&out, path, "output", (mode_t)-1, NULL)) {
		cordon_nats_close(nc);
	cordon_nats_shutdown();
		return EXIT_ERROR;
	}
	struct committing cm = { &out, 0 };
	co.commit = commit;
	co.ctx = &cm;
	struct cordon_consume_stats st = { 0 };
	int status = EXIT_CLEAN;
	if (cordon_nats_consume(nc, &co, out.f, &st) != CORDON_OK) {
		cli_error("%s", cordon_nats_error(nc));
		status = EXIT_ERROR;
	}
	if (!cm.committed)
		output_abort(&out);
	if (cli_close_stdout())
		status = EXIT_ERROR;
	if (!quiet)
		fprintf(stderr, "cordon: consumed %llu messages (%llu bytes) from '%s'\n", (unsigned long long)st.messages,
			(unsigned long long)st.bytes, co.stream);
	cordon_nats_close(nc);
	cordon_nats_shutdown();
	return status;
}
