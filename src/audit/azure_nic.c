/* Azure network interfaces, as `az network nic show` / `nic list` print them
 * (fields flat, or under "properties" in ARM and REST JSON; one, a list, or
 * {"value": [...]}). They say which NSG sits on each NIC and which subnets
 * its IP configurations are in; with the NSG exports (whose "subnets" say
 * which subnets they guard), a NIC behind a subnet NSG and its own NSG is
 * judged by what passes both. */
#include <string.h>
#include "audit/model.h"

static const json_t *fields(const json_t *o)
{
	const json_t *p = json_object_get(o, "properties");
	return json_is_object(p) ? p : o;
}

static int is_nic(const json_t *o)
{
	return json_is_object(o) && json_is_array(json_object_get(fields(o), "ipConfigurations"));
}

static int detect(const json_t *root)
{
	if (is_nic(root))
		return 1;
	const json_t *list = json_is_array(root) ? root : json_object_get(root, "value");
	return json_is_array(list) && json_array_size(list) && is_nic(json_array_get(list, 0));
}

static const char *last_part(const char *id)
{
	const char *s = id ? strrchr(id, '/') : NULL;
	return s ? s + 1 : id;
}

static cordon_code load_nic(struct cordon_audit *a, const char *file, const json_t *nic)
{
	if (!is_nic(nic))
		return audit_fail(a, "%s: an entry is not a network interface (no ipConfigurations)", file);
	const json_t *f = fields(nic), *cfg;
	const char *name = json_str(nic, "name");
	const char *nsg = last_part(json_str(json_object_get(f, "networkSecurityGroup"), "id"));
	const char *subnets[64];
	size_t n = 0, i;
	json_array_foreach(json_object_get(f, "ipConfigurations"), i, cfg)
	{
		const char *id = json_str(json_object_get(fields(cfg), "subnet"), "id");
		if (id && n < sizeof(subnets) / sizeof(*subnets))
			subnets[n++] = id;
	}
	return audit_add_nic(a, name ? name : "(unnamed NIC)", nsg, subnets, n);
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	if (is_nic(root))
		return load_nic(a, file, root);
	const json_t *list = json_is_array(root) ? root : json_object_get(root, "value"), *nic;
	size_t i;
	json_array_foreach(list, i, nic)
	{
		cordon_code rc = load_nic(a, file, nic);
		if (rc != CORDON_OK)
			return rc;
	}
	return CORDON_OK;
}

const struct audit_format format_azure_nic = { "azure-nic", detect, load };
