/* The model's builders (model.h): rule sets, rules, ports, protocols and
 * subnets as the export readers add them, and their undoing when a list
 * element fails half-way. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "audit/audit_internal.h"
#include "util/alloc.h"

struct ruleset *audit_ruleset(cordon_audit *a, const char *platform, const char *name, const char *file,
			      enum rule_order order)
{
	if (ALLOC_GROW(a->sets, a->nsets + 1, a->capsets))
		return NULL;
	struct ruleset *rs = &a->sets[a->nsets];
	memset(rs, 0, sizeof(*rs));
	rs->platform = platform;
	rs->order = order;
	if (!(rs->name = strdup(name ? name : "?")) || !(rs->file = strdup(file ? file : "-"))) {
		free(rs->name);
		return NULL;
	}
	a->nsets++;
	return rs;
}

struct arule *ruleset_rule(struct ruleset *rs, const char *name, long priority, int allow)
{
	if (ALLOC_GROW(rs->r, rs->n + 1, rs->cap))
		return NULL;
	struct arule *r = &rs->r[rs->n];
	memset(r, 0, sizeof(*r));
	if (!(r->name = strdup(name ? name : "?")))
		return NULL;
	r->priority = priority;
	r->allow = allow;
	r->protos = CORDON_PROTO_TCP | CORDON_PROTO_UDP;
	r->to_all = 1;
	rs->n++;
	return r;
}

int arule_add_port_range(struct arule *r, unsigned lo, unsigned hi)
{
	if (lo > hi || hi > 65535)
		return -1;
	if (ALLOC_GROW(r->ports, r->nports + 1, r->capports))
		return -1;
	r->ports[r->nports++] = (struct portrange){ lo, hi };
	return 0;
}

int arule_add_ports(struct arule *r, const char *text)
{
	unsigned lo, hi;
	if (audit_port_range(text, &lo, &hi))
		return -1;
	return arule_add_port_range(r, lo, hi);
}

int arule_set_protocol(struct arule *r, const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "*") || !strcasecmp(name, "any") || !strcmp(name, "-1") || !strcasecmp(name, "all"))
		r->protos = CORDON_PROTO_TCP | CORDON_PROTO_UDP;
	else if (!strcasecmp(name, "tcp") || !strcmp(name, "6"))
		r->protos = CORDON_PROTO_TCP;
	else if (!strcasecmp(name, "udp") || !strcmp(name, "17"))
		r->protos = CORDON_PROTO_UDP;
	else if (!strcasecmp(name, "icmp") || !strcasecmp(name, "icmpv6") || !strcasecmp(name, "esp") ||
		 !strcasecmp(name, "ah") || !strcmp(name, "1") || !strcmp(name, "58") || !strcmp(name, "50") ||
		 !strcmp(name, "51") || !strcasecmp(name, "sctp") || !strcmp(name, "132"))
		r->protos = 0; /* carries no data-store traffic */
	else
		return -1;
	return 0;
}


cordon_code ruleset_add_subnet(struct ruleset *rs, const char *id)
{
	if (ALLOC_GROW(rs->subnets, rs->nsubnets + 1, rs->capsubnets))
		return CORDON_ERR_NOMEM;
	if (!(rs->subnets[rs->nsubnets] = strdup(id)))
		return CORDON_ERR_NOMEM;
	rs->nsubnets++;
	return CORDON_OK;
}

void audit_roll_back(struct cordon_audit *a, size_t nsets, size_t nnics)
{
	while (a->nsets > nsets) {
		struct ruleset *rs = &a->sets[--a->nsets];
		for (size_t k = 0; k < rs->n; k++) {
			free(rs->r[k].name);
			free(rs->r[k].ports);
			ipset_free(&rs->r[k].src);
		}
		free(rs->r);
		free(rs->name);
		free(rs->file);
		for (size_t k = 0; k < rs->nsubnets; k++)
			free(rs->subnets[k]);
		free(rs->subnets);
	}
	while (a->nnics > nnics) {
		struct nic *n = &a->nics[--a->nnics];
		free(n->name);
		free(n->nsg);
		for (size_t k = 0; k < n->nsubnets; k++)
			free(n->subnets[k]);
		free(n->subnets);
	}
}
