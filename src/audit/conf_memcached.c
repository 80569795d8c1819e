/* memcached options, as Debian's /etc/memcached.conf writes them (one
 * option per line) or a command line / OPTIONS="..." line: memcached asks
 * for nothing unless SASL is on (-S); it listens on -l (default: every
 * interface), TCP port -p (11211), and UDP port -U when not 0 (the default
 * since 1.5.6; before, 11211: the port of the 2018 amplification attacks). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/conf.h"
#include "audit/model.h"
#include "util/str.h"

/* A port number option's value; -1 when it is not one. */
static long port_of(struct span t)
{
	char num[8];
	if (!t.n || t.n >= sizeof(num))
		return -1;
	memcpy(num, t.p, t.n);
	num[t.n] = '\0';
	char *end;
	unsigned long v = strtoul(num, &end, 10);
	return *end || num[0] == '-' || v > 65535 ? -1 : (long)v;
}

static cordon_code load(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	/* comments out, quotes and OPTIONS= away: what is left are options */
	char *buf = malloc(len + 1);
	if (!buf)
		return CORDON_ERR_NOMEM;
	memcpy(buf, data, len);
	buf[len] = '\0';
	for (size_t c = 0; c < len; c++) {
		if (buf[c] == '#')
			while (c < len && buf[c] != '\n')
				buf[c++] = ' ';
		if (c < len && (buf[c] == '"' || buf[c] == '\'' || buf[c] == '=' || buf[c] == '\0'))
			buf[c] = ' ';
	}
	struct span listen = { NULL, 0 }, t, arg;
	long tcp = 11211, udp = 0;
	int sasl = 0;
	cordon_code rc = CORDON_OK;
	static const char blanks[] = " \t\r\n";
	for (size_t pos = 0; rc == CORDON_OK && span_token(buf, len, &pos, blanks, &t);) {
		int is_l = span_is(t, "-l") || span_is(t, "--listen"), is_p = span_is(t, "-p") || span_is(t, "--port"),
		    is_u = span_is(t, "-U") || span_is(t, "--udp-port");
		if (span_is(t, "-S") || span_is(t, "--enable-sasl")) {
			sasl = 1;
		} else if (is_l || is_p || is_u) {
			if (!span_token(buf, len, &pos, blanks, &arg)) {
				rc = audit_fail(a, "%s: option %.*s has no value", file, (int)t.n, t.p);
			} else if (is_l) {
				listen = arg;
			} else {
				long v = port_of(arg);
				if (v < 0)
					rc = audit_fail(a, "%s: option %.*s: '%.*s' is not a port number", file, (int)t.n,
							t.p, (int)(arg.n > 40 ? 40 : arg.n), arg.p);
				else if (is_p)
					tcp = v;
				else
					udp = v;
			}
		}
	}
	if (rc != CORDON_OK || sasl) {
		free(buf);
		return rc;
	}
	char *l = listen.p ? strndup(listen.p, listen.n) : NULL;
	if (listen.p && !l) {
		free(buf);
		return CORDON_ERR_NOMEM;
	}
	int exposed = !l || conf_any_beyond_loopback(l, ",");
	struct conf_fact f = { "memcached", (unsigned)tcp, CORDON_PROTO_TCP, exposed,
			       l ? l : "all interfaces (no -l)", "no SASL (-S): memcached asks for nothing" };
	if (tcp) /* -p 0 turns TCP off */
		rc = audit_add_conf_fact(a, file, &f);
	if (rc == CORDON_OK && udp) {
		f.port = (unsigned)udp;
		f.protocol = CORDON_PROTO_UDP;
		f.why = "no SASL, and UDP on (-U): open to amplification";
		rc = audit_add_conf_fact(a, file, &f);
	}
	free(l);
	free(buf);
	return rc;
}

static const char *const files[] = { "memcached.conf", "memcached", NULL };
const struct conf_format conf_memcached = { "memcached", "memcached.conf (Debian style), memcached (OPTIONS=)", files, load };
