/* libFuzzer: user rules. The first line of the input is a rule's pattern
 * (its first byte picks a validator and the case), the rest a text. Compiling
 * may refuse the pattern but never crash; an accepted rule's findings must be
 * in bounds, sorted and disjoint, on any text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const validators[] = { NULL, "luhn", "mod97", "aba", "verhoeff" };
	if (size < 2)
		return 0;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	if (plen < 2)
		return 0; /* the flags byte and at least one byte of pattern */
	char *pattern = malloc(plen);
	memcpy(pattern, data + 1, plen - 1);
	pattern[plen - 1] = '\0';
	size_t tlen = nl ? size - plen - 1 : 0;
	char *text = malloc(tlen ? tlen : 1); /* exact size: overreads are caught */
	if (tlen)
		memcpy(text, nl + 1, tlen);

	const char *words[] = { pattern };
	struct cordon_rule rule = { .name = "FUZZ", .score = 0.9, .caseless = data[0] & 1,
				    .validator = validators[(data[0] >> 1) % 5] };
	if (data[0] & 0x80) { /* a deny list of the same bytes */
		rule.words = words;
		rule.nwords = 1;
	} else {
		rule.pattern = pattern;
	}
	struct cordon_engine_options o = CORDON_ENGINE_OPTIONS_INIT;
	o.rules = &rule;
	o.nrules = 1;
	o.entities = CORDON_ENTITY_BIT(CORDON_ENTITY_RULE_FIRST);
	char err[256];
	o.error = err;
	o.error_len = sizeof(err);
	cordon_engine *e = NULL;
	cordon_code rc = cordon_engine_new(&e, &o);
	if (rc == CORDON_OK) {
		const struct cordon_finding *f;
		size_t n, prev = 0;
		if (cordon_engine_scan(e, text, tlen, &f, &n) != CORDON_OK)
			abort();
		for (size_t k = 0; k < n; k++) {
			if (f[k].start >= f[k].end || f[k].end > tlen || f[k].start < prev ||
			    (int)f[k].entity != CORDON_ENTITY_RULE_FIRST || strcmp(f[k].name, "FUZZ"))
				abort();
			prev = f[k].end;
		}
		cordon_engine_free(e);
	} else if (rc != CORDON_ERR_ARG || !err[0]) {
		abort(); /* a refusal must say why */
	}
	free(pattern);
	free(text);
	return 0;
}
