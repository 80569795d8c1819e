/* cordon restore: encrypt tokens back into the values they stand for, for
 * whoever holds the key. A token that does not verify stops the run. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/atomic.h"
#include "cli/cli.h"
#include "cli/compress.h"

static const char usage[] =
	"usage: cordon restore [--key-file FILE] [-f FMT] [-o FILE] [FILE...]\n"
	"\n"
	"Replaces each token written by 'cordon redact --operator encrypt'\n"
	"([EMAIL_ADDRESS:enc:...]) with the value it stands for. The key comes from\n"
	"--key-file or CORDON_KEY. A token that does not verify (a wrong key, or a\n"
	"changed token) stops the run with exit 2; nothing of its line is written.\n"
	"\n"
	"  -f, --format FMT      how values are written back: text (as they are),\n"
	"                        jsonl or es-bulk (JSON-escaped), csv (quotes\n"
	"                        doubled); default from the file name, else text\n"
	"      --key-file FILE   the key the tokens were made with\n"
	"  -o, --output FILE     write here instead of stdout (whole or not at all)\n"
	"  -h, --help            this help\n"
	"Exit: 0 done, 2 error.\n";

/* Writes value escaped for format fmt. */
static int put_value(FILE *out, cordon_format fmt, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		int ok;
		if ((fmt == CORDON_FORMAT_JSONL || fmt == CORDON_FORMAT_ES_BULK) && (c == '"' || c == '\\'))
			ok = fprintf(out, "\\%c", c) > 0;
		else if ((fmt == CORDON_FORMAT_JSONL || fmt == CORDON_FORMAT_ES_BULK) && c < 0x20)
			ok = fprintf(out, "\\u%04x", c) > 0;
		else if (fmt == CORDON_FORMAT_CSV && c == '"')
			ok = fputs("\"\"", out) >= 0;
		else
			ok = putc(c, out) != EOF;
		if (!ok)
			return -1;
	}
	return 0;
}

/* The end of a token "[ENTITY:enc:base64url]" starting at s[i], or 0. */
static size_t token_end(const char *s, size_t len, size_t i)
{
	size_t k = i + 1;
	while (k < len && ((s[k] >= 'A' && s[k] <= 'Z') || s[k] == '_'))
		k++;
	if (k == i + 1 || len - k < 5 || memcmp(s + k, ":enc:", 5))
		return 0;
	k += 5;
	size_t b = k;
	while (k < len && ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
			   (s[k] >= '0' && s[k] <= '9') || s[k] == '-' || s[k] == '_'))
		k++;
	return k > b && k < len && s[k] == ']' ? k + 1 : 0;
}

static int restore_file(cordon_redactor *r, const char *name, cordon_format fmt, FILE *out)
{
	int is_stdin = !strcmp(name, "-");
	FILE *in = is_stdin ? stdin : compress_open_read(name);
	if (!in) {
		cli_error("cannot open '%s': %s", name, strerror(errno));
		return EXIT_ERROR;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long long lineno = 0;
	int status = EXIT_CLEAN;
	while (status == EXIT_CLEAN && (got = getline(&line, &cap, in)) >= 0) {
		size_t len = (size_t)got, from = 0;
		lineno++;
		/* check every token of the line before writing any of it */
		for (size_t i = 0; i < len && status == EXIT_CLEAN; i++) {
			size_t e = line[i] == '[' ? token_end(line, len, i) : 0;
			const char *v;
			size_t vn;
			if (e && cordon_redactor_restore(r, line + i, e - i, &v, &vn) != CORDON_OK) {
				cli_error("cannot restore '%s': line %llu, byte %zu: %s", is_stdin ? "stdin" : name,
					  lineno, i, cordon_redactor_error(r));
				status = EXIT_ERROR;
			}
		}
		for (size_t i = 0; i < len && status == EXIT_CLEAN; i++) {
			size_t e = line[i] == '[' ? token_end(line, len, i) : 0;
			const char *v;
			size_t vn;
			if (!e || cordon_redactor_restore(r, line + i, e - i, &v, &vn) != CORDON_OK)
				continue;
			if (fwrite(line + from, 1, i - from, out) != i - from || put_value(out, fmt, v, vn)) {
				cli_error("cannot write output: %s", strerror(errno));
				status = EXIT_ERROR;
			}
			from = e;
			i = e - 1;
		}
		if (status == EXIT_CLEAN && fwrite(line + from, 1, len - from, out) != len - from) {
			cli_error("cannot write output: %s", strerror(errno));
			status = EXIT_ERROR;
		}
	}
	if (status == EXIT_CLEAN && ferror(in)) {
		cli_error("cannot read '%s': %s", name, strerror(errno));
		status = EXIT_ERROR;
	}
	free(line);
	if (!is_stdin)
		fclose(in);
	return status;
}

int cmd_restore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "key-file", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key_file = NULL, *output = NULL;
	int format_set = 0, c;
	cordon_format fmt = CORDON_FORMAT_TEXT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cordon_format_from_name(optarg, &fmt) != CORDON_OK) {
				cli_error("unknown format '%s': use text, jsonl, csv or es-bulk", optarg);
				return EXIT_ERROR;
			}
			format_set = 1;
			break;
		case 'k': key_file = optarg; break;
		case 'o': output = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return cli_close_stdout();
		case ':':
			cli_error("option '%s' needs a value", argv[optind - 1]);
			return EXIT_ERROR;
		default:
			cli_error("unknown option '%s' (see --help)", argv[optind - 1]);
			return EXIT_ERROR;
		}
	}
	cordon_redactor *r = NULL;
	if (cordon_redactor_new(&r, CORDON_OP_ENCRYPT) != CORDON_OK) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	int status = EXIT_ERROR;
	struct atomic_out a = { .fd = -1 };
	FILE *out = stdout;
	if (cli_load_key(r, key_file, "restoring tokens") == 0 &&
	    (!output || atomic_open(&a, output, (mode_t)-1) == 0)) {
		if (output)
			out = a.f;
		status = EXIT_CLEAN;
		char *stdin_only[] = { "-" };
		char **files = optind < argc ? argv + optind : stdin_only;
		int nfiles = optind < argc ? argc - optind : 1;
		for (int i = 0; i < nfiles && status == EXIT_CLEAN; i++) {
			cordon_format f = format_set ? fmt
					  : cordon_format_guess(strcmp(files[i], "-") ? files[i] : NULL);
			status = restore_file(r, files[i], f, out);
		}
		if (output && (status != EXIT_CLEAN || atomic_commit(&a))) {
			if (status == EXIT_CLEAN)
				status = EXIT_ERROR;
			else
				atomic_abort(&a);
		}
	}
	if (cli_close_stdout())
		status = EXIT_ERROR;
	cordon_redactor_free(r);
	return status;
}
