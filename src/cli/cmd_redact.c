/* cordon redact: write records with their personal data replaced. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "output.h"
#include "records_run.h"

static const char usage[] =
	"usage: cordon redact [options] [FILE...]\n"
	"\n"
	"Replaces personal data in records read from FILEs (or stdin) and writes them\n"
	"to stdout or -o FILE. Records that cannot be parsed are never written in\n"
	"clear: they stop the run (exit 2) or go to --quarantine.\n"
	"\n"
	"      --operator OP     tag: [EMAIL_ADDRESS] (default)\n"
	"                        mask: j***@c******.com, ****-****-****-1111\n"
	"                        pseudonym: [EMAIL_ADDRESS:3f9c0a1d52e4b7c8], a keyed\n"
	"                        HMAC of the normalised value, stable across runs\n"
	"                        encrypt: [EMAIL_ADDRESS:enc:...], AES-SIV of the value,\n"
	"                        the same for the same value; cordon restore undoes it\n"
	"      --key-file FILE   key for pseudonym and encrypt (cordon keygen makes one;\n"
	"                        refused when group or others can read it); or set\n"
	"                        CORDON_KEY\n"
	"  -o, --output FILE     write here instead of stdout (whole or not at all;\n"
	"                        .gz or .zst: compressed; a device or FIFO is written\n"
	"                        as it is; '-': stdout)\n"
	"      --in-place        rewrite each FILE with its records redacted, keeping\n"
	"                        its mode and compression; a killed run leaves the\n"
	"                        old file or the new one, never a mix. A symbolic\n"
	"                        link's target is rewritten; a file with other hard\n"
	"                        links is refused\n"
	RECORD_OPTIONS_HELP
	"Exit: 0 done, 2 error (nothing is written to -o then).\n";

void help_redact(FILE *f)
{
	fputs(usage, f);
}

/* --in-place on a link: a symbolic link is followed (its target is
 * rewritten, and said so); a file with other hard links is refused, as
 * replacing one name would leave the others in clear. */
static int check_in_place(const char *path, struct stat *st)
{
	struct stat lst;
	if (lstat(path, &lst) < 0 || stat(path, st) < 0) {
		cli_error("cannot rewrite '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		cli_error("cannot rewrite '%s': %s", path, S_ISDIR(st->st_mode) ? "it is a directory" : "not a regular file");
		return -1;
	}
	if (st->st_nlink > 1) {
		cli_error("cannot rewrite '%s' in place: it has %lu hard links, and the others would keep it in "
			  "clear; write the redacted copy with -o",
			  path, (unsigned long)st->st_nlink);
		return -1;
	}
	if (S_ISLNK(lst.st_mode)) {
		char *target = realpath(path, NULL);
		if (target)
			cli_note("'%s' is a symbolic link: rewriting its target '%s'", path, target);
		free(target);
	}
	return 0;
}

/* The compression a file's first bytes show, to write it back alike. */
static const char *codec_of(const char *path)
{
	unsigned char head[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n = fd >= 0 ? read(fd, head, sizeof(head)) : -1;
	if (fd >= 0)
		close(fd);
	return n > 0 ? cordon_compression_of(head, (size_t)n) : NULL;
}

/* --in-place: each file through a temporary twin with its mode and owner,
 * renamed over it when that file is done. */
static int redact_in_place(struct records_job *job, const struct record_options *o)
{
	int status = EXIT_CLEAN;
	for (int i = 0; status == EXIT_CLEAN && i < o->nfiles; i++) {
		const char *path = o->files[i];
		struct stat st;
		if (check_in_place(path, &st))
			return EXIT_ERROR;
		struct output out;
		if (output_open(&out, path, "file", st.st_mode & 07777, codec_of(path)))
			return EXIT_ERROR;
		output_chown_like(&out, &st);
		status = records_file(job, path, out.f);
		if (status == EXIT_CLEAN && output_commit(&out))
			status = EXIT_ERROR;
		else if (status != EXIT_CLEAN)
			output_abort(&out);
	}
	return status;
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
	struct output out = { .fd = -1 };
	int have_out = 0;
	struct records_job job;
	struct place *extra = calloc((size_t)o.nfiles + 1, sizeof(*extra));
	size_t nextra = 0;
	int begun = 0;
	status = EXIT_ERROR;
	if (!extra || cordon_redactor_new(&r, o.op) != CORDON_OK) {
		cli_error("cannot set up the redactor: out of memory");
		goto done;
	}
	if (cli_redactor_setup(r, &o))
		goto done;
	if (o.in_place)
		for (int i = 0; i < o.nfiles; i++)
			extra[nextra++] = (struct place){ o.files[i], "--in-place", 1 };
	else
		extra[nextra++] = (struct place){ o.output ? o.output : "-", o.output ? "--output" : "output (stdout)", 1 };
	begun = 1;
	status = records_begin(&job, &o, RECORDS_REDACT, r, NULL, extra, nextra);
	if (status == EXIT_CLEAN && !o.in_place) {
		if (output_open(&out, o.output ? o.output : "-", "output", (mode_t)-1, NULL)) {
			status = EXIT_ERROR;
		} else {
			have_out = 1;
			if (out.f == stdout) {
				static char obuf[1 << 16];
				setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
			}
		}
	}
	if (status == EXIT_CLEAN && o.in_place) {
		status = redact_in_place(&job, &o);
	} else {
		for (int i = 0; status == EXIT_CLEAN && i < (o.nfiles ? o.nfiles : 1); i++)
			status = records_file(&job, o.nfiles ? o.files[i] : "-", out.f);
	}
done:
	if (begun)
		status = records_end(&job, status, "redacted");
	if (have_out) /* whole or not at all: a failed run leaves no file */
		status = output_finish(&out, status);
	if (cli_close_stdout())
		status = EXIT_ERROR;
	free(extra);
	cordon_redactor_free(r);
	record_options_release(&o);
	return status;
}
