/* What the Azure readers (NSGs, NICs) share: ARM and REST exports put a
 * resource's fields under "properties", az prints them flat; exports hold
 * one resource, a list, or {"value": [...]}. */
#ifndef CORDON_AUDIT_AZURE_H
#define CORDON_AUDIT_AZURE_H

#include "audit/model.h"

/* The object holding a resource's fields. */
const json_t *azure_fields(const json_t *o);

typedef int (*azure_is_fn)(const json_t *o);
typedef cordon_code (*azure_load_fn)(struct cordon_audit *a, const char *file, const json_t *o);

/* Is root one such resource, or a non-empty list of them? */
int azure_detect(const json_t *root, azure_is_fn is_one);
/* Loads root as one resource or each of a list; what names them in the
 * error for anything else ("an NSG"). */
cordon_code azure_load(struct cordon_audit *a, const char *file, const json_t *root, azure_is_fn is_one,
		       azure_load_fn load_one, const char *what);

#endif
