/* Exposure findings as the library hands them to every finder: the diff
 * of two runs (paired by fingerprint, compared by the addresses let in),
 * which items fail a gate, and the reporters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "cordon/cordon.h"

static const char *const v4_all[] = { "0.0.0.0/0" };
static const char *const one_host[] = { "203.0.113.5/32" };
static const char *const a24[] = { "203.0.113.0/24" };
static const char *const two_hosts[] = { "203.0.113.5/32", "203.0.113.9/32" };
static const char *const except_one[] = { "198.51.100.0/24" };
static const char *const rule_r[] = { "r" };
static const char *const rule_q[] = { "q" };

static struct cordon_exposure ex(const char *fp, cordon_severity sev, const char *const *src, size_t nsrc,
				 const char *const *except, size_t nexcept, const char *const *rules)
{
	return (struct cordon_exposure){
		.kind = "network_exposure", .check = "network-exposure/redis", .fingerprint = fp, .severity = sev,
		.platform = "azure-nsg", .resource = "nsg", .file = "nsg.json", .port = 6379,
		.protocol = CORDON_PROTO_TCP, .datastore = "Redis", .sources = src, .nsources = nsrc,
		.except = except, .nexcept = nexcept, .sources_text = "x", .width = "y", .rule = rules[0],
		.rules = rules, .nrules = 1,
	};
}

static cordon_change change_of(struct cordon_exposure before, struct cordon_exposure now)
{
	struct cordon_report_item *items;
	size_t n;
	assert_int_equal(cordon_exposure_diff(&before, 1, &now, 1, 1, &items, &n), CORDON_OK);
	assert_int_equal(n, 1);
	cordon_change c = items[0].change;
	assert_ptr_equal(items[0].before, &before);
	free(items);
	return c;
}

static void test_changes(void **state)
{
	(void)state;
	/* more addresses: widened; fewer: narrowed; the same set written
	 * otherwise: no change */
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, one_host, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r)),
			 CORDON_CHANGE_WIDENED);
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, two_hosts, 2, NULL, 0, rule_r)),
			 CORDON_CHANGE_NARROWED);
	/* the Internet but one range, to all of it: widened */
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, v4_all, 1, except_one, 1, rule_r),
				   ex("a", CORDON_SEV_HIGH, v4_all, 1, NULL, 0, rule_r)),
			 CORDON_CHANGE_WIDENED);
	/* one host to another: someone new gets in, so widened, not narrowed */
	static const char *const other[] = { "192.0.2.1/32" };
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, one_host, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, other, 1, NULL, 0, rule_r)),
			 CORDON_CHANGE_WIDENED);
	/* severity up with the same addresses: widened; down: narrowed */
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_CRITICAL, a24, 1, NULL, 0, rule_r)),
			 CORDON_CHANGE_WIDENED);
	assert_int_equal(change_of(ex("a", CORDON_SEV_CRITICAL, a24, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r)),
			 CORDON_CHANGE_NARROWED);
	/* other rules, same addresses: changed; all the same: none */
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_q)),
			 CORDON_CHANGE_CHANGED);
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r)),
			 CORDON_CHANGE_NONE);
	/* service tags and groups by name */
	static const char *const tag[] = { "tag:AzureCloud" }, *const tags[] = { "tag:AzureCloud", "tag:Storage" };
	assert_int_equal(change_of(ex("a", CORDON_SEV_HIGH, tag, 1, NULL, 0, rule_r),
				   ex("a", CORDON_SEV_HIGH, tags, 2, NULL, 0, rule_r)),
			 CORDON_CHANGE_WIDENED);
}

static void test_opened_closed(void **state)
{
	(void)state;
	struct cordon_exposure before[] = { ex("b", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
					    ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
					    ex("c", CORDON_SEV_MEDIUM, a24, 1, NULL, 0, rule_r) };
	struct cordon_exposure now[] = { ex("d", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
					 ex("a", CORDON_SEV_HIGH, v4_all, 1, NULL, 0, rule_r),
					 ex("c", CORDON_SEV_MEDIUM, a24, 1, NULL, 0, rule_r) };
	struct cordon_report_item *items;
	size_t n;
	assert_int_equal(cordon_exposure_diff(before, 3, now, 3, 0, &items, &n), CORDON_OK);
	/* now's order (the unchanged c left out), then what closed */
	assert_int_equal(n, 3);
	assert_int_equal(items[0].change, CORDON_CHANGE_OPENED);
	assert_ptr_equal(items[0].now, &now[0]);
	assert_null(items[0].before);
	assert_int_equal(items[1].change, CORDON_CHANGE_WIDENED);
	assert_int_equal(items[2].change, CORDON_CHANGE_CLOSED);
	assert_null(items[2].now);
	assert_ptr_equal(items[2].before, &before[0]);
	/* the gate: opened and widened fail at high; closed never */
	assert_true(cordon_report_item_fails(&items[0], CORDON_SEV_HIGH, 1));
	assert_true(cordon_report_item_fails(&items[1], CORDON_SEV_HIGH, 1));
	assert_false(cordon_report_item_fails(&items[2], CORDON_SEV_MEDIUM, 1));
	assert_false(cordon_report_item_fails(&items[0], CORDON_SEV_CRITICAL, 1));
	items[0].ignored = "accepted";
	assert_false(cordon_report_item_fails(&items[0], CORDON_SEV_HIGH, 1));
	free(items);
	/* the same fingerprint twice (one NSG exported twice) pairs in order */
	struct cordon_exposure twice[] = { ex("a", CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r),
					   ex("a", CORDON_SEV_HIGH, one_host, 1, NULL, 0, rule_r) };
	assert_int_equal(cordon_exposure_diff(twice, 2, twice, 2, 0, &items, &n), CORDON_OK);
	assert_int_equal(n, 0);
	free(items);
	/* a narrowed finding never fails, whatever its severity */
	struct cordon_report_item it = { &now[1], &before[1], CORDON_CHANGE_NARROWED, NULL };
	assert_false(cordon_report_item_fails(&it, CORDON_SEV_MEDIUM, 1));
	/* without a baseline, any finding at or above the level */
	it.change = CORDON_CHANGE_NONE;
	it.before = NULL;
	assert_true(cordon_report_item_fails(&it, CORDON_SEV_HIGH, 0));
	/* a finding without a fingerprint cannot be diffed */
	struct cordon_exposure nofp = ex(NULL, CORDON_SEV_HIGH, a24, 1, NULL, 0, rule_r);
	assert_int_equal(cordon_exposure_diff(&nofp, 1, now, 3, 0, &items, &n), CORDON_ERR_ARG);
}

static char *report(cordon_report_format f, int baseline, const struct cordon_report_item *items, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	struct cordon_report_options o = { .format = f, .baseline = baseline };
	assert_int_equal(cordon_report_exposures(out, &o, items, n), CORDON_OK);
	fclose(out);
	return buf;
}

static void test_reporters(void **state)
{
	(void)state;
	struct cordon_exposure e[] = { ex("0123456789abcdef", CORDON_SEV_HIGH, two_hosts, 2, NULL, 0, rule_r),
				       ex("fedcba9876543210", CORDON_SEV_MEDIUM, a24, 1, NULL, 0, rule_q) };
	e[1].resource = "nsg\nevil"; /* a control character in a name stays escaped */
	struct cordon_report_item items[] = { { &e[0], NULL, CORDON_CHANGE_NONE, NULL },
					      { &e[1], NULL, CORDON_CHANGE_NONE, "reviewed" } };
	char *text = report(CORDON_REPORT_TEXT, 0, items, 2);
	assert_non_null(strstr(text, "HIGH"));
	assert_non_null(strstr(text, "[0123456789abcdef]"));
	assert_null(strstr(text, "fedcba9876543210")); /* ignored: not shown, counted */
	assert_non_null(strstr(text, "1 finding accepted by the config's ignore: list"));
	free(text);
	char *json = report(CORDON_REPORT_JSON, 0, items, 2);
	json_error_t err;
	json_t *o = json_loads(json, JSON_DISABLE_EOF_CHECK, &err);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "schema_version")), 1);
	assert_true(json_is_array(json_object_get(o, "sources")));
	assert_int_equal(json_array_size(json_object_get(o, "sources")), 2);
	assert_true(json_is_array(json_object_get(o, "rules")));
	assert_null(strchr(strchr(json, '\n') + 1, '\n')); /* one line: the ignored one is left out */
	json_decref(o);
	free(json);
	char *sarif = report(CORDON_REPORT_SARIF, 0, items, 2);
	o = json_loads(sarif, 0, &err);
	assert_non_null(o);
	json_t *run = json_array_get(json_object_get(o, "runs"), 0);
	json_t *results = json_object_get(run, "results");
	assert_int_equal(json_array_size(results), 2); /* the ignored one is there, suppressed */
	assert_non_null(json_object_get(json_array_get(results, 1), "suppressions"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(results, 0),
										  "partialFingerprints"),
							  "cordonExposure/v1")),
			    "0123456789abcdef");
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), 1); /* one check, used twice */
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_array_get(rules, 0), "properties"),
							      "security-severity")),
			    "8.0");
	json_decref(o);
	free(sarif);
	/* a baseline run says what changed and what it was */
	struct cordon_report_item changed = { &e[0], &e[1], CORDON_CHANGE_WIDENED, NULL };
	text = report(CORDON_REPORT_TEXT, 1, &changed, 1);
	assert_non_null(strstr(text, "widened HIGH"));
	assert_non_null(strstr(text, "was MEDIUM"));
	free(text);
	json = report(CORDON_REPORT_JSON, 1, &changed, 1);
	assert_non_null(strstr(json, "\"change\":\"widened\""));
	assert_non_null(strstr(json, "\"before\":{\"severity\":\"medium\""));
	free(json);
	cordon_report_format f;
	assert_int_equal(cordon_report_format_from_name("sarif", &f), CORDON_OK);
	assert_int_equal(f, CORDON_REPORT_SARIF);
	assert_int_equal(cordon_report_format_from_name("xml", &f), CORDON_ERR_ARG);
	/* a full disk is an error, not a short report */
	FILE *full = fopen("/dev/full", "w");
	if (full) {
		setvbuf(full, NULL, _IONBF, 0);
		struct cordon_report_options o2 = { .format = CORDON_REPORT_JSON };
		assert_int_equal(cordon_report_exposures(full, &o2, items, 1), CORDON_ERR_IO);
		fclose(full);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_opened_closed),
		cmocka_unit_test(test_reporters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
