/* Public Suffix List look-ups. The list is loaded once (psl_latest picks the
 * newest of libpsl's built-in copy and Debian's publicsuffix package). */
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <utf8proc.h>
#include <libpsl.h>
#include "detect/psl.h"
#include "detect/text.h"

static psl_ctx_t *psl_file; /* the distribution's list, when it is the one */
static const psl_ctx_t *psl;
static const char *psl_from; /* its file name, or NULL: libpsl's built-in copy */
static time_t psl_time;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

/* The newer of the distribution's list (Debian's publicsuffix package)
 * and libpsl's built-in copy, as psl_latest chooses; chosen here so that
 * which one is in use can be said (cordon version --json): two machines
 * with different lists can find different addresses. */
static void psl_load(void)
{
	const char *dist = psl_dist_filename();
	struct stat st;
	time_t builtin = psl_builtin_file_time();
	if (dist && *dist && stat(dist, &st) == 0 && st.st_mtime > builtin && (psl_file = psl_load_file(dist))) {
		psl = psl_file;
		psl_from = dist;
		psl_time = st.st_mtime;
		return;
	}
	psl = psl_builtin();
	psl_time = builtin;
}

void psl_source(const char **file, time_t *when)
{
	pthread_once(&psl_once, psl_load);
	*file = psl_from;
	*when = psl_time;
}

int psl_is_tld(const char *label, size_t len)
{
	char low[64];
	if (len == 0 || len >= 4 * sizeof(low))
		return 0;
	if ((unsigned char)label[0] >= 0x80) {
		/* fullwidth "ｃｏｍ": fold compatibility forms, then look up */
		utf8proc_uint8_t *folded = NULL;
		utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)label, (utf8proc_ssize_t)len,
						  &folded, UTF8PROC_STABLE | UTF8PROC_COMPAT |
								   UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		int ok = 0;
		if (n > 0 && folded[0] < 0x80) {
			ok = psl_is_tld((const char *)folded, (size_t)n);
		} else if (n > 0) {
			/* a suffix in its own script ("укр", "中国", "한국"):
			 * letters and marks only, as libpsl takes it (UTF-8,
			 * lowercase) */
			ok = 1;
			for (utf8proc_ssize_t i = 0; i < n && ok;) {
				utf8proc_int32_t cp;
				utf8proc_ssize_t k = utf8proc_iterate(folded + i, n - i, &cp);
				utf8proc_category_t cat = k > 0 ? utf8proc_category(cp) : UTF8PROC_CATEGORY_CN;
				ok = k > 0 && cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
				i += k > 0 ? k : 1;
			}
			pthread_once(&psl_once, psl_load);
			ok = ok && psl && psl_is_public_suffix2(psl, (const char *)folded, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
		}
		free(folded);
		return ok;
	}
	if (len >= sizeof(low))
		return 0;
	for (size_t i = 0; i < len; i++) {
		uchar c = (uchar)label[i];
		if (!is_alnum(c) && c != '-')
			return 0;
		low[i] = (char)to_lower(c);
	}
	low[len] = '\0';
	if (is_digit((uchar)low[0]))
		return 0;
	/* libpsl takes about a thousand instructions a label, and prose asks
	 * the same few words again and again ("for", "the", "com"): the last
	 * answers, per thread, by the label's hash */
	enum { CACHE = 256, CACHED_MAX = 15 };
	static _Thread_local struct {
		char label[CACHED_MAX + 1]; /* "": empty */
		int answer;
	} cache[CACHE];
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uchar)low[i]) * 16777619u;
	h = (h ^ (h >> 16)) & (CACHE - 1);
	if (len <= CACHED_MAX && !strcmp(cache[h].label, low))
		return cache[h].answer;
	pthread_once(&psl_once, psl_load);
	if (!psl)
		return 0;
	int answer = psl_is_public_suffix2(psl, low, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
	if (len <= CACHED_MAX) {
		memcpy(cache[h].label, low, len + 1);
		cache[h].answer = answer;
	}
	return answer;
}
