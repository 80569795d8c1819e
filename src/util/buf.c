/* Growable byte buffer: doubling growth, bounded by max. */
#include <stdint.h>
#include <stdlib.h>
#include "util/buf.h"

void cordon_buf_init(struct cordon_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void cordon_buf_release(struct cordon_buf *b)
{
	free(b->data);
	cordon_buf_init(b, b->max);
}

int cordon_buf_reserve(struct cordon_buf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return 0;
	if (n > SIZE_MAX / 2 - b->len)
		return -1;
	size_t need = b->len + n;
	if (b->max && need > b->max)
		return -1;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if (b->max && cap > b->max)
		cap = b->max;
	char *p = realloc(b->data, cap);
	if (!p)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int cordon_buf_append_slow(struct cordon_buf *b, const void *p, size_t n)
{
	if (cordon_buf_reserve(b, n))
		return -1;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

char *cordon_buf_take(struct cordon_buf *b, size_t *len)
{
	char *p = b->data;
	if (len)
		*len = b->len;
	cordon_buf_init(b, b->max);
	return p;
}
