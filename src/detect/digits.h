/* Digit groups: the shape shared by phone, card and SSN numbers ("555-123-4567",
 * "4111 1111 1111 1111"): runs of digits joined by single separators. */
#ifndef CORDON_DETECT_DIGITS_H
#define CORDON_DETECT_DIGITS_H

#include "detect/detector.h"

enum { DIGIT_GROUPS_MAX = 12, DIGITS_MAX = 24 };

struct digit_groups {
	size_t start, end;          /* span of the groups in the text */
	size_t n;                   /* number of groups */
	unsigned char len[DIGIT_GROUPS_MAX];
	char sep[DIGIT_GROUPS_MAX]; /* sep[k] joins group k and k+1; '(' for "(555) " */
	char digits[DIGITS_MAX + 1];
	size_t ndigits;
	int plus;                   /* written with a leading '+' */
	int paren;                  /* first group in parentheses */
	int hash;                   /* written right after '#' ("Card #4111...", "case #1234") */
};

/* Reads groups starting at the digit run at `at` (a leading '+' or '(' just
 * before is taken in) joined by ' ', '-', '.', '/' or "(...) ". Returns 0 when
 * the text before `at` says this is part of something else (a word, a
 * version, an amount). The phone, card and SSN detectors all read the same
 * groups, so the result is kept for the scan (sc) and read once. */
const struct digit_groups *digit_groups_get(struct candidates *sc, const uchar *s, size_t len,
					    size_t at);

/* True when no word byte follows end (and no ".5" style continuation). */
int digits_end_ok(const uchar *s, size_t len, size_t end);

/* Do all separators equal c (or, for c == 0, are they all the same)? */
int digit_groups_same_sep(const struct digit_groups *g, char c);

/* IBAN check: mod 97 of the rearranged code (BBAN, then country and check
 * digits) is 1. iban holds n letters and digits, no blanks. */
int iban_mod97_ok(const char *iban, size_t n);

/* Luhn checksum over ASCII digits. */
int luhn_ok(const char *digits, size_t n);

#endif
