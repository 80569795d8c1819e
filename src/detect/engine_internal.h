/* What the library's other parts may ask of an engine beyond the public API. */
#ifndef CORDON_DETECT_ENGINE_INTERNAL_H
#define CORDON_DETECT_ENGINE_INTERNAL_H

#include "cordon/detect.h"

/* Gives back the findings buffers when a huge record grew them past a few
 * megabytes (--jobs: an idle worker keeps no record's worth of memory). */
void engine_trim(cordon_engine *e);
/* Checks one allow entry (a value, or "/pattern/") as cordon_engine_new
 * would, without building an engine: CORDON_ERR_ARG with why in err. */
cordon_code engine_allow_check(const char *entry, char *err, size_t errlen);
/* Would e report f, a finding in text made outside its detectors (a
 * record's field named for what it holds)? Its entity asked for, its score
 * at the entity's minimum or above, its value not on the allow list. Fills
 * in f's name and region as the engine's own findings have them. */
int engine_accepts(cordon_engine *e, const char *text, struct cordon_finding *f);

#endif
