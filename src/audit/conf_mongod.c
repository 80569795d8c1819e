/* mongod.conf: MongoDB checks nothing unless security.authorization is
 * "enabled"; it listens on net.bindIp (default localhost since 3.6), or
 * everywhere with net.bindIpAll: true. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/conf.h"
#include "audit/model.h"

static cordon_code load(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	struct conf_kvs kv = { 0 };
	char err[160];
	if (conf_parse_yaml(data, len, &kv, err, sizeof(err))) {
		conf_kvs_free(&kv);
		return audit_fail(a, "%s: %s", file, err);
	}
	unsigned line = 0;
	const char *authz = conf_get(&kv, "security.authorization", &line);
	cordon_code rc = CORDON_OK;
	if (!authz || strcasecmp(authz, "enabled")) {
		char why[256];
		if (authz)
			snprintf(why, sizeof(why), "security.authorization: %s (line %u)", authz, line);
		else
			snprintf(why, sizeof(why), "security.authorization not set (off by default)");
		const char *all = conf_get(&kv, "net.bindIpAll", NULL), *ip = conf_get(&kv, "net.bindIp", NULL);
		int exposed = conf_true(all) || (ip && conf_any_beyond_loopback(ip, ", \t"));
		const char *port = conf_get(&kv, "net.port", NULL);
		unsigned p = port ? (unsigned)strtoul(port, NULL, 10) : 27017;
		struct conf_fact f = { "MongoDB", p, CORDON_PROTO_TCP, exposed,
				       conf_true(all) ? "all interfaces (bindIpAll)" : ip ? ip : "localhost (default)", why };
		rc = audit_add_conf_fact(a, file, &f);
	}
	conf_kvs_free(&kv);
	return rc;
}

static const char *const files[] = { "mongod.conf", NULL };
const struct conf_format conf_mongod = { "mongod", "mongod.conf", files, load };
