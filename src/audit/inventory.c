/* What the audit knows beside the rules: the data-store ports
 * (data/datastores.txt and --datastore), the ports platforms use for their
 * own management (data/management.txt), the inventory's assets, Azure
 * NICs (a NIC NSG behind a subnet NSG: two layers), and what data-store
 * configurations say (no authentication; where they listen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "audit/audit_internal.h"
#include "util/alloc.h"
#include "util/datastores.h"

extern const char cordon_data_management[];

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

static cordon_code add_datastore(void *arg, const char *name, unsigned lo, unsigned hi, cordon_protocol proto)
{
	return cordon_audit_add_datastore(arg, name, lo, hi, proto);
}

static cordon_code load_datastores(cordon_audit *a)
{
	return datastores_each(add_datastore, a);
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
void audit_join_assets(cordon_audit *a)
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
cordon_code audit_resolve_nics(cordon_audit *a)
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

char *audit_dir_of(const char *file)
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
	n->dir = audit_dir_of(file);
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


/* Splits s at commas into a new list; -1 when out of memory. */
static int split(const char *s, char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (ALLOC_GROW(*out, *n + 1, cap))
			return -1;
		if (!((*out)[*n] = strndup(s, len)))
			return -1;
		(*n)++;
		s += len + (comma ? 1 : 0);
	}
	return 0;
}

/* data/management.txt: "PLATFORM PORTS TAGS WHAT" per line, '#' comments. */
static cordon_code load_management(cordon_audit *a)
{
	const char *p = cordon_data_management;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char line[512], platform[64], ports[128], tags[256];
		int used = 0;
		if (n < sizeof(line) && *p != '#' && n > 0) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (sscanf(line, "%63s %127s %255s %n", platform, ports, tags, &used) != 3 || !line[used])
				return CORDON_ERR_PARSE; /* the shipped table is checked by the tests */
			if (ALLOC_GROW(a->mgmt, a->nmgmt + 1, a->capmgmt))
				return CORDON_ERR_NOMEM;
			struct management *m = &a->mgmt[a->nmgmt++];
			memset(m, 0, sizeof(*m));
			char **port_list = NULL;
			size_t nports = 0;
			int bad = split(ports, &port_list, &nports);
			if (!bad && !(m->ports = calloc(nports ? nports : 1, sizeof(*m->ports))))
				bad = 1;
			for (size_t i = 0; !bad && i < nports; i++) {
				unsigned lo, hi;
				if (audit_port_range(port_list[i], &lo, &hi) || lo != hi)
					bad = 2;
				else
					m->ports[m->nports++] = lo;
			}
			for (size_t i = 0; i < nports; i++)
				free(port_list[i]);
			free(port_list);
			if (bad || split(tags, &m->tags, &m->ntags) || !(m->platform = strdup(platform)) ||
			    !(m->what = strdup(line + used)))
				return bad == 2 ? CORDON_ERR_PARSE : CORDON_ERR_NOMEM;
		}
		p += n + (eol ? 1 : 0);
	}
	return CORDON_OK;
}

cordon_code audit_load_builtins(cordon_audit *a)
{
	cordon_code rc = load_datastores(a);
	return rc == CORDON_OK ? load_management(a) : rc;
}

const struct management *audit_management(const cordon_audit *a, const char *platform, unsigned port,
					  const char *const *sources, size_t nsources)
{
	if (!nsources)
		return NULL;
	for (size_t k = 0; k < a->nmgmt; k++) {
		const struct management *m = &a->mgmt[k];
		int on_port = 0, all_tags = 1;
		for (size_t i = 0; i < m->nports; i++)
			on_port |= m->ports[i] == port;
		if (!on_port || strcmp(m->platform, platform))
			continue;
		for (size_t s = 0; s < nsources && all_tags; s++) {
			int one = 0;
			for (size_t t = 0; t < m->ntags && !one; t++)
				one = !strncmp(sources[s], "tag:", 4) && !strcasecmp(sources[s] + 4, m->tags[t]);
			all_tags = one;
		}
		if (all_tags)
			return m;
	}
	return NULL;
}

void audit_free_inventory(cordon_audit *a)
{
	for (size_t k = 0; k < a->nds; k++)
		free(a->ds[k].name);
	free(a->ds);
	for (size_t k = 0; k < a->nmgmt; k++) {
		struct management *m = &a->mgmt[k];
		free(m->platform);
		free(m->what);
		free(m->ports);
		for (size_t t = 0; t < m->ntags; t++)
			free(m->tags[t]);
		free(m->tags);
	}
	free(a->mgmt);
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
}
