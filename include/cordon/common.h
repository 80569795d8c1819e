/* cordon: what every public header shares: error codes, version, export macro. */
#ifndef CORDON_COMMON_H
#define CORDON_COMMON_H

#include <stddef.h>

#if defined(CORDON_BUILDING_LIBRARY)
#define CORDON_API __attribute__((visibility("default")))
#else
#define CORDON_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Every fallible library call returns one of these; CORDON_OK is 0. */
typedef enum cordon_code {
	CORDON_OK = 0,
	CORDON_ERR_NOMEM,     /* out of memory */
	CORDON_ERR_ARG,       /* invalid argument (misuse; state unchanged) */
	CORDON_ERR_PARSE,     /* a record could not be parsed */
	CORDON_ERR_TOO_LARGE, /* a record exceeds the configured maximum */
	CORDON_ERR_IO,        /* read or write failed */
	CORDON_ERR_KEY,       /* missing, short or unsafe key */
	CORDON_ERR_CALLBACK   /* a callback asked to stop */
} cordon_code;

/* A static, lowercase description of a code. Never NULL. */
CORDON_API const char *cordon_strerror(cordon_code code);

/* The library's version, "MAJOR.MINOR.PATCH". */
CORDON_API const char *cordon_version(void);

/* What a build's results depend on beyond its version, so findings can be
 * told apart between machines: the Public Suffix List in use (the newer
 * of Debian's and libpsl's built-in copy), the name lists and port
 * tables compiled in, and the libraries' versions. */
struct cordon_build_info {
	const char *version;       /* "0.1.0" */
	const char *revision;      /* the git revision built, or "unknown" */
	const char *psl_source;    /* the list's file, or "built into libpsl" */
	const char *psl_date;      /* its date, YYYY-MM-DD (UTC) */
	const char *psl_digest;    /* "sha256:..." of the file, or libpsl's "sha1:..." */
	const char *names_digest;  /* "sha256:..." of the word and place tables (PERSON, LOCATION) */
	const char *ports_digest;  /* "sha256:..." of the data-store and management port tables */
	const char *libpsl;        /* library versions */
	const char *pcre2;
	const char *utf8proc;
};
/* Filled on first use; never NULL. */
CORDON_API const struct cordon_build_info *cordon_build_info(void);

#ifdef __cplusplus
}
#endif

#endif
