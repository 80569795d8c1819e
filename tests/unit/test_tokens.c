/* MAC_ADDRESS, URL_CREDENTIALS, SECRET, PRODUCT_KEY. */
#include "detect_cases.h"

static const struct detect_case mac_cases[] = {
	{ "mac 00:1A:2B:3C:4D:5E ok", "00:1A:2B:3C:4D:5E" },
	{ "mac 00-1a-2b-3c-4d-5e", "00-1a-2b-3c-4d-5e" },
	{ "cisco 001a.2b3c.4d5e.", "001a.2b3c.4d5e" },
	{ "at 12:30:45:00 and 2024-01-02", NULL },
};

static const struct detect_case url_cases[] = {
	{ "db https://admin:hunter2@db.contoso.com:9200/", "admin:hunter2" },
	{ "redis://:s3cret@10.0.0.5:6379", ":s3cret" },
	{ "see https://learn.microsoft.com/kb/123 and ftp://files.contoso.com:21/x", NULL },
};

static const struct detect_case secret_cases[] = {
	{ "key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE" },
	/* passwords on a command line, after their tool's name */
	{ "run curl -X POST -u svc:t0ken-Value https://x", "t0ken-Value" },
	{ "mysql -u root -pS3cretPw db", "S3cretPw" },
	{ "sshpass -p \"Winter 2024\" ssh host", "Winter 2024" },
	{ "smbclient //srv/share -U bob%Secr3t", "Secr3t" },
	{ "docker login -u bob -p Passw0rd123 registry", "Passw0rd123" },
	/* BitLocker recovery passwords: each group a multiple of 11, or the
	 * shape after a word that names a key */
	{ "read me 193721-090981-367752-170005-714307-648065-680878-547316 please",
	  "193721-090981-367752-170005-714307-648065-680878-547316" },
	{ "the recovery key is 123456-789012-345678-901234-567890-123456-789012-345678",
	  "123456-789012-345678-901234-567890-123456-789012-345678" },
	{ "token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789" },
	{ "slack xoxb-123456789012-abcdefABCDEF", "xoxb-123456789012-abcdefABCDEF" },
	{ "google AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890abcdefghijklmnopqrstuv" },
	{ "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
	  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" },
	{ "my password is Tr0ub4dor&3", "Tr0ub4dor&3" },
	{ "Password: hunter22.", "hunter22" },
	{ "the pwd was s3cr3t!x", "s3cr3t!x" },
	{ "my PIN is 4711", "4711" },
	{ "AccountName=x;AccountKey=abcd1234abcd==;EndpointSuffix=core", "abcd1234abcd==" },
	{ "db_password=\"p@ss w0rd\"", "p@ss w0rd" },
	{ "sv=2020&sig=abcDEF123%2B&se=2024", "abcDEF123%2B" },
	{ "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
	  "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----" },
	/* the whole value, its own punctuation included */
	{ "my password is P@ssw0rd!! thanks", "P@ssw0rd!!" },
	{ "Password: hunter22?", "hunter22" },
	{ "(pwd: x1y2z3q).", "x1y2z3q" },
	{ "pwd=[Tr0ub4dor]", "[Tr0ub4dor]" },
	/* a credential word a few words before, in any phrasing */
	{ "the password for the VPN account is Xy7!kq#2, ok?", "Xy7!kq#2" },
	{ "the password for the VPN account is Welcome123 now", "Welcome123" },
	{ "the password of the admin user was changed to Sommer2024.", "Sommer2024" },
	{ "new password I set: Gh7$kq", "Gh7$kq" },
	{ "Kennwort lautet Sommer2024!", "Sommer2024!" },
	{ "PIN 4711", "4711" },
	{ "PIN code 884211 for the card", "884211" },
	/* a card's security code after its word */
	{ "Card 4242 4242 4242 4242 exp 04/27 cvv 123", "123" },
	{ "CVV: 4567", "4567" },
	{ "the cvv is 321.", "321" },
	{ "security code 908, thanks", "908" },
	{ "CVC 123 - ok", "123" },
	/* a meeting's passcode: letters and digits */
	{ "The Teams meeting ID is 123 456 789 012 and passcode AbC123", "AbC123" },
	{ "password Xy7!kq#2 for the VPN", "Xy7!kq#2" },
	{ "the API key you need: Qm9vZ1x2Hh7TtPp0aZ", "Qm9vZ1x2Hh7TtPp0aZ" },
	{ "token 7f3a9c0d4e5b6a7f8091a2b3c4d5e6f7", "7f3a9c0d4e5b6a7f8091a2b3c4d5e6f7" },
	{ "here is the client secret again -> 8Q~wXyZ1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuV", "8Q~wXyZ1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuV" },
	{ "mot de passe : Bonjour#2024", "Bonjour#2024" },
	/* brackets and "%3D" inside a password, "to" as the link */
	{ "temporary password j)1k+eCe for the VPN", "j)1k+eCe" },
	{ "temporary password YN%3DIRc2uabs2i for it", "YN%3DIRc2uabs2i" },
	{ "I set the pwd to *2TQ(CjG7", "*2TQ(CjG7" },
	{ "I set the pwd to OtlF3LamG$(fwh.", "OtlF3LamG$(fwh" },
	/* base64 keys by their shape; "=" padding is the key's */
	{ "AccountKey Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw== end",
	  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" },
	{ "here it is: q9Xz7Lk2Vb8Nw4Rt6Yp1Hs3Dc5Fg0Jm2Ke4Ua6Wi8Oo=", "q9Xz7Lk2Vb8Nw4Rt6Yp1Hs3Dc5Fg0Jm2Ke4Ua6Wi8Oo=" },
	/* decoys */
	{ "encoded ZXhhbXBsZQ== short", NULL },
	{ "in 2024 we had 300 users", NULL }, /* three and four digits, no card code */
	{ "cvv 12345 and cvv 123.45", NULL },
	{ "the code 908 is wrong", NULL },
	{ "the passcode policy needs a reset", NULL },
	{ "passcode ABCDEF and PIN abcd", NULL }, /* no digit: a word */
	{ "ref 123456-789012-345678-901234-567890-123456-789012-345678 ok", NULL }, /* not multiples of 11 */
	{ "mkdir -p /tmp/x and ls -u x:y", NULL }, /* no tool that takes a password */
	{ "docker run -d -p 9093:9093 alertmanager", NULL }, /* docker run's -p: a port */
	{ "curl -u admin https://x and mysql -u root -p$MYSQL_PWD db", NULL }, /* asked, or a variable */
	{ "id 193721-090981-367752-170005-714307-648065-680878-547316-123456", NULL }, /* nine groups */
	{ "Please regenerate the API key for tenant contoso-prod-01", NULL },
	{ "The password reset page shows: Error 0x80070005", NULL },
	{ "build 10.0.19041.1 KB5034441 token expired 3 days ago", NULL },
	{ "password is expired, use the reset link: https://contoso.com/reset?id=12345", NULL },
	{ "the token was issued 2024-01-05T10:00:00Z", NULL },
	{ "pin the app to the taskbar, then restart Windows11", NULL },
	{ "I reset my password is not working", NULL },
	{ "password reset link expired", NULL },
	{ "Password: ********", NULL },
	{ "AKIA is a prefix", NULL },
	{ "AWS and API and ASAP", NULL },
	{ "send the password to the admin team", NULL },
	{ "the password to the VPN is in the vault", NULL },
	{ "password (see the vault) please", NULL },
	/* every key name of key_value, its value after "=" (the keys' last two
	 * bytes are its first test) */
	{ "password=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "passwd=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "pwd=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "pass=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "passphrase=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "passcode=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "secret=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "client_secret=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "secret_key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "secretkey=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "api_key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "apikey=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "api-key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "access_key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "access_token=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "auth_token=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "refresh_token=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "token=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "accountkey=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "sharedaccesskey=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "sig=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "private_key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "aws_secret_access_key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "x-api-key=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "authorization=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "bearer=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "pin=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "kennwort=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "passwort=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "mot_de_passe=Qx7v9Lk2", "Qx7v9Lk2" },
	{ "mdp=Qx7v9Lk2", "Qx7v9Lk2" },
};

static const struct detect_case key_cases[] = {
	{ "key VK7JG-NPHTM-C97JM-9MPGT-3V66T ok", "VK7JG-NPHTM-C97JM-9MPGT-3V66T" },
	{ "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX", NULL },
	{ "guid 6f9619ff-8b86-d011-b42d-00c04fc964ff", NULL },
};

static void test_mac(void **state) { (void)state; RUN_CASES(CORDON_MAC_ADDRESS, mac_cases); }
static void test_url(void **state) { (void)state; RUN_CASES(CORDON_URL_CREDENTIALS, url_cases); }
static void test_secret(void **state) { (void)state; RUN_CASES(CORDON_SECRET, secret_cases); }
static void test_key(void **state) { (void)state; RUN_CASES(CORDON_PRODUCT_KEY, key_cases); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
