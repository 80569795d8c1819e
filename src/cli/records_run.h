/* The record work redact, scan and restore share: one engine, one
 * quarantine, one summary (and --summary-json) and one progress line over
 * all inputs, and the report of fields that matched nothing. */
#ifndef CORDON_CLI_RECORDS_RUN_H
#define CORDON_CLI_RECORDS_RUN_H

#include <time.h>
#include "cli.h"
#include "output.h"

struct finding_printer {
	const char *file;
	unsigned long long printed;
	int with_values; /* the printer needs canonical values (subjects) */
	const cordon_engine *engine; /* names the entities (set by records_begin) */
	/* non-zero stops the run (out of memory) */
	int (*on_finding)(struct finding_printer *p, const struct cordon_record_finding *f);
};

struct records_job {
	const struct record_options *o;
	enum record_command cmd;
	cordon_engine *engine;
	cordon_redactor *redactor; /* NULL: scan */
	struct output quarantine;
	int have_quarantine;
	struct finding_printer *printer; /* scan: where findings go */
	struct cordon_stream_stats stats;
	uint64_t *field_hits, *policy_hits, id_hits;
	int progress;              /* draw a progress line on stderr */
	double progress_every;     /* --progress: seconds between lines; -1: redrawn (a terminal) */
	unsigned long long total;  /* bytes of all inputs, 0 if unknown */
	struct timespec start, last;
};

/* Checks outputs against inputs, sets up the engine and the quarantine;
 * returns EXIT_CLEAN or EXIT_ERROR. extra: more outputs to check (-o, the
 * in-place files), n of them. */
int records_begin(struct records_job *job, const struct record_options *o, enum record_command cmd,
		  cordon_redactor *redactor, struct finding_printer *printer, const struct place *extra, size_t n);
/* Streams one input ("-": stdin) into out (NULL when scanning). */
int records_file(struct records_job *job, const char *name, FILE *out);
/* Commits the quarantine, reports fields that matched nothing (a run whose
 * every --field matched nothing fails), prints the summary, writes
 * --summary-json. Returns status, or EXIT_ERROR if finishing failed. */
int records_end(struct records_job *job, int status, const char *verb);

#endif
