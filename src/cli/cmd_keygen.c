/* cordon keygen: a new random key file, mode 0600, never over an existing file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

static const char usage[] =
	"usage: cordon keygen FILE\n"
	"\n"
	"Writes a new key (32 random bytes, as hex) to FILE with mode 0600, for\n"
	"--operator pseudonym and encrypt and for cordon restore. An existing FILE\n"
	"is never overwritten. Keep the file: without it, encrypt tokens cannot be\n"
	"restored and pseudonyms of new data no longer match old ones.\n"
	"\n"
	"  -h, --help            this help\n";

void help_keygen(FILE *f)
{
	fputs(usage, f);
}

int cmd_keygen(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage, stdout);
		return cli_close_stdout();
	}
	if (argc != 2 || argv[1][0] == '-') {
		fputs(usage, stderr);
		return EXIT_ERROR;
	}
	const char *path = argv[1];
	unsigned char key[32];
	char hex[2 * sizeof(key) + 1];
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		cli_error("cannot get random bytes: %s", strerror(errno));
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < sizeof(key); i++) {
		hex[2 * i] = "0123456789abcdef"[key[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[key[i] & 15];
	}
	explicit_bzero(key, sizeof(key));
	size_t n = 2 * sizeof(key);
	hex[n++] = '\n';
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int status = EXIT_CLEAN;
	if (fd < 0) {
		cli_error("cannot create key file '%s': %s", path,
			  errno == EEXIST ? "it exists (cordon never overwrites a key)" : strerror(errno));
		status = EXIT_ERROR;
	} else if (fchmod(fd, 0600) < 0 || write(fd, hex, n) != (ssize_t)n || fsync(fd) < 0) {
		cli_error("cannot write key file '%s': %s", path, strerror(errno));
		unlink(path);
		status = EXIT_ERROR;
	}
	if (fd >= 0 && close(fd) < 0 && status == EXIT_CLEAN) {
		cli_error("cannot write key file '%s': %s", path, strerror(errno));
		status = EXIT_ERROR;
	}
	explicit_bzero(hex, sizeof(hex));
	return status;
}
