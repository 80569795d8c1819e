/* The walk (see walk.h). */
#include <stdlib.h>
#include <string.h>
#include "audit/walk.h"
#include "util/alloc.h"

static const u128 ALL_HI = ~(u128)0;

struct walk_event {
	u128 at;
	uint32_t rule; /* index into the covering rules */
	int start;     /* the interval starts at `at` (else it ended just before) */
};

struct walk_rule {
	const struct arule *r;
	int active;
	uint64_t net, broad; /* addresses taken, of the Internet and of broad ranges */
};

struct walk_owned {
	u128 lo, hi;
	uint32_t rule;
};

void walk_scratch_free(struct walk_scratch *w)
{
	free(w->ev);
	free(w->heap);
	free(w->rules);
	free(w->owned);
	memset(w, 0, sizeof(*w));
}

void reach_free(struct reach *r)
{
	ipset_free(&r->reached);
	ipset_free(&r->wide);
	free(r->rules);
	r->rules = NULL;
	r->nrules = r->caprules = 0;
}

static int covers(const struct arule *r, unsigned port, cordon_protocol proto)
{
	if (!(r->protos & proto))
		return 0;
	if (!r->ports)
		return 1;
	for (size_t k = 0; k < r->nports; k++)
		if (port >= r->ports[k].lo && port <= r->ports[k].hi)
			return 1;
	return 0;
}

static int by_position(const void *pa, const void *pb)
{
	const struct walk_event *a = pa, *b = pb;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* The heap of rules in force, the first rule (lowest index) on top. */
static int heap_push(struct walk_scratch *w, uint32_t k)
{
	if (ALLOC_GROW(w->heap, w->nheap + 1, w->capheap))
		return -1;
	size_t i = w->nheap++;
	while (i && w->heap[(i - 1) / 2] > k) {
		w->heap[i] = w->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w->heap[i] = k;
	return 0;
}

static void heap_pop(struct walk_scratch *w)
{
	uint32_t last = w->heap[--w->nheap];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && w->heap[c + 1] < w->heap[c])
			c++;
		if (w->heap[c] >= last)
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->nheap)
		w->heap[i] = last;
}

static int own(struct walk_scratch *w, u128 lo, u128 hi, uint32_t k)
{
	if (w->nowned && w->owned[w->nowned - 1].rule == k && w->owned[w->nowned - 1].hi != ALL_HI &&
	    w->owned[w->nowned - 1].hi + 1 == lo) {
		w->owned[w->nowned - 1].hi = hi;
		return 0;
	}
	if (ALLOC_GROW(w->owned, w->nowned + 1, w->capowned))
		return -1;
	w->owned[w->nowned++] = (struct walk_owned){ lo, hi, k };
	return 0;
}

/* First match: each address to the first covering rule holding it. */
static int sweep_first_match(struct walk_scratch *w)
{
	w->nev = 0;
	for (uint32_t k = 0; k < w->nrules; k++) {
		const struct ipset *src = &w->rules[k].r->src;
		if (ALLOC_GROW(w->ev, st_add(w->nev, st_mult(src->n, 2)), w->capev))
			return -1;
		for (size_t i = 0; i < src->n; i++) {
			w->ev[w->nev++] = (struct walk_event){ src->v[i].lo, k, 1 };
			if (src->v[i].hi != ALL_HI)
				w->ev[w->nev++] = (struct walk_event){ src->v[i].hi + 1, k, 0 };
		}
	}
	if (w->nev > 1)
		qsort(w->ev, w->nev, sizeof(*w->ev), by_position);
	w->nheap = 0;
	for (size_t i = 0; i < w->nev;) {
		u128 at = w->ev[i].at;
		for (; i < w->nev && w->ev[i].at == at; i++) {
			struct walk_rule *wr = &w->rules[w->ev[i].rule];
			if (w->ev[i].start) {
				if (!wr->active++ && heap_push(w, w->ev[i].rule))
					return -1;
			} else {
				wr->active--;
			}
		}
		while (w->nheap && !w->rules[w->heap[0]].active)
			heap_pop(w);
		if (!w->nheap)
			continue;
		uint32_t owner = w->heap[0];
		if (!w->rules[owner].r->allow)
			continue; /* a deny takes it: nobody gets in */
		u128 hi = i < w->nev ? w->ev[i].at - 1 : ALL_HI;
		if (own(w, at, hi, owner))
			return -1;
	}
	return 0;
}

/* Security groups: every allow rule takes all its sources. */
static int sweep_union(struct walk_scratch *w)
{
	w->nowned = 0;
	for (uint32_t k = 0; k < w->nrules; k++) {
		const struct ipset *src = &w->rules[k].r->src;
		for (size_t i = 0; i < src->n; i++)
			if (ALLOC_GROW(w->owned, w->nowned + 1, w->capowned))
				return -1;
			else
				w->owned[w->nowned++] = (struct walk_owned){ src->v[i].lo, src->v[i].hi, k };
	}
	return 0;
}

static uint64_t add_sat(uint64_t a, u128 b)
{
	u128 s = (u128)a + b;
	return s >> 64 ? UINT64_MAX : (uint64_t)s;
}

/* Adds to each owner the size of [lo, hi] ∩ set. */
static void measure(struct walk_scratch *w, const struct ipset *set, int broad)
{
	for (size_t i = 0; i < w->nowned; i++) {
		const struct walk_owned *o = &w->owned[i];
		/* the first interval of set ending at or after o->lo */
		size_t a = 0, b = set->n;
		while (a < b) {
			size_t m = a + (b - a) / 2;
			if (set->v[m].hi < o->lo)
				a = m + 1;
			else
				b = m;
		}
		for (size_t k = a; k < set->n && set->v[k].lo <= o->hi; k++) {
			u128 lo = set->v[k].lo > o->lo ? set->v[k].lo : o->lo;
			u128 hi = set->v[k].hi < o->hi ? set->v[k].hi : o->hi;
			struct walk_rule *wr = &w->rules[o->rule];
			if (broad)
				wr->broad = add_sat(wr->broad, hi - lo + 1 ? hi - lo + 1 : ALL_HI);
			else
				wr->net = add_sat(wr->net, hi - lo + 1 ? hi - lo + 1 : ALL_HI);
		}
	}
}

static int by_start(const void *pa, const void *pb)
{
	const struct walk_owned *a = pa, *b = pb;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static int add_rule(struct reach *out, const struct arule *r)
{
	if (ALLOC_GROW(out->rules, out->nrules + 1, out->caprules))
		return -1;
	out->rules[out->nrules++] = r;
	return 0;
}

int reach_of(struct walk_scratch *w, const struct ruleset *rs, unsigned port, cordon_protocol proto,
	     const struct ipset *internet, const struct ipset *broad, struct reach *out)
{
	ipset_clear(&out->reached);
	ipset_clear(&out->wide);
	out->reached.failed = out->wide.failed = 0;
	out->best_rule = NULL;
	out->nrules = 0;
	w->nrules = w->nowned = 0;
	for (size_t k = 0; k < rs->n; k++) {
		const struct arule *r = &rs->r[k];
		if (!covers(r, port, proto) || (!r->allow && (rs->order == ORDER_UNION || !r->to_all)))
			continue;
		if (ALLOC_GROW(w->rules, w->nrules + 1, w->caprules))
			return -1;
		w->rules[w->nrules++] = (struct walk_rule){ r, 0, 0, 0 };
	}
	if ((rs->order == ORDER_UNION ? sweep_union(w) : sweep_first_match(w)) < 0)
		return -1;
	measure(w, internet, 0);
	measure(w, broad, 1);
	if (rs->order == ORDER_UNION && w->nowned > 1) /* sources overlap: merge them in order */
		qsort(w->owned, w->nowned, sizeof(*w->owned), by_start);
	for (size_t i = 0; i < w->nowned; i++)
		ipset_add(&out->reached, w->owned[i].lo, w->owned[i].hi);
	/* the rules that let Internet addresses in, the one letting the most
	 * in; else the first explicit rule letting a broad private range in */
	uint64_t best = 0;
	int wide_rule = -1;
	for (uint32_t k = 0; k < w->nrules; k++) {
		const struct walk_rule *wr = &w->rules[k];
		if (wr->net) {
			if (add_rule(out, wr->r))
				return -1;
			if (!best || wr->net > best) {
				best = wr->net;
				out->best_rule = wr->r;
			}
		} else if (wide_rule < 0 && !wr->r->is_default && wr->broad >= 65536) {
			wide_rule = (int)k;
		}
	}
	if (wide_rule >= 0) {
		for (size_t i = 0; i < w->nowned; i++)
			if (w->owned[i].rule == (uint32_t)wide_rule)
				ipset_add(&out->wide, w->owned[i].lo, w->owned[i].hi);
		if (!out->best_rule)
			out->best_rule = w->rules[wide_rule].r;
	}
	return out->reached.failed || out->wide.failed ? -1 : 0;
}
