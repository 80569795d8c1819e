/* Text records: one record per line, the whole line is one field. */
#include "records/format.h"

static cordon_code text_process(cordon_stream *st, const char *rec, size_t len, struct cordon_buf *out)
{
	cordon_code rc = stream_binary(st, rec, len);
	if (rc != CORDON_OK)
		return rc;
	struct field f = { .text = rec, .len = len, .raw = rec };
	const struct cordon_finding *found;
	int n = stream_field_scan(st, &f, &found);
	if (n < 0)
		return stream_scan_error(st);
	if (!stream_redacting(st))
		return CORDON_OK;
	return stream_field_write(st, &f, found, (size_t)n, ESCAPE_NONE, out);
}

const struct record_format format_text = { "text", text_process, NULL, NULL, 0, NULL, "one record per line" };
