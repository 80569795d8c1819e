/* cordon access's library: the store's address forms, verdicts that only
 * the library's rules decide (a flow begun and not ended, NSG version 1,
 * the store talking to itself), gaps a log declares (SKIPDATA) or that no
 * log at all leaves, IPv6 and the addresses behind a NAT (pkt-srcaddr).
 * The formats end to end, with generated logs: tests/access/run.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "cordon/access.h"

enum { FROM = 1764547200, TO = FROM + 3 * 3600 }; /* 2025-12-01T00:00Z, three hours */

static cordon_access *make(const char *dest, unsigned gap)
{
	struct cordon_access_options o = CORDON_ACCESS_OPTIONS_INIT;
	const char *d[1] = { dest };
	o.from = FROM;
	o.to = TO;
	o.dests = d;
	o.ndests = 1;
	o.gap_s = gap;
	cordon_access *a;
	assert_int_equal(cordon_access_new(&a, &o), CORDON_OK);
	return a;
}

static cordon_code feed(cordon_access *a, const char *text)
{
	int fd = memfd_create("log", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	lseek(fd, 0, SEEK_SET);
	cordon_code rc = cordon_access_read_fd(a, fd, "log", NULL);
	close(fd);
	return rc;
}

static const struct cordon_access_source *source(const struct cordon_access_result *r, const char *addr)
{
	for (size_t k = 0; k < r->nsources; k++)
		if (!strcmp(r->sources[k].address, addr))
			return &r->sources[k];
	return NULL;
}

static void test_dests(void **state)
{
	(void)state;
	static const char *const good[] = { "10.0.0.4", "10.0.0.4:9200", "10.0.0.0/24:9200", "[2001:db8::7]:9200",
					    "2001:db8::/64", "2001:db8::7" };
	static const char *const bad[] = { "", "10.0.0.4:0", "10.0.0.4:65536", "10.0.0.4:x", "host:9200",
					   "[2001:db8::7]9200", "10.0.0.0/33", "[10.0.0.4", "10.0.0.256" };
	for (size_t k = 0; k < sizeof(good) / sizeof(*good); k++)
		cordon_access_free(make(good[k], 0));
	for (size_t k = 0; k < sizeof(bad) / sizeof(*bad); k++) {
		struct cordon_access_options o = CORDON_ACCESS_OPTIONS_INIT;
		char err[128] = "";
		o.from = FROM, o.to = TO, o.dests = &bad[k], o.ndests = 1, o.error = err, o.error_len = sizeof(err);
		cordon_access *a = NULL;
		assert_int_equal(cordon_access_new(&a, &o), CORDON_ERR_ARG);
		assert_null(a);
		assert_non_null(strstr(err, "address"));
	}
	struct cordon_access_options o = CORDON_ACCESS_OPTIONS_INIT;
	const char *d = "10.0.0.4";
	cordon_access *a;
	o.dests = &d, o.ndests = 1, o.from = TO, o.to = FROM;
	assert_int_equal(cordon_access_new(&a, &o), CORDON_ERR_ARG); /* backwards */
	cordon_access_verdict v;
	assert_int_equal(cordon_access_verdict_from_name("probe_only", &v), CORDON_OK);
	assert_int_equal(v, CORDON_ACCESS_PROBE_ONLY);
	assert_int_equal(cordon_access_verdict_from_name("nope", &v), CORDON_ERR_ARG);
}

/* NSG version 2: a flow begun and never ended in the logs has bytes the
 * logs do not give: unknown, not probe_only; version 1 never gives them. */
static void test_nsg_unknowns(void **state)
{
	(void)state;
	cordon_access *a = make("10.0.0.4:9200", 4 * 3600);
	assert_int_equal(feed(a, "{\"records\":[{\"properties\":{\"Version\":2,\"flows\":[{\"rule\":\"R\",\"flows\":[{"
				 "\"flowTuples\":[\"1764547300,203.0.113.1,10.0.0.4,40000,9200,T,I,A,B,,,,\","
				 "\"1764547300,203.0.113.2,10.0.0.4,40000,9200,T,I,A,B,,,,\","
				 "\"1764547400,203.0.113.2,10.0.0.4,40000,9200,T,I,A,E,1,60,1,600\","
				 "\"1764547300,10.0.0.4,10.0.0.4,40000,9200,T,I,A,B,,,,\"]}]}]}}]}"),
			 CORDON_OK);
	assert_int_equal(feed(a, "{\"records\":[{\"properties\":{\"Version\":1,\"flows\":[{\"rule\":\"R\",\"flows\":[{"
				 "\"flowTuples\":[\"1764547300,203.0.113.3,10.0.0.4,40000,9200,T,I,A\"]}]}]}}]}"),
			 CORDON_OK);
	struct cordon_access_result r;
	assert_int_equal(cordon_access_result(a, &r), CORDON_OK);
	assert_int_equal(r.nsources, 3); /* the store to itself is no source */
	assert_int_equal(source(&r, "203.0.113.1")->verdict, CORDON_ACCESS_UNKNOWN);
	assert_int_equal(source(&r, "203.0.113.2")->verdict, CORDON_ACCESS_PROBE_ONLY);
	assert_int_equal(source(&r, "203.0.113.3")->verdict, CORDON_ACCESS_UNKNOWN);
	assert_false(source(&r, "203.0.113.3")->bytes_known);
	assert_string_equal(source(&r, "203.0.113.2")->rule, "R");
	assert_int_equal(r.verdict, CORDON_ACCESS_UNKNOWN);
	assert_int_equal(r.ngaps, 0);
	cordon_access_free(a);
}

/* SKIPDATA is a gap the log declares; NODATA covers; no log at all is a
 * gap over the whole window: unknown, never no_access. */
static void test_gaps(void **state)
{
	(void)state;
	cordon_access *a = make("10.0.0.4:9200", 0);
	struct cordon_access_result r;
	assert_int_equal(cordon_access_result(a, &r), CORDON_OK);
	assert_int_equal(r.verdict, CORDON_ACCESS_UNKNOWN);
	assert_int_equal(r.ngaps, 1);
	assert_int_equal(r.gaps[0].from, FROM);
	assert_int_equal(r.gaps[0].to, TO);
	cordon_access_free(a);

	/* a window shorter than --gap with every record outside it: no record in
	 * the window is a gap, not no_access */
	a = make("10.0.0.4:9200", 6 * 3600);
	assert_int_equal(feed(a, "version srcaddr dstaddr start end action log-status\n"
				 "2 203.0.113.1 10.0.0.4 1764500000 1764500060 ACCEPT OK\n"),
			 CORDON_OK);
	assert_int_equal(cordon_access_result(a, &r), CORDON_OK);
	assert_int_equal(r.verdict, CORDON_ACCESS_UNKNOWN);
	assert_int_equal(r.ngaps, 1);
	assert_non_null(strstr(r.gaps[0].why, "no log record in the window"));
	assert_int_equal(r.nsources, 0);
	cordon_access_free(a);

	a = make("10.0.0.4:9200", 0);
	char log[4096];
	size_t n = (size_t)snprintf(log, sizeof(log), "version srcaddr dstaddr start end action log-status\n");
	for (long t = FROM; t < TO; t += 600) /* NODATA every ten minutes: covered */
		n += (size_t)snprintf(log + n, sizeof(log) - n, "2 - - %ld %ld - NODATA\n", t, t + 600);
	n += (size_t)snprintf(log + n, sizeof(log) - n, "2 - - %d %d - SKIPDATA\n", FROM + 3600, FROM + 3660);
	assert_int_equal(feed(a, log), CORDON_OK);
	assert_int_equal(cordon_access_result(a, &r), CORDON_OK);
	assert_int_equal(r.ngaps, 1);
	assert_int_equal(r.gaps[0].from, FROM + 3600);
	assert_non_null(strstr(r.gaps[0].why, "SKIPDATA"));
	assert_int_equal(r.verdict, CORDON_ACCESS_UNKNOWN);
	assert_int_equal(r.nsources, 0);
	cordon_access_free(a);
}

/* A custom VPC format: the packet's own addresses behind a NAT, IPv6. */
static void test_vpc_custom(void **state)
{
	(void)state;
	cordon_access *a = make("[2001:db8::4]:9200", 4 * 3600);
	assert_int_equal(feed(a, "version srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport bytes start end action log-status\n"
				 "5 10.0.0.99 2001:db8::4 2001:db8:ffff::1 2001:db8::4 40000 9200 500 1764547300 1764547360 ACCEPT OK\n"
				 "5 2001:db8::4 10.0.0.99 2001:db8::4 2001:db8:ffff::1 9200 40000 90000 1764547300 1764547360 ACCEPT OK\n"),
			 CORDON_OK);
	struct cordon_access_result r;
	assert_int_equal(cordon_access_result(a, &r), CORDON_OK);
	assert_int_equal(r.nsources, 1);
	assert_string_equal(r.sources[0].address, "2001:db8:ffff::1");
	assert_int_equal(r.sources[0].verdict, CORDON_ACCESS_READ);
	assert_int_equal(r.sources[0].bytes_from_store, 90000);
	cordon_access_free(a);
	/* a header without the fields needed stops the log */
	a = make("10.0.0.4", 0);
	assert_int_equal(feed(a, "version srcaddr start end\n2 1.2.3.4 1 2\n"), CORDON_ERR_PARSE);
	assert_non_null(strstr(cordon_access_error(a), "header"));
	cordon_access_free(a);
}

/* GCP lines: the fast path (keys found in the line) and jansson agree; a
 * key also found elsewhere in the line is left to jansson, which reads the
 * connection's; bytes as a string or a number. */
static void test_gcp(void **state)
{
	(void)state;
	cordon_access *a = make("10.0.0.4:9200", 4 * 3600);
	assert_int_equal(feed(a, "{\"jsonPayload\":{\"connection\":{\"src_ip\":\"203.0.113.1\",\"src_port\":40000,"
				 "\"dest_ip\":\"10.0.0.4\",\"dest_port\":9200},\"bytes_sent\":\"100\","
				 "\"start_time\":\"2025-12-01T00:10:00Z\",\"end_time\":\"2025-12-01T00:10:05Z\"}}\n"
				 "{\"jsonPayload\":{\"connection\":{\"src_ip\":\"10.0.0.4\",\"src_port\":9200,"
				 "\"dest_ip\":\"203.0.113.1\",\"dest_port\":40000},\"bytes_sent\":20000,"
				 "\"start_time\":\"2025-12-01T00:10:00Z\",\"end_time\":\"2025-12-01T00:10:05Z\"}}\n"
				 /* src_ip twice (another object): jansson reads connection's */
				 "{\"jsonPayload\":{\"src_vpc\":{\"src_ip\":\"198.51.100.99\"},\"connection\":{\"src_ip\":"
				 "\"198.51.100.2\",\"src_port\":40001,\"dest_ip\":\"10.0.0.4\",\"dest_port\":9200},"
				 "\"bytes_sent\":\"50\",\"start_time\":\"2025-12-01T00:20:00Z\",\"end_time\":\"2025-12-01T00:20:01Z\"}}\n"),
			 CORDON_OK);
	struct cordon_access_result r;
	assert_int_equal(cordon_access_result(a, &r), CORDON_OK);
	assert_int_equal(r.nsources, 2);
	assert_int_equal(source(&r, "203.0.113.1")->verdict, CORDON_ACCESS_READ);
	assert_int_equal(source(&r, "203.0.113.1")->bytes_from_store, 20000);
	assert_int_equal(source(&r, "203.0.113.1")->bytes_to_store, 100);
	assert_int_equal(source(&r, "198.51.100.2")->bytes_to_store, 50);
	assert_null(source(&r, "198.51.100.99"));
	assert_true(r.sampled);
	assert_int_equal(r.verdict, CORDON_ACCESS_READ);
	cordon_access_free(a);
	/* a line cut short: malformed, not half read */
	a = make("10.0.0.4:9200", 4 * 3600);
	assert_int_equal(feed(a, "{\"jsonPayload\":{\"connection\":{\"src_ip\":\"203.0.113.1\",\"src_port\":40000,"
				 "\"dest_ip\":\"10.0.0.4\",\"dest_port\":9200},\"start_time\":\"2025-12-01T00:10:00Z\"\n"),
			 CORDON_ERR_PARSE);
	assert_true(cordon_access_error_is_line(a));
	cordon_access_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dests),
		cmocka_unit_test(test_nsg_unknowns),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_vpc_custom),
		cmocka_unit_test(test_gcp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
