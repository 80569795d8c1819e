/* The vectorised anchor prefilter gives exactly the scalar reference's answer,
 * on random bytes and on text dense with anchors, at every block offset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "detect/detector.h"
#include "detect/prefilter.h"

static void compare(const struct prefilter *pf, const uchar *s, size_t len)
{
	for (size_t b = 0; b < len; b += 64)
		assert_int_equal(prefilter_block(pf, s, len, b), prefilter_block_scalar(pf, s, len, b));
}

static void test_matches_scalar(void **state)
{
	(void)state;
	uchar anchors[256] = { 0 };
	for (const char *a = "@&%\xEF:=_-0123456789"; *a; a++)
		anchors[(uchar)*a] = 1;
	struct prefilter pf;
	prefilter_init(&pf, anchors,
		       TRIGGER_WORD_AT | TRIGGER_WORD_PASS | TRIGGER_WORD_UPPER_A | TRIGGER_WORD_CAPITAL | TRIGGER_WORD_AT_NAME);
	static const char alphabet[] = "aAtTpPwWiIzZcCkKsSmMrRoehlunvbBgG @:.=-_0123456789\xEF\xBC\x80\xC3\xA4\xC5\xD0\xD1\x81 \n";
	uchar buf[1031];
	srand(7);
	for (int round = 0; round < 4000; round++) {
		size_t len = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = round & 1 ? (uchar)rand() : (uchar)alphabet[rand() % (sizeof(alphabet) - 1)];
		compare(&pf, buf, len);
	}
	const char *text = "at At pa Pw pi AKIA xat at@ (at) AB a t";
	compare(&pf, (const uchar *)text, strlen(text));
}

static void test_word_triggers(void **state)
{
	(void)state;
	const uchar *s = (const uchar *)"that at [at] password AKIA Ab O'Brien AB xY";
	size_t len = strlen((const char *)s);
	assert_int_equal(prefilter_word_triggers(s, len, 2), 0);              /* "at" inside "that" */
	assert_int_equal(prefilter_word_triggers(s, len, 5), TRIGGER_WORD_AT);
	assert_int_equal(prefilter_word_triggers(s, len, 9), TRIGGER_WORD_AT);
	assert_int_equal(prefilter_word_triggers(s, len, 13), TRIGGER_WORD_PASS);
	assert_int_equal(prefilter_word_triggers(s, len, 22), TRIGGER_WORD_UPPER_A);
	assert_int_equal(prefilter_word_triggers(s, len, 27), TRIGGER_WORD_CAPITAL); /* "Ab" */
	assert_int_equal(prefilter_word_triggers(s, len, 30), TRIGGER_WORD_CAPITAL); /* "O'Brien" */
	assert_int_equal(prefilter_word_triggers(s, len, 38), TRIGGER_WORD_UPPER_A); /* "AB": not a name */
	assert_int_equal(prefilter_word_triggers(s, len, 41), 0);                    /* "xY" */
	/* the at-sign's names, by their first three bytes */
	const uchar *t = (const uchar *)"x Arroba chiocciola \xD1\x81\xD0\xBE\xD0\xB1\xD0\xB0\xD0\xBA\xD0\xB0 snowy zzz";
	size_t tl = strlen((const char *)t);
	assert_int_equal(prefilter_word_triggers(t, tl, 2), TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CAPITAL);
	assert_int_equal(prefilter_word_triggers(t, tl, 9), TRIGGER_WORD_AT_NAME);
	/* "собака": any non-ASCII word start also wakes PERSON (other scripts) */
	assert_int_equal(prefilter_word_triggers(t, tl, 20), TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CAPITAL);
	assert_int_equal(prefilter_word_triggers(t, tl, 33), 0);                       /* "snowy" */
	assert_int_equal(prefilter_word_candidates(t, tl, 33), 0);                    /* "sno", not "sna" */
	assert_int_equal(prefilter_word_candidates(t, tl, 9), TRIGGER_WORD_AT_NAME);  /* "chi" */
	assert_int_equal(prefilter_word_candidates(t, tl, 34), 0);                    /* not a word start */
	/* a cue's last word in lower case, after the word its phrase has */
	const uchar *u = (const uchar *)"this is x, it is y, spoke with z -- w";
	size_t ul = strlen((const char *)u);
	assert_int_equal(prefilter_word_triggers(u, ul, 5), TRIGGER_WORD_CUE);        /* "this is" */
	assert_int_equal(prefilter_word_triggers(u, ul, 14), 0);                      /* "it is" */
	assert_int_equal(prefilter_word_candidates(u, ul, 14), TRIGGER_WORD_CUE);     /* the masks' superset */
	assert_int_equal(prefilter_word_triggers(u, ul, 26), TRIGGER_WORD_CUE);       /* "spoke with" */
	assert_int_equal(prefilter_word_triggers(u, ul, 33), TRIGGER_WORD_CUE);       /* "-- " */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_scalar),
		cmocka_unit_test(test_word_triggers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
