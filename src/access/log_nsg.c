/* Azure NSG flow logs (version 1 and 2) and VNet flow logs: JSON,
 *   {"records": [{"time": ..., "properties": {"Version": 2, "flows": [
 *     {"rule": "DefaultRule_DenyAllInBound", "flows": [{"mac": ...,
 *       "flowTuples": ["1542110377,10.0.0.4,13.67.143.118,44931,443,T,O,A,B,,,,", ...]}]}]}}]}
 * (VNet: records[].flowRecords.flows[].flowGroups[] {"rule", "flowTuples"}).
 * A blob is one JSON document, often on one line and large: it is read as a
 * stream of bytes, never held whole, looking only for the "rule" and
 * "flowTuples" keys; memory is one tuple.
 *
 * A tuple, comma-separated:
 *   version 1: time (s), src, dst, sport, dport, T|U, I|O, A|D
 *   version 2: the same, then the flow's state B|C|E and packets and bytes
 *              src to dst, packets and bytes dst to src (empty at B; since
 *              the last tuple at C and E)
 *   VNet:      time (ms), src, dst, sport, dport, protocol number, I|O,
 *              B|C|E|D (D: denied), encryption, then the four counts */
#include <string.h>
#include "access/access_internal.h"

enum { TUPLE_MAX = 512, KEY_MAX = 32, RULE_MAX = 256 };

static int nsg_sniff(const char *head, size_t n)
{
	return n && head[0] == '{' && memmem(head, n, "\"records\"", 9) != NULL;
}

/* Reads a JSON string's body (after its opening quote) into out (cut at
 * cap - 1, *cut set); escapes are kept as written. -1 at the end. */
static int read_string(cordon_access *a, struct access_stream *st, char *out, size_t cap, int *cut)
{
	size_t n = 0;
	*cut = 0;
	for (;;) {
		int c = stream_byte(a, st);
		if (c < 0)
			return -1;
		if (c == '"')
			break;
		if (c == '\\') {
			if (n + 1 < cap)
				out[n++] = (char)c;
			else
				*cut = 1;
			if ((c = stream_byte(a, st)) < 0)
				return -1;
		}
		if (n + 1 < cap)
			out[n++] = (char)c;
		else
			*cut = 1;
	}
	out[n] = '\0';
	return (int)n;
}

static int next_nonblank(cordon_access *a, struct access_stream *st)
{
	int c;
	while ((c = stream_byte(a, st)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	return c;
}

static size_t split(char *s, char **f, size_t max)
{
	size_t k = 0;
	f[k++] = s;
	for (char *p = s; *p; p++)
		if (*p == ',') {
			*p = '\0';
			if (k == max)
				return max + 1;
			f[k++] = p + 1;
		}
	return k;
}

static int count(const char *s, int64_t *out)
{
	uint64_t v;
	if (!*s) {
		*out = -1;
		return 0;
	}
	if (access_u64(s, strlen(s), &v) || v > INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int tuple(cordon_access *a, struct access_stream *st, char *t, size_t n, const char *rule, uint64_t nth)
{
	char copy[TUPLE_MAX];
	memcpy(copy, t, n + 1);
	char *f[14];
	size_t k = split(t, f, 13);
	struct flow fw = { .rule = rule, .bytes_fwd = -1, .bytes_back = -1 };
	uint64_t time, x;
	int vnet = k == 13 && strlen(f[0]) >= 13; /* milliseconds */
	if ((k != 8 && k != 13) || access_u64(f[0], strlen(f[0]), &time) ||
	    access_addr(f[1], strlen(f[1]), &fw.src) || access_addr(f[2], strlen(f[2]), &fw.dst))
		goto bad;
	if (vnet)
		time /= 1000;
	if (time > (uint64_t)1 << 40)
		goto bad;
	fw.start = fw.end = (time_t)time;
	if ((*f[3] && (access_u64(f[3], strlen(f[3]), &x) || x > 65535)))
		goto bad;
	fw.sport = *f[3] ? (unsigned)x : 0;
	if ((*f[4] && (access_u64(f[4], strlen(f[4]), &x) || x > 65535)))
		goto bad;
	fw.dport = *f[4] ? (unsigned)x : 0;
	if (!(f[6][0] == 'I' || f[6][0] == 'O') || f[6][1])
		goto bad;
	if (vnet) {
		char s = f[7][0];
		if (!strchr("BCED", s) || !s || f[7][1])
			goto bad;
		fw.allowed = s != 'D';
		fw.kind = s == 'B' ? FLOW_BEGIN : s == 'C' ? FLOW_UPDATE : s == 'E' ? FLOW_END : FLOW_RECORD;
	} else {
		if (!((f[5][0] == 'T' || f[5][0] == 'U') && !f[5][1]) || !((f[7][0] == 'A' || f[7][0] == 'D') && !f[7][1]))
			goto bad;
		fw.allowed = f[7][0] == 'A';
		if (k == 8) {
			fw.kind = FLOW_NOCOUNT;
		} else {
			char s = f[8][0];
			if (!strchr("BCE", s) || !s || f[8][1])
				goto bad;
			fw.kind = s == 'B' ? FLOW_BEGIN : s == 'C' ? FLOW_UPDATE : FLOW_END;
		}
	}
	if (k == 13) {
		int64_t p;
		if (count(f[9], &p) || count(f[10], &fw.bytes_fwd) || count(f[11], &p) || count(f[12], &fw.bytes_back))
			goto bad;
		if (fw.kind != FLOW_BEGIN && fw.allowed && (fw.bytes_fwd < 0 || fw.bytes_back < 0))
			goto bad; /* C and E always carry their counts */
	}
	access_flow(a, &fw);
	return 0;
bad:
	return access_malformed(a, st, copy, n, "flow tuple %llu is not one of version 1, 2 or a VNet log's",
				(unsigned long long)nth);
}

static int nsg_read(cordon_access *a, struct access_stream *st)
{
	char key[KEY_MAX], rule[RULE_MAX] = "", buf[TUPLE_MAX];
	int c, cut, have_rule = 0, pending = -1;
	uint64_t tuples = 0;
	long depth = 0; /* brackets open outside strings: 0 again at the document's end */
	key[0] = '\0';
	for (;;) {
		c = pending >= 0 ? pending : stream_byte(a, st);
		pending = -1;
		if (c < 0)
			break;
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		if (c != '"')
			continue;
		int n = read_string(a, st, key, sizeof(key), &cut);
		if (n < 0)
			goto truncated;
		if (cut)
			key[0] = '\0';
		c = next_nonblank(a, st);
		if (c != ':') {
			pending = c; /* a value, not a key: the byte after it is read again */
			continue;
		}
		c = next_nonblank(a, st);
		if (!strcmp(key, "rule") && c == '"') {
			if (read_string(a, st, rule, sizeof(rule), &cut) < 0)
				goto truncated;
			have_rule = 1;
			continue;
		}
		if (strcmp(key, "flowTuples") || c != '[') {
			if (c == '"') { /* a string value: skipped whole, so its text is no key */
				if (read_string(a, st, buf, sizeof(buf), &cut) < 0)
					goto truncated;
			} else {
				pending = c;
			}
			continue;
		}
		/* the tuples: strings to the closing bracket */
		for (;;) {
			c = next_nonblank(a, st);
			if (c < 0)
				goto truncated;
			if (c == ']')
				break;
			if (c == ',')
				continue;
			if (c != '"') {
				if (access_malformed(a, st, "", 0, "flowTuples holds something other than strings"))
					return -1;
				break;
			}
			int tn = read_string(a, st, buf, sizeof(buf), &cut);
			if (tn < 0)
				goto truncated;
			tuples++;
			if (cut) {
				if (access_malformed(a, st, buf, (size_t)tn, "flow tuple %llu is longer than 511 bytes",
						     (unsigned long long)tuples))
					return -1;
				continue;
			}
			if (tuple(a, st, buf, (size_t)tn, have_rule ? rule : NULL, tuples))
				return -1;
		}
	}
	if (access_failed(a))
		return -1;
	if (depth != 0)
		goto truncated;
	return 0;
truncated:
	if (access_failed(a))
		return -1;
	return access_fail(a, CORDON_ERR_PARSE, "%s: the JSON document is cut short (it ends inside %s)", st->name,
			   depth > 0 ? "an object or array" : "a string");
}

const struct access_format access_format_nsg = {
	.name = "azure-nsg",
	.what = "Azure NSG flow logs version 1 and 2, and VNet flow logs (JSON: records[]...flowTuples)",
	.sniff = nsg_sniff,
	.read = nsg_read,
};
