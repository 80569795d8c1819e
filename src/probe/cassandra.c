/* Cassandra, native protocol v4 (also ScyllaDB):
 *   OPTIONS                       SUPPORTED: it is Cassandra (CQL versions)
 *   STARTUP {CQL_VERSION}         READY: no authentication;
 *                                 AUTHENTICATE: an authenticator asks
 *   SELECT release_version FROM system.local
 *   SELECT keyspace_name FROM system_schema.keyspaces
 *   SELECT keyspace_name, table_name FROM system_schema.tables
 *   SELECT * FROM "ks"."table" LIMIT N   a few rows of the first tables
 * Frames: version, flags, stream, opcode, length, body. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { SAMPLED_TABLES = 3, FRAME_MAX = 16 * 1024 * 1024 };
enum { OP_ERROR = 0x00, OP_STARTUP = 0x01, OP_READY = 0x02, OP_AUTHENTICATE = 0x03, OP_OPTIONS = 0x05,
       OP_SUPPORTED = 0x06, OP_QUERY = 0x07, OP_RESULT = 0x08 };

#define Q_VERSION "SELECT release_version FROM system.local"
#define Q_KEYSPACES "SELECT keyspace_name FROM system_schema.keyspaces"
#define Q_TABLES "SELECT keyspace_name, table_name FROM system_schema.tables"

static const char *const allow[] = {
	"OPTIONS",
	"STARTUP CQL_VERSION=3.0.0",
	"QUERY " Q_VERSION,
	"QUERY " Q_KEYSPACES,
	"QUERY " Q_TABLES,
	"QUERY SELECT * FROM \"*\".\"*\" LIMIT #",
	NULL,
};

enum { START, SUPPORTED, STARTED, VERSION, KEYSPACES, TABLES, ROWS };

struct cql {
	int16_t stream;
	char *tables[SAMPLED_TABLES];
	size_t ntables, next;
	char ks[256]; /* the keyspace of the row being read */
};

static void release(struct probe_ctx *c)
{
	struct cql *q = c->priv;
	for (size_t i = 0; i < q->ntables; i++)
		free(q->tables[i]);
	q->ntables = 0;
}

static int is_system(const char *ks)
{
	return !strncmp(ks, "system", 6) || !strcmp(ks, "dse_system") || !strcmp(ks, "dse_security");
}

static int frame(struct probe_ctx *c, const char *text, unsigned char op, const unsigned char *body, size_t len)
{
	struct cql *q = c->priv;
	unsigned char *f = malloc(9 + len);
	if (!f)
		return -1;
	uint16_t stream = htons((uint16_t)++q->stream);
	uint32_t l = htonl((uint32_t)len);
	f[0] = 0x04;
	f[1] = 0;
	memcpy(f + 2, &stream, 2);
	f[4] = op;
	memcpy(f + 5, &l, 4);
	if (len)
		memcpy(f + 9, body, len);
	int rc = probe_send(c, text, f, 9 + len);
	free(f);
	return rc;
}

static int query(struct probe_ctx *c, int state, const char *cql)
{
	size_t n = strlen(cql);
	if (n > 4000)
		return PROBE_DONE;
	unsigned char body[4100];
	uint32_t l = htonl((uint32_t)n);
	memcpy(body, &l, 4);
	memcpy(body + 4, cql, n);
	body[4 + n] = 0x00; /* consistency ONE (2 bytes) */
	body[5 + n] = 0x01;
	body[6 + n] = 0x00; /* no flags */
	char text[4200];
	snprintf(text, sizeof(text), "QUERY %s", cql);
	c->state = state;
	return frame(c, text, OP_QUERY, body, n + 7) ? PROBE_DONE : PROBE_WAIT;
}

/* ---- reading a Rows result ----------------------------------------------- */

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint32_t r32(struct reader *r)
{
	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	uint32_t v;
	memcpy(&v, r->p, 4);
	r->p += 4;
	return ntohl(v);
}

static uint16_t r16(struct reader *r)
{
	if (r->end - r->p < 2) {
		r->bad = 1;
		return 0;
	}
	uint16_t v;
	memcpy(&v, r->p, 2);
	r->p += 2;
	return ntohs(v);
}

static void skip(struct reader *r, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		r->bad = 1;
	else
		r->p += n;
}

static void skip_string(struct reader *r) { skip(r, r16(r)); }

/* A column's [option]: its type id, and what collections and UDTs nest. */
static void skip_option(struct reader *r, int depth)
{
	uint16_t id = r16(r);
	if (r->bad || depth > 8) {
		r->bad = 1;
		return;
	}
	switch (id) {
	case 0x0000: /* custom: a class name */
		skip_string(r);
		break;
	case 0x0020: /* list */
	case 0x0022: /* set */
		skip_option(r, depth + 1);
		break;
	case 0x0021: /* map */
		skip_option(r, depth + 1);
		skip_option(r, depth + 1);
		break;
	case 0x0030: { /* UDT: keyspace, name, fields */
		skip_string(r);
		skip_string(r);
		uint16_t n = r16(r);
		for (uint16_t i = 0; i < n && !r->bad; i++) {
			skip_string(r);
			skip_option(r, depth + 1);
		}
		break;
	}
	case 0x0031: { /* tuple */
		uint16_t n = r16(r);
		for (uint16_t i = 0; i < n && !r->bad; i++)
			skip_option(r, depth + 1);
		break;
	}
	default:
		break;
	}
}

/* Calls fn(row, column, value, len) for each cell of a Rows result. */
static void each_cell(struct probe_ctx *c, const unsigned char *body, size_t len,
		      void (*fn)(struct probe_ctx *, uint32_t, uint32_t, const char *, size_t))
{
	struct reader r = { body, body + len, 0 };
	if (r32(&r) != 0x0002) /* kind: Rows */
		return;
	uint32_t flags = r32(&r), ncols = r32(&r);
	if (flags & 0x0002) /* has_more_pages: the paging state */
		skip(&r, r32(&r));
	if (!(flags & 0x0004)) { /* metadata */
		if (flags & 0x0001) {
			skip_string(&r);
			skip_string(&r);
		}
		for (uint32_t i = 0; i < ncols && !r.bad; i++) {
			if (!(flags & 0x0001)) {
				skip_string(&r);
				skip_string(&r);
			}
			skip_string(&r);
			skip_option(&r, 0);
		}
	}
	uint32_t nrows = r32(&r);
	/* each cell takes 4 bytes at least: a count past what is here is a lie,
	 * and no columns would make the loop spin on nothing */
	if (!ncols || r.bad || nrows > (size_t)(r.end - r.p) / 4 / ncols)
		return;
	for (uint32_t row = 0; row < nrows && !r.bad; row++)
		for (uint32_t col = 0; col < ncols && !r.bad; col++) {
			int32_t n = (int32_t)r32(&r);
			if (n < 0)
				continue;
			if ((size_t)(r.end - r.p) < (size_t)n) {
				r.bad = 1;
				break;
			}
			fn(c, row, col, (const char *)r.p, (size_t)n);
			r.p += n;
		}
}

static void on_version(struct probe_ctx *c, uint32_t row, uint32_t col, const char *v, size_t n)
{
	if (!row && !col)
		probe_set_version(c, v, n);
}

static void on_keyspace(struct probe_ctx *c, uint32_t row, uint32_t col, const char *v, size_t n)
{
	(void)row;
	(void)col;
	probe_store(c, v, n, -1, -1);
}

static void on_table(struct probe_ctx *c, uint32_t row, uint32_t col, const char *v, size_t n)
{
	struct cql *q = c->priv;
	char *ks = q->ks;
	(void)row;
	if (col == 0) {
		snprintf(q->ks, sizeof(q->ks), "%.*s", (int)(n < 255 ? n : 255), v);
		return;
	}
	if (is_system(ks) || q->ntables >= SAMPLED_TABLES || memchr(v, '"', n) || strchr(ks, '"') || n > 200)
		return;
	char name[480];
	snprintf(name, sizeof(name), "\"%s\".\"%.*s\"", ks, (int)n, v);
	if ((q->tables[q->ntables] = strdup(name)))
		q->ntables++;
}

static void on_cell(struct probe_ctx *c, uint32_t row, uint32_t col, const char *v, size_t n)
{
	(void)row;
	(void)col;
	probe_sample(c, v, n);
}

static int next_table(struct probe_ctx *c)
{
	struct cql *q = c->priv;
	if (q->next >= q->ntables || !probe_sample_size(c))
		return PROBE_DONE;
	char cql[600];
	snprintf(cql, sizeof(cql), "SELECT * FROM %s LIMIT %u", q->tables[q->next++], probe_sample_size(c));
	return query(c, ROWS, cql);
}

static int step(struct probe_ctx *c)
{
	if (c->state == START) {
		c->state = SUPPORTED;
		return frame(c, "OPTIONS", OP_OPTIONS, NULL, 0) ? PROBE_DONE : PROBE_WAIT;
	}
	for (;;) {
		const unsigned char *h = (const unsigned char *)c->in.data;
		if (c->in.len < 9)
			return c->in.len && (h[0] & 0x7f) > 0x05 ? probe_mismatch(c) : PROBE_WAIT;
		uint32_t len;
		memcpy(&len, h + 5, 4);
		len = ntohl(len);
		if (!(h[0] & 0x80) || (h[0] & 0x7f) < 3 || (h[0] & 0x7f) > 5 || len > FRAME_MAX)
			return probe_mismatch(c); /* not a response frame */
		if (c->in.len < 9 + (size_t)len) {
			if (c->capped) {
				if (c->state == ROWS) /* rows over the cap: what came is scanned */
					probe_sample(c, c->in.data + 9, c->in.len - 9);
				probe_note(c, "a reply was over the size cap");
				return PROBE_DONE;
			}
			return PROBE_WAIT;
		}
		unsigned char op = h[4];
		const unsigned char *body = h + 9;
		int next = PROBE_DONE;
		switch (c->state) {
		case SUPPORTED:
			if (op != OP_SUPPORTED)
				return probe_mismatch(c);
			{
				static const unsigned char startup[] = { 0, 1, 0, 11, 'C', 'Q', 'L', '_', 'V', 'E', 'R',
									 'S', 'I', 'O', 'N', 0, 5, '3', '.', '0', '.', '0' };
				c->state = STARTED;
				next = frame(c, "STARTUP CQL_VERSION=3.0.0", OP_STARTUP, startup, sizeof(startup)) ? PROBE_DONE
															: PROBE_WAIT;
			}
			break;
		case STARTED:
			if (op == OP_AUTHENTICATE) {
				char cls[120] = "";
				if (len >= 2) {
					size_t n = (size_t)(body[0] << 8 | body[1]);
					snprintf(cls, sizeof(cls), "%.*s", (int)(n + 2 <= len && n < 119 ? n : 0), body + 2);
				}
				probe_found(c, "authenticated", "STARTUP is answered AUTHENTICATE (%s)", cls[0] ? cls : "?");
				next = PROBE_DONE;
			} else if (op == OP_READY) {
				probe_found(c, "unauthenticated_access", "STARTUP is answered READY: no authenticator");
				next = query(c, VERSION, Q_VERSION);
			} else {
				probe_found(c, "authenticated", "STARTUP is answered with an error");
				next = PROBE_DONE;
			}
			break;
		case VERSION:
			if (op == OP_RESULT)
				each_cell(c, body, len, on_version);
			next = query(c, KEYSPACES, Q_KEYSPACES);
			break;
		case KEYSPACES:
			if (op == OP_RESULT)
				each_cell(c, body, len, on_keyspace);
			next = probe_sample_size(c) ? query(c, TABLES, Q_TABLES) : PROBE_DONE;
			break;
		case TABLES:
			if (op == OP_RESULT)
				each_cell(c, body, len, on_table);
			next = next_table(c);
			break;
		default: /* ROWS */
			if (op == OP_RESULT)
				each_cell(c, body, len, on_cell);
			else
				probe_note(c, "a sample read was refused");
			next = next_table(c);
		}
		probe_consume(c, 9 + (size_t)len);
		if (next != PROBE_WAIT || !c->in.len)
			return next;
	}
}

const struct probe_def probe_cassandra = {
	.name = "cassandra",
	.service = "Cassandra",
	.datastore = "Cassandra CQL",
	.transport = PROBE_TCP,
	.allow = allow,
	.step = step,
	.priv_size = sizeof(struct cql),
	.release = release,
};
