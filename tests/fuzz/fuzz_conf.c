/* libFuzzer: the data-store configuration readers (elasticsearch.yml,
 * redis.conf, pg_hba.conf, postgresql.conf, mongod.conf, my.cnf, memcached)
 * on arbitrary bytes; the first byte picks the reader. A reader may refuse
 * (with a reason) but never crash, and every finding must say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const files[] = { "d/elasticsearch.yml", "d/opensearch.yml", "d/redis.conf", "d/pg_hba.conf",
					     "d/postgresql.conf", "d/mongod.conf", "d/my.cnf", "d/memcached.conf" };
	if (size < 1)
		return 0;
	cordon_audit *a;
	if (cordon_audit_new(&a) != CORDON_OK)
		abort();
	char *text = malloc(size - 1 ? size - 1 : 1); /* exact size: overreads are caught */
	memcpy(text, data + 1, size - 1);
	/* pg_hba.conf is read beside a postgresql.conf of the same bytes */
	if (data[0] % 8 == 3)
		cordon_audit_load(a, files[4], text, size - 1, NULL);
	cordon_code rc = cordon_audit_load(a, files[data[0] % 8], text, size - 1, NULL);
	if (rc == CORDON_OK) {
		const struct cordon_exposure *e;
		size_t n;
		if (cordon_audit_run(a, &e, &n) != CORDON_OK)
			abort();
		for (size_t k = 0; k < n; k++)
			if (!e[k].rule || !*e[k].rule || !e[k].sources || e[k].port > 65535)
				abort();
	} else if (rc != CORDON_ERR_PARSE || !*cordon_audit_error(a)) {
		abort();
	}
	free(text);
	cordon_audit_free(a);
	return 0;
}
