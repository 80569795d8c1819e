/* The audit: loads exported rule sets, then, for each rule set and each
 * data-store port, walks the rules as the platform does and collects the
 * addresses that get in and the rules that let them in.
 *
 * The walk (first-match platforms): "remaining" starts as every address; each
 * rule in order that covers the protocol and port takes remaining ∩ sources:
 * an allow adds them to "reached" (credited to that rule), and allow or deny,
 * they leave remaining, so a deny above an allow hides it and an allow above
 * a deny is not hidden. A deny that names one destination only (not the
 * whole rule set) protects that host alone, so it does not leave remaining:
 * the audit may over-report then, never under-report. AWS security groups
 * have no order and no denies: every allow rule adds its sources. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/conf.h"
#include "audit/model.h"
#include "audit/walk.h"
#include "util/buf.h"
#include "util/alloc.h"

extern const char cordon_data_datastores[];

struct fact {
	struct conf_fact f; /* strings owned */
	char *file;
	char *real; /* realpath of file, or NULL */
};

struct asset {
	char *name, *config, *sensitivity;
	char **guarded_by;
	size_t nguarded;
	unsigned port;
	int no_auth;
};

struct nic {
	char *name, *nsg;
	char **subnets;
	size_t nsubnets;
};

struct listen_note {
	char *dir, *datastore, *listen;
	int exposed;
	unsigned port;
};

struct datastore {
	char *name;
	unsigned lo, hi;
	cordon_protocol proto;
};

struct cordon_audit {
	struct ruleset *sets;
	size_t nsets, capsets;
	struct datastore *ds;
	size_t nds, capds;
	struct cordon_exposure *out;
	struct walk_scratch walk; /* the walk's buffers, kept between walks */
	struct ipset_tags tags;
	struct fact *facts;
	size_t nfacts, capfacts;
	struct listen_note *notes;
	size_t nnotes, capnotes;
	struct asset *assets;
	size_t nassets, capassets;
	struct nic *nics;
	size_t nnics, capnics;
	int nics_resolved;
	char **strings; /* what out points to */
	size_t nout, capout, nstrings, capstrings;
	char err[512];
};

const char *cordon_severity_name(cordon_severity s)
{
	static const char *const names[] = { "info", "medium", "high", "critical" };
	return (unsigned)s <= CORDON_SEV_CRITICAL ? names[s] : "?";
}

cordon_code cordon_severity_from_name(const char *name, cordon_severity *out)
{
	for (int s = CORDON_SEV_INFO; s <= CORDON_SEV_CRITICAL; s++)
		if (name && !strcasecmp(name, cordon_severity_name((cordon_severity)s))) {
			*out = (cordon_severity)s;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
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

cordon_code cordon_audit_add_datastore(cordon_audit *a, const char *name, unsigned lo, unsigned hi,
				       cordon_protocol proto)
{
	if (!a || !name || lo > hi || hi > 65535 || (proto != CORDON_PROTO_TCP && proto != CORDON_PROTO_UDP))
		return CORDON_ERR_ARG;
	if (ALLOC_GROW(a->ds, a->nds + 1, a->capds))
		return CORDON_ERR_NOMEM;
	char *n = strdup(name);
	if (!n)
		return CORDON_ERR_NOMEM;
	a->ds[a->nds++] = (struct datastore){ n, lo, hi, proto };
	return CORDON_OK;
}

/* data/datastores.txt: "PORT[-PORT] tcp|udp NAME" per line, '#' comments. */
static cordon_code load_builtin_datastores(cordon_audit *a)
{
	const char *p = cordon_data_datastores;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char line[160];
		if (n < sizeof(line) && *p != '#' && n > 0) {
			memcpy(line, p, n);
			line[n] = '\0';
			unsigned lo, hi;
			char proto[8];
			int used = 0;
			if (sscanf(line, "%u-%u %7s %n", &lo, &hi, proto, &used) != 3) {
				used = 0;
				if (sscanf(line, "%u %7s %n", &lo, proto, &used) != 2)
					return CORDON_ERR_PARSE; /* the shipped table is checked by the tests */
				hi = lo;
			}
			cordon_code rc = cordon_audit_add_datastore(
				a, line + used, lo, hi, !strcmp(proto, "udp") ? CORDON_PROTO_UDP : CORDON_PROTO_TCP);
			if (rc != CORDON_OK)
				return rc;
		}
		p += n + (eol ? 1 : 0);
	}
	return CORDON_OK;
}

cordon_code cordon_audit_new(cordon_audit **out)
{
	if (!out)
		return CORDON_ERR_ARG;
	cordon_audit *a = calloc(1, sizeof(*a));
	if (!a)
		return CORDON_ERR_NOMEM;
	cordon_code rc = load_builtin_datastores(a);
	if (rc != CORDON_OK) {
		cordon_audit_free(a);
		return rc;
	}
	*out = a;
	return CORDON_OK;
}

static void free_results(cordon_audit *a)
{
	for (size_t k = 0; k < a->nstrings; k++)
		free(a->strings[k]);
	a->nstrings = 0;
	a->nout = 0;
}

/* Forgets the rule sets and NICs loaded after the first nsets and nnics
 * (a failed list element; everything, when the audit is freed). */
static void roll_back(cordon_audit *a, size_t nsets, size_t nnics)
{
	while (a->nsets > nsets) {
		struct ruleset *rs = &a->sets[--a->nsets];
		for (size_t k = 0; k < rs->n; k++) {
			free(rs->r[k].name);
			free(rs->r[k].ports);
			ipset_free(&rs->r[k].src);
		}
		free(rs->r);
		free(rs->name);
		free(rs->file);
		for (size_t k = 0; k < rs->nsubnets; k++)
			free(rs->subnets[k]);
		free(rs->subnets);
	}
	while (a->nnics > nnics) {
		struct nic *n = &a->nics[--a->nnics];
		free(n->name);
		free(n->nsg);
		for (size_t k = 0; k < n->nsubnets; k++)
			free(n->subnets[k]);
		free(n->subnets);
	}
}

void cordon_audit_free(cordon_audit *a)
{
	if (!a)
		return;
	roll_back(a, 0, 0);
	free(a->sets);
	free(a->nics);
	for (size_t k = 0; k < a->nds; k++)
		free(a->ds[k].name);
	free(a->ds);
	free_results(a);
	free(a->strings);
	free(a->out);
	walk_scratch_free(&a->walk);
	ipset_tags_free(&a->tags);
	for (size_t k = 0; k < a->nfacts; k++) {
		free((char *)a->facts[k].f.datastore);
		free((char *)a->facts[k].f.listen);
		free((char *)a->facts[k].f.why);
		free(a->facts[k].file);
		free(a->facts[k].real);
	}
	free(a->facts);
	for (size_t k = 0; k < a->nnotes; k++) {
		free(a->notes[k].dir);
		free(a->notes[k].datastore);
		free(a->notes[k].listen);
	}
	free(a->notes);
	for (size_t k = 0; k < a->nassets; k++) {
		struct asset *s = &a->assets[k];
		free(s->name);
		free(s->config);
		free(s->sensitivity);
		for (size_t g = 0; g < s->nguarded; g++)
			free(s->guarded_by[g]);
		free(s->guarded_by);
	}
	free(a->assets);

	free(a);
}

struct ruleset *audit_ruleset(cordon_audit *a, const char *platform, const char *name, const char *file,
			      enum rule_order order)
{
	if (ALLOC_GROW(a->sets, a->nsets + 1, a->capsets))
		return NULL;
	struct ruleset *rs = &a->sets[a->nsets];
	memset(rs, 0, sizeof(*rs));
	rs->platform = platform;
	rs->order = order;
	if (!(rs->name = strdup(name ? name : "?")) || !(rs->file = strdup(file ? file : "-"))) {
		free(rs->name);
		return NULL;
	}
	a->nsets++;
	return rs;
}

struct arule *ruleset_rule(struct ruleset *rs, const char *name, long priority, int allow)
{
	if (ALLOC_GROW(rs->r, rs->n + 1, rs->cap))
		return NULL;
	struct arule *r = &rs->r[rs->n];
	memset(r, 0, sizeof(*r));
	if (!(r->name = strdup(name ? name : "?")))
		return NULL;
	r->priority = priority;
	r->allow = allow;
	r->protos = CORDON_PROTO_TCP | CORDON_PROTO_UDP;
	r->to_all = 1;
	rs->n++;
	return r;
}

int arule_add_port_range(struct arule *r, unsigned lo, unsigned hi)
{
	if (lo > hi || hi > 65535)
		return -1;
	if (ALLOC_GROW(r->ports, r->nports + 1, r->capports))
		return -1;
	r->ports[r->nports++] = (struct portrange){ lo, hi };
	return 0;
}

int arule_add_ports(struct arule *r, const char *text)
{
	unsigned lo, hi;
	if (audit_port_range(text, &lo, &hi))
		return -1;
	return arule_add_port_range(r, lo, hi);
}

int arule_set_protocol(struct arule *r, const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "*") || !strcasecmp(name, "any") || !strcmp(name, "-1") || !strcasecmp(name, "all"))
		r->protos = CORDON_PROTO_TCP | CORDON_PROTO_UDP;
	else if (!strcasecmp(name, "tcp") || !strcmp(name, "6"))
		r->protos = CORDON_PROTO_TCP;
	else if (!strcasecmp(name, "udp") || !strcmp(name, "17"))
		r->protos = CORDON_PROTO_UDP;
	else if (!strcasecmp(name, "icmp") || !strcasecmp(name, "icmpv6") || !strcasecmp(name, "esp") ||
		 !strcasecmp(name, "ah") || !strcmp(name, "1") || !strcmp(name, "58") || !strcmp(name, "50") ||
		 !strcmp(name, "51") || !strcasecmp(name, "sctp") || !strcmp(name, "132"))
		r->protos = 0; /* carries no data-store traffic */
	else
		return -1;
	return 0;
}

cordon_code audit_add_conf_fact(struct cordon_audit *a, const char *file, const struct conf_fact *f)
{
	if (f->port == 0 || f->port > 65535)
		return audit_fail(a, "%s: %s port %u is not a port", file, f->datastore, f->port);
	if (ALLOC_GROW(a->facts, a->nfacts + 1, a->capfacts))
		return CORDON_ERR_NOMEM;
	struct fact *d = &a->facts[a->nfacts];
	d->f = *f;
	d->f.datastore = strdup(f->datastore);
	d->f.listen = strdup(f->listen);
	d->f.why = strdup(f->why);
	d->file = strdup(file);
	d->real = realpath(file, NULL); /* NULL for data not from a file */
	if (!d->f.datastore || !d->f.listen || !d->f.why || !d->file) {
		free((char *)d->f.datastore);
		free((char *)d->f.listen);
		free((char *)d->f.why);
		free(d->file);
		free(d->real);
		return CORDON_ERR_NOMEM;
	}
	a->nfacts++;
	return CORDON_OK;
}

cordon_code cordon_audit_add_asset(cordon_audit *a, const struct cordon_asset *in)
{
	if (!a || !in || !in->name || (in->nguarded && !in->guarded_by) || in->port > 65535)
		return CORDON_ERR_ARG;
	if (ALLOC_GROW(a->assets, a->nassets + 1, a->capassets))
		return CORDON_ERR_NOMEM;
	struct asset *s = &a->assets[a->nassets];
	memset(s, 0, sizeof(*s));
	a->nassets++; /* counted first: cordon_audit_free frees what was kept */
	s->port = in->port;
	s->no_auth = in->no_auth;
	if (!(s->name = strdup(in->name)) || (in->config && !(s->config = strdup(in->config))) ||
	    (in->sensitivity && !(s->sensitivity = strdup(in->sensitivity))) ||
	    (in->nguarded && !(s->guarded_by = calloc(in->nguarded, sizeof(char *)))))
		return CORDON_ERR_NOMEM;
	for (size_t g = 0; g < in->nguarded; g++) {
		if (!(s->guarded_by[g] = strdup(in->guarded_by[g] ? in->guarded_by[g] : "")))
			return CORDON_ERR_NOMEM;
		s->nguarded = g + 1;
	}
	return CORDON_OK;
}

/* Joins the inventory: an Internet exposure of an asset's port behind one of
 * its rule sets becomes critical when the asset, or its config file, says
 * there is no authentication. */
static void join_assets(cordon_audit *a)
{
	for (size_t k = 0; k < a->nout; k++) {
		struct cordon_exposure *e = &a->out[k];
		if (strcmp(e->kind, "network_exposure"))
			continue;
		for (size_t s = 0; s < a->nassets; s++) {
			const struct asset *as = &a->assets[s];
			int guarded = 0;
			if (e->asset) /* a layered finding names its asset */
				guarded = !strcmp(e->asset, as->name);
			else
				for (size_t g = 0; g < as->nguarded && !guarded; g++)
					guarded = !strcmp(as->guarded_by[g], e->resource) ||
						  (!strncmp(e->resource, as->guarded_by[g], strlen(as->guarded_by[g])) &&
						   !strncmp(e->resource + strlen(as->guarded_by[g]), " (", 2));
			if (!guarded || (as->port && as->port != e->port))
				continue;
			e->asset = as->name;
			e->sensitivity = as->sensitivity;
			int no_auth = as->no_auth;
			for (size_t f = 0; f < a->nfacts && !no_auth && as->config; f++)
				no_auth = (!strcmp(a->facts[f].file, as->config) ||
					   (a->facts[f].real && !strcmp(a->facts[f].real, as->config))) &&
					  a->facts[f].f.port == e->port &&
					  a->facts[f].f.protocol == e->protocol;
			if (no_auth && e->severity == CORDON_SEV_HIGH)
				e->severity = CORDON_SEV_CRITICAL;
		}
	}
}

cordon_code ruleset_add_subnet(struct ruleset *rs, const char *id)
{
	if (ALLOC_GROW(rs->subnets, rs->nsubnets + 1, rs->capsubnets))
		return CORDON_ERR_NOMEM;
	if (!(rs->subnets[rs->nsubnets] = strdup(id)))
		return CORDON_ERR_NOMEM;
	rs->nsubnets++;
	return CORDON_OK;
}

cordon_code audit_add_nic(struct cordon_audit *a, const char *name, const char *nsg, const char *const *subnets,
			  size_t nsubnets)
{
	if (ALLOC_GROW(a->nics, a->nnics + 1, a->capnics))
		return CORDON_ERR_NOMEM;
	struct nic *n = &a->nics[a->nnics];
	memset(n, 0, sizeof(*n));
	a->nnics++; /* counted first: cordon_audit_free frees what was kept */
	if (!(n->name = strdup(name)) || (nsg && !(n->nsg = strdup(nsg))) ||
	    (nsubnets && !(n->subnets = calloc(nsubnets, sizeof(char *)))))
		return CORDON_ERR_NOMEM;
	for (size_t k = 0; k < nsubnets; k++) {
		if (!(n->subnets[k] = strdup(subnets[k])))
			return CORDON_ERR_NOMEM;
		n->nsubnets = k + 1;
	}
	return CORDON_OK;
}

/* NICs with an NSG whose subnet has one too become assets behind both
 * (Azure checks the subnet's NSG, then the NIC's, for inbound traffic).
 * Azure ids are compared without regard to case. */
static cordon_code resolve_nics(cordon_audit *a)
{
	if (a->nics_resolved)
		return CORDON_OK;
	a->nics_resolved = 1;
	for (size_t k = 0; k < a->nnics; k++) {
		const struct nic *n = &a->nics[k];
		for (size_t s = 0; s < a->nsets && !n->nsg; s++) {
			/* a NIC with no NSG of its own: its subnet's NSG alone guards it */
			struct ruleset *rs = &a->sets[s];
			for (size_t i = 0; i < rs->nsubnets; i++)
				for (size_t j = 0; j < n->nsubnets; j++)
					if (!strcasecmp(rs->subnets[i], n->subnets[j]))
						rs->alone_too = 1;
		}
		if (!n->nsg)
			continue;
		for (size_t s = 0; s < a->nsets; s++) {
			const struct ruleset *rs = &a->sets[s];
			int on_subnet = 0;
			for (size_t i = 0; i < rs->nsubnets && !on_subnet; i++)
				for (size_t j = 0; j < n->nsubnets && !on_subnet; j++)
					on_subnet = !strcasecmp(rs->subnets[i], n->subnets[j]);
			if (!on_subnet || !strcmp(rs->name, n->nsg))
				continue;
			const char *layers[2] = { rs->name, n->nsg };
			struct cordon_asset as = { .name = n->name, .guarded_by = layers, .nguarded = 2 };
			cordon_code rc = cordon_audit_add_asset(a, &as);
			if (rc != CORDON_OK)
				return rc;
			break;
		}
	}
	return CORDON_OK;
}

static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	return slash ? strndup(file, (size_t)(slash - file)) : strdup(".");
}

cordon_code audit_add_conf_listen(struct cordon_audit *a, const char *file, const char *datastore,
				  const char *listen, int exposed, unsigned port)
{
	if (port == 0 || port > 65535)
		return audit_fail(a, "%s: %s port %u is not a port", file, datastore, port);
	if (ALLOC_GROW(a->notes, a->nnotes + 1, a->capnotes))
		return CORDON_ERR_NOMEM;
	struct listen_note *n = &a->notes[a->nnotes];
	n->dir = dir_of(file);
	n->datastore = strdup(datastore);
	n->listen = strdup(listen);
	n->exposed = exposed;
	n->port = port;
	if (!n->dir || !n->datastore || !n->listen) {
		free(n->dir);
		free(n->datastore);
		free(n->listen);
		return CORDON_ERR_NOMEM;
	}
	a->nnotes++;
	return CORDON_OK;
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

/* ---- lists read one element at a time ---- */

/* The next element [*b, *e) of the top-level JSON array in s. 1 with one,
 * 0 at the closing ']' (only blanks may follow), -1 when s is not shaped so
 * (the caller then parses it whole, for a proper error). */
static int next_element(const char *s, size_t len, size_t *pos, size_t *b, size_t *e)
{
	size_t i = *pos;
#define BLANKS() while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
	BLANKS();
	if (*pos == 0) { /* the opening '[' */
		if (i >= len || s[i] != '[')
			return -1;
		i++;
		BLANKS();
		if (i < len && s[i] == ']')
			goto closing;
	} else if (i < len && s[i] == ',') { /* *pos is the end of the last element */
		i++;
		BLANKS();
	} else if (i < len && s[i] == ']') {
		goto closing;
	} else {
		return -1;
	}
	*b = i;
	int depth = 0, in_string = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break; /* the list's own ']' */
			depth--;
		} else if (c == ',' && depth == 0) {
			break;
		}
	}
	if (i >= len || in_string || depth)
		return -1;
	*e = i;
	*pos = i;
	return 1;
closing:
	i++;
	BLANKS();
	return i == len ? 0 : -1;
#undef BLANKS
}

/* A list of a by_element format (`az network nsg list`, `nic list`): read
 * one element at a time so memory holds one NSG's JSON, not the file's.
 * 1 when done (rc set), 0 when the caller should parse the whole. */
static int load_list(cordon_audit *a, const char *file, const char *data, size_t len, const char *type,
		     cordon_code *rc)
{
	size_t pos = 0, b, e, nsets = a->nsets, nnics = a->nnics;
	const struct audit_format *f = NULL;
	int r;
	while ((r = next_element(data, len, &pos, &b, &e)) == 1) {
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
		*rc = f->load(a, file, el);
		json_decref(el);
		if (*rc != CORDON_OK) {
			roll_back(a, nsets, nnics);
			return 1;
		}
	}
	if (r == 0 && f) {
		*rc = CORDON_OK;
		return 1;
	}
	roll_back(a, nsets, nnics); /* not such a list: read it whole */
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
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return type ? audit_fail(a, "%s: not JSON: %s at line %d", file, jerr.text, jerr.line)
			    : audit_fail(a, "%s: not JSON (%s at line %d), and its name is not one of a data-store "
					    "config: give --type (elasticsearch, redis, pg_hba, postgresql, mongod, mysql, "
					    "memcached, or a network export's type)",
					    file, jerr.text, jerr.line);
	const struct audit_format *f = NULL;
	for (size_t k = 0; audit_formats[k] && !f; k++)
		if (type ? !strcmp(type, audit_formats[k]->name) : audit_formats[k]->detect(root))
			f = audit_formats[k];
	if (!f)
		rc = type ? audit_fail(a, "unknown type '%s' (azure-nsg, azure-nic, aws-sg, aws-nacl, gcp-firewall, elasticsearch, "
					  "redis, pg_hba, postgresql, mongod, mysql, memcached)", type)
			  : audit_fail(a, "%s: not an export cordon audit knows (Azure NSG, AWS security groups "
					  "or network ACLs, GCP firewall rules); give --type", file);
	else
		rc = f->load(a, file, root);
	json_decref(root);
	return rc;
}

/* ---- the walk (walk.c) and the findings ---- */

static int by_priority(const void *pa, const void *pb)
{
	const struct arule *a = pa, *b = pb;
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	return a->allow - b->allow; /* a deny wins a tie (GCP) */
}

static char *keep(cordon_audit *a, const char *s)
{
	if (ALLOC_GROW(a->strings, a->nstrings + 1, a->capstrings))
		return NULL;
	char *d = strdup(s);
	if (d)
		a->strings[a->nstrings++] = d;
	return d;
}

static int by_severity(const void *pa, const void *pb)
{
	const struct cordon_exposure *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp(a->file, b->file);
	if (!c)
		c = strcmp(a->resource, b->resource);
	if (!c)
		c = (int)a->port - (int)b->port;
	if (!c)
		c = (int)a->protocol - (int)b->protocol;
	return c;
}

/* Adds a network finding: Internet addresses (net) if any, else the broad
 * private range (wide). */
static cordon_code emit(cordon_audit *a, const char *platform, const char *resource, const char *file,
			const struct datastore *ds, unsigned port, const struct ipset *net, const struct ipset *wide,
			const struct ipset *broad, const char *rule, const char *rules, const char *asset)
{
	if (ALLOC_GROW(a->out, a->nout + 1, a->capout))
		return CORDON_ERR_NOMEM;
	char sources[1024];
	struct ipset shown = { 0 };
	if (net->n)
		ipset_copy(&shown, net);
	else /* medium: say which private ranges, not every non-Internet corner */
		ipset_intersect(&shown, wide, broad);
	ipset_format(&shown, &a->tags, sources, sizeof(sources));
	int failed = shown.failed;
	ipset_free(&shown);
	struct cordon_exposure *e = &a->out[a->nout];
	*e = (struct cordon_exposure){
		.kind = "network_exposure",
		.severity = net->n ? CORDON_SEV_HIGH : CORDON_SEV_MEDIUM,
		.platform = platform,
		.resource = resource,
		.file = file,
		.port = port,
		.protocol = ds->proto,
		.datastore = ds->name,
		.sources = keep(a, sources),
		.rule = rule,
		.rules = keep(a, rules),
		.asset = asset,
	};
	if (failed || !e->sources || !e->rules)
		return CORDON_ERR_NOMEM;
	a->nout++;
	return CORDON_OK;
}

/* One rule set, one port: adds an exposure when anything gets in. */
static cordon_code walk(cordon_audit *a, const struct ruleset *rs, const struct datastore *ds, unsigned port,
			const struct ipset *internet, const struct ipset *broad)
{
	struct reach r = { 0 };
	struct ipset net = { 0 };
	cordon_code rc = CORDON_OK;
	if (reach_of(&a->walk, rs, port, ds->proto, internet, broad, &r)) {
		rc = CORDON_ERR_NOMEM;
	} else {
		ipset_intersect(&net, &r.reached, internet);
		if (net.failed)
			rc = CORDON_ERR_NOMEM;
		else if (net.n || r.wide.n)
			rc = emit(a, rs->platform, rs->name, rs->file, ds, port, &net, &r.wide, broad, r.best_rule->name,
				  net.n ? r.rules : r.best_rule->name, NULL);
	}
	ipset_free(&net);
	reach_free(&r);
	return rc;
}

/* Does rule set rs go by name g ("sg-1" for "sg-1 (db)")? */
static int named(const struct ruleset *rs, const char *g)
{
	size_t n = strlen(g);
	return !strcmp(rs->name, g) || (!strncmp(rs->name, g, n) && !strncmp(rs->name + n, " (", 2));
}

/* Layers: an asset behind two or more rule sets (a subnet NSG and a NIC
 * NSG; a network ACL and a security group) is reached only by what passes
 * every one of them. Its ports are judged through the asset, not through
 * each rule set alone. */
static int layered(const cordon_audit *a, const struct ruleset *rs, unsigned port)
{
	if (rs->alone_too)
		return 0;
	for (size_t s = 0; s < a->nassets; s++) {
		const struct asset *as = &a->assets[s];
		if (as->nguarded < 2 || (as->port && as->port != port))
			continue;
		for (size_t g = 0; g < as->nguarded; g++)
			if (named(rs, as->guarded_by[g]))
				return 1;
	}
	return 0;
}

static cordon_code walk_layers(cordon_audit *a, const struct asset *as, const struct datastore *ds, unsigned port,
			       const struct ipset *internet, const struct ipset *broad)
{
	struct ipset both = { 0 }, net = { 0 }, none = { 0 }, tmp = { 0 };
	struct reach r = { 0 };
	struct cordon_buf rules = CORDON_BUF_INIT, resource = CORDON_BUF_INIT;
	const char *rule = NULL, *file = NULL, *platform = NULL;
	size_t layers = 0;
	cordon_code rc = CORDON_OK;
	for (size_t g = 0; g < as->nguarded && rc == CORDON_OK; g++)
		for (size_t s = 0; s < a->nsets && rc == CORDON_OK; s++) {
			const struct ruleset *rs = &a->sets[s];
			if (!named(rs, as->guarded_by[g]))
				continue;
			if (reach_of(&a->walk, rs, port, ds->proto, internet, broad, &r)) {
				rc = CORDON_ERR_NOMEM;
				break;
			}
			ipset_intersect(&net, &r.reached, internet);
			if (layers++) {
				ipset_intersect(&tmp, &both, &net);
				ipset_copy(&both, &tmp);
			} else {
				ipset_copy(&both, &net);
			}
			if ((resource.len && cordon_buf_puts(&resource, " > ")) || cordon_buf_puts(&resource, rs->name) ||
			    (rules.len && cordon_buf_puts(&rules, "; ")) || cordon_buf_puts(&rules, rs->name) ||
			    cordon_buf_puts(&rules, ": ") ||
			    cordon_buf_puts(&rules, net.n ? r.rules : "nothing from the Internet"))
				rc = CORDON_ERR_NOMEM;
			if (net.n && !rule)
				rule = r.best_rule->name;
			file = rs->file;
			platform = rs->platform;
		}
	if (rc == CORDON_OK && (cordon_buf_putc(&resource, '\0') || cordon_buf_putc(&rules, '\0')))
		rc = CORDON_ERR_NOMEM;
	if (rc == CORDON_OK && layers && both.n) {
		char *res = keep(a, resource.data);
		rc = res ? emit(a, platform, res, file, ds, port, &both, &none, broad, rule ? rule : "?", rules.data, as->name)
			 : CORDON_ERR_NOMEM;
	}
	if (both.failed || net.failed || tmp.failed)
		rc = CORDON_ERR_NOMEM;
	ipset_free(&both);
	ipset_free(&net);
	ipset_free(&tmp);
	reach_free(&r);
	cordon_buf_release(&rules);
	cordon_buf_release(&resource);
	return rc;
}

/* A configuration saying a store has no authentication: high when it
 * listens beyond loopback, medium when only there. A listen note from the
 * same directory (postgresql.conf beside pg_hba.conf) decides the listen. */
static cordon_code conf_exposure(cordon_audit *a, const struct fact *fa)
{
	struct conf_fact f = fa->f;
	char *dir = dir_of(fa->file);
	if (!dir)
		return CORDON_ERR_NOMEM;
	for (size_t k = 0; k < a->nnotes; k++)
		if (!strcmp(a->notes[k].dir, dir) && !strcmp(a->notes[k].datastore, f.datastore)) {
			f.exposed = f.exposed && a->notes[k].exposed;
			f.listen = a->notes[k].listen;
			f.port = a->notes[k].port;
		}
	free(dir);
	if (ALLOC_GROW(a->out, a->nout + 1, a->capout))
		return CORDON_ERR_NOMEM;
	char listen[320];
	snprintf(listen, sizeof(listen), "listens on %s", f.listen);
	const char *base = strrchr(fa->file, '/') ? strrchr(fa->file, '/') + 1 : fa->file;
	struct cordon_exposure *e = &a->out[a->nout];
	*e = (struct cordon_exposure){
		.kind = "unauthenticated_config",
		.severity = f.exposed ? CORDON_SEV_HIGH : CORDON_SEV_MEDIUM,
		.platform = "config",
		.resource = base,
		.file = fa->file,
		.port = f.port,
		.protocol = f.protocol,
		.datastore = f.datastore,
		.sources = keep(a, listen),
		.rule = f.why,
		.rules = f.why,
	};
	if (!e->sources)
		return CORDON_ERR_NOMEM;
	a->nout++;
	return CORDON_OK;
}

cordon_code cordon_audit_run(cordon_audit *a, const struct cordon_exposure **out, size_t *n)
{
	if (!a || !out || !n)
		return CORDON_ERR_ARG;
	free_results(a);
	cordon_code nrc = resolve_nics(a);
	if (nrc != CORDON_OK)
		return nrc;
	struct ipset internet = { 0 }, broad = { 0 };
	ipset_internet(&internet);
	ipset_private(&broad);
	cordon_code rc = CORDON_OK;
	for (size_t s = 0; s < a->nsets && rc == CORDON_OK; s++) {
		struct ruleset *rs = &a->sets[s];
		if (rs->n > 1)
			qsort(rs->r, rs->n, sizeof(*rs->r), by_priority);
		for (size_t d = 0; d < a->nds && rc == CORDON_OK; d++)
			for (unsigned port = a->ds[d].lo; port <= a->ds[d].hi && rc == CORDON_OK; port++)
				if (!layered(a, rs, port))
					rc = walk(a, rs, &a->ds[d], port, &internet, &broad);
	}
	for (size_t s = 0; s < a->nassets && rc == CORDON_OK; s++) {
		const struct asset *as = &a->assets[s];
		if (as->nguarded < 2)
			continue;
		for (size_t d = 0; d < a->nds && rc == CORDON_OK; d++)
			for (unsigned port = a->ds[d].lo; port <= a->ds[d].hi && rc == CORDON_OK; port++)
				if (!as->port || as->port == port)
					rc = walk_layers(a, as, &a->ds[d], port, &internet, &broad);
	}
	ipset_free(&internet);
	ipset_free(&broad);
	for (size_t k = 0; k < a->nfacts && rc == CORDON_OK; k++)
		rc = conf_exposure(a, &a->facts[k]);
	if (rc != CORDON_OK)
		return rc;
	join_assets(a);
	if (a->nout > 1)
		qsort(a->out, a->nout, sizeof(*a->out), by_severity);
	*out = a->out;
	*n = a->nout;
	return CORDON_OK;
}
