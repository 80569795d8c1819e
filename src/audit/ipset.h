/* Address sets for the audit: sorted, disjoint, inclusive intervals over one
 * 128-bit space. IPv6 addresses are themselves; an IPv4 address a.b.c.d is
 * ::ffff:a.b.c.d. Named sources that are not address ranges (cloud service
 * tags such as AzureCloud) get a pseudo range each inside 0100::/64, the
 * discard prefix, so set arithmetic treats them like addresses and a deny of
 * the tag removes exactly the tag. */
#ifndef CORDON_AUDIT_IPSET_H
#define CORDON_AUDIT_IPSET_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 u128;

struct iv {
	u128 lo, hi;
};

struct ipset {
	struct iv *v;
	size_t n, cap;
	int failed; /* out of memory: the set is unusable */
};

void ipset_free(struct ipset *s);
void ipset_clear(struct ipset *s);
void ipset_add(struct ipset *s, u128 lo, u128 hi);
void ipset_union(struct ipset *s, const struct ipset *t);
/* s = s \ t */
void ipset_subtract(struct ipset *s, const struct ipset *t);
/* out = a ∩ b (out is cleared first) */
void ipset_intersect(struct ipset *out, const struct ipset *a, const struct ipset *b);
int ipset_equal(const struct ipset *a, const struct ipset *b);
int ipset_copy(struct ipset *dst, const struct ipset *src);
/* How many addresses (saturating at 2^64). */
uint64_t ipset_size_sat(const struct ipset *s);

/* Adds "10.0.0.0/8", "203.0.113.7", "2001:db8::/32" or "::/0". -1 when it
 * is none of these. */
int ipset_add_cidr(struct ipset *s, const char *text);
/* text[0, n) as an address ("203.0.113.7" as ::ffff:203.0.113.7,
 * "2001:db8::7"), or -1. */
int ipset_addr(const char *text, size_t n, u128 *out);
/* The range "10.0.0.0/8", "2001:db8::/32" or one address stands for, or -1. */
int ipset_range(const char *text, u128 *lo, u128 *hi);
/* Is x in s? (binary search) */
int ipset_contains(const struct ipset *s, u128 x);
/* The address as text ("203.0.113.7", "2001:db8::7"); out holds 46 bytes. */
void ipset_addr_text(u128 x, char out[46]);

/* The address universe of each kind. */
void ipset_all(struct ipset *s);                /* every address, v4 and v6, and every tag */
void ipset_internet(struct ipset *s);           /* public v4 and v6, and every tag */
void ipset_private(struct ipset *s);            /* RFC 1918, CGNAT, unique-local */

/* Tags: the names given pseudo ranges, one table per audit. An Internet tag
 * (a cloud service tag: public addresses) lies inside the Internet set; a
 * private one (a security group, a source tag, an application security
 * group: instances of the network) outside it. */
enum { IPSET_MAX_TAGS = 1 << 24 };
struct tag_table {
	char **names;
	size_t n, cap;
	size_t *slots; /* index + 1 into names, 0: empty (open addressing) */
	size_t nslots;
};
struct ipset_tags {
	struct tag_table pub, priv;
	int full; /* a table reached IPSET_MAX_TAGS */
};
void ipset_tags_free(struct ipset_tags *t);
/* The range of a tag, made on first use. -1 when out of memory or when
 * IPSET_MAX_TAGS names of a kind are taken (then t->full is set). */
int ipset_tag(struct ipset_tags *t, const char *name, u128 *lo, u128 *hi);
int ipset_private_tag(struct ipset_tags *t, const char *name, u128 *lo, u128 *hi);

/* The set as a finding's sources (struct cordon_exposure): fn(ctx, 0,
 * item) for each item, then fn(ctx, 1, item) for each range the item
 * before leaves out. Items are CIDRs, "tag:NAME" (an Internet tag),
 * "tag:*" (every Internet tag, when no whole family says so), a private
 * tag's name, "0.0.0.0/0" and "::/0" for all of the public IPv4 and
 * IPv6 Internet; each family is written as all of it, all of it except a
 * few ranges, or its ranges, whichever is shorter. *v4: the IPv4 addresses
 * in the set. -1 when out of memory or when fn fails. */
int ipset_describe(const struct ipset *s, const struct ipset_tags *t,
		   int (*fn)(void *ctx, int except, const char *item), void *ctx, uint64_t *v4);
/* The public IPv4 space, and all of the public IPv6 space (as
 * ipset_describe's "0.0.0.0/0" and "::/0" mean them). */
void ipset_public4(struct ipset *s);
void ipset_public6(struct ipset *s);

#endif
