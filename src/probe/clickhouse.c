/* ClickHouse over HTTP: GET / says "Ok."; then queries as the default
 * user (no credentials), all by GET, which ClickHouse runs read-only (it
 * refuses a write or a settings change over GET): its version, its tables
 * with their sizes, and a few rows of the largest. */
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { SAMPLED_TABLES = 3 };

#define P "/?default_format=JSONCompact&query="
#define Q "GET " P
static const char *const allow[] = {
	"GET /",
	Q "SELECT%20version()",
	Q "SELECT%20database%2C%20name%2C%20total_rows%2C%20total_bytes%20FROM%20system.tables%20WHERE%20database%20NOT%20IN%20(%27system%27%2C%27INFORMATION_SCHEMA%27%2C%27information_schema%27)%20ORDER%20BY%20total_rows%20DESC%20LIMIT%20100",
	Q "SELECT%20database%2C%20name%20FROM%20system.tables%20WHERE%20database%20NOT%20IN%20(%27system%27%2C%27INFORMATION_SCHEMA%27%2C%27information_schema%27)%20LIMIT%20100",
	Q "SELECT%20*%20FROM%20*.*%20LIMIT%20#",
	NULL,
};

struct ch {
	char *sample[SAMPLED_TABLES];
	size_t nsample, next;
};

static void release(struct probe_ctx *c)
{
	struct ch *s = c->priv;
	for (size_t i = 0; i < s->nsample; i++)
		free(s->sample[i]);
	s->nsample = 0;
}

static int identify(const struct probe_ctx *c)
{
	return c->status == 200 && c->in.len == 4 && !memcmp(c->in.data, "Ok.\n", 4);
}

static int next_sample(struct probe_ctx *c)
{
	struct ch *s = c->priv;
	while (s->next < s->nsample) {
		char path[1200];
		snprintf(path, sizeof(path), P "SELECT%%20*%%20FROM%%20%s%%20LIMIT%%20%u", s->sample[s->next++],
			 probe_sample_size(c));
		c->state = 3;
		return probe_get(c, path) ? PROBE_DONE : PROBE_WAIT;
	}
	return PROBE_DONE;
}

/* `db`.`table`, quoted and escaped for the URL; -1 when a name holds a
 * backquote or does not fit (never a query other than the one meant). */
static int quoted(char *out, size_t cap, const char *db, const char *table)
{
	char raw[600], *o = raw;
	if (strchr(db, '`') || strchr(table, '`') || strlen(db) + strlen(table) + 6 > sizeof(raw))
		return -1;
	o += snprintf(o, sizeof(raw), "`%s`.`%s`", db, table);
	return probe_escape(out, cap, raw, (size_t)(o - raw));
}

static int step(struct probe_ctx *c)
{
	struct ch *s = c->priv;
	if (c->state == 0) {
		if (!identify(c))
			return probe_other_http(c);
		c->state = 1;
		return probe_get(c, P "SELECT%20version()") ? PROBE_DONE : PROBE_WAIT;
	}
	json_t *j = probe_json(c);
	json_t *data = json_object_get(j, "data");
	int r = PROBE_DONE;
	if (c->state == 1) {
		const char *v = json_string_value(json_array_get(json_array_get(data, 0), 0));
		if (c->status == 200 && v) {
			probe_set_version(c, v, strlen(v));
			probe_found(c, "unauthenticated_access", "a query as the default user answers 200 without a password");
			c->state = 2;
			r = probe_get(c, allow[2] + 4) ? PROBE_DONE : PROBE_WAIT;
		} else if (c->status == 401 || c->status == 403 || (c->in.len && (memmem(c->in.data, c->in.len, "Code: 516", 9) ||
									     memmem(c->in.data, c->in.len, "Code: 192", 9) ||
									     memmem(c->in.data, c->in.len, "Code: 193", 9) ||
									     memmem(c->in.data, c->in.len, "Code: 194", 9)))) {
			probe_found(c, "authenticated", "a query as the default user without a password is refused (%ld)",
				    c->status);
		} else {
			probe_found(c, "unverified", "a query as the default user answers %ld, not an authentication error",
				    c->status);
		}
	} else if (c->state == 2 && c->status != 200) {
		/* before 20.x, system.tables has no total_rows: names only */
		c->state = 4;
		r = probe_get(c, allow[3] + 4) ? PROBE_DONE : PROBE_WAIT;
	} else if (c->state == 2 || c->state == 4) {
		size_t i;
		json_t *row;
		json_array_foreach(data, i, row)
		{
			const char *db = json_string_value(json_array_get(row, 0));
			const char *t = json_string_value(json_array_get(row, 1));
			json_t *rows = json_array_get(row, 2), *bytes = json_array_get(row, 3); /* NULL: names only */
			if (!db || !t)
				continue;
			char name[520];
			snprintf(name, sizeof(name), "%s.%s", db, t);
			/* JSONCompact writes 64-bit numbers as strings */
			int64_t nr = json_is_string(rows) ? strtoll(json_string_value(rows), NULL, 10)
							   : json_is_integer(rows) ? json_integer_value(rows) : -1;
			int64_t nb = json_is_string(bytes) ? strtoll(json_string_value(bytes), NULL, 10)
							    : json_is_integer(bytes) ? json_integer_value(bytes) : -1;
			probe_store(c, name, strlen(name), nr, nb);
			char q[1800];
			if ((nr > 0 || (!rows && c->state == 4)) && s->nsample < SAMPLED_TABLES && probe_sample_size(c) && !quoted(q, sizeof(q), db, t))
				if ((s->sample[s->nsample] = strdup(q)))
					s->nsample++;
		}
		r = next_sample(c);
	} else {
		if (c->status == 200)
			probe_sample(c, c->in.data, c->in.len);
		else
			probe_note(c, "a sample read answered %ld", c->status);
		r = next_sample(c);
	}
	json_decref(j);
	return r;
}

const struct probe_def probe_clickhouse = {
	.name = "clickhouse",
	.service = "ClickHouse",
	.datastore = "ClickHouse HTTP",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
	.priv_size = sizeof(struct ch),
	.release = release,
};
