/* CREDIT_CARD: 12-19 digits, bare or in groups of four (Amex 4-6-5), passing
 * the Luhn check and starting with an issuer prefix of the right length. */
#include <string.h>
#include "detect/detector.h"
#include "detect/digits.h"

struct issuer {
	const char *lo, *hi; /* prefix range, same length */
	unsigned char min, max;
};

static const struct issuer issuers[] = {
	{ "4", "4", 13, 19 },          /* Visa */
	{ "51", "55", 16, 16 },        /* Mastercard */
	{ "2221", "2720", 16, 16 },    /* Mastercard 2-series */
	{ "34", "34", 15, 15 },        /* American Express */
	{ "37", "37", 15, 15 },
	{ "6011", "6011", 16, 19 },    /* Discover */
	{ "644", "649", 16, 19 },
	{ "65", "65", 16, 19 },
	{ "3528", "3589", 16, 19 },    /* JCB */
	{ "300", "305", 14, 19 },      /* Diners Club */
	{ "36", "36", 14, 19 },
	{ "38", "39", 14, 19 },
	{ "62", "62", 16, 19 },        /* UnionPay */
	{ "50", "50", 12, 19 },        /* Maestro */
	{ "56", "58", 12, 19 },
	{ "67", "67", 12, 19 },
	{ "2200", "2204", 16, 16 },    /* Mir */
	{ "1800", "1800", 15, 15 },    /* JCB, 15 digits */
	{ "2131", "2131", 15, 15 },
	{ "1", "1", 15, 15 },          /* UATP */
};

static int issuer_ok(const char *d, size_t n)
{
	for (size_t k = 0; k < sizeof(issuers) / sizeof(*issuers); k++) {
		const struct issuer *is = &issuers[k];
		if (n < is->min || n > is->max)
			continue;
		unsigned long v = 0, lo = 0, hi = 0;
		for (size_t i = 0; is->lo[i]; i++) {
			v = v * 10 + (unsigned long)(d[i] - '0');
			lo = lo * 10 + (unsigned long)(is->lo[i] - '0');
			hi = hi * 10 + (unsigned long)(is->hi[i] - '0');
		}
		if (v >= lo && v <= hi)
			return 1;
	}
	return 0;
}

/* Bare digits, or groups led by four digits (4-4-4-4, 4-6-5) with one separator. */
static int card_shape_ok(const struct digit_groups *g)
{
	if (g->n == 1)
		return 1;
	return g->len[0] == 4 && g->n <= 5 && digit_groups_same_sep(g, 0) &&
	       (g->sep[0] == ' ' || g->sep[0] == '-');
}

/* A bare run of 12-19 digits at `at` right beside another number, before
 * or after it ("4111111111111111 5555555555554444", "...,5555...", "qty 2
 * 4111111111111111"): read as groups they are one number of 32 digits, or
 * the tail of one; a card's own run is a card whatever stands beside it. */
static size_t run_len(const uchar *s, size_t len, size_t i)
{
	size_t e = i;
	while (e < len && is_digit(s[e]))
		e++;
	return e - i;
}

static int next_to_card(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	size_t n = run_len(s, len, at), e = at + n;
	if (n < 12 || n > 19)
		return 0;
	size_t prev = 0;
	if (at > 1 && BYTE_IN(" ,;/", s[at - 1]) && s[at - 1]) {
		size_t k = at - 1;
		while (k > 0 && is_digit(s[k - 1]))
			k--;
		prev = at - 1 - k;
		if (k > 0 && is_word(s[k - 1]))
			prev = 0;
	} else if (at > 0 && (is_word(s[at - 1]) || s[at - 1] == '_')) {
		return 0;
	}
	size_t next = e + 1 < len && BYTE_IN(" ,;/", s[e]) && s[e] ? run_len(s, len, e + 1) : 0;
	if (!prev && !next)
		return 0; /* not beside another number: the groups' reading stands */
	if (e < len && (is_word(s[e]) || s[e] == '_' || (s[e] == '.' && e + 1 < len && is_digit(s[e + 1]))))
		return 0;
	char d[20];
	memcpy(d, s + at, n);
	if (!luhn_ok(d, n) || !issuer_ok(d, n))
		return 0;
	candidates_push(out, CORDON_CREDIT_CARD, at, e, 0.8, "digits beside another number, Luhn, issuer prefix and length");
	return 1;
}

enum { CARD_WORD_SPAN = 24 };
static const char *const card_words[] = {
	"card", "credit", "debit", "visa", "mastercard", "amex", "cc", "charged", "paid", "pay", "kreditkarte",
	"carte", "tarjeta", "cart\xc3\xa3o", "carta", NULL
};
static struct wordset card_word_set = WORDSET(card_words);

static size_t card_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	if (next_to_card(s, len, at, out))
		return at + run_len(s, len, at);
	const struct digit_groups *gp = digit_groups_get(out, s, len, at);
	if (!gp || gp->plus || gp->paren)
		return at + 1;
	if (gp->ndigits < 12 || gp->ndigits > 19 || !card_shape_ok(gp) ||
	    !digits_end_ok(s, len, gp->end))
		return at + 1;
	if (!luhn_ok(gp->digits, gp->ndigits))
		return at + 1;
	if (!issuer_ok(gp->digits, gp->ndigits)) {
		/* "card number 3517146299122235": an issuer missing from the table
		 * (or a test number) is still a card where the sentence says so */
		size_t from = gp->start > CARD_WORD_SPAN ? gp->start - CARD_WORD_SPAN : 0;
		if (!context_find(s, from, gp->start, &card_word_set))
			return at + 1;
		candidates_push(out, CORDON_CREDIT_CARD, gp->start, gp->end, 0.6,
				"digits, Luhn, after a card word (issuer prefix not known)");
		return gp->end;
	}
	candidates_push(out, CORDON_CREDIT_CARD, gp->start, gp->end, gp->n > 1 ? 0.9 : 0.8,
			gp->n > 1 ? "grouped digits, Luhn, issuer prefix and length" : "digits, Luhn, issuer prefix and length");
	return gp->end;
}

/* In a number: its first group, when its digit groups hold 12-19 digits
 * or more may come (see phone_number); and any group of 12-19 digits
 * beside another number ("4111111111111111/378282246310005"). */
static unsigned card_number(const struct number *t)
{
	int open;
	size_t digits = number_chain(t, 0, &open);
	unsigned may = open || (digits >= 12 && digits <= 19) || digits > DIGITS_MAX;
	for (size_t g = 0; g < t->n; g++)
		if (t->len[g] >= 12 && t->len[g] <= 19)
			may |= 1u << g;
	return may;
}

static size_t card_mask(const uchar *s, size_t len, char *out, size_t cap)
{
	return mask_keep_last(s, len, 4, out, cap);
}

static const char *const card_context[] = {
	"card", "credit", "debit", "visa", "mastercard", "amex", "cc", "payment", "pan", "kreditkarte",
	"carte", NULL
};
static const char *const card_decoys[] = {
	"order", "tracking", "invoice", "case", "ticket", "imei", "serial", NULL
};

static struct wordset card_context_words = WORDSET(card_context);
static struct wordset card_decoys_words = WORDSET(card_decoys);

const struct detector detector_credit_card = {
	.entity = CORDON_CREDIT_CARD,
	.name = "CREDIT_CARD",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_TAIL | DIGIT_OTHER, /* a card is no word's tail: "x4111..." */
	/* a first group of four, or all 12-19 digits in one run; after a
	 * number's dash only the run beside another number (next_to_card) */
	.runs = { [RUNS_TAIL] = RUN_LENS(12, 19), [RUNS_OTHER] = RUN_LEN(4) | RUN_LENS(12, 19) },
	.number = card_number,
	.scan = card_scan,
	.context = &card_context_words,
	.decoys = &card_decoys_words,
	.canonical = canonical_digits,
	.mask = card_mask,
};
