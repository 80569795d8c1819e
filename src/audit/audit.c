/* The audit object, and reading files: which reader takes which export or
 * configuration (by --type, by content, by file name), lists read one
 * element at a time, and the line of each rule found as it is read. The
 * walk and the findings are run.c's; see audit_internal.h for the stages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit_internal.h"
#include "util/alloc.h"

const char *cordon_audit_type(size_t i, const char **what)
{
	size_t n = 0;
	while (audit_formats[n])
		n++;
	const char *name = NULL, *help = NULL;
	if (i < n) {
		name = audit_formats[i]->name;
		help = audit_formats[i]->help;
	} else {
		for (size_t k = 0; conf_formats[k]; k++)
			if (k == i - n) {
				name = conf_formats[k]->name;
				help = conf_formats[k]->help;
			}
	}
	if (what)
		*what = help;
	return name;
}

/* "azure-nsg, azure-nic, ..., memcached", for messages. */
static const char *type_list(char *buf, size_t cap)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; cordon_audit_type(i, NULL) && at < cap; i++) {
		int w = snprintf(buf + at, cap - at, "%s%s", i ? ", " : "", cordon_audit_type(i, NULL));
		if (w < 0)
			break;
		at += (size_t)w;
	}
	return buf;
}

cordon_code audit_fail(struct cordon_audit *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	return CORDON_ERR_PARSE;
}

struct ipset_tags *audit_tags(struct cordon_audit *a)
{
	return &a->tags;
}

const char *cordon_audit_error(const cordon_audit *a)
{
	return a ? a->err : "";
}

const char *json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

cordon_code cordon_audit_new(cordon_audit **out)
{
	if (!out)
		return CORDON_ERR_ARG;
	cordon_audit *a = calloc(1, sizeof(*a));
	if (!a)
		return CORDON_ERR_NOMEM;
	cordon_code rc = audit_load_builtins(a);
	if (rc != CORDON_OK) {
		cordon_audit_free(a);
		return rc;
	}
	*out = a;
	return CORDON_OK;
}

void cordon_audit_free(cordon_audit *a)
{
	if (!a)
		return;
	audit_roll_back(a, 0, 0);
	free(a->sets);
	free(a->nics);
	audit_free_results(a);
	free(a->kept);
	free(a->out);
	walk_scratch_free(&a->walk);
	ipset_tags_free(&a->tags);
	audit_free_inventory(a);
	free(a);
}

static const struct conf_format *conf_by_name(const char *file, const char *type)
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	for (size_t k = 0; conf_formats[k]; k++) {
		if (type) {
			if (!strcmp(type, conf_formats[k]->name))
				return conf_formats[k];
			continue;
		}
		for (const char *const *f = conf_formats[k]->files; *f; f++)
			if (!strcmp(base, *f))
				return conf_formats[k];
	}
	return NULL;
}

const char *cordon_audit_config_type(const char *filename)
{
	const struct conf_format *f = filename ? conf_by_name(filename, NULL) : NULL;
	return f ? f->name : NULL;
}

/* A list of a by_element format (`az network nsg list`, `nic list`): read
 * one element at a time so memory holds one NSG's JSON, not the file's.
 * 1 when done (rc set), 0 when the caller should parse the whole. */
static int load_list(cordon_audit *a, const char *file, const char *data, size_t len, const char *type,
		     cordon_code *rc)
{
	size_t pos = 0, b, e, nsets = a->nsets, nnics = a->nnics;
	struct locator at = { data, len, 0, 1 };
	const struct audit_format *f = NULL;
	int r;
	while ((r = audit_next_element(data, len, &pos, &b, &e)) == 1) {
		json_error_t jerr;
		json_t *el = json_loadb(data + b, e - b, JSON_REJECT_DUPLICATES, &jerr);
		if (!el)
			break;
		if (!f)
			for (size_t k = 0; audit_formats[k] && !f; k++) {
				const char *name = audit_formats[k]->name;
				if (!audit_formats[k]->by_element || (type && strcmp(type, name)))
					continue;
				if (audit_formats[k]->detect(el))
					f = audit_formats[k];
			}
		if (!f) {
			json_decref(el);
			break;
		}
		size_t first = a->nsets;
		*rc = f->load(a, file, el);
		json_decref(el);
		if (*rc == CORDON_OK)
			audit_locate_rules(a, first, &at, b, e);
		if (*rc != CORDON_OK) {
			audit_roll_back(a, nsets, nnics);
			return 1;
		}
	}
	if (r == 0 && f) {
		*rc = CORDON_OK;
		return 1;
	}
	audit_roll_back(a, nsets, nnics); /* not such a list: read it whole */
	return 0;
}

cordon_code cordon_audit_load(cordon_audit *a, const char *file, const char *data, size_t len, const char *type)
{
	if (!a || !file || (!data && len))
		return CORDON_ERR_ARG;
	const struct conf_format *cf = conf_by_name(file, type);
	const char *nul = data && len ? memchr(data, '\0', len) : NULL;
	if (cf && nul) /* a binary file is not a config, whatever --type says */
		return audit_fail(a, "%s: binary data (a NUL byte at byte %zu), not a %s configuration", file,
				  (size_t)(nul - data), cf->name);
	if (cf)
		return cf->load(a, file, data ? data : "", len);
	cordon_code rc;
	if (load_list(a, file, data ? data : "", len, type, &rc))
		return rc;
	size_t first = a->nsets;
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char types[512];
		return type ? audit_fail(a, "%s: not JSON: %s at line %d", file, jerr.text, jerr.line)
			    : audit_fail(a, "%s: not JSON (%s at line %d), and its name is not that of a data-store "
					    "configuration; name its type (%s)",
					    file, jerr.text, jerr.line, type_list(types, sizeof(types)));
	}
	const struct audit_format *f = NULL;
	for (size_t k = 0; audit_formats[k] && !f; k++)
		if (type ? !strcmp(type, audit_formats[k]->name) : audit_formats[k]->detect(root))
			f = audit_formats[k];
	char types[512];
	if (!f)
		rc = type ? audit_fail(a, "unknown type '%s' (%s)", type, type_list(types, sizeof(types)))
			  : audit_fail(a, "%s: not an export cordon audit knows (Azure NSG, AWS security groups "
					  "or network ACLs, GCP firewall rules); name its type (%s)",
					  file, type_list(types, sizeof(types)));
	else
		rc = f->load(a, file, root);
	json_decref(root);
	if (rc == CORDON_OK) {
		struct locator at = { data, len, 0, 1 };
		audit_locate_rules(a, first, &at, 0, len);
	}
	return rc;
}


