/* The lexicon's lookups answer as its tables do. Each thread keeps a memo
 * of the words it asked last, keyed by their bytes and read 16 bytes at a
 * time where the page allows: these tests hold it to the tables' own
 * answers (lexicon_table) for words that evict each other, words that share
 * a prefix, words followed by other bytes, words at the end of a page that
 * the next page cannot be read past, and threads that ask at once. */
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
#include "detect/lexicon.h"

/* The three lookups against the tables, for s[0..n). */
static void same_as_tables(const uchar *s, size_t n)
{
	unsigned w = lexicon_lookup(s, n), p = lexicon_place(s, n);
	int f = lexicon_place_first(s, n);
	if (w != lexicon_table(LEXICON_WORDS, s, n) || p != lexicon_table(LEXICON_PLACES, s, n) ||
	    (unsigned)f != lexicon_table(LEXICON_PLACE_FIRST, s, n))
		fail_msg("lexicon memo differs from its tables for '%.*s' (%zu bytes)", (int)n, (const char *)s, n);
}

/* Words of the lists and words of no list: names, places, common words,
 * stopwords, accents, other scripts, and lengths round 8 and 16. */
static const char *const known[] = {
	"Maria", "maria", "MARIA", "Mar\xc3\xad" "a", "Agent", "Hi", "Thanks", "Windows", "Teams", "Berlin",
	"M\xc3\xbcnchen", "Muenchen", "New", "York", "Rio", "Smith", "Garc\xc3\xad" "a", "Zoom", "Reading",
	"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0", "\xe6\x9d\xb1\xe4\xba\xac", "Abcdefgh", "Abcdefghi",
	"Abcdefghijklmnop", "Abcdefghijklmnopq", "Washington", "Philadelphia", "Christopher", "Alexandrina",
	"Constantinople", "Rechnungsadresse", "Massachusetts", "x", "O'Brien", "Jean-Pierre", NULL
};

static void test_known_words(void **state)
{
	(void)state;
	for (int round = 0; round < 3; round++) /* first asked, then from the memo */
		for (const char *const *w = known; *w; w++)
			same_as_tables((const uchar *)*w, strlen(*w));
	/* the answer for a word is not the one for its prefix or its longer
	 * twin: the key holds the length and every byte */
	assert_int_equal(lexicon_lookup((const uchar *)"Maria", 5), lexicon_table(LEXICON_WORDS, (const uchar *)"Maria", 5));
	assert_int_equal(lexicon_lookup((const uchar *)"Mari", 4), lexicon_table(LEXICON_WORDS, (const uchar *)"Mari", 4));
	assert_int_equal(lexicon_lookup((const uchar *)"Maria", 5), lexicon_table(LEXICON_WORDS, (const uchar *)"Maria", 5));
	assert_true(lexicon_lookup((const uchar *)"Maria", 5) & LEX_FIRST);
	assert_true(lexicon_place((const uchar *)"Berlin", 6) & LEX_PLACE);
}

/* A word reads the same whatever bytes follow it in the text: the bytes
 * read past it are masked off. */
static void test_bytes_after(void **state)
{
	(void)state;
	static const char *const tails[] = { "", " ", "xyzxyzxyzxyzxyzxyz", "\xff\xff\xff\xff\xff\xff\xff\xff",
					     "aria Smith", NULL };
	char buf[64];
	for (const char *const *w = known; *w; w++) {
		size_t n = strlen(*w);
		unsigned want = lexicon_table(LEXICON_WORDS, (const uchar *)*w, n);
		for (const char *const *t = tails; *t; t++) {
			memset(buf, 0, sizeof(buf));
			memcpy(buf, *w, n);
			memcpy(buf + n, *t, strlen(*t));
			assert_int_equal(lexicon_lookup((const uchar *)buf, n), want);
			same_as_tables((const uchar *)buf, n);
		}
	}
}

/* Many more words than the memo has slots, asked again and again in a
 * random order: every answer is the tables'. */
static void test_evictions(void **state)
{
	(void)state;
	static const char alphabet[] = "aeinorstlMBSTKaAeE\xc3\xa9\xc3\xbc" "'-";
	enum { WORDS = 6000 };
	static uchar words[WORDS][24];
	static size_t lens[WORDS];
	size_t nknown = sizeof(known) / sizeof(*known) - 1;
	srand(13);
	for (size_t k = 0; k < WORDS; k++) {
		if (k < nknown) {
			lens[k] = strlen(known[k]);
			memcpy(words[k], known[k], lens[k]);
			continue;
		}
		lens[k] = 1 + (size_t)rand() % 20;
		for (size_t i = 0; i < lens[k]; i++)
			words[k][i] = (uchar)alphabet[rand() % (sizeof(alphabet) - 1)];
	}
	for (int round = 0; round < 200000; round++) {
		size_t k = (size_t)rand() % WORDS;
		same_as_tables(words[k], lens[k]);
	}
}

/* A word that ends a page, the next page unreadable: each length up to 17
 * is read without a fault and answers as the tables do. */
static void test_page_end(void **state)
{
	(void)state;
	long page = sysconf(_SC_PAGESIZE);
	uchar *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + page, (size_t)page, PROT_NONE), 0);
	static const char *const words[] = { "Berlin", "Maria", "Abcdefghijklmnop", "Philadelphia", "Hi", NULL };
	for (const char *const *w = words; *w; w++) {
		size_t n = strlen(*w);
		for (size_t room = n; room <= n + 17; room++) { /* the word, then room - n bytes to the page's end */
			uchar *at = p + page - room;
			memset(p + page - 64, 'q', 64);
			memcpy(at, *w, n);
			same_as_tables(at, n);
			for (size_t cut = 1; cut <= n; cut++)
				same_as_tables(at + n - cut, cut); /* its last bytes alone */
		}
	}
	munmap(p, (size_t)page * 2);
}

static void *ask(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	for (int round = 0; round < 50000; round++) {
		const char *w = known[rand_r(&seed) % (sizeof(known) / sizeof(*known) - 1)];
		size_t n = strlen(w);
		if (lexicon_lookup((const uchar *)w, n) != lexicon_table(LEXICON_WORDS, (const uchar *)w, n) ||
		    lexicon_place((const uchar *)w, n) != lexicon_table(LEXICON_PLACES, (const uchar *)w, n))
			return (void *)1;
	}
	return NULL;
}

/* Threads asking at once each keep their own memo. */
static void test_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	for (uintptr_t k = 0; k < 4; k++)
		assert_int_equal(pthread_create(&t[k], NULL, ask, (void *)(k + 1)), 0);
	for (int k = 0; k < 4; k++) {
		void *r;
		assert_int_equal(pthread_join(t[k], &r), 0);
		assert_null(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_words),
		cmocka_unit_test(test_bytes_after),
		cmocka_unit_test(test_evictions),
		cmocka_unit_test(test_page_end),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
