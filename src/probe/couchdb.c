/* CouchDB: GET / always answers (its welcome); GET /_all_dbs needs an
 * admin since 3.0, so a 200 there is an open server (or a 2.x "admin
 * party"). Then a few documents of the first databases:
 * GET /DB/_all_docs?limit=N&include_docs=true. */
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"

enum { SAMPLED_DBS = 3 };

static const char *const allow[] = {
	"GET /",
	"GET /_all_dbs",
	"GET /*/_all_docs?limit=#&include_docs=true",
	NULL,
};

struct couch {
	char *sample[SAMPLED_DBS];
	size_t nsample, next;
};

static void release(struct probe_ctx *c)
{
	struct couch *s = c->priv;
	for (size_t i = 0; i < s->nsample; i++)
		free(s->sample[i]);
	s->nsample = 0;
}

static int identify(const struct probe_ctx *c)
{
	json_t *j = probe_json(c);
	const char *w = json_string_value(json_object_get(j, "couchdb"));
	int yes = w && !strcmp(w, "Welcome");
	json_decref(j);
	return yes;
}

static int next_sample(struct probe_ctx *c)
{
	struct couch *s = c->priv;
	char path[900], esc[800];
	while (s->next < s->nsample) {
		const char *db = s->sample[s->next++];
		if (probe_escape(esc, sizeof(esc), db, strlen(db)))
			continue;
		snprintf(path, sizeof(path), "/%s/_all_docs?limit=%u&include_docs=true", esc, probe_sample_size(c));
		c->state = 2;
		return probe_get(c, path) ? PROBE_DONE : PROBE_WAIT;
	}
	return PROBE_DONE;
}

static int step(struct probe_ctx *c)
{
	struct couch *s = c->priv;
	json_t *j = probe_json(c);
	int r = PROBE_DONE;
	if (c->state == 0) {
		const char *v = json_string_value(json_object_get(j, "version"));
		if (!identify(c)) {
			json_decref(j);
			return probe_other_http(c);
		}
		if (v)
			probe_set_version(c, v, strlen(v));
		c->state = 1;
		r = probe_get(c, "/_all_dbs") ? PROBE_DONE : PROBE_WAIT;
	} else if (c->state == 1) {
		if (c->status == 401 || c->status == 403) {
			probe_found(c, "authenticated", "GET /_all_dbs answers %ld", c->status);
		} else if (c->status == 200 && json_is_array(j)) {
			probe_found(c, "unauthenticated_access", "GET /_all_dbs answers 200 without credentials (%zu databases)",
				    json_array_size(j));
			size_t i;
			json_t *d;
			json_array_foreach(j, i, d)
			{
				const char *name = json_string_value(d);
				if (!name)
					continue;
				probe_store(c, name, strlen(name), -1, -1);
				if (name[0] != '_' && s->nsample < SAMPLED_DBS && probe_sample_size(c))
					if ((s->sample[s->nsample] = strdup(name)))
						s->nsample++;
			}
			r = next_sample(c);
		} else {
			probe_found(c, "authenticated", "GET /_all_dbs answers %ld", c->status);
		}
	} else {
		json_t *rows = json_object_get(j, "rows");
		json_t *total = json_object_get(j, "total_rows");
		const char *db = s->sample[s->next - 1];
		for (size_t k = 0; json_is_integer(total) && k < c->res.nstores; k++)
			if (!strcmp(c->res.stores[k].name, db))
				c->res.stores[k].records = json_integer_value(total);
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			char *text = json_dumps(json_object_get(row, "doc"), JSON_COMPACT | JSON_ENCODE_ANY);
			if (text) {
				probe_sample(c, text, strlen(text));
				free(text);
			}
		}
		if (c->status != 200)
			probe_note(c, "a sample read answered %ld", c->status);
		r = next_sample(c);
	}
	json_decref(j);
	return r;
}

const struct probe_def probe_couchdb = {
	.name = "couchdb",
	.service = "CouchDB",
	.datastore = "CouchDB",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
	.priv_size = sizeof(struct couch),
	.release = release,
};
