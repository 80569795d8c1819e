/* Phone numbers in E.164 (+491711234567) by libphonenumber, which knows
 * each country's trunk prefix ("+49 (0)171..." drops the 0, Italy keeps
 * it), international prefixes ("0044", "011") and national forms read in
 * a default region. C++ (phone_e164.cc) behind a C interface. */
#ifndef CORDON_DETECT_PHONE_E164_H
#define CORDON_DETECT_PHONE_E164_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes text[0, len)'s E.164 form into out (NUL-terminated, cut to cap)
 * and returns its length; 0 when libphonenumber cannot read it as a
 * possible number in region (ISO 3166 alpha-2, "US"; NULL or "ZZ": none,
 * only international forms). Never throws. */
size_t phone_e164(const char *text, size_t len, const char *region, char *out, size_t cap);
/* Is text[0, len) a valid number (a real numbering plan's length and
 * prefixes, not only a possible one) read in region? Never throws. */
int phone_valid(const char *text, size_t len, const char *region);
/* Is region one libphonenumber knows ("DE", any case)? */
int phone_region_ok(const char *region);

#ifdef __cplusplus
}
#endif
#endif
