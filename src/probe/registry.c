/* The probes, one file each: a new one is its file and a line here. The
 * order is the order HTTP probes are asked whether GET / is theirs. */
#include <string.h>
#include "probe/probe.h"

extern const struct probe_def probe_elasticsearch, probe_kibana, probe_couchdb, probe_etcd, probe_docker,
	probe_clickhouse, probe_rabbitmq, probe_redis, probe_memcached, probe_memcached_udp, probe_postgres,
	probe_mysql, probe_mongodb, probe_cassandra;

const struct probe_def *const probe_defs[] = {
	&probe_elasticsearch,
	&probe_kibana,
	&probe_couchdb,
	&probe_etcd,
	&probe_docker,
	&probe_clickhouse,
	&probe_rabbitmq,
	&probe_redis,
	&probe_memcached,
	&probe_memcached_udp,
	&probe_postgres,
	&probe_mongodb,
	&probe_cassandra,
	&probe_mysql, /* last of the chain: it waits for the server to speak */
	NULL,
};

const struct probe_def *probe_for_datastore(const char *datastore, cordon_protocol proto)
{
	if (!datastore)
		return NULL;
	for (size_t i = 0; probe_defs[i]; i++) {
		const struct probe_def *d = probe_defs[i];
		if (d->datastore && !strcmp(d->datastore, datastore) &&
		    (d->transport == PROBE_UDP) == (proto == CORDON_PROTO_UDP))
			return d;
	}
	return NULL;
}

const struct probe_def *probe_identify_http(const struct probe_ctx *c)
{
	for (size_t i = 0; probe_defs[i]; i++)
		if (probe_defs[i]->transport == PROBE_HTTP && probe_defs[i]->identify && probe_defs[i]->identify(c))
			return probe_defs[i];
	return NULL;
}

const char *cordon_probe_type(size_t i, const char **service, const char *const **allow)
{
	static const struct probe_def *const all[] = { &probe_http_any };
	const struct probe_def *d;
	if (i < sizeof(all) / sizeof(*all))
		d = all[i];
	else {
		i -= sizeof(all) / sizeof(*all);
		for (size_t k = 0; k < i; k++)
			if (!probe_defs[k])
				return NULL;
		d = probe_defs[i];
	}
	if (!d)
		return NULL;
	if (service)
		*service = d->service;
	if (allow)
		*allow = d->allow;
	return d->name;
}
