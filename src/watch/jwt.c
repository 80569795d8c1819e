/* The clouds' own signed tokens on cloud change events: an OpenID Connect
 * ID token (a JWT, RFC 7519) in Authorization: Bearer, as GCP Pub/Sub
 * push sends with an authenticated subscription and Azure Event Grid
 * with Microsoft Entra ID authentication. Verified against the keys of a
 * JWKS file (RFC 7517: Google's https://www.googleapis.com/oauth2/v3/certs,
 * Entra's .../discovery/v2.0/keys, fetched by a timer), read at each
 * request so a rotated key counts at once.
 *
 * RS256 only (what both clouds sign with): "none", HMAC (the classic
 * confusion with a public key used as a secret) and anything else are
 * refused. The claims: exp (required), nbf and iat with 60 s of skew,
 * aud, iss, and for Pub/Sub the service account's email, verified. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include "watch/watch.h"

enum { JWKS_MAX = 1 << 20, TOKEN_MAX = 16 << 10, SKEW_S = 60 };

static unsigned char *b64url(const char *s, size_t len, size_t *out)
{
	unsigned char *bin = malloc(len + 1);
	if (!bin)
		return NULL;
	if (sodium_base642bin(bin, len + 1, s, len, NULL, out, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING)) {
		free(bin);
		return NULL;
	}
	bin[*out] = '\0';
	return bin;
}

static json_t *b64url_json(const char *s, size_t len)
{
	size_t n;
	unsigned char *bin = b64url(s, len, &n);
	json_t *j = bin ? json_loadb((const char *)bin, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
	free(bin);
	return json_is_object(j) ? j : (json_decref(j), NULL);
}

static json_t *read_jwks(const char *path, char *why, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > JWKS_MAX) {
		snprintf(why, cap, "the keys (%s): %s", path, fd < 0 ? strerror(errno) : "not a file of at most 1 MiB");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	ssize_t got = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	close(fd);
	json_t *j = got >= 0 ? json_loadb(buf, (size_t)got, 0, NULL) : NULL;
	free(buf);
	if (!json_is_array(json_object_get(j, "keys"))) {
		snprintf(why, cap, "the keys (%s) are not a JWKS ({\"keys\": [...]})", path);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* An RSA public key from a JWK's n and e. */
static EVP_PKEY *rsa_key(json_t *jwk)
{
	const char *n = json_string_value(json_object_get(jwk, "n")), *e = json_string_value(json_object_get(jwk, "e"));
	if (!n || !e)
		return NULL;
	size_t nl, el;
	unsigned char *nb = b64url(n, strlen(n), &nl), *eb = b64url(e, strlen(e), &el);
	EVP_PKEY *key = NULL;
	BIGNUM *bn = nb ? BN_bin2bn(nb, (int)nl, NULL) : NULL, *be = eb ? BN_bin2bn(eb, (int)el, NULL) : NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	if (bn && be && bld && nl >= 256 && /* 2048 bits at least */
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) && (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) &&
	    EVP_PKEY_fromdata_init(ctx) == 1)
		if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
			key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn);
	BN_free(be);
	free(nb);
	free(eb);
	return key;
}

static int verify_rs256(EVP_PKEY *key, const char *data, size_t len, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
		 EVP_DigestVerify(md, sig, siglen, (const unsigned char *)data, len) == 1;
	EVP_MD_CTX_free(md);
	return ok;
}

static int aud_ok(json_t *aud, const char *want)
{
	if (json_is_string(aud))
		return !strcmp(json_string_value(aud), want);
	size_t i;
	json_t *v;
	json_array_foreach(aud, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), want))
			return 1;
	return 0;
}

int watch_jwt_verify(const char *token, const struct cordon_watch_token *t, time_t now, char *why, size_t cap)
{
	size_t len = strlen(token);
	const char *dot1 = strchr(token, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (len > TOKEN_MAX || !dot1 || !dot2 || strchr(dot2 + 1, '.')) {
		snprintf(why, cap, "not a signed token (JWT)");
		return 0;
	}
	json_t *head = b64url_json(token, (size_t)(dot1 - token));
	json_t *claims = b64url_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	size_t siglen = 0;
	unsigned char *sig = b64url(dot2 + 1, strlen(dot2 + 1), &siglen);
	json_t *jwks = NULL;
	int ok = 0;
	const char *alg = json_string_value(json_object_get(head, "alg"));
	if (!head || !claims || !sig) {
		snprintf(why, cap, "a token that does not decode");
	} else if (!alg || strcmp(alg, "RS256")) {
		snprintf(why, cap, "a token signed with %s (RS256 only)", alg ? alg : "no algorithm");
	} else if ((jwks = read_jwks(t->jwks, why, cap))) {
		const char *kid = json_string_value(json_object_get(head, "kid"));
		size_t i;
		json_t *k;
		int tried = 0;
		json_array_foreach(json_object_get(jwks, "keys"), i, k) {
			const char *kty = json_string_value(json_object_get(k, "kty"));
			const char *kkid = json_string_value(json_object_get(k, "kid"));
			const char *kalg = json_string_value(json_object_get(k, "alg"));
			if (!kty || strcmp(kty, "RSA") || (kid && (!kkid || strcmp(kid, kkid))) || (kalg && strcmp(kalg, "RS256")))
				continue;
			EVP_PKEY *key = rsa_key(k);
			tried++;
			if (key && verify_rs256(key, token, (size_t)(dot2 - token), sig, siglen))
				ok = 1;
			EVP_PKEY_free(key);
			if (ok)
				break;
		}
		if (!ok)
			snprintf(why, cap, tried ? "the token's signature does not verify" : "no key in %s has the token's kid",
				 t->jwks);
	}
	if (ok) { /* the signature holds: now what it says */
		json_t *exp = json_object_get(claims, "exp"), *nbf = json_object_get(claims, "nbf"),
		       *iat = json_object_get(claims, "iat");
		const char *iss = json_string_value(json_object_get(claims, "iss"));
		const char *email = json_string_value(json_object_get(claims, "email"));
		json_t *verified = json_object_get(claims, "email_verified");
		ok = 0;
		if (!json_is_integer(exp) && !json_is_real(exp))
			snprintf(why, cap, "the token has no expiry");
		else if ((double)now > json_number_value(exp) + SKEW_S)
			snprintf(why, cap, "the token expired");
		else if ((nbf && (double)now + SKEW_S < json_number_value(nbf)) ||
			 (iat && (double)now + SKEW_S < json_number_value(iat)))
			snprintf(why, cap, "the token is not valid yet");
		else if (!aud_ok(json_object_get(claims, "aud"), t->audience))
			snprintf(why, cap, "the token is for another audience");
		else if (!iss || (t->issuer ? strcmp(iss, t->issuer)
					    : strcmp(iss, "https://accounts.google.com") && strcmp(iss, "accounts.google.com")))
			snprintf(why, cap, "the token is from another issuer");
		else if (t->email && (!email || strcmp(email, t->email) ||
				      !(json_is_true(verified) ||
					(json_is_string(verified) && !strcmp(json_string_value(verified), "true")))))
			snprintf(why, cap, "the token is for another account");
		else
			ok = 1;
	}
	json_decref(head);
	json_decref(claims);
	json_decref(jwks);
	free(sig);
	return ok;
}
