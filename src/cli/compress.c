/* Compressed output behind FILE streams (fopencookie), so the record stream
 * writes them like any file: gzip through zlib, zstd through libzstd's
 * streaming API. (Input is the library's: records/input.c.) */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "compress.h"

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* --- gzip ------------------------------------------------------------------ */

static ssize_t gz_write(void *c, const char *buf, size_t n)
{
	int r = gzwrite((gzFile)c, buf, n > INT_MAX ? INT_MAX : (unsigned)n);
	if (r <= 0 && n) {
		errno = EIO;
		return -1;
	}
	return r;
}

static int gz_close(void *c)
{
	return gzclose((gzFile)c) == Z_OK ? 0 : (errno = EIO, -1);
}

/* --- zstd ------------------------------------------------------------------ */

struct zstd_stream {
	FILE *file;
	ZSTD_CCtx *c;
	char *buf;
	size_t cap;
};

static ssize_t zstd_write(void *cookie, const char *buf, size_t n)
{
	struct zstd_stream *z = cookie;
	ZSTD_inBuffer in = { buf, n, 0 };
	while (in.pos < in.size) {
		ZSTD_outBuffer out = { z->buf, z->cap, 0 };
		size_t r = ZSTD_compressStream2(z->c, &out, &in, ZSTD_e_continue);
		if (ZSTD_isError(r) || fwrite(z->buf, 1, out.pos, z->file) != out.pos) {
			errno = EIO;
			return -1;
		}
	}
	return (ssize_t)n;
}

static int zstd_close(void *cookie)
{
	struct zstd_stream *z = cookie;
	int rc = 0;
	size_t left;
	do {
		ZSTD_inBuffer in = { NULL, 0, 0 };
		ZSTD_outBuffer out = { z->buf, z->cap, 0 };
		left = ZSTD_compressStream2(z->c, &out, &in, ZSTD_e_end);
		if (ZSTD_isError(left) || fwrite(z->buf, 1, out.pos, z->file) != out.pos) {
			rc = -1;
			break;
		}
	} while (left);
	ZSTD_freeCCtx(z->c);
	if (fclose(z->file) != 0)
		rc = -1;
	free(z->buf);
	free(z);
	if (rc)
		errno = EIO;
	return rc;
}

static FILE *zstd_open(FILE *file)
{
	struct zstd_stream *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	z->file = file;
	z->cap = ZSTD_CStreamOutSize();
	z->buf = malloc(z->cap);
	z->c = ZSTD_createCCtx();
	FILE *f = NULL;
	if (z->buf && z->c) {
		cookie_io_functions_t io = { NULL, zstd_write, NULL, zstd_close };
		f = fopencookie(z, "w", io);
	}
	if (!f) {
		ZSTD_freeCCtx(z->c);
		free(z->buf);
		free(z);
	}
	return f;
}

/* --- opening --------------------------------------------------------------- */

FILE *compress_open_write(int fd, const char *name, const char *codec)
{
	if (!codec)
		codec = has_suffix(name, ".gz") ? "gzip" : has_suffix(name, ".zst") ? "zstd" : NULL;
	int own = dup(fd);
	if (own < 0)
		return NULL;
	if (codec && !strcmp(codec, "gzip")) {
		gzFile gz = gzdopen(own, "wb6");
		if (!gz) {
			close(own);
			return NULL;
		}
		gzbuffer(gz, 1 << 17);
		cookie_io_functions_t io = { NULL, gz_write, NULL, gz_close };
		FILE *f = fopencookie(gz, "w", io);
		if (!f)
			gzclose(gz);
		return f;
	}
	FILE *raw = fdopen(own, "wb");
	if (!raw) {
		close(own);
		return NULL;
	}
	if (codec && !strcmp(codec, "zstd")) {
		FILE *f = zstd_open(raw);
		if (!f)
			fclose(raw);
		return f;
	}
	return raw;
}
