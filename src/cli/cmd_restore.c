/* cordon restore: encrypt tokens back into the values they stand for, for
 * whoever holds the key. It is a mode of the record stream: the same
 * formats (a value goes back JSON-escaped or CSV-quoted where it belongs),
 * the same limits, quarantine and outputs as redact. A token that does not
 * verify, or is cut short, makes its record bad. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "output.h"
#include "records_run.h"

static const char usage[] =
	"usage: cordon restore [options] [FILE...]\n"
	"\n"
	"Replaces each token written by 'cordon redact --operator encrypt'\n"
	"([EMAIL_ADDRESS:enc:...]) with the value it stands for. The key comes from\n"
	"--key-file or CORDON_KEY. A record holding a token that does not verify (a\n"
	"wrong key, or a changed token) or one cut short ([X:enc:] or no closing\n"
	"bracket) is never written: it stops the run (exit 2) or goes to\n"
	"--quarantine. The output holds personal data in clear: a file -o creates\n"
	"has mode 0600.\n"
	"\n"
	"      --key-file FILE   the key the tokens were made with\n"
	"  -o, --output FILE     write here instead of stdout (whole or not at all;\n"
	"                        .gz or .zst: compressed; '-': stdout)\n"
	RECORD_INPUT_HELP
	"Exit: 0 done, 2 error.\n";

void help_restore(FILE *f)
{
	fputs(usage, f);
}

int cmd_restore(int argc, char **argv)
{
	struct record_options o;
	int status = record_options_parse(&o, RECORDS_RESTORE, argc, argv, usage);
	if (status) {
		record_options_release(&o);
		return status < 0 ? EXIT_CLEAN : status;
	}
	cordon_redactor *r = NULL;
	struct output out = { .fd = -1 };
	int have_out = 0, begun = 0;
	struct records_job job;
	status = EXIT_ERROR;
	if (cordon_redactor_new(&r, CORDON_OP_ENCRYPT) != CORDON_OK) {
		cli_error("out of memory");
		goto done;
	}
	if (cli_load_key(r, o.key_file, "restoring tokens") < 0)
		goto done;
	struct place place = { o.output ? o.output : "-", o.output ? "--output" : "output (stdout)", 1 };
	begun = 1;
	status = records_begin(&job, &o, RECORDS_RESTORE, r, NULL, &place, 1);
	if (status == EXIT_CLEAN) {
		if (output_open(&out, o.output ? o.output : "-", "output", 0600, NULL))
			status = EXIT_ERROR;
		else
			have_out = 1;
	}
	for (int i = 0; status == EXIT_CLEAN && i < (o.nfiles ? o.nfiles : 1); i++)
		status = records_file(&job, o.nfiles ? o.files[i] : "-", out.f);
done:
	if (begun)
		status = records_end(&job, status, "restored");
	if (have_out) /* whole or not at all: a failed run leaves no file */
		status = output_finish(&out, status);
	if (cli_close_stdout())
		status = EXIT_ERROR;
	cordon_redactor_free(r);
	record_options_release(&o);
	return status;
}
