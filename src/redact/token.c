/* Finding encrypt tokens (see token.h). Anchored on the mark ":enc:", then
 * read back for the name and on for the payload, so a scan is linear. */
#include <string.h>
#include "redact/token.h"

static int name_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int b64url_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int token_name_ok(const char *name, size_t len)
{
	if (len == 0 || len > TOKEN_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!name_byte((unsigned char)name[i]))
			return 0;
	return 1;
}

enum token_status token_next(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
	static const char mark[] = TOKEN_ENC_MARK;
	const size_t mlen = sizeof(mark) - 1;
	size_t i = from;
	while (i + mlen <= len) {
		const char *m = memmem(s + i, len - i, mark, mlen);
		if (!m)
			return TOKEN_NONE;
		size_t at = (size_t)(m - s), b = at;
		/* the name before the mark, and its '[' */
		while (b > from && at - b <= TOKEN_NAME_MAX && name_byte((unsigned char)s[b - 1]))
			b--;
		if (b == at || b == from || s[b - 1] != '[' || at - b > TOKEN_NAME_MAX) {
			i = at + 1; /* ":enc:" in plain text */
			continue;
		}
		*start = b - 1;
		size_t k = at + mlen, p = k;
		while (k < len && b64url_byte((unsigned char)s[k]))
			k++;
		if (k == p || k >= len || s[k] != ']')
			return TOKEN_MALFORMED;
		*end = k + 1;
		return TOKEN_OK;
	}
	return TOKEN_NONE;
}
