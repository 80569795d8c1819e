/* The reporters of exposures, one file each (report_text.c, report_json.c,
 * report_sarif.c), registered in report.c. */
#ifndef CORDON_FINDINGS_REPORT_H
#define CORDON_FINDINGS_REPORT_H

#include <jansson.h>
#include "cordon/findings.h"

struct reporter {
	const char *name;
	cordon_report_format format;
	cordon_code (*write)(FILE *out, const struct cordon_report_options *o, const struct cordon_report_item *items,
			     size_t n);
};

extern const struct reporter report_text, report_json, report_sarif;

/* The finding an item shows: now, or before when it closed. */
const struct cordon_exposure *item_exposure(const struct cordon_report_item *it);
/* The JSON object of an item (report_json.c): the finding's members, and
 * with a baseline its change and what it was. NULL when out of memory. */
json_t *item_json(const struct cordon_report_item *it, int baseline);
/* Writes s with control characters escaped (\n, \t, \xHH), so a finding
 * stays on its line whatever a file name, field or export holds. */
void report_put_safe(FILE *f, const char *s);
/* "udp" or "tcp". */
const char *protocol_name(cordon_protocol p);

#endif
