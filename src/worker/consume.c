/* cordon consume: a stream drained into a file, from its first message,
 * until none has come for `idle` seconds. An ephemeral consumer that
 * acknowledges all at once (AckAll), and only after the output was kept:
 * a work-queue stream loses nothing to a drain that failed. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "worker/worker_internal.h"

enum { FETCH_BATCH = 256, FETCH_WAIT_MS = 250, FAILING_MAX_S = 30 };

static void put_json_bytes(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

static void put_json(FILE *f, const char *s)
{
	put_json_bytes(f, s, strlen(s));
}

static int write_msg(FILE *out, natsMsg *m, int json)
{
	const char *data = natsMsg_GetData(m);
	size_t len = (size_t)natsMsg_GetDataLength(m);
	if (!json) {
		if (len && fwrite(data, 1, len, out) != len)
			return -1;
		if ((!len || data[len - 1] != '\n') && putc('\n', out) == EOF)
			return -1;
		return 0;
	}
	fputs("{\"subject\":", out);
	put_json(out, natsMsg_GetSubject(m));
	uint64_t seq = 0;
	jsMsgMetaData *meta = NULL;
	if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
		seq = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
	}
	fprintf(out, ",\"sequence\":%" PRIu64 ",\"headers\":{", seq);
	const char **keys = NULL;
	int nkeys = 0;
	if (natsMsgHeader_Keys(m, &keys, &nkeys) == NATS_OK) {
		for (int k = 0; k < nkeys; k++) {
			const char **values = NULL;
			int nv = 0;
			if (k)
				putc(',', out);
			put_json(out, keys[k]);
			fputs(":[", out);
			if (natsMsgHeader_Values(m, keys[k], &values, &nv) == NATS_OK) {
				for (int v = 0; v < nv; v++) {
					if (v)
						putc(',', out);
					put_json(out, values[v]);
				}
				free((void *)values);
			}
			putc(']', out);
		}
		free((void *)keys);
	}
	fputs("},\"data\":", out);
	put_json_bytes(out, data ? data : "", len);
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}

cordon_code cordon_nats_consume(cordon_nats *nc, const struct cordon_consume_options *o, FILE *out,
				struct cordon_consume_stats *stats)
{
	if (!nc || !o || !o->stream || !out || !stats)
		return CORDON_ERR_ARG;
	jsCtx *js = NULL;
	cordon_code rc = nats_jetstream(nc, &js, NULL);
	if (rc != CORDON_OK)
		return rc;
	/* an ephemeral consumer made here (libnats wants a subject to make one,
	 * and a stream's whole needs none), then bound to */
	jsConsumerConfig cc;
	jsConsumerConfig_Init(&cc);
	cc.AckPolicy = js_AckAll;
	cc.DeliverPolicy = js_DeliverAll;
	/* nothing is acknowledged until the end: no limit on what is pending
	 * (the server's default of 1000 would stop the drain there), and no
	 * delivery again while the drain lasts */
	cc.MaxAckPending = INT32_MAX;
	cc.AckWait = (int64_t)24 * 3600 * 1000000000;
	cc.InactiveThreshold = (int64_t)60 * 1000000000; /* gone a minute after us */
	if (o->subject)
		cc.FilterSubject = o->subject;
	jsConsumerInfo *ci = NULL;
	natsSubscription *sub = NULL;
	jsErrCode jerr = 0;
	/* a leader being elected answers with a timeout for a while: tried again */
	natsStatus s;
	for (int tries = 0;; tries++) {
		jerr = 0;
		s = js_AddConsumer(&ci, js, o->stream, &cc, NULL, &jerr);
		if ((s != NATS_TIMEOUT && s != NATS_NO_RESPONDERS) || tries >= 15)
			break;
		nats_sleep_ms(tries < 4 ? 250L << tries : 2000);
	}
	char name[128] = "";
	if (s == NATS_OK) {
		snprintf(name, sizeof(name), "%s", ci->Name);
		jsConsumerInfo_Destroy(ci);
		jsSubOptions so;
		jsSubOptions_Init(&so);
		so.Stream = o->stream;
		so.Consumer = name;
		s = js_PullSubscribe(&sub, js, NULL, NULL, NULL, &so, &jerr);
	}
	if (s != NATS_OK) {
		char why[384];
		nats_describe(why, sizeof(why), s, jerr);
		if (*name)
			js_DeleteConsumer(js, o->stream, name, NULL, NULL);
		jsCtx_Destroy(js);
		return nats_fail(nc, jerr == JSStreamNotFoundErr ? CORDON_ERR_ARG : CORDON_ERR_IO,
				 "cannot read stream '%s': %s", o->stream, why);
	}
	double idle = o->idle > 0 ? o->idle : 5;
	struct timespec last, failing_since = { 0, 0 };
	clock_gettime(CLOCK_MONOTONIC, &last);
	natsMsg *newest = NULL; /* acknowledging it acknowledges all before it */
	for (;;) {
		natsMsgList list = { 0 };
		jerr = 0;
		s = natsSubscription_Fetch(&list, sub, FETCH_BATCH, FETCH_WAIT_MS, &jerr);
		if (s != NATS_OK && s != NATS_TIMEOUT && !list.Count) {
			/* a server away, a leader being elected: waited for (and not
			 * counted as idle: the stream may hold more), up to a limit */
			if (!failing_since.tv_sec)
				clock_gettime(CLOCK_MONOTONIC, &failing_since);
			if (nats_seconds_since(&failing_since) < FAILING_MAX_S) {
				nats_sleep_ms(250);
				clock_gettime(CLOCK_MONOTONIC, &last);
				continue;
			}
			char why[384];
			nats_describe(why, sizeof(why), s, jerr);
			rc = nats_fail(nc, CORDON_ERR_IO, "cannot read stream '%s' for %d s: %s", o->stream, FAILING_MAX_S,
				       why);
			break;
		}
		failing_since.tv_sec = 0;
		if (!list.Count) {
			if (nats_seconds_since(&last) >= idle)
				break;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &last);
		for (int i = 0; i < list.Count && rc == CORDON_OK; i++) {
			if (write_msg(out, list.Msgs[i], o->json))
				rc = nats_fail(nc, CORDON_ERR_IO, "cannot write the output");
			stats->messages++;
			stats->bytes += (uint64_t)natsMsg_GetDataLength(list.Msgs[i]);
		}
		if (rc == CORDON_OK) {
			natsMsg_Destroy(newest);
			newest = list.Msgs[list.Count - 1];
			list.Msgs[list.Count - 1] = NULL;
		}
		natsMsgList_Destroy(&list);
		if (rc != CORDON_OK)
			break;
	}
	if (rc == CORDON_OK && fflush(out) != 0)
		rc = nats_fail(nc, CORDON_ERR_IO, "cannot write the output");
	if (rc == CORDON_OK && o->commit && o->commit(o->ctx))
		rc = nats_fail(nc, CORDON_ERR_IO, "the output could not be kept; nothing was acknowledged");
	if (rc == CORDON_OK && newest && (s = natsMsg_AckSync(newest, NULL, &jerr)) != NATS_OK) {
		char why[384];
		nats_describe(why, sizeof(why), s, jerr);
		rc = nats_fail(nc, CORDON_ERR_IO, "the output is written, but acknowledging it failed: %s", why);
	}
	natsMsg_Destroy(newest);
	js_DeleteConsumer(js, o->stream, name, NULL, NULL); /* the ephemeral consumer goes */
	/* a fetch's expired request may still be answered: both go with the
	 * connection's close (nats_defer_destroy) */
	nats_defer_destroy(nc, sub, js);
	return rc;
}
