/* MongoDB 4.4 and later's structured log: one JSON object a line,
 *   {"t":{"$date":"2026-11-01T01:00:00.123+00:00"},"s":"I","c":"NETWORK","id":22943,
 *    "ctx":"listener","msg":"Connection accepted","attr":{"remote":"203.0.113.5:53478","connectionId":7,...}}
 * Connection accepted (22943) ties the connection ("ctx":"conn7") to its
 * client; then Successfully authenticated / Authentication succeeded
 * (20250) is a login, Authentication failed (20249) a refusal, and a
 * logged operation (Slow query, 51803, or the profiler's verbosity) is
 * told by its command: find, aggregate, getMore, count, distinct are
 * reads; listDatabases, listCollections, listIndexes, dbStats listings;
 * insert, update, delete, drop, create writes. "remote" in the entry
 * itself (MongoDB 5.0 and later) wins over the connection's. */
#include <string.h>
#include <jansson.h>
#include "access/access_internal.h"

static int mongo_sniff(const char *head, size_t n)
{
	return n && head[0] == '{' && memmem(head, n, "\"t\":{\"$date\"", 12) && memmem(head, n, "\"ctx\"", 5);
}

static cordon_access_action command(json_t *cmd)
{
	static const char *const reads[] = { "find", "aggregate", "getMore", "count", "distinct", "mapReduce", NULL };
	static const char *const lists[] = { "listDatabases", "listCollections", "listIndexes", "dbStats", "collStats",
					     NULL };
	static const char *const writes[] = { "insert", "update", "delete", "drop", "dropDatabase", "create",
					      "findAndModify", "createIndexes", "renameCollection", NULL };
	const char *key;
	json_t *v;
	json_object_foreach(cmd, key, v) {
		(void)v;
		for (const char *const *p = reads; *p; p++)
			if (!strcmp(key, *p))
				return CORDON_ACCESS_ACT_READ;
		for (const char *const *p = lists; *p; p++)
			if (!strcmp(key, *p))
				return CORDON_ACCESS_ACT_LIST;
		for (const char *const *p = writes; *p; p++)
			if (!strcmp(key, *p))
				return CORDON_ACCESS_ACT_WRITE;
		break; /* the command's name is its first key */
	}
	return CORDON_ACCESS_ACT_OTHER;
}

static int mongo_read(cordon_access *a, struct access_stream *st)
{
	struct session *conns = access_sessions_new();
	if (!conns)
		return access_fail(a, CORDON_ERR_NOMEM, "out of memory");
	const char *line;
	size_t n;
	int r;
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (!n)
			continue;
		json_error_t e;
		json_t *j = json_loadb(line, n, 0, &e);
		json_t *attr = json_object_get(j, "attr");
		const char *t = json_string_value(json_object_get(json_object_get(j, "t"), "$date"));
		const char *ctx = json_string_value(json_object_get(j, "ctx"));
		json_int_t id = json_integer_value(json_object_get(j, "id"));
		time_t when;
		if (!j || !t || !ctx || access_time_iso(t, strlen(t), &when)) {
			json_decref(j);
			if (access_malformed(a, st, line, n, "not a MongoDB log entry (t.$date, ctx, id)")) {
				free(conns);
				return -1;
			}
			continue;
		}
		access_covered(a, when, when);
		u128 host;
		int have = !access_addr_port(access_json_str(attr, "remote"), &host);
		uint64_t cid = 0;
		int on_conn = !strncmp(ctx, "conn", 4) && !access_u64(ctx + 4, strlen(ctx + 4), &cid);
		if (id == 22943 && have) { /* Connection accepted */
			json_int_t c = json_integer_value(json_object_get(attr, "connectionId"));
			access_session(conns, (uint64_t)c, 1)->host = host;
			access_action(a, when, host, CORDON_ACCESS_ACT_CONNECT, -1);
		} else {
			struct session *s = on_conn ? access_session(conns, cid, 0) : NULL;
			if (!have && s) {
				host = s->host;
				have = 1;
			}
			if (have) {
				if (id == 20250 || id == 5286306) /* authenticated */
					access_action(a, when, host, CORDON_ACCESS_ACT_LOGIN, -1);
				else if (id == 20249 || id == 5286307) /* failed */
					access_action(a, when, host, CORDON_ACCESS_ACT_REFUSED, -1);
				else if (json_is_object(json_object_get(attr, "command")))
					access_action(a, when, host, command(json_object_get(attr, "command")), -1);
				else if (id == 22944 && s) /* Connection ended */
					s->key = 0;
			}
		}
		json_decref(j);
	}
	free(conns);
	return r;
}

const struct access_format access_format_mongodb = {
	.name = "mongodb",
	.what = "MongoDB 4.4+ structured log (JSON lines: Connection accepted, authentication, logged operations)",
	.sniff = mongo_sniff,
	.read = mongo_read,
};
