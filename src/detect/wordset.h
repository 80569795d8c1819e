/* Fixed word lists asked "is this word one of yours?" in O(1): the list is
 * hashed on first use (any thread), then a word costs one hash and one
 * compare, not a walk of the list. A word's first eight bytes are read as
 * one integer (lowercased eight at a time), hashed and compared as one:
 * most words asked are short, and a byte-by-byte hash and compare was 4%
 * of the dense-chat run. Detectors declare a set beside each
 * static list they look words up in:
 *	static const char *const decoys[] = { "build", "version", NULL };
 *	static struct wordset decoy_set = WORDSET(decoys);
 *	... wordset_has(&decoy_set, s + b, e - b) ...
 * The list's words are compared with the text's ASCII letters lowercased
 * (other bytes as they are), so a list is written in lower case;
 * WORDSET_EXACT(list) compares bytes as they are ("NW", "CA"). */
#ifndef CORDON_DETECT_WORDSET_H
#define CORDON_DETECT_WORDSET_H

#include <stddef.h>
#include <stdint.h>
#include "detect/text.h"

enum { WORDSET_SLOTS = 512 }; /* a list of up to 256 words is hashed; a longer one is walked */

struct wordset_slot {
	uint64_t head;  /* the word's first eight bytes (pack_head8, as written) */
	uint16_t word;  /* 1 + its index in the list; 0: empty */
	uint16_t len;
};

struct wordset {
	const char *const *words; /* NULL-terminated */
	int exact;                /* compare bytes as they are */
	int ready;                /* built: read and set atomically */
	int walk;                 /* too long to hash: walked */
	size_t minlen, maxlen;
	/* the words' lengths (bit n; bit 63: 63 or more) and first bytes (as
	 * written; the text's lowercased unless exact): most words asked are
	 * turned away by these two bits, before any hash */
	uint64_t lens, first[4];
	/* a power of two of them, at least twice the words: made when the
	 * set is built (a set that cannot have them is walked) */
	struct wordset_slot *slot;
	uint64_t mask;
};

#define WORDSET(list) { .words = (list) }
#define WORDSET_EXACT(list) { .words = (list), .exact = 1 }

/* Frees what a set made when it was built: for a set allocated at run
 * time (a user rule's context words), before it is freed. A static set
 * keeps its slots for the process's life. */
void wordset_release(struct wordset *ws);
/* Is s[0, n) one of the set's words? */
int wordset_has(struct wordset *ws, const uchar *s, size_t n);
/* The set's word s[0, n) is, or NULL. */
const char *wordset_find(struct wordset *ws, const uchar *s, size_t n);

#endif
