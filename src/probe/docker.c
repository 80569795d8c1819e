/* The Docker Engine API: GET /version, GET /info, and the container list
 * (names, images, labels). An open Docker API is root on the host: it can
 * start a container that mounts /. Nothing is started or inspected. */
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

static const char *const allow[] = {
	"GET /",
	"GET /version",
	"GET /info",
	"GET /containers/json?all=1&limit=#",
	NULL,
};

enum { ROOT, VERSION, INFO, CONTAINERS };

static int identify(const struct probe_ctx *c)
{
	if (!c->url || strcmp(c->url, "/version"))
		return 0;
	json_t *j = probe_json(c);
	int yes = json_is_string(json_object_get(j, "ApiVersion"));
	json_decref(j);
	return yes;
}

static int step(struct probe_ctx *c)
{
	if (c->state == ROOT && c->url && !strcmp(c->url, "/version"))
		c->state = VERSION; /* the reply in hand (http.c asked) */
	if (c->state == ROOT) {
		c->state = VERSION;
		return probe_get(c, "/version") ? PROBE_DONE : PROBE_WAIT;
	}
	json_t *j = probe_json(c);
	int r = PROBE_DONE;
	if (c->state == VERSION) {
		const char *api = json_string_value(json_object_get(j, "ApiVersion"));
		const char *v = json_string_value(json_object_get(j, "Version"));
		if (c->status == 200 && api) {
			if (v)
				probe_set_version(c, v, strlen(v));
			probe_found(c, "unauthenticated_access",
				    "GET /version answers 200 without credentials (API %.20s): control of the host", api);
			c->state = INFO;
			r = probe_get(c, "/info") ? PROBE_DONE : PROBE_WAIT;
		} else if (c->status == 401 || c->status == 403) {
			probe_found(c, "authenticated", "GET /version answers %ld", c->status);
		} else {
			json_decref(j);
			return probe_other_http(c);
		}
	} else if (c->state == INFO) {
		json_t *n = json_object_get(j, "Containers");
		json_t *im = json_object_get(j, "Images");
		if (json_is_integer(n))
			probe_store(c, "containers", 10, json_integer_value(n), -1);
		if (json_is_integer(im))
			probe_store(c, "images", 6, json_integer_value(im), -1);
		if (probe_sample_size(c)) {
			char path[80];
			snprintf(path, sizeof(path), "/containers/json?all=1&limit=%u", probe_sample_size(c));
			c->state = CONTAINERS;
			r = probe_get(c, path) ? PROBE_DONE : PROBE_WAIT;
		}
	} else {
		size_t i;
		json_t *ct;
		json_array_foreach(j, i, ct)
		{
			/* names, images, commands and labels: what people put there */
			const char *keys[] = { "Names", "Image", "Command", "Labels" };
			for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
				char *text = json_dumps(json_object_get(ct, keys[k]), JSON_COMPACT | JSON_ENCODE_ANY);
				if (text) {
					probe_sample(c, text, strlen(text));
					free(text);
				}
			}
		}
	}
	json_decref(j);
	return r;
}

const struct probe_def probe_docker = {
	.name = "docker",
	.service = "Docker API",
	.datastore = "Docker API",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
};
