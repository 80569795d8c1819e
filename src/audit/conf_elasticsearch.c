/* elasticsearch.yml and opensearch.yml: is security on, and where does HTTP
 * listen? Elasticsearch before 8.0 runs without authentication unless
 * xpack.security.enabled is true; 8.0 and later turn it on by default, so an
 * absent setting is reported as "not set" for the reader to judge.
 * OpenSearch's security plugin is off with plugins.security.disabled: true.
 * Anonymous access (xpack.security.authc.anonymous.roles) lets anyone in
 * with those roles. HTTP listens on http.host, else network.host, else
 * loopback. */
#include <stdio.h>
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
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	int opensearch = strstr(base, "opensearch") != NULL;
	unsigned line = 0;
	char why[256] = "";
	const char *v;
	if (opensearch) {
		if ((v = conf_get(&kv, "plugins.security.disabled", &line)) && conf_true(v))
			snprintf(why, sizeof(why), "plugins.security.disabled: %s (line %u)", v, line);
	} else if ((v = conf_get(&kv, "xpack.security.enabled", &line))) {
		if (!conf_true(v))
			snprintf(why, sizeof(why), "xpack.security.enabled: %s (line %u)", v, line);
	} else {
		snprintf(why, sizeof(why), "xpack.security.enabled not set (off before Elasticsearch 8.0)");
	}
	if (!*why && (v = conf_get(&kv, "xpack.security.authc.anonymous.roles", &line)) && *v)
		snprintf(why, sizeof(why), "anonymous users get roles %s (line %u)", v, line);
	cordon_code rc = CORDON_OK;
	if (*why) {
		const char *host = conf_get(&kv, "http.host", NULL);
		if (!host)
			host = conf_get(&kv, "network.host", NULL);
		int exposed = host && conf_any_beyond_loopback(host, ", \t[]");
		const char *port = conf_get(&kv, "http.port", NULL);
		unsigned p = port ? (unsigned)strtoul(port, NULL, 10) : 9200;
		struct conf_fact f = { "Elasticsearch/OpenSearch", p, CORDON_PROTO_TCP, exposed,
				       host ? host : "localhost (default)", why };
		rc = audit_add_conf_fact(a, file, &f);
	}
	conf_kvs_free(&kv);
	return rc;
}

static const char *const files[] = { "elasticsearch.yml", "opensearch.yml", NULL };
const struct conf_format conf_elasticsearch = { "elasticsearch", "elasticsearch.yml, opensearch.yml", files, load };
