/* The elements of a top-level JSON array, found without parsing them
 * (`az network nsg list` can be hundreds of megabytes: each element is
 * parsed alone, so memory holds one NSG's JSON, not the file's). Strings
 * and nesting are followed so a ']' or ',' inside them ends nothing. */
#include <stddef.h>
#include "audit/audit_internal.h"

int audit_next_element(const char *s, size_t len, size_t *pos, size_t *b, size_t *e)
{
	size_t i = *pos;
#define BLANKS() while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
	BLANKS();
	if (*pos == 0) { /* the opening '[' */
		if (i >= len || s[i] != '[')
			return -1;
		i++;
		BLANKS();
		if (i < len && s[i] == ']')
			goto closing;
	} else if (i < len && s[i] == ',') { /* *pos is the end of the last element */
		i++;
		BLANKS();
	} else if (i < len && s[i] == ']') {
		goto closing;
	} else {
		return -1;
	}
	*b = i;
	int depth = 0, in_string = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break; /* the list's own ']' */
			depth--;
		} else if (c == ',' && depth == 0) {
			break;
		}
	}
	if (i >= len || in_string || depth)
		return -1;
	*e = i;
	*pos = i;
	return 1;
closing:
	i++;
	BLANKS();
	return i == len ? 0 : -1;
#undef BLANKS
}

