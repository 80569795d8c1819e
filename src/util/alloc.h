/* Overflow-checked sizes and one helper for growing arrays, so no site
 * multiplies or doubles a size by hand (git's st_mult and ALLOC_GROW). */
#ifndef CORDON_UTIL_ALLOC_H
#define CORDON_UTIL_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define CORDON_MUST_CHECK __attribute__((warn_unused_result))

/* a * b and a + b, or SIZE_MAX when they overflow (a later allocation of
 * SIZE_MAX bytes then fails, as it must). */
static inline size_t st_mult(size_t a, size_t b)
{
	size_t r;
	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}
static inline size_t st_add(size_t a, size_t b)
{
	size_t r;
	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

/* Makes room for at least `need` elements of `elem` bytes in the array at
 * *(T **)ptr, whose capacity is *alloc: grows it by half again (at least to
 * need), updating both only on success. 0, or -1 on overflow or out of
 * memory (the array is then as it was). */
CORDON_MUST_CHECK int alloc_grow(void *ptr, size_t need, size_t *alloc, size_t elem);

/* ALLOC_GROW(v, n + 1, cap): room for n + 1 elements of v. */
#define ALLOC_GROW(x, nr, alloc) \
	((size_t)(nr) <= (alloc) ? 0 : alloc_grow(&(x), (nr), &(alloc), sizeof(*(x))))

#endif
