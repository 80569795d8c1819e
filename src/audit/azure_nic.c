/* Azure network interfaces, as `az network nic show` / `nic list` print them
 * (fields flat, or under "properties" in ARM and REST JSON; one, a list, or
 * {"value": [...]}). They say which NSG sits on each NIC and which subnets
 * its IP configurations are in; with the NSG exports (whose "subnets" say
 * which subnets they guard), a NIC behind a subnet NSG and its own NSG is
 * judged by what passes both. */
#include <stdlib.h>
#include <string.h>
#include "audit/azure.h"

static int is_nic(const json_t *o)
{
	return json_is_object(o) && json_is_array(json_object_get(azure_fields(o), "ipConfigurations"));
}

static int detect(const json_t *root)
{
	return azure_detect(root, is_nic);
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
	const json_t *f = azure_fields(nic), *cfg;
	const char *name = json_str(nic, "name");
	const char *nsg = last_part(json_str(json_object_get(f, "networkSecurityGroup"), "id"));
	const json_t *cfgs = json_object_get(f, "ipConfigurations");
	const char **subnets = calloc(json_array_size(cfgs) + 1, sizeof(*subnets));
	if (!subnets)
		return CORDON_ERR_NOMEM;
	size_t n = 0, i;
	json_array_foreach(cfgs, i, cfg)
	{
		const char *id = json_str(json_object_get(azure_fields(cfg), "subnet"), "id");
		if (id)
			subnets[n++] = id;
	}
	cordon_code rc = audit_add_nic(a, name ? name : "(unnamed NIC)", nsg, subnets, n);
	free(subnets);
	return rc;
}

static cordon_code load(struct cordon_audit *a, const char *file, const json_t *root)
{
	return azure_load(a, file, root, is_nic, load_nic, "a NIC");
}

const struct audit_format format_azure_nic = { "azure-nic", "az network nic show / list: pairs NIC and subnet NSGs", detect, load, 1 };
