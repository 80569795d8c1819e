/* cordon worker: a durable pull consumer that redacts each message and
 * acknowledges it only once what it became is stored (worker.h).
 *
 * A batch is fetched; each message is run through one cordon_stream (the
 * records' own format, the policy, the operator) into an output buffer,
 * the records it cannot process into a quarantine buffer, each cut out
 * with its reason. The outputs are published asynchronously, each with a
 * Nats-Msg-Id from the input's stream and sequence; when the server has
 * answered for all of them, an input whose every publish was acknowledged
 * is acknowledged, and any other is naked to come again after nak_delay.
 * Nothing is acknowledged that was not stored, and nothing leaves that was
 * not redacted: a message that fails before publishing is naked whole. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "records/stream_internal.h"
#include "util/buf.h"
#include "worker/worker_internal.h"

enum {
	FETCH_WAIT_MS = 500,      /* a fetch waits this long for messages */
	FETCH_MAX_BYTES = 16 << 20, /* the messages a fetch asks for, by their size so far */
	PUBLISH_WAIT_MS = 10000,  /* for the server's acknowledgements of a batch */
	LAG_EVERY_MS = 2000,      /* the consumer's info is asked this often */
	BACKOFF_MIN_MS = 100,
	BACKOFF_MAX_MS = 5000,
};

struct piece { /* a record the quarantine took */
	size_t start, end;
	uint64_t record;
	char reason[240];
};

struct entry { /* an input message of the batch */
	natsMsg *in;
	uint64_t seq, delivered;
	unsigned expected, acked;
	int failed;
	int settled; /* acknowledged or naked already */
	int ack_sent; /* settled by an acknowledgement */
	uint64_t records_in, records_out, quarantined, bytes;
	uint64_t findings[CORDON_ENTITY_MAX];
};

struct sent { /* a publish awaiting the server */
	natsMsg *m;
	size_t entry;
};

struct cordon_worker {
	cordon_nats *nc;
	cordon_engine *engine;
	struct cordon_worker_options o;
	char group[128];
	cordon_stream *st;
	jsCtx *js;
	natsSubscription *sub;
	int64_t max_payload;
	FILE *outf, *qf;
	struct cordon_buf out, q;
	size_t q_from; /* where the message in process's quarantine starts */
	struct piece *pieces;
	size_t npieces, cappieces;
	int piece_failed;

	pthread_mutex_t lock; /* the batch and the sent list, with the ack handler */
	struct entry *batch;
	size_t nbatch, capbatch;
	struct sent *sent;
	size_t nsent, capsent;
	char publish_error[256];

	struct cordon_worker_stats stats;
	struct worker_metrics *metrics;
	struct timespec lag_at;
	int64_t ack_wait_ms; /* the consumer's: a batch slower than a third of it says "in progress" */
	size_t msg_bytes;    /* the last batch's mean message size */
	char err[512];
};

static cordon_code fail(cordon_worker *w, cordon_code rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static cordon_code fail(cordon_worker *w, cordon_code rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
	return rc;
}

static void wlog(cordon_worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wlog(cordon_worker *w, const char *fmt, ...)
{
	if (!w->o.log)
		return;
	char line[640];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	w->o.log(w->o.ctx, line);
}

int cordon_worker_msg_id(char *out, size_t cap, const char *stream, uint64_t seq, unsigned k)
{
	int n = k ? snprintf(out, cap, "%s:%" PRIu64 ":q%u", stream, seq, k) : snprintf(out, cap, "%s:%" PRIu64, stream, seq);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* FILEs over the output and quarantine buffers (the stream writes FILEs). */
static ssize_t buf_write(void *cookie, const char *p, size_t n)
{
	return cordon_buf_append(cookie, p, n) ? 0 : (ssize_t)n;
}

static void on_quarantine(void *ctx, uint64_t record, const char *reason)
{
	cordon_worker *w = ctx;
	if (fflush(w->qf) != 0 || ALLOC_GROW(w->pieces, w->npieces + 1, w->cappieces)) {
		w->piece_failed = 1;
		return;
	}
	struct piece *p = &w->pieces[w->npieces++];
	p->start = w->npieces > 1 ? w->pieces[w->npieces - 2].end : w->q_from;
	p->end = w->q.len;
	p->record = record;
	snprintf(p->reason, sizeof(p->reason), "%s", reason && *reason ? reason : "the record cannot be processed");
}

/* The server's answer for a publish (libnats's thread). */
static void on_publish_ack(jsCtx *js, natsMsg *m, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
	cordon_worker *w = closure;
	(void)js;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < w->nsent; i++) {
		if (w->sent[i].m != m)
			continue;
		struct entry *e = &w->batch[w->sent[i].entry];
		if (pa && !pae) {
			e->acked++;
		} else {
			e->failed = 1;
			if (pae && !*w->publish_error)
				snprintf(w->publish_error, sizeof(w->publish_error), "%s%s%s",
					 natsStatus_GetText(pae->Err), pae->ErrText ? ": " : "",
					 pae->ErrText ? pae->ErrText : "");
		}
		w->sent[i] = w->sent[--w->nsent];
		break;
	}
	pthread_mutex_unlock(&w->lock);
	natsMsg_Destroy(m);
}

/* Does the subject pattern (tokens, '*' one, '>' the rest) take subject? */
int nats_subject_matches(const char *pattern, const char *subject)
{
	for (;;) {
		size_t pl = strcspn(pattern, "."), sl = strcspn(subject, ".");
		if (pl == 1 && *pattern == '>')
			return sl > 0;
		if (!sl || (!(pl == 1 && *pattern == '*') && (pl != sl || memcmp(pattern, subject, pl))))
			return 0;
		pattern += pl;
		subject += sl;
		if (!*pattern || !*subject)
			return !*pattern && !*subject;
		pattern++, subject++;
	}
}

/* The input stream must not take the worker's own output: it would redact
 * it again, for ever. 0, or CORDON_ERR_ARG saying so; a stream that cannot
 * be looked up now is not an error (make_consumer says what is wrong). */
static cordon_code check_no_loop(cordon_worker *w)
{
	jsStreamInfo *si = NULL;
	if (js_GetStreamInfo(&si, w->js, w->o.stream, NULL, NULL) != NATS_OK || !si)
		return CORDON_OK;
	cordon_code rc = CORDON_OK;
	const char *out[2] = { w->o.out_subject, w->o.quarantine_subject };
	for (int i = 0; si->Config && i < si->Config->SubjectsLen && rc == CORDON_OK; i++)
		for (int k = 0; k < 2 && rc == CORDON_OK; k++)
			if (out[k] && nats_subject_matches(si->Config->Subjects[i], out[k]))
				rc = fail(w, CORDON_ERR_ARG,
					  "stream '%s' takes '%s' (its subject '%s'): the worker would read its own %s "
					  "again; publish to a subject of another stream",
					  w->o.stream, out[k], si->Config->Subjects[i], k ? "quarantine" : "output");
	jsStreamInfo_Destroy(si);
	return rc;
}

static cordon_code make_consumer(cordon_worker *w)
{
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	char why[384];
	natsStatus s = js_GetConsumerInfo(&ci, w->js, w->o.stream, w->group, NULL, &jerr);
	if (s == NATS_OK) {
		if (ci->Config && ci->Config->AckWait > 0) /* the group's, whoever made it */
			w->ack_wait_ms = ci->Config->AckWait / 1000000;
		jsConsumerInfo_Destroy(ci);
	} else if (s == NATS_NOT_FOUND || jerr == JSConsumerNotFoundErr) {
		jsConsumerConfig cc;
		jsConsumerConfig_Init(&cc);
		cc.Durable = w->group;
		cc.AckPolicy = js_AckExplicit;
		cc.DeliverPolicy = js_DeliverAll;
		cc.AckWait = (int64_t)((w->o.ack_wait > 0 ? w->o.ack_wait : 30) * 1e9);
		cc.MaxDeliver = -1; /* never given up on: a record is not dropped */
		cc.MaxAckPending = 20000;
		jerr = 0;
		s = js_AddConsumer(&ci, w->js, w->o.stream, &cc, NULL, &jerr);
		if (s == NATS_OK) {
			w->ack_wait_ms = cc.AckWait / 1000000;
			jsConsumerInfo_Destroy(ci);
		}
		else if (jerr != JSConsumerNameExistErr) { /* another worker made it: fine */
			nats_describe(why, sizeof(why), s, jerr);
			return fail(w, jerr == JSStreamNotFoundErr ? CORDON_ERR_ARG : CORDON_ERR_IO,
				    "cannot create consumer '%s' on stream '%s': %s%s", w->group, w->o.stream, why,
				    jerr == JSStreamNotFoundErr ? " (no such stream; --create-streams makes it)" : "");
		}
	} else {
		nats_describe(why, sizeof(why), s, jerr);
		return fail(w, jerr == JSStreamNotFoundErr ? CORDON_ERR_ARG : CORDON_ERR_IO,
			    "cannot look up consumer '%s' of stream '%s': %s%s", w->group, w->o.stream, why,
			    jerr == JSStreamNotFoundErr ? " (no such stream; --create-streams makes it)" : "");
	}
	jsSubOptions so;
	jsSubOptions_Init(&so);
	so.Stream = w->o.stream;
	so.Consumer = w->group;
	jerr = 0;
	if (w->sub) {
		nats_defer_destroy(w->nc, w->sub, NULL); /* its fetch may still be answered */
		w->sub = NULL;
	}
	s = js_PullSubscribe(&w->sub, w->js, NULL, w->group, NULL, &so, &jerr);
	if (s != NATS_OK) {
		nats_describe(why, sizeof(why), s, jerr);
		return fail(w, CORDON_ERR_IO, "cannot consume '%s' as '%s': %s", w->o.stream, w->group, why);
	}
	return CORDON_OK;
}

cordon_code cordon_worker_new(cordon_worker **out, cordon_nats *nc, cordon_engine *engine,
			      const struct cordon_worker_options *o)
{
	if (!out || !nc || !engine || !o || !o->stream || !o->out_subject || !o->records.redactor ||
	    o->records.restore)
		return CORDON_ERR_ARG;
	*out = NULL;
	cordon_worker *w = calloc(1, sizeof(*w));
	if (!w)
		return CORDON_ERR_NOMEM;
	w->nc = nc;
	w->engine = engine;
	w->o = *o;
	pthread_mutex_init(&w->lock, NULL);
	w->stats.lag = w->stats.in_flight = -1;
	snprintf(w->group, sizeof(w->group), "%s", o->group && *o->group ? o->group : "cordon");
	cordon_code rc = CORDON_OK;
	static const cookie_io_functions_t io = { .write = buf_write };
	w->outf = fopencookie(&w->out, "w", io);
	w->qf = fopencookie(&w->q, "w", io);
	if (!w->outf || !w->qf) {
		rc = CORDON_ERR_NOMEM;
		goto done;
	}
	if (strpbrk(w->group, ". *>") || strlen(w->group) >= 100) {
		rc = fail(w, CORDON_ERR_ARG, "'%s' cannot name a consumer: no '.', '*', '>' or blank", w->group);
		goto done;
	}
	struct cordon_stream_options so = o->records;
	so.quarantine = o->quarantine_subject ? w->qf : NULL;
	so.on_finding = NULL;
	so.on_progress = NULL;
	so.with_values = 0;
	so.id_field = NULL;
	so.encoding = NULL;
	so.ctx = NULL;
	so.error = w->err;
	so.error_len = sizeof(w->err);
	if ((rc = cordon_stream_new(&w->st, engine, &so)) != CORDON_OK)
		goto done;
	jsOptions jo;
	jsOptions_Init(&jo);
	jo.PublishAsync.AckHandler = on_publish_ack;
	jo.PublishAsync.AckHandlerClosure = w;
	jo.PublishAsync.MaxPending = 4096;
	if ((rc = nats_jetstream(nc, &w->js, &jo)) != CORDON_OK) {
		fail(w, rc, "%s", cordon_nats_error(nc));
		goto done;
	}
	if ((rc = check_no_loop(w)) != CORDON_OK)
		goto done;
	/* a server away (a timeout) is waited for by run(); a stream that does
	 * not exist is an error now */
	if ((rc = make_consumer(w)) == CORDON_ERR_IO) {
		wlog(w, "%s; trying on", w->err);
		*w->err = '\0';
		rc = CORDON_OK;
	} else if (rc != CORDON_OK) {
		goto done;
	}
	w->max_payload = nats_max_payload(nc);
	if (o->listen && !(w->metrics = worker_metrics_start(o->listen, w->err, sizeof(w->err)))) {
		rc = CORDON_ERR_IO;
		goto done;
	}
done:
	if (rc != CORDON_OK) {
		if (!*w->err)
			fail(w, rc, "%s", cordon_strerror(rc));
		*out = w; /* so its error can be read; the caller frees it */
		return rc;
	}
	*out = w;
	return CORDON_OK;
}

static int connected(const cordon_worker *w)
{
	return natsConnection_Status(w->nc->conn) == NATS_CONN_STATUS_CONNECTED;
}

/* Publishes data to subject with its headers; counted on the entry. */
static int publish(cordon_worker *w, size_t ei, const char *subject, const char *data, size_t len, const char *id,
		   const char *const *headers)
{
	struct entry *e = &w->batch[ei];
	natsMsg *m = nats_msg_new(subject, data, len, headers);
	if (!m || natsMsgHeader_Set(m, "Nats-Msg-Id", id) != NATS_OK) {
		natsMsg_Destroy(m);
		return -1;
	}
	pthread_mutex_lock(&w->lock);
	int grown = ALLOC_GROW(w->sent, w->nsent + 1, w->capsent);
	if (!grown) {
		w->sent[w->nsent++] = (struct sent){ m, ei };
		e->expected++;
	}
	pthread_mutex_unlock(&w->lock);
	if (grown) {
		natsMsg_Destroy(m);
		return -1;
	}
	natsMsg *mine = m;
	natsStatus s;
	/* too many awaiting the server (a message of thousands of bad records):
	 * libnats waits StallWait and says timeout; wait on, up to 10 s */
	for (int tries = 0; (s = js_PublishMsgAsync(w->js, &mine, NULL)) == NATS_TIMEOUT && mine && tries < 50; tries++)
		;
	if (s != NATS_OK) { /* not sent: the message is still ours */
		pthread_mutex_lock(&w->lock);
		for (size_t i = 0; i < w->nsent; i++)
			if (w->sent[i].m == m) {
				w->sent[i] = w->sent[--w->nsent];
				break;
			}
		e->expected--;
		if (!*w->publish_error)
			nats_describe(w->publish_error, sizeof(w->publish_error), s, 0);
		pthread_mutex_unlock(&w->lock);
		natsMsg_Destroy(mine);
		return -1;
	}
	return 0;
}

static void settle(cordon_worker *w, struct entry *e, int ack)
{
	if (ack)
		natsMsg_Ack(e->in, NULL);
	else
		natsMsg_NakWithDelay(e->in, (int64_t)((w->o.nak_delay > 0 ? w->o.nak_delay : 5) * 1000), NULL);
	e->settled = 1;
	e->ack_sent = ack;
}

/* The whole of message ei to the quarantine subject, as it came. */
static int quarantine_whole(cordon_worker *w, size_t ei, const char *why, const char *source)
{
	struct entry *e = &w->batch[ei];
	const char *data = natsMsg_GetData(e->in);
	size_t len = (size_t)natsMsg_GetDataLength(e->in);
	/* a message near max_payload with the headers added would be refused
	 * for ever: then it goes in parts, cut after a line where one ends
	 * within the room (else at the room), ids :q1, :q2... in order */
	size_t room = w->max_payload > 8192 ? (size_t)w->max_payload - 4096 : 4096;
	unsigned k = 1;
	for (size_t at = 0; at < len || (at == 0 && len == 0); k++) {
		size_t n = len - at;
		if (n > room) {
			const char *nl = memrchr(data + at, '\n', room);
			n = nl ? (size_t)(nl - (data + at)) + 1 : room;
		}
		char id[320], part[32];
		cordon_worker_msg_id(id, sizeof(id), w->o.stream, e->seq, k);
		snprintf(part, sizeof(part), "%u", k);
		const char *h[] = { "Cordon-Reason", why, "Cordon-Source", source, n < len ? "Cordon-Part" : NULL, part,
				    NULL };
		if (publish(w, ei, w->o.quarantine_subject, data + at, n, id, h))
			return -1;
		at += n;
		if (!len)
			break;
	}
	return 0;
}

/* Redacts one message and sends what it became; settles it when nothing
 * is to be sent (or it cannot be). */
static void process(cordon_worker *w, size_t ei)
{
	struct entry *e = &w->batch[ei];
	const char *data = natsMsg_GetData(e->in);
	size_t len = (size_t)natsMsg_GetDataLength(e->in);
	char source[300], id[320];
	snprintf(source, sizeof(source), "%s:%" PRIu64, w->o.stream, e->seq);
	fflush(w->outf);
	fflush(w->qf);
	cordon_buf_reset(&w->out);
	cordon_buf_reset(&w->q);
	w->q_from = 0;
	w->npieces = 0;
	w->piece_failed = 0;
	struct cordon_stream_stats s;
	memset(&s, 0, sizeof(s));
	cordon_code rc = stream_run_message(w->st, data, len, w->outf, &s, on_quarantine, w);
	if (rc == CORDON_OK && (fflush(w->outf) != 0 || fflush(w->qf) != 0 || w->piece_failed))
		rc = CORDON_ERR_NOMEM;
	e->bytes = len;
	if (rc != CORDON_OK) {
		int bad_data = rc == CORDON_ERR_PARSE || rc == CORDON_ERR_TOO_LARGE;
		char why[512];
		snprintf(why, sizeof(why), "%s", *cordon_stream_error(w->st) ? cordon_stream_error(w->st) : cordon_strerror(rc));
		if (bad_data && w->o.quarantine_subject) {
			/* the message cannot be read at all (a CSV header over the
			 * limit): it goes to the quarantine whole, counted one record */
			e->records_in = e->quarantined = 1;
			if (quarantine_whole(w, ei, why, source))
				e->failed = 1;
			return;
		}
		if (bad_data) {
			w->stats.held++;
			/* said at its 1st, 2nd, 4th, 8th... delivery: it comes every nak_delay */
			if (!(e->delivered & (e->delivered - 1)))
				wlog(w, "message %s (delivery %" PRIu64 "): %s; left in the stream (no quarantine subject)",
				     source, e->delivered, why);
		} else {
			wlog(w, "message %s: %s; it will come again", source, why);
		}
		settle(w, e, 0);
		return;
	}
	e->records_in = s.records_in;
	e->records_out = s.records_out;
	e->quarantined = s.quarantined;
	memcpy(e->findings, s.findings, sizeof(e->findings));
	/* headers and the subject take room too: 4 KiB is kept for them */
	int too_long = (int64_t)w->out.len > w->max_payload - 4096;
	if (too_long) {
		char why[200];
		snprintf(why, sizeof(why), "its redacted records are %zu bytes, more than the server takes in a message "
			 "(%" PRId64 ")", w->out.len, w->max_payload);
		if (!w->o.quarantine_subject) {
			w->stats.held++;
			wlog(w, "message %s: %s; left in the stream (no quarantine subject)", source, why);
			settle(w, e, 0);
			return;
		}
		/* the message goes to the quarantine whole, as it came */
		e->quarantined = e->records_in;
		e->records_out = 0;
		memset(e->findings, 0, sizeof(e->findings));
		if (quarantine_whole(w, ei, why, source))
			e->failed = 1;
		return;
	}
	if (s.records_out) {
		char n[24];
		snprintf(n, sizeof(n), "%" PRIu64, s.records_out);
		const char *h[] = { "Cordon-Source", source, "Cordon-Records", n, NULL };
		cordon_worker_msg_id(id, sizeof(id), w->o.stream, e->seq, 0);
		if (publish(w, ei, w->o.out_subject, w->out.data, w->out.len, id, h))
			e->failed = 1;
	}
	for (size_t k = 0; !e->failed && k < w->npieces; k++) {
		struct piece *p = &w->pieces[k];
		char rec[24];
		snprintf(rec, sizeof(rec), "%" PRIu64, p->record);
		const char *h[] = { "Cordon-Reason", p->reason, "Cordon-Source", source, "Cordon-Record", rec, NULL };
		cordon_worker_msg_id(id, sizeof(id), w->o.stream, e->seq, (unsigned)k + 1);
		if (publish(w, ei, w->o.quarantine_subject, w->q.data + p->start, p->end - p->start, id, h))
			e->failed = 1;
	}
	if (!e->expected && !e->failed) /* nothing in it (an empty message) */
		settle(w, e, 1);
}

static void count(cordon_worker *w, const struct entry *e)
{
	w->stats.messages++;
	w->stats.records_in += e->records_in;
	w->stats.records_out += e->records_out;
	w->stats.quarantined += e->quarantined;
	w->stats.bytes_in += e->bytes;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		w->stats.findings[i] += e->findings[i];
}

/* Waits for the server's answers, then acknowledges or naks each input.
 * Returns how many were naked. */
static uint64_t finish_batch(cordon_worker *w)
{
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MaxWait = PUBLISH_WAIT_MS;
	natsStatus s = js_PublishAsyncComplete(w->js, &po);
	if (s != NATS_OK) {
		natsMsgList pending = { 0 };
		if (js_PublishAsyncGetPendingList(&pending, w->js) == NATS_OK) {
			pthread_mutex_lock(&w->lock);
			for (int i = 0; i < pending.Count; i++)
				for (size_t k = 0; k < w->nsent; k++)
					if (w->sent[k].m == pending.Msgs[i]) {
						w->batch[w->sent[k].entry].failed = 1;
						w->sent[k] = w->sent[--w->nsent];
						break;
					}
			pthread_mutex_unlock(&w->lock);
			natsMsgList_Destroy(&pending);
		}
		if (!*w->publish_error)
			nats_describe(w->publish_error, sizeof(w->publish_error), s, 0);
	}
	pthread_mutex_lock(&w->lock);
	/* an answer that never came (the list above missed it) is a failure */
	for (size_t k = 0; k < w->nsent; k++)
		w->batch[w->sent[k].entry].failed = 1;
	w->nsent = 0;
	pthread_mutex_unlock(&w->lock);
	uint64_t naked = 0;
	for (size_t i = 0; i < w->nbatch; i++) {
		struct entry *e = &w->batch[i];
		if (e->settled) {
			if (e->ack_sent)
				count(w, e); /* a message with nothing to send */
			continue;
		}
		int ok = !e->failed && e->acked == e->expected;
		settle(w, e, ok);
		if (ok)
			count(w, e);
		else
			naked++;
	}
	if (naked) {
		w->stats.publish_failures += naked;
		wlog(w, "%" PRIu64 " message%s not stored (%s); naked, they will come again", naked, naked > 1 ? "s" : "",
		     *w->publish_error ? w->publish_error : "no answer from the server");
	}
	*w->publish_error = '\0';
	return naked;
}

static int64_t back_off(int64_t backoff)
{
	backoff = backoff ? backoff * 2 : BACKOFF_MIN_MS;
	if (backoff > BACKOFF_MAX_MS)
		backoff = BACKOFF_MAX_MS;
	nats_sleep_ms(backoff);
	return backoff;
}

static void update_lag(cordon_worker *w)
{
	if ((int64_t)(1000 * nats_seconds_since(&w->lag_at)) < LAG_EVERY_MS)
		return;
	clock_gettime(CLOCK_MONOTONIC, &w->lag_at);
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	if (js_GetConsumerInfo(&ci, w->js, w->o.stream, w->group, NULL, &jerr) == NATS_OK && ci) {
		w->stats.lag = (int64_t)ci->NumPending;
		w->stats.in_flight = ci->NumAckPending;
		jsConsumerInfo_Destroy(ci);
	}
}

cordon_code cordon_worker_run(cordon_worker *w)
{
	if (!w || !w->js)
		return CORDON_ERR_ARG;
	int64_t backoff = 0;
	int told_down = 0;
	unsigned failures = 0;
	while (!(w->o.stop && w->o.stop(w->o.ctx))) {
		if (w->metrics)
			worker_metrics_update(w->metrics, &w->stats, w->o.stream, w->group, connected(w));
		if (!w->sub) { /* the consumer not made yet: the servers were away */
			cordon_code rc = check_no_loop(w);
			if (rc == CORDON_OK)
				rc = make_consumer(w);
			if (rc == CORDON_ERR_ARG)
				return rc;
			if (rc != CORDON_OK) {
				if (!backoff)
					wlog(w, "%s; trying on", w->err);
				backoff = back_off(backoff);
				continue;
			}
			wlog(w, "consuming '%s' as '%s'", w->o.stream, w->group);
			backoff = 0;
		}
		natsMsgList list = { 0 };
		/* --batch, or as many as FETCH_MAX_BYTES of messages the size of
		 * the last batch's take (from 8 to 256): many small messages a
		 * fetch, not many large ones held at once */
		int n = (int)w->o.batch;
		if (!n) {
			size_t fit = FETCH_MAX_BYTES / (w->msg_bytes ? w->msg_bytes : 65536);
			n = fit < 8 ? 8 : fit > 256 ? 256 : (int)fit;
		}
		jsErrCode jerr = 0;
		natsStatus s = natsSubscription_Fetch(&list, w->sub, n, FETCH_WAIT_MS, &jerr);
		if (s == NATS_TIMEOUT && !list.Count) {
			backoff = 0;
			update_lag(w);
			continue;
		}
		if (s != NATS_OK && !list.Count) {
			char why[384];
			nats_describe(why, sizeof(why), s, jerr);
			if (!told_down)
				wlog(w, "cannot fetch from '%s': %s; backing off", w->o.stream, why);
			told_down = 1;
			/* the consumer gone (a stream restored, a server replaced):
			 * looked up, and made again if need be, every fifth failure */
			if ((jerr == JSConsumerNotFoundErr || s == NATS_NOT_FOUND || s == NATS_INVALID_SUBSCRIPTION ||
			     ++failures % 5 == 0) &&
			    make_consumer(w) == CORDON_OK)
				wlog(w, "consumer '%s' bound again", w->group);
			backoff = back_off(backoff);
			continue;
		}
		if (told_down)
			wlog(w, "fetching from '%s' again", w->o.stream);
		told_down = 0;
		failures = 0;
		pthread_mutex_lock(&w->lock);
		int grown = ALLOC_GROW(w->batch, (size_t)list.Count, w->capbatch);
		pthread_mutex_unlock(&w->lock);
		if (grown) {
			natsMsgList_Destroy(&list); /* not acknowledged: they come again */
			return fail(w, CORDON_ERR_NOMEM, "out of memory for a batch of %d messages", list.Count);
		}
		memset(w->batch, 0, (size_t)list.Count * sizeof(*w->batch));
		w->nbatch = (size_t)list.Count;
		size_t bytes = 0;
		for (int i = 0; i < list.Count; i++)
			bytes += (size_t)natsMsg_GetDataLength(list.Msgs[i]);
		w->msg_bytes = bytes / (size_t)list.Count + 1;
		struct timespec fetched;
		clock_gettime(CLOCK_MONOTONIC, &fetched);
		for (int i = 0; i < list.Count; i++) {
			struct entry *e = &w->batch[i];
			e->in = list.Msgs[i];
			/* a slow batch (huge messages, a slow machine): the messages not
			 * done yet are said to be in progress, so the server does not
			 * give them to another worker meanwhile */
			if (w->ack_wait_ms > 0 && nats_seconds_since(&fetched) * 1000 > (double)w->ack_wait_ms / 3) {
				for (int k = i; k < list.Count; k++)
					natsMsg_InProgress(list.Msgs[k], NULL);
				clock_gettime(CLOCK_MONOTONIC, &fetched);
			}
			jsMsgMetaData *meta = NULL;
			if (natsMsg_GetMetaData(&meta, e->in) == NATS_OK) {
				e->seq = meta->Sequence.Stream;
				e->delivered = meta->NumDelivered;
				jsMsgMetaData_Destroy(meta);
			}
			if (!e->seq) { /* not a JetStream message: never acknowledged, never published */
				wlog(w, "a message without JetStream metadata; left alone");
				e->settled = 1;
				e->failed = 1;
				continue;
			}
			if (e->delivered > 1)
				w->stats.redelivered++;
			process(w, (size_t)i);
		}
		uint64_t naked = finish_batch(w);
		natsMsgList_Destroy(&list);
		update_lag(w);
		/* the servers not storing: wait before taking more */
		backoff = naked ? back_off(backoff) : 0;
	}
	if (w->metrics)
		worker_metrics_update(w->metrics, &w->stats, w->o.stream, w->group, connected(w));
	return CORDON_OK;
}

void cordon_worker_get_stats(const cordon_worker *w, struct cordon_worker_stats *stats)
{
	if (w && stats)
		*stats = w->stats;
}

const char *cordon_worker_error(const cordon_worker *w)
{
	return w ? w->err : "";
}

void cordon_worker_free(cordon_worker *w)
{
	if (!w)
		return;
	worker_metrics_stop(w->metrics);
	if (w->js) {
		jsPubOptions po;
		jsPubOptions_Init(&po);
		po.MaxWait = 1000;
		if (js_PublishAsyncComplete(w->js, &po) != NATS_OK) {
			/* taken out of libnats's hands: no answer reaches w once freed */
			natsMsgList pending = { 0 };
			if (js_PublishAsyncGetPendingList(&pending, w->js) == NATS_OK)
				natsMsgList_Destroy(&pending);
		}
	}
	/* the subscription (a durable consumer stays: Destroy, not Unsubscribe,
	 * which deletes it) and the context go with the connection's close:
	 * a fetch's messages may still be arriving for them */
	nats_defer_destroy(w->nc, w->sub, w->js);
	cordon_stream_free(w->st);
	if (w->outf)
		fclose(w->outf);
	if (w->qf)
		fclose(w->qf);
	cordon_buf_release(&w->out);
	cordon_buf_release(&w->q);
	free(w->pieces);
	free(w->batch);
	free(w->sent);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
