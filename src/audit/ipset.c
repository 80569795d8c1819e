/* Interval sets over the 128-bit address space (see ipset.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/ipset.h"
#include "util/alloc.h"

#define U128(hi, lo) (((u128)(hi) << 64) | (u128)(lo))
#define V4(a) (U128(0, 0xffff00000000ull) | (u128)(uint32_t)(a))
static const u128 V4_LO = U128(0, 0xffff00000000ull);
static const u128 V4_HI = U128(0, 0xffffffffffffull);
static const u128 ALL_HI = ~(u128)0;
static const u128 TAG_BASE = U128(0x0100000000000000ull, 0); /* 0100::/64 */

enum { MAX_TAGS = IPSET_MAX_TAGS };
/* private tags: the next /64 after the Internet ones */
static const u128 PTAG_BASE = U128(0x0100000000000001ull, 0);

void ipset_free(struct ipset *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

void ipset_clear(struct ipset *s)
{
	s->n = 0;
}

static int reserve(struct ipset *s, size_t n)
{
	/* most rules have one or two source ranges: the first allocation is
	 * exact (ALLOC_GROW's 16 cost 25 MB over 100,000 rules) */
	if (!s->cap && n && n <= 2) {
		if (!(s->v = malloc(2 * sizeof(*s->v)))) {
			s->failed = 1;
			return -1;
		}
		s->cap = 2;
		return 0;
	}
	if (ALLOC_GROW(s->v, n, s->cap)) {
		s->failed = 1;
		return -1;
	}
	return 0;
}

/* Appends [lo, hi], which starts at or after the last interval's start,
 * merging it with the last when they touch. */
static void push(struct ipset *s, u128 lo, u128 hi)
{
	if (s->n) {
		struct iv *last = &s->v[s->n - 1];
		if (last->hi == ALL_HI || lo <= last->hi + 1) {
			if (hi > last->hi)
				last->hi = hi;
			return;
		}
	}
	if (reserve(s, s->n + 1))
		return;
	s->v[s->n++] = (struct iv){ lo, hi };
}

void ipset_add(struct ipset *s, u128 lo, u128 hi)
{
	if (lo > hi)
		return;
	if (!s->n || lo >= s->v[s->n - 1].lo) { /* in order: the common case */
		push(s, lo, hi);
		return;
	}
	/* the first interval that ends at or after lo - 1 (touching ones merge) */
	size_t a = 0, b = s->n;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (s->v[m].hi < lo && s->v[m].hi + 1 < lo)
			a = m + 1;
		else
			b = m;
	}
	size_t i = a, j = i;
	while (j < s->n && (s->v[j].lo <= hi || (hi != ALL_HI && s->v[j].lo == hi + 1))) {
		if (s->v[j].lo < lo)
			lo = s->v[j].lo;
		if (s->v[j].hi > hi)
			hi = s->v[j].hi;
		j++;
	}
	if (j == i) {
		if (reserve(s, s->n + 1))
			return;
		memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
		s->n++;
	} else if (j > i + 1) {
		memmove(s->v + i + 1, s->v + j, (s->n - j) * sizeof(*s->v));
		s->n -= j - i - 1;
	}
	s->v[i] = (struct iv){ lo, hi };
}

/* s ∪ t by one merge of the two sorted lists. */
void ipset_union(struct ipset *s, const struct ipset *t)
{
	if (!t->n)
		return;
	if (!s->n || t->v[0].lo > s->v[s->n - 1].hi) {
		for (size_t k = 0; k < t->n; k++)
			push(s, t->v[k].lo, t->v[k].hi);
		return;
	}
	struct ipset r = { 0 };
	if (reserve(&r, s->n + t->n)) {
		s->failed = 1;
		return;
	}
	size_t i = 0, j = 0;
	while (i < s->n || j < t->n) {
		const struct iv *x = j >= t->n || (i < s->n && s->v[i].lo <= t->v[j].lo) ? &s->v[i++] : &t->v[j++];
		push(&r, x->lo, x->hi);
	}
	r.failed |= s->failed;
	free(s->v);
	*s = r;
}

void ipset_intersect(struct ipset *out, const struct ipset *a, const struct ipset *b)
{
	ipset_clear(out);
	size_t i = 0, j = 0;
	while (i < a->n && j < b->n) {
		u128 lo = a->v[i].lo > b->v[j].lo ? a->v[i].lo : b->v[j].lo;
		u128 hi = a->v[i].hi < b->v[j].hi ? a->v[i].hi : b->v[j].hi;
		if (lo <= hi) {
			if (reserve(out, out->n + 1))
				return;
			out->v[out->n++] = (struct iv){ lo, hi };
		}
		if (a->v[i].hi < b->v[j].hi)
			i++;
		else
			j++;
	}
}

void ipset_subtract(struct ipset *s, const struct ipset *t)
{
	if (!s->n || !t->n)
		return;
	struct ipset r = { 0 };
	size_t j = 0;
	for (size_t i = 0; i < s->n; i++) {
		u128 lo = s->v[i].lo, hi = s->v[i].hi;
		int alive = 1;
		while (j < t->n && t->v[j].hi < lo)
			j++;
		for (size_t k = j; k < t->n && t->v[k].lo <= hi && alive; k++) {
			if (t->v[k].lo > lo)
				push(&r, lo, t->v[k].lo - 1);
			if (t->v[k].hi >= hi)
				alive = 0;
			else
				lo = t->v[k].hi + 1;
		}
		if (alive)
			push(&r, lo, hi);
	}
	r.failed |= s->failed;
	free(s->v);
	*s = r;
}

int ipset_equal(const struct ipset *a, const struct ipset *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t k = 0; k < a->n; k++)
		if (a->v[k].lo != b->v[k].lo || a->v[k].hi != b->v[k].hi)
			return 0;
	return 1;
}

int ipset_copy(struct ipset *dst, const struct ipset *src)
{
	ipset_clear(dst);
	if (reserve(dst, src->n))
		return -1;
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->n = src->n;
	return 0;
}

uint64_t ipset_size_sat(const struct ipset *s)
{
	u128 total = 0;
	for (size_t k = 0; k < s->n; k++) {
		total += s->v[k].hi - s->v[k].lo + 1;
		if (total >> 64)
			return UINT64_MAX;
	}
	return (uint64_t)total;
}

static int prefix_range(const char *text, u128 *lo, u128 *hi)
{
	char buf[64];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	unsigned char a[16];
	int v4 = inet_pton(AF_INET, buf, a) == 1;
	if (!v4 && inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	int bits = v4 ? 32 : 128;
	if (slash) {
		char *end;
		long p = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || p < 0 || p > bits)
			return -1;
		bits = (int)p;
	}
	u128 x = 0;
	if (v4) {
		x = V4((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]);
		bits += 96;
	} else {
		for (int k = 0; k < 16; k++)
			x = x << 8 | a[k];
	}
	u128 host = bits == 128 ? 0 : (~(u128)0 >> bits);
	*lo = x & ~host;
	*hi = *lo | host;
	return 0;
}

int ipset_range(const char *text, u128 *lo, u128 *hi)
{
	return prefix_range(text, lo, hi);
}

int ipset_addr(const char *text, size_t n, u128 *out)
{
	char buf[64];
	if (!n || n >= sizeof(buf) || memchr(text, '/', n))
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	u128 hi;
	return prefix_range(buf, out, &hi);
}

int ipset_contains(const struct ipset *s, u128 x)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid].hi < x)
			lo = mid + 1;
		else if (s->v[mid].lo > x)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

void ipset_addr_text(u128 x, char out[46])
{
	if (x >= V4_LO && x <= V4_HI) {
		uint32_t a = (uint32_t)x;
		snprintf(out, 46, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
		return;
	}
	unsigned char b[16];
	for (int k = 15; k >= 0; k--, x >>= 8)
		b[k] = (unsigned char)x;
	if (!inet_ntop(AF_INET6, b, out, 46))
		snprintf(out, 46, "?");
}

static void add_all_tags(struct ipset *s);

int ipset_add_cidr(struct ipset *s, const char *text)
{
	u128 lo, hi;
	if (prefix_range(text, &lo, &hi))
		return -1;
	if (lo <= V4_LO && hi >= V4_HI && !(lo == V4_LO && hi == V4_HI)) {
		/* an IPv6 prefix holding ::ffff:0:0/96 ("::/0"): IPv6 only, the
		 * IPv4 space is not part of it */
		ipset_add(s, lo, V4_LO - 1);
		if (hi > V4_HI)
			ipset_add(s, V4_HI + 1, hi);
		return 0;
	}
	ipset_add(s, lo, hi);
	if (lo == V4_LO && hi == V4_HI)
		add_all_tags(s); /* 0.0.0.0/0 holds every service tag's addresses */
	return 0;
}

static void add_all_tags(struct ipset *s)
{
	ipset_add(s, TAG_BASE, TAG_BASE + (((u128)MAX_TAGS) << 32) - 1);
}

void ipset_all(struct ipset *s)
{
	ipset_clear(s);
	ipset_add(s, 0, ALL_HI);
}

static const char *const not_internet[] = {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
	"100.64.0.0/10", "::1/128", "fe80::/10", "fc00::/7", NULL,
};

void ipset_internet(struct ipset *s)
{
	struct ipset minus = { 0 };
	ipset_clear(s);
	ipset_add(s, V4_LO, V4_HI);            /* all of IPv4 */
	ipset_add_cidr(s, "2000::/3");        /* global unicast IPv6 */
	add_all_tags(s);
	for (const char *const *p = not_internet; *p; p++)
		ipset_add_cidr(&minus, *p);
	ipset_subtract(s, &minus);
	ipset_free(&minus);
}

void ipset_private(struct ipset *s)
{
	ipset_clear(s);
	for (const char *const *p = not_internet; *p; p++)
		if (strcmp(*p, "127.0.0.0/8") && strcmp(*p, "::1/128") && strcmp(*p, "169.254.0.0/16") &&
		    strcmp(*p, "fe80::/10"))
			ipset_add_cidr(s, *p);
}

static void table_free(struct tag_table *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->names[k]);
	free(t->names);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

void ipset_tags_free(struct ipset_tags *t)
{
	table_free(&t->pub);
	table_free(&t->priv);
}

static size_t name_hash(const char *s, int nocase)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (nocase && c >= 'A' && c <= 'Z')
			c |= 0x20;
		h = (h ^ c) * 1099511628211ULL;
	}
	return h;
}

static int find_or_add(struct ipset_tags *tags, struct tag_table *t, const char *name, int nocase)
{
	if ((t->n + 1) * 2 > t->nslots) {
		size_t n = t->nslots ? t->nslots * 2 : 64;
		size_t *slots = calloc(n, sizeof(*slots));
		if (!slots)
			return -1;
		for (size_t k = 0; k < t->n; k++) {
			size_t h = name_hash(t->names[k], nocase) & (n - 1);
			while (slots[h])
				h = (h + 1) & (n - 1);
			slots[h] = k + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->nslots = n;
	}
	size_t h = name_hash(name, nocase) & (t->nslots - 1);
	for (; t->slots[h]; h = (h + 1) & (t->nslots - 1)) {
		const char *c = t->names[t->slots[h] - 1];
		if (nocase ? !strcasecmp(c, name) : !strcmp(c, name))
			return (int)(t->slots[h] - 1);
	}
	if (t->n == MAX_TAGS) {
		tags->full = 1;
		return -1;
	}
	if (ALLOC_GROW(t->names, t->n + 1, t->cap) || !(t->names[t->n] = strdup(name)))
		return -1;
	t->slots[h] = ++t->n;
	return (int)(t->n - 1);
}

int ipset_tag(struct ipset_tags *t, const char *name, u128 *lo, u128 *hi)
{
	int k = find_or_add(t, &t->pub, name, 1); /* Azure tags ignore case */
	if (k < 0)
		return -1;
	*lo = TAG_BASE + ((u128)k << 32);
	*hi = *lo + 0xffffffffu;
	return 0;
}

int ipset_private_tag(struct ipset_tags *t, const char *name, u128 *lo, u128 *hi)
{
	int k = find_or_add(t, &t->priv, name, 0);
	if (k < 0)
		return -1;
	*lo = PTAG_BASE + ((u128)k << 32);
	*hi = *lo + 0xffffffffu;
	return 0;
}

struct emit {
	int (*fn)(void *ctx, int except, const char *item);
	void *ctx;
	int except;
	int failed;
	int any_all; /* "0.0.0.0/0" or "::/0" was written */
};

static void put(struct emit *e, const char *item)
{
	if (!e->failed && e->fn(e->ctx, e->except, item))
		e->failed = 1;
}

/* Emits the CIDRs (or tag names) covering [lo, hi]. */
static void put_range(const struct ipset_tags *t, struct emit *out, u128 lo, u128 hi)
{
	if (lo >= PTAG_BASE && hi < PTAG_BASE + (((u128)MAX_TAGS) << 32)) {
		for (size_t k = (size_t)((lo - PTAG_BASE) >> 32); k <= (size_t)((hi - PTAG_BASE) >> 32) && k < t->priv.n; k++)
			put(out, t->priv.names[k]);
		return;
	}
	if (lo >= TAG_BASE && hi < TAG_BASE + (((u128)MAX_TAGS) << 32)) {
		size_t named = 0;
		for (size_t k = (size_t)((lo - TAG_BASE) >> 32); k <= (size_t)((hi - TAG_BASE) >> 32) && k < t->pub.n; k++) {
			char name[600];
			snprintf(name, sizeof(name), "tag:%s", t->pub.names[k]);
			put(out, name);
			named++;
		}
		if (!named) /* a prefix holding the tag space with no tag used by name */
			put(out, "tag:*");
		return;
	}
	while (lo <= hi) {
		/* the largest aligned block at lo that fits */
		int bits = 0;
		while (bits < 128) {
			u128 mask = bits + 1 == 128 ? ALL_HI : ((((u128)1) << (bits + 1)) - 1);
			if ((lo & mask) || hi - lo < mask)
				break; /* the next size is not aligned at lo, or does not fit */
			bits++;
		}
		u128 end = bits == 128 ? ALL_HI : lo + ((((u128)1) << bits) - 1);
		char cidr[64];
		unsigned char a[16];
		if (lo >= V4_LO && end <= V4_HI) {
			uint32_t v = (uint32_t)lo;
			snprintf(cidr, sizeof(cidr), "%u.%u.%u.%u/%d", v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255,
				 32 - bits);
		} else {
			for (int k = 15; k >= 0; k--)
				a[k] = (unsigned char)(lo >> (8 * (15 - k)));
			char addr[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, a, addr, sizeof(addr));
			snprintf(cidr, sizeof(cidr), "%s/%d", addr, 128 - bits);
		}
		put(out, cidr);
		if (end == ALL_HI)
			break;
		lo = end + 1;
	}
}

static void put_set(const struct ipset_tags *t, struct emit *out, const struct ipset *s)
{
	for (size_t k = 0; k < s->n; k++)
		put_range(t, out, s->v[k].lo, s->v[k].hi);
}

/* One family's part of the Internet: all of it ("0.0.0.0/0"), most of it
 * (all, except the few ranges missing), or its ranges. */
static void describe_family(const struct ipset_tags *t, struct emit *out, const struct ipset *have,
			    const struct ipset *whole, const char *all)
{
	struct ipset missing = { 0 };
	if (!have->n)
		return;
	ipset_copy(&missing, whole);
	ipset_subtract(&missing, have);
	if (missing.failed) {
		out->failed = 1;
	} else if (!missing.n) {
		put(out, all);
		out->any_all = 1;
	} else if (missing.n < have->n) {
		put(out, all);
		out->any_all = 1;
		out->except = 1;
		put_set(t, out, &missing);
		out->except = 0;
	} else {
		put_set(t, out, have);
	}
	ipset_free(&missing);
}

static uint64_t v4_count(const struct ipset *s)
{
	uint64_t n = 0;
	for (size_t k = 0; k < s->n; k++) {
		u128 lo = s->v[k].lo > V4_LO ? s->v[k].lo : V4_LO, hi = s->v[k].hi < V4_HI ? s->v[k].hi : V4_HI;
		if (lo <= hi)
			n += (uint64_t)(hi - lo) + 1;
	}
	return n;
}

int ipset_describe(const struct ipset *s, const struct ipset_tags *t,
		   int (*fn)(void *ctx, int except, const char *item), void *ctx, uint64_t *v4)
{
	struct emit out = { fn, ctx, 0, 0, 0 };
	struct ipset net = { 0 }, fam = { 0 }, have = { 0 }, tags = { 0 }, rest = { 0 };
	ipset_internet(&net);
	/* the public IPv4 space, then the public IPv6 space */
	ipset_add(&fam, V4_LO, V4_HI);
	ipset_intersect(&have, &fam, &net);
	ipset_copy(&fam, &have);
	ipset_intersect(&have, s, &fam);
	describe_family(t, &out, &have, &fam, "0.0.0.0/0");
	*v4 = v4_count(s);
	ipset_clear(&fam);
	ipset_add_cidr(&fam, "2000::/3");
	ipset_intersect(&have, &fam, &net);
	ipset_copy(&fam, &have);
	ipset_intersect(&have, s, &fam);
	describe_family(t, &out, &have, &fam, "::/0");
	/* service tags: holding every one is holding none by name (the
	 * Internet's addresses say it, or "tag:*" when they do not) */
	ipset_clear(&fam);
	add_all_tags(&fam);
	ipset_intersect(&tags, s, &fam);
	if (!ipset_equal(&tags, &fam))
		put_set(t, &out, &tags);
	else if (!out.any_all)
		put(&out, "tag:*");
	/* then what is not the Internet */
	ipset_copy(&rest, s);
	ipset_subtract(&rest, &net);
	put_set(t, &out, &rest);
	int failed = out.failed || net.failed || fam.failed || have.failed || tags.failed || rest.failed;
	ipset_free(&net);
	ipset_free(&fam);
	ipset_free(&have);
	ipset_free(&tags);
	ipset_free(&rest);
	return failed ? -1 : 0;
}

void ipset_public4(struct ipset *s)
{
	struct ipset net = { 0 }, v4 = { 0 };
	ipset_internet(&net);
	ipset_add(&v4, V4_LO, V4_HI);
	ipset_intersect(s, &v4, &net);
	if (net.failed || v4.failed)
		s->failed = 1;
	ipset_free(&net);
	ipset_free(&v4);
}

void ipset_public6(struct ipset *s)
{
	struct ipset net = { 0 }, v6 = { 0 };
	ipset_internet(&net);
	ipset_add_cidr(&v6, "2000::/3");
	ipset_intersect(s, &v6, &net);
	if (net.failed || v6.failed)
		s->failed = 1;
	ipset_free(&net);
	ipset_free(&v6);
}
