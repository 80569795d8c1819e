/* Array growth (see alloc.h). */
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"

int alloc_grow(void *ptr, size_t need, size_t *alloc, size_t elem)
{
	if (need <= *alloc)
		return 0;
	size_t cap = st_add(*alloc, *alloc / 2 + 16);
	if (cap < need)
		cap = need;
	size_t bytes = st_mult(cap, elem);
	if (bytes == SIZE_MAX || !elem)
		return -1;
	void *old;
	memcpy(&old, ptr, sizeof(old)); /* *(T **)ptr, read without aliasing it */
	void *p = realloc(old, bytes);
	if (!p)
		return -1;
	memcpy(ptr, &p, sizeof(p));
	*alloc = cap;
	return 0;
}
