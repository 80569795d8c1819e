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
	struct digit_groups g;
	if (!digit_groups_read(s, len, at, " -", &g) || g.plus || g.paren)
		return at + 1;
	if (g.ndigits != 9 || !digits_end_ok(s, len, g.end) || !ssn_valid(g.digits))
		return at + 1;
	double score;
	if (g.n == 3 && g.len[0] == 3 && g.len[1] == 2 && g.sep[0] == g.sep[1])
		score = g.sep[0] == '-' ? 0.7 : 0.5;
	else if (g.n == 1)
		score = 0.3;
	else
		return at + 1;
	candidates_push(out, CORDON_US_SSN, g.start, g.end, score);
	return g.end;
}

static size_t ssn_mask(const uchar *s, size_t len, char *out, size_t cap)
{
	return mask_generic(s, len, out, cap);
}

static const char *const ssn_context[] = {
	"ssn", "ss#", "social", "security", "taxpayer", "tin", "itin", NULL
};
static const char *const ssn_decoys[] = {
	"case", "order", "ticket", "invoice", "ref", "tracking", "kb", "build", "routing", NULL
};

const struct detector detector_us_ssn = {
	.entity = CORDON_US_SSN,
	.name = "US_SSN",
	.triggers = TRIGGER_DIGIT,
	.scan = ssn_scan,
	.context = ssn_context,
	.decoys = ssn_decoys,
	.canonical = canonical_digits,
	.mask = ssn_mask,
};
