/* The loop redact and scan share: one engine, then each input file (or stdin)
 * streamed through it in its format, with one quarantine and one summary. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/compress.h"
#include "cli/records_run.h"

int records_run(const struct record_options *o, cordon_redactor *redactor, FILE *out,
		cordon_finding_fn on_finding, struct finding_printer *printer,
		struct cordon_stream_stats *stats)
{
	cordon_engine *engine = NULL;
	FILE *q = NULL;
	int status = EXIT_ERROR;
	if (cordon_engine_new(&engine, &o->engine) != CORDON_OK) {
		cli_error("cannot set up the detector: out of memory");
		return EXIT_ERROR;
	}
	if (o->quarantine && !(q = open_quarantine(o->quarantine)))
		goto done;
	char *stdin_only[] = { "-" };
	char **files = o->nfiles ? o->files : stdin_only;
	int nfiles = o->nfiles ? o->nfiles : 1;
	for (int i = 0; i < nfiles; i++) {
		const char *name = files[i];
		int is_stdin = !strcmp(name, "-");
		FILE *in = is_stdin ? stdin : compress_open_read(name);
		if (!in) {
			cli_error("cannot open '%s': %s", name, strerror(errno));
			goto done;
		}
		struct cordon_stream_options so = {
			.format = o->format_set ? o->format : cordon_format_guess(is_stdin ? NULL : name),
			.fields = o->nfields ? o->fields : NULL,
			.nfields = o->nfields,
			.max_record = o->max_record,
			.redactor = redactor,
			.on_finding = on_finding,
			.ctx = printer,
			.quarantine = q,
		};
		if (printer)
			printer->file = is_stdin ? "-" : name;
		cordon_stream *st = NULL;
		cordon_code rc = cordon_stream_new(&st, engine, &so);
		if (rc == CORDON_OK)
			rc = cordon_stream_run(st, in, out, stats);
		if (rc != CORDON_OK)
			cli_error("cannot process '%s': %s", is_stdin ? "stdin" : name,
				  st && *cordon_stream_error(st) ? cordon_stream_error(st)
								 : cordon_strerror(rc));
		cordon_stream_free(st);
		if (!is_stdin && fclose(in) != 0 && rc == CORDON_OK) {
			cli_error("cannot read '%s': %s", name, strerror(errno));
			rc = CORDON_ERR_IO;
		}
		if (rc != CORDON_OK)
			goto done;
	}
	status = EXIT_CLEAN;
done:
	if (q && fclose(q) != 0 && status == EXIT_CLEAN) {
		cli_error("cannot write quarantine '%s': %s", o->quarantine, strerror(errno));
		status = EXIT_ERROR;
	}
	cordon_engine_free(engine);
	return status;
}
