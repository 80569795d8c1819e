/* libFuzzer: a record format (FUZZ_FORMAT: CSV or bulk) on arbitrary input,
 * with a quarantine. The run must succeed, count records in = out +
 * quarantined, and write no more than the input with its findings tagged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cordon_engine *engine;
	static cordon_redactor *redactor;
	if (!engine && (cordon_engine_new(&engine, NULL) != CORDON_OK ||
			cordon_redactor_new(&redactor, CORDON_OP_TAG) != CORDON_OK))
		abort();
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		return 0; /* fmemopen refuses size 0 on some libcs */
	char *out = NULL, *q = NULL;
	size_t out_len = 0, q_len = 0;
	FILE *o = open_memstream(&out, &out_len), *qf = open_memstream(&q, &q_len);
	struct cordon_stream_options opt = { .format = FUZZ_FORMAT, .redactor = redactor,
					     .quarantine = qf, .max_record = 1024 };
	cordon_stream *st;
	struct cordon_stream_stats stats = { 0 };
	if (cordon_stream_new(&st, engine, &opt) != CORDON_OK)
		abort();
	cordon_code rc = cordon_stream_run(st, in, o, &stats);
	cordon_stream_free(st);
	fclose(in);
	fclose(o);
	fclose(qf);
	if (rc != CORDON_OK) {
		fprintf(stderr, "run failed with a quarantine: %s\n", cordon_strerror(rc));
		abort();
	}
	if (stats.records_in != stats.records_out + stats.quarantined)
		abort();
	/* output is the input less quarantined records, each finding replaced by a
	 * tag of at most 20 bytes: it can never hold more */
	uint64_t found = 0;
	for (int e = 0; e < CORDON_ENTITY_MAX; e++)
		found += stats.findings[e];
	if (out_len > size + 20 * found)
		abort();
	free(out);
	free(q);
	return 0;
}
