/* What must survive redaction untouched, whatever entities are enabled:
 * versions, builds, KB ids, error codes, timestamps, prices, case and order
 * numbers, Windows paths, URLs without credentials, port numbers, GUIDs. */
#include "detect_cases.h"

static const struct detect_case cases[] = {
	{ "Windows 10.0.19045.3930 and 11 23H2 build 22631.2861", NULL },
	{ "Office 16.0.14326.20404, Teams 1.6.00.4472", NULL },
	{ "Edge 120.0.2210.91 and Chrome 120.0.6099.130", NULL },
	{ "installed KB5034441, KB 5034122 and KB890830", NULL },
	/* numbers right after '#': orders and tickets, not phones or SSNs */
	{ "order #4155552671 and case #078-05-1120 and ref #078051120", NULL },
	{ "logged as #2065550123 and #219 09 9999", NULL },
	{ "ticket#4111111111111111 reopened", NULL },
	{ "error 0x80070005, HRESULT 0x8007000E, E_FAIL 0x80004005", NULL },
	{ "stop code 0x0000007E and event ID 4625", NULL },
	{ "at 2024-03-05 14:22:01 and 2024-03-05T14:22:01.123Z", NULL },
	{ "on 05/03/2024 at 14:22, or 03.05.2024", NULL },
	{ "it costs $1,234.56 or EUR 99,90 or 1.299,00 EUR", NULL },
	{ "Case #120012345678901 and case number 20240305001", NULL },
	{ "order no. 5551234567 and ticket 4111111111111111", NULL },
	{ "C:\\Users\\Public\\Logs\\setup99.log and C:\\Windows\\System32\\drivers", NULL },
	{ "see https://learn.microsoft.com/en-us/troubleshoot/windows-client/kb123", NULL },
	{ "listening on port 8080, 443 and 9200", NULL },
	{ "GUID {6f9619ff-8b86-d011-b42d-00c04fc964ff}", NULL },
	{ "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", NULL },
	{ "reset your password in Settings > Accounts", NULL },
	{ "version 2.4.1 released, see CHANGELOG", NULL },
	{ "we met at noon, look at the logs at 10:30.", NULL },
	{ "Python 3.11.7 and gcc 12.2.0", NULL },
};

static void test_decoys(void **state)
{
	(void)state;
	RUN_CASES(CORDON_EMAIL_ADDRESS, cases);
}

/* The allow list: exact canonical values and whole-value patterns are never
 * reported, whatever their spelling; clones keep the list. */
static void test_allow_list(void **state)
{
	(void)state;
	const char *allow[] = { "support@contoso.com", "/.*@noreply\\.contoso\\.com/" };
	struct cordon_engine_options o = CORDON_ENGINE_OPTIONS_INIT;
	o.allow = allow;
	o.nallow = 2;
	o.entity_min_score[CORDON_IP_ADDRESS] = 0.9;
	cordon_engine *e, *c;
	assert_int_equal(cordon_engine_new(&e, &o), CORDON_OK);
	assert_int_equal(cordon_engine_clone(e, &c), CORDON_OK);
	const char *t = "SUPPORT @ contoso com, x@NoReply.contoso.com, bob@contoso.com, 10.1.2.3";
	for (int k = 0; k < 2; k++) {
		const struct cordon_finding *f;
		size_t n;
		assert_int_equal(cordon_engine_scan(k ? c : e, t, strlen(t), &f, &n), CORDON_OK);
		assert_int_equal(n, 1); /* bob only: the IP scores 0.8 < 0.9 */
		assert_int_equal(f[0].entity, CORDON_EMAIL_ADDRESS);
		assert_memory_equal(t + f[0].start, "bob@contoso.com", 15);
	}
	cordon_engine_free(c);
	cordon_engine_free(e);

	char err[200] = "";
	const char *badre[] = { "/([a-z/" };
	o.allow = badre;
	o.nallow = 1;
	o.error = err;
	o.error_len = sizeof(err);
	assert_int_equal(cordon_engine_new(&e, &o), CORDON_ERR_ARG);
	assert_non_null(strstr(err, "allow pattern"));
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_decoys), cmocka_unit_test(test_allow_list) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
