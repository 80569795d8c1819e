/* libFuzzer: the audit's readers (Azure NSGs and NICs, AWS security groups
 * and network ACLs, GCP firewall rules) and the walk, on arbitrary bytes. The first byte
 * picks the type (or detection); loading may refuse the input, with a
 * reason, but never crash; a loaded input must run, every finding must
 * name a resource, a rule and its sources and have a fingerprint, each
 * reporter must write the findings, and a run compared with itself must
 * show no change. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cordon/cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { NULL, "azure-nsg", "aws-sg", "aws-nacl", "gcp-firewall", "azure-nic" };
	if (size < 1)
		return 0;
	cordon_audit *a;
	if (cordon_audit_new(&a) != CORDON_OK)
		abort();
	char *text = malloc(size - 1 ? size - 1 : 1); /* exact size: overreads are caught */
	memcpy(text, data + 1, size - 1);
	cordon_code rc = cordon_audit_load(a, "fuzz.json", text, size - 1, types[data[0] % 6]);
	if (rc == CORDON_OK) {
		const struct cordon_exposure *e;
		size_t n;
		if (cordon_audit_run(a, &e, &n) != CORDON_OK)
			abort();
		for (size_t k = 0; k < n; k++)
			if (!e[k].resource || !e[k].rule || !e[k].nsources || !e[k].sources[0] || !e[k].nrules ||
			    !e[k].sources_text || !e[k].width || !e[k].check || !e[k].fingerprint ||
			    strlen(e[k].fingerprint) != CORDON_FINGERPRINT_LEN || e[k].port > 65535)
				abort();
		struct cordon_report_item *items;
		size_t ni;
		if (cordon_exposure_diff(e, n, e, n, 0, &items, &ni) != CORDON_OK || ni != 0)
			abort();
		free(items);
		if (cordon_exposure_items(e, n, &items, &ni) != CORDON_OK)
			abort();
		for (int f = CORDON_REPORT_TEXT; f <= CORDON_REPORT_SARIF; f++) {
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);
			struct cordon_report_options o = { .format = (cordon_report_format)f };
			if (!out || cordon_report_exposures(out, &o, items, ni) != CORDON_OK)
				abort();
			fclose(out);
			free(buf);
		}
		free(items);
	} else if (rc != CORDON_ERR_PARSE || !*cordon_audit_error(a)) {
		abort();
	}
	free(text);
	cordon_audit_free(a);
	return 0;
}
