/* The name lists as one open-addressing hash table of folded words. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "detect/lexicon.h"

extern const char cordon_data_first_names[], cordon_data_surnames[], cordon_data_ambiguous[],
	cordon_data_stopwords[], cordon_data_cities[], cordon_data_dictionary[], cordon_data_census_given[],
	cordon_data_census_family[];

enum { WORD_MAX = 32, TABLE_BITS = 17 }; /* about 70,000 words: a table half full */

struct slot {
	uint64_t hash; /* 0: empty */
	unsigned flags;
};

static struct slot table[1u << TABLE_BITS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Base letters of U+00C0..U+017F (UTF-8 C3 80 .. C5 BF), lowercase. */
static const char latin_base[] =
	"aaaaaaaceeeeiiiidnoooooxouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty"
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Folds s[0..len) into out (lowercase ASCII, accents dropped, apostrophes
 * and hyphens kept). Returns the length, or 0 when it does not fit or holds a
 * byte it cannot fold. */
static size_t fold(const uchar *s, size_t len, char out[WORD_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int c = s[i];
		if (c >= 0xC3 && c <= 0xC5 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			c = latin_base[(c - 0xC3) * 64 + (s[i + 1] & 0x3F)];
			i++;
		} else if (c >= 0x80) {
			return 0;
		} else {
			c = to_lower(c);
		}
		if (n == WORD_MAX)
			return 0;
		out[n++] = (char)c;
	}
	return n;
}

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uchar)s[i]) * 1099511628211ull;
	return h ? h : 1;
}

/* unless: a word already flagged so keeps its flags and gets none of these */
static void add_list_unless(const char *list, unsigned flags, unsigned unless)
{
	const uchar *p = (const uchar *)list;
	while (*p) {
		if (*p == '#') { /* a comment, to the end of the line */
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		const uchar *w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		char f[WORD_MAX];
		size_t n = fold(w, (size_t)(p - w), f);
		if (!n)
			continue;
		uint64_t h = hash(f, n);
		size_t mask = (1u << TABLE_BITS) - 1, k = h & mask;
		while (table[k].hash && table[k].hash != h)
			k = (k + 1) & mask;
		if (table[k].hash && (table[k].flags & unless))
			continue;
		table[k].hash = h;
		table[k].flags |= flags;
	}
}

static void add_list(const char *list, unsigned flags)
{
	add_list_unless(list, flags, 0);
}

static void build(void)
{
	add_list(cordon_data_first_names, LEX_FIRST);
	add_list(cordon_data_surnames, LEX_SURNAME);
	add_list(cordon_data_ambiguous, LEX_FIRST | LEX_AMBIGUOUS);
	add_list(cordon_data_stopwords, LEX_STOP);
	add_list(cordon_data_cities, LEX_CITY);
	add_list(cordon_data_dictionary, LEX_COMMON);
	/* the census's names, but not its common words ("Will", "Mark",
	 * "Brown", "Young"): the hand lists decide those, with their cues */
	add_list_unless(cordon_data_census_given, LEX_FIRST, LEX_COMMON | LEX_STOP);
	add_list_unless(cordon_data_census_family, LEX_SURNAME, LEX_COMMON | LEX_STOP);
}

static int built; /* set (release) once the table is complete */

static void build_once(void)
{
	build();
	__atomic_store_n(&built, 1, __ATOMIC_RELEASE);
}

/* Folds and hashes in one pass, as fold() then hash() would: the hot path
 * (every capitalised word of every text) copies nothing. */
unsigned lexicon_lookup(const uchar *s, size_t len)
{
	if (!__atomic_load_n(&built, __ATOMIC_ACQUIRE))
		pthread_once(&once, build_once);
	if (len == 0 || len > WORD_MAX * 2)
		return 0;
	uint64_t h = 1469598103934665603ull;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int c = s[i];
		if (c >= 0x80) {
			if (c >= 0xC3 && c <= 0xC5 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
				c = latin_base[(c - 0xC3) * 64 + (s[i + 1] & 0x3F)];
				i++;
			} else {
				return 0;
			}
		} else {
			c = to_lower(c);
		}
		if (++n > WORD_MAX)
			return 0;
		h = (h ^ (uchar)c) * 1099511628211ull;
	}
	h = h ? h : 1;
	size_t mask = (1u << TABLE_BITS) - 1, k = h & mask;
	while (table[k].hash) {
		if (table[k].hash == h)
			return table[k].flags;
		k = (k + 1) & mask;
	}
	return 0;
}
