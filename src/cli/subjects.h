/* The people to notify: each distinct e-mail address or phone number found,
 * with the records that hold it (scan --subjects). */
#ifndef CORDON_CLI_SUBJECTS_H
#define CORDON_CLI_SUBJECTS_H

#include <stdio.h>
#include "cordon/cordon.h"

struct subjects;

struct subjects *subjects_new(void);
void subjects_free(struct subjects *s);
/* Notes that record (number, and id when not NULL) holds this finding.
 * Returns -1 on out of memory. Entities other than e-mail and phone are
 * not data subjects and are ignored. */
int subjects_add(struct subjects *s, const struct cordon_record_finding *f);
/* Writes the list in order of first appearance, as CSV or JSON lines. With a
 * redactor (keyed), each subject is its keyed token, not the value. */
int subjects_print(const struct subjects *s, FILE *out, int json, cordon_redactor *keyed);
size_t subjects_count(const struct subjects *s);

#endif
