/* The line of each rule in its export, for findings and SARIF regions.
 * JSON parsers keep no positions, so a rule's name is looked for as a
 * JSON string in the export's text, from where the last rule was found on:
 * rules are listed in the order the export holds them, which keeps the
 * search one pass over the file however many rules there are. A name not
 * found from there (synthetic names such as "IpPermissions[0]", numbers
 * such as a network ACL's rule numbers) keeps line 0: no line is better
 * than a wrong one. */
#include <string.h>
#include "audit/audit_internal.h"

/* Is name worth looking for: not a number (it would be found as a value
 * of anything), nothing JSON would escape? */
static int searchable(const char *name)
{
	int digits = 1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == '"' || *p == '\\' || *p == '/')
			return 0;
		digits &= *p >= '0' && *p <= '9';
	}
	return *name && !digits;
}

/* "name" (quotes included) in text[from, to), or NULL. */
static const char *find_quoted(const char *text, size_t from, size_t to, const char *name)
{
	size_t n = strlen(name);
	const char *p = text + from, *end = text + to;
	while (p + n + 2 <= end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q || q + n + 2 > end)
			return NULL;
		if (!memcmp(q + 1, name, n) && q[n + 1] == '"')
			return q;
		p = q + 1;
	}
	return NULL;
}

void audit_locate_rules(struct cordon_audit *a, size_t first, struct locator *at, size_t from, size_t to)
{
	if (at->pos < from) { /* count the lines up to this element */
		for (const char *p = at->text + at->pos; (p = memchr(p, '\n', (size_t)(at->text + from - p))); p++)
			at->line++;
		at->pos = from;
	}
	for (size_t s = first; s < a->nsets; s++) {
		struct ruleset *rs = &a->sets[s];
		for (size_t k = 0; k < rs->n; k++) {
			struct arule *r = &rs->r[k];
			if (r->is_default || !searchable(r->name))
				continue;
			const char *hit = find_quoted(at->text, at->pos, to, r->name);
			if (!hit)
				continue;
			for (const char *p = at->text + at->pos; (p = memchr(p, '\n', (size_t)(hit - p))); p++)
				at->line++;
			at->pos = (size_t)(hit - at->text);
			r->line = at->line;
		}
	}
}
