/* What the library's other parts may ask of an engine beyond the public API. */
#ifndef CORDON_DETECT_ENGINE_INTERNAL_H
#define CORDON_DETECT_ENGINE_INTERNAL_H

#include "cordon/detect.h"

/* Gives back the findings buffers when a huge record grew them past a few
 * megabytes (--jobs: an idle worker keeps no record's worth of memory). */
void engine_trim(cordon_engine *e);

#endif
