/* MongoDB, in OP_MSG (opcode 2013), the only wire message MongoDB 5.1 and
 * later accept (probes that send OP_QUERY miss every current server):
 *   hello                  (always answered: proves it is MongoDB)
 *   buildInfo              the version
 *   listDatabases          ok: open; code 13 Unauthorized: authentication
 *   listCollections DB     names, in the largest databases
 *   find COLL limit N      a few documents (singleBatch: no cursor left)
 * Documents are built and read with libbson. */
#include <bson/bson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { SAMPLED_DBS = 3, MSG_MAX = 48 * 1024 * 1024 };

static const char *const allow[] = {
	"hello",
	"buildInfo",
	"listDatabases",
	"listCollections *",
	"find * limit #",
	NULL,
};

enum { START, HELLO, BUILDINFO, LISTDBS, LISTCOLLS, FIND };

struct mongo {
	int32_t request;
	char *dbs[SAMPLED_DBS];
	size_t ndbs, next;
	char *colls[SAMPLED_DBS];
	size_t ncolls, nextc;
	char db[128];
};

static void release(struct probe_ctx *c)
{
	struct mongo *m = c->priv;
	for (size_t i = 0; i < m->ndbs; i++)
		free(m->dbs[i]);
	for (size_t i = 0; i < m->ncolls; i++)
		free(m->colls[i]);
	m->ndbs = m->ncolls = 0;
}

static void put32(unsigned char *p, int32_t v)
{
	uint32_t u = (uint32_t)v;
	p[0] = (unsigned char)u;
	p[1] = (unsigned char)(u >> 8);
	p[2] = (unsigned char)(u >> 16);
	p[3] = (unsigned char)(u >> 24);
}

static int32_t get32(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* Sends cmd as an OP_MSG with one body section. */
static int send_msg(struct probe_ctx *c, const char *text, const bson_t *cmd)
{
	struct mongo *m = c->priv;
	size_t len = 16 + 4 + 1 + cmd->len;
	unsigned char *msg = malloc(len);
	if (!msg)
		return -1;
	put32(msg, (int32_t)len);
	put32(msg + 4, ++m->request);
	put32(msg + 8, 0);
	put32(msg + 12, 2013);
	put32(msg + 16, 0); /* flags */
	msg[20] = 0;        /* section kind 0: the body */
	memcpy(msg + 21, bson_get_data(cmd), cmd->len);
	int rc = probe_send(c, text, msg, len);
	free(msg);
	return rc;
}

static int command(struct probe_ctx *c, int state, const char *text, const char *name, const char *value,
		   const char *db, unsigned limit)
{
	bson_t cmd = BSON_INITIALIZER;
	if (value)
		BSON_APPEND_UTF8(&cmd, name, value);
	else
		BSON_APPEND_INT32(&cmd, name, 1);
	if (state == LISTCOLLS) {
		BSON_APPEND_BOOL(&cmd, "nameOnly", true);
		BSON_APPEND_BOOL(&cmd, "authorizedCollections", true);
	} else if (state == FIND) {
		BSON_APPEND_INT32(&cmd, "limit", (int32_t)limit);
		BSON_APPEND_INT32(&cmd, "batchSize", (int32_t)limit);
		BSON_APPEND_BOOL(&cmd, "singleBatch", true);
	}
	BSON_APPEND_UTF8(&cmd, "$db", db);
	int rc = send_msg(c, text, &cmd);
	bson_destroy(&cmd);
	c->state = state;
	return rc ? PROBE_DONE : PROBE_WAIT;
}

/* The body of a whole OP_MSG reply, or 0 with *more when it is not all
 * here, or -1 when it is not one. */
static int reply(struct probe_ctx *c, bson_t *doc, size_t *used, int *more)
{
	*more = 0;
	if (c->in.len < 4) {
		*more = 1;
		return 0;
	}
	int32_t len = get32(c->in.data);
	if (len < 21 || len > MSG_MAX)
		return -1;
	if (c->in.len < (size_t)len) {
		*more = !c->capped;
		return c->capped ? -1 : 0;
	}
	if (get32(c->in.data + 12) != 2013 || c->in.data[20] != 0)
		return -1;
	const uint8_t *b = (const uint8_t *)c->in.data + 21;
	size_t blen = (size_t)len - 21;
	if (blen < 5 || (size_t)get32((const char *)b) > blen || !bson_init_static(doc, b, (size_t)get32((const char *)b)))
		return -1;
	*used = (size_t)len;
	return 1;
}

static double ok_of(const bson_t *doc)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, "ok") ? bson_iter_as_double(&it) : -1;
}

static int32_t code_of(const bson_t *doc)
{
	bson_iter_t it;
	return bson_iter_init_find(&it, doc, "code") ? bson_iter_as_int64(&it) : 0;
}

static int next_db(struct probe_ctx *c)
{
	struct mongo *m = c->priv;
	if (m->next >= m->ndbs || !probe_sample_size(c))
		return PROBE_DONE;
	snprintf(m->db, sizeof(m->db), "%s", m->dbs[m->next++]);
	return command(c, LISTCOLLS, "listCollections DB", "listCollections", NULL, m->db, 0);
}

static int next_coll(struct probe_ctx *c)
{
	struct mongo *m = c->priv;
	if (m->nextc >= m->ncolls) {
		for (size_t i = 0; i < m->ncolls; i++)
			free(m->colls[i]);
		m->ncolls = m->nextc = 0;
		return next_db(c);
	}
	char text[64];
	snprintf(text, sizeof(text), "find COLL limit %u", probe_sample_size(c));
	return command(c, FIND, text, "find", m->colls[m->nextc++], m->db, probe_sample_size(c));
}

/* "cursor.firstBatch" of a reply. */
static int first_batch(const bson_t *doc, bson_iter_t *batch)
{
	bson_iter_t it;
	return bson_iter_init(&it, doc) && bson_iter_find_descendant(&it, "cursor.firstBatch", batch) &&
	       BSON_ITER_HOLDS_ARRAY(batch) && bson_iter_recurse(batch, batch);
}

static int handle(struct probe_ctx *c, const bson_t *doc)
{
	struct mongo *m = c->priv;
	bson_iter_t it, sub;
	switch (c->state) {
	case HELLO:
		if (ok_of(doc) < 0)
			return probe_mismatch(c);
		return command(c, BUILDINFO, "buildInfo", "buildInfo", NULL, "admin", 0);
	case BUILDINFO:
		if (bson_iter_init_find(&it, doc, "version") && BSON_ITER_HOLDS_UTF8(&it)) {
			uint32_t n;
			const char *v = bson_iter_utf8(&it, &n);
			probe_set_version(c, v, n);
		}
		return command(c, LISTDBS, "listDatabases", "listDatabases", NULL, "admin", 0);
	case LISTDBS:
		if (ok_of(doc) != 1) {
			int32_t code = code_of(doc);
			probe_found(c, "authenticated", "listDatabases is refused (code %d%s)", code,
				    code == 13 ? ", Unauthorized" : "");
			return PROBE_DONE;
		}
		probe_found(c, "unauthenticated_access", "listDatabases answers ok without credentials");
		if (bson_iter_init_find(&it, doc, "databases") && BSON_ITER_HOLDS_ARRAY(&it) && bson_iter_recurse(&it, &sub)) {
			int64_t top[SAMPLED_DBS] = { 0 };
			while (bson_iter_next(&sub)) {
				bson_iter_t d, f;
				if (!BSON_ITER_HOLDS_DOCUMENT(&sub) || !bson_iter_recurse(&sub, &d))
					continue;
				const char *name = NULL;
				uint32_t nl = 0;
				int64_t size = -1;
				bson_iter_t d2 = d;
				if (bson_iter_find(&d, "name") && BSON_ITER_HOLDS_UTF8(&d))
					name = bson_iter_utf8(&d, &nl);
				if (bson_iter_find(&d2, "sizeOnDisk"))
					size = bson_iter_as_int64(&d2);
				(void)f;
				if (!name)
					continue;
				probe_store(c, name, nl, -1, size);
				if (!strcmp(name, "admin") || !strcmp(name, "local") || !strcmp(name, "config") ||
				    strlen(name) >= sizeof(m->db))
					continue;
				size_t k = m->ndbs;
				if (k == SAMPLED_DBS && size <= top[k - 1])
					continue;
				if (k == SAMPLED_DBS)
					free(m->dbs[--k]);
				char *copy = strndup(name, nl);
				if (!copy)
					continue;
				while (k > 0 && top[k - 1] < size) {
					top[k] = top[k - 1];
					m->dbs[k] = m->dbs[k - 1];
					k--;
				}
				top[k] = size;
				m->dbs[k] = copy;
				if (m->ndbs < SAMPLED_DBS)
					m->ndbs++;
			}
		}
		return next_db(c);
	case LISTCOLLS:
		if (ok_of(doc) == 1 && first_batch(doc, &sub)) {
			while (bson_iter_next(&sub) && m->ncolls < SAMPLED_DBS) {
				bson_iter_t d;
				if (BSON_ITER_HOLDS_DOCUMENT(&sub) && bson_iter_recurse(&sub, &d) && bson_iter_find(&d, "name") &&
				    BSON_ITER_HOLDS_UTF8(&d)) {
					uint32_t nl;
					const char *name = bson_iter_utf8(&d, &nl);
					if (strncmp(name, "system.", 7) && (m->colls[m->ncolls] = strndup(name, nl)))
						m->ncolls++;
				}
			}
		}
		return next_coll(c);
	default: /* FIND */
		if (ok_of(doc) == 1 && first_batch(doc, &sub)) {
			while (bson_iter_next(&sub)) {
				bson_t d;
				uint32_t dl;
				const uint8_t *data;
				if (!BSON_ITER_HOLDS_DOCUMENT(&sub))
					continue;
				bson_iter_document(&sub, &dl, &data);
				if (!bson_init_static(&d, data, dl))
					continue;
				size_t jl;
				char *json = bson_as_relaxed_extended_json(&d, &jl);
				if (json) {
					probe_sample(c, json, jl);
					bson_free(json);
				}
			}
		} else {
			probe_note(c, "a find was refused (code %d)", code_of(doc));
		}
		return next_coll(c);
	}
}

static int step(struct probe_ctx *c)
{
	if (c->state == START)
		return command(c, HELLO, "hello", "hello", NULL, "admin", 0);
	for (;;) {
		bson_t doc;
		size_t used = 0;
		int more;
		int r = reply(c, &doc, &used, &more);
		if (r < 0)
			return c->state == HELLO ? probe_mismatch(c) : (probe_note(c, "a reply was not OP_MSG"), PROBE_DONE);
		if (r == 0)
			return more ? PROBE_WAIT : PROBE_DONE;
		int next = handle(c, &doc);
		probe_consume(c, used);
		if (next != PROBE_WAIT || !c->in.len)
			return next;
	}
}

const struct probe_def probe_mongodb = {
	.name = "mongodb",
	.service = "MongoDB",
	.datastore = "MongoDB",
	.transport = PROBE_TCP,
	.allow = allow,
	.step = step,
	.priv_size = sizeof(struct mongo),
	.release = release,
};
