/* cordon redact: write records with their personal data replaced. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/compress.h"
#include "cli/records_run.h"

static const char usage[] =
	"usage: cordon redact [options] [FILE...]\n"
	"\n"
	"Replaces personal data in records read from FILEs (or stdin) and writes them\n"
	"to stdout or -o FILE. Records that cannot be parsed are never written in\n"
	"clear: they stop the run (exit 2) or go to --quarantine.\n"
	"\n"
	"  -f, --format FMT      text (one record per line), jsonl, csv (header row) or\n"
	"                        es-bulk (Elasticsearch _bulk); default from the\n"
	"                        file name (.jsonl, .ndjson, .json, .csv), else text\n"
	"      --field PATH      jsonl, es-bulk: redact only strings under this dotted\n"
	"                        path; csv: only this column\n"
	"                        (repeatable; arrays are transparent); default: all\n"
	"  -e, --entities LIST   comma-separated entities to find; default: all\n"
	"      --min-score N     drop findings scoring below N (0-1; default 0.5)\n"
	"      --operator OP     tag: [EMAIL_ADDRESS] (default)\n"
	"                        mask: j***@c******.com, ****-****-****-1111\n"
	"                        pseudonym: [EMAIL_ADDRESS:3f9c0a1d52e4b7c8], a keyed\n"
	"                        HMAC of the normalised value, stable across runs\n"
	"      --key-file FILE   key for pseudonym (at least 16 bytes; refused when\n"
	"                        group or others can read it); or set CORDON_KEY\n"
	"  -o, --output FILE     write here instead of stdout\n"
	"      --quarantine FILE bad or over-long records go here (mode 0600)\n"
	"      --max-record SIZE longest record accepted (default 16M)\n"
	"  -q, --quiet           no summary on stderr\n"
	"  -h, --help            this help\n"
	"\n"
	"Entities: EMAIL_ADDRESS IP_ADDRESS PHONE_NUMBER CREDIT_CARD IBAN_CODE US_SSN\n"
	"          MAC_ADDRESS URL_CREDENTIALS SECRET PRODUCT_KEY\n"
	"Exit: 0 done, 2 error.\n";

static int set_key(cordon_redactor *r, const struct record_options *o)
{
	cordon_code rc = CORDON_OK;
	const char *env = getenv("CORDON_KEY");
	if (o->key_file)
		rc = cordon_redactor_set_key_file(r, o->key_file);
	else if (env && *env)
		rc = cordon_redactor_set_key(r, env, strlen(env));
	else if (o->op == CORDON_OP_PSEUDONYM) {
		cli_error("the pseudonym operator needs a key: --key-file FILE or CORDON_KEY");
		return -1;
	}
	if (rc == CORDON_OK)
		return 0;
	if (o->key_file)
		cli_error("cannot use %s", cordon_redactor_error(r));
	else
		cli_error("cannot use key 'CORDON_KEY': %s", cordon_redactor_error(r));
	return -1;
}

/* Is path one of the inputs? Writing it would destroy the records read. */
static int output_is_input(const struct record_options *o, const char *path)
{
	struct stat out, in;
	if (stat(path, &out) < 0)
		return 0;
	for (int i = 0; i < o->nfiles; i++)
		if (strcmp(o->files[i], "-") && stat(o->files[i], &in) == 0 &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return 1;
	return 0;
}

/* -o FILE is written under a temporary name beside it and renamed into place
 * only when the whole run succeeded: never a half-written output. A name
 * ending in .gz or .zst is written compressed. *fd stays open for fsync. */
static FILE *open_output(const char *path, char **tmp, int *fdp)
{
	size_t n = strlen(path);
	*tmp = malloc(n + sizeof(".cordon-XXXXXX"));
	if (!*tmp)
		return NULL;
	memcpy(*tmp, path, n);
	memcpy(*tmp + n, ".cordon-XXXXXX", sizeof(".cordon-XXXXXX"));
	int fd = mkstemp(*tmp);
	if (fd < 0) {
		cli_error("cannot create output '%s': %s", path, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0) { /* mkstemp makes 0600; outputs follow umask */
		cli_error("cannot create output '%s': %s", path, strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	FILE *f = compress_open_write(fd, path);
	if (!f) {
		cli_error("cannot create output '%s': %s", path, strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	*fdp = fd;
	return f;
}

int cmd_redact(int argc, char **argv)
{
	struct record_options o;
	int status = record_options_parse(&o, RECORDS_REDACT, argc, argv, usage);
	if (status) {
		record_options_release(&o);
		return status < 0 ? EXIT_CLEAN : status;
	}
	cordon_redactor *r = NULL;
	FILE *out = stdout;
	char *tmp = NULL;
	int out_fd = -1;
	struct cordon_stream_stats stats = { 0 };
	status = EXIT_ERROR;
	if (cordon_redactor_new(&r, o.op) != CORDON_OK) {
		cli_error("cannot set up the redactor: out of memory");
		goto done;
	}
	if (set_key(r, &o))
		goto done;
	if (o.output && output_is_input(&o, o.output)) {
		cli_error("cannot write output '%s': it is one of the inputs", o.output);
		goto done;
	}
	if (o.output && !(out = open_output(o.output, &tmp, &out_fd))) {
		out = stdout;
		goto done;
	}
	if (out == stdout) {
		static char obuf[1 << 16];
		setvbuf(out, obuf, _IOFBF, sizeof(obuf));
	}
	status = records_run(&o, r, out, NULL, NULL, &stats);
	if (!o.quiet)
		print_summary("redacted", &stats, 1);
done:
	if (out != stdout) {
		int failed = fclose(out) != 0; /* flushes the compressor too */
		failed |= fsync(out_fd) != 0;
		failed |= close(out_fd) != 0;
		if (failed && status == EXIT_CLEAN) {
			cli_error("cannot write output '%s': %s", o.output, strerror(errno));
			status = EXIT_ERROR;
		}
		if (status == EXIT_CLEAN && rename(tmp, o.output) != 0) {
			cli_error("cannot write output '%s': %s", o.output, strerror(errno));
			status = EXIT_ERROR;
		}
		if (status != EXIT_CLEAN)
			unlink(tmp);
	} else if (cli_close_stdout()) {
		status = EXIT_ERROR;
	}
	free(tmp);
	cordon_redactor_free(r);
	record_options_release(&o);
	return status;
}
