/* SECRET: credentials in support text. Three shapes:
 *  - tokens known by their prefix (AWS "AKIA...", GitHub "ghp_...", Slack
 *    "xoxb-...", Google "AIza...", Stripe "sk_live_...", JWTs "eyJ...");
 *  - values after a secret-sounding key ("password=", "AccountKey=",
 *    "client_secret:", "sig=");
 *  - phrases ("my password is ...", "PIN: ...");
 *  - PEM private-key blocks. */
#include <pthread.h>
#include <string.h>
#include "detect/detector.h"

static int token_byte(uchar c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

/* --- prefixed tokens ----------------------------------------------------- */

struct token_rule {
	const char *prefix;
	unsigned char prefix_len;
	unsigned short min, max; /* length of the whole token */
	unsigned char upper_digits; /* body is [A-Z0-9] only */
	const char *what;
};

static const struct token_rule token_rules[] = {
	{ "AKIA", 4, 20, 20, 1, "AWS access key id" }, { "ASIA", 4, 20, 20, 1, "AWS access key id" }, { "AGPA", 4, 20, 20, 1, "AWS access key id" }, { "AIDA", 4, 20, 20, 1, "AWS access key id" },
	{ "AROA", 4, 20, 20, 1, "AWS access key id" }, { "ANPA", 4, 20, 20, 1, "AWS access key id" }, { "ANVA", 4, 20, 20, 1, "AWS access key id" }, { "AIPA", 4, 20, 20, 1, "AWS access key id" },
	{ "ABIA", 4, 20, 20, 1, "AWS access key id" }, { "ACCA", 4, 20, 20, 1, "AWS access key id" },
	{ "AIza", 4, 39, 39, 0, "Google API key" },
	{ "ghp_", 4, 40, 40, 0, "GitHub token" }, { "gho_", 4, 40, 40, 0, "GitHub token" }, { "ghu_", 4, 40, 40, 0, "GitHub token" }, { "ghs_", 4, 40, 40, 0, "GitHub token" },
	{ "ghr_", 4, 40, 40, 0, "GitHub token" }, { "github_pat_", 11, 60, 255, 0, "GitHub token" },
	{ "glpat-", 6, 26, 64, 0, "GitLab token" }, { "npm_", 4, 40, 40, 0, "npm token" },
	{ "xoxb-", 5, 20, 255, 0, "Slack token" }, { "xoxp-", 5, 20, 255, 0, "Slack token" }, { "xoxa-", 5, 20, 255, 0, "Slack token" },
	{ "xoxr-", 5, 20, 255, 0, "Slack token" }, { "xoxs-", 5, 20, 255, 0, "Slack token" }, { "xoxe-", 5, 20, 255, 0, "Slack token" },
	{ "sk_live_", 8, 24, 255, 0, "Stripe key" }, { "rk_live_", 8, 24, 255, 0, "Stripe key" }, { "sk_test_", 8, 24, 255, 0, "Stripe key" },
	{ "sk-", 3, 40, 255, 0, "API key (sk-...)" }, /* OpenAI-style */
};

static int jwt_at(const uchar *s, size_t len, size_t b, size_t *end)
{
	if (!starts_with_ci(s, len, b, "eyj") || s[b + 2] != 'J')
		return 0;
	size_t i = b, parts = 0;
	for (;;) {
		size_t p = i;
		while (i < len && token_byte(s[i]))
			i++;
		if (i - p < (parts < 2 ? 8 : 16))
			return 0;
		parts++;
		if (parts == 3 || i >= len || s[i] != '.')
			break;
		i++;
	}
	if (parts != 3)
		return 0;
	*end = i;
	return 1;
}

enum { TOKEN_MIN = 20, TOKEN_SPAN = 512, JWT_SPAN = 1024 };

/* jwt_at at start k, remembered for the scan: a long first segment is read
 * once, not again from every anchor inside it. */
static int jwt_memo(struct candidates *sc, const uchar *s, size_t len, size_t k, size_t *end)
{
	static _Thread_local struct {
		const struct candidates *sc;
		unsigned long scan;
		size_t k, end;
		int ok;
	} memo;
	if (memo.sc != sc || memo.scan != sc->scan || memo.k != k) {
		memo.sc = sc;
		memo.scan = sc->scan;
		memo.k = k;
		memo.ok = jwt_at(s, len, k, &memo.end);
	}
	*end = memo.end;
	return memo.ok;
}

/* A JWT holding at: it starts with "eyJ" at most JWT_SPAN before, where a
 * run of token bytes and dots starts or just after a dot. */
static int jwt_around(struct candidates *sc, const uchar *s, size_t len, size_t at, size_t *b, size_t *e)
{
	size_t from = at > JWT_SPAN ? at - JWT_SPAN : 0, hi = at + 1;
	const uchar *p;
	while (hi > from && (p = memrchr(s + from, 'J', hi - from))) {
		size_t j = (size_t)(p - s);
		hi = j;
		if (j < from + 2 || s[j - 1] != 'y' || s[j - 2] != 'e')
			continue;
		size_t k = j - 2, end;
		if (k > 0 && s[k - 1] != '.' && token_byte(s[k - 1]))
			continue; /* inside a token, not at a segment's start */
		if (jwt_memo(sc, s, len, k, &end) && end > at) {
			*b = k;
			*e = end;
			return 1;
		}
	}
	return 0;
}

static int prefixed_token(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *next)
{
	/* Deep in a run of token bytes (more than TOKEN_SPAN before at, no
	 * dot within JWT_SPAN): a token starts where its run does, and no rule
	 * takes one that long, so nothing starts here or later in the run.
	 * Done with the whole run at once: "-----..." or "1-1-1-..." would
	 * otherwise cost a bounded but long look back at every byte. */
	size_t rb = at;
	while (rb > 0 && token_byte(s[rb - 1]) && at - rb <= TOKEN_SPAN)
		rb--;
	if (at - rb > TOKEN_SPAN) {
		size_t from = at > JWT_SPAN ? at - JWT_SPAN : 0;
		if (!memchr(s + from, '.', rb - from)) {
			size_t re = at;
			while (re < len && token_byte(s[re]))
				re++;
			*next = re > at ? re : at + 1;
			return 0;
		}
	}
	size_t tb = at, te = at;
	while (tb > 0 && token_byte(s[tb - 1]) && at - tb < TOKEN_MIN)
		tb--;
	while (te < len && token_byte(s[te]) && te - tb < TOKEN_MIN)
		te++;
	if (te - tb < TOKEN_MIN && !(tb > 0 && s[tb - 1] == '.') && !(te < len && s[te] == '.')) {
		*next = te > at ? te : at + 1;
		return 0; /* too short for any rule, and not a JWT segment */
	}
	size_t b, e;
	if (jwt_around(out, s, len, at, &b, &e)) {
		candidates_push(out, CORDON_SECRET, b, e, 0.9, "JSON Web Token (eyJ...)");
		*next = e;
		return 1;
	}
	e = at;
	b = at;
	while (b > 0 && token_byte(s[b - 1]) && at - b < 512)
		b--;
	if (b > 0 && (is_word(s[b - 1]) || s[b - 1] == '/' || s[b - 1] == '+'))
		return 0;
	while (e < len && token_byte(s[e]) && e - b < 512)
		e++;
	*next = e > at ? e : at + 1;
	if (e - b < TOKEN_MIN || (e < len && (is_word(s[e]) || s[e] == '/' || s[e] == '+')))
		return 0;
	for (size_t k = 0; k < sizeof(token_rules) / sizeof(*token_rules); k++) {
		const struct token_rule *r = &token_rules[k];
		size_t pl = r->prefix_len;
		if (e - b < r->min || e - b > r->max || memcmp(s + b, r->prefix, pl))
			continue;
		int ok = 1;
		for (size_t i = b + pl; i < e && ok; i++)
			ok = r->upper_digits ? (is_upper(s[i]) || is_digit(s[i])) : token_byte(s[i]);
		if (!ok)
			continue;
		candidates_push(out, CORDON_SECRET, b, e, 0.95, r->what);
		*next = e;
		return 1;
	}
	return 0;
}

/* --- key = value --------------------------------------------------------- */

/* Key names whose value is a secret, matched as the end of the key
 * ("db_password", "AccountKey"). */
struct key_name {
	const char *name;
	unsigned char len;
};
#define KN(s) { s, sizeof(s) - 1 }
static const struct key_name secret_keys[] = {
	KN("password"), KN("passwd"), KN("pwd"), KN("pass"), KN("passphrase"), KN("passcode"),
	KN("secret"), KN("client_secret"), KN("secret_key"), KN("secretkey"), KN("api_key"),
	KN("apikey"), KN("api-key"), KN("access_key"), KN("access_token"), KN("auth_token"),
	KN("refresh_token"), KN("token"), KN("accountkey"), KN("sharedaccesskey"), KN("sig"),
	KN("private_key"), KN("aws_secret_access_key"), KN("x-api-key"), KN("authorization"),
	KN("bearer"), KN("pin"), KN("kennwort"), KN("passwort"), KN("mot_de_passe"), KN("mdp"),
};
#undef KN

/* Placeholders people write instead of a secret. */
static const char *const not_values[] = {
	"null", "none", "nil", "true", "false", "empty", "blank", "redacted", "hidden",
	"reset", "expired", "incorrect", "wrong", "not", "too", "the", "a", "an", "still",
	"correct", "invalid", "changed", "required", "missing", "set", "no", "yes", "and",
	"or", "for", "is", "was", "has", "had", "will", "been", "being", "policy", "manager",
	"field", "prompt", "change", "protected", "locked", "same", "different", "new", "old",
	"it", "that", "this", "my", "your", "their", "to", "of", "in", "on", "via", "with",
	"from", "please", "again", "now", "updated", "strength", "complexity", NULL
};

static int is_not_value(const uchar *s, size_t b, size_t e)
{
	size_t n = e - b;
	if (n >= 2 && s[b] == '[' && s[e - 1] == ']') { /* "[REDACTED]", our own "[SECRET:enc:...]" */
		size_t i = b + 1;
		while (i < e - 1 && (is_upper(s[i]) || s[i] == '_' || s[i] == ' '))
			i++;
		if (i > b + 1 && (i == e - 1 || s[i] == ':'))
			return 1;
	}
	int stars = 1;
	for (size_t i = b; i < e; i++)
		stars &= s[i] == '*' || s[i] == 'x' || s[i] == 'X' || s[i] == '.' || s[i] == '<' ||
			 s[i] == '>' || s[i] == '[' || s[i] == ']';
	if (stars)
		return 1;
	if (n > 12)
		return 0;
	for (const char *const *w = not_values; *w; w++)
		if (to_lower(s[b]) == (uchar)(*w)[0] && strlen(*w) == n && starts_with_ci(s, e, b, *w))
			return 1;
	return 0;
}

/* Does s[i..] read "name=" (the next pair of a query or connection string)? */
static int next_pair(const uchar *s, size_t len, size_t i)
{
	size_t k = i;
	while (k < len && (is_alnum(s[k]) || s[k] == '_' || s[k] == '-') && k - i < 40)
		k++;
	return k > i && k < len && s[k] == '=';
}

/* Where a value written in a sentence ends: one final sentence mark (".",
 * ",", ";", ":", "?") is the sentence's, and a closing bracket or quote
 * with no opening one in the value; everything else is the value's, "!"
 * above all ("P@ssw0rd!!" is one password: leaving "!!" behind would show
 * its end). */
static size_t value_trim(const uchar *s, size_t b, size_t e)
{
	if (e > b + 1 && BYTE_IN(".,;:?", s[e - 1]) && s[e - 1])
		e--;
	while (e > b + 1 && s[e - 1] && BYTE_IN(")]}'\"", s[e - 1])) {
		uchar open = s[e - 1] == ')' ? '(' : s[e - 1] == ']' ? '[' : s[e - 1] == '}' ? '{' : s[e - 1];
		if (memchr(s + b, open, e - 1 - b))
			break;
		e--;
	}
	if (e > b + 1 && BYTE_IN(".,;:?", s[e - 1]) && s[e - 1]) /* "(pass: x1y2z3)." */
		e--;
	return e;
}

/* The value starting at i (after blanks and an opening quote): up to a blank
 * or a closing quote; '&' and ';' end it only before another "name=" pair;
 * trailing sentence punctuation is not part of it. */
static size_t value_end(const uchar *s, size_t len, size_t *i)
{
	size_t b = *i;
	while (b < len && is_space(s[b]))
		b++;
	uchar quote = 0;
	if (b < len && (s[b] == '"' || s[b] == '\'' || s[b] == '`')) {
		quote = s[b];
		b++;
	}
	size_t e = b;
	for (; e < len && e - b < 256; e++) {
		uchar c = s[e];
		if (quote ? c == quote : (is_space(c) || c == '"'))
			break;
		if (c == '\n' || c == '\r')
			break;
		if ((c == '&' || c == ';') && next_pair(s, len, e + 1))
			break;
		if (!quote && c == ',' && (e + 1 >= len || is_space(s[e + 1])))
			break;
	}
	if (!quote)
		e = value_trim(s, b, e);
	*i = b;
	return e;
}

/* The keys' last two bytes, as bits: most names before a ':' ("Agent",
 * "Error", "Case") end as no key does. */
static struct pair_set key_ends;
static pthread_once_t key_ends_once = PTHREAD_ONCE_INIT;
static void key_ends_init(void)
{
	for (size_t i = 0; i < sizeof(secret_keys) / sizeof(*secret_keys); i++) {
		const struct key_name *w = &secret_keys[i];
		pair_set_add(&key_ends, w->name[w->len - 2], w->name[w->len - 1]);
	}
}

static int key_value(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *next)
{
	/* at is ':' or '='; the key is the identifier just before */
	size_t k = at;
	while (k > 0 && is_space(s[k - 1]) && at - k < 2)
		k--;
	if (k > 0 && (s[k - 1] == '"' || s[k - 1] == '\''))
		k--;
	size_t ke = k;
	if (ke == 0 || !is_alpha(s[ke - 1]))
		return 0; /* "14:22", "x=1": no key name ends in a digit */
	while (k > 0 && (is_alnum(s[k - 1]) || s[k - 1] == '_' || s[k - 1] == '-') && ke - k < 40)
		k--;
	if (ke - k < 3)
		return 0; /* no key is shorter */
	pthread_once(&key_ends_once, key_ends_init);
	if (!pair_set_has(&key_ends, to_lower(s[ke - 2]), to_lower(s[ke - 1])))
		return 0;
	int found = 0;
	uchar last = (uchar)to_lower(s[ke - 1]);
	for (size_t i = 0; i < sizeof(secret_keys) / sizeof(*secret_keys) && !found; i++) {
		const struct key_name *w = &secret_keys[i];
		size_t n = w->len;
		if ((uchar)w->name[n - 1] != last || n > ke - k)
			continue;
		/* the key ends with the word, at a word boundary or a capital */
		if (starts_with_ci(s, ke, ke - n, w->name) &&
		    (ke - n == k || !is_alpha(s[ke - n - 1]) || is_upper(s[ke - n])))
			found = 1;
	}
	if (!found)
		return 0;
	size_t b = at + 1;
	if (s[at] == ':' && b < len && s[b] == '/')
		return 0; /* "token://" is a URL */
	size_t e = value_end(s, len, &b);
	if (e - b < 3 || is_not_value(s, b, e))
		return 0;
	candidates_push(out, CORDON_SECRET, b, e, e - b >= 8 ? 0.85 : 0.7,
			"value of a secret-sounding key (password=, AccountKey=, ...)");
	*next = e;
	return 1;
}

/* --- how a value looks ------------------------------------------------------ */

/* A byte of a value written in text: printable ASCII, not a blank, a quote
 * or a bracket (which surround values more often than they are in them). */
static const unsigned char value_class[256] = { /* 1: a value's byte, 2: and a letter */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,
	1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 1, 0, 1, 1,
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 1, 0, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline int value_byte(uchar c)
{
	return value_class[c] & 1;
}

/* Does s[b..e) hold "://"? (memmem costs more on values this short.) */
static int has_link(const uchar *s, size_t b, size_t e)
{
	for (const uchar *p = s + b; e - (size_t)(p - s) >= 3 && (p = memchr(p, ':', e - 2 - (size_t)(p - s)));
	     p++)
		if (p[1] == '/' && p[2] == '/')
			return 1;
	return 0;
}

/* An HRESULT (0x80070005) or a KB id (KB5034441): told by their first
 * two bytes, before anything else is read. */
static int decoy_id(const uchar *s, size_t b, size_t e)
{
	size_t n = e - b, i;
	if (n > 2 && s[b] == '0' && (s[b + 1] | 0x20) == 'x') {
		for (i = b + 2; i < e && is_hex(s[i]); i++)
			;
		if (i == e)
			return 1;
	}
	if (n > 2 && (s[b] | 0x20) == 'k' && (s[b + 1] | 0x20) == 'b') {
		for (i = b + 2; i < e && is_digit(s[i]); i++)
			;
		if (i == e)
			return 1;
	}
	return 0;
}

/* Decoys that look made up: an HRESULT (0x80070005), a KB id (KB5034441), a
 * link, a build or version (10.0.19041.1); a GUID-shaped id is left to others. */
static int decoy_shape(const uchar *s, size_t b, size_t e)
{
	size_t n = e - b, i;
	if (decoy_id(s, b, e))
		return 1;
	if (has_link(s, b, e) || (n > 4 && starts_with_ci(s, e, b, "www.")))
		return 1; /* a link */
	for (i = b; i < e && (is_digit(s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '/' || s[i] == ':'); i++)
		;
	return i == e; /* numbers, dates, times, versions */
}

/* Could only be a secret: a made-up mix of classes, a long random-looking
 * run, a hex or base64 key. What a person would write in a sentence
 * ("contoso-prod-01", "Windows11", "KB5034441") is not. */
static int strong_shape_named(const uchar *s, size_t b, size_t e, int named);

static int strong_shape(const uchar *s, size_t b, size_t e)
{
	return strong_shape_named(s, b, e, 0);
}

/* named: a password word stands right before the value ("temporary
 * password j)1k+eCe"), so brackets and "%3D" are the value's own bytes,
 * not a path's or an encoding's. */
static int strong_shape_named(const uchar *s, size_t b, size_t e, int named)
{
	size_t n = e - b;
	if (n < 8 || n > 256 || decoy_id(s, b, e) || has_link(s, b, e))
		return 0; /* an id or a link (decoy_shape's too): told before the bytes are classed */
	unsigned lower = 0, upper = 0, digit = 0, sym = 0, switches = 0, hex = 0;
	int last = -1;
	for (size_t i = b; i < e; i++) {
		uchar c = s[i];
		int k;
		if (named && c && BYTE_IN("()[]{}<>%", c)) {
			sym++, switches += last >= 0 && last != 3, last = 3;
			continue;
		}
		if (!value_byte(c) || c == '\\' || (c == '&' && i + 1 < e && s[i + 1] == '#') ||
		    (c == '%' && i + 2 < e && is_hex(s[i + 1]) && is_hex(s[i + 2])))
			return 0; /* a path, an entity, a percent-encoding: not made up */
		if (c == '@' && memchr(s + i, '.', e - i))
			return 0; /* an address (the e-mail detector's) */
		if (is_digit(c))
			digit++, k = 0;
		else if (is_upper(c))
			upper++, k = 1;
		else if (is_alpha(c))
			lower++, k = 2;
		else
			k = 3, sym += c != '.' && c != '_' && c != '-' && c != '/';
		hex += is_hex(c);
		switches += last >= 0 && k != last;
		last = k;
	}
	if (!(upper || lower) || decoy_shape(s, b, e)) /* the cheap test first: most values are numbers */
		return 0;
	if (hex == n && n >= 16 && digit && digit < n)
		return 1; /* a hex key */
	if (sym && (upper || lower) && (digit || (upper && lower)))
		return 1; /* P@ssw0rd, Pa$$word */
	if (upper && lower && digit && (upper > 1 || !is_upper(s[b])) && switches >= 3)
		return 1; /* Welcome123 is not (one capital, first), tR0ub4dor is */
	return digit && (upper || lower) && n >= 16 && switches >= 6; /* random base36/62 */
}

/* Not a word of the sentence: a digit, a symbol or a capital past the first
 * letter ("Welcome123", "sommer!", "SoMmer"), six bytes or more. */
static int weak_shape(const uchar *s, size_t b, size_t e)
{
	if (e - b < 6 || e - b > 256 || decoy_shape(s, b, e))
		return 0;
	for (size_t i = b; i < e; i++)
		if (is_digit(s[i]) || (i > b && is_upper(s[i])) || (value_byte(s[i]) && !is_alpha(s[i]) && s[i] != '-'))
			return 1;
	return 0;
}

/* --- phrases: "my password is hunter2", "the password for the VPN is x" -------- */

static const char *const phrase_words[] = {
	"password", "passwort", "passwd", "passcode", "passphrase", "pwd", "pw", "pin", NULL
};
static const char *const phrase_links[] = {
	" is now ", " is ", " was ", " would be ", " should be ", " will be ", " = ", ": ", ":", "=", " - ",
	" -> ", "->", " lautet ", " ist ", " est ", " es ", " set to ", " changed to ", " reset to ", " to ", NULL
};

enum { PHRASE_SPAN = 48 };

/* The end of the sentence or line a phrase is in, from i, at most span on. */
static size_t clause_end(const uchar *s, size_t len, size_t i, size_t span)
{
	size_t lim = len - i > span ? i + span : len;
	for (size_t k = i; k < lim; k++)
		if (s[k] == '\n' || s[k] == '\r' || ((s[k] == '.' || s[k] == '?' || s[k] == '!') &&
						      (k + 1 >= len || is_space(s[k + 1]) || s[k + 1] == '\n')))
			return k;
	return lim;
}

static int phrase(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *next)
{
	for (const char *const *w = phrase_words; *w; w++) {
		size_t n = strlen(*w);
		if (!starts_with_ci(s, len, at, *w))
			continue;
		size_t i = at + n;
		if (i < len && (s[i] == 's' || s[i] == 'S'))
			i++; /* "passwords" */
		if (i < len && is_word(s[i]))
			continue;
		int pin = (*w)[1] == 'i' || !strcmp(*w, "passcode");
		/* the link and its value, right after the word or a few words on
		 * ("the password for the VPN account is ..."): further on, the
		 * value must look made up, not be the next word of a sentence */
		size_t lim = clause_end(s, len, i, PHRASE_SPAN);
		for (size_t k = i; k <= lim; k++) {
			if (k > i && is_word(s[k - 1]) && k < len && is_word(s[k]))
				continue; /* links start between words */
			for (const char *const *l = phrase_links; *l; l++) {
				if (!starts_with_ci(s, len, k, *l))
					continue;
				size_t b = k + strlen(*l);
				if (b < len && s[b] == '/')
					break; /* "https://": a link, not a link word */
				size_t e = value_end(s, len, &b);
				/* "set the pwd to X" links, "the password to the VPN" does not:
				 * after " to " the value must look made up */
				int near = k == i && strcmp(*l, " to ");
				if (e - b < 3 || is_not_value(s, b, e) ||
				    (!near && !weak_shape(s, b, e) && !(pin && e - b >= 4 && decoy_shape(s, b, e))))
					break; /* "is changed to X", "was reset; the new one: X": on */
				candidates_push(out, CORDON_SECRET, b, e, near ? 0.8 : 0.75,
						"phrase (my password is ..., the password for X is ...)");
				*next = e;
				return 1;
			}
		}
		/* no link: the next word, when it could only be a secret ("PIN 4711",
		 * "password Xy7!kq#2 for the VPN") */
		size_t b = i;
		while (b < lim && is_space(s[b]))
			b++;
		if (pin && b < len && s[b] == 'c' && starts_with_ci(s, len, b, "code ")) /* "PIN code 1234" */
			b += 5;
		size_t e = b; /* the next token, to a blank or a quote */
		while (e < len && s[e] > ' ' && s[e] < 0x7f && !BYTE_IN("\"'`", s[e]) && e - b < 256)
			e++;
		e = value_trim(s, b, e);
		int digits = e - b >= 4 && e - b <= 8;
		for (size_t k = b; k < e && digits; k++)
			digits = is_digit(s[k]);
		/* a meeting's or a phone's passcode: letters and digits, both,
		 * 4-12 of them ("passcode AbC123") */
		int code = pin && e - b >= 4 && e - b <= 12, has_digit = 0, has_alpha = 0;
		for (size_t k = b; k < e && code; k++) {
			code = is_alnum(s[k]);
			has_digit |= is_digit(s[k]);
			has_alpha |= is_alpha(s[k]);
		}
		code = code && has_digit && has_alpha;
		if (e > b && (strong_shape_named(s, b, e, 1) || (pin && digits) || code)) {
			candidates_push(out, CORDON_SECRET, b, e, 0.75, "phrase (PIN 4711, password Xy7!kq#2)");
			*next = e;
			return 1;
		}
		return 0;
	}
	return 0;
}

/* --- a made-up value a few words after a credential word ------------------------ */

/* Words that say a secret follows, in the languages of the data ("the API
 * key you need: ...", "token 7f3a...", "Kennwort ..."). Matched as whole
 * words, any case for ASCII. */
static const char *const credential_words[] = {
	"password", "passwords", "passwd", "pwd", "passphrase", "passcode", "pin", "token", "secret", "apikey",
	"api key", "api-key", "access key", "secret key", "private key", "client secret", "connection string",
	"credential", "credentials", "kennwort", "passwort", "mot de passe", "mdp", "contrase\xc3\xb1" "a", "senha",
	"wachtwoord", "clave", "has\xc5\x82o", "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c", "sas", "bearer",
	"auth", "accountkey", "sharedaccesskey", "primarykey", "secondarykey", "account key", "storage key",
	"access token", "signing key", "encryption key", "master key", "recovery key", "recovery password", NULL
};

/* The credential words chained by their first byte (lowercase), with their
 * lengths: a word start is compared only with the words that start as it
 * does, second byte first. */
enum { CREDENTIAL_WORDS = sizeof(credential_words) / sizeof(*credential_words) - 1 };
static signed char credential_head[256], credential_next[CREDENTIAL_WORDS];
static unsigned char credential_len[CREDENTIAL_WORDS];
static pthread_once_t credential_once = PTHREAD_ONCE_INIT;
static void credential_init(void)
{
	memset(credential_head, -1, sizeof(credential_head));
	for (int k = CREDENTIAL_WORDS - 1; k >= 0; k--) {
		uchar c = (uchar)credential_words[k][0];
		credential_len[k] = (unsigned char)strlen(credential_words[k]);
		credential_next[k] = credential_head[c];
		credential_head[c] = (signed char)k;
	}
}

/* Is a credential word at s[p] (a word start), ending before b? */
static int credential_at(const uchar *s, size_t b, size_t p)
{
	uchar c = (uchar)to_lower(s[p]), c2 = p + 1 < b ? (uchar)to_lower(s[p + 1]) : 0;
	for (int k = credential_head[c]; k >= 0; k = credential_next[k]) {
		const char *w = credential_words[k];
		size_t n = credential_len[k];
		if ((uchar)w[1] == c2 && p + n <= b && starts_with_ci(s, b, p, w) && !(p + n < b && is_word(s[p + n])))
			return 1;
	}
	return 0;
}

/* A credential word in the clause before b (within PHRASE_SPAN, not across
 * a line or a sentence's end). */
static int credential_before(const uchar *s, size_t b)
{
	pthread_once(&credential_once, credential_init);
	size_t lo = b > PHRASE_SPAN ? b - PHRASE_SPAN : 0;
	for (size_t k = b; k > lo; k--) {
		uchar c = s[k - 1];
		if (c == '\n' || c == '\r' || ((c == '.' || c == '?' || c == '!') && k < b && is_space(s[k])))
			return 0;
		size_t p = k - 1;
		if (!(p > 0 && is_word(s[p - 1])) && credential_at(s, b, p))
			return 1;
	}
	return 0;
}

/* A base64 key: the alphabet (with "+/" or "-_"), a length a multiple of
 * four ending in "=" padding, upper and lower case and digits mixed
 * (Azure storage and SAS keys: 88 bytes; 32-byte keys: 44). */
static int base64_key(const uchar *s, size_t b, size_t e)
{
	size_t n = e - b, pad = 0;
	while (pad < 2 && e - pad > b && s[e - pad - 1] == '=')
		pad++;
	if (!pad || n % 4)
		return 0;
	unsigned upper = 0, lower = 0, digit = 0;
	for (size_t i = b; i < e - pad; i++) {
		uchar c = s[i];
		if (is_upper(c))
			upper++;
		else if (is_alpha(c))
			lower++;
		else if (is_digit(c))
			digit++;
		else if (c != '+' && c != '/' && c != '-' && c != '_')
			return 0;
	}
	return upper >= 4 && lower >= 4 && digit >= 2;
}

/* The run of value bytes around a wake, kept for the scan: a path or a date
 * wakes SECRET at each digit run and dash, and is read once. */
struct value_run {
	const struct candidates *sc;
	unsigned long scan;
	size_t b, e;
	/* 1: a byte that is not a letter; 2: a letter; a secret has both (read
	 * for runs of 8 bytes or more only) */
	unsigned seen;
};
static _Thread_local struct value_run value_memo;

/* The value run holding at; *fresh when no earlier wake of this scan read it. */
static const struct value_run *value_around(const struct candidates *sc, const uchar *s, size_t len, size_t at,
					    int *fresh)
{
	struct value_run *v = &value_memo;
	*fresh = !(v->sc == sc && v->scan == sc->scan && at >= v->b && at < v->e);
	if (!*fresh)
		return v;
	size_t b = at, e = at;
	while (e < len && value_class[s[e]] && e - at < 256)
		e++;
	while (b > 0 && value_class[s[b - 1]] && e - b < 257)
		b--;
	/* the classes seen only where shaped_value asks: a run of eight
	 * bytes or more */
	unsigned seen = 0;
	for (size_t k = b; k < e && e - b >= 8 && seen != 3; k++)
		seen |= value_class[s[k]] == 3 ? 2 : 1;
	*v = (struct value_run){ sc, sc->scan, b, e, seen };
	return v;
}

/* The whole value run v, when it could only be a secret and a credential
 * word comes shortly before it: pushed. */
static int shaped_value(struct candidates *sc, const uchar *s, const struct value_run *v)
{
	size_t b = v->b, e = v->e;
	if (e - b < 8 || v->seen != 3 || (b > 0 && value_byte(s[b - 1])))
		return 0; /* too short for one, a word or a number, or longer than any */
	/* "key=value", "pwd:value": the value after the name (a name of letters,
	 * digits, "_" and "-"); base64's "=" padding is the value's own */
	for (size_t k = b; k + 1 < e; k++) {
		if (!(s[k] == '=' || s[k] == ':') || s[k + 1] == '=' || s[k + 1] == '/')
			continue;
		size_t n = b;
		while (n < k && (is_alnum(s[n]) || s[n] == '_' || s[n] == '-'))
			n++;
		if (n == k && k > b)
			b = k + 1;
		break;
	}
	e = value_trim(s, b, e);
	if (e > b + 40 && base64_key(s, b, e)) { /* a key by its shape alone */
		candidates_push(sc, CORDON_SECRET, b, e, 0.8, "a base64 key (padded, 40 bytes or more)");
		return 1;
	}
	if (e <= b || !strong_shape(s, b, e) || !credential_before(s, b))
		return 0; /* the word first: most values (links, paths) have none before */
	candidates_push(sc, CORDON_SECRET, b, e, 0.75, "a made-up value after a credential word (the API key: ...)");
	return 1;
}

/* Woken inside a value (at a digit, a word start, '_' or '-'): a token known
 * by its prefix, else the whole value by its shape. */
static size_t value_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	struct value_run before = value_memo;
	int fresh;
	const struct value_run *v = value_around(out, s, len, at, &fresh);
	size_t next = at + 1;
	if (v->e - v->b >= TOKEN_MIN) {
		if (prefixed_token(s, len, at, out, &next)) {
			value_memo = before; /* the rest of the run is judged as if unread */
			return next;
		}
	} else {
		/* a token of a rule and a JWT (three segments) each take
		 * TOKEN_MIN bytes or more, all of them value bytes: none is in
		 * this run. Past the token bytes holding at, as prefixed_token
		 * goes on. */
		size_t te = at;
		while (te < len && token_byte(s[te]))
			te++;
		next = te > at ? te : at + 1;
	}
	if (fresh)
		shaped_value(out, s, v);
	return next;
}

/* --- passwords on a command line ----------------------------------------------- */

/* The options that take a password, by their tools' manuals, asked only
 * when the tool's name stands before them on the line ("mkdir -p" is no
 * password): curl's -u/--user USER:PASSWORD, the MySQL clients'
 * -pPASSWORD (glued), sshpass's and "docker login"'s -p PASSWORD (not
 * docker run's -p, a port), smbclient's -U USER%PASSWORD. */
enum cli_form { CLI_GLUED = 1, CLI_SPACE = 2, CLI_EQ = 4 };
static const struct cli_option {
	const char *tool, *option;
	unsigned char forms; /* enum cli_form: how the value follows */
	char after;          /* the password follows this byte in the value; 0: all of it */
} cli_options[] = {
	{ "curl", "-u", CLI_SPACE | CLI_GLUED, ':' },   { "curl", "--user", CLI_SPACE | CLI_EQ, ':' },
	{ "mysql", "-p", CLI_GLUED, 0 },                 { "mysqldump", "-p", CLI_GLUED, 0 },
	{ "mysqladmin", "-p", CLI_GLUED, 0 },            { "mariadb", "-p", CLI_GLUED, 0 },
	{ "mariadb-dump", "-p", CLI_GLUED, 0 },          { "sshpass", "-p", CLI_SPACE | CLI_GLUED, 0 },
	{ "docker login", "-p", CLI_SPACE, 0 },          { "docker login", "--password", CLI_SPACE | CLI_EQ, 0 },
	{ "smbclient", "-U", CLI_SPACE | CLI_GLUED, '%' }, { "smbclient", "--user", CLI_SPACE | CLI_EQ, '%' },
};

/* Does the tool's name stand as a word on the line before `at` (at most
 * 160 bytes back, not past a pipe or a command separator)? */
static int tool_before(const uchar *s, size_t at, const char *tool)
{
	size_t n = strlen(tool), lo = at > 160 ? at - 160 : 0;
	for (size_t k = at; k > lo; k--) {
		uchar c = s[k - 1];
		if (c == '\n' || c == '\r' || c == '|' || c == ';' || c == '&')
			return 0;
		size_t p = k - 1;
		if (p + n <= at && (p == 0 || !(is_word(s[p - 1]) || s[p - 1] == '-')) && !memcmp(s + p, tool, n) &&
		    (s[p + n] == ' ' || s[p + n] == '\t'))
			return 1;
	}
	return 0;
}

static int cli_password(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *next)
{
	if (at == 0 || (s[at - 1] != ' ' && s[at - 1] != '\t'))
		return 0;
	for (size_t k = 0; k < sizeof(cli_options) / sizeof(*cli_options); k++) {
		const struct cli_option *o = &cli_options[k];
		size_t n = strlen(o->option);
		if (at + n >= len || memcmp(s + at, o->option, n))
			continue;
		size_t v = at + n;
		if (s[v] == ' ' && (o->forms & CLI_SPACE)) {
			while (v < len && s[v] == ' ')
				v++;
		} else if (s[v] == '=' && (o->forms & CLI_EQ)) {
			v++;
		} else if (!(o->forms & CLI_GLUED) || s[v] == ' ' || s[v] == '=' || s[v] == '-') {
			continue;
		}
		if (!tool_before(s, at, o->tool))
			continue;
		size_t b = v, e;
		if (b < len && (s[b] == '"' || s[b] == '\'')) { /* quoted: what is inside */
			uchar q = s[b++];
			for (e = b; e < len && s[e] != q && s[e] != '\n'; e++)
				;
		} else {
			for (e = b; e < len && !is_space(s[e]); e++)
				;
		}
		if (o->after) {
			const uchar *sep = memchr(s + b, o->after, e - b);
			if (!sep)
				return 0; /* "curl -u admin": the tool asks for it */
			b = (size_t)(sep - s) + 1;
		}
		if (e <= b || s[b] == '$' || s[b] == '%' || is_not_value(s, b, e))
			return 0; /* "-p$MYSQL_PWD": a variable's name */
		candidates_push(out, CORDON_SECRET, b, e, 0.9, "a password on a command line (curl -u, mysql -p, sshpass -p)");
		*next = e;
		return 1;
	}
	return 0;
}

/* --- BitLocker recovery passwords ------------------------------------------- */

/* "412302-123456-..." read at a digit: eight groups of six digits joined by
 * '-', the whole recovery password a drive is unlocked with. BitLocker
 * makes each group a multiple of 11 below 720896 (65536 x 11), so eight
 * such groups are one by chance once in 2e8; a group that breaks the rule
 * (a typo, a made-up example) still counts after a word that names a key.
 * Its end, or 0. */
static size_t bitlocker_at(const uchar *s, size_t len, size_t at, int *valid)
{
	if (at > 0 && (is_alnum(s[at - 1]) || s[at - 1] == '-'))
		return 0;
	size_t i = at;
	*valid = 1;
	for (int g = 0; g < 8; g++) {
		unsigned v = 0;
		for (int k = 0; k < 6; k++, i++) {
			if (i >= len || !is_digit(s[i]))
				return 0;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (v % 11 || v >= 720896)
			*valid = 0;
		if (g < 7 && (i >= len || s[i++] != '-'))
			return 0;
	}
	return i < len && (is_alnum(s[i]) || s[i] == '-') ? 0 : i;
}

static int bitlocker(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *next)
{
	int valid;
	size_t e = bitlocker_at(s, len, at, &valid);
	if (!e || (!valid && !credential_before(s, at)))
		return 0;
	candidates_push(out, CORDON_SECRET, at, e, valid ? 0.95 : 0.8,
			valid ? "BitLocker recovery password (8 groups of 6 digits, each a multiple of 11)"
			      : "8 groups of 6 digits after a key word (a BitLocker recovery password's shape)");
	*next = e;
	return 1;
}

/* --- PEM private keys ------------------------------------------------------ */

static int pem(const uchar *s, size_t len, size_t at, struct candidates *out, size_t *next)
{
	if (!starts_with_ci(s, len, at, "-----begin "))
		return 0;
	size_t line_end = at + 11;
	while (line_end < len && s[line_end] != '\n' && line_end - at < 64)
		line_end++;
	const uchar *hdr = memmem(s + at, line_end - at, "PRIVATE KEY-----", 16);
	if (!hdr)
		return 0;
	const uchar *end = memmem(hdr, len - (size_t)(hdr - s), "-----END ", 9);
	size_t e = len;
	if (end) {
		const uchar *close = memmem(end + 9, len - (size_t)(end + 9 - s), "-----", 5);
		if (close)
			e = (size_t)(close - s) + 5;
	}
	candidates_push(out, CORDON_SECRET, at, e, 1.0, "PEM private key block");
	*next = e;
	return 1;
}

/* --- a card's security code: "cvv 123", "CVC: 4567", "security code is 321" -- */

/* The words for it (ISO/IEC 7813's CSC, the brands' CVV2, CVC2, CID is
 * left out: a common log field). */
static const char *const card_code_words[] = { "cvv", "cvc", "cvv2", "cvc2", "csc", "cvn", NULL };
static struct wordset card_code_set = WORDSET(card_code_words);

/* Is a word for a card's security code just before `at`, past blanks and
 * one of ':', '=', '#', '-' or "is"? */
static int card_code_before(const uchar *s, size_t at)
{
	size_t i = at;
	while (i > 0 && (is_space(s[i - 1]) || BYTE_IN(":=#-", s[i - 1])) && at - i < 4)
		i--;
	if (i >= 3 && (s[i - 1] | 0x20) == 's' && (s[i - 2] | 0x20) == 'i' && s[i - 3] == ' ') {
		i -= 3; /* "the cvv is 123" */
		while (i > 0 && is_space(s[i - 1]))
			i--;
	}
	size_t e = i;
	while (i > 0 && is_alnum(s[i - 1]) && e - i < 8)
		i--;
	if (i == e || (i > 0 && is_word(s[i - 1])))
		return 0;
	if (wordset_has(&card_code_set, s + i, e - i))
		return 1;
	/* "security code" */
	return e - i == 4 && starts_with_ci(s, e, i, "code") && i >= 9 && s[i - 1] == ' ' &&
	       starts_with_ci(s, i - 1, i - 9, "security") && (i == 9 || !is_word(s[i - 10]));
}

static size_t secret_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	size_t next = at + 1;
	uchar c = s[at];
	if (is_digit(c) && (at == 0 || !value_class[s[at - 1]])) {
		/* three or four digits alone, or ending a sentence: a card's
		 * security code after its word. A bare number wakes SECRET for
		 * this only (secret_number): nothing else is read there. */
		size_t d = at;
		while (d < len && is_digit(s[d]))
			d++;
		int bare = d == len || !value_class[s[d]];
		int ends = bare || ((s[d] == '.' || s[d] == ',') && (d + 1 == len || !value_class[s[d + 1]]));
		if (ends && (d - at == 3 || d - at == 4) && card_code_before(s, at)) {
			candidates_push(out, CORDON_SECRET, at, d, 0.8, "a card's security code after its word (cvv 123)");
			return d;
		}
		if (bare)
			return d;
	}
	if (c == '-' && (pem(s, len, at, out, &next) || cli_password(s, len, at, out, &next)))
		return next;
	if ((c == ':' || c == '=') && key_value(s, len, at, out, &next))
		return next;
	if ((c | 0x20) == 'p' && phrase(s, len, at, out, &next))
		return next;
	if (is_digit(c) && at + 6 < len && s[at + 6] == '-' && bitlocker(s, len, at, out, &next))
		return next; /* six digits, then '-': told first, most numbers are not */
	if (is_alnum(c) || c == '_' || c == '-')
		return value_scan(s, len, at, out);
	return next;
}

/* In a number with no value byte on either side (a blank, a bracket, the
 * line's end): its value is the number, with no letter, no prefix and no
 * JWT around it ("10.0.19041.1", "2024-06-25", "14:22"): nothing. */
static unsigned secret_number(const struct number *t)
{
	if ((t->before >= 0 && value_class[t->before]) || (t->after >= 0 && value_class[t->after]))
		return ~0u;
	if (t->n == 1 && (t->len[0] == 3 || t->len[0] == 4))
		return 1; /* maybe a card's security code ("cvv 123") */
	if (t->n == 8) { /* a BitLocker recovery password: 8 x 6 digits, '-' between */
		int six = 1;
		for (size_t g = 0; g < 8 && six; g++)
			six = t->len[g] == 6 && (g == 7 || t->sep[g] == '-');
		if (six)
			return 1;
	}
	return 0;
}

static const char *const secret_context[] = {
	"password", "secret", "token", "key", "credential", "apikey", NULL
};

static struct wordset secret_context_words = WORDSET(secret_context);

const struct detector detector_secret = {
	.entity = CORDON_SECRET,
	.name = "SECRET",
	.anchors = ":=_-",
	.triggers = TRIGGER_DIGIT | TRIGGER_WORD_PASS | TRIGGER_WORD_UPPER_A,
	.digits = DIGIT_ANY,
	.number = secret_number,
	.scan = secret_scan,
	.context = &secret_context_words,
	.canonical = NULL,
	.mask = mask_opaque,
};
