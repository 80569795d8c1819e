/* Fields of a record: paths and the policies they match, finding personal
 * data in a field (or encrypt tokens, restoring), holding the findings until
 * the record is done, and writing a field back with its findings replaced. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "records/stream_internal.h"
#include "redact/token.h"
#include "util/alloc.h"
#include "util/utf8.h"
#include "detect/engine_internal.h"
#include "records/field_names.h"

/* --- paths ------------------------------------------------------------------ */

static int put_len(struct cordon_buf *b, size_t n)
{
	do {
		unsigned char c = (unsigned char)(n & 0x7f);
		n >>= 7;
		if (cordon_buf_putc(b, (char)(n ? c | 0x80 : c)))
			return -1;
	} while (n);
	return 0;
}

/* A key as findings show it: '.' and '\' escaped, so the dotted path reads
 * back unambiguously. */
static int put_shown(struct cordon_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((s[i] == '.' || s[i] == '\\') && cordon_buf_putc(b, '\\')) || cordon_buf_putc(b, s[i]))
			return -1;
	return 0;
}

void field_path_release(struct field_path *p)
{
	cordon_buf_release(&p->enc);
	cordon_buf_release(&p->shown);
	free(p->marks);
	p->marks = NULL;
	p->depth = p->cap = 0;
}

void field_path_clear(struct field_path *p)
{
	cordon_buf_reset(&p->enc);
	cordon_buf_reset(&p->shown);
	p->depth = 0;
}

int field_path_push(struct field_path *p, const char *key, size_t len)
{
	if (ALLOC_GROW(p->marks, p->depth + 1, p->cap))
		return -1;
	p->marks[p->depth] = (struct path_mark){ p->enc.len, SIZE_MAX, SIZE_MAX };
	if (put_len(&p->enc, len) || cordon_buf_append(&p->enc, key, len))
		return -1;
	p->depth++;
	return 0;
}

int field_path_show(struct field_path *p, const char *shown, size_t len)
{
	struct path_mark *m = &p->marks[p->depth - 1];
	m->shown_start = p->shown.len;
	if (cordon_buf_append(&p->shown, shown, len))
		return -1;
	m->shown_end = p->shown.len;
	return 0;
}

void field_path_pop(struct field_path *p)
{
	if (!p->depth)
		return;
	p->depth--;
	p->enc.len = p->marks[p->depth].enc;
	if (p->marks[p->depth].shown_start != SIZE_MAX)
		p->shown.len = p->marks[p->depth].shown_start;
}

size_t field_path_key(const struct field_path *p, size_t d, const char **key)
{
	if (d >= p->depth)
		return 0;
	size_t at = p->marks[d].enc, n = 0;
	unsigned shift = 0;
	for (;;) { /* the key's length, LEB128 */
		unsigned char c = (unsigned char)p->enc.data[at++];
		n |= (size_t)(c & 0x7f) << shift;
		shift += 7;
		if (!(c & 0x80))
			break;
	}
	*key = p->enc.data + at;
	return n;
}

int field_path_display(const struct field_path *p, size_t depth, struct cordon_buf *out)
{
	for (size_t d = 0; d < depth && d < p->depth; d++) {
		const struct path_mark *m = &p->marks[d];
		if (d && cordon_buf_putc(out, '.'))
			return -1;
		if (m->shown_start != SIZE_MAX) {
			if (cordon_buf_append(out, p->shown.data + m->shown_start, m->shown_end - m->shown_start))
				return -1;
			continue;
		}
		const char *key;
		size_t n = field_path_key(p, d, &key);
		if (put_shown(out, key, n))
			return -1;
	}
	return 0;
}

/* "a\.b.c" -> keys "a.b", "c" (enc) and the column name "a.b.c" (flat). */
static cordon_code compile(cordon_stream *st, const char *path, const char *what, struct compiled_path *out)
{
	struct cordon_buf enc = CORDON_BUF_INIT, key = CORDON_BUF_INIT, flat = CORDON_BUF_INIT;
	cordon_code rc = CORDON_OK;
	for (const char *p = path;; p++) {
		if (*p == '\\') {
			if (p[1] != '.' && p[1] != '\\') {
				snprintf(st->err, sizeof(st->err),
					 "%s '%.200s': a '\\' must be followed by '.' or '\\' (\"\\.\" is a dot inside a key)",
					 what, path);
				rc = CORDON_ERR_ARG;
				break;
			}
			p++;
			if (cordon_buf_putc(&key, *p) || cordon_buf_putc(&flat, *p))
				rc = CORDON_ERR_NOMEM;
		} else if (*p == '.' || !*p) {
			if (put_len(&enc, key.len) || cordon_buf_append(&enc, key.data, key.len) ||
			    (*p && cordon_buf_putc(&flat, '.')))
				rc = CORDON_ERR_NOMEM;
			cordon_buf_reset(&key);
			if (!*p)
				break;
		} else if (cordon_buf_putc(&key, *p) || cordon_buf_putc(&flat, *p)) {
			rc = CORDON_ERR_NOMEM;
		}
		if (rc != CORDON_OK)
			break;
	}
	cordon_buf_release(&key);
	if (rc == CORDON_OK && (cordon_buf_putc(&flat, '\0') || cordon_buf_putc(&enc, '\0')))
		rc = CORDON_ERR_NOMEM;
	if (rc != CORDON_OK) {
		cordon_buf_release(&enc);
		cordon_buf_release(&flat);
		return rc;
	}
	out->enc_len = enc.len - 1;
	out->flat_len = flat.len - 1;
	out->enc = cordon_buf_take(&enc, NULL);
	out->flat = cordon_buf_take(&flat, NULL);
	return CORDON_OK;
}

cordon_code stream_compile_paths(cordon_stream *st)
{
	const struct cordon_stream_options *o = &st->opt;
	if ((o->npolicies && !(st->policies = calloc(o->npolicies, sizeof(*st->policies)))) ||
	    (o->npolicies && !(st->policy_hits = calloc(o->npolicies, sizeof(*st->policy_hits)))) ||
	    (o->nfields && !(st->fields = calloc(o->nfields, sizeof(*st->fields)))) ||
	    (o->nfields && !(st->field_hits = calloc(o->nfields, sizeof(*st->field_hits)))))
		return CORDON_ERR_NOMEM;
	cordon_code rc = CORDON_OK;
	for (size_t i = 0; i < o->npolicies && rc == CORDON_OK; i++) {
		if (!o->policies[i].path || (unsigned)o->policies[i].action > CORDON_FIELD_DROP)
			return CORDON_ERR_ARG;
		rc = compile(st, o->policies[i].path, "field policy", &st->policies[i]);
		st->policies[i].action = o->policies[i].action;
	}
	for (size_t i = 0; i < o->nfields && rc == CORDON_OK; i++) {
		if (!o->fields[i])
			return CORDON_ERR_ARG;
		rc = compile(st, o->fields[i], "field", &st->fields[i]);
	}
	if (rc == CORDON_OK && o->id_field) {
		rc = compile(st, o->id_field, "id field", &st->id);
		st->have_id_path = rc == CORDON_OK;
	}
	return rc;
}

void stream_release_paths(cordon_stream *st)
{
	for (size_t i = 0; st->policies && i < st->opt.npolicies; i++) {
		free(st->policies[i].enc);
		free(st->policies[i].flat);
	}
	for (size_t i = 0; st->fields && i < st->opt.nfields; i++) {
		free(st->fields[i].enc);
		free(st->fields[i].flat);
	}
	free(st->policies);
	free(st->fields);
	free(st->policy_hits);
	free(st->field_hits);
	free(st->id.enc);
	free(st->id.flat);
}

/* Is the encoded path p inside c (c itself or below)? Encoded keys are
 * length-prefixed, so a byte prefix that is a whole encoding ends on a key. */
static int path_under(const struct cordon_buf *p, const struct compiled_path *c)
{
	return p->len >= c->enc_len && !memcmp(p->data, c->enc, c->enc_len);
}

/* What the stream does, given the action a policy (or the --field list)
 * asks for. Scanning only, whatever is not kept is looked at: a tag,
 * pseudonym or drop field holds personal data too. Restoring, tokens are
 * looked for everywhere. */
static cordon_field_action effective(const cordon_stream *st, cordon_field_action a)
{
	if (st->mode == MODE_RESTORE)
		return CORDON_FIELD_SCAN;
	if (st->mode == MODE_SCAN && a != CORDON_FIELD_KEEP)
		return CORDON_FIELD_SCAN;
	return a;
}

cordon_field_action stream_path_action(cordon_stream *st, const struct field_path *path, int count)
{
	size_t best = 0;
	int matched = 0;
	cordon_field_action action = CORDON_FIELD_SCAN;
	for (size_t i = 0; i < st->opt.npolicies; i++) {
		const struct compiled_path *c = &st->policies[i];
		if (!path_under(&path->enc, c))
			continue;
		st->policy_hits[i] += count != 0;
		if (!matched || c->enc_len > best) {
			best = c->enc_len;
			action = c->action;
			matched = 1;
		}
	}
	int listed = !st->opt.nfields;
	for (size_t i = 0; i < st->opt.nfields; i++)
		if (path_under(&path->enc, &st->fields[i])) {
			st->field_hits[i] += count != 0;
			listed = 1;
		}
	if (!matched && !listed)
		action = CORDON_FIELD_KEEP;
	return effective(st, action);
}

cordon_field_action stream_column_action(cordon_stream *st, const char *name, size_t len, int count)
{
	int matched = 0;
	cordon_field_action action = CORDON_FIELD_SCAN;
	for (size_t i = 0; i < st->opt.npolicies; i++) {
		const struct compiled_path *c = &st->policies[i];
		if (c->flat_len != len || memcmp(c->flat, name, len))
			continue;
		st->policy_hits[i] += count != 0;
		action = c->action;
		matched = 1;
	}
	int listed = !st->opt.nfields;
	for (size_t i = 0; i < st->opt.nfields; i++)
		if (st->fields[i].flat_len == len && !memcmp(st->fields[i].flat, name, len)) {
			st->field_hits[i] += count != 0;
			listed = 1;
		}
	if (!matched && !listed)
		action = CORDON_FIELD_KEEP;
	return effective(st, action);
}

int stream_has_rules(const cordon_stream *st)
{
	return cordon_engine_entity_count(st->engine) > CORDON_ENTITY_RULE_FIRST;
}

int stream_is_id_path(const cordon_stream *st, const struct field_path *path)
{
	return st->have_id_path && path->enc.len == st->id.enc_len && !memcmp(path->enc.data, st->id.enc, st->id.enc_len);
}

int stream_is_id_column(const cordon_stream *st, const char *name, size_t len)
{
	return st->have_id_path && st->id.flat_len == len && !memcmp(st->id.flat, name, len);
}

void stream_set_id(cordon_stream *st, const char *value, size_t len)
{
	cordon_buf_reset(&st->record_id);
	st->have_id = !cordon_buf_append(&st->record_id, value, len) && !cordon_buf_putc(&st->record_id, '\0');
	st->id_hits += st->have_id;
}

uint64_t cordon_stream_field_hits(const cordon_stream *st, size_t i)
{
	return st && i < st->opt.nfields ? st->field_hits[i] : 0;
}

uint64_t cordon_stream_policy_hits(const cordon_stream *st, size_t i)
{
	return st && i < st->opt.npolicies ? st->policy_hits[i] : 0;
}

uint64_t cordon_stream_id_hits(const cordon_stream *st)
{
	return st ? st->id_hits : 0;
}

/* --- findings, held until the record is done ---------------------------------- */

static int hold(cordon_stream *st, const struct cordon_record_finding *rf)
{
	if (ALLOC_GROW(st->held, st->nheld + 1, st->capheld))
		return -1;
	struct held_finding *h = &st->held[st->nheld];
	h->f = *rf;
	h->field = rf->field ? strdup(rf->field) : NULL;
	h->canonical = rf->canonical ? strdup(rf->canonical) : NULL;
	snprintf(h->preview, sizeof(h->preview), "%s", rf->preview);
	if ((rf->field && !h->field) || (rf->canonical && !h->canonical)) {
		free(h->field);
		free(h->canonical);
		return -1;
	}
	st->nheld++;
	return 0;
}

int stream_release_held(cordon_stream *st, int deliver)
{
	int stop = 0;
	for (size_t k = 0; k < st->nheld; k++) {
		struct held_finding *h = &st->held[k];
		if (deliver && !stop) {
			h->f.field = h->field;
			h->f.canonical = h->canonical;
			h->f.preview = h->preview;
			h->f.record_id = st->have_id ? st->record_id.data : NULL;
			stop = st->opt.on_finding(st->opt.ctx, &h->f) != 0;
		}
		free(h->field);
		if (h->canonical)
			explicit_bzero(h->canonical, strlen(h->canonical));
		free(h->canonical);
	}
	st->nheld = 0;
	st->have_id = 0;
	return stop;
}

void stream_trim(cordon_stream *st)
{
	enum { KEEP = 4 << 20 };
	if (st->view.cap > KEEP) {
		cordon_buf_release(&st->view);
		free(st->view_map);
		st->view_map = NULL;
		st->view_cap = 0;
	}
	if (st->out.cap > KEEP)
		cordon_buf_release(&st->out);
	if (st->capheld > (KEEP >> 6)) {
		free(st->held);
		st->held = NULL;
		st->capheld = 0;
	}
	if (st->captokens > (KEEP >> 6)) {
		free(st->tokens);
		st->tokens = NULL;
		st->captokens = 0;
	}
	if (st->canon.cap > KEEP) {
		explicit_bzero(st->canon.data, st->canon.cap);
		cordon_buf_release(&st->canon);
	}
	engine_trim(st->engine);
}

void stream_release_fields(cordon_stream *st)
{
	stream_release_held(st, 0);
	free(st->held);
	cordon_buf_release(&st->record_id);
	cordon_buf_release(&st->view);
	cordon_buf_release(&st->display);
	if (st->canon.data)
		explicit_bzero(st->canon.data, st->canon.cap);
	cordon_buf_release(&st->canon);
	free(st->view_map);
	free(st->tokens);
}

cordon_code stream_scan_error(const cordon_stream *st)
{
	return st->scan_rc;
}

/* --- text that is not UTF-8 ------------------------------------------------------ */

/* Windows-1252's 0x80-0x9F; the five bytes it leaves undefined are read as
 * the C1 controls Latin-1 gives them. 0xA0-0xFF are Latin-1's. */
static const unsigned short cp1252[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static size_t raw_at(const struct field *f, size_t i)
{
	return f->map ? f->map[i] : f->base + i;
}

/* Points f at a UTF-8 view of its text in which every byte that is not
 * valid UTF-8 stands for its Windows-1252 character, mapped back to the
 * raw offsets f had. */
static cordon_code cp1252_view(cordon_stream *st, struct field *f, size_t first_bad)
{
	const unsigned char *s = (const unsigned char *)f->text;
	cordon_buf_reset(&st->view);
	if (ALLOC_GROW(st->view_map, st_add(st_mult(f->len, 3), 1), st->view_cap) ||
	    cordon_buf_reserve(&st->view, st_mult(f->len, 3)))
		return CORDON_ERR_NOMEM;
	size_t o = 0;
	for (size_t i = 0; i < f->len;) {
		size_t n = i < first_bad ? first_bad - i : utf8_at(s, f->len, i);
		if (n) {
			for (size_t k = 0; k < n; k++)
				st->view_map[o + k] = raw_at(f, i + k);
			memcpy(st->view.data + o, s + i, n);
			o += n;
			i += n;
			continue;
		}
		unsigned cp = s[i] < 0xA0 ? cp1252[s[i] - 0x80] : s[i];
		char *d = st->view.data + o;
		size_t w;
		if (cp < 0x800) {
			d[0] = (char)(0xC0 | cp >> 6);
			d[1] = (char)(0x80 | (cp & 0x3F));
			w = 2;
		} else {
			d[0] = (char)(0xE0 | cp >> 12);
			d[1] = (char)(0x80 | (cp >> 6 & 0x3F));
			d[2] = (char)(0x80 | (cp & 0x3F));
			w = 3;
		}
		for (size_t k = 0; k < w; k++)
			st->view_map[o + k] = raw_at(f, i);
		o += w;
		i++;
	}
	st->view_map[o] = raw_at(f, f->len);
	st->view.len = o;
	f->text = st->view.data;
	f->len = o;
	f->map = st->view_map;
	f->utf8 = 1;
	return CORDON_OK;
}

/* --- finding -------------------------------------------------------------------- */

/* The tokens of a field, as findings; a malformed one fails the record. */
static int find_tokens(cordon_stream *st, const struct field *f, const struct cordon_finding **out)
{
	st->ntokens = 0;
	size_t from = 0, b, e;
	enum token_status ts;
	while ((ts = token_next(f->text, f->len, from, &b, &e)) == TOKEN_OK) {
		if (ALLOC_GROW(st->tokens, st->ntokens + 1, st->captokens)) {
			st->scan_rc = CORDON_ERR_NOMEM;
			return -1;
		}
		st->tokens[st->ntokens++] = (struct cordon_finding){ .start = b, .end = e, .score = 1.0 };
		from = e;
	}
	if (ts == TOKEN_MALFORMED) {
		st->scan_rc = stream_fail(st, "a malformed encrypt token at byte %zu (\"[NAME:enc:...]\" cut short or empty)",
					  raw_at(f, b));
		return -1;
	}
	st->pending_restored += st->ntokens;
	*out = st->tokens;
	return (int)st->ntokens;
}

/* Where findings of f are, as shown: the path, "path.{key}" for a key. */
static const char *shown_field(cordon_stream *st, const struct field *f)
{
	if (!f->path && !f->column)
		return NULL;
	cordon_buf_reset(&st->display);
	int bad = 0;
	if (f->path) {
		/* a key's findings: the path to its object (the key is the value) */
		bad |= field_path_display(f->path, f->is_key && f->path->depth ? f->path->depth - 1 : f->path->depth,
					  &st->display);
		if (f->is_key)
			bad |= (st->display.len && cordon_buf_putc(&st->display, '.')) ||
			       cordon_buf_puts(&st->display, "{key}");
	} else {
		bad |= cordon_buf_append(&st->display, f->column, f->column_len);
	}
	bad |= cordon_buf_putc(&st->display, '\0');
	return bad ? "?" : st->display.data;
}

/* The canonical value of a finding, however long (st->canon). */
static const char *canonical_of(cordon_stream *st, const struct field *f, const struct cordon_finding *x)
{
	for (;;) {
		size_t cap = st->canon.cap ? st->canon.cap : 256;
		if (cordon_buf_reserve(&st->canon, cap))
			return NULL;
		size_t n = cordon_finding_canonical(f->text, x, st->canon.data, st->canon.cap);
		if (n < st->canon.cap)
			return st->canon.data;
		if (cordon_buf_reserve(&st->canon, st_add(n, 1)))
			return NULL;
		st->canon.len = 0;
	}
}

/* The line and column (1-based, in code points) of rec[at], counted on
 * from the last position asked for in the same record when at is past it
 * (findings come in order: one pass over the record for all of them),
 * else from the record's start. */
static void place(cordon_stream *st, size_t at, uint64_t *line, size_t *col)
{
	if (st->pos_rec != st->rec || at < st->pos_at) {
		st->pos_rec = st->rec;
		st->pos_at = 0;
		st->pos_line = st->rec_line;
		st->pos_col = 1;
	}
	const unsigned char *p = (const unsigned char *)st->rec;
	size_t i = st->pos_at;
	/* eight bytes at a time where there is no newline: each byte but a
	 * UTF-8 continuation byte (10xxxxxx) is a column */
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	while (i < at) {
		if (i + 8 <= at) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			uint64_t x = w ^ (ones * '\n');
			if (!((x - ones) & ~x & highs)) {
				st->pos_col += 8 - (size_t)__builtin_popcountll(w & ~(w << 1) & highs);
				i += 8;
				continue;
			}
		}
		/* a newline in these eight, or the last few: byte by byte */
		for (size_t end = i + 8 < at ? i + 8 : at; i < end; i++) {
			if (p[i] == '\n') {
				st->pos_line++;
				st->pos_col = 1;
			} else if ((p[i] & 0xc0) != 0x80) {
				st->pos_col++;
			}
		}
	}
	st->pos_at = at;
	*line = st->pos_line;
	*col = st->pos_col;
}

/* When the field's name says what it holds ("first_name", "city",
 * "customer.name", a CSV column "Last Name"): its whole value, trimmed, as
 * one finding of that entity, in place of the detectors' findings inside
 * it, which may have found a part or nothing ("Rebecca" alone is only a
 * listed given name; "Lindqvist" and "Springfield" alone are nothing), or
 * a name or a place where the field says the other ("North Jessica" as a
 * city). Not when the detectors found another entity in it (an e-mail
 * address, a phone number), nor for a value that does not fit the entity
 * (digits in a name, an '@' in a city).
 * Returns the count of findings now in *findings. */
static size_t whole_value(cordon_stream *st, const struct field *f, const struct cordon_finding **findings, size_t n)
{
	const char *key = NULL, *parent = NULL;
	size_t klen = 0, plen = 0;
	if (f->is_key)
		return n;
	if (f->path && f->path->depth) {
		klen = field_path_key(f->path, f->path->depth - 1, &key);
		if (f->path->depth >= 2)
			plen = field_path_key(f->path, f->path->depth - 2, &parent);
	} else if (f->column) {
		key = f->column;
		klen = f->column_len;
	}
	if (!klen)
		return n; /* a text record, or a key of no name */
	cordon_entity ent = field_name_entity(key, klen, plen ? parent : NULL, plen);
	if (ent == CORDON_ENTITY_COUNT)
		return n;
	size_t b = 0, e = f->len;
	while (b < e && (f->text[b] == ' ' || f->text[b] == '\t' || f->text[b] == '\r' || f->text[b] == '\n'))
		b++;
	while (e > b && (f->text[e - 1] == ' ' || f->text[e - 1] == '\t' || f->text[e - 1] == '\r' || f->text[e - 1] == '\n'))
		e--;
	if (!field_value_fits(ent, f->text, b, e))
		return n;
	double score = 0.85;
	for (size_t k = 0; k < n; k++) {
		cordon_entity x = (*findings)[k].entity;
		/* a name or a place found inside gives way to what the field's
		 * name says ("city": "North Jessica" is no person); any other
		 * entity is the more exact word, and the detectors' findings stand */
		if (x != ent && x != CORDON_PERSON && x != CORDON_LOCATION)
			return n;
		if (x == ent && (*findings)[k].score > score)
			score = (*findings)[k].score;
	}
	st->whole = (struct cordon_finding){ ent, b, e, score,
					     ent == CORDON_PERSON	    ? "the value of a field named for a person's name"
					     : ent == CORDON_PHONE_NUMBER ? "the value of a field named for a phone number"
									  : "the value of a field named for an address or a place",
					     "", NULL, NULL };
	if (!engine_accepts(st->engine, f->text, &st->whole))
		return n;
	*findings = &st->whole;
	return 1;
}

int stream_field_scan(cordon_stream *st, struct field *f, const struct cordon_finding **findings)
{
	if (st->mode == MODE_RESTORE)
		return find_tokens(st, f, findings);
	if (!f->utf8) {
		size_t bad = utf8_valid_upto((const unsigned char *)f->text, f->len);
		if (bad < f->len && (st->scan_rc = cp1252_view(st, f, bad)) != CORDON_OK)
			return -1;
	}
	size_t n;
	cordon_code rc = cordon_engine_scan(st->engine, f->text, f->len, findings, &n);
	if (rc != CORDON_OK) {
		/* a rule too costly for this record: the record is bad, not the run */
		st->scan_rc = rc == CORDON_ERR_TOO_LARGE ? stream_fail(st, "%s", cordon_engine_error(st->engine)) : rc;
		if (rc != CORDON_ERR_TOO_LARGE)
			snprintf(st->err, sizeof(st->err), "%s", cordon_engine_error(st->engine));
		return -1;
	}
	n = whole_value(st, f, findings, n);
	const char *field = n && st->opt.on_finding ? shown_field(st, f) : NULL;
	for (size_t k = 0; k < n; k++) {
		const struct cordon_finding *x = &(*findings)[k];
		st->pending[x->entity]++;
		st->pending_mask |= CORDON_ENTITY_BIT(x->entity);
		if (!st->opt.on_finding)
			continue;
		cordon_finding_mask(f->text, x, st->preview, sizeof(st->preview));
		const char *canon = st->opt.with_values ? canonical_of(st, f, x) : NULL;
		uint64_t line, end_line;
		size_t col, end_col;
		place(st, raw_at(f, x->start), &line, &col);
		place(st, raw_at(f, x->end), &end_line, &end_col);
		struct cordon_record_finding rf = {
			.record = st->record,
			.line = line,
			.column = col,
			.end_line = end_line,
			.end_column = end_col,
			.field = field,
			.entity = x->entity,
			.start = raw_at(f, x->start),
			.end = raw_at(f, x->end),
			.score = x->score,
			.preview = st->preview,
			.canonical = canon,
			.rule = x->rule,
			.context = x->context,
		};
		int failed = (st->opt.with_values && !canon) || hold(st, &rf);
		if (canon)
			explicit_bzero(st->canon.data, strlen(canon));
		if (failed) { /* handed over when the record is done */
			snprintf(st->err, sizeof(st->err), "out of memory keeping findings of record %llu",
				 (unsigned long long)st->record);
			st->scan_rc = CORDON_ERR_NOMEM;
			return -1;
		}
	}
	return (int)n;
}

/* --- writing ------------------------------------------------------------------- */

static int put_json_escaped(struct cordon_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			if (cordon_buf_putc(out, '\\') || cordon_buf_putc(out, (char)c))
				return -1;
		} else if (c < 0x20) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			if (cordon_buf_append(out, e, sizeof(e)))
				return -1;
		} else if (cordon_buf_putc(out, (char)c)) {
			return -1;
		}
	}
	return 0;
}

/* Inside a quoted CSV field a quote is written twice. */
static int put_csv_escaped(struct cordon_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] == '"' && cordon_buf_putc(out, '"')) || cordon_buf_putc(out, s[i]))
			return -1;
	return 0;
}

static int put_escaped(struct cordon_buf *out, enum field_escape escape, const char *s, size_t n)
{
	return escape == ESCAPE_JSON ? put_json_escaped(out, s, n)
	       : escape == ESCAPE_CSV ? put_csv_escaped(out, s, n)
				      : cordon_buf_append(out, s, n);
}

cordon_code stream_field_write(cordon_stream *st, const struct field *f, const struct cordon_finding *findings,
			       size_t n, enum field_escape escape, struct cordon_buf *out)
{
	size_t prev = 0;
	for (size_t k = 0; k < n; k++) {
		const char *repl;
		size_t rlen;
		cordon_code rc = st->mode == MODE_RESTORE
					 ? cordon_redactor_restore(st->opt.redactor, f->text + findings[k].start,
								   findings[k].end - findings[k].start, &repl, &rlen)
					 : cordon_redactor_replace(st->opt.redactor, f->text, &findings[k], &repl, &rlen);
		if (rc != CORDON_OK) {
			if (st->mode == MODE_RESTORE) /* the record's token: quarantine it */
				return stream_fail(st, "the encrypt token at byte %zu: %s", raw_at(f, findings[k].start),
						   cordon_redactor_error(st->opt.redactor));
			snprintf(st->err, sizeof(st->err), "%s", cordon_redactor_error(st->opt.redactor));
			return rc;
		}
		size_t a = raw_at(f, prev), b = raw_at(f, findings[k].start);
		if (cordon_buf_append(out, f->raw + a, b - a) || put_escaped(out, escape, repl, rlen))
			return CORDON_ERR_NOMEM;
		prev = findings[k].end;
	}
	size_t a = raw_at(f, prev), b = raw_at(f, f->len);
	if (cordon_buf_append(out, f->raw + a, b - a))
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

/* The finding that is all of value but blanks around it, or NULL. value
 * must be NUL-terminated at len or not: only [0, len) is read. */
static const struct cordon_finding *whole_finding(cordon_stream *st, const char *value, size_t len)
{
	const struct cordon_finding *f;
	size_t n, b = 0, e = len;
	while (b < e && (value[b] == ' ' || value[b] == '\t'))
		b++;
	while (e > b && (value[e - 1] == ' ' || value[e - 1] == '\t'))
		e--;
	if (b == e || cordon_engine_scan(st->engine, value, len, &f, &n) != CORDON_OK || n != 1)
		return NULL;
	return f[0].start == b && f[0].end == e ? &f[0] : NULL;
}

cordon_code stream_value_write(cordon_stream *st, cordon_field_action action, const char *label, size_t label_len,
			       const char *value, size_t len, enum field_escape escape, struct cordon_buf *out)
{
	/* the label in upper case ("customer.email" -> EMAIL), so a token says
	 * what it stands for */
	char name[64];
	size_t n = 0;
	for (size_t i = 0; i < label_len && n + 1 < sizeof(name); i++) {
		char c = label[i];
		name[n++] = (char)((c >= 'a' && c <= 'z') ? c - 32
				   : ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_');
	}
	name[n] = '\0';
	const char *repl;
	size_t rlen;
	cordon_code rc;
	if (action == CORDON_FIELD_PSEUDONYM) {
		/* a value that is one finding whole (an address, however written)
		 * gets the token the pseudonym operator gives it in free text,
		 * so the field and the text around it join */
		const struct cordon_finding *x = whole_finding(st, value, len);
		if (x) {
			rc = cordon_redactor_replace_as(st->opt.redactor, CORDON_OP_PSEUDONYM, value, x, &repl, &rlen);
			if (rc != CORDON_OK) {
				snprintf(st->err, sizeof(st->err), "%s", cordon_redactor_error(st->opt.redactor));
				return rc;
			}
			return put_escaped(out, escape, repl, rlen) ? CORDON_ERR_NOMEM : CORDON_OK;
		}
	}
	rc = cordon_redactor_replace_value(
		st->opt.redactor, action == CORDON_FIELD_PSEUDONYM ? CORDON_OP_PSEUDONYM : CORDON_OP_TAG, value, len,
		n ? name : "VALUE", &repl, &rlen);
	if (rc != CORDON_OK) {
		snprintf(st->err, sizeof(st->err), "%s", cordon_redactor_error(st->opt.redactor));
		return rc;
	}
	return put_escaped(out, escape, repl, rlen) ? CORDON_ERR_NOMEM : CORDON_OK;
}
