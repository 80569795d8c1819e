/* JSON lines: one JSON value per line (RFC 8259, strict: valid UTF-8, no lone
 * surrogates, no trailing commas). Strings are decoded (\uXXXX included)
 * before detection, object keys as well as values: a key can hold personal
 * data (a map keyed by e-mail address). A number is scanned as its digits
 * (a card number stored as a number), and written as a string when a part of
 * it is replaced. Output keeps every byte outside a redacted value as it
 * was, so spacing, number spelling and key order survive, and each line is
 * valid JSON. Paths are lists of keys (format.h), never cut. */
#include <stdlib.h>
#include <string.h>
#include "detect/text.h"
#include "records/format.h"
#include "util/alloc.h"
#include "util/utf8.h"

enum { MAX_DEPTH = 512 };

struct json {
	cordon_stream *st;
	enum json_mode mode;
	const char *const *transparent; /* top-level keys left out of paths */
	int dropping;                   /* inside a member being dropped */
	const uchar *s;
	size_t len, i;
	int depth;
	struct cordon_buf *out; /* NULL when scanning only */
	size_t copied;          /* raw bytes up to here are in out */
	struct field_path path;
	struct cordon_buf shown; /* a key as findings show it (masked) */
	struct clean_keys *clean; /* keys known to hold nothing */
	struct cordon_buf text; /* decoded string */
	size_t *map;            /* raw offset of each decoded byte */
	size_t map_cap;
};

static cordon_code fail(struct json *j, const char *what)
{
	return stream_fail(j->st, "invalid JSON at byte %zu: %s", j->i + 1, what);
}

static void skip_ws(struct json *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\r' ||
				 j->s[j->i] == '\n'))
		j->i++;
}

static int hex4(const uchar *s, size_t len, size_t i, unsigned *v)
{
	if (i + 4 > len)
		return 0;
	*v = 0;
	for (int k = 0; k < 4; k++) {
		if (!is_hex(s[i + k]))
			return 0;
		*v = *v << 4 | (unsigned)hex_value(s[i + k]);
	}
	return 1;
}

static int push_decoded(struct json *j, const char *bytes, size_t n, size_t raw)
{
	if (ALLOC_GROW(j->map, j->text.len + n + 1, j->map_cap))
		return -1;
	for (size_t k = 0; k < n; k++)
		j->map[j->text.len + k] = raw;
	return cordon_buf_append(&j->text, bytes, n);
}

static size_t put_utf8(unsigned cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Validates the string at j->i ('"'); sets [*b, *e) to its raw content and
 * *escaped when it holds escapes. Leaves j->i after the closing quote. */
static cordon_code string_span(struct json *j, size_t *b, size_t *e, int *escaped)
{
	const uchar *s = j->s;
	size_t i = j->i + 1;
	*b = i;
	*escaped = 0;
	for (;;) {
		/* fast path: plain ASCII */
		while (i < j->len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
			i++;
		if (i >= j->len) {
			j->i = i;
			return fail(j, "unterminated string");
		}
		uchar c = s[i];
		if (c == '"')
			break;
		if (c < 0x20) {
			j->i = i;
			return fail(j, "control character in string");
		}
		if (c == '\\') {
			*escaped = 1;
			uchar n = i + 1 < j->len ? s[i + 1] : 0;
			unsigned v;
			if (n && strchr("\"\\/bfnrt", n)) {
				i += 2;
			} else if (n == 'u' && hex4(s, j->len, i + 2, &v)) {
				if (v >= 0xDC00 && v <= 0xDFFF) {
					j->i = i;
					return fail(j, "unpaired surrogate escape");
				}
				if (v >= 0xD800 && v <= 0xDBFF) {
					unsigned w;
					if (i + 7 >= j->len || s[i + 6] != '\\' || s[i + 7] != 'u' ||
					    !hex4(s, j->len, i + 8, &w) || w < 0xDC00 || w > 0xDFFF) {
						j->i = i;
						return fail(j, "unpaired surrogate escape");
					}
					i += 12;
				} else {
					i += 6;
				}
			} else {
				j->i = i;
				return fail(j, "invalid escape");
			}
			continue;
		}
		size_t n = utf8_at(s, j->len, i);
		if (!n) {
			j->i = i;
			return fail(j, "invalid UTF-8");
		}
		i += n;
	}
	*e = i;
	j->i = i + 1;
	return CORDON_OK;
}

/* Decodes a validated string content into j->text with its offset map. */
static cordon_code decode(struct json *j, size_t b, size_t e)
{
	const uchar *s = j->s;
	cordon_buf_reset(&j->text);
	for (size_t i = b; i < e;) {
		char tmp[4];
		size_t n, raw = i;
		if (s[i] != '\\') {
			size_t r = i;
			while (r < e && s[r] != '\\')
				r++;
			for (size_t k = i; k < r; k++)
				if (push_decoded(j, (const char *)s + k, 1, k))
					return CORDON_ERR_NOMEM;
			i = r;
			continue;
		}
		uchar c = s[i + 1];
		unsigned v = 0; /* the parser checked the escapes */
		switch (c) {
		case 'b': tmp[0] = '\b'; n = 1; i += 2; break;
		case 'f': tmp[0] = '\f'; n = 1; i += 2; break;
		case 'n': tmp[0] = '\n'; n = 1; i += 2; break;
		case 'r': tmp[0] = '\r'; n = 1; i += 2; break;
		case 't': tmp[0] = '\t'; n = 1; i += 2; break;
		case 'u':
			hex4(s, e, i + 2, &v);
			i += 6;
			if (v >= 0xD800 && v <= 0xDBFF) {
				unsigned w = 0xDC00;
				hex4(s, e, i + 2, &w);
				v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
				i += 6;
			}
			n = put_utf8(v, tmp);
			break;
		default: tmp[0] = (char)c; n = 1; i += 2; break;
		}
		if (push_decoded(j, tmp, n, raw))
			return CORDON_ERR_NOMEM;
	}
	if (push_decoded(j, "", 0, e))
		return CORDON_ERR_NOMEM;
	j->map[j->text.len] = e;
	return CORDON_OK;
}

/* Copies raw bytes up to pos to the output, then skips to resume. */
static cordon_code splice(struct json *j, size_t pos, size_t resume)
{
	if (cordon_buf_append(j->out, j->s + j->copied, pos - j->copied))
		return CORDON_ERR_NOMEM;
	j->copied = resume;
	return CORDON_OK;
}

/* The last key of the path, for a whole-value token's label. */
static void last_key(const struct json *j, const char **key, size_t *len)
{
	const struct field_path *p = &j->path;
	*key = "";
	*len = 0;
	if (!p->depth)
		return;
	/* the last key's encoding starts at its mark: LEB128 length, bytes */
	size_t at = p->marks[p->depth - 1].enc, n = 0;
	unsigned shift = 0;
	while (at < p->enc.len) {
		unsigned char c = (unsigned char)p->enc.data[at++];
		n |= (size_t)(c & 0x7f) << shift;
		shift += 7;
		if (!(c & 0x80))
			break;
	}
	*key = p->enc.data + at;
	*len = n;
}

/* A whole scalar replaced by a policy's tag or pseudonym, as a JSON string. */
static cordon_code replace_whole(struct json *j, cordon_field_action a, size_t b, size_t e, const char *value,
				 size_t len, int quoted)
{
	const char *key;
	size_t klen;
	last_key(j, &key, &klen);
	cordon_code rc = splice(j, b, e);
	if (rc == CORDON_OK && !quoted && cordon_buf_putc(j->out, '"'))
		rc = CORDON_ERR_NOMEM;
	if (rc == CORDON_OK)
		rc = stream_value_write(j->st, a, key, klen, value, len, ESCAPE_JSON, j->out);
	if (rc == CORDON_OK && !quoted && cordon_buf_putc(j->out, '"'))
		rc = CORDON_ERR_NOMEM;
	return rc;
}

/* Scans a decoded string (or a number's text) and, when writing, puts it
 * with its findings replaced; a number with findings becomes a string. */
static cordon_code scan_scalar(struct json *j, struct field *f, size_t b, size_t e, int quoted, int *found_any)
{
	const struct cordon_finding *found;
	int n = stream_field_scan(j->st, f, &found);
	if (n < 0)
		return stream_scan_error(j->st);
	*found_any = n > 0;
	if (n == 0 || !j->out)
		return CORDON_OK;
	if (cordon_buf_append(j->out, j->s + j->copied, b - j->copied) || (!quoted && cordon_buf_putc(j->out, '"')))
		return CORDON_ERR_NOMEM;
	cordon_code rc = stream_field_write(j->st, f, found, (size_t)n, ESCAPE_JSON, j->out);
	if (rc == CORDON_OK && !quoted && cordon_buf_putc(j->out, '"'))
		rc = CORDON_ERR_NOMEM;
	j->copied = e;
	return rc;
}

static cordon_code string_value(struct json *j)
{
	size_t b, e;
	int escaped;
	cordon_code rc = string_span(j, &b, &e, &escaped);
	if (rc != CORDON_OK)
		return rc;
	if (j->mode == JSON_VALIDATE || j->dropping)
		return CORDON_OK;
	if (escaped && (rc = decode(j, b, e)) != CORDON_OK)
		return rc;
	struct field f = { .text = (const char *)j->s + b, .len = e - b, .raw = (const char *)j->s, .base = b,
			   .path = &j->path, .utf8 = 1 };
	if (escaped) {
		f.text = j->text.data ? j->text.data : "";
		f.len = j->text.len;
		f.map = j->map;
	}
	if (stream_is_id_path(j->st, &j->path))
		stream_set_id(j->st, f.text, f.len);
	cordon_field_action action = stream_path_action(j->st, &j->path, 0);
	if (action == CORDON_FIELD_KEEP || action == CORDON_FIELD_DROP)
		return CORDON_OK;
	if (action != CORDON_FIELD_SCAN)
		return j->out ? replace_whole(j, action, b, e, f.text, f.len, 1) : CORDON_OK;
	int any;
	return scan_scalar(j, &f, b, e, 1, &any);
}

static cordon_code value(struct json *j);

/* A key as findings show it: each finding masked, '.' and '\' escaped. */
static int shown_key(struct json *j, const struct field *f, const struct cordon_finding *found, size_t n)
{
	char mask[96];
	size_t prev = 0;
	cordon_buf_reset(&j->shown);
	for (size_t k = 0; k <= n; k++) {
		size_t upto = k < n ? found[k].start : f->len;
		for (size_t i = prev; i < upto; i++)
			if (((f->text[i] == '.' || f->text[i] == '\\') && cordon_buf_putc(&j->shown, '\\')) ||
			    cordon_buf_putc(&j->shown, f->text[i]))
				return -1;
		if (k == n)
			break;
		cordon_finding_mask(f->text, &found[k], mask, sizeof(mask));
		if (cordon_buf_puts(&j->shown, mask))
			return -1;
		prev = found[k].end;
	}
	return 0;
}

/* Keys seen with nothing in them. Records of one export share their keys,
 * and a key scanned alone finds the same whatever record it is in, so each
 * is scanned once: the cost of scanning keys is then about nothing. Exact
 * (the bytes are kept, not only a hash); emptied when full. */
enum { CLEAN_SLOTS = 1024, CLEAN_KEY_MAX = 64 };
struct clean_keys {
	unsigned char len[CLEAN_SLOTS];
	char key[CLEAN_SLOTS][CLEAN_KEY_MAX];
	size_t used;
};

static size_t clean_slot(const char *k, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h & (CLEAN_SLOTS - 1);
}

static int clean_known(const struct clean_keys *c, const char *k, size_t n)
{
	if (!c || !n || n > CLEAN_KEY_MAX)
		return 0;
	for (size_t s = clean_slot(k, n), probes = 0; probes < 8; s = (s + 1) & (CLEAN_SLOTS - 1), probes++) {
		if (!c->len[s])
			return 0;
		if (c->len[s] == n && !memcmp(c->key[s], k, n))
			return 1;
	}
	return 0;
}

static void clean_add(struct clean_keys *c, const char *k, size_t n)
{
	if (!c || !n || n > CLEAN_KEY_MAX)
		return;
	if (c->used >= CLEAN_SLOTS / 2) {
		memset(c->len, 0, sizeof(c->len));
		c->used = 0;
	}
	for (size_t s = clean_slot(k, n), probes = 0; probes < 8; s = (s + 1) & (CLEAN_SLOTS - 1), probes++)
		if (!c->len[s]) {
			c->len[s] = (unsigned char)n;
			memcpy(c->key[s], k, n);
			c->used++;
			return;
		}
}

/* A member's key: pushed on the path, scanned when its member is (a key
 * can be personal data too), and written with its findings replaced. */
static cordon_code member_key(struct json *j, size_t b, size_t e, int escaped, int transparent, int *drop)
{
	cordon_code rc;
	*drop = 0;
	if (transparent) /* left out of paths ("doc" of an update) */
		return CORDON_OK;
	if (escaped && (rc = decode(j, b, e)) != CORDON_OK)
		return rc;
	struct field f = { .text = (const char *)j->s + b, .len = e - b, .raw = (const char *)j->s, .base = b,
			   .path = &j->path, .utf8 = 1, .is_key = 1 };
	if (escaped) {
		f.text = j->text.data ? j->text.data : "";
		f.len = j->text.len;
		f.map = j->map;
	}
	if (field_path_push(&j->path, f.text, f.len))
		return CORDON_ERR_NOMEM;
	if (j->mode == JSON_VALIDATE || j->dropping)
		return CORDON_OK;
	/* what the member is to get decides whether its key is looked at */
	cordon_field_action action = stream_path_action(j->st, &j->path, 1);
	*drop = action == CORDON_FIELD_DROP && j->out;
	if (action == CORDON_FIELD_KEEP || action == CORDON_FIELD_DROP || clean_known(j->clean, f.text, f.len))
		return CORDON_OK;
	const struct cordon_finding *found;
	int n = stream_field_scan(j->st, &f, &found);
	if (n < 0)
		return stream_scan_error(j->st);
	if (n == 0) {
		if (!j->clean)
			j->clean = calloc(1, sizeof(*j->clean)); /* none: no cache, no harm */
		clean_add(j->clean, f.text, f.len);
		return CORDON_OK;
	}
	if (shown_key(j, &f, found, (size_t)n) || field_path_show(&j->path, j->shown.data, j->shown.len))
		return CORDON_ERR_NOMEM;
	if (j->out) {
		if (cordon_buf_append(j->out, j->s + j->copied, b - j->copied))
			return CORDON_ERR_NOMEM;
		if ((rc = stream_field_write(j->st, &f, found, (size_t)n, ESCAPE_JSON, j->out)) != CORDON_OK)
			return rc;
		j->copied = e;
	}
	return CORDON_OK;
}

/* Objects. A member whose path has the drop policy is removed with one comma:
 * the one before it when a kept member precedes it, else the one after it,
 * so the object stays valid JSON whatever members go. */
static cordon_code object(struct json *j)
{
	j->i++; /* '{' */
	skip_ws(j);
	if (j->i < j->len && j->s[j->i] == '}') {
		j->i++;
		return CORDON_OK;
	}
	int kept_before = 0;
	size_t comma = 0; /* the comma before this member */
	for (;;) {
		skip_ws(j);
		if (j->i >= j->len || j->s[j->i] != '"')
			return fail(j, "expected a key");
		size_t member = j->i, b, e;
		int escaped;
		cordon_code rc = string_span(j, &b, &e, &escaped);
		if (rc != CORDON_OK)
			return rc;
		int transparent = 0;
		if (j->depth == 1 && j->transparent)
			for (const char *const *t = j->transparent; *t; t++)
				transparent |= !escaped && strlen(*t) == e - b && !memcmp(*t, j->s + b, e - b);
		skip_ws(j);
		if (j->i >= j->len || j->s[j->i] != ':')
			return fail(j, "expected ':'");
		j->i++;
		int drop;
		if ((rc = member_key(j, b, e, escaped, transparent, &drop)) != CORDON_OK)
			return rc;
		j->dropping += drop;
		rc = value(j);
		j->dropping -= drop;
		if (!transparent)
			field_path_pop(&j->path);
		if (rc != CORDON_OK)
			return rc;
		size_t end = j->i;
		skip_ws(j);
		int more = j->i < j->len && j->s[j->i] == ',';
		size_t next_comma = j->i;
		if (more) {
			j->i++;
			skip_ws(j);
		}
		if (drop && j->out) {
			if (kept_before)
				rc = splice(j, comma, end);
			else if (more)
				rc = splice(j, member, j->i);
			else
				rc = splice(j, member, end);
			if (rc != CORDON_OK)
				return rc;
		}
		kept_before |= !drop;
		comma = next_comma;
		if (more)
			continue;
		if (j->i < j->len && j->s[j->i] == '}') {
			j->i++;
			return CORDON_OK;
		}
		return fail(j, "expected ',' or '}'");
	}
}

static cordon_code array(struct json *j)
{
	j->i++; /* '[' */
	skip_ws(j);
	if (j->i < j->len && j->s[j->i] == ']') {
		j->i++;
		return CORDON_OK;
	}
	for (;;) {
		cordon_code rc = value(j);
		if (rc != CORDON_OK)
			return rc;
		skip_ws(j);
		if (j->i < j->len && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->len && j->s[j->i] == ']') {
			j->i++;
			return CORDON_OK;
		}
		return fail(j, "expected ',' or ']'");
	}
}

static cordon_code number(struct json *j)
{
	const uchar *s = j->s;
	size_t i = j->i;
	if (i < j->len && s[i] == '-')
		i++;
	if (i < j->len && s[i] == '0')
		i++;
	else if (i < j->len && s[i] >= '1' && s[i] <= '9')
		while (i < j->len && is_digit(s[i]))
			i++;
	else
		return fail(j, "invalid number");
	if (i < j->len && s[i] == '.') {
		i++;
		if (i >= j->len || !is_digit(s[i]))
			return fail(j, "invalid number");
		while (i < j->len && is_digit(s[i]))
			i++;
	}
	if (i < j->len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < j->len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= j->len || !is_digit(s[i]))
			return fail(j, "invalid number");
		while (i < j->len && is_digit(s[i]))
			i++;
	}
	size_t b = j->i;
	j->i = i;
	if (j->mode != JSON_REDACT || j->dropping)
		return CORDON_OK;
	struct field f = { .text = (const char *)s + b, .len = i - b, .raw = (const char *)s, .base = b,
			   .path = &j->path, .utf8 = 1 };
	if (stream_is_id_path(j->st, &j->path))
		stream_set_id(j->st, f.text, f.len);
	cordon_field_action a = stream_path_action(j->st, &j->path, 0);
	if (a == CORDON_FIELD_KEEP || a == CORDON_FIELD_DROP)
		return CORDON_OK;
	if (a != CORDON_FIELD_SCAN)
		return j->out ? replace_whole(j, a, b, i, f.text, f.len, 0) : CORDON_OK;
	/* a card or phone number stored as a number is still one; with fewer
	 * than 7 digits it is none of the built-in entities */
	size_t digits = 0;
	for (size_t k = b; k < i && digits < 7; k++)
		digits += is_digit(s[k]);
	if (digits < 7 && !stream_has_rules(j->st))
		return CORDON_OK;
	int any;
	return scan_scalar(j, &f, b, i, 0, &any);
}

static cordon_code literal(struct json *j, const char *word)
{
	size_t n = strlen(word);
	if (j->len - j->i < n || memcmp(j->s + j->i, word, n))
		return fail(j, "unexpected character");
	j->i += n;
	return CORDON_OK;
}

static cordon_code value(struct json *j)
{
	skip_ws(j);
	if (j->i >= j->len)
		return fail(j, "expected a value");
	cordon_code rc;
	switch (j->s[j->i]) {
	case '{':
	case '[':
		if (++j->depth > MAX_DEPTH)
			return fail(j, "nested too deeply");
		rc = j->s[j->i] == '{' ? object(j) : array(j);
		j->depth--;
		return rc;
	case '"': return string_value(j);
	case 't': return literal(j, "true");
	case 'f': return literal(j, "false");
	case 'n': return literal(j, "null");
	default: return number(j);
	}
}

void json_state_release(void *state)
{
	struct json *j = state;
	if (!j)
		return;
	cordon_buf_release(&j->text);
	cordon_buf_release(&j->shown);
	field_path_release(&j->path);
	free(j->clean);
	free(j->map);
	free(j);
}

cordon_code json_record(cordon_stream *st, void **slot, const char *rec, size_t start, size_t len,
			struct cordon_buf *out, enum json_mode mode,
			const char *const *transparent)
{
	if (!*slot && !(*slot = calloc(1, sizeof(struct json))))
		return CORDON_ERR_NOMEM;
	struct json *j = *slot;
	j->st = st;
	j->mode = mode;
	j->transparent = transparent;
	j->s = (const uchar *)rec;
	j->len = len;
	j->i = start;
	j->depth = 0;
	j->out = mode == JSON_REDACT && stream_redacting(st) ? out : NULL;
	j->copied = start;
	field_path_clear(&j->path);
	skip_ws(j);
	if (j->i == len) { /* a blank line passes as it is */
		if (j->out && cordon_buf_append(out, rec + start, len - start))
			return CORDON_ERR_NOMEM;
		return CORDON_OK;
	}
	cordon_code rc = value(j);
	if (rc == CORDON_OK) {
		skip_ws(j);
		if (j->i != len)
			rc = fail(j, "text after the value");
	}
	if (rc == CORDON_OK && j->out && cordon_buf_append(out, rec + j->copied, len - j->copied))
		rc = CORDON_ERR_NOMEM;
	return rc;
}

static cordon_code jsonl_process(cordon_stream *st, const char *rec, size_t len,
				 struct cordon_buf *out)
{
	cordon_code rc = stream_binary(st, rec, len);
	if (rc != CORDON_OK)
		return rc;
	return json_record(st, stream_format_state(st), rec, 0, len, out, JSON_REDACT, NULL);
}

static const char *const jsonl_suffixes[] = { ".jsonl", ".ndjson", ".json", NULL };
const struct record_format format_jsonl = { "jsonl", jsonl_process, json_state_release, NULL, 0, jsonl_suffixes,
					    "JSON lines: one JSON value per line" };
