/* EMAIL_ADDRESS: standard addresses and the ways people disguise them:
 * "xyz @ contoso com", "xyz at contoso dot com", "xyz[at]contoso(.)com",
 * fullwidth "＠"/"．", HTML entities, percent-encoding, brackets of any kind.
 * Woken at an at-sign spelling; the local part is read leftwards, the domain
 * rightwards as labels between dot spellings, and the domain must end in a
 * real top-level domain (Public Suffix List), which keeps prose out. */
#include <string.h>
#include "detect/detector.h"
#include "detect/psl.h"

enum { MAX_LABELS = 16, MAX_RUNS = 8, MAX_SPACES = 3, MAX_LOCAL = 64, MAX_LABEL = 63 };

/* How an at-sign or a dot is spelled. A word spelling ("at", "dot") counts as
 * a separator only when bracketed or between blanks. */
struct spelling {
	const char *text;
	unsigned char len;
	unsigned char word;
};
#define SP(s, w) { s, sizeof(s) - 1, w }

static const struct spelling at_spellings[] = {
	SP("@", 0), SP("\xEF\xBC\xA0", 0) /* ＠ */, SP("\xEF\xB9\xAB", 0) /* ﹫ */,
	SP("&#64;", 0), SP("&#064;", 0), SP("&#x40;", 0), SP("&commat;", 0),
	SP("%40", 0), SP("at", 1),
};
static const struct spelling dot_spellings[] = {
	SP(".", 0), SP("\xEF\xBC\x8E", 0) /* ． */, SP("\xEF\xBD\xA1", 0) /* ｡ */,
	SP("\xE3\x80\x82", 0) /* 。 */, SP("&#46;", 0), SP("&#046;", 0), SP("&#x2e;", 0),
	SP("&period;", 0), SP("%2e", 0), SP("dot", 1),
};

static const char openers[] = "[({<", closers[] = "])}>";

struct sep {
	size_t start, end;
	int word, spaced, obfuscated;
};

static size_t spelled(const struct spelling *sp, size_t n, const uchar *s, size_t len,
		      size_t i, int *word)
{
	for (size_t k = 0; k < n; k++) {
		if (!starts_with_ci(s, len, i, sp[k].text))
			continue;
		if (sp[k].word && (i + sp[k].len < len && is_word(s[i + sp[k].len])))
			continue;
		if (sp[k].word && i > 0 && is_word(s[i - 1]))
			continue;
		*word = sp[k].word;
		return sp[k].len;
	}
	return 0;
}

static size_t skip_spaces(const uchar *s, size_t len, size_t i, size_t max)
{
	size_t n = 0;
	while (i < len && is_space(s[i]) && n < max)
		i++, n++;
	return i;
}

static size_t skip_spaces_back(const uchar *s, size_t i, size_t max)
{
	size_t n = 0;
	while (i > 0 && is_space(s[i - 1]) && n < max)
		i--, n++;
	return i;
}

/* A separator whose core spelling starts exactly at i: brackets around it and
 * blanks on both sides are taken in. */
static int sep_at(const struct spelling *sp, size_t nsp, const uchar *s, size_t len,
		  size_t i, struct sep *out)
{
	int word = 0;
	size_t core = spelled(sp, nsp, s, len, i, &word);
	if (!core)
		return 0;
	size_t b = i, e = i + core;
	int bracketed = 0;
	size_t ob = skip_spaces_back(s, b, 1);
	if (ob > 0 && strchr(openers, s[ob - 1]) && s[ob - 1]) {
		const char *o = strchr(openers, s[ob - 1]);
		size_t ce = skip_spaces(s, len, e, 1);
		if (ce < len && s[ce] == (uchar)closers[o - openers]) {
			b = ob - 1;
			e = ce + 1;
			bracketed = 1;
		}
	}
	size_t sb = skip_spaces_back(s, b, MAX_SPACES), se = skip_spaces(s, len, e, MAX_SPACES);
	if (word && !bracketed && (sb == b || se == e))
		return 0; /* a bare "at"/"dot" needs blanks around it */
	out->start = sb;
	out->end = se;
	out->word = word;
	out->spaced = sb != b || se != e;
	out->obfuscated = bracketed || word || s[i] != (uchar)sp[0].text[0];
	return 1;
}

/* A dot separator starting at i (blanks and opener included). */
static int dot_forward(const uchar *s, size_t len, size_t i, struct sep *out)
{
	size_t j = skip_spaces(s, len, i, MAX_SPACES);
	if (j < len && strchr(openers, s[j]) && s[j])
		j = skip_spaces(s, len, j + 1, 1);
	if (!sep_at(dot_spellings, sizeof(dot_spellings) / sizeof(*dot_spellings), s, len, j, out))
		return 0;
	return out->start == i;
}

/* A dot separator ending at i, for local parts like "john dot smith" or
 * "john[.]smith"; plain '.' is part of the local run already. */
static int dot_backward(const uchar *s, size_t len, size_t i, struct sep *out)
{
	size_t j = skip_spaces_back(s, i, MAX_SPACES);
	if (j == 0)
		return 0;
	size_t from = j > 12 ? j - 12 : 0;
	for (size_t k = j; k-- > from;) {
		if (s[k] == '.' && !(k > 0 && strchr(openers, s[k - 1]) && s[k - 1]))
			continue;
		struct sep sp;
		if (sep_at(dot_spellings, sizeof(dot_spellings) / sizeof(*dot_spellings), s, len, k, &sp) &&
		    sp.end == i && sp.start < k + 1) {
			*out = sp;
			return 1;
		}
	}
	return 0;
}

static int is_label_byte(const uchar *s, size_t len, size_t i)
{
	uchar c = s[i];
	if (is_alnum(c) || c == '-')
		return 1;
	if (c < 0x80)
		return 0;
	int w;
	return !spelled(dot_spellings, sizeof(dot_spellings) / sizeof(*dot_spellings), s, len, i, &w) &&
	       !spelled(at_spellings, sizeof(at_spellings) / sizeof(*at_spellings), s, len, i, &w);
}

static int is_local_byte(uchar c, int strict)
{
	if (is_alnum(c) || c == '.' || c == '_' || c == '+' || c == '-')
		return 1;
	return !strict && (c == '\'' || c >= 0x80);
}

struct run {
	size_t start, end;
};

struct email {
	size_t start, end;
	struct run local[MAX_RUNS];
	size_t nlocal;
	struct run label[MAX_LABELS];
	size_t nlabels;
	int space_dot; /* the last dot was written as a blank */
	int obfuscated;        /* anywhere: brackets, words, entities, fullwidth */
	int domain_obfuscated; /* in the dots of the domain */
	int spaced;
	struct sep at;
};

/* A local-part run ending at e, read leftwards; %XX counts as one byte. */
static struct run local_run(const uchar *s, size_t e, int strict)
{
	size_t i = e;
	while (i > 0 && e - i < MAX_LOCAL) {
		if (!strict && i >= 3 && s[i - 3] == '%' && is_hex(s[i - 2]) && is_hex(s[i - 1])) {
			int c = hex_value(s[i - 2]) << 4 | hex_value(s[i - 1]);
			if (!is_local_byte((uchar)c, 1))
				break;
			i -= 3;
			continue;
		}
		if (!is_local_byte(s[i - 1], strict))
			break;
		i--;
	}
	/* a local part starts and ends with a letter or digit */
	while (i < e && !is_alnum(s[i]) && s[i] < 0x80 && s[i] != '%')
		i++;
	while (e > i && (s[e - 1] == '.' || s[e - 1] == '-' || s[e - 1] == '\''))
		e--;
	return (struct run){ i, e };
}

/* Words that come before "at" in prose ("meet me at", "look at"). */
static const char *const at_stopwords[] = {
	"a", "about", "all", "am", "an", "and", "are", "arrive", "arrived", "as", "available",
	"based", "be", "been", "blocked", "deployed", "described", "documented", "found",
	"hosted", "listed", "posted", "published", "running", "seen", "served", "visible", "visit", "begin", "begins", "but", "call", "come", "directly", "do",
	"email", "end", "ends", "even", "from", "get", "go", "good", "great", "he", "her",
	"here", "him", "i", "in", "is", "it", "just", "least", "located", "log", "logged",
	"look", "looked", "looking", "me", "meet", "mail", "most", "not", "now", "of", "off",
	"on", "online", "only", "or", "out", "right", "she", "sign", "signed", "so", "start",
	"started", "starting", "starts", "stay", "still", "that", "the", "them", "then",
	"there", "they", "this", "to", "up", "us", "was", "we", "were", "work", "worked",
	"working", "works", "you", "your", NULL
};

static int is_stopword(const uchar *s, size_t start, size_t end)
{
	for (const char *const *w = at_stopwords; *w; w++) {
		if ((uchar)(*w)[0] != to_lower(s[start]))
			continue;
		size_t n = strlen(*w);
		if (n != end - start)
			continue;
		size_t k = 0;
		while (k < n && to_lower(s[start + k]) == (uchar)(*w)[k])
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

static const char *const common_tlds[] = {
	"com", "net", "org", "edu", "gov", "mil", "int", "io", "co", "info", "biz", "me", "us",
	"uk", "de", "fr", "nl", "be", "at", "ch", "it", "es", "pt", "se", "no", "dk", "fi",
	"pl", "cz", "ie", "eu", "ru", "ua", "jp", "cn", "kr", "in", "au", "nz", "ca", "br",
	"mx", "ar", "za", "tv", "ai", "app", "dev", NULL
};

static int is_common_tld(const uchar *s, struct run r)
{
	for (const char *const *t = common_tlds; *t; t++) {
		if ((uchar)(*t)[0] != to_lower(s[r.start]))
			continue;
		size_t n = strlen(*t), k = 0;
		if (n != r.end - r.start)
			continue;
		while (k < n && to_lower(s[r.start + k]) == (uchar)(*t)[k])
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

static size_t label_at(const uchar *s, size_t len, size_t i)
{
	size_t e = i;
	while (e < len && e - i <= MAX_LABEL && is_label_byte(s, len, e))
		e++;
	while (e > i && s[e - 1] == '-')
		e--;
	if (e == i || s[i] == '-' || e - i > MAX_LABEL)
		return i;
	return e;
}

static int tld_ok(const uchar *s, struct run r)
{
	return psl_is_tld((const char *)s + r.start, r.end - r.start);
}

/* Parses an address whose at-sign spelling starts at `at`. */
static int parse_email(const uchar *s, size_t len, size_t at, struct email *m)
{
	memset(m, 0, sizeof(*m));
	if (!sep_at(at_spellings, sizeof(at_spellings) / sizeof(*at_spellings), s, len, at, &m->at))
		return 0;
	int strict = m->at.word;

	/* local part, leftwards: runs joined by dot spellings */
	size_t e = m->at.start;
	while (m->nlocal < MAX_RUNS) {
		struct run r = local_run(s, e, strict);
		if (r.start == r.end || (m->nlocal == 0 && r.end != e))
			break;
		/* letters written apart: "j o h n @ contoso . com" */
		if (r.end - r.start == 1 && m->nlocal == 0 && m->at.spaced) {
			size_t k = r.start;
			while (k >= 2 && s[k - 1] == ' ' && is_alnum(s[k - 2]) &&
			       (k < 3 || !is_word(s[k - 3])) && e - k < MAX_LOCAL)
				k -= 2;
			if (r.start - k >= 4) /* three letters or more */
				r.start = k;
		}
		memmove(m->local + 1, m->local, m->nlocal * sizeof(*m->local));
		m->local[0] = r;
		m->nlocal++;
		struct sep d;
		if (!dot_backward(s, len, r.start, &d))
			break;
		m->obfuscated = 1;
		e = d.start;
	}
	if (!m->nlocal)
		return 0;
	if (m->at.word && m->nlocal == 1 && is_stopword(s, m->local[0].start, m->local[0].end))
		return 0;
	if (m->local[0].start > 0 && (s[m->local[0].start - 1] == '@'))
		return 0;

	/* domain, rightwards: labels joined by dot spellings */
	size_t i = m->at.end;
	size_t best = 0; /* labels in the longest domain ending in a TLD */
	while (m->nlabels < MAX_LABELS) {
		size_t le = label_at(s, len, i);
		if (le == i)
			break;
		m->label[m->nlabels++] = (struct run){ i, le };
		if (m->nlabels >= 2 && tld_ok(s, m->label[m->nlabels - 1]))
			best = m->nlabels;
		struct sep d;
		if (!dot_forward(s, len, le, &d))
			break;
		m->domain_obfuscated |= d.obfuscated;
		m->spaced |= d.spaced;
		i = d.end;
	}
	if (!best && m->nlabels >= 1 && m->nlabels < MAX_LABELS) {
		/* the last dot written as a blank: "contoso com" */
		size_t last = m->label[m->nlabels - 1].end;
		size_t j = skip_spaces(s, len, last, 2);
		size_t le = j > last ? label_at(s, len, j) : j;
		if (le > j && (le >= len || !is_word(s[le]))) {
			struct run tld = { j, le };
			if (tld_ok(s, tld)) {
				m->label[m->nlabels++] = tld;
				best = m->nlabels;
				m->space_dot = 1;
			}
		}
	}
	if (!best)
		return 0;
	m->nlabels = best;
	for (size_t k = 0; k < best; k++) /* a TLD is letters (or xn--) */
		if (k == best - 1 && is_digit(s[m->label[k].start]))
			return 0;
	m->start = m->local[0].start;
	m->end = m->label[best - 1].end;
	m->spaced |= m->at.spaced;
	m->obfuscated |= m->at.obfuscated | m->domain_obfuscated;
	return 1;
}

/* "portal.azure.com", "docs.contoso.com": a web host named in prose. */
static int is_web_host(const uchar *s, const struct email *m)
{
	static const char *const hosts[] = {
		"www", "portal", "login", "docs", "learn", "support", "admin", "app", "api",
		"my", "account", "accounts", "help", "status", "console", "dev", "web", NULL
	};
	if (m->nlabels < 3)
		return 0;
	struct run first = m->label[0];
	for (const char *const *h = hosts; *h; h++) {
		size_t n = strlen(*h);
		if (n == first.end - first.start && starts_with_ci(s, first.end, first.start, *h))
			return 1;
	}
	return 0;
}

static double email_score(const uchar *s, const struct email *m, const char **why)
{
	if (m->space_dot) {
		int common = is_common_tld(s, m->label[m->nlabels - 1]);
		*why = common ? "last dot written as a blank, common TLD (PSL)"
			      : "last dot written as a blank, rare TLD (PSL)";
		if (m->at.word)
			return common ? 0.45 : 0.2;
		return common ? 0.8 : 0.4;
	}
	/* "xyz at contoso dot com" is an address; "the issue at portal.azure.com"
	 * is prose unless context words say otherwise */
	if (m->at.word) {
		*why = m->domain_obfuscated ? "'at' and 'dot' written as words, TLD in the PSL"
		       : is_web_host(s, m)  ? "'at' before a web host name (needs context)"
					    : "'at' written as a word, TLD in the PSL";
		if (m->domain_obfuscated)
			return 0.7;
		return is_web_host(s, m) ? 0.45 : 0.6;
	}
	*why = m->obfuscated ? "disguised at-sign or dots (brackets, entities, fullwidth, %40), TLD in the PSL"
	       : m->spaced   ? "blanks around '@' or the dots, TLD in the PSL"
			     : "standard address, TLD in the PSL";
	if (m->obfuscated || m->spaced)
		return 0.9;
	return 0.95;
}

static size_t email_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	struct email m;
	if (!parse_email(s, len, at, &m))
		return at + 1;
	const char *why = "";
	double score = email_score(s, &m, &why);
	candidates_push(out, CORDON_EMAIL_ADDRESS, m.start, m.end, score, why);
	return m.end;
}

/* Finds the at-sign of an address span and parses it. */
static int parse_span(const uchar *s, size_t len, struct email *m)
{
	for (size_t i = 1; i < len; i++) {
		int w;
		if (!spelled(at_spellings, sizeof(at_spellings) / sizeof(*at_spellings), s, len, i, &w))
			continue;
		if (parse_email(s, len, i, m) && m->start == 0)
			return 1;
	}
	return 0;
}

static void put_run(struct outcur *o, const uchar *s, struct run r)
{
	for (size_t i = r.start; i < r.end; i++) {
		if (s[i] == ' ')
			continue;
		if (s[i] == '%' && i + 2 < r.end && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
			outcur_put(o, (char)to_lower(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2])));
			i += 2;
			continue;
		}
		outcur_put(o, (char)to_lower(s[i]));
	}
}

static size_t email_canonical(const uchar *s, size_t len, char *out, size_t cap)
{
	struct email m;
	if (!parse_span(s, len, &m))
		return canonical_generic(s, len, out, cap);
	struct outcur o = { out, cap, 0 };
	for (size_t k = 0; k < m.nlocal; k++) {
		if (k)
			outcur_put(&o, '.');
		put_run(&o, s, m.local[k]);
	}
	outcur_put(&o, '@');
	for (size_t k = 0; k < m.nlabels; k++) {
		if (k)
			outcur_put(&o, '.');
		put_run(&o, s, m.label[k]);
	}
	return outcur_end(&o);
}

/* j***@c******.com: first letter of the mailbox and of the domain, the TLD. */
static size_t email_mask(const uchar *s, size_t len, char *out, size_t cap)
{
	char canon[512];
	size_t n = email_canonical(s, len, canon, sizeof(canon));
	char *at = n < sizeof(canon) ? memchr(canon, '@', n) : NULL;
	char *tld = at ? memrchr(at, '.', n - (size_t)(at - canon)) : NULL;
	if (!at || !tld || at == canon)
		return mask_generic(s, len, out, cap);
	struct outcur o = { out, cap, 0 };
	outcur_put(&o, canon[0]);
	for (char *p = canon + 1; p < at && p - canon < 16; p++)
		outcur_put(&o, '*');
	outcur_put(&o, '@');
	outcur_put(&o, at[1]);
	for (char *p = at + 2; p < tld && p - at < 24; p++)
		outcur_put(&o, '*');
	for (char *p = tld; p < canon + n; p++)
		outcur_put(&o, *p);
	return outcur_end(&o);
}

static const char *const email_context[] = {
	"email", "e-mail", "mail", "address", "contact", "reach", "write", "send", NULL
};

const struct detector detector_email = {
	.entity = CORDON_EMAIL_ADDRESS,
	.name = "EMAIL_ADDRESS",
	.anchors = "@&%\xEF",
	.triggers = TRIGGER_WORD_AT,
	.scan = email_scan,
	.context = email_context,
	.canonical = email_canonical,
	.mask = email_mask,
};
