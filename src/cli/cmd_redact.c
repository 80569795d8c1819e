/* cordon redact: write records with their personal data replaced. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/atomic.h"
#include "cli/records_run.h"

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
	"                        .gz or .zst: compressed)\n"
	"      --in-place        rewrite each FILE with its records redacted, keeping\n"
	"                        its mode; a killed run leaves the old file or the new\n"
	"                        one, never a mix\n"
	RECORD_OPTIONS_HELP
	"Exit: 0 done, 2 error.\n";

static int set_key(cordon_redactor *r, const struct record_options *o)
{
	int needed = o->op == CORDON_OP_PSEUDONYM || o->op == CORDON_OP_ENCRYPT;
	for (unsigned e = 0; e < CORDON_ENTITY_MAX; e++)
		if (o->entity_op[e] >= 0) {
			cordon_redactor_set_entity_operator(r, (cordon_entity)e, (cordon_operator)o->entity_op[e]);
			needed |= o->entity_op[e] == CORDON_OP_PSEUDONYM || o->entity_op[e] == CORDON_OP_ENCRYPT;
		}
	for (size_t i = 0; i < o->npolicies; i++)
		needed |= o->policies[i].action == CORDON_FIELD_PSEUDONYM;
	return cli_load_key(r, o->key_file, !needed ? NULL : o->op == CORDON_OP_ENCRYPT ? "the encrypt operator" : "the pseudonym operator");
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

/* --in-place: each file through a temporary twin with its mode and owner,
 * renamed over it when that file is done. */
static int redact_in_place(struct records_job *job, const struct record_options *o)
{
	int status = EXIT_CLEAN;
	for (int i = 0; status == EXIT_CLEAN && i < o->nfiles; i++) {
		const char *path = o->files[i];
		struct stat st;
		errno = 0;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			cli_error("cannot rewrite '%s': %s", path,
				  errno ? strerror(errno) : "not a regular file");
			return EXIT_ERROR;
		}
		atomic_sweep(path);
		struct atomic_out a;
		if (atomic_open(&a, path, st.st_mode & 07777))
			return EXIT_ERROR;
		atomic_chown_like(&a, path);
		status = records_file(job, path, a.f);
		if (status == EXIT_CLEAN && atomic_commit(&a))
			status = EXIT_ERROR;
		else if (status != EXIT_CLEAN)
			atomic_abort(&a);
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
	struct atomic_out a = { 0 };
	a.fd = -1;
	FILE *out = stdout;
	struct records_job job;
	int begun = 0;
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
	if (o.output) {
		atomic_sweep(o.output);
		if (atomic_open(&a, o.output, (mode_t)-1))
			goto done;
		out = a.f;
	} else {
		static char obuf[1 << 16];
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	}
	begun = 1;
	status = records_begin(&job, &o, r, NULL);
	if (status == EXIT_CLEAN && o.in_place) {
		status = redact_in_place(&job, &o);
	} else {
		for (int i = 0; status == EXIT_CLEAN && i < (o.nfiles ? o.nfiles : 1); i++)
			status = records_file(&job, o.nfiles ? o.files[i] : "-", out);
	}
done:
	if (begun)
		status = records_end(&job, status, "redacted");
	if (o.output && a.tmp) {
		if (status == EXIT_CLEAN) {
			if (atomic_commit(&a))
				status = EXIT_ERROR;
		} else {
			atomic_abort(&a);
		}
	}
	if (cli_close_stdout())
		status = EXIT_ERROR;
	cordon_redactor_free(r);
	record_options_release(&o);
	return status;
}
