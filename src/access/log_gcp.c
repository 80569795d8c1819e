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

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
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

static int gcp_read(cordon_access *a, struct access_stream *st)
{
	const char *line;
	size_t n;
	int r;
	access_sampled(a);
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (!n)
			continue;
		json_error_t e;
		json_t *j = json_loadb(line, n, JSON_REJECT_DUPLICATES, &e);
		json_t *p = json_object_get(j, "jsonPayload"), *c = json_object_get(p, "connection");
		struct flow fw = { .kind = FLOW_RECORD, .allowed = 1, .bytes_back = -1 };
		const char *src = str(c, "src_ip"), *dst = str(c, "dest_ip"), *t0 = str(p, "start_time"),
			   *t1 = str(p, "end_time");
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
