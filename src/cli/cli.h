/* The cordon CLI: messages, exit codes, the options redact and scan share, and
 * the subcommand table. The CLI uses only the public API (include/cordon). */
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <time.h>
#include "cordon/cordon.h"

/* Exit codes, shared by every subcommand. */
enum cli_exit {
	EXIT_CLEAN = 0, /* done; for scan: nothing found */
	EXIT_FOUND = 1, /* scan found personal data */
	EXIT_ERROR = 2  /* bad usage, bad input, I/O error */
};

/* "cordon: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What getopt_long's ':' (a value missing) or '?' (an unknown option)
 * means, said for command; returns EXIT_ERROR. */
int cli_option_error(const char *command, int c, char **argv);
/* Checks that stdout was written in full; reports and returns EXIT_ERROR if not. */
int cli_close_stdout(void);

/* Options of the record commands (redact, scan, restore). */
struct record_options {
	int format_set;
	cordon_format format;
	const char **fields;
	size_t nfields;
	struct cordon_engine_options engine;
	cordon_operator op;
	const char *key_file;
	const char *output;
	const char *quarantine;
	const char *summary_json;
	const char *encoding;
	int in_place;
	unsigned jobs; /* 0: one per core */
	size_t max_record;
	size_t memory;                        /* --memory; 0: the library's default */
	int quiet;
	cordon_report_format report_format; /* scan: --report-format, --json */
	int report_format_set;
	const char *config;                   /* the config in use, or NULL */
	int no_config;                        /* --no-config */
	int subjects;                         /* scan --subjects */
	int explain;                          /* scan --explain */
	cordon_policy *policy;                /* the config, or NULL */
	const char *entities_arg;             /* -e, resolved once rules are known */
	const char *id_field;                 /* --id-field */
	const char *region;                   /* --region */
	double progress_every;                /* --progress[=SECONDS]; -1: not given */
	const struct cordon_field_policy *policies; /* the config's fields: */
	size_t npolicies;
	struct {
		unsigned op : 1, min_score : 1, entities : 1;
	} set; /* given on the command line: the config does not override them */
	char **files;
	int nfiles;
};

enum record_command { RECORDS_REDACT, RECORDS_SCAN, RECORDS_RESTORE, RECORDS_WORKER };

/* --help lines for the options the record commands share (options.c
 * parses them). */
#define RECORD_INPUT_HELP \
	"  -f, --format FMT      text (one record per line), jsonl, csv (header row) or\n" \
	"                        es-bulk (Elasticsearch _bulk); default from the file\n" \
	"                        name (.jsonl, .ndjson, .json, .csv; .gz/.zst looked\n" \
	"                        through), else text. gzip and zstd input is read as\n" \
	"                        such whatever its name, stdin too\n" \
	"      --encoding ENC    the input's charset (iconv names: WINDOWS-1252,\n" \
	"                        LATIN1, UTF-16LE...); records are written as UTF-8.\n" \
	"                        Default: UTF-8, or UTF-16 by its byte-order mark;\n" \
	"                        a text or CSV field that is not UTF-8 is read as\n" \
	"                        WINDOWS-1252 and written back as it was\n" \
	"      --quarantine FILE records that cannot be parsed or are too long go\n" \
	"                        here whole (mode 0600) instead of stopping the run\n" \
	"      --max-record SIZE longest record accepted (default 16M)\n" \
	"  -j, --jobs N          threads (default: one per core); the output is the\n" \
	"                        same, byte for byte, whatever N\n" \
	"      --memory SIZE     input held in flight by the jobs (default 64M): memory\n" \
	"                        stays near it, plus what one thread needs for the\n" \
	"                        longest record, whatever -j\n" \
	"      --summary-json FILE  write the counts (records, findings by entity,\n" \
	"                        fields that matched nothing) as JSON ('-': stdout)\n" \
	"  -q, --quiet           no progress line or summary on stderr\n" \
	"      --progress[=SECONDS]  a progress line every 10 s (or SECONDS; 0: at\n" \
	"                        every read) on stderr, also when it is not a\n" \
	"                        terminal (CI jobs, Kubernetes logs)\n" \
	"  -h, --help            this help\n"

#define RECORD_OPTIONS_HELP \
	"      --field PATH      jsonl, es-bulk: only values under this dotted path\n" \
	"                        (repeatable; arrays are transparent; a '.' inside\n" \
	"                        a key is written \\.); csv: only this column. Default:\n" \
	"                        all. A --field that matches nothing is reported, and\n" \
	"                        when none matches anything the run fails\n" \
	"  -e, --entities LIST   comma-separated entities to find; default: all\n" \
	"      --region CC       the country national phone numbers are read in, for\n" \
	"                        finding them after a phone word, pseudonyms and\n" \
	"                        subjects (US, DE, GB, IN...; default US); numbers\n" \
	"                        written with +CC, 00CC or 011 need none\n" \
	"      --min-score N     drop findings scoring below N (0-1; default 0.5)\n" \
	"      --config FILE     defaults and field policies (default: $CORDON_CONFIG,\n" \
	"                        else ./cordon.yaml when present, named on stderr;\n" \
	"                        options given here win over it)\n" \
	"      --no-config       read no config file\n" \
	RECORD_INPUT_HELP \
	"\n" \
	"Entities: EMAIL_ADDRESS IP_ADDRESS PHONE_NUMBER CREDIT_CARD IBAN_CODE US_SSN\n" \
	"          MAC_ADDRESS URL_CREDENTIALS SECRET PRODUCT_KEY PERSON LOCATION,\n" \
	"          and the rules of the config (DENY_LIST for its deny list)\n"

/* Parses argv (after the subcommand name). Returns -1 to exit 0 (help
 * shown), 0 on success, EXIT_ERROR after printing why. */
int record_options_parse(struct record_options *o, enum record_command cmd, int argc, char **argv,
			 const char *usage);
void record_options_release(struct record_options *o);
/* Options a command adds to the record options (the worker's): longopts
 * ended by a zeroed row, with codes from 600 up; take returns 0, or
 * EXIT_ERROR after saying why. */
struct record_extra {
	const struct option *longopts;
	int (*take)(void *ctx, int code, const char *arg);
	void *ctx;
};
int record_options_parse_extra(struct record_options *o, enum record_command cmd, int argc, char **argv,
			       const char *usage, const struct record_extra *extra);
/* Sets the redactor's key from key_file, else from CORDON_KEY. With neither,
 * fails (saying needed_by needs one) unless needed_by is NULL. 1 when a key
 * was set, 0 when none was (and none needed), -1 after an error. */
int cli_load_key(cordon_redactor *r, const char *key_file, const char *needed_by);
/* The config's operators and the key (from --key-file or CORDON_KEY) on a
 * redactor, for redact and the worker: a key is read only when the
 * operator or a field policy needs one, or --key-file names one. 0, or -1
 * after saying why. */
int cli_redactor_setup(cordon_redactor *r, const struct record_options *o);
/* Prints the summary of a run on stderr. */
void print_summary(const char *verb, const struct cordon_stream_stats *s, int redacting,
		   const cordon_engine *engine);
/* Room for need elements of elem bytes in the array at *(T **)ptr of
 * capacity *alloc; 0, or -1 on overflow or out of memory (then unchanged).
 * CLI_GROW(v, n + 1, cap) as the library's ALLOC_GROW. */
int cli_grow(void *ptr, size_t need, size_t *alloc, size_t elem) __attribute__((warn_unused_result));
#define CLI_GROW(x, nr, alloc) ((size_t)(nr) <= (alloc) ? 0 : cli_grow(&(x), (nr), &(alloc), sizeof(*(x))))
/* "64M", "1k", "4096": a size in bytes (k, M, G are 2^10...); 0, or -1
 * when it is not one (or is 0). */
int cli_parse_size(const char *s, size_t *out);
/* --jobs: a number from 1 to 256. 0, or -1 when it is none. */
int cli_parse_jobs(const char *s, unsigned *out);
/* s[0, n) as "2026-11-01T08:00:00Z" or "2026-11-01" (midnight), UTC. 0, or -1. */
int cli_parse_time(const char *s, size_t n, time_t *out);
/* Writes s to f as a JSON string. */
void cli_put_json(FILE *f, const char *s);
/* Writes s to f with control characters escaped (\n, \t, \xHH), so a
 * finding stays on one line whatever a file name, field or id holds. */
void cli_put_safe(FILE *f, const char *s);

/* A subcommand: one cmd_*.c file and one row of the table in main.c. Its
 * help (what --help prints) is also what `cordon help NAME` prints, what
 * shell completion is made from, and what the man pages are tested
 * against. */
struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	void (*help)(FILE *f);
};

/* The command table (main.c), ended by a row with a NULL name. */
extern const struct cli_command cli_commands[];
/* The main usage (cordon --help). */
void cli_usage(FILE *f);

int cmd_redact(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_completion(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_exposures(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_access(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_consume(int argc, char **argv);
void help_redact(FILE *f);
void help_scan(FILE *f);
void help_restore(FILE *f);
void help_keygen(FILE *f);
void help_audit(FILE *f);
void help_help(FILE *f);
void help_version(FILE *f);
void help_completion(FILE *f);
void help_probe(FILE *f);
void help_watch(FILE *f);
void help_exposures(FILE *f);
void help_report(FILE *f);
void help_access(FILE *f);
void help_worker(FILE *f);
void help_publish(FILE *f);
void help_consume(FILE *f);

/* The config file to read: given (--config), else $CORDON_CONFIG, else
 * ./cordon.yaml when there is one, said on stderr when not given; NULL with
 * --no-config or when there is none. */
const char *cli_config_path(const char *given, int no_config);
/* Reads the config at path (NULL: none) into *out (NULL when none).
 * EXIT_CLEAN, or EXIT_ERROR after saying why. */
int cli_policy_load(const char *path, cordon_policy **out);
/* The watch's state file: *state when given (--state), else the config's
 * watch: state: (config as for cli_config_path), whose policy is kept in
 * *policy (the string lives in it: free it after). EXIT_CLEAN, or
 * EXIT_ERROR after saying why. */
int cli_watch_state(const char **state, const char *config, cordon_policy **policy);

#endif
