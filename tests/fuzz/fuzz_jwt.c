/* libFuzzer: the signed tokens cordon watch takes on cloud change events
 * (watch/jwt.c), which it reads before it knows who sent them. The input
 * is the token. The keys are a public key whose private half is nowhere
 * in the tree (the seeds were signed with it, then it was thrown away), so
 * no input may be accepted: one that is would be a forgery, and aborts.
 * The seeds carry a good signature over claims that are each wrong in one
 * way (expired, audience, issuer, account, alg none, kid), at a fixed now. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "watch/watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char jwks[] = "{\"keys\": [{\"kty\": \"RSA\", \"alg\": \"RS256\", \"kid\": \"k1\", \"n\": \"m9CKJesmMRcGiOrrooP5Rw6jwNDVMq1b429DKfo7RZNBR6p7j7B7deppIyvd8YXzzdJEe3HRWA9bJzz0ZNdeNs8Ebzh2u_Ae8cqyKP8iFvUUbsJ8o_fN-xtbKC0BI_pPLFucVMdV8Pajy3H48BZSXgejvbCbL2hDuJdQRASMocN-Bs35_3Jq9BJR16T_sciGs_Vj3ADW4JaQVFxqDmMGLKOXat-xzdupXy9i2dru4CrhD9jP7ffVN4oG2pJx48rkzDRaKIRWX0xl4YO3cWuHnfm96qrqI6aJ0DlirDKcsPwDeU0kGM7xE4NydxFHUaUmlu2etctnHuqfFOr0Gs4KJw\", \"e\": \"AQAB\"}]}";
static char path[64];

static void setup(void)
{
	snprintf(path, sizeof(path), "/tmp/cordon-fuzz-jwks-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, jwks, sizeof(jwks) - 1) != (ssize_t)(sizeof(jwks) - 1))
		abort();
	close(fd);
}

static void cleanup(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		setup();
		atexit(cleanup);
	}
	char *token = malloc(size + 1);
	if (!token)
		return 0;
	memcpy(token, data, size);
	token[size] = '\0';
	struct cordon_watch_token t = { 4, path, "https://a.example/events/gcp", NULL, "p@x.iam.gserviceaccount.com" };
	char why[300];
	if (watch_jwt_verify(token, &t, (time_t)2000000000, why, sizeof(why)))
		abort(); /* accepted without the private key: a forgery */
	free(token);
	return 0;
}
