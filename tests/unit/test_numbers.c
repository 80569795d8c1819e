/* CREDIT_CARD, IBAN_CODE, US_SSN: checksums and validity rules, each form
 * caught, near misses (one digit off) and look-alikes kept. */
#include "detect_cases.h"

static const struct detect_case card_cases[] = {
	{ "card 4111 1111 1111 1111 ok", "4111 1111 1111 1111" },
	{ "card 4111-1111-1111-1111", "4111-1111-1111-1111" },
	{ "card 4111111111111111", "4111111111111111" },
	/* right after '#': a card all the same */
	{ "paid with #4111111111111111 today", "4111111111111111" },
	{ "Card#4111 1111 1111 1111", "4111 1111 1111 1111" },
	{ "amex 3782 822463 10005", "3782 822463 10005" },
	{ "mc 5555555555554444", "5555555555554444" },
	{ "mc2 2223003122003222", "2223003122003222" },
	{ "discover 6011111111111117", "6011111111111117" },
	{ "jcb 3530111333300000", "3530111333300000" },
	{ "jcb 15 180000000000002", "180000000000002" },
	{ "jcb 15 213100000000001.", "213100000000001" },
	{ "uatp 100000000000009", "100000000000009" },
	/* two cards with only a blank or a comma between: each found */
	{ "cards 4111111111111111 5555555555554444 end", "4111111111111111" },
	{ "cards 4111111111111111 5555555555554444 end", "5555555555554444" },
	{ "card 4111111111111111,5555555555554444", "4111111111111111" },
	{ "card 4111111111111111,5555555555554444", "5555555555554444" },
	{ "a 6011111111111117;3530111333300000", "3530111333300000" },
	{ "qty 2 4111111111111111", "4111111111111111" },
	{ "card 4111111111111111 12/27", "4111111111111111" },
	/* an issuer prefix missing from the table, after a card word; Diners 38 of 14 */
	{ "my card is 3517146299122235, expiry 04/27", "3517146299122235" },
	{ "paid with 38814706995107 for it", "38814706995107" },
	{ "charged to 639015667681 twice", "639015667681" }, /* Maestro, 12 digits */
	/* decoys: Luhn fails, no issuer and no card word, mixed separators */
	{ "order 3517146299122235 shipped", NULL },
	{ "card 3517146299122236", NULL },
	{ "uatp 100000000000008", NULL },
	{ "two 4111111111111112 5555555555554445", NULL },
	{ "card 4111 1111 1111 1112", NULL },
	{ "num 1234567812345678", NULL },
	{ "ids 4111-1111 1111-1111", NULL },
};

static const struct detect_case iban_cases[] = {
	{ "iban DE89 3704 0044 0532 0130 00 ok", "DE89 3704 0044 0532 0130 00" },
	{ "iban DE89370400440532013000", "DE89370400440532013000" },
	{ "GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32" },
	{ "FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606" },
	{ "nl NL91ABNA0417164300.", "NL91ABNA0417164300" },
	{ "iban DE89-3704-0044-0532-0130-00", "DE89-3704-0044-0532-0130-00" },
	{ "iban DE89/3704/0044/0532/0130/00 ok", "DE89/3704/0044/0532/0130/00" },
	{ "iban DE89.3704.0044.0532.0130.00", "DE89.3704.0044.0532.0130.00" },
	/* check digits that hold, not the country's length (one short, two long) */
	{ "refund to GB54XTLK2360476031780.", "GB54XTLK2360476031780" },
	{ "wire PL5315390856722979308202135226 ok", "PL5315390856722979308202135226" },
	{ "refund to GB54XTLK2360476031781.", NULL },
	/* joined the registry lately */
	{ "ru RU0204452560040702810412345678901", "RU0204452560040702810412345678901" },
	{ "ly LY83002048000020100120361", "LY83002048000020100120361" },
	{ "om OM810180000001299123456", "OM810180000001299123456" },
	{ "so SO333200050010011000103", "SO333200050010011000103" },
	{ "mn MN121234123456789123", "MN121234123456789123" },
	{ "sd SD2129010501234001", "SD2129010501234001" },
	{ "ni NI79BAMC00000000000003123123", "NI79BAMC00000000000003123123" },
	{ "bi BI4210000100010000332045181", "BI4210000100010000332045181" },
	{ "dj DJ2100010000000154000100186", "DJ2100010000000154000100186" },
	{ "fk FK88SC123456789012", "FK88SC123456789012" },
	{ "ye YE15CBYE0001018861234567891234", "YE15CBYE0001018861234567891234" },
	/* decoys: mixed separators */
	{ "iban DE89-3704 0044-0532-0130-00", NULL },
	/* decoys: bad check digits, wrong length */
	{ "iban DE88 3704 0044 0532 0130 00", NULL },
	{ "DE89 3704 0044 0532 0130", NULL },
};

static const struct detect_case ssn_cases[] = {
	{ "ssn 123-45-6789 ok", "123-45-6789" },
	{ "my social security number is 219 09 9999", "219 09 9999" },
	{ "SSN: 219099999", "219099999" },
	/* areas 001-099 lead with 0, as national phone numbers do: the SSN's form wins */
	{ "my social security number is 045-67-8912", "045-67-8912" },
	{ "ssn 012-34-5678", "012-34-5678" },
	{ "SSN #078-05-1120 on file", "078-05-1120" }, /* after '#', the dashed form */
	/* decoys: invalid area, group, serial; bare without context */
	{ "id 000-12-3456", NULL },
	{ "id 666-12-3456", NULL },
	{ "id 912-12-3456", NULL },
	{ "id 123-00-4567", NULL },
	{ "id 123-45-0000", NULL },
	{ "ref 219099999", NULL },
};

static void test_card(void **state)
{
	(void)state;
	RUN_CASES(CORDON_CREDIT_CARD, card_cases);
}

static void test_iban(void **state)
{
	(void)state;
	RUN_CASES(CORDON_IBAN_CODE, iban_cases);
}

static void test_ssn(void **state)
{
	(void)state;
	RUN_CASES(CORDON_US_SSN, ssn_cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_card),
		cmocka_unit_test(test_iban),
		cmocka_unit_test(test_ssn),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
