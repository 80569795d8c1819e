/* The record stream's state, shared by stream.c (one thread) and parallel.c
 * (--jobs), which runs one stream per worker over chunks of the input. */
#ifndef CORDON_RECORDS_STREAM_INTERNAL_H
#define CORDON_RECORDS_STREAM_INTERNAL_H

#include "records/format.h"

enum { PREVIEW_MAX = 96 };

struct cordon_stream {
	cordon_engine *engine;
	struct cordon_stream_options opt;
	const struct record_format *format;
	struct cordon_stream_stats *stats;
	uint64_t record;
	char *rbuf; /* read buffer: [rstart, rend) unread */
	size_t rcap, rstart, rend;
	int eof;
	struct cordon_buf out;
	void *format_state;
	char preview[PREVIEW_MAX];
	char err[512];
	/* with id_field: the current record's findings, held until it is done */
	struct held_finding *held;
	size_t nheld, capheld;
	struct cordon_buf record_id;
	int have_id;
	uint64_t pending[CORDON_ENTITY_MAX]; /* findings of the current record */
	uint64_t pending_mask;               /* entities with pending[e] > 0 */
	cordon_code scan_rc;                 /* why stream_field_scan failed */
};

struct held_finding {
	struct cordon_record_finding f;
	char *field, *canonical;
	char preview[PREVIEW_MAX];
};

/* Drops the format's per-stream state (a CSV header), as for a new input. */
void stream_reset_format(cordon_stream *st);

/* cordon_stream_run, with prefix[0..n) (already counted in bytes_in) read
 * before in: for the rest of an input that --jobs hands back to one stream. */
cordon_code stream_run_primed(cordon_stream *st, const char *prefix, size_t n, FILE *in,
			      FILE *out, struct cordon_stream_stats *stats);

#endif
