/* The audit's model: rule sets as the platforms define them, reduced to what
 * decides reachability: order, action, protocols, sources, ports. One reader
 * per export format fills them (azure_nsg.c, aws_sg.c, aws_nacl.c,
 * gcp_firewall.c, registered in formats.c); audit.c walks them. */
#ifndef CORDON_AUDIT_MODEL_H
#define CORDON_AUDIT_MODEL_H

#include <jansson.h>
#include "cordon/audit.h"
#include "audit/ipset.h"

struct portrange {
	unsigned lo, hi;
};

struct arule {
	char *name;
	long priority;        /* walk order: lower first */
	int allow;
	unsigned protos;      /* CORDON_PROTO_TCP | CORDON_PROTO_UDP */
	struct ipset src;
	struct portrange *ports; /* NULL: every port */
	size_t nports, capports;
	int to_all;           /* applies to every destination of the rule set */
	int is_default;       /* the platform's own rule (not counted for medium) */
	unsigned line;        /* where its name is in the export; 0: not known */
};

enum rule_order {
	ORDER_FIRST_MATCH, /* the first rule (by priority) matching a packet decides */
	ORDER_UNION        /* allow rules only, all of them together (AWS security groups) */
};

struct ruleset {
	const char *platform; /* "azure-nsg", ... (static) */
	char *name;
	char *file;
	enum rule_order order;
	struct arule *r;
	size_t n, cap;
	char **subnets; /* Azure: ids of the subnets the NSG is associated with */
	size_t nsubnets, capsubnets;
	int alone_too;  /* some host is behind this rule set alone (a NIC without
			   an NSG on its subnet): judged by itself too */
};

/* Records a subnet id an NSG is associated with (Azure). */
cordon_code ruleset_add_subnet(struct ruleset *rs, const char *id);
/* Records a NIC (Azure): its name, the NSG on it (NULL: none) and the ids
 * of its subnets. Resolved when the audit runs: a NIC whose subnet has an
 * NSG too becomes an asset behind both, subnet NSG first. */
cordon_code audit_add_nic(struct cordon_audit *a, const char *name, const char *nsg, const char *const *subnets,
			  size_t nsubnets);

struct cordon_audit;

/* A new rule set in the audit, or NULL (out of memory). */
struct ruleset *audit_ruleset(struct cordon_audit *a, const char *platform, const char *name,
			      const char *file, enum rule_order order);
/* A new zeroed rule in rs (protos all, ports all), or NULL. */
struct arule *ruleset_rule(struct ruleset *rs, const char *name, long priority, int allow);
/* Adds a port or range ("9200", "9000-9300", "*"); -1 when malformed. */
int arule_add_ports(struct arule *r, const char *text);
int arule_add_port_range(struct arule *r, unsigned lo, unsigned hi);
/* Sets the protocols from a name ("Tcp", "udp", "*", "-1", "6", "all", "icmp":
 * none of ours); -1 when unknown. */
int arule_set_protocol(struct arule *r, const char *name);
/* The audit's tag names (pseudo ranges, see ipset.h). */
struct ipset_tags *audit_tags(struct cordon_audit *a);
/* Records why a file cannot be read (CORDON_ERR_PARSE). */
cordon_code audit_fail(struct cordon_audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads a JSON string member, or NULL. */
const char *json_str(const json_t *o, const char *key);

/* Checked values (values.c); -1 when the value is not one. */
/* "9200", "9000-9300", "*", "Any": digits only, 0-65535, lo <= hi. */
int audit_port_range(const char *text, unsigned *lo, unsigned *hi);
/* The same as a JSON string or integer. */
int audit_json_port(const json_t *v, unsigned *lo, unsigned *hi);
/* A JSON integer, or a string of decimal digits, within [lo, hi]. */
int audit_json_long(const json_t *v, long lo, long hi, long *out);
/* Is s shaped like a service tag (a letter, then letters, digits, ". - _")? */
int audit_tag_name(const char *s);
/* A short, safe description of a JSON value for an error ("'x'", "a list"). */
const char *audit_describe(const json_t *v, char *buf, size_t cap);

struct audit_format {
	const char *name;
	const char *help; /* what to export it with, for --help */
	int (*detect)(const json_t *root);
	cordon_code (*load)(struct cordon_audit *a, const char *file, const json_t *root);
	/* A top-level list may be read one element at a time: detect and load
	 * take a single element (Azure NSG and NIC lists). */
	int by_element;
};
extern const struct audit_format *const audit_formats[];

#endif
