/* GCP VPC flow logs as Cloud Logging exports them: one JSON log entry a
 * line, the flow in jsonPayload:
 *   {"jsonPayload": {"connection": {"src_ip", "src_port", "dest_ip",
 *    "dest_port", "protocol"}, "bytes_sent": "1234", "packets_sent": "10",
 *    "start_time": "2026-11-01T01:00:00.123Z", "end_time": ..., "reporter":
 *    "SRC"|"DEST"}, "timestamp": ...}
 * A record is one direction (bytes_sent from src to dest), as AWS's; only
 * allowed flows are logged. GCP samples flows: a source can come and leave
 * no record, so a window read from these logs is never no_access. */
#include <string.h>
#include <jansson.h>
#include "access/access_internal.h"

static int gcp_sniff(const char *head, size_t n)
{
	return n && head[0] == '{' && memmem(head, n, "\"jsonPayload\"", 13) && memmem(head, n, "\"connection\"", 12);
}

/* GCP writes int64 as strings ("1234"); numbers are taken too. */
static int number(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	uint64_t x;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && !access_u64(json_string_value(v), strlen(json_string_value(v)), &x) && x <= INT64_MAX) {
		*out = (int64_t)x;
		return 0;
	}
	return -1;
}

/* The fast path: the seven values found by their keys in the line, which
 * must be one balanced JSON object (quotes and escapes followed, brackets
 * counted) holding each key once. JSON escapes a quote inside a string, so
 * '"src_ip":' cannot be found inside a value. Anything else (a key twice, a
 * value not of its plain form) goes to jansson: 0 here means "not sure",
 * never "wrong". */
static const char *key_once(const char *s, size_t n, const char *key, size_t kn)
{
	const char *p = memmem(s, n, key, kn);
	if (!p || memmem(p + kn, n - (size_t)(p + kn - s), key, kn))
		return NULL;
	return p + kn;
}

static int balanced(const char *s, size_t n)
{
	if (n < 2 || s[0] != '{' || s[n - 1] != '}')
		return 0;
	long depth = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in = 0;
			else if ((unsigned char)c < 0x20)
				return 0;
		} else if (c == '"') {
			in = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0 || (depth == 0 && i != n - 1))
				return 0;
		}
	}
	return !in && depth == 0;
}

/* "key":"value" (a plain string, no escapes): its bounds */
static int str_at(const char *v, const char *end, const char **b, size_t *len)
{
	if (!v || v >= end || *v != '"')
		return -1;
	const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
	if (!q || memchr(v + 1, '\\', (size_t)(q - v - 1)))
		return -1;
	*b = v + 1;
	*len = (size_t)(q - v - 1);
	return 0;
}

/* "key":123 or "key":"123" */
static int num_at(const char *v, const char *end, uint64_t *out)
{
	const char *b;
	size_t n;
	if (v && v < end && *v == '"')
		return str_at(v, end, &b, &n) || access_u64(b, n, out) ? -1 : 0;
	const char *e = v;
	while (e && e < end && *e >= '0' && *e <= '9')
		e++;
	return !v || e == v || access_u64(v, (size_t)(e - v), out) ? -1 : 0;
}

static int fast(const char *line, size_t n, struct flow *fw)
{
	const char *end = line + n, *b;
	size_t bn;
	uint64_t sport, dport, bytes;
	if (!balanced(line, n) || !memmem(line, n, "\"jsonPayload\"", 13))
		return 0;
	if (str_at(key_once(line, n, "\"src_ip\":", 9), end, &b, &bn) || access_addr(b, bn, &fw->src) ||
	    str_at(key_once(line, n, "\"dest_ip\":", 10), end, &b, &bn) || access_addr(b, bn, &fw->dst) ||
	    str_at(key_once(line, n, "\"start_time\":", 13), end, &b, &bn) || access_time_iso(b, bn, &fw->start) ||
	    str_at(key_once(line, n, "\"end_time\":", 11), end, &b, &bn) || access_time_iso(b, bn, &fw->end) ||
	    num_at(key_once(line, n, "\"src_port\":", 11), end, &sport) ||
	    num_at(key_once(line, n, "\"dest_port\":", 12), end, &dport) || sport > 65535 || dport > 65535 ||
	    fw->end < fw->start)
		return 0;
	const char *bv = key_once(line, n, "\"bytes_sent\":", 13);
	if (bv && num_at(bv, end, &bytes))
		return 0;
	if (!bv && memmem(line, n, "\"bytes_sent\"", 12))
		return 0; /* twice: jansson tells */
	fw->bytes_fwd = bv && bytes <= INT64_MAX ? (int64_t)bytes : -1;
	fw->sport = (unsigned)sport;
	fw->dport = (unsigned)dport;
	return 1;
}

static int gcp_read(cordon_access *a, struct access_stream *st)
{
	const char *line;
	size_t n;
	int r;
	access_sampled(a);
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (!n)
			continue;
		struct flow quick = { .kind = FLOW_RECORD, .allowed = 1, .bytes_back = -1 };
		if (fast(line, n, &quick)) {
			access_flow(a, &quick);
			continue;
		}
		json_error_t e;
		json_t *j = json_loadb(line, n, JSON_REJECT_DUPLICATES, &e);
		json_t *p = json_object_get(j, "jsonPayload"), *c = json_object_get(p, "connection");
		struct flow fw = { .kind = FLOW_RECORD, .allowed = 1, .bytes_back = -1 };
		const char *src = access_json_str(c, "src_ip"), *dst = access_json_str(c, "dest_ip"), *t0 = access_json_str(p, "start_time"),
			   *t1 = access_json_str(p, "end_time");
		int64_t sport = 0, dport = 0;
		int bad = !j || !src || !dst || !t0 || !t1 || access_addr(src, strlen(src), &fw.src) ||
			  access_addr(dst, strlen(dst), &fw.dst) || access_time_iso(t0, strlen(t0), &fw.start) ||
			  access_time_iso(t1, strlen(t1), &fw.end) || fw.end < fw.start ||
			  number(c, "src_port", &sport) || number(c, "dest_port", &dport) || sport > 65535 ||
			  dport > 65535;
		if (!bad && number(p, "bytes_sent", &fw.bytes_fwd))
			fw.bytes_fwd = -1; /* not said: the flow still counts */
		json_decref(j);
		if (bad) {
			if (access_malformed(a, st, line, n, "not a VPC flow log entry (jsonPayload.connection, start_time, end_time)"))
				return -1;
			continue;
		}
		fw.sport = (unsigned)sport;
		fw.dport = (unsigned)dport;
		access_flow(a, &fw);
	}
	return r;
}

const struct access_format access_format_gcp = {
	.name = "gcp-vpc",
	.what = "GCP VPC flow logs as Cloud Logging exports them (JSON lines, jsonPayload.connection); sampled",
	.sniff = gcp_sniff,
	.read = gcp_read,
};
