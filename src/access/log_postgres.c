/* PostgreSQL's server log with log_connections on, written with Debian's
 * log_line_prefix '%m [%p] ' (a time with its zone, the backend's pid):
 *   2026-11-01 01:00:00.123 UTC [4711] LOG:  connection received: host=203.0.113.5 port=53412
 *   2026-11-01 01:00:00.130 UTC [4711] LOG:  connection authorized: user=postgres database=support
 *   2026-11-01 01:00:00.131 UTC [4711] FATAL:  password authentication failed for user "postgres"
 *   2026-11-01 01:00:01.002 UTC [4711] LOG:  statement: SELECT * FROM cases;   (log_statement)
 *   2026-11-01 01:00:02.500 UTC [4711] LOG:  disconnection: session time: ... host=203.0.113.5 port=53412
 * Only "connection received" names the client: the pid ties the lines after
 * it to that address until the backend ends. A login with no statement
 * logged after it is unknown (log_statement may be off); statements are
 * told by their first word (SELECT, WITH, TABLE, COPY ... TO: reads; a
 * query of pg_catalog or information_schema: a listing). Lines that do not
 * start with a time continue the one before (DETAIL:, a statement's next
 * lines). Times must carry UTC, GMT or a numeric offset (log_timezone). */
#include <string.h>
#include "access/access_internal.h"

static int pg_sniff(const char *head, size_t n)
{
	const char *nl = memchr(head, '\n', n);
	size_t len = nl ? (size_t)(nl - head) : n;
	return len > 24 && head[4] == '-' && head[7] == '-' && head[10] == ' ' && head[13] == ':' &&
	       (memmem(head, len, "] LOG:  ", 8) || memmem(head, len, "] FATAL:  ", 10) ||
		memmem(head, len, "] ERROR:  ", 10) || memmem(head, len, "] WARNING:  ", 12));
}

static int word_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	if (n < k || strncasecmp(s, w, k))
		return 0;
	return n == k || !((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || s[k] == '_');
}

static cordon_access_action statement(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '(')) /* "(SELECT ...)" */
		s++, n--;
	if (memmem(s, n, "pg_catalog", 10) || memmem(s, n, "information_schema", 18))
		return CORDON_ACCESS_ACT_LIST;
	if (word_ci(s, n, "select") || word_ci(s, n, "with") || word_ci(s, n, "table") || word_ci(s, n, "fetch") ||
	    (word_ci(s, n, "copy") && memmem(s, n, " TO ", 4)) || (word_ci(s, n, "copy") && memmem(s, n, " to ", 4)))
		return CORDON_ACCESS_ACT_READ;
	if (word_ci(s, n, "set") || word_ci(s, n, "show") || word_ci(s, n, "begin") || word_ci(s, n, "commit") ||
	    word_ci(s, n, "rollback") || word_ci(s, n, "discard") || word_ci(s, n, "reset") || word_ci(s, n, "start"))
		return CORDON_ACCESS_ACT_CONNECT;
	if (word_ci(s, n, "insert") || word_ci(s, n, "update") || word_ci(s, n, "delete") || word_ci(s, n, "create") ||
	    word_ci(s, n, "drop") || word_ci(s, n, "alter") || word_ci(s, n, "truncate") || word_ci(s, n, "copy") ||
	    word_ci(s, n, "grant") || word_ci(s, n, "merge"))
		return CORDON_ACCESS_ACT_WRITE;
	return CORDON_ACCESS_ACT_OTHER;
}

/* Each statement of a simple query ("CREATE ...; SELECT ...") counts: split
 * at ';' (one inside a string splits too: a read more, never one less). */
static void statements(cordon_access *a, time_t t, u128 host, const char *s, size_t n)
{
	while (n) {
		const char *semi = memchr(s, ';', n);
		size_t k = semi ? (size_t)(semi - s) : n;
		size_t b = 0;
		while (b < k && (s[b] == ' ' || s[b] == '\t'))
			b++;
		if (b < k)
			access_action(a, t, host, statement(s + b, k - b), -1);
		if (!semi)
			break;
		s += k + 1;
		n -= k + 1;
	}
}

static int pg_read(cordon_access *a, struct access_stream *st)
{
	struct session *pids = access_sessions_new();
	if (!pids)
		return access_fail(a, CORDON_ERR_NOMEM, "out of memory");
	const char *line;
	size_t n;
	int r;
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (n < 19 || line[4] != '-' || line[7] != '-' || line[13] != ':')
			continue; /* a line of the message before */
		const char *open = memchr(line, '[', n);
		const char *close = open ? memchr(open, ']', n - (size_t)(open - line)) : NULL;
		time_t t;
		uint64_t pid;
		size_t tn = open ? (size_t)(open - line) : 0;
		while (tn && line[tn - 1] == ' ')
			tn--;
		if (!open || !close || access_u64(open + 1, (size_t)(close - open - 1), &pid) || !pid || pid > UINT32_MAX) {
			free(pids);
			return access_fail(a, CORDON_ERR_PARSE,
					   "%s line %llu: no backend pid in brackets after the time: set log_line_prefix to "
					   "'%%m [%%p] ' (Debian's default)",
					   st->name, (unsigned long long)st->line);
		}
		if (access_time_iso(line, tn, &t)) {
			free(pids);
			return access_fail(a, CORDON_ERR_PARSE,
					   "%s line %llu: a time cordon cannot place ('%.*s'): set log_timezone to UTC",
					   st->name, (unsigned long long)st->line, (int)(tn > 40 ? 40 : tn), line);
		}
		const char *m = close + 1, *end = line + n;
		const char *colon = memmem(m, (size_t)(end - m), ":  ", 3);
		if (!colon)
			continue;
		const char *msg = colon + 3;
		size_t mn = (size_t)(end - msg);
		access_covered(a, t, t);
		if (mn > 21 && !memcmp(msg, "connection received: ", 21)) {
			const char *h = memmem(msg, mn, "host=", 5);
			if (!h)
				continue;
			h += 5;
			const char *he = memchr(h, ' ', (size_t)(end - h));
			size_t hn = he ? (size_t)(he - h) : (size_t)(end - h);
			u128 host;
			if (hn == 7 && !memcmp(h, "[local]", 7))
				continue;
			if (access_addr(h, hn, &host)) {
				if (access_malformed(a, st, line, n, "host= is no address (log_hostname must be off)")) {
					free(pids);
					return -1;
				}
				continue;
			}
			struct session *s = access_session(pids, pid, 1);
			s->host = host;
			access_action(a, t, host, CORDON_ACCESS_ACT_CONNECT, -1);
			continue;
		}
		struct session *s = access_session(pids, pid, 0);
		if (!s)
			continue; /* a backend of no client (a worker), or one that began before the log */
		if (mn > 22 && !memcmp(msg, "connection authorized:", 22))
			access_action(a, t, s->host, CORDON_ACCESS_ACT_LOGIN, -1);
		else if (memmem(msg, mn, "authentication failed", 21) || memmem(msg, mn, "no pg_hba.conf entry", 20) ||
			 memmem(msg, mn, "password authentication", 23) || memmem(msg, mn, "permission denied", 17))
			access_action(a, t, s->host, CORDON_ACCESS_ACT_REFUSED, -1);
		else if (mn > 11 && !memcmp(msg, "statement: ", 11))
			statements(a, t, s->host, msg + 11, mn - 11);
		else if (mn > 8 && !memcmp(msg, "execute ", 8) && memmem(msg, mn, ": ", 2)) {
			const char *q = (const char *)memmem(msg, mn, ": ", 2) + 2;
			statements(a, t, s->host, q, (size_t)(end - q));
		} else if (mn > 14 && !memcmp(msg, "disconnection:", 14))
			s->key = 0; /* the backend ended */
	}
	free(pids);
	return r;
}

const struct access_format access_format_postgres = {
	.name = "postgres",
	.what = "PostgreSQL's log with log_connections (and log_statement), log_line_prefix '%m [%p] '",
	.sniff = pg_sniff,
	.read = pg_read,
};
