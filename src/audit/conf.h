/* Data-store configuration files for the audit: one reader per product
 * (conf_*.c, registered in formats.c), each saying whether the store
 * answers without authentication and on which addresses it listens. */
#ifndef CORDON_AUDIT_CONF_H
#define CORDON_AUDIT_CONF_H

#include <stddef.h>
#include "cordon/audit.h"

struct cordon_audit;

/* What a reader found: the store has no authentication (or lets anonymous
 * users in). exposed: it listens beyond loopback. */
struct conf_fact {
	const char *datastore; /* "Redis" */
	unsigned port;
	cordon_protocol protocol;
	int exposed;
	const char *listen;    /* "0.0.0.0", "all interfaces (no bind)" */
	const char *why;       /* "requirepass not set, protected-mode no (line 3)" */
};

cordon_code audit_add_conf_fact(struct cordon_audit *a, const char *file, const struct conf_fact *f);
/* Where a store of a directory listens (postgresql.conf beside pg_hba.conf):
 * facts about that store from files of the same directory take it. */
cordon_code audit_add_conf_listen(struct cordon_audit *a, const char *file, const char *datastore,
				  const char *listen, int exposed, unsigned port);

/* One setting of a file: key, value, line. Keys of YAML files are dotted
 * paths ("xpack.security.enabled"), whether written nested or dotted. */
struct conf_kv {
	char *key, *value;
	unsigned line;
};
struct conf_kvs {
	struct conf_kv *v;
	size_t n, cap;
};
void conf_kvs_free(struct conf_kvs *kv);
/* The last value of key (the one that wins), or NULL; *line its line. */
const char *conf_get(const struct conf_kvs *kv, const char *key, unsigned *line);
/* "key value", "key = value" or "key: value" lines; '#' (and ';') comments;
 * "[section]" lines prefix keys with "section.". -1 out of memory. */
int conf_parse_lines(const char *data, size_t len, struct conf_kvs *out);
/* YAML mappings flattened to dotted keys; sequences joined with ','. -1 when
 * it is not YAML (err says why). */
int conf_parse_yaml(const char *data, size_t len, struct conf_kvs *out, char *err, size_t errlen);
/* Is a listen address loopback only ("127.0.0.1", "::1", "localhost")? */
int conf_is_loopback(const char *addr);
/* Is any address of a list (split at delims) beyond loopback? */
int conf_any_beyond_loopback(const char *list, const char *delims);
/* true/yes/on/1 */
int conf_true(const char *v);

struct conf_format {
	const char *name;        /* "redis" */
	const char *help;        /* its files, for --help */
	const char *const *files; /* base names that mean this format */
	cordon_code (*load)(struct cordon_audit *a, const char *file, const char *data, size_t len);
};
extern const struct conf_format *const conf_formats[];

#endif
