/* pg_hba.conf: a "host" line whose method is trust lets anyone from its
 * address in as any listed user without a password. Loopback addresses
 * (127.0.0.1/32, ::1/128) and "local" (Unix socket) lines are not counted.
 * Whether PostgreSQL listens beyond loopback is listen_addresses in
 * postgresql.conf (default localhost): reported as a separate file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/conf.h"
#include "audit/model.h"
#include "util/str.h"

static cordon_code load_hba(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	unsigned line = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		line++;
		size_t end = e;
		const char *hash = memchr(data + i, '#', e - i);
		if (hash)
			end = (size_t)(hash - data);
		/* host[ssl|nossl|gssenc|nogssenc] DATABASE USER ADDRESS [MASK] METHOD [OPTIONS] */
		struct span f[6];
		size_t nf = 0, pos = i;
		while (nf < 6 && span_token(data, end, &pos, " \t\r", &f[nf]))
			nf++;
		i = e + 1;
		if (nf < 5 || f[0].n < 4 || memcmp(f[0].p, "host", 4))
			continue;
		int has_mask = nf >= 6 && isdigit((unsigned char)f[4].p[0]) && !memchr(f[3].p, '/', f[3].n);
		struct span method = f[has_mask ? 5 : 4];
		char *addr = strndup(f[3].p, f[3].n);
		if (!addr)
			return CORDON_ERR_NOMEM;
		if (!span_is(method, "trust") || conf_is_loopback(addr) || !strcmp(addr, "samehost")) {
			free(addr);
			continue;
		}
		char why[512];
		snprintf(why, sizeof(why), "%.*s %.*s %.*s %.100s trust: no password (line %u)", (int)f[0].n, f[0].p,
			 (int)(f[1].n > 100 ? 100 : f[1].n), f[1].p, (int)(f[2].n > 100 ? 100 : f[2].n), f[2].p, addr, line);
		struct conf_fact fact = { "PostgreSQL", 5432, CORDON_PROTO_TCP, 1, addr, why };
		cordon_code rc = audit_add_conf_fact(a, file, &fact);
		free(addr);
		if (rc != CORDON_OK)
			return rc;
	}
	return CORDON_OK;
}

/* postgresql.conf: where PostgreSQL listens (listen_addresses, default
 * localhost) and on which port. Joined with a pg_hba.conf of the same
 * directory: trust lines behind a loopback-only listen are not exposed. */
static cordon_code load_conf(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	struct conf_kvs kv = { 0 };
	if (conf_parse_lines(data, len, &kv)) {
		conf_kvs_free(&kv);
		return CORDON_ERR_NOMEM;
	}
	const char *listen = conf_get(&kv, "listen_addresses", NULL), *port = conf_get(&kv, "port", NULL);
	int exposed = listen && conf_any_beyond_loopback(listen, ", \t");
	unsigned p = port ? (unsigned)strtoul(port, NULL, 10) : 5432;
	cordon_code rc = audit_add_conf_listen(a, file, "PostgreSQL", listen ? listen : "localhost (default)",
					       exposed, p);
	conf_kvs_free(&kv);
	return rc;
}

static const char *const hba_files[] = { "pg_hba.conf", NULL };
static const char *const conf_files[] = { "postgresql.conf", NULL };
const struct conf_format conf_pg_hba = { "pg_hba", "pg_hba.conf (with postgresql.conf of the same directory)", hba_files, load_hba };
const struct conf_format conf_postgresql = { "postgresql", "postgresql.conf", conf_files, load_conf };
