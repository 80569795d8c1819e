/* The record stream: reads lines with bounded memory, hands each record to its
 * format, writes the result, and fails closed: a record that cannot be parsed
 * goes whole to the quarantine file or stops the run, never out in clear. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "records/format.h"
#include "records/stream_internal.h"

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

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

cordon_format cordon_format_guess(const char *filename)
{
	if (!filename)
		return CORDON_FORMAT_TEXT;
	char name[512];
	snprintf(name, sizeof(name), "%s", filename);
	for (const char *const *z = (const char *const[]){ ".gz", ".zst", NULL }; *z; z++)
		if (ends_with(name, *z))
			name[strlen(name) - strlen(*z)] = '\0';
	if (ends_with(name, ".jsonl") || ends_with(name, ".ndjson") || ends_with(name, ".json"))
		return CORDON_FORMAT_JSONL;
	if (ends_with(name, ".csv"))
		return CORDON_FORMAT_CSV;
	return CORDON_FORMAT_TEXT;
}

static void release_held(cordon_stream *st, int deliver);

cordon_code cordon_stream_new(cordon_stream **out, cordon_engine *engine,
			      const struct cordon_stream_options *opt)
{
	if (!out || !engine || !opt || (unsigned)opt->format >= sizeof(formats) / sizeof(*formats))
		return CORDON_ERR_ARG;
	cordon_stream *st = calloc(1, sizeof(*st));
	if (!st)
		return CORDON_ERR_NOMEM;
	st->engine = engine;
	st->opt = *opt;
	if (!st->opt.max_record)
		st->opt.max_record = CORDON_STREAM_MAX_RECORD_DEFAULT;
	st->format = formats[opt->format];
	cordon_buf_init(&st->out, 0);
	*out = st;
	return CORDON_OK;
}

void cordon_stream_free(cordon_stream *st)
{
	if (!st)
		return;
	free(st->rbuf);
	cordon_buf_release(&st->out);
	release_held(st, 0);
	free(st->held);
	cordon_buf_release(&st->record_id);
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

void stream_reset_format(cordon_stream *st)
{
	if (st->format->release)
		st->format->release(st->format_state);
	st->format_state = NULL;
}

void **stream_format_state(cordon_stream *st)
{
	return &st->format_state;
}

int stream_redacting(const cordon_stream *st)
{
	return st->opt.redactor != NULL;
}

/* Is path the field f or inside it? */
static size_t path_in(const char *path, const char *f)
{
	size_t n = strlen(f);
	return !strncmp(path, f, n) && (path[n] == '\0' || path[n] == '.') ? n + 1 : 0;
}

cordon_field_action stream_field_action(const cordon_stream *st, const char *path)
{
	size_t best = 0;
	cordon_field_action action = CORDON_FIELD_SCAN;
	for (size_t i = 0; i < st->opt.npolicies; i++) {
		size_t m = path_in(path, st->opt.policies[i].path);
		if (m > best) {
			best = m;
			action = st->opt.policies[i].action;
		}
	}
	if (best)
		return action;
	if (!st->opt.fields || !st->opt.nfields)
		return CORDON_FIELD_SCAN;
	for (size_t i = 0; i < st->opt.nfields; i++)
		if (path_in(path, st->opt.fields[i]))
			return CORDON_FIELD_SCAN;
	return CORDON_FIELD_KEEP;
}

static size_t raw_at(const struct field *f, size_t i)
{
	return f->map ? f->map[i] : f->base + i;
}

int stream_is_id_field(const cordon_stream *st, const char *path)
{
	return st->opt.id_field && !strcmp(st->opt.id_field, path);
}

void stream_set_id(cordon_stream *st, const char *value, size_t len)
{
	cordon_buf_reset(&st->record_id);
	st->have_id = !cordon_buf_append(&st->record_id, value, len) &&
		      !cordon_buf_putc(&st->record_id, '\0');
}

static int hold(cordon_stream *st, const struct cordon_record_finding *rf)
{
	if (st->nheld == st->capheld) {
		size_t cap = st->capheld ? st->capheld * 2 : 16;
		struct held_finding *v = realloc(st->held, cap * sizeof(*v));
		if (!v)
			return -1;
		st->held = v;
		st->capheld = cap;
	}
	struct held_finding *h = &st->held[st->nheld];
	h->f = *rf;
	h->field = rf->field ? strdup(rf->field) : NULL;
	h->canonical = rf->canonical ? strdup(rf->canonical) : NULL;
	snprintf(h->preview, sizeof(h->preview), "%s", rf->preview);
	if ((rf->field && !h->field) || (rf->canonical && !h->canonical)) {
		free(h->field);
		free(h->canonical);
		return -1;
	}
	st->nheld++;
	return 0;
}

/* Hands over (deliver) or forgets the findings held for the record just done. */
static void release_held(cordon_stream *st, int deliver)
{
	for (size_t k = 0; k < st->nheld; k++) {
		struct held_finding *h = &st->held[k];
		if (deliver) {
			h->f.field = h->field;
			h->f.canonical = h->canonical;
			h->f.preview = h->preview;
			h->f.record_id = st->have_id ? st->record_id.data : NULL;
			st->opt.on_finding(st->opt.ctx, &h->f);
		}
		free(h->field);
		free(h->canonical);
	}
	st->nheld = 0;
	st->have_id = 0;
}

cordon_code stream_scan_error(const cordon_stream *st)
{
	return st->scan_rc;
}

int stream_field_scan(cordon_stream *st, const struct field *f,
		      const struct cordon_finding **findings)
{
	size_t n;
	char canon[512];
	cordon_code rc = cordon_engine_scan(st->engine, f->text, f->len, findings, &n);
	if (rc != CORDON_OK) {
		/* a rule too costly for this record: the record is bad, not the run */
		st->scan_rc = rc == CORDON_ERR_TOO_LARGE ? stream_fail(st, "%s", cordon_engine_error(st->engine)) : rc;
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		const struct cordon_finding *x = &(*findings)[k];
		st->pending[x->entity]++;
		st->pending_mask |= CORDON_ENTITY_BIT(x->entity);
		if (!st->opt.on_finding)
			continue;
		cordon_finding_mask(f->text, x, st->preview, sizeof(st->preview));
		if (st->opt.with_values)
			cordon_finding_canonical(f->text, x, canon, sizeof(canon));
		struct cordon_record_finding rf = {
			.record = st->record,
			.field = f->path,
			.entity = x->entity,
			.start = raw_at(f, x->start),
			.end = raw_at(f, x->end),
			.score = x->score,
			.preview = st->preview,
			.canonical = st->opt.with_values ? canon : NULL,
			.rule = x->rule,
			.context = x->context,
		};
		if (hold(st, &rf)) /* handed over when the record is done */
			return -1;
	}
	explicit_bzero(canon, sizeof(canon));
	return (int)n;
}

static int put_json_escaped(struct cordon_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			if (cordon_buf_putc(out, '\\') || cordon_buf_putc(out, (char)c))
				return -1;
		} else if (c < 0x20) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			if (cordon_buf_append(out, e, sizeof(e)))
				return -1;
		} else if (cordon_buf_putc(out, (char)c)) {
			return -1;
		}
	}
	return 0;
}

/* Inside a quoted CSV field a quote is written twice. */
static int put_csv_escaped(struct cordon_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] == '"' && cordon_buf_putc(out, '"')) || cordon_buf_putc(out, s[i]))
			return -1;
	return 0;
}

cordon_code stream_field_write(cordon_stream *st, const struct field *f,
			       const struct cordon_finding *findings, size_t n,
			       enum field_escape escape, struct cordon_buf *out)
{
	size_t prev = 0;
	for (size_t k = 0; k < n; k++) {
		const char *repl;
		size_t rlen;
		cordon_code rc = cordon_redactor_replace(st->opt.redactor, f->text, &findings[k],
							 &repl, &rlen);
		if (rc != CORDON_OK) {
			snprintf(st->err, sizeof(st->err), "%s", cordon_redactor_error(st->opt.redactor));
			return rc;
		}
		size_t a = raw_at(f, prev), b = raw_at(f, findings[k].start);
		if (cordon_buf_append(out, f->raw + a, b - a))
			return CORDON_ERR_NOMEM;
		int bad = escape == ESCAPE_JSON  ? put_json_escaped(out, repl, rlen)
			  : escape == ESCAPE_CSV ? put_csv_escaped(out, repl, rlen)
						 : cordon_buf_append(out, repl, rlen);
		if (bad)
			return CORDON_ERR_NOMEM;
		prev = findings[k].end;
	}
	size_t a = raw_at(f, prev), b = raw_at(f, f->len);
	if (cordon_buf_append(out, f->raw + a, b - a))
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

cordon_code stream_value_write(cordon_stream *st, cordon_field_action action, const char *path,
			       const char *value, size_t len, enum field_escape escape,
			       struct cordon_buf *out)
{
	/* the label: the last path component, upper case ("customer.email" ->
	 * EMAIL), so a token says what it stands for */
	char label[64];
	const char *last = strrchr(path, '.');
	last = last ? last + 1 : path;
	size_t n = 0;
	for (; *last && n + 1 < sizeof(label); last++)
		label[n++] = (char)((*last >= 'a' && *last <= 'z') ? *last - 32
				    : ((*last >= 'A' && *last <= 'Z') || (*last >= '0' && *last <= '9'))
					    ? *last : '_');
	label[n] = '\0';
	const char *repl;
	size_t rlen;
	cordon_code rc = cordon_redactor_replace_value(
		st->opt.redactor, action == CORDON_FIELD_PSEUDONYM ? CORDON_OP_PSEUDONYM : CORDON_OP_TAG,
		value, len, n ? label : "VALUE", &repl, &rlen);
	if (rc != CORDON_OK) {
		snprintf(st->err, sizeof(st->err), "%s", cordon_redactor_error(st->opt.redactor));
		return rc;
	}
	int bad = escape == ESCAPE_JSON  ? put_json_escaped(out, repl, rlen)
		  : escape == ESCAPE_CSV ? put_csv_escaped(out, repl, rlen)
					 : cordon_buf_append(out, repl, rlen);
	return bad ? CORDON_ERR_NOMEM : CORDON_OK;
}

/* --- reading ------------------------------------------------------------- */

enum line_status { LINE_OK, LINE_EOF, LINE_TOO_LONG, LINE_IO };

/* The next line without its '\n': *line, *len; *nl says whether one ended it. */
static enum line_status next_line(cordon_stream *st, FILE *in, const char **line, size_t *len,
				  int *nl)
{
	size_t scanned = 0;
	for (;;) {
		size_t unread = st->rend - st->rstart - scanned;
		char *p = unread ? memchr(st->rbuf + st->rstart + scanned, '\n', unread) : NULL;
		if (p) {
			*line = st->rbuf + st->rstart;
			*len = (size_t)(p - *line);
			if (st->format->complete && *len <= st->opt.max_record &&
			    !st->format->complete(st, *line, *len)) {
				scanned = *len + 1; /* the record goes on past this newline */
				continue;
			}
			*nl = 1;
			st->rstart += *len + 1;
			return *len > st->opt.max_record ? LINE_TOO_LONG : LINE_OK;
		}
		scanned = st->rend - st->rstart;
		if (scanned > st->opt.max_record) {
			*line = st->rbuf + st->rstart;
			*len = scanned;
			*nl = 0;
			st->rstart = st->rend;
			return LINE_TOO_LONG;
		}
		if (st->eof) {
			if (!scanned)
				return LINE_EOF;
			*line = st->rbuf + st->rstart;
			*len = scanned;
			*nl = 0;
			st->rstart = st->rend;
			return LINE_OK;
		}
		if (st->rstart) { /* keep the partial line at the front */
			memmove(st->rbuf, st->rbuf + st->rstart, scanned);
			st->rend = scanned;
			st->rstart = 0;
		}
		if (st->rcap - st->rend < READ_CHUNK) {
			size_t cap = st->rcap ? st->rcap * 2 : 2 * READ_CHUNK;
			while (cap - st->rend < READ_CHUNK)
				cap *= 2;
			char *b = realloc(st->rbuf, cap);
			if (!b) {
				snprintf(st->err, sizeof(st->err), "out of memory reading record %llu",
					 (unsigned long long)st->record + 1);
				return LINE_IO;
			}
			st->rbuf = b;
			st->rcap = cap;
		}
		size_t got = fread(st->rbuf + st->rend, 1, READ_CHUNK, in);
		st->rend += got;
		st->stats->bytes_in += got;
		if (st->opt.on_progress)
			st->opt.on_progress(st->opt.ctx, st->stats);
		if (got < READ_CHUNK) {
			if (ferror(in)) {
				snprintf(st->err, sizeof(st->err), "read error after record %llu: %s",
					 (unsigned long long)st->record, strerror(errno));
				return LINE_IO;
			}
			st->eof = 1;
		}
	}
}

/* Copies the rest of an over-long line to the quarantine (or drops it). */
static int skip_rest_of_line(cordon_stream *st, FILE *in, FILE *q)
{
	for (;;) {
		if (st->rstart == st->rend) {
			if (st->eof)
				return 0;
			st->rstart = st->rend = 0;
			size_t got = fread(st->rbuf, 1, st->rcap, in);
			st->stats->bytes_in += got;
			st->rend = got;
			if (got < st->rcap)
				st->eof = 1;
			if (!got)
				return ferror(in) ? -1 : 0;
		}
		char *b = st->rbuf + st->rstart;
		char *p = memchr(b, '\n', st->rend - st->rstart);
		size_t n = p ? (size_t)(p - b) + 1 : st->rend - st->rstart;
		if (q && fwrite(b, 1, n, q) != n)
			return -1;
		st->rstart += n;
		if (p)
			return 0;
	}
}

static int flush_out(cordon_stream *st, FILE *out)
{
	if (st->out.len && fwrite(st->out.data, 1, st->out.len, out) != st->out.len)
		return -1;
	cordon_buf_reset(&st->out);
	return 0;
}

static cordon_code quarantine(cordon_stream *st, const char *line, size_t len, int nl)
{
	FILE *q = st->opt.quarantine;
	if (fwrite(line, 1, len, q) != len || (nl && fputc('\n', q) == EOF)) {
		snprintf(st->err, sizeof(st->err), "cannot write record %llu to quarantine: %s",
			 (unsigned long long)st->record, strerror(errno));
		return CORDON_ERR_IO;
	}
	st->stats->quarantined++;
	return CORDON_OK;
}

static cordon_code run(cordon_stream *st, FILE *in, FILE *out);

cordon_code cordon_stream_run(cordon_stream *st, FILE *in, FILE *out,
			      struct cordon_stream_stats *stats)
{
	if (!st || !in || !stats || (st->opt.redactor && !out))
		return CORDON_ERR_ARG;
	st->stats = stats;
	st->eof = 0;
	st->rstart = st->rend = 0;
	return run(st, in, out);
}

cordon_code stream_run_primed(cordon_stream *st, const char *prefix, size_t n, FILE *in,
			      FILE *out, struct cordon_stream_stats *stats)
{
	if (st->rcap < n + READ_CHUNK) {
		char *b = realloc(st->rbuf, n + 2 * READ_CHUNK);
		if (!b)
			return CORDON_ERR_NOMEM;
		st->rbuf = b;
		st->rcap = n + 2 * READ_CHUNK;
	}
	memcpy(st->rbuf, prefix, n);
	st->stats = stats;
	st->eof = 0;
	st->rstart = 0;
	st->rend = n;
	return run(st, in, out);
}

static cordon_code run(cordon_stream *st, FILE *in, FILE *out)
{
	struct cordon_stream_stats *stats = st->stats;
	cordon_code rc = CORDON_OK;
	for (;;) {
		const char *line;
		size_t len;
		int nl;
		enum line_status ls = next_line(st, in, &line, &len, &nl);
		if (ls == LINE_EOF)
			break;
		if (ls == LINE_IO) {
			rc = CORDON_ERR_IO;
			break;
		}
		st->record++;
		stats->records_in++;
		if (ls == LINE_TOO_LONG) {
			if (!st->opt.quarantine) {
				snprintf(st->err, sizeof(st->err),
					 "record %llu is longer than the maximum of %zu bytes (--max-record)",
					 (unsigned long long)st->record, st->opt.max_record);
				rc = CORDON_ERR_TOO_LARGE;
				break;
			}
			if ((rc = quarantine(st, line, len, nl)) != CORDON_OK)
				break;
			if (!nl && skip_rest_of_line(st, in, st->opt.quarantine) < 0) {
				snprintf(st->err, sizeof(st->err), "cannot quarantine record %llu",
					 (unsigned long long)st->record);
				rc = CORDON_ERR_IO;
				break;
			}
			continue;
		}
		size_t body = len;
		if (body && line[body - 1] == '\r')
			body--; /* CRLF: the '\r' goes back after the record */
		size_t mark = st->out.len;
		rc = st->format->process(st, line, body, &st->out);
		if (st->opt.on_finding)
			release_held(st, rc == CORDON_OK);
		/* a quarantined record's findings were not replaced: not counted */
		for (uint64_t m = st->pending_mask; m; m &= m - 1) {
			unsigned e = (unsigned)__builtin_ctzll(m);
			if (rc == CORDON_OK)
				stats->findings[e] += st->pending[e];
			st->pending[e] = 0;
		}
		st->pending_mask = 0;
		if (rc == CORDON_ERR_PARSE && st->opt.quarantine) {
			st->out.len = mark; /* nothing of a bad record is written */
			if ((rc = quarantine(st, line, len, nl)) != CORDON_OK)
				break;
			continue;
		}
		if (rc != CORDON_OK) {
			if (rc == CORDON_ERR_PARSE) {
				char reason[sizeof(st->err)];
				memcpy(reason, st->err, sizeof(reason));
				snprintf(st->err, sizeof(st->err), "record %llu: %.400s",
					 (unsigned long long)st->record, reason);
			}
			st->out.len = mark;
			break;
		}
		if (st->opt.redactor) {
			if ((body < len && cordon_buf_putc(&st->out, '\r')) ||
			    (nl && cordon_buf_putc(&st->out, '\n'))) {
				rc = CORDON_ERR_NOMEM;
				break;
			}
			if (st->out.len >= FLUSH_AT && flush_out(st, out)) {
				snprintf(st->err, sizeof(st->err), "write error: %s", strerror(errno));
				rc = CORDON_ERR_IO;
				break;
			}
		}
		stats->records_out++;
	}
	if (st->opt.redactor && flush_out(st, out) && rc == CORDON_OK) {
		snprintf(st->err, sizeof(st->err), "write error: %s", strerror(errno));
		rc = CORDON_ERR_IO;
	}
	return rc;
}
