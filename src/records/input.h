/* An input as records see it: the bytes of a file descriptor or FILE,
 * decompressed when they are gzip or zstd (told by their first bytes, on
 * pipes as on files), with a byte-order mark taken off and UTF-16 or a named
 * charset (--encoding, iconv) turned into UTF-8. Other archive and
 * compression formats are refused by name. A decoding error (a truncated
 * stream, a bad check value, bytes after the last member that are not
 * another member) is returned only after every byte decoded before it, so a
 * reader can tell a record whose end was read from one cut off. */
#ifndef CORDON_RECORDS_INPUT_H
#define CORDON_RECORDS_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "cordon/records.h"

struct input;

/* Opens an input over fd (read(2), when fd >= 0) or f. encoding: NULL or
 * "auto" (UTF-8, or UTF-16 by its byte-order mark), else an iconv charset
 * name. Nothing is read yet. NULL when out of memory. */
struct input *input_new(int fd, FILE *f, const char *encoding);
void input_free(struct input *in);

/* Up to n bytes into buf: > 0 bytes, 0 at a clean end, -1 on an error
 * (input_error says why). A short count means the source had no more ready
 * (a pipe), not that the end is near. */
ssize_t input_read(struct input *in, char *buf, size_t n);

/* Can input_read return bytes now without waiting? (A FILE: always yes.) */
int input_ready(struct input *in);

/* Why input_read failed ("gzip input is truncated: it ends inside member
 * 1"); and whether the failure is the input's (CORDON_ERR_PARSE: corrupt,
 * truncated, refused) or reading's (CORDON_ERR_IO). */
const char *input_error(const struct input *in);
cordon_code input_error_code(const struct input *in);

/* After the first read: did the input start with a byte-order mark? (It is
 * not part of what input_read returns.) */
int input_had_bom(const struct input *in);
/* After the first read: the compression found ("gzip", "zstd") or NULL. */
const char *input_compression(const struct input *in);

#endif
