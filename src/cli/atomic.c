/* Whole-or-nothing output files (see atomic.h). The temporary name is
 * "<target>.cordon-XXXXXX" in the target's directory, so rename(2) is atomic
 * and a run killed at any moment leaves the old file or the new one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/atomic.h"
#include "cli/cli.h"
#include "cli/compress.h"

#define TMP_SUFFIX ".cordon-"

int atomic_open(struct atomic_out *a, const char *path, mode_t mode)
{
	memset(a, 0, sizeof(*a));
	a->path = path;
	a->fd = -1;
	size_t n = strlen(path);
	a->tmp = malloc(n + sizeof(TMP_SUFFIX "XXXXXX"));
	if (!a->tmp) {
		cli_error("cannot create output '%s': out of memory", path);
		return -1;
	}
	memcpy(a->tmp, path, n);
	memcpy(a->tmp + n, TMP_SUFFIX "XXXXXX", sizeof(TMP_SUFFIX "XXXXXX"));
	a->fd = mkstemp(a->tmp);
	if (a->fd < 0) {
		cli_error("cannot create output '%s': %s", path, strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		return -1;
	}
	if (mode == (mode_t)-1) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(a->fd, mode) < 0 || !(a->f = compress_open_write(a->fd, path))) {
		cli_error("cannot create output '%s': %s", path, strerror(errno));
		atomic_abort(a);
		return -1;
	}
	return 0;
}

void atomic_chown_like(struct atomic_out *a, const char *like)
{
	struct stat st;
	if (stat(like, &st) == 0 && fchown(a->fd, st.st_uid, st.st_gid) < 0) {
		/* not root: the new file is ours, as any editor's would be */
	}
}

static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return;
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
}

int atomic_commit(struct atomic_out *a)
{
	int failed = fclose(a->f) != 0; /* flushes the compressor too */
	a->f = NULL;
	failed |= fsync(a->fd) != 0;
	failed |= close(a->fd) != 0;
	a->fd = -1;
	if (failed || rename(a->tmp, a->path) != 0) {
		cli_error("cannot write output '%s': %s", a->path, strerror(errno));
		atomic_abort(a);
		return -1;
	}
	sync_dir(a->path);
	free(a->tmp);
	a->tmp = NULL;
	return 0;
}

void atomic_abort(struct atomic_out *a)
{
	if (a->f)
		fclose(a->f);
	if (a->fd >= 0)
		close(a->fd);
	if (a->tmp) {
		unlink(a->tmp);
		free(a->tmp);
	}
	a->f = NULL;
	a->fd = -1;
	a->tmp = NULL;
}

void atomic_sweep(const char *path)
{
	char *d = strdup(path), *b = strdup(path);
	if (!d || !b)
		goto out;
	const char *dir = dirname(d), *base = basename(b);
	size_t blen = strlen(base), slen = strlen(TMP_SUFFIX);
	DIR *dh = opendir(dir);
	if (!dh)
		goto out;
	for (struct dirent *e; (e = readdir(dh));) {
		size_t n = strlen(e->d_name);
		if (n == blen + slen + 6 && !strncmp(e->d_name, base, blen) &&
		    !strncmp(e->d_name + blen, TMP_SUFFIX, slen))
			unlinkat(dirfd(dh), e->d_name, 0);
	}
	closedir(dh);
out:
	free(d);
	free(b);
}
