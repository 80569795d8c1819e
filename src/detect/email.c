/* EMAIL_ADDRESS: an address is a local part, an "at", domain labels joined
 * by "dots", and a real suffix (the Public Suffix List). Standard addresses
 * and the ways people disguise them are one grammar:
 *  - "at" and "dot" are each a symbol ("@", "."), a look-alike (fullwidth
 *    "＠" "．" "。", HTML entities, percent-encoding) or a word, in the
 *    languages of the data ("at", "arroba", "chiocciola", "собака"; "dot",
 *    "punkt", "punto", "точка"), or, for a dot, a comma;
 *  - each may be wrapped in decoration: brackets of any kind, repeated or
 *    mixed ("[(at)]", "{{dot}}"), symmetric punctuation ("-at-", "_at_",
 *    "*dot*", quotes), blanks and one line break;
 *  - a word needs decoration or blanks around it, and the domain must end in
 *    a real suffix, which keeps prose ("meet me at the office") out.
 * Woken at an at-sign spelling, or at a bracket or rare wrapping character
 * ("(arroba)", "~at~"); the local part is read leftwards, the domain
 * rightwards as labels between dot spellings. The score weighs the disguise
 * (a word "at" is prose more often than "@"), the suffix and the shape. */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <utf8proc.h>
#include "detect/detector.h"
#include "detect/psl.h"
#include "detect/wordset.h"

enum { MAX_LABELS = 16, MAX_RUNS = 8, MAX_SPACES = 3, MAX_LOCAL = 64, MAX_LABEL = 63, MAX_DECOR = 3 };

/* How an at-sign or a dot is spelled. word: a word, which counts only with
 * blanks or decoration around it; strong: a word prose never uses ("arroba");
 * bracketed: only inside brackets ("(a)"). */
struct spelling {
	const char *text;
	unsigned char len;
	unsigned char word, strong, bracketed;
};
#define SP(s, w) { s, sizeof(s) - 1, w, 0, 0 }
#define SW(s) { s, sizeof(s) - 1, 1, 1, 0 }

static const struct spelling at_spellings[] = {
	SP("@", 0), SP("\xEF\xBC\xA0", 0) /* ＠ */, SP("\xEF\xB9\xAB", 0) /* ﹫ */,
	SP("&#64;", 0), SP("&#064;", 0), SP("&#x40;", 0), SP("&commat;", 0),
	SP("%40", 0), SP("at", 1),
	/* the at-sign's name in other languages */
	SW("arroba"), SW("arobase"), SW("chiocciola"), SW("apenstaartje"), SW("klammeraffe"), SW("snabel-a"),
	SW("kukac"), SW("\xC3\xA4t") /* ät */, SW("ma\xC5\x82pa") /* małpa */,
	SW("zavin\xC3\xA1\xC4\x8D") /* zavináč */,
	SW("\xD1\x81\xD0\xBE\xD0\xB1\xD0\xB0\xD0\xBA\xD0\xB0") /* собака */,
	{ "a", 1, 1, 0, 1 }, /* "novak(a)seznam.cz" */
};
static const struct spelling dot_spellings[] = {
	SP(".", 0), SP("\xEF\xBC\x8E", 0) /* ． */, SP("\xEF\xBD\xA1", 0) /* ｡ */,
	SP("\xE3\x80\x82", 0) /* 。 */, SP("&#46;", 0), SP("&#046;", 0), SP("&#x2e;", 0),
	SP("&period;", 0), SP("%2e", 0), SP(",", 0), SP("dot", 1),
	SW("punkt"), SW("point"), SW("punto"), SW("ponto"), SW("punt"), SW("period"), SW("kropka"),
	SW("te\xC4\x8Dka") /* tečka */, SW("\xD1\x82\xD0\xBE\xD1\x87\xD0\xBA\xD0\xB0") /* точка */,
};
#define NSP(a) (sizeof(a) / sizeof(*(a)))

#define OPENERS "[({<"
static const char openers[] = OPENERS, closers[] = "])}>";
/* symmetric decoration: the same character on both sides ("-at-", "'dot'") */
#define WRAPS "-_~*#|/=+:\"'"
static const char wraps[] = WRAPS;

struct sep {
	size_t start, end;
	int word, strong, spaced, obfuscated, comma;
	int decorated; /* wrapped, by choice: "[at]", "_AT_", "<At>", "((dot))" */
};

/* The bytes a spelling may start with, any case, from the lists: most bytes
 * start none and are turned away before the lists are read. FIRST_WORD:
 * only words start with it, and a word never starts inside another ("dot"
 * in "anecdote", "at" in "that"), so after a word byte it starts none. */
enum { FIRST_ANY = 1, FIRST_WORD = 2 };
static unsigned char spelling_first[256];
/* Each list's spellings chained by their first byte (lowercase), in the
 * list's order: a byte is compared with the spellings that start as it
 * does. */
struct spelling_chain {
	signed char head[256], next[32];
};
static struct spelling_chain at_chain, dot_chain;
/* The bytes a dot separator read backwards may end with: a spelling's last
 * byte (any case), a bracket that closes or a wrapping character. */
static unsigned char dot_last[256];
static pthread_once_t first_once = PTHREAD_ONCE_INIT;

/* A letter of two bytes in UTF-8 (Latin, Greek, Cyrillic) at s[i], in
 * lower case (upper: in upper case) by utf8proc, into out; 0 when s[i]
 * starts none, or its other case is not two bytes long. The spellings are
 * listed in lower case and read in any: "ТОЧКА", "TEČKA", "ÄT". */
static int other_case2(const uchar *s, size_t len, size_t i, int upper, uchar out[2])
{
	if (s[i] < 0xC2 || s[i] > 0xDF || i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
		return 0;
	utf8proc_int32_t cp = (utf8proc_int32_t)(s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F);
	utf8proc_int32_t o = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
	if (o < 0x80 || o > 0x7FF)
		o = cp; /* "İ" lowers to one byte: as written */
	out[0] = (uchar)(0xC0 | o >> 6);
	out[1] = (uchar)(0x80 | (o & 0x3F));
	return 1;
}

/* The first byte of the character at s[i] in lower case: the key of the
 * spelling chains. */
static uchar first_lower(const uchar *s, size_t len, size_t i)
{
	uchar lo[2];
	if (s[i] < 0x80)
		return (uchar)to_lower(s[i]);
	return other_case2(s, len, i, 0, lo) ? lo[0] : s[i];
}

/* Does the spelling w (n bytes, listed in lower case) start at s[i], in any
 * case? A letter and its other case are as long, so the match is n bytes. */
static int spelling_at(const uchar *s, size_t len, size_t i, const char *w, size_t n)
{
	if (len - i < n)
		return 0;
	for (size_t k = 0; k < n;) {
		uchar c = (uchar)w[k], lo[2];
		if (c < 0x80) {
			if ((uchar)to_lower(s[i + k]) != c)
				return 0;
			k++;
		} else if (k + 1 < n && c >= 0xC2 && c <= 0xDF && other_case2(s, i + n, i + k, 0, lo)) {
			if (lo[0] != c || lo[1] != (uchar)w[k + 1])
				return 0;
			k += 2;
		} else {
			if (s[i + k] != c)
				return 0;
			k++;
		}
	}
	return 1;
}

static void first_mark(const struct spelling *sp, size_t n, struct spelling_chain *c)
{
	memset(c->head, -1, sizeof(c->head));
	for (size_t k = n; k-- > 0;) {
		const uchar *t = (const uchar *)sp[k].text;
		uchar c0 = t[0], up[2];
		c->next[k] = c->head[c0];
		c->head[c0] = (signed char)k;
		uchar cs[2] = { (uchar)to_lower(c0), (uchar)to_upper(c0) };
		if (c0 >= 0x80 && other_case2(t, sp[k].len, 0, 1, up))
			cs[1] = up[0]; /* "С" of "СОБАКА" starts with another byte than "с" */
		for (int j = 0; j < 2; j++) {
			if (!sp[k].word)
				spelling_first[cs[j]] = FIRST_ANY;
			else if (!spelling_first[cs[j]])
				spelling_first[cs[j]] = FIRST_WORD;
		}
	}
}

static void first_init(void)
{
	_Static_assert(NSP(at_spellings) <= 32 && NSP(dot_spellings) <= 32, "spelling_chain holds 32");
	first_mark(at_spellings, NSP(at_spellings), &at_chain);
	first_mark(dot_spellings, NSP(dot_spellings), &dot_chain);
	for (size_t k = 0; k < NSP(dot_spellings); k++) {
		const uchar *t = (const uchar *)dot_spellings[k].text;
		size_t n = dot_spellings[k].len;
		uchar c = t[n - 1], up[2];
		dot_last[c] = dot_last[to_upper(c)] = 1;
		if (n >= 2 && other_case2(t, n, n - 2, 1, up))
			dot_last[up[1]] = 1; /* "А" ends "ТОЧКА" */
	}
	for (const char *c = closers; *c; c++)
		dot_last[(uchar)*c] = 1;
	for (const char *c = wraps; *c; c++)
		dot_last[(uchar)*c] = 1;
}

/* May a spelling start at s[i]? (spelling_first is built.) */
static inline int may_spell(const uchar *s, size_t i)
{
	return spelling_first[s[i]] && !(spelling_first[s[i]] == FIRST_WORD && i > 0 && is_word(s[i - 1]));
}

static size_t spelled(const struct spelling *sp, const struct spelling_chain *c, const uchar *s, size_t len,
		      size_t i, const struct spelling **which)
{
	pthread_once(&first_once, first_init);
	if (i >= len || !may_spell(s, i))
		return 0;
	for (int k = c->head[first_lower(s, len, i)]; k >= 0; k = c->next[k]) {
		if (!spelling_at(s, len, i, sp[k].text, sp[k].len))
			continue;
		if (sp[k].word && (i + sp[k].len < len && is_word(s[i + sp[k].len])))
			continue;
		if (sp[k].word && i > 0 && is_word(s[i - 1]))
			continue;
		*which = &sp[k];
		return sp[k].len;
	}
	return 0;
}

/* Blanks from i on, at most max of them and one line break. */
static size_t skip_spaces(const uchar *s, size_t len, size_t i, size_t max)
{
	size_t n = 0;
	int lines = 0;
	while (i < len && n < max) {
		if (is_space(s[i]))
			i++, n++;
		else if (!lines && s[i] == '\n')
			i++, lines = 1;
		else if (!lines && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i += 2, lines = 1;
		else
			break;
	}
	return i;
}

static size_t skip_spaces_back(const uchar *s, size_t i, size_t max)
{
	size_t n = 0;
	int lines = 0;
	while (i > 0 && n < max) {
		if (is_space(s[i - 1]))
			i--, n++;
		else if (!lines && s[i - 1] == '\n')
			i -= i > 1 && s[i - 2] == '\r' ? 2 : 1, lines = 1;
		else
			break;
	}
	return i;
}

static int mirror(uchar open)
{
	const char *o = open ? strchr(openers, open) : NULL;
	return o ? closers[o - openers] : open;
}

static int is_decor(uchar c)
{
	return c && (BYTE_IN(OPENERS, c) || BYTE_IN(WRAPS, c));
}

/* The decoration around a core at [cb, ce): up to MAX_DECOR characters
 * before it (brackets or wrapping characters, blanks between), mirrored
 * after it; the widest that closes. *b, *e: the span, the core's when none
 * closes; returns whether a bracket was among it. */
static int decoration(const uchar *s, size_t len, size_t cb, size_t ce, size_t *b, size_t *e, int *decorated)
{
	size_t ob[MAX_DECOR], n = 0, j = skip_spaces_back(s, cb, 2);
	while (n < MAX_DECOR && j > 0 && is_decor(s[j - 1])) {
		ob[n++] = j - 1;
		j = skip_spaces_back(s, j - 1, 1);
	}
	*b = cb;
	*e = ce;
	*decorated = 0;
	int bracket = 0;
	for (size_t want = n; want > 0; want--) { /* the widest that closes */
		size_t k = skip_spaces(s, len, ce, 2);
		size_t m = 0;
		for (; m < want; m++) {
			if (k >= len || s[k] != (uchar)mirror(s[ob[m]]))
				break;
			k = skip_spaces(s, len, k + 1, m + 1 < want ? 1 : 0);
		}
		if (m == want) {
			*b = ob[want - 1];
			*e = k;
			*decorated = 1;
			for (size_t q = 0; q < want; q++)
				bracket |= BYTE_IN(OPENERS, s[ob[q]]);
			break;
		}
	}
	return bracket;
}

/* A separator whose core spelling starts exactly at i: its decoration and
 * blanks on both sides are taken in. */
static int sep_at(const struct spelling *sp, const struct spelling_chain *chain, const uchar *s, size_t len,
		  size_t i, struct sep *out)
{
	const struct spelling *w = NULL;
	size_t core = spelled(sp, chain, s, len, i, &w);
	if (!core)
		return 0;
	size_t b, e;
	int decorated, bracket = decoration(s, len, i, i + core, &b, &e, &decorated);
	if (w->bracketed && !bracket)
		return 0; /* "(a)" only */
	int comma = w->text[0] == ',';
	size_t sb = skip_spaces_back(s, b, MAX_SPACES), se = skip_spaces(s, len, e, MAX_SPACES);
	if (w->word && !decorated && (sb == b || se == e))
		return 0; /* a bare word needs blanks around it */
	if (comma && (decorated || sb != b || se != e))
		return 0; /* "litware,com" only: ", " is a sentence's */
	out->start = sb;
	out->end = se;
	out->word = w->word && !w->strong;
	out->strong = w->strong;
	out->comma = comma;
	out->spaced = sb != b || se != e;
	/* by choice: brackets, or a wrap prose has no use for; not "(a)",
	 * never without its brackets, nor quotes or colons ("the word 'at'
	 * in it", "Status: at: noon") */
	out->decorated = decorated && !w->bracketed && (bracket || (s[b] && BYTE_IN("_~*#|=+-", s[b])));
	out->obfuscated = decorated || w->word || s[i] != (uchar)sp[0].text[0];
	return 1;
}

/* A dot separator starting at i (blanks and opener included). */
static int dot_forward(const uchar *s, size_t len, size_t i, struct sep *out)
{
	size_t j = skip_spaces(s, len, i, MAX_SPACES);
	for (int n = 0; n < MAX_DECOR && j < len && is_decor(s[j]); n++)
		j = skip_spaces(s, len, j + 1, n ? 1 : 2);
	if (!sep_at(dot_spellings, &dot_chain, s, len, j, out))
		return 0;
	return out->start == i;
}

/* A dot separator ending at i, for local parts like "john dot smith" or
 * "john[.]smith"; plain '.' is part of the local run already. */
static int dot_backward(const uchar *s, size_t len, size_t i, struct sep *out)
{
	size_t j = skip_spaces_back(s, i, MAX_SPACES);
	pthread_once(&first_once, first_init);
	/* a separator ending at i ends, before its blanks, with a spelling's
	 * last byte or its decoration's: most local parts have a word or
	 * nothing before them */
	if (j == 0 || !dot_last[s[j - 1]])
		return 0;
	size_t from = j > 16 ? j - 16 : 0;
	for (size_t k = j; k-- > from;) {
		if (!may_spell(s, k))
			continue; /* no spelling starts here: sep_at would say none */
		if ((s[k] == '.' || s[k] == ',') && !(k > 0 && is_decor(s[k - 1])))
			continue; /* a plain '.' is the run's; a comma joins no local part */
		struct sep sp;
		if (sep_at(dot_spellings, &dot_chain, s, len, k, &sp) && sp.end == i && sp.start < k + 1 &&
		    !sp.comma) {
			*out = sp;
			return 1;
		}
	}
	return 0;
}

/* "contoso-dot-com": a dot spelling wrapped in dashes ends a label. */
static int dashed_dot(const uchar *s, size_t len, size_t i)
{
	const struct spelling *w;
	size_t n = i + 1 < len ? spelled(dot_spellings, &dot_chain, s, len, i + 1, &w) : 0;
	return n && w->word && i + 1 + n < len && s[i + 1 + n] == '-';
}

static int is_label_byte(const uchar *s, size_t len, size_t i)
{
	uchar c = s[i];
	if (is_alnum(c) || c == '-')
		return 1;
	if (c < 0x80)
		return 0;
	const struct spelling *w;
	return !spelled(dot_spellings, &dot_chain, s, len, i, &w) &&
	       !spelled(at_spellings, &at_chain, s, len, i, &w);
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
	size_t nlocal, nlabels;
	int space_dot; /* the last dot was written as a blank */
	int obfuscated;        /* anywhere: brackets, words, entities, fullwidth */
	int domain_obfuscated; /* in the dots of the domain */
	int spaced;
	int internal; /* a suffix the PSL does not know: "corp.local" */
	struct sep at;
	/* the runs last: parse_email zeroes what comes before them, and
	 * fills each run before it is read */
	struct run local[MAX_RUNS];
	struct run label[MAX_LABELS];
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

static struct wordset at_stopword_set = WORDSET(at_stopwords);

static int is_stopword(const uchar *s, size_t start, size_t end)
{
	return wordset_has(&at_stopword_set, s + start, end - start);
}

static const char *const common_tlds[] = {
	"com", "net", "org", "edu", "gov", "mil", "int", "io", "co", "info", "biz", "me", "us",
	"uk", "de", "fr", "nl", "be", "at", "ch", "it", "es", "pt", "se", "no", "dk", "fi",
	"pl", "cz", "ie", "eu", "ru", "ua", "jp", "cn", "kr", "in", "au", "nz", "ca", "br",
	"mx", "ar", "za", "tv", "ai", "app", "dev", NULL
};

static struct wordset common_tld_set = WORDSET(common_tlds);

static int is_common_tld(const uchar *s, struct run r)
{
	return wordset_has(&common_tld_set, s + r.start, r.end - r.start);
}

/* Is the two-letter run r a word of a sentence ("contoso.com is", "at
 * work it")? Suffixes too, but after a blank they are read as words. */
static int prose_word(const uchar *s, struct run r)
{
	static const char words[] = " am an as at be by do go he if in is it me my no of on or so to us we ";
	if (r.end - r.start != 2)
		return 0;
	char w[5] = { ' ', (char)to_lower(s[r.start]), (char)to_lower(s[r.start + 1]), ' ', 0 };
	return strstr(words, w) != NULL;
}

/* "com", "co", "org" ...: labels that come before a country's code. */
static int is_second_level(const uchar *s, struct run r)
{
	static const char *const sld[] = { "com", "co", "org", "net", "edu", "gov", "ac", "gob", "or", "ne", NULL };
	static struct wordset sld_set = WORDSET(sld);
	return wordset_has(&sld_set, s + r.start, r.end - r.start);
}

static size_t label_at(const uchar *s, size_t len, size_t i)
{
	size_t e = i;
	while (e < len && e - i <= MAX_LABEL && is_label_byte(s, len, e) && !(s[e] == '-' && e > i && dashed_dot(s, len, e)))
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

/* The file types written after an '@' that are no domain's suffix
 * ("icon@2x.png", "sr@latin.po", "getty@tty2.service"). */
static const char *const file_types[] = {
	"png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "pdf", "js", "mjs", "ts", "css",
	"scss", "json", "xml", "yaml", "yml", "txt", "md", "log", "csv", "exe", "dll", "so", "sys", "bat", "cmd",
	"ps", "psm", "sh", "py", "rb", "go", "rs", "c", "h", "cpp", "hpp", "java", "class", "jar", "zip", "gz",
	"tgz", "tar", "rar", "msi", "iso", "img", "vhd", "vhdx", "html", "htm", "php", "asp", "aspx", "jsp", "lock",
	"git", "xz", "bz", "zst", "lst", "po", "pot", "mo", "header",
	/* systemd's unit types: "getty@tty2.service", "pg_dump@main.timer" */
	"service", "socket", "timer", "target", "mount", "automount", "path", "slice", "scope", "swap", "device", NULL
};
static struct wordset file_types_set = WORDSET(file_types);

/* An address written plainly ("jsmith@corp.local", "admin@contoso.internal",
 * "bob@contoso.comor" with a word glued on) whose last label the PSL does
 * not know: Active Directory's and other internal domains are people's
 * sign-in names too. Only with an '@' written as such, no blank around
 * it, the domain's labels joined by plain dots, and a last label of 2-24
 * letters that is no file's type. Sets m's labels to the domain's and
 * m->internal; 0 when it is no such address. */
static int internal_domain(const uchar *s, size_t len, struct email *m)
{
	if (m->at.word || m->at.spaced || m->at.obfuscated || m->at.end != m->at.start + 1 || s[m->at.start] != '@')
		return 0;
	size_t i = m->at.end, n = 0;
	for (;;) {
		size_t le = label_at(s, len, i);
		if (le == i || n == MAX_LABELS)
			break;
		m->label[n++] = (struct run){ i, le };
		if (!(le + 1 < len && s[le] == '.' && is_alnum(s[le + 1])))
			break;
		i = le + 1;
	}
	if (n < 2)
		return 0;
	struct run last = m->label[n - 1];
	if (last.end - last.start < 2 || last.end - last.start > 24 ||
	    wordset_has(&file_types_set, s + last.start, last.end - last.start))
		return 0;
	for (size_t k = last.start; k < last.end; k++)
		if (!is_alpha(s[k]))
			return 0;
	if (last.end < len && s[last.end] == '@')
		return 0; /* "a@b.c@d": no address */
	m->nlabels = n;
	m->internal = 1;
	return 1;
}

/* Parses an address whose at-sign spelling starts at `at`. */
static int parse_email(const uchar *s, size_t len, size_t at, struct email *m)
{
	memset(m, 0, offsetof(struct email, local)); /* not the runs: 384 bytes, for every "at" in prose */
	if (!sep_at(at_spellings, &at_chain, s, len, at, &m->at))
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
		/* "a@b.com. It works", "...gmail.com. my number": a full stop
		 * then a blank after an address already whole ends the
		 * sentence; the next word is no label even when it is a
		 * suffix (it, my, cc). Without a suffix yet ("contoso. com")
		 * the dot still joins. */
		if (best && s[le] == '.' && le + 1 < len && (is_space(s[le + 1]) || s[le + 1] == '\n' || s[le + 1] == '\r'))
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
	if (best && best == m->nlabels && best < MAX_LABELS &&
	    (is_second_level(s, m->label[best - 1]) || m->domain_obfuscated || m->spaced)) {
		/* "contoso.com br": the country after a blank, as "contoso com";
		 * and in a disguised domain after any suffix ("mail period
		 * yahoo ie": "yahoo" is one, the address goes on) */
		size_t last = m->label[best - 1].end, j = skip_spaces(s, len, last, 2);
		size_t le = j > last ? label_at(s, len, j) : j;
		struct run cc = { j, le };
		if (le == j + 2 && (le >= len || !is_word(s[le])) && tld_ok(s, cc) && !prose_word(s, cc)) {
			m->label[m->nlabels++] = cc; /* not a word of the sentence ("contoso.com is") */
			best = m->nlabels;
		}
	}
	if (!best && !internal_domain(s, len, m))
		return 0;
	if (!best)
		best = m->nlabels;
	m->nlabels = best;
	for (size_t k = 0; k < best; k++) /* a TLD is letters (or xn--) */
		if (k == best - 1 && is_digit(s[m->label[k].start]))
			return 0;
	m->start = m->local[0].start;
	m->end = m->label[best - 1].end;
	m->spaced |= m->at.spaced;
	m->obfuscated |= m->at.obfuscated | m->domain_obfuscated;
	/* "a#4Y@8YoYR. tel. +7 ...": an '@' inside a password or a path,
	 * the local part glued to its other bytes, is no address spread over
	 * blanks (the password is the SECRET's; "tel" and "it" are suffixes) */
	if ((m->spaced || m->space_dot) && m->start > 0 && BYTE_IN("#$!%^&/\\|?", s[m->start - 1]) && s[m->start - 1])
		return 0;
	return 1;
}

/* "portal.azure.com", "docs.contoso.com": a web host named in prose. */
static int is_web_host(const uchar *s, const struct email *m)
{
	static const char *const hosts[] = {
		"www", "portal", "login", "docs", "learn", "support", "admin", "app", "api",
		"my", "account", "accounts", "help", "status", "console", "dev", "web", NULL
	};
	static struct wordset host_set = WORDSET(hosts);
	if (m->nlabels < 3)
		return 0;
	return wordset_has(&host_set, s + m->label[0].start, m->label[0].end - m->label[0].start);
}

/* A local part no word of a sentence has the shape of: runs joined by dot
 * spellings, letters and digits mixed ("eva1437"), or letters joined by
 * '.', '_', '+' or '-' ("ivan_nowak", "fatima.costa"). */
static int address_shaped(const uchar *s, const struct email *m)
{
	if (m->nlocal >= 2)
		return 1;
	struct run r = m->local[0];
	int letters = 0, digits = 0, joined = 0;
	for (size_t i = r.start; i < r.end; i++) {
		letters |= is_alpha(s[i]);
		digits |= is_digit(s[i]);
		joined |= i > r.start && i + 1 < r.end && BYTE_IN("._+-", s[i]) && s[i] && is_alpha(s[i - 1]) &&
			  is_alpha(s[i + 1]);
	}
	return letters && (digits || joined);
}

static double email_score(const uchar *s, const struct email *m, const char **why)
{
	/* "at" as a bare word is prose as often as not; wrapped ("[at]",
	 * "_AT_", "<At>") it is a disguise, which prose never writes */
	int prose_at = m->at.word && !m->at.decorated;
	if (m->space_dot) {
		/* a suffix that is also a word of a sentence ("in", "it",
		 * "at"), after a blank, ends an address only after a symbol:
		 * "comment_at_start in" is an identifier and a word */
		if (m->at.word && prose_word(s, m->label[m->nlabels - 1]))
			prose_at = 1;
		int common = is_common_tld(s, m->label[m->nlabels - 1]);
		*why = common ? "last dot written as a blank, common TLD (PSL)"
			      : "last dot written as a blank, rare TLD (PSL)";
		if (prose_at && common && address_shaped(s, m) && !prose_word(s, m->label[m->nlabels - 1])) {
			/* "eva1437 at tailspintoys fi", "ivan_nowak at example org":
			 * no sentence has such a word before "at", and the suffix
			 * is no word of one ("max_size at start it" is prose) */
			*why = "'at' as a word after an address's local part, last dot written as a blank, common TLD (PSL)";
			return 0.6;
		}
		if (prose_at)
			return common ? 0.45 : 0.2;
		return common ? 0.8 : 0.4;
	}
	/* "xyz at contoso dot com" is an address; "the issue at portal.azure.com"
	 * is prose unless context words say otherwise */
	if (prose_at) {
		*why = m->domain_obfuscated ? "'at' and 'dot' written as words, TLD in the PSL"
		       : is_web_host(s, m)  ? "'at' before a web host name (needs context)"
					    : "'at' written as a word, TLD in the PSL";
		if (m->domain_obfuscated)
			return 0.7;
		return is_web_host(s, m) ? 0.45 : 0.6;
	}
	if (m->internal) {
		*why = "standard address, a suffix the PSL does not know (an internal domain: .local, .corp)";
		return 0.8;
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
	size_t core = at;
	if (is_decor(s[at])) /* woken at decoration: "(arroba)", "~at~": its core follows */
		for (int n = 0; n < MAX_DECOR && core < len && is_decor(s[core]); n++)
			core = skip_spaces(s, len, core + 1, n ? 1 : 2);
	if (core >= len || !parse_email(s, len, core, &m))
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
		const struct spelling *w;
		if (!spelled(at_spellings, &at_chain, s, len, i, &w))
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
	/* the first letter of each part, when it is one byte ("И" is two:
	 * half of it is no character) */
	outcur_put(&o, (uchar)canon[0] < 0x80 ? canon[0] : '*');
	for (char *p = canon + 1; p < at && p - canon < 16; p++)
		outcur_put(&o, '*');
	outcur_put(&o, '@');
	outcur_put(&o, (uchar)at[1] < 0x80 ? at[1] : '*');
	for (char *p = at + 2; p < tld && p - at < 24; p++)
		outcur_put(&o, '*');
	for (char *p = tld; p < canon + n; p++)
		outcur_put(&o, *p);
	return outcur_end(&o);
}

static const char *const email_context[] = {
	"email", "e-mail", "mail", "address", "contact", "reach", "write", "send", NULL
};

static struct wordset email_context_words = WORDSET(email_context);

const struct detector detector_email = {
	.entity = CORDON_EMAIL_ADDRESS,
	.name = "EMAIL_ADDRESS",
	.anchors = "@&%\xEF([{<~*#|",
	.triggers = TRIGGER_WORD_AT | TRIGGER_WORD_AT_NAME,
	.scan = email_scan,
	.context = &email_context_words,
	.canonical = email_canonical,
	.mask = email_mask,
};
