/* Which cordon.yaml a command reads, and reading it (the library's
 * cordon_policy does the parsing and the checking). */
#include <stdlib.h>
#include <unistd.h>
#include "cli.h"

const char *cli_config_path(const char *given, int no_config)
{
	if (no_config)
		return NULL;
	if (given)
		return given;
	const char *env = getenv("CORDON_CONFIG");
	if (env && *env) {
		cli_note("using config '%s' (from CORDON_CONFIG; --no-config reads none)", env);
		return env;
	}
	if (access("cordon.yaml", F_OK) == 0) {
		cli_note("using config 'cordon.yaml' (found in the working directory; --no-config reads none)");
		return "cordon.yaml";
	}
	return NULL;
}

int cli_policy_load(const char *path, cordon_policy **out)
{
	*out = NULL;
	if (!path)
		return EXIT_CLEAN;
	cordon_policy *p;
	if (cordon_policy_new(&p) != CORDON_OK) {
		cli_error("out of memory");
		return EXIT_ERROR;
	}
	cordon_code rc = cordon_policy_load_file(p, path);
	if (rc != CORDON_OK) {
		const char *why = cordon_policy_error(p);
		cli_error("%s", *why ? why : cordon_strerror(rc));
		cordon_policy_free(p);
		return EXIT_ERROR;
	}
	*out = p;
	return EXIT_CLEAN;
}

int cli_watch_state(const char **state, const char *config, cordon_policy **policy)
{
	*policy = NULL;
	if (*state)
		return EXIT_CLEAN;
	struct cordon_watch_config wc;
	config = cli_config_path(config, 0);
	if (!config || cli_policy_load(config, policy) || cordon_policy_watch(*policy, &wc) != CORDON_OK) {
		if (config && *policy)
			cli_error("config '%s' has no watch: state: (or give --state FILE)", config);
		else if (!config)
			cli_error("give --state FILE, or a config with watch: state:");
		cordon_policy_free(*policy);
		*policy = NULL;
		return EXIT_ERROR;
	}
	*state = wc.state;
	return EXIT_CLEAN;
}
