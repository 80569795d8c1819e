/* cordon: public API umbrella. common.h (errors, version), detect.h (finding
 * personal data), redact.h (replacing it) and records.h (streaming whole record
 * files through both). */
#ifndef CORDON_CORDON_H
#define CORDON_CORDON_H

#include "cordon/common.h"
#include "cordon/detect.h"
#include "cordon/redact.h"
#include "cordon/records.h"
#include "cordon/audit.h"
#include "cordon/probe.h"
#include "cordon/policy.h"
#include "cordon/watch.h"
#include "cordon/access.h"
#include "cordon/worker.h"

#endif
