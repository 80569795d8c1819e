/* Outputs (see output.h). The temporary name is "<target>.cordon-XXXXXX" in
 * the target's directory, so rename(2) is atomic. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "compress.h"
#include "output.h"

#define TMP_SUFFIX ".cordon-"

static void output_clear(struct output *o)
{
	free(o->target);
	free(o->tmp);
	o->target = o->tmp = NULL;
	o->f = NULL;
	o->fd = -1;
	o->unnamed = 0;
}

int output_open(struct output *o, const char *path, const char *what, mode_t mode, const char *codec)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->what = what;
	o->fd = -1;
	if (!strcmp(path, "-")) {
		o->is_stdout = 1;
		o->fd = STDOUT_FILENO;
		if (!codec) {
			o->f = stdout;
			return 0;
		}
		if (!(o->f = compress_open_write(STDOUT_FILENO, "", codec))) {
			cli_error("cannot write %s 'stdout': %s", what, strerror(errno));
			return -1;
		}
		return 0;
	}
	struct stat st;
	/* a symbolic link: its target is what gets written */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && !(o->target = realpath(path, NULL))) {
		cli_error("cannot write %s '%s': %s", what, path,
			  errno == ENOENT ? "it is a symbolic link to nothing" : strerror(errno));
		return -1;
	}
	const char *name = o->target ? o->target : path;
	if (stat(name, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			cli_error("cannot write %s '%s': it is a directory", what, path);
			output_clear(o);
			return -1;
		}
		/* a device, FIFO or socket: written as it is, never replaced */
		o->fd = open(name, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (o->fd < 0 || !(o->f = compress_open_write(o->fd, path, codec))) {
			cli_error("cannot write %s '%s': %s", what, path, strerror(errno));
			if (o->fd >= 0)
				close(o->fd);
			output_clear(o);
			return -1;
		}
		return 0;
	}
	if (!o->target && !(o->target = strdup(path))) {
		cli_error("cannot write %s '%s': out of memory", what, path);
		return -1;
	}
	output_sweep(o->target);
	size_t n = strlen(o->target);
	if (!(o->tmp = malloc(n + sizeof(TMP_SUFFIX "XXXXXX")))) {
		cli_error("cannot write %s '%s': out of memory", what, path);
		output_clear(o);
		return -1;
	}
	memcpy(o->tmp, o->target, n);
	memcpy(o->tmp + n, TMP_SUFFIX "XXXXXX", sizeof(TMP_SUFFIX "XXXXXX"));
	/* an unnamed file in the target's directory: a run killed before the
	 * commit leaves nothing behind (restored clear data included); it gets
	 * its temporary name only to be renamed over the target */
	char *dir = strdup(o->target);
	o->fd = dir && access("/proc/self/fd", X_OK) == 0
			? open(dirname(dir), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600)
			: -1;
	free(dir);
	o->unnamed = o->fd >= 0;
	if (o->fd < 0)
		o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		cli_error("cannot create %s '%s': %s", what, path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		output_clear(o);
		return -1;
	}
	if (mode == (mode_t)-1) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(o->fd, mode) < 0 || !(o->f = compress_open_write(o->fd, path, codec))) {
		cli_error("cannot create %s '%s': %s", what, path, strerror(errno));
		output_abort(o);
		return -1;
	}
	return 0;
}

void output_chown_like(struct output *o, const struct stat *st)
{
	if (o->tmp && fchown(o->fd, st->st_uid, st->st_gid) < 0) {
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

int output_commit(struct output *o)
{
	int failed = 0;
	errno = 0;
	if (o->f == stdout)
		failed = fflush(stdout) != 0 || ferror(stdout);
	else if (o->f)
		failed = fclose(o->f) != 0; /* flushes the compressor too */
	o->f = NULL;
	if (o->is_stdout) {
		if (failed)
			cli_error("cannot write %s 'stdout': %s", o->what, strerror(errno ? errno : EIO));
		output_clear(o);
		return failed ? -1 : 0;
	}
	if (o->tmp) {
		failed = failed || fsync(o->fd) != 0;
		if (!failed && o->unnamed) {
			/* a name for the unnamed file, then renamed over the target */
			char proc[64];
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
			size_t n = strlen(o->tmp);
			for (int tries = 0; tries < 100; tries++) {
				memcpy(o->tmp + n - 6, "XXXXXX", 6);
				int fd = mkostemp(o->tmp, O_CLOEXEC); /* picks a free name */
				if (fd < 0)
					break;
				close(fd);
				unlink(o->tmp);
				if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0) {
					o->unnamed = 0;
					break;
				}
				if (errno != EEXIST)
					break;
			}
			failed = o->unnamed;
		}
		failed |= close(o->fd) != 0;
		o->fd = -1;
		if (!failed && rename(o->tmp, o->target) == 0) {
			sync_dir(o->target);
			output_clear(o);
			return 0;
		}
	} else {
		failed |= close(o->fd) != 0;
		o->fd = -1;
	}
	if (failed || o->tmp) {
		cli_error("cannot write %s '%s': %s", o->what, o->path, strerror(errno ? errno : EIO));
		output_abort(o);
		return -1;
	}
	output_clear(o);
	return 0;
}

void output_abort(struct output *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	if (o->fd >= 0 && !o->is_stdout)
		close(o->fd);
	if (o->tmp && !o->unnamed)
		unlink(o->tmp);
	output_clear(o);
}

void output_sweep(const char *path)
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

/* --- conflicts ------------------------------------------------------------- */

struct ident {
	int exists, regular, devnull;
	dev_t dev;
	ino_t ino;
	char *name; /* a file not there yet: its directory's real path and name */
};

static int identify(const struct place *p, const struct stat *devnull, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	struct stat st;
	int r = !strcmp(p->path, "-") ? fstat(p->output ? STDOUT_FILENO : STDIN_FILENO, &st) : stat(p->path, &st);
	if (r == 0) {
		id->exists = 1;
		id->regular = S_ISREG(st.st_mode);
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->devnull = S_ISCHR(st.st_mode) && devnull && st.st_rdev == devnull->st_rdev;
		return 0;
	}
	if (!p->output || !strcmp(p->path, "-"))
		return 0; /* an input that is not there fails when it is opened */
	char *d = strdup(p->path), *b = strdup(p->path);
	char *dir = d ? realpath(dirname(d), NULL) : NULL;
	const char *base = b ? basename(b) : NULL;
	if (dir && base && (id->name = malloc(strlen(dir) + strlen(base) + 2)))
		snprintf(id->name, strlen(dir) + strlen(base) + 2, "%s/%s", dir, base);
	free(dir);
	free(d);
	free(b);
	return 0;
}

static int same(const struct ident *a, const struct ident *b)
{
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	return a->name && b->name && !strcmp(a->name, b->name);
}

int places_check(const struct place *p, size_t n)
{
	struct stat devnull;
	int have_null = stat("/dev/null", &devnull) == 0;
	struct ident *ids = calloc(n ? n : 1, sizeof(*ids));
	if (!ids) {
		cli_error("out of memory");
		return -1;
	}
	int status = 0;
	for (size_t i = 0; i < n; i++)
		identify(&p[i], have_null ? &devnull : NULL, &ids[i]);
	for (size_t i = 0; i < n && !status; i++) {
		if (!p[i].output)
			continue;
		for (size_t k = 0; k < n && !status; k++) {
			if (k == i || !same(&ids[i], &ids[k]) || ids[i].devnull)
				continue;
			if (p[k].output && k < i)
				continue; /* each pair once */
			/* an input is only at risk as a file; a terminal may be both */
			if (!p[k].output && ids[i].exists && !ids[i].regular)
				continue;
			if (p[k].output)
				cli_error("cannot write %s '%s': %s names it too", p[i].option, p[i].path, p[k].option);
			else
				cli_error("cannot write %s '%s': it is one of the inputs ('%s'), which it would destroy",
					  p[i].option, p[i].path, p[k].path);
			status = -1;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i].name);
	free(ids);
	return status;
}

int output_finish(struct output *o, int status)
{
	if (status == EXIT_ERROR) {
		output_abort(o);
		return status;
	}
	return output_commit(o) ? EXIT_ERROR : status;
}
