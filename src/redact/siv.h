/* Deterministic authenticated encryption: AES-SIV (RFC 5297) from OpenSSL 3. */
#ifndef CORDON_REDACT_SIV_H
#define CORDON_REDACT_SIV_H

#include <stddef.h>

enum { SIV_TAG = 16 };

/* cipher: "AES-256-SIV" (64-byte key) or "AES-128-SIV" (32). out receives the
 * tag then the ciphertext (SIV_TAG + n bytes). Returns 0 on success. */
int siv_encrypt(const char *cipher, const unsigned char *key, const void *ad, size_t adlen,
		const void *in, size_t n, unsigned char *out);
/* in holds tag then ciphertext (n > SIV_TAG); out receives n - SIV_TAG bytes.
 * Returns -1 when the tag does not verify (wrong key, changed data or ad). */
int siv_decrypt(const char *cipher, const unsigned char *key, const void *ad, size_t adlen,
		const unsigned char *in, size_t n, unsigned char *out);

#endif
