/* IBAN_CODE: country code, check digits and the country's BBAN length
 * (ISO 13616 registry), bare or in groups of four joined by a blank, "-",
 * "/" or ".", confirmed by mod-97. */
#include <string.h>
#include "detect/detector.h"
#include "detect/digits.h"

static const struct {
	char cc[3];
	unsigned char len;
} iban_lengths[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 },
	{ "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BR", 29 }, { "BY", 28 }, { "CH", 21 },
	{ "CR", 22 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "DO", 28 },
	{ "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FO", 18 }, { "FR", 27 },
	{ "GB", 22 }, { "GE", 22 }, { "GI", 23 }, { "GL", 18 }, { "GR", 27 }, { "GT", 28 },
	{ "HR", 21 }, { "HU", 28 }, { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 },
	{ "IT", 27 }, { "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 },
	{ "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 }, { "MC", 27 }, { "MD", 24 },
	{ "ME", 22 }, { "MK", 19 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NL", 18 },
	{ "NO", 15 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 }, { "PT", 25 }, { "QA", 29 },
	{ "RO", 24 }, { "RS", 22 }, { "SA", 24 }, { "SC", 31 }, { "SE", 24 }, { "SI", 19 },
	{ "SK", 24 }, { "SM", 27 }, { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 },
	{ "TR", 26 }, { "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 },
	/* joined the registry since 2020 */
	{ "BI", 27 }, { "DJ", 27 }, { "FK", 18 }, { "LY", 25 }, { "MN", 20 }, { "NI", 28 },
	{ "OM", 23 }, { "RU", 33 }, { "SD", 18 }, { "SO", 23 }, { "YE", 30 },
};

static unsigned iban_length(uchar a, uchar b)
{
	char cc[3] = { (char)(a & ~0x20), (char)(b & ~0x20), 0 };
	for (size_t k = 0; k < sizeof(iban_lengths) / sizeof(*iban_lengths); k++)
		if (!memcmp(iban_lengths[k].cc, cc, 2))
			return iban_lengths[k].len;
	return 0;
}

int iban_mod97_ok(const char *iban, size_t n)
{
	unsigned r = 0;
	for (size_t k = 0; k < n; k++) {
		uchar c = (uchar)iban[(k + 4) % n];
		if (is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else if (is_alpha(c))
			r = (r * 100 + (unsigned)(to_lower(c) - 'a' + 10)) % 97;
		else
			return 0;
	}
	return r == 1;
}

enum { IBAN_MAX = 34 }; /* the longest the standard allows */

static size_t iban_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	/* woken at the check digits: the country code is just before */
	if (at < 2 || !is_alpha(s[at - 2]) || !is_alpha(s[at - 1]) ||
	    (at > 2 && is_word(s[at - 3])) || !is_digit(at_or_nul(s, len, at + 1)))
		return at + 1;
	unsigned want = iban_length(s[at - 2], s[at - 1]);
	if (!want)
		return at + 1;
	char iban[40];
	size_t n = 0, i = at - 2;
	uchar sep = 0; /* groups of four joined by one separator, the same throughout */
	while (i < len && n < IBAN_MAX) {
		if (is_alnum(s[i])) {
			iban[n++] = (char)s[i++];
		} else if (n % 4 == 0 && n < want && (sep ? s[i] == sep : (s[i] && BYTE_IN(" -/.", s[i]))) &&
			   i + 1 < len && is_alnum(s[i + 1])) {
			sep = s[i++];
		} else {
			break;
		}
		if (n == want && sep)
			break; /* grouped: the country's length ends it */
	}
	if ((i < len && is_word(s[i])) || !iban_mod97_ok(iban, n))
		return at + 1;
	if (n == want) {
		candidates_push(out, CORDON_IBAN_CODE, at - 2, i, 0.9, "country length and mod-97 check");
		return i;
	}
	/* "GB54XTLK2360476031780": one short of Britain's 22, yet its check
	 * digits hold (one chance in 97 for a random code): an IBAN misread or
	 * mistyped by its writer is still someone's account */
	if (n < 15 || !is_upper(s[at - 2]) || !is_upper(s[at - 1]))
		return at + 1;
	candidates_push(out, CORDON_IBAN_CODE, at - 2, i, 0.6, "mod-97 check, not the country's length");
	return i;
}

static size_t iban_canonical(const uchar *s, size_t len, char *out, size_t cap)
{
	struct outcur o = { out, cap, 0 };
	for (size_t i = 0; i < len; i++)
		if (is_alnum(s[i]))
			outcur_put(&o, (char)(is_alpha(s[i]) ? s[i] & ~0x20 : s[i]));
	return outcur_end(&o);
}

static size_t iban_mask(const uchar *s, size_t len, char *out, size_t cap)
{
	return mask_keep_last(s, len, 4, out, cap);
}

static const char *const iban_context[] = { "iban", "bank", "account", "konto", "compte", NULL };

static struct wordset iban_context_words = WORDSET(iban_context);

const struct detector detector_iban = {
	.entity = CORDON_IBAN_CODE,
	.name = "IBAN_CODE",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_GLUED, /* woken at the check digits, after the country code */
	.runs = { [RUNS_GLUED] = RUN_LENS(2, RUN_LONG) }, /* two check digits at least */
	.scan = iban_scan,
	.context = &iban_context_words,
	.canonical = iban_canonical,
	.mask = iban_mask,
};
