/* Public Suffix List look-ups (libpsl), loaded once per process. */
#ifndef CORDON_DETECT_PSL_H
#define CORDON_DETECT_PSL_H

#include <stddef.h>
#include <time.h>

/* Is label (len bytes, any case: ASCII, fullwidth, or a suffix in its own
 * script such as "укр" or "中国") a top-level domain in the PSL? */
int psl_is_tld(const char *label, size_t len);
/* The list in use: its file (NULL: libpsl's built-in copy) and date. */
void psl_source(const char **file, time_t *when);

#endif
