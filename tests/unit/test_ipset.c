/* The audit's address sets: CIDR parsing, union, subtraction and
 * intersection against a bitmap model, the Internet universe, tags, and
 * how sets are written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "audit/ipset.h"

static u128 v4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return ((u128)0xffff << 32) | (u128)(a << 24 | b << 16 | c << 8 | d);
}

static void test_cidr(void **state)
{
	(void)state;
	struct ipset s = { 0 };
	assert_int_equal(ipset_add_cidr(&s, "10.1.2.0/24"), 0);
	assert_int_equal(s.n, 1);
	assert_true(s.v[0].lo == v4(10, 1, 2, 0) && s.v[0].hi == v4(10, 1, 2, 255));
	assert_int_equal(ipset_add_cidr(&s, "10.1.3.7"), 0); /* a host; not adjacent */
	assert_int_equal(s.n, 2);
	assert_int_equal(ipset_add_cidr(&s, "10.1.3.0/29"), 0); /* touches the /24: merges */
	assert_int_equal(s.n, 1);
	assert_true(s.v[0].hi == v4(10, 1, 3, 7));
	assert_int_equal(ipset_size_sat(&s), 256 + 8);
	assert_int_equal(ipset_add_cidr(&s, "10.0.0.1/33"), -1);
	assert_int_equal(ipset_add_cidr(&s, "10.0.0/8"), -1);
	assert_int_equal(ipset_add_cidr(&s, "Internet"), -1);
	assert_int_equal(ipset_add_cidr(&s, "2001:db8::/32"), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(ipset_size_sat(&s), UINT64_MAX); /* a /32 of IPv6 saturates */
	ipset_free(&s);
}

/* Random sets of intervals inside 1.0.0.0/24, checked against bitmaps. */
static void from_bits(struct ipset *s, const unsigned char *bits)
{
	ipset_clear(s);
	for (int i = 0; i < 256; i++)
		if (bits[i])
			ipset_add(s, v4(1, 0, 0, (unsigned)i), v4(1, 0, 0, (unsigned)i));
}

static void check(const struct ipset *s, const unsigned char *bits)
{
	unsigned char got[256] = { 0 };
	for (size_t k = 0; k < s->n; k++) {
		assert_true(s->v[k].lo <= s->v[k].hi);
		if (k)
			assert_true(s->v[k - 1].hi + 1 < s->v[k].lo); /* sorted, disjoint, not touching */
		for (u128 x = s->v[k].lo; x <= s->v[k].hi; x++)
			got[(unsigned)(x - v4(1, 0, 0, 0))] = 1;
	}
	assert_memory_equal(got, bits, 256);
}

static void test_against_bitmaps(void **state)
{
	(void)state;
	srand(7);
	struct ipset a = { 0 }, b = { 0 }, r = { 0 };
	for (int round = 0; round < 500; round++) {
		unsigned char ba[256] = { 0 }, bb[256] = { 0 }, want[256];
		for (int k = rand() % 6; k > 0; k--) { /* a few random ranges each */
			int lo = rand() % 256, n = rand() % 40;
			for (int i = lo; i < 256 && i <= lo + n; i++)
				ba[i] = 1;
			ipset_add(&a, v4(1, 0, 0, (unsigned)lo), v4(1, 0, 0, (unsigned)(lo + n > 255 ? 255 : lo + n)));
		}
		from_bits(&b, ba); /* the same set, built one address at a time */
		assert_true(ipset_equal(&a, &b));
		for (int k = rand() % 6; k > 0; k--) {
			int lo = rand() % 256, n = rand() % 40;
			for (int i = lo; i < 256 && i <= lo + n; i++)
				bb[i] = 1;
		}
		from_bits(&b, bb);
		for (int i = 0; i < 256; i++)
			want[i] = ba[i] && bb[i];
		ipset_intersect(&r, &a, &b);
		check(&r, want);
		for (int i = 0; i < 256; i++)
			want[i] = ba[i] || bb[i];
		ipset_copy(&r, &a);
		ipset_union(&r, &b);
		check(&r, want);
		for (int i = 0; i < 256; i++)
			want[i] = ba[i] && !bb[i];
		ipset_copy(&r, &a);
		ipset_subtract(&r, &b);
		check(&r, want);
		ipset_clear(&a);
	}
	ipset_free(&a);
	ipset_free(&b);
	ipset_free(&r);
}

static void test_internet(void **state)
{
	(void)state;
	struct ipset net = { 0 }, probe = { 0 }, r = { 0 };
	ipset_internet(&net);
	static const struct {
		const char *cidr;
		int public;
	} cases[] = {
		{ "8.8.8.8", 1 },       { "203.0.113.9", 1 }, { "10.2.3.4", 0 },      { "172.16.0.1", 0 },
		{ "172.32.0.1", 1 },    { "192.168.1.1", 0 }, { "127.0.0.1", 0 },     { "169.254.1.1", 0 },
		{ "100.64.0.1", 0 },    { "100.128.0.1", 1 }, { "2001:4860::8888", 1 }, { "::1", 0 },
		{ "fd00::1", 0 },       { "fe80::1", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ipset_clear(&probe);
		assert_int_equal(ipset_add_cidr(&probe, cases[i].cidr), 0);
		ipset_intersect(&r, &probe, &net);
		if ((r.n != 0) != cases[i].public)
			fail_msg("%s: public is %d", cases[i].cidr, r.n != 0);
	}
	ipset_free(&net);
	ipset_free(&probe);
	ipset_free(&r);
}

/* ipset_describe's items, joined: "items | except" */
struct joined {
	char text[512];
};

static int join_item(void *ctx, int except, const char *item)
{
	struct joined *j = ctx;
	size_t n = strlen(j->text);
	const char *bar = strchr(j->text, '|');
	if (except && !bar)
		snprintf(j->text + n, sizeof(j->text) - n, " | %s", item);
	else
		snprintf(j->text + n, sizeof(j->text) - n, "%s%s", n && !(except && bar && !bar[2]) ? ", " : "", item);
	return 0;
}

static const char *describe(const struct ipset *s, const struct ipset_tags *tags, uint64_t *v4)
{
	static struct joined j;
	j.text[0] = '\0';
	assert_int_equal(ipset_describe(s, tags, join_item, &j, v4), 0);
	return j.text;
}

static void test_describe(void **state)
{
	(void)state;
	struct ipset s = { 0 }, cut = { 0 };
	struct ipset_tags tags = { 0 };
	uint64_t v4;
	/* the Internet: both families whole; every tag is in it, unnamed */
	ipset_internet(&s);
	assert_string_equal(describe(&s, &tags, &v4), "0.0.0.0/0, ::/0");
	assert_true(v4 > 3000000000u && v4 < 4294967296u);
	ipset_add_cidr(&cut, "203.0.113.0/24");
	ipset_subtract(&s, &cut);
	assert_string_equal(describe(&s, &tags, &v4), "0.0.0.0/0 | 203.0.113.0/24, ::/0");
	/* IPv4 only (an AWS rule of 0.0.0.0/0): no IPv6 item, no "except 2000::/3" */
	ipset_clear(&s);
	ipset_add_cidr(&cut, "0.0.0.0/0");
	struct ipset net = { 0 };
	ipset_internet(&net);
	struct ipset any4 = { 0 };
	ipset_add_cidr(&any4, "0.0.0.0/0");
	ipset_intersect(&s, &any4, &net);
	assert_string_equal(describe(&s, &tags, &v4), "0.0.0.0/0");
	/* a few ranges: listed, Internet first, counted */
	ipset_clear(&s);
	ipset_add_cidr(&s, "10.0.0.0/8");
	ipset_add_cidr(&s, "198.51.100.0/25");
	ipset_add_cidr(&s, "198.51.100.128/26");
	assert_string_equal(describe(&s, &tags, &v4), "198.51.100.0/25, 198.51.100.128/26, 10.0.0.0/8");
	assert_int_equal(v4, 128 + 64 + (1u << 24));
	/* a tag by name */
	u128 lo, hi;
	assert_int_equal(ipset_tag(&tags, "AzureCloud", &lo, &hi), 0);
	ipset_clear(&s);
	ipset_add(&s, lo, hi);
	assert_string_equal(describe(&s, &tags, &v4), "tag:AzureCloud");
	assert_int_equal(v4, 0);
	/* a private tag (a security group) by name */
	assert_int_equal(ipset_private_tag(&tags, "sg-app", &lo, &hi), 0);
	ipset_clear(&s);
	ipset_add(&s, lo, hi);
	assert_string_equal(describe(&s, &tags, &v4), "sg-app");
	/* every address: the Internet and every non-Internet range, written
	 * without overflowing a shift at the top of the space */
	ipset_all(&s);
	const char *all = describe(&s, &tags, &v4);
	assert_non_null(strstr(all, "0.0.0.0/0"));
	assert_non_null(strstr(all, "10.0.0.0/8"));
	/* ::/0 is IPv6 only: not the IPv4 space */
	ipset_clear(&s);
	assert_int_equal(ipset_add_cidr(&s, "::/0"), 0);
	ipset_clear(&cut);
	ipset_add_cidr(&cut, "8.8.8.8");
	struct ipset both = { 0 };
	ipset_intersect(&both, &s, &cut);
	assert_int_equal(both.n, 0);
	ipset_free(&both);
	/* a tag is part of the Internet: denying Internet removes it too */
	assert_int_equal(ipset_tag(&tags, "Storage", &lo, &hi), 0);
	ipset_clear(&s);
	ipset_add(&s, lo, hi);
	ipset_subtract(&s, &net);
	assert_int_equal(s.n, 0);
	ipset_free(&net);
	ipset_free(&any4);
	ipset_free(&s);
	ipset_free(&cut);
	ipset_tags_free(&tags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_against_bitmaps),
		cmocka_unit_test(test_internet),
		cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
