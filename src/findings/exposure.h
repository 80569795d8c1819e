/* What the library's finders (audit; probe and watch next) share to make
 * a struct cordon_exposure whole: its check id, fingerprint, and the texts
 * made from its sources. Each returns a malloc'd string the caller keeps,
 * or NULL when out of memory. */
#ifndef CORDON_FINDINGS_EXPOSURE_H
#define CORDON_FINDINGS_EXPOSURE_H

#include "cordon/findings.h"

/* "network-exposure/elasticsearch-opensearch" from kind and datastore. */
char *exposure_check(const char *kind, const char *datastore);
/* The fingerprint of e's kind, platform, resource, port and protocol. */
char *exposure_fingerprint(const struct cordon_exposure *e);
/* "the IPv4 Internet except 198.51.100.0/24", "203.0.113.7/32": at most
 * a dozen items, then how many more. */
char *exposure_sources_text(const struct cordon_exposure *e);
/* "the whole Internet", "2 addresses", "65,536 addresses and 1 IPv6 range". */
char *exposure_width(const struct cordon_exposure *e);

#endif
