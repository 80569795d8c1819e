/* URL_CREDENTIALS: the "user:password" of "scheme://user:password@host". The
 * scheme and host stay; the credentials are replaced whole. */
#include <string.h>
#include "detect/detector.h"

static int userinfo_byte(uchar c)
{
	/* RFC 3986 userinfo: unreserved, pct-encoded, sub-delims and ':' */
	return is_alnum(c) || c >= 0x80 || (c && BYTE_IN("-._~%!$&'()*+,;=:", c));
}

static size_t url_credentials_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	if (s[at] != '@')
		return at + 1;
	size_t b = at;
	while (b > 0 && userinfo_byte(s[b - 1]) && at - b < 512)
		b--;
	/* the userinfo must follow "://" and hold a ':' */
	if (b < 3 || s[b - 1] != '/' || s[b - 2] != '/' || s[b - 3] != ':')
		return at + 1;
	const uchar *colon = memchr(s + b, ':', at - b);
	if (!colon || (size_t)(colon - s) + 1 == at) /* "user:@": no password */
		return at + 1;
	if (at + 1 >= len || !(is_alnum(s[at + 1]) || s[at + 1] == '['))
		return at + 1;
	candidates_push(out, CORDON_URL_CREDENTIALS, b, at, 1.0, "user:password@ after scheme://");
	return at + 1;
}

const struct detector detector_url_credentials = {
	.entity = CORDON_URL_CREDENTIALS,
	.name = "URL_CREDENTIALS",
	.anchors = "@",
	.scan = url_credentials_scan,
	.mask = mask_opaque,
};
