/* GCP VPC firewall rules, as `gcloud compute firewall-rules list
 * --format=json` prints them: a list of rules, each on a network. For each
 * network the rules are walked per target: instances with a target tag (or
 * service account) get the rules aimed at it and the untargeted ones;
 * instances with none get the untargeted ones. Priority order (default
 * 1000), a deny winning a tie; disabled rules skipped; ingress only; no
 * "ports" means every port; with neither sourceRanges nor source tags or
 * service accounts the source is 0.0.0.0/0; the implied rule denies all
 * other ingress. */
#include <string.h>
#include "audit/model.h"

static int detect(const json_t *root)
{
	const json_t *first = json_array_get(root, 0);
	return json_is_array(root) && json_is_object(first) &&
	       (json_object_get(first, "allowed") || json_object_get(first, "denied")) &&
	       json_object_get(first, "network");
}

static const char *last_part(const char *url)
{
	const char *s = url ? strrchr(url, '/') : NULL;
	return s ? s + 1 : url ? url : "default";
}

/* Does rule fw apply to instances carrying target t (NULL: no target)? */
static int applies(const json_t *fw, const char *t)
{
	const json_t *tags = json_object_get(fw, "targetTags"), *sas = json_object_get(fw, "targetServiceAccounts");
	if (!json_array_size(tags) && !json_array_size(sas))
		return 1;
	if (!t)
		return 0;
	const json_t *v;
	size_t i;
	json_array_foreach(tags, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), t))
			return 1;
	json_array_foreach(sas, i, v)
		if (json_is_string(v) && !strncmp(t, "sa:", 3) && !strcmp(json_string_value(v), t + 3))
			return 1;
	return 0;
}

static cordon_code add_rules(struct cordon_audit *a, struct ruleset *rs, const char *file, const json_t *fw)
{
	const char *name = json_str(fw, "name"), *dir = json_str(fw, "direction");
	if (json_is_true(json_object_get(fw, "disabled")) || (dir && strcasecmp(dir, "INGRESS")))
		return CORDON_OK;
	const json_t *prio = json_object_get(fw, "priority");
	long priority = json_is_integer(prio) ? (long)json_integer_value(prio) : 1000;
	const json_t *ranges = json_object_get(fw, "sourceRanges"), *stags = json_object_get(fw, "sourceTags"),
		     *ssas = json_object_get(fw, "sourceServiceAccounts");
	for (int deny = 0; deny < 2; deny++) {
		const json_t *list = json_object_get(fw, deny ? "denied" : "allowed"), *e;
		size_t i;
		json_array_foreach(list, i, e)
		{
			struct arule *r = ruleset_rule(rs, name ? name : "(unnamed)", priority, !deny);
			if (!r)
				return CORDON_ERR_NOMEM;
			const char *proto = json_str(e, "IPProtocol");
			if (!proto)
				proto = json_str(e, "ipProtocol");
			if (!proto || arule_set_protocol(r, proto))
				return audit_fail(a, "%s: %s: unknown IPProtocol '%s'", file, r->name, proto ? proto : "");
			const json_t *ports = json_object_get(e, "ports"), *p;
			size_t k;
			json_array_foreach(ports, k, p)
				if (!json_is_string(p) || arule_add_ports(r, json_string_value(p)))
					return audit_fail(a, "%s: %s: bad port", file, r->name);
			const json_t *v;
			json_array_foreach(ranges, k, v)
				if (!json_is_string(v) || ipset_add_cidr(&r->src, json_string_value(v)))
					return audit_fail(a, "%s: %s: bad source range", file, r->name);
			u128 lo, hi;
			char label[200];
			json_array_foreach(stags, k, v)
			{
				snprintf(label, sizeof(label), "tag:%s", json_is_string(v) ? json_string_value(v) : "?");
				if (ipset_private_tag(audit_tags(a), label, &lo, &hi))
					return CORDON_ERR_NOMEM;
				ipset_add(&r->src, lo, hi);
			}
			json_array_foreach(ssas, k, v)
			{
				snprintf(label, sizeof(label), "sa:%s", json_is_string(v) ? json_string_value(v) : "?");
				if (ipset_private_tag(audit_tags(a), label, &lo, &hi))
					return CORDON_ERR_NOMEM;
				ipset_add(&r->src, lo, hi);
			}
			if (!json_array_size(ranges) && !json_array_size(stags) && !json_array_size(ssas))
				ipset_add_cidr(&r->src, "0.0.0.0/0"); /* GCP's default source */
			if (r->src.failed)
				return CORDON_ERR_NOMEM;
		}
	}
	return CORDON_OK;
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	if (!json_is_array(root))
		return audit_fail(a, "%s: not a list of firewall rules", file);
	/* the networks and, per network, its targets, in the order first seen */
	size_t n = json_array_size(root);
	for (size_t i = 0; i < n; i++) {
		const json_t *fw = json_array_get(root, i);
		if (!json_is_object(fw) || (!json_object_get(fw, "allowed") && !json_object_get(fw, "denied")))
			return audit_fail(a, "%s: entry %zu is not a firewall rule (no allowed or denied)", file, i);
		const char *net = last_part(json_str(fw, "network"));
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(last_part(json_str(json_array_get(root, j), "network")), net);
		if (seen)
			continue;
		/* targets: none, then every tag and service account named on this network */
		const char *targets[256];
		size_t nt = 0;
		targets[nt++] = NULL;
		char sa[256][160];
		for (size_t j = i; j < n; j++) {
			const json_t *g = json_array_get(root, j), *v;
			if (strcmp(last_part(json_str(g, "network")), net))
				continue;
			size_t k;
			json_array_foreach(json_object_get(g, "targetTags"), k, v)
			{
				int dup = 0;
				for (size_t t = 1; t < nt && !dup; t++)
					dup = !strcmp(targets[t], json_string_value(v) ? json_string_value(v) : "");
				if (!dup && json_is_string(v) && nt < 256)
					targets[nt++] = json_string_value(v);
			}
			json_array_foreach(json_object_get(g, "targetServiceAccounts"), k, v)
			{
				if (!json_is_string(v) || nt >= 256)
					continue;
				snprintf(sa[nt], sizeof(sa[nt]), "sa:%s", json_string_value(v));
				int dup = 0;
				for (size_t t = 1; t < nt && !dup; t++)
					dup = !strcmp(targets[t], sa[nt]);
				if (!dup) {
					targets[nt] = sa[nt];
					nt++;
				}
			}
		}
		for (size_t t = 0; t < nt; t++) {
			char rname[256];
			snprintf(rname, sizeof(rname), "%s (%s%s)", net, targets[t] ? "instances with " : "all instances",
				 targets[t] ? targets[t] : "");
			struct ruleset *rs = audit_ruleset(a, "gcp-firewall", rname, file, ORDER_FIRST_MATCH);
			if (!rs)
				return CORDON_ERR_NOMEM;
			for (size_t j = i; j < n; j++) {
				const json_t *g = json_array_get(root, j);
				if (strcmp(last_part(json_str(g, "network")), net) || !applies(g, targets[t]))
					continue;
				cordon_code rc = add_rules(a, rs, file, g);
				if (rc != CORDON_OK)
					return rc;
			}
			struct arule *deny = ruleset_rule(rs, "implied deny ingress", 65535, 0);
			if (!deny)
				return CORDON_ERR_NOMEM;
			ipset_all(&deny->src);
			deny->is_default = 1;
		}
	}
	return CORDON_OK;
}

const struct audit_format format_gcp_firewall = { "gcp-firewall", detect, load, 0 };
