/* libFuzzer: what cordon probe reads from a server, in every probe. The
 * first byte picks the probe; the rest is a run of replies, each a 2-byte
 * length then its bytes (for HTTP probes: a status byte, header lines,
 * "\n\n", the body), handed to the probe's step as the loop would, without
 * a network: requests are checked against the probe's list and dropped
 * (a conversation without a loop sends nothing). PostgreSQL samples and
 * MySQL logins go through client libraries and a socket: they are left
 * out (no sample, no login) for those two. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct probe_def probe_postgres, probe_mysql;

static cordon_probe *probe;
static cordon_engine *engine;
static struct endpoint ep;

static void setup(void)
{
	struct cordon_probe_options o = CORDON_PROBE_OPTIONS_INIT;
	if (cordon_engine_new(&engine, NULL) != CORDON_OK)
		abort();
	o.engine = engine;
	o.no_login = 1;
	o.sample = 3;
	o.reply_max = 4096;
	uint64_t n;
	if (cordon_probe_new(&probe, &o) != CORDON_OK || cordon_probe_add_target(probe, "127.0.0.1:1", NULL) != CORDON_OK ||
	    cordon_probe_count(probe, 0, &n) != CORDON_OK)
		abort();
	targets_rewind(probe);
	if (!targets_next(probe, &ep))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!probe)
		setup();
	if (size < 1)
		return 0;
	size_t ndefs = 0;
	while (probe_defs[ndefs])
		ndefs++;
	const struct probe_def *def = data[0] % (ndefs + 1) == ndefs ? &probe_http_any : probe_defs[data[0] % (ndefs + 1)];
	probe->o.no_sample = def == &probe_postgres;
	struct probe_ctx c;
	memset(&c, 0, sizeof(c));
	c.run = probe;
	c.def = def;
	c.fd = -1;
	c.ep = ep;
	c.name = (char *)"fuzz";
	cordon_buf_init(&c.in, probe->o.reply_max);
	cordon_buf_init(&c.out, 0);
	cordon_buf_init(&c.head, 0);
	if (def->priv_size && !(c.priv = calloc(1, def->priv_size)))
		abort();
	/* the first request; an HTTP service's probe starts with the reply to
	 * GET / in hand, as http.c hands it over */
	int r = def->transport == PROBE_HTTP && def != &probe_http_any ? PROBE_WAIT : def->step(&c);
	size_t off = 1;
	for (int turn = 0; r == PROBE_WAIT && !c.done && turn < 64 && off + 2 <= size; turn++) {
		size_t len = (size_t)data[off] | (size_t)data[off + 1] << 8;
		off += 2;
		if (len > size - off)
			len = size - off;
		const char *chunk = (const char *)data + off;
		off += len;
		c.out.len = 0; /* what it sent: dropped */
		if (c.def->transport == PROBE_HTTP) {
			static const long statuses[] = { 200, 401, 404, 500, 302, 403 };
			c.status = len ? statuses[(unsigned char)chunk[0] % 6] : 200;
			const char *body = len ? chunk + 1 : chunk;
			size_t blen = len ? len - 1 : 0;
			const char *sep = memmem(body, blen, "\n\n", 2);
			c.in.len = c.head.len = 0;
			c.capped = 0;
			if (sep) {
				if (cordon_buf_append(&c.head, body, (size_t)(sep - body) + 1))
					abort();
				blen -= (size_t)(sep - body) + 2;
				body = sep + 2;
			}
			if (blen > probe->o.reply_max) {
				blen = probe->o.reply_max;
				c.capped = 1;
			}
			if (cordon_buf_append(&c.in, body, blen))
				abort();
			c.replies++;
		} else {
			size_t room = probe->o.reply_max - c.in.len;
			if (len > room) {
				len = room;
				c.capped = 1;
			}
			if (cordon_buf_append(&c.in, chunk, len))
				abort();
			c.eof = off >= size;
			c.replies++;
		}
		if (c.ext) /* a client library's connection: not here */
			break;
		r = c.def->step(&c);
	}
	if (c.priv && c.def->release)
		c.def->release(&c);
	free(c.priv);
	free(c.url);
	cordon_buf_release(&c.in);
	cordon_buf_release(&c.out);
	cordon_buf_release(&c.head);
	result_release(&c.res);
	return 0;
}
