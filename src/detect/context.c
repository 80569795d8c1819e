/* Context scoring: words just before a value say what it is ("e-mail", "card",
 * "SSN") or what it is not ("build", "KB", "case #"). Runs per candidate only. */
#include <string.h>
#include "detect/detector.h"

enum { CONTEXT_WINDOW = 48 }; /* bytes before a value searched for context words */
#define CONTEXT_BOOST 0.25
#define DECOY_PENALTY 0.6

static const char *in_list(const char *w, const char *const *list);

const char *context_find(const uchar *s, size_t from, size_t to, const char *const *words)
{
	size_t i = from;
	while (i > 0 && i < to && is_word(s[i - 1]))
		i++; /* start at a token boundary */
	while (i < to) {
		while (i < to && !(is_alnum(s[i]) || s[i] == '#'))
			i++;
		char tok[33];
		size_t n = 0;
		while (i < to && (is_alnum(s[i]) || s[i] == '-' || s[i] == '#')) {
			if (n < sizeof(tok) - 1)
				tok[n++] = (char)to_lower(s[i]);
			i++;
		}
		tok[n] = '\0';
		const char *hit = n && n < sizeof(tok) - 1 ? in_list(tok, words) : NULL;
		if (hit)
			return hit;
	}
	return NULL;
}

static const char *in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && !strcmp(w, *list))
			return *list;
	return NULL;
}

/* Is the word just before a value (past "#", ":", "no.", "number") a decoy,
 * as in "case #1234567890", "build 10.0.0.1", "order no. 555 1234"? */
static const char *decoy_before(const uchar *s, size_t start, const char *const *decoys)
{
	static const char *const fillers[] = { "no", "nr", "number", "num", "id", NULL };
	size_t i = start;
	for (int words = 0; words < 3; words++) {
		for (size_t gap = 0; i > 0 && gap < 8 && s[i - 1] &&
				     (is_space(s[i - 1]) || strchr("#:.-(=", s[i - 1]));
		     gap++)
			i--;
		char w[33];
		size_t e = i;
		while (i > 0 && is_alpha(s[i - 1]) && e - i < 32)
			i--;
		if (i == e || (i > 0 && is_word(s[i - 1])))
			return NULL;
		for (size_t k = 0; k < e - i; k++)
			w[k] = (char)to_lower(s[i + k]);
		w[e - i] = '\0';
		const char *hit = in_list(w, decoys);
		if (hit)
			return hit;
		if (!in_list(w, fillers))
			return NULL;
	}
	return NULL;
}

double context_adjust(const struct detector *d, const uchar *s, size_t len,
		      size_t start, size_t end, double score, const char **why)
{
	(void)end;
	(void)len;
	*why = "";
	const char *hit;
	if (d->decoys && (hit = decoy_before(s, start, d->decoys))) {
		score -= DECOY_PENALTY;
		*why = hit; /* a decoy word: the score went down */
	}
	if (d->context && score < 1.0) {
		size_t from = start > CONTEXT_WINDOW ? start - CONTEXT_WINDOW : 0;
		if ((hit = context_find(s, from, start, d->context))) {
			score += CONTEXT_BOOST;
			if (!**why)
				*why = hit;
		}
	}
	if (score > 1.0)
		score = 1.0;
	if (score < 0.0)
		score = 0.0;
	return score;
}
