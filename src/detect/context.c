/* Context scoring: words just before a value say what it is ("e-mail", "card",
 * "SSN") or what it is not ("build", "KB", "case #"). Runs per candidate only. */
#include <string.h>
#include "detect/detector.h"

enum { CONTEXT_WINDOW = 48 }; /* bytes before a value searched for context words */
#define CONTEXT_BOOST 0.25
#define DECOY_PENALTY 0.6

/* A token's bytes: letters, digits, '-' and '#' (1); 2: and one may start it;
 * 8: a lead byte, after which a second byte (4) is the token's too.
 * The letters of two bytes in UTF-8 from U+00C0 on (lead bytes C3 to DF:
 * Latin with accents, Greek, Cyrillic, Hebrew, Arabic) and their second
 * bytes are a token's too, so "dirección", "endereço" and "адрес" are
 * words of a list; C2 (Latin-1's punctuation: "«", "·", "¿") and the
 * three-byte characters (fullwidth "：", CJK) still part tokens. */
static const unsigned char token_class[256] = {
	['#'] = 3, ['-'] = 1,
	['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3, ['4'] = 3, ['5'] = 3, ['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3,
#define L(c) [c] = 3, [c - 32] = 3
	L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'), L('k'), L('l'), L('m'),
	L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
#undef L
	[0x80 ... 0xBF] = 4, /* a second byte: a token's after a lead byte only */
	[0xC3 ... 0xDF] = 3 | 8,
};

const char *context_find(const uchar *s, size_t from, size_t to, struct wordset *words)
{
	size_t i = from;
	while (i > 0 && i < to && is_word(s[i - 1]))
		i++; /* start at a token boundary */
	while (i < to) {
		while (i < to && !(token_class[s[i]] & 2))
			i++;
		size_t b = i;
		for (; i < to; i++) {
			unsigned c = token_class[s[i]];
			if (!(c & 1) && !((c & 4) && i > b && (token_class[s[i - 1]] & 8)))
				break;
		}
		/* a token of 32 bytes or more is no word of a list */
		const char *hit = i > b && i - b < 32 ? wordset_find(words, s + b, i - b) : NULL;
		if (hit)
			return hit;
	}
	return NULL;
}

/* Is the word just before a value (past "#", ":", "no.", "number", "is") a
 * decoy, as in "case #1234567890", "build 10.0.0.1", "order no. 555 1234",
 * "the meeting ID is 123 456 789 012"? */
static const char *decoy_before(const uchar *s, size_t start, struct wordset *decoys)
{
	static const char *const fillers[] = { "no", "nr", "number", "num", "id", "is", "was", NULL };
	static struct wordset filler_set = WORDSET(fillers);
	size_t i = start;
	for (int words = 0; words < 3; words++) {
		for (size_t gap = 0; i > 0 && gap < 8 && s[i - 1] &&
				     (is_space(s[i - 1]) || BYTE_IN("#:.-(=", s[i - 1]));
		     gap++)
			i--;
		size_t e = i;
		while (i > 0 && is_alpha(s[i - 1]) && e - i < 32)
			i--;
		if (i == e || (i > 0 && is_word(s[i - 1])))
			return NULL;
		const char *hit = wordset_find(decoys, s + i, e - i);
		if (hit)
			return hit;
		if (!wordset_has(&filler_set, s + i, e - i))
			return NULL;
	}
	return NULL;
}

double context_adjust(const struct detector *d, const uchar *s, size_t len,
		      size_t start, size_t end, double score, const char **why)
{
	(void)end;
	(void)len;
	*why = "";
	const char *hit;
	if (d->decoys && (hit = decoy_before(s, start, d->decoys))) {
		score -= DECOY_PENALTY;
		*why = hit; /* a decoy word: the score went down */
	}
	if (d->context && score < 1.0) {
		size_t from = start > CONTEXT_WINDOW ? start - CONTEXT_WINDOW : 0;
		if ((hit = context_find(s, from, start, d->context))) {
			score += CONTEXT_BOOST;
			if (!**why)
				*why = hit;
		}
	}
	if (score > 1.0)
		score = 1.0;
	if (score < 0.0)
		score = 0.0;
	return score;
}
