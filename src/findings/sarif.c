/* What the SARIF writers share: file names as URIs (RFC 3986), relative to
 * the directory SRCROOT stands for when under it. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "findings/sarif.h"
#include "util/strbuf.h"

/* RFC 3986: unreserved characters and '/' as they are, the rest %XX. */
static void put_uri_path(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_' || *p == '~' || *p == '/') {
			sb_putc(sb, (char)*p);
		} else {
			sb_putc(sb, '%');
			sb_putc(sb, hex[*p >> 4]);
			sb_putc(sb, hex[*p & 15]);
		}
	}
}

/* The file as a URI: relative to base when under it (*rel set), else an
 * absolute file: URI, else as it is. NULL when out of memory. */
char *sarif_file_uri(const char *file, const char *base, int *rel)
{
	struct strbuf sb = STRBUF_INIT;
	char *real = realpath(file, NULL), *rbase = base ? realpath(base, NULL) : NULL;
	const char *path = real ? real : file;
	size_t nb = rbase ? strlen(rbase) : 0;
	*rel = 0;
	if (rbase && !strncmp(path, rbase, nb) && (path[nb] == '/' || (nb == 1 && rbase[0] == '/'))) {
		put_uri_path(&sb, path + nb + (nb == 1 ? 0 : 1));
		*rel = 1;
	} else if (path[0] == '/') {
		sb_puts(&sb, "file://");
		put_uri_path(&sb, path);
	} else {
		put_uri_path(&sb, path);
	}
	free(real);
	free(rbase);
	return sb_detach(&sb);
}

char *sarif_dir_uri(const char *base)
{
	char *r = realpath(base, NULL);
	if (!r)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_puts(&sb, "file://");
	put_uri_path(&sb, r);
	if (!sb.len || sb.buf[sb.len - 1] != '/')
		sb_putc(&sb, '/');
	free(r);
	return sb_detach(&sb);
}

