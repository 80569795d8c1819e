/* Key files: checked before they are read (private_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/private_file.h"

static int check_fd(int fd, const char *path, const char *what, char *err, size_t cap, int *why)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(err, cap, "cannot use %s '%.200s': %s", what, path, strerror(errno));
		*why = PRIVATE_FILE_IO;
		return -1;
	}
	*why = PRIVATE_FILE_EXPOSED;
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, cap, "cannot use %s '%.200s': it is not a regular file", what, path);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, cap, "cannot use %s '%.200s': group or others can access it (mode %03o); chmod 600 it",
			 what, path, (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

static int open_private(const char *path, const char *what, char *err, size_t cap, int *why)
{
	/* O_NONBLOCK: a FIFO must not hang the open; only a regular file is read */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, cap, "cannot use %s '%.200s': %s", what, path, strerror(errno));
		*why = PRIVATE_FILE_IO;
		return -1;
	}
	if (check_fd(fd, path, what, err, cap, why)) {
		close(fd);
		return -1;
	}
	return fd;
}

int private_file_check(const char *path, const char *what, char *err, size_t cap)
{
	int why;
	int fd = open_private(path, what, err, cap, &why);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

char *private_file_load(const char *path, const char *what, size_t max, size_t *len, char *err, size_t cap,
			int *why)
{
	int fd = open_private(path, what, err, cap, why);
	if (fd < 0)
		return NULL;
	char *buf = malloc(max + 1);
	size_t got = 0;
	ssize_t n = 0;
	while (buf && got < max + 1 && (n = read(fd, buf + got, max + 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (!buf) {
		snprintf(err, cap, "cannot read %s '%.200s': out of memory", what, path);
		*why = PRIVATE_FILE_NOMEM;
		return NULL;
	}
	if (n < 0 || got > max) {
		if (n < 0)
			snprintf(err, cap, "cannot use %s '%.200s': %s", what, path, strerror(errno));
		else
			snprintf(err, cap, "cannot use %s '%.200s': it is longer than %zu bytes", what, path, max);
		*why = n < 0 ? PRIVATE_FILE_IO : PRIVATE_FILE_LONG;
		explicit_bzero(buf, got); /* what was read of a secret */
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}

char *private_file_read(const char *path, const char *what, size_t max, size_t *len, char *err, size_t cap)
{
	int why;
	return private_file_load(path, what, max, len, err, cap, &why);
}
