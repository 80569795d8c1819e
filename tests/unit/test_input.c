/* Inputs (records/input.c) against the libraries that wrote them: zlib and
 * libzstd output, one or many members and frames, comes back byte for byte
 * whatever the read size; cut short anywhere, or followed by anything but
 * another member, it is an error, and what came before is a prefix of the
 * original; other formats are refused by name; byte-order marks and
 * charsets are read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>
#include "records/input.h"

struct got {
	char *data;
	size_t len;
	int rc; /* 0: a clean end, -1: an error */
	char err[256];
	int bom;
};

/* Reads all of bytes through an input, step bytes at a time. */
static struct got read_all(const void *bytes, size_t n, size_t step, const char *encoding)
{
	struct got g = { malloc(16 << 20), 0, 0, "", 0 };
	FILE *f = fmemopen((void *)bytes, n ? n : 1, "r");
	assert_non_null(f);
	if (!n) { /* fmemopen will not take an empty buffer: read it dry */
		char c;
		(void)!fread(&c, 1, 1, f);
	}
	struct input *in = input_new(-1, f, encoding);
	assert_non_null(in);
	for (;;) {
		ssize_t r = input_read(in, g.data + g.len, step);
		if (r < 0) {
			g.rc = -1;
			snprintf(g.err, sizeof(g.err), "%s", input_error(in));
			break;
		}
		if (r == 0)
			break;
		g.len += (size_t)r;
		assert_true(g.len < (16 << 20));
	}
	g.bom = input_had_bom(in);
	input_free(in);
	fclose(f);
	return g;
}

static unsigned char *gzip_of(const char *text, size_t n, size_t *out_len)
{
	z_stream z = { 0 };
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, n) + 64;
	unsigned char *out = malloc(cap);
	z.next_in = (unsigned char *)text;
	z.avail_in = (unsigned)n;
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static unsigned char *zstd_of(const char *text, size_t n, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(n);
	unsigned char *out = malloc(cap);
	*out_len = ZSTD_compress(out, cap, text, n, 3);
	assert_false(ZSTD_isError(*out_len));
	return out;
}

/* Text with lines, long enough for several reads. */
static char *sample(size_t *n)
{
	size_t cap = 300000, o = 0;
	char *s = malloc(cap);
	for (int i = 0; o + 64 < cap; i++)
		o += (size_t)snprintf(s + o, cap - o, "line %d mail u%d@contoso.com %x\n", i, i, i * 2654435761u);
	*n = o;
	return s;
}

static void cat(unsigned char **buf, size_t *len, const unsigned char *more, size_t n)
{
	*buf = realloc(*buf, *len + n);
	memcpy(*buf + *len, more, n);
	*len += n;
}

static void test_round_trips(void **state)
{
	(void)state;
	size_t n;
	char *text = sample(&n);
	static const size_t steps[] = { 1, 7, 4096, 1 << 20 };
	for (int kind = 0; kind < 2; kind++) {
		/* three members (frames), as pigz and logrotate write them */
		unsigned char *all = NULL;
		size_t all_len = 0;
		size_t third = n / 3;
		for (int m = 0; m < 3; m++) {
			size_t zl, part = m < 2 ? third : n - 2 * third;
			unsigned char *z = kind ? zstd_of(text + m * third, part, &zl) : gzip_of(text + m * third, part, &zl);
			cat(&all, &all_len, z, zl);
			free(z);
		}
		for (size_t s = 0; s < sizeof(steps) / sizeof(*steps); s++) {
			if (steps[s] == 1 && kind)
				continue; /* slow, and the same path as 7 */
			struct got g = read_all(all, all_len, steps[s], NULL);
			if (g.rc)
				fail_msg("%s, step %zu: %s", kind ? "zstd" : "gzip", steps[s], g.err);
			assert_int_equal(g.len, n);
			assert_memory_equal(g.data, text, n);
			free(g.data);
		}
		free(all);
	}
	struct got g = read_all(text, n, 4096, NULL);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.len, n);
	free(g.data);
	free(text);
}

/* Cut anywhere, a compressed input is an error, never a clean end, and
 * what came out is the original's beginning. */
static void test_truncated_everywhere(void **state)
{
	(void)state;
	const char *text = "first line bob@contoso.com\nsecond line alice.wong@contoso.com\nlast";
	for (int kind = 0; kind < 2; kind++) {
		size_t zl;
		unsigned char *z = kind ? zstd_of(text, strlen(text), &zl) : gzip_of(text, strlen(text), &zl);
		/* from where the magic number is whole: a lone 0x1f is a byte of
		 * text, not a cut gzip stream */
		for (size_t cut = kind ? 4 : 2; cut < zl; cut++) {
			struct got g = read_all(z, cut, 4096, NULL);
			if (g.rc != -1)
				fail_msg("%s cut at %zu of %zu: read as whole", kind ? "zstd" : "gzip", cut, zl);
			assert_true(g.len <= strlen(text));
			assert_memory_equal(g.data, text, g.len);
			free(g.data);
		}
		free(z);
	}
}

static void test_trailing_and_corrupt(void **state)
{
	(void)state;
	const char *text = "a bob@contoso.com\n";
	size_t zl, yl;
	unsigned char *z = gzip_of(text, strlen(text), &zl), *y = zstd_of(text, strlen(text), &yl);
	static const struct {
		int first_zstd;
		const char *tail;
		const char *says;
	} cases[] = {
		{ 0, "plain bob@contoso.com\n", "gzip input has other bytes after member 1" },
		{ 0, "\x28\xb5\x2f\xfd", "a zstd frame" },
		{ 0, "\x1f", "other bytes" },
		{ 1, "plain\n", "zstd input has other bytes after frame 1" },
		{ 1, "\x1f\x8b\x08\x00", "a gzip member" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned char *all = NULL;
		size_t len = 0;
		cat(&all, &len, cases[i].first_zstd ? y : z, cases[i].first_zstd ? yl : zl);
		cat(&all, &len, (const unsigned char *)cases[i].tail, strlen(cases[i].tail));
		struct got g = read_all(all, len, 4096, NULL);
		assert_int_equal(g.rc, -1);
		if (!strstr(g.err, cases[i].says))
			fail_msg("case %zu: '%s' does not say '%s'", i, g.err, cases[i].says);
		assert_int_equal(g.len, strlen(text)); /* the member before it came through */
		free(g.data);
		free(all);
	}
	/* a changed check value (the gzip trailer's CRC) */
	z[zl - 6] ^= 0x55;
	struct got g = read_all(z, zl, 4096, NULL);
	assert_int_equal(g.rc, -1);
	assert_non_null(strstr(g.err, "corrupt"));
	free(g.data);
	free(z);
	free(y);
}

static void test_refused(void **state)
{
	(void)state;
	char tar[1024] = "in.txt";
	memcpy(tar + 257, "ustar\0" "00", 8);
	static const struct {
		const char *head;
		size_t len;
		const char *says;
	} cases[] = {
		{ "BZh91AY&SY\x01\x02", 12, "bzip2" },
		{ "\xfd" "7zXZ\0\0\x04", 8, "xz" },
		{ "PK\x03\x04\x14\0\0\0", 8, "zip" },
		{ "7z\xbc\xaf\x27\x1c\0\x04", 8, "7-Zip" },
		{ "\x04\x22\x4d\x18\x64\x40", 6, "lz4" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct got g = read_all(cases[i].head, cases[i].len, 4096, NULL);
		assert_int_equal(g.rc, -1);
		assert_non_null(strstr(g.err, cases[i].says));
		assert_int_equal(g.len, 0);
		free(g.data);
	}
	struct got g = read_all(tar, sizeof(tar), 4096, NULL);
	assert_int_equal(g.rc, -1);
	assert_non_null(strstr(g.err, "tar"));
	free(g.data);
	/* a tar inside gzip is refused too */
	size_t zl;
	unsigned char *z = gzip_of(tar, sizeof(tar), &zl);
	g = read_all(z, zl, 4096, NULL);
	assert_int_equal(g.rc, -1);
	assert_non_null(strstr(g.err, "gzip input holds tar data"));
	free(g.data);
	free(z);
	/* text that starts like one of them is text */
	g = read_all("BZh is a word\n", 14, 4096, NULL);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.len, 14);
	free(g.data);
	g = read_all("", 0, 4096, NULL);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.len, 0);
	free(g.data);
}

static void test_marks_and_charsets(void **state)
{
	(void)state;
	struct got g = read_all("\xef\xbb\xbf" "email\n", 9, 4096, NULL);
	assert_int_equal(g.rc, 0);
	assert_true(g.bom);
	assert_int_equal(g.len, 6);
	assert_memory_equal(g.data, "email\n", 6);
	free(g.data);
	/* UTF-16LE with its mark, read one byte at a time: "é@x\n" */
	static const char u16[] = "\xff\xfe\xe9\x00\x40\x00\x78\x00\x0a\x00";
	g = read_all(u16, sizeof(u16) - 1, 1, NULL);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.len, 5);
	assert_memory_equal(g.data, "\xc3\xa9@x\n", 5);
	free(g.data);
	g = read_all(u16, sizeof(u16) - 2, 4096, NULL); /* cut inside a character */
	assert_int_equal(g.rc, -1);
	assert_non_null(strstr(g.err, "ends inside a UTF-16LE character"));
	free(g.data);
	g = read_all("caf\xe9\n", 5, 4096, "LATIN1");
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.len, 6);
	assert_memory_equal(g.data, "caf\xc3\xa9\n", 6);
	free(g.data);
	g = read_all("x\x81y", 3, 4096, "WINDOWS-1252"); /* 0x81 is none of its */
	assert_int_equal(g.rc, -1);
	assert_non_null(strstr(g.err, "not valid WINDOWS-1252"));
	free(g.data);
	g = read_all("x", 1, 4096, "NO-SUCH-CHARSET");
	assert_int_equal(g.rc, -1);
	assert_non_null(strstr(g.err, "unknown encoding 'NO-SUCH-CHARSET'"));
	free(g.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_trailing_and_corrupt),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_marks_and_charsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
