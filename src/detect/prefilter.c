/* Anchor prefilter. The AVX2 path classifies 32 bytes per step with nibble
 * lookups (the "shufti" technique of Hyperscan) and turns word-start rules into
 * shifts of bitmasks, so it needs no unaligned look-behind and runs on records
 * of any length. */
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include "detect/detector.h"
#include "detect/prefilter.h"

void prefilter_init(struct prefilter *pf, const uchar anchors[256], unsigned triggers)
{
	memset(pf, 0, sizeof(*pf));
	memcpy(pf->anchors, anchors, 256);
	pf->triggers = triggers & (TRIGGER_WORD_AT | TRIGGER_WORD_PASS | TRIGGER_WORD_UPPER_A |
				   TRIGGER_WORD_CAPITAL);
	for (int c = 0; c < 256; c++) {
		if (!anchors[c])
			continue;
		/* one bucket per high nibble (mod 8): exact while anchors span at
		 * most eight high nibbles, a superset otherwise */
		uchar bit = (uchar)(1u << ((c >> 4) & 7));
		pf->lo[c & 15] |= bit;
		pf->hi[c >> 4] |= bit;
	}
#if defined(__x86_64__)
	__builtin_cpu_init();
	pf->avx2 = __builtin_cpu_supports("avx2");
#endif
}

unsigned prefilter_word_triggers(const uchar *s, size_t len, size_t i)
{
	if (i > 0 && is_word(s[i - 1]))
		return 0;
	int c = s[i], lc = c | 0x20, ln = at_or_nul(s, len, i + 1) | 0x20;
	unsigned t = 0;
	if (lc == 'a' && ln == 't')
		t |= TRIGGER_WORD_AT;
	if (lc == 'p' && (ln == 'a' || ln == 'w' || ln == 'i'))
		t |= TRIGGER_WORD_PASS;
	if (c == 'A' && is_upper(at_or_nul(s, len, i + 1)))
		t |= TRIGGER_WORD_UPPER_A;
	int n1 = at_or_nul(s, len, i + 1);
	if (is_upper(c) && ((is_alpha(n1) && !is_upper(n1)) || n1 == '\'' || n1 >= 0x80))
		t |= TRIGGER_WORD_CAPITAL;
	if (c >= 0xC3 && c <= 0xC5) /* a Latin capital, maybe ("Ólafur", "Łukasz") */
		t |= TRIGGER_WORD_CAPITAL;
	return t;
}

uint64_t prefilter_block_scalar(const struct prefilter *pf, const uchar *s, size_t len, size_t block)
{
	uint64_t m = 0;
	size_t end = len - block < 64 ? len : block + 64;
	for (size_t i = block; i < end; i++)
		if (pf->anchors[s[i]] || (prefilter_word_triggers(s, len, i) & pf->triggers))
			m |= 1ull << (i - block);
	return m;
}

#if defined(__x86_64__)
struct classes {
	uint32_t anchor, word, a, t, p, awi, capital_a, upper, lower, latin;
};

__attribute__((target("avx2"), always_inline)) static inline void classify32(const struct prefilter *pf,
						       const uchar *p, struct classes *k)
{
	const __m256i v = _mm256_loadu_si256((const __m256i *)p);
	const __m256i nib = _mm256_set1_epi8(0x0f);
	const __m256i lo_t = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)pf->lo));
	const __m256i hi_t = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)pf->hi));
	__m256i lo = _mm256_shuffle_epi8(lo_t, _mm256_and_si256(v, nib));
	__m256i hi = _mm256_shuffle_epi8(hi_t, _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
	__m256i hit = _mm256_and_si256(lo, hi);
	k->anchor = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hit, _mm256_setzero_si256()));

	const __m256i lower = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
	__m256i la = _mm256_sub_epi8(lower, _mm256_set1_epi8('a'));
	__m256i is_letter = _mm256_cmpeq_epi8(_mm256_min_epu8(la, _mm256_set1_epi8(25)), la);
	__m256i d = _mm256_sub_epi8(v, _mm256_set1_epi8('0'));
	__m256i is_dig = _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(9)), d);
	__m256i high = _mm256_cmpgt_epi8(_mm256_setzero_si256(), v);
	k->word = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(is_letter, is_dig), high));

	k->a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('a')));
	k->t = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('t')));
	k->p = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('p')));
	k->awi = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
		_mm256_or_si256(_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('a')),
				_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('w'))),
		_mm256_cmpeq_epi8(lower, _mm256_set1_epi8('i'))));
	k->capital_a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('A')));
	__m256i u = _mm256_sub_epi8(v, _mm256_set1_epi8('A'));
	k->upper = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(u, _mm256_set1_epi8(25)), u));
	__m256i lt = _mm256_sub_epi8(v, _mm256_set1_epi8((char)0xC3));
	k->latin = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(lt, _mm256_set1_epi8(2)), lt));
	__m256i l = _mm256_sub_epi8(v, _mm256_set1_epi8('a'));
	k->lower = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
		_mm256_cmpeq_epi8(_mm256_min_epu8(l, _mm256_set1_epi8(25)), l),
		_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\'')), high))); /* "O'Brien", "Jürgen" */
}

__attribute__((target("avx2"))) static uint64_t prefilter_block_avx2(const struct prefilter *pf, const uchar *s, size_t len, size_t block)
{
	uchar pad[64];
	const uchar *p = s + block;
	size_t n = len - block < 64 ? len - block : 64;
	if (n < 64) {
		memcpy(pad, p, n);
		memset(pad + n, 0, 64 - n);
		p = pad;
	}
	struct classes lo, hi;
	classify32(pf, p, &lo);
	classify32(pf, p + 32, &hi);
#define JOIN(f) ((uint64_t)lo.f | (uint64_t)hi.f << 32)
	uint64_t m = JOIN(anchor);
	if (pf->triggers) {
		uint64_t prev_word = JOIN(word) << 1 | (uint64_t)(block > 0 && is_word(s[block - 1]));
		uint64_t start = ~prev_word;
		uint64_t next = block + 64 < len ? s[block + 64] : 0;
		uint64_t nl = next | 0x20;
		uint64_t next_t = JOIN(t) >> 1 | (uint64_t)(nl == 't') << 63;
		uint64_t next_awi = JOIN(awi) >> 1 |
				    (uint64_t)(nl == 'a' || nl == 'w' || nl == 'i') << 63;
		uint64_t next_up = JOIN(upper) >> 1 | (uint64_t)is_upper((int)next) << 63;
		uint64_t w = 0;
		if (pf->triggers & TRIGGER_WORD_AT)
			w |= JOIN(a) & next_t;
		if (pf->triggers & TRIGGER_WORD_PASS)
			w |= JOIN(p) & next_awi;
		if (pf->triggers & TRIGGER_WORD_UPPER_A)
			w |= JOIN(capital_a) & next_up;
		if (pf->triggers & TRIGGER_WORD_CAPITAL) {
			uint64_t next_low = JOIN(lower) >> 1 |
					    (uint64_t)((next >= 'a' && next <= 'z') || next == '\'' || next >= 0x80) << 63;
			w |= JOIN(upper) & next_low;
			w |= JOIN(latin);
		}
		m |= w & start;
	}
#undef JOIN
	if (n < 64)
		m &= (1ull << n) - 1;
	return m;
}
#endif

uint64_t prefilter_block(const struct prefilter *pf, const uchar *s, size_t len, size_t block)
{
#if defined(__x86_64__)
	if (pf->avx2)
		return prefilter_block_avx2(pf, s, len, block);
#endif
	return prefilter_block_scalar(pf, s, len, block);
}
