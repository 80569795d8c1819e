/* PERSON: names in free text. Woken at every capitalised word, it reads the
 * run of name-shaped words there ("Maria", "José García-López", "Jan van der
 * Berg", "Sean O'Brien") and decides from three kinds of evidence:
 *   - the words just before it: a self-introduction ("my name is", "this is",
 *     "je m'appelle"), an honorific ("Mr", "Frau", "Sra."), a role ("my
 *     colleague", "ask for", "account holder is"), a greeting ("Hi", "Dear")
 *     or a sign-off ("Thanks,", "Regards,\n");
 *   - the shape of the line: a speaker label ("Maria Lopez: hello") or
 *     "Maria here";
 *   - the name lists in data/names: given names, family names, given names
 *     that are also words ("Will", "Grace": only with a cue or a family name),
 *     and words that never start a name (weekdays, products, "Thanks").
 * The span is the name itself: "Mr [PERSON]" reads well and keeps the cue. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "detect/detector.h"
#include "detect/lexicon.h"
#include "detect/person.h"
#include "detect/wordset.h"

/* MAX_WORD bytes for a word of letters of one or two bytes (a Greek
 * "Αυγέρης-Χρυσοβαλάντιος" is 43); CASELESS_WORD for scripts of three
 * ("बालासुब्रमणियम" is 42 bytes) */
enum { MAX_TOKENS = 5, MAX_WORD = 64, CASELESS_WORD = 96 };

/* CUE_NAMING names what follows ("my name is", "Mr"); CUE_STRONG says a
 * person is likely ("this is", "ask for", "my colleague"): a common word
 * after it ("this is Zoom support") is a name only when listed as one. */
enum cue { CUE_NONE, CUE_SIGNOFF, CUE_GREETING, CUE_STRONG, CUE_NAMING };

struct phrase {
	const char *words; /* lowercase, single spaces */
	enum cue cue;
};

/* Phrases that end just before a name. Matched against the last words before
 * it, punctuation between them and the name skipped. */
static const struct phrase cues[] = {
	/* self-introductions and naming, several languages */
	{ "my name is", CUE_NAMING }, { "name is", CUE_NAMING }, { "name's", CUE_NAMING },
	{ "name", CUE_NAMING }, { "names", CUE_NAMING }, { "this is", CUE_STRONG },
	{ "i'm", CUE_STRONG }, { "im", CUE_STRONG }, { "i am", CUE_STRONG }, { "call me", CUE_NAMING },
	{ "it's", CUE_STRONG }, { "ich bin", CUE_STRONG }, { "name ist", CUE_NAMING },
	{ "heiße", CUE_NAMING }, { "heisse", CUE_NAMING }, { "m'appelle", CUE_NAMING },
	{ "je suis", CUE_STRONG }, { "me llamo", CUE_NAMING }, { "nombre es", CUE_NAMING },
	{ "soy", CUE_STRONG }, { "mi chiamo", CUE_NAMING }, { "sono", CUE_STRONG },
	{ "me chamo", CUE_NAMING }, { "nome é", CUE_NAMING }, { "heet", CUE_NAMING },
	{ "naam is", CUE_NAMING },
	/* honorifics */
	{ "mr", CUE_NAMING }, { "mrs", CUE_NAMING }, { "ms", CUE_NAMING }, { "miss", CUE_NAMING },
	{ "mx", CUE_NAMING }, { "dr", CUE_NAMING }, { "prof", CUE_NAMING }, { "herr", CUE_NAMING },
	{ "frau", CUE_NAMING }, { "mme", CUE_NAMING }, { "mlle", CUE_NAMING }, { "madame", CUE_NAMING },
	{ "monsieur", CUE_NAMING }, { "sr", CUE_NAMING }, { "sra", CUE_NAMING }, { "srta", CUE_NAMING },
	{ "señor", CUE_NAMING }, { "señora", CUE_NAMING }, { "senor", CUE_NAMING },
	{ "senora", CUE_NAMING }, { "sig", CUE_NAMING }, { "signor", CUE_NAMING },
	{ "signora", CUE_NAMING }, { "dott", CUE_NAMING }, { "mevrouw", CUE_NAMING },
	{ "meneer", CUE_NAMING },
	/* who someone is to the speaker, or to the case */
	{ "speaking with", CUE_STRONG }, { "speak with", CUE_STRONG }, { "speak to", CUE_STRONG },
	{ "spoke with", CUE_STRONG }, { "spoke to", CUE_STRONG }, { "talked to", CUE_STRONG },
	{ "talking to", CUE_STRONG }, { "talk to", CUE_STRONG }, { "ask for", CUE_STRONG },
	{ "asking for", CUE_STRONG }, { "asked for", CUE_STRONG }, { "holder is", CUE_STRONG },
	{ "holder", CUE_STRONG }, { "contact", CUE_STRONG }, { "attn", CUE_STRONG },
	{ "attention", CUE_STRONG }, { "assigned to", CUE_STRONG }, { "escalated to", CUE_STRONG },
	{ "transferred to", CUE_STRONG }, { "transfer to", CUE_STRONG }, { "forwarded to", CUE_STRONG },
	{ "reassigned to", CUE_STRONG }, { "cc", CUE_STRONG },
	{ "signed", CUE_STRONG }, { "agent", CUE_STRONG }, { "colleague", CUE_STRONG },
	{ "manager", CUE_STRONG }, { "supervisor", CUE_STRONG }, { "technician", CUE_STRONG },
	{ "engineer", CUE_STRONG }, { "customer", CUE_STRONG }, { "client", CUE_STRONG },
	{ "wife", CUE_STRONG }, { "husband", CUE_STRONG }, { "son", CUE_STRONG },
	{ "daughter", CUE_STRONG }, { "mother", CUE_STRONG }, { "father", CUE_STRONG },
	{ "brother", CUE_STRONG }, { "sister", CUE_STRONG }, { "partner", CUE_STRONG },
	{ "boss", CUE_STRONG }, { "friend", CUE_STRONG }, { "landlord", CUE_STRONG },
	{ "belongs to", CUE_STRONG }, { "belong to", CUE_STRONG }, { "belonged to", CUE_STRONG },
	{ "call back", CUE_STRONG }, { "owned by", CUE_STRONG },
	{ "on behalf of", CUE_STRONG }, { "requested by", CUE_STRONG }, { "reported by", CUE_STRONG },
	{ "opened by", CUE_STRONG }, { "employee", CUE_STRONG }, { "user", CUE_STRONG },
	/* the people a case or a payment names by their part in it */
	{ "caller", CUE_STRONG }, { "requester", CUE_STRONG }, { "requestor", CUE_STRONG },
	{ "reporter", CUE_STRONG }, { "submitter", CUE_STRONG }, { "applicant", CUE_STRONG },
	{ "cardholder", CUE_STRONG }, { "recipient", CUE_STRONG }, { "addressee", CUE_STRONG },
	{ "tenant", CUE_STRONG }, { "patient", CUE_STRONG }, { "beneficiary", CUE_STRONG },
	{ "payee", CUE_STRONG },
	/* more honorifics and titles written before a name */
	{ "pan", CUE_NAMING }, { "pani", CUE_NAMING }, { "lic", CUE_NAMING }, { "ing", CUE_NAMING },
	{ "drs", CUE_NAMING }, { "dra", CUE_NAMING }, { "mgr", CUE_NAMING }, { "judr", CUE_NAMING },
	{ "mudr", CUE_NAMING }, { "bc", CUE_NAMING }, { "sir", CUE_NAMING }, { "dame", CUE_NAMING },
	{ "fru", CUE_NAMING }, { "pak", CUE_NAMING }, { "bapak", CUE_NAMING }, { "ibu", CUE_NAMING },
	{ "bayan", CUE_NAMING }, { "sayın", CUE_NAMING }, { "dipl", CUE_NAMING }, /* not "bay": "Bay Area" */
	{ "ir", CUE_NAMING }, { "hj", CUE_NAMING }, { "dt", CUE_NAMING }, /* Indonesian: "Ir.", "Hj.", "Dt." */
	/* in scripts without capitals, where they are words of their own:
	 * Persian آقای, آقا, خانم, جناب, سرکار, دکتر, مهندس; Arabic السيد,
	 * السيدة, الدكتور, الدكتورة, الأستاذ, الآنسة; Hindi श्री, श्रीमती, सुश्री,
	 * डॉ, कुमारी; Hebrew מר, גברת */
	{ "\xd8\xa2\xd9\x82\xd8\xa7\xdb\x8c", CUE_NAMING }, { "\xd8\xa2\xd9\x82\xd8\xa7", CUE_NAMING },
	{ "\xd8\xae\xd8\xa7\xd9\x86\xd9\x85", CUE_NAMING }, { "\xd8\xac\xd9\x86\xd8\xa7\xd8\xa8", CUE_NAMING },
	{ "\xd8\xb3\xd8\xb1\xda\xa9\xd8\xa7\xd8\xb1", CUE_NAMING }, { "\xd8\xaf\xda\xa9\xd8\xaa\xd8\xb1", CUE_NAMING },
	{ "\xd9\x85\xd9\x87\xd9\x86\xd8\xaf\xd8\xb3", CUE_NAMING },
	{ "\xd8\xa7\xd9\x84\xd8\xb3\xd9\x8a\xd8\xaf", CUE_NAMING },
	{ "\xd8\xa7\xd9\x84\xd8\xb3\xd9\x8a\xd8\xaf\xd8\xa9", CUE_NAMING },
	{ "\xd8\xa7\xd9\x84\xd8\xaf\xd9\x83\xd8\xaa\xd9\x88\xd8\xb1", CUE_NAMING },
	{ "\xd8\xa7\xd9\x84\xd8\xaf\xd9\x83\xd8\xaa\xd9\x88\xd8\xb1\xd8\xa9", CUE_NAMING },
	{ "\xd8\xa7\xd9\x84\xd8\xa3\xd8\xb3\xd8\xaa\xd8\xa7\xd8\xb0", CUE_NAMING },
	{ "\xd8\xa7\xd9\x84\xd8\xa2\xd9\x86\xd8\xb3\xd8\xa9", CUE_NAMING },
	{ "\xe0\xa4\xb6\xe0\xa5\x8d\xe0\xa4\xb0\xe0\xa5\x80", CUE_NAMING },
	{ "\xe0\xa4\xb6\xe0\xa5\x8d\xe0\xa4\xb0\xe0\xa5\x80\xe0\xa4\xae\xe0\xa4\xa4\xe0\xa5\x80", CUE_NAMING },
	{ "\xe0\xa4\xb8\xe0\xa5\x81\xe0\xa4\xb6\xe0\xa5\x8d\xe0\xa4\xb0\xe0\xa5\x80", CUE_NAMING },
	{ "\xe0\xa4\xa1\xe0\xa5\x89", CUE_NAMING },
	{ "\xe0\xa4\x95\xe0\xa5\x81\xe0\xa4\xae\xe0\xa4\xbe\xe0\xa4\xb0\xe0\xa5\x80", CUE_NAMING },
	{ "\xd7\x9e\xd7\xa8", CUE_NAMING }, { "\xd7\x92\xd7\x91\xd7\xa8\xd7\xaa", CUE_NAMING },
	/* greetings */
	{ "hi", CUE_GREETING }, { "hello", CUE_GREETING }, { "hey", CUE_GREETING },
	{ "dear", CUE_GREETING }, { "hallo", CUE_GREETING }, { "bonjour", CUE_GREETING },
	{ "hola", CUE_GREETING }, { "ciao", CUE_GREETING }, { "salut", CUE_GREETING },
	{ "olá", CUE_GREETING }, { "ola", CUE_GREETING }, { "morning", CUE_GREETING },
	{ "afternoon", CUE_GREETING }, { "evening", CUE_GREETING }, { "liebe", CUE_GREETING },
	{ "lieber", CUE_GREETING }, { "geehrte", CUE_GREETING }, { "geehrter", CUE_GREETING },
	{ "estimado", CUE_GREETING }, { "estimada", CUE_GREETING }, { "cher", CUE_GREETING },
	{ "chère", CUE_GREETING }, { "beste", CUE_GREETING },
	/* sign-offs */
	{ "thanks", CUE_SIGNOFF }, { "thank you", CUE_SIGNOFF }, { "thx", CUE_SIGNOFF },
	{ "regards", CUE_SIGNOFF }, { "best", CUE_SIGNOFF }, { "cheers", CUE_SIGNOFF },
	{ "sincerely", CUE_SIGNOFF }, { "br", CUE_SIGNOFF }, { "mvg", CUE_SIGNOFF },
	{ "grüße", CUE_SIGNOFF }, { "grüsse", CUE_SIGNOFF }, { "gruß", CUE_SIGNOFF },
	{ "gruss", CUE_SIGNOFF }, { "cordialement", CUE_SIGNOFF }, { "saludos", CUE_SIGNOFF },
	{ "atentamente", CUE_SIGNOFF }, { "cumprimentos", CUE_SIGNOFF }, { "grazie", CUE_SIGNOFF },
	{ "merci", CUE_SIGNOFF }, { "gracias", CUE_SIGNOFF }, { "danke", CUE_SIGNOFF },
	{ "yours", CUE_SIGNOFF }, { "love", CUE_SIGNOFF }, { "wishes", CUE_SIGNOFF },
};

/* Lowercase words written between given and family names. */
static const char *const particles[] = {
	"van", "von", "der", "den", "de", "da", "do", "di", "del", "della", "dos", "das", "du", "la",
	"le", "bin", "binti", "ibn", "al", "el", "ten", "ter", "y", "e", "zu", "af", NULL,
};

/* A name-shaped word at s[i]: a capital, then letters (any non-ASCII byte
 * counts as a letter), with inner "'" or "-" before another letter
 * ("O'Brien", "García-López"). Returns its end, or i when there is none. */
static size_t name_word(const uchar *s, size_t len, size_t i)
{
	size_t cap = capital_at(s, len, i);
	if (!cap)
		return i;
	size_t j = i + cap;
	int lower = 0;
	/* bounded: a word longer than MAX_WORD is none, and "O'O'O'..." must
	 * not be read to its end from each of its capitals */
	while (j < len && j - i <= MAX_WORD) {
		unsigned c = text_class[s[j]];
		if (c & TC_LETTER) {
			lower |= !(c & TC_UPPER);
			j++;
		} else if ((c & TC_JOIN) && j + 1 < len && (text_class[s[j + 1]] & TC_LETTER)) {
			j++;
		} else {
			break;
		}
	}
	if (j - i > MAX_WORD || (!lower && j - i > 1) || (j < len && (is_digit(s[j]) || s[j] == '_' || s[j] == '@')))
		return i; /* all capitals (an acronym), or part of a code or an address */
	return j;
}

/* The lexicon flags of a word; a hyphenated word counts as its first part for
 * given names and any part for family names. */
static unsigned word_flags(const uchar *s, size_t from, size_t to)
{
	unsigned f = lexicon_lookup(s + from, to - from);
	if (f)
		return f;
	size_t k = from;
	while (k < to && s[k] != '-')
		k++;
	if (k == to)
		return 0;
	f = lexicon_lookup(s + from, k - from) & (LEX_FIRST | LEX_SURNAME | LEX_AMBIGUOUS);
	return f | (lexicon_lookup(s + k + 1, to - k - 1) & LEX_SURNAME);
}

static int particle_at(const uchar *s, size_t len, size_t i, size_t *end)
{
	if (i + 2 < len && s[i] == '\'' && (s[i + 1] == 't' || s[i + 1] == 's') && s[i + 2] == ' ') {
		*end = i + 2; /* Dutch "van 't Hof", "'s Gravesande" */
		return 1;
	}
	/* the usual case: the next word is capitalised, or no particle starts so */
	if (i >= len || !BYTE_IN("vdlbietyza", s[i]) || !s[i])
		return 0;
	size_t n = 0;
	while (i + n < len && n < 6 && is_alpha(s[i + n]) && !is_upper(s[i + n]))
		n++;
	if (n == 0 || n > 5 || i + n >= len || s[i + n] != ' ')
		return 0;
	for (const char *const *p = particles; *p; p++)
		if ((*p)[0] == (char)s[i] && strlen(*p) == n && !memcmp(s + i, *p, n)) {
			*end = i + n;
			return 1;
		}
	return 0;
}

/* The phrases split into words, last first, and chained by the hash of
 * their last word, so a word before a name is compared only with the
 * phrases that end with it. */
enum { CUE_WORDS = 4, CUE_HASH = 4096 };
struct cue_split {
	const char *w[CUE_WORDS];
	unsigned char n[CUE_WORDS], nw;
	unsigned char title; /* one naming word that is no word for naming: person_title */
	short next; /* next phrase in the same chain, or -1 */
};
static struct cue_split cue_split[sizeof(cues) / sizeof(*cues)];
static short cue_head[CUE_HASH];
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static unsigned word_hash(const char *w, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uchar)w[i]) * 16777619u;
	return h & 4095;
}

/* The one-word naming cues that name rather than title ("name", "heiße"). */
static const char *const naming[] = { "name", "names", "name's", "m'appelle", "hei\xc3\x9f" "e", "heisse", "heet", NULL };
static struct wordset naming_words = WORDSET(naming);

/* Titles that are no cue of their own ("Univ.-Prof.", "Tgk.", "Mtro."). */
static const char *const title_extra[] = { "univ", "tgk", "mtro", "dipl", "prof", NULL };
/* The first two bytes (lowercase) of every title, as bits: person_title's
 * first test. */
static struct pair_set title_pairs;

static void title_pair(const char *w, size_t n)
{
	if (n >= 2)
		pair_set_add(&title_pairs, w[0], w[1]);
}

static void cue_build(void)
{
	for (size_t h = 0; h < CUE_HASH; h++)
		cue_head[h] = -1;
	for (size_t p = 0; p < sizeof(cues) / sizeof(*cues); p++) {
		struct cue_split *c = &cue_split[p];
		const char *ph = cues[p].words;
		size_t end = strlen(ph);
		while (end > 0 && c->nw < CUE_WORDS) {
			size_t start = end;
			while (start > 0 && ph[start - 1] != ' ')
				start--;
			c->w[c->nw] = ph + start;
			c->n[c->nw++] = (unsigned char)(end - start);
			end = start ? start - 1 : 0;
		}
		c->title = c->nw == 1 && cues[p].cue == CUE_NAMING &&
			   !wordset_has(&naming_words, (const uchar *)c->w[0], c->n[0]);
		if (c->title)
			title_pair(c->w[0], c->n[0]);
		unsigned h = word_hash(c->w[0], c->n[0]);
		c->next = cue_head[h];
		cue_head[h] = (short)p;
	}
	for (const char *const *x = title_extra; *x; x++)
		title_pair(*x, strlen(*x));
}

/* The cue just before a name starting at `at`: the last one to four words,
 * lowercased, past blanks and punctuation (",", ":", "-", a line break). */
static enum cue cue_before(const uchar *s, size_t at)
{
	pthread_once(&cue_once, cue_build);
	size_t i = at, gap = 0;
	int colon = 0;
	int dashes = 0;
	while (i > 0 && gap < 6 && (is_space(s[i - 1]) || BYTE_IN(",:;-\n\r(", s[i - 1]))) {
		colon |= s[i - 1] == ':';
		dashes += s[i - 1] == '-';
		i--;
		gap++;
	}
	if (dashes >= 2 && (i == 0 || is_space(s[i - 1]) || s[i - 1] == '.'))
		return CUE_SIGNOFF; /* "-- Jelte Ehlert": a signature */
	if (i > 0 && s[i - 1] == '.') /* "Mr." "Sra." */
		i--;
	char words[CUE_WORDS][24];
	unsigned char wn[CUE_WORDS];
	size_t nw = 0;
	short chain = -1;
	while (nw < 4 && i > 0) {
		size_t e = i;
		while (i > 0 && (is_alpha(s[i - 1]) || s[i - 1] >= 0x80 || s[i - 1] == '\'') && e - i < 23)
			i--;
		if (i == e || (i > 0 && is_digit(s[i - 1])))
			break;
		for (size_t k = 0; k < e - i; k++)
			words[nw][k] = (char)to_lower(s[i + k]);
		wn[nw] = (unsigned char)(e - i);
		if (nw == 0 && (chain = cue_head[word_hash(words[0], e - i)]) < 0)
			return CUE_NONE;
		nw++;
		if (i == 0 || !is_space(s[i - 1]))
			break;
		i--;
	}
	enum cue best = CUE_NONE;
	for (short p = chain; p >= 0; p = cue_split[p].next) {
		const struct cue_split *c = &cue_split[p];
		int ok = c->nw <= nw;
		for (size_t k = 0; ok && k < c->nw; k++)
			ok = wn[k] == c->n[k] && !memcmp(words[k], c->w[k], c->n[k]);
		/* "Agent: Refund ..." is a speaker label, not a cue; "Name: Ana" is */
		if (ok && colon &&
		    !strstr(" name names contact holder attn attention cc signed cardholder payee beneficiary applicant "
			    "patient tenant addressee recipient assigned to reassigned to escalated to transferred to "
			    "forwarded to owned by requested by reported by opened by on behalf of ",
			    cues[p].words))
			ok = 0;
		if (ok && cues[p].cue > best)
			best = cues[p].cue;
	}
	return best;
}

/* Is s[b, e) a cue of one word ("Caller", "Manager", "Agent")? A name
 * starts after it, not with it ("Caller John Peters called"). */
static int cue_word(const uchar *s, size_t b, size_t e)
{
	char w[24];
	if (e - b >= sizeof(w))
		return 0;
	pthread_once(&cue_once, cue_build);
	for (size_t k = b; k < e; k++)
		w[k - b] = (char)to_lower(s[k]);
	for (short p = cue_head[word_hash(w, e - b)]; p >= 0; p = cue_split[p].next)
		if (cue_split[p].nw == 1 && cue_split[p].n[0] == e - b && !memcmp(cue_split[p].w[0], w, e - b))
			return 1;
	return 0;
}

/* Only a timestamp, brackets or a list mark before `at` on its line? */
static int at_line_start(const uchar *s, size_t at)
{
	size_t i = at;
	while (i > 0 && s[i - 1] != '\n' && s[i - 1] != '\r') {
		int c = s[i - 1];
		if (!(is_digit(c) || is_space(c) || BYTE_IN(":[]()-/.*>", c)))
			return 0;
		i--;
	}
	return 1;
}

/* Does the text before `at` end a sentence (or is there none)? */
static int sentence_start(const uchar *s, size_t at)
{
	size_t i = at;
	while (i > 0 && (is_space(s[i - 1]) || s[i - 1] == '"' || s[i - 1] == '\''))
		i--;
	return i == 0 || BYTE_IN(".!?\n\r:>", s[i - 1]);
}

/* Is the word just before `at` "name" or "names", with one blank and no
 * colon or verb between? Then it may be a compound's ("Host Name
 * Resolution", "Common Name Mismatch", "Subject Alternative Name
 * Extension"): a word of the language after it is no name. */
static int bare_name_before(const uchar *s, size_t at)
{
	size_t b = word_before_blank(s, at, 6), e = at - 1;
	return b < at && ((e - b == 4 && starts_with_ci(s, e, b, "name")) || (e - b == 5 && starts_with_ci(s, e, b, "names")));
}

/* Is s[at, e) a month's name in a date ("Mon, 22 Jan 2018", "Date: Thu Jan
 * 23 20:27:21 2020", "on May 5")? "Jan", "June" and "April" are given names
 * too; a day's number or a year right beside them makes them the month. */
static int month_in_date(const uchar *s, size_t len, size_t at, size_t e)
{
	static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept",
					      "oct", "nov", "dec", "january", "february", "march", "april", "june",
					      "july", "august", "september", "october", "november", "december", NULL };
	static struct wordset months_set = WORDSET(months);
	if (!wordset_has(&months_set, s + at, e - at))
		return 0;
	size_t a = e < len && s[e] == '.' ? e + 1 : e; /* "Jan. 5" */
	if (a + 2 < len && s[a] == ' ' && s[a + 1] == ' ')
		a++; /* ctime's "Wed Jan  2 23:30:33 2008" */
	if (a + 1 < len && (s[a] == ' ' || s[a] == '-') && is_digit(s[a + 1])) {
		size_t d = a + 1;
		while (d < len && is_digit(s[d]))
			d++;
		if ((d - a - 1 <= 2 || d - a - 1 == 4) && !(d < len && is_alpha(s[d]) && !(d + 1 < len && is_alpha(s[d + 1]))))
			return 1; /* "Jan 23", "Jan 2018", "Jan 5th"; not "Jan 3a" */
	}
	/* "22 Jan", "22-Jan"; a weekday alone is not enough: "on Friday Jan
	 * called" */
	return at >= 2 && (s[at - 1] == ' ' || s[at - 1] == '-') && is_digit(s[at - 2]);
}

/* "BitLocker", "OneDrive", "PowerShell": a capital inside the word after two
 * lowercase letters is a product's, unless the first part is a name's own
 * prefix ("McDonald", "MacArthur", "DiCaprio", "LaToya", "DeShawn"). */
static int camel_product(const uchar *s, size_t at, size_t e)
{
	static const char *const prefixes[] = { "mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von",
						"fitz", "st", "del", "della", "ter", "ten", NULL };
	for (size_t k = at + 2; k < e; k++) {
		if (!is_upper(s[k]) || !is_alpha(s[k - 1]) || is_upper(s[k - 1]) || !is_alpha(s[k - 2]) || is_upper(s[k - 2]))
			continue;
		for (const char *const *p = prefixes; *p; p++)
			if (strlen(*p) == k - at && starts_with_ci(s, e, at, *p))
				return 0;
		return 1;
	}
	return 0;
}

/* Is s[at..e) a title written before names ("Dr", "Ing", "Dott", "Sra")?
 * A one-word naming cue, found through the cues' hash chains, that is no
 * word for naming ("name", "heiße"). LOCATION asks too: "assigned to Sig.
 * Marino" is no town called Sig. */
int person_title(const uchar *s, size_t at, size_t e)
{
	static struct wordset extra_set = WORDSET(title_extra);
	char w[24];
	size_t n = e - at;
	if (n < 2 || n >= sizeof(w))
		return 0;
	pthread_once(&cue_once, cue_build);
	if (!pair_set_has(&title_pairs, to_lower(s[at]), to_lower(s[at + 1])))
		return 0; /* asked at most capitalised words: the first two bytes tell most */
	for (size_t i = 0; i < n; i++)
		w[i] = (char)to_lower(s[at + i]);
	for (short p = cue_head[word_hash(w, n)]; p >= 0; p = cue_split[p].next)
		if (cue_split[p].title && cue_split[p].n[0] == n && !memcmp(cue_split[p].w[0], w, n))
			return 1;
	return wordset_has(&extra_set, (const uchar *)w, n);
}

/* A verb only a person does, right after the name: "Maria here", "Soriana
 * Sala says", "... reported", "... wrote". */
static const char *const verbs[] = { "here", "says", "said", "reports", "reported", "wrote", "writes", "asked",
				     "asks", "called", "calls", "mentioned", "confirmed", "replied", "explained",
				     "complains", "complained", "sagt", "schreibt", "dice", "dit", "emailed", "phoned",
				     "texted", "told", "thinks", "thought", "wants", "wanted", "agreed", "promised",
				     "apologized", "apologised", NULL };
static struct wordset verb_set = WORDSET(verbs);

static int verb_after(const uchar *s, size_t len, size_t i)
{
	if (i + 1 >= len || s[i] != ' ')
		return 0;
	size_t e = i + 1;
	while (e < len && is_alpha(s[e]) && e - i <= 12)
		e++;
	if (e < len && is_word(s[e]))
		return 0;
	/* "Priya and I tested it", "Sven and me": only a person is one of us */
	if (e - i == 4 && starts_with_ci(s, len, i + 1, "and") && e + 1 < len && s[e] == ' ' &&
	    ((s[e + 1] == 'I' && (e + 2 == len || !is_word(s[e + 2]) || s[e + 2] == '\'')) ||
	     word_at_ci(s, len, e + 1, "me")))
		return 1;
	return wordset_has(&verb_set, s + i + 1, e - i - 1);
}

/* A word of a script without capitals at s[i] (Han, kana, Hangul,
 * Devanagari and the other Indic scripts, Thai, Arabic, Hebrew): its end, or
 * i. Punctuation of those scripts ("、", "，", "।", "،") ends it. */
static size_t caseless_word(const uchar *s, size_t len, size_t i)
{
	uchar c = s[i];
	if (!((c >= 0xD7 && c <= 0xDB) || c == 0xE0 || (c >= 0xE3 && c <= 0xED)))
		return i;
	size_t j = i;
	while (j < len && s[j] >= 0x80 && j - i <= CASELESS_WORD) {
		uchar a = s[j], b = at_or_nul(s, len, j + 1), d = at_or_nul(s, len, j + 2);
		if ((a == 0xE3 && b == 0x80 && !(d >= 0x85 && d <= 0x87)) || (a == 0xEF && (b == 0xBC || b == 0xBD)) ||
		    a == 0xE2 || (a == 0xD8 && (b == 0x8C || b == 0x9B || b == 0x9F)) ||
		    (a == 0xE0 && b == 0xA5 && (d == 0xA4 || d == 0xA5)))
			break; /* CJK and fullwidth punctuation (not 々, 〆, 〇: "佐々木"), general
				* punctuation, Arabic and Indic marks */
		j++;
	}
	return j - i > CASELESS_WORD ? i : j;
}

/* A name in a script without capitals: only where a cue, a label or a verb
 * says one stands there ("Name: 山田 幹", "Thanks 村山 裕樹,", "customer 平淑兰
 * reports"): up to three words, joined by a blank or one ", ". Titles
 * written as words of their own ("جناب آقای دکتر", "श्री") are taken with
 * the name and not counted: a title first is a cue itself. */
static size_t caseless_name(const uchar *s, size_t len, size_t at, size_t e0, struct candidates *out)
{
	enum { TITLES = 4 };
	size_t end = e0;
	int titled = person_title(s, at, e0);
	unsigned ntok = !titled, titles = (unsigned)titled;
	int comma = 0;
	while (ntok < 3 && end + 1 < len) {
		size_t j = end;
		if (s[j] == ',' && !comma && j + 2 < len && s[j + 1] == ' ')
			j += 2, comma = 1;
		else if (s[j] == ' ')
			j++;
		else
			break;
		size_t e = caseless_word(s, len, j);
		if (e == j)
			break;
		if (!ntok && person_title(s, j, e)) {
			if (++titles > TITLES)
				break;
		} else
			ntok++;
		end = e;
	}
	if (!ntok)
		return end; /* titles and no name after them */
	enum cue cue = titled ? CUE_NAMING : cue_before(s, at);
	int label = end < len && s[end] == ':' && at_line_start(s, at);
	if (cue == CUE_NONE && !label && !verb_after(s, len, end))
		return at + 1; /* an honorific inside the run may still wake PERSON: "こんにちは山田さん" */
	candidates_push(out, CORDON_PERSON, at, end, 0.75, "a name in a script without capitals, after a cue");
	return end;
}

/* "Васильевич", "Ивановна": a Russian or Ukrainian patronymic ends the word. */
static int patronymic(const uchar *s, size_t at, size_t e)
{
	static const char *const ends[] = { "\xd0\xb2\xd0\xb8\xd1\x87", "\xd0\xb2\xd0\xbd\xd0\xb0",
					    "\xd1\x96\xd0\xb2\xd0\xbd\xd0\xb0", "\xd0\xb8\xd1\x87\xd0\xbd\xd0\xb0", NULL };
	for (const char *const *x = ends; *x; x++) {
		size_t n = strlen(*x);
		if (e - at > n + 2 && !memcmp(s + e - n, *x, n))
			return 1;
	}
	return 0;
}

/* Does a clause end at e (the text's or a line's end, or punctuation that
 * closes one)? */
static int clause_ends(const uchar *s, size_t len, size_t e)
{
	return e >= len || BYTE_IN(".,;:!?)\r\n", s[e]);
}

/* --- names written in lower case, after a cue ("my name is maria lopez") --- */

/* A lowercase word at i: its end, or i ("maría", "kučerová", "théophile-henri"). */
static size_t lower_word(const uchar *s, size_t len, size_t i)
{
	size_t j = i;
	for (; j < len && j - i <= MAX_WORD; j++) {
		unsigned c = text_class[s[j]];
		if (c & TC_LOWER)
			continue;
		if ((c & TC_HIGH) && !capital_at(s, len, j))
			continue;
		if (!((c & TC_JOIN) && j > i && j + 1 < len && (text_class[s[j + 1]] & TC_LOWER)))
			break;
	}
	return j - i > MAX_WORD ? i : j;
}

/* After a cue ending at the word s[b..e): the lowercase name that follows,
 * pushed; its end, or 0. */
static size_t lower_name_after(struct candidates *out, const uchar *s, size_t len, size_t e)
{
	size_t q = e;
	if (q < len && (s[q] == ',' || s[q] == ':' || s[q] == '.'))
		q++;
	if (q >= len || s[q] != ' ')
		return 0;
	q++;
	size_t e1 = lower_word(s, len, q);
	/* titles in lower case first: "Name: pan tadeusz wrzosek", "assigned
	 * to dr. howard pemberton", "جناب آقای"; the name is after them, they
	 * are its cue, and they go with it (they tell the person's sex) */
	size_t start = q;
	for (int titles = 0; titles < 4 && e1 > q && person_title(s, q, e1); titles++) {
		size_t t = e1 < len && s[e1] == '.' ? e1 + 1 : e1;
		if (t + 1 >= len || s[t] != ' ')
			break;
		q = t + 1;
		e1 = lower_word(s, len, q);
	}
	if (e1 == q || e1 - q < 2)
		return 0;
	/* the word's flags first: most words after a cue are words of the
	 * language ("Agent: thanks", "Good morning"), turned away without
	 * the look back for the cue */
	unsigned f1 = word_flags(s, q, e1);
	if ((f1 & LEX_STOP) && !(f1 & LEX_FIRST))
		return 0;
	if ((f1 & LEX_COMMON) && !(f1 & (LEX_FIRST | LEX_SURNAME)))
		return 0;
	enum cue cue = cue_before(s, q);
	if (cue == CUE_NONE)
		return 0;
	/* a common word ("maria", "john") only after a naming cue, and listed;
	 * or a listed given name alone after a greeting or a sign-off, the
	 * clause ending with it ("hi john, ...", "thanks maria") */
	int greeted = (cue == CUE_GREETING || cue == CUE_SIGNOFF) && (f1 & LEX_FIRST) && !(f1 & LEX_STOP) &&
		      clause_ends(s, len, e1);
	if ((f1 & LEX_COMMON) && !(cue == CUE_NAMING && (f1 & (LEX_FIRST | LEX_SURNAME))) && !greeted)
		return 0;
	/* the rest of the name: listed names, particles, words no list knows */
	size_t end = e1;
	unsigned ntok = 1, plain = !(f1 & (LEX_COMMON | LEX_STOP));
	while (ntok < MAX_TOKENS && end + 1 < len && s[end] == ' ') {
		size_t j = end + 1, pe;
		while (particle_at(s, len, j, &pe))
			j = pe + 1;
		size_t w = lower_word(s, len, j);
		if (w == j || w - j < 2)
			break;
		unsigned f = word_flags(s, j, w);
		/* a word of the language ends the name, unless it is the last
		 * word of the clause after a listed given name and a cue that
		 * names or signs off ("Regards, kathleen smart", "my name is
		 * carl patel.", "Regards, juan carlos mendez cabanas."), or a
		 * listed given name after one ("anna maria kowalczyk") */
		int closes = w >= len || s[w] == '.' || s[w] == ',' || s[w] == '\n' || s[w] == '\r' || s[w] == ';';
		if ((f & (LEX_COMMON | LEX_STOP)) && !(f & LEX_SURNAME) &&
		    !(closes && !(f & LEX_STOP) && (f1 & LEX_FIRST) && (cue == CUE_NAMING || cue == CUE_SIGNOFF)) &&
		    !((f & LEX_FIRST) && !(f & LEX_STOP) && (f1 & LEX_FIRST)) && /* "anna maria kowalczyk" */
		    !(closes && w - j <= 3 && (f & LEX_FIRST) && (f1 & LEX_SURNAME) && !(f1 & LEX_COMMON)))
			break; /* "nguyen van an": a short given name closing it after a family name */
		end = w;
		ntok++;
		if (closes)
			break;
	}
	int listed = (f1 & LEX_FIRST) && (cue == CUE_NAMING || !(f1 & (LEX_COMMON | LEX_AMBIGUOUS)));
	/* "assigned to: nguyen van an": a family name first, listed, no word
	 * of the language, after a cue that says a person follows */
	int family = (f1 & LEX_SURNAME) && !(f1 & (LEX_COMMON | LEX_STOP | LEX_AMBIGUOUS)) &&
		     (cue == CUE_NAMING || cue == CUE_STRONG);
	double score = 0;
	if (listed && (cue == CUE_NAMING || cue == CUE_STRONG))
		score = 0.8;
	else if (family || greeted)
		score = 0.7;
	else if (listed)
		score = 0.7; /* after a greeting or a sign-off */
	else if (plain && ntok >= 2 && cue != CUE_GREETING)
		score = 0.6; /* "Regards, kerstin sandberg": no list knows either */
	if (score == 0)
		return 0;
	candidates_push(out, CORDON_PERSON, start, end, score, "a name in lower case after a cue");
	return end;
}

/* A word in capitals at i ("JOHN", "O'NEIL", "GARCÍA-LÓPEZ"): its end, or i.
 * Two letters at least, each a capital (ASCII, or a Latin one beyond it). */
static size_t caps_word(const uchar *s, size_t len, size_t i)
{
	size_t j = i, letters = 0;
	while (j < len && j - i <= MAX_WORD) {
		size_t c = capital_at(s, len, j);
		if (c) {
			j += c;
			letters++;
		} else if ((s[j] == '-' || s[j] == '\'') && letters && j + 1 < len && is_upper(s[j + 1])) {
			j++;
		} else {
			break;
		}
	}
	if (letters < 2 || j - i > MAX_WORD || (j < len && (is_alnum(s[j]) || s[j] >= 0x80 || s[j] == '_' || s[j] == '@')))
		return i;
	return j;
}

/* After a cue ending at e: a name written in capitals ("Customer: JOHN
 * SMITH", "spoke with JANE DOE", "Hi JOHN,"), pushed; its end, or 0. In
 * capitals every word looks alike, and acronyms abound ("issue with DNS",
 * "Name: TEST USER"), so the words must be names' by the lists: a given
 * name first, then given names, family names or words no list knows; or,
 * after a naming cue, words no list knows or names' only. A word of the
 * language that no list names ends the name. */
static size_t caps_name_at(struct candidates *out, const uchar *s, size_t len, size_t e, size_t q);

static inline size_t caps_name_after(struct candidates *out, const uchar *s, size_t len, size_t e)
{
	size_t q = e;
	if (q < len && (s[q] == ',' || s[q] == ':'))
		q++;
	if (q + 2 >= len || s[q] != ' ' || !is_upper(s[q + 1]) || !capital_at(s, len, q + 2))
		return 0; /* most words are not followed by capitals: told here, inline */
	return caps_name_at(out, s, len, e, q + 1);
}

/* The name in capitals starting at q, after the cue ending at e. */
static size_t caps_name_at(struct candidates *out, const uchar *s, size_t len, size_t e, size_t q)
{
	size_t ends[MAX_TOKENS];
	unsigned flags[MAX_TOKENS], ntok = 0;
	size_t i = q;
	while (ntok < MAX_TOKENS) {
		size_t w = caps_word(s, len, i);
		if (w == i)
			break;
		unsigned f = word_flags(s, i, w);
		if ((f & LEX_STOP) && !(f & (LEX_FIRST | LEX_SURNAME)))
			break;
		/* a word of the language no list names ends the name ("ACME
		 * CORP"), unless it is the last after a given name ("JANE DOE") */
		if ((f & LEX_COMMON) && !(f & (LEX_FIRST | LEX_SURNAME)) &&
		    !(ntok >= 1 && (flags[0] & LEX_FIRST) && !(w + 1 < len && s[w] == ' ' && caps_word(s, len, w + 1) > w + 1)))
			break;
		flags[ntok] = f;
		ends[ntok++] = w;
		if (w + 1 >= len || s[w] != ' ')
			break;
		i = w + 1;
	}
	if (ntok == 0)
		return 0;
	enum cue cue = cue_before(s, q);
	int first = (flags[0] & LEX_FIRST) && !(flags[0] & LEX_STOP);
	unsigned n = ntok;
	/* a field's label ("Customer:", "Owner:") is no cue, but a given name
	 * and a family name after it are a name */
	int label = e < len && s[e] == ':';
	if (cue == CUE_NONE && !(label && first && n >= 2 && (flags[n - 1] & LEX_SURNAME)))
		return 0;
	double score = 0;
	if (first && n >= 2)
		score = 0.8;
	else if (first && (cue == CUE_NAMING || cue == CUE_STRONG || cue == CUE_GREETING))
		score = 0.7, n = 1;
	else if (cue == CUE_NAMING && n >= 2) {
		score = 0.7; /* "Name: VIATEUR MUGENZI" */
		for (unsigned k = 0; k < n; k++)
			if (flags[k] & (LEX_COMMON | LEX_STOP))
				score = 0;
	}
	if (score == 0)
		return 0;
	candidates_push(out, CORDON_PERSON, q, ends[n - 1], score, "a name in capitals after a cue");
	return ends[n - 1];
}

/* The start of a name found at `at`, taking in the word just before when it
 * is a listed name's too, though also a word or a place, which kept it from
 * starting the name itself ("ticket for Mercedes Francisca Gutierrez":
 * "Mercedes" is a car as well), or a name-shaped word no list knows, even
 * first in its sentence, which kept it from starting one there ("Dravek
 * Atilhan Akça Hayrioğlu from ..."); never a common word of the language
 * nor a stopword. */
/* A listed family name first in a field's value ("Owner: Sato Haruto",
 * "Name: Nguyen Van An"): the family-name-first order of Japan, China,
 * Korea, Vietnam and Hungary, where the value, not a sentence, starts. */
static int field_value_surname(const uchar *s, size_t b, unsigned f)
{
	return (f & LEX_SURNAME) && b >= 2 && s[b - 1] == ' ' && s[b - 2] == ':';
}

/* The start of the name-shaped word ending at e (name_word's, with no word
 * byte glued before it), or e. */
static size_t name_word_back(const uchar *s, size_t e)
{
	size_t b = e;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80 || s[b - 1] == '\'' || s[b - 1] == '-') && e - b < MAX_WORD)
		b--;
	if (b == e || (b > 0 && is_word(s[b - 1])) || name_word(s, e, b) != e)
		return e;
	return b;
}

static size_t name_before(const uchar *s, size_t at)
{
	if (at < 3 || s[at - 1] != ' ')
		return at;
	size_t b = name_word_back(s, at - 1);
	if (b == at - 1)
		return at;
	unsigned f = word_flags(s, b, at - 1);
	if (f & (LEX_STOP | LEX_COMMON))
		return at;
	if (f ? !(f & (LEX_FIRST | LEX_SURNAME)) || (sentence_start(s, b) && !field_value_surname(s, b, f))
	      : camel_product(s, b, at - 1) || person_title(s, b, at - 1))
		return at; /* "Bayan Berrin Yılmaz": a title is the name's cue */
	return b;
}

/* "Smith, John", "Doe, Jane", "Nakamura, Kenji": the directory's order, a
 * family name and a comma before a listed given name found at `at` (as
 * Outlook shows senders: "From: Doe, Jane <...>"). The start of the
 * family name, or at. A listed family name, or a name-shaped word no list
 * knows; never a stopword or another word of the language ("Thanks,
 * John", "Windows, Maria"), a title or a product's name. A family name
 * that is a given name too ("Brown", "King", "Christian") only before a
 * given name alone (ENTRY_SINGLE): before a name of several words the
 * comma parts two people ("(Christian, Rodney Brown)"). A word of the
 * language only where an address or the next recipient closes the entry
 * (ENTRY_ADDRESSED): "From: Doe, Jane <jane.doe@...>", "To: Snow, Ann;". */
enum entry { ENTRY_SEVERAL, ENTRY_SINGLE, ENTRY_ADDRESSED };
static size_t family_first_before(const uchar *s, size_t at, enum entry kind)
{
	if (at < 4 || s[at - 1] != ' ' || s[at - 2] != ',')
		return at;
	size_t e = at - 2, b = name_word_back(s, e);
	if (b == e)
		return at;
	/* the family name starts the entry: after a line's or a field's start
	 * or a word in lower case ("To: Kowalski, Piotr", "escalated to
	 * Brown, Sarah"), not after another capitalised word, where the comma
	 * parts two people ("Thomas Haller, Sebastian Rasmussen") */
	if (b > 0 && !BYTE_IN("(<[\"'\n\t", s[b - 1])) {
		if (s[b - 1] != ' ')
			return at;
		size_t p = b - 1;
		while (p > 0 && s[p - 1] == ' ')
			p--;
		size_t w = p;
		while (w > 0 && (is_alpha(s[w - 1]) || s[w - 1] >= 0x80))
			w--;
		/* p == 0: blanks only before it; else a field's end or a word
		 * in lower case */
		if (p > 0 && !BYTE_IN(":;(<[\n\t", s[p - 1]) && !(w < p && is_alpha(s[w]) && !is_upper(s[w])))
			return at;
	}
	unsigned f = word_flags(s, b, e);
	if (!(f & LEX_SURNAME) && ((f && !(kind == ENTRY_ADDRESSED && f == LEX_COMMON)) || camel_product(s, b, e) ||
				   person_title(s, b, e)))
		return at;
	if ((f & LEX_STOP) || ((f & LEX_FIRST) && !(kind != ENTRY_SEVERAL && (f & LEX_SURNAME))))
		return at; /* "(Christian, Rodney Brown)": two people */
	return b;
}

/* How a directory's entry ends at e (a given name's end), after blanks:
 * ENTRY_ADDRESSED before an address or the next recipient ('<', ';'),
 * ENTRY_SINGLE at the end, a line's end or what else closes an entry
 * (',', ')', ']', '"'); ENTRY_SEVERAL (0) before anything else. */
static enum entry entry_end(const uchar *s, size_t len, size_t e)
{
	while (e < len && s[e] == ' ')
		e++;
	if (e < len && (s[e] == '<' || s[e] == ';'))
		return ENTRY_ADDRESSED;
	return e >= len || BYTE_IN(",)]\"\r\n", s[e]) ? ENTRY_SINGLE : ENTRY_SEVERAL;
}

/* Is s[at, end) all there is on its line, but blanks? */
static int alone_on_line(const uchar *s, size_t len, size_t at, size_t end)
{
	size_t b = at, e = end;
	while (b > 0 && is_space(s[b - 1]))
		b--;
	while (e < len && is_space(s[e]))
		e++;
	return (b == 0 || s[b - 1] == '\n' || s[b - 1] == '\r') && (e == len || s[e] == '\n' || s[e] == '\r');
}

/* A handle made of a given name and a family name, woken at the '@' before
 * it: "@john.smith", "@maria_garcia". Both parts listed, neither a
 * stopword: "@team.lead" and "@will.smith" are not. Its end, or at + 1.
 * (Not a Windows login, "CONTOSO\\john.smith": a wake at every '\\' of every
 * path cost 1.3% of the dense chat's instructions.) */
static size_t handle_after(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	if (at > 0 && is_word(s[at - 1]))
		return at + 1; /* an e-mail address's at-sign */
	size_t b = at + 1, e1 = b;
	while (e1 < len && is_alpha(s[e1]) && e1 - b < 24)
		e1++;
	if (e1 - b < 2 || e1 + 2 >= len || !BYTE_IN("._-", s[e1]) || !s[e1] || !is_alpha(s[e1 + 1]))
		return at + 1;
	size_t e2 = e1 + 1;
	while (e2 < len && is_alpha(s[e2]) && e2 - e1 < 24)
		e2++;
	if (e2 - e1 < 3 || (e2 < len && (is_alnum(s[e2]) || s[e2] >= 0x80 || s[e2] == '@' ||
					 ((s[e2] == '.' || s[e2] == '-' || s[e2] == '_') && e2 + 1 < len && is_alnum(s[e2 + 1])))))
		return at + 1; /* "@contoso.com.au", "jane.doe2", "a.b.c" */
	unsigned f1 = lexicon_lookup(s + b, e1 - b), f2 = lexicon_lookup(s + e1 + 1, e2 - e1 - 1);
	if (!(f1 & LEX_FIRST) || !(f2 & LEX_SURNAME) || ((f1 | f2) & LEX_STOP))
		return at + 1;
	candidates_push(out, CORDON_PERSON, b, e2, 0.8, "a login or handle of a given and a family name");
	return e2;
}

/* A Japanese name before its honorific, woken at the honorific's first
 * byte: "山田さん", "田中様", "山田太郎様". Two to four kanji (CJK unified
 * ideographs, U+4E00-9FFF) start a run before it: one is a word
 * ("皆さん", "お客様" everyone, the customer), and kana before it are a
 * word's ("たくさん" many); not after the polite prefixes お and ご ("ご
 * 担当者様"), nor ending with 者, 客 or 社 (a role, a customer, a firm).
 * No word starts inside a run of Han and kana, so nothing else wakes
 * PERSON there; these bytes are in no other script's text. Its end, or
 * at + 1. */
static size_t honorific_before(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	static const uchar san[] = "\xe3\x81\x95\xe3\x82\x93", sama[] = "\xe6\xa7\x98";
	size_t n = s[at] == 0xE3 ? 6 : 3;
	if (at + n > len || memcmp(s + at, n == 6 ? san : sama, n))
		return at + 1;
	size_t b = at, k = 0;
	while (b >= 3 && k < 5 && s[b - 3] >= 0xE4 && s[b - 3] <= 0xE9 && (s[b - 2] & 0xC0) == 0x80 &&
	       (s[b - 1] & 0xC0) == 0x80 && !(s[b - 3] == 0xE4 && s[b - 2] < 0xB8))
		b -= 3, k++;
	if (k < 2 || k > 4)
		return at + 1;
	if (b >= 3 && s[b - 3] == 0xE3 && s[b - 2] == 0x81 && (s[b - 1] == 0x8A || s[b - 1] == 0x94))
		return at + 1; /* お, ご */
	static const uchar *const roles[] = { (const uchar *)"\xe8\x80\x85", (const uchar *)"\xe5\xae\xa2",
					      (const uchar *)"\xe7\xa4\xbe" };
	for (size_t r = 0; r < sizeof(roles) / sizeof(*roles); r++)
		if (!memcmp(s + at - 3, roles[r], 3))
			return at + 1;
	candidates_push(out, CORDON_PERSON, b, at, 0.8, "a Japanese name before its honorific (さん, 様)");
	return at + n;
}

static size_t person_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	if (s[at] == '@')
		return handle_after(s, len, at, out);
	if ((s[at] == 0xE3 && at + 6 <= len && s[at + 1] == 0x81 && s[at + 2] == 0x95) ||
	    (s[at] == 0xE6 && at + 3 <= len && s[at + 1] == 0xA7 && s[at + 2] == 0x98))
		return honorific_before(s, len, at, out); /* さ, 様: else a word of the script, read below */
	if (s[at] == '-' || (is_alpha(s[at]) && !is_upper(s[at]))) {
		/* woken at a cue's last word in lower case ("this is", "spoke
		 * with", "--"): a name in lower case after it */
		size_t e = at;
		while (e < len && (is_alpha(s[e]) || s[e] == '-') && e - at < 16)
			e++;
		size_t r = lower_name_after(out, s, len, e);
		if (!r)
			r = caps_name_after(out, s, len, e);
		return r > e ? r : e;
	}
	/* "S.Ked", "M.Ak", "S.I.Kom": a degree after a name, a capital and a
	 * dot glued before the word; an initial has a blank ("John F. Kennedy") */
	size_t e0 = name_word(s, len, at);
	if (at >= 2 && s[at - 1] == '.' && is_upper(s[at - 2]) && (at == 2 || !is_alpha(s[at - 3])))
		return e0 > at ? e0 : at + 1;
	if (e0 == at) {
		/* a cue in capitals, woken as a cue word ("CUSTOMER: JOHN SMITH",
		 * "ACCOUNT HOLDER: MARIA GONZALEZ") */
		size_t cw = caps_word(s, len, at);
		size_t r = cw > at ? caps_name_after(out, s, len, cw) : 0;
		if (r)
			return r;
		size_t c = caseless_word(s, len, at);
		return c > at ? caseless_name(s, len, at, c, out) : at + 1;
	}
	if (e0 < len && (s[e0] == '.' || (s[e0] == ' ' && capital_at(s, len, e0 + 1))) && person_title(s, at, e0))
		return e0 + 1; /* "Dr.", "Ing.", "Bayan Berrin": the name after it is the person */
	unsigned f0 = word_flags(s, at, e0);
	{
		/* "Customer: JOHN SMITH", "Hi JOHN,": a name in capitals after
		 * a capitalised cue */
		size_t r = caps_name_after(out, s, len, e0);
		if (r)
			return r;
	}
	/* "Regards, kerstin sandberg", "Name: maria lopez", "Thanks ben": a
	 * capitalised cue (a stopword: "Thanks", "Name", "Hi"), then a name in
	 * lower case */
	if ((f0 & LEX_STOP) && e0 + 2 < len &&
	    (s[e0] == ' ' || ((s[e0] == ',' || s[e0] == ':') && s[e0 + 1] == ' '))) {
		size_t q = e0 + (s[e0] != ' ') + 1;
		if (q < len && is_alpha(s[q]) && !is_upper(s[q])) {
			size_t r = lower_name_after(out, s, len, e0);
			if (r)
				return r;
		}
	}
	int stop = (f0 & LEX_STOP) && !(f0 & (LEX_FIRST | LEX_SURNAME));
	if (stop)
		return e0;
	if ((f0 & LEX_COMMON) && !(f0 & (LEX_FIRST | LEX_SURNAME)) && e0 + 1 < len && s[e0] == ' ' &&
	    capital_at(s, len, e0 + 1) && cue_word(s, at, e0))
		return e0; /* "Caller John Peters": the cue, then the name, found at its own word */

	/* the run of name words: "Ana María de la Cruz", "John F. Kennedy" */
	size_t end = e0, i = e0;
	unsigned ntok = 1, last = f0, any = f0;
	int camel0 = camel_product(s, at, e0);
	int patro = 0, unknown = !f0 && !camel0; /* no list knows any word */
	/* every word a name's or unknown, none a common word or a product's,
	 * one unknown at least: "Martyn Carter" (Carter is also a word) */
	int plain = !(f0 & (LEX_COMMON | LEX_STOP)) && !camel0, some_unknown = !f0;
	/* a word of capitals ("APIs", "OSSFuzz") or a product's ("OpenAI"): a thing's name */
	int thing = camel0 || (e0 > at + 1 && is_upper(s[at + 1]));
	while (ntok < MAX_TOKENS && i < len && s[i] == ' ') {
		size_t j = i + 1, pe;
		while (particle_at(s, len, j, &pe))
			j = pe + 1;
		if (j + 1 < len && is_upper(s[j]) && s[j + 1] == '.' && j + 2 < len && s[j + 2] == ' ' &&
		    name_word(s, len, j + 3) > j + 3)
			j += 3; /* a middle initial */
		size_t e = name_word(s, len, j);
		if (e == j && (f0 & LEX_FIRST) && !(f0 & LEX_AMBIGUOUS) && (e = caps_word(s, len, j)) > j) {
			/* a family name in capitals after a listed given name, as
			 * French and others write it ("Akira TAGOH", "Jon TURNEY");
			 * not a word of the language ("Will IT") */
			unsigned fc = word_flags(s, j, e);
			if (((fc & (LEX_COMMON | LEX_STOP)) || e - j < 4) && !(fc & LEX_SURNAME))
				e = j; /* and no acronym: "Travis CI", "Darwin CVS" */
		}
		if (e == j)
			break;
		unsigned f = word_flags(s, j, e);
		if ((f & LEX_STOP) && !(f & LEX_SURNAME) &&
		    !(e - j <= 3 && (f & LEX_FIRST) && (any & (LEX_FIRST | LEX_SURNAME)) && clause_ends(s, len, e)))
			break; /* "Nguyen Van An": a capitalised "An" closing the name is its last word */
		patro |= patronymic(s, j, e);
		int camel = camel_product(s, j, e);
		thing |= camel || (e > j + 1 && is_upper(s[j + 1]));
		unknown &= !f && !camel;
		plain &= !(f & (LEX_COMMON | LEX_STOP)) && !camel;
		some_unknown |= !f;
		end = i = e;
		last = f;
		any |= f;
		ntok++;
	}

	enum cue cue = cue_before(s, at);
	size_t after = end;
	while (after < len && s[after] == ')')
		after++;
	if (cue < CUE_STRONG && verb_after(s, len, after))
		cue = CUE_STRONG; /* "Maria here", "Soriana Sala says" */
	int label = after < len && s[after] == ':' && at_line_start(s, at);
	int known = (f0 & LEX_FIRST) && !(f0 & LEX_AMBIGUOUS);
	int listed = (any & (LEX_FIRST | LEX_SURNAME)) != 0;

	/* "Zoom", "Update": a word of the language; "BitLocker": a product's */
	int common = ((f0 & LEX_COMMON) || camel0) && !listed;
	double score = 0;
	const char *rule = "";
	if ((cue == CUE_NAMING && !(common && bare_name_before(s, at))) || (cue == CUE_STRONG && !common) ||
	    /* "customer Mike Dorrance": a word of the language first, and a
	     * word no list knows after it */
	    (cue == CUE_STRONG && ntok >= 2 && some_unknown && !thing && !(any & LEX_STOP))) {
		score = 0.85;
		rule = "name after a cue (introduction, honorific, role)";
	} else if (label && (known || (ntok >= 2 && listed))) {
		score = 0.85;
		rule = "speaker label";
	} else if (cue == CUE_GREETING || cue == CUE_SIGNOFF) {
		if (listed)
			score = 0.85, rule = cue == CUE_GREETING ? "listed name after a greeting" : "listed name after a sign-off";
		else if (!(f0 & LEX_STOP) && !common)
			score = ntok >= 2 ? 0.7 : 0.6, rule = cue == CUE_GREETING ? "name after a greeting" : "name after a sign-off";
	} else if (ntok >= 2) {
		if (patro)
			score = 0.8, rule = "a patronymic in the name (Васильевич)";
		else if (known)
			score = 0.85, rule = "listed given name and family name";
		else if ((f0 & LEX_FIRST) && (last & LEX_SURNAME))
			score = 0.8, rule = "listed given name and family name";
		else if ((last & LEX_SURNAME) && !(f0 & LEX_STOP) && (f0 & (LEX_FIRST | LEX_SURNAME)))
			score = 0.7, rule = "listed family names";
		else if ((last & LEX_SURNAME) && !(last & LEX_AMBIGUOUS) && !f0)
			score = 0.6, rule = "a name-shaped word and a listed family name";
		else if (unknown && !sentence_start(s, at))
			score = 0.55, rule = "name-shaped words no list knows, inside a sentence";
		else if (plain && some_unknown && (any & (LEX_FIRST | LEX_SURNAME)) && !sentence_start(s, at))
			score = 0.55, rule = "name-shaped words, listed names among them, inside a sentence";
	} else if (known && !month_in_date(s, len, at, end)) {
		score = sentence_start(s, at) ? 0.45 : 0.6;
		rule = "listed given name";
		if (score < 0.6 && alone_on_line(s, len, at, end)) {
			/* "Thanks,\nRebecca": a signature, the name its own line */
			score = 0.6;
			rule = "listed given name alone on its line (a signature)";
		}
	}
	enum entry entry = ntok == 1 ? entry_end(s, len, end) : ENTRY_SEVERAL;
	if (score == 0 && entry != ENTRY_SEVERAL && (f0 & LEX_FIRST) && !(f0 & LEX_STOP) &&
	    family_first_before(s, at, entry) < at) {
		/* "From: Green, Tom <...>": a given name that is a word too,
		 * after a family name and a comma at an entry's start */
		score = 0.7;
		rule = "family name, comma, given name (a directory's entry)";
	}
	if (score > 0) {
		size_t start = name_before(s, at);
		if (start == at && (f0 & LEX_FIRST))
			start = family_first_before(s, at, ntok == 1 ? (entry ? entry : ENTRY_SINGLE) : ENTRY_SEVERAL);
		candidates_push(out, CORDON_PERSON, start, end, score, rule);
	}
	return score > 0 ? end : e0;
}

const struct detector detector_person = {
	.entity = CORDON_PERSON,
	.name = "PERSON",
	.anchors = "@\xe3\xe6",
	.triggers = TRIGGER_WORD_CAPITAL | TRIGGER_WORD_CUE,
	.scan = person_scan,
};
