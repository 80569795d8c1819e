/* Word sets: open addressing over FNV-1a hashes of the words. */
#include <pthread.h>
#include <string.h>
#include "detect/wordset.h"

static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t hash(const uchar *s, size_t n, int exact)
{
	uint32_t h = 2166136261u;
	if (exact)
		for (size_t i = 0; i < n; i++)
			h = (h ^ s[i]) * 16777619u;
	else /* to_lower without a branch: 0x20 for 'A'..'Z' */
		for (size_t i = 0; i < n; i++)
			h = (h ^ (s[i] | (unsigned)((unsigned)(s[i] - 'A') < 26) << 5)) * 16777619u;
	return h ^ (h >> 15);
}

static int same(const struct wordset *ws, const char *w, const uchar *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((uchar)w[i] != (ws->exact ? s[i] : (uchar)to_lower(s[i])) || !w[i])
			return 0;
	return !w[n];
}

static void build(struct wordset *ws)
{
	size_t count = 0;
	ws->minlen = (size_t)-1;
	for (const char *const *w = ws->words; *w; w++, count++) {
		size_t n = strlen(*w);
		if (n < ws->minlen)
			ws->minlen = n;
		if (n > ws->maxlen)
			ws->maxlen = n;
		ws->lens |= 1ull << (n < 63 ? n : 63);
		uchar c = (uchar)**w;
		ws->first[c / 64] |= 1ull << (c % 64);
	}
	if (count > WORDSET_SLOTS / 2) {
		ws->walk = 1;
		return;
	}
	memset(ws->slot, 0, sizeof(ws->slot));
	for (size_t k = 0; k < count; k++) {
		const uchar *w = (const uchar *)ws->words[k];
		size_t n = strlen((const char *)w);
		/* a list word is hashed as written: one with a capital never
		 * meets lowercased text, as a walk of the list would not */
		size_t j = hash(w, n, 1) & (WORDSET_SLOTS - 1);
		while (ws->slot[j])
			j = (j + 1) & (WORDSET_SLOTS - 1);
		ws->slot[j] = (uint16_t)(k + 1);
	}
}

int wordset_has(struct wordset *ws, const uchar *s, size_t n)
{
	return wordset_find(ws, s, n) != NULL;
}

const char *wordset_find(struct wordset *ws, const uchar *s, size_t n)
{
	if (!__atomic_load_n(&ws->ready, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&build_lock);
		if (!ws->ready) {
			build(ws);
			__atomic_store_n(&ws->ready, 1, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&build_lock);
	}
	if (n < ws->minlen || n > ws->maxlen || !(ws->lens >> (n < 63 ? n : 63) & 1))
		return NULL;
	uchar c = n ? (ws->exact ? s[0] : (uchar)to_lower(s[0])) : 0; /* "" is listed by its NUL */
	if (!(ws->first[c / 64] >> (c % 64) & 1))
		return NULL;
	if (ws->walk) {
		for (const char *const *w = ws->words; *w; w++)
			if (same(ws, *w, s, n))
				return *w;
		return NULL;
	}
	for (size_t j = hash(s, n, ws->exact) & (WORDSET_SLOTS - 1); ws->slot[j]; j = (j + 1) & (WORDSET_SLOTS - 1))
		if (same(ws, ws->words[ws->slot[j] - 1], s, n))
			return ws->words[ws->slot[j] - 1];
	return NULL;
}
