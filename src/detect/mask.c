/* Masked previews and canonical values shared by the detectors. A mask keeps a
 * value's shape (separators, length up to a cap) and hides its characters. */
#include "detect/detector.h"

enum { MASK_MAX_RUN = 48 }; /* longer values are cut: "…" says so */

static size_t utf8_len(uchar c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

size_t mask_keep_last(const uchar *s, size_t len, size_t keep, char *out, size_t cap)
{
	struct outcur o = { out, cap, 0 };
	size_t alnum_total = 0, seen = 0, shown = 0;
	for (size_t i = 0; i < len; i++)
		alnum_total += is_alnum(s[i]);
	for (size_t i = 0; i < len;) {
		uchar c = s[i];
		if (shown >= MASK_MAX_RUN) {
			outcur_put(&o, '.');
			outcur_put(&o, '.');
			outcur_put(&o, '.');
			break;
		}
		if (is_alnum(c)) {
			seen++;
			outcur_put(&o, seen + keep > alnum_total ? (char)c : '*');
			i++;
		} else if (c >= 0x80) {
			outcur_put(&o, '*');
			i += utf8_len(c);
		} else {
			outcur_put(&o, (char)c);
			i++;
		}
		shown++;
	}
	return outcur_end(&o);
}

size_t mask_generic(const uchar *s, size_t len, char *out, size_t cap)
{
	return mask_keep_last(s, len, 0, out, cap);
}

size_t mask_opaque(const uchar *s, size_t len, char *out, size_t cap)
{
	(void)s;
	(void)len;
	struct outcur o = { out, cap, 0 };
	for (int i = 0; i < 8; i++)
		outcur_put(&o, '*');
	return outcur_end(&o);
}

size_t canonical_generic(const uchar *s, size_t len, char *out, size_t cap)
{
	struct outcur o = { out, cap, 0 };
	for (size_t i = 0; i < len; i++)
		if (!is_space(s[i]))
			outcur_put(&o, (char)to_lower(s[i]));
	return outcur_end(&o);
}

size_t canonical_digits(const uchar *s, size_t len, char *out, size_t cap)
{
	struct outcur o = { out, cap, 0 };
	for (size_t i = 0; i < len; i++)
		if (is_digit(s[i]))
			outcur_put(&o, (char)s[i]);
	return outcur_end(&o);
}
