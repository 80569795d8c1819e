/* The contract between the stream (reading, quarantine, counting) and the
 * record formats, one file per format. A format parses one record and hands
 * each text field to stream_field_scan / stream_field_write. */
#ifndef CORDON_RECORDS_FORMAT_H
#define CORDON_RECORDS_FORMAT_H

#include <stdint.h>
#include "cordon/records.h"
#include "util/buf.h"

struct record_format {
	const char *name;
	/* Processes rec[0..len) (no line terminator). When redacting, appends the
	 * redacted record to out. On a malformed record returns CORDON_ERR_PARSE
	 * with the reason in stream->err (via stream_fail). */
	cordon_code (*process)(cordon_stream *st, const char *rec, size_t len, struct cordon_buf *out);
	/* Frees the format's per-stream state (NULL: it keeps none). */
	void (*release)(void *state);
	/* For records that may span lines (a quoted CSV field, a bulk action and
	 * its document): is rec[0..len), lines joined by '\n', a whole record?
	 * NULL: every line is a record. */
	int (*complete)(cordon_stream *st, const char *rec, size_t len);
	/* For cutting input into chunks (--jobs): the end of the last whole
	 * record in data[0..len), which starts at a record boundary, and the
	 * number of records before it. NULL: records are lines. */
	size_t (*boundary)(const char *data, size_t len, uint64_t *records);
	/* The first record is a header every chunk needs (CSV). */
	int has_header;
};

/* The format's per-stream state slot, NULL until the format fills it. */
void **stream_format_state(cordon_stream *st);

extern const struct record_format format_text, format_jsonl, format_csv, format_es_bulk;

/* Is the stream redacting (rather than only scanning)? */
int stream_redacting(const cordon_stream *st);
/* What to do with the field at this path (JSON path or CSV column). */
cordon_field_action stream_field_action(const cordon_stream *st, const char *path);

/* A text field of the current record: text[0..len) as decoded; raw is the
 * record, and map[i] (NULL: i + base) the raw offset of decoded byte i. */
struct field {
	const char *text;
	size_t len;
	const char *raw;
	const size_t *map;
	size_t base;
	const char *path; /* NULL for text records */
};

/* Finds personal data in a field, reports each finding and counts it.
 * Returns the number found, or -1 on error. */
int stream_field_scan(cordon_stream *st, const struct field *f,
		      const struct cordon_finding **findings);
/* Why the last stream_field_scan failed: CORDON_ERR_PARSE (the record cannot
 * be scanned: quarantine it) or another code (stop). */
cordon_code stream_scan_error(const cordon_stream *st);
/* How a replacement is written into its field. */
enum field_escape {
	ESCAPE_NONE, /* text lines, unquoted CSV fields */
	ESCAPE_JSON, /* inside a JSON string */
	ESCAPE_CSV   /* inside a quoted CSV field */
};

/* Appends the field's raw bytes with each finding replaced. */
cordon_code stream_field_write(cordon_stream *st, const struct field *f,
			       const struct cordon_finding *findings, size_t n,
			       enum field_escape escape, struct cordon_buf *out);

/* Is path the id field? Then the format hands its value to stream_set_id. */
int stream_is_id_field(const cordon_stream *st, const char *path);
void stream_set_id(cordon_stream *st, const char *value, size_t len);

/* Appends the replacement of a whole value (a tag or pseudonym policy), for
 * the field at path. */
cordon_code stream_value_write(cordon_stream *st, cordon_field_action action, const char *path,
			       const char *value, size_t len, enum field_escape escape,
			       struct cordon_buf *out);

/* JSON parsing shared by the JSON-lines and bulk formats (records/jsonl.c).
 * Parses rec[start..len) as one JSON value; with JSON_REDACT, finds personal
 * data in the selected strings and, when redacting, appends rec[start..len)
 * with them replaced to out. *slot holds the parser's state between calls
 * (free it with json_state_release). Paths leave out the top-level keys in
 * transparent (NULL-terminated), so "doc.email" matches --field email. */
enum json_mode { JSON_REDACT, JSON_VALIDATE };
cordon_code json_record(cordon_stream *st, void **slot, const char *rec, size_t start, size_t len,
			struct cordon_buf *out, enum json_mode mode,
			const char *const *transparent);
void json_state_release(void *state);

/* Records the reason a record failed, printf-style; returns CORDON_ERR_PARSE. */
cordon_code stream_fail(cordon_stream *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
