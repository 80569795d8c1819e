/* Redis, in RESP2:
 *   PING                  +PONG: open; -NOAUTH: a password is set;
 *                         -DENIED: protected mode refuses strangers
 *   INFO server, INFO keyspace   version, keys per database
 *   SCAN 0 COUNT 100      a few key names (SELECT n first when db0 is empty)
 *   TYPE KEY, then a bounded read by type: GETRANGE KEY 0 65535,
 *   LRANGE KEY 0 N-1, HSCAN/SSCAN KEY 0 COUNT N, ZRANGE KEY 0 N-1,
 *   XRANGE KEY - + COUNT N
 * Keys travel as RESP bulk strings (lengths, never parsed as commands) and
 * are never shown: the request texts say KEY. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { KEYS_MAX = 20, DEPTH_MAX = 4 };

static const char *const allow[] = {
	"PING",
	"INFO server",
	"INFO keyspace",
	"SELECT #",
	"SCAN 0 COUNT 100",
	"TYPE KEY",
	"GETRANGE KEY 0 65535",
	"LRANGE KEY 0 #",
	"HSCAN KEY 0 COUNT #",
	"SSCAN KEY 0 COUNT #",
	"ZRANGE KEY 0 #",
	"XRANGE KEY - + COUNT #",
	NULL,
};

enum { START, PONG, SERVER, KEYSPACE, SELECTED, SCANNED, TYPED, READ };

struct redis {
	char *keys[KEYS_MAX];
	size_t klen[KEYS_MAX];
	size_t nkeys, pending;
	char types[KEYS_MAX][8];
};

static void release(struct probe_ctx *c)
{
	struct redis *r = c->priv;
	for (size_t i = 0; i < r->nkeys; i++)
		free(r->keys[i]);
	r->nkeys = 0;
}

/* The length of the first whole RESP reply in p[0..n): > 0; 0 when more is
 * needed; -1 when it is not RESP. */
static long resp_len(const char *p, size_t n, int depth)
{
	if (!n)
		return 0;
	const char *eol = memchr(p, '\n', n);
	if (!eol)
		return n > 4096 ? -1 : 0;
	if (eol == p || eol[-1] != '\r')
		return -1;
	size_t line = (size_t)(eol - p) + 1;
	char *end;
	long v;
	switch (p[0]) {
	case '+':
	case '-':
	case ':':
		return (long)line;
	case '$':
		v = strtol(p + 1, &end, 10);
		if (end != eol - 1 || v < -1 || v > 512L * 1024 * 1024)
			return -1;
		if (v == -1)
			return (long)line;
		if (n < line + (size_t)v + 2)
			return 0;
		if (p[line + (size_t)v] != '\r' || p[line + (size_t)v + 1] != '\n')
			return -1;
		return (long)(line + (size_t)v + 2);
	case '*':
		v = strtol(p + 1, &end, 10);
		if (end != eol - 1 || v < -1 || v > 1000000 || depth >= DEPTH_MAX)
			return -1;
		{
			size_t off = line;
			for (long i = 0; i < v; i++) {
				long k = resp_len(p + off, n - off, depth + 1);
				if (k <= 0)
					return k;
				off += (size_t)k;
			}
			return (long)off;
		}
	default:
		return -1;
	}
}

/* Calls fn on each bulk string of a whole reply, depth first. */
static void each_bulk(const char *p, size_t n, int depth, void (*fn)(struct probe_ctx *, const char *, size_t, size_t),
		      struct probe_ctx *c, size_t *index)
{
	const char *eol = memchr(p, '\n', n);
	if (!eol)
		return;
	size_t line = (size_t)(eol - p) + 1;
	long v = strtol(p + 1, NULL, 10);
	if (p[0] == '$' && v >= 0) {
		fn(c, p + line, (size_t)v, (*index)++);
	} else if (p[0] == '*' && depth < DEPTH_MAX) {
		size_t off = line;
		for (long i = 0; i < v; i++) {
			long k = resp_len(p + off, n - off, depth + 1);
			if (k <= 0)
				return;
			each_bulk(p + off, (size_t)k, depth + 1, fn, c, index);
			off += (size_t)k;
		}
	}
}

/* A command as RESP: argv[0] is the command, the rest bulk strings. */
static int send_cmd(struct probe_ctx *c, const char *text, int argc, const char *const *argv, const size_t *len)
{
	struct strbuf b = STRBUF_INIT;
	sb_printf(&b, "*%d\r\n", argc);
	for (int i = 0; i < argc; i++) {
		size_t n = len && len[i] != (size_t)-1 ? len[i] : strlen(argv[i]);
		sb_printf(&b, "$%zu\r\n", n);
		sb_add(&b, argv[i], n);
		sb_puts(&b, "\r\n");
	}
	size_t total = b.len;
	char *bytes = sb_detach(&b);
	int rc = bytes ? probe_send(c, text, bytes, total) : -1;
	free(bytes);
	return rc;
}

/* "PING", "INFO server", "SCAN 0 COUNT 100": words only. */
static int send_words(struct probe_ctx *c, const char *text)
{
	const char *argv[8];
	size_t len[8];
	int argc = 0;
	for (const char *s = text; *s && argc < 8;) {
		size_t n = strcspn(s, " ");
		argv[argc] = s;
		len[argc++] = n;
		s += n;
		while (*s == ' ')
			s++;
	}
	return send_cmd(c, text, argc, argv, len);
}

static void take_key(struct probe_ctx *c, const char *s, size_t n, size_t index)
{
	struct redis *r = c->priv;
	if (index == 0 || r->nkeys >= probe_sample_size(c) || r->nkeys >= KEYS_MAX)
		return; /* the first bulk string is the cursor */
	char *k = malloc(n ? n : 1);
	if (!k)
		return;
	memcpy(k, s, n);
	r->keys[r->nkeys] = k;
	r->klen[r->nkeys++] = n;
	probe_sample(c, s, n); /* key names hold personal data too */
}

static void take_value(struct probe_ctx *c, const char *s, size_t n, size_t index)
{
	(void)index;
	probe_sample(c, s, n);
}

/* "redis_version:7.0.15\r\n" out of INFO's bulk string. */
static void info_field(struct probe_ctx *c, const char *info, size_t n)
{
	const char *v = memmem(info, n, "redis_version:", 14);
	if (v) {
		v += 14;
		size_t k = 0;
		while (v + k < info + n && v[k] != '\r' && v[k] != '\n')
			k++;
		probe_set_version(c, v, k);
	}
}

/* "db0:keys=3,expires=0,avg_ttl=0": a store each; the first with keys. */
static int keyspace(struct probe_ctx *c, const char *info, size_t n)
{
	int first = -1;
	for (const char *p = info; p < info + n;) {
		const char *eol = memchr(p, '\n', (size_t)(info + n - p));
		const char *le = eol ? eol : info + n;
		unsigned db;
		long long keys;
		char line[128];
		size_t ll = (size_t)(le - p) < sizeof(line) - 1 ? (size_t)(le - p) : sizeof(line) - 1;
		memcpy(line, p, ll);
		line[ll] = '\0';
		if (sscanf(line, "db%u:keys=%lld", &db, &keys) == 2) {
			char name[16];
			int nl = snprintf(name, sizeof(name), "db%u", db);
			probe_store(c, name, (size_t)nl, keys, -1);
			if (first < 0 && keys > 0)
				first = (int)db;
		}
		p = eol ? eol + 1 : info + n;
	}
	return first;
}

static int read_by_type(struct probe_ctx *c, size_t i)
{
	struct redis *r = c->priv;
	char n[16];
	snprintf(n, sizeof(n), "%u", probe_sample_size(c));
	char last[16];
	snprintf(last, sizeof(last), "%u", probe_sample_size(c) ? probe_sample_size(c) - 1 : 0);
	const char *t = r->types[i];
	const char *key = r->keys[i];
	size_t kl = r->klen[i];
	char text[64];
	if (!strcmp(t, "string")) {
		const char *argv[] = { "GETRANGE", key, "0", "65535" };
		size_t len[] = { (size_t)-1, kl, (size_t)-1, (size_t)-1 };
		return send_cmd(c, "GETRANGE KEY 0 65535", 4, argv, len);
	}
	if (!strcmp(t, "list") || !strcmp(t, "zset")) {
		const char *cmd = t[0] == 'l' ? "LRANGE" : "ZRANGE";
		snprintf(text, sizeof(text), "%s KEY 0 %s", cmd, last);
		const char *argv[] = { cmd, key, "0", last };
		size_t len[] = { (size_t)-1, kl, (size_t)-1, (size_t)-1 };
		return send_cmd(c, text, 4, argv, len);
	}
	if (!strcmp(t, "hash") || !strcmp(t, "set")) {
		const char *cmd = t[0] == 'h' ? "HSCAN" : "SSCAN";
		snprintf(text, sizeof(text), "%s KEY 0 COUNT %s", cmd, n);
		const char *argv[] = { cmd, key, "0", "COUNT", n };
		size_t len[] = { (size_t)-1, kl, (size_t)-1, (size_t)-1, (size_t)-1 };
		return send_cmd(c, text, 5, argv, len);
	}
	if (!strcmp(t, "stream")) {
		snprintf(text, sizeof(text), "XRANGE KEY - + COUNT %s", n);
		const char *argv[] = { "XRANGE", key, "-", "+", "COUNT", n };
		size_t len[] = { (size_t)-1, kl, (size_t)-1, (size_t)-1, (size_t)-1, (size_t)-1 };
		return send_cmd(c, text, 6, argv, len);
	}
	return 1; /* a type read no further (modules' own) */
}

static int step(struct probe_ctx *c)
{
	struct redis *r = c->priv;
	if (c->state == START) {
		c->state = PONG;
		return send_words(c, "PING") ? PROBE_DONE : PROBE_WAIT;
	}
	long len = resp_len(c->in.data, c->in.len, 0);
	if (len < 0) {
		if (c->state == PONG)
			return probe_mismatch(c);
		else {
			probe_note(c, "a reply was not RESP");
		}
		return PROBE_DONE;
	}
	if (len == 0)
		return c->capped ? (probe_note(c, "a reply over the size cap"), PROBE_DONE) : PROBE_WAIT;
	const char *p = c->in.data;
	size_t n = (size_t)len;
	int rc = 0, finished = 0;
	switch (c->state) {
	case PONG:
		finished = 1;
		if (n >= 5 && !memcmp(p, "+PONG", 5)) {
			probe_found(c, "unauthenticated_access", "PING answers +PONG without AUTH");
			c->state = SERVER;
			rc = send_words(c, "INFO server");
			finished = 0;
		} else if (n >= 7 && !memcmp(p, "-NOAUTH", 7)) {
			probe_found(c, "authenticated", "PING answers -NOAUTH: a password is required");
		} else if (n >= 7 && !memcmp(p, "-DENIED", 7)) {
			probe_found(c, "authenticated", "PING answers -DENIED: protected mode refuses clients not on loopback");
		} else if (p[0] == '-') {
			probe_found(c, "authenticated", "PING answers an error");
		} else {
			return probe_mismatch(c);
		}
		break;
	case SERVER:
		if (p[0] == '$')
			info_field(c, p, n);
		c->state = KEYSPACE;
		rc = send_words(c, "INFO keyspace");
		break;
	case KEYSPACE: {
		int db = p[0] == '$' ? keyspace(c, p, n) : -1;
		if (db < 0 || !probe_sample_size(c)) {
			finished = 1;
		} else if (db > 0) {
			char text[32];
			snprintf(text, sizeof(text), "SELECT %d", db);
			c->state = SELECTED;
			rc = send_words(c, text);
		} else {
			c->state = SCANNED;
			rc = send_words(c, "SCAN 0 COUNT 100");
		}
		break;
	}
	case SELECTED:
		c->state = SCANNED;
		rc = send_words(c, "SCAN 0 COUNT 100");
		break;
	case SCANNED: {
		size_t index = 0;
		if (p[0] == '*')
			each_bulk(p, n, 0, take_key, c, &index);
		for (size_t i = 0; i < r->nkeys && !rc; i++) {
			const char *argv[] = { "TYPE", r->keys[i] };
			size_t l[] = { (size_t)-1, r->klen[i] };
			rc = send_cmd(c, "TYPE KEY", 2, argv, l);
		}
		r->pending = r->nkeys;
		c->state = TYPED;
		finished = !r->nkeys;
		break;
	}
	case TYPED: {
		size_t i = r->nkeys - r->pending;
		snprintf(r->types[i], sizeof(r->types[i]), "%.*s", p[0] == '+' && n > 3 ? (int)(n - 3) : 0, p + 1);
		if (--r->pending)
			break;
		for (size_t k = 0; k < r->nkeys && rc == 0; k++) {
			int sent = read_by_type(c, k);
			if (sent < 0)
				rc = -1;
			else if (sent == 0)
				r->pending++;
		}
		c->state = READ;
		finished = !r->pending;
		break;
	}
	case READ: {
		size_t index = 0;
		each_bulk(p, n, 0, take_value, c, &index);
		finished = --r->pending == 0;
		break;
	}
	}
	probe_consume(c, n);
	if (rc < 0 || finished)
		return PROBE_DONE;
	if (c->in.len)
		return step(c); /* pipelined replies already here */
	return PROBE_WAIT;
}

const struct probe_def probe_redis = {
	.name = "redis",
	.service = "Redis",
	.datastore = "Redis",
	.transport = PROBE_TCP,
	.allow = allow,
	.step = step,
	.priv_size = sizeof(struct redis),
	.release = release,
};
