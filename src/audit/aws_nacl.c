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

static cordon_code bad(struct cordon_audit *a, const char *file, const char *acl, size_t entry, const char *field,
		       const json_t *v, const char *want)
{
	char what[80];
	return audit_fail(a, "%s: %s: entry %zu: %s is %s: %s", file, acl, entry, field,
			  audit_describe(v, what, sizeof(what)), want);
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	const json_t *acls = json_object_get(root, "NetworkAcls"), *acl;
	if (!json_is_array(acls))
		return audit_fail(a, "%s: no NetworkAcls list", file);
	size_t i;
	json_array_foreach(acls, i, acl)
	{
		if (!json_is_object(acl))
			return audit_fail(a, "%s: NetworkAcls entry %zu is not an object", file, i);
		const char *id = json_str(acl, "NetworkAclId");
		struct ruleset *rs = audit_ruleset(a, "aws-nacl", id ? id : "(no NetworkAclId)", file, ORDER_FIRST_MATCH);
		if (!rs)
			return CORDON_ERR_NOMEM;
		const json_t *entries = json_object_get(acl, "Entries"), *e;
		if (entries && !json_is_array(entries) && !json_is_null(entries))
			return audit_fail(a, "%s: %s: Entries is not a list", file, rs->name);
		size_t k;
		json_array_foreach(entries, k, e)
		{
			if (!json_is_object(e))
				return bad(a, file, rs->name, k, "the entry", e, "give an object");
			const json_t *egress = json_object_get(e, "Egress");
			if (egress && !json_is_boolean(egress))
				return bad(a, file, rs->name, k, "Egress", egress, "give true or false");
			if (json_is_true(egress))
				continue;
			const json_t *num = json_object_get(e, "RuleNumber");
			const char *action = json_str(e, "RuleAction");
			long n;
			if (audit_json_long(num, 1, 32767, &n))
				return bad(a, file, rs->name, k, "RuleNumber", num, "give a number from 1 to 32767");
			if (!action || (strcmp(action, "allow") && strcmp(action, "deny")))
				return bad(a, file, rs->name, k, "RuleAction", json_object_get(e, "RuleAction"),
					   "give allow or deny");
			for (size_t j = 0; j < rs->n; j++)
				if (rs->r[j].priority == n)
					return audit_fail(a, "%s: %s: two inbound entries have RuleNumber %ld", file, rs->name, n);
			char name[32];
			snprintf(name, sizeof(name), n == 32767 ? "*" : "%ld", n);
			struct arule *r = ruleset_rule(rs, name, n, !strcmp(action, "allow"));
			if (!r)
				return CORDON_ERR_NOMEM;
			const json_t *pv = json_object_get(e, "Protocol");
			const char *proto = json_str(e, "Protocol");
			if (!proto || arule_set_protocol(r, proto))
				return bad(a, file, rs->name, k, "Protocol", pv, "give -1, 6, 17 or another protocol number");
			const json_t *pr = json_object_get(e, "PortRange");
			if (pr && !json_is_null(pr) && strcmp(proto, "-1") && (r->protos & (CORDON_PROTO_TCP | CORDON_PROTO_UDP))) {
				const json_t *from = json_object_get(pr, "From"), *to = json_object_get(pr, "To");
				long lo, hi;
				if (!json_is_object(pr) || audit_json_long(from, 0, 65535, &lo) ||
				    audit_json_long(to, lo, 65535, &hi))
					return bad(a, file, rs->name, k, "PortRange", pr, "give {\"From\": N, \"To\": M}, N <= M");
				if (arule_add_port_range(r, (unsigned)lo, (unsigned)hi))
					return CORDON_ERR_NOMEM;
			}
			const char *c4 = json_str(e, "CidrBlock"), *c6 = json_str(e, "Ipv6CidrBlock");
			if ((!c4 && !c6) || (c4 && ipset_add_cidr(&r->src, c4)) || (c6 && ipset_add_cidr(&r->src, c6)))
				return bad(a, file, rs->name, k, c4 || !c6 ? "CidrBlock" : "Ipv6CidrBlock",
					   json_object_get(e, c4 || !c6 ? "CidrBlock" : "Ipv6CidrBlock"), "give a prefix");
			r->is_default = n == 32767;
		}
	}
	return CORDON_OK;
}

const struct audit_format format_aws_nacl = { "aws-nacl", "aws ec2 describe-network-acls", detect, load, 0 };
