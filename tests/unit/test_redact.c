/* Operators: tag, mask, pseudonym (stable, keyed, normalised), key files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "cordon/cordon.h"

/* The replacement of the first finding in text. */
static char *replace_first(cordon_redactor *r, const char *text)
{
	static char out[256];
	cordon_engine *e;
	const struct cordon_finding *f;
	size_t n;
	assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
	assert_int_equal(cordon_engine_scan(e, text, strlen(text), &f, &n), CORDON_OK);
	assert_true(n >= 1);
	const char *repl;
	size_t len;
	assert_int_equal(cordon_redactor_replace(r, text, &f[0], &repl, &len), CORDON_OK);
	snprintf(out, sizeof(out), "%.*s", (int)len, repl);
	cordon_engine_free(e);
	return out;
}

static void test_tag_and_mask(void **state)
{
	(void)state;
	cordon_redactor *r;
	assert_int_equal(cordon_redactor_new(&r, CORDON_OP_TAG), CORDON_OK);
	assert_string_equal(replace_first(r, "mail john@contoso.com"), "[EMAIL_ADDRESS]");
	cordon_redactor_free(r);

	assert_int_equal(cordon_redactor_new(&r, CORDON_OP_MASK), CORDON_OK);
	static const struct { const char *in, *want; } masks[] = {
		{ "mail john@contoso.com", "j***@c******.com" },
		{ "mail XYZ @ contoso com", "x**@c******.com" },
		{ "card 4111 1111 1111 1111", "**** **** **** 1111" },
		{ "call 555-123-4567", "***-***-**67" },
		{ "key AKIAIOSFODNN7EXAMPLE", "********" },
	};
	for (size_t i = 0; i < sizeof(masks) / sizeof(*masks); i++)
		assert_string_equal(replace_first(r, masks[i].in), masks[i].want);
	cordon_redactor_free(r);
}

static void test_pseudonym(void **state)
{
	(void)state;
	cordon_redactor *r, *other;
	assert_int_equal(cordon_redactor_new(&r, CORDON_OP_PSEUDONYM), CORDON_OK);
	assert_int_equal(cordon_redactor_replace(r, "x", &(struct cordon_finding){ 0, 0, 1, 1 },
						 &(const char *){ NULL }, &(size_t){ 0 }),
			 CORDON_ERR_KEY);
	assert_int_equal(cordon_redactor_set_key(r, "short", 5), CORDON_ERR_KEY);
	assert_int_equal(cordon_redactor_set_key(r, "0123456789abcdef", 16), CORDON_OK);
	char a[64], b[64], c[64], d[64];
	snprintf(a, sizeof(a), "%s", replace_first(r, "write XYZ @ contoso com"));
	snprintf(b, sizeof(b), "%s", replace_first(r, "write xyz@contoso.com"));
	snprintf(c, sizeof(c), "%s", replace_first(r, "write xyz at contoso dot com"));
	snprintf(d, sizeof(d), "%s", replace_first(r, "write abc@contoso.com"));
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	assert_string_not_equal(a, d);
	assert_int_equal(strncmp(a, "[EMAIL_ADDRESS:", 15), 0);
	assert_int_equal(strlen(a), strlen("[EMAIL_ADDRESS:]") + 16);

	assert_int_equal(cordon_redactor_new(&other, CORDON_OP_PSEUDONYM), CORDON_OK);
	assert_int_equal(cordon_redactor_set_key(other, "another key of 16+ bytes", 24), CORDON_OK);
	assert_string_not_equal(replace_first(other, "write xyz@contoso.com"), a);
	/* phones: same number however it is written */
	snprintf(a, sizeof(a), "%s", replace_first(r, "call +1 (415) 555-2671"));
	snprintf(b, sizeof(b), "%s", replace_first(r, "call +14155552671"));
	assert_string_equal(a, b);
	cordon_redactor_free(r);
	cordon_redactor_free(other);
}

static void test_key_file(void **state)
{
	(void)state;
	char path[] = "/tmp/cordon-key-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0123456789abcdef0123\n", 21), 21);
	close(fd);
	cordon_redactor *r;
	assert_int_equal(cordon_redactor_new(&r, CORDON_OP_PSEUDONYM), CORDON_OK);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(cordon_redactor_set_key_file(r, path), CORDON_OK);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(cordon_redactor_set_key_file(r, path), CORDON_ERR_KEY);
	assert_non_null(strstr(cordon_redactor_error(r), "group or others"));
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_equal(cordon_redactor_set_key_file(r, path), CORDON_ERR_KEY);
	assert_int_equal(cordon_redactor_set_key_file(r, "/nonexistent/key"), CORDON_ERR_KEY);
	assert_int_equal(cordon_redactor_set_key_file(r, "/tmp"), CORDON_ERR_KEY);
	unlink(path);
	cordon_redactor_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_and_mask),
		cmocka_unit_test(test_pseudonym),
		cmocka_unit_test(test_key_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
