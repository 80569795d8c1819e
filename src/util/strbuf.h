/* A string builder whose failures are sticky (git's strbuf, with the
 * error kept rather than returned at each step): build with any number of
 * calls, then ask once, at sb_detach, whether it all fit in memory. */
#ifndef CORDON_UTIL_STRBUF_H
#define CORDON_UTIL_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf; /* NUL-terminated whenever len > 0 */
	size_t len, alloc;
	int failed; /* out of memory: what follows is ignored */
};
#define STRBUF_INIT { NULL, 0, 0, 0 }

void sb_add(struct strbuf *sb, const void *data, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string, now the caller's to free; NULL (and released) when a step
 * failed. An empty builder gives "". */
char *sb_detach(struct strbuf *sb);
void sb_release(struct strbuf *sb);

#endif
