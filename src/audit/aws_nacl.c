/* AWS network ACLs, as `aws ec2 describe-network-acls` prints them: inbound
 * entries (Egress false) by RuleNumber, the first that matches deciding,
 * allow or deny; "*" (32767) denies the rest. Protocol "-1" is every
 * protocol; PortRange From/To. */
#include <string.h>
#include "audit/model.h"

static int detect(const json_t *root)
{
	return json_is_array(json_object_get(root, "NetworkAcls"));
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	const json_t *acls = json_object_get(root, "NetworkAcls"), *acl;
	if (!json_is_array(acls))
		return audit_fail(a, "%s: no NetworkAcls list", file);
	size_t i;
	json_array_foreach(acls, i, acl)
	{
		const char *id = json_str(acl, "NetworkAclId");
		struct ruleset *rs = audit_ruleset(a, "aws-nacl", id ? id : "(no NetworkAclId)", file, ORDER_FIRST_MATCH);
		if (!rs)
			return CORDON_ERR_NOMEM;
		const json_t *e;
		size_t k;
		json_array_foreach(json_object_get(acl, "Entries"), k, e)
		{
			if (json_is_true(json_object_get(e, "Egress")))
				continue;
			const json_t *num = json_object_get(e, "RuleNumber");
			const char *action = json_str(e, "RuleAction"), *proto = json_str(e, "Protocol");
			if (!json_is_integer(num) || !action || (strcmp(action, "allow") && strcmp(action, "deny")))
				return audit_fail(a, "%s: %s: entry %zu needs RuleNumber and RuleAction allow or deny", file,
						  rs->name, k);
			char name[32];
			long n = (long)json_integer_value(num);
			snprintf(name, sizeof(name), n == 32767 ? "*" : "%ld", n);
			struct arule *r = ruleset_rule(rs, name, n, !strcmp(action, "allow"));
			if (!r)
				return CORDON_ERR_NOMEM;
			if (!proto || arule_set_protocol(r, proto))
				return audit_fail(a, "%s: %s: rule %s: unknown Protocol '%s'", file, rs->name, name,
						  proto ? proto : "");
			const json_t *pr = json_object_get(e, "PortRange");
			if (pr && strcmp(proto, "-1")) {
				const json_t *from = json_object_get(pr, "From"), *to = json_object_get(pr, "To");
				if (!json_is_integer(from) || !json_is_integer(to) ||
				    arule_add_port_range(r, (unsigned)json_integer_value(from), (unsigned)json_integer_value(to)))
					return audit_fail(a, "%s: %s: rule %s: bad PortRange", file, rs->name, name);
			}
			const char *c4 = json_str(e, "CidrBlock"), *c6 = json_str(e, "Ipv6CidrBlock");
			if ((!c4 && !c6) || (c4 && ipset_add_cidr(&r->src, c4)) || (c6 && ipset_add_cidr(&r->src, c6)))
				return audit_fail(a, "%s: %s: rule %s: bad or missing CidrBlock", file, rs->name, name);
			r->is_default = n == 32767;
		}
	}
	return CORDON_OK;
}

const struct audit_format format_aws_nacl = { "aws-nacl", detect, load, 0 };
