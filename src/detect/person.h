/* What PERSON knows that another detector asks. */
#ifndef CORDON_DETECT_PERSON_H
#define CORDON_DETECT_PERSON_H

#include <stddef.h>
#include "detect/text.h"

/* Is s[at, e) a title written before names ("Dr", "Sig", "Bayan", "Ir")? */
int person_title(const uchar *s, size_t at, size_t e);

#endif
