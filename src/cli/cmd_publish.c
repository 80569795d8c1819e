/* cordon publish: records from files into a NATS subject, as they are. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "nats.h"

static const char usage[] =
	"usage: cordon publish --nats URL --subject SUBJECT [options] [FILE...]\n"
	"\n"
	"Publishes the lines of each FILE (or stdin; gzip and zstd read as such) to\n"
	"SUBJECT on NATS JetStream, unchanged: the producer's side of cordon worker,\n"
	"for loading an archive into the pipeline. Each message holds --batch lines\n"
	"(fewer when the server's max_payload comes first) and a Nats-Msg-Id unique\n"
	"to the run, so a message sent again after a lost acknowledgement is stored\n"
	"once. Returns when the server acknowledged every message; a line longer\n"
	"than a message may be is an error, never cut.\n"
	"\n"
	"      --subject SUBJECT the subject to publish to (a stream must take it:\n"
	"                        --create-streams)\n"
	"      --batch N         lines (records) per message (default 1)\n"
	"      --max-bytes SIZE  largest message (default: the server's max_payload,\n"
	"                        less 1K for headers)\n"
	NATS_CONNECT_HELP
	NATS_STREAMS_HELP
	"  -q, --quiet           no summary on stderr\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit: 0 every record stored, 2 error (the summary says how many were).\n";

void help_publish(FILE *f)
{
	fputs(usage, f);
}

enum { OPT_SUBJECT = NATS_OPT_LAST + 1, OPT_BATCH, OPT_MAX_BYTES };

int cmd_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
		NATS_LONGOPTS,
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nats_cli n;
	nats_cli_init(&n, "publish");
	struct cordon_publish_options po = { 0 };
	int quiet = 0, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
		int r = nats_cli_option(&n, c, optarg);
		if (r < 0)
			return EXIT_ERROR;
		if (r)
			continue;
		char *end;
		switch (c) {
		case OPT_SUBJECT:
			po.subject = optarg;
			break;
		case OPT_BATCH: {
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' || v < 1 || v > 1000000) {
				cli_error("invalid --batch '%s': give 1 to 1000000", optarg);
				return EXIT_ERROR;
			}
			po.batch = (size_t)v;
			break;
		}
		case OPT_MAX_BYTES:
			if (cli_parse_size(optarg, &po.max_bytes)) {
				cli_error("invalid --max-bytes '%s': give bytes, or a number with K or M", optarg);
				return EXIT_ERROR;
			}
			break;
		case 'q':
			quiet = n.quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return cli_close_stdout();
		default:
			return cli_option_error("publish", c, argv);
		}
	}
	if (!po.subject) {
		cli_error("--subject SUBJECT is needed (see 'cordon publish --help')");
		return EXIT_ERROR;
	}
	cordon_nats *nc = NULL;
	if (nats_cli_connect(&n, &nc, 0))
		return EXIT_ERROR;
	int status = nats_cli_stream_for(&n, nc, po.subject, 0);
	struct cordon_publish_stats st = { 0 };
	int nfiles = argc - optind;
	for (int i = 0; status == EXIT_CLEAN && i < (nfiles ? nfiles : 1); i++) {
		const char *name = nfiles ? argv[optind + i] : "-";
		int is_stdin = !strcmp(name, "-");
		int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		struct stat fst;
		if (fd < 0 || fstat(fd, &fst) < 0 || S_ISDIR(fst.st_mode)) {
			cli_error("cannot read '%s': %s", name, fd < 0 ? strerror(errno) : "it is a directory");
			status = EXIT_ERROR;
		} else if (cordon_nats_publish_fd(nc, &po, fd, is_stdin ? "stdin" : name, &st) != CORDON_OK) {
			cli_error("%s", cordon_nats_error(nc));
			status = EXIT_ERROR;
		}
		if (fd >= 0 && !is_stdin)
			close(fd);
	}
	if (!quiet || status != EXIT_CLEAN)
		fprintf(stderr, "cordon: published %llu records in %llu messages (%llu bytes) to '%s'%s\n",
			(unsigned long long)st.records, (unsigned long long)st.messages, (unsigned long long)st.bytes,
			po.subject, status == EXIT_CLEAN ? "" : ", acknowledged by the server; the rest were not");
	cordon_nats_close(nc);
	cordon_nats_shutdown();
	return status;
}
