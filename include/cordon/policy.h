/* cordon policy: the settings of cordon.yaml as one object, read once and
 * handed to every part that needs them (detection, redaction, record
 * streams, audits). Every key the file may hold is in one table
 * (cordon_policy_keys), from which error messages and docs are made.
 *
 *   cordon_policy *p;
 *   cordon_policy_new(&p);
 *   if (cordon_policy_load_file(p, "cordon.yaml") != CORDON_OK)
 *           fprintf(stderr, "%s\n", cordon_policy_error(p));
 *   struct cordon_engine_options eo = CORDON_ENGINE_OPTIONS_INIT;
 *   cordon_policy_engine_options(p, &eo);   // then cordon_engine_new(&e, &eo)
 */
#ifndef CORDON_POLICY_H
#define CORDON_POLICY_H

#include <stddef.h>
#include <time.h>
#include "cordon/common.h"
#include "cordon/detect.h"
#include "cordon/redact.h"
#include "cordon/records.h"
#include "cordon/audit.h"
#include "cordon/probe.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cordon_policy cordon_policy;

/* An empty policy: it sets nothing, so every default stands. */
CORDON_API cordon_code cordon_policy_new(cordon_policy **out);
CORDON_API void cordon_policy_free(cordon_policy *policy);

/* Reads a cordon.yaml into an empty policy. CORDON_ERR_IO when the file
 * cannot be read (or is not a regular file), CORDON_ERR_PARSE for bad YAML,
 * an unknown key or a bad value: cordon_policy_error then names the file,
 * the line and the key. A policy reads one file. Relative paths in it
 * (assets' config) are taken from the file's directory. */
CORDON_API cordon_code cordon_policy_load_file(cordon_policy *policy, const char *path);
/* The same from bytes; name stands for the file in messages and is the
 * base of relative paths. */
CORDON_API cordon_code cordon_policy_load(cordon_policy *policy, const char *name, const char *data,
					  size_t len);
CORDON_API const char *cordon_policy_error(const cordon_policy *policy);

/* Writes what the file sets for detection over eo: entities, min_score,
 * per-entity min_score, allow, region, and the rules (deny: is the rule
 * DENY_LIST). Members the file does not set are left as they are, so a
 * caller sets its defaults first and its command line after. Pointers
 * stay valid while the policy does. */
CORDON_API void cordon_policy_engine_options(const cordon_policy *policy,
					     struct cordon_engine_options *eo);
/* Whether the file sets key ("operator", "min_score", "entities", ...). */
CORDON_API int cordon_policy_has(const cordon_policy *policy, const char *key);
/* The file's operator: CORDON_ERR_ARG when it sets none. */
CORDON_API cordon_code cordon_policy_operator(const cordon_policy *policy, cordon_operator *out);
/* Sets the per-entity operators (per_entity:, a rule's operator:) on r. */
CORDON_API cordon_code cordon_policy_apply_redactor(const cordon_policy *policy, cordon_redactor *r);
/* The field policies (fields:), in the file's order. */
CORDON_API void cordon_policy_fields(const cordon_policy *policy,
				     const struct cordon_field_policy **out, size_t *n);
/* An entity by name, case-insensitively: a built-in one, or a rule of the
 * policy (policy may be NULL). CORDON_ERR_ARG when unknown. */
CORDON_API cordon_code cordon_policy_entity(const cordon_policy *policy, const char *name,
					    cordon_entity *out);
/* Adds the inventory (assets:) to an audit. */
CORDON_API cordon_code cordon_policy_apply_audit(const cordon_policy *policy, cordon_audit *audit);
/* Names the inventory's assets with an endpoint: to a probe, so that its
 * findings join them (asset, owner, sensitivity); with as_targets, their
 * endpoints are probed too: every one, or only those named in only. On
 * CORDON_ERR_ARG, *failed names an asset of only that is not in the
 * inventory or has no endpoint (or, on another error, the asset whose
 * endpoint failed: cordon_probe_error says why). */
CORDON_API cordon_code cordon_policy_apply_probe(const cordon_policy *policy, cordon_probe *probe, int as_targets,
						 const char *const *only, size_t nonly, const char **failed);
/* An asset's addresses (addresses:, as flow logs show them; *n may be 0)
 * and its port (0: every one), for cordon access. CORDON_ERR_ARG when the
 * inventory has no such asset. */
CORDON_API cordon_code cordon_policy_asset_addresses(const cordon_policy *policy, const char *asset,
						     const char *const **addresses, size_t *n, unsigned *port);
/* The owner of an asset of the inventory, or NULL. */
CORDON_API const char *cordon_policy_asset_owner(const cordon_policy *policy, const char *asset);
/* How many assets the inventory has (with an endpoint only, when asked). */
CORDON_API int cordon_policy_asset_count(const cordon_policy *policy, int with_endpoint);

/* An accepted finding (ignore:): its fingerprint, why, and until when
 * (0: for good). */
struct cordon_ignore {
	const char *fingerprint;
	const char *reason;
	time_t expires;
	unsigned line; /* in the file */
};
CORDON_API void cordon_policy_ignores(const cordon_policy *policy, const struct cordon_ignore **out,
				      size_t *n);
/* Marks the items an entry accepts at time now (an entry past its expiry
 * accepts nothing). matched, when not NULL, gets per entry how many items
 * it accepted, or would have before it expired: an entry that matches
 * nothing is stale, and one that expired needs a look. */
CORDON_API void cordon_policy_apply_ignores(const cordon_policy *policy, struct cordon_report_item *items,
					    size_t n, time_t now, size_t *matched);

/* The keys a section may hold: section NULL for the top level, else
 * "rules" (a rule's keys), "per_entity", "assets" (an asset's keys) or
 * "ignore" (an entry's keys). NULL for an unknown section. */
struct cordon_policy_key {
	const char *name;
	const char *value; /* what it takes, for docs: "tag | mask | pseudonym | encrypt" */
	const char *help;  /* one line */
};
CORDON_API const struct cordon_policy_key *cordon_policy_keys(const char *section, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
