/* The word lists and the gazetteer as open-addressing hash tables of folded words. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "detect/lexicon.h"
#include "detect/lexicon_table.h"

extern const char cordon_data_first_names[], cordon_data_surnames[], cordon_data_ambiguous[],
	cordon_data_stopwords[], cordon_data_cities[], cordon_data_dictionary[], cordon_data_census_given[],
	cordon_data_census_family[];

/* Two tables (layout in lexicon_table.h): the words and names every
 * capitalised word looks up (about 78,000: 1 MB, built at the first lookup),
 * and the gazetteer's places (about 87,000: 1 MB), written at build time by
 * scripts/gazetteer.c and read as it is, looked up only after a cue or for a
 * run of capitalised words. */
enum { WORDS_BITS = 17 };
static uint64_t words_slots[1u << WORDS_BITS];
static struct table words = { words_slots, WORDS_BITS, 0 };
static pthread_once_t once = PTHREAD_ONCE_INIT;
extern const uint64_t cordon_places_slots[1u << PLACES_BITS], cordon_places_first[(1u << FIRST_BITS) / 64];

/* unless: a word already flagged so keeps its flags and gets none of these */
static void add_list_unless(struct table *t, const char *list, unsigned flags, unsigned unless)
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
		uint64_t key = key_of(hash(f, n)), *sl = slot_for(t, key);
		if (*sl && (*sl & unless))
			continue;
		set_slot(t, sl, key, flags);
	}
}

static void add_list(const char *list, unsigned flags)
{
	add_list_unless(&words, list, flags, 0);
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
	add_list_unless(&words, cordon_data_census_given, LEX_FIRST, LEX_COMMON | LEX_STOP);
	add_list_unless(&words, cordon_data_census_family, LEX_SURNAME, LEX_COMMON | LEX_STOP);
}

static int built; /* set (release) once the table is complete */

static void build_once(void)
{
	build();
	__atomic_store_n(&built, 1, __ATOMIC_RELEASE);
}

/* Folds and hashes in one pass, as fold() then hash() would: the hot path
 * (every capitalised word of every text) copies nothing. */
static unsigned lookup(const uint64_t *slots, unsigned bits, const uchar *s, size_t len)
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
			} /* else another script: as written, as fold() keeps it */
		} else {
			c = to_lower(c);
		}
		if (++n > WORD_MAX)
			return 0;
		h = (h ^ (uchar)c) * 1099511628211ull;
	}
	h = h ? h : 1;
	uint64_t sl = *slot_in(slots, bits, key_of(h));
	return sl ? (unsigned)(sl & 0xFF) : 0;
}

unsigned lexicon_lookup(const uchar *s, size_t len)
{
	return lookup(words_slots, WORDS_BITS, s, len);
}

unsigned lexicon_place(const uchar *s, size_t len)
{
	return lookup(cordon_places_slots, PLACES_BITS, s, len);
}

int lexicon_place_first(const uchar *s, size_t len)
{
	char f[WORD_MAX];
	size_t n = fold(s, len, f);
	if (!n)
		return 0;
	uint64_t h = hash(f, n) & ((1u << FIRST_BITS) - 1);
	return (cordon_places_first[h / 64] >> (h % 64)) & 1;
}
