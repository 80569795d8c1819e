/* data/datastores.txt, compiled in: "PORT[-PORT] tcp|udp NAME" per line,
 * '#' comments. */
#include <stdio.h>
#include <string.h>
#include "util/datastores.h"

extern const char cordon_data_datastores[];

cordon_code datastores_each(cordon_code (*fn)(void *arg, const char *name, unsigned lo, unsigned hi,
					      cordon_protocol proto),
			    void *arg)
{
	const char *p = cordon_data_datastores;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char line[160];
		if (n >= sizeof(line))
			return CORDON_ERR_PARSE;
		if (*p != '#' && n > 0) {
			memcpy(line, p, n);
			line[n] = '\0';
			unsigned lo, hi;
			char proto[8];
			int used = 0;
			if (sscanf(line, "%u-%u %7s %n", &lo, &hi, proto, &used) != 3) {
				used = 0;
				if (sscanf(line, "%u %7s %n", &lo, proto, &used) != 2)
					return CORDON_ERR_PARSE;
				hi = lo;
			}
			if (!used || !line[used] || lo > hi || hi > 65535 || (strcmp(proto, "tcp") && strcmp(proto, "udp")))
				return CORDON_ERR_PARSE;
			cordon_code rc = fn(arg, line + used, lo, hi,
					    !strcmp(proto, "udp") ? CORDON_PROTO_UDP : CORDON_PROTO_TCP);
			if (rc != CORDON_OK)
				return rc;
		}
		p += n + (eol ? 1 : 0);
	}
	return CORDON_OK;
}
