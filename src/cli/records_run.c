/* The record work redact, scan and restore share: each input file (or
 * stdin) streamed through one engine in its format, with one quarantine,
 * one progress line, one summary, and the fields that matched nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "records_run.h"

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void human(double bytes, char *out, size_t cap)
{
	const char *units[] = { "B", "KB", "MB", "GB", "TB" };
	int u = 0;
	while (bytes >= 1000 && u < 4)
		bytes /= 1000, u++;
	snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

/* The progress line: redrawn in place twice a second on a terminal; with
 * --progress, a whole line every N seconds (logs keep lines, not
 * carriage returns). */
static int draw_progress(void *ctx, const struct cordon_stream_stats *s)
{
	struct records_job *job = ctx;
	double every = job->progress_every >= 0 ? job->progress_every : 0.5;
	if (!job->progress || seconds_since(&job->last) < every)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &job->last);
	double t = seconds_since(&job->start);
	char done[32], rate[32], eta[32] = "";
	human((double)s->bytes_in, done, sizeof(done));
	human(t > 0 ? (double)s->bytes_in / t : 0, rate, sizeof(rate));
	if (job->total && s->bytes_in && s->bytes_in <= job->total && t > 0) {
		double left = (double)(job->total - s->bytes_in) / ((double)s->bytes_in / t);
		snprintf(eta, sizeof(eta), ", ETA %d:%02d", (int)left / 60, (int)left % 60);
	}
	if (job->progress_every >= 0)
		fprintf(stderr, "cordon: %s, %llu records, %s/s%s\n", done, (unsigned long long)s->records_in, rate, eta);
	else
		fprintf(stderr, "\rcordon: %s, %llu records, %s/s%s   ", done, (unsigned long long)s->records_in, rate,
			eta);
	return 0;
}

static int found(void *ctx, const struct cordon_record_finding *f)
{
	struct records_job *job = ctx;
	return job->printer ? job->printer->on_finding(job->printer, f) : 0;
}

int records_begin(struct records_job *job, const struct record_options *o, enum record_command cmd,
		  cordon_redactor *redactor, struct finding_printer *printer, const struct place *extra, size_t n)
{
	memset(job, 0, sizeof(*job));
	job->o = o;
	job->cmd = cmd;
	job->redactor = redactor;
	job->printer = printer;
	clock_gettime(CLOCK_MONOTONIC, &job->start);
	job->last = job->start;
	job->progress = o->progress_every >= 0 || (!o->quiet && isatty(STDERR_FILENO));
	job->progress_every = o->progress_every; /* -1: redrawn on a terminal */

	/* every output against every input and every other output */
	size_t np = 0, cap = (size_t)o->nfiles + n + 4;
	struct place *places = calloc(cap, sizeof(*places));
	if (!places) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	for (int i = 0; !o->in_place && i < o->nfiles; i++)
		places[np++] = (struct place){ o->files[i], "input", 0 };
	if (!o->in_place && !o->nfiles)
		places[np++] = (struct place){ "-", "input", 0 };
	for (size_t i = 0; i < n; i++)
		places[np++] = extra[i];
	if (o->quarantine)
		places[np++] = (struct place){ o->quarantine, "--quarantine", 1 };
	if (o->summary_json)
		places[np++] = (struct place){ o->summary_json, "--summary-json", 1 };
	int bad = places_check(places, np);
	free(places);
	if (bad)
		return EXIT_ERROR;

	for (int i = 0; i < o->nfiles; i++) {
		struct stat st;
		if (!strcmp(o->files[i], "-") || stat(o->files[i], &st) < 0 || !S_ISREG(st.st_mode)) {
			job->total = 0;
			break;
		}
		job->total += (unsigned long long)st.st_size;
	}
	char err[256] = "";
	struct cordon_engine_options eo = o->engine;
	eo.error = err;
	eo.error_len = sizeof(err);
	if (cordon_engine_new(&job->engine, &eo) != CORDON_OK) {
		cli_error("cannot set up the detector: %s", *err ? err : "out of memory");
		return EXIT_ERROR;
	}
	if (printer)
		printer->engine = job->engine;
	if ((o->nfields && !(job->field_hits = calloc(o->nfields, sizeof(uint64_t)))) ||
	    (o->npolicies && !(job->policy_hits = calloc(o->npolicies, sizeof(uint64_t))))) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	if (o->quarantine) {
		if (output_open(&job->quarantine, o->quarantine, "quarantine", 0600, NULL))
			return EXIT_ERROR;
		job->have_quarantine = 1;
	}
	return EXIT_CLEAN;
}

int records_file(struct records_job *job, const char *name, FILE *out)
{
	const struct record_options *o = job->o;
	int is_stdin = !strcmp(name, "-");
	const char *shown = is_stdin ? "stdin" : name;
	int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat fst;
	if (fd < 0 || fstat(fd, &fst) < 0) {
		cli_error("cannot open '%s': %s", shown, strerror(errno));
		if (fd >= 0 && !is_stdin)
			close(fd);
		return EXIT_ERROR;
	}
	if (S_ISDIR(fst.st_mode)) {
		cli_error("cannot read '%s': it is a directory", shown);
		if (!is_stdin)
			close(fd);
		return EXIT_ERROR;
	}
	char err[256] = "";
	struct cordon_stream_options so = {
		.format = o->format_set ? o->format : cordon_format_guess(is_stdin ? NULL : name),
		.fields = o->nfields ? o->fields : NULL,
		.nfields = o->nfields,
		.policies = job->cmd == RECORDS_RESTORE ? NULL : o->policies,
		.npolicies = job->cmd == RECORDS_RESTORE ? 0 : o->npolicies,
		.max_record = o->max_record,
		.redactor = job->redactor,
		.on_finding = job->printer ? found : NULL,
		.ctx = job,
		.quarantine = job->have_quarantine ? job->quarantine.f : NULL,
		.on_progress = job->progress ? draw_progress : NULL,
		.with_values = job->printer && job->printer->with_values,
		.id_field = o->id_field,
		.encoding = o->encoding,
		.restore = job->cmd == RECORDS_RESTORE,
		.memory = o->memory,
		.error = err,
		.error_len = sizeof(err),
	};
	if (job->printer)
		job->printer->file = is_stdin ? "-" : name;
	cordon_stream *st = NULL;
	cordon_code rc = cordon_stream_new(&st, job->engine, &so);
	if (rc != CORDON_OK)
		cli_error("cannot process '%s': %s", shown, *err ? err : cordon_strerror(rc));
	else if ((rc = cordon_stream_run_fd(st, fd, out, &job->stats, o->jobs)) != CORDON_OK)
		cli_error("cannot process '%s': %s%s", shown,
			  *cordon_stream_error(st) ? cordon_stream_error(st) : cordon_strerror(rc),
			  strstr(cordon_stream_error(st), "record limit") ? " (--max-record; --quarantine sets such records aside)"
									 : "");
	if (st) {
		for (size_t i = 0; i < so.nfields; i++)
			job->field_hits[i] += cordon_stream_field_hits(st, i);
		for (size_t i = 0; i < so.npolicies; i++)
			job->policy_hits[i] += cordon_stream_policy_hits(st, i);
		job->id_hits += cordon_stream_id_hits(st);
	}
	cordon_stream_free(st);
	if (!is_stdin)
		close(fd);
	return rc == CORDON_OK ? EXIT_CLEAN : EXIT_ERROR;
}

static const char *const action_names[] = { "scan", "keep", "tag", "pseudonym", "drop" };

static int write_summary_json(const struct records_job *job, int status, const char *path)
{
	struct output out;
	if (output_open(&out, path, "summary", (mode_t)-1, NULL))
		return -1;
	FILE *f = out.f;
	const struct record_options *o = job->o;
	const struct cordon_stream_stats *s = &job->stats;
	static const char *const commands[] = { "redact", "scan", "restore" };
	fprintf(f, "{\"schema_version\":1,\"command\":\"%s\",\"ok\":%s,\"records_in\":%llu,\"records_out\":%llu,\"quarantined\":%llu,"
		   "\"bytes_in\":%llu,\"seconds\":%.3f,",
		commands[job->cmd], status == EXIT_ERROR ? "false" : "true", (unsigned long long)s->records_in,
		(unsigned long long)s->records_out, (unsigned long long)s->quarantined,
		(unsigned long long)s->bytes_in, seconds_since(&job->start));
	if (job->cmd == RECORDS_RESTORE) {
		fprintf(f, "\"restored\":%llu}\n", (unsigned long long)s->restored);
		return output_commit(&out);
	}
	fputs("\"findings\":{", f);
	const char *comma = "";
	for (unsigned e = 0; e < cordon_engine_entity_count(job->engine); e++) {
		const char *name = cordon_engine_entity_name(job->engine, (cordon_entity)e);
		if (!name)
			continue;
		fprintf(f, "%s\"%s\":%llu", comma, name, (unsigned long long)s->findings[e]);
		comma = ",";
	}
	fputs("},\"unmatched_fields\":[", f);
	const char *sep = "";
	for (size_t i = 0; i < o->nfields; i++)
		if (!job->field_hits[i]) {
			fputs(sep, f);
			cli_put_json(f, o->fields[i]);
			sep = ",";
		}
	fputs("],\"unmatched_policies\":[", f);
	sep = "";
	for (size_t i = 0; i < o->npolicies; i++)
		if (!job->policy_hits[i]) {
			fputs(sep, f);
			cli_put_json(f, o->policies[i].path);
			sep = ",";
		}
	fputs("]}\n", f);
	return output_commit(&out);
}

/* Paths that matched nothing are most often typos: what they were meant to
 * select was left as it was. Said on stderr; with --field, a run in which
 * no --field matched anything fails. */
static int report_unmatched(const struct records_job *job, int status)
{
	const struct record_options *o = job->o;
	if (job->cmd == RECORDS_RESTORE || !job->stats.records_in)
		return status;
	size_t matched = 0;
	for (size_t i = 0; i < o->nfields; i++) {
		if (job->field_hits[i]) {
			matched++;
			continue;
		}
		fputs("cordon: --field '", stderr);
		cli_put_safe(stderr, o->fields[i]);
		fputs("' matched no field of any record\n", stderr);
	}
	for (size_t i = 0; i < o->npolicies; i++) {
		if (job->policy_hits[i])
			continue;
		fprintf(stderr, "cordon: config '%s': field '", o->config ? o->config : "?");
		cli_put_safe(stderr, o->policies[i].path);
		fprintf(stderr, "' (%s) matched no field of any record\n", action_names[o->policies[i].action]);
	}
	if (o->id_field && !job->id_hits) {
		fputs("cordon: --id-field '", stderr);
		cli_put_safe(stderr, o->id_field);
		fputs("' matched no field of any record\n", stderr);
	}
	if (o->nfields && !matched && status != EXIT_ERROR) {
		cli_error("no --field matched anything: nothing was selected, so nothing was %s",
			  job->redactor ? "redacted" : "scanned");
		status = EXIT_ERROR;
	}
	return status;
}

int records_end(struct records_job *job, int status, const char *verb)
{
	if (job->progress && job->progress_every < 0)
		fputs("\r\033[K", stderr);
	/* what was quarantined is kept, whatever happened after */
	if (job->have_quarantine && output_commit(&job->quarantine))
		status = EXIT_ERROR;
	job->have_quarantine = 0;
	if (job->engine)
		status = report_unmatched(job, status);
	if (!job->o->quiet && job->engine)
		print_summary(verb, &job->stats, job->redactor != NULL, job->engine);
	if (job->o->summary_json && job->engine && write_summary_json(job, status, job->o->summary_json))
		status = EXIT_ERROR;
	if (job->have_quarantine)
		output_abort(&job->quarantine);
	cordon_engine_free(job->engine);
	job->engine = NULL;
	free(job->field_hits);
	free(job->policy_hits);
	job->field_hits = job->policy_hits = NULL;
	return status;
}
