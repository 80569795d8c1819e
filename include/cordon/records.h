/* cordon records: stream a file of records (text lines, JSON lines) through the
 * detector and, when a redactor is given, write each record redacted. Fails
 * closed: a record that cannot be processed is never written in clear; it goes
 * to the quarantine file or the run stops. Memory is bounded by max_record. */
#ifndef CORDON_RECORDS_H
#define CORDON_RECORDS_H

#include <stdint.h>
#include <stdio.h>
#include "cordon/common.h"
#include "cordon/detect.h"
#include "cordon/redact.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cordon_format {
	CORDON_FORMAT_TEXT = 0, /* one record per line */
	CORDON_FORMAT_JSONL,    /* one JSON value per line */
	CORDON_FORMAT_CSV,      /* RFC 4180 with a header row */
	CORDON_FORMAT_ES_BULK   /* Elasticsearch/OpenSearch _bulk: action lines and documents */
} cordon_format;

CORDON_API cordon_code cordon_format_from_name(const char *name, cordon_format *out);
/* The format a file name suggests (.jsonl, .ndjson, .json: JSON lines; .csv:
 * CSV; a .gz or .zst suffix is looked through), else text. */
CORDON_API cordon_format cordon_format_guess(const char *filename);

/* A finding placed in its record. Pointers are valid only during the callback.
 * The value itself is never handed out: only its masked preview. */
struct cordon_record_finding {
	uint64_t record;      /* 1-based record (line) number */
	const char *field;    /* dotted JSON path of the string, NULL for text */
	cordon_entity entity;
	size_t start, end;    /* byte offsets in the record as it was read */
	double score;
	const char *preview;  /* masked, safe to print */
	/* Only with with_values: the normalised value ("xyz@contoso.com"). It IS
	 * personal data: for subject lists, never for logs. */
	const char *canonical;
	/* Only with id_field: the record's id ("CS-00017"), else NULL. */
	const char *record_id;
	const char *rule;    /* as in struct cordon_finding: what decided it */
	const char *context; /* the context ("email") or decoy word, or "" */
};

/* Findings of a record are handed over when the record is done, in order, and
 * not at all for a record that goes to quarantine (or stops the run). */
typedef void (*cordon_finding_fn)(void *ctx, const struct cordon_record_finding *f);

struct cordon_stream_stats;
/* Called after each chunk (about 1 MiB) read, for progress displays. */
typedef void (*cordon_progress_fn)(void *ctx, const struct cordon_stream_stats *stats);

/* What to do with a field (a JSON path and its subtree, or a CSV column). */
typedef enum cordon_field_action {
	CORDON_FIELD_SCAN = 0,  /* find personal data inside and redact it */
	CORDON_FIELD_KEEP,      /* leave as it is */
	CORDON_FIELD_TAG,       /* replace the whole value, no detection */
	CORDON_FIELD_PSEUDONYM, /* replace the whole value by its keyed token */
	CORDON_FIELD_DROP       /* JSON: remove the member; CSV: empty the cell */
} cordon_field_action;

struct cordon_field_policy {
	const char *path;
	cordon_field_action action;
};

struct cordon_stream_options {
	cordon_format format;
	const char *const *fields;  /* JSON paths to redact (and their subtrees); NULL: all strings */
	size_t nfields;
	/* Per-field actions; the longest matching path wins. Fields no policy
	 * names are scanned (or, when fields is set, scanned only if listed). */
	const struct cordon_field_policy *policies;
	size_t npolicies;
	size_t max_record;          /* bytes; 0 means 16 MiB */
	cordon_redactor *redactor;  /* NULL: scan only, nothing is written */
	cordon_finding_fn on_finding;
	void *ctx;
	FILE *quarantine;           /* NULL: stop at the first bad record */
	cordon_progress_fn on_progress; /* NULL: none; called with ctx */
	int with_values;                /* fill canonical in findings */
	/* JSON path (or CSV column) whose value names a record in findings. */
	const char *id_field;
};
#define CORDON_STREAM_MAX_RECORD_DEFAULT ((size_t)16 << 20)

struct cordon_stream_stats {
	uint64_t records_in, records_out, quarantined;
	uint64_t bytes_in;
	uint64_t findings[CORDON_ENTITY_MAX]; /* by entity number */
};

typedef struct cordon_stream cordon_stream;

/* The stream borrows engine and options->redactor; both must outlive it. */
CORDON_API cordon_code cordon_stream_new(cordon_stream **out, cordon_engine *engine,
					 const struct cordon_stream_options *options);
CORDON_API void cordon_stream_free(cordon_stream *stream);

/* Reads records from in until EOF, writing to out (unless scanning only).
 * Stats accumulate over calls. On error the detail names the record. */
CORDON_API cordon_code cordon_stream_run(cordon_stream *stream, FILE *in, FILE *out,
					 struct cordon_stream_stats *stats);

/* Like cordon_stream_run on `jobs` threads (0: one per core): input is cut
 * into chunks at record boundaries, each redacted by its own engine and
 * redactor clone, and output, quarantined records, finding callbacks, record
 * numbers and errors come out exactly as from cordon_stream_run. Callbacks
 * run on the calling thread. */
CORDON_API cordon_code cordon_stream_run_jobs(cordon_stream *stream, FILE *in, FILE *out,
					      struct cordon_stream_stats *stats, unsigned jobs);

CORDON_API const char *cordon_stream_error(const cordon_stream *stream);

#ifdef __cplusplus
}
#endif
#endif
