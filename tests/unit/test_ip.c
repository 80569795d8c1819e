/* IP_ADDRESS: IPv4 and IPv6 forms caught; versions, builds and times kept. */
#include "detect_cases.h"

static const struct detect_case cases[] = {
	{ "from 10.1.2.3 today", "10.1.2.3" },
	{ "server 10.1.2.3:8080 down", "10.1.2.3" },
	{ "subnet 192.168.0.0/24", "192.168.0.0" },
	{ "ioc 10[.]0[.]0[.]1", "10[.]0[.]0[.]1" },
	{ "ioc 8(.)8(.)8(.)8", "8(.)8(.)8(.)8" },
	{ "spaced 10 . 20 . 30 . 40 here", "10 . 20 . 30 . 40" },
	{ "host 203.0.113.9.", "203.0.113.9" },
	{ "v6 2001:db8::1 ok", "2001:db8::1" },
	{ "v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334" },
	{ "v6 fe80::1ff:fe23:4567:890a here", "fe80::1ff:fe23:4567:890a" },
	{ "mapped ::ffff:192.0.2.1 here", "::ffff:192.0.2.1" },
	{ "bracketed [2001:db8::2]:443", "2001:db8::2" },
	/* decoys */
	{ "Windows 10.0.19041.1 update", NULL },
	{ "Office 16.0.14326.20404", NULL },
	{ "version 10.0.0.1 released", NULL },
	{ "build 1.2.3.4", NULL },
	{ "at 14:22:01 UTC", NULL },
	{ "1.2.3.4.5 is a version", NULL },
	{ "std::vector and Foo::Bar", NULL },
	{ "ratio 3:2 and 16:9", NULL },
	{ "256.1.1.1 is not an address", NULL },
};

static void test_ip(void **state)
{
	(void)state;
	RUN_CASES(CORDON_IP_ADDRESS, cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_ip) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
