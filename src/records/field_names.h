/* What a record's field is named for: a person's name, a place or a phone
 * number, told by
 * its key (JSON: the last key, and the one before it) or its column's name
 * (CSV). A value under such a name is taken whole, whatever the detectors
 * make of it alone ("first_name": "Rebecca", "city": "Springfield"). */
#ifndef CORDON_RECORDS_FIELD_NAMES_H
#define CORDON_RECORDS_FIELD_NAMES_H

#include <stddef.h>
#include "cordon/detect.h"

/* The entity a field so named holds, or CORDON_ENTITY_COUNT for none.
 * parent: the key its object is under (NULL: none, or a CSV column). Keys
 * are compared with their ASCII letters lowercased and everything but
 * letters and digits dropped: "First Name", "first_name", "firstName". */
cordon_entity field_name_entity(const char *key, size_t len, const char *parent, size_t parent_len);

/* Is text[start, end) a value the field's entity can hold: a name's
 * letters (no digits, no '@'), a place's words or numbers (no '@', no
 * link), a phone's 5-15 digits and separators (an extension after), not
 * empty and not a placeholder ("n/a", "null", "unknown")? */
int field_value_fits(cordon_entity entity, const char *text, size_t start, size_t end);

#endif
