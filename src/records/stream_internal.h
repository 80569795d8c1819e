/* The record stream's state, shared by stream.c (one thread), fields.c
 * (paths, policies, findings) and parallel.c (--jobs), which runs one
 * stream per worker over chunks of the input. */
#ifndef CORDON_RECORDS_STREAM_INTERNAL_H
#define CORDON_RECORDS_STREAM_INTERNAL_H

#include "records/format.h"
#include "records/input.h"

enum { PREVIEW_MAX = 96 };

/* A policy or --field path, compiled: its keys encoded as field paths are
 * (enc), and as one CSV column name (flat: the path with escapes read). */
struct compiled_path {
	char *enc, *flat;
	size_t enc_len, flat_len;
	cordon_field_action action; /* policies */
};

struct held_finding {
	struct cordon_record_finding f;
	char *field, *canonical;
	char preview[PREVIEW_MAX];
};

struct cordon_stream {
	cordon_engine *engine;
	struct cordon_stream_options opt;
	enum stream_mode mode;
	const struct record_format *format;
	struct cordon_stream_stats *stats;
	uint64_t record; /* the number of the record being read */
	int header_pending; /* the next record is the format's header row: no
			       number, not counted (CSV) */
	uint64_t line;      /* lines before the next record (with findings only) */
	uint64_t rec_line;  /* the line the record in process starts on */
	const char *rec;    /* the record in process, as read */
	/* where the last finding of rec was placed, so the next is placed from
	 * there: a record's findings cost its length once, not each time */
	const char *pos_rec;
	size_t pos_at, pos_col;
	uint64_t pos_line;
	struct compiled_path *policies, *fields, id;
	uint64_t *policy_hits, *field_hits, id_hits;
	int have_id_path;
	/* reading: rbuf[rstart, rend) not yet handed out */
	struct input *in; /* NULL: rbuf is a chunk given whole (a worker's) */
	char *rbuf;
	size_t rcap, rstart, rend;
	int rbuf_borrowed;
	int eof;         /* the input ended cleanly */
	int read_failed; /* it failed: records ended before the failure still go */
	int read_short;  /* the last read got less than asked: flush before waiting */
	struct record_scan scan; /* of the record at rstart */
	struct cordon_buf out;
	void *format_state;
	char preview[PREVIEW_MAX];
	char err[512];
	/* the current record's findings, held until it is done */
	struct held_finding *held;
	size_t nheld, capheld;
	struct cordon_buf record_id;
	int have_id;
	uint64_t pending[CORDON_ENTITY_MAX]; /* findings of the current record */
	uint64_t pending_mask;               /* entities with pending[e] > 0 */
	uint64_t pending_restored;
	cordon_code scan_rc;                 /* why stream_field_scan failed */
	int fatal;                           /* the record failing stops the run */
	/* scratch for fields */
	struct cordon_buf view, display, canon;
	size_t *view_map;
	size_t view_cap;
	struct cordon_finding *tokens;
	size_t ntokens, captokens;
	/* a field's whole value, when its name says what it holds */
	struct cordon_finding whole;
	/* stream_run_message: told of each record set aside, and why */
	void (*on_quarantine)(void *ctx, uint64_t record, const char *reason);
	void *quarantine_ctx;
};

/* Drops the format's per-stream state (a CSV header), as for a new input:
 * the next record is its header again. */
void stream_reset_format(cordon_stream *st);

/* Compiles options->policies, fields and id_field into st; frees them. */
cordon_code stream_compile_paths(cordon_stream *st);
void stream_release_paths(cordon_stream *st);
/* Hands over (deliver) or forgets the findings held for the record just
 * done. Non-zero when a callback asked to stop. */
int stream_release_held(cordon_stream *st, int deliver);
void stream_release_fields(cordon_stream *st);
/* Gives back buffers a huge record grew (a worker between chunks). */
void stream_trim(cordon_stream *st);

/* Runs the stream over an input, serially, from a record boundary: prefix
 * [0..n) (already counted in bytes_in) comes first, then the input. */
cordon_code stream_run_input(cordon_stream *st, struct input *in, const char *prefix, size_t n, FILE *out,
			     struct cordon_stream_stats *stats, int first);
/* Runs a worker's stream over a whole chunk in memory (no input layer:
 * the chunk is decoded already). */
cordon_code stream_run_chunk(cordon_stream *st, const char *data, size_t len, FILE *out,
			     struct cordon_stream_stats *stats);
/* Runs the stream over one message held whole in memory (the NATS
 * worker's), as a new input: a CSV header again, records numbered from 1.
 * on_quarantine, when not NULL, is told of each record the quarantine
 * takes, after it is written there, with the reason (never its content). */
cordon_code stream_run_message(cordon_stream *st, const char *data, size_t len, FILE *out,
			       struct cordon_stream_stats *stats,
			       void (*on_quarantine)(void *ctx, uint64_t record, const char *reason), void *ctx);
/* --jobs (parallel.c). */
cordon_code stream_run_parallel(cordon_stream *st, struct input *in, FILE *out,
				struct cordon_stream_stats *stats, unsigned jobs);
/* Says why the input failed, after how many records; its code. */
cordon_code stream_read_error(cordon_stream *st, struct input *in, uint64_t records);
/* Newlines in s[0, n). */
uint64_t stream_count_lines(const char *s, size_t n);
/* For tests: the bytes a --jobs chunk takes (0: the 4 MiB default). */
void stream_set_chunk_size(size_t bytes);
/* Writes the byte-order mark the input had, when writing. */
cordon_code stream_put_bom(cordon_stream *st, struct input *in);

#endif
