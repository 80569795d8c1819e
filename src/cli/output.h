/* Where the CLI writes: one way for every output option (-o, --quarantine,
 * --summary-json, --in-place). "-" is stdout. A device, FIFO or socket is
 * written as it is: never replaced, its mode never changed. A regular file
 * (or a new one) is written under a temporary name beside it, fsynced and
 * renamed over it on commit, so a killed run leaves the old file or the new
 * one, never a mix; a symbolic link is followed, so its target gets the
 * result. And before anything is opened, every output is checked against
 * every input and every other output, by inode as well as by name. */
#ifndef CORDON_CLI_OUTPUT_H
#define CORDON_CLI_OUTPUT_H

#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

struct output {
	const char *path; /* as given */
	const char *what; /* "output", "quarantine", ... for messages */
	char *target;     /* the file renamed over (a link's target), or NULL */
	char *tmp;        /* the temporary file's name, or NULL when written directly */
	int unnamed;      /* the temporary file has no name yet (O_TMPFILE) */
	int fd;
	FILE *f;
	int is_stdout;
};

/* Opens path ("-": stdout). mode: of a new regular file (-1: 0666 less the
 * umask). codec: "gzip", "zstd" or NULL, else the suffix of path (.gz,
 * .zst) decides. Prints why and returns -1 on failure. */
int output_open(struct output *o, const char *path, const char *what, mode_t mode, const char *codec);
/* Gives a regular file's owner and group (where allowed) to the output. */
void output_chown_like(struct output *o, const struct stat *st);
/* Finishes: flushes, and for a regular file fsyncs and renames it into
 * place. Prints why and returns -1 on failure (the temporary file is then
 * removed). */
int output_commit(struct output *o);
/* Drops what was written (a regular file's temporary; a stream is left). */
void output_abort(struct output *o);
/* Whole or not at all: commits the output when status is not EXIT_ERROR,
 * else drops it. Returns status, or EXIT_ERROR when committing failed. */
int output_finish(struct output *o, int status);
/* Removes temporary files a killed run left beside path. */
void output_sweep(const char *path);

/* A place an option names, for the conflict check. */
struct place {
	const char *path; /* "-": stdin (an input) or stdout (an output) */
	const char *option; /* "--quarantine", "input", ... */
	int output;
};
/* Refuses (prints why, returns -1) an output that is an input, or is
 * another output, by name or by inode; /dev/null may be named twice. */
int places_check(const struct place *p, size_t n);

#endif
