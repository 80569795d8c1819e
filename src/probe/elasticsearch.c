/* Elasticsearch and OpenSearch, over HTTP or HTTPS.
 *   GET /                          cluster, version, distribution; a 401 with
 *                                  WWW-Authenticate: security is on
 *   GET /_cat/indices?format=json&bytes=b   indices, documents, sizes
 *   GET /INDEX/_search?size=N      a few documents of the largest indices
 * Every request is a GET: none changes the cluster. */
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { SAMPLED_INDICES = 3 };

static const char *const allow[] = {
	"GET /",
	"GET /_cat/indices?format=json&bytes=b",
	"GET /*/_search?size=#",
	NULL,
};

struct es {
	char *sample[SAMPLED_INDICES];
	size_t nsample, next;
};

static int identify(const struct probe_ctx *c)
{
	char v[200];
	if (probe_header(c, "x-elastic-product", v, sizeof(v)) && !strcmp(v, "Elasticsearch"))
		return 1;
	if (c->status == 401 && probe_header(c, "www-authenticate", v, sizeof(v)) &&
	    (strstr(v, "realm=\"security\"") || strstr(v, "OpenSearch Security")))
		return 1;
	json_t *j = probe_json(c);
	int yes = 0;
	if (json_is_object(j)) {
		const char *tagline = json_string_value(json_object_get(j, "tagline"));
		const char *dist = json_string_value(json_object_get(json_object_get(j, "version"), "distribution"));
		yes = (tagline && !strcmp(tagline, "You Know, for Search")) || (dist && !strcmp(dist, "opensearch"));
	}
	json_decref(j);
	return yes;
}

static void release(struct probe_ctx *c)
{
	struct es *s = c->priv;
	for (size_t i = 0; i < s->nsample; i++)
		free(s->sample[i]);
	s->nsample = 0;
}

static int root(struct probe_ctx *c)
{
	char v[200];
	if ((c->status == 401 || c->status == 403) && probe_header(c, "www-authenticate", v, sizeof(v))) {
		probe_found(c, "authenticated", "GET / answers %ld with WWW-Authenticate: %s", c->status, v);
		return PROBE_DONE;
	}
	json_t *j = probe_json(c);
	json_t *ver = json_object_get(j, "version");
	const char *number = json_string_value(json_object_get(ver, "number"));
	const char *dist = json_string_value(json_object_get(ver, "distribution"));
	const char *cluster = json_string_value(json_object_get(j, "cluster_name"));
	if (c->status != 200 || !number) {
		json_decref(j);
		if (c->status == 401 || c->status == 403) {
			probe_found(c, "authenticated", "GET / answers %ld", c->status);
			return PROBE_DONE;
		}
		return probe_other_http(c);
	}
	probe_set_service(c, dist && !strcmp(dist, "opensearch") ? "OpenSearch" : "Elasticsearch");
	probe_set_version(c, number, strlen(number));
	probe_found(c, "unauthenticated_access", "GET / answers 200 without credentials: cluster '%.80s', version %.40s",
		    cluster ? cluster : "?", number);
	json_decref(j);
	c->state = 1;
	return probe_get(c, "/_cat/indices?format=json&bytes=b") ? PROBE_DONE : PROBE_WAIT;
}

static int64_t num(json_t *v)
{
	if (json_is_integer(v))
		return json_integer_value(v);
	const char *s = json_string_value(v);
	if (!s || !*s)
		return -1;
	char *end;
	long long n = strtoll(s, &end, 10);
	return *end ? -1 : n;
}

static int next_sample(struct probe_ctx *c)
{
	struct es *s = c->priv;
	char path[900], esc[800];
	while (s->next < s->nsample) {
		const char *name = s->sample[s->next++];
		if (probe_escape(esc, sizeof(esc), name, strlen(name)))
			continue;
		snprintf(path, sizeof(path), "/%s/_search?size=%u", esc, probe_sample_size(c));
		c->state = 2;
		return probe_get(c, path) ? PROBE_DONE : PROBE_WAIT;
	}
	release(c);
	return PROBE_DONE;
}

static int indices(struct probe_ctx *c)
{
	struct es *s = c->priv;
	json_t *j = probe_json(c);
	if (c->status != 200 || !json_is_array(j)) {
		probe_note(c, "GET /_cat/indices answered %ld%s", c->status, c->capped ? " (over the size cap)" : "");
		json_decref(j);
		return PROBE_DONE;
	}
	size_t i;
	json_t *ix;
	int64_t top[SAMPLED_INDICES] = { 0 };
	json_array_foreach(j, i, ix)
	{
		const char *name = json_string_value(json_object_get(ix, "index"));
		if (!name)
			continue;
		int64_t docs = num(json_object_get(ix, "docs.count"));
		probe_store(c, name, strlen(name), docs, num(json_object_get(ix, "store.size")));
		if (name[0] == '.' || docs <= 0 || !probe_sample_size(c))
			continue; /* system indices are not sampled */
		/* keep the largest few, largest first */
		size_t k = s->nsample;
		if (k == SAMPLED_INDICES && docs <= top[k - 1])
			continue;
		if (k == SAMPLED_INDICES)
			free(s->sample[--k]);
		char *copy = strdup(name);
		if (!copy)
			continue;
		while (k > 0 && top[k - 1] < docs) {
			top[k] = top[k - 1];
			s->sample[k] = s->sample[k - 1];
			k--;
		}
		top[k] = docs;
		s->sample[k] = copy;
		if (s->nsample < SAMPLED_INDICES)
			s->nsample++;
	}
	json_decref(j);
	return next_sample(c);
}

static int documents(struct probe_ctx *c)
{
	json_t *j = probe_json(c);
	json_t *hits = json_object_get(json_object_get(j, "hits"), "hits");
	if (c->status == 200 && json_is_array(hits)) {
		size_t i;
		json_t *h;
		json_array_foreach(hits, i, h)
		{
			char *text = json_dumps(json_object_get(h, "_source"), JSON_COMPACT | JSON_ENCODE_ANY);
			if (text) {
				probe_sample(c, text, strlen(text));
				free(text);
			}
		}
	} else if (c->status == 200 && c->capped) {
		/* documents bigger than the cap: what came is still scanned */
		probe_sample(c, c->in.data, c->in.len);
		probe_note(c, "a sample reply was over the size cap; its start was scanned");
	} else {
		probe_note(c, "a search answered %ld", c->status);
	}
	json_decref(j);
	return next_sample(c);
}

static int step(struct probe_ctx *c)
{
	switch (c->state) {
	case 0:
		return root(c);
	case 1:
		return indices(c);
	default:
		return documents(c);
	}
}

const struct probe_def probe_elasticsearch = {
	.name = "elasticsearch",
	.service = "Elasticsearch",
	.datastore = "Elasticsearch/OpenSearch",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
	.priv_size = sizeof(struct es),
	.release = release,
};
