/* etcd: GET /version, then the v3 API through its JSON gateway: a range
 * over every key with count_only, then with a limit (POST is how the
 * gateway takes a read); an etcd without the v3 gateway is read through
 * v2 (GET /v2/keys/). With authentication on, the range is refused. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

static const char *const allow[] = {
	"GET /",
	"GET /version",
	"POST /v3/kv/range {\"key\":\"AA==\",\"range_end\":\"AA==\",\"count_only\":true}",
	"POST /v3/kv/range {\"key\":\"AA==\",\"range_end\":\"AA==\",\"limit\":#}",
	"GET /v2/keys/",
	NULL,
};

enum { ROOT, VERSION, COUNT, RANGE, V2 };

/* GET / says 404 and nothing more; GET /version names etcdserver. */
static int identify(const struct probe_ctx *c)
{
	if (!c->url || strcmp(c->url, "/version"))
		return 0;
	json_t *j = probe_json(c);
	int yes = json_is_string(json_object_get(j, "etcdserver"));
	json_decref(j);
	return yes;
}

static void sample_b64(struct probe_ctx *c, json_t *v)
{
	const char *s = json_string_value(v);
	if (!s)
		return;
	size_t n = strlen(s), len = 0;
	unsigned char *bin = malloc(n + 1);
	if (bin && !sodium_base642bin(bin, n + 1, s, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL))
		probe_sample(c, (const char *)bin, len);
	free(bin);
}

static int refused(struct probe_ctx *c, const char *what)
{
	probe_found(c, "authenticated", "%s answers %ld (authentication on)", what, c->status);
	return PROBE_DONE;
}

static int step(struct probe_ctx *c)
{
	if (c->state == ROOT && c->url && !strcmp(c->url, "/version"))
		c->state = VERSION; /* the reply in hand (http.c asked) */
	json_t *j = c->state == ROOT ? NULL : probe_json(c);
	int r = PROBE_DONE;
	switch (c->state) {
	case ROOT:
		c->state = VERSION;
		return probe_get(c, "/version") ? PROBE_DONE : PROBE_WAIT;
	case VERSION: {
		const char *v = json_string_value(json_object_get(j, "etcdserver"));
		if (c->status != 200 || !v) {
			json_decref(j);
			return probe_other_http(c);
		}
		probe_set_version(c, v, strlen(v));
		c->state = COUNT;
		r = probe_http(c, "/v3/kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"count_only\":true}", NULL)
			    ? PROBE_DONE
			    : PROBE_WAIT;
		break;
	}
	case COUNT:
		if (c->status == 404) {
			c->state = V2;
			r = probe_get(c, "/v2/keys/") ? PROBE_DONE : PROBE_WAIT;
		} else if (c->status == 200) {
			const char *count = json_string_value(json_object_get(j, "count"));
			int64_t n = count ? strtoll(count, NULL, 10) : 0;
			probe_found(c, "unauthenticated_access", "a v3 range over every key answers 200 without credentials");
			probe_store(c, "keys", 4, n, -1);
			char body[120];
			snprintf(body, sizeof(body), "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"limit\":%u}", probe_sample_size(c));
			c->state = RANGE;
			r = !probe_sample_size(c) || n == 0 || probe_http(c, "/v3/kv/range", body, NULL) ? PROBE_DONE : PROBE_WAIT;
		} else {
			r = refused(c, "a v3 range");
		}
		break;
	case RANGE: {
		size_t i;
		json_t *kv;
		json_array_foreach(json_object_get(j, "kvs"), i, kv)
		{
			sample_b64(c, json_object_get(kv, "key"));
			sample_b64(c, json_object_get(kv, "value"));
		}
		break;
	}
	case V2:
		if (c->status == 200) {
			json_t *nodes = json_object_get(json_object_get(j, "node"), "nodes");
			probe_found(c, "unauthenticated_access", "GET /v2/keys/ answers 200 without credentials");
			probe_store(c, "v2 keys", 7, (int64_t)json_array_size(nodes), -1);
			size_t i;
			json_t *node;
			unsigned n = probe_sample_size(c);
			json_array_foreach(nodes, i, node)
			{
				if (i >= n)
					break;
				const char *k = json_string_value(json_object_get(node, "key"));
				const char *v = json_string_value(json_object_get(node, "value"));
				if (k)
					probe_sample(c, k, strlen(k));
				if (v)
					probe_sample(c, v, strlen(v));
			}
		} else {
			r = refused(c, "GET /v2/keys/");
		}
		break;
	}
	json_decref(j);
	return r;
}

const struct probe_def probe_etcd = {
	.name = "etcd",
	.service = "etcd",
	.datastore = "etcd",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
};
