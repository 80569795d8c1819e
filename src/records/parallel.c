/* --jobs: one record stream per worker thread over chunks of the input.
 * The calling thread reads ~4 MiB chunks cut at record boundaries (the format
 * knows them) and counts their records, so each chunk knows the global number
 * of its first record; workers redact chunks with their own engine, redactor
 * and stream; the calling thread then writes outputs, quarantined records and
 * buffered findings strictly in input order. The result is byte for byte that
 * of one thread. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "records/stream_internal.h"

enum { CHUNK = 4 << 20 };

struct found {
	struct cordon_record_finding f;
	char *field, *canonical, *record_id;
	char preview[PREVIEW_MAX];
};

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void forget(struct found *k)
{
	free(k->field);
	if (k->canonical)
		explicit_bzero(k->canonical, strlen(k->canonical));
	free(k->canonical);
	free(k->record_id);
}

struct chunk {
	char *data;            /* CSV header (if any), then the chunk's records */
	size_t len, cap, header;
	uint64_t first_record; /* records before this chunk */
	char *out, *q;
	size_t out_len, q_len;
	struct found *found;
	size_t nfound, capfound;
	struct cordon_stream_stats stats;
	cordon_code rc;
	char err[512];
	enum { FREE, QUEUED, DONE } state;
};

struct worker {
	pthread_t thread;
	struct pool *pool;
	cordon_engine *engine;
	cordon_redactor *redactor;
	cordon_stream *st;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	cordon_code rc; /* of the chunk that failed */
	struct chunk *ring;
	size_t nring, next, submitted; /* next: first queued chunk no worker took */
	int stop;
	cordon_stream *parent;
};

static void keep_finding(void *ctx, const struct cordon_record_finding *f)
{
	struct chunk *c = ctx;
	if (c->nfound == c->capfound) {
		size_t cap = c->capfound ? c->capfound * 2 : 64;
		struct found *v = realloc(c->found, cap * sizeof(*v));
		if (!v) {
			c->rc = CORDON_ERR_NOMEM;
			return;
		}
		c->found = v;
		c->capfound = cap;
	}
	struct found *k = &c->found[c->nfound++];
	k->f = *f;
	k->field = dup_or_null(f->field);
	k->canonical = dup_or_null(f->canonical);
	k->record_id = dup_or_null(f->record_id);
	snprintf(k->preview, sizeof(k->preview), "%s", f->preview);
}

/* Runs a CSV header through st so it knows the columns; nothing of it is
 * written, counted or reported. */
static cordon_code learn_header(cordon_stream *st, const char *header, size_t len)
{
	struct cordon_stream_stats scratch = { 0 };
	char *hout = NULL;
	size_t hlen = 0;
	FILE *hin = fmemopen((void *)header, len, "r");
	FILE *hf = open_memstream(&hout, &hlen);
	cordon_finding_fn keep = st->opt.on_finding;
	st->opt.on_finding = NULL;
	cordon_code rc = hin && hf ? cordon_stream_run(st, hin, st->opt.redactor ? hf : NULL, &scratch)
				   : CORDON_ERR_NOMEM;
	st->opt.on_finding = keep;
	if (hin)
		fclose(hin);
	if (hf)
		fclose(hf);
	free(hout);
	return rc;
}

static void run_chunk(struct worker *w, struct chunk *c)
{
	cordon_stream *st = w->st;
	FILE *out = st->opt.redactor ? open_memstream(&c->out, &c->out_len) : NULL;
	FILE *q = w->pool->parent->opt.quarantine ? open_memstream(&c->q, &c->q_len) : NULL;
	st->opt.quarantine = q;
	st->opt.ctx = c;
	stream_reset_format(st);
	c->rc = CORDON_OK;
	if (c->header)
		c->rc = learn_header(st, c->data, c->header);
	if (c->rc == CORDON_OK && c->len > c->header) {
		FILE *in = fmemopen(c->data + c->header, c->len - c->header, "r");
		st->record = c->first_record;
		c->rc = !in || (st->opt.redactor && !out) || (w->pool->parent->opt.quarantine && !q)
				? CORDON_ERR_NOMEM
				: cordon_stream_run(st, in, out, &c->stats);
		if (in)
			fclose(in);
	}
	if (c->rc != CORDON_OK)
		snprintf(c->err, sizeof(c->err), "%s", st->err);
	if (out && fclose(out) != 0 && c->rc == CORDON_OK)
		c->rc = CORDON_ERR_NOMEM;
	if (q && fclose(q) != 0 && c->rc == CORDON_OK)
		c->rc = CORDON_ERR_NOMEM;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stop && p->next == p->submitted)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->next == p->submitted && p->stop)
			break;
		struct chunk *c = &p->ring[p->next++ % p->nring];
		pthread_mutex_unlock(&p->lock);
		run_chunk(w, c);
		pthread_mutex_lock(&p->lock);
		c->state = DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Writes a finished chunk in order; returns its code. */
static cordon_code emit(cordon_stream *st, struct chunk *c, FILE *out,
			struct cordon_stream_stats *stats)
{
	for (size_t k = 0; k < c->nfound; k++) {
		struct found *f = &c->found[k];
		f->f.field = f->field;
		f->f.canonical = f->canonical;
		f->f.record_id = f->record_id;
		f->f.preview = f->preview;
		if (st->opt.on_finding)
			st->opt.on_finding(st->opt.ctx, &f->f);
		forget(f);
	}
	c->nfound = 0;
	cordon_code rc = c->rc;
	if (c->out_len && fwrite(c->out, 1, c->out_len, out) != c->out_len && rc == CORDON_OK) {
		snprintf(c->err, sizeof(c->err), "write error");
		rc = CORDON_ERR_IO;
	}
	if (c->q_len && fwrite(c->q, 1, c->q_len, st->opt.quarantine) != c->q_len && rc == CORDON_OK) {
		snprintf(c->err, sizeof(c->err), "cannot write to quarantine");
		rc = CORDON_ERR_IO;
	}
	stats->records_in += c->stats.records_in;
	stats->records_out += c->stats.records_out;
	stats->quarantined += c->stats.quarantined;
	for (int e = 0; e < CORDON_ENTITY_MAX; e++)
		stats->findings[e] += c->stats.findings[e];
	if (rc != CORDON_OK)
		snprintf(st->err, sizeof(st->err), "%s", c->err);
	free(c->out);
	free(c->q);
	c->out = c->q = NULL;
	c->out_len = c->q_len = 0;
	memset(&c->stats, 0, sizeof(c->stats));
	if (st->opt.on_progress)
		st->opt.on_progress(st->opt.ctx, stats);
	return rc;
}

/* Waits for and emits, in order, every chunk submitted and not yet written;
 * after a failure, later chunks are dropped unwritten. */
static cordon_code drain(struct pool *p, cordon_stream *st, FILE *out,
			 struct cordon_stream_stats *stats, size_t *written, int *failed)
{
	for (; *written < p->submitted; (*written)++) {
		struct chunk *c = &p->ring[*written % p->nring];
		pthread_mutex_lock(&p->lock);
		while (c->state == QUEUED)
			pthread_cond_wait(&p->done, &p->lock);
		pthread_mutex_unlock(&p->lock);
		if (c->state == DONE && !*failed) {
			cordon_code r = emit(st, c, out, stats);
			if (r != CORDON_OK) {
				p->rc = r;
				*failed = 1;
			}
		} else if (c->state == DONE) {
			for (size_t k = 0; k < c->nfound; k++)
				forget(&c->found[k]);
			c->nfound = 0;
			free(c->out);
			free(c->q);
			c->out = c->q = NULL;
		}
		c->state = FREE;
	}
	return *failed ? p->rc : CORDON_OK;
}

/* Hands the rest of the input, from a record boundary, to the calling
 * stream: the header (CSV) first, unwritten, then data, then in. */
static cordon_code handback(cordon_stream *st, const char *header, size_t header_len,
			    const char *data, size_t n, uint64_t records, FILE *in, FILE *out,
			    struct cordon_stream_stats *stats)
{
	if (header_len) {
		cordon_code rc = learn_header(st, header, header_len);
		if (rc != CORDON_OK)
			return rc;
	}
	st->record = records;
	return stream_run_primed(st, data, n, in, out, stats);
}

static size_t line_boundary(const char *data, size_t len, uint64_t *records)
{
	const char *nl = memrchr(data, '\n', len);
	uint64_t n = 0;
	if (!nl) {
		*records = 0;
		return 0;
	}
	size_t end = (size_t)(nl - data) + 1, i = 0;
	/* count newlines 8 bytes at a time: an exact zero-byte count of x ^ '\n'... */
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

static int grow(struct chunk *c, size_t need)
{
	if (c->cap >= need)
		return 0;
	size_t cap = c->cap ? c->cap : CHUNK + (1 << 16);
	while (cap < need)
		cap *= 2;
	char *d = realloc(c->data, cap);
	if (!d)
		return -1;
	c->data = d;
	c->cap = cap;
	return 0;
}

cordon_code cordon_stream_run_jobs(cordon_stream *st, FILE *in, FILE *out,
				   struct cordon_stream_stats *stats, unsigned jobs)
{
	if (!st || !in || !stats || (st->opt.redactor && !out))
		return CORDON_ERR_ARG;
	if (jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (unsigned)n : 1;
	}
	if (jobs == 1)
		return cordon_stream_run(st, in, out, stats);

	struct pool p = { .nring = 2 * (size_t)jobs + 1, .parent = st };
	struct worker *w = calloc(jobs, sizeof(*w));
	p.ring = calloc(p.nring, sizeof(*p.ring));
	char *carry = NULL, *header = NULL;
	size_t carry_len = 0, header_len = 0;
	cordon_code rc = CORDON_OK;
	unsigned started = 0;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	if (!w || !p.ring) {
		rc = CORDON_ERR_NOMEM;
		goto out;
	}
	for (; started < jobs; started++) {
		struct cordon_stream_options o = st->opt;
		w[started].pool = &p;
		if (cordon_engine_clone(st->engine, &w[started].engine) != CORDON_OK ||
		    (o.redactor && cordon_redactor_clone(o.redactor, &w[started].redactor) != CORDON_OK)) {
			rc = CORDON_ERR_NOMEM;
			break;
		}
		o.redactor = w[started].redactor;
		o.on_finding = st->opt.on_finding ? keep_finding : NULL;
		o.on_progress = NULL;
		if (cordon_stream_new(&w[started].st, w[started].engine, &o) != CORDON_OK ||
		    pthread_create(&w[started].thread, NULL, worker_main, &w[started])) {
			rc = CORDON_ERR_NOMEM;
			break;
		}
	}
	if (rc != CORDON_OK)
		goto stop;

	uint64_t records = st->record;
	size_t (*boundary)(const char *, size_t, uint64_t *) =
		st->format->boundary ? st->format->boundary : line_boundary;
	int eof = 0, failed = 0;
	size_t written = 0; /* chunks emitted */
	struct chunk *oversized = NULL;
	while (!eof && !failed) {
		struct chunk *c = &p.ring[p.submitted % p.nring];
		pthread_mutex_lock(&p.lock);
		while (c->state == QUEUED)
			pthread_cond_wait(&p.done, &p.lock);
		pthread_mutex_unlock(&p.lock);
		if (c->state == DONE) {
			if ((rc = emit(st, c, out, stats)) != CORDON_OK) {
				failed = 1;
				break;
			}
			written++;
			c->state = FREE;
		}
		/* fill: header, carried partial record, fresh input */
		c->header = header_len;
		c->len = 0;
		if (grow(c, header_len + carry_len + CHUNK)) {
			rc = CORDON_ERR_NOMEM;
			break;
		}
		/* no memcpy from NULL, even of 0 bytes: the compiler would then take
		 * header and carry for non-NULL and drop the header capture below */
		if (header_len)
			memcpy(c->data, header, header_len);
		if (carry_len)
			memcpy(c->data + header_len, carry, carry_len);
		c->len = header_len + carry_len;
		size_t cut = 0;
		uint64_t n = 0;
		for (;;) {
			size_t got = fread(c->data + c->len, 1, c->cap - c->len, in);
			c->len += got;
			stats->bytes_in += got;
			if (got == 0) {
				if (ferror(in)) {
					snprintf(st->err, sizeof(st->err), "read error after record %llu",
						 (unsigned long long)records);
					rc = CORDON_ERR_IO;
					failed = 1;
				}
				eof = 1;
			}
			if (failed)
				break;
			size_t h = c->header;
			cut = boundary(c->data + h, c->len - h, &n);
			if (eof && cut < c->len - h) { /* the last record, unterminated */
				cut = c->len - h;
				n++;
			}
			if (cut || eof)
				break;
			if (c->len - h > st->opt.max_record + CHUNK) {
				oversized = c; /* no record ends within the limit */
				break;
			}
			if (grow(c, c->len * 2)) {
				rc = CORDON_ERR_NOMEM;
				failed = 1;
				break;
			}
		}
		if (failed || oversized)
			break;
		if (c->header == 0 && st->format->has_header && records == st->record &&
		    !header && cut) {
			/* the first chunk holds the header: keep a copy for the others */
			const char *nl = NULL;
			size_t hl = 0;
			for (size_t i = 0; i < cut; i = hl) {
				nl = memchr(c->data + i, '\n', cut - i);
				hl = nl ? (size_t)(nl - c->data) + 1 : cut;
				if (st->format->complete(st, c->data, hl - (nl ? 1 : 0)))
					break;
			}
			if (!(header = malloc(hl ? hl : 1))) {
				rc = CORDON_ERR_NOMEM;
				break;
			}
			memcpy(header, c->data, hl);
			header_len = hl;
				}
		free(carry); /* c->header, not header_len: the first chunk has none prepended */
		carry_len = c->len - c->header - cut;
		carry = carry_len ? malloc(carry_len) : NULL;
		if (carry_len && !carry) {
			rc = CORDON_ERR_NOMEM;
			break;
		}
		if (carry_len)
			memcpy(carry, c->data + c->header + cut, carry_len);
		c->len = c->header + cut;
		if (cut == 0)
			continue;
		c->first_record = records;
		records += n;
		c->state = QUEUED;
		pthread_mutex_lock(&p.lock);
		p.submitted++;
		pthread_cond_signal(&p.work);
		pthread_mutex_unlock(&p.lock);
	}
	if (drain(&p, st, out, stats, &written, &failed) != CORDON_OK && rc == CORDON_OK)
		rc = p.rc;
	if (oversized && !failed) {
		/* a record with no end in sight: from here one stream reads on, as
		 * cordon_stream_run would have, so nothing of it leaks and the
		 * result stays that of one thread */
		struct chunk *c = oversized;
		rc = handback(st, header, header_len, c->data + c->header, c->len - c->header,
			      records, in, out, stats);
		records = st->record;
	}
	st->record = records;
stop:
	pthread_mutex_lock(&p.lock);
	p.stop = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
out:
	for (unsigned i = 0; w && i < jobs; i++) {
		cordon_stream_free(w[i].st);
		cordon_redactor_free(w[i].redactor);
		cordon_engine_free(w[i].engine);
	}
	for (size_t i = 0; p.ring && i < p.nring; i++) {
		free(p.ring[i].data);
		free(p.ring[i].found);
	}
	free(p.ring);
	free(w);
	free(carry);
	free(header);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	pthread_mutex_destroy(&p.lock);
	return rc;
}
