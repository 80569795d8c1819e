/* Inputs (see input.h): three layers, each pulling from the one below.
 *   raw:     read(2) on a descriptor, or fread on a FILE;
 *   codec:   plain, gzip (zlib's inflate, one member after another) or zstd
 *            (libzstd, one frame after another), chosen by the first bytes;
 *   charset: UTF-8 as it is, or iconv from UTF-16 (by its byte-order mark)
 *            or from the charset the caller names.
 * zlib's gzread and a FILE cookie were used before: they reported a
 * truncated member only at the end, after the cut-off bytes had gone up as
 * data, and stopped silently at bytes after the last member. Here each
 * layer returns what it decoded, and its error only on the next call. */
#include <errno.h>
#include <iconv.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "records/input.h"
#include "util/alloc.h"

enum { RAW_CAP = 1 << 17, MAGIC_MIN = 6, CONV_CAP = 1 << 16 };
enum codec { CODEC_PLAIN, CODEC_GZIP, CODEC_ZSTD };

struct input {
	int fd;
	FILE *f;
	char *encoding; /* NULL: auto */
	int started;
	enum codec codec;
	/* raw bytes read and not yet decoded: raw[rpos, rlen) */
	unsigned char *raw;
	size_t rpos, rlen;
	int raw_eof;
	uint64_t raw_done; /* raw bytes before raw[0] */
	/* gzip */
	z_stream z;
	int z_init, z_in_member;
	unsigned members;
	/* zstd */
	ZSTD_DCtx *zd;
	size_t zlast; /* 0 between frames */
	unsigned frames;
	/* decoded bytes held back (the head, looked at before anything is
	 * handed out; charset input waiting for iconv): held[hpos, hlen) */
	char *held;
	size_t hpos, hlen, hcap;
	int codec_end;  /* the codec layer has returned its end */
	iconv_t cd;
	int converting;
	const char *from; /* the charset converted from, for messages */
	char *conv;       /* converted bytes not yet handed out: conv[cpos, clen) */
	size_t cpos, clen;
	uint64_t converted; /* bytes of the source charset converted */
	int bom;
	int failed;
	cordon_code code;
	char err[256];
};

static ssize_t fail(struct input *in, cordon_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static ssize_t fail(struct input *in, cordon_code code, const char *fmt, ...)
{
	if (!in->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(in->err, sizeof(in->err), fmt, ap);
		va_end(ap);
		in->code = code;
		in->failed = 1;
	}
	return -1;
}

struct input *input_new(int fd, FILE *f, const char *encoding)
{
	struct input *in = calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	in->fd = fd;
	in->f = f;
	in->cd = (iconv_t)-1;
	if (encoding && strcasecmp(encoding, "auto") && !(in->encoding = strdup(encoding))) {
		free(in);
		return NULL;
	}
	return in;
}

void input_free(struct input *in)
{
	if (!in)
		return;
	if (in->z_init)
		inflateEnd(&in->z);
	ZSTD_freeDCtx(in->zd);
	if (in->cd != (iconv_t)-1)
		iconv_close(in->cd);
	free(in->raw);
	free(in->held);
	free(in->conv);
	free(in->encoding);
	free(in);
}

const char *input_error(const struct input *in)
{
	return in->failed ? in->err : "";
}

cordon_code input_error_code(const struct input *in)
{
	return in->failed ? in->code : CORDON_OK;
}

int input_had_bom(const struct input *in)
{
	return in->bom;
}

const char *input_compression(const struct input *in)
{
	return in->codec == CODEC_GZIP ? "gzip" : in->codec == CODEC_ZSTD ? "zstd" : NULL;
}

/* --- raw ------------------------------------------------------------------ */

/* Reads from the source into buf: > 0, 0 at its end, -1 on error. */
static ssize_t source_read(struct input *in, void *buf, size_t n)
{
	if (in->fd >= 0) {
		for (;;) {
			ssize_t r = read(in->fd, buf, n);
			if (r >= 0)
				return r;
			if (errno != EINTR)
				return fail(in, CORDON_ERR_IO, "read error: %s", strerror(errno));
		}
	}
	size_t got = fread(buf, 1, n, in->f);
	if (got == 0 && ferror(in->f))
		return fail(in, CORDON_ERR_IO, "read error: %s", strerror(errno ? errno : EIO));
	return (ssize_t)got;
}

/* Makes at least want raw bytes available at raw[rpos] unless the source
 * ends first. 0, or -1 on a read error. */
static int raw_want(struct input *in, size_t want)
{
	if (!in->raw && !(in->raw = malloc(RAW_CAP)))
		return (int)fail(in, CORDON_ERR_NOMEM, "out of memory");
	while (in->rlen - in->rpos < want && !in->raw_eof) {
		if (in->rpos && (in->rpos == in->rlen || in->rlen == RAW_CAP)) {
			memmove(in->raw, in->raw + in->rpos, in->rlen - in->rpos);
			in->raw_done += in->rpos;
			in->rlen -= in->rpos;
			in->rpos = 0;
		}
		ssize_t r = source_read(in, in->raw + in->rlen, RAW_CAP - in->rlen);
		if (r < 0)
			return -1;
		if (r == 0)
			in->raw_eof = 1;
		in->rlen += (size_t)r;
		if (want == 1 && r > 0)
			break;
	}
	return 0;
}

static uint64_t raw_offset(const struct input *in)
{
	return in->raw_done + in->rpos;
}

/* --- codecs --------------------------------------------------------------- */

static int is_gzip(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

/* A zstd frame, or a skippable frame (0x184D2A50-5F, little-endian). */
static int is_zstd(const unsigned char *p, size_t n)
{
	return n >= 4 && ((p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) ||
			  ((p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18));
}

/* Formats cordon does not read, by their first bytes: the input is refused
 * rather than taken for text. */
static const char *archive_name(const unsigned char *p, size_t n)
{
	static const struct {
		const char *name;
		const char *magic;
		size_t len, at;
	} magics[] = {
		{ "bzip2", "BZh", 3, 0 },           /* + '1'-'9' and the block magic, checked below */
		{ "xz", "\xfd" "7zXZ\0", 6, 0 },
		{ "lzma", "\x5d\0\0", 3, 0 },
		{ "lz4", "\x04\x22\x4d\x18", 4, 0 },
		{ "lzip", "LZIP", 4, 0 },
		{ "compress (.Z)", "\x1f\x9d", 2, 0 },
		{ "lzop", "\x89LZO\0", 5, 0 },
		{ "zip", "PK\x03\x04", 4, 0 },
		{ "zip", "PK\x05\x06", 4, 0 },
		{ "7-Zip", "7z\xbc\xaf\x27\x1c", 6, 0 },
		{ "RAR", "Rar!\x1a\x07", 6, 0 },
		{ "tar", "ustar", 5, 257 },
		{ "cpio", "070707", 6, 0 },
		{ "cpio", "070701", 6, 0 },
	};
	for (size_t k = 0; k < sizeof(magics) / sizeof(*magics); k++) {
		size_t at = magics[k].at, len = magics[k].len;
		if (n < at + len || memcmp(p + at, magics[k].magic, len))
			continue;
		if (k == 0 && !(n >= 10 && p[3] >= '1' && p[3] <= '9' && !memcmp(p + 4, "\x31\x41\x59\x26\x53\x59", 6)))
			continue; /* "BZh" alone is text */
		if (!strcmp(magics[k].name, "tar") && !(n >= 263 && (p[262] == '\0' || p[262] == ' ')))
			continue;
		if (!strcmp(magics[k].name, "cpio") && !memchr(p, '\0', n))
			continue; /* an ASCII cpio header holds NULs in its names */
		return magics[k].name;
	}
	return NULL;
}

static ssize_t gzip_read(struct input *in, char *buf, size_t n)
{
	in->z.next_out = (unsigned char *)buf;
	in->z.avail_out = n > UINT32_MAX ? UINT32_MAX : (unsigned)n;
	size_t want = in->z.avail_out;
#define PRODUCED (want - in->z.avail_out)
	for (;;) {
		if (!in->z_in_member) {
			/* between members: another member, the end, or bytes that
			 * are neither (refused, never skipped) */
			if (raw_want(in, 2) < 0)
				return -1;
			size_t left = in->rlen - in->rpos;
			if (left == 0)
				return (ssize_t)PRODUCED;
			if (!is_gzip(in->raw + in->rpos, left))
				return fail(in, CORDON_ERR_PARSE,
					    "gzip input has %s after member %u (at byte %llu): neither another "
					    "gzip member nor the end",
					    is_zstd(in->raw + in->rpos, left) ? "a zstd frame" : "other bytes",
					    in->members, (unsigned long long)raw_offset(in));
			if (inflateReset(&in->z) != Z_OK)
				return fail(in, CORDON_ERR_NOMEM, "out of memory");
			in->z_in_member = 1;
		}
		if (in->rpos == in->rlen && !in->raw_eof && raw_want(in, 1) < 0)
			return PRODUCED ? (ssize_t)PRODUCED : -1;
		in->z.next_in = in->raw + in->rpos;
		in->z.avail_in = (unsigned)(in->rlen - in->rpos);
		unsigned before = in->z.avail_out;
		int zr = inflate(&in->z, Z_NO_FLUSH);
		in->rpos = in->rlen - in->z.avail_in;
		if (zr == Z_STREAM_END) {
			in->members++;
			in->z_in_member = 0;
			if (PRODUCED)
				return (ssize_t)PRODUCED; /* what follows is the next call's */
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			if (PRODUCED)
				return (ssize_t)PRODUCED;
			return fail(in, zr == Z_MEM_ERROR ? CORDON_ERR_NOMEM : CORDON_ERR_PARSE,
				    "gzip input is corrupt in member %u, near byte %llu: %s", in->members + 1,
				    (unsigned long long)raw_offset(in), in->z.msg ? in->z.msg : "bad data");
		}
		if (in->z.avail_out == 0)
			return (ssize_t)want;
		if (in->z.avail_out == before && in->rpos == in->rlen && in->raw_eof) {
			/* no input left and no progress: the member was cut off */
			if (PRODUCED)
				return (ssize_t)PRODUCED;
			return fail(in, CORDON_ERR_PARSE,
				    "gzip input is truncated: it ends inside member %u, after %llu bytes",
				    in->members + 1, (unsigned long long)raw_offset(in));
		}
		/* a pipe with nothing more ready: hand out what there is */
		if (PRODUCED && in->rpos == in->rlen && in->fd >= 0)
			return (ssize_t)PRODUCED;
	}
#undef PRODUCED
}

static ssize_t zstd_read(struct input *in, char *buf, size_t n)
{
	ZSTD_outBuffer out = { buf, n, 0 };
	for (;;) {
		if (in->zlast == 0) {
			/* between frames: another frame, the end, or other bytes */
			if (raw_want(in, 4) < 0)
				return -1;
			size_t left = in->rlen - in->rpos;
			if (left == 0)
				return (ssize_t)out.pos;
			if (!is_zstd(in->raw + in->rpos, left))
				return fail(in, CORDON_ERR_PARSE,
					    "zstd input has %s after frame %u (at byte %llu): neither another zstd "
					    "frame nor the end",
					    is_gzip(in->raw + in->rpos, left) ? "a gzip member" : "other bytes", in->frames,
					    (unsigned long long)raw_offset(in));
			in->zlast = 1;
		}
		if (in->rpos == in->rlen && !in->raw_eof && raw_want(in, 1) < 0)
			return out.pos ? (ssize_t)out.pos : -1;
		ZSTD_inBuffer zin = { in->raw, in->rlen, in->rpos };
		size_t before = out.pos;
		size_t r = ZSTD_decompressStream(in->zd, &out, &zin);
		in->rpos = zin.pos;
		if (ZSTD_isError(r)) {
			if (out.pos)
				return (ssize_t)out.pos;
			return fail(in, CORDON_ERR_PARSE, "zstd input is corrupt in frame %u, near byte %llu: %s",
				    in->frames + 1, (unsigned long long)raw_offset(in), ZSTD_getErrorName(r));
		}
		if (r == 0) { /* a frame decoded and flushed */
			in->frames++;
			in->zlast = 0;
			if (out.pos)
				return (ssize_t)out.pos;
			continue;
		}
		in->zlast = r;
		if (out.pos == n)
			return (ssize_t)n;
		if (out.pos == before && in->rpos == in->rlen && in->raw_eof) {
			if (out.pos)
				return (ssize_t)out.pos;
			return fail(in, CORDON_ERR_PARSE,
				    "zstd input is truncated: it ends inside frame %u, after %llu bytes",
				    in->frames + 1, (unsigned long long)raw_offset(in));
		}
		if (out.pos && in->rpos == in->rlen && in->fd >= 0)
			return (ssize_t)out.pos;
	}
}

/* The codec layer: decoded bytes, 0 at a clean end, -1 on error. */
static ssize_t codec_read(struct input *in, char *buf, size_t n)
{
	if (in->failed)
		return -1;
	switch (in->codec) {
	case CODEC_GZIP:
		return gzip_read(in, buf, n);
	case CODEC_ZSTD:
		return zstd_read(in, buf, n);
	case CODEC_PLAIN:
		break;
	}
	if (in->rpos < in->rlen) {
		size_t k = in->rlen - in->rpos < n ? in->rlen - in->rpos : n;
		memcpy(buf, in->raw + in->rpos, k);
		in->rpos += k;
		return (ssize_t)k;
	}
	if (in->raw_eof)
		return 0;
	ssize_t r = source_read(in, buf, n);
	if (r == 0)
		in->raw_eof = 1;
	return r;
}

/* --- the start: codec, byte-order mark, charset ---------------------------- */

static int held_reserve(struct input *in, size_t need)
{
	if (ALLOC_GROW(in->held, need, in->hcap))
		return (int)fail(in, CORDON_ERR_NOMEM, "out of memory");
	return 0;
}

/* Adds up to room decoded bytes to held; 0 at the codec's end. */
static ssize_t hold_more(struct input *in, size_t room)
{
	if (in->hpos && in->hpos == in->hlen)
		in->hpos = in->hlen = 0;
	if (held_reserve(in, in->hlen + room) < 0)
		return -1;
	ssize_t r = codec_read(in, in->held + in->hlen, room);
	if (r > 0)
		in->hlen += (size_t)r;
	else if (r == 0)
		in->codec_end = 1;
	return r;
}

static int start(struct input *in)
{
	in->started = 1;
	if (raw_want(in, MAGIC_MIN) < 0)
		return -1;
	const unsigned char *p = in->raw + in->rpos;
	size_t n = in->rlen - in->rpos;
	const char *refused = archive_name(p, n);
	if (refused)
		return (int)fail(in, CORDON_ERR_PARSE,
				 "the input is %s data: cordon reads text, gzip and zstd; unpack it first", refused);
	if (is_gzip(p, n)) {
		in->codec = CODEC_GZIP;
		if (inflateInit2(&in->z, 15 + 16) != Z_OK) /* gzip wrapper only */
			return (int)fail(in, CORDON_ERR_NOMEM, "out of memory");
		in->z_init = in->z_in_member = 1;
	} else if (is_zstd(p, n)) {
		in->codec = CODEC_ZSTD;
		if (!(in->zd = ZSTD_createDCtx()))
			return (int)fail(in, CORDON_ERR_NOMEM, "out of memory");
		in->zlast = 1;
	}
	/* the decoded head: a byte-order mark, or an archive inside */
	while (in->hlen < 512 && !in->codec_end) {
		ssize_t r = hold_more(in, 512 - in->hlen);
		if (r < 0)
			return -1;
		if (r == 0 || in->hlen >= 4)
			break; /* enough to decide; more would wait on a pipe */
	}
	const unsigned char *h = (const unsigned char *)in->held;
	if (in->codec != CODEC_PLAIN) {
		if ((refused = archive_name(h, in->hlen)))
			return (int)fail(in, CORDON_ERR_PARSE, "the %s input holds %s data: unpack it first",
					 input_compression(in), refused);
		if (is_gzip(h, in->hlen) || is_zstd(h, in->hlen))
			return (int)fail(in, CORDON_ERR_PARSE, "the %s input holds compressed data: decompress it first",
					 input_compression(in));
	}
	const char *from = in->encoding;
	if (in->hlen >= 3 && !memcmp(h, "\xef\xbb\xbf", 3) && (!from || !strcasecmp(from, "UTF-8") ||
							       !strcasecmp(from, "UTF8"))) {
		in->bom = 1;
		in->hpos = 3;
	} else if (!from && in->hlen >= 2 && ((h[0] == 0xff && h[1] == 0xfe) || (h[0] == 0xfe && h[1] == 0xff))) {
		int utf32 = in->hlen >= 4 && h[0] == 0xff && !h[2] && !h[3];
		from = utf32 ? "UTF-32LE" : h[0] == 0xff ? "UTF-16LE" : "UTF-16BE";
		in->bom = 1;
		in->hpos = utf32 ? 4 : 2;
	}
	if (from && strcasecmp(from, "UTF-8") && strcasecmp(from, "UTF8")) {
		in->cd = iconv_open("UTF-8", from);
		if (in->cd == (iconv_t)-1)
			return (int)fail(in, CORDON_ERR_ARG, "unknown encoding '%s' (see iconv -l)", from);
		in->converting = 1;
		in->from = in->encoding ? in->encoding : from;
	}
	return 0;
}

/* The charset layer: held bytes (and more from the codec) through iconv
 * into conv, handed out from there (a caller's buffer may be too small for
 * one converted character). */
static ssize_t convert_read(struct input *in, char *buf, size_t n)
{
	for (;;) {
		if (in->cpos < in->clen) {
			size_t k = in->clen - in->cpos < n ? in->clen - in->cpos : n;
			memcpy(buf, in->conv + in->cpos, k);
			in->cpos += k;
			return (ssize_t)k;
		}
		if (!in->conv && !(in->conv = malloc(CONV_CAP)))
			return fail(in, CORDON_ERR_NOMEM, "out of memory");
		in->cpos = in->clen = 0;
		char *out = in->conv;
		size_t room = CONV_CAP;
		if (in->hpos < in->hlen) {
			char *src = in->held + in->hpos;
			size_t left = in->hlen - in->hpos;
			size_t r = iconv(in->cd, &src, &left, &out, &room);
			in->converted += (size_t)(src - (in->held + in->hpos));
			in->hpos = (size_t)(src - in->held);
			in->clen = (size_t)(out - in->conv);
			if (r == (size_t)-1 && errno == EILSEQ && !in->clen)
				return fail(in, CORDON_ERR_PARSE, "the input is not valid %s: byte %llu cannot be read",
					    in->from, (unsigned long long)in->converted + (in->bom ? 2 : 0));
			/* E2BIG: conv is full; EINVAL: a character cut at the end
			 * of held, more is read behind it below */
			if (in->clen)
				continue;
		}
		if (in->codec_end) {
			if (in->hpos < in->hlen)
				return fail(in, CORDON_ERR_PARSE, "the input ends inside a %s character", in->from);
			return 0;
		}
		if (in->hpos) { /* keep the cut character, read more behind it */
			memmove(in->held, in->held + in->hpos, in->hlen - in->hpos);
			in->hlen -= in->hpos;
			in->hpos = 0;
		}
		if (hold_more(in, CONV_CAP) < 0)
			return -1;
	}
}

int input_ready(struct input *in)
{
	if (in->failed || in->fd < 0 || !in->started || in->hpos < in->hlen || in->rpos < in->rlen || in->cpos < in->clen ||
	    in->raw_eof || in->codec_end)
		return 1;
	struct pollfd p = { .fd = in->fd, .events = POLLIN };
	return poll(&p, 1, 0) != 0; /* readable, at its end, or failing: no wait */
}

ssize_t input_read(struct input *in, char *buf, size_t n)
{
	if (in->failed)
		return -1;
	if (!in->started && start(in) < 0)
		return -1;
	if (!n)
		return 0;
	if (in->converting)
		return convert_read(in, buf, n);
	if (in->hpos < in->hlen) {
		size_t k = in->hlen - in->hpos < n ? in->hlen - in->hpos : n;
		memcpy(buf, in->held + in->hpos, k);
		in->hpos += k;
		return (ssize_t)k;
	}
	if (in->codec_end)
		return 0;
	ssize_t r = codec_read(in, buf, n);
	if (r == 0)
		in->codec_end = 1;
	return r;
}
