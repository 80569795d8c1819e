/* Small string helpers that work on spans (pointer and length), so parsers
 * need neither fixed buffers nor strtok. */
#ifndef CORDON_UTIL_STR_H
#define CORDON_UTIL_STR_H

#include <stddef.h>
#include <string.h>

struct span {
	const char *p;
	size_t n;
};

/* The next token of s[*pos..len) between bytes of delims; advances *pos past
 * it. 0 when none is left. */
static inline int span_token(const char *s, size_t len, size_t *pos, const char *delims, struct span *tok)
{
	size_t i = *pos;
	while (i < len && s[i] && strchr(delims, s[i]))
		i++;
	if (i >= len)
		return *pos = len, 0;
	size_t b = i;
	while (i < len && !(s[i] && strchr(delims, s[i])))
		i++;
	tok->p = s + b;
	tok->n = i - b;
	*pos = i;
	return 1;
}

/* Does the span equal the string? */
static inline int span_is(struct span t, const char *s)
{
	return strlen(s) == t.n && !memcmp(t.p, s, t.n);
}

#endif
