/* Compressed input and output behind FILE streams (fopencookie), so the record
 * stream reads and writes them like any file. gzip through zlib (several
 * members, as pigz and logrotate write them, are read as one), zstd through
 * libzstd's streaming API. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "cli/compress.h"

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* --- gzip ------------------------------------------------------------------ */

static ssize_t gz_read(void *c, char *buf, size_t n)
{
	int r = gzread((gzFile)c, buf, n > INT_MAX ? INT_MAX : (unsigned)n);
	if (r < 0) {
		errno = EIO;
		return -1;
	}
	return r;
}

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
	ZSTD_DCtx *d;
	ZSTD_CCtx *c;
	ZSTD_inBuffer in;
	size_t last; /* 0 once a frame has ended */
	char *buf;
	size_t cap;
};

static ssize_t zstd_read(void *cookie, char *buf, size_t n)
{
	struct zstd_stream *z = cookie;
	ZSTD_outBuffer out = { buf, n, 0 };
	while (out.pos == 0) {
		if (z->in.pos == z->in.size) {
			size_t got = fread(z->buf, 1, z->cap, z->file);
			if (!got) {
				if (ferror(z->file) || z->last) {
					errno = EIO; /* read error, or a truncated frame */
					return -1;
				}
				return 0;
			}
			z->in = (ZSTD_inBuffer){ z->buf, got, 0 };
		}
		z->last = ZSTD_decompressStream(z->d, &out, &z->in);
		if (ZSTD_isError(z->last)) {
			errno = EIO;
			return -1;
		}
	}
	return (ssize_t)out.pos;
}

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
	if (z->c) {
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
	}
	if (z->d)
		ZSTD_freeDCtx(z->d);
	if (fclose(z->file) != 0)
		rc = -1;
	free(z->buf);
	free(z);
	if (rc)
		errno = EIO;
	return rc;
}

static FILE *zstd_open(FILE *file, int writing)
{
	struct zstd_stream *z = calloc(1, sizeof(*z));
	if (!z)
		return NULL;
	z->file = file;
	z->cap = writing ? ZSTD_CStreamOutSize() : ZSTD_DStreamInSize();
	z->buf = malloc(z->cap);
	if (writing)
		z->c = ZSTD_createCCtx();
	else
		z->d = ZSTD_createDCtx();
	FILE *f = NULL;
	if (z->buf && (z->c || z->d)) {
		cookie_io_functions_t io = { writing ? NULL : zstd_read, writing ? zstd_write : NULL,
					     NULL, zstd_close };
		f = fopencookie(z, writing ? "w" : "r", io);
	}
	if (!f) {
		ZSTD_freeCCtx(z->c);
		ZSTD_freeDCtx(z->d);
		free(z->buf);
		free(z);
	}
	return f;
}

/* --- opening --------------------------------------------------------------- */

FILE *compress_open_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (lseek(fd, 0, SEEK_CUR) < 0) { /* a pipe: no peeking, read it as it is */
		FILE *f = fdopen(fd, "rb");
		if (!f)
			close(fd);
		return f;
	}
	unsigned char magic[4] = { 0 };
	ssize_t n = read(fd, magic, sizeof(magic));
	if (n < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	FILE *f = NULL;
	if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		gzFile gz = gzdopen(fd, "rb");
		if (gz) {
			gzbuffer(gz, 1 << 17);
			cookie_io_functions_t io = { gz_read, NULL, NULL, gz_close };
			if (!(f = fopencookie(gz, "r", io)))
				gzclose(gz);
			return f;
		}
	} else if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f &&
		   magic[3] == 0xfd) {
		FILE *raw = fdopen(fd, "rb");
		if (raw && !(f = zstd_open(raw, 0)))
			fclose(raw);
		return f;
	} else if ((f = fdopen(fd, "rb"))) {
		return f;
	}
	close(fd);
	return NULL;
}

FILE *compress_open_write(int fd, const char *name)
{
	int own = dup(fd);
	if (own < 0)
		return NULL;
	if (has_suffix(name, ".gz")) {
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
	if (has_suffix(name, ".zst")) {
		FILE *f = zstd_open(raw, 1);
		if (!f)
			fclose(raw);
		return f;
	}
	return raw;
}
