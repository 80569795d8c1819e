/* cordon redaction: what replaces a finding. A redactor holds the operator and,
 * for pseudonyms, the key; it owns the replacement text it returns until its
 * next call. One redactor per thread. */
#ifndef CORDON_REDACT_H
#define CORDON_REDACT_H

#include <stddef.h>
#include "cordon/common.h"
#include "cordon/detect.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cordon_operator {
	CORDON_OP_TAG = 0,  /* [EMAIL_ADDRESS] */
	CORDON_OP_MASK,     /* j***@c******.com, ****-****-****-1111 */
	CORDON_OP_PSEUDONYM, /* [EMAIL_ADDRESS:3f9c0a1d52e4b7c8], keyed and stable */
	CORDON_OP_ENCRYPT    /* [EMAIL_ADDRESS:enc:…], AES-SIV: reversible with the key */
} cordon_operator;

/* Shortest key accepted for pseudonyms, in bytes. */
#define CORDON_KEY_MIN 16

CORDON_API cordon_code cordon_operator_from_name(const char *name, cordon_operator *out);

typedef struct cordon_redactor cordon_redactor;

CORDON_API cordon_code cordon_redactor_new(cordon_redactor **out, cordon_operator op);
CORDON_API void cordon_redactor_free(cordon_redactor *redactor);
/* A new redactor with the same operator and key, for another thread. */
CORDON_API cordon_code cordon_redactor_clone(const cordon_redactor *redactor,
					     cordon_redactor **out);

/* Uses op for findings of this entity instead of the redactor's operator. */
CORDON_API cordon_code cordon_redactor_set_entity_operator(cordon_redactor *redactor,
							   cordon_entity entity, cordon_operator op);

/* Whether the operator, or one set per entity, needs a key (pseudonym,
 * encrypt). */
CORDON_API int cordon_redactor_needs_key(const cordon_redactor *redactor);

/* Sets the pseudonym key from bytes (at least CORDON_KEY_MIN). */
CORDON_API cordon_code cordon_redactor_set_key(cordon_redactor *redactor,
					       const void *key, size_t len);
/* Reads the key from a file, refusing one that group or others may read or
 * that is not a regular file. Trailing newlines are not part of the key. */
CORDON_API cordon_code cordon_redactor_set_key_file(cordon_redactor *redactor,
						    const char *path);

/* The text that replaces finding f of text. *repl stays valid until the next
 * call. Fails with CORDON_ERR_KEY for a pseudonym without a key. */
CORDON_API cordon_code cordon_redactor_replace(cordon_redactor *redactor,
					       const char *text,
					       const struct cordon_finding *f,
					       const char **repl, size_t *repl_len);

/* As _replace, with operator op whatever the redactor's and the entity's
 * (a field policy's pseudonym of a value that is one finding: the same
 * token as the pseudonym operator gives it in free text). */
CORDON_API cordon_code cordon_redactor_replace_as(cordon_redactor *redactor, cordon_operator op,
						  const char *text, const struct cordon_finding *f,
						  const char **repl, size_t *repl_len);

/* The text that replaces a whole value (a field policy's tag or pseudonym)
 * with operator op, whatever the redactor's own: "[LABEL]", a mask of the
 * value, or "[LABEL:hash]" keyed on the value with blanks trimmed and
 * NFKC-casefolded. Same lifetime rules as _replace. */
CORDON_API cordon_code cordon_redactor_replace_value(cordon_redactor *redactor,
						     cordon_operator op, const char *value,
						     size_t len, const char *label,
						     const char **repl, size_t *repl_len);

/* The value an encrypt token ("[ENTITY:enc:…]", len bytes) stands for.
 * CORDON_ERR_KEY when it does not verify: a wrong key, or a changed token.
 * CORDON_ERR_ARG when it is not such a token. *value lives until the next call. */
CORDON_API cordon_code cordon_redactor_restore(cordon_redactor *redactor, const char *token,
					       size_t len, const char **value, size_t *value_len);

CORDON_API const char *cordon_redactor_error(const cordon_redactor *redactor);

#ifdef __cplusplus
}
#endif
#endif
