/* libFuzzer: an nkey seed file as --nkey reads it (worker/nkey.c): the seed
 * is found in any text, decoded from base32, its prefix and CRC checked,
 * and its public key derived. Any bytes: no crash, and a key given back is
 * a well-formed user public key (base32 of 'U', 32 bytes, a good CRC) that
 * the same input gives again. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "worker/worker_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char pub[96], again[96], err[200];
	if (nkey_public_of_seed((const char *)data, size, pub, sizeof(pub), err, sizeof(err)))
		return 0;
	unsigned char raw[40];
	long n = nkey_base32_decode(pub, strlen(pub), raw, sizeof(raw));
	if (n != 35 || raw[0] != (20 << 3) || nkey_crc16(raw, 33) != (uint16_t)(raw[33] | raw[34] << 8))
		abort();
	if (nkey_public_of_seed((const char *)data, size, again, sizeof(again), err, sizeof(err)) || strcmp(pub, again))
		abort();
	return 0;
}
