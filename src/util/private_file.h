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
 * buffer the caller wipes and frees; NULL with err. */
char *private_file_read(const char *path, const char *what, size_t max, size_t *len, char *err, size_t cap);

/* Why a private file was not read: callers that answer with different
 * codes (an unreadable file is an input error, an exposed one a key
 * error) tell them apart by it. */
enum private_file_error {
	PRIVATE_FILE_IO = 1, /* it could not be opened or read */
	PRIVATE_FILE_EXPOSED, /* not a regular file, or group or others can access it */
	PRIVATE_FILE_LONG,    /* longer than max */
	PRIVATE_FILE_NOMEM
};
/* private_file_read, and *why (enum private_file_error) when NULL. */
char *private_file_load(const char *path, const char *what, size_t max, size_t *len, char *err, size_t cap,
			int *why);

#endif
