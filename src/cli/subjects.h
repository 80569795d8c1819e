/* The people to notify: each distinct e-mail address or phone number found,
 * with the kinds of data found in the records that hold it (what a
 * notification letter must name), how many records hold it and which
 * (scan --subjects). Memory is
 * bounded: past the budget, the table so far is sorted and written to an
 * unnamed temporary file (mode 0600, gone when cordon exits), and the runs
 * are merged at the end. Each subject keeps at most SUBJECT_REFS_MAX record
 * references; its record count is always whole. */
#ifndef CORDON_CLI_SUBJECTS_H
#define CORDON_CLI_SUBJECTS_H

#include <stdio.h>
#include "cordon/cordon.h"

enum { SUBJECT_REFS_MAX = 100 };

struct subjects;

/* budget: bytes of memory before spilling (0: 64 MiB). */
struct subjects *subjects_new(size_t budget);
void subjects_free(struct subjects *s);
/* Notes that record (number, and id when not NULL) holds this finding.
 * Non-zero on failure (subjects_error says why). Entities other than
 * e-mail and phone are not data subjects and are ignored. */
int subjects_add(struct subjects *s, const struct cordon_record_finding *f);
/* The findings that follow are another input's (record numbers restart);
 * name, when not NULL, goes with record numbers in refs ("a.csv:17"). */
void subjects_new_file(struct subjects *s, const char *name);
/* Writes the list sorted by entity and value, as CSV or JSON lines. With a
 * redactor (keyed), each subject is its keyed token, not the value. */
int subjects_print(struct subjects *s, FILE *out, int json, cordon_redactor *keyed, const cordon_engine *engine);
size_t subjects_count(const struct subjects *s);
const char *subjects_error(const struct subjects *s);

#endif
