/* EMAIL_ADDRESS: every written form caught, prose and look-alikes kept. */
#include "detect_cases.h"
#include <pthread.h>
#include "detect/psl.h"

static const struct detect_case cases[] = {
	{ "mail john.smith@contoso.com now", "john.smith@contoso.com" },
	/* a suffix the PSL does not know: internal domains, a word glued on */
	{ "jsmith@corp.local signs in", "jsmith@corp.local" },
	{ "UPN: j.smith@contoso.internal.", "j.smith@contoso.internal" },
	{ "mail bob@contoso.comor alice", "bob@contoso.comor" },
	/* the grammar: decoration of any kind around "at" and "dot" */
	{ "x maria [(at)] contoso [(dot)] com y", "maria [(at)] contoso [(dot)] com" },
	{ "x maria {{at}} contoso {{dot}} com y", "maria {{at}} contoso {{dot}} com" },
	{ "x maria -at- contoso -dot- com y", "maria -at- contoso -dot- com" },
	{ "x maria_at_contoso_dot_com y", "maria_at_contoso_dot_com" },
	{ "x maria ~at~ contoso ~dot~ com y", "maria ~at~ contoso ~dot~ com" },
	{ "x maria 'at' contoso 'dot' com y", "maria 'at' contoso 'dot' com" },
	{ "x maria *at* contoso *dot* org y", "maria *at* contoso *dot* org" },
	{ "x maria < at > contoso < dot > net y", "maria < at > contoso < dot > net" },
	{ "x maria ((@)) contoso.com y", "maria ((@)) contoso.com" },
	/* a line break inside */
	{ "x maria [at]\ncontoso [dot] com y", "maria [at]\ncontoso [dot] com" },
	/* the at-sign and the dot by their names in other languages */
	{ "x ana (arroba) ejemplo (punto) es y", "ana (arroba) ejemplo (punto) es" },
	{ "x jan [zavin\xC3\xA1\xC4\x8D] seznam [te\xC4\x8Dka] cz y", "jan [zavin\xC3\xA1\xC4\x8D] seznam [te\xC4\x8Dka] cz" },
	{ "x k.mueller {klammeraffe} firma {punkt} de y", "k.mueller {klammeraffe} firma {punkt} de" },
	/* and in upper case, whatever the script: a letter's other case is
	 * other bytes ("С" D0 A1, "с" D1 81; "Č" C4 8C, "č" C4 8D) */
	{ "x JAN [ZAVIN\xC3\x81\xC4\x8C] SEZNAM [TE\xC4\x8CKA] CZ y", "JAN [ZAVIN\xC3\x81\xC4\x8C] SEZNAM [TE\xC4\x8CKA] CZ" },
	{ "x IVAN \xD0\xA1\xD0\x9E\xD0\x91\xD0\x90\xD0\x9A\xD0\x90 YANDEX \xD0\xA2\xD0\x9E\xD0\xA7\xD0\x9A\xD0\x90 RU y",
	  "IVAN \xD0\xA1\xD0\x9E\xD0\x91\xD0\x90\xD0\x9A\xD0\x90 YANDEX \xD0\xA2\xD0\x9E\xD0\xA7\xD0\x9A\xD0\x90 RU" },
	{ "x ivan \xD0\xA1\xD0\xBE\xD0\xB1\xD0\xB0\xD0\xBA\xD0\xB0 yandex \xD0\xA2\xD0\xBE\xD1\x87\xD0\xBA\xD0\xB0 ru y",
	  "ivan \xD0\xA1\xD0\xBE\xD0\xB1\xD0\xB0\xD0\xBA\xD0\xB0 yandex \xD0\xA2\xD0\xBE\xD1\x87\xD0\xBA\xD0\xB0 ru" },
	{ "x HANS \xC3\x84T GMX PUNKT DE y", "HANS \xC3\x84T GMX PUNKT DE" },
	{ "x PIOTR MA\xC5\x81PA ONET KROPKA PL y", "PIOTR MA\xC5\x81PA ONET KROPKA PL" },
	{ "x EVA.SILVA(apenstaartje)ORANGE <\xD0\xA2\xD0\x9E\xD0\xA7\xD0\x9A\xD0\x90> NL y",
	  "EVA.SILVA(apenstaartje)ORANGE <\xD0\xA2\xD0\x9E\xD0\xA7\xD0\x9A\xD0\x90> NL" },
	/* a dot spelled in upper case inside the local part, read backwards */
	{ "x JAN TE\xC4\x8CKA NOVAK [AT] SEZNAM [DOT] CZ y", "JAN TE\xC4\x8CKA NOVAK [AT] SEZNAM [DOT] CZ" },
	{ "x novak(a)seznam.cz y", "novak(a)seznam.cz" },
	/* an "at" wrapped by choice, then the suffix after a blank: prose
	 * writes no "[at]" or "_AT_" */
	{ "x ines814 [ AT ] woodgrovebank ie y", "ines814 [ AT ] woodgrovebank ie" },
	{ "x fatima1992 _AT_ yandex pt y", "fatima1992 _AT_ yandex pt" },
	{ "x raj23 ([at]) libero ie y", "raj23 ([at]) libero ie" },
	/* after a local part no sentence has, a bare "at" and a blank for
	 * the last dot ("eva1437", "ivan_nowak", "fatima.costa") */
	{ "x eva1437 at tailspintoys fi y", "eva1437 at tailspintoys fi" },
	{ "x ivan_nowak  at  example org y", "ivan_nowak  at  example org" },
	{ "x fatima.costa at proseware com y", "fatima.costa at proseware com" },
	/* a disguised domain goes on after a suffix when a country's code
	 * follows a blank ("yahoo" and "yandex" are suffixes too) */
	{ "x ahmed269&#64;mail period yahoo ie y", "ahmed269&#64;mail period yahoo ie" },
	{ "x john1799 <@> mail DOT yandex se y", "john1799 <@> mail DOT yandex se" },
	/* a comma for a dot, the country after a blank */
	{ "x jdoe@litware,com y", "jdoe@litware,com" },
	{ "x j@contoso.com br y", "j@contoso.com br" },
	/* a full stop after a whole address ends the sentence, even before a suffix */
	{ "write to a@contoso.com. It works", "a@contoso.com" },
	{ "my e-mail is pusspaa35@gmail.com. my number is", "pusspaa35@gmail.com" },
	{ "mail bob@contoso.com.\ncc me", "bob@contoso.com" },
	{ "x j.smith@contoso. com y", "j.smith@contoso. com" },
	/* a suffix in its own script (the Public Suffix List's IDN entries) */
	{ "cc ybabiak@barannyk-yeresko.\xD1\x83\xD0\xBA\xD1\x80 on case", "ybabiak@barannyk-yeresko.\xD1\x83\xD0\xBA\xD1\x80" },
	{ "mail \xD0\x98\xD0\x92\xD0\x90\xD0\x9D@\xD0\x9F\xD0\x9E\xD0\xA7\xD0\xA2\xD0\x90.\xD0\xA0\xD0\xA4 today",
	  "\xD0\x98\xD0\x92\xD0\x90\xD0\x9D@\xD0\x9F\xD0\x9E\xD0\xA7\xD0\xA2\xD0\x90.\xD0\xA0\xD0\xA4" },
	{ "x bob@\xE4\xBE\x8B\xE5\xAD\x90.\xE4\xB8\xAD\xE5\x9B\xBD y", "bob@\xE4\xBE\x8B\xE5\xAD\x90.\xE4\xB8\xAD\xE5\x9B\xBD" },
	{ "reach me at XYZ @ contoso com thanks", "XYZ @ contoso com" },
	{ "XYZ @ contoso . com", "XYZ @ contoso . com" },
	{ "xyz at contoso dot com", "xyz at contoso dot com" },
	{ "xyz AT contoso DOT com", "xyz AT contoso DOT com" },
	{ "xyz [at] contoso [dot] com", "xyz [at] contoso [dot] com" },
	{ "xyz(at)contoso(dot)com", "xyz(at)contoso(dot)com" },
	{ "xyz{at}contoso{dot}com", "xyz{at}contoso{dot}com" },
	{ "xyz [@] contoso [.] com", "xyz [@] contoso [.] com" },
	{ "xyz@contoso[.]com", "xyz@contoso[.]com" },
	{ "xyz@contoso(.)co(.)uk", "xyz@contoso(.)co(.)uk" },
	{ "jane dot doe at fabrikam dot co dot uk", "jane dot doe at fabrikam dot co dot uk" },
	{ "j.doe[at]fabrikam[dot]com", "j.doe[at]fabrikam[dot]com" },
	{ "ｊａｎｅ＠ｃｏｎｔｏｓｏ．ｃｏｍ", "ｊａｎｅ＠ｃｏｎｔｏｓｏ．ｃｏｍ" },
	{ "jane＠contoso．com", "jane＠contoso．com" },
	{ "bob&#64;contoso&#46;com", "bob&#64;contoso&#46;com" },
	{ "bob&#x40;contoso.com", "bob&#x40;contoso.com" },
	{ "bob&commat;contoso&period;com", "bob&commat;contoso&period;com" },
	{ "href=mailto%3Abob%40contoso.com", "bob%40contoso.com" },
	{ "<a href=\"mailto:bob@contoso.com\">", "bob@contoso.com" },
	{ "From: Bob <bob@contoso.com>", "bob@contoso.com" },
	{ "bob+support@contoso.com", "bob+support@contoso.com" },
	{ "bob@mail.eu.contoso.co.uk.", "bob@mail.eu.contoso.co.uk" },
	{ "o'brien@contoso.ie", "o'brien@contoso.ie" },
	{ "first_last-1@sub-domain.contoso.de", "first_last-1@sub-domain.contoso.de" },
	{ "email: bob at contoso.com", "bob at contoso.com" },
	{ "john at contoso.com wrote", "john at contoso.com" },
	{ "j o h n @ contoso . com", "j o h n @ contoso . com" },
	/* a local part joined by a spelled dot, read backwards from the at-sign:
	 * words in any case, brackets, wrapping, look-alikes */
	{ "write to john dot smith at contoso dot com now", "john dot smith at contoso dot com" },
	{ "write to john(dot)smith@contoso.com now", "john(dot)smith@contoso.com" },
	{ "write to john[.]smith@contoso.com now", "john[.]smith@contoso.com" },
	{ "write to john _DOT_ smith @ contoso.com now", "john _DOT_ smith @ contoso.com" },
	{ "write to john {{ dot }} smith@contoso.com now", "john {{ dot }} smith@contoso.com" },
	{ "write to john PUNKT smith@contoso.de now", "john PUNKT smith@contoso.de" },
	{ "write to john \xd1\x82\xd0\xbe\xd1\x87\xd0\xba\xd0\xb0 smith @ contoso.com now",
	  "john \xd1\x82\xd0\xbe\xd1\x87\xd0\xba\xd0\xb0 smith @ contoso.com" },
	{ "write to john\xef\xbc\x8esmith@contoso.com now", "john\xef\xbc\x8esmith@contoso.com" },
	{ "JOHN.SMITH@CONTOSO.COM", "JOHN.SMITH@CONTOSO.COM" },
	{ "user@b\xC3\xBC" "cher.de", "user@b\xC3\xBC" "cher.de" },
	/* decoys */
	{ "Please look at the logs at 10:30.", NULL },
	/* an '@' before a file's type or a version: no address */
	{ "icon@2x.png and lodash@4.17.21", NULL },
	{ "systemctl restart getty@tty2.service", NULL },
	{ "the sr@latin.po catalogue", NULL },
	{ "bob at contoso dot local", NULL }, /* a disguise needs a suffix the PSL knows */
	{ "We met at the office.", NULL },
	{ "The issue at portal.azure.com is fixed", NULL },
	{ "Sign in at login.microsoftonline.com", NULL },
	{ "the docs at learn.microsoft.com say", NULL },
	{ "the site is hosted at contoso.com", NULL },
	{ "ping @channel and @john", NULL },
	{ "a @ b", NULL },
	{ "Sent from my iPhone @ home today", NULL },
	{ "price @ 5.00 each", NULL },
	{ "user@localhost", NULL },
	{ "std::vector at compile time", NULL },
	{ "Python 3.11 at 10.0.0", NULL },
	/* decoration in prose, commas in lists, a country code that is a word */
	{ "we are at (the) point where dot net fails", NULL },
	{ "look at it [at] once, then reboot", NULL },
	{ "file trace_at_dot_log.txt at C:\\temp", NULL },
	{ "ask (a) colleague at work", NULL },
	/* "at" in quotes or between colons is prose's, and a blank is no dot
	 * after it */
	{ "the word 'at' in it", NULL },
	{ "Status: at: noon it", NULL },
	{ "meet me at work ie", NULL },
	/* a suffix that is a word after a blank ends no address after a
	 * word's "at", however wrapped */
	{ "based on comment_at_start in the loop", NULL },
	{ "set max_size at start it", NULL },
	{ "see <At> home at once", NULL },
	{ "items: contoso,com,net are the names", NULL },
	{ "x a@b.\xD1\x83\xD0\xBA\xD1\x80\xD1\x80 y", NULL }, /* no such suffix */
	{ "ref #4Y@8YoYR. tel. ok", NULL }, /* an '@' inside a token: no address over blanks */
	{ "write to j@contoso.com is fine", "j@contoso.com" }, /* not "com is" */
	{ "point at the red dot", NULL },
};

static void test_email(void **state)
{
	(void)state;
	RUN_CASES(CORDON_EMAIL_ADDRESS, cases);
}

/* A preview is whole characters and hides the value: the first letter of
 * each part shows only when it is one byte. */
static void test_preview(void **state)
{
	(void)state;
	static const struct {
		const char *text, *preview;
	} p[] = {
		{ "mail ivan@contoso.com today", "i***@c******.com" },
		{ "mail \xD0\x98\xD0\x92\xD0\x90\xD0\x9D@\xD0\x9F\xD0\x9E\xD0\xA7\xD0\xA2\xD0\x90.\xD0\xA0\xD0\xA4 today",
		  "********@**********.\xD1\x80\xD1\x84" },
		{ "x bob@\xE4\xBE\x8B\xE5\xAD\x90.\xE4\xB8\xAD\xE5\x9B\xBD y", "b**@******.\xE4\xB8\xAD\xE5\x9B\xBD" },
	};
	cordon_engine *e;
	assert_int_equal(cordon_engine_new(&e, NULL), CORDON_OK);
	for (size_t k = 0; k < sizeof(p) / sizeof(*p); k++) {
		const struct cordon_finding *f;
		size_t n;
		assert_int_equal(cordon_engine_scan(e, p[k].text, strlen(p[k].text), &f, &n), CORDON_OK);
		assert_int_equal(n, 1);
		char out[128];
		cordon_finding_mask(p[k].text, &f[0], out, sizeof(out));
		assert_string_equal(out, p[k].preview);
	}
	cordon_engine_free(e);
}

/* The suffix answers a thread keeps are the ones libpsl gives: labels asked
 * in one order on a fresh thread, again in another order here, where
 * colliding labels replace each other in the thread's cache. */
enum { LABELS = 3000 };
static char labels[LABELS][6];
static int answers[LABELS];

static void *ask_all(void *arg)
{
	(void)arg;
	for (int k = 0; k < LABELS; k++)
		answers[k] = psl_is_tld(labels[k], strlen(labels[k]));
	return NULL;
}

static void test_suffix_cache(void **state)
{
	(void)state;
	static const char *const known[] = { "com", "it", "my", "cc", "uk", "for", "the", "KB5003488", "Com" };
	srand(3);
	for (int k = 0; k < LABELS; k++) {
		if (k < (int)(sizeof(known) / sizeof(*known))) {
			snprintf(labels[k], sizeof(labels[k]), "%.5s", known[k]);
			continue;
		}
		int n = 2 + rand() % 3;
		for (int i = 0; i < n; i++)
			labels[k][i] = (char)('a' + rand() % 26);
		labels[k][n] = '\0';
	}
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, ask_all, NULL), 0);
	pthread_join(t, NULL);
	assert_true(answers[0] && answers[1] && !answers[5] && answers[8]);
	for (int round = 0; round < 3; round++)
		for (int k = LABELS; k-- > 0;)
			assert_int_equal(psl_is_tld(labels[k], strlen(labels[k])), answers[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_email), cmocka_unit_test(test_preview), cmocka_unit_test(test_suffix_cache) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
