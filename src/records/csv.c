/* CSV records (RFC 4180): a header row, then rows of as many fields; quoted
 * fields may hold commas, doubled quotes and newlines; LF or CRLF. The header
 * passes unchanged and names the columns `--field` selects. Every byte but the
 * redacted values stays as it was. A row with the wrong number of fields, an
 * unterminated quote or a stray quote is malformed. */
#include <stdlib.h>
#include <string.h>
#include "records/format.h"
#include "util/alloc.h"

struct csv {
	/* csv_complete's progress on the record being joined, so that joining n
	 * lines costs O(record), not O(record * n) */
	const char *joining;
	size_t joined, quotes;
	int have_header;
	size_t ncols;
	char **names;
	struct cordon_buf text;
	size_t *map;
	size_t map_cap;
};

static void csv_release(void *state)
{
	struct csv *c = state;
	if (!c)
		return;
	for (size_t i = 0; i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	cordon_buf_release(&c->text);
	free(c->map);
	free(c);
}

static struct csv *csv_state(cordon_stream *st)
{
	void **state = stream_format_state(st);
	if (!*state)
		*state = calloc(1, sizeof(struct csv));
	return *state;
}

/* A record is whole when its quotes pair up ("" inside a field counts twice). */
static int csv_complete(cordon_stream *st, const char *rec, size_t len)
{
	struct csv *c = csv_state(st);
	size_t from = 0, quotes = 0;
	if (c && c->joining == rec && c->joined <= len) { /* the same record, grown */
		from = c->joined;
		quotes = c->quotes;
	}
	for (const char *p = rec + from; (p = memchr(p, '"', len - (size_t)(p - rec))); p++)
		quotes++;
	if (c) {
		c->joining = rec;
		c->joined = len;
		c->quotes = quotes;
	}
	return quotes % 2 == 0;
}

/* Unescapes a quoted field's content ("" -> ") with its raw offsets. */
static int decode(struct csv *c, const char *rec, size_t b, size_t e)
{
	cordon_buf_reset(&c->text);
	if (ALLOC_GROW(c->map, e - b + 1, c->map_cap))
		return -1;
	for (size_t i = b; i < e; i++) {
		c->map[c->text.len] = i;
		if (cordon_buf_putc(&c->text, rec[i]))
			return -1;
		if (rec[i] == '"')
			i++; /* the second quote of a pair */
	}
	c->map[c->text.len] = e;
	return 0;
}

/* One data cell: note it as the record id, then apply its field's policy. */
static cordon_code cell(cordon_stream *st, struct csv *c, const char *rec, size_t b, size_t e,
			int quoted, int escaped, size_t col, struct cordon_buf *out, size_t *copied)
{
	const char *name = c->names[col];
	if (escaped && decode(c, rec, b, e))
		return CORDON_ERR_NOMEM;
	const char *value = escaped ? c->text.data : rec + b;
	size_t len = escaped ? c->text.len : e - b;
	if (stream_is_id_field(st, name))
		stream_set_id(st, value, len);
	cordon_field_action a = stream_field_action(st, name);
	enum field_escape esc = quoted ? ESCAPE_CSV : ESCAPE_NONE;
	if (a == CORDON_FIELD_KEEP)
		return CORDON_OK;
	if (a != CORDON_FIELD_SCAN) {
		if (!stream_redacting(st))
			return CORDON_OK;
		if (cordon_buf_append(out, rec + *copied, b - *copied))
			return CORDON_ERR_NOMEM;
		*copied = e; /* drop: the cell is left empty */
		return a == CORDON_FIELD_DROP ? CORDON_OK
					      : stream_value_write(st, a, name, value, len, esc, out);
	}
	struct field f = { value, len, rec, escaped ? c->map : NULL, b, name };
	const struct cordon_finding *found;
	int n = stream_field_scan(st, &f, &found);
	if (n < 0)
		return stream_scan_error(st);
	if (n == 0 || !stream_redacting(st))
		return CORDON_OK;
	if (cordon_buf_append(out, rec + *copied, b - *copied))
		return CORDON_ERR_NOMEM;
	*copied = e;
	return stream_field_write(st, &f, found, (size_t)n, esc, out);
}

static cordon_code csv_process(cordon_stream *st, const char *rec, size_t len,
			       struct cordon_buf *out)
{
	struct csv *c = csv_state(st);
	if (!c)
		return CORDON_ERR_NOMEM;
	c->joining = NULL; /* the next record starts afresh */
	int header = !c->have_header;
	size_t col = 0, i = 0, copied = 0;
	char **names = NULL;
	size_t nnames = 0;
	cordon_code rc = CORDON_OK;

	for (;;) {
		size_t b, e;
		int quoted = i < len && rec[i] == '"', escaped = 0;
		if (quoted) {
			b = ++i;
			for (;;) {
				if (i >= len) {
					rc = stream_fail(st, "unterminated quoted field %zu", col + 1);
					goto out;
				}
				if (rec[i] == '"') {
					if (i + 1 < len && rec[i + 1] == '"') {
						escaped = 1;
						i += 2;
						continue;
					}
					break;
				}
				i++;
			}
			e = i++;
			if (i < len && rec[i] != ',') {
				rc = stream_fail(st, "text after the closing quote of field %zu", col + 1);
				goto out;
			}
		} else {
			b = i;
			while (i < len && rec[i] != ',') {
				if (rec[i] == '"') {
					rc = stream_fail(st, "quote inside unquoted field %zu", col + 1);
					goto out;
				}
				i++;
			}
			e = i;
		}

		if (header) {
			char **grown = realloc(names, (nnames + 1) * sizeof(*names));
			if (!grown) {
				rc = CORDON_ERR_NOMEM;
				goto out;
			}
			names = grown;
			if ((rc = decode(c, rec, b, e)) != CORDON_OK ||
			    !(names[nnames] = strndup(c->text.data ? c->text.data : "", c->text.len))) {
				rc = CORDON_ERR_NOMEM;
				goto out;
			}
			nnames++;
		} else if (col < c->ncols) {
			rc = cell(st, c, rec, b, e, quoted, escaped, col, out, &copied);
			if (rc != CORDON_OK)
				goto out;
		}
		col++;
		if (i >= len)
			break;
		i++; /* ',' */
	}
	if (header) {
		c->names = names;
		c->ncols = nnames;
		c->have_header = 1;
		names = NULL;
		nnames = 0;
	} else if (col != c->ncols) {
		rc = stream_fail(st, "%zu fields where the header has %zu", col, c->ncols);
		goto out;
	}
	if (stream_redacting(st) && cordon_buf_append(out, rec + copied, len - copied))
		rc = CORDON_ERR_NOMEM;
out:
	for (size_t k = 0; k < nnames; k++)
		free(names[k]);
	free(names);
	return rc;
}

/* The last newline outside quotes: quotes pair up from a record start. */
static size_t csv_boundary(const char *data, size_t len, uint64_t *records)
{
	size_t end = 0;
	uint64_t n = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (data[i] == '\n' && !quoted)
			end = i + 1, n++;
	}
	*records = n;
	return end;
}

const struct record_format format_csv = { "csv", csv_process, csv_release, csv_complete,
					  csv_boundary, 1 };
