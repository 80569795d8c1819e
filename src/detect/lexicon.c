/* The name lists as one open-addressing hash table of folded words. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "detect/lexicon.h"

extern const char cordon_data_first_names[], cordon_data_surnames[], cordon_data_ambiguous[],
	cordon_data_stopwords[], cordon_data_cities[], cordon_data_dictionary[], cordon_data_census_given[],
	cordon_data_census_family[], cordon_data_gazetteer[];

enum { WORD_MAX = 48 };

/* An open-addressing table of folded words: each slot packs a 56-bit hash
 * and the word's 8 flag bits into one 64-bit word (0: empty), 8 bytes a
 * slot. Two tables: the words and names every capitalised word looks up
 * (about 78,000: 1 MB, kept hot), and the gazetteer's places, looked up
 * only after a cue or for a run of capitalised words (about 87,000: 1 MB). */
struct table {
	uint64_t *slot;
	unsigned bits;
	size_t n; /* slots in use: kept under 7/8 so every probe ends */
};
enum { WORDS_BITS = 17, PLACES_BITS = 17 };
static uint64_t words_slots[1u << WORDS_BITS], places_slots[1u << PLACES_BITS];
static struct table words = { words_slots, WORDS_BITS, 0 }, places = { places_slots, PLACES_BITS, 0 };
static pthread_once_t once = PTHREAD_ONCE_INIT;

static uint64_t key_of(uint64_t h)
{
	uint64_t key = h >> 8;
	return key ? key : 1;
}

/* The slot for key: its own, or the empty one where it would go. Both
 * tables stay under 70% full, so the probe ends. */
static uint64_t *slot_for(const struct table *t, uint64_t key)
{
	size_t mask = ((size_t)1 << t->bits) - 1, k = (size_t)key & mask;
	while (t->slot[k] && t->slot[k] >> 8 != key)
		k = (k + 1) & mask;
	return &t->slot[k];
}

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
			/* another script: as written ("Москва", "東京") */
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

/* Sets a slot; a new word past 7/8 of the table is not added (the data
 * compiled in fills neither table to 70%: test_person checks a word of
 * each list is found). */
static void set_slot(struct table *t, uint64_t *sl, uint64_t key, unsigned flags)
{
	if (!*sl) {
		if (t->n >= ((size_t)7 << t->bits) / 8)
			return;
		t->n++;
	}
	*sl = key << 8 | (*sl & 0xFF) | flags;
}

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

static void add_entry(struct table *t, const uchar *w, size_t len, unsigned flags)
{
	char f[WORD_MAX];
	size_t n = fold(w, len, f);
	if (!n)
		return;
	uint64_t key = key_of(hash(f, n)), *sl = slot_for(t, key);
	set_slot(t, sl, key, flags);
}

/* One entry per line, blanks inside kept ("New York", "Rio de Janeiro"). */
/* The first words of the places of several words ("san" of "San
 * Francisco"), as bits of their hash: a run of capitalised words whose first
 * word has no bit ("Windows Update") is no place, without a lookup. */
enum { FIRST_BITS = 16 };
static uint64_t place_first[(1u << FIRST_BITS) / 64];

static void add_lines(struct table *t, const char *list, unsigned flags)
{
	const uchar *p = (const uchar *)list;
	while (*p) {
		const uchar *w = p;
		while (*p && *p != '\n')
			p++;
		if (p > w) {
			add_entry(t, w, (size_t)(p - w), flags);
			const uchar *sp = memchr(w, ' ', (size_t)(p - w));
			char f[WORD_MAX];
			size_t n = sp ? fold(w, (size_t)(sp - w), f) : 0;
			if (n) {
				uint64_t h = hash(f, n) & ((1u << FIRST_BITS) - 1);
				place_first[h / 64] |= 1ull << (h % 64);
			}
		}
		if (*p)
			p++;
	}
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
	add_lines(&places, cordon_data_gazetteer, LEX_PLACE);
}

static int built; /* set (release) once the table is complete */

static void build_once(void)
{
	build();
	__atomic_store_n(&built, 1, __ATOMIC_RELEASE);
}

/* Folds and hashes in one pass, as fold() then hash() would: the hot path
 * (every capitalised word of every text) copies nothing. */
static unsigned lookup(const struct table *t, const uchar *s, size_t len)
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
	uint64_t sl = *slot_for(t, key_of(h));
	return sl ? (unsigned)(sl & 0xFF) : 0;
}

unsigned lexicon_lookup(const uchar *s, size_t len)
{
	return lookup(&words, s, len);
}

unsigned lexicon_place(const uchar *s, size_t len)
{
	return lookup(&places, s, len);
}

int lexicon_place_first(const uchar *s, size_t len)
{
	if (!__atomic_load_n(&built, __ATOMIC_ACQUIRE))
		pthread_once(&once, build_once);
	char f[WORD_MAX];
	size_t n = fold(s, len, f);
	if (!n)
		return 0;
	uint64_t h = hash(f, n) & ((1u << FIRST_BITS) - 1);
	return (place_first[h / 64] >> (h % 64)) & 1;
}
