/* cordon publish: lines of files into a subject, as they are, batch lines
 * to a message. Each message has a Nats-Msg-Id unique to the run, so one
 * sent again (its acknowledgement lost, a leader elected meanwhile) is
 * stored once; messages the server did not acknowledge are sent again
 * until it does, or until it has not for PUBLISH_GIVE_UP_MS. */
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "records/input.h"
#include "util/buf.h"
#include "worker/worker_internal.h"

enum {
	READ_CHUNK = 1 << 20,
	PUBLISH_GIVE_UP_MS = 60000, /* without a single acknowledgement */
	NO_STREAM_GIVE_UP_MS = 5000,
	RETRY_ROUNDS_MAX = 1000,
};

struct pub {
	cordon_nats *nc;
	jsCtx *js;
	const struct cordon_publish_options *o;
	char run[24];
	uint64_t next; /* messages made */
	pthread_mutex_t lock;
	natsMsg **retry;
	size_t nretry, capretry;
	int retry_nomem;
	struct cordon_publish_stats acked;
	struct timespec progress; /* the last acknowledgement */
	int no_stream;            /* the last answer: no stream takes the subject */
	char error[256];
};

static void on_ack(jsCtx *js, natsMsg *m, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
	struct pub *p = closure;
	(void)js;
	pthread_mutex_lock(&p->lock);
	if (pa && !pae) {
		const char *n = NULL;
		p->acked.messages++;
		p->no_stream = 0;
		p->acked.bytes += (uint64_t)natsMsg_GetDataLength(m);
		if (natsMsgHeader_Get(m, "Cordon-Records", &n) == NATS_OK && n)
			p->acked.records += strtoull(n, NULL, 10);
		clock_gettime(CLOCK_MONOTONIC, &p->progress);
		pthread_mutex_unlock(&p->lock);
		natsMsg_Destroy(m);
		return;
	}
	if (pae) {
		p->no_stream = pae->Err == NATS_NO_RESPONDERS;
		snprintf(p->error, sizeof(p->error), "%s%s%s", natsStatus_GetText(pae->Err), pae->ErrText ? ": " : "",
			 pae->ErrText ? pae->ErrText : "");
	}
	if (ALLOC_GROW(p->retry, p->nretry + 1, p->capretry)) {
		p->retry_nomem = 1; /* counted as not acknowledged */
		pthread_mutex_unlock(&p->lock);
		natsMsg_Destroy(m);
		return;
	}
	p->retry[p->nretry++] = m; /* kept: sent again */
	pthread_mutex_unlock(&p->lock);
}

/* Nothing acknowledged for PUBLISH_GIVE_UP_MS; or for NO_STREAM_GIVE_UP_MS
 * with the server saying no stream takes the subject (a typo, or a stream
 * not made: not worth a minute; a leader being elected answers sooner). */
static int stalled(struct pub *p)
{
	pthread_mutex_lock(&p->lock);
	int64_t ms = (int64_t)(1000 * nats_seconds_since(&p->progress));
	int no_stream = p->no_stream;
	pthread_mutex_unlock(&p->lock);
	return ms > PUBLISH_GIVE_UP_MS || (no_stream && ms > NO_STREAM_GIVE_UP_MS);
}

static cordon_code give_up(struct pub *p)
{
	if (p->no_stream)
		return nats_fail(p->nc, CORDON_ERR_IO,
				 "no stream takes subject '%s' (--create-streams makes one named after its first token)",
				 p->o->subject);
	return nats_fail(p->nc, CORDON_ERR_IO, "the server acknowledged nothing for %d s: %s",
			 (int)nats_seconds_since(&p->progress), *p->error ? p->error : "no answer");
}

/* Hands m to libnats, waiting while it has too many in flight or no server. */
static cordon_code send_msg(struct pub *p, natsMsg *m)
{
	long wait = 50;
	for (;;) {
		natsMsg *mine = m;
		natsStatus s = js_PublishMsgAsync(p->js, &mine, NULL);
		if (s == NATS_OK)
			return CORDON_OK;
		if (stalled(p)) {
			char why[384];
			nats_describe(why, sizeof(why), s, 0);
			natsMsg_Destroy(m);
			if (p->no_stream)
				return give_up(p);
			return nats_fail(p->nc, CORDON_ERR_IO, "cannot publish to '%s': %s", p->o->subject, why);
		}
		nats_sleep_ms(wait);
		wait = wait < 2000 ? wait * 2 : 2000;
	}
}

/* Sends again what the server did not acknowledge. */
static cordon_code resend(struct pub *p)
{
	pthread_mutex_lock(&p->lock);
	natsMsg **list = p->retry;
	size_t n = p->nretry;
	p->retry = NULL;
	p->nretry = p->capretry = 0;
	pthread_mutex_unlock(&p->lock);
	cordon_code rc = CORDON_OK;
	for (size_t i = 0; i < n; i++) {
		if (rc == CORDON_OK)
			rc = send_msg(p, list[i]);
		else
			natsMsg_Destroy(list[i]);
	}
	free(list);
	return rc;
}

static cordon_code send_lines(struct pub *p, const char *data, size_t len, uint64_t records)
{
	char id[64], n[24];
	snprintf(id, sizeof(id), "%s-%" PRIu64, p->run, ++p->next);
	snprintf(n, sizeof(n), "%" PRIu64, records);
	const char *h[] = { "Nats-Msg-Id", id, "Cordon-Records", n, NULL };
	natsMsg *m = nats_msg_new(p->o->subject, data, len, h);
	if (!m)
		return nats_fail(p->nc, CORDON_ERR_NOMEM, "out of memory");
	cordon_code rc = send_msg(p, m);
	pthread_mutex_lock(&p->lock);
	size_t waiting = p->nretry;
	pthread_mutex_unlock(&p->lock);
	if (rc == CORDON_OK && waiting >= 256)
		rc = resend(p);
	return rc;
}

/* Waits until every message sent was acknowledged, sending again those
 * that were not. */
static cordon_code settle(struct pub *p)
{
	for (int round = 0; round < RETRY_ROUNDS_MAX; round++) {
		jsPubOptions po;
		jsPubOptions_Init(&po);
		po.MaxWait = 5000;
		natsStatus s = js_PublishAsyncComplete(p->js, &po);
		if (s != NATS_OK) { /* no answer in time: what is pending is sent again */
			natsMsgList pending = { 0 };
			if (js_PublishAsyncGetPendingList(&pending, p->js) == NATS_OK) {
				pthread_mutex_lock(&p->lock);
				for (int i = 0; i < pending.Count; i++)
					if (!ALLOC_GROW(p->retry, p->nretry + 1, p->capretry)) {
						p->retry[p->nretry++] = pending.Msgs[i];
						pending.Msgs[i] = NULL;
					} else {
						p->retry_nomem = 1;
					}
				pthread_mutex_unlock(&p->lock);
				natsMsgList_Destroy(&pending);
			}
		}
		pthread_mutex_lock(&p->lock);
		size_t waiting = p->nretry;
		pthread_mutex_unlock(&p->lock);
		if (!waiting && s == NATS_OK)
			return p->retry_nomem ? nats_fail(p->nc, CORDON_ERR_NOMEM, "out of memory keeping messages to send again")
					      : CORDON_OK;
		if (stalled(p))
			break;
		nats_sleep_ms(round < 5 ? 100L << round : 2000);
		cordon_code rc = resend(p);
		if (rc != CORDON_OK)
			return rc;
	}
	return give_up(p);
}

cordon_code cordon_nats_publish_fd(cordon_nats *nc, const struct cordon_publish_options *o, int fd, const char *name,
				   struct cordon_publish_stats *stats)
{
	if (!nc || !o || !o->subject || fd < 0 || !stats)
		return CORDON_ERR_ARG;
	if (!name)
		name = "input";
	struct pub p;
	memset(&p, 0, sizeof(p));
	p.nc = nc;
	p.o = o;
	pthread_mutex_init(&p.lock, NULL);
	clock_gettime(CLOCK_MONOTONIC, &p.progress);
	unsigned char r[8];
	randombytes_buf(r, sizeof(r));
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(p.run + 2 * i, 3, "%02x", r[i]);
	size_t max = o->max_bytes ? o->max_bytes : (size_t)nats_max_payload(nc) - 1024;
	size_t batch = o->batch ? o->batch : 1;
	jsOptions jo;
	jsOptions_Init(&jo);
	jo.PublishAsync.AckHandler = on_ack;
	jo.PublishAsync.AckHandlerClosure = &p;
	jo.PublishAsync.MaxPending = o->max_pending ? o->max_pending : 4096;
	cordon_code rc = nats_jetstream(nc, &p.js, &jo);
	struct input *in = rc == CORDON_OK ? input_new(fd, NULL, NULL) : NULL;
	char *chunk = in ? malloc(READ_CHUNK) : NULL;
	struct cordon_buf msg = CORDON_BUF_INIT;
	size_t line_start = 0, lines = 0;
	uint64_t line_no = 0;
	if (rc == CORDON_OK && (!in || !chunk))
		rc = nats_fail(nc, CORDON_ERR_NOMEM, "out of memory");
	for (int eof = 0; rc == CORDON_OK && !eof;) {
		ssize_t got = input_read(in, chunk, READ_CHUNK);
		if (got < 0) {
			rc = nats_fail(nc, input_error_code(in), "cannot read '%s': %s", name, input_error(in));
			break;
		}
		eof = got == 0;
		size_t at = 0, n = (size_t)got;
		while (rc == CORDON_OK && (at < n || (eof && msg.len > line_start))) {
			const char *nl = at < n ? memchr(chunk + at, '\n', n - at) : NULL;
			size_t take = nl ? (size_t)(nl - (chunk + at)) + 1 : n - at;
			if (take && cordon_buf_append(&msg, chunk + at, take)) {
				rc = nats_fail(nc, CORDON_ERR_NOMEM, "out of memory");
				break;
			}
			at += take;
			int line_done = nl || (eof && at >= n);
			if (msg.len - line_start > max) {
				rc = nats_fail(nc, CORDON_ERR_TOO_LARGE,
					       "line %" PRIu64 " of '%s' is longer than a message may be (%zu bytes; "
					       "the server's max_payload); nothing of it was sent",
					       line_no + 1, name, max);
				break;
			}
			if (!line_done)
				continue;
			line_no++;
			if (msg.len > max) { /* the lines before it go first */
				rc = send_lines(&p, msg.data, line_start, lines);
				memmove(msg.data, msg.data + line_start, msg.len - line_start);
				msg.len -= line_start;
				lines = 0;
			}
			lines++;
			line_start = msg.len;
			if (rc == CORDON_OK && (lines >= batch || (eof && at >= n))) {
				rc = send_lines(&p, msg.data, msg.len, lines);
				msg.len = line_start = lines = 0;
			}
		}
	}
	if (rc == CORDON_OK && lines)
		rc = send_lines(&p, msg.data, msg.len, lines);
	/* what was sent is waited for, even after an error: the count is true */
	if (p.js) {
		cordon_code settled = settle(&p);
		if (rc == CORDON_OK)
			rc = settled;
	}
	if (p.js) {
		/* what libnats still waits an answer for (a resend that failed
		 * half way) is taken out of its hands: an answer for it now
		 * finds nothing pending and calls no handler, whose closure
		 * (p) is on this stack. The context itself goes with the
		 * connection's close: a late answer may be on libnats's reader
		 * thread now, and destroying the context under it leaked it
		 * (worker_auth, LeakSanitizer: 155 bytes from natsMsg_create). */
		natsMsgList pending = { 0 };
		if (js_PublishAsyncGetPendingList(&pending, p.js) == NATS_OK)
			natsMsgList_Destroy(&pending);
		nats_defer_destroy(nc, NULL, p.js);
	}
	stats->records += p.acked.records;
	stats->messages += p.acked.messages;
	stats->bytes += p.acked.bytes;
	pthread_mutex_lock(&p.lock);
	for (size_t i = 0; i < p.nretry; i++)
		natsMsg_Destroy(p.retry[i]);
	free(p.retry);
	pthread_mutex_unlock(&p.lock);
	pthread_mutex_destroy(&p.lock);
	cordon_buf_release(&msg);
	free(chunk);
	input_free(in);
	return rc;
}
