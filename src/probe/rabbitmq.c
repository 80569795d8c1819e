/* RabbitMQ's management API. GET /api/overview without credentials is
 * refused by every version; the finding is the default guest:guest
 * account, which RabbitMQ accepts from loopback only unless
 * loopback_users is emptied: accepted from elsewhere, anyone can read and
 * drain every queue. One try, with guest:guest, a GET. */
#include <string.h>
#include "probe/probe.h"

static const char *const allow[] = {
	"GET /",
	"GET /api/overview",
	"GET /api/overview as guest:guest",
	NULL,
};

static int identify(const struct probe_ctx *c)
{
	return c->status == 200 && c->in.len && memmem(c->in.data, c->in.len, "RabbitMQ Management", 19);
}

static int loopback(const struct probe_ctx *c)
{
	return !strncmp(c->ep.addr, "127.", 4) || !strcmp(c->ep.addr, "::1");
}

static int step(struct probe_ctx *c)
{
	json_t *j = probe_json(c);
	int r = PROBE_DONE;
	const char *v = json_string_value(json_object_get(j, "rabbitmq_version"));
	switch (c->state) {
	case 0:
		c->state = 1;
		r = probe_get(c, "/api/overview") ? PROBE_DONE : PROBE_WAIT;
		break;
	case 1:
		if (c->status == 200 && v) {
			probe_set_version(c, v, strlen(v));
			probe_found(c, "unauthenticated_access", "GET /api/overview answers 200 without credentials");
		} else if (c->status == 401) {
			c->state = 2;
			r = probe_http(c, "/api/overview", NULL, "guest:guest") ? PROBE_DONE : PROBE_WAIT;
		} else {
			json_decref(j);
			return probe_other_http(c);
		}
		break;
	default:
		if (c->status == 200 && v) {
			probe_set_version(c, v, strlen(v));
			if (loopback(c)) {
				probe_found(c, "authenticated",
					    "guest:guest is accepted, from loopback (which RabbitMQ allows by default)");
				probe_note(c, "probe from another host to know whether guest:guest is accepted from there");
			} else {
				probe_found(c, "unauthenticated_access",
					    "the default account guest:guest is accepted from a non-loopback address");
			}
		} else {
			probe_found(c, "authenticated", "GET /api/overview answers 401, and %ld as guest:guest", c->status);
		}
	}
	json_decref(j);
	return r;
}

const struct probe_def probe_rabbitmq = {
	.name = "rabbitmq",
	.service = "RabbitMQ management",
	.datastore = "RabbitMQ management",
	.transport = PROBE_HTTP,
	.allow = allow,
	.identify = identify,
	.step = step,
};
