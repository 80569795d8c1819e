/* The CLI's array growth: the twin of the library's ALLOC_GROW (the CLI
 * sees only the public API), overflow-checked the same way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_grow(void *ptr, size_t need, size_t *alloc, size_t elem)
{
	if (need <= *alloc)
		return 0;
	size_t cap = *alloc + *alloc / 2 + 16, bytes;
	if (cap < *alloc || cap < need)
		cap = need;
	if (!elem || __builtin_mul_overflow(cap, elem, &bytes))
		return -1;
	void *old;
	memcpy(&old, ptr, sizeof(old));
	void *p = realloc(old, bytes);
	if (!p)
		return -1;
	memcpy(ptr, &p, sizeof(p));
	*alloc = cap;
	return 0;
}
