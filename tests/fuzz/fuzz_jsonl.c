/* libFuzzer: the JSON-lines reader and rewriter, differential against jansson.
 * A line is accepted exactly when jansson accepts it, and every accepted line
 * comes out as valid JSON. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cordon_engine *engine;
	static cordon_redactor *redactor;
	if (!engine && (cordon_engine_new(&engine, NULL) != CORDON_OK ||
			cordon_redactor_new(&redactor, CORDON_OP_MASK) != CORDON_OK))
		abort();
	if (size == 0 || memchr(data, '\n', size) || memchr(data, '\r', size))
		return 0; /* one record: line splitting is the stream's, tested apart */
	size_t blank = 0;
	while (blank < size && (data[blank] == ' ' || data[blank] == '\t'))
		blank++;
	if (blank == size)
		return 0;
	/* a byte-order mark is the input layer's, not JSON: jansson sees the rest */
	const uint8_t *json = data;
	size_t json_len = size;
	if (size >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		json += 3, json_len -= 3;
	size_t lead = 0;
	while (lead < json_len && (json[lead] == ' ' || json[lead] == '\t'))
		lead++;
	if (lead == json_len)
		return 0; /* a blank line passes; jansson wants a value */
	if (size >= 2 && ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
		return 0; /* UTF-16: the input layer's, tested in fuzz_input */
	if (cordon_compression_of(data, size))
		return 0; /* decompressed by the input layer, which jansson is not */
	FILE *in = fmemopen((void *)data, size, "r");
	char *out = NULL;
	size_t out_len = 0;
	FILE *o = open_memstream(&out, &out_len);
	struct cordon_stream_options opt = { .format = CORDON_FORMAT_JSONL, .redactor = redactor };
	cordon_stream *st;
	struct cordon_stream_stats stats = { 0 };
	if (cordon_stream_new(&st, engine, &opt) != CORDON_OK)
		abort();
	cordon_code rc = cordon_stream_run(st, in, o, &stats);
	cordon_stream_free(st);
	fclose(in);
	fclose(o);

	json_error_t err;
	json_t *j = json_loadb((const char *)json, json_len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	int skip = !j && (strstr(err.text, "too big") || strstr(err.text, "overflow") ||
			  strstr(err.text, "depth"));
	/* jansson ends its input at a raw NUL byte ("0\0" loads as 0); RFC 8259
	 * has no such rule, and cordon rejects the NUL */
	skip |= j && rc != CORDON_OK && memchr(data, '\0', size);
	if (!skip && (rc == CORDON_OK) != (j != NULL)) {
		fprintf(stderr, "cordon %s, jansson %s\n", rc == CORDON_OK ? "accepts" : "rejects",
			j ? "accepts" : err.text);
		abort();
	}
	if (rc == CORDON_OK) {
		size_t mark = out_len >= 3 && !memcmp(out, "\xef\xbb\xbf", 3) ? 3 : 0; /* written back */
		json_t *back = json_loadb(out + mark, out_len - mark, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		if (!back && !strstr(err.text, "too big") && !strstr(err.text, "overflow") &&
		    !strstr(err.text, "depth")) {
			fprintf(stderr, "output is not JSON: %s\n", err.text);
			abort();
		}
		json_decref(back);
	}
	json_decref(j);
	free(out);
	return 0;
}
