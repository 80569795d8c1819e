/* For the build-time tools that write a lexicon table (scripts/gazetteer.c,
 * scripts/words.c): an array of 64-bit slots as C source. */
#ifndef CORDON_SCRIPTS_TABLE_OUT_H
#define CORDON_SCRIPTS_TABLE_OUT_H

#include <stdint.h>
#include <stdio.h>

static void write_array(FILE *out, const char *name, const uint64_t *v, size_t n)
{
	fprintf(out, "const uint64_t %s[%zu] = {", name, n);
	for (size_t i = 0; i < n; i++) {
		if (i % 8 == 0)
			fputc('\n', out);
		if (v[i])
			fprintf(out, "0x%llx,", (unsigned long long)v[i]);
		else
			fputs("0,", out);
	}
	fputs("\n};\n", out);
}

#endif
