/* memcached, ASCII protocol, over TCP:
 *   version                      VERSION x: it answers strangers
 *   stats                        items and bytes held
 *   lru_crawler metadump all     key names (the first N kept)
 *   get KEY...                   their values, each capped by reply_max
 * and over UDP (a second endpoint, port/udp): one "version" in the UDP
 * frame; an answer is a reflection amplifier on the Internet.
 * Keys from the dump are sent back only when they are plain bytes (no
 * blank or control character): a key can never become a second command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { KEYS_MAX = 20, KEY_MAX = 250 };

static const char *const allow[] = {
	"version",
	"stats",
	"lru_crawler metadump all",
	"get KEY*",
	NULL,
};

enum { START, VERSION, STATS, DUMP, GET };

struct mc {
	char keys[KEYS_MAX][KEY_MAX + 1];
	size_t nkeys;
};

static const char *find_line_end(const char *p, size_t n) { return n ? memmem(p, n, "\r\n", 2) : NULL; }

static int unhex(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* "key=a%2Fb exp=..." -> "a/b" in out; 0, or -1 when it cannot be sent
 * back safely. */
static int dump_key(const char *line, size_t n, char *out)
{
	if (n < 4 || memcmp(line, "key=", 4))
		return -1;
	size_t o = 0;
	for (size_t i = 4; i < n && line[i] != ' '; i++) {
		int ch = (unsigned char)line[i];
		if (ch == '%' && i + 2 < n && unhex(line[i + 1]) >= 0 && unhex(line[i + 2]) >= 0) {
			ch = unhex(line[i + 1]) * 16 + unhex(line[i + 2]);
			i += 2;
		}
		if (ch <= 0x20 || ch == 0x7f || o == KEY_MAX)
			return -1;
		out[o++] = (char)ch;
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

static long stat_value(const char *p, size_t n, const char *name)
{
	char pat[64];
	int pl = snprintf(pat, sizeof(pat), "STAT %s ", name);
	const char *v = memmem(p, n, pat, (size_t)pl);
	return v ? strtol(v + pl, NULL, 10) : -1;
}

static int step(struct probe_ctx *c)
{
	struct mc *m = c->priv;
	if (c->state == START) {
		c->state = VERSION;
		return probe_send(c, "version", "version\r\n", 9) ? PROBE_DONE : PROBE_WAIT;
	}
	const char *p = c->in.data;
	size_t n = c->in.len;
	const char *eol = find_line_end(p, n);
	if (!eol)
		return c->capped ? PROBE_DONE : PROBE_WAIT;
	switch (c->state) {
	case VERSION:
		if (n >= 8 && !memcmp(p, "VERSION ", 8)) {
			probe_set_version(c, p + 8, (size_t)(eol - p - 8));
			probe_found(c, "unauthenticated_access", "version answers VERSION without authentication");
			probe_consume(c, (size_t)(eol - p) + 2);
			c->state = STATS;
			return probe_send(c, "stats", "stats\r\n", 7) ? PROBE_DONE : PROBE_WAIT;
		}
		if (!strncmp(p, "CLIENT_ERROR unauthenticated", 28) || !strncmp(p, "ERROR", 5))
			probe_found(c, "authenticated", "version is refused (%.40s)",
				    !strncmp(p, "ERROR", 5) ? "ERROR" : "CLIENT_ERROR unauthenticated");
		else
			return probe_mismatch(c);
		return PROBE_DONE;
	case STATS: {
		const char *end = memmem(p, n, "END\r\n", 5);
		if (!end)
			return c->capped ? PROBE_DONE : PROBE_WAIT;
		size_t len = (size_t)(end - p) + 5;
		probe_store(c, "items", 5, stat_value(p, len, "curr_items"), stat_value(p, len, "bytes"));
		probe_consume(c, len);
		if (!probe_sample_size(c) || stat_value(p, len, "curr_items") == 0)
			return PROBE_DONE;
		c->state = DUMP;
		return probe_send(c, "lru_crawler metadump all", "lru_crawler metadump all\r\n", 26) ? PROBE_DONE
												   : PROBE_WAIT;
	}
	case DUMP: {
		/* key lines until END; an error instead when the crawler is off */
		if (!strncmp(p, "ERROR", 5) || !strncmp(p, "CLIENT_ERROR", 12) || !strncmp(p, "SERVER_ERROR", 12)) {
			probe_note(c, "lru_crawler metadump refused: keys not sampled");
			return PROBE_DONE;
		}
		/* "key=... size=84\n" lines (a bare \n), then "END\r\n" */
		const char *end = n >= 5 && !memcmp(p, "END\r\n", 5) ? p : NULL;
		if (!end) {
			const char *e = memmem(p, n, "\nEND\r\n", 6);
			end = e ? e + 1 : NULL;
		}
		if (!end && !c->capped)
			return PROBE_WAIT;
		const char *stop = end ? end : p + n;
		for (const char *q = p; q < stop;) {
			const char *le = memchr(q, '\n', (size_t)(stop - q));
			if (!le)
				break;
			size_t ll = (size_t)(le - q);
			if (ll && q[ll - 1] == '\r')
				ll--;
			if (m->nkeys < probe_sample_size(c) && m->nkeys < KEYS_MAX && !dump_key(q, ll, m->keys[m->nkeys])) {
				probe_sample(c, m->keys[m->nkeys], strlen(m->keys[m->nkeys]));
				m->nkeys++;
			}
			q = le + 1;
		}
		if (!end) {
			probe_note(c, "the key dump was over the size cap: values not read");
			return PROBE_DONE;
		}
		probe_consume(c, n);
		if (!m->nkeys)
			return PROBE_DONE;
		struct strbuf b = STRBUF_INIT;
		struct strbuf t = STRBUF_INIT;
		sb_puts(&b, "get");
		sb_puts(&t, "get");
		for (size_t i = 0; i < m->nkeys; i++) {
			sb_printf(&b, " %s", m->keys[i]);
			sb_puts(&t, " KEY");
		}
		sb_puts(&b, "\r\n");
		size_t len = b.len;
		char *bytes = sb_detach(&b), *text = sb_detach(&t);
		int rc = bytes && text ? probe_send(c, text, bytes, len) : -1;
		free(bytes);
		free(text);
		c->state = GET;
		return rc ? PROBE_DONE : PROBE_WAIT;
	}
	default: {
		/* VALUE key flags bytes\r\n data\r\n ... END\r\n */
		size_t off = 0;
		while (off < n) {
			const char *le = find_line_end(p + off, n - off);
			if (!le)
				break;
			if (!strncmp(p + off, "END\r\n", 5))
				return PROBE_DONE;
			unsigned long bytes = 0;
			const char *sp = memrchr(p + off, ' ', (size_t)(le - p - off));
			if (strncmp(p + off, "VALUE ", 6) || !sp)
				return PROBE_DONE;
			bytes = strtoul(sp + 1, NULL, 10);
			size_t data = (size_t)(le - p) + 2;
			if (bytes > n || data + bytes + 2 > n) /* (a length past anything here cannot wrap) */
				break; /* not all here yet */
			probe_sample(c, p + data, bytes);
			off = data + bytes + 2;
		}
		probe_consume(c, off);
		if (c->capped) {
			probe_note(c, "a value over the size cap: not read");
			return PROBE_DONE;
		}
		return PROBE_WAIT;
	}
	}
}

const struct probe_def probe_memcached = {
	.name = "memcached",
	.service = "memcached",
	.datastore = "memcached",
	.transport = PROBE_TCP,
	.allow = allow,
	.step = step,
	.priv_size = sizeof(struct mc),
};

/* ---- UDP ---------------------------------------------------------------- */

static const char *const allow_udp[] = { "version", NULL };

static int step_udp(struct probe_ctx *c)
{
	/* the frame: request id, sequence 0, one datagram, reserved */
	static const char frame[] = "\x00\x01\x00\x00\x00\x01\x00\x00version\r\n";
	if (c->state == 0) {
		c->state = 1;
		return probe_send(c, "version", frame, sizeof(frame) - 1) ? PROBE_DONE : PROBE_WAIT;
	}
	if (c->in.len > 8 + 8 && !memcmp(c->in.data + 8, "VERSION ", 8)) {
		const char *eol = find_line_end(c->in.data + 16, c->in.len - 16);
		if (eol)
			probe_set_version(c, c->in.data + 16, (size_t)(eol - c->in.data - 16));
		probe_found(c, "unauthenticated_access",
			    "answers 'version' over UDP: a reflection amplifier for whoever can send to it");
	} else {
		return probe_mismatch(c);
	}
	return PROBE_DONE;
}

const struct probe_def probe_memcached_udp = {
	.name = "memcached-udp",
	.service = "memcached",
	.datastore = "memcached",
	.transport = PROBE_UDP,
	.allow = allow_udp,
	.step = step_udp,
};
