/* LOCATION: postal addresses and postcodes, woken at the first digit of a
 * run (a house number or a postcode), in the common forms of four countries:
 *   US  "1 Microsoft Way, Redmond, WA 98052-6399", "350 5th Ave Apt 4B"
 *   UK  "221B Baker Street, London NW1 6XE", "SW1A 1AA"
 *   DE  "Hauptstraße 12a, 10115 Berlin", "Berliner Str. 5"
 *   FR  "12 rue de la Paix, 75002 Paris", "5 bis, avenue Foch"
 * A street needs a house number and a street type; the unit, the city, the
 * state and the postcode after it are taken into the same finding. A postcode
 * alone counts when its shape says so: a US ZIP after a state code, a UK
 * postcode with a real area, a five-digit code before a known city (else only
 * with a word such as "address" or "PLZ" near). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "detect/detector.h"
#include "detect/lexicon.h"
#include "detect/person.h"
#include "detect/wordset.h"

/* Street types written after the name (US, UK). */
static const char *const types_after[] = {
	"street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive",
	"dr", "court", "ct", "way", "place", "pl", "terrace", "ter", "circle", "cir", "parkway", "pkwy",
	"highway", "hwy", "square", "sq", "trail", "trl", "close", "crescent", "cres", "gardens", "grove",
	"mews", "row", "walk", "loop", "alley", "plaza", "broadway", "pike", "turnpike", NULL,
};
/* More of the USPS street suffixes (Publication 28, appendix C1). Left
 * out: those that support text writes after a number and a capitalised
 * word ("Data Center", "Access Point", "USB Port", "Docking Station", "Task
 * View", "Caps Lock", "Random Forest", "Stack Trace", "VPN Tunnel", "Header
 * Fields", "Windows Vista", "Easy Ways", "Works Well", "Build Summit").
 * Many are family names as well ("Anthony Green", "Larry Wall"): after a
 * number and a listed given name alone, they are the person's. */
static const char *const types_usps[] = {
	"bayou", "beach", "bend", "bluff", "bluffs", "brook", "brooks", "canyon", "cape", "causeway", "cliff",
	"cliffs", "courts", "cove", "coves", "creek", "crest", "crossing", "crossroad", "dale", "estates",
	"expressway", "falls", "ferry", "flats", "ford", "fords", "freeway", "garden", "glen", "glens",
	"green", "greens", "groves", "harbor", "harbors", "harbour", "haven", "heights", "hill", "hills",
	"hollow", "inlet", "island", "islands", "isle", "knoll", "knolls", "lake", "lakes", "land",
	"lodge", "manor", "manors", "meadow", "meadows", "mill", "mills", "motorway", "mountain",
	"mountains", "orchard", "oval", "overpass", "pines", "plains", "prairie", "ranch", "rapids",
	"ridge", "ridges", "river", "shoal", "shoals", "shore", "shores", "skyway", "springs", "spurs",
	"stravenue", "throughway", "underpass", "valley", "valleys", "viaduct", "village", "villages",
	"ville", "wall", "wells", NULL,
};
static struct wordset types_usps_set = WORDSET(types_usps);
static struct wordset types_after_set = WORDSET(types_after);
/* Street types written before the name (FR, ES, IT). */
static const char *const types_before[] = {
	"rue", "avenue", "av", "boulevard", "bd", "bld", "place", "pl", "chemin", "allée", "allee",
	"impasse", "quai", "cours", "square", "passage", "calle", "avenida", "via", "viale",
	"piazza", "corso", "rua", NULL,
};
static struct wordset types_before_set = WORDSET(types_before);
/* German street words end with one of these ("Hauptstraße", "Am Ring"). */
static const struct de_suffix {
	const char *text;
	unsigned char len;
} de_suffixes[] = {
#define DS(w) { w, sizeof(w) - 1 }
	DS("straße"), DS("strasse"), DS("str"), DS("weg"), DS("gasse"), DS("platz"), DS("allee"), DS("damm"),
	DS("ufer"), DS("chaussee"), DS("steig"), DS("pfad"), DS("stieg"),
#undef DS
};
/* ... or are one of these after another word ("Am Ring", "Alter Markt"). */
static const char *const de_alone[] = {
	"straße", "strasse", "str", "weg", "gasse", "platz", "allee", "ring", "markt", "wall",
	"graben", "damm", "ufer", NULL,
};
static struct wordset de_alone_set = WORDSET(de_alone);
/* Words before a street type that make it something else ("hard drive"). */
static const char *const not_streets[] = {
	"hard", "flash", "usb", "external", "network", "optical", "disk", "dvd", "cd", "google",
	"one", "test", "supreme", "food", "one-way", "no", "any", "either", "this", "that", "tb",
	"gb", "mb", "ssd", "hdd", "system", "boot", "data", "backup", "recovery", "cloud", "shared",
	"mapped", "local", "virtual", "primary", "secondary", "new", "old", "my", "c", "d", "e", NULL,
};
static struct wordset not_streets_set = WORDSET(not_streets);
static const char *const units[] = {
	"apt", "apartment", "suite", "ste", "unit", "flat", "floor", "fl", "room", "rm", "bldg",
	"building", "wohnung", "whg", "app", "appartement", "étage", "etage", "bâtiment", "batiment",
	"piso", "po", NULL,
};
static struct wordset units_set = WORDSET(units);
static const char *const us_states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
	"KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
	"NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
	"WI", "WY", "DC", "PR", NULL,
};
static struct wordset us_states_set = WORDSET_EXACT(us_states);
/* The first three digits of the ZIP codes of each state (USPS, Domestic
 * Mail Manual, L002 "3-Digit ZIP Code Prefix Matrix"), a little wide at
 * the edges: a state's code and five digits with no town before them are
 * a ZIP only when the digits are the state's ("Boise, ID 83702" needs no
 * test, "shipping to WA 98052" passes it; "Event ID 10016", "user ID
 * 50321" and "Merged PR 41234" do not). */
static const struct zip_range {
	char state[3];
	unsigned short lo, hi;
} zip_ranges[] = {
	{ "AL", 350, 369 }, { "AK", 995, 999 }, { "AZ", 850, 865 }, { "AR", 716, 729 }, { "AR", 755, 755 },
	{ "CA", 900, 961 }, { "CO", 800, 816 }, { "CT", 60, 69 },   { "DE", 197, 199 }, { "DC", 200, 205 },
	{ "DC", 569, 569 }, { "FL", 320, 349 }, { "GA", 300, 319 }, { "GA", 398, 399 }, { "HI", 967, 968 },
	{ "ID", 832, 838 }, { "IL", 600, 629 }, { "IN", 460, 479 }, { "IA", 500, 528 }, { "KS", 660, 679 },
	{ "KY", 400, 427 }, { "LA", 700, 714 }, { "ME", 39, 49 },   { "MD", 206, 219 }, { "MA", 10, 27 },
	{ "MA", 55, 55 },   { "MI", 480, 499 }, { "MN", 550, 567 }, { "MS", 386, 397 }, { "MO", 630, 658 },
	{ "MT", 590, 599 }, { "NE", 680, 693 }, { "NV", 889, 898 }, { "NH", 30, 38 },   { "NJ", 70, 89 },
	{ "NM", 870, 884 }, { "NY", 5, 5 },     { "NY", 63, 63 },   { "NY", 100, 149 }, { "NC", 270, 289 },
	{ "ND", 580, 588 }, { "OH", 430, 459 }, { "OK", 730, 749 }, { "OR", 970, 979 }, { "PA", 150, 196 },
	{ "RI", 28, 29 },   { "SC", 290, 299 }, { "SD", 570, 577 }, { "TN", 370, 385 }, { "TX", 733, 733 },
	{ "TX", 750, 799 }, { "TX", 885, 885 }, { "UT", 840, 847 }, { "VT", 50, 59 },   { "VA", 201, 201 },
	{ "VA", 220, 246 }, { "WA", 980, 994 }, { "WV", 247, 268 }, { "WI", 530, 549 }, { "WY", 820, 831 },
	{ "WY", 834, 834 }, { "PR", 6, 7 },     { "PR", 9, 9 },
};

/* Are the digits at zip (five) a ZIP of the state written at st (two
 * capitals)? */
static int zip_in_state(const uchar *st, const uchar *zip)
{
	unsigned prefix = (unsigned)(zip[0] - '0') * 100 + (unsigned)(zip[1] - '0') * 10 + (unsigned)(zip[2] - '0');
	for (size_t k = 0; k < sizeof(zip_ranges) / sizeof(*zip_ranges); k++)
		if (zip_ranges[k].state[0] == st[0] && zip_ranges[k].state[1] == st[1] && prefix >= zip_ranges[k].lo &&
		    prefix <= zip_ranges[k].hi)
			return 1;
	return 0;
}
/* The abbreviations of Mexico's states as addresses write them. */
static const char *const mx_states[] = {
	"AGS", "BC", "BCS", "CAMP", "CHIS", "CHIH", "COAH", "COL", "CDMX", "DF", "DGO", "GTO", "GRO", "HGO",
	"JAL", "MEX", "MICH", "MOR", "NAY", "NL", "OAX", "PUE", "QRO", "QROO", "SLP", "SIN", "SON", "TAB",
	"TAMPS", "TLAX", "VER", "YUC", "ZAC", NULL
};
static struct wordset mx_states_set = WORDSET_EXACT(mx_states);

/* Brazil's states, as written after a town: "Gonçalves / RO", "Natal - RN". */
static const char *const br_states[] = {
	"AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE",
	"PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO", NULL
};
static struct wordset br_states_set = WORDSET_EXACT(br_states);

/* UK postcode areas. */
static const char *const uk_areas[] = {
	"AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF", "CH",
	"CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "E",
	"EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "HA", "HD", "HG", "HP", "HR", "HS", "HU",
	"HX", "IG", "IP", "IV", "KA", "KT", "KW", "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU",
	"M", "ME", "MK", "ML", "N", "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH",
	"PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP",
	"SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA",
	"WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE", NULL,
};
static struct wordset uk_areas_set = WORDSET_EXACT(uk_areas);

static const char *const context[] = {
	"address", "addr", "adresse", "anschrift", "lieferadresse", "ship", "shipping", "shipped",
	"deliver", "delivery", "live", "lives", "living", "located", "reside", "resides", "plz",
	"zip", "postcode", "postal", "street", "wohne", "wohnhaft", "ville", "domicile", "habite",
	"dirección", "direccion", "endereço", "endereco", "send", "mail", "mailing", "billing", NULL,
};
static const char *const decoys[] = {
	"build", "version", "ver", "error", "kb", "order", "case", "ticket", "invoice", "code",
	"step", "steps", "page", "line", "port", NULL,
};
static struct wordset decoys_set = WORDSET(decoys);

/* Is s[from, to) one of words, compared lowercased (and '.'-less)? */
static int word_in(const uchar *s, size_t from, size_t to, const char *const *words)
{
	for (; *words; words++) {
		const char *w = *words;
		size_t i = from;
		while (i < to && *w && (uchar)*w == (uchar)to_lower(s[i]))
			i++, w++;
		if (i == to && !*w)
			return 1;
	}
	return 0;
}

/* A capitalised word with small letters ("Berlin", not "NW") at i: its end,
 * or i. A digit right after it ("NW1") makes it none. */
static size_t city_word(const uchar *s, size_t len, size_t i);

/* The end of the word (letters, non-ASCII bytes, inner "'" or "-") at i.
 * A join goes on before a letter of any script: "Saint-Étienne". */
static size_t word_end(const uchar *s, size_t len, size_t i)
{
	size_t j = i;
	for (; j < len; j++) {
		unsigned c = text_class[s[j]];
		if (c & TC_LETTER)
			continue;
		if (!((c & TC_JOIN) && j > i && j + 1 < len && (is_alpha(s[j + 1]) || s[j + 1] >= 0xC0)))
			break;
	}
	return j;
}

/* A capital inside s[b, e) after a small letter: a product's name
 * ("BitLocker", "OneDrive"), no place's or street's. */
static int capital_inside(const uchar *s, size_t b, size_t e)
{
	for (size_t k = b + 2; k + 1 < e; k++)
		if (is_upper(s[k]) && is_alpha(s[k - 1]) && !is_upper(s[k - 1]))
			return 1;
	return 0;
}

/* The end of a town's word at w after a postcode: letters, other scripts'
 * bytes and inner '-' ("Zuid-Scharwoude"), at most 40 bytes. */
static size_t town_word_end(const uchar *s, size_t len, size_t w)
{
	size_t e = w;
	while (e < len && (is_alpha(s[e]) || s[e] >= 0x80 || (s[e] == '-' && e > w)) && e - w < 40)
		e++;
	return e;
}

static size_t city_word(const uchar *s, size_t len, size_t i)
{
	if (i >= len || !is_upper(s[i]))
		return i;
	size_t e = word_end(s, len, i);
	int small = 0;
	for (size_t k = i + 1; k < e; k++)
		small |= !is_upper(s[k]);
	if (!small || (e < len && is_digit(s[e])))
		return i;
	return e;
}

/* Does the word s[from, to) end with one of the German street suffixes?
 * Compared from the end in place; a word whose last letter ends none of
 * them (most words before a number: "after", "build", "version") is
 * turned away at once. */
static int de_street_word(const uchar *s, size_t from, size_t to)
{
	size_t n = to - from;
	if (n >= 48 || n < 3)
		return 0;
	uchar last = (uchar)to_lower(s[to - 1]);
	if (!memchr("egzmdr", last, 6))
		return 0; /* the suffixes' last letters: straße, weg, platz, damm, pfad, str */
	for (size_t d = 0; d < sizeof(de_suffixes) / sizeof(*de_suffixes); d++) {
		const char *p = de_suffixes[d].text;
		size_t k = de_suffixes[d].len;
		if (n < k || (uchar)p[k - 1] != last)
			continue;
		size_t i = 0;
		while (i < k && (uchar)to_lower(s[to - k + i]) == (uchar)p[i])
			i++;
		if (i == k)
			return 1;
	}
	return 0;
}

/* A UK postcode starting at i ("SW1A 1AA", "M1 1AE"); returns its end or 0. */
static size_t uk_postcode(const uchar *s, size_t len, size_t i)
{
	if (i > 0 && is_word(s[i - 1]))
		return 0;
	size_t j = i;
	while (j < len && j - i < 2 && is_upper(s[j]))
		j++;
	if (j == i || !wordset_has(&uk_areas_set, s + i, j - i))
		return 0;
	size_t d = j;
	while (j < len && j - d < 2 && is_digit(s[j]))
		j++;
	if (j == d)
		return 0;
	if (j - d == 1 && j < len && is_upper(s[j]))
		j++; /* "SW1A", "W1D" */
	if (j < len && s[j] == ' ')
		j++;
	if (!(j + 3 <= len && is_digit(s[j]) && is_upper(s[j + 1]) && is_upper(s[j + 2])))
		return 0;
	j += 3;
	return j < len && is_word(s[j]) ? 0 : j;
}

/* A US ZIP (or ZIP+4) at i; returns its end or 0. */
static size_t zip_at(const uchar *s, size_t len, size_t i)
{
	size_t j = i;
	while (j < len && is_digit(s[j]))
		j++;
	if (j - i != 5)
		return 0;
	if (j + 5 <= len && s[j] == '-' && is_digit(s[j + 1]) && is_digit(s[j + 2]) && is_digit(s[j + 3]) &&
	    is_digit(s[j + 4]))
		j += 5;
	return j < len && is_word(s[j]) ? 0 : j;
}

/* --- the lines of an address written before its postcode ------------------ */

/* Words that name a unit or a box before its number ("Flat 53v", "Apt. 4",
 * "PSC 2951", "Box 6737", "Unit 8850"). */
static const char *const unit_words[] = {
	"flat", "studio", "apartment", "apt", "unit", "suite", "ste", "room", "floor", "box", "psc", "cmr",
	"interior", "int", "depto", "dpto", "piso", "edif", "apto", "sala", "bloco", "appartamento", "piano", "scala",
	"interno", "postfach", "postbus", "apartado", "bp", NULL
};
static struct wordset unit_words_set = WORDSET(unit_words);

/* The start of the word ending at e, not before lo: letters, digits, other
 * scripts' bytes, and '.', '\'', '-', '/' inside (at most 40 bytes). */
static size_t word_back(const uchar *s, size_t lo, size_t e)
{
	size_t b = e;
	while (b > lo && (is_alnum(s[b - 1]) || s[b - 1] >= 0x80 || s[b - 1] == '.' || s[b - 1] == '\'' ||
			  s[b - 1] == '-' || s[b - 1] == '/') && e - b < 40)
		b--;
	return b;
}

enum line_token { LT_NONE, LT_NUM, LT_UNIT, LT_CAP, LT_OTHER };

/* What the word s[b, e) is in an address's line: a house or unit number
 * ("130", "53v"), a unit word ("Flat", "Apt."), a capitalised word or a
 * street type ("Joseph", "Center", "drive"), or none of them. */
static enum line_token line_token(const uchar *s, size_t b, size_t e)
{
	size_t k = b;
	while (k < e && is_digit(s[k]))
		k++;
	if (k > b)
		return k - b <= 6 && (k == e || (k + 1 == e && is_alpha(s[k]))) ? LT_NUM : LT_OTHER;
	size_t n = e - b - (s[e - 1] == '.');
	if (n && wordset_has(&unit_words_set, s + b, n))
		return LT_UNIT;
	if (capital_at(s, e, b) || s[b] >= 0x80 || wordset_has(&types_after_set, s + b, n) ||
	    wordset_has(&types_usps_set, s + b, n))
		return LT_CAP;
	return LT_OTHER;
}

/* The line of an address that ends at `end` (before ", "), read back word by
 * word: where it starts when it is a street with its house number first
 * ("4410 Maple Center", "812 Ashford Union Apt. 4") or units and boxes
 * ("Flat 53v", "Unit 8850 Box 7464"); else end. The words before the line's
 * first are not its: "the parcel for 4410 Maple Center". */
static size_t street_line_back(const uchar *s, size_t end)
{
	size_t lo = end > 96 ? end - 96 : 0, i = end, first = end;
	enum line_token next = LT_NONE;
	/* capitalised words only so far, the last a street type: a street
	 * with no number, when the line is nothing else ("Flat 4, Alan Cliff") */
	int street = 0;
	int number_last = 0, street_first = 0; /* a number (and units) end the line; the street is before it */
	for (int words = 0; words < 8 && i > lo; words++) {
		size_t b = word_back(s, lo, i);
		if (b == i)
			break;
		enum line_token t = line_token(s, b, i);
		if (words == 0)
			street = t == LT_CAP && (wordset_has(&types_after_set, s + b, i - b) ||
						 wordset_has(&types_usps_set, s + b, i - b));
		else
			street &= t == LT_CAP;
		if (t == LT_NUM && next == LT_CAP)
			first = b; /* a house number, its street after it */
		else if (t == LT_UNIT && next == LT_NUM) {
			first = b; /* a unit or a box, its number after it */
			/* "P.O. Box", "PO Box" */
			size_t p = b >= 2 && s[b - 1] == ' ' ? word_back(s, lo, b - 1) : b;
			if (p < b && (word_in(s, p, b - 1, (const char *const[]){ "p.o.", "po", "p.o", NULL })))
				first = p;
		} else if (t == LT_NUM && next == LT_NUM && first == end)
			; /* a box's number in groups: "Postfach 12 34" */
		else if (t == LT_CAP && next == LT_NUM && number_last) {
			/* the street before its number ("Cerrada Laureano 643"),
			 * when no word of it is one of the language ("Windows 10") */
			if (lexicon_lookup(s + b, i - b) & (LEX_COMMON | LEX_STOP))
				break;
			street_first = 1;
		} else if (!((t == LT_NUM && (next == LT_UNIT || next == LT_NONE)) ||
			     (t == LT_CAP && next != LT_NUM) || (t == LT_CAP && street_first)))
			break;
		if (street_first && t == LT_CAP) {
			if (lexicon_lookup(s + b, i - b) & (LEX_COMMON | LEX_STOP))
				break;
			first = b;
		}
		if (t == LT_NUM && first == end)
			number_last = 1;
		if (b < 2 || s[b - 1] != ' ' || s[b - 2] == ',') {
			if (street && words > 0 && b >= 2 && s[b - 2] == ',')
				first = b;
			break; /* the line's start */
		}
		next = t;
		i = b - 1;
	}
	return first;
}

/* Small words inside a street's or a town's name ("Jardim de Monteiro"). */
static int name_particle(const uchar *s, size_t b, size_t e)
{
	return word_in(s, b, e, (const char *const[]){ "da", "de", "do", "das", "dos", "del", "la", "las", "los", "di",
							"della", "e", "y", NULL });
}

/* A house number written as a line of its own after its street, as
 * Brazil, Spain and Italy write it ("Estação Lima, 453, Vila Copacabana"):
 * when s[b, end) is a number alone after ", " and capitalised words end
 * the text before that, where those words start; else end. */
static size_t number_line_back(const uchar *s, size_t b, size_t end)
{
	if (b >= end || line_token(s, b, end) != LT_NUM || b < 3 || s[b - 1] != ' ' || s[b - 2] != ',')
		return end;
	size_t i = b - 2, lo = i > 96 ? i - 96 : 0, first = end;
	for (int words = 0; words < 8 && i > lo; words++) {
		size_t w = word_back(s, lo, i);
		if (w == i)
			break;
		int cap = capital_at(s, i, w) || s[w] >= 0x80;
		if (cap)
			first = w;
		else if (!name_particle(s, w, i))
			break;
		if (w < 2 || s[w - 1] != ' ' || s[w - 2] == ',')
			break;
		i = w - 1;
	}
	return first;
}

/* The town's line ending at `end` (before ", "): one to three capitalised
 * words from just after a ", " ("Lindaland", "West Laurenberg"); its start,
 * or end. */
static size_t town_line_back(const uchar *s, size_t end)
{
	size_t b = end;
	for (int n = 0; n < 3; n++) {
		size_t w = word_back(s, b > 40 ? b - 40 : 0, b);
		if (w == b || !(capital_at(s, b, w) || s[w] >= 0x80))
			return end;
		if (w >= 2 && s[w - 1] == ' ' && s[w - 2] == ',')
			return w;
		if (w < 1 || s[w - 1] != ' ')
			return end;
		b = w - 1;
	}
	return end;
}

/* The start of the lines written before s[start] (a postcode, or a city and
 * a postcode, found there), each ended by ", ": streets with their house
 * numbers, units and boxes, and a town when one of those is before it
 * ("12 Orchard Forges, Tillbury, B5H 4ZR"); start when none. */
static size_t lines_before(const uchar *s, size_t start)
{
	size_t at = start;
	for (int lines = 0; lines < 4 && at >= 3 && s[at - 1] == ' ' && s[at - 2] == ','; lines++) {
		size_t b = street_line_back(s, at - 2);
		if (b == at - 2) {
			/* a number alone, its street before it */
			size_t n = word_back(s, at > 10 ? at - 10 : 0, at - 2);
			b = number_line_back(s, n, at - 2);
		}
		if (b == at - 2) {
			size_t t = town_line_back(s, at - 2);
			if (t == at - 2 || t < 3 || s[t - 1] != ' ' || s[t - 2] != ',')
				break;
			b = street_line_back(s, t - 2);
			if (b == t - 2)
				b = number_line_back(s, word_back(s, t > 12 ? t - 12 : 0, t - 2), t - 2);
			if (b == t - 2)
				break; /* a town alone before: "Hello Maria, SW1A 1AA" */
		}
		at = b;
	}
	return at;
}

/* After a street (or a city): ", City, ST 12345", ", 10115 Berlin",
 * " London NW1 6XE", ", Apt 4B". Returns the end of what it took in. */
static size_t tail(const uchar *s, size_t len, size_t i, int *strong)
{
	size_t end = i;
	for (int part = 0; part < 4; part++) {
		size_t j = end;
		if (j < len && s[j] == ',')
			j++;
		if (j < len && s[j] == ' ')
			j++;
		if (j >= len)
			break;
		size_t w = word_end(s, len, j);
		/* a unit: "Apt 4B", "Suite 200", "#5" */
		if ((w > j && wordset_has(&units_set, s + j, w - j)) || s[j] == '#') {
			size_t k = w > j ? w : j;
			if (k < len && s[k] == '.')
				k++;
			if (k < len && s[k] == ' ')
				k++;
			if (k < len && s[k] == '#')
				k++;
			size_t u = k;
			while (u < len && (is_alnum(s[u]) || s[u] == '-'))
				u++;
			if (u == k || !is_digit(s[k]))
				break;
			end = u;
			continue;
		}
		/* "10115 Berlin", "75002 Paris" */
		if (is_digit(s[j])) {
			size_t z = j;
			while (z < len && is_digit(s[z]))
				z++;
			if ((z - j == 5 || z - j == 4) && z + 1 < len && s[z] == ' ' && is_upper(s[z + 1])) {
				end = word_end(s, len, z + 1);
				/* "61118 Bad Vilbel", "13001 Marseille" */
				for (int k = 0; k < 2 && end + 1 < len && s[end] == ' '; k++) {
					size_t n = city_word(s, len, end + 1);
					if (n == end + 1 || (lexicon_lookup(s + end + 1, n - end - 1) & LEX_STOP))
						break;
					end = n;
				}
				*strong = 1;
				continue;
			}
			break;
		}
		/* a UK postcode */
		size_t pc = uk_postcode(s, len, j);
		if (pc) {
			end = pc;
			*strong = 1;
			break;
		}
		/* "ST 12345" (or "ST  12345") or "ST" after a city */
		if (w == j + 2 && wordset_has(&us_states_set, s + j, w - j)) {
			size_t z = w < len && s[w] == ' ' ? zip_at(s, len, w + 1 + (w + 1 < len && s[w + 1] == ' ')) : 0;
			if (z || part > 0) {
				end = z ? z : w;
				*strong = 1;
				if (z)
					break;
				continue;
			}
			break;
		}
		/* a city: one to three capitalised words */
		w = city_word(s, len, j);
		if (w == j)
			break;
		size_t c = w;
		for (int k = 0; k < 2 && c + 1 < len && s[c] == ' ' && is_upper(s[c + 1]); k++) {
			size_t n = city_word(s, len, c + 1);
			if (n == c + 1 || (lexicon_lookup(s + c + 1, n - c - 1) & LEX_STOP))
				break;
			c = n;
		}
		if (c == w && (lexicon_lookup(s + j, w - j) & LEX_STOP))
			break; /* "New York" may start with a common word; "Thanks" may not */
		/* a city counts only when a state or postcode follows, or it is known */
		int dummy = 0;
		size_t more = tail(s, len, c, &dummy);
		if (more > c && dummy) {
			*strong = 1;
			return more;
		}
		if (lexicon_lookup(s + j, w - j) & LEX_CITY) {
			end = c;
			*strong = 1;
		}
		break;
	}
	return end;
}

/* "123 Main Street", "350 5th Ave", "12 rue de la Paix": from the house
 * number at `at` (its digits end at d); returns the end of the street or 0. */
static size_t street_after_number(const uchar *s, size_t len, size_t at, size_t d)
{
	(void)at;
	size_t i = d;
	if (i < len && is_alpha(s[i]) && !(i + 1 < len && is_alpha(s[i + 1])))
		i++; /* "221B" */
	else if (i + 1 < len && s[i] == '-' && is_digit(s[i + 1]))
		while (++i < len && is_digit(s[i]))
			; /* "12-14" */
	if (i < len && s[i] == ',')
		i++;
	if (i >= len || s[i] != ' ')
		return 0;
	i++;
	size_t w = word_end(s, len, i);
	if (w > i && (word_in(s, i, w, (const char *const[]){ "bis", "ter", NULL }))) {
		i = w;
		if (i < len && s[i] == ',')
			i++;
		if (i >= len || s[i] != ' ')
			return 0;
		i++;
		w = word_end(s, len, i);
	}
	/* French order: the type first, then the name */
	if (w > i && wordset_has(&types_before_set, s + i, w - i)) {
		size_t e = w;
		if (e < len && s[e] == '.')
			e++;
		size_t names = 0;
		while (e + 1 < len && s[e] == ' ') {
			size_t n = word_end(s, len, e + 1);
			if (n == e + 1)
				break;
			int cap = is_upper(s[e + 1]) || s[e + 1] >= 0x80;
			int small = word_in(s, e + 1, n, (const char *const[]){ "de", "du", "des", "la", "le", "les",
										"del", "della", "do", "da", NULL }) ||
				    (n - e - 1 > 2 && (s[e + 2] == '\'') && (s[e + 1] == 'l' || s[e + 1] == 'd'));
			if (!cap && !small)
				break;
			if (cap && (lexicon_lookup(s + e + 1, n - e - 1) & LEX_STOP))
				return 0;
			e = n;
			names += cap;
			if (names >= 4)
				break;
		}
		return names ? e : 0;
	}
	/* English order: up to four name words, then the type */
	size_t e = i, prev = 0;
	int given = 1; /* every name word so far a listed given name */
	for (int k = 0; k < 5; k++) {
		size_t n = e, wstart = e;
		if (n < len && is_digit(s[n])) { /* "5th", "42nd" */
			while (n < len && is_digit(s[n]))
				n++;
			size_t sfx = word_end(s, len, n);
			if (!word_in(s, n, sfx, (const char *const[]){ "st", "nd", "rd", "th", NULL }))
				return 0;
			n = sfx;
		} else {
			n = word_end(s, len, e);
			if (n == e)
				return 0;
		}
		int usps = 0;
		if (k > 0 && (wordset_has(&types_after_set, s + wstart, n - wstart) ||
			      (usps = wordset_has(&types_usps_set, s + wstart, n - wstart)))) {
			if (prev && wordset_has(&not_streets_set, s + prev, wstart - 1 - prev))
				return 0;
			/* "Copyright 2019 Anthony Green", "2013 Peter Michael
			 * Green": given names only before it, and the suffix is
			 * the family name */
			if (usps && given)
				return 0;
			size_t t = n;
			if (t < len && s[t] == '.')
				t++;
			/* "Ave NE", "Street West" */
			if (t + 2 < len && s[t] == ' ') {
				size_t dir = word_end(s, len, t + 1);
				if (word_in(s, t + 1, dir, (const char *const[]){ "n", "s", "e", "w", "ne", "nw", "se",
											"sw", "north", "south", "east", "west", NULL }) &&
				    is_upper(s[t + 1]))
					t = dir;
			}
			return t;
		}
		if (!(is_upper(s[wstart]) || is_digit(s[wstart]) || s[wstart] >= 0x80))
			return 0;
		if (word_in(s, wstart, n, (const char *const[]){ "broadway", NULL }))
			return n;
		given = given && (lexicon_lookup(s + wstart, n - wstart) & (LEX_FIRST | LEX_AMBIGUOUS)) == LEX_FIRST;
		prev = wstart;
		if (n >= len || s[n] != ' ')
			return 0;
		e = n + 1;
	}
	return 0;
}

/* "Hauptstraße 12", "Berliner Str. 5", "Am Markt 3": the street before the
 * number at `at`; returns its start, or at when there is none. */
static size_t street_before_number(const uchar *s, size_t at)
{
	if (at < 4 || s[at - 1] != ' ')
		return at;
	size_t e = at - 1;
	if (s[e - 1] == '.')
		e--; /* "Str." */
	size_t b = e;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80 || s[b - 1] == '-'))
		b--;
	if (b == e)
		return at;
	int alone = wordset_has(&de_alone_set, s + b, e - b);
	if (!alone && !de_street_word(s, b, e))
		return at;
	/* "Berliner Straße", "Am Ring", "Unter den Linden" style: one word more */
	if (!is_upper(s[b]) && !(s[b] >= 0x80))
		return at;
	if (b >= 2 && s[b - 1] == ' ') {
		size_t p = b - 1, q = p;
		while (q > 0 && (is_alpha(s[q - 1]) || s[q - 1] >= 0x80))
			q--;
		if (q < p && is_upper(s[q]) && (alone || word_in(s, q, p, (const char *const[]){ "am", "an", "auf",
												  "im", "in", "zum", "zur", NULL })) &&
		    !(lexicon_lookup(s + q, p - q) & LEX_STOP))
			return q;
	}
	return alone ? at : b;
}

/* --- an address after a word that announces one --------------------------- */

/* "my address is", "Address:", "ship it to", "the office moved to": what
 * follows, to the end of the sentence, is an address, whatever the
 * country's order (street then number, postcode before the city, units,
 * boxes). The cue's last word, lowercase, as written. */
static const char *const address_cues[] = {
	"address", "addr", "adresse", "anschrift", "lieferadresse", "rechnungsadresse", "direcci\xc3\xb3n",
	"direccion", "domicilio", "indirizzo", "endere\xc3\xa7o", "endereco", "morada", "adres", "adresa",
	"\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81", "ship it to", "ship them to", "ship to", "deliver it to",
	"deliver to", "moved to", "move to", "located at", "live at", "lives at", "living at", "reside at",
	"resides at", "mail it to", "post it to", "wohne in der", "wohne in", "wohne", "j'habite au", "j'habite",
	"vivo en", "moro na", "moro em", "abito in", "woon op", "\xe4\xbd\x8f\xe6\x89\x80", /* 住所 */
	"\xec\xa3\xbc\xec\x86\x8c", /* 주소 */ "\xe5\x9c\xb0\xe5\x9d\x80", /* 地址 */ NULL
};

/* Short words written with a '.' inside an address ("No. 5", "Gg.",
 * "Edif.", "ул."): the sentence goes on after them. */
static const char *const abbreviations[] = {
	"edif", "depto", "dpto", "apto", "piso", "puerta", "bloco", "lote", "dept", "blvd", "avda", "apt",
	"ste", "str", "bldg", "int", "ext", "esq", "fracc", "col", "carr", "prol", "priv", "andar", "sala",
	"casa", "kav", "blok", "kel", "kec", "kab", "prov", "rt", "rw", NULL
};
static struct wordset abbreviations_set = WORDSET(abbreviations);

/* Does a sentence end at s[i] (".", "!", "?", ";" or a line break), for an
 * address? A '.' after a short word or an abbreviation does not. */
static int address_stop(const uchar *s, size_t len, size_t i)
{
	uchar c = s[i];
	if (c == '\n' || c == '\r' || c == ';' || c == '!' || c == '?')
		return 1;
	if (c != '.' || (i + 1 < len && !is_space(s[i + 1])))
		return 0;
	size_t b = i;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80))
		b--;
	if (b == i || (b > 0 && !is_space(s[b - 1]) && s[b - 1] != ',' && s[b - 1] != '('))
		return 1; /* after a digit, a bracket, "8LF", "-sur-Mer": "... 66727." "(EN)." */
	size_t n = 0, lower = 0; /* letters, a multibyte one counted once */
	for (size_t k = b; k < i; k++) {
		if (s[k] >= 0xE0)
			return 1; /* a word of Han, kana or Hangul ends there: "...7号." */
		n += s[k] < 0x80 || (s[k] & 0xC0) != 0x80;
		lower += (is_alpha(s[k]) && !is_upper(s[k])) || s[k] >= 0x80;
	}
	if (n == 1 || (n <= 3 && lower))
		return 0; /* "C.", "No.", "Gg.", "ул.", "d.", not "PE." or "GRO." */
	return !wordset_has(&abbreviations_set, s + b, i - b);
}

/* Small words an address writes after a comma ("5 bis, avenue Foch",
 * "ul. Długa"); any other lowercase word there starts the sentence's next
 * part (", order 2023-08-11", ", expiry 04/27"). */
static const char *const address_small[] = {
	"rue", "avenue", "av", "boulevard", "bd", "place", "pl", "chemin", "allée", "allee", "impasse",
	"quai", "cours", "route", "square", "passage", "calle", "avenida", "via", "viale", "piazza", "corso",
	"rua", "travessa", "estrada", "ul", "al", "os", "ulica", "aleja", "de", "da", "do", "del", "della",
	"di", "du", "la", "le", "les", "nad", "pod", "am", "an", "bei", "sur", "van", "von", "y", "bis",
	"ter", "apt", "apto", "piso", "depto", "int", "no", "nr", "km", "lote", "quadra", "conjunto", "das", "dos",
	"las", "los", NULL
};
static struct wordset address_small_set = WORDSET(address_small);

static int address_goes_on(const uchar *s, size_t len, size_t i)
{
	/* at ", ": the word after */
	size_t w = i + 2, e = w;
	while (e < len && is_alpha(s[e]))
		e++;
	if (e == w || is_upper(s[w]) || (e < len && s[e] >= 0x80))
		return 1; /* a capital, a digit, another script: still the address */
	return wordset_has(&address_small_set, s + w, e - w);
}

enum { ADDRESS_BACK = 96, ADDRESS_MAX = 160, ADDRESS_LINES = 4 };

/* At the line break s[i], in an address that a label announced ("Address:"
 * at cue_end): does the address go on on the next line? Up to ADDRESS_LINES
 * lines, none empty, none another label ("Phone: ..."). */
static int label_lines(const uchar *s, size_t len, size_t cue_end, size_t i, int *lines)
{
	if (cue_end >= len || s[cue_end] != ':' || ++*lines >= ADDRESS_LINES)
		return 0;
	size_t j = i + 1;
	if (j < len && s[j] == '\r')
		j++;
	if (j >= len || s[j] == '\n' || s[j] == '\r')
		return 0; /* an empty line ends it */
	for (size_t k = j; k < len && k < j + 24 && s[k] != '\n'; k++) {
		if (s[k] == ':' && k > j && is_alpha(s[k - 1]))
			return 0; /* "Phone: ...": another field */
		if (!is_alpha(s[k]) && s[k] != ' ' && s[k] < 0x80)
			break;
	}
	return 1;
}

/* The ends of the address cues in a record, found as the digits that wake
 * LOCATION come (in order), each stretch of text read once: a search back for
 * each of the cues at every digit halved the whole engine's speed. The memo
 * keeps the last CUE_MEMO cues, the only ones a later digit can use. */
enum { CUE_MEMO = 64, CUE_COUNT = sizeof(address_cues) / sizeof(*address_cues) - 1 };

/* The cues chained by their first byte (lowercase); the second is compared
 * before the rest. */
static signed char cue_head[256][2]; /* [first byte][0]: any cue starts so; [1]: its chain */
static struct pair_set cue_pairs; /* the cues' first two bytes */
static signed char cue_next[CUE_COUNT];
static unsigned char cue_len[CUE_COUNT];
static pthread_once_t cue_once = PTHREAD_ONCE_INIT;

static void cue_init(void)
{
	for (size_t c = 0; c < 256; c++)
		cue_head[c][0] = 0, cue_head[c][1] = -1;
	for (size_t k = CUE_COUNT; k-- > 0;) { /* chained so the list's order is kept */
		uchar c = (uchar)address_cues[k][0];
		cue_len[k] = (unsigned char)strlen(address_cues[k]);
		cue_next[k] = cue_head[c][1];
		cue_head[c][1] = (signed char)k;
		cue_head[c][0] = 1;
		pair_set_add(&cue_pairs, c, address_cues[k][1]);
	}
}

/* The end of the cue starting at word start p, or 0. */
static size_t cue_at(const uchar *s, size_t len, size_t p)
{
	uchar c = (uchar)to_lower(s[p]);
	for (int k = cue_head[c][1]; k >= 0; k = cue_next[k]) {
		size_t n = cue_len[k];
		if (p + n <= len && (uchar)to_lower(s[p + 1]) == (uchar)address_cues[k][1] &&
		    starts_with_ci(s, len, p, address_cues[k]) && !(p + n < len && is_word(s[p + n])))
			return p + n;
	}
	return 0;
}

/* The end of the last cue before `at`, on at's sentence and at most
 * ADDRESS_BACK before it; 0 when none. */
static size_t cue_before_digit(struct candidates *sc, const uchar *s, size_t len, size_t at)
{
	static _Thread_local struct {
		const struct candidates *sc;
		unsigned long scan;
		size_t n, upto; /* cues kept; the record searched up to upto */
		size_t end[CUE_MEMO];
	} m;
	pthread_once(&cue_once, cue_init);
	if (m.sc != sc || m.scan != sc->scan) {
		m.sc = sc;
		m.scan = sc->scan;
		m.n = 0;
		m.upto = 0;
	}
	/* search on to `at` (digits wake in order; the memo stops filling at
	 * CUE_MEMO, and then only the last cues are kept, which are the ones
	 * that can be before a later digit) */
	size_t p = m.upto;
	if (at > ADDRESS_BACK && p < at - ADDRESS_BACK)
		p = at - ADDRESS_BACK; /* a cue further back is too far for this digit or any after */
	for (;; p++) {
		/* a cue starts a word, after a blank, a line break, a bracket
		 * or a quote: the word starts the engine's prefilter found */
		if (sc->starts)
			p = word_start_after(sc, p, at);
		else
			while (p < at && p > 0 && is_word(s[p - 1]))
				p++;
		if (p >= at)
			break;
		if (p > 0 && !(s[p - 1] == ' ' || s[p - 1] == '\n' || s[p - 1] == '\t' || s[p - 1] == '(' || s[p - 1] == '"'))
			continue;
		if (p + 1 >= len)
			continue;
		if (!pair_set_has(&cue_pairs, to_lower(s[p]), to_lower(s[p + 1])))
			continue; /* most words start as no cue does */
		size_t e = cue_at(s, len, p);
		if (!e)
			continue;
		if (m.n == CUE_MEMO) {
			memmove(m.end, m.end + 1, (CUE_MEMO - 1) * sizeof(*m.end));
			m.n--;
		}
		m.end[m.n++] = e;
	}
	if (at > m.upto)
		m.upto = at;
	for (size_t k = m.n; k > 0; k--) {
		size_t e = m.end[k - 1];
		if (e > at)
			continue;
		if (at - e > ADDRESS_BACK)
			return 0;
		int lines = 0;
		for (size_t i = e; i < at; i++)
			if (address_stop(s, len, i) && !(s[i] == '\n' && label_lines(s, len, e, i, &lines)))
				return 0; /* a sentence ends between */
		return e;
	}
	return 0;
}

/* "is" in the languages of the address cues. */
static const char *const copulas[] = { "is", "es", "ist", "est", "\xc3\xa9" /* é */, "\xc3\xa8" /* è */, "jest", "je",
				       "\xc3\xa4r" /* är */, "er", NULL };
static struct wordset copulas_set = WORDSET(copulas);

/* Woken at a digit: is it inside an address announced on its sentence? */
static int address_after_cue(struct candidates *out, const uchar *s, size_t len, size_t at, size_t *next)
{
	size_t cue_end = cue_before_digit(out, s, len, at);
	if (!cue_end)
		return 0;
	size_t a = cue_end;
	if (a + 1 < len && s[a] == ' ') {
		/* the word for "is" after the cue is no part of the address:
		 * "my address is", "mi dirección es", "meine Adresse ist"; woken
		 * at the word itself ("é" is a capital's lead byte), none starts
		 * there */
		size_t w = a + 1;
		while (w < len && (is_alpha(s[w]) || s[w] >= 0x80) && w - a <= 5)
			w++;
		if (w < len && (s[w] == ' ' || s[w] == ':') && wordset_has(&copulas_set, s + a + 1, w - a - 1))
			a = w;
	}
	while (a < at && (is_space(s[a]) || s[a] == ':' || s[a] == '-' || s[a] == '\n' || s[a] == '\r'))
		a++;
	if (a > at || at - a > 80)
		return 0;
	size_t e = a;
	int lines = 0;
	while (e < len && e - a < ADDRESS_MAX &&
	       (!address_stop(s, len, e) || (s[e] == '\n' && label_lines(s, len, cue_end, e, &lines))) &&
	       !(s[e] == ',' && e + 1 < len && s[e + 1] == ' ' && !address_goes_on(s, len, e)) &&
	       !(s[e] == ' ' && e > at && is_digit(s[e - 1]) && !address_goes_on(s, len, e - 1)))
		e++; /* ", order ...", "98052-6399 please": the sentence goes on without the address */
	while (e > at && (is_space(s[e - 1]) || s[e - 1] == ',' || s[e - 1] == '.'))
		e--;
	if (e <= at || memchr(s + a, '@', e - a) || memmem(s + a, e - a, "://", 3))
		return 0; /* an e-mail address or a link, not a postal one */
	/* a name in it: a word of another script, or a capitalised one that is
	 * no stopword ("moved to 3 pm", "ship it to 3 people by Friday": none) */
	int named = 0;
	for (size_t i = a; i < e && !named; i++) {
		if (i > a && is_word(s[i - 1]))
			continue;
		if (s[i] >= 0x80)
			named = 1;
		else if (is_upper(s[i])) {
			size_t w = word_end(s, len, i);
			named = w - i >= 3 && !(lexicon_lookup(s + i, w - i) & LEX_STOP);
		}
	}
	if (!named)
		return 0;
	candidates_push(out, CORDON_LOCATION, a, e, 0.8, "the address after a word that announces one");
	*next = e;
	return 1;
}

/* --- a city, a state or a province by name (the gazetteer) ------------------- */

/* Words a place is named after: a preposition ("in Lisbon", "from
 * München", "в Москве" is left to another day), or a label ("City: Porto"). */
static const char *const place_preps[] = {
	"in", "from", "at", "to", "near", "around", "outside", "aus", "nach", "bei", "en", "\xc3\xa0", "em",
	"na", "no", "w", "we", "v", "ve", "di", "da", "a", "te", "i", "\xd0\xb2", "\xd0\xb8\xd0\xb7", NULL
};
static const char *const place_labels[] = {
	"city", "town", "location", "ort", "stadt", "wohnort", "ville", "ciudad", "ciutat", "citt\xc3\xa0", "cidade",
	"place", "region", "state", "province", "country", "miasto", "m\xc4\x9bsto", "stad", "plaats", "kota",
	"\xd0\xb3\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb4", NULL
};
static struct wordset place_labels_set = WORDSET(place_labels);
/* The labels of those that name a town whatever follows: the value is the
 * place, known to the gazetteer or not ("City: Kingstad"). Not "location",
 * "region", "state" or "country": "Location: eastus", "State: Running". */
static const char *const town_labels[] = {
	"city", "town", "ort", "stadt", "wohnort", "ville", "ciudad", "ciutat", "citt\xc3\xa0", "cidade", "miasto",
	"m\xc4\x9bsto", "stad", "plaats", "kota", "\xd0\xb3\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb4", NULL
};
static struct wordset town_labels_set = WORDSET(town_labels);
/* Written before a settlement's name in Russian and Ukrainian addresses
 * ("г. Томск", "с. Хатанга", "пгт Белый Яр", "хутір Петро"); a one-letter
 * abbreviation needs its dot ("с" alone is "with"). */
static const char *const settlement_words[] = {
	"\xd0\xb3", /* г */ "\xd1\x81", /* с */ "\xd0\xbf", /* п */ "\xd0\xb4", /* д */ "\xd0\xbc", /* м */
	"\xd1\x81\xd1\x82", /* ст */ "\xd0\xbf\xd0\xbe\xd1\x81", /* пос */ "\xd0\xbf\xd0\xb3\xd1\x82", /* пгт */
	"\xd1\x81\xd0\xbc\xd1\x82", /* смт */ "\xd1\x81\xd0\xb5\xd0\xbb\xd0\xbe", /* село */
	"\xd1\x81\xd0\xb5\xd0\xbb\xd0\xb8\xd1\x89\xd0\xb5", /* селище */
	"\xd1\x85\xd1\x83\xd1\x82\xd1\x96\xd1\x80", /* хутір */ "\xd0\xbc\xd1\x96\xd1\x81\xd1\x82\xd0\xbe", /* місто */
	"\xd0\xb3\xd0\xbe\xd1\x80\xd0\xbe\xd0\xb4", /* город */ "\xd0\xb4\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb2\xd0\xbd\xd1\x8f", /* деревня */
	"\xd0\xbf\xd0\xbe\xd1\x81\xd0\xb5\xd0\xbb\xd0\xbe\xd0\xba", /* поселок */ "\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xb8\xd1\x86\xd0\xb0", /* станица */
	/* and the rest of the Russian address classifier's kinds of settlement:
	 * кишлак, хутор, рабочий, курортный and дачный посёлок, аул, слобода,
	 * населённый пункт, колхоз */
	"\xd0\xba", /* к */ "\xd1\x85", /* х */ "\xd1\x80\xd0\xbf", /* рп */ "\xd0\xba\xd0\xbf", /* кп */
	"\xd0\xb4\xd0\xbf", /* дп */ "\xd0\xb0\xd1\x83\xd0\xbb", /* аул */ "\xd1\x81\xd0\xbb", /* сл */
	"\xd0\xbd\xd0\xbf", /* нп */ "\xd0\xba\xd0\xbb\xd1\x85", /* клх */ "\xd1\x85\xd1\x83\xd1\x82\xd0\xbe\xd1\x80", /* хутор */
	/* Persian: county, city, village, rural district, port, province */
	"\xd8\xb4\xd9\x87\xd8\xb1\xd8\xb3\xd8\xaa\xd8\xa7\xd9\x86", /* شهرستان */ "\xd8\xb4\xd9\x87\xd8\xb1", /* شهر */
	"\xd8\xb1\xd9\x88\xd8\xb3\xd8\xaa\xd8\xa7\xdb\x8c", /* روستای */ "\xd8\xb1\xd9\x88\xd8\xb3\xd8\xaa\xd8\xa7", /* روستا */
	"\xd8\xaf\xd9\x87\xd8\xb3\xd8\xaa\xd8\xa7\xd9\x86", /* دهستان */ "\xd8\xa8\xd9\x86\xd8\xaf\xd8\xb1", /* بندر */
	"\xd8\xa7\xd8\xb3\xd8\xaa\xd8\xa7\xd9\x86", /* استان */
	NULL
};
static struct wordset settlement_words_set = WORDSET(settlement_words);
/* Small words inside a place's name ("Rio de Janeiro", "Frankfurt am Main"). */
static const char *const place_small[] = {
	"de", "da", "do", "dos", "das", "del", "la", "le", "les", "am", "an", "der", "im", "nad", "pod", "sur",
	"upon", "on", "en", "el", "di", "al", NULL
};

enum { CUE_PLACE_NONE, CUE_PLACE_PREP, CUE_PLACE_LABEL };
enum { PREP_COUNT = sizeof(place_preps) / sizeof(*place_preps) - 1 };

/* Up to 8 bytes of a word, lowercased, in one integer (0-padded). */
static uint64_t pack_lower(const uchar *s, size_t n)
{
	uint64_t w = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		w |= (uint64_t)(uchar)to_lower(s[i]) << (8 * i);
	return w;
}

enum { SMALL_COUNT = sizeof(place_small) / sizeof(*place_small) - 1 };
static uint64_t prep_packed[PREP_COUNT], small_packed_words[SMALL_COUNT];
static pthread_once_t prep_once = PTHREAD_ONCE_INIT;

static void prep_init(void)
{
	for (size_t k = 0; k < PREP_COUNT; k++)
		prep_packed[k] = pack_lower((const uchar *)place_preps[k], strlen(place_preps[k]));
	for (size_t k = 0; k < SMALL_COUNT; k++)
		small_packed_words[k] = pack_lower((const uchar *)place_small[k], strlen(place_small[k]));
}

static int small_packed(uint64_t w)
{
	pthread_once(&prep_once, prep_init);
	for (size_t k = 0; k < SMALL_COUNT; k++)
		if (small_packed_words[k] == w)
			return 1;
	return 0;
}

/* Is the word before `at` (past one blank, or ": ") a preposition or a label? */
static int place_cue(const uchar *s, size_t at)
{
	size_t e = at;
	int colon = 0;
	if (e >= 2 && s[e - 1] == ' ' && s[e - 2] == ':')
		e -= 2, colon = 1;
	else if (e >= 1 && s[e - 1] == ':')
		e -= 1, colon = 1;
	else if (e >= 1 && s[e - 1] == ' ')
		e -= 1;
	else
		return CUE_PLACE_NONE;
	size_t b = e;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80) && e - b < 24)
		b--;
	if (b == e || (b > 0 && is_word(s[b - 1])))
		return CUE_PLACE_NONE;
	if (colon)
		return wordset_has(&place_labels_set, s + b, e - b) ? CUE_PLACE_LABEL : CUE_PLACE_NONE;
	/* every capitalised word asks: the word packed in 8 bytes, compared
	 * with the prepositions packed the same way */
	size_t n = e - b;
	if (n > 7 || (n > 3 && n != 4 && n != 6 && n != 7) || (n >= 4 && !BYTE_IN("fnao", to_lower(s[b]))))
		return CUE_PLACE_NONE; /* the prepositions' lengths and first letters */
	uint64_t w = pack_lower(s + b, n);
	pthread_once(&prep_once, prep_init);
	for (size_t k = 0; k < PREP_COUNT; k++)
		if (prep_packed[k] == w)
			return CUE_PLACE_PREP;
	return CUE_PLACE_NONE;
}

/* Short forms of the words a place's name starts with, as people write
 * them ("St. Louis", "Ste. Foy", "Ft. Worth", "Mt. Vernon", "St. Gallen"),
 * and the words the gazetteer writes in their place: GeoNames spells the
 * names whole ("Saint Louis", "Sankt Gallen"). */
static const struct short_form {
	char abbr[4];
	const char *whole[2];
} short_forms[] = {
	{ "st", { "saint", "sankt" } }, { "ste", { "sainte", NULL } }, { "mt", { "mount", NULL } },
	{ "ft", { "fort", NULL } },	{ "pt", { "port", "point" } },
};

/* The short form s[b, e) stands for, when it is one written with its dot
 * and a capitalised word after it ("St. L"); else NULL. */
static const struct short_form *short_form_at(const uchar *s, size_t len, size_t b, size_t e)
{
	if (e - b < 2 || e - b > 3 || !is_upper(s[b]) || e + 2 >= len || s[e] != '.' || s[e + 1] != ' ' ||
	    !capital_at(s, len, e + 2))
		return NULL;
	for (size_t k = 0; k < sizeof(short_forms) / sizeof(*short_forms); k++)
		if (strlen(short_forms[k].abbr) == e - b && starts_with_ci(s, e, b, short_forms[k].abbr))
			return &short_forms[k];
	return NULL;
}

/* What names a town just before `at` whatever the town is: a town label
 * ("City: ", TOWN_LABEL) or a settlement word ("г. ", SETTLEMENT); 0: none. */
enum { TOWN_LABEL = 1, SETTLEMENT = 2 };
static int town_named_before(const uchar *s, size_t at, size_t *word)
{
	if (at < 3)
		return 0;
	/* e: the end of the word before ("City" of "City: ", "г" of "г. ") */
	size_t e = at - 1;
	int colon = 0, dot = 0;
	if (s[e] == ':')
		colon = 1;
	else if (s[e] == ' ' && s[e - 1] == ':')
		e--, colon = 1;
	else if (s[e] == ' ' && s[e - 1] == '.')
		e--, dot = 1;
	else if (s[e] != ' ')
		return 0;
	size_t b = e;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80) && e - b < 24)
		b--;
	if (b == e || (b > 0 && is_word(s[b - 1])))
		return 0;
	if (colon)
		return wordset_has(&town_labels_set, s + b, e - b) ? TOWN_LABEL : 0;
	if (!wordset_has(&settlement_words_set, s + b, e - b) || (e - b == 2 && !dot))
		return 0;
	*word = b;
	return SETTLEMENT;
}

/* Written before a street, a house, a flat in a Russian or Ukrainian
 * address, each with its dot: улица, проспект, переулок, шоссе,
 * набережная, бульвар, площадь, микрорайон, дом, квартира, корпус,
 * строение; вулиця, проспект, провулок, будинок. */
static const char *const street_words_ru[] = {
	"\xd1\x83\xd0\xbb", /* ул */ "\xd0\xbf\xd1\x80", /* пр */ "\xd0\xbf\xd1\x80-\xd1\x82", /* пр-т */
	"\xd0\xbf\xd0\xb5\xd1\x80", /* пер */ "\xd1\x88", /* ш */ "\xd0\xbd\xd0\xb0\xd0\xb1", /* наб */
	"\xd0\xb1-\xd1\x80", /* б-р */ "\xd0\xbf\xd0\xbb", /* пл */ "\xd0\xbc\xd0\xba\xd1\x80", /* мкр */
	"\xd0\xb4", /* д */ "\xd0\xba\xd0\xb2", /* кв */ "\xd0\xba\xd0\xbe\xd1\x80\xd0\xbf", /* корп */
	"\xd1\x81\xd1\x82\xd1\x80", /* стр */ "\xd0\xba", /* к */ "\xd0\xb2\xd1\x83\xd0\xbb", /* вул */
	"\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd0\xbf", /* просп */ "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb2", /* пров */
	"\xd0\xb1\xd1\x83\xd0\xb4", /* буд */ NULL
};
static struct wordset street_words_ru_set = WORDSET(street_words_ru);
/* The house's, the flat's, the building's: дом, квартира, корпус, строение, будинок. */
static const char *const house_words_ru[] = {
	"\xd0\xb4", "\xd0\xba\xd0\xb2", "\xd0\xba\xd0\xbe\xd1\x80\xd0\xbf", "\xd1\x81\xd1\x82\xd1\x80",
	"\xd0\xba", "\xd0\xb1\xd1\x83\xd0\xb4", NULL
};
static struct wordset house_words_ru_set = WORDSET(house_words_ru);

/* After a Russian or Ukrainian settlement ending at e, the address's lines
 * that follow, each after ", ": one that starts with a street's, a house's
 * or a flat's word and its dot ("ул. 60 лет СССР", "д. 20", "кв. 5"), or a
 * postcode of six digits; their end. */
static size_t street_lines_ru(const uchar *s, size_t len, size_t e)
{
	for (int lines = 0; lines < 6 && e + 2 < len && s[e] == ',' && s[e + 1] == ' '; lines++) {
		size_t b = e + 2, w = b;
		while (w < len && (s[w] >= 0x80 || s[w] == '-') && w - b < 16)
			w++;
		int street = w > b && w < len && s[w] == '.' && wordset_has(&street_words_ru_set, s + b, w - b);
		size_t d = b;
		while (d < len && is_digit(s[d]))
			d++;
		int postcode = d - b == 6 && !(d < len && is_word(s[d]));
		if (!street && !postcode)
			break;
		size_t n = postcode ? d : w + 1;
		/* a house's, a flat's number: one token ("5", "12а", "4/2"); a
		 * street's name: Cyrillic words and numbers to the comma ("60
		 * лет СССР") */
		if (!postcode) {
			int house = wordset_has(&house_words_ru_set, s + b, w - b);
			if (n < len && s[n] == ' ')
				n++;
			size_t v = n;
			if (v < len && is_digit(s[v])) { /* a number: the house's or the flat's, or a street's first */
				while (v < len && (is_alnum(s[v]) || s[v] >= 0x80 || s[v] == '/' || s[v] == '-') && v - n < 12)
					v++;
			}
			/* a street's words go on to the comma: Cyrillic, digits, blanks */
			size_t x = v;
			while (!house && x < len && s[x] != ',' &&
			       (s[x] >= 0x80 || is_digit(s[x]) || s[x] == ' ' || s[x] == '-' || s[x] == '.') &&
			       !address_stop(s, len, x) && x - b < 64)
				x++;
			n = x > n ? x : v; /* (to a Latin word: "ул. Ленина came back") */
		}
		while (n > b && s[n - 1] == ' ')
			n--;
		if (n <= w + 1 && !postcode)
			break; /* "ул." with nothing after it */
		e = n;
	}
	return e;
}

/* The town's name from `at` after what names it (town_named_before): words
 * to the end of the sentence or the line, at most five (after a settlement
 * word, capitalised ones or a script's without capitals: "с. Хатанга",
 * "г. Нижний Новгород", "شهر رها"); pushed, and its end; or 0. */
static size_t town_after(const uchar *s, size_t len, size_t at, int kind, size_t word, struct candidates *out)
{
	size_t e = at, words = 0;
	for (;;) {
		size_t w = e;
		while (w < len && (is_alpha(s[w]) || is_digit(s[w]) || s[w] >= 0x80 ||
				   ((s[w] == '-' || s[w] == '\'') && w > e && w + 1 < len && (is_alpha(s[w + 1]) || s[w + 1] >= 0x80))) &&
		       w - e < 48)
			w++;
		/* after a settlement word, a capitalised word, or one of a script
		 * without capitals (Arabic, Hebrew, Indic, Han: not Cyrillic) */
		if (w == e || (kind == SETTLEMENT && !capital_at(s, len, e) && s[e] < 0xD5))
			break;
		if (short_form_at(s, len, e, w))
			w++; /* "City: St. Kilda": the dot is the name's */
		e = w;
		if (++words == 5 || e + 1 >= len || s[e] != ' ' || !(is_alpha(s[e + 1]) || s[e + 1] >= 0x80))
			break;
		e++;
	}
	while (e > at && s[e - 1] == ' ')
		e--;
	if (e <= at || (s[at] < 0x80 && !is_upper(s[at])))
		return 0;
	/* the region or the old name in brackets after it ("п. Октябрьский
	 * (Башк.)", "ст. Киров (Вятка)"): letters, dots and blanks only */
	if (e + 3 < len && s[e] == ' ' && s[e + 1] == '(') {
		size_t c = e + 2;
		while (c < len && c - e < 40 && (is_alpha(s[c]) || s[c] >= 0x80 || s[c] == '.' || s[c] == ' ' || s[c] == '-'))
			c++;
		if (c < len && s[c] == ')' && c > e + 2 && (capital_at(s, len, e + 2) || s[e + 2] >= 0xD5))
			e = c + 1;
	}
	/* the lines that go on with a Russian or Ukrainian address after the
	 * settlement: "г. Тверь, ул. Ленина, д. 5, кв. 12, 170100" */
	if (kind == SETTLEMENT)
		e = street_lines_ru(s, len, e);
	/* after a settlement word, the word too: "г. Каргасок" is the name as
	 * written */
	candidates_push(out, CORDON_LOCATION, kind == SETTLEMENT ? word : at, e,
			kind == TOWN_LABEL && lexicon_place(s + at, e - at) ? 0.85 : 0.8,
			kind == TOWN_LABEL ? "a town after a label that names one (City:, Ort:)"
					   : "a settlement with the word for one (г., с., хутір, شهر)");
	return e;
}

/* A name of Han characters that ends as an administrative unit's does
 * ("八千代市", "印旛郡栄町", "红梅县": city, town, village, ward, district,
 * prefecture, county, province), two characters or more before it. */
static int admin_suffix(const uchar *s, size_t at, size_t e)
{
	static const char suffixes[][4] = { "\xe5\xb8\x82", "\xe7\x94\xba", "\xe6\x9d\x91", "\xe5\x8c\xba",
					    "\xe9\x83\xa1", "\xe7\x9c\x8c", "\xe5\x8e\xbf", "\xe7\x9c\x81",
					    "\xe5\xb7\x9e", "\xe9\x95\x87", "\xe9\x8e\xae", "\xe5\xba\x9c" };
	if (e - at < 9)
		return 0;
	for (size_t k = 0; k < sizeof(suffixes) / sizeof(*suffixes); k++)
		if (!memcmp(s + e - 3, suffixes[k], 3))
			return 1;
	return 0;
}

static size_t place_known(const uchar *s, size_t len, size_t at, int cue, size_t e, struct candidates *out);

/* Words that say "address" itself (the first of address_cues, and the
 * word in scripts without capitals): right before a word, what follows is
 * the address even with no digit in it ("Address: 대구광역시 도봉구
 * 서초대거리"). Not "ship it to" or "moved to": a name or a product may
 * follow those. */
static const char *const address_words[] = {
	"address", "addr", "adresse", "anschrift", "lieferadresse", "rechnungsadresse", "direcci\xc3\xb3n",
	"direccion", "domicilio", "indirizzo", "endere\xc3\xa7o", "endereco", "morada", "adres", "adresa",
	"\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81", /* адрес */ "\xe4\xbd\x8f\xe6\x89\x80", /* 住所 */
	"\xec\xa3\xbc\xec\x86\x8c", /* 주소 */ "\xe5\x9c\xb0\xe5\x9d\x80", /* 地址 */ NULL
};
static struct wordset address_words_set = WORDSET(address_words);

/* Is the word before `at` (past ": ", ":" or " is ") an address word? */
static int address_word_before(const uchar *s, size_t at)
{
	size_t e = at;
	if (e >= 2 && s[e - 1] == ' ' && s[e - 2] == ':')
		e -= 2;
	else if (e >= 1 && (s[e - 1] == ':' || s[e - 1] == ' '))
		e -= 1;
	else
		return 0;
	if (e >= 4 && s[e] == ' ' && (s[e - 1] | 0x20) == 's' && (s[e - 2] | 0x20) == 'i' && s[e - 3] == ' ')
		e -= 3; /* "my address is ..." */
	size_t b = e;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80) && e - b < 24)
		b--;
	if (b == e || (b > 0 && is_word(s[b - 1])))
		return 0;
	return wordset_has(&address_words_set, s + b, e - b);
}

/* The endings of place names, by the languages that coin them: a word
 * no list knows that ends so, right after a preposition or a label, is a
 * town ("from Ebersberg", "in Hostomice", "in Bhagalpur", "from 평택시").
 * Words of the language ("support", "report") are in the word lists and
 * never taken; products are capitalised inside ("BitLocker") and skipped. */
#define T(x) { x, sizeof(x) - 1 }
static const struct ending {
	const char *text;
	unsigned char len;
} toponym_endings[] = {
	T("burg"), T("burgh"), T("berg"), T("borough"), T("bury"), T("chester"), T("caster"), T("cester"),
	T("mouth"), T("haven"), T("shire"), T("ville"), T("stad"), T("stadt"), T("dorf"), T("hausen"),
	T("heim"), T("ingen"), T("furt"), T("hafen"), T("br\xc3\xbc" "ck"), T("rode"), T("walde"), T("wald"),
	T("leben"), T("itz"), T("ow"), T("ov"), T("ovo"), T("ice"), T("any"), T("\xc3\xadn"), T("sk"),
	T("grad"), T("polis"), T("pol"), T("abad"), T("pur"), T("nagar"), T("gaon"), T("ganj"), T("dam"),
	T("veen"), T("oord"), T("huizen"), T("wijk"), T("horst"), T("broek"), T("recht"), T("kerk"),
	T("woude"), T("sluis"), T("ach"), T("bach"), T("feld"), T("view"), T("side"), T("land"), T("ton"),
	T("town"), T("fort"), T("field"), T("ford"), T("wood"), T("wick"), T("thorpe"), T("ary"),
	T("\xe0\xa4\xaa\xe0\xa5\x81\xe0\xa4\xb0"), /* पुर */ T("\xe0\xa4\xac\xe0\xa4\xbe\xe0\xa4\xa6"), /* बाद */
	T("\xe0\xa4\x97\xe0\xa4\xa2\xe0\xa4\xbc"), /* गढ़ */ T("\xe0\xa4\x97\xe0\xa4\xa2"), /* गढ */
	T("\xe0\xa4\xa8\xe0\xa4\x97\xe0\xa4\xb0"), /* नगर */ T("\xe0\xa4\x97\xe0\xa4\x82\xe0\xa4\x9c"), /* गंज */
	T("\xec\x8b\x9c"), /* 시 */ T("\xea\xb5\xb0"), /* 군 */ T("\xea\xb5\xac"), /* 구 */
};
#undef T

/* Words a place's name may start with ("West", "New", "Bad", "Sankt"). */
static const char *const place_prefixes[] = {
	"north", "south", "east", "west", "new", "old", "upper", "lower", "great", "little", "lake", "port",
	"mount", "fort", "bad", "sankt", "saint", "st", "san", "santa", "santo", "nueva", "nuevo", "vieja",
	"viejo", "alt", "neu", "gross", "klein", "nord", "s\xc3\xbc" "d", "ost", NULL
};
static struct wordset place_prefixes_set = WORDSET(place_prefixes);

static int toponym_ending(const uchar *s, size_t b, size_t e)
{
	uchar last = (uchar)to_lower(s[e - 1]);
	/* the ending and something before it: two letters, or two syllables
	 * of a script of three-byte characters */
	size_t before = s[b] >= 0xE0 ? 6 : 2;
	for (size_t k = 0; k < sizeof(toponym_endings) / sizeof(*toponym_endings); k++) {
		const struct ending *t = &toponym_endings[k];
		if ((uchar)t->text[t->len - 1] != last || e - b < t->len + before)
			continue;
		size_t i = 0;
		while (i < t->len && (uchar)to_lower(s[e - t->len + i]) == (uchar)t->text[i])
			i++;
		if (i == t->len)
			return 1;
	}
	return 0;
}

/* After a preposition or a label, a word no list knows with a place name's
 * ending, and the words of its name after it ("Rychnov u Jablonce nad
 * Nisou", "용인시 수지구"); pushed, its end; or 0. */
static size_t toponym(const uchar *s, size_t len, size_t at, int cue, size_t e, struct candidates *out)
{
	if (!cue || e == at)
		return 0;
	/* "West Danielhaven", "South Lucyshire", "Bad Freienwalde": a word a
	 * place's name starts with, then one with a place name's ending */
	if (e + 2 < len && s[e] == ' ' && wordset_has(&place_prefixes_set, s + at, e - at) && capital_at(s, len, e + 1)) {
		size_t w = e + 1, we = word_end(s, len, w);
		unsigned f = we > w ? lexicon_lookup(s + w, we - w) : 0;
		if (we > w && toponym_ending(s, w, we) && !f) {
			candidates_push(out, CORDON_LOCATION, at, we, 0.7, "a word a place's name starts with, then a place name's ending");
			return we;
		}
		/* "in North Adelheid", "from New Barnaby": after the preposition, the
		 * prefix and a name are the place's (not after a label: "Region:
		 * West Europe" is a cloud's region; a word of the language or a
		 * product's is not: "in New Outlook", "to New Teams", "to New BSD") */
		if (cue == CUE_PLACE_PREP && we > w + 1 && !is_upper(s[w + 1]) && !(f & (LEX_COMMON | LEX_STOP)) &&
		    !capital_inside(s, w, we) && /* nor a thing's: "New Foo2", "New Foo.js" */
		    !(we < len && (is_digit(s[we]) || (s[we] == '.' && we + 1 < len && is_alpha(s[we + 1]))))) {
			candidates_push(out, CORDON_LOCATION, at, we, 0.7, "a word a place's name starts with, then a name");
			return we;
		}
	}
	int caseless = s[at] >= 0xD7 && !(s[at] >= 0xD0 && s[at] <= 0xD4); /* not Cyrillic */
	if (e == at || (!capital_at(s, len, at) && !caseless) || !toponym_ending(s, at, e))
		return 0;
	if (capital_inside(s, at, e))
		return 0; /* a product's */
	if (lexicon_lookup(s + at, e - at))
		return 0; /* a word, a name, a place the lists know: theirs to say */
	/* the rest of the name: capitalised words, small words between them,
	 * or in a script without capitals words that end as places do */
	for (int more = 0; more < 4 && e + 1 < len && s[e] == ' '; more++) {
		size_t w = e + 1, we = word_end(s, len, w);
		if (we == w)
			break;
		if (caseless ? !toponym_ending(s, w, we)
			     : !(capital_at(s, len, w) ||
				 (we - w <= 4 && we + 1 < len && s[we] == ' ' && capital_at(s, len, we + 1) &&
				  (small_packed(pack_lower(s + w, we - w)) || (we - w == 1 && s[w] == 'u')))))
			break;
		if (!caseless && capital_at(s, len, w) && (lexicon_lookup(s + w, we - w) & (LEX_COMMON | LEX_STOP)))
			break;
		e = we;
	}
	candidates_push(out, CORDON_LOCATION, at, e, 0.7, "a word with a place name's ending, after a preposition or a label");
	return e;
}

/* After a place found ending at e: ", " and its state, province or region,
 * by the gazetteer (up to three words, no word of the language: "Springfield,
 * Illinois", "San Jose, Costa Rica") or a US state's code ("Austin, TX");
 * the new end, or e. */
static size_t region_after(const uchar *s, size_t len, size_t e)
{
	if (e + 3 >= len || s[e] != ',' || s[e + 1] != ' ' || !capital_at(s, len, e + 2))
		return e;
	size_t w = e + 2;
	if (is_upper(s[w]) && is_upper(s[w + 1]) && (w + 2 == len || !is_word(s[w + 2])) &&
	    wordset_has(&us_states_set, s + w, 2))
		return w + 2;
	size_t best = e, i = w;
	for (int words = 0; words < 3 && capital_at(s, len, i); words++) {
		size_t we = word_end(s, len, i);
		if (we == i || (we < len && is_digit(s[we])))
			break;
		if (lexicon_lookup(s + i, we - i) & (LEX_COMMON | LEX_STOP))
			break; /* "in Leeds, Reading is ...": a word of the language */
		if (lexicon_place(s + w, we - w))
			best = we;
		if (we + 1 >= len || s[we] != ' ')
			break;
		i = we + 1;
	}
	return best;
}

/* Woken at a capitalised word (or one of a script without capitals): an
 * address after a word that says so, the longest run of up to four words
 * from `at` the gazetteer knows, a town after a word that names one, or a
 * word with a place name's ending after a preposition. */
/* Every word a place's reading looks for just before a capitalised word:
 * the address words, the town labels, the settlement words, the
 * prepositions and the labels, and "is" ("my address is ..."). */
static struct wordset cue_union_set;
static const char **cue_union_words;
static pthread_once_t cue_union_once = PTHREAD_ONCE_INIT;

static void cue_union_init(void)
{
	const char *const *lists[] = { address_words, town_labels, settlement_words, place_preps, place_labels };
	size_t n = 1;
	for (size_t l = 0; l < sizeof(lists) / sizeof(*lists); l++)
		for (const char *const *w = lists[l]; *w; w++)
			n++;
	static const char *words[256];
	if (n + 1 > sizeof(words) / sizeof(*words))
		return; /* cue_union_words stays NULL: every word asks the readings */
	size_t k = 0;
	for (size_t l = 0; l < sizeof(lists) / sizeof(*lists); l++)
		for (const char *const *w = lists[l]; *w; w++)
			words[k++] = *w;
	words[k++] = "is";
	words[k] = NULL;
	cue_union_set.words = words;
	cue_union_words = words;
}

/* Can a word before `at` be a cue of place_scan's (address_word_before,
 * town_named_before, place_cue)? Each of them reads the word before past
 * " ", ": ", ":" or ". " and asks its own list; the word read so and asked
 * of their union tells most capitalised words at once that none is. */
static int place_cue_possible(const uchar *s, size_t at)
{
	pthread_once(&cue_union_once, cue_union_init);
	if (!cue_union_words)
		return 1;
	size_t e = at;
	if (e > 0 && s[e - 1] == ' ')
		e--;
	if (e > 0 && (s[e - 1] == ':' || s[e - 1] == '.'))
		e--;
	if (e == at)
		return 0; /* none of them reads a word glued before */
	size_t b = e;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80) && e - b < 24)
		b--;
	return b < e && wordset_has(&cue_union_set, s + b, e - b);
}

static size_t place_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	size_t next;
	int cue_possible = place_cue_possible(s, at);
	if (cue_possible && address_word_before(s, at) && address_after_cue(out, s, len, at, &next))
		return next; /* the digits in it, if any, find the same */
	/* after "City:" the value is the town, whole: the gazetteer may know
	 * only its first word ("City: San Teodorico" is no "San") */
	size_t word = at;
	int town = cue_possible ? town_named_before(s, at, &word) : 0;
	size_t e = town == TOWN_LABEL ? town_after(s, len, at, town, word, out) : 0;
	if (e)
		return e;
	int cue = cue_possible ? place_cue(s, at) : CUE_PLACE_NONE;
	size_t we = word_end(s, len, at);
	/* a Latin word with digits glued after it names a thing, no place
	 * ("Ada95", "Adler16", "Darwin32"); CJK addresses glue their numbers
	 * ("猿楽町35") */
	if (we > at && we < len && is_digit(s[we]) && s[we - 1] < 0x80)
		return we;
	size_t r = place_known(s, len, at, cue, we, out);
	if (r && s[at] >= 0xD0 && s[at] <= 0xD4) {
		/* a Cyrillic town, then its street and house: "Москва, ул.
		 * Тверская, д. 1" */
		size_t r2 = street_lines_ru(s, len, r);
		if (r2 > r) {
			candidates_push(out, CORDON_LOCATION, town == SETTLEMENT ? word : at, r2, 0.8,
					"a town, then its street and house (ул., д.)");
			r = r2;
		}
	}
	if (r)
		return r;
	e = town == SETTLEMENT ? town_after(s, len, at, town, word, out) : 0;
	if (!e)
		e = toponym(s, len, at, cue, we, out);
	return e ? e : we > at ? we : at + 1;
}

/* "St. Louis", "Ft. Worth", "Sankt Gallen" written "St. Gallen": the words
 * after a short form (s[at, e), its dot at e), up to three, looked up with
 * the word written whole; the longest the gazetteer knows is pushed, and
 * its end returned; else 0. Several words, so no cue is needed, as for
 * "San Francisco". */
static size_t place_short_form(const uchar *s, size_t len, size_t at, size_t e, int cue, struct candidates *out)
{
	const struct short_form *f = short_form_at(s, len, at, e);
	if (!f)
		return 0;
	size_t ends[3], nw = 0, i = e + 1;
	while (nw < 3 && i + 1 < len && s[i] == ' ' && capital_at(s, len, i + 1)) {
		size_t we = word_end(s, len, i + 1);
		if (we == i + 1)
			break;
		ends[nw++] = i = we;
	}
	for (size_t k = nw; k-- > 0;)
		for (size_t v = 0; v < 2 && f->whole[v]; v++) {
			char name[64];
			size_t n = strlen(f->whole[v]), rest = ends[k] - (e + 1);
			if (n + rest > sizeof(name))
				continue;
			memcpy(name, f->whole[v], n);
			memcpy(name + n, s + e + 1, rest); /* " Louis", from the blank on */
			if (!lexicon_place((const uchar *)name, n + rest))
				continue;
			candidates_push(out, CORDON_LOCATION, at, ends[k], cue == CUE_PLACE_LABEL ? 0.85 : cue ? 0.75 : 0.6,
					"a place the gazetteer knows, its first word short (St., Mt., Ft.)");
			return ends[k];
		}
	return 0;
}

/* After a place in a script without blanks, the words of the same kind
 * that go on with the address ("경기도 화성시 서초중앙5거리", "테헤란로 123"), up to four, and
 * the part in brackets a Korean address ends with ("(은정김동)": the
 * neighbourhood or the building); their end. */
static size_t cjk_words_after(const uchar *s, size_t len, size_t e)
{
	for (int more = 0; more < 4 && e + 1 < len && s[e] == ' ' &&
			   ((s[e + 1] >= 0xE3 && s[e + 1] <= 0xED) ||
			    /* a building's number after its road (로, 길) */
			    (is_digit(s[e + 1]) && e >= 3 &&
			     (!memcmp(s + e - 3, "\xeb\xa1\x9c", 3) || !memcmp(s + e - 3, "\xea\xb8\xb8", 3))));
	     more++) {
		size_t w = e + 1;
		while (w < len && (s[w] >= 0x80 || is_digit(s[w]) || s[w] == '-') && w - e < 64)
			w++;
		e = w;
	}
	if (e + 2 < len && s[e] == ' ' && s[e + 1] == '(' && s[e + 2] >= 0xE3 && s[e + 2] <= 0xED) {
		size_t c = e + 2;
		while (c < len && (s[c] >= 0x80 || is_digit(s[c]) || s[c] == ',' || s[c] == ' ') && c - e < 64)
			c++;
		if (c < len && s[c] == ')')
			e = c + 1;
	}
	return e;
}

/* Does the Hangul word s[b, e) end with one of suffixes (three bytes each),
 * with at least `before` syllables before it? */
static int hangul_ends(const uchar *s, size_t b, size_t e, const char *suffixes, size_t before)
{
	if (e - b < 3 * (before + 1) || s[b] < 0xEA || s[b] > 0xED)
		return 0;
	for (const char *x = suffixes; *x; x += 3)
		if (!memcmp(s + e - 3, x, 3))
			return 1;
	return 0;
}

/* A Korean address with no word before it: a province or a city of three
 * syllables or more ("경기도", "부산광역시"), then a city, a district, a
 * county, a road or a street ("화성시", "남구", "봉은사로"), and what
 * follows of the same kind ("the parcel for 인천광역시 남구 봉은사로"). A
 * word ending so alone is no address: "저도" is "me too". */
static size_t korean_address(const uchar *s, size_t len, size_t at, size_t e, struct candidates *out)
{
	if (!hangul_ends(s, at, e, "\xec\x8b\x9c" "\xeb\x8f\x84", 2) || e + 1 >= len || s[e] != ' ') /* 시, 도 */
		return 0;
	size_t w = e + 1, we = w;
	while (we < len && s[we] >= 0x80 && we - w < 64)
		we++;
	/* 시, 구, 군, 로, 길 */
	if (!hangul_ends(s, w, we, "\xec\x8b\x9c" "\xea\xb5\xac" "\xea\xb5\xb0" "\xeb\xa1\x9c" "\xea\xb8\xb8", 1))
		return 0;
	size_t end = cjk_words_after(s, len, we);
	candidates_push(out, CORDON_LOCATION, at, end, 0.7, "a Korean province or city, then a city, district or road");
	return end;
}

/* The gazetteer's reading of place_scan: the place's end, pushed; 0 when
 * the gazetteer knows none here. */
static size_t place_known(const uchar *s, size_t len, size_t at, int cue, size_t e, struct candidates *out)
{
	if (e == at)
		return 0;
	/* a script without blanks ("横浜市青葉区"): the longest known start */
	if (s[at] >= 0xE3 && s[at] <= 0xED) {
		if (!cue)
			return korean_address(s, len, at, e, out);
		size_t best = 0, k = at;
		for (int chars = 0; chars < 8 && k < e; chars++) {
			k += 3;
			if (k <= e && lexicon_place(s + at, k - at))
				best = k;
		}
		if (!best) {
			if (!admin_suffix(s, at, e))
				return 0;
			candidates_push(out, CORDON_LOCATION, at, e, 0.7,
					"a Han name with an administrative unit's ending, after a preposition or label");
			return e;
		}
		/* the whole word: "横浜市青葉区" is Yokohama's Aoba ward, both a
		 * place; and the words of the same kind after it, the rest of the
		 * address ("경기도 화성시 서초중앙5거리"), up to four */
		size_t first = e;
		e = cjk_words_after(s, len, e);
		candidates_push(out, CORDON_LOCATION, at, e, 0.75, "a place the gazetteer knows, after a preposition");
		return first; /* the digits further on still wake the announced address's reading */
	}
	if (e + 2 < len && s[e] == '.') {
		size_t r = place_short_form(s, len, at, e, cue, out);
		if (r)
			return r;
	}
	/* nothing says a place: only one of several words can be, and most
	 * capitalised words start none ("Windows Update") */
	if (!cue && (e + 2 >= len || s[e] != ' ' || !lexicon_place_first(s + at, e - at)))
		return 0;
	size_t ends[4], nw = 0, i = e;
	ends[nw++] = e;
	while (nw < 4 && i + 1 < len && s[i] == ' ') {
		size_t j = i + 1, we = word_end(s, len, j);
		if (we == j)
			break;
		/* a small word only between capitalised ones: "Rio de Janeiro" */
		if (!capital_at(s, len, j) &&
		    (we - j > 4 || we + 1 >= len || s[we] != ' ' || !capital_at(s, len, we + 1) ||
		     !small_packed(pack_lower(s + j, we - j))))
			break;
		ends[nw++] = i = we;
	}
	if (!cue && nw < 2)
		return 0;
	for (size_t k = nw; k-- > 0;) {
		if (k == 0 && !cue)
			break;
		if (!capital_at(s, len, ends[k] - 1) && !is_alpha(s[ends[k] - 1]) && s[ends[k] - 1] < 0x80)
			continue;
		if (!lexicon_place(s + at, ends[k] - at))
			continue;
		if (k == 0 && cue != CUE_PLACE_LABEL && (lexicon_lookup(s + at, ends[k] - at) & (LEX_COMMON | LEX_STOP)))
			break; /* "in Reading", "to Mobile": a word first; "City: Reading" is the city */
		if (k == 0 && person_title(s, at, ends[k]) &&
		    (capital_at(s, len, ends[k] + 1) || (ends[k] + 2 < len && s[ends[k]] == '.')))
			break; /* "assigned to Sig. Marino", "to Bayan Oluş": a title, then the person */
		double score = cue == CUE_PLACE_LABEL ? 0.85 : cue ? 0.75 : 0.6;
		ends[k] = region_after(s, len, ends[k]);
		candidates_push(out, CORDON_LOCATION, at, ends[k], score,
				cue == CUE_PLACE_LABEL ? "a place the gazetteer knows, after a label"
				: cue ? "a place the gazetteer knows, after a preposition"
				      : "a place of several words the gazetteer knows");
		return ends[k];
	}
	return 0;
}

static size_t location_forms(const uchar *s, size_t len, size_t at, size_t d, struct candidates *out);

/* Is the word just before `at` (past one blank) one of the decoy words? */
static int decoy_word_before(const uchar *s, size_t at)
{
	size_t b = word_before_blank(s, at, 10);
	return b < at && wordset_has(&decoys_set, s + b, at - 1 - b);
}

/* --- an address by its structure, no word announcing it ------------------ */

/* Is s[i] a character of Han, kana or a fullwidth digit, the bytes an
 * address in those scripts is written with (not CJK punctuation)? Its
 * length, or 0. */
static size_t cjk_char(const uchar *s, size_t len, size_t i)
{
	if (i + 3 > len || s[i] < 0xE3 || s[i] > 0xE9 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
		return 0;
	if (s[i] == 0xE3 && s[i + 1] == 0x80)
		return 0; /* "、", "。", "「", brackets */
	return 3;
}

/* "奈良県新島村台場21丁目25番15号 五味ヶ谷パーク518", "太原路12号": a block
 * number before 丁目 or 番地, a 番 then a 号, or a road (路 街 道 巷 弄)
 * before a number and 号. Woken at digits glued after such a character;
 * the whole run of the script around them, and the building after a
 * blank, is the address. Its end, pushed; or 0. */
static size_t cjk_address(const uchar *s, size_t len, size_t at, size_t d, struct candidates *out)
{
	static const char chome[] = "\xe4\xb8\x81\xe7\x9b\xae", banchi[] = "\xe7\x95\xaa\xe5\x9c\xb0",
			  ban[] = "\xe7\x95\xaa", go[] = "\xe5\x8f\xb7";
	static const char roads[][4] = { "\xe8\xb7\xaf", "\xe8\xa1\x97", "\xe9\x81\x93", "\xe5\xb7\xb7", "\xe5\xbc\x84" };
	int marked = (d + 6 <= len && (!memcmp(s + d, chome, 6) || !memcmp(s + d, banchi, 6)));
	if (!marked && d + 3 <= len && !memcmp(s + d, ban, 3)) {
		size_t k = d + 3;
		while (k < len && is_digit(s[k]))
			k++;
		marked = k > d + 3 && k + 3 <= len && !memcmp(s + k, go, 3);
	}
	if (!marked && d + 3 <= len && !memcmp(s + d, go, 3) && at >= 3)
		for (size_t k = 0; k < sizeof(roads) / sizeof(*roads) && !marked; k++)
			marked = !memcmp(s + at - 3, roads[k], 3);
	/* "東京都新宿区西新宿2-8-1": the block, lot and house as numbers
	 * joined by '-', after a run that names a prefecture, a city or a ward
	 * (都 道 府 県 市 区 町 村 郡 ending a word of it, not starting the run:
	 * "市场部2-3" is a market's department) */
	int dashed = 0;
	if (!marked && d + 1 < len && s[d] == '-' && is_digit(s[d + 1])) {
		static const char admin[][4] = { "\xe9\x83\xbd", "\xe9\x81\x93", "\xe5\xba\x9c", "\xe7\x9c\x8c",
						 "\xe5\xb8\x82", "\xe5\x8c\xba", "\xe7\x94\xba", "\xe6\x9d\x91",
						 "\xe9\x83\xa1" };
		size_t k = at;
		while (k >= 6 && at - k < 60 && cjk_char(s, len, k - 3) && !dashed) {
			k -= 3;
			if (cjk_char(s, len, k - 3))
				for (size_t a = 0; a < sizeof(admin) / sizeof(*admin) && !dashed; a++)
					dashed = !memcmp(s + k, admin[a], 3);
		}
		marked = dashed;
	}
	if (!marked)
		return 0;
	size_t b = at;
	while (b >= 3 && at - b < 60 && (cjk_char(s, len, b - 3) || is_digit(s[b - 1])))
		b -= is_digit(s[b - 1]) ? 1 : 3;
	while (b < at && is_digit(s[b]))
		b++;
	/* the word that announces it, and its particle, are not its: "住所は" */
	if (at - b > 6 && !memcmp(s + b, "\xe4\xbd\x8f\xe6\x89\x80", 6)) {
		b += 6;
		if (at - b > 3 && !memcmp(s + b, "\xe3\x81\xaf", 3))
			b += 3;
	}
	if (at - b < 6)
		return 0; /* two characters at least: the town's */
	if (dashed) { /* the numbers end it: "…2-8-1です" */
		size_t e = d;
		while (e + 1 < len && s[e] == '-' && is_digit(s[e + 1]))
			for (e++; e < len && is_digit(s[e]); e++)
				;
		candidates_push(out, CORDON_LOCATION, b, e, 0.85,
				"a Japanese address, its block, lot and house joined by '-' after its ward or city");
		return e;
	}
	size_t e = d;
	while (e < len && e - d < 60 && (cjk_char(s, len, e) || is_digit(s[e]) || s[e] == '-'))
		e += cjk_char(s, len, e) ? 3 : 1;
	/* the building after a blank: "五味ヶ谷パーク518" */
	if (e + 1 < len && s[e] == ' ' && cjk_char(s, len, e + 1)) {
		size_t k = e + 1;
		while (k < len && k - e < 60 && (cjk_char(s, len, k) || is_digit(s[k]) || s[k] == '-'))
			k += cjk_char(s, len, k) ? 3 : 1;
		if (is_digit(s[k - 1]))
			e = k;
	}
	candidates_push(out, CORDON_LOCATION, b, e, 0.85, "a Japanese or Chinese address by its markers (丁目, 番, 号)");
	return e;
}

/* Lowercase words that may start a street's name ("plac Orla 83", "вулиця
 * Жданова, 6"): its type, written small in many countries. */
static const char *const street_types_small[] = {
	"plac", "ulica", "ul", "aleja", "al", "osiedle", "rynek", "jalan", "jl", "gang", "lorong", "calle",
	"avenida", "rua", "travessa", "via", "viale", "piazza", "corso", "vicolo", "rue", "avenue", "chemin",
	"\xd0\xb2\xd1\x83\xd0\xbb\xd0\xb8\xd1\x86\xd1\x8f", /* вулиця */
	"\xd1\x83\xd0\xbb\xd0\xb8\xd1\x86\xd0\xb0", /* улица */ "\xd1\x83\xd0\xbb", /* ул */
	"\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd0\xbf\xd0\xb5\xd0\xba\xd1\x82", /* проспект */
	"\xd0\xbd\xd0\xb0\xd0\xb1\xd0\xb5\xd1\x80\xd0\xb5\xd0\xb6\xd0\xbd\xd0\xb0", /* набережна */
	"\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb2\xd1\x83\xd0\xbb\xd0\xbe\xd0\xba", /* провулок */
	"\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd1\x83\xd0\xbb\xd0\xbe\xd0\xba", /* переулок */
	NULL
};
static struct wordset street_types_small_set = WORDSET(street_types_small);

/* Is s[b, e) a word of a street's name: capitalised and no common word of
 * the language nor a product's ("Serra", "Dolnobřežanská")? */
static int street_name_word(const uchar *s, size_t len, size_t b, size_t e)
{
	if (!capital_at(s, len, b))
		return 0;
	if (capital_inside(s, b, e))
		return 0; /* "BitLocker", "OneDrive" */
	return !(lexicon_lookup(s + b, e - b) & (LEX_COMMON | LEX_STOP));
}

/* The start of the street's name before the house number at `at` (words
 * back from it: capitalised ones, the small words between them, "No."
 * just before the number, a lowercase street type first); `at` when none
 * or no word of it is a name's. */
static size_t street_words_back(const uchar *s, size_t len, size_t i, size_t at)
{
	size_t start = at, named = 0;
	for (int words = 0; words < 6 && i > 0; words++) {
		size_t e = i, dot = 0;
		if (s[e - 1] == '.')
			e--, dot = 1;
		size_t b = e;
		while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80 || s[b - 1] == '-' || s[b - 1] == '\'') &&
		       e - b < 40)
			b--;
		if (b == e || (b > 0 && !(s[b - 1] == ' ')) || e - b >= 40)
			break;
		if (dot && words == 0 && e - b <= 2 && (s[b] | 0x20) == 'n') {
			start = b; /* "No. 8", "Nr. 5" */
		} else if (street_name_word(s, len, b, e)) {
			start = b;
			named = 1;
		} else if (!dot && capital_at(s, len, e + 1) && small_packed(pack_lower(s + b, e - b)) && e - b <= 4) {
			; /* "Camino de Roberto": a small word between two of the name */
		} else {
			if (named && wordset_has(&street_types_small_set, s + b, e - b))
				start = b;
			break;
		}
		if (b < 2)
			break;
		i = b - 1;
	}
	return named ? start : at;
}

static size_t street_start(const uchar *s, size_t len, size_t at)
{
	if (at < 2 || s[at - 1] != ' ')
		return at;
	size_t sb = street_words_back(s, len, at - 1, at);
	if (sb < at || at < 4)
		return sb;
	/* "вулиця Жданова, 6", "ул. Рылеева, д. 51": a comma between the
	 * street and its number (and "д." for "house"), when a street type
	 * starts the street */
	size_t c = at - 2;
	if (s[c] == '.') {
		size_t k = c;
		while (k > 0 && s[k - 1] >= 0x80 && c - k < 6)
			k--;
		static const char *const house[] = { "\xd0\xb4", "\xd0\xb1\xd1\x83\xd0\xb4", "\xd0\xb4\xd0\xbe\xd0\xbc", NULL };
		int is_house = 0;
		for (const char *const *h = house; *h && !is_house; h++)
			is_house = strlen(*h) == c - k && !memcmp(s + k, *h, c - k);
		if (!is_house || k < 3 || s[k - 1] != ' ')
			return at;
		c = k - 2;
	}
	if (s[c] != ',' || c < 2)
		return at;
	sb = street_words_back(s, len, c, at);
	size_t we = sb;
	while (we < len && (is_alpha(s[we]) || s[we] >= 0x80))
		we++;
	return sb < at && wordset_has(&street_types_small_set, s + sb, we - sb) ? sb : at;
}

/* A postcode at p: 4-6 digits, "NNN NN" (Czechia, Slovakia, Sweden,
 * Greece), "NN-NNN" (Poland), "NNNNN-NNN" and eight digits (Brazil),
 * ZIP+4; its end, or 0. */
static size_t postcode_at(const uchar *s, size_t len, size_t p)
{
	size_t q = p;
	while (q < len && is_digit(s[q]))
		q++;
	size_t n = q - p;
	if (n == 3 && q + 3 <= len && s[q] == ' ' && is_digit(s[q + 1]) && is_digit(s[q + 2]) &&
	    !(q + 3 < len && is_alnum(s[q + 3])))
		q += 3;
	else if (n == 2 && q + 4 <= len && s[q] == '-' && is_digit(s[q + 1]) && is_digit(s[q + 2]) && is_digit(s[q + 3]))
		q += 4;
	else if (n == 5 && q + 4 <= len && s[q] == '-' && is_digit(s[q + 1]) && is_digit(s[q + 2]) && is_digit(s[q + 3])) {
		q += 4;
		if (q < len && is_digit(s[q]))
			q++; /* ZIP+4 */
	} else if (n < 4 || (n > 6 && n != 8))
		return 0;
	if (q < len && (is_word(s[q]) || s[q] == '%' || ((s[q] == '.' || s[q] == ',' || s[q] == ':') && q + 1 < len && is_digit(s[q + 1]))))
		return 0;
	return q;
}

/* "Incrocio Serra 1, Settimo Patrizio lido, 74439 Gorizia (EN)",
 * "Klouzková 2/7, 111 14 Ždánice", "plac Orla 83, 28-804 Piotrków",
 * "Jalan Kebonjati No. 8, Medan, Aceh 58682", "Ronda Alex Velasco 264,
 * Barcelona, 04490": a street's name, its house number and a comma, then,
 * within four parts, a postcode; the town after the postcode is taken in.
 * Woken at the house number s[at, d). Its end, pushed; or 0. */
static size_t structured_address(const uchar *s, size_t len, size_t at, size_t d, struct candidates *out)
{
	size_t h = d;
	if (h + 1 < len && s[h] == '/' && is_digit(s[h + 1]))
		for (h++; h < len && is_digit(s[h]) && h - d < 5; h++)
			; /* "2/7" */
	else if (h + 1 < len && is_alpha(s[h]) && !is_alpha(s[h + 1]))
		h++; /* "12a" */
	if (h + 1 >= len || s[h] != ',' || s[h + 1] != ' ')
		return 0;
	size_t sb = street_start(s, len, at);
	if (sb == at)
		return 0;
	/* on to a postcode, part by part */
	size_t p = h, pc = 0, pe = 0;
	for (int parts = 0; p < len && p - sb < ADDRESS_MAX; p++) {
		if (address_stop(s, len, p))
			return 0;
		if (s[p] == ',') {
			if (p + 1 < len && s[p + 1] == ' ' && !address_goes_on(s, len, p))
				return 0;
			if (++parts > 4)
				return 0;
			continue;
		}
		if (is_digit(s[p]) && !is_word(s[p - 1]) && s[p - 1] != '$' && s[p - 1] != '#') {
			if ((pe = postcode_at(s, len, p)) && !decoy_word_before(s, p)) {
				pc = p;
				break;
			}
			while (p + 1 < len && is_digit(s[p + 1]))
				p++;
		}
	}
	if (!pc)
		return 0;
	/* the town after it ("74439 Gorizia (EN)", "28-804 Piotrków
	 * Trybunalski", "20431439 Melo / AP") */
	size_t e = pe;
	for (int words = 0; words < 4 && e + 1 < len && s[e] == ' '; words++) {
		size_t w = e + 1;
		if (s[w] == '(' || s[w] == '/' || (s[w] == '-' && w + 1 < len && s[w + 1] == ' ')) {
			/* "(EN)", "/ MT", "- DF": a province's or a state's code */
			size_t k = w + 1 + (s[w] != '(' && w + 1 < len && s[w + 1] == ' ');
			size_t c = k;
			while (c < len && is_upper(s[c]) && c - k < 3)
				c++;
			if (c - k < 2 || (s[w] == '(' && (c >= len || s[c] != ')')) ||
			    (s[w] == '-' && !(c - k == 2 && wordset_has(&br_states_set, s + k, 2) && !(c < len && is_word(s[c])))))
				break;
			e = c + (s[w] == '(');
			break;
		}
		size_t we = town_word_end(s, len, w);
		if (we == w || !(capital_at(s, len, w) || (s[w] >= 0xE0 && words == 0)))
			break;
		if (lexicon_lookup(s + w, we - w) & (LEX_COMMON | LEX_STOP)) {
			/* "Bad Vilbel", "Saint Paul": a word first, a place with the next */
			size_t w2 = we + 1, we2 = town_word_end(s, len, w2);
			if (we < len && s[we] == ' ' && we2 > w2 && capital_at(s, len, w2) && lexicon_place(s + w, we2 - w))
				e = we2;
			break;
		}
		e = we;
	}
	candidates_push(out, CORDON_LOCATION, sb, e, 0.8, "a street, its number and a postcode after a comma");
	return e;
}

/* A version or an IPv4 address: three groups or more, all joined by dots
 * (struct number, described whole). */
static int dotted(const struct number *t)
{
	if (t->n < 3 || t->n > NUMBER_GROUPS)
		return 0;
	for (size_t g = 0; g + 1 < t->n; g++)
		if (t->sep[g] != '.')
			return 0;
	return 1;
}

static size_t location_scan(const uchar *s, size_t len, size_t at, struct candidates *out)
{
	if (!is_digit(s[at]))
		return place_scan(s, len, at, out);
	size_t d = at;
	while (d < len && is_digit(s[d]))
		d++;
	/* no address starts past the first group of a version or an IP
	 * address ("10.0.19041.1"): one the sentence announced is found at its
	 * house number. (A date or a time still wakes the announced address's
	 * reading: "deliver to Baker Street at 14:22" has no other digit.) */
	size_t first = at > 1 && s[at - 1] == '.' && is_digit(s[at - 2]) ? number_start(s, at, NUMBER_GROUPS) : at;
	if (first < at) { /* SIZE_MAX: more groups than dotted() reads */
		struct number t;
		number_read(s, len, first, &t);
		if (dotted(&t))
			return d;
	}
	/* an address announced on the sentence ("my address is ...") is taken
	 * whole, beside whatever form below finds inside it: a house number
	 * or a postcode ("12", "07439"), not a version, a time, an amount or a
	 * share ("10.0.1", "14:22", "$12", "42%") */
	size_t next = 0, cued = 0;
	if (d - at <= 6 && !(at > 0 && (s[at - 1] == '$' || s[at - 1] == '#' || is_alnum(s[at - 1]))) &&
	    !(d + 1 < len && is_alpha(s[d]) && is_alnum(s[d + 1])) && /* "0x8007", "5GB", not "12a" */
	    !(d - at == 4 && d + 5 < len && s[d] == '-' && is_digit(s[d + 1]) && is_digit(s[d + 2]) && s[d + 3] == '-') &&
	    !(d < len && (s[d] == '%' || ((s[d] == '.' || s[d] == ':' || s[d] == ',') && d + 1 < len && is_digit(s[d + 1])))) &&
	    !decoy_word_before(s, at) && /* "error 1958", "port 3389", "build 21653" */
	    address_after_cue(out, s, len, at, &next))
		cued = next;
	size_t r = location_forms(s, len, at, d, out);
	return r > cued ? r : cued;
}

/* The city written before a state's code at `start`, after ", "
 * ("Redmond, WA"): its start, or start when none. */
static size_t city_before(const uchar *s, size_t start)
{
	if (start < 3 || s[start - 1] != ' ' || s[start - 2] != ',')
		return start;
	size_t c = start - 2, b = c;
	while (b > 0 && (is_alpha(s[b - 1]) || s[b - 1] >= 0x80 || (s[b - 1] == ' ' && b >= 2 && is_alpha(s[b - 2]) && c - b < 24)))
		b--;
	while (b < c && !capital_at(s, c, b)) /* "Şamahaven", "Ålesund" too */
		b++;
	return b < c && capital_at(s, c, b) ? b : start;
}

/* A Brazilian CEP at `at` (d: its first run's end), "01310-100" or
 * "01310100", then its town and " / UF" or " - UF": the end of the state,
 * or 0. */
static size_t cep_town_state(const uchar *s, size_t len, size_t at, size_t d)
{
	size_t e = d;
	if (d - at == 5 && d + 4 <= len && s[d] == '-' && is_digit(s[d + 1]) && is_digit(s[d + 2]) && is_digit(s[d + 3]))
		e = d + 4;
	else if (d - at != 8)
		return 0;
	if (e < len && is_word(s[e]))
		return 0;
	size_t i = e;
	for (int words = 0; words < 6; words++) {
		if (i + 1 >= len || s[i] != ' ')
			return 0;
		size_t w = i + 1, we = word_end(s, len, w);
		if (we == w)
			break;
		if (!(capital_at(s, len, w) || s[w] >= 0x80 || name_particle(s, w, we)))
			return 0;
		i = we;
	}
	if (i == e || i + 5 > len || s[i] != ' ' || (s[i + 1] != '/' && s[i + 1] != '-') || s[i + 2] != ' ' ||
	    !wordset_has(&br_states_set, s + i + 3, 2) || (i + 5 < len && is_word(s[i + 5])))
		return 0;
	return i + 5;
}

/* The forms of four countries, and postcodes: see the top of this file. */
static size_t location_forms(const uchar *s, size_t len, size_t at, size_t d, struct candidates *out)
{
	/* a UK postcode whose area letters (capitals) are just before */
	for (size_t back = 1; back <= 2 && back <= at && is_upper(s[at - 1]); back++) {
		size_t pc = uk_postcode(s, len, at - back);
		if (pc) {
			/* and the lines before it: "12 Orchard Forges, Tillbury, " */
			candidates_push(out, CORDON_LOCATION, lines_before(s, at - back), pc, 0.85, "UK postcode");
			return pc;
		}
	}
	if (at > 0 && s[at - 1] >= 0x80) {
		/* "台場21丁目": inside another script's words, a Japanese or
		 * Chinese address by its own markers, else only an announced one */
		size_t r = cjk_address(s, len, at, d, out);
		return r ? r : d;
	}
	if (at > 0 && (is_word(s[at - 1]) || s[at - 1] == '.' || s[at - 1] == '-'))
		return d;
	/* a Brazilian CEP, its town and state, and the lines before it */
	size_t br = cep_town_state(s, len, at, d);
	if (br) {
		candidates_push(out, CORDON_LOCATION, lines_before(s, at), br, 0.85, "Brazilian CEP, town and state (/ UF)");
		return br;
	}
	int strong = 0;
	/* a house number then the street */
	if (d - at <= 5) {
		size_t st = street_after_number(s, len, at, d);
		if (st) {
			size_t end = tail(s, len, st, &strong);
			/* a unit's word before its number: "Flat 53v, Walsh Drive";
			 * the lines before it: "Unit 5, 17 Rue de Rivoli" */
			size_t u = at >= 2 && s[at - 1] == ' ' ? word_back(s, at > 24 ? at - 24 : 0, at - 1) : at;
			size_t lb = lines_before(s, at);
			candidates_push(out, CORDON_LOCATION,
					lb < at ? lb : u < at - 1 && line_token(s, u, at - 1) == LT_UNIT ? u : at, end,
					strong ? 0.95 : 0.9,
					strong ? "house number, street, city or postcode" : "house number and street");
			return end;
		}
		size_t sb = street_before_number(s, at);
		if (sb < at) {
			size_t e = d;
			if (e < len && is_alpha(s[e]) && !(e + 1 < len && is_alpha(s[e + 1])))
				e++; /* "12a" */
			else if (e + 1 < len && s[e] == '/' && is_digit(s[e + 1]))
				for (e++; e < len && is_digit(s[e]) && e - d < 5; e++)
					; /* "4/0" */
			if (!(e < len && is_word(s[e]))) {
				e = tail(s, len, e, &strong);
				candidates_push(out, CORDON_LOCATION, sb, e, strong ? 0.95 : 0.9,
						"street and house number");
				return e;
			}
		}
	}
	/* any country's street before its number, then a postcode after a comma */
	if (d - at <= 4) {
		size_t r = structured_address(s, len, at, d, out);
		if (r)
			return r;
	}
	/* a US ZIP after a state code: "Redmond, WA 98052", and "Boston, MA
	 * 02110" with the two blanks of the USPS's old style */
	size_t z = zip_at(s, len, at);
	size_t st = at >= 4 && s[at - 1] == ' ' && (s[at - 2] == ' ' || s[at - 2] == ',') ? at - 4 : at - 3;
	if (z && at >= 3 && s[at - 1] == ' ' && wordset_has(&us_states_set, s + st, 2) &&
	    (st == 0 || !is_word(s[st - 1]))) {
		/* and the city before ("Redmond, "), and the lines before it
		 * ("4410 Maple Center, "); with no city, the digits must be
		 * the state's, or a word announce an address ("ship to CA
		 * 14043": a ZIP mistyped is still one); a comma after the
		 * state ("Houston, TX, 77056") only after a city */
		size_t city = city_before(s, st);
		int comma = s[at - 2] == ',';
		if (city < st || (!comma && (zip_in_state(s + st, s + at) || cue_before_digit(out, s, len, at)))) {
			candidates_push(out, CORDON_LOCATION, lines_before(s, city), z, 0.85, "US state and ZIP code");
			return z;
		}
	}
	/* a Mexican postcode after its state, a town before them: "San Ángel,
	 * CDMX 01000", "Mérida, YUC 97000" */
	if (z && at >= 6 && s[at - 1] == ' ') {
		size_t b = at - 1;
		while (b > 0 && is_upper(s[b - 1]) && at - 1 - b < 5)
			b--;
		if (at - 1 - b >= 2 && b >= 3 && s[b - 1] == ' ' && s[b - 2] == ',' &&
		    wordset_has(&mx_states_set, s + b, at - 1 - b)) {
			size_t c = city_before(s, b);
			if (c < b && !(lexicon_lookup(s + c, word_end(s, b, c) - c) & (LEX_COMMON | LEX_STOP))) {
				/* (not "Windows, VER 10234") */
				candidates_push(out, CORDON_LOCATION, lines_before(s, c), z, 0.85,
						"Mexican state and postcode after a town");
				return z;
			}
		}
	}
	/* a US military address: "APO AE 09012", "FPO AP 96349", "DPO AA 34001",
	 * after its unit's and box's lines ("PSC 2951, Box 6737, ") */
	if (z && at >= 7 && s[at - 1] == ' ' && s[at - 4] == ' ' && s[at - 3] == 'A' &&
	    (s[at - 2] == 'A' || s[at - 2] == 'E' || s[at - 2] == 'P') && s[at - 6] == 'P' && s[at - 5] == 'O' &&
	    (s[at - 7] == 'A' || s[at - 7] == 'F' || s[at - 7] == 'D') && (at == 7 || !is_word(s[at - 8]))) {
		candidates_push(out, CORDON_LOCATION, lines_before(s, at - 7), z, 0.85, "a US military address (APO, FPO, DPO)");
		return z;
	}
	/* a house number or a postcode ("12", "07439", "12 377"), not a
	 * version, a time, an amount or a share ("10.0.1", "14:22", "$12", "42%") */

	/* five digits then a city: "10115 Berlin", "75002 Paris" */
	if ((d - at == 5 || d - at == 4) && d + 1 < len && s[d] == ' ' && is_upper(s[d + 1])) {
		size_t c = word_end(s, len, d + 1);
		unsigned f = lexicon_lookup(s + d + 1, c - d - 1);
		if (c > d + 2 && !(f & LEX_STOP) && !(c < len && is_digit(s[c])))
			/* a known city takes the lines before it: "Postfach 12 34, " */
			candidates_push(out, CORDON_LOCATION, (f & LEX_CITY) ? lines_before(s, at) : at, c,
					(f & LEX_CITY) ? 0.85 : 0.4,
					(f & LEX_CITY) ? "postcode and known city" : "postcode and city");
		return c;
	}
	return d;
}

/* After a version's or a date's dash or dot (DIGIT_TAIL) only an address a
 * word announced starts, and not at a run that goes on as a number
 * ("10.0.1", "14:22", "1,5") or a share ("42%"): location_scan's test. */
static int location_edges(unsigned kind, unsigned before, unsigned after)
{
	(void)before;
	return kind != DIGIT_TAIL || (after != AFTER_SEP_DIGIT && after != AFTER_PERCENT);
}

/* A version's or an IP address's groups after the first: location_scan's
 * test. */
static unsigned location_number(const struct number *t)
{
	return dotted(t) ? 1u : ~0u;
}

static struct wordset context_words = WORDSET(context);

const struct detector detector_location = {
	.entity = CORDON_LOCATION,
	.name = "LOCATION",
	.triggers = TRIGGER_DIGIT | TRIGGER_WORD_CAPITAL,
	.digits = DIGIT_ANY,
	/* a house number or a postcode, up to six digits, unless glued to
	 * another script's word ("三ノ輪40丁目") or a UK postcode's area */
	.runs = { [RUNS_TAIL] = RUN_LENS(1, 6), [RUNS_OTHER] = RUN_LENS(1, 6) | RUN_LEN(8) }, /* and a CEP's 8 */
	.edges = location_edges,
	.number = location_number,
	.scan = location_scan,
	.context = &context_words,
	.decoys = &decoys_set,
};
