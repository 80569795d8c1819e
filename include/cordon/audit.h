/* cordon audit: who on the Internet can reach which data store. An audit
 * reads exported network rules (Azure NSGs, AWS security groups and network
 * ACLs, GCP firewall rules), walks them as the platform does (priority order,
 * denies shadowing allows), and reports, per rule set and data-store port,
 * the Internet addresses that get in and the rule that lets them in. */
#ifndef CORDON_AUDIT_H
#define CORDON_AUDIT_H

#include <stddef.h>
#include "cordon/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cordon_protocol {
	CORDON_PROTO_TCP = 1,
	CORDON_PROTO_UDP = 2
} cordon_protocol;

typedef enum cordon_severity {
	CORDON_SEV_INFO = 0,
	CORDON_SEV_MEDIUM, /* reachable from a broad non-Internet range */
	CORDON_SEV_HIGH,   /* reachable from the Internet */
	CORDON_SEV_CRITICAL /* and the data store has no authentication */
} cordon_severity;

/* "info", "medium", "high", "critical". */
CORDON_API const char *cordon_severity_name(cordon_severity s);
CORDON_API cordon_code cordon_severity_from_name(const char *name, cordon_severity *out);

struct cordon_exposure {
	const char *kind;       /* "network_exposure" */
	cordon_severity severity;
	const char *platform;   /* "azure-nsg", "aws-sg", "aws-nacl", "gcp-firewall" */
	const char *resource;   /* the NSG, security group, ACL or network/target */
	const char *file;
	unsigned port;
	cordon_protocol protocol;
	const char *datastore;  /* "Elasticsearch" */
	const char *sources;    /* "Internet", "Internet except (...)", CIDRs, "tag:X" */
	const char *rule;       /* the rule that lets the most of them in */
	const char *rules;      /* every rule that lets some in, comma-separated */
	const char *asset;      /* the inventory's asset behind it, or NULL */
	const char *sensitivity; /* the asset's, or NULL */
};

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
