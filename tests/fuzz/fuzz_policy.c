/* libFuzzer: cordon.yaml (cordon_policy_load) on arbitrary bytes. A policy
 * may be refused, with a reason that names the file; one that loads must
 * build an engine and a redactor: the loader checked every value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cordon_policy *p;
	if (cordon_policy_new(&p) != CORDON_OK)
		abort();
	char *text = malloc(size ? size : 1); /* exact size: overreads are caught */
	memcpy(text, data, size);
	cordon_code rc = cordon_policy_load(p, "fuzz.yaml", text, size);
	if (rc == CORDON_OK) {
		struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
		cordon_policy_engine_options(p, &eo);
		cordon_engine *e = NULL;
		if (cordon_engine_new(&e, &eo) != CORDON_OK)
			abort(); /* the policy let through what the engine refuses */
		const struct cordon_finding *f;
		size_t n;
		static const char t[] = "mail a@contoso.com, CUST-12345678, Project Falcon";
		cordon_engine_scan(e, t, sizeof(t) - 1, &f, &n);
		cordon_engine_free(e);
		cordon_redactor *r;
		if (cordon_redactor_new(&r, CORDON_OP_TAG) != CORDON_OK || cordon_policy_apply_redactor(p, r) != CORDON_OK)
			abort();
		cordon_redactor_free(r);
	} else if (rc == CORDON_ERR_PARSE && !strstr(cordon_policy_error(p), "'fuzz.yaml'")) {
		abort(); /* an error that does not name the file */
	}
	cordon_policy_free(p);
	free(text);
	return 0;
}
