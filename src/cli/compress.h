/* Compressed files as plain FILE streams: gzip (zlib) and zstd (libzstd). */
#ifndef CORDON_CLI_COMPRESS_H
#define CORDON_CLI_COMPRESS_H

#include <stdio.h>

/* Opens path for reading, decompressing gzip or zstd (told by the file's
 * first bytes) as it goes. NULL with errno set on failure. */
FILE *compress_open_read(const char *path);

/* Wraps fd (not taken: the caller fsyncs and closes it after fclose) in a
 * stream that compresses when name ends in .gz or .zst. */
FILE *compress_open_write(int fd, const char *name);

#endif
