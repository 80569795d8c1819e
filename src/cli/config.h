/* cordon.yaml: defaults for the record commands and per-field policies. */
#ifndef CORDON_CLI_CONFIG_H
#define CORDON_CLI_CONFIG_H

#include "cli/cli.h"

/* Loads path into o, leaving alone what the command line already set (the
 * `set` flags in o). Prints "invalid config '<file>' line N: ..." and returns
 * EXIT_ERROR on an unknown key or a bad value. */
int config_load(struct record_options *o, const char *path);
void config_release(struct record_options *o);
/* The assets: key (the inventory) into an audit. */
int config_load_assets(cordon_audit *a, const char *path);

#endif
