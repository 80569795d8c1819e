/* PRODUCT_KEY: five groups of five letters and digits ("VK7JG-NPHTM-C97JM-
 * 9MPGT-3V66T"), the licence-key shape of Windows, Office and many vendors. */
#include "detect/detector.h"

static size_t product_key_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	/* every group is five letters or digits: reject other runs at once */
	size_t gb = at, ge = at;
	while (gb > 0 && is_alnum(s[gb - 1]) && at - gb < 6)
		gb--;
	while (ge < len && is_alnum(s[ge]) && ge - gb < 6)
		ge++;
	if (ge - gb != 5 || !((gb > 0 && s[gb - 1] == '-') || (ge < len && s[ge] == '-')))
		return ge;
	size_t b = at;
	while (b > 0 && (is_alnum(s[b - 1]) || s[b - 1] == '-') && at - b < 29)
		b--;
	/* the key starts 0, 6, 12, 18 or 24 bytes before a group start */
	for (size_t start = b; start <= at; start++) {
		if (start > 0 && (is_word(s[start - 1]) || s[start - 1] == '-'))
			continue;
		if (start + 29 > len)
			break;
		int ok = 1, digits = 0, letters = 0;
		for (size_t i = 0; i < 29 && ok; i++) {
			uchar c = s[start + i];
			if (i % 6 == 5)
				ok = c == '-';
			else {
				ok = is_alnum(c);
				digits += is_digit(c);
				letters += is_alpha(c);
			}
		}
		if (!ok || (start + 29 < len && (is_word(s[start + 29]) || s[start + 29] == '-')))
			continue;
		if (!digits || !letters)
			continue; /* "XXXXX-XXXXX-..." placeholders, serials of one kind */
		candidates_push(out, CORDON_PRODUCT_KEY, start, start + 29, 0.85,
				"five groups of five letters and digits");
		return start + 29;
	}
	return at + 1;
}

/* A key's group of five has a dash beside it, or letters that are part of
 * it: a run with neither on either side is no group of a key. */
static int product_key_edges(unsigned kind, unsigned before, unsigned after)
{
	(void)kind;
	return before != BEFORE_OTHER || after == AFTER_HEX || after == AFTER_ALPHA || after == AFTER_DASH;
}

/* In a number: a group of five with a dash beside it, or one letters are
 * glued to. */
static unsigned product_key_number(const struct number *t)
{
	unsigned may = 0;
	for (size_t g = 0; g < t->n; g++) {
		int before = g ? t->sep[g - 1] : t->before, after = g + 1 < t->n ? t->sep[g] : t->after;
		if ((t->len[g] == 5 && (before == '-' || after == '-')) || (g == 0 && before >= 0 && is_alnum(before)) ||
		    (g + 1 == t->n && after >= 0 && is_alnum(after)))
			may |= 1u << g;
	}
	return may;
}

static const char *const product_key_context[] = {
	"key", "product", "licence", "license", "activation", "serial", "cd-key", NULL
};

static struct wordset product_key_context_words = WORDSET(product_key_context);

const struct detector detector_product_key = {
	.entity = CORDON_PRODUCT_KEY,
	.name = "PRODUCT_KEY",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_ANY,
	/* inside a group of five letters and digits */
	.runs = { [RUNS_GLUED] = RUN_LENS(1, 5), [RUNS_TAIL] = RUN_LENS(1, 5), [RUNS_OTHER] = RUN_LENS(1, 5) },
	.edges = product_key_edges,
	.number = product_key_number,
	.scan = product_key_scan,
	.context = &product_key_context_words,
};
