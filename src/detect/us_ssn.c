/* US_SSN: "123-45-6789" and "123 45 6789" (bare nine digits only with context),
 * with the Social Security Administration's validity rules: no area 000, 666
 * or 900-999, no group 00, no serial 0000. */
#include "detect/detector.h"
#include "detect/digits.h"

static int ssn_valid(const char *d)
{
	int area = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
	if (area == 0 || area == 666 || area >= 900)
		return 0;
	if (d[3] == '0' && d[4] == '0')
		return 0;
	return !(d[5] == '0' && d[6] == '0' && d[7] == '0' && d[8] == '0');
}

static size_t ssn_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	const struct digit_groups *gp = digit_groups_get(out, s, len, at);
	if (!gp || gp->plus || gp->paren)
		return at + 1;
	if (gp->ndigits != 9 || !digits_end_ok(s, len, gp->end) || !ssn_valid(gp->digits))
		return at + 1;
	double score;
	if (gp->hash && !(gp->n == 3 && gp->sep[0] == '-'))
		return at + 1; /* after '#' only the dashed form: "SSN #078-05-1120", not "#078051120" */
	if (gp->n == 3 && gp->len[0] == 3 && gp->len[1] == 2 && gp->sep[0] == gp->sep[1] &&
	    (gp->sep[0] == '-' || gp->sep[0] == ' '))
		score = gp->sep[0] == '-' ? 0.7 : 0.5;
	else if (gp->n == 1)
		score = 0.3;
	else
		return at + 1;
	candidates_push(out, CORDON_US_SSN, gp->start, gp->end, score,
			gp->n == 1 ? "nine digits, SSA validity rules (needs context)" : "3-2-4 digits, SSA validity rules");
	return gp->end;
}

/* In a number: only at its first group (see phone_number), with nine
 * digits in its groups or more to come. */
static unsigned ssn_number(const struct number *t)
{
	int open;
	size_t digits = number_chain(t, 0, &open);
	return open || digits == 9 || digits > DIGITS_MAX;
}

static const char *const ssn_context[] = {
	"ssn", "ss#", "social", "security", "taxpayer", "tin", "itin", NULL
};
static const char *const ssn_decoys[] = {
	"case", "order", "ticket", "invoice", "ref", "tracking", "kb", "build", "routing", NULL
};

static struct wordset ssn_context_words = WORDSET(ssn_context);
static struct wordset ssn_decoys_words = WORDSET(ssn_decoys);

const struct detector detector_us_ssn = {
	.entity = CORDON_US_SSN,
	.name = "US_SSN",
	.triggers = TRIGGER_DIGIT,
	.digits = DIGIT_OTHER, /* the digit groups' start: see start_ok in digits.c */
	.runs = { [RUNS_OTHER] = RUN_LEN(3) | RUN_LEN(9) }, /* 3-2-4, or nine bare */
	.number = ssn_number,
	.scan = ssn_scan,
	.context = &ssn_context_words,
	.decoys = &ssn_decoys_words,
	.canonical = canonical_digits,
};
