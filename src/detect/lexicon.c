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

/* The answers for the words asked last, by their bytes as written: a
 * support text's capitalised words are few and come again ("Agent", "Hi",
 * "Teams", "Windows"), and a memo hit costs a fraction of a fold, a hash and
 * a probe into a 1 MB table. Keyed by the bytes themselves (up to MEMO_WORD),
 * so a hit is exact; each thread has its own, and the tables never change. */
enum { MEMO_WORD = 16, MEMO_BITS = 10 };
struct memo_slot {
	uint64_t key[2];
	unsigned char len, have; /* have: a bit per enum lexicon_table_query answered */
	unsigned char answer[3]; /* by enum lexicon_table_query */
};
static _Thread_local struct memo_slot memo[1u << MEMO_BITS];

/* The word's memo slot, claimed for it when another word had it; NULL when
 * the word is too long to key. */
static inline __attribute__((always_inline)) struct memo_slot *memo_slot(const uchar *s, size_t len)
{
	if (len == 0 || len > MEMO_WORD)
		return NULL;
	uint64_t key[2];
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (((uintptr_t)s & 4095) <= 4096 - MEMO_WORD) {
		/* 16 bytes from one page: the bytes past the word are read and
		 * masked off */
		key[0] = load_u64_page(s);
		key[1] = load_u64_page(s + 8);
		if (len < 8) {
			key[0] &= ~0ull >> (64 - 8 * len);
			key[1] = 0;
		} else if (len < 16) {
			key[1] &= len == 8 ? 0 : ~0ull >> (128 - 8 * len);
		}
	} else
#endif
	{
		key[0] = key[1] = 0;
		for (size_t i = 0; i < len; i++)
			key[i >> 3] |= (uint64_t)s[i] << (8 * (i & 7));
	}
	uint64_t h = (key[0] * 0x9E3779B97F4A7C15ull) ^ (key[1] * 0xC2B2AE3D27D4EB4Full) ^ len;
	struct memo_slot *m = &memo[(h * 0x165667B19E3779F9ull) >> (64 - MEMO_BITS)];
	if (m->len != len || m->key[0] != key[0] || m->key[1] != key[1]) {
		m->key[0] = key[0];
		m->key[1] = key[1];
		m->len = (unsigned char)len;
		m->have = 0;
	}
	return m;
}

static int place_first(const uchar *s, size_t len)
{
	uint64_t h = fold_hash(s, len);
	if (!h)
		return 0;
	h &= (1u << FIRST_BITS) - 1;
	return (cordon_places_first[h / 64] >> (h % 64)) & 1;
}

unsigned lexicon_table(enum lexicon_table_query q, const uchar *s, size_t len)
{
	switch (q) {
	case LEXICON_WORDS: return lookup(cordon_words_slots, WORDS_BITS, s, len);
	case LEXICON_PLACES: return lookup(cordon_places_slots, PLACES_BITS, s, len);
	case LEXICON_PLACE_FIRST: return (unsigned)place_first(s, len);
	}
	return 0;
}

/* The tables' answer to q for the word, from the memo when it has it. */
static inline __attribute__((always_inline)) unsigned memo_answer(enum lexicon_table_query q, const uchar *s,
								     size_t len)
{
	struct memo_slot *m = memo_slot(s, len);
	if (!m)
		return lexicon_table(q, s, len);
	if (!(m->have & 1u << q)) {
		m->answer[q] = (unsigned char)lexicon_table(q, s, len);
		m->have |= (unsigned char)(1u << q);
	}
	return m->answer[q];
}

unsigned lexicon_lookup(const uchar *s, size_t len)
{
	return memo_answer(LEXICON_WORDS, s, len);
}

unsigned lexicon_place(const uchar *s, size_t len)
{
	return memo_answer(LEXICON_PLACES, s, len);
}

int lexicon_place_first(const uchar *s, size_t len)
{
	return (int)memo_answer(LEXICON_PLACE_FIRST, s, len);
}
