/* The word lists of data/names, compiled in and looked up by word: given
 * names, family names, names that are also common words, words that are never
 * the start of a name, cities, the common words of English (Debian's
 * wamerican) and the US Census names, and the gazetteer's places. Lookups
 * fold ASCII case and Latin accents ("José" finds "Jose"). The tables are
 * written at build time (scripts/words.c, scripts/gazetteer.c) and only read:
 * thread-safe, nothing to build at run time. */
#ifndef CORDON_DETECT_LEXICON_H
#define CORDON_DETECT_LEXICON_H

#include "detect/text.h"

enum lexicon_flag {
	LEX_FIRST = 1u << 0,     /* a given name */
	LEX_SURNAME = 1u << 1,   /* a family name */
	LEX_AMBIGUOUS = 1u << 2, /* also a common word, place or product */
	LEX_STOP = 1u << 3,      /* never starts a name */
	LEX_CITY = 1u << 4,
	LEX_COMMON = 1u << 5,    /* a common word of English (wamerican, lowercase there) */
	LEX_PLACE = 1u << 6      /* a city, state or province (GeoNames, in many languages) */
};

/* The flags of the word s[0..len), or 0. Thread-safe. */
unsigned lexicon_lookup(const uchar *s, size_t len);
/* LEX_PLACE when s[0..len) (one word or several) is in the gazetteer, or 0. */
unsigned lexicon_place(const uchar *s, size_t len);
/* Can a place of several words start with the word s[0..len)? (No: surely
 * none; yes: maybe.) */
int lexicon_place_first(const uchar *s, size_t len);

/* The tables' own answers, without the memo of recent words that the three
 * above keep per thread: the reference test_lexicon checks them against. */
enum lexicon_table_query { LEXICON_WORDS, LEXICON_PLACES, LEXICON_PLACE_FIRST };
unsigned lexicon_table(enum lexicon_table_query q, const uchar *s, size_t len);

#endif
