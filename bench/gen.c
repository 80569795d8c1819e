/* cordon-gen: a seeded generator of realistic support records (chat lines, or
 * JSON-lines cases) holding personal data in standard and disguised forms
 * beside things that must survive (builds, KB ids, HRESULTs, prices, case
 * numbers, paths). With --values/--decoys it lists exactly what it inserted,
 * as the bytes appear in the output, so tests can check recall and survival;
 * --names/--addresses list the names and postal addresses it wrote. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 42;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }
#define ONE_OF(a) (a[pick(sizeof(a) / sizeof(*a))])

static const char *const first_names[] = {
	"john", "maria", "wei", "fatima", "olga", "pierre", "anke", "raj", "yuki", "carlos",
	"emma", "noah", "aisha", "lars", "sofia", "mohammed", "chen", "giulia", "jan", "priya",
};
static const char *const last_names[] = {
	"smith", "garcia", "zhang", "khan", "ivanova", "dubois", "mueller", "patel", "tanaka",
	"silva", "jones", "nielsen", "rossi", "kowalski", "obrien", "nguyen", "schmidt", "lee",
};
static const char *const domains[][2] = {
	{ "contoso", "com" }, { "fabrikam", "co.uk" }, { "northwind", "de" }, { "adatum", "fr" },
	{ "tailspin", "io" }, { "wingtip", "net" }, { "litware", "org" }, { "mail.proseware", "com" },
};

/* Names and addresses for PERSON and LOCATION. About a quarter of the given
 * and family names are on no list in data/names, so only the context can
 * find them: the share caught measures context as well as the lists. */
static const char *const given[] = {
	"Priya", "Chinedu", "Maria", "Wei", "Fatima", "Olga", "Pierre", "Anke", "Rajesh", "Yuki",
	"Carlos", "Emma", "Aisha", "Lars", "Sofia", "Mohammed", "Giulia", "Kwame", "Hiroshi",
	"Svetlana", "Mehmet", "Aoife", "Thandiwe", "Jürgen", "Amélie", "Santiago", "Nguyen",
	"Sean", "Ingrid", "Tomasz", "Ananya", "Oluwaseun", "Hana", "Diego", "Leila", "Bongani",
	"Xochitl", "Eluned", "Tavita", "Nalani", "Ikaika", "Zhyldyz", "Bolormaa", "Nurlan",
	"Aigerim", "Teodora", "Radomir", "Kalani", "Ximun", "Iolanthe", "Mirela", "Ceridwen",
};
static const char *const family[] = {
	"Natarajan", "Okafor", "Garcia", "Zhang", "Khan", "Ivanova", "Dubois", "Müller", "Patel",
	"Tanaka", "Silva", "Jones", "Nielsen", "Rossi", "Kowalski", "O'Brien", "Schmidt", "Mensah",
	"Kamau", "Yilmaz", "Haddad", "Johansson", "Kim", "Fernandes", "Novak", "Dlamini", "Quispe",
	"Papadopoulos", "Sato", "Hernandez", "Moreau", "Bianchi", "Adeyemi", "Kowalczyk",
	"Tuilagi", "Kahananui", "Batbayar", "Abenov", "Zhakupova", "Vukovic", "Aberdeen-Lloyd",
	"Dragomir", "Etxeberria", "Lindqvist", "Ferreira-Mota", "Oyelaran", "Rautenbach",
};

struct out {
	char *buf;
	size_t len, cap;
	int json;
	FILE *values, *decoys, *names, *addresses;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n * 2 + 8 > o->cap) {
		o->cap = (o->len + n * 2 + 8) * 2;
		o->buf = realloc(o->buf, o->cap);
		if (!o->buf)
			exit(2);
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (o->json && (c == '"' || c == '\\'))
			o->buf[o->len++] = '\\';
		o->buf[o->len++] = c;
	}
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

/* Writes s and lists it (as written) in f. */
static void put_listed(struct out *o, FILE *f, const char *s)
{
	size_t start = o->len;
	puts_(o, s);
	if (f) {
		fwrite(o->buf + start, 1, o->len - start, f);
		fputc('\n', f);
	}
}

static void value(struct out *o, const char *s) { put_listed(o, o->values, s); }
static void decoy(struct out *o, const char *s) { put_listed(o, o->decoys, s); }
static void address_value(struct out *o, const char *s) { put_listed(o, o->addresses, s); }

/* A name: each of its words is listed on a line of its own, so a test can
 * count the words left over when only part of a name was caught. */
static void name_value(struct out *o, const char *first, const char *last)
{
	puts_(o, first ? first : "");
	if (first && last)
		puts_(o, " ");
	puts_(o, last ? last : "");
	if (o->names) {
		if (first)
			fprintf(o->names, "%s\n", first);
		if (last)
			fprintf(o->names, "%s\n", last);
	}
}

static void person(struct out *o)
{
	const char *f = ONE_OF(given), *l = ONE_OF(family);
	switch (pick(14)) {
	case 0: puts_(o, "Hi, this is "); name_value(o, f, l); puts_(o, " from accounting."); break;
	case 1: puts_(o, "My name is "); name_value(o, f, l); puts_(o, " and I cannot sign in."); break;
	case 2: puts_(o, "I'm "); name_value(o, f, NULL); puts_(o, ", the account owner."); break;
	case 3: puts_(o, "Please ask for Mr. "); name_value(o, NULL, l); puts_(o, " at reception."); break;
	case 4: puts_(o, "Dear Ms "); name_value(o, NULL, l); puts_(o, ", your case is solved."); break;
	case 5: name_value(o, f, l); puts_(o, ": the laptop restarted again on Monday."); break;
	case 6: puts_(o, "Hi "); name_value(o, f, NULL); puts_(o, ", thanks for the details."); break;
	case 7: puts_(o, "Thanks, "); name_value(o, f, NULL); break;
	case 8: puts_(o, "Kind regards, "); name_value(o, f, l); break;
	case 9: puts_(o, "I spoke with "); name_value(o, f, l); puts_(o, " yesterday about Windows Update."); break;
	case 10: puts_(o, "The case was escalated to "); name_value(o, f, l); puts_(o, " in tier 2."); break;
	case 11: name_value(o, f, l); puts_(o, " reported the same fault on the Surface Pro in March."); break;
	case 12: puts_(o, "The files belong to "); name_value(o, f, l); puts_(o, ", not to the team."); break;
	default: puts_(o, "Yesterday "); name_value(o, f, NULL); puts_(o, " said Microsoft Teams crashed."); break;
	}
}

static void address(struct out *o)
{
	static const char *const us_streets[] = { "Maple", "Oak", "Cedar", "Washington", "Lakeview", "Main",
						  "Sunset", "Jefferson", "Highland", "Willow" };
	static const char *const us_types[] = { "Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive",
						"Lane", "Blvd", "Way", "Court" };
	static const char *const us_cities[][2] = { { "Springfield", "IL" }, { "Redmond", "WA" },
						    { "Austin", "TX" }, { "Denver", "CO" },
						    { "Portland", "OR" }, { "Salt Lake City", "UT" } };
	static const char *const uk[][2] = { { "London", "SW1A 2AA" }, { "Manchester", "M1 1AE" },
					     { "Leeds", "LS1 4AP" }, { "Birmingham", "B33 8TH" },
					     { "London", "EC1A 1BB" } };
	static const char *const uk_streets[] = { "High Street", "Station Road", "Church Lane",
						  "Victoria Road", "Mill Lane" };
	static const char *const de_streets[] = { "Lindenstraße", "Hauptstraße", "Bahnhofstr.",
						  "Goetheweg", "Schillerplatz", "Berliner Straße" };
	static const char *const de_cities[][2] = { { "10115", "Berlin" }, { "80331", "München" },
						    { "50667", "Köln" }, { "04109", "Leipzig" },
						    { "61118", "Bad Vilbel" } };
	static const char *const fr_streets[] = { "rue de la Paix", "avenue Victor Hugo",
						  "boulevard Saint-Michel", "rue de Rivoli", "place Bellecour" };
	static const char *const fr_cities[][2] = { { "75002", "Paris" }, { "69002", "Lyon" },
						    { "13001", "Marseille" }, { "31000", "Toulouse" } };
	static const char *const intro[] = { "Please ship the replacement to ", "My address is ",
					     "Lieferadresse: ", "Envoyez la facture au ", "Send it to " };
	char v[160], unit[24] = "";
	if (pick(3) == 0)
		snprintf(unit, sizeof(unit), " Apt %u%c", 1 + pick(30), 'A' + pick(4));
	switch (pick(4)) {
	case 0: {
		const char *const *c = us_cities[pick(sizeof(us_cities) / sizeof(*us_cities))];
		snprintf(v, sizeof(v), "%u %s %s%s, %s, %s %05u", 1 + pick(9999), ONE_OF(us_streets),
			 ONE_OF(us_types), unit, c[0], c[1], 10000 + pick(89999));
		break;
	}
	case 1: {
		const char *const *c = uk[pick(sizeof(uk) / sizeof(*uk))];
		snprintf(v, sizeof(v), "%u %s, %s %s", 1 + pick(300), ONE_OF(uk_streets), c[0], c[1]);
		break;
	}
	case 2: {
		const char *const *c = de_cities[pick(sizeof(de_cities) / sizeof(*de_cities))];
		snprintf(v, sizeof(v), "%s %u%s, %s %s", ONE_OF(de_streets), 1 + pick(120),
			 pick(4) ? "" : "a", c[0], c[1]);
		break;
	}
	default: {
		const char *const *c = fr_cities[pick(sizeof(fr_cities) / sizeof(*fr_cities))];
		snprintf(v, sizeof(v), "%u %s, %s %s", 1 + pick(200), ONE_OF(fr_streets), c[0], c[1]);
		break;
	}
	}
	puts_(o, ONE_OF(intro));
	address_value(o, v);
	puts_(o, pick(2) ? "." : " please, before Friday.");
}

static void email(struct out *o)
{
	char local[64], v[160];
	const char *const *dom = domains[pick(sizeof(domains) / sizeof(*domains))];
	const char *f = ONE_OF(first_names), *l = ONE_OF(last_names);
	switch (pick(4)) {
	case 0: snprintf(local, sizeof(local), "%s.%s", f, l); break;
	case 1: snprintf(local, sizeof(local), "%c%s%u", f[0], l, pick(100)); break;
	case 2: snprintf(local, sizeof(local), "%s+support", f); break;
	default: snprintf(local, sizeof(local), "%s_%s", f, l); break;
	}
	char dotted[64];
	snprintf(dotted, sizeof(dotted), "%s", dom[1]);
	switch (pick(12)) {
	case 0: case 1: case 2: snprintf(v, sizeof(v), "%s@%s.%s", local, dom[0], dom[1]); break;
	case 3: snprintf(v, sizeof(v), "%s @ %s %s", local, dom[0], dom[1]); break;
	case 4: snprintf(v, sizeof(v), "%s at %s dot %s", local, dom[0], dom[1]); break;
	case 5: snprintf(v, sizeof(v), "%s [at] %s [dot] %s", local, dom[0], dom[1]); break;
	case 6: snprintf(v, sizeof(v), "%s(at)%s(dot)%s", local, dom[0], dom[1]); break;
	case 7: snprintf(v, sizeof(v), "%s\xEF\xBC\xA0%s\xEF\xBC\x8E%s", local, dom[0], dom[1]); break;
	case 8: snprintf(v, sizeof(v), "%s&#64;%s.%s", local, dom[0], dom[1]); break;
	case 9: snprintf(v, sizeof(v), "%s%%40%s.%s", local, dom[0], dom[1]); break;
	case 10: snprintf(v, sizeof(v), "%s AT %s DOT %s", local, dom[0], dom[1]); break;
	default: snprintf(v, sizeof(v), "%s@%s[.]%s", local, dom[0], dom[1]); break;
	}
	value(o, v);
}

static void digits(char *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (char)('0' + pick(10));
	p[n] = '\0';
}

static void phone(struct out *o)
{
	char v[64], a[8], b[8], c[8];
	digits(a, 3);
	a[0] = (char)('2' + pick(8));
	digits(b, 3);
	b[0] = (char)('2' + pick(8));
	digits(c, 4);
	switch (pick(7)) {
	case 0: snprintf(v, sizeof(v), "(%s) %s-%s", a, b, c); break;
	case 1: snprintf(v, sizeof(v), "%s-%s-%s", a, b, c); break;
	case 2: snprintf(v, sizeof(v), "+1 %s %s %s", a, b, c); break;
	case 3: snprintf(v, sizeof(v), "+44 20 %s %s", c, c); break;
	case 4: snprintf(v, sizeof(v), "+49 30 %s%s", b, c); break;
	case 5: snprintf(v, sizeof(v), "0%c %c%c %c%c %c%c %c%c", '1' + pick(6), c[0], c[1], c[2], c[3],
			 b[0], b[1], a[1], a[2]); break;
	default: snprintf(v, sizeof(v), "%s.%s.%s", a, b, c); break;
	}
	value(o, v);
}

static void card(struct out *o)
{
	char d[17], v[32];
	d[0] = '4';
	for (int i = 1; i < 15; i++)
		d[i] = (char)('0' + pick(10));
	unsigned sum = 0; /* Luhn check digit for position 16 */
	for (int i = 14, k = 1; i >= 0; i--, k++) {
		unsigned x = (unsigned)(d[i] - '0');
		if (k & 1) {
			x *= 2;
			if (x > 9)
				x -= 9;
		}
		sum += x;
	}
	d[15] = (char)('0' + (10 - sum % 10) % 10);
	d[16] = '\0';
	if (pick(2))
		snprintf(v, sizeof(v), "%.4s %.4s %.4s %.4s", d, d + 4, d + 8, d + 12);
	else
		snprintf(v, sizeof(v), "%s", d);
	value(o, v);
}

static void iban(struct out *o)
{
	char bban[19], v[40];
	digits(bban, 18);
	/* check digits: 98 - (BBAN + "DE00" as digits) mod 97; D=13, E=14 */
	char num[32];
	snprintf(num, sizeof(num), "%s131400", bban);
	unsigned r = 0;
	for (char *p = num; *p; p++)
		r = (r * 10 + (unsigned)(*p - '0')) % 97;
	unsigned check = 98 - r;
	snprintf(v, sizeof(v), "DE%02u %.4s %.4s %.4s %.4s %.2s", check, bban, bban + 4, bban + 8,
		 bban + 12, bban + 16);
	value(o, v);
}

static void ip(struct out *o)
{
	char v[64];
	if (pick(4) == 0)
		snprintf(v, sizeof(v), "2001:db8:%x::%x", pick(0xffff), 1 + pick(0xfff));
	else
		snprintf(v, sizeof(v), "%u.%u.%u.%u", 11 + pick(180), pick(256), pick(256), 1 + pick(254));
	value(o, v);
}

static void secret(struct out *o)
{
	static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
	char v[64], p[16];
	for (int i = 0; i < 12; i++)
		p[i] = alnum[pick(sizeof(alnum) - 1)];
	p[12] = '\0';
	switch (pick(3)) {
	case 0:
		puts_(o, "temporary password is ");
		snprintf(v, sizeof(v), "%s!", p);
		break;
	case 1:
		puts_(o, "key AKIA");
		for (int i = 0; i < 16; i++)
			v[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[pick(32)];
		v[16] = '\0';
		break;
	default:
		puts_(o, "password: ");
		snprintf(v, sizeof(v), "%s", p);
		break;
	}
	value(o, v);
}

static void build_decoys(struct out *o)
{
	char v[64];
	switch (pick(8)) {
	case 0: snprintf(v, sizeof(v), "10.0.%u.%u", 19041 + pick(4000), pick(4000)); break;
	case 1: snprintf(v, sizeof(v), "KB50%05u", pick(100000)); break;
	case 2: snprintf(v, sizeof(v), "0x8007%04X", pick(0x10000)); break;
	case 3: snprintf(v, sizeof(v), "2024-%02u-%02u %02u:%02u:%02u", 1 + pick(12), 1 + pick(28),
			 pick(24), pick(60), pick(60)); break;
	case 4: snprintf(v, sizeof(v), "$%u.%02u", 1 + pick(2000), pick(100)); break;
	case 5: snprintf(v, sizeof(v), "Case #%u", 100000000u + pick(900000000u)); break;
	case 6: snprintf(v, sizeof(v), "16.0.%u.%u", 14000 + pick(3000), 20000 + pick(9000)); break;
	default: snprintf(v, sizeof(v), "C:\\Users\\Public\\Logs\\setup%u.log", pick(100)); break;
	}
	decoy(o, v);
}

static const char *const openers[] = {
	"Hi, my name is Sam and my email is ", "You can reach me at ", "Please send it to ",
	"My contact: ", "Customer wrote from ", "email me: ", "Forwarding to ",
};

/* Most of a support chat is prose: troubleshooting talk with no personal
 * data, now and then a number that must stay. */
static const char *const prose[] = {
	"Thanks for contacting support, I will be happy to help you with this today.",
	"Could you please restart the application and let me know if the problem persists?",
	"I have tried clearing the cache and signing out and back in, but it still does not sync.",
	"Let me check the configuration on our side, this may take a few minutes.",
	"The issue started after the latest update was installed on my laptop yesterday evening.",
	"Please open Settings, go to Accounts, select the profile and choose Repair.",
	"I understand how frustrating this is, and I appreciate your patience while we look into it.",
	"Our engineering team is aware of a similar problem and is working on a fix.",
	"Is the device connected to the corporate network or to a home connection?",
	"It works on my phone but not on the desktop, which is strange.",
	"I have escalated this to the second level team and they will follow up by tomorrow.",
	"Can you share a screenshot of the error message you are seeing?",
	"The sync icon shows a red cross and the files are not uploaded.",
	"We recommend that you keep automatic updates turned on to receive security fixes.",
	"Is there anything else I can help you with today?",
};

static void chat_line_data(struct out *o);

static void chat_line(struct out *o)
{
	if (pick(10) < 7) {
		puts_(o, ONE_OF(prose));
		if (pick(3) == 0) {
			puts_(o, " ");
			puts_(o, ONE_OF(prose));
		}
		return;
	}
	chat_line_data(o);
}

/* A line that carries personal data (or, one time in thirteen, only decoys). */
static void chat_line_data(struct out *o)
{
	switch (pick(13)) {
	case 10: case 11:
		person(o);
		break;
	case 12:
		address(o);
		break;
	case 0: case 1:
		puts_(o, ONE_OF(openers));
		email(o);
		puts_(o, pick(2) ? " thanks" : ", or call ");
		if (o->buf[o->len - 1] == ' ')
			phone(o);
		break;
	case 2:
		puts_(o, "Still failing with ");
		build_decoys(o);
		puts_(o, " after update ");
		build_decoys(o);
		puts_(o, ", please advise");
		break;
	case 3:
		puts_(o, "Call me back on ");
		phone(o);
		puts_(o, " after 5pm.");
		break;
	case 4:
		puts_(o, "The server at ");
		ip(o);
		puts_(o, " rejects port 9200 since ");
		build_decoys(o);
		break;
	case 5:
		puts_(o, "Refund to card ");
		card(o);
		puts_(o, " or IBAN ");
		iban(o);
		puts_(o, " for ");
		build_decoys(o);
		break;
	case 6:
		puts_(o, "Agent: I reset it, your ");
		secret(o);
		puts_(o, " - see https://learn.microsoft.com/en-us/troubleshoot/ for ");
		build_decoys(o);
		break;
	default:
		puts_(o, "Agent: thanks for waiting, I am checking ");
		build_decoys(o);
		puts_(o, " and the logs in ");
		build_decoys(o);
		break;
	}
}

/* A dense chat (issue 13, item 6): no long prose, one personal-data item
 * every ~160 bytes beside products and decoys, greetings before products
 * ("Hi, Teams keeps crashing"), names, numbers. */
static const char *const products[] = {
	"Teams", "Outlook", "Windows Update", "OneDrive", "Azure DevOps", "Excel", "SharePoint", "Intune",
	"Defender", "Edge", "Power BI", "Visual Studio", "Exchange Online", "BitLocker", "Surface Pro",
};
static const char *const greetings[] = { "Hi, ", "Hello, ", "Good morning, ", "Hey, ", "Thanks, " };
static const char *const troubles[] = {
	" keeps crashing after ", " fails with ", " is stuck at ", " shows ", " stopped syncing since ",
};

static void dense_line(struct out *o)
{
	if (pick(2)) {
		puts_(o, ONE_OF(greetings));
		puts_(o, ONE_OF(products));
		puts_(o, ONE_OF(troubles));
		build_decoys(o);
		return;
	}
	chat_line_data(o);
}

/* `az network nsg list` output: nsgs NSGs of rules inbound rules each, a
 * realistic mix of allows and denies, CIDRs and tags, ports and ranges,
 * singular and plural fields. */
static void nsg_list(unsigned nsgs, unsigned rules)
{
	static const char *const tags[] = { "Internet", "*", "VirtualNetwork", "AzureLoadBalancer", "AzureCloud",
					    "Storage.WestEurope" };
	static const char *const ports[] = { "22", "443", "3389", "9200", "9200-9300", "5432", "6379", "*",
					     "1000-2000", "27017", "11211", "8080" };
	printf("[\n");
	for (unsigned n = 0; n < nsgs; n++) {
		printf("{\"name\":\"nsg-%05u\",\"location\":\"westeurope\",\"securityRules\":[", n);
		for (unsigned r = 0; r < rules; r++) {
			char src[64];
			if (pick(3) == 0)
				snprintf(src, sizeof(src), "\"%s\"", ONE_OF(tags));
			else
				snprintf(src, sizeof(src), "\"%u.%u.%u.0/%u\"", 1 + pick(223), pick(256), pick(256),
					 16 + pick(17));
			int plural_src = pick(2), plural_port = pick(2);
			printf("%s{\"name\":\"rule-%u\",\"priority\":%u,\"direction\":\"%s\",\"access\":\"%s\","
			       "\"protocol\":\"%s\",",
			       r ? "," : "", r, 100 + r * 10, pick(8) ? "Inbound" : "Outbound", pick(3) ? "Allow" : "Deny",
			       pick(4) ? "Tcp" : pick(2) ? "Udp" : "*");
			if (plural_src)
				printf("\"sourceAddressPrefixes\":[%s,\"10.%u.0.0/16\"],", src, pick(256));
			else
				printf("\"sourceAddressPrefix\":%s,", src);
			printf("\"sourcePortRange\":\"*\",\"destinationAddressPrefix\":\"*\",");
			if (plural_port)
				printf("\"destinationPortRanges\":[\"%s\",\"%s\"]}", ONE_OF(ports), ONE_OF(ports));
			else
				printf("\"destinationPortRange\":\"%s\"}", ONE_OF(ports));
		}
		printf("]}%s\n", n + 1 < nsgs ? "," : "");
	}
	printf("]\n");
}

int main(int argc, char **argv)
{
	unsigned long long size = 1 << 20;
	const char *values = NULL, *decoys = NULL, *names = NULL, *addresses = NULL;
	unsigned nsgs = 1000, rules = 100;
	int nsg = 0, dense = 0;
	struct out o = { 0 };
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 10) * 2654435761u + 1;
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			size = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			o.json = !strcmp(argv[++i], "jsonl");
			nsg = !strcmp(argv[i], "nsg");
		} else if (!strcmp(argv[i], "--dense"))
			dense = 1;
		else if (!strcmp(argv[i], "--nsgs") && i + 1 < argc)
			nsgs = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--rules") && i + 1 < argc)
			rules = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--values") && i + 1 < argc)
			values = argv[++i];
		else if (!strcmp(argv[i], "--decoys") && i + 1 < argc)
			decoys = argv[++i];
		else if (!strcmp(argv[i], "--names") && i + 1 < argc)
			names = argv[++i];
		else if (!strcmp(argv[i], "--addresses") && i + 1 < argc)
			addresses = argv[++i];
		else {
			fprintf(stderr, "usage: cordon-gen [--seed N] [--size BYTES] [--format text|jsonl|nsg]"
					" [--dense] [--nsgs N] [--rules N]"
					" [--values FILE] [--decoys FILE] [--names FILE] [--addresses FILE]\n");
			return 2;
		}
	}
	if ((values && !(o.values = fopen(values, "w"))) || (decoys && !(o.decoys = fopen(decoys, "w"))) ||
	    (names && !(o.names = fopen(names, "w"))) || (addresses && !(o.addresses = fopen(addresses, "w")))) {
		perror("cordon-gen");
		return 2;
	}
	if (nsg) {
		nsg_list(nsgs, rules);
		return fflush(stdout) ? 2 : 0;
	}
	unsigned long long written = 0, n = 0;
	while (written < size) {
		o.len = 0;
		n++;
		if (o.json) {
			o.json = 0;
			char head[160];
			snprintf(head, sizeof(head),
				 "{\"case_id\":\"CS-%08llu\",\"channel\":\"chat\",\"priority\":%u,\"messages\":[",
				 n, 1 + pick(4));
			puts_(&o, head);
			unsigned m = 1 + pick(3);
			for (unsigned k = 0; k < m; k++) {
				o.json = 0;
				puts_(&o, k ? ",{\"from\":\"" : "{\"from\":\"");
				puts_(&o, k & 1 ? "agent" : "customer");
				puts_(&o, "\",\"text\":\"");
				o.json = 1;
				dense ? dense_line(&o) : chat_line(&o);
				o.json = 0;
				puts_(&o, "\"}");
			}
			puts_(&o, "],\"resolved\":");
			puts_(&o, pick(2) ? "true}" : "false}");
			o.json = 1;
		} else {
			dense ? dense_line(&o) : chat_line(&o);
		}
		put(&o, "\n", 1);
		fwrite(o.buf, 1, o.len, stdout);
		written += o.len;
	}
	free(o.buf);
	if (o.values)
		fclose(o.values);
	if (o.decoys)
		fclose(o.decoys);
	if (o.names)
		fclose(o.names);
	if (o.addresses)
		fclose(o.addresses);
	return fflush(stdout) ? 2 : 0;
}
