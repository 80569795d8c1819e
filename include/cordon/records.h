/* cordon records: stream a file of records (text lines, JSON lines, CSV,
 * Elasticsearch bulk) through the detector and, when a redactor is given,
 * write each record redacted (or, restoring, with encrypt tokens turned
 * back). Fails closed: a record that cannot be processed is never written in
 * clear; it goes to the quarantine file or the run stops. Memory is bounded
 * by max_record (and, with jobs, by the memory budget). */
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
/* The name of format f ("jsonl"), and in *what (when not NULL) what it
 * is; NULL past the last format. */
CORDON_API const char *cordon_format_name(cordon_format f, const char **what);
/* The format a file name suggests (.jsonl, .ndjson, .json: JSON lines; .csv:
 * CSV; a .gz or .zst suffix is looked through), else text. */
CORDON_API cordon_format cordon_format_guess(const char *filename);

/* The compression the first bytes of a file show: "gzip", "zstd" or NULL.
 * (Streams find it themselves; this is for writing a file back alike.) */
CORDON_API const char *cordon_compression_of(const void *head, size_t len);

/* A finding placed in its record. Pointers are valid only during the callback.
 * The value itself is never handed out: only its masked preview. */
struct cordon_record_finding {
	uint64_t record;      /* 1-based record number (a CSV header row is not
				 a record: its findings have record 0) */
	uint64_t line;        /* 1-based line of the input where it starts, */
	size_t column;        /* and column, in characters (Unicode code points) */
	uint64_t end_line;    /* where it ends: the line, and the column after */
	size_t end_column;    /* its last character */
	/* where: a JSON path (keys joined by '.', a '.' or '\' inside a key
	 * written "\." or "\\"; an object key itself ends in "{key}"), a CSV
	 * column's name, or NULL for text records */
	const char *field;
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
 * not at all for a record that goes to quarantine (or stops the run). A
 * callback that returns non-zero stops the run with CORDON_ERR_CALLBACK, as
 * curl's write callback does: nothing of that record is written. */
typedef int (*cordon_finding_fn)(void *ctx, const struct cordon_record_finding *f);

struct cordon_stream_stats;
/* Called after each read (about 1 MiB), for progress displays; non-zero
 * stops the run with CORDON_ERR_CALLBACK. */
typedef int (*cordon_progress_fn)(void *ctx, const struct cordon_stream_stats *stats);

/* What to do with a field (a JSON path and its subtree, or a CSV column). */
typedef enum cordon_field_action {
	CORDON_FIELD_SCAN = 0,  /* find personal data inside and redact it */
	CORDON_FIELD_KEEP,      /* leave as it is */
	CORDON_FIELD_TAG,       /* replace the whole value, no detection */
	CORDON_FIELD_PSEUDONYM, /* replace the whole value by its keyed token */
	CORDON_FIELD_DROP       /* JSON: remove the member; CSV: empty the cell */
} cordon_field_action;

/* A path names a JSON value by the object keys leading to it, joined by '.'
 * ("customer.email"; arrays are transparent); a key holding a '.' or '\' is
 * written with "\." and "\\" ("case_id\.note"). For CSV, the path with those
 * escapes read is a column's name. */
struct cordon_field_policy {
	const char *path;
	cordon_field_action action;
};

struct cordon_stream_options {
	cordon_format format;
	const char *const *fields;  /* paths to redact (and their subtrees); NULL: all strings */
	size_t nfields;
	/* Per-field actions; the longest matching path wins. Fields no policy
	 * names are scanned (or, when fields is set, scanned only if listed).
	 * Scanning only (no redactor), every field but a kept one is scanned:
	 * a tag, pseudonym or drop field holds personal data too. */
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
	/* The input's charset: NULL or "auto" (UTF-8, or UTF-16 by its
	 * byte-order mark), else an iconv name ("WINDOWS-1252", "LATIN1",
	 * "UTF-16LE"). Records are read, and written, as UTF-8. In auto,
	 * a text or CSV field that is not valid UTF-8 is read as
	 * Windows-1252 for detection, its bytes written back as they were. */
	const char *encoding;
	/* With a redactor: turn encrypt tokens back into values (cordon
	 * restore) instead of redacting. */
	int restore;
	/* With jobs: bytes of input in flight between the reader and the
	 * workers; 0: CORDON_STREAM_MEMORY_DEFAULT. At least one record is
	 * always in flight, so a record of max_record still passes. */
	size_t memory;
	/* Where cordon_stream_new says what is wrong with an option (a path
	 * with a bad escape), or NULL. */
	char *error;
	size_t error_len;
};
#define CORDON_STREAM_MAX_RECORD_DEFAULT ((size_t)16 << 20)
#define CORDON_STREAM_MEMORY_DEFAULT ((size_t)64 << 20)

struct cordon_stream_stats {
	uint64_t records_in, records_out, quarantined; /* in = out + quarantined */
	uint64_t bytes_in;                             /* decoded bytes read */
	uint64_t findings[CORDON_ENTITY_MAX];          /* by entity number */
	uint64_t restored;                             /* tokens turned back */
};

typedef struct cordon_stream cordon_stream;

/* The stream borrows engine and options->redactor; both must outlive it. */
CORDON_API cordon_code cordon_stream_new(cordon_stream **out, cordon_engine *engine,
					 const struct cordon_stream_options *options);
CORDON_API void cordon_stream_free(cordon_stream *stream);

/* Reads records from in until EOF, writing to out (unless scanning only).
 * gzip and zstd input are decompressed (told by their first bytes); a
 * byte-order mark is written back as it was read. Stats accumulate over
 * calls. On error the detail names the record, and every record before it
 * was written or quarantined: none after it, and never the bytes of a
 * record whose end was not read. */
CORDON_API cordon_code cordon_stream_run(cordon_stream *stream, FILE *in, FILE *out,
					 struct cordon_stream_stats *stats);

/* Like cordon_stream_run on `jobs` threads (0: one per core): input is cut
 * into chunks at record boundaries, each redacted by its own engine and
 * redactor clone, and output, quarantined records, finding callbacks, record
 * numbers, counts and errors come out exactly as from cordon_stream_run.
 * Callbacks run on the calling thread. */
CORDON_API cordon_code cordon_stream_run_jobs(cordon_stream *stream, FILE *in, FILE *out,
					      struct cordon_stream_stats *stats, unsigned jobs);

/* Like cordon_stream_run_jobs, reading with read(2) from fd: records of a
 * pipe are handled as they arrive (output is flushed whenever the input has
 * nothing more ready), not when a buffer fills. */
CORDON_API cordon_code cordon_stream_run_fd(cordon_stream *stream, int fd, FILE *out,
					    struct cordon_stream_stats *stats, unsigned jobs);

/* After runs: how many values fell under options->fields[i], under
 * options->policies[i] (a CSV column counts once per record), and how many
 * records had an id (id_field). A path that matched nothing is most often
 * a typo: what it was meant to select was left as it was. */
CORDON_API uint64_t cordon_stream_field_hits(const cordon_stream *stream, size_t i);
CORDON_API uint64_t cordon_stream_policy_hits(const cordon_stream *stream, size_t i);
CORDON_API uint64_t cordon_stream_id_hits(const cordon_stream *stream);

CORDON_API const char *cordon_stream_error(const cordon_stream *stream);

#ifdef __cplusplus
}
#endif
#endif
