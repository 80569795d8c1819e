/* Key files (credentials, seeds, private keys, passwords) are read only
 * when no one but their owner can: one check, said the same way
 * everywhere. */
#ifndef CORDON_UTIL_PRIVATE_FILE_H
#define CORDON_UTIL_PRIVATE_FILE_H

#include <stddef.h>

/* 0 when path is a regular file that group and others cannot access;
 * else -1 with err ("cannot use <what> '<path>': group or others can
 * access it (mode 644); chmod 600 it"). */
int private_file_check(const char *path, const char *what, char *err, size_t cap);
/* Reads such a file whole (at most max bytes) into a NUL-terminated
 * buffer the caller frees; NULL with err. */
char *private_file_read(const char *path, const char *what, size_t max, size_t *len, char *err, size_t cap);

#endif
