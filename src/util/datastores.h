/* The built-in data-store port table (data/datastores.txt), read by audit
 * (which ports to check) and probe (which ports to try, and which probe
 * speaks to each). */
#ifndef CORDON_UTIL_DATASTORES_H
#define CORDON_UTIL_DATASTORES_H

#include "cordon/findings.h"

/* Calls fn for each line "PORT[-PORT] tcp|udp NAME" of the table, in
 * order, until it returns other than CORDON_OK; CORDON_ERR_PARSE on a bad
 * line (the shipped table is checked by the tests). */
cordon_code datastores_each(cordon_code (*fn)(void *arg, const char *name, unsigned lo, unsigned hi,
					      cordon_protocol proto),
			    void *arg);

#endif
