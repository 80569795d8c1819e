/* CREDIT_CARD, IBAN_CODE, US_SSN: checksums and validity rules, each form
 * caught, near misses (one digit off) and look-alikes kept. */
#include "detect_cases.h"

static const struct detect_case card_cases[] = {
	{ "card 4111 1111 1111 1111 ok", "4111 1111 1111 1111" },
	{ "card 4111-1111-1111-1111", "4111-1111-1111-1111" },
	{ "card 4111111111111111", "4111111111111111" },
	{ "amex 3782 822463 10005", "3782 822463 10005" },
	{ "mc 5555555555554444", "5555555555554444" },
	{ "mc2 2223003122003222", "2223003122003222" },
	{ "discover 6011111111111117", "6011111111111117" },
	{ "jcb 3530111333300000", "3530111333300000" },
	/* decoys: Luhn fails, no issuer, mixed separators */
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
	/* decoys: bad check digits, wrong length */
	{ "iban DE88 3704 0044 0532 0130 00", NULL },
	{ "DE89 3704 0044 0532 0130", NULL },
};

static const struct detect_case ssn_cases[] = {
	{ "ssn 123-45-6789 ok", "123-45-6789" },
	{ "my social security number is 219 09 9999", "219 09 9999" },
	{ "SSN: 219099999", "219099999" },
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
