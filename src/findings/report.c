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

void report_put_safe(FILE *f, const char *s)
{
	const unsigned char *q = (const unsigned char *)(s ? s : "");
	while (*q >= 0x20 && *q != 0x7f)
		q++;
	if (!*q) { /* nothing to escape: the common case, at once */
		fwrite(s ? s : "", 1, (size_t)(q - (const unsigned char *)(s ? s : "")), f);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			putc(*p, f);
	}
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
