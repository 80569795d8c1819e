/* cordon.yaml's watch: section (cordon watch): the state file, the files
 * to watch, the sinks and the routes from owners to sinks.
 *
 *   watch:
 *     state: /var/lib/cordon/watch.db
 *     files: [/etc/cordon/exports]
 *     debounce: 300ms
 *     sinks:
 *       team-db-hook: { type: webhook, url: "https://hooks.example.com/cordon", secret_file: hook.key }
 *     routes:
 *       team-db: [team-db-hook]
 *       default: [team-db-hook]
 *
 * Paths are relative to cordon.yaml. A route names sinks that exist; a
 * secret file is refused unless only its owner can read it. */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cordon/audit.h"
#include "cordon/watch.h"
#include "policy/loader.h"
#include "util/alloc.h"
#include "util/private_file.h"

static int watch_sink_type_known(const char *name)
{
	for (size_t i = 0; watch_sink_type(i); i++)
		if (!strcmp(watch_sink_type(i), name))
			return 1;
	return 0;
}

struct watch_section {
	struct cordon_watch_config c;
	char *state, *listen;
	char **files;
	size_t capfiles;
	struct cordon_watch_sink *sinks;
	size_t capsinks;
	struct cordon_watch_route *routes;
	size_t caproutes;
	struct cordon_watch_command *commands;
	size_t capcommands;
	const char *events_secret;
	struct cordon_watch_token tokens[3];
	struct cordon_watch_probe *probes;
	size_t capprobes;
};

static const struct cordon_policy_key watch_keys[] = {
	{ "state", "file", "the SQLite state: findings, exposure windows, the alert outbox" },
	{ "files", "[file | dir, ...]", "exports and configs to watch (inotify); a change re-audits that file" },
	{ "debounce", "duration (300ms)", "writes closer than this are one evaluation" },
	{ "repeat", "duration (4h)", "open exposures announced again after this (default never)" },
	{ "sinks", "{NAME: {type, url, secret_file, timeout}}", "where alerts go" },
	{ "routes", "{OWNER | default: [SINK, ...]}", "an asset owner's sinks; default for the rest" },
	{ "listen", "ADDRESS:PORT", "serve /metrics (Prometheus) and /healthz there (127.0.0.1:9464)" },
	{ "commands", "{NAME: {run, every, timeout, type}}", "commands whose output is audited (az network nsg list -o json)" },
	{ "fail_after", "1-100", "a command failing this many times in a row is an alert (default 3)" },
	{ "events", "{secret_file, tokens}", "take cloud change events on listen: (POST /events/azure, /aws, /gcp)" },
	{ "probes", "{NAME: {targets, inventory, every, sample}}", "live checks at an interval (cordon probe)" },
};

static const struct cordon_policy_key probe_keys[] = {
	{ "targets", "[target, ...]", "as cordon probe takes them (host:port, CIDR, URL)" },
	{ "inventory", "true | false", "the inventory's endpoints too" },
	{ "every", "duration (5m)", "how often the checks run" },
	{ "sample", "0-1000", "records read per open store (default 5; 0: none)" },
};

static const struct cordon_policy_key token_keys[] = {
	{ "jwks", "file", "the signing keys as a JWKS (Google's oauth2/v3/certs, Entra's discovery/v2.0/keys)" },
	{ "audience", "text", "the aud the token must carry (the push endpoint's URL, the Entra application)" },
	{ "issuer", "text", "the iss (default for gcp: https://accounts.google.com; required for the others)" },
	{ "email", "address", "gcp: the push subscription's service account" },
};

static const struct cordon_policy_key command_keys[] = {
	{ "run", "[program, arg, ...]", "the command (no shell); its stdout is audited" },
	{ "every", "duration (5m)", "how often it runs" },
	{ "timeout", "duration (2m)", "a run that takes longer is killed and counts as failed" },
	{ "type", "azure-nsg | aws-sg | ...", "the audit type of its output (default: told from it)" },
	{ "on", "[azure | aws | gcp, ...]", "run at once when that cloud's change event comes (events:)" },
};

static const struct cordon_policy_key sink_keys[] = {
	{ "type", "webhook | slack | teams | alertmanager | syslog | exec | email", "what it is" },
	{ "url", "http(s)://...", "where the alert is POSTed (Alertmanager: its base URL)" },
	{ "secret_file", "file (mode 0600)", "webhook: the key of the X-Cordon-Signature header (HMAC-SHA-256 of the body)" },
	{ "timeout", "duration (10s)", "a delivery that takes longer failed, and is retried" },
	{ "min_severity", "medium | high | critical", "alerts below it are not sent to this sink" },
	{ "address", "udp:HOST:PORT | tcp:HOST:PORT | unix:PATH", "syslog: where RFC 5424 messages go" },
	{ "command", "[program, arg, ...]", "exec: run with the alert's JSON on stdin (no shell)" },
	{ "from", "address", "email: the sender (cordon@HOST by default)" },
	{ "to", "[address, ...]", "email: the recipients" },
};

#define NKEYS(t) (sizeof(t) / sizeof(*(t)))

const struct cordon_policy_key *watch_policy_keys(const char *section, size_t *n)
{
	if (!strcmp(section, "watch")) {
		*n = NKEYS(watch_keys);
		return watch_keys;
	}
	if (!strcmp(section, "sinks")) {
		*n = NKEYS(sink_keys);
		return sink_keys;
	}
	if (!strcmp(section, "commands")) {
		*n = NKEYS(command_keys);
		return command_keys;
	}
	if (!strcmp(section, "probes")) {
		*n = NKEYS(probe_keys);
		return probe_keys;
	}
	if (!strcmp(section, "tokens")) {
		*n = NKEYS(token_keys);
		return token_keys;
	}
	return NULL;
}

/* "300ms", "10s", "4h", "2m": milliseconds; -1 when not one. */
static long long duration_ms(const char *s)
{
	char *end;
	errno = 0;
	double v = s ? strtod(s, &end) : -1;
	if (!s || errno || end == s || v < 0)
		return -1;
	double mul = !strcmp(end, "ms") ? 1 : !strcmp(end, "s") || !*end ? 1000 : !strcmp(end, "m") ? 60000
		     : !strcmp(end, "h") ? 3600000 : -1;
	if (mul < 0 || v * mul > 7.0 * 86400000)
		return -1;
	return (long long)(v * mul);
}

/* An argv for posix_spawn: the list with a NULL after its last entry. */
static int argv_of(struct loader *l, const char *const **v, size_t n)
{
	const char **g = realloc((void *)*v, (n + 1) * sizeof(*g));
	if (!g)
		return pol_oom(l);
	g[n] = NULL;
	*v = g;
	return 0;
}

/* A secret file: only its owner may read it (as a key file). */
static int read_secret(struct loader *l, yaml_node_t *v, const char *sink, const char **out)
{
	const char *given = pol_scalar(v);
	if (!given || !*given)
		return pol_bad(l, v, "sink '%s': secret_file: a file name", sink);
	char *path = pol_relative(l, given);
	if (!path)
		return pol_oom(l);
	/* a regular file only its owner can access (a FIFO is refused before
	 * anything is read), under 4 KiB */
	char err[400];
	size_t got = 0;
	char *buf = private_file_read(path, "secret_file", 4095, &got, err, sizeof(err));
	free(path);
	if (!buf)
		return pol_bad(l, v, "sink '%s': %s", sink, err);
	size_t n = got;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	char *copy = n ? strdup(buf) : NULL;
	sodium_memzero(buf, got);
	free(buf);
	if (!n)
		return pol_bad(l, v, "sink '%s': secret_file is empty", sink);
	if (!copy)
		return pol_oom(l);
	*out = copy;
	return 0;
}

static int read_sink(struct loader *l, struct watch_section *w, yaml_node_t *k, yaml_node_t *v)
{
	const char *name = pol_scalar(k);
	char keys[256];
	if (!name || !*name || v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "sinks: give a mapping of sink name to %s",
			       pol_key_list(sink_keys, NKEYS(sink_keys), keys, sizeof(keys)));
	for (size_t i = 0; i < w->c.nsinks; i++)
		if (!strcmp(w->sinks[i].name, name))
			return pol_bad(l, k, "sinks: '%s' is named twice", name);
	if (ALLOC_GROW(w->sinks, w->c.nsinks + 1, w->capsinks))
		return pol_oom(l);
	struct cordon_watch_sink *s = &w->sinks[w->c.nsinks++];
	memset(s, 0, sizeof(*s));
	s->timeout_ms = 10000;
	if (!(s->name = strdup(name)))
		return pol_oom(l);
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
		const char *key = pol_shown(sk);
		if (!strcmp(key, "type")) {
			if (!pol_scalar(sv) || !watch_sink_type_known(pol_scalar(sv))) {
				char types[200] = "";
				for (size_t t = 0; watch_sink_type(t); t++)
					snprintf(types + strlen(types), sizeof(types) - strlen(types), "%s%s", t ? ", " : "",
						 watch_sink_type(t));
				return pol_bad(l, sv, "sink '%s': type: '%s' is not one cordon has (%s)", name, pol_shown(sv),
					       types);
			}
			if (pol_read_string(l, sv, "type", &s->type))
				return -1;
		} else if (!strcmp(key, "url")) {
			const char *u = pol_scalar(sv);
			if (!u || (strncmp(u, "http://", 7) && strncmp(u, "https://", 8) && strncmp(u, "smtp://", 7) &&
				   strncmp(u, "smtps://", 8)))
				return pol_bad(l, sv, "sink '%s': url: an http(s):// URL (email: smtp:// or smtps://)", name);
			if (pol_read_string(l, sv, "url", &s->url))
				return -1;
		} else if (!strcmp(key, "secret_file")) {
			if (read_secret(l, sv, name, &s->secret))
				return -1;
		} else if (!strcmp(key, "min_severity")) {
			cordon_severity sev;
			if (!pol_scalar(sv) || cordon_severity_from_name(pol_scalar(sv), &sev) != CORDON_OK)
				return pol_bad(l, sv, "sink '%s': min_severity: info, medium, high or critical", name);
			s->min_severity = (int)sev;
		} else if (!strcmp(key, "address")) {
			const char *a = pol_scalar(sv);
			if (!a || (strncmp(a, "udp:", 4) && strncmp(a, "tcp:", 4) && strncmp(a, "unix:", 5)) || !strchr(a, ':')[1])
				return pol_bad(l, sv, "sink '%s': address: udp:HOST:PORT, tcp:HOST:PORT or unix:PATH", name);
			if (pol_read_string(l, sv, "address", &s->address))
				return -1;
		} else if (!strcmp(key, "command")) {
			if (pol_read_strings(l, sv, "command", &s->command, &s->ncommand))
				return -1;
			if (!s->ncommand)
				return pol_bad(l, sv, "sink '%s': command: the program and its arguments", name);
			if (argv_of(l, &s->command, s->ncommand))
				return -1;
		} else if (!strcmp(key, "from")) {
			const char *a = pol_scalar(sv);
			if (!a || !strchr(a, '@') || strpbrk(a, "\r\n<>"))
				return pol_bad(l, sv, "sink '%s': from: an e-mail address", name);
			if (pol_read_string(l, sv, "from", &s->from))
				return -1;
		} else if (!strcmp(key, "to")) {
			if (pol_read_strings(l, sv, "to", &s->to, &s->nto))
				return -1;
			for (size_t t = 0; t < s->nto; t++)
				if (!strchr(s->to[t], '@') || strpbrk(s->to[t], "\r\n<>,"))
					return pol_bad(l, sv, "sink '%s': to: '%s' is not an e-mail address", name, s->to[t]);
		} else if (!strcmp(key, "timeout")) {
			long long ms = duration_ms(pol_scalar(sv));
			if (ms < 100 || ms > 300000)
				return pol_bad(l, sv, "sink '%s': timeout: a duration from 100ms to 5m", name);
			s->timeout_ms = (unsigned)ms;
		} else {
			return pol_bad(l, sk, "sink '%s': unknown key '%s' (%s)", name, key,
				       pol_key_list(sink_keys, NKEYS(sink_keys), keys, sizeof(keys)));
		}
	}
	if (!s->type)
		return pol_bad(l, v, "sink '%s': type: what it is (webhook, slack, ...)", name);
	if (!strcmp(s->type, "email") && !s->nto)
		return pol_bad(l, v, "sink '%s': to: who gets the mail", name);
	if (!strcmp(s->type, "email") != (s->url && !strncmp(s->url, "smtp", 4)) && s->url)
		return pol_bad(l, v, "sink '%s': url: %s", name, !strcmp(s->type, "email") ? "smtp:// or smtps://" : "http(s)://");
	if (!strcmp(s->type, "syslog") ? !s->address : !strcmp(s->type, "exec") ? !s->command : !s->url)
		return pol_bad(l, v, "sink '%s': %s: where alerts go", name,
			       !strcmp(s->type, "syslog") ? "address" : !strcmp(s->type, "exec") ? "command" : "url");
	return 0;
}

static int read_route(struct loader *l, struct watch_section *w, yaml_node_t *k, yaml_node_t *v)
{
	const char *owner = pol_scalar(k);
	if (!owner || !*owner)
		return pol_bad(l, k, "%s", "routes: give owner: [sink, ...]");
	if (ALLOC_GROW(w->routes, w->c.nroutes + 1, w->caproutes))
		return pol_oom(l);
	struct cordon_watch_route *r = &w->routes[w->c.nroutes++];
	memset(r, 0, sizeof(*r));
	if (!(r->owner = strdup(owner)))
		return pol_oom(l);
	if (v->type == YAML_SCALAR_NODE) { /* one sink, not in a list */
		char **one = calloc(1, sizeof(*one));
		if (!one || !(one[0] = strdup(pol_scalar(v)))) {
			free(one);
			return pol_oom(l);
		}
		r->sinks = (const char *const *)one;
		r->nsinks = 1;
	} else if (pol_read_strings(l, v, "routes", &r->sinks, &r->nsinks)) {
		return -1;
	}
	return 0;
}

static int read_command(struct loader *l, struct watch_section *w, yaml_node_t *k, yaml_node_t *v)
{
	const char *name = pol_scalar(k);
	char keys[200];
	if (!name || !*name || v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "commands: give a mapping of name to %s",
			       pol_key_list(command_keys, NKEYS(command_keys), keys, sizeof(keys)));
	if (ALLOC_GROW(w->commands, w->c.ncommands + 1, w->capcommands))
		return pol_oom(l);
	struct cordon_watch_command *c = &w->commands[w->c.ncommands++];
	memset(c, 0, sizeof(*c));
	c->every_s = 300;
	c->timeout_ms = 120000;
	if (!(c->name = strdup(name)))
		return pol_oom(l);
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
		const char *key = pol_shown(sk);
		if (!strcmp(key, "run")) {
			if (pol_read_strings(l, sv, "run", &c->argv, &c->argc) || (c->argc && argv_of(l, &c->argv, c->argc)))
				return -1;
		} else if (!strcmp(key, "every")) {
			long long ms = duration_ms(pol_scalar(sv));
			if (ms < 1000)
				return pol_bad(l, sv, "command '%s': every: a duration of 1s or more (5m)", name);
			c->every_s = (unsigned)(ms / 1000);
		} else if (!strcmp(key, "timeout")) {
			long long ms = duration_ms(pol_scalar(sv));
			if (ms < 100 || ms > 3600000)
				return pol_bad(l, sv, "command '%s': timeout: a duration from 100ms to 1h", name);
			c->timeout_ms = (unsigned)ms;
		} else if (!strcmp(key, "type")) {
			const char *t = pol_scalar(sv);
			size_t i = 0;
			while (t && cordon_audit_type(i, NULL) && strcmp(cordon_audit_type(i, NULL), t))
				i++;
			if (!t || !cordon_audit_type(i, NULL))
				return pol_bad(l, sv, "command '%s': type: '%s' is not an audit type (cordon help formats)", name,
					       pol_shown(sv));
			if (pol_read_string(l, sv, "type", &c->type))
				return -1;
		} else if (!strcmp(key, "on")) {
			const char *const *clouds = NULL;
			size_t n = 0;
			if (pol_read_strings(l, sv, "on", &clouds, &n))
				return -1;
			for (size_t i = 0; i < n; i++) {
				unsigned bit = !strcmp(clouds[i], "azure") ? 1 : !strcmp(clouds[i], "aws") ? 2
					       : !strcmp(clouds[i], "gcp") ? 4 : 0;
				if (!bit) {
					int r = pol_bad(l, sv, "command '%s': on: '%s' is not azure, aws or gcp", name, clouds[i]);
					pol_free_strings(clouds, n);
					return r;
				}
				c->on |= bit;
			}
			pol_free_strings(clouds, n);
		} else {
			return pol_bad(l, sk, "command '%s': unknown key '%s' (%s)", name, key,
				       pol_key_list(command_keys, NKEYS(command_keys), keys, sizeof(keys)));
		}
	}
	if (!c->argc)
		return pol_bad(l, v, "command '%s': run: the program and its arguments", name);
	return 0;
}

static int read_probe(struct loader *l, struct watch_section *w, yaml_node_t *k, yaml_node_t *v)
{
	const char *name = pol_scalar(k);
	char keys[200];
	if (!name || !*name || v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "probes: give a mapping of name to %s",
			       pol_key_list(probe_keys, NKEYS(probe_keys), keys, sizeof(keys)));
	if (ALLOC_GROW(w->probes, w->c.nprobes + 1, w->capprobes))
		return pol_oom(l);
	struct cordon_watch_probe *c = &w->probes[w->c.nprobes++];
	memset(c, 0, sizeof(*c));
	c->every_s = 300;
	c->sample = 5;
	if (!(c->name = strdup(name)))
		return pol_oom(l);
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *sk = pol_node(l, q->key), *sv = pol_node(l, q->value);
		const char *key = pol_shown(sk);
		if (!strcmp(key, "targets")) {
			if (pol_read_strings(l, sv, "targets", &c->targets, &c->ntargets))
				return -1;
		} else if (!strcmp(key, "inventory")) {
			const char *b = pol_scalar(sv);
			if (!b || (strcmp(b, "true") && strcmp(b, "false")))
				return pol_bad(l, sv, "probe '%s': inventory: true or false", name);
			c->inventory = !strcmp(b, "true");
		} else if (!strcmp(key, "every")) {
			long long ms = duration_ms(pol_scalar(sv));
			if (ms < 1000)
				return pol_bad(l, sv, "probe '%s': every: a duration of 1s or more (5m)", name);
			c->every_s = (unsigned)(ms / 1000);
		} else if (!strcmp(key, "sample")) {
			char *end;
			long n = pol_scalar(sv) ? strtol(pol_scalar(sv), &end, 10) : -1;
			if (!pol_scalar(sv) || *end || n < 0 || n > 1000)
				return pol_bad(l, sv, "probe '%s': sample: a number from 0 to 1000", name);
			c->sample = (unsigned)n;
		} else {
			return pol_bad(l, sk, "probe '%s': unknown key '%s' (%s)", name, key,
				       pol_key_list(probe_keys, NKEYS(probe_keys), keys, sizeof(keys)));
		}
	}
	if (!c->ntargets && !c->inventory)
		return pol_bad(l, v, "probe '%s': targets: what to check (or inventory: true)", name);
	return 0;
}

static void section_free(struct watch_section *w)
{
	if (!w)
		return;
	free(w->state);
	free(w->listen);
	pol_free_strings((const char *const *)w->files, w->c.nfiles);
	for (size_t i = 0; i < w->c.nsinks; i++) {
		free((char *)w->sinks[i].name);
		free((char *)w->sinks[i].type);
		free((char *)w->sinks[i].url);
		free((char *)w->sinks[i].address);
		free((char *)w->sinks[i].from);
		pol_free_strings(w->sinks[i].to, w->sinks[i].nto);
		pol_free_strings(w->sinks[i].command, w->sinks[i].ncommand);
		if (w->sinks[i].secret) {
			sodium_memzero((char *)w->sinks[i].secret, strlen(w->sinks[i].secret));
			free((char *)w->sinks[i].secret);
		}
	}
	free(w->sinks);
	for (size_t i = 0; i < w->c.nroutes; i++) {
		free((char *)w->routes[i].owner);
		pol_free_strings(w->routes[i].sinks, w->routes[i].nsinks);
	}
	free(w->routes);
	for (size_t i = 0; i < w->c.ncommands; i++) {
		free((char *)w->commands[i].name);
		free((char *)w->commands[i].type);
		pol_free_strings(w->commands[i].argv, w->commands[i].argc);
	}
	free(w->commands);
	for (size_t i = 0; i < w->c.nprobes; i++) {
		free((char *)w->probes[i].name);
		pol_free_strings(w->probes[i].targets, w->probes[i].ntargets);
	}
	free(w->probes);
	if (w->events_secret) {
		sodium_memzero((char *)w->events_secret, strlen(w->events_secret));
		free((char *)w->events_secret);
	}
	for (size_t i = 0; i < w->c.ntokens; i++) {
		free((char *)w->tokens[i].jwks);
		free((char *)w->tokens[i].audience);
		free((char *)w->tokens[i].issuer);
		free((char *)w->tokens[i].email);
	}
	free(w);
}

void watch_section_free(struct watch_section *w) { section_free(w); }

/* events: tokens: {gcp: {jwks, audience, issuer, email}, azure: {...}, aws: {...}} */
static int read_tokens(struct loader *l, struct watch_section *w, yaml_node_t *v)
{
	char keys[256];
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "%s", "watch: events: tokens: give a mapping of cloud (azure, aws, gcp) to {jwks, audience, ...}");
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *ck = pol_node(l, p->key), *cv = pol_node(l, p->value);
		const char *cloud = pol_shown(ck);
		unsigned bit = !strcmp(cloud, "azure") ? 1 : !strcmp(cloud, "aws") ? 2 : !strcmp(cloud, "gcp") ? 4 : 0;
		if (!bit)
			return pol_bad(l, ck, "watch: events: tokens: '%s' is not a cloud (azure, aws, gcp)", cloud);
		for (size_t i = 0; i < w->c.ntokens; i++)
			if (w->tokens[i].cloud == bit)
				return pol_bad(l, ck, "watch: events: tokens: '%s' twice", cloud);
		if (cv->type != YAML_MAPPING_NODE)
			return pol_bad(l, cv, "watch: events: tokens: %s: give {jwks, audience, issuer, email}", cloud);
		struct cordon_watch_token *t = &w->tokens[w->c.ntokens++];
		t->cloud = bit;
		for (yaml_node_pair_t *q = cv->data.mapping.pairs.start; q < cv->data.mapping.pairs.top; q++) {
			yaml_node_t *kk = pol_node(l, q->key), *kv = pol_node(l, q->value);
			const char *key = pol_shown(kk);
			if (!strcmp(key, "jwks")) {
				const char *given = pol_scalar(kv);
				if (!given || !*given)
					return pol_bad(l, kv, "watch: events: tokens: %s: jwks: a file name", cloud);
				char *path = pol_relative(l, given);
				if (!path)
					return pol_oom(l);
				free((char *)t->jwks);
				t->jwks = path;
				struct stat st;
				if (stat(path, &st) || !S_ISREG(st.st_mode))
					return pol_bad(l, kv, "watch: events: tokens: %s: jwks '%s': %s", cloud, path,
						       errno == ENOENT ? "no such file" : "not a file");
			} else if (!strcmp(key, "audience") || !strcmp(key, "issuer") || !strcmp(key, "email")) {
				const char **slot = key[0] == 'a' ? &t->audience : key[0] == 'i' ? &t->issuer : &t->email;
				if (!pol_scalar(kv) || !*pol_scalar(kv))
					return pol_bad(l, kv, "watch: events: tokens: %s: %s: give a value", cloud, key);
				free((char *)*slot);
				if (pol_read_string(l, kv, key, slot))
					return -1;
			} else {
				return pol_bad(l, kk, "watch: events: tokens: %s: unknown key '%s' (%s)", cloud, key,
					       pol_key_list(token_keys, NKEYS(token_keys), keys, sizeof(keys)));
			}
		}
		if (!t->jwks || !t->audience)
			return pol_bad(l, cv, "watch: events: tokens: %s: needs jwks: (the keys) and audience:", cloud);
		if (!t->issuer && bit != 4)
			return pol_bad(l, cv, "watch: events: tokens: %s: needs issuer: (the tenant's, for Entra ID)", cloud);
	}
	return 0;
}

int watch_section_read(struct loader *l, yaml_node_t *v, struct watch_section **slot)
{
	char keys[256];
	if (v->type != YAML_MAPPING_NODE)
		return pol_bad(l, v, "watch: give a mapping of %s", pol_key_list(watch_keys, NKEYS(watch_keys), keys, sizeof(keys)));
	section_free(*slot);
	struct watch_section *w = *slot = calloc(1, sizeof(*w));
	if (!w)
		return pol_oom(l);
	w->c.debounce_ms = 300;
	w->c.fail_after = 3;
	for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
		yaml_node_t *k = pol_node(l, q->key), *val = pol_node(l, q->value);
		const char *key = pol_shown(k);
		if (!strcmp(key, "state")) {
			if (!pol_scalar(val) || !*pol_scalar(val))
				return pol_bad(l, val, "%s", "watch: state: a file name");
			free(w->state);
			if (!(w->state = pol_relative(l, pol_scalar(val))))
				return pol_oom(l);
		} else if (!strcmp(key, "files")) {
			const char *const *list = NULL;
			size_t n = 0;
			if (val->type == YAML_SCALAR_NODE) {
				char **v1 = calloc(1, sizeof(*v1));
				if (!v1 || !(v1[0] = strdup(pol_scalar(val)))) {
					free(v1);
					return pol_oom(l);
				}
				list = (const char *const *)v1;
				n = 1;
			} else if (pol_read_strings(l, val, "watch: files", &list, &n)) {
				return -1;
			}
			pol_free_strings((const char *const *)w->files, w->c.nfiles);
			w->files = calloc(n ? n : 1, sizeof(*w->files));
			w->c.nfiles = 0;
			if (!w->files) {
				pol_free_strings(list, n);
				return pol_oom(l);
			}
			for (size_t i = 0; i < n; i++) {
				if (!(w->files[i] = pol_relative(l, list[i]))) {
					pol_free_strings(list, n);
					return pol_oom(l);
				}
				w->c.nfiles++;
			}
			pol_free_strings(list, n);
		} else if (!strcmp(key, "listen")) {
			const char *a = pol_scalar(val);
			if (!a || !strchr(a, ':'))
				return pol_bad(l, val, "%s", "watch: listen: ADDRESS:PORT (127.0.0.1:9464)");
			free(w->listen);
			if (!(w->listen = strdup(a)))
				return pol_oom(l);
			w->c.listen = w->listen;
		} else if (!strcmp(key, "debounce") || !strcmp(key, "repeat")) {
			long long ms = duration_ms(pol_scalar(val));
			if (ms < 0 || (key[0] == 'd' && ms > 60000))
				return pol_bad(l, val, "watch: %s: a duration (%s)", key, key[0] == 'd' ? "300ms; at most 1m" : "4h");
			if (key[0] == 'd')
				w->c.debounce_ms = (unsigned)ms;
			else
				w->c.repeat_s = (unsigned)(ms / 1000);
		} else if (!strcmp(key, "commands")) {
			if (val->type != YAML_MAPPING_NODE)
				return pol_bad(l, val, "%s", "watch: commands: give a mapping of name to {run, every, ...}");
			for (yaml_node_pair_t *s2 = val->data.mapping.pairs.start; s2 < val->data.mapping.pairs.top; s2++)
				if (read_command(l, w, pol_node(l, s2->key), pol_node(l, s2->value)))
					return -1;
		} else if (!strcmp(key, "probes")) {
			if (val->type != YAML_MAPPING_NODE)
				return pol_bad(l, val, "%s", "watch: probes: give a mapping of name to {targets, every, ...}");
			for (yaml_node_pair_t *s2 = val->data.mapping.pairs.start; s2 < val->data.mapping.pairs.top; s2++)
				if (read_probe(l, w, pol_node(l, s2->key), pol_node(l, s2->value)))
					return -1;
		} else if (!strcmp(key, "events")) {
			if (val->type != YAML_MAPPING_NODE)
				return pol_bad(l, val, "%s", "watch: events: give { secret_file: FILE }");
			for (yaml_node_pair_t *e = val->data.mapping.pairs.start; e < val->data.mapping.pairs.top; e++) {
				yaml_node_t *ek = pol_node(l, e->key), *ev = pol_node(l, e->value);
				if (!strcmp(pol_shown(ek), "tokens")) {
					if (read_tokens(l, w, ev))
						return -1;
					continue;
				}
				if (strcmp(pol_shown(ek), "secret_file"))
					return pol_bad(l, ek, "watch: events: unknown key '%s' (secret_file, tokens)", pol_shown(ek));
				if (read_secret(l, ev, "events", &w->events_secret))
					return -1;
			}
			if (!w->events_secret && !w->c.ntokens)
				return pol_bad(l, val, "%s",
					       "watch: events: secret_file: the shared secret a request must carry (or tokens:, "
					       "the clouds' signed tokens)");
		} else if (!strcmp(key, "fail_after")) {
			char *end;
			long n = pol_scalar(val) ? strtol(pol_scalar(val), &end, 10) : 0;
			if (!pol_scalar(val) || *end || n < 1 || n > 100)
				return pol_bad(l, val, "%s", "watch: fail_after: a number from 1 to 100");
			w->c.fail_after = (unsigned)n;
		} else if (!strcmp(key, "sinks")) {
			if (val->type != YAML_MAPPING_NODE)
				return pol_bad(l, val, "%s", "watch: sinks: give a mapping of sink name to its settings");
			for (yaml_node_pair_t *s = val->data.mapping.pairs.start; s < val->data.mapping.pairs.top; s++)
				if (read_sink(l, w, pol_node(l, s->key), pol_node(l, s->value)))
					return -1;
		} else if (!strcmp(key, "routes")) {
			if (val->type != YAML_MAPPING_NODE)
				return pol_bad(l, val, "%s", "watch: routes: give a mapping of owner to sinks");
			for (yaml_node_pair_t *s = val->data.mapping.pairs.start; s < val->data.mapping.pairs.top; s++)
				if (read_route(l, w, pol_node(l, s->key), pol_node(l, s->value)))
					return -1;
		} else {
			return pol_bad(l, k, "watch: unknown key '%s' (%s)", key,
				       pol_key_list(watch_keys, NKEYS(watch_keys), keys, sizeof(keys)));
		}
	}
	/* routes name sinks that exist */
	for (size_t i = 0; i < w->c.nroutes; i++)
		for (size_t k = 0; k < w->routes[i].nsinks; k++) {
			size_t s = 0;
			while (s < w->c.nsinks && strcmp(w->sinks[s].name, w->routes[i].sinks[k]))
				s++;
			if (s == w->c.nsinks)
				return pol_bad(l, v, "watch: routes: '%s' sends to '%s', which is not in sinks:", w->routes[i].owner,
					       w->routes[i].sinks[k]);
		}
	if (!w->state)
		return pol_bad(l, v, "%s", "watch: state: where the state file is (watch.db)");
	w->c.state = w->state;
	w->c.files = (const char *const *)w->files;
	w->c.sinks = w->sinks;
	w->c.routes = w->routes;
	w->c.commands = w->commands;
	w->c.events_secret = w->events_secret;
	w->c.probes = w->probes;
	w->c.tokens = w->tokens;
	if ((w->events_secret || w->c.ntokens) && !w->c.listen)
		return pol_bad(l, v, "%s", "watch: events: needs listen: (the address events are POSTed to)");
	return 0;
}

const struct cordon_watch_config *watch_section_config(const struct watch_section *w)
{
	return w ? &w->c : NULL;
}
