/* cordon audit: who on the Internet can reach which data store. An audit
 * reads exported network rules (Azure NSGs, AWS security groups and network
 * ACLs, GCP firewall rules), walks them as the platform does (priority order,
 * denies shadowing allows), and reports, per rule set and data-store port,
 * the Internet addresses that get in and the rule that lets them in. */
#ifndef CORDON_AUDIT_H
#define CORDON_AUDIT_H

#include <stddef.h>
#include "cordon/common.h"
#include "cordon/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An inventory entry: what runs behind a rule set, so that network facts and
 * configuration facts about it are joined. An Internet exposure of port on a
 * rule set in guarded_by is critical when no_auth is set or the config file
 * (loaded with cordon_audit_load) says the store has no authentication. */
struct cordon_asset {
	const char *name;
	const char *const *guarded_by; /* NSG names, security group ids, "network (target)" */
	size_t nguarded;
	unsigned port;                 /* 0: every data-store port */
	const char *config;            /* a configuration file's path, or NULL */
	int no_auth;                   /* known to answer without authentication */
	const char *sensitivity;       /* free text ("customer PII"), or NULL */
};

typedef struct cordon_audit cordon_audit;

CORDON_API cordon_code cordon_audit_new(cordon_audit **out);
CORDON_API void cordon_audit_free(cordon_audit *audit);

/* Reads one exported file (its bytes; file names it in findings). type:
 * "azure-nsg", "azure-nic", "aws-sg", "aws-nacl", "gcp-firewall", a
 * data-store config ("redis", ...), or NULL to tell from the content (the
 * file name, for configs). CORDON_ERR_PARSE with cordon_audit_error saying why. */
CORDON_API cordon_code cordon_audit_load(cordon_audit *audit, const char *file, const char *data,
					 size_t len, const char *type);

/* The i-th type cordon_audit_load reads ("azure-nsg", ..., "redis"), and
 * in *what (when not NULL) what to export it with or which files it is;
 * NULL past the last. */
CORDON_API const char *cordon_audit_type(size_t i, const char **what);

/* The configuration type a file's name means ("redis" for
 * /etc/redis/redis.conf), or NULL. */
CORDON_API const char *cordon_audit_config_type(const char *filename);

/* Adds a data-store port range to the built-in table (data/datastores.txt). */
CORDON_API cordon_code cordon_audit_add_datastore(cordon_audit *audit, const char *name,
						  unsigned lo, unsigned hi, cordon_protocol protocol);

/* Adds an inventory entry (copied). */
CORDON_API cordon_code cordon_audit_add_asset(cordon_audit *audit, const struct cordon_asset *asset);

/* Computes the exposures of everything loaded: one per rule set, data-store
 * port and protocol, sorted by severity (worst first), then resource and
 * port. They stay valid until the next call or cordon_audit_free. */
CORDON_API cordon_code cordon_audit_run(cordon_audit *audit, const struct cordon_exposure **out,
					size_t *n);

CORDON_API const char *cordon_audit_error(const cordon_audit *audit);

#ifdef __cplusplus
}
#endif
#endif
