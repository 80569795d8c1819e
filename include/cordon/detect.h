/* cordon detection: find personal data in a byte string.
 * An engine is compiled once from options and then scans any number of texts;
 * it owns the findings it returns until its next scan. One engine per thread. */
#ifndef CORDON_DETECT_H
#define CORDON_DETECT_H

#include <stddef.h>
#include <stdint.h>
#include "cordon/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Entity names follow Microsoft Presidio's where one exists. */
typedef enum cordon_entity {
	CORDON_EMAIL_ADDRESS = 0,
	CORDON_IP_ADDRESS,
	CORDON_PHONE_NUMBER,
	CORDON_CREDIT_CARD,
	CORDON_IBAN_CODE,
	CORDON_US_SSN,
	CORDON_MAC_ADDRESS,
	CORDON_URL_CREDENTIALS,
	CORDON_SECRET,
	CORDON_PRODUCT_KEY,
	CORDON_PERSON,
	CORDON_LOCATION,
	CORDON_ENTITY_COUNT /* how many built-in ones there are */
} cordon_entity;

/* Built-in entities and user rules together: entity numbers are below this. */
#define CORDON_ENTITY_MAX 64
/* User rule k is entity CORDON_ENTITY_RULE_FIRST + k, whatever number of
 * built-in entities a version has: a rule's number (and its place in
 * struct cordon_stream_stats.findings) does not move when one is added.
 * Numbers from CORDON_ENTITY_COUNT up to it are unused. */
#define CORDON_ENTITY_RULE_FIRST 32
#define CORDON_RULE_MAX (CORDON_ENTITY_MAX - CORDON_ENTITY_RULE_FIRST)
#define CORDON_ENTITY_BIT(e) ((uint64_t)1 << (e))
#define CORDON_ENTITY_ALL (~(uint64_t)0)

/* "EMAIL_ADDRESS" for CORDON_EMAIL_ADDRESS; NULL for user rules and out of
 * range (cordon_engine_entity_name knows those). */
CORDON_API const char *cordon_entity_name(cordon_entity entity);
/* Looks a name up, case-insensitively. Returns CORDON_ERR_ARG when unknown. */
CORDON_API cordon_code cordon_entity_from_name(const char *name, cordon_entity *out);

/* One piece of personal data: bytes [start, end) of the scanned text. */
struct cordon_finding {
	cordon_entity entity;
	size_t start;
	size_t end;
	double score; /* 0..1: base score of the form, raised by context words */
	const char *rule;    /* the form and checks that decided it (static text) */
	const char *context; /* the context word before it that raised the score
				("email") or the decoy word that lowered it
				("build"), or "" (static text) */
	const char *name;    /* the entity's name ("EMAIL_ADDRESS", or a user
				rule's), valid while the engine is */
	const char *region;  /* the engine's region: how a national phone
				number reads in canonical forms */
};

/* A user rule: a new entity found by a pattern or a list of words, e.g.
 * CUSTOMER_ID from "CUST-[0-9]{8}". Checked when the engine is made: a bad
 * pattern or unknown validator fails cordon_engine_new, naming the rule. */
struct cordon_rule {
	const char *name;     /* entity name: letters, digits, '_'; not a built-in's */
	/* Either a regular expression (PCRE2, run by its JIT), ... */
	const char *pattern;
	int caseless;
	/* ... or words and phrases always redacted (a deny list): whole words,
	 * any case. */
	const char *const *words;
	size_t nwords;
	/* NULL, or a check the value must pass: "luhn", "mod97" (IBAN), "aba"
	 * (US routing number), "verhoeff". Non-digits are skipped (mod97 reads
	 * letters as IBAN does). */
	const char *validator;
	/* Words near a value (within window bytes before or after) that raise
	 * its score by 0.25. */
	const char *const *context;
	size_t ncontext;
	size_t window; /* 0: 48 */
	double score;  /* base score, 0..1 */
};

struct cordon_engine_options {
	uint64_t entities; /* CORDON_ENTITY_BIT(entity) per entity to find; 0: all */
	double min_score;  /* findings below this are dropped; default 0.5 */
	/* Per entity, a minimum that replaces min_score when above 0. */
	double entity_min_score[CORDON_ENTITY_MAX];
	/* Values never reported, copied (the list may go after the call): a
	 * finding's canonical form ("support@contoso.com"), or, written
	 * "/regex/", a PCRE2 pattern (caseless) matching the whole of it. */
	const char *const *allow;
	size_t nallow;
	/* User rules (copied): rule k is entity CORDON_ENTITY_RULE_FIRST + k. */
	const struct cordon_rule *rules;
	size_t nrules;
	/* Where cordon_engine_new says what is wrong with an option (a bad
	 * pattern), or NULL. */
	char *error;
	size_t error_len;
	/* The country national phone numbers are read in, ISO 3166 alpha-2
	 * ("DE": "0171 1234567" is +491711234567); NULL: "US". Numbers written
	 * internationally ("+44 (0)20...", "0044 20...") need none. */
	const char *region;
};
#define CORDON_ENGINE_OPTIONS_INIT { 0, 0.5, { 0 }, NULL, 0, NULL, 0, NULL, 0, NULL }

typedef struct cordon_engine cordon_engine;

CORDON_API cordon_code cordon_engine_new(cordon_engine **out,
					 const struct cordon_engine_options *opts);
CORDON_API void cordon_engine_free(cordon_engine *engine);
/* A new engine with the same options, for another thread. */
CORDON_API cordon_code cordon_engine_clone(const cordon_engine *engine, cordon_engine **out);

/* Finds personal data in text[0..len). The findings are sorted by start, do not
 * overlap, and stay valid until the next call on this engine. Fails with
 * CORDON_ERR_TOO_LARGE when a rule's pattern hits PCRE2's match limit on the
 * text (cordon_engine_error says so): the text is not scanned in full. */
CORDON_API cordon_code cordon_engine_scan(cordon_engine *engine, const char *text,
					  size_t len,
					  const struct cordon_finding **findings,
					  size_t *count);

/* Writes the canonical form of a finding's value (e.g. "xyz@contoso.com" for
 * "XYZ @ contoso com"; a phone number in E.164, read in the finding's
 * region, by libphonenumber) into out, NUL-terminated and cut to cap.
 * Returns its length before cutting. Used for keyed pseudonyms, subject
 * lists and allow lists. */
CORDON_API size_t cordon_finding_canonical(const char *text,
					   const struct cordon_finding *finding,
					   char *out, size_t cap);

/* Writes a masked preview (j***@c******.com, ****-****-****-1111) that is safe
 * to log. Same contract as cordon_finding_canonical. */
CORDON_API size_t cordon_finding_mask(const char *text,
				      const struct cordon_finding *finding,
				      char *out, size_t cap);

/* The name of an entity, built-in or a rule of this engine; NULL if none. */
CORDON_API const char *cordon_engine_entity_name(const cordon_engine *engine,
						 cordon_entity entity);
/* Entity numbers of this engine are below this: CORDON_ENTITY_COUNT
 * without rules, CORDON_ENTITY_RULE_FIRST + its rules with them. A number
 * below it that names no entity has a NULL cordon_engine_entity_name. */
CORDON_API unsigned cordon_engine_entity_count(const cordon_engine *engine);

/* The detail of the last error on this engine, or "". */
CORDON_API const char *cordon_engine_error(const cordon_engine *engine);

#ifdef __cplusplus
}
#endif
#endif
