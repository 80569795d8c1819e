/* redis.conf: does the default user (or any enabled user) need a password,
 * and where does Redis listen? The default user has a password with
 * requirepass, or an ACL "user default ... >secret" / "#hash"; "nopass"
 * takes it away. Without bind Redis listens on every interface; protected
 * mode (on by default) then refuses remote clients while the default user
 * has no password. Since Redis 7.0 protected mode looks at the default
 * user's password (ACL) rather than requirepass alone; an explicit bind to
 * a non-loopback address turns it off either way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/conf.h"
#include "audit/model.h"

static cordon_code load(struct cordon_audit *a, const char *file, const char *data, size_t len)
{
	struct conf_kvs kv = { 0 };
	if (conf_parse_lines(data, len, &kv)) {
		conf_kvs_free(&kv);
		return CORDON_ERR_NOMEM;
	}
	unsigned line = 0;
	int has_pass = conf_get(&kv, "requirepass", &line) != NULL;
	char why[256] = "";
	char nopass_user[64] = "";
	unsigned nopass_line = 0;
	for (size_t k = 0; k < kv.n; k++) {
		if (strcasecmp(kv.v[k].key, "user"))
			continue;
		const char *u = kv.v[k].value;
		size_t nl = strcspn(u, " \t");
		int is_default = nl == 7 && !strncmp(u, "default", 7);
		int nopass = strstr(u, "nopass") != NULL, off = strstr(u, " off") != NULL;
		int secret = strchr(u + nl, '>') || strchr(u + nl, '#');
		if (is_default) {
			if (off || secret)
				has_pass = 1;
			if (nopass && !off)
				has_pass = 0, line = kv.v[k].line;
		} else if (nopass && !off && !*nopass_user) {
			snprintf(nopass_user, sizeof(nopass_user), "%.*s", (int)(nl < 60 ? nl : 60), u);
			nopass_line = kv.v[k].line;
		}
	}
	const char *bind = conf_get(&kv, "bind", NULL), *pm = conf_get(&kv, "protected-mode", NULL);
	int exposed = 0;
	if (bind) {
		exposed = conf_any_beyond_loopback(bind, " \t");
	} else {
		exposed = 1; /* every interface */
	}
	if (!has_pass) {
		if (!bind && (!pm || conf_true(pm)))
			exposed = 0; /* protected mode answers loopback clients only */
		snprintf(why, sizeof(why), "the default user has no password (no requirepass%s)%s",
			 line ? ", or \"nopass\"" : "", !bind && (!pm || conf_true(pm)) ? "; protected mode limits it to loopback" : "");
	} else if (*nopass_user) {
		snprintf(why, sizeof(why), "user %s is on with nopass (line %u)", nopass_user, nopass_line);
	}
	cordon_code rc = CORDON_OK;
	if (*why) {
		const char *port = conf_get(&kv, "port", NULL);
		unsigned p = port ? (unsigned)strtoul(port, NULL, 10) : 6379;
		struct conf_fact f = { "Redis", p, CORDON_PROTO_TCP, exposed,
				       bind ? bind : "all interfaces (no bind)", why };
		rc = audit_add_conf_fact(a, file, &f);
	}
	conf_kvs_free(&kv);
	return rc;
}

static const char *const files[] = { "redis.conf", NULL };
const struct conf_format conf_redis = { "redis", "redis.conf", files, load };
