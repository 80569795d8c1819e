/* UTF-8 validity (RFC 3629: no overlongs, no surrogates, nothing past
 * U+10FFFF), ASCII 32 bytes at a time. */
#ifndef CORDON_UTIL_UTF8_H
#define CORDON_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The length of the valid UTF-8 sequence at s[i], 0 if there is none. */
static inline size_t utf8_at(const unsigned char *s, size_t len, size_t i)
{
	unsigned char c = s[i];
	size_t n;
	unsigned lo = 0x80, hi = 0xBF;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (i + n > len || s[i + 1] < lo || s[i + 1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if ((s[i + k] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* The index of the first byte that is not valid UTF-8, or len. */
static inline size_t utf8_valid_upto(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		while (i + 32 <= len) {
			uint64_t w[4];
			memcpy(w, s + i, 32);
			if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL)
				break;
			i += 32;
		}
		if (i >= len)
			break;
		if (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (!(w & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		size_t n = utf8_at(s, len, i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}

#endif
