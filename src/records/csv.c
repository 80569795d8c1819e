/* CSV records (RFC 4180): a header row, then rows of as many fields; quoted
 * fields may hold commas, doubled quotes and newlines; LF or CRLF. The
 * header names the columns that --field and policies select (exactly, by
 * name); its cells are scanned like any other. Every byte but the redacted
 * values stays as it was. A row with the wrong number of fields, an
 * unterminated quote or a stray quote is malformed. */
#include <stdlib.h>
#include <string.h>
#include "records/format.h"
#include "util/alloc.h"

struct column {
	char *name;  /* as read: what paths match */
	char *shown; /* as findings show it: masked when it holds personal data */
	size_t name_len, shown_len;
};

struct csv {
	int have_header;
	struct column *cols;
	size_t ncols, capcols;
	struct cordon_buf text; /* a quoted field, decoded */
	size_t *map;
	size_t map_cap;
	struct cordon_buf cell; /* an unquoted field, rewritten */
};

static void free_columns(struct column *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(cols[i].name);
		free(cols[i].shown);
	}
	free(cols);
}

static void csv_release(void *state)
{
	struct csv *c = state;
	if (!c)
		return;
	free_columns(c->cols, c->ncols);
	cordon_buf_release(&c->text);
	cordon_buf_release(&c->cell);
	free(c->map);
	free(c);
}

/* A record ends at the first newline outside quotes ("" counts twice).
 * With memchr: outside quotes, the next newline, and any quote before it;
 * inside, the closing quote. Each byte is looked at once or twice. */
static size_t csv_record_end(struct record_scan *sc, const char *rec, size_t len)
{
	size_t i = sc->seen;
	int q = sc->quoted;
	const char *nl = NULL; /* the next newline at or after i, once found */
	while (i < len) {
		if (q) {
			const char *close = memchr(rec + i, '"', len - i);
			if (!close) {
				i = len;
				break;
			}
			i = (size_t)(close - rec) + 1;
			q = 0;
			continue;
		}
		if (!nl || nl < rec + i)
			nl = memchr(rec + i, '\n', len - i);
		size_t upto = nl ? (size_t)(nl - rec) : len;
		const char *open = memchr(rec + i, '"', upto - i);
		if (open) {
			i = (size_t)(open - rec) + 1;
			q = 1;
			continue;
		}
		if (nl)
			return upto + 1;
		i = len;
	}
	sc->seen = len;
	sc->quoted = q;
	return 0;
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

/* Writes an unquoted field with findings replaced, quoting it when a
 * replacement (a restored value) holds a comma, a quote or a line break. */
static cordon_code write_unquoted(cordon_stream *st, struct csv *c, const struct field *f,
				  const struct cordon_finding *found, size_t n, struct cordon_buf *out)
{
	cordon_buf_reset(&c->cell);
	cordon_code rc = stream_field_write(st, f, found, n, ESCAPE_CSV, &c->cell);
	if (rc != CORDON_OK)
		return rc;
	int quote = 0;
	for (size_t i = 0; i < c->cell.len && !quote; i++)
		quote = c->cell.data[i] == ',' || c->cell.data[i] == '"' || c->cell.data[i] == '\r' ||
			c->cell.data[i] == '\n';
	if ((quote && cordon_buf_putc(out, '"')) || cordon_buf_append(out, c->cell.data, c->cell.len) ||
	    (quote && cordon_buf_putc(out, '"')))
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

/* Scans a field and, when writing, puts it with its findings replaced. */
static cordon_code scan_field(cordon_stream *st, struct csv *c, struct field *f, int quoted, size_t b, size_t e,
			      struct cordon_buf *out, size_t *copied, int *found_any)
{
	const struct cordon_finding *found;
	int n = stream_field_scan(st, f, &found);
	if (n < 0)
		return stream_scan_error(st);
	*found_any = n > 0;
	if (n == 0 || !stream_redacting(st))
		return CORDON_OK;
	if (cordon_buf_append(out, f->raw + *copied, b - *copied))
		return CORDON_ERR_NOMEM;
	*copied = e;
	return quoted ? stream_field_write(st, f, found, (size_t)n, ESCAPE_CSV, out)
		      : write_unquoted(st, c, f, found, (size_t)n, out);
}

/* Drops the cell rec[cs, ce) (quotes included) from the output with one
 * comma next to it: the one before, unless it went with a dropped cell
 * before it (or there is none), then the one after. A dropped column is
 * gone from every row and from the header, as a dropped JSON member is. */
static cordon_code drop_cell(const char *rec, size_t len, size_t cs, size_t ce, struct cordon_buf *out,
			     size_t *copied)
{
	if (cs > 0 && *copied <= cs - 1) {
		if (cordon_buf_append(out, rec + *copied, cs - 1 - *copied))
			return CORDON_ERR_NOMEM;
		*copied = ce;
		return CORDON_OK;
	}
	if (cordon_buf_append(out, rec + *copied, cs - *copied))
		return CORDON_ERR_NOMEM;
	*copied = ce < len && rec[ce] == ',' ? ce + 1 : ce;
	return CORDON_OK;
}

/* One data cell: note it as the record id, then apply its column's policy. */
static cordon_code cell(cordon_stream *st, struct csv *c, const char *rec, size_t len_of_record, size_t b,
			size_t e, int quoted, int escaped, size_t col, struct cordon_buf *out, size_t *copied)
{
	const struct column *k = &c->cols[col];
	if (escaped && decode(c, rec, b, e))
		return CORDON_ERR_NOMEM;
	const char *value = escaped ? (c->text.data ? c->text.data : "") : rec + b;
	size_t len = escaped ? c->text.len : e - b;
	if (stream_is_id_column(st, k->name, k->name_len))
		stream_set_id(st, value, len);
	cordon_field_action a = stream_column_action(st, k->name, k->name_len, 1);
	if (a == CORDON_FIELD_KEEP)
		return CORDON_OK;
	if (a == CORDON_FIELD_DROP)
		return drop_cell(rec, len_of_record, quoted ? b - 1 : b, quoted ? e + 1 : e, out, copied);
	if (a != CORDON_FIELD_SCAN) { /* tag, pseudonym: the whole cell */
		if (cordon_buf_append(out, rec + *copied, b - *copied))
			return CORDON_ERR_NOMEM;
		*copied = e;
		return stream_value_write(st, a, k->name, k->name_len, value, len, quoted ? ESCAPE_CSV : ESCAPE_NONE,
					  out);
	}
	struct field f = { .text = value, .len = len, .raw = rec, .map = escaped ? c->map : NULL, .base = b,
			   .column = k->shown, .column_len = k->shown_len };
	int any;
	return scan_field(st, c, &f, quoted, b, e, out, copied, &any);
}

/* A header cell: its name (as read) names the column; it is scanned too,
 * and shown masked in findings when it holds personal data. */
static cordon_code header_cell(cordon_stream *st, struct csv *c, const char *rec, size_t len_of_record, size_t b,
			       size_t e, int quoted, int escaped, struct cordon_buf *out, size_t *copied)
{
	if (ALLOC_GROW(c->cols, c->ncols + 1, c->capcols))
		return CORDON_ERR_NOMEM;
	struct column *k = &c->cols[c->ncols];
	memset(k, 0, sizeof(*k));
	if (decode(c, rec, b, e))
		return CORDON_ERR_NOMEM;
	if (!(k->name = malloc(c->text.len + 1)))
		return CORDON_ERR_NOMEM;
	c->ncols++;
	if (c->text.len)
		memcpy(k->name, c->text.data, c->text.len);
	k->name[c->text.len] = '\0';
	k->name_len = c->text.len;
	struct field f = { .text = k->name, .len = k->name_len, .raw = rec, .map = escaped ? c->map : NULL,
			   .base = b, .column = "{header}", .column_len = 8 };
	int any = 0;
	cordon_code rc;
	if (stream_redacting(st) && stream_column_action(st, k->name, k->name_len, 0) == CORDON_FIELD_DROP)
		rc = drop_cell(rec, len_of_record, quoted ? b - 1 : b, quoted ? e + 1 : e, out, copied);
	else
		rc = scan_field(st, c, &f, quoted, b, e, out, copied, &any);
	if (rc != CORDON_OK)
		return rc;
	/* shown: "{column N}" when the name itself is personal data */
	char label[32];
	int n = any ? snprintf(label, sizeof(label), "{column %zu}", c->ncols) : 0;
	k->shown = any ? strdup(label) : strdup(k->name);
	k->shown_len = any ? (size_t)n : k->name_len;
	return k->shown ? CORDON_OK : CORDON_ERR_NOMEM;
}

static cordon_code csv_process(cordon_stream *st, const char *rec, size_t len, struct cordon_buf *out)
{
	void **slot = stream_format_state(st);
	if (!*slot && !(*slot = calloc(1, sizeof(struct csv))))
		return CORDON_ERR_NOMEM;
	struct csv *c = *slot;
	int header = !c->have_header;
	size_t col = 0, i = 0, copied = 0;
	cordon_code rc = stream_binary(st, rec, len);
	if (rc != CORDON_OK)
		goto out;

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
		if (header)
			rc = header_cell(st, c, rec, len, b, e, quoted, escaped, out, &copied);
		else if (col < c->ncols)
			rc = cell(st, c, rec, len, b, e, quoted, escaped, col, out, &copied);
		if (rc != CORDON_OK)
			goto out;
		col++;
		if (i >= len)
			break;
		i++; /* ',' */
	}
	if (header) {
		c->have_header = 1;
	} else if (col != c->ncols) {
		rc = stream_fail(st, "%zu fields where the header has %zu", col, c->ncols);
		goto out;
	}
	if (stream_redacting(st) && cordon_buf_append(out, rec + copied, len - copied))
		rc = CORDON_ERR_NOMEM;
out:
	if (header && rc == CORDON_ERR_PARSE) {
		/* without its header no row can be read: stop, do not guess */
		char why[256];
		snprintf(why, sizeof(why), "%s", cordon_stream_error(st));
		rc = stream_fatal(st, "the CSV header is malformed (%s); no row can be read without it", why);
	}
	return rc;
}

static const char *const csv_suffixes[] = { ".csv", NULL };
const struct record_format format_csv = { "csv", csv_process, csv_release, csv_record_end, 1, csv_suffixes,
					  "CSV (RFC 4180) with a header row" };
