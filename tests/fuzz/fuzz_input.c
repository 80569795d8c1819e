/* libFuzzer: the input layer (records/input.c) on arbitrary bytes, read in
 * pieces of a size the first byte picks. It must end, cleanly or with a
 * reason; plain input (no gzip or zstd magic, no byte-order mark) comes out
 * exactly as it went in; and gzip that it reads whole, zlib reads alike
 * (inflate member after member on the whole buffer: the same bytes). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "records/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* zlib on the whole buffer: 0 and the bytes, or -1. */
static int gunzip_all(const uint8_t *data, size_t size, unsigned char **out, size_t *out_len)
{
	size_t cap = 1 << 16, len = 0, pos = 0;
	unsigned char *buf = malloc(cap);
	while (pos < size) {
		if (size - pos < 2 || data[pos] != 0x1f || data[pos + 1] != 0x8b)
			break;
		z_stream z = { 0 };
		if (inflateInit2(&z, 31) != Z_OK)
			abort();
		z.next_in = (unsigned char *)data + pos;
		z.avail_in = (unsigned)(size - pos);
		int r;
		do {
			if (cap - len < 4096)
				buf = realloc(buf, cap *= 2);
			z.next_out = buf + len;
			z.avail_out = (unsigned)(cap - len);
			r = inflate(&z, Z_NO_FLUSH);
			len = cap - z.avail_out;
			if (len > (64 << 20))
				r = Z_DATA_ERROR; /* a bomb: both give up the same way below */
		} while (r == Z_OK);
		pos = size - z.avail_in;
		inflateEnd(&z);
		if (r != Z_STREAM_END) {
			free(buf);
			return -1;
		}
	}
	if (pos != size) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t step = 1 + (size_t)data[0] * 37;
	data++;
	size--;
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	if (!size) {
		char c;
		(void)!fread(&c, 1, 1, f);
	}
	struct input *in = input_new(-1, f, NULL);
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	int rc = 0;
	for (;;) {
		if (cap - len < step)
			out = realloc(out, cap = cap * 2 + step);
		ssize_t r = input_read(in, out + len, step);
		if (r < 0) {
			rc = -1;
			if (!*input_error(in))
				abort(); /* a failure always says why */
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > (64 << 20)) {
			rc = -2; /* a bomb: not compared */
			break;
		}
	}
	const char *codec = input_compression(in);
	int bom = input_had_bom(in);
	input_free(in);
	fclose(f);
	if (rc == 0 && !codec && !bom && (len != size || memcmp(out, data, size)))
		abort(); /* plain input passes as it is */
	if (rc == 0 && codec && !strcmp(codec, "gzip") && !bom) {
		unsigned char *ref;
		size_t ref_len;
		if (gunzip_all(data, size, &ref, &ref_len) != 0 || ref_len != len || memcmp(ref, out, len))
			abort(); /* zlib disagrees */
		free(ref);
	}
	free(out);
	return 0;
}
