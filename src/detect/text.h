/* Byte classes and small matchers shared by the detectors. ASCII only: bytes
 * of 0x80 and above count as word characters, so "café" stays one word. */
#ifndef CORDON_DETECT_TEXT_H
#define CORDON_DETECT_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned char uchar;

static inline int is_digit(int c) { return (unsigned)(c - '0') < 10; }
static inline int is_alpha(int c) { return (unsigned)((c | 0x20) - 'a') < 26; }
static inline int is_upper(int c) { return (unsigned)(c - 'A') < 26; }
static inline int is_alnum(int c) { return is_digit(c) || is_alpha(c); }
static inline int is_word(int c) { return is_alnum(c) || c >= 0x80; }
static inline int is_hex(int c) { return is_digit(c) || (unsigned)((c | 0x20) - 'a') < 6; }
static inline int is_space(int c) { return c == ' ' || c == '\t'; }
static inline int to_lower(int c) { return is_upper(c) ? c | 0x20 : c; }
static inline int to_upper(int c) { return (unsigned)(c - 'a') < 26 ? c - 32 : c; }
static inline int hex_value(int c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

/* strchr(set, c) != NULL for a literal set, without the call: unrolled, the
 * compares become a bit test (a libc strchr per byte cost 2.6% of the
 * dense-chat run). As with strchr, c == 0 matches: the set's terminator. */
static inline __attribute__((always_inline)) int byte_in_n(const char *set, size_t n, int c)
{
	int r = c == 0;
	_Pragma("GCC unroll 32") for (size_t k = 0; k < n; k++)
		r |= c == (uchar)set[k];
	return r;
}
#define BYTE_IN(set, c) byte_in_n("" set, sizeof(set) - 1, (c))

/* A set of byte pairs (two bytes, lowercased by the caller as the set
 * was filled), 65,536 bits: a word's first or last two bytes turn most
 * words away before a hash or a list is read. */
struct pair_set {
	uint64_t bits[65536 / 64];
};
static inline unsigned pair_of(int a, int b)
{
	return (unsigned)(uchar)a << 8 | (uchar)b;
}
static inline void pair_set_add(struct pair_set *ps, int a, int b)
{
	unsigned p = pair_of(a, b);
	ps->bits[p / 64] |= 1ull << (p % 64);
}
static inline int pair_set_has(const struct pair_set *ps, int a, int b)
{
	unsigned p = pair_of(a, b);
	return ps->bits[p / 64] >> (p % 64) & 1;
}

/* The same classes as one table, for the loops that read word after word
 * (one load and a test per byte, not a chain of compares). */
enum {
	TC_LOWER = 1,  /* a-z */
	TC_UPPER = 2,  /* A-Z */
	TC_DIGIT = 4,  /* 0-9 */
	TC_HIGH = 8,   /* 0x80 and above: a byte of a non-ASCII letter */
	TC_JOIN = 16,  /* ' and -, inside a name ("O'Brien", "García-López") */
	TC_LETTER = TC_LOWER | TC_UPPER | TC_HIGH
};
static const unsigned char text_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 16, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0,
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
};

/* The length (1 or 2) of a capital letter at s[i]: ASCII, a Latin-1 or
 * Latin Extended-A capital in UTF-8 ("Ó", "Ł", "Ş", "Ž"), a Greek or a
 * Cyrillic one ("Σ", "Ж"); 0 if none. */
static inline size_t capital_at(const uchar *s, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (is_upper(s[i]))
		return 1;
	if (s[i] < 0xC3 || s[i] > 0xD2 || i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
		return 0;
	unsigned cp = ((unsigned)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
	if (cp >= 0x370) /* Greek capitals; Cyrillic U+0400-042F and Ґ */
		return (cp == 0x386 || (cp >= 0x388 && cp <= 0x38F && cp != 0x38B && cp != 0x38D) ||
			(cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) || (cp >= 0x400 && cp <= 0x42F) || cp == 0x490) ? 2 : 0;
	int upper = (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x100 && cp <= 0x137 && !(cp & 1)) ||
		    (cp >= 0x139 && cp <= 0x148 && (cp & 1)) || (cp >= 0x14A && cp <= 0x177 && !(cp & 1)) ||
		    cp == 0x178 || cp == 0x179 || cp == 0x17B || cp == 0x17D;
	return upper ? 2 : 0;
}

/* Eight bytes from p, which may go past the object p points into but
 * never past its page (the callers check): not for the sanitizers' eyes. */
__attribute__((no_sanitize("address"))) static inline uint64_t load_u64_page(const uchar *p)
{
	uint64_t v;
	__builtin_memcpy(&v, p, 8);
	return v;
}

/* The first min(n, 8) bytes of s in one integer, s[0] lowest, 0-padded;
 * ASCII capitals lowercased unless exact (other bytes as they are). */
static inline uint64_t pack_head8(const uchar *s, size_t n, int exact)
{
	if (n == 0)
		return 0;
	size_t k = n < 8 ? n : 8;
	uint64_t v = 0;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (((uintptr_t)s & 4095) <= 4096 - 8) {
		v = load_u64_page(s);
		if (k < 8)
			v &= ~0ull >> (64 - 8 * k);
	} else
#endif
	{
		for (size_t i = 0; i < k; i++)
			v |= (uint64_t)s[i] << (8 * i);
	}
	if (!exact) {
		/* 'A'..'Z' get 0x20, eight bytes at once: a byte's high bit
		 * after the adds tells >= 'A' and > 'Z' (no carry crosses a
		 * byte: each is added to at most 0x7F) */
		const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
		uint64_t b = v & ~high;
		uint64_t upper = (b + ones * (0x80 - 'A')) & ~(b + ones * (0x80 - 'Z' - 1)) & ~v & high;
		v |= upper >> 2;
	}
	return v;
}

/* Byte at i, or 0 outside [0, len). */
static inline int at_or_nul(const uchar *s, size_t len, size_t i)
{
	return i < len ? s[i] : 0;
}

/* Does s[pos..] start with word (ASCII, case-insensitive)? */
static inline int starts_with_ci(const uchar *s, size_t len, size_t pos, const char *word)
{
	for (size_t k = 0; word[k]; k++)
		if (pos + k >= len || to_lower(s[pos + k]) != (uchar)word[k])
			return 0;
	return 1;
}

/* Same, and the match is a whole word (no word byte on either side). */
static inline int word_at_ci(const uchar *s, size_t len, size_t pos, const char *word)
{
	size_t n = 0;
	while (word[n])
		n++;
	if (pos > 0 && is_word(s[pos - 1]))
		return 0;
	if (!starts_with_ci(s, len, pos, word))
		return 0;
	return !(pos + n < len && is_word(s[pos + n]));
}

/* The start of the ASCII word that ends one blank before `at` ("error" in
 * "error 1958"), of fewer than max letters and with no word byte glued
 * before it; at when there is none. */
static inline size_t word_before_blank(const uchar *s, size_t at, size_t max)
{
	if (at < 2 || s[at - 1] != ' ')
		return at;
	size_t e = at - 1, b = e;
	while (b > 0 && is_alpha(s[b - 1]) && e - b < max)
		b--;
	return b == e || (b > 0 && is_word(s[b - 1])) ? at : b;
}

#endif
