/* Elasticsearch / OpenSearch _bulk files: an action line ({"index":...},
 * {"create":...}, {"update":...}, {"delete":...}) followed, except for delete,
 * by a document line. One record is an action with its document, so a bad one
 * is quarantined whole and the output can still be posted to _bulk. Action
 * lines pass unchanged (but must be valid JSON); documents are redacted like
 * JSON lines; in an update, "doc" and "upsert" are left out of field paths. */
#include <stdlib.h>
#include <string.h>
#include "detect/text.h"
#include "records/format.h"

enum action { ACTION_NONE, ACTION_INDEX, ACTION_CREATE, ACTION_UPDATE, ACTION_DELETE };

/* The action an action line names: its first key. */
static enum action action_of(const char *rec, size_t len)
{
	static const struct { const char *name; enum action a; } names[] = {
		{ "index", ACTION_INDEX }, { "create", ACTION_CREATE },
		{ "update", ACTION_UPDATE }, { "delete", ACTION_DELETE },
	};
	size_t i = 0;
	while (i < len && (rec[i] == ' ' || rec[i] == '\t'))
		i++;
	if (i >= len || rec[i++] != '{')
		return ACTION_NONE;
	while (i < len && (rec[i] == ' ' || rec[i] == '\t'))
		i++;
	if (i >= len || rec[i++] != '"')
		return ACTION_NONE;
	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++) {
		size_t n = strlen(names[k].name);
		if (len - i > n && !memcmp(rec + i, names[k].name, n) && rec[i + n] == '"')
			return names[k].a;
	}
	return ACTION_NONE;
}

static int bulk_complete(cordon_stream *st, const char *rec, size_t len)
{
	(void)st;
	if (memchr(rec, '\n', len))
		return 1; /* action and document */
	enum action a = action_of(rec, len);
	return a == ACTION_NONE || a == ACTION_DELETE;
}

static cordon_code bulk_process(cordon_stream *st, const char *rec, size_t len,
				struct cordon_buf *out)
{
	void **slot = stream_format_state(st);
	const char *nl = memchr(rec, '\n', len);
	size_t action_len = nl ? (size_t)(nl - rec) : len;
	size_t blank = 0;
	while (blank < len && (rec[blank] == ' ' || rec[blank] == '\t'))
		blank++;
	if (blank == len) { /* a blank line passes as it is */
		if (stream_redacting(st) && cordon_buf_append(out, rec, len))
			return CORDON_ERR_NOMEM;
		return CORDON_OK;
	}
	enum action a = action_of(rec, action_len);
	if (a == ACTION_NONE)
		return stream_fail(st, "not a bulk action line (index, create, update or delete)");
	size_t body = action_len;
	if (body && rec[body - 1] == '\r')
		body--;
	cordon_code rc = json_record(st, slot, rec, 0, body, NULL, JSON_VALIDATE, NULL);
	if (rc != CORDON_OK)
		return rc;
	if (a == ACTION_DELETE) {
		if (nl)
			return stream_fail(st, "a delete action has no document");
		if (stream_redacting(st) && cordon_buf_append(out, rec, len))
			return CORDON_ERR_NOMEM;
		return CORDON_OK;
	}
	if (!nl)
		return stream_fail(st, "the action has no document line");
	size_t doc = action_len + 1;
	if (doc >= len)
		return stream_fail(st, "the document line is empty");
	if (stream_redacting(st) && cordon_buf_append(out, rec, doc))
		return CORDON_ERR_NOMEM;
	static const char *const update_roots[] = { "doc", "upsert", NULL };
	return json_record(st, slot, rec, doc, len, out, JSON_REDACT,
			   a == ACTION_UPDATE ? update_roots : NULL);
}

/* Walks lines: an action that takes a document joins the next line. */
static size_t bulk_boundary(const char *data, size_t len, uint64_t *records)
{
	size_t i = 0, end = 0;
	uint64_t n = 0;
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		if (!nl)
			break;
		size_t line_end = (size_t)(nl - data) + 1;
		if (!bulk_complete(NULL, data + i, line_end - 1 - i)) {
			if (line_end >= len)
				break;
			nl = memchr(data + line_end, '\n', len - line_end);
			if (!nl)
				break;
			line_end = (size_t)(nl - data) + 1;
		}
		i = end = line_end;
		n++;
	}
	*records = n;
	return end;
}

const struct record_format format_es_bulk = { "es-bulk", bulk_process, json_state_release,
					      bulk_complete, bulk_boundary, 0 };
