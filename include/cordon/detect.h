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
	CORDON_ENTITY_COUNT
} cordon_entity;

#define CORDON_ENTITY_ALL ((uint32_t)((1u << CORDON_ENTITY_COUNT) - 1))

/* "EMAIL_ADDRESS" for CORDON_EMAIL_ADDRESS; NULL when out of range. */
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
};

struct cordon_engine_options {
	uint32_t entities; /* bit (1u << entity) per entity to find; 0 means all */
	double min_score;  /* findings below this are dropped; default 0.5 */
	/* Per entity, a minimum that replaces min_score when above 0. */
	double entity_min_score[CORDON_ENTITY_COUNT];
	/* Values never reported, copied (the list may go after the call): a
	 * finding's canonical form ("support@contoso.com"), or, written
	 * "/regex/", a PCRE2 pattern (caseless) matching the whole of it. */
	const char *const *allow;
	size_t nallow;
	/* Where cordon_engine_new says what is wrong with an option (a bad
	 * pattern), or NULL. */
	char *error;
	size_t error_len;
};
#define CORDON_ENGINE_OPTIONS_INIT { 0, 0.5, { 0 }, NULL, 0, NULL, 0 }

typedef struct cordon_engine cordon_engine;

CORDON_API cordon_code cordon_engine_new(cordon_engine **out,
					 const struct cordon_engine_options *opts);
CORDON_API void cordon_engine_free(cordon_engine *engine);
/* A new engine with the same options, for another thread. */
CORDON_API cordon_code cordon_engine_clone(const cordon_engine *engine, cordon_engine **out);

/* Finds personal data in text[0..len). The findings are sorted by start, do not
 * overlap, and stay valid until the next call on this engine. */
CORDON_API cordon_code cordon_engine_scan(cordon_engine *engine, const char *text,
					  size_t len,
					  const struct cordon_finding **findings,
					  size_t *count);

/* Writes the canonical form of a finding's value (e.g. "xyz@contoso.com" for
 * "XYZ @ contoso com") into out, NUL-terminated and cut to cap. Returns its
 * length before cutting. Used for keyed pseudonyms and subject lists. */
CORDON_API size_t cordon_finding_canonical(const char *text,
					   const struct cordon_finding *finding,
					   char *out, size_t cap);

/* Writes a masked preview (j***@c******.com, ****-****-****-1111) that is safe
 * to log. Same contract as cordon_finding_canonical. */
CORDON_API size_t cordon_finding_mask(const char *text,
				      const struct cordon_finding *finding,
				      char *out, size_t cap);

/* The detail of the last error on this engine, or "". */
CORDON_API const char *cordon_engine_error(const cordon_engine *engine);

#ifdef __cplusplus
}
#endif
#endif
