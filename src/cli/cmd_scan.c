/* cordon scan: report where personal data is, never what it is. The
 * report is the library's (cordon_scan_report: text, JSON lines, SARIF);
 * --subjects lists the people instead (subjects.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "output.h"
#include "records_run.h"
#include "subjects.h"

static const char usage[] =
	"usage: cordon scan [options] [FILE...]\n"
	"\n"
	"Reports the personal data in records read from FILEs (or stdin): where it is\n"
	"(file:line:column, the record, its id and JSON field, byte offsets in the\n"
	"record), which entity, the score and a masked preview. The value itself is\n"
	"never printed.\n"
	"\n"
	"  -o, --output FILE     write the report here (whole or not at all; '-':\n"
	"                        stdout, the default)\n"
	"      --report-format FMT  text (default: FILE:LINE:COL: ENTITY SCORE PREVIEW\n"
	"                        (record, id, field, bytes)), json (one object per\n"
	"                        finding and line) or sarif (SARIF 2.1.0: a rule per\n"
	"                        entity, a result per finding at its line and column,\n"
	"                        no preview)\n"
	"      --json            the same as --report-format json\n"
	"      --id-field PATH   JSON path or CSV column naming each record; its value\n"
	"                        goes with each finding (and in --subjects)\n"
	"      --explain         with each finding, the rule (form and checks) and the\n"
	"                        context or decoy word that decided it\n"
	"      --subjects        instead of findings, list each distinct e-mail\n"
	"                        address and phone number (normalised), with the kinds\n"
	"                        of data found in the records that hold it, how many\n"
	"                        records and which (ids or record numbers, the first\n"
	"                        100), as CSV (or JSON lines with --json), sorted: who\n"
	"                        to notify, and of what. Every field but a kept one is\n"
	"                        read\n"
	"      --key-file FILE   with --subjects: list keyed tokens, not values (the\n"
	"                        same tokens as redact --operator pseudonym); also\n"
	"                        taken from CORDON_KEY when set\n"
	RECORD_OPTIONS_HELP
	"Exit: 0 nothing found, 1 personal data found, 2 error (also when records\n"
	"were quarantined and nothing was found in the rest).\n";

void help_scan(FILE *f)
{
	fputs(usage, f);
}

struct scan_ctx {
	struct finding_printer printer; /* first: the callbacks get it */
	cordon_scan_report *report;
	struct subjects *subjects;
	const char *last_file; /* of the last finding noted (subjects) */
	int many_files;        /* refs name the file with the record */
	cordon_code failed; /* why the report could not be written; CORDON_OK: it was */
};

static int report_finding(struct finding_printer *p, const struct cordon_record_finding *f)
{
	struct scan_ctx *c = (struct scan_ctx *)p;
	cordon_code rc = cordon_scan_report_add(c->report, p->file, f);
	if (rc != CORDON_OK) {
		c->failed = rc;
		return -1; /* stops the run: a report that cannot be written is not a scan */
	}
	p->printed++;
	return 0;
}

static int note_subject(struct finding_printer *p, const struct cordon_record_finding *f)
{
	struct scan_ctx *c = (struct scan_ctx *)p;
	if (c->last_file != p->file) {
		subjects_new_file(c->subjects, c->many_files ? p->file : NULL);
		c->last_file = p->file;
	}
	return subjects_add(c->subjects, f);
}

/* --subjects: a key when one is at hand, to list tokens, not values. */
static int subjects_key(const struct record_options *o, cordon_redactor **keyed)
{
	int have = -1;
	if (cordon_redactor_new(keyed, CORDON_OP_PSEUDONYM) != CORDON_OK || (have = cli_load_key(*keyed, o->key_file, NULL)) < 0) {
		if (have != -1 || !*keyed)
			cli_error("out of memory");
		return -1;
	}
	if (!have) {
		cordon_redactor_free(*keyed);
		*keyed = NULL;
	}
	return 0;
}

int cmd_scan(int argc, char **argv)
{
	struct record_options o;
	int status = record_options_parse(&o, RECORDS_SCAN, argc, argv, usage);
	if (status) {
		record_options_release(&o);
		return status < 0 ? EXIT_CLEAN : status;
	}
	struct scan_ctx c = { .printer = { .file = "-", .on_finding = report_finding } };
	cordon_redactor *keyed = NULL;
	struct output out = { .fd = -1 };
	int have_out = 0, begun = 0;
	struct records_job job;
	const char *output = o.output ? o.output : "-";
	status = EXIT_ERROR;
	if (o.subjects) {
		if (o.report_format == CORDON_REPORT_SARIF) {
			cli_error("--subjects lists people, not findings: as CSV, or JSON lines with --json");
			goto done;
		}
		if (!(c.subjects = subjects_new(o.memory))) {
			cli_error("out of memory");
			goto done;
		}
		c.printer.on_finding = note_subject;
		c.many_files = o.nfiles > 1;
		c.printer.with_values = 1;
		if (subjects_key(&o, &keyed))
			goto done;
	} else if (o.key_file) {
		cli_error("--key-file is for --subjects (keyed tokens in the list)");
		goto done;
	}
	struct place place = { output, o.output ? "--output" : "output (stdout)", 1 };
	begun = 1;
	status = records_begin(&job, &o, RECORDS_SCAN, NULL, &c.printer, &place, 1);
	if (status == EXIT_CLEAN) {
		if (output_open(&out, output, "report", (mode_t)-1, NULL)) {
			status = EXIT_ERROR;
		} else {
			have_out = 1;
			char *cwd = getcwd(NULL, 0);
			struct cordon_scan_report_options ro = { .format = o.report_format, .engine = job.engine,
								  .explain = o.explain, .uri_base = cwd };
			if (!o.subjects && cordon_scan_report_new(&c.report, out.f, &ro) != CORDON_OK) {
				cli_error("cannot start the report: %s", strerror(errno ? errno : ENOMEM));
				status = EXIT_ERROR;
			}
			free(cwd);
		}
	}
	for (int i = 0; status == EXIT_CLEAN && i < (o.nfiles ? o.nfiles : 1); i++)
		status = records_file(&job, o.nfiles ? o.files[i] : "-", NULL);
	if (c.failed)
		cli_error("cannot write the report to '%s': %s", output,
			  c.failed == CORDON_ERR_IO ? strerror(errno ? errno : EIO) : cordon_strerror(c.failed));
done:;
	uint64_t quarantined = begun ? job.stats.quarantined : 0;
	if (begun)
		status = records_end(&job, status, "scanned");
	if (c.report && status != EXIT_ERROR && cordon_scan_report_finish(c.report) != CORDON_OK) {
		cli_error("cannot write the report to '%s': %s", output, strerror(errno ? errno : EIO));
		status = EXIT_ERROR;
	}
	if (c.subjects && have_out && status != EXIT_ERROR) {
		if (subjects_print(c.subjects, out.f, o.report_format == CORDON_REPORT_JSON, keyed, job.engine)) {
			cli_error("cannot write the subject list: %s", subjects_error(c.subjects));
			status = EXIT_ERROR;
		}
		c.printer.printed = subjects_count(c.subjects);
	}
	if (have_out) /* whole or not at all: a failed run leaves no file */
		status = output_finish(&out, status);
	cordon_scan_report_free(c.report);
	subjects_free(c.subjects);
	cordon_redactor_free(keyed);
	if (cli_close_stdout())
		status = EXIT_ERROR;
	if (status == EXIT_CLEAN && c.printer.printed) {
		status = EXIT_FOUND;
	} else if (status == EXIT_CLEAN && quarantined) {
		/* nothing scanned is not nothing found */
		cli_error("%llu records could not be scanned (quarantined): nothing found in the rest is not "
			  "nothing there",
			  (unsigned long long)quarantined);
		status = EXIT_ERROR;
	}
	record_options_release(&o);
	return status;
}
