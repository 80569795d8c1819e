/* User rules (src/detect/rules.c): entities defined by a configuration, found
 * by patterns or word lists rather than by a detector of their own. Rule k is
 * entity CORDON_ENTITY_RULE_FIRST + k. */
#ifndef CORDON_DETECT_RULES_H
#define CORDON_DETECT_RULES_H

#include "detect/detector.h"

struct rule_set;

/* Compiles and checks the rules; on a bad one returns CORDON_ERR_ARG with a
 * message naming it in err. */
cordon_code rules_new(struct rule_set **out, const struct cordon_rule *rules, size_t n, char *err,
		      size_t errlen);
void rules_free(struct rule_set *set);
size_t rules_count(const struct rule_set *set);
const struct cordon_rule *rules_source(const struct rule_set *set, size_t k);
const char *rules_name(const struct rule_set *set, unsigned k);
/* Pushes every validated match as a candidate. -1 when out of memory, -2
 * when a pattern hit PCRE2's match limit on this text, -3 when PCRE2 gave
 * a match outside it. Text that is not UTF-8 is matched without the JIT. */
int rules_scan(struct rule_set *set, const uchar *s, size_t len, struct candidates *out);
/* Raises the score of rule k's value when a context word is near. */
double rules_adjust(const struct rule_set *set, unsigned k, const uchar *s, size_t len, size_t start,
		    size_t end, double score, const char **why);
/* "luhn, mod97, ...", for messages. */
const char *rules_validator_names(void);

#endif
