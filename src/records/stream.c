/* The record stream: reads records with bounded memory (where each ends is
 * the format's one record_end function), hands each to its format, writes
 * the result, and fails closed: a record that cannot be parsed goes whole to
 * the quarantine file or stops the run, never out in clear; a record whose
 * end was not read (the input failed first) is never handed to a format. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "records/stream_internal.h"
#include "util/alloc.h"

enum { READ_CHUNK = 1 << 20, FLUSH_AT = 1 << 18 };

static const struct record_format *const formats[] = {
	[CORDON_FORMAT_TEXT] = &format_text,
	[CORDON_FORMAT_JSONL] = &format_jsonl,
	[CORDON_FORMAT_CSV] = &format_csv,
	[CORDON_FORMAT_ES_BULK] = &format_es_bulk,
};

cordon_code cordon_format_from_name(const char *name, cordon_format *out)
{
	if (!name || !out)
		return CORDON_ERR_ARG;
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(name, formats[i]->name)) {
			*out = (cordon_format)i;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

cordon_format cordon_format_guess(const char *filename)
{
	if (!filename)
		return CORDON_FORMAT_TEXT;
	size_t n = strlen(filename);
	if (ends_with(filename, n, ".gz"))
		n -= 3;
	else if (ends_with(filename, n, ".zst"))
		n -= 4;
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		for (const char *const *x = formats[i]->suffixes; x && *x; x++) {
			size_t k = strlen(*x);
			if (n >= k && !strncmp(filename + n - k, *x, k))
				return (cordon_format)i;
		}
	return CORDON_FORMAT_TEXT;
}

const char *cordon_format_name(cordon_format f, const char **what)
{
	if ((unsigned)f >= sizeof(formats) / sizeof(*formats))
		return NULL;
	if (what)
		*what = formats[f]->help;
	return formats[f]->name;
}

const char *cordon_compression_of(const void *head, size_t len)
{
	const unsigned char *p = head;
	if (!p)
		return NULL;
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "gzip";
	if (len >= 4 && ((p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) ||
			 ((p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18)))
		return "zstd";
	return NULL;
}

/* --- where records end ---------------------------------------------------- */

size_t format_record_end(const struct record_format *fmt, struct record_scan *sc, const char *rec, size_t len)
{
	if (fmt->record_end)
		return fmt->record_end(sc, rec, len);
	const char *nl = sc->seen < len ? memchr(rec + sc->seen, '\n', len - sc->seen) : NULL;
	if (nl)
		return (size_t)(nl - rec) + 1;
	sc->seen = len;
	return 0;
}

/* Lines: the last newline, and the newlines before it counted 8 bytes at a
 * time (an exact count of the zero bytes of x ^ '\n'...). */
static size_t line_boundary(const char *data, size_t len, uint64_t *records)
{
	const char *nl = len ? memrchr(data, '\n', len) : NULL;
	uint64_t n = 0;
	if (!nl) {
		*records = 0;
		return 0;
	}
	size_t end = (size_t)(nl - data) + 1, i = 0;
	const uint64_t lo7 = 0x7F7F7F7F7F7F7F7FULL, nls = 0x0A0A0A0A0A0A0A0AULL;
	for (; i + 8 <= end; i += 8) {
		uint64_t x;
		memcpy(&x, data + i, 8);
		x ^= nls;
		uint64_t t = ((x & lo7) + lo7) | x;
		n += (uint64_t)__builtin_popcountll(~t & ~lo7);
	}
	for (; i < end; i++)
		n += data[i] == '\n';
	*records = n;
	return end;
}

size_t format_boundary(const struct record_format *fmt, const char *data, size_t len, uint64_t *records)
{
	if (!fmt->record_end)
		return line_boundary(data, len, records);
	size_t at = 0;
	uint64_t n = 0;
	for (;;) {
		struct record_scan sc = { 0 };
		size_t e = fmt->record_end(&sc, data + at, len - at);
		if (!e)
			break;
		at += e;
		n++;
	}
	*records = n;
	return at;
}

/* --- the stream ------------------------------------------------------------ */

cordon_code cordon_stream_new(cordon_stream **out, cordon_engine *engine, const struct cordon_stream_options *opt)
{
	if (!out || !engine || !opt || (unsigned)opt->format >= sizeof(formats) / sizeof(*formats) ||
	    (opt->nfields && !opt->fields) || (opt->npolicies && !opt->policies) ||
	    (opt->restore && !opt->redactor))
		return CORDON_ERR_ARG;
	cordon_stream *st = calloc(1, sizeof(*st));
	if (!st)
		return CORDON_ERR_NOMEM;
	st->engine = engine;
	st->opt = *opt;
	if (!st->opt.max_record)
		st->opt.max_record = CORDON_STREAM_MAX_RECORD_DEFAULT;
	if (!st->opt.memory)
		st->opt.memory = CORDON_STREAM_MEMORY_DEFAULT;
	st->mode = !opt->redactor ? MODE_SCAN : opt->restore ? MODE_RESTORE : MODE_REDACT;
	st->format = formats[opt->format];
	cordon_code rc = stream_compile_paths(st);
	if (rc != CORDON_OK) {
		if (opt->error && opt->error_len)
			snprintf(opt->error, opt->error_len, "%s", *st->err ? st->err : cordon_strerror(rc));
		cordon_stream_free(st);
		return rc;
	}
	*out = st;
	return CORDON_OK;
}

void cordon_stream_free(cordon_stream *st)
{
	if (!st)
		return;
	if (!st->rbuf_borrowed)
		free(st->rbuf);
	cordon_buf_release(&st->out);
	stream_release_fields(st);
	stream_release_paths(st);
	if (st->format->release)
		st->format->release(st->format_state);
	free(st);
}

const char *cordon_stream_error(const cordon_stream *st)
{
	return st ? st->err : "";
}

cordon_code stream_fail(cordon_stream *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return CORDON_ERR_PARSE;
}

cordon_code stream_binary(cordon_stream *st, const char *rec, size_t len)
{
	const char *nul = memchr(rec, '\0', len);
	return nul ? stream_fail(st, "binary data: a NUL byte at byte %zu", (size_t)(nul - rec)) : CORDON_OK;
}

cordon_code stream_fatal(cordon_stream *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	st->fatal = 1;
	return CORDON_ERR_PARSE;
}

void stream_reset_format(cordon_stream *st)
{
	if (st->format->release)
		st->format->release(st->format_state);
	st->format_state = NULL;
	st->header_pending = st->format->has_header;
}

uint64_t stream_count_lines(const char *s, size_t n)
{
	uint64_t lines = 0;
	for (const char *end = s + n; (s = memchr(s, '\n', (size_t)(end - s))); s++)
		lines++;
	return lines;
}

void **stream_format_state(cordon_stream *st)
{
	return &st->format_state;
}

enum stream_mode stream_mode(const cordon_stream *st)
{
	return st->mode;
}

int stream_redacting(const cordon_stream *st)
{
	return st->mode != MODE_SCAN;
}

/* --- reading ----------------------------------------------------------------- */

static int flush_out(cordon_stream *st, FILE *out)
{
	if (st->out.len && fwrite(st->out.data, 1, st->out.len, out) != st->out.len) {
		snprintf(st->err, sizeof(st->err), "cannot write output: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	cordon_buf_reset(&st->out);
	return 0;
}

/* Reads more of the input behind what is unread. 1 read, 0 at the end,
 * -1 the input failed (st->read_failed), -2 stop (st->err, st->stop_rc). */
static int fill(cordon_stream *st, FILE *out, cordon_code *stop)
{
	if (!st->in) {
		st->eof = 1;
		return 0;
	}
	if (st->rstart) {
		memmove(st->rbuf, st->rbuf + st->rstart, st->rend - st->rstart);
		st->rend -= st->rstart;
		st->rstart = 0;
	}
	if (ALLOC_GROW(st->rbuf, st_add(st->rend, READ_CHUNK), st->rcap)) {
		snprintf(st->err, sizeof(st->err), "out of memory reading record %llu", (unsigned long long)st->record + 1);
		*stop = CORDON_ERR_NOMEM;
		return -2;
	}
	/* the input has nothing ready: let what is done go out before waiting */
	if (st->read_short && out && stream_redacting(st) && !input_ready(st->in)) {
		if (flush_out(st, out) || fflush(out) != 0) {
			if (!*st->err)
				snprintf(st->err, sizeof(st->err), "cannot write output: %s", strerror(errno));
			*stop = CORDON_ERR_IO;
			return -2;
		}
	}
	ssize_t r = input_read(st->in, st->rbuf + st->rend, READ_CHUNK);
	if (r < 0) {
		st->read_failed = 1;
		return -1;
	}
	if (r == 0) {
		st->eof = 1;
		return 0;
	}
	st->read_short = 1; /* any read may be the last one ready */
	st->rend += (size_t)r;
	st->stats->bytes_in += (uint64_t)r;
	if (st->opt.on_progress && st->opt.on_progress(st->opt.ctx, st->stats)) {
		snprintf(st->err, sizeof(st->err), "stopped by the progress callback");
		*stop = CORDON_ERR_CALLBACK;
		return -2;
	}
	return 1;
}

cordon_code stream_read_error(cordon_stream *st, struct input *in, uint64_t records)
{
	if (records)
		snprintf(st->err, sizeof(st->err), "%s (after record %llu)", input_error(in), (unsigned long long)records);
	else
		snprintf(st->err, sizeof(st->err), "%s (before the first record)", input_error(in));
	return input_error_code(in);
}

enum rec_status { REC_OK, REC_EOF, REC_TOO_LONG, REC_STOP };

/* The next record: rec[0..len) without its '\n' (*nl: there was one).
 * REC_TOO_LONG with *whole = 0: only its first part is here; the rest is
 * for skip_rest. REC_STOP: *stop says why. */
static enum rec_status next_record(cordon_stream *st, FILE *out, const char **rec, size_t *len, int *nl,
				   int *whole, cordon_code *stop)
{
	for (;;) {
		size_t avail = st->rend - st->rstart;
		size_t e = avail ? format_record_end(st->format, &st->scan, st->rbuf + st->rstart, avail) : 0;
		*rec = st->rbuf ? st->rbuf + st->rstart : ""; /* nothing read yet: no pointer arithmetic on NULL */
		if (e) {
			*len = e - 1;
			*nl = *whole = 1;
			st->rstart += e;
			memset(&st->scan, 0, sizeof(st->scan));
			return *len > st->opt.max_record ? REC_TOO_LONG : REC_OK;
		}
		if (avail > st->opt.max_record) { /* no end within the limit */
			*len = avail;
			*nl = *whole = 0;
			st->rstart = st->rend;
			st->scan.seen = 0;
			st->scan.head_lost = 1;
			return REC_TOO_LONG;
		}
		if (st->read_failed) { /* never the bytes of a record whose end was not read */
			*stop = stream_read_error(st, st->in, st->record);
			return REC_STOP;
		}
		if (st->eof) {
			if (!avail)
				return REC_EOF;
			*len = avail; /* the last record, with no newline after it */
			*nl = 0;
			*whole = 1;
			st->rstart = st->rend;
			memset(&st->scan, 0, sizeof(st->scan));
			return REC_OK;
		}
		if (fill(st, out, stop) == -2)
			return REC_STOP;
	}
}

/* Copies the rest of an over-long record to the quarantine (or drops it),
 * reading on with the format's record_end from where the first part ended. */
static cordon_code skip_rest(cordon_stream *st, FILE *out, FILE *q)
{
	for (;;) {
		if (st->rstart == st->rend) {
			if (st->read_failed) {
				snprintf(st->err, sizeof(st->err), "%s (in record %llu)", input_error(st->in),
					 (unsigned long long)st->record);
				return input_error_code(st->in);
			}
			if (st->eof)
				return CORDON_OK;
			cordon_code stop = CORDON_OK;
			if (fill(st, out, &stop) == -2)
				return stop;
			continue;
		}
		size_t avail = st->rend - st->rstart;
		size_t e = format_record_end(st->format, &st->scan, st->rbuf + st->rstart, avail);
		size_t n = e ? e : avail;
		if (st->opt.on_finding)
			st->line += stream_count_lines(st->rbuf + st->rstart, n);
		if (q && fwrite(st->rbuf + st->rstart, 1, n, q) != n) {
			snprintf(st->err, sizeof(st->err), "cannot write record %llu to the quarantine: %s",
				 (unsigned long long)st->record, strerror(errno));
			return CORDON_ERR_IO;
		}
		st->rstart += n;
		if (e) {
			memset(&st->scan, 0, sizeof(st->scan));
			return CORDON_OK;
		}
		st->scan.seen = 0;
	}
}

static cordon_code quarantine(cordon_stream *st, const char *rec, size_t len, int nl)
{
	FILE *q = st->opt.quarantine;
	if (fwrite(rec, 1, len, q) != len || (nl && fputc('\n', q) == EOF)) {
		snprintf(st->err, sizeof(st->err), "cannot write record %llu to the quarantine: %s",
			 (unsigned long long)st->record, strerror(errno));
		return CORDON_ERR_IO;
	}
	return CORDON_OK;
}

static cordon_code run(cordon_stream *st, FILE *out)
{
	struct cordon_stream_stats *stats = st->stats;
	cordon_code rc = CORDON_OK;
	for (;;) {
		const char *rec;
		size_t len;
		int nl, whole;
		cordon_code stop = CORDON_OK;
		enum rec_status rs = next_record(st, out, &rec, &len, &nl, &whole, &stop);
		if (rs == REC_EOF)
			break;
		if (rs == REC_STOP) {
			rc = stop != CORDON_OK ? stop : CORDON_ERR_IO;
			break;
		}
		int header = st->header_pending;
		if (!header)
			st->record++;
		if (st->opt.on_finding) { /* where the record starts, for findings */
			st->rec_line = st->line + 1;
			st->line += stream_count_lines(rec, len) + (nl ? 1 : 0);
		}
		if (rs == REC_TOO_LONG && header) {
			snprintf(st->err, sizeof(st->err),
				 "the header row is longer than the record limit of %zu bytes; no row can be "
				 "read without it",
				 st->opt.max_record);
			rc = CORDON_ERR_TOO_LARGE;
			break;
		}
		if (rs == REC_TOO_LONG) {
			if (!st->opt.quarantine) {
				snprintf(st->err, sizeof(st->err),
					 "record %llu is longer than the record limit of %zu bytes",
					 (unsigned long long)st->record, st->opt.max_record);
				rc = CORDON_ERR_TOO_LARGE;
				break;
			}
			if ((rc = quarantine(st, rec, len, nl)) != CORDON_OK ||
			    (!whole && (rc = skip_rest(st, out, st->opt.quarantine)) != CORDON_OK))
				break;
			stats->records_in++;
			stats->quarantined++;
			if (st->on_quarantine) {
				char why[96];
				snprintf(why, sizeof(why), "longer than the record limit of %zu bytes", st->opt.max_record);
				st->on_quarantine(st->quarantine_ctx, st->record, why);
			}
			continue;
		}
		size_t body = len;
		if (body && rec[body - 1] == '\r')
			body--; /* CRLF: the '\r' goes back after the record */
		size_t mark = st->out.len;
		st->fatal = 0;
		st->rec = rec;
		st->pos_rec = NULL; /* findings are placed from this record's start */
		rc = st->format->process(st, rec, body, &st->out);
		int stopped = st->opt.on_finding ? stream_release_held(st, rc == CORDON_OK) : 0;
		if (rc == CORDON_OK && stopped) {
			snprintf(st->err, sizeof(st->err), "record %llu: stopped by the findings callback",
				 (unsigned long long)st->record);
			rc = CORDON_ERR_CALLBACK;
		}
		/* a record not written: its findings were not replaced, not counted */
		for (uint64_t m = st->pending_mask; m; m &= m - 1) {
			unsigned e = (unsigned)__builtin_ctzll(m);
			if (rc == CORDON_OK)
				stats->findings[e] += st->pending[e];
			st->pending[e] = 0;
		}
		st->pending_mask = 0;
		if (rc == CORDON_OK)
			stats->restored += st->pending_restored;
		st->pending_restored = 0;
		if (rc == CORDON_ERR_PARSE && st->opt.quarantine && !st->fatal) {
			st->out.len = mark; /* nothing of a bad record is written */
			if ((rc = quarantine(st, rec, len, nl)) != CORDON_OK)
				break;
			stats->records_in++;
			stats->quarantined++;
			if (st->on_quarantine)
				st->on_quarantine(st->quarantine_ctx, st->record, st->err);
			continue;
		}
		if (rc != CORDON_OK) {
			char where[48];
			if (header)
				snprintf(where, sizeof(where), "the header row");
			else
				snprintf(where, sizeof(where), "record %llu", (unsigned long long)st->record);
			if (rc == CORDON_ERR_PARSE) {
				char reason[sizeof(st->err)];
				memcpy(reason, st->err, sizeof(reason));
				snprintf(st->err, sizeof(st->err), "%s: %.400s", where, reason);
			} else if (!*st->err) {
				snprintf(st->err, sizeof(st->err), "%s: %s", where, cordon_strerror(rc));
			}
			st->out.len = mark;
			break;
		}
		if (stream_redacting(st)) {
			if ((body < len && cordon_buf_putc(&st->out, '\r')) || (nl && cordon_buf_putc(&st->out, '\n'))) {
				rc = CORDON_ERR_NOMEM;
				break;
			}
			if (st->out.len >= FLUSH_AT && flush_out(st, out)) {
				rc = CORDON_ERR_IO;
				break;
			}
		}
		if (header) { /* written, not counted: the header is not a record */
			st->header_pending = 0;
			continue;
		}
		stats->records_in++;
		stats->records_out++;
	}
	if (stream_redacting(st) && flush_out(st, out) && rc == CORDON_OK)
		rc = CORDON_ERR_IO;
	return rc;
}

cordon_code stream_put_bom(cordon_stream *st, struct input *in)
{
	if (!stream_redacting(st) || !input_had_bom(in))
		return CORDON_OK;
	return cordon_buf_append(&st->out, "\xef\xbb\xbf", 3) ? CORDON_ERR_NOMEM : CORDON_OK;
}

cordon_code stream_run_input(cordon_stream *st, struct input *in, const char *prefix, size_t n, FILE *out,
			     struct cordon_stream_stats *stats, int first)
{
	st->in = in;
	st->stats = stats;
	st->eof = st->read_failed = st->read_short = 0;
	st->rstart = st->rend = 0;
	memset(&st->scan, 0, sizeof(st->scan));
	*st->err = '\0';
	if (n) {
		if (ALLOC_GROW(st->rbuf, st_add(n, READ_CHUNK), st->rcap))
			return CORDON_ERR_NOMEM;
		memcpy(st->rbuf, prefix, n);
		st->rend = n;
	}
	cordon_code rc = CORDON_OK;
	if (first) {
		cordon_code stop = CORDON_OK;
		if (fill(st, out, &stop) == -2)
			rc = stop;
		else if (!st->read_failed) /* as --jobs does: only once reading went well */
			rc = stream_put_bom(st, in);
	}
	if (rc == CORDON_OK)
		rc = run(st, out);
	st->in = NULL;
	return rc;
}

cordon_code stream_run_chunk(cordon_stream *st, const char *data, size_t len, FILE *out,
			     struct cordon_stream_stats *stats)
{
	char *own = st->rbuf;
	size_t own_cap = st->rcap;
	st->in = NULL;
	st->stats = stats;
	st->rbuf = (char *)data;
	st->rbuf_borrowed = 1;
	st->rcap = st->rend = len;
	st->rstart = 0;
	st->eof = 1;
	st->read_failed = st->read_short = 0;
	memset(&st->scan, 0, sizeof(st->scan));
	*st->err = '\0';
	cordon_code rc = run(st, out);
	st->rbuf = own;
	st->rcap = own_cap;
	st->rbuf_borrowed = 0;
	st->rstart = st->rend = 0;
	return rc;
}

cordon_code stream_run_message(cordon_stream *st, const char *data, size_t len, FILE *out,
			       struct cordon_stream_stats *stats,
			       void (*on_quarantine)(void *ctx, uint64_t record, const char *reason), void *ctx)
{
	if (!st || !stats || (len && !data) || (stream_redacting(st) && !out))
		return CORDON_ERR_ARG;
	stream_reset_format(st);
	st->record = 0;
	st->line = 0;
	st->on_quarantine = on_quarantine;
	st->quarantine_ctx = ctx;
	cordon_code rc = stream_run_chunk(st, len ? data : "", len, out, stats);
	st->on_quarantine = NULL;
	st->quarantine_ctx = NULL;
	if (rc == CORDON_OK)
		*st->err = '\0';
	return rc;
}

static cordon_code run_source(cordon_stream *st, int fd, FILE *f, FILE *out, struct cordon_stream_stats *stats,
			      unsigned jobs)
{
	if (!st || (fd < 0 && !f) || !stats || (stream_redacting(st) && !out))
		return CORDON_ERR_ARG;
	struct input *in = input_new(fd, f, st->opt.encoding);
	if (!in)
		return CORDON_ERR_NOMEM;
	stream_reset_format(st); /* each input has its own header */
	st->line = 0;
	if (jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (unsigned)n : 1;
	}
	cordon_code rc = jobs > 1 ? stream_run_parallel(st, in, out, stats, jobs)
				  : stream_run_input(st, in, NULL, 0, out, stats, 1);
	input_free(in);
	if (rc == CORDON_OK)
		*st->err = '\0'; /* a quarantined record's reason is not the run's */
	return rc;
}

cordon_code cordon_stream_run(cordon_stream *st, FILE *in, FILE *out, struct cordon_stream_stats *stats)
{
	return run_source(st, -1, in, out, stats, 1);
}

cordon_code cordon_stream_run_jobs(cordon_stream *st, FILE *in, FILE *out, struct cordon_stream_stats *stats,
				   unsigned jobs)
{
	return run_source(st, -1, in, out, stats, jobs);
}

cordon_code cordon_stream_run_fd(cordon_stream *st, int fd, FILE *out, struct cordon_stream_stats *stats,
				 unsigned jobs)
{
	return fd < 0 ? CORDON_ERR_ARG : run_source(st, fd, NULL, out, stats, jobs);
}
