/* The vectorised anchor prefilter gives exactly the scalar reference's answer,
 * on random bytes and on text dense with anchors, at every block offset. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include "detect/detector.h"
#include "detect/prefilter.h"

static void compare(const struct prefilter *pf, const uchar *s, size_t len)
{
	for (size_t b = 0; b < len; b += 64) {
		struct prefilter_marks v, r;
		prefilter_marks(pf, s, len, b, &v);
		prefilter_marks_scalar(pf, s, len, b, &r);
		assert_int_equal(v.all, r.all);
		assert_int_equal(v.anchor, r.anchor);
		assert_int_equal(v.start, r.start);
		for (unsigned k = 0; k < TRIGGER_KINDS; k++)
			assert_int_equal(v.kind[k], r.kind[k]);
		assert_int_equal(prefilter_block(pf, s, len, b), prefilter_block_scalar(pf, s, len, b));
	}
}

/* A prefilter with the anchor bytes given and every trigger. */
static void init_all(struct prefilter *pf, const char *anchor_bytes)
{
	uchar anchors[256] = { 0 };
	for (const char *a = anchor_bytes; *a; a++)
		anchors[(uchar)*a] = 1;
	prefilter_init(pf, anchors,
		       TRIGGER_DIGIT | TRIGGER_WORD_AT | TRIGGER_WORD_PASS | TRIGGER_WORD_UPPER_A | TRIGGER_WORD_CAPITAL |
			       TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CUE);
}

/* Records shorter than a block that end a page, the next page unreadable:
 * the vector path reads no byte past the page (it copies such a record)
 * and marks as the scalar reference does, whatever the bytes before. */
static void test_page_end(void **state)
{
	(void)state;
	struct prefilter pf;
	init_all(&pf, "@:=_-");
	long page = sysconf(_SC_PAGESIZE);
	uchar *p = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(mprotect(p + page, (size_t)page, PROT_NONE), 0);
	static const char text[] = "Hi at 12 this is Maria arroba x@y.z pa=1 AKIA 0x1F \xc3\x84T to";
	for (size_t len = 0; len <= sizeof(text) - 1; len++) {
		uchar *s = p + page - len;
		memset(p + page - 128, 'a', 128 - len); /* letters before: a word goes on into the record */
		memcpy(s, text, len);
		compare(&pf, s, len);
		/* and a record that ends inside a block, followed by text on the
		 * same page: the bytes after it are not its own */
		uchar *t = p + page - 200;
		memcpy(t, text, len);
		memset(t + len, 'A', 60);
		compare(&pf, t, len);
	}
	munmap(p, (size_t)page * 2);
}

static void test_matches_scalar(void **state)
{
	(void)state;
	struct prefilter pf;
	init_all(&pf, "@&%\xEF:=_-");
	static const char alphabet[] = "aAtTpPwWiIzZcCkKsSmMrRoehlunvbBgG @:.=-_0123456789\xEF\xBC\x80\xC3\xA4\xC5\xD0\xD1\x81 \n";
	uchar buf[1031];
	srand(7);
	for (int round = 0; round < 4000; round++) {
		size_t len = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < len; i++)
			buf[i] = round & 1 ? (uchar)rand() : (uchar)alphabet[rand() % (sizeof(alphabet) - 1)];
		compare(&pf, buf, len);
	}
	const char *text = "at At pa Pw pi AKIA xat at@ (at) AB a t";
	compare(&pf, (const uchar *)text, strlen(text));
	/* the at-sign's names and the cue words, in both cases, at every
	 * offset of a block (their three bytes across its edge) */
	const char *words = "this is To Speak with call Back Customer CLIENT name Names i am call me Regards -- "
			    "arroba ARObase Apenstaartje chiocciola KLAMMERAFFE kukac snabel-a ma\xc5\x82pa "
			    "zavin\xc3\xa1\xc4\x8d \xc3\xa4t \xd1\x81\xd0\xbe\xd0\xb1\xd0\xb0\xd0\xba\xd0\xb0 "
			    "\xc3\x84T \xd0\xa1\xd0\x9e\xd0\x91\xd0\x90\xd0\x9a\xd0\x90 \xd0\xa1\xd0\xbe\xd0\xb1\xd0\xb0\xd0\xba\xd0\xb0 "
			    "the can this thanks check There CASE Hi "
			    "isn tom witch bacon cusp clip nab amy mew reg-- some can Is, to\n"
			    "holder HOLDER caller Caller contact CONTACT hold call called con Contoso\n"
			    "assigned to: x Assigned To: y to: to:x tom:\n"
			    "hi john hey maria Hi HEY hiya heyday high hey\n";
	for (size_t pad = 0; pad < 64; pad++) {
		char shifted[1024];
		assert_true(pad + strlen(words) + 1 <= sizeof(shifted));
		memset(shifted, ' ', pad);
		memcpy(shifted + pad, words, strlen(words) + 1);
		compare(&pf, (const uchar *)shifted, strlen(shifted));
	}
	/* only the first digit of a run is marked, across a block's edge too */
	char runs[200];
	memset(runs, '7', sizeof(runs));
	runs[0] = ' ';
	runs[70] = ' ';
	runs[128] = 'x';
	for (size_t b = 0; b < sizeof(runs); b += 64) {
		uint64_t m = prefilter_block(&pf, (const uchar *)runs, sizeof(runs), b);
		for (size_t i = b; i < b + 64 && i < sizeof(runs); i++)
			assert_int_equal((m >> (i - b)) & 1, i == 1 || i == 71 || i == 129);
	}
	compare(&pf, (const uchar *)runs, sizeof(runs));
	/* digits as plain anchors (no TRIGGER_DIGIT): every one is marked */
	uchar anchors[256] = { 0 };
	for (const char *a = "@&%\xEF:=_-0123456789"; *a; a++)
		anchors[(uchar)*a] = 1;
	prefilter_init(&pf, anchors, TRIGGER_WORD_CAPITAL);
	assert_int_equal(prefilter_block(&pf, (const uchar *)runs, sizeof(runs), 0), ~1ull);
	compare(&pf, (const uchar *)runs, sizeof(runs));
}

static void test_word_triggers(void **state)
{
	(void)state;
	const uchar *s = (const uchar *)"that at [at] password AKIA Ab O'Brien AB xY";
	size_t len = strlen((const char *)s);
	assert_int_equal(prefilter_word_triggers(s, len, 2), 0);              /* "at" inside "that" */
	assert_int_equal(prefilter_word_triggers(s, len, 5), TRIGGER_WORD_AT);
	assert_int_equal(prefilter_word_triggers(s, len, 9), TRIGGER_WORD_AT);
	assert_int_equal(prefilter_word_triggers(s, len, 13), TRIGGER_WORD_PASS);
	assert_int_equal(prefilter_word_triggers(s, len, 22), TRIGGER_WORD_UPPER_A);
	assert_int_equal(prefilter_word_triggers(s, len, 27), TRIGGER_WORD_CAPITAL); /* "Ab" */
	assert_int_equal(prefilter_word_triggers(s, len, 30), TRIGGER_WORD_CAPITAL); /* "O'Brien" */
	assert_int_equal(prefilter_word_triggers(s, len, 38), TRIGGER_WORD_UPPER_A); /* "AB": not a name */
	assert_int_equal(prefilter_word_triggers(s, len, 41), 0);                    /* "xY" */
	/* the at-sign's names, by their first three bytes */
	const uchar *t = (const uchar *)"x Arroba chiocciola \xD1\x81\xD0\xBE\xD0\xB1\xD0\xB0\xD0\xBA\xD0\xB0 snowy zzz";
	size_t tl = strlen((const char *)t);
	assert_int_equal(prefilter_word_triggers(t, tl, 2), TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CAPITAL);
	assert_int_equal(prefilter_word_triggers(t, tl, 9), TRIGGER_WORD_AT_NAME);
	/* "собака": any non-ASCII word start also wakes PERSON (other scripts) */
	assert_int_equal(prefilter_word_triggers(t, tl, 20), TRIGGER_WORD_AT_NAME | TRIGGER_WORD_CAPITAL);
	assert_int_equal(prefilter_word_triggers(t, tl, 33), 0);                       /* "snowy" */
	assert_int_equal(prefilter_word_candidates(t, tl, 33), 0);                    /* "sno", not "sna" */
	assert_int_equal(prefilter_word_candidates(t, tl, 9), TRIGGER_WORD_AT_NAME);  /* "chi" */
	assert_int_equal(prefilter_word_candidates(t, tl, 34), 0);                    /* not a word start */
	/* a cue's last word in lower case, after the word its phrase has */
	const uchar *u = (const uchar *)"this is x, it is y, spoke with z -- w";
	size_t ul = strlen((const char *)u);
	assert_int_equal(prefilter_word_triggers(u, ul, 5), TRIGGER_WORD_CUE);        /* "this is" */
	assert_int_equal(prefilter_word_triggers(u, ul, 14), 0);                      /* "it is" */
	assert_int_equal(prefilter_word_candidates(u, ul, 14), TRIGGER_WORD_CUE);     /* the masks' superset */
	assert_int_equal(prefilter_word_triggers(u, ul, 26), TRIGGER_WORD_CUE);       /* "spoke with" */
	assert_int_equal(prefilter_word_triggers(u, ul, 33), TRIGGER_WORD_CUE);       /* "-- " */
}

/* The texts of a round: the written ones first, then random text of the
 * alphabet's bytes in buf. */
static const char *round_text(size_t round, const char *const *texts, size_t ntexts, const char *alphabet,
			      char *buf, size_t cap)
{
	if (round < ntexts)
		return texts[round];
	size_t n = (size_t)rand() % (cap - 1), na = strlen(alphabet);
	for (size_t i = 0; i < n; i++)
		buf[i] = alphabet[rand() % na];
	buf[n] = '\0';
	return buf;
}

/* d, woken by hand at text[i] where it said nothing of its starts (where:
 * which promise), must find nothing there. */
static void expect_nothing(const struct detector *d, const char *text, size_t i, struct candidates *c,
			   const char *where)
{
	c->n = 0;
	c->scan++;
	d->scan((const uchar *)text, strlen(text), i, c);
	if (c->n)
		fail_msg("%s found '%.*s' %s: '%s' at %zu", d->name, (int)(c->v[0].end - c->v[0].start),
			 text + c->v[0].start, where, text, i);
}

/* A detector woken only at some kinds and lengths of digit run (enum
 * digit_start, runs[]) finds nothing at the others: woken there by hand, on
 * text made to hold every kind and length beside values of every entity,
 * it pushes no candidate. */
static void test_digit_starts(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"call 555-123-4567 or +1 (415) 555-2671, ssn 078-05-1120, card 4111 1111 1111 1111",
		"4111111111111111 5555555555554444,4012888888881881/378282246310005",
		"IBAN DE89370400440532013000 GB82-WEST-1234-5698-7654-32 x4111111111111111",
		"at 10.0.0.1 and 192.168.1.10-192.168.1.20 v10.0.19041.1 on 2024-06-25 02:10:30",
		"KB5041613 setup37.log build 21653 1.4111111111111111 2-4111111111111111 9.078-05-1120",
		"tel:5551234567 mobile+44 7911 123456 x.555-123-4567 12-555-123-4567 0.078051120",
		"mac 00:1a:2b:3c:4d:5e 001a.2b3c.4d5e key ABCDE-12345-FGHIJ-67890-KLMNO",
		"\xc3\xa9" "5551234567 _4111111111111111 DE89370400440532013000.5 1-DE89 3704",
		"SW1A 1AA, SW123AB, 12 Main Street, 10115 Berlin, Redmond, WA 98052-6399, 123456 and 1234567",
		"my address is 123456 Springfield Road. my address is 221 Baker Street 1234567, 三ノ輪40丁目12番5号 台場2123456丁目 12-345678 Main St",
		"4111111111111111111 41111111111111111111 12345678901234567890123456789012345 078051120 0780511200",
		"IP 1.2.3.4 1234.5.6.7 001a.2b3c.4d5e 00112:33:44:55:66 ABCDE-123456-FGHIJ-67890-KLMNO",
		"key 12345-ABCDE-FGHIJ-KLMNO-PQRST and 0011.2233.4455 and 00-11-22-33-44-55 at 5%, 10.5,7",
	};
	static const char alphabet[] = "0123456789 .-,:/+()#$_aDEGBxX\n0123456789%fFzZ";
	char buf[160];
	struct candidates c = { 0 };
	c.region = "US";
	srand(11);
	for (size_t round = 0; round < 20000 + sizeof(texts) / sizeof(*texts); round++) {
		const char *t = round_text(round, texts, sizeof(texts) / sizeof(*texts), alphabet, buf, sizeof(buf));
		const uchar *s = (const uchar *)t;
		size_t len = strlen(t);
		for (size_t i = 0; i < len; i++) {
			if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
				continue;
			unsigned kind = digit_start_at(s, i);
			for (unsigned e = 0; e < CORDON_ENTITY_COUNT; e++) {
				const struct detector *d = cordon_detectors[e];
				if (!(d->triggers & TRIGGER_DIGIT))
					continue;
				assert_true(d->digits); /* says which runs it reads */
				size_t end = i;
				while (end < len && is_digit(s[end]))
					end++;
				if (digit_run_reads(d, kind, digit_run_len(s, len, i)) &&
				    digit_run_edges(d, kind, run_before_at(s, i), run_after_at(s, len, end)))
					continue;
				expect_nothing(d, t, i, &c, "at a digit run it is not woken for");
			}
		}
	}
	free(c.v);
}

/* The same for numbers (struct detector's number): a detector that says a
 * group of a number starts nothing of its finds nothing there, whether the
 * number was read from its first run (as the engine reads it) or from the
 * run itself. Texts of versions, dates, times, amounts and every numeric
 * entity, then random digit-rich text with separators, brackets and letters. */
static void check_number(const struct detector *d, const struct number *t, size_t g, const char *text, size_t i,
			 struct candidates *c)
{
	if (d->number && t->n <= NUMBER_GROUPS && !(d->number(t) >> g & 1))
		expect_nothing(d, text, i, c, "in a number's group it said starts nothing");
}

static void test_number_groups(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"v10.0.19041.1 on 2024-06-25 02:10:30 for $518.15 and 16.0.14237.25703, 5% at 14:22",
		"at 10.0.0.1 and 192.168.1.10-192.168.1.20 or 1.2.3.4.5 or 1.2.3.4:8080 and 1/10.0.0.1",
		"10 . 0 . 0 . 1, 10[.]0[.]0[.]1, 10(.)0(.)0(.)1, 10 dot 0 dot 0 dot 1, 999.1.1.1 and 1.2.3",
		"call 555-123-4567 or +1 (415) 555-2671, (555) 123-4567, 555.123.4567, +49 30 8494166",
		"ssn 078-05-1120 or 078 05 1120, card 4111 1111 1111 1111 or 4111-1111-1111-1111",
		"4111111111111111 5555555555554444,4012888888881881/378282246310005 and 4111111111111111",
		"mac 00:1a:2b:3c:4d:5e 00-11-22-33-44-55 0011.2233.4455 12/00:11:22:33:44:55 001a.2b3c.4d5e 1/0011.2233.4455 1,0011.2233.4455",
		"key 12345-ABCDE-FGHIJ-KLMNO-PQRST and ABCDE-12345-FGHIJ-67890-KLMNO, 00391-70000-00000-AA404",
		"token 1234567890123456789012345 x=12345678901 pwd:1234.5678 eyJhbGciOiJI.eyJzdWIiOiIx.1234567890abcdefgh",
		"072.780.8166 6972 235999 0416-234932 13669207406 1-415-555-2671 0049 30 1234567 011 55 11 98765 4321",
	};
	static const char alphabet[] = "0123456789 .-,:/+()#$_[]{}aDEGBxXeyJ\n0123456789%fFzZ=.-:";
	char buf[160];
	struct candidates c = { 0 };
	c.region = "US";
	srand(13);
	for (size_t round = 0; round < 20000 + sizeof(texts) / sizeof(*texts); round++) {
		const char *text = round_text(round, texts, sizeof(texts) / sizeof(*texts), alphabet, buf, sizeof(buf));
		const uchar *s = (const uchar *)text;
		size_t len = strlen(text);
		struct number whole = { 0 }, self;
		size_t g = 0;
		for (size_t i = 0; i < len; i++) {
			if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
				continue;
			if (i >= whole.end) {
				number_read(s, len, i, &whole);
				g = 0;
			} else {
				g++;
				assert_true(g >= NUMBER_GROUPS || whole.at[g] == i);
			}
			number_read(s, len, i, &self);
			for (unsigned e = 0; e < CORDON_ENTITY_COUNT; e++) {
				const struct detector *d = cordon_detectors[e];
				if (!(d->triggers & TRIGGER_DIGIT))
					continue;
				if (g < NUMBER_GROUPS)
					check_number(d, &whole, g, text, i, &c);
				check_number(d, &self, 0, text, i, &c);
			}
		}
	}
	free(c.v);
}

/* text_class, the table the word loops read, says of every byte what the
 * is_* functions say. */
static void test_text_class(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		unsigned k = text_class[c];
		assert_int_equal(!!(k & TC_LOWER), is_alpha(c) && !is_upper(c));
		assert_int_equal(!!(k & TC_UPPER), is_upper(c));
		assert_int_equal(!!(k & TC_DIGIT), is_digit(c));
		assert_int_equal(!!(k & TC_HIGH), c >= 0x80);
		assert_int_equal(!!(k & TC_JOIN), c == '\'' || c == '-');
		assert_int_equal(!!(k & TC_LETTER), is_alpha(c) || c >= 0x80);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_scalar),
		cmocka_unit_test(test_page_end),
		cmocka_unit_test(test_word_triggers),
		cmocka_unit_test(test_digit_starts),
		cmocka_unit_test(test_number_groups),
		cmocka_unit_test(test_text_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
