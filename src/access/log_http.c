/* HTTP access logs of a proxy in front of a store: the common and combined
 * formats nginx and Apache write,
 *   203.0.113.5 - - [01/Nov/2026:01:00:00 +0000] "GET /cases/_search HTTP/1.1" 200 52428 "-" "curl/8.0"
 * The client is the first field (an address: a log with host names is
 * refused, it cannot be matched); the bytes are what the store sent back.
 * What was done is told from the request, for Elasticsearch and OpenSearch
 * (the incident's store): _search, _msearch, _scroll, _doc, _source, _mget,
 * _sql are reads; _cat, _mapping, _aliases, _settings, _stats, _cluster,
 * _nodes listings; _bulk, _update, PUT, POST and DELETE of documents and
 * indices writes; 401, 403 and 407 refusals; other errors a connection;
 * any other answer a connection whose bytes decide. */
#include <string.h>
#include "access/access_internal.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* "01/Nov/2026:01:00:00 +0000" */
static int clf_time(const char *s, size_t n, time_t *out)
{
	if (n != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[20] != ' ')
		return -1;
	const char *m = NULL;
	for (int k = 0; k < 12 && !m; k++)
		if (!memcmp(s + 3, months + 3 * k, 3))
			m = months + 3 * k;
	if (!m)
		return -1;
	char iso[32];
	snprintf(iso, sizeof(iso), "%.4s-%02d-%.2sT%.8s%.3s:%.2s", s + 7, (int)((m - months) / 3 + 1), s, s + 12,
		 s + 21, s + 24);
	return access_time_iso(iso, strlen(iso), out);
}

static int http_sniff(const char *head, size_t n)
{
	const char *nl = memchr(head, '\n', n);
	size_t len = nl ? (size_t)(nl - head) : n;
	const char *b = memchr(head, '[', len);
	time_t t;
	return b && (size_t)(b - head) + 27 < len && b[27] == ']' && b[28] == ' ' && b[29] == '"' &&
	       !clf_time(b + 1, 26, &t);
}

static int has(const char *path, size_t n, const char *word)
{
	return memmem(path, n, word, strlen(word)) != NULL;
}

static cordon_access_action classify(const char *method, size_t mn, const char *path, size_t pn, unsigned status)
{
	if (status == 401 || status == 403 || status == 407)
		return CORDON_ACCESS_ACT_REFUSED;
	if (status >= 400)
		return CORDON_ACCESS_ACT_CONNECT;
	int get = (mn == 3 && !memcmp(method, "GET", 3)) || (mn == 4 && !memcmp(method, "HEAD", 4));
	if (has(path, pn, "_bulk") || has(path, pn, "_update") || has(path, pn, "_delete_by_query") ||
	    (!get && !has(path, pn, "_search") && !has(path, pn, "_msearch") && !has(path, pn, "_mget") &&
	     !has(path, pn, "_sql") && !has(path, pn, "_scroll") && !has(path, pn, "_count")))
		return get ? CORDON_ACCESS_ACT_CONNECT : CORDON_ACCESS_ACT_WRITE;
	if (has(path, pn, "_search") || has(path, pn, "_msearch") || has(path, pn, "_scroll") ||
	    has(path, pn, "/_doc") || has(path, pn, "/_source") || has(path, pn, "_mget") || has(path, pn, "_sql"))
		return CORDON_ACCESS_ACT_READ;
	if (has(path, pn, "/_cat") || has(path, pn, "_mapping") || has(path, pn, "_aliases") ||
	    has(path, pn, "_settings") || has(path, pn, "_stats") || has(path, pn, "/_cluster") ||
	    has(path, pn, "/_nodes") || has(path, pn, "/_all") || has(path, pn, "_count"))
		return CORDON_ACCESS_ACT_LIST;
	return CORDON_ACCESS_ACT_CONNECT; /* "/", a banner, a page: the bytes decide */
}

static int http_read(cordon_access *a, struct access_stream *st)
{
	const char *line;
	size_t n;
	int r;
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (!n)
			continue;
		const char *sp = memchr(line, ' ', n), *b = memchr(line, '[', n);
		const char *q = b && (size_t)(b - line) + 30 < n ? b + 29 : NULL;
		const char *qe = q && *q == '"' ? memchr(q + 1, '"', n - (size_t)(q + 1 - line)) : NULL;
		u128 from;
		time_t t;
		uint64_t status = 0, bytes = 0;
		int bad = !sp || !b || !qe || b[27] != ']' || access_addr(line, (size_t)(sp - line), &from) ||
			  clf_time(b + 1, 26, &t);
		const char *method = NULL, *path = NULL;
		size_t mn = 0, pn = 0;
		if (!bad) {
			method = q + 1;
			const char *m_end = memchr(method, ' ', (size_t)(qe - method));
			mn = m_end ? (size_t)(m_end - method) : (size_t)(qe - method);
			path = m_end ? m_end + 1 : qe;
			const char *p_end = memchr(path, ' ', (size_t)(qe - path));
			pn = p_end ? (size_t)(p_end - path) : (size_t)(qe - path);
			/* status and bytes after the request */
			const char *s = qe + 1, *end = line + n;
			while (s < end && *s == ' ')
				s++;
			const char *se = memchr(s, ' ', (size_t)(end - s));
			if (!se || access_u64(s, (size_t)(se - s), &status) || status < 100 || status > 599)
				bad = 1;
			else {
				const char *bb = se + 1, *be = memchr(bb, ' ', (size_t)(end - bb));
				size_t bn = be ? (size_t)(be - bb) : (size_t)(end - bb);
				if (!(bn == 1 && *bb == '-') && (access_u64(bb, bn, &bytes) || bytes > INT64_MAX))
					bad = 1;
			}
		}
		if (bad) {
			if (access_malformed(a, st, line, n, "not a common or combined access log line (an address first)"))
				return -1;
			continue;
		}
		access_action(a, t, from, classify(method, mn, path, pn, (unsigned)status), (int64_t)bytes);
	}
	return r;
}

const struct access_format access_format_http = {
	.name = "http-access",
	.what = "HTTP access logs of a proxy in front of a store (nginx, Apache: common and combined)",
	.sniff = http_sniff,
	.read = http_read,
};
