/* cordon scan: report where personal data is, never what it is. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "records_run.h"
#include "subjects.h"

static const char usage[] =
	"usage: cordon scan [options] [FILE...]\n"
	"\n"
	"Reports the personal data in records read from FILEs (or stdin): file,\n"
	"record (line) number, JSON field, byte offsets in the record, entity,\n"
	"score and a masked preview. The value itself is never printed.\n"
	"\n"
	"      --json            one JSON object per finding instead of text\n"
	"      --id-field PATH   JSON path or CSV column naming each record; its value\n"
	"                        goes with each finding (and in --subjects)\n"
	"      --explain         with each finding, the rule (form and checks) and the\n"
	"                        context or decoy word that decided it\n"
	"      --subjects        instead of findings, list each distinct e-mail\n"
	"                        address and phone number (normalised), with how many\n"
	"                        records hold it and which (ids or record numbers, the\n"
	"                        first 100), as CSV (or JSON lines with --json), sorted:\n"
	"                        who to notify. Every field but a kept one is read\n"
	"      --key-file FILE   with --subjects: list keyed tokens, not values (the\n"
	"                        same tokens as redact --operator pseudonym); also\n"
	"                        taken from CORDON_KEY when set\n"
	RECORD_OPTIONS_HELP
	"Exit: 0 nothing found, 1 personal data found, 2 error (also when records\n"
	"were quarantined and nothing was found in the rest).\n";

static int print_finding(struct finding_printer *p, const struct cordon_record_finding *f)
{
	const char *entity = cordon_engine_entity_name(p->engine, f->entity);
	p->printed++;
	if (p->json) {
		fputs("{\"file\":", stdout);
		cli_put_json(stdout, p->file);
		printf(",\"record\":%llu,", (unsigned long long)f->record);
		if (f->record_id) {
			fputs("\"id\":", stdout);
			cli_put_json(stdout, f->record_id);
			putchar(',');
		}
		fputs("\"field\":", stdout);
		if (f->field)
			cli_put_json(stdout, f->field);
		else
			fputs("null", stdout);
		printf(",\"entity\":\"%s\",\"start\":%zu,\"end\":%zu,\"score\":%.2f,\"preview\":", entity, f->start,
		       f->end, f->score);
		cli_put_json(stdout, f->preview);
		if (p->explain) {
			fputs(",\"rule\":", stdout);
			cli_put_json(stdout, f->rule ? f->rule : "");
			fputs(",\"context\":", stdout);
			cli_put_json(stdout, f->context ? f->context : "");
		}
		fputs("}\n", stdout);
		return 0;
	}
	/* one finding a line, whatever a name, field or id holds */
	cli_put_safe(stdout, p->file);
	printf(":%llu:", (unsigned long long)f->record);
	if (f->record_id) {
		cli_put_safe(stdout, f->record_id);
		putchar(':');
	}
	if (f->field) {
		cli_put_safe(stdout, f->field);
		putchar(':');
	}
	printf(" %zu-%zu %s %.2f ", f->start, f->end, entity, f->score);
	cli_put_safe(stdout, f->preview);
	if (p->explain)
		printf("  [%s%s%s]", f->rule ? f->rule : "", f->context && *f->context ? "; word: " : "",
		       f->context ? f->context : "");
	putchar('\n');
	return 0;
}

static struct subjects *subjects;

static int note_subject(struct finding_printer *p, const struct cordon_record_finding *f)
{
	(void)p;
	return subjects_add(subjects, f);
}

int cmd_scan(int argc, char **argv)
{
	struct record_options o;
	int status = record_options_parse(&o, RECORDS_SCAN, argc, argv, usage);
	if (status) {
		record_options_release(&o);
		return status < 0 ? EXIT_CLEAN : status;
	}
	struct finding_printer printer = { .file = "-", .json = o.json, .explain = o.explain,
					  .on_finding = print_finding };
	cordon_redactor *keyed = NULL;
	if (o.subjects) {
		if (!(subjects = subjects_new(o.memory))) {
			cli_error("out of memory");
			record_options_release(&o);
			return EXIT_ERROR;
		}
		printer.on_finding = note_subject;
		printer.with_values = 1;
		/* keyed whenever a key is at hand: --key-file, else CORDON_KEY */
		int have = -1;
		if (cordon_redactor_new(&keyed, CORDON_OP_PSEUDONYM) != CORDON_OK ||
		    (have = cli_load_key(keyed, o.key_file, NULL)) < 0) {
			if (have != -1 || !keyed)
				cli_error("out of memory");
			subjects_free(subjects);
			cordon_redactor_free(keyed);
			record_options_release(&o);
			return EXIT_ERROR;
		}
		if (!have) {
			cordon_redactor_free(keyed);
			keyed = NULL;
		}
	} else if (o.key_file) {
		cli_error("--key-file is for --subjects (keyed tokens in the list)");
		record_options_release(&o);
		return EXIT_ERROR;
	}
	struct place out = { "-", "output (stdout)", 1 };
	struct records_job job;
	status = records_begin(&job, &o, RECORDS_SCAN, NULL, &printer, &out, 1);
	for (int i = 0; status == EXIT_CLEAN && i < (o.nfiles ? o.nfiles : 1); i++)
		status = records_file(&job, o.nfiles ? o.files[i] : "-", NULL);
	uint64_t quarantined = job.stats.quarantined;
	status = records_end(&job, status, "scanned");
	if (subjects) {
		if (status != EXIT_ERROR && subjects_print(subjects, stdout, o.json, keyed)) {
			cli_error("cannot write the subject list: %s", subjects_error(subjects));
			status = EXIT_ERROR;
		}
		printer.printed = subjects_count(subjects);
		subjects_free(subjects);
		subjects = NULL;
		cordon_redactor_free(keyed);
	}
	if (cli_close_stdout())
		status = EXIT_ERROR;
	if (status == EXIT_CLEAN && printer.printed) {
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
