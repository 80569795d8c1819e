/* The word tables' layout, shared by lexicon.c and the build-time tool that
 * writes the gazetteer's table (scripts/gazetteer.c): one fold, one hash, one
 * probe, so a table built at build time is read at run time as it was
 * written. An open-addressing table of folded words: each slot packs a
 * 56-bit hash and the word's 8 flag bits into one 64-bit word (0: empty). */
#ifndef CORDON_DETECT_LEXICON_TABLE_H
#define CORDON_DETECT_LEXICON_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "detect/text.h"

enum { WORD_MAX = 48 };

struct table {
	uint64_t *slot;
	unsigned bits;
	size_t n; /* slots in use: kept under 7/8 so every probe ends */
};

static inline uint64_t key_of(uint64_t h)
{
	uint64_t key = h >> 8;
	return key ? key : 1;
}

/* The slot for key in slots (1 << bits of them): its own, or the empty one
 * where it would go. Tables stay under 7/8 full, so the probe ends. */
static inline const uint64_t *slot_in(const uint64_t *slots, unsigned bits, uint64_t key)
{
	size_t mask = ((size_t)1 << bits) - 1, k = (size_t)key & mask;
	while (slots[k] && slots[k] >> 8 != key)
		k = (k + 1) & mask;
	return &slots[k];
}

static inline uint64_t *slot_for(const struct table *t, uint64_t key)
{
	return (uint64_t *)slot_in(t->slot, t->bits, key);
}

/* Base letters of U+00C0..U+017F (UTF-8 C3 80 .. C5 BF), lowercase. */
static const char latin_base[] =
	"aaaaaaaceeeeiiiidnoooooxouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty"
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Folds s[0..len) into out (lowercase ASCII, Latin accents dropped,
 * apostrophes and hyphens kept, other scripts as written). Returns the
 * length, or 0 when it does not fit. */
static inline size_t fold(const uchar *s, size_t len, char out[WORD_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		int c = s[i];
		if (c >= 0xC3 && c <= 0xC5 && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
			c = latin_base[(c - 0xC3) * 64 + (s[i + 1] & 0x3F)];
			i++;
		} else if (c < 0x80) {
			c = to_lower(c);
		} /* else another script: as written ("Москва", "東京") */
		if (n == WORD_MAX)
			return 0;
		out[n++] = (char)c;
	}
	return n;
}

static inline uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uchar)s[i]) * 1099511628211ull;
	return h ? h : 1;
}

/* Sets a slot; a new word past 7/8 of the table is not added (the data
 * compiled in fills no table to 70%: test_person and test_location check a
 * word of each list is found). */
static inline void set_slot(struct table *t, uint64_t *sl, uint64_t key, unsigned flags)
{
	if (!*sl) {
		if (t->n >= ((size_t)7 << t->bits) / 8)
			return;
		t->n++;
	}
	*sl = key << 8 | (*sl & 0xFF) | flags;
}

/* The gazetteer's tables: PLACES_BITS of slots, and the first words of the
 * places of several words ("san" of "San Francisco") as bits of their hash. */
enum { PLACES_BITS = 17, FIRST_BITS = 16 };
/* The words' table (scripts/words.c writes it): the names, stopwords,
 * cities and common words every capitalised word looks up. */
enum { WORDS_BITS = 17 };

#endif
