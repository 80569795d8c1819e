/* The contract between the engine and the detectors, one file per entity.
 * A detector says which anchors wake it (cheap bytes or word starts that every
 * form of its entity contains) and, when woken, confirms locally and reports
 * candidates. The engine adds context scoring and resolves overlaps. */
#ifndef CORDON_DETECT_DETECTOR_H
#define CORDON_DETECT_DETECTOR_H

#include <stddef.h>
#include "cordon/detect.h"
#include "detect/text.h"
#include "detect/wordset.h"

struct candidate {
	cordon_entity entity;
	size_t start, end;
	double score;
	const char *rule; /* static: which form and checks, for --explain */
};

/* What a scan collects; also the scan's identity (scan counts up) for work
 * detectors share within one scan. */
struct candidates {
	struct candidate *v;
	size_t n, cap;
	int failed; /* an append ran out of memory */
	unsigned long scan; /* this scan's number, unique in the process: memos' key */
	const char *region; /* the engine's, for national phone forms ("US") */
	/* The record's word starts (a byte after no word byte, is_word): bit
	 * i % 64 of starts[i / 64], as the prefilter found them, for every
	 * block up to the one holding the position a detector is woken at.
	 * Read with word_start_after(). NULL outside an engine's scan. */
	const uint64_t *starts;
};

/* The first word start in [from, to), or to when none (sc->starts must
 * cover to - 1). */
static inline size_t word_start_after(const struct candidates *sc, size_t from, size_t to)
{
	while (from < to) {
		uint64_t m = sc->starts[from / 64] >> (from % 64);
		if (m) {
			size_t p = from + (size_t)__builtin_ctzll(m);
			return p < to ? p : to;
		}
		from = (from / 64 + 1) * 64;
	}
	return to;
}

/* rule: a static description of the form and the checks that passed. */
void candidates_push(struct candidates *c, cordon_entity entity, size_t start,
		     size_t end, double score, const char *rule);

/* Word-start anchors the prefilter knows (a word start is a byte whose
 * predecessor is not a word byte). */
enum detector_trigger {
	TRIGGER_DIGIT = 1u << 0,      /* the first digit of a run */
	TRIGGER_WORD_AT = 1u << 1,    /* a word starting "at" (case-insensitive) */
	TRIGGER_WORD_PASS = 1u << 2,  /* a word starting "pa", "pw", "pi" */
	TRIGGER_WORD_UPPER_A = 1u << 3, /* a word starting 'A' + capital letter */
	TRIGGER_WORD_CAPITAL = 1u << 4, /* a capital + lowercase letter or "'" */
	/* a word that names the at-sign in another language ("arroba",
	 * "chiocciola", "собака"), by its first three bytes */
	TRIGGER_WORD_AT_NAME = 1u << 5,
	/* the last word of a cue written in lower case ("is", "with",
	 * "customer", "regards", "--"): a name in lower case may follow */
	TRIGGER_WORD_CUE = 1u << 6
};
enum { TRIGGER_KINDS = 7 };

/* Where the digit run that wakes a TRIGGER_DIGIT detector starts. Most runs
 * in support text are a version's or a date's tail ("10.0.19041.1",
 * "2024-06-25") or glued to a word ("KB5041613", "setup37"), and most
 * numeric detectors turn those away at once: they say which runs they read
 * and the engine, which tells the kind once per run, wakes them for those
 * only. test_prefilter holds each detector to its word: it finds nothing at
 * the runs it leaves out. */
enum digit_start {
	DIGIT_GLUED = 1u << 0, /* after a letter, a non-ASCII byte or '_' */
	DIGIT_TAIL = 1u << 1,  /* after '.' or '-' that follows a digit */
	DIGIT_OTHER = 1u << 2, /* anywhere else: after a blank, '+', '(', '#', ... */
	DIGIT_ANY = DIGIT_GLUED | DIGIT_TAIL | DIGIT_OTHER
};
enum { DIGIT_KINDS = 3 };
/* Indexes of struct detector's runs[]: each kind's bit number. */
enum { RUNS_GLUED = 0, RUNS_TAIL = 1, RUNS_OTHER = 2 };

/* The kind of the digit run starting at s[i] (s[i - 1] is no digit). */
static inline unsigned digit_start_at(const uchar *s, size_t i)
{
	if (i == 0)
		return DIGIT_OTHER;
	uchar p = s[i - 1];
	if (is_word(p) || p == '_')
		return DIGIT_GLUED;
	if ((p == '.' || p == '-') && i > 1 && is_digit(s[i - 2]))
		return DIGIT_TAIL;
	return DIGIT_OTHER;
}

/* Digit-run lengths as the bits of a mask: bit k for a run of k digits
 * (1-30), bit RUN_LONG for RUN_LONG digits or more. Most runs in support text
 * are one to five digits long (a version's parts, a time, a year) and most
 * numeric detectors can start nothing at most lengths: an IPv4 octet is 1-3
 * digits, a card's first group 4 or the whole card 12-19. */
enum { RUN_LONG = 31 };
#define RUN_LEN(k) (1u << (k))
#define RUN_LENS(lo, hi) (((2u << (hi)) - 1) & ~((1u << (lo)) - 1)) /* 2u << 31 wraps to 0: all */

/* The length of the digit run at s[i], as RUN_LEN counts it. */
static inline unsigned digit_run_len(const uchar *s, size_t len, size_t i)
{
	size_t e = i;
	while (e < len && is_digit(s[e]) && e - i < RUN_LONG)
		e++;
	return (unsigned)(e - i);
}

/* What stands beside a digit run, in the few classes detectors can tell
 * from alone that nothing of theirs starts at it (struct detector's
 * edges): the byte before the run and the one after it (with the byte
 * after that, for a separator). */
enum run_before {
	BEFORE_OTHER, /* the text's start, a blank, other punctuation */
	BEFORE_HEX,   /* a-f, A-F */
	BEFORE_ALPHA, /* another letter, '_', a byte of another script */
	BEFORE_SEP,   /* ':', '.', '-' */
	BEFORE_KINDS
};
enum run_after {
	AFTER_OTHER,     /* the end, a blank, ',' (no digit after), other punctuation */
	AFTER_HEX,       /* a-f, A-F */
	AFTER_ALPHA,     /* another letter, '_', a byte of another script */
	AFTER_SEP_DIGIT, /* '.', ':' or ',' and a digit: "10.0", "14:22", "1,5" */
	AFTER_SEP,       /* '.' or ':' and no digit */
	AFTER_DASH,      /* '-' */
	AFTER_PERCENT,   /* '%' */
	AFTER_KINDS
};
static inline unsigned run_before_at(const uchar *s, size_t i)
{
	if (i == 0)
		return BEFORE_OTHER;
	uchar c = s[i - 1];
	if (is_hex(c) && !is_digit(c))
		return BEFORE_HEX;
	if (is_alpha(c) || c == '_' || c >= 0x80)
		return BEFORE_ALPHA;
	return c == ':' || c == '.' || c == '-' ? BEFORE_SEP : BEFORE_OTHER;
}
/* d: the end of the run (s[d] is no digit) */
static inline unsigned run_after_at(const uchar *s, size_t len, size_t d)
{
	if (d >= len)
		return AFTER_OTHER;
	uchar c = s[d];
	if (is_hex(c))
		return AFTER_HEX;
	if (is_alpha(c) || c == '_' || c >= 0x80)
		return AFTER_ALPHA;
	if (c == '.' || c == ':' || c == ',')
		return d + 1 < len && is_digit(s[d + 1]) ? AFTER_SEP_DIGIT : c == ',' ? AFTER_OTHER : AFTER_SEP;
	return c == '-' ? AFTER_DASH : c == '%' ? AFTER_PERCENT : AFTER_OTHER;
}

/* A number as written: digit runs joined by single separators ('.', '-',
 * ':', '/' or ','), each followed by a digit: "10.0.19041.1", "2024-06-25",
 * "14:22:05", "518.15", "4111". The engine reads each once, at its first
 * run, and asks the numeric detectors at which of its groups anything of
 * theirs can start (struct detector's number): most numbers in support text
 * are versions, dates, times and amounts, where none can, and their runs
 * then wake nothing. */
enum { NUMBER_GROUPS = 8 };
struct number {
	size_t start, end; /* its digits and separators */
	size_t n;          /* groups; only the first NUMBER_GROUPS are described */
	size_t at[NUMBER_GROUPS];  /* where each starts */
	size_t len[NUMBER_GROUPS]; /* its digits */
	uchar sep[NUMBER_GROUPS];  /* the separator after it (0 after the last) */
	int before, after;         /* the bytes beside: s[start - 1], s[end] (-1 outside the text) */
	/* its shape, all the detectors' number() may read, packed: the
	 * lengths (at most 255 counted), n (at most 255) and the separators,
	 * the bytes beside (256 for -1) */
	uint64_t shape[3];
};
/* Reads the number whose first digit is s[i]. */
void number_read(const uchar *s, size_t len, size_t i, struct number *t);
/* The first digit of the number the digit run at s[i] is in, read back
 * over at most max groups before it; SIZE_MAX when it has more (a detector
 * woken at each run of a long number must not read it all back each time). */
size_t number_start(const uchar *s, size_t i, size_t max);
/* The digits of groups g.. joined by '-', '.' or '/' (the separators digit
 * groups read: ':' and ',' end them), and whether they may go on past the
 * number (a blank or a parenthesis after it: "555 1234", "(555) 123"). */
size_t number_chain(const struct number *t, size_t g, int *open);

struct detector;
/* Does d read the digit run of this kind (enum digit_start) and length? */
static inline int digit_run_reads(const struct detector *d, unsigned kind, unsigned run);
/* And with what stands beside it (enum run_before, run_after)? */
static inline int digit_run_edges(const struct detector *d, unsigned kind, unsigned before, unsigned after);

struct detector {
	cordon_entity entity;
	const char *name;      /* Presidio-style entity name */
	const char *anchors;   /* bytes that wake it wherever they are */
	unsigned triggers;     /* enum detector_trigger bits */
	unsigned digits;       /* with TRIGGER_DIGIT: the enum digit_start runs it reads */
	/* and, per kind (indexed by the kind's bit number), the run lengths
	 * it can start anything at, as RUN_LEN bits; 0: any length */
	unsigned runs[DIGIT_KINDS];
	/* and whether anything can start at a run of this kind with these
	 * bytes beside it; NULL: always. Asked for every combination when an
	 * engine is made, never per run. */
	int (*edges)(unsigned kind, unsigned before, unsigned after);
	/* and, for a number (t->n <= NUMBER_GROUPS), the groups of it
	 * anything can start at, as bits (bit g: group g's first digit);
	 * NULL: all. Told by the number's shape alone (the lengths, the
	 * separators, the bytes beside; not its digits): the engine keeps
	 * the answers by shape. */
	unsigned (*number)(const struct number *t);
	/* Examines the text around anchor position `at`, pushes candidates and
	 * returns the offset before which it need not be woken again (> at). */
	size_t (*scan)(const uchar *s, size_t len, size_t at, struct candidates *out);
	struct wordset *context; /* words before a value that raise its score */
	struct wordset *decoys;  /* words just before that mark a non-value */
	/* Canonical value for keyed pseudonyms; NULL: lowercase, no blanks. */
	size_t (*canonical)(const uchar *s, size_t len, char *out, size_t cap);
	/* Masked preview; NULL: letters and digits become '*'. */
	size_t (*mask)(const uchar *s, size_t len, char *out, size_t cap);
};

static inline int digit_run_reads(const struct detector *d, unsigned kind, unsigned run)
{
	unsigned k = (unsigned)__builtin_ctz(kind);
	return (d->digits & kind) && (!d->runs[k] || (d->runs[k] & RUN_LEN(run < RUN_LONG ? run : RUN_LONG)));
}

static inline int digit_run_edges(const struct detector *d, unsigned kind, unsigned before, unsigned after)
{
	return !d->edges || d->edges(kind, before, after);
}

/* The registry, indexed by entity (src/detect/registry.c). */
extern const struct detector *const cordon_detectors[CORDON_ENTITY_COUNT];

/* Context scoring shared by all detectors (src/detect/context.c). *why gets
 * the context or decoy word that moved the score ("" when none did). */
double context_adjust(const struct detector *d, const uchar *s, size_t len,
		      size_t start, size_t end, double score, const char **why);

/* Is one of the set's words present in s[from, to) as a whole token? Tokens
 * are runs of ASCII letters, digits, '-' and '#' ("e-mail", "ss#"), compared
 * lowercased. Returns the word found, or NULL. */
const char *context_find(const uchar *s, size_t from, size_t to, struct wordset *words);

/* Output helper for canonical and mask functions: append a byte if room,
 * always count it. */
struct outcur {
	char *out;
	size_t cap, n;
};
static inline void outcur_put(struct outcur *o, char c)
{
	if (o->n + 1 < o->cap)
		o->out[o->n] = c;
	o->n++;
}
static inline size_t outcur_end(struct outcur *o)
{
	if (o->cap)
		o->out[o->n < o->cap ? o->n : o->cap - 1] = '\0';
	return o->n;
}

/* Generic masks shared by detectors (src/detect/mask.c). */
size_t mask_generic(const uchar *s, size_t len, char *out, size_t cap);
size_t mask_keep_last(const uchar *s, size_t len, size_t keep, char *out, size_t cap);
size_t mask_opaque(const uchar *s, size_t len, char *out, size_t cap);
size_t canonical_generic(const uchar *s, size_t len, char *out, size_t cap);
size_t canonical_digits(const uchar *s, size_t len, char *out, size_t cap);

#endif
