/* The audit's run: for each rule set and each data-store port, the walk
 * (walk.c) gives what gets in and through which rules; assets behind two
 * or more rule sets are judged through all of them at once (layers);
 * configuration facts become findings of their own; the inventory raises
 * what it knows to have no authentication. Each finding is made whole
 * here: its sources as items (ipset_describe), texts, check id,
 * fingerprint, and the platform-management label where it applies.
 *
 * The walk (first-match platforms): "remaining" starts as every address;
 * each rule in order that covers the protocol and port takes remaining ∩
 * sources: an allow adds them to "reached" (credited to that rule), and
 * allow or deny, they leave remaining, so a deny above an allow hides it
 * and an allow above a deny is not hidden. A deny that names one
 * destination only (not the whole rule set) protects that host alone, so
 * it does not leave remaining: the audit may over-report then, never
 * under-report. AWS security groups have no order and no denies: every
 * allow rule adds its sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit_internal.h"
#include "findings/exposure.h"
#include "util/alloc.h"
#include "util/strbuf.h"

static int by_priority(const void *pa, const void *pb)
{
	const struct arule *a = pa, *b = pb;
	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	return a->allow - b->allow; /* a deny wins a tie (GCP) */
}

/* Takes p into the run's memory (freed with the next run); NULL when p is
 * NULL or out of memory (then p is freed). */
static void *keep(cordon_audit *a, void *p)
{
	if (p && ALLOC_GROW(a->kept, a->nkept + 1, a->capkept)) {
		free(p);
		return NULL;
	}
	if (p)
		a->kept[a->nkept++] = p;
	return p;
}

static const char *keep_str(cordon_audit *a, const char *s)
{
	return keep(a, strdup(s));
}

void audit_free_results(cordon_audit *a)
{
	for (size_t k = 0; k < a->nkept; k++)
		free(a->kept[k]);
	a->nkept = 0;
	a->nout = 0;
}

/* A list of strings being made; its strings and array go to the run's
 * memory as they are made. */
struct list {
	cordon_audit *a;
	const char **v;
	size_t n, cap;
	int failed;
};

static void list_add(struct list *l, const char *s)
{
	const char *kept = l->failed ? NULL : keep_str(l->a, s);
	if (!kept || ALLOC_GROW(l->v, l->n + 1, l->cap)) {
		l->failed = 1;
		return;
	}
	l->v[l->n++] = kept;
}

/* Hands the array over to the run's memory (l->v is then NULL; the
 * caller frees l->v whatever happened). */
static const char *const *list_keep(struct list *l)
{
	if (l->failed)
		return NULL;
	if (!l->v) /* an empty list is an array too: JSON writes [] */
		l->v = calloc(1, sizeof(*l->v));
	const char *const *v = keep(l->a, l->v);
	l->v = NULL;
	return v;
}

struct two_lists {
	struct list items, except;
};

static int describe_item(void *ctx, int except, const char *item)
{
	struct two_lists *t = ctx;
	list_add(except ? &t->except : &t->items, item);
	return t->items.failed || t->except.failed ? -1 : 0;
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
		c = a->port < b->port ? -1 : a->port > b->port;
	if (!c)
		c = (int)a->protocol - (int)b->protocol;
	if (!c)
		c = strcmp(a->kind, b->kind);
	return c;
}

/* The members made from the others: check id, fingerprint, texts. A
 * network finding whose every source is a platform's own service tag on a
 * port it manages through is labelled so, at severity info. */
static cordon_code finish(cordon_audit *a, struct cordon_exposure *e)
{
	if (!strcmp(e->kind, "network_exposure")) {
		const struct management *m = audit_management(a, e->platform, e->port, e->sources, e->nsources);
		if (m) {
			struct strbuf note = STRBUF_INIT, label = STRBUF_INIT;
			sb_printf(&note, "Only the platform's own service tags reach this port, which %s's management "
					 "uses (%s uses it too).", m->what, e->datastore);
			sb_printf(&label, "%s management", m->what);
			e->kind = "platform_management";
			e->severity = CORDON_SEV_INFO;
			e->note = keep(a, sb_detach(&note));
			e->datastore = keep(a, sb_detach(&label));
			if (!e->note || !e->datastore)
				return CORDON_ERR_NOMEM;
		}
	}
	if (!(e->check = keep(a, exposure_check(e->kind, e->datastore))) ||
	    !(e->fingerprint = keep(a, exposure_fingerprint(e))) ||
	    !(e->sources_text = keep(a, exposure_sources_text(e))) ||
	    (!e->width && !(e->width = keep(a, exposure_width(e)))))
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

/* Adds a network finding: Internet addresses (net) if any, else the broad
 * private range (wide). rules: the rules' names, as the finding lists them. */
static cordon_code emit(cordon_audit *a, const char *platform, const char *resource, const char *file,
			const struct datastore *ds, unsigned port, const struct ipset *net, const struct ipset *wide,
			const struct ipset *broad, const struct arule *rule, struct list *rules, const char *asset)
{
	if (ALLOC_GROW(a->out, a->nout + 1, a->capout))
		return CORDON_ERR_NOMEM;
	struct ipset shown = { 0 };
	if (net->n)
		ipset_copy(&shown, net);
	else /* medium: say which private ranges, not every non-Internet corner */
		ipset_intersect(&shown, wide, broad);
	struct two_lists t = { { a, NULL, 0, 0, 0 }, { a, NULL, 0, 0, 0 } };
	uint64_t v4 = 0;
	int failed = shown.failed || ipset_describe(&shown, &a->tags, describe_item, &t, &v4);
	ipset_free(&shown);
	struct cordon_exposure *e = &a->out[a->nout];
	*e = (struct cordon_exposure){
		.kind = "network_exposure",
		.severity = net->n ? CORDON_SEV_HIGH : CORDON_SEV_MEDIUM,
		.platform = platform,
		.resource = resource,
		.file = file,
		.line = rule->line,
		.port = port,
		.protocol = ds->proto,
		.datastore = ds->name,
		.sources = list_keep(&t.items),
		.nsources = t.items.n,
		.except = list_keep(&t.except),
		.nexcept = t.except.n,
		.addresses = v4,
		.rule = rule->name,
		.rules = list_keep(rules),
		.nrules = rules->n,
		.asset = asset,
	};
	free(t.items.v);
	free(t.except.v);
	if (failed || !e->sources || !e->except || !e->rules || finish(a, e) != CORDON_OK)
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
		if (net.failed) {
			rc = CORDON_ERR_NOMEM;
		} else if (net.n || r.wide.n) {
			struct list rules = { a, NULL, 0, 0, 0 };
			if (net.n)
				for (size_t k = 0; k < r.nrules; k++)
					list_add(&rules, r.rules[k]->name);
			else
				list_add(&rules, r.best_rule->name);
			rc = emit(a, rs->platform, rs->name, rs->file, ds, port, &net, &r.wide, broad, r.best_rule,
				  &rules, NULL);
			free(rules.v);
		}
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
	struct strbuf resource = STRBUF_INIT;
	struct list rules = { a, NULL, 0, 0, 0 };
	struct arule first = { 0 };
	const char *file = NULL, *platform = NULL;
	size_t layers = 0;
	int have_first = 0;
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
			sb_printf(&resource, "%s%s", resource.len ? " > " : "", rs->name);
			for (size_t k = 0; net.n && k < r.nrules; k++) {
				struct strbuf one = STRBUF_INIT;
				sb_printf(&one, "%s: %s", rs->name, r.rules[k]->name);
				char *s1 = sb_detach(&one);
				if (!s1) {
					rc = CORDON_ERR_NOMEM;
					break;
				}
				list_add(&rules, s1);
				free(s1);
			}
			if (net.n && !have_first) { /* the finding's rule: the outer layer's */
				first = *r.best_rule;
				have_first = 1;
			}
			file = rs->file;
			platform = rs->platform;
		}
	char *res = sb_detach(&resource);
	if (rc == CORDON_OK && (!res || rules.failed))
		rc = CORDON_ERR_NOMEM;
	if (rc == CORDON_OK && layers && both.n && have_first) {
		const char *kept = keep(a, res);
		res = NULL;
		rc = kept ? emit(a, platform, kept, file, ds, port, &both, &none, broad, &first, &rules, as->name)
			  : CORDON_ERR_NOMEM;
	}
	if (both.failed || net.failed || tmp.failed)
		rc = CORDON_ERR_NOMEM;
	free(res);
	free(rules.v);
	ipset_free(&both);
	ipset_free(&net);
	ipset_free(&tmp);
	reach_free(&r);
	return rc;
}

/* A configuration saying a store has no authentication: high when it
 * listens beyond loopback, medium when only there. A listen note from the
 * same directory (postgresql.conf beside pg_hba.conf) decides the listen. */
static cordon_code conf_exposure(cordon_audit *a, const struct fact *fa)
{
	struct conf_fact f = fa->f;
	char *dir = audit_dir_of(fa->file);
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
	const char *base = strrchr(fa->file, '/') ? strrchr(fa->file, '/') + 1 : fa->file;
	struct list sources = { a, NULL, 0, 0, 0 }, rules = { a, NULL, 0, 0, 0 };
	list_add(&sources, f.listen);
	list_add(&rules, f.why);
	struct list none = { a, NULL, 0, 0, 0 };
	struct cordon_exposure *e = &a->out[a->nout];
	*e = (struct cordon_exposure){
		.kind = "unauthenticated_config",
		.severity = f.exposed ? CORDON_SEV_HIGH : CORDON_SEV_MEDIUM,
		.platform = "config",
		.resource = base,
		.file = fa->file,
		.line = 0,
		.port = f.port,
		.protocol = f.protocol,
		.datastore = f.datastore,
		.sources = list_keep(&sources),
		.nsources = sources.n,
		.except = list_keep(&none),
		.width = f.exposed ? "beyond loopback" : "loopback only",
		.rule = f.why,
		.rules = list_keep(&rules),
		.nrules = rules.n,
	};
	free(sources.v);
	free(rules.v);
	free(none.v);
	if (!e->sources || !e->except || !e->rules || finish(a, e) != CORDON_OK)
		return CORDON_ERR_NOMEM;
	a->nout++;
	return CORDON_OK;
}

cordon_code cordon_audit_run(cordon_audit *a, const struct cordon_exposure **out, size_t *n)
{
	if (!a || !out || !n)
		return CORDON_ERR_ARG;
	audit_free_results(a);
	cordon_code nrc = audit_resolve_nics(a);
	if (nrc != CORDON_OK)
		return nrc;
	struct ipset internet = { 0 }, broad = { 0 };
	ipset_internet(&internet);
	ipset_private(&broad);
	cordon_code rc = internet.failed || broad.failed ? CORDON_ERR_NOMEM : CORDON_OK;
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
	audit_join_assets(a);
	if (a->nout > 1)
		qsort(a->out, a->nout, sizeof(*a->out), by_severity);
	*out = a->out;
	*n = a->nout;
	return CORDON_OK;
}
