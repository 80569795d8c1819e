/* The word lists and the gazetteer as open-addressing hash tables of folded words. */
#include <stdint.h>
#include <string.h>
#include "detect/lexicon.h"
#include "detect/lexicon_table.h"

/* Two tables (layout in lexicon_table.h), both written at build time and
 * read as they are, never built by a process: the words and names every
 * capitalised word looks up (about 78,000: 1 MB, scripts/words.c), and the
 * gazetteer's places (about 87,000: 1 MB, scripts/gazetteer.c), looked up
 * only after a cue or for a run of capitalised words. */
extern const uint64_t cordon_words_slots[1u << WORDS_BITS];
extern const uint64_t cordon_places_slots[1u << PLACES_BITS], cordon_places_first[(1u << FIRST_BITS) / 64];

/* Folds and hashes in one pass, as hash(fold()) would: the hot path (every
 * capitalised word of every text) copies nothing. 0: the word does not
 * fit (empty, or longer than WORD_MAX folded). */
static uint64_t fold_hash(const uchar *s, size_t len)
{
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
	return h ? h : 1;
}

static unsigned lookup(const uint64_t *slots, unsigned bits, const uchar *s, size_t len)
{
	uint64_t h = fold_hash(s, len);
	if (!h)
		return 0;
	uint64_t sl = *slot_in(slots, bits, key_of(h));
	return sl ? (unsigned)(sl & 0xFF) : 0;
}

unsigned lexicon_lookup(const uchar *s, size_t len)
{
	return lookup(cordon_words_slots, WORDS_BITS, s, len);
}

unsigned lexicon_place(const uchar *s, size_t len)
{
	return lookup(cordon_places_slots, PLACES_BITS, s, len);
}

int lexicon_place_first(const uchar *s, size_t len)
{
	uint64_t h = fold_hash(s, len);
	if (!h)
		return 0;
	h &= (1u << FIRST_BITS) - 1;
	return (cordon_places_first[h / 64] >> (h % 64)) & 1;
}
