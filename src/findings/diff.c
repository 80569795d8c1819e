/* Two runs compared (--baseline): findings are paired by fingerprint, and a
 * pair is compared by the addresses it lets in, rebuilt from sources and
 * except as sets, so that "the IPv4 Internet except 198.51.100.0/24" and a
 * list of forty CIDRs that mean the same are the same. Sorting both sides
 * by fingerprint makes a diff of n findings cost n log n. */
#include <stdlib.h>
#include <string.h>
#include "audit/ipset.h"
#include "cordon/findings.h"
#include "util/alloc.h"

cordon_code cordon_exposure_items(const struct cordon_exposure *now, size_t n, struct cordon_report_item **out,
				  size_t *nout)
{
	if (!out || !nout || (n && !now))
		return CORDON_ERR_ARG;
	struct cordon_report_item *v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return CORDON_ERR_NOMEM;
	for (size_t k = 0; k < n; k++)
		v[k].now = &now[k];
	*out = v;
	*nout = n;
	return CORDON_OK;
}

/* Adds one item of sources (see struct cordon_exposure) to s. */
static void add_item(struct ipset *s, struct ipset_tags *tags, const char *item)
{
	struct ipset part = { 0 };
	u128 lo, hi;
	if (!strcmp(item, "0.0.0.0/0"))
		ipset_public4(&part); /* the service tags' addresses are public ones */
	else if (!strcmp(item, "::/0"))
		ipset_public6(&part);
	else if (!strncmp(item, "tag:", 4) && !ipset_tag(tags, item + 4, &lo, &hi))
		ipset_add(&part, lo, hi);
	else if (ipset_add_cidr(&part, item) && !ipset_private_tag(tags, item, &lo, &hi))
		ipset_add(&part, lo, hi);
	if (!strcmp(item, "0.0.0.0/0")) { /* and every service tag, as 0.0.0.0/0 in a rule holds them */
		struct ipset all = { 0 }, net = { 0 }, tagged = { 0 };
		ipset_add_cidr(&all, "0.0.0.0/0");
		ipset_internet(&net);
		ipset_intersect(&tagged, &all, &net);
		ipset_union(&part, &tagged);
		if (all.failed || net.failed || tagged.failed)
			part.failed = 1;
		ipset_free(&all);
		ipset_free(&net);
		ipset_free(&tagged);
	}
	ipset_union(s, &part);
	if (part.failed)
		s->failed = 1;
	ipset_free(&part);
}

static void set_of(const struct cordon_exposure *e, struct ipset_tags *tags, struct ipset *s)
{
	struct ipset ex = { 0 };
	for (size_t i = 0; i < e->nsources; i++)
		add_item(s, tags, e->sources[i]);
	for (size_t i = 0; i < e->nexcept; i++)
		add_item(&ex, tags, e->except[i]);
	ipset_subtract(s, &ex);
	if (ex.failed)
		s->failed = 1;
	ipset_free(&ex);
}

/* Is a \ b empty? */
static int within(const struct ipset *a, const struct ipset *b)
{
	struct ipset d = { 0 };
	ipset_copy(&d, a);
	ipset_subtract(&d, b);
	int in = d.n == 0 && !d.failed;
	ipset_free(&d);
	return in;
}

static int same_list(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]))
			return 0;
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* What happened between b (before) and n (now), the same finding. -1 when
 * out of memory. */
static int compare(const struct cordon_exposure *b, const struct cordon_exposure *n, struct ipset_tags *tags)
{
	struct ipset sb = { 0 }, sn = { 0 };
	set_of(b, tags, &sb);
	set_of(n, tags, &sn);
	if (sb.failed || sn.failed) {
		ipset_free(&sb);
		ipset_free(&sn);
		return -1;
	}
	int more = !within(&sn, &sb), fewer = !within(&sb, &sn);
	ipset_free(&sb);
	ipset_free(&sn);
	if (more || n->severity > b->severity)
		return CORDON_CHANGE_WIDENED;
	if (fewer || n->severity < b->severity)
		return CORDON_CHANGE_NARROWED;
	if (!same_list(b->rules, b->nrules, n->rules, n->nrules) || !same_str(b->asset, n->asset) ||
	    !same_str(b->note, n->note) || strcmp(b->kind, n->kind))
		return CORDON_CHANGE_CHANGED;
	return CORDON_CHANGE_NONE;
}

struct keyed {
	const struct cordon_exposure *e;
	size_t at; /* its place in its list: pairs equal fingerprints in order */
};

static int by_fingerprint(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int c = strcmp(a->e->fingerprint, b->e->fingerprint);
	return c ? c : a->at < b->at ? -1 : a->at > b->at;
}

static struct keyed *keyed(const struct cordon_exposure *v, size_t n)
{
	struct keyed *k = calloc(n ? n : 1, sizeof(*k));
	if (!k)
		return NULL;
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ &v[i], i };
	if (n > 1)
		qsort(k, n, sizeof(*k), by_fingerprint);
	return k;
}

cordon_code cordon_exposure_diff(const struct cordon_exposure *before, size_t nbefore,
				 const struct cordon_exposure *now, size_t nnow, int keep_same,
				 struct cordon_report_item **out, size_t *nout)
{
	if (!out || !nout || (nbefore && !before) || (nnow && !now))
		return CORDON_ERR_ARG;
	for (size_t i = 0; i < nbefore; i++)
		if (!before[i].fingerprint)
			return CORDON_ERR_ARG;
	for (size_t i = 0; i < nnow; i++)
		if (!now[i].fingerprint)
			return CORDON_ERR_ARG;
	struct keyed *kb = keyed(before, nbefore), *kn = keyed(now, nnow);
	/* per finding now: its change and its old twin; per finding before:
	 * whether it was paired */
	struct cordon_report_item *byn = calloc(nnow ? nnow : 1, sizeof(*byn));
	unsigned char *paired = calloc(nbefore ? nbefore : 1, 1);
	struct cordon_report_item *v = calloc(st_add(nnow, nbefore) ? st_add(nnow, nbefore) : 1, sizeof(*v));
	struct ipset_tags tags = { 0 };
	cordon_code rc = CORDON_OK;
	if (!kb || !kn || !byn || !paired || !v) {
		rc = CORDON_ERR_NOMEM;
		goto out;
	}
	size_t i = 0, j = 0;
	while (i < nnow) {
		int c = j == nbefore ? -1 : strcmp(kn[i].e->fingerprint, kb[j].e->fingerprint);
		struct cordon_report_item *it = &byn[kn[i].at];
		it->now = kn[i].e;
		if (c < 0) {
			it->change = CORDON_CHANGE_OPENED;
			i++;
		} else if (c > 0) {
			j++;
		} else {
			int ch = compare(kb[j].e, kn[i].e, &tags);
			if (ch < 0) {
				rc = CORDON_ERR_NOMEM;
				goto out;
			}
			it->before = kb[j].e;
			it->change = (cordon_change)ch;
			paired[kb[j].at] = 1;
			i++, j++;
		}
	}
	size_t n = 0;
	for (size_t k = 0; k < nnow; k++)
		if (byn[k].change != CORDON_CHANGE_NONE || keep_same)
			v[n++] = byn[k];
	for (size_t k = 0; k < nbefore; k++)
		if (!paired[k])
			v[n++] = (struct cordon_report_item){ NULL, &before[k], CORDON_CHANGE_CLOSED, NULL };
	*out = v;
	*nout = n;
	v = NULL;
out:
	free(kb);
	free(kn);
	free(byn);
	free(paired);
	free(v);
	ipset_tags_free(&tags);
	return rc;
}

int cordon_report_item_fails(const struct cordon_report_item *it, cordon_severity level, int baseline)
{
	if (!it || !it->now || it->ignored)
		return 0;
	if (baseline && it->change != CORDON_CHANGE_OPENED && it->change != CORDON_CHANGE_WIDENED)
		return 0;
	return it->now->severity >= level;
}
