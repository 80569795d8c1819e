/* Linear cost, detector by detector. For each detector, texts made of its
 * own anchors repeated (and the shapes that wake it, cut and run together:
 * "O'O'O'...", "1.1.1.1.1...", "a@a@a@...") are scanned at two sizes; run
 * under callgrind (tests/linear/run.sh), each scan's instructions are dumped
 * by name, and the cost per byte must stay flat: a detector that rescans
 * from each position costs its square, and one crafted chat message would
 * stall the pipeline for hours. Run alone it prints the same scans' CPU
 * time, for looking, not for judging. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>
#include "cordon/cordon.h"
#include "detect/detector.h"

static const char *const shapes[] = {
	/* e-mail */ "a@", "a@b", "a@b.", "@.", "a.b@c.d@", "x at y dot ", "at at ", " at ", "&#64;", "%40",
	"\xef\xbc\xa0", "[at]", "(at)", "a(at)b(dot)", "a.", "-a@b-", "a_b@", "@@", "a@b.c.d.e.f.g.",
	/* ip */ "1.", "1.1.1.1.", "1.2.3.", "::", "1::", "a:", "ff:", "::ffff:", "1:2:3:4:5:6:7:", "0", "255.",
	/* phone, cards, ssn, iban */ "5", "55", "555-", "(555) ", "+1 ", "1 ", "4111 ", "4111-", "123-45-", "123-",
	"DE89 ", "DE", "GB82WEST", "1-", "1/", "+", "+4", "00 ", "1.1 ",
	/* mac, url credentials */ "00:", "0:", "00-", "0000.", "http://", "://", "a:b@", "//:@", "https://a:",
	/* secrets */ "password=", "password ", "pw ", "pin ", "pa", "pass:", "AKIA", "AK", "AA", "ghp_", "eyJ", "eyJa.",
	"=", "_", "-", "key=", "Key=", ";AccountKey=", "sig=", "&sig=", "token ", "secret: ", "xoxb-", "AIza",
	/* product keys */ "XXXXX-", "A-", "BBBBB-BBBBB-", "00391-", "N",
	/* person */ "O'", "O'B", "Mr ", "Mr. ", "A ", "Ab ", "Hi ", "Dear ", "\xc3\x93", "\xc3\x93l ", "Ana ",
	"Maria Lopez ", "van ", "de la ", "Ab-", "Ab'", "Ab:", "Thanks, ", "Name: ", "my name is ", "I'm ",
	/* location */ "1 ", "12 Main St ", "1 St ", "SW1A ", "75001 ", "12345 ", "Apt ", "Suite ", "NY 1", "CA 9",
	/* numbers (read once, then group by group; LOCATION reads a version
	 * back from its later groups) */ "1.1-", "1.1:", "1,1.", "10.0.1.", "2024-06-", "1.2.3.4-", "00:11:",
	/* runs */ "a", "1", ".", " ", "A", "Aa", "\n", "\xe2\x80\x8b", "\xc3\xa9",
};

/* A head, then one long run: a token or segment that never ends. */
static const struct {
	const char *head, *unit;
} runs[] = {
	{ "eyJ", "1" }, { "eyJhbGciOiJIUzI1NiJ9.", "1" }, { "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx.", "a1" },
	{ "-----BEGIN ", "-" }, { "password=", "a" }, { "password: \"", "a " }, { "http://a:", "b" },
	{ "Mr ", "Ab " }, { "a@", "b" }, { "a@b", ".c" }, { "AKIA", "A" }, { "ghp_", "a" }, { "xoxb-", "1" },
	{ "1.2.3.", "4" }, { "+1 ", "5" }, { "DE", "89" }, { "[at]", " " }, { "my name is ", "Ana " },
};

static char *repeat(const char *head, const char *unit, size_t size)
{
	size_t h = strlen(head), n = strlen(unit);
	char *s = malloc(size + 1);
	if (!s)
		exit(2);
	for (size_t i = 0; i < size; i++)
		s[i] = i < h ? head[i] : unit[(i - h) % n];
	s[size] = '\0';
	return s;
}

static int run(cordon_engine *e, const char *name, const char *head, const char *unit, size_t size)
{
	char *text = repeat(head, unit, size);
	const struct cordon_finding *f;
	size_t n;
	struct timespec a, b;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	CALLGRIND_TOGGLE_COLLECT;
	cordon_code rc = cordon_engine_scan(e, text, size, &f, &n);
	CALLGRIND_TOGGLE_COLLECT;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	CALLGRIND_DUMP_STATS_AT(name);
	if (!RUNNING_ON_VALGRIND)
		printf("%-40s %8zu bytes %10.3f ms\n", name, size,
		       (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6);
	free(text);
	return rc == CORDON_OK ? 0 : 1;
}

static int count_finding(void *ctx, const struct cordon_record_finding *f)
{
	(void)f;
	++*(size_t *)ctx;
	return 0;
}

/* One record of size bytes through a scanning stream, every finding
 * placed (line, column) and handed to a callback: the record's findings
 * must cost its length once, not once each. */
static int run_stream(cordon_engine *e, const char *name, cordon_format fmt, const char *head, const char *unit,
		      size_t size)
{
	char *text = repeat(head, unit, size);
	text[size - 1] = '\n';
	if (fmt == CORDON_FORMAT_CSV)
		text[size - 2] = '"';
	FILE *in = fmemopen(text, size, "r");
	size_t found = 0;
	struct cordon_stream_options so = { .format = fmt, .max_record = size + 1, .on_finding = count_finding,
					    .ctx = &found };
	cordon_stream *st = NULL;
	struct cordon_stream_stats stats = { 0 };
	cordon_code rc = cordon_stream_new(&st, e, &so);
	CALLGRIND_TOGGLE_COLLECT;
	if (rc == CORDON_OK)
		rc = cordon_stream_run(st, in, NULL, &stats);
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT(name);
	if (rc != CORDON_OK)
		fprintf(stderr, "%s: %s\n", name, cordon_stream_error(st));
	cordon_stream_free(st);
	fclose(in);
	free(text);
	return rc == CORDON_OK && found > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	size_t size = argc > 1 ? strtoul(argv[1], NULL, 10) : 65536;
	cordon_engine *e;
	if (cordon_engine_new(&e, NULL) != CORDON_OK)
		return 2;
	run(e, "warm-up", "", "a@b.c 1.2.3.4 Hi Ana ", 4096); /* tables built once, not counted */
	int failed = 0;
	char name[64];
	/* each detector's own anchor bytes, alone and after a letter */
	for (unsigned d = 0; d < CORDON_ENTITY_COUNT; d++)
		for (const char *a = cordon_detectors[d]->anchors; a && *a; a++) {
			char unit[3] = { *a, 0, 0 };
			snprintf(name, sizeof(name), "%s-anchor-%02x", cordon_detectors[d]->name, (unsigned char)*a);
			failed |= run(e, name, "", unit, size);
			unit[0] = 'x';
			unit[1] = *a;
			snprintf(name, sizeof(name), "%s-x-anchor-%02x", cordon_detectors[d]->name, (unsigned char)*a);
			failed |= run(e, name, "", unit, size);
		}
	for (size_t k = 0; k < sizeof(shapes) / sizeof(*shapes); k++) {
		snprintf(name, sizeof(name), "shape-%zu", k);
		failed |= run(e, name, "", shapes[k], size);
	}
	for (size_t k = 0; k < sizeof(runs) / sizeof(*runs); k++) {
		snprintf(name, sizeof(name), "run-%zu", k);
		failed |= run(e, name, runs[k].head, runs[k].unit, size);
	}
	/* a long record full of findings, on one line and (CSV) on many */
	failed |= run_stream(e, "stream-text-one-line", CORDON_FORMAT_TEXT, "", "mail u1@contoso.com ", size);
	failed |= run_stream(e, "stream-csv-many-lines", CORDON_FORMAT_CSV, "n\n\"", "u1@contoso.com\n", size);
	cordon_engine_free(e);
	return failed;
}
