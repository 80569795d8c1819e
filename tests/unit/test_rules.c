/* User rules: patterns run by Vectorscan or, when it cannot take them, by
 * PCRE2; validators; context words; the deny list; and the errors a bad rule
 * gives, each naming the rule. */
#include "detect_cases.h"

static uint64_t only; /* entities to find, 0: all */

static cordon_engine *engine_with(const struct cordon_rule *rules, size_t n, char *err, size_t errlen,
				  cordon_code *rc)
{
	struct cordon_engine_options o = CORDON_ENGINE_OPTIONS_INIT;
	o.entities = only;
	o.rules = rules;
	o.nrules = n;
	o.error = err;
	o.error_len = errlen;
	cordon_engine *e = NULL;
	*rc = cordon_engine_new(&e, &o);
	return e;
}

/* The values found in text for entity, joined by '|'. */
static const char *found(cordon_engine *e, const char *text, cordon_entity entity)
{
	static char out[512];
	const struct cordon_finding *f;
	size_t n, o = 0;
	out[0] = '\0';
	assert_int_equal(cordon_engine_scan(e, text, strlen(text), &f, &n), CORDON_OK);
	for (size_t k = 0; k < n; k++)
		if (f[k].entity == entity)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%.*s", o ? "|" : "",
					      (int)(f[k].end - f[k].start), text + f[k].start);
	return out;
}

static void test_patterns(void **state)
{
	(void)state;
	const char *ctx[] = { "customer" };
	struct cordon_rule rules[] = {
		{ .name = "CUSTOMER_ID", .pattern = "CUST-[0-9]{8}", .score = 0.6 },
		/* a look-behind: Vectorscan cannot take it, PCRE2 runs it */
		{ .name = "TICKET_REF", .pattern = "(?<=ref:)[A-Z]{3}[0-9]{4}", .score = 0.9 },
		/* a low score that only a context word lifts over 0.5 */
		{ .name = "ACCOUNT_NO", .pattern = "\\bA[0-9]{6}\\b", .score = 0.4, .context = ctx, .ncontext = 1 },
		{ .name = "HOSTNAME", .pattern = "\\b[a-z]+[0-9]+\\.corp\\.contoso\\.com\\b", .caseless = 1, .score = 0.8 },
	};
	char err[256] = "";
	cordon_code rc;
	cordon_engine *e = engine_with(rules, 4, err, sizeof(err), &rc);
	assert_int_equal(rc, CORDON_OK);
	cordon_entity id = (cordon_entity)CORDON_ENTITY_RULE_FIRST;
	assert_string_equal(cordon_engine_entity_name(e, id), "CUSTOMER_ID");
	assert_int_equal(cordon_engine_entity_count(e), CORDON_ENTITY_RULE_FIRST + 4);
	assert_string_equal(found(e, "ids CUST-12345678 and CUST-87654321, not CUST-1234", id),
			    "CUST-12345678|CUST-87654321");
	assert_string_equal(found(e, "see ref:ABC1234 and ABC9999", (cordon_entity)(id + 1)), "ABC1234");
	assert_string_equal(found(e, "number A123456 in the log", (cordon_entity)(id + 2)), "");
	assert_string_equal(found(e, "customer number A123456", (cordon_entity)(id + 2)), "A123456");
	assert_string_equal(found(e, "ping SRV01.corp.contoso.com now", (cordon_entity)(id + 3)),
			    "SRV01.corp.contoso.com");

	/* a finding carries its rule's name, and clones keep the rules */
	cordon_engine *c;
	assert_int_equal(cordon_engine_clone(e, &c), CORDON_OK);
	const struct cordon_finding *f;
	size_t n;
	assert_int_equal(cordon_engine_scan(c, "CUST-00000001", 13, &f, &n), CORDON_OK);
	assert_int_equal(n, 1);
	assert_string_equal(f[0].name, "CUSTOMER_ID");
	cordon_engine_free(c);
	cordon_engine_free(e);
}

static void test_validators(void **state)
{
	(void)state;
	struct cordon_rule rules[] = {
		{ .name = "CARD_REF", .pattern = "\\b[0-9]{16}\\b", .validator = "luhn", .score = 0.7 },
		{ .name = "ROUTING", .pattern = "\\b[0-9]{9}\\b", .validator = "aba", .score = 0.7 },
		{ .name = "IBANISH", .pattern = "\\bGB[0-9]{2}[A-Z]{4}[0-9]{14}\\b", .validator = "mod97", .score = 0.7 },
		{ .name = "AADHAAR", .pattern = "\\b[0-9]{12}\\b", .validator = "verhoeff", .score = 0.7 },
	};
	char err[256];
	cordon_code rc;
	/* the rules alone: the built-in detectors would claim these values */
	only = 0xfull << CORDON_ENTITY_RULE_FIRST;
	cordon_engine *e = engine_with(rules, 4, err, sizeof(err), &rc);
	only = 0;
	assert_int_equal(rc, CORDON_OK);
	cordon_entity id = (cordon_entity)CORDON_ENTITY_RULE_FIRST;
	assert_string_equal(found(e, "4111111111111111 4111111111111112", id), "4111111111111111");
	assert_string_equal(found(e, "011000015 and 011000016", (cordon_entity)(id + 1)), "011000015");
	assert_string_equal(found(e, "GB82WEST12345698765432 GB82WEST12345698765433", (cordon_entity)(id + 2)),
			    "GB82WEST12345698765432");
	/* 234567890124 has the Verhoeff check digit (computed apart, in Python) */
	assert_string_equal(found(e, "234567890124 and 234567890125", (cordon_entity)(id + 3)), "234567890124");
	cordon_engine_free(e);
}

static void test_deny_list(void **state)
{
	(void)state;
	const char *words[] = { "Project Falcon", "Contoso-Internal", "c++" };
	struct cordon_rule r = { .name = "DENY_LIST", .words = words, .nwords = 3, .score = 1.0 };
	char err[256];
	cordon_code rc;
	cordon_engine *e = engine_with(&r, 1, err, sizeof(err), &rc);
	assert_int_equal(rc, CORDON_OK);
	cordon_entity id = (cordon_entity)CORDON_ENTITY_RULE_FIRST;
	assert_string_equal(found(e, "about project  falcon and CONTOSO-INTERNAL docs", id),
			    "project  falcon|CONTOSO-INTERNAL");
	assert_string_equal(found(e, "Project Falconry is a word of its own", id), "");
	assert_string_equal(found(e, "written in C++, not xc++ or c++x", id), "C++");
	cordon_engine_free(e);
}

/* Overlapping findings share their bytes out: the better one keeps the
 * overlap, the other keeps the rest, so no byte of either is left in clear. */
static void test_overlaps(void **state)
{
	(void)state;
	struct cordon_rule rules[] = {
		{ .name = "WIDE", .pattern = "W[a-z ]+W", .score = 0.6 },
		{ .name = "INNER", .pattern = "inner", .score = 0.9 },
		{ .name = "TAIL", .pattern = "zzW qq", .score = 0.7 },
	};
	char err[256] = "";
	cordon_code rc;
	cordon_engine *e = engine_with(rules, 3, err, sizeof(err), &rc);
	assert_int_equal(rc, CORDON_OK);
	cordon_entity wide = (cordon_entity)CORDON_ENTITY_RULE_FIRST;
	const char *text = "a Wxx inner yy inner zzW qq end";
	/* WIDE spans "Wxx inner yy inner zzW", INNER twice inside it, TAIL
	 * overlaps its end and goes on past it */
	assert_string_equal(found(e, text, (cordon_entity)(wide + 1)), "inner|inner");
	assert_string_equal(found(e, text, (cordon_entity)(wide + 2)), "zzW qq");
	assert_string_equal(found(e, text, wide), "Wxx | yy "); /* its own bytes, around the others */
	const struct cordon_finding *f;
	size_t n;
	assert_int_equal(cordon_engine_scan(e, text, strlen(text), &f, &n), CORDON_OK);
	char seen[64] = "";
	for (size_t k = 0; k < n; k++) {
		if (k)
			assert_true(f[k].start >= f[k - 1].end); /* sorted, none overlapping */
		for (size_t b = f[k].start; b < f[k].end; b++)
			seen[b] = 1;
	}
	/* a password's "!!" left over after a better finding took the rest is
	 * still covered: only blanks, commas and semicolons are dropped */
	struct cordon_rule bang[] = { { .name = "WORD", .pattern = "P@ssw0rd", .score = 1.0 } };
	char err2[256] = "";
	cordon_code rc2;
	cordon_engine *e2 = engine_with(bang, 1, err2, sizeof(err2), &rc2);
	assert_int_equal(rc2, CORDON_OK);
	const char *pw = "my password is P@ssw0rd!! now";
	const struct cordon_finding *g;
	size_t gn;
	assert_int_equal(cordon_engine_scan(e2, pw, strlen(pw), &g, &gn), CORDON_OK);
	size_t bang_at = strlen("my password is P@ssw0rd");
	int covered = 0;
	for (size_t k = 0; k < gn; k++)
		covered |= g[k].start <= bang_at && g[k].end >= bang_at + 2;
	assert_true(covered);
	cordon_engine_free(e2);
	/* every letter of the three is in a finding; only a lone blank is not */
	for (size_t b = 2; b < strlen("a Wxx inner yy inner zzW qq"); b++)
		assert_true(seen[b] || text[b] == ' ');
	cordon_engine_free(e);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		struct cordon_rule rule;
		const char *message;
	} bad[] = {
		{ { .name = "BROKEN", .pattern = "CUST-[0-9", .score = 0.5 }, "rule 'BROKEN': bad pattern" },
		{ { .name = "CHECKED", .pattern = "[0-9]+", .validator = "crc32", .score = 0.5 },
		  "rule 'CHECKED': unknown validator 'crc32'" },
		{ { .name = "EMPTY", .pattern = "x*", .score = 0.5 }, "rule 'EMPTY': the pattern matches the empty string" },
		{ { .name = "EMAIL_ADDRESS", .pattern = "x", .score = 0.5 }, "built-in" },
		{ { .name = "bad name", .pattern = "x", .score = 0.5 }, "must be letters, digits and '_'" },
		{ { .name = "NOTHING", .score = 0.5 }, "rule 'NOTHING': give either a pattern or words" },
		{ { .name = "HIGH", .pattern = "x", .score = 1.5 }, "rule 'HIGH': the score must be from 0 to 1" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char err[256] = "";
		cordon_code rc;
		cordon_engine *e = engine_with(&bad[i].rule, 1, err, sizeof(err), &rc);
		assert_null(e);
		assert_int_equal(rc, CORDON_ERR_ARG);
		if (!strstr(err, bad[i].message))
			fail_msg("rule %zu: '%s' does not say '%s'", i, err, bad[i].message);
	}
	struct cordon_rule twice[] = { { .name = "A_ID", .pattern = "a1", .score = 0.5 },
				       { .name = "a_id", .pattern = "a2", .score = 0.5 } };
	char err[256] = "";
	cordon_code rc;
	assert_null(engine_with(twice, 2, err, sizeof(err), &rc));
	assert_non_null(strstr(err, "defined twice"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_deny_list),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
