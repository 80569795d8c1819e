/* Azure network security groups, as `az network nsg show` / `nsg list` print
 * them (rule fields flat) and as ARM templates and the REST API give them
 * (rule fields under "properties"); one NSG, a list of them, or {"value":
 * [...]}. Inbound rules only, in priority order; singular and plural address
 * and port fields; service tags; port "*" and ranges; protocol in any case.
 * When the export leaves out defaultSecurityRules, Azure's own are assumed
 * (AllowVnetInBound 65000, AllowAzureLoadBalancerInBound 65001, DenyAllInBound
 * 65500): they exist on every NSG. */
#include <string.h>
#include "audit/azure.h"

static const json_t *member(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return v ? v : json_object_get(azure_fields(o), key);
}

static int is_nsg(const json_t *o)
{
	return json_is_object(o) && (member(o, "securityRules") || member(o, "defaultSecurityRules"));
}

static int detect(const json_t *root)
{
	return azure_detect(root, is_nsg);
}

/* Adds one address prefix or tag to the rule's sources. */
static int add_source(struct ipset_tags *t, struct arule *r, const char *v)
{
	u128 lo, hi;
	if (!strcmp(v, "*") || !strcasecmp(v, "Any")) {
		ipset_all(&r->src);
	} else if (!strcasecmp(v, "Internet")) {
		struct ipset net = { 0 };
		ipset_internet(&net);
		ipset_union(&r->src, &net);
		ipset_free(&net);
	} else if (!strcasecmp(v, "VirtualNetwork")) {
		struct ipset vnet = { 0 };
		ipset_private(&vnet);
		ipset_union(&r->src, &vnet);
		ipset_free(&vnet);
	} else if (!strcasecmp(v, "AzureLoadBalancer")) {
		/* the platform's health probes (168.63.129.16): not the Internet */
		if (ipset_private_tag(t, "AzureLoadBalancer", &lo, &hi))
			return -1;
		ipset_add(&r->src, lo, hi);
	} else if (ipset_add_cidr(&r->src, v) != 0) {
		/* a service tag (AzureCloud, Storage.WestEurope, ...): public addresses */
		if (ipset_tag(t, v, &lo, &hi))
			return -1;
		ipset_add(&r->src, lo, hi);
	}
	return 0;
}

static int is_everywhere(const char *v)
{
	return !strcmp(v, "*") || !strcasecmp(v, "Any") || !strcasecmp(v, "VirtualNetwork") ||
	       !strcmp(v, "0.0.0.0/0") || !strcmp(v, "::/0");
}

/* Calls fn for the singular field and each entry of the plural one. */
static int add_port(struct ipset_tags *t, struct arule *r, const char *v)
{
	(void)t;
	return arule_add_ports(r, v);
}

static int each(const json_t *f, const char *one, const char *many,
		int (*fn)(struct ipset_tags *, struct arule *, const char *), struct ipset_tags *t, struct arule *r,
		int *count)
{
	const char *s = json_str(f, one);
	if (s && *s) {
		(*count)++;
		if (fn(t, r, s))
			return -1;
	}
	const json_t *list = json_object_get(f, many), *v;
	size_t i;
	json_array_foreach(list, i, v)
	{
		if (!json_is_string(v))
			return -1;
		(*count)++;
		if (fn(t, r, json_string_value(v)))
			return -1;
	}
	return 0;
}

/* Does the rule name every destination of the NSG (no prefix, "*", Any,
 * VirtualNetwork, 0.0.0.0/0), or only some hosts? */
static int to_everyone(const json_t *f)
{
	const char *one = json_str(f, "destinationAddressPrefix");
	const json_t *many = json_object_get(f, "destinationAddressPrefixes"), *v;
	int named = 0;
	if (one && *one) {
		named = 1;
		if (is_everywhere(one))
			return 1;
	}
	size_t i;
	json_array_foreach(many, i, v)
	{
		named = 1;
		if (json_is_string(v) && is_everywhere(json_string_value(v)))
			return 1;
	}
	return !named && !json_object_get(f, "destinationApplicationSecurityGroups");
}

static cordon_code add_rule(struct cordon_audit *a, struct ruleset *rs, const char *file, const json_t *rule,
			    int is_default)
{
	const json_t *f = azure_fields(rule);
	const char *name = json_str(rule, "name");
	const char *dir = json_str(f, "direction");
	if (!dir)
		return audit_fail(a, "%s: NSG %s: rule %s has no direction", file, rs->name, name ? name : "?");
	if (strcasecmp(dir, "Inbound"))
		return CORDON_OK; /* outbound rules do not let anyone in */
	const char *access = json_str(f, "access");
	const json_t *prio = json_object_get(f, "priority");
	if (!access || (strcasecmp(access, "Allow") && strcasecmp(access, "Deny")) ||
	    !(json_is_integer(prio) || json_is_string(prio)))
		return audit_fail(a, "%s: NSG %s: rule %s needs access (Allow or Deny) and priority", file, rs->name,
				  name ? name : "?");
	long priority = json_is_integer(prio) ? (long)json_integer_value(prio) : strtol(json_string_value(prio), NULL, 10);
	struct arule *r = ruleset_rule(rs, name ? name : "(unnamed)", priority, !strcasecmp(access, "Allow"));
	if (!r)
		return CORDON_ERR_NOMEM;
	r->is_default = is_default;
	const char *proto = json_str(f, "protocol");
	if (arule_set_protocol(r, proto ? proto : "*"))
		return audit_fail(a, "%s: NSG %s: rule %s: unknown protocol '%s'", file, rs->name, r->name, proto);
	int n = 0;
	if (each(f, "sourceAddressPrefix", "sourceAddressPrefixes", add_source, audit_tags(a), r, &n))
		return audit_fail(a, "%s: NSG %s: rule %s: bad source", file, rs->name, r->name);
	const json_t *asgs = json_object_get(f, "sourceApplicationSecurityGroups"), *g;
	size_t i;
	json_array_foreach(asgs, i, g)
	{
		/* members of an application security group are NICs of the VNet */
		u128 lo, hi;
		const char *id = json_str(g, "id");
		char label[256];
		snprintf(label, sizeof(label), "asg:%s", id ? (strrchr(id, '/') ? strrchr(id, '/') + 1 : id) : "?");
		if (ipset_private_tag(audit_tags(a), label, &lo, &hi))
			return CORDON_ERR_NOMEM;
		ipset_add(&r->src, lo, hi);
		n++;
	}
	if (!n)
		return audit_fail(a, "%s: NSG %s: rule %s has no source", file, rs->name, r->name);
	r->to_all = to_everyone(f);
	n = 0;
	if (each(f, "destinationPortRange", "destinationPortRanges", add_port, NULL, r, &n))
		return audit_fail(a, "%s: NSG %s: rule %s: bad destination port", file, rs->name, r->name);
	if (!n)
		return audit_fail(a, "%s: NSG %s: rule %s has no destination port", file, rs->name, r->name);
	if (r->src.failed)
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

static cordon_code add_defaults(struct cordon_audit *a, struct ruleset *rs)
{
	struct arule *r;
	if (!(r = ruleset_rule(rs, "AllowVnetInBound", 65000, 1)) || add_source(audit_tags(a), r, "VirtualNetwork") ||
	    arule_add_ports(r, "*"))
		return CORDON_ERR_NOMEM;
	r->is_default = 1;
	if (!(r = ruleset_rule(rs, "AllowAzureLoadBalancerInBound", 65001, 1)) || add_source(audit_tags(a), r, "AzureLoadBalancer") ||
	    arule_add_ports(r, "*"))
		return CORDON_ERR_NOMEM;
	r->is_default = 1;
	if (!(r = ruleset_rule(rs, "DenyAllInBound", 65500, 0)) || add_source(audit_tags(a), r, "*") || arule_add_ports(r, "*"))
		return CORDON_ERR_NOMEM;
	r->is_default = 1;
	return CORDON_OK;
}

static cordon_code load_nsg(struct cordon_audit *a, const char *file, const json_t *nsg)
{
	if (!is_nsg(nsg))
		return audit_fail(a, "%s: an entry is not a network security group", file);
	const char *name = json_str(nsg, "name");
	struct ruleset *rs = audit_ruleset(a, "azure-nsg", name ? name : "(unnamed NSG)", file, ORDER_FIRST_MATCH);
	if (!rs)
		return CORDON_ERR_NOMEM;
	const json_t *rules = member(nsg, "securityRules"), *defaults = member(nsg, "defaultSecurityRules"), *r;
	size_t i;
	cordon_code rc = CORDON_OK;
	json_array_foreach(member(nsg, "subnets"), i, r)
	{
		const char *id = json_str(r, "id");
		if (id && (rc = ruleset_add_subnet(rs, id)) != CORDON_OK)
			return rc;
	}
	json_array_foreach(rules, i, r)
	{
		if ((rc = add_rule(a, rs, file, r, 0)) != CORDON_OK)
			return rc;
	}
	if (json_is_array(defaults) && json_array_size(defaults)) {
		json_array_foreach(defaults, i, r)
		{
			if ((rc = add_rule(a, rs, file, r, 1)) != CORDON_OK)
				return rc;
		}
	} else {
		rc = add_defaults(a, rs);
	}
	return rc;
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	return azure_load(a, file, root, is_nsg, load_nsg, "an NSG");
}

const struct audit_format format_azure_nsg = { "azure-nsg", detect, load, 1 };
