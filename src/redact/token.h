/* The token grammar the encrypt operator writes and restore reads:
 *   "[" NAME ":enc:" BASE64URL "]"
 * NAME: the entity's name, 1 to 63 letters, digits and '_' (a user rule may
 * be CUST2_ID or ticket_ref); BASE64URL: the AES-SIV tag and ciphertext,
 * unpadded. One definition, so what encrypt writes restore finds. */
#ifndef CORDON_REDACT_TOKEN_H
#define CORDON_REDACT_TOKEN_H

#include <stddef.h>

#define TOKEN_ENC_MARK ":enc:"
enum { TOKEN_NAME_MAX = 63 };

enum token_status {
	TOKEN_NONE,      /* no token from here on */
	TOKEN_OK,        /* [*start, *end) is a token */
	TOKEN_MALFORMED  /* "[NAME:enc:" at *start is not followed by a whole token */
};

/* The next token in s[from, len): its span, or where a malformed one starts. */
enum token_status token_next(const char *s, size_t len, size_t from, size_t *start, size_t *end);

/* Is name a valid entity name for a token? */
int token_name_ok(const char *name, size_t len);

#endif
