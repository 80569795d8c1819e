/* cordon_build_info: what results depend on beyond the version (see
 * common.h), worked out once. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libpsl.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>
#include "cordon/common.h"
#include "detect/lexicon_table.h"
#include "detect/psl.h"

#ifndef CORDON_GIT_REVISION
#define CORDON_GIT_REVISION "unknown"
#endif

extern const char cordon_data_datastores[], cordon_data_management[];
/* the word and place tables PERSON and LOCATION read, as the build wrote
 * them (lexicon.c): their digest covers the name lists, the dictionary, the
 * census and the gazetteer alike */
extern const uint64_t cordon_words_slots[1u << WORDS_BITS], cordon_places_slots[1u << PLACES_BITS];

static struct cordon_build_info info;
static char psl_date[16], psl_digest[80], names_digest[80], ports_digest[80], pcre2_version[64];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void digest_of(const char *const *parts, size_t n, char *out, size_t cap)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(h) + 1];
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < n; i++) /* each with its NUL: no two joins alike */
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, cap, "sha256:%s", hex);
}

/* sha256 of a file's bytes, or "" when it cannot be read. */
static void file_digest(const char *path, char *out, size_t cap)
{
	FILE *f = fopen(path, "rb");
	unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(h) + 1];
	crypto_hash_sha256_state st;
	size_t n;
	*out = '\0';
	if (!f)
		return;
	crypto_hash_sha256_init(&st);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		crypto_hash_sha256_update(&st, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return;
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(out, cap, "sha256:%s", hex);
}

static void fill(void)
{
	if (sodium_init() < 0) /* the hashes need it; without, they stay empty */
		return;
	const char *file;
	time_t when;
	struct tm tm;
	psl_source(&file, &when);
	info.psl_source = file ? file : "built into libpsl";
	strftime(psl_date, sizeof(psl_date), "%Y-%m-%d", gmtime_r(&when, &tm));
	if (file)
		file_digest(file, psl_digest, sizeof(psl_digest));
	else
		snprintf(psl_digest, sizeof(psl_digest), "sha1:%s", psl_builtin_sha1sum());
	const char *ports[] = { cordon_data_datastores, cordon_data_management };
	{
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[2 * sizeof(h) + 1];
		crypto_hash_sha256_state st;
		crypto_hash_sha256_init(&st);
		crypto_hash_sha256_update(&st, (const unsigned char *)cordon_words_slots, sizeof(cordon_words_slots));
		crypto_hash_sha256_update(&st, (const unsigned char *)cordon_places_slots, sizeof(cordon_places_slots));
		crypto_hash_sha256_final(&st, h);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		snprintf(names_digest, sizeof(names_digest), "sha256:%s", hex);
	}
	digest_of(ports, sizeof(ports) / sizeof(*ports), ports_digest, sizeof(ports_digest));
	pcre2_config(PCRE2_CONFIG_VERSION, pcre2_version);
}

const struct cordon_build_info *cordon_build_info(void)
{
	pthread_once(&once, fill);
	info.version = cordon_version();
	info.revision = CORDON_GIT_REVISION;
	info.psl_date = psl_date;
	info.psl_digest = psl_digest;
	info.names_digest = names_digest;
	info.ports_digest = ports_digest;
	info.libpsl = psl_get_version();
	info.pcre2 = pcre2_version;
	info.utf8proc = utf8proc_version();
	if (!info.psl_source)
		info.psl_source = "?";
	return &info;
}
