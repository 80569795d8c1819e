/* What a conversation learned, and the finding it becomes. Sampled text
 * goes through the detector here and nowhere else: each entity is counted
 * and its first value masked; the text itself is never kept. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "findings/exposure.h"
#include "probe/probe.h"
#include "util/alloc.h"

enum {
	STORES_MAX = 100,            /* stores listed per endpoint; more are counted */
	SAMPLE_BYTES = 256 * 1024,   /* text read into the detector per endpoint */
	EVIDENCE_MAX = 400,
	PREVIEW_MAX = 64
};

/* Appends "; " and the text to sb, up to a bound. */
static void append(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void append(struct strbuf *sb, const char *fmt, va_list ap)
{
	if (sb->len > EVIDENCE_MAX)
		return;
	if (sb->len)
		sb_puts(sb, "; ");
	char buf[EVIDENCE_MAX + 1];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	sb_puts(sb, buf);
}

void probe_found(struct probe_ctx *c, const char *kind, const char *fmt, ...)
{
	c->res.kind = kind;
	va_list ap;
	va_start(ap, fmt);
	append(&c->res.evidence, fmt, ap);
	va_end(ap);
}

void probe_set_service(struct probe_ctx *c, const char *service)
{
	free(c->res.service);
	c->res.service = strdup(service);
}

/* Keeps printable ASCII only: a version string is the server's to write. */
static char *printable(const char *s, size_t len, size_t cap)
{
	if (len > cap)
		len = cap;
	char *o = malloc(len + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < len; i++)
		o[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	o[len] = '\0';
	return o;
}

void probe_set_version(struct probe_ctx *c, const char *version, size_t len)
{
	free(c->res.version);
	c->res.version = printable(version, len, 80);
}

void probe_note(struct probe_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(&c->res.note, fmt, ap);
	va_end(ap);
}

void probe_store(struct probe_ctx *c, const char *name, size_t namelen, int64_t records, int64_t bytes)
{
	struct probe_result *r = &c->res;
	if (r->nstores >= STORES_MAX || ALLOC_GROW(r->stores, r->nstores + 1, r->capstores)) {
		r->more_stores++;
		return;
	}
	char *n = printable(name, namelen, 200);
	if (!n) {
		r->more_stores++;
		return;
	}
	r->stores[r->nstores++] = (struct cordon_store){ n, records, bytes };
}

unsigned probe_sample_size(const struct probe_ctx *c)
{
	return c->run->o.no_sample ? 0 : c->run->o.sample;
}

int probe_may_login(const struct probe_ctx *c) { return !c->run->o.no_login; }

const struct probe_credential *probe_credential(const struct probe_ctx *c, const char *service)
{
	const struct cordon_probe *p = c->run;
	for (size_t i = 0; i < p->ncreds; i++)
		if (!strcmp(p->creds[i].service, service) && (p->creds[i].any || target_holds(&p->creds[i].t, &c->ep)))
			return &p->creds[i];
	return NULL;
}

void probe_sample(struct probe_ctx *c, const char *text, size_t len)
{
	struct probe_result *r = &c->res;
	cordon_engine *engine = c->run->o.engine;
	if (!engine || c->run->o.no_sample || !len)
		return;
	if (r->sample_bytes >= SAMPLE_BYTES) {
		r->sample_bytes = SAMPLE_BYTES + 1; /* noted once, at the end */
		return;
	}
	if (len > SAMPLE_BYTES - r->sample_bytes)
		len = SAMPLE_BYTES - r->sample_bytes;
	r->sample_bytes += len;
	r->sampled++;
	const struct cordon_finding *f;
	size_t n;
	if (cordon_engine_scan(engine, text, len, &f, &n) != CORDON_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned e = (unsigned)f[i].entity;
		if (e >= CORDON_ENTITY_MAX)
			continue;
		r->counts[e]++;
		if (!r->previews[e]) {
			char buf[PREVIEW_MAX];
			cordon_finding_mask(text, &f[i], buf, sizeof(buf));
			r->previews[e] = strdup(buf);
		}
	}
}

void result_release(struct probe_result *r)
{
	free(r->service);
	free(r->version);
	sb_release(&r->evidence);
	sb_release(&r->note);
	for (size_t i = 0; i < r->nstores; i++)
		free((char *)r->stores[i].name);
	free(r->stores);
	for (size_t i = 0; i < CORDON_ENTITY_MAX; i++)
		free(r->previews[i]);
	memset(r, 0, sizeof(*r));
}

static void exposure_release(struct cordon_exposure *e)
{
	free((char *)e->check);
	free((char *)e->fingerprint);
	free((char *)e->resource);
	free((char *)e->datastore);
	free((char *)e->endpoint);
	free((char *)e->version);
	free((char *)e->evidence);
	free((char *)e->note);
	free((char *)e->asset);
	free((char *)e->owner);
	free((char *)e->sensitivity);
	for (size_t i = 0; i < e->nstores; i++)
		free((char *)e->stores[i].name);
	free((void *)e->stores);
	for (size_t i = 0; i < e->nholds; i++) {
		free((char *)e->holds[i].entity);
		free((char *)e->holds[i].preview);
	}
	free((void *)e->holds);
}

void exposures_free(struct cordon_exposure *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		exposure_release(&v[i]);
	free(v);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

cordon_code result_finish(struct cordon_probe *p, struct probe_ctx *c, const char *why)
{
	struct probe_result *r = &c->res;
	const char *kind = r->kind;
	if (!kind) {
		kind = "unreachable";
		p->stats.unreachable++;
		if (!p->o.verbose)
			return CORDON_OK;
		r->evidence.len = 0;
		sb_puts(&r->evidence, why ? why : "no answer the probe understood");
	} else {
		p->stats.answered++;
	}
	p->stats.bytes_received += c->bytes_in;
	if (r->sample_bytes > SAMPLE_BYTES)
		probe_note(c, "sampled the first %d KiB only", SAMPLE_BYTES / 1024);
	if (r->more_stores)
		probe_note(c, "%llu more stores not listed", (unsigned long long)r->more_stores);
	if (ALLOC_GROW(p->found, p->nfound + 1, p->capfound))
		return CORDON_ERR_NOMEM;
	struct cordon_exposure *e = &p->found[p->nfound];
	memset(e, 0, sizeof(*e));
	const char *service = r->service ? r->service : c->def->service;
	e->kind = kind;
	e->platform = "probe";
	e->file = "";
	e->rule = "";
	e->sources_text = "";
	e->width = "";
	e->port = c->ep.port;
	e->protocol = c->ep.proto;
	e->resource = strdup(c->name);
	e->endpoint = strdup(c->name);
	e->datastore = strdup(!strcmp(kind, "unreachable") ? (c->ep.datastore ? c->ep.datastore : "unknown") : service);
	e->service = e->datastore;
	e->version = dup_or_null(r->version);
	e->evidence = sb_detach(&r->evidence);
	e->note = r->note.len ? sb_detach(&r->note) : NULL;
	e->check = exposure_check(kind, e->datastore ? e->datastore : "?");
	e->fingerprint = e->resource ? exposure_fingerprint(e) : NULL;
	const struct probe_asset *a = endpoint_asset(p, &c->ep);
	if (a) {
		e->asset = strdup(a->name);
		e->owner = dup_or_null(a->owner);
		e->sensitivity = dup_or_null(a->sensitivity);
	}
	int bad = !e->resource || !e->endpoint || !e->datastore || !e->evidence || !e->check || !e->fingerprint ||
		  (a && !e->asset) || (r->version && !e->version);
	/* stores and holds move over */
	e->stores = r->stores;
	e->nstores = r->nstores;
	r->stores = NULL;
	r->nstores = r->capstores = 0;
	size_t nholds = 0;
	for (size_t i = 0; i < CORDON_ENTITY_MAX; i++)
		nholds += r->counts[i] != 0;
	if (nholds) {
		struct cordon_held *h = calloc(nholds, sizeof(*h));
		bad |= !h;
		for (size_t i = 0, k = 0; h && i < CORDON_ENTITY_MAX; i++) {
			if (!r->counts[i])
				continue;
			const char *name = cordon_engine_entity_name(p->o.engine, (cordon_entity)i);
			h[k].entity = strdup(name ? name : "?");
			h[k].count = r->counts[i];
			h[k].preview = r->previews[i] ? r->previews[i] : strdup("");
			r->previews[i] = NULL;
			bad |= !h[k].entity || !h[k].preview;
			k++;
		}
		e->holds = h;
		e->nholds = h ? nholds : 0;
	}
	if (!strcmp(kind, "unauthenticated_access"))
		e->severity = e->nholds ? CORDON_SEV_CRITICAL : CORDON_SEV_HIGH;
	else
		e->severity = CORDON_SEV_INFO;
	p->nfound++;
	return bad ? CORDON_ERR_NOMEM : CORDON_OK;
}

static int by_severity(const void *pa, const void *pb)
{
	const struct cordon_exposure *a = pa, *b = pb;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	int c = strcmp(a->endpoint, b->endpoint);
	return c ? c : strcmp(a->kind, b->kind);
}

void result_sort(struct cordon_probe *p)
{
	if (p->nfound > 1)
		qsort(p->found, p->nfound, sizeof(*p->found), by_severity);
}
