/* AWS security groups, as `aws ec2 describe-security-groups` prints them.
 * A security group has allow rules only, all of them together: any rule that
 * lets an address in lets it in. IpProtocol "-1" is every protocol and port;
 * IpRanges and Ipv6Ranges are addresses; UserIdGroupPairs (other groups) and
 * PrefixListIds are named, non-Internet sources. Outbound rules
 * (IpPermissionsEgress) do not let anyone in. */
#include <string.h>
#include "audit/model.h"

static int detect(const json_t *root)
{
	return json_is_array(json_object_get(root, "SecurityGroups"));
}

static int add_named(struct ipset_tags *t, struct arule *r, const char *kind, const char *id)
{
	char label[160];
	u128 lo, hi;
	snprintf(label, sizeof(label), "%s:%s", kind, id ? id : "?");
	if (ipset_private_tag(t, label, &lo, &hi))
		return -1;
	ipset_add(&r->src, lo, hi);
	return 0;
}

static cordon_code load_permission(struct cordon_audit *a, struct ruleset *rs, const char *file,
				   const json_t *p, size_t index)
{
	const char *proto = json_str(p, "IpProtocol");
	char name[96];
	snprintf(name, sizeof(name), "IpPermissions[%zu]", index);
	struct arule *r = ruleset_rule(rs, name, (long)index, 1);
	if (!r)
		return CORDON_ERR_NOMEM;
	if (!proto || arule_set_protocol(r, proto))
		return audit_fail(a, "%s: %s: %s: unknown IpProtocol '%s'", file, rs->name, name, proto ? proto : "");
	const json_t *from = json_object_get(p, "FromPort"), *to = json_object_get(p, "ToPort");
	if (strcmp(proto, "-1") && json_is_integer(from) && json_is_integer(to) && json_integer_value(from) >= 0) {
		if (arule_add_port_range(r, (unsigned)json_integer_value(from), (unsigned)json_integer_value(to)))
			return audit_fail(a, "%s: %s: %s: bad port range", file, rs->name, name);
	}
	const json_t *v;
	size_t i;
	json_array_foreach(json_object_get(p, "IpRanges"), i, v)
	{
		const char *c = json_str(v, "CidrIp");
		if (!c || ipset_add_cidr(&r->src, c))
			return audit_fail(a, "%s: %s: %s: bad CidrIp '%s'", file, rs->name, name, c ? c : "");
		const char *d = json_str(v, "Description");
		if (d && !strchr(name, '(') && strlen(name) + strlen(d) + 4 < sizeof(name))
			snprintf(name + strlen(name), sizeof(name) - strlen(name), " (%s)", d);
	}
	json_array_foreach(json_object_get(p, "Ipv6Ranges"), i, v)
	{
		const char *c = json_str(v, "CidrIpv6");
		if (!c || ipset_add_cidr(&r->src, c))
			return audit_fail(a, "%s: %s: %s: bad CidrIpv6 '%s'", file, rs->name, name, c ? c : "");
	}
	json_array_foreach(json_object_get(p, "UserIdGroupPairs"), i, v)
		if (add_named(audit_tags(a), r, "sg", json_str(v, "GroupId")))
			return CORDON_ERR_NOMEM;
	json_array_foreach(json_object_get(p, "PrefixListIds"), i, v)
		if (add_named(audit_tags(a), r, "pl", json_str(v, "PrefixListId")))
			return CORDON_ERR_NOMEM;
	if (strcmp(r->name, name)) {
		free(r->name);
		if (!(r->name = strdup(name)))
			return CORDON_ERR_NOMEM;
	}
	return r->src.failed ? CORDON_ERR_NOMEM : CORDON_OK;
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	const json_t *groups = json_object_get(root, "SecurityGroups"), *g;
	if (!json_is_array(groups))
		return audit_fail(a, "%s: no SecurityGroups list", file);
	size_t i;
	json_array_foreach(groups, i, g)
	{
		const char *id = json_str(g, "GroupId"), *gname = json_str(g, "GroupName");
		char name[256];
		snprintf(name, sizeof(name), "%s%s%s%s", id ? id : "(no GroupId)", gname ? " (" : "",
			 gname ? gname : "", gname ? ")" : "");
		struct ruleset *rs = audit_ruleset(a, "aws-sg", name, file, ORDER_UNION);
		if (!rs)
			return CORDON_ERR_NOMEM;
		const json_t *p;
		size_t k;
		json_array_foreach(json_object_get(g, "IpPermissions"), k, p)
		{
			cordon_code rc = load_permission(a, rs, file, p, k);
			if (rc != CORDON_OK)
				return rc;
		}
	}
	return CORDON_OK;
}

const struct audit_format format_aws_sg = { "aws-sg", detect, load, 0 };
