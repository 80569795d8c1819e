/* User rules: entities a configuration defines (CUSTOMER_ID from a pattern, a
 * deny list of words), run by PCRE2's JIT, one pass per rule, then checked by
 * the rule's validator.
 *
 * Not Vectorscan: the version Debian 12 ships (5.4.9) writes past a 255-byte
 * stack buffer in rvermicelliDoubleExecReal on texts over 255 bytes for some
 * patterns ("(a+)+b" aborts with "buffer overflow detected"; our fuzz_rules
 * harness found it, upstream fixed it in VectorCamp/vectorscan#392, April
 * 2026). A user's pattern must never crash a run, so until Debian ships the
 * fix, PCRE2 runs every rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "detect/digits.h"
#include "detect/rules.h"
#include "util/buf.h"
#include "util/utf8.h"

enum { DEFAULT_WINDOW = 48 };
#define CONTEXT_BOOST 0.25

typedef int (*validator_fn)(const uchar *s, size_t len);

struct rule {
	struct cordon_rule src; /* deep copy, for clones */
	char **context;         /* NULL-terminated, lowercase */
	struct wordset *context_set; /* of context, or NULL */
	validator_fn validate;
	pcre2_code *re;
};

struct rule_set {
	struct rule *v;
	size_t n;
	pcre2_match_data *md;
};

/* ---- validators ---- */

static size_t only_digits(const uchar *s, size_t len, char *d, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (is_digit(s[i])) {
			if (n == cap)
				return cap + 1;
			d[n++] = (char)s[i];
		}
	return n;
}

static int v_luhn(const uchar *s, size_t len)
{
	char d[64];
	size_t n = only_digits(s, len, d, sizeof(d));
	return n >= 2 && n <= sizeof(d) && luhn_ok(d, n);
}

static int v_mod97(const uchar *s, size_t len)
{
	char a[64];
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (is_alnum(s[i])) {
			if (n == sizeof(a))
				return 0;
			a[n++] = (char)s[i];
		}
	return n >= 5 && iban_mod97_ok(a, n);
}

static int v_aba(const uchar *s, size_t len)
{
	char d[16];
	if (only_digits(s, len, d, sizeof(d)) != 9)
		return 0;
	static const int w[3] = { 3, 7, 1 };
	int sum = 0;
	for (int k = 0; k < 9; k++)
		sum += w[k % 3] * (d[k] - '0');
	return sum % 10 == 0;
}

static int v_verhoeff(const uchar *s, size_t len)
{
	static const uchar mul[10][10] = {
		{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
		{ 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
		{ 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
		{ 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
		{ 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
	};
	static const uchar perm[8][10] = {
		{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
		{ 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
		{ 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
		{ 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
	};
	char d[64];
	size_t n = only_digits(s, len, d, sizeof(d));
	if (n < 2 || n > sizeof(d))
		return 0;
	int c = 0;
	for (size_t k = 0; k < n; k++)
		c = mul[c][perm[k % 8][d[n - 1 - k] - '0']];
	return c == 0;
}

static const struct {
	const char *name;
	validator_fn fn;
} validators[] = {
	{ "luhn", v_luhn }, { "mod97", v_mod97 }, { "aba", v_aba }, { "verhoeff", v_verhoeff },
};

const char *rules_validator_names(void)
{
	return "luhn, mod97, aba, verhoeff";
}

/* ---- compiling ---- */

static char *dup_or_null(const char *s, int *oom)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

static char **dup_list(const char *const *v, size_t n, int lower, int *oom)
{
	if (!n)
		return NULL;
	char **d = calloc(n + 1, sizeof(*d));
	if (!d) {
		*oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(d[i] = dup_or_null(v[i] ? v[i] : "", oom)))
			return d;
		if (lower)
			for (char *c = d[i]; *c; c++)
				*c = (char)to_lower((uchar)*c);
	}
	return d;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* A deny list as one pattern: each word escaped, blanks inside a phrase
 * matching any run of blanks, the whole between word boundaries. */
static char *words_pattern(const char *const *words, size_t n)
{
	struct cordon_buf b = CORDON_BUF_INIT;
	int bad = cordon_buf_puts(&b, "(?<!\\w)(?:"); /* not \\b: "c++" ends in no word byte */
	for (size_t i = 0; i < n && !bad; i++) {
		if (i)
			bad |= cordon_buf_putc(&b, '|');
		for (const uchar *c = (const uchar *)words[i]; c && *c && !bad; c++) {
			if (is_space(*c)) {
				while (is_space(c[1]))
					c++;
				bad |= cordon_buf_puts(&b, "\\s+");
			} else if (is_alnum(*c) || *c >= 0x80) {
				bad |= cordon_buf_putc(&b, (char)*c);
			} else {
				bad |= cordon_buf_putc(&b, '\\') || cordon_buf_putc(&b, (char)*c);
			}
		}
	}
	bad |= cordon_buf_puts(&b, ")(?!\\w)") || cordon_buf_putc(&b, '\0');
	if (bad) {
		cordon_buf_release(&b);
		return NULL;
	}
	return cordon_buf_take(&b, NULL);
}

static int valid_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!is_alnum((uchar)*s) && *s != '_')
			return 0;
	return 1;
}

#define FAIL(...) \
	do { \
		if (err && errlen) \
			snprintf(err, errlen, __VA_ARGS__); \
		rc = CORDON_ERR_ARG; \
		goto out; \
	} while (0)

cordon_code rules_new(struct rule_set **out, const struct cordon_rule *rules, size_t n,
		      char *err, size_t errlen)
{
	cordon_code rc = CORDON_OK;
	struct rule_set *set = calloc(1, sizeof(*set));
	if (!set)
		return CORDON_ERR_NOMEM;
	*out = NULL;
	if (n > CORDON_RULE_MAX)
		FAIL("too many rules: at most %d", CORDON_RULE_MAX);
	if (n && (!(set->v = calloc(n, sizeof(*set->v))) || !(set->md = pcre2_match_data_create(1, NULL))))
		goto oom;
	for (size_t k = 0; k < n; k++) {
		const struct cordon_rule *r = &rules[k];
		struct rule *d = &set->v[k];
		int oom = 0;
		set->n = k + 1; /* counted before anything is kept, so rules_free frees it */
		if (!valid_name(r->name))
			FAIL("rule %zu: the name '%s' must be letters, digits and '_'", k + 1,
			     r->name ? r->name : "");
		cordon_entity builtin;
		if (cordon_entity_from_name(r->name, &builtin) == CORDON_OK)
			FAIL("rule '%s': %s is a built-in entity", r->name, r->name);
		for (size_t j = 0; j < k; j++)
			if (!strcasecmp(rules[j].name, r->name))
				FAIL("rule '%s': defined twice", r->name);
		if (!r->pattern == !r->nwords)
			FAIL("rule '%s': give either a pattern or words", r->name);
		if (r->score < 0 || r->score > 1)
			FAIL("rule '%s': the score must be from 0 to 1", r->name);
		d->src = *r;
		d->src.name = dup_or_null(r->name, &oom);
		d->src.pattern = dup_or_null(r->pattern, &oom);
		d->src.validator = dup_or_null(r->validator, &oom);
		d->src.words = (const char *const *)dup_list(r->words, r->nwords, 0, &oom);
		d->src.context = (const char *const *)dup_list(r->context, r->ncontext, 0, &oom);
		d->context = dup_list(r->context, r->ncontext, 1, &oom);
		if (d->context && !(d->context_set = calloc(1, sizeof(*d->context_set))))
			oom = 1;
		else if (d->context)
			d->context_set->words = (const char *const *)d->context;
		if (!d->src.window)
			d->src.window = DEFAULT_WINDOW;
		if (oom)
			goto oom;
		if (r->validator) {
			size_t v = 0;
			while (v < sizeof(validators) / sizeof(*validators) && strcmp(validators[v].name, r->validator))
				v++;
			if (v == sizeof(validators) / sizeof(*validators))
				FAIL("rule '%s': unknown validator '%s' (%s)", r->name, r->validator,
				     rules_validator_names());
			d->validate = validators[v].fn;
		}
		char *built = r->pattern ? NULL : words_pattern(r->words, r->nwords);
		if (!r->pattern && !built)
			goto oom;
		int code;
		PCRE2_SIZE at;
		d->re = pcre2_compile((PCRE2_SPTR)(r->pattern ? r->pattern : built), PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
					      (r->caseless || !r->pattern ? PCRE2_CASELESS : 0),
				      &code, &at, NULL);
		free(built);
		if (!d->re) {
			PCRE2_UCHAR msg[160];
			pcre2_get_error_message(code, msg, sizeof(msg));
			FAIL("rule '%s': bad pattern: %s at offset %zu", r->name, (char *)msg, (size_t)at);
		}
		if (pcre2_match(d->re, (PCRE2_SPTR) "", 0, 0, 0, set->md, NULL) >= 0)
			FAIL("rule '%s': the pattern matches the empty string", r->name);
		pcre2_jit_compile(d->re, PCRE2_JIT_COMPLETE); /* best effort: else interpreted */
	}
	goto out;
oom:
	rc = CORDON_ERR_NOMEM;
out:
	if (rc != CORDON_OK)
		rules_free(set);
	else
		*out = set;
	return rc;
}

void rules_free(struct rule_set *set)
{
	if (!set)
		return;
	for (size_t k = 0; k < set->n; k++) {
		struct rule *r = &set->v[k];
		free((char *)r->src.name);
		free((char *)r->src.pattern);
		free((char *)r->src.validator);
		free_list((char **)r->src.words);
		free_list((char **)r->src.context);
		free_list(r->context);
		wordset_release(r->context_set);
		free(r->context_set);
		pcre2_code_free(r->re);
	}
	free(set->v);
	pcre2_match_data_free(set->md);
	free(set);
}

const struct cordon_rule *rules_source(const struct rule_set *set, size_t k)
{
	return set && k < set->n ? &set->v[k].src : NULL;
}

size_t rules_count(const struct rule_set *set)
{
	return set ? set->n : 0;
}


/* ---- scanning ---- */

int rules_scan(struct rule_set *set, const uchar *s, size_t len, struct candidates *out)
{
	if (!set || !set->n)
		return 0;
	/* PCRE2's JIT is undefined on text that is not UTF-8, even with
	 * PCRE2_MATCH_INVALID_UTF (10.42 reads and matches past the end of
	 * such text for a caseless negated class: fuzz_rules found it): the
	 * interpreter takes it. Records reach here as UTF-8 (a field that is
	 * not is scanned through a Windows-1252 view). */
	uint32_t options = utf8_valid_upto(s, len) == len ? 0 : PCRE2_NO_JIT;
	for (unsigned k = 0; k < set->n; k++) {
		const struct rule *r = &set->v[k];
		PCRE2_SIZE at = 0;
		while (at < len) {
			int rc = pcre2_match(r->re, s, len, at, options, set->md, NULL);
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0)
				return -2; /* a match limit: the text is not let through unscanned */
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(set->md);
			if (ov[0] > len || ov[1] > len)
				return -3; /* a match outside the text: trust none of it */
			if (ov[1] <= ov[0]) { /* an empty match (look-arounds): move on */
				at = ov[0] + 1;
				continue;
			}
			if (!r->validate || r->validate(s + ov[0], ov[1] - ov[0]))
				candidates_push(out, (cordon_entity)(CORDON_ENTITY_RULE_FIRST + k), ov[0], ov[1],
						r->src.score, r->src.words ? "deny list" : "pattern");
			at = ov[1];
		}
	}
	return out->failed ? -1 : 0;
}

double rules_adjust(const struct rule_set *set, unsigned k, const uchar *s, size_t len, size_t start,
		    size_t end, double score, const char **why)
{
	const struct rule *r = &set->v[k];
	*why = "";
	if (!r->context_set || score >= 1.0)
		return score;
	size_t w = r->src.window;
	size_t from = start > w ? start - w : 0;
	size_t to = len - end > w ? end + w : len;
	const char *hit = context_find(s, from, start, r->context_set);
	if (!hit)
		hit = context_find(s, end, to, r->context_set);
	if (hit) {
		*why = hit;
		score += CONTEXT_BOOST;
	}
	return score > 1.0 ? 1.0 : score;
}

const char *rules_name(const struct rule_set *set, unsigned k)
{
	return set && k < set->n ? set->v[k].src.name : NULL;
}
