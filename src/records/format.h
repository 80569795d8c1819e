/* The contract between the stream (reading, quarantine, counting) and the
 * record formats, one file per format. A format says where its records end
 * (one function, used alike to read records, to skip an over-long one and to
 * cut the input into chunks for --jobs), parses one record and hands each
 * text field to stream_field_scan / stream_field_write. */
#ifndef CORDON_RECORDS_FORMAT_H
#define CORDON_RECORDS_FORMAT_H

#include <stdint.h>
#include "cordon/records.h"
#include "util/buf.h"

/* Where the record being read stands; zeroed at each record's start. */
struct record_scan {
	size_t seen;   /* bytes of the record examined so far */
	size_t lines;  /* newlines passed inside it */
	size_t need;   /* es-bulk: lines the record takes, 0 while unknown */
	int quoted;    /* csv: inside a quoted field */
	int head_lost; /* its first bytes are gone (an over-long record being
			  skipped): decide without them */
};

struct record_format {
	const char *name;
	/* Processes rec[0..len) (no '\n' at the end). When redacting, appends
	 * the redacted record to out. On a malformed record returns
	 * CORDON_ERR_PARSE with the reason in stream->err (via stream_fail). */
	cordon_code (*process)(cordon_stream *st, const char *rec, size_t len, struct cordon_buf *out);
	/* Frees the format's per-stream state (NULL: it keeps none). */
	void (*release)(void *state);
	/* Where a record ends: examines rec[sc->seen, len) of the record that
	 * starts at rec[0] (with sc->head_lost, rec[0] is only where the bytes
	 * still held begin), and returns the record's length up to and
	 * including the '\n' that ends it, or 0 when it goes on past len
	 * (sc->seen is then len). NULL: every line is a record. */
	size_t (*record_end)(struct record_scan *sc, const char *rec, size_t len);
	/* The first record is a header every chunk needs (CSV). */
	int has_header;
	/* File name suffixes that mean this format (".csv"), NULL-ended; and
	 * what it is, for help texts. */
	const char *const *suffixes;
	const char *help;
};

/* The end of the record at rec[0] as fmt defines it (see record_end). */
size_t format_record_end(const struct record_format *fmt, struct record_scan *sc, const char *rec, size_t len);
/* For cutting input into chunks (--jobs): the end of the last whole record
 * in data[0..len), which starts at a record boundary, and how many records
 * come before it. */
size_t format_boundary(const struct record_format *fmt, const char *data, size_t len, uint64_t *records);

/* The format's per-stream state slot, NULL until the format fills it. */
void **stream_format_state(cordon_stream *st);

extern const struct record_format format_text, format_jsonl, format_csv, format_es_bulk;

/* What the stream is doing with the records. */
enum stream_mode {
	MODE_SCAN,    /* find personal data, write nothing */
	MODE_REDACT,  /* write records with personal data replaced */
	MODE_RESTORE  /* write records with encrypt tokens turned back */
};
enum stream_mode stream_mode(const cordon_stream *st);
/* Is the stream writing records (redacting or restoring)? */
int stream_redacting(const cordon_stream *st);

/* Field paths. A JSON value's path is the list of object keys leading to it
 * (arrays are transparent), kept encoded: each key as its length (LEB128)
 * then its bytes, so "a.b" as one key and a then b as two never meet, and
 * no key is ever cut. Policies and --field paths are compiled to the same
 * encoding. */
struct field_path {
	struct cordon_buf enc;
	/* keys findings show otherwise than as they are (masked: they hold
	 * personal data), one after another */
	struct cordon_buf shown;
	/* per key: enc.len before it, and its text in shown (SIZE_MAX: none) */
	struct path_mark {
		size_t enc, shown_start, shown_end;
	} *marks;
	size_t depth, cap;
};
void field_path_release(struct field_path *p);
void field_path_clear(struct field_path *p);
/* Adds a key. */
int field_path_push(struct field_path *p, const char *key, size_t len) __attribute__((warn_unused_result));
/* The key at depth d (0: the outermost), as written; 0 when there is none. */
size_t field_path_key(const struct field_path *p, size_t d, const char **key);
/* Findings show the last key as this (its masked form). */
int field_path_show(struct field_path *p, const char *shown, size_t len) __attribute__((warn_unused_result));
void field_path_pop(struct field_path *p);
/* Appends the path as findings show it: keys joined by '.', a '.' or '\'
 * in a key escaped, a key holding personal data masked. Built only when a
 * finding needs it. */
int field_path_display(const struct field_path *p, size_t depth, struct cordon_buf *out)
	__attribute__((warn_unused_result));

/* What to do with the value at this path (a JSON path, encoded), or a CSV
 * column (name, as it is written). Counts a hit for every policy and
 * --field the path falls under. */
cordon_field_action stream_path_action(cordon_stream *st, const struct field_path *path, int count);
cordon_field_action stream_column_action(cordon_stream *st, const char *name, size_t len, int count);

/* A text field of the current record: text[0..len) as decoded; raw is the
 * record, and map[i] (NULL: i + base) the raw offset of decoded byte i. */
struct field {
	const char *text;
	size_t len;
	const char *raw;
	const size_t *map;
	size_t base;
	/* where it is, for findings: a JSON path (encoded), a CSV column, or
	 * neither for text records */
	const struct field_path *path;
	const char *column;
	size_t column_len;
	int utf8;   /* text is known to be valid UTF-8 (JSON strings) */
	int is_key; /* an object key, not a value */
};

/* Finds personal data in a field (or, restoring, the tokens in it), reports
 * each finding and counts it. Text that is not valid UTF-8 is read as
 * Windows-1252 for detection (the bytes written stay the input's): f then
 * points to that view. Returns the number found, or -1 on error. */
int stream_field_scan(cordon_stream *st, struct field *f, const struct cordon_finding **findings);
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

/* Does the engine have user rules? (Without them, no detector finds
 * anything in a number of fewer than 7 digits.) */
int stream_has_rules(const cordon_stream *st);

/* Is this the id field? Then the format hands its value to stream_set_id. */
int stream_is_id_path(const cordon_stream *st, const struct field_path *path);
int stream_is_id_column(const cordon_stream *st, const char *name, size_t len);
void stream_set_id(cordon_stream *st, const char *value, size_t len);

/* Appends the replacement of a whole value (a tag or pseudonym policy);
 * label names it ("EMAIL" for customer.email). */
cordon_code stream_value_write(cordon_stream *st, cordon_field_action action, const char *label,
			       size_t label_len, const char *value, size_t len, enum field_escape escape,
			       struct cordon_buf *out);

/* JSON parsing shared by the JSON-lines and bulk formats (records/jsonl.c).
 * Parses rec[start..len) as one JSON value; with JSON_REDACT, finds personal
 * data in the selected strings (keys included) and, when writing, appends
 * rec[start..len) with them replaced to out. *slot holds the parser's state
 * between calls (free it with json_state_release). Keys in transparent
 * (NULL-terminated) are left out of paths at the top level, so "doc.email"
 * matches --field email. */
enum json_mode { JSON_REDACT, JSON_VALIDATE };
cordon_code json_record(cordon_stream *st, void **slot, const char *rec, size_t start, size_t len,
			struct cordon_buf *out, enum json_mode mode,
			const char *const *transparent);
void json_state_release(void *state);

/* Records the reason a record failed, printf-style; returns CORDON_ERR_PARSE. */
cordon_code stream_fail(cordon_stream *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A record holding a NUL byte is binary data, not text: CORDON_ERR_PARSE
 * naming where. Each format's process starts with it. */
cordon_code stream_binary(cordon_stream *st, const char *rec, size_t len);
/* The same for a record the rest cannot be read without (a CSV header): it
 * stops the run, quarantine or not. */
cordon_code stream_fatal(cordon_stream *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
