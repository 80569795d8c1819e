/* The record work redact and scan share: each input file (or stdin) streamed
 * through one engine in its format, with one quarantine, one progress line
 * and one summary. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/compress.h"
#include "cli/records_run.h"

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

static void draw_progress(void *ctx, const struct cordon_stream_stats *s)
{
	struct records_job *job = ctx;
	if (!job->progress || seconds_since(&job->last) < 0.5)
		return;
	clock_gettime(CLOCK_MONOTONIC, &job->last);
	double t = seconds_since(&job->start);
	char done[32], rate[32], eta[32] = "";
	human((double)s->bytes_in, done, sizeof(done));
	human(t > 0 ? (double)s->bytes_in / t : 0, rate, sizeof(rate));
	if (job->total && s->bytes_in && s->bytes_in <= job->total) {
		double left = (double)(job->total - s->bytes_in) / ((double)s->bytes_in / t);
		snprintf(eta, sizeof(eta), ", ETA %d:%02d", (int)left / 60, (int)left % 60);
	}
	fprintf(stderr, "\rcordon: %s, %llu records, %s/s%s   ", done,
		(unsigned long long)s->records_in, rate, eta);
}

static void found(void *ctx, const struct cordon_record_finding *f)
{
	struct records_job *job = ctx;
	if (job->printer)
		job->printer->on_finding(job->printer, f);
}

int records_begin(struct records_job *job, const struct record_options *o,
		  cordon_redactor *redactor, struct finding_printer *printer)
{
	memset(job, 0, sizeof(*job));
	job->o = o;
	job->redactor = redactor;
	job->printer = printer;
	clock_gettime(CLOCK_MONOTONIC, &job->start);
	job->last = job->start;
	job->progress = !o->quiet && isatty(STDERR_FILENO);
	for (int i = 0; i < o->nfiles; i++) {
		struct stat st;
		if (!strcmp(o->files[i], "-") || stat(o->files[i], &st) < 0 || !S_ISREG(st.st_mode)) {
			job->total = 0;
			break;
		}
		job->total += (unsigned long long)st.st_size;
	}
	if (cordon_engine_new(&job->engine, &o->engine) != CORDON_OK) {
		cli_error("cannot set up the detector: out of memory");
		return EXIT_ERROR;
	}
	if (printer)
		printer->engine = job->engine;
	if (o->quarantine && !(job->quarantine = open_quarantine(o->quarantine)))
		return EXIT_ERROR;
	return EXIT_CLEAN;
}

int records_file(struct records_job *job, const char *name, FILE *out)
{
	const struct record_options *o = job->o;
	int is_stdin = !strcmp(name, "-");
	FILE *in = is_stdin ? stdin : compress_open_read(name);
	if (!in) {
		cli_error("cannot open '%s': %s", name, strerror(errno));
		return EXIT_ERROR;
	}
	struct cordon_stream_options so = {
		.format = o->format_set ? o->format : cordon_format_guess(is_stdin ? NULL : name),
		.fields = o->nfields ? o->fields : NULL,
		.nfields = o->nfields,
		.policies = o->policies,
		.npolicies = o->npolicies,
		.max_record = o->max_record,
		.redactor = job->redactor,
		.on_finding = job->printer ? found : NULL,
		.ctx = job,
		.quarantine = job->quarantine,
		.on_progress = job->progress ? draw_progress : NULL,
		.with_values = job->printer && job->printer->with_values,
		.id_field = o->id_field,
	};
	if (job->printer)
		job->printer->file = is_stdin ? "-" : name;
	cordon_stream *st = NULL;
	cordon_code rc = cordon_stream_new(&st, job->engine, &so);
	if (rc == CORDON_OK)
		rc = cordon_stream_run_jobs(st, in, out, &job->stats, o->jobs);
	if (rc != CORDON_OK)
		cli_error("cannot process '%s': %s", is_stdin ? "stdin" : name,
			  st && *cordon_stream_error(st) ? cordon_stream_error(st) : cordon_strerror(rc));
	cordon_stream_free(st);
	if (!is_stdin && fclose(in) != 0 && rc == CORDON_OK) {
		cli_error("cannot read '%s': %s", name, strerror(errno));
		rc = CORDON_ERR_IO;
	}
	return rc == CORDON_OK ? EXIT_CLEAN : EXIT_ERROR;
}

static int write_summary_json(const struct records_job *job, int status, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		cli_error("cannot write summary '%s': %s", path, strerror(errno));
		return -1;
	}
	const struct cordon_stream_stats *s = &job->stats;
	fprintf(f, "{\"ok\":%s,\"records_in\":%llu,\"records_out\":%llu,\"quarantined\":%llu,"
		   "\"bytes_in\":%llu,\"seconds\":%.3f,\"findings\":{",
		status == EXIT_ERROR ? "false" : "true", (unsigned long long)s->records_in,
		(unsigned long long)s->records_out, (unsigned long long)s->quarantined,
		(unsigned long long)s->bytes_in, seconds_since(&job->start));
	for (unsigned e = 0; e < cordon_engine_entity_count(job->engine); e++)
		fprintf(f, "%s\"%s\":%llu", e ? "," : "", cordon_engine_entity_name(job->engine, (cordon_entity)e),
			(unsigned long long)s->findings[e]);
	fputs("}}\n", f);
	if (fclose(f) != 0) {
		cli_error("cannot write summary '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int records_end(struct records_job *job, int status, const char *verb)
{
	if (job->progress)
		fputs("\r\033[K", stderr);
	if (job->quarantine && fclose(job->quarantine) != 0) {
		cli_error("cannot write quarantine '%s': %s", job->o->quarantine, strerror(errno));
		status = EXIT_ERROR;
	}
	job->quarantine = NULL;
	if (!job->o->quiet)
		print_summary(verb, &job->stats, job->redactor != NULL, job->engine);
	if (job->o->summary_json && write_summary_json(job, status, job->o->summary_json))
		status = EXIT_ERROR;
	cordon_engine_free(job->engine);
	job->engine = NULL;
	return status;
}
