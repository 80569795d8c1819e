/* What the readers of cordon.yaml's sections share (policy.c and a file
 * per larger section: watch.c): the loader, messages that name the file,
 * line and key, and the scalar and list readers. */
#ifndef CORDON_POLICY_LOADER_H
#define CORDON_POLICY_LOADER_H

#include <yaml.h>
#include "cordon/policy.h"

struct loader {
	cordon_policy *p;
	yaml_document_t doc;
	int nomem;
};

/* "invalid config 'F' line N: ..." into the policy's error; -1. */
int pol_bad(struct loader *l, const yaml_node_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int pol_oom(struct loader *l);
/* "a, b, c" of a key table, for "unknown key" messages. */
const char *pol_key_list(const struct cordon_policy_key *keys, size_t n, char *buf, size_t cap);
const char *pol_scalar(const yaml_node_t *n);
const char *pol_shown(const yaml_node_t *n);
yaml_node_t *pol_node(struct loader *l, int id);
/* A non-empty string, copied over *out. */
int pol_read_string(struct loader *l, yaml_node_t *v, const char *what, const char **out);
/* A list of non-empty strings, copied. */
int pol_read_strings(struct loader *l, yaml_node_t *v, const char *what, const char *const **out, size_t *n);
void pol_free_strings(const char *const *v, size_t n);
/* The file's path, for paths relative to it. */
const char *pol_path(const struct loader *l);
/* path relative to the policy file's directory (as given when absolute). */
char *pol_relative(const struct loader *l, const char *path);


/* The watch: section (watch.c). */
struct watch_section;
int watch_section_read(struct loader *l, yaml_node_t *v, struct watch_section **slot);
void watch_section_free(struct watch_section *w);
struct cordon_watch_config;
const struct cordon_watch_config *watch_section_config(const struct watch_section *w);
/* The i-th sink type's name (src/watch/sinks.c), NULL past the last. */
const char *watch_sink_type(size_t i);
/* Its key tables: "watch", "sinks"; NULL for other names. */
const struct cordon_policy_key *watch_policy_keys(const char *section, size_t *n);

#endif
