/* The record loop shared by redact and scan. */
#ifndef CORDON_CLI_RECORDS_RUN_H
#define CORDON_CLI_RECORDS_RUN_H

#include "cli/cli.h"

struct finding_printer {
	const char *file;
	int json;
	unsigned long long printed;
};

/* Streams every input of o; returns an exit code (EXIT_CLEAN or EXIT_ERROR). */
int records_run(const struct record_options *o, cordon_redactor *redactor, FILE *out,
		cordon_finding_fn on_finding, struct finding_printer *printer,
		struct cordon_stream_stats *stats);

#endif
