/* Table-driven detector tests: each case is a text and either the exact value
 * that must be found as the entity, or NULL for a text in which nothing at all
 * may be found (a decoy). */
#ifndef CORDON_TEST_DETECT_CASES_H
#define CORDON_TEST_DETECT_CASES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "cordon/cordon.h"

struct detect_case {
	const char *text;
	const char *value; /* NULL: nothing may be found */
};

static inline void run_detect_cases(cordon_entity entity, const struct detect_case *cases,
				    size_t n)
{
	cordon_engine *e;
	assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
	int failures = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cordon_finding *f;
		size_t count;
		const char *t = cases[i].text;
		assert_int_equal(cordon_engine_scan(e, t, strlen(t), &f, &count), CORDON_OK);
		if (!cases[i].value) {
			if (count) {
				fprintf(stderr, "decoy found: \"%s\": %s \"%.*s\"\n", t,
					cordon_entity_name(f[0].entity), (int)(f[0].end - f[0].start),
					t + f[0].start);
				failures++;
			}
			continue;
		}
		int hit = 0;
		for (size_t k = 0; k < count; k++)
			if (f[k].entity == entity && f[k].end - f[k].start == strlen(cases[i].value) &&
			    !memcmp(t + f[k].start, cases[i].value, f[k].end - f[k].start))
				hit = 1;
		if (!hit) {
			fprintf(stderr, "missed %s \"%s\" in \"%s\"; found:", cordon_entity_name(entity),
				cases[i].value, t);
			for (size_t k = 0; k < count; k++)
				fprintf(stderr, " %s \"%.*s\"", cordon_entity_name(f[k].entity),
					(int)(f[k].end - f[k].start), t + f[k].start);
			fprintf(stderr, "\n");
			failures++;
		}
	}
	cordon_engine_free(e);
	assert_int_equal(failures, 0);
}

#define RUN_CASES(entity, cases) run_detect_cases(entity, cases, sizeof(cases) / sizeof(*cases))

#endif
