/* Anchor prefilter. The AVX2 path classifies 32 bytes per step with nibble
 * lookups (the "shufti" technique of Hyperscan) and turns word-start rules into
 * shifts of bitmasks, so it needs no unaligned look-behind and runs on records
 * of any length. The at-sign's names and the cue words (three bytes each,
 * two dozen of them) are found the same way as a superset, three byte
 * classes in a row at a word start, and confirmed by the scalar test. */
#include <pthread.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include "detect/detector.h"
#include "detect/prefilter.h"

/* Adds the bytes of set (and, for ASCII letters, their other case) to the
 * nibble tables lo and hi: one bucket per high nibble (mod 8). */
static void set_tables(const char *set, uchar lo[16], uchar hi[16])
{
	for (const char *p = set; *p; p++) {
		uchar c = (uchar)*p, cs[2] = { c, (uchar)(is_alpha(c) ? c ^ 0x20 : c) };
		for (int k = 0; k < 2; k++) {
			uchar bit = (uchar)(1u << ((cs[k] >> 4) & 7));
			lo[cs[k] & 15] |= bit;
			hi[cs[k] >> 4] |= bit;
		}
	}
}

static pthread_once_t pairs_once;
static void pairs_init(void);

void prefilter_init(struct prefilter *pf, const uchar anchors[256], unsigned triggers)
{
	memset(pf, 0, sizeof(*pf));
	memcpy(pf->anchors, anchors, 256);
	pf->triggers = triggers & (TRIGGER_WORD_AT | TRIGGER_WORD_PASS | TRIGGER_WORD_UPPER_A |
				   TRIGGER_WORD_CAPITAL | TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CUE);
	pf->digit_starts = (triggers & TRIGGER_DIGIT) != 0;
	for (int c = 0; c < 256; c++) {
		if (!anchors[c])
			continue;
		/* one bucket per high nibble (mod 8): exact while anchors span at
		 * most eight high nibbles, a superset otherwise */
		uchar bit = (uchar)(1u << ((c >> 4) & 7));
		pf->lo[c & 15] |= bit;
		pf->hi[c >> 4] |= bit;
	}
	/* the at-sign's names (at_names) and the cues (cue_pair_at), by the
	 * position of the byte: arr aro ape chi kla kuk sna ma\xc5 zav \xc3\xa4t
	 * \xd1\x81\xd0 \xc3\x84t \xd0\xa1\xd0; "is " "to " wit bac cus cli nam "am " "me " reg "-- " hol "to:" "hi " hey */
	set_tables("ackszm\xc3\xd1\xd0" "itwbcnamr-h", pf->first_lo, pf->first_hi);
	set_tables("rphluna\xa4\x81\x84\xa1" "sioaulme-o", pf->second_lo, pf->second_hi);
	set_tables("roeiak\xc5vt\xd0" " tcsimgl:y", pf->third_lo, pf->third_hi);
	pthread_once(&pairs_once, pairs_init);
#if defined(__x86_64__)
	__builtin_cpu_init();
	pf->avx2 = __builtin_cpu_supports("avx2");
#endif
}

/* The first three bytes of the at-sign's names (ASCII letters in lower
 * case): arroba, arobase, apenstaartje, chiocciola, klammeraffe, kukac,
 * snabel-a, małpa, zavináč, ät, собака; and "ÄT", "СОБАКА" ("С" is another
 * byte pair than "с"; the others' upper case packs as their lower). */
#define P3(a, b, c) ((uint32_t)(uchar)(a) << 16 | (uint32_t)(uchar)(b) << 8 | (uchar)(c))
static const uint32_t at_names[] = { P3('a', 'r', 'r'), P3('a', 'r', 'o'), P3('a', 'p', 'e'), P3('c', 'h', 'i'),
				     P3('k', 'l', 'a'), P3('k', 'u', 'k'), P3('s', 'n', 'a'), P3('m', 'a', 0xC5),
				     P3('z', 'a', 'v'), P3(0xC3, 0xA4, 't'), P3(0xD1, 0x81, 0xD0), P3(0xC3, 0x84, 't'),
				     P3(0xD0, 0xA1, 0xD0) };
/* The cue words' first three bytes, as the block masks mark them
 * (cue_pair_at tells them in the scalar reference). */
static const uint32_t cue_triples[] = { P3('i', 's', ' '), P3('t', 'o', ' '), P3('w', 'i', 't'), P3('b', 'a', 'c'),
					P3('c', 'u', 's'), P3('c', 'l', 'i'), P3('n', 'a', 'm'), P3('a', 'm', ' '),
					P3('m', 'e', ' '), P3('r', 'e', 'g'), P3('-', '-', ' '), P3('h', 'o', 'l'),
					P3('t', 'o', ':'), P3('h', 'i', ' '), P3('h', 'e', 'y') };
#undef P3

/* A bit for each pair of first bytes (lowercased) an at-sign's name or a cue
 * word starts with: the byte tables' three classes let through many words
 * ("the", "can", "this"), and most of them are turned away by their first
 * two bytes before the three are packed. */
static struct pair_set name_pairs;
static pthread_once_t pairs_once = PTHREAD_ONCE_INIT;

static void pairs_init(void)
{
	for (size_t k = 0; k < sizeof(at_names) / sizeof(*at_names); k++)
		pair_set_add(&name_pairs, (int)(at_names[k] >> 16), (int)(at_names[k] >> 8 & 0xFF));
	for (size_t k = 0; k < sizeof(cue_triples) / sizeof(*cue_triples); k++)
		pair_set_add(&name_pairs, (int)(cue_triples[k] >> 16), (int)(cue_triples[k] >> 8 & 0xFF));
}

static inline int name_pair(const uchar *s, size_t len, size_t i)
{
	return pair_set_has(&name_pairs, to_lower(s[i]), to_lower(at_or_nul(s, len, i + 1)));
}

/* Three bytes from p, ASCII letters lowercased, packed as at_names are. */
static uint32_t pack3(const uchar *p)
{
	uint32_t v = 0;
	for (int k = 0; k < 3; k++)
		v = v << 8 | (uchar)(p[k] < 0x80 ? to_lower(p[k]) : p[k]);
	return v;
}

static int at_name_at(const uchar *s, size_t len, size_t i)
{
	int c = s[i] < 0x80 ? to_lower(s[i]) : s[i];
	if (len - i < 3 || !(c == 'a' || c == 'c' || c == 'k' || c == 's' || c == 'm' || c == 'z' || c == 0xC3 || c == 0xD1 ||
			     c == 0xD0))
		return 0;
	uint32_t v = pack3(s + i);
	for (size_t k = 0; k < sizeof(at_names) / sizeof(*at_names); k++)
		if (at_names[k] == v)
			return 1;
	return 0;
}

/* The last words of PERSON's cues, written in lower case ("my name is",
 * "spoke with", "call back", "customer", "regards", "-- ") or in capitals
 * ("ACCOUNT HOLDER:", "CARD HOLDER:"): a name in lower case or in
 * capitals may follow, where no capital's trigger wakes PERSON. The block
 * masks mark their first three bytes ("is ", "to ", "wit", "bac", "cus",
 * "cli", "nam", "am ", "me ", "reg", "-- ", "hol", "to:", "hi ", "hey"); the
 * engine then asks for the whole word and the one before it. Each word
 * comes with the words one of which must stand just before it (none: any),
 * as PERSON's cue phrases in person.c have them: most "to" and "is" wake
 * nothing. A phrase added there with one of these last words needs its
 * first word here too; test_person has a lower-case case for "this is",
 * "my name is", "spoke with", "belongs to", "call back", "customer" and
 * "--". */
static const char *const before_is[] = { "name", "this", NULL };
static const char *const before_to[] = { "speak", "spoke", "talk", "talked", "talking", "assigned", "escalated",
					 "transferred", "transfer", "forwarded", "reassigned", "belongs", "belong", "belonged",
					 NULL };
static const char *const before_with[] = { "speaking", "speak", "spoke", NULL };
static const char *const before_call[] = { "call", NULL };
static const char *const before_am[] = { "i", NULL };
static struct wordset before_is_set = WORDSET(before_is), before_to_set = WORDSET(before_to),
		      before_with_set = WORDSET(before_with), before_call_set = WORDSET(before_call),
		      before_am_set = WORDSET(before_am);
static const struct {
	const char *word;
	struct wordset *before; /* NULL: any */
} cue_words[] = {
	{ "is", &before_is_set },
	{ "to", &before_to_set },
	{ "with", &before_with_set },
	{ "back", &before_call_set },
	{ "me", &before_call_set },
	{ "am", &before_am_set },
	{ "customer", NULL }, { "client", NULL }, { "name", NULL }, { "names", NULL }, { "regards", NULL },
	{ "holder", NULL }, { "hi", NULL }, { "hey", NULL },
};

/* Is the word before s[i] (past one blank) one of the set's? */
static int word_before_in(const uchar *s, size_t i, struct wordset *set)
{
	size_t b = word_before_blank(s, i, 12);
	return b < i && wordset_has(set, s + b, i - 1 - b);
}

static int cue_pair_at(const uchar *s, size_t len, size_t i)
{
	int c = s[i], n = at_or_nul(s, len, i + 1), o = at_or_nul(s, len, i + 2);
	if (c == '-')
		return n == '-' && o == ' ';
	if (!is_alpha(c) || !is_alpha(n))
		return 0;
	c |= 0x20;
	n |= 0x20;
	o = is_alpha(o) ? o | 0x20 : o;
	switch (c) { /* the three bytes the block masks mark, by first letter */
	case 'i': return n == 's' && o == ' ';
	case 't': return n == 'o' && (o == ' ' || o == ':');
	case 'w': return n == 'i' && o == 't';
	case 'b': return n == 'a' && o == 'c';
	case 'c': return (n == 'u' && o == 's') || (n == 'l' && o == 'i');
	case 'h': return (n == 'o' && o == 'l') || (n == 'i' && o == ' ') || (n == 'e' && o == 'y');
	case 'n': return n == 'a' && o == 'm';
	case 'a': return n == 'm' && o == ' ';
	case 'm': return n == 'e' && o == ' ';
	case 'r': return n == 'e' && o == 'g';
	default: return 0;
	}
}

int prefilter_cue_at(const uchar *s, size_t len, size_t i)
{
	if (!(is_alpha(s[i]) || s[i] == '-') || !cue_pair_at(s, len, i))
		return 0;
	if (s[i] == '-')
		return i + 2 >= len || s[i + 2] == ' ';
	size_t e = i;
	while (e < len && is_alpha(s[e]) && e - i < 9)
		e++;
	if (e < len && is_word(s[e]))
		return 0;
	for (size_t c = 0; c < sizeof(cue_words) / sizeof(*cue_words); c++) {
		const char *w = cue_words[c].word;
		if ((s[i] | 0x20) != w[0])
			continue;
		size_t k = 0;
		while (i + k < e && w[k] && (s[i + k] | 0x20) == w[k])
			k++;
		if (i + k == e && !w[k])
			return !cue_words[c].before || word_before_in(s, i, cue_words[c].before);
	}
	return 0;
}

unsigned prefilter_word_candidates(const uchar *s, size_t len, size_t i)
{
	if (i > 0 && is_word(s[i - 1]))
		return 0;
	unsigned t = prefilter_word_triggers(s, len, i) & ~(unsigned)TRIGGER_WORD_CUE;
	if (cue_pair_at(s, len, i))
		t |= TRIGGER_WORD_CUE;
	return t;
}

unsigned prefilter_word_triggers(const uchar *s, size_t len, size_t i)
{
	if ((i > 0 && is_word(s[i - 1])) || is_digit(s[i]))
		return 0; /* no word trigger starts with a digit: most wakes are digits */
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
	/* a Latin capital, maybe ("Ólafur", "Łukasz"), a Greek or Cyrillic one,
	 * or a word of a script without case (names after a cue: "山田 幹") */
	if (c >= 0xC3 && c <= 0xF4)
		t |= TRIGGER_WORD_CAPITAL;
	if (at_name_at(s, len, i))
		t |= TRIGGER_WORD_AT_NAME;
	if (prefilter_cue_at(s, len, i))
		t |= TRIGGER_WORD_CUE;
	return t;
}

void prefilter_marks_scalar(const struct prefilter *pf, const uchar *s, size_t len, size_t block,
			    struct prefilter_marks *out)
{
	memset(out, 0, sizeof(*out));
	size_t end = len - block < 64 ? len : block + 64;
	for (size_t i = block; i < end; i++) {
		uint64_t bit = 1ull << (i - block);
		unsigned t = prefilter_word_candidates(s, len, i) & pf->triggers;
		if (pf->digit_starts && is_digit(s[i]) && !(i > 0 && is_digit(s[i - 1])))
			t |= TRIGGER_DIGIT;
		for (unsigned k = 0; k < TRIGGER_KINDS; k++)
			if (t & (1u << k))
				out->kind[k] |= bit;
		if (pf->anchors[s[i]])
			out->anchor |= bit;
		if (!(i > 0 && is_word(s[i - 1])))
			out->start |= bit;
		if (t || pf->anchors[s[i]])
			out->all |= bit;
	}
}

uint64_t prefilter_block_scalar(const struct prefilter *pf, const uchar *s, size_t len, size_t block)
{
	struct prefilter_marks m;
	prefilter_marks_scalar(pf, s, len, block, &m);
	return m.all;
}

#if defined(__x86_64__)
struct classes {
	uint32_t anchor, word, digit, a, t, p, awi, capital_a, upper, lower, latin; /* latin: a lead byte C3-F4 */
	/* bytes that may be the first, second or third of an at-sign's name
	 * or a cue word (any case): a superset, confirmed by the scalar test */
	uint32_t first, second, third;
};

/* at_name_at and cue_pair_at in one: the three bytes packed as at_names
 * are (ASCII letters lowercased, 0 past the text) and told by one switch.
 * The vector path's test; the scalar reference keeps the two functions.
 * The switch repeats at_names and cue_triples: a walk of the two arrays
 * here cost 3% more instructions on plain prose ("to" and "is" pass
 * name_pair). test_prefilter's block-edge words, every name and cue in
 * both cases, hold the three together against the scalar reference. */
static inline unsigned name_or_cue(const uchar *s, size_t len, size_t i)
{
	uint32_t v = 0;
	for (size_t k = 0; k < 3; k++)
		v = v << 8 | (uchar)to_lower(at_or_nul(s, len, i + k));
#define P3(a, b, c) ((uint32_t)(uchar)(a) << 16 | (uint32_t)(uchar)(b) << 8 | (uchar)(c))
	switch (v) {
	case P3('a', 'r', 'r'): case P3('a', 'r', 'o'): case P3('a', 'p', 'e'): case P3('c', 'h', 'i'):
	case P3('k', 'l', 'a'): case P3('k', 'u', 'k'): case P3('s', 'n', 'a'): case P3('m', 'a', 0xC5):
	case P3('z', 'a', 'v'): case P3(0xC3, 0xA4, 't'): case P3(0xD1, 0x81, 0xD0): case P3(0xC3, 0x84, 't'):
	case P3(0xD0, 0xA1, 0xD0):
		return TRIGGER_WORD_AT_NAME;
	case P3('i', 's', ' '): case P3('t', 'o', ' '): case P3('w', 'i', 't'): case P3('b', 'a', 'c'):
	case P3('c', 'u', 's'): case P3('c', 'l', 'i'): case P3('n', 'a', 'm'): case P3('a', 'm', ' '):
	case P3('m', 'e', ' '): case P3('r', 'e', 'g'): case P3('-', '-', ' '): case P3('h', 'o', 'l'): case P3('t', 'o', ':'):
	case P3('h', 'i', ' '): case P3('h', 'e', 'y'):
		return TRIGGER_WORD_CUE;
	default:
		return 0;
	}
#undef P3
}

/* Is c in the set of nibble tables lo and hi (or shares a bucket with it)? */
static int in_set(const uchar lo[16], const uchar hi[16], int c)
{
	return (lo[c & 15] & hi[(c >> 4) & 15]) != 0;
}

/* The bytes of v in the set of nibble tables lo and hi, as bits. */
__attribute__((target("avx2"), always_inline)) static inline uint32_t set_mask(__m256i v, const uchar lo[16],
									      const uchar hi[16])
{
	const __m256i nib = _mm256_set1_epi8(0x0f);
	__m256i l = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)lo)),
					_mm256_and_si256(v, nib));
	__m256i h = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)hi)),
					_mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
	return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(l, h), _mm256_setzero_si256()));
}

__attribute__((target("avx2"), always_inline)) static inline void classify32(const struct prefilter *pf,
						       const __m256i v, struct classes *k)
{
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
	k->digit = (uint32_t)_mm256_movemask_epi8(is_dig);
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
	k->first = set_mask(v, pf->first_lo, pf->first_hi);
	k->second = set_mask(v, pf->second_lo, pf->second_hi);
	k->third = set_mask(v, pf->third_lo, pf->third_hi);
	__m256i lt = _mm256_sub_epi8(v, _mm256_set1_epi8((char)0xC3));
	k->latin = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(lt, _mm256_set1_epi8(0x31)), lt));
	__m256i l = _mm256_sub_epi8(v, _mm256_set1_epi8('a'));
	k->lower = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
		_mm256_cmpeq_epi8(_mm256_min_epu8(l, _mm256_set1_epi8(25)), l),
		_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\'')), high))); /* "O'Brien", "Jürgen" */
}

/* 0xFF for the bytes of a block's half that are text, 0 for the rest:
 * loaded from keep + 32 - n for a half of n bytes. */
static const uchar keep[64] = { [0 ... 31] = 0xFF };

/* A block's 64 bytes are read with two loads. A block past the text's end
 * (most records are shorter than 64 bytes) reads the bytes after it too,
 * when they are on the same page, and clears them: as if the text went on
 * with NULs, which is what the scalar reference reads. Those bytes may be
 * outside the text's object, so the sanitizers are not told of the loads. */
__attribute__((target("avx2"), no_sanitize("address"))) static void
prefilter_marks_avx2(const struct prefilter *pf, const uchar *s, size_t len, size_t block, struct prefilter_marks *out)
{
	const uchar *p = s + block;
	size_t n = len - block < 64 ? len - block : 64;
	__m256i v0, v1;
	if (n == 64 || ((uintptr_t)p & 4095) <= 4096 - 64) {
		size_t n0 = n < 32 ? n : 32, n1 = n - n0;
		v0 = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)p),
				      _mm256_loadu_si256((const __m256i *)(keep + 32 - n0)));
		v1 = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(p + 32)),
				      _mm256_loadu_si256((const __m256i *)(keep + 32 - n1)));
	} else {
		uchar pad[64]; /* the next page may not be readable */
		memcpy(pad, p, n);
		memset(pad + n, 0, 64 - n);
		v0 = _mm256_loadu_si256((const __m256i *)pad);
		v1 = _mm256_loadu_si256((const __m256i *)(pad + 32));
	}
	struct classes lo, hi;
	classify32(pf, v0, &lo);
	classify32(pf, v1, &hi);
#define JOIN(f) ((uint64_t)lo.f | (uint64_t)hi.f << 32)
	memset(out, 0, sizeof(*out));
	uint64_t live = n < 64 ? (1ull << n) - 1 : ~0ull;
	out->anchor = JOIN(anchor) & live;
	if (pf->digit_starts) {
		uint64_t dg = JOIN(digit);
		out->kind[0] = dg & ~(dg << 1 | (uint64_t)(block > 0 && is_digit(s[block - 1]))) & live;
	}
	uint64_t prev_word = JOIN(word) << 1 | (uint64_t)(block > 0 && is_word(s[block - 1]));
	out->start = ~prev_word & live;
	if (pf->triggers) {
		uint64_t start = ~prev_word;
		uint64_t next = block + 64 < len ? s[block + 64] : 0;
		uint64_t nl = next | 0x20;
		uint64_t next_t = JOIN(t) >> 1 | (uint64_t)(nl == 't') << 63;
		uint64_t next_awi = JOIN(awi) >> 1 |
				    (uint64_t)(nl == 'a' || nl == 'w' || nl == 'i') << 63;
		uint64_t next_up = JOIN(upper) >> 1 | (uint64_t)is_upper((int)next) << 63;
		start &= live;
#define KIND(bit) out->kind[__builtin_ctz(bit)]
		if (pf->triggers & TRIGGER_WORD_AT)
			KIND(TRIGGER_WORD_AT) = JOIN(a) & next_t & start;
		if (pf->triggers & TRIGGER_WORD_PASS)
			KIND(TRIGGER_WORD_PASS) = JOIN(p) & next_awi & start;
		if (pf->triggers & TRIGGER_WORD_UPPER_A)
			KIND(TRIGGER_WORD_UPPER_A) = JOIN(capital_a) & next_up & start;
		if (pf->triggers & (TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CUE)) {
			/* a word start whose first three bytes may be a name's or a
			 * cue's (the block's last two ask the bytes after it), then
			 * the scalar test for each: a few a block */
			int b1 = block + 64 < len ? s[block + 64] : 0, b2 = block + 65 < len ? s[block + 65] : 0;
			uint64_t cand = JOIN(first) & start &
					(JOIN(second) >> 1 | (uint64_t)in_set(pf->second_lo, pf->second_hi, b1) << 63) &
					(JOIN(third) >> 2 | (uint64_t)in_set(pf->third_lo, pf->third_hi, b1) << 62 |
					 (uint64_t)in_set(pf->third_lo, pf->third_hi, b2) << 63);
			while (cand) {
				unsigned i = (unsigned)__builtin_ctzll(cand);
				cand &= cand - 1;
				if (!name_pair(s, len, block + i))
					continue;
				unsigned k = name_or_cue(s, len, block + i) & pf->triggers;
				if (k & TRIGGER_WORD_AT_NAME)
					KIND(TRIGGER_WORD_AT_NAME) |= 1ull << i;
				if (k & TRIGGER_WORD_CUE)
					KIND(TRIGGER_WORD_CUE) |= 1ull << i;
			}
		}
		if (pf->triggers & TRIGGER_WORD_CAPITAL) {
			uint64_t next_low = JOIN(lower) >> 1 |
					    (uint64_t)((next >= 'a' && next <= 'z') || next == '\'' || next >= 0x80) << 63;
			KIND(TRIGGER_WORD_CAPITAL) = ((JOIN(upper) & next_low) | JOIN(latin)) & start;
		}
#undef KIND
	}
#undef JOIN
	out->all = out->anchor;
	for (unsigned k = 0; k < TRIGGER_KINDS; k++)
		out->all |= out->kind[k];
}
#endif

void prefilter_marks(const struct prefilter *pf, const uchar *s, size_t len, size_t block,
		     struct prefilter_marks *out)
{
#if defined(__x86_64__)
	if (pf->avx2) {
		prefilter_marks_avx2(pf, s, len, block, out);
		return;
	}
#endif
	prefilter_marks_scalar(pf, s, len, block, out);
}

uint64_t prefilter_block(const struct prefilter *pf, const uchar *s, size_t len, size_t block)
{
	struct prefilter_marks m;
	prefilter_marks(pf, s, len, block, &m);
	return m.all;
}
