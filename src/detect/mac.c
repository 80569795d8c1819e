/* MAC_ADDRESS: six hex pairs joined by ':' or '-' ("00:1A:2B:3C:4D:5E") or
 * three hex quads joined by '.' (Cisco "001a.2b3c.4d5e"), whole tokens only.
 * Woken by digits: twelve hex digits without one are too rare to pay for. */
#include "detect/detector.h"

static int mac_byte(uchar c)
{
	return is_hex(c) || c == ':' || c == '-' || c == '.';
}

static int shape_ok(const uchar *t, size_t n)
{
	if (n == 17) {
		uchar sep = t[2];
		if (sep != ':' && sep != '-')
			return 0;
		for (size_t i = 0; i < 17; i++)
			if (i % 3 == 2 ? t[i] != sep : !is_hex(t[i]))
				return 0;
		return 1;
	}
	if (n == 14) {
		for (size_t i = 0; i < 14; i++)
			if (i % 5 == 4 ? t[i] != '.' : !is_hex(t[i]))
				return 0;
		return 1;
	}
	return 0;
}

static size_t mac_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	/* every group is two or four hex digits: reject other runs at once */
	size_t hb = at, he = at;
	while (hb > 0 && is_hex(s[hb - 1]) && at - hb < 5)
		hb--;
	while (he < len && is_hex(s[he]) && he - hb < 5)
		he++;
	if (he - hb != 2 && he - hb != 4)
		return he;
	size_t b = at, e = at;
	while (b > 0 && mac_byte(s[b - 1]) && at - b < 17)
		b--;
	while (e < len && mac_byte(s[e]) && e - b < 18)
		e++;
	/* trim separators at the edges ("MAC 00:1a:..:5e." ends a sentence) */
	while (b < e && !is_hex(s[b]))
		b++;
	while (e > b && !is_hex(s[e - 1]))
		e--;
	if ((b > 0 && (is_word(s[b - 1]) || s[b - 1] == '_')) ||
	    (e < len && (is_word(s[e]) || s[e] == '_' || (mac_byte(s[e]) && e + 1 < len && is_hex(s[e + 1])))))
		return at + 1;
	if (!shape_ok(s + b, e - b))
		return at + 1;
	int digits = 0;
	for (size_t i = b; i < e; i++)
		digits += is_digit(s[i]);
	candidates_push(out, CORDON_MAC_ADDRESS, b, e, digits ? 0.8 : 0.6, "six hex pairs or three hex quads");
	return e;
}

/* A MAC's group of hex digits has a separator or more hex digits beside it:
 * a run with neither on either side is a group alone, no MAC. */
static int mac_edges(unsigned kind, unsigned before, unsigned after)
{
	(void)kind;
	return before == BEFORE_HEX || before == BEFORE_SEP || after == AFTER_HEX || after == AFTER_SEP_DIGIT ||
	       after == AFTER_SEP || after == AFTER_DASH;
}

/* In a number: a group of two or four digits, or one beside hex letters
 * ("00:1a", "3c4d"), and, for a number alone (no MAC byte beside it) and
 * short enough to be read whole, the MAC's shape itself ("2024-06-25",
 * "14:22:05" and "10.0.19041.1" have none). */
static unsigned mac_number(const struct number *t)
{
	int hex_before = t->before >= 0 && is_hex(t->before), hex_after = t->after >= 0 && is_hex(t->after);
	int mac_seps = 1; /* else the MAC's bytes stop inside it ("12/00:1a:...") */
	for (size_t g = 0; g + 1 < t->n; g++)
		mac_seps &= mac_byte(t->sep[g]);
	if (mac_seps && t->end - t->start <= 17 && !(t->before >= 0 && mac_byte((uchar)t->before)) &&
	    !(t->after >= 0 && mac_byte((uchar)t->after))) {
		int pairs = t->n == 6 && (t->sep[0] == ':' || t->sep[0] == '-'), quads = t->n == 3 && t->sep[0] == '.';
		for (size_t g = 0; g < t->n && (pairs || quads); g++)
			if (t->len[g] != (pairs ? 2u : 4u) || (g + 1 < t->n && t->sep[g] != t->sep[0]))
				pairs = quads = 0;
		if (!pairs && !quads)
			return 0;
	}
	unsigned may = 0;
	for (size_t g = 0; g < t->n; g++)
		if (t->len[g] == 2 || t->len[g] == 4 || (g == 0 && hex_before) || (g + 1 == t->n && hex_after))
			may |= 1u << g;
	return may;
}

static const char *const mac_context[] = { "mac", "ethernet", "hardware", "adapter", "wifi", "bssid", NULL };

static struct wordset mac_context_words = WORDSET(mac_context);

const struct detector detector_mac = {
	.entity = CORDON_MAC_ADDRESS,
	.name = "MAC_ADDRESS",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_ANY, /* "00:1a:2b": its runs start anywhere */
	/* inside a group of two or four hex digits */
	.runs = { [RUNS_GLUED] = RUN_LENS(1, 4), [RUNS_TAIL] = RUN_LENS(1, 4), [RUNS_OTHER] = RUN_LENS(1, 4) },
	.edges = mac_edges,
	.number = mac_number,
	.scan = mac_scan,
	.context = &mac_context_words,
};
