/* AWS VPC flow logs: one record a line, fields separated by a blank, "-"
 * for a field with no value. The default (version 2) format is
 *   version account-id interface-id srcaddr dstaddr srcport dstport
 *   protocol packets bytes start end action log-status
 * and a custom format names its fields in the header line that delivery
 * to S3 writes first; any order is read, by name. A record is one
 * direction of a flow over a capture window (start..end, Unix seconds):
 * the store's answer is the record whose srcaddr is the store. pkt-srcaddr
 * and pkt-dstaddr, when the format has them, are the packet's own
 * addresses behind a NAT or load balancer and are used instead.
 * log-status NODATA: no traffic in the window (the log was written);
 * SKIPDATA: records were skipped (a gap the log declares). */
#include <string.h>
#include "access/access_internal.h"

enum { VPC_FIELDS_MAX = 64 };

enum field {
	F_SRC, F_DST, F_SPORT, F_DPORT, F_BYTES, F_START, F_END, F_ACTION, F_STATUS, F_PKT_SRC, F_PKT_DST, F_COUNT
};
static const char *const field_names[F_COUNT] = {
	"srcaddr", "dstaddr", "srcport", "dstport", "bytes", "start", "end", "action", "log-status",
	"pkt-srcaddr", "pkt-dstaddr",
};
static const char default_header[] =
	"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
	"log-status";

struct layout {
	int at[F_COUNT]; /* the column of each field, -1: absent */
	size_t ncols;
};

/* Splits a line at blanks; returns the count, or VPC_FIELDS_MAX + 1 when there are more. */
static size_t split(const char *s, size_t n, const char **f, size_t *fl)
{
	size_t k = 0, i = 0;
	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		size_t b = i;
		while (i < n && s[i] != ' ')
			i++;
		if (k == VPC_FIELDS_MAX)
			return VPC_FIELDS_MAX + 1;
		f[k] = s + b;
		fl[k++] = i - b;
	}
	return k;
}

static int layout_from(const char *s, size_t n, struct layout *l)
{
	const char *f[VPC_FIELDS_MAX];
	size_t fl[VPC_FIELDS_MAX];
	size_t k = split(s, n, f, fl);
	if (k > VPC_FIELDS_MAX || k < 2)
		return -1;
	for (int i = 0; i < F_COUNT; i++)
		l->at[i] = -1;
	for (size_t c = 0; c < k; c++)
		for (int i = 0; i < F_COUNT; i++)
			if (strlen(field_names[i]) == fl[c] && !memcmp(field_names[i], f[c], fl[c]))
				l->at[i] = (int)c;
	l->ncols = k;
	for (int i = F_SRC; i <= F_STATUS; i++)
		if (l->at[i] < 0 && i != F_BYTES && i != F_SPORT && i != F_DPORT)
			return -1; /* addresses, times, action and status are needed */
	return 0;
}

static int header_line(const char *s, size_t n)
{
	return n > 8 && !memcmp(s, "version ", 8);
}

static int vpc_sniff(const char *head, size_t n)
{
	const char *nl = memchr(head, '\n', n);
	size_t len = nl ? (size_t)(nl - head) : n;
	if (header_line(head, len)) /* a header: vpc_read says what it lacks */
		return memmem(head, len, "srcaddr", 7) || memmem(head, len, "dstaddr", 7);
	/* no header: the default format's fourteen fields, version 2 */
	const char *f[VPC_FIELDS_MAX];
	size_t fl[VPC_FIELDS_MAX];
	return split(head, len, f, fl) == 14 && fl[0] == 1 && f[0][0] == '2' && (fl[12] == 6 || fl[12] == 1);
}

static int field(const char *const *f, const size_t *fl, const struct layout *l, enum field i, const char **v,
		 size_t *n)
{
	if (l->at[i] < 0)
		return 0;
	*v = f[l->at[i]];
	*n = fl[l->at[i]];
	return !(*n == 1 && **v == '-');
}

static int vpc_read(cordon_access *a, struct access_stream *st)
{
	struct layout l;
	const char *line;
	size_t n;
	int first = 1, r;
	while ((r = stream_line(a, st, &line, &n)) > 0) {
		if (!n)
			continue;
		if (header_line(line, n)) { /* the first line, or a next file's joined on */
			if (layout_from(line, n, &l))
				return access_fail(a, CORDON_ERR_PARSE,
						   "%s line %llu: a header without srcaddr, dstaddr, start, end, action "
						   "and log-status, or with more than 64 fields",
						   st->name, (unsigned long long)st->line);
			first = 0;
			continue;
		}
		if (first) {
			layout_from(default_header, sizeof(default_header) - 1, &l);
			first = 0;
		}
		const char *f[VPC_FIELDS_MAX];
		size_t fl[VPC_FIELDS_MAX];
		size_t k = split(line, n, f, fl);
		if (k != l.ncols) {
			if (access_malformed(a, st, line, n, "%zu fields, the format has %zu", k, l.ncols))
				return -1;
			continue;
		}
		const char *v;
		size_t vn;
		uint64_t start = 0, end = 0;
		if (!field(f, fl, &l, F_START, &v, &vn) || access_u64(v, vn, &start) ||
		    !field(f, fl, &l, F_END, &v, &vn) || access_u64(v, vn, &end) || end < start ||
		    start > (uint64_t)1 << 40) {
			if (access_malformed(a, st, line, n, "no start and end times (Unix seconds)"))
				return -1;
			continue;
		}
		if (!field(f, fl, &l, F_STATUS, &v, &vn)) {
			if (access_malformed(a, st, line, n, "no log-status"))
				return -1;
			continue;
		}
		if (vn == 6 && !memcmp(v, "NODATA", 6)) {
			access_covered(a, (time_t)start, (time_t)end);
			continue;
		}
		if (vn == 8 && !memcmp(v, "SKIPDATA", 8)) {
			access_skipped(a, (time_t)start, (time_t)end, "AWS VPC log SKIPDATA: records left out");
			continue;
		}
		if (!(vn == 2 && !memcmp(v, "OK", 2))) {
			if (access_malformed(a, st, line, n, "log-status '%.*s' (OK, NODATA or SKIPDATA)", (int)(vn > 16 ? 16 : vn), v))
				return -1;
			continue;
		}
		struct flow fw = { .kind = FLOW_RECORD, .start = (time_t)start, .end = (time_t)end, .bytes_back = -1 };
		int bad = 0;
		const char *w;
		size_t wn;
		if (field(f, fl, &l, F_PKT_SRC, &w, &wn) ? access_addr(w, wn, &fw.src)
							   : (!field(f, fl, &l, F_SRC, &w, &wn) || access_addr(w, wn, &fw.src)))
			bad = 1;
		if (field(f, fl, &l, F_PKT_DST, &w, &wn) ? access_addr(w, wn, &fw.dst)
							   : (!field(f, fl, &l, F_DST, &w, &wn) || access_addr(w, wn, &fw.dst)))
			bad = 1;
		uint64_t x;
		if (field(f, fl, &l, F_SPORT, &w, &wn)) {
			if (access_u64(w, wn, &x) || x > 65535)
				bad = 1;
			fw.sport = (unsigned)x;
		}
		if (field(f, fl, &l, F_DPORT, &w, &wn)) {
			if (access_u64(w, wn, &x) || x > 65535)
				bad = 1;
			fw.dport = (unsigned)x;
		}
		fw.bytes_fwd = -1;
		if (field(f, fl, &l, F_BYTES, &w, &wn)) {
			if (access_u64(w, wn, &x) || x > INT64_MAX)
				bad = 1;
			fw.bytes_fwd = (int64_t)x;
		}
		if (!field(f, fl, &l, F_ACTION, &w, &wn) ||
		    !((wn == 6 && !memcmp(w, "ACCEPT", 6)) || (wn == 6 && !memcmp(w, "REJECT", 6))))
			bad = 1;
		else
			fw.allowed = w[0] == 'A';
		if (bad) {
			if (access_malformed(a, st, line, n, "an address, port, byte count or action is not one"))
				return -1;
			continue;
		}
		access_flow(a, &fw);
	}
	return r;
}

const struct access_format access_format_vpc = {
	.name = "aws-vpc",
	.what = "AWS VPC flow logs: the default version-2 text, or a custom field list with its header line",
	.sniff = vpc_sniff,
	.read = vpc_read,
};
