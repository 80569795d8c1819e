/* PHONE_NUMBER: NANP, E.164, UK, German, French forms; dates, prices,
 * versions, KB and case numbers kept. */
#include "detect_cases.h"

static const struct detect_case cases[] = {
	/* a '+' glued to a word; North America's 011 to dial out */
	{ "mobile+44 7911 123456 ok", "+44 7911 123456" },
	{ "call #4155552671 now", "4155552671" }, /* after '#' only beside a phone word */
	{ "call 011 5511 9876 5432 pls", "011 5511 9876 5432" },
	{ "call (555) 123-4567 now", "(555) 123-4567" },
	{ "call 555-123-4567", "555-123-4567" },
	{ "call 555.123.4567", "555.123.4567" },
	{ "call 1-800-555-0199", "1-800-555-0199" },
	{ "call +1 (415) 555-2671", "+1 (415) 555-2671" },
	{ "e164 +14155552671", "+14155552671" },
	{ "uk +44 20 7946 0958", "+44 20 7946 0958" },
	{ "uk 020 7946 0958", "020 7946 0958" },
	{ "uk mobile 07700 900123", "07700 900123" },
	{ "de +49 30 1234567", "+49 30 1234567" },
	{ "de 030 1234567", "030 1234567" },
	{ "de 089/1234567", "089/1234567" },
	{ "de 0151 23456789", "0151 23456789" },
	{ "fr 01 23 45 67 89", "01 23 45 67 89" },
	{ "fr 06.12.34.56.78", "06.12.34.56.78" },
	{ "fr +33 1 23 45 67 89", "+33 1 23 45 67 89" },
	{ "digits 5 5 5 2 3 4 5 6 7 8 ok", "5 5 5 2 3 4 5 6 7 8" },
	{ "call 555-123-4567 x204", "555-123-4567 x204" },
	{ "call 555-123-4567 ext. 12", "555-123-4567 ext. 12" },
	{ "phone 4155552671", "4155552671" },
	{ "call 0049 30 1234567 today", "0049 30 1234567" },
	{ "call 001 415 555 2671 today", "001 415 555 2671" },
	{ "uk +44 (0)20 7946 0958", "+44 (0)20 7946 0958" },
	{ "phone: 555 0147", "555 0147" },
	{ "tel. 0171/1234567", "0171/1234567" },
	/* any country's form beside a phone word, before or after it */
	{ "call me on 601 648 190 today", "601 648 190" },
	{ "my number is 723 283 084.", "723 283 084" },
	{ "you can text 96-5710-6579", "96-5710-6579" },
	{ "31 8208 8158 is my cell", "31 8208 8158" },
	{ "Phone: 108-460-2260x2179", "108-460-2260x2179" },
	{ "tel. +44(0)1614960403", "+44(0)1614960403" },
	{ "you can text +31(0)46-7745425.", "+31(0)46-7745425" },
	{ "you can text +49(0) 200807267", "+49(0) 200807267" },
	/* the country code in parentheses */
	{ "Phone: (+30) 2077 191209 ok", "(+30) 2077 191209" },
	{ "call (+1) 415-555-2671", "(+1) 415-555-2671" },
	{ "(+30) 6970 530682 is my cell", "(+30) 6970 530682" },
	{ "see (+5) items", NULL },
	{ "up (+12.5%) today", NULL },
	/* grouped as phone numbers are, with no phone word */
	{ "it is 22 662 93 43 again", "22 662 93 43" },
	{ "it is 605 731 264 again", "605 731 264" },
	{ "either 61 9405-7658 or e-mail", "61 9405-7658" },
	{ "it is 08-87 78 08 again", "08-87 78 08" },
	/* bare national and mobile numbers of 10-11 digits, no phone word */
	{ "either 0416234932 or e-mail", "0416234932" },
	{ "it is 13669207406 again", "13669207406" },
	{ "it is 2108160481 again", "2108160481" },
	{ "it is 01632960195 again", "01632960195" },
	{ "either 8771492294 or e-mail", "8771492294" },
	{ "it is 12065550123 again", "12065550123" }, /* North America's 1 + area code */
	{ "it is 0416234932.", "0416234932" },
	{ "epoch 1719312000 in the log", NULL },     /* a Unix time: ten digits from 1 */
	{ "at 2024062510 the job ran", NULL },       /* a date and hour */
	{ "id 19991231235 only", NULL },
	{ "fill 0000000000 or 7777777777", NULL },
	{ "count 1234567890 and 9876543210", NULL },
	{ "count 0123456789 and 3210987654", NULL },
	{ "ticket 0416234932 is open", NULL },
	{ "order 13669207406 shipped", NULL },
	{ "request #2108160481 closed", NULL },
	{ "it is 10016234932 again", NULL },         /* 1 then 0: neither China's nor North America's */
	{ "it is 00416234932 again", NULL },         /* dialling out, with too few digits after */
	{ "serial 041623493212 ok", NULL },          /* twelve: no bare national number */
	{ "KB0416234932 and x0416234932", NULL },    /* glued to a word */
	{ "ISBN 0306406152 and isbn: 0306406152", NULL },
	/* the same in two groups: a prefix of 2-5 digits and the line */
	{ "either 6972 235999 or e-mail", "6972 235999" },
	{ "it is 0416-234932 again", "0416-234932" },
	{ "it is 136 69207406 again", "136 69207406" },
	{ "in 2026 1234567 units", NULL },           /* a year and a number */
	{ "ticket 4521 887766 closed", NULL },
	{ "at 1719 312000 the job ran", NULL },      /* ten digits from 1 */
	{ "sizes 6972 2359 and 1 2", NULL },         /* eight digits: not one number */
	{ "either 6972/235999 or e-mail", NULL },    /* a slash: a ratio, a path */
	/* the North American grouping with dots and a trunk 0 */
	{ "either 072.780.8166 or e-mail", "072.780.8166" },
	{ "version 010.123.4567 out", NULL },        /* a decoy word before */
	{ "at 07.278.08166 now", NULL },             /* not 3-3-4 */
	{ "at 072.780.816 now", NULL },              /* nine digits */
	/* decoys */
	{ "on 2024-06-25 10 am the job ran", NULL },
	{ "on 25-06-2024 10 am the job ran", NULL },
	{ "steps 1 2 3 and 4", NULL },
	{ "call me on 2024-03-05 at 10", NULL },
	{ "call me on 05.03.2024", NULL },
	{ "call me, case 1234567 is open", NULL },
	{ "on 2024-03-05 14:22:01", NULL },
	{ "product id 00391-70000-00000-AA404 ok", NULL }, /* an Office product id, not a phone */
	{ "dated 05/03/2024", NULL },
	{ "total $1,234.56", NULL },
	{ "KB5034441 and KB 5034441", NULL },
	{ "case #120012345", NULL },
	{ "Case 4155552671 opened", NULL },
	{ "order no. 5551234567", NULL },
	/* a meeting's ID, its word before, past "is" */
	{ "The Teams meeting ID is 123 456 789 012", NULL },
	{ "Meeting ID: 123 456 789 012", NULL },
	{ "conference bridge 555 0199 1234", NULL },
	{ "my number is 415 555 0199", "415 555 0199" },
	{ "case number 2345678901 is open", NULL }, /* a phone word is needed, "number" is not one */
	{ "error 0x80070005", NULL },
	{ "build 10.0.19041.1", NULL },
	{ "port 8080 and 443", NULL },
	{ "12345", NULL },
	{ "room 555 0147", NULL },
};

static void test_phone(void **state)
{
	(void)state;
	RUN_CASES(CORDON_PHONE_NUMBER, cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_phone) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
