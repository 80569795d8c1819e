/* Word sets: open addressing over the words' first eight bytes. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "detect/wordset.h"

static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;

static inline uint64_t slot_of(const struct wordset *ws, uint64_t head, size_t n)
{
	return ((head ^ n) * 0x9E3779B97F4A7C15ull) >> 32 & ws->mask;
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
		if (n > UINT16_MAX)
			ws->walk = 1;
	}
	size_t slots = 8;
	while (slots < 2 * count)
		slots *= 2;
	/* never freed: a set lives as long as the process */
	if (ws->walk || count > WORDSET_SLOTS / 2 || !(ws->slot = calloc(slots, sizeof(*ws->slot)))) {
		ws->walk = 1;
		return;
	}
	ws->mask = slots - 1;
	for (size_t k = 0; k < count; k++) {
		const uchar *w = (const uchar *)ws->words[k];
		size_t n = strlen((const char *)w);
		/* a list word is packed as written: one with a capital never
		 * meets lowercased text, as a walk of the list would not */
		uint64_t head = pack_head8(w, n, 1), j = slot_of(ws, head, n);
		while (ws->slot[j].word)
			j = (j + 1) & ws->mask;
		ws->slot[j] = (struct wordset_slot){ head, (uint16_t)(k + 1), (uint16_t)n };
	}
}

void wordset_release(struct wordset *ws)
{
	if (!ws)
		return;
	free(ws->slot);
	ws->slot = NULL;
	ws->ready = 0;
}

static int same(const struct wordset *ws, const char *w, const uchar *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((uchar)w[i] != (ws->exact ? s[i] : (uchar)to_lower(s[i])) || !w[i])
			return 0;
	return !w[n];
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
	uint64_t head = pack_head8(s, n, ws->exact);
	for (uint64_t j = slot_of(ws, head, n); ws->slot[j].word; j = (j + 1) & ws->mask) {
		const struct wordset_slot *sl = &ws->slot[j];
		if (sl->head != head || sl->len != n)
			continue;
		const char *w = ws->words[sl->word - 1];
		/* the first eight bytes are equal: the rest, if any */
		if (n <= 8 || same(ws, w + 8, s + 8, n - 8))
			return w;
	}
	return NULL;
}
