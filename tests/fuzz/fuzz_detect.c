/* libFuzzer: the detector on arbitrary bytes. Findings must be in bounds,
 * sorted and disjoint; canonical forms and masks must not overrun. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cordon_engine *engine;
	if (!engine && cordon_engine_new(&engine, NULL) != CORDON_OK)
		abort();
	/* an exact-size copy, so reads past the end are caught */
	char *text = malloc(size ? size : 1);
	memcpy(text, data, size);
	const struct cordon_finding *f;
	size_t n;
	if (cordon_engine_scan(engine, text, size, &f, &n) != CORDON_OK)
		abort();
	size_t prev_end = 0;
	for (size_t k = 0; k < n; k++) {
		if (f[k].start >= f[k].end || f[k].end > size || f[k].start < prev_end)
			abort();
		prev_end = f[k].end;
		char buf[64];
		cordon_finding_canonical(text, &f[k], buf, sizeof(buf));
		cordon_finding_mask(text, &f[k], buf, sizeof(buf));
		if (strlen(buf) >= sizeof(buf))
			abort();
	}
	free(text);
	return 0;
}
