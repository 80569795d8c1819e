/* Word sets answer as a walk of their list does: every word in any case,
 * nothing else, exact sets by bytes, lists too long to hash walked, and a
 * first use from many threads at once builds the set once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "detect/detector.h"
#include "detect/wordset.h"

static int walk(const char *const *words, int exact, const uchar *s, size_t n)
{
	for (; *words; words++) {
		size_t i = 0;
		const char *w = *words;
		while (i < n && w[i] && (uchar)w[i] == (exact ? s[i] : (uchar)to_lower(s[i])))
			i++;
		if (i == n && !w[i])
			return 1;
	}
	return 0;
}

static const char *const streets[] = { "street", "st", "ave", "stra\xc3\x9f" "e", "rue", "Mixed", "", "a", NULL };
static const char *const areas[] = { "NW", "SW", "B", "EC", NULL };

static void against_walk(struct wordset *ws, const char *const *words, int exact)
{
	static const char alphabet[] = "stSTreEavVuU\xc3\x9f" "aAmixdMB NWCw";
	uchar buf[12];
	srand(5);
	for (int round = 0; round < 200000; round++) {
		size_t n = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (uchar)alphabet[rand() % (sizeof(alphabet) - 1)];
		assert_int_equal(wordset_has(ws, buf, n), walk(words, exact, buf, n));
	}
	for (const char *const *w = words; *w; w++)
		assert_int_equal(wordset_has(ws, (const uchar *)*w, strlen(*w)), walk(words, exact, (const uchar *)*w, strlen(*w)));
}

static void test_folded(void **state)
{
	(void)state;
	static struct wordset set = WORDSET(streets);
	assert_true(wordset_has(&set, (const uchar *)"STREET", 6));
	assert_true(wordset_has(&set, (const uchar *)"Ave", 3));
	assert_true(wordset_has(&set, (const uchar *)"STRA\xc3\x9f" "E", 7)); /* the ASCII letters folded */
	assert_false(wordset_has(&set, (const uchar *)"Mixed", 5));  /* a list word with a capital meets nothing */
	assert_false(wordset_has(&set, (const uchar *)"avenue", 6));
	assert_false(wordset_has(&set, (const uchar *)"av", 2));
	against_walk(&set, streets, 0);
}

static void test_exact(void **state)
{
	(void)state;
	static struct wordset set = WORDSET_EXACT(areas);
	assert_true(wordset_has(&set, (const uchar *)"NW", 2));
	assert_false(wordset_has(&set, (const uchar *)"nw", 2));
	against_walk(&set, areas, 1);
}

/* Words longer than the eight bytes read as one integer, and words that
 * share their first eight: the rest decides, in any case, at a page's end
 * (the integer is read past the word only inside its page), and a word
 * asked with a NUL or a byte of another script inside differs. */
static const char *const long_words[] = { "lieferadresse", "lieferadressen", "rechnungsadresse", "adresse",
					  "abcdefgh", "abcdefghi", "ABCDEFGHIJ", "\xc3\xa9tage", NULL };

static void test_long_words(void **state)
{
	(void)state;
	static struct wordset set = WORDSET(long_words);
	static const char alphabet[] = "adefghilnrsu\xc3\xa9tADEFGHIJ\0";
	long page = sysconf(_SC_PAGESIZE);
	uchar *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + page, (size_t)page, PROT_NONE), 0); /* a read past the page faults */
	uchar buf[20];
	srand(9);
	for (int round = 0; round < 300000; round++) {
		size_t n = (size_t)rand() % sizeof(buf);
		if (round % 3 == 0) { /* a list word, maybe changed in one byte or its case */
			const char *w = long_words[rand() % 8];
			n = strlen(w);
			memcpy(buf, w, n);
			if (rand() % 2)
				buf[rand() % n] ^= (uchar)(rand() % 2 ? 0x20 : 0x01);
		} else {
			for (size_t i = 0; i < n; i++)
				buf[i] = (uchar)alphabet[rand() % (sizeof(alphabet) - 1)];
		}
		uchar *at = map + page - n; /* the word ends where the page does */
		memcpy(at, buf, n);
		assert_int_equal(wordset_has(&set, at, n), walk(long_words, 0, buf, n));
		assert_int_equal(wordset_has(&set, buf, n), walk(long_words, 0, buf, n));
	}
	assert_true(wordset_has(&set, (const uchar *)"LieferAdresse", 13));
	assert_false(wordset_has(&set, (const uchar *)"lieferadresseX", 14));
	assert_false(wordset_has(&set, (const uchar *)"abcdefghij", 10)); /* the list has it with capitals */
	assert_false(wordset_has(&set, (const uchar *)"liefer\0dresse", 13));
	assert_true(wordset_has(&set, (const uchar *)"\xc3\xa9TAGE", 6));
	assert_false(wordset_has(&set, (const uchar *)"\xc3\x89tage", 6)); /* "É": not an ASCII capital */
	assert_false(set.walk);
	munmap(map, (size_t)page * 2);
}

/* "w0" .. "w511": more words than half the slots, so a set of them is
 * walked, not hashed. */
static const char *const *numbered_words(void)
{
	enum { N = WORDSET_SLOTS };
	static char text[N][8];
	static const char *words[N + 1];
	for (int k = 0; k < N; k++) {
		snprintf(text[k], sizeof(text[k]), "w%d", k);
		words[k] = text[k];
	}
	return words;
}

static void test_long_list_walked(void **state)
{
	(void)state;
	static struct wordset set;
	set.words = numbered_words();
	assert_true(wordset_has(&set, (const uchar *)"W511", 4));
	assert_false(wordset_has(&set, (const uchar *)"w512", 4));
	assert_true(set.walk);
}

/* wordset_find gives the list's own word (context scoring reports it as
 * the reason), in a hashed set and a walked one alike. */
static void test_find(void **state)
{
	(void)state;
	static struct wordset set = WORDSET(streets);
	assert_ptr_equal(wordset_find(&set, (const uchar *)"AVE", 3), streets[2]);
	assert_ptr_equal(wordset_find(&set, (const uchar *)"rue", 3), streets[4]);
	assert_null(wordset_find(&set, (const uchar *)"ru", 2));
	const char *const *words = numbered_words();
	static struct wordset walked;
	walked.words = words;
	assert_ptr_equal(wordset_find(&walked, (const uchar *)"W17", 3), words[17]);
	assert_null(wordset_find(&walked, (const uchar *)"w17x", 4));
}

/* context_find reads tokens of ASCII letters, digits, '-' and '#' in any
 * case, whole: "e-mail" and "ss#" are tokens, "mail" inside "e-mail" or
 * "email2" is none, and a token of 32 bytes or more is no word. */
static void test_context_tokens(void **state)
{
	(void)state;
	static const char *const list[] = { "mail", "e-mail", "ss#", "card", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
					    "direcci\xc3\xb3n", "\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81", "telefon", NULL };
	static struct wordset set = WORDSET(list);
	struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "send E-MAIL to", "e-mail" }, { "the email2 box", NULL }, { "your SS# is", "ss#" },
		{ "(card)", "card" }, { "cards", NULL }, { "xcard", NULL }, { "mail.", "mail" },
		{ "k\xc3\xa4rtchen card", "card" }, { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL },
		{ "", NULL },
		/* letters of two bytes are a token's ("dirección", "адрес"), a
		 * card in "kärtchen" is none; Latin-1's punctuation and the
		 * three-byte characters part tokens ("«mail»", "Telefon：") */
		{ "mi direcci\xc3\xb3n es", "direcci\xc3\xb3n" }, { "Direcci\xc3\xb3n:", "direcci\xc3\xb3n" },
		{ "\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81: ", "\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81" },
		{ "direcci\xc3\xb3nes", NULL }, { "k\xc3\xa4rtchen", NULL }, { "\xc2\xabmail\xc2\xbb", "mail" },
		{ "Telefon\xef\xbc\x9a", "telefon" }, { "\xe7\x94\xb5mail", "mail" },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		const uchar *s = (const uchar *)cases[k].text;
		const char *got = context_find(s, 0, strlen(cases[k].text), &set);
		if (cases[k].want)
			assert_string_equal(got ? got : "(none)", cases[k].want);
		else
			assert_null(got);
	}
	/* from inside a token: its tail is no token ("ecard" read from 'c') */
	const uchar *t = (const uchar *)"ecard card";
	assert_string_equal(context_find(t, 1, 10, &set), "card");
	assert_null(context_find(t, 1, 5, &set));
}

static struct wordset shared = WORDSET(streets);
static void *ask(void *arg)
{
	(void)arg;
	int ok = 1;
	for (int k = 0; k < 1000; k++)
		ok &= wordset_has(&shared, (const uchar *)"Rue", 3) && !wordset_has(&shared, (const uchar *)"ru", 2);
	return ok ? arg : NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t t[8];
	static int tag;
	for (int k = 0; k < 8; k++)
		assert_int_equal(pthread_create(&t[k], NULL, ask, &tag), 0);
	for (int k = 0; k < 8; k++) {
		void *r;
		pthread_join(t[k], &r);
		assert_ptr_equal(r, &tag);
	}
}

/* BYTE_IN (text.h) answers as strchr does, for every byte, the NUL
 * terminator included, for the sets the detectors write. */
#define CHECK_SET(set)                                                                          \
	for (int c = 0; c < 256; c++)                                                            \
		if (BYTE_IN(set, c) != (strchr(set, c) != NULL)) {                               \
			fprintf(stderr, "BYTE_IN(\"%s\", %d) differs from strchr\n", set, c);      \
			fail();                                                                  \
		}

static void test_byte_in(void **state)
{
	(void)state;
	CHECK_SET("#:.-(=");
	CHECK_SET(" ,;/");
	CHECK_SET(" -./(");
	CHECK_SET("_~*#|=+-");
	CHECK_SET("#$!%^&/\\|?");
	CHECK_SET("[({<");
	CHECK_SET("-_~*#|/=+:\"'");
	CHECK_SET(" \t\r\n,;");
	CHECK_SET("vdlbietyza");
	CHECK_SET(",:;-\n\r(");
	CHECK_SET(":[]()-/.*>");
	CHECK_SET(")]}'\"");
	CHECK_SET("()[]{}<>%");
	CHECK_SET("-._~%!$&'()*+,;=:");
	CHECK_SET("\xc3\xa9z"); /* bytes past ASCII */
	CHECK_SET("");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_byte_in),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_long_words),
		cmocka_unit_test(test_long_list_walked),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_context_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
