/* nkeys (NATS's ed25519 keys, written in base32 with a prefix byte and a
 * CRC-16): libnats signs with a user's seed file but wants its public key
 * too, which a user holds as the seed only. The public key is the seed's
 * ed25519 key (libsodium) in the same armour. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/private_file.h"
#include "worker/worker_internal.h"

enum {
	PREFIX_SEED = 18 << 3, /* 'S' */
	PREFIX_USER = 20 << 3, /* 'U' */
	SEED_RAW = 2 + 32 + 2, /* two prefix bytes, the ed25519 seed, the CRC */
};

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

uint16_t nkey_crc16(const unsigned char *p, size_t n)
{
	uint16_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = crc & 0x8000 ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

size_t nkey_base32_encode(const unsigned char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	unsigned acc = 0, bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			if (o + 1 >= cap)
				return 0;
			out[o++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits) {
		if (o + 1 >= cap)
			return 0;
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	}
	out[o] = '\0';
	return o;
}

long nkey_base32_decode(const char *in, size_t n, unsigned char *out, size_t cap)
{
	size_t o = 0;
	unsigned acc = 0, bits = 0;
	for (size_t i = 0; i < n; i++) {
		const char *at = memchr(alphabet, in[i], 32);
		if (!in[i] || !at)
			return -1;
		acc = (acc << 5) | (unsigned)(at - alphabet);
		bits += 5;
		if (bits >= 8) {
			if (o >= cap)
				return -1;
			out[o++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	return (long)o;
}

int nkey_public_of_seed(const char *text, size_t len, char *pub, size_t cap, char *err, size_t err_len)
{
	/* the seed: the first word starting "SU" (a bare seed, or one in an
	 * .nk file or a .creds file's seed block) */
	int rc = -1;
	const char *p = NULL, *end = text + len;
	for (const char *at = text; at + 1 < end; at++)
		if (at[0] == 'S' && at[1] == 'U' && (at == text || strchr(" \t\r\n", at[-1]))) {
			p = at;
			break;
		}
	size_t n = 0;
	while (p && p + n < end && p[n] && memchr(alphabet, p[n], 32))
		n++;
	unsigned char raw[SEED_RAW + 4], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	long got = p && n <= 2 * sizeof(raw) ? nkey_base32_decode(p, n, raw, sizeof(raw)) : -1;
	if (got != SEED_RAW || (raw[0] & 0xf8) != PREFIX_SEED ||
	    (unsigned)(((raw[0] & 7) << 5) | (raw[1] >> 3)) != PREFIX_USER) {
		snprintf(err, err_len, "it holds no user seed (a line starting SU)");
	} else if (nkey_crc16(raw, SEED_RAW - 2) != (uint16_t)(raw[SEED_RAW - 2] | raw[SEED_RAW - 1] << 8)) {
		snprintf(err, err_len, "the seed's check value is wrong (a copy cut short?)");
	} else if (sodium_init() < 0 || crypto_sign_seed_keypair(pk, sk, raw + 2) != 0) {
		snprintf(err, err_len, "cannot derive its public key");
	} else {
		unsigned char u[1 + sizeof(pk) + 2];
		u[0] = PREFIX_USER;
		memcpy(u + 1, pk, sizeof(pk));
		uint16_t crc = nkey_crc16(u, 1 + sizeof(pk));
		u[1 + sizeof(pk)] = (unsigned char)(crc & 0xff);
		u[2 + sizeof(pk)] = (unsigned char)(crc >> 8);
		if (nkey_base32_encode(u, sizeof(u), pub, cap))
			rc = 0;
		else
			snprintf(err, err_len, "no room for the public key");
	}
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(sk, sizeof(sk));
	return rc;
}

int nkey_public_of_seed_file(const char *path, char *pub, size_t cap, char *err, size_t err_len)
{
	size_t len = 0;
	char *text = private_file_read(path, "nkey seed file", 64 << 10, &len, err, err_len);
	if (!text)
		return -1;
	char why[160];
	int rc = nkey_public_of_seed(text, len, pub, cap, why, sizeof(why));
	if (rc)
		snprintf(err, err_len, "nkey seed file '%.200s': %s", path, why);
	sodium_memzero(text, len);
	free(text);
	return rc;
}
