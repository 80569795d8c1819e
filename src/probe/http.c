/* Any HTTP port: GET /, then hand the conversation to the probe whose
 * service answered (Elasticsearch says so in its body, CouchDB in its
 * welcome, ...). A 404 at / (Docker, etcd) is asked GET /version, which
 * both answer in their own words. When none claims it, the probe the
 * port's table names gets to check with its own request; when that fails
 * too, the endpoint is reported as what it is: an HTTP server, with its
 * status and Server header. */
#include <string.h>
#include "probe/probe.h"

static const char *const allow[] = { "GET /", "GET /version", NULL };

int probe_other_http(struct probe_ctx *c)
{
	char server[120] = "";
	probe_header(c, "server", server, sizeof(server));
	char auth[120] = "";
	int challenged = probe_header(c, "www-authenticate", auth, sizeof(auth));
	probe_set_service(c, "HTTP server");
	if (server[0])
		probe_set_version(c, server, strlen(server));
	if (c->status == 401 && challenged)
		probe_found(c, "authenticated", "%s answers GET %s with 401 and WWW-Authenticate", c->tls ? "HTTPS" : "HTTP",
			    c->url ? c->url : "/");
	else
		probe_found(c, "other_service", "%s answers GET %s with %ld%s%s; not a data store cordon knows",
			    c->tls ? "HTTPS" : "HTTP", c->url ? c->url : "/", c->status, server[0] ? ", Server: " : "", server);
	return PROBE_DONE;
}

static int step(struct probe_ctx *c)
{
	if (c->replies == 0)
		return probe_get(c, "/") ? PROBE_DONE : PROBE_WAIT;
	const struct probe_def *def = probe_identify_http(c);
	if (!def && c->state == 0 && c->status == 404) {
		c->state = 1;
		return probe_get(c, "/version") ? PROBE_DONE : PROBE_WAIT;
	}
	if (!def)
		def = probe_for_datastore(c->ep.datastore, c->ep.proto);
	if (!def || def->transport != PROBE_HTTP)
		return probe_other_http(c);
	return probe_hand_over(c, def);
}

const struct probe_def probe_http_any = {
	.name = "http",
	.service = "HTTP server",
	.transport = PROBE_HTTP,
	.allow = allow,
	.step = step,
};

/* The same over TLS, last in the chain of a port the table does not name
 * as HTTP: a TLS handshake with a server that waits for its own protocol
 * stalls until the connect timeout, which the other probes need not pay. */
const struct probe_def probe_https_any = {
	.name = "https",
	.service = "HTTP server",
	.transport = PROBE_HTTP,
	.allow = allow,
	.step = step,
};

int probe_escape(char *out, size_t cap, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (o + 4 > cap)
			return -1; /* never a name cut short: another store's */
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		    ch == '_' || ch == '.' || ch == '~') {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	if (o >= cap)
		return -1;
	out[o] = '\0';
	return 0;
}
