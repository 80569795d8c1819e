/* --jobs: one record stream per worker thread over chunks of the input.
 * The calling thread reads ~4 MiB chunks cut at record boundaries (the
 * format's record_end, the same function one stream reads with) and counts
 * their records, so each chunk knows the global number of its first record;
 * workers redact chunks with their own engine, redactor and stream; the
 * calling thread then writes outputs, quarantined records and buffered
 * findings strictly in input order. The result is byte for byte that of one
 * thread, on success and on failure alike: after a read error, the records
 * read whole before it are written and nothing after.
 *
 * Memory: the chunks read and not yet written hold at most the budget
 * (options.memory, 64 MiB by default) of input, so more jobs do not mean
 * more memory; at least one chunk is always in flight, so a record as long
 * as max_record still passes. A chunk grown past 2 chunks' size (it holds
 * a long record) counts four times its size, a record's working memory
 * being a multiple of it: with the default budget such records run one at a
 * time. Workers give back what a long record grew. So a run's memory is
 * about the budget's, plus what one thread needs for the longest record. */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "records/stream_internal.h"
#include "util/alloc.h"

/* Bytes a chunk takes from the input: 4 MiB; tests make it small so that
 * chunk boundaries fall everywhere (stream_set_chunk_size). */
static size_t chunk_size = (size_t)4 << 20;

void stream_set_chunk_size(size_t bytes)
{
	chunk_size = bytes ? bytes : (size_t)4 << 20;
}

struct found {
	struct cordon_record_finding f;
	char *field, *canonical, *record_id;
	char preview[PREVIEW_MAX];
};

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
	size_t cost;           /* of the budget, while in flight */
	uint64_t first_record; /* records before this chunk */
	uint64_t first_line;   /* lines before its records (findings only) */
	char *out, *q;
	size_t out_len, q_len;
	struct found *found;
	size_t nfound, capfound;
	int found_failed;      /* out of memory keeping a finding */
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
	struct chunk *ring;
	size_t nring, next, submitted; /* next: first queued chunk no worker took */
	int stop;
	cordon_stream *parent;
};

static char *dup_or_null(const char *s, int *failed)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*failed = 1;
	return d;
}

static int keep_finding(void *ctx, const struct cordon_record_finding *f)
{
	struct chunk *c = ctx;
	if (ALLOC_GROW(c->found, c->nfound + 1, c->capfound)) {
		c->found_failed = 1;
		return -1;
	}
	struct found *k = &c->found[c->nfound++];
	int failed = 0;
	k->f = *f;
	k->field = dup_or_null(f->field, &failed);
	k->canonical = dup_or_null(f->canonical, &failed);
	k->record_id = dup_or_null(f->record_id, &failed);
	snprintf(k->preview, sizeof(k->preview), "%s", f->preview);
	if (failed) {
		forget(k);
		c->nfound--;
		c->found_failed = 1;
		return -1; /* stops the chunk: no finding is lost unsaid */
	}
	return 0;
}

/* Runs a CSV header through st so it knows the columns; nothing of it is
 * written, counted or reported. */
static cordon_code learn_header(cordon_stream *st, const char *header, size_t len)
{
	if (len && header[len - 1] == '\n')
		len--;
	if (len && header[len - 1] == '\r')
		len--;
	struct cordon_buf scratch = CORDON_BUF_INIT;
	st->rec = header;
	st->rec_line = 1;
	st->pos_rec = NULL;
	cordon_code rc = st->format->process(st, header, len, &scratch);
	cordon_buf_release(&scratch);
	st->header_pending = 0;
	stream_release_held(st, 0);
	memset(st->pending, 0, sizeof(st->pending));
	st->pending_mask = 0;
	st->pending_restored = 0;
	return rc;
}

static void run_chunk(struct worker *w, struct chunk *c)
{
	cordon_stream *st = w->st;
	FILE *out = stream_redacting(st) ? open_memstream(&c->out, &c->out_len) : NULL;
	FILE *q = w->pool->parent->opt.quarantine ? open_memstream(&c->q, &c->q_len) : NULL;
	st->opt.quarantine = q;
	st->opt.ctx = c;
	stream_reset_format(st);
	c->rc = CORDON_OK;
	c->found_failed = 0;
	*c->err = '\0';
	if ((stream_redacting(st) && !out) || (w->pool->parent->opt.quarantine && !q)) {
		c->rc = CORDON_ERR_NOMEM;
		snprintf(c->err, sizeof(c->err), "out of memory");
	}
	if (c->rc == CORDON_OK && c->header && (c->rc = learn_header(st, c->data, c->header)) != CORDON_OK)
		snprintf(c->err, sizeof(c->err), "the CSV header: %.400s", st->err);
	if (c->rc == CORDON_OK && c->len > c->header) {
		st->record = c->first_record;
		st->line = c->first_line;
		c->rc = stream_run_chunk(st, c->data + c->header, c->len - c->header, out, &c->stats);
		if (c->rc != CORDON_OK)
			snprintf(c->err, sizeof(c->err), "%s", st->err);
		if (c->found_failed) {
			c->rc = CORDON_ERR_NOMEM;
			snprintf(c->err, sizeof(c->err), "out of memory keeping the findings of record %llu",
				 (unsigned long long)st->record);
		}
	}
	if (out && fclose(out) != 0 && c->rc == CORDON_OK) {
		c->rc = CORDON_ERR_NOMEM;
		snprintf(c->err, sizeof(c->err), "out of memory holding output");
	}
	if (q && fclose(q) != 0 && c->rc == CORDON_OK) {
		c->rc = CORDON_ERR_NOMEM;
		snprintf(c->err, sizeof(c->err), "out of memory holding quarantined records");
	}
	stream_reset_format(st); /* the parser's buffers go with the chunk */
	stream_trim(st);
#ifdef __GLIBC__
	/* a long record's buffers, freed, stay in this thread's malloc arena
	 * (one an active thread): given back, or every job keeps one */
	if (c->cap > 2 * chunk_size)
		malloc_trim(0);
#endif
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

static void chunk_clear(struct chunk *c)
{
	for (size_t k = 0; k < c->nfound; k++)
		forget(&c->found[k]);
	c->nfound = 0;
	free(c->out);
	free(c->q);
	c->out = c->q = NULL;
	c->out_len = c->q_len = 0;
	memset(&c->stats, 0, sizeof(c->stats));
	if (c->cap > 2 * (size_t)chunk_size) { /* a long record's: give it back */
		free(c->data);
		c->data = NULL;
		c->cap = 0;
	}
}

/* Writes a finished chunk in order; returns its code. */
static cordon_code emit(cordon_stream *st, struct chunk *c, FILE *out, struct cordon_stream_stats *stats)
{
	cordon_code rc = c->rc;
	for (size_t k = 0; k < c->nfound && st->opt.on_finding; k++) {
		struct found *f = &c->found[k];
		f->f.field = f->field;
		f->f.canonical = f->canonical;
		f->f.record_id = f->record_id;
		f->f.preview = f->preview;
		if (st->opt.on_finding(st->opt.ctx, &f->f)) {
			snprintf(c->err, sizeof(c->err), "record %llu: stopped by the findings callback",
				 (unsigned long long)f->f.record);
			rc = CORDON_ERR_CALLBACK;
			break;
		}
	}
	if (rc == CORDON_ERR_CALLBACK && c->rc != CORDON_ERR_CALLBACK) {
		/* stopped inside the chunk: what it wrote is not all told, so none
		 * of it goes out (as one stream writes nothing of that record) */
	} else {
		if (c->out_len && fwrite(c->out, 1, c->out_len, out) != c->out_len && rc == CORDON_OK) {
			snprintf(c->err, sizeof(c->err), "cannot write output: %s", strerror(errno));
			rc = CORDON_ERR_IO;
		}
		if (c->q_len && fwrite(c->q, 1, c->q_len, st->opt.quarantine) != c->q_len && rc == CORDON_OK) {
			snprintf(c->err, sizeof(c->err), "cannot write to the quarantine: %s", strerror(errno));
			rc = CORDON_ERR_IO;
		}
		stats->records_in += c->stats.records_in;
		stats->records_out += c->stats.records_out;
		stats->quarantined += c->stats.quarantined;
		stats->restored += c->stats.restored;
		for (int e = 0; e < CORDON_ENTITY_MAX; e++)
			stats->findings[e] += c->stats.findings[e];
	}
	if (rc != CORDON_OK)
		snprintf(st->err, sizeof(st->err), "%s", c->err);
	chunk_clear(c);
	if (rc == CORDON_OK && st->opt.on_progress && st->opt.on_progress(st->opt.ctx, stats)) {
		snprintf(st->err, sizeof(st->err), "stopped by the progress callback");
		rc = CORDON_ERR_CALLBACK;
	}
	return rc;
}

struct reader {
	struct pool *p;
	cordon_stream *st;
	FILE *out;
	struct cordon_stream_stats *stats;
	size_t written;   /* chunks emitted (or dropped after a failure) */
	size_t held;      /* bytes of the chunks submitted and not yet emitted */
	int failed;
	cordon_code rc;
};

/* Waits for the oldest chunk not yet written and writes it (or, after a
 * failure, drops it). */
static void emit_oldest(struct reader *r)
{
	struct pool *p = r->p;
	struct chunk *c = &p->ring[r->written % p->nring];
	pthread_mutex_lock(&p->lock);
	while (c->state == QUEUED)
		pthread_cond_wait(&p->done, &p->lock);
	pthread_mutex_unlock(&p->lock);
	r->held -= c->cost < r->held ? c->cost : r->held;
	if (!r->failed) {
		cordon_code rc = emit(r->st, c, r->out, r->stats);
		if (rc != CORDON_OK) {
			r->rc = rc;
			r->failed = 1;
		}
	} else {
		chunk_clear(c);
	}
	c->state = FREE;
	r->written++;
}

static int grow(struct chunk *c, size_t need)
{
	return ALLOC_GROW(c->data, need, c->cap);
}

/* The first record of the input (CSV's header): its length in data. */
static size_t header_length(cordon_stream *st, const char *data, size_t len)
{
	struct record_scan sc = { 0 };
	size_t e = format_record_end(st->format, &sc, data, len);
	return e ? e : len;
}

cordon_code stream_run_parallel(cordon_stream *st, struct input *in, FILE *out, struct cordon_stream_stats *stats,
				unsigned jobs)
{
	struct pool p = { .nring = 2 * (size_t)jobs + 2, .parent = st };
	struct worker *w = calloc(jobs, sizeof(*w));
	p.ring = calloc(p.nring, sizeof(*p.ring));
	char *carry = NULL, *header = NULL;
	size_t carry_len = 0, carry_cap = 0, header_len = 0;
	struct reader r = { .p = &p, .st = st, .out = out, .stats = stats };
	cordon_code rc = CORDON_OK;
	unsigned started = 0;
	st->stats = stats;
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
		o.error = NULL;
		if (cordon_stream_new(&w[started].st, w[started].engine, &o) != CORDON_OK ||
		    pthread_create(&w[started].thread, NULL, worker_main, &w[started])) {
			cordon_stream_free(w[started].st);
			w[started].st = NULL;
			rc = CORDON_ERR_NOMEM;
			break;
		}
	}
	if (rc != CORDON_OK)
		goto stop;

	uint64_t records = st->record, lines = st->line;
	int eof = 0, read_failed = 0, first = 1;
	struct chunk *oversized = NULL;
	while (!eof && !read_failed && !r.failed) {
		struct chunk *c = &p.ring[p.submitted % p.nring];
		/* the ring is full, or the budget spent: write the oldest first */
		while (r.written < p.submitted &&
		       (c->state != FREE || st_add(r.held, chunk_size) > st->opt.memory) && !r.failed)
			emit_oldest(&r);
		if (r.failed)
			break;
		/* fill: header, carried partial record, fresh input */
		c->header = header_len;
		c->len = 0;
		if (grow(c, st_add(st_add(header_len, carry_len), chunk_size))) {
			rc = CORDON_ERR_NOMEM;
			break;
		}
		if (header_len)
			memcpy(c->data, header, header_len);
		if (carry_len)
			memcpy(c->data + header_len, carry, carry_len);
		c->len = header_len + carry_len;
		size_t cut = 0;
		uint64_t n = 0;
		int stalled = 0;
		for (;;) {
			ssize_t got = input_read(in, c->data + c->len, c->cap - c->len);
			if (got < 0)
				read_failed = 1;
			else if (got == 0)
				eof = 1;
			else {
				c->len += (size_t)got;
				stats->bytes_in += (uint64_t)got;
			}
			if (first && !read_failed) {
				first = 0;
				if ((rc = stream_put_bom(st, in)) != CORDON_OK ||
				    (st->out.len && fwrite(st->out.data, 1, st->out.len, out) != st->out.len)) {
					if (rc == CORDON_OK)
						rc = CORDON_ERR_IO;
					r.failed = 1;
					break;
				}
				cordon_buf_reset(&st->out);
			}
			/* look for the last record boundary only when the chunk is
			 * full, the input ended, or a pipe has nothing more ready (so
			 * many small reads of a pipe do not rescan the chunk) */
			int full = c->len == c->cap;
			int idle = !eof && !read_failed && !full && !input_ready(in);
			if (!eof && !read_failed && !full && !idle)
				continue;
			size_t h = c->header;
			cut = format_boundary(st->format, c->data + h, c->len - h, &n);
			if (eof && cut < c->len - h) { /* the last record, unterminated */
				cut = c->len - h;
				n++;
			}
			/* a pipe with nothing more ready: go on with what is whole */
			stalled = idle && cut;
			if ((cut || eof || read_failed) && (eof || read_failed || stalled || full))
				break;
			if (c->len - h > st->opt.max_record + chunk_size) {
				oversized = c; /* no record ends within the limit */
				break;
			}
			if (c->len == c->cap && grow(c, st_mult(c->cap, 2))) {
				rc = CORDON_ERR_NOMEM;
				r.failed = 1;
				break;
			}
		}
		if (r.failed || oversized)
			break;
		if (c->header == 0 && st->format->has_header && !header && cut) {
			/* the first chunk holds the header: keep a copy for the
			 * others; it is not a record */
			n--;
			header_len = header_length(st, c->data, cut);
			if (!(header = malloc(header_len))) {
				rc = CORDON_ERR_NOMEM;
				break;
			}
			memcpy(header, c->data, header_len);
		}
		/* what follows the last whole record waits for the next chunk
		 * (after a read error it is never read: its end is not known) */
		carry_len = c->len - c->header - cut;
		if (carry_len && ALLOC_GROW(carry, carry_len, carry_cap)) {
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
		c->first_line = lines;
		if (st->opt.on_finding)
			lines += stream_count_lines(c->data + c->header, cut);
		/* what the chunk will hold while in flight: its bytes, and for a
		 * long record (the chunk grew) a multiple for its working memory */
		c->cost = c->cap > 2 * (size_t)chunk_size ? st_mult(c->cap, 4) : c->cap;
		while (r.written < p.submitted && st_add(r.held, c->cost) > st->opt.memory && !r.failed)
			emit_oldest(&r);
		if (r.failed)
			break;
		c->state = QUEUED;
		r.held = st_add(r.held, c->cost);
		pthread_mutex_lock(&p.lock);
		p.submitted++;
		pthread_cond_signal(&p.work);
		pthread_mutex_unlock(&p.lock);
		if (stalled) { /* a slow input: write what is done before waiting */
			while (r.written < p.submitted)
				emit_oldest(&r);
			if (!r.failed && fflush(out) != 0) {
				snprintf(st->err, sizeof(st->err), "cannot write output: %s", strerror(errno));
				r.rc = CORDON_ERR_IO;
				r.failed = 1;
			}
		}
	}
	while (r.written < p.submitted)
		emit_oldest(&r);
	if (r.failed && rc == CORDON_OK)
		rc = r.rc;
	st->record = records;
	st->line = lines;
	if (rc == CORDON_OK && (oversized || read_failed)) {
		/* a record with no end in sight, or what follows the last whole
		 * record when the input failed: from here one stream reads on, as
		 * cordon_stream_run would have, so nothing of it leaks and the
		 * result, its error included, stays that of one thread */
		const char *rest = oversized ? oversized->data + oversized->header : carry;
		size_t rest_len = oversized ? oversized->len - oversized->header : carry_len;
		if (header_len && (rc = learn_header(st, header, header_len)) != CORDON_OK) {
			char why[sizeof(st->err)];
			memcpy(why, st->err, sizeof(why));
			snprintf(st->err, sizeof(st->err), "the CSV header: %.400s", why);
		}
		if (rc == CORDON_OK)
			rc = stream_run_input(st, in, rest, rest_len, out, stats, 0);
	}
stop:
	pthread_mutex_lock(&p.lock);
	p.stop = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
out:
	for (unsigned i = 0; w && i < jobs; i++) {
		if (w[i].st) { /* what the workers' paths matched is the run's */
			for (size_t k = 0; k < st->opt.npolicies; k++)
				st->policy_hits[k] += w[i].st->policy_hits[k];
			for (size_t k = 0; k < st->opt.nfields; k++)
				st->field_hits[k] += w[i].st->field_hits[k];
			st->id_hits += w[i].st->id_hits;
		}
		cordon_stream_free(w[i].st);
		cordon_redactor_free(w[i].redactor);
		cordon_engine_free(w[i].engine);
	}
	for (size_t i = 0; p.ring && i < p.nring; i++) {
		chunk_clear(&p.ring[i]);
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
