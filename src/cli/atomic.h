/* Output files that appear whole or not at all: written under a temporary
 * name beside the target, fsynced, renamed over it, the directory fsynced. */
#ifndef CORDON_CLI_ATOMIC_H
#define CORDON_CLI_ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

struct atomic_out {
	const char *path;
	char *tmp;
	int fd;
	FILE *f; /* compresses when path ends in .gz or .zst */
};

/* Creates the temporary file with mode (-1: 0666 less the umask). Prints why
 * and returns -1 on failure. */
int atomic_open(struct atomic_out *a, const char *path, mode_t mode);
/* Copies the owner of `like` onto the temporary file, where allowed. */
void atomic_chown_like(struct atomic_out *a, const char *like);
/* Flushes, fsyncs and renames into place. Prints why and returns -1 on failure
 * (the temporary file is then removed). */
int atomic_commit(struct atomic_out *a);
/* Drops the temporary file. */
void atomic_abort(struct atomic_out *a);
/* Removes temporary files a killed run left beside path. */
void atomic_sweep(const char *path);

#endif
