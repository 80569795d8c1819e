/* The reporters, by format: a new one is its file and a line here. */
#include <string.h>
#include "findings/report.h"

static const struct reporter *const reporters[] = {
	&report_text,
	&report_json,
	&report_sarif,
};

cordon_code cordon_report_format_from_name(const char *name, cordon_report_format *out)
{
	for (size_t i = 0; name && out && i < sizeof(reporters) / sizeof(*reporters); i++)
		if (!strcmp(name, reporters[i]->name)) {
			*out = reporters[i]->format;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

const struct cordon_exposure *item_exposure(const struct cordon_report_item *it)
{
	return it->now ? it->now : it->before;
}

const char *protocol_name(cordon_protocol p)
{
	return p == CORDON_PROTO_UDP ? "udp" : "tcp";
}

cordon_code cordon_report_exposures(FILE *out, const struct cordon_report_options *o,
				    const struct cordon_report_item *items, size_t n)
{
	if (!out || !o || (n && !items))
		return CORDON_ERR_ARG;
	for (size_t k = 0; k < n; k++)
		if (!item_exposure(&items[k]))
			return CORDON_ERR_ARG;
	for (size_t i = 0; i < sizeof(reporters) / sizeof(*reporters); i++)
		if (reporters[i]->format == o->format)
			return reporters[i]->write(out, o, items, n);
	return CORDON_ERR_ARG;
}
