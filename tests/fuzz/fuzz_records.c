/* libFuzzer: a record format (FUZZ_FORMAT: text, JSON lines, CSV or bulk)
 * on arbitrary input with a quarantine, checked for what cordon promises,
 * not only for crashes:
 *   - every "$$" of the input becomes a planted e-mail address, wherever
 *     it lands (a string, a key, a CSV cell, an action line's _id): after
 *     redaction it is in no output record; its record went out redacted or
 *     into the quarantine;
 *   - records in = out + quarantined, and output is never longer than the
 *     input with its findings tagged;
 *   - --jobs 2 with chunks of a few bytes (the first byte picks how many)
 *     gives one thread's output, quarantine, counts and code. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"
#include "records/stream_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PLANT "planted.user@contoso.com"

struct result {
	cordon_code rc;
	char *out, *q;
	size_t out_len, q_len;
	struct cordon_stream_stats stats;
};

static struct result run(cordon_engine *engine, cordon_redactor *redactor, const char *text, size_t len,
			 unsigned jobs)
{
	struct result r = { 0 };
	FILE *in = fmemopen((void *)text, len ? len : 1, "r");
	if (!in)
		abort();
	if (!len) {
		char c;
		(void)!fread(&c, 1, 1, in);
	}
	FILE *o = open_memstream(&r.out, &r.out_len), *qf = open_memstream(&r.q, &r.q_len);
	struct cordon_stream_options opt = { .format = FUZZ_FORMAT, .redactor = redactor, .quarantine = qf,
					     .max_record = 1024 };
	cordon_stream *st;
	if (cordon_stream_new(&st, engine, &opt) != CORDON_OK)
		abort();
	r.rc = cordon_stream_run_jobs(st, in, o, &r.stats, jobs);
	cordon_stream_free(st);
	fclose(in);
	fclose(o);
	fclose(qf);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cordon_engine *engine;
	static cordon_redactor *redactor;
	if (!engine && (cordon_engine_new(&engine, NULL) != CORDON_OK ||
			cordon_redactor_new(&redactor, CORDON_OP_TAG) != CORDON_OK))
		abort();
	if (size < 1)
		return 0;
	size_t chunk = 1 + data[0] % 64;
	data++;
	size--;
	/* the planted value only where we planted it: input that already
	 * holds it (glued to other text, it is another value) says nothing */
	if (memmem(data, size, "planted", 7))
		return 0;
	/* plant: each "$$" becomes " PLANT " */
	char *text = malloc(size * 14 + 1);
	size_t len = 0, planted = 0;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '$' && i + 1 < size && data[i + 1] == '$') {
			memcpy(text + len, " " PLANT " ", sizeof(PLANT) + 1);
			len += sizeof(PLANT) + 1;
			planted++;
			i++;
		} else {
			text[len++] = (char)data[i];
		}
	}
	stream_set_chunk_size(0);
	struct result one = run(engine, redactor, text, len, 1);
	if (one.rc != CORDON_OK) {
		/* with a quarantine only the input's own failure may stop a run:
		 * an archive or a charset it is not, or a CSV header row longer
		 * than the record limit (no row can be read without it, so none
		 * was: nothing went out) */
		int header_too_long = FUZZ_FORMAT == CORDON_FORMAT_CSV && one.rc == CORDON_ERR_TOO_LARGE &&
				      one.stats.records_in == 0 && one.out_len == 0 && one.q_len == 0;
		if (one.rc != CORDON_ERR_PARSE && !header_too_long) {
			fprintf(stderr, "run failed with a quarantine: %s\n", cordon_strerror(one.rc));
			abort();
		}
	} else if (one.stats.records_in != one.stats.records_out + one.stats.quarantined) {
		fprintf(stderr, "records in %llu != out %llu + quarantined %llu\n",
			(unsigned long long)one.stats.records_in, (unsigned long long)one.stats.records_out,
			(unsigned long long)one.stats.quarantined);
		abort();
	}
	if (one.out_len && memmem(one.out, one.out_len, PLANT, sizeof(PLANT) - 1)) {
		fprintf(stderr, "a planted value went out in clear (%zu planted)\n", planted);
		abort();
	}
	uint64_t found = 0;
	for (int e = 0; e < CORDON_ENTITY_MAX; e++)
		found += one.stats.findings[e];
	/* each finding becomes a tag of at most 20 bytes; a number can gain
	 * the quotes that make it a string; a byte-order mark is written back;
	 * UTF-16 (by its mark) grows by half at most as UTF-8 */
	int utf16 = len >= 2 && (((unsigned char)text[0] == 0xff && (unsigned char)text[1] == 0xfe) ||
				 ((unsigned char)text[0] == 0xfe && (unsigned char)text[1] == 0xff));
	if (one.out_len > (utf16 ? len + len / 2 : len) + 22 * found + 3) {
		fprintf(stderr, "output of %zu bytes from %zu and %llu findings\n", one.out_len, len,
			(unsigned long long)found);
		abort();
	}
	stream_set_chunk_size(chunk);
	struct result two = run(engine, redactor, text, len, 2);
	stream_set_chunk_size(0);
	if (two.rc != one.rc || two.out_len != one.out_len || (one.out_len && memcmp(two.out, one.out, one.out_len)) ||
	    two.q_len != one.q_len || (one.q_len && memcmp(two.q, one.q, one.q_len)) ||
	    two.stats.records_in != one.stats.records_in || two.stats.quarantined != one.stats.quarantined) {
		fprintf(stderr, "--jobs 2 with chunks of %zu differs from one thread\n", chunk);
		abort();
	}
	free(one.out);
	free(one.q);
	free(two.out);
	free(two.q);
	free(text);
	return 0;
}
