/* AWS security groups, as `aws ec2 describe-security-groups` prints them.
 * A security group has allow rules only, all of them together: any rule that
 * lets an address in lets it in. IpProtocol "-1" is every protocol and port;
 * IpRanges and Ipv6Ranges are addresses; UserIdGroupPairs (other groups) and
 * PrefixListIds are named, non-Internet sources. Outbound rules
 * (IpPermissionsEgress) do not let anyone in. */
#include <string.h>
#include <stdlib.h>
#include "audit/model.h"
#include "util/buf.h"

static int detect(const json_t *root)
{
	return json_is_array(json_object_get(root, "SecurityGroups"));
}

static cordon_code add_named(struct cordon_audit *a, const char *file, struct arule *r, const char *kind,
			     const char *id)
{
	struct cordon_buf label = CORDON_BUF_INIT;
	u128 lo, hi;
	int failed = cordon_buf_puts(&label, kind) || cordon_buf_putc(&label, ':') || cordon_buf_puts(&label, id) ||
		     cordon_buf_putc(&label, '\0') || ipset_private_tag(audit_tags(a), label.data, &lo, &hi);
	cordon_buf_release(&label);
	if (failed)
		return audit_tags(a)->full
			       ? audit_fail(a, "%s: more than %d distinct security groups and prefix lists", file,
					    IPSET_MAX_TAGS)
			       : CORDON_ERR_NOMEM;
	ipset_add(&r->src, lo, hi);
	return CORDON_OK;
}

static cordon_code bad(struct cordon_audit *a, const char *file, const char *group, const char *rule,
		       const char *field, const json_t *v, const char *want)
{
	char what[80];
	return audit_fail(a, "%s: %s: %s: %s is %s: %s", file, group, rule, field, audit_describe(v, what, sizeof(what)),
			  want);
}

/* A list member: absent or a list, else an error (a list of the wrong type
 * would hide the sources in it). */
static int list_ok(const json_t *v)
{
	return !v || json_is_null(v) || json_is_array(v);
}

static cordon_code load_permission(struct cordon_audit *a, struct ruleset *rs, const char *file, const json_t *p,
				   size_t index)
{
	char name[96];
	snprintf(name, sizeof(name), "IpPermissions[%zu]", index);
	if (!json_is_object(p))
		return bad(a, file, rs->name, name, "the permission", p, "give an object");
	const json_t *pv = json_object_get(p, "IpProtocol");
	const char *proto = json_str(p, "IpProtocol");
	if (pv && json_is_integer(pv)) /* 6, 17 written as numbers */
		proto = json_integer_value(pv) == 6 ? "6" : json_integer_value(pv) == 17 ? "17" : json_integer_value(pv) == -1 ? "-1" : "other";
	struct arule *r = ruleset_rule(rs, name, (long)index, 1);
	if (!r)
		return CORDON_ERR_NOMEM;
	if (!proto || arule_set_protocol(r, proto))
		return bad(a, file, rs->name, name, "IpProtocol", pv, "give tcp, udp, icmp, icmpv6 or -1");
	const json_t *from = json_object_get(p, "FromPort"), *to = json_object_get(p, "ToPort");
	if (strcmp(proto, "-1") && (r->protos & (CORDON_PROTO_TCP | CORDON_PROTO_UDP))) {
		long lo, hi;
		if (audit_json_long(from, 0, 65535, &lo))
			return bad(a, file, rs->name, name, "FromPort", from, "give a port number");
		if (audit_json_long(to, lo, 65535, &hi))
			return bad(a, file, rs->name, name, "ToPort", to, "give a port number, not below FromPort");
		if (arule_add_port_range(r, (unsigned)lo, (unsigned)hi))
			return CORDON_ERR_NOMEM;
	}
	static const char *const lists[] = { "IpRanges", "Ipv6Ranges", "UserIdGroupPairs", "PrefixListIds", NULL };
	for (const char *const *l = lists; *l; l++)
		if (!list_ok(json_object_get(p, *l)))
			return bad(a, file, rs->name, name, *l, json_object_get(p, *l), "give a list");
	const json_t *v;
	size_t i;
	int described = 0;
	json_array_foreach(json_object_get(p, "IpRanges"), i, v)
	{
		const char *c = json_str(v, "CidrIp");
		if (!c || ipset_add_cidr(&r->src, c))
			return bad(a, file, rs->name, name, "IpRanges.CidrIp", json_object_get(v, "CidrIp"),
				   "give an IPv4 prefix (10.0.0.0/8)");
		const char *d = json_str(v, "Description");
		if (d && !described && strlen(name) + strlen(d) + 4 < sizeof(name)) {
			snprintf(name + strlen(name), sizeof(name) - strlen(name), " (%s)", d);
			described = 1;
		}
	}
	json_array_foreach(json_object_get(p, "Ipv6Ranges"), i, v)
	{
		const char *c = json_str(v, "CidrIpv6");
		if (!c || ipset_add_cidr(&r->src, c))
			return bad(a, file, rs->name, name, "Ipv6Ranges.CidrIpv6", json_object_get(v, "CidrIpv6"),
				   "give an IPv6 prefix (2001:db8::/32)");
	}
	cordon_code rc;
	json_array_foreach(json_object_get(p, "UserIdGroupPairs"), i, v)
	{
		const char *id = json_str(v, "GroupId");
		if (!id)
			return bad(a, file, rs->name, name, "UserIdGroupPairs.GroupId", json_object_get(v, "GroupId"),
				   "give the group's id");
		if ((rc = add_named(a, file, r, "sg", id)) != CORDON_OK)
			return rc;
	}
	json_array_foreach(json_object_get(p, "PrefixListIds"), i, v)
	{
		const char *id = json_str(v, "PrefixListId");
		if (!id)
			return bad(a, file, rs->name, name, "PrefixListIds.PrefixListId", json_object_get(v, "PrefixListId"),
				   "give the list's id");
		if ((rc = add_named(a, file, r, "pl", id)) != CORDON_OK)
			return rc;
	}
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
		if (!json_is_object(g))
			return audit_fail(a, "%s: SecurityGroups entry %zu is not an object", file, i);
		const char *id = json_str(g, "GroupId"), *gname = json_str(g, "GroupName");
		struct cordon_buf name = CORDON_BUF_INIT;
		int failed = cordon_buf_puts(&name, id ? id : "(no GroupId)") ||
			     (gname && (cordon_buf_puts(&name, " (") || cordon_buf_puts(&name, gname) ||
					cordon_buf_putc(&name, ')'))) ||
			     cordon_buf_putc(&name, '\0');
		struct ruleset *rs = failed ? NULL : audit_ruleset(a, "aws-sg", name.data, file, ORDER_UNION);
		cordon_buf_release(&name);
		if (!rs)
			return CORDON_ERR_NOMEM;
		const json_t *perms = json_object_get(g, "IpPermissions"), *p;
		if (!list_ok(perms))
			return audit_fail(a, "%s: %s: IpPermissions is not a list", file, rs->name);
		size_t k;
		json_array_foreach(perms, k, p)
		{
			cordon_code rc = load_permission(a, rs, file, p, k);
			if (rc != CORDON_OK)
				return rc;
		}
	}
	return CORDON_OK;
}

const struct audit_format format_aws_sg = { "aws-sg", "aws ec2 describe-security-groups", detect, load, 0 };
