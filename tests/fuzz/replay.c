/* Replays a fuzz harness's corpus and reproducers as a test (as SQLite's
 * fuzzcheck does): each file, or each file of each directory, named on the
 * command line goes to LLVMFuzzerTestOneInput once. Built with the normal
 * compiler, so make test runs it plainly and under the sanitizers; a
 * harness's property failing aborts it. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int one(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open '%s'\n", path);
		return 1;
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0)
		if ((len += got) == cap)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	/* an exact-size copy, so reads past the end are caught */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0, n = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0)
			continue; /* no reproducers yet */
		if (!S_ISDIR(st.st_mode)) {
			bad |= one(argv[i]);
			n++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		for (struct dirent *e; d && (e = readdir(d));) {
			if (e->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			bad |= one(path);
			n++;
		}
		if (d)
			closedir(d);
	}
	printf("replay: %d inputs\n", n);
	return bad;
}
