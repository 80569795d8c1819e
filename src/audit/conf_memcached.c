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

static cordon_code load(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	char listen[256] = "", buf[4096];
	unsigned tcp = 11211, udp = 0;
	int sasl = 0;
	size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	memcpy(buf, data, n);
	buf[n] = '\0';
	/* comments out, quotes and OPTIONS= away: what is left are options */
	for (char *c = buf; *c; c++) {
		if (*c == '#')
			while (*c && *c != '\n')
				*c++ = ' ';
		if (*c == '"' || *c == '\'' || *c == '=')
			*c = ' ';
	}
	char *tok[512];
	int nt = 0;
	for (char *save = NULL, *t = strtok_r(buf, " \t\r\n", &save); t && nt < 512; t = strtok_r(NULL, " \t\r\n", &save))
		tok[nt++] = t;
	for (int i = 0; i < nt; i++) {
		const char *t = tok[i], *arg = i + 1 < nt ? tok[i + 1] : NULL;
		if (!strcmp(t, "-S") || !strcmp(t, "--enable-sasl"))
			sasl = 1;
		else if ((!strcmp(t, "-l") || !strcmp(t, "--listen")) && arg)
			snprintf(listen, sizeof(listen), "%s", arg), i++;
		else if ((!strcmp(t, "-p") || !strcmp(t, "--port")) && arg)
			tcp = (unsigned)strtoul(arg, NULL, 10), i++;
		else if ((!strcmp(t, "-U") || !strcmp(t, "--udp-port")) && arg)
			udp = (unsigned)strtoul(arg, NULL, 10), i++;
	}
	if (sasl)
		return CORDON_OK;
	int exposed = !*listen;
	char l[256];
	snprintf(l, sizeof(l), "%s", listen);
	for (char *save = NULL, *h = strtok_r(l, ",", &save); h; h = strtok_r(NULL, ",", &save))
		exposed |= !conf_is_loopback(h);
	struct conf_fact f = { "memcached", tcp, CORDON_PROTO_TCP, exposed,
			       *listen ? listen : "all interfaces (no -l)", "no SASL (-S): memcached asks for nothing" };
	cordon_code rc = audit_add_conf_fact(a, file, &f);
	if (rc == CORDON_OK && udp) {
		f.port = udp;
		f.protocol = CORDON_PROTO_UDP;
		f.why = "no SASL, and UDP on (-U): open to amplification";
		rc = audit_add_conf_fact(a, file, &f);
	}
	return rc;
}

static const char *const files[] = { "memcached.conf", "memcached", NULL };
const struct conf_format conf_memcached = { "memcached", files, load };
