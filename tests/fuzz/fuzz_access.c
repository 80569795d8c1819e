/* libFuzzer: cordon access's log readers (src/access/log_*.c) on arbitrary
 * bytes, told as a format by content, read with and without a quarantine.
 * Each read must end, cleanly or with a reason; the result must hold
 * together: verdicts in range, no source with more flows than the records
 * read in the window, a window verdict no better than any source's, and
 * with a quarantine every line not read counted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "cordon/access.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd_of(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dests[] = { "10.0.0.4:9200", "2001:db8::/64" };
	struct cordon_access_options o = CORDON_ACCESS_OPTIONS_INIT;
	o.from = 1764547200; /* 2025-12-01 */
	o.to = o.from + 3 * 3600;
	o.dests = dests;
	o.ndests = 2;
	o.include_private = size & 1;
	for (int quarantined = 0; quarantined < 2; quarantined++) {
		cordon_access *a;
		if (cordon_access_new(&a, &o) != CORDON_OK)
			abort();
		FILE *q = quarantined ? fopen("/dev/null", "w") : NULL;
		int fd = fd_of(data, size);
		cordon_code rc = cordon_access_read_fd(a, fd, "fuzz", q);
		close(fd);
		if (q)
			fclose(q);
		if (rc != CORDON_OK && !cordon_access_error(a)[0] && rc != CORDON_ERR_NOMEM)
			abort(); /* a failure says why */
		struct cordon_access_result r;
		if (rc == CORDON_OK && cordon_access_result(a, &r) == CORDON_OK) {
			if (r.verdict > CORDON_ACCESS_READ)
				abort();
			for (size_t k = 0; k < r.nsources; k++) {
				const struct cordon_access_source *s = &r.sources[k];
				if (s->verdict > r.verdict || s->flows + s->denied > r.records_in_window ||
				    (s->internal && !o.include_private))
					abort();
			}
			if ((r.ngaps || r.malformed) && r.verdict < CORDON_ACCESS_UNKNOWN)
				abort();
			FILE *out = fopen("/dev/null", "w");
			for (int f = CORDON_ACCESS_TEXT; f <= CORDON_ACCESS_CSV; f++)
				if (cordon_access_report(out, (cordon_access_format)f, &r) != CORDON_OK)
					abort();
			fclose(out);
		}
		cordon_access_free(a);
	}
	return 0;
}
