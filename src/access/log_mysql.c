/* The MySQL and MariaDB general query log (general_log, log_output=FILE).
 * MySQL (5.7 and later) writes UTC times (log_timestamps=UTC):
 *   2026-11-01T01:00:00.123456Z	   12 Connect	app@203.0.113.5 on support using TCP/IP
 *   2026-11-01T01:00:00.200000Z	   12 Query	SELECT * FROM cases
 *   2026-11-01T01:00:00.300000Z	   12 Connect	Access denied for user 'app'@'203.0.113.5' (using password: YES)
 *   2026-11-01T01:00:01.000000Z	   12 Quit
 * The thread id ties a line to the client its Connect named. Queries are
 * told by their first word as PostgreSQL's statements are (SELECT: a
 * read; SHOW DATABASES, SHOW TABLES, information_schema: listings;
 * INSERT, UPDATE, DELETE, DDL: writes). MariaDB writes the server's local
 * time with no zone, once a second, the lines in between starting with
 * blanks:
 *   261101  1:00:00	     3 Connect	app@203.0.113.5 on support using TCP/IP
 *   		     3 Query	SELECT * FROM cases
 * and is read only when the caller says the offset (--local-offset): a
 * time cordon cannot place could put a read outside the window. */
#include <string.h>
#include <strings.h>
#include "access/access_internal.h"

static int mysql_sniff(const char *head, size_t n)
{
	/* the header every general log starts with, or a first entry */
	return (memmem(head, n, "Time                 Id Command    Argument", 42) ||
		memmem(head, n, "Time\t\t    Id Command\tArgument", 28) ||
		(n > 28 && head[4] == '-' && head[10] == 'T' && head[26] == 'Z' && head[27] == '\t'));
}

/* "261101  1:00:00\t" (YYMMDD, the hour padded with a blank): the time as
 * if it were UTC, and where the id starts. */
static int mariadb_time(const char *s, size_t n, time_t *out, const char **after)
{
	char iso[32];
	size_t i = 7;
	if (n < 16)
		return -1;
	for (int k = 0; k < 6; k++)
		if (s[k] < '0' || s[k] > '9')
			return -1;
	if (s[i] == ' ')
		i++;
	size_t h = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i - h < 1 || i - h > 2 || i + 6 > n || s[i] != ':' || s[i + 3] != ':' || s[i + 6] != '\t')
		return -1;
	snprintf(iso, sizeof(iso), "20%.2s-%.2s-%.2sT%s%.*s:%.2s:%.2sZ", s, s + 2, s + 4, i - h == 1 ? "0" : "",
		 (int)(i - h), s + h, s + i + 1, s + i + 4);
	if (access_time_iso(iso, strlen(iso), out))
		return -1;
	*after = s + i + 7;
	return 0;
}

static int word_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	return n >= k && !strncasecmp(s, w, k) && (n == k || s[k] == ' ' || s[k] == '\t' || s[k] == '(');
}

static cordon_access_action query(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '('))
		s++, n--;
	if (memmem(s, n, "information_schema", 18) || memmem(s, n, "INFORMATION_SCHEMA", 18) || word_ci(s, n, "show") ||
	    word_ci(s, n, "describe") || word_ci(s, n, "desc"))
		return CORDON_ACCESS_ACT_LIST;
	if (word_ci(s, n, "select") || word_ci(s, n, "with") || word_ci(s, n, "table") || word_ci(s, n, "handler"))
		return CORDON_ACCESS_ACT_READ;
	if (word_ci(s, n, "set") || word_ci(s, n, "use") || word_ci(s, n, "begin") || word_ci(s, n, "commit") ||
	    word_ci(s, n, "rollback") || word_ci(s, n, "start"))
		return CORDON_ACCESS_ACT_CONNECT;
	if (word_ci(s, n, "insert") || word_ci(s, n, "update") || word_ci(s, n, "delete") || word_ci(s, n, "replace") ||
	    word_ci(s, n, "create") || word_ci(s, n, "drop") || word_ci(s, n, "alter") || word_ci(s, n, "truncate") ||
	    word_ci(s, n, "grant") || word_ci(s, n, "load"))
		return CORDON_ACCESS_ACT_WRITE;
	return CORDON_ACCESS_ACT_OTHER;
}

/* "app@203.0.113.5 on support using TCP/IP", "Access denied for user
 * 'app'@'203.0.113.5' ...": 0 and the address; 1 for localhost (a socket,
 * or loopback: tcp says which); -1 when the host is a name (resolved:
 * skip-name-resolve writes addresses) or missing. */
static int client(const char *arg, size_t n, u128 *host, int *denied)
{
	*denied = n > 14 && !memcmp(arg, "Access denied ", 14);
	const char *at, *end;
	if (*denied) {
		at = memmem(arg, n, "'@'", 3);
		if (!at)
			return -1;
		at += 3;
		end = memchr(at, '\'', n - (size_t)(at - arg));
	} else {
		at = memchr(arg, '@', n);
		if (!at)
			return -1;
		at++;
		end = memchr(at, ' ', n - (size_t)(at - arg));
		if (!end)
			end = arg + n;
	}
	if (!end)
		return -1;
	if ((size_t)(end - at) == 9 && !memcmp(at, "localhost", 9)) {
		access_addr("127.0.0.1", 9, host);
		return memmem(arg, n, "using TCP/IP", 12) ? 0 : 1; /* loopback, or a local socket */
	}
	return access_addr(at, (size_t)(end - at), host) ? -1 : 0;
}

static int mysql_read(cordon_access *a, struct access_stream *st)
{
	struct session *threads = access_sessions_new(); /* pending: a Connect, a login unless "Access denied" comes */
	if (!threads)
		return access_fail(a, CORDON_ERR_NOMEM, "out of memory");
	const char *line;
	size_t n;
	int r, have_t = 0;
	time_t t = 0, local;
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		const char *p, *end = line + n;
		if (n > 15 && line[6] == ' ' && mariadb_time(line, n, &local, &p) == 0) {
			/* MariaDB: "261101  1:00:00\t": local time, no zone */
			long off;
			if (access_local_offset(a, &off)) {
				free(threads);
				return access_fail(a, CORDON_ERR_PARSE,
						   "%s line %llu: a MariaDB general log writes local times with no zone: give "
						   "--local-offset (the server's UTC offset, +00:00 for UTC)",
						   st->name, (unsigned long long)st->line);
			}
			t = local - (time_t)off;
			have_t = 1;
		} else if (n > 2 && line[0] == '\t' && line[1] == '\t' && have_t) {
			p = line + 2; /* MariaDB: the same second as the line before */
		} else if (n >= 28 && line[4] == '-' && line[10] == 'T' && line[26] == 'Z' && line[27] == '\t') {
			if (access_time_iso(line, 27, &t)) {
				if (access_malformed(a, st, line, n, "not a general log entry (a UTC time, an id, a command)")) {
					free(threads);
					return -1;
				}
				continue;
			}
			have_t = 1;
			p = line + 28;
		} else {
			continue; /* the header, or a query's next lines */
		}
		access_covered(a, t, t);
		while (p < end && *p == ' ')
			p++;
		const char *ide = p;
		while (ide < end && *ide >= '0' && *ide <= '9')
			ide++;
		uint64_t id;
		if (ide == p || access_u64(p, (size_t)(ide - p), &id) || ide >= end || *ide != ' ') {
			if (access_malformed(a, st, line, n, "no thread id after the time")) {
				free(threads);
				return -1;
			}
			continue;
		}
		const char *cmd = ide + 1, *tab = memchr(cmd, '\t', (size_t)(end - cmd));
		size_t cn = tab ? (size_t)(tab - cmd) : (size_t)(end - cmd);
		const char *arg = tab ? tab + 1 : end;
		size_t an = (size_t)(end - arg);
		if (cn == 7 && !memcmp(cmd, "Connect", 7)) {
			u128 host;
			int denied, rc = client(arg, an, &host, &denied);
			struct session *s = access_session(threads, id, 0);
			if (denied && s) { /* MariaDB: the attempt, then its refusal */
				if (s->pending)
					access_action(a, t, s->host, CORDON_ACCESS_ACT_REFUSED, -1);
				s->pending = 0;
				continue;
			}
			if (rc < 0) {
				if (access_malformed(a, st, line, n, "a Connect line with no user@address (host names: "
								     "set skip-name-resolve)")) {
					free(threads);
					return -1;
				}
				continue;
			}
			if (rc == 1)
				continue;
			if (s && s->pending)
				access_action(a, s->at, s->host, CORDON_ACCESS_ACT_LOGIN, -1);
			s = access_session(threads, id, 1);
			s->host = host;
			s->at = t;
			s->pending = !denied;
			access_action(a, t, host, CORDON_ACCESS_ACT_CONNECT, -1);
			if (denied)
				access_action(a, t, host, CORDON_ACCESS_ACT_REFUSED, -1);
			continue;
		}
		struct session *s = access_session(threads, id, 0);
		if (!s)
			continue;
		if (s->pending) { /* the Connect was a login */
			access_action(a, s->at, s->host, CORDON_ACCESS_ACT_LOGIN, -1);
			s->pending = 0;
		}
		if ((cn == 5 && !memcmp(cmd, "Query", 5)) || (cn == 7 && !memcmp(cmd, "Execute", 7)))
			access_action(a, t, s->host, query(arg, an), -1);
		else if (cn == 7 && !memcmp(cmd, "Init DB", 7))
			access_action(a, t, s->host, CORDON_ACCESS_ACT_CONNECT, -1);
		else if (cn == 10 && !memcmp(cmd, "Field List", 10))
			access_action(a, t, s->host, CORDON_ACCESS_ACT_LIST, -1);
		else if (cn == 4 && !memcmp(cmd, "Quit", 4))
			s->key = 0;
	}
	if (r == 0) /* sessions that connected and said nothing more before the log's end: logins */
		for (size_t k = 0; k < SESSIONS; k++)
			if (threads[k].key && threads[k].pending)
				access_action(a, threads[k].at, threads[k].host, CORDON_ACCESS_ACT_LOGIN, -1);
	free(threads);
	return r;
}

const struct access_format access_format_mysql = {
	.name = "mysql",
	.what = "MySQL general query log (UTC times), and MariaDB's with --local-offset",
	.sniff = mysql_sniff,
	.read = mysql_read,
};
