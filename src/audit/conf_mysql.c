/* my.cnf (MySQL, MariaDB): skip-grant-tables turns authentication off for
 * every client. The server listens on bind-address (MySQL 8 and MariaDB
 * default to every interface), unless skip-networking. Options are read
 * from the [mysqld], [mariadb] and [server] groups, '-' and '_' alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/conf.h"
#include "audit/model.h"

static const char *option(const struct conf_kvs *kv, const char *name, unsigned *line)
{
	static const char *const groups[] = { "mysqld", "mariadb", "server", "mysqld_safe", NULL };
	char key[96], alt[96];
	const char *v = NULL;
	for (const char *const *g = groups; *g && !v; g++) {
		snprintf(key, sizeof(key), "%s.%s", *g, name);
		snprintf(alt, sizeof(alt), "%s", key);
		for (char *c = alt; *c; c++)
			if (*c == '-')
				*c = '_';
		v = conf_get(kv, key, line);
		if (!v)
			v = conf_get(kv, alt, line);
	}
	return v;
}

static cordon_code load(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	struct conf_kvs kv = { 0 };
	if (conf_parse_lines(data, len, &kv)) {
		conf_kvs_free(&kv);
		return CORDON_ERR_NOMEM;
	}
	unsigned line = 0;
	const char *skip = option(&kv, "skip-grant-tables", &line);
	cordon_code rc = CORDON_OK;
	if (skip && (!*skip || conf_true(skip))) {
		char why[128];
		snprintf(why, sizeof(why), "skip-grant-tables (line %u): no authentication", line);
		const char *bind = option(&kv, "bind-address", NULL), *port = option(&kv, "port", NULL);
		int exposed = !option(&kv, "skip-networking", NULL) && (!bind || !conf_is_loopback(bind));
		unsigned p = port ? (unsigned)strtoul(port, NULL, 10) : 3306;
		struct conf_fact f = { "MySQL/MariaDB", p, CORDON_PROTO_TCP, exposed,
				       bind ? bind : "all interfaces (no bind-address)", why };
		rc = audit_add_conf_fact(a, file, &f);
	}
	conf_kvs_free(&kv);
	return rc;
}

static const char *const files[] = { "my.cnf", "mysqld.cnf", "mariadb.cnf", "50-server.cnf", "server.cnf", NULL };
const struct conf_format conf_mysql = { "mysql", "my.cnf, mysqld.cnf, mariadb.cnf, 50-server.cnf", files, load };
