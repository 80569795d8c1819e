/* Operators: what replaces a finding. tag names the entity; mask keeps the
 * shape; pseudonym is a keyed HMAC-SHA-256 (libsodium) of the value's canonical
 * form, so "XYZ @ contoso com" and "xyz@contoso.com" give the same token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <utf8proc.h>
#include "cordon/redact.h"
#include "redact/siv.h"
#include "redact/token.h"
#include "util/buf.h"
#include "util/private_file.h"

enum { KEY_MAX = 4096, TEXT_MAX = 1024, PSEUDONYM_BYTES = 8, SIV_KEY = 64 };
#define SIV_CIPHER "AES-256-SIV"
#define ENC_MARK TOKEN_ENC_MARK

struct cordon_redactor {
	cordon_operator op;
	int entity_op[CORDON_ENTITY_MAX]; /* -1: op */
	unsigned char *key;
	size_t key_len;
	crypto_auth_hmacsha256_state keyed; /* HMAC state after the key: copied per value */
	unsigned char siv_key[SIV_KEY];     /* derived from the key for encrypt */
	char text[TEXT_MAX + 64];
	struct cordon_buf big;              /* encrypt tokens and restored values */
	struct cordon_buf canon;            /* a finding's canonical form, whole */
	char err[512];
};

static const char *const operator_names[] = {
	[CORDON_OP_TAG] = "tag", [CORDON_OP_MASK] = "mask", [CORDON_OP_PSEUDONYM] = "pseudonym",
	[CORDON_OP_ENCRYPT] = "encrypt",
};

cordon_code cordon_operator_from_name(const char *name, cordon_operator *out)
{
	if (!name || !out)
		return CORDON_ERR_ARG;
	for (size_t i = 0; i < sizeof(operator_names) / sizeof(*operator_names); i++)
		if (!strcmp(name, operator_names[i])) {
			*out = (cordon_operator)i;
			return CORDON_OK;
		}
	return CORDON_ERR_ARG;
}

cordon_code cordon_redactor_new(cordon_redactor **out, cordon_operator op)
{
	if (!out || (unsigned)op > CORDON_OP_ENCRYPT)
		return CORDON_ERR_ARG;
	if (sodium_init() < 0)
		return CORDON_ERR_NOMEM;
	cordon_redactor *r = calloc(1, sizeof(*r));
	if (!r)
		return CORDON_ERR_NOMEM;
	r->op = op;
	for (unsigned i = 0; i < CORDON_ENTITY_MAX; i++)
		r->entity_op[i] = -1;
	*out = r;
	return CORDON_OK;
}

cordon_code cordon_redactor_set_entity_operator(cordon_redactor *r, cordon_entity entity,
						cordon_operator op)
{
	if (!r || (unsigned)entity >= CORDON_ENTITY_MAX || (unsigned)op > CORDON_OP_ENCRYPT)
		return CORDON_ERR_ARG;
	r->entity_op[entity] = (int)op;
	return CORDON_OK;
}

static int keyed_op(int op)
{
	return op == CORDON_OP_PSEUDONYM || op == CORDON_OP_ENCRYPT;
}

int cordon_redactor_needs_key(const cordon_redactor *r)
{
	if (!r)
		return 0;
	int needed = keyed_op((int)r->op);
	for (unsigned i = 0; i < CORDON_ENTITY_MAX && !needed; i++)
		needed = keyed_op(r->entity_op[i]);
	return needed;
}

cordon_code cordon_redactor_clone(const cordon_redactor *r, cordon_redactor **out)
{
	if (!r || !out)
		return CORDON_ERR_ARG;
	cordon_code rc = cordon_redactor_new(out, r->op);
	if (rc == CORDON_OK)
		memcpy((*out)->entity_op, r->entity_op, sizeof(r->entity_op));
	if (rc == CORDON_OK && r->key && (rc = cordon_redactor_set_key(*out, r->key, r->key_len))) {
		cordon_redactor_free(*out);
		*out = NULL;
	}
	return rc;
}

static void drop_key(cordon_redactor *r)
{
	if (r->key) {
		sodium_memzero(r->key, r->key_len);
		free(r->key);
	}
	r->key = NULL;
	r->key_len = 0;
	sodium_memzero(&r->keyed, sizeof(r->keyed));
	sodium_memzero(r->siv_key, sizeof(r->siv_key));
}

void cordon_redactor_free(cordon_redactor *r)
{
	if (!r)
		return;
	drop_key(r);
	if (r->canon.data)
		sodium_memzero(r->canon.data, r->canon.cap);
	cordon_buf_release(&r->canon);
	if (r->big.data)
		sodium_memzero(r->big.data, r->big.cap);
	cordon_buf_release(&r->big);
	free(r);
}

const char *cordon_redactor_error(const cordon_redactor *r)
{
	return r ? r->err : "";
}

cordon_code cordon_redactor_set_key(cordon_redactor *r, const void *key, size_t len)
{
	if (!r || !key)
		return CORDON_ERR_ARG;
	if (len < CORDON_KEY_MIN || len > KEY_MAX) {
		snprintf(r->err, sizeof(r->err), "key must be %d to %d bytes, not %zu",
			 CORDON_KEY_MIN, KEY_MAX, len);
		return CORDON_ERR_KEY;
	}
	unsigned char *copy = malloc(len);
	if (!copy)
		return CORDON_ERR_NOMEM;
	memcpy(copy, key, len);
	drop_key(r);
	r->key = copy;
	r->key_len = len;
	crypto_auth_hmacsha256_init(&r->keyed, r->key, r->key_len);
	/* encrypt uses its own key, derived: never the pseudonym key itself */
	static const char label[] = "cordon encrypt AES-256-SIV v1";
	crypto_auth_hmacsha512_state h;
	crypto_auth_hmacsha512_init(&h, r->key, r->key_len);
	crypto_auth_hmacsha512_update(&h, (const unsigned char *)label, sizeof(label) - 1);
	crypto_auth_hmacsha512_final(&h, r->siv_key);
	sodium_memzero(&h, sizeof(h));
	return CORDON_OK;
}

cordon_code cordon_redactor_set_key_file(cordon_redactor *r, const char *path)
{
	if (!r || !path)
		return CORDON_ERR_ARG;
	/* a regular file only its owner can access (a FIFO is refused before
	 * anything is read), at most KEY_MAX bytes */
	size_t got = 0;
	int why;
	char *buf = private_file_load(path, "key file", KEY_MAX, &got, r->err, sizeof(r->err), &why);
	if (!buf)
		return why == PRIVATE_FILE_NOMEM ? CORDON_ERR_NOMEM : CORDON_ERR_KEY;
	size_t n = got;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	cordon_code rc = cordon_redactor_set_key(r, (const unsigned char *)buf, n);
	if (rc == CORDON_ERR_KEY) {
		char detail[sizeof(r->err)];
		memcpy(detail, r->err, sizeof(detail));
		snprintf(r->err, sizeof(r->err), "cannot use key file '%.200s': %.100s", path, detail);
	}
	sodium_memzero(buf, got);
	free(buf);
	return rc;
}

static cordon_code no_key(cordon_redactor *r)
{
	snprintf(r->err, sizeof(r->err), "no key is set (the pseudonym and encrypt operators need one)");
	return CORDON_ERR_KEY;
}

/* "[name:hash]" for canonical bytes c[0..n). */
static void keyed_token(cordon_redactor *r, const char *name, const char *c, size_t n)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st = r->keyed;
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)name, strlen(name) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)c, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
	char hex[2 * PSEUDONYM_BYTES + 1];
	sodium_bin2hex(hex, sizeof(hex), mac, PSEUDONYM_BYTES);
	snprintf(r->text, sizeof(r->text), "[%s:%s]", name, hex);
}

/* "[name:enc:" base64url(tag || ciphertext) "]", the entity name bound in as
 * associated data, so a token cannot pass for another entity's. */
static cordon_code encrypt_token(cordon_redactor *r, const char *name, const char *value,
				 size_t n, const char **repl, size_t *repl_len)
{
	if (!r->key)
		return no_key(r);
	if (!token_name_ok(name, strlen(name))) {
		snprintf(r->err, sizeof(r->err), "'%.80s' cannot name an encrypt token (letters, digits, '_'; at most %d)",
			 name, TOKEN_NAME_MAX);
		return CORDON_ERR_ARG;
	}
	size_t sealed = SIV_TAG + n, b64 = sodium_base64_ENCODED_LEN(sealed,
				       sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	cordon_buf_reset(&r->big);
	if (!n || cordon_buf_reserve(&r->big, sealed + b64 + strlen(name) + 16))
		return !n ? CORDON_ERR_ARG : CORDON_ERR_NOMEM;
	unsigned char *box = (unsigned char *)r->big.data;
	char *tok = r->big.data + sealed;
	if (siv_encrypt(SIV_CIPHER, r->siv_key, name, strlen(name), value, n, box)) {
		snprintf(r->err, sizeof(r->err), "encryption failed (OpenSSL has no " SIV_CIPHER "?)");
		return CORDON_ERR_KEY;
	}
	int k = snprintf(tok, strlen(name) + 8, "[%s" ENC_MARK, name);
	sodium_bin2base64(tok + k, b64, box, sealed, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	size_t len = strlen(tok);
	tok[len++] = ']';
	tok[len] = '\0';
	sodium_memzero(box, sealed);
	*repl = tok;
	*repl_len = len;
	return CORDON_OK;
}

cordon_code cordon_redactor_restore(cordon_redactor *r, const char *token, size_t len,
				    const char **value, size_t *value_len)
{
	if (!r || !token || !value || !value_len)
		return CORDON_ERR_ARG;
	size_t ts, te;
	if (token_next(token, len, 0, &ts, &te) != TOKEN_OK || ts != 0 || te != len)
		return CORDON_ERR_ARG;
	const char *mark = memmem(token, len, ENC_MARK, sizeof(ENC_MARK) - 1);
	if (!r->key)
		return no_key(r);
	size_t nl = (size_t)(mark - token) - 1;
	const char *name = token + 1;
	const char *b64 = mark + sizeof(ENC_MARK) - 1;
	size_t b64len = (size_t)(token + len - 1 - b64), sealed;
	cordon_buf_reset(&r->big);
	if (cordon_buf_reserve(&r->big, 2 * b64len + 2))
		return CORDON_ERR_NOMEM;
	unsigned char *box = (unsigned char *)r->big.data;
	if (sodium_base642bin(box, b64len, b64, b64len, NULL, &sealed, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || sealed <= SIV_TAG) {
		snprintf(r->err, sizeof(r->err), "not a valid token: bad encoding");
		return CORDON_ERR_KEY;
	}
	char *plain = r->big.data + b64len;
	if (siv_decrypt(SIV_CIPHER, r->siv_key, name, nl, box, sealed, (unsigned char *)plain)) {
		snprintf(r->err, sizeof(r->err), "token does not verify: a wrong key, or a changed token");
		return CORDON_ERR_KEY;
	}
	plain[sealed - SIV_TAG] = '\0';
	*value = plain;
	*value_len = sealed - SIV_TAG;
	return CORDON_OK;
}

cordon_code cordon_redactor_replace_value(cordon_redactor *r, cordon_operator op,
					  const char *value, size_t len, const char *label,
					  const char **repl, size_t *repl_len)
{
	if (!r || (!value && len) || !label || !repl || !repl_len || (unsigned)op > CORDON_OP_ENCRYPT)
		return CORDON_ERR_ARG;
	if (op == CORDON_OP_ENCRYPT)
		return encrypt_token(r, label, value, len, repl, repl_len);
	while (len && (*value == ' ' || *value == '\t'))
		value++, len--;
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	switch (op) {
	case CORDON_OP_ENCRYPT: /* handled above */
		break;
	case CORDON_OP_TAG:
		snprintf(r->text, sizeof(r->text), "[%.64s]", label);
		break;
	case CORDON_OP_MASK: {
		size_t n = 0;
		for (size_t i = 0; i < len && n < 24; i++)
			if (((unsigned char)value[i] & 0xC0) != 0x80) /* one star per character */
				r->text[n++] = value[i] == ' ' || value[i] == '-' || value[i] == '.' ? value[i] : '*';
		r->text[n] = '\0';
		break;
	}
	case CORDON_OP_PSEUDONYM: {
		if (!r->key)
			return no_key(r);
		utf8proc_uint8_t *folded = NULL;
		utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)value, (utf8proc_ssize_t)len,
						  &folded, UTF8PROC_STABLE | UTF8PROC_COMPAT |
								   UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		if (n < 0)
			keyed_token(r, label, value, len); /* not UTF-8: key the bytes */
		else
			keyed_token(r, label, (const char *)folded, (size_t)n);
		if (folded) {
			sodium_memzero(folded, n > 0 ? (size_t)n : 0);
			free(folded);
		}
		break;
	}
	}
	*repl = r->text;
	*repl_len = strlen(r->text);
	return CORDON_OK;
}

static cordon_code replace_with(cordon_redactor *r, cordon_operator op, const char *text,
				 const struct cordon_finding *f, const char **repl, size_t *repl_len);

cordon_code cordon_redactor_replace(cordon_redactor *r, const char *text,
				    const struct cordon_finding *f, const char **repl,
				    size_t *repl_len)
{
	if (!r || !f || (unsigned)f->entity >= CORDON_ENTITY_MAX)
		return CORDON_ERR_ARG;
	cordon_operator op = r->entity_op[f->entity] >= 0 ? (cordon_operator)r->entity_op[f->entity] : r->op;
	return replace_with(r, op, text, f, repl, repl_len);
}

cordon_code cordon_redactor_replace_as(cordon_redactor *r, cordon_operator op, const char *text,
				       const struct cordon_finding *f, const char **repl, size_t *repl_len)
{
	if ((unsigned)op > CORDON_OP_ENCRYPT)
		return CORDON_ERR_ARG;
	return replace_with(r, op, text, f, repl, repl_len);
}

static cordon_code replace_with(cordon_redactor *r, cordon_operator op, const char *text,
				 const struct cordon_finding *f, const char **repl, size_t *repl_len)
{
	if (!r || !text || !f || !repl || !repl_len)
		return CORDON_ERR_ARG;
	const char *name = f->name ? f->name : cordon_entity_name(f->entity);
	if (!name || (unsigned)f->entity >= CORDON_ENTITY_MAX)
		return CORDON_ERR_ARG;
	int n = 0;
	switch (op) {
	case CORDON_OP_TAG: { /* "[NAME]", as snprintf would write it (once per finding: not snprintf) */
		size_t k = strlen(name), m = 0;
		r->text[m++] = '[';
		if (k > sizeof(r->text) - 2)
			k = sizeof(r->text) - 2; /* cut where snprintf cuts */
		memcpy(r->text + m, name, k);
		m += k;
		if (m + 1 < sizeof(r->text))
			r->text[m++] = ']';
		r->text[m] = '\0';
		break;
	}
	case CORDON_OP_MASK:
		cordon_finding_mask(text, f, r->text, sizeof(r->text));
		n = (int)strlen(r->text);
		break;
	case CORDON_OP_ENCRYPT:
		return encrypt_token(r, name, text + f->start, f->end - f->start, repl, repl_len);
	case CORDON_OP_PSEUDONYM: {
		if (!r->key)
			return no_key(r);
		/* the whole canonical value, however long: cut, two values would
		 * share a pseudonym */
		if (cordon_buf_reserve(&r->canon, 256))
			return CORDON_ERR_NOMEM;
		size_t cn = cordon_finding_canonical(text, f, r->canon.data, r->canon.cap);
		if (cn >= r->canon.cap) {
			if (cordon_buf_reserve(&r->canon, st_add(cn, 1)))
				return CORDON_ERR_NOMEM;
			cn = cordon_finding_canonical(text, f, r->canon.data, r->canon.cap);
		}
		keyed_token(r, name, r->canon.data, cn);
		sodium_memzero(r->canon.data, cn);
		n = (int)strlen(r->text);
		break;
	}
	}
	if (n < 0)
		return CORDON_ERR_ARG;
	*repl = r->text;
	*repl_len = strlen(r->text);
	return CORDON_OK;
}
