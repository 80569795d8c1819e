/* The cordon CLI: messages, exit codes, the options redact and scan share, and
 * the subcommand table. The CLI uses only the public API (include/cordon). */
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include <stdio.h>
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
/* Checks that stdout was written in full; reports and returns EXIT_ERROR if not. */
int cli_close_stdout(void);

/* Options of the record commands (redact, scan). */
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
	int in_place;
	unsigned jobs; /* 0: one per core */
	size_t max_record;
	int quiet;
	int json;
	const char *config;                   /* --config, or ./cordon.yaml when present */
	int subjects;                         /* scan --subjects */
	int explain;                          /* scan --explain */
	char **allow;                         /* from the config */
	size_t nallow;
	int entity_op[CORDON_ENTITY_MAX];     /* from the config; -1: none */
	struct cordon_rule *rules;            /* from the config */
	size_t nrules;
	const char *entities_arg;             /* -e, resolved once rules are known */
	const char *id_field;                 /* --id-field */
	struct cordon_field_policy *policies; /* from the config */
	size_t npolicies;
	struct {
		unsigned op : 1, min_score : 1, entities : 1;
	} set; /* given on the command line: the config does not override them */
	char **files;
	int nfiles;
};

enum record_command { RECORDS_REDACT, RECORDS_SCAN };

/* --help lines for the options redact and scan share (options.c parses them). */
#define RECORD_OPTIONS_HELP \
	"  -f, --format FMT      text (one record per line), jsonl, csv (header row) or\n" \
	"                        es-bulk (Elasticsearch _bulk); default from the file\n" \
	"                        name (.jsonl, .ndjson, .json, .csv; .gz/.zst looked\n" \
	"                        through), else text\n" \
	"      --field PATH      jsonl, es-bulk: only strings under this dotted path\n" \
	"                        (repeatable; arrays are transparent); csv: only this\n" \
	"                        column. Default: all\n" \
	"  -e, --entities LIST   comma-separated entities to find; default: all\n" \
	"      --min-score N     drop findings scoring below N (0-1; default 0.5)\n" \
	"      --config FILE     defaults and field policies (default: ./cordon.yaml\n" \
	"                        when present; options given here win over it)\n" \
	"      --quarantine FILE records that cannot be parsed or are too long go\n" \
	"                        here whole (mode 0600) instead of stopping the run\n" \
	"      --max-record SIZE longest record accepted (default 16M)\n" \
	"  -j, --jobs N          threads (default: one per core); the output is the\n" \
	"                        same, byte for byte, whatever N\n" \
	"      --summary-json FILE  write the counts (records, findings by entity) as JSON\n" \
	"  -q, --quiet           no progress line or summary on stderr\n" \
	"  -h, --help            this help\n" \
	"\n" \
	"Entities: EMAIL_ADDRESS IP_ADDRESS PHONE_NUMBER CREDIT_CARD IBAN_CODE US_SSN\n" \
	"          MAC_ADDRESS URL_CREDENTIALS SECRET PRODUCT_KEY PERSON LOCATION,\n" \
	"          and the rules of the config (DENY_LIST for its deny list)\n"

/* Parses argv (after the subcommand name). Returns -1 to exit 0 (help
 * shown), 0 on success, EXIT_ERROR after printing why. */
int record_options_parse(struct record_options *o, enum record_command cmd, int argc, char **argv,
			 const char *usage);
void record_options_release(struct record_options *o);
/* Sets the redactor's key from key_file, else from CORDON_KEY. With neither,
 * fails (saying needed_by needs one) unless needed_by is NULL. 0 or -1. */
int cli_load_key(cordon_redactor *r, const char *key_file, const char *needed_by);
/* Opens the quarantine file (0600, truncated) or returns NULL after an error. */
FILE *open_quarantine(const char *path);
/* Prints the summary of a run on stderr. */
void print_summary(const char *verb, const struct cordon_stream_stats *s, int redacting,
		   const cordon_engine *engine);
/* An entity by name: built-in, or a rule of the config. 0 or -1. */
int cli_entity_from_name(const struct record_options *o, const char *name, cordon_entity *out);

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

int cmd_redact(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif
