/* The owner's credentials (--credentials FILE), to sample a store that
 * asks for them. The file is refused unless only its owner can read it
 * (as a key file is); its lines are "SERVICE ENDPOINT USER PASSWORD",
 * the password the rest of the line. Passwords are wiped from memory when
 * read and when the probe is freed, and never written anywhere. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probe/probe.h"
#include "util/alloc.h"
#include "util/private_file.h"

enum { FILE_MAX = 64 * 1024 };

cordon_code cordon_probe_add_credential(cordon_probe *p, const char *service, const char *endpoint, const char *user,
					const char *password)
{
	if (!p || !service || !endpoint || !user || !password || (strcmp(service, "postgres") && strcmp(service, "mysql")))
		return p ? probe_fail_run(p, CORDON_ERR_ARG, "credentials are for postgres or mysql, not '%s'",
					  service ? service : "?")
			 : CORDON_ERR_ARG;
	if (ALLOC_GROW(p->creds, p->ncreds + 1, p->capcreds))
		return CORDON_ERR_NOMEM;
	struct probe_credential *c = &p->creds[p->ncreds];
	memset(c, 0, sizeof(*c));
	c->any = !strcmp(endpoint, "*");
	if (!c->any) {
		size_t before = p->ntargets;
		cordon_code rc = target_parse(p, endpoint);
		if (rc != CORDON_OK)
			return rc;
		c->t = p->targets[before];
		p->ntargets = before;
	}
	c->service = strdup(service);
	c->user = strdup(user);
	c->password = strdup(password);
	if (!c->service || !c->user || !c->password) {
		free(c->service);
		free(c->user);
		if (c->password)
			sodium_memzero(c->password, strlen(c->password));
		free(c->password);
		free(c->t.host);
		return CORDON_ERR_NOMEM;
	}
	p->ncreds++;
	return CORDON_OK;
}

/* One line, in place: "postgres 10.0.0.5:5432 auditor pass word". */
static cordon_code credential_line(cordon_probe *p, char *line, const char *path, unsigned lineno)
{
	char *f[3];
	char *s = line;
	for (int i = 0; i < 3; i++) {
		while (*s == ' ' || *s == '\t')
			s++;
		f[i] = s;
		s += strcspn(s, " \t");
		if (!*s)
			return probe_fail_run(p, CORDON_ERR_PARSE, "'%.200s' line %u: give SERVICE ENDPOINT USER PASSWORD", path,
					      lineno);
		*s++ = '\0';
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return probe_fail_run(p, CORDON_ERR_PARSE, "'%.200s' line %u: no password", path, lineno);
	cordon_code rc = cordon_probe_add_credential(p, f[0], f[1], f[2], s);
	if (rc == CORDON_ERR_ARG) {
		char why[sizeof(p->err)];
		memcpy(why, p->err, sizeof(why));
		snprintf(p->err, sizeof(p->err), "'%.200s' line %u: %.250s", path, lineno, why);
	}
	return rc;
}

cordon_code cordon_probe_load_credentials(cordon_probe *p, const char *path)
{
	if (!p || !path)
		return CORDON_ERR_ARG;
	/* a regular file only its owner can access (a FIFO is refused before
	 * anything is read), at most FILE_MAX bytes */
	char err[400];
	size_t got = 0;
	int why;
	cordon_code rc = CORDON_OK;
	char *buf = private_file_load(path, "credentials", FILE_MAX, &got, err, sizeof(err), &why);
	if (!buf) {
		if (why == PRIVATE_FILE_NOMEM)
			return CORDON_ERR_NOMEM;
		cordon_code code = why == PRIVATE_FILE_IO ? CORDON_ERR_IO : why == PRIVATE_FILE_LONG ? CORDON_ERR_TOO_LARGE
												       : CORDON_ERR_KEY;
		return probe_fail_run(p, code, "%s", err);
	}
	unsigned lineno = 0;
	for (size_t at = 0; rc == CORDON_OK && at < got;) {
		char *line = buf + at, *nl = memchr(line, '\n', got - at);
		size_t len = nl ? (size_t)(nl - line) : got - at;
		at += len + 1;
		lineno++;
		line[len] = '\0'; /* the byte after the file is room: FILE_MAX + 1 */
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len || line[0] == '#' || strspn(line, " \t") == len)
			continue;
		rc = credential_line(p, line, path, lineno);
	}
	sodium_memzero(buf, FILE_MAX + 1);
	free(buf);
	return rc;
}
