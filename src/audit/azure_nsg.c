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
#include "util/buf.h"

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

/* Adds one address prefix or tag to the rule's sources. 1 when it is
 * neither (an error for the caller to name), -1 out of memory. */
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
		/* a service tag (AzureCloud, Storage.WestEurope, ...): public
		 * addresses; anything else ("300.1.1.1", "10.0.0.0/33",
		 * "fe80::1%eth0") is an error, not a tag */
		if (!audit_tag_name(v))
			return 1;
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

struct rule_ctx {
	struct cordon_audit *a;
	struct ruleset *rs;
	const char *file, *rule;
	struct arule *r;
};

static cordon_code bad_field(const struct rule_ctx *c, const char *field, const json_t *v, const char *want)
{
	char what[80];
	return audit_fail(c->a, "%s: NSG %s: rule %s: %s is %s: %s", c->file, c->rs->name, c->rule, field,
			  audit_describe(v, what, sizeof(what)), want);
}

/* The singular field and each entry of the plural one: sources. */
static cordon_code sources(const struct rule_ctx *c, const json_t *f, int *count)
{
	static const char want[] = "give an address, a prefix (10.0.0.0/8), *, or a service tag";
	const json_t *one = json_object_get(f, "sourceAddressPrefix");
	const json_t *many = json_object_get(f, "sourceAddressPrefixes"), *v;
	if (one && !json_is_string(one) && !json_is_null(one))
		return bad_field(c, "sourceAddressPrefix", one, want);
	if (many && !json_is_array(many) && !json_is_null(many))
		return bad_field(c, "sourceAddressPrefixes", many, "give a list");
	if (json_is_string(one) && *json_string_value(one)) {
		int rc = add_source(audit_tags(c->a), c->r, json_string_value(one));
		if (rc)
			return rc < 0 ? CORDON_ERR_NOMEM : bad_field(c, "sourceAddressPrefix", one, want);
		(*count)++;
	}
	size_t i;
	json_array_foreach(many, i, v)
	{
		int rc = json_is_string(v) ? add_source(audit_tags(c->a), c->r, json_string_value(v)) : 1;
		if (rc)
			return rc < 0 ? CORDON_ERR_NOMEM : bad_field(c, "sourceAddressPrefixes", v, want);
		(*count)++;
	}
	return CORDON_OK;
}

/* The singular field and each entry of the plural one: ports. */
static cordon_code ports(const struct rule_ctx *c, const json_t *f, int *count)
{
	static const char want[] = "give a port (9200), a range (9000-9300) or *";
	const json_t *one = json_object_get(f, "destinationPortRange");
	const json_t *many = json_object_get(f, "destinationPortRanges"), *v;
	unsigned lo, hi;
	if (one && !json_is_null(one) && !(json_is_string(one) && !*json_string_value(one))) {
		if (audit_json_port(one, &lo, &hi))
			return bad_field(c, "destinationPortRange", one, want);
		if (arule_add_port_range(c->r, lo, hi))
			return CORDON_ERR_NOMEM;
		(*count)++;
	}
	if (many && !json_is_array(many) && !json_is_null(many))
		return bad_field(c, "destinationPortRanges", many, "give a list");
	size_t i;
	json_array_foreach(many, i, v)
	{
		if (audit_json_port(v, &lo, &hi))
			return bad_field(c, "destinationPortRanges", v, want);
		if (arule_add_port_range(c->r, lo, hi))
			return CORDON_ERR_NOMEM;
		(*count)++;
	}
	return CORDON_OK;
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
			    size_t index, int is_default)
{
	char label[32];
	snprintf(label, sizeof(label), "#%zu", index + 1);
	struct rule_ctx c = { a, rs, file, label, NULL };
	if (!json_is_object(rule))
		return audit_fail(a, "%s: NSG %s: %s rule %zu is not an object", file, rs->name,
				  is_default ? "default" : "security", index + 1);
	const json_t *f = azure_fields(rule);
	const char *name = json_str(rule, "name");
	if (name)
		c.rule = name;
	const char *dir = json_str(f, "direction");
	if (!dir || (strcasecmp(dir, "Inbound") && strcasecmp(dir, "Outbound")))
		return bad_field(&c, "direction", json_object_get(f, "direction"), "give Inbound or Outbound");
	if (strcasecmp(dir, "Inbound"))
		return CORDON_OK; /* outbound rules do not let anyone in */
	const char *access = json_str(f, "access");
	if (!access || (strcasecmp(access, "Allow") && strcasecmp(access, "Deny")))
		return bad_field(&c, "access", json_object_get(f, "access"), "give Allow or Deny");
	long priority;
	const json_t *prio = json_object_get(f, "priority");
	if (audit_json_long(prio, is_default ? 65000 : 100, is_default ? 65500 : 4096, &priority))
		return bad_field(&c, "priority", prio,
				 is_default ? "give a number from 65000 to 65500" : "give a number from 100 to 4096");
	for (size_t k = 0; k < rs->n; k++)
		if (rs->r[k].priority == priority && rs->r[k].is_default == is_default)
			return audit_fail(a, "%s: NSG %s: rules %s and %s have the same priority %ld (Azure refuses that)",
					  file, rs->name, rs->r[k].name, c.rule, priority);
	struct arule *r = ruleset_rule(rs, c.rule, priority, !strcasecmp(access, "Allow"));
	if (!r)
		return CORDON_ERR_NOMEM;
	c.r = r;
	r->is_default = is_default;
	const json_t *pv = json_object_get(f, "protocol");
	if (pv && !json_is_string(pv))
		return bad_field(&c, "protocol", pv, "give Tcp, Udp, Icmp, Esp, Ah or *");
	const char *proto = json_str(f, "protocol");
	if (arule_set_protocol(r, proto ? proto : "*"))
		return audit_fail(a, "%s: NSG %s: rule %s: unknown protocol '%.40s'", file, rs->name, r->name, proto);
	int n = 0;
	cordon_code rc = sources(&c, f, &n);
	if (rc != CORDON_OK)
		return rc;
	const json_t *asgs = json_object_get(f, "sourceApplicationSecurityGroups"), *g;
	if (asgs && !json_is_array(asgs) && !json_is_null(asgs))
		return bad_field(&c, "sourceApplicationSecurityGroups", asgs, "give a list");
	size_t i;
	json_array_foreach(asgs, i, g)
	{
		/* members of an application security group are NICs of the VNet */
		u128 lo, hi;
		const char *id = json_str(g, "id");
		if (!id)
			return bad_field(&c, "sourceApplicationSecurityGroups", g, "give objects with an id");
		struct cordon_buf label_buf = CORDON_BUF_INIT;
		const char *last = strrchr(id, '/') ? strrchr(id, '/') + 1 : id;
		int bad = cordon_buf_puts(&label_buf, "asg:") || cordon_buf_puts(&label_buf, last) ||
			  cordon_buf_putc(&label_buf, '\0') || ipset_private_tag(audit_tags(a), label_buf.data, &lo, &hi);
		cordon_buf_release(&label_buf);
		if (bad)
			return audit_tags(a)->full ? audit_fail(a, "%s: more than %d distinct names of groups and tags",
								 file, IPSET_MAX_TAGS)
						   : CORDON_ERR_NOMEM;
		ipset_add(&r->src, lo, hi);
		n++;
	}
	if (!n)
		return audit_fail(a, "%s: NSG %s: rule %s has no source", file, rs->name, r->name);
	r->to_all = to_everyone(f);
	n = 0;
	if ((rc = ports(&c, f, &n)) != CORDON_OK)
		return rc;
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
	/* a list of the wrong type would hide every rule in it */
	if (rules && !json_is_array(rules) && !json_is_null(rules))
		return audit_fail(a, "%s: NSG %s: securityRules is not a list", file, rs->name);
	if (defaults && !json_is_array(defaults) && !json_is_null(defaults))
		return audit_fail(a, "%s: NSG %s: defaultSecurityRules is not a list", file, rs->name);
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
		if ((rc = add_rule(a, rs, file, r, i, 0)) != CORDON_OK)
			return rc;
	}
	if (json_is_array(defaults) && json_array_size(defaults)) {
		json_array_foreach(defaults, i, r)
		{
			if ((rc = add_rule(a, rs, file, r, i, 1)) != CORDON_OK)
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

const struct audit_format format_azure_nsg = { "azure-nsg", "az network nsg show / list, ARM or REST JSON", detect, load, 1 };
