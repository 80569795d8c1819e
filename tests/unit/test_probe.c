/* cordon probe's parts without a network: targets, ports and exclusions as
 * endpoints; the allow lists and the refusal of a request not on them;
 * names escaped for a URL; the asset join; severity from what a
 * conversation learned. (Live checks: tests/probe/.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "probe/probe.h"

extern const struct probe_def probe_redis, probe_elasticsearch;

static cordon_probe *make(void)
{
	cordon_probe *p = NULL;
	assert_int_equal(cordon_probe_new(&p, NULL), CORDON_OK);
	return p;
}

/* The endpoints' names, one a line. */
static char *names(cordon_probe *p)
{
	uint64_t n;
	assert_int_equal(cordon_probe_count(p, 0, &n), CORDON_OK);
	size_t cap = 64 * (size_t)(n + 1), len = 0;
	char *out = calloc(1, cap);
	struct endpoint ep;
	targets_rewind(p);
	while (targets_next(p, &ep)) {
		char *name = endpoint_name(&ep);
		len += (size_t)snprintf(out + len, cap - len, "%s\n", name);
		free(name);
	}
	return out;
}

static void block_and_ports_port_major(void **state)
{
	(void)state;
	cordon_probe *p = make();
	assert_int_equal(cordon_probe_set_ports(p, "9200,U:11211"), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "10.0.0.0/31", NULL), CORDON_OK);
	char *s = names(p);
	assert_string_equal(s, "10.0.0.0:9200\n10.0.0.1:9200\n10.0.0.0:11211/udp\n10.0.0.1:11211/udp\n");
	free(s);
	cordon_probe_free(p);
}

static void forms_of_targets(void **state)
{
	(void)state;
	cordon_probe *p = make();
	assert_int_equal(cordon_probe_add_target(p, "10.1.2.5-7:6379", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "[::1]:5432", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "https://127.0.0.1", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "http://127.0.0.1:8080/any/path?x=1", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "127.0.0.1:11211", NULL), CORDON_OK);
	char *s = names(p);
	assert_string_equal(s, "10.1.2.5:6379\n10.1.2.6:6379\n10.1.2.7:6379\n[::1]:5432\nhttps://127.0.0.1:443\n"
			       "http://127.0.0.1:8080\n127.0.0.1:11211\n");
	free(s);
	cordon_probe_free(p);
}

static void exclusions(void **state)
{
	(void)state;
	cordon_probe *p = make();
	assert_int_equal(cordon_probe_set_ports(p, "22"), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "192.0.2.0/29", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_exclude(p, "192.0.2.0/30,192.0.2.6"), CORDON_OK);
	char *s = names(p);
	assert_string_equal(s, "192.0.2.4:22\n192.0.2.5:22\n192.0.2.7:22\n");
	free(s);
	assert_int_equal(cordon_probe_exclude(p, "192.0.2.0/33"), CORDON_ERR_ARG);
	assert_int_equal(cordon_probe_exclude(p, "nope"), CORDON_ERR_ARG);
	cordon_probe_free(p);
}

static void bad_targets_say_why(void **state)
{
	(void)state;
	static const struct {
		const char *target, *why;
	} bad[] = {
		{ "10.0.0.0/33", "not a CIDR block" },
		{ "10.0.0.0/8", "more than 2^20 addresses" },
		{ "10.0.0.9-3", "not a range" },
		{ "[::1", "'[' without ']'" },
		{ "[::1]x", "then not ':PORT'" },
		{ "127.0.0.1:0", "not a port" },
		{ "127.0.0.1:65536", "not a port" },
		{ "ftp://h", "http:// or https://" },
		{ "http://user:pw@h", "credentials" },
		{ "a b", "not a host" },
		{ "::1/64", "IPv6 blocks are not scanned" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		cordon_probe *p = make();
		assert_int_not_equal(cordon_probe_add_target(p, bad[i].target, "t.txt line 3"), CORDON_OK);
		const char *err = cordon_probe_error(p);
		if (!strstr(err, bad[i].why) || strncmp(err, "t.txt line 3: ", 14))
			fail_msg("%s: '%s'", bad[i].target, err);
		cordon_probe_free(p);
	}
}

static void ports_lists(void **state)
{
	(void)state;
	cordon_probe *p = make();
	assert_int_equal(cordon_probe_set_ports(p, "8000-8002,T:22"), CORDON_OK);
	assert_int_equal(p->nports, 4);
	assert_int_equal(cordon_probe_set_ports(p, "-"), CORDON_OK);
	assert_true(p->nports >= 20); /* the data-store table */
	assert_int_equal(cordon_probe_set_ports(p, "9-3"), CORDON_ERR_ARG);
	assert_int_equal(cordon_probe_set_ports(p, "1,,2"), CORDON_ERR_ARG);
	assert_int_equal(cordon_probe_set_ports(p, "U:"), CORDON_ERR_ARG);
	cordon_probe_free(p);
}

static void count_has_a_limit(void **state)
{
	(void)state;
	cordon_probe *p = make();
	uint64_t n = 0;
	assert_int_equal(cordon_probe_set_ports(p, "1-100"), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "10.0.0.0/24", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_count(p, 0, &n), CORDON_OK);
	assert_int_equal(n, 25600);
	assert_int_equal(cordon_probe_count(p, 25599, &n), CORDON_ERR_TOO_LARGE);
	cordon_probe_free(p);
}

static void allow_lists(void **state)
{
	(void)state;
	assert_true(probe_allowed(&probe_redis, "PING"));
	assert_true(probe_allowed(&probe_redis, "TYPE KEY"));
	assert_true(probe_allowed(&probe_redis, "LRANGE KEY 0 4"));
	assert_false(probe_allowed(&probe_redis, "FLUSHALL"));
	assert_false(probe_allowed(&probe_redis, "CONFIG SET protected-mode no"));
	assert_false(probe_allowed(&probe_redis, "LRANGE KEY 0 4 x"));
	assert_true(probe_allowed(&probe_elasticsearch, "GET /support/_search?size=5"));
	assert_false(probe_allowed(&probe_elasticsearch, "DELETE /support"));
	assert_false(probe_allowed(&probe_elasticsearch, "POST /support/_doc {}"));
	/* every probe's list is what cordon_probe_type says */
	const char *service;
	const char *const *allow;
	size_t n = 0;
	for (size_t i = 0; cordon_probe_type(i, &service, &allow); i++, n++)
		assert_non_null(allow[0]);
	assert_true(n >= 15);
}

/* A conversation without a loop: what a probe may and may not send. */
static void a_request_off_the_list_is_refused(void **state)
{
	(void)state;
	cordon_probe *p = make();
	struct probe_ctx c;
	memset(&c, 0, sizeof(c));
	c.run = p;
	c.def = &probe_redis;
	c.fd = -1;
	cordon_buf_init(&c.out, 0);
	assert_int_equal(probe_send(&c, "PING", "*1\r\n$4\r\nPING\r\n", 14), 0);
	assert_int_equal(c.out.len, 14);
	assert_int_equal(probe_send(&c, "FLUSHALL", "*1\r\n$8\r\nFLUSHALL\r\n", 18), -1);
	assert_int_equal(c.out.len, 14); /* nothing more queued */
	assert_true(c.done);
	assert_non_null(strstr(c.res.note.buf, "refused to send 'FLUSHALL'"));
	/* an HTTP request from a raw probe is refused too */
	c.done = 0;
	assert_int_equal(probe_get(&c, "/"), -1);
	cordon_buf_release(&c.out);
	result_release(&c.res);
	cordon_probe_free(p);
}

static void names_escaped_never_cut(void **state)
{
	(void)state;
	char out[16];
	assert_int_equal(probe_escape(out, sizeof(out), "a/b c", 5), 0);
	assert_string_equal(out, "a%2Fb%20c");
	assert_int_equal(probe_escape(out, sizeof(out), "////////", 8), -1);
	assert_int_equal(probe_escape(out, sizeof(out), "abcdefghijklmnop", 16), -1);
}

static void assets_join_by_address_and_port(void **state)
{
	(void)state;
	cordon_probe *p = make();
	assert_int_equal(cordon_probe_add_asset(p, "10.0.0.5:6379", "cache", "team-db", "chats"), CORDON_OK);
	assert_int_equal(cordon_probe_add_asset(p, "10.9.0.0/24", "lab", NULL, NULL), CORDON_OK);
	assert_int_equal(p->ntargets, 0); /* joined, not probed */
	assert_int_equal(cordon_probe_add_target(p, "10.0.0.5", NULL), CORDON_OK);
	assert_int_equal(cordon_probe_set_ports(p, "6379,6380"), CORDON_OK);
	struct endpoint ep;
	targets_rewind(p);
	assert_true(targets_next(p, &ep));
	assert_int_equal(ep.port, 6379);
	const struct probe_asset *a = endpoint_asset(p, &ep);
	assert_non_null(a);
	assert_string_equal(a->name, "cache");
	assert_true(targets_next(p, &ep));
	assert_null(endpoint_asset(p, &ep)); /* 6380: another port */
	assert_int_equal(cordon_probe_add_asset(p, "not a host!", "x", NULL, NULL), CORDON_ERR_ARG);
	assert_non_null(strstr(cordon_probe_error(p), "asset 'x'"));
	cordon_probe_free(p);
}

static void severity_follows_what_was_learned(void **state)
{
	(void)state;
	struct cordon_probe_options o = CORDON_PROBE_OPTIONS_INIT;
	o.verbose = 1;
	cordon_engine *engine;
	assert_int_equal(cordon_engine_new(&engine, NULL), CORDON_OK);
	o.engine = engine;
	cordon_probe *p;
	assert_int_equal(cordon_probe_new(&p, &o), CORDON_OK);
	assert_int_equal(cordon_probe_add_target(p, "127.0.0.1:6379", NULL), CORDON_OK);
	struct endpoint ep;
	uint64_t n;
	assert_int_equal(cordon_probe_count(p, 0, &n), CORDON_OK);
	targets_rewind(p);
	assert_true(targets_next(p, &ep));
	const char *kinds[] = { "unauthenticated_access", "unauthenticated_access", "authenticated", NULL };
	const cordon_severity want[] = { CORDON_SEV_CRITICAL, CORDON_SEV_HIGH, CORDON_SEV_INFO, CORDON_SEV_INFO };
	for (int i = 0; i < 4; i++) {
		struct probe_ctx c;
		memset(&c, 0, sizeof(c));
		c.run = p;
		c.def = &probe_redis;
		c.ep = ep;
		c.name = endpoint_name(&ep);
		if (kinds[i])
			probe_found(&c, kinds[i], "evidence %d", i);
		if (i == 0) {
			const char *text = "write to x.y@example.com";
			probe_sample(&c, text, strlen(text));
		}
		assert_int_equal(result_finish(p, &c, "connection refused"), CORDON_OK);
		const struct cordon_exposure *e = &p->found[p->nfound - 1];
		assert_int_equal(e->severity, want[i]);
		if (i == 0) {
			assert_int_equal(e->nholds, 1);
			assert_string_equal(e->holds[0].entity, "EMAIL_ADDRESS");
			assert_null(strstr(e->holds[0].preview, "x.y@example.com")); /* masked */
		}
		if (i == 3)
			assert_string_equal(e->kind, "unreachable");
		free(c.name);
		result_release(&c.res);
	}
	/* one fingerprint whatever the kind: a store closed is the same finding */
	assert_string_equal(p->found[0].fingerprint, p->found[2].fingerprint);
	cordon_probe_free(p);
	cordon_engine_free(engine);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(block_and_ports_port_major),
		cmocka_unit_test(forms_of_targets),
		cmocka_unit_test(exclusions),
		cmocka_unit_test(bad_targets_say_why),
		cmocka_unit_test(ports_lists),
		cmocka_unit_test(count_has_a_limit),
		cmocka_unit_test(allow_lists),
		cmocka_unit_test(a_request_off_the_list_is_refused),
		cmocka_unit_test(names_escaped_never_cut),
		cmocka_unit_test(assets_join_by_address_and_port),
		cmocka_unit_test(severity_follows_what_was_learned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
