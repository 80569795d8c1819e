/* cordon worker: redaction as a service on NATS JetStream (cordon/worker.h). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "nats.h"

static const char usage[] =
	"usage: cordon worker --nats URL --in STREAM --out SUBJECT [options]\n"
	"\n"
	"Redacts records as a service: a durable pull consumer of the JetStream\n"
	"stream STREAM. Each message (one record, or a batch of lines in the\n"
	"records' format) is redacted with the same engine, config and operator as\n"
	"cordon redact and published to SUBJECT with a Nats-Msg-Id of STREAM:SEQ;\n"
	"the input is acknowledged only once the server acknowledged that. A record\n"
	"that cannot be processed goes whole to --quarantine SUBJECT with its reason\n"
	"in the Cordon-Reason header, never out in clear. Run as many workers as\n"
	"needed, on as many machines: those of one --group share the messages, and\n"
	"a message a worker took and did not finish comes to another after\n"
	"--ack-wait. SIGTERM or SIGINT: the batch in hand is finished, then exit 0.\n"
	"\n"
	"      --in STREAM       the input stream (must exist, or --create-streams)\n"
	"      --out SUBJECT     where redacted records go\n"
	"      --quarantine SUBJECT  where records that cannot be parsed or are too\n"
	"                        long go, one message each, as they came (the\n"
	"                        Cordon-Reason, Cordon-Source and Cordon-Record\n"
	"                        headers say why, which message, which record).\n"
	"                        Without it, such a message stays in the stream and\n"
	"                        comes again after --nak-delay (counted held)\n"
	"      --group NAME      the durable consumer the workers share (default\n"
	"                        cordon)\n"
	"      --batch N         messages fetched at once (default: as many as 16M\n"
	"                        of messages the size of the last ones, 8 to 256)\n"
	"      --ack-wait SECONDS  a message unacknowledged this long comes again,\n"
	"                        to any worker (default 30; set when the group's\n"
	"                        consumer is created)\n"
	"      --nak-delay SECONDS  a message not stored (a server away) or held\n"
	"                        comes again after this (default 5)\n"
	"      --listen ADDR:PORT  serve /metrics (records in, out, quarantined,\n"
	"                        redelivered; lag) and /healthz here\n"
	NATS_CONNECT_HELP
	NATS_STREAMS_HELP
	"                        (the input stream by its name, the --out and\n"
	"                        --quarantine subjects' streams by their first token)\n"
	"\n"
	"Records (as cordon redact):\n"
	"  -f, --format FMT      text, jsonl, csv (each message with its header row)\n"
	"                        or es-bulk; default text\n"
	"      --field PATH      jsonl, es-bulk: only values under this dotted path\n"
	"                        (repeatable); csv: only this column\n"
	"  -e, --entities LIST   comma-separated entities to find; default: all\n"
	"      --operator OP     tag (default), mask, pseudonym or encrypt\n"
	"      --key-file FILE   key for pseudonym and encrypt (or CORDON_KEY)\n"
	"      --region CC       the country of national phone numbers (default US)\n"
	"      --min-score N     drop findings scoring below N (0-1; default 0.5)\n"
	"      --max-record SIZE longest record accepted (default 16M; a message is\n"
	"                        at most the server's max_payload)\n"
	"      --config FILE     defaults and field policies (default: $CORDON_CONFIG,\n"
	"                        else ./cordon.yaml when present)\n"
	"      --no-config       read no config file\n"
	"  -q, --quiet           no log lines or summary on stderr\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit: 0 stopped by a signal, 2 error.\n";

void help_worker(FILE *f)
{
	fputs(usage, f);
}

enum { OPT_IN = NATS_OPT_LAST + 1, OPT_OUT, OPT_GROUP, OPT_BATCH, OPT_ACK_WAIT, OPT_NAK_DELAY, OPT_LISTEN };

struct worker_cli {
	struct nats_cli nats;
	struct cordon_worker_options w;
};

static int take(void *ctx, int code, const char *arg)
{
	struct worker_cli *c = ctx;
	int r = nats_cli_option(&c->nats, code, arg);
	if (r)
		return r < 0 ? EXIT_ERROR : 0;
	char *end;
	switch (code) {
	case OPT_IN:
		c->w.stream = arg;
		return 0;
	case OPT_OUT:
		c->w.out_subject = arg;
		return 0;
	case OPT_GROUP:
		c->w.group = arg;
		return 0;
	case OPT_LISTEN:
		c->w.listen = arg;
		return 0;
	case OPT_BATCH: {
		unsigned long v = strtoul(arg, &end, 10);
		if (end == arg || *end || *arg == '-' || v < 1 || v > 10000) {
			cli_error("invalid --batch '%s': give 1 to 10000", arg);
			return EXIT_ERROR;
		}
		c->w.batch = (unsigned)v;
		return 0;
	}
	case OPT_ACK_WAIT:
		if (nats_cli_seconds(arg, 1, 86400, &c->w.ack_wait)) {
			cli_error("invalid --ack-wait '%s': give seconds, from 1 to 86400", arg);
			return EXIT_ERROR;
		}
		return 0;
	case OPT_NAK_DELAY:
		if (nats_cli_seconds(arg, 0.001, 86400, &c->w.nak_delay)) {
			cli_error("invalid --nak-delay '%s': give seconds, up to 86400", arg);
			return EXIT_ERROR;
		}
		return 0;
	}
	cli_error("unknown option (see 'cordon worker --help')");
	return EXIT_ERROR;
}

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int should_stop(void *ctx)
{
	(void)ctx;
	return stopping;
}

int cmd_worker(int argc, char **argv)
{
	static const struct option longopts[] = {
		NATS_LONGOPTS,
		{ "in", required_argument, NULL, OPT_IN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "ack-wait", required_argument, NULL, OPT_ACK_WAIT },
		{ "nak-delay", required_argument, NULL, OPT_NAK_DELAY },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ NULL, 0, NULL, 0 },
	};
	struct worker_cli c;
	memset(&c, 0, sizeof(c));
	nats_cli_init(&c.nats, "worker");
	struct record_extra extra = { longopts, take, &c };
	struct record_options o;
	int status = record_options_parse_extra(&o, RECORDS_WORKER, argc, argv, usage, &extra);
	cordon_redactor *r = NULL;
	cordon_engine *engine = NULL;
	cordon_nats *nc = NULL;
	cordon_worker *w = NULL;
	if (status) {
		record_options_release(&o);
		return status < 0 ? EXIT_CLEAN : status;
	}
	/* before connecting: a SIGTERM while the servers are waited for stops
	 * the worker cleanly (exit 0) */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	status = EXIT_ERROR;
	if (o.nfiles) {
		cli_error("the worker takes no FILE: its records come from --in STREAM");
		goto done;
	}
	if (!c.w.stream || !c.w.out_subject) {
		cli_error("--in STREAM and --out SUBJECT are needed (see 'cordon worker --help')");
		goto done;
	}
	c.nats.quiet = o.quiet;
	c.w.quarantine_subject = o.quarantine;
	if (cordon_redactor_new(&r, o.op) != CORDON_OK) {
		cli_error("cannot set up the redactor: out of memory");
		goto done;
	}
	if (cli_redactor_setup(r, &o))
		goto done;
	char err[256] = "";
	struct cordon_engine_options eo = o.engine;
	eo.error = err;
	eo.error_len = sizeof(err);
	if (cordon_engine_new(&engine, &eo) != CORDON_OK) {
		cli_error("cannot set up the detector: %s", *err ? err : "out of memory");
		goto done;
	}
	if (nats_cli_connect(&c.nats, &nc, 1))
		goto done;
	if (nats_cli_stream_for(&c.nats, nc, c.w.stream, 1) || nats_cli_stream_for(&c.nats, nc, c.w.out_subject, 0) ||
	    (o.quarantine && nats_cli_stream_for(&c.nats, nc, o.quarantine, 0)))
		goto done;
	c.w.records = (struct cordon_stream_options){
		.format = o.format_set ? o.format : CORDON_FORMAT_TEXT,
		.fields = o.nfields ? o.fields : NULL,
		.nfields = o.nfields,
		.policies = o.policies,
		.npolicies = o.npolicies,
		.max_record = o.max_record,
		.redactor = r,
	};
	c.w.stop = should_stop;
	c.w.log = c.nats.conn.log;
	c.w.ctx = &c.nats;
	if (cordon_worker_new(&w, nc, engine, &c.w) != CORDON_OK) {
		cli_error("%s", cordon_worker_error(w));
		goto done;
	}
	if (!o.quiet) {
		char line[600];
		snprintf(line, sizeof(line), "consuming '%s' as '%s', publishing to '%s'%s%s", c.w.stream,
			 c.w.group ? c.w.group : "cordon", c.w.out_subject, o.quarantine ? ", quarantine to '" : "",
			 o.quarantine ? o.quarantine : "");
		if (o.quarantine)
			strncat(line, "'", sizeof(line) - strlen(line) - 1);
		nats_cli_log(&c.nats, line);
	}
	if (cordon_worker_run(w) != CORDON_OK) {
		cli_error("%s", cordon_worker_error(w));
	} else {
		status = EXIT_CLEAN;
	}
	struct cordon_worker_stats s;
	cordon_worker_get_stats(w, &s);
	if (!o.quiet) {
		fprintf(stderr,
			"cordon: worker: %llu messages, %llu records: %llu out, %llu quarantined; %llu redelivered, "
			"%llu held, %llu not stored (naked)\n",
			(unsigned long long)s.messages, (unsigned long long)s.records_in,
			(unsigned long long)s.records_out, (unsigned long long)s.quarantined,
			(unsigned long long)s.redelivered, (unsigned long long)s.held,
			(unsigned long long)s.publish_failures);
	}
done:
	cordon_worker_free(w);
	cordon_nats_close(nc);
	cordon_nats_shutdown();
	cordon_engine_free(engine);
	cordon_redactor_free(r);
	record_options_release(&o);
	return status;
}
