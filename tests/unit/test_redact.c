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
#include "redact/siv.h"

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
	assert_int_equal(cordon_redactor_replace(r, "x", &(struct cordon_finding){ .entity = CORDON_EMAIL_ADDRESS, .start = 0, .end = 1, .score = 1 },
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

static void unhex(const char *h, unsigned char *o)
{
	for (size_t i = 0; h[2 * i]; i++)
		sscanf(h + 2 * i, "%2hhx", &o[i]);
}

/* RFC 5297 appendix A.1: deterministic AES-SIV with associated data. */
static void test_siv_known_answer(void **state)
{
	(void)state;
	unsigned char key[32], ad[24], pt[14], want[30], out[30], back[14];
	unhex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", key);
	unhex("101112131415161718191a1b1c1d1e1f2021222324252627", ad);
	unhex("112233445566778899aabbccddee", pt);
	unhex("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c", want);
	assert_int_equal(siv_encrypt("AES-128-SIV", key, ad, sizeof(ad), pt, sizeof(pt), out), 0);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(siv_decrypt("AES-128-SIV", key, ad, sizeof(ad), out, sizeof(out), back), 0);
	assert_memory_equal(back, pt, sizeof(pt));
	out[20] ^= 1;
	assert_int_equal(siv_decrypt("AES-128-SIV", key, ad, sizeof(ad), out, sizeof(out), back), -1);
}

static void test_encrypt_restore(void **state)
{
	(void)state;
	cordon_redactor *r, *other;
	assert_int_equal(cordon_redactor_new(&r, CORDON_OP_ENCRYPT), CORDON_OK);
	assert_int_equal(cordon_redactor_set_key(r, "0123456789abcdef", 16), CORDON_OK);
	char a[256], b[256];
	snprintf(a, sizeof(a), "%s", replace_first(r, "mail XYZ @ contoso com"));
	snprintf(b, sizeof(b), "%s", replace_first(r, "write XYZ @ contoso com"));
	assert_string_equal(a, b); /* deterministic */
	assert_int_equal(strncmp(a, "[EMAIL_ADDRESS:enc:", 19), 0);
	assert_string_not_equal(a, replace_first(r, "mail xyz@contoso.com"));

	const char *v;
	size_t n;
	assert_int_equal(cordon_redactor_restore(r, a, strlen(a), &v, &n), CORDON_OK);
	assert_int_equal(n, strlen("XYZ @ contoso com"));
	assert_memory_equal(v, "XYZ @ contoso com", n);

	/* a changed token, another entity's name, another key: all refused */
	char t[256];
	snprintf(t, sizeof(t), "%s", a);
	t[25] = t[25] == 'A' ? 'B' : 'A';
	assert_int_equal(cordon_redactor_restore(r, t, strlen(t), &v, &n), CORDON_ERR_KEY);
	snprintf(t, sizeof(t), "[PHONE_NUMBER%s", strchr(a, ':'));
	assert_int_equal(cordon_redactor_restore(r, t, strlen(t), &v, &n), CORDON_ERR_KEY);
	assert_int_equal(cordon_redactor_new(&other, CORDON_OP_ENCRYPT), CORDON_OK);
	assert_int_equal(cordon_redactor_set_key(other, "fedcba9876543210", 16), CORDON_OK);
	assert_int_equal(cordon_redactor_restore(other, a, strlen(a), &v, &n), CORDON_ERR_KEY);
	assert_int_equal(cordon_redactor_restore(r, "[EMAIL_ADDRESS]", 15, &v, &n), CORDON_ERR_ARG);
	cordon_redactor_free(other);
	cordon_redactor_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_and_mask),
		cmocka_unit_test(test_pseudonym),
		cmocka_unit_test(test_key_file),
		cmocka_unit_test(test_siv_known_answer),
		cmocka_unit_test(test_encrypt_restore),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
