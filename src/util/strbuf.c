/* See strbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/alloc.h"
#include "util/strbuf.h"

void sb_add(struct strbuf *sb, const void *data, size_t n)
{
	if (sb->failed)
		return;
	if (ALLOC_GROW(sb->buf, st_add(st_add(sb->len, n), 1), sb->alloc)) {
		sb->failed = 1;
		return;
	}
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		sb_add(sb, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);
	if (!big) {
		sb->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(sb, big, (size_t)n);
	free(big);
}

char *sb_detach(struct strbuf *sb)
{
	if (!sb->failed && !sb->buf)
		sb_add(sb, "", 0);
	if (sb->failed) {
		sb_release(sb);
		return NULL;
	}
	char *s = sb->buf;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return s;
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	sb->failed = 0;
}
