/* Numbers as written, read once for the numeric detectors (see struct
 * number in detector.h). */
#include <stdint.h>
#include "detect/detector.h"

static int number_sep(int c)
{
	return c == '.' || c == '-' || c == ':' || c == '/' || c == ',';
}

void number_read(const uchar *s, size_t len, size_t i, struct number *t)
{
	uint64_t lens = 0, seps = 0;
	size_t n = 0;
	t->start = i;
	t->before = i > 0 ? s[i - 1] : -1;
	for (;;) {
		size_t e = i;
		while (e < len && is_digit(s[e]))
			e++;
		if (n < NUMBER_GROUPS) {
			t->at[n] = i;
			t->len[n] = e - i;
			t->sep[n] = 0;
			lens |= (uint64_t)(e - i < 255 ? e - i : 255) << (8 * n);
		}
		n++;
		if (!(e + 1 < len && number_sep(s[e]) && is_digit(s[e + 1]))) {
			t->end = e;
			break;
		}
		if (n <= NUMBER_GROUPS) {
			t->sep[n - 1] = s[e];
			seps |= (uint64_t)s[e] << (8 * (n - 1));
		}
		i = e + 1;
	}
	t->n = n;
	t->after = t->end < len ? s[t->end] : -1;
	t->shape[0] = lens;
	t->shape[1] = seps | (uint64_t)(n < 255 ? n : 255) << 56;
	t->shape[2] = (uint64_t)(t->before < 0 ? 256 : t->before) | (uint64_t)(t->after < 0 ? 256 : t->after) << 16;
}

size_t number_start(const uchar *s, size_t i, size_t max)
{
	for (size_t groups = 0; i > 1 && number_sep(s[i - 1]) && is_digit(s[i - 2]); groups++) {
		if (groups == max)
			return SIZE_MAX;
		i--;
		while (i > 0 && is_digit(s[i - 1]))
			i--;
	}
	return i;
}

size_t number_chain(const struct number *t, size_t g, int *open)
{
	size_t digits = 0;
	*open = 0;
	for (; g < t->n && g < NUMBER_GROUPS; g++) {
		digits += t->len[g];
		if (g + 1 == t->n) {
			*open = t->after == ' ' || t->after == '(' || t->after == ')';
			break;
		}
		if (t->sep[g] != '-' && t->sep[g] != '.' && t->sep[g] != '/')
			break;
	}
	if (g >= NUMBER_GROUPS)
		*open = 1; /* not described further: anything */
	return digits;
}
