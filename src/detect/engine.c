/* The detection engine: one pass finds anchor positions (a vectorised byte and
 * word-start classifier), wakes the detectors registered for each anchor, then
 * scores candidates by context and keeps the best of any overlapping ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include "detect/detector.h"
#include "detect/engine_internal.h"
#include "detect/prefilter.h"
#include "detect/phone_e164.h"
#include "detect/rules.h"
#include "util/alloc.h"
#include "util/utf8.h"

struct allow_rule {
	char *source;       /* as given, for clones */
	char *value;        /* exact canonical value, or */
	pcre2_code *re;     /* a pattern over the whole canonical value */
};

/* The wake masks hold a bit per built-in entity; user rules number from
 * CORDON_ENTITY_RULE_FIRST, above every built-in one. */
_Static_assert(CORDON_ENTITY_COUNT <= 32, "wake masks are 32-bit: one bit per built-in entity");
_Static_assert(CORDON_ENTITY_COUNT <= CORDON_ENTITY_RULE_FIRST, "user rules must number above the built-ins");
_Static_assert(CORDON_ENTITY_MAX <= 64, "entity masks are 64-bit");

struct cordon_engine {
	uint64_t entities;
	char region[3];
	double min_score;
	double entity_min[CORDON_ENTITY_MAX];
	struct rule_set *rules;
	struct allow_rule *allow;
	size_t nallow;
	pcre2_match_data *md;
	struct prefilter pf;
	uint32_t byte_wakes[256];  /* detectors woken by an anchor byte anywhere */
	/* by the first digit of a run, per enum digit_start and the run's length */
	uint32_t digit_wakes[DIGIT_KINDS][RUN_LONG + 1];
	/* and by what stands beside it (enum run_before, run_after) */
	uint32_t edge_wakes[DIGIT_KINDS][BEFORE_KINDS][AFTER_KINDS];
	uint32_t trigger_wakes[TRIGGER_KINDS]; /* per enum detector_trigger bit */
	uint32_t number_asks; /* the detectors whose number() is asked */
	struct number num;    /* the number the last digit run woken is in */
	size_t num_g;         /* and its group */
	const uint32_t *num_wakes; /* the detectors each group may wake */
	/* the answers by shape: most numbers are of a few (versions, dates,
	 * times, amounts) */
	struct number_memo {
		uint64_t shape[3]; /* {0} at first: no number's (n >= 1) */
		uint32_t wakes[NUMBER_GROUPS]; /* each group's */
	} number_memo[256];
	size_t next[CORDON_ENTITY_COUNT];
	struct candidates cands;
	struct cordon_finding *findings;
	size_t nfindings, capfindings;
	struct cordon_finding *pieces; /* findings after overlaps are shared out */
	size_t cappieces;
	int32_t *owner; /* per byte of an overlapping cluster: its finding */
	size_t capowner;
	uint64_t *starts; /* the record's word starts (struct candidates) */
	size_t capstarts;
	char err[160];
};

const char *cordon_strerror(cordon_code code)
{
	switch (code) {
	case CORDON_OK: return "success";
	case CORDON_ERR_NOMEM: return "out of memory";
	case CORDON_ERR_ARG: return "invalid argument";
	case CORDON_ERR_PARSE: return "malformed record";
	case CORDON_ERR_TOO_LARGE: return "record too large";
	case CORDON_ERR_IO: return "input/output error";
	case CORDON_ERR_KEY: return "unusable key";
	case CORDON_ERR_CALLBACK: return "stopped by a callback";
	}
	return "unknown error";
}

const char *cordon_version(void)
{
	return CORDON_VERSION_STRING;
}

const char *cordon_entity_name(cordon_entity entity)
{
	if ((unsigned)entity >= CORDON_ENTITY_COUNT)
		return NULL;
	return cordon_detectors[entity]->name;
}

cordon_code cordon_entity_from_name(const char *name, cordon_entity *out)
{
	if (!name || !out)
		return CORDON_ERR_ARG;
	for (unsigned i = 0; i < CORDON_ENTITY_COUNT; i++) {
		const char *n = cordon_detectors[i]->name;
		size_t k = 0;
		while (n[k] && name[k] && to_lower((uchar)n[k]) == to_lower((uchar)name[k]))
			k++;
		if (!n[k] && !name[k]) {
			*out = (cordon_entity)i;
			return CORDON_OK;
		}
	}
	return CORDON_ERR_ARG;
}

void candidates_push(struct candidates *c, cordon_entity entity, size_t start,
		     size_t end, double score, const char *rule)
{
	if (ALLOC_GROW(c->v, c->n + 1, c->cap)) {
		c->failed = 1;
		return;
	}
	c->v[c->n++] = (struct candidate){ entity, start, end, score, rule };
}

/* Compiles one allow entry into a: a value, or "/pattern/". */
static cordon_code allow_one(struct allow_rule *a, const char *src, char *err, size_t errlen)
{
	size_t n = src ? strlen(src) : 0;
	if (!n)
		return CORDON_ERR_ARG;
	if (!(a->source = strdup(src)))
		return CORDON_ERR_NOMEM;
	if (n >= 2 && src[0] == '/' && src[n - 1] == '/') {
		int code;
		PCRE2_SIZE at;
		a->re = pcre2_compile((PCRE2_SPTR)src + 1, n - 2, PCRE2_UTF | PCRE2_CASELESS, &code, &at, NULL);
		if (!a->re) {
			if (err && errlen) {
				PCRE2_UCHAR msg[160];
				pcre2_get_error_message(code, msg, sizeof(msg));
				snprintf(err, errlen, "allow pattern '%s': %s at offset %zu", src, (char *)msg,
					 (size_t)at);
			}
			return CORDON_ERR_ARG;
		}
		return CORDON_OK;
	}
	return (a->value = strdup(src)) ? CORDON_OK : CORDON_ERR_NOMEM;
}

static void allow_release(struct allow_rule *a)
{
	free(a->source);
	free(a->value);
	pcre2_code_free(a->re);
}

cordon_code engine_allow_check(const char *entry, char *err, size_t errlen)
{
	struct allow_rule a = { 0 };
	cordon_code rc = allow_one(&a, entry, err, errlen);
	allow_release(&a);
	return rc;
}

static cordon_code allow_compile(cordon_engine *e, const struct cordon_engine_options *o)
{
	if (!o->nallow)
		return CORDON_OK;
	if (!o->allow || !(e->allow = calloc(o->nallow, sizeof(*e->allow))))
		return o->allow ? CORDON_ERR_NOMEM : CORDON_ERR_ARG;
	for (size_t i = 0; i < o->nallow; i++) {
		e->nallow = i + 1; /* counted before anything is kept, so _free frees it */
		cordon_code rc = allow_one(&e->allow[i], o->allow[i], o->error, o->error_len);
		if (rc != CORDON_OK)
			return rc;
		if (e->allow[i].re)
			pcre2_jit_compile(e->allow[i].re, PCRE2_JIT_COMPLETE); /* best effort */
	}
	if (!(e->md = pcre2_match_data_create(1, NULL)))
		return CORDON_ERR_NOMEM;
	return CORDON_OK;
}

/* Is this finding's value on the allow list? */
static int allowed(cordon_engine *e, const char *text, const struct cordon_finding *f)
{
	char canon[512];
	size_t n = cordon_finding_canonical(text, f, canon, sizeof(canon));
	if (n >= sizeof(canon))
		return 0;
	int hit = 0;
	for (size_t i = 0; i < e->nallow && !hit; i++) {
		if (e->allow[i].value)
			hit = !strcmp(canon, e->allow[i].value);
		else
			hit = pcre2_match(e->allow[i].re, (PCRE2_SPTR)canon, n, 0,
					  PCRE2_ANCHORED | PCRE2_ENDANCHORED, e->md, NULL) >= 0;
	}
	explicit_bzero(canon, sizeof(canon));
	return hit;
}

cordon_code cordon_engine_new(cordon_engine **out, const struct cordon_engine_options *opts)
{
	struct cordon_engine_options defaults = CORDON_ENGINE_OPTIONS_INIT;
	if (!out)
		return CORDON_ERR_ARG;
	if (!opts)
		opts = &defaults;
	if (opts->min_score < 0 || opts->min_score > 1 ||
	    opts->nrules > CORDON_RULE_MAX || (opts->nrules && !opts->rules))
		return CORDON_ERR_ARG;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		if (opts->entity_min_score[i] < 0 || opts->entity_min_score[i] > 1)
			return CORDON_ERR_ARG;
	const char *region = opts->region ? opts->region : "US";
	/* libphonenumber's metadata take ~30 M instructions to load: not for
	 * the default region, which is one; a run with no phone to validate
	 * never loads them */
	int us = (region[0] == 'U' || region[0] == 'u') && (region[1] == 'S' || region[1] == 's') && !region[2];
	if (!us && !phone_region_ok(region)) {
		if (opts->error && opts->error_len)
			snprintf(opts->error, opts->error_len, "unknown region '%.16s': give a country code such as US, DE or GB",
				 region);
		return CORDON_ERR_ARG;
	}
	cordon_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return CORDON_ERR_NOMEM;
	e->region[0] = (char)to_upper((uchar)region[0]);
	e->region[1] = (char)to_upper((uchar)region[1]);
	e->entities = opts->entities ? opts->entities : CORDON_ENTITY_ALL;
	e->min_score = opts->min_score;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		e->entity_min[i] = opts->entity_min_score[i] > 0 ? opts->entity_min_score[i] : opts->min_score;
	cordon_code rc = allow_compile(e, opts);
	if (rc == CORDON_OK)
		rc = rules_new(&e->rules, opts->rules, opts->nrules, opts->error, opts->error_len);
	if (rc != CORDON_OK) {
		cordon_engine_free(e);
		return rc;
	}

	uchar anchors[256] = { 0 };
	unsigned triggers = 0;
	for (unsigned i = 0; i < CORDON_ENTITY_COUNT; i++) {
		const struct detector *d = cordon_detectors[i];
		if (!(e->entities & CORDON_ENTITY_BIT(i)))
			continue;
		for (const char *a = d->anchors; a && *a; a++) {
			e->byte_wakes[(uchar)*a] |= 1u << i;
			anchors[(uchar)*a] = 1;
		}
		if (d->triggers & TRIGGER_DIGIT) {
			for (unsigned k = 0; k < DIGIT_KINDS; k++) {
				for (unsigned run = 1; run <= RUN_LONG; run++)
					if (digit_run_reads(d, 1u << k, run))
						e->digit_wakes[k][run] |= 1u << i;
				for (unsigned b = 0; b < BEFORE_KINDS; b++)
					for (unsigned a = 0; a < AFTER_KINDS; a++)
						if (digit_run_edges(d, 1u << k, b, a))
							e->edge_wakes[k][b][a] |= 1u << i;
			}
		}
		if ((d->triggers & TRIGGER_DIGIT) && d->number)
			e->number_asks |= 1u << i;
		for (unsigned t = 1; t < TRIGGER_KINDS; t++)
			if (d->triggers & (1u << t))
				e->trigger_wakes[t] |= 1u << i;
		triggers |= d->triggers; /* TRIGGER_DIGIT: the prefilter marks runs' first digits */
	}
	prefilter_init(&e->pf, anchors, triggers);
	*out = e;
	return CORDON_OK;
}

cordon_code cordon_engine_clone(const cordon_engine *e, cordon_engine **out)
{
	if (!e)
		return CORDON_ERR_ARG;
	struct cordon_engine_options o = CORDON_ENGINE_OPTIONS_INIT;
	o.entities = e->entities;
	o.min_score = e->min_score;
	o.region = e->region;
	size_t nrules = rules_count(e->rules);
	struct cordon_rule *rules = nrules ? calloc(nrules, sizeof(*rules)) : NULL;
	if (nrules && !rules)
		return CORDON_ERR_NOMEM;
	for (size_t k = 0; k < nrules; k++)
		rules[k] = *rules_source(e->rules, k);
	o.rules = rules;
	o.nrules = nrules;
	memcpy(o.entity_min_score, e->entity_min, sizeof(e->entity_min));
	const char **allow = e->nallow ? calloc(e->nallow, sizeof(*allow)) : NULL;
	if (e->nallow && !allow) {
		free(rules);
		return CORDON_ERR_NOMEM;
	}
	for (size_t i = 0; i < e->nallow; i++)
		allow[i] = e->allow[i].source;
	o.allow = allow;
	o.nallow = e->nallow;
	cordon_code rc = cordon_engine_new(out, &o);
	free(allow);
	free(rules);
	return rc;
}

void cordon_engine_free(cordon_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nallow; i++)
		allow_release(&e->allow[i]);
	free(e->allow);
	rules_free(e->rules);
	pcre2_match_data_free(e->md);
	free(e->cands.v);
	free(e->findings);
	free(e->pieces);
	free(e->owner);
	free(e->starts);
	free(e);
}

void engine_trim(cordon_engine *e)
{
	enum { KEEP = 1 << 16 }; /* entries: about 6 MB of both */
	if (e->cands.cap > KEEP) {
		free(e->cands.v);
		e->cands.v = NULL;
		e->cands.n = e->cands.cap = 0;
	}
	if (e->capfindings > KEEP) {
		free(e->findings);
		e->findings = NULL;
		e->nfindings = e->capfindings = 0;
	}
	if (e->cappieces > KEEP) {
		free(e->pieces);
		e->pieces = NULL;
		e->cappieces = 0;
	}
	if (e->capstarts > KEEP) {
		free(e->starts);
		e->starts = NULL;
		e->capstarts = 0;
	}
	if (e->capowner > KEEP * 16) {
		free(e->owner);
		e->owner = NULL;
		e->capowner = 0;
	}
}

const char *cordon_engine_error(const cordon_engine *e)
{
	return e ? e->err : "";
}

const char *cordon_engine_entity_name(const cordon_engine *e, cordon_entity entity)
{
	if ((unsigned)entity < CORDON_ENTITY_COUNT)
		return cordon_detectors[entity]->name;
	if ((unsigned)entity < CORDON_ENTITY_RULE_FIRST || !e ||
	    (unsigned)entity - CORDON_ENTITY_RULE_FIRST >= rules_count(e->rules))
		return NULL;
	return rules_name(e->rules, (unsigned)entity - CORDON_ENTITY_RULE_FIRST);
}

unsigned cordon_engine_entity_count(const cordon_engine *e)
{
	size_t n = e ? rules_count(e->rules) : 0;
	return n ? CORDON_ENTITY_RULE_FIRST + (unsigned)n : CORDON_ENTITY_COUNT;
}

/* The detectors a digit run may wake by its kind, its length and what
 * stands beside it (the tables made with the engine). */
static uint32_t run_wakes(const cordon_engine *e, const uchar *s, size_t len, size_t i)
{
	unsigned k = (unsigned)__builtin_ctz(digit_start_at(s, i)), run = digit_run_len(s, len, i);
	size_t d = i + run;
	while (d < len && is_digit(s[d]))
		d++; /* past RUN_LONG */
	return e->digit_wakes[k][run] & e->edge_wakes[k][run_before_at(s, i)][run_after_at(s, len, d)];
}

/* The detectors the digit run at s[i] wakes. Its number is read at its
 * first run (runs wake in order) and the wakes of all its groups are told
 * then: by the tables, and by the detectors' number() (struct number). All
 * of it follows from the number's shape, so it is kept by shape: most
 * numbers are of a few (versions, dates, times, amounts), and their runs
 * cost a lookup. */
static uint32_t digit_wakes_at(cordon_engine *e, const uchar *s, size_t len, size_t i)
{
	struct number *t = &e->num;
	if (i >= t->start && i < t->end) {
		if (t->n > NUMBER_GROUPS)
			return run_wakes(e, s, len, i);
		while (e->num_g + 1 < t->n && t->at[e->num_g + 1] <= i)
			e->num_g++;
		return t->at[e->num_g] == i ? e->num_wakes[e->num_g] : run_wakes(e, s, len, i);
	}
	number_read(s, len, i, t);
	e->num_g = 0;
	if (t->n > NUMBER_GROUPS)
		return run_wakes(e, s, len, i); /* longer than described: run by run */
	/* digit_start_at reads the byte before the one before: part of the
	 * shape here */
	uint64_t shape2 = t->shape[2] | (uint64_t)(i > 1 && is_digit(s[i - 2])) << 40;
	uint64_t h = (t->shape[0] * 0x9E3779B97F4A7C15ull) ^ (t->shape[1] * 0xC2B2AE3D27D4EB4Full) ^
		     (shape2 * 0x165667B19E3779F9ull);
	struct number_memo *m = &e->number_memo[h >> 56];
	if (m->shape[0] != t->shape[0] || m->shape[1] != t->shape[1] || m->shape[2] != shape2) {
		for (size_t g = 0; g < t->n; g++)
			m->wakes[g] = run_wakes(e, s, len, t->at[g]);
		for (uint32_t asks = e->number_asks; asks; asks &= asks - 1) {
			unsigned d = (unsigned)__builtin_ctz(asks);
			unsigned may = cordon_detectors[d]->number(t);
			for (size_t g = 0; g < t->n; g++)
				if (!(may >> g & 1))
					m->wakes[g] &= ~(1u << d);
		}
		m->shape[0] = t->shape[0];
		m->shape[1] = t->shape[1];
		m->shape[2] = shape2;
	}
	e->num_wakes = m->wakes;
	return m->wakes[0];
}

/* Wakes the detectors for position i, which the prefilter marked with the
 * triggers t (enum detector_trigger bits) and maybe as an anchor byte. */
static void wake(cordon_engine *e, const uchar *s, size_t len, size_t i, unsigned t)
{
	uint32_t wakes = e->byte_wakes[s[i]];
	if (t & TRIGGER_DIGIT)
		wakes |= digit_wakes_at(e, s, len, i);
	unsigned cue = t & TRIGGER_WORD_CUE;
	t &= ~(unsigned)(TRIGGER_DIGIT | TRIGGER_WORD_CUE);
	while (t) {
		unsigned k = (unsigned)__builtin_ctz(t);
		t &= t - 1;
		wakes |= e->trigger_wakes[k];
	}
	/* the masks mark a cue word's first three bytes: asked whole only when
	 * it would wake a detector the other marks do not ("Hi", "Customer"
	 * wake PERSON as capitals already) */
	_Static_assert(TRIGGER_WORD_CUE == 1u << 6, "trigger_wakes[6] is the cue words'");
	if (cue && (e->trigger_wakes[6] & ~wakes) && prefilter_cue_at(s, len, i))
		wakes |= e->trigger_wakes[6];
	while (wakes) {
		unsigned d = (unsigned)__builtin_ctz(wakes);
		wakes &= wakes - 1;
		if (i < e->next[d])
			continue;
		size_t next = cordon_detectors[d]->scan(s, len, i, &e->cands);
		e->next[d] = next > i ? next : i + 1;
	}
}

static int better(const struct cordon_finding *a, const struct cordon_finding *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	return a->end - a->start > b->end - b->start;
}

static int by_start(const void *pa, const void *pb);

static int by_better(const void *pa, const void *pb)
{
	const struct cordon_finding *a = pa, *b = pb;
	if (better(a, b))
		return -1;
	if (better(b, a))
		return 1;
	return by_start(a, b);
}

/* Findings that overlap share their bytes out: each byte goes to the best
 * finding covering it (score, then length), and what is left of the others
 * stays theirs, as pieces. Keeping only the better of two dropped the other
 * whole, and its bytes outside the overlap were written in clear (a
 * LOCATION around a PERSON: "Trevo Letícia Peixoto, 24, Trevo, 20881586
 * Duarte"). A piece of blanks, commas and semicolons only holds nothing and
 * is dropped; any other byte is kept ("!!" may be a password's end). Work
 * and memory grow with the findings' bytes (each span is bounded by its
 * detector), not with their pairs. findings[0..n) are sorted by start; the
 * result goes to e->pieces. */
static int share_overlaps(cordon_engine *e, const uchar *s, size_t n, size_t *count)
{
	size_t out = 0;
	for (size_t k = 0; k < n;) {
		/* a cluster: findings each starting before the furthest end so far */
		size_t j = k + 1, lo = e->findings[k].start, hi = e->findings[k].end;
		while (j < n && e->findings[j].start < hi) {
			if (e->findings[j].end > hi)
				hi = e->findings[j].end;
			j++;
		}
		size_t m = j - k;
		/* at most 2m - 1 pieces: each finding splits at most once more */
		if (ALLOC_GROW(e->pieces, out + 2 * m, e->cappieces))
			return -1;
		if (m == 1) {
			e->pieces[out++] = e->findings[k++];
			continue;
		}
		if (ALLOC_GROW(e->owner, hi - lo, e->capowner))
			return -1;
		struct cordon_finding *c = e->findings + k;
		qsort(c, m, sizeof(*c), by_better);
		for (size_t b = 0; b < hi - lo; b++)
			e->owner[b] = -1;
		for (size_t i = 0; i < m; i++)
			for (size_t b = c[i].start; b < c[i].end; b++)
				if (e->owner[b - lo] < 0)
					e->owner[b - lo] = (int32_t)i;
		for (size_t b = lo; b < hi;) {
			int32_t w = e->owner[b - lo];
			size_t r = b;
			int data = 0;
			while (r < hi && e->owner[r - lo] == w)
				data |= !BYTE_IN(" \t\r\n,;", s[r]) || !s[r], r++;
			if (w >= 0 && data && out > 0 && e->pieces[out - 1].end == b &&
			    e->pieces[out - 1].entity == c[w].entity) {
				e->pieces[out - 1].end = r; /* two of one entity side by side: one */
			} else if (w >= 0 && data) {
				e->pieces[out] = c[w];
				e->pieces[out].start = b;
				e->pieces[out].end = r;
				out++;
			}
			b = r;
		}
		k = j;
	}
	*count = out;
	return 0;
}

static int by_start(const void *pa, const void *pb)
{
	const struct cordon_finding *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return (int)a->entity - (int)b->entity;
}

cordon_code cordon_engine_scan(cordon_engine *e, const char *text, size_t len,
			       const struct cordon_finding **findings, size_t *count)
{
	if (!e || (!text && len) || !findings || !count)
		return CORDON_ERR_ARG;
	const uchar *s = (const uchar *)text;
	e->cands.n = 0;
	e->cands.failed = 0;
	/* a number no other scan of any engine in this process had: the
	 * detectors' memos are keyed by it, and a freed engine's candidates may
	 * be reused at the same address by the next one (--jobs clones). The
	 * thread's number in the high 20 bits, its own count below: no atomic
	 * add per record. When the count wraps (2^44 scans of one thread),
	 * a number comes again, never the one just before it, and the memos
	 * hold only the last scan's. */
	enum { SCAN_BITS = sizeof(unsigned long) * 8 - 20 };
	static unsigned long threads;
	static _Thread_local unsigned long thread_base, thread_scans;
	if (!thread_base)
		thread_base = __atomic_add_fetch(&threads, 1, __ATOMIC_RELAXED) << SCAN_BITS;
	e->cands.scan = thread_base | (++thread_scans & ((1ul << SCAN_BITS) - 1));
	e->cands.region = e->region;
	memset(e->next, 0, sizeof(e->next));
	e->num.start = e->num.end = 0;

	if (ALLOC_GROW(e->starts, len / 64 + 1, e->capstarts)) {
		snprintf(e->err, sizeof(e->err), "out of memory reading the record");
		return CORDON_ERR_NOMEM;
	}
	e->cands.starts = e->starts;
	struct prefilter_marks pm;
	for (size_t block = 0; block < len; block += 64) {
		prefilter_marks(&e->pf, s, len, block, &pm);
		e->starts[block / 64] = pm.start;
		_Static_assert(TRIGGER_WORD_CAPITAL == 1u << 4, "kind[4] is the capitals'");
		uint64_t m = pm.all, rare = 0; /* word marks other than a capital's */
		for (unsigned k = 1; k < TRIGGER_KINDS; k++)
			if (k != 4)
				rare |= pm.kind[k];
		while (m) {
			unsigned b = (unsigned)__builtin_ctzll(m);
			m &= m - 1;
			/* most marks are digits, anchor bytes and capitals */
			unsigned t = (unsigned)(pm.kind[0] >> b & 1) | (unsigned)(pm.kind[4] >> b & 1) << 4;
			if (rare >> b & 1)
				for (unsigned k = 1; k < TRIGGER_KINDS; k++)
					t |= (unsigned)(pm.kind[k] >> b & 1) << k;
			wake(e, s, len, block + b, t);
		}
	}
	int rrc = e->rules ? rules_scan(e->rules, s, len, &e->cands) : 0;
	if (rrc == -2 || rrc == -3) {
		snprintf(e->err, sizeof(e->err), rrc == -2 ? "a rule's pattern hit the PCRE2 match limit on this text"
							   : "PCRE2 gave a rule's match outside this text");
		return CORDON_ERR_TOO_LARGE;
	}
	if (rrc) {
		snprintf(e->err, sizeof(e->err), "out of memory collecting findings");
		return CORDON_ERR_NOMEM;
	}
	if (e->cands.failed) {
		snprintf(e->err, sizeof(e->err), "out of memory collecting findings");
		return CORDON_ERR_NOMEM;
	}

	if (ALLOC_GROW(e->findings, e->cands.n, e->capfindings)) {
		snprintf(e->err, sizeof(e->err), "out of memory collecting findings");
		return CORDON_ERR_NOMEM;
	}
	size_t n = 0;
	for (size_t k = 0; k < e->cands.n; k++) {
		struct candidate *c = &e->cands.v[k];
		if (c->start >= c->end || c->end > len)
			continue;
		const char *why, *name;
		double score;
		if ((unsigned)c->entity < CORDON_ENTITY_COUNT) {
			const struct detector *d = cordon_detectors[c->entity];
			score = context_adjust(d, s, len, c->start, c->end, c->score, &why);
			name = d->name;
		} else {
			unsigned rule = (unsigned)c->entity - CORDON_ENTITY_RULE_FIRST;
			if (!(e->entities & CORDON_ENTITY_BIT(c->entity)))
				continue;
			score = rules_adjust(e->rules, rule, s, len, c->start, c->end, c->score, &why);
			name = rules_name(e->rules, rule);
		}
		if (score < e->entity_min[c->entity])
			continue;
		e->findings[n++] = (struct cordon_finding){ c->entity, c->start, c->end, score, c->rule, why, name,
							    e->region };
		if (e->nallow && allowed(e, text, &e->findings[n - 1]))
			n--;
	}
	if (n > 1)
		qsort(e->findings, n, sizeof(*e->findings), by_start);
	size_t kept = 0;
	if (share_overlaps(e, (const uchar *)text, n, &kept)) {
		snprintf(e->err, sizeof(e->err), "out of memory collecting findings");
		return CORDON_ERR_NOMEM;
	}
	*findings = e->pieces;
	*count = kept;
	return CORDON_OK;
}

int engine_accepts(cordon_engine *e, const char *text, struct cordon_finding *f)
{
	if ((unsigned)f->entity >= CORDON_ENTITY_COUNT || !(e->entities & CORDON_ENTITY_BIT(f->entity)) ||
	    f->score < e->entity_min[f->entity])
		return 0;
	f->name = cordon_detectors[f->entity]->name;
	f->region = e->region;
	return !(e->nallow && allowed(e, text, f));
}

/* Runs fn over the finding's bytes, NFKC-casefolded first when they are not
 * ASCII, so fullwidth and other compatibility forms meet their plain twins. */
static size_t with_folded(const char *text, const struct cordon_finding *f,
			  size_t (*fn)(const uchar *, size_t, char *, size_t),
			  char *out, size_t cap)
{
	const uchar *s = (const uchar *)text + f->start;
	size_t len = f->end - f->start;
	int ascii = 1;
	for (size_t i = 0; i < len && ascii; i++)
		ascii = s[i] < 0x80;
	if (ascii)
		return fn(s, len, out, cap);
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n = utf8proc_map(s, (utf8proc_ssize_t)len, &folded,
					  UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
						  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
	if (n < 0) /* not UTF-8: fold what is ASCII and leave the rest */
		return fn(s, len, out, cap);
	size_t r = fn(folded, (size_t)n, out, cap);
	free(folded);
	return r;
}

size_t cordon_finding_canonical(const char *text, const struct cordon_finding *f,
				char *out, size_t cap)
{
	if (!text || !f || (unsigned)f->entity >= CORDON_ENTITY_MAX || f->start > f->end)
		return 0;
	if (f->entity == CORDON_PHONE_NUMBER) {
		/* E.164 by libphonenumber; its own digit rules when it cannot
		 * read the number (too short for any country) */
		size_t n = phone_e164(text + f->start, f->end - f->start, f->region ? f->region : "US", out, cap);
		if (n)
			return n;
	}
	const struct detector *d = (unsigned)f->entity < CORDON_ENTITY_COUNT ? cordon_detectors[f->entity] : NULL;
	return with_folded(text, f, d && d->canonical ? d->canonical : canonical_generic, out, cap);
}

size_t cordon_finding_mask(const char *text, const struct cordon_finding *f,
			   char *out, size_t cap)
{
	if (!text || !f || (unsigned)f->entity >= CORDON_ENTITY_MAX || f->start > f->end)
		return 0;
	const struct detector *d = (unsigned)f->entity < CORDON_ENTITY_COUNT ? cordon_detectors[f->entity] : NULL;
	const uchar *s = (const uchar *)text + f->start;
	size_t len = f->end - f->start;
	if (!d || !d->mask)
		return mask_generic(s, len, out, cap);
	size_t n = with_folded(text, f, d->mask, out, cap);
	/* a preview is whole characters: a detector's mask that cut one gives
	 * way to the generic one, which writes '*' for each */
	if (n < cap && utf8_valid_upto((const uchar *)out, n) != n)
		return mask_generic(s, len, out, cap);
	/* a preview never shows the whole value, nor most of it: a detector's
	 * mask that keeps the shape of a short value (a@x.io) gives way to one
	 * that hides every letter and digit */
	size_t value = 0, shown = 0;
	for (size_t i = 0; i < len; i++)
		value += is_alnum(s[i]) || s[i] >= 0x80;
	for (size_t i = 0; cap && i < n && i + 1 < cap; i++)
		shown += is_alnum((uchar)out[i]);
	if (shown && 2 * shown > value)
		return mask_generic(s, len, out, cap);
	return n;
}
