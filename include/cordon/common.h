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

#ifdef __cplusplus
}
#endif

#endif
