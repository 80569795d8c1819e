/* Shapes shared by the Azure exports (see azure.h). */
#include "audit/azure.h"

const json_t *azure_fields(const json_t *o)
{
	const json_t *p = json_object_get(o, "properties");
	return json_is_object(p) ? p : o;
}

static const json_t *list_of(const json_t *root)
{
	return json_is_array(root) ? root : json_object_get(root, "value");
}

int azure_detect(const json_t *root, azure_is_fn is_one)
{
	if (is_one(root))
		return 1;
	const json_t *list = list_of(root);
	return json_is_array(list) && json_array_size(list) && is_one(json_array_get(list, 0));
}

cordon_code azure_load(struct cordon_audit *a, const char *file, const json_t *root, azure_is_fn is_one,
		       azure_load_fn load_one, const char *what)
{
	if (is_one(root))
		return load_one(a, file, root);
	const json_t *list = list_of(root), *item;
	if (!json_is_array(list))
		return audit_fail(a, "%s: not %s, a list of them or {\"value\": [...]}", file, what);
	size_t i;
	json_array_foreach(list, i, item)
	{
		cordon_code rc = load_one(a, file, item);
		if (rc != CORDON_OK)
			return rc;
	}
	return CORDON_OK;
}
