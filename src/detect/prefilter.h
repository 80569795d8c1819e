/* The anchor prefilter: marks, 64 bytes at a time, the positions where some
 * detector may start work: anchor bytes ('@', digits, ':' ...) and word starts
 * ("at", "pa"/"pw"/"pi", "A" + capital, the at-sign's names), and with
 * TRIGGER_DIGIT the first digit of each run (not the digits after it: most
 * digits in support text are inside runs, and each mark costs the engine a
 * look). A superset is fine; a miss is not.
 * prefilter_block_scalar is the reference the AVX2 path is tested against. */
#ifndef CORDON_DETECT_PREFILTER_H
#define CORDON_DETECT_PREFILTER_H

#include <stdint.h>
#include "detect/detector.h"
#include "detect/text.h"

struct prefilter {
	uchar anchors[256];
	unsigned triggers; /* enum detector_trigger word-start bits in use */
	int digit_starts;  /* TRIGGER_DIGIT in use: mark the first digit of each run */
	uchar lo[16], hi[16]; /* nibble tables: anchors[c] iff lo[c&15] & hi[c>>4] */
	/* and for the bytes that may be an at-sign's name's or a cue word's
	 * first, second and third (supersets: bytes share a table's bucket) */
	uchar first_lo[16], first_hi[16], second_lo[16], second_hi[16], third_lo[16], third_hi[16];
	int avx2;
};

void prefilter_init(struct prefilter *pf, const uchar anchors[256], unsigned triggers);

/* What the masks mark in [block, min(block + 64, len)), as bits, by kind:
 * kind[k] for the trigger whose bit number is k (kind[0]: the first digits
 * of runs; the word starts for the others, exact but for TRIGGER_WORD_CUE,
 * which marks its first three bytes and prefilter_cue_at confirms), anchor
 * for the anchor bytes, all for any. The engine reads the kinds from the
 * masks instead of asking each marked position again. */
struct prefilter_marks {
	uint64_t all, anchor;
	uint64_t kind[TRIGGER_KINDS];
	uint64_t start; /* word starts: a byte after no word byte (is_word) */
};
void prefilter_marks(const struct prefilter *pf, const uchar *s, size_t len, size_t block,
		     struct prefilter_marks *out);
void prefilter_marks_scalar(const struct prefilter *pf, const uchar *s, size_t len, size_t block,
			    struct prefilter_marks *out);
/* Their all, the positions that may be anchors. */
uint64_t prefilter_block(const struct prefilter *pf, const uchar *s, size_t len, size_t block);
uint64_t prefilter_block_scalar(const struct prefilter *pf, const uchar *s, size_t len, size_t block);
/* Is the word at s[i] a cue's last word (TRIGGER_WORD_CUE, exactly)? */
int prefilter_cue_at(const uchar *s, size_t len, size_t i);
/* The word-start triggers at s[i] exactly. */
unsigned prefilter_word_triggers(const uchar *s, size_t len, size_t i);
/* The same, where TRIGGER_WORD_AT_NAME stands for its superset (a word
 * starting with one of its first bytes): what the block masks mark, the
 * engine then asks prefilter_word_triggers. */
unsigned prefilter_word_candidates(const uchar *s, size_t len, size_t i);

#endif
