/* PHONE_NUMBER: E.164 ("+44 20 7946 0958", "+14155552671"), North American
 * ("(555) 123-4567", "555.123.4567"), UK, German and French national forms
 * ("020 7946 0958", "030/1234567", "06 12 34 56 78"), digits written one by
 * one ("5 5 5 1 2 3 4 5 6 7") and extensions ("x204", "ext. 12"). A number is
 * accepted by the shape of its groups, so dates, prices, versions, KB and case
 * numbers (wrong shape, or said to be one by a word before) stay. */
#include <string.h>
#include "detect/detector.h"
#include "detect/digits.h"
#include "detect/phone_e164.h"

static int groups_are(const struct digit_groups *g, const unsigned char *want, size_t n)
{
	if (g->n != n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (g->len[k] != want[k])
			return 0;
	return 1;
}
#define SHAPE(g, ...) groups_are(g, (const unsigned char[]){ __VA_ARGS__ }, \
				 sizeof((const unsigned char[]){ __VA_ARGS__ }))

/* Area code and exchange start with 2-9. Written examples ("555-123-4567")
 * break the exchange rule, so a formatted number only needs the area code. */
static int nanp_ok(const char *d, int formatted)
{
	return d[0] >= '2' && (formatted || d[3] >= '2');
}

/* "22 662 93 43", "605 731 264", "61 9405-7658", "08-87 78 08": the way
 * phone numbers are written in many countries, with no phone word needed:
 * three groups or more, of 2-4 digits after a first of 1-5, joined by
 * blanks or dashes, 8-12 digits. Not an SSN's 3-2-4, nor a date
 * ("2024-06-25 10", "25-06-2024 10"): a group of four starting 19 or 20
 * beside a dash makes it none. */
static int grouped_like_phone(const struct digit_groups *g)
{
	if (g->n < 3 || g->ndigits < 8 || g->ndigits > 12 || g->plus || g->paren)
		return 0;
	if (SHAPE(g, 3, 2, 4))
		return 0; /* a US SSN's form, valid or not ("000-12-3456") */
	size_t at = 0;
	for (size_t k = 0; k < g->n; k++) {
		unsigned len = g->len[k];
		if (len > (k ? 4u : 5u) || (k && len < 2))
			return 0;
		if (k + 1 < g->n && g->sep[k] != ' ' && g->sep[k] != '-')
			return 0;
		const char *d = g->digits + at;
		int dash = (k + 1 < g->n && g->sep[k] == '-') || (k > 0 && g->sep[k - 1] == '-');
		if (len == 4 && dash && ((d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0')))
			return 0;
		at += len;
	}
	return 1;
}

/* "0416234932", "13669207406", "2108160481": a bare run of 10 or 11 digits,
 * the length of most countries' national and mobile numbers, written with
 * no phone word. libphonenumber cannot tell these from other numbers: read
 * in one region or another it takes nearly every such run (98.6% of random
 * ten-digit runs are valid in one of 30 large countries), so cordon does not
 * pretend to validate them. The shape turns away what is known to be
 * something else: ten digits from 1 (a Unix time: no country's national
 * number is ten digits from 1), "00" (dialling out, read above), a date and
 * hour ("2024062510"), one digit repeated, a count up or down
 * ("1234567890"). The words before still count: "case", "order", "ticket"
 * and the other decoys take it back out. */
static int bare_national(const char *d, size_t n)
{
	if ((n != 10 && n != 11) || (d[0] == '0' && d[1] == '0'))
		return 0;
	if (n == 10 && d[0] == '1')
		return 0;
	if (n == 11 && d[0] == '1' && d[1] < '3' && !nanp_ok(d + 1, 0))
		return 0; /* China's mobiles 13-19, or North America's 1 + area code */
	if ((d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0')) {
		int month = (d[4] - '0') * 10 + (d[5] - '0'), day = (d[6] - '0') * 10 + (d[7] - '0');
		if (month >= 1 && month <= 12 && day >= 1 && day <= 31)
			return 0;
	}
	int same = 1, up = 1, down = 1;
	for (size_t k = 1; k < n; k++) {
		same &= d[k] == d[0];
		up &= d[k] == '0' + (d[k - 1] - '0' + 1) % 10;
		down &= d[k] == '0' + (d[k - 1] - '0' + 9) % 10;
	}
	return !same && !up && !down;
}

/* Score of a number by the shape of its groups; 0 when it is not a phone number. */
static double phone_shape_score(const struct digit_groups *g, const char **why)
{
	size_t n = g->ndigits;
	const char *d = g->digits;
	int same = digit_groups_same_sep(g, 0);

	if (g->n >= 9 && n >= 9 && n <= 13) { /* one digit at a time */
		for (size_t k = 0; k < g->n; k++)
			if (g->len[k] != 1 || g->sep[k < g->n - 1 ? k : 0] != ' ')
				return 0;
		*why = "digits written one by one";
		return 0.6;
	}
	/* "0049 30 1234567", "001 415 555 2671": the international prefix 00 */
	int intl = g->plus || (n >= 10 && d[0] == '0' && d[1] == '0' && d[2] != '0' && g->n >= 2);
	/* "011 55 11 98765 4321": North America's international prefix */
	int nanp_out = !intl && n >= 12 && g->n >= 2 && g->len[0] == 3 && d[0] == '0' && d[1] == '1' && d[2] == '1';
	if (intl || nanp_out) {
		if (nanp_out)
			n -= 3, d += 3;
		else if (!g->plus)
			n -= 2, d += 2;
		if (n < 8 || n > 15 || d[0] == '0')
			return 0;
		*why = "international (+ or 00), 8-15 digits";
		if (g->n == 1)
			return n >= 10 ? 0.7 : 0.4;
		return g->len[0] <= 3 ? 0.8 : 0.6;
	}
	if (g->n == 1 && !g->paren && bare_national(d, n)) {
		*why = "a bare national or mobile number (10-11 digits, no date, no Unix time)";
		return 0.5;
	}
	/* "6972 235999", "0416-234932": the same number in two groups, an area
	 * or mobile prefix of 2-5 digits and the line, one blank or dash between
	 * (not a year and a number: "2026 1234567") */
	int year = g->len[0] == 4 && ((d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0'));
	if (g->n == 2 && !g->paren && g->len[0] >= 2 && g->len[0] <= 5 && (g->sep[0] == ' ' || g->sep[0] == '-') &&
	    !year && bare_national(d, n)) {
		*why = "a national or mobile number in two groups (10-11 digits)";
		return 0.5;
	}
	*why = "North American, area code 2-9";
	if (n == 11 && d[0] == '1' && g->n >= 3 && g->len[0] == 1 && nanp_ok(d + 1, 1))
		return SHAPE(g, 1, 3, 3, 4) ? 0.75 : 0;
	if (n == 10 && d[0] != '0' && nanp_ok(d, g->n > 1)) {
		if (g->paren && SHAPE(g, 3, 3, 4))
			return 0.8;
		if (SHAPE(g, 3, 3, 4) && same && g->sep[0] != '/')
			return 0.75;
		if (g->n == 1)
			return 0.4; /* bare ten digits: only with context */
		/* another grouping: another country's, maybe (below) */
	}
	*why = "local number 3-4 (needs context)";
	if (n == 7 && SHAPE(g, 3, 4) && d[0] >= '2' && g->sep[0] != '/')
		return 0.35; /* local "555-0147": only with context */
	*why = "national, leading 0 (UK, Germany, France)";
	if (d[0] == '0' && n >= 9 && n <= 12 && d[1] != '0') {
		if (n == 10 && SHAPE(g, 2, 2, 2, 2, 2) && same)
			return 0.75; /* France */
		if (g->n == 1)
			return n >= 10 ? 0.4 : 0;
		if (n == 9 && SHAPE(g, 3, 2, 4) && same && g->sep[0] == '-')
			return 0.45; /* "012-34-5678" is a US SSN's form first (areas 001-099) */
		/* "072.780.8166": the North American grouping with dots and a
		 * trunk 0 (Italy's and others' written so); no version or
		 * address has a 3-3-4 shape from 0 */
		if (n == 10 && SHAPE(g, 3, 3, 4) && same && g->sep[0] == '.')
			return 0.5;
		if (g->len[0] < 2 || g->len[0] > 5 || g->n > 4)
			return 0;
		for (size_t k = 0; k + 1 < g->n; k++)
			if (g->sep[k] == '.')
				return 0;
		return 0.7; /* UK, Germany: area code, then the line */
	}
	*why = "digits grouped as phone numbers are (three groups or more, blanks or dashes)";
	if (grouped_like_phone(g))
		return 0.5;
	return 0;
}

/* " x204", " ext. 12", " extension 7": returns the end, or i. */
static size_t extension(const uchar *s, size_t len, size_t i)
{
	static const char *const words[] = { "extension", "ext.", "ext", "x", "#", NULL };
	size_t j = i;
	while (j < len && s[j] == ' ' && j - i < 2)
		j++;
	if (j < len && s[j] == ',')
		j++;
	while (j < len && s[j] == ' ' && j - i < 4)
		j++;
	for (const char *const *w = words; *w; w++) {
		if (!starts_with_ci(s, len, j, *w))
			continue;
		size_t k = j + strlen(*w);
		while (k < len && s[k] == ' ' && k - j < 8)
			k++;
		size_t e = k;
		while (e < len && is_digit(s[e]) && e - k < 6)
			e++;
		if (e > k && digits_end_ok(s, len, e))
			return e;
		return i;
	}
	return i;
}

/* "555 0147 or 555 0148", "..., ", " / ": a list of numbers goes on at `at`. */
static int list_after_number(const uchar *s, size_t at)
{
	return (at >= 5 && starts_with_ci(s, at, at - 4, " or ") && is_digit(s[at - 5])) ||
	       (at >= 3 && s[at - 2] == ',' && s[at - 1] == ' ' && is_digit(s[at - 3])) ||
	       (at >= 4 && s[at - 3] == ' ' && s[at - 2] == '/' && s[at - 1] == ' ' && is_digit(s[at - 4]));
}

/* A phone word shortly before `at`, on its line: "tel", "phone", "call me
 * on", "mobile", "whatsapp", "Handy", "téléphone", "celular", "my number"... */
static int phone_word_before(const uchar *s, size_t at)
{
	/* not "number", "no", "nr": "case number 2345678901" is a case */
	static const char *const words[] = { "tel", "phone", "call", "mobile", "mob", "cell", "whatsapp", "ph",
					     "handy", "telefon", "telephone", "fax", "sms", "text", "reach",
					     "celular", "movil", "portable", "cellulare", "telefono", NULL };
	size_t lo = at > 32 ? at - 32 : 0;
	for (size_t k = at; k > lo; k--) {
		if (s[k - 1] == '\n')
			return 0;
		size_t p = k - 1;
		if (is_digit(s[p]) && !list_after_number(s, at))
			return 0; /* "reach me at 0218 924 09 after 337788991": the word is the first's */
		if (!is_alpha(s[p]) || (p > 0 && is_word(s[p - 1])))
			continue;
		int c = to_lower(s[p]);
		for (const char *const *w = words; *w; w++)
			if ((*w)[0] == c && word_at_ci(s, at, p, *w))
				return 1;
		if (c == 'm' && word_at_ci(s, at, p, "my") && p + 3 < at && word_at_ci(s, at, p + 3, "number"))
			return 1; /* "my number is", not "case number" */
	}
	return 0;
}

/* "... is my cell", "(mobile)": a phone word right after the number. */
static int phone_word_after(const uchar *s, size_t len, size_t e)
{
	static const char *const words[] = { "cell", "mobile", "phone", "number", "whatsapp", "landline", NULL };
	size_t i = e;
	while (i < len && (s[i] == ' ' || s[i] == '(') && i - e < 2)
		i++;
	if (starts_with_ci(s, len, i, "is my "))
		i += 6;
	int c = i < len ? to_lower(s[i]) : 0;
	for (const char *const *w = words; *w; w++)
		if ((*w)[0] == c && word_at_ci(s, len, i, *w))
			return 1;
	return 0;
}

/* Could these groups be a phone number written in any country's way? 7-15
 * digits, at most six groups, not a date (2024-03-05, 05.03.2024, 5/3/24), not
 * the US SSN's 3-2-4. Only ever asked beside a phone word. */
static int phone_plausible(const struct digit_groups *g)
{
	size_t n = g->ndigits;
	if (n < 7 || n > 15 || g->n > 6 || (g->n == 1 && n < 8))
		return 0;
	if (g->n == 3 && !g->paren && digit_groups_same_sep(g, 0) && g->sep[0] != ' ' &&
	    ((g->len[0] == 4 && g->len[1] <= 2 && g->len[2] <= 2) || (g->len[0] <= 2 && g->len[1] <= 2 && g->len[2] == 4) ||
	     (g->len[0] <= 2 && g->len[1] <= 2 && g->len[2] == 2)))
		return 0; /* a date */
	if (SHAPE(g, 3, 2, 4) && g->sep[0] == '-' && g->sep[1] == '-')
		return 0; /* the SSN's */
	for (size_t k = 0; k + 1 < g->n; k++)
		if (g->sep[k] == '.' && g->n == 4)
			return 0; /* an IPv4 address */
	return 1;
}

static size_t phone_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	const struct digit_groups *gp = digit_groups_get(out, s, len, at);
	if (!gp)
		return at + 1;
	size_t end = extension(s, len, gp->end); /* "555-123-4567x204" too */
	if (end == gp->end && !digits_end_ok(s, len, gp->end))
		return at + 1;
	const char *why = "";
	double score = phone_shape_score(gp, &why);
	if (score < 0.6 && !gp->hash && phone_plausible(gp) &&
	    (phone_word_before(s, gp->start) || phone_word_after(s, len, end))) {
		/* the shapes above know North America and Europe; beside a phone
		 * word any country's form is one: libphonenumber's validity in the
		 * region raises the score, a number it does not know still counts
		 * (invented, or of another country) */
		char region[3] = "US";
		if (out->region)
			memcpy(region, out->region, 2);
		if (phone_valid((const char *)s + gp->start, gp->end - gp->start, region))
			score = 0.7, why = "a valid number of the region (libphonenumber) beside a phone word";
		else
			score = 0.6, why = "7-15 digits in a phone's groups beside a phone word";
	}
	/* "#4155552671": an order's or a ticket's number, unless "call #...";
	 * asked last, as the look back for a phone word costs */
	if (score > 0 && gp->hash && !phone_word_before(s, gp->start))
		score = 0;
	if (score > 0) {
		candidates_push(out, CORDON_PHONE_NUMBER, gp->start, end, score, why);
		return end;
	}
	return at + 1;
}

/* E.164 where the number says its country ("+14155552671" for "(415) 555-2671"
 * and "1-415-555-2671"), else its digits as written. */
static size_t phone_canonical(const uchar *s, size_t len, char *out, size_t cap)
{
	char d[DIGITS_MAX + 1];
	size_t n = 0, i = 0;
	while (i < len && !is_digit(s[i]) && s[i] != '+')
		i++;
	int plus = i < len && s[i] == '+';
	for (; i < len && !is_alpha(s[i]) && s[i] != '#' && n < DIGITS_MAX; i++)
		if (is_digit(s[i]))
			d[n++] = (char)s[i];
	struct outcur o = { out, cap, 0 };
	/* reached only for what libphonenumber cannot place (cordon_finding_
	 * canonical asks it first): a country is not guessed ("13669207406"
	 * is no US number), the digits are kept as written */
	if (plus)
		outcur_put(&o, '+');
	for (size_t k = 0; k < n; k++)
		outcur_put(&o, d[k]);
	return outcur_end(&o);
}

static size_t phone_mask(const uchar *s, size_t len, char *out, size_t cap)
{
	return mask_keep_last(s, len, 2, out, cap);
}

/* In a number: only at its first group (after a separator the text says
 * the run is part of something else), and only when its digit groups hold
 * seven digits or more or may go on past it. */
static unsigned phone_number(const struct number *t)
{
	int open;
	size_t digits = number_chain(t, 0, &open);
	return open || digits >= 7;
}

static const char *const phone_context[] = {
	"phone", "tel", "telephone", "call", "mobile", "cell", "fax", "number", "reach",
	"text", "sms", "whatsapp", "contact", "handy", "portable", "telefon", NULL
};
static const char *const phone_decoys[] = {
	"case", "order", "ticket", "invoice", "ref", "reference", "kb", "build", "version",
	"serial", "tracking", "error", "po", "incident", "request", "sr", "article", "isbn",
	"meeting", "conference", "webinar", "bridge", NULL /* a meeting's ID: "123 456 789 012" */
};

static struct wordset phone_context_words = WORDSET(phone_context);
static struct wordset phone_decoys_words = WORDSET(phone_decoys);

const struct detector detector_phone = {
	.entity = CORDON_PHONE_NUMBER,
	.name = "PHONE_NUMBER",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_OTHER, /* the digit groups' start: see start_ok in digits.c */
	.number = phone_number,
	.scan = phone_scan,
	.context = &phone_context_words,
	.decoys = &phone_decoys_words,
	.canonical = phone_canonical,
	.mask = phone_mask,
};
