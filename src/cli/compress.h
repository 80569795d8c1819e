/* Compressed output as plain FILE streams: gzip (zlib) and zstd (libzstd). */
#ifndef CORDON_CLI_COMPRESS_H
#define CORDON_CLI_COMPRESS_H

#include <stdio.h>

/* Wraps fd (not taken: the caller fsyncs and closes it after fclose) in a
 * stream that compresses as codec says ("gzip", "zstd"), or, when codec is
 * NULL, as name's suffix says (.gz, .zst); else a plain stream. */
FILE *compress_open_write(int fd, const char *name, const char *codec);

#endif
