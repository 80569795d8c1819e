/* cordon scan: report where personal data is, never what it is. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/records_run.h"

static const char usage[] =
	"usage: cordon scan [options] [FILE...]\n"
	"\n"
	"Reports the personal data in records read from FILEs (or stdin): file,\n"
	"record (line) number, JSON field, byte offsets in the record, entity,\n"
	"score and a masked preview. The value itself is never printed.\n"
	"\n"
	"      --json            one JSON object per finding instead of text\n"
	RECORD_OPTIONS_HELP
	"Exit: 0 nothing found, 1 personal data found, 2 error.\n";

static void put_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_finding(struct finding_printer *p, const struct cordon_record_finding *f)
{
	const char *entity = cordon_entity_name(f->entity);
	p->printed++;
	if (p->json) {
		fputs("{\"file\":", stdout);
		put_json_string(p->file);
		printf(",\"record\":%llu,\"field\":", (unsigned long long)f->record);
		if (f->field)
			put_json_string(f->field);
		else
			fputs("null", stdout);
		printf(",\"entity\":\"%s\",\"start\":%zu,\"end\":%zu,\"score\":%.2f,\"preview\":",
		       entity, f->start, f->end, f->score);
		put_json_string(f->preview);
		fputs("}\n", stdout);
		return;
	}
	printf("%s:%llu:", p->file, (unsigned long long)f->record);
	if (f->field)
		printf("%s:", f->field);
	printf(" %zu-%zu %s %.2f %s\n", f->start, f->end, entity, f->score, f->preview);
}

int cmd_scan(int argc, char **argv)
{
	struct record_options o;
	int status = record_options_parse(&o, RECORDS_SCAN, argc, argv, usage);
	if (status) {
		record_options_release(&o);
		return status < 0 ? EXIT_CLEAN : status;
	}
	struct finding_printer printer = { "-", o.json, 0, print_finding };
	struct records_job job;
	status = records_begin(&job, &o, NULL, &printer);
	for (int i = 0; status == EXIT_CLEAN && i < (o.nfiles ? o.nfiles : 1); i++)
		status = records_file(&job, o.nfiles ? o.files[i] : "-", NULL);
	status = records_end(&job, status, "scanned");
	if (cli_close_stdout())
		status = EXIT_ERROR;
	if (status == EXIT_CLEAN && printer.printed)
		status = EXIT_FOUND;
	record_options_release(&o);
	return status;
}
