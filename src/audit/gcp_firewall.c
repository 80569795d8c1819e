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
#include <stdlib.h>
#include "audit/model.h"
#include "util/alloc.h"
#include "util/buf.h"

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

static cordon_code bad(struct cordon_audit *a, const char *file, size_t index, const char *name, const char *field,
		       const json_t *v, const char *want)
{
	char what[80];
	return audit_fail(a, "%s: firewall rule %s (entry %zu): %s is %s: %s", file, name ? name : "(unnamed)", index,
			  field, audit_describe(v, what, sizeof(what)), want);
}

/* A member that must be a list of strings, if present. */
static cordon_code strings(struct cordon_audit *a, const char *file, size_t index, const json_t *fw,
			   const char *field)
{
	const json_t *v = json_object_get(fw, field), *x;
	if (!v || json_is_null(v))
		return CORDON_OK;
	if (!json_is_array(v))
		return bad(a, file, index, json_str(fw, "name"), field, v, "give a list of strings");
	size_t i;
	json_array_foreach(v, i, x)
		if (!json_is_string(x))
			return bad(a, file, index, json_str(fw, "name"), field, x, "give a list of strings");
	return CORDON_OK;
}

/* Checks a rule's shape before any of it is used: a field of the wrong
 * type would be skipped, and a skipped allow is an exposure not reported. */
static cordon_code check_rule(struct cordon_audit *a, const char *file, size_t index, const json_t *fw)
{
	const char *name = json_str(fw, "name");
	if (!json_is_object(fw) || (!json_object_get(fw, "allowed") && !json_object_get(fw, "denied")))
		return audit_fail(a, "%s: entry %zu is not a firewall rule (no allowed or denied)", file, index);
	const json_t *v = json_object_get(fw, "priority");
	long prio;
	if (v && audit_json_long(v, 0, 65535, &prio))
		return bad(a, file, index, name, "priority", v, "give a number from 0 to 65535");
	v = json_object_get(fw, "disabled");
	if (v && !json_is_boolean(v))
		return bad(a, file, index, name, "disabled", v, "give true or false");
	v = json_object_get(fw, "direction");
	if (v && (!json_is_string(v) || (strcasecmp(json_string_value(v), "INGRESS") &&
					  strcasecmp(json_string_value(v), "EGRESS"))))
		return bad(a, file, index, name, "direction", v, "give INGRESS or EGRESS");
	v = json_object_get(fw, "network");
	if (v && !json_is_string(v))
		return bad(a, file, index, name, "network", v, "give the network's name or URL");
	static const char *const lists[] = { "sourceRanges", "sourceTags", "sourceServiceAccounts", "targetTags",
					     "targetServiceAccounts", NULL };
	for (const char *const *l = lists; *l; l++) {
		cordon_code rc = strings(a, file, index, fw, *l);
		if (rc != CORDON_OK)
			return rc;
	}
	for (int deny = 0; deny < 2; deny++) {
		const char *key = deny ? "denied" : "allowed";
		const json_t *list = json_object_get(fw, key), *e;
		if (!list || json_is_null(list))
			continue;
		if (!json_is_array(list))
			return bad(a, file, index, name, key, list, "give a list of {IPProtocol, ports}");
		size_t i;
		json_array_foreach(list, i, e)
		{
			if (!json_is_object(e))
				return bad(a, file, index, name, key, e, "give a list of {IPProtocol, ports}");
			const json_t *ports = json_object_get(e, "ports"), *p;
			if (ports && !json_is_null(ports) && !json_is_array(ports))
				return bad(a, file, index, name, "ports", ports, "give a list");
			size_t k;
			unsigned lo, hi;
			json_array_foreach(ports, k, p)
				if (!json_is_string(p) || audit_port_range(json_string_value(p), &lo, &hi))
					return bad(a, file, index, name, "ports", p, "give ports (\"22\") or ranges (\"1000-2000\")");
		}
	}
	return CORDON_OK;
}

static cordon_code add_rules(struct cordon_audit *a, struct ruleset *rs, const char *file, const json_t *fw)
{
	const char *name = json_str(fw, "name"), *dir = json_str(fw, "direction");
	if (json_is_true(json_object_get(fw, "disabled")) || (dir && strcasecmp(dir, "INGRESS")))
		return CORDON_OK;
	long priority = 1000; /* GCP's default */
	const json_t *prio = json_object_get(fw, "priority");
	if (prio && audit_json_long(prio, 0, 65535, &priority))
		return audit_fail(a, "%s: %s: bad priority", file, name ? name : "(unnamed)");
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
				return audit_fail(a, "%s: %s: unknown IPProtocol '%.40s'", file, r->name, proto ? proto : "");
			const json_t *ports = json_object_get(e, "ports"), *p;
			size_t k;
			json_array_foreach(ports, k, p)
				if (!json_is_string(p) || arule_add_ports(r, json_string_value(p)))
					return audit_fail(a, "%s: %s: bad port", file, r->name);
			const json_t *v;
			json_array_foreach(ranges, k, v)
				if (!json_is_string(v) || ipset_add_cidr(&r->src, json_string_value(v)))
					return audit_fail(a, "%s: %s: sourceRanges: '%.60s' is not an address or a prefix", file,
							  r->name, json_is_string(v) ? json_string_value(v) : "?");
			u128 lo, hi;
			for (int sa = 0; sa < 2; sa++)
				json_array_foreach(sa ? ssas : stags, k, v)
				{
					struct cordon_buf label = CORDON_BUF_INIT;
					int failed = cordon_buf_puts(&label, sa ? "sa:" : "tag:") ||
						     cordon_buf_puts(&label, json_string_value(v)) ||
						     cordon_buf_putc(&label, '\0') ||
						     ipset_private_tag(audit_tags(a), label.data, &lo, &hi);
					cordon_buf_release(&label);
					if (failed)
						return audit_tags(a)->full
							       ? audit_fail(a, "%s: more than %d distinct source tags and accounts",
									    file, IPSET_MAX_TAGS)
							       : CORDON_ERR_NOMEM;
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

/* The targets of a network: none (instances without tags), then every tag
 * and service account ("sa:...") its rules name, each once. */
struct targets {
	char **v;
	size_t n, cap;
};

static int target_add(struct targets *t, const char *prefix, const char *name)
{
	size_t pl = strlen(prefix), nl = strlen(name);
	for (size_t i = 1; i < t->n; i++)
		if (strlen(t->v[i]) == pl + nl && !memcmp(t->v[i], prefix, pl) && !strcmp(t->v[i] + pl, name))
			return 0;
	if (ALLOC_GROW(t->v, t->n + 1, t->cap))
		return -1;
	char *s = malloc(pl + nl + 1);
	if (!s)
		return -1;
	memcpy(s, prefix, pl);
	memcpy(s + pl, name, nl + 1);
	t->v[t->n++] = s;
	return 0;
}

static void targets_free(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	if (!json_is_array(root))
		return audit_fail(a, "%s: not a list of firewall rules", file);
	size_t n = json_array_size(root);
	for (size_t i = 0; i < n; i++) {
		cordon_code rc = check_rule(a, file, i, json_array_get(root, i));
		if (rc != CORDON_OK)
			return rc;
	}
	/* the networks and, per network, its targets, in the order first seen */
	for (size_t i = 0; i < n; i++) {
		const json_t *fw = json_array_get(root, i);
		const char *net = last_part(json_str(fw, "network"));
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(last_part(json_str(json_array_get(root, j), "network")), net);
		if (seen)
			continue;
		struct targets t = { 0 };
		cordon_code rc = CORDON_OK;
		if (ALLOC_GROW(t.v, 1, t.cap))
			return CORDON_ERR_NOMEM;
		t.v[t.n++] = NULL;
		for (size_t j = i; j < n && rc == CORDON_OK; j++) {
			const json_t *g = json_array_get(root, j), *v;
			if (strcmp(last_part(json_str(g, "network")), net))
				continue;
			size_t k;
			json_array_foreach(json_object_get(g, "targetTags"), k, v)
				if (target_add(&t, "", json_string_value(v)))
					rc = CORDON_ERR_NOMEM;
			json_array_foreach(json_object_get(g, "targetServiceAccounts"), k, v)
				if (target_add(&t, "sa:", json_string_value(v)))
					rc = CORDON_ERR_NOMEM;
		}
		for (size_t k = 0; k < t.n && rc == CORDON_OK; k++) {
			struct cordon_buf rname = CORDON_BUF_INIT;
			if (cordon_buf_puts(&rname, net) || cordon_buf_puts(&rname, t.v[k] ? " (instances with " : " (all instances") ||
			    cordon_buf_puts(&rname, t.v[k] ? t.v[k] : "") || cordon_buf_puts(&rname, ")") ||
			    cordon_buf_putc(&rname, '\0')) {
				cordon_buf_release(&rname);
				rc = CORDON_ERR_NOMEM;
				break;
			}
			struct ruleset *rs = audit_ruleset(a, "gcp-firewall", rname.data, file, ORDER_FIRST_MATCH);
			cordon_buf_release(&rname);
			if (!rs) {
				rc = CORDON_ERR_NOMEM;
				break;
			}
			for (size_t j = i; j < n && rc == CORDON_OK; j++) {
				const json_t *g = json_array_get(root, j);
				if (strcmp(last_part(json_str(g, "network")), net) || !applies(g, t.v[k]))
					continue;
				rc = add_rules(a, rs, file, g);
			}
			struct arule *deny = rc == CORDON_OK ? ruleset_rule(rs, "implied deny ingress", 65536, 0) : NULL;
			if (rc == CORDON_OK && !deny)
				rc = CORDON_ERR_NOMEM;
			if (deny) {
				ipset_all(&deny->src);
				deny->is_default = 1;
			}
		}
		targets_free(&t);
		if (rc != CORDON_OK)
			return rc;
	}
	return CORDON_OK;
}

const struct audit_format format_gcp_firewall = { "gcp-firewall", "gcloud compute firewall-rules list --format=json", detect, load, 0 };
