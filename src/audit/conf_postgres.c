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

static cordon_code load_hba(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	unsigned line = 0;
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		line++;
		char buf[512];
		size_t n = e - i < sizeof(buf) - 1 ? e - i : sizeof(buf) - 1;
		memcpy(buf, data + i, n);
		buf[n] = '\0';
		i = e + 1;
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *f[8];
		int nf = 0;
		for (char *save = NULL, *t = strtok_r(buf, " \t\r", &save); t && nf < 8; t = strtok_r(NULL, " \t\r", &save))
			f[nf++] = t;
		/* host[ssl|nossl|gssenc|nogssenc] DATABASE USER ADDRESS [MASK] METHOD */
		if (nf < 5 || strncmp(f[0], "host", 4))
			continue;
		int has_mask = nf >= 6 && isdigit((unsigned char)f[4][0]) && strchr(f[3], '/') == NULL;
		const char *addr = f[3], *method = f[has_mask ? 5 : 4];
		if (strcmp(method, "trust") || conf_is_loopback(addr) || !strcmp(addr, "samehost"))
			continue;
		char why[256];
		snprintf(why, sizeof(why), "%s %s %s %s trust: no password (line %u)", f[0], f[1], f[2], addr, line);
		struct conf_fact fact = { "PostgreSQL", 5432, CORDON_PROTO_TCP, 1, addr, why };
		cordon_code rc = audit_add_conf_fact(a, file, &fact);
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
	int exposed = 0;
	char l[256];
	snprintf(l, sizeof(l), "%s", listen ? listen : "localhost");
	for (char *save = NULL, *h = strtok_r(l, ", \t", &save); h; h = strtok_r(NULL, ", \t", &save))
		exposed |= !conf_is_loopback(h);
	unsigned p = port ? (unsigned)strtoul(port, NULL, 10) : 5432;
	cordon_code rc = audit_add_conf_listen(a, file, "PostgreSQL", listen ? listen : "localhost (default)",
					       exposed, p);
	conf_kvs_free(&kv);
	return rc;
}

static const char *const hba_files[] = { "pg_hba.conf", NULL };
static const char *const conf_files[] = { "postgresql.conf", NULL };
const struct conf_format conf_pg_hba = { "pg_hba", hba_files, load_hba };
const struct conf_format conf_postgresql = { "postgresql", conf_files, load_conf };
