/* Digit-group reading and the checksums shared by numeric detectors. */
#include <string.h>
#include "detect/detector.h"
#include "detect/digits.h"

static int start_ok(const uchar *s, size_t at)
{
	if (at == 0)
		return 1;
	uchar p = s[at - 1];
	if (is_word(p) || p == '_' || p == '$' || p == '/' || p == '\\')
		return 0; /* '#': digit_groups.hash, each detector's to weigh */
	if ((p == '.' || p == ',' || p == '-' || p == ':' || p == ' ') && at > 1 && is_digit(s[at - 2])) {
		/* the tail of a longer number, unless that "number" ends a word ("e164") */
		size_t k = at - 2;
		while (k > 0 && is_digit(s[k - 1]))
			k--;
		return p == ' ' && k > 0 && is_alpha(s[k - 1]);
	}
	return 1;
}

int digits_end_ok(const uchar *s, size_t len, size_t end)
{
	if (end >= len)
		return 1;
	uchar c = s[end];
	if (is_word(c) || c == '_')
		return 0;
	if ((c == '.' || c == ',' || c == '-' || c == '/' || c == ':') && end + 1 < len &&
	    is_digit(s[end + 1]))
		return 0;
	if (c == '-' && end + 1 < len && is_alpha(s[end + 1]))
		return 0; /* "00391-70000-00000-AA404": a code goes on */
	return 1;
}

#define SEPS " -./("
static const char seps[] = SEPS;

static int digit_groups_read(const uchar *s, size_t len, size_t at, struct digit_groups *g)
{
	memset(g, 0, sizeof(*g));
	size_t b = at;
	if (b > 0 && s[b - 1] == '(' && strchr(seps, '(')) {
		b--;
		g->paren = 1;
	}
	if (b > 0 && s[b - 1] == '+') {
		b--;
		g->plus = 1;
	} else if (b > 1 && s[b - 1] == ' ' && s[b - 2] == '+' && g->paren) {
		b -= 2;
		g->plus = 1;
	}
	/* "(+30) 210 1234567": the country code in parentheses */
	int in_paren = g->paren;
	if (g->plus && !g->paren && b > 0 && s[b - 1] == '(')
		b--, g->paren = in_paren = 1;
	/* "mobile+44 7911 123456": a '+' glued to a word still starts a number */
	if (!start_ok(s, b) && !(g->plus && s[b] == '+' && b > 0 && is_alpha(s[b - 1])))
		return 0;
	g->start = b;
	g->hash = b > 0 && s[b - 1] == '#';
	size_t i = at;
	for (;;) {
		size_t e = i;
		while (e < len && is_digit(s[e]) && g->ndigits < DIGITS_MAX)
			g->digits[g->ndigits++] = (char)s[e++];
		if (e == i || (e < len && is_digit(s[e])))
			break;
		g->len[g->n++] = (unsigned char)(e - i);
		g->end = e;
		if (g->n == DIGIT_GROUPS_MAX)
			break;
		size_t j = e;
		char sep = 0;
		if (in_paren) {
			if (j >= len || s[j] != ')')
				return 0;
			j++;
			in_paren = 0;
			sep = '(';
			if (j < len && (s[j] == ' ' || s[j] == '-'))
				j++;
		} else if (j < len && s[j] && BYTE_IN(SEPS, s[j])) {
			sep = (char)s[j++];
		} else if (j + 2 < len && s[j] == ' ' && s[j + 1] == '-' && s[j + 2] == ' ' &&
			   strchr(seps, '-')) {
			sep = '-';
			j += 3;
		}
		/* "+1 (415) 555-2671", "+44(0)161 496 0403": an area code or the
		 * trunk 0 in parentheses after the country code */
		if (sep == ' ' && g->plus && g->n == 1 && !g->paren && j + 1 < len && s[j] == '(' &&
		    strchr(seps, '(') && is_digit(s[j + 1])) {
			j++;
			in_paren = g->paren = 1;
		} else if (sep == '(' && g->plus && g->n == 1 && !g->paren && j < len && is_digit(s[j])) {
			in_paren = g->paren = 1; /* "+44(0)": the '(' was read as a separator */
			sep = ' ';
		}
		if (!sep || j >= len || !is_digit(s[j]))
			break;
		g->sep[g->n - 1] = sep;
		i = j;
	}
	g->digits[g->ndigits] = '\0';
	return g->n > 0;
}

const struct digit_groups *digit_groups_get(struct candidates *sc, const uchar *s, size_t len,
					    size_t at)
{
	static _Thread_local struct {
		const struct candidates *sc;
		unsigned long scan;
		size_t at;
		int ok;
		struct digit_groups g;
	} memo;
	if (memo.sc != sc || memo.scan != sc->scan || memo.at != at) {
		memo.sc = sc;
		memo.scan = sc->scan;
		memo.at = at;
		memo.ok = digit_groups_read(s, len, at, &memo.g);
	}
	return memo.ok ? &memo.g : NULL;
}

int digit_groups_same_sep(const struct digit_groups *g, char c)
{
	if (g->n < 2)
		return 1;
	char first = c ? c : g->sep[0];
	for (size_t k = 0; k + 1 < g->n; k++)
		if (g->sep[k] != first)
			return 0;
	return 1;
}

int luhn_ok(const char *digits, size_t n)
{
	unsigned sum = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned d = (unsigned)(digits[n - 1 - k] - '0');
		if (k & 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return n > 0 && sum % 10 == 0;
}
