/* Elasticsearch / OpenSearch _bulk files: an action line followed, except
 * for delete, by a document line. One record is an action with its
 * document, so a bad one is quarantined whole and the output can still be
 * posted to _bulk.
 *
 * An action line is what the bulk grammar says and nothing else: an object
 * with exactly one key, index, create, update or delete, whose value is an
 * object of bulk metadata (_index, _id, routing, ...; keys written without
 * escapes). A line that is not one is a bad record, never passed through:
 * the line after a delete is an action, not a document, whatever its first
 * key. Every string of both lines is scanned, metadata values included (an
 * _id can be an e-mail address); in an update, "doc" and "upsert" are left
 * out of field paths, and in an action line the action's name. */
#include <stdlib.h>
#include <string.h>
#include "records/format.h"

enum action { ACTION_NONE, ACTION_INDEX, ACTION_CREATE, ACTION_UPDATE, ACTION_DELETE };

static const char *const actions[] = { "index", "create", "update", "delete", NULL };

/* The metadata the bulk API takes in an action (Elasticsearch 5-8,
 * OpenSearch 1-2). */
static const char *const metadata[] = {
	"_index", "_id", "_type", "routing", "_routing", "pipeline", "require_alias", "require_data_stream",
	"if_seq_no", "if_primary_term", "version", "_version", "version_type", "_version_type",
	"retry_on_conflict", "_retry_on_conflict", "dynamic_templates", "list_executed_pipelines", "_source",
	"parent", "_parent", "op_type", NULL,
};

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i;
}

/* The key at s[i] ('"'), if it is written without escapes and is one of
 * names: its index; -1 otherwise. *next: after the closing quote. */
static int key_in(const char *s, size_t len, size_t i, const char *const *names, size_t *next)
{
	if (i >= len || s[i] != '"')
		return -1;
	size_t b = ++i;
	while (i < len && s[i] != '"' && s[i] != '\\')
		i++;
	if (i >= len || s[i] != '"')
		return -1;
	*next = i + 1;
	for (int k = 0; names[k]; k++)
		if (strlen(names[k]) == i - b && !memcmp(s + b, names[k], i - b))
			return k;
	return -1;
}

/* Skips one JSON value at s[i] (checked for validity later, by the JSON
 * parser): the index after it, or len when it does not end. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	size_t depth = 0;
	int in_string = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"') {
				in_string = 0;
				if (!depth)
					return i + 1;
			}
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return i; /* a scalar ends at its container's close */
			if (!--depth)
				return i + 1;
		} else if (!depth && (c == ',' || c == ' ' || c == '\t' || c == '\r')) {
			return i;
		}
	}
	return len;
}

/* The action of an action line as the grammar has it, or ACTION_NONE. */
static enum action action_line(const char *s, size_t len)
{
	size_t i = skip_ws(s, len, 0), next;
	if (i >= len || s[i] != '{')
		return ACTION_NONE;
	i = skip_ws(s, len, i + 1);
	int a = key_in(s, len, i, actions, &next);
	if (a < 0)
		return ACTION_NONE;
	i = skip_ws(s, len, next);
	if (i >= len || s[i] != ':')
		return ACTION_NONE;
	i = skip_ws(s, len, i + 1);
	if (i >= len || s[i] != '{')
		return ACTION_NONE;
	i = skip_ws(s, len, i + 1);
	if (i < len && s[i] == '}') {
		i++;
	} else {
		for (;;) {
			if (key_in(s, len, i, metadata, &next) < 0)
				return ACTION_NONE;
			i = skip_ws(s, len, next);
			if (i >= len || s[i] != ':')
				return ACTION_NONE;
			i = skip_value(s, len, skip_ws(s, len, i + 1));
			i = skip_ws(s, len, i);
			if (i < len && s[i] == ',') {
				i = skip_ws(s, len, i + 1);
				continue;
			}
			if (i < len && s[i] == '}') {
				i++;
				break;
			}
			return ACTION_NONE;
		}
	}
	i = skip_ws(s, len, i);
	if (i >= len || s[i] != '}')
		return ACTION_NONE;
	return skip_ws(s, len, i + 1) == len ? (enum action)(a + 1) : ACTION_NONE;
}

/* A record is an action line and, for index, create and update, the next
 * line. Any other line is a record alone (a bad one, unless blank). */
static size_t bulk_record_end(struct record_scan *sc, const char *rec, size_t len)
{
	size_t i = sc->seen;
	for (;;) {
		const char *nl = i < len ? memchr(rec + i, '\n', len - i) : NULL;
		if (!nl) {
			sc->seen = len;
			return 0;
		}
		size_t end = (size_t)(nl - rec) + 1;
		if (++sc->lines == 1) {
			enum action a = sc->head_lost ? ACTION_NONE : action_line(rec, end - 1);
			sc->need = a == ACTION_NONE || a == ACTION_DELETE ? 1 : 2;
		}
		if (sc->lines >= sc->need)
			return end;
		i = end;
	}
}

static cordon_code bulk_process(cordon_stream *st, const char *rec, size_t len, struct cordon_buf *out)
{
	cordon_code rc = stream_binary(st, rec, len);
	if (rc != CORDON_OK)
		return rc;
	void **slot = stream_format_state(st);
	const char *nl = memchr(rec, '\n', len);
	size_t action_len = nl ? (size_t)(nl - rec) : len;
	if (skip_ws(rec, len, 0) == len) { /* a blank line passes as it is */
		if (stream_redacting(st) && cordon_buf_append(out, rec, len))
			return CORDON_ERR_NOMEM;
		return CORDON_OK;
	}
	size_t body = action_len;
	if (body && rec[body - 1] == '\r')
		body--;
	enum action a = action_line(rec, body);
	if (a == ACTION_NONE)
		return stream_fail(st, "not a bulk action line: an object with one key (index, create, update or "
				       "delete) whose value is an object of bulk metadata");
	if (a == ACTION_DELETE && nl)
		return stream_fail(st, "a delete action has no document");
	if (a != ACTION_DELETE && !nl)
		return stream_fail(st, "the %s action has no document line", actions[a - 1]);
	/* the action line, its strings scanned (an _id may be personal data) */
	rc = json_record(st, slot, rec, 0, body, out, JSON_REDACT, actions);
	if (rc != CORDON_OK || a == ACTION_DELETE)
		return rc;
	size_t doc = action_len + 1;
	if (skip_ws(rec, len, doc) == len)
		return stream_fail(st, "the document line is empty");
	if (stream_redacting(st) && cordon_buf_append(out, rec + body, doc - body))
		return CORDON_ERR_NOMEM;
	static const char *const update_roots[] = { "doc", "upsert", NULL };
	return json_record(st, slot, rec, doc, len, out, JSON_REDACT, a == ACTION_UPDATE ? update_roots : NULL);
}

const struct record_format format_es_bulk = { "es-bulk", bulk_process, json_state_release, bulk_record_end, 0, NULL,
					      "Elasticsearch/OpenSearch _bulk: action lines and documents" };
