/* cordon.yaml as a cordon_policy: what each key sets, the order of
 * precedence (defaults, file, caller), the errors (file, line, key), and the
 * key table the docs are made from. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cordon/cordon.h"

static cordon_policy *load(const char *yaml, cordon_code want)
{
	cordon_policy *p;
	assert_int_equal(cordon_policy_new(&p), CORDON_OK);
	cordon_code rc = cordon_policy_load(p, "t/cordon.yaml", yaml, strlen(yaml));
	if (rc != want)
		fail_msg("load gave %d, not %d: %s", rc, want, cordon_policy_error(p));
	return p;
}

/* The error of a bad file; it names the file and the line. */
static void expect_error(const char *yaml, const char *line, const char *part)
{
	cordon_policy *p = load(yaml, CORDON_ERR_PARSE);
	const char *err = cordon_policy_error(p);
	if (!strstr(err, "'t/cordon.yaml'") || !strstr(err, line) || !strstr(err, part))
		fail_msg("for %s\nerror '%s' lacks '%s' or '%s'", yaml, err, line, part);
	cordon_policy_free(p);
}

static void test_settings(void **state)
{
	(void)state;
	cordon_policy *p = load("operator: pseudonym\n"
				"min_score: 0.7\n"
				"entities: [EMAIL_ADDRESS, customer_id]\n"
				"fields: {customer.email: pseudonym, internal_notes: drop}\n"
				"allow: [support@contoso.com, '/.*@noreply\\.contoso\\.com/']\n"
				"per_entity: {SECRET: {operator: tag, min_score: 0.8}}\n"
				"rules:\n"
				"  CUSTOMER_ID: {pattern: 'CUST-[0-9]{8}', operator: encrypt, min_score: 0.55}\n"
				"deny: [Project Falcon]\n",
				CORDON_OK);
	cordon_operator op;
	assert_int_equal(cordon_policy_operator(p, &op), CORDON_OK);
	assert_int_equal(op, CORDON_OP_PSEUDONYM);
	assert_true(cordon_policy_has(p, "min_score"));
	assert_false(cordon_policy_has(p, "assets"));

	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	cordon_policy_engine_options(p, &eo);
	assert_true(eo.min_score > 0.69 && eo.min_score < 0.71);
	/* deny comes first in the file's reading order: rules, then deny */
	cordon_entity cust, deny;
	assert_int_equal(cordon_policy_entity(p, "Customer_Id", &cust), CORDON_OK);
	assert_int_equal(cordon_policy_entity(p, "DENY_LIST", &deny), CORDON_OK);
	assert_true(cust >= CORDON_ENTITY_RULE_FIRST && deny >= CORDON_ENTITY_RULE_FIRST && cust != deny);
	assert_int_equal(eo.entities, CORDON_ENTITY_BIT(CORDON_EMAIL_ADDRESS) | CORDON_ENTITY_BIT(cust));
	assert_int_equal(eo.nrules, 2);
	assert_int_equal(eo.nallow, 2);
	assert_true(eo.entity_min_score[CORDON_SECRET] > 0.79);
	assert_true(eo.entity_min_score[cust] > 0.54 && eo.entity_min_score[cust] < 0.56);

	const struct cordon_field_policy *fp;
	size_t n;
	cordon_policy_fields(p, &fp, &n);
	assert_int_equal(n, 2);
	assert_string_equal(fp[1].path, "internal_notes");
	assert_int_equal(fp[1].action, CORDON_FIELD_DROP);

	/* what the policy sets builds an engine; the operators reach a redactor */
	cordon_engine *e;
	assert_int_equal(cordon_engine_new(&e, &eo), CORDON_OK);
	const struct cordon_finding *f;
	size_t nf;
	const char *t = "id CUST-12345678 for Project Falcon";
	assert_int_equal(cordon_engine_scan(e, t, strlen(t), &f, &nf), CORDON_OK);
	assert_int_equal(nf, 1); /* DENY_LIST is not in entities: */
	assert_int_equal(f[0].entity, cust);
	cordon_engine_free(e);
	cordon_redactor *r;
	assert_int_equal(cordon_redactor_new(&r, CORDON_OP_TAG), CORDON_OK);
	assert_false(cordon_redactor_needs_key(r));
	assert_int_equal(cordon_policy_apply_redactor(p, r), CORDON_OK);
	assert_true(cordon_redactor_needs_key(r)); /* CUSTOMER_ID: encrypt */
	cordon_redactor_free(r);
	cordon_policy_free(p);
}

/* What the file does not set stays as the caller had it. */
static void test_unset_keeps_defaults(void **state)
{
	(void)state;
	cordon_policy *p = load("", CORDON_OK);
	struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
	eo.min_score = 0.3;
	eo.entities = 5;
	cordon_policy_engine_options(p, &eo);
	assert_true(eo.min_score > 0.29 && eo.min_score < 0.31);
	assert_int_equal(eo.entities, 5);
	cordon_operator op = CORDON_OP_MASK;
	assert_int_equal(cordon_policy_operator(p, &op), CORDON_ERR_ARG);
	assert_int_equal(op, CORDON_OP_MASK);
	cordon_policy_free(p);
	/* entities: all clears a caller's list */
	p = load("entities: all\n", CORDON_OK);
	cordon_policy_engine_options(p, &eo);
	assert_int_equal(eo.entities, 0);
	cordon_policy_free(p);
	/* a NULL policy is an empty one */
	cordon_entity e;
	assert_int_equal(cordon_policy_entity(NULL, "iban_code", &e), CORDON_OK);
	assert_int_equal(e, CORDON_IBAN_CODE);
	assert_int_equal(cordon_policy_entity(NULL, "CUSTOMER_ID", &e), CORDON_ERR_ARG);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("operator: tag\nfoo: 1\n", "line 2", "unknown key 'foo' (operator, entities");
	expect_error("operator: scramble\n", "line 1", "'scramble' is not tag, mask, pseudonym or encrypt");
	expect_error("min_score: 1.5\n", "line 1", "min_score: '1.5' is not a number from 0 to 1");
	expect_error("min_score: nan\n", "line 1", "is not a number from 0 to 1");
	expect_error("entities: [EMAIL_ADDRESS, NOPE]\n", "line 1", "unknown entity 'NOPE'");
	expect_error("entities: []\n", "line 1", "the list is empty");
	expect_error("fields:\n  a: scramble\n", "line 2", "must be scan, keep, tag, pseudonym or drop");
	expect_error("allow:\n  - '/(unclosed/'\n", "line 2", "allow pattern '/(unclosed/'");
	expect_error("rules:\n  X:\n    pattern: '('\n", "line 3", "rule 'X'");
	expect_error("rules:\n  X: {pattern: a, colour: red}\n", "line 2", "unknown key 'colour' (pattern, words");
	expect_error("rules:\n  X: {score: 0.5}\n", "line 2", "give a pattern or words");
	expect_error("rules:\n  EMAIL_ADDRESS: {pattern: a}\n", "line 2", "is a built-in entity");
	expect_error("rules:\n  X: {pattern: a}\n  x: {pattern: b}\n", "line 3", "defined twice");
	expect_error("rules:\n  X: {pattern: a, validator: crc}\n", "line 2", "validator");
	expect_error("per_entity:\n  EMAIL_ADDRESS: {colour: red}\n", "line 2", "unknown key 'colour' (operator, min_score)");
	expect_error("deny: []\n", "line 1", "deny: the list is empty");
	expect_error("operator: tag\noperator: mask\n", "line 2", "'operator' is given twice");
	expect_error("- a\n- b\n", "line 1", "must be a mapping");
	expect_error("fields: [\n", "line 2", "");
	expect_error("assets:\n  es: {port: 9200}\n", "line 2", "guarded_by");
	expect_error("assets:\n  es: {guarded_by: nsg, port: 70000}\n", "line 2", "port: a number from 1 to 65535");
	expect_error("assets:\n  es: {guarded_by: nsg, colour: red}\n", "line 2", "unknown key 'colour' (guarded_by");
	expect_error("assets:\n  es: {guarded_by: nsg, addresses: [10.0.0.4, es.internal]}\n", "line 2",
		     "'es.internal' is no address");
	expect_error("ignore:\n  - {fingerprint: 0123456789abcdef}\n", "line 2", "needs a reason");
	expect_error("ignore:\n  - {fingerprint: 0123456789ABCDEF, reason: x}\n", "line 2", "16 lowercase hex");
	expect_error("ignore:\n  - {fingerprint: 0123456789abcde, reason: x}\n", "line 2", "16 lowercase hex");
	expect_error("ignore:\n  - {fingerprint: 0123456789abcdef, reason: x, expires: 2027-02-30}\n", "line 2",
		     "is not a date");
	expect_error("ignore:\n  - {fingerprint: 0123456789abcdef, reason: x, expires: tomorrow}\n", "line 2",
		     "is not a date");
	/* more rules than entity numbers */
	char big[8192];
	size_t at = (size_t)snprintf(big, sizeof(big), "rules:\n");
	for (int i = 0; i <= CORDON_RULE_MAX; i++)
		at += (size_t)snprintf(big + at, sizeof(big) - at, "  R%d: {pattern: r%d}\n", i, i);
	expect_error(big, "line", "too many rules: at most 32");
	/* a NUL byte: not text */
	cordon_policy *p;
	assert_int_equal(cordon_policy_new(&p), CORDON_OK);
	assert_int_equal(cordon_policy_load(p, "t/cordon.yaml", "a: 1\0b", 6), CORDON_ERR_PARSE);
	assert_non_null(strstr(cordon_policy_error(p), "not text"));
	/* one file per policy */
	assert_int_equal(cordon_policy_load(p, "t/cordon.yaml", "", 0), CORDON_ERR_ARG);
	cordon_policy_free(p);
}

static void test_files(void **state)
{
	(void)state;
	cordon_policy *p;
	assert_int_equal(cordon_policy_new(&p), CORDON_OK);
	assert_int_equal(cordon_policy_load_file(p, "/nonexistent/cordon.yaml"), CORDON_ERR_IO);
	assert_non_null(strstr(cordon_policy_error(p), "cannot open config '/nonexistent/cordon.yaml'"));
	cordon_policy_free(p);
	assert_int_equal(cordon_policy_new(&p), CORDON_OK);
	assert_int_equal(cordon_policy_load_file(p, "/"), CORDON_ERR_IO);
	assert_non_null(strstr(cordon_policy_error(p), "it is a directory"));
	cordon_policy_free(p);
}

static void test_ignores_and_assets(void **state)
{
	(void)state;
	cordon_policy *p = load("ignore:\n"
				"  - fingerprint: 0123456789abcdef\n"
				"    reason: Azure SQL MI management, reviewed\n"
				"    expires: 2027-01-31\n"
				"  - {fingerprint: fedcba9876543210, reason: lab}\n"
				"assets:\n"
				"  es: {guarded_by: [nsg-a, nsg-b], port: 9200, config: es/elasticsearch.yml, auth: none,\n"
				"       addresses: [10.20.0.4, 10.20.1.0/24, 2001:db8::7]}\n"
				"  cache: {addresses: 10.20.0.9}\n",
				CORDON_OK);
	const char *const *addrs;
	size_t na;
	unsigned port;
	assert_int_equal(cordon_policy_asset_addresses(p, "es", &addrs, &na, &port), CORDON_OK);
	assert_int_equal(na, 3);
	assert_string_equal(addrs[1], "10.20.1.0/24");
	assert_int_equal(port, 9200);
	assert_int_equal(cordon_policy_asset_addresses(p, "cache", &addrs, &na, &port), CORDON_OK);
	assert_int_equal(na, 1);
	assert_int_equal(port, 0);
	assert_int_equal(cordon_policy_asset_addresses(p, "nope", &addrs, &na, &port), CORDON_ERR_ARG);
	const struct cordon_ignore *ig;
	size_t n;
	cordon_policy_ignores(p, &ig, &n);
	assert_int_equal(n, 2);
	assert_string_equal(ig[0].fingerprint, "0123456789abcdef");
	assert_int_equal(ig[0].line, 2);
	assert_int_equal((long long)ig[0].expires, 1801440000LL); /* 2027-02-01T00:00:00Z: the day is included */
	assert_int_equal((long long)ig[1].expires, 0);
	cordon_audit *a;
	assert_int_equal(cordon_audit_new(&a), CORDON_OK);
	assert_int_equal(cordon_policy_apply_audit(p, a), CORDON_OK);
	cordon_audit_free(a);
	cordon_policy_free(p);
}

/* The table the docs and messages come from. */
static void test_keys(void **state)
{
	(void)state;
	size_t n;
	const struct cordon_policy_key *k = cordon_policy_keys(NULL, &n);
	assert_non_null(k);
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(k[i].name);
		assert_non_null(k[i].help);
		/* every key in the table is read: none gives "unknown key" */
		char yaml[128];
		snprintf(yaml, sizeof(yaml), "%s: 1\n", k[i].name);
		cordon_policy *p;
		assert_int_equal(cordon_policy_new(&p), CORDON_OK);
		cordon_policy_load(p, "t", yaml, strlen(yaml));
		assert_null(strstr(cordon_policy_error(p), "unknown key"));
		cordon_policy_free(p);
	}
	const char *sections[] = { "rules", "per_entity", "assets", "ignore" };
	for (size_t s = 0; s < 4; s++)
		assert_non_null(cordon_policy_keys(sections[s], &n));
	assert_null(cordon_policy_keys("nope", &n));
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings),       cmocka_unit_test(test_unset_keeps_defaults),
		cmocka_unit_test(test_errors),         cmocka_unit_test(test_files),
		cmocka_unit_test(test_ignores_and_assets), cmocka_unit_test(test_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
