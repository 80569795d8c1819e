/* AES-SIV through OpenSSL 3's EVP interface. SIV needs no nonce: the same
 * value, key and associated data always give the same token, which is what
 * joins and look-ups need, and any change to a token fails its tag. */
#include <openssl/evp.h>
#include "redact/siv.h"

static int run(const char *cipher, const unsigned char *key, const void *ad, size_t adlen,
	       const unsigned char *in, size_t n, unsigned char *out, unsigned char *tag, int enc)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, cipher, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len, ok = c && ctx && n <= 0x7fffffff && adlen <= 0x7fffffff &&
		      EVP_CipherInit_ex2(ctx, c, key, NULL, enc, NULL);
	if (ok && !enc) /* the tag goes in before any data */
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, SIV_TAG, tag) == 1;
	if (ok && adlen)
		ok = EVP_CipherUpdate(ctx, NULL, &len, ad, (int)adlen) == 1;
	if (ok) /* SIV takes the whole message in one update */
		ok = EVP_CipherUpdate(ctx, out, &len, in, (int)n) == 1;
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + len, &len) == 1;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, SIV_TAG, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ok ? 0 : -1;
}

int siv_encrypt(const char *cipher, const unsigned char *key, const void *ad, size_t adlen,
		const void *in, size_t n, unsigned char *out)
{
	return run(cipher, key, ad, adlen, in, n, out + SIV_TAG, out, 1);
}

int siv_decrypt(const char *cipher, const unsigned char *key, const void *ad, size_t adlen,
		const unsigned char *in, size_t n, unsigned char *out)
{
	if (n <= SIV_TAG)
		return -1;
	unsigned char tag[SIV_TAG];
	for (int i = 0; i < SIV_TAG; i++)
		tag[i] = in[i];
	return run(cipher, key, ad, adlen, in + SIV_TAG, n - SIV_TAG, out, tag, 0);
}
