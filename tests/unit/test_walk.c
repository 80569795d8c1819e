/* The audit's walk (audit/walk.c), a sweep with a heap, against the plain
 * model it must equal: each address goes to the first rule, in order, whose
 * sources hold it, and is let in when that rule allows. Random rule sets
 * over a /24, first-match and union alike; then a large set of distinct
 * hosts, whose answer is known. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "audit/walk.h"

static u128 v4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return ((u128)0xffff << 32) | (u128)(a << 24 | b << 16 | c << 8 | d);
}

static void free_rules(struct ruleset *rs)
{
	for (size_t k = 0; k < rs->n; k++) {
		free(rs->r[k].name);
		free(rs->r[k].ports);
		ipset_free(&rs->r[k].src);
	}
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

static void test_random_against_model(void **state)
{
	(void)state;
	srand(7);
	struct walk_scratch w = { 0 };
	struct ipset internet = { 0 }, broad = { 0 };
	ipset_internet(&internet);
	ipset_private(&broad);
	for (int round = 0; round < 400; round++) {
		struct ruleset rs = { 0 };
		rs.order = round % 4 == 0 ? ORDER_UNION : ORDER_FIRST_MATCH;
		int nrules = 1 + rand() % 12;
		for (int k = 0; k < nrules; k++) {
			char name[16];
			snprintf(name, sizeof(name), "r%d", k);
			int allow = rs.order == ORDER_UNION || rand() % 2;
			struct arule *r = ruleset_rule(&rs, name, k, allow);
			assert_non_null(r);
			r->to_all = rand() % 5 != 0;
			if (rand() % 4 == 0)
				assert_int_equal(arule_add_port_range(r, 9300, 9400), 0); /* not 9200 */
			else if (rand() % 2)
				assert_int_equal(arule_add_port_range(r, 9000, 9300), 0);
			int nint = 1 + rand() % 4;
			for (int i = 0; i < nint; i++) {
				unsigned lo = (unsigned)(rand() % 256), len = (unsigned)(rand() % 64);
				unsigned hi = lo + len > 255 ? 255 : lo + len;
				ipset_add(&r->src, v4(1, 0, 0, lo), v4(1, 0, 0, hi));
			}
		}
		/* the model */
		unsigned char want[256] = { 0 };
		unsigned long long net[16] = { 0 };
		for (unsigned x = 0; x < 256; x++) {
			for (size_t k = 0; k < rs.n; k++) {
				const struct arule *r = &rs.r[k];
				int covers = !r->ports || (9200 >= r->ports[0].lo && 9200 <= r->ports[0].hi);
				int holds = 0;
				for (size_t i = 0; i < r->src.n; i++)
					holds |= v4(1, 0, 0, x) >= r->src.v[i].lo && v4(1, 0, 0, x) <= r->src.v[i].hi;
				if (!covers || !holds || (!r->allow && !r->to_all))
					continue;
				if (r->allow) {
					want[x] = 1;
					net[k]++;
				}
				if (rs.order == ORDER_FIRST_MATCH)
					break;
			}
		}
		struct reach out = { 0 };
		assert_int_equal(reach_of(&w, &rs, 9200, CORDON_PROTO_TCP, &internet, &broad, &out), 0);
		unsigned char got[256] = { 0 };
		for (size_t i = 0; i < out.reached.n; i++)
			for (u128 x = out.reached.v[i].lo; x <= out.reached.v[i].hi; x++)
				got[(unsigned)(x - v4(1, 0, 0, 0))] = 1;
		if (memcmp(got, want, sizeof(want)))
			fail_msg("round %d: the walk and the model disagree", round);
		/* the rules named, in order, and the one letting the most in */
		char names[256] = "";
		unsigned long long best = 0;
		const char *best_name = NULL;
		for (size_t k = 0; k < rs.n; k++)
			if (net[k]) {
				snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", *names ? ", " : "",
					 rs.r[k].name);
				if (net[k] > best)
					best = net[k], best_name = rs.r[k].name;
			}
		char got_names[256] = "";
		for (size_t k = 0; k < out.nrules; k++)
			snprintf(got_names + strlen(got_names), sizeof(got_names) - strlen(got_names), "%s%s",
				 *got_names ? ", " : "", out.rules[k]->name);
		assert_string_equal(got_names, names);
		if (best_name)
			assert_string_equal(out.best_rule->name, best_name);
		reach_free(&out);
		free_rules(&rs);
	}
	walk_scratch_free(&w);
	ipset_free(&internet);
	ipset_free(&broad);
}

/* 20,000 rules, each one host, every third a deny of the host the next
 * rule allows: what gets in is exactly the allowed hosts not denied first.
 * (The cost of this is measured in bench/, not here.) */
static void test_many_hosts(void **state)
{
	(void)state;
	struct walk_scratch w = { 0 };
	struct ipset internet = { 0 }, broad = { 0 };
	ipset_internet(&internet);
	ipset_private(&broad);
	struct ruleset rs = { .order = ORDER_FIRST_MATCH };
	unsigned n = 20000, expect = 0;
	for (unsigned k = 0; k < n; k++) {
		unsigned host = k % 3 == 0 ? k + 1 : k; /* a deny of the host rule k+1 allows */
		struct arule *r = ruleset_rule(&rs, "r", k, k % 3 != 0);
		assert_non_null(r);
		ipset_add(&r->src, v4(5, host >> 16 & 255, host >> 8 & 255, host & 255),
			  v4(5, host >> 16 & 255, host >> 8 & 255, host & 255));
		expect += k % 3 == 2;
	}
	struct reach out = { 0 };
	assert_int_equal(reach_of(&w, &rs, 9200, CORDON_PROTO_TCP, &internet, &broad, &out), 0);
	assert_int_equal(ipset_size_sat(&out.reached), expect);
	reach_free(&out);
	free_rules(&rs);
	walk_scratch_free(&w);
	ipset_free(&internet);
	ipset_free(&broad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_many_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
