/* A growable byte buffer with a ceiling. The buffer owns data; _take() hands it
 * to the caller. Appends fail (returning -1) on out-of-memory or past max. */
#ifndef CORDON_UTIL_BUF_H
#define CORDON_UTIL_BUF_H

#include <stddef.h>
#include <string.h>
#include "util/alloc.h"

struct cordon_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0: no ceiling */
};
#define CORDON_BUF_INIT { NULL, 0, 0, 0 }

void cordon_buf_init(struct cordon_buf *b, size_t max);
void cordon_buf_release(struct cordon_buf *b);
/* Ensures room for n more bytes. */
CORDON_MUST_CHECK int cordon_buf_reserve(struct cordon_buf *b, size_t n);
CORDON_MUST_CHECK int cordon_buf_append_slow(struct cordon_buf *b, const void *p, size_t n);
char *cordon_buf_take(struct cordon_buf *b, size_t *len);

static inline void cordon_buf_reset(struct cordon_buf *b) { b->len = 0; }

CORDON_MUST_CHECK static inline int cordon_buf_append(struct cordon_buf *b, const void *p, size_t n)
{
	if (b->cap - b->len >= n) {
		if (n)
			memcpy(b->data + b->len, p, n);
		b->len += n;
		return 0;
	}
	return cordon_buf_append_slow(b, p, n);
}

CORDON_MUST_CHECK static inline int cordon_buf_putc(struct cordon_buf *b, char c)
{
	if (b->len < b->cap) {
		b->data[b->len++] = c;
		return 0;
	}
	return cordon_buf_append_slow(b, &c, 1);
}

CORDON_MUST_CHECK static inline int cordon_buf_puts(struct cordon_buf *b, const char *s)
{
	return cordon_buf_append(b, s, strlen(s));
}

#endif
